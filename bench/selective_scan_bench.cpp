// The selective scan's two paths on SPMamba's real shapes: milliseconds per forward and per
// forward + backward, for the fused CPU kernels and the LibTorch-op path (what CUDA runs).
//
//   seplab-bench-scan [threads] [repeats]     # defaults: 1 thread, 3 repeats (the median is shown)
//
// Shapes: the reduced SB SPMamba (emb_dim 16, emb_ks 4: d_inner 256, d_state 16) on 4 s at 8 kHz
// (STFT 256/64: 501 frames x 129 bins). Its intra path scans 501 sequences of 126 steps, its
// inter path 129 sequences of 498; each BiMamba scans twice, 4 layers: 8 calls of each a step.

#include "core/models/blocks/selective_scan.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <torch/torch.h>
#include <vector>

using namespace seplab::models;

namespace {

struct Case
{
    const char *name;
    std::int64_t sequences, channels, steps, states;
};

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// Milliseconds of one forward, and of one forward plus backward.
std::pair<double, double> timeScan(const Case &c, ScanPath path, int repeats)
{
    torch::manual_seed(1);
    const auto f32 = torch::TensorOptions().dtype(torch::kFloat);
    const std::int64_t b = c.sequences, d = c.channels, L = c.steps, N = c.states;
    std::vector<torch::Tensor> in = {torch::randn({b, d, L}, f32),
                                     torch::randn({b, d, L}, f32) - 4.0,
                                     -torch::rand({d, N}, f32) * 4 - 0.5,
                                     torch::randn({b, N, L}, f32),
                                     torch::randn({b, N, L}, f32),
                                     torch::randn({d}, f32),
                                     torch::randn({b, d, L}, f32),
                                     torch::randn({d}, f32)};
    for (torch::Tensor &t : in)
        t.requires_grad_();
    auto scan = [&] {
        return selectiveScan(in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7], 0, path);
    };
    std::vector<double> forward, both;
    for (int r = 0; r < repeats; ++r) {
        auto start = std::chrono::steady_clock::now();
        torch::Tensor y;
        {
            torch::NoGradGuard noGrad;
            y = scan();
        }
        forward.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
        start = std::chrono::steady_clock::now();
        y = scan();
        y.backward(torch::ones_like(y));
        both.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    return {median(forward), median(both)};
}

} // namespace

int main(int argc, char **argv)
{
    const int threads = argc > 1 ? std::atoi(argv[1]) : 1;
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
    if (threads < 1 || repeats < 1) {
        std::fprintf(stderr, "seplab-bench-scan: threads and repeats must be 1 or more.\n");
        return 2;
    }
    at::set_num_threads(threads);
    const Case cases[] = {{"intra (501 x 256 x 126, N 16)", 501, 256, 126, 16},
                          {"inter (129 x 256 x 498, N 16)", 129, 256, 498, 16}};
    std::printf("selective scan, float32, %d thread(s), median of %d\n", threads, repeats);
    std::printf("%-32s %-11s %12s %16s\n", "call", "path", "forward ms", "fwd+bwd ms");
    for (const Case &c : cases) {
        const auto fused = timeScan(c, ScanPath::Automatic, repeats);
        const auto ops = timeScan(c, ScanPath::TensorOps, repeats);
        std::printf("%-32s %-11s %12.1f %16.1f\n", c.name, "fused CPU", fused.first, fused.second);
        std::printf("%-32s %-11s %12.1f %16.1f\n", c.name, "tensor ops", ops.first, ops.second);
        std::printf("%-32s %-11s %11.2fx %15.2fx\n",
                    "",
                    "speed-up",
                    ops.first / fused.first,
                    ops.second / fused.second);
    }
    return 0;
}
