#!/usr/bin/env bash
# Benchmark of `sever review` on a three-file patch against a real kernel tree, next to
# `sever check` of the same files, in one invocation. The tree is only read: the patch is made
# from copies of three files in a temporary directory and applied by sever in memory.
#
#   Tests/Benchmarks/review-bench.sh [TREE] [RUNS]
#   TREE  a kernel tree (default /work/main/.cache/linux-source-6.12, Debian's linux-source-6.12)
#   RUNS  timed runs per command, after one untimed warm-up (default 5); the median is printed
#   SEVER the binary (default .build/release/sever if built, else .build/debug/sever)
#
# The patch is the 2023 kernfs_ops.free proposal in miniature (a hook called at last fput,
# rule kernfs-call-after-release) plus a comment in fs/sysfs/file.c. Facts of unchanged units
# come from the facts cache after the first run; patched units are keyed by their own contents.
set -euo pipefail

TREE=${1:-/work/main/.cache/linux-source-6.12}
RUNS=${2:-5}
HERE=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${SEVER:-}" ]; then
	SEVER=$HERE/.build/release/sever
	[ -x "$SEVER" ] || SEVER=$HERE/.build/debug/sever
fi
[ -x "$SEVER" ] || { echo "review-bench: build sever first (swift build)" >&2; exit 2; }
[ -f "$TREE/include/linux/kernfs.h" ] || { echo "review-bench: no kernel tree at $TREE" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME=$work/cache

files=(include/linux/kernfs.h fs/kernfs/file.c fs/sysfs/file.c)
patch=$work/three-files.patch
: > "$patch"
for f in "${files[@]}"; do
	mkdir -p "$work/a/$(dirname "$f")" "$work/b/$(dirname "$f")"
	cp "$TREE/$f" "$work/a/$f"
	cp "$TREE/$f" "$work/b/$f"
done
# include/linux/kernfs.h: a ->free() op after ->mmap() in struct kernfs_ops.
sed -i 's|^\(\tint (\*mmap)(struct kernfs_open_file \*of, struct vm_area_struct \*vma);\)$|\1\n\t/* called at the last fput, after ->release() */\n\tvoid (*free)(struct kernfs_open_file *of);|' "$work/b/include/linux/kernfs.h"
# fs/kernfs/file.c: call it from kernfs_fop_release(), i.e. at the last fput.
sed -i 's|^\tkernfs_unlink_open_file(kn, of, false);$|\tif (kn->attr.ops->free)\n\t\tkn->attr.ops->free(of);\n\n&|' "$work/b/fs/kernfs/file.c"
# fs/sysfs/file.c: a comment.
sed -i '0,/^#include "sysfs.h"$/s||&\n\n/* sysfs files are kernfs files: see kernfs_ops in include/linux/kernfs.h. */|' "$work/b/fs/sysfs/file.c"
for f in "${files[@]}"; do
	if diff -u --label "a/$f" --label "b/$f" "$work/a/$f" "$work/b/$f" > "$work/one.diff"; then
		echo "review-bench: the edit of $f did not apply to this tree" >&2; exit 2
	fi
	{ echo "diff --git a/$f b/$f"; cat "$work/one.diff"; } >> "$patch"
done

# time_runs LABEL COMMAND...: one warm-up, then RUNS timed runs; prints the median in seconds.
time_runs() {
	local label=$1; shift
	"$@" > "$work/out.txt" 2> "$work/err.txt" || true
	local times=()
	for _ in $(seq "$RUNS"); do
		local start end
		start=$(date +%s.%N)
		"$@" > /dev/null 2>&1 || true
		end=$(date +%s.%N)
		times+=("$(echo "$end - $start" | bc -l)")
	done
	local median
	median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
	printf '%-44s median %6.2f s  (runs: %s)\n' "$label" "$median" "$(printf '%.2f ' "${times[@]}")" >&2
	echo "$median"
}

echo "review-bench: tree $TREE, $RUNS runs each, sever $SEVER, $(nproc) cores" >&2
review=$(time_runs "review (reach: directory)" "$SEVER" review --tree "$TREE" --format b4 "$patch")
grep -h "facts:" "$work/err.txt" >&2 || true
grep -h "^ERROR" "$work/out.txt" >&2 || true
scope=$(sed -n 's/.*parsed \([0-9]*\) files.*/\1/p' "$work/err.txt")
changed=$(time_runs "review (reach: changed)" "$SEVER" review --tree "$TREE" --reach changed --format b4 "$patch")
grep -h "facts:" "$work/err.txt" >&2 || true
check_changed=$(time_runs "check fs/kernfs/file.c fs/sysfs/file.c" "$SEVER" check "$TREE/fs/kernfs/file.c" "$TREE/fs/sysfs/file.c")
check_dirs=$(time_runs "check fs/kernfs fs/sysfs (review's $scope files)" "$SEVER" check "$TREE/fs/kernfs" "$TREE/fs/sysfs")
printf 'review-bench: review/check ratio: directory %.2f (vs check of the directories), changed %.2f (vs check of the changed files)\n' \
	"$(echo "$review / $check_dirs" | bc -l)" "$(echo "$changed / $check_changed" | bc -l)" >&2
echo "review-bench: the facts cache is warm after the warm-up run; what remains is mostly reading the tree's Kbuild and Kconfig (sever kbuild alone), which is not cached" >&2
