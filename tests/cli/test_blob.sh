#!/usr/bin/env bash
# sign-blob / verify-blob over the real binary: round trips (ECDSA P-256, Ed25519), output
# shapes, bundles, tampering, wrong keys, malformed inputs, exit codes, no partial outputs.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
export VOUCH_PASSWORD=""
CONF=$VECTORS/sigstore-conformance
SJS=$VECTORS/sigstore-js

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key 2>/dev/null
openssl genpkey -algorithm ed25519 -out ed.key 2>/dev/null
for k in ec other ed; do openssl pkey -in $k.key -pubout -out $k.pub; done
printf 'hello blob\n' > file.txt
printf 'hello blob!\n' > tampered.txt

# --- round trips, both key types; stdout is base64 plus one newline
for k in ec ed; do
    run "$VOUCH" sign-blob --key $k.key file.txt
    expect_rc 0 "$k: sign-blob"
    expect_eq "$(tail -c1 "$T/out" | od -An -tx1 | tr -d ' ')" "0a" "$k: stdout ends in a newline"
    expect_eq "$(wc -l <"$T/out")" "1" "$k: stdout is one line"
    cp "$T/out" $k.sig
    run "$VOUCH" verify-blob --key $k.pub --signature $k.sig file.txt
    expect_rc 0 "$k: verify-blob (signature file)"
    expect_eq "$ERR" "Verified OK" "$k: 'Verified OK' on stderr"
    expect_eq "$OUT" "" "$k: nothing on stdout"
    run "$VOUCH" verify-blob --key $k.pub --signature "$(cat $k.sig)" file.txt
    expect_rc 0 "$k: verify-blob (base64 text)"
    run "$VOUCH" verify-blob --key $k.pub --signature $k.sig tampered.txt
    expect_rc 1 "$k: tampered file rejected"
    expect_one_line_err "$k: tampered file"
    expect_match "$ERR" "tampered.txt" "$k: reason names the file"
    run "$VOUCH" verify-blob --key other.pub --signature $k.sig file.txt
    expect_rc 1 "$k: wrong key rejected"
done

# --- output shapes: ECDSA = base64 of an ASN.1 DER SEQUENCE of two INTEGERs; Ed25519 = 64 bytes
base64 -d ec.sig > ec.der
expect_eq "$(openssl asn1parse -inform DER -in ec.der | grep -c 'prim: INTEGER')" "2" \
    "ecdsa signature parses as DER with two INTEGERs"
expect_match "$(openssl asn1parse -inform DER -in ec.der | head -1)" "cons: SEQUENCE" \
    "ecdsa signature is a SEQUENCE"
n=$(wc -c <ec.der)
if [ "$n" -ge 68 ] && [ "$n" -le 72 ]; then ok "ecdsa DER length $n"; else bad "ecdsa DER length $n"; fi
expect_eq "$(base64 -d ed.sig | wc -c)" "64" "ed25519 signature is 64 bytes"
expect_eq "$(tr -d '\n' <ed.sig | wc -c)" "88" "ed25519 base64 is 88 characters"
run "$VOUCH" verify-blob --key ec.pub --signature ec.der file.txt
expect_rc 0 "raw DER signature file accepted"

# --- --output-signature: base64 without newline, atomically written
run "$VOUCH" sign-blob --key ec.key --output-signature out.sig file.txt
expect_rc 0 "sign-blob --output-signature"
expect_eq "$OUT" "" "nothing on stdout with --output-signature"
if [ "$(tail -c1 out.sig | od -An -tx1 | tr -d ' ')" != "0a" ]; then
    ok "--output-signature has no newline"; else bad "--output-signature ends in a newline"; fi
expect_match "$(cat out.sig)" '^[A-Za-z0-9+/]+=*$' "--output-signature is base64"
run "$VOUCH" verify-blob --key ec.pub --signature out.sig file.txt
expect_rc 0 "verify --output-signature file"

# --- stdin
run "$VOUCH" sign-blob --key ec.key --output-signature stdin.sig - <file.txt
expect_rc 0 "sign-blob from stdin"
run "$VOUCH" verify-blob --key ec.pub --signature stdin.sig file.txt
expect_rc 0 "stdin signature verifies over the file"

