#!/usr/bin/env bash
# Every statement vouch emits, and statements from real producers (testvectors/slsa), against
# vouch's strict in-toto Statement v1 / SLSA Provenance v1 schemas with python3-jsonschema;
# broken twins and GitLab's documented example (not SLSA v1 conformant) must fail.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
export VOUCH_PASSWORD=pw
CHECK() { run /usr/bin/python3 "$VOUCH_SRC/tests/interop/slsa_schema_check.py" "$VOUCH_SRC/schemas" "$@"; }
COMMIT=c27d339ee6075c1f744c5d4b200f7901aad2c369
clean() { env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
    VOUCH_PASSWORD=pw "$@"; }
printf hello >a.txt
printf world >b.bin

emit() { # NAME ENV... -- ARGS...
    local name=$1
    shift
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    run clean "${envs[@]}" "$VOUCH" provenance --subject a.txt --subject b.bin "$@"
    expect_rc 0 "emit $name"
    cp "$T/out" "$name.json"
}
emit generic -- --builder-id https://example.com/b --build-type https://example.com/t \
    --material "git+https://e.com/r@refs/heads/x@sha1:$COMMIT" --material https://e.com/tool \
    --invocation-id 7 --started-on 2024-01-02T03:04:05Z --finished-on 2024-01-02T03:04:06.25Z
emit github GITHUB_ACTIONS=true GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=o/r \
    GITHUB_REF=refs/heads/main GITHUB_SHA=$COMMIT GITHUB_WORKFLOW_REF=o/r/.github/workflows/b.yml@refs/heads/main \
    GITHUB_EVENT_NAME=push GITHUB_RUN_ID=1 GITHUB_RUN_ATTEMPT=1 GITHUB_REPOSITORY_ID=2 --
printf '{"release":{"body":"notes","draft":false,"name":"","prerelease":true,"target_commitish":"main"},"repository":{"default_branch":"main"}}' >release.json
emit github-release GITHUB_ACTIONS=true GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=o/r \
    GITHUB_REF=refs/tags/v1 GITHUB_SHA=$COMMIT GITHUB_WORKFLOW_REF=o/r/.github/workflows/b.yml@refs/tags/v1 \
    GITHUB_EVENT_NAME=release GITHUB_EVENT_PATH=release.json GITHUB_RUN_ID=1 GITHUB_RUN_ATTEMPT=1 --
expect_eq "$(jq -c .predicate.buildDefinition.externalParameters.release github-release.json)" \
    '{"body":"notes","prerelease":true}' "github release: only non-default parameters"
emit gitlab GITLAB_CI=true CI_PROJECT_URL=https://gitlab.com/g/p CI_JOB_NAME=build CI_COMMIT_SHA=$COMMIT \
    CI_COMMIT_BRANCH=main CI_RUNNER_ID=5 CI_RUNNER_VERSION=v17.1.0 CI_JOB_STARTED_AT=2024-05-01T10:00:00Z --
emit codebuild CODEBUILD_BUILD_ARN=arn:aws:codebuild:us-east-1:1:build/p:u CODEBUILD_START_TIME=1714557600000 --
expect_eq "$(jq -c .predicate.buildDefinition gitlab.json | jq -r .buildType)" \
    https://gitlab.com/gitlab-org/gitlab-runner/-/blob/v17.1.0/PROVENANCE.md "gitlab: runner version tag kept"
run "$VOUCH" generate-key-pair
jq .predicate generic.json >pred.json
run "$VOUCH" attest-blob --key cosign.key --predicate pred.json --type slsaprovenance1 -o att.jsonl a.txt
expect_rc 0 "attest-blob with a provenance predicate"
jq -r .payload att.jsonl | base64 -d >attest-blob.json
run "$VOUCH" attest-blob --key cosign.key --predicate a.txt -o custom.jsonl b.bin
jq -r .payload custom.jsonl | base64 -d >attest-custom.json

CHECK generic.json github.json github-release.json gitlab.json codebuild.json attest-blob.json attest-custom.json
expect_rc 0 "every statement vouch emits is schema-valid"
expect_eq "$(grep -c ': valid$' "$T/out")" 7 "seven statements validated"

S=$VECTORS/slsa
CHECK "$S/github-attest-build-provenance.statement.json" "$S/github-actions-buildtypes-example.json"
expect_rc 0 "GitHub producers' statements are schema-valid"
CHECK "$S/gitlab-provenance-v1-doc.json"
expect_rc 1 "GitLab's documented example is not SLSA v1"
expect_eq "$(cut -d: -f2- "$T/out" | sed 's/^ //')" "$(printf '%s\n' \
    "invalid: /buildDefinition/buildType: '<Link to Build Type>' does not match '^[A-Za-z][A-Za-z0-9+.-]*:.+\$'" \
    "invalid: /runDetails/metadata/invocationId: 412 is not of type 'string'")" "GitLab example: the two violations"

# broken twins must fail
twin() { # DESC JQ-FILTER
    jq "$2" github.json >twin.json
    CHECK twin.json
    expect_rc 1 "schema rejects: $1"
}
twin "no subjects" '.subject = []'
twin "subject without digest" 'del(.subject[0].digest)'
twin "uppercase sha256" '.subject[0].digest.sha256 |= ascii_upcase'
twin "short sha512" '.subject[0].digest.sha512 = "abcd"'
twin "_type v0.1" '._type = "https://in-toto.io/Statement/v0.1"'
twin "predicateType not a URI" '.predicateType = "provenance"'
twin "no builder.id" 'del(.predicate.runDetails.builder.id)'
twin "no externalParameters" 'del(.predicate.buildDefinition.externalParameters)'
twin "unknown non-extension field" '.predicate.runDetails.metadata.invocationID = "x"'
twin "timestamp with offset" '.predicate.runDetails.metadata.startedOn = "2024-01-01T00:00:00+01:00"'
twin "dependency with neither uri, digest nor content" '.predicate.buildDefinition.resolvedDependencies = [{"name":"x"}]'
twin "builder version not a string map" '.predicate.runDetails.builder.version = {"a": 1}'
jq '.predicate.runDetails.metadata.vouch_note = "x"' github.json >ext.json
CHECK ext.json
expect_rc 0 "schema accepts a <vendor>_<field> extension"
finish
