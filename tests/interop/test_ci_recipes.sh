#!/usr/bin/env bash
# The CI recipes of examples/ci/ run as written (tests/support/ci_run.py parses each with a
# YAML parser and runs its commands in order, in a clean environment holding the CI's
# variables at recorded values) against a local docker-registry: the CodePipeline template
# end to end (release buildspec, manual approval, the vouch admit gate, deploy), the
# GitHub Actions workflow and the GitLab CI pipeline. Each run's image must verify with the
# release key, its provenance must name the build, and the gate must admit it; a gate
# pointed at an unsigned image must fail, and so must a recipe naming a flag vouch lacks.
# Stand-ins for what only the real CI has are listed in ci_run.py (MAPPED, USES, the aws shim).
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
cd "$T" || exit 1
CI=$VOUCH_SRC/examples/ci
RUN="/usr/bin/python3 $VOUCH_SRC/tests/support/ci_run.py"
export SOURCE_DATE_EPOCH=1700000000
trap registry_stop EXIT
registry_start plain || bad "registry"

COSIGN_PASSWORD=ci-recipes-test
run env VOUCH_PASSWORD=$COSIGN_PASSWORD "$VOUCH" generate-key-pair --output-key-prefix release
expect_rc 0 "the release key"
CI_RUN_SECRET_COSIGN_PRIVATE_KEY=$(cat release.key)
CI_RUN_SECRET_COSIGN_PUBLIC_KEY=$(cat release.pub)
export CI_RUN_SECRET_COSIGN_PRIVATE_KEY CI_RUN_SECRET_COSIGN_PUBLIC_KEY
export CI_RUN_SECRET_COSIGN_PASSWORD=$COSIGN_PASSWORD CI_RUN_SECRET_GITHUB_TOKEN=local-github-token

# a fresh checkout: the tree (deploy/ copied, it is edited by the deploy stage), and ctest's
# build where the recipes build vouch
workspace() {
    local w=$T/ws-$1 d
    rm -rf "$w" && mkdir -p "$w/build/release/cmd"
    for d in scripts examples data schemas cmake CMakeLists.txt CMakePresets.json; do
        ln -s "$VOUCH_SRC/$d" "$w/$d"
    done
    cp -r "$VOUCH_SRC/deploy" "$w/deploy"
    ln -s "$VOUCH" "$w/build/release/cmd/vouch"
    echo "$w"
}
# val FILE KEY: the value of KEY=VALUE in an env file
val() { sed -n "s/^$2=//p" "$1" | tail -1; }
# provenance REF: the verified SLSA statements of REF (one JSON a line; the pipeline's
# first run, stopped at the approval, attested the digest too)
provenance() {
    "$VOUCH" verify-attestation --key release.pub --type slsaprovenance1 --output json "$1"
}
# field JQ: the distinct values of JQ over the statements in $OUT
field() { printf '%s' "$OUT" | jq -r "$1" | sort -u | tr '\n' ' ' | sed 's/ $//'; }
COMMIT=4f1d2c3b5a69788796a5b4c3d2e1f00112233445

# --- AWS CodePipeline: Source, Release (buildspec.yml), Approve, Gate, Deploy
CB=(CI_RUN_ENV_CODEBUILD_BUILD_ARN=arn:aws:codebuild:eu-west-1:123456789012:build/vouch-release:0b8a6c2e-11ee-4c5a-9d1e-3f2a1b0c9d8e
    CI_RUN_ENV_CODEBUILD_BUILD_ID=vouch-release:0b8a6c2e-11ee-4c5a-9d1e-3f2a1b0c9d8e
    CI_RUN_ENV_CODEBUILD_SOURCE_REPO_URL=https://github.com/acme/vouch.git
    CI_RUN_ENV_CODEBUILD_SOURCE_VERSION=main CI_RUN_ENV_CODEBUILD_RESOLVED_SOURCE_VERSION=$COMMIT
    CI_RUN_ENV_CODEBUILD_INITIATOR=codepipeline/vouch-release CI_RUN_ENV_CODEBUILD_BUILD_NUMBER=42
    CI_RUN_ENV_CODEBUILD_BUILD_IMAGE=public.ecr.aws/docker/library/debian:12
    CI_RUN_ENV_CODEBUILD_START_TIME=1714557600123 CI_RUN_ENV_AWS_REGION=eu-west-1
    CI_RUN_ENV_AWS_DEFAULT_REGION=eu-west-1 CI_RUN_SET_IMAGE_REPO=$REG/acme/vouch)
