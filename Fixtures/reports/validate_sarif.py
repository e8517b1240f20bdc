#!/usr/bin/env python3
"""Validate SARIF files against the SARIF 2.1.0 JSON schema (used by ReportersTests).

usage: validate_sarif.py SCHEMA FILE...
Exit 0 when every file validates, 1 with one line per error otherwise, 2 when jsonschema is
missing (install it with `pip install jsonschema`).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate_sarif.py: the Python package jsonschema is missing; "
          "install it with `pip install jsonschema`", file=sys.stderr)
    sys.exit(2)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as handle:
        schema = json.load(handle)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    failed = False
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path)):
            failed = True
            where = "/".join(str(part) for part in error.absolute_path)
            print(f"{path}: /{where}: {error.message}")
        if not failed:
            print(f"{path}: valid SARIF 2.1.0")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
