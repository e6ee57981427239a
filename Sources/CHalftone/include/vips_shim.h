// Non-variadic wrappers over libvips 8.14 for Swift, which can call neither C varargs functions
// nor function-like macros. Only HalftoneImaging/Vips*.swift uses these, and only what the
// thumbnailer calls is here: the tests' generators, arithmetic and extra savers are in
// Tests/CHalftoneTestShim.
//
// Conventions (the libvips ones): functions that make an image return 0 and set `*out` on success,
// -1 on failure with the reason in the libvips error buffer (read it with hvips_error_copy).
// Every returned image is a new reference the caller releases with hvips_unref. Saved buffers are
// released with hvips_free.
#pragma once
#include <stddef.h>
#include <vips/vips.h>

// MARK: Runtime

/// VIPS_INIT plus the server settings: no operation cache, one worker thread per pipeline
/// (parallelism comes from callers), untrusted loaders (magick, pdf, svg…) blocked.
/// Returns 0 on success. Call once, from one thread.
int hvips_init(void);

/// Copies and clears the global libvips error buffer (under its lock). Free with hvips_free.
char *hvips_error_copy(void);

/// Releases an image reference (g_object_unref).
void hvips_unref(VipsImage *image);

/// Releases memory allocated by libvips or GLib (g_free).
void hvips_free(void *memory);

// MARK: Loading and headers

/// The nickname of the loader libvips would use for these bytes ("jpegload_buffer"…), or NULL if
/// none (unknown bytes, or a loader blocked as untrusted). Does not set the error buffer.
const char *hvips_find_loader(const void *bytes, size_t length);

/// 1 if this libvips has an operation of that nickname ("heifload_buffer"…).
int hvips_has_operation(const char *nickname);

/// Opens an image from memory, header only (pixels are decoded lazily, on demand). `options` is a
/// loader option string such as "fail_on=error,access=sequential,shrink=4". The bytes are NOT
/// copied: they must stay alive and unchanged for the life of the image and every image made from
/// it.
VipsImage *hvips_load_buffer(const void *bytes, size_t length, const char *options);

int hvips_width(VipsImage *image);
int hvips_height(VipsImage *image);
VipsBandFormat hvips_format(VipsImage *image);
VipsInterpretation hvips_interpretation(VipsImage *image);
int hvips_has_alpha(VipsImage *image);
/// EXIF orientation 1–8 (1 when absent).
int hvips_orientation(VipsImage *image);
/// 1 if the image carries an embedded ICC profile.
int hvips_has_icc_profile(VipsImage *image);
/// Reads an integer metadata field; returns 0 on success.
int hvips_get_int(VipsImage *image, const char *name, int *value);

// MARK: Geometry

/// Applies and removes the EXIF orientation tag.
int hvips_autorot(VipsImage *in, VipsImage **out);
int hvips_extract_area(VipsImage *in, VipsImage **out, int left, int top, int width, int height);
/// Shifts the image by a sub-pixel amount and cuts `width`×`height`: output pixel (x, y) samples
/// the input at (x + dx, y + dy). Bicubic (Catmull-Rom) as a separable 4-tap convolution, edge
/// pixels repeated (no black fringe).
int hvips_subpixel_extract(
  VipsImage *in, VipsImage **out, double dx, double dy, int width, int height);
/// Places the image at (`left`, `top`) in a `width`×`height` canvas, filling by repeating edge
/// pixels.
int hvips_embed_copy(VipsImage *in, VipsImage **out, int left, int top, int width, int height);
/// Lanczos3 resize with independent horizontal and vertical scales.
int hvips_resize(VipsImage *in, VipsImage **out, double hscale, double vscale);
/// Content-aware crop to `width`×`height` (interesting = attention).
int hvips_smartcrop_attention(VipsImage *in, VipsImage **out, int width, int height);
/// Computes the pipeline into memory. Decoding errors surface here (or at save).
int hvips_copy_memory(VipsImage *in, VipsImage **out);
/// A copy (sharing pixels) with an integer metadata field set; the input is left unchanged.
int hvips_copy_set_int(VipsImage *in, VipsImage **out, const char *name, int value);
/// A copy (sharing pixels) with every metadata field removed (EXIF, XMP, IPTC, ICC, orientation…).
/// Savers' `strip` is not enough on 8.14: webpsave writes the EXIF blob even with strip set.
int hvips_copy_without_metadata(VipsImage *in, VipsImage **out);

// MARK: Colour and format

/// Converts between ICC profiles (file names or libvips' built-in "srgb", "cmyk", "p3").
/// `embedded` non-zero prefers the image's own profile; `input_profile` (may be NULL) is used when
/// there is none (NULL: libvips' default for the image's colourspace). `depth` 8 or 16.
int hvips_icc_transform(
  VipsImage *in, VipsImage **out, const char *output_profile, const char *input_profile,
  int embedded, VipsIntent intent, int depth);
int hvips_colourspace(VipsImage *in, VipsImage **out, VipsInterpretation space);
int hvips_cast(VipsImage *in, VipsImage **out, VipsBandFormat format);
/// Removes alpha, compositing onto white.
int hvips_flatten_white(VipsImage *in, VipsImage **out);
int hvips_premultiply(VipsImage *in, VipsImage **out);
int hvips_unpremultiply(VipsImage *in, VipsImage **out);

// MARK: Savers (to memory; free *bytes with hvips_free)

int hvips_jpegsave(
  VipsImage *in, void **bytes, size_t *length, int quality, int optimize_coding, int interlace,
  int strip);
int hvips_webpsave(
  VipsImage *in, void **bytes, size_t *length, int quality, int lossless, int effort, int strip);
/// AVIF: HEIF container, AV1 compression.
int hvips_avifsave(
  VipsImage *in, void **bytes, size_t *length, int quality, int effort, int strip);
/// `bitdepth` 8 or 16 (0: from the image).
int hvips_pngsave(
  VipsImage *in, void **bytes, size_t *length, int compression, int bitdepth, int strip);
