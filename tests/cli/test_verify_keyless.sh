#!/usr/bin/env bash
# vouch verify, keyless: containers/image's real keyless image signature
# (dir-img-cosign-fulcio-rekor-valid) laid out as an OCI layout with its .sig image, verified
# against the public-good trusted root; a wrong identity, issuer, root, or a tampered SET or
# signature is refused with a one-line reason.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
FIX=$VECTORS/containers-image-fulcio/dir-img-cosign-fulcio-rekor-valid
ROOT=$VECTORS/sigstore-conformance/trusted-roots/public-good.trusted_root.json
STAGING=$VECTORS/sigstore-conformance/trusted-roots/staging.trusted_root.json
WHO=mitr@redhat.com
ISS=https://github.com/login/oauth

# an OCI layout holding the image manifest (tag "signed") and its sha256-<hex>.sig image whose
# one layer is signature-1's payload with its annotations (tamper: none, set or sig)
mklayout() {
    python3 - "$FIX" "$1" "$2" <<'PY'
import base64, hashlib, json, os, sys
fix, out, tamper = sys.argv[1:4]
os.makedirs(out + "/blobs/sha256")
def put(b):
    h = hashlib.sha256(b).hexdigest()
    open(f"{out}/blobs/sha256/{h}", "wb").write(b)
    return "sha256:" + h, len(b)
man = open(fix + "/manifest.json", "rb").read()
md, ml = put(man)
sig = json.loads(open(fix + "/signature-1", "rb").read()[15:])
payload = base64.b64decode(sig["payload"])
ann = dict(sig["annotations"])
if tamper == "set":
    b = json.loads(ann["dev.sigstore.cosign/bundle"])
    b["Payload"]["integratedTime"] += 1
    ann["dev.sigstore.cosign/bundle"] = json.dumps(b, separators=(",", ":"))
if tamper == "sig":
    raw = bytearray(base64.b64decode(ann["dev.cosignproject.cosign/signature"]))
    raw[12] ^= 1
    ann["dev.cosignproject.cosign/signature"] = base64.b64encode(bytes(raw)).decode()
pd, pl = put(payload)
cfg = json.dumps({"architecture": "", "created": "0001-01-01T00:00:00Z", "history": [{"created": "0001-01-01T00:00:00Z"}], "os": "", "rootfs": {"type": "layers", "diff_ids": [pd]}, "config": {}}, separators=(",", ":")).encode()
cd, cl = put(cfg)
sigman = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": cl, "digest": cd},
    "layers": [{"mediaType": sig["mimeType"], "size": pl, "digest": pd, "annotations": ann}]},
    separators=(",", ":")).encode()
sd, sl = put(sigman)
mt = json.loads(man)["mediaType"]
idx = {"schemaVersion": 2, "manifests": [
    {"mediaType": mt, "digest": md, "size": ml, "annotations": {"org.opencontainers.image.ref.name": "signed"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sd, "size": sl,
     "annotations": {"org.opencontainers.image.ref.name": md.replace(":", "-") + ".sig"}}]}
open(out + "/index.json", "w").write(json.dumps(idx))
open(out + "/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
PY
}
mklayout good none
mklayout badset set
mklayout badsig sig

run "$VOUCH" verify --certificate-identity "$WHO" --certificate-oidc-issuer "$ISS" \
    --trusted-root "$ROOT" oci-dir:good:signed
expect_rc 0 "keyless .sig verifies ($ERR)"
expect_match "$OUT" '"docker-manifest-digest":"sha256:0489474da8ea22426ece86ace6c1c0026ab2fd3cdfbbd62b7e94650266c37d9a"' \
    "the verified payload is printed"
run "$VOUCH" verify --certificate-identity-regexp '@redhat\.com$' \
    --certificate-oidc-issuer-regexp '^https://github\.com/' --trusted-root "$ROOT" oci-dir:good:signed
expect_rc 0 "identity and issuer regexps"
run "$VOUCH" verify --certificate-identity someone@example.com --certificate-oidc-issuer "$ISS" \
    --trusted-root "$ROOT" oci-dir:good:signed
expect_rc 1 "another identity refused"
expect_one_line_err "another identity"
expect_match "$ERR" "does not match the expected identity" "another identity: reason"
run "$VOUCH" verify --certificate-identity "$WHO" --certificate-oidc-issuer https://accounts.google.com \
    --trusted-root "$ROOT" oci-dir:good:signed
expect_rc 1 "another issuer refused"
run "$VOUCH" verify --certificate-identity "$WHO" --certificate-oidc-issuer "$ISS" \
    --trusted-root "$STAGING" oci-dir:good:signed
expect_rc 1 "another trusted root refused"
expect_match "$ERR" "does not list" "another root: reason"
run "$VOUCH" verify --certificate-identity "$WHO" --certificate-oidc-issuer "$ISS" \
    --trusted-root "$ROOT" oci-dir:badset:signed
expect_rc 1 "tampered integrated time refused"
expect_match "$ERR" "signed entry timestamp does not verify" "tampered SET: reason"
run "$VOUCH" verify --certificate-identity "$WHO" --certificate-oidc-issuer "$ISS" \
    --trusted-root "$ROOT" oci-dir:badsig:signed
expect_rc 1 "tampered signature refused"
expect_one_line_err "tampered signature"
run "$VOUCH" verify --certificate-identity "$WHO" --trusted-root "$ROOT" oci-dir:good:signed
expect_rc 2 "keyless without an issuer is a usage error"
run env -u VOUCH_TRUSTED_ROOT XDG_CACHE_HOME="$T/nocache" "$VOUCH" verify --certificate-identity "$WHO" --certificate-oidc-issuer "$ISS" oci-dir:good:signed
expect_rc 0 "keyless without --trusted-root: the installed public-good root"
finish
