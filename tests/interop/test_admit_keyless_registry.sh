#!/usr/bin/env bash
# Keyless authorities over a real Distribution registry, for `vouch admit` and `vouch webhook
# serve`: sigstore-conformance's keyless DSSE bundle (happy-path-intoto-in-dsse-v3: SLSA v1
# provenance about a.txt, signed in GitHub Actions by the conformance beacon workflow,
# Rekor v1) attached as an OCI referrer of the digest it names, and containers/image's real
# keyless .sig image (testvectors/containers-image-fulcio/) pushed with skopeo. The right
# identity admits and names signer, issuer and log index; another subject, issuer, regex or
# GitHub claim, and a tampered bundle, deny; the webhook replays a Pod CREATE under the same
# rules with exact responses.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
. "$VOUCH_SRC/tests/support/webhook.sh"
WH_PID=""
trap 'registry_stop; [ -n "$WH_PID" ] && kill "$WH_PID" 2>/dev/null; wait 2>/dev/null' EXIT
cd "$T" || exit 1
CONF=$VECTORS/sigstore-conformance
ROOT=$CONF/trusted-roots/public-good.trusted_root.json
BUNDLE=$CONF/happy-path-intoto-in-dsse-v3/bundle.sigstore.json
SUBJ=sha256:$(sha256sum "$CONF/a.txt" | cut -c1-64)
GHA=https://token.actions.githubusercontent.com
BEACON=https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main
FIX=$VECTORS/containers-image-fulcio/dir-img-cosign-fulcio-rekor-valid
BMT=application/vnd.dev.sigstore.bundle.v0.3+json
MT=application/vnd.oci.image.manifest.v1+json
IT=application/vnd.oci.image.index.v1+json
EMPTY=sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a

blob_push() { # REPO FILE
    local loc d
    d=sha256:$(sha256sum "$2" | cut -d' ' -f1)
    loc=$(curl -sf -D - -o /dev/null -X POST "http://$REG/v2/$1/blobs/uploads/" |
        tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
    case $loc in http*) ;; *) loc=http://$REG$loc ;; esac
    case $loc in *\?*) loc="$loc&" ;; *) loc="$loc?" ;; esac
    curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$2" \
        "${loc}digest=$d" >/dev/null
}
attach() { # REPO SUBJECT_DIGEST BUNDLE_FILE: a bundle referrer alone in the referrers tag
    local bd rd
    printf '{}' >empty
    blob_push "$1" empty && blob_push "$1" "$3" || return 1
    bd=sha256:$(sha256sum "$3" | cut -d' ' -f1)
    jq -cn --arg bd "$bd" --argjson bs "$(stat -c %s "$3")" --arg sd "$2" --arg bmt $BMT \
        --arg e $EMPTY --arg mt $MT '{schemaVersion:2, mediaType:$mt, artifactType:$bmt,
        config:{mediaType:"application/vnd.oci.empty.v1+json", digest:$e, size:2},
        layers:[{mediaType:$bmt, digest:$bd, size:$bs}], subject:{mediaType:$mt, digest:$sd, size:1}}' >ref.json
    rd=sha256:$(sha256sum ref.json | cut -d' ' -f1)
    curl -sf -X PUT -H "Content-Type: $MT" --data-binary @ref.json \
        "http://$REG/v2/$1/manifests/$rd" >/dev/null || return 1
    jq -cn --arg rd "$rd" --argjson rs "$(stat -c %s ref.json)" --arg bmt $BMT --arg mt $MT \
        --arg it $IT '{schemaVersion:2, mediaType:$it,
        manifests:[{mediaType:$mt, digest:$rd, size:$rs, artifactType:$bmt}]}' >idx.json
    curl -sf -X PUT -H "Content-Type: $IT" --data-binary @idx.json \
        "http://$REG/v2/$1/manifests/sha256-${2#sha256:}" >/dev/null
}

