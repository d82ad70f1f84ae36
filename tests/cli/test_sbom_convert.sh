#!/usr/bin/env bash
# vouch sbom convert: SPDX <-> CycloneDX. Round trips of vouch's own SBOM (dpkg, pypi, npm,
# golang) keep the package set (sbom diff exit 0, exact counts) and the dependency edges;
# cdxgen's real output and upstream's examples convert to valid documents; a small input
# gives exact bytes and exact notes; hostile input fails on one line with no output.
. "$VOUCH_SRC/tests/support/lib.sh"
EX=$VOUCH_SHARED/sbom-schemas/examples
PEER=$VOUCH_SHARED/peers/sbom
DATA=$VOUCH_SRC/tests/cli/sbom-convert
EDGES=$VOUCH_SRC/tests/cli/sbom_edges.jq
export SOURCE_DATE_EPOCH=1700000000
VER=$("$VOUCH" --version | head -1 | cut -d' ' -f2)
pkgs_cdx() { jq '[.components[] | .. | objects | select(has("type") and .type != "file" and .type != "operating-system")] | length' "$1"; }

# vouch's own SBOM: distroless dpkg, Python dist-packages, an npm lockfile, a Go binary
cp -r "$VECTORS/sbom/dpkg-distroless/static-debian11" "$T/src"
mkdir -p "$T/src/usr/lib/python3/dist-packages" "$T/src/app" "$T/src/srv/web"
cp -r "$VECTORS/sbom/lang/python/site-packages/." "$T/src/usr/lib/python3/dist-packages/"
cp "$VECTORS/sbom/lang/go/trivy-main-version-via-ldflags.elf" "$T/src/app/server"
cp "$VOUCH_SRC/tests/interop/npm-tree/package.json" "$VOUCH_SRC/tests/interop/npm-tree/package-lock.json" "$T/src/srv/web/"
"$VOUCH" sbom "dir:$T/src" -q -o "spdx-json=$T/a.spdx.json" -o "cyclonedx-json=$T/a.cdx.json"
expect_eq "$("$VOUCH" sbom query "$T/a.cdx.json" --output json | jq -c 'group_by(.ecosystem) | map([.[0].ecosystem, length])')" \
    '[["deb",3],["golang",2],["npm",14],["pypi",2]]' "own SBOM: 21 packages of four ecosystems"

run "$VOUCH" sbom convert "$T/a.spdx.json" -o "cyclonedx-json=$T/b.cdx.json"
expect_rc 0 "SPDX -> CycloneDX"
expect_eq "$ERR" "vouch: not in cyclonedx-json: SPDX package field 'sourceInfo' (21)" "exact notes SPDX -> CycloneDX"
run "$VOUCH" sbom convert "$T/a.cdx.json" -o "spdx-json=$T/b.spdx.json"
expect_rc 0 "CycloneDX -> SPDX"
expect_eq "$ERR" "vouch: not in spdx-json: CycloneDX component field 'properties' (21)
vouch: not in spdx-json: CycloneDX component field 'evidence' (18)" "exact notes CycloneDX -> SPDX"
run "$VOUCH" sbom convert "$T/b.cdx.json" -o "spdx-json=$T/c.spdx.json" -q
expect_rc 0 "SPDX -> CycloneDX -> SPDX"
expect_eq "$ERR" "" "--quiet: no notes"
for pair in "a.spdx.json b.cdx.json" "a.cdx.json b.spdx.json" "a.spdx.json c.spdx.json" "a.cdx.json b.cdx.json"; do
    set -- $pair
    run "$VOUCH" sbom diff "$T/$1" "$T/$2"
    expect_rc 0 "same package set: $1 vs $2"
