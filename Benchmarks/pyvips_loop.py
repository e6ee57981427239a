#!/usr/bin/env python3
"""The peer `halftone bench` is measured against: an in-process pyvips loop of thumbnail_buffer +
jpegsave_buffer over the same files, same libvips, same threads, same size.

usage: pyvips_loop.py DIR [--size 640x480] [--threads N] [--repeat K]
Prints one JSON line: images, renders, seconds, images_per_second, peak_rss_mb.
"""
import argparse, json, os, resource, sys, threading, time

os.environ.setdefault("VIPS_CONCURRENCY", "1")  # read when libvips starts, so before the import
import pyvips  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("directory")
parser.add_argument("--size", default="640x480")
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--repeat", type=int, default=1)
args = parser.parse_args()
width, height = (int(v) for v in args.size.split("x"))

# As Halftone runs libvips: no operation cache, one libvips thread per call, parallelism from callers.
pyvips.cache_set_max(0)

images = []
for root, _, files in os.walk(args.directory):
    for name in sorted(files):
        with open(os.path.join(root, name), "rb") as f:
            data = f.read()
        if data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n" or data[8:12] == b"WEBP":
            images.append(data)
if not images:
    sys.exit(f"no images in {args.directory}")


def render(data):
    thumb = pyvips.Image.thumbnail_buffer(data, width, height=height, crop="centre")
    return thumb.jpegsave_buffer(Q=85, optimize_coding=True, strip=True)


for data in images:  # warm-up
    render(data)

jobs = list(range(len(images) * args.repeat))
lock = threading.Lock()


def worker():
    while True:
        with lock:
            if not jobs:
                return
            job = jobs.pop()
        render(images[job % len(images)])


start = time.perf_counter()
threads = [threading.Thread(target=worker) for _ in range(args.threads)]
for t in threads:
    t.start()
for t in threads:
    t.join()
seconds = time.perf_counter() - start
renders = len(images) * args.repeat
print(json.dumps({
    "images": len(images), "renders": renders, "threads": args.threads,
    "seconds": round(seconds, 3), "images_per_second": round(renders / seconds, 2),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}))
