#!/usr/bin/env bash
# Every vouch SBOM validates against the official schemas in schemas/ (python3-jsonschema,
# offline $refs, formats asserted); CycloneDX also with @cyclonedx/cyclonedx-library.
# Tampered twins must be rejected, so the validators are known to be able to fail.
. "$VOUCH_SRC/tests/support/lib.sh"
PY=/usr/bin/python3
SPDX_SCHEMA=$VOUCH_SRC/schemas/spdx-2.3/spdx-schema.json
CDX_SCHEMA=$VOUCH_SRC/schemas/cyclonedx-1.6/bom-1.6.schema.json
export NODE_PATH=$VOUCH_SRC/tests/interop/npm/node_modules
export SOURCE_DATE_EPOCH=1700000000

# roots: distroless dpkg, Alpine apk (license expressions), CBL-Mariner rpm, a hand-made tree,
# the npm tree setup.sh installs and Debian's dist-packages (language packages with
# evidence and dependencies)
mkdir -p "$T/apk/lib/apk/db" "$T/rpm/var/lib/rpm" "$T/tree/var/lib/dpkg" "$T/tree/usr/share/doc/x"
cp "$VECTORS/sbom/apk/alpine-3.10-armv7-163pkgs.installed" "$T/apk/lib/apk/db/installed"
cp "$VECTORS/sbom/rpm/sqlite-cbl-mariner-2.0/rpmdb.sqlite" "$T/rpm/var/lib/rpm/"
printf 'Package: x\nVersion: 1\nArchitecture: all\nMaintainer: Ünïcode <u@example.org>\n' >"$T/tree/var/lib/dpkg/status"
printf 'License: GPL-2+\n\nLicense: public-domain\n\nLicense: MIT or Apache-2.0\n' >"$T/tree/usr/share/doc/x/copyright"
printf '\377binary name\n' >"$T/tree/$(printf 'bad\377name')"
srcs="distroless=dir:$VECTORS/sbom/dpkg-distroless/static-debian11 apk=dir:$T/apk rpm=dir:$T/rpm tree=dir:$T/tree"
mkdir -p "$T/go/app" && cp "$VECTORS/sbom/lang/go/trivy-main-version-via-ldflags.elf" "$T/go/app/server"
cp -r "$VOUCH_SRC/tests/interop/go-mod" "$T/go/src"
srcs="$srcs npm=dir:$VOUCH_SRC/tests/interop/npm-tree python=dir:/usr/lib/python3/dist-packages go=dir:$T/go"
srcs="$srcs js-locks=dir:$VOUCH_SRC/tests/interop/js-locks" # yarn (classic, berry) and pnpm lockfiles
spdx=() cdx=()
for s in $srcs; do
    n=${s%%=*}
    run "$VOUCH" sbom "${s#*=}" -q -o "spdx-json=$T/$n.spdx.json" -o "cyclonedx-json=$T/$n.cdx.json"
    expect_rc 0 "sbom $n"
    spdx+=("$T/$n.spdx.json") cdx+=("$T/$n.cdx.json")
done

# vouch sbom convert of every output, of cdxgen's real SBOMs and of the SPDX example:
# the converted documents go through the same validators
zcat "$VOUCH_SHARED/peers/sbom/cdxgen-rootfs-bookworm-minbase.cdx.json.gz" >"$T/cdxgen-rootfs.cdx.json"
cp "$VOUCH_SHARED/peers/sbom/cdxgen-js-npm-project.cdx.json" "$T/cdxgen-npm.cdx.json"
cp "$VOUCH_SHARED/sbom-schemas/examples/spdx-2.3/SPDXJSONExample-v2.3.spdx.json" "$T/example.spdx.json"
conv_spdx=() conv_cdx=()
for f in "${cdx[@]}" "$T/cdxgen-rootfs.cdx.json" "$T/cdxgen-npm.cdx.json"; do
    run "$VOUCH" sbom convert "$f" -q -o "spdx-json=${f%.cdx.json}.conv.spdx.json"
    expect_rc 0 "convert $(basename "$f") to SPDX"
    conv_spdx+=("${f%.cdx.json}.conv.spdx.json")
