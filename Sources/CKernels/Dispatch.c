// Run-time choice between the AVX2 and AVX-512 builds of the kernels.
#include "CKernels.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif
#include <stdlib.h>
#include <string.h>

#define CK_DECLARE(path)                                                                              \
    void hnas_ck_##path##_mish_forward(const float *x, float *y, long n);                             \
    void hnas_ck_##path##_mish_backward(const float *g, const float *x, float *dx, long n);           \
    void hnas_ck_##path##_sigmoid(const float *x, float *y, long n);                                  \
    void hnas_ck_##path##_dropout(const float *x, float *y, long n, uint32_t first, uint64_t key, float p, float scale); \
    int hnas_ck_##path##_depthwise_rows(const float *source, long sourceRowLength, long rowStride,                    \
                                        const long *columnOffsets, const float *weights, long kernelHeight,           \
                                        long kernelWidth, int accumulate, float initial, float *output, long rows,    \
                                        long blockRows, long outputRowLength, long firstRow, long endRow);   \
    int hnas_ck_##path##_depthwise_plane(const float *source, long sourceRowLength, long rowStride,                   \
                                         const long *columnOffsets, const float *weights, long kernelHeight,          \
                                         long kernelWidth, float initial, const hnas_ck_epilogue *epilogue,           \
                                         float *output, long outputHeight, long outputWidth, long rows,               \
                                         long blockRows, long firstRow, long endRow);                                 \
    int hnas_ck_##path##_pointwise_product(const float *w, long lda, const float *x, long ldx,                        \
                                           const float *inputScale, float *y, long ldy, const float *residual,        \
                                           long m, long n, long k, const hnas_ck_epilogue *e);                 \
    float hnas_ck_##path##_fma_chains(long iterations);
CK_DECLARE(avx2)
CK_DECLARE(avx512)
#if defined(__x86_64__)
int hnas_ck_avx512_lanes_gather(const float *planes, long height, long width, long planeStride, long padTop, long padLeft,
                                long blockWidth, float *block, long prefetchDistance);
int hnas_ck_avx512_lanes_correlate(const float *source, long sourceWidth, long stride, const float *weights,
                                   long kernelHeight, long kernelWidth, const float *initial, float *output,
                                   long outputRowStep, long outputColumnStep, long rows, long cols, long firstRow, long endRow);
int hnas_ck_avx512_lanes_scatter(const float *block, long positions, long planeStride, float *planes, long prefetchDistance);
int hnas_ck_avx512_depthwise_lanes_weight(const float *input, long inputSampleStride, const float *gradOutput,
                                          long gradientSampleStride, long samples, long inputHeight, long inputWidth,
                                          long padTop, long padLeft, long outputHeight, long outputWidth,
                                          long kernelHeight, long kernelWidth, float *inputBlock, long blockWidth, float *gradientBlock,
                                          float *sums);
int hnas_ck_avx512_depthwise_lanes_tap_sums(const float *input, long inputSampleStride, const float *gradOutput,
                                            long gradientSampleStride, long samples, long inputHeight, long inputWidth,
                                            long padTop, long padLeft, long stride, long outputHeight, long outputWidth,
                                            long kernelHeight, long kernelWidth, long split, float *inputBlock,
                                            long blockWidth, float *gradientBlock, float *sums);
#endif

#if defined(__x86_64__)
/// XCR0, the OS-enabled register state (xgetbv 0), read with the target attribute xgetbv needs.
__attribute__((target("xsave"))) static uint64_t ck_xcr0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

int hnas_ck_avx512_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int osxsave = (c >> 27) & 1;
    if (!osxsave) return 0;
    // XMM, YMM, opmask, ZMM0-15 upper halves, ZMM16-31: bits 1, 2, 5, 6, 7.
    if ((ck_xcr0() & 0xE6) != 0xE6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int f = (b >> 16) & 1, dq = (b >> 17) & 1, bw = (b >> 30) & 1, vl = (b >> 31) & 1;
    return f && dq && bw && vl;
}

int hnas_ck_avx2_fma_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!(fma && osxsave && avx)) return 0;
    if ((ck_xcr0() & 0x6) != 0x6) return 0;  // XMM and YMM state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b >> 5) & 1;
}
#else
/// Not an x86-64 CPU: the "AVX2" build (generic vectors for the target) is the only path.
int hnas_ck_avx512_available(void) { return 0; }

