#!/usr/bin/env python3
"""Tables found by sever per type against a count of definitions by regular expression.

Usage: compare-tables.py TREE FACTS.json REPORT.json

The regular expression finds `struct <tag> name[] = ` / `struct <tag> name = ` definitions in the
.c files sever walks (x86 only under arch/, no tools/scripts/Documentation/usr). Tables made by
macros are invisible to it and counted separately on sever's side.
"""
import collections
import json
import os
import re
import sys

TAGS = ["kernfs_ops", "cftype", "proc_ops", "file_operations", "vm_operations_struct",
        "seq_operations", "bin_attribute", "attribute", "device_attribute", "driver_attribute",
        "class_attribute", "bus_attribute", "kobj_attribute", "miscdevice"]
DEFINITION = re.compile(r"^[^;()#/*]*?\bstruct\s+(%s)\s+(\w+)\s*(\[[^\]]*\])?\s*=" % "|".join(TAGS), re.M)
SKIP = {"tools", "scripts", "Documentation", "usr"}


def grep(tree):
    found = set()
    for top in sorted(os.listdir(tree)):
        if top in SKIP or top.startswith("."):
            continue
        base = os.path.join(tree, top)
        if not os.path.isdir(base):
            continue
        for dirpath, dirs, files in os.walk(base):
            rel = os.path.relpath(dirpath, tree)
            parts = rel.split(os.sep)
            if parts[0] == "arch" and len(parts) > 1 and parts[1] != "x86":
                dirs[:] = []
                continue
            for name in files:
                if not name.endswith(".c"):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                for m in DEFINITION.finditer(text):
                    found.add((os.path.relpath(path, tree), m.group(1), m.group(2)))
    return found


def main():
    tree, facts_path, report_path = sys.argv[1:4]
    facts = json.load(open(facts_path))
    sever, macro = set(), collections.Counter()
    for f in facts:
        for t in f["tables"]:
            sever.add((f["path"], t["kind"], t["name"]))
            if t.get("macro"):
                macro[t["kind"]] += 1
    regex = grep(tree)
    print("%-22s %8s %8s %8s %8s %8s" % ("type", "grep", "sever", "both", "grep-only", "by macro"))
    for tag in TAGS:
        g = {x for x in regex if x[1] == tag}
        s = {x for x in sever if x[1] == tag}
        print("%-22s %8d %8d %8d %8d %8d" % (tag, len(g), len(s), len(g & s), len(g - s), macro[tag]))
    missed = sorted(regex - sever)
    if missed:
        print("\ngrep-only definitions (first 30):")
        for x in missed[:30]:
            print("  %s: struct %s %s" % x)
    report = json.load(open(report_path))
    print("\ncoverage:", report.get("coverage", ""))
    kinds = collections.Counter()
    messages = collections.Counter()
    for d in report.get("diagnostics", []):
        kinds[d["kind"]] += 1
        if d["kind"] == "parse-error":
            messages[re.sub(r"'[^']*'", "'…'", d["message"])] += 1
    print("diagnostics by kind:", dict(kinds))
    print("top parse-error causes (first 20 errors kept per file):")
    for message, count in messages.most_common(12):
        print("  %6d  %s" % (count, message))
    print("\nfindings:", len(report.get("findings", [])))
    for x in report.get("findings", []):
        loc = x["location"]
        print("  %s:%d: %s [%s]" % (loc["path"], loc["line"], x["severity"], x["rule"]))


if __name__ == "__main__":
    main()
