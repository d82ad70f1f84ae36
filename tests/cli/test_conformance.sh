#!/usr/bin/env bash
# The whole sigstore-conformance bundle-verify suite through `vouch verify-blob`, with the
# suite's CLI protocol per case (docs/cli_protocol.md upstream): --bundle, then the identity
# and issuer (files `identity`/`issuer`, else the beacon defaults) or --key key.pub, the
# case's trusted_root.json (else the public-good root), and the artifact (`artifact`, else
# a.txt). A case whose name ends in _fail must be refused (exit 1 or 2) with a one-line
# reason; every other case must verify. Then digest input, JSON output and usage errors.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
CONF=$VECTORS/sigstore-conformance
ID_DEFAULT='https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main'
ISS_DEFAULT='https://token.actions.githubusercontent.com'
PUBLIC_GOOD=$CONF/trusted-roots/public-good.trusted_root.json

# the arguments the conformance runner passes for one case
case_args() {
    local d=$1 art=$CONF/a.txt root=$PUBLIC_GOOD
    [ -f "$d/artifact" ] && art=$d/artifact
    [ -f "$d/trusted_root.json" ] && root=$d/trusted_root.json
    ARGS=(--bundle "$d/bundle.sigstore.json" --trusted-root "$root")
    if [ -f "$d/key.pub" ]; then
        ARGS+=(--key "$d/key.pub")
    else
        ARGS+=(--certificate-identity "$(cat "$d/identity" 2>/dev/null || echo "$ID_DEFAULT")")
        ARGS+=(--certificate-oidc-issuer "$(cat "$d/issuer" 2>/dev/null || echo "$ISS_DEFAULT")")
    fi
    ARGS+=("$art")
}

