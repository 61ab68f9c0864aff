// JPEG (libjpeg-turbo) and PNG (libpng) decoding with setjmp/longjmp error trapping; see CImageCodec.h.
#include "CImageCodec.h"

#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

/// A progressive JPEG may declare any number of scans, each of which re-reads the whole
/// coefficient buffer; crafted files use that to stall decoders. Real encoders emit about ten.
#define HNAS_MAX_JPEG_SCANS 500

/// libjpeg's working memory limit (bytes) beyond the output image itself.
#define HNAS_MAX_JPEG_MEMORY (512L * 1024L * 1024L)

static void set_message(hnas_decoded_image *out, const char *text) {
    snprintf(out->message, HNAS_IMAGE_MESSAGE_LENGTH, "%s", text);
}

static int check_pixel_count(hnas_decoded_image *out, unsigned long width, unsigned long height, long max_pixels) {
    if (width == 0 || height == 0) {
        set_message(out, "the header declares an empty image");
        return HNAS_IMAGE_CORRUPT;
    }
    if (height > (unsigned long)max_pixels / width) {
        snprintf(out->message, HNAS_IMAGE_MESSAGE_LENGTH,
                 "the header declares %lu x %lu pixels, more than the limit of %ld", width, height, max_pixels);
        return HNAS_IMAGE_TOO_LARGE;
    }
    return HNAS_IMAGE_OK;
}

// MARK: - JPEG

/// libjpeg's error manager extended with the jump target and the status to report.
typedef struct {
    struct jpeg_error_mgr base;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    int status;
    hnas_decoded_image *out;
} jpeg_trap;

static void jpeg_trap_error_exit(j_common_ptr cinfo) {
    jpeg_trap *trap = (jpeg_trap *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    set_message(trap->out, text);
    trap->status = cinfo->err->msg_code == JERR_OUT_OF_MEMORY ? HNAS_IMAGE_NO_MEMORY : HNAS_IMAGE_CORRUPT;
    longjmp(trap->jump, 1);
}

/// Warnings are ignored, except the one libjpeg gives when the data ends early: it would pad the
/// image with gray, PIL refuses such a file ("image file is truncated"), and so do we.
static void jpeg_trap_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        jpeg_trap *trap = (jpeg_trap *)cinfo->err;
        set_message(trap->out, "the file is truncated (premature end of JPEG data)");
        trap->status = HNAS_IMAGE_CORRUPT;
        longjmp(trap->jump, 1);
    }
}

static void jpeg_trap_progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    j_decompress_ptr dinfo = (j_decompress_ptr)cinfo;
    if (dinfo->input_scan_number > HNAS_MAX_JPEG_SCANS) {
        jpeg_trap *trap = (jpeg_trap *)cinfo->err;
        snprintf(trap->out->message, HNAS_IMAGE_MESSAGE_LENGTH,
                 "the progressive JPEG has more than %d scans", HNAS_MAX_JPEG_SCANS);
        trap->status = HNAS_IMAGE_CORRUPT;
        longjmp(trap->jump, 1);
    }
}

