#!/usr/bin/env bash
# The cost of parsing in worker processes (issue 16): `sever check --jobs 2` on a whole tree,
# RUNS rounds, each round one run in sever's own process (--no-isolate, the baseline) and one
# with the default worker processes, back to back (the order alternating from round to round, so
# neither way always runs on a warmer machine), each on a cold cache (a fresh XDG_CACHE_HOME).
# Prints every run's wall time, CPU time (sever and the workers it reaped) and peak RSS (of
# sever; of its largest worker), each round's ratios, the medians of the ratios, and whether
# both ways printed the same bytes. On a shared machine the wall ratio of one round is noise
# from other load as much as cost; the CPU ratio is the steadier figure.
# Usage: [PATHS="fs kernel"] Tests/Benchmarks/isolation-bench.sh [TREE] [RUNS] [SEVER]
# PATHS (default `.`, the whole tree) are checked from the tree's root; a part of a tree is for
# a machine too busy for whole-tree rounds, and weighs the workers' start-up more, not less.
set -euo pipefail
cd "$(dirname "$0")/../.."
tree=$(cd "${1:-.cache/linux-source-6.12}" && pwd)
runs=${2:-3}
read -r -a paths <<<"${PATHS:-.}"
sever=$(realpath "${3:-.build/release/sever}")
[ -x "$sever" ] || swift build -c release --product sever >/dev/null
[ -x /usr/bin/time ] || { echo "isolation-bench: needs GNU time (apt-get install time)" >&2; exit 2; }
out=$PWD/.cache/isolation-bench
mkdir -p "$out"
: >"$out/runs.txt"

# The largest peak resident size (KiB) of any child of `$1`, sampled each second until it exits.
watch_workers() {
  local pid=$1 peak=0 rss
  while kill -0 "$pid" 2>/dev/null; do
    for child in $(pgrep -P "$pid" 2>/dev/null); do
      rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$child/status" 2>/dev/null || true)
      [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    done
    sleep 1
  done
  echo "$peak"
}

# One run: `$1` is the mode (in-process or workers), `$2` the round.
measure() {
  local mode=$1 run=$2 cache flag=() timer sever_pid worker_peak start end
  cache=$(mktemp -d "$out/cache.XXXXXX")
  [ "$mode" = in-process ] && flag=(--no-isolate)
  start=$(date +%s.%N)
  (cd "$tree" && XDG_CACHE_HOME=$cache exec /usr/bin/time -f "%e %U %S %M" \
    -o "$out/time.$mode.$run" "$sever" check --jobs 2 --format json --no-config-file \
    "${flag[@]}" "${paths[@]}" >"$out/$mode.$run.json" 2>"$out/$mode.$run.err") &
  timer=$!
  sleep 2
  sever_pid=$(pgrep -P "$timer" | head -1 || true)
  worker_peak=$(watch_workers "${sever_pid:-$timer}")
  wait "$timer" || true
  end=$(date +%s.%N)
  rm -rf "$cache"
  # GNU time's last line: elapsed, user and system seconds (sever and its reaped workers), KiB.
  read -r _ user system rss < <(tail -n 1 "$out/time.$mode.$run")
  python3 -c 'import sys; s, e, u, y, r, w, m, n = sys.argv[1:]
print(f"{m} {n} {float(e) - float(s):.1f} {float(u) + float(y):.1f} {int(r) // 1024} {int(w) // 1024}")' \
    "$start" "$end" "$user" "$system" "$rss" "$worker_peak" "$mode" "$run" >>"$out/runs.txt"
  tail -n 1 "$out/runs.txt" | awk '{ printf "%s %s: wall %s s, cpu %s s, sever peak %s MiB, largest worker %s MiB\n", $1, $2, $3, $4, $5, $6 }'
}

echo "isolation-bench: $sever on $tree (${paths[*]}), $runs rounds, baseline --no-isolate"
for run in $(seq 1 "$runs"); do
  if [ $((run % 2)) = 1 ]; then order=(in-process workers); else order=(workers in-process); fi
  for mode in "${order[@]}"; do measure "$mode" "$run"; done
done

python3 - "$out/runs.txt" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    mode, run, wall, cpu, *_ = line.split()
    runs.setdefault(int(run), {})[mode] = (float(wall), float(cpu))
walls, cpus = [], []
for run in sorted(runs):
    (bw, bc), (ww, wc) = runs[run]["in-process"], runs[run]["workers"]
    walls.append(ww / bw); cpus.append(wc / bc)
    print(f"round {run}: workers / in-process: wall {ww / bw:.3f}, cpu {wc / bc:.3f}")
print(f"median of {len(walls)} rounds: wall {statistics.median(walls):.3f}, cpu {statistics.median(cpus):.3f}"
      f" (in-process medians: wall {statistics.median(r['in-process'][0] for r in runs.values()):.1f} s,"
      f" cpu {statistics.median(r['in-process'][1] for r in runs.values()):.1f} s)")
PY
for run in $(seq 1 "$runs"); do
  if cmp -s "$out/in-process.$run.json" "$out/workers.$run.json" \
    && cmp -s "$out/in-process.$run.err" "$out/workers.$run.err"; then
    echo "round $run: identical output"
  else
    echo "round $run: OUTPUT DIFFERS ($out/{in-process,workers}.$run.{json,err})"
  fi
done
