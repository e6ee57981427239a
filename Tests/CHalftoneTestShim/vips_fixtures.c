// The tests' libvips wrappers; see include/CHalftoneTestShim.h for the contract.
#include "CHalftoneTestShim.h"

#include <string.h>

// MARK: libvips' state

int htest_cache_size(void) { return vips_cache_get_size(); }

static void *count_image(VipsObject *object, void *count, void *unused) {
  (void)unused;
  if (VIPS_IS_IMAGE(object)) *(long *)count += 1;
  return NULL;
}

long htest_live_image_count(void) {
  long count = 0;
  vips_object_map((VipsSListMap2Fn)count_image, &count, NULL);
  return count;
}

// MARK: Making images

VipsImage *htest_new_from_uchar_copy(
  const void *pixels, size_t length, int width, int height, int bands,
  VipsInterpretation interpretation) {
  VipsImage *made =
    vips_image_new_from_memory_copy(pixels, length, width, height, bands, VIPS_FORMAT_UCHAR);
  if (!made) return NULL;
  VipsImage *tagged = NULL;
  int result = vips_copy(made, &tagged, "interpretation", interpretation, NULL);
  g_object_unref(made);
  return result == 0 ? tagged : NULL;
}

int htest_black(VipsImage **out, int width, int height, int bands) {
  return vips_black(out, width, height, "bands", bands, NULL);
}

int htest_xyz(VipsImage **out, int width, int height) { return vips_xyz(out, width, height, NULL); }

int htest_gaussnoise(VipsImage **out, int width, int height, double sigma, double mean, int seed) {
  return vips_gaussnoise(out, width, height, "sigma", sigma, "mean", mean, "seed", seed, NULL);
}

// MARK: Headers

int htest_bands(VipsImage *image) { return vips_image_get_bands(image); }

int htest_has_field(VipsImage *image, const char *name) {
  return vips_image_get_typeof(image, name) != 0 ? 1 : 0;
}

const char *htest_get_string(VipsImage *image, const char *name) {
  const char *value = NULL;
  if (vips_image_get_typeof(image, name) == 0) return NULL;
  if (vips_image_get_string(image, name, &value) != 0) {
    vips_error_clear();
    return NULL;
  }
  return value;
}

// MARK: Operations

int htest_rot(VipsImage *in, VipsImage **out, int degrees) {
  VipsAngle angle;
  switch (((degrees % 360) + 360) % 360) {
  case 0: angle = VIPS_ANGLE_D0; break;
  case 90: angle = VIPS_ANGLE_D90; break;
  case 180: angle = VIPS_ANGLE_D180; break;
  case 270: angle = VIPS_ANGLE_D270; break;
  default:
    vips_error("htest_rot", "angle %d is not a multiple of 90", degrees);
    return -1;
  }
  return vips_rot(in, out, angle, NULL);
}

int htest_replicate(VipsImage *in, VipsImage **out, int across, int down) {
  return vips_replicate(in, out, across, down, NULL);
}

int htest_copy_interpretation(VipsImage *in, VipsImage **out, VipsInterpretation interpretation) {
  return vips_copy(in, out, "interpretation", interpretation, NULL);
}

int htest_extract_band(VipsImage *in, VipsImage **out, int band, int count) {
  return vips_extract_band(in, out, band, "n", count, NULL);
}

int htest_bandjoin(VipsImage **in, int count, VipsImage **out) {
  return vips_bandjoin(in, out, count, NULL);
}

// MARK: Arithmetic and measurements

int htest_linear(VipsImage *in, VipsImage **out, const double *a, const double *b, int count) {
  return vips_linear(in, out, (double *)a, (double *)b, count, NULL);
}

int htest_sin_degrees(VipsImage *in, VipsImage **out) {
  return vips_math(in, out, VIPS_OPERATION_MATH_SIN, NULL);
}

int htest_cos_degrees(VipsImage *in, VipsImage **out) {
  return vips_math(in, out, VIPS_OPERATION_MATH_COS, NULL);
}

int htest_add(VipsImage *left, VipsImage *right, VipsImage **out) {
  return vips_add(left, right, out, NULL);
}

int htest_subtract(VipsImage *left, VipsImage *right, VipsImage **out) {
  return vips_subtract(left, right, out, NULL);
}

int htest_multiply(VipsImage *left, VipsImage *right, VipsImage **out) {
  return vips_multiply(left, right, out, NULL);
}

int htest_avg(VipsImage *in, double *value) { return vips_avg(in, value, NULL); }

int htest_getpoint(VipsImage *in, int x, int y, double *values, int capacity, int *count) {
  double *point = NULL;
  int n = 0;
  if (vips_getpoint(in, &point, &n, x, y, NULL) != 0) return -1;
  if (n > capacity) {
    g_free(point);
    vips_error("htest_getpoint", "%d bands, room for %d", n, capacity);
    return -1;
  }
  memcpy(values, point, (size_t)n * sizeof(double));
  g_free(point);
  *count = n;
  return 0;
}

// MARK: Savers

int htest_heicsave(VipsImage *in, void **bytes, size_t *length, int quality, int strip) {
  return vips_heifsave_buffer(
    in, bytes, length, "Q", quality, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_HEVC, "strip",
    strip, NULL);
}

int htest_gifsave(VipsImage *in, void **bytes, size_t *length) {
  return vips_gifsave_buffer(in, bytes, length, NULL);
}

int htest_tiffsave(VipsImage *in, void **bytes, size_t *length) {
  return vips_tiffsave_buffer(in, bytes, length, NULL);
}
