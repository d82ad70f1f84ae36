#!/usr/bin/env bash
# vouch trusted-root update: a TUF 1.0 client against repositories served on loopback.
# 1. Sigstore's own public-good repository as recorded (testvectors/sigstore-tuf): ten
#    real root rotations (v5 -> v15), timestamp, snapshot, targets, trusted_root.json.
# 2. Repositories signed by python3-securesystemslib (tuf_repo.py): a root rotation with
#    new keys and threshold, and each attack refused with its exit code and one line.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
cd "$T" || exit 1
PY=/usr/bin/python3
SIGTUF=$VECTORS/sigstore-tuf
HTTP_PID=""
trap '[ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null; wait 2>/dev/null' EXIT

# --- serve $T/www on a free loopback port
mkdir -p www
PORT=$(registry_free_port)
(cd www && exec $PY -m http.server "$PORT" --bind 127.0.0.1 >"$T/http.log" 2>&1) &
HTTP_PID=$!
M=http://127.0.0.1:$PORT
for _ in $(seq 1 300); do
    curl -s -o /dev/null "$M/" && break
    sleep 0.1
done

# --- 1. the recorded Sigstore repository, laid out as the CDN serves it
S=www/sigstore
mkdir -p $S/targets
for i in $(seq 6 15); do cp "$SIGTUF/metadata/$i.root.json" $S/; done
cp "$SIGTUF/metadata/timestamp.json" $S/timestamp.json
cp "$SIGTUF/metadata/snapshot.json" $S/165.snapshot.json
cp "$SIGTUF/metadata/targets.json" $S/14.targets.json
TR_SHA=$(sha256sum "$SIGTUF/targets/trusted_root.json" | cut -d' ' -f1)
cp "$SIGTUF/targets/trusted_root.json" "$S/targets/$TR_SHA.trusted_root.json"
export VOUCH_TUF_NOW=1787356800 # 2026-08-22T00:00:00Z: the recorded timestamp is fresh

run "$VOUCH" trusted-root update --mirror "$M/sigstore" --root "$SIGTUF/metadata/5.root.json" \
    --cache "$T/sig"
expect_rc 0 "Sigstore repository: root v5 -> v15 and trusted_root.json"
expect_eq "$OUT" "updated $T/sig/trusted_root.json (root v15, timestamp v762, snapshot v165, targets v14)" \
    "Sigstore repository: the versions trusted"
expect_eq "$(sha256sum <"$T/sig/trusted_root.json" | cut -d' ' -f1)" "$TR_SHA" \
    "Sigstore repository: the target's bytes"
expect_eq "$(sha256sum <"$T/sig/root.json" | cut -d' ' -f1)" \
    "$(sha256sum <"$SIGTUF/metadata/15.root.json" | cut -d' ' -f1)" "the cache holds root v15"
run "$VOUCH" trusted-root update --mirror "$M/sigstore" --cache "$T/sig"
expect_rc 0 "Sigstore repository: a second run from the cache"
expect_eq "$OUT" "unchanged $T/sig/trusted_root.json (root v15, timestamp v762, snapshot v165, targets v14)" \
    "second run: nothing new"
VOUCH_TUF_NOW=1787961600 run "$VOUCH" trusted-root update --mirror "$M/sigstore" --cache "$T/sig"
expect_rc 1 "a week later the recorded timestamp has expired"
expect_eq "$ERR" "vouch: trusted-root update: timestamp.json (version 762) expired on 2026-08-28T19:25:56Z" \
    "expired timestamp: the error"
# the installed bootstrap root is Sigstore's v15: a new cache starts from it
run "$VOUCH" trusted-root update --mirror "$M/sigstore" --cache "$T/sig2"
expect_rc 0 "Sigstore repository: bootstrap from the installed tuf-root.json"
expect_eq "$OUT" "updated $T/sig2/trusted_root.json (root v15, timestamp v762, snapshot v165, targets v14)" \
    "installed bootstrap root: the versions trusted"
# a tampered recorded root: one changed key in 6.root.json breaks the rotation
mkdir -p www/sig-tampered && cp -r $S/. www/sig-tampered/
$PY - www/sig-tampered/6.root.json <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["signed"]["expires"] = "2099-01-01T00:00:00Z"
json.dump(d, open(sys.argv[1], "w"), indent=1)
PYEOF
run "$VOUCH" trusted-root update --mirror "$M/sig-tampered" --root "$SIGTUF/metadata/5.root.json" \
    --cache "$T/sig3"
expect_rc 1 "a changed 6.root.json is refused"
expect_eq "$ERR" "vouch: trusted-root update: 6.root.json (version 6): 0 of 3 required signatures of the root role of root v5" \
    "changed root: the error"
expect_eq "$(sha256sum <"$T/sig3/root.json" | cut -d' ' -f1)" \
    "$(sha256sum <"$SIGTUF/metadata/5.root.json" | cut -d' ' -f1)" "the cache still trusts root v5"
expect_absent "$T/sig3/trusted_root.json" "no target written after a refusal"

# --- 2. repositories signed by securesystemslib, clock 2030-01-01
TARGET2=$SHARED/vectors/sigstore-conformance/trusted-roots/staging.trusted_root.json
run $PY "$VOUCH_SRC/tests/interop/tuf_repo.py" www/gen "$VOUCH_SRC/data/trusted_root.json" "$TARGET2"
expect_rc 0 "securesystemslib writes the test repositories"
export VOUCH_TUF_NOW=1893456000
G=$M/gen
ROOT=www/gen/root.json
run "$VOUCH" trusted-root update --mirror "$G/base" --root "$ROOT" --cache "$T/c1"
expect_rc 0 "sslib repository: first update"
expect_eq "$OUT" "updated $T/c1/trusted_root.json (root v1, timestamp v2, snapshot v2, targets v2)" \
    "sslib repository: versions"
