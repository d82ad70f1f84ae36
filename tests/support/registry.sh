# A throwaway Distribution registry (Debian's docker-registry) for interop tests.
# Source after lib.sh, then:
#   registry_start plain|tls-auth   sets REG (127.0.0.1:PORT); tls-auth also sets REG_CA
#                                   (test CA, PEM), REG_USER/REG_PASS (htpasswd, bcrypt)
#   registry_start token            plain-http registry with distribution's token auth and a
#                                   test token issuer (token_issuer.py, JWTs RS256 + x5c)
#                                   on another port; users: REG_USER/REG_PASS (pull,push),
#                                   REG_RO_USER/REG_RO_PASS (pull only), identity token
#                                   REG_REFRESH (REG_USER's); every token request is a line
#                                   in $REG_TOKEN_LOG ("basic USER SCOPES STATUS")
#   registry_peer_layout REPO DIR   OCI layout of a recorded repository (testvectors)
#   registry_stop                   stops every registry this script started
# The config is written here (never the packaged /etc one); the registry listens on
# 127.0.0.1 only, on a free port. Installs nothing: setup.sh provides the tools.
REG_PIDS=""

registry_free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

registry_stop() {
    local pid
    for pid in $REG_PIDS; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    REG_PIDS=""
}

# A CA and a server certificate it signed, for 127.0.0.1 and localhost.
registry_make_tls() {
    local d=$1
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$d/ca.key" -out "$d/ca.pem" -days 2 -subj /CN=vouch-test-ca 2>/dev/null &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$d/srv.key" -out "$d/srv.csr" -subj /CN=127.0.0.1 2>/dev/null &&
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$d/srv.ext" &&
    openssl x509 -req -in "$d/srv.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
        -out "$d/srv.pem" -days 2 -extfile "$d/srv.ext" 2>/dev/null
}

# An OCI layout of a recorded repository (testvectors/cosign-image/registry/REPO): its
# blobs, and index.json made from tags.json.
registry_peer_layout() {
    local src=$VOUCH_SRC/testvectors/cosign-image/registry/$1 out=$2
    mkdir -p "$out/blobs/sha256"
    cp "$src/blobs/sha256/"* "$out/blobs/sha256/"
    chmod -R u+w "$out"
    printf '{"imageLayoutVersion":"1.0.0"}' >"$out/oci-layout"
    jq -c '{schemaVersion: 2, manifests: [.tags | to_entries[] | .value +
        {annotations: {"org.opencontainers.image.ref.name": .key}}]}' \
        "$src/tags.json" >"$out/index.json"
}

# The token issuer for `registry_start token`: key + self-signed certificate (the
# registry's rootcertbundle), started on a free port; writes the auth config to DIR/auth.yml.
registry_token_issuer() {
    local d=$1 i
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/tok.key" -out "$d/tok.pem" \
        -days 2 -subj /CN=vouch-test-token-issuer 2>/dev/null || return 1
    REG_USER=pusher REG_PASS=push-pass REG_RO_USER=reader REG_RO_PASS=read-pass
    REG_REFRESH=refresh-token-of-pusher REG_TOKEN_LOG=$d/token.log
    : >"$REG_TOKEN_LOG"
    /usr/bin/python3 "$VOUCH_SRC/tests/support/token_issuer.py" "$d/tok.key" "$d/tok.pem" \
        vouch-test-issuer vouch-test-registry "$d/issuer.port" "$REG_TOKEN_LOG" \
        "$REG_USER:$REG_PASS:pull,push" "$REG_RO_USER:$REG_RO_PASS:pull" \
        "$REG_REFRESH=$REG_USER" >"$d/issuer.err" 2>&1 &
    REG_PIDS="$REG_PIDS $!"
    for i in $(seq 1 100); do
        [ -s "$d/issuer.port" ] && break
        sleep 0.1
    done
    [ -s "$d/issuer.port" ] || { cat "$d/issuer.err" >&2; return 1; }
    {
        printf 'auth:\n  token:\n    realm: http://127.0.0.1:%s/token\n' "$(cat "$d/issuer.port")"
        printf '    service: vouch-test-registry\n    issuer: vouch-test-issuer\n'
        printf '    rootcertbundle: %s\n' "$d/tok.pem"
    } >"$d/auth.yml"
    REG_AUTH_DIR=$d
}

registry_start() {
    local kind=$1 port dir scheme=http extra="" curlopt="" i want=200
    port=$(registry_free_port) || return 1
    dir=$T/registry-$kind-$port
    mkdir -p "$dir/data"
    if [ "$kind" = token ]; then
        registry_token_issuer "$dir" || { echo "token issuer did not start" >&2; return 1; }
        extra=$(cat "$dir/auth.yml")
        want=401
    fi
    if [ "$kind" = tls-auth ]; then
        registry_make_tls "$dir" || { echo "cannot make test certificates" >&2; return 1; }
        REG_USER=testuser
        REG_PASS=testpass
        htpasswd -Bbn "$REG_USER" "$REG_PASS" >"$dir/htpasswd" 2>/dev/null || return 1
        REG_CA=$dir/ca.pem
        scheme=https
        curlopt="--cacert $REG_CA -u $REG_USER:$REG_PASS"
        extra="  tls: {certificate: $dir/srv.pem, key: $dir/srv.key}
auth:
  htpasswd: {realm: basic-realm, path: $dir/htpasswd}"
    fi
    cat >"$dir/config.yml" <<CFG
version: 0.1
log: {level: warn, fields: {service: registry}}
storage:
  cache: {blobdescriptor: inmemory}
  filesystem: {rootdirectory: $dir/data}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$port
  headers: {X-Content-Type-Options: [nosniff]}
$extra
CFG
    docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
    REG_PIDS="$REG_PIDS $!"
    REG=127.0.0.1:$port
    for i in $(seq 1 300); do # up to 30 s: a loaded CI machine starts it slowly
        # shellcheck disable=SC2086
        if [ "$(curl -s $curlopt -o /dev/null -w '%{http_code}' "$scheme://$REG/v2/")" = $want ]; then
            return 0
        fi
        sleep 0.1
    done
    echo "registry did not start:" >&2
    cat "$dir/registry.log" >&2
    return 1
}
