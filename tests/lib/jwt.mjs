// Tokens made by hand, to attack the verifier: base64url, decoding, and
// forgeToken() with node:crypto — ES256 with a PEM private key (the stack's
// own key from its keys directory, so that only a claim check can refuse
// the token, or an attacker's key), HS256/HS512 with a secret, or alg none.

import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keysDir } from './env.mjs';

export function b64url(data) {
  return Buffer.from(data).toString('base64url');
}

export function b64urlDecode(s) {
  return Buffer.from(s, 'base64url');
}

/** {header, payload, signature} of a compact JWS (no verification). */
export function decodeToken(token) {
  const [h, p, s] = token.split('.');
  return { header: JSON.parse(b64urlDecode(h)), payload: JSON.parse(b64urlDecode(p)), signature: s };
}

/** The kid the stack signs with (keys_dir/current). */
export function currentKid() {
  return readFileSync(join(keysDir(), 'current'), 'utf8').trim();
}

/** The stack's current signing key (a KeyObject), read from its keys directory. */
export function signingKey() {
  return createPrivateKey(readFileSync(join(keysDir(), `${currentKid()}.pem`)));
}

/** The PEM (SPKI) of the stack's current public key, as tutoratd holds it. */
export function publicKeyPem() {
  return createPublicKey(signingKey()).export({ type: 'spki', format: 'pem' });
}

/** A P-256 key of an attacker's own. */
export function attackerKey() {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

/**
 * forgeToken({header, payload, key, secret, alg, rawHeader, rawPayload})
 *
 * header/payload: objects serialised with JSON.stringify; rawHeader /
 * rawPayload: the exact JSON text instead (duplicate keys, odd spacing).
 * The signing algorithm is `alg` when given, else the header's alg:
 *   ES256 (any spelling)   with `key` (a KeyObject or a PEM): raw r||s, 64 bytes
 *   HS256 / HS384 / HS512  with `secret` (string or Buffer)
 *   none                   empty signature
 * so a header may say "es256" while the token is signed ES256 for real.
 */
export function forgeToken({ header, payload, key, secret, alg, rawHeader, rawPayload }) {
  const h = rawHeader ?? JSON.stringify(header);
  const p = rawPayload ?? JSON.stringify(payload);
  const input = `${b64url(h)}.${b64url(p)}`;
  const how = (alg ?? header?.alg ?? 'ES256').toUpperCase();
  let sig;
  if (how === 'ES256') {
    if (!key) throw new Error('forgeToken: ES256 needs a key');
    sig = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  } else if (/^HS(256|384|512)$/.test(how)) {
    if (secret === undefined) throw new Error(`forgeToken: ${how} needs a secret`);
    sig = createHmac(`sha${how.slice(2)}`, secret).update(input).digest();
  } else if (how === 'NONE') {
    sig = Buffer.alloc(0);
  } else {
    throw new Error(`forgeToken: unknown algorithm ${how}`);
  }
  return `${input}.${b64url(sig)}`;
}

/**
 * A token like the stack's own for the given claims: header {alg, typ, kid}
 * of the current key, signed with the real key. Claims given as undefined
 * are removed.
 */
export function resign(payload, { header = {}, key } = {}) {
  const h = { alg: 'ES256', typ: 'JWT', kid: currentKid(), ...header };
  for (const k of Object.keys(h)) if (h[k] === undefined) delete h[k];
  const p = { ...payload };
  for (const k of Object.keys(p)) if (p[k] === undefined) delete p[k];
  return forgeToken({ header: h, payload: p, key: key ?? signingKey(), alg: 'ES256' });
}
