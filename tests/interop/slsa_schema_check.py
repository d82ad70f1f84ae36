#!/usr/bin/python3
# Validate in-toto statements against vouch's schemas with Debian python3-jsonschema:
# the statement schema always, the SLSA Provenance v1 schema on the predicate when the
# predicateType is https://slsa.dev/provenance/v1.
#   slsa_schema_check.py SCHEMA_DIR STATEMENT.json...
# Prints "<file>: valid" or "<file>: invalid: <path>: <message>" lines; exit 1 if any invalid.
import json
import sys

import jsonschema

def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)

def main(argv):
    sdir = argv[1]
    st_schema = load(sdir + "/in-toto-statement-v1.schema.json")
    pv_schema = load(sdir + "/slsa-provenance-v1.schema.json")
    store = {st_schema["$id"]: st_schema, pv_schema["$id"]: pv_schema}
    cls = jsonschema.Draft202012Validator
    cls.check_schema(st_schema)
    cls.check_schema(pv_schema)
    st_v = cls(st_schema, resolver=jsonschema.RefResolver.from_schema(st_schema, store=store))
    pv_v = cls(pv_schema, resolver=jsonschema.RefResolver.from_schema(pv_schema, store=store))
    bad = 0
    for path in argv[2:]:
        doc = load(path)
        errs = list(st_v.iter_errors(doc))
        if not errs and doc.get("predicateType") == "https://slsa.dev/provenance/v1":
            errs = list(pv_v.iter_errors(doc.get("predicate") or {}))
        if errs:
            bad += 1
            for e in sorted(errs, key=lambda e: list(e.absolute_path)):
                where = "/".join(str(p) for p in e.absolute_path)
                print("%s: invalid: /%s: %s" % (path, where, e.message))
        else:
            print("%s: valid" % path)
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv))
