#!/usr/bin/env bash
# Compares `sever kbuild` with the kernel's own Kbuild on a real tree.
#
#   Tests/RealTree/kbuild-truth.sh /path/to/linux-6.12 [ARCH] [OUTDIR]
#
# 1. `make O=OUTDIR ARCH=… allmodconfig` (out of tree; the source tree is only read).
# 2. Truth: scripts/Makefile.build is run in every directory Kbuild descends into, with
#    kbuild-truth.mk appended so that instead of compiling it prints Kbuild's own
#    real-obj-y / lib-y (when need-builtin) and real-obj-m (when need-modorder); composite
#    objects are expanded by Kbuild's Makefile.lib, not by sever.
#    A .c file is "m" if an object of it is in a module, else "y" if it is built in, else "n".
#    A .c file compiled only through `#include "x.c"`: its includers are found with grep (same
#    or parent directory, up to three levels), the outermost compiled one is preprocessed by
#    Kbuild itself (`make O=OUTDIR path/wrapper.i`, after `make prepare`), and the file counts
#    with the wrapper's state only if the preprocessor output has a line marker for it (so
#    `#ifdef CONFIG_X` around the include is decided by the compiler, not by sever).
#    Set PREPROCESS=0 to skip this (include-only files then take the wrapper's state).
# 3. The files compared: every .c file (outside tools/ and Documentation/) that defines one of
#    the callback tables (struct kernfs_ops, cftype, proc_ops, file_operations,
#    vm_operations_struct, seq_operations, bin_attribute, or DEFINE_SHOW_ATTRIBUTE,
#    DEFINE_DEBUGFS_ATTRIBUTE, DEFINE_SIMPLE_ATTRIBUTE, DEVICE_ATTR…).
# 4. Two figures: the state in allmodconfig (sever --config vs Kbuild: must agree exactly), and
#    the capability verdict (module-capable/built-in-only/not-built vs m/y/n), where a
#    difference is expected when allmodconfig does not pick m for something that could be m.
set -euo pipefail
SRC=$(cd "${1:?usage: kbuild-truth.sh TREE [ARCH] [OUTDIR]}" && pwd)
ARCH=${2:-x86_64}
OUT=${3:-/work/main/.cache/kbuild-truth-$ARCH}
HERE=${HERE:-$(cd "$(dirname "$0")" && pwd)}
SEVER=${SEVER:-$HERE/../../.build/release/sever}
CROSS=${CROSS_COMPILE:-}   # e.g. aarch64-linux-gnu- so that Kconfig's compiler tests see arm64
FILTER=${FILTER:-}   # optional path prefixes to compare, e.g. "arch/arm64/kvm virt/kvm"
mkdir -p "$OUT"
if [ ! -f "$OUT/include/config/auto.conf" ]; then
  make -s -C "$SRC" O="$OUT" ARCH="$ARCH" CROSS_COMPILE="$CROSS" allmodconfig >/dev/null
  make -s -C "$SRC" O="$OUT" ARCH="$ARCH" CROSS_COMPILE="$CROSS" syncconfig >/dev/null
fi
case $ARCH in x86_64|i386) SRCARCH=x86 ;; *) SRCARCH=$ARCH ;; esac
# The environment Kbuild's own sub-makes get: everything the top Makefile (and
# arch/$SRCARCH/Makefile) exports, e.g. ARCH_CORE/ARCH_LIB/ARCH_DRIVERS and x86's BITS.
make -s -C "$SRC" O="$OUT" ARCH="$ARCH" CROSS_COMPILE="$CROSS" \
  --eval='sever-env: ; @env -0' sever-env >"$OUT/sever-env.bin" 2>/dev/null
TRUTH=$OUT/sever-truth.txt
if [ ! -s "$TRUTH" ]; then
  stamp=$(stat -c %Y "$SRC")
  (
    while IFS= read -r -d '' kv; do export "${kv?}"; done <"$OUT/sever-env.bin"
    unset MAKEFLAGS MFLAGS MAKEOVERRIDES MAKELEVEL
    cd "$OUT" && make -rR -s -k -f "$SRC/scripts/Makefile.build" -f "$HERE/kbuild-truth.mk" \
      obj=. need-builtin=1 need-modorder=1 \
      build="-f $SRC/scripts/Makefile.build -f $HERE/kbuild-truth.mk obj" \
      >"$TRUTH.tmp" 2>"$OUT/sever-truth.err"
  ) || true
  mv "$TRUTH.tmp" "$TRUTH"
  [ "$(stat -c %Y "$SRC")" = "$stamp" ] || echo "warning: the source tree root was modified" >&2
