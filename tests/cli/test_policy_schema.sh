#!/usr/bin/env bash
# schemas/vouch-policy.schema.json accepts every documented example (and vouch loads each),
# and rejects what vouch rejects (unknown key, wrong type, bad mode, bad date).
. "$VOUCH_SRC/tests/support/lib.sh"
SCHEMA=$VOUCH_SRC/schemas/vouch-policy.schema.json
cat >"$T/validate.py" <<'PY'
import json, sys, yaml, jsonschema
# YAML timestamps stay strings, as vouch reads them
class Loader(yaml.SafeLoader):
    pass
Loader.yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
                                  for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
bad = 0
for path in sys.argv[2:]:
    with open(path) as f:
        doc = json.load(f) if path.endswith(".json") else yaml.load(f, Loader=Loader)
    errs = list(v.iter_errors(doc))
    print("valid" if not errs else "invalid", path)
    bad += bool(errs)
sys.exit(1 if bad else 0)
PY
EXAMPLES=$(ls "$VOUCH_SRC"/docs/examples/*.yaml "$VOUCH_SRC"/docs/examples/*.json)
run /usr/bin/python3 "$T/validate.py" "$SCHEMA" $EXAMPLES
expect_rc 0 "schema accepts every example"
expect_eq "$(grep -c '^valid ' "$T/out")" "$(echo "$EXAMPLES" | wc -l)" "each example validated"
for f in $EXAMPLES; do
    run "$VOUCH" admit --offline --policy "$f" ghcr.io/acme/app:v1.0.0
    if [ "$RC" -le 1 ]; then ok "vouch loads $(basename "$f")"; else bad "vouch rejects $(basename "$f"): $ERR"; fi
done
i=0
for doc in 'apiVersion: vouch.dev/policy/v1\nrules: []\nbogus: 1\n' \
           'apiVersion: vouch.dev/policy/v1\nrules: [{name: a, images: [x], mode: block}]\n' \
           'apiVersion: vouch.dev/policy/v1\nrules: [{name: a, images: x}]\n' \
           'apiVersion: vouch.dev/policy/v1\nrules: [{name: a, images: [x], signatures: {keys: [k.pub], threshold: "2"}}]\n' \
           'apiVersion: vouch.dev/policy/v1\nrules: [{name: a, images: [x], vulnerabilities: {maxSeverity: high, allow: [{id: X, expires: 31.01.2027}]}}]\n' \
           'apiVersion: vouch.dev/policy/v2\nrules: []\n' \
           'apiVersion: vouch.dev/policy/v1\nrules: [{name: a, images: [x], signatures: {keyless: {identities: [{subject: me@example.com}]}}}]\n' \
           'apiVersion: vouch.dev/policy/v1\nrules: [{name: a, images: [x], signatures: {keyless: {identities: [{issuer: https://x, subject: y, subjectRegexp: z}]}}}]\n' \
           'apiVersion: vouch.dev/policy/v1\nrules: [{name: a, images: [x], attestations: [{type: vuln}]}]\n'; do
    i=$((i + 1))
    printf "$doc" >"$T/bad$i.yaml"
    run "$VOUCH" admit --offline --policy "$T/bad$i.yaml" nginx:1
    expect_rc 2 "vouch rejects bad$i.yaml"
done
run /usr/bin/python3 "$T/validate.py" "$SCHEMA" "$T"/bad*.yaml
expect_rc 1 "schema rejects the invalid policies"
expect_eq "$(grep -c '^invalid ' "$T/out")" "$i" "each invalid policy rejected by the schema"
finish
