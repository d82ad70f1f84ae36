#!/usr/bin/env bash
# Sigstore checks on images and blobs with a throwaway sigstore instance made here
# (tests/support/sigstore_pki.py: Fulcio CA, CT log, Rekor key, an openssl ts TSA, and the
# trusted_root.json listing them): a keyless cosign v3 bundle referrer through `vouch
# verify`; key-signed .sig layers with a dev.sigstore.cosign/bundle RekorBundle checked
# with --trusted-root/--rekor-key; RFC 3161 timestamp annotations (openssl ts) as signing
# time evidence; certificates as keys only with --certificate-chain or a trusted root.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
export VOUCH_PASSWORD=pw
PKI=$VOUCH_SRC/tests/support/sigstore_pki.py
LAYOUT=$VOUCH_SRC/tests/support/sigstore_layout.py
PG=$VECTORS/sigstore-conformance/trusted-roots/public-good.trusted_root.json
ID=https://github.com/octo/app/.github/workflows/release.yml@refs/tags/v1
ISS=https://token.actions.githubusercontent.com
KL=(--certificate-identity "$ID" --certificate-oidc-issuer "$ISS")
NOW=$(date +%s)
python3 "$PKI" init pki || bad "test sigstore instance"
ROOT=pki/trusted_root.json
# old: issued a day ago, expired now (checked at its log time); fresh: valid now
python3 "$PKI" leaf pki old "$ID" "$ISS" $((NOW - 86400)) || bad "leaf old"
python3 "$PKI" leaf pki fresh "$ID" "$ISS" $((NOW - 60)) || bad "leaf fresh"
run "$VOUCH" generate-key-pair
expect_rc 0 "generate-key-pair"
for l in v3 rek ts kl; do
    python3 "$LAYOUT" image $l app >$l.digest || bad "image $l"
done
M=$(cat v3.digest)
# ts: the RFC 3161 timestamp (openssl ts -reply, the test TSA) of a file, as cosign's annotation
tsa() {
    openssl ts -query -data "$1" -sha256 -cert -no_nonce -out q.tsq 2>/dev/null &&
        openssl ts -reply -queryfile q.tsq -config pki/ts.cnf -out r.tsr 2>/dev/null &&
        printf '{"SignedRFC3161Timestamp":"%s"}' "$(base64 -w0 r.tsr)" >"$2"
}

# --- keyless cosign v3 bundle referrer in `vouch verify`
python3 "$PKI" v3sig pki old "$M" v3.json env=prod || bad "v3 bundle"
python3 "$LAYOUT" ref v3.json v3 >/dev/null || bad "referrer"
run "$VOUCH" verify "${KL[@]}" --trusted-root "$ROOT" oci-dir:v3:app
expect_rc 0 "keyless v3 referrer verifies"
expect_eq "$(printf '%s' "$OUT" | jq -r '.[0].predicateType + " " + .[0].subject[0].digest.sha256')" \
    "https://sigstore.dev/cosign/sign/v1 ${M#sha256:}" "the verified statement is printed"
run "$VOUCH" verify "${KL[@]}" --trusted-root "$ROOT" -a env=prod oci-dir:v3:app
expect_rc 0 "keyless v3 referrer with its annotation"
run "$VOUCH" verify "${KL[@]}" --trusted-root "$ROOT" -a env=dev oci-dir:v3:app
expect_rc 1 "another annotation refused"
expect_eq "$ERR" "vouch: 'oci-dir:v3:app': no signatures found; bundle: annotations do not match" \
    "annotation: reason"
run "$VOUCH" verify --certificate-identity https://github.com/evil/x --certificate-oidc-issuer "$ISS" \
    --trusted-root "$ROOT" oci-dir:v3:app
expect_rc 1 "v3 referrer of another identity refused"
expect_match "$ERR" "bundle: certificate identity '$ID' does not match the expected identity" \
    "identity: reason"
