#!/usr/bin/env bash
# The docs can't drift from the binary: every `vouch ...` line of README.md and docs/*.md
# parses (examples) or names only options its command has (synopses), and the examples
# marked `<!-- doctest: run -->` run for real against a local registry
# (tests/cli/doc_examples.py says how blocks are read).
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
trap registry_stop EXIT
cd "$T" || exit 1
PY=/usr/bin/python3

# --- the parse-only knob itself: an unknown option still fails, a good line exits 0
VOUCH_PARSE_ONLY=1 run "$VOUCH" sign --key k --no-such-flag img
expect_rc 2 "parse-only: an unknown option fails"
VOUCH_PARSE_ONLY=1 run "$VOUCH" no-such-command
expect_rc 2 "parse-only: an unknown command fails"
VOUCH_PARSE_ONLY=1 run "$VOUCH" sign --key missing.key registry.example/app:v1
expect_rc 0 "parse-only: a well-formed line exits 0 without doing anything"
expect_eq "$OUT$ERR" "" "parse-only prints nothing"

# --- every command line of the docs
"$PY" "$VOUCH_SRC/tests/cli/doc_examples.py" check "$VOUCH" "$VOUCH_SRC" > checks.txt 2>&1
cat checks.txt
expect_eq "$(grep -c '^FAIL' checks.txt)" "0" "every doc command line parses"
expect_match "$(grep -c '^ok' checks.txt)" "^([3-9][0-9]|[1-9][0-9]{2,})$" "at least 30 doc command lines checked"

# --- the runnable examples, each in a fresh folder with a local registry in $REG
registry_start plain || { bad "start registry"; finish; exit 1; }
registry_peer_layout unsigned "$T/unsigned"
run "$VOUCH" copy "oci-dir:$T/unsigned:v1" "$REG/app:v1"
expect_rc 0 "the examples' image \$REG/app:v1"
mkdir -p blocks bin
ln -sf "$VOUCH" bin/vouch
n=$("$PY" "$VOUCH_SRC/tests/cli/doc_examples.py" runblocks "$VOUCH_SRC" blocks)
expect_match "$n" "^[1-9][0-9]*$" "runnable examples found ($n)"
for b in blocks/*.sh; do
    d=$T/run-$(basename "$b" .sh)
    mkdir -p "$d"
    (cd "$d" && PATH=$T/bin:$PATH REG=$REG COSIGN_PASSWORD=doc-example VOUCH_PASSWORD= \
        bash -euo pipefail "$T/$b" >out 2>err)
    rc=$?
    if [ "$rc" -eq 0 ]; then ok "runs: $(head -1 "$b")"; else
        bad "$(head -1 "$b"): exit $rc"; sed 's/^/    /' "$d/err" | tail -5; fi
done
finish
