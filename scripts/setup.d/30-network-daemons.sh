#!/usr/bin/env bash
# Network daemons the issue-5 integration tests run for real: BIND 9.18 (named, named-checkzone,
# dig), hesiod (hesinfo), BIRD 2, FRR (vtysh -C), tayga (NAT64) and iproute2 (netns, veth).
# Tests start every daemon themselves on loopback or inside namespaces they create; nothing
# may keep running after installation, so any service the packages started is stopped by PID.
set -euo pipefail

packages=(bind9 bind9-utils bind9-dnsutils hesiod bird2 frr tayga iproute2)
tools=(named named-checkzone dig hesinfo bird birdc vtysh tayga ip unshare)

missing() {
  local tool
  for tool in "${tools[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || [[ -x "/usr/sbin/$tool" ]] || return 0
  done
  return 1
}

if missing; then
  export DEBIAN_FRONTEND=noninteractive
  # Keep package scripts from starting services: invoke-rc.d asks policy-rc.d first.
  policy=/usr/sbin/policy-rc.d
  created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    created_policy=1
  fi
  trap '[[ $created_policy == 1 ]] && rm -f "$policy"' EXIT
  if ! apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null; then
    apt-get update >/dev/null
    apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null \
      || { echo "cannot install ${packages[*]} with apt-get" >&2; exit 1; }
  fi
fi

for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || [[ -x "/usr/sbin/$tool" ]] \
    || { echo "$tool is missing after installing ${packages[*]}" >&2; exit 1; }
done

# Stop any daemon a package script started anyway (no systemd here, so by PID).
for daemon in named bird bgpd zebra watchfrr staticd mgmtd tayga; do
  for pid in $(pgrep -x "$daemon" || true); do
    # Only daemons started by the init scripts (parent is PID 1), never a test's own ones.
    if [[ $(ps -o ppid= -p "$pid" | tr -d ' ') == 1 ]]; then
      echo "stopping $daemon (pid $pid) started by package installation"
      kill "$pid" 2>/dev/null || true
    fi
  done
done
