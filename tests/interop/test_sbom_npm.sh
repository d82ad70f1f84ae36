#!/usr/bin/env bash
# npm catalogers against npm itself: the tree tests/interop/npm-tree installed by
# scripts/setup.sh with `npm ci` from the lock kept there. vouch's name@version set must
# equal `npm ls --all --json` read from node_modules alone, from the lockfile alone, and
# from both; dependency edges must follow Node's resolution (nested ms@2.0.0 for debug).
. "$VOUCH_SRC/tests/support/lib.sh"
TREE=$VOUCH_SRC/tests/interop/npm-tree
export SOURCE_DATE_EPOCH=1700000000

names() { jq -r '.components[] | select(.purl | startswith("pkg:npm/")) | "\(.name)@\(.version)"' "$1" | sort; }

# ground truth: npm's own view of the installed tree
run bash -c "cd '$TREE' && npm ls --all --json"
expect_rc 0 "npm ls --all --json"
want=$(echo "$OUT" | jq -r '[.. | objects | select(has("dependencies")) | .dependencies | to_entries[] | "\(.key)@\(.value.version)"] | unique[]' | sort)
expect_eq "$(echo "$want" | wc -l)" 14 "npm ls lists 14 packages (nested ms@2.0.0 and ms@2.1.3)"

mkdir -p "$T/installed/srv/app" "$T/lock"
cp -a "$TREE/node_modules" "$T/installed/srv/app/"
rm -f "$T/installed/srv/app/node_modules/.package-lock.json" "$T/installed/srv/app/node_modules/.vouch-stamp"
cp "$TREE/package-lock.json" "$T/lock/"

run "$VOUCH" sbom "dir:$T/installed" -q -o "cyclonedx-json=$T/installed.cdx.json" -o "spdx-json=$T/installed.spdx.json"
expect_rc 0 "sbom of node_modules without a lockfile"
expect_eq "$(names "$T/installed.cdx.json")" "$want" "node_modules set equals npm ls"
run "$VOUCH" sbom "dir:$T/lock" -q -o "cyclonedx-json=$T/lock.cdx.json"
expect_rc 0 "sbom of package-lock.json alone"
expect_eq "$(names "$T/lock.cdx.json")" "$want" "package-lock.json (v3) set equals npm ls"
run "$VOUCH" sbom "dir:$TREE" -q -o "cyclonedx-json=$T/both.cdx.json"
expect_rc 0 "sbom of the project (lockfile and node_modules)"
expect_eq "$(names "$T/both.cdx.json")" "$want" "both: one component per name@version"

# purls, licenses, locations and Node-resolved edges
c=$T/installed.cdx.json
expect_eq "$(jq -r '.components[] | select(.name=="@isaacs/string-locale-compare") | .purl' "$c")" \
    "pkg:npm/%40isaacs/string-locale-compare@1.1.0" "scoped purl"
expect_eq "$(jq -r '.components[] | select(.name=="chalk") | .licenses[0].license.id' "$c")" "MIT" "license from package.json"
expect_eq "$(jq -r '.components[] | select(.purl=="pkg:npm/ms@2.0.0") | .evidence.occurrences[0].location' "$c")" \
    "srv/app/node_modules/debug/node_modules/ms/package.json" "nested copy found in its package.json"
expect_eq "$(jq -r '.dependencies[] | select(.ref=="pkg:npm/debug@2.6.9") | .dependsOn | join(",")' "$c")" \
    "pkg:npm/ms@2.0.0" "debug depends on its nested ms@2.0.0"
expect_eq "$(jq -r '.dependencies[] | select(.ref=="pkg:npm/chalk@4.1.2") | .dependsOn | join(",")' "$c")" \
    "pkg:npm/ansi-styles@4.3.0,pkg:npm/supports-color@7.2.0" "chalk's edges"
expect_eq "$(jq -r '.dependencies[] | select(.ref=="pkg:npm/debug@2.6.9") | .dependsOn | join(",")' "$T/lock.cdx.json")" \
    "pkg:npm/ms@2.0.0" "lockfile edges resolve like the installed tree"
