#!/usr/bin/env bash
# vouch provenance / attest-blob / verify-attestation over the real binary: exact statements
# for files and for GitHub, GitLab and CodeBuild environments, signed envelopes and bundles
# that verify, and every rejection (exit 1 with its reason).
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
export VOUCH_PASSWORD=pw
SHA256_A=2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
SHA512_A=9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043
SHA256_B=486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7
SHA512_B=11853df40f4b2b919d3815f64792e58d08663767a494bcbb38c0b2389d9140bbb170281b4a847be7757bde12c9cd0054ce3652d0ad3a1a0c92babb69798246ee
COMMIT=c27d339ee6075c1f744c5d4b200f7901aad2c369
printf hello >a.txt
printf world >b.bin

# a clean environment, so that the CI running these tests is not detected
clean() { env -i PATH="$PATH" ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
    VOUCH_PASSWORD=pw "$@"; }
va() { run "$VOUCH" verify-attestation "$@"; }

# --- a statement for two files, generic mode: exact bytes
run clean "$VOUCH" provenance --subject a.txt --subject dir/../b.bin \
    --builder-id https://example.com/builder --build-type https://example.com/bt/v1 \
    --material "git+https://github.com/o/r@refs/heads/main@gitCommit:$COMMIT" \
    --invocation-id run-7 --started-on 2024-01-02T03:04:05Z --finished-on 2024-01-02T03:05:00.5Z
expect_rc 2 "provenance: a missing subject file"
mkdir -p dir
run clean "$VOUCH" provenance --subject a.txt --subject dir/../b.bin \
    --builder-id https://example.com/builder --build-type https://example.com/bt/v1 \
    --material "git+https://github.com/o/r@refs/heads/main@gitCommit:$COMMIT" \
    --invocation-id run-7 --started-on 2024-01-02T03:04:05Z --finished-on 2024-01-02T03:05:00.5Z
expect_rc 0 "provenance for two files"
cp "$T/out" generic.json
expect_eq "$(jq -c . generic.json)" '{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a.txt","digest":{"sha256":"'$SHA256_A'","sha512":"'$SHA512_A'"}},{"name":"b.bin","digest":{"sha256":"'$SHA256_B'","sha512":"'$SHA512_B'"}}],"predicateType":"https://slsa.dev/provenance/v1","predicate":{"buildDefinition":{"buildType":"https://example.com/bt/v1","externalParameters":{},"resolvedDependencies":[{"uri":"git+https://github.com/o/r@refs/heads/main","digest":{"gitCommit":"'$COMMIT'"}}]},"runDetails":{"builder":{"id":"https://example.com/builder"},"metadata":{"invocationId":"run-7","startedOn":"2024-01-02T03:04:05Z","finishedOn":"2024-01-02T03:05:00.5Z"}}}}' \
    "statement bytes (subjects, digests, predicate)"
expect_eq "$(head -c 2 generic.json | od -An -c | tr -d ' ')" '{\n' "statement is indented JSON"

run clean "$VOUCH" provenance --subject a.txt
expect_rc 2 "outside CI without --builder-id/--build-type"
expect_one_line_err "outside CI"
expect_match "$ERR" "give --build-type and --builder-id" "names the missing flags"
run clean "$VOUCH" provenance --subject a.txt --builder-id https://e.com/b --build-type https://e.com/t \
    --started-on "2024-01-02 03:04:05"
expect_rc 2 "bad --started-on"
expect_match "$ERR" "bad startedOn '2024-01-02 03:04:05'" "bad time named"
run clean "$VOUCH" provenance --subject a.txt --builder-id https://e.com/b --build-type https://e.com/t \
    --material 'not a uri'
expect_rc 2 "bad --material"
run clean "$VOUCH" provenance
expect_rc 2 "no --subject"

