#!/usr/bin/env bash
# vouch's own image (scripts/image.sh): built twice with one SOURCE_DATE_EPOCH (same
# digest), released to a local docker-registry (copy, sign, SBOM and SLSA provenance
# attestations), admitted by deploy/'s own policy (and an unsigned copy denied), pinned into
# deploy/ by `image.sh pin`; then unpacked (umoci unpack --rootless) and run from the
# unpacked root in a chroot with its own /proc: `vouch version`, and `vouch webhook serve`
# answering /healthz over TLS. The image holds what the binary needs, and no shell.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
cd "$T" || exit 1
IMG=$VOUCH_SRC/scripts/image.sh
export SOURCE_DATE_EPOCH=1700000000 VOUCH_PASSWORD=image-test
PIDS=""
cleanup() {
    local p
    for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    registry_stop
}
trap cleanup EXIT

# --- build, twice: the same digest
run env VOUCH="$VOUCH" bash "$IMG" build "$T/img1:0.1.0"
expect_rc 0 "image.sh build"
D1=$OUT
expect_match "$D1" '^sha256:[0-9a-f]{64}$' "build prints the manifest digest"
run env VOUCH="$VOUCH" bash "$IMG" build "$T/img2:0.1.0"
expect_rc 0 "image.sh build again"
expect_eq "$OUT" "$D1" "two builds with one SOURCE_DATE_EPOCH give the same digest"
expect_eq "$(cd "$T/img1" && find . -type f | sort | xargs sha256sum)" \
    "$(cd "$T/img2" && find . -type f | sort | xargs sha256sum)" "the two layouts are the same bytes"

# --- what the image says about itself
blob() { cat "$T/img1/blobs/sha256/${1#sha256:}"; }
MANIFEST=$(blob "$D1")
CONFIG=$(blob "$(printf '%s' "$MANIFEST" | jq -r .config.digest)")
LAYER=$T/img1/blobs/sha256/$(printf '%s' "$MANIFEST" | jq -r '.layers[0].digest | ltrimstr("sha256:")')
expect_eq "$(printf '%s' "$MANIFEST" | jq '.layers | length')" 1 "one layer"
expect_eq "$(printf '%s' "$CONFIG" | jq -r .config.User)" "65532:65532" "runs as nonroot (65532)"
expect_eq "$(printf '%s' "$CONFIG" | jq -c .config.Entrypoint)" '["/usr/local/bin/vouch"]' "entrypoint"
expect_eq "$(printf '%s' "$CONFIG" | jq -r '[.created, .history[].created] | unique | join(" ")')" \
    "2023-11-14T22:13:20Z" "every time in the config is SOURCE_DATE_EPOCH"
tar -tvzf "$LAYER" >layer.txt
expect_eq "$(awk '{print $4" "$5}' layer.txt | sort -u | tr '\n' ' ')" "2023-11-14 22:13 " \
    "every layer entry has SOURCE_DATE_EPOCH's mtime"
expect_eq "$(awk '$2 != "0/0" {print $2, $6}' layer.txt)" "65532/65532 home/nonroot/" \
    "everything is root's but nonroot's home"
expect_eq "$(awk '{print $6}' layer.txt)" "$(awk '{print $6}' layer.txt | LC_ALL=C sort)" "entries in name order"
if grep -Eq '(^|/)(sh|bash|dash|busybox)$' <(awk '{print $6}' layer.txt); then
    bad "the image holds a shell"; else ok "no shell in the image"; fi
grep -q ' etc/ssl/certs/ca-certificates.crt$' layer.txt && ok "CA certificates" || bad "no CA certificates"