run "$VOUCH" verify "${KL[@]}" --trusted-root "$PG" oci-dir:v3:app
expect_rc 1 "v3 referrer against another trusted root refused"
expect_match "$ERR" "bundle: tlog entry 7 is from a log the trusted root does not list" "root: reason"
run "$VOUCH" verify "${KL[@]}" --trusted-root "$ROOT" --bundle-format legacy oci-dir:v3:app
expect_rc 1 "--bundle-format legacy does not read referrers"

# --- key-signed .sig with a RekorBundle annotation: checked with a trusted root or --rekor-key
run "$VOUCH" sign --key cosign.key --tlog-upload=false oci-dir:rek:app
expect_rc 0 "key-signed .sig"
R=$(cat rek.digest)
python3 "$LAYOUT" sigparts rek "$R" payload.json sig.b64 || bad "sigparts"
python3 "$PKI" rekor pki payload.json sig.b64 cosign.pub "$NOW" >rekor.json || bad "rekor bundle"
run "$VOUCH" verify --key cosign.pub --trusted-root "$ROOT" oci-dir:rek:app
expect_rc 1 "key + trusted root: a .sig without its log entry is refused"
expect_match "$ERR" "signature has no rekor bundle" "no rekor bundle: reason"
run "$VOUCH" verify --key cosign.pub --trusted-root "$ROOT" --insecure-ignore-tlog oci-dir:rek:app
expect_rc 0 "--insecure-ignore-tlog skips the log"
python3 "$LAYOUT" annotate rek "$R" dev.sigstore.cosign/bundle=@rekor.json || bad "annotate"
run "$VOUCH" verify --key cosign.pub --trusted-root "$ROOT" oci-dir:rek:app
expect_rc 0 "key + trusted root: the RekorBundle verifies"
run "$VOUCH" verify --key cosign.pub --rekor-key pki/rekor.pub oci-dir:rek:app
expect_rc 0 "key + --rekor-key: the RekorBundle verifies"
run "$VOUCH" verify --key cosign.pub --trusted-root "$PG" oci-dir:rek:app
expect_rc 1 "RekorBundle of a log the trusted root does not list"
expect_match "$ERR" "rekor entry 3 is from a log the trusted root does not list" "unknown log: reason"
jq -c '.Payload.integratedTime += 1' rekor.json >rekor-bad.json
python3 "$LAYOUT" annotate rek "$R" dev.sigstore.cosign/bundle=@rekor-bad.json || bad "annotate"
run "$VOUCH" verify --key cosign.pub --trusted-root "$ROOT" oci-dir:rek:app
expect_rc 1 "tampered RekorBundle refused"
expect_one_line_err "tampered RekorBundle"
expect_match "$ERR" "tlog entry 3: signed entry timestamp does not verify with the log's key" \
    "tampered SET: reason"
run "$VOUCH" verify --key cosign.pub oci-dir:rek:app
expect_rc 0 "key alone: the log is not consulted"

