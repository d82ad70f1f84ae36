#!/usr/bin/env bash
# PHP, .NET and Ruby: the fixtures' packages, licenses and edges equal what the ecosystems'
# own readers say (python's json for composer and .NET files; Ruby's Bundler::LockfileParser
# and Gem::Specification.load for Gemfile.lock and gemspecs, including Debian's installed
# gemspecs); lockfiles only for dir: sources; malformed files are warnings naming them.
. "$VOUCH_SRC/tests/support/lib.sh"
PY=/usr/bin/python3
L=$SHARED/vectors/sbom-fixtures/lang
export SOURCE_DATE_EPOCH=1700000000

# "purl location" and "purl -> purl" lines of one ecosystem in a CycloneDX file
lines() {
    jq -r --arg t "pkg:$2/" '.components[] | select(.purl // "" | startswith($t))
           | .purl as $p | .evidence.occurrences[] | "\($p) \(.location)"' "$1" | sort
    jq -r --arg t "pkg:$2/" '.dependencies[] | select(.ref | startswith($t)) | .ref as $r
           | .dependsOn[] | "\($r) -> \(.)"' "$1" | sort
}

# --- PHP: two lockfiles, Composer 1 and 2 installed.json
php=$T/php
mkdir -p "$php/a" "$php/b" "$php/c/vendor/composer" "$php/d/vendor/composer"
cp "$L/php/syft-composer.lock" "$php/a/composer.lock"
cp "$L/php/trivy-composer_happy.lock" "$php/b/composer.lock"
cp "$L/php/syft-composer_1-installed.json" "$php/c/vendor/composer/installed.json"
cp "$L/php/syft-composer_2-installed.json" "$php/d/vendor/composer/installed.json"
truth=$("$PY" - "$php" <<'PY'
import json, sys
root = sys.argv[1]
out, edges = set(), set()
for rel in ("a/composer.lock", "b/composer.lock", "c/vendor/composer/installed.json",
            "d/vendor/composer/installed.json"):
    j = json.load(open(root + "/" + rel))
    pk = j if isinstance(j, list) else j.get("packages", []) + j.get("packages-dev", [])
    ver = {p["name"]: p["version"] for p in pk}
    for p in pk:
        me = "pkg:composer/%s@%s" % (p["name"].lower(), p["version"])
        out.add("%s %s" % (me, rel))
        for r in p.get("require", {}):
            if r in ver:
                edges.add("%s -> pkg:composer/%s@%s" % (me, r.lower(), ver[r]))
print("\n".join(sorted(out)))
print("\n".join(sorted(edges)))
PY
)
run "$VOUCH" sbom "dir:$php" -q -o "cyclonedx-json=$T/php.cdx.json" -o "spdx-json=$T/php.spdx.json"
expect_rc 0 "sbom of the PHP fixtures"
expect_eq "$(lines "$T/php.cdx.json" composer)" "$truth" "composer.lock (packages, packages-dev) and installed.json v1/v2 = json, with require edges"
expect_eq "$(grep -c ' b/composer.lock$' <<<"$truth") $(grep -c ' a/composer.lock$' <<<"$truth") $(grep -c ' c/vendor' <<<"$truth")" \
    "10 4 2" "README counts: 8+2, 2+2, 2"
expect_eq "$(jq -r '.components[] | select(.name=="guzzlehttp/guzzle") | .licenses[0].license.id' "$T/php.cdx.json")" MIT "declared license"