int hnas_ck_avx2_fma_available(void) { return 0; }
#endif

/// −1 until chosen; then a hnas_ck_path. A benign race: every thread computes the same value.
static volatile int ck_path = -1;

static int ck_choose(void) {
    const char *forced = getenv("HNAS_SIMD");
    if (forced && strcmp(forced, "avx2") == 0) return HNAS_CK_PATH_AVX2;
    return hnas_ck_avx512_available() ? HNAS_CK_PATH_AVX512 : HNAS_CK_PATH_AVX2;
}

hnas_ck_path hnas_ck_current_path(void) {
    int p = ck_path;
    if (p < 0) {
        p = ck_choose();
        ck_path = p;
    }
    return (hnas_ck_path)p;
}

hnas_ck_path hnas_ck_set_path(hnas_ck_path path) {
    ck_path = (path == HNAS_CK_PATH_AVX512 && hnas_ck_avx512_available()) ? HNAS_CK_PATH_AVX512 : HNAS_CK_PATH_AVX2;
    return (hnas_ck_path)ck_path;
}

void hnas_ck_mish_forward(const float *x, float *y, long n) {
    if (hnas_ck_current_path() == HNAS_CK_PATH_AVX512) hnas_ck_avx512_mish_forward(x, y, n);
    else hnas_ck_avx2_mish_forward(x, y, n);
}

void hnas_ck_mish_backward(const float *g, const float *x, float *dx, long n) {
    if (hnas_ck_current_path() == HNAS_CK_PATH_AVX512) hnas_ck_avx512_mish_backward(g, x, dx, n);
    else hnas_ck_avx2_mish_backward(g, x, dx, n);
}

void hnas_ck_sigmoid(const float *x, float *y, long n) {
    if (hnas_ck_current_path() == HNAS_CK_PATH_AVX512) hnas_ck_avx512_sigmoid(x, y, n);
    else hnas_ck_avx2_sigmoid(x, y, n);
}

void hnas_ck_dropout(const float *x, float *y, long n, uint32_t first, uint64_t key, float p, float scale) {
    if (hnas_ck_current_path() == HNAS_CK_PATH_AVX512) hnas_ck_avx512_dropout(x, y, n, first, key, p, scale);
    else hnas_ck_avx2_dropout(x, y, n, first, key, p, scale);
}

int hnas_ck_depthwise_rows(const float *source, long sourceRowLength, long rowStride, const long *columnOffsets,
                           const float *weights, long kernelHeight, long kernelWidth, int accumulate, float initial,
                           float *output, long rows, long blockRows, long outputRowLength, long firstRow, long endRow) {
    if (hnas_ck_current_path() == HNAS_CK_PATH_AVX512)
        return hnas_ck_avx512_depthwise_rows(source, sourceRowLength, rowStride, columnOffsets, weights, kernelHeight,
                                             kernelWidth, accumulate, initial, output, rows, blockRows, outputRowLength, firstRow,
                                             endRow);
    return hnas_ck_avx2_depthwise_rows(source, sourceRowLength, rowStride, columnOffsets, weights, kernelHeight,
                                       kernelWidth, accumulate, initial, output, rows, blockRows, outputRowLength, firstRow,
                                       endRow);
}

int hnas_ck_depthwise_plane(const float *source, long sourceRowLength, long rowStride, const long *columnOffsets,
                            const float *weights, long kernelHeight, long kernelWidth, float initial,
                            const hnas_ck_epilogue *epilogue, float *output, long outputHeight, long outputWidth, long rows,
                            long blockRows, long firstRow, long endRow) {
    if (hnas_ck_current_path() == HNAS_CK_PATH_AVX512)
        return hnas_ck_avx512_depthwise_plane(source, sourceRowLength, rowStride, columnOffsets, weights, kernelHeight,
                                              kernelWidth, initial, epilogue, output, outputHeight, outputWidth, rows, blockRows,
                                              firstRow, endRow);
    return hnas_ck_avx2_depthwise_plane(source, sourceRowLength, rowStride, columnOffsets, weights, kernelHeight, kernelWidth,
                                        initial, epilogue, output, outputHeight, outputWidth, rows, blockRows, firstRow, endRow);
}

