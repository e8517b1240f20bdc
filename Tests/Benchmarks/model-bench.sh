#!/usr/bin/env bash
# Benchmark of the reference model (issue 3): explores typical summaries at the standard scope
# (2 files, a select and an epoll poller, 1 node, 1 module) and prints the median exploration
# time and states per second, against a trivial summary explored in the same invocation.
# Not a test: timings depend on the machine. Target: under 50 ms per exploration.
#
# Usage: Tests/Benchmarks/model-bench.sh [RUNS]      (default 31 explorations per summary)
set -euo pipefail

runs="${1:-31}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

swift build -c release --product sever >/dev/null
bin="$(swift build -c release --show-bin-path)/sever"
fixtures="Fixtures/model"

# The baseline: a plain file_operations with .owner, the smallest space among the fixtures.
baseline="$fixtures/safe-fops-owner.json"
# Typical summaries: the fixed PSI (poll on on->poll) and the fixed 2026 write path, the
# largest space among the fixtures.
typical=("$fixtures/safe-psi-kernfs-poll-2023.json" "$fixtures/safe-priv-race-2026.json")

median_of() { # prints field $2 (e.g. median_ms) of a `--bench` line
  sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"
}

echo "sever model benchmark: $runs explorations per summary, release build, $(uname -m)"
base_line="$("$bin" model check "$baseline" --bench "$runs")"
base_ms="$(median_of "$base_line" median_ms)"
echo "baseline  $base_line"
status=0
for summary in "${typical[@]}"; do
  line="$("$bin" model check "$summary" --bench "$runs")"
  ms="$(median_of "$line" median_ms)"
  ratio="$(awk -v a="$ms" -v b="$base_ms" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
  verdict="$(awk -v a="$ms" 'BEGIN { print (a < 50 ? "ok (< 50 ms)" : "SLOW (>= 50 ms)") }')"
  echo "typical   $line ratio_to_baseline=${ratio}x $verdict"
  [[ "$verdict" == ok* ]] || status=1
done

# End to end, including process start and JSON decoding: median wall time of `sever model check`.
e2e=()
for _ in $(seq 1 11); do
  start=$(date +%s%N)
  "$bin" model check "${typical[1]}" >/dev/null
  end=$(date +%s%N)
  e2e+=($(((end - start) / 1000)))
done
sorted=($(printf '%s\n' "${e2e[@]}" | sort -n))
echo "end-to-end sever model check $(basename "${typical[1]}"): median $((sorted[5] / 1000)) ms over 11 runs"
exit "$status"
