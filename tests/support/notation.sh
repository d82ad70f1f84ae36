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