int hnas_ck_pointwise_product(const float *w, long lda, const float *x, long ldx, const float *inputScale, float *y, long ldy,
                              const float *residual, long m, long n, long k, const hnas_ck_epilogue *e) {
    if (hnas_ck_current_path() == HNAS_CK_PATH_AVX512)
        return hnas_ck_avx512_pointwise_product(w, lda, x, ldx, inputScale, y, ldy, residual, m, n, k, e);
    return hnas_ck_avx2_pointwise_product(w, lda, x, ldx, inputScale, y, ldy, residual, m, n, k, e);
}

float hnas_ck_fma_chains(long iterations) {
    if (hnas_ck_current_path() == HNAS_CK_PATH_AVX512) return hnas_ck_avx512_fma_chains(iterations);
    return hnas_ck_avx2_fma_chains(iterations);
}

int hnas_ck_lanes_gather(const float *planes, long height, long width, long planeStride, long padTop, long padLeft,
                         long blockWidth, float *block, long prefetchDistance) {
#if defined(__x86_64__)
    if (hnas_ck_current_path() == HNAS_CK_PATH_AVX512)
        return hnas_ck_avx512_lanes_gather(planes, height, width, planeStride, padTop, padLeft, blockWidth, block,
                                           prefetchDistance);
#endif
    return 0;
}

int hnas_ck_lanes_correlate(const float *source, long sourceWidth, long stride, const float *weights, long kernelHeight,
                            long kernelWidth, const float *initial, float *output, long outputRowStep,
                            long outputColumnStep, long rows, long cols, long firstRow, long endRow) {
#if defined(__x86_64__)
    if (hnas_ck_current_path() == HNAS_CK_PATH_AVX512)
        return hnas_ck_avx512_lanes_correlate(source, sourceWidth, stride, weights, kernelHeight, kernelWidth, initial, output,
                                              outputRowStep, outputColumnStep, rows, cols, firstRow, endRow);
#endif
    return 0;
}

int hnas_ck_lanes_scatter(const float *block, long positions, long planeStride, float *planes, long prefetchDistance) {
#if defined(__x86_64__)
    if (hnas_ck_current_path() == HNAS_CK_PATH_AVX512)
        return hnas_ck_avx512_lanes_scatter(block, positions, planeStride, planes, prefetchDistance);
#endif
    return 0;
}

int hnas_ck_depthwise_lanes_weight(const float *input, long inputSampleStride, const float *gradOutput,
                                   long gradientSampleStride, long samples, long inputHeight, long inputWidth, long padTop,
                                   long padLeft, long outputHeight, long outputWidth, long kernelHeight, long kernelWidth,
                                   float *inputBlock, long blockWidth, float *gradientBlock, float *sums) {
#if defined(__x86_64__)
    if (hnas_ck_current_path() == HNAS_CK_PATH_AVX512)
        return hnas_ck_avx512_depthwise_lanes_weight(input, inputSampleStride, gradOutput, gradientSampleStride, samples,
                                                     inputHeight, inputWidth, padTop, padLeft, outputHeight, outputWidth,
                                                     kernelHeight, kernelWidth, inputBlock, blockWidth, gradientBlock, sums);
#endif
    return 0;
}

int hnas_ck_depthwise_lanes_tap_sums(const float *input, long inputSampleStride, const float *gradOutput,
                                     long gradientSampleStride, long samples, long inputHeight, long inputWidth, long padTop,
                                     long padLeft, long stride, long outputHeight, long outputWidth, long kernelHeight,
                                     long kernelWidth, long split, float *inputBlock, long blockWidth, float *gradientBlock,
                                     float *sums) {
#if defined(__x86_64__)
    if (hnas_ck_current_path() == HNAS_CK_PATH_AVX512)
        return hnas_ck_avx512_depthwise_lanes_tap_sums(input, inputSampleStride, gradOutput, gradientSampleStride, samples,
                                                       inputHeight, inputWidth, padTop, padLeft, stride, outputHeight,
                                                       outputWidth, kernelHeight, kernelWidth, split, inputBlock, blockWidth,
                                                       gradientBlock, sums);
#endif
    return 0;
}