# --- .NET: three deps.json, one packages.lock.json
net=$T/net
mkdir -p "$net/app1" "$net/app2" "$net/app3" "$net/src"
cp "$L/dotnet/trivy-happy.deps.json" "$net/app1/ExampleApp1.deps.json"
cp "$L/dotnet/trivy-without-runtime.deps.json" "$net/app2/hello2.deps.json"
cp "$L/dotnet/syft-TestLibrary.deps.json" "$net/app3/TestLibrary.deps.json"
cp "$VECTORS/sbom/nuget/trivy-packages_lock_subdependencies.json" "$net/src/packages.lock.json"
truth=$("$PY" - "$net" <<'PY'
import json, sys
root = sys.argv[1]
out, edges = set(), set()
for rel in ("app1/ExampleApp1.deps.json", "app2/hello2.deps.json", "app3/TestLibrary.deps.json"):
    j = json.load(open(root + "/" + rel))
    for key in j["libraries"]:
        out.add("pkg:nuget/%s %s" % (key.replace("/", "@"), rel))
        for t in j["targets"].values():
            for d, v in t.get(key, {}).get("dependencies", {}).items():
                edges.add("pkg:nuget/%s -> pkg:nuget/%s@%s" % (key.replace("/", "@"), d, v))
rel = "src/packages.lock.json"
for fw in json.load(open(root + "/" + rel))["dependencies"].values():
    for n, e in fw.items():
        out.add("pkg:nuget/%s@%s %s" % (n, e["resolved"], rel))
        for d in e.get("dependencies", {}):
            edges.add("pkg:nuget/%s@%s -> pkg:nuget/%s@%s" % (n, e["resolved"], d, fw[d]["resolved"]))
print("\n".join(sorted(out)))
print("\n".join(sorted(edges)))
PY
)
run "$VOUCH" sbom "dir:$net" -q -o "cyclonedx-json=$T/net.cdx.json" -o "spdx-json=$T/net.spdx.json"
expect_rc 0 "sbom of the .NET fixtures"
# purls keep NuGet's case; python's set may name a library the edges miss: compare exactly
expect_eq "$(lines "$T/net.cdx.json" nuget | LC_ALL=C sort)" "$(LC_ALL=C sort <<<"$truth")" "deps.json libraries and packages.lock.json = json, with edges"
expect_eq "$(grep -c ' app1/' <<<"$truth") $(grep -c ' app2/' <<<"$truth") $(grep -c ' app3/' <<<"$truth") $(grep -c ' src/' <<<"$truth")" \
    "2 8 14 8" "README counts: 2, 8, 14 libraries; 8 locked packages"

