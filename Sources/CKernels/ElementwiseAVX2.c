// The element-wise kernels for AVX2 + FMA: 8 lanes.
#define CK_W 8
#define CK_NAME(f) hnas_ck_avx2_##f
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#endif
#include "ElementwiseKernels.h"
#if defined(__x86_64__)
#pragma clang attribute pop
#endif
