#!/usr/bin/env bash
# vouch completion bash|zsh|fish: generated from the command table and the option tables.
# bash: the script is sourced in `bash -c` and its function called with COMP_WORDS/COMP_CWORD
# set, the candidates checked exactly; fish: `complete -C` asks fish itself; zsh: the script
# parses (zsh -n) and defines its function. The build's installed copies are the same bytes.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
GEN=$VOUCH_BUILD/docs-gen/out/completion

for sh in bash zsh fish; do
    run "$VOUCH" completion "$sh"
    expect_rc 0 "completion $sh"
    cp "$T/out" "vouch.$sh"
done
cmp -s vouch.bash "$GEN/vouch.bash" && ok "the build's bash script is the binary's output" || bad "build's vouch.bash differs"
cmp -s vouch.zsh "$GEN/_vouch" && ok "the build's zsh script is the binary's output" || bad "build's _vouch differs"
cmp -s vouch.fish "$GEN/vouch.fish" && ok "the build's fish script is the binary's output" || bad "build's vouch.fish differs"

# --- bash: call _vouch as readline would
# comp WORD...: the candidates for the last word (COMP_CWORD = the last index), sorted, one line
comp() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _vouch
             [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$T/vouch.bash" "$@"
}
expect_eq "$(comp vouch ver)" \
    "verify verify-artifact verify-attestation verify-blob verify-blob-attestation verify-image version " \
    "bash: vouch ver<TAB>"
# every long option of `vouch help verify` starting with --cert, and nothing else
want=$("$VOUCH" help verify | sed -n 's/^  \(-[a-z], \)\{0,1\}\(--cert[a-z-]*\).*/\2/p' | sort | tr '\n' ' ')
expect_eq "$(comp vouch verify --cert)" "$want" "bash: vouch verify --cert<TAB>"
expect_match "$want" "^--certificate --certificate-chain --certificate-github-workflow-name .*--certificate-oidc-issuer-regexp $" \
    "the expected --cert list is the certificate and keyless options"
expect_eq "$(comp vouch verify --bundle-format '')" "legacy v3 " "bash: a fixed set of values"
expect_eq "$(comp vouch admit --output j)" "json " "bash: admit --output j<TAB>"
mkdir -p keys && : >keys/cosign.pub && : >keys/other.txt
expect_eq "$(comp vouch verify --key keys/co)" "keys/cosign.pub " "bash: --key completes files"
expect_eq "$(comp vouch admit --evidence-dir ke)" "keys " "bash: --evidence-dir completes directories"
expect_eq "$(comp vouch verify --scope '')" "" "bash: a free value offers nothing"
expect_eq "$(comp vouch webhook '')" "serve " "bash: webhook's subcommand (from its synopsis)"
expect_eq "$(comp vouch trusted-root '')" "path update " "bash: trusted-root's subcommands"
expect_eq "$(comp vouch sbom va)" "validate " "bash: sbom's subcommand table"
expect_eq "$(comp vouch sbom validate -)" "--quiet -q " "bash: options of sbom validate, not sbom's"
expect_match "$(comp vouch sbom -)" "--attest .*--scope" "bash: sbom's own options"
expect_eq "$(comp vouch completion '')" "bash fish zsh " "bash: completion's shells"
expect_eq "$(comp vouch help sign)" "sign sign-blob " "bash: help completes command names"
expect_eq "$(comp vouch frobnicate -)" "" "bash: an unknown command offers nothing"
# every visible option of every command is offered after '-'
missing=""
for c in $("$VOUCH" help | awk '/^commands:/{f=1;next} f&&/^  /{print $1} /^$/{f=0}'); do
    got=$(comp vouch "$c" -)
    for o in $("$VOUCH" help "$c" | sed -n 's/^  \(-[a-zA-Z], \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p'); do
        case " $got" in *" $o "*) ;; *) missing="$missing $c:$o" ;; esac
    done
done
if [ -z "$missing" ]; then ok "bash: every option of every command's help is offered"; else
    bad "bash: options not offered:$missing"; fi

# --- fish: fish itself completes
fcomp() { fish -c "source $T/vouch.fish; complete -C '$1'" | cut -f1 | sort | tr '\n' ' '; }
run fish -n "$T/vouch.fish"
expect_rc 0 "fish -n parses the fish script"
expect_eq "$(fcomp 'vouch ver')" \
    "verify verify-artifact verify-attestation verify-blob verify-blob-attestation verify-image version " \
    "fish: vouch ver<TAB>"
expect_eq "$(fcomp 'vouch verify --bundle-format ')" "legacy v3 " "fish: a fixed set of values"
expect_eq "$(fcomp 'vouch sbom validate -')" "--quiet -q " "fish: sbom validate's options"
expect_match "$(fcomp 'vouch verify --cert')" "^--certificate --certificate-chain --certificate-github-workflow-name .*--certificate-oidc-issuer-regexp $" \
    "fish: vouch verify --cert<TAB>"

# --- zsh: parses, and defines _vouch when sourced after compinit
run zsh -n "$T/vouch.zsh"
expect_rc 0 "zsh -n parses the zsh script"
run zsh -f -c "autoload -Uz compinit && compinit -u -d $T/zcompdump; source $T/vouch.zsh 2>/dev/null; whence -w _vouch"
expect_eq "$OUT" "_vouch: function" "zsh: the script defines _vouch"
expect_match "$(head -1 "$T/vouch.zsh")" "^#compdef vouch$" "zsh: #compdef line"

# --- errors
run "$VOUCH" completion
expect_rc 2 "completion without a shell"
expect_match "$ERR" "^vouch: name the shell: bash, zsh or fish" "the error says what is missing"
run "$VOUCH" completion tcsh
expect_rc 2 "completion of an unknown shell"
expect_match "$ERR" "unknown shell 'tcsh'" "the error names the shell"
finish
