#!/usr/bin/env bash
# vouch sbom validate: the official schemas (CycloneDX 1.4-1.6, SPDX 2.2/2.3) on upstream's
# own valid-*/invalid-* examples, vouch's and cdxgen's real output, and broken copies for
# each semantic check; one `FILE: POINTER: reason` line per problem, exit 1 / 2.
. "$VOUCH_SRC/tests/support/lib.sh"
EX=$VOUCH_SHARED/sbom-schemas/examples
PEER=$VOUCH_SHARED/peers/sbom

# upstream's verdicts: every valid-* example validates, every invalid-* one does not
n=0
for f in "$EX"/cyclonedx-1.5/*.json "$EX"/cyclonedx-1.6/*.json "$EX"/spdx-2.3/*.json; do
    run "$VOUCH" sbom validate "$f"
    case $(basename "$f") in
        invalid-*) want=1 ;;
        *) want=0 ;;
    esac
    [ "$RC" = "$want" ] || bad "$(basename "$f"): exit $RC, want $want: $OUT"
    n=$((n + 1))
done
expect_eq "$n" "36" "all 36 upstream examples checked"
ok "upstream examples: valid accepted, invalid refused"

run "$VOUCH" sbom validate "$EX/cyclonedx-1.6/invalid-metadata-timestamp-1.6.json" "$EX/cyclonedx-1.6/invalid-hash-alg-1.6.json"
expect_rc 1 "two invalid files"
expect_eq "$OUT" "$EX/cyclonedx-1.6/invalid-metadata-timestamp-1.6.json: /metadata/timestamp: '2020-04-13' is not a valid date-time
$EX/cyclonedx-1.6/invalid-hash-alg-1.6.json: /components/0/hashes/0/alg: 'FOO' is not one of the allowed values" "exact problem lines"
run "$VOUCH" sbom validate "$EX/cyclonedx-1.6/valid-signatures-1.6.json"
expect_eq "$OUT" "$EX/cyclonedx-1.6/valid-signatures-1.6.json: valid cyclonedx 1.6" "JSF algorithm ids: format uri asserted, oneOf holds"

# vouch's own output, both formats
cp -r "$VECTORS/sbom/dpkg-distroless/static-debian11" "$T/src"
"$VOUCH" sbom "dir:$T/src" -q -o "spdx-json=$T/own.spdx.json" -o "cyclonedx-json=$T/own.cdx.json"
run "$VOUCH" sbom validate "$T/own.spdx.json" "$T/own.cdx.json"
expect_rc 0 "vouch's own SBOMs validate"
expect_eq "$OUT" "$T/own.spdx.json: valid spdx 2.3
$T/own.cdx.json: valid cyclonedx 1.6" "own output verdicts"

# cdxgen's real output: the npm project is valid; the rootfs one has 25 invalid license
# expressions (exceptions not on the SPDX list, '+' after an exception)
run "$VOUCH" sbom validate "$PEER/cdxgen-js-npm-project.cdx.json"
expect_rc 0 "cdxgen npm SBOM valid"
zcat "$PEER/cdxgen-rootfs-bookworm-minbase.cdx.json.gz" >"$T/rootfs.cdx.json"
run "$VOUCH" sbom validate "$T/rootfs.cdx.json"
expect_rc 1 "cdxgen rootfs SBOM has problems"
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" "25" "25 problems"
expect_eq "$(printf '%s\n' "$OUT" | head -1)" "$T/rootfs.cdx.json: /components/4/licenses/0/expression: 'GPL-3.0-or-later WITH Bison-exception' is not a valid SPDX license expression" "first problem"

# broken copies, one per semantic check
jq '.relationships += [{"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-gone"}]' "$T/own.spdx.json" >"$T/dangling.json"
run "$VOUCH" sbom validate "$T/dangling.json"
expect_rc 1 "dangling relationship"
last=$(($(jq '.relationships | length' "$T/dangling.json") - 1))
expect_eq "$OUT" "$T/dangling.json: /relationships/$last/relatedSpdxElement: 'SPDXRef-gone' is not an element of the document" "dangling message"
jq '.packages += [.packages[0]]' "$T/own.spdx.json" >"$T/dupid.json"
run "$VOUCH" sbom validate "$T/dupid.json"
expect_match "$OUT" "^$T/dupid.json: \(document\): SPDXID '[^']+' is used more than once$" "duplicate SPDXID"
jq '.packages[0].licenseDeclared = "MIT AND (Apache-2.0" | .packages[0].externalRefs = [{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:deb"}]' "$T/own.spdx.json" >"$T/badlic.json"
run "$VOUCH" sbom validate "$T/badlic.json"
expect_match "$OUT" "/packages/0/licenseDeclared: 'MIT AND \(Apache-2.0' is not a valid SPDX license expression" "bad SPDX expression"
expect_match "$OUT" "/packages/0/externalRefs/0/referenceLocator: malformed purl 'pkg:deb'" "bad purl in SPDX"
cat >"$T/cdx.json" <<'J'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
 "components":[{"type":"library","name":"a","bom-ref":"a","purl":"pkg:npm/a@1"},
   {"type":"library","name":"b","bom-ref":"a","purl":"not a purl",
    "licenses":[{"expression":"MIT OR GPL-2.0-only WITH Classpath-exception-2.0"}],
    "components":[{"type":"library","name":"c","bom-ref":"c","licenses":[{"expression":"mit and"}]}]}],
 "dependencies":[{"ref":"a","dependsOn":["c","zz"]}]}
J
run "$VOUCH" sbom validate "$T/cdx.json"
expect_rc 1 "CycloneDX semantic problems"
expect_eq "$OUT" "$T/cdx.json: /components/1/purl: malformed purl 'not a purl': $( "$VOUCH" sbom validate "$T/cdx.json" | sed -n '1s/.*not a purl.: //p')
$T/cdx.json: /components/1/components/0/licenses/0/expression: 'mit and' is not a valid SPDX license expression
$T/cdx.json: (document): bom-ref 'a' is used more than once
$T/cdx.json: /dependencies/0/dependsOn/1: 'zz' is not the bom-ref of a component or service" "each CycloneDX check, in order"

# versions: 1.4 and SPDX 2.2 have their own schemas
jq '.specVersion = "1.4"' "$EX/cyclonedx-1.5/valid-minimal-viable-1.5.json" >"$T/v14.json"
run "$VOUCH" sbom validate "$T/v14.json"
expect_eq "$OUT" "$T/v14.json: valid cyclonedx 1.4" "CycloneDX 1.4"
jq '.specVersion = "1.4"' "$EX/cyclonedx-1.5/valid-evidence-1.5.json" >"$T/v14e.json"
run "$VOUCH" sbom validate "$T/v14e.json"
expect_rc 1 "a 1.5-only field is refused by the 1.4 schema"
jq '.spdxVersion = "SPDX-2.2"' "$T/own.spdx.json" >"$T/v22.json"
run "$VOUCH" sbom validate "$T/v22.json"
expect_rc 1 "SPDX 2.3 fields are refused by the 2.2 schema"
expect_match "$OUT" "is not an allowed property" "2.2 reason"

# not SBOMs: exit 2, one line naming the file
printf '{"spdxVersion":"SPDX-2.1"}' >"$T/old.json"
run "$VOUCH" sbom validate "$T/old.json"
expect_rc 2 "SPDX 2.1 unsupported"
expect_eq "$ERR" "vouch: '$T/old.json': SPDX version SPDX-2.1 is not supported (SPDX 2.2/2.3, CycloneDX 1.4-1.6)" "unsupported message"
printf '{"a":1}' >"$T/other.json"
run "$VOUCH" sbom validate "$T/other.json"
expect_rc 2 "not an SBOM"
printf '{"bomFormat":' >"$T/trunc.json"
run "$VOUCH" sbom validate "$T/trunc.json"
expect_rc 2 "truncated JSON"
expect_one_line_err "truncated JSON"
run "$VOUCH" sbom validate "$T/missing.json"
expect_rc 2 "missing file"
run "$VOUCH" sbom validate
expect_rc 2 "no file"
VOUCH_SCHEMA_DIR=$T/none run "$VOUCH" sbom validate "$T/own.cdx.json"
expect_rc 2 "no schemas installed"
expect_eq "$ERR" "vouch: '$T/own.cdx.json': cannot open schema directory '$T/none'" "schema dir message"
finish
