#!/usr/bin/env bash
# vouch sbom over images made here with umoci/skopeo: layers squashed with whiteouts
# (.wh.NAME, opaque .wh..wh..opq), per-package introducing layer, --scope all-layers,
# oci-dir / oci-archive / docker-archive, and a tampered layer blob.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
trap registry_stop EXIT
export SOURCE_DATE_EPOCH=1700000000

l1=$T/l1 l2=$T/l2
mkdir -p "$l1/var/lib/dpkg/info" "$l1/usr/bin" "$l1/usr/share/doc/hello" "$l1/etc"
printf 'ID=debian\nVERSION_ID="12"\n' >"$l1/etc/os-release"
printf 'Package: hello\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.10-3\n\nPackage: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9\n' \
    >"$l1/var/lib/dpkg/status"
printf '/usr/bin/hello\n' >"$l1/var/lib/dpkg/info/hello.list"
printf 'hello\n' >"$l1/usr/bin/hello"
printf 'License: GPL-3+\n' >"$l1/usr/share/doc/hello/copyright"
# layer 2: hello removed (status rewritten, binary whited out, doc dir made opaque), newpkg added
mkdir -p "$l2/var/lib/dpkg" "$l2/usr/bin" "$l2/usr/share/doc/newpkg"
printf 'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9\n\nPackage: newpkg\nStatus: install ok installed\nArchitecture: all\nVersion: 1.0\n' \
    >"$l2/var/lib/dpkg/status"
: >"$l2/usr/bin/.wh.hello"
: >"$l2/usr/share/doc/.wh..wh..opq"
printf 'License: MIT\n' >"$l2/usr/share/doc/newpkg/copyright"
tar -C "$l1" -cf "$T/l1.tar" . && tar -C "$l2" -cf "$T/l2.tar" .
umoci init --layout "$T/lay" && umoci new --image "$T/lay:t" &&
    umoci raw add-layer --image "$T/lay:t" "$T/l1.tar" && umoci raw add-layer --image "$T/lay:t" "$T/l2.tar"
mdig=$(jq -r '.manifests[0].digest' "$T/lay/index.json")
L1=$(jq -r '.layers[0].digest' "$T/lay/blobs/sha256/${mdig#sha256:}")
L2=$(jq -r '.layers[1].digest' "$T/lay/blobs/sha256/${mdig#sha256:}")

pkgs() { jq -r '[.components[] | select(.type=="library") | "\(.name)@\(.properties[] | select(.name=="vouch:layer") | .value)"] | join(" ")' "$1"; }
files() { jq -r '[.components[] | select(.type=="file") | .name] | join(" ")' "$1"; }

run "$VOUCH" sbom "oci-dir:$T/lay:t" -o "cyclonedx-json=$T/sq.json" -o table
expect_rc 0 "oci-dir squashed"
expect_eq "$OUT" 'NAME    VERSION  TYPE
libc6   2.36-9   deb
newpkg  1.0      deb' "squashed package set"
expect_eq "$(pkgs "$T/sq.json")" "libc6@$L1 newpkg@$L2" "introducing layer per package"
expect_eq "$(files "$T/sq.json")" \
    "etc/os-release usr/share/doc/newpkg/copyright var/lib/dpkg/info/hello.list var/lib/dpkg/status" \
    "whiteout and opaque directory applied to files"
expect_eq "$(jq -r '.components[] | select(.name=="var/lib/dpkg/status") | .properties[0].value' "$T/sq.json")" \
    "$L2" "file layer is the last writer"

run "$VOUCH" sbom "oci-dir:$T/lay:t" --scope all-layers -o "cyclonedx-json=$T/all.json"
expect_rc 0 "oci-dir all-layers"
expect_eq "$(pkgs "$T/all.json")" "hello@$L1 libc6@$L1 newpkg@$L2" "all-layers keeps the deleted package"
expect_match "$(files "$T/all.json")" "usr/bin/hello" "all-layers keeps deleted files"

run /usr/bin/python3 "$VOUCH_SRC/tests/interop/sbom_validate.py" \
    "$VOUCH_SRC/schemas/cyclonedx-1.6/bom-1.6.schema.json" "$T/sq.json" "$T/all.json"
