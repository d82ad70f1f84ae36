# Docker credential helpers (credsStore / credHelpers in $DOCKER_CONFIG/config.json): vouch
# runs docker-credential-<name> get with the server on stdin, as docker does, against the
# htpasswd + TLS registry fixture; docker's precedence (credHelpers[host] > credsStore >
# auths), explicit flags over the config, and every helper failure as one clear line.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
trap registry_stop EXIT

registry_start tls-auth || { bad "start tls registry"; finish; exit 1; }
registry_peer_layout unsigned "$T/unsigned"
printf '%s\n' "$REG_PASS" >"$T/pass"
run "$VOUCH" copy --ca-cert "$REG_CA" --registry-username "$REG_USER" --registry-password-stdin \
    "oci-dir:$T/unsigned:v1" "$REG/demo:v1" <"$T/pass"
expect_rc 0 "push with explicit credentials"
WANT="$REG/demo:sha256-ffe6487ee12e4a4065e29c7385a50f30d709bc15ca78bf8060e9c249a57a81db.sig"

# test helpers on PATH: each logs its argument and stdin, then answers
mkdir -p "$T/bin" "$T/cfg"
helper() { # NAME BODY
    printf '#!/bin/sh\nprintf "%%s %%s\\n" "$1" "$(cat)" >>"%s/helper.log"\n%s\n' "$T" "$2" \
        >"$T/bin/docker-credential-$1"
    chmod +x "$T/bin/docker-credential-$1"
}
helper good "printf '{\"ServerURL\":\"%s\",\"Username\":\"%s\",\"Secret\":\"%s\"}' '$REG' '$REG_USER' '$REG_PASS'"
helper wrongpw "printf '{\"ServerURL\":\"%s\",\"Username\":\"%s\",\"Secret\":\"nope\"}' '$REG' '$REG_USER'"
helper fail "echo 'error getting credentials - err: exit status 1, out: keychain locked'; exit 1"
helper garbage "echo 'this is not json'"
helper empty "echo 'credentials not found in native keychain'; exit 1"
helper emptysecret "echo '{\"Username\":\"\",\"Secret\":\"\"}'"
helper slow "sleep 5; echo '{}'"
helper linger "printf '{\"Username\":\"u\",\"Secret\":\"s\"}'; exec >&-; sleep 5"
helper huge "yes xxxxxxxxxxxxxxx | head -c 100000"
export PATH="$T/bin:$PATH" DOCKER_CONFIG="$T/cfg"
config() { printf '%s' "$1" >"$T/cfg/config.json"; : >"$T/helper.log"; }
tri() { run "$VOUCH" triangulate --ca-cert "$REG_CA" "$REG/demo:v1"; }

config '{"credsStore":"good"}'
tri
expect_rc 0 "credsStore helper gives the credentials"
expect_eq "$OUT" "$WANT" "triangulate through the helper's credentials"
expect_eq "$(cat "$T/helper.log")" "get $REG" "helper ran as 'get' with the server on stdin"

config "{\"credsStore\":\"fail\",\"credHelpers\":{\"$REG\":\"good\"}}"
tri
expect_rc 0 "credHelpers[host] wins over credsStore"
expect_eq "$(cat "$T/helper.log")" "get $REG" "only the host's helper ran"

config "{\"credsStore\":\"good\",\"credHelpers\":{\"other.example:5000\":\"fail\"},
  \"auths\":{\"$REG\":{\"auth\":\"$(printf 'x:y' | base64)\"}}}"
tri
expect_rc 0 "credsStore wins over auths; another host's credHelper is not run"

config '{"credsStore":"fail"}'
run "$VOUCH" triangulate --ca-cert "$REG_CA" --registry-username "$REG_USER" \
    --registry-password-stdin "$REG/demo:v1" <"$T/pass"
expect_rc 0 "explicit credentials need no helper"
expect_eq "$(cat "$T/helper.log")" "" "the helper was not run"

config '{"credsStore":"wrongpw"}'
tri
expect_rc 3 "helper with a wrong password"
expect_eq "$ERR" "vouch: registry '$REG' refused the credentials (HTTP 401)" "refused message"

config '{"credsStore":"nosuchhelper"}'
tri
expect_rc 2 "helper not installed"
expect_one_line_err "helper not installed"
expect_eq "$ERR" "vouch: credential helper 'docker-credential-nosuchhelper' not found in PATH" \
    "missing helper message"

