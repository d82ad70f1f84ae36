#!/usr/bin/env bash
# bench/sbom-tools.sh [BUILD_DIR]: `vouch sbom validate`, `diff` and `convert` on a
# 5,000-component SBOM (cdxgen's real CycloneDX 1.6 output for a Debian minbase rootfs) against
# python3-jsonschema (Draft7Validator with the same local schemas and format checks) and a
# jq diff keyed the same way, in one run (issue #18 target: >= 10x faster). Prints, asserts
# nothing.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build/release}
vouch=$build/cmd/vouch
shared=${VOUCH_SHARED:-$top/../shared}
[ -x "$vouch" ] || { echo "no $vouch: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
zcat "$shared/peers/sbom/cdxgen-rootfs-bookworm-minbase.cdx.json.gz" >"$tmp/a.json"
# B: every tenth component one version newer, every 50th removed
jq '.components |= [to_entries[] | select(.key % 50 != 7) | .value
    | if ((.name // "") | length) % 10 == 3 then .version = ((.version // "") + ".1") else . end]' \
    "$tmp/a.json" >"$tmp/b.json"
n=$(jq '.components | length' "$tmp/a.json")
cat >"$tmp/validate.py" <<'PY'
import json, sys, os, glob, jsonschema
from jsonschema import validators
# jsonschema 4.10 sorts dicts in an error message (TypeError on CycloneDX arrays of objects)
import jsonschema._validators as _jv, jsonschema._utils as _ju
def _extras_msg(extras):
    extras = list(extras); return ", ".join(repr(e) for e in extras), ("was" if len(extras) == 1 else "were")
_jv.extras_msg = _ju.extras_msg = _extras_msg
d = sys.argv[1]
store = {}
for f in glob.glob(os.path.join(d, '*.json')):
    s = json.load(open(f))
    if isinstance(s, dict) and '$id' in s: store[s['$id']] = s
schema = json.load(open(os.path.join(d, 'bom-1.6.schema.json')))
inst = json.load(open(sys.argv[2]))
Cls = validators.validator_for(schema)
v = Cls(schema, resolver=jsonschema.RefResolver.from_schema(schema, store=store), format_checker=Cls.FORMAT_CHECKER)
print(sum(1 for _ in v.iter_errors(inst)), 'errors')
PY
cat >"$tmp/diff.jq" <<'JQ'
def key: (.purl // ((.name // "") )) | sub("[@?#].*$"; "");
def idx: [.components[]? | select(.type != "file" and .type != "operating-system") | {key: key, value: .}] | from_entries;
($a[0] | idx) as $x | ($b[0] | idx) as $y
| ([$x | keys[] | select($y[.] == null) | "- " + .] + [$y | keys[] | select($x[.] == null) | "+ " + .]
   + [$x | keys[] | select($y[.] != null and $y[.].version != $x[.].version) | "~ " + .]) | .[]
JQ
best() { # label command...: best of 3 CPU times (user+sys, seconds: load on the machine
    #                      does not inflate them as it does wall time)
    local label=$1 b="" t
    shift
    for _ in 1 2 3; do
        /usr/bin/time -f "%U %S" -o "$tmp/t" "$@" >/dev/null 2>&1 || true
        t=$(tail -1 "$tmp/t" | awk "{print \$1 + \$2}")
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
    done
    printf '%-46s %7.2f s CPU\n' "$label" "$b" >&2
    echo "$b"
}
echo "input: $n components; load $(cut -d' ' -f1 /proc/loadavg)" >&2
v=$(best "vouch sbom validate" "$vouch" sbom validate "$tmp/a.json")
p=$(best "python3-jsonschema Draft7 + formats" /usr/bin/python3 "$tmp/validate.py" "$top/schemas/sbom" "$tmp/a.json")
d=$(best "vouch sbom diff" "$vouch" sbom diff "$tmp/a.json" "$tmp/b.json")
j=$(best "jq diff (same keys)" jq -n -r --slurpfile a "$tmp/a.json" --slurpfile b "$tmp/b.json" -f "$tmp/diff.jq")
f=$(best "floor: parse both files (jq -n [inputs])" jq -n "[inputs] | length" "$tmp/a.json" "$tmp/b.json")
# convert: no SPDX <-> CycloneDX converter is installed here (syft, cyclonedx-cli are not
# Debian packages), so the floor is jq reading the SBOM and writing it back indented
c=$(best "vouch sbom convert CycloneDX -> SPDX (+validate)" "$vouch" sbom convert -q "$tmp/a.json" -o "spdx-json=$tmp/c.spdx.json")
"$vouch" sbom convert -q "$tmp/a.json" -o "spdx-json=$tmp/c.spdx.json"
c2=$(best "vouch sbom convert SPDX -> CycloneDX (+validate)" "$vouch" sbom convert -q "$tmp/c.spdx.json" -o "cyclonedx-json=$tmp/c.cdx.json")
cf=$(best "floor: jq . (parse and print the SBOM)" jq . "$tmp/a.json")
ratio() { echo "scale=1; $1 / ($2 + 0.005)" | bc; }
printf 'validate: vouch is %sx faster than python3-jsonschema (target >= 10x)\n' "$(ratio "$p" "$v")"
printf 'diff:     vouch is %sx faster than jq (target >= 10x); %sx the floor of parsing the two files\n' \
    "$(ratio "$j" "$d")" "$(echo "scale=2; $d / ($f + 0.005)" | bc)"
printf 'convert:  %ss and %ss CPU each way (validation included), %sx the jq parse-and-print floor\n' \
    "$c" "$c2" "$(echo "scale=2; $c / ($cf + 0.005)" | bc)"
