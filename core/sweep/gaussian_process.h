#pragma once

// The Gaussian process behind W&B's bayes search (spec hpo.md §1(b)): what scikit-learn's
// GaussianProcessRegressor(Matern(nu=1.5), alpha=1e-7, normalize_y=True) fits there.
//
//   k(x, x') = (1 + √3 r/l) exp(−√3 r/l),  r = |x − x'| (Euclidean), one length-scale l
//
// on targets standardised to mean 0 and standard deviation 1 (a constant target keeps scale 1, as
// scikit-learn does), with 1e-7 added to the kernel's diagonal. The length-scale maximises the
// log marginal likelihood over [1e-5, 1e5] (scikit-learn's default bounds): a grid over log l,
// then golden-section search around the best grid point, so the fit is deterministic. The linear
// algebra runs on LibTorch double tensors; the interface is plain vectors.

#include <cstddef>
#include <vector>

namespace seplab::sweep {

// Matérn ν = 1.5 at distance r for length-scale l.
double maternKernel15(double distance, double lengthScale);

class GaussianProcess
{
public:
    static constexpr double kNugget = 1e-7;
    static constexpr double kMinLengthScale = 1e-5;
    static constexpr double kMaxLengthScale = 1e5;

    // Fits the length-scale by maximum marginal likelihood. `points` are rows of equal length
    // and as many as `targets`; throws std::invalid_argument otherwise or when there are none.
    static GaussianProcess fit(std::vector<std::vector<double>> points, std::vector<double> targets);
    // The same with the length-scale given.
    static GaussianProcess withLengthScale(std::vector<std::vector<double>> points,
                                           std::vector<double> targets,
                                           double lengthScale);

    double lengthScale() const { return m_lengthScale; }
    // The fitted length-scale lies at one of its bounds: W&B then distrusts the model.
    bool lengthScaleAtBound() const;
    // The log marginal likelihood of the standardised targets at a length-scale.
    double logMarginalLikelihood(double lengthScale) const;

    // The posterior mean and standard deviation at each point, in the targets' units.
    void predict(const std::vector<std::vector<double>> &points,
                 std::vector<double> &mean,
                 std::vector<double> &stddev) const;

    std::size_t size() const { return m_targets.size(); }

private:
    GaussianProcess(std::vector<std::vector<double>> points, std::vector<double> targets);
    void factorise(double lengthScale);

    std::vector<std::vector<double>> m_points;
    std::vector<double> m_targets;      // as given
    std::vector<double> m_standardised; // (target − mean) / scale
    double m_mean = 0.0;
    double m_scale = 1.0;
    double m_lengthScale = 1.0;
    std::vector<double> m_cholesky; // lower factor of K + nugget·I, row-major n×n
    std::vector<double> m_alpha;    // (K + nugget·I)⁻¹ · standardised targets
};

} // namespace seplab::sweep
