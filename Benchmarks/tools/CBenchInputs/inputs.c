// The benchmarks' source images; see include/CBenchInputs.h.
#include "CBenchInputs.h"

// Every intermediate image of one photo, released together with `context`.
typedef struct {
  VipsObject *context;
  VipsImage **images;
  int used;
} Scratch;

enum { SCRATCH_SIZE = 64 };

static VipsImage **next_slot(Scratch *s) {
  if (s->used == SCRATCH_SIZE) {
    vips_error("hbench_photo", "more than %d intermediate images", SCRATCH_SIZE);
    return NULL;
  }
  return &s->images[s->used++];
}

// Each step takes NULL (an earlier step failed) through, so a pattern reads as one expression.

static VipsImage *linear(Scratch *s, VipsImage *in, double a, double b) {
  VipsImage **out = in ? next_slot(s) : NULL;
  return out && vips_linear1(in, out, a, b, NULL) == 0 ? *out : NULL;
}

static VipsImage *add(Scratch *s, VipsImage *left, VipsImage *right) {
  VipsImage **out = left && right ? next_slot(s) : NULL;
  return out && vips_add(left, right, out, NULL) == 0 ? *out : NULL;
}

static VipsImage *subtract(Scratch *s, VipsImage *left, VipsImage *right) {
  VipsImage **out = left && right ? next_slot(s) : NULL;
  return out && vips_subtract(left, right, out, NULL) == 0 ? *out : NULL;
}

static VipsImage *band(Scratch *s, VipsImage *in, int index) {
  VipsImage **out = in ? next_slot(s) : NULL;
  return out && vips_extract_band(in, out, index, "n", 1, NULL) == 0 ? *out : NULL;
}

static VipsImage *bandjoin3(Scratch *s, VipsImage *a, VipsImage *b, VipsImage *c) {
  VipsImage *in[3] = {a, b, c};
  VipsImage **out = a && b && c ? next_slot(s) : NULL;
  return out && vips_bandjoin(in, out, 3, NULL) == 0 ? *out : NULL;
}

static VipsImage *in_memory(Scratch *s, VipsImage *in) {
  VipsImage **out = in ? next_slot(s) : NULL;
  if (!out) return NULL;
  *out = vips_image_copy_memory(in);
  return *out;
}

// sin or cos of (value × 360 / period), in degrees, times amplitude.
static VipsImage *wave(Scratch *s, VipsImage *value, double period, int cosine, double amplitude) {
  VipsImage *angle = linear(s, value, 360 / period, 0);
  VipsImage **turned = angle ? next_slot(s) : NULL;
  VipsOperationMath math = cosine ? VIPS_OPERATION_MATH_COS : VIPS_OPERATION_MATH_SIN;
  if (!turned || vips_math(angle, turned, math, NULL) != 0) return NULL;
  return linear(s, *turned, amplitude, 0);
}

// Gradients, waves of several periods and a noise texture, so encoders and resamplers see
// structure at every scale (a flat image would flatter them all). The same operations and order as
// the Swift pattern these benchmarks used before, so the inputs are the same images.
static VipsImage *photo(Scratch *s, int width, int height) {
  VipsImage **coordinates = next_slot(s);
  if (!coordinates || vips_xyz(coordinates, width, height, NULL) != 0) return NULL;
  VipsImage *x = band(s, *coordinates, 0);
  VipsImage *y = band(s, *coordinates, 1);
  double w = width, h = height;
  VipsImage *detail =
    add(s, wave(s, add(s, x, y), 61, 0, 14), wave(s, x, 43, 1, 10));
  VipsImage *red = add(s, linear(s, x, 60 / w, 110), wave(s, x, 173, 0, 35));
  VipsImage *green = add(s, linear(s, y, 70 / h, 100), wave(s, y, 97, 1, 30));
  VipsImage *blue = add(s, linear(s, x, -50 / w, 130), wave(s, subtract(s, x, y), 311, 0, 40));

  // Noise is the slow part to generate: one 256 px tile, repeated.
  const int tile = 256;
  VipsImage *noise[3];
  for (int seed = 1; seed <= 3; seed++) {
    VipsImage **out = next_slot(s);
    if (!out || vips_gaussnoise(out, tile, tile, "sigma", 6.0, "mean", 0.0, "seed", seed, NULL))
      return NULL;
    noise[seed - 1] = *out;
  }
  VipsImage *tiles = in_memory(s, bandjoin3(s, noise[0], noise[1], noise[2]));
  VipsImage **repeated = tiles ? next_slot(s) : NULL;
  if (!repeated ||
      vips_replicate(
        tiles, repeated, (width + tile - 1) / tile, (height + tile - 1) / tile, NULL) != 0)
    return NULL;
  VipsImage **textured = next_slot(s);
  if (!textured || vips_extract_area(*repeated, textured, 0, 0, width, height, NULL) != 0)
    return NULL;

  VipsImage *colour = add(
    s, bandjoin3(s, add(s, red, detail), add(s, green, detail), add(s, blue, detail)),
    *textured);
  VipsImage **cast = colour ? next_slot(s) : NULL;
  if (!cast || vips_cast(colour, cast, VIPS_FORMAT_UCHAR, NULL) != 0) return NULL;
  VipsImage **srgb = next_slot(s);
  if (!srgb || vips_copy(*cast, srgb, "interpretation", VIPS_INTERPRETATION_sRGB, NULL) != 0)
    return NULL;
  return *srgb;
}

VipsImage *hbench_photo(int width, int height) {
  Scratch s = {VIPS_OBJECT(vips_image_new()), NULL, 0};
  s.images = (VipsImage **)vips_object_local_array(s.context, SCRATCH_SIZE);
  VipsImage *pattern = photo(&s, width, height);
  // In memory, so every encoding of it starts from computed pixels; it keeps the references it
  // needs of its own, so the scratch images can go.
  VipsImage *result = pattern ? vips_image_copy_memory(pattern) : NULL;
  g_object_unref(s.context);
  return result;
}

int hbench_encode(
  VipsImage *image, HBenchFormat format, int quality, void **bytes, size_t *length) {
  // The options (and defaults) of Halftone's jpegData, pngData and webpData.
  switch (format) {
  case HBENCH_JPEG:
  case HBENCH_JPEG_PROGRESSIVE:
    return vips_jpegsave_buffer(
      image, bytes, length, "Q", quality, "optimize_coding", TRUE, "interlace",
      format == HBENCH_JPEG_PROGRESSIVE, "strip", TRUE, NULL);
  case HBENCH_PNG:
    return vips_pngsave_buffer(image, bytes, length, "compression", 6, "strip", TRUE, NULL);
  case HBENCH_WEBP:
    return vips_webpsave_buffer(
      image, bytes, length, "Q", quality, "lossless", FALSE, "effort", 4, "strip", TRUE, NULL);
  }
  vips_error("hbench_encode", "unknown format %d", (int)format);
  return -1;
}

void hbench_unref(VipsImage *image) {
  if (image) g_object_unref(image);
}

void hbench_free(void *memory) { g_free(memory); }

char *hbench_error_copy(void) { return vips_error_buffer_copy(); }
