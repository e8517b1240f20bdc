#!/usr/bin/env python3
"""Checks sever's facts against an independent reading of the source text.

Usage: kernfs-ops-recovered.py TREE FACTS.json DIR...

Finds every `struct kernfs_ops NAME = {` definition under the directories with a regular
expression, reads the designated field names of its initializer by bracket counting, and requires
that sever reported a table of that name, in that file, with exactly those fields.
"""
import json
import os
import re
import sys

DEFINITION = re.compile(r"^[^;(){}]*\bstruct\s+kernfs_ops\s+(\w+)\s*=\s*\{", re.M)
DESIGNATOR = re.compile(r"^\s*\.(\w+)\s*=")


def fields_of(text, start):
    """Designated top-level field names of the initializer opening at text[start] == '{'."""
    depth, names, line = 0, [], ""
    for ch in text[start:]:
        if ch == "{":
            depth += 1
            if depth == 1:
                continue
        elif ch == "}":
            depth -= 1
            if depth == 0:
                break
        if depth == 1 and ch in ",\n":
            m = DESIGNATOR.match(line)
            if m:
                names.append(m.group(1))
            line = ""
        elif depth == 1:
            line += ch
    m = DESIGNATOR.match(line)
    if m:
        names.append(m.group(1))
    return names


def main():
    tree, facts_path, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(facts_path) as f:
        facts = json.load(f)
    found = {}
    for file in facts:
        for table in file["tables"]:
            if table["kind"] == "kernfs_ops":
                found[(file["path"], table["name"])] = [x["name"] for x in table["fields"]]
    expected = {}
    for d in dirs:
        for dirpath, _, names in os.walk(os.path.join(tree, d)):
            for name in sorted(names):
                if not name.endswith(".c"):
                    continue
                path = os.path.join(dirpath, name)
                text = open(path, encoding="utf-8", errors="replace").read()
                for m in DEFINITION.finditer(text):
                    rel = os.path.relpath(path, tree)
                    expected[(rel, m.group(1))] = fields_of(text, m.end() - 1)
    failures = 0
    for key, fields in sorted(expected.items()):
        got = found.get(key)
        if got is None:
            print(f"MISSING {key[0]}: struct kernfs_ops {key[1]}")
            failures += 1
        elif sorted(got) != sorted(fields):
            print(f"FIELDS {key[0]}: {key[1]}: grep {sorted(fields)} sever {sorted(got)}")
            failures += 1
    print(f"smoke: {len(expected)} kernfs_ops definitions by grep, "
          f"{len(expected) - failures} recovered with all fields by sever")
    if not expected:
        print("smoke: grep found no kernfs_ops definition; the tree is not what was expected")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
