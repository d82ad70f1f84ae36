# Writes TUF repositories (Sigstore's layout, consistent snapshots) signed by Debian's
# python3-securesystemslib, one folder per scenario under OUT, for test_tuf_update.sh:
#   base            root v1 (1 ecdsa key), timestamp v2 (ed25519), snapshot v2, targets v2
#   rotated         base + 2.root.json: 3 new root keys, threshold 2, new timestamp key;
#                   signed by the old key and two new ones; timestamp/snapshot/targets v3
#   rotate-old-only 2.root.json signed by the old root key only (0 of 2 new)
#   rotate-one-new  2.root.json signed by the old key and one new key (1 of 2)
#   rotate-skip     2.root.json claims version 3 (versions must follow on)
#   expired-ts      base with a timestamp that expired before the test clock
#   rollback-ts     a valid timestamp v1 (lower than base's v2)
#   bad-sig         base with one hex digit of the timestamp signature changed
#   target-hash     the target replaced by other bytes of the same length
#   target-long     the target with one byte more than targets.json says
#   snapshot-hash   a re-signed snapshot that is not the one the timestamp hashes
#   rollback-targets timestamp v3 -> snapshot v3 naming targets.json v1 (base trusts v2)
# usage: tuf_repo.py OUT TARGET_FILE TARGET_FILE2   (the clock: 2030-01-01T00:00:00Z)
import copy, hashlib, json, os, shutil, sys
from securesystemslib import formats, keys

OUT, TARGET, TARGET2 = sys.argv[1], sys.argv[2], sys.argv[3]
GOOD, PAST = "2031-01-01T00:00:00Z", "2029-12-31T00:00:00Z"
SPEC = "1.0.31"

K = {
    "root1": keys.generate_ecdsa_key(),
    "root2a": keys.generate_ecdsa_key(),
    "root2b": keys.generate_ed25519_key(),
    "root2c": keys.generate_ecdsa_key(),
    "ts1": keys.generate_ed25519_key(),
    "ts2": keys.generate_ecdsa_key(),
    "snap": keys.generate_ecdsa_key(),
    "targets": keys.generate_ed25519_key(),
}


def pub(k):
    return keys.format_keyval_to_metadata(k["keytype"], k["scheme"], k["keyval"])


def signed_doc(signed, signers):
    data = formats.encode_canonical(signed).encode()
    sigs = [keys.create_signature(K[n], data) for n in signers]
    return {"signatures": sigs, "signed": signed}


def dump(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:  # pretty, not canonical: the client canonicalizes
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")


def meta_of(path):
    b = open(path, "rb").read()
    return {"length": len(b), "hashes": {"sha256": hashlib.sha256(b).hexdigest()}}


def root(version, root_keys, threshold, ts_key):
    names = set(root_keys) | {ts_key, "snap", "targets"}
    return {
        "_type": "root", "spec_version": SPEC, "version": version, "expires": GOOD,
        "consistent_snapshot": True,
        "keys": {K[n]["keyid"]: pub(K[n]) for n in sorted(names)},
        "roles": {
            "root": {"keyids": [K[n]["keyid"] for n in root_keys], "threshold": threshold},
            "timestamp": {"keyids": [K[ts_key]["keyid"]], "threshold": 1},
            "snapshot": {"keyids": [K["snap"]["keyid"]], "threshold": 1},
            "targets": {"keyids": [K["targets"]["keyid"]], "threshold": 1},
        },
        "x-vouch-test": "escapes \"quoted\" \\ and UTF-8 \u00e9",
    }


def publish(d, version, target, ts_key="ts1", ts_expires=GOOD, targets_version=None):
    """timestamp/snapshot/targets at version, the target file, in d."""
    tv = version if targets_version is None else targets_version
    b = open(target, "rb").read()
    h = hashlib.sha256(b).hexdigest()
    os.makedirs(f"{d}/targets", exist_ok=True)
    open(f"{d}/targets/{h}.trusted_root.json", "wb").write(b)
    targets = {"_type": "targets", "spec_version": SPEC, "version": tv, "expires": GOOD,
               "targets": {"trusted_root.json": {"length": len(b), "hashes": {
                   "sha256": h, "sha512": hashlib.sha512(b).hexdigest()}}}}
    if not os.path.exists(f"{d}/{tv}.targets.json"):
        dump(f"{d}/{tv}.targets.json", signed_doc(targets, ["targets"]))
    snap = {"_type": "snapshot", "spec_version": SPEC, "version": version, "expires": GOOD,
            "meta": {"targets.json": {"version": tv}}}
    dump(f"{d}/{version}.snapshot.json", signed_doc(snap, ["snap"]))
    ts = {"_type": "timestamp", "spec_version": SPEC, "version": version,
          "expires": ts_expires,
          "meta": {"snapshot.json": dict(meta_of(f"{d}/{version}.snapshot.json"),
                                         version=version)}}
    dump(f"{d}/timestamp.json", signed_doc(ts, [ts_key]))


def scenario(name):
    d = f"{OUT}/{name}"
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    dump(f"{d}/1.root.json", signed_doc(root(1, ["root1"], 1, "ts1"), ["root1"]))
    return d


dump(f"{OUT}/root.json", signed_doc(root(1, ["root1"], 1, "ts1"), ["root1"]))
publish(scenario("base"), 2, TARGET)

NEW = ["root2a", "root2b", "root2c"]
for name, signers, version in [("rotated", ["root1", "root2a", "root2b"], 2),
                               ("rotate-old-only", ["root1"], 2),
                               ("rotate-one-new", ["root1", "root2c"], 2),
                               ("rotate-skip", ["root1", "root2a", "root2b"], 3)]:
    d = scenario(name)
    dump(f"{d}/2.root.json", signed_doc(root(version, NEW, 2, "ts2"), signers))
    publish(d, 3, TARGET2, ts_key="ts2")

publish(scenario("expired-ts"), 2, TARGET, ts_expires=PAST)
publish(scenario("rollback-ts"), 1, TARGET)

d = scenario("bad-sig")
publish(d, 2, TARGET)
doc = json.load(open(f"{d}/timestamp.json"))
s = doc["signatures"][0]["sig"]
doc["signatures"][0]["sig"] = s[:10] + ("0" if s[10] != "0" else "1") + s[11:]
dump(f"{d}/timestamp.json", doc)

for name in ["target-hash", "target-long"]:
    d = scenario(name)
    publish(d, 2, TARGET)
    p = [f"{d}/targets/{f}" for f in os.listdir(f"{d}/targets")][0]
    b = bytearray(open(p, "rb").read())
    if name == "target-hash":
        b[100] ^= 0x01
    else:
        b += b"\n"
    open(p, "wb").write(bytes(b))

d = scenario("snapshot-hash")
publish(d, 2, TARGET)
want = os.path.getsize(f"{d}/2.snapshot.json")
snap = json.load(open(f"{d}/2.snapshot.json"))["signed"]
snap["expires"] = "2031-01-02T00:00:00Z"  # same length; ECDSA signatures vary: retry
for _ in range(64):
    dump(f"{d}/2.snapshot.json", signed_doc(snap, ["snap"]))
    if os.path.getsize(f"{d}/2.snapshot.json") == want:
        break

d = scenario("rollback-targets")
publish(d, 1, TARGET)  # targets v1
publish(d, 3, TARGET, targets_version=1)
