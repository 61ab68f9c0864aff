// The product of a 1×1 convolution's forward pass, `y = w·x`, included by one .c file per instruction set,
// which defines CK_NAME(f) (the per-path name) and CK_W (its vector width) and wraps the inclusion in a
// `#pragma clang attribute` giving every function that path's `target`.
//
// Why not OpenBLAS: for one sample through a 1×1 convolution (m output channels × k input channels on a
// plane of n positions, n in the hundreds to tens of thousands) OpenBLAS packs both operands and first
// clears the whole output (β = 0) before its kernel adds into it: at batch 1 those passes took about as
// long as the multiply-adds (`sgemm_beta`, `sgemm_oncopy`, `sgemm_itcopy` 16 % of a profile whose kernel
// was 25 %). Here the operands are read where they are: a tile of R output channels × V vectors of
// positions keeps R·V accumulators in registers, and for each input channel the V vectors of x's row, loaded
// once, meet R broadcast weights. Tiles walk the positions outermost, so a panel of x (k rows × one tile of
// columns) is read from memory once and then from cache by every row tile; the output is written once.
//
// Every output element is `fma(w[i][k−1], x[k−1][j], … fma(w[i][0], x[0][j], 0))`, in input-channel order,
// whatever the tile, the path or the caller's cut, so both paths give the same bits. The epilogue (bias,
// evaluation-mode batch norm, piecewise-linear activation) goes onto each tile in registers before its one
// store, computed as `ChannelEpilogue` computes it, so the output is not read again.
#include <string.h>
#include "Epilogues.h"

#if CK_W == 16
#define CK_PW_VECTORS 4  // 6 × 4 accumulators + 4 row vectors + a broadcast of 32 registers
#else
#define CK_PW_VECTORS 2  // 6 × 2 accumulators + 2 row vectors + a broadcast of 16 registers
#endif
#define CK_PW_ROWS 6
#define CK_PW_DEPTH 128  // input channels per block: 128 rows of a 64-column tile are 32 KB

/// Output rows i..<i+R, columns j..<j+V·CK_W: the sums over input channels k0..<k1, continuing the sums in y
/// unless k0 is 0, each row of x first multiplied by its `xs[kk]` when SCALED; when k1 is k, the sums are
/// complete and `e` (rows counted from the tile's first; `plain` as `epilogue` (Epilogue.h) takes it, for the
/// last vector) is applied, then the residual z (rows ldz apart) added when there is one.
static inline __attribute__((always_inline)) void CK_NAME(pointwise_tile)(
    const float *w, long lda, const float *x, long ldx, const float *xs, float *y, long ldy, const float *z, long ldz, long k0,
    long k1, long k, const hnas_ck_epilogue *e, long plain, const int R, const int V, const int SCALED) {
    ck_vf acc[CK_PW_ROWS][CK_PW_VECTORS];
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
        for (int v = 0; v < V; v++) acc[r][v] = k0 == 0 ? (ck_vf){} : CK_NAME(load)(y + r * ldy + v * CK_W);
    }
    if (k0 == 0) {
        // The next row tile's output lines, for writing: its stores then find them in cache. Without this, at
        // few input channels the stores outran the reads for ownership (memes 96×16 on 56×56 at batch 32:
        // 16.6 → 6.1 ms; mmimdb 144×24 on 112×112 at batch 1: 0.90 → 0.82 ms). Beyond the last row the
        // prefetches touch nothing they could fault on.
#pragma clang loop unroll(full)
        for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
            for (int v = 0; v < V; v++) __builtin_prefetch(y + (r + CK_PW_ROWS) * ldy + v * CK_W, 1, 3);
        }
    }
    for (long kk = k0; kk < k1; kk++) {
        ck_vf row[CK_PW_VECTORS];
#pragma clang loop unroll(full)
        for (int v = 0; v < V; v++) row[v] = CK_NAME(load)(x + kk * ldx + v * CK_W);
        if (SCALED) {  // a product of its own, rounded before the multiply-adds: the bits of x·xs computed first
            const ck_vf scale = xs[kk] - (ck_vf){};
#pragma clang loop unroll(full)
            for (int v = 0; v < V; v++) row[v] = row[v] * scale;
        }
#pragma clang loop unroll(full)
        for (int r = 0; r < R; r++) {
            const ck_vf b = w[r * lda + kk] - (ck_vf){};  // x − (+0) is x for every x: a plain broadcast
#pragma clang loop unroll(full)
            for (int v = 0; v < V; v++) acc[r][v] = __builtin_elementwise_fma(b, row[v], acc[r][v]);
        }
    }
    if (k1 == k && e) {
#pragma clang loop unroll(full)
        for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
            for (int v = 0; v < V; v++) acc[r][v] = CK_EPILOGUE_W(acc[r][v], e, r, v == V - 1 ? plain : CK_W);
        }
    }
    if (k1 == k && z) {
#pragma clang loop unroll(full)
        for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
            for (int v = 0; v < V; v++) acc[r][v] = acc[r][v] + CK_NAME(load)(z + r * ldz + v * CK_W);
        }
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
#pragma clang loop unroll(full)
        for (int v = 0; v < V; v++) CK_NAME(store)(y + r * ldy + v * CK_W, acc[r][v]);
    }
}

