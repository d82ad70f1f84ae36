#!/usr/bin/env bash
# Hostile package databases and policies (issue #14): a 200k-entry dpkg Depends/Provides
# or apk D: line stays linear, an rpmdb.sqlite whose Packages is a view is refused, and a
# policy regex whose repetitions multiply is refused at load. Bounded with timeout(1): a
# regression back to quadratic work takes minutes and fails here instead of hanging CI.
. "$VOUCH_SRC/tests/support/lib.sh"

names() { /usr/bin/python3 -c "import sys; print(', '.join('dep%d' % i for i in range(int(sys.argv[1]))))" "$1"; }

# dpkg: one package depends on 200k names, another provides 200k others
R=$T/dpkg && mkdir -p "$R/var/lib/dpkg"
{
    printf 'Package: big\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\nDepends: %s, prov199999\n\n' "$(names 200000)"
    printf 'Package: dep7\nStatus: install ok installed\nVersion: 2.0\nArchitecture: amd64\n'
    printf 'Provides: %s\n\n' "$(/usr/bin/python3 -c "print(', '.join('prov%d' % i for i in range(200000)))")"
} >"$R/var/lib/dpkg/status"
run timeout 120 "$VOUCH" sbom "dir:$R" -o cyclonedx-json
expect_rc 0 "200k Depends and Provides entries: done in bounded time"
expect_eq "$(printf '%s' "$OUT" | jq -c '[.dependencies[] | select(.ref | startswith("pkg:deb/debian/big@")) | .dependsOn | length]')" "[1]" "both edges land on the one package present (by name and by Provides)"

# apk: a D: line of 200k tokens
R=$T/apk && mkdir -p "$R/lib/apk/db"
printf 'P:big\nV:1.0-r0\nA:x86_64\nD:%s\n\n' "$(/usr/bin/python3 -c "print(' '.join('so:lib%d.so=1' % i for i in range(200000)))")" >"$R/lib/apk/db/installed"
run timeout 120 "$VOUCH" sbom "dir:$R" -o cyclonedx-json
expect_rc 0 "200k apk D: tokens: done in bounded time"
expect_eq "$(printf '%s' "$OUT" | jq -r '.components[0].name')" "big" "the package is listed"

# rpmdb.sqlite whose Packages is a view (attacker-chosen SQL at query time)
R=$T/rpm && mkdir -p "$R/var/lib/rpm"
/usr/bin/python3 - "$R/var/lib/rpm/rpmdb.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE real(hnum INTEGER PRIMARY KEY, blob BLOB)")
db.execute("CREATE VIEW Packages AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x AS hnum, zeroblob(16) AS blob FROM c")
db.commit()
PY
run timeout 60 "$VOUCH" sbom "dir:$R" -o cyclonedx-json
expect_rc 0 "a view is skipped, the SBOM still made"
expect_match "$ERR" "rpm: '[^']*rpmdb.sqlite': Packages is not a table: database skipped" "view refused with the file named"

# policy regex: a{1000}{1000}{1000} would need 10^9 copies in glibc's regcomp
cat >"$T/re.yaml" <<'P'
apiVersion: vouch.dev/policy/v1
rules:
  - name: tags
    images: ["**"]
    tags:
      allow: "a{1000}{1000}{1000}"
P
run timeout 60 "$VOUCH" admit --offline --policy "$T/re.yaml" nginx:1.25
expect_rc 2 "exploding regex refused at load"
expect_match "$ERR" "regex 'a\{1000\}\{1000\}\{1000\}' is too large \(at most 1024 characters, repetition counts multiplying to at most 10000\)" "regex message"
sed -i 's/a{1000}{1000}{1000}/^v[0-9]{1,4}[.][0-9]{1,4}$/' "$T/re.yaml"
run "$VOUCH" admit --offline --policy "$T/re.yaml" nginx:v1.25
expect_rc 0 "an ordinary bounded regex still loads"
finish
