#!/usr/bin/env bash
# Java archives: Debian's /usr/share/java jars equal their pom.properties and SHA-1s (read
# here with python's zipfile/hashlib), the fixtures' ground truths (shaded, nested, manifest
# only), hostile archives (not a zip, truncated, zip bomb, deep nesting) bounded with a
# warning naming the file, and both outputs schema-valid.
. "$VOUCH_SRC/tests/support/lib.sh"
PY=/usr/bin/python3
JAVA=$SHARED/vectors/sbom-fixtures/lang/java
export SOURCE_DATE_EPOCH=1700000000

# maven purls with SHA-1 and location, one per line, from a CycloneDX file
cdx_lines() {
    jq -r '.components[] | select(.purl // "" | startswith("pkg:maven/"))
           | "\(.purl) \(.hashes[0].content // "-") \(.evidence.occurrences[0].location)"' "$1" | sort
}

# --- Debian's packaged jars: the files of three libxxx-java packages, links kept
deb=$T/deb
mkdir -p "$deb"
for p in libcommons-lang3-java libcommons-io-java libslf4j-java; do
    dpkg -L "$p" | while read -r f; do
        [ -f "$f" ] || [ -L "$f" ] || continue
        mkdir -p "$deb$(dirname "$f")" && cp -P "$f" "$deb$f"
    done
done
truth=$("$PY" - "$deb" <<'PY'
import hashlib, os, sys, zipfile
root = sys.argv[1]
for d, _, files in os.walk(root):
    for f in files:
        p = os.path.join(d, f)
        if not f.endswith(".jar") or os.path.islink(p):
            continue
        rel = os.path.relpath(p, root)
        z = zipfile.ZipFile(p)
        poms = [n for n in z.namelist() if n.endswith("/pom.properties")]
        for n in poms:
            kv = dict(l.split("=", 1) for l in z.read(n).decode().splitlines()
                      if "=" in l and not l.startswith("#"))
            sha = hashlib.sha1(open(p, "rb").read()).hexdigest() if len(poms) == 1 else "-"
            print("pkg:maven/%s/%s@%s %s %s" % (kv["groupId"].strip(), kv["artifactId"].strip(),
                                                kv["version"].strip(), sha, rel))
PY
)
truth=$(printf '%s\n' "$truth" | sort)
run "$VOUCH" sbom "dir:$deb" -q -o "cyclonedx-json=$T/deb.cdx.json" -o "spdx-json=$T/deb.spdx.json"
expect_rc 0 "sbom of Debian's jars"
expect_eq "$(wc -l <<<"$truth")" 12 "python finds 12 pom.properties in the three packages"
expect_eq "$(cdx_lines "$T/deb.cdx.json")" "$truth" "Debian jars = their pom.properties, SHA-1 and path"
expect_eq "$ERR" "" "no warnings on Debian's jars"