/// Row tile i (`rows` ≤ CK_PW_ROWS of them) of a column tile of V vectors: `pointwise_tile` with the
/// tile's constant row count and the epilogue's rows from the tile's first.
static inline __attribute__((always_inline)) void CK_NAME(pointwise_rows)(
    const float *w, long lda, const float *x, long ldx, const float *xs, float *y, long ldy, const float *z, long ldz, long k0,
    long k1, long k, const hnas_ck_epilogue *e, long plain, long i, long rows, const int V, const int SCALED) {
    hnas_ck_epilogue shifted;
    const hnas_ck_epilogue *ei = 0;
    if (e) {
        shifted = (hnas_ck_epilogue){e->bias ? e->bias + i : 0, e->scale ? e->scale + i : 0, e->shift ? e->shift + i : 0,
                                     e->activation};
        ei = &shifted;
    }
    w += i * lda;
    if (z) z += i * ldz;
    switch (rows) {
        case 1: CK_NAME(pointwise_tile)(w, lda, x, ldx, xs, y, ldy, z, ldz, k0, k1, k, ei, plain, 1, V, SCALED); break;
        case 2: CK_NAME(pointwise_tile)(w, lda, x, ldx, xs, y, ldy, z, ldz, k0, k1, k, ei, plain, 2, V, SCALED); break;
        case 3: CK_NAME(pointwise_tile)(w, lda, x, ldx, xs, y, ldy, z, ldz, k0, k1, k, ei, plain, 3, V, SCALED); break;
        case 4: CK_NAME(pointwise_tile)(w, lda, x, ldx, xs, y, ldy, z, ldz, k0, k1, k, ei, plain, 4, V, SCALED); break;
        case 5: CK_NAME(pointwise_tile)(w, lda, x, ldx, xs, y, ldy, z, ldz, k0, k1, k, ei, plain, 5, V, SCALED); break;
        default: CK_NAME(pointwise_tile)(w, lda, x, ldx, xs, y, ldy, z, ldz, k0, k1, k, ei, plain, CK_PW_ROWS, V, SCALED); break;
    }
}

/// All m rows of the column tile of V vectors at x and y (and z), input channels in blocks of CK_PW_DEPTH (so
/// that the block's panel of x stays in the first-level cache while every row tile reads it).
static inline __attribute__((always_inline)) void CK_NAME(pointwise_columns)(
    const float *w, long lda, const float *x, long ldx, const float *xs, float *y, long ldy, const float *z, long m, long k,
    const hnas_ck_epilogue *e, const int V, const int SCALED) {
    for (long k0 = 0, k1; k0 < k; k0 = k1) {
        k1 = k - k0 < 2 * CK_PW_DEPTH ? k : k0 + CK_PW_DEPTH;
        for (long i = 0; i < m; i += CK_PW_ROWS) {
            const long rows = m - i < CK_PW_ROWS ? m - i : CK_PW_ROWS;
            CK_NAME(pointwise_rows)(w, lda, x, ldx, xs, y + i * ldy, ldy, z, ldy, k0, k1, k, e, CK_W, i, rows, V, SCALED);
        }
    }
}

