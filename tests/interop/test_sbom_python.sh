#!/usr/bin/env bash
# Python cataloger against Python itself: the packages apt installed into this machine's
# /usr/lib/python3/dist-packages (Debian's python3-* from scripts/setup.sh: dist-info and
# egg-info) must equal importlib.metadata's distributions over that path (Debian's
# /usr/bin/python3), the same in an image-like tree under usr/lib/python3/dist-packages;
# files come from RECORD; the syft/trivy fixtures (testvectors/sbom/lang/python) give
# their recorded names and versions; malformed metadata is a warning, exit 0.
. "$VOUCH_SRC/tests/support/lib.sh"
PY=/usr/bin/python3
DIST=/usr/lib/python3/dist-packages
export SOURCE_DATE_EPOCH=1700000000

pypi() { jq -r '.components[] | select((.purl // "") | startswith("pkg:pypi/")) | "\(.name)@\(.version)"' "$1" | sort; }

run "$PY" -c "
import importlib.metadata as m
for d in m.distributions(path=['$DIST']):
    print(d.metadata['Name'] + '@' + d.version)"
expect_rc 0 "importlib.metadata over $DIST"
want=$(echo "$OUT" | sort -u)
n=$(echo "$want" | wc -l)
[ "$n" -ge 5 ] && ok "importlib lists $n distributions" || bad "importlib lists only $n distributions"

run "$VOUCH" sbom "dir:$DIST" -q -o "cyclonedx-json=$T/dist.cdx.json" -o "spdx-json=$T/dist.spdx.json"
expect_rc 0 "sbom dir:$DIST"
expect_eq "$(pypi "$T/dist.cdx.json")" "$want" "name@version set equals importlib.metadata"

# the same tree where an image has it: paths under usr/lib/python3/dist-packages
mkdir -p "$T/root/usr/lib/python3"
cp -a "$DIST" "$T/root/usr/lib/python3/" 2>/dev/null
run "$VOUCH" sbom "dir:$T/root" -q -o "cyclonedx-json=$T/root.cdx.json"
expect_rc 0 "sbom of a root with dist-packages"
expect_eq "$(pypi "$T/root.cdx.json")" "$want" "rootfs set equals importlib.metadata"

# owned files: a dist-info package CONTAINS exactly the RECORD paths that exist
rec=$(ls -d "$DIST"/*.dist-info | head -1)
name=$(sed -n 's/^Name: //p' "$rec/METADATA" | head -1 | tr -d '\r')
want_files=$(cd "$DIST" && cut -d, -f1 "$rec/RECORD" | while read -r f; do
    p=$(realpath -m --relative-to=. "$f"); [ -f "$p" ] && [ ! -L "$p" ] && echo "$p"; done | sort -u | wc -l)
got_files=$(jq --arg n "$name" '[.packages[] | select(.name==$n and (.externalRefs[0].referenceLocator | startswith("pkg:pypi/"))) | .SPDXID] as $ids
    | [.relationships[] | select(.relationshipType=="CONTAINS" and (.spdxElementId as $e | $ids | index($e)))] | length' "$T/dist.spdx.json")
[ "$want_files" -gt 0 ] && ok "$name's RECORD lists $want_files files" || bad "$name's RECORD lists no files"
expect_eq "$got_files" "$want_files" "$name CONTAINS its RECORD files"
expect_eq "$(jq -r --arg n "$name" '.components[] | select(.name==$n and (.purl | startswith("pkg:pypi/"))) | .evidence.occurrences[0].location' "$T/dist.cdx.json")" \
    "$(basename "$rec")/METADATA" "found in its METADATA"

# the fixtures' recorded names and versions, PEP 503 purls, licenses
F=$VECTORS/sbom/lang/python
mkdir -p "$T/fx/a.dist-info" "$T/fx/b.egg-info" "$T/fx/c.dist-info" "$T/fx/sp"
cp "$F/syft-dist-info-METADATA" "$T/fx/a.dist-info/METADATA"
cp "$F/syft-egg-info-PKG-INFO" "$T/fx/b.egg-info/PKG-INFO"
cp "$F/trivy-networkx-3.0.METADATA" "$T/fx/c.dist-info/METADATA"
cp "$F/trivy-distlib-0.3.1-py3.9.egg-info" "$T/fx/distlib-0.3.1-py3.9.egg-info"
cp -r "$F/site-packages/." "$T/fx/sp/"
run "$VOUCH" sbom "dir:$T/fx" -q -o "cyclonedx-json=$T/fx.cdx.json"
expect_rc 0 "sbom of the syft/trivy fixtures"
expect_eq "$(pypi "$T/fx.cdx.json" | tr '\n' ' ')" \
    "Flask@2.0.0 Pygments@2.6.1 click@8.0.0 distlib@0.3.1 networkx@3.0 requests@2.22.0 " "fixture names and versions"
expect_eq "$(jq -r '.components[] | select(.name=="Flask") | .purl' "$T/fx.cdx.json")" "pkg:pypi/flask@2.0.0" "PEP 503 purl"
expect_eq "$(jq -r '.components[] | select(.name=="Flask") | .licenses[0].license.id' "$T/fx.cdx.json")" "BSD-3-Clause" "License field"
expect_eq "$(jq -r '.dependencies[] | select(.ref=="pkg:pypi/flask@2.0.0") | .dependsOn | join(",")' "$T/fx.cdx.json")" \
    "pkg:pypi/click@8.0.0" "Requires-Dist edge to the installed click"

# malformed: a warning naming the file, the rest still listed, exit 0
mkdir -p "$T/bad/x.dist-info" "$T/bad/y.dist-info"
printf 'Metadata-Version: 2.1\n\nName: late\n' >"$T/bad/x.dist-info/METADATA"
printf 'Name: ok\nVersion: 1\n' >"$T/bad/y.dist-info/METADATA"
head -c 3000000 /dev/urandom >"$T/bad/y.dist-info/RECORD"
run "$VOUCH" sbom "dir:$T/bad" -o "cyclonedx-json=$T/bad.cdx.json"
expect_rc 0 "malformed METADATA: exit 0"
expect_match "$ERR" "x.dist-info/METADATA': no Name or Version" "warning names the file"
expect_eq "$(pypi "$T/bad.cdx.json")" "ok@1" "the good package is still listed"
finish
