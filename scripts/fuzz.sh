#!/usr/bin/env bash
# Build the fuzz preset (clang, libFuzzer + ASan + UBSan) and run every harness (or the ones
# named) for SECONDS each, one at a time, starting from tests/fuzz/corpus/<target>/.
# New corpus entries go to build/fuzz/corpus/<target>/ (the seeds are left untouched);
# crashes, leaks and timeouts land in build/fuzz/artifacts/<target>/. See docs/fuzzing.md.
#   scripts/fuzz.sh [-t SECONDS] [TARGET...]     (default 60 seconds, every target)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
secs=60
if [ "${1:-}" = "-t" ]; then
    secs=$2
    shift 2
fi
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j2
bin=build/fuzz/tests/fuzz
if [ $# -gt 0 ]; then
    targets="$*"
else
    targets=$(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')
fi
failed=""
for t in $targets; do
    mkdir -p "build/fuzz/corpus/$t" "build/fuzz/artifacts/$t"
    dict=""
    [ -f "tests/fuzz/dict/$t.dict" ] && dict="-dict=tests/fuzz/dict/$t.dict"
    echo "== fuzz_$t: $secs s"
    if ! "$bin/fuzz_$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=30 \
        -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$t/" $dict \
        "build/fuzz/corpus/$t" "tests/fuzz/corpus/$t" >"build/fuzz/$t.log" 2>&1; then
        failed="$failed $t"
        echo "   FAILED: see build/fuzz/$t.log and build/fuzz/artifacts/$t/"
    fi
    grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "build/fuzz/$t.log" | tail -2 || true
done
if [ -n "$failed" ]; then
    echo "findings in:$failed"
    exit 1
fi
echo "no findings"