expect_rc 0 "image SBOMs (layer properties) validate against CycloneDX 1.6"
run "$VOUCH" sbom "oci-dir:$T/lay:t" -o "spdx-json=$T/sq.spdx.json"
run /usr/bin/python3 "$VOUCH_SRC/tests/interop/sbom_validate.py" \
    "$VOUCH_SRC/schemas/spdx-2.3/spdx-schema.json" "$T/sq.spdx.json"
expect_rc 0 "image SPDX validates"
expect_eq "$(jq -r '.packages[0].primaryPackagePurpose' "$T/sq.spdx.json")" "CONTAINER" "image root is a CONTAINER"

(cd "$T/lay" && tar -cf "$T/img.oci.tar" .)
run "$VOUCH" sbom "oci-archive:$T/img.oci.tar" -o "cyclonedx-json=$T/oa.json"
expect_rc 0 "oci-archive"
expect_eq "$(pkgs "$T/oa.json")" "libc6@$L1 newpkg@$L2" "oci-archive same packages and layers"
if skopeo copy -q "oci:$T/lay:t" "docker-archive:$T/img.docker.tar:vouch/test:t" 2>"$T/skopeo.err"; then
    run "$VOUCH" sbom "docker-archive:$T/img.docker.tar" -o table
    expect_rc 0 "docker-archive"
    expect_eq "$OUT" 'NAME    VERSION  TYPE
libc6   2.36-9   deb
newpkg  1.0      deb' "docker-archive same packages"
else
    bad "skopeo could not write a docker-archive: $(head -1 "$T/skopeo.err")"
fi

# a file replacing a directory hides the directory's lower children
mkdir -p "$T/da/opt/app" "$T/db/opt"
printf 'a\n' >"$T/da/opt/app/one" && printf 'b\n' >"$T/da/opt/keep"
printf 'now a file\n' >"$T/db/opt/app"
tar -C "$T/da" -cf "$T/da.tar" . && tar -C "$T/db" -cf "$T/db.tar" .
umoci init --layout "$T/lay2" && umoci new --image "$T/lay2:t" &&
    umoci raw add-layer --image "$T/lay2:t" "$T/da.tar" && umoci raw add-layer --image "$T/lay2:t" "$T/db.tar"
run "$VOUCH" sbom "oci-dir:$T/lay2:t" -o "cyclonedx-json=$T/dir2file.json"
expect_eq "$(files "$T/dir2file.json")" "opt/app opt/keep" "file over directory drops its children"

# the same image pushed to a throwaway local registry
if registry_start plain && skopeo copy -q --dest-tls-verify=false "oci:$T/lay:t" "docker://$REG/sbom/test:t"; then
    run "$VOUCH" sbom "registry:$REG/sbom/test:t" -o "cyclonedx-json=$T/reg.json"
    expect_rc 0 "registry: source"
    expect_eq "$(pkgs "$T/reg.json")" "libc6@$L1 newpkg@$L2" "registry same packages and layers"
    run "$VOUCH" sbom "$REG/sbom/test:t" -o table
    expect_rc 0 "a bare image reference is guessed as registry:"
else
    bad "could not start a registry or push to it"
fi