W=$(workspace codepipeline)
# the template's shape: approval, then the gate, then deploy; the gate gets the release digest
run /usr/bin/python3 - "$CI/codepipeline/pipeline.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
p = [r for r in t["Resources"].values() if r["Type"] == "AWS::CodePipeline::Pipeline"][0]
st = p["Properties"]["Stages"]
print(" ".join(s["Name"] for s in st))
kinds = {s["Name"]: [(a["ActionTypeId"]["Category"], a["ActionTypeId"]["Provider"]) for a in s["Actions"]] for s in st}
print(kinds["Approve"], kinds["Gate"])
gate = st[[s["Name"] for s in st].index("Gate")]["Actions"][0]
print(t["Resources"][gate["Configuration"]["ProjectName"]["Ref"]]["Properties"]["Source"]["BuildSpec"])
print(json.loads(gate["Configuration"]["EnvironmentVariables"])[0]["value"])
PY
expect_eq "$OUT" "Source Release Approve Gate Deploy
[('Approval', 'Manual')] [('Build', 'CodeBuild')]
examples/ci/codebuild/gate-buildspec.yml
#{ReleaseVariables.IMAGE_DIGEST}" "pipeline: manual approval, then the CodeBuild gate, then deploy"
run env "${CB[@]}" $RUN codepipeline "$CI/codepipeline/pipeline.json" "$W"
expect_rc 3 "pipeline: stops at the manual approval"
expect_absent "$W/deployed.yaml" "pipeline: nothing deployed before the approval"
run env "${CB[@]}" CI_RUN_APPROVE=yes $RUN codepipeline "$CI/codepipeline/pipeline.json" "$W"
expect_rc 0 "pipeline: release, approval, gate and deploy run as written"
[ "$RC" -eq 0 ] || tail -20 "$T/err"
D=$(val "$W/exported-ReleaseVariables.env" IMAGE_DIGEST)
expect_match "$D" '^sha256:[0-9a-f]{64}$' "codebuild: the release exported IMAGE_DIGEST"
IMAGE=$REG/acme/vouch@$D
run "$VOUCH" verify --key release.pub "$IMAGE"
expect_rc 0 "codebuild: the pushed image's signature verifies"
run provenance "$IMAGE"
expect_rc 0 "codebuild: its provenance verifies"
expect_eq "$(field '.predicate.runDetails.builder.id')" \
    "arn:aws:codebuild:eu-west-1:123456789012:project/vouch-release" "codebuild: provenance names the project"
expect_eq "$(field '.predicate.runDetails.metadata.invocationId')" \
    "arn:aws:codebuild:eu-west-1:123456789012:build/vouch-release:0b8a6c2e-11ee-4c5a-9d1e-3f2a1b0c9d8e" \
    "codebuild: provenance names the build"
expect_eq "$(field '.predicate.buildDefinition.resolvedDependencies[0].digest.gitCommit')" \
    "$COMMIT" "codebuild: provenance names the commit"
run "$VOUCH" verify-attestation --key release.pub --type cyclonedx "$IMAGE"
expect_rc 0 "codebuild: the SBOM attestation verifies"
expect_match "$(grep -E '^ +image: ' "$W/deployed.yaml")" "image: $IMAGE\$" "pipeline: deploy applies the gated digest"
# the gate alone against an image nobody signed: denied
run "$VOUCH" copy "oci-dir:$W/build/image:0.1.0" "$REG/acme/unsigned:0.1.0"
run env "${CB[@]}" CI_RUN_SET_IMAGE_REPO=$REG/acme/unsigned CI_RUN_ENV_IMAGE_DIGEST=$D \
    $RUN codebuild "$CI/codebuild/gate-buildspec.yml" "$W"
expect_match "$RC" '^[12]$' "gate: an unsigned image stops the pipeline (exit $RC)"

# --- GitHub Actions
GH=(CI_RUN_ENV_GITHUB_ACTIONS=true CI_RUN_ENV_GITHUB_SERVER_URL=https://github.com
    CI_RUN_ENV_GITHUB_REPOSITORY=acme/vouch CI_RUN_ENV_GITHUB_REF=refs/tags/v0.1.0 CI_RUN_ENV_GITHUB_SHA=$COMMIT
    CI_RUN_ENV_GITHUB_WORKFLOW_REF=acme/vouch/.github/workflows/release.yml@refs/tags/v0.1.0
    CI_RUN_ENV_GITHUB_EVENT_NAME=push CI_RUN_ENV_GITHUB_RUN_ID=1536140711 CI_RUN_ENV_GITHUB_RUN_ATTEMPT=1
    CI_RUN_ENV_GITHUB_ACTOR=octocat CI_RUN_ENV_GITHUB_ACTOR_ID=1234567 CI_RUN_ENV_GITHUB_REPOSITORY_ID=555
    CI_RUN_ENV_GITHUB_REPOSITORY_OWNER_ID=583231 CI_RUN_SET_IMAGE_REPO=$REG/acme/vouch-gh)
