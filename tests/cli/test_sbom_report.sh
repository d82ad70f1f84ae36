#!/usr/bin/env bash
# vouch sbom report: one self-contained HTML page, rendered by headless Chromium (Debian's
# chromium) with every network request sent to a proxy that does not exist: the page
# renders fully, its counts equal the SBOM's (jq over `sbom query`), its script filters the
# table from ?q= / ?eco= and draws the dependency tree of ?pkg=; Trivy and Grype findings
# are joined by purl; hostile names are text, never markup or script.
. "$VOUCH_SRC/tests/support/lib.sh"
CHROME=$(command -v chromium || true)
[ -n "$CHROME" ] || { bad "chromium is not installed (scripts/setup.sh)"; finish; exit 1; }
export SOURCE_DATE_EPOCH=1700000000
# the proxy is a closed port: a page that fetched anything would lose it
browse() { # browse HTML QUERY: the DOM after the page's script ran
    timeout 120 "$CHROME" --headless=new --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$T/chrome" --proxy-server=127.0.0.1:9 --dump-dom "file://$1$2" 2>/dev/null
}
span() { grep -o "<span id=\"$2\">[^<]*</span>" "$1" | sed 's/<[^>]*>//g'; }

cp -r "$VECTORS/sbom/dpkg-distroless/static-debian11" "$T/src"
mkdir -p "$T/src/usr/lib/python3/dist-packages" "$T/src/srv/web"
cp -r "$VECTORS/sbom/lang/python/site-packages/." "$T/src/usr/lib/python3/dist-packages/"
cp "$VOUCH_SRC/tests/interop/npm-tree/package.json" "$VOUCH_SRC/tests/interop/npm-tree/package-lock.json" "$T/src/srv/web/"
"$VOUCH" sbom "dir:$T/src" -q -o "cyclonedx-json=$T/a.cdx.json" -o "spdx-json=$T/a.spdx.json"
"$VOUCH" sbom query "$T/a.cdx.json" --output json >"$T/q.json"
total=$(jq length "$T/q.json")
expect_eq "$total" "19" "fixture: 19 packages"

run "$VOUCH" sbom report "$T/a.cdx.json" -o "$T/r.html"
expect_rc 0 "report"
expect_eq "$OUT$ERR" "" "nothing printed"
expect_eq "$(grep -Eoc '(src|href|action|url)\s*=|url\(|@import|https?://' "$T/r.html")" "0" "no external reference in the page"
expect_match "$(head -3 "$T/r.html")" "default-src 'none'" "Content-Security-Policy allows nothing by default"

run timeout 120 "$CHROME" --headless=new --no-sandbox --disable-gpu --no-first-run --user-data-dir="$T/chrome" \
    --proxy-server=127.0.0.1:9 --window-size=1200,1600 --screenshot="$T/r.png" "file://$T/r.html?pkg=chalk"
expect_eq "$(head -c 8 "$T/r.png" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a" "screenshot is a PNG"
expect_eq "$([ "$(stat -c %s "$T/r.png")" -gt 20000 ] && echo big)" "big" "screenshot is not blank-small"

browse "$T/r.html" "" >"$T/dom.html"
expect_match "$(cat "$T/dom.html")" '<body data-ready="1">' "the page's script ran offline"
expect_eq "$(span "$T/dom.html" total) $(span "$T/dom.html" shown)" "$total $total" "total and shown equal the SBOM's count"
for eco in $(jq -r '[.[].ecosystem] | unique | .[]' "$T/q.json"); do
    n=$(jq --arg e "$eco" '[.[] | select(.ecosystem == $e)] | length' "$T/q.json")
    expect_match "$(cat "$T/dom.html")" "<tr data-key=\"$eco\"><td>$eco</td><td class=\"n\">$n</td></tr>" "by ecosystem: $eco $n"
done
expect_match "$(cat "$T/dom.html")" "<tr data-key=\"\(none\)\"><td>\(none\)</td><td class=\"n\">$total</td></tr>" "by layer: a directory has none"
jq -r '[.[] | .license // "(none)"] | group_by(.) | map("\(.[0]): \(length)") | .[]' "$T/q.json" >"$T/lic.want"
grep -o '<g class="bar"><title>[^<]*</title>' "$T/dom.html" | sed 's/.*<title>//; s/<\/title>//' | sort >"$T/lic.got"
expect_eq "$(cat "$T/lic.got")" "$(sort "$T/lic.want")" "license chart bars equal the SBOM's license counts"
expect_eq "$(grep -c '<tr data-eco=' "$T/dom.html")" "$total" "one table row per package"

