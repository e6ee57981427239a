#!/usr/bin/env python3
"""Drives an HTTP thumbnailer (thumbor) with a fixed request list, like a client that needs
thumbnails: CONCURRENCY threads, each with a keep-alive connection, take the next request of the
list until it is empty. Every response must be 200 with an image/jpeg body; anything else counts
as an error. One untimed warm-up pass over the distinct paths comes first.

usage: http_drive.py PATHS_FILE --ports P[,P…] [--concurrency N] [--repeat K] [--timeout S]
The i-th thread talks to port i mod len(ports) (one server process per core, like a balancer).
Prints one JSON line: requests, errors, seconds, images_per_second, p50_ms, p99_ms.
"""
import argparse, http.client, json, sys, threading, time

parser = argparse.ArgumentParser()
parser.add_argument("paths")
parser.add_argument("--ports", required=True)
parser.add_argument("--concurrency", type=int, default=1)
parser.add_argument("--repeat", type=int, default=1)
parser.add_argument("--timeout", type=float, default=120)
args = parser.parse_args()
ports = [int(p) for p in args.ports.split(",")]
with open(args.paths) as f:
    paths = [line.strip() for line in f if line.strip()]


def fetch(connection, path):
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    ok = response.status == 200 and response.getheader("Content-Type", "").startswith("image/jpeg")
    return ok and body[:3] == b"\xff\xd8\xff", response.status


def connect(port):
    return http.client.HTTPConnection("127.0.0.1", port, timeout=args.timeout)


# Warm-up: each path once on each server process, untimed.
for port in ports:
    connection = connect(port)
    for path in paths:
        ok, status = fetch(connection, path)
        if not ok:
            sys.exit(f"warm-up: {path} on port {port} answered {status}")
    connection.close()

jobs = paths * args.repeat
lock = threading.Lock()
latencies, errors = [], []


def worker(index):
    connection = connect(ports[index % len(ports)])
    local = []
    while True:
        with lock:
            if not jobs:
                break
            path = jobs.pop()
        started = time.perf_counter()
        try:
            ok, status = fetch(connection, path)
        except (OSError, http.client.HTTPException) as error:
            ok, status = False, repr(error)
            connection.close()
            connection = connect(ports[index % len(ports)])
        local.append(time.perf_counter() - started)
        if not ok:
            with lock:
                errors.append(f"{path}: {status}")
    connection.close()
    with lock:
        latencies.extend(local)


total = len(jobs)
start = time.perf_counter()
threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.concurrency)]
for t in threads:
    t.start()
for t in threads:
    t.join()
seconds = time.perf_counter() - start
latencies.sort()


def percentile(p):
    return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000, 1)


print(json.dumps({
    "requests": total, "errors": len(errors), "first_error": errors[0] if errors else None,
    "seconds": round(seconds, 3), "images_per_second": round((total - len(errors)) / seconds, 2),
    "p50_ms": percentile(0.50), "p99_ms": percentile(0.99),
}))
