#!/usr/bin/env bash
# Habits that carry over (issue 12): cosign, syft and slsa-verifier invocations in the shape a
# CI script writes them, against a real registry, and each defect's reproducer.
. "$VOUCH_SRC/tests/support/lib.sh"
. "$VOUCH_SRC/tests/support/registry.sh"
trap registry_stop EXIT
cd "$T" || exit 1
EX=$VOUCH_SRC/docs/examples
unset VOUCH_PASSWORD
export COSIGN_PASSWORD=ci-pass

# --- cosign generate-key-pair / sign-blob / verify-blob, COSIGN_PASSWORD from the env
run "$VOUCH" generate-key-pair
expect_rc 0 "generate-key-pair with COSIGN_PASSWORD"
printf 'artifact\n' > artifact.bin
run "$VOUCH" sign-blob --yes --key cosign.key --output-signature artifact.sig \
    --tlog-upload=false artifact.bin
expect_rc 2 "sign-blob takes no --yes (cosign's sign-blob has it: see below)"
run "$VOUCH" sign-blob --key cosign.key --output-signature artifact.sig artifact.bin
expect_rc 0 "sign-blob --key --output-signature"
run "$VOUCH" verify-blob --key cosign.pub --signature artifact.sig artifact.bin
expect_rc 0 "verify-blob --key --signature"

# --- --key env://VAR (cosign reads the PEM from the variable)
export SIGNING_KEY="$(cat cosign.key)" VERIFY_KEY="$(cat cosign.pub)"
run "$VOUCH" sign-blob --key env://SIGNING_KEY --output-signature env.sig artifact.bin
expect_rc 0 "sign-blob --key env://SIGNING_KEY"
run "$VOUCH" verify-blob --key env://VERIFY_KEY --signature env.sig artifact.bin
expect_rc 0 "verify-blob --key env://VERIFY_KEY"
run "$VOUCH" verify-blob --key env://NO_SUCH_VARIABLE --signature env.sig artifact.bin
expect_rc 2 "env:// of an unset variable"
expect_match "$ERR" "NO_SUCH_VARIABLE is not set" "names the variable"

# --- defect: no password available (CI, no TTY, no env) says so and how to give one
(unset COSIGN_PASSWORD; run "$VOUCH" sign-blob --key cosign.key artifact.bin </dev/null
 expect_rc 2 "no password"
 expect_match "$ERR" "no password was given: set COSIGN_PASSWORD" "no-password message"
 echo "$T_PASS $T_FAIL" > counts)
read -r p f < counts; T_PASS=$p; T_FAIL=$f

