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

int CK_NAME(depthwise_lanes)(const float *input, long inputHeight, long inputWidth, long planeStride, long padTop,
                             long padLeft, float *block, const float *weights, long kernelHeight, long kernelWidth,
                             const float *initial, float *result, float *output, long rows, long cols) {
    if (cols < 1 || cols > 8) return 0;
    const long blockWidth = cols + kernelWidth - 1;
    // The 16 planes' values at one position, gathered (lane l from plane l), into the padded block.
    const __m512i planes = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                              _mm512_set1_epi32((int)planeStride));
    for (long y = 0; y < inputHeight; y++) {
        for (long x = 0; x < inputWidth; x++) {
            const __m512 v = _mm512_i32gather_ps(planes, input + y * inputWidth + x, 4);
            _mm512_storeu_ps(block + ((y + padTop) * blockWidth + x + padLeft) * 16, v);
        }
    }
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
    const __m512i outPlanes = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                                 _mm512_set1_epi32((int)outputPlane));
    for (long position = 0; position < outputPlane; position++) {
        _mm512_i32scatter_ps(output + position, outPlanes, _mm512_loadu_ps(result + position * 16), 4);
    }
    return 1;
}
