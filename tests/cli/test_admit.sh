#!/usr/bin/env bash
# vouch admit: decisions, reasons, exit codes (0 allow, 1 deny, 2 error) and fail-closed
# behaviour with only the reference and local evidence available.
. "$VOUCH_SRC/tests/support/lib.sh"
EX=$VOUCH_SRC/docs/examples
V=$VECTORS/vuln

run "$VOUCH" admit --policy "$EX/offline.yaml" nginx:1.25
expect_rc 0 "allowed image"
expect_eq "$(head -1 "$T/out")" "ALLOW docker.io/library/nginx:1.25" "decision line"
expect_match "$OUT" "warn  scanned/vulnerabilities: no vulnerability report for 'docker.io/library/nginx:1.25'" "warn-mode failure is reported"

run "$VOUCH" admit --policy "$EX/offline.yaml" nginx
expect_rc 1 "implicit latest denied"
expect_match "$OUT" "FAIL  no-latest/tags.deny: tag 'latest' is denied by 'latest'" "latest reason"

run "$VOUCH" admit --policy "$EX/offline.yaml" quay.io/evil/app:1.0
expect_rc 1 "registry not allowed"
expect_match "$OUT" "FAIL  allowed-registries/repositories: repository 'quay.io/evil/app' is not in the allow-list" "registry reason"

run "$VOUCH" admit --policy "$EX/offline.yaml" nginx:1.25 ghcr.io/acme/app:latest
expect_rc 1 "one of two denied"
expect_eq "$(grep -c '^ALLOW\|^DENY' "$T/out")" "2" "one decision per image"

# signatures required but no verifier: denied with the reason, never assumed
run "$VOUCH" admit --policy "$EX/production.yaml" ghcr.io/acme/app:v1.2.3
expect_rc 1 "signature-required image denied"
expect_match "$OUT" "FAIL  acme-apps/signatures: signature verification not available for 'ghcr.io/acme/app:v1.2.3'" "signature reason"
expect_match "$OUT" "FAIL  acme-apps/attestations\[0\]: attestation verification not available" "attestation reason"

# vulnerability gate on a real Trivy report (alpine 3.9: 2 critical, 4 medium)
mkdir -p "$T/ev" && cp "$V/trivy/alpine-39.json" "$T/ev/"
cat >"$T/vuln.yaml" <<'P'
apiVersion: vouch.dev/policy/v1
rules:
  - name: scanned
    images: ["ghcr.io/acme/**"]
    vulnerabilities:
      maxSeverity: medium
P
run "$VOUCH" admit --policy "$T/vuln.yaml" --evidence-dir "$T/ev" ghcr.io/acme/app:v1
expect_rc 1 "critical CVE denied"
expect_match "$OUT" "2 finding\(s\) above medium: CVE-2019-14697 \(critical, musl 1.1.20-r4\), CVE-2019-14697 \(critical, musl-utils 1.1.20-r4\)" "critical CVE reason"
cat >>"$T/vuln.yaml" <<'P'
      allow:
        - {id: CVE-2019-14697, expires: 2999-12-31, reason: test}
P
run "$VOUCH" admit --policy "$T/vuln.yaml" --evidence-dir "$T/ev" ghcr.io/acme/app:v1
expect_rc 0 "allow-listed CVE admitted"
expect_match "$OUT" "none above medium \(2 allow-listed, 0 not_affected by VEX\)" "allow-list reason"
sed -i 's/2999-12-31/2020-01-01/' "$T/vuln.yaml"
run "$VOUCH" admit --policy "$T/vuln.yaml" --evidence-dir "$T/ev" ghcr.io/acme/app:v1
expect_rc 1 "expired allow-list denied"
expect_match "$OUT" "allow-list entry expired" "expired reason"

# JSON output
run "$VOUCH" admit --policy "$EX/offline.yaml" --output json nginx:1.25 nginx:latest
expect_rc 1 "json output, one denied"
expect_eq "$(jq -r '.allowed' "$T/out")" "false" "json overall decision"
expect_eq "$(jq -r '[.results[].allowed]|join(",")' "$T/out")" "true,false" "json per-image decisions"
expect_eq "$(jq -r '.results[1].reasons[] | select(.passed==false and .mode=="enforce") | .requirement' "$T/out")" "tags.deny" "json failed requirement"
expect_eq "$(jq -r '.policyHash|length' "$T/out")" "64" "json policy hash"

# errors deny with exit 2
run "$VOUCH" admit --policy "$EX/offline.yaml" 'Bad Ref'
expect_rc 2 "unparsable reference"
expect_match "$OUT" "FAIL  \(reference\)/reference: invalid image reference 'Bad Ref'" "reference reason"
printf 'apiVersion: vouch.dev/policy/v1\nrules: []\nbogus: 1\n' >"$T/bad.yaml"
run "$VOUCH" admit --policy "$T/bad.yaml" nginx:1
expect_rc 2 "invalid policy"
expect_one_line_err "invalid policy"
expect_eq "$ERR" "vouch: $T/bad.yaml:3:1: unknown key 'bogus' in policy" "policy error names file:line:col"
mkdir -p "$T/env" && cp "$V/cosign/vuln-attestation-dsse-envelope.json" "$T/env/"
run "$VOUCH" admit --policy "$EX/offline.yaml" --evidence-dir "$T/env" nginx:1
expect_rc 2 "unverifiable envelope refused"
expect_match "$ERR" "signed envelope: signature verification not available" "envelope reason"
run "$VOUCH" admit --policy "$EX/offline.yaml" --evidence-dir "$T/none" nginx:1
expect_rc 2 "missing evidence dir"
run "$VOUCH" admit --policy "$EX/offline.yaml"
expect_rc 2 "no image"
run "$VOUCH" admit nginx
expect_rc 2 "no policy"
run "$VOUCH" admit --policy "$EX/offline.yaml" --output yaml nginx
expect_rc 2 "unknown output format"
finish
