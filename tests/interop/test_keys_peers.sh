#!/usr/bin/env bash
# Key files against real peers: Python (hashlib.scrypt + python3-nacl, our own small
# reader/writer in cosign_keyfile.py) opens what vouch writes and vouch opens what it
# writes; OpenSSL parses vouch's public keys and makes PKCS#8, SEC1, Ed25519 and RSA keys
# that vouch must load (or refuse, for algorithms cosign does not accept).
. "$VOUCH_SRC/tests/support/lib.sh"
PY=/usr/bin/python3
KF=$VOUCH_SRC/tests/interop/cosign_keyfile.py
unset VOUCH_PASSWORD COSIGN_PASSWORD
cd "$T" || exit 1
printf 'peer pass' >pw.txt

# --- vouch writes, Python decrypts, OpenSSL reads the plaintext: same public key
for type in ecdsa-p256 ed25519; do
    run env VOUCH_PASSWORD='peer pass' "$VOUCH" generate-key-pair --type $type --output-key-prefix $type </dev/null
    expect_rc 0 "vouch generate-key-pair --type $type"
    run $PY "$KF" $type.key pw.txt $type.der
    expect_rc 0 "python scrypt+secretbox decrypts vouch's $type.key"
    expect_eq "$OUT" "ENCRYPTED COSIGN PRIVATE KEY 32768" "$type.key: label and N every reader accepts"
    run openssl pkey -inform DER -in $type.der -pubout
    expect_rc 0 "openssl reads the $type plaintext as PKCS#8 DER"
    expect_eq "$OUT" "$(cat $type.pub)" "$type: openssl's public key equals vouch's .pub"
    run openssl pkey -pubin -in $type.pub -noout
    expect_rc 0 "openssl parses $type.pub"
done
# Go's x509.MarshalPKCS8PrivateKey sizes (signing.md §3.2): P-256 138 bytes, Ed25519 48
expect_eq "$(stat -c %s ecdsa-p256.der)" "138" "P-256 plaintext is 138 bytes as cosign's"
expect_eq "$(stat -c %s ed25519.der)" "48" "Ed25519 plaintext is 48 bytes as Go's"
printf 'wrong' >bad.txt
run $PY "$KF" ecdsa-p256.key bad.txt x.der
expect_rc 1 "python refuses a wrong password too"

# --- Python writes (both labels, N=65536 and 131072), vouch reads
openssl genpkey -algorithm ED25519 -outform DER -out ed.der 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in ec.pem -outform DER -out ec.der
openssl ec -in ec.pem -outform DER -out ec-sec1.der 2>/dev/null
run $PY "$KF" --encrypt ed.der pw.txt 65536 "ENCRYPTED SIGSTORE PRIVATE KEY" py-ed.key
run $PY "$KF" --encrypt ec.der pw.txt 131072 "ENCRYPTED COSIGN PRIVATE KEY" py-ec.key
for k in ed ec; do
    run env VOUCH_PASSWORD='peer pass' "$VOUCH" public-key --key py-$k.key
    expect_rc 0 "vouch opens python-written py-$k.key"
    expect_eq "$OUT" "$(openssl pkey -inform DER -in $k.der -pubout)" "py-$k.key: public key"
done
run $PY "$KF" --encrypt ec-sec1.der pw.txt 32768 "ENCRYPTED COSIGN PRIVATE KEY" py-sec1.key
run env VOUCH_PASSWORD='peer pass' "$VOUCH" public-key --key py-sec1.key
expect_rc 2 "SEC1 plaintext under cosign encryption refused (as cosign)"
expect_match "$ERR" "'py-sec1.key' holds a SEC1 EC private key, not PKCS#8" "SEC1 reason"
run $PY "$KF" --encrypt ec.der pw.txt 16384 "ENCRYPTED COSIGN PRIVATE KEY" py-n16k.key
run env VOUCH_PASSWORD='peer pass' "$VOUCH" public-key --key py-n16k.key
expect_rc 2 "N=16384 refused (not in cosign's allow-list)"
expect_match "$ERR" "scrypt parameters N=16384 r=8 p=1 not allowed in 'py-n16k.key'" "N refusal names the file"

# --- unencrypted keys made by OpenSSL: loaded without a password
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out pk8.pem 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out sec1.pem 2>/dev/null
openssl genpkey -algorithm ED25519 -out ed.pem 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out p384.pem 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.pem 2>/dev/null
expect_eq "$(head -1 sec1.pem)" "-----BEGIN EC PRIVATE KEY-----" "openssl ecparam wrote SEC1"
for k in pk8 sec1 ed p384 rsa2048; do
    run "$VOUCH" public-key --key $k.pem </dev/null
    expect_rc 0 "vouch loads openssl $k.pem (no password asked)"
    expect_eq "$OUT" "$(openssl pkey -in $k.pem -pubout)" "$k.pem: same public key as openssl"
done

# --- algorithms cosign refuses: refused with a clear reason
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.pem 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out k1.pem 2>/dev/null
openssl genpkey -algorithm ED448 -out ed448.pem 2>/dev/null
run "$VOUCH" public-key --key rsa1024.pem </dev/null
expect_rc 2 "RSA-1024 refused"
expect_eq "$ERR" "vouch: RSA key of 1024 bits in 'rsa1024.pem' (2048 to 4096 supported)" "RSA-1024 reason"
run "$VOUCH" public-key --key k1.pem </dev/null
expect_rc 2 "secp256k1 refused"
expect_eq "$ERR" "vouch: unsupported elliptic curve 'secp256k1' in 'k1.pem' (P-256, P-384, P-521)" "secp256k1 reason"
run "$VOUCH" public-key --key ed448.pem </dev/null
expect_rc 2 "Ed448 refused"
expect_one_line_err "Ed448"
finish
