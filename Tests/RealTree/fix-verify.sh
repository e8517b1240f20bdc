#!/bin/sh
# Tests/RealTree/fix-verify.sh TREE OUT — what `sever fix` must show on a tree (issue 20):
#  1. `sever fix --format mbox` on the pristine TREE (never written), one patch per file;
#  2. every patch applies alone to a pristine copy (`git apply --check`);
#  3. with all of them applied (a hard-linked copy under OUT, links broken for the patched files),
#     `sever check` no longer reports the fixed findings and reports nothing new, and the patched
#     files parse with no more errors than before;
#  4. `scripts/checkpatch.pl --strict` (the tree's own, or CHECKPATCH=…) reports no error on any
#     patch (with --no-signoff: sever leaves Signed-off-by to the sender; without it, that one
#     error is counted apart).
# A finding after the patches whose fingerprint was reported before in another file is counted
# as unmasked, not new: fops-missing-owner reports one finding per fingerprint (table name), so
# a second static table of the same name shows once the first is fixed.
# Environment: SEVER (default .build/release/sever), JOBS (default 2), CHECKPATCH, REUSE=1 (keep
# OUT's patches and reports from an earlier run; only checkpatch and the comparison run).
# Prints the counts and exits non-zero when a check fails.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 TREE OUT" >&2; exit 2; }
tree=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
sever=$(cd "$(dirname "${SEVER:-.build/release/sever}")" && pwd)/$(basename "${SEVER:-sever}")
jobs=${JOBS:-2}
checkpatch=${CHECKPATCH:-$tree/scripts/checkpatch.pl}
status() { "$@" || [ $? -eq 1 ]; }

if [ "${REUSE:-}" != 1 ]; then
rm -rf "$out/patches" "$out/patched"
echo "== sever fix on $tree"
(cd "$tree" && status "$sever" fix --jobs "$jobs" --format mbox --output-directory "$out/patches") \
  2> "$out/fix.log"
grep -c '^sever: fix: fixed:' "$out/fix.log" | sed 's/^/fixed findings: /'
grep -c '^sever: fix: left:' "$out/fix.log" | sed 's/^/left findings: /'
ls "$out/patches" 2>/dev/null | wc -l | sed 's/^ */patches: /'

echo "== findings before"
status "$sever" check --jobs "$jobs" --format json "$tree" > "$out/before.json"

echo "== git apply --check on a pristine copy, then all patches applied"
cp -al "$tree" "$out/patched"
(cd "$out/patched" && git init -q)
applied=0
failed=0
for patch in "$out"/patches/*.patch; do
  [ -e "$patch" ] || continue
  for file in $(sed -n 's|^+++ b/||p' "$patch"); do
    cp --remove-destination "$tree/$file" "$out/patched/$file"
  done
  if (cd "$out/patched" && git apply --check "$patch"); then
    applied=$((applied + 1))
  else
    failed=$((failed + 1))
    echo "does not apply: $patch"
  fi
done
for patch in "$out"/patches/*.patch; do
  [ -e "$patch" ] || continue
  (cd "$out/patched" && git apply "$patch")
done
echo "applies alone: $applied, does not apply: $failed"

echo "== findings after"
rm -rf "$out/patched/.git"
status "$sever" check --jobs "$jobs" --format json "$out/patched" > "$out/after.json"
printf '%s %s\n' "$applied" "$failed" > "$out/applied"
fi
read -r applied failed < "$out/applied"

echo "== checkpatch --strict"
errors=0
for patch in "$out"/patches/*.patch; do
  [ -e "$patch" ] || continue
  flags="--strict --no-signoff --terse --show-types"
  [ -d "$tree/scripts" ] && [ "$checkpatch" = "$tree/scripts/checkpatch.pl" ] || flags="$flags --no-tree"
  # shellcheck disable=SC2086
  (cd "$tree" && perl "$checkpatch" $flags "$patch") > "$patch.checkpatch" 2>&1 || true
  # shellcheck disable=SC2086
  (cd "$tree" && perl "$checkpatch" ${flags#--strict --no-signoff} --strict "$patch") \
    > "$patch.checkpatch-signoff" 2>&1 || true
  count=$(grep -c ': ERROR:' "$patch.checkpatch" || true)
  errors=$((errors + count))
  [ "$count" -eq 0 ] || cat "$patch.checkpatch"
done
echo "checkpatch errors (--no-signoff): $errors"
echo "checkpatch results: $(cat "$out"/patches/*.checkpatch 2>/dev/null | sed -n 's/.*: \(ERROR\|WARNING\|CHECK\):\([A-Z_]*\):.*/\1:\2/p' | sort | uniq -c | tr '\n' ' ')"
echo "without --no-signoff: $(cat "$out"/patches/*.checkpatch-signoff 2>/dev/null | sed -n 's/.*: \(ERROR\):\([A-Z_]*\):.*/\1:\2/p' | sort | uniq -c | tr '\n' ' ')"

python3 - "$out" "$errors" "$failed" <<'EOF'
import json, re, sys
out, errors, failed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def load(name):
    with open(f"{out}/{name}") as handle:
        return json.load(handle)
before, after = load("before.json"), load("after.json")
key = lambda f: (f["location"]["path"], f["fingerprint"])
fixed = set()
patched = set()
for line in open(f"{out}/fix.log"):
    match = re.match(r"sever: fix: fixed: ([^:]+):\d+:\d+: .* \[(.*)\]$", line.rstrip("\n"))
    if match:
        fixed.add((match.group(1), match.group(2)))
import glob
for patch in glob.glob(f"{out}/patches/*.patch"):
    for line in open(patch):
        if line.startswith("+++ b/"):
            patched.add(line[6:].rstrip("\n"))
before_keys = {key(f) for f in before["findings"]}
after_keys = {key(f) for f in after["findings"]}
still = sorted(fixed & after_keys)
before_fingerprints = {fingerprint for _, fingerprint in before_keys}
unmasked = sorted(k for k in after_keys - before_keys if k[1] in before_fingerprints)
new = sorted(k for k in after_keys - before_keys if k[1] not in before_fingerprints)
def parse_errors(report):
    counts = {}
    for d in report["diagnostics"]:
        if d["kind"] in ("parse-error", "parse-failure") and d["path"] in patched:
            counts[d["path"]] = counts.get(d["path"], 0) + 1
    return counts
pe_before, pe_after = parse_errors(before), parse_errors(after)
worse = {p: (pe_before.get(p, 0), n) for p, n in pe_after.items() if n > pe_before.get(p, 0)}
print(f"findings before: {len(before_keys)}, after: {len(after_keys)}, fixed by the patches: "
      f"{len(fixed)}, still reported: {len(still)}, new: {len(new)}, unmasked: {len(unmasked)}")
print(f"patched files: {len(patched)}, with more parse errors than before: {len(worse)}")
for item in still: print("still reported:", item)
for item in new: print("new:", item)
for item in unmasked: print("unmasked (its fingerprint was reported in another file):", item)
for path, counts in worse.items(): print("more parse errors:", path, counts)
print("coverage before:", before["coverage"])
print("coverage after: ", after["coverage"])
sys.exit(1 if still or new or worse or errors or failed else 0)
EOF
