#!/usr/bin/env bash
# Regenerates tests/interop/js-locks/: the yarn and pnpm lockfiles of the project
# tests/interop/npm-tree (the same package.json `npm ci` installs for the npm ground truth),
# written by the pinned package managers of tests/interop/js-tools (installed by
# scripts/setup.sh). Needs the npm registry; the lockfiles are committed so the tests
# (tests/interop/test_sbom_js_locks.sh) run offline. Each tool's own listing of what it
# installed must equal `npm ls --all --json` of the npm-tree install, or nothing is written.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
tools=$top/tests/interop/js-tools/node_modules
tree=$top/tests/interop/npm-tree
out=$top/tests/interop/js-locks
[ -d "$tools" ] && [ -d "$tree/node_modules" ] || { echo "gen-js-locks: run scripts/setup.sh first" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name@version of every package below the project in an `npm ls`/`pnpm list` JSON tree
# (pnpm lists optional dependencies apart, npm among the others)
set_of() { jq -r '[.. | objects | (.dependencies // {}) + (.optionalDependencies // {})
                  | to_entries[] | "\(.key)@\(.value.version)"] | unique[]'; }
want=$(cd "$tree" && npm ls --all --json | set_of)

# KIND LOCKFILE COMMAND...: install the project with the tool, keep its lockfile
gen() {
    local kind=$1 lock=$2 have
    shift 2
    mkdir -p "$tmp/$kind" "$tmp/out/$kind"
    cp "$tree/package.json" "$tmp/$kind/"
    (cd "$tmp/$kind" && "$@" >"$tmp/$kind.log" 2>&1) || { cat "$tmp/$kind.log" >&2; exit 1; }
    case $kind in
    pnpm*) have=$(cd "$tmp/$kind" && node "$tools/${kind/pnpm-10/pnpm}/bin/pnpm.cjs" list --depth Infinity --json \
                  | jq '.[0]' | set_of) ;;
    *) have=$(cd "$tmp/$kind" && npm ls --all --json | set_of) ;;
    esac
    if [ "$have" != "$want" ]; then
        echo "gen-js-locks: $kind installed a different set than npm:" >&2
        diff <(echo "$want") <(echo "$have") >&2 || true
        exit 1
    fi
    cp "$tmp/$kind/$lock" "$tmp/out/$kind/"
}

berry() { # yarn berry: node_modules linker (so npm ls can list it), no global cache, no scripts
    touch yarn.lock
    YARN_ENABLE_TELEMETRY=0 YARN_NODE_LINKER=node-modules YARN_ENABLE_GLOBAL_CACHE=0 YARN_ENABLE_SCRIPTS=0 \
        node "$1" install
}

gen yarn-1 yarn.lock node "$tools/yarn/bin/yarn.js" install --ignore-scripts --non-interactive --no-progress
gen yarn-2 yarn.lock berry "$tools/yarn-berry-2/bin/yarn.js"
gen yarn-4 yarn.lock berry "$tools/yarn-berry/bin/yarn.js"
gen pnpm-7 pnpm-lock.yaml node "$tools/pnpm-7/bin/pnpm.cjs" install --ignore-scripts
gen pnpm-8 pnpm-lock.yaml node "$tools/pnpm-8/bin/pnpm.cjs" install --ignore-scripts
gen pnpm-10 pnpm-lock.yaml node "$tools/pnpm/bin/pnpm.cjs" install --ignore-scripts
rm -rf "$out"
cp -r "$tmp/out" "$out"
echo "gen-js-locks: wrote ${out#"$top"/}" >&2
