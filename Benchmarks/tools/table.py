#!/usr/bin/env python3
"""Prints Benchmarks/compare's results as one Markdown table plus the goals, from RESULTS_DIR
(results.jsonl, machine.json, corpus.json).

usage: table.py RESULTS_DIR
"""
import json, os, sys

directory = sys.argv[1]
measured = [json.loads(line) for line in open(os.path.join(directory, "results.jsonl")) if line.strip()]
# Several rounds of the same measurement: keep the best (highest throughput), in first-seen order.
best = {}
for row in measured:
    key = (row["section"], row["tool"], row["how"], row["threads"])
    rounds = best[key]["rounds"] + 1 if key in best else 1
    if key not in best or (row["value"] or 0) > (best[key]["value"] or 0):
        best[key] = dict(row)
    best[key]["rounds"] = rounds
rows = list(best.values())
machine = json.load(open(os.path.join(directory, "machine.json")))
corpus_path = os.path.join(directory, "corpus.json")
corpus = json.load(open(corpus_path))["corpus"] if os.path.exists(corpus_path) else "?"

SECTIONS = {
    "thumbnail": "thumbnail → 640×480 JPEG",
    "fetch": "fetch + thumbnail",
    "fetch-throttled": f"fetch + thumbnail, origin at {machine.get('throttle', '?')}/s a connection",
    "serve": "serve blobs (wrk -c 64), access log on",
    "serve-quiet": "serve blobs (wrk -c 64), access log off",
    "store-prefetch": "fetch + thumbnail into an S3 bucket",
    "store-shards": "fetch + thumbnail into an S3 bucket, sharded",
    "store-pinned": "fetch + thumbnail into an S3 bucket on a core of its own",
    "store-serve": "serve blobs from an S3 bucket (wrk -c 64)",
    "archive-prefetch": "fetch + thumbnail, 30 % recovered from a web archive",
}


def halftone(section, threads):
    for row in rows:
        if row["section"] == section and row["tool"] == "Halftone" and row["threads"] == threads:
            return row
    return None


def ratio(row):
    """Halftone's rate over this row's rate, at the same thread count."""
    own = halftone(row["section"], row["threads"])
    if not own or not row["value"] or own["value"] is None:
        return None
    return own["value"] / row["value"]


def fmt(value, digits=1):
    return "–" if value is None else f"{value:,.{digits}f}"


print(f"Machine: {machine.get('nproc')} × {machine.get('cpu')}, {machine.get('memory_gib')} GiB, "
      f"Linux {machine.get('kernel')}, {machine.get('libvips')}; {machine.get('date')}; "
      f"{machine.get('mode')} run.  ")
if machine.get("halftone"):
    print(f"Halftone measured: `{machine['halftone']}`.  ")
print(f"Load (uptime) at start: `{machine.get('uptime_start', '?')}`; "
      f"at end: `{machine.get('uptime_end', '?')}`.  ")
print(f"Corpus: {corpus}.  ")
most_rounds = max((row["rounds"] for row in rows), default=1)
if most_rounds > 1:
    print(f"Thumbnail figures: best of {most_rounds} rounds that alternate the tools.")
print()
print("| work | tool | how | threads | throughput | p99 latency | peak RSS | Halftone ÷ tool |")
print("|---|---|---|---:|---:|---:|---:|---:|")
for row in rows:
    r = ratio(row)
    errors = f" ({row['errors']} errors)" if row.get("errors") else ""
    section = SECTIONS.get(row["section"]) or row["section"].replace(
        "by source format: ", "thumbnail, only ") + " sources"
    print(f"| {section} | {row['tool']} | {row['how']} | "
          f"{row['threads']} | {fmt(row['value'])} {row['unit']}{errors} | "
          f"{'–' if row['p99_ms'] is None else fmt(row['p99_ms']) + ' ms'} | {fmt(row['rss_mb'], 0)} MB | "
          f"{'–' if row['tool'] == 'Halftone' or r is None else f'{r:.2f}×'} |")


def find(section, tool, threads):
    for row in rows:
        if row["section"] == section and row["tool"] == tool and row["threads"] == threads:
            return row
    return None


cores = machine.get("nproc") or 1
goals = []


