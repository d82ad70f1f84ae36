#!/usr/bin/env bash
# Image signing/verification against a local registry: `vouch verify` of a signed image vs
# the floor of the same three HTTP requests in one curl process over one keep-alive
# connection (manifest, .sig manifest, signature layer), and `vouch sign` vs one curl doing
# the same writes (manifest GET, two monolithic blob uploads, .sig manifest PUT). Prints
# the ratios (target <= 1.5) and vouch's peak RSS (target <= 8 MiB). Not a test.
# Two more floors judge the targets honestly: a process that only links libcurl (Debian's
# libcurl loads gnutls, krb5, ldap, p11-kit...: its RSS is the floor of any program using
# it) and cosign's key decryption, scrypt N=32768 r=8 p=1 (32 MiB, inherent in every
# encrypted cosign key; libsodium's, as vouch uses: ~2.7x fewer instructions than `openssl
# kdf ... SCRYPT`), which `vouch sign` pays on top of its uploads. Each timed sign
# adds a new signature (-a bench=N), as the curl floor uploads. Distribution (Debian's
# docker-registry) answers a POST with a body and ?digest= by 202 without storing the blob,
# so the curl floor's uploads are cheaper than a real push (POST + PUT per blob).
#   bash bench/image.sh [VOUCH_BINARY]     (default: build/release/cmd/vouch)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
vouch=${1:-$top/build/release/cmd/vouch}
runs=${BENCH_RUNS:-20}
[ -x "$vouch" ] || { echo "bench: build the release preset first ($vouch)" >&2; exit 2; }
T=$(mktemp -d "${TMPDIR:-/tmp}/vouch-bench.XXXXXX")
. "$top/tests/support/registry.sh"
trap 'registry_stop; rm -rf "$T"' EXIT
cd "$T"
registry_start plain
(umoci init --layout lay && umoci new --image lay:v1) >/dev/null 2>&1
skopeo copy -q --dest-tls-verify=false oci:lay:v1 "docker://$REG/app:v1"
export VOUCH_PASSWORD=""
"$vouch" generate-key-pair --output-key-prefix k >/dev/null 2>&1
"$vouch" sign --key k.key "$REG/app:v1" 2>/dev/null
dig=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/app:v1")
hex=${dig#sha256:}
acc='Accept: application/vnd.oci.image.manifest.v1+json'
sig=$(curl -sf -H "$acc" "http://$REG/v2/app/manifests/sha256-$hex.sig")
layer=$(jq -r '.layers[0].digest' <<<"$sig")
printf '%s' "$sig" >sig.json
cfg=$(jq -r .config.digest sig.json)
curl -sf "http://$REG/v2/app/blobs/$layer" >payload
curl -sf "http://$REG/v2/app/blobs/$cfg" >config

# children's user+sys seconds so far (bash's times builtin, second line)
cpu() {
    times >times.out # in this shell: a $(...) subshell has no children
    awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/);
        print u[1] * 60 + u[2] + s[1] * 60 + s[2] }' times.out
}
# loop NAME CMD...: wall time of $runs runs (seconds), their user+sys, and peak RSS (KiB)
# of one run
loop() {
    local name=$1 s e rss c0 c1
    shift
    cpu >cpu0.out
    s=$(date +%s.%N)
    for _ in $(seq "$runs"); do "$@" >/dev/null 2>&1; done
    e=$(date +%s.%N)
    cpu >cpu1.out
    read -r c0 <cpu0.out
    read -r c1 <cpu1.out
    eval "U_$name=$(awk -v a="$c0" -v b="$c1" 'BEGIN{printf "%.3f", b-a}')"
    if [ "$(type -t "$1")" = function ]; then # time(1) runs programs: the function's command
        /usr/bin/time -f '%M' -o rss.out "$vouch" sign --key k.key -a bench=rss \
            "$REG/app:v1" >/dev/null 2>&1 || true
    else
        /usr/bin/time -f '%M' -o rss.out "$@" >/dev/null 2>&1 || true
    fi
    read -r rss <rss.out
    eval "T_$name=$(awk -v s="$s" -v e="$e" 'BEGIN{print e-s}'); RSS_$name=$rss"
}
cat >base.c <<'C'
#include <curl/curl.h>
int main(void) { return curl_version() == NULL; }
C
cc -O2 -o base base.c -lcurl
loop base ./base
loop help "$vouch" --help
cat >scrypt.c <<'C'
#include <sodium.h>
int main(void)
{
    unsigned char key[32], salt[32] = {0};
    if (sodium_init() < 0) {
        return 1;
    }
    return crypto_pwhash_scryptsalsa208sha256_ll((const uint8_t *)"x", 1, salt, sizeof(salt),
                                                 32768, 8, 1, key, sizeof(key)) != 0;
}
C
cc -O2 -o scrypt scrypt.c -lsodium
loop scrypt ./scrypt
m="http://$REG/v2/app"
loop curl_verify curl -sf -H "$acc" "$m/manifests/v1" --next -H "$acc" \
    "$m/manifests/sha256-$hex.sig" --next "$m/blobs/$layer"
loop verify "$vouch" verify --key k.pub "$REG/app:v1"
loop curl_sign curl -sf -H "$acc" "$m/manifests/v1" --next -X POST \
    -H 'Content-Type: application/octet-stream' --data-binary @payload \
    "$m/blobs/uploads/?digest=$layer" --next -X POST \
    -H 'Content-Type: application/octet-stream' --data-binary @config \
    "$m/blobs/uploads/?digest=$cfg" --next -X PUT \
    -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @sig.json \
    "$m/manifests/sha256-$hex.sig"
n=0
sign_new() { n=$((n + 1)); "$vouch" sign --key k.key -a "bench=$n" "$REG/app:v1"; }
loop sign sign_new

printf 'runs: %d, vouch: %s\n' "$runs" "$vouch"
printf '%-28s %8s %8s %10s\n' "command" "wall s" "ratio" "peak RSS"
row() { awk -v n="$1" -v t="$2" -v f="$3" -v r="$4" \
    'BEGIN{printf "%-28s %8.3f %8.3f %7.1f MiB\n", n, t, t/f, r/1024}'; }
row "libcurl process, no work" "$T_base" "$T_curl_verify" "$RSS_base"
row "vouch --help (its libraries)" "$T_help" "$T_curl_verify" "$RSS_help"
row "curl floor (verify, 3 GETs)" "$T_curl_verify" "$T_curl_verify" "$RSS_curl_verify"
row "vouch verify" "$T_verify" "$T_curl_verify" "$RSS_verify"
row "curl floor (sign uploads)" "$T_curl_sign" "$T_curl_sign" "$RSS_curl_sign"
row "scrypt N=32768 (libsodium)" "$T_scrypt" "$T_curl_sign" "$RSS_scrypt"
floor=$(awk -v a="$T_curl_sign" -v b="$T_scrypt" 'BEGIN{print a+b}')
row "floor: uploads + scrypt" "$floor" "$floor" 0
row "vouch sign" "$T_sign" "$floor" "$RSS_sign"
row "vouch sign / uploads only" "$T_sign" "$T_curl_sign" "$RSS_sign"
printf 'user+sys s: curl verify %s, vouch verify %s, curl sign %s, scrypt %s, vouch sign %s\n' \
    "$U_curl_verify" "$U_verify" "$U_curl_sign" "$U_scrypt" "$U_sign"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
