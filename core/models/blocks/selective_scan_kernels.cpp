#include "core/models/blocks/selective_scan_kernels.h"

// Built with -O3 -ffast-math (core/models/CMakeLists.txt). Fast-math lets GCC reorder the sums
// over the N states and call libmvec's vector exp; the test against the straight loop holds
// the result to 1e-8 in fp64 all the same.

#include <algorithm>
#include <cmath>
#include <vector>

// On x86-64 an AVX2 copy of each kernel is built beside the baseline one and the loader picks
// by CPU (GCC's target_clones, an ifunc): twice the vector width for libmvec's exp where the
// CPU has it, and still a binary that runs on any x86-64. Elsewhere (aarch64 servers) the
// baseline vectorisation alone.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SEPLAB_SCAN_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SEPLAB_SCAN_CLONES
#endif

namespace seplab::models::scan_kernels {

namespace {

template<typename T>
T sigmoid(T x)
{
    return T(1) / (T(1) + std::exp(-x));
}

// One step of the reverse recurrence over the N states. Its own function so that the pointers
// are __restrict parameters: with ten pointers in the loop GCC gives up on runtime alias checks
// and would not vectorise it (restrict on local variables is not enough for GCC 12).
template<typename T>
inline void reverseStep(std::int64_t N,
                        T gy,
                        T dt,
                        T ut,
                        const T *__restrict C,
                        const T *__restrict B,
                        const T *__restrict h,
                        const T *__restrict previous,
                        const T *__restrict decay,
                        const T *__restrict A,
                        T *__restrict carry,
                        T *__restrict gA,
                        T *__restrict gB,
                        T *__restrict gC,
                        T &lambdaB,
                        T &gDelta)
{
    T sumB = 0, sumDelta = 0;
    for (std::int64_t n = 0; n < N; ++n) {
        const T lambda = gy * C[n] + carry[n];
        const T decayed = lambda * previous[n] * decay[n];
        gA[n] += decayed * dt;
        sumDelta += decayed * A[n];
        sumB += lambda * B[n];
        gB[n] += lambda * dt * ut;
        gC[n] += gy * h[n];
        carry[n] = decay[n] * lambda;
    }
    lambdaB = sumB;
    gDelta = sumDelta;
}

} // namespace

template<typename T>
SEPLAB_SCAN_CLONES void forwardChannels(const Shape &s,
                                        const Tensors<T> &p,
                                        std::int64_t begin,
                                        std::int64_t end)
{
    const T *pu = p.u, *pdelta = p.delta, *pA = p.A, *pB = p.B, *pC = p.C, *pD = p.D, *pz = p.z;
    T *py = p.y, *pboundary = p.boundary;
    const std::int64_t channels = s.batch * s.d;
    std::vector<T> h(std::size_t(s.N));
    for (std::int64_t item = begin; item < end; ++item) {
        const std::int64_t b = item / s.d, channel = item % s.d;
        const T *uc = pu + item * s.L, *deltac = pdelta + item * s.L;
        const T *zc = pz ? pz + item * s.L : nullptr;
        const T *Ac = pA + channel * s.N, *Bb = pB + b * s.L * s.N, *Cb = pC + b * s.L * s.N;
        const T Dc = pD[channel];
        T *yc = py + item * s.L;
        std::fill(h.begin(), h.end(), T(0));
        for (std::int64_t t = 0; t < s.L; ++t) {
            if (t % s.chunk == 0)
                std::copy(h.begin(), h.end(), pboundary + ((t / s.chunk) * channels + item) * s.N);
            const T dt = deltac[t], du = dt * uc[t];
            const T *Bt = Bb + t * s.N, *Ct = Cb + t * s.N;
            T acc = 0;
            for (std::int64_t n = 0; n < s.N; ++n) {
                h[n] = std::exp(dt * Ac[n]) * h[n] + du * Bt[n];
                acc += Ct[n] * h[n];
            }
            T out = acc + Dc * uc[t];
            if (zc)
                out *= zc[t] * sigmoid(zc[t]);
            yc[t] = out;
        }
    }
}

template<typename T>
SEPLAB_SCAN_CLONES void backwardSequences(const Shape &s,
                                          const Tensors<T> &p,
                                          std::int64_t begin,
                                          std::int64_t end)
{
    const T *pu = p.u, *pdelta = p.delta, *pslope = p.slope, *pA = p.A, *pB = p.B, *pC = p.C;
    const T *pD = p.D, *pz = p.z, *pg = p.g, *pboundary = p.boundary;
    T *gu = p.gu, *gDeltaRaw = p.gDeltaRaw, *gB = p.gB, *gC = p.gC, *gz = p.gz;
    T *gAParts = p.gAParts, *gDParts = p.gDParts;
    const std::int64_t channels = s.batch * s.d, N = s.N;
    // One chunk's recomputed states and decay factors, and the reverse recurrence's carry.
    std::vector<T> states(std::size_t(s.chunk * N)), decay(std::size_t(s.chunk * N));
    std::vector<T> carry(static_cast<std::size_t>(N));
    for (std::int64_t b = begin; b < end; ++b) {
        const T *Bb = pB + b * s.L * N, *Cb = pC + b * s.L * N;
        T *gBb = gB + b * s.L * N, *gCb = gC + b * s.L * N;
        for (std::int64_t channel = 0; channel < s.d; ++channel) {
            const std::int64_t item = b * s.d + channel, row = item * s.L;
            const T *Ac = pA + channel * N;
            const T Dc = pD[channel];
            T *gA = gAParts + item * N;
            T gD = 0;
            std::fill(carry.begin(), carry.end(), T(0));
            for (std::int64_t c = s.chunks - 1; c >= 0; --c) {
                const std::int64_t start = c * s.chunk, len = std::min(s.chunk, s.L - start);
                const T *before = pboundary + (c * channels + item) * N;
                for (std::int64_t k = 0; k < len; ++k) {
                    const std::int64_t t = start + k;
                    const T dt = pdelta[row + t], du = dt * pu[row + t];
                    const T *previous = k == 0 ? before : &states[(k - 1) * N];
                    for (std::int64_t n = 0; n < N; ++n) {
                        decay[k * N + n] = std::exp(dt * Ac[n]);
                        states[k * N + n] = decay[k * N + n] * previous[n] + du * Bb[t * N + n];
                    }
                }
                for (std::int64_t k = len - 1; k >= 0; --k) {
                    const std::int64_t t = start + k;
                    const T ut = pu[row + t], dt = pdelta[row + t];
                    const T *Ct = Cb + t * N, *Bt = Bb + t * N, *h = &states[k * N];
                    // The gate: out = s silu(z), with s the scan output plus D u.
                    T gy = pg[row + t];
                    if (pz) {
                        T scan = Dc * ut;
                        for (std::int64_t n = 0; n < N; ++n)
                            scan += Ct[n] * h[n];
                        const T zt = pz[row + t], sz = sigmoid(zt);
                        gz[row + t] = gy * scan * sz * (T(1) + zt * (T(1) - sz));
                        gy *= zt * sz;
                    }
                    gD += gy * ut;
                    // lambda_t = gy_t C_t + exp(delta_{t+1} A) lambda_{t+1}.
                    const T *previous = k == 0 ? before : &states[(k - 1) * N];
                    T lambdaB = 0, gDelta = 0;
                    reverseStep(N,
                                gy,
                                dt,
                                ut,
                                Ct,
                                Bt,
                                h,
                                previous,
                                &decay[k * N],
                                Ac,
                                carry.data(),
                                gA,
                                gBb + t * N,
                                gCb + t * N,
                                lambdaB,
                                gDelta);
                    gDeltaRaw[row + t] = (gDelta + lambdaB * ut) * pslope[row + t];
                    gu[row + t] = gy * Dc + lambdaB * dt;
                }
            }
            gDParts[item] = gD;
        }
    }
}

template void forwardChannels<float>(const Shape &,
                                     const Tensors<float> &,
                                     std::int64_t,
                                     std::int64_t);
template void forwardChannels<double>(const Shape &,
                                      const Tensors<double> &,
                                      std::int64_t,
                                      std::int64_t);
template void backwardSequences<float>(const Shape &,
                                       const Tensors<float> &,
                                       std::int64_t,
                                       std::int64_t);
template void backwardSequences<double>(const Shape &,
                                        const Tensors<double> &,
                                        std::int64_t,
                                        std::int64_t);

} // namespace seplab::models::scan_kernels
