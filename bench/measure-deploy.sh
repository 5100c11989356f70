#!/usr/bin/env bash
# Plan and apply against the FAKE API server, several runs, min and median: the issue-11 targets
# (plan of 10,000 unchanged objects <= 1 s; apply of 1,000 objects at 5 ms per request <= 0.8 s).
# Each run is one process of the benchmark, as a user's command is one process:
#   plan N:    the last of three plans of N unchanged objects in the process (warm), after an untimed apply;
#   apply N 5: one apply of N objects into a fake answering every request after 5 ms (cold process, JIT included).
# Two places for the fake, interleaved run by run (DEPLOY_FAKE picks them):
#   in-process: the fake inside the benchmark's process; its CPU time is the client's and the fake's together
#               (on a 2-core machine they also take turns on the cores);
#   process:    the standalone fake in a process of its own, as a real API server is another machine;
#               "client cpu" is the benchmark's process alone, "fake cpu" the fake's process. For apply
#               the fake is warm, as a real API server is when a user's command reaches it: another
#               process applies another stack of N objects to it first, three times (three stacks), each time
#               waiting until the fake is idle; the benchmark's own process (the user's command) is cold.
#
# usage: [DEPLOY_FAKE="in-process process"] [DEPLOY_OPS="plan apply"] bench/measure-deploy.sh [runs] [plan-objects] [apply-objects]
#        (default: 5 runs, 10000 and 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
plan_n=${2:-10000}
apply_n=${3:-1000}
for v in "$runs" "$plan_n" "$apply_n"; do
  [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "error: runs and sizes must be positive whole numbers, not '$v'" >&2; exit 2; }
done
read -r -a places <<<"${DEPLOY_FAKE:-in-process process}"
read -r -a ops <<<"${DEPLOY_OPS:-plan apply}"
for p in "${places[@]}"; do [[ $p =~ ^(in-process|process)$ ]] || { echo "error: DEPLOY_FAKE names in-process or process, not '$p'" >&2; exit 2; }; done
for o in "${ops[@]}"; do [[ $o =~ ^(plan|apply)$ ]] || { echo "error: DEPLOY_OPS names plan or apply, not '$o'" >&2; exit 2; }; done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build bench/FlatRacoon.Benchmarks -c Release -nologo -clp:ErrorsOnly >/dev/null
bench=(dotnet "$(pwd)/bench/FlatRacoon.Benchmarks/bin/Release/net10.0/FlatRacoon.Benchmarks.dll")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# "<wall> <client cpu> <fake cpu or -> <requests>" of one run
run() {
  local op=$1 place=$2 line timed
  if [[ $op == plan ]]; then
    line=$("${bench[@]}" plan "$plan_n" "$place" 2>&1) || { echo "error: plan failed: $line" >&2; exit 1; }
    timed=${line##*| }
  else
    line=$("${bench[@]}" apply "$apply_n" 5 "$place" 2>&1) || { echo "error: apply failed: $line" >&2; exit 1; }
    timed="apply ${line##*; apply }"
  fi
  echo "$line" >>"$work/lines"
  local wall cpu fake requests
  wall=$(sed -E 's/.* ([0-9.]+) s \(cpu .*/\1/' <<<"$timed")
  cpu=$(sed -E 's/.*\(cpu ([0-9.]+) s.*/\1/' <<<"$timed")
  fake=$(sed -nE 's/.*fake process cpu ([0-9.]+) s.*/\1/p' <<<"$timed")
  requests=$(sed -nE 's/.* ([0-9]+) requests.*/\1/p' <<<"$line" | tail -n 1)
  echo "$wall $cpu ${fake:--} $requests"
}

stats() { sort -g | awk '{ v[NR] = $1 } END { printf "min %.3f median %.3f", v[1], (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for op in "${ops[@]}"; do
  for place in "${places[@]}"; do : >"$work/$op-$place"; done
  for place in "${places[@]}"; do run "$op" "$place" >/dev/null; done # warm-up (disk cache)
  for ((r = 1; r <= runs; r++)); do
    for place in "${places[@]}"; do run "$op" "$place" >>"$work/$op-$place"; done
  done
  for place in "${places[@]}"; do
    f="$work/$op-$place"
    what=$([[ $op == plan ]] && echo "plan $plan_n unchanged objects" || echo "apply $apply_n objects @ 5 ms")
    where=$([[ $place == process ]] && echo "fake in its own process" || echo "fake in process")
    line="$what ($where, $runs runs, $(cut -d' ' -f4 "$f" | sort -u | paste -sd/) requests): wall $(cut -d' ' -f1 "$f" | stats) s"
    if [[ $place == process ]]; then
      line+="; client cpu $(cut -d' ' -f2 "$f" | stats) s; fake cpu $(cut -d' ' -f3 "$f" | stats) s"
    else
      line+="; cpu (client + fake) $(cut -d' ' -f2 "$f" | stats) s"
    fi
    echo "$line"
  done
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
