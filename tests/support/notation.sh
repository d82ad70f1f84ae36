# A test PKI for Notation signatures, made with openssl. Source after lib.sh, cd to $T, then:
#   notation_ca NAME                 NAME-root.key/.pem: a self-signed RSA 3072 root with
#                                    critical basicConstraints CA and keyCertSign
#   notation_leaf CA NAME ARGS...    NAME.key (openssl genpkey ARGS) and NAME.pem, a code
#                                    signing certificate "C=US, ST=WA, L=Seattle,
#                                    O=Vouch Test, CN=NAME" issued by CA; NAME-chain.pem is
#                                    leaf then root; $NOTATION_EXT (lines) adds extensions
#                                    such as authorityInfoAccess or crlDistributionPoints
notation_ca() {
    openssl req -x509 -newkey rsa:3072 -nodes -keyout "$1-root.key" -out "$1-root.pem" \
        -days 3650 -subj "/C=US/ST=WA/O=Vouch Test/CN=$1 root" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

notation_leaf() {
    local ca=$1 n=$2
    shift 2
    printf '%s\n' '[leaf]' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature' \
        'extendedKeyUsage=codeSigning' ${NOTATION_EXT:+"$NOTATION_EXT"} >notation-ext.cnf
    openssl genpkey "$@" -out "$n.key" 2>/dev/null
    openssl req -new -key "$n.key" -subj "/C=US/ST=WA/L=Seattle/O=Vouch Test/CN=$n" -out "$n.csr"
    openssl x509 -req -in "$n.csr" -CA "$ca-root.pem" -CAkey "$ca-root.key" -CAcreateserial \
        -days 30 -extfile notation-ext.cnf -extensions leaf -out "$n.pem" 2>/dev/null
    cat "$n.pem" "$ca-root.pem" >"$n-chain.pem"
}

# notation_jws KEY CHAIN.pem PROTECTED-JSON PAYLOAD-JSON: a JWS envelope (PS256 with an RSA
# 2048 KEY, or PS384 with RSA 3072: the algorithm must be in PROTECTED-JSON) signed with
# openssl, the chain in x5c, on stdout. For attributes vouch sign does not write.
notation_b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
notation_jws() {
    local key=$1 chain=$2 h p md=sha256 s x5c
    h=$(printf '%s' "$3" | notation_b64url)
    p=$(printf '%s' "$4" | notation_b64url)
    case "$3" in *'"PS384"'*) md=sha384 ;; esac
    s=$(printf '%s.%s' "$h" "$p" | openssl dgst -$md -sign "$key" -sigopt rsa_padding_mode:pss \
        -sigopt rsa_pss_saltlen:digest -binary | notation_b64url)
    x5c=$(awk '/BEGIN CERT/{c=""; next} /END CERT/{print c; next} {c=c $0}' "$chain" |
        jq -Rsc 'split("\n") | map(select(. != ""))')
    jq -cn --arg p "$p" --arg h "$h" --arg s "$s" --argjson x "$x5c" \
        '{payload:$p, protected:$h, header:{x5c:$x}, signature:$s}'
}

# notation_free_port: a loopback TCP port nothing listens on now
notation_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# notation_wait_port PORT: wait (at most 10 s) until something listens on 127.0.0.1:PORT
notation_wait_port() {
    python3 - "$1" <<'PY'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
}

# notation_tsa NAME [ACCURACY]: a test timestamp authority: NAME-root.key/.pem (a root made by
# notation_ca), NAME-tsa.key/.pem (its P-256 TSA certificate: critical keyUsage
# digitalSignature, critical extendedKeyUsage timeStamping) and NAME-ts.cnf for `openssl ts
# -reply` (policy 1.2.3.4.1, sha256 ESS certificate id, openssl's "accuracy" value ACCURACY
# such as secs:3600 when given); then started with tests/support/tsa_server.py in the
# background: $NOTATION_TSA_PID, and its URL in $NOTATION_TSA_URL.
notation_tsa() {
    local n=$1 i
    notation_ca "$n"
    printf '%s\n' '[tsa]' 'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature' \
        'extendedKeyUsage=critical,timeStamping' >"$n-tsa-ext.cnf"
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$n-tsa.key" 2>/dev/null
    openssl req -new -key "$n-tsa.key" -subj "/C=US/ST=WA/O=Vouch Test/CN=$n TSA" -out "$n-tsa.csr"
    openssl x509 -req -in "$n-tsa.csr" -CA "$n-root.pem" -CAkey "$n-root.key" -CAcreateserial \
        -days 30 -extfile "$n-tsa-ext.cnf" -extensions tsa -out "$n-tsa.pem" 2>/dev/null
    echo 01 >"$n-tsaserial"
    printf '%s\n' '[tsa]' 'default_tsa = t' '[t]' "serial = $PWD/$n-tsaserial" \
        "signer_cert = $PWD/$n-tsa.pem" "certs = $PWD/$n-root.pem" "signer_key = $PWD/$n-tsa.key" \
        'signer_digest = sha256' 'default_policy = 1.2.3.4.1' 'digests = sha256, sha384, sha512' \
        ${2:+"accuracy = $2"} 'ordering = no' 'tsa_name = no' 'ess_cert_id_chain = no' \
        'ess_cert_id_alg = sha256' >"$n-ts.cnf"
    rm -f "$n-tsa.port"
    python3 "$VOUCH_SRC/tests/support/tsa_server.py" "$PWD/$n-ts.cnf" "$PWD/$n-tsa.port" \
        600 2>"$n-tsa.log" &
    NOTATION_TSA_PID=$!
    for i in $(seq 1 100); do [ -s "$n-tsa.port" ] && break; sleep 0.1; done
    NOTATION_TSA_URL=http://127.0.0.1:$(cat "$n-tsa.port")/
}
