// Checks an audit entry in the browser, trusting nothing but the verifier key: the entry's leaf
// hash, its RFC 9162 inclusion proof up to a root, that root against the one in a C2SP
// checkpoint, and the checkpoint's Ed25519 signed-note signature. Pure functions over bytes and
// WebCrypto (crypto.subtle); no DOM, so they run under Node too.

const subtle = () => globalThis.crypto && globalThis.crypto.subtle;

// A failed check, with a code the screens translate and a message for the log.
export class VerifyError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

export function utf8(text) { return new TextEncoder().encode(text); }

export function base64ToBytes(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new VerifyError('bad_base64', 'not base64: ' + String(text).slice(0, 20));
  }
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function bytesToBase64(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function toHex(bytes) { return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(''); }

export function equalBytes(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export function cryptoAvailable() { return !!subtle(); }

export async function sha256(bytes) {
  if (!subtle()) throw new VerifyError('no_webcrypto', 'WebCrypto is not available (needs HTTPS or localhost)');
  return new Uint8Array(await subtle().digest('SHA-256', bytes));
}

// RFC 9162 2.1.1: a leaf is SHA-256(0x00 || entry bytes), a node SHA-256(0x01 || left || right).
export function leafHash(canonical) { return sha256(concat(Uint8Array.of(0), utf8(canonical))); }
export function nodeHash(left, right) { return sha256(concat(Uint8Array.of(1), left, right)); }

// RFC 9162 2.1.3.2: the root an inclusion proof leads to from `leaf` at `index` in a tree of
// `size` leaves. Throws VerifyError when the proof has the wrong shape for that place.
export async function rootFromInclusionProof(index, size, leaf, proof) {
  let fn = BigInt(index);
  let sn = BigInt(size) - 1n;
  if (fn < 0n || fn > sn) throw new VerifyError('index_beyond_size', 'leaf index beyond the tree size');
  let r = leaf;
  for (const p of proof) {
    if (sn === 0n) throw new VerifyError('proof_too_long', 'inclusion proof too long');
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new VerifyError('proof_too_short', 'inclusion proof too short');
  return r;
}

const DASH = '\u2014 ';

// A C2SP signed note holding a tlog-checkpoint: {text (the signed bytes as a string: every line
// up to the blank line, each with its newline), origin, size (BigInt), root (bytes),
// extensions, signatures: [{name, keyId (number), signature (64 bytes)}]}.
export function parseCheckpointNote(note) {
  if (typeof note !== 'string' || !note.endsWith('\n')) throw new VerifyError('bad_checkpoint', 'note must end with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new VerifyError('bad_checkpoint', 'note has no signatures');
  const text = note.slice(0, split + 1);
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new VerifyError('bad_checkpoint', 'checkpoint needs origin, size and root');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!origin) throw new VerifyError('bad_checkpoint', 'empty origin');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw new VerifyError('bad_checkpoint', 'tree size is not a decimal number');
  const root = base64ToBytes(rootText);
  if (root.length !== 32) throw new VerifyError('bad_checkpoint', 'root is not 32 bytes');
  const signatures = [];
  for (const line of note.slice(split + 2, -1).split('\n')) {
    if (!line.startsWith(DASH)) throw new VerifyError('bad_checkpoint', 'signature line must start with an em dash');
    const rest = line.slice(DASH.length);
    const space = rest.indexOf(' ');
    if (space <= 0) throw new VerifyError('bad_checkpoint', 'signature line has no signature');
    const material = base64ToBytes(rest.slice(space + 1));
    if (material.length < 5) throw new VerifyError('bad_checkpoint', 'signature too short');
    const keyId = ((material[0] << 24) | (material[1] << 16) | (material[2] << 8) | material[3]) >>> 0;
    signatures.push({ name: rest.slice(0, space), keyId, signature: material.slice(4) });
  }
  if (!signatures.length) throw new VerifyError('bad_checkpoint', 'note has no signatures');
  return { text, origin, size: BigInt(sizeText), root, extensions, signatures };
}

// A signed-note verifier key "name+keyidhex+base64(0x01 || 32-byte Ed25519 key)", its key ID
// checked against SHA-256(name || "\n" || 0x01 || key)[0:4].
export async function parseVerifierKey(line) {
  const text = String(line).trim();
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) throw new VerifyError('bad_key', 'verifier key must be name+keyid+base64');
  const name = text.slice(0, first);
  const idHex = text.slice(first + 1, second);
  if (!name || /[\s+]/.test(name)) throw new VerifyError('bad_key', 'bad key name');
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new VerifyError('bad_key', 'key ID must be 8 hex digits');
  const material = base64ToBytes(text.slice(second + 1));
  if (material.length !== 33 || material[0] !== 1) throw new VerifyError('bad_key', 'not an Ed25519 verifier key');
  const publicKey = material.slice(1);
  const digest = await sha256(concat(utf8(name + '\n'), material));
  const keyId = ((digest[0] << 24) | (digest[1] << 16) | (digest[2] << 8) | digest[3]) >>> 0;
  if (keyId.toString(16).padStart(8, '0') !== idHex) throw new VerifyError('bad_key', 'key ID does not match the key');
  return { name, keyId, keyIdHex: idHex, publicKey, text };
}

// Every key of a keys file (one a line; blank lines and # comments skipped).
export async function parseVerifierKeys(text) {
  const keys = [];
  for (const line of String(text).split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    keys.push(await parseVerifierKey(trimmed));
  }
  return keys;
}

let ed25519Support = null;
// Whether this browser's WebCrypto does Ed25519 (Chrome 137+, Firefox 129+, Safari 17+).
export function ed25519Supported() {
  ed25519Support ??= (async () => {
    if (!subtle()) return false;
    try {
      // RFC 8032's first test key: a browser with Ed25519 imports it, one without refuses.
      const key = Uint8Array.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'.match(/../g), (x) => parseInt(x, 16));
      await subtle().importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
      return true;
    } catch {
      return false;
    }
  })();
  return ed25519Support;
}

export async function ed25519Verify(publicKey, signature, message) {
  const key = await subtle().importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  return subtle().verify({ name: 'Ed25519' }, key, signature, message);
}

// The checkpoint's signatures against `keys`: 'verified' when a key named after its origin signed
// it and every such signature holds; throws VerifyError for another log's checkpoint or a bad or
// unknown signature; 'unsupported' when the browser lacks Ed25519.
export async function verifyCheckpointSignature(checkpoint, keys) {
  // A log's key is named after its origin (the server names its key gongkai.audit.origin). Only
  // those keys speak for this log: a note over another origin, or one signed by a key of another
  // log that the inspector also trusts, is not this log's checkpoint.
  const own = keys.filter((k) => k.name === checkpoint.origin);
  if (!own.length) {
    throw new VerifyError('wrong_origin', 'the checkpoint is for another log: ' + checkpoint.origin);
  }
  const known = [];
  for (const s of checkpoint.signatures) {
    for (const k of own) if (k.name === s.name && k.keyId === s.keyId) known.push([s, k]);
  }
  if (!known.length) throw new VerifyError('unknown_key', 'the checkpoint is signed by no known key');
  if (!(await ed25519Supported())) return 'unsupported';
  for (const [s, k] of known) {
    if (s.signature.length !== 64 || !(await ed25519Verify(k.publicKey, s.signature, utf8(checkpoint.text)))) {
      throw new VerifyError('bad_signature', 'the checkpoint signature does not verify');
    }
  }
  return 'verified';
}

// The whole check of one entry.
//   entry: {seq, canonical, hash?} as GET /audit gives it
//   proof: the GET /audit/proof/inclusion answer {leaf_index, tree_size, leaf_hash, proof, checkpoint}
//   keys:  parsed verifier keys
// → {status: 'verified' | 'unsigned' | 'failed', code?, message?, root, treeSize, checkpoint}
//   'unsigned': the entry is in the tree whose root the checkpoint names, but this browser could
//   not check the signature (no Ed25519).
export async function verifyEntry(entry, proof, keys) {
  try {
    const index = BigInt(entry.seq) - 1n;
    if (BigInt(proof.leaf_index) !== index) throw new VerifyError('wrong_leaf', 'the proof is for another entry');
    let parsed;
    try { parsed = JSON.parse(entry.canonical); } catch { throw new VerifyError('bad_entry', 'the entry is not JSON'); }
    if (!parsed || BigInt(parsed.seq) !== BigInt(entry.seq)) throw new VerifyError('bad_entry', 'the entry names another sequence number');
    if (entry.hash && toHex(await sha256(utf8(entry.canonical))) !== entry.hash) {
      throw new VerifyError('entry_hash_mismatch', 'the entry bytes do not give the listed entry hash');
    }
    const leaf = await leafHash(entry.canonical);
    if (proof.leaf_hash && !equalBytes(leaf, base64ToBytes(proof.leaf_hash))) {
      throw new VerifyError('leaf_mismatch', 'the entry bytes do not give the leaf the server names');
    }
    if (!proof.checkpoint) throw new VerifyError('no_checkpoint', 'no signed checkpoint of that size');
    const checkpoint = parseCheckpointNote(proof.checkpoint);
    if (checkpoint.size !== BigInt(proof.tree_size)) throw new VerifyError('size_mismatch', 'the checkpoint is for another tree size');
    const root = await rootFromInclusionProof(proof.leaf_index, proof.tree_size, leaf, proof.proof.map(base64ToBytes));
    if (!equalBytes(root, checkpoint.root)) throw new VerifyError('root_mismatch', 'the proof does not lead to the signed root');
    const signature = await verifyCheckpointSignature(checkpoint, keys);
    return {
      status: signature === 'verified' ? 'verified' : 'unsigned',
      root: bytesToBase64(root), treeSize: Number(checkpoint.size), checkpoint,
    };
  } catch (err) {
    if (!(err instanceof VerifyError)) throw err;
    return { status: 'failed', code: err.code, message: err.message };
  }
}
