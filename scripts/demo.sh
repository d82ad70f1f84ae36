#!/usr/bin/env bash
# Set up, build (Release) and run vouch's main job end to end on a local demo: keys, a
# signed file, an image in a local registry signed as cosign does, its SBOM and SLSA
# provenance attached as attestations, and the admission decision of a deploy gate.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" >/dev/null
V=$top/build/release/cmd/vouch
D=$(mktemp -d "${TMPDIR:-/tmp}/vouch-demo.XXXXXX")
REG_PID=""
cleanup() { [ -n "$REG_PID" ] && kill "$REG_PID" 2>/dev/null; rm -rf "$D"; }
trap cleanup EXIT
cd "$D"
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
# expect_fail CMD...: the command must be rejected (exit 1)
expect_fail() {
    printf '\n\033[1m$ %s\033[0m   (must be rejected)\n' "$*"
    local rc=0
    "$@" || rc=$?
    [ "$rc" -eq 1 ] || { echo "demo: expected exit 1, got $rc" >&2; exit 1; }
}
export VOUCH_PASSWORD=demo SOURCE_DATE_EPOCH=1700000000

step "$V" version
step "$V" generate-key-pair --output-key-prefix demo

echo "release 1.0 of something important" >artifact.txt
step "$V" sign-blob --key demo.key --output-signature artifact.sig --bundle artifact.bundle artifact.txt
step "$V" verify-blob --key demo.pub --bundle artifact.bundle artifact.txt
echo tampered >>artifact.txt
expect_fail "$V" verify-blob --key demo.pub --signature artifact.sig artifact.txt

# A local registry (Debian's docker-registry) on a free loopback port
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >registry.yml <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $D/registry}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$PORT}
YML
docker-registry serve registry.yml >registry.log 2>&1 &
REG_PID=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/v2/" >/dev/null && break; sleep 0.1; done
REG=127.0.0.1:$PORT

# An image built without Docker (umoci) and pushed with skopeo
umoci init --layout img >/dev/null && umoci new --image img:v1 >/dev/null
umoci unpack --rootless --image img:v1 bundle >/dev/null
mkdir -p bundle/rootfs/app
echo 'hello supply chain' >bundle/rootfs/app/hello.txt
# the package database of Google's distroless static-debian11 (real files, see testvectors/)
cp -r "$top/testvectors/sbom/dpkg-distroless/static-debian11/." bundle/rootfs/
umoci repack --image img:v1 bundle >/dev/null
skopeo copy -q --dest-tls-verify=false oci:img:v1 "docker://$REG/demo:v1"
skopeo copy -q --dest-tls-verify=false oci:img:v1 "docker://$REG/demo:latest"
skopeo copy -q --dest-tls-verify=false oci:img:v1 "docker://$REG/unsigned:v1"
IMAGE=$REG/demo:v1

step "$V" sign --key demo.key -a env=prod "$IMAGE"
step "$V" verify --key demo.pub -a env=prod "$IMAGE"
expect_fail "$V" verify --key demo.pub "$REG/unsigned:v1"

step "$V" sbom "registry:$IMAGE" -o table -o cyclonedx-json=sbom.cdx.json
step "$V" attest --key demo.key --type cyclonedx --predicate sbom.cdx.json "$IMAGE"

step "$V" provenance --subject "$IMAGE" --builder-id https://ci.example.com/builder@v1 \
    --build-type https://ci.example.com/buildtypes/demo@v1 -o provenance.json
/usr/bin/python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1]))["predicate"], open(sys.argv[2],"w"))' \
    provenance.json predicate.json
step "$V" attest --key demo.key --type slsaprovenance1 --predicate predicate.json "$IMAGE"
step "$V" verify-attestation --key demo.pub --type slsaprovenance1 \
    --builder-id https://ci.example.com/builder@v1 "$IMAGE" >/dev/null
expect_fail "$V" verify-attestation --key demo.pub --type slsaprovenance1 \
    --builder-id https://evil.example.com/builder "$IMAGE"
step "$V" tree "$IMAGE"

cat >policy.yaml <<YML
apiVersion: vouch.dev/policy/v1
default: deny
rules:
  - name: demo
    images: ["$REG/**"]
    tags: {deny: [latest]}
    signatures: {keys: [demo.pub]}
    attestations:
      - type: slsaprovenance1
        keys: [demo.pub]
        builderId: "https://ci.example.com/builder@*"
    sbom: {required: true, denyLicenses: ["AGPL-*"]}
YML
step "$V" admit --registry --policy policy.yaml "$IMAGE"
expect_fail "$V" admit --registry --policy policy.yaml "$REG/unsigned:v1"
expect_fail "$V" admit --registry --policy policy.yaml "$REG/demo:latest"
printf '\ndemo: done\n'
