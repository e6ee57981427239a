// The benchmarks' source images, made and encoded with libvips. Halftone's own libvips wrapper
// does only what the thumbnailer does (no generators, no arithmetic), so the benchmarks carry
// their own, as the tests do (Tests/CHalftoneTestShim).
#pragma once
#include <stddef.h>
#include <vips/vips.h>

/// The encodings of a source image, with the options of Halftone's own encoders' defaults.
typedef enum {
  HBENCH_JPEG,
  HBENCH_JPEG_PROGRESSIVE,
  HBENCH_PNG,
  HBENCH_WEBP,
} HBenchFormat;

/// A deterministic photo-like image (sRGB, 8-bit, 3 bands) computed into memory, or NULL with the
/// reason in the libvips error buffer. Start libvips first (VipsRuntime.ensureStarted()).
/// Release it with hbench_unref.
VipsImage *hbench_photo(int width, int height);

/// Encodes to memory; returns 0 on success. Free `*bytes` with hbench_free.
int hbench_encode(
  VipsImage *image, HBenchFormat format, int quality, void **bytes, size_t *length);

void hbench_unref(VipsImage *image);
void hbench_free(void *memory);
/// Copies and clears the libvips error buffer; free with hbench_free.
char *hbench_error_copy(void);
