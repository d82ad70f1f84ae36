# Bearer token auth against the real Distribution registry (docker-registry 2.8) configured
# with `auth: token`, and a test token issuer (tests/support/token_issuer.py: RS256 JWTs with
# an x5c chain the registry checks against its rootcertbundle): push, sign and verify with
# the right credentials, wrong password, a pull-only user that cannot push a signature,
# tokens cached per scope (issuer hits counted), identity tokens from a credential helper.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
trap registry_stop EXIT
export VOUCH_PASSWORD=test-pass
IMG=ffe6487ee12e4a4065e29c7385a50f30d709bc15ca78bf8060e9c249a57a81db

registry_start token || { bad "start token registry"; finish; exit 1; }
printf '%s\n' "$REG_PASS" >"$T/pass"
printf '%s\n' "$REG_RO_PASS" >"$T/ro-pass"
printf 'wrong\n' >"$T/wrong"
tokens() { grep -c '' "$REG_TOKEN_LOG"; }
creds() { echo --registry-username "$1" --registry-password-stdin; }

# the registry really wants tokens: anonymous is refused, the issuer's token is accepted
run curl -s -o /dev/null -w '%{http_code}' "http://$REG/v2/_catalog"
expect_eq "$OUT" 401 "registry refuses anonymous requests"

registry_peer_layout unsigned "$T/unsigned"
run "$VOUCH" copy $(creds "$REG_USER") "oci-dir:$T/unsigned:v1" "$REG/demo:v1" <"$T/pass"
expect_rc 0 "push with a token from the issuer"
expect_eq "$OUT" "sha256:$IMG" "push prints the manifest digest"
expect_eq "$(tokens)" 1 "one token for the whole push (cached for its scope)"
expect_eq "$(cat "$REG_TOKEN_LOG")" "basic $REG_USER repository:demo:pull,push 200" \
    "the push asked for pull,push on the repository"

# a cross-repository copy: the mount's token names both repositories (one token service
# request with two scopes) and serves the later push requests too
: >"$REG_TOKEN_LOG"
run "$VOUCH" copy $(creds "$REG_USER") "$REG/demo:v1" "$REG/mounted:v1" <"$T/pass"
expect_rc 0 "copy within the registry with a token"
expect_eq "$(cat "$REG_TOKEN_LOG")" "basic $REG_USER repository:demo:pull 200
basic $REG_USER repository:mounted:pull,push repository:demo:pull 200" \
    "two tokens: the source's pull and the mount's two scopes"
expect_eq "$(grep -c 'POST /v2/mounted/blobs/uploads/?mount=[^ ]*&from=demo HTTP/1.1" 201 ' \
    "$REG_AUTH_DIR/registry.log")" 2 "the registry mounted config and layer (201)"

run "$VOUCH" generate-key-pair --output-key-prefix "$T/k"
expect_rc 0 "generate a key pair"
: >"$REG_TOKEN_LOG"
run "$VOUCH" sign --key "$T/k.key" $(creds "$REG_USER") "$REG/demo:v1" <"$T/pass"
expect_rc 0 "sign with a token"
expect_eq "$(cat "$REG_TOKEN_LOG")" "basic $REG_USER repository:demo:pull 200
basic $REG_USER repository:demo:pull,push 200" "sign fetches one token per scope, not per request"
SIGMAN=$(curl -s -u "$REG_USER:$REG_PASS" "$(sed -n 's/.*realm: //p' "$REG_AUTH_DIR/auth.yml")?service=vouch-test-registry&scope=repository:demo:pull" |
    jq -r .token | xargs -I{} curl -s -H 'Authorization: Bearer {}' \
        -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
        "http://$REG/v2/demo/manifests/sha256-$IMG.sig" | jq -r '.layers | length')
expect_eq "$SIGMAN" 1 "the .sig image is in the registry with one layer"

: >"$REG_TOKEN_LOG"
run "$VOUCH" verify --key "$T/k.pub" $(creds "$REG_RO_USER") "$REG/demo:v1" <"$T/ro-pass"
expect_rc 0 "a pull-only user verifies the signature"
expect_match "$OUT" "\"docker-manifest-digest\":\"sha256:$IMG\"" "verify prints the payload"
expect_eq "$(cat "$REG_TOKEN_LOG")" "basic $REG_RO_USER repository:demo:pull 200" \
    "verify needs one pull token"

