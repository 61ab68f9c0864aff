// The depthwise convolution's block loop, included by one .c file per instruction set, which defines
// CK_NAME(f) (the per-path name) and CK_W (its vector width) and wraps the inclusion in a
// `#pragma clang attribute` giving every function that path's `target`. The AVX2 path computes blocks of
// 8 columns, the AVX-512 path blocks of 16 where the row has room (and 32 vector registers, no spills).
// Columns are independent lanes: every output element gets the same fused multiply-adds in the same
// order on both paths, so a result never depends on the path.
//
// Why a C kernel: an output block of R rows × 8 columns keeps R accumulators; for one kernel column kx the
// KH weights of that column stay in registers and each source row vector, loaded once, feeds every output
// row it reaches (KH of them at stride 1), so a block needs about a quarter of a load per multiply-add
// instead of one (the loads, not the FMA units, bounded the Swift loop). The accumulator an FMA targets
// depends on the source row and the kernel row, so the loops must be unrolled with constant KH, S and R;
// clang does that here, Swift cannot be told to.
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include "Epilogues.h"

/// Where `hnas_ck_depthwise_plane` stores: the dense `height × width` output plane, its epilogue (or none)
/// and the plane's first position of its last n mod 8 (n = height·width).
typedef struct {
    float *plane;
    long height, width, plainEnd;
    const hnas_ck_epilogue *epilogue;
} ck_dense_plane;

/// Stores the first `count` lanes of v at `to` (a row's last, partial block): one masked store.
static inline void CK_NAME(store_first_v8)(float *to, ck_v8 v, long count) {
#if defined(__x86_64__)
    const ck_i8 lane = {0, 1, 2, 3, 4, 5, 6, 7};
    _mm256_maskstore_ps(to, (__m256i)(lane < (ck_i8){} + (int)count), (__m256)v);
#else
    for (long l = 0; l < count; l++) to[l] = v[l];
#endif
}
#if CK_W == 16
static inline void CK_NAME(store_first_v16)(float *to, ck_v16 v, long count) {
#if defined(__x86_64__)
    _mm512_mask_storeu_ps(to, (__mmask16)((1u << count) - 1), (__m512)v);
#else
    for (long l = 0; l < count; l++) to[l] = v[l];
#endif
}
#endif

// One R-row block of 8 columns (every path) and, on the AVX-512 path (CK_W 16), of 16 columns.
#define CK_VEC ck_v8
#define CK_BLOCK CK_NAME(depthwise_block8)
#define CK_BLOCK_EPILOGUE CK_NAME(affine_activation_v8)
#define CK_BLOCK_STORE_FIRST CK_NAME(store_first_v8)
#include "DepthwiseBlock.h"
#undef CK_BLOCK_STORE_FIRST
#undef CK_BLOCK_EPILOGUE
#undef CK_BLOCK
#undef CK_VEC
#if CK_W == 16
#define CK_VEC ck_v16
#define CK_BLOCK CK_NAME(depthwise_block16)
#define CK_BLOCK_EPILOGUE CK_NAME(affine_activation_v16)
#define CK_BLOCK_STORE_FIRST CK_NAME(store_first_v16)
#include "DepthwiseBlock.h"
#undef CK_BLOCK_STORE_FIRST
#undef CK_BLOCK_EPILOGUE
#undef CK_BLOCK
#undef CK_VEC
#endif

