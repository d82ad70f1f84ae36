#!/usr/bin/env bash
# The option tables (cmd/opt.c): --flag=value and --flag value, options after operands,
# "--" ends the options, "-" is an operand, a word starting with "-" is never an operand,
# flags take =true/=false, "did you mean" for unknown commands and options, and
# `vouch help CMD` lists every option of the command's tables.
. "$VOUCH_SRC/tests/support/lib.sh"
cd "$T" || exit 1
export VOUCH_PASSWORD=""
EX=$VOUCH_SRC/docs/examples

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
openssl pkey -in ec.key -pubout -out ec.pub
printf 'hello\n' > file.txt

# --- the same signature whatever the spelling and order
run "$VOUCH" sign-blob --key ec.key --output-signature a.sig file.txt
expect_rc 0 "--flag value"
run "$VOUCH" sign-blob --key=ec.key --output-signature=b.sig file.txt
expect_rc 0 "--flag=value"
run "$VOUCH" sign-blob file.txt --key ec.key --output-signature c.sig
expect_rc 0 "options after the operand"
for s in a b c; do
    run "$VOUCH" verify-blob file.txt --key=ec.pub --signature $s.sig
    expect_rc 0 "$s.sig verifies (options after the operand)"
done
run "$VOUCH" verify-blob --key ec.pub --signature a.sig -o json file.txt
expect_rc 0 "-o VALUE (short option)"
expect_match "$OUT" '^\{"verified":true,"file":"file.txt"' "-o json result"
run "$VOUCH" verify-blob --key ec.pub --signature a.sig -ojson file.txt
expect_rc 0 "-oVALUE"
expect_match "$OUT" '"verified":true' "-ojson result"

# --- "--" ends the options; an operand after it may start with "-"
cp file.txt ./-file.txt
run "$VOUCH" sign-blob --key ec.key --output-signature d.sig -- -file.txt
expect_rc 0 "-- then an operand starting with '-'"
run "$VOUCH" verify-blob --key ec.pub --signature d.sig -- -file.txt
expect_rc 0 "verify after --"
run "$VOUCH" sign-blob --key ec.key -file.txt
expect_rc 2 "a word starting with '-' is an option, not a FILE"
expect_match "$ERR" "^vouch: unknown option '-file.txt'" "named as an unknown option"

# --- "-" alone is an operand (stdin)
run "$VOUCH" sign-blob --key ec.key --output-signature e.sig - <file.txt
expect_rc 0 "'-' is stdin"
run "$VOUCH" verify-blob --key ec.pub --signature e.sig file.txt
expect_rc 0 "stdin signature verifies"

# --- missing values, surplus operands, flags with =true/=false
run "$VOUCH" sign-blob file.txt --key
expect_rc 2 "missing value"
expect_match "$ERR" "^vouch: option '--key' needs a value \(KEY\)" "missing value message"
run "$VOUCH" sign-blob --key ec.key file.txt other.txt
expect_rc 2 "surplus operand"
expect_match "$ERR" "^vouch: unexpected argument 'other.txt'" "surplus operand message"
run "$VOUCH" generate-key-pair --force=maybe
expect_rc 2 "a flag takes only true or false"
expect_match "$ERR" "takes no value" "flag value message"
run "$VOUCH" generate-key-pair --output-key-prefix k1 --force=false
expect_rc 0 "--force=false"
run "$VOUCH" generate-key-pair --output-key-prefix k1 --force=false
expect_rc 2 "--force=false does not overwrite"
run "$VOUCH" generate-key-pair --output-key-prefix k1 --force=true
expect_rc 0 "--force=true overwrites"

# --- admit: options after the images are options, never images (issue 12)
run "$VOUCH" admit --offline nginx:1.25 --policy "$EX/offline.yaml" --output json
expect_rc 0 "admit IMAGE --policy P --output json"
expect_eq "$(jq -r '.results | length' "$T/out")" "1" "one image decided, not three"
expect_eq "$(jq -r '.results[0].image' "$T/out")" "docker.io/library/nginx:1.25" "the image"
run "$VOUCH" admit --policy "$EX/offline.yaml" nginx:1.25 --outptu json
expect_rc 2 "unknown option after an image"
expect_match "$ERR" "unknown option '--outptu'; did you mean '--output'\?" "did you mean"

# --- did you mean: commands
run "$VOUCH" verfiy
expect_rc 2 "misspelt command"
expect_match "$ERR" "^vouch: unknown command 'verfiy'; did you mean 'verify'\?" "command suggestion"
run "$VOUCH" frobnicate
expect_match "$ERR" "^vouch: unknown command 'frobnicate'$" "no suggestion when nothing is close"

# --- help lists the tables: every command's options, the shared registry group
run "$VOUCH" help verify-blob
expect_rc 0 "help verify-blob"
expect_match "$OUT" "^  -o, --output FORMAT" "short and long names"
for c in sign verify tree triangulate copy attest verify-attestation provenance admit; do
    run "$VOUCH" help $c
    expect_match "$OUT" "^registry options:" "$c: the registry options group"
    expect_match "$OUT" "^  --allow-insecure-registry" "$c: its rows"
done

# --- no option name is in two groups of one command (the first would shadow the second)
for c in $("$VOUCH" --help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1}'); do
    [ "$c" = webhook ] && continue
    dups=$("$VOUCH" help "$c" | grep -oE '^  (-[a-zA-Z], )?--[a-z0-9-]+' | sed 's/.*--/--/' | sort | uniq -d)
    expect_eq "$dups" "" "$c: every long option once"
done
finish