done
expect_eq "$(pkgs_cdx "$T/b.cdx.json")" "21" "21 packages in the converted CycloneDX"
expect_eq "$(jq '.packages | length' "$T/b.spdx.json") $(jq '.packages | length' "$T/c.spdx.json")" "23 22" "21 packages + the described root in SPDX (+ CycloneDX's operating-system component)"
expect_eq "$(jq -c '[.packages[] | select(.primaryPackagePurpose == "OPERATING_SYSTEM") | .name]' "$T/b.spdx.json")" '["debian"]' "the operating system is an OPERATING_SYSTEM package"
want=$(jq -r -f "$EDGES" "$T/a.spdx.json")
expect_eq "$(printf '%s\n' "$want" | wc -l)" "10" "10 dependency edges between packages"
for f in a.cdx.json b.cdx.json b.spdx.json c.spdx.json; do
    expect_eq "$(jq -r -f "$EDGES" "$T/$f")" "$want" "dependency edges kept in $f"
done
expect_eq "$(jq -c '[.files[].checksums[] | select(.algorithm == "SHA256") | .checksumValue] | sort | length' "$T/a.spdx.json")" \
    "$(jq -c '[.components[] | .. | objects | select(.type == "file") | .hashes[] | select(.alg == "SHA-256") | .content] | sort | length' "$T/b.cdx.json")" "every file kept"
expect_eq "$(jq -c '[.files[].checksums[] | .checksumValue] | sort' "$T/a.spdx.json")" \
    "$(jq -c '[.files[].checksums[] | .checksumValue] | sort' "$T/c.spdx.json")" "file checksums survive the round trip"
expect_eq "$(jq -c '[.packages[] | select(.name == "requests" or .name == "chalk") | [.name, .licenseDeclared]] | sort' "$T/c.spdx.json")" \
    "$(jq -c '[.packages[] | select(.name == "requests" or .name == "chalk") | [.name, .licenseDeclared]] | sort' "$T/a.spdx.json")" "licenses survive the round trip"
run "$VOUCH" sbom validate "$T/b.cdx.json" "$T/b.spdx.json" "$T/c.spdx.json"
expect_rc 0 "converted documents validate"

# stdout, and both formats in one run
run "$VOUCH" sbom convert "$T/a.cdx.json" -o spdx-json -o "cyclonedx-json=$T/d.cdx.json" -q
expect_rc 0 "-o FORMAT to stdout"
expect_eq "$(jq -r .spdxVersion "$T/out")" "SPDX-2.3" "stdout is SPDX 2.3"
expect_eq "$(jq -r .specVersion "$T/d.cdx.json")" "1.6" "a CycloneDX 1.6 input relabelled"
cmp -s "$T/out" "$T/b.spdx.json" && ok "same input, same bytes" || bad "conversion is not reproducible"

# a small input: exact bytes both ways, exact notes
run "$VOUCH" sbom convert "$DATA/small.spdx.json" -o "cyclonedx-json=$T/small.cdx.json"
expect_rc 0 "small SPDX -> CycloneDX"
expect_eq "$(cat "$T/small.cdx.json")" "$(sed "s/@VERSION@/$VER/" "$DATA/small.cdx.json")" "exact CycloneDX output"
expect_eq "$ERR" "vouch: not in cyclonedx-json: SPDX relationship GENERATED_FROM (1)
vouch: not in cyclonedx-json: SPDX checksum algorithm ADLER32 (1)
vouch: not in cyclonedx-json: SPDX concluded license beside a declared one, one of them compound (CycloneDX holds one expression) (1)
vouch: not in cyclonedx-json: SPDX package field 'annotations' (1)" "exact notes of the small input"
run "$VOUCH" sbom convert "$T/small.cdx.json" -o "spdx-json=$T/small.back.spdx.json"
expect_rc 0 "small CycloneDX -> SPDX"
expect_eq "$ERR" "" "nothing dropped coming back"
expect_eq "$(cat "$T/small.back.spdx.json")" "$(sed "s/@VERSION@/$VER/" "$DATA/small.back.spdx.json")" "exact SPDX output"
run "$VOUCH" sbom diff "$DATA/small.spdx.json" "$T/small.back.spdx.json"
expect_rc 0 "small round trip: same packages"

