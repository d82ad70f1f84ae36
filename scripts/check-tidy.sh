#!/usr/bin/env bash
# clang-tidy over every library and cmd/ source of a build's compile_commands.json, with the
# checks chosen in .clang-tidy (warnings are errors). usage: check-tidy.sh BUILD_DIR
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: check-tidy.sh BUILD_DIR}
command -v clang-tidy >/dev/null || { echo "check-tidy: clang-tidy is not installed"; exit 1; }
files=$(python3 - "$build/compile_commands.json" "$top" <<'PY'
import json, sys
top = sys.argv[2].rstrip('/') + '/'
seen = set()
for e in json.load(open(sys.argv[1])):
    f = e['file']
    rel = f[len(top):] if f.startswith(top) else None
    if rel and rel.split('/')[0] in ('libsign', 'libsbom', 'libslsa', 'cmd') and f not in seen:
        seen.add(f)
        print(f)
PY
)
out=$(printf '%s\n' $files | xargs -P2 -n8 clang-tidy -p "$build" --quiet 2>&1 |
    grep -E '(warning|error):' | sort -u)
if [ -n "$out" ]; then
    printf '%s\n' "$out"
    echo "0 passed, 1 failed"
    exit 1
fi
echo "1 passed, 0 failed"
