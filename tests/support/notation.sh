# A test PKI for Notation signatures, made with openssl. Source after lib.sh, cd to $T, then:
#   notation_ca NAME                 NAME-root.key/.pem: a self-signed RSA 3072 root with
#                                    critical basicConstraints CA and keyCertSign
#   notation_leaf CA NAME ARGS...    NAME.key (openssl genpkey ARGS) and NAME.pem, a code
#                                    signing certificate "C=US, ST=WA, L=Seattle,
#                                    O=Vouch Test, CN=NAME" issued by CA; NAME-chain.pem is
#                                    leaf then root
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
        'extendedKeyUsage=codeSigning' >notation-ext.cnf
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
