#!/usr/bin/env bash
# Rust: Cargo.lock fixtures (v1, v3, syft's) equal python's tomllib reading of them,
# packages and edges; the cargo-auditable binary equals its .dep-v0 section inflated by
# python's zlib; malformed and hostile inputs (garbage lines, a section pointing outside
# the binary, a zlib bomb, a huge lockfile) are warnings naming the file, exit 0.
. "$VOUCH_SRC/tests/support/lib.sh"
PY=/usr/bin/python3
RUST=$SHARED/vectors/sbom-fixtures/lang/rust
export SOURCE_DATE_EPOCH=1700000000

cargo_lines() { # purl@location lines and edge lines of a CycloneDX file
    jq -r '.components[] | select(.purl // "" | startswith("pkg:cargo/"))
           | .purl as $p | .evidence.occurrences[] | "\($p) \(.location)"' "$1" | sort
    jq -r '.dependencies[] | select(.ref | startswith("pkg:cargo/")) | .ref as $r
           | .dependsOn[] | "\($r) -> \(.)"' "$1" | sort
}

src=$T/src
mkdir -p "$src/normal" "$src/v3" "$src/syft" "$src/usr/local/bin"
cp "$RUST/trivy-cargo_normal.lock" "$src/normal/Cargo.lock"
cp "$RUST/trivy-cargo_v3.lock" "$src/v3/Cargo.lock"
cp "$RUST/syft-Cargo.lock" "$src/syft/Cargo.lock"
cp "$RUST/trivy-cargo-auditable-test.elf" "$src/usr/local/bin/app"
objcopy --dump-section .dep-v0="$T/dep-v0.bin" "$src/usr/local/bin/app" "$T/app.copy"
truth=$("$PY" - "$src" "$T/dep-v0.bin" <<'PY'
import json, os, sys, tomllib, zlib
root, dep = sys.argv[1], sys.argv[2]
locs, edges = {}, set()
for d in ("normal", "v3", "syft"):
    rel = d + "/Cargo.lock"
    pk = tomllib.load(open(os.path.join(root, rel), "rb"))["package"]
    vers = {}
    for p in pk:
        vers.setdefault(p["name"], []).append(p["version"])
    for p in pk:
        me = "pkg:cargo/%s@%s" % (p["name"], p["version"])
        locs.setdefault(me, set()).add(rel)
        for s in p.get("dependencies", []):
            f = s.split(" ")
            v = f[1] if len(f) > 1 else (vers[f[0]][0] if len(vers.get(f[0], [])) == 1 else None)
            if v:
                edges.add("%s -> pkg:cargo/%s@%s" % (me, f[0], v))
audit = json.loads(zlib.decompress(open(dep, "rb").read()))["packages"]
for p in audit:
    if p.get("kind", "runtime") == "runtime":
        me = "pkg:cargo/%s@%s" % (p["name"], p["version"])
        locs.setdefault(me, set()).add("usr/local/bin/app")
        for i in p.get("dependencies", []):
            q = audit[i]
            edges.add("%s -> pkg:cargo/%s@%s" % (me, q["name"], q["version"]))
print("\n".join(sorted("%s %s" % (p, l) for p in locs for l in locs[p])))
print("\n".join(sorted(edges)))
PY
)
run "$VOUCH" sbom "dir:$src" -q -o "cyclonedx-json=$T/src.cdx.json" -o "spdx-json=$T/src.spdx.json"
expect_rc 0 "sbom of the Rust fixtures"
expect_eq "$(cargo_lines "$T/src.cdx.json")" "$truth" "Cargo.lock v1/v3/syft and .dep-v0 = tomllib/zlib, packages and edges"
expect_eq "$(grep -c '^pkg:cargo/.* usr/local/bin/app$' <<<"$truth") $(grep -c '^\[\[package\]\]' "$RUST/trivy-cargo_normal.lock") $(grep -c '^\[\[package\]\]' "$RUST/trivy-cargo_v3.lock") $(grep -c '^\[\[package\]\]' "$RUST/syft-Cargo.lock")" \
    "2 8 9 14" "README counts: 2 audited crates, 8, 9 and 14 [[package]] tables"
expect_match "$(cargo_lines "$T/src.cdx.json")" "pkg:cargo/crate_with_features@0.1.0 -> pkg:cargo/library_crate@0.1.0" "auditable edge"
expect_match "$(cargo_lines "$T/src.cdx.json")" "pkg:cargo/app@0.1.0 v3/Cargo.lock" "workspace member without source"
expect_eq "$(jq '[.relationships[] | select(.relationshipType=="DEPENDS_ON")] | length' "$T/src.spdx.json")" \
    "$(grep -c ' -> ' <<<"$truth")" "SPDX DEPENDS_ON for every edge"