total=0 pass=0 refused=0
for d in "$CONF"/*/; do
    d=${d%/}
    name=$(basename "$d")
    [ -f "$d/bundle.sigstore.json" ] || continue
    total=$((total + 1))
    case_args "$d"
    run "$VOUCH" verify-blob "${ARGS[@]}"
    case $name in
    *_fail)
        if [ "$RC" = 1 ] || [ "$RC" = 2 ]; then refused=$((refused + 1)); fi
        expect_match "$RC" '^[12]$' "$name: refused"
        expect_one_line_err "$name: reason"
        expect_match "$ERR" '^vouch: ' "$name: reason is a vouch error"
        ;;
    *)
        [ "$RC" = 0 ] && pass=$((pass + 1))
        expect_rc 0 "$name: verified ($ERR)"
        expect_eq "$ERR" "Verified OK" "$name: 'Verified OK'"
        ;;
    esac
done
expect_eq "$total" 70 "the suite has 70 cases"
expect_eq "$pass" 21 "21 cases verify"
expect_eq "$refused" 49 "49 cases are refused"

# --- reasons name the check that failed (a sample across the kinds of failure)
reason() { case_args "$CONF/$1"; run "$VOUCH" verify-blob "${ARGS[@]}"; expect_match "$ERR" "$2" "$1: reason"; }
reason bundle-with-root-cert_fail 'includes a root certificate'
reason checkpoint-wrong-roothash_fail 'checkpoint is for another tree'
reason inclusion-proof-corrupted-hash_fail 'inclusion proof does not lead to its root hash'
reason set-invalid-signature_fail 'signed entry timestamp does not verify'
reason invalid-ct-key_fail 'no embedded SCT verifies'
reason rekor2-no-timestamp_fail 'no verified signing time'
reason rekor2-timestamp-payload-mismatch_fail 'timestamp of .* not verified by'
reason intoto-expired-certificate_fail 'does not chain to .* not yet valid'
reason integrated-time-in-future_fail 'certificate has expired|not yet valid'
reason wrong-hashedrekord-artifact_fail 'artifact'
reason bundle-from-wrong-instance_fail 'log the trusted root does not list|does not chain'
reason trust-root-tlog-missing-validity-start_fail 'validFor'
reason managed-key-no-key_fail 'signed with a key'
reason rekor2-timestamp-with-incorrect-time_fail 'at 2025-07-15T10:33:31Z: certificate has expired'
reason rekor2-no-inclusion-proof_fail 'has no inclusion proof'
reason signature-mismatch_fail 'signature does not verify|invalid signature'

# --- exit codes: a wrong identity is a rejection (1), a missing one a usage error (2)
d=$CONF/happy-path-v0.3
run "$VOUCH" verify-blob --bundle "$d/bundle.sigstore.json" --trusted-root "$PUBLIC_GOOD" \
    --certificate-identity https://github.com/evil/x --certificate-oidc-issuer "$ISS_DEFAULT" \
    "$CONF/a.txt"
expect_rc 1 "wrong identity refused"
expect_match "$ERR" "does not match the expected identity" "wrong identity: reason"
run "$VOUCH" verify-blob --bundle "$d/bundle.sigstore.json" --trusted-root "$PUBLIC_GOOD" \
    --certificate-identity "$ID_DEFAULT" --certificate-oidc-issuer https://accounts.google.com \
    "$CONF/a.txt"
expect_rc 1 "wrong issuer refused"
run "$VOUCH" verify-blob --bundle "$d/bundle.sigstore.json" --trusted-root "$PUBLIC_GOOD" \
    --certificate-identity-regexp '^https://github\.com/sigstore-conformance/' \
    --certificate-oidc-issuer-regexp 'githubusercontent' "$CONF/a.txt"
expect_rc 0 "identity and issuer regexps"
run "$VOUCH" verify-blob --bundle "$d/bundle.sigstore.json" --trusted-root "$PUBLIC_GOOD" \
    --certificate-identity-regexp '^https://gitlab\.com/' \
    --certificate-oidc-issuer-regexp 'githubusercontent' "$CONF/a.txt"
expect_rc 1 "identity regexp that does not match"
run "$VOUCH" verify-blob --bundle "$d/bundle.sigstore.json" --trusted-root "$PUBLIC_GOOD" \
    "$CONF/a.txt"
expect_rc 2 "keyless without an identity is a usage error"
expect_match "$ERR" "needs --certificate-identity" "keyless without identity: reason"
run "$VOUCH" verify-blob --bundle "$d/bundle.sigstore.json" --trusted-root "$PUBLIC_GOOD" \
    --certificate-identity "$ID_DEFAULT" "$CONF/a.txt"
expect_rc 2 "keyless without an issuer is a usage error"

# --- the artifact as a digest, and --output json
run "$VOUCH" verify-blob --bundle "$d/bundle.sigstore.json" --trusted-root "$PUBLIC_GOOD" \
    --certificate-identity "$ID_DEFAULT" --certificate-oidc-issuer "$ISS_DEFAULT" \
    sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf
expect_rc 0 "sha256:HEX artifact"
run "$VOUCH" verify-blob --bundle "$d/bundle.sigstore.json" --trusted-root "$PUBLIC_GOOD" \
    --certificate-identity "$ID_DEFAULT" --certificate-oidc-issuer "$ISS_DEFAULT" \
    sha256:b0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf
expect_rc 1 "another digest refused"
run "$VOUCH" verify-blob --bundle "$d/bundle.sigstore.json" --trusted-root "$PUBLIC_GOOD" \
    --certificate-identity "$ID_DEFAULT" --certificate-oidc-issuer "$ISS_DEFAULT" \
    --output json "$CONF/a.txt"
expect_rc 0 "json output"
expect_eq "$OUT" '{"verified":true,"file":"'"$CONF"'/a.txt","digest":"sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf","identity":"'"$ID_DEFAULT"'","issuer":"https://token.actions.githubusercontent.com","logIndex":79571823,"integratedTime":1710869186}' \
    "json names identity, issuer, log index and integrated time"

# --- key-based bundles: the log is checked with a trusted root; skipped only when asked
k=$CONF/managed-key-happy-path
run "$VOUCH" verify-blob --bundle "$k/bundle.sigstore.json" --key "$k/key.pub" \
    --trusted-root "$CONF/happy-path-v0.3/../trusted-roots/staging.trusted_root.json" "$CONF/a.txt"
expect_rc 1 "key bundle against a root without its log refused"
expect_match "$ERR" "does not list" "key bundle, wrong root: reason"
run "$VOUCH" verify-blob --bundle "$k/bundle.sigstore.json" --key "$k/key.pub" \
    --trusted-root "$CONF/trusted-roots/staging.trusted_root.json" --insecure-ignore-tlog "$CONF/a.txt"
expect_rc 0 "--insecure-ignore-tlog skips the log"
run "$VOUCH" verify-blob --bundle "$k/bundle.sigstore.json" --key "$k/key.pub" \
    --certificate-identity x "$CONF/a.txt"
expect_rc 2 "--key with an identity is a usage error"
# without --trusted-root: the TUF cache when there is one, else the installed public-good
# root (the build tree's share/vouch); $VOUCH_TRUSTED_ROOT overrides both
h=$CONF/happy-path-v0.2
noroot() {
    run env -u VOUCH_TRUSTED_ROOT XDG_CACHE_HOME="$T/emptycache" "$@" "$VOUCH" verify-blob \
        --bundle "$h/bundle.sigstore.json" --certificate-identity "$ID_DEFAULT" \
        --certificate-oidc-issuer "$ISS_DEFAULT" "$CONF/a.txt"
}
noroot
expect_rc 0 "keyless without --trusted-root uses the installed public-good root"
noroot VOUCH_TRUSTED_ROOT="$CONF/trusted-roots/staging.trusted_root.json"
expect_rc 1 "VOUCH_TRUSTED_ROOT (staging) is used instead, and refuses a public-good signature"
noroot VOUCH_TRUSTED_ROOT="$T/missing.json"
expect_rc 2 "a missing VOUCH_TRUSTED_ROOT is an error, never a fallback"
expect_eq "$ERR" "vouch: trusted root '$T/missing.json' does not exist" "no-root message"

finish
