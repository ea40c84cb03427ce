// The login contract (docs/contract.md, issue §3): login, /auth/me by
// token and by cookie, refresh with its CSRF header, logout and revocation,
// identical refusals, input bounds, the JWKS.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import {
  request, get, post, show, setCookies, pollUntil, freshAddress, uniq,
  login, loginRaw, me, assertProblem, SESSION_COOKIE, decodeToken, currentKid, signingKey,
  config, configInt, academy, db, q, n, auditRows,
} from '../lib/index.mjs';

test('login answers 200 {access_token, token_type, expires_in} and a strict session cookie', async () => {
  const res = await loginRaw('lyon', 'stagiaire1', 'demo');
  assert.equal(res.status, 200, show(res));
  assert.match(res.headers['content-type'], /^application\/json/);
  assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'token_type']);
  assert.equal(res.body.token_type, 'Bearer');
  assert.equal(typeof res.body.access_token, 'string');
  assert.match(res.body.access_token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/, 'a compact ES256 JWS');
  assert.ok(Number.isInteger(res.body.expires_in) && res.body.expires_in > 0 && res.body.expires_in <= 900,
    `expires_in in (0, 900]: ${res.body.expires_in}`);
  assert.equal(res.headers['cache-control'], 'no-store', 'a token answer is never cached');

  const { header, payload } = decodeToken(res.body.access_token);
  assert.equal(header.alg, 'ES256');
  assert.equal(header.kid, currentKid());
  assert.equal(payload.iss, academy('lyon').issuer);
  assert.equal(payload.aud, config().server.audience || 'tutorat');
  assert.equal(payload.academy, 'lyon');
  for (const c of ['sub', 'sid', 'jti']) assert.equal(typeof payload[c], 'string', `claim ${c}`);
  for (const c of ['iat', 'nbf', 'exp']) assert.ok(Number.isInteger(payload[c]), `claim ${c}`);
  assert.equal(payload.exp - payload.iat, res.body.expires_in);
  assert.ok(Math.abs(payload.iat - Date.now() / 1000) < 60, 'iat is now');

  const cookies = setCookies(res);
  const c = cookies[SESSION_COOKIE];
  assert.ok(c, `Set-Cookie ${SESSION_COOKIE}: ${JSON.stringify(res.headers['set-cookie'])}`);
  assert.match(c.value, /^lyon\.[A-Za-z0-9_-]{43}$/, 'the cookie names the académie and carries a 256-bit secret');
  assert.equal(c.attrs.httponly, true, `HttpOnly: ${c.raw}`);
  assert.equal(c.attrs.samesite, 'Strict', `SameSite=Strict: ${c.raw}`);
  // __Host-: Secure, Path=/ and no Domain, or the browser refuses it: a
  // sibling subdomain of the académie cannot plant one (browsers treat
  // loopback as secure, so the development stack keeps the same cookie).
  assert.equal(SESSION_COOKIE, '__Host-tutorat_session');
  assert.equal(c.attrs.path, '/', `Path=/: ${c.raw}`);
  assert.equal(c.attrs.domain, undefined, `no Domain: ${c.raw}`);
  assert.equal(c.attrs.secure, true, `Secure: ${c.raw}`);
  assert.equal(Number(c.attrs['max-age']), configInt('server', 'session_lifetime', 28800), `Max-Age = session_lifetime: ${c.raw}`);

  // The session and the audit row of the login are stored.
  const sid = n(payload.sid);
  const rows = await db(`SELECT s.person_id, s.revoked_at, a.code, TIMESTAMPDIFF(SECOND, s.created_at, s.expires_at)
    FROM session s JOIN academy a ON a.id = s.academy_id WHERE s.id = ${sid}`);
  assert.deepEqual(rows, [[payload.sub, null, 'lyon', String(configInt('server', 'session_lifetime', 28800))]]);
  const audit = await auditRows(res.requestId);
  assert.deepEqual(audit.map((r) => [r.action, r.object_id, r.actor_id]), [['auth.login', Number(sid), Number(payload.sub)]]);
});