registry_start plain || { bad "start registry"; finish; exit 1; }
attach att "$SUBJ" "$BUNDLE" || bad "attach the conformance bundle"
# the same bundle with one bit of its DSSE signature flipped
jq '.dsseEnvelope.signatures[0].sig |= (@base64d | explode | .[10] = ((.[10] + 1) % 256) | implode | @base64)' \
    "$BUNDLE" >tampered.json 2>/dev/null || python3 - "$BUNDLE" <<'PY'
import base64, json, sys
b = json.load(open(sys.argv[1]))
s = bytearray(base64.b64decode(b["dsseEnvelope"]["signatures"][0]["sig"]))
s[10] ^= 1
b["dsseEnvelope"]["signatures"][0]["sig"] = base64.b64encode(bytes(s)).decode()
json.dump(b, open("tampered.json", "w"))
PY
attach bad "$SUBJ" tampered.json || bad "attach the tampered bundle"
python3 "$VOUCH_SRC/tests/support/keyless_layout.py" "$FIX" lay none >sigdig || bad "keyless layout"
SIGDIG=$(cat sigdig)
# only the .sig image: the fixture keeps the image manifest without its layers, so the image
# is named by digest (which needs no manifest fetch)
SIGTAG=${SIGDIG/:/-}.sig
skopeo copy --preserve-digests --dest-tls-verify=false "oci:lay:$SIGTAG" "docker://$REG/sig:$SIGTAG" \
    >skopeo.log 2>&1 || bad "skopeo push $SIGTAG: $(tail -1 skopeo.log)"
cp "$ROOT" root.json

# policy ATT-IDENTITY SIG-IDENTITY: keyless provenance for att/bad, a keyless .sig for sig
policy() {
    cat >p.yaml <<P
apiVersion: vouch.dev/policy/v1
rules:
  - name: built
    images: ["$REG/att", "$REG/bad"]
    attestations:
      - type: slsaprovenance1
        keyless:
          trustedRoot: root.json
          identities: [$1]
        sourceUri: "https://github.com/loosebazooka/aa-test"
  - name: signed
    images: ["$REG/sig"]
    signatures:
      keyless:
        trustedRoot: root.json
        identities: [$2]
P
}
good_att="{issuer: \"$GHA\", subject: \"$BEACON\"}"
good_sig="{issuer: https://github.com/login/oauth, subject: mitr@redhat.com}"
admit() { run "$VOUCH" admit --allow-insecure-registry --policy p.yaml "$@"; }

policy "$good_att" "$good_sig"
admit "$REG/att@$SUBJ"
expect_rc 0 "a keyless DSSE attestation by the right workflow admits"
expect_match "$OUT" "pass  built/attestations\[0\]: verified https://slsa.dev/provenance/v1 attestation by $BEACON \(issuer $GHA, log index 155690850\) meets 1 condition\(s\)" \
    "the reason names signer, issuer and log index"
admit --output json "$REG/att@$SUBJ"
expect_eq "$(jq -c '.results[0].reasons[] | select(.requirement == "attestations[0]") | .signer' out)" \
    "{\"identity\":\"$BEACON\",\"issuer\":\"$GHA\",\"logIndex\":155690850,\"integratedTime\":1734374576}" \
    "json: the signer"
admit "$REG/bad@$SUBJ"
expect_rc 1 "a tampered bundle denies"
expect_match "$OUT" "FAIL  built/attestations\[0\]: no https://slsa.dev/provenance/v1 attestation verified for subject '$BEACON', issuer '$GHA'" \
    "tampered: reason"
admit "$REG/sig@$SIGDIG"
expect_rc 0 "a keyless .sig signature at the registry admits"
expect_match "$OUT" "pass  signed/signatures.keyless: keyless signature by mitr@redhat.com \(issuer https://github.com/login/oauth, log index [0-9]+\) verified" \
    "the .sig signer"

