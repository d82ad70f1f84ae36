#!/usr/bin/env bash
# vouch's own container image, built without a container daemon (umoci), and released
# with vouch itself. docs/image.md explains each step.
#
#   scripts/image.sh build LAYOUT[:TAG]
#       an OCI layout holding a minimal image of the vouch binary: the binary and its
#       trust data, exactly the shared libraries ldd names (with the dynamic loader), their
#       Debian package records (var/lib/dpkg/status.d, copyright files) for the SBOM, CA
#       certificates, /etc/passwd with nonroot (uid 65532); no shell. Prints the manifest
#       digest. Reproducible: every time in it is SOURCE_DATE_EPOCH (default: the last
#       commit's time), so two builds of the same binary give the same digest.
#   scripts/image.sh release LAYOUT[:TAG] REPO[:TAG]
#       copies the built image to the registry (vouch copy), signs it (vouch sign), attaches
#       its SBOM (vouch sbom --attest) and SLSA provenance (vouch provenance, vouch attest),
#       then checks it with vouch verify and vouch verify-attestation. Prints REPO@DIGEST.
#   scripts/image.sh pin REPO@DIGEST [KUSTOMIZATION]
#       writes the image into deploy/base/kustomization.yaml (newName, digest).
#
# Environment: VOUCH (the binary; default build/release/cmd/vouch, built if missing),
# COSIGN_KEY (release: the private key, default cosign.key; its password from
# VOUCH_PASSWORD or COSIGN_PASSWORD), BUILDER_ID and BUILD_TYPE (release, outside a CI that
# vouch provenance detects), VOUCH_REGISTRY_FLAGS (release: extra registry flags, such as
# --ca-cert FILE).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "image.sh: $*" >&2; exit 2; }
CLEAN=""
trap '[ -z "$CLEAN" ] || rm -rf "$CLEAN"' EXIT

vouch_bin() {
    if [ -z "${VOUCH:-}" ]; then
        VOUCH=$top/build/release/cmd/vouch
        if [ ! -x "$VOUCH" ]; then
            cmake --preset release >/dev/null
            cmake --build --preset release -j"$(nproc)" --target vouch >/dev/null
        fi
    fi
    [ -x "$VOUCH" ] || die "no vouch binary at '$VOUCH'"
}

