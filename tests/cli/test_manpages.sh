#!/usr/bin/env bash
# Man pages: vouch(1) and vouch-COMMAND(1) for every command of `vouch help` (and each
# `vouch sbom` subcommand), rendered at build time by `vouch help --man` from the same usage
# text and option tables as `vouch help COMMAND`. Each page renders without a warning
# (groff -ww, mandoc -Tlint), every visible option of the table is in it, hidden ones not.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
MAN1=$VOUCH_BUILD/docs-gen/out/man1
export MANWIDTH=200

cmds=$("$VOUCH" help | awk '/^commands:/{f=1;next} f&&/^  /{print $1} /^$/{f=0}')
expect_eq "$(echo "$cmds" | wc -l)" "$(grep -c '^    {"' "$VOUCH_SRC/cmd/main.c")" \
    "vouch help lists every row of the command table"
pages="vouch"
for c in $cmds; do pages="$pages vouch-$c"; done
pages="$pages vouch-sbom-validate vouch-sbom-diff vouch-sbom-query"
expect_eq "$(ls "$MAN1" | sort | tr '\n' ' ')" "$(for p in $pages; do echo "$p.1"; done | sort | tr '\n' ' ')" \
    "the build made exactly one page per command and subcommand"

# lint: groff's warnings (all of them) and mandoc's (warning level and up)
for p in $pages; do
    f=$MAN1/$p.1
    [ -f "$f" ] || { bad "$p.1 missing"; continue; }
    w=$( { groff -man -Tutf8 -ww -z "$f" 2>&1; mandoc -Tlint -Wwarning "$f" 2>&1; } | head -3)
    if [ -z "$w" ]; then ok "$p.1 renders without warnings"; else bad "$p.1: $w"; fi
done

# the page is the binary's rendering, and holds the help text's options
render() { # PAGE: as text (mandoc's rendering, overstrikes removed)
    mandoc -Tutf8 -Owidth=200 "$1" | col -bx
}
page_of() { # CMD [SUB]: the page name
    echo "vouch-$1${2:+-$2}"
}
check_cmd() { # CMD [SUB]
    local p f help text missing="" opt
    p=$(page_of "$@")
    f=$MAN1/$p.1
    "$VOUCH" help --man "$@" >"$p.roff" 2>"$p.err"
    if cmp -s "$p.roff" "$f"; then ok "$p.1 is what 'vouch help --man $*' renders"; else
        # the date line may differ only when the build ran on another day
        if diff <(sed 1d "$p.roff") <(sed 1d "$f") >/dev/null; then ok "$p.1 is the binary's rendering (date aside)"
        else bad "$p.1 differs from 'vouch help --man $*'"; fi
    fi
    help=$("$VOUCH" help "$@")
    text=$(render "$f")
    # options: the rows of the help's option tables ("  -o, --output FORMAT   help")
    for opt in $(printf '%s\n' "$help" | sed -n 's/^  \(-[a-zA-Z], \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p'); do
        printf '%s\n' "$text" | grep -q -e "^ *\(-[a-zA-Z], \)\{0,1\}$opt\( \|$\)" || missing="$missing $opt"
    done
    if [ -z "$missing" ]; then ok "$p(1) lists every option of 'vouch help $*'"; else
        bad "$p(1) lacks options:$missing"; fi
    # the synopsis and the first description line of the help are in the page
    first=$(printf '%s\n' "$help" | sed -n '1s/^usage: //p')
    printf '%s\n' "$text" | grep -qF -- "$first" && ok "$p(1) synopsis" || bad "$p(1) lacks '$first'"
}
for c in $cmds; do check_cmd "$c"; done
for s in validate diff query; do check_cmd sbom "$s"; done

# exact checks of one page: NAME line, an option's rendering, a group title, a note
text=$(man -l "$MAN1/vouch-admit.1")
expect_match "$text" "vouch-admit - decide whether images may run under a policy" "vouch-admit(1) NAME"
expect_match "$text" "-p, --policy FILE" "vouch-admit(1) renders '-p, --policy FILE'"
expect_match "$text" "REGISTRY OPTIONS" "vouch-admit(1) has the registry options group"
expect_match "$text" "keeps signatures and attestations in that repository" "vouch-admit(1) has the group's note"
expect_match "$text" "EXIT STATUS" "vouch-admit(1) has EXIT STATUS"
# hidden options stay hidden: help's --man, sign's cosign-only spellings
if man -l "$MAN1/vouch-help.1" | grep -q -- '--man'; then bad "hidden --man is in vouch-help(1)"; else
    ok "hidden --man is not in vouch-help(1)"; fi
text=$(man -l "$MAN1/vouch.1")
for c in $cmds; do
    printf '%s\n' "$text" | grep -q "^ *vouch-$c(1)" || bad "vouch(1) does not list vouch-$c(1)"
done
ok "vouch(1) lists every command page"
expect_match "$(render "$MAN1/vouch-sbom.1")" "vouch-sbom-validate\(1\)" "vouch-sbom(1) points at vouch-sbom-validate(1)"
# roff escapes: a non-ASCII character of the help text is \[uXXXX] in the source
expect_match "$(grep -c '\\\[u2026\]' "$MAN1/vouch-verify-attestation.1")" '^[1-9]' \
    "UTF-8 in the help text is escaped for troff"
run "$VOUCH" help --man no-such-command
expect_rc 2 "help --man of an unknown command"
run "$VOUCH" help sbom nope
expect_rc 2 "help of an unknown subcommand"
run "$VOUCH" help verify nope
expect_rc 2 "help of a command without subcommands"
finish
