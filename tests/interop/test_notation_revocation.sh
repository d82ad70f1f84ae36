#!/usr/bin/env bash
# vouch verify --format notation checks revocation online: a test CA made here by openssl,
# signing certificates naming a real `openssl ocsp` responder (AIA) and a CRL served over
# loopback HTTP by python3 -m http.server (CDP); good, revoked (strict refuses, permissive
# logs), unreachable (unknown: strict refuses, permissive logs), OCSP unreachable falling back
# to the CRL, and --offline (unknown, logged where the level logs revocation).
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/notation.sh"
cd "$T" || exit 1
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT
NV=$SHARED/vectors/notation
D=sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0
fresh() { rm -rf "$1" && cp -r "$NV/internal/testdata/oci-layout" "$1" && chmod -R u+w "$1"; }
policy() { # LEVEL [OVERRIDE-JSON]
    jq -cn --arg l "$1" --argjson o "${2:-null}" '{version:"1.0", trustPolicies:[{name:"p",
        registryScopes:["*"], signatureVerification:({level:$l} + (if $o then {override:$o}
        else {} end)), trustStores:["ca:rev"], trustedIdentities:["*"]}]}' >"$T/tp.json"
}
verify() { run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts "$@"; }

P_OCSP=$(notation_free_port)
P_CRL=$(notation_free_port)
P_DEAD=$(notation_free_port)
OCSP=http://127.0.0.1:$P_OCSP
CRL=http://127.0.0.1:$P_CRL/rev.crl
DEAD=http://127.0.0.1:$P_DEAD

notation_ca rev
mkdir -p ts/x509/ca/rev www
cp rev-root.pem ts/x509/ca/rev/
leaf() { # NAME EXTENSION-LINES: a P-256 signing certificate with them, and a layout it signs
    NOTATION_EXT=$2 notation_leaf rev "$1" -algorithm EC -pkeyopt ec_paramgen_curve:P-256
    fresh "lay-$1"
    "$VOUCH" sign --format notation --key "$1.key" --certificate "$1-chain.pem" \
        "oci-dir:lay-$1@$D" 2>/dev/null || bad "sign with $1"
}
leaf ocsp-good "authorityInfoAccess=OCSP;URI:$OCSP"
leaf ocsp-revoked "authorityInfoAccess=OCSP;URI:$OCSP"
leaf crl-good "crlDistributionPoints=URI:$CRL"
leaf crl-revoked "crlDistributionPoints=URI:$CRL"
leaf dead "authorityInfoAccess=OCSP;URI:$DEAD
crlDistributionPoints=URI:$DEAD/rev.crl"
leaf fallback "authorityInfoAccess=OCSP;URI:$DEAD
crlDistributionPoints=URI:$CRL"

# the CA's database: every certificate valid but the two revoked ones
: >index.txt
printf 'unique_subject = no\n' >index.txt.attr
for n in ocsp-good ocsp-revoked crl-good crl-revoked dead fallback; do
    serial=$(openssl x509 -in "$n.pem" -noout -serial | sed 's/serial=//')
    end=$(date -u -d "$(openssl x509 -in "$n.pem" -noout -enddate | sed 's/notAfter=//')" \
        +%y%m%d%H%M%SZ)
    subj=$(openssl x509 -in "$n.pem" -noout -subject -nameopt compat | sed 's/subject=//')
    case $n in
    *-revoked) printf 'R\t%s\t%s\t%s\tunknown\t%s\n' "$end" "$(date -u +%y%m%d%H%M%SZ)" \
        "$serial" "$subj" >>index.txt ;;
    *) printf 'V\t%s\t\t%s\tunknown\t%s\n' "$end" "$serial" "$subj" >>index.txt ;;
    esac
done
printf '%s\n' '[ca]' 'default_ca = d' '[d]' 'database = index.txt' 'crlnumber = crlnumber' \
    'default_md = sha256' 'default_crl_days = 1' 'certificate = rev-root.pem' \
    'private_key = rev-root.key' >ca.cnf
echo 01 >crlnumber
openssl ca -gencrl -config ca.cnf -out rev.crl.pem 2>ca.log || bad "openssl ca -gencrl"
openssl crl -in rev.crl.pem -outform DER -out www/rev.crl

