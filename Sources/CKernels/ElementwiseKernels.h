// The element-wise kernels, written once over a generic vector of CK_W floats and included by one .c file
// per instruction set, which defines CK_W (lanes) and CK_NAME(f) (the per-path name) and wraps the
// inclusion in a `#pragma clang attribute` giving every function that path's `target`.
//
// Every lane computes the same operations in the same order on both paths (same fused multiply-adds), and a
// tail shorter than CK_W runs through the same vector code on a zero-padded copy, so a result never depends
// on the path, on where a caller cut its range, or on the thread count.
#include <stdint.h>
#include <string.h>
#include "Epilogues.h"  // CK_SELECT_W, `m ? a : b` lane by lane on this path's vector

typedef float ck_vf __attribute__((vector_size(CK_W * 4)));
typedef int32_t ck_vi __attribute__((vector_size(CK_W * 4)));
typedef uint32_t ck_vu __attribute__((vector_size(CK_W * 4)));

static inline ck_vf CK_NAME(load)(const float *p) { ck_vf v; memcpy(&v, p, sizeof v); return v; }
static inline void CK_NAME(store)(float *p, ck_vf v) { memcpy(p, &v, sizeof v); }
static inline ck_vf CK_NAME(splat)(float s) { return (ck_vf){} + s; }

/// e^x·2^bias for x in [−87.33 − bias·ln2, 88.37 − bias·ln2] (callers clamp): Cody–Waite reduction
/// x = n·ln2 + r with |r| ≤ ln2/2, e^r by Cephes' degree-7 polynomial, times 2^(n + bias) built in the
/// exponent bits. About 1 ulp.
static inline ck_vf CK_NAME(exp_scaled)(ck_vf x, int bias) {
    ck_vf n = __builtin_elementwise_roundeven(x * 1.44269504088896341f);
    ck_vf r = __builtin_elementwise_fma(n, CK_NAME(splat)(-0.693359375f), x);
    r = __builtin_elementwise_fma(n, CK_NAME(splat)(2.12194440e-4f), r);
    ck_vf p = CK_NAME(splat)(1.9875691500e-4f);
    p = __builtin_elementwise_fma(p, r, CK_NAME(splat)(1.3981999507e-3f));
    p = __builtin_elementwise_fma(p, r, CK_NAME(splat)(8.3334519073e-3f));
    p = __builtin_elementwise_fma(p, r, CK_NAME(splat)(4.1665795894e-2f));
    p = __builtin_elementwise_fma(p, r, CK_NAME(splat)(1.6666665459e-1f));
    p = __builtin_elementwise_fma(p, r, CK_NAME(splat)(5.0000001201e-1f));
    ck_vf y = __builtin_elementwise_fma(p, r * r, r + 1.0f);
    ck_vi bits = (__builtin_convertvector(n, ck_vi) + (127 + bias)) << 23;
    return y * (ck_vf)bits;
}

/// Below this, e^x is not a normal float: Mish and its derivative take the scaled path.
#define CK_MISH_LOW (-87.33f)
/// Above this, tanh(softplus(x)) rounds to 1: Mish is x and its derivative 1.
#define CK_MISH_HIGH 20.0f

/// The shared part of Mish and its derivative for x ≥ −87.33: e = e^x (x clamped to [−87.33, 20]),
/// n = e·(e + 2) and 1/(n + 2), so that t = tanh(softplus(x)) = ((1+e)² − 1)/((1+e)² + 1) = n/(n + 2).
static inline void CK_NAME(mish_parts)(ck_vf x, ck_vf *e, ck_vf *n, ck_vf *inv) {
    ck_vf xc = __builtin_elementwise_min(__builtin_elementwise_max(x, CK_NAME(splat)(CK_MISH_LOW)),
                                         CK_NAME(splat)(CK_MISH_HIGH));
    ck_vf ex = CK_NAME(exp_scaled)(xc, 0);
    ck_vf nn = ex * (ex + 2.0f);
    *e = ex;
    *n = nn;
    *inv = 1.0f / (nn + 2.0f);
}