# cdxgen's real output
N=$PEER/cdxgen-js-npm-project.cdx.json
run "$VOUCH" sbom convert "$N" -o "spdx-json=$T/npm.spdx.json"
expect_rc 0 "cdxgen npm project -> SPDX"
expect_eq "$(jq '.packages | length' "$T/npm.spdx.json")" "$(($(pkgs_cdx "$N") + 1))" "every cdxgen component a package (+ the root)"
expect_eq "$(printf '%s\n' "$ERR" | grep -c "^vouch: not in spdx-json: ")" "9" "9 kinds of dropped content"
expect_match "$ERR" "CycloneDX component field 'scope' \(191\)" "scope dropped, counted"
run "$VOUCH" sbom diff "$N" "$T/npm.spdx.json"
expect_rc 0 "cdxgen npm: same package set"
expect_eq "$(jq -r -f "$EDGES" "$T/npm.spdx.json" | wc -l)" "$(jq -r -f "$EDGES" "$N" | wc -l)" "cdxgen npm: every dependency edge"
zcat "$PEER/cdxgen-rootfs-bookworm-minbase.cdx.json.gz" >"$T/rootfs.cdx.json"
run "$VOUCH" sbom convert "$T/rootfs.cdx.json" -o "spdx-json=$T/rootfs.spdx.json"
expect_rc 0 "cdxgen rootfs -> SPDX"
expect_eq "$(jq '.files | length' "$T/rootfs.spdx.json")" "$(jq '[.components[] | select(.type == "file" and (.hashes | length) > 0)] | length' "$T/rootfs.cdx.json")" "4851 file components became SPDX files"
expect_match "$ERR" "CycloneDX license that is not a valid SPDX expression \(kept as LicenseRef-\) \(24\)" "cdxgen's invalid expressions become LicenseRef-s"
expect_match "$ERR" "CycloneDX malformed purl \(1\)" "the malformed purl is dropped and said"
run "$VOUCH" sbom diff "$T/rootfs.cdx.json" "$T/rootfs.spdx.json"
expect_rc 1 "rootfs differs only where cdxgen's document is invalid"
expect_eq "$(printf '%s\n' "$OUT" | grep -vc ' license .* -> LicenseRef-')" "2" "two rows for the malformed purl"
expect_eq "$(printf '%s\n' "$OUT" | grep -c ' license .* -> LicenseRef-')" "23" "23 packages with LicenseRef-s"
run "$VOUCH" sbom convert "$T/rootfs.spdx.json" -o "cyclonedx-json=$T/rootfs.back.cdx.json" -q
expect_rc 0 "and back to CycloneDX"
run "$VOUCH" sbom diff "$T/rootfs.spdx.json" "$T/rootfs.back.cdx.json"
expect_rc 0 "SPDX -> CycloneDX keeps the package set"