test('/auth/me with the Bearer token and with the cookie names the same person and roles', async () => {
  const s = await login('lyon', 'stagiaire1');
  const byToken = await get('/api/v1/auth/me', { token: s.token });
  assert.equal(byToken.status, 200, show(byToken));
  assert.deepEqual(Object.keys(byToken.body).sort(),
    ['academy', 'academy_name', 'amr', 'display_name', 'email', 'enrolment_only', 'id', 'roles', 'username']);
  assert.equal(byToken.body.academy, 'lyon');
  assert.equal(byToken.body.academy_name, academy('lyon').name);
  assert.equal(byToken.body.username, 'stagiaire1');
  assert.equal(byToken.body.display_name, 'Camille Martin');
  assert.deepEqual(byToken.body.roles, ['stagiaire']);
  assert.equal(String(byToken.body.id), decodeToken(s.token).payload.sub);

  const byCookie = await get('/api/v1/auth/me', { cookie: s.cookie });
  assert.equal(byCookie.status, 200, show(byCookie));
  assert.deepEqual(byCookie.body, byToken.body);

  const [[dbName]] = await db(`SELECT display_name FROM person WHERE id = ${n(byToken.body.id)}`);
  assert.equal(dbName, byToken.body.display_name, 'the person was upserted from the directory');

  const admin = await me((await login('lyon', 'admin')).token);
  assert.equal(admin.username, 'admin');
  assert.deepEqual(admin.roles, ['admin']);
});

test('refresh with the cookie and X-Requested-With gives a new working token; without the header 403', async () => {
  const s = await login('lyon', 'tuteur.terrain1');

  const noHeader = await post('/api/v1/auth/refresh', undefined, { cookie: s.cookie });
  assertProblem(noHeader, 403, 'csrf_header_missing');
  const wrongHeader = await post('/api/v1/auth/refresh', undefined, { cookie: s.cookie, headers: { 'X-Requested-With': 'XMLHttpRequest' } });
  assertProblem(wrongHeader, 403, 'csrf_header_missing');

  const res = await post('/api/v1/auth/refresh', undefined, { cookie: s.cookie, csrf: true });
  assert.equal(res.status, 200, show(res));
  assert.equal(res.body.token_type, 'Bearer');
  assert.ok(res.body.expires_in > 0);
  assert.notEqual(res.body.access_token, s.token, 'a new token');
  const old = decodeToken(s.token).payload;
  const fresh = decodeToken(res.body.access_token).payload;
  assert.equal(fresh.sid, old.sid, 'same session');
  assert.equal(fresh.sub, old.sub, 'same person');
  assert.notEqual(fresh.jti, old.jti, 'a new jti');

  const who = await me(res.body.access_token);
  assert.equal(who.username, 'tuteur.terrain1');
  assert.deepEqual((await auditRows(res.requestId)).map((r) => r.action), ['auth.refresh']);
  assert.deepEqual(await auditRows(noHeader.requestId), [], 'a refused refresh writes nothing');
});

test('logout answers 204, clears the cookie, and the token is refused within 5 s, the cookie at once', async (t) => {
  const s = await login('lyon', 'stagiaire2');
  // Warm the per-worker session caches: the revocation must reach them too.
  for (let i = 0; i < 16; i++) assert.equal((await get('/api/v1/auth/me', { token: s.token })).status, 200);

  const out = await post('/api/v1/auth/logout', undefined, { token: s.token });
  assert.equal(out.status, 204, show(out));
  assert.equal(out.text, '');
  const cleared = setCookies(out)[SESSION_COOKIE];
  assert.ok(cleared, 'logout sets the cookie again');
  assert.equal(cleared.value, '');
  assert.equal(cleared.attrs['max-age'], '0');
  assert.equal(cleared.attrs.path, '/', 'the same path, or the browser keeps the cookie');

  const sid = n(decodeToken(s.token).payload.sid);
  const [[revoked]] = await db(`SELECT revoked_at IS NOT NULL FROM session WHERE id = ${sid}`);
  assert.equal(revoked, '1', 'the session row is revoked');
  assert.deepEqual((await auditRows(out.requestId)).map((r) => [r.action, r.object_id]), [['auth.logout', Number(sid)]]);

  // Every request after the first refusal must be refused too: poll until
  // 8 refusals in a row (they land on different workers), within 5 s.
  let streak = 0;
  let last;
  const r = await pollUntil(async () => {
    last = await get('/api/v1/auth/me', { token: s.token });
    streak = last.status === 401 ? streak + 1 : 0;
    return streak >= 8;
  }, { bound: 5000, every: 50 });
  t.diagnostic(`token refused everywhere ${r.ms} ms after logout`);
  assert.ok(!r.timedOut, `the token still works ${r.ms} ms after logout: ${show(last)}`);
  assertProblem(last, 401, 'session_expired');

  const byCookie = await get('/api/v1/auth/me', { cookie: s.cookie });
  assertProblem(byCookie, 401, 'session_expired');
  const refresh = await post('/api/v1/auth/refresh', undefined, { cookie: s.cookie, csrf: true });
  assertProblem(refresh, 401, 'session_expired');
});