# --- RFC 3161 timestamp annotations (cosign's dev.sigstore.cosign/rfc3161timestamp)
run "$VOUCH" sign --key cosign.key --tlog-upload=false oci-dir:ts:app
S=$(cat ts.digest)
python3 "$LAYOUT" sigparts ts "$S" tpayload.json tsig.b64 || bad "sigparts"
base64 -d tsig.b64 >tsig.bin
tsa tsig.bin ts.json || bad "openssl ts"
tsa tpayload.json ts-other.json || bad "openssl ts (other data)"
python3 "$LAYOUT" annotate ts "$S" dev.sigstore.cosign/rfc3161timestamp=@ts.json || bad "annotate"
run "$VOUCH" verify --key cosign.pub --trusted-root "$ROOT" --insecure-ignore-tlog oci-dir:ts:app
expect_rc 0 "timestamp over the signature verifies against the trusted root's TSA"
run "$VOUCH" verify --key cosign.pub --trusted-root "$PG" --insecure-ignore-tlog oci-dir:ts:app
expect_rc 1 "timestamp of a TSA the trusted root does not list refused"
expect_match "$ERR" "rfc3161 timestamp annotation: " "untrusted TSA: reason"
python3 "$LAYOUT" annotate ts "$S" dev.sigstore.cosign/rfc3161timestamp=@ts-other.json || bad "annotate"
run "$VOUCH" verify --key cosign.pub --trusted-root "$ROOT" --insecure-ignore-tlog oci-dir:ts:app
expect_rc 1 "timestamp over other bytes refused"
expect_one_line_err "timestamp over other bytes"
expect_match "$ERR" "rfc3161 timestamp annotation: " "other bytes: reason"
python3 - ts.json ts-flip.json <<'PY'
import base64, json, sys
t = json.load(open(sys.argv[1]))
raw = bytearray(base64.b64decode(t["SignedRFC3161Timestamp"]))
raw[-10] ^= 1  # inside the TSA's signature
t["SignedRFC3161Timestamp"] = base64.b64encode(bytes(raw)).decode()
json.dump(t, open(sys.argv[2], "w"))
PY
python3 "$LAYOUT" annotate ts "$S" dev.sigstore.cosign/rfc3161timestamp=@ts-flip.json || bad "annotate"
run "$VOUCH" verify --key cosign.pub --trusted-root "$ROOT" --insecure-ignore-tlog oci-dir:ts:app
expect_rc 1 "tampered timestamp refused"
expect_one_line_err "tampered timestamp"

# keyless .sig: the timestamp is signing-time evidence next to the Rekor integrated time
run "$VOUCH" sign --key cosign.key --tlog-upload=false oci-dir:kl:app
K=$(cat kl.digest)
python3 "$LAYOUT" sigparts kl "$K" kpayload.json unused.b64 || bad "sigparts"
keyless_sig() { # LEAF INTEGRATED_TIME: sign the payload with LEAF, log it, timestamp it
    openssl dgst -sha256 -sign "pki/$1.key" kpayload.json | base64 -w0 >k.b64
    base64 -d k.b64 >k.bin
    python3 "$PKI" rekor pki kpayload.json k.b64 "pki/$1.pem" "$2" >krekor.json &&
        tsa k.bin kts.json &&
        python3 "$LAYOUT" annotate kl "$K" "dev.cosignproject.cosign/signature=@k.b64" \
            "dev.sigstore.cosign/certificate=@pki/$1.pem" dev.sigstore.cosign/bundle=@krekor.json \
            dev.sigstore.cosign/rfc3161timestamp=@kts.json
}
keyless_sig fresh $((NOW - 30)) || bad "keyless .sig"
run "$VOUCH" verify "${KL[@]}" --trusted-root "$ROOT" oci-dir:kl:app
expect_rc 0 "keyless .sig with log entry and timestamp inside the certificate's validity"
keyless_sig old $((NOW - 86400 + 60)) || bad "keyless .sig (old)"
run "$VOUCH" verify "${KL[@]}" --trusted-root "$ROOT" oci-dir:kl:app
expect_rc 1 "a timestamp outside the certificate's validity refuses it"
expect_match "$ERR" "certificate has expired" "timestamp as signing time: reason"
python3 "$LAYOUT" annotate kl "$K" dev.sigstore.cosign/rfc3161timestamp= || bad "annotate"
run "$VOUCH" verify "${KL[@]}" --trusted-root "$ROOT" oci-dir:kl:app
expect_rc 0 "the same signature without the timestamp: checked at its integrated time"

