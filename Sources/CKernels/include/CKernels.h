// CKernels: the tensor engine's hottest element-wise kernels and the depthwise convolution's block loop
// in C, compiled once per instruction set (AVX2+FMA and AVX-512) with per-function target attributes and chosen at run time from CPUID, so one
// binary uses AVX-512 where the CPU has it and still runs on AVX2-only CPUs. Owned by HNASEngine;
// nothing else calls it.
#ifndef HNAS_CKERNELS_H
#define HNAS_CKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The instruction-set paths a kernel call can take.
typedef enum {
    HNAS_CK_PATH_AVX2 = 0,   ///< 8 lanes: AVX2 + FMA (x86-64-v3)
    HNAS_CK_PATH_AVX512 = 1  ///< 16 lanes: AVX-512 F/BW/DQ/VL
} hnas_ck_path;

/// Whether this CPU and OS can run the AVX-512 path (CPUID feature bits and XCR0 ZMM state).
int hnas_ck_avx512_available(void);

/// Whether this CPU and OS can run AVX2 + FMA code (CPUID feature bits and XCR0 YMM state); 0 off x86-64.
int hnas_ck_avx2_fma_available(void);

/// The path kernels take now. Chosen on first use: AVX-512 when available unless the environment
/// variable HNAS_SIMD is "avx2".
hnas_ck_path hnas_ck_current_path(void);

/// Forces a path (tests compare the two). Returns the path actually set: AVX-512 is only taken when available.
hnas_ck_path hnas_ck_set_path(hnas_ck_path path);

/// `y[i] = mish(x[i]) = x·tanh(softplus(x))` for i < n (in place allowed).
void hnas_ck_mish_forward(const float *x, float *y, long n);

/// `dx[i] = g[i]·mish'(x[i])` for i < n (in place over g allowed).
void hnas_ck_mish_backward(const float *g, const float *x, float *dx, long n);

/// `y[i] = 1/(1 + e^−x[i])` for i < n (in place allowed).
void hnas_ck_sigmoid(const float *x, float *y, long n);

/// Inverted dropout with a counter-based mask: `y[i] = x[i]·m(first + i)` with
/// `m(j) = scale` when the 24-bit uniform `u(key, j) >= p` and 0 otherwise. `u` depends only on the key and
/// the element's index j in the whole tensor, so any split of the tensor gives the same mask, and the
/// backward pass regenerates it instead of storing it.
void hnas_ck_dropout(const float *x, float *y, long n, uint32_t first, uint64_t key, float p, float scale);

/// One channel plane of a depthwise correlation whose taps form a kernelHeight × kernelWidth grid:
/// `output[r][x] = a + Σ_kx Σ_ky weights[ky·kernelWidth + kx] · source[(rowStride·r + ky)·sourceRowLength
/// + columnOffsets[kx] + x]` for r < rows and x < outputRowLength (a multiple of 8), output rows
/// outputRowLength apart, summed in that order (kernel column by column), where a is the output's current
/// value when accumulate is nonzero and initial otherwise. Source rows outside
/// [firstRow, endRow) must be zero and are skipped. Blocks of blockRows (7 or 8, dividing rows) rows.
/// Returns 0 without touching the output when the shape is not handled: kernelHeight above 8, rowStride
/// other than 1 or 2, or blockRows not 7 or 8 or not dividing rows.
int hnas_ck_depthwise_rows(const float *source, long sourceRowLength, long rowStride, const long *columnOffsets,
                           const float *weights, long kernelHeight, long kernelWidth, int accumulate, float initial,
                           float *output, long rows, long blockRows, long outputRowLength, long firstRow, long endRow);

/// The piecewise-linear activations an epilogue applies, computed as `PiecewiseActivation` computes them.
typedef enum {
    HNAS_CK_IDENTITY = 0,
    HNAS_CK_RELU = 1,
    HNAS_CK_RELU6 = 2,
    HNAS_CK_HARD_SWISH = 3,
    HNAS_CK_HARD_SIGMOID = 4
} hnas_ck_activation;

