#!/usr/bin/env bash
# --select-catalogers (syft's expressions: names and tags, +NAME adds, -NAME removes) and
# --exclude GLOB (paths left out of the source) on dir:, file: and oci-dir: sources: the
# exact package set of each choice, excluded files absent from the file list too; an
# unknown cataloger is a usage error (exit 2).
. "$VOUCH_SRC/tests/support/lib.sh"
export SOURCE_DATE_EPOCH=1700000000

src=$T/src
mkdir -p "$src/etc" "$src/var/lib/dpkg" "$src/usr/lib/python3/dist-packages/six-1.16.0.dist-info" \
    "$src/app/node_modules/left-pad" "$src/app/node_modules/is-odd" "$src/app/rs"
printf 'ID=debian\nVERSION_ID="12"\n' >"$src/etc/os-release"
printf 'Package: hello\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.10-3\n' >"$src/var/lib/dpkg/status"
printf 'Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n' >"$src/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA"
printf '{"name": "left-pad", "version": "1.3.0"}' >"$src/app/node_modules/left-pad/package.json"
printf '{"name": "is-odd", "version": "3.0.1"}' >"$src/app/node_modules/is-odd/package.json"
printf '[[package]]\nname = "requests"\nversion = "2.32.3"\n' >"$src/app/poetry.lock"
printf 'version = 3\n\n[[package]]\nname = "serde"\nversion = "1.0.0"\n' >"$src/app/rs/Cargo.lock"

# purls of packages, and paths of files, one line each
pk() { jq -r '[.components[] | select(.type=="library") | .purl] | sort | join(" ")' "$1"; }
fl() { jq -r '[.components[] | select(.type=="file") | .name] | sort | join(" ")' "$1"; }
DEB='pkg:deb/debian/hello@2.10-3?arch=amd64&distro=debian-12'
ALL="pkg:cargo/serde@1.0.0 $DEB pkg:npm/is-odd@3.0.1 pkg:npm/left-pad@1.3.0 pkg:pypi/requests@2.32.3 pkg:pypi/six@1.16.0"

sel() { # sel DESC WANT ARGS...: packages of dir:src with ARGS
    local desc=$1 want=$2
    shift 2
    run "$VOUCH" sbom "dir:$src" -q -o "cyclonedx-json=$T/s.json" "$@"
    expect_rc 0 "$desc"
    expect_eq "$(pk "$T/s.json")" "$want" "$desc: packages"
}
sel "every cataloger" "$ALL"
sel "python (a name and a tag)" "pkg:pypi/requests@2.32.3 pkg:pypi/six@1.16.0" --select-catalogers python
sel "python-lock (a name)" "pkg:pypi/requests@2.32.3" --select-catalogers python-lock
sel "declared (lockfile tag)" "pkg:cargo/serde@1.0.0 pkg:pypi/requests@2.32.3" --select-catalogers declared
sel "os,+npm" "$DEB pkg:npm/is-odd@3.0.1 pkg:npm/left-pad@1.3.0" --select-catalogers os,+npm
sel "-language" "$DEB" --select-catalogers=-language
sel "two flags: installed (rust reads binaries too) and -python" "pkg:cargo/serde@1.0.0 $DEB pkg:npm/is-odd@3.0.1 pkg:npm/left-pad@1.3.0" \
    --select-catalogers installed --select-catalogers -python
sel "+rust only adds to the default (all)" "$ALL" --select-catalogers +rust
sel "rust,+dpkg,-binary" "$DEB" --select-catalogers rust,+dpkg,-binary
sel "--exclude ./app/node_modules/**" "pkg:cargo/serde@1.0.0 $DEB pkg:pypi/requests@2.32.3 pkg:pypi/six@1.16.0" \
    --exclude './app/node_modules/**'
expect_eq "$(fl "$T/s.json" | tr ' ' '\n' | grep -c node_modules)" 0 "--exclude: excluded files are not listed"
sel "--exclude **/*.lock" "$DEB pkg:npm/is-odd@3.0.1 pkg:npm/left-pad@1.3.0 pkg:pypi/six@1.16.0" --exclude '**/*.lock'
sel "--exclude app/node_modules/is-* and /var/lib/dpkg/status with python" "pkg:pypi/requests@2.32.3 pkg:pypi/six@1.16.0" \
    --exclude 'app/node_modules/is-*' --exclude /var/lib/dpkg/status --select-catalogers python
expect_eq "$(fl "$T/s.json")" "app/node_modules/left-pad/package.json app/poetry.lock app/rs/Cargo.lock etc/os-release usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA" \
    "--exclude: the file list is the rest, exactly"

run "$VOUCH" sbom "dir:$src" --select-catalogers python,nope
expect_rc 2 "unknown cataloger"
expect_eq "$ERR" "vouch: --select-catalogers: no cataloger or tag is named 'nope'
see 'vouch sbom --help'" "unknown cataloger: named"

# file: archive (lockfiles are not read there) and an OCI image
tar -C "$src" -cf "$T/src.tar" .
run "$VOUCH" sbom "file:$T/src.tar" -q -o "cyclonedx-json=$T/t.json" --select-catalogers -npm --exclude './usr/lib/**'
expect_rc 0 "file: with both options"
expect_eq "$(pk "$T/t.json")" "$DEB" "file: -npm and usr/lib excluded: the deb only"
expect_eq "$(fl "$T/t.json" | tr ' ' '\n' | grep -c '^usr/')" 0 "file: excluded paths not listed"
umoci init --layout "$T/lay" && umoci new --image "$T/lay:t" && umoci raw add-layer --image "$T/lay:t" "$T/src.tar"
run "$VOUCH" sbom "oci-dir:$T/lay:t" -q -o "cyclonedx-json=$T/i.json" --select-catalogers npm,python
expect_rc 0 "oci-dir with --select-catalogers"
expect_eq "$(pk "$T/i.json")" "pkg:npm/is-odd@3.0.1 pkg:npm/left-pad@1.3.0 pkg:pypi/six@1.16.0" "oci-dir: npm and python (installed) only"
run "$VOUCH" sbom "oci-dir:$T/lay:t" -q -o "cyclonedx-json=$T/i.json" --exclude '**/node_modules/**' --exclude 'var/**'
expect_rc 0 "oci-dir with --exclude"
expect_eq "$(pk "$T/i.json")" "pkg:pypi/six@1.16.0" "oci-dir: node_modules and var excluded"
expect_eq "$(fl "$T/i.json")" "app/poetry.lock app/rs/Cargo.lock etc/os-release usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA" \
    "oci-dir: the file list is the rest, exactly"
finish