fi
cd "$SRC"
if [ "${TARGETS:-tables}" = all ]; then  # every .c file instead of the callback-table files
  find . -name '*.c' | sed 's|^\./||' | grep -vE '^(tools|Documentation)/' | sort >"$OUT/sever-targets.txt"
else
grep -rlE --include='*.c' \
  -e '^\s*(static\s+)?(const\s+)?struct\s+(kernfs_ops|cftype|proc_ops|file_operations|vm_operations_struct|seq_operations|bin_attribute)\s+[A-Za-z_][A-Za-z0-9_]*\s*(\[[^]]*\])?\s*=' \
  -e '^\s*(static\s+)?(DEFINE_SHOW_ATTRIBUTE|DEFINE_SHOW_STORE_ATTRIBUTE|DEFINE_SEQ_ATTRIBUTE|DEFINE_DEBUGFS_ATTRIBUTE|DEFINE_SIMPLE_ATTRIBUTE|DEFINE_PROC_SHOW_ATTRIBUTE|DEVICE_ATTR|DEVICE_ATTR_RO|DEVICE_ATTR_RW|DEVICE_ATTR_WO|BIN_ATTR|BIN_ATTR_RO|BIN_ATTR_RW)\(' \
  . | sed 's|^\./||' | grep -vE '^(tools|Documentation)/' | sort >"$OUT/sever-targets.txt"
fi
if [ -n "$FILTER" ]; then
  pattern=$(printf '^%s|' $FILTER); pattern=${pattern%|}
  grep -E "$pattern" "$OUT/sever-targets.txt" >"$OUT/sever-targets.filtered" || true
  mv "$OUT/sever-targets.filtered" "$OUT/sever-targets.txt"
fi
start=$(date +%s.%N)
xargs -a "$OUT/sever-targets.txt" "$SEVER" kbuild --tree "$SRC" --arch "$ARCH" \
  --config "$OUT/.config" --format json >"$OUT/sever-answers.json"
end=$(date +%s.%N)
OUT="$OUT" CROSS="$CROSS" python3 - "$SRC" "$TRUTH" "$OUT/sever-targets.txt" "$OUT/sever-answers.json" "$ARCH" \
  "$(echo "$end - $start" | bc)" <<'PY'
import json, os, re, subprocess, sys
unverified = []
included_only = {}
src, truth_path, targets_path, answers_path, arch, seconds = sys.argv[1:]
state = {}  # .c -> set of 'y'/'m'
for line in open(truth_path):
    kind, _, obj = line.strip().partition(" ")
    if kind not in ("Y", "L", "M") or obj == "/dev/null" or not obj.endswith(".o"):
        continue
    c = os.path.normpath(obj[:-2] + ".c")
    if os.path.isfile(os.path.join(src, c)):
        state.setdefault(c, set()).add("m" if kind == "M" else "y")
includes = {}  # directory -> {included file name: [including .c files]}
def includers(d):
    if d not in includes:
        found = {}
        for sib in sorted(os.listdir(os.path.join(src, d))):
            if not sib.endswith(".c"):
                continue
            try:
                text = open(os.path.join(src, d, sib), errors="replace").read()
            except OSError:
                continue
            for name in re.findall(r'^\s*#\s*include\s+"([^"/]+\.c)"', text, re.M):
                found.setdefault(name, []).append(os.path.join(d, sib))
        includes[d] = found
    return includes[d]
def truth(c, depth=0):
    s = state.get(c)
    if s:
        return "m" if "m" in s else "y"
    if c in included_only:  # decided from the preprocessor output
        return "n"
    if depth > 2:
        return "n"
    d, name = os.path.split(c)
    best = "n"
    for p in includers(d).get(name, []):
        if p != c:
            best = max(best, truth(p, depth + 1), key="nym".index)
    return best