/// What goes onto output row r of a product before it is stored: `v + bias[r]` (when bias is given), then
/// `v·scale[r] + shift[r]` (when scale is given; shift then too), then the activation. The affine map is
/// rounded as `Vector.scaleShift` rounds it: once (a fused multiply-add) except in the last n mod 8 columns,
/// where the product and the sum are rounded each.
typedef struct {
    const float *bias;
    const float *scale;
    const float *shift;
    hnas_ck_activation activation;
} hnas_ck_epilogue;

/// `hnas_ck_depthwise_rows` from the initial value (rows: the padded rows, a multiple of blockRows), each
/// output vector stored straight into the dense `outputHeight × outputWidth` plane at `output` (only its rows
/// and columns) through `epilogue` (for row 0: its bias, affine map and activation; none when null), the
/// affine map rounded as `Vector.scaleShift` rounds it on the whole plane (a product then a sum on the plane's
/// last n mod 8 positions, fused before): the bits of the padded output cropped and then the epilogue applied.
/// Returns 0 without touching the output where `hnas_ck_depthwise_rows` would, or when rows is not
/// outputHeight rounded up to blockRows.
int hnas_ck_depthwise_plane(const float *source, long sourceRowLength, long rowStride, const long *columnOffsets,
                            const float *weights, long kernelHeight, long kernelWidth, float initial,
                            const hnas_ck_epilogue *epilogue, float *output, long outputHeight, long outputWidth, long rows,
                            long blockRows, long firstRow, long endRow);

/// The product of a 1×1 convolution's forward pass: `y[i·ldy + j]` (overwritten) = Σ_kk `w[i·lda + kk] ·
/// x'[kk][j]` for i < m, j < n, where x'[kk][j] = `x[kk·ldx + j]`, or, with `inputScale`, `x[kk·ldx + j] ·
/// inputScale[kk]` rounded first (the bits of a squeeze-and-excitation's channel scaling computed before the
/// convolution); each sum a chain of fused multiply-adds from 0 in kk order (so every path, tiling and cut of
/// the columns gives the same bits), then the epilogue `e` of row i when `e` is not null, then, with
/// `residual`, `+ residual[i·ldy + j]` (a shortcut added to the block's output), reading every operand in place.
/// Returns 0 without touching y when n is below 16 (a vector of the AVX-512 path; the choice must not depend
/// on the path).
int hnas_ck_pointwise_product(const float *w, long lda, const float *x, long ldx, const float *inputScale, float *y, long ldy,
                              const float *residual, long m, long n, long k, const hnas_ck_epilogue *e);

/// `iterations` rounds of twelve independent chains of vector FMAs on the current path (12 × 16 multiply-adds
/// per round on AVX-512, 12 × 8 on AVX2), nothing else: timed, the core's multiply-add peak. Returns a value
/// depending on every chain.
float hnas_ck_fma_chains(long iterations);

/// The depthwise convolution with 16 channels in the vector lanes, on the AVX-512 path, in three steps (each
/// returns 0 without touching anything on the AVX2 path):
///
/// `hnas_ck_lanes_gather` copies 16 planes at `planes` (`planeStride` apart, height × width) into rows padTop..
/// and columns padLeft.. of the channel-minor `block` ([..][blockWidth][16]), whose padding the caller zeroed.
/// With a nonzero `prefetchDistance` it also prefetches the planes that many floats further on (the next
/// gather's), line by line as it reads these.
int hnas_ck_lanes_gather(const float *planes, long height, long width, long planeStride, long padTop, long padLeft,
                         long blockWidth, float *block, long prefetchDistance);