run "$VOUCH" trusted-root update --mirror "$G/rotated" --cache "$T/c1"
expect_rc 0 "root rotation v1 -> v2: new keys, threshold 2, new timestamp key"
expect_eq "$OUT" "updated $T/c1/trusted_root.json (root v2, timestamp v3, snapshot v3, targets v3)" \
    "rotation: versions"
expect_eq "$(sha256sum <"$T/c1/trusted_root.json")" "$(sha256sum <"$TARGET2")" \
    "rotation: the new target's bytes"
run "$VOUCH" trusted-root update --mirror "$G/base" --cache "$T/c1"
expect_rc 1 "after the rotation, metadata signed by the old timestamp key is refused"
expect_eq "$ERR" "vouch: trusted-root update: timestamp.json (version 2): 0 of 1 required signatures of the timestamp role of root v2" \
    "old timestamp key: the error"

# rollback: the cache trusts timestamp v2 / targets v2
run "$VOUCH" trusted-root update --mirror "$G/base" --root "$ROOT" --cache "$T/c2"
expect_rc 0 "second cache: base"
run "$VOUCH" trusted-root update --mirror "$G/rollback-ts" --cache "$T/c2"
expect_rc 1 "timestamp rollback refused"
expect_eq "$ERR" "vouch: trusted-root update: timestamp.json: version 1 is lower than the trusted version 2 (rollback)" \
    "timestamp rollback: the error"
run "$VOUCH" trusted-root update --mirror "$G/rollback-targets" --cache "$T/c2"
expect_rc 1 "targets rollback (through a newer snapshot) refused"
expect_eq "$ERR" "vouch: trusted-root update: snapshot.json: 'targets.json' version 1 is lower than the trusted version 2 (rollback)" \
    "targets rollback: the error"

# each attack against a fresh cache: exit code and the one-line reason
check_attack() { # SCENARIO RC ERROR DESC
    rm -rf "$T/cx"
    run "$VOUCH" trusted-root update --mirror "$G/$1" --root "$ROOT" --cache "$T/cx"
    expect_rc "$2" "$4"
    expect_eq "$ERR" "vouch: trusted-root update: $3" "$4: the error"
    expect_one_line_err "$4"
    expect_absent "$T/cx/trusted_root.json" "$4: no target written"
}
check_attack rotate-old-only 1 "2.root.json (version 2): 0 of 2 required signatures of the root role of root v2" \
    "new root signed by the old root key only"
check_attack rotate-one-new 1 "2.root.json (version 2): 1 of 2 required signatures of the root role of root v2" \
    "new root below its own threshold"
check_attack rotate-skip 1 "2.root.json: version 3, expected 2" "2.root.json claiming version 3"
check_attack expired-ts 1 "timestamp.json (version 2) expired on 2029-12-31T00:00:00Z" "expired timestamp"
check_attack bad-sig 1 "timestamp.json (version 2): 0 of 1 required signatures of the timestamp role of root v1" \
    "bad timestamp signature"
check_attack target-hash 1 "trusted_root.json: sha256 hash mismatch" "target with other bytes"
check_attack target-long 1 "'$G/target-long/targets/$TR_SHA.trusted_root.json': more than the 6787 bytes allowed" \
    "target longer than targets.json says"
check_attack snapshot-hash 1 "snapshot.json: sha256 hash mismatch" "snapshot not the one the timestamp hashes"
rm -rf "$T/cx"
run "$VOUCH" trusted-root update --mirror "$G/base" --root "$ROOT" --cache "$T/cx"
expect_rc 0 "an unchanged target in a fresh cache"
printf 'x' >>"$T/cx/trusted_root.json"
run "$VOUCH" trusted-root update --mirror "$G/base" --cache "$T/cx"
expect_eq "$OUT" "updated $T/cx/trusted_root.json (root v1, timestamp v2, snapshot v2, targets v2)" \
    "a damaged cached target is fetched again"

# bad input and transport
run "$VOUCH" trusted-root update --mirror "$G/missing" --root "$ROOT" --cache "$T/cm"
expect_rc 3 "a mirror without timestamp.json"
expect_eq "$ERR" "vouch: trusted-root update: '$G/missing/timestamp.json': not found (HTTP 404)" \
    "missing timestamp: the error"
run "$VOUCH" trusted-root update --mirror "$G/base" --cache "$T/cn" --root "$T/none.json"
expect_rc 2 "a missing --root file"
expect_one_line_err "missing --root"
printf '{"signed": {"_type": "root"}, "signatures": []}' >bad-root.json
run "$VOUCH" trusted-root update --mirror "$G/base" --cache "$T/cb" --root bad-root.json
expect_rc 2 "a malformed --root file"
expect_eq "$ERR" "vouch: trusted-root update: bad-root.json: 'spec_version' is missing" \
    "malformed root: the error"
run "$VOUCH" trusted-root update --mirror ftp://x --cache "$T/cb"
expect_rc 2 "a mirror that is not http(s)"
run "$VOUCH" trusted-root update --bogus
expect_rc 2 "unknown option"
VOUCH_TUF_NOW=soon run "$VOUCH" trusted-root update --cache "$T/cb"
expect_rc 2 "a malformed test clock"
finish
