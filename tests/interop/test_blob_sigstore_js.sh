#!/usr/bin/env bash
# Sigstore bundles against sigstore-js (@sigstore/verify, pinned in tests/interop/npm):
# it verifies vouch's message-signature and DSSE bundles and envelopes offline with the
# public key; tampering is rejected; vouch verifies sigstore-js-made bundles (also in unit
# tests) through the CLI.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
export VOUCH_PASSWORD=""
export NODE_PATH=$VOUCH_SRC/tests/interop/npm/node_modules
JS=$VOUCH_SRC/tests/interop/sigstore-verify.js
SJS=$VECTORS/sigstore-js
if [ ! -d "$NODE_PATH/@sigstore/verify" ]; then
    bad "npm peers missing: run 'bash scripts/setup.sh'"
    finish
    exit 1
fi

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
openssl pkey -in ec.key -pubout -out ec.pub
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key 2>/dev/null
openssl pkey -in other.key -pubout -out other.pub
printf 'an artifact for sigstore-js\n' > art.txt
printf 'an artifact for sigstore-js!\n' > tampered.txt

# the oracle works: sigstore-js verifies its own recorded vectors
run node "$JS" "$SJS/msg.bundle.json" "$SJS/key.pub" "$SJS/artifact.txt"
expect_rc 0 "sigstore-js verifies its recorded message bundle"

# message-signature bundle from vouch sign-blob --bundle
run "$VOUCH" sign-blob --key ec.key --bundle msg.json art.txt
expect_rc 0 "vouch sign-blob --bundle"
run node "$JS" msg.json ec.pub art.txt
expect_rc 0 "sigstore-js verifies vouch's message bundle"
expect_eq "$OUT" "VERIFIED" "sigstore-js says VERIFIED"
run node "$JS" msg.json ec.pub tampered.txt
expect_rc 1 "sigstore-js rejects it over a tampered artifact"
run node "$JS" msg.json other.pub art.txt
expect_rc 1 "sigstore-js rejects it with another key"

# DSSE envelope and DSSE bundle made through libsign's public API
printf '{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"art.txt","digest":{"sha256":"%s"}}],"predicateType":"https://example.com/p/v1","predicate":{}}' \
    "$(openssl dgst -sha256 -r art.txt | cut -d' ' -f1)" > statement.json
run "$VOUCH_DSSE_TOOL" sign ec.key application/vnd.in-toto+json statement.json env.json dsse.json
expect_rc 0 "libsign signs a DSSE envelope and bundle"
expect_eq "$(jq -r '.signatures[0].keyid' env.json)" "" "envelope keyid is empty"
expect_eq "$(jq -r '.payload' env.json | base64 -d)" "$(cat statement.json)" "envelope payload bytes"
run node "$JS" dsse.json ec.pub
expect_rc 0 "sigstore-js verifies vouch's DSSE bundle"
run node "$JS" env.json ec.pub
expect_rc 0 "sigstore-js verifies vouch's DSSE envelope"
run node "$JS" dsse.json other.pub
expect_rc 1 "sigstore-js rejects the DSSE bundle with another key"
jq '.dsseEnvelope.payloadType = "application/vnd.in-toto"' dsse.json > dsse-type.json
run node "$JS" dsse-type.json ec.pub
expect_rc 1 "sigstore-js rejects a changed payloadType"
jq --arg p "$(printf '{"_type":"x"}' | base64 -w0)" '.dsseEnvelope.payload = $p' dsse.json > dsse-payload.json
run node "$JS" dsse-payload.json ec.pub
expect_rc 1 "sigstore-js rejects a changed payload"
run "$VOUCH_DSSE_TOOL" verify ec.pub dsse.json
expect_rc 0 "libsign verifies its own DSSE bundle"
expect_eq "$OUT" "$(cat statement.json)" "verified payload is the exact statement bytes"
run "$VOUCH_DSSE_TOOL" verify ec.pub dsse-type.json
expect_rc 1 "libsign rejects the changed payloadType"

# vouch verifies sigstore-js-made artefacts
run "$VOUCH" verify-blob --key "$SJS/key.pub" --bundle "$SJS/msg.bundle.json" "$SJS/artifact.txt"
expect_rc 0 "vouch verifies sigstore-js's message bundle"
run "$VOUCH" verify-blob --key "$SJS/key.pub" --bundle "$SJS/msg.bundle.json" tampered.txt
expect_rc 1 "vouch rejects it over another artifact"
run "$VOUCH_DSSE_TOOL" verify "$SJS/key.pub" "$SJS/dsse.bundle.json"
expect_rc 0 "libsign verifies sigstore-js's DSSE bundle"
run "$VOUCH_DSSE_TOOL" verify "$SJS/key.pub" "$SJS/envelope.dsse.json"
expect_rc 0 "libsign verifies sigstore-js's DSSE envelope"
jq '.payloadType = "text/plain"' "$SJS/envelope.dsse.json" > sjs-env-type.json
run "$VOUCH_DSSE_TOOL" verify "$SJS/key.pub" sjs-env-type.json
expect_rc 1 "libsign rejects sigstore-js's envelope with a changed payloadType"
run "$VOUCH_DSSE_TOOL" verify ec.pub "$SJS/envelope.dsse.json"
expect_rc 1 "libsign rejects sigstore-js's envelope with another key"
finish
