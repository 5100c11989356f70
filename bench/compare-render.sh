#!/usr/bin/env bash
# Side by side: whole-process render of the synthetic stack (per module a Namespace, ServiceAccount,
# ConfigMap, Deployment and Service; FlatRacoon writes one file per module) by FlatRacoon and by cdk8s (npm, from the
# committed lock file in bench/cdk8s, installed here). Runs are interleaved (F C F C ...) after one
# warm-up pair, each into a fresh directory; the median and min of wall time and peak RSS are
# printed, and the ratio is the median of the pairwise ratios (cdk8s / FlatRacoon). CPU time (user +
# system) is printed beside wall time: on a shared, loaded machine it is the steadier figure.
#
# cdk8s writes one chart per module (its default file per chart) unless CDK8S_CHARTS=one, which puts
# every module into one chart: cdk8s 2.x synthesizes each chart by resolving the whole app, so one
# chart per module grows with the square of the modules (see bench/cdk8s/main.js).
#
# usage: [CDK8S_CHARTS=one] bench/compare-render.sh [runs] [modules...]      (default: 5 runs of 1000 and 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${1:-5}
shift || true
sizes=("$@")
((${#sizes[@]})) || sizes=(1000 10000)
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "error: runs must be a positive whole number, not '$runs'" >&2; exit 2; }
for n in "${sizes[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "error: module counts must be positive whole numbers, not '$n'" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "error: /usr/bin/time is missing; install it with: apt-get install -y time" >&2; exit 1; }
command -v node >/dev/null || { echo "error: node is not on PATH; install Node.js 20+ and npm (apt-get install -y nodejs npm)" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The peer, from the committed lock file (npm ci only when the lock file is newer than the install).
(
  cd bench/cdk8s
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
)
dotnet build bench/FlatRacoon.Benchmarks -c Release -nologo -clp:ErrorsOnly >/dev/null
flatracoon=(dotnet "$root/bench/FlatRacoon.Benchmarks/bin/Release/net10.0/FlatRacoon.Benchmarks.dll" render)
cdk8s=(node "$root/bench/cdk8s/main.js")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One timed run: "<wall seconds> <peak RSS KiB> <cpu seconds>" on stdout; the tool's own output goes to a log.
timed() {
  local out=$1
  shift
  rm -rf "$out"
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" "$out" >>"$work/log" 2>&1 || { echo "error: '$*' failed:" >&2; tail -n 5 "$work/log" >&2; exit 1; }
  awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$work/time"
}

# min and median of the numbers on stdin
stats() { sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s\n", v[1], m }'; }

for n in "${sizes[@]}"; do
  timed "$work/f" "${flatracoon[@]}" "$n" >/dev/null   # warm-up pair (disk cache, JIT of the runtime itself)
  timed "$work/c" "${cdk8s[@]}" "$n" >/dev/null
  : >"$work/f.times"
  : >"$work/c.times"
  for ((run = 1; run <= runs; run++)); do
    timed "$work/f" "${flatracoon[@]}" "$n" >>"$work/f.times"
    timed "$work/c" "${cdk8s[@]}" "$n" >>"$work/c.times"
  done
  read -r f_min f_med < <(cut -d' ' -f1 "$work/f.times" | stats)
  read -r c_min c_med < <(cut -d' ' -f1 "$work/c.times" | stats)
  read -r _ f_rss < <(cut -d' ' -f2 "$work/f.times" | stats)
  read -r _ c_rss < <(cut -d' ' -f2 "$work/c.times" | stats)
  read -r fc_min fc_med < <(cut -d' ' -f3 "$work/f.times" | stats)
  read -r cc_min cc_med < <(cut -d' ' -f3 "$work/c.times" | stats)
  read -r rc_min rc_med < <(paste -d' ' "$work/f.times" "$work/c.times" | awk '{ printf "%.6f\n", ($3 > 0 ? $6 / $3 : 0) }' | stats)
  read -r r_min r_med < <(paste -d' ' "$work/f.times" "$work/c.times" | awk '{ printf "%.6f\n", ($1 > 0 ? $4 / $1 : 0) }' | stats)
  printf 'render %s modules: flatracoon %.2f s / cdk8s %.2f s = ratio %.2f (peak RSS %.0f MB / %.0f MB)\n' \
    "$n" "$f_med" "$c_med" "$r_med" "$(awk -v k="$f_rss" 'BEGIN { print k / 1024 }')" "$(awk -v k="$c_rss" 'BEGIN { print k / 1024 }')"
  printf '  %s interleaved runs each; min: flatracoon %.2f s, cdk8s %.2f s, ratio %.2f; medians above (ratio = cdk8s / flatracoon, per pair)\n' \
    "$runs" "$f_min" "$c_min" "$r_min"
  printf '  cpu (user + system): median flatracoon %.2f s / cdk8s %.2f s = ratio %.2f; min flatracoon %.2f s, cdk8s %.2f s, ratio %.2f\n' \
    "$fc_med" "$cc_med" "$rc_med" "$fc_min" "$cc_min" "$rc_min"
  grep '^render' "$work/log" | tail -n 1 | sed 's/^/  last flatracoon run: /'
  echo "  cdk8s: $([[ ${CDK8S_CHARTS:-} == one ]] && echo 'all modules in one chart (CDK8S_CHARTS=one)' || echo 'one chart per module (its default file per chart)')"
  : >"$work/log"
done
