#!/usr/bin/env bash
# Peak memory of the Java cataloger on large archives: BEFORE and AFTER vouch binaries
# (default: /work/main's and this tree's dev builds) over a 60 MiB war holding a 30 MiB
# nested jar (both under the old in-memory caps of 64 and 32 MiB) and a 200 MiB jar (over
# them), of incompressible bytes. Prints max RSS (/usr/bin/time -v) and the packages each
# found; not a test (RSS depends on the allocator and the sanitizers of the build).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
BEFORE=${BEFORE:-/work/main/build/dev/cmd/vouch}
AFTER=${AFTER:-$here/build/dev/cmd/vouch}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/a/app" "$T/b/app"
/usr/bin/python3 - "$T" <<'PY'
import io, os, sys, zipfile
t = sys.argv[1]
def jar(entries, method=zipfile.ZIP_STORED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", method) as z:
        for name, data in entries:
            z.writestr(name, data)
    return b.getvalue()
def pom(a, v):
    return ("META-INF/maven/bench/%s/pom.properties" % a, "groupId=bench\nartifactId=%s\nversion=%s\n" % (a, v))
inner = jar([pom("inner", "1.0"), ("blob.bin", os.urandom(30 << 20))])
open(t + "/a/app/app.war", "wb").write(jar([pom("app", "2.0"), ("WEB-INF/lib/inner-1.0.jar", inner), ("big.bin", os.urandom(29 << 20))]))
open(t + "/b/app/huge-3.0.jar", "wb").write(jar([pom("huge", "3.0"), ("big.bin", os.urandom(200 << 20))]))
PY
for src in a b; do
    for bin in "$BEFORE" "$AFTER"; do
        /usr/bin/time -v "$bin" sbom "dir:$T/$src" -o "cyclonedx-json=$T/out.json" 2>"$T/time" >/dev/null
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/time")
        pk=$(jq -r '[.components[] | select(.purl // "" | startswith("pkg:maven/")) | .purl] | join(" ")' "$T/out.json")
        printf '%-3s %-60s max RSS %7d KiB  %s\n' "$src" "$bin" "$rss" "${pk:-(none)}"
    done
done
