# Shared helpers for tests/cli and tests/interop scripts. Source it first:
#   . "$VOUCH_SRC/tests/support/lib.sh"
# Every check prints one line; the script ends with `finish`, which prints
# "N passed, N failed" and exits non-zero on any failure.
set -u
: "${VOUCH:?run through ctest (VOUCH unset)}"
: "${VOUCH_SRC:?}" "${VOUCH_SHARED:?}" "${VOUCH_TEST_TMP:?}"
T_PASS=0
T_FAIL=0
T_NAME=$(basename "$0" .sh)
T=$VOUCH_TEST_TMP/$T_NAME
rm -rf "$T" && mkdir -p "$T"
VECTORS=$VOUCH_SRC/testvectors
SHARED=$VOUCH_SHARED

ok()   { T_PASS=$((T_PASS + 1)); echo "ok   - $*"; }
bad()  { T_FAIL=$((T_FAIL + 1)); echo "FAIL - $*"; }

# run CMD...: runs it, keeps stdout in $T/out, stderr in $T/err, exit code in RC
run() {
    "$@" >"$T/out" 2>"$T/err"
    RC=$?
    OUT=$(cat "$T/out")
    ERR=$(cat "$T/err")
    if grep -q -e 'AddressSanitizer' -e 'runtime error:' -e 'LeakSanitizer' "$T/err"; then
        bad "sanitizer report from: $*"
        sed 's/^/    /' "$T/err" | head -40
    fi
}

# expect_rc N DESC: the last run exited N
expect_rc() {
    if [ "$RC" -eq "$1" ]; then ok "$2 (exit $1)"; else
        bad "$2: exit $RC, want $1"; sed 's/^/    stderr: /' "$T/err" | head -5; fi
}
# expect_eq GOT WANT DESC
expect_eq() {
    if [ "$1" = "$2" ]; then ok "$3"; else bad "$3: got '$1', want '$2'"; fi
}
# expect_match TEXT REGEX DESC
expect_match() {
    if printf '%s' "$1" | grep -Eq -- "$2"; then ok "$3"; else bad "$3: '$1' !~ /$2/"; fi
}
# expect_file_absent PATH DESC
expect_absent() {
    if [ ! -e "$1" ] && [ -z "$(ls "$1".tmp* 2>/dev/null)" ]; then ok "$2"; else bad "$2: $1 exists"; fi
}
# expect_one_line DESC: stderr of the last run is exactly one line starting "vouch: "
expect_one_line_err() {
    local n
    n=$(wc -l <"$T/err")
    if [ "$n" -eq 1 ] && grep -q '^vouch: ' "$T/err"; then ok "$1: one-line error"; else
        bad "$1: stderr is not one 'vouch:' line"; sed 's/^/    /' "$T/err" | head -5; fi
}

finish() {
    echo "$T_PASS passed, $T_FAIL failed"
    [ "$T_FAIL" -eq 0 ]
}
