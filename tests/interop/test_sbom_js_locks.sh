#!/usr/bin/env bash
# yarn and pnpm lockfiles against npm itself: tests/interop/js-locks holds the lockfiles
# that pinned yarn 1.22 (classic), yarn 2.4 and 4.18 (berry: __metadata 4 and 10) and
# pnpm 7, 8 and 10 (lockfileVersion 5.4, 6.0, 9.0) wrote for the project tests/interop/
# npm-tree (scripts/gen-js-locks.sh; each tool's own listing of its install equalled npm's
# there). vouch's name@version set from each lockfile alone must equal `npm ls --all
# --json` of the `npm ci` install, and its edges the ones npm ls shows (debug needs its
# nested ms@2.0.0, the project's own ms is 2.1.3).
. "$VOUCH_SRC/tests/support/lib.sh"
TREE=$VOUCH_SRC/tests/interop/npm-tree
LOCKS=$VOUCH_SRC/tests/interop/js-locks
export SOURCE_DATE_EPOCH=1700000000

names() { jq -r '.components[] | select(.purl // "" | startswith("pkg:npm/")) | "\(.name)@\(.version)"' "$1" | sort; }
edges() { jq -r '.dependencies[] | select(.ref | startswith("pkg:npm/")) | .ref as $r | .dependsOn[] | "\($r) -> \(.)"' "$1" | sort; }

run bash -c "cd '$TREE' && npm ls --all --json"
expect_rc 0 "npm ls --all --json"
ls_json=$OUT
want=$(echo "$ls_json" | jq -r '[.. | objects | select(has("dependencies")) | .dependencies | to_entries[] | "\(.key)@\(.value.version)"] | unique[]' | sort)
expect_eq "$(echo "$want" | wc -l)" 14 "npm ls lists 14 packages"
# npm ls edges as purls (names here have one '/' at most: the scope's '@' is %40)
want_edges=$(echo "$ls_json" | jq -r '
    def edges: .dependencies // {} | to_entries[] | .key as $n | .value as $v
        | (($v.dependencies // {}) | to_entries[]
           | "pkg:npm/\($n)@\($v.version) -> pkg:npm/\(.key)@\(.value.version)"), ($v | edges);
    edges' | sed 's|pkg:npm/@|pkg:npm/%40|g' | sort -u)
expect_eq "$(echo "$want_edges" | wc -l)" 8 "npm ls shows 8 edges between packages"

for kind in yarn-1 yarn-2 yarn-4 pnpm-7 pnpm-8 pnpm-10; do
    lock=$(ls "$LOCKS/$kind")
    mkdir -p "$T/$kind/app"
    cp "$LOCKS/$kind/$lock" "$T/$kind/app/"
    run "$VOUCH" sbom "dir:$T/$kind" -q -o "cyclonedx-json=$T/$kind.cdx.json" -o "spdx-json=$T/$kind.spdx.json"
    expect_rc 0 "sbom of the $kind $lock alone"
    expect_eq "$(names "$T/$kind.cdx.json")" "$want" "$kind: set equals npm ls"
    expect_eq "$(edges "$T/$kind.cdx.json")" "$want_edges" "$kind: edges equal npm ls's"
    expect_eq "$(jq -r '[.components[] | select(.purl // "" | startswith("pkg:npm/")) | .evidence.occurrences[].location] | unique | join(",")' "$T/$kind.cdx.json")" \
        "app/$lock" "$kind: every package found in app/$lock"
    expect_eq "$(jq -r '.components[] | select(.name=="@isaacs/string-locale-compare") | .purl' "$T/$kind.cdx.json")" \
        "pkg:npm/%40isaacs/string-locale-compare@1.1.0" "$kind: scoped purl"
    expect_eq "$(jq -r '[.relationships[] | select(.relationshipType=="DEPENDS_ON")] | length' "$T/$kind.spdx.json")" \
        8 "$kind: 8 SPDX DEPENDS_ON between packages"
done

# the project with every lockfile and its node_modules: one component per name@version,
# found in each file
mkdir -p "$T/all"
cp -r "$LOCKS"/* "$T/all/"
cp "$TREE/package-lock.json" "$T/all/"
run "$VOUCH" sbom "dir:$T/all" -q -o "cyclonedx-json=$T/all.cdx.json"
expect_rc 0 "sbom of all lockfiles together"
expect_eq "$(names "$T/all.cdx.json")" "$want" "all lockfiles: one component per name@version"
expect_eq "$(jq -r '.components[] | select(.purl=="pkg:npm/ms@2.0.0") | [.evidence.occurrences[].location] | join(",")' "$T/all.cdx.json")" \
    "package-lock.json,pnpm-10/pnpm-lock.yaml,pnpm-7/pnpm-lock.yaml,pnpm-8/pnpm-lock.yaml,yarn-1/yarn.lock,yarn-2/yarn.lock,yarn-4/yarn.lock" \
    "ms@2.0.0 found in every lockfile"

# images show what is installed: lockfiles are not read outside dir: sources
tar -C "$T/all" -cf "$T/all.tar" .
run "$VOUCH" sbom "file:$T/all.tar" -q -o "cyclonedx-json=$T/tar.cdx.json"
expect_rc 0 "sbom of the lockfiles as an archive"
expect_eq "$(names "$T/tar.cdx.json")" "" "no lockfile read from file: sources"
finish
