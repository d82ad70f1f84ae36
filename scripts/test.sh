#!/usr/bin/env bash
# The whole test suite: setup, Debug+ASan+UBSan build with -Werror, every ctest, a hardened
# Release build, and a clang -Werror build (build only: a second compiler's warnings).
# README's second command and .ci/run call exactly this.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/setup.sh
jobs=$(nproc)
cmake --preset dev >/dev/null
cmake --build --preset dev -j"$jobs"
cmake --preset release >/dev/null
cmake --build --preset release -j"$jobs"
cmake --preset clang >/dev/null
cmake --build --preset clang -j"$jobs"
ctest --test-dir build/dev --output-on-failure -j"$jobs" "$@"
