#!/usr/bin/env python3
"""A Wayback-style web archive on loopback for Benchmarks/compare's archive section.

usage: archive.py ORIGIN_DIR DEAD_PREFIX PORT_FILE

Answers CDX queries (`/cdx/search/cdx?url=U&output=json&fl=…`) for any URL that starts with
DEAD_PREFIX (e.g. http://127.0.0.1:PORT/dead/) with one capture of ORIGIN_DIR/<rest of the path>
(the query dropped), its digest the real base32 SHA-1 of the file, and raw replays
(`/web/<timestamp>id_/<url>`) of those files with Memento-Datetime. Binds a free port on
127.0.0.1 and writes it to PORT_FILE. Counts requests per kind on SIGTERM (stderr).
"""
import base64, hashlib, http.server, json, os, signal, socketserver, sys, urllib.parse

origin_dir, dead_prefix, port_file = sys.argv[1:4]
digests = {}
counts = {"cdx": 0, "replay": 0, "other": 0}


def file_of(url):
    if not url.startswith(dead_prefix):
        return None
    rest = urllib.parse.urlsplit(url[len(dead_prefix):]).path
    path = os.path.normpath(os.path.join(origin_dir, rest))
    return path if path.startswith(os.path.abspath(origin_dir)) and os.path.isfile(path) else None


def digest_of(path):
    if path not in digests:
        with open(path, "rb") as f:
            digests[path] = base64.b32encode(hashlib.sha1(f.read()).digest()).decode()
    return digests[path]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = urllib.parse.urlsplit(self.path)
        if parts.path == "/cdx/search/cdx":
            counts["cdx"] += 1
            query = urllib.parse.parse_qs(parts.query)
            url = query.get("url", [""])[0]
            fields = query.get("fl", ["timestamp,original,mimetype,statuscode,digest,length"])[0]
            fields = fields.split(",")
            path = file_of(url)
            rows = []
            if path:
                row = {"timestamp": "20190101000000", "original": url, "mimetype": "image/jpeg"
                       if path.endswith(".jpg") else "image/png", "statuscode": "200",
                       "digest": digest_of(path), "length": str(os.path.getsize(path))}
                rows = [fields, [row.get(f, "-") for f in fields]]
            self.send(200, json.dumps(rows).encode(), "application/json")
            return
        if self.path.startswith("/web/") and "id_/" in self.path:
            counts["replay"] += 1
            url = self.path.split("id_/", 1)[1]
            path = file_of(url)
            if not path:
                self.send(404, b"not archived\n", "text/plain")
                return
            with open(path, "rb") as f:
                body = f.read()
            self.send(200, body, "image/jpeg", [("Memento-Datetime", "Tue, 01 Jan 2019 00:00:00 GMT")])
            return
        counts["other"] += 1
        self.send(404, b"no such route\n", "text/plain")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", 0), Handler)
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))


def stop(*_):
    sys.stderr.write(json.dumps(counts) + "\n")
    os._exit(0)


signal.signal(signal.SIGTERM, stop)
server.serve_forever()