# --- Ruby: Gemfile.lock fixtures and gemspecs, and Debian's installed gemspecs
rb=$T/rb
mkdir -p "$rb/a" "$rb/b" "$rb/c" "$rb/gems/specifications" "$rb/deb"
cp "$L/ruby/syft-Gemfile.lock" "$rb/a/Gemfile.lock"
cp "$L/ruby/trivy-Gemfile_normal.lock" "$rb/b/Gemfile.lock"
cp "$L/ruby/trivy-Gemfile_bundler2.lock" "$rb/c/Gemfile.lock"
cp "$L/ruby/trivy-normal00.gemspec" "$rb/gems/specifications/rake-13.0.3.gemspec"
cp "$L/ruby/syft-bundler.gemspec" "$rb/gems/specifications/bundler-2.1.4.gemspec"
for d in /usr/share/rubygems-integration/all/specifications /usr/lib/ruby/gems/*/specifications; do
    mkdir -p "$rb/deb$d" && cp -r "$d/." "$rb/deb$d/"
done
truth=$(cd "$T" && touch Gemfile && ruby -rbundler -e '
  root = ARGV[0]; out = []; edges = []
  %w[a b c].each do |d|
    rel = "#{d}/Gemfile.lock"
    specs = Bundler::LockfileParser.new(File.read("#{root}/#{rel}")).specs
    ver = specs.group_by(&:name)
    specs.each do |s|
      me = "pkg:gem/#{s.name}@#{s.version}"
      out << "#{me} #{rel}"
      s.dependencies.each do |dep|
        v = ver[dep.name]
        edges << "#{me} -> pkg:gem/#{dep.name}@#{v[0].version}" if v && v.map(&:version).uniq.size == 1
      end
    end
  end
  (Dir.glob("#{root}/**/specifications/*.gemspec") +
   Dir.glob("#{root}/**/specifications/default/*.gemspec")).each do |f|
    s = Gem::Specification.load(f)
    out << "pkg:gem/#{s.name}@#{s.version} #{f.delete_prefix(root + "/")}"
  end
  puts out.uniq.sort, edges.uniq.sort' "$rb")
run "$VOUCH" sbom "dir:$rb" -q -o "cyclonedx-json=$T/rb.cdx.json" -o "spdx-json=$T/rb.spdx.json"
expect_rc 0 "sbom of the Ruby fixtures"
got_pk=$(lines "$T/rb.cdx.json" gem | grep -v ' -> ')
expect_eq "$got_pk" "$(grep -v ' -> ' <<<"$truth")" "Gemfile.lock specs and gemspecs (Debian's too) = Bundler / Gem::Specification.load"
# lock edges only (gemspec edges depend on which gems are installed beside them)
got_edges=$(jq -r '.components[] | select(.purl // "" | startswith("pkg:gem/")) | select(.evidence.occurrences[0].location | endswith("Gemfile.lock")) | .purl' "$T/rb.cdx.json" | sort >"$T/lockp"
    jq -r '.dependencies[] | .ref as $r | .dependsOn[] | "\($r) -> \(.)"' "$T/rb.cdx.json" | sort | grep -F -f <(sed 's/$/ ->/' "$T/lockp"))
expect_eq "$got_edges" "$(grep ' -> ' <<<"$truth")" "Gemfile.lock dependency edges = Bundler"
expect_eq "$(jq -r '.components[] | select(.purl=="pkg:gem/rake@13.0.3") | .licenses[0].license.id' "$T/rb.cdx.json")" MIT "gemspec license"

# --- lockfiles are not read in images (archives), installed files are
tar -C "$T" -cf "$T/all.tar" php net rb
run "$VOUCH" sbom "file:$T/all.tar" -q -o "cyclonedx-json=$T/tar.cdx.json"
expect_eq "$(jq -r '[.components[].evidence.occurrences[]?.location | select(test("composer.lock|Gemfile.lock|packages.lock.json"))] | length' "$T/tar.cdx.json")" \
    0 "file: archive: no lockfile read"
expect_eq "$(jq -r '[.components[] | select(.purl // "" | startswith("pkg:composer/"))] | length' "$T/tar.cdx.json") $(jq -r '[.components[] | select(.purl // "" | startswith("pkg:nuget/"))] | length' "$T/tar.cdx.json")" \
    "2 23" "file: archive: installed.json and deps.json read (Newtonsoft.Json 13.0.1 in two apps: once)"

# --- malformed
bad=$T/bad
mkdir -p "$bad/vendor/composer" "$bad/app" "$bad/lock" "$bad/specifications"
printf '{"packages": [' >"$bad/vendor/composer/installed.json"
printf '[1, 2]' >"$bad/app/x.deps.json"
printf 'GEM\n  remote: x\n  specs:\n    ok (1.2.3.4)\n' >"$bad/lock/Gemfile.lock"
printf 'Gem::Specification.new do |s|\n  s.summary = "no name"\nend\n' >"$bad/specifications/broken-1.gemspec"
printf '{"dependencies": {"net8.0": {"A": {"resolved": "1.0.0"}}}' >"$bad/lock/packages.lock.json"
run "$VOUCH" sbom "dir:$bad" -o "cyclonedx-json=$T/bad.cdx.json"
expect_rc 0 "malformed: exit 0"
expect_match "$ERR" "warning: composer: 'vendor/composer/installed.json': not JSON" "truncated installed.json named"
expect_match "$ERR" "warning: nuget: 'app/x.deps.json': no libraries object" "deps.json array named"
expect_match "$ERR" "warning: nuget: 'lock/packages.lock.json': not JSON" "truncated packages.lock.json named"
expect_match "$ERR" "warning: gem: 'specifications/broken-1.gemspec': no name or version" "gemspec without name named"
expect_eq "$(jq -r '[.components[] | select(.purl // "" | startswith("pkg:")) | .purl] | join(" ")' "$T/bad.cdx.json")" \
    "pkg:gem/ok@1.2.3.4" "the rest is produced (a 4-part version)"

run "$PY" "$VOUCH_SRC/tests/interop/sbom_validate.py" "$VOUCH_SRC/schemas/cyclonedx-1.6/bom-1.6.schema.json" \
    "$T/php.cdx.json" "$T/net.cdx.json" "$T/rb.cdx.json"
expect_rc 0 "CycloneDX 1.6 schema"
run "$PY" "$VOUCH_SRC/tests/interop/sbom_validate.py" "$VOUCH_SRC/schemas/spdx-2.3/spdx-schema.json" \
    "$T/php.spdx.json" "$T/net.spdx.json" "$T/rb.spdx.json"
expect_rc 0 "SPDX 2.3 schema"
finish
