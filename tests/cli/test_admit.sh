#!/usr/bin/env bash
# vouch admit: decisions, reasons, exit codes (0 allow, 1 deny, 2 error) and fail-closed
# behaviour with only the reference and local evidence available.
. "$VOUCH_SRC/tests/support/lib.sh"
EX=$VOUCH_SRC/docs/examples
V=$VECTORS/vuln

run "$VOUCH" admit --offline --policy "$EX/offline.yaml" nginx:1.25
expect_rc 0 "allowed image"
expect_eq "$(head -1 "$T/out")" "ALLOW docker.io/library/nginx:1.25" "decision line"
expect_match "$OUT" "warn  scanned/vulnerabilities: no vulnerability report for 'docker.io/library/nginx:1.25'" "warn-mode failure is reported"

run "$VOUCH" admit --offline --policy "$EX/offline.yaml" nginx
expect_rc 1 "implicit latest denied"
expect_match "$OUT" "FAIL  no-latest/tags.deny: tag 'latest' is denied by 'latest'" "latest reason"

run "$VOUCH" admit --offline --policy "$EX/offline.yaml" quay.io/evil/app:1.0
expect_rc 1 "registry not allowed"
expect_match "$OUT" "FAIL  allowed-registries/repositories: repository 'quay.io/evil/app' is not in the allow-list" "registry reason"

run "$VOUCH" admit --offline --policy "$EX/offline.yaml" nginx:1.25 ghcr.io/acme/app:latest
expect_rc 1 "one of two denied"
expect_eq "$(grep -c '^ALLOW\|^DENY' "$T/out")" "2" "one decision per image"

# signatures required but no verifier: denied with the reason, never assumed
run "$VOUCH" admit --offline --policy "$EX/production.yaml" ghcr.io/acme/app:v1.2.3
expect_rc 1 "signature-required image denied"
expect_match "$OUT" "FAIL  acme-apps/signatures: signature verification not available for 'ghcr.io/acme/app:v1.2.3'" "signature reason"
expect_match "$OUT" "FAIL  acme-apps/attestations\[0\]: attestation verification not available" "attestation reason"

# the registry is the default: a signature rule contacts the image's registry (here a closed
# port: an evidence error, exit 2); --offline contacts nothing and denies for want of a verifier
cp "$EX/keys/ci.pub" "$T/acme.pub"
cat >"$T/sig.yaml" <<'P'
apiVersion: vouch.dev/policy/v1
rules:
  - name: signed
    images: ["**"]
    signatures:
      keys: [acme.pub]
P
run "$VOUCH" admit --policy "$T/sig.yaml" 127.0.0.1:1/app:v1
expect_rc 2 "admit verifies at the registry by default"
expect_match "$OUT" "FAIL  \(evidence\)/evidence: registry: " "the registry was contacted"
run "$VOUCH" admit --offline --policy "$T/sig.yaml" 127.0.0.1:1/app:v1
expect_rc 1 "--offline: no verifier, denied"
expect_match "$OUT" "FAIL  signed/signatures: signature verification not available for '127.0.0.1:1/app:v1'" "--offline reason"
run "$VOUCH" admit --offline --registry --policy "$T/sig.yaml" 127.0.0.1:1/app:v1
expect_rc 2 "--offline with --registry is a usage error"

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
run "$VOUCH" admit --offline --policy "$T/vuln.yaml" --evidence-dir "$T/ev" ghcr.io/acme/app:v1
expect_rc 1 "critical CVE denied"
expect_match "$OUT" "2 finding\(s\) above medium: CVE-2019-14697 \(critical, musl 1.1.20-r4\), CVE-2019-14697 \(critical, musl-utils 1.1.20-r4\)" "critical CVE reason"
cat >>"$T/vuln.yaml" <<'P'
      allow:
        - {id: CVE-2019-14697, expires: 2999-12-31, reason: test}
P
run "$VOUCH" admit --offline --policy "$T/vuln.yaml" --evidence-dir "$T/ev" ghcr.io/acme/app:v1
expect_rc 0 "allow-listed CVE admitted"
expect_match "$OUT" "none above medium \(2 allow-listed, 0 not_affected by VEX\)" "allow-list reason"
sed -i 's/2999-12-31/2020-01-01/' "$T/vuln.yaml"
run "$VOUCH" admit --offline --policy "$T/vuln.yaml" --evidence-dir "$T/ev" ghcr.io/acme/app:v1
expect_rc 1 "expired allow-list denied"
expect_match "$OUT" "allow-list entry expired" "expired reason"

