// Attacks on the access token (issue §3, "Tokens"). Each forged token is
// built from a live session's real token and, where the attack is on a
// claim or a header member, signed with the stack's real key: the only
// thing wrong with it is the one defect under test, so each test fails if
// that one check is removed. The control tests prove that an untouched
// re-signed token is accepted.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  get, post, show, login, assertProblem, pollUntil, academy, sleep,
  b64url, b64urlDecode, decodeToken, forgeToken, resign, currentKid, signingKey, publicKeyPem, attackerKey,
} from '../lib/index.mjs';

let lyon, grenoble; // {token, payload, header, me}

before(async () => {
  for (const [name, code, user] of [['lyon', 'lyon', 'stagiaire1'], ['grenoble', 'grenoble', 'admin']]) {
    const s = await login(code, user);
    const d = decodeToken(s.token);
    const me = await get('/api/v1/auth/me', { token: s.token });
    assert.equal(me.status, 200, show(me));
    const v = { ...s, ...d, me: me.body };
    if (name === 'lyon') lyon = v;
    else grenoble = v;
  }
});

const now = () => Math.floor(Date.now() / 1000);
/** Fresh time claims (a new iat/jti each call, so no token is a cached one). */
function fresh(payload, over = {}) {
  const t = now();
  return { ...payload, iat: t, nbf: t, exp: t + 600, jti: b64url(randomBytes(16)), ...over };
}

async function assertRefused(token, code = 'invalid_token', what = '') {
  const res = await get('/api/v1/auth/me', { token });
  assertProblem(res, 401, code);
  assert.equal(res.body.field, undefined, what);
  // Nor a write (one without side effects: the caller of the base
  // token may not create people, so acceptance would show as 403).
  const w = await post('/api/v1/people', {}, { token });
  assert.equal(w.status, 401, `${what}: a write with this token: ${show(w)}`);
  return res;
}

async function assertAccepted(token, who = lyon) {
  const res = await get('/api/v1/auth/me', { token });
  assert.equal(res.status, 200, show(res));
  assert.equal(res.body.id, who.me.id);
  assert.equal(res.body.academy, who.me.academy);
}

// ---------------------------------------------------------------- controls

test('control: the real token, and the same claims re-signed with the real key, are accepted', async () => {
  await assertAccepted(lyon.token);
  await assertAccepted(resign(fresh(lyon.payload)));
  await assertAccepted(resign(fresh(grenoble.payload)), grenoble);
  // Also with the header members in another order and no typ.
  await assertAccepted(forgeToken({ header: { kid: currentKid(), alg: 'ES256' }, payload: fresh(lyon.payload), key: signingKey() }));
});

// ---------------------------------------------------------------- algorithm

test('alg none is refused (empty signature, and with a real 86-character signature)', async () => {
  const payload = fresh(lyon.payload);
  await assertRefused(forgeToken({ header: { alg: 'none', typ: 'JWT', kid: currentKid() }, payload, alg: 'none' }));
  const input = forgeToken({ header: { alg: 'none', typ: 'JWT', kid: currentKid() }, payload, alg: 'none' });
  await assertRefused(input + lyon.signature);
  for (const spelling of ['None', 'NONE']) {
    await assertRefused(forgeToken({ header: { alg: spelling, typ: 'JWT', kid: currentKid() }, payload, alg: 'none' }) + lyon.signature);
  }
});

test('HS256 (and HS512) signed with the public key PEM is refused', async () => {
  const payload = fresh(lyon.payload);
  const pem = publicKeyPem();
  for (const secret of [pem, pem.trim(), pem.replace(/\n/g, '\r\n')]) {
    await assertRefused(forgeToken({ header: { alg: 'HS256', typ: 'JWT', kid: currentKid() }, payload, secret }));
    // HS512 gives a 64-byte MAC: the same length as an ES256 signature, so
    // only the algorithm check (not the shape check) can refuse it.
    await assertRefused(forgeToken({ header: { alg: 'HS512', typ: 'JWT', kid: currentKid() }, payload, secret }));
  }
  // And with the JWKS's own key, as an attacker would fetch it.
  const jwks = await get('/.well-known/jwks.json');
  const jwk = jwks.body.keys.find((k) => k.kid === currentKid());
  await assertRefused(forgeToken({ header: { alg: 'HS512', typ: 'JWT', kid: currentKid() }, payload, secret: JSON.stringify(jwk) }));
});

