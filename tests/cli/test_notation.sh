#!/usr/bin/env bash
# vouch verify/sign --format notation over OCI layouts: the Notary Project's own JWS and COSE
# envelopes over its oci-layout image (shared/vectors/notation) attached as referrers,
# vouch-signed JWS and COSE signatures with a test CA made here by openssl, the verdicts per
# level (wrong trust store, wrong identity, expired), mutated envelopes refused, the JSON
# report, the byte layout of the protected header against notation's, usage errors.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/notation.sh"
cd "$T" || exit 1
NV=$SHARED/vectors/notation
D=sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0
MT=application/vnd.oci.image.manifest.v1+json
IT=application/vnd.oci.image.index.v1+json
EMPTY=sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a

fresh() { rm -rf "$1" && cp -r "$NV/internal/testdata/oci-layout" "$1" && chmod -R u+w "$1"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
b64url_decode() { local s=$1; while [ $((${#s} % 4)) -ne 0 ]; do s="$s="; done
    printf '%s' "$s" | tr '_-' '/+' | base64 -d; }

# attach LAYOUT ENVELOPE MEDIATYPE: a Notation signature manifest alone in the referrers tag
attach() {
    local lay=$1 env=$2 emt=$3 ed man md idx id
    ed=$(sha "$env")
    cp "$env" "$lay/blobs/sha256/$ed"
    printf '{}' >"$lay/blobs/sha256/${EMPTY#sha256:}"
    jq -cn --arg ed "sha256:$ed" --argjson es "$(stat -c %s "$env")" --arg emt "$emt" \
        --arg e $EMPTY --arg mt $MT --arg d $D '{schemaVersion:2, mediaType:$mt,
        artifactType:"application/vnd.cncf.notary.signature", config:{mediaType:
        "application/vnd.oci.empty.v1+json", digest:$e, size:2}, layers:[{mediaType:$emt,
        digest:$ed, size:$es}], subject:{mediaType:$mt, digest:$d, size:481}}' >"$T/man.json"
    md=$(sha "$T/man.json")
    cp "$T/man.json" "$lay/blobs/sha256/$md"
    jq -cn --arg md "sha256:$md" --argjson ms "$(stat -c %s "$T/man.json")" --arg mt $MT \
        --arg it $IT '{schemaVersion:2, mediaType:$it, manifests:[{mediaType:$mt, digest:$md,
        size:$ms, artifactType:"application/vnd.cncf.notary.signature"}]}' >"$T/idx.json"
    id=$(sha "$T/idx.json")
    cp "$T/idx.json" "$lay/blobs/sha256/$id"
    jq --arg id "sha256:$id" --argjson is "$(stat -c %s "$T/idx.json")" --arg it $IT \
        --arg tag "sha256-${D#sha256:}" '.manifests += [{mediaType:$it, digest:$id, size:$is,
        annotations:{"org.opencontainers.image.ref.name":$tag}}]' "$lay/index.json" >"$T/i.json"
    cp "$T/i.json" "$lay/index.json"
}

policy() { # LEVEL STORES IDENTITY [OVERRIDE-JSON]
    jq -cn --arg l "$1" --argjson s "$2" --arg i "$3" --argjson o "${4:-null}" \
        '{version:"1.0", trustPolicies:[{name:"p", registryScopes:["*"],
        signatureVerification:({level:$l} + (if $o then {override:$o} else {} end)),
        trustStores:$s, trustedIdentities:[$i]}]}' >"$T/tp.json"
}

# --- the Notary Project's envelopes over its layout, trusted through their own leaf
mkdir -p store/x509/ca/alpine
jq -r '.header.x5c[0]' "$NV/internal/testdata/jws_signature.sig" | base64 -d |
    openssl x509 -inform DER -out store/x509/ca/alpine/alpine.pem
