#!/usr/bin/env python3
"""A throwaway sigstore instance for tests: a Fulcio CA, a CT log, a Rekor log, a TSA, and
the trusted_root.json that lists them; keyless signatures made with it.

usage: sigstore_pki.py init DIR                  keys, certificates, DIR/trusted_root.json,
                                                 DIR/ts.cnf (openssl ts -reply config)
       sigstore_pki.py leaf DIR NAME SAN ISSUER T0
                                                 DIR/NAME.key, DIR/NAME.pem: a Fulcio-style
                                                 leaf for SAN (URI or email) and OIDC ISSUER,
                                                 valid T0..T0+600 (unix seconds), codeSigning,
                                                 with an SCT of the CT log
       sigstore_pki.py v3sig DIR NAME DIGEST OUT [KEY=VALUE...]
                                                 OUT: a v0.1 bundle, DSSE of cosign v3's
                                                 signature statement for DIGEST signed by
                                                 leaf NAME, its Rekor dsse entry with a SET
                                                 (integrated time T0+60)
       sigstore_pki.py rekor DIR PAYLOAD SIG PUB T
                                                 stdout: a cosign RekorBundle (hashedrekord of
                                                 PAYLOAD's sha256, SIG (base64 file), PUB PEM)
                                                 integrated at T, for a .sig annotation
Everything is EC P-256 / SHA-256. Made here, never copied: python3-cryptography signs.
"""
import base64
import datetime
import hashlib
import json
import os
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

B64 = lambda b: base64.b64encode(b).decode()
SHA = lambda b: hashlib.sha256(b).digest()
START = "2020-01-01T00:00:00Z"


def key_new(path):
    k = ec.generate_private_key(ec.SECP256R1())
    open(path, "wb").write(k.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return k


def key_load(path):
    return serialization.load_pem_private_key(open(path, "rb").read(), None)


def spki(k):
    return k.public_key().public_bytes(serialization.Encoding.DER,
                                       serialization.PublicFormat.SubjectPublicKeyInfo)


def sign(k, data):
    return k.sign(data, ec.ECDSA(hashes.SHA256()))


def when(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc)


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "vouch-test"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def ca_cert(k, cn, issuer=None, ikey=None, eku=None, ca=True):
    b = (x509.CertificateBuilder().subject_name(name(cn))
         .issuer_name(name(issuer) if issuer else name(cn)).public_key(k.public_key())
         .serial_number(x509.random_serial_number())
         .not_valid_before(when(1577836800)).not_valid_after(when(4102444800))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=False,
                                      key_encipherment=False, data_encipherment=False,
                                      key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                                      encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(k.public_key()), critical=False))
    if ikey is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ikey.public_key()),
                            critical=False)
    if eku is not None:
        b = b.add_extension(x509.ExtendedKeyUsage([eku]), critical=True)
    return b.sign(ikey or k, hashes.SHA256())


def der(c):
    return c.public_bytes(serialization.Encoding.DER)


def pem(c):
    return c.public_bytes(serialization.Encoding.PEM)