test('alg spelled es256 / Es256, signed properly with the real key, is refused', async () => {
  for (const alg of ['es256', 'Es256', 'eS256', 'ES256 ', 'ES384']) {
    await assertRefused(resign(fresh(lyon.payload), { header: { alg } }), 'invalid_token', alg);
  }
});

// ---------------------------------------------------------------- shape

test('the real token with !!! appended is refused', async () => {
  await assertRefused(`${lyon.token}!!!`);
  await assertAccepted(lyon.token); // the original still works
});

test('the real token with "." and an extra segment is refused', async () => {
  await assertRefused(`${lyon.token}.${lyon.signature}`);
  await assertRefused(`${lyon.token}.`);
  const [h, p, s] = lyon.token.split('.');
  await assertRefused(`${h}.${p}.${s}=`); // padding
  await assertRefused(`${h}.${p}`);
  await assertRefused(`${h}..${s}`);
  await assertRefused(`${h}.${p}.${s.slice(0, -1)}`);
  await assertRefused(`${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}x`);
  await assertRefused(` ${lyon.token}`);
  await assertRefused(`${lyon.token.slice(0, 10)}\t${lyon.token.slice(10)}`);
});

test('the real token with its signature spelled another way (same bytes) is refused', async () => {
  // 86 characters carry 516 bits for a 64-byte signature: the last
  // character's 4 low bits are unused, so 15 other characters decode to the
  // same signature. A decoder that ignores them accepts 16 spellings of one
  // token (and each misses the token cache). Only the canonical one passes.
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const token = resign(fresh(lyon.payload));
  const v = ALPHABET.indexOf(token.at(-1));
  assert.equal(v & 15, 0, 'the issued spelling has the unused bits at zero');
  for (let k = 1; k < 16; k++) {
    const other = token.slice(0, -1) + ALPHABET[v | k];
    assert.deepEqual(b64urlDecode(other.split('.')[2]), b64urlDecode(token.split('.')[2]), 'same bytes');
    await assertRefused(other, 'invalid_token', `last character ${ALPHABET[v | k]}`);
  }
  await assertAccepted(token);
});

test('an over-long token is refused', async () => {
  const big = resign(fresh(lyon.payload, { pad: 'x'.repeat(5000) }));
  await assertRefused(big);
});

// ---------------------------------------------------------------- kid and key

test('a missing kid or an unknown kid is refused', async () => {
  await assertRefused(resign(fresh(lyon.payload), { header: { kid: undefined } }), 'invalid_token', 'no kid');
  await assertRefused(resign(fresh(lyon.payload), { header: { kid: b64url(randomBytes(32)) } }), 'invalid_token', 'unknown kid');
  await assertRefused(resign(fresh(lyon.payload), { header: { kid: '' } }), 'invalid_token', 'empty kid');
  await assertRefused(resign(fresh(lyon.payload), { header: { kid: `../keys/${currentKid()}` } }), 'invalid_token', 'path kid');
  await assertRefused(resign(fresh(lyon.payload), { header: { kid: 1 } }), 'invalid_token', 'numeric kid');
});

test("a token signed by an attacker's own P-256 key with the real kid is refused", async () => {
  await assertRefused(resign(fresh(lyon.payload), { key: attackerKey() }));
});

// ---------------------------------------------------------------- claims (real signature)

const claimCases = [
  ['wrong iss', (p) => ({ ...p, iss: 'https://tutorat.example.org' })],
  ['wrong aud', (p) => ({ ...p, aud: 'another-service' })],
  ['aud as an array', (p) => ({ ...p, aud: [p.aud] })],
  ['unknown academy', (p) => ({ ...p, academy: 'atlantide', iss: 'https://tutorat.ac-atlantide.fr' })],
  ['sub not a number', (p) => ({ ...p, sub: 'admin' })],
  ['sub as a number', (p) => ({ ...p, sub: Number(p.sub) })],
  ['sid not a number', (p) => ({ ...p, sid: `${p.sid}x` })],
  ['exp in the past', (p) => ({ ...p, iat: now() - 700, nbf: now() - 700, exp: now() - 100 })],
  ['nbf in the future', (p) => ({ ...p, nbf: now() + 300 })],
  ['iat in the future', (p) => ({ ...p, iat: now() + 300, nbf: now() + 300, exp: now() + 900 })],
  ['lifetime over 900 s', (p) => ({ ...p, iat: now(), nbf: now(), exp: now() + 901 })],
  ['exp before iat', (p) => ({ ...p, exp: p.iat - 1 })],
  ['iat as a string', (p) => ({ ...p, iat: String(p.iat) })],
  ['exp as a string', (p) => ({ ...p, exp: String(p.exp) })],
  ['nbf missing', (p) => ({ ...p, nbf: undefined })],
  ['missing jti', (p) => ({ ...p, jti: undefined })],
  ['short jti', (p) => ({ ...p, jti: 'abc' })],
  ['missing academy', (p) => ({ ...p, academy: undefined })],
];

