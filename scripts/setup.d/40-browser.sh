#!/usr/bin/env bash
# The dashboard's end-to-end test: Debian's chromium (apt) driven by playwright-core (npm, from
# the committed lock file in tools/dashboard-e2e). Idempotent; `npx playwright install` is never
# used (it downloads a browser build, which cannot be fetched here).
set -euo pipefail
if [[ ! -x /usr/bin/chromium ]]; then
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends chromium >/dev/null; then
    apt-get update >/dev/null
    apt-get install -y --no-install-recommends chromium >/dev/null \
      || { echo "cannot install chromium with apt-get" >&2; exit 1; }
  fi
fi
[[ -x /usr/bin/chromium ]] || { echo "/usr/bin/chromium is missing after installing chromium" >&2; exit 1; }
cd "$(dirname "$0")/../../tools/dashboard-e2e"
command -v npm >/dev/null || { echo "error: npm is not on PATH; install Node.js 20+ and npm (apt-get install -y nodejs npm)." >&2; exit 1; }
stamp=node_modules/.package-lock.json
if [[ -f "$stamp" && ! package-lock.json -nt "$stamp" ]]; then
  echo "tools/dashboard-e2e: node_modules is up to date"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
