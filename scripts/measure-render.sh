#!/usr/bin/env bash
# Measures one render of the sample stack as a user runs it: wall time and peak memory (RSS)
# of the whole process, plus the render's own time as it narrates it.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build samples/FlatRacoon.NetStack -c Release -nologo -clp:ErrorsOnly >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dll=samples/FlatRacoon.NetStack/bin/Release/net10.0/FlatRacoon.NetStack.dll
for run in 1 2 3; do
  rm -rf "$out/r"
  /usr/bin/time -f "run $run: wall %e s, peak RSS %M KiB" dotnet "$dll" render --out "$out/r" | tail -n 1
done
echo "module files: $(grep -c '^- ' "$out/r/kustomization.yaml"), objects: $(grep -h '^kind: ' "$out/r"/*.yaml | grep -vc '^kind: Kustomization$'), files: $(find "$out/r" -type f | wc -l), bytes: $(du -sb "$out/r" | cut -f1)"
