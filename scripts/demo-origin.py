#!/usr/bin/env python3
"""A local image origin for the quick start: serves DIR on 127.0.0.1 like the origin behind an
image CDN (the query string is ignored, so every URL names its master). Prints the port."""
import functools, http.server, sys

directory, port = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


handler = functools.partial(Quiet, directory=directory)
try:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
except OSError:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(server.server_address[1], flush=True)
server.serve_forever()