for (const [name, change] of claimCases) {
  test(`valid signature but ${name}: refused`, async () => {
    await assertRefused(resign(change(fresh(lyon.payload))), undefined, name);
  });
}

test("valid signature but Grenoble's académie with Lyon's issuer: refused", async () => {
  // A Grenoble session's claims: were iss not bound to the académie, this
  // token would sign in as the Grenoble admin.
  await assertRefused(resign(fresh(grenoble.payload, { iss: academy('lyon').issuer })));
  // And a Lyon session named as Grenoble's, with Grenoble's issuer.
  const p = fresh(lyon.payload, { academy: 'grenoble', iss: academy('grenoble').issuer });
  const res = await get('/api/v1/auth/me', { token: resign(p) });
  assert.equal(res.status, 401, `a Lyon session does not exist in Grenoble: ${show(res)}`);
});

test('valid signature but the sid of another person: refused', async () => {
  // Warm the session cache with the real token first, so that both the
  // cached and the database paths are exercised across workers.
  for (let i = 0; i < 8; i++) await assertAccepted(lyon.token);
  const other = await login('lyon', 'tuteur.terrain1');
  const p = fresh(lyon.payload, { sub: decodeToken(other.token).payload.sub });
  for (let i = 0; i < 8; i++) {
    const res = await get('/api/v1/auth/me', { token: resign({ ...p, jti: b64url(randomBytes(16)) }) });
    assert.equal(res.status, 401, show(res));
    assert.ok(['invalid_token', 'session_expired'].includes(res.body.code), show(res));
  }
});

