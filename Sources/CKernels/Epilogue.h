// The epilogue of a convolution's output vector (bias, evaluation-mode batch norm, piecewise-linear
// activation), written once and included once per vector type, with CK_EPI_VEC (the float vector type),
// CK_EPI_INT (the int vector of as many lanes), CK_EPI_LANES and CK_EPI_NAME(f) (the instance's names)
// defined; the 1×1 product applies it to its tiles, the depthwise block loop to its rows of 8 or 16 columns.
// Every lane computes what `ChannelEpilogue` computes, so a convolution with its epilogue in registers keeps
// the bits of the convolution followed by the separate ops.

/// `m ? a : b` lane by lane, m from a vector comparison (all ones or all zeros).
static inline CK_EPI_VEC CK_EPI_NAME(select)(CK_EPI_INT m, CK_EPI_VEC a, CK_EPI_VEC b) {
    return (CK_EPI_VEC)(((CK_EPI_INT)a & m) | ((CK_EPI_INT)b & ~m));
}

/// 0 below 0 and 6 above 6, as `PiecewiseActivation.clamp06` (NaN and −0 pass through).
static inline CK_EPI_VEC CK_EPI_NAME(clamp06)(CK_EPI_VEC v) {
    const CK_EPI_VEC zero = {}, six = zero + 6.0f;
    v = CK_EPI_NAME(select)(v < zero, zero, v);
    return CK_EPI_NAME(select)(v > six, six, v);
}

/// The affine map `v·scale + shift` (when `affine`) and the activation. The map is one fused multiply-add,
/// as `Vector.scaleShift` computes it on whole vectors of 8, except in lanes from `plain` on, which hold a
/// plane's (or a product row's) last n mod 8 positions: there it is a product then a sum, as scaleShift's
/// scalar tail computes it.
static inline __attribute__((always_inline)) CK_EPI_VEC CK_EPI_NAME(affine_activation)(CK_EPI_VEC v, int affine, float scale,
                                                                                       float shift, hnas_ck_activation activation,
                                                                                       long plain) {
    if (affine) {
        const CK_EPI_VEC scales = scale - (CK_EPI_VEC){}, shifts = shift - (CK_EPI_VEC){};
        const CK_EPI_VEC fused = __builtin_elementwise_fma(v, scales, shifts);
        if (plain < CK_EPI_LANES) {
#pragma clang fp contract(off)
            const CK_EPI_VEC product = v * scales;
            CK_EPI_INT lane;
            for (int l = 0; l < CK_EPI_LANES; l++) lane[l] = l;
            v = CK_EPI_NAME(select)(lane < (CK_EPI_INT){} + (int)plain, fused, product + shifts);
        } else {
            v = fused;
        }
    }
    const CK_EPI_VEC zero = {}, sixth = zero + 1.0f / 6.0f;
    switch (activation) {
        case HNAS_CK_RELU: return CK_EPI_NAME(select)(v < zero, zero, v);
        case HNAS_CK_RELU6: return CK_EPI_NAME(clamp06)(v);
        case HNAS_CK_HARD_SWISH: return v * CK_EPI_NAME(clamp06)(v + 3.0f) * sixth;
        case HNAS_CK_HARD_SIGMOID: return CK_EPI_NAME(clamp06)(v + 3.0f) * sixth;
        default: return v;
    }
}

/// The epilogue `e` of output row r's value v: its bias, then `affine_activation` with row r's affine map.
static inline __attribute__((always_inline)) CK_EPI_VEC CK_EPI_NAME(epilogue)(CK_EPI_VEC v, const hnas_ck_epilogue *e, long r,
                                                                              long plain) {
    if (e->bias) v = v + e->bias[r];
    return CK_EPI_NAME(affine_activation)(v, e->scale != 0, e->scale ? e->scale[r] : 0, e->scale ? e->shift[r] : 0,
                                          e->activation, plain);
}
