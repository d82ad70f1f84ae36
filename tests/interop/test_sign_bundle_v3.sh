# vouch sign --bundle-format v3 (cosign v3's bundle form, signing.md §2.3) against a real
# registry without the referrers API: the referrer manifest and the sha256-<hex> referrers
# tag index; vouch verify accepts it and rejects wrong key, tampered bundle, other image;
# the pushed bundle verifies with @sigstore/verify offline.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
trap registry_stop EXIT
export VOUCH_PASSWORD=test-pass
export NODE_PATH=$VOUCH_SRC/tests/interop/npm/node_modules
BMT=application/vnd.dev.sigstore.bundle.v0.3+json
MT=application/vnd.oci.image.manifest.v1+json
IT=application/vnd.oci.image.index.v1+json
EMPTY=sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a
if [ ! -d "$NODE_PATH/@sigstore/verify" ]; then
    bad "npm peers missing: run 'bash scripts/setup.sh'"
    finish
    exit 1
fi

get() { curl -sf -H "Accept: $MT, $IT" "http://$REG/v2/$1/manifests/$2"; }
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
attach() { # REPO SUBJECT_DIGEST BUNDLE_FILE: a referrer alone in the referrers tag
    local bd bs sd ss rd
    printf '{}' >"$T/empty"
    blob_push "$1" "$T/empty" && blob_push "$1" "$3" || return 1
    bd=sha256:$(sha256sum "$3" | cut -d' ' -f1)
    bs=$(stat -c %s "$3")
    ss=$(get "$1" "$2" | wc -c)
    jq -cn --arg bd "$bd" --argjson bs "$bs" --arg sd "$2" --argjson ss "$ss" \
        --arg bmt $BMT --arg e $EMPTY --arg mt $MT '{schemaVersion:2, mediaType:$mt,
        artifactType:$bmt, config:{mediaType:"application/vnd.oci.empty.v1+json",
        digest:$e, size:2}, layers:[{mediaType:$bmt, digest:$bd, size:$bs}],
        subject:{mediaType:$mt, digest:$sd, size:$ss}}' >"$T/ref.json"
    rd=sha256:$(sha256sum "$T/ref.json" | cut -d' ' -f1)
    curl -sf -X PUT -H "Content-Type: $MT" --data-binary "@$T/ref.json" \
        "http://$REG/v2/$1/manifests/$rd" >/dev/null || return 1
    jq -cn --arg rd "$rd" --argjson rs "$(stat -c %s "$T/ref.json")" --arg bmt $BMT \
        --arg mt $MT --arg it $IT '{schemaVersion:2, mediaType:$it,
        manifests:[{mediaType:$mt, digest:$rd, size:$rs, artifactType:$bmt}]}' >"$T/idx.json"
    curl -sf -X PUT -H "Content-Type: $IT" --data-binary "@$T/idx.json" \
        "http://$REG/v2/$1/manifests/sha256-${2#sha256:}" >/dev/null
}

registry_start plain || { bad "start registry"; finish; exit 1; }
cd "$T" || exit 1
(umoci init --layout lay && umoci new --image lay:v1 && umoci new --image lay:v2 &&
    umoci config --image lay:v2 --author other) >umoci.log 2>&1 || { bad "umoci"; finish; exit 1; }
for v in v1 v2; do
    run skopeo copy --dest-tls-verify=false "oci:lay:$v" "docker://$REG/app:$v"
    expect_rc 0 "skopeo pushes $v"
done
DIG=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/app:v1")
DIG2=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/app:v2")
HEX=${DIG#sha256:}
run "$VOUCH" generate-key-pair --output-key-prefix "$T/k"
run "$VOUCH" generate-key-pair --output-key-prefix "$T/k2"
expect_rc 0 "keys"

# --- sign v3: the referrer manifest and the referrers tag index
run "$VOUCH" sign --bundle-format v3 --key k.key -a env=prod "$REG/app:v1"
expect_rc 0 "sign v3"
expect_match "$ERR" "^Pushing bundle referrer to: $REG/app@sha256:" "sign names the referrer"
get app "sha256-$HEX.sig" >/dev/null && bad "legacy .sig tag pushed" || ok "no .sig tag"
get app "sha256-$HEX" >idx.json
expect_eq "$(jq -c '[.schemaVersion, .mediaType, (.manifests | length),
    .manifests[0].mediaType, .manifests[0].artifactType]' idx.json)" \
    "[2,\"$IT\",1,\"$MT\",\"$BMT\"]" "referrers tag index"
RD=$(jq -r '.manifests[0].digest' idx.json)
get app "$RD" >ref.json
expect_eq "$(jq -r '.manifests[0].size' idx.json)" "$(stat -c %s ref.json)" "index entry size"
expect_eq "sha256:$(sha256sum ref.json | cut -d' ' -f1)" "$RD" "referrer pushed by digest"
expect_eq "$(jq -c '[.schemaVersion, .mediaType, .artifactType, .config, (.layers | length),
    .layers[0].mediaType, .subject.mediaType, .subject.digest,
    .annotations["dev.sigstore.bundle.content"],
    .annotations["dev.sigstore.bundle.predicateType"]]' ref.json)" \
    "[2,\"$MT\",\"$BMT\",{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"$EMPTY\",\"size\":2,\"artifactType\":\"$BMT\"},1,\"$BMT\",\"$MT\",\"$DIG\",\"dsse-envelope\",\"https://sigstore.dev/cosign/sign/v1\"]" \
    "referrer manifest fields"