# OpenVEX in the evidence honours not_affected for the image (pkg:oci/app, any digest)
cat >"$T/ev/vex.json" <<'J'
{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"vulnerability": {"name": "CVE-2019-14697"},
 "products": [{"@id": "pkg:oci/app"}], "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}
J
run "$VOUCH" admit --offline --policy "$T/vuln.yaml" --evidence-dir "$T/ev" ghcr.io/acme/app:v1
expect_rc 0 "VEX not_affected admits despite the expired allow-list"
expect_match "$OUT" "none above medium \(0 allow-listed, 2 not_affected by VEX\)" "VEX reason"
run "$VOUCH" admit --offline --policy "$T/vuln.yaml" --evidence-dir "$T/ev" ghcr.io/acme/other:v1
expect_rc 1 "VEX for another image does not apply"

# ECR scan findings (aws ecr describe-image-scan-findings), basic and enhanced (Inspector)
mkdir -p "$T/ecr" && cp "$V/ecr/enhanced-api-shape.json" "$T/ecr/findings.json"
cat >"$T/ecr.yaml" <<'P'
apiVersion: vouch.dev/policy/v1
rules:
  - name: inspector
    images: ["*.dkr.ecr.*.amazonaws.com/**"]
    vulnerabilities:
      maxSeverity: high
P
ECRIMG=123456789012.dkr.ecr.us-east-1.amazonaws.com/sample-repo:1.0
run "$VOUCH" admit --offline --policy "$T/ecr.yaml" --evidence-dir "$T/ecr" "$ECRIMG"
expect_rc 1 "critical and untriaged ECR findings denied"
expect_match "$OUT" "2 finding\(s\) above high: CVE-2022-37434 \(critical, zlib 1:1.2.11-19.el8\), CVE-2024-99999 \(unknown, tar 1.34-1\+deb12u1\)" "ECR reason"
cat >>"$T/ecr.yaml" <<'P'
      ignoreUnfixed: true
P
run "$VOUCH" admit --offline --policy "$T/ecr.yaml" --evidence-dir "$T/ecr" "$ECRIMG"
expect_rc 1 "ignoreUnfixed does not ignore a finding whose fix state is unknown"
expect_match "$OUT" "1 finding\(s\) above high: CVE-2024-99999 \(unknown, tar 1.34-1\+deb12u1\)" "untriaged stays"
cat >>"$T/ecr.yaml" <<'P'
      allow:
        - {id: CVE-2024-99999, expires: 2999-12-31, reason: triage pending}
P
run "$VOUCH" admit --offline --policy "$T/ecr.yaml" --evidence-dir "$T/ecr" "$ECRIMG"
expect_rc 0 "unfixed critical ignored, untriaged allow-listed"
expect_match "$OUT" "6 finding\(s\) in 1 report\(s\), none above high \(1 allow-listed, 0 not_affected by VEX, 1 without a fix ignored\)" "ignoreUnfixed reason"
cp "$V/ecr/basic-aws-cli-example.json" "$T/ecr/findings.json"
run "$VOUCH" admit --offline --policy "$T/ecr.yaml" --evidence-dir "$T/ecr" "$ECRIMG"
expect_rc 0 "basic scan: one medium finding"
printf '{"imageScanFindings":{"findings":[]},"imageScanStatus":{"status":"FAILED"}}' >"$T/ecr/findings.json"
run "$VOUCH" admit --offline --policy "$T/ecr.yaml" --evidence-dir "$T/ecr" "$ECRIMG"
expect_rc 2 "a failed ECR scan is no evidence"
expect_match "$ERR" "^vouch: .*/findings.json.: ecr scan status is .FAILED., not COMPLETE or ACTIVE$" "failed scan reason"
expect_eq "$OUT" "" "no decision printed for a failed scan"

# SBOM licence deny-list (a CycloneDX SBOM in the evidence)
mkdir -p "$T/sb"
cat >"$T/sb/bom.json" <<'J'
{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
 {"type": "library", "name": "a", "licenses": [{"license": {"id": "MIT"}}]},
 {"type": "library", "name": "b", "licenses": [{"expression": "GPL-2.0-only OR AGPL-3.0-only"}]}]}
J
printf 'apiVersion: vouch.dev/policy/v1\nrules:\n  - name: lic\n    images: ["**"]\n    sbom: {denyLicenses: ["AGPL-*"]}\n' >"$T/lic.yaml"
run "$VOUCH" admit --offline --policy "$T/lic.yaml" --evidence-dir "$T/sb" ghcr.io/acme/app:v1
expect_rc 1 "denied licence"
expect_match "$OUT" "FAIL  lic/sbom.denyLicenses: '.*bom.json' lists licence 'GPL-2.0-only OR AGPL-3.0-only' \(denied by 'AGPL-\*'\)" "licence reason"
run "$VOUCH" admit --offline --policy "$T/lic.yaml" ghcr.io/acme/app:v1
expect_rc 1 "no SBOM"
expect_match "$OUT" "FAIL  lic/sbom: no SBOM found" "no SBOM reason"

