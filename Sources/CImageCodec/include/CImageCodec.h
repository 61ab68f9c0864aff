#ifndef HNAS_CIMAGECODEC_H
#define HNAS_CIMAGECODEC_H

/*
 * Whole-file JPEG and PNG decoding with error trapping, for ModalityImage.
 *
 * libjpeg's and libpng's default error handlers print and call exit() (libjpeg) or abort the
 * process; both libraries expect the caller to install a handler that longjmp()s back to a
 * setjmp() point instead. A longjmp must never cross Swift frames, so every libjpeg/libpng call
 * of one decode happens inside one C function here, and the Swift side only sees a status code,
 * the decoded pixels and the library's message.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Size of `hnas_decoded_image.message`, enough for any libjpeg/libpng message.
#define HNAS_IMAGE_MESSAGE_LENGTH 256

/// The result of one decode: 8-bit interleaved pixels (1 = gray, 3 = RGB channels), row-major,
/// top row first, or an error message.
typedef struct {
    unsigned char *pixels;   /* malloc'd; release with hnas_image_release */
    int width;
    int height;
    int channels;
    char message[HNAS_IMAGE_MESSAGE_LENGTH];
} hnas_decoded_image;

/// Status codes of the decode functions.
enum {
    HNAS_IMAGE_OK = 0,
    HNAS_IMAGE_CORRUPT = 1,      /* the library rejected the data; message says why */
    HNAS_IMAGE_TOO_LARGE = 2,    /* declared width*height exceeds max_pixels */
    HNAS_IMAGE_UNSUPPORTED = 3,  /* a valid file in a colour space hnas does not convert (CMYK JPEG) */
    HNAS_IMAGE_NO_MEMORY = 4,
};

/// Decodes a JPEG (baseline or progressive; grayscale → 1 channel, YCbCr/RGB → 3 channels) with
/// the library's default (accurate integer) IDCT and fancy upsampling, as PIL does. A file that
/// ends early is an error (libjpeg alone would pad it with gray).
int hnas_decode_jpeg(const unsigned char *data, size_t size, long max_pixels, hnas_decoded_image *out);

/// Decodes a PNG of any colour type, bit depth and interlacing to 8-bit gray (gray, gray+alpha)
/// or RGB (RGB, RGBA, palette): low bit depths are scaled up, 16-bit samples keep their high
/// byte, alpha and tRNS transparency are dropped and gamma is not applied — what PIL yields.
int hnas_decode_png(const unsigned char *data, size_t size, long max_pixels, hnas_decoded_image *out);

/// Frees the pixels of a decoded image (safe on a failed or already released result).
void hnas_image_release(hnas_decoded_image *image);

#ifdef __cplusplus
}
#endif

#endif