# a tampered layer blob is caught by its digest, and leaves no output file
cp -r "$T/lay" "$T/bad"
blob=$T/bad/blobs/sha256/${L1#sha256:}
chmod u+w "$blob" && /usr/bin/python3 -c 'import sys; d=bytearray(open(sys.argv[1],"rb").read())
d[100]^=0xff; open(sys.argv[1],"wb").write(d)' "$blob" # flipped, so it always changes
run "$VOUCH" sbom "oci-dir:$T/bad:t" -o "spdx-json=$T/bad.json"
expect_rc 1 "tampered layer rejected"
expect_one_line_err "tampered layer"
expect_absent "$T/bad.json" "no output after a tampered layer"
# a flipped byte in the gzip trailer: every entry parses, the digest still rejects it
rm -rf "$T/bad" && cp -r "$T/lay" "$T/bad"
/usr/bin/python3 -c 'import sys; d=bytearray(open(sys.argv[1],"rb").read()); d[-6]^=1
open(sys.argv[1],"wb").write(d)' "$blob"
run "$VOUCH" sbom "oci-dir:$T/bad:t" -o "spdx-json=$T/bad.json"
expect_rc 1 "layer with a tampered gzip trailer rejected"
expect_match "$ERR" "digest mismatch for blob $L1" "digest mismatch named"
expect_absent "$T/bad.json" "no output after a tampered gzip trailer"
run "$VOUCH" sbom "oci-dir:$T/lay:nope"
expect_rc 2 "missing tag"
expect_one_line_err "missing tag"
# --- zstd layers (decompressed on the second thread) and language packages by layer: a jar
# in layer 1, a cargo-auditable binary in layer 2; the same image with its layers recompressed
# as +zstd gives the same SBOM
z1=$T/z1 z2=$T/z2
mkdir -p "$z1/opt/app" "$z2/usr/local/bin"
cp "$SHARED/vectors/sbom-fixtures/lang/java/trivy-nested.jar" "$z1/opt/app/app.jar"
cp "$SHARED/vectors/sbom-fixtures/lang/rust/trivy-cargo-auditable-test.elf" "$z2/usr/local/bin/app"
tar -C "$z1" -cf "$T/z1.tar" . && tar -C "$z2" -cf "$T/z2.tar" .
umoci init --layout "$T/zl" && umoci new --image "$T/zl:t" &&
    umoci raw add-layer --image "$T/zl:t" "$T/z1.tar" && umoci raw add-layer --image "$T/zl:t" "$T/z2.tar"
cp -a "$T/zl" "$T/zz"
/usr/bin/python3 - "$T/zz" <<'PY'
import gzip, hashlib, json, os, subprocess, sys
lay = sys.argv[1]
blob = lambda d: os.path.join(lay, "blobs", "sha256", d.split(":")[1])
def put(data):
    d = "sha256:" + hashlib.sha256(data).hexdigest()
    open(blob(d), "wb").write(data)
    return d
idx = json.load(open(lay + "/index.json"))
man = json.load(open(blob(idx["manifests"][0]["digest"])))
for l in man["layers"]:
    z = subprocess.run(["zstd", "-q", "-c"], input=gzip.decompress(open(blob(l["digest"]), "rb").read()),
                       capture_output=True, check=True).stdout
    l["digest"], l["size"] = put(z), len(z)
    l["mediaType"] = "application/vnd.oci.image.layer.v1.tar+zstd"
m = json.dumps(man).encode()
idx["manifests"][0]["digest"], idx["manifests"][0]["size"] = put(m), len(m)
json.dump(idx, open(lay + "/index.json", "w"))
PY
zdig=$(jq -r '.manifests[0].digest' "$T/zz/index.json")
ZL1=$(jq -r '.layers[0].digest' "$T/zz/blobs/sha256/${zdig#sha256:}")
ZL2=$(jq -r '.layers[1].digest' "$T/zz/blobs/sha256/${zdig#sha256:}")
expect_eq "$(jq -r '.layers[].mediaType' "$T/zz/blobs/sha256/${zdig#sha256:}" | sort -u)" \
    "application/vnd.oci.image.layer.v1.tar+zstd" "layers recompressed as zstd"
run "$VOUCH" sbom "oci-dir:$T/zz" -o "cyclonedx-json=$T/zz.json"
expect_rc 0 "oci-dir with zstd layers"
expect_eq "$(pkgs "$T/zz.json")" \
    "nested@$ZL1 nested2@$ZL1 nested3@$ZL1 crate_with_features@$ZL2 library_crate@$ZL2" \
    "language packages attributed to their layers (zstd)"
run "$VOUCH" sbom "oci-dir:$T/zl" -o "cyclonedx-json=$T/zl.json"
expect_eq "$(jq -c '[.components[] | select(.type=="library") | .purl]' "$T/zl.json")" \
    "$(jq -c '[.components[] | select(.type=="library") | .purl]' "$T/zz.json")" "gzip and zstd layers: same packages"
truncate -s -7 "$T/zz/blobs/sha256/${ZL2#sha256:}"
run "$VOUCH" sbom "oci-dir:$T/zz" -o "cyclonedx-json=$T/zbad.json"
expect_rc 1 "truncated zstd layer: digest mismatch"
expect_one_line_err "truncated zstd layer"
expect_absent "$T/zbad.json" "no output after a truncated zstd layer"
finish
