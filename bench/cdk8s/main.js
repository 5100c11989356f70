// The cdk8s side of bench/compare-render.sh: the same synthetic stack FlatRacoon renders
// (per module a Namespace, ServiceAccount, ConfigMap, Deployment and Service with the same
// fields, labels and probes), synthesized by cdk8s's own App.synth() (what `cdk8s synth` runs)
// into one YAML file per chart, cdk8s's default output.
// With CDK8S_CHARTS=one all modules go into a single chart (one file): cdk8s 2.x's chart.toJson()
// resolves and validates the whole app for every chart, so one chart per module grows with the
// square of the number of modules; one chart is the fastest way to use cdk8s at 10,000 modules.
// usage: [CDK8S_CHARTS=one] node main.js <modules> <out-dir>
'use strict';
const crypto = require('node:crypto');
const { App, Chart, ApiObject } = require('cdk8s');

const [modulesText, outdir] = process.argv.slice(2);
const modules = Number(modulesText);
if (!outdir || !Number.isInteger(modules) || modules <= 0) {
  console.error('usage: node main.js <modules> <out-dir>');
  process.exit(2);
}

const stack = 'synthetic';
const digits = Math.max(4, String(modules - 1).length);
const applyset = 'applyset-' + crypto.createHash('sha256').update(`${stack}-applyset.flatracoon-system.ConfigMap.`).digest('base64url') + '-v1';
const app = new App({ outdir });
const oneChart = process.env.CDK8S_CHARTS === 'one' ? new Chart(app, 'synthetic') : null;

for (let i = 0; i < modules; i++) {
  const name = 'm' + String(i).padStart(digits, '0');
  const wave = String(1 + Math.floor(i / Math.ceil(modules / 10)));
  // In one chart the construct ids carry the module's name (the objects' names are explicit either way).
  const chart = oneChart ?? new Chart(app, name);
  const id = (part) => (oneChart ? `${name}-${part}` : part);
  const labels = {
    'app.kubernetes.io/managed-by': 'flatracoon',
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': stack,
    'app.kubernetes.io/version': '1.0.0',
    'applyset.kubernetes.io/part-of': applyset,
    'flatracoon.io/layer': 'network',
    'flatracoon.io/module': name,
  };
  const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': stack };
  const meta = (objectName, w = wave) => ({ name: objectName, namespace: name, annotations: { 'flatracoon.io/wave': w }, labels });
  const config = '{}';
  const probe = (period, failures) => ({ httpGet: { path: '/healthz', port: 'health' }, periodSeconds: period, timeoutSeconds: 5, failureThreshold: failures });

  new ApiObject(chart, id('ns'), {
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name, annotations: { 'flatracoon.io/wave': '0' }, labels: { ...labels, 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' } },
  });
  new ApiObject(chart, id('sa'), { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name), automountServiceAccountToken: false });
  new ApiObject(chart, id('config'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name + '-config'), data: { 'config.json': config + '\n' } });
  new ApiObject(chart, id('deployment'), {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name),
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { annotations: { 'flatracoon.io/config-sha256': crypto.createHash('sha256').update(config).digest('hex') }, labels: selector },
        spec: {
          automountServiceAccountToken: false,
          containers: [{
            env: [
              { name: 'FLATRACOON_CONFIG', value: '/etc/flatracoon/config.json' },
              { name: 'FLATRACOON_ENVIRONMENT', value: 'default' },
              { name: 'FLATRACOON_MODULE', value: name },
            ],
            image: 'ghcr.io/example/m:1.0.0',
            imagePullPolicy: 'IfNotPresent',
            livenessProbe: probe(20, 6),
            name,
            ports: [{ containerPort: 8080, name: 'health', protocol: 'TCP' }, { containerPort: 9090, name: 'metrics', protocol: 'TCP' }],
            readinessProbe: probe(10, 3),
            resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
            securityContext: {
              allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true,
              runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' },
            },
            volumeMounts: [{ mountPath: '/etc/flatracoon', name: 'config', readOnly: true }, { mountPath: '/tmp', name: 'tmp' }],
          }],
          enableServiceLinks: false,
          securityContext: { fsGroup: 65532, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          serviceAccountName: name,
          volumes: [{ configMap: { name: name + '-config' }, name: 'config' }, { emptyDir: { sizeLimit: '64Mi' }, name: 'tmp' }],
        },
      },
    },
  });
  new ApiObject(chart, id('service'), {
    apiVersion: 'v1', kind: 'Service', metadata: meta(name),
    spec: {
      ipFamilies: ['IPv6'], ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'health', port: 8080, protocol: 'TCP', targetPort: 'health' }, { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 'metrics' }],
      selector,
    },
  });
}

app.synth();
console.log(`cdk8s synth ${modules} modules: ${app.charts.length} charts written to ${outdir}`);
