#!/usr/bin/env bash
# vouch sbom over dir: and file: sources: exact package lists, byte-identical output with
# SOURCE_DATE_EPOCH, archives (tar.gz, tar.zst, tar.xz, zip), hostile archives, errors.
. "$VOUCH_SRC/tests/support/lib.sh"
FIX=$VECTORS/sbom/dpkg-distroless/static-debian11

# --- a small tree made here: dpkg status, a .list, a DEP-5 copyright, os-release
tree=$T/tree
mkdir -p "$tree/var/lib/dpkg/info" "$tree/usr/bin" "$tree/usr/share/doc/hello" "$tree/etc"
printf 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' >"$tree/etc/os-release"
cat >"$tree/var/lib/dpkg/status" <<'S'
Package: hello
Status: install ok installed
Architecture: amd64
Version: 2.10-3
Depends: libc6 (>= 2.34)

Package: libc6
Status: install ok installed
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u4
S
printf '/.\n/usr\n/usr/bin\n/usr/bin/hello\n' >"$tree/var/lib/dpkg/info/hello.list"
printf 'hello world\n' >"$tree/usr/bin/hello"
printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: GPL-3+\n' \
    >"$tree/usr/share/doc/hello/copyright"
ln -s hello "$tree/usr/bin/hi"

want_table='NAME   VERSION         TYPE
hello  2.10-3          deb
libc6  2.36-9+deb12u4  deb'
run "$VOUCH" sbom "dir:$tree"
expect_rc 0 "sbom dir: tree"
expect_eq "$OUT" "$want_table" "dir: package table"
run "$VOUCH" sbom "$tree"
expect_eq "$OUT" "$want_table" "bare directory is guessed as dir:"

export SOURCE_DATE_EPOCH=1700000000
run "$VOUCH" sbom "dir:$tree" -o "spdx-json=$T/a.spdx.json" -o "cyclonedx-json=$T/a.cdx.json" -o table
expect_rc 0 "several outputs in one run"
expect_eq "$OUT" "$want_table" "table on stdout beside files"
run "$VOUCH" sbom "dir:$tree" -o "spdx-json=$T/b.spdx.json" -o "cyclonedx-json=$T/b.cdx.json"
expect_eq "$(cmp "$T/a.spdx.json" "$T/b.spdx.json" && echo same)" "same" "spdx-json byte-identical"
expect_eq "$(cmp "$T/a.cdx.json" "$T/b.cdx.json" && echo same)" "same" "cyclonedx-json byte-identical"
run "$VOUCH" sbom "dir:$tree" -o cyclonedx-json
expect_eq "$(printf '%s\n' "$OUT" | cmp - "$T/a.cdx.json" && echo same)" "same" "stdout equals file"
expect_eq "$(jq -r .metadata.timestamp "$T/a.cdx.json")" "2023-11-14T22:13:20Z" "timestamp from SOURCE_DATE_EPOCH"
expect_eq "$(jq -r .creationInfo.created "$T/a.spdx.json")" "2023-11-14T22:13:20Z" "spdx created"
expect_eq "$(jq -r '[.components[] | select(.type=="library") | .purl] | join(" ")' "$T/a.cdx.json")" \
    "pkg:deb/debian/hello@2.10-3?arch=amd64&distro=debian-12 pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc" \
    "purls"
expect_eq "$(jq -r '.components[] | select(.name=="hello") | .licenses[0].license.id' "$T/a.cdx.json")" \
    "GPL-3.0-or-later" "DEP-5 license mapped to an SPDX id"
expect_eq "$(jq -r '.dependencies[] | select(.ref|startswith("pkg:deb/debian/hello")) | .dependsOn[0]' "$T/a.cdx.json")" \
    "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc" "Depends edge"
sum=$(sha256sum "$tree/usr/bin/hello" | cut -d' ' -f1)
expect_eq "$(jq -r '.components[] | select(.name=="usr/bin/hello") | .hashes[1].content' "$T/a.cdx.json")" \
    "$sum" "file SHA-256"
expect_eq "$(jq -r '[.relationships[] | select(.relationshipType=="CONTAINS")] | length' "$T/a.spdx.json")" \
    "3" "root CONTAINS 2 packages, hello CONTAINS its file"
