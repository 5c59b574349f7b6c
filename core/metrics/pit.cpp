#include "core/metrics/pit.h"

#include "core/metrics/si_sdr.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <torch/torch.h>

namespace seplab::metrics {

namespace {

// Up to this many sources every permutation is tried, as asteroid does; 3! = 6 candidates are
// cheaper to gather on the device than a round trip to the CPU for the Hungarian algorithm.
constexpr int64_t kMaxBruteForceSources = 3;

void checkShapes(const at::Tensor &est, const at::Tensor &ref)
{
    if (est.dim() != 3 || !est.sizes().equals(ref.sizes()) || est.size(1) < 1) {
        std::ostringstream msg;
        msg << "PIT needs estimates and references of the same shape [B, C, T] with C >= 1, but "
            << "estimates have shape " << est.sizes() << " and references have " << ref.sizes()
            << ".";
        throw std::invalid_argument(msg.str());
    }
}

// [C!, C] int64, every permutation in lexicographic order (asteroid's itertools order, so ties
// resolve to the same permutation).
at::Tensor allPermutations(int64_t c)
{
    std::vector<int64_t> perm(static_cast<size_t>(c));
    std::iota(perm.begin(), perm.end(), 0);
    std::vector<int64_t> flat;
    do {
        flat.insert(flat.end(), perm.begin(), perm.end());
    } while (std::next_permutation(perm.begin(), perm.end()));
    const auto count = static_cast<int64_t>(flat.size()) / c;
    return torch::tensor(flat, torch::kLong).view({count, c});
}

// Best permutation per batch item by scoring all of them at once: scores[b, p] is the mean over
// references j of pairwise[b, perms[p][j], j], gathered from the flattened [B, C*C] matrix.
at::Tensor bruteForcePermutation(const at::Tensor &pairwise)
{
    const int64_t batch = pairwise.size(0);
    const int64_t c = pairwise.size(1);
    const at::Tensor perms = allPermutations(c).to(pairwise.device());
    const int64_t count = perms.size(0);
    const at::Tensor linear = (perms * c + torch::arange(c, perms.options())).view({1, count * c});
    const at::Tensor scores = pairwise.reshape({batch, c * c})
                                  .gather(1, linear.expand({batch, count * c}))
                                  .view({batch, count, c})
                                  .mean(-1);
    return perms.index_select(0, scores.argmax(1)).cpu();
}

at::Tensor hungarianPermutation(const at::Tensor &pairwise)
{
    const at::Tensor matrix = pairwise.to(torch::kCPU, torch::kDouble).contiguous();
    const int64_t batch = matrix.size(0);
    const int64_t c = matrix.size(1);
    const auto values = matrix.accessor<double, 3>();
    at::Tensor result = torch::empty({batch, c}, torch::kLong);
    auto out = result.accessor<int64_t, 2>();
    std::vector<std::vector<double>> scores(c, std::vector<double>(c));
    for (int64_t b = 0; b < batch; ++b) {
        for (int64_t i = 0; i < c; ++i) {
            for (int64_t j = 0; j < c; ++j)
                scores[i][j] = values[b][i][j];
        }
        const std::vector<int> perm = bestAssignment(scores);
        for (int64_t j = 0; j < c; ++j)
            out[b][j] = perm[j];
    }
    return result;
}

} // namespace

std::vector<int> bestAssignment(const std::vector<std::vector<double>> &scores)
{
    const int n = static_cast<int>(scores.size());
    for (const auto &row : scores) {
        if (static_cast<int>(row.size()) != n)
            throw std::invalid_argument("bestAssignment needs a square score matrix.");
    }
    // A NaN would break the comparisons the algorithm relies on (and could make it loop), and an
    // infinity would poison the potentials; such scores are clamped to a large finite value.
    constexpr double kBig = 1e12;
    auto cost = [&](int i, int j) {
        const double s = scores[i][j];
        if (std::isnan(s))
            return kBig;
        return -std::clamp(s, -kBig, kBig); // maximising scores = minimising their negation
    };

    // Kuhn-Munkres with row/column potentials, O(n^3), 1-based with a dummy column 0.
    // rowOfColumn[j] is the row assigned to column j.
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> u(n + 1, 0.0), v(n + 1, 0.0);
    std::vector<int> rowOfColumn(n + 1, 0), way(n + 1, 0);
    for (int i = 1; i <= n; ++i) {
        rowOfColumn[0] = i;
        int j0 = 0;
        std::vector<double> minv(n + 1, inf);
        std::vector<bool> used(n + 1, false);
        do {
            used[j0] = true;
            const int i0 = rowOfColumn[j0];
            double delta = inf;
            int j1 = 0;
            for (int j = 1; j <= n; ++j) {
                if (used[j])
                    continue;
                const double cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                if (cur < minv[j]) {
                    minv[j] = cur;
                    way[j] = j0;
                }
                if (minv[j] < delta) {
                    delta = minv[j];
                    j1 = j;
                }
            }
            for (int j = 0; j <= n; ++j) {
                if (used[j]) {
                    u[rowOfColumn[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
        } while (rowOfColumn[j0] != 0);
        // Flip the augmenting path back to the root.
        do {
            const int j1 = way[j0];
            rowOfColumn[j0] = rowOfColumn[j1];
            j0 = j1;
        } while (j0 != 0);
    }
    std::vector<int> perm(n);
    for (int j = 1; j <= n; ++j)
        perm[j - 1] = rowOfColumn[j] - 1;
    return perm;
}

PitResult pitSiSdr(const at::Tensor &est, const at::Tensor &ref)
{
    checkShapes(est, ref);
    const int64_t batch = est.size(0);
    const int64_t c = est.size(1);
    const at::Tensor pairwise = pairwiseSiSdrZeroMean(est, ref); // [B, C, C]

    at::Tensor permutation;
    {
        // The search only picks indices; the gradient flows through the gathers below.
        torch::NoGradGuard noGrad;
        const at::Tensor detached = pairwise.detach();
        permutation = c <= kMaxBruteForceSources ? bruteForcePermutation(detached)
                                                 : hungarianPermutation(detached);
    }

    const at::Tensor index = permutation.to(est.device());
    PitResult result;
    result.perSource = pairwise.gather(1, index.unsqueeze(1)).squeeze(1);
    result.siSdr = result.perSource.mean(-1);
    result.permutation = permutation;
    result.reordered = est.gather(1, index.unsqueeze(-1).expand({batch, c, est.size(2)}));
    return result;
}

at::Tensor pitNegSiSdrLoss(const at::Tensor &est, const at::Tensor &ref)
{
    return -pitSiSdr(est, ref).siSdr.mean();
}

} // namespace seplab::metrics
