#!/usr/bin/env python3
"""Derives the fake API server's structured-merge-diff table (list types, map keys, required fields)
from the Kubernetes OpenAPI document that Debian's golang-k8s-kube-openapi-dev ships
(test/integration/testdata/aggregator/openapi.json: Kubernetes v1.14.0), plus overrides.json.

The rule is the API server's own (kube-openapi schemaconv): x-kubernetes-list-type (with
x-kubernetes-list-map-keys) when present; otherwise x-kubernetes-patch-strategy 'merge' with
x-kubernetes-patch-merge-key makes an associative list keyed by the merge key, 'merge' without a
key makes a set; any other list is atomic (atomic lists are not written: atomic is the default).
'patch' records the strategic-merge-patch strategy of each field as the document states it
(x-kubernetes-patch-strategy, ':' and x-kubernetes-patch-merge-key): what a strategic merge patch
merges by key, merges as a set of primitives, or (retainKeys) clears.

usage: derive-list-types.py [OPENAPI_JSON]   (without an argument it downloads and unpacks the
Debian package with apt-get download into a temporary folder)
Writes src/FlatRacoon.FakeApiServer/Data/kubernetes-schema.json (deterministic bytes).
"""
import hashlib, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'src', 'FlatRacoon.FakeApiServer', 'Data', 'kubernetes-schema.json')
PACKAGE = 'golang-k8s-kube-openapi-dev'
INNER = 'usr/share/gocode/src/k8s.io/kube-openapi/test/integration/testdata/aggregator/openapi.json'
# The built-in kinds the fake serves (FakeResources.BuiltIn), as group/version/Kind.
KINDS = [
    '/v1/Namespace', '/v1/ConfigMap', '/v1/Secret', '/v1/Service', '/v1/ServiceAccount',
    '/v1/PersistentVolumeClaim', '/v1/Pod', 'apps/v1/Deployment', 'apps/v1/StatefulSet',
    'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1beta1/CronJob', 'networking.k8s.io/v1/NetworkPolicy',
    'extensions/v1beta1/Ingress', 'rbac.authorization.k8s.io/v1/Role', 'rbac.authorization.k8s.io/v1/RoleBinding',
    'rbac.authorization.k8s.io/v1/ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
    'policy/v1beta1/PodDisruptionBudget', 'apiextensions.k8s.io/v1beta1/CustomResourceDefinition',
    'autoscaling/v1/HorizontalPodAutoscaler',
]
# Kinds v1.14 serves only at an older version: the table is written under the version the fake serves.
SERVED_AS = {
    'batch/v1beta1/CronJob': 'batch/v1/CronJob',
    'extensions/v1beta1/Ingress': 'networking.k8s.io/v1/Ingress',
    'policy/v1beta1/PodDisruptionBudget': 'policy/v1/PodDisruptionBudget',
    'apiextensions.k8s.io/v1beta1/CustomResourceDefinition': 'apiextensions.k8s.io/v1/CustomResourceDefinition',
}


def load_document(argv):
    if len(argv) > 1:
        return argv[1], None
    tmp = tempfile.mkdtemp(prefix='kube-openapi-')
    subprocess.run(['apt-get', 'download', PACKAGE], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    deb = next(f for f in os.listdir(tmp) if f.endswith('.deb'))
    version = subprocess.run(['dpkg-deb', '-f', os.path.join(tmp, deb), 'Version'], check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run(['dpkg-deb', '-x', deb, 'x'], cwd=tmp, check=True)
    return os.path.join(tmp, 'x', INNER), version


def list_type(prop, name, overrides):
    if name in overrides:
        return overrides[name]['listType']
    t = prop.get('x-kubernetes-list-type')
    if t == 'map':
        return 'map:' + ','.join(prop['x-kubernetes-list-map-keys'])
    if t in ('set', 'atomic'):
        return t
    strategy = prop.get('x-kubernetes-patch-strategy', '')
    if 'merge' in strategy.split(','):
        key = prop.get('x-kubernetes-patch-merge-key')
        return 'map:' + key if key else 'set'
    return 'atomic'


def main(argv):
    path, version = load_document(argv)
    raw = open(path, 'rb').read()
    doc = json.loads(raw)
    defs = doc['definitions']
    overrides = json.load(open(os.path.join(HERE, 'overrides.json')))['overrides']
    by_gvk = {}
    for name, d in defs.items():
        for gvk in d.get('x-kubernetes-group-version-kind', []):
            by_gvk[f"{gvk['group']}/{gvk['version']}/{gvk['kind']}"] = name

    kinds = {}
    for gvk in KINDS:
        root = by_gvk[gvk]
        lists, required, patch = {}, [], {}

        def walk(def_name, prefix, stack):
            d = defs[def_name]
            for req in d.get('required', []):
                if prefix or req not in ('apiVersion', 'kind', 'metadata'):
                    required.append(prefix + req)
            for prop_name, prop in sorted(d.get('properties', {}).items()):
                path = prefix + prop_name
                strategy = prop.get('x-kubernetes-patch-strategy')
                if strategy:
                    key = prop.get('x-kubernetes-patch-merge-key')
                    patch[path] = strategy + (':' + key if key else '')
                if prop.get('type') == 'array':
                    t = list_type(prop, f'{def_name}.{prop_name}', overrides)
                    if t != 'atomic':
                        lists[path] = t
                    ref = prop.get('items', {}).get('$ref')
                    if ref:
                        target = ref.split('/')[-1]
                        if target not in stack:
                            walk(target, path + '[].', stack | {target})
                elif '$ref' in prop:
                    target = prop['$ref'].split('/')[-1]
                    if target not in stack:
                        walk(target, path + '.', stack | {target})

        walk(root, '', {root})
        kinds[SERVED_AS.get(gvk, gvk)] = {'lists': dict(sorted(lists.items())), 'patch': dict(sorted(patch.items())), 'required': sorted(set(required))}

    table = {
        'source': {
            'package': f'Debian {PACKAGE}' + (f' {version}' if version else ''),
            'file': '/' + INNER,
            'kubernetes': doc['info']['version'],
            'sha256': hashlib.sha256(raw).hexdigest(),
            'overrides': 'tools/fake-api-server/overrides.json',
            'patch': 'x-kubernetes-patch-strategy[:x-kubernetes-patch-merge-key] as the document states it (strategic merge patch)',
            'rule': 'kube-openapi schemaconv: x-kubernetes-list-type/-list-map-keys, else patch-strategy merge + patch-merge-key; atomic when neither',
        },
        'kinds': dict(sorted(kinds.items())),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', newline='\n') as f:
        json.dump(table, f, indent=1, sort_keys=False)
        f.write('\n')
    print(f'wrote {os.path.relpath(OUT)}: {len(kinds)} kinds, {sum(len(k["lists"]) for k in kinds.values())} non-atomic lists')


if __name__ == '__main__':
    sys.exit(main(sys.argv))
