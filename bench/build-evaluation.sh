#!/usr/bin/env bash
# What the build-time evaluation adds to building the sample stack program: incremental builds of
# samples/FlatRacoon.NetStack after an edit of NetStack.cs (so the assembly changes and the
# evaluation runs), interleaved with FlatRacoonEvaluateStack=true and =false, N runs each
# (default 5). Prints min and median of each side and of the difference, plus the evaluation
# alone (the program run with FLATRACOON_EVALUATE=1: all three environments).
# Usage: bench/build-evaluation.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
project=samples/FlatRacoon.NetStack
source_file=$project/NetStack.cs
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$project" -c Release -nologo -clp:ErrorsOnly >/dev/null
backup=$(mktemp)
cp "$source_file" "$backup"
trap 'cp "$backup" "$source_file"; rm -f "$backup"' EXIT

seconds() { python3 -c 'import sys,time; print(f"{time.time():.3f}")'; }
on=(); off=(); alone=()
for run in $(seq 1 "$runs"); do
  for mode in true false; do
    # A real edit (a comment with the run's number): the compiler emits a new assembly.
    cp "$backup" "$source_file"; echo "// bench edit $run $mode" >> "$source_file"
    start=$(seconds)
    dotnet build "$project" -c Release -nologo -clp:ErrorsOnly --no-dependencies -p:FlatRacoonEvaluateStack=$mode >/dev/null
    end=$(seconds)
    elapsed=$(python3 -c "print(f'{$end-$start:.3f}')")
    if [ "$mode" = true ]; then on+=("$elapsed"); else off+=("$elapsed"); fi
  done
  start=$(seconds)
  FLATRACOON_EVALUATE=1 dotnet exec "$project/bin/Release/net10.0/FlatRacoon.NetStack.dll" >/dev/null
  end=$(seconds)
  alone+=("$(python3 -c "print(f'{$end-$start:.3f}')")")
done
python3 - "${on[*]}" "${off[*]}" "${alone[*]}" <<'PY'
import statistics, sys
on = [float(x) for x in sys.argv[1].split()]
off = [float(x) for x in sys.argv[2].split()]
alone = [float(x) for x in sys.argv[3].split()]
diff = [a - b for a, b in zip(on, off)]
def show(name, xs): print(f"{name}: min {min(xs):.2f} s, median {statistics.median(xs):.2f} s ({len(xs)} runs)")
show("build with evaluation   ", on)
show("build without evaluation", off)
show("difference (paired)     ", diff)
show("evaluation alone (3 envs)", alone)
PY
