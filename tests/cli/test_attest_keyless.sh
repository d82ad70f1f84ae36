#!/usr/bin/env bash
# Keyless attestations: verify-blob-attestation on the sigstore-conformance DSSE bundles
# (GitHub attest-build-provenance, Rekor v1 and v2), and verify-attestation IMAGE on those
# bundles pushed to a throwaway registry as cosign's legacy `.att` layer (certificate and
# RekorBundle annotations) and as a v3 bundle referrer; identity, issuer, trusted root,
# tampered payload and SET refused with one-line reasons; --output json names the signer.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
cd "$T" || exit 1
trap registry_stop EXIT
CONF=$VECTORS/sigstore-conformance
ROOT=$CONF/trusted-roots/public-good.trusted_root.json
STAGING=$CONF/trusted-roots/staging.trusted_root.json
ID='https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main'
ISS=https://token.actions.githubusercontent.com
V3=$CONF/happy-path-intoto-in-dsse-v3/bundle.sigstore.json
A=a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf
KL=(--certificate-identity "$ID" --certificate-oidc-issuer "$ISS")
LAYOUT=$VOUCH_SRC/tests/support/sigstore_layout.py

# --- blobs: the DSSE cases of the conformance suite
vba() { run "$VOUCH" verify-blob-attestation --type slsaprovenance1 "$@"; }
vba --bundle "$V3" "${KL[@]}" --trusted-root "$ROOT" "$CONF/a.txt"
expect_rc 0 "keyless DSSE bundle (Rekor v1) verifies"
expect_eq "$ERR" "Verified OK" "keyless blob attestation: Verified OK"
vba --bundle "$CONF/rekor2-dsse-happy-path/bundle.sigstore.json" "${KL[@]}" \
    --trusted-root "$CONF/rekor2-dsse-happy-path/trusted_root.json" "$CONF/a.txt"
expect_rc 0 "keyless DSSE bundle (Rekor v2, RFC 3161) verifies"
vba --bundle "$V3" "${KL[@]}" --trusted-root "$ROOT" --output json "$CONF/a.txt"
expect_rc 0 "keyless blob attestation --output json"
expect_eq "$(jq -c '[.identity, .issuer, .logIndex, .integratedTime, .statement.predicateType]' "$T/out")" \
    "[\"$ID\",\"$ISS\",155690850,1734374576,\"https://slsa.dev/provenance/v1\"]" \
    "json: identity, issuer, log index, integrated time and the statement"
vba --bundle "$V3" --certificate-identity https://github.com/evil/x --certificate-oidc-issuer "$ISS" \
    --trusted-root "$ROOT" "$CONF/a.txt"
expect_rc 1 "another identity refused"
expect_one_line_err "another identity"
expect_match "$ERR" "^vouch: verifying '.*a.txt': certificate identity '.*' does not match the expected identity" \
    "another identity: reason"
vba --bundle "$V3" "${KL[@]}" --trusted-root "$STAGING" "$CONF/a.txt"
expect_rc 1 "another trusted root refused"
expect_match "$ERR" "does not list" "another root: reason"
printf 'other\n' >other.txt
vba --bundle "$V3" "${KL[@]}" --trusted-root "$ROOT" other.txt
expect_rc 1 "the statement must name the file"
expect_match "$ERR" "is not a subject of the statement" "another file: reason"
vba --bundle "$V3" "${KL[@]}" --trusted-root "$ROOT" --type spdx "$CONF/a.txt"
expect_rc 1 "another predicate type refused"
for c in dsse-invalid-sig_fail dsse-mismatch-envelope_fail dsse-mismatch-sig_fail \
    rekor2-dsse-invalid-sig_fail rekor2-dsse-mismatch-sig_fail; do
    r=$ROOT
    [ -f "$CONF/$c/trusted_root.json" ] && r=$CONF/$c/trusted_root.json
    vba --bundle "$CONF/$c/bundle.sigstore.json" "${KL[@]}" --trusted-root "$r" "$CONF/a.txt"
    expect_rc 1 "$c refused"
    expect_one_line_err "$c"
done
vba --bundle "$V3" "$CONF/a.txt"
expect_rc 2 "keyless without an identity is a usage error"
expect_match "$ERR" "needs --certificate-identity" "no identity: reason"
vba --signature "$V3" "${KL[@]}" "$CONF/a.txt"
expect_rc 2 "keyless with a bare envelope is a usage error"
expect_eq "$(head -1 "$T/err")" "vouch: keyless verification needs --bundle: an envelope carries no certificate" \
    "bare envelope: reason"

