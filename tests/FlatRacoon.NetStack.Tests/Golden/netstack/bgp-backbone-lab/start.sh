#!/bin/sh
# Entry point of a bgp-backbone-lab pod. Rendered by FlatRacoon; do not edit.
set -eu
daemon="$1"
ordinal="${POD_NAME##*-}"
router=$(awk -v o="$ordinal" '$1 == o { print $2 }' /etc/bgp-lab/routers.txt)
address=$(awk -v o="$ordinal" '$1 == o { print $3 }' /etc/bgp-lab/routers.txt)
peer_ip() { getent ahostsv6 "${POD_NAME%-*}-$1.$LAB_SERVICE" | awk 'NR == 1 { print $1 }'; }
link() { # interface peer-ordinal peer-address
  until remote=$(peer_ip "$2") && [ -n "$remote" ]; do sleep 1; done
  ip -6 tunnel add "$1" mode ip6ip6 local "$POD_IP" remote "$remote"
  ip link set "$1" up
  ip -6 addr add "$address/128" dev "$1" nodad
  ip -6 route add "$3/128" dev "$1"
}
case "$router" in
  r1)
    link to-r2 1 2001:db8:b9f::2
    link to-r3 2 2001:db8:b9f::3
    ;;
  r2)
    link to-r1 0 2001:db8:b9f::1
    link to-r4 3 2001:db8:e4::1
    ;;
  r3)
    link to-r1 0 2001:db8:b9f::1
    ;;
  r4)
    link to-r2 1 2001:db8:b9f::2
    ;;
  *) echo "no router for ordinal $ordinal" >&2; exit 1 ;;
esac
if [ "$daemon" = bird ]; then
  exec bird -f -c "/etc/bgp-lab/$router.bird.conf" -s /tmp/bird.ctl
fi
cp "/etc/bgp-lab/$router.frr.conf" /etc/frr/frr.conf
exec /usr/lib/frr/docker-start
