#!/usr/bin/env bash
# Blob signatures against openssl, both ways: openssl verifies what vouch signs, vouch
# verifies what openssl signs (ECDSA P-256 + SHA-256 DER, and pure Ed25519), same key files.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
export VOUCH_PASSWORD=""

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
openssl genpkey -algorithm ed25519 -out ed.key 2>/dev/null
for k in ec ed; do openssl pkey -in $k.key -pubout -out $k.pub; done
printf 'interop with openssl\n' > small.txt
head -c 3000000 /dev/urandom > big.bin    # several read chunks
printf 'interop with openssl?\n' > tampered.txt

for f in small.txt big.bin; do
    # vouch signs, openssl verifies
    run "$VOUCH" sign-blob --key ec.key --output-signature v.sig $f
    expect_rc 0 "ecdsa: vouch sign-blob $f"
    base64 -d v.sig > v.der
    run openssl dgst -sha256 -verify ec.pub -signature v.der $f
    expect_rc 0 "ecdsa: openssl verifies vouch's signature over $f"
    expect_eq "$OUT" "Verified OK" "ecdsa: openssl says Verified OK ($f)"
    run openssl dgst -sha256 -verify ec.pub -signature v.der tampered.txt
    expect_rc 1 "ecdsa: openssl rejects vouch's signature over another file"
    # openssl signs, vouch verifies (base64 file and raw DER file)
    openssl dgst -sha256 -sign ec.key -out o.der $f
    base64 -w0 o.der > o.sig
    run "$VOUCH" verify-blob --key ec.pub --signature o.sig $f
    expect_rc 0 "ecdsa: vouch verifies openssl's signature over $f"
    run "$VOUCH" verify-blob --key ec.pub --signature o.der $f
    expect_rc 0 "ecdsa: vouch verifies openssl's raw DER signature over $f"
    run "$VOUCH" verify-blob --key ec.pub --signature o.sig tampered.txt
    expect_rc 1 "ecdsa: vouch rejects openssl's signature over another file"
done

# Ed25519: vouch signs Ed25519ph as cosign v3 does (openssl 3.0 has no Ed25519ph, so its pure
# Ed25519 check must refuse it; test_habits checks the RFC 8032 vector and PyNaCl), and
# still verifies pure Ed25519 signatures such as openssl's
run "$VOUCH" sign-blob --key ed.key --output-signature ved.sig small.txt
expect_rc 0 "ed25519: vouch sign-blob"
base64 -d ved.sig > ved.raw
run openssl pkeyutl -verify -pubin -inkey ed.pub -rawin -in small.txt -sigfile ved.raw
expect_rc 1 "ed25519: vouch's signature is Ed25519ph, not pure Ed25519"
openssl pkeyutl -sign -inkey ed.key -rawin -in small.txt -out oed.raw
run "$VOUCH" verify-blob --key ed.pub --signature "$(base64 -w0 oed.raw)" small.txt
expect_rc 0 "ed25519: vouch verifies openssl's signature"
run "$VOUCH" verify-blob --key ed.pub --signature "$(base64 -w0 oed.raw)" tampered.txt
expect_rc 1 "ed25519: vouch rejects openssl's signature over another file"

# RSA 2048 (PKCS#1 v1.5, SHA-256) and ECDSA P-384 (SHA-384, the curve's hash), both ways
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out p384.key 2>/dev/null
for k in rsa:sha256 p384:sha384; do
    name=${k%%:*} md=${k##*:}
    openssl pkey -in $name.key -pubout -out $name.pub
    run "$VOUCH" sign-blob --key $name.key --output-signature $name.sig small.txt
    expect_rc 0 "$name: vouch sign-blob"
    base64 -d $name.sig > $name.der
    run openssl dgst -$md -verify $name.pub -signature $name.der small.txt
    expect_rc 0 "$name: openssl dgst -$md verifies vouch's signature"
    openssl dgst -$md -sign $name.key -out $name.o.der small.txt
    run "$VOUCH" verify-blob --key $name.pub --signature $name.o.der small.txt
    expect_rc 0 "$name: vouch verifies openssl's signature"
    run "$VOUCH" verify-blob --key $name.pub --signature $name.o.der tampered.txt
    expect_rc 1 "$name: vouch rejects it over another file"
done

# The bundle's message digest is openssl's SHA-256 of the file
run "$VOUCH" sign-blob --key ec.key --bundle b.json big.bin
expect_rc 0 "bundle over big.bin"
expect_eq "$(jq -r .messageSignature.messageDigest.digest b.json | base64 -d | od -An -tx1 | tr -d ' \n')" \
    "$(openssl dgst -sha256 -r big.bin | cut -d' ' -f1)" "bundle digest = openssl sha256"
jq -r .messageSignature.signature b.json | base64 -d > b.der
run openssl dgst -sha256 -verify ec.pub -signature b.der big.bin
expect_rc 0 "openssl verifies the bundle's signature"
finish
