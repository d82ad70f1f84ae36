#!/usr/bin/python3
"""A Docker registry token issuer for tests (the distribution "token" auth flow).

GET  /token?service=S&scope=repository:NAME:ACTIONS...   with HTTP Basic credentials
POST /token  grant_type=refresh_token&refresh_token=T&service=S&scope=...  (identity tokens)

Answers {"token", "access_token", "expires_in", "issued_at"}: a JWT signed RS256 with the
test key, its certificate in the `x5c` header (distribution checks it against the
registry's rootcertbundle). Users and the actions each may have are given on the command
line; every request is one line in the log (who, which scopes, what answer), so tests can
count token fetches. Wrong credentials get HTTP 401, as real token services answer.

usage: token_issuer.py KEY CERT ISSUER SERVICE PORTFILE LOG USER:PASS:ACTIONS... [REFRESH=USER...]
"""
import base64
import json
import os
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Issuer:
    def __init__(self, argv):
        key, cert, self.issuer, self.service, self.portfile, self.log = argv[:6]
        with open(key, "rb") as f:
            self.key = serialization.load_pem_private_key(f.read(), None)
        with open(cert, "rb") as f:
            der = x509.load_pem_x509_certificate(f.read()).public_bytes(
                serialization.Encoding.DER)
        self.x5c = [base64.b64encode(der).decode()]
        self.users = {}    # user -> (password, set of actions)
        self.refresh = {}  # refresh token -> user
        for spec in argv[6:]:
            if "=" in spec:
                tok, user = spec.split("=", 1)
                self.refresh[tok] = user
            else:
                user, pw, actions = spec.split(":", 2)
                self.users[user] = (pw, set(filter(None, actions.split(","))))

    def grant(self, user, scopes):
        allowed = self.users[user][1] if user else set()
        access = []
        for scope in " ".join(scopes).split():  # the OAuth2 POST form joins them with spaces
            parts = scope.split(":")
            if len(parts) != 3 or parts[0] != "repository":
                continue
            acts = [a for a in parts[2].split(",") if a in allowed]
            access.append({"type": "repository", "name": parts[1], "actions": acts})
        return access

    def token(self, user, access):
        now = int(time.time())
        header = {"typ": "JWT", "alg": "RS256", "x5c": self.x5c}
        claims = {"iss": self.issuer, "sub": user or "", "aud": self.service,
                  "exp": now + 300, "nbf": now - 10, "iat": now, "jti": uuid.uuid4().hex,
                  "access": access}
        signing_input = (b64url(json.dumps(header).encode()) + "." +
                         b64url(json.dumps(claims).encode()))
        sig = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + b64url(sig)

    def record(self, line):
        with open(self.log, "a") as f:
            f.write(line + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def basic_user(self):
        """(user, ok): user None when anonymous; ok False for wrong credentials."""
        h = self.headers.get("Authorization", "")
        if not h.startswith("Basic "):
            return None, True
        try:
            user, pw = base64.b64decode(h[6:]).decode().split(":", 1)
        except (ValueError, UnicodeDecodeError):
            return None, False
        known = ISSUER.users.get(user)
        return user, known is not None and known[0] == pw

    def answer(self, user, ok, grant_type, q):
        scopes = q.get("scope", [])
        if not ok or q.get("service", [""])[0] != ISSUER.service:
            ISSUER.record("%s %s %s 401" % (grant_type, user, " ".join(scopes)))
            self.send(401, {"errors": [{"code": "UNAUTHORIZED", "message": "bad credentials"}]})
            return
        access = ISSUER.grant(user, scopes)
        ISSUER.record("%s %s %s 200" % (grant_type, user, " ".join(scopes)))
        tok = ISSUER.token(user, access)
        self.send(200, {"token": tok, "access_token": tok, "expires_in": 300,
                        "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})

    def do_GET(self):
        url = urlparse(self.path)
        if url.path != "/token":
            self.send(404, {})
            return
        user, ok = self.basic_user()
        self.answer(user, ok, "basic" if user else "anonymous", parse_qs(url.query))

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        q = parse_qs(self.rfile.read(min(n, 65536)).decode())
        if urlparse(self.path).path != "/token" or \
                q.get("grant_type", [""])[0] != "refresh_token":
            self.send(400, {"error": "unsupported_grant_type"})
            return
        user = ISSUER.refresh.get(q.get("refresh_token", [""])[0])
        self.answer(user, user is not None, "refresh", q)

    def send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


ISSUER = Issuer(sys.argv[1:])
SERVER = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(ISSUER.portfile + ".tmp", "w") as pf:
    pf.write(str(SERVER.server_address[1]))
# renamed once written: the test polls for the file
os.rename(ISSUER.portfile + ".tmp", ISSUER.portfile)
SERVER.serve_forever()
