#!/usr/bin/env bash
# cmake --install into a DESTDIR: libvouch-{sign,sbom,slsa} shared (SONAME) and static,
# headers under include/vouch/, pkg-config files, the CMake package and the data files;
# only the public API exported (nm -D); examples/c built through pkg-config (shared and
# static) and through find_package(vouch), and run.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
DEST=$T/root
EX=$VOUCH_SRC/examples/c

run env DESTDIR="$DEST" cmake --install "$VOUCH_BUILD"
expect_rc 0 "cmake --install into a DESTDIR"
PREFIX=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$VOUCH_BUILD/CMakeCache.txt")
P=$DEST$PREFIX
LIB=$(dirname "$(find "$P" -name libvouch-sign.so.0 | head -1)")
for f in bin/vouch share/vouch/trusted_root.json share/vouch/tuf-root.json \
    include/vouch/vouch/error.h include/vouch/sign/key.h include/vouch/sign/tuf.h \
    include/vouch/sbom/doc.h include/vouch/slsa/policy.h; do
    if [ -f "$P/$f" ]; then ok "installed $f"; else bad "missing $f"; fi
done
for l in sign sbom slsa; do
    for f in libvouch-$l.so.0.1.0 libvouch-$l.a pkgconfig/vouch-$l.pc; do
        if [ -f "$LIB/$f" ]; then ok "installed $f"; else bad "missing $f"; fi
    done
    expect_eq "$(readlink "$LIB/libvouch-$l.so.0")" "libvouch-$l.so.0.1.0" "libvouch-$l.so.0 links the version"
    expect_eq "$(readlink "$LIB/libvouch-$l.so")" "libvouch-$l.so.0" "libvouch-$l.so links the SONAME"
    expect_eq "$(readelf -d "$LIB/libvouch-$l.so.0.1.0" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')" \
        "libvouch-$l.so.0" "libvouch-$l SONAME"
done
[ -f "$LIB/cmake/vouch/vouchConfig.cmake" ] && ok "installed vouchConfig.cmake" || bad "missing vouchConfig.cmake"
run "$P/bin/vouch" trusted-root path
expect_eq "$OUT" "$P/share/vouch/trusted_root.json" "the installed binary finds its installed data"

# --- man pages (one per command, and per sbom subcommand) and completion scripts
cmds=$("$P/bin/vouch" help | awk '/^commands:/{f=1;next} f&&/^  /{print $1} /^$/{f=0}')
missing=0
for c in "" $cmds sbom-validate sbom-diff sbom-query; do
    page=vouch${c:+-$c}
    found=$(MANPATH=$P/share/man man -w "$page" 2>/dev/null)
    [ "$found" = "$P/share/man/man1/$page.1" ] || { bad "man -w $page: '$found'"; missing=1; }
done
[ "$missing" -eq 0 ] && ok "man finds vouch(1) and vouch-COMMAND(1) for $(echo $cmds | wc -w) commands"
for f in share/bash-completion/completions/vouch share/zsh/site-functions/_vouch     share/fish/vendor_completions.d/vouch.fish; do
    if [ -f "$P/$f" ]; then ok "installed $f"; else bad "missing $f"; fi
done

# --- symbol visibility: every exported function is declared in the library's public
# headers; private helpers are not exported
check_exports() { # LIB HEADER_DIRS...
    local lib=$1 sym missing=0 n
    shift
    nm -D --defined-only "$LIB/libvouch-$lib.so.0.1.0" | awk '$2 == "T" {print $3}' | sed 's/@.*//' >"exports-$lib"
    n=$(wc -l <"exports-$lib")
    while read -r sym; do
        grep -rqE "(^|[ *])$sym\(" "$@" || { missing=1; echo "    not public: $sym"; }
    done <"exports-$lib"
    if [ "$missing" -eq 0 ] && [ "$n" -gt 20 ]; then ok "libvouch-$lib exports only its public API ($n functions)"; else
        bad "libvouch-$lib exports non-public symbols (or too few: $n)"; fi
    if nm -D --defined-only "$LIB/libvouch-$lib.so.0.1.0" | awk '$2 != "T" && $2 != "A"' | grep -q .; then
        bad "libvouch-$lib exports data symbols"; else ok "libvouch-$lib exports no data"; fi
}
check_exports sign "$P/include/vouch/vouch" "$P/include/vouch/sign"
check_exports sbom "$P/include/vouch/sbom"
check_exports slsa "$P/include/vouch/slsa"
for sym in tuf_cjson tuf_verify_role reg_do key_from_pkey sign_jread_load; do
    if grep -qx "$sym" exports-sign; then
        case $sym in sign_jread_load) ok "public $sym is exported";; *) bad "private $sym is exported";; esac
    else
        case $sym in sign_jread_load) bad "public $sym is not exported";; *) ok "private $sym is not exported";; esac
    fi
done
grep -qx sign_key_load_public exports-sign && ok "sign_key_load_public exported" || bad "sign_key_load_public not exported"
grep -qx sbom_catalog_run exports-sbom && ok "sbom_catalog_run exported" || bad "sbom_catalog_run not exported"