done
for f in "${spdx[@]}" "$T/example.spdx.json"; do
    run "$VOUCH" sbom convert "$f" -q -o "cyclonedx-json=${f%.spdx.json}.conv.cdx.json"
    expect_rc 0 "convert $(basename "$f") to CycloneDX"
    conv_cdx+=("${f%.spdx.json}.conv.cdx.json")
done
run "$PY" "$VOUCH_SRC/tests/interop/sbom_validate.py" "$SPDX_SCHEMA" "${conv_spdx[@]}"
expect_rc 0 "converted SPDX 2.3 (python3-jsonschema)"
[ "$RC" -eq 0 ] || echo "$OUT" | grep -v ' valid$' | head -10
run "$PY" "$VOUCH_SRC/tests/interop/sbom_validate.py" "$CDX_SCHEMA" "${conv_cdx[@]}"
expect_rc 0 "converted CycloneDX 1.6 (python3-jsonschema)"
[ "$RC" -eq 0 ] || echo "$OUT" | grep -v ' valid$' | head -10
run node "$VOUCH_SRC/tests/interop/cdx_validate.js" "${conv_cdx[@]}"
expect_rc 0 "converted CycloneDX 1.6 (@cyclonedx/cyclonedx-library)"
[ "$RC" -eq 0 ] || echo "$OUT" | head -10

run "$PY" "$VOUCH_SRC/tests/interop/sbom_validate.py" "$SPDX_SCHEMA" "${spdx[@]}"
expect_rc 0 "SPDX 2.3 schema (python3-jsonschema)"
[ "$RC" -eq 0 ] || echo "$OUT" | grep -v ' valid$' | head -10
run "$PY" "$VOUCH_SRC/tests/interop/sbom_validate.py" "$CDX_SCHEMA" "${cdx[@]}"
expect_rc 0 "CycloneDX 1.6 schema (python3-jsonschema)"
[ "$RC" -eq 0 ] || echo "$OUT" | grep -v ' valid$' | head -10
run node "$VOUCH_SRC/tests/interop/cdx_validate.js" "${cdx[@]}"
expect_rc 0 "CycloneDX 1.6 (@cyclonedx/cyclonedx-library)"
[ "$RC" -eq 0 ] || echo "$OUT" | head -10
expect_eq "$(jq -r '.components[] | select(.name=="x") | .licenses | map(.license.id // .license.name) | join(",")' "$T/tree.cdx.json")" \
    "GPL-2.0-or-later,public-domain,MIT or Apache-2.0" "license id / name choice"

# tampered twins: each must be rejected
jq '.components[1].licenses = [{"license":{"id":"Not-A-License"}}]' "$T/apk.cdx.json" >"$T/bad-lic.cdx.json"
jq '.serialNumber = "urn:uuid:NOT-A-UUID"' "$T/apk.cdx.json" >"$T/bad-serial.cdx.json"
jq 'del(.spdxVersion)' "$T/apk.spdx.json" >"$T/bad.spdx.json"
jq '.relationships[0].relationshipType = "LIKES"' "$T/apk.spdx.json" >"$T/bad-rel.spdx.json"
jq '.metadata.timestamp = "yesterday"' "$T/apk.cdx.json" >"$T/bad-date.cdx.json"
for f in bad-lic.cdx.json bad-serial.cdx.json bad-date.cdx.json; do
    run "$PY" "$VOUCH_SRC/tests/interop/sbom_validate.py" "$CDX_SCHEMA" "$T/$f"
    expect_rc 1 "python rejects $f"
    run node "$VOUCH_SRC/tests/interop/cdx_validate.js" "$T/$f"
    expect_rc 1 "cyclonedx-library rejects $f"
done
for f in bad.spdx.json bad-rel.spdx.json; do
    run "$PY" "$VOUCH_SRC/tests/interop/sbom_validate.py" "$SPDX_SCHEMA" "$T/$f"
    expect_rc 1 "python rejects $f"
done
finish