# --- CI environments: exact predicates
GH=(GITHUB_ACTIONS=true GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=octocat/hello-world
    GITHUB_REF=refs/heads/main GITHUB_SHA=$COMMIT
    GITHUB_WORKFLOW_REF=octocat/hello-world/.github/workflows/release.yml@refs/heads/main
    GITHUB_EVENT_NAME=push GITHUB_RUN_ID=1536140711 GITHUB_RUN_ATTEMPT=1 GITHUB_ACTOR_ID=1234567
    GITHUB_REPOSITORY_ID=555 GITHUB_REPOSITORY_OWNER_ID=583231)
run clean "${GH[@]}" "$VOUCH" provenance --subject a.txt
expect_rc 0 "github: provenance"
cp "$T/out" github.json
expect_eq "$(jq -c .predicate github.json)" '{"buildDefinition":{"buildType":"https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1","externalParameters":{"workflow":{"ref":"refs/heads/main","repository":"https://github.com/octocat/hello-world","path":".github/workflows/release.yml"}},"internalParameters":{"github":{"actor_id":"1234567","event_name":"push","repository_id":"555","repository_owner_id":"583231"}},"resolvedDependencies":[{"uri":"git+https://github.com/octocat/hello-world@refs/heads/main","digest":{"gitCommit":"'$COMMIT'"}}]},"runDetails":{"builder":{"id":"https://github.com/octocat/hello-world/.github/workflows/release.yml@refs/heads/main"},"metadata":{"invocationId":"https://github.com/octocat/hello-world/actions/runs/1536140711/attempts/1"}}}' \
    "github: predicate"
printf '{"inputs":{"deploy":"yes","skip":""},"repository":{"default_branch":"main"}}' >event.json
run clean "${GH[@]}" GITHUB_EVENT_NAME=workflow_dispatch GITHUB_EVENT_PATH=event.json "$VOUCH" provenance --subject a.txt
expect_rc 0 "github: workflow_dispatch with event payload"
expect_eq "$(jq -c .predicate.buildDefinition.externalParameters.inputs "$T/out")" '{"deploy":"yes"}' \
    "github: non-empty inputs only"
run clean "${GH[@]}" GITHUB_EVENT_NAME=workflow_dispatch "$VOUCH" provenance --subject a.txt
expect_rc 2 "github: workflow_dispatch without the event payload"
run clean "${GH[@]}" GITHUB_EVENT_NAME=pull_request "$VOUCH" provenance --subject a.txt
expect_rc 2 "github: unsupported event"
expect_match "$ERR" "github event 'pull_request' is not supported" "unsupported event named"
run clean "${GH[@]}" GITHUB_SHA= "$VOUCH" provenance --subject a.txt
expect_rc 2 "github: missing GITHUB_SHA"
expect_match "$ERR" "environment variable GITHUB_SHA is not set" "missing variable named"
run clean "${GH[@]}" "$VOUCH" provenance --ci none --subject a.txt
expect_rc 2 "--ci none ignores the environment"

GL=(GITLAB_CI=true CI_PROJECT_URL=https://gitlab.com/group/proj CI_JOB_NAME=build-job CI_JOB_ID=4089072540
    CI_JOB_URL=https://gitlab.com/group/proj/-/jobs/4089072540 CI_JOB_STARTED_AT=2024-05-01T10:00:00Z
    CI_COMMIT_SHA=$COMMIT CI_COMMIT_TAG=v1.2.0 CI_RUNNER_ID=12270831 CI_RUNNER_VERSION=17.0.0)
run clean "${GL[@]}" "$VOUCH" provenance --subject a.txt --finished-on 2024-05-01T10:02:00Z
expect_rc 0 "gitlab: provenance"
cp "$T/out" gitlab.json
expect_eq "$(jq -c .predicate gitlab.json)" '{"buildDefinition":{"buildType":"https://gitlab.com/gitlab-org/gitlab-runner/-/blob/v17.0.0/PROVENANCE.md","externalParameters":{"source":"https://gitlab.com/group/proj","entryPoint":"build-job"},"internalParameters":{"job":"4089072540"},"resolvedDependencies":[{"uri":"git+https://gitlab.com/group/proj@refs/tags/v1.2.0","digest":{"gitCommit":"'$COMMIT'"}}]},"runDetails":{"builder":{"id":"https://gitlab.com/group/proj/-/runners/12270831","version":{"gitlab-runner":"17.0.0"}},"metadata":{"invocationId":"https://gitlab.com/group/proj/-/jobs/4089072540","startedOn":"2024-05-01T10:00:00Z","finishedOn":"2024-05-01T10:02:00Z"}}}' \
    "gitlab: predicate"

