#!/usr/bin/env bash
# Whole-tree run: `sever check --jobs 2` on a kernel tree, with wall time and peak RSS, and the
# tables found per type compared with an independent count of definitions by regular expression.
# Usage: Tests/Benchmarks/full-tree.sh TREE [RUNS] [extra sever options]
set -euo pipefail
cd "$(dirname "$0")/../.."
tree=${1:?usage: full-tree.sh TREE [RUNS]}
runs=${2:-1}
shift $(( $# >= 2 ? 2 : 1 ))
sever=.build/release/sever
[ -x "$sever" ] || swift build -c release >/dev/null
out=.cache/full-tree-$(basename "$tree")
mkdir -p "$out"
for run in $(seq 1 "$runs"); do
  /usr/bin/time -f "%e %M" -o "$out/time.$run" \
    "$sever" check --jobs 2 --tables --verbose --no-config-file "$@" "$tree" \
      > "$out/report.txt" 2> "$out/diagnostics.txt" || true
  read -r wall rss < <(tail -n 1 "$out/time.$run")
  echo "run $run: wall ${wall} s, peak RSS $(( rss / 1024 )) MiB"
done
python3 Tests/Benchmarks/compare-tables.py "$tree" "$out/report.txt" "$out/diagnostics.txt"
