// The depthwise convolution of small planes with 16 channels in the vector lanes, AVX-512 only; included by
// KernelsAVX512.c. On planes of at most 8 columns (7×7, the last MobileNet stage) the row loop fills half
// an 8-lane vector at best and a 16-lane one not at all; here every lane is a channel, so every FMA is
// whole. The source is a zero-padded block [rows + KH − 1][sourceWidth][16]; each output element gets the
// FMAs of the row loop in the same order (kernel column by column, rows skipped outside [firstRow,
// endRow), padding columns multiplied in as zeros), so the bits are the same as the row loop's.

/// Output rows of `cols` (constant) positions, 16 channels each: out[oy][ox][lane] = initial[lane] +
/// Σ_kx Σ_ky w[ky][kx][lane] · src[oy + ky][ox + kx][lane].
static inline __attribute__((always_inline)) void CK_NAME(depthwise_lanes_fixed)(
    const float *source, long sourceWidth, const float *weights, long kernelHeight, long kernelWidth,
    const float *initial, float *output, long rows, long firstRow, long endRow, const int cols) {
    const __m512 start = _mm512_loadu_ps(initial);
    for (long oy = 0; oy < rows; oy++) {
        __m512 acc[8];
#pragma clang loop unroll(full)
        for (int ox = 0; ox < cols; ox++) acc[ox] = start;
        for (long kx = 0; kx < kernelWidth; kx++) {
            for (long ky = 0; ky < kernelHeight; ky++) {
                if (oy + ky < firstRow || oy + ky >= endRow) continue;  // a padding row: all zeros
                const __m512 w = _mm512_loadu_ps(weights + (ky * kernelWidth + kx) * 16);
                const float *p = source + ((oy + ky) * sourceWidth + kx) * 16;
#pragma clang loop unroll(full)
                for (int ox = 0; ox < cols; ox++) acc[ox] = _mm512_fmadd_ps(w, _mm512_loadu_ps(p + ox * 16), acc[ox]);
            }
        }
#pragma clang loop unroll(full)
        for (int ox = 0; ox < cols; ox++) _mm512_storeu_ps(output + (oy * cols + ox) * 16, acc[ox]);
    }
}

/// Lane l's offset into 16 planes `planeStride` apart: l · planeStride (gather and scatter indices).
static inline __m512i CK_NAME(lane_offsets)(long planeStride) {
    return _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                              _mm512_set1_epi32((int)planeStride));
}

/// Gathers 16 planes (`planeStride` apart, height × width) into rows padTop.. and columns padLeft.. of the
/// channel-minor block [..][blockWidth][16], whose padding the caller zeroed.
static inline void CK_NAME(lanes_gather)(const float *planes, long height, long width, long planeStride, long padTop,
                                         long padLeft, long blockWidth, float *block) {
    const __m512i offsets = CK_NAME(lane_offsets)(planeStride);
    for (long y = 0; y < height; y++) {
        for (long x = 0; x < width; x++) {
            _mm512_storeu_ps(block + ((y + padTop) * blockWidth + x + padLeft) * 16,
                             _mm512_i32gather_ps(offsets, planes + y * width + x, 4));
        }
    }
}

int CK_NAME(depthwise_lanes)(const float *input, long inputHeight, long inputWidth, long planeStride, long padTop,
                             long padLeft, float *block, const float *weights, long kernelHeight, long kernelWidth,
                             const float *initial, float *result, float *output, long rows, long cols) {
    if (cols < 1 || cols > 8) return 0;
    const long blockWidth = cols + kernelWidth - 1;
    CK_NAME(lanes_gather)(input, inputHeight, inputWidth, planeStride, padTop, padLeft, blockWidth, block);
#define CK_LANES_CASE(C) \
    case C: CK_NAME(depthwise_lanes_fixed)(block, blockWidth, weights, kernelHeight, kernelWidth, initial, result, rows, padTop, padTop + inputHeight, C); break;
    switch (cols) {
        CK_LANES_CASE(1)
        CK_LANES_CASE(2)
        CK_LANES_CASE(3)
        CK_LANES_CASE(4)
        CK_LANES_CASE(5)
        CK_LANES_CASE(6)
        CK_LANES_CASE(7)
        CK_LANES_CASE(8)
    }
#undef CK_LANES_CASE
    // Back to the 16 output planes (lane l to plane l), one position at a time.
    const long outputPlane = rows * cols;
    const __m512i outPlanes = CK_NAME(lane_offsets)(outputPlane);
    for (long position = 0; position < outputPlane; position++) {
        _mm512_i32scatter_ps(output + position, outPlanes, _mm512_loadu_ps(result + position * 16), 4);
    }
    return 1;
}

int CK_NAME(depthwise_lanes_weight)(const float *input, long inputSampleStride, const float *gradOutput,
                                    long gradientSampleStride, long samples, long inputHeight, long inputWidth, long padTop, long padLeft, long outputHeight,
                                    long outputWidth, long kernelHeight, long kernelWidth, float *inputBlock,
                                    float *gradientBlock, float *sums) {
    if (kernelWidth < 1 || kernelWidth > 8) return 0;
    // Each sum gets the row loop's FMAs in its order (`DepthwiseConv.backwardWeightByCorrelation` with the
    // output gradient's rows as taps): sample by sample, output-gradient column by column, row by row.
    const long blockWidth = outputWidth + kernelWidth - 1;
    for (long i = 0; i < kernelHeight * kernelWidth * 16; i++) sums[i] = 0;
    for (long s = 0; s < samples; s++) {
        CK_NAME(lanes_gather)(input + s * inputSampleStride, inputHeight, inputWidth, inputHeight * inputWidth, padTop,
                              padLeft, blockWidth, inputBlock);
        CK_NAME(lanes_gather)(gradOutput + s * gradientSampleStride, outputHeight, outputWidth, outputHeight * outputWidth, 0, 0, outputWidth, gradientBlock);
        for (long ky = 0; ky < kernelHeight; ky++) {
            __m512 acc[8];
            for (long kx = 0; kx < kernelWidth; kx++) acc[kx] = _mm512_loadu_ps(sums + (ky * kernelWidth + kx) * 16);
            for (long ox = 0; ox < outputWidth; ox++) {
                for (long oy = 0; oy < outputHeight; oy++) {
                    if (oy + ky < padTop || oy + ky >= padTop + inputHeight) continue;  // a padding row: all zeros
                    const __m512 d = _mm512_loadu_ps(gradientBlock + (oy * outputWidth + ox) * 16);
                    const float *p = inputBlock + ((oy + ky) * blockWidth + ox) * 16;
#pragma clang loop unroll(full)
                    for (int kx = 0; kx < 8; kx++) {
                        if (kx < kernelWidth) acc[kx] = _mm512_fmadd_ps(d, _mm512_loadu_ps(p + kx * 16), acc[kx]);
                    }
                }
            }
            for (long kx = 0; kx < kernelWidth; kx++) _mm512_storeu_ps(sums + (ky * kernelWidth + kx) * 16, acc[kx]);
        }
    }
    return 1;
}