# --- bundles: exact fields, round trip, tamper
for k in ec ed; do
    run "$VOUCH" sign-blob --key $k.key --bundle $k.bundle.json file.txt
    expect_rc 0 "$k: sign-blob --bundle"
    hint=$(openssl pkey -pubin -in $k.pub -outform DER | openssl dgst -sha256 -binary | base64)
    alg=sha256; [ $k = ed ] && alg=sha512 # Ed25519ph signs the SHA-512 of the file
    dig=$(openssl dgst -$alg -binary file.txt | base64 -w0)
    expect_eq "$(jq -r .mediaType $k.bundle.json)" "application/vnd.dev.sigstore.bundle.v0.3+json" \
        "$k: bundle mediaType"
    expect_eq "$(jq -r .verificationMaterial.publicKey.hint $k.bundle.json)" "$hint" \
        "$k: hint = base64 sha256 of the SPKI DER"
    expect_eq "$(jq -r .messageSignature.messageDigest.algorithm $k.bundle.json)" \
        "SHA2_${alg#sha}" "$k: digest algorithm"
    expect_eq "$(jq -r .messageSignature.messageDigest.digest $k.bundle.json)" "$dig" \
        "$k: message digest = $alg(file)"
    expect_eq "$(jq -r .messageSignature.signature $k.bundle.json)" "$(tr -d '\n' <"$T/out")" \
        "$k: bundle signature = stdout signature"
    expect_eq "$(jq -c 'keys' $k.bundle.json)" '["mediaType","messageSignature","verificationMaterial"]' \
        "$k: bundle top-level fields"
    run "$VOUCH" verify-blob --key $k.pub --bundle $k.bundle.json file.txt
    expect_rc 0 "$k: verify-blob --bundle"
    run "$VOUCH" verify-blob --key $k.pub --bundle $k.bundle.json tampered.txt
    expect_rc 1 "$k: bundle over tampered file rejected"
    expect_match "$ERR" "digest" "$k: reason is the digest"
done
jq '.messageSignature.messageDigest.digest = "'"$(openssl dgst -sha256 -binary tampered.txt | base64)"'"' \
    ec.bundle.json >digest-swap.json
run "$VOUCH" verify-blob --key ec.pub --bundle digest-swap.json file.txt
expect_rc 1 "bundle whose message digest does not match the file"

# --- --output json
run "$VOUCH" verify-blob --key ec.pub --signature ec.sig --output json file.txt
expect_rc 0 "--output json"
expect_eq "$(jq -r .verified "$T/out")" "true" "json verified"
expect_eq "$(jq -r .digest "$T/out")" "sha256:$(openssl dgst -sha256 -r file.txt | cut -d' ' -f1)" "json digest"
run "$VOUCH" verify-blob --key ec.pub --signature ec.sig --output json tampered.txt
expect_rc 1 "--output json, rejected"
expect_eq "$(jq -r .verified "$T/out")" "false" "json not verified"

# --- peer bundles through the CLI
run "$VOUCH" verify-blob --key "$CONF/managed-key-happy-path/key.pub" \
    --bundle "$CONF/managed-key-happy-path/bundle.sigstore.json" "$CONF/a.txt"
expect_rc 0 "conformance managed-key-happy-path"
run "$VOUCH" verify-blob --key "$CONF/managed-key-happy-path/key.pub" \
    --bundle "$CONF/managed-key-happy-path/bundle.sigstore.json" tampered.txt
expect_rc 1 "conformance bundle over another file"
run "$VOUCH" verify-blob --key "$CONF/managed-key-wrong-key_fail/key.pub" \
    --bundle "$CONF/managed-key-wrong-key_fail/bundle.sigstore.json" "$CONF/a.txt"
if [ "$RC" -ne 0 ]; then ok "conformance managed-key-wrong-key_fail fails (exit $RC)"; else
    bad "conformance managed-key-wrong-key_fail verified"; fi
expect_one_line_err "wrong-key_fail"
run "$VOUCH" verify-blob --key "$SJS/key.pub" --bundle "$SJS/msg.bundle.json" "$SJS/artifact.txt"
expect_rc 0 "sigstore-js message bundle"
run "$VOUCH" verify-blob --key "$SJS/key.pub" --bundle "$SJS/msg.bundle.json" file.txt
expect_rc 1 "sigstore-js message bundle over another file"
run "$VOUCH" verify-blob --key "$SJS/key.pub" --bundle "$SJS/dsse.bundle.json" "$SJS/artifact.txt"
expect_rc 2 "dsse bundle is not a blob signature"
expect_one_line_err "dsse bundle"

# --- cosign's older blob bundle {"base64Signature","cert"(base64 of the key PEM),"rekorBundle"}
jq -n --arg s "$(tr -d '\n' <ec.sig)" --arg c "$(base64 -w0 ec.pub)" \
    '{base64Signature:$s,cert:$c,rekorBundle:{SignedEntryTimestamp:"AA==",Payload:{body:"e30=",integratedTime:1,logIndex:2,logID:"ab"}}}' \
    >old.bundle.json
run "$VOUCH" verify-blob --key ec.pub --bundle old.bundle.json file.txt
expect_rc 0 "cosign's old bundle verifies"
run "$VOUCH" verify-blob --key ec.pub --bundle old.bundle.json tampered.txt
expect_rc 1 "cosign's old bundle over a tampered file"
run "$VOUCH" verify-blob --key other.pub --bundle old.bundle.json file.txt
expect_rc 1 "cosign's old bundle with another key"

