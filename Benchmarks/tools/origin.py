#!/usr/bin/env python3
"""Lays out the fetch-and-thumbnail origin for Benchmarks/compare.

usage: origin.py CORPUS ORIGIN_DIR BASE_URL --copies N --records FILE --curl-config FILE
                 --downloads DIR

Copies every JPEG and PNG of CORPUS (its jpeg/ and png/ folders) N times under
ORIGIN_DIR/set-001/…, each copy with distinct bytes but identical pixels (a JPEG comment segment
or a PNG tEXt chunk naming the copy), so no tool can skip work by recognising bytes it has seen:
every reference is one download and one render for everyone. Writes
  - FILE (--records): one JSON Lines article record per reference, declared 640x480, the URL
    asking for JPEG output (`?format=jpg`, a Fastly parameter: the master is the query-less URL);
  - a curl config (--curl-config) that downloads the same query-less URLs into --downloads.
Prints the number of references.
"""
import argparse, json, os, struct, sys, zlib

parser = argparse.ArgumentParser()
parser.add_argument("corpus")
parser.add_argument("origin")
parser.add_argument("base_url")
parser.add_argument("--copies", type=int, required=True)
parser.add_argument("--records", required=True)
parser.add_argument("--curl-config", required=True)
parser.add_argument("--downloads", required=True)
args = parser.parse_args()


def jpeg_copy(data, tag):
    # SOI, then a COM segment (FF FE, big-endian length including itself), then the rest.
    if data[:2] != b"\xff\xd8":
        sys.exit("not a JPEG")
    comment = tag.encode()
    return data[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + data[2:]


def png_copy(data, tag):
    # Signature (8 bytes) and IHDR (8 + 13 + 4 bytes), then a tEXt chunk, then the rest.
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("not a PNG")
    body = b"Comment\x00" + tag.encode()
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF)
    return data[:33] + chunk + data[33:]


sources = []
for folder, copy in (("jpeg", jpeg_copy), ("png", png_copy)):
    directory = os.path.join(args.corpus, folder)
    if os.path.isdir(directory):
        for name in sorted(os.listdir(directory)):
            with open(os.path.join(directory, name), "rb") as f:
                sources.append((name, f.read(), copy))
if not sources:
    sys.exit(f"no JPEG or PNG in {args.corpus}")

count = 0
with open(args.records, "w") as records, open(args.curl_config, "w") as curl:
    curl.write("create-dirs\n")
    for index in range(1, args.copies + 1):
        folder = f"set-{index:03d}"
        os.makedirs(os.path.join(args.origin, folder), exist_ok=True)
        for name, data, copy in sources:
            path = f"{folder}/{name}"
            with open(os.path.join(args.origin, path), "wb") as f:
                f.write(copy(data, f"halftone benchmark copy {index}"))
            url = f"{args.base_url}/{path}"
            records.write(json.dumps({
                "title": f"Benchmark article {count + 1}",
                "sourceUrl": f"https://news.example/article-{count + 1}",
                "images": [{"url": url + "?format=jpg", "width": 640, "height": 480}],
            }) + "\n")
            curl.write(f'url = "{url}"\noutput = "{os.path.join(args.downloads, path)}"\n')
            count += 1
print(count)
