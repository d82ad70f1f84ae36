#!/usr/bin/env python3
"""An OCI layout holding containers/image's keyless image fixture (dir-img-cosign-fulcio-*):
the image manifest tagged "signed" and its sha256-<hex>.sig image whose one layer is
signature-1's payload with its annotations. TAMPER: none, set (integrated time + 1) or sig
(one signature bit flipped). Usage: keyless_layout.py FIXTURE_DIR OUT_DIR TAMPER"""
import base64
import hashlib
import json
import os
import sys

fix, out, tamper = sys.argv[1:4]
os.makedirs(out + "/blobs/sha256")


def put(b):
    h = hashlib.sha256(b).hexdigest()
    with open(f"{out}/blobs/sha256/{h}", "wb") as f:
        f.write(b)
    return "sha256:" + h, len(b)


def compact(o):
    return json.dumps(o, separators=(",", ":")).encode()


man = open(fix + "/manifest.json", "rb").read()
md, ml = put(man)
sig = json.loads(open(fix + "/signature-1", "rb").read()[15:])  # after the dir format header
payload = base64.b64decode(sig["payload"])
ann = dict(sig["annotations"])
if tamper == "set":
    b = json.loads(ann["dev.sigstore.cosign/bundle"])
    b["Payload"]["integratedTime"] += 1
    ann["dev.sigstore.cosign/bundle"] = compact(b).decode()
elif tamper == "sig":
    raw = bytearray(base64.b64decode(ann["dev.cosignproject.cosign/signature"]))
    raw[12] ^= 1
    ann["dev.cosignproject.cosign/signature"] = base64.b64encode(bytes(raw)).decode()
pd, pl = put(payload)
cd, cl = put(compact({"architecture": "", "os": "", "config": {},
                      "rootfs": {"type": "layers", "diff_ids": [pd]}}))
sd, sl = put(compact({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": cl, "digest": cd},
                      "layers": [{"mediaType": sig["mimeType"], "size": pl, "digest": pd, "annotations": ann}]}))
ref = "org.opencontainers.image.ref.name"
idx = {"schemaVersion": 2, "manifests": [
    {"mediaType": json.loads(man)["mediaType"], "digest": md, "size": ml, "annotations": {ref: "signed"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sd, "size": sl,
     "annotations": {ref: md.replace(":", "-") + ".sig"}}]}
with open(out + "/index.json", "w") as f:
    json.dump(idx, f)
with open(out + "/oci-layout", "w") as f:
    f.write('{"imageLayoutVersion":"1.0.0"}')
print(md)
