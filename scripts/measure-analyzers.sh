#!/usr/bin/env bash
# Measures what the analyzer adds to compiling a synthetic stack of N modules (default 1,000):
# generates N module manifests (each with a schema: a ZeroTier network id, an IPv6 prefix and a
# ranged number) and one method adding them all (each module takes the provider of the one before
# it, and sets its three checked settings from constants), builds it with the real generator and
# analyzer, and prints the compiler's own per-analyzer timing (-p:ReportAnalyzer=true).
# Usage: scripts/measure-analyzers.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
count=${1:-1000}
work="$root/artifacts/measure-analyzers"
rm -rf "$work"
mkdir -p "$work/modules"
python3 - "$work" "$count" <<'PY'
import json, os, sys
work, count = sys.argv[1], int(sys.argv[2])
layers = ["platform", "orchestration", "network", "overlay", "access", "storage", "naming", "observability"]
lines = []
for i in range(count):
    name = f"synthetic-{i:04d}"
    d = os.path.join(work, "modules", name)
    os.makedirs(d)
    manifest = {
        "config_schema": "schema.ncl", "health_endpoint": None, "metrics_endpoint": None,
        "image": {"repository": f"ghcr.io/example/{name}", "tag": "1.0.0"},
        "layer": layers[i * len(layers) // count], "module": name, "version": "1.0.0",
        "provides": [f"cap-{i:04d}"],
        "requires": ["kubernetes"] + ([f"cap-{i-1:04d}"] if i > 0 else []),
    }
    json.dump(manifest, open(os.path.join(d, "flatracoon.module.json"), "w"), indent=2)
    schema = {"type": "object", "additionalProperties": False, "properties": {
        "network_id": {"type": "string", "format": "zerotier-network-id", "default": "f1a7c0de00f10003"},
        "prefix": {"type": "string", "format": "ipv6-prefix", "default": "2001:db8::/48"},
        "replicas": {"type": "integer", "minimum": 1, "maximum": 9, "default": 1}}}
    json.dump(schema, open(os.path.join(d, "schema.json"), "w"), indent=2)
    call = f"stack.AddSynthetic{i:04d}(" + (f"m{i-1:04d}, " if i > 0 else "") + 'c => c with { NetworkId = "f1a7c0de00f10003", Prefix = "2001:db8::/48", Replicas = 3 })'
    lines.append(f"        var m{i:04d} = {call};")
src = """using FlatRacoon;
using FlatRacoon.Generated;

namespace Synthetic;

public static class SyntheticStack
{
    public static StackBuilder Create()
    {
        var stack = StackBuilder.Create("synthetic", Environments.Production.Environment);
%s
        return stack;
    }
}
""" % "\n".join(lines)
open(os.path.join(work, "SyntheticStack.cs"), "w").write(src)
PY
cat > "$work/Synthetic.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <Import Project="$root/src/FlatRacoon.Sdk/buildTransitive/FlatRacoon.Sdk.props" />
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <!-- The built-in modules (the environments configure them) plus the synthetic ones. -->
    <FlatRacoonModulesRoot>$root/modules/</FlatRacoonModulesRoot>
    <FlatRacoonProjectModulesRoot>$work/modules/</FlatRacoonProjectModulesRoot>
    <FlatRacoonConfigRoot>$root/configs/</FlatRacoonConfigRoot>
    <FlatRacoonNickelExport>false</FlatRacoonNickelExport>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$root/src/FlatRacoon.Sdk/FlatRacoon.Sdk.csproj" />
    <ProjectReference Include="$root/src/FlatRacoon.Generators/FlatRacoon.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
    <ProjectReference Include="$root/src/FlatRacoon.Analyzers/FlatRacoon.Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
  </ItemGroup>
  <Import Project="$root/src/FlatRacoon.Sdk/buildTransitive/FlatRacoon.Sdk.targets" />
</Project>
XML
dotnet build "$work/Synthetic.csproj" -c Release -nologo -clp:ErrorsOnly | cut -c1-300 | tail -n 20
for run in 1 2 3; do
  touch "$work/SyntheticStack.cs"
  echo "== run $run: $count modules"
  dotnet build "$work/Synthetic.csproj" -c Release -nologo --no-dependencies -p:ReportAnalyzer=true -v:d \
    | grep -E "Total analyzer execution time|Total generator execution time|^ *<?[0-9.]+ +[0-9]+ +FlatRacoon\.(Analyzers\.CheckedValueAnalyzer|Generators\.FlatRacoonGenerator)" | sed 's/^ *//' | cut -c1-60
done
