// Verify a sigstore bundle (message signature or DSSE) or a bare DSSE envelope with
// sigstore-js (@sigstore/verify), offline, trusting one public key and no tlog/CT/TSA.
//   node sigstore-verify.js BUNDLE_OR_ENVELOPE.json PUB.pem [ARTIFACT]
// Prints "VERIFIED" (exit 0) or "FAILED <code> <message>" (exit 1); other errors exit 2.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { bundleFromJSON, envelopeFromJSON, toDSSEBundle } = require('@sigstore/bundle');
const { Verifier, toSignedEntity, toTrustMaterial } = require('@sigstore/verify');

function main(argv) {
  if (argv.length < 2 || argv.length > 3) {
    console.error('usage: node sigstore-verify.js BUNDLE_OR_ENVELOPE PUB.pem [ARTIFACT]');
    return 2;
  }
  const doc = JSON.parse(fs.readFileSync(argv[0], 'utf8'));
  const publicKey = crypto.createPublicKey(fs.readFileSync(argv[1], 'utf8'));
  // Every hint maps to the one trusted key: hints are unauthenticated, the key is what counts.
  const keyFinder = () => ({ publicKey, validFor: () => true });
  const trust = toTrustMaterial(
    { tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] }, keyFinder);
  const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
  let entity;
  if (doc.mediaType !== undefined) {
    const bundle = bundleFromJSON(doc);
    entity = argv[2] !== undefined ? toSignedEntity(bundle, fs.readFileSync(argv[2]))
                                   : toSignedEntity(bundle);
  } else {
    const env = envelopeFromJSON(doc);
    entity = toSignedEntity(toDSSEBundle({
      artifact: Buffer.from(env.payload), artifactType: env.payloadType,
      signature: Buffer.from(env.signatures[0].sig), keyHint: 'k' }));
  }
  try {
    verifier.verify(entity);
  } catch (e) {
    console.log(`FAILED ${e.code || ''} ${e.message}`);
    return 1;
  }
  console.log('VERIFIED');
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`error: ${e.message}`);
  process.exitCode = 2;
}