# the script filters: ?q= (name, version, ecosystem, license, purl), ?eco=
for q in chalk mit deb 2.0 pkg:npm/ms; do
    want=$(jq --arg q "$q" '[.[] | select([.name, .version, .ecosystem, .license, .purl, .layer] | map(. // "") | join(" ") | ascii_downcase | contains($q))] | length' "$T/q.json")
    browse "$T/r.html" "?q=$q" >"$T/f.html"
    expect_eq "$(span "$T/f.html" shown)" "$want" "?q=$q shows $want rows"
    expect_eq "$(grep -c '<tr data-eco=[^>]*hidden' "$T/f.html")" "$((total - want))" "?q=$q hides the other $((total - want))"
done
browse "$T/r.html" "?eco=npm" >"$T/f.html"
expect_eq "$(span "$T/f.html" shown)" "$(jq '[.[] | select(.ecosystem == "npm")] | length' "$T/q.json")" "?eco=npm"
browse "$T/r.html" "?eco=npm&q=color" >"$T/f.html"
expect_eq "$(span "$T/f.html" shown)" "3" "?eco=npm&q=color: color-convert, color-name, supports-color"
# the dependency tree of a selected package
browse "$T/r.html" "?pkg=chalk" >"$T/g.html"
expect_eq "$(span "$T/g.html" sel)" "chalk@4.1.2" "selected package"
expect_eq "$(span "$T/g.html" ndeps)" "5" "chalk: 5 dependencies listed"
expect_eq "$(grep -o '<ul id="tree">.*</ul>' "$T/g.html" | sed 's/<[^>]*>/ /g' | tr -s ' ')" \
    " chalk@4.1.2 ansi-styles@4.3.0 color-convert@2.0.1 color-name@1.1.4 supports-color@7.2.0 has-flag@4.0.0 " "chalk's tree"
browse "$T/r.html" "?pkg=has-flag" >"$T/g.html"
expect_eq "$(span "$T/g.html" rdeps)" "supports-color@7.2.0" "has-flag is required by supports-color"
run "$VOUCH" sbom report "$T/a.spdx.json" -o "$T/s.html"
browse "$T/s.html" "" >"$T/s.dom"
expect_eq "$(span "$T/s.dom" total) $(span "$T/s.dom" shown)" "$total $total" "the SPDX SBOM of the same source: same counts"

# vulnerabilities: Trivy's real report joined by purl (the SBOM's qualifiers differ)
TRIVY=$VECTORS/vuln/trivy/alpine-39.json
jq '{bomFormat: "CycloneDX", specVersion: "1.6", components: ([.Results[].Vulnerabilities[]? | .PkgIdentifier.PURL]
    | unique | map(sub("distro=3.9.4"; "distro=alpine-3.9.4")) | map({type: "library", "bom-ref": ., purl: ., name: (capture("alpine/(?<n>[^@]+)@(?<v>[^?]+)") | .n), version: (capture("@(?<v>[^?]+)") | .v)})
    + [{type: "library", name: "busybox", version: "1.29.3-r10", purl: "pkg:apk/alpine/busybox@1.29.3-r10?arch=x86_64"}])}' "$TRIVY" >"$T/alpine.cdx.json"
