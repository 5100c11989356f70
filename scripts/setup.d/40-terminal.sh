#!/usr/bin/env bash
# The terminal tests (tests/FlatRacoon.Deployment.Tests/TerminalTests.cs) run the stack program
# under a pseudo-terminal with util-linux `script` (Debian package bsdutils).
set -euo pipefail

if command -v script >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends bsdutils >/dev/null 2>&1; then
  apt-get update >/dev/null
  apt-get install -y --no-install-recommends bsdutils >/dev/null \
    || { echo "error: cannot install bsdutils (util-linux 'script'), which the terminal tests need" >&2; exit 1; }
fi
command -v script >/dev/null || { echo "error: 'script' is still missing after installing bsdutils" >&2; exit 1; }