# --- Ed25519 blobs as cosign v3 signs them: Ed25519ph (RFC 8032 7.3 "abc" vector), streamed
PY=/usr/bin/python3
hex2bin() { "$PY" -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' "$1"; }
hex2bin 302e020100300506032b657004220420833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42 |
    openssl pkey -inform DER -out rfc.key
openssl pkey -in rfc.key -pubout -out rfc.pub
printf abc > abc.txt
RFC_SIG=$(hex2bin 98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406 | base64 -w0)
run "$VOUCH" sign-blob --key rfc.key abc.txt
expect_rc 0 "sign-blob with an Ed25519 key"
expect_eq "$OUT" "$RFC_SIG" "Ed25519ph: the RFC 8032 test vector signature"
run "$VOUCH" sign-blob --key rfc.key - <abc.txt
expect_eq "$OUT" "$RFC_SIG" "Ed25519ph from standard input"
printf '%s' "$RFC_SIG" > abc.sig
run "$VOUCH" verify-blob --key rfc.pub --signature abc.sig abc.txt
expect_rc 0 "verify-blob: Ed25519ph"
openssl pkeyutl -sign -rawin -inkey rfc.key -in abc.txt | base64 -w0 > abc.pure.sig
run "$VOUCH" verify-blob --key rfc.pub --signature abc.pure.sig abc.txt
expect_rc 0 "verify-blob: a pure Ed25519 signature (openssl) is still accepted"
printf abd > abd.txt
run "$VOUCH" verify-blob --key rfc.pub --signature abc.sig abd.txt
expect_rc 1 "Ed25519ph over another file is rejected"
run "$VOUCH" verify-blob --key rfc.pub --signature abc.pure.sig abd.txt
expect_rc 1 "pure Ed25519 over another file is rejected"
run "$VOUCH" sign-blob --key rfc.key --bundle abc.bundle.json abc.txt
expect_rc 0 "sign-blob --bundle with Ed25519"
expect_eq "$(jq -r .messageSignature.messageDigest.algorithm abc.bundle.json)" "SHA2_512" "bundle: Ed25519ph's prehash"
expect_eq "$(jq -r .messageSignature.messageDigest.digest abc.bundle.json)" \
    "$(openssl dgst -sha512 -binary abc.txt | base64 -w0)" "bundle: SHA-512 of the file"
run "$VOUCH" verify-blob --key rfc.pub --bundle abc.bundle.json abc.txt
expect_rc 0 "verify-blob --bundle (Ed25519ph)"
# a bigger file, checked by libsodium's Ed25519ph through PyNaCl
head -c 3000000 /dev/zero | tr '\0' 'x' > big.bin
run "$VOUCH" sign-blob --key rfc.key --output-signature big.sig big.bin
expect_rc 0 "sign a 3 MB file with Ed25519"
expect_eq "$("$PY" - rfc.pub big.sig big.bin <<'PYNACL'
import base64, subprocess, sys
from nacl import bindings as b
der = subprocess.run(["openssl", "pkey", "-pubin", "-in", sys.argv[1], "-outform", "DER"],
                     capture_output=True, check=True).stdout
st = b.crypto_sign_ed25519ph_state()
with open(sys.argv[3], "rb") as f:
    for chunk in iter(lambda: f.read(1 << 16), b""):
        b.crypto_sign_ed25519ph_update(st, chunk)
sig = base64.b64decode(open(sys.argv[2]).read())
print("ok" if b.crypto_sign_ed25519ph_final_verify(st, sig, der[-32:]) else "bad")
PYNACL
)" "ok" "PyNaCl verifies vouch's Ed25519ph signature"

registry_start plain || { bad "start registry"; finish; exit 1; }
registry_peer_layout unsigned "$T/unsigned"
run "$VOUCH" copy "oci-dir:$T/unsigned:v1" "$REG/app:v1"
expect_rc 0 "push an image"
run "$VOUCH" copy "oci-dir:$T/unsigned:v1" "$REG/app2:v1"
expect_rc 0 "push a second image"

# --- cosign sign / verify in CI shape
run "$VOUCH" sign --yes --key cosign.key --tlog-upload=false "$REG/app:v1"
expect_rc 0 "cosign sign --yes --key --tlog-upload=false IMAGE"
run "$VOUCH" sign -y --key=cosign.key "$REG/app2:v1"
expect_rc 0 "cosign sign -y --key=KEY"
run "$VOUCH" sign --key cosign.key --tlog-upload "$REG/app:v1"
expect_rc 2 "--tlog-upload (true) is refused, not ignored"
run "$VOUCH" verify --key cosign.pub --insecure-ignore-tlog "$REG/app:v1" "$REG/app2:v1"
expect_rc 0 "cosign verify --insecure-ignore-tlog IMG1 IMG2"
expect_eq "$(grep -c '^\[' "$T/out")" "2" "one JSON array per image"
expect_match "$ERR" "Verification for $REG/app2:v1" "the second image is verified"
run "$VOUCH" verify --key cosign.pub -o text "$REG/app:v1"
expect_rc 0 "verify -o text"
expect_eq "$(jq -r '.critical.type' "$T/out")" "cosign container image signature" "text: one payload a line"
run "$VOUCH" verify --key cosign.pub -o json "$REG/app:v1"
expect_rc 0 "verify -o json"
expect_eq "$(jq -r '.[0].critical.type' "$T/out")" "cosign container image signature" "json array"
run "$VOUCH" verify --key cosign.pub "$REG/app:v1" "$REG/unsigned-nowhere:v1"
expect_rc 2 "an image that fails makes the whole run fail"
expect_match "$ERR" "unsigned-nowhere" "the failing image is named"
run "$VOUCH" sign --key cosign.key --new-bundle-format "$REG/app2:v1"
expect_rc 0 "sign --new-bundle-format"
expect_match "$ERR" "Pushing bundle referrer to" "a v3 bundle referrer"
run "$VOUCH" verify --key cosign.pub --new-bundle-format "$REG/app2:v1"
expect_rc 0 "verify --new-bundle-format"
expect_eq "$(jq -r '.[-1].predicateType' "$T/out")" "https://sigstore.dev/cosign/sign/v1" "bundle verified"

