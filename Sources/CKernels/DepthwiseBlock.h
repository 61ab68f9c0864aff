// One output block of the depthwise block loop: R rows × (lanes of CK_VEC) columns at (oy, ox). Included by
// DepthwiseRows.h once per vector width, with CK_VEC (the vector type) and CK_BLOCK (the function's name)
// defined; see there for the loop's design.

/// Computes output rows oy..<oy+R, columns ox..<ox+lanes: the initial value or the current output, plus
/// the correlation of the source rows with the KH × kernelWidth weights (rows outside [firstRow, endRow) are
/// zero and skipped). With `dense`, the rows and columns inside its plane go there instead, through its
/// epilogue (the lanes of the plane's last n mod 8 positions rounded as `epilogue` rounds them).
static inline __attribute__((always_inline)) void CK_BLOCK(
    const float *source, long sourceRowLength, const long *columnOffsets, const float *weights, long kernelWidth,
    int accumulate, float initial, float *output, long outputRowLength, long firstRow, long endRow, long oy, long ox,
    const ck_dense_plane *dense, const int KH, const int S, const int R, const int DENSE) {
    const long top = oy * S;  // source row of the block's first kernel row
    CK_VEC acc[8];
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
        if (accumulate) memcpy(&acc[r], output + (oy + r) * outputRowLength + ox, sizeof(CK_VEC));
        else acc[r] = (CK_VEC){} + initial;
    }
    for (long kx = 0; kx < kernelWidth; kx++) {
        CK_VEC w[8];
#pragma clang loop unroll(full)
        for (int ky = 0; ky < KH; ky++) w[ky] = (CK_VEC){} + weights[ky * kernelWidth + kx];
        const float *p = source + top * sourceRowLength + columnOffsets[kx] + ox;
#pragma clang loop unroll(full)
        for (int iy = 0; iy < S * (R - 1) + KH; iy++) {
            if (top + iy < firstRow || top + iy >= endRow) continue;  // a padding row: all zeros
            CK_VEC v;
            memcpy(&v, p + iy * sourceRowLength, sizeof v);
#pragma clang loop unroll(full)
            for (int r = 0; r < R; r++) {
                const int ky = iy - S * r;
                if (ky >= 0 && ky < KH) acc[r] = __builtin_elementwise_fma(w[ky], v, acc[r]);
            }
        }
    }
    if (DENSE) {
        // The plane's epilogue in locals: the stores below could alias what `dense` points to.
        const long lanes = sizeof(CK_VEC) / sizeof(float), valid = dense->width - ox, width = dense->width;
        const long height = dense->height, plainEnd = dense->plainEnd;
        float *plane = dense->plane;
        const int affine = dense->epilogue && dense->epilogue->scale;
        const float scale = affine ? dense->epilogue->scale[0] : 0, shift = affine ? dense->epilogue->shift[0] : 0;
        const hnas_ck_activation activation = dense->epilogue ? dense->epilogue->activation : HNAS_CK_IDENTITY;
#pragma clang loop unroll(full)
        for (int r = 0; r < R; r++) {
            const long row = oy + r;
            if (row >= height) break;
            const long plain = plainEnd - (row * width + ox);
            const CK_VEC v = CK_BLOCK_EPILOGUE(acc[r], affine, scale, shift, activation, plain < lanes ? plain : lanes);
            float *to = plane + row * width + ox;
            if (valid >= lanes) {
                memcpy(to, &v, sizeof v);
            } else {
                CK_BLOCK_STORE_FIRST(to, v, valid);
            }
        }
        return;
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) memcpy(output + (oy + r) * outputRowLength + ox, &acc[r], sizeof(CK_VEC));
}
