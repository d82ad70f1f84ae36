#!/usr/bin/env bash
# vouch sign --format notation --timestamp-url URL --timestamp-root-cert PEM: the signature
# value countersigned by a test timestamp authority on loopback (tests/support/tsa_server.py
# answering with `openssl ts -reply`, its TSA certificate made here by openssl), the token in
# the JWS and COSE unprotected headers, checked by `openssl ts -verify` and verified by vouch
# against the tsa trust store; the token's accuracy widens the time checked against the
# chain; a wrong root or an unreachable TSA fails the signing and writes nothing.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/notation.sh"
cd "$T" || exit 1
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT
NV=$SHARED/vectors/notation
D=sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0
fresh() { rm -rf "$1" && cp -r "$NV/internal/testdata/oci-layout" "$1" && chmod -R u+w "$1"; }
b64url_decode() { local s=$1; while [ $((${#s} % 4)) -ne 0 ]; do s="$s="; done
    printf '%s' "$s" | tr '_-' '/+' | base64 -d; }
envelope_of() { # LAYOUT: path of its one vouch-made envelope
    local sig
    sig=$(jq -r '.manifests[] | select(.annotations == null) | .digest' "$1/index.json")
    echo "$1/blobs/sha256/$(jq -r '.layers[0].digest' "$1/blobs/sha256/${sig#sha256:}" |
        sed 's/sha256://')"
}
jq -cn '{version:"1.0", trustPolicies:[{name:"p", registryScopes:["*"],
    signatureVerification:{level:"strict"}, trustStores:["ca:test","tsa:tsa"],
    trustedIdentities:["*"]}]}' >tp.json

notation_tsa good
PIDS+=("$NOTATION_TSA_PID")
GOOD=$NOTATION_TSA_URL
notation_tsa wide secs:3600
PIDS+=("$NOTATION_TSA_PID")
WIDE=$NOTATION_TSA_URL
notation_ca test
notation_ca other
notation_leaf test signer -algorithm EC -pkeyopt ec_paramgen_curve:P-256
mkdir -p ts/x509/ca/test ts/x509/tsa/tsa
cp test-root.pem ts/x509/ca/test/
cp good-root.pem wide-root.pem ts/x509/tsa/tsa/

for env in jws cose; do
    fresh "$env"
    run "$VOUCH" sign --format notation --envelope $env --key signer.key \
        --certificate signer-chain.pem --timestamp-url "$GOOD" --timestamp-root-cert good-root.pem \
        "oci-dir:$env@$D"
    expect_rc 0 "$env: sign with a timestamp"
    run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts --output json \
        "oci-dir:$env@$D"
    expect_rc 0 "$env: the countersignature verifies against the tsa store"
    expect_eq "$(jq -r '.signatures[0] | [.checks.authenticTimestamp.outcome,
        (.timestamp | test("^20[0-9-]+T[0-9:]+Z$"))] | join(" ")' "$T/out")" "pass true" \
        "$env: authentic timestamp passed, genTime reported"
done
# the JWS token is in notation-core-go's place, first in the unprotected header, and is a
# timestamp over the raw signature value (openssl's own check)
e=$(envelope_of jws)
expect_eq "$(jq -c '.header | keys_unsorted' "$e")" \
    '["io.cncf.notary.timestampSignature","x5c","io.cncf.notary.signingAgent"]' \
    "JWS: timestampSignature, x5c, signingAgent"
jq -r '.header."io.cncf.notary.timestampSignature"' "$e" | base64 -d >tok.der
b64url_decode "$(jq -r .signature "$e")" >sig.bin
run openssl ts -verify -token_in -in tok.der -data sig.bin -CAfile good-root.pem
expect_rc 0 "openssl ts -verify: the token covers the signature value"
expect_match "$(openssl ts -reply -token_in -in tok.der -text 2>/dev/null)" \
    "Hash Algorithm: sha256" "ES256 signature: a sha256 imprint"
# the COSE token: a byte string under the text label, the same kind of token
run python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(0 if
b"io.cncf.notary.timestampSignature" in d else 1)' "$(envelope_of cose)"
expect_rc 0 "COSE: the unprotected header names the timestamp"
# accuracy: genTime - 3600 s is before the signing certificate was issued (just now)
fresh wide
run "$VOUCH" sign --format notation --key signer.key --certificate signer-chain.pem \
    --timestamp-url "$WIDE" --timestamp-root-cert wide-root.pem "oci-dir:wide@$D"
expect_rc 0 "sign with a TSA whose accuracy is an hour"
run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts "oci-dir:wide@$D"
expect_rc 1 "genTime +- accuracy must lie within the chain's validity"
expect_match "$ERR" "authenticTimestamp: timestamp can be before certificate \"CN=signer," \
    "says the range starts before the certificate"

# the token must verify against the given root; an unreachable TSA; nothing written either way
fresh bad
cp bad/index.json before.json
run "$VOUCH" sign --format notation --key signer.key --certificate signer-chain.pem \
    --timestamp-url "$GOOD" --timestamp-root-cert other-root.pem "oci-dir:bad@$D"
expect_rc 1 "a token not from the given root fails the signing"
expect_one_line_err "wrong timestamp root"
expect_match "$ERR" "timestamp from '$GOOD'" "names the TSA"
DEAD=http://127.0.0.1:$(notation_free_port)/
run "$VOUCH" sign --format notation --key signer.key --certificate signer-chain.pem \
    --timestamp-url "$DEAD" --timestamp-root-cert good-root.pem "oci-dir:bad@$D"
expect_rc 3 "an unreachable TSA is a network error"
expect_one_line_err "unreachable TSA"
expect_eq "$(cmp -s before.json bad/index.json && echo same)" same "no signature was written"
run "$VOUCH" sign --format notation --key signer.key --certificate signer-chain.pem \
    --timestamp-url "$GOOD" "oci-dir:bad@$D"
expect_rc 2 "--timestamp-url without --timestamp-root-cert"
finish