# The Debian packages owning the files named on stdin, as "PATH PACKAGE" lines: one
# dpkg-query for all (merged /usr: the path dpkg recorded may be either spelling).
owners() {
    local p r q
    declare -A owner=()
    mapfile -t libs
    local cands=()
    for p in "${libs[@]}"; do
        r=$(readlink -f "$p")
        cands+=("$p" "$r" "/usr$p" "${r#/usr}")
    done
    while IFS= read -r line; do
        case $line in *": /"*) owner[${line#*: }]=${line%%: *} ;; esac
    done < <(dpkg-query -S "${cands[@]}" 2>/dev/null)
    for p in "${libs[@]}"; do
        r=$(readlink -f "$p")
        for q in "$p" "$r" "/usr$p" "${r#/usr}"; do
            if [ -n "${owner[$q]:-}" ]; then
                echo "$p ${owner[$q]%%:*}"
                continue 2
            fi
        done
        echo "$p -"
    done
}

# stage ROOT: the image's files (ownership and times are set by mklayer)
stage() {
    local R=$1 bin prefix lib pkgs="" pkg name
    bin=$(readlink -f "$VOUCH")
    prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$(dirname "$(dirname "$bin")")/CMakeCache.txt" 2>/dev/null)
    prefix=${prefix:-/usr/local}
    install -D -m 0755 "$bin" "$R$prefix/bin/vouch"
    # the trust data the binary reads from its data directory (prefix/share/vouch)
    mkdir -p "$R$prefix/share/vouch/schemas"
    install -m 0644 "$top/data/trusted_root.json" "$top/data/tuf-root.json" "$R$prefix/share/vouch/"
    cp -r "$top/schemas/sbom" "$R$prefix/share/vouch/schemas/"
    # the shared libraries (ldd: "name => /path (addr)" and the loader "/path (addr)")
    ldd "$bin" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' |
        sort -u >"$R.libs"
    [ -s "$R.libs" ] || die "ldd names no library of '$bin'"
    while read -r lib pkg; do
        install -D -m 0755 "$(readlink -f "$lib")" "$R$lib"
        [ "$pkg" != - ] || die "no Debian package owns '$lib'"
        pkgs="$pkgs $pkg"
    done < <(owners <"$R.libs")
    # their package records (distroless layout), so an SBOM of the image names them
    mkdir -p "$R/var/lib/dpkg/status.d"
    for name in $(printf '%s\n' $pkgs ca-certificates | sort -u); do
        dpkg-query -s "$name" | grep -v '^Status:' >"$R/var/lib/dpkg/status.d/$name"
        if [ -f "/usr/share/doc/$name/copyright" ]; then
            install -D -m 0644 "/usr/share/doc/$name/copyright" "$R/usr/share/doc/$name/copyright"
        fi
    done
    install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$R/etc/ssl/certs/ca-certificates.crt"
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$R/etc/passwd"
    printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >"$R/etc/group"
    printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$R/etc/nsswitch.conf"
    mkdir -p "$R/home/nonroot" "$R/tmp" "$R/root"
    chmod 0644 "$R/etc/passwd" "$R/etc/group" "$R/etc/nsswitch.conf"
    chmod 0700 "$R/home/nonroot" "$R/root"
    chmod 1777 "$R/tmp"
}

# mklayer ROOT TAR: a tar of ROOT in name order, every entry owned by root but
# home/nonroot (65532), every time SOURCE_DATE_EPOCH, no user or group names
mklayer() {
    /usr/bin/python3 - "$1" "$2" "$SOURCE_DATE_EPOCH" <<'PY'
import os, sys, tarfile
root, out, epoch = sys.argv[1], sys.argv[2], int(sys.argv[3])
paths = []
for d, dirs, files in os.walk(root):
    for n in dirs + files:
        paths.append(os.path.relpath(os.path.join(d, n), root))
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
    for p in sorted(paths):
        ti = t.gettarinfo(os.path.join(root, p), arcname=p)
        ti.uid = ti.gid = 65532 if p == "home/nonroot" or p.startswith("home/nonroot/") else 0
        ti.uname = ti.gname = ""
        ti.mtime = epoch
        ti.mode &= 0o7777
        if ti.isreg():
            with open(os.path.join(root, p), "rb") as f:
                t.addfile(ti, f)
        else:
            t.addfile(ti)
PY
}

build() {
    local dest=$1 layout tag w created version
    layout=${dest%%:*}
    tag=${dest#"$layout"}; tag=${tag#:}
    vouch_bin
    version=$("$VOUCH" version | sed -n '1s/^vouch //p')
    tag=${tag:-$version}
    : "${SOURCE_DATE_EPOCH:=$(git -C "$top" log -1 --format=%ct 2>/dev/null || echo 0)}"
    export SOURCE_DATE_EPOCH
    created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
    w=$(mktemp -d "${TMPDIR:-/tmp}/vouch-image.XXXXXX")
    CLEAN=$w
    mkdir "$w/root"
    stage "$w/root"
    mklayer "$w/root" "$w/layer.tar"
    rm -rf "$layout"
    umoci init --layout "$layout"
    umoci new --image "$layout:$tag"
    umoci raw add-layer --image "$layout:$tag" --history.created "$created" \
        --history.created_by "scripts/image.sh build (vouch $version)" "$w/layer.tar"
    umoci config --image "$layout:$tag" --no-history --created "$created" \
        --architecture "$(dpkg --print-architecture)" --os linux \
        --config.user 65532:65532 --config.workingdir /home/nonroot \
        --config.env PATH=/usr/local/bin:/usr/bin:/bin \
        --config.entrypoint /usr/local/bin/vouch --config.cmd version \
        --config.label "org.opencontainers.image.title=vouch" \
        --config.label "org.opencontainers.image.version=$version" \
        --config.label "org.opencontainers.image.created=$created" \
        --manifest.annotation "org.opencontainers.image.created=$created"
    umoci gc --layout "$layout"
    # the digest of the manifest the tag names
    jq -r --arg t "$tag" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' \
        "$layout/index.json"
}

release() {
    local src=$1 dst=$2 layout tag key digest ref repo w reg=()
    layout=${src%%:*}
    tag=${src#"$layout"}; tag=${tag#:}
    [ -n "$tag" ] || die "release: name the layout's tag (LAYOUT:TAG)"
    [ -f "$layout/index.json" ] || die "release: '$layout' is not an OCI layout (run build first)"
    vouch_bin
    key=${COSIGN_KEY:-cosign.key}
    [ -f "$key" ] || die "release: no private key '$key' (COSIGN_KEY)"
    # shellcheck disable=SC2206
    reg=(${VOUCH_REGISTRY_FLAGS:-})
    # REPO[:TAG]: a ':' in the last path component is the tag (not a registry's port)
    [[ $dst != *@* ]] || die "release: name a repository or a tag, not a digest ('$dst')"
    repo=$dst
    if [[ ${dst##*/} == *:* ]]; then repo=${dst%:*}; else dst=$dst:$tag; fi
    w=$(mktemp -d "${TMPDIR:-/tmp}/vouch-release.XXXXXX")
    CLEAN=$w
    digest=$("$VOUCH" copy "${reg[@]}" "oci-dir:$layout:$tag" "$dst" | tail -1)
    [[ $digest == sha256:* ]] || die "release: vouch copy printed no digest ('$digest')"
    ref=$repo@$digest
    "$VOUCH" sign "${reg[@]}" --key "$key" "$ref" >&2
    "$VOUCH" sbom "${reg[@]}" "registry:$ref" --quiet -o "spdx-json=$w/sbom.spdx.json" \
        --attest --key "$key" >&2
    local prov=(--subject "$ref" -o "$w/provenance.json")
    [ -n "${BUILDER_ID:-}" ] && prov+=(--builder-id "$BUILDER_ID")
    [ -n "${BUILD_TYPE:-}" ] && prov+=(--build-type "$BUILD_TYPE")
    "$VOUCH" provenance "${reg[@]}" "${prov[@]}" >&2
    jq .predicate "$w/provenance.json" >"$w/predicate.json"
    "$VOUCH" attest "${reg[@]}" --key "$key" --type slsaprovenance1 --predicate "$w/predicate.json" "$ref" >&2
    "$VOUCH" public-key --key "$key" --outfile "$w/cosign.pub" >&2
    "$VOUCH" verify "${reg[@]}" --key "$w/cosign.pub" "$ref" >/dev/null
    "$VOUCH" verify-attestation "${reg[@]}" --key "$w/cosign.pub" --type slsaprovenance1 "$ref" >/dev/null
    echo "$ref"
}

pin() {
    local ref=$1 k=${2:-$top/deploy/base/kustomization.yaml}
    [[ $ref == *@sha256:* ]] || die "pin: expected REPO@sha256:DIGEST, got '$ref'"
    [ -f "$k" ] || die "pin: no '$k'"
    sed -i -e "s|^\(    newName:\).*|\1 ${ref%@*}|" -e "s|^\(    digest:\).*|\1 ${ref#*@}|" "$k"
}

case "${1:-}" in
build) [ $# -eq 2 ] || die "usage: image.sh build LAYOUT[:TAG]"; build "$2" ;;
release) [ $# -eq 3 ] || die "usage: image.sh release LAYOUT:TAG REPO[:TAG]"; release "$2" "$3" ;;
pin) [ $# -ge 2 ] || die "usage: image.sh pin REPO@DIGEST [KUSTOMIZATION]"; pin "$2" "${3:-}" ;;
*) die "usage: image.sh build|release|pin ..." ;;
esac
