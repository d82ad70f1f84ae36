#!/usr/bin/env bash
# Python lockfiles of dir: sources (testvectors/sbom/lang/python-locks): poetry.lock,
# uv.lock, Pipfile.lock and requirements files give exactly the packages (PEP 503 purls)
# and edges listed below; poetry and uv also equal what Python's own tomllib reads; -r
# includes stay inside the source; lockfiles are not read in archives; malformed locks
# are warnings naming the file, exit 0.
. "$VOUCH_SRC/tests/support/lib.sh"
PY=/usr/bin/python3
L=$VECTORS/sbom/lang/python-locks
export SOURCE_DATE_EPOCH=1700000000

# "purl location" and "purl -> purl" lines of the pypi packages of a CycloneDX file
lines() {
    jq -r '.components[] | select(.purl // "" | startswith("pkg:pypi/")) | .purl as $p
           | .evidence.occurrences[] | "\($p) \(.location)"' "$1" | LC_ALL=C sort
    jq -r '.dependencies[] | select(.ref | startswith("pkg:pypi/")) | .ref as $r
           | .dependsOn[] | "\($r) -> \(.)"' "$1" | LC_ALL=C sort
}

src=$T/src
mkdir -p "$src/p" "$src/u" "$src/f"
cp "$L/poetry.lock" "$src/p/"
cp "$L/uv.lock" "$src/u/"
cp "$L/Pipfile.lock" "$src/f/"
cp -r "$L/req" "$src/"
run "$VOUCH" sbom "dir:$src" -o "cyclonedx-json=$T/src.cdx.json" -o "spdx-json=$T/src.spdx.json"
expect_rc 0 "sbom of the Python lockfiles"
expect_eq "$ERR" "vouch: warning: python: 'req/dev-requirements.txt': 1 malformed lines (first at line 2) skipped
vouch: warning: python: 'req/requirements.txt': -r '../../outside.txt' is outside the source, not followed
vouch: warning: python: 'req/requirements.txt': -r 'constraints.in' is not named like a requirements file, not read" \
    "warnings: the template line, the include outside the source, the include vouch does not keep"