# --- cosign sign --upload=false with --output-signature/--output-payload/--output-certificate
run "$VOUCH" copy "oci-dir:$T/unsigned:v1" "$REG/noup:v1"
noup_digest=$("$VOUCH" triangulate --type digest "$REG/noup:v1")
run "$VOUCH" sign --key cosign.key --upload=false --output-signature noup.sig \
    --output-payload noup.payload --output-certificate noup.crt "$REG/noup:v1"
expect_rc 0 "sign --upload=false with the three outputs"
expect_eq "$(jq -r '.critical.image["docker-manifest-digest"]' noup.payload)" "${noup_digest##*@}" \
    "the payload names the image digest"
base64 -d noup.sig > noup.sig.der
expect_eq "$(openssl dgst -sha256 -verify cosign.pub -signature noup.sig.der noup.payload 2>&1)" \
    "Verified OK" "openssl: the signature is over the payload"
expect_eq "$(cat noup.crt)" "$(cat cosign.pub)" "--output-certificate: the public key PEM, as cosign"
expect_eq "$(curl -sf "http://$REG/v2/noup/tags/list" | jq -r '.tags | join(",")')" "v1" \
    "--upload=false: no .sig tag was pushed"
run "$VOUCH" sign --key cosign.key --output-signature up.sig --output-payload up.payload "$REG/noup:v1"
expect_rc 0 "sign with outputs (uploading)"
sig_tag=$("$VOUCH" triangulate "$REG/noup:v1")
expect_eq "$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$REG/v2/noup/manifests/${sig_tag##*:}" |
    jq -r '.layers[0].annotations["dev.cosignproject.cosign/signature"]')" "$(cat up.sig)" \
    "the written signature is the uploaded one"
run "$VOUCH" verify --key cosign.pub "$REG/noup:v1"
expect_rc 0 "and it verifies"
mkfifo sig.fifo
cat sig.fifo > fifo.out &
catpid=$!
run "$VOUCH" sign --key cosign.key --upload=false --output-signature sig.fifo "$REG/noup:v1"
timeout 5 sh -c ': > sig.fifo' 2>/dev/null & # frees cat if vouch never opened the FIFO
wait "$catpid"
expect_rc 0 "--output-signature to a FIFO"
if [ -p sig.fifo ] && [ -s fifo.out ]; then ok "the FIFO is written through, not replaced"; else bad "FIFO replaced or empty"; fi
run "$VOUCH" sign --key cosign.key --upload=false --new-bundle-format "$REG/noup:v1"
expect_rc 2 "--upload=false takes the legacy format"
run "$VOUCH" sign --key cosign.key --output-payload p.json "$REG/noup:v1" "$REG/app:v1"
expect_rc 2 "outputs take one image"