# --- images: the bundle as a legacy .att layer and as a v3 referrer, in a registry
python3 "$LAYOUT" att "$V3" att >/dev/null
python3 "$LAYOUT" att "$V3" att-set set >/dev/null
python3 "$LAYOUT" att "$V3" att-payload payload >/dev/null
python3 "$LAYOUT" ref "$V3" ref >/dev/null
python3 "$LAYOUT" ref "$V3" ref-payload payload >/dev/null
if registry_start plain; then ok "registry started"; else bad "registry did not start"; finish; exit; fi
for l in att att-set att-payload ref ref-payload; do
    python3 "$LAYOUT" push "$l" "$REG" "k/$l" || bad "push $l"
done
via() { run "$VOUCH" verify-attestation --type slsaprovenance1 "$@"; }
for l in att ref; do
    via "${KL[@]}" --trusted-root "$ROOT" "$REG/k/$l@sha256:$A"
    expect_rc 0 "$l: keyless image attestation verifies"
    expect_eq "$ERR" "Verified OK (1 of 1 attestations)" "$l: Verified OK"
    via "${KL[@]}" --trusted-root "$ROOT" --output json "$REG/k/$l@sha256:$A"
    expect_eq "$(jq -c '[.identity, .logIndex, .integratedTime, .statement.subject[0].digest.sha256]' "$T/out")" \
        "[\"$ID\",155690850,1734374576,\"$A\"]" "$l: json names the signer, log entry and subject"
    via --certificate-identity "$ID" --certificate-oidc-issuer https://accounts.google.com \
        --trusted-root "$ROOT" "$REG/k/$l@sha256:$A"
    expect_rc 1 "$l: another issuer refused"
    expect_one_line_err "$l: another issuer"
    expect_match "$ERR" "^vouch: none of 1 attestations verified: certificate issuer .* does not match" \
        "$l: another issuer: reason"
    via "${KL[@]}" --trusted-root "$STAGING" "$REG/k/$l@sha256:$A"
    expect_rc 1 "$l: another trusted root refused"
    via "${KL[@]}" --trusted-root "$ROOT" "$REG/k/$l-payload@sha256:$A"
    expect_rc 1 "$l: tampered statement refused"
    expect_match "$ERR" "none of 1 attestations verified: dsse signature verification failed" \
        "$l: tampered statement: reason"
    via --key "$VECTORS/keys/conformance-managed-key.pub" "$REG/k/$l@sha256:$A"
    expect_rc 1 "$l: a key that did not sign refused"
done
via "${KL[@]}" --trusted-root "$ROOT" "$REG/k/att-set@sha256:$A"
expect_rc 1 "att: tampered RekorBundle refused"
expect_match "$ERR" "signed entry timestamp does not verify" "att: tampered SET: reason"
via "$REG/k/att@sha256:$A"
expect_rc 2 "image: keyless without an identity is a usage error"

# --- vouch verify reads bundle referrers keylessly: this one passes every sigstore check
# (chain, SCT, SET, proof, identity) and is then refused as not being a cosign signature
run "$VOUCH" verify "${KL[@]}" --trusted-root "$ROOT" "$REG/k/ref@sha256:$A"
expect_rc 1 "verify: a keyless attestation bundle is not a signature"
expect_eq "$ERR" "vouch: '$REG/k/ref@sha256:$A': no signatures found; bundle: statement is not a cosign v3 signature" \
    "verify: the bundle verified keylessly up to its statement"
run "$VOUCH" verify --certificate-identity https://github.com/evil/x --certificate-oidc-issuer "$ISS" \
    --trusted-root "$ROOT" "$REG/k/ref@sha256:$A"
expect_rc 1 "verify: bundle referrer of another identity refused"
expect_match "$ERR" "no signatures found; bundle: certificate identity '.*' does not match the expect" \
    "verify: referrer identity checked"
run "$VOUCH" verify "${KL[@]}" --trusted-root "$ROOT" --bundle-format legacy "$REG/k/ref@sha256:$A"
expect_rc 1 "verify --bundle-format legacy: referrers not read"
expect_eq "$ERR" "vouch: '$REG/k/ref@sha256:$A': no signatures found" "legacy only: reason"
finish