def init(d):
    os.makedirs(d, exist_ok=True)
    fk, ctk, rk = key_new(f"{d}/fulcio.key"), key_new(f"{d}/ctlog.key"), key_new(f"{d}/rekor.key")
    fulcio = ca_cert(fk, "vouch-test-fulcio")
    open(f"{d}/fulcio.pem", "wb").write(pem(fulcio))
    tak, tk = key_new(f"{d}/tsa-root.key"), key_new(f"{d}/tsa.key")
    troot = ca_cert(tak, "vouch-test-tsa-root")
    tsa = ca_cert(tk, "vouch-test-tsa", "vouch-test-tsa-root", tak, ExtendedKeyUsageOID.TIME_STAMPING,
                  ca=False)
    open(f"{d}/tsa.pem", "wb").write(pem(tsa))
    open(f"{d}/tsa-chain.pem", "wb").write(pem(tsa) + pem(troot))
    open(f"{d}/rekor.pub", "wb").write(rk.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))

    def log(url, k):
        return {"baseUrl": url, "hashAlgorithm": "SHA2_256",
                "publicKey": {"rawBytes": B64(spki(k)), "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                              "validFor": {"start": START}},
                "logId": {"keyId": B64(SHA(spki(k)))}}

    def auth(uri, certs):
        return {"subject": {"organization": "vouch-test", "commonName": uri}, "uri": uri,
                "certChain": {"certificates": [{"rawBytes": B64(der(c))} for c in certs]},
                "validFor": {"start": START}}

    root = {"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [log("https://rekor.vouch.test", rk)],
            "certificateAuthorities": [auth("https://fulcio.vouch.test", [fulcio])],
            "ctlogs": [log("https://ctfe.vouch.test", ctk)],
            "timestampAuthorities": [auth("https://tsa.vouch.test", [tsa, troot])]}
    json.dump(root, open(f"{d}/trusted_root.json", "w"), indent=1)
    open(f"{d}/tsaserial", "w").write("01\n")
    open(f"{d}/ts.cnf", "w").write(f"""[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
serial = {d}/tsaserial
signer_cert = {d}/tsa.pem
certs = {d}/tsa-chain.pem
signer_key = {d}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
""")


def leaf(d, nm, san, issuer, t0):
    fk = key_load(f"{d}/fulcio.key")
    ctk = key_load(f"{d}/ctlog.key")
    fulcio = x509.load_pem_x509_certificate(open(f"{d}/fulcio.pem", "rb").read())
    k = key_new(f"{d}/{nm}.key")
    gn = x509.RFC822Name(san) if "@" in san and "://" not in san else \
        x509.UniformResourceIdentifier(san)
    b = (x509.CertificateBuilder().subject_name(x509.Name([])).issuer_name(fulcio.subject)
         .public_key(k.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(when(t0)).not_valid_after(when(t0 + 600))
         .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                      key_encipherment=False, data_encipherment=False,
                                      key_agreement=False, key_cert_sign=False, crl_sign=False,
                                      encipher_only=False, decipher_only=False), critical=True)
         .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(k.public_key()), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(fk.public_key()),
                        critical=False)
         .add_extension(x509.SubjectAlternativeName([gn]), critical=True)
         .add_extension(x509.UnrecognizedExtension(
             x509.ObjectIdentifier("1.3.6.1.4.1.57264.1.1"), issuer.encode()), critical=False))
    tbs = b.sign(fk, hashes.SHA256()).tbs_certificate_bytes
    ts = (t0 + 1) * 1000
    signed = (struct.pack(">BBQH", 0, 0, ts, 1) + SHA(spki(fk)) + len(tbs).to_bytes(3, "big") +
              tbs + b"\0\0")
    sig = sign(ctk, signed)
    sct = (b"\0" + SHA(spki(ctk)) + struct.pack(">Q", ts) + b"\0\0\x04\x03" +
           struct.pack(">H", len(sig)) + sig)
    lst = struct.pack(">HH", len(sct) + 2, len(sct)) + sct
    inner = b"\x04" + (bytes([len(lst)]) if len(lst) < 128 else b"\x81" + bytes([len(lst)])) + lst
    cert = b.add_extension(x509.UnrecognizedExtension(
        x509.ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2"), inner), critical=False).sign(
            fk, hashes.SHA256())
    open(f"{d}/{nm}.pem", "wb").write(pem(cert))
    open(f"{d}/{nm}.t0", "w").write(str(t0))


def set_entry(d, body, t, index):
    rk = key_load(f"{d}/rekor.key")
    log_id = SHA(spki(rk))
    canon = json.dumps({"body": B64(body), "integratedTime": t, "logID": log_id.hex(),
                        "logIndex": index}, separators=(",", ":"), sort_keys=True).encode()
    return log_id, sign(rk, canon)


def v3sig(d, nm, digest, out, ann):
    k = key_load(f"{d}/{nm}.key")
    cert = x509.load_pem_x509_certificate(open(f"{d}/{nm}.pem", "rb").read())
    t = int(open(f"{d}/{nm}.t0").read()) + 60
    subj = {"digest": {"sha256": digest.split(":")[-1]}}
    if ann:
        subj["annotations"] = dict(a.split("=", 1) for a in ann)
    stmt = json.dumps({"_type": "https://in-toto.io/Statement/v1", "subject": [subj],
                       "predicateType": "https://sigstore.dev/cosign/sign/v1", "predicate": {}},
                      separators=(",", ":")).encode()
    ptype = "application/vnd.in-toto+json"
    pae = b"DSSEv1 %d %s %d %s" % (len(ptype), ptype.encode(), len(stmt), stmt)
    sig = sign(k, pae)
    env = {"payload": B64(stmt), "payloadType": ptype, "signatures": [{"sig": B64(sig)}]}
    body = json.dumps({"apiVersion": "0.0.1", "kind": "dsse", "spec": {
        "envelopeHash": {"algorithm": "sha256",
                         "value": hashlib.sha256(json.dumps(env).encode()).hexdigest()},
        "payloadHash": {"algorithm": "sha256", "value": hashlib.sha256(stmt).hexdigest()},
        "signatures": [{"signature": B64(sig), "verifier": B64(pem(cert))}]}},
        separators=(",", ":")).encode()
    log_id, set_sig = set_entry(d, body, t, 7)
    bundle = {"mediaType": "application/vnd.dev.sigstore.bundle+json;version=0.1",
              "verificationMaterial": {
                  "x509CertificateChain": {"certificates": [{"rawBytes": B64(der(cert))}]},
                  "tlogEntries": [{"logIndex": "7", "logId": {"keyId": B64(log_id)},
                                   "kindVersion": {"kind": "dsse", "version": "0.0.1"},
                                   "integratedTime": str(t),
                                   "inclusionPromise": {"signedEntryTimestamp": B64(set_sig)},
                                   "canonicalizedBody": B64(body)}]},
              "dsseEnvelope": env}
    json.dump(bundle, open(out, "w"))


def rekor(d, payload, sigfile, pub, t):
    body = json.dumps({"apiVersion": "0.0.1", "kind": "hashedrekord", "spec": {
        "data": {"hash": {"algorithm": "sha256",
                          "value": hashlib.sha256(open(payload, "rb").read()).hexdigest()}},
        "signature": {"content": open(sigfile).read().strip(),
                      "publicKey": {"content": B64(open(pub, "rb").read())}}}},
        separators=(",", ":")).encode()
    log_id, set_sig = set_entry(d, body, int(t), 3)
    print(json.dumps({"SignedEntryTimestamp": B64(set_sig), "Payload": {
        "body": B64(body), "integratedTime": int(t), "logIndex": 3, "logID": log_id.hex()}},
        separators=(",", ":")))


cmd = sys.argv[1]
if cmd == "init":
    init(sys.argv[2])
elif cmd == "leaf":
    leaf(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
elif cmd == "v3sig":
    v3sig(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:])
elif cmd == "rekor":
    rekor(*sys.argv[2:7])
else:
    sys.exit(__doc__)
