#!/usr/bin/env python3
"""A registry that misbehaves, on two loopback origins (plain HTTP). Origin A (PORT_A) is the
registry: manifest tag "latest" answers 307 to origin B, tag "direct" (and its digest) is
served as is, and every blob answers 307 to origin B, which serves the bytes (a storage
backend). Tag "big" declares a 1400-byte layer whose blob is answered with 2 GiB of zeros,
sent until the client hangs up. Everything else is 404. Prints "ready" once both listen.
usage: fault_registry.py PORT_A PORT_B"""
import hashlib
import http.server
import json
import sys
import threading

CONFIG = b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
LAYER = b'a layer that lives in a storage backend\n'


def digest(b):
    return 'sha256:' + hashlib.sha256(b).hexdigest()


def manifest_of(layer):
    return json.dumps({
        'schemaVersion': 2,
        'mediaType': 'application/vnd.oci.image.manifest.v1+json',
        'config': {'mediaType': 'application/vnd.oci.image.config.v1+json',
                   'digest': digest(CONFIG), 'size': len(CONFIG)},
        'layers': [{'mediaType': 'application/vnd.oci.image.layer.v1.tar',
                    'digest': digest(layer), 'size': len(layer)}],
    }, separators=(',', ':')).encode()


MANIFEST = manifest_of(LAYER)
BLOBS = {digest(CONFIG): CONFIG, digest(LAYER): LAYER}
BIG_LAYER = b'\0' * 1400  # what the descriptor promises
BIG = manifest_of(BIG_LAYER)
MT = 'application/vnd.oci.image.manifest.v1+json'


class Handler(http.server.BaseHTTPRequestHandler):
    other = None  # origin B's port, on origin A

    def log_message(self, *args):
        pass

    def send(self, status, body=b'', headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def manifest(self, m=MANIFEST):
        self.send(200, m, [('Content-Type', MT), ('Docker-Content-Digest', digest(m))])

    def flood(self):
        total = 2 << 30
        self.send_response(200)
        self.send_header('Content-Type', 'application/octet-stream')
        self.send_header('Content-Length', str(total))
        self.end_headers()
        chunk = b'\0' * 65536
        try:
            for _ in range(total // len(chunk)):
                self.wfile.write(chunk)
        except OSError:
            pass

    def do_GET(self):
        p = self.path.split('?')[0]
        if self.other is not None:  # origin A
            if p == '/v2/app/manifests/latest':
                return self.send(307, headers=[('Location', 'http://127.0.0.1:%d%s' % (self.other, p))])
            if p in ('/v2/app/manifests/direct', '/v2/app/manifests/' + digest(MANIFEST)):
                return self.manifest()
            if p in ('/v2/app/manifests/big', '/v2/app/manifests/' + digest(BIG)):
                return self.manifest(BIG)
            if p == '/v2/app/blobs/' + digest(CONFIG) and self.command == 'GET':
                return self.send(200, CONFIG, [('Content-Type', 'application/octet-stream')])
            if p == '/v2/app/blobs/' + digest(BIG_LAYER):
                return self.flood()
            if p.startswith('/v2/app/blobs/') and p[len('/v2/app/blobs/'):] in BLOBS:
                d = p[len('/v2/app/blobs/'):]
                return self.send(307, headers=[('Location', 'http://127.0.0.1:%d/store/%s' % (self.other, d))])
        else:  # origin B
            if p == '/v2/app/manifests/latest':
                return self.manifest()
            if p.startswith('/store/') and p[len('/store/'):] in BLOBS:
                return self.send(200, BLOBS[p[len('/store/'):]], [('Content-Type', 'application/octet-stream')])
        self.send(404, b'{"errors":[{"code":"NOT_FOUND","message":"not here"}]}',
                  [('Content-Type', 'application/json')])

    do_HEAD = do_GET


def main():
    a, b = int(sys.argv[1]), int(sys.argv[2])
    HA = type('HA', (Handler,), {'other': b})
    sa = http.server.ThreadingHTTPServer(('127.0.0.1', a), HA)
    sb = http.server.ThreadingHTTPServer(('127.0.0.1', b), Handler)
    for s in (sa, sb):
        threading.Thread(target=s.serve_forever, daemon=True).start()
    print('ready', flush=True)
    threading.Event().wait()


if __name__ == '__main__':
    main()