for e in jws:application/jose+json cose:application/cose; do
    name=${e%%:*}
    fresh "lay-$name"
    attach "lay-$name" "$NV/internal/testdata/${name}_signature.sig" "${e#*:}"
    policy strict '["ca:alpine"]' "x509.subject:C=US,ST=WA,O=Notary,CN=alpine"
    run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store store \
        --output json "oci-dir:lay-$name@$D"
    expect_rc 0 "notation's $name envelope verifies with a store holding its leaf"
    expect_eq "$(jq -r '.signatures[0] | [.envelope, .signingScheme, .subject, .verified] |
        join(" ")' "$T/out")" "${e#*:} notary.x509 CN=alpine,O=Notary,L=Seattle,ST=WA,C=US true" \
        "$name: JSON report names envelope, scheme, subject"
    run "$VOUCH" verify --trust-policy tp.json --trust-store "$NV/verifier/testdata/truststore" \
        "oci-dir:lay-$name@$D"
    expect_rc 2 "$name: the policy's store is missing from notation's trust store"
    expect_one_line_err "$name: missing store"
    policy strict '["ca:valid-trust-store"]' "*"
    run "$VOUCH" verify --trust-policy tp.json --trust-store "$NV/verifier/testdata/truststore" \
        "oci-dir:lay-$name@$D"
    expect_rc 1 "$name: the wrong trust store is refused under strict"
    expect_match "$ERR" "authenticity: the signature's certificate chain does not contain any \
trusted certificate" "$name: says why"
    policy audit '["ca:valid-trust-store"]' "*"
    run "$VOUCH" verify --trust-policy tp.json --trust-store "$NV/verifier/testdata/truststore" \
        "oci-dir:lay-$name@$D"
    expect_rc 0 "$name: the wrong trust store is only logged under audit"
    expect_match "$ERR" "warning: .*authenticity fail \(logged under audit\)" "$name: warning"
done

# --- a test CA
notation_ca test
notation_ca other
notation_leaf test rsa -algorithm RSA -pkeyopt rsa_keygen_bits:3072
notation_leaf test ec -algorithm EC -pkeyopt ec_paramgen_curve:P-256
notation_leaf other stranger -algorithm EC -pkeyopt ec_paramgen_curve:P-384
mkdir -p ts/x509/ca/test ts/x509/ca/other ts/x509/tsa/none
cp test-root.pem ts/x509/ca/test/
cp other-root.pem ts/x509/ca/other/
ID="x509.subject:C=US,ST=WA,O=Vouch Test"

