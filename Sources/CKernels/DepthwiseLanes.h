// The depthwise convolution of small planes with 16 channels in the vector lanes, AVX-512 only; included by
// KernelsAVX512.c. On planes of at most 8 output columns (7×7, the last MobileNet stage, and the stride-2
// layers leading into it) the row loop fills half an 8-lane vector at best and a 16-lane one not at all;
// here every lane is a channel, so every FMA is whole. The source is a zero-padded channel-minor block
// [..][sourceWidth][16]; each output element gets the FMAs of the row loop in the same order (kernel column
// by column, rows skipped outside [firstRow, endRow), padding columns multiplied in as zeros), so the bits
// are the same as the row loop's.

/// R (constant) output rows from oy of `cols` (constant) positions at stride S (constant), 16 channels each:
/// out[oy][ox][lane] = initial[lane] + Σ_kx Σ_ky w[ky][kx][lane] · src[oy·S + ky][ox·S + kx][lane], output
/// position (oy, ox) at (oy·outputRowStep + ox·outputColumnStep)·16. Each source row's vectors, loaded once,
/// feed every output row of the R that they reach; each output still gets its FMAs kernel column by kernel
/// column, rows in order.
static inline __attribute__((always_inline)) void CK_NAME(lanes_correlate_rows)(
    const float *source, long sourceWidth, const float *weights, long kernelHeight, long kernelWidth,
    const __m512 start, float *output, long outputRowStep, long outputColumnStep, long oy, long firstRow, long endRow,
    const int R, const int S, const int cols) {
    __m512 acc[2][8];
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
        for (int ox = 0; ox < cols; ox++) acc[r][ox] = start;
    }
    for (long kx = 0; kx < kernelWidth; kx++) {
        for (long iy = 0; iy < S * (R - 1) + kernelHeight; iy++) {
            const long row = oy * S + iy;
            if (row < firstRow || row >= endRow) continue;  // a padding row: all zeros
            const float *p = source + (row * sourceWidth + kx) * 16;
            __m512 v[8];
#pragma clang loop unroll(full)
            for (int ox = 0; ox < cols; ox++) v[ox] = _mm512_loadu_ps(p + ox * S * 16);
#pragma clang loop unroll(full)
            for (int r = 0; r < R; r++) {
                const long ky = iy - r * S;
                if (ky < 0 || ky >= kernelHeight) continue;
                const __m512 w = _mm512_loadu_ps(weights + (ky * kernelWidth + kx) * 16);
#pragma clang loop unroll(full)
                for (int ox = 0; ox < cols; ox++) acc[r][ox] = _mm512_fmadd_ps(w, v[ox], acc[r][ox]);
            }
        }
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
        for (int ox = 0; ox < cols; ox++)
            _mm512_storeu_ps(output + ((oy + r) * outputRowStep + ox * outputColumnStep) * 16, acc[r][ox]);
    }
}

/// All `rows` output rows of `lanes_correlate_rows`, two at a time.
static inline __attribute__((always_inline)) void CK_NAME(lanes_correlate_fixed)(
    const float *source, long sourceWidth, const float *weights, long kernelHeight, long kernelWidth,
    const float *initial, float *output, long outputRowStep, long outputColumnStep, long rows, long firstRow,
    long endRow, const int S, const int cols) {
    const __m512 start = _mm512_loadu_ps(initial);
    long oy = 0;
    for (; oy + 2 <= rows; oy += 2)
        CK_NAME(lanes_correlate_rows)(source, sourceWidth, weights, kernelHeight, kernelWidth, start, output, outputRowStep,
                                      outputColumnStep, oy, firstRow, endRow, 2, S, cols);
    if (oy < rows)
        CK_NAME(lanes_correlate_rows)(source, sourceWidth, weights, kernelHeight, kernelWidth, start, output, outputRowStep,
                                      outputColumnStep, oy, firstRow, endRow, 1, S, cols);
}

