#!/usr/bin/env bash
# kubectl is the conformance client of the fake API server (tests/FlatRacoon.FakeApiServer.Tests).
# These machines carry kubectl v1.32; when it is missing, install Debian's kubernetes-client.
set -euo pipefail
if command -v kubectl >/dev/null; then
  echo "kubectl: $(kubectl version --client 2>/dev/null | head -n 1)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends kubernetes-client >/dev/null 2>&1; then
  apt-get update >/dev/null
  apt-get install -y --no-install-recommends kubernetes-client >/dev/null \
    || { echo "error: kubectl is missing and 'apt-get install kubernetes-client' failed; install kubectl (v1.32 preferred)." >&2; exit 1; }
fi
command -v kubectl >/dev/null || { echo "error: kubernetes-client installed no kubectl on PATH." >&2; exit 1; }
echo "kubectl: $(kubectl version --client 2>/dev/null | head -n 1)"