for k in rsa:jws:PS384 ec:cose:ES256 ec:jws:ES256; do
    IFS=: read -r key env alg <<<"$k"
    lay=s-$key-$env
    fresh "$lay"
    run "$VOUCH" sign --format notation --envelope "$env" --key "$key.key" \
        --certificate "$key-chain.pem" "oci-dir:$lay:v2"
    expect_rc 0 "$key/$env: sign"
    expect_match "$ERR" "Pushed Notation signature" "$key/$env: says where"
    policy strict '["ca:test"]' "$ID, CN=$key"
    run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts \
        --output json "oci-dir:$lay:v2"
    expect_rc 0 "$key/$env: verify"
    expect_eq "$(jq -r '[.policy, .level, .verified, .signatures[0].issuer,
        ([.signatures[0].checks[] | .outcome] | join(","))] | join(" ")' "$T/out")" \
        "p strict true CN=test root,O=Vouch Test,ST=WA,C=US pass,pass,pass,pass,pass" \
        "$key/$env: JSON: policy, level, issuer, each check"
    # the referrer manifest and its envelope layer
    sig=$(jq -r '.signatures[0].digest' "$T/out")
    man=$lay/blobs/sha256/${sig#sha256:}
    expect_eq "$(jq -r '[.artifactType, .config.mediaType, (.layers | length),
        .layers[0].mediaType, .subject.digest] | join(" ")' "$man")" \
        "application/vnd.cncf.notary.signature application/vnd.oci.empty.v1+json 1 \
application/$([ "$env" = jws ] && echo jose+json || echo cose) $D" "$key/$env: signature manifest"
    expect_eq "$(jq -r '.annotations["io.cncf.notary.x509chain.thumbprint#S256"] | fromjson |
        .[0]' "$man")" "$(openssl x509 -in "$key.pem" -noout -fingerprint -sha256 |
        sed 's/.*=//; s/://g')" "$key/$env: thumbprint annotation names the leaf"
    envblob=$lay/blobs/sha256/$(jq -r '.layers[0].digest' "$man" | sed 's/sha256://')
    if [ "$env" = jws ]; then
        # byte layout: the protected header has notation's members in notation's order
        expect_eq "$(b64url_decode "$(jq -r .protected "$envblob")" |
            jq -c 'del(."io.cncf.notary.signingTime")')" \
            "{\"alg\":\"$alg\",\"crit\":[\"io.cncf.notary.signingScheme\"],\"cty\":\"application/vnd.cncf.notary.payload.v1+json\",\"io.cncf.notary.signingScheme\":\"notary.x509\"}" \
            "$key/$env: protected header as notation writes it"
        expect_eq "$(jq -c 'keys_unsorted' "$envblob")" \
            '["payload","protected","header","signature"]' "$key/$env: envelope members"
        expect_eq "$(b64url_decode "$(jq -r .payload "$envblob")")" \
            "{\"targetArtifact\":{\"digest\":\"$D\",\"mediaType\":\"$MT\",\"size\":481}}" \
            "$key/$env: payload names the manifest"
        # mutated: the payload names another size; the blob is rewritten under its digest
        jq -c --arg p "$(printf '{"targetArtifact":{"digest":"%s","mediaType":"%s","size":482}}' \
            "$D" "$MT" | base64 -w0 | tr '+/' '-_' | tr -d '=')" '.payload = $p' "$envblob" >mut.json
    else
        # mutated: one byte of the COSE signature flipped
        cp "$envblob" mut.json
        printf '\x00' | dd of=mut.json bs=1 seek=$(($(stat -c %s mut.json) - 5)) conv=notrunc 2>/dev/null
    fi
    fresh "m-$lay"
    attach "m-$lay" mut.json "application/$([ "$env" = jws ] && echo jose+json || echo cose)"
    run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts "oci-dir:m-$lay@$D"
    expect_rc 1 "$key/$env: mutated envelope refused"
    expect_match "$ERR" "integrity: signature is invalid" "$key/$env: integrity fails"
    policy audit '["ca:test"]' "$ID, CN=$key"
    run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts "oci-dir:m-$lay@$D"
    expect_rc 1 "$key/$env: mutated envelope refused even under audit"
    # tampered envelope blob under its old digest: the layout's digest check refuses it
    chmod u+w "$envblob" && printf 'x' >>"$envblob"
    run "$VOUCH" verify --format notation --trust-policy tp.json --trust-store ts "oci-dir:$lay:v2"
    expect_rc 1 "$key/$env: truncated/extended envelope blob refused"
done

# --- identities, stores and levels on one vouch-signed layout
fresh lev
"$VOUCH" sign --format notation --expiry 1s --key ec.key --certificate ec-chain.pem \
    "oci-dir:lev@$D" 2>/dev/null
sleep 2
policy strict '["ca:test"]' "$ID, CN=ec"
run "$VOUCH" verify --trust-policy tp.json --trust-store ts "oci-dir:lev@$D"
expect_rc 1 "expired signature refused under strict"
expect_match "$ERR" "expiry: digital signature has expired on" "says it expired"
policy permissive '["ca:test"]' "$ID, CN=ec"
run "$VOUCH" verify --trust-policy tp.json --trust-store ts "oci-dir:lev@$D"
expect_rc 0 "expired signature logged under permissive"
expect_match "$ERR" "warning: .*expiry fail \(logged under permissive\)" "expiry warning"
policy strict '["ca:test"]' "$ID, CN=ec" '{"expiry":"log"}'
run "$VOUCH" verify --trust-policy tp.json --trust-store ts "oci-dir:lev@$D"
expect_rc 0 "strict with override expiry=log"
policy strict '["ca:test"]' "$ID, CN=rsa"
run "$VOUCH" verify --trust-policy tp.json --trust-store ts "oci-dir:lev@$D"
expect_rc 1 "another identity refused"
policy strict '["ca:other"]' "*"
run "$VOUCH" verify --trust-policy tp.json --trust-store ts "oci-dir:lev@$D"
expect_rc 1 "another CA refused"
policy audit '["ca:other"]' "*" '{"expiry":"log"}'
run "$VOUCH" verify --trust-policy tp.json --trust-store ts --output json "oci-dir:lev@$D"
expect_rc 0 "audit logs authenticity and expiry"
expect_eq "$(jq -r '[.signatures[0].checks | .authenticity.outcome, .expiry.outcome,
    .authenticity.action] | join(",")' "$T/out")" "fail,fail,log" "audit: both logged in JSON"