/// The last `count` (< CK_W) columns, ending at x + CK_W and z + CK_W and starting at y: each row tile computes
/// the vector of the CK_W columns ending there into a block on the stack and copies out the new ones. The last
/// count mod 8 of them are the row's last n mod 8 (the columns before them come in whole vectors of 16 or 8).
static inline __attribute__((always_inline)) void CK_NAME(pointwise_tail)(
    const float *w, long lda, const float *x, long ldx, const float *xs, float *y, long ldy, const float *z, long m, long k,
    const hnas_ck_epilogue *e, long count, const int SCALED) {
    float block[CK_PW_ROWS * CK_W];
    for (long i = 0; i < m; i += CK_PW_ROWS) {
        const long rows = m - i < CK_PW_ROWS ? m - i : CK_PW_ROWS;
        CK_NAME(pointwise_rows)(w, lda, x, ldx, xs, block, CK_W, z, ldy, 0, k, k, e, CK_W - count % 8, i, rows, 1, SCALED);
        for (long r = 0; r < rows; r++) memcpy(y + (i + r) * ldy, block + r * CK_W + CK_W - count, count * sizeof(float));
    }
}

/// `hnas_ck_pointwise_product` with the input scale's presence a constant.
static inline __attribute__((always_inline)) void CK_NAME(pointwise_columns_all)(
    const float *w, long lda, const float *x, long ldx, const float *xs, float *y, long ldy, const float *z, long m, long n,
    long k, const hnas_ck_epilogue *e, const int SCALED) {
    const long tile = CK_PW_VECTORS * CK_W;
    long j = 0;
#define CK_PW_AT(j) x + (j), ldx, xs, y + (j), ldy, z ? z + (j) : 0
    for (; j + tile <= n; j += tile) CK_NAME(pointwise_columns)(w, lda, CK_PW_AT(j), m, k, e, CK_PW_VECTORS, SCALED);
    switch ((n - j) / CK_W) {  // the whole vectors left, as one narrower tile
        case 1: CK_NAME(pointwise_columns)(w, lda, CK_PW_AT(j), m, k, e, 1, SCALED); j += CK_W; break;
#if CK_PW_VECTORS == 4
        case 2: CK_NAME(pointwise_columns)(w, lda, CK_PW_AT(j), m, k, e, 2, SCALED); j += 2 * CK_W; break;
        case 3: CK_NAME(pointwise_columns)(w, lda, CK_PW_AT(j), m, k, e, 3, SCALED); j += 3 * CK_W; break;
#endif
        default: break;
    }
#undef CK_PW_AT
    if (j < n) CK_NAME(pointwise_tail)(w, lda, x + n - CK_W, ldx, xs, y + j, ldy, z ? z + n - CK_W : 0, m, k, e, n - j, SCALED);
}

int CK_NAME(pointwise_product)(const float *w, long lda, const float *x, long ldx, const float *inputScale, float *y, long ldy,
                               const float *residual, long m, long n, long k, const hnas_ck_epilogue *e) {
    if (n < 16 || m < 1 || k < 1) return 0;  // at least a vector on either path
    if (inputScale) CK_NAME(pointwise_columns_all)(w, lda, x, ldx, inputScale, y, ldy, residual, m, n, k, e, 1);
    else CK_NAME(pointwise_columns_all)(w, lda, x, ldx, 0, y, ldy, residual, m, n, k, e, 0);
    return 1;
}

#undef CK_PW_ROWS
#undef CK_PW_DEPTH
#undef CK_PW_VECTORS