expect_match "$(jq -r '.annotations["org.opencontainers.image.created"]' ref.json)" \
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "created annotation"
expect_eq "$(jq -c '.manifests[0].annotations' idx.json)" "$(jq -c .annotations ref.json)" \
    "index entry carries the annotations"
expect_eq "$(curl -sf "http://$REG/v2/app/blobs/$EMPTY")" "{}" "empty config blob"
curl -sf "http://$REG/v2/app/blobs/$(jq -r '.layers[0].digest' ref.json)" >bundle.json
expect_eq "$(jq -r '.layers[0].size' ref.json)" "$(stat -c %s bundle.json)" "bundle layer size"
STMT="{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"$HEX\"},\"annotations\":{\"env\":\"prod\"}}],\"predicateType\":\"https://sigstore.dev/cosign/sign/v1\",\"predicate\":{}}"
expect_eq "$(jq -c '[.mediaType, .dsseEnvelope.payloadType]' bundle.json)" \
    "[\"$BMT\",\"application/vnd.in-toto+json\"]" "bundle v0.3 with an in-toto DSSE"
expect_eq "$(jq -r .dsseEnvelope.payload bundle.json | base64 -d)" "$STMT" "signed statement"

# --- @sigstore/verify accepts the pushed bundle
run node "$VOUCH_SRC/tests/interop/sigstore-verify.js" bundle.json k.pub
expect_rc 0 "@sigstore/verify accepts the bundle"
expect_eq "$OUT" "VERIFIED" "@sigstore/verify verdict"
run node "$VOUCH_SRC/tests/interop/sigstore-verify.js" bundle.json k2.pub
expect_rc 1 "@sigstore/verify rejects the wrong key"

# --- vouch verify
run "$VOUCH" verify --key k.pub "$REG/app:v1"
expect_rc 0 "verify v3"
expect_eq "$OUT" "[$STMT]" "verified statement printed"
run "$VOUCH" verify --bundle-format v3 --key k.pub "$REG/app:v1"
expect_rc 0 "verify v3, bundles asked for"
expect_eq "$OUT" "[$STMT]" "the statement, once"
run "$VOUCH" verify --bundle-format legacy --key k.pub "$REG/app:v1"
expect_rc 1 "--bundle-format legacy: bundles not looked up"
expect_eq "$ERR" "vouch: '$REG/app:v1': no signatures found" "legacy-only message"
run "$VOUCH" verify --key k.pub -a env=prod "$REG/app@$DIG"
expect_rc 0 "verify v3 by digest with annotation"
run "$VOUCH" verify --key k.pub -a env=dev "$REG/app:v1"
expect_rc 1 "wrong annotation"
expect_match "$ERR" "annotations do not match" "annotation reason"
run "$VOUCH" verify --key k2.pub "$REG/app:v1"
expect_rc 1 "wrong key"
expect_one_line_err "wrong key"
expect_match "$ERR" "^vouch: '$REG/app:v1': no signatures found; bundle: .*verif" "wrong key reason"
run "$VOUCH" verify --key k.pub "$REG/app:v2"
expect_rc 1 "unsigned image"
expect_eq "$ERR" "vouch: '$REG/app:v2': no signatures found" "unsigned message"
attach app "$DIG2" bundle.json && ok "attach v1's bundle to v2" || bad "attach to v2"
run "$VOUCH" verify --key k.pub "$REG/app:v2"
expect_rc 1 "another image's bundle"
expect_match "$ERR" "statement subject is not the image digest" "other digest reason"
jq -c '.dsseEnvelope.payload |= (@base64d | sub("prod"; "prud") | @base64)' bundle.json >bad.json
attach app "$DIG2" bad.json && ok "attach a tampered bundle to v2" || bad "attach tampered"
run "$VOUCH" verify --key k.pub "$REG/app:v2"
expect_rc 1 "tampered bundle"
expect_match "$ERR" "bundle: .*verif" "tampered reason"
run node "$VOUCH_SRC/tests/interop/sigstore-verify.js" bad.json k.pub
expect_rc 1 "@sigstore/verify rejects the tampered bundle too"

# --- both forms: by default the bundles only when no legacy signature counts; with
# --bundle-format v3 legacy first, then the bundle
run "$VOUCH" sign --key k.key "$REG/app:v1"
expect_rc 0 "legacy sign too"
run "$VOUCH" verify --key k.pub "$REG/app:v1"
expect_rc 0 "verify legacy"
expect_eq "$(jq -c '[length, .[0].critical.type]' out)" \
    '[1,"cosign container image signature"]' "a legacy signature counts: bundles not read"
run "$VOUCH" verify --bundle-format v3 --key k.pub "$REG/app:v1"
expect_rc 0 "verify both forms"
expect_eq "$(jq -c '[length, .[0].critical.type, .[1].predicateType]' out)" \
    '[2,"cosign container image signature","https://sigstore.dev/cosign/sign/v1"]' \
    "legacy payload first, then the bundle statement"
run "$VOUCH" verify --key k2.pub "$REG/app:v1"
expect_rc 1 "wrong key, both forms"
expect_match "$ERR" "; bundle: .*verif" "the bundle was looked up after the legacy failure"
run "$VOUCH" sign --bundle-format v4 --key k.key "$REG/app:v1"
expect_rc 2 "bad --bundle-format"
finish