int hnas_decode_jpeg(const unsigned char *data, size_t size, long max_pixels, hnas_decoded_image *out) {
    memset(out, 0, sizeof *out);
    if (size > ULONG_MAX) {
        set_message(out, "the file is too large");
        return HNAS_IMAGE_TOO_LARGE;
    }
    struct jpeg_decompress_struct cinfo;
    jpeg_trap trap;
    unsigned char *volatile pixels = NULL;

    cinfo.err = jpeg_std_error(&trap.base);
    trap.base.error_exit = jpeg_trap_error_exit;
    trap.base.emit_message = jpeg_trap_emit_message;
    trap.status = HNAS_IMAGE_CORRUPT;
    trap.out = out;
    if (setjmp(trap.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        return trap.status;
    }
    jpeg_create_decompress(&cinfo);
    cinfo.mem->max_memory_to_use = HNAS_MAX_JPEG_MEMORY;
    trap.progress.progress_monitor = jpeg_trap_progress;
    cinfo.progress = &trap.progress;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);

    int status = check_pixel_count(out, cinfo.image_width, cinfo.image_height, max_pixels);
    int channels = 3;
    switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE:
        cinfo.out_color_space = JCS_GRAYSCALE;
        channels = 1;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        set_message(out, "CMYK/YCCK JPEGs are not supported; convert the file to RGB first");
        status = HNAS_IMAGE_UNSUPPORTED;
        break;
    default:
        cinfo.out_color_space = JCS_RGB;
        break;
    }
    if (status != HNAS_IMAGE_OK) {
        jpeg_destroy_decompress(&cinfo);
        return status;
    }
    jpeg_start_decompress(&cinfo);
    if (cinfo.output_components != channels) {
        set_message(out, "the decoder produced an unexpected number of channels");
        jpeg_destroy_decompress(&cinfo);
        return HNAS_IMAGE_CORRUPT;
    }
    size_t stride = (size_t)cinfo.output_width * (size_t)channels;
    pixels = malloc(stride * cinfo.output_height);
    if (pixels == NULL) {
        set_message(out, "out of memory for the decoded pixels");
        jpeg_destroy_decompress(&cinfo);
        return HNAS_IMAGE_NO_MEMORY;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + (size_t)cinfo.output_scanline * stride;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    // Every scanline is decoded: what follows the last scan (normally only EOI) is not needed,
    // so the decoder is discarded without jpeg_finish_decompress.
    out->pixels = pixels;
    out->width = (int)cinfo.output_width;
    out->height = (int)cinfo.output_height;
    out->channels = channels;
    jpeg_destroy_decompress(&cinfo);
    return HNAS_IMAGE_OK;
}

// MARK: - PNG

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
} png_memory_reader;

static void png_read_from_memory(png_structp png, png_bytep destination, size_t length) {
    png_memory_reader *reader = (png_memory_reader *)png_get_io_ptr(png);
    if (length > reader->size - reader->offset) {
        png_error(png, "the file is truncated");
    }
    memcpy(destination, reader->data + reader->offset, length);
    reader->offset += length;
}

static void png_trap_error(png_structp png, png_const_charp text) {
    hnas_decoded_image *out = (hnas_decoded_image *)png_get_error_ptr(png);
    set_message(out, text);
    png_longjmp(png, 1);
}

static void png_ignore_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

int hnas_decode_png(const unsigned char *data, size_t size, long max_pixels, hnas_decoded_image *out) {
    memset(out, 0, sizeof *out);
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        set_message(out, "missing PNG signature");
        return HNAS_IMAGE_CORRUPT;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, out, png_trap_error, png_ignore_warning);
    if (png == NULL) {
        set_message(out, "out of memory for the PNG decoder");
        return HNAS_IMAGE_NO_MEMORY;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        set_message(out, "out of memory for the PNG decoder");
        return HNAS_IMAGE_NO_MEMORY;
    }
    png_memory_reader reader = {data, size, 0};
    unsigned char *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        free(pixels);
        free(rows);
        return HNAS_IMAGE_CORRUPT;
    }
    png_set_read_fn(png, &reader, png_read_from_memory);
    png_read_info(png, info);

    png_uint_32 width = png_get_image_width(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    int status = check_pixel_count(out, width, height, max_pixels);
    if (status != HNAS_IMAGE_OK) {
        png_destroy_read_struct(&png, &info, NULL);
        return status;
    }
    int color_type = png_get_color_type(png, info);
    int bit_depth = png_get_bit_depth(png, info);
    if (bit_depth == 16) png_set_strip_16(png);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    // Palette expansion also turns tRNS into alpha; PIL's conversion to L/RGB drops it either way.
    png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    int channels = png_get_channels(png, info);
    size_t stride = png_get_rowbytes(png, info);
    if ((channels != 1 && channels != 3) || stride != (size_t)width * (size_t)channels) {
        png_error(png, "unexpected pixel layout after conversion to 8-bit gray/RGB");
    }
    pixels = malloc(stride * height);
    rows = malloc(sizeof(png_bytep) * height);
    if (pixels == NULL || rows == NULL) {
        png_error(png, "out of memory for the decoded pixels");
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + (size_t)y * stride;
    png_read_image(png, rows);
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);

    out->pixels = pixels;
    out->width = (int)width;
    out->height = (int)height;
    out->channels = channels;
    return HNAS_IMAGE_OK;
}

void hnas_image_release(hnas_decoded_image *image) {
    free(image->pixels);
    image->pixels = NULL;
}
