#!/usr/bin/env bash
# Set up, build (Release) and run a short demo of vouch's main job in a scratch folder.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" >/dev/null
V=$top/build/release/cmd/vouch
D=$(mktemp -d "${TMPDIR:-/tmp}/vouch-demo.XXXXXX")
trap 'rm -rf "$D"' EXIT
cd "$D"
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
export VOUCH_PASSWORD=demo
step "$V" version
if "$V" help generate-key-pair >/dev/null 2>&1; then
    step "$V" generate-key-pair --output-key-prefix demo
    echo "release 1.0 of something important" > artifact.txt
    step "$V" sign-blob --key demo.key --output-signature artifact.sig --bundle artifact.bundle artifact.txt
    step "$V" verify-blob --key demo.pub --signature artifact.sig artifact.txt
    step "$V" verify-blob --key demo.pub --bundle artifact.bundle artifact.txt
    echo "tampered" >> artifact.txt
    printf '\n$ (after tampering) vouch verify-blob ...\n'
    if "$V" verify-blob --key demo.pub --signature artifact.sig artifact.txt; then
        echo "demo: tampered file verified!" >&2; exit 1
    else echo "(rejected with exit $?, as it should be)"; fi
fi