# --- fixtures (trivy, syft): shaded, nested, manifest-only, a bare pom.properties
fx=$T/fx
mkdir -p "$fx/opt/app"
cp "$JAVA"/*.jar "$fx/opt/app/"
"$PY" - "$fx/opt/app/opensaml.jar" "$JAVA/syft-opensaml-core.pom.properties" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.write(sys.argv[2], "META-INF/maven/org.opensaml/opensaml-core/pom.properties")
PY
run "$VOUCH" sbom "dir:$fx" -q -o "cyclonedx-json=$T/fx.cdx.json" -o "spdx-json=$T/fx.spdx.json"
expect_rc 0 "sbom of the fixtures"
sha() { sha1sum "$1" | cut -d' ' -f1; }
inner2=$(cd "$T" && rm -rf n && mkdir n && cd n && unzip -q "$JAVA/trivy-nested.jar" && sha META-INF/jars/nested2.jar)
inner3=$(cd "$T/n" && unzip -q META-INF/jars/nested2.jar -d n2 && sha n2/META-INF/jars/nested3.jar)
H=opt/app/trivy-hadoop-shaded-guava-1.1.0-SNAPSHOT.jar N=opt/app/trivy-nested.jar
want="pkg:maven/com.google.guava/failureaccess@1.0.1 - $H
pkg:maven/com.google.guava/guava@29.0-jre - $H
pkg:maven/com.google.guava/listenablefuture@9999.0-empty-to-avoid-conflict-with-guava - $H
pkg:maven/com.google.j2objc/j2objc-annotations@1.3 - $H
pkg:maven/org.apache.hadoop.thirdparty/hadoop-shaded-guava@1.1.0-SNAPSHOT $(sha "$JAVA/trivy-hadoop-shaded-guava-1.1.0-SNAPSHOT.jar") $H
pkg:maven/org.opensaml/opensaml-core@3.4.6 $(sha "$fx/opt/app/opensaml.jar") opt/app/opensaml.jar
pkg:maven/org.springframework/core@2.5.6.SEC03 $(sha "$JAVA/trivy-test.jar") opt/app/trivy-test.jar
pkg:maven/test/nested2@0.0.2 $inner2 $N:META-INF/jars/nested2.jar
pkg:maven/test/nested3@0.0.3 $inner3 $N:META-INF/jars/nested2.jar:META-INF/jars/nested3.jar
pkg:maven/test/nested@0.0.1 $(sha "$JAVA/trivy-nested.jar") $N"
expect_eq "$(cdx_lines "$T/fx.cdx.json")" "$(sort <<<"$want")" "fixtures: every pom.properties, nested jars, manifest fallback"
expect_eq "$(jq -r '.components[] | select(.name=="guava") | .group' "$T/fx.cdx.json")" com.google.guava "CycloneDX group"
# declared licenses: each pom.properties' sibling pom.xml <licenses>, read here with ElementTree
lic_truth=$("$PY" - "$JAVA/trivy-hadoop-shaded-guava-1.1.0-SNAPSHOT.jar" <<'PY'
import sys, zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
for n in sorted(z.namelist()):
    if n.endswith("/pom.xml") and n[:-7] + "pom.properties" in z.namelist():
        ns = {"m": "http://maven.apache.org/POM/4.0.0"}
        names = [e.text for e in ET.fromstring(z.read(n)).findall("m:licenses/m:license/m:name", ns)]
        if names:
            print(n.split("/")[3], ",".join(names))
PY
)
expect_eq "$(jq -r '.components[] | select(.licenses and (.purl | startswith("pkg:maven/"))) | "\(.name) \([.licenses[].license.name // .license.id] | join(","))"' "$T/fx.cdx.json" | sort)" \
    "$lic_truth" "pom.xml licenses = ElementTree"
expect_eq "$(jq -r '.packages[] | select(.name=="nested") | "\(.checksums[0].algorithm) \(.sourceInfo)"' "$T/fx.spdx.json")" \
    "SHA1 acquired package info from Java archive metadata: $N" "SPDX checksum and sourceInfo"

# --- hostile archives next to a good one: warnings name the file, the rest is produced
bad=$T/bad
mkdir -p "$bad"
cp "$JAVA/trivy-nested.jar" "$bad/good.jar"
echo 'not a zip' >"$bad/text.jar"
head -c 4000 "$JAVA/trivy-hadoop-shaded-guava-1.1.0-SNAPSHOT.jar" >"$bad/trunc.jar"
"$PY" - "$bad" <<'PY'
import io, sys, zipfile
d = sys.argv[1]
def jar(entries):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in entries:
            z.writestr(n, data)
    return b.getvalue()
def pom(a):
    return ("META-INF/maven/deep/%s/pom.properties" % a,
            "groupId=deep\nartifactId=%s\nversion=1\n" % a)
# a 300 MiB nested "jar" of zeros (over the 256 MiB a nested archive may have): ~300 KiB
with open(d + "/bomb.jar", "wb") as f:
    f.write(jar([pom("bomb"), ("lib/zeros.jar", b"\0" * (300 << 20))]))
# jars nested 8 deep, each with its own pom.properties
inner = jar([pom("level7")])
for i in range(6, -1, -1):
    inner = jar([pom("level%d" % i), ("lib/l%d.jar" % (i + 1), inner)])
open(d + "/deep.jar", "wb").write(inner)
PY
run "$VOUCH" sbom "dir:$bad" -o "cyclonedx-json=$T/bad.cdx.json"
expect_rc 0 "hostile archives: exit 0"
expect_match "$ERR" "warning: java: 'text.jar': not a zip archive" "not a zip: warning names it"
expect_match "$ERR" "warning: java: 'trunc.jar'" "truncated: warning names it"
expect_match "$ERR" "warning: java: 'bomb.jar': nested archive too large" "zip bomb: bounded, named"
expect_match "$ERR" "warning: java: 'deep.jar:lib/l1.jar:lib/l2.jar:lib/l3.jar': archives nested too deep" "deep nesting: bounded, named"
expect_eq "$(jq -r '[.components[] | select(.purl // "" | startswith("pkg:maven/")) | .name] | sort | join(" ")' "$T/bad.cdx.json")" \
    "bomb hadoop-shaded-guava j2objc-annotations level0 level1 level2 level3 nested nested2 nested3" "the rest (and what precedes the truncation) is still produced"

# --- schema-valid with Java packages
run "$PY" "$VOUCH_SRC/tests/interop/sbom_validate.py" "$VOUCH_SRC/schemas/cyclonedx-1.6/bom-1.6.schema.json" \
    "$T/deb.cdx.json" "$T/fx.cdx.json" "$T/bad.cdx.json"
expect_rc 0 "CycloneDX 1.6 schema"
run "$PY" "$VOUCH_SRC/tests/interop/sbom_validate.py" "$VOUCH_SRC/schemas/spdx-2.3/spdx-schema.json" \
    "$T/deb.spdx.json" "$T/fx.spdx.json"
expect_rc 0 "SPDX 2.3 schema"
finish
