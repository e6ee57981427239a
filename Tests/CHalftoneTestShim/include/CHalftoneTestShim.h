// The tests' own non-variadic wrappers over libvips: generators, arithmetic and measurements for
// fixtures and checks, savers for formats Halftone only reads, and counters of libvips' state.
// Production never calls these, so they live here rather than in Sources/CHalftone; only
// HalftoneTestSupport/VipsFixtures.swift uses them.
//
// Conventions as in Sources/CHalftone/include/vips_shim.h: 0 and `*out` set on success, -1 with
// the reason in the libvips error buffer on failure; every returned image is a new reference the
// caller releases; saved buffers are released with g_free (HalftoneImaging's save plumbing does).
#pragma once
#include <stddef.h>
// libvips' declarations come through the production shim's module rather than <vips/vips.h>
// directly, so that `VipsImage *` here is the very type HalftoneImaging's `VipsImage.Handle` is.
// module.modulemap does not re-export them: Swift code importing this shim would otherwise see
// libvips' `VipsImage` typedef next to HalftoneImaging's class of that name.
#include <CHalftone.h>

// MARK: libvips' state

/// Operations in libvips' cache (0 while the cache is off, as Halftone's start-up sets it).
int htest_cache_size(void);
/// VipsImage objects alive in the process (nothing made from borrowed bytes may survive a call).
long htest_live_image_count(void);

// MARK: Making images

/// Makes an image from raw 8-bit band-interleaved pixels (copied), tagged with `interpretation`.
VipsImage *htest_new_from_uchar_copy(
  const void *pixels, size_t length, int width, int height, int bands,
  VipsInterpretation interpretation);
int htest_black(VipsImage **out, int width, int height, int bands);
/// Two int bands: x and y coordinates.
int htest_xyz(VipsImage **out, int width, int height);
/// One float band of gaussian noise; the same seed gives the same noise.
int htest_gaussnoise(VipsImage **out, int width, int height, double sigma, double mean, int seed);

// MARK: Headers

int htest_bands(VipsImage *image);
/// 1 if the image has a metadata field of that name ("exif-data", "icc-profile-data"…).
int htest_has_field(VipsImage *image, const char *name);
/// Reads a string metadata field; returns NULL when absent. The string belongs to the image.
const char *htest_get_string(VipsImage *image, const char *name);

// MARK: Operations

/// Rotates clockwise by 0, 90, 180 or 270 degrees (any other angle is an error).
int htest_rot(VipsImage *in, VipsImage **out, int degrees);
/// Tiles the image `across`×`down` times.
int htest_replicate(VipsImage *in, VipsImage **out, int across, int down);
/// A copy (sharing pixels) with the interpretation replaced.
int htest_copy_interpretation(VipsImage *in, VipsImage **out, VipsInterpretation interpretation);
int htest_extract_band(VipsImage *in, VipsImage **out, int band, int count);
int htest_bandjoin(VipsImage **in, int count, VipsImage **out);

// MARK: Arithmetic and measurements

/// out = in * a + b per band (`count` is 1 or the band count). Output is float.
int htest_linear(VipsImage *in, VipsImage **out, const double *a, const double *b, int count);
/// Sine of each value, read as degrees.
int htest_sin_degrees(VipsImage *in, VipsImage **out);
/// Cosine of each value, read as degrees.
int htest_cos_degrees(VipsImage *in, VipsImage **out);
int htest_add(VipsImage *left, VipsImage *right, VipsImage **out);
int htest_subtract(VipsImage *left, VipsImage *right, VipsImage **out);
int htest_multiply(VipsImage *left, VipsImage *right, VipsImage **out);
/// Mean of all pixels of all bands.
int htest_avg(VipsImage *in, double *value);
/// Copies the band values at one pixel into `values` (room for `capacity`), sets `*count` to the
/// band count; fails when the image has more bands than `capacity`.
int htest_getpoint(VipsImage *in, int x, int y, double *values, int capacity, int *count);

// MARK: Savers for source formats Halftone reads but never writes (to memory; g_free *bytes)

/// HEIC: HEIF container, HEVC compression.
int htest_heicsave(VipsImage *in, void **bytes, size_t *length, int quality, int strip);
int htest_gifsave(VipsImage *in, void **bytes, size_t *length);
/// TIFF, uncompressed, metadata kept.
int htest_tiffsave(VipsImage *in, void **bytes, size_t *length);