/// The block loop for constant kernel height KH, row stride S and block rows R (see hnas_ck_depthwise_rows).
/// With 16-column blocks, a row of 8·k columns takes k/2 of them and an 8-column block for an odd k.
static inline __attribute__((always_inline)) void CK_NAME(depthwise_rows_fixed)(
    const float *source, long sourceRowLength, const long *columnOffsets, const float *weights, long kernelWidth,
    int accumulate, float initial, float *output, long rows, long outputRowLength, long firstRow, long endRow,
    const ck_dense_plane *dense, const int KH, const int S, const int R, const int DENSE) {
    for (long oy = 0; oy < rows; oy += R) {
        long ox = 0;
#if CK_W == 16
        for (; ox + 16 <= outputRowLength; ox += 16) {
            CK_NAME(depthwise_block16)(source, sourceRowLength, columnOffsets, weights, kernelWidth, accumulate, initial,
                                       output, outputRowLength, firstRow, endRow, oy, ox, dense, KH, S, R, DENSE);
        }
#endif
        for (; ox < outputRowLength; ox += 8) {
            CK_NAME(depthwise_block8)(source, sourceRowLength, columnOffsets, weights, kernelWidth, accumulate, initial,
                                      output, outputRowLength, firstRow, endRow, oy, ox, dense, KH, S, R, DENSE);
        }
    }
}

#define CK_ROWS_CALL(KH, S, R)                                                                                     \
    do {                                                                                                           \
        if (dense)                                                                                                 \
            CK_NAME(depthwise_rows_fixed)(source, sourceRowLength, columnOffsets, weights, kernelWidth, accumulate,  \
                                          initial, output, rows, outputRowLength, firstRow, endRow, dense, KH, S, R, 1); \
        else                                                                                                       \
            CK_NAME(depthwise_rows_fixed)(source, sourceRowLength, columnOffsets, weights, kernelWidth, accumulate,  \
                                          initial, output, rows, outputRowLength, firstRow, endRow, dense, KH, S, R, 0); \
    } while (0)
#define CK_ROWS_CASE(KH)                                                                \
    case KH:                                                                            \
        if (rowStride == 1) {                                                           \
            if (blockRows == 7) CK_ROWS_CALL(KH, 1, 7); else CK_ROWS_CALL(KH, 1, 8);   \
        } else {                                                                        \
            if (blockRows == 7) CK_ROWS_CALL(KH, 2, 7); else CK_ROWS_CALL(KH, 2, 8);   \
        }                                                                               \
        return 1;

/// The block loop of `hnas_ck_depthwise_rows` (dense null) and `hnas_ck_depthwise_plane`.
static int CK_NAME(depthwise_grid)(const float *source, long sourceRowLength, long rowStride, const long *columnOffsets,
                                   const float *weights, long kernelHeight, long kernelWidth, int accumulate, float initial,
                                   float *output, long rows, long blockRows, long outputRowLength, long firstRow, long endRow,
                                   const ck_dense_plane *dense) {
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

int CK_NAME(depthwise_rows)(const float *source, long sourceRowLength, long rowStride, const long *columnOffsets,
                            const float *weights, long kernelHeight, long kernelWidth, int accumulate, float initial,
                            float *output, long rows, long blockRows, long outputRowLength, long firstRow, long endRow) {
    return CK_NAME(depthwise_grid)(source, sourceRowLength, rowStride, columnOffsets, weights, kernelHeight, kernelWidth,
                                   accumulate, initial, output, rows, blockRows, outputRowLength, firstRow, endRow, 0);
}

int CK_NAME(depthwise_plane)(const float *source, long sourceRowLength, long rowStride, const long *columnOffsets,
                             const float *weights, long kernelHeight, long kernelWidth, float initial,
                             const hnas_ck_epilogue *epilogue, float *output, long outputHeight, long outputWidth, long rows,
                             long blockRows, long firstRow, long endRow) {
    if (outputHeight < 1 || outputWidth < 1 || rows < outputHeight || rows - outputHeight >= blockRows) return 0;
    const long n = outputHeight * outputWidth;
    const ck_dense_plane dense = {output, outputHeight, outputWidth, n - n % 8, epilogue};
    const long rowLength = (outputWidth + 7) / 8 * 8;
    return CK_NAME(depthwise_grid)(source, sourceRowLength, rowStride, columnOffsets, weights, kernelHeight, kernelWidth, 0,
                                   initial, 0, rows, blockRows, rowLength, firstRow, endRow, &dense);
}