test('logout by cookie needs X-Requested-With, then revokes the session', async () => {
  const s = await login('lyon', 'stagiaire2');
  const noHeader = await post('/api/v1/auth/logout', undefined, { cookie: s.cookie });
  assertProblem(noHeader, 403, 'csrf_header_missing');
  assert.equal((await get('/api/v1/auth/me', { cookie: s.cookie })).status, 200, 'still signed in');

  const out = await post('/api/v1/auth/logout', undefined, { cookie: s.cookie, csrf: true });
  assert.equal(out.status, 204, show(out));
  assertProblem(await get('/api/v1/auth/me', { cookie: s.cookie }), 401, 'session_expired');
});

test('an unknown user and a wrong password get byte-identical 401 bodies', async (t) => {
  const addr = freshAddress(); // these failures must not count against 127.0.0.1
  const ghost = uniq('ghost');
  const unknown = await loginRaw('lyon', ghost, 'demo', { localAddress: addr });
  const wrong = await loginRaw('lyon', 'tuteur.inspe1', 'not-the-password', { localAddress: addr });
  t.diagnostic(`unknown user: ${unknown.ms.toFixed(1)} ms; wrong password: ${wrong.ms.toFixed(1)} ms`);

  assertProblem(unknown, 401, 'invalid_credentials');
  assertProblem(wrong, 401, 'invalid_credentials');
  assert.equal(unknown.text, wrong.text, 'same bytes');
  assert.equal(unknown.headers['content-type'], wrong.headers['content-type']);
  assert.equal(unknown.body.field, undefined, 'no field is blamed');
  assert.equal(setCookies(unknown)[SESSION_COOKIE], undefined, 'no cookie');
  assert.equal(setCookies(wrong)[SESSION_COOKIE], undefined, 'no cookie');

  // Both are counted and audited (the account, known or not).
  const lyon = (await db("SELECT id FROM academy WHERE code = 'lyon'"))[0][0];
  const rows = await db(`SELECT subject, failures FROM login_throttle WHERE academy_id = ${lyon}
    AND kind = 'account' AND subject IN (${q(ghost)}, 'tuteur.inspe1') ORDER BY subject`);
  assert.deepEqual(rows.map((r) => r[0]), [ghost, 'tuteur.inspe1'].sort());
  assert.deepEqual(await db(`SELECT action, JSON_VALUE(detail, '$.factor') FROM audit_log WHERE request_id = ${q(unknown.requestId)}`),
    [['auth.login_failed', 'password']]);
  assert.deepEqual((await auditRows(wrong.requestId)).map((r) => r.action), ['auth.login_failed']);

  // Leave tuteur.inspe1 with no failure on record: other tests sign in as them.
  assert.equal((await loginRaw('lyon', 'tuteur.inspe1', 'demo', { localAddress: addr })).status, 200);
});

test('an empty password is refused as invalid input (422 password), not as bad credentials', async () => {
  const addr = freshAddress();
  const res = await loginRaw('lyon', 'stagiaire1', '', { localAddress: addr });
  assertProblem(res, 422, 'invalid_field', 'password');
  // Never reached the login handler: no failure counted, no audit row.
  assert.deepEqual(await auditRows(res.requestId), []);
  assert.deepEqual(await db(`SELECT * FROM login_throttle WHERE subject = ${q(addr)}`), []);
});

