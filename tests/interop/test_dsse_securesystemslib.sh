#!/usr/bin/env bash
# DSSE against Debian's python3-securesystemslib: it verifies vouch's envelope, vouch
# verifies its envelope, and a tampered payloadType is rejected by both.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
PY=/usr/bin/python3
SSL=$VECTORS/sslib

cat > sslib_verify.py <<'PYEOF'
# usage: sslib_verify.py ENVELOPE PUB.pem -> prints VERIFIED (exit 0) or FAILED (exit 1)
import base64, json, sys
from securesystemslib import exceptions
from securesystemslib.signer import Signature, SSlibKey

KEYID = "0" * 64  # sslib wants a hex keyid; it only names the key here

def pae(ptype, body):
    t = ptype.encode()
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(body), body)

env = json.load(open(sys.argv[1]))
key = SSlibKey(KEYID, "ecdsa", "ecdsa-sha2-nistp256", {"public": open(sys.argv[2]).read()})
data = pae(env["payloadType"], base64.b64decode(env["payload"]))
for s in env["signatures"]:
    try:
        key.verify_signature(Signature(KEYID, base64.b64decode(s["sig"]).hex()), data)
        print("VERIFIED")
        sys.exit(0)
    except (exceptions.UnverifiedSignatureError, exceptions.VerificationError):
        pass
print("FAILED")
sys.exit(1)
PYEOF

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
openssl pkey -in ec.key -pubout -out ec.pub
printf '{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"x","predicate":{}}' > stmt.json

# the oracle works on its own recorded envelope
run $PY sslib_verify.py "$SSL/sslib-envelope.json" "$SSL/sslib-key.pub"
expect_rc 0 "securesystemslib verifies its recorded envelope"

# vouch's envelope, verified by securesystemslib
run "$VOUCH_DSSE_TOOL" sign ec.key application/vnd.in-toto+json stmt.json env.json bundle.json
expect_rc 0 "libsign signs a DSSE envelope"
expect_match "$(cat env.json)" '^\{"payloadType":"application/vnd.in-toto\+json","payload":"[A-Za-z0-9+/=]+","signatures":\[\{"keyid":"","sig":"[A-Za-z0-9+/=]+"\}\]\}$' \
    "envelope has cosign v2's byte shape"
run $PY sslib_verify.py env.json ec.pub
expect_rc 0 "securesystemslib verifies vouch's envelope"
expect_eq "$OUT" "VERIFIED" "securesystemslib says VERIFIED"
jq -c '.payloadType = "text/plain"' env.json > env-type.json
run $PY sslib_verify.py env-type.json ec.pub
expect_rc 1 "securesystemslib rejects vouch's envelope with a changed payloadType"
run "$VOUCH_DSSE_TOOL" verify ec.pub env-type.json
expect_rc 1 "libsign rejects the same tampered envelope"

# securesystemslib's envelope, verified by vouch
run "$VOUCH_DSSE_TOOL" verify "$SSL/sslib-key.pub" "$SSL/sslib-envelope.json"
expect_rc 0 "libsign verifies securesystemslib's envelope"
expect_match "$OUT" '"predicateType": "x"' "verified payload returned"
jq -c '.payloadType = "text/plain"' "$SSL/sslib-envelope.json" > sslib-type.json
run "$VOUCH_DSSE_TOOL" verify "$SSL/sslib-key.pub" sslib-type.json
expect_rc 1 "libsign rejects securesystemslib's envelope with a changed payloadType"
run $PY sslib_verify.py sslib-type.json "$SSL/sslib-key.pub"
expect_rc 1 "securesystemslib rejects it too"
run "$VOUCH_DSSE_TOOL" verify ec.pub "$SSL/sslib-envelope.json"
expect_rc 1 "libsign rejects securesystemslib's envelope with another key"
finish