/// `hnas_ck_lanes_correlate` computes, for oy < rows and ox < cols (at most 8),
/// `output[(oy·outputRowStep + ox·outputColumnStep)·16 + l] = initial[l] + Σ_kx Σ_ky
/// weights[(ky·kernelWidth + kx)·16 + l] · source[((oy·stride + ky)·sourceWidth + ox·stride + kx)·16 + l]`
/// at stride 1 or 2, summed in the order of `hnas_ck_depthwise_rows` (kernel column by column; source rows
/// oy·stride + ky outside [firstRow, endRow) are zero and skipped, padding columns multiplied in as zeros),
/// so the bits are the same. Returns 0 for other strides or more than 8 columns.
int hnas_ck_lanes_correlate(const float *source, long sourceWidth, long stride, const float *weights, long kernelHeight,
                            long kernelWidth, const float *initial, float *output, long outputRowStep,
                            long outputColumnStep, long rows, long cols, long firstRow, long endRow);

/// `hnas_ck_lanes_scatter` copies `positions` channel-minor positions of `block` back to 16 planes at
/// `planes`, `planeStride` apart (lane l to plane l), prefetching for writing the planes `prefetchDistance`
/// floats further on when that is nonzero.
int hnas_ck_lanes_scatter(const float *block, long positions, long planeStride, float *planes, long prefetchDistance);

/// The weight gradient of a stride-1 depthwise convolution for 16 consecutive channels, channels in the
/// AVX-512 lanes: `sums[ky][kx][l]` (overwritten) = Σ over the samples (input planes `inputSampleStride`
/// apart per sample, output-gradient planes `gradientSampleStride` apart) of the correlation of the padded
/// input with the output gradient, summed as `DepthwiseConv`'s correlation (sample by sample, output-gradient
/// column by column, then row by row; padding rows skipped), so the bits are the same. `inputBlock`
/// ([outputHeight + kernelHeight − 1][blockWidth ≥ outputWidth + kernelWidth − 1][16], padding zeroed by the
/// caller) and
/// `gradientBlock` ([outputHeight][outputWidth][16]) are scratch. Returns 0 on the AVX2 path or for kernels
/// wider than 8.
int hnas_ck_depthwise_lanes_weight(const float *input, long inputSampleStride, const float *gradOutput,
                                   long gradientSampleStride, long samples, long inputHeight, long inputWidth, long padTop,
                                   long padLeft, long outputHeight, long outputWidth, long kernelHeight, long kernelWidth,
                                   float *inputBlock, long blockWidth, float *gradientBlock, float *sums);

/// The weight gradient of a depthwise convolution at stride 1 or 2 for 16 consecutive channels, as
/// `DepthwiseConv`'s tap sums, channels in the AVX-512 lanes: `sums[t][ox][l]` (overwritten; t = ky·kernelWidth
/// + kx, ox < 8, columns from outputWidth on left zero) = Σ over the samples (planes as in
/// `hnas_ck_depthwise_lanes_weight`) and output rows oy of gradOutput[oy][ox] · padded input[oy·stride +
/// ky][ox·stride + kx], summed sample by sample and row by row; taps t ≥ `split` sum each sample's even and
/// odd rows apart and add the two (the order of `SIMDCorrelation.accumulateTapSums`, lane ox being its lane
/// ox), so the bits are the same. `inputBlock` (blockWidth columns, padding zeroed by the caller) and
/// `gradientBlock` ([outputHeight][outputWidth][16]) are scratch. Returns 0 on the AVX2 path, for more than
/// 8 output columns or other strides.
int hnas_ck_depthwise_lanes_tap_sums(const float *input, long inputSampleStride, const float *gradOutput,
                                     long gradientSampleStride, long samples, long inputHeight, long inputWidth, long padTop,
                                     long padLeft, long stride, long outputHeight, long outputWidth, long kernelHeight,
                                     long kernelWidth, long split, float *inputBlock, long blockWidth, float *gradientBlock,
                                     float *sums);

#ifdef __cplusplus
}
#endif

#endif
