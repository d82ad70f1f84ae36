#!/usr/bin/python3
# Verify a DSSE envelope holding an in-toto statement with Debian python3-securesystemslib
# (0.26 ships no Envelope class, so PAE is built here from the DSSE v1 spec), then check
# that a subject carries the artifact's SHA-256 with hashlib.
#   slsa_sslib_verify.py ENVELOPE.json PUB.pem ARTIFACT
# Prints "VERIFIED <predicateType>" (exit 0) or "FAILED <reason>" (exit 1).
import base64
import hashlib
import json
import sys

from securesystemslib import exceptions
from securesystemslib.signer import Signature, SSlibKey

KEYID = "0" * 64  # sslib wants a hex keyid; vouch writes "" and there is one key

def pae(payload_type, payload):
    t = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)

def main(argv):
    env = json.load(open(argv[1], encoding="utf-8"))
    key = SSlibKey(KEYID, "ecdsa", "ecdsa-sha2-nistp256",
                   {"public": open(argv[2], encoding="utf-8").read()})
    payload = base64.b64decode(env["payload"])
    data = pae(env["payloadType"], payload)
    ok = False
    for s in env["signatures"]:
        sig = Signature(KEYID, base64.b64decode(s["sig"]).hex())  # sslib: hex of DER
        try:
            key.verify_signature(sig, data)
            ok = True
        except (exceptions.UnverifiedSignatureError, exceptions.VerificationError):
            pass
    if not ok:
        print("FAILED signature")
        return 1
    if env["payloadType"] != "application/vnd.in-toto+json":
        print("FAILED payloadType")
        return 1
    st = json.loads(payload)
    want = hashlib.sha256(open(argv[3], "rb").read()).hexdigest()
    if not any(s.get("digest", {}).get("sha256") == want for s in st["subject"]):
        print("FAILED subject")
        return 1
    print("VERIFIED %s" % st["predicateType"])
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv))
