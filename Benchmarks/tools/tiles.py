#!/usr/bin/env python3
"""Makes the thumbnails the serving benchmark serves: COUNT distinct 640x480 JPEGs (quality 85)
cut from the corpus photos at different places, so every blob is different.

usage: tiles.py CORPUS_JPEG_DIR OUT_DIR COUNT
"""
import os, sys

import pyvips

source_dir, out_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out_dir, exist_ok=True)
# Each photo once, reduced to 1920 px wide in memory; then windows of 640x480 at offsets that
# walk across it.
photos = []
for name in sorted(os.listdir(source_dir)):
    image = pyvips.Image.thumbnail(os.path.join(source_dir, name), 1920, height=1920)
    if image.width >= 800 and image.height >= 600:
        photos.append(image.copy_memory())
if not photos:
    sys.exit(f"no photos in {source_dir}")
for index in range(count):
    photo = photos[index % len(photos)]
    step = index // len(photos)
    x = (step * 97) % (photo.width - 640)
    y = (step * 61) % (photo.height - 480)
    photo.crop(x, y, 640, 480).jpegsave(
        os.path.join(out_dir, f"tile-{index:04d}.jpg"), Q=85, optimize_coding=True, strip=True)
print(count)
