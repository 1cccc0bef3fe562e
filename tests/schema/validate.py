#!/usr/bin/python3
"""Validate a --json output of hardening-compat against its documented schema.

    validate.py SCHEMA_NAME < OUTPUT      (SCHEMA_NAME: status, explain or why-failed)

Exit status 0 when valid; 1 with the first errors on stderr otherwise. Works with Debian 12's
python3-jsonschema (4.10, RefResolver) and newer releases (the referencing registry).
"""
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    with open(os.path.join(HERE, name + ".schema.json"), encoding="utf-8") as f:
        return json.load(f)


def validator_for(schema, others):
    cls = jsonschema.Draft202012Validator
    try:
        from referencing import Registry, Resource
    except ImportError:
        resolver = jsonschema.RefResolver(base_uri=schema["$id"], referrer=schema,
                                          store={s["$id"]: s for s in others})
        return cls(schema, resolver=resolver)
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in others)
    return cls(schema, registry=registry)


def main():
    schema = load(sys.argv[1])
    v = validator_for(schema, [load("common"), schema])
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    errors = sorted(v.iter_errors(json.load(sys.stdin)), key=lambda e: list(e.absolute_path))
    for e in errors[:10]:
        print(f"{sys.argv[1]}: {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
