// Validate each document of the YAML files named on the command line against the
// Kubernetes OpenAPI schemas as kubernetes-models ships them (JSON schemas generated from
// the API's OpenAPI document, checked with ajv; cert-manager's from its CRDs). Prints
// "ok KIND NAME" or "FAIL FILE: KIND NAME: reason" per document; exit 1 when any fails,
// including a kind with no schema here. For tests/interop/test_deploy_schemas.sh.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
const groups = { "v1": "v1", "apps/v1": "apps/v1", "policy/v1": "policy/v1",
  "admissionregistration.k8s.io/v1": "admissionregistration.k8s.io/v1",
  "cert-manager.io/v1": "@kubernetes-models/cert-manager/cert-manager.io/v1" };
let bad = 0;
for (const f of process.argv.slice(2)) {
  for (const d of parseAllDocuments(readFileSync(f, "utf8"))) {
    const o = d.toJS();
    if (!o) continue;
    const mod = groups[o.apiVersion];
    if (!mod) { console.log(`FAIL ${f}: no schema for ${o.apiVersion}`); bad = 1; continue; }
    const m = await import(mod.startsWith("@") ? `${mod}/${o.kind}` : `kubernetes-models/${mod}/${o.kind}`);
    const Cls = m[o.kind] ?? m.default;
    try { new Cls(o).validate(); console.log(`ok ${o.kind} ${o.metadata?.name}`); }
    catch (e) { console.log(`FAIL ${f}: ${o.kind} ${o.metadata?.name}: ${e.message.split("\n")[0]}`); bad = 1; }
  }
}
process.exit(bad);
