#!/usr/bin/env bash
# Whole-tree speed benchmark for issue 8, in one invocation so that every ratio compares runs made
# on the same machine under the same load. Prints a table of medians and ratios and writes
# bench.json. Usually run as `make bench [TREE=…] [RUNS=3]`, which installs ripgrep, coccinelle and
# time first.
#
#   TREE             a kernel tree or any directory of C files (default .cache/linux-source-6.12,
#                    installed with apt-get and unpacked there when missing, as .ci/real-tree-smoke)
#   RUNS             timed runs of each command (default 3); the median wall time is reported
#   EXHAUSTIVE_RUNS  timed runs of `sever check --exhaustive` (default 1: ~20 min on 2 cores)
#   SKIP_EXHAUSTIVE  1: do not run it; compare with EXHAUSTIVE_FINDINGS=path instead (the
#                    check-exhaustive.out, JSON, of an earlier bench; its bench.json, if beside
#                    it, gives the time)
#   SEVER            the binary (default: `swift build -c release`, then .build/release/sever)
#   OUT              output directory (default .cache/bench/<UTC date and time>)
#   ROWS             which rows to run, comma-separated (default all: rg,cocci,cocci-release,
#                    scan,check-cold,check-warm,check-exhaustive,review-warm,hook-misc-cold,
#                    hook-misc-warm,hook-amdgpu-cold,hook-comment-cold,make-sparse,
#                    make-sever-state,make-sever-pch,make-sever-warm,make-sever-cold,
#                    check-one-changed)
#   BASELINE         another sever binary (an older build): every hook row is also run with it,
#                    as ROW@base, and the table gives the ratio of the two in this run
#
# TREE=Fixtures/tree RUNS=1 runs every row in seconds, to check the script itself; ROWS=rg,cocci
# times the tools that are not sever on a real tree without running sever over it.
#
# Rows: 1. the ripgrep prefilter floor (files spelling a table word: no tool can find the tables
# faster than it can read those files), 2. Coccinelle's inventory of initialised tables and the
# narrow kernfs_ops/proc_ops-with-release inventory quoted in the issue, 3. `sever scan` (tier 1
# alone), 4. `sever check` cold, warm and --exhaustive, and `sever review` of a patch, warm.
set -euo pipefail

