# vouch's OCI client against a real Distribution registry (docker-registry 2.8), images
# built by umoci and pushed/read by skopeo, and the recorded peer repositories: reading,
# pushing (monolithic and chunked), mounts, docker/oci archives, TLS + basic auth with a
# test CA and docker config.json credentials, and every failure with its exit code.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
trap registry_stop EXIT

PEER=$VECTORS/cosign-image/registry
IMG=ffe6487ee12e4a4065e29c7385a50f30d709bc15ca78bf8060e9c249a57a81db
SIG=b6a6cb834a04eab082ceda05bb8d6de135b4c00ea68ea02d541c99a526cd7b7f
SIGTAG=sha256-$IMG.sig
SIG_ART=application/vnd.dev.cosign.artifact.sig.v1+json

# The digest the registry gives for a manifest (Docker-Content-Digest of a HEAD).
reg_digest() {
    curl -sfI -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
        -H 'Accept: application/vnd.oci.image.index.v1+json' "http://$REG/v2/$1/manifests/$2" |
        tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p'
}

registry_start plain || { bad "start plain registry"; finish; exit 1; }

# --- an image built with umoci, pushed by skopeo, read by vouch
(cd "$T" && umoci init --layout demo-oci && umoci new --image demo-oci:v1 &&
    umoci unpack --rootless --image demo-oci:v1 bundle &&
    mkdir -p bundle/rootfs/app && echo 'hello supply chain' >bundle/rootfs/app/hello.txt &&
    umoci repack --image demo-oci:v1 bundle && umoci gc --layout demo-oci) >"$T/umoci.log" 2>&1 ||
    bad "umoci build"
skopeo copy -q --dest-tls-verify=false oci:"$T/demo-oci:v1" "docker://$REG/demo:v1" ||
    bad "skopeo push"
DEMO=$(reg_digest demo v1)
expect_match "$DEMO" '^sha256:[0-9a-f]{64}$' "registry knows demo:v1"

run "$VOUCH" triangulate "$REG/demo:v1"
expect_rc 0 "triangulate"
expect_eq "$OUT" "$REG/demo:sha256-${DEMO#sha256:}.sig" "triangulate prints the .sig tag"
run "$VOUCH" triangulate --type attestation "$REG/demo:v1"
expect_eq "$OUT" "$REG/demo:sha256-${DEMO#sha256:}.att" "triangulate --type attestation"
run "$VOUCH" triangulate --type digest "$REG/demo:v1"
expect_eq "$OUT" "$REG/demo@$DEMO" "triangulate --type digest"
run "$VOUCH" triangulate "$REG/demo@$DEMO"
expect_eq "$OUT" "$REG/demo:sha256-${DEMO#sha256:}.sig" "triangulate by digest"

run "$VOUCH" tree "$REG/demo:v1"
expect_rc 0 "tree of an unsigned image"
expect_match "$OUT" 'No Supply Chain Security Related Artifacts found' "tree says nothing attached"

# copy out to a layout and back: same manifest digest, and skopeo reads what vouch wrote
run "$VOUCH" copy "$REG/demo:v1" "oci-dir:$T/pulled:v1"
expect_rc 0 "copy registry -> oci-dir"
expect_eq "$OUT" "$DEMO" "copy prints the manifest digest"
run skopeo inspect --raw "oci:$T/pulled:v1"
expect_eq "$(sha256sum <"$T/out" | cut -d' ' -f1)" "${DEMO#sha256:}" \
    "skopeo reads vouch's layout byte-exact"
VOUCH_REGISTRY_CHUNK_SIZE=100 run "$VOUCH" copy "oci-dir:$T/pulled:v1" "$REG/chunked:v1"
expect_rc 0 "copy oci-dir -> registry in 100-byte chunks"
expect_eq "$(reg_digest chunked v1)" "$DEMO" "chunked upload kept the manifest"
run skopeo copy -q --src-tls-verify=false "docker://$REG/chunked:v1" "oci:$T/skopeo-back:v1"
expect_rc 0 "skopeo pulls vouch's chunked push (blobs verified by skopeo)"
run "$VOUCH" copy "$REG/demo:v1" "$REG/mounted:v1"
expect_rc 0 "copy within a registry (cross-repository mount)"
expect_eq "$(reg_digest mounted v1)" "$DEMO" "mounted copy has the manifest"