policy strict '["ca:test","tsa:none"]' "*" '{"expiry":"log"}'
run "$VOUCH" verify --trust-policy tp.json --trust-store ts "oci-dir:lev@$D"
expect_rc 1 "a tsa store in the policy requires a countersignature"
expect_match "$ERR" "no timestamp countersignature was found" "says none was found"
jq -cn '{version:"1.0", trustPolicies:[{name:"s", registryScopes:["*"],
    signatureVerification:{level:"skip"}}]}' >skip.json
fresh unsigned
run "$VOUCH" verify --trust-policy skip.json --trust-store ts "oci-dir:unsigned@$D"
expect_rc 0 "skip: an unsigned image passes"
policy strict '["ca:test"]' "*"
run "$VOUCH" verify --trust-policy tp.json --trust-store ts "oci-dir:unsigned@$D"
expect_rc 1 "strict: an unsigned image is refused"
expect_match "$ERR" "no Notation signature found" "says none was found"
jq -cn '{version:"1.0", trustPolicies:[{name:"r", registryScopes:["registry.example/app"],
    signatureVerification:{level:"strict"}, trustStores:["ca:test"], trustedIdentities:["*"]}]}' \
    >scoped.json
run "$VOUCH" verify --trust-policy scoped.json --trust-store ts "oci-dir:lev@$D"
expect_rc 1 "no statement applies to the layout"
expect_match "$ERR" "has no applicable trust policy statement" "says so"
run "$VOUCH" verify --trust-policy scoped.json --trust-store ts --scope registry.example/app \
    "oci-dir:lev@$D"
expect_rc 1 "--scope selects the statement (then expiry refuses)"

# --- no --format, --key or trust flags: the image's Notation referrers select Notation,
# with notation's own configuration folder
mkdir -p cfg/notation && cp -r ts cfg/notation/truststore
policy strict '["ca:test"]' "*" '{"expiry":"log"}'
cp tp.json cfg/notation/trustpolicy.json
run env XDG_CONFIG_HOME="$T/cfg" "$VOUCH" verify "oci-dir:lev@$D"
expect_rc 0 "detected by artifact type, notation's default trust policy and store"
expect_match "$OUT" "^Successfully verified signature for oci-dir:lev@$D" "detected: report"
run env XDG_CONFIG_HOME="$T/cfg" "$VOUCH" verify "oci-dir:unsigned@$D"
expect_rc 2 "no Notation referrers and no --key: usage error"

# --- usage and bad input
run "$VOUCH" sign --format notation --key ec.key "oci-dir:lev@$D"
expect_rc 2 "sign without --certificate"
run "$VOUCH" sign --format notation --key rsa.key --certificate ec-chain.pem "oci-dir:lev@$D"
expect_rc 2 "key does not match the certificate"
expect_one_line_err "key/certificate mismatch"
run "$VOUCH" verify --format cosign --trust-policy tp.json "oci-dir:lev@$D"
expect_rc 2 "notation flags with --format cosign"
printf '{"version":"2.0","trustPolicies":[]}' >bad.json
run "$VOUCH" verify --trust-policy bad.json --trust-store ts "oci-dir:lev@$D"
expect_rc 2 "unsupported trust policy version"
expect_one_line_err "bad trust policy"
run "$VOUCH" verify --format notation --trust-policy missing.json --trust-store ts "oci-dir:lev@$D"
expect_rc 2 "missing trust policy file"
finish
