#!/usr/bin/env bash
# Growth from a small to a large stack for render, plan and apply: is the cost per module (per object
# for plan and apply) the same at both sizes? Runs the sizes interleaved (small, large, small, ...),
# takes the median of wall and CPU time at each size, and prints the per-unit cost and the ratio
# large/small (1.00 = linear; above 1 = worse than linear).
#   render: whole process, `render N DIR` into a fresh directory (process start included);
#   plan:   the plan of N unchanged objects against the FAKE API server (the last of three plans in the
#           process, warm), as printed by `plan N`;
#   apply:  the apply of N objects to an empty FAKE API server at 5 ms per request, `apply N 5`.
#   For plan and apply GROWTH_FAKE says where the fake runs: in-process (default; the CPU time is the
#   client's and the fake's) or process (its own process; the CPU time is the client's alone).
#
# usage: [GROWTH_OPS="plan apply"] [GROWTH_FAKE=process] bench/growth.sh [runs] [small] [large]   (default: render plan apply, 3 runs of 1000 and 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
small=${2:-1000}
large=${3:-10000}
for v in "$runs" "$small" "$large"; do
  [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "error: runs and sizes must be positive whole numbers, not '$v'" >&2; exit 2; }
done
fake=${GROWTH_FAKE:-in-process}
[[ $fake =~ ^(in-process|process)$ ]] || { echo "error: GROWTH_FAKE is in-process or process, not '$fake'" >&2; exit 2; }
(( large > small )) || { echo "error: the large size ($large) must be larger than the small one ($small)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "error: /usr/bin/time is missing; install it with: apt-get install -y time" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build bench/FlatRacoon.Benchmarks -c Release -nologo -clp:ErrorsOnly >/dev/null
bench=(dotnet "$(pwd)/bench/FlatRacoon.Benchmarks/bin/Release/net10.0/FlatRacoon.Benchmarks.dll")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# "<wall s> <cpu s>" of one run of an operation at size n
measure() {
  local op=$1 n=$2 line
  case $op in
    render)
      rm -rf "$work/out"
      /usr/bin/time -f "%e %U %S" -o "$work/time" "${bench[@]}" render "$n" "$work/out" >"$work/log" 2>&1 || { echo "error: render $n failed:" >&2; tail -n 5 "$work/log" >&2; exit 1; }
      awk '{ printf "%s %.3f\n", $1, $2 + $3 }' "$work/time" ;;
    plan)
      line=$("${bench[@]}" plan "$n" "$fake" 2>&1) || { echo "error: plan $n failed: $line" >&2; exit 1; }
      # the last plan of the process: "...: W s (cpu C s; ...)"
      sed -E 's/.*\| plan [^:]*: ([0-9.]+) s \(cpu ([0-9.]+) s[^)]*\)$/\1 \2/' <<<"$line" ;;
    apply)
      line=$("${bench[@]}" apply "$n" 5 "$fake" 2>&1) || { echo "error: apply $n failed: $line" >&2; exit 1; }
      sed -E 's/.*; apply ([0-9.]+) s \(cpu ([0-9.]+) s[^)]*\)$/\1 \2/' <<<"$line" ;;
  esac
}

median() { sort -g | awk '{ v[NR] = $1 } END { printf "%s\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

read -r -a ops <<<"${GROWTH_OPS:-render plan apply}"
for op in "${ops[@]}"; do
  [[ $op =~ ^(render|plan|apply)$ ]] || { echo "error: GROWTH_OPS names render, plan or apply, not '$op'" >&2; exit 2; }
done
for op in "${ops[@]}"; do
  : >"$work/s"
  : >"$work/l"
  measure "$op" "$small" >/dev/null # warm-up (disk cache)
  for ((run = 1; run <= runs; run++)); do
    measure "$op" "$small" >>"$work/s"
    measure "$op" "$large" >>"$work/l"
  done
  sw=$(cut -d' ' -f1 "$work/s" | median); sc=$(cut -d' ' -f2 "$work/s" | median)
  lw=$(cut -d' ' -f1 "$work/l" | median); lc=$(cut -d' ' -f2 "$work/l" | median)
  unit=$([[ $op == render ]] && echo module || echo object)
  awk -v op="$op" -v unit="$unit" -v s="$small" -v l="$large" -v sw="$sw" -v sc="$sc" -v lw="$lw" -v lc="$lc" -v runs="$runs" 'BEGIN {
    printf "%s %d -> %d: per %s wall %.3f ms -> %.3f ms (ratio %.2f), cpu %.3f ms -> %.3f ms (ratio %.2f); medians of %d runs: %.2f s / %.2f s wall, %.2f s / %.2f s cpu\n",
      op, s, l, unit, 1000 * sw / s, 1000 * lw / l, (lw / l) / (sw / s), 1000 * sc / s, 1000 * lc / l, (lc / l) / (sc / s), runs, sw, lw, sc, lc
  }'
done