# --- the recorded peer repositories: pushed by vouch, attachments found by tree
registry_peer_layout signed "$T/peer-signed"
run "$VOUCH" copy "oci-dir:$T/peer-signed:v1" "$REG/signed:v1"
expect_rc 0 "push recorded repository 'signed' with its .sig"
expect_eq "$OUT" "sha256:$IMG" "peer image digest unchanged"
expect_eq "$(reg_digest signed "$SIGTAG")" "sha256:$SIG" "peer .sig manifest pushed byte-exact"
run "$VOUCH" tree "$REG/signed:v1"
expect_rc 0 "tree of the signed peer image"
expect_eq "$(printf '%s\n' "$OUT" | sed -n 2p)" \
    "└── 🔐 Signatures for an image tag: $REG/signed:$SIGTAG" "tree names the .sig tag"
expect_eq "$(printf '%s\n' "$OUT" | grep -c '🍒')" \
    "$(jq '.layers | length' "$PEER/signed/blobs/sha256/$SIG")" "tree lists every signature layer"
expect_match "$OUT" "🍒 $(jq -r '.layers[1].digest' "$PEER/signed/blobs/sha256/$SIG")" \
    "tree shows the second signature's layer"
registry_peer_layout unsigned "$T/peer-unsigned"
run "$VOUCH" copy "oci-dir:$T/peer-unsigned" "$REG/unsigned:v1"
expect_rc 0 "push recorded repository 'unsigned' (only image in the layout)"

# a referrers index under the OCI 1.1 tag schema (this registry has no referrers API)
jq -nc --arg d "sha256:$SIG" --arg at "$SIG_ART" \
    '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d,
                   size: 869, artifactType: $at}]}' >"$T/referrers.json"
RDIG=sha256:$(sha256sum <"$T/referrers.json" | cut -d' ' -f1)
cp "$T/referrers.json" "$T/peer-signed/blobs/sha256/${RDIG#sha256:}"
jq -c --arg d "$RDIG" --arg t "sha256-$IMG" --argjson n "$(wc -c <"$T/referrers.json")" \
    '.manifests += [{mediaType: "application/vnd.oci.image.index.v1+json", digest: $d,
      size: $n, annotations: {"org.opencontainers.image.ref.name": $t}}]' \
    "$T/peer-signed/index.json" >"$T/idx" && mv "$T/idx" "$T/peer-signed/index.json"
run "$VOUCH" copy "oci-dir:$T/peer-signed:sha256-$IMG" "$REG/signed:sha256-$IMG"
expect_rc 0 "push a referrers tag index"
run "$VOUCH" tree "$REG/signed:v1"
expect_match "$OUT" "🔗 Referrers for an image digest: sha256:$IMG" "tree finds referrers (tag schema)"
expect_eq "$(printf '%s\n' "$OUT" | tail -1)" "   └── 🍒 sha256:$SIG ($SIG_ART)" \
    "referrer entry with its artifactType"

# --- archives made by skopeo
skopeo copy -q "oci:$T/demo-oci:v1" "docker-archive:$T/demo-docker.tar:demo:v1"
skopeo copy -q "oci:$T/demo-oci:v1" "oci-archive:$T/demo-oci.tar"
run "$VOUCH" copy "oci-archive:$T/demo-oci.tar" "$REG/fromoci:v1"
expect_eq "$OUT" "$DEMO" "oci-archive image pushed unchanged"
run "$VOUCH" copy "docker-archive:$T/demo-docker.tar:demo:v1" "oci-dir:$T/fromdocker:v1"
expect_rc 0 "docker-archive read (layers streamed from the tar)"
LAYER=$(jq -r '.layers[0].digest' "$T/fromdocker/blobs/sha256/${OUT#sha256:}")
expect_eq "$LAYER" "$(jq -r '.rootfs.diff_ids[0]' "$T/fromdocker/blobs/sha256/$(jq -r \
    '.config.digest' "$T/fromdocker/blobs/sha256/${OUT#sha256:}" | cut -d: -f2)")" \
    "docker-archive layer is named by its diff_id"
