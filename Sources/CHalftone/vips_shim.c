// Non-variadic wrappers over libvips 8.14; see include/vips_shim.h for the contract.
#include "CHalftone.h"

#include <math.h>

// MARK: Runtime

int hvips_init(void) {
  if (VIPS_INIT("halftone") != 0) return -1;
  // The operation cache only costs memory for a thumbnailer that never repeats an operation, and
  // it would share results between callers. It must stay off: the thumbnailer hands libvips the
  // caller's bytes without copying them (PinnedBytes.borrowing), and a cached load would keep
  // reading them after the call.
  vips_cache_set_max(0);
  // One worker per pipeline: callers run many pipelines in parallel.
  vips_concurrency_set(1);
  // Loaders libvips marks untrusted (ImageMagick, PDF, SVG, JPEG 2000, JPEG XL…) stay off.
  vips_block_untrusted_set(TRUE);
  return 0;
}

char *hvips_error_copy(void) { return vips_error_buffer_copy(); }

void hvips_unref(VipsImage *image) {
  if (image) g_object_unref(image);
}

void hvips_free(void *memory) { g_free(memory); }

// MARK: Loading and headers

const char *hvips_find_loader(const void *bytes, size_t length) {
  const char *name = vips_foreign_find_load_buffer(bytes, length);
  // find_load_buffer reports "not a known format" in the error buffer: keep the buffer clean.
  if (!name) vips_error_clear();
  return name;
}

int hvips_has_operation(const char *nickname) {
  return vips_type_find("VipsOperation", nickname) != 0 ? 1 : 0;
}

VipsImage *hvips_load_buffer(const void *bytes, size_t length, const char *options) {
  return vips_image_new_from_buffer(bytes, length, options ? options : "", NULL);
}

int hvips_width(VipsImage *image) { return vips_image_get_width(image); }
int hvips_height(VipsImage *image) { return vips_image_get_height(image); }
VipsBandFormat hvips_format(VipsImage *image) { return vips_image_get_format(image); }
VipsInterpretation hvips_interpretation(VipsImage *image) {
  return vips_image_get_interpretation(image);
}
int hvips_has_alpha(VipsImage *image) { return vips_image_hasalpha(image) ? 1 : 0; }
int hvips_orientation(VipsImage *image) { return vips_image_get_orientation(image); }

int hvips_has_icc_profile(VipsImage *image) {
  return vips_image_get_typeof(image, VIPS_META_ICC_NAME) != 0 ? 1 : 0;
}

int hvips_get_int(VipsImage *image, const char *name, int *value) {
  if (vips_image_get_typeof(image, name) == 0) return -1;
  return vips_image_get_int(image, name, value);
}

// MARK: Geometry

int hvips_autorot(VipsImage *in, VipsImage **out) { return vips_autorot(in, out, NULL); }

int hvips_extract_area(VipsImage *in, VipsImage **out, int left, int top, int width, int height) {
  return vips_extract_area(in, out, left, top, width, height, NULL);
}

// Catmull-Rom (a = -0.5: the kernel of libvips' "bicubic" interpolator) at distance u.
static double catmull_rom(double u) {
  u = fabs(u);
  if (u < 1) return (1.5 * u - 2.5) * u * u + 1;
  if (u < 2) return ((-0.5 * u + 2.5) * u - 4) * u + 2;
  return 0;
}

// A 4-tap mask (4x1, or 1x4 when `vertical`) that makes pixel X of its convolution sample the
// input at X - 1 + d: vips_conv centres a 4-wide mask on its third tap. Integer weights out of 64
// keep libvips on its vectorised integer path for 8- and 16-bit images.
static VipsImage *shift_mask(double d, int vertical) {
  VipsImage *mask = vertical ? vips_image_new_matrix(1, 4) : vips_image_new_matrix(4, 1);
  if (!mask) return NULL;
  double sum = 0;
  for (int i = 0; i < 4; i++) {
    double weight = rint(catmull_rom(i - 1 - d) * 64);
    *VIPS_MATRIX(mask, vertical ? 0 : i, vertical ? i : 0) = weight;
    sum += weight;
  }
  vips_image_set_double(mask, "scale", sum);
  vips_image_set_double(mask, "offset", 0);
  return mask;
}

// Convolves `*image` (consumed) with a shift mask; returns 0 on success.
static int shift_along(VipsImage **image, double d, int vertical) {
  VipsImage *mask = shift_mask(d, vertical);
  if (!mask) return -1;
  VipsPrecision precision =
    vips_band_format_isint((*image)->BandFmt) ? VIPS_PRECISION_INTEGER : VIPS_PRECISION_FLOAT;
  VipsImage *shifted;
  int result = vips_conv(*image, &shifted, mask, "precision", precision, NULL);
  g_object_unref(mask);
  g_object_unref(*image);
  *image = result == 0 ? shifted : NULL;
  return result;
}