# oci-dir: the tag resolves locally from index.json (an OCI layout made by umoci)
umoci init --layout "$T/img" && umoci new --image "$T/img:v1" && umoci new --image "$T/img:v2"
D1=$(jq -r '.manifests[] | select(.annotations."org.opencontainers.image.ref.name"=="v1") | .digest' "$T/img/index.json")
D2=$(jq -r '.manifests[] | select(.annotations."org.opencontainers.image.ref.name"=="v2") | .digest' "$T/img/index.json")
printf 'apiVersion: vouch.dev/policy/v1\nrules:\n  - name: local\n    images: ["oci-dir:**"]\n    tags:\n      pins: {v1: "%s"}\n' "$D1" >"$T/pins.yaml"
run "$VOUCH" admit --offline --policy "$T/pins.yaml" --output json "oci-dir:$T/img:v1"
expect_rc 0 "oci-dir tag matching its pin"
expect_eq "$(jq -r '.results[0].digest' "$T/out")" "$D1" "oci-dir digest resolved from index.json"
run "$VOUCH" admit --offline --policy "$T/pins.yaml" "oci-dir:$T/img:v2"
expect_rc 1 "oci-dir tag without a pin"
expect_match "$OUT" "FAIL  local/tags.pins: tag 'v2' has no recorded digest" "unpinned tag reason"
sed -i "s/$D1/$D2/" "$T/pins.yaml"
run "$VOUCH" admit --offline --policy "$T/pins.yaml" "oci-dir:$T/img:v1"
expect_rc 1 "oci-dir tag moved away from its pin"
expect_match "$OUT" "FAIL  local/tags.pins: tag 'v1' is $D1, pinned to $D2" "moved tag reason"
run "$VOUCH" admit --offline --policy "$T/pins.yaml" "oci-dir:$T/img:v9"
expect_rc 2 "oci-dir tag that does not exist"
expect_match "$OUT" "FAIL  \(evidence\)/evidence: oci-dir: '$T/img' has no manifest tagged v9" "missing tag reason"
# a registry tag cannot be resolved offline: the pin fails (recorded in audit mode here)
run "$VOUCH" admit --offline --policy "$EX/pinned.json" registry.local:5000/team/app:v1.0.0
expect_rc 0 "audit mode admits"
expect_match "$OUT" "audit pinned/tags.pins: tag 'v1.0.0' is pinned to sha256:3c19[0-9a-f]+ but its digest is unknown \(resolving a tag needs the registry\)" "unresolvable pin reason"

# JSON output
run "$VOUCH" admit --offline --policy "$EX/offline.yaml" --output json nginx:1.25 nginx:latest
expect_rc 1 "json output, one denied"
expect_eq "$(jq -r '.allowed' "$T/out")" "false" "json overall decision"
expect_eq "$(jq -r '[.results[].allowed]|join(",")' "$T/out")" "true,false" "json per-image decisions"
expect_eq "$(jq -r '.results[1].reasons[] | select(.passed==false and .mode=="enforce") | .requirement' "$T/out")" "tags.deny" "json failed requirement"
expect_eq "$(jq -r '.policyHash|length' "$T/out")" "64" "json policy hash"

# errors deny with exit 2
run "$VOUCH" admit --offline --policy "$EX/offline.yaml" 'Bad Ref'
expect_rc 2 "unparsable reference"
expect_match "$OUT" "FAIL  \(reference\)/reference: invalid image reference 'Bad Ref'" "reference reason"
printf 'apiVersion: vouch.dev/policy/v1\nrules: []\nbogus: 1\n' >"$T/bad.yaml"
run "$VOUCH" admit --offline --policy "$T/bad.yaml" nginx:1
expect_rc 2 "invalid policy"
expect_one_line_err "invalid policy"
expect_eq "$ERR" "vouch: $T/bad.yaml:3:1: unknown key 'bogus' in policy" "policy error names file:line:col"
# a typo in a policy key: the nearest known key is suggested
printf 'apiVersion: vouch.dev/policy/v1\nrules:\n  - name: a\n    images: ["**"]\n    sigantures: {keys: [x.pub]}\n' >"$T/typo.yaml"
run "$VOUCH" admit --offline --policy "$T/typo.yaml" nginx:1
expect_rc 2 "misspelt policy key"
expect_eq "$ERR" "vouch: $T/typo.yaml:5:5: unknown key 'sigantures' in rule (did you mean 'signatures'?)" \
    "misspelt key: did you mean"
mkdir -p "$T/env" && cp "$V/cosign/vuln-attestation-dsse-envelope.json" "$T/env/"
run "$VOUCH" admit --offline --policy "$EX/offline.yaml" --evidence-dir "$T/env" nginx:1
expect_rc 2 "unverifiable envelope refused"
expect_match "$ERR" "signed envelope: signature verification not available" "envelope reason"
run "$VOUCH" admit --offline --policy "$EX/offline.yaml" --evidence-dir "$T/none" nginx:1
expect_rc 2 "missing evidence dir"
run "$VOUCH" admit --offline --policy "$EX/offline.yaml"
expect_rc 2 "no image"
run "$VOUCH" admit nginx
expect_rc 2 "no policy"
run "$VOUCH" admit --offline --policy "$EX/offline.yaml" --output yaml nginx
expect_rc 2 "unknown output format"
finish
