#!/usr/bin/python3
# usage: sbom_validate.py SCHEMA DOC...  -- validate SBOMs offline against an official schema.
# $refs (spdx.schema.json, jsf-0.82.schema.json) resolve from the schema's own folder by
# their $id; formats (date-time, uri, ...) are asserted. Exit 0 if every DOC is valid.
import glob
import json
import os
import re
import sys

import jsonschema
import jsonschema._utils as _ju
import jsonschema._validators as _jv
from jsonschema import validators


# python3-jsonschema 4.10.3 sorts dicts in extras_msg (TypeError on CycloneDX licenses
# arrays with two or more entries): report extras unsorted instead.
def _extras_msg(extras):
    extras = list(extras)
    return ", ".join(repr(e) for e in extras), ("was" if len(extras) == 1 else "were")


_jv.extras_msg = _ju.extras_msg = _extras_msg


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def with_date_time(checker):
    """Assert format date-time even without the optional rfc3339-validator module."""
    checker = checker.__class__(list(checker.checkers.keys()))
    checker.checks("date-time")(lambda s: not isinstance(s, str) or bool(RFC3339.match(s)))
    return checker


def load_store(folder):
    store = {}
    for f in glob.glob(os.path.join(folder, "*.json")):
        with open(f) as fp:
            s = json.load(fp)
        if isinstance(s, dict) and "$id" in s:
            store[s["$id"]] = s
        store["file://" + os.path.abspath(f)] = s
    return store


def main():
    schema_path, docs = sys.argv[1], sys.argv[2:]
    with open(schema_path) as fp:
        schema = json.load(fp)
    store = load_store(os.path.dirname(os.path.abspath(schema_path)))
    cls = validators.validator_for(schema)
    v = cls(schema, resolver=jsonschema.RefResolver.from_schema(schema, store=store),
            format_checker=with_date_time(cls.FORMAT_CHECKER))
    bad = 0
    for d in docs:
        with open(d) as fp:
            inst = json.load(fp)
        errs = sorted(v.iter_errors(inst), key=lambda e: list(e.path))
        for e in errs[:5]:
            print("ERROR", d, "/".join(map(str, e.path)) or "<root>", ":", e.message[:200])
        print(os.path.basename(d), "valid" if not errs else "INVALID (%d errors)" % len(errs))
        bad += bool(errs)
    sys.exit(1 if bad else 0)


main()