int hvips_subpixel_extract(
  VipsImage *in, VipsImage **out, double dx, double dy, int width, int height) {
  // A separable 4-tap convolution rather than vips_affine: same bicubic kernel, but the general
  // affine costs about 180 instructions a sample against about 20 (measured with callgrind on a
  // 2048 px WebP: the affine took as much as the Lanczos3 resize). Axes with no fraction are not
  // convolved at all.
  double left = floor(dx), top = floor(dy);
  double fx = dx - left, fy = dy - top;
  // Two pixels of repeated edge on every side cover the taps (1 before, 2 after) and any rounding
  // of the requested size past the border.
  const int margin = 2;
  int canvas_width = VIPS_MAX(in->Xsize, (int)left + width + 1) + 2 * margin;
  int canvas_height = VIPS_MAX(in->Ysize, (int)top + height + 1) + 2 * margin;
  VipsImage *image;
  if (vips_embed(
        in, &image, margin, margin, canvas_width, canvas_height, "extend", VIPS_EXTEND_COPY,
        NULL) != 0)
    return -1;
  int x = (int)left + margin, y = (int)top + margin;
  if (fx > 1e-6) {
    if (shift_along(&image, fx, 0) != 0) return -1;
    x += 1;
  }
  if (fy > 1e-6) {
    if (shift_along(&image, fy, 1) != 0) return -1;
    y += 1;
  }
  int result = vips_extract_area(image, out, x, y, width, height, NULL);
  g_object_unref(image);
  return result;
}

int hvips_embed_copy(VipsImage *in, VipsImage **out, int left, int top, int width, int height) {
  return vips_embed(in, out, left, top, width, height, "extend", VIPS_EXTEND_COPY, NULL);
}

int hvips_resize(VipsImage *in, VipsImage **out, double hscale, double vscale) {
  return vips_resize(in, out, hscale, "vscale", vscale, "kernel", VIPS_KERNEL_LANCZOS3, NULL);
}

int hvips_smartcrop_attention(VipsImage *in, VipsImage **out, int width, int height) {
  return vips_smartcrop(in, out, width, height, "interesting", VIPS_INTERESTING_ATTENTION, NULL);
}

int hvips_copy_memory(VipsImage *in, VipsImage **out) {
  VipsImage *copy = vips_image_copy_memory(in);
  if (!copy) return -1;
  *out = copy;
  return 0;
}

int hvips_copy_set_int(VipsImage *in, VipsImage **out, const char *name, int value) {
  if (vips_copy(in, out, NULL) != 0) return -1;
  vips_image_set_int(*out, name, value);
  return 0;
}

int hvips_copy_without_metadata(VipsImage *in, VipsImage **out) {
  if (vips_copy(in, out, NULL) != 0) return -1;
  // vips_copy gives the new image its own metadata table: removing leaves `in` untouched. Names
  // of built-in header fields (width, bands…) are listed too; removing those is a no-op.
  gchar **fields = vips_image_get_fields(*out);
  for (int i = 0; fields && fields[i]; i++) vips_image_remove(*out, fields[i]);
  g_strfreev(fields);
  return 0;
}

// MARK: Colour and format

int hvips_icc_transform(
  VipsImage *in, VipsImage **out, const char *output_profile, const char *input_profile,
  int embedded, VipsIntent intent, int depth) {
  if (input_profile)
    return vips_icc_transform(
      in, out, output_profile, "input_profile", input_profile, "embedded", embedded, "intent",
      intent, "depth", depth, NULL);
  return vips_icc_transform(
    in, out, output_profile, "embedded", embedded, "intent", intent, "depth", depth, NULL);
}

int hvips_colourspace(VipsImage *in, VipsImage **out, VipsInterpretation space) {
  return vips_colourspace(in, out, space, NULL);
}

int hvips_cast(VipsImage *in, VipsImage **out, VipsBandFormat format) {
  return vips_cast(in, out, format, NULL);
}

int hvips_flatten_white(VipsImage *in, VipsImage **out) {
  VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
  int result = vips_flatten(in, out, "background", white, NULL);
  vips_area_unref(VIPS_AREA(white));
  return result;
}

int hvips_premultiply(VipsImage *in, VipsImage **out) { return vips_premultiply(in, out, NULL); }

int hvips_unpremultiply(VipsImage *in, VipsImage **out) {
  return vips_unpremultiply(in, out, NULL);
}

// MARK: Savers

int hvips_jpegsave(
  VipsImage *in, void **bytes, size_t *length, int quality, int optimize_coding, int interlace,
  int strip) {
  return vips_jpegsave_buffer(
    in, bytes, length, "Q", quality, "optimize_coding", optimize_coding, "interlace", interlace,
    "strip", strip, NULL);
}

int hvips_webpsave(
  VipsImage *in, void **bytes, size_t *length, int quality, int lossless, int effort, int strip) {
  return vips_webpsave_buffer(
    in, bytes, length, "Q", quality, "lossless", lossless, "effort", effort, "strip", strip, NULL);
}

int hvips_avifsave(
  VipsImage *in, void **bytes, size_t *length, int quality, int effort, int strip) {
  return vips_heifsave_buffer(
    in, bytes, length, "Q", quality, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1, "effort",
    effort, "strip", strip, NULL);
}

int hvips_pngsave(
  VipsImage *in, void **bytes, size_t *length, int compression, int bitdepth, int strip) {
  if (bitdepth > 0)
    return vips_pngsave_buffer(
      in, bytes, length, "compression", compression, "bitdepth", bitdepth, "strip", strip, NULL);
  return vips_pngsave_buffer(in, bytes, length, "compression", compression, "strip", strip, NULL);
}