/// Whether any lane of a comparison mask is set.
static inline int CK_NAME(any)(ck_vi m) { return __builtin_reduce_or(m) != 0; }

/// `factor·e^x` for x < −87.33, where e^x is subnormal: e^x·2^64 is computed (normal down to x = −131;
/// below, the results are under 2^−180 and flush to 0), multiplied by `factor` and scaled back by 2^−64,
/// rounding once. Mish is x·e^x there (t = e^x(1 + O(e^x))), its derivative (1 + x)·e^x, sigmoid e^x.
static inline ck_vf CK_NAME(tiny_exp_times)(ck_vf x, ck_vf factor) {
    ck_vf xl = __builtin_elementwise_min(__builtin_elementwise_max(x, CK_NAME(splat)(-131.0f)), CK_NAME(splat)(CK_MISH_LOW));
    ck_vf e64 = CK_SELECT_W(x < -131.0f, CK_NAME(splat)(0.0f), CK_NAME(exp_scaled)(xl, 64));
    return (factor * e64) * 5.42101086242752217e-20f;
}

/// Mish of one vector: x·n/(n + 2); exactly x above 20. NaN stays NaN, −0 stays −0, ±∞ give +∞ and NaN
/// (−∞·0), as the scalar formula x·tanh(log1p(e^x)) does.
static inline ck_vf CK_NAME(mish1)(ck_vf x) {
    ck_vf e, n, inv;
    CK_NAME(mish_parts)(x, &e, &n, &inv);
    ck_vf y = CK_SELECT_W(x > CK_MISH_HIGH, x, x * (n * inv));
    ck_vi low = x < CK_MISH_LOW;
    if (CK_NAME(any)(low)) y = CK_SELECT_W(low, CK_NAME(tiny_exp_times)(x, x), y);
    return y;
}

/// g·mish'(x) of one vector: mish'(x) = t + x·σ(x)·(1 − t²) with σ(x) = e/(1 + e) and
/// 1 − t² = 4(1 + e)²/(n + 2)², i.e. t + x·4e(1 + e)/(n + 2)²; 1 above 20 (NaN at +∞, as the scalar
/// formula gives ∞·0), e^x(1 + x) below −87.33.
static inline ck_vf CK_NAME(mish_grad1)(ck_vf g, ck_vf x) {
    ck_vf e, n, inv;
    CK_NAME(mish_parts)(x, &e, &n, &inv);
    ck_vf a = 4.0f * e * (e + 1.0f) * inv;
    ck_vf d = __builtin_elementwise_fma(x * a, inv, n * inv);
    d = CK_SELECT_W(x > CK_MISH_HIGH, x * 0.0f + 1.0f, d);
    ck_vi low = x < CK_MISH_LOW;
    if (CK_NAME(any)(low)) d = CK_SELECT_W(low, CK_NAME(tiny_exp_times)(x, x + 1.0f), d);
    return g * d;
}

/// The logistic function 1/(1 + e^−x) of one vector, from e = e^−|x|: 1/(1 + e) for x ≥ 0 and e/(1 + e)
/// below (no overflow, full relative accuracy in both tails); e^x below −87.33; NaN stays NaN.
static inline ck_vf CK_NAME(sigmoid1)(ck_vf x) {
    ck_vf a = __builtin_elementwise_max(-__builtin_elementwise_abs(x), CK_NAME(splat)(CK_MISH_LOW));
    ck_vf e = CK_NAME(exp_scaled)(a, 0);
    ck_vf r = 1.0f / (1.0f + e);
    ck_vf y = CK_SELECT_W(x >= 0.0f, r, e * r);
    ck_vi low = x < CK_MISH_LOW;
    if (CK_NAME(any)(low)) y = CK_SELECT_W(low, CK_NAME(tiny_exp_times)(x, CK_NAME(splat)(1.0f)), y);
    return CK_SELECT_W(x != x, x, y);
}

