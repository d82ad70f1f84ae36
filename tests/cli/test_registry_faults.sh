#!/usr/bin/env bash
# Manifests come from the registry's own origin: a manifest redirect to another origin is
# refused (tree, sign, sbom, copy); blob redirects to another origin (storage backends) are
# followed. Two loopback origins from tests/support/fault_registry.py.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"

A=$(registry_free_port)
B=$(registry_free_port)
while [ "$B" = "$A" ]; do B=$(registry_free_port); done
python3 "$VOUCH_SRC/tests/support/fault_registry.py" "$A" "$B" > "$T/redir.out" 2>&1 &
SRV=$!
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null' EXIT
for _ in $(seq 1 100); do grep -q ready "$T/redir.out" 2>/dev/null && break; sleep 0.1; done
IMG=localhost:$A/app:latest
WANT="vouch: cannot fetch manifest 'localhost:$A/app:latest': registry 'localhost:$A' redirects it to another origin ('http://127.0.0.1:$B/v2/app/manifests/latest'), refused"

run "$VOUCH" tree "$IMG"
expect_rc 3 "tree refuses a manifest redirect to another origin"
expect_eq "$ERR" "$WANT" "tree names the manifest and the other origin"

(cd "$T" && VOUCH_PASSWORD=pw "$VOUCH" generate-key-pair --output-key-prefix k </dev/null >/dev/null 2>&1)
run env VOUCH_PASSWORD=pw "$VOUCH" sign --key "$T/k.key" "$IMG"
expect_rc 3 "sign refuses a manifest redirect to another origin"
expect_eq "$ERR" "$WANT" "sign names the manifest and the other origin"

run "$VOUCH" sbom "registry:$IMG"
expect_rc 3 "sbom refuses a manifest redirect to another origin"
expect_eq "$ERR" "$WANT" "sbom names the manifest and the other origin"
expect_eq "$OUT" "" "sbom writes nothing"

run "$VOUCH" copy "$IMG" "oci-dir:$T/refused"
expect_rc 3 "copy refuses a manifest redirect to another origin"
expect_absent "$T/refused" "copy leaves no layout"

# blobs: redirected to origin B and followed
run "$VOUCH" copy "localhost:$A/app:direct" "oci-dir:$T/copied"
expect_rc 0 "copy follows blob redirects to a storage origin"
n=$(ls "$T/copied/blobs/sha256" 2>/dev/null | wc -l)
expect_eq "$n" "3" "manifest, config and layer copied"

# a descriptor's size holds while the blob streams: a 1400-byte layer answered with 2 GiB
# stops at 1400 bytes
BIGL=$(python3 -c 'import hashlib; print(hashlib.sha256(b"\0" * 1400).hexdigest())')
run "$VOUCH" sbom "registry:localhost:$A/app:big"
expect_rc 1 "sbom stops a layer that outgrows its descriptor"
expect_eq "$ERR" "vouch: blob sha256:$BIGL from 'localhost:$A/app' is larger than its declared 1400 bytes" \
    "the layer and its declared size are named"
finish
