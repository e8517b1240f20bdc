#!/usr/bin/env bash
# Speed of `sever kbuild` on a whole tree: answers for every .c file in one run (Makefiles and
# Kconfig read once), several runs, median wall time, and the ratio against baselines measured in
# the same invocation: a plain `find -name '*.c'` walk and a `grep -rl` over every kbuild file.
# The machine's load average and the CPU time of one run are printed too: on a shared 2-core
# machine the wall time mostly measures the neighbours.
#
#   Tests/Benchmarks/kbuild-bench.sh /path/to/linux-6.12 [RUNS] [ARCH]
set -euo pipefail
TREE=$(cd "${1:?usage: kbuild-bench.sh TREE [RUNS] [ARCH]}" && pwd)
RUNS=${2:-5}
ARCH=${3:-x86_64}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
(cd "$ROOT" && swift build -c release --product sever >/dev/null)
SEVER="$ROOT/.build/release/sever"

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
seconds() {  # runs "$@" and prints its wall time in seconds
  local start end
  start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N)
  echo "$end - $start" | bc
}
"$SEVER" kbuild --tree "$TREE" --arch "$ARCH" --all --summary  # warm the page cache, show counts
sever_times=(); find_times=(); grep_times=()
for _ in $(seq "$RUNS"); do
  sever_times+=("$(seconds "$SEVER" kbuild --tree "$TREE" --arch "$ARCH" --all --summary)")
  find_times+=("$(seconds find "$TREE" -name '*.c')")
  grep_times+=("$(seconds grep -rl --include=Makefile --include=Kbuild 'obj-' "$TREE")")
done
s=$(printf '%s\n' "${sever_times[@]}" | median)
f=$(printf '%s\n' "${find_times[@]}" | median)
g=$(printf '%s\n' "${grep_times[@]}" | median)
cpu=$( { /usr/bin/time -f "%U %S" "$SEVER" kbuild --tree "$TREE" --arch "$ARCH" --all --summary >/dev/null; } 2>&1 | tail -1)
echo "runs: $RUNS, arch: $ARCH, cores: $(nproc), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "CPU time of one run (user + sys): $(echo "$cpu" | awk '{ print $1 + $2 }') s"
echo "sever kbuild --all (every .c file): median ${s} s  [${sever_times[*]}]"
echo "baseline find -name '*.c':          median ${f} s  ratio $(echo "scale=1; $s / $f" | bc)x"
echo "baseline grep -rl obj- (kbuild):    median ${g} s  ratio $(echo "scale=1; $s / $g" | bc)x"
