#!/usr/bin/env bash
# What module manifests cost a consumer's build (issue 11: "a consumer with 1,000 manifests builds
# within 2x of one with none; an unrelated edit does not pay for the generated code again more
# than it must").
#
# Packs FlatRacoon.Sdk (Release) into a local feed with a unique version, then makes two consumer
# stack programs that reference the PACKED package, as a team would:
#   none  - no module manifests (the package's built-in modules turned off), a stack with no modules;
#   N     - N synthetic modules in modules/ (manifest + schema each, shaped like the built-in ones:
#           checked ZeroTier id and IPv6 prefix, ranged numbers, an enum, a nested resources
#           record, labels, a secret reference; each requires the capability of the one before, in
#           the same layer or one below),
#           a stack that adds ten of them.
# Both have the same configs/ (one environment) and the same Unrelated.cs. Per run and side,
# interleaved: a clean build (obj/ and bin/ of the configuration removed, compiler server warm),
# then an incremental build after a one-line edit of Unrelated.cs (the assembly changes, so the
# build-time evaluation runs too). Prints min and median per side and the ratio of the medians,
# then the size of the generated code of the N side.
# Usage: bench/consumer-build.sh [RUNS=3] [N=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${1:-3}
count=${2:-1000}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDTERMINALLOGGER=off
for key in MSBuildExtensionsPath MSBuildSDKsPath MSBUILD_EXE_PATH; do unset "$key" || true; done

work=$(mktemp -d "${TMPDIR:-/tmp}/flatracoon-consumer-build.XXXXXX")
version="0.1.0-bench.$(date -u +%Y%m%d%H%M%S).$$"
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
cleanup() { rm -rf "$work" "$packages/flatracoon.sdk/$version"; }
trap cleanup EXIT

echo "== packing FlatRacoon.Sdk $version"
dotnet build src/FlatRacoon.Sdk -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet pack src/FlatRacoon.Sdk -c Release --no-build -nologo -o "$work/feed" -p:PackageVersion="$version" >/dev/null

make_consumer() { # dir modules
  local dir=$1 modules=$2
  mkdir -p "$dir/configs"
  cat > "$dir/Bench.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <FlatRacoonIncludeBuiltInModules>false</FlatRacoonIncludeBuiltInModules>
    <FlatRacoonNickelExport>false</FlatRacoonNickelExport>
    <SatelliteResourceLanguages>en</SatelliteResourceLanguages>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="FlatRacoon.Sdk" Version="$version" />
  </ItemGroup>
</Project>
XML
  printf '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n    <add key="bench" value="%s" />\n  </packageSources>\n</configuration>\n' "$work/feed" > "$dir/nuget.config"
  echo '<Project />' > "$dir/Directory.Build.props"
  echo '<Project />' > "$dir/Directory.Build.targets"
  echo '<Project />' > "$dir/Directory.Packages.props"
  cat > "$dir/configs/environments.json" <<'JSON'
{
  "environments": {
    "production": {
      "description": "The one environment of the benchmark.",
      "ipv6_only": true,
      "site_prefix": "2001:db8:f1a7::/48"
    }
  }
}
JSON
  printf 'namespace Bench;\n\ninternal static class Unrelated\n{\n    public const string Note = "edit 0";\n}\n' > "$dir/Unrelated.cs"
  printf 'using FlatRacoon;\n\nreturn await StackProgram.RunAsync(args, Bench.BenchStack.Declare);\n' > "$dir/Program.cs"
  python3 - "$dir" "$modules" <<'PY'
import json, os, sys
work, count = sys.argv[1], int(sys.argv[2])
layers = ["platform", "orchestration", "network", "overlay", "access", "storage", "naming", "observability"]
for i in range(count):
    name = f"synthetic-{i:04d}"
    d = os.path.join(work, "modules", name)
    os.makedirs(d)
    manifest = {
        "config_schema": "schema.ncl", "description": f"Synthetic module {i} of the build benchmark.",
        "health_endpoint": {"path": "/healthz", "port": 8080}, "metrics_endpoint": None,
        "image": {"repository": f"ghcr.io/example/{name}", "tag": "1.0.0"},
        "layer": layers[i * len(layers) // count], "module": name, "version": "1.0.0",
        "provides": [f"cap-{i:04d}"],
        "requires": ["kubernetes"] + ([f"cap-{i-1:04d}"] if i > 0 else []),
    }
    with open(os.path.join(d, "flatracoon.module.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    quantity = lambda cpu, mem: {"type": "object", "additionalProperties": False, "properties": {
        "cpu": {"type": "string", "pattern": "^([0-9]+m|[0-9]+(\\.[0-9]+)?)$", "default": cpu, "description": "CPU, in cores or millicores."},
        "memory": {"type": "string", "default": mem, "description": "Memory, in bytes with an optional suffix."}}}
    schema = {"type": "object", "additionalProperties": False, "properties": {
        "network_id": {"type": "string", "format": "zerotier-network-id", "default": "f1a7c0de00f10003", "description": "The ZeroTier network."},
        "prefix": {"type": "string", "format": "ipv6-prefix", "default": "2001:db8::/48", "description": "The IPv6 prefix."},
        "replicas": {"type": "integer", "minimum": 1, "maximum": 9, "default": 1, "description": "Pods."},
        "watermark": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.9, "description": "A fraction."},
        "mode": {"type": "string", "enum": ["active", "passive", "low-power"], "default": "active", "description": "How it runs."},
        "enabled": {"type": "boolean", "default": True, "description": "Whether it runs."},
        "peers": {"type": "array", "items": {"type": "string"}, "default": [], "description": "Peers dialled at start."},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}, "default": {"tier": "bench"}, "description": "Extra pod labels."},
        "token": {"type": "string", "format": "secret-ref", "default": f"vault://secret/bench/{name}#token", "description": "A secret."},
        "resources": {"type": "object", "additionalProperties": False, "description": "Requests and limits.", "properties": {
            "limits": quantity("1", "1Gi"), "requests": quantity("100m", "128Mi")}}}}
    with open(os.path.join(d, "schema.json"), "w") as f:
        json.dump(schema, f, indent=2)
