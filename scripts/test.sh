#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what the tests need, builds
# the solution in Release, runs all test projects, and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() {
  echo "error: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

command -v dotnet >/dev/null || fail "the .NET SDK (dotnet) is not on PATH; install .NET SDK 10 (global.json pins the feature band)."

# What the tests need from outside NuGet (Debian packages, npm packages): one script per need
# under scripts/setup.d/, run in name order; each is idempotent and fails loudly.
shopt -s nullglob
for setup in scripts/setup.d/*.sh; do
  echo "== setup: $setup"
  bash "$setup" || fail "$setup failed"
done
shopt -u nullglob

echo "== restore and build (Release)"
dotnet build FlatRacoon.sln -c Release -nologo -clp:ErrorsOnly || fail "the solution does not build"

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

echo "== test"
dotnet test FlatRacoon.sln -c Release --no-build -nologo --logger "trx" --results-directory "$results" -- RunConfiguration.TreatNoTestsAsError=true
test_status=$?

passed=0
failed=0
shopt -s nullglob
trx_files=("$results"/*.trx)
for trx in "${trx_files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if ((${#trx_files[@]} == 0)); then
  echo "error: no test results were written" >&2
  failed=$((failed + 1))
elif ((test_status != 0 && failed == 0)); then
  # A test host that crashed or a project that ran no test counts as a failure.
  echo "error: dotnet test exited with $test_status" >&2
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
((failed == 0))