# --- an image keeps binaries, not lockfiles: only the audited crates
mkdir -p "$T/layer/usr/local/bin" "$T/layer/srv"
cp "$RUST/trivy-cargo-auditable-test.elf" "$T/layer/usr/local/bin/app"
cp "$RUST/trivy-cargo_v3.lock" "$T/layer/srv/Cargo.lock"
tar -C "$T/layer" -cf "$T/layer.tar" usr srv
run "$VOUCH" sbom "file:$T/layer.tar" -q -o "cyclonedx-json=$T/tar.cdx.json"
expect_eq "$(jq -r '[.components[] | select(.purl // "" | startswith("pkg:cargo/")) | .name] | join(" ")' "$T/tar.cdx.json")" \
    "crate_with_features library_crate" "file: archive: lockfile not read, binary read"

# --- malformed and hostile
bad=$T/bad
mkdir -p "$bad/garbage" "$bad/huge" "$bad/usr/local/bin"
printf '[[package]]\nname = "ok"\nversion = "1.0.0"\n\n[[package]]\nname = "unterminated\nversion = 2\nthis is not toml\n[[package]]\nversion = "9"\n' \
    >"$bad/garbage/Cargo.lock"
"$PY" - "$bad" "$RUST/trivy-cargo-auditable-test.elf" <<'PY'
import struct, sys, zlib
d, elf = sys.argv[1], open(sys.argv[2], "rb").read()
with open(d + "/huge/Cargo.lock", "w") as f:  # 200,000 crates, each depending on the next
    f.write("version = 3\n")
    for i in range(200000):
        f.write('[[package]]\nname = "c%d"\nversion = "1.0.%d"\n' % (i, i))
        if i + 1 < 200000:
            f.write('dependencies = [\n "c%d",\n]\n' % (i + 1))
# find .dep-v0's section header (ELF64 little-endian)
shoff, = struct.unpack_from("<Q", elf, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3a)
stroff, = struct.unpack_from("<Q", elf, shoff + shstrndx * shentsize + 24)
for i in range(shnum):
    h = shoff + i * shentsize
    nm, = struct.unpack_from("<I", elf, h)
    if elf[stroff + nm:stroff + nm + 8] == b".dep-v0\0":
        break
out = bytearray(elf)  # the section points far outside the file
struct.pack_into("<Q", out, h + 24, 1 << 40)
open(d + "/usr/local/bin/outside", "wb").write(out)
bomb = zlib.compress(b"[" * (64 << 20), 9)  # 64 MiB of JSON from ~64 KiB
out = bytearray(elf[:shoff]) + bytes(elf[shoff:])
pos = len(out)
out += bomb
struct.pack_into("<QQ", out, h + 24, pos, len(bomb))
open(d + "/usr/local/bin/bomb", "wb").write(out)
PY
run "$VOUCH" sbom "dir:$bad" -o "cyclonedx-json=$T/bad.cdx.json"
expect_rc 0 "hostile Rust inputs: exit 0"
expect_match "$ERR" "warning: cargo: 'garbage/Cargo.lock': 5 malformed lines or packages \(first at line 6\) skipped" "garbage lock: warning names it"
expect_match "$ERR" "warning: cargo: 'usr/local/bin/outside': malformed ELF section headers" "section outside the binary: named"
expect_match "$ERR" "warning: cargo: 'usr/local/bin/bomb': .dep-v0 inflates to more than 8 MiB" "zlib bomb: bounded, named"
expect_eq "$(jq '[.components[] | select(.purl // "" | startswith("pkg:cargo/c"))] | length' "$T/bad.cdx.json")" 200000 "huge lock: every crate"
expect_eq "$(jq '[.dependencies[] | select(.ref | startswith("pkg:cargo/c")) | .dependsOn[]] | length' "$T/bad.cdx.json")" 199999 "huge lock: every edge"
expect_eq "$(jq -r '.components[] | select(.name=="ok") | .purl' "$T/bad.cdx.json")" "pkg:cargo/ok@1.0.0" "the rest is still produced"

run "$PY" "$VOUCH_SRC/tests/interop/sbom_validate.py" "$VOUCH_SRC/schemas/cyclonedx-1.6/bom-1.6.schema.json" "$T/src.cdx.json"
expect_rc 0 "CycloneDX 1.6 schema"
run "$PY" "$VOUCH_SRC/tests/interop/sbom_validate.py" "$VOUCH_SRC/schemas/spdx-2.3/spdx-schema.json" "$T/src.spdx.json"
expect_rc 0 "SPDX 2.3 schema"
finish
