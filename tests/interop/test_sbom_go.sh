#!/usr/bin/env bash
# Go cataloger against Go itself: tests/interop/go-mod/app (a vendored dependency with a
# release version and a local module replaced with `=>`) built offline by Debian's
# golang-go (scripts/setup.sh); vouch's modules must equal `go version -m`, with the
# toolchain as pkg:golang/stdlib; trivy's Go 1.22 ELF fixture; go.mod for dir: sources;
# a binary whose build info points past its end is a warning, exit 0.
. "$VOUCH_SRC/tests/support/lib.sh"
export SOURCE_DATE_EPOCH=1700000000
export GOCACHE=$T/gocache GOPATH=$T/gopath GOPROXY=off GOFLAGS=-mod=vendor GOTOOLCHAIN=local HOME=$T

golang() { jq -r '.components[] | select((.purl // "") | startswith("pkg:golang/")) | "\(.name)@\(.version // "")"' "$1" | sort; }
# `go version -m` as name@version: the main module, every dep (a "=>" line replaces the
# dep before it: a module path and version, or a local directory that keeps the path
# without a version) and stdlib@<toolchain>
truth() {
    go version -m "$1" | awk -F'\t' '
        NR == 1 { sub(/.*: go/, ""); print "stdlib@" $0 }
        $2 == "mod" { print $3 "@" ($4 == "(devel)" ? "" : $4) }
        $2 == "dep" { if (d != "") print d; d = $3 "@" $4 }
        $2 == "=>" { split(d, a, "@"); d = ($3 ~ /^[.\/]/) ? a[1] "@" : $3 "@" $4 }
        END { if (d != "") print d }' | sort
}

mkdir -p "$T/src" "$T/root/usr/local/bin"
cp -r "$VOUCH_SRC/tests/interop/go-mod/." "$T/src/"
run bash -c "cd '$T/src/app' && go build -trimpath -o '$T/root/usr/local/bin/app' ."
expect_rc 0 "go build (Debian golang-go, offline, vendored + replaced modules)"
want=$(truth "$T/root/usr/local/bin/app")
expect_eq "$(echo "$want" | tr '\n' ' ')" "example.com/app@ example.com/dep@v1.4.0 example.com/lib@ stdlib@$(go env GOVERSION | sed 's/^go//') " \
    "go version -m lists app, dep v1.4.0, the replaced lib and the toolchain"

run "$VOUCH" sbom "dir:$T/root" -q -o "cyclonedx-json=$T/bin.cdx.json" -o "spdx-json=$T/bin.spdx.json"
expect_rc 0 "sbom of a root with the Go binary"
expect_eq "$(golang "$T/bin.cdx.json")" "$want" "module set equals go version -m"
c=$T/bin.cdx.json
expect_eq "$(jq -r '.components[] | select(.name=="example.com/dep") | .purl' "$c")" "pkg:golang/example.com/dep@v1.4.0" "module purl"
expect_eq "$(jq -r '.components[] | select(.name=="stdlib") | .purl' "$c")" "pkg:golang/stdlib@$(go env GOVERSION | sed 's/^go//')" "toolchain purl"
expect_eq "$(jq -r '.components[] | select(.name=="example.com/dep") | .evidence.occurrences[0].location' "$c")" \
    "usr/local/bin/app" "found in the binary"
expect_eq "$(jq -r '.dependencies[] | select(.ref=="pkg:golang/example.com/app") | .dependsOn | join(",")' "$c")" \
    "pkg:golang/example.com/dep@v1.4.0,pkg:golang/example.com/lib,pkg:golang/stdlib@$(go env GOVERSION | sed 's/^go//')" \
    "main module depends on what was linked"

