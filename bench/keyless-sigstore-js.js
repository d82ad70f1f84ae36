// Keyless verification of a sigstore bundle with sigstore-js (@sigstore/verify), offline,
// against a trusted_root.json: the peer bench/keyless.sh measures vouch against.
//   node keyless-sigstore-js.js BUNDLE TRUSTED_ROOT ARTIFACT IDENTITY ISSUER
// Prints "VERIFIED" (exit 0) or "FAILED <message>" (exit 1).
'use strict';
const fs = require('fs');
const { bundleFromJSON } = require('@sigstore/bundle');
const { TrustedRoot } = require('@sigstore/protobuf-specs');
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');

const [bundlePath, rootPath, artifact, identity, issuer] = process.argv.slice(2);
const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundlePath, 'utf8')));
const trust = toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(rootPath, 'utf8'))));
const verifier = new Verifier(trust, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 0 });
try {
  verifier.verify(toSignedEntity(bundle, fs.readFileSync(artifact)),
    { subjectAlternativeName: identity, extensions: { issuer } });
  console.log('VERIFIED');
} catch (e) {
  console.log(`FAILED ${e.message}`);
  process.exit(1);
}
