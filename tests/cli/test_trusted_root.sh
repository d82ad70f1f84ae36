#!/usr/bin/env bash
# vouch trusted-root path: the default trusted root's lookup order ($VOUCH_TRUSTED_ROOT,
# the TUF cache, the installed data beside the binary), and usage errors.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
unset VOUCH_TRUSTED_ROOT
export XDG_CACHE_HOME=$T/xdg
BUILT=$VOUCH_BUILD/share/vouch/trusted_root.json

run "$VOUCH" trusted-root path
expect_rc 0 "default: the build tree's share/vouch"
expect_eq "$OUT" "$BUILT" "default path"
expect_eq "$(sha256sum <"$OUT" | cut -d' ' -f1)" \
    "$(sha256sum <"$SHARED/vectors/sigstore-conformance/trusted-roots/public-good.trusted_root.json" | cut -d' ' -f1)" \
    "the shipped root is Sigstore's public-good trusted root"

mkdir -p "$XDG_CACHE_HOME/vouch/tuf"
printf '{}' >"$XDG_CACHE_HOME/vouch/tuf/trusted_root.json"
run "$VOUCH" trusted-root path
expect_eq "$OUT" "$XDG_CACHE_HOME/vouch/tuf/trusted_root.json" "the TUF cache comes before the installed root"

unset XDG_CACHE_HOME
HOME=$T/home run "$VOUCH" trusted-root path
expect_eq "$OUT" "$BUILT" "no cache under HOME/.cache: installed"
mkdir -p "$T/home/.cache/vouch/tuf" && printf '{}' >"$T/home/.cache/vouch/tuf/trusted_root.json"
HOME=$T/home run "$VOUCH" trusted-root path
expect_eq "$OUT" "$T/home/.cache/vouch/tuf/trusted_root.json" "HOME/.cache/vouch/tuf"

printf '{}' >mine.json
HOME=$T/home VOUCH_TRUSTED_ROOT=$T/mine.json run "$VOUCH" trusted-root path
expect_eq "$OUT" "$T/mine.json" "VOUCH_TRUSTED_ROOT comes first"
VOUCH_TRUSTED_ROOT=$T/none.json run "$VOUCH" trusted-root path
expect_rc 2 "a VOUCH_TRUSTED_ROOT that does not exist"
expect_eq "$ERR" "vouch: trusted root '$T/none.json' does not exist" "missing file: the error"

# a copy of the binary elsewhere finds the data beside itself (BIN/../share/vouch)
mkdir -p reloc/bin reloc/share/vouch && cp "$VOUCH" reloc/bin/vouch && printf '{}' >reloc/share/vouch/trusted_root.json
HOME=$T/nohome run reloc/bin/vouch trusted-root path
expect_eq "$OUT" "$T/reloc/share/vouch/trusted_root.json" "relocated binary: its own share/vouch"

run "$VOUCH" trusted-root
expect_rc 2 "no subcommand"
run "$VOUCH" trusted-root frobnicate
expect_rc 2 "unknown subcommand"
run "$VOUCH" trusted-root path extra
expect_rc 2 "extra argument"
run "$VOUCH" trusted-root --help
expect_rc 0 "help"
expect_match "$OUT" "vouch trusted-root update \[--mirror URL\]" "help: usage line"
run "$VOUCH" --help
expect_match "$OUT" "trusted-root" "listed in vouch --help"
finish
