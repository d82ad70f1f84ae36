#!/usr/bin/env bash
# generate-key-pair and public-key: files, modes, overwrite rules, password sources, the
# cosign and skopeo key vectors, and damaged or missing key files.
. "$VOUCH_SRC/tests/support/lib.sh"
K=$VECTORS/keys
unset VOUCH_PASSWORD COSIGN_PASSWORD
cd "$T" || exit 1

mode_of() { stat -c %a "$1"; }

# --- generate-key-pair, both types
for type in ecdsa-p256 ed25519; do
    run env VOUCH_PASSWORD=pw "$VOUCH" generate-key-pair --type "$type" --output-key-prefix "$type" </dev/null
    expect_rc 0 "generate-key-pair --type $type"
    expect_eq "$ERR" "Private key written to $type.key
Public key written to $type.pub" "$type: messages on stderr"
    expect_eq "$(mode_of "$type.key")" "600" "$type.key mode 0600"
    expect_eq "$(head -1 "$type.key")" "-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----" "$type.key label"
    expect_match "$(sed '1d;$d' "$type.key" | base64 -d)" '^\{"kdf":\{"name":"scrypt","params":\{"N":32768,"r":8,"p":1\},"salt":"' "$type.key: cosign JSON, N=32768"
    expect_eq "$(head -1 "$type.pub")" "-----BEGIN PUBLIC KEY-----" "$type.pub is PKIX PEM"
    run env VOUCH_PASSWORD=pw "$VOUCH" public-key --key "$type.key"
    expect_rc 0 "public-key of $type.key"
    expect_eq "$OUT" "$(cat "$type.pub")" "public-key prints $type.pub"
done
expect_match "$(sed -n 2p ecdsa-p256.pub)" '^MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' "P-256 SPKI prefix"
expect_match "$(sed -n 2p ed25519.pub)" '^MCowBQYDK2VwAyEA' "Ed25519 SPKI prefix"

# default prefix is cosign
run env VOUCH_PASSWORD= "$VOUCH" generate-key-pair </dev/null
expect_rc 0 "default prefix, empty password"
[ -f cosign.key ] && [ -f cosign.pub ] && ok "cosign.key and cosign.pub written" || bad "default files missing"
run env VOUCH_PASSWORD= "$VOUCH" public-key --key cosign.key
expect_rc 0 "empty password opens the key"

# --- refuse to overwrite; --force
cp cosign.key before.key; cp cosign.pub before.pub
run env VOUCH_PASSWORD=x "$VOUCH" generate-key-pair </dev/null
expect_rc 2 "existing cosign.key refused"
expect_one_line_err "existing key"
expect_match "$ERR" "'cosign.key' already exists" "names the file"
cmp -s cosign.key before.key && cmp -s cosign.pub before.pub && ok "files unchanged" || bad "files changed"
rm cosign.key
run env VOUCH_PASSWORD=x "$VOUCH" generate-key-pair </dev/null
expect_rc 2 "existing cosign.pub alone refused"
expect_absent cosign.key "no cosign.key written when cosign.pub exists"
cp before.key cosign.key
run env VOUCH_PASSWORD=x "$VOUCH" generate-key-pair --force </dev/null
expect_rc 0 "--force overwrites"
cmp -s cosign.key before.key && bad "--force left the old key" || ok "--force wrote a new key"
expect_eq "$(mode_of cosign.key)" "600" "--force keeps mode 0600"

# --- bad arguments
run "$VOUCH" generate-key-pair --type rsa
expect_rc 2 "--type rsa refused"
run "$VOUCH" generate-key-pair --bogus
expect_rc 2 "unknown flag"
run "$VOUCH" public-key
expect_rc 2 "public-key without --key"

# --- password sources: VOUCH_PASSWORD before COSIGN_PASSWORD; stdin when not a tty
run env VOUCH_PASSWORD=v COSIGN_PASSWORD=c "$VOUCH" generate-key-pair --output-key-prefix prec </dev/null
expect_rc 0 "generate with both variables"
run env COSIGN_PASSWORD=v "$VOUCH" public-key --key prec.key </dev/null
expect_rc 0 "VOUCH_PASSWORD was used (opens with v)"
run env COSIGN_PASSWORD=c "$VOUCH" public-key --key prec.key </dev/null
expect_rc 2 "COSIGN_PASSWORD was not used"
run env VOUCH_PASSWORD= COSIGN_PASSWORD=v "$VOUCH" public-key --key prec.key </dev/null
expect_rc 2 "VOUCH_PASSWORD set but empty wins over COSIGN_PASSWORD"
printf 'from-stdin\n' >pw.txt
run "$VOUCH" generate-key-pair --output-key-prefix stdin <pw.txt
expect_rc 0 "password from stdin"
run env VOUCH_PASSWORD=$'from-stdin\n' "$VOUCH" public-key --key stdin.key
expect_rc 0 "stdin password keeps its trailing newline (as cosign)"
run env VOUCH_PASSWORD=from-stdin "$VOUCH" public-key --key stdin.key
expect_rc 2 "without the newline it is another password"
run "$VOUCH" public-key --key stdin.key <pw.txt
expect_rc 0 "public-key reads the password from stdin"

