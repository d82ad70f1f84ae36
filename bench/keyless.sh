#!/usr/bin/env bash
# Keyless verify-blob (sigstore-conformance happy-path-v0.3: Fulcio chain, SCT, SET,
# inclusion proof and checkpoint) against the key-based verify-blob of the same artefact
# (managed-key-happy-path, --key only: the floor; target <= 2x) and against @sigstore/verify
# (pinned in tests/interop/npm) verifying the same keyless bundle (target >= 5x faster), each
# end to end as one process per verification. Not a test: no assertions.
#   bash bench/keyless.sh [VOUCH_BINARY]     (default: build/release/cmd/vouch)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
vouch=${1:-$top/build/release/cmd/vouch}
runs=${BENCH_RUNS:-50}
conf=$top/testvectors/sigstore-conformance
root=$conf/trusted-roots/public-good.trusted_root.json
id='https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main'
iss=https://token.actions.githubusercontent.com
[ -x "$vouch" ] || { echo "bench: build the release preset first ($vouch)" >&2; exit 2; }
export NODE_PATH=$top/tests/interop/npm/node_modules

keyless() {
    "$vouch" verify-blob --bundle "$conf/happy-path-v0.3/bundle.sigstore.json" \
        --trusted-root "$root" --certificate-identity "$id" --certificate-oidc-issuer "$iss" \
        "$conf/a.txt" 2>/dev/null
}
keyed() {
    "$vouch" verify-blob --bundle "$conf/managed-key-happy-path/bundle.sigstore.json" \
        --key "$conf/managed-key-happy-path/key.pub" "$conf/a.txt" 2>/dev/null
}
peer() {
    node "$top/bench/keyless-sigstore-js.js" "$conf/happy-path-v0.3/bundle.sigstore.json" \
        "$root" "$conf/a.txt" "$id" "$iss" >/dev/null
}
keyless && keyed && peer || { echo "bench: a verification failed" >&2; exit 1; }

# wall seconds for $runs runs of a function
clock() {
    local s e
    s=$(date +%s.%N)
    for _ in $(seq "$runs"); do "$1"; done
    e=$(date +%s.%N)
    awk -v s="$s" -v e="$e" -v n="$runs" 'BEGIN{printf "%.2f", (e-s)*1000/n}'
}
t_keyless=$(clock keyless)
t_keyed=$(clock keyed)
t_peer=$(clock peer)
echo "verify-blob keyless (chain+SCT+SET+proof+checkpoint): ${t_keyless} ms/verify"
echo "verify-blob --key (signature only):                   ${t_keyed} ms/verify"
echo "@sigstore/verify keyless (node, same bundle):         ${t_peer} ms/verify"
awk -v a="$t_keyless" -v b="$t_keyed" 'BEGIN{printf "keyless / key-based: %.2fx (target <= 2)\n", a/b}'
awk -v a="$t_peer" -v b="$t_keyless" 'BEGIN{printf "@sigstore/verify / vouch: %.1fx (target >= 5)\n", a/b}'
