// The depthwise convolution's block loop, written once over 8-float vectors and included by one .c file per
// instruction set, which defines CK_NAME(f) (the per-path name) and wraps the inclusion in a
// `#pragma clang attribute` giving every function that path's `target`. Both paths run the same
// fused multiply-adds in the same order on 8-lane vectors (the AVX-512 build gains 32 vector registers, no
// spills), so a result never depends on the path.
//
// Why a C kernel: an output block of R rows × 8 columns keeps R accumulators; for one kernel column kx the
// KH weights of that column stay in registers and each source row vector, loaded once, feeds every output
// row it reaches (KH of them at stride 1), so a block needs about a quarter of a load per multiply-add
// instead of one (the loads, not the FMA units, bounded the Swift loop). The accumulator an FMA targets
// depends on the source row and the kernel row, so the loops must be unrolled with constant KH, S and R;
// clang does that here, Swift cannot be told to.
#include <string.h>

typedef float ck_v8 __attribute__((vector_size(32)));

static inline ck_v8 CK_NAME(v8_load)(const float *p) { ck_v8 v; memcpy(&v, p, sizeof v); return v; }
static inline void CK_NAME(v8_store)(float *p, ck_v8 v) { memcpy(p, &v, sizeof v); }

/// The block loop for constant kernel height KH, row stride S and block rows R (see hnas_ck_depthwise_rows).
static inline __attribute__((always_inline)) void CK_NAME(depthwise_rows_fixed)(
    const float *source, long sourceRowLength, const long *columnOffsets, const float *weights, long kernelWidth,
    int accumulate, float initial, float *output, long rows, long outputRowLength, long firstRow, long endRow,
    const int KH, const int S, const int R) {
    for (long oy = 0; oy < rows; oy += R) {
        const long top = oy * S;  // source row of the block's first kernel row
        for (long ox = 0; ox < outputRowLength; ox += 8) {
            ck_v8 acc[8];
#pragma clang loop unroll(full)
            for (int r = 0; r < R; r++) {
                acc[r] = accumulate ? CK_NAME(v8_load)(output + (oy + r) * outputRowLength + ox) : (ck_v8){} + initial;
            }
            for (long kx = 0; kx < kernelWidth; kx++) {
                ck_v8 w[8];
#pragma clang loop unroll(full)
                for (int ky = 0; ky < KH; ky++) w[ky] = (ck_v8){} + weights[ky * kernelWidth + kx];
                const float *p = source + top * sourceRowLength + columnOffsets[kx] + ox;
#pragma clang loop unroll(full)
                for (int iy = 0; iy < S * (R - 1) + KH; iy++) {
                    if (top + iy < firstRow || top + iy >= endRow) continue;  // a padding row: all zeros
                    ck_v8 v = CK_NAME(v8_load)(p + iy * sourceRowLength);
#pragma clang loop unroll(full)
                    for (int r = 0; r < R; r++) {
                        const int ky = iy - S * r;
                        if (ky >= 0 && ky < KH) acc[r] = __builtin_elementwise_fma(w[ky], v, acc[r]);
                    }
                }
            }
#pragma clang loop unroll(full)
            for (int r = 0; r < R; r++) CK_NAME(v8_store)(output + (oy + r) * outputRowLength + ox, acc[r]);
        }
    }
}

#define CK_ROWS_CALL(KH, S, R)                                                                                   \
    CK_NAME(depthwise_rows_fixed)(source, sourceRowLength, columnOffsets, weights, kernelWidth, accumulate,     \
                                  initial, output, rows, outputRowLength, firstRow, endRow, KH, S, R)
#define CK_ROWS_CASE(KH)                                                                \
    case KH:                                                                            \
        if (rowStride == 1) {                                                           \
            if (blockRows == 7) CK_ROWS_CALL(KH, 1, 7); else CK_ROWS_CALL(KH, 1, 8);   \
        } else {                                                                        \
            if (blockRows == 7) CK_ROWS_CALL(KH, 2, 7); else CK_ROWS_CALL(KH, 2, 8);   \
        }                                                                               \
        return 1;

int CK_NAME(depthwise_rows)(const float *source, long sourceRowLength, long rowStride, const long *columnOffsets,
                            const float *weights, long kernelHeight, long kernelWidth, int accumulate, float initial,
                            float *output, long rows, long blockRows, long outputRowLength, long firstRow, long endRow) {
    if (rowStride < 1 || rowStride > 2 || (blockRows != 7 && blockRows != 8) || rows % blockRows != 0) return 0;
    switch (kernelHeight) {
        CK_ROWS_CASE(1)
        CK_ROWS_CASE(2)
        CK_ROWS_CASE(3)
        CK_ROWS_CASE(4)
        CK_ROWS_CASE(5)
        CK_ROWS_CASE(6)
        CK_ROWS_CASE(7)
        CK_ROWS_CASE(8)
        default: return 0;
    }
}

#undef CK_ROWS_CASE
#undef CK_ROWS_CALL
