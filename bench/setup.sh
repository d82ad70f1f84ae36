#!/usr/bin/env bash
# bench/setup.sh: installs the benchmark-only peers pinned in bench/npm (cdxgen, 284 MB;
# never needed by the tests, so scripts/setup.sh does not install it). Idempotent.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)/npm
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