# --- unpack and run from the unpacked root
run umoci unpack --rootless --image "$T/img1:0.1.0" "$T/bundle"
expect_rc 0 "umoci unpack --rootless"
R=$T/bundle/rootfs
expect_match "$(grep nonroot "$R/etc/passwd")" '^nonroot:x:65532:65532:' "/etc/passwd has nonroot"
missing=""
for lib in $(ldd "$VOUCH" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p'); do
    [ -f "$R$lib" ] || missing="$missing $lib"
done
expect_eq "$missing" "" "every library ldd names (and the loader) is in the image"
# chroot as the image's user, with a fresh /proc as a runtime gives (sanitizer builds read it)
mkdir -p "$R/proc"
in_image() {
    if [ "$(id -u)" -eq 0 ]; then
        unshare -m -p -f --kill-child=SIGTERM --mount-proc="$R/proc" chroot --userspec=65532:65532 "$R" "$@"
    else
        unshare -r -m -p -f --kill-child=SIGTERM --mount-proc="$R/proc" chroot "$R" "$@"
    fi
}
run in_image /usr/local/bin/vouch version
expect_rc 0 "vouch version runs in the image"
expect_eq "$(head -1 "$T/out")" "vouch 0.1.0" "vouch version in the image"
run in_image /usr/local/bin/vouch trusted-root path
expect_eq "$OUT" "/usr/local/share/vouch/trusted_root.json" "the trust data is where the binary looks"
run in_image /bin/sh -c true
expect_rc 127 "no /bin/sh to run"

# webhook serve in the image, /healthz over TLS with a test certificate
mkdir -p "$R/tmp/tls"
registry_make_tls "$R/tmp/tls" || bad "test certificate"
chown -R 65532:65532 "$R/tmp/tls" 2>/dev/null || chmod -R a+r "$R/tmp/tls"
printf 'apiVersion: vouch.dev/policy/v1\ndefault: deny\nrules: []\n' >"$R/tmp/policy.yaml"
PORT=$(registry_free_port)
in_image /usr/local/bin/vouch webhook serve --policy /tmp/policy.yaml --tls-cert /tmp/tls/srv.pem \
    --tls-key /tmp/tls/srv.key --listen "127.0.0.1:$PORT" >webhook.out 2>webhook.err &
PIDS="$PIDS $!"
code=""
for _ in $(seq 1 200); do
    code=$(curl -s --cacert "$R/tmp/tls/ca.pem" -o healthz.body -w '%{http_code}' "https://127.0.0.1:$PORT/healthz")
    [ "$code" = 200 ] && break
    sleep 0.1
done
expect_eq "$code" 200 "webhook serve in the image answers /healthz over TLS"
[ "$code" = 200 ] || sed 's/^/    webhook: /' webhook.err | head -5

# --- release to a local registry with vouch itself
registry_start plain || bad "registry"
run "$VOUCH" generate-key-pair --output-key-prefix cosign
expect_rc 0 "release key"
run env VOUCH="$VOUCH" COSIGN_KEY="$T/cosign.key" BUILDER_ID=https://ci.example.com/builder@v1 \
    BUILD_TYPE=https://vouch.dev/buildtypes/image@v1 bash "$IMG" release "$T/img1:0.1.0" "$REG/acme/vouch"
expect_rc 0 "image.sh release"
REF=$OUT
expect_eq "$REF" "$REG/acme/vouch@$D1" "release prints REPO@DIGEST with the built digest"
run "$VOUCH" verify --key cosign.pub "$REG/acme/vouch:0.1.0"
expect_rc 0 "the released tag's signature verifies"
run "$VOUCH" verify-attestation --key cosign.pub --type slsaprovenance1 \
    --builder-id https://ci.example.com/builder@v1 "$REF"
expect_rc 0 "its SLSA provenance verifies and names the builder"
run "$VOUCH" verify-attestation --key cosign.pub --type cyclonedx --output json "$REF"
expect_rc 0 "its SBOM attestation verifies"
expect_match "$(jq -r '.predicate.components[]? | select(.purl // "" | startswith("pkg:deb/")) | .name' "$T/out" | sort | tr '\n' ' ')" \
    "(^| )libc6 .*libssl3 " "the attested SBOM names the Debian packages of the libraries"
run "$VOUCH" sbom "registry:$REF" --quiet -o table
expect_match "$OUT" "libc6 " "the image's SBOM names libc6"
expect_match "$OUT" "libssl3 " "the image's SBOM names libssl3"

# deploy/'s own policy, with its placeholders filled as docs/webhook.md says
mkdir -p pol
/usr/bin/python3 - "$VOUCH_SRC/deploy/base/policy-configmap.yaml" pol "$REG" <<'PY'
import sys, yaml
cm = yaml.safe_load(open(sys.argv[1]))
open(sys.argv[2] + "/policy.yaml", "w").write(cm["data"]["policy.yaml"].replace("ghcr.io/acme", sys.argv[3] + "/acme"))
PY
cp cosign.pub pol/cosign.pub
run "$VOUCH" admit --registry --policy pol/policy.yaml "$REF"
expect_rc 0 "deploy/'s policy admits the released image"
run "$VOUCH" copy "oci-dir:$T/img1:0.1.0" "$REG/acme/unsigned:0.1.0"
expect_rc 0 "an unsigned copy"
run "$VOUCH" admit --registry --policy pol/policy.yaml "$REG/acme/unsigned@$D1"
expect_rc 1 "deploy/'s policy denies the unsigned copy"

# pin: deploy/ names the image by digest
cp -r "$VOUCH_SRC/deploy" deploy
run bash "$IMG" pin "$REF" "$T/deploy/base/kustomization.yaml"
expect_rc 0 "image.sh pin"
run kubectl kustomize deploy
expect_rc 0 "kubectl kustomize deploy/ after pin"
expect_match "$OUT" "image: $REG/acme/vouch@$D1" "the Deployment runs the released image by digest"
run bash "$IMG" pin "$REG/acme/vouch:0.1.0" "$T/deploy/base/kustomization.yaml"
expect_rc 2 "pin refuses a tag"
finish