run "$VOUCH" copy "docker-archive:$T/demo-docker.tar" "$REG/fromdocker:v1"
expect_rc 0 "docker-archive -> registry"
run skopeo inspect --tls-verify=false "docker://$REG/fromdocker:v1"
expect_rc 0 "skopeo reads the image vouch pushed from a docker-archive"
run "$VOUCH" copy "docker-archive:$T/demo-docker.tar:other:v9" "oci-dir:$T/x"
expect_rc 2 "docker-archive: unknown image"
expect_one_line_err "docker-archive: unknown image"

# --- failures: unknown tag/repo, registry down, tampered and truncated blobs, bad input
run "$VOUCH" tree "$REG/demo:nope"
expect_rc 2 "unknown tag"
expect_eq "$ERR" "vouch: image '$REG/demo:nope' not found" "unknown tag message"
run "$VOUCH" triangulate "$REG/nosuchrepo:v1"
expect_rc 2 "unknown repository"
expect_one_line_err "unknown repository"
DOWN=127.0.0.1:$(registry_free_port)
run "$VOUCH" tree "$DOWN/demo:v1"
expect_rc 3 "registry down"
expect_match "$ERR" "^vouch: cannot reach registry '$DOWN': " "registry down message"
expect_one_line_err "registry down"
run "$VOUCH" tree "$REG/Demo:v1"
expect_rc 2 "invalid reference"
expect_eq "$ERR" "vouch: invalid image reference '$REG/Demo:v1': repository name must be lowercase" \
    "invalid reference message"
run "$VOUCH" tree
expect_rc 2 "missing IMAGE"

DATA=$(ls -d "$T"/registry-plain-*/data/docker/registry/v2/blobs/sha256)
LAYERHEX=$(jq -r '.layers[0].digest' "$T/pulled/blobs/sha256/${DEMO#sha256:}" | cut -d: -f2)
LAYERFILE=$DATA/${LAYERHEX:0:2}/$LAYERHEX/data
cp "$LAYERFILE" "$T/layer.orig"
head -c 100 "$T/layer.orig" >"$LAYERFILE"
run "$VOUCH" copy "$REG/demo:v1" "oci-dir:$T/trunc:v1"
expect_rc 3 "truncated blob from the registry"
expect_match "$ERR" "^vouch: truncated answer from registry '$REG': transfer closed" \
    "truncated blob message"
expect_one_line_err "truncated blob"
expect_absent "$T/trunc/blobs/sha256/$LAYERHEX" "no partial blob written"
expect_absent "$T/trunc/index.json" "nothing tagged after a failed copy"
cp "$T/layer.orig" "$LAYERFILE"
printf 'X' | dd of="$LAYERFILE" bs=1 seek=50 conv=notrunc 2>/dev/null
run "$VOUCH" copy "$REG/demo:v1" "oci-dir:$T/tampered:v1"
expect_rc 1 "tampered blob from the registry"
expect_one_line_err "tampered blob"
cp "$T/layer.orig" "$LAYERFILE"
# a tampered blob in a layout: the upload is abandoned and no manifest is pushed
cp -r "$T/pulled" "$T/tampered-layout"
chmod u+w "$T/tampered-layout/blobs/sha256/$LAYERHEX"
printf 'X' | dd of="$T/tampered-layout/blobs/sha256/$LAYERHEX" bs=1 seek=50 conv=notrunc 2>/dev/null
run "$VOUCH" copy "oci-dir:$T/tampered-layout:v1" "$REG/tampered:v1"
expect_rc 1 "tampered layout blob"
expect_match "$ERR" "^vouch: digest mismatch for blob sha256:$LAYERHEX" "tampered layout message"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://$REG/v2/tampered/manifests/v1")" 404 \
    "nothing pushed after a failed copy"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://$REG/v2/tampered/blobs/sha256:$LAYERHEX")" \
    404 "no half-pushed blob"