# trivy's fixture: Go 1.22.1, main module only
mkdir -p "$T/tv/app"
cp "$VECTORS/sbom/lang/go/trivy-main-version-via-ldflags.elf" "$T/tv/app/server"
run "$VOUCH" sbom "dir:$T/tv" -q -o "cyclonedx-json=$T/tv.cdx.json"
expect_rc 0 "sbom of trivy's Go ELF"
expect_eq "$(golang "$T/tv.cdx.json" | tr '\n' ' ')" "github.com/aquasecurity/test@ stdlib@1.22.1 " "trivy fixture: main module and stdlib (go version -m)"

# go.mod for dir: sources: requirements with the replace applied
run "$VOUCH" sbom "dir:$T/src" -q -o "cyclonedx-json=$T/mod.cdx.json"
expect_rc 0 "sbom of the module sources"
expect_eq "$(golang "$T/mod.cdx.json" | tr '\n' ' ')" "example.com/dep@v1.4.0 example.com/lib@ " "go.mod requirements (lib replaced by a directory)"

# hostile: build info whose length runs past the end of the file; a truncated binary
off=$(python3 -c "import sys; print(open(sys.argv[1], 'rb').read().find(b'\xff Go buildinf:'))" "$T/root/usr/local/bin/app")
[ "$off" -gt 0 ] && ok "build info blob at offset $off" || bad "no build info blob found"
mkdir -p "$T/bad/usr/local/bin"
cp "$T/root/usr/local/bin/app" "$T/bad/usr/local/bin/past-end"
printf '\xff\xff\xff\xff\x0f' | dd of="$T/bad/usr/local/bin/past-end" bs=1 seek=$((off + 32)) conv=notrunc 2>/dev/null
head -c $((off + 34)) "$T/root/usr/local/bin/app" >"$T/bad/usr/local/bin/truncated"
cp "$T/root/usr/local/bin/app" "$T/bad/usr/local/bin/good"
run "$VOUCH" sbom "dir:$T/bad" -o "cyclonedx-json=$T/bad.cdx.json"
expect_rc 0 "corrupt build info: exit 0"
expect_match "$ERR" "usr/local/bin/past-end': build info runs past the end" "warning names the binary pointing outside itself"
expect_match "$ERR" "usr/local/bin/truncated': build info runs past the end" "warning names the truncated binary"
expect_eq "$(golang "$T/bad.cdx.json")" "$want" "the good binary is still catalogued"
# --- module hashes: a module-mode build from a file:// proxy made here (offline) records
# each module's h1: sum; vouch carries it as SHA-256 (CycloneDX hashes, SPDX checksums)
# from the binary's build info and, for dir: sources, from go.sum beside go.mod
px=$T/proxy
mkmod() { # mkmod PATH VERSION DECLARED-PATH: a module zip, .mod, .info and list in the proxy
    /usr/bin/python3 - "$px" "$1" "$2" "$3" <<'PY'
import json, os, sys, zipfile
px, mod, ver, decl = sys.argv[1:]
d = os.path.join(px, mod, "@v")
os.makedirs(d, exist_ok=True)
gomod = "module %s\n\ngo 1.19\n" % decl
name = decl.rsplit("/", 1)[1]
open(os.path.join(d, ver + ".mod"), "w").write(gomod)
open(os.path.join(d, ver + ".info"), "w").write(json.dumps({"Version": ver, "Time": "2023-01-01T00:00:00Z"}))
open(os.path.join(d, "list"), "a").write(ver + "\n")
with zipfile.ZipFile(os.path.join(d, ver + ".zip"), "w") as z:
    z.writestr("%s@%s/go.mod" % (mod, ver), gomod)
    z.writestr("%s@%s/%s.go" % (mod, ver, name),
               "package %s\n\nfunc Name() string { return %s }\n" % (name, json.dumps(mod + "@" + ver)))
PY
}
mkmod example.com/alpha v1.0.0 example.com/alpha
mkmod example.com/beta v0.3.1 example.com/beta
mkmod example.com/fork v1.1.0 example.com/orig
mkdir -p "$T/sums/app" "$T/sroot/usr/local/bin"
printf 'module example.com/sums\n\ngo 1.19\n\nrequire (\n\texample.com/alpha v1.0.0\n\texample.com/beta v0.3.1\n\texample.com/orig v1.0.0\n)\n\nreplace example.com/orig v1.0.0 => example.com/fork v1.1.0\n' \
    >"$T/sums/app/go.mod"
