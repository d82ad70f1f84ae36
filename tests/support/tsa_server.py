#!/usr/bin/env python3
"""A test RFC 3161 timestamp authority on loopback: each POSTed timestamp query is answered by
`openssl ts -reply -config CONFIG` (the TSA certificate, key and policy that config names).

usage: tsa_server.py CONFIG PORTFILE [SECONDS]
Binds 127.0.0.1 on a port the system picks (so it is free), writes that port to PORTFILE,
and stops by itself after SECONDS (default 600). Requests are logged to stderr."""
import http.server
import os
import subprocess
import sys
import tempfile
import time

CONFIG, PORTFILE = sys.argv[1], sys.argv[2]
DEADLINE = time.time() + (float(sys.argv[3]) if len(sys.argv) > 3 else 600)
MAX_QUERY = 64 << 10


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        if n <= 0 or n > MAX_QUERY or \
                self.headers.get("Content-Type") != "application/timestamp-query":
            self.send_error(400, "not a timestamp query")
            return
        query = self.rfile.read(n)
        with tempfile.TemporaryDirectory() as d:
            q, r = os.path.join(d, "q.tsq"), os.path.join(d, "r.tsr")
            with open(q, "wb") as f:
                f.write(query)
            p = subprocess.run(["openssl", "ts", "-reply", "-config", CONFIG, "-queryfile", q,
                                "-out", r], capture_output=True, timeout=30)
            if p.returncode != 0:
                sys.stderr.write(p.stderr.decode(errors="replace"))
                self.send_error(500, "openssl ts -reply failed")
                return
            with open(r, "rb") as f:
                body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
srv.timeout = 1
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
while time.time() < DEADLINE:
    srv.handle_request()