# --- the examples through pkg-config, against the DESTDIR tree
export PKG_CONFIG_PATH=$LIB/pkgconfig # the .pc files find the prefix from their own place
CFLAGS="-std=c17 -Wall -Wextra -Werror"
if grep -q '^VOUCH_SANITIZE:BOOL=ON' "$VOUCH_BUILD/CMakeCache.txt"; then
    CFLAGS="$CFLAGS -fsanitize=address,undefined" # the libraries were built so
fi
INC=$(pkg-config --cflags vouch-sign | xargs)
expect_eq "$(cd "${INC#-I}" 2>/dev/null && pwd -P)" "$(cd "$P/include/vouch" && pwd -P)" \
    "pkg-config: cflags name the DESTDIR tree's include/vouch"
expect_eq "$(pkg-config --modversion vouch-slsa)" "0.1.0" "pkg-config: version"
# shellcheck disable=SC2046,SC2086
run cc $CFLAGS "$EX/verify_blob.c" $(pkg-config --cflags --libs vouch-sign) -o verify_blob
expect_rc 0 "verify_blob.c builds with pkg-config (shared)"
# shellcheck disable=SC2046,SC2086
run cc $CFLAGS "$EX/sbom_dir.c" $(pkg-config --cflags --libs vouch-sbom) -o sbom_dir
expect_rc 0 "sbom_dir.c builds with pkg-config (shared)"
STATIC_DEPS=$(pkg-config --static --libs vouch-sbom | sed -E 's/-lvouch-s[a-z]+//g')
# shellcheck disable=SC2046,SC2086
run cc $CFLAGS "$EX/sbom_dir.c" $(pkg-config --cflags vouch-sbom) -L"$LIB" \
    -Wl,-Bstatic -lvouch-sbom -lvouch-sign -Wl,-Bdynamic $STATIC_DEPS -o sbom_dir_static
expect_rc 0 "sbom_dir.c builds with pkg-config --static against the .a files"
if readelf -d sbom_dir_static | grep -q 'libvouch'; then bad "static sbom_dir needs libvouch"; else
    ok "static sbom_dir needs no libvouch*.so"; fi
readelf -d verify_blob | grep -q 'NEEDED.*\[libvouch-sign.so.0\]' && ok "verify_blob needs libvouch-sign.so.0" ||
    bad "verify_blob does not link libvouch-sign.so.0"

# a signature made by openssl, checked by the example
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem 2>/dev/null
openssl pkey -in k.pem -pubout -out k.pub
printf 'hello, libvouch\n' >msg.txt
openssl dgst -sha256 -sign k.pem -out msg.der msg.txt && base64 -w0 msg.der >msg.sig
export LD_LIBRARY_PATH=$LIB
run ./verify_blob k.pub msg.txt msg.sig
expect_rc 0 "verify_blob accepts openssl's signature"
expect_eq "$OUT" "Verified OK" "verify_blob output"
printf 'hello, libvouch!\n' >msg2.txt
run ./verify_blob k.pub msg2.txt msg.sig
expect_rc 1 "verify_blob rejects another file"
run ./verify_blob k.pub msg.txt
expect_rc 2 "verify_blob usage"

ROOTFS=$VOUCH_SRC/testvectors/sbom/dpkg-distroless/static-debian11
SOURCE_DATE_EPOCH=0 run "$VOUCH" sbom "dir:$ROOTFS" -o "spdx-json=$T/want.spdx.json"
expect_rc 0 "vouch sbom of the fixture"
run ./sbom_dir "$ROOTFS"
expect_rc 0 "sbom_dir (shared) runs"
cp "$T/out" got-shared.json
expect_eq "$(sha256sum <got-shared.json)" "$(sha256sum <want.spdx.json)" \
    "sbom_dir writes the bytes vouch sbom writes"
expect_match "$ERR" "^[1-9][0-9]* packages, [1-9][0-9]* files$" "sbom_dir counts"
run ./sbom_dir_static "$ROOTFS"
expect_rc 0 "sbom_dir (static) runs"
expect_eq "$(sha256sum <"$T/out")" "$(sha256sum <want.spdx.json)" "static sbom_dir: same bytes"

# --- the CMake package
unset LD_LIBRARY_PATH
run cmake -S "$EX" -B ex-build -DCMAKE_PREFIX_PATH="$P" -DCMAKE_C_FLAGS="$CFLAGS" \
    -DCMAKE_C_COMPILER_LAUNCHER=
expect_rc 0 "find_package(vouch) configures"
run cmake --build ex-build
expect_rc 0 "the examples build through vouch::sign, vouch::sbom, vouch::sbom_static"
run ex-build/verify_blob k.pub msg.txt msg.sig
expect_rc 0 "CMake-built verify_blob (shared, RPATH from the imported target)"
run ex-build/sbom_dir_static "$ROOTFS"
expect_eq "$(sha256sum <"$T/out")" "$(sha256sum <want.spdx.json)" "CMake-built static sbom_dir: same bytes"
finish