# upstream's examples: every valid one converts (the result is checked against the schema)
n=0
for f in "$EX"/cyclonedx-1.5/valid-*.json "$EX"/cyclonedx-1.6/valid-*.json "$EX"/spdx-2.3/*.json; do
    case $f in *spdx*) to=cyclonedx-json ;; *) to=spdx-json ;; esac
    run "$VOUCH" sbom convert "$f" -o "$to=$T/ex-$n.json" -q
    [ "$RC" = 0 ] || bad "$(basename "$f"): exit $RC: $ERR"
    run "$VOUCH" sbom diff "$f" "$T/ex-$n.json"
    [ "$RC" = 0 ] || bad "$(basename "$f"): package set changed: $OUT"
    n=$((n + 1))
done
expect_eq "$n" "19" "19 upstream examples converted with the same package set"
run "$VOUCH" sbom convert "$EX/spdx-2.3/SPDXJSONExample-v2.3.spdx.json" -o "cyclonedx-json=$T/spdx-ex.cdx.json"
expect_match "$ERR" "^vouch: not in cyclonedx-json: SPDX relationship COPY_OF \(1\)" "SPDX example: relationships CycloneDX cannot hold"
expect_eq "$(printf '%s\n' "$ERR" | wc -l)" "35" "SPDX example: 35 kinds of dropped content, one line each"
expect_eq "$(jq '[.components[] | .. | objects | select(.type == "file")] | length' "$T/spdx-ex.cdx.json")" "$(jq '.files | length' "$EX/spdx-2.3/SPDXJSONExample-v2.3.spdx.json")" "SPDX example: every file"

# hostile and wrong input: one line, exit 2, no output file, an existing file untouched
echo keep >"$T/keep.json"
printf '{"spdxVersion": "SPDX-2.3", "packages": [' >"$T/cut.json"
run "$VOUCH" sbom convert "$T/cut.json" -o "cyclonedx-json=$T/keep.json"
expect_rc 2 "truncated JSON"
expect_one_line_err "truncated JSON"
expect_eq "$(cat "$T/keep.json")" "keep" "existing output untouched"
printf '{"hello":1}' >"$T/x.json"
run "$VOUCH" sbom convert "$T/x.json" -o "spdx-json=$T/x.out"
expect_rc 2 "not an SBOM"
expect_eq "$ERR" "vouch: '$T/x.json': not an SPDX or CycloneDX JSON document" "not-an-SBOM message"
expect_absent "$T/x.out" "no output for a non-SBOM"
printf '{"spdxVersion":"SPDX-3.0"}' >"$T/v3.json"
run "$VOUCH" sbom convert "$T/v3.json" -o cyclonedx-json
expect_rc 2 "SPDX 3"
expect_eq "$ERR" "vouch: '$T/v3.json': unsupported SBOM version (SPDX 2.2/2.3, CycloneDX 1.4-1.6)" "unsupported version message"
expect_eq "$OUT" "" "nothing on stdout"
python3 -c 'import json; c={"type":"library","name":"x"}
for i in range(80): c={"type":"library","name":"n%d"%i,"components":[c]}
print(json.dumps({"bomFormat":"CycloneDX","specVersion":"1.6","components":[c]}))' >"$T/deep.json"
run "$VOUCH" sbom convert "$T/deep.json" -o "spdx-json=$T/deep.out"
expect_rc 2 "components nested 80 deep"
expect_eq "$ERR" "vouch: '$T/deep.json': components nest deeper than 64 levels" "nesting cap message"
expect_absent "$T/deep.out" "no output for the nesting bomb"
jq '.packages[0].externalRefs[0].referenceLocator = "pkg:npm/%00<script>@1"' "$DATA/small.spdx.json" >"$T/evil.spdx.json"
run "$VOUCH" sbom convert "$T/evil.spdx.json" -o "cyclonedx-json=$T/evil.cdx.json"
expect_rc 0 "a malformed purl is dropped, not copied"
expect_match "$ERR" "SPDX malformed purl \(1\)" "malformed purl said"
run "$VOUCH" sbom validate "$T/evil.cdx.json"
expect_rc 0 "still a valid document"
# the result is checked against the schema before it is written: a stricter schema refuses it
cp -r "$VOUCH_SRC/schemas/sbom" "$T/schemas"
jq '.required += ["signature"]' "$VOUCH_SRC/schemas/sbom/bom-1.6.schema.json" >"$T/schemas/bom-1.6.schema.json"
VOUCH_SCHEMA_DIR=$T/schemas run "$VOUCH" sbom convert "$DATA/small.spdx.json" -o "cyclonedx-json=$T/keep.json" -q
expect_rc 1 "a result that does not validate"
expect_eq "$ERR" "vouch: '$DATA/small.spdx.json': the cyclonedx-json conversion would not validate: (document): required property 'signature' is missing" "validation failure message"
expect_eq "$(cat "$T/keep.json")" "keep" "nothing written when the result does not validate"
run "$VOUCH" sbom convert "$T/a.cdx.json" -o table
expect_rc 2 "table is not a conversion target"
run "$VOUCH" sbom convert "$T/a.cdx.json"
expect_rc 2 "-o is required"
run "$VOUCH" sbom convert "$T/a.cdx.json" -o spdx-json -o cyclonedx-json
expect_rc 2 "two outputs on stdout"
run "$VOUCH" sbom convert "$T/missing.json" -o spdx-json
expect_rc 2 "missing input"
expect_one_line_err "missing input"
finish