W=$(workspace github)
run env "${GH[@]}" $RUN github "$CI/github/release.yml" release "$W"
expect_rc 0 "github: the workflow runs as written (release and gate)"
[ "$RC" -eq 0 ] || tail -20 "$T/err"
IMAGE=$REG/acme/vouch-gh@$D
run "$VOUCH" verify --key release.pub "$IMAGE"
expect_rc 0 "github: the pushed image's signature verifies"
run provenance "$IMAGE"
expect_eq "$(field '.predicate.runDetails.builder.id')" \
    "https://github.com/acme/vouch/.github/workflows/release.yml@refs/tags/v0.1.0" "github: provenance names the workflow"
expect_eq "$(field '.predicate.runDetails.metadata.invocationId')" \
    "https://github.com/acme/vouch/actions/runs/1536140711/attempts/1" "github: provenance names the run"
expect_eq "$(jq -r '.auths | keys[0]' "$W/.docker/config.json")" "127.0.0.1:${REG##*:}" \
    "github: vouch got registry credentials from the workflow's login step"

# --- GitLab CI: the release job, then the gate job with its dotenv report
GL=(CI_RUN_ENV_GITLAB_CI=true CI_RUN_ENV_CI_PROJECT_URL=https://gitlab.com/acme/vouch
    CI_RUN_ENV_CI_JOB_NAME=release CI_RUN_ENV_CI_JOB_ID=4089072540
    CI_RUN_ENV_CI_JOB_URL=https://gitlab.com/acme/vouch/-/jobs/4089072540
    CI_RUN_ENV_CI_JOB_STARTED_AT=2024-05-01T10:00:00Z CI_RUN_ENV_CI_COMMIT_SHA=$COMMIT
    CI_RUN_ENV_CI_COMMIT_TAG=v0.1.0 CI_RUN_ENV_CI_RUNNER_ID=12270831 CI_RUN_ENV_CI_RUNNER_VERSION=17.0.0
    CI_RUN_ENV_CI_REGISTRY=$REG CI_RUN_ENV_CI_REGISTRY_IMAGE=$REG/acme-gl
    CI_RUN_ENV_CI_REGISTRY_USER=gitlab-ci-token CI_RUN_ENV_CI_REGISTRY_PASSWORD=local-job-token)
W=$(workspace gitlab)
run env "${GL[@]}" $RUN gitlab "$CI/gitlab/gitlab-ci.yml" release "$W"
expect_rc 0 "gitlab: the release job runs as written"
[ "$RC" -eq 0 ] || tail -20 "$T/err"
expect_eq "$(val "$W/dotenv.env" IMAGE)" "$REG/acme-gl/vouch@$D" "gitlab: the dotenv report names the image"
run env "${GL[@]}" $RUN gitlab "$CI/gitlab/gitlab-ci.yml" gate "$W"
expect_rc 0 "gitlab: the gate job admits it"
IMAGE=$REG/acme-gl/vouch@$D
run provenance "$IMAGE"
expect_eq "$(field '.predicate.runDetails.builder.id')" \
    "https://gitlab.com/acme/vouch/-/runners/12270831" "gitlab: provenance names the runner"
expect_eq "$(field '.predicate.runDetails.metadata.invocationId')" \
    "https://gitlab.com/acme/vouch/-/jobs/4089072540" "gitlab: provenance names the job"

# --- a recipe that names a flag vouch does not have fails
W=$(workspace broken)
sed 's/vouch sign --key/vouch sign --no-such-flag --key/' "$CI/codebuild/buildspec.yml" >"$W/broken.yml"
run env "${CB[@]}" CI_RUN_SET_IMAGE_REPO=$REG/acme/broken $RUN codebuild "$W/broken.yml" "$W"
expect_rc 2 "a recipe with an unknown vouch flag fails"
expect_match "$ERR" "unknown option '--no-such-flag'" "the failing command is vouch's"
sed 's/cmake --build --preset release/cmake --build --preset relaese/' "$CI/codebuild/buildspec.yml" >"$W/broken2.yml"
run env "${CB[@]}" $RUN codebuild "$W/broken2.yml" "$W"
expect_match "$RC" '^[1-9]' "a recipe whose build command is not the mapped one runs it, and fails"
sed '/secrets-manager:/,/COSIGN_PASSWORD/s/COSIGN_PASSWORD:/COSIGN_PASSPHRASE:/' "$CI/codebuild/buildspec.yml" >"$W/broken3.yml"
run env "${CB[@]}" $RUN codebuild "$W/broken3.yml" "$W"
expect_rc 2 "a secret the test does not record is an error"
finish