expect_eq "$(jq -r '[.files[].fileName] | join(" ")' "$T/a.spdx.json")" \
    "./etc/os-release ./usr/bin/hello ./usr/share/doc/hello/copyright ./var/lib/dpkg/info/hello.list ./var/lib/dpkg/status" \
    "spdx file list (regular files only)"

# --- a real distroless root
run "$VOUCH" sbom "dir:$FIX" -o table
expect_eq "$OUT" 'NAME        VERSION          TYPE
base-files  11.1+deb11u1     deb
netbase     6.3              deb
tzdata      2021a-1+deb11u2  deb' "distroless fixture package list"

# --- archives made here: same packages and file digests as the directory
tar -C "$tree" -czf "$T/t.tar.gz" .
tar -C "$tree" -cf - . | zstd -q -o "$T/t.tar.zst"
tar -C "$tree" -cJf "$T/t.tar.xz" .
(cd "$tree" && /usr/bin/python3 -c 'import zipfile,os,sys
z=zipfile.ZipFile(sys.argv[1]+"/t.zip","w",zipfile.ZIP_DEFLATED)
for d,_,fs in os.walk("."):
    for f in fs:
        p=os.path.join(d,f)
        if not os.path.islink(p): z.write(p)
z.close()' "$T")
for a in t.tar.gz t.tar.zst t.tar.xz t.zip; do
    run "$VOUCH" sbom "file:$T/$a" -o table -o "cyclonedx-json=$T/$a.cdx.json"
    expect_rc 0 "file:$a"
    expect_eq "$OUT" "$want_table" "file:$a package table"
    expect_eq "$(jq -r '.components[] | select(.name=="usr/bin/hello") | .hashes[1].content' "$T/$a.cdx.json")" \
        "$sum" "file:$a file digest"
done
run "$VOUCH" sbom "$T/t.tar.zst"
expect_eq "$OUT" "$want_table" "bare file is guessed as file:"

# --- hostile archives
/usr/bin/python3 - "$T" <<'PY'
import io, sys, tarfile
t = sys.argv[1]
def mk(name, entries):
    with tarfile.open(f"{t}/{name}", "w") as tf:
        for n, kind, data in entries:
            ti = tarfile.TarInfo(n)
            if kind == "sym":
                ti.type, ti.linkname = tarfile.SYMTYPE, data
                tf.addfile(ti)
            else:
                ti.size = len(data)
                tf.addfile(ti, io.BytesIO(data))
mk("traversal.tar", [("../escape.txt", "f", b"x"), ("/abs/../../../etc/evil", "f", b"y"),
                     ("ok.txt", "f", b"ok")])
mk("loop.tar", [("etc/os-release", "sym", "../etc/os-release2"), ("etc/os-release2", "sym", "os-release"),
                ("lib/apk/db/installed", "sym", "/lib/apk/db/installed")])
# a header that declares 1 TiB of data followed by nothing
ti = tarfile.TarInfo("huge.bin"); ti.size = 1 << 40
hdr = ti.tobuf(format=tarfile.GNU_FORMAT)
open(f"{t}/absurd.tar", "wb").write(hdr + b"\0" * 1024)
PY
run "$VOUCH" sbom "file:$T/traversal.tar" -o "cyclonedx-json=$T/trav.json"
expect_rc 0 "path traversal names: skipped"
expect_match "$ERR" "'\.\./escape\.txt': entry name escapes the root, skipped" "traversal warning"
expect_eq "$(jq -r '[.components[].name] | join(" ")' "$T/trav.json")" "ok.txt" "only the safe entry is listed"
expect_absent "$T/../escape.txt" "nothing written outside"
run "$VOUCH" sbom "file:$T/loop.tar" -q
expect_rc 0 "symlink loops in an archive"
expect_eq "$ERR" "" "--quiet silences warnings"
run "$VOUCH" sbom "file:$T/loop.tar"
expect_match "$ERR" "too many levels of symbolic links" "loop reported as a warning"
mkdir -p "$T/looproot/etc" && ln -s os-release "$T/looproot/etc/os-release"
run "$VOUCH" sbom "dir:$T/looproot"
expect_rc 0 "symlink loop in a directory"
run "$VOUCH" sbom "file:$T/absurd.tar" -o "spdx-json=$T/absurd.json"
expect_rc 2 "absurd entry size"
expect_one_line_err "absurd entry size"
expect_absent "$T/absurd.json" "no output file after failure"
head -c $(($(stat -c %s "$T/t.tar.gz") / 2)) "$T/t.tar.gz" >"$T/trunc.tar.gz"
run "$VOUCH" sbom "file:$T/trunc.tar.gz" -o "spdx-json=$T/trunc.json"
expect_rc 2 "truncated gzip"
expect_one_line_err "truncated gzip"
expect_match "$ERR" "trunc\.tar\.gz" "error names the archive"
expect_absent "$T/trunc.json" "no partial output on truncated input"
# gzip: two members read as one stream; a bad CRC-32 or bytes after the last member fail
tar -C "$tree" -cf "$T/t.tar" .
{ head -c 3000 "$T/t.tar" | gzip -n; tail -c +3001 "$T/t.tar" | gzip -n; } >"$T/multi.tar.gz"
run "$VOUCH" sbom "file:$T/multi.tar.gz" -o table
expect_rc 0 "multi-member gzip"
expect_eq "$OUT" "$want_table" "multi-member gzip package table"
{ cat "$T/t.tar.gz"; printf 'junk'; } >"$T/garbage.tar.gz"
run "$VOUCH" sbom "file:$T/garbage.tar.gz"
expect_rc 2 "trailing garbage after gzip"
expect_eq "$ERR" "vouch: '$T/garbage.tar.gz': trailing garbage after gzip data" "garbage error"
/usr/bin/python3 -c 'import sys; d=bytearray(open(sys.argv[1],"rb").read()); d[-8]^=1
open(sys.argv[2],"wb").write(d)' "$T/t.tar.gz" "$T/badcrc.tar.gz"
run "$VOUCH" sbom "file:$T/badcrc.tar.gz" -o "spdx-json=$T/badcrc.json"
expect_rc 2 "gzip CRC mismatch"
expect_eq "$ERR" "vouch: '$T/badcrc.tar.gz': gzip CRC-32 or length mismatch" "CRC error"
expect_absent "$T/badcrc.json" "no output after a CRC mismatch"
# zstd (decompressed on the second thread like gzip): two frames read as one stream; a cut
# frame, bytes after the last frame or a flipped checksum fail with exit 2 naming the file
{ head -c 3000 "$T/t.tar" | zstd -q -c; tail -c +3001 "$T/t.tar" | zstd -q -c; } >"$T/multi.tar.zst"
run "$VOUCH" sbom "file:$T/multi.tar.zst" -o table
expect_rc 0 "multi-frame zstd"
expect_eq "$OUT" "$want_table" "multi-frame zstd package table"
head -c $(($(stat -c %s "$T/t.tar.zst") - 5)) "$T/t.tar.zst" >"$T/trunc.tar.zst"
run "$VOUCH" sbom "file:$T/trunc.tar.zst" -o "spdx-json=$T/trunc.json"
expect_rc 2 "truncated zstd"
expect_eq "$ERR" "vouch: '$T/trunc.tar.zst': truncated zstd data" "truncated zstd error"
expect_absent "$T/trunc.json" "no partial output on truncated zstd"
{ cat "$T/t.tar.zst"; printf 'junk'; } >"$T/garbage.tar.zst"
run "$VOUCH" sbom "file:$T/garbage.tar.zst"
expect_rc 2 "trailing garbage after zstd"
expect_match "$ERR" "^vouch: '$T/garbage.tar.zst': corrupt zstd data" "zstd garbage error"
zstd -q --check -c "$T/t.tar" >"$T/sum.tar.zst"
/usr/bin/python3 -c 'import sys; d=bytearray(open(sys.argv[1],"rb").read()); d[-1]^=1
open(sys.argv[2],"wb").write(d)' "$T/sum.tar.zst" "$T/badsum.tar.zst"
run "$VOUCH" sbom "file:$T/badsum.tar.zst"
expect_rc 2 "zstd checksum mismatch"
expect_match "$ERR" "^vouch: '$T/badsum.tar.zst': corrupt zstd data \\(.*checksum" "zstd checksum error"
# 512 MiB of zeros in one member, about 16 KiB once compressed: stops after 64 MiB of work
/usr/bin/python3 -c 'import sys,tarfile; ti=tarfile.TarInfo("zeros"); ti.size=512<<20
sys.stdout.buffer.write(ti.tobuf(format=tarfile.GNU_FORMAT))' >"$T/bomb.hdr"
{ cat "$T/bomb.hdr"; head -c 512M /dev/zero; head -c 1024 /dev/zero; } | zstd -q -o "$T/bomb.tar.zst"
run "$VOUCH" sbom "file:$T/bomb.tar.zst"
expect_rc 2 "decompression bomb"
expect_one_line_err "decompression bomb"
expect_match "$ERR" "decompression ratio above" "bomb error names the ratio"
head -c 4096 /dev/urandom >"$T/random.bin"
run "$VOUCH" sbom "file:$T/random.bin"
expect_rc 2 "not an archive"
expect_one_line_err "not an archive"

# --- outputs are streamed in 64 KiB pieces: 3000 files make a multi-piece document whose
# stdout and file renderings are the same bytes; a failing output leaves stdout empty
mkdir -p "$T/many/d"
(cd "$T/many/d" && seq -f 'f%05g' 1 3000 | xargs touch)
run "$VOUCH" sbom "dir:$T/many" -o cyclonedx-json -o "spdx-json=$T/many.spdx.json"
expect_rc 0 "sbom of 3000 files"
printf '%s\n' "$OUT" >"$T/many.stdout.json"
run "$VOUCH" sbom "dir:$T/many" -o "cyclonedx-json=$T/many.cdx.json"
expect_eq "$(cmp "$T/many.stdout.json" "$T/many.cdx.json" && echo same)" "same" "stdout and file outputs are the same bytes"
expect_eq "$(jq '[.components[] | select(.type=="file")] | length' "$T/many.cdx.json")" "3000" "every file listed once"
expect_eq "$(jq -r '.files[2999].fileName' "$T/many.spdx.json")" "./d/f03000" "files in path order"
expect_eq "$(jq -r '.files[0].checksums[1].checksumValue' "$T/many.spdx.json")" \
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" "empty file SHA-256"
run "$VOUCH" sbom "dir:$T/many" -o cyclonedx-json -o "spdx-json=$T/no/such/dir/x.json"
expect_rc 3 "output in a missing directory"
expect_one_line_err "output in a missing directory"
expect_match "$ERR" "no/such/dir/x\.json" "error names the output"
expect_eq "$OUT" "" "nothing on stdout when another output fails"

# --- terminal escapes in package names are neutralised in the table
mkdir -p "$T/esc/lib/apk/db" && printf 'P:evil\033[31mred\nV:1\n' >"$T/esc/lib/apk/db/installed"
run "$VOUCH" sbom "dir:$T/esc"
expect_eq "$(printf '%s' "$OUT" | tail -1)" "evil?[31mred  1        apk" "control bytes shown as '?'"

# --- usage and input errors
run "$VOUCH" sbom "dir:$T/nope"
expect_rc 2 "missing directory"
expect_one_line_err "missing directory"
run "$VOUCH" sbom "$T/nope"
expect_rc 2 "missing bare source"
run "$VOUCH" sbom "dir:$tree" -o xml
expect_rc 2 "unknown format"
run "$VOUCH" sbom "dir:$tree" -o table -o spdx-json
expect_rc 2 "two outputs on stdout"
run "$VOUCH" sbom "dir:$tree" --scope sideways
expect_rc 2 "bad --scope"
run "$VOUCH" sbom "dir:$tree" --scope all-layers
expect_rc 0 "--scope all-layers accepted"
run "$VOUCH" sbom
expect_rc 2 "no source"
run "$VOUCH" sbom "oci-dir:$T/img"
expect_rc 2 "missing image layout"
expect_one_line_err "missing image layout"
SOURCE_DATE_EPOCH=yesterday run "$VOUCH" sbom "dir:$tree"
expect_rc 2 "invalid SOURCE_DATE_EPOCH"
finish
