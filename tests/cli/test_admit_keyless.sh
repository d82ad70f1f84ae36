#!/usr/bin/env bash
# vouch admit with keyless authorities (signatures.keyless): containers/image's real keyless
# image signature (testvectors/containers-image-fulcio/, a Fulcio certificate for
# mitr@redhat.com from GitHub's OAuth issuer, Rekor SET) laid out as an OCI layout with its
# .sig image. The right identity (exact or regex) admits and the decision names the signer,
# issuer and log index; another subject, issuer, regex, GitHub claim or trusted root, and a
# tampered SET or signature, deny; malformed authorities reject the policy (exit 2).
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
FIX=$VECTORS/containers-image-fulcio/dir-img-cosign-fulcio-rekor-valid
ROOT=$VECTORS/sigstore-conformance/trusted-roots/public-good.trusted_root.json
STAGING=$VECTORS/sigstore-conformance/trusted-roots/staging.trusted_root.json
WHO=mitr@redhat.com
ISS=https://github.com/login/oauth
for t in none set sig; do
    python3 "$VOUCH_SRC/tests/support/keyless_layout.py" "$FIX" "lay-$t" "$t" >"dig-$t" ||
        bad "layout $t"
done
DIG=$(cat dig-none)
cp "$ROOT" root.json
cp "$STAGING" staging.json

# policy IDENTITY-YAML [TRUSTED-ROOT]: a one-rule policy requiring a keyless signature
policy() {
    {
        printf 'apiVersion: vouch.dev/policy/v1\nrules:\n  - name: keyless\n    images: ["oci-dir:**"]\n'
        printf '    signatures:\n      keyless:\n'
        [ -n "${2:-}" ] && printf '        trustedRoot: %s\n' "$2"
        printf '        identities:\n%s\n' "$1"
    } >p.yaml
}
exact="          - {issuer: \"$ISS\", subject: \"$WHO\"}"
admit() { run "$VOUCH" admit --policy p.yaml "$@"; }

policy "$exact" root.json
admit oci-dir:lay-none:signed
expect_rc 0 "the signer's identity admits"
expect_eq "$(head -1 out)" "ALLOW oci-dir:lay-none:signed" "decision line"
expect_match "$OUT" "pass  keyless/signatures.keyless: keyless signature by $WHO \(issuer $ISS, log index [0-9]+\) verified" \
    "the reason names signer, issuer and log index"
admit --output json oci-dir:lay-none:signed
expect_rc 0 "json output"
expect_eq "$(jq -c '.results[0].reasons[] | select(.requirement == "signatures.keyless") | .signer | {identity, issuer, logIndex: (.logIndex > 0)}' out)" \
    "{\"identity\":\"$WHO\",\"issuer\":\"$ISS\",\"logIndex\":true}" "json: signer, issuer, log index"
expect_eq "$(jq -r .results[0].digest out)" "$DIG" "json: the digest"

policy "          - {issuerRegExp: '^https://github\\.com/', subjectRegExp: '@redhat\\.com\$'}" root.json
admit oci-dir:lay-none:signed
expect_rc 0 "issuer and subject regexps admit"
policy "          - {issuer: \"$ISS\", subject: someone@example.com}
          - {issuer: \"$ISS\", subject: \"$WHO\"}" root.json
admit oci-dir:lay-none:signed
expect_rc 0 "any one of the identities admits"

policy "          - {issuer: \"$ISS\", subject: someone@example.com}" root.json
admit oci-dir:lay-none:signed
expect_rc 1 "another subject denies"
expect_match "$OUT" "FAIL  keyless/signatures.keyless: no keyless signature verified for subject 'someone@example.com', issuer '$ISS'" \
    "another subject: reason"
policy "          - {issuer: https://accounts.google.com, subject: \"$WHO\"}" root.json
admit oci-dir:lay-none:signed
expect_rc 1 "another issuer denies"
policy "          - {issuer: \"$ISS\", subjectRegExp: '@example\\.com\$'}" root.json
admit oci-dir:lay-none:signed
expect_rc 1 "a subject regexp that does not match denies"
expect_match "$OUT" "subject matching '@example\\\\.com\\$'" "regexp reason"
policy "          - {issuerRegExp: '^https://accounts\\.', subject: \"$WHO\"}" root.json
admit oci-dir:lay-none:signed
expect_rc 1 "an issuer regexp that does not match denies"
policy "          - {issuer: \"$ISS\", subject: \"$WHO\", githubWorkflowRepository: acme/app}" root.json
admit oci-dir:lay-none:signed
expect_rc 1 "a GitHub claim the certificate lacks denies"
policy "$exact" staging.json
admit oci-dir:lay-none:signed
expect_rc 1 "another trusted root denies"
policy "$exact" root.json
admit oci-dir:lay-set:signed
expect_rc 1 "a tampered integrated time denies"
admit oci-dir:lay-sig:signed
expect_rc 1 "a tampered signature denies"
admit --offline oci-dir:lay-none:signed
expect_rc 1 "--offline: nothing verified"
expect_match "$OUT" "FAIL  keyless/signatures: signature verification not available" "--offline reason"

# without trustedRoot: the default root (the installed public-good one here)
policy "$exact"
run env -u VOUCH_TRUSTED_ROOT XDG_CACHE_HOME="$T/nocache" "$VOUCH" admit --policy p.yaml oci-dir:lay-none:signed
expect_rc 0 "the default trusted root"

# keys and keyless together: both must pass
cp "$VOUCH_SRC/docs/examples/keys/ci.pub" k.pub
policy "$exact" root.json
printf '      keys: [k.pub]\n' >>p.yaml
admit oci-dir:lay-none:signed
expect_rc 1 "keyless passes, the key does not: denied"
expect_match "$OUT" "pass  keyless/signatures.keyless" "keys+keyless: keyless passed"
expect_match "$OUT" "FAIL  keyless/signatures: 0 of 1 keys" "keys+keyless: the key failed"

# malformed authorities reject the whole policy
bad_policy() { # IDENTITY-YAML WANT DESC [TRUSTED-ROOT]
    policy "$1" "${4:-}"
    admit oci-dir:lay-none:signed
    expect_rc 2 "$3"
    expect_one_line_err "$3"
    expect_match "$ERR" "$2" "$3: reason"
}
bad_policy "          - {subject: \"$WHO\"}" "a keyless identity needs issuer or issuerRegExp" "no issuer"
bad_policy "          - {issuer: \"$ISS\"}" "a keyless identity needs subject or subjectRegExp" "no subject"
bad_policy "          - {issuer: \"$ISS\", subjectRegExp: 'a(b'}" "bad regex 'a\\(b'" "bad regexp"
bad_policy "          - {issuer: \"$ISS\", subjectRegexp: x}" "unknown key 'subjectRegexp' in keyless identity \\(did you mean 'subjectRegExp'\\?\\)" "misspelt key"
bad_policy "$exact" "trusted root '.*/nope.json'" "missing trusted root" nope.json
printf '{}' >empty.json
bad_policy "$exact" "trusted root '.*/empty.json'" "malformed trusted root" empty.json
finish
