#!/usr/bin/env bash
# vouch sbom diff / query over SBOMs from any tool: packages keyed by purl without version,
# across formats (vouch's own SPDX and CycloneDX of one source are the same set), added /
# removed / changed (version, license, layer) as text and JSON; query filters checked
# against jq over the same document.
. "$VOUCH_SRC/tests/support/lib.sh"
PEER=$VOUCH_SHARED/peers/sbom
cp -r "$VECTORS/sbom/dpkg-distroless/static-debian11" "$T/src"
"$VOUCH" sbom "dir:$T/src" -q -o "spdx-json=$T/a.spdx.json" -o "cyclonedx-json=$T/a.cdx.json"

run "$VOUCH" sbom diff "$T/a.spdx.json" "$T/a.cdx.json"
expect_rc 0 "one source in both formats: no difference"
expect_eq "$OUT" "" "nothing printed"
expect_eq "$(jq '[.components[] | select(.type != "file" and .type != "operating-system")] | length' "$T/a.cdx.json")" "3" "fixture has 3 packages"

# B: one version bumped, one package removed, one added, one license changed
jq '(.components[] | select(.name == "base-files") | .version) = "11.1+deb11u9"
    | del(.components[] | select(.name == "netbase"))
    | .components += [{"type":"library","name":"left-pad","version":"1.3.0","purl":"pkg:npm/left-pad@1.3.0","bom-ref":"pkg:npm/left-pad@1.3.0"}]
    | (.components[] | select(.name == "tzdata") | .licenses) = [{"license":{"id":"MIT"}}]' "$T/a.cdx.json" >"$T/b.cdx.json"
before=$(jq -r '.components[] | select(.name == "base-files") | .version' "$T/a.cdx.json")
nbver=$(jq -r '.components[] | select(.name == "netbase") | .version' "$T/a.cdx.json")
run "$VOUCH" sbom diff "$T/a.spdx.json" "$T/b.cdx.json"
expect_rc 1 "differences: exit 1"
expect_eq "$OUT" "~ pkg:deb/debian/base-files version $before -> 11.1+deb11u9
- pkg:deb/debian/netbase $nbver
~ pkg:deb/debian/tzdata license (none) -> MIT
+ pkg:npm/left-pad 1.3.0" "exact text diff (sorted by key; NOASSERTION is no license)"
run "$VOUCH" sbom diff "$T/a.spdx.json" "$T/b.cdx.json" --output json
expect_rc 1 "json: exit 1"
expect_eq "$(jq -c '[.[] | [.change, .key]]' "$T/out")" '[["changed","pkg:deb/debian/base-files"],["removed","pkg:deb/debian/netbase"],["changed","pkg:deb/debian/tzdata"],["added","pkg:npm/left-pad"]]' "json rows"
expect_eq "$(jq -r '.[0].after.version' "$T/out")" "11.1+deb11u9" "json after.version"
run "$VOUCH" sbom diff "$T/b.cdx.json" "$T/a.spdx.json"
expect_match "$OUT" "^- pkg:npm/left-pad 1.3.0$" "reversed: added becomes removed"

# query against jq's answer over cdxgen's real npm SBOM
N=$PEER/cdxgen-js-npm-project.cdx.json
run "$VOUCH" sbom query "$N" --ecosystem npm --license 'MIT' --output json
expect_rc 0 "query json"
expect_eq "$(jq -c '[.[].name] | sort' "$T/out")" "$(jq -c '[.components[] | select((.purl // "") | startswith("pkg:npm/")) | select([.licenses[]?.license.id // .licenses[]?.expression] | join(" AND ") == "MIT") | .name] | sort' "$N")" "npm + MIT equals jq's selection"
run "$VOUCH" sbom query "$N" --name 'fast-*'
expect_eq "$(printf '%s\n' "$OUT" | sed 1d | awk '{print $1}' | sort | tr '\n' ' ')" "$(jq -r '[.components[] | select(.name | startswith("fast-")) | .name] | sort | join(" ")' "$N") " "name glob"
expect_eq "$(printf '%s\n' "$OUT" | head -1 | tr -s ' ')" "NAME VERSION ECOSYSTEM LICENSE PURL" "table header"
jq '(.packages[] | select(.name == "netbase") | .licenseDeclared) = "GPL-2.0-only"' "$T/a.spdx.json" >"$T/g.spdx.json"
run "$VOUCH" sbom query "$T/g.spdx.json" --license 'GPL-*' --ecosystem deb --output json
expect_rc 0 "query SPDX"
expect_eq "$(jq -c '[.[] | [.name, .license, .ecosystem]]' "$T/out")" '[["netbase","GPL-2.0-only","deb"]]' "SPDX license glob"

# errors
run "$VOUCH" sbom diff "$T/a.spdx.json"
expect_rc 2 "diff needs two files"
run "$VOUCH" sbom diff "$T/a.spdx.json" "$T/missing.json"
expect_rc 2 "missing file"
expect_one_line_err "missing file"
printf '{"hello":1}' >"$T/x.json"
run "$VOUCH" sbom query "$T/x.json"
expect_rc 2 "not an SBOM"
expect_eq "$ERR" "vouch: '$T/x.json': not an SPDX or CycloneDX JSON document" "not-an-SBOM message"
run "$VOUCH" sbom query "$T/a.spdx.json" --output yaml
expect_rc 2 "unknown output format"
finish
