import HalftoneImaging

/// The photo-like test pattern, built from libvips operations (fast enough for masters of
/// several megapixels: about a second for 3279×2328 on one core).
enum PhotoPattern {
  /// Red, green and blue each mix a gradient across the frame, waves of different periods and
  /// directions (43–311 px: several output pixels even after a 5× reduction) and gaussian noise.
  /// Nothing repeats at the scale of a crop offset, so a shifted crop scores clearly lower.
  static func image(width: Int, height: Int) throws(VipsError) -> VipsImage {
    let coordinates = try VipsImage.xyz(width: width, height: height)
    let x = try coordinates.bands(0)
    let y = try coordinates.bands(1)
    let (w, h) = (Double(width), Double(height))

    // sin or cos of (value × 360 / period + phase), in degrees, times amplitude.
    func wave(
      _ value: VipsImage, period: Double, phase: Double = 0, cosine: Bool = false,
      amplitude: Double
    ) throws(VipsError) -> VipsImage {
      let angle = try value.linear(360 / period, phase)
      return try (cosine ? angle.cosDegrees() : angle.sinDegrees()).linear(amplitude, 0)
    }

    // Colour varies slowly (gradients, long waves); fine detail is mostly in luminance, as in
    // photographs (and as JPEG's chroma subsampling expects).
    let red =
      try x.linear(60 / w, 110)
      + (wave(x, period: 173, phase: 20, amplitude: 35)
        * wave(y, period: 241, cosine: true, amplitude: 1))
    let green =
      try y.linear(70 / h, 100)
      + wave(x.linear(1, 0) - y.linear(97.0 / 131.0, 0), period: 97, amplitude: 30)
    let blue =
      try x.linear(-50 / w, 130)
      + wave(x.linear(0.6, 0) - y.linear(0.8, 0), period: 311, cosine: true, amplitude: 40)
    let detail =
      try wave(x + y, period: 61, amplitude: 14)
      + wave(x, period: 43, cosine: true, amplitude: 10)
      + wave(y, period: 53, amplitude: 10)
    let colour =
      try VipsImage.bandjoin([red + detail, green + detail, blue + detail])
      + noise(width: width, height: height)
    return try colour.cast(to: .uchar).reinterpreted(as: .srgb)
  }

  /// Three bands of gaussian noise (sigma 6). Gaussian noise is the slow part of the pattern, so a
  /// 256 px tile is made once and repeated: the repeat is far larger than any crop shift tested.
  static func noise(width: Int, height: Int) throws(VipsError) -> VipsImage {
    let tile = 256
    let bands = try (1...3).map { (seed: Int) throws(VipsError) -> VipsImage in
      try VipsImage.gaussianNoise(width: tile, height: tile, sigma: 6, seed: seed)
    }
    let across = (width + tile - 1) / tile
    let down = (height + tile - 1) / tile
    return try VipsImage.bandjoin(bands).materialized()
      .replicated(across: across, down: down)
      .extractArea(x: 0, y: 0, width: width, height: height)
  }
}