policy "{issuer: \"$GHA\", subject: \"https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main\"}" "$good_sig"
admit "$REG/att@$SUBJ"
expect_rc 1 "another workflow denies"
policy "{issuer: https://accounts.google.com, subject: \"$BEACON\"}" "$good_sig"
admit "$REG/att@$SUBJ"
expect_rc 1 "another issuer denies"
policy "{issuer: \"$GHA\", subjectRegExp: '^https://github\\.com/acme/'}" "$good_sig"
admit "$REG/att@$SUBJ"
expect_rc 1 "a subject regexp that does not match denies"
policy "{issuerRegExp: '^https://token\\.actions\\.', subjectRegExp: '^https://github\\.com/sigstore-conformance/'}" "$good_sig"
admit "$REG/att@$SUBJ"
expect_rc 0 "issuer and subject regexps admit"
policy "{issuer: \"$GHA\", subject: \"$BEACON\", githubWorkflowRepository: sigstore-conformance/extremely-dangerous-public-oidc-beacon, githubWorkflowRef: refs/heads/main}" "$good_sig"
admit "$REG/att@$SUBJ"
expect_rc 0 "matching GitHub claims admit"
policy "{issuer: \"$GHA\", subject: \"$BEACON\", githubWorkflowRepository: acme/app}" "$good_sig"
admit "$REG/att@$SUBJ"
expect_rc 1 "another GitHub repository claim denies"
# a provenance attestation is not an image signature
policy "$good_att" "{issuer: \"$GHA\", subject: \"$BEACON\"}"
sed -i "s|images: \\[\"$REG/sig\"\\]|images: [\"$REG/att\"]|; s|  - name: built|  - name: built-unused|; s|images: \\[\"$REG/att\", \"$REG/bad\"\\]|images: [\"$REG/none\"]|" p.yaml
admit "$REG/att@$SUBJ"
expect_rc 1 "a DSSE provenance bundle is not a keyless signature"
expect_match "$OUT" "FAIL  signed/signatures.keyless: no keyless signature verified" "not a signature: reason"

# --- the webhook: a Pod CREATE replayed under the same rules
policy "$good_att" "$good_sig"
webhook_self_signed wh.key wh.pem
"$VOUCH" webhook serve --registry --allow-insecure-registry --policy p.yaml --tls-cert wh.pem \
    --tls-key wh.key --listen 127.0.0.1:0 2>wh.err &
WH_PID=$!
WPORT=$(webhook_port wh.err)
expect_match "$WPORT" "^[0-9]+$" "webhook started"
POD=$VECTORS/k8s/admissionreview-pod-create.json
review() { # UID IMAGE: /validate response in resp.json
    jq -c --arg uid "$1" --arg img "$2" '.request.uid=$uid | .request.object.spec.containers[0].image=$img' \
        "$POD" >req.json
    curl -sS --cacert wh.pem -H 'Content-Type: application/json' --data-binary @req.json \
        "https://127.0.0.1:$WPORT/validate?timeout=10s" >resp.json
}
allow() { printf '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"%s","allowed":true}}' "$1"; }
deny() { printf '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"%s","allowed":false,"status":{"code":403,"reason":"Forbidden","message":"%s"}}}' "$1" "$2"; }
review k1 "$REG/att@$SUBJ"
expect_eq "$(cat resp.json)" "$(allow k1)" "webhook: keyless provenance admits"
review k2 "$REG/bad@$SUBJ"
expect_eq "$(cat resp.json)" "$(deny k2 "spec.containers[0].image '$REG/bad@$SUBJ': built/attestations[0]: no https://slsa.dev/provenance/v1 attestation verified for subject '$BEACON', issuer '$GHA'")" \
    "webhook: the tampered bundle denies"
review k3 "$REG/sig@$SIGDIG"
expect_eq "$(cat resp.json)" "$(allow k3)" "webhook: the keyless .sig admits"
kill -TERM "$WH_PID"
wait "$WH_PID"
WH_PID=""
finish