targets = [l.strip() for l in open(targets_path) if l.strip()]
# Include-only files: confirm with the preprocessor output of the compiled wrapper.
def includers_of(c):
    d, name = os.path.split(c)
    out = []
    for dd in {d, os.path.dirname(d)}:
        for p in sorted(os.listdir(os.path.join(src, dd))) if os.path.isdir(os.path.join(src, dd)) else []:
            full = os.path.join(dd, p)
            if not p.endswith(".c") or full == c:
                continue
            try:
                text = open(os.path.join(src, full), errors="replace").read()
            except OSError:
                continue
            for inc in re.findall(r'^\s*#\s*include\s+"([^"]+\.c)"', text, re.M):
                if os.path.normpath(os.path.join(dd, inc)) == c:
                    out.append(full)
    return out
def top_wrappers(c, depth=0):
    if state.get(c):
        return [c]
    if depth > 3:
        return []
    return sorted({t for w in includers_of(c) for t in top_wrappers(w, depth + 1)})
if os.environ.get("PREPROCESS", "1") == "1":
    for t in targets:
        if not state.get(t):
            tops = top_wrappers(t)
            if tops:
                included_only[t] = tops
    wrappers = sorted({w for ws in included_only.values() for w in ws})
    out_dir = os.environ["OUT"]
    for i in range(0, len(wrappers), 200):
        batch = [w[:-2] + ".i" for w in wrappers[i:i + 200]]
        subprocess.run(["make", "-s", "-k", "-C", src, "O=" + out_dir, "ARCH=" + arch,
                        "CROSS_COMPILE=" + os.environ.get("CROSS", "")] + batch,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    markers = {}
    for w in wrappers:
        try:
            text = open(os.path.join(out_dir, w[:-2] + ".i"), errors="replace").read()
        except OSError:
            markers[w] = None
            continue
        markers[w] = {os.path.normpath(m if not m.startswith(src) else m[len(src) + 1:])
                      for m in re.findall(r'^# \d+ "([^"]+\.c)"', text, re.M)}
    for t, tops in included_only.items():
        best = "n"
        for w in tops:
            if markers.get(w) is None:
                best = max(best, "?", key="n?ym".index)
            elif t in markers[w]:
                best = max(best, "m" if "m" in state[w] else "y", key="n?ym".index)
        state[t] = {best} if best != "n" else set()
        if best == "?":
            state[t] = set()
            unverified.append(t)

# xargs may split a long list over several sever runs: read every JSON array in the file.
answers, text, pos, decoder = {}, open(answers_path).read(), 0, json.JSONDecoder()
while pos < len(text):
    if text[pos].isspace():
        pos += 1
        continue
    batch, pos = decoder.raw_decode(text, pos)
    answers.update({a["path"]: a for a in batch})
verdict_of = {"m": "module-capable", "y": "built-in-only", "n": "not-built"}
state_ok, cap_ok, state_bad, cap_bad = 0, 0, [], []
for t in targets:
    a = answers.get(t)
    k = truth(t)
    ours = a.get("configState") if a else None
    if ours == k:
        state_ok += 1
    else:
        state_bad.append((t, k, ours, a["verdict"] if a else None, a.get("reason") if a else None))
    if a and a["verdict"] == verdict_of[k]:
        cap_ok += 1
    else:
        cap_bad.append((t, k, a["verdict"] if a else None, ours))
n = len(targets)
if included_only:
    print(f"{len(included_only)} files are compiled only through #include; "
          f"{len(included_only) - len(unverified)} checked in Kbuild's preprocessor output"
          + (f", {len(unverified)} wrappers failed to preprocess: " + " ".join(unverified[:5]) if unverified else ""))
print(f"arch {arch}: {n} .c files compared; sever answered in {float(seconds):.2f} s")
print(f"state in allmodconfig (sever --config vs Kbuild): {state_ok}/{n} agree ({100*state_ok/n:.2f}%)")
for t, k, ours, v, r in state_bad:
    print(f"  STATE {t}: kbuild={k} sever={ours} ({v}; {r or ''})")
print(f"capability verdict vs allmodconfig state: {cap_ok}/{n} agree ({100*cap_ok/n:.2f}%)")
for t, k, v, ours in cap_bad:
    print(f"  CAP {t}: kbuild-allmodconfig={k} sever-verdict={v} sever-state={ours}")
PY