CB=(CODEBUILD_BUILD_ARN=arn:aws:codebuild:eu-west-1:123456789012:build/app:0b8a-11ee
    CODEBUILD_SOURCE_REPO_URL=https://github.com/octocat/hello-world.git CODEBUILD_SOURCE_VERSION=main
    CODEBUILD_RESOLVED_SOURCE_VERSION=$COMMIT CODEBUILD_WEBHOOK_TRIGGER=branch/main
    CODEBUILD_INITIATOR=GitHub-Hookshot/1a2b CODEBUILD_START_TIME=1714557600123 AWS_REGION=eu-west-1)
run clean "${CB[@]}" "$VOUCH" provenance --subject a.txt
expect_rc 0 "codebuild: provenance"
cp "$T/out" codebuild.json
expect_eq "$(jq -c .predicate codebuild.json)" '{"buildDefinition":{"buildType":"https://vouch.dev/buildtypes/codebuild/v1","externalParameters":{"source":"https://github.com/octocat/hello-world.git","sourceVersion":"main","webhookTrigger":"branch/main"},"internalParameters":{"initiator":"GitHub-Hookshot/1a2b","region":"eu-west-1"},"resolvedDependencies":[{"uri":"git+https://github.com/octocat/hello-world.git@refs/heads/main","digest":{"gitCommit":"'$COMMIT'"}}]},"runDetails":{"builder":{"id":"arn:aws:codebuild:eu-west-1:123456789012:project/app"},"metadata":{"invocationId":"arn:aws:codebuild:eu-west-1:123456789012:build/app:0b8a-11ee","startedOn":"2024-05-01T10:00:00.123Z"}}}' \
    "codebuild: predicate"

# --- signing and verifying
run "$VOUCH" generate-key-pair
expect_rc 0 "generate-key-pair"
run "$VOUCH" generate-key-pair --output-key-prefix other
run clean "${GH[@]}" "$VOUCH" provenance --subject a.txt --subject b.bin --key cosign.key -o gh.intoto.jsonl
expect_rc 0 "github: signed envelope"
expect_eq "$(wc -l <gh.intoto.jsonl | tr -d ' ')" 1 "envelope is one line"
expect_eq "$(jq -r .payloadType gh.intoto.jsonl)" application/vnd.in-toto+json "envelope payloadType"
expect_eq "$(jq -r .payload gh.intoto.jsonl | base64 -d | jq -c .subject[1].digest.sha512)" "\"$SHA512_B\"" \
    "signed payload carries the statement"
BUILDER=https://github.com/octocat/hello-world/.github/workflows/release.yml
va --key cosign.pub --type slsaprovenance1 --blob a.txt --signature gh.intoto.jsonl \
    --builder-id "$BUILDER" --source-uri github.com/octocat/hello-world --source-branch main \
    --build-type https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1
expect_rc 0 "github: verify-attestation with slsa-verifier checks"
expect_eq "$ERR" "Verified OK" "verified message"
va --key cosign.pub --type https://slsa.dev/provenance/v1 --blob b.bin --signature gh.intoto.jsonl \
    --builder-id "$BUILDER@refs/heads/main" --source-uri git+https://github.com/octocat/hello-world --output json
expect_rc 0 "second subject, exact builder id, --output json"
expect_eq "$(jq -r .predicateType "$T/out")" https://slsa.dev/provenance/v1 "json output is the statement"

