// The machine's multiply-add peak, included by one .c file per instruction set (see PointwiseProduct.h for the
// CK_NAME / CK_W convention): what `hnas bench gemm` divides the kernels' rates by.
//
// Twelve independent chains of vector FMAs: with a latency of 4 cycles and two FMA units, eight chains in
// flight keep both units busy, and twelve leave slack. The loop has no loads or stores.

/// Runs `iterations` rounds of the twelve chains (12 · CK_W multiply-adds per round) and returns a value that
/// depends on every chain, so that none of them is optimised away.
float CK_NAME(fma_chains)(long iterations) {
    ck_vf acc[12];
    const ck_vf scale = (ck_vf){} + 0.999999f, step = (ck_vf){} + 1e-7f;
#pragma clang loop unroll(full)
    for (int c = 0; c < 12; c++) acc[c] = (ck_vf){} + (float)c * 1e-3f;
    for (long i = 0; i < iterations; i++) {
#pragma clang loop unroll(full)
        for (int c = 0; c < 12; c++) acc[c] = __builtin_elementwise_fma(acc[c], scale, step);
    }
    float total = 0;
    for (int c = 0; c < 12; c++) {
        for (int lane = 0; lane < CK_W; lane++) total += acc[c][lane];
    }
    return total;
}