run "$VOUCH" sbom report "$T/alpine.cdx.json" --vulns "$TRIVY" -o "$T/v.html"
expect_rc 0 "report with a Trivy report"
browse "$T/v.html" "" >"$T/v.dom"
expect_eq "$(span "$T/v.dom" nvulns) $(span "$T/v.dom" njoined)" "6 6" "6 Trivy findings, all joined by purl"
expect_match "$(cat "$T/v.dom")" '<tr data-key="critical"><td><span class="sev sev-critical">critical</span></td><td class="n">2</td></tr>' "2 critical"
expect_match "$(cat "$T/v.dom")" '<tr data-key="medium"><td><span class="sev sev-medium">medium</span></td><td class="n">4</td></tr>' "4 medium"
expect_match "$(cat "$T/v.dom")" '<td>musl</td><td>1.1.20-r4</td><td>apk</td><td></td><td></td><td class="n"><span class="sev sev-critical">1</span></td>' "musl row: one critical finding"
expect_match "$(cat "$T/v.dom")" '<td>busybox</td><td>1.29.3-r10</td><td>apk</td><td></td><td></td><td class="n">0</td>' "busybox row: none"
expect_eq "$(grep -o '<tr class="joined"><td>[^<]*' "$T/v.dom" | sed 's/.*<td>//' | tr '\n' ' ')" "CVE-2019-14697 CVE-2019-14697 CVE-2019-1549 CVE-2019-1549 CVE-2019-1551 CVE-2019-1551 " "findings by severity, then id"
GRYPE=$VECTORS/vuln/grype/ghsa-test.json
run "$VOUCH" sbom report "$T/alpine.cdx.json" --vulns "$GRYPE" -o "$T/g2.html"
expect_rc 0 "report with a Grype report"
browse "$T/g2.html" "" >"$T/g2.dom"
expect_eq "$(span "$T/g2.dom" nvulns) $(span "$T/g2.dom" njoined)" "2 0" "Grype findings for packages the SBOM lacks: none joined"
expect_eq "$(grep -c '<tr class="unjoined">.*(not in the SBOM)' "$T/g2.dom")" "2" "listed as not in the SBOM"

# hostile names: text, never markup; the CSP would stop an injected script anyway
jq '.components += [{type: "library", name: "<script>document.title=\"pwned\"</script><img src=x onerror=\"document.body.setAttribute(&quot;data-pwned&quot;,1)\">",
    version: "1\"><script>document.title=\"pwned2\"</script>", purl: "pkg:npm/evil@1",
    licenses: [{license: {name: "</style><script>document.title=\"pwned3\"</script>"}}]}]' "$T/a.cdx.json" >"$T/evil.cdx.json"
run "$VOUCH" sbom report "$T/evil.cdx.json" -o "$T/e.html"
expect_rc 0 "hostile SBOM report"
expect_eq "$(grep -c '<script>document' "$T/e.html")" "0" "no injected script tag in the HTML"
browse "$T/e.html" "?q=%3Cscript%3E" >"$T/e.dom"
expect_match "$(cat "$T/e.dom")" "<title>SBOM report: $T/evil.cdx.json</title>" "title untouched"
expect_eq "$(grep -o '<body[^>]*>' "$T/e.dom") $(grep -c '<img' "$T/e.dom")" '<body data-ready="1"> 0' "no element or attribute injected"
expect_match "$(cat "$T/e.dom")" '<td>&lt;script&gt;document.title="pwned"&lt;/script&gt;&lt;img src=x' "the name shown as text"
expect_eq "$(span "$T/e.dom" shown) $(span "$T/e.dom" total)" "1 $((total + 1))" "?q=<script> finds the hostile row"

# defence in depth: a script smuggled into the page does not run (CSP allows one hash)
sed 's|<h1>SBOM report</h1>|<h1>SBOM report</h1><script>document.title="smuggled"</script>|' "$T/r.html" >"$T/smuggled.html"
browse "$T/smuggled.html" "" >"$T/sm.dom"
expect_match "$(cat "$T/sm.dom")" "<title>SBOM report: $T/a.cdx.json</title>" "a smuggled script is blocked by the CSP"
expect_match "$(cat "$T/sm.dom")" '<body data-ready="1">' "while the page's own script runs"

# errors: one line, exit 2, nothing written
echo keep >"$T/keep.html"
run "$VOUCH" sbom report "$T/missing.json" -o "$T/keep.html"
expect_rc 2 "missing SBOM"
expect_one_line_err "missing SBOM"
printf '{"hello":1}' >"$T/x.json"
run "$VOUCH" sbom report "$T/x.json" -o "$T/keep.html"
expect_rc 2 "not an SBOM"
expect_eq "$ERR" "vouch: '$T/x.json': not an SPDX or CycloneDX JSON document" "not-an-SBOM message"
run "$VOUCH" sbom report "$T/a.cdx.json" --vulns "$T/x.json" -o "$T/keep.html"
expect_rc 2 "not a vulnerability report"
expect_one_line_err "not a vulnerability report"
expect_eq "$(cat "$T/keep.html")" "keep" "existing output untouched"
run "$VOUCH" sbom report
expect_rc 2 "no SBOM given"
finish
