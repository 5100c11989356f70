#!/usr/bin/env bash
# Installs the offline Kubernetes object validator (tools/k8s-validate) from its committed lock
# file. Idempotent: npm ci runs only when node_modules is missing or older than the lock file.
set -euo pipefail
cd "$(dirname "$0")/../../tools/k8s-validate"
command -v node >/dev/null || { echo "error: node is not on PATH; install Node.js 20+ and npm (apt-get install -y nodejs npm)." >&2; exit 1; }
command -v npm >/dev/null || { echo "error: npm is not on PATH; install npm (apt-get install -y npm)." >&2; exit 1; }
stamp=node_modules/.package-lock.json
if [[ -f "$stamp" && ! package-lock.json -nt "$stamp" ]]; then
  echo "tools/k8s-validate: node_modules is up to date"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
