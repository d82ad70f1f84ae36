#!/usr/bin/env bash
# bench/setup.sh: installs the benchmark-only peers pinned in bench/npm (cdxgen, 284 MB)
# and the large node_modules tree pinned in bench/npm-tree (2,188 packages, for
# bench/sbom-lang.sh; --ignore-scripts: nothing is built or downloaded by install scripts).
# Never needed by the tests, so scripts/setup.sh does not install them. Idempotent.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
dir=$bench/npm
stamp=$dir/node_modules/.vouch-stamp
command -v npm >/dev/null || { echo "bench/setup.sh: npm not found (scripts/setup.sh installs it)" >&2; exit 2; }
if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    echo "bench/setup.sh: installing bench npm peers (cdxgen)" >&2
    # npm install --no-save, not npm ci: npm 11 calls cdxgen's lock "out of sync" because
    # @cdxgen/safer-exec lists optional platform packages that are not on the registry
    # (darwin-*, linux-arm64); with the lock present it installs exactly the locked tree
    # (integrity-checked) and never rewrites package.json or the lock.
    (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$stamp"
fi
tree=$bench/npm-tree
if [ ! -f "$tree/node_modules/.vouch-stamp" ] || [ "$tree/package-lock.json" -nt "$tree/node_modules/.vouch-stamp" ]; then
    echo "bench/setup.sh: installing the bench node_modules tree (bench/npm-tree)" >&2
    (cd "$tree" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$tree/node_modules/.vouch-stamp"
fi