# --- defect: P-384 image signatures hash the payload with SHA-256, as cosign and skopeo do
run "$VOUCH" generate-key-pair --type ecdsa-p384 --output-key-prefix p384
expect_rc 0 "P-384 key pair"
run "$VOUCH" sign --key p384.key "$REG/app:v1"
expect_rc 0 "sign with P-384"
run "$VOUCH" verify --key p384.pub "$REG/app:v1"
expect_rc 0 "verify the P-384 signature"
sigref=$("$VOUCH" triangulate "$REG/app:v1")
sigtag=${sigref##*:}
curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$REG/v2/app/manifests/$sigtag" > sigman.json
n_ok=0
for i in $(seq 0 $(($(jq '.layers | length' sigman.json) - 1))); do
    jq -r ".layers[$i].annotations[\"dev.cosignproject.cosign/signature\"]" sigman.json |
        base64 -d > layer.sig
    curl -sf "http://$REG/v2/app/blobs/$(jq -r ".layers[$i].digest" sigman.json)" > layer.payload
    if openssl dgst -sha256 -verify p384.pub -signature layer.sig layer.payload >/dev/null 2>&1
    then n_ok=$((n_ok + 1)); fi
done
expect_eq "$n_ok" "1" "openssl: the P-384 signature is over SHA-256 of the payload"

# --- registry flags cosign scripts pass: --allow-http-registry, --registry-cacert
run "$VOUCH" verify --key cosign.pub --allow-http-registry "$REG/app:v1"
expect_rc 0 "--allow-http-registry"

# --- cosign verify-blob-attestation as a name
printf '{"buildType":"x"}' > pred.json
run "$VOUCH" attest-blob --key cosign.key --predicate pred.json --type slsaprovenance1 \
    --output-attestation att.intoto.jsonl artifact.bin
expect_rc 0 "attest-blob --output-attestation"
run "$VOUCH" verify-blob-attestation --key cosign.pub --signature att.intoto.jsonl \
    --type slsaprovenance1 artifact.bin
expect_rc 0 "verify-blob-attestation --key --signature --type BLOB"
printf 'other\n' > other.bin
run "$VOUCH" verify-blob-attestation --key cosign.pub --signature att.intoto.jsonl \
    --type slsaprovenance1 other.bin
expect_rc 1 "verify-blob-attestation of another blob"

# --- syft: `sbom scan SRC`; docker:/podman:/containerd:/singularity: refused with the way out
mkdir -p srcdir && printf 'x\n' > srcdir/f.txt
run "$VOUCH" sbom scan dir:srcdir -q -o spdx-json
expect_rc 0 "sbom scan dir:PATH"
expect_eq "$(jq -r .spdxVersion "$T/out")" "SPDX-2.3" "scan writes the SBOM"
for s in docker:dind podman:alpine:3 containerd:nginx singularity:app.sif; do
    run "$VOUCH" sbom "$s"
    expect_rc 2 "sbom $s refused"
    expect_match "$ERR" "are not supported: save the image .*docker-archive:" "$s: the alternative"
done

# --- defect: tree's hint names a command that works
run "$VOUCH" tree "$REG/app:v1-nothing" 2>/dev/null
run "$VOUCH" copy "oci-dir:$T/unsigned:v1" "$REG/bare:v1"
run "$VOUCH" tree "$REG/bare:v1"
expect_rc 0 "tree of an unsigned image"
expect_match "$OUT" "vouch sign --key cosign.key $REG/bare:v1" "hint gives --key"

# --- defect: admit IMAGE --output json: options after the image, never images
run "$VOUCH" admit --offline nginx:1.25 --policy "$EX/offline.yaml" --output json
expect_rc 0 "admit IMAGE --policy --output json"
expect_eq "$(jq -r '[.results[].image] | join(",")' "$T/out")" "docker.io/library/nginx:1.25" "only the image is decided"

# --- --registry-password-stdin and a key password on stdin cannot share stdin
printf 'pw' > regpw.txt
(unset COSIGN_PASSWORD
 run "$VOUCH" sign --key cosign.key --registry-username u \
     --registry-password-stdin "$REG/app:v1" <regpw.txt
 expect_rc 2 "registry and key password both on stdin"
 expect_match "$ERR" "cannot come from standard input, which --registry-password-stdin reads" "says why"
 echo "$T_PASS $T_FAIL" > counts)
read -r p f < counts; T_PASS=$p; T_FAIL=$f

# --- slsa-verifier's shapes: verify-artifact / verify-image, --print-provenance
cat > prov1.json <<'P'
{"buildDefinition":{"buildType":"https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
 "externalParameters":{"workflow":{"ref":"refs/tags/v1.2.3","repository":"https://github.com/acme/app","path":".github/workflows/release.yml"}},
 "resolvedDependencies":[{"uri":"git+https://github.com/acme/app@refs/tags/v1.2.3","digest":{"gitCommit":"0123456789abcdef0123456789abcdef01234567"}}]},
 "runDetails":{"builder":{"id":"https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.0.0"}}}
P
run "$VOUCH" attest-blob --key cosign.key --predicate prov1.json --type slsaprovenance1 \
    -o artifact.intoto.jsonl artifact.bin
expect_rc 0 "provenance for the artifact"
run "$VOUCH" verify-artifact artifact.bin --provenance-path artifact.intoto.jsonl \
    --key cosign.pub --source-uri github.com/acme/app --source-tag v1.2.3 \
    --builder-id https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml
expect_rc 0 "slsa-verifier verify-artifact shape"
run "$VOUCH" verify-artifact artifact.bin --provenance-path artifact.intoto.jsonl \
    --key cosign.pub --source-uri github.com/evil/app
expect_rc 1 "another source repository is rejected"
run "$VOUCH" verify-artifact artifact.bin --provenance-path artifact.intoto.jsonl \
    --key cosign.pub --print-provenance
expect_rc 0 "--print-provenance"
expect_eq "$(jq -r .predicateType "$T/out")" "https://slsa.dev/provenance/v1" "the statement printed"
run "$VOUCH" verify-artifact other.bin --provenance-path artifact.intoto.jsonl --key cosign.pub
expect_rc 1 "provenance about another file is rejected"
run "$VOUCH" attest --key cosign.key --predicate prov1.json --type slsaprovenance1 "$REG/app:v1"
expect_rc 0 "provenance attached to the image"
run "$VOUCH" verify-image "$REG/app:v1" --key cosign.pub --source-uri github.com/acme/app \
    --source-tag v1.2.3
expect_rc 0 "slsa-verifier verify-image shape"
run "$VOUCH" verify-image "$REG/app:v1" --key cosign.pub --source-tag v9
expect_rc 1 "verify-image: another tag is rejected"

# --- slsa-verifier's --source-versioned-tag: v1 takes v1.x.y, v1.2 takes v1.2.y
for want in v1 v1.2 v1.2.3; do
    run "$VOUCH" verify-artifact artifact.bin --provenance-path artifact.intoto.jsonl \
        --key cosign.pub --source-versioned-tag "$want"
    expect_rc 0 "--source-versioned-tag $want matches v1.2.3"
done
for want in v2 v1.3 v1.2.4; do
    run "$VOUCH" verify-artifact artifact.bin --provenance-path artifact.intoto.jsonl \
        --key cosign.pub --source-versioned-tag "$want"
    expect_rc 1 "--source-versioned-tag $want does not match v1.2.3"
done
expect_match "$ERR" "source tag 'v1.2.3' is not versioned tag 'v1.2.4': patch version expected '4', got '3'" "says which component"
run "$VOUCH" verify-artifact artifact.bin --provenance-path artifact.intoto.jsonl \
    --key cosign.pub --source-versioned-tag 1.2
expect_rc 2 "--source-versioned-tag must be a semantic version"
run "$VOUCH" verify-image "$REG/app:v1" --key cosign.pub --source-versioned-tag=v1
expect_rc 0 "verify-image --source-versioned-tag v1"
run "$VOUCH" verify-image "$REG/app:v1" --key cosign.pub --source-versioned-tag v0
expect_rc 1 "verify-image --source-versioned-tag v0"

# --- cosign verify-attestation prints each verified envelope, one JSON line, on stdout
run "$VOUCH" verify-attestation --key cosign.pub --type slsaprovenance1 "$REG/app:v1"
expect_rc 0 "verify-attestation IMAGE"
expect_eq "$(wc -l <"$T/out")" "1" "one envelope line"
expect_eq "$(jq -r .payloadType "$T/out")" "application/vnd.in-toto+json" "an envelope"
expect_eq "$(jq -r .payload "$T/out" | base64 -d | jq -r .predicateType)" \
    "https://slsa.dev/provenance/v1" "| jq -r .payload | base64 -d gives the statement"
expect_eq "$(jq -r .payload "$T/out" | base64 -d | jq -r .predicate.runDetails.builder.id)" \
    "$(jq -r .runDetails.builder.id prov1.json)" "the statement's predicate"
run "$VOUCH" verify-attestation --key cosign.pub --type slsaprovenance1 --output json "$REG/app:v1"
expect_rc 0 "verify-attestation --output json"
expect_eq "$(jq -r .predicateType "$T/out")" "https://slsa.dev/provenance/v1" "json: the statement"

# --- a TLS registry with basic auth: --registry-cacert, --registry-username/--registry-password
registry_start tls-auth || { bad "start TLS registry"; finish; exit 1; }
run "$VOUCH" copy --registry-cacert "$REG_CA" --registry-username "$REG_USER" \
    --registry-password "$REG_PASS" "oci-dir:$T/unsigned:v1" "$REG/tls:v1"
expect_rc 0 "copy --registry-cacert --registry-username --registry-password"
run "$VOUCH" sign --key cosign.key --registry-cacert="$REG_CA" --registry-username="$REG_USER" \
    --registry-password="$REG_PASS" "$REG/tls:v1"
expect_rc 0 "sign with --flag=value registry options"
run "$VOUCH" verify --key cosign.pub --registry-cacert "$REG_CA" "$REG/tls:v1"
expect_rc 3 "no credentials: refused by the registry"
run "$VOUCH" verify --key cosign.pub --registry-cacert "$REG_CA" --registry-username "$REG_USER" \
    --registry-password "$REG_PASS" "$REG/tls:v1"
expect_rc 0 "verify with the password flag"
run "$VOUCH" verify --key cosign.pub --registry-username "$REG_USER" \
    --registry-password "$REG_PASS" "$REG/tls:v1"
expect_rc 3 "without the CA the TLS certificate is refused"
expect_match "$ERR" "TLS failed: .*trust the registry's CA with --ca-cert FILE, or for testing only --allow-insecure-registry" "the TLS error suggests --ca-cert"

# --- -v/--verbose: one line per HTTP request; no password, token or Authorization header
run "$VOUCH" verify -v --key cosign.pub --registry-cacert "$REG_CA" --registry-username "$REG_USER" \
    --registry-password "$REG_PASS" "$REG/tls:v1"
expect_rc 0 "verify -v"
expect_match "$ERR" "^vouch: GET https://$REG/v2/tls/manifests/v1: 200 in [0-9]+ ms" "a request line"
expect_eq "$(grep -c -e "$REG_PASS" -e "$(printf '%s:%s' "$REG_USER" "$REG_PASS" | base64)" \
    -ie authorization "$T/err")" "0" "-v prints no credentials"

# --- a token registry: --registry-token sends the bearer token as given
registry_start token || { bad "start token registry"; finish; exit 1; }
tok=$(curl -sf -u "$REG_USER:$REG_PASS" "http://127.0.0.1:$(cat "$REG_AUTH_DIR/issuer.port")/token?service=vouch-test-registry&scope=repository:tok:pull,push" | jq -r '.token // .access_token')
run "$VOUCH" copy --registry-token "$tok" "oci-dir:$T/unsigned:v1" "$REG/tok:v1"
expect_rc 0 "copy --registry-token"
run "$VOUCH" copy "oci-dir:$T/unsigned:v1" "$REG/tok:v2"
expect_rc 3 "without the token the push is refused"
run "$VOUCH" copy --verbose --registry-token "$tok" "oci-dir:$T/unsigned:v1" "$REG/tok:v3"
expect_rc 0 "copy --verbose --registry-token"
expect_match "$ERR" "^vouch: PUT http://$REG/v2/tok/manifests/v3: 201 in [0-9]+ ms" "the manifest PUT logged"
expect_eq "$(grep -vcE '^vouch: (GET|HEAD|PUT|POST|PATCH) https?://[^ ?]+: ([0-9]{3} in [0-9]+ ms|failed after [0-9]+ ms: .*)$' "$T/err")" \
    "0" "every line is one request: method, URL, status (or failure), time"
expect_eq "$(grep -cF "$tok" "$T/err")" "0" "the token is not printed"
run "$VOUCH" copy -v --registry-username "$REG_USER" --registry-password "$REG_PASS" \
    "oci-dir:$T/unsigned:v1" "$REG/tok:v4"
expect_rc 0 "copy -v with a password (token fetched from the issuer)"
expect_match "$ERR" "^vouch: (GET|POST) http://127.0.0.1:[0-9]+/token: 200 in" "the token request logged, without its query"
expect_eq "$(grep -c -e "$REG_PASS" -e '"token"' -e 'access_token' "$T/err")" "0" "no password or token"
finish