used = min(count, 10)
lines = []
for i in range(used):
    provider = f"m{i-1:04d}, " if i > 0 else ""
    lines.append(f"        var m{i:04d} = stack.AddSynthetic{i:04d}({provider}c => c with {{ Replicas = 2 }});")
usings = "using FlatRacoon;\n" + ("using FlatRacoon.Generated;\n" if count else "")
src = usings + """
namespace Bench;

internal static class BenchStack
{
    public static StackBuilder Declare(StackEnvironment env)
    {
        var stack = StackBuilder.Create("bench", env);
%s
        return stack;
    }
}
""" % "\n".join(lines)
with open(os.path.join(work, "BenchStack.cs"), "w") as f:
    f.write(src)
PY
  dotnet restore "$dir/Bench.csproj" -nologo >/dev/null
}

echo "== making consumers: none and $count manifests"
make_consumer "$work/none" 0
make_consumer "$work/many" "$count"

now() { python3 -c 'import time; print(f"{time.time():.3f}")'; }
build() { # dir -> seconds
  local start end
  start=$(now)
  if ! dotnet build "$1/Bench.csproj" --no-restore -c Release -nologo -clp:ErrorsOnly > "$work/build.log" 2>&1; then
    cat "$work/build.log" >&2
    echo "error: building $1 failed" >&2
    exit 1
  fi
  end=$(now)
  python3 -c "print(f'{$end-$start:.3f}')"
}

declare -A clean incremental
for run in $(seq 1 "$runs"); do
  for side in none many; do
    dir=$work/$side
    rm -rf "$dir/obj/Release" "$dir/bin/Release"
    clean[$side]+="$(build "$dir") "
    sed -i "s/edit [0-9]*/edit $run/" "$dir/Unrelated.cs"
    incremental[$side]+="$(build "$dir") "
  done
  echo "   run $run of $runs done"
done

python3 - "$count" "$runs" "${clean[none]}" "${clean[many]}" "${incremental[none]}" "${incremental[many]}" <<'PY'
import statistics, sys
count, runs = int(sys.argv[1]), int(sys.argv[2])
parse = lambda s: [float(x) for x in s.split()]
clean0, cleanN, inc0, incN = (parse(s) for s in sys.argv[3:7])
def show(kind, zero, many):
    m0, mN = statistics.median(zero), statistics.median(many)
    print(f"{kind}: none min {min(zero):.2f} s median {m0:.2f} s / {count} manifests min {min(many):.2f} s median {mN:.2f} s"
          f" = ratio {mN / m0:.2f} (min ratio {min(many) / min(zero):.2f})")
print(f"consumer build, {runs} interleaved runs per side:")
show("clean build      ", clean0, cleanN)
show("unrelated edit   ", inc0, incN)
PY
generated=$work/generated
rm -rf "$work/many/obj/Release" "$work/many/bin/Release"
dotnet build "$work/many/Bench.csproj" --no-restore -c Release -nologo -clp:ErrorsOnly \
  -p:EmitCompilerGeneratedFiles=true -p:CompilerGeneratedFilesOutputPath="$generated" >/dev/null
lines=$(find "$generated" -name '*.g.cs' -exec cat {} + | wc -l)
bytes=$(find "$generated" -name '*.g.cs' -exec cat {} + | wc -c)

echo "generated code for $count modules: $lines lines, $((bytes / 1024)) KiB ($((lines / (count > 0 ? count : 1))) lines per module)"