def goal(text, numerator, denominator, target, extra_ok=True, note=""):
    if not numerator or not denominator or not denominator["value"]:
        return
    value = numerator["value"] / denominator["value"]
    met = value >= target and extra_ok
    goals.append((text, f"{value:.2f}×{note}", "yes" if met else "**no**"))


goal("thumbnails/s ≥ 1.0× the pyvips loop, 1 thread", halftone("thumbnail", 1),
     find("thumbnail", "pyvips loop", 1), 1.0)
if cores > 1:
    goal(f"thumbnails/s on {cores} threads ≥ 1.8× the pyvips loop on 1 thread",
         halftone("thumbnail", cores), find("thumbnail", "pyvips loop", 1), 1.8)
    goal(f"(for reference: {cores} threads vs the pyvips loop on {cores})",
         halftone("thumbnail", cores), find("thumbnail", "pyvips loop", cores), 0.0)
for tool, target in (("thumbor", 1.5), ("ImageMagick", 3.0)):
    for threads in sorted({1, cores}):
        goal(f"thumbnails/s ≥ {target}× {tool}, {threads} thread(s)",
             halftone("thumbnail", threads), find("thumbnail", tool, threads), target)
prefetch = halftone("fetch", cores)
bench_of_origin = next((row for row in rows if row["section"] == "fetch"
                        and row["how"].startswith("halftone bench")), None)
if prefetch and bench_of_origin:
    rss = prefetch.get("rss_mb") or 0
    goal("prefetch ≥ 0.85× halftone bench on the same files, peak RSS ≤ 300 MB", prefetch,
         bench_of_origin, 0.85, 0 < rss <= 300, f", {rss:.0f} MB")
goal("prefetch ≥ 2× curl --parallel + vipsthumbnail", prefetch,
     find("fetch", "curl + vipsthumbnail", cores), 2.0)
goal("(for reference: the same from the throttled origin)", halftone("fetch-throttled", cores),
     find("fetch-throttled", "curl + vipsthumbnail", cores), 0.0)
for section, label, target in (("serve", "access logs on", 0.9), ("serve-quiet", "access logs off", 1.0)):
    serve_h, serve_n = halftone(section, cores), find(section, "nginx", cores)
    if serve_h and serve_n:
        errors = (serve_h.get("errors") or 0) + (serve_n.get("errors") or 0)
        goal(f"serving req/s ≥ {target}× nginx, {label}, zero errors", serve_h, serve_n, target,
             errors == 0, f", {errors} errors")
bucket, local = halftone("store-prefetch", cores), find("store-prefetch", "Halftone, local cache", cores)
if bucket and local:
    rss = bucket.get("rss_mb") or 0
    goal("prefetch into the bucket ≥ 0.85× into the local cache, peak RSS ≤ 300 MB", bucket, local,
         0.85, 0 < rss <= 300, f", {rss:.0f} MB")
goal("(bucket on its own core) prefetch on core 0 into the bucket ≥ 0.85× into the local cache",
     halftone("store-pinned", 1), find("store-pinned", "Halftone, local cache", 1), 0.85)
goal("2 sharded prefetches on 2 cores ≥ 1.7× 1 process on 1 core", halftone("store-shards", 2),
     find("store-shards", "Halftone, 1 process", 1), 1.7)
dead, live = halftone("archive-prefetch", cores), find("archive-prefetch", "Halftone, all live", cores)
if dead and live:
    grown = (dead.get("rss_mb") or 0) / max(live.get("rss_mb") or 1, 1)
    goal("prefetch with 30 % recovered from an archive ≥ 0.8× all live, peak RSS within 10 %",
         dead, live, 0.8, grown <= 1.1, f", RSS {grown:.2f}×")
served = find("store-serve", "Halftone, local cache", cores)
goal("serve --store after warm-up ≥ 0.9× serving the local cache", halftone("store-serve", cores),
     served, 0.9)
goal("serve --store from an empty local folder ≥ 0.3× serving the local cache",
     find("store-serve", "Halftone, cold start", cores), served, 0.3)
goal("(for reference: serve --store keeping nothing, every request to the bucket)",
     find("store-serve", "Halftone, bucket only", cores), served, 0.0)
if goals:
    print()
    print("| goal | Halftone ÷ peer | met |")
    print("|---|---:|---|")
    for text, value, met in goals:
        if text.startswith("(for reference"):
            met = "–"
        print(f"| {text} | {value} | {met} |")