# wrong password: the issuer answers 401 -> one clear line, exit 3, password not shown
run "$VOUCH" verify --key "$T/k.pub" $(creds "$REG_USER") "$REG/demo:v1" <"$T/wrong"
expect_rc 3 "wrong password"
expect_one_line_err "wrong password"
expect_eq "$ERR" "vouch: registry '$REG' refused the credentials (token service answered HTTP 401)" \
    "wrong password message"
expect_eq "$(grep -c wrong "$T/err")" 0 "the password is not printed"

# a pull-only user cannot push a signature: the token grants pull only, the push is refused
run "$VOUCH" generate-key-pair --output-key-prefix "$T/k2"
run "$VOUCH" sign --key "$T/k2.key" $(creds "$REG_RO_USER") "$REG/demo:v1" <"$T/ro-pass"
expect_rc 3 "pull-only user signs"
expect_one_line_err "pull-only user signs"
expect_eq "$ERR" "vouch: registry '$REG' denied push access to 'demo' (insufficient scope)" \
    "insufficient scope message"
run "$VOUCH" verify --key "$T/k.pub" $(creds "$REG_RO_USER") "$REG/demo:v1" <"$T/ro-pass"
expect_eq "$(printf '%s\n' "$OUT" | grep -c docker-manifest-digest)" 1 \
    "still one signature: nothing was pushed"

# anonymous: the issuer grants nothing, the registry refuses
# sbom reads registry images with the same registry options (and says how without them)
run "$VOUCH" sbom $(creds "$REG_RO_USER") -q "registry:$REG/demo:v1" -o cyclonedx-json <"$T/ro-pass"
expect_rc 0 "sbom registry: with the read-only account"
expect_eq "$(printf '%s' "$OUT" | jq -r '.metadata.component.name')" "registry:$REG/demo:v1" \
    "sbom registry: names the image"
run "$VOUCH" sbom -q "registry:$REG/demo:v1" -o cyclonedx-json
expect_rc 3 "anonymous sbom registry:"
expect_eq "$ERR" "vouch: registry '$REG' requires authentication (HTTP 401): give --registry-username or log in with docker" \
    "anonymous sbom message"
run "$VOUCH" verify --key "$T/k.pub" "$REG/demo:v1"
expect_rc 3 "anonymous verify"
expect_eq "$ERR" "vouch: registry '$REG' requires authentication (HTTP 401): give --registry-username or log in with docker" \
    "anonymous message"

# an identity token from a credential helper (Username "<token>"): sent to the token service
# as an OAuth2 refresh token (POST grant_type=refresh_token), never as Basic auth
mkdir -p "$T/bin" "$T/cfg"
printf '#!/bin/sh\ncat >/dev/null\nprintf %s\n' \
    "'{\"ServerURL\":\"$REG\",\"Username\":\"<token>\",\"Secret\":\"$REG_REFRESH\"}'" \
    >"$T/bin/docker-credential-idtok"
printf '#!/bin/sh\ncat >/dev/null\nprintf %s\n' \
    "'{\"ServerURL\":\"$REG\",\"Username\":\"<token>\",\"Secret\":\"stale\"}'" \
    >"$T/bin/docker-credential-stale"
chmod +x "$T/bin/"*
printf '{"credsStore":"idtok"}' >"$T/cfg/config.json"
: >"$REG_TOKEN_LOG"
PATH="$T/bin:$PATH" DOCKER_CONFIG=$T/cfg run "$VOUCH" verify --key "$T/k.pub" "$REG/demo:v1"
expect_rc 0 "verify with an identity token from a credential helper"
expect_eq "$(cat "$REG_TOKEN_LOG")" "refresh $REG_USER repository:demo:pull 200" \
    "the identity token went to the token service as a refresh token"
printf '{"credsStore":"stale"}' >"$T/cfg/config.json"
PATH="$T/bin:$PATH" DOCKER_CONFIG=$T/cfg run "$VOUCH" verify --key "$T/k.pub" "$REG/demo:v1"
expect_rc 3 "an identity token the service does not know"
expect_eq "$ERR" "vouch: registry '$REG' refused the credentials (token service answered HTTP 401)" \
    "unknown identity token message"
printf '{"auths":{"%s":{"identitytoken":"%s"}}}' "$REG" "$REG_REFRESH" >"$T/cfg/config.json"
DOCKER_CONFIG=$T/cfg run "$VOUCH" verify --key "$T/k.pub" "$REG/demo:v1"
expect_rc 0 "identitytoken in config.json auths"

finish