# openssl 3.0's responder takes a port only; it is asked over loopback alone
openssl ocsp -index index.txt -port "$P_OCSP" -rsigner rev-root.pem \
    -rkey rev-root.key -CA rev-root.pem -nmin 60 >ocsp.log 2>&1 &
PIDS+=($!)
python3 -m http.server "$P_CRL" --bind 127.0.0.1 --directory www >http.log 2>&1 &
PIDS+=($!)
# (a probe connection that sends nothing would hold the one-at-a-time responder: its log says
# when it listens)
for _ in $(seq 1 100); do grep -q 'waiting for OCSP client' ocsp.log && break; sleep 0.1; done
grep -q 'waiting for OCSP client' ocsp.log || bad "the OCSP responder listens"
notation_wait_port "$P_CRL" || bad "the CRL server listens"
expect_eq "$(openssl ocsp -issuer rev-root.pem -cert ocsp-revoked.pem -url "$OCSP" \
    -CAfile rev-root.pem 2>/dev/null | grep -c ': revoked')" 1 "openssl ocsp itself says revoked"

policy strict
verify --output json "oci-dir:lay-ocsp-good@$D"
expect_rc 0 "OCSP good: verified under strict"
expect_eq "$(jq -r '.signatures[0].checks.revocation | [.action, .outcome] | join(" ")' \
    "$T/out")" "enforce pass" "OCSP good: revocation enforced and passed"
verify "oci-dir:lay-ocsp-revoked@$D"
expect_rc 1 "OCSP revoked: refused under strict"
expect_one_line_err "OCSP revoked"
expect_match "$ERR" "revocation: certificate \"CN=ocsp-revoked,O=Vouch Test,L=Seattle,ST=WA,C=US\" \
is revoked \(OCSP, '$OCSP'" "OCSP revoked: names the certificate and the responder"
verify "oci-dir:lay-crl-good@$D"
expect_rc 0 "CRL good: verified under strict"
verify "oci-dir:lay-crl-revoked@$D"
expect_rc 1 "CRL revoked: refused under strict"
expect_match "$ERR" "is revoked \(CRL '$CRL'\)" "CRL revoked: names the CRL"
verify "oci-dir:lay-fallback@$D"
expect_rc 0 "OCSP unreachable, CRL good: the CRL decides"
verify --output json "oci-dir:lay-dead@$D"
expect_rc 1 "OCSP and CRL unreachable: unknown is refused under strict"
expect_one_line_err "unreachable"
expect_eq "$(jq -r '.signatures[0].checks.revocation | [.outcome, .detail] | join(" ")' \
    "$T/out")" "unknown revocation status of certificate \"CN=dead,O=Vouch Test,L=Seattle,ST=WA,\
C=US\" is unknown: CRL '$DEAD/rev.crl': Couldn't connect to server" \
    "unreachable: unknown, the last location tried and why"
verify --output json "oci-dir:lay-ocsp-good@$D" --offline
expect_rc 1 "--offline: unknown is refused under strict"
expect_eq "$(jq -r '.signatures[0].checks.revocation.detail' "$T/out")" "revocation status of \
certificate \"CN=ocsp-good,O=Vouch Test,L=Seattle,ST=WA,C=US\" is unknown: OCSP and CRL are not \
checked offline" "--offline: says so"

policy permissive
verify --output json "oci-dir:lay-dead@$D"
expect_rc 0 "unreachable: unknown is logged under permissive"
expect_eq "$(jq -r '.signatures[0].checks.revocation | [.action, .outcome] | join(" ")' \
    "$T/out")" "log unknown" "unreachable under permissive: logged unknown in JSON"
verify "oci-dir:lay-ocsp-revoked@$D"
expect_rc 0 "revoked is logged under permissive (the spec's level table)"
expect_match "$ERR" "warning: .*revocation fail \(logged under permissive\): certificate .* is \
revoked \(OCSP" "revoked under permissive: warning"
policy strict '{"revocation":"skip"}'
verify --output json "oci-dir:lay-ocsp-revoked@$D"
expect_rc 0 "override revocation skip: not checked"
expect_eq "$(jq -r '.signatures[0].checks.revocation.outcome' "$T/out")" "not run" \
    "skip: revocation not run"
policy strict '{"revocation":"log"}'
verify "oci-dir:lay-crl-good@$D" --offline
expect_rc 0 "--offline with revocation logged"
expect_match "$ERR" "warning: .*revocation unknown \(logged under strict\)" "--offline: warning"
finish
