// The vector types of 8 and 16 lanes the convolution kernels use, and `Epilogue.h` instantiated for each
// that the including path has: 8 lanes everywhere (the AVX2 path's vector, and the AVX-512 depthwise loop's
// block at a row's odd end), 16 lanes on the AVX-512 path (CK_W 16). CK_EPILOGUE_W and CK_SELECT_W are the
// instances for the path's own vector (ck_vf), which the 1×1 product and the element-wise kernels use.
#ifndef CK_EPILOGUES_H
#define CK_EPILOGUES_H
#include "CKernels.h"

typedef float ck_v8 __attribute__((vector_size(32)));
typedef float ck_v16 __attribute__((vector_size(64)));
typedef int32_t ck_i8 __attribute__((vector_size(32)));
typedef int32_t ck_i16 __attribute__((vector_size(64)));

#define CK_EPI_VEC ck_v8
#define CK_EPI_INT ck_i8
#define CK_EPI_LANES 8
#define CK_EPI_NAME(f) CK_NAME(f##_v8)
#include "Epilogue.h"
#undef CK_EPI_VEC
#undef CK_EPI_INT
#undef CK_EPI_LANES
#undef CK_EPI_NAME
#if CK_W == 16
#define CK_EPI_VEC ck_v16
#define CK_EPI_INT ck_i16
#define CK_EPI_LANES 16
#define CK_EPI_NAME(f) CK_NAME(f##_v16)
#include "Epilogue.h"
#undef CK_EPI_VEC
#undef CK_EPI_INT
#undef CK_EPI_LANES
#undef CK_EPI_NAME
#define CK_EPILOGUE_W CK_NAME(epilogue_v16)
#define CK_SELECT_W CK_NAME(select_v16)
#else
#define CK_EPILOGUE_W CK_NAME(epilogue_v8)
#define CK_SELECT_W CK_NAME(select_v8)
#endif
#endif