got=$(lines "$T/src.cdx.json")
want_poetry="pkg:pypi/certifi@2024.12.14 p/poetry.lock
pkg:pypi/charset-normalizer@3.4.0 p/poetry.lock
pkg:pypi/click@8.1.8 p/poetry.lock
pkg:pypi/colorama@0.4.6 p/poetry.lock
pkg:pypi/flask@1.0.3 p/poetry.lock
pkg:pypi/idna@3.10 p/poetry.lock
pkg:pypi/itsdangerous@2.2.0 p/poetry.lock
pkg:pypi/jinja2@3.1.5 p/poetry.lock
pkg:pypi/markupsafe@3.0.2 p/poetry.lock
pkg:pypi/numpy@2.2.0 p/poetry.lock
pkg:pypi/pandas@2.2.3 p/poetry.lock
pkg:pypi/python-dateutil@2.9.0.post0 p/poetry.lock
pkg:pypi/pytz@2024.2 p/poetry.lock
pkg:pypi/requests@2.32.3 p/poetry.lock
pkg:pypi/setuptools@75.6.0 p/poetry.lock
pkg:pypi/six@1.17.0 p/poetry.lock
pkg:pypi/tzdata@2024.2 p/poetry.lock
pkg:pypi/urllib3@2.2.3 p/poetry.lock
pkg:pypi/werkzeug@3.1.3 p/poetry.lock
pkg:pypi/zope-interface@7.2 p/poetry.lock"
want_uv="pkg:pypi/anyio@4.7.0 u/uv.lock
pkg:pypi/certifi@2024.12.14 u/uv.lock
pkg:pypi/colorama@0.4.6 u/uv.lock
pkg:pypi/exceptiongroup@1.2.2 u/uv.lock
pkg:pypi/h11@0.14.0 u/uv.lock
pkg:pypi/httpcore@1.0.7 u/uv.lock
pkg:pypi/httpx@0.28.1 u/uv.lock
pkg:pypi/idna@3.10 u/uv.lock
pkg:pypi/iniconfig@2.0.0 u/uv.lock
pkg:pypi/myapp@0.1.0 u/uv.lock
pkg:pypi/numpy@2.0.2 u/uv.lock
pkg:pypi/numpy@2.2.0 u/uv.lock
pkg:pypi/packaging@24.2 u/uv.lock
pkg:pypi/pluggy@1.5.0 u/uv.lock
pkg:pypi/pytest@8.3.4 u/uv.lock
pkg:pypi/sniffio@1.3.1 u/uv.lock
pkg:pypi/tomli@2.2.1 u/uv.lock
pkg:pypi/typing-extensions@4.12.2 u/uv.lock"
want_pipfile="pkg:pypi/certifi@2019.3.9 f/Pipfile.lock
pkg:pypi/django@4.2.1 f/Pipfile.lock
pkg:pypi/idna@2.8 f/Pipfile.lock
pkg:pypi/pytest@8.3.4 f/Pipfile.lock
pkg:pypi/pyyaml@5.1 f/Pipfile.lock
pkg:pypi/requests@2.21.0 f/Pipfile.lock
pkg:pypi/typing-extensions@4.12.2 f/Pipfile.lock"
want_req="pkg:pypi/coverage@7.3.2 req/dev-requirements.txt
pkg:pypi/django@4.2.7 req/requirements.txt
pkg:pypi/flask-sqlalchemy@3.1.1 req/requirements.txt
pkg:pypi/gunicorn@21.2.0 req/requirements/base.txt
pkg:pypi/pytest@7.4.3 req/dev-requirements.txt
pkg:pypi/pyyaml@6.0.1 req/requirements.txt
pkg:pypi/requests@2.31.0 req/requirements.txt
pkg:pypi/typing-extensions@4.8.0 req/requirements.txt
pkg:pypi/zope-interface@6.1 req/requirements.txt"
want_edges="pkg:pypi/anyio@4.7.0 -> pkg:pypi/exceptiongroup@1.2.2
pkg:pypi/anyio@4.7.0 -> pkg:pypi/idna@3.10
pkg:pypi/anyio@4.7.0 -> pkg:pypi/sniffio@1.3.1
pkg:pypi/anyio@4.7.0 -> pkg:pypi/typing-extensions@4.12.2
pkg:pypi/click@8.1.8 -> pkg:pypi/colorama@0.4.6
pkg:pypi/flask@1.0.3 -> pkg:pypi/click@8.1.8
pkg:pypi/flask@1.0.3 -> pkg:pypi/itsdangerous@2.2.0
pkg:pypi/flask@1.0.3 -> pkg:pypi/jinja2@3.1.5
pkg:pypi/flask@1.0.3 -> pkg:pypi/werkzeug@3.1.3
pkg:pypi/httpcore@1.0.7 -> pkg:pypi/certifi@2024.12.14
pkg:pypi/httpcore@1.0.7 -> pkg:pypi/h11@0.14.0
pkg:pypi/httpx@0.28.1 -> pkg:pypi/anyio@4.7.0
pkg:pypi/httpx@0.28.1 -> pkg:pypi/certifi@2024.12.14
pkg:pypi/httpx@0.28.1 -> pkg:pypi/httpcore@1.0.7
pkg:pypi/httpx@0.28.1 -> pkg:pypi/idna@3.10
pkg:pypi/jinja2@3.1.5 -> pkg:pypi/markupsafe@3.0.2
pkg:pypi/myapp@0.1.0 -> pkg:pypi/httpx@0.28.1
pkg:pypi/myapp@0.1.0 -> pkg:pypi/numpy@2.0.2
pkg:pypi/myapp@0.1.0 -> pkg:pypi/numpy@2.2.0
pkg:pypi/myapp@0.1.0 -> pkg:pypi/pytest@8.3.4
pkg:pypi/pandas@2.2.3 -> pkg:pypi/numpy@2.2.0
pkg:pypi/pandas@2.2.3 -> pkg:pypi/python-dateutil@2.9.0.post0
pkg:pypi/pandas@2.2.3 -> pkg:pypi/pytz@2024.2
pkg:pypi/pandas@2.2.3 -> pkg:pypi/tzdata@2024.2
pkg:pypi/pytest@8.3.4 -> pkg:pypi/colorama@0.4.6
pkg:pypi/pytest@8.3.4 -> pkg:pypi/exceptiongroup@1.2.2
pkg:pypi/pytest@8.3.4 -> pkg:pypi/iniconfig@2.0.0
pkg:pypi/pytest@8.3.4 -> pkg:pypi/packaging@24.2
pkg:pypi/pytest@8.3.4 -> pkg:pypi/pluggy@1.5.0
pkg:pypi/pytest@8.3.4 -> pkg:pypi/tomli@2.2.1
pkg:pypi/python-dateutil@2.9.0.post0 -> pkg:pypi/six@1.17.0
pkg:pypi/requests@2.32.3 -> pkg:pypi/certifi@2024.12.14
pkg:pypi/requests@2.32.3 -> pkg:pypi/charset-normalizer@3.4.0
pkg:pypi/requests@2.32.3 -> pkg:pypi/idna@3.10
pkg:pypi/requests@2.32.3 -> pkg:pypi/urllib3@2.2.3
pkg:pypi/werkzeug@3.1.3 -> pkg:pypi/markupsafe@3.0.2
pkg:pypi/zope-interface@7.2 -> pkg:pypi/setuptools@75.6.0"
want=$(printf '%s\n%s\n%s\n%s\n' "$want_poetry" "$want_uv" "$want_pipfile" "$want_req" | LC_ALL=C sort
       echo "$want_edges")