test('over-long input is refused with 422 naming the field', async () => {
  const addr = freshAddress();
  const longUser = await loginRaw('lyon', 'a'.repeat(65), 'demo', { localAddress: addr });
  assertProblem(longUser, 422, 'invalid_field', 'username');
  const maxUser = await loginRaw('lyon', 'a'.repeat(64), 'demo', { localAddress: addr });
  assertProblem(maxUser, 401, 'invalid_credentials'); // 64 is the bound: accepted as input

  const longPassword = await loginRaw('lyon', 'stagiaire1', 'p'.repeat(257), { localAddress: addr });
  assertProblem(longPassword, 422, 'invalid_field', 'password');
  // The bound is in characters, as its message says: 257 « é » are refused.
  const longUtf8 = await loginRaw('lyon', 'stagiaire1', 'é'.repeat(257), { localAddress: addr });
  assertProblem(longUtf8, 422, 'invalid_field', 'password');
  assert.equal(longUtf8.body.detail, 'Longueur attendue : de 1 à 256 caractères.');

  const longAcademy = await loginRaw('x'.repeat(33), 'stagiaire1', 'demo', { localAddress: addr });
  assertProblem(longAcademy, 422, 'invalid_field', 'academy');
  const unknownAcademy = await loginRaw('atlantide', 'stagiaire1', 'demo', { localAddress: addr });
  assertProblem(unknownAcademy, 422, 'invalid_field', 'academy');
  const missing = await request('POST', '/api/v1/auth/login', { json: { academy: 'lyon', username: 'stagiaire1' }, localAddress: addr });
  assertProblem(missing, 422, 'missing_field', 'password');
});

test('the JWKS publishes the current signing key: kid, EC P-256, the right point', async () => {
  const res = await get('/.well-known/jwks.json');
  assert.equal(res.status, 200, show(res));
  assert.ok(Array.isArray(res.body.keys) && res.body.keys.length >= 1, show(res));
  const kid = currentKid();
  const k = res.body.keys.find((x) => x.kid === kid);
  assert.ok(k, `the JWKS has kid ${kid}: ${show(res)}`);
  assert.equal(k.kty, 'EC');
  assert.equal(k.crv, 'P-256');
  assert.equal(k.alg, 'ES256');
  assert.equal(k.use, 'sig');
  assert.equal(k.d, undefined, 'never the private part');
  for (const key of res.body.keys) assert.equal(key.d, undefined, `no private member in ${key.kid}`);
  const jwk = createPublicKey(signingKey()).export({ format: 'jwk' });
  assert.equal(k.x, jwk.x, 'x of the key file');
  assert.equal(k.y, jwk.y, 'y of the key file');
});

test('an expired session is refused, by cookie at once and by token within 5 s', async () => {
  const s = await login('lyon', 'tuteur.terrain1');
  assert.equal((await get('/api/v1/auth/me', { cookie: s.cookie })).status, 200);
  const sid = n(decodeToken(s.token).payload.sid);
  await db(`UPDATE session SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ${sid}`);
  assertProblem(await get('/api/v1/auth/me', { cookie: s.cookie }), 401, 'session_expired');
  assertProblem(await post('/api/v1/auth/refresh', undefined, { cookie: s.cookie, csrf: true }), 401, 'session_expired');
  const r = await pollUntil(async () => (await get('/api/v1/auth/me', { token: s.token })).status === 401, { bound: 5000, every: 100 });
  assert.ok(!r.timedOut, 'the token of an expired session is refused within 5 s');
});

test('a cookie that is not a session is refused', async () => {
  for (const value of ['lyon.' + 'A'.repeat(43), 'lyon.short', 'atlantide.' + 'A'.repeat(43), 'A'.repeat(48), '', 'lyon.' + 'A'.repeat(42) + '=']) {
    const res = await get('/api/v1/auth/me', { cookie: `${SESSION_COOKIE}=${value}` });
    assert.equal(res.status, 401, `${value}: ${show(res)}`);
  }
});
