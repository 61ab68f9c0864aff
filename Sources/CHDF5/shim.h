// libhdf5 (serial). Debian keeps the headers in /usr/include/hdf5/serial; pkg-config `hdf5` says so.
#include <hdf5.h>

// HDF5's constants are macros Swift cannot import (casts, and H5open() calls for the native
// types), so they are wrapped in inline functions.
static inline hid_t chdf5_p_default(void) { return H5P_DEFAULT; }
static inline hid_t chdf5_s_all(void) { return H5S_ALL; }
static inline unsigned chdf5_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline hid_t chdf5_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t chdf5_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_double(void) { return H5T_NATIVE_DOUBLE; }
// Stops libhdf5 from printing its error stack; hnas reports errors itself.
static inline void chdf5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