expect_eq "$got" "$want" "every package, location and edge of the four formats, exactly"
expect_eq "$(jq -r '.components[] | select(.purl=="pkg:pypi/colorama@0.4.6") | [.evidence.occurrences[].location] | join(" ")' "$T/src.cdx.json")" \
    "p/poetry.lock u/uv.lock" "one package found in two locks: listed once, both files"
expect_eq "$(jq -r '.components[] | select(.purl=="pkg:pypi/zope-interface@7.2") | .name' "$T/src.cdx.json")" \
    "zope.interface" "the lock's name is kept, the purl is PEP 503"

# poetry and uv as Python's tomllib reads them: [[package]] name@version; edges to the
# lock's packages (poetry: [package.dependencies] less optional; uv: dependencies and
# dev-dependencies, by name, or name+version where uv names one)
truth=$("$PY" - "$src" <<'PY'
import re, sys, tomllib
def norm(n): return re.sub(r"[-_.]+", "-", n).lower()
out, edges = set(), set()
for rel in ("p/poetry.lock", "u/uv.lock"):
    pk = tomllib.load(open(sys.argv[1] + "/" + rel, "rb"))["package"]
    byname = {}
    for p in pk:
        byname.setdefault(norm(p["name"]), []).append(p["version"])
        out.add("pkg:pypi/%s@%s %s" % (norm(p["name"]), p["version"], rel))
    for p in pk:
        me = "pkg:pypi/%s@%s" % (norm(p["name"]), p["version"])
        deps = []
        for n, v in p.get("dependencies", {}).items() if isinstance(p.get("dependencies"), dict) else []:
            vs = v if isinstance(v, list) else [v]
            if not all(isinstance(x, dict) and x.get("optional") for x in vs):
                deps.append((n, None))
        if isinstance(p.get("dependencies"), list):
            deps += [(d["name"], d.get("version")) for d in p["dependencies"]]
        for grp in p.get("dev-dependencies", {}).values():
            deps += [(d["name"], d.get("version")) for d in grp]
        for n, v in deps:
            have = byname.get(norm(n), [])
            if have:
                edges.add("%s -> pkg:pypi/%s@%s" % (me, norm(n), v if v else have[0]))
print("\n".join(sorted(out)))
print("\n".join(sorted(edges)))
PY
)
got_toml=$(lines "$T/src.cdx.json" | grep -e ' p/poetry.lock$' -e ' u/uv.lock$'
           lines "$T/src.cdx.json" | grep ' -> ')
expect_eq "$got_toml" "$truth" "poetry.lock and uv.lock = tomllib"

run "$PY" "$VOUCH_SRC/tests/interop/sbom_validate.py" "$VOUCH_SRC/schemas/cyclonedx-1.6/bom-1.6.schema.json" "$T/src.cdx.json"
expect_rc 0 "CycloneDX 1.6 schema"
run "$PY" "$VOUCH_SRC/tests/interop/sbom_validate.py" "$VOUCH_SRC/schemas/spdx-2.3/spdx-schema.json" "$T/src.spdx.json"
expect_rc 0 "SPDX 2.3 schema"
expect_eq "$(jq '[.relationships[] | select(.relationshipType=="DEPENDS_ON")] | length' "$T/src.spdx.json")" \
    "$(grep -c ' -> ' <<<"$want_edges")" "SPDX DEPENDS_ON: one per edge"