test('a duplicate member in the payload JSON is refused', async () => {
  const p = fresh(grenoble.payload);
  // Last one wins in a lax parser: this would be a valid Grenoble token.
  const json = JSON.stringify(p).replace(/^\{/, '{"academy":"lyon",');
  assert.equal(JSON.parse(json).academy, 'grenoble');
  const token = forgeToken({ header: { alg: 'ES256', typ: 'JWT', kid: currentKid() }, rawPayload: json, key: signingKey() });
  await assertRefused(token);
  const same = JSON.stringify(p).replace(/^\{/, `{"sub":"${p.sub}",`);
  await assertRefused(forgeToken({ header: { alg: 'ES256', typ: 'JWT', kid: currentKid() }, rawPayload: same, key: signingKey() }));
});

test('a duplicate member in the header JSON is refused', async () => {
  const p = fresh(lyon.payload);
  const raw = `{"alg":"HS256","typ":"JWT","kid":"${currentKid()}","alg":"ES256"}`;
  await assertRefused(forgeToken({ rawHeader: raw, payload: p, key: signingKey(), alg: 'ES256' }));
  const rawKid = `{"alg":"ES256","kid":"nope","typ":"JWT","kid":"${currentKid()}"}`;
  await assertRefused(forgeToken({ rawHeader: rawKid, payload: p, key: signingKey(), alg: 'ES256' }));
});

test('an extra header member (jku, x5u, jwk, crit) is refused', async () => {
  const jwk = (await get('/.well-known/jwks.json')).body.keys[0];
  for (const extra of [{ jku: 'https://attacker.example/jwks.json' }, { x5u: 'https://attacker.example/cert.pem' }, { jwk }, { crit: ['exp'] }, { cty: 'JWT' }]) {
    await assertRefused(resign(fresh(lyon.payload), { header: extra }), 'invalid_token', Object.keys(extra)[0]);
  }
  await assertRefused(resign(fresh(lyon.payload), { header: { typ: 'at+jwt' } }), 'invalid_token', 'typ');
});

test('a header or payload that is not a JSON object is refused', async () => {
  const key = signingKey();
  await assertRefused(forgeToken({ rawHeader: '["ES256"]', payload: fresh(lyon.payload), key, alg: 'ES256' }));
  await assertRefused(forgeToken({ header: { alg: 'ES256', typ: 'JWT', kid: currentKid() }, rawPayload: JSON.stringify([fresh(lyon.payload)]), key }));
  await assertRefused(forgeToken({ header: { alg: 'ES256', typ: 'JWT', kid: currentKid() }, rawPayload: '{"sub":', key }));
});

// ---------------------------------------------------------------- where the token comes from

test('?access_token= is never used to authenticate', async () => {
  // Alone, on a route for signed-in users: not authenticated. The role
  // check comes before input validation (server/req.h), so this is 401,
  // not 400: a caller without credentials learns nothing of the inputs.
  const alone = await get('/api/v1/auth/me', { query: { access_token: lyon.token } });
  assertProblem(alone, 401, 'unauthenticated');
  assert.equal(alone.body.username, undefined);
  const write = await post('/api/v1/auth/logout', undefined, { query: { access_token: lyon.token } });
  assertProblem(write, 401, 'unauthenticated');
  await assertAccepted(lyon.token); // the session was not logged out
  // Beside a real credential, or on a public route: refused as an unknown parameter.
  assertProblem(await get('/api/v1/auth/me', { token: lyon.token, query: { access_token: lyon.token } }), 400, 'unknown_parameter', 'access_token');
  assertProblem(await get('/api/v1/health', { query: { access_token: lyon.token } }), 400, 'unknown_parameter', 'access_token');
  assertProblem(await get('/api/v1/auth/me', { token: lyon.token, query: { token: lyon.token } }), 400, 'unknown_parameter', 'token');
  // Nor in a body member.
  const body = await post('/api/v1/auth/refresh', { access_token: lyon.token }, {});
  assertProblem(body, 401, 'unauthenticated');
});

test('Authorization: Basic …, Bearer with an empty token, and other schemes → 401', async () => {
  const basic = Buffer.from('stagiaire1:demo').toString('base64');
  for (const value of [`Basic ${basic}`, 'Bearer ', 'Bearer', 'Bearer  ', `Token ${lyon.token}`, `Bearer${lyon.token}`, `JWT ${lyon.token}`, lyon.token]) {
    const res = await get('/api/v1/auth/me', { headers: { Authorization: value } });
    assertProblem(res, 401, 'invalid_token');
  }
  // A bad Authorization header is not rescued by a valid cookie.
  const res = await get('/api/v1/auth/me', { headers: { Authorization: `Basic ${basic}` }, cookie: lyon.cookie });
  assertProblem(res, 401, 'invalid_token');
});

test('the token of a revoked session is refused within 5 s (session_expired)', async (t) => {
  const s = await login('lyon', 'stagiaire1');
  for (let i = 0; i < 8; i++) await assertAccepted(s.token);
  const forged = resign(fresh(decodeToken(s.token).payload)); // another token of the same session
  await assertAccepted(forged);
  const out = await post('/api/v1/auth/logout', undefined, { cookie: s.cookie, csrf: true });
  assert.equal(out.status, 204, show(out));
  const loggedOut = Date.now();
  let last;
  let streak = 0;
  const r = await pollUntil(async () => {
    last = await get('/api/v1/auth/me', { token: s.token });
    streak = last.status === 401 ? streak + 1 : 0;
    return streak >= 8;
  }, { bound: 5000, every: 50 });
  t.diagnostic(`refused everywhere after ${r.ms} ms`);
  assert.ok(!r.timedOut, `still accepted ${r.ms} ms after logout: ${show(last)}`);
  assertProblem(last, 401, 'session_expired');
  // Eight refusals in a row may all come from threads that looked again;
  // every worker thread has by SESSION_RECHECK_SECONDS (2 s) after the logout.
  await sleep(Math.max(0, 2100 - (Date.now() - loggedOut)));
  assertProblem(await get('/api/v1/auth/me', { token: forged }), 401, 'session_expired');
  assertProblem(await get('/api/v1/auth/me', { token: resign(fresh(decodeToken(s.token).payload)) }), 401, 'session_expired');
});