# malformed manifest (a layout whose tagged manifest is not a manifest)
mkdir -p "$T/bad/blobs/sha256"
printf '{"schemaVersion":2,"layers":' >"$T/bad.json"
BAD=$(sha256sum <"$T/bad.json" | cut -d' ' -f1)
cp "$T/bad.json" "$T/bad/blobs/sha256/$BAD"
printf '{"imageLayoutVersion":"1.0.0"}' >"$T/bad/oci-layout"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":27,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}' \
    "$BAD" >"$T/bad/index.json"
run "$VOUCH" tree "oci-dir:$T/bad:v1"
expect_rc 2 "malformed manifest"
expect_match "$ERR" "^vouch: malformed manifest for 'sha256:$BAD' in '$T/bad'" \
    "malformed manifest message"

# --- TLS + htpasswd registry with a test CA
registry_start tls-auth || { bad "start tls registry"; finish; exit 1; }
printf '%s\n' "$REG_PASS" >"$T/pass"
printf 'wrong\n' >"$T/wrong"
run "$VOUCH" copy --ca-cert "$REG_CA" --registry-username "$REG_USER" --registry-password-stdin \
    "oci-dir:$T/pulled:v1" "$REG/demo:v1" <"$T/pass"
expect_rc 0 "push over TLS with basic auth"
run skopeo inspect --raw --cert-dir "$(dirname "$REG_CA")/nocerts" --tls-verify=false \
    --creds "$REG_USER:$REG_PASS" "docker://$REG/demo:v1"
expect_eq "$(sha256sum <"$T/out" | cut -d' ' -f1)" "${DEMO#sha256:}" \
    "skopeo reads it back with the credentials"
run "$VOUCH" triangulate --ca-cert "$REG_CA" "$REG/demo:v1"
expect_rc 3 "no credentials"
expect_eq "$ERR" "vouch: registry '$REG' requires authentication (HTTP 401): give --registry-username or log in with docker" \
    "no credentials message"
run "$VOUCH" triangulate --ca-cert "$REG_CA" --registry-username "$REG_USER" \
    --registry-password-stdin "$REG/demo:v1" <"$T/wrong"
expect_rc 3 "wrong credentials"
expect_eq "$ERR" "vouch: registry '$REG' refused the credentials (HTTP 401)" "wrong credentials message"
expect_eq "$(grep -c wrong "$T/err")" 0 "the password is not printed"
run "$VOUCH" triangulate --registry-username "$REG_USER" --registry-password-stdin \
    "$REG/demo:v1" <"$T/pass"
expect_rc 3 "untrusted certificate"
expect_match "$ERR" "^vouch: cannot reach registry '$REG': .*certificate" "certificate error named"
run "$VOUCH" triangulate --allow-insecure-registry --registry-username "$REG_USER" \
    --registry-password-stdin "$REG/demo:v1" <"$T/pass"
expect_rc 0 "--allow-insecure-registry skips verification"
mkdir -p "$T/dockercfg"
printf '{"auths":{"%s":{"auth":"%s"}}}' "$REG" "$(printf '%s:%s' "$REG_USER" "$REG_PASS" | base64)" \
    >"$T/dockercfg/config.json"
DOCKER_CONFIG=$T/dockercfg run "$VOUCH" triangulate --ca-cert "$REG_CA" "$REG/demo:v1"
expect_rc 0 "credentials from DOCKER_CONFIG/config.json"
expect_eq "$OUT" "$REG/demo:sha256-${DEMO#sha256:}.sig" "triangulate over TLS"
printf '{"auths":{"https://%s/v1/":{"username":"%s","password":"nope"}}}' "$REG" "$REG_USER" \
    >"$T/dockercfg/config.json"
DOCKER_CONFIG=$T/dockercfg run "$VOUCH" tree --ca-cert "$REG_CA" "$REG/demo:v1"
expect_rc 3 "wrong credentials from docker config"
expect_one_line_err "wrong credentials from docker config"

finish