# --- not in archives (images show what is installed)
tar -C "$src" -cf "$T/src.tar" .
run "$VOUCH" sbom "file:$T/src.tar" -q -o "cyclonedx-json=$T/tar.cdx.json"
expect_eq "$(jq '[.components[] | select(.purl // "" | startswith("pkg:pypi/"))] | length' "$T/tar.cdx.json")" \
    0 "file: archive: no Python lockfile read"

# --- malformed and hostile: a warning naming the file, the rest produced, exit 0
bad=$T/bad
mkdir -p "$bad/a" "$bad/b" "$bad/c" "$bad/d" "$bad/e" "$bad/ok"
printf '[[package]]\nname = "good"\nversion = "1.0"\n\n[[package]]\nname = "broken\nversion = 2\n[[package]]\nversion = "3"\n' >"$bad/a/poetry.lock"
printf 'version = 1\n[[package]]\nname = "x"\nversion = "1"\ndependencies = [\n    { name = "y" ,\n' >"$bad/b/uv.lock"
printf '{"default": {"a": {"version": "==1"}' >"$bad/c/Pipfile.lock"
printf '["not", "a", "lock"]' >"$bad/d/Pipfile.lock"
"$PY" - "$bad" <<'PY'
import sys
d = sys.argv[1]
with open(d + "/e/poetry.lock", "w") as f:  # 100,000 packages, each depending on the next
    for i in range(100000):
        f.write('[[package]]\nname = "p%d"\nversion = "1.%d"\n' % (i, i))
        if i + 1 < 100000:
            f.write('\n[package.dependencies]\np%d = "*"\n' % (i + 1))
    f.write("[metadata]\nx = " + "[" * 100000 + "\n")  # nesting far past the cap
with open(d + "/e/requirements.txt", "w") as f:
    f.write("a==1 \\\n" * 20000 + "\n")  # one logical line of 160 KB
    f.write("b==2\n")
PY
cp "$L/Pipfile.lock" "$bad/ok/"
run "$VOUCH" sbom "dir:$bad" -o "cyclonedx-json=$T/bad.cdx.json"
expect_rc 0 "malformed Python locks: exit 0"
expect_match "$ERR" "warning: python: 'a/poetry.lock': 4 malformed lines or packages \(first at line 6\) skipped" "poetry.lock: bad lines and incomplete packages named"
expect_match "$ERR" "warning: python: 'b/uv.lock': 2 malformed lines or packages \(first at line 5\) skipped" "uv.lock: unterminated array named"
expect_match "$ERR" "warning: python: 'c/Pipfile.lock': not JSON" "truncated Pipfile.lock named"
expect_match "$ERR" "warning: python: 'd/Pipfile.lock': no default or develop object, skipped" "Pipfile.lock array named"
expect_match "$ERR" "warning: python: 'e/poetry.lock': 1 malformed lines or packages \(first at line 599999\) skipped" "deep nesting: bounded, named"
expect_match "$ERR" "warning: python: 'e/requirements.txt': 1 malformed lines \(first at line 1\) skipped" "over-long logical line: bounded, named"
expect_eq "$(jq -r '[.components[] | select(.purl // "" | test("^pkg:pypi/(good|x|b)@")) | .purl] | sort | join(" ")' "$T/bad.cdx.json")" \
    "pkg:pypi/b@2 pkg:pypi/good@1.0 pkg:pypi/x@1" "what parses is still listed"
expect_eq "$(jq '[.components[] | select(.purl // "" | test("^pkg:pypi/p[0-9]"))] | length' "$T/bad.cdx.json") $(jq '[.dependencies[] | select(.ref | test("^pkg:pypi/p[0-9]")) | .dependsOn[]] | length' "$T/bad.cdx.json")" \
    "100000 99999" "huge poetry.lock: every package and edge"
expect_eq "$(jq '[.components[] | select(.evidence.occurrences[0].location == "ok/Pipfile.lock")] | length' "$T/bad.cdx.json")" \
    7 "the good Pipfile.lock beside them: all 7"
finish
