#!/usr/bin/env python3
"""Tables found by sever per type against a count of definitions by regular expression.

Usage: compare-tables.py TREE REPORT.txt DIAGNOSTICS.txt (from `sever check --tables --verbose`)

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
DEFINITION = re.compile(r"\bstruct\s+(%s)\s+(\w+)\s*(\[[^\]]*\])?\s*=" % "|".join(TAGS))
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
                    # A definition starts its line (after qualifiers): no '(' or ';' before it.
                    line_start = text.rfind("\n", 0, m.start()) + 1
                    prefix = text[line_start:m.start()]
                    if any(c in prefix for c in "();#/*"):
                        continue
                    found.add((os.path.relpath(path, tree), m.group(1), m.group(2)))
    return found


TABLE = re.compile(r"^(\S+?):\d+:\d+: table: struct (\w+) (\w+)(\[\d+\])?( \(from (\w+)\))?")
FINDING = re.compile(r"^(\S+?:\d+:\d+): (error|warning): (.*) \[([\w-]+)\]$")
DIAGNOSTIC = re.compile(r"^\S+?: warning: (.*?)( \(parsing \S+\))? \[sever-([\w-]+)\]$")


def main():
    tree, report_path, diagnostics_path = sys.argv[1:4]
    sever, macro = set(), collections.Counter()
    findings, coverage = [], ""
    for line in open(report_path, encoding="utf-8", errors="replace"):
        m = TABLE.match(line)
        if m:
            sever.add((m.group(1), m.group(2), m.group(3)))
            if m.group(6):
                macro[m.group(2)] += 1
            continue
        m = FINDING.match(line.rstrip("\n"))
        if m:
            findings.append(m.groups())
        if line.startswith("sever: coverage:"):
            coverage = line.strip()
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
    print("\n" + coverage)
    kinds, messages = collections.Counter(), collections.Counter()
    for line in open(diagnostics_path, encoding="utf-8", errors="replace"):
        m = DIAGNOSTIC.match(line.strip())
        if not m:
            continue
        kinds[m.group(3)] += 1
        if m.group(3) == "parse-error":
            messages[re.sub(r"'[^']*'", "'…'", m.group(1))] += 1
    print("diagnostics by kind:", dict(kinds))
    print("top parse-error causes (first 20 errors kept per file):")
    for message, count in messages.most_common(12):
        print("  %6d  %s" % (count, message))
    print("\nfindings: %d" % len(findings))
    for location, severity, message, rule in findings:
        print("  %s: %s [%s] %s" % (location, severity, rule, message[:160]))


if __name__ == "__main__":
    main()
