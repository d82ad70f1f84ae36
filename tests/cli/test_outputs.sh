#!/usr/bin/env bash
# Output files (issue 12): a regular file is replaced atomically; a symlink's target is
# written and the link kept; a FIFO, a device node and a /dev/stdout stand-in are written
# through, never replaced; "-" is standard output. Every target lives in the test's temp
# dir (never the real /dev/null or /dev/stdout).
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
export VOUCH_PASSWORD=""
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
openssl pkey -in ec.key -pubout -out ec.pub
printf 'hello\n' > file.txt
mkdir -p tree && printf 'x\n' > tree/a.txt

# --- a regular file: replaced by rename (new inode), content whole
printf 'old\n' > pub.pem
ino=$(stat -c %i pub.pem)
run "$VOUCH" public-key --key ec.key -o pub.pem
expect_rc 0 "regular file"
expect_eq "$(cat pub.pem)" "$(cat ec.pub)" "regular file holds the key"
if [ "$(stat -c %i pub.pem)" != "$ino" ]; then ok "regular file replaced atomically (new inode)"
else bad "regular file written in place"; fi

# --- a symlink: its target is written, the link stays a link
printf 'old\n' > real.pem
ln -s real.pem link.pem
run "$VOUCH" public-key --key ec.key -o link.pem
expect_rc 0 "symlink"
if [ -L link.pem ]; then ok "symlink kept"; else bad "symlink replaced by a file"; fi
expect_eq "$(cat real.pem)" "$(cat ec.pub)" "symlink target written"
ln -s missing/nowhere.pem dangling.pem
run "$VOUCH" public-key --key ec.key -o dangling.pem
expect_rc 2 "dangling symlink refused"
expect_match "$ERR" "dangling.pem" "error names the link"

# --- a FIFO: written through to its reader, still a FIFO afterwards
mkfifo fifo
timeout 60 cat fifo > fifo.out &  # bounded: a regression must not hang the suite
reader=$!
run "$VOUCH" sign-blob --key ec.key --output-signature fifo file.txt
expect_rc 0 "FIFO"
wait $reader
if [ -p fifo ]; then ok "FIFO kept"; else bad "FIFO replaced"; fi
run "$VOUCH" verify-blob --key ec.pub --signature fifo.out file.txt
expect_rc 0 "signature read from the FIFO verifies"

# --- a /dev/stdout stand-in: a symlink to /proc/self/fd/1 (the process's stdout, a pipe)
ln -s /proc/self/fd/1 stdout
"$VOUCH" sbom dir:tree -q -o spdx-json=stdout 2>err.txt | cat > via-stdout.json
RC=${PIPESTATUS[0]}
expect_rc 0 "sbom -o spdx-json=<stdout symlink>"
expect_eq "$(jq -r .spdxVersion via-stdout.json)" "SPDX-2.3" "the SBOM came out on stdout"
if [ -L stdout ]; then ok "stdout stand-in kept"; else bad "stdout stand-in replaced"; fi

# --- a device node made here (root only): the node survives
if mknod null c 1 3 2>/dev/null; then
    run "$VOUCH" public-key --key ec.key -o null
    expect_rc 0 "device node"
    if [ -c null ]; then ok "device node kept"; else bad "device node replaced by a file"; fi
    run "$VOUCH" sbom dir:tree -q -o cyclonedx-json=null
    expect_rc 0 "sbom to a device node"
    if [ -c null ]; then ok "device node kept (sbom)"; else bad "device node replaced (sbom)"; fi
else
    bad "mknod needs root: the device case is not run"
fi

# --- "-" is standard output
run "$VOUCH" public-key --key ec.key -o -
expect_rc 0 "-o -"
expect_eq "$OUT" "$(cat ec.pub)" "-o - prints the key"
expect_absent ./- "no file named '-'"
run "$VOUCH" attest-blob --key ec.key --predicate file.txt -o - file.txt
expect_rc 0 "attest-blob -o -"
expect_match "$OUT" '"payloadType":"application/vnd.in-toto\+json"' "envelope on stdout"

# --- a directory is refused, naming it
run "$VOUCH" public-key --key ec.key -o tree
expect_rc 2 "directory refused"
expect_match "$ERR" "tree" "error names the directory"
finish
