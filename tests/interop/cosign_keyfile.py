#!/usr/bin/python3
"""Independent reader and writer of cosign's encrypted key file, for interop tests.

usage: cosign_keyfile.py KEYFILE PASSWORD_FILE OUT_DER
       cosign_keyfile.py --encrypt IN_DER PASSWORD_FILE N LABEL OUT_KEY

Decrypt: decodes the PEM body (base64 of JSON), derives the key with
hashlib.scrypt (N from the file, r=8, p=1, 32 bytes) and opens the NaCl
secretbox with python3-nacl, writing the plaintext (PKCS#8 DER) to OUT_DER.
Prints the label and N on stdout. Exit 1 on any failure.
Encrypt: the reverse, with a random salt and nonce, JSON in Go struct order.
"""
import base64
import hashlib
import json
import sys

import nacl.secret
import nacl.utils


def main():
    key_path, pw_path, out_path = sys.argv[1:4]
    lines = open(key_path, encoding="ascii").read().strip().split("\n")
    label = lines[0][len("-----BEGIN "):-len("-----")]
    if lines[-1] != "-----END %s-----" % label:
        sys.exit("bad PEM framing")
    doc = json.loads(base64.b64decode("".join(lines[1:-1]), validate=True))
    kdf, cipher = doc["kdf"], doc["cipher"]
    if kdf["name"] != "scrypt" or cipher["name"] != "nacl/secretbox":
        sys.exit("unexpected kdf/cipher")
    params = kdf["params"]
    key = hashlib.scrypt(open(pw_path, "rb").read(),
                         salt=base64.b64decode(kdf["salt"]),
                         n=params["N"], r=params["r"], p=params["p"],
                         maxmem=256 * 1024 * 1024, dklen=32)
    box = nacl.secret.SecretBox(key)
    plain = box.decrypt(base64.b64decode(doc["ciphertext"]),
                        base64.b64decode(cipher["nonce"]))
    open(out_path, "wb").write(plain)
    print(label, params["N"])


def encrypt():
    der_path, pw_path, n, label, out_path = sys.argv[2:7]
    salt = nacl.utils.random(32)
    nonce = nacl.utils.random(24)
    key = hashlib.scrypt(open(pw_path, "rb").read(), salt=salt, n=int(n), r=8, p=1,
                         maxmem=256 * 1024 * 1024, dklen=32)
    ct = nacl.secret.SecretBox(key).encrypt(open(der_path, "rb").read(), nonce).ciphertext
    b64 = lambda b: base64.b64encode(b).decode()
    doc = ('{"kdf":{"name":"scrypt","params":{"N":%d,"r":8,"p":1},"salt":"%s"},'
           '"cipher":{"name":"nacl/secretbox","nonce":"%s"},"ciphertext":"%s"}'
           % (int(n), b64(salt), b64(nonce), b64(ct)))
    body = b64(doc.encode())
    with open(out_path, "w", encoding="ascii") as f:
        f.write("-----BEGIN %s-----\n" % label)
        for i in range(0, len(body), 64):
            f.write(body[i:i + 64] + "\n")
        f.write("-----END %s-----\n" % label)


if __name__ == "__main__":
    if sys.argv[1] == "--encrypt":
        encrypt()
    else:
        main()
