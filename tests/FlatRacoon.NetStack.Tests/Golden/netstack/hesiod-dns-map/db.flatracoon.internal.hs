; Hesiod zone flatracoon.internal, class HS. Rendered by FlatRacoon from the stack; do not edit.
$ORIGIN flatracoon.internal.
$TTL 3600
@ HS SOA hesiod-dns-map.hesiod-dns-map.svc.cluster.local. hostmaster.flatracoon.internal. ( 1538891753 3600 600 604800 300 )
@ HS NS hesiod-dns-map.hesiod-dns-map.svc.cluster.local.
2000.gid.ns.flatracoon.internal. HS CNAME netops.group.ns.flatracoon.internal.
2001.uid.ns.flatracoon.internal. HS CNAME ops.passwd.ns.flatracoon.internal.
bgp-backbone-lab.service.ns.flatracoon.internal. HS TXT "bgp-backbone-lab.bgp-backbone-lab.svc.cluster.local:179:tcp"
flatracoon-os.service.ns.flatracoon.internal. HS TXT "flatracoon-os.flatracoon-os.svc.cluster.local:8080:tcp"
hesiod-dns-map.service.ns.flatracoon.internal. HS TXT "hesiod-dns-map.hesiod-dns-map.svc.cluster.local:53:tcp"
hesiod-dns-map.service.ns.flatracoon.internal. HS TXT "hesiod-dns-map.hesiod-dns-map.svc.cluster.local:53:udp"
hesiod-dns-map.service.ns.flatracoon.internal. HS TXT "hesiod-dns-map.hesiod-dns-map.svc.cluster.local:9119:tcp"
ipfs-overlay.service.ns.flatracoon.internal. HS TXT "ipfs-overlay-api.ipfs-overlay.svc.cluster.local:5001:tcp"
ipfs-overlay.service.ns.flatracoon.internal. HS TXT "ipfs-overlay.ipfs-overlay.svc.cluster.local:5001:tcp"
ipv6-site-enforcer.service.ns.flatracoon.internal. HS TXT "ipv6-site-enforcer-dns64.ipv6-site-enforcer.svc.cluster.local:53:tcp"
ipv6-site-enforcer.service.ns.flatracoon.internal. HS TXT "ipv6-site-enforcer-dns64.ipv6-site-enforcer.svc.cluster.local:53:udp"
ipv6-site-enforcer.service.ns.flatracoon.internal. HS TXT "ipv6-site-enforcer.ipv6-site-enforcer.svc.cluster.local:8080:tcp"
netops.group.ns.flatracoon.internal. HS TXT "netops:*:2000:ops"
network-dashboard.service.ns.flatracoon.internal. HS TXT "network-dashboard.network-dashboard.svc.cluster.local:8080:tcp"
ops.filsys.ns.flatracoon.internal. HS TXT "NFS /export/home/ops nfs.flatracoon.internal rw /home/ops"
ops.passwd.ns.flatracoon.internal. HS TXT "ops:*:2001:2000:Site operations:/home/ops:/bin/bash"
poly-k8s-mcp.service.ns.flatracoon.internal. HS TXT "poly-k8s-mcp.poly-k8s-mcp.svc.cluster.local:8080:tcp"
poly-observability-mcp.service.ns.flatracoon.internal. HS TXT "poly-observability-mcp.poly-observability-mcp.svc.cluster.local:8080:tcp"
poly-secret-mcp.service.ns.flatracoon.internal. HS TXT "poly-secret-mcp.poly-secret-mcp.svc.cluster.local:8080:tcp"
twingate-helm-deploy.service.ns.flatracoon.internal. HS TXT "twingate-helm-deploy-0.twingate-helm-deploy.svc.cluster.local:9999:tcp"
twingate-helm-deploy.service.ns.flatracoon.internal. HS TXT "twingate-helm-deploy-1.twingate-helm-deploy.svc.cluster.local:9999:tcp"
