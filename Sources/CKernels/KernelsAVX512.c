// The C kernels for AVX-512 (F, BW, DQ, VL): the element-wise ones on 16 lanes, the depthwise block loop
// in blocks of 16 columns (8 at a row's odd end) with 32 vector registers.
#define CK_W 16
#define CK_NAME(f) hnas_ck_avx512_##f
#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma"))), apply_to = function)
#endif
#include "ElementwiseKernels.h"
#include "DepthwiseRows.h"
#include "PointwiseProduct.h"
#include "FMAChains.h"
#if defined(__x86_64__)
#include <immintrin.h>
#include "DepthwiseLanes.h"
#pragma clang attribute pop
#endif