# rejections: exit 1 with the reason, one line
reject() { # DESC REGEX ARGS...
    local desc=$1 re=$2
    shift 2
    va "$@"
    expect_rc 1 "$desc"
    expect_one_line_err "$desc"
    expect_match "$ERR" "$re" "$desc: reason"
}
OK=(--key cosign.pub --type slsaprovenance1 --blob a.txt --signature gh.intoto.jsonl)
printf other >c.txt
reject "subject mismatch" "no subject has digest sha256:$(sha256sum c.txt | cut -c1-64)" \
    --key cosign.pub --type slsaprovenance1 --blob c.txt --signature gh.intoto.jsonl
reject "wrong predicateType" "predicateType 'https://slsa.dev/provenance/v1' is not 'https://spdx.dev/Document'" \
    --key cosign.pub --type spdxjson --blob a.txt --signature gh.intoto.jsonl
reject "wrong builder id" "builder id '$BUILDER@refs/heads/main' is not 'https://github.com/evil/x.yml'" \
    "${OK[@]}" --builder-id https://github.com/evil/x.yml
reject "wrong builder ref" "is not '$BUILDER@refs/tags/v1'" "${OK[@]}" --builder-id "$BUILDER@refs/tags/v1"
reject "wrong source uri" "source 'git\+https://github.com/octocat/hello-world@refs/heads/main' is not 'git\+https://github.com/evil/hello-world'" \
    "${OK[@]}" --source-uri github.com/evil/hello-world
reject "wrong source branch" "source ref 'refs/heads/main' is not branch 'dev'" "${OK[@]}" --source-branch dev
reject "wrong source tag" "source ref 'refs/heads/main' is not tag 'v1.0.0'" "${OK[@]}" --source-tag v1.0.0
reject "wrong build type" "buildType '.*' is not 'https://example.com/bt'" "${OK[@]}" --build-type https://example.com/bt
reject "wrong key" "signature verification failed" --key other.pub --type slsaprovenance1 --blob a.txt \
    --signature gh.intoto.jsonl
jq -c '.payload |= (@base64d | sub("a.txt"; "x.txt") | @base64)' gh.intoto.jsonl >tampered.jsonl
reject "tampered payload" "signature verification failed" --key cosign.pub --type slsaprovenance1 \
    --blob a.txt --signature tampered.jsonl
jq -c '.signatures = []' gh.intoto.jsonl >nosig.jsonl
reject "zero signatures" "envelope has no signatures" --key cosign.pub --type slsaprovenance1 \
    --blob a.txt --signature nosig.jsonl
jq -c '.payloadType = "text/plain"' gh.intoto.jsonl >retyped.jsonl
reject "payloadType changed after signing" "signature verification failed" --key cosign.pub \
    --type slsaprovenance1 --blob a.txt --signature retyped.jsonl
# a correctly signed envelope whose payloadType is not in-toto
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out plain.pem 2>/dev/null
openssl pkey -in plain.pem -pubout -out plain.pub
jq -r .payload gh.intoto.jsonl | base64 -d >stmt.json
"$VOUCH_DSSE_TOOL" sign plain.pem text/plain stmt.json texttype.json texttype.bundle.json
reject "wrong payloadType" "payloadType 'text/plain' is not 'application/vnd.in-toto\+json'" \
    --key plain.pub --type slsaprovenance1 --blob a.txt --signature texttype.json
"$VOUCH_DSSE_TOOL" sign plain.pem application/vnd.in-toto+json stmt.json intoto.json intoto.bundle.json
va --key plain.pub --type slsaprovenance1 --blob a.txt --signature intoto.json
expect_rc 0 "the same statement with the in-toto payloadType verifies"

# .intoto.jsonl with several envelopes: one must pass
cat nosig.jsonl gh.intoto.jsonl >two.jsonl
va "${OK[@]/gh.intoto.jsonl/two.jsonl}"
expect_rc 0 "jsonl: second envelope verifies"
printf '{' >broken.json
va --key cosign.pub --type slsaprovenance1 --blob a.txt --signature broken.json
expect_rc 2 "malformed envelope is bad input"
expect_match "$ERR" "^vouch: 'broken.json': " "malformed envelope names the file"
va --key cosign.pub --type slsaprovenance1 --blob a.txt
expect_rc 2 "neither --signature nor --bundle"