/// Transposes the 16 × 16 matrix whose rows are r[0..15], in place (r[i][j] ↔ r[j][i]): two rounds of
/// element and pair interleaves within 128-bit lanes, then two of 128-bit lane shuffles; 64 shuffles in all,
/// against 256 single-element transfers for 16 gathers or scatters.
static inline __attribute__((always_inline)) void CK_NAME(transpose16)(__m512 r[16]) {
    __m512 t[16];
#pragma clang loop unroll(full)
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);      // per 128-bit lane k: r_i[4k], r_i+1[4k], r_i[4k+1], r_i+1[4k+1]
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);  // the same for 4k+2, 4k+3
    }
    __m512 q[16];  // q[4g + j], lane k: column 4k + j of rows 4g..4g+3
#pragma clang loop unroll(full)
    for (int g = 0; g < 4; g++) {
        const __m512d a = _mm512_castps_pd(t[4 * g]), b = _mm512_castps_pd(t[4 * g + 1]);
        const __m512d c = _mm512_castps_pd(t[4 * g + 2]), d = _mm512_castps_pd(t[4 * g + 3]);
        q[4 * g] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
        q[4 * g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
        q[4 * g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
        q[4 * g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
    }
#pragma clang loop unroll(full)
    for (int j = 0; j < 4; j++) {
        // Lanes 0, 2 and 1, 3 of row groups 0 and 1, then of 2 and 3; then lane k of all four groups.
        const __m512 u = _mm512_shuffle_f32x4(q[j], q[4 + j], 0x88), v = _mm512_shuffle_f32x4(q[j], q[4 + j], 0xdd);
        const __m512 w = _mm512_shuffle_f32x4(q[8 + j], q[12 + j], 0x88), x = _mm512_shuffle_f32x4(q[8 + j], q[12 + j], 0xdd);
        r[j] = _mm512_shuffle_f32x4(u, w, 0x88);
        r[8 + j] = _mm512_shuffle_f32x4(u, w, 0xdd);
        r[4 + j] = _mm512_shuffle_f32x4(v, x, 0x88);
        r[12 + j] = _mm512_shuffle_f32x4(v, x, 0xdd);
    }
}

int CK_NAME(lanes_gather)(const float *planes, long height, long width, long planeStride, long padTop, long padLeft,
                          long blockWidth, float *block, long prefetchDistance) {
    // 16 positions at a time (a plane is contiguous): one row of 16 per channel, transposed to one vector
    // of 16 channels per position. Each plane is a short run (a few cache lines), too short for the
    // hardware prefetcher to pick up, so the same lines of the next gather's planes are asked for ahead.
    const long positions = height * width;
    long y = 0, x = 0;
    for (long first = 0; first < positions; first += 16) {
        const long count = positions - first < 16 ? positions - first : 16;
        const __mmask16 mask = (__mmask16)((1u << count) - 1);
        __m512 r[16];
#pragma clang loop unroll(full)
        for (int c = 0; c < 16; c++) r[c] = _mm512_maskz_loadu_ps(mask, planes + c * planeStride + first);
        if (prefetchDistance != 0) {
#pragma clang loop unroll(full)
            for (int c = 0; c < 16; c++) _mm_prefetch((const char *)(planes + c * planeStride + first + prefetchDistance), _MM_HINT_T0);
        }
        CK_NAME(transpose16)(r);
        for (long i = 0; i < count; i++) {
            _mm512_storeu_ps(block + ((y + padTop) * blockWidth + x + padLeft) * 16, r[i]);
            if (++x == width) { x = 0; y++; }
        }
    }
    return 1;
}

int CK_NAME(lanes_correlate)(const float *source, long sourceWidth, long stride, const float *weights,
                             long kernelHeight, long kernelWidth, const float *initial, float *output,
                             long outputRowStep, long outputColumnStep, long rows, long cols, long firstRow, long endRow) {
    if (cols < 1 || cols > 8 || stride < 1 || stride > 2) return 0;
#define CK_LANES_CASE(C)                                                                                            \
    case C:                                                                                                         \
        if (stride == 1)                                                                                            \
            CK_NAME(lanes_correlate_fixed)(source, sourceWidth, weights, kernelHeight, kernelWidth, initial, output, \
                                           outputRowStep, outputColumnStep, rows, firstRow, endRow, 1, C);           \
        else                                                                                                        \
            CK_NAME(lanes_correlate_fixed)(source, sourceWidth, weights, kernelHeight, kernelWidth, initial, output, \
                                           outputRowStep, outputColumnStep, rows, firstRow, endRow, 2, C);           \
        break;
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
    return 1;
}

int CK_NAME(lanes_scatter)(const float *block, long positions, long planeStride, float *planes, long prefetchDistance) {
    // 16 positions at a time: their channel vectors transposed to one row of 16 positions per channel; the
    // same lines of the next scatter's planes are asked for ahead, to be written (as in `lanes_gather`).
    for (long first = 0; first < positions; first += 16) {
        const long count = positions - first < 16 ? positions - first : 16;
        const __mmask16 mask = (__mmask16)((1u << count) - 1);
        __m512 r[16];
#pragma clang loop unroll(full)
        for (int i = 0; i < 16; i++) r[i] = i < count ? _mm512_loadu_ps(block + (first + i) * 16) : _mm512_setzero_ps();
        CK_NAME(transpose16)(r);
#pragma clang loop unroll(full)
        for (int c = 0; c < 16; c++) _mm512_mask_storeu_ps(planes + c * planeStride + first, mask, r[c]);
        if (prefetchDistance != 0) {
#pragma clang loop unroll(full)
            for (int c = 0; c < 16; c++) __builtin_prefetch(planes + c * planeStride + first + prefetchDistance, 1, 3);
        }
    }
    return 1;
}

int CK_NAME(depthwise_lanes_weight)(const float *input, long inputSampleStride, const float *gradOutput,
                                    long gradientSampleStride, long samples, long inputHeight, long inputWidth, long padTop, long padLeft, long outputHeight,
                                    long outputWidth, long kernelHeight, long kernelWidth, float *inputBlock,
                                    long blockWidth, float *gradientBlock, float *sums) {
    if (kernelWidth < 1 || kernelWidth > 8) return 0;
    // Each sum gets the row loop's FMAs in its order (`DepthwiseConv.backwardWeightByCorrelation` with the
    // output gradient's rows as taps, 8 at a time): sample by sample, chunk of 8 output-gradient rows by
    // chunk, column by column, row by row.
    for (long i = 0; i < kernelHeight * kernelWidth * 16; i++) sums[i] = 0;
    for (long s = 0; s < samples; s++) {
        CK_NAME(lanes_gather)(input + s * inputSampleStride, inputHeight, inputWidth, inputHeight * inputWidth, padTop,
                              padLeft, blockWidth, inputBlock, inputSampleStride);
        CK_NAME(lanes_gather)(gradOutput + s * gradientSampleStride, outputHeight, outputWidth, outputHeight * outputWidth, 0, 0,
                              outputWidth, gradientBlock, gradientSampleStride);
        for (long ky = 0; ky < kernelHeight; ky++) {
            __m512 acc[8];
            for (long kx = 0; kx < kernelWidth; kx++) acc[kx] = _mm512_loadu_ps(sums + (ky * kernelWidth + kx) * 16);
            for (long first = 0; first < outputHeight; first += 8) {
                const long end = first + 8 < outputHeight ? first + 8 : outputHeight;
                for (long ox = 0; ox < outputWidth; ox++) {
                    for (long oy = first; oy < end; oy++) {
                        if (oy + ky < padTop || oy + ky >= padTop + inputHeight) continue;  // a padding row: all zeros
                        const __m512 d = _mm512_loadu_ps(gradientBlock + (oy * outputWidth + ox) * 16);
                        const float *p = inputBlock + ((oy + ky) * blockWidth + ox) * 16;
#pragma clang loop unroll(full)
                        for (int kx = 0; kx < 8; kx++) {
                            if (kx < kernelWidth) acc[kx] = _mm512_fmadd_ps(d, _mm512_loadu_ps(p + kx * 16), acc[kx]);
                        }
                    }
                }
            }
            for (long kx = 0; kx < kernelWidth; kx++) _mm512_storeu_ps(sums + (ky * kernelWidth + kx) * 16, acc[kx]);
        }
    }
    return 1;
}

/// One sample's tap sums for `cols` (constant) output columns: for every tap t = ky·kernelWidth + kx and column
/// ox, sums[t][ox][lane] += Σ_oy gradient[oy][ox][lane] · source[oy·stride + ky][ox·stride + kx][lane], rows in
/// order; taps from `split` on sum even and odd rows apart and add the two at the end (the row loop's order).
static inline __attribute__((always_inline)) void CK_NAME(lanes_tap_sums_fixed)(
    const float *source, long sourceWidth, long stride, const float *gradient, long rows, long kernelHeight,
    long kernelWidth, long split, float *sums, const int cols) {
    for (long t = 0; t < kernelHeight * kernelWidth; t++) {
        const long ky = t / kernelWidth, kx = t % kernelWidth;
        float *s = sums + t * 8 * 16;
        __m512 acc[8], odd[8];
#pragma clang loop unroll(full)
        for (int ox = 0; ox < cols; ox++) { acc[ox] = _mm512_loadu_ps(s + ox * 16); odd[ox] = _mm512_setzero_ps(); }
        const int paired = t >= split;
        for (long oy = 0; oy < rows; oy++) {
            const float *p = source + ((oy * stride + ky) * sourceWidth + kx) * 16, *d = gradient + oy * cols * 16;
            if (paired && oy % 2 == 1) {
#pragma clang loop unroll(full)
                for (int ox = 0; ox < cols; ox++)
                    odd[ox] = _mm512_fmadd_ps(_mm512_loadu_ps(p + ox * stride * 16), _mm512_loadu_ps(d + ox * 16), odd[ox]);
            } else {
#pragma clang loop unroll(full)
                for (int ox = 0; ox < cols; ox++)
                    acc[ox] = _mm512_fmadd_ps(_mm512_loadu_ps(p + ox * stride * 16), _mm512_loadu_ps(d + ox * 16), acc[ox]);
            }
        }
#pragma clang loop unroll(full)
        for (int ox = 0; ox < cols; ox++) _mm512_storeu_ps(s + ox * 16, paired ? _mm512_add_ps(acc[ox], odd[ox]) : acc[ox]);
    }
}

int CK_NAME(depthwise_lanes_tap_sums)(const float *input, long inputSampleStride, const float *gradOutput,
                                      long gradientSampleStride, long samples, long inputHeight, long inputWidth, long padTop,
                                      long padLeft, long stride, long outputHeight, long outputWidth, long kernelHeight,
                                      long kernelWidth, long split, float *inputBlock, long blockWidth,
                                      float *gradientBlock, float *sums) {
    if (outputWidth < 1 || outputWidth > 8 || stride < 1 || stride > 2) return 0;
    for (long i = 0; i < kernelHeight * kernelWidth * 8 * 16; i++) sums[i] = 0;
    for (long s = 0; s < samples; s++) {
        CK_NAME(lanes_gather)(input + s * inputSampleStride, inputHeight, inputWidth, inputHeight * inputWidth, padTop,
                              padLeft, blockWidth, inputBlock, inputSampleStride);
        CK_NAME(lanes_gather)(gradOutput + s * gradientSampleStride, outputHeight, outputWidth, outputHeight * outputWidth,
                              0, 0, outputWidth, gradientBlock, gradientSampleStride);
#define CK_TAPS_CASE(C)                                                                                               \
    case C:                                                                                                           \
        CK_NAME(lanes_tap_sums_fixed)(inputBlock, blockWidth, stride, gradientBlock, outputHeight, kernelHeight,      \
                                      kernelWidth, split, sums, C);                                                   \
        break;
        switch (outputWidth) {
            CK_TAPS_CASE(1)
            CK_TAPS_CASE(2)
            CK_TAPS_CASE(3)
            CK_TAPS_CASE(4)
            CK_TAPS_CASE(5)
            CK_TAPS_CASE(6)
            CK_TAPS_CASE(7)
            CK_TAPS_CASE(8)
        }
#undef CK_TAPS_CASE
    }
    return 1;
}