/// The dropout uniform of element indices `j` under (k0, k1): two rounds of a 32-bit avalanche hash
/// (xor-shift-multiply, constants of Wellons' "lowbias32"), top 24 bits, as a float in [0, 2^24).
static inline ck_vu CK_NAME(hash)(ck_vu h) {
    h ^= h >> 16;
    h *= 0x7feb352dU;
    h ^= h >> 15;
    h *= 0x846ca68bU;
    h ^= h >> 16;
    return h;
}

static inline ck_vf CK_NAME(dropout1)(ck_vf x, ck_vu j, uint32_t k0, uint32_t k1, float threshold, float scale) {
    ck_vu h = CK_NAME(hash)(CK_NAME(hash)(j ^ k0) ^ k1);
    ck_vf u = __builtin_convertvector((ck_vi)(h >> 8), ck_vf);
    return x * CK_SELECT_W(u >= threshold, CK_NAME(splat)(scale), CK_NAME(splat)(0.0f));
}

/// `y[i] = f(x[i])` over whole vectors, then the tail through the same `f` on a zero-padded copy.
static inline __attribute__((always_inline)) void CK_NAME(map)(const float *x, float *y, long n, ck_vf (*f)(ck_vf)) {
    long i = 0;
    for (; i + CK_W <= n; i += CK_W) CK_NAME(store)(y + i, f(CK_NAME(load)(x + i)));
    if (i < n) {
        float bx[CK_W] = {0};
        memcpy(bx, x + i, (size_t)(n - i) * sizeof(float));
        CK_NAME(store)(bx, f(CK_NAME(load)(bx)));
        memcpy(y + i, bx, (size_t)(n - i) * sizeof(float));
    }
}

void CK_NAME(mish_forward)(const float *x, float *y, long n) { CK_NAME(map)(x, y, n, CK_NAME(mish1)); }

void CK_NAME(mish_backward)(const float *g, const float *x, float *dx, long n) {
    long i = 0;
    for (; i + CK_W <= n; i += CK_W)
        CK_NAME(store)(dx + i, CK_NAME(mish_grad1)(CK_NAME(load)(g + i), CK_NAME(load)(x + i)));
    if (i < n) {
        float bg[CK_W] = {0}, bx[CK_W] = {0};
        memcpy(bg, g + i, (size_t)(n - i) * sizeof(float));
        memcpy(bx, x + i, (size_t)(n - i) * sizeof(float));
        CK_NAME(store)(bg, CK_NAME(mish_grad1)(CK_NAME(load)(bg), CK_NAME(load)(bx)));
        memcpy(dx + i, bg, (size_t)(n - i) * sizeof(float));
    }
}

void CK_NAME(sigmoid)(const float *x, float *y, long n) { CK_NAME(map)(x, y, n, CK_NAME(sigmoid1)); }

void CK_NAME(dropout)(const float *x, float *y, long n, uint32_t first, uint64_t key, float p, float scale) {
    uint32_t k0 = (uint32_t)key, k1 = (uint32_t)(key >> 32);
    float threshold = p * 16777216.0f;
    ck_vu lane;
    for (int l = 0; l < CK_W; l++) lane[l] = (uint32_t)l;
    long i = 0;
    for (; i + CK_W <= n; i += CK_W) {
        ck_vu j = lane + (first + (uint32_t)i);
        CK_NAME(store)(y + i, CK_NAME(dropout1)(CK_NAME(load)(x + i), j, k0, k1, threshold, scale));
    }
    if (i < n) {
        float bx[CK_W] = {0};
        memcpy(bx, x + i, (size_t)(n - i) * sizeof(float));
        ck_vu j = lane + (first + (uint32_t)i);
        CK_NAME(store)(bx, CK_NAME(dropout1)(CK_NAME(load)(bx), j, k0, k1, threshold, scale));
        memcpy(y + i, bx, (size_t)(n - i) * sizeof(float));
    }
}