config '{"credsStore":"fail"}'
tri
expect_rc 3 "helper exits 1"
expect_one_line_err "helper exits 1"
expect_eq "$ERR" "vouch: credential helper 'docker-credential-fail' failed (exit 1): error getting credentials - err: exit status 1, out: keychain locked" \
    "failing helper message"

config '{"credsStore":"garbage"}'
tri
expect_rc 2 "helper prints garbage"
expect_one_line_err "helper prints garbage"
expect_eq "$ERR" "vouch: credential helper 'docker-credential-garbage' printed malformed credentials" \
    "garbage message"

config '{"credsStore":"emptysecret"}'
tri
expect_rc 2 "helper with an empty secret"
expect_eq "$ERR" "vouch: credential helper 'docker-credential-emptysecret' printed malformed credentials" \
    "empty secret is malformed"

config '{"credsStore":"empty"}'
tri
expect_rc 3 "helper has no credentials for the host: anonymous"
expect_eq "$ERR" "vouch: registry '$REG' requires authentication (HTTP 401): give --registry-username or log in with docker" \
    "anonymous message"

# bounded: a helper that hangs, one that closes stdout and lingers, one that floods
config '{"credsStore":"slow"}'
VOUCH_CREDHELPER_TIMEOUT=1 tri
expect_rc 3 "helper that hangs"
expect_one_line_err "helper that hangs"
expect_eq "$ERR" "vouch: credential helper 'docker-credential-slow' timed out after 1 s" \
    "timeout message"
config '{"credsStore":"linger"}'
VOUCH_CREDHELPER_TIMEOUT=1 tri
expect_rc 3 "helper that lingers after its answer"
expect_eq "$ERR" "vouch: credential helper 'docker-credential-linger' timed out after 1 s" \
    "lingering helper times out"
config '{"credsStore":"huge"}'
tri
expect_rc 2 "helper that prints 100000 bytes"
expect_eq "$ERR" "vouch: credential helper 'docker-credential-huge' printed more than 65536 bytes" \
    "output cap message"

config '{"credsStore":"../bin/x"}'
tri
expect_rc 2 "helper name with a path"
expect_eq "$ERR" "vouch: invalid credential helper name in docker config" "bad helper name message"

config '{"credsStore":["x"]}'
tri
expect_rc 2 "credsStore not a string"
expect_eq "$ERR" "vouch: malformed docker config '$T/cfg/config.json'" "malformed config message"

# secrets stay put (issue #14): a helper never inherits the key password variables, and
# /proc/PID/environ of vouch no longer holds them once it runs
helper envdump "env >\"$T/helper.env\"; printf '{\"Username\":\"%s\",\"Secret\":\"%s\"}' '$REG_USER' '$REG_PASS'"
config '{"credsStore":"envdump"}'
COSIGN_PASSWORD=hunter2-cosign VOUCH_PASSWORD=hunter2-vouch VOUCH_OTHER=kept tri
expect_rc 0 "helper ran with password variables set"
expect_eq "$(grep -c '^PATH=' "$T/helper.env")" "1" "the helper dumped its environment"
expect_eq "$(grep -c 'hunter2' "$T/helper.env")" "0" "no password variable reaches the helper"
expect_eq "$(grep -c '^VOUCH_OTHER=kept$' "$T/helper.env")" "1" "other variables are inherited"
# the helper reads vouch's own /proc/PID/environ and limits while vouch waits for it
helper procdump "cat /proc/\$PPID/environ | tr '\\0' '\\n' >\"$T/parent.env\"; cat /proc/\$PPID/limits >\"$T/parent.limits\"; printf '{\"Username\":\"%s\",\"Secret\":\"%s\"}' '$REG_USER' '$REG_PASS'"
config '{"credsStore":"procdump"}'
COSIGN_PASSWORD=hunter2-cosign tri
expect_rc 0 "helper ran"
expect_eq "$(grep -c '^PATH=' "$T/parent.env")" "1" "the helper read vouch's environment block"
expect_eq "$(grep -c 'hunter2' "$T/parent.env")" "0" "vouch's environment block no longer holds the password"
expect_match "$(grep 'Max core file size' "$T/parent.limits")" "Max core file size +0 +0 " "core dumps are off while a password is held"

finish
