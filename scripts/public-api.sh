#!/usr/bin/env bash
# Public API tracking of the shipped libraries (PublicApiAnalyzers), src/FlatRacoon.Sdk unless
# another project folder is given (src/FlatRacoon.Testing):
#   scripts/public-api.sh update [PROJECT_DIR]   list every public symbol not yet listed in PublicAPI.Unshipped.txt
#                                  and drop the entries of symbols that are gone (after a reviewed API change)
#   scripts/public-api.sh ship [PROJECT_DIR]     move PublicAPI.Unshipped.txt into PublicAPI.Shipped.txt (at a release)
# Without it, an API change fails the build with RS0016 (new symbol) or RS0017 (removed symbol).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${2:-src/FlatRacoon.Sdk}
dir=${dir%/}
project="$dir/$(basename "$dir").csproj"
[[ -f "$project" ]] || { echo "error: no project $project" >&2; exit 2; }
case "${1:-}" in
  update)
    # Start from what is shipped, and let the analyzer's own code fix list what is new.
    printf '#nullable enable\n' >"$dir/PublicAPI.Unshipped.txt"
    # Symbols that are gone from the code: drop them from Shipped too (the diff shows it for review).
    dotnet build "$project" -nologo -p:TreatWarningsAsErrors=false 2>/dev/null \
      | sed -n "s/.*RS0017: Symbol '\(.*\)' is part of the declared API, but is either not public or could not be found.*/\1/p" \
      | sort -u >/tmp/flatracoon-removed-api.txt || true
    if [[ -s /tmp/flatracoon-removed-api.txt ]]; then
      grep -vxF -f /tmp/flatracoon-removed-api.txt "$dir/PublicAPI.Shipped.txt" >"$dir/PublicAPI.Shipped.txt.new" || true
      mv "$dir/PublicAPI.Shipped.txt.new" "$dir/PublicAPI.Shipped.txt"
    fi
    dotnet format analyzers "$project" --diagnostics RS0016 --severity warn --no-restore
    # One order, so regenerating gives the same file.
    for f in "$dir/PublicAPI.Unshipped.txt" "$dir/PublicAPI.Shipped.txt"; do
      # (grep finds nothing in a file with no entries yet: not a failure, or set -e would leave $f.sorted behind)
      { echo '#nullable enable'; { grep -v '^#nullable enable$' "$f" || true; } | LC_ALL=C sort -u; } >"$f.sorted"
      mv "$f.sorted" "$f"
    done
    ;;
  ship)
    { echo '#nullable enable'; { grep -hv '^#nullable enable$' "$dir/PublicAPI.Shipped.txt" "$dir/PublicAPI.Unshipped.txt" || true; } | LC_ALL=C sort -u; } >"$dir/PublicAPI.Shipped.txt.new"
    mv "$dir/PublicAPI.Shipped.txt.new" "$dir/PublicAPI.Shipped.txt"
    printf '#nullable enable\n' >"$dir/PublicAPI.Unshipped.txt"
    ;;
  *)
    echo "usage: scripts/public-api.sh update|ship [PROJECT_DIR]" >&2
    exit 2
    ;;
esac