# --- prompt on the terminal (a real pseudo-terminal): no echo, asked twice when generating
TTY="/usr/bin/python3 $VOUCH_SRC/tests/cli/tty_answer.py"
run $TTY 'tty secret,tty secret' -- "$VOUCH" generate-key-pair --output-key-prefix tty
expect_rc 0 "password typed twice on a terminal"
expect_match "$OUT" "Enter password for private key: " "prompts on the terminal"
expect_match "$OUT" "Enter password for private key again: " "asks again to confirm"
case "$OUT" in *"tty secret"*) bad "password echoed on the terminal";; *) ok "password not echoed";; esac
run env VOUCH_PASSWORD='tty secret' "$VOUCH" public-key --key tty.key
expect_rc 0 "typed password (without the newline) opens the key"
run $TTY 'one,two' -- "$VOUCH" generate-key-pair --output-key-prefix tty2
expect_rc 2 "mismatched confirmation refused"
expect_match "$OUT" "vouch: passwords do not match" "mismatch message"
expect_absent tty2.key "mismatch: no key file"
expect_absent tty2.pub "mismatch: no public key file"
run $TTY 'tty secret' -- "$VOUCH" public-key --key tty.key
expect_rc 0 "public-key asks once on a terminal"
case "$OUT" in *"$(cat tty.pub)"*) ok "public-key after the prompt";; *) bad "public-key after the prompt: $OUT";; esac

# --- public-key -o / --outfile
run env VOUCH_PASSWORD=pw "$VOUCH" public-key --key ecdsa-p256.key -o out.pub
expect_rc 0 "public-key -o"
expect_eq "$OUT" "" "nothing on stdout with -o"
cmp -s out.pub ecdsa-p256.pub && ok "-o file matches" || bad "-o file differs"
run env VOUCH_PASSWORD=pw "$VOUCH" public-key --key ecdsa-p256.key --outfile=out2.pub
cmp -s out2.pub ecdsa-p256.pub && ok "--outfile= file matches" || bad "--outfile differs"

# --- peer vectors: cosign (both labels), skopeo; SEC1 plaintext; wrong passwords
for k in keys_test-pemcosignkey keys_test-pemsigstorekey; do
    run env VOUCH_PASSWORD=hello "$VOUCH" public-key --key "$K/$k.key"
    expect_rc 0 "cosign vector $k"
    expect_eq "$OUT" "$(cat "$K/$k.derived.pub")" "$k: public key as cosign's"
    run env VOUCH_PASSWORD=hellO "$VOUCH" public-key --key "$K/$k.key"
    expect_rc 2 "$k: wrong password"
    expect_one_line_err "$k wrong password"
    expect_eq "$ERR" "vouch: wrong password or corrupted key '$K/$k.key'" "$k: message names the file"
done
SK=$K/sk.private.ENCRYPTED-passphrase-test-passphrase.pem
run env COSIGN_PASSWORD=test-passphrase "$VOUCH" public-key --key "$SK"
expect_rc 0 "skopeo generate-sigstore-key vector"
expect_eq "$OUT" "$(cat "$K/sk.pub")" "skopeo key: public key matches sk.pub"
run env COSIGN_PASSWORD=wrong "$VOUCH" public-key --key "$SK"
expect_rc 2 "skopeo key: wrong password"
expect_one_line_err "skopeo key wrong password"
run env VOUCH_PASSWORD=hello "$VOUCH" public-key --key "$K/keys_test-pemcosigneckey.key"
expect_rc 2 "SEC1 plaintext refused"
expect_one_line_err "SEC1 plaintext"
expect_match "$ERR" "holds a SEC1 EC private key, not PKCS#8" "SEC1: clear reason"
run env VOUCH_PASSWORD=guess "$VOUCH" public-key --key "$K/cosign-test.key"
expect_rc 2 "cosign-test.key wrong password"
expect_eq "$ERR" "vouch: wrong password or corrupted key '$K/cosign-test.key'" "cosign-test.key message"

# --- damaged and missing files: exit 2, one line naming the file, no output file
head -c 300 ecdsa-p256.key >trunc.key
run env VOUCH_PASSWORD=pw "$VOUCH" public-key --key trunc.key -o t.pub
expect_rc 2 "truncated key"
expect_one_line_err "truncated key"
expect_match "$ERR" "'trunc.key'" "truncated: names the file"
expect_absent t.pub "truncated: no output file"
head -c 2000 /dev/urandom >garbage.key
run env VOUCH_PASSWORD=pw "$VOUCH" public-key --key garbage.key -o g.pub
expect_rc 2 "garbage key"
expect_one_line_err "garbage key"
expect_match "$ERR" "'garbage.key'" "garbage: names the file"
expect_absent g.pub "garbage: no output file"
run env VOUCH_PASSWORD=pw "$VOUCH" public-key --key missing.key
expect_rc 2 "missing key"
expect_one_line_err "missing key"
expect_match "$ERR" "cannot open 'missing.key'" "missing: names the file"
head -c 100000 /dev/zero | tr '\0' 'A' >huge.key
run env VOUCH_PASSWORD=pw "$VOUCH" public-key --key huge.key
expect_rc 2 "oversized key file refused"
expect_match "$ERR" "huge.key" "oversized: names the file"

# --- no temporary files left anywhere
left=$(ls -a | grep -c '\.tmp' || true)
expect_eq "$left" "0" "no temporary files left"
finish