printf 'package main\n\nimport (\n\t"example.com/alpha"\n\t"example.com/beta"\n\t"example.com/orig"\n)\n\nfunc main() { println(alpha.Name(), beta.Name(), orig.Name()) }\n' \
    >"$T/sums/app/main.go"
run env GOPROXY="file://$px" GOFLAGS=-mod=mod GOSUMDB=off GONOSUMDB='*' \
    bash -c "cd '$T/sums/app' && go mod tidy && go build -trimpath -o '$T/sroot/usr/local/bin/sums' ."
expect_rc 0 "go build in module mode from the local proxy"
# `go version -m`'s dep and => lines with a sum, as "module@version sha256-hex"
hashes=$(go version -m "$T/sroot/usr/local/bin/sums" | /usr/bin/python3 -c '
import base64, sys
cur = None
for line in sys.stdin:
    f = line.rstrip("\n").split("\t")
    if len(f) >= 4 and f[1] in ("dep", "=>"):
        if f[1] == "=>" and cur:
            cur = None
        if len(f) >= 5 and f[4].startswith("h1:"):
            cur = "%s@%s %s" % (f[2], f[3], base64.b64decode(f[4][3:]).hex())
            print(cur)
' | sort)
expect_eq "$(cut -d' ' -f1 <<<"$hashes" | tr '\n' ' ')" "example.com/alpha@v1.0.0 example.com/beta@v0.3.1 example.com/fork@v1.1.0 " \
    "go version -m: h1 sums of alpha, beta and the => replacement"
vh() { jq -r '.components[] | select((.purl // "") | startswith("pkg:golang/")) | select(.hashes) | "\(.name)@\(.version) \(.hashes[] | select(.alg=="SHA-256") | .content)"' "$1" | sort; }
run "$VOUCH" sbom "dir:$T/sroot" -q -o "cyclonedx-json=$T/sums.cdx.json" -o "spdx-json=$T/sums.spdx.json"
expect_rc 0 "sbom of the module-mode binary"
expect_eq "$(vh "$T/sums.cdx.json")" "$hashes" "CycloneDX SHA-256 hashes = go version -m h1 sums (replacement's own sum)"
expect_eq "$(jq -r '.packages[] | select(.name=="example.com/fork") | .checksums[] | "\(.algorithm) \(.checksumValue)"' "$T/sums.spdx.json")" \
    "SHA256 $(grep '^example.com/fork@' <<<"$hashes" | cut -d' ' -f2)" "SPDX checksums: SHA256 of the h1 sum"
expect_eq "$(jq '[.components[] | select(.name=="example.com/sums" or .name=="stdlib") | select(.hashes)] | length' "$T/sums.cdx.json")" \
    0 "main module and stdlib: no sum, no hash"
run "$VOUCH" sbom "dir:$T/sums" -q -o "cyclonedx-json=$T/sums-src.cdx.json"
expect_rc 0 "sbom of the module sources (go.mod + go.sum)"
expect_eq "$(vh "$T/sums-src.cdx.json")" "$hashes" "go.sum sums of the go.mod requirements (replace applied) = go version -m"
run /usr/bin/python3 "$VOUCH_SRC/tests/interop/sbom_validate.py" "$VOUCH_SRC/schemas/cyclonedx-1.6/bom-1.6.schema.json" "$T/sums.cdx.json"
expect_rc 0 "CycloneDX 1.6 schema with hashes"
run /usr/bin/python3 "$VOUCH_SRC/tests/interop/sbom_validate.py" "$VOUCH_SRC/schemas/spdx-2.3/spdx-schema.json" "$T/sums.spdx.json"
expect_rc 0 "SPDX 2.3 schema with checksums"
finish