# --- certificates as keys: only with a chain or a trusted root
printf 'blob bytes\n' >blob
openssl dgst -sha256 -sign pki/fresh.key blob | base64 -w0 >blob.sig
openssl dgst -sha256 -sign pki/old.key blob | base64 -w0 >old.sig
run "$VOUCH" verify-blob --key pki/fresh.pem --signature blob.sig blob
expect_rc 2 "a certificate as --key without a chain or trusted root is refused"
expect_eq "$ERR" "vouch: key 'pki/fresh.pem' is a certificate: give --certificate-chain or --trusted-root to check it" \
    "certificate as key: reason"
run "$VOUCH" verify-blob --certificate pki/fresh.pem --certificate-chain pki/fulcio.pem \
    --signature blob.sig blob
expect_rc 0 "--certificate with --certificate-chain"
run "$VOUCH" verify-blob --key pki/fresh.pem --certificate-chain pki/fulcio.pem --signature blob.sig blob
expect_rc 0 "a certificate as --key with --certificate-chain"
run "$VOUCH" verify-blob --key pki/fresh.pem --trusted-root "$ROOT" --signature blob.sig blob
expect_rc 0 "a certificate as --key with a trusted root (its Fulcio CA)"
run "$VOUCH" verify-blob --key pki/fresh.pem --trusted-root "$PG" --signature blob.sig blob
expect_rc 1 "a certificate that does not chain to the trusted root"
expect_match "$ERR" "^vouch: verifying 'blob': certificate 'pki/fresh.pem': " "other root: reason"
run "$VOUCH" verify-blob --certificate pki/fresh.pem --certificate-chain pki/tsa-chain.pem \
    --signature blob.sig blob
expect_rc 1 "a certificate that does not chain to the given chain"
run "$VOUCH" verify-blob --certificate pki/old.pem --certificate-chain pki/fulcio.pem \
    --signature old.sig blob
expect_rc 1 "an expired certificate with no verified signing time is refused"
expect_match "$ERR" "certificate has expired" "expired: reason"
run "$VOUCH" verify-blob --certificate pki/fresh.pem --certificate-chain pki/fulcio.pem \
    "${KL[@]}" --signature blob.sig blob
expect_rc 0 "--certificate with its identity"
run "$VOUCH" verify-blob --certificate pki/fresh.pem --certificate-chain pki/fulcio.pem \
    --certificate-identity someone@example.com --certificate-oidc-issuer "$ISS" --signature blob.sig blob
expect_rc 1 "--certificate with another identity"
expect_match "$ERR" "does not match the expected identity" "certificate identity: reason"
run "$VOUCH" verify-blob --certificate cosign.pub --certificate-chain pki/fulcio.pem \
    --signature blob.sig blob
expect_rc 2 "--certificate that is not a certificate"
expect_eq "$ERR" "vouch: 'cosign.pub' is not a certificate" "not a certificate: reason"
run "$VOUCH" verify-blob --key cosign.pub --certificate pki/fresh.pem --signature blob.sig blob
expect_rc 2 "--key and --certificate together"
run "$VOUCH" verify --key pki/fresh.pem oci-dir:kl:app
expect_rc 2 "verify: a certificate as --key alone is refused"
expect_one_line_err "verify: certificate as key"
python3 "$LAYOUT" annotate kl "$K" dev.sigstore.cosign/bundle= dev.sigstore.cosign/certificate= || bad "annotate"
keyless_sig fresh $((NOW - 30)) || bad "keyless .sig"
run "$VOUCH" verify --certificate pki/fresh.pem --certificate-chain pki/fulcio.pem oci-dir:kl:app
expect_rc 0 "verify --certificate --certificate-chain"
run "$VOUCH" verify --certificate pki/old.pem --certificate-chain pki/fulcio.pem oci-dir:kl:app
expect_rc 1 "verify: an expired certificate (and not the signer) is refused"
run "$VOUCH" verify-attestation --key pki/fresh.pem --type slsaprovenance1 oci-dir:kl:app
expect_rc 2 "verify-attestation: a certificate as --key alone is refused"
expect_one_line_err "verify-attestation: certificate as key"
finish
