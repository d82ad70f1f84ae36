#!/usr/bin/env python3
"""Lay a sigstore DSSE bundle out as an image attestation in an OCI layout.

usage: sigstore_layout.py att|ref BUNDLE OUT [TAMPER]
       sigstore_layout.py push OUT HOST:PORT REPO

The image is the statement's first subject (its sha256 digest; refer to it as
oci-dir:OUT@sha256:HEX). att: cosign's legacy form, the envelope as a layer of the
sha256-<hex>.att image with the bundle's certificate and its Rekor v1 entry as a
dev.sigstore.cosign/bundle RekorBundle annotation. ref: the bundle itself as an OCI 1.1
referrer (artifactType application/vnd.dev.sigstore.bundle.v0.3+json) listed by the
sha256-<hex> referrers tag. TAMPER: payload (statement changed), set (integrated time + 1).
push: every blob and tagged manifest of layout OUT to a plain-http registry (the subject
itself is not pushed: refer to it as HOST:PORT/REPO@sha256:HEX).
"""
import base64
import hashlib
import json
import os
import sys
import urllib.request

BUNDLE_MT = "application/vnd.dev.sigstore.bundle.v0.3+json"
MANIFEST_MT = "application/vnd.oci.image.manifest.v1+json"
INDEX_MT = "application/vnd.oci.image.index.v1+json"
EMPTY_MT = "application/vnd.oci.empty.v1+json"


def push(out, reg, repo):
    base = f"http://{reg}/v2/{repo}"

    def call(method, url, data=None, ctype=None):
        req = urllib.request.Request(url, data=data, method=method)
        if ctype:
            req.add_header("Content-Type", ctype)
        return urllib.request.urlopen(req)

    for name in sorted(os.listdir(out + "/blobs/sha256")):
        data = open(f"{out}/blobs/sha256/{name}", "rb").read()
        loc = call("POST", base + "/blobs/uploads/").headers["Location"]
        loc = loc if loc.startswith("http") else f"http://{reg}{loc}"
        call("PUT", loc + ("&" if "?" in loc else "?") + "digest=sha256:" + name, data,
             "application/octet-stream")

    def put_manifest(d, ref):
        data = open(f"{out}/blobs/sha256/{d['digest'][7:]}", "rb").read()
        for child in json.loads(data).get("manifests", []):
            put_manifest(child, child["digest"])
        call("PUT", f"{base}/manifests/{ref}", data, d["mediaType"])

    for d in json.load(open(out + "/index.json"))["manifests"]:
        put_manifest(d, d["annotations"]["org.opencontainers.image.ref.name"])


def main():
    if sys.argv[1] == "push":
        push(*sys.argv[2:5])
        return
    mode, bundle_path, out = sys.argv[1:4]
    tamper = sys.argv[4] if len(sys.argv) > 4 else "none"
    bundle = json.load(open(bundle_path))
    env = bundle["dsseEnvelope"]
    stmt = json.loads(base64.b64decode(env["payload"]))
    subject = stmt["subject"][0]["digest"]["sha256"]
    if tamper == "payload":
        env["payload"] = base64.b64encode(base64.b64decode(env["payload"]).replace(
            b"https://slsa.dev/provenance/v1", b"https://slsa.dev/provenance/v9")).decode()
    os.makedirs(out + "/blobs/sha256")

    def put(data):
        h = hashlib.sha256(data).hexdigest()
        open(f"{out}/blobs/sha256/{h}", "wb").write(data)
        return {"digest": "sha256:" + h, "size": len(data)}

    def compact(o):
        return json.dumps(o, separators=(",", ":")).encode()

    empty = put(b"{}")
    manifests = []
    tag = "sha256-" + subject
    if mode == "att":
        vm = bundle["verificationMaterial"]
        cert = vm.get("certificate") or vm["x509CertificateChain"]["certificates"][0]
        pem = "-----BEGIN CERTIFICATE-----\n" + "\n".join(
            [cert["rawBytes"][i:i + 64] for i in range(0, len(cert["rawBytes"]), 64)]
        ) + "\n-----END CERTIFICATE-----\n"
        e = vm["tlogEntries"][0]
        rekor = {"SignedEntryTimestamp": e["inclusionPromise"]["signedEntryTimestamp"],
                 "Payload": {"body": e["canonicalizedBody"],
                             "integratedTime": int(e["integratedTime"]) + (tamper == "set"),
                             "logIndex": int(e["logIndex"]),
                             "logID": base64.b64decode(e["logId"]["keyId"]).hex()}}
        layer = put(compact(env))
        ann = {"dev.cosignproject.cosign/signature": "",
               "dev.sigstore.cosign/bundle": compact(rekor).decode(),
               "dev.sigstore.cosign/certificate": pem,
               "predicateType": stmt["predicateType"]}
        cfg = put(compact({"architecture": "", "os": "", "config": {},
                           "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}))
        man = {"schemaVersion": 2, "mediaType": MANIFEST_MT,
               "config": dict(mediaType="application/vnd.oci.image.config.v1+json", **cfg),
               "layers": [dict(mediaType="application/vnd.dsse.envelope.v1+json",
                               annotations=ann, **layer)]}
        manifests.append(dict(mediaType=MANIFEST_MT, annotations={
            "org.opencontainers.image.ref.name": tag + ".att"}, **put(compact(man))))
    else:
        bundle["dsseEnvelope"] = env
        layer = put(compact(bundle))
        man = {"schemaVersion": 2, "mediaType": MANIFEST_MT, "artifactType": BUNDLE_MT,
               "config": dict(mediaType=EMPTY_MT, **empty),
               "layers": [dict(mediaType=BUNDLE_MT, **layer)],
               "subject": {"mediaType": MANIFEST_MT, "digest": "sha256:" + subject, "size": 1}}
        ref = dict(mediaType=MANIFEST_MT, artifactType=BUNDLE_MT, **put(compact(man)))
        idx = {"schemaVersion": 2, "mediaType": INDEX_MT, "manifests": [ref]}
        manifests.append(dict(mediaType=INDEX_MT, annotations={
            "org.opencontainers.image.ref.name": tag}, **put(compact(idx))))
    open(out + "/index.json", "w").write(json.dumps({"schemaVersion": 2, "manifests": manifests}))
    open(out + "/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
    print(subject)


main()