# --- bundles
run clean "${GL[@]}" "$VOUCH" provenance --subject a.txt --key cosign.key --bundle -o gl.sigstore.json
expect_rc 0 "gitlab: signed bundle"
expect_eq "$(jq -r .mediaType gl.sigstore.json)" application/vnd.dev.sigstore.bundle.v0.3+json "bundle media type"
expect_eq "$(jq -r .dsseEnvelope.payloadType gl.sigstore.json)" application/vnd.in-toto+json "bundle dsseEnvelope"
va --key cosign.pub --type slsaprovenance1 --blob a.txt --bundle gl.sigstore.json \
    --source-uri https://gitlab.com/group/proj --source-tag v1.2.0 \
    --builder-id https://gitlab.com/group/proj/-/runners/12270831
expect_rc 0 "gitlab: bundle verifies with source and tag"
va --key cosign.pub --type slsaprovenance1 --blob a.txt --bundle gl.sigstore.json --source-branch main
expect_rc 1 "gitlab: tag build is not a branch build"
run clean "${CB[@]}" "$VOUCH" provenance --subject a.txt --key cosign.key -o cb.intoto.jsonl
va --key cosign.pub --type slsaprovenance1 --blob a.txt --signature cb.intoto.jsonl \
    --source-uri github.com/octocat/hello-world --source-branch main \
    --builder-id arn:aws:codebuild:eu-west-1:123456789012:project/app
expect_rc 0 "codebuild: envelope verifies with source, branch, builder"

# --- attest-blob
printf '{"spdxVersion":"SPDX-2.3","name":"x"}' >sbom.json
run "$VOUCH" attest-blob --key cosign.key --predicate sbom.json --type spdxjson --bundle sbom.sigstore.json \
    -o sbom.intoto.jsonl a.txt
expect_rc 0 "attest-blob spdxjson"
expect_eq "$(jq -r .payload sbom.intoto.jsonl | base64 -d | jq -c '[.predicateType,.subject,.predicate]')" \
    '["https://spdx.dev/Document",[{"name":"a.txt","digest":{"sha256":"'$SHA256_A'"}}],{"spdxVersion":"SPDX-2.3","name":"x"}]' \
    "attest-blob statement"
va --key cosign.pub --type spdxjson --blob a.txt --signature sbom.intoto.jsonl
expect_rc 0 "attest-blob envelope verifies"
va --key cosign.pub --type spdxjson --blob a.txt --bundle sbom.sigstore.json
expect_rc 0 "attest-blob bundle verifies"
reject "builder check on a non-provenance predicate" "is not SLSA provenance" \
    --key cosign.pub --type spdxjson --blob a.txt --signature sbom.intoto.jsonl --builder-id https://x
printf 'free text\n' >note.txt
run "$VOUCH" attest-blob --key cosign.key --predicate note.txt a.txt
expect_rc 0 "attest-blob custom (default type)"
expect_eq "$(jq -r .payload "$T/out" | base64 -d | jq -r '.predicateType, .predicate.Data')" \
    "$(printf 'https://cosign.sigstore.dev/attestation/v1\nfree text')" "custom predicate wraps Data"
expect_match "$(jq -r .payload "$T/out" | base64 -d | jq -r .predicate.Timestamp)" \
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "custom predicate Timestamp"
run "$VOUCH" attest-blob --key cosign.key --predicate note.txt --type spdxjson -o out.jsonl a.txt
expect_rc 2 "attest-blob: predicate that is not JSON"
expect_match "$ERR" "^vouch: 'note.txt': predicate is not valid json" "names the predicate file"
expect_absent out.jsonl "no output file on failure"
run "$VOUCH" attest-blob --key cosign.key --predicate sbom.json --type sbom a.txt
expect_rc 2 "attest-blob: unknown type"
VOUCH_PASSWORD=wrong run "$VOUCH" attest-blob --key cosign.key --predicate sbom.json -o wp.jsonl a.txt
expect_rc 2 "attest-blob: wrong password"
expect_absent wp.jsonl "no output file with a wrong password"
finish
