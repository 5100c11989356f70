// Offline schema validation of rendered Kubernetes objects.
//
// Usage: node validate.mjs <file-or-directory>...
// A directory with a kustomization.yaml is a render: the files its `resources:` list are
// validated (text artifacts beside them, such as a Helm values.yaml, are not objects). Other
// directories are walked for *.yaml files. Every YAML document is matched by apiVersion and kind to a model of
// kubernetes-models (Kubernetes 1.27 schemas) or of a CRD model package
// (@kubernetes-models/prometheus-operator, @kubernetes-models/external-secrets) and validated
// with its JSON schema. Kinds without an npm model are checked by the hand-written rules in
// CUSTOM_KINDS below (required fields only). A kind known to neither is an error.
// Prints one line per problem and "validated N objects in M files"; exits 1 on any problem.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createRequire } from "node:module";
import { parse, parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const PACKAGES = ["kubernetes-models", "@kubernetes-models/prometheus-operator", "@kubernetes-models/external-secrets"];

async function loadModels() {
  const models = new Map();
  for (const pkg of PACKAGES) {
    const manifest = JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8"));
    const subpaths = Object.keys(manifest.exports ?? {}).filter((p) => /^\.\/([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(p));
    for (const subpath of subpaths) {
      const mod = await import(`${pkg}/${subpath.slice(2)}`);
      for (const value of Object.values(mod)) {
        if (typeof value === "function" && typeof value.apiVersion === "string" && typeof value.kind === "string") {
          models.set(`${value.apiVersion}/${value.kind}`, value);
        }
      }
    }
  }
  return models;
}

// CRDs that no npm model package covers: their required fields, checked by hand.
const CUSTOM_KINDS = {
  // Multus (k8s.cni.cncf.io): spec.config must be a CNI configuration as a JSON string.
  "k8s.cni.cncf.io/v1/NetworkAttachmentDefinition": (obj) => {
    const errors = [];
    const config = obj.spec?.config;
    if (typeof config !== "string") {
      errors.push("spec.config must be a string holding the CNI configuration JSON");
    } else {
      try {
        const cni = JSON.parse(config);
        if (typeof cni.cniVersion !== "string") errors.push("spec.config: cniVersion is required");
        if (typeof cni.type !== "string" && !Array.isArray(cni.plugins)) errors.push("spec.config: type or plugins is required");
      } catch (e) {
        errors.push(`spec.config is not JSON: ${e.message}`);
      }
    }
    return errors;
  },
};

function checkMetadata(obj) {
  const errors = [];
  if (typeof obj.apiVersion !== "string" || obj.apiVersion === "") errors.push("apiVersion is required");
  if (typeof obj.kind !== "string" || obj.kind === "") errors.push("kind is required");
  if (typeof obj.metadata?.name !== "string" || obj.metadata.name === "") errors.push("metadata.name is required");
  return errors;
}

function yamlFiles(path) {
  if (statSync(path).isDirectory() && existsSync(join(path, "kustomization.yaml"))) {
    const kustomization = parse(readFileSync(join(path, "kustomization.yaml"), "utf8"));
    return (kustomization.resources ?? []).map((resource) => join(path, resource));
  }
  if (statSync(path).isDirectory()) {
    return readdirSync(path).sort().flatMap((entry) => yamlFiles(join(path, entry)));
  }
  return path.endsWith(".yaml") && !path.endsWith("kustomization.yaml") ? [path] : [];
}

const roots = process.argv.slice(2);
if (roots.length === 0) {
  console.error("usage: node validate.mjs <file-or-directory>...");
  process.exit(2);
}
const models = await loadModels();
let problems = 0;
let objects = 0;
const files = roots.flatMap(yamlFiles);
for (const file of files) {
  const name = relative(process.cwd(), file);
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) console.log(`${name}: YAML error: ${e.message}`);
      problems += doc.errors.length;
      continue;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue;
    objects++;
    const what = `${name}: ${obj.kind ?? "?"} ${obj.metadata?.name ?? "?"}`;
    const errors = checkMetadata(obj);
    const key = `${obj.apiVersion}/${obj.kind}`;
    const Model = models.get(key);
    if (Model) {
      try {
        new Model(obj).validate();
      } catch (e) {
        const details = Array.isArray(e.errors) && e.errors.length > 0
          ? e.errors.map((x) => `${x.instancePath || "/"} ${x.message}`).join("; ")
          : e.message;
        errors.push(details);
      }
    } else if (CUSTOM_KINDS[key]) {
      errors.push(...CUSTOM_KINDS[key](obj));
    } else {
      errors.push(`no schema for ${key}: add a model package or a rule in CUSTOM_KINDS`);
    }
    for (const e of errors) console.log(`${what}: ${e}`);
    problems += errors.length;
  }
}
console.log(`validated ${objects} objects in ${files.length} files, ${problems} problems`);
process.exit(problems === 0 ? 0 : 1);
