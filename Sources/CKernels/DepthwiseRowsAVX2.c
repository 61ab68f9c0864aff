// The depthwise block loop for AVX2 + FMA: 16 vector registers.
#define CK_NAME(f) hnas_ck_avx2_##f
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#endif
#include "DepthwiseRows.h"
#if defined(__x86_64__)
#pragma clang attribute pop
#endif
