#!/usr/bin/env bash
# Every registry operation has an overall deadline (--timeout, cosign's flag; default 10m): a
# registry that answers and then drips 5 bytes a second (tests/support/drip_registry.py) must
# not hold tree, verify, copy or sbom registry: past it.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"

PORT=$(registry_free_port)
python3 "$VOUCH_SRC/tests/support/drip_registry.py" "$PORT" > "$T/drip.out" 2>&1 &
DRIP=$!
trap 'kill $DRIP 2>/dev/null; wait $DRIP 2>/dev/null' EXIT
for _ in $(seq 1 100); do grep -q ready "$T/drip.out" 2>/dev/null && break; sleep 0.1; done
IMG=localhost:$PORT/drip/app:latest
WANT="vouch: registry 'localhost:$PORT' did not finish within 2 s"

run "$VOUCH" tree --timeout 2 "$IMG"
expect_rc 3 "tree against a dripping registry ends at the deadline"
expect_eq "$ERR" "$WANT" "tree names the registry and the deadline"

(cd "$T" && VOUCH_PASSWORD=pw "$VOUCH" generate-key-pair --output-key-prefix k </dev/null >/dev/null 2>&1)
run "$VOUCH" verify --timeout 2 --key "$T/k.pub" "$IMG"
expect_rc 3 "verify against a dripping registry ends at the deadline"
expect_eq "$ERR" "$WANT" "verify names the registry and the deadline"

run "$VOUCH" copy --timeout 1m30s --timeout 2 "$IMG" "oci-dir:$T/copy"
expect_rc 3 "copy from a dripping registry ends at the deadline"
expect_eq "$ERR" "$WANT" "copy names the registry and the deadline"
expect_absent "$T/copy" "copy leaves no layout"

run "$VOUCH" sbom --timeout 2 -q "registry:$IMG" -o "spdx-json=$T/drip.spdx.json"
expect_rc 3 "sbom registry: from a dripping registry ends at the deadline"
expect_eq "$ERR" "$WANT" "sbom names the registry and the deadline"
expect_absent "$T/drip.spdx.json" "sbom leaves no output file"

for bad in 0 5x 1h5 -3s 25h ""; do
    run "$VOUCH" tree --timeout "$bad" "$IMG"
    expect_rc 2 "--timeout '$bad' refused"
    expect_match "$ERR" "^vouch: invalid --timeout '$bad': give a duration such as 90s, 5m or 1h" \
        "--timeout '$bad' message"
done
finish
