#!/usr/bin/env bash
# vouch lifecycle preview: ECR lifecycle rules evaluated as ECR does, and what they do to
# cosign's companions (orphaned signatures, kept images losing theirs), plus --fix.
. "$VOUCH_SRC/tests/support/lib.sh"
L=$VECTORS/ecr-lifecycle
AT=2026-12-01T00:00:00Z
h() { printf "$1%.0s" $(seq 64); }
a=$(h a) b=$(h b) c=$(h c) d=$(h d) e=$(h e) f=$(h f)

run "$VOUCH" lifecycle preview --policy "$L/lifecycle.json" --images "$L/describe-images.json" --at "$AT"
expect_rc 1 "a kept release loses its signature and attestation"
cat >"$T/want" <<W
expire  sha256:$a v1.0.0 (rule 1)
expire  sha256:1111111111111111111111111111111111111111111111111111111111111111 sha256-$a.sig (rule 3)
keep    sha256:$b v1.1.0
expire  sha256:2222222222222222222222222222222222222222222222222222222222222222 sha256-$b.sig (rule 3)
  LOST    the signature of kept image sha256:$b expires: gates that require it will deny the image
expire  sha256:3333333333333333333333333333333333333333333333333333333333333333 sha256-$b.att (rule 3)
  LOST    the attestation of kept image sha256:$b expires: gates that require it will deny the image
keep    sha256:$c v1.2.0,latest
keep    sha256:4444444444444444444444444444444444444444444444444444444444444444 sha256-$c.sig
expire  sha256:$d (rule 2)
expire  sha256:5555555555555555555555555555555555555555555555555555555555555555 sha256-$f.sig (rule 3)
keep    sha256:$e dev-abc
W
expect_eq "$(cat "$T/out")" "$(cat "$T/want")" "the plan, image by image"
expect_eq "$ERR" "vouch: 2 kept image companion(s) would expire" "summary on stderr"

# JSON carries the same verdicts
run "$VOUCH" lifecycle preview --policy "$L/lifecycle.json" --images "$L/describe-images.json" --at "$AT" --output json
expect_rc 1 "json: same exit"
expect_eq "$(jq -c '[.[] | select(.lost) | .role]' "$T/out")" '["signature","attestation"]' "json: lost companions"
expect_eq "$(jq -c '[.[] | select(.orphaned) | .tags[0]]' "$T/out")" "[\"sha256-$a.sig\",\"sha256-$f.sig\"]" "json: orphans"
expect_eq "$(jq '[.[] | select(.expired)] | length' "$T/out")" "6" "json: six expire"

# --fix: a first rule keeps every sha256- tag; re-previewed, no kept image loses anything
run "$VOUCH" lifecycle preview --policy "$L/lifecycle.json" --images "$L/describe-images.json" --at "$AT" --fix "$T/fixed.json"
expect_rc 1 "the preview of the old policy still fails"
expect_eq "$(jq -c '[.rules[] | .rulePriority]' "$T/fixed.json")" "[1,2,3,4]" "fix: priorities shifted"
expect_eq "$(jq -c '.rules[0].selection' "$T/fixed.json")" '{"tagStatus":"tagged","tagPrefixList":["sha256-"],"countType":"imageCountMoreThan","countNumber":9999}' "fix: keep rule"
expect_eq "$(jq -c '.rules[1:] | map(del(.rulePriority))' "$T/fixed.json")" "$(jq -c '.rules | map(del(.rulePriority))' "$L/lifecycle.json")" "fix: the other rules unchanged"
run "$VOUCH" lifecycle preview --policy "$T/fixed.json" --images "$L/describe-images.json" --at "$AT"
expect_rc 0 "fixed policy keeps companions"
expect_match "$OUT" "^expire  sha256:$a v1.0.0 \(rule 2\)$" "release still expires"
expect_match "$OUT" "orphan  signature of sha256:$a, which is gone or expires" "its signature is now an orphan"
expect_match "$OUT" "orphan  signature of sha256:$f" "the old orphan too"
expect_eq "$(grep -c '^expire' "$T/out")" "2" "only the release and the untagged image expire"

# ECR's own validity rules, each refused with its reason (exit 2)
refused() {
    printf '%s' "$1" >"$T/bad.json"
    run "$VOUCH" lifecycle preview --policy "$T/bad.json" --images "$L/describe-images.json"
    expect_rc 2 "$2: exit 2"
    expect_eq "$ERR" "vouch: '$T/bad.json': $3" "$2: message"
}
R='"action":{"type":"expire"}'
refused '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},'"$R"'},{"rulePriority":2,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},'"$R"'}]}' \
    "any not last" "rule 1: a tagStatus 'any' rule must have the highest rulePriority"
refused '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["a"],"tagPatternList":["b*"],"countType":"imageCountMoreThan","countNumber":1},'"$R"'}]}' \
    "both lists" "rule 1: tagged needs exactly one of tagPrefixList and tagPatternList"
refused '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPatternList":["*a*b*c*d*"],"countType":"imageCountMoreThan","countNumber":1},'"$R"'}]}' \
    "five wildcards" "rule 1: tag pattern '*a*b*c*d*' has more than 4 wildcards"
refused '{"rules":[{"rulePriority":3,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},'"$R"'},{"rulePriority":3,"selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":1},'"$R"'}]}' \
    "same priority" "two rules have rulePriority 3"
refused '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countNumber":1},'"$R"'}]}' \
    "no countUnit" "rule 1: countType 'sinceImagePushed' with countUnit '' (want imageCountMoreThan without a unit, or sinceImagePushed in days)"
refused '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"delete"}}]}' \
    "unknown action" "rule 1: action type is not 'expire'"
refused '{"rules":[]}' "no rules" "'rules' is not a list of 1 to 1000 rules"
refused '{"rules":[{"rulePriority":1}' "truncated" "invalid JSON at line 1: ']' expected near end of file"
refused '{"rules":[],"rules":[]}' "duplicate key" "invalid JSON at line 1: duplicate object key near '\"rules\"'"

# a page of a paginated describe-images is not the repository
printf '{"imageDetails":[],"nextToken":"x"}' >"$T/page.json"
run "$VOUCH" lifecycle preview --policy "$L/lifecycle.json" --images "$T/page.json"
expect_rc 2 "paginated images refused"
expect_eq "$ERR" "vouch: '$T/page.json': one page of a paginated answer (nextToken): list every image" "pagination message"
run "$VOUCH" lifecycle preview --policy "$L/lifecycle.json"
expect_rc 2 "--images required"
run "$VOUCH" lifecycle preview --policy "$L/lifecycle.json" --images "$L/describe-images.json" --at yesterday
expect_rc 2 "bad --at"
run "$VOUCH" lifecycle frobnicate
expect_rc 2 "unknown subcommand"
finish
