// The workbench's in-browser verifier (web/src/verify.js) under Node's WebCrypto: a one-entry log
// signed by a fresh Ed25519 key, checked as the inspector's screen checks it, and the ways a
// server could try to pass off something else (another log's checkpoint, a bad signature, a key
// the inspector does not hold). The real server's checkpoints are checked end to end in
// tests/web/walks/inspector.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  bytesToBase64, leafHash, parseVerifierKeys, sha256, utf8, verifyEntry,
} from '../../web/src/verify.js';

const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};

// A signing key named `name` and its verifier key line (name+keyid+base64(0x01 || key)).
async function signer(name) {
  const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
  const material = concat(Uint8Array.of(1), new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));
  const keyId = (await sha256(concat(utf8(name + '\n'), material))).slice(0, 4);
  const hex = Array.from(keyId, (b) => b.toString(16).padStart(2, '0')).join('');
  return { name, keyId, privateKey: pair.privateKey, line: `${name}+${hex}+${bytesToBase64(material)}` };
}

// A C2SP signed note of the checkpoint `origin / size / root`, signed by `key`.
async function checkpointNote(key, origin, size, root) {
  const text = `${origin}\n${size}\n${bytesToBase64(root)}\n`;
  const signature = new Uint8Array(await crypto.subtle.sign('Ed25519', key.privateKey, utf8(text)));
  return `${text}\n\u2014 ${key.name} ${bytesToBase64(concat(key.keyId, signature))}\n`;
}

// The first entry of a log and its proof in a one-leaf tree, as GET /audit and
// GET /audit/proof/inclusion give them, with the checkpoint `note`.
async function firstEntry(origin, key) {
  const entry = { seq: 1, canonical: '{"action":"document.create","seq":1}' };
  const leaf = await leafHash(entry.canonical);
  const proof = {
    leaf_index: 0, tree_size: 1, leaf_hash: bytesToBase64(leaf), proof: [],
    checkpoint: await checkpointNote(key, origin, 1, leaf),
  };
  return { entry, proof };
}

test('an entry signed into its own log verifies', async () => {
  const key = await signer('gongkai.example');
  const { entry, proof } = await firstEntry('gongkai.example', key);
  const result = await verifyEntry(entry, proof, await parseVerifierKeys(key.line));
  assert.equal(result.status, 'verified', result.message);
  assert.equal(result.treeSize, 1);
});

test('a checkpoint of another origin, though signed by the known key, is refused', async () => {
  const key = await signer('gongkai.example');
  const { entry, proof } = await firstEntry('another.log', key);
  const result = await verifyEntry(entry, proof, await parseVerifierKeys(key.line));
  assert.equal(result.status, 'failed');
  assert.equal(result.code, 'wrong_origin');
});

test('a checkpoint signed only by the key of another trusted log is refused', async () => {
  const ours = await signer('gongkai.example');
  const theirs = await signer('another.log');
  const keys = await parseVerifierKeys(`${ours.line}\n${theirs.line}\n`);
  const { entry, proof } = await firstEntry('gongkai.example', theirs);
  const result = await verifyEntry(entry, proof, keys);
  assert.equal(result.status, 'failed');
  assert.equal(result.code, 'unknown_key');
});

test('a checkpoint signed by a key the inspector does not hold is refused', async () => {
  const known = await signer('gongkai.example');
  const impostor = await signer('gongkai.example');
  const { entry, proof } = await firstEntry('gongkai.example', impostor);
  const result = await verifyEntry(entry, proof, await parseVerifierKeys(known.line));
  assert.equal(result.status, 'failed');
  assert.equal(result.code, 'unknown_key');
});

test('an altered checkpoint or entry fails', async () => {
  const key = await signer('gongkai.example');
  const keys = await parseVerifierKeys(key.line);
  const { entry, proof } = await firstEntry('gongkai.example', key);
  // The checkpoint with the signature the key made over another root.
  const other = await checkpointNote(key, 'gongkai.example', 1, new Uint8Array(32));
  const signatureLine = other.slice(other.lastIndexOf('\n\n'));
  const forged = { ...proof, checkpoint: proof.checkpoint.slice(0, proof.checkpoint.lastIndexOf('\n\n')) + signatureLine };
  assert.equal((await verifyEntry(entry, forged, keys)).code, 'bad_signature');
  const altered = { ...entry, canonical: entry.canonical.replace('create', 'delete') };
  assert.equal((await verifyEntry(altered, proof, keys)).code, 'leaf_mismatch');
});