HERE=$(cd "$(dirname "$0")/../.." && pwd)
# Paths given relative to the caller's directory stay valid after the cd to the checkout.
[ -n "${TREE:-}" ] && [ -d "$TREE" ] && TREE=$(cd "$TREE" && pwd)
[ -n "${OUT:-}" ] && [[ $OUT != /* ]] && OUT=$PWD/$OUT
[ -n "${EXHAUSTIVE_FINDINGS:-}" ] && [ -f "$EXHAUSTIVE_FINDINGS" ] && EXHAUSTIVE_FINDINGS=$(realpath "$EXHAUSTIVE_FINDINGS")
[ -n "${SEVER:-}" ] && [[ $SEVER == */* && $SEVER != /* ]] && SEVER=$PWD/$SEVER
cd "$HERE"
BENCH=$HERE/Tests/Benchmarks
TREE=${TREE:-.cache/linux-source-6.12}
RUNS=${RUNS:-3}
EXHAUSTIVE_RUNS=${EXHAUSTIVE_RUNS:-1}
SKIP_EXHAUSTIVE=${SKIP_EXHAUSTIVE:-0}
EXHAUSTIVE_FINDINGS=${EXHAUSTIVE_FINDINGS:-}
OUT=${OUT:-.cache/bench/$(date -u +%Y-%m-%dT%H%M%SZ)}
ROWS=${ROWS:-rg,cocci,cocci-release,scan,check-cold,check-warm,check-exhaustive,review-warm,hook-misc-cold,hook-misc-warm,hook-amdgpu-cold,hook-comment-cold,make-sparse,make-sever-state,make-sever-pch,make-sever-warm,make-sever-cold,check-one-changed}
[ -n "${BASELINE:-}" ] && [[ $BASELINE == */* && $BASELINE != /* ]] && BASELINE=$PWD/$BASELINE
JOBS=2 # every tool gets the same two workers: spatch -j 2, sever --jobs 2
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

say() { echo "bench: $*" >&2; }
die() { say "$*"; exit 2; }

# The default tree is Debian's linux-source-6.12, unpacked under .cache/ (git-ignored) like the
# real-tree smoke test does; any other TREE must already exist.
ensure_tree() {
	[ -d "$TREE" ] && return
	[ "$TREE" = .cache/linux-source-6.12 ] || die "no tree at $TREE"
	if [ ! -f /usr/src/linux-source-6.12.tar.xz ]; then
		say "installing linux-source-6.12"
		$SUDO apt-get update -qq && $SUDO apt-get install -y -qq linux-source-6.12 >/dev/null
	fi
	say "unpacking /usr/src/linux-source-6.12.tar.xz into .cache/"
	mkdir -p .cache
	tar -C .cache -xf /usr/src/linux-source-6.12.tar.xz
}

ensure_tools() {
	local missing=()
	if want rg || want check-warm; then command -v rg >/dev/null || missing+=(ripgrep); fi
	if want cocci || want cocci-release; then command -v spatch >/dev/null || missing+=(coccinelle); fi
	[ -x /usr/bin/time ] || missing+=(time) # the bash keyword cannot report peak RSS
	command -v python3 >/dev/null || missing+=(python3)
	[ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]} (make bench installs them)"
	if [ -z "${SEVER:-}" ] && [[ $ROWS == *scan* || $ROWS == *check* || $ROWS == *review* ]]; then
		say "building sever (swift build -c release)"
		swift build -c release >&2
		SEVER=$HERE/.build/release/sever
	fi
	[ -x "${SEVER:=$HERE/.build/release/sever}" ] || [[ $ROWS != *scan* && $ROWS != *check* && $ROWS != *review* ]] \
		|| die "no sever binary at $SEVER"
}

# measure LABEL N PREPARE COMMAND...: N timed runs of COMMAND (wall seconds, and peak RSS in KiB
# from /usr/bin/time), one line each in runs.tsv. PREPARE (a function name, or :) runs before each
# run, untimed: the cold rows give every run a fresh facts cache there. The last run's standard
# output is kept as LABEL.out (the findings, the inventory), its standard error as LABEL.err.
# Exit status 1 is sever's "findings" and not a failure; 2 and above are, and are recorded.
measure() {
	local label=$1 n=$2 prepare=$3; shift 3
	want "$label" || return 0
	printf '%s\t%s\n' "$label" "$*" >> "$OUT/commands.tsv"
	local run status
	for run in $(seq "$n"); do
		"$prepare"
		status=0
		# Wall time from the clock in nanoseconds (time's %e has 10 ms steps, too coarse for a
		# small tree); peak RSS from /usr/bin/time's %M.
		local start end wall rss
		start=$(date +%s%N)
		/usr/bin/time -f '%M' -o "$work/time" "$@" > "$OUT/$label.out" 2> "$OUT/$label.err" || status=$?
		end=$(date +%s%N)
		wall=$(printf '%d.%09d' $(((end - start) / 1000000000)) $(((end - start) % 1000000000)))
		rss=$(tail -n 1 "$work/time")
		printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$run" "$wall" "$rss" "$status" >> "$OUT/runs.tsv"
		say "$(printf '%-18s run %d/%d: %7.2f s, %7d MiB, status %d' "$label" "$run" "$n" "$wall" $((rss / 1024)) "$status")"
		[ "$status" -le 1 ] || say "$label failed: $(tail -n 3 "$OUT/$label.err" | tr '\n' ' ')"
	done
}

want() { [[ ",$ROWS," == *",$1,"* ]]; }

# Each cold run starts from an empty facts cache (sever keeps it under $XDG_CACHE_HOME/sever).
fresh_cache() {
	export XDG_CACHE_HOME
	XDG_CACHE_HOME=$(mktemp -d "$work/cold.XXXX")
	last_cold=$XDG_CACHE_HOME
}
# The warm rows share one cache: the last cold run's (a cold run is what fills it), after an
# untimed warm-up run of the same command.
warm_cache() { export XDG_CACHE_HOME=${last_cold:-$work/warm}; }

# Newer sever has `--exhaustive` (parse every file, no tier-1 scan); until then the nearest
# option is `--no-prefilter`, and the table says which one ran.
exhaustive_flag() {
	if "$SEVER" check --help 2>&1 | grep -q -- '--exhaustive'; then echo --exhaustive; else echo --no-prefilter; fi
}
# `sever scan` is new; an older binary prints its general help for `scan --help`.
has_scan() { "$SEVER" scan --help 2>&1 | grep -q 'USAGE: sever scan'; }

# The review patch: Fixtures/patches/0001-kernfs-free-hook.patch when it applies to TREE (the
# fixture tree); otherwise the same change made for a real tree as review-bench.sh makes it, from
# copies in a temporary directory (the tree is only read): a ->free() op after ->mmap() in
# include/linux/kernfs.h, called from kernfs_fop_release() in fs/kernfs/file.c.
make_review_patch() {
	local fixture=Fixtures/patches/0001-kernfs-free-hook.patch
	if patch -p1 --dry-run -s -f -d "$TREE" < "$fixture" >/dev/null 2>&1; then
		cp "$fixture" "$OUT/review.patch"; return 0
	fi
	local files=(include/linux/kernfs.h fs/kernfs/file.c) f
	for f in "${files[@]}"; do
		[ -f "$TREE/$f" ] || return 1
		mkdir -p "$work/a/$(dirname "$f")" "$work/b/$(dirname "$f")"
		cp "$TREE/$f" "$work/a/$f"; cp "$TREE/$f" "$work/b/$f"
	done
	sed -i 's|^\(\tint (\*mmap)(struct kernfs_open_file \*of, struct vm_area_struct \*vma);\)$|\1\n\t/* called at the last fput, after ->release() */\n\tvoid (*free)(struct kernfs_open_file *of);|' "$work/b/include/linux/kernfs.h"
	sed -i 's|^\tkernfs_unlink_open_file(kn, of, false);$|\tif (kn->attr.ops->free)\n\t\tkn->attr.ops->free(of);\n\n&|' "$work/b/fs/kernfs/file.c"
	: > "$OUT/review.patch"
	for f in "${files[@]}"; do
		diff -u --label "a/$f" --label "b/$f" "$work/a/$f" "$work/b/$f" > "$work/one.diff" && return 1 # the edit did not apply
		{ echo "diff --git a/$f b/$f"; cat "$work/one.diff"; } >> "$OUT/review.patch"
	done
}

main() {
	ensure_tree
	TREE=$(cd "$TREE" && pwd) # spatch runs in a temporary directory (below)
	ensure_tools
	mkdir -p "$OUT"
	OUT=$(cd "$OUT" && pwd)
	: > "$OUT/runs.tsv"; : > "$OUT/commands.tsv"
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	local exflag=--exhaustive
	[ -x "$SEVER" ] && exflag=$(exhaustive_flag)
	say "tree $TREE, $RUNS runs ($EXHAUSTIVE_RUNS exhaustive), sever $SEVER, $(nproc) cores, output $OUT"

	# 1. The floor: files a prefilter must read. --no-ignore because ripgrep would otherwise apply
	# the enclosing checkout's .gitignore (.cache/ is ignored: it would find no file at all) and the
	# kernel's own. The untimed first run puts the tree in the page cache for every later row.
	local rg_cmd=(rg --no-ignore -l --type c -e kernfs_ops -e cftype -e proc_ops -e file_operations
		-e vm_operations_struct -e seq_operations -e miscdevice -e bin_attribute -e '_ATTRIBUTE\(' "$TREE")
	want rg && { "${rg_cmd[@]}" > /dev/null || true; }
	measure rg "$RUNS" : "${rg_cmd[@]}"

	# 2. Coccinelle. --no-includes: no #include is followed, as sever's tier 1 reads each file's
	# text alone; no extra macro file; no --include-headers (spatch --dir takes .c files: in 6.12 the
	# .h spellings of an initialised table are macro bodies and a comment, and --include-headers
	# found the same 2794 tables); no --use-idutils or --use-glimpse, which need an index built
	# beforehand; -j 2 as sever's --jobs 2. With -j, spatch keeps its
	# workers' output in a directory it makes in the current one: run it in the temporary one.
	local spatch=(env -C "$work" spatch --dir "$TREE" -j "$JOBS" --very-quiet --no-includes --sp-file)
	measure cocci "$RUNS" : "${spatch[@]}" "$BENCH/inventory.cocci"
	measure cocci-release "$RUNS" : "${spatch[@]}" "$BENCH/release.cocci"

	# 3. Tier 1 alone.
	if ! want scan; then
		:
	elif has_scan; then
		measure scan "$RUNS" fresh_cache "$SEVER" scan --format json --jobs "$JOBS" "$TREE"
	else
		say "this sever has no scan subcommand: the tier-1 row is n/a"
	fi

	# 4. sever check: cold (empty cache each run), warm (after a warm-up), exhaustive cold.
	local check=("$SEVER" check --jobs "$JOBS" --no-config-file --format json)
	measure check-cold "$RUNS" fresh_cache "${check[@]}" "$TREE"
	warm_cache
	if want check-warm || want review-warm; then "${check[@]}" "$TREE" > /dev/null 2>&1 || true; fi
	measure check-warm "$RUNS" warm_cache "${check[@]}" "$TREE"
	if ! want check-exhaustive; then
		:
	elif [ "$SKIP_EXHAUSTIVE" = 1 ]; then
		if [ -n "$EXHAUSTIVE_FINDINGS" ]; then
			[ "$EXHAUSTIVE_FINDINGS" -ef "$OUT/check-exhaustive.out" ] || cp "$EXHAUSTIVE_FINDINGS" "$OUT/check-exhaustive.out"
			local previous; previous=$(dirname "$EXHAUSTIVE_FINDINGS")/bench.json
			[ -f "$previous" ] && cp "$previous" "$OUT/previous-bench.json"
		fi
		say "exhaustive run skipped${EXHAUSTIVE_FINDINGS:+; findings from $EXHAUSTIVE_FINDINGS}"
	else
		measure check-exhaustive "$EXHAUSTIVE_RUNS" fresh_cache "${check[@]}" "$exflag" "$TREE"
	fi

	# sever review, warm: the warm-up run parses the patched units; the rest of the tree's facts
	# come from the warm cache of the rows above.
	if ! want review-warm; then
		:
	elif make_review_patch; then
		local review=("$SEVER" review --jobs "$JOBS" --no-config-file --tree "$TREE" --format b4 "$OUT/review.patch")
		warm_cache
		"${review[@]}" > /dev/null 2>&1 || true
		measure review-warm "$RUNS" warm_cache "${review[@]}"
	else
		say "no review patch applies to $TREE: the review row is n/a"
	fi

	hook_rows
	make_rows
	one_changed_rows

	report "$exflag"
}

# The make rows: Kbuild running the checker on every object of fs/kernfs, kernel/cgroup and
# drivers/misc (`make C=2`, which checks objects that are up to date), with sparse and with
# sever, in an O= build of TREE under .cache/bench-build (defconfig, objects compiled untimed
# first; TREE is only read). sever: with a fresh cache (the first object computes the tree's
# Kbuild state), with the state kept but no facts (make-sever-state: each object's parse is the
# cost), with the state and the precompiled headers kept but no facts (make-sever-pch: what a
# rebuild of edited objects finds), and with everything kept (make-sever-warm).
make_rows() {
	want make-sparse || want make-sever-state || want make-sever-pch || want make-sever-warm || want make-sever-cold || return 0
	command -v sparse >/dev/null || { say "sparse is not installed (apt-get install sparse): make-sparse is n/a"; }
	local build=$HERE/.cache/bench-build dirs=(fs/kernfs/ kernel/cgroup/ drivers/misc/)
	mkdir -p "$build"
	if [ ! -f "$build/.config" ]; then
		make -s -C "$TREE" O="$build" defconfig >/dev/null 2>&1 || { say "make defconfig failed: the make rows are n/a"; return 0; }
	fi
	make -s -C "$TREE" O="$build" -j "$JOBS" "${dirs[@]}" >/dev/null 2>&1 || { say "make of ${dirs[*]} failed: the make rows are n/a"; return 0; }
	local make=(make -s -C "$TREE" O="$build" C=2)
	command -v sparse >/dev/null && measure make-sparse "$RUNS" : "${make[@]}" CHECK=sparse "${dirs[@]}"
	local binary suffix
	for binary in "$SEVER" ${BASELINE:+"$BASELINE"}; do
		suffix=; [ "$binary" = "$SEVER" ] || suffix=@base
		want make-sever-cold && \
			ROWS=$ROWS,make-sever-cold$suffix measure "make-sever-cold$suffix" "$RUNS" fresh_cache "${make[@]}" CHECK="$binary" "${dirs[@]}"
		# The state: one untimed run on a cache of its own, whose kbuild/ each run copies.
		state_cache=$work/make-state$suffix
		XDG_CACHE_HOME=$state_cache "${make[@]}" CHECK="$binary" "${dirs[@]}" >/dev/null 2>&1 || true
		want make-sever-state && \
			ROWS=$ROWS,make-sever-state$suffix measure "make-sever-state$suffix" "$RUNS" state_only "${make[@]}" CHECK="$binary" "${dirs[@]}"
		# Precompiled headers are built once enough objects asked for them (across runs): two
		# more untimed runs on the state's cache leave every one this make needs.
		for _ in 1 2; do
			rm -rf "$state_cache/sever/facts"
			XDG_CACHE_HOME=$state_cache "${make[@]}" CHECK="$binary" "${dirs[@]}" >/dev/null 2>&1 || true
		done
		want make-sever-pch && \
			ROWS=$ROWS,make-sever-pch$suffix measure "make-sever-pch$suffix" "$RUNS" state_and_pch "${make[@]}" CHECK="$binary" "${dirs[@]}"
		export XDG_CACHE_HOME=$state_cache
		want make-sever-warm && \
			ROWS=$ROWS,make-sever-warm$suffix measure "make-sever-warm$suffix" "$RUNS" : "${make[@]}" CHECK="$binary" "${dirs[@]}"
	done
}
# check-one-changed: `sever check` of the whole checkout (the hook rows' hard-linked copy of TREE)
# on a warm cache, each run after a one-line edit of drivers/misc/phantom.c that changes its
# tokens (a new value each run, so every run has one changed unit to parse).
edits=0
one_changed_edit() {
	edits=$((edits + 1))
	sed -i "s/^\tdev->opened = [a-z0-9]*;$/\tdev->opened = $edits;/" "$scratch/drivers/misc/phantom.c"
}
one_changed_rows() {
	want check-one-changed || return 0
	make_scratch || return 0
	local binary suffix
	for binary in "$SEVER" ${BASELINE:+"$BASELINE"}; do
		suffix=; [ "$binary" = "$SEVER" ] || suffix=@base
		git -C "$scratch" reset -q --hard
		export XDG_CACHE_HOME=$work/one-changed$suffix
		say "check-one-changed$suffix: warming the cache with a whole-tree check (untimed)"
		"$binary" check --jobs "$JOBS" --no-config-file --format json "$scratch" >/dev/null 2>&1 || true
		ROWS=$ROWS,check-one-changed$suffix measure "check-one-changed$suffix" "$RUNS" one_changed_edit \
			"$binary" check --jobs "$JOBS" --no-config-file --format json "$scratch"
	done
	git -C "$scratch" reset -q --hard
}
# A fresh cache holding only the Kbuild state of the untimed make run.
state_only() {
	fresh_cache
	mkdir -p "$XDG_CACHE_HOME/sever"
	[ -d "$state_cache/sever/kbuild" ] && cp -a "$state_cache/sever/kbuild" "$XDG_CACHE_HOME/sever/"
	return 0
}
# A fresh cache holding the Kbuild state and the precompiled headers of the untimed runs.
state_and_pch() {
	state_only
	[ -d "$state_cache/sever/pch" ] && cp -a "$state_cache/sever/pch" "$XDG_CACHE_HOME/sever/"
	return 0
}

# The hook rows: `sever review --staged` (what the pre-commit hook runs) in a git checkout of
# TREE with one staged change: a one-line change of a drivers/misc driver, a one-line amdgpu
# change, and a comment added to fs/kernfs/file.c. The checkout is made of hard links to TREE
# (cp -al, which copies nothing; every edit below replaces a file rather than writing into it, so
# TREE is never modified), with only the directories the rows change committed.
scratch=
make_scratch() {
	[ -n "$scratch" ] && return 0
	scratch=$HERE/.cache/bench-scratch
	rm -rf "$scratch"
	mkdir -p "$HERE/.cache"
	cp -al "$TREE" "$scratch" 2>/dev/null || cp -a "$TREE" "$scratch"
	local dirs=(drivers/misc drivers/gpu/drm/amd/amdgpu fs/kernfs) d
	for d in "${dirs[@]}"; do [ -d "$scratch/$d" ] || { say "no $d in $TREE: the hook rows are n/a"; return 1; }; done
	git -C "$scratch" init -q
	git -C "$scratch" add -f -- "${dirs[@]}" # Debian's tarball ignores everything (/*)
	git -C "$scratch" -c user.name=bench -c user.email=bench@localhost commit -q -m base
}
# stage FILE SED-SCRIPT: edits a committed file of the checkout (sed -i writes a new file, so the
# hard link to TREE is broken, not written through) and stages it; fails when nothing changed.
stage() {
	git -C "$scratch" reset -q --hard
	sed -i "$2" "$scratch/$1"
	git -C "$scratch" diff --quiet -- "$1" && { say "the edit of $1 did not apply"; return 1; }
	git -C "$scratch" add -f -- "$1"
}
hook_misc() { stage drivers/misc/phantom.c 's/^\tdev->opened = 0;$/\tdev->opened = false;/'; }
hook_amdgpu() {
	stage drivers/gpu/drm/amd/amdgpu/amdgpu_fence.c '0,/^\tunsigned long flags;$/s//\tunsigned long flags = 0;/'
}
hook_comment() { stage fs/kernfs/file.c '1a /* bench: a comment-only change */'; }
# hook_row LABEL EDIT CACHE: one row per binary (this sever, and BASELINE as LABEL@base), each
# run after EDIT with a fresh cache (CACHE=cold) or after an untimed warm-up (CACHE=warm).
hook_row() {
	local label=$1 edit=$2 cache=$3 binary suffix
	want "$label" || return 0
	make_scratch && "$edit" || return 0
	for binary in "$SEVER" ${BASELINE:+"$BASELINE"}; do
		suffix=; [ "$binary" = "$SEVER" ] || suffix=@base
		local run=(env -C "$scratch" "$binary" review --staged --jobs "$JOBS" --no-config-file --format b4 --verbose)
		if [ "$cache" = warm ]; then
			export XDG_CACHE_HOME=$work/hook-warm$suffix
			"${run[@]}" > /dev/null 2>&1 || true
			ROWS=$ROWS,$label$suffix measure "$label$suffix" "$RUNS" : "${run[@]}"
		else
			ROWS=$ROWS,$label$suffix measure "$label$suffix" "$RUNS" fresh_cache "${run[@]}"
		fi
	done
}
hook_rows() {
	hook_row hook-misc-cold hook_misc cold
	hook_row hook-misc-warm hook_misc warm
	hook_row hook-amdgpu-cold hook_amdgpu cold
	hook_row hook-comment-cold hook_comment cold
	[ -z "$scratch" ] || git -C "$scratch" reset -q --hard
}

# report EXFLAG: the table and bench.json, from runs.tsv and the kept outputs.
report() {
	python3 - "$OUT" "$TREE" "$SEVER" "$RUNS" "$1" "$SKIP_EXHAUSTIVE" "${EXHAUSTIVE_FINDINGS:-}" <<'PY'
import collections, json, os, statistics, subprocess, sys, datetime

out, tree, sever, runs, exflag, skip_exhaustive, ex_findings = sys.argv[1:8]
GiB = 1024 * 1024  # KiB

rows = collections.OrderedDict()
for line in open(os.path.join(out, "runs.tsv")):
    label, run, wall, rss, status = line.rstrip("\n").split("\t")
    rows.setdefault(label, []).append({"wall_s": float(wall), "rss_kib": int(rss), "status": int(status)})
commands = dict(l.rstrip("\n").split("\t", 1) for l in open(os.path.join(out, "commands.tsv")))

def read(label):
    p = os.path.join(out, label + ".out")
    return open(p, errors="replace").read() if os.path.exists(p) else None

def ok(label):
    return label in rows and all(r["status"] <= 1 for r in rows[label])

def median(label):
    return statistics.median(r["wall_s"] for r in rows[label]) if ok(label) else None

def peak(label):
    return max(r["rss_kib"] for r in rows[label]) if ok(label) else None

def load_json(label):
    text = read(label)
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None

# Counts: files for ripgrep, tables per type for Coccinelle and sever scan, findings for check.
counts = {}
if ok("rg"):
    counts["rg"] = {"files": len(read("rg").splitlines())}
kinds = ["kernfs_ops", "proc_ops", "file_operations", "cftype", "vm_operations_struct",
         "seq_operations", "miscdevice"]
if ok("cocci"):
    c = collections.Counter(l.split("\t")[1] for l in read("cocci").splitlines() if l.startswith("TABLE\t"))
    counts["cocci"] = dict(c)
if ok("cocci-release"):
    c = collections.Counter(l.split("\t")[1] for l in read("cocci-release").splitlines() if l.startswith("RELEASE\t"))
    counts["cocci-release"] = dict(c)
scan = load_json("scan") if ok("scan") else None
if scan is not None:
    # sever scan lists each entry of an array (cftype files[]) and the tables made by macros
    # (DEFINE_SHOW_ATTRIBUTE, ...); Coccinelle sees one definition per array and no macro.
    tables = scan.get("tables", [])
    defs = {(t.get("kind"), t.get("path"), t.get("name")): t for t in tables}
    counts["scan"] = dict(collections.Counter(k[0] for k in defs))
    counts["scan"]["files"] = scan.get("files")
    counts["scan-literal"] = dict(collections.Counter(k[0] for k, t in defs.items() if not t.get("macro")))
    counts["scan-entries"] = dict(collections.Counter(t.get("kind") for t in tables))

def findings(label):
    d = load_json(label)
    if d is None:
        return None
    # The fingerprint is sever's stable identity of a finding (rule and subject, not line).
    return collections.Counter(f["fingerprint"] for f in d.get("findings", [])), d
for label in ("check-cold", "check-warm", "check-exhaustive", "review-warm"):
    if label == "review-warm":
        if ok(label):
            counts[label] = {"introduced": sum(1 for l in read(label).splitlines() if l.startswith(("ERROR:", "WARNING:")))}
        continue
    f = findings(label)
    if f:
        counts[label] = {"findings": sum(f[0].values())}
# The hook rows: introduced findings (b4 lines) and the facts line of the per-patch summary.
for label in [l for l in rows if l.startswith("hook-")]:
    if ok(label):
        c = {"introduced": sum(1 for l in read(label).splitlines() if l.startswith(("ERROR:", "WARNING:")))}
        err = os.path.join(out, label + ".err")
        facts = [l.strip() for l in open(err, errors="replace") if "facts:" in l] if os.path.exists(err) else []
        if facts:
            c["facts"] = facts[0].split("facts:", 1)[1].split(";")[0].strip()
        counts[label] = c

# Exhaustive time from this invocation, or from the bench.json beside EXHAUSTIVE_FINDINGS.
ex_median, ex_source = median("check-exhaustive"), "this run"
if ex_median is None and os.path.exists(os.path.join(out, "previous-bench.json")):
    prev = json.load(open(os.path.join(out, "previous-bench.json")))
    ex_median = (prev.get("rows", {}).get("check-exhaustive") or {}).get("median_wall_s")
    ex_source = "previous bench " + os.path.dirname(ex_findings)

# Two-tier cold against exhaustive: the same set of finding fingerprints?
identical, diff = None, []
cold, exh = findings("check-cold") if ok("check-cold") else None, findings("check-exhaustive")
if cold and exh:
    identical = cold[0] == exh[0]
    where = {}
    for d in (cold[1], exh[1]):
        for f in d.get("findings", []):
            loc = f.get("location", {})
            where[f["fingerprint"]] = "%s %s:%s" % (f.get("rule"), loc.get("path"), loc.get("line"))
    for fp in sorted(set(cold[0]) | set(exh[0])):
        a, b = cold[0][fp], exh[0][fp]
        if a != b:
            diff.append({"fingerprint": fp, "where": where.get(fp), "two_tier": a, "exhaustive": b})

def ratio(a, b):
    return a / b if a is not None and b else None

rss_cold = peak("check-cold")
ratios = [
    ("tier-1 scan / Coccinelle inventory", ratio(median("scan"), median("cocci")), "<=", 1.0, ""),
    ("exhaustive cold / two-tier cold", ratio(ex_median, median("check-cold")), ">=", 5.0,
     "" if ex_source == "this run" else ex_source),
    ("check warm / ripgrep floor", ratio(median("check-warm"), median("rg")), "<=", 5.0, ""),
    ("two-tier cold peak RSS (GiB)", rss_cold / GiB if rss_cold else None, "<=", 1.0, ""),
]

if "check-one-changed" in rows:
    ratios.append(("check-one-changed seconds", median("check-one-changed"), "<=", 3.0, ""))
if "check-one-changed@base" in rows:
    ratios.append(("check-one-changed / baseline", ratio(median("check-one-changed"), median("check-one-changed@base")), "<=", 1.0, ""))
# The make rows against sparse in this run (issue 18: sever <= 1.5x sparse).
for label in ("make-sever-cold", "make-sever-state", "make-sever-pch", "make-sever-warm"):
    if label in rows:
        ratios.append(("%s / sparse" % label, ratio(median(label), median("make-sparse")), "<=", 1.5, ""))
    if label + "@base" in rows:
        ratios.append(("%s / baseline" % label, ratio(median(label), median(label + "@base")), "<=", 1.0, ""))
# The hook rows: the targets of issue 18, and this sever against BASELINE in the same run.
for label, target in (("hook-misc-cold", 5.0), ("hook-misc-warm", 1.0), ("hook-amdgpu-cold", 5.0),
                      ("hook-comment-cold", 5.0)):
    if label in rows:
        ratios.append(("%s seconds" % label, median(label), "<=", target, ""))
    if label + "@base" in rows:
        ratios.append(("%s / baseline" % label, ratio(median(label), median(label + "@base")), "<=", 1.0, ""))

def verdict(v, op, target):
    if v is None:
        return "n/a"
    return "PASS" if (v <= target if op == "<=" else v >= target) else "MISS"

# The table.
def fmt_count(label):
    c = {"scan": {"files": counts.get("scan", {}).get("files")}}.get(label, counts.get(label))
    if not c:
        return ""
    return ", ".join("%s %s" % (k, v) for k, v in c.items())
labels = [("rg", "ripgrep prefilter floor"), ("cocci", "Coccinelle inventory"),
          ("cocci-release", "Coccinelle kernfs/proc .release"), ("scan", "sever scan (tier 1)"),
          ("check-cold", "sever check cold"), ("check-warm", "sever check warm"),
          ("check-exhaustive", "sever check %s cold" % exflag), ("review-warm", "sever review warm")]
for label, title in (("hook-misc-cold", "hook: drivers/misc, fresh cache"), ("hook-misc-warm", "hook: drivers/misc, warm"),
                     ("hook-amdgpu-cold", "hook: amdgpu line, fresh cache"), ("hook-comment-cold", "hook: kernfs comment, fresh")):
    labels += [(label, title)] + ([(label + "@base", title + " (base)")] if label + "@base" in rows else [])
labels.append(("make-sparse", "make C=2 CHECK=sparse"))
labels += [(l, t) for l, t in (("check-one-changed", "check whole tree, one file changed"),
                               ("check-one-changed@base", "check one file changed (base)")) if l in rows]
for label, title in (("make-sever-cold", "make C=2 CHECK=sever, fresh cache"),
                     ("make-sever-state", "make C=2 CHECK=sever, state only"),
                     ("make-sever-pch", "make C=2 CHECK=sever, state and PCH"),
                     ("make-sever-warm", "make C=2 CHECK=sever, warm")):
    labels += [(label, title)] + ([(label + "@base", title + " (base)")] if label + "@base" in rows else [])
print("bench: %s, %s runs, %d cores, %s" % (tree, runs, os.cpu_count(), datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")))
print()
print("%-34s %9s %9s  %-5s  %s" % ("command", "median s", "peak MiB", "runs", "counts"))
print("-" * 100)
for label, title in labels:
    if label not in rows:
        note = "n/a"
        extra = ""
        if label == "check-exhaustive" and skip_exhaustive == "1":
            note = "skipped"
            extra = "%s; %s" % (fmt_count(label), "%.2f s in %s" % (ex_median, ex_source) if ex_median else "no time")
        print("%-34s %9s %9s  %-5s  %s" % (title, note, "", "", extra))
        continue
    if not ok(label):
        print("%-34s %9s %9s  %-5s  failed (status %s)" % (title, "n/a", "", len(rows[label]),
              ",".join(str(r["status"]) for r in rows[label])))
        continue
    print("%-34s %9.2f %9d  %-5d  %s" % (title, median(label), peak(label) // 1024, len(rows[label]), fmt_count(label)))
print()
if "cocci" in counts or "scan" in counts:
    # Definitions per type; "scan no macro" is the like-for-like column for spatch.
    columns = ["cocci", "scan-literal", "scan", "scan-entries"]
    print("%-22s %8s %14s %8s %13s" % ("tables per type", "spatch", "scan no macro", "scan", "scan entries"))
    for k in kinds + sorted(set(counts.get("scan", {})) - set(kinds) - {"files", None}):
        print("%-22s %8s %14s %8s %13s" % ((k,) + tuple(counts[c].get(k, 0) if c in counts else "n/a" for c in columns)))
    print()
print("%-40s %8s  %-8s %s" % ("ratio", "value", "target", "verdict"))
for name, v, op, target, note in ratios:
    print("%-40s %8s  %-8s %s%s" % (name, "%.2f" % v if v is not None else "n/a", "%s %g" % (op, target),
                                      verdict(v, op, target), "  (" + note + ")" if note else ""))
print()
if identical is None:
    print("findings identical (two-tier cold vs %s): n/a" % exflag)
else:
    print("findings identical (two-tier cold vs %s): %s" % (exflag, "yes" if identical else "no"))
    for d in diff:
        print("  %-60s two-tier %d, exhaustive %d  (%s)" % (d["fingerprint"], d["two_tier"], d["exhaustive"], d["where"]))

def git(*args):
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True).stdout.strip()
    except OSError:
        return None
result = {
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "tree": tree, "runs": int(runs), "cores": os.cpu_count(), "sever": sever,
    "commit": git("rev-parse", "HEAD"), "exhaustive_flag": exflag,
    "rows": {label: {"command": commands.get(label), "runs": rows[label],
                     "median_wall_s": median(label), "peak_rss_kib": peak(label)} for label in rows},
    "counts": counts,
    "ratios": [{"name": n, "value": v, "target": "%s %g" % (op, t), "verdict": verdict(v, op, t), "note": note}
               for n, v, op, t, note in ratios],
    "findings_identical": identical, "findings_diff": diff,
}
json.dump(result, open(os.path.join(out, "bench.json"), "w"), indent=2)
print("\nbench: wrote %s" % os.path.join(out, "bench.json"))
PY
}

main "$@"
