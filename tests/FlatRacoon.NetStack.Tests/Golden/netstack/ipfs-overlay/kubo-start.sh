#!/bin/sh
# Prepares the kubo repository: the identity (first start only), the rendered configuration
# with this pod's addresses filled in, and the private network key. It refuses to start a
# peer that has no address inside the overlay: there is no fallback to other interfaces.
set -eu
overlay_prefix='2001:db8:f1a7:2e00::/64'
addr=''
tries=0
while [ -z "$addr" ] && [ "$tries" -lt 30 ]; do
  addr=$(ip -6 -o addr show dev net1 scope global to "$overlay_prefix" 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -n 1)
  [ -n "$addr" ] || { tries=$((tries + 1)); sleep 2; }
done
[ -n "$addr" ] || { echo "no address inside $overlay_prefix on net1: is the pod attached to zerotier-k8s-link/zerotier-overlay?" >&2; exit 1; }
case "${POD_IP:?}" in *:*) ;; *) echo "pod address $POD_IP is not IPv6" >&2; exit 1 ;; esac
repo="${IPFS_PATH:?}"
etc="${KUBO_CONFIG_DIR:-/etc/kubo}"
tmp="${TMPDIR:-/tmp}"
[ -f "$repo/config" ] || ipfs init --empty-repo --profile=server >/dev/null
peer=$(ipfs config Identity.PeerID)
sed -e "s|@OVERLAY_ADDRESS@|$addr|g" -e "s|@POD_ADDRESS@|$POD_IP|g" -e "s|@PEER_ID@|$peer|g" "$etc/config.json" > "$tmp/kubo-config.json"
ipfs config replace "$tmp/kubo-config.json"
rm -f "$tmp/kubo-config.json"
# Peer with every earlier peer (0..k-1) at the addresses it announces (overlay only): with no
# bootstrap, no MDNS and private routing, this is how the swarm members find each other.
# kubo keeps peering connections up and reconnects them.
ordinal=${HOSTNAME##*-}
peers=''
j=0
while [ "$j" -lt "$ordinal" ]; do
  info=$(ipfs --api="/dns6/ipfs-overlay-$j.ipfs-overlay/tcp/5001" --timeout=10s id --enc=json 2>/dev/null || true)
  id=$(echo "$info" | grep -o '"ID": *"[^"]*"' | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')
  addrs=$(echo "$info" | grep -o '"/ip6/[^"]*/p2p/' | sed 's|/p2p/$|"|' | sort -u | paste -s -d, -)
  if [ -n "$id" ] && [ -n "$addrs" ]; then
    peers="${peers:+$peers,}{\"ID\":\"$id\",\"Addrs\":[$addrs]}"
  else
    echo "peer ipfs-overlay-$j did not answer; continuing without it" >&2
  fi
  j=$((j + 1))
done
ipfs config --json Peering.Peers "[$peers]"
install -m 0400 "$etc/swarm/swarm.key" "$repo/swarm.key"
echo "kubo $peer: swarm and announce on /ip6/$addr only (overlay $overlay_prefix); RPC API on /ip6/$POD_IP"
