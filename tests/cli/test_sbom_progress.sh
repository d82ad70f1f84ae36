#!/usr/bin/env bash
# vouch sbom progress (docs/CLI.md): one updating line on stderr only when stderr is a
# terminal (a pseudo-terminal from script(1) here), none in a file or with --quiet, the
# line cleared before any other output, and the SBOM bytes the same either way.
. "$VOUCH_SRC/tests/support/lib.sh"
export SOURCE_DATE_EPOCH=1700000000
export TERM=xterm # whatever the CI's: TERM=dumb turns progress off (tested below)
ESC=$'\033'
CR=$'\r'

# on_tty SHOWN CMD...: run CMD on a new pseudo-terminal (stdin, stdout and stderr); what
# the terminal showed goes to the file SHOWN and into $SHOWN, the exit code into RC
on_tty() {
    local file=$1 cmd
    shift
    cmd=$(printf '%q ' "$@")
    SHELL=/bin/bash script -qec "$cmd" /dev/null </dev/null >"$file"
    RC=$?
    SHOWN=$(
        cat "$file"
        echo x
    )
    SHOWN=${SHOWN%x}
    if grep -q -e 'AddressSanitizer' -e 'runtime error:' -e 'LeakSanitizer' "$file"; then
        bad "sanitizer report from: $*"
    fi
}
# starts_with TEXT PREFIX DESC / ends_with TEXT SUFFIX DESC (exact bytes)
starts_with() {
    if [ "${1:0:${#2}}" = "$2" ]; then ok "$3"; else bad "$3: starts '$(printf '%q' "${1:0:80}")'"; fi
}
ends_with() {
    if [ "${1: -${#2}}" = "$2" ]; then ok "$3"; else bad "$3: ends '$(printf '%q' "${1: -80}")'"; fi
}

tree=$T/tree
mkdir -p "$tree/var/lib/dpkg" "$tree/usr/bin" "$tree/etc"
printf 'ID=debian\nVERSION_ID="12"\n' >"$tree/etc/os-release"
printf 'Package: hello\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.10-3\n' \
    >"$tree/var/lib/dpkg/status"
printf 'hello world\n' >"$tree/usr/bin/hello"
head -c 3000000 /dev/zero >"$tree/usr/bin/big"
first="${CR}vouch: reading source: 1 entries, 0.0 MiB (0.0 MiB/s)${ESC}[K"

# --- stderr in a file: no progress; this run's SBOM is the reference
run "$VOUCH" sbom "dir:$tree" -o "cyclonedx-json=$T/ref.json"
expect_rc 0 "sbom with stderr in a file"
expect_eq "$ERR" "" "no progress when stderr is not a terminal"

# --- stderr on a terminal: the first report is drawn, the line cleared at the end
on_tty "$T/tty.out" "$VOUCH" sbom "dir:$tree" -o "cyclonedx-json=$T/tty.json"
expect_rc 0 "sbom on a terminal"
starts_with "$SHOWN" "$first" "progress line drawn on the terminal (entries, MiB, rate)"
ends_with "$SHOWN" "${CR}${ESC}[K" "progress line cleared at the end"
if cmp -s "$T/ref.json" "$T/tty.json"; then ok "SBOM identical with progress"; else
    bad "SBOM differs with progress on a terminal"; fi

# --- --quiet on a terminal: nothing shown, same SBOM
on_tty "$T/q.out" "$VOUCH" sbom --quiet "dir:$tree" -o "cyclonedx-json=$T/q.json"
expect_rc 0 "sbom --quiet on a terminal"
expect_eq "$SHOWN" "" "--quiet: no progress on a terminal"
if cmp -s "$T/ref.json" "$T/q.json"; then ok "SBOM identical with --quiet"; else
    bad "SBOM differs with --quiet"; fi
on_tty "$T/q2.out" "$VOUCH" sbom -q "dir:$tree" -o "cyclonedx-json=$T/q2.json"
expect_eq "$SHOWN" "" "-q: no progress on a terminal"

# --- a terminal that cannot erase a line (TERM=dumb): nothing shown
on_tty "$T/dumb.out" env TERM=dumb "$VOUCH" sbom "dir:$tree" -o "cyclonedx-json=$T/dumb.json"
expect_rc 0 "sbom on a TERM=dumb terminal"
expect_eq "$SHOWN" "" "TERM=dumb: no progress"

# --- stdout on the same terminal: the table starts on a clean line after the progress
on_tty "$T/table.out" "$VOUCH" sbom "dir:$tree"
expect_rc 0 "table on a terminal"
starts_with "$SHOWN" "$first" "progress before the table"
after=${SHOWN##*"${ESC}[K"}
expect_eq "${after//$CR/}" $'NAME   VERSION  TYPE\nhello  2.10-3   deb\n' "table after the cleared progress line"

# --- image source: layer i of n with its digest
mkdir -p "$T/l1" && cp -r "$tree/." "$T/l1/" && tar -C "$T/l1" -cf "$T/l1.tar" .
umoci init --layout "$T/lay" && umoci new --image "$T/lay:t" &&
    umoci raw add-layer --image "$T/lay:t" "$T/l1.tar"
mdig=$(jq -r '.manifests[0].digest' "$T/lay/index.json")
L1=$(jq -r '.layers[0].digest' "$T/lay/blobs/sha256/${mdig#sha256:}")
on_tty "$T/img.out" "$VOUCH" sbom "oci-dir:$T/lay:t" -o "cyclonedx-json=$T/img.json"
expect_rc 0 "image sbom on a terminal"
starts_with "$SHOWN" "${CR}vouch: reading layer 1/1 (${L1:0:19}): 0 entries, 0.0 MiB (0.0 MiB/s)${ESC}[K" \
    "image progress names layer 1/1 and its digest"
ends_with "$SHOWN" "${CR}${ESC}[K" "image progress line cleared"
run "$VOUCH" sbom "oci-dir:$T/lay:t" -o "cyclonedx-json=$T/img-ref.json"
expect_eq "$ERR" "" "image: no progress when stderr is a file"
if cmp -s "$T/img-ref.json" "$T/img.json"; then ok "image SBOM identical with progress"; else
    bad "image SBOM differs with progress"; fi

# --- a failure mid-walk: the error starts on a clean line, no output file
head -c 2000000 /dev/urandom >"$T/l1/usr/bin/noise"
tar -C "$T/l1" -czf "$T/full.tar.gz" . && head -c 1500000 "$T/full.tar.gz" >"$T/cut.tar.gz"
on_tty "$T/cut.out" "$VOUCH" sbom "file:$T/cut.tar.gz" -o "cyclonedx-json=$T/cut.json"
expect_rc 2 "truncated archive on a terminal"
starts_with "$SHOWN" "$first" "progress drawn before the failure"
after=${SHOWN##*"${ESC}[K"}
expect_match "$after" "^vouch: '[^']*cut\.tar\.gz': truncated [^${CR}]*${CR}$" \
    "error line after the cleared progress line"
expect_absent "$T/cut.json" "no output file after the failure"

finish