# --- bad input: exit 2, one line
printf 'not base64!!\n' > bad.sig
run "$VOUCH" verify-blob --key ec.pub --signature bad.sig file.txt
expect_rc 2 "malformed signature file"
expect_one_line_err "malformed signature"
expect_match "$ERR" "bad.sig" "malformed signature names the file"
run "$VOUCH" verify-blob --key ec.pub --signature 'no such sig' file.txt
expect_rc 2 "signature neither file nor base64"
printf '{' > bad.json
run "$VOUCH" verify-blob --key ec.pub --bundle bad.json file.txt
expect_rc 2 "malformed bundle JSON"
expect_one_line_err "malformed bundle"
expect_match "$ERR" "bad.json" "malformed bundle names the file"
jq '.mediaType = "application/vnd.dev.sigstore.bundle.v9+json"' ec.bundle.json >unknown-mt.json
run "$VOUCH" verify-blob --key ec.pub --bundle unknown-mt.json file.txt
expect_rc 2 "unknown bundle media type"
jq '.mediaType = "a\nb"' ec.bundle.json >newline-mt.json
run "$VOUCH" verify-blob --key ec.pub --bundle newline-mt.json file.txt
expect_rc 2 "media type with a newline"
expect_one_line_err "media type with a newline"
jq '.messageSignature.signature = "@@@"' ec.bundle.json >bad-b64.json
run "$VOUCH" verify-blob --key ec.pub --bundle bad-b64.json file.txt
expect_rc 2 "bundle with bad base64 signature"
expect_one_line_err "bad base64 signature"
run "$VOUCH" verify-blob --key ec.pub --signature ec.sig nosuch.txt
expect_rc 2 "missing file to verify"
expect_one_line_err "missing file"
run "$VOUCH" verify-blob --key nosuch.pub --signature ec.sig file.txt
expect_rc 2 "missing public key"
printf -- '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' > garbage.pub
run "$VOUCH" verify-blob --key garbage.pub --signature ec.sig file.txt
expect_rc 2 "malformed public key"
expect_one_line_err "malformed public key"
run "$VOUCH" sign-blob --key ec.key nosuch.txt
expect_rc 2 "sign a missing file"
expect_one_line_err "sign a missing file"
run "$VOUCH" sign-blob --key ed.key - <file.txt
expect_rc 0 "ed25519 from stdin (Ed25519ph streams)"

# --- no partial output on failure
run "$VOUCH" sign-blob --key ec.key --output-signature fail.sig --bundle fail.json nosuch.txt
expect_rc 2 "sign-blob with missing input and outputs"
expect_absent fail.sig "no signature file left behind"
expect_absent fail.json "no bundle file left behind"
mkdir -p adir
run "$VOUCH" sign-blob --key ec.key --output-signature fail.sig --bundle fail.json adir
if [ "$RC" -ne 0 ]; then ok "unreadable input (a directory) fails (exit $RC)"; else bad "signed a directory"; fi
expect_absent fail.sig "no signature file after a read error"
expect_absent fail.json "no bundle file after a read error"
run "$VOUCH" sign-blob --key garbage.pub --output-signature fail.sig file.txt
expect_rc 2 "sign with a non-private key"
expect_absent fail.sig "no signature file after a key error"

# --- cosign-format encrypted keys from generate-key-pair; the password comes from the env
VOUCH_PASSWORD=s3cret "$VOUCH" generate-key-pair --output-key-prefix cosign >/dev/null 2>&1
VOUCH_PASSWORD=s3cret run "$VOUCH" sign-blob --key cosign.key --bundle cosign.bundle.json file.txt
expect_rc 0 "sign-blob with an encrypted cosign key"
run "$VOUCH" verify-blob --key cosign.pub --bundle cosign.bundle.json file.txt
expect_rc 0 "verify with the generated cosign.pub"
VOUCH_PASSWORD=wrong run "$VOUCH" sign-blob --key cosign.key --output-signature wp.sig file.txt
expect_rc 2 "wrong password"
expect_one_line_err "wrong password"
expect_absent wp.sig "no signature file after a wrong password"

# --- usage
run "$VOUCH" sign-blob file.txt
expect_rc 2 "sign-blob without --key"
run "$VOUCH" verify-blob --key ec.pub file.txt
expect_rc 2 "verify-blob without --signature or --bundle"
run "$VOUCH" verify-blob --key ec.pub --signature ec.sig --bundle ec.bundle.json file.txt
expect_rc 2 "verify-blob with both --signature and --bundle"
run "$VOUCH" verify-blob --key ec.pub --signature ec.sig --output yaml file.txt
expect_rc 2 "unknown --output"
run "$VOUCH" sign-blob --key ec.key --frob file.txt
expect_rc 2 "unknown option"
run "$VOUCH" sign-blob --key=ec.key --output-signature=eq.sig file.txt
expect_rc 0 "--opt=value form"
run "$VOUCH" verify-blob --key ec.pub --signature eq.sig file.txt
expect_rc 0 "--opt=value signature verifies"
finish
