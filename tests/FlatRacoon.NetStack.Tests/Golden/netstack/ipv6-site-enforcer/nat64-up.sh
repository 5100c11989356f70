#!/bin/sh
# Starts the NAT64 gateway (tayga). Rendered by FlatRacoon; do not edit.
set -eu
conf="${1:-/etc/nat64/tayga.conf}"
tayga -c "$conf" --mktun
ip link set nat64 up
ip route add 192.168.255.0/24 dev nat64
ip -6 route add 2001:db8:f1a7:64::/96 dev nat64
sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
exec tayga -c "$conf" --nodetach
