// The C kernels for AVX2 + FMA: the element-wise ones on 8 lanes, the depthwise block loop with 16 vector
// registers.
#define CK_W 8
#define CK_NAME(f) hnas_ck_avx2_##f
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#endif
#include "ElementwiseKernels.h"
#include "DepthwiseRows.h"
#include "PointwiseProduct.h"
#include "FMAChains.h"
#if defined(__x86_64__)
#pragma clang attribute pop
#endif