expect_eq "$(jq -r '[.relationships[] | select(.relationshipType=="DEPENDS_ON")] | length' "$T/installed.spdx.json")" \
    "$(jq '[.dependencies[] | select(.ref | startswith("pkg:")) | .dependsOn | length] | add' "$c")" "SPDX DEPENDS_ON edges as many as CycloneDX's"

# a v1 lockfile of the same tree (npm 6 shape: nested "dependencies", "requires" edges)
jq '{name, version, lockfileVersion: 1, requires: true, dependencies: (.packages | to_entries
    | map(select(.key != "" and (.key | test("node_modules/.*node_modules") | not)))
    | map({key: (.key | sub("^node_modules/"; "")), value: ({version: .value.version,
        requires: (.value.dependencies // null)} | with_entries(select(.value != null)))})
    | from_entries)}' "$TREE/package-lock.json" >"$T/v1.json"
mkdir -p "$T/v1"
jq '.dependencies.debug.dependencies = {ms: {version: "2.0.0"}}' "$T/v1.json" >"$T/v1/package-lock.json"
run "$VOUCH" sbom "dir:$T/v1" -q -o "cyclonedx-json=$T/v1.cdx.json"
expect_rc 0 "sbom of a v1 lockfile"
expect_eq "$(names "$T/v1.cdx.json")" "$want" "v1 lockfile set equals npm ls"
expect_eq "$(jq -r '.dependencies[] | select(.ref=="pkg:npm/debug@2.6.9") | .dependsOn | join(",")' "$T/v1.cdx.json")" \
    "pkg:npm/ms@2.0.0" "v1 edges: nested dependencies win"

# malformed inputs: a warning naming the file, the rest still catalogued, exit 0
mkdir -p "$T/bad/node_modules/broken" "$T/bad/node_modules/ok"
printf '{"name": "broken", "version": ' >"$T/bad/node_modules/broken/package.json"
printf '{"name": "ok", "version": "1.0.0"}' >"$T/bad/node_modules/ok/package.json"
printf '[1, 2' >"$T/bad/package-lock.json"
run "$VOUCH" sbom "dir:$T/bad" -o "cyclonedx-json=$T/bad.cdx.json"
expect_rc 0 "malformed package.json and lockfile: exit 0"
expect_match "$ERR" "node_modules/broken/package.json" "warning names the broken package.json"
expect_match "$ERR" "'package-lock.json': not a lockfile" "warning names the broken lockfile"
expect_eq "$(names "$T/bad.cdx.json")" "ok@1.0.0" "the good package is still listed"

# hostile: a lockfile nested 10000 deep and one with 200000 entries stay bounded
mkdir -p "$T/deep" "$T/huge"
python3 -c "
n = 10000
print('{\"lockfileVersion\":1,\"dependencies\":' + ''.join('{\"p%d\":{\"version\":\"1.0.0\",\"dependencies\":' % i for i in range(n)) + '{}' + '}}' * n + '}')
" >"$T/deep/package-lock.json"
python3 -c "
import json
pk = {'': {'name': 'huge'}}
for i in range(200000):
    pk['node_modules/p%d' % i] = {'version': '1.0.%d' % (i % 7), 'dependencies': {'p%d' % ((i + 1) % 200000): '*'}}
json.dump({'lockfileVersion': 3, 'packages': pk}, open('$T/huge/package-lock.json', 'w'))
"
run "$VOUCH" sbom "dir:$T/deep" -o "cyclonedx-json=$T/deep.cdx.json"
expect_rc 0 "lockfile nested 10000 deep: exit 0"
expect_match "$ERR" "'package-lock.json'" "a warning names the too-deep lockfile"
run "$VOUCH" sbom "dir:$T/huge" -q -o "table=$T/huge.txt"
expect_rc 0 "200000-entry lockfile: exit 0"
expect_eq "$(grep -c ' npm$' "$T/huge.txt")" 200000 "every entry of the huge lockfile listed"
finish
