// A second factor, TOTP (issue 14 §2, ASVS v5.0.0 V6): enrolment with a
// key, a URI and a QR code; confirmation and ten recovery codes stored
// hashed; a login that asks for the code; replayed codes and codes outside
// the window refused; recovery codes once; a remembered browser; attempts
// throttled; routes that demand the second factor; the admin's reset,
// audited; the enrolment-only state of a role that requires it.
//
// The people signing in are fresh entries of Lyon's directory (removed
// afterwards); the codes are computed here from the secret the enrolment
// answered, with node's HMAC (tests/lib/totp.mjs).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  get, post, del, request, show, as, loginRaw, assertProblem, db, dbValue, n, q, sleep, setCookies,
  tutoratdLog, configInt, Cleanup, DEMO_PASSWORD, SESSION_COOKIE, decodeToken,
} from '../lib/index.mjs';
import {
  base32Decode, codeAt, stepOf, enrolTotp, nextCode, dropTotp, forgetTotp, freshLyonEntry,
} from '../lib/totp.mjs';
import { freshPerson, sessionAs } from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
const undo = [];
const dropped = [];
after(async () => {
  for (const id of dropped) await dropTotp(id).catch(() => {});
  for (const step of undo.reverse()) await step().catch((err) => process.stderr.write(`cleanup: ${err.message}\n`));
  await cleanup.run();
});

const RECHECK_MS = 2100; // SESSION_RECHECK_SECONDS: a worker's cache of a session
const MAX_FAILURES = configInt('login', 'max_failures_pair', 5);
const REMEMBER_DAYS = configInt('login', 'totp_remember_days', 30);
const DEVICE = '__Secure-tutorat_device_lyon';

const sha256hex = (s) => createHash('sha256').update(s).digest('hex');

/** A fresh directory person of Lyon, signed in with their password (no TOTP yet). */
async function freshUser(prefix) {
  const { uid } = await freshLyonEntry(undo, prefix);
  const res = await loginRaw('lyon', uid, DEMO_PASSWORD);
  assert.equal(res.status, 200, show(res));
  const token = res.body.access_token;
  const me = (await get('/api/v1/auth/me', { token })).body;
  cleanup.person(me.id);
  return { uid, token, me, res };
}

/** The login's first step for a person with TOTP: the challenge. */
async function challenge(uid, opts = {}) {
  const res = await loginRaw('lyon', uid, DEMO_PASSWORD, opts);
  assert.equal(res.status, 200, show(res));
  assert.equal(res.body.second_factor, 'totp', show(res));
  assert.equal(res.body.access_token, undefined, 'no token before the code');
  assert.equal(setCookies(res)[SESSION_COOKIE], undefined, 'no session before the code');
  return res.body.challenge;
}

const second = (json, opts) => post('/api/v1/auth/login/totp', json, opts);

test('enrolment: a key, its otpauth URI and QR code; a wrong code is refused; the right one enables TOTP and gives ten recovery codes, stored hashed', async () => {
  const u = await freshUser('t-otp-en');
  const state0 = await get('/api/v1/me/totp', { token: u.token });
  assert.deepEqual(state0.body, { enabled: false, pending: false, required: false, recovery_codes_left: 0, second_factor_used: false });

  const start = await post('/api/v1/me/totp', {}, { token: u.token });
  assert.equal(start.status, 201, show(start));
  const { secret, otpauth_uri: uri, qr_svg: svg } = start.body;
  assert.match(secret, /^[A-Z2-7]{32}$/, '160 bits in base32');
  const url = new URL(uri);
  assert.equal(url.protocol, 'otpauth:');
  assert.equal(url.searchParams.get('secret'), secret);
  assert.equal(url.searchParams.get('algorithm'), 'SHA1');
  assert.equal(url.searchParams.get('digits'), '6');
  assert.equal(url.searchParams.get('period'), '30');
  assert.match(decodeURIComponent(url.pathname), new RegExp(`:${u.uid}$`));
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
  assert.match(start.headers['cache-control'] || '', /no-store/);
  const [[stored, confirmed]] = await db(`SELECT HEX(secret), confirmed_at FROM person_totp WHERE person_id = ${n(u.me.id)}`);
  assert.equal(stored, base32Decode(secret).toString('hex').toUpperCase(), 'the secret of the key shown');
  assert.ok(confirmed === null || confirmed === 'NULL', 'pending until confirmed');
  assert.ok(!tutoratdLog().includes(secret), 'the secret is not in the log');

  // A wrong code: refused, naming the field; nothing enabled.
  const good = codeAt(secret, stepOf());
  const wrong = await post('/api/v1/me/totp/confirm', { code: good === '000000' ? '111111' : '000000' }, { token: u.token });
  assertProblem(wrong, 422, 'invalid_field', 'code');
  assert.equal((await get('/api/v1/me/totp', { token: u.token })).body.enabled, false);

  const ok = await post('/api/v1/me/totp/confirm', { code: good }, { token: u.token });
  assert.equal(ok.status, 200, show(ok));
  const codes = ok.body.recovery_codes;
  assert.equal(codes.length, 10);
  for (const c of codes) assert.match(c, /^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
  assert.equal(new Set(codes).size, 10);
  const hashes = (await db(`SELECT LOWER(HEX(code_hash)) FROM totp_recovery_code WHERE person_id = ${n(u.me.id)}`)).map(([h]) => h).sort();
  assert.deepEqual(hashes, codes.map((c) => sha256hex(c.replace('-', ''))).sort(), 'stored as their SHA-256 only');
  assert.equal(await dbValue(`SELECT action FROM audit_log WHERE request_id = ${q(ok.requestId)}`), 'totp.enable');
  await sleep(RECHECK_MS); // the other workers' cache of the session, which now has the second factor
  assert.deepEqual((await get('/api/v1/me/totp', { token: u.token })).body,
    { enabled: true, pending: false, required: false, recovery_codes_left: 10, second_factor_used: true });
  assertProblem(await post('/api/v1/me/totp', {}, { token: u.token }), 409, 'totp_already_enabled');
  assert.ok(!tutoratdLog().includes(codes[0]), 'the recovery codes are not in the log');
});

test('a login with TOTP asks for the code; the token says both factors; a replayed code and codes outside the window are refused', async () => {
  const u = await freshUser('t-otp-in');
  const { entry } = await enrolTotp({ token: u.token });
  const ch = await challenge(u.uid);

  // Outside the window (two steps before, three after: robust to a step
  // boundary passing between here and the server).
  const now = stepOf();
  assertProblem(await second({ challenge: ch, code: codeAt(entry.secret, now - 2) }), 422, 'invalid_field', 'code');
  assertProblem(await second({ challenge: ch, code: codeAt(entry.secret, now + 3) }), 422, 'invalid_field', 'code');
  // The enrolment's code again: a replay.
  const replay = await second({ challenge: ch, code: codeAt(entry.secret, entry.used) });
  assertProblem(replay, 422, 'invalid_field', 'code');
  assert.equal(await dbValue(`SELECT action FROM audit_log WHERE request_id = ${q(replay.requestId)}`), 'auth.login_totp_failed');

  const { code } = await nextCode(entry);
  const res = await second({ challenge: ch, code });
  assert.equal(res.status, 200, show(res));
  assert.deepEqual(decodeToken(res.body.access_token).payload.amr, ['pwd', 'otp']);
  assert.ok(setCookies(res)[SESSION_COOKIE], 'the session cookie');
  const me = await get('/api/v1/auth/me', { token: res.body.access_token });
  assert.deepEqual(me.body.amr, ['pwd', 'otp']);
  assert.equal(me.body.enrolment_only, false);
  const [[detail]] = await db(`SELECT detail FROM audit_log WHERE request_id = ${q(res.requestId)} AND action = 'auth.login'`);
  assert.deepEqual(JSON.parse(detail), { amr: ['pwd', 'otp'], second_factor: 'totp' });

  // The challenge is used up; the same code with a new one is a replay.
  assertProblem(await second({ challenge: ch, code }), 401, 'challenge_expired', 'challenge');
  assertProblem(await second({ challenge: await challenge(u.uid), code }), 422, 'invalid_field', 'code');
  // A challenge that is not one.
  assertProblem(await second({ challenge: `lyon.${'A'.repeat(43)}`, code }), 401, 'challenge_expired', 'challenge');
  // A password-only token says so.
  const plain = await freshUser('t-otp-pl');
  assert.deepEqual(decodeToken(plain.token).payload.amr, ['pwd']);
});

test('a recovery code signs in once', async () => {
  const u = await freshUser('t-otp-rc');
  const { recoveryCodes } = await enrolTotp({ token: u.token });
  const code = recoveryCodes[3];
  const res = await second({ challenge: await challenge(u.uid), code: code.toLowerCase() });
  assert.equal(res.status, 200, show(res));
  const [[detail]] = await db(`SELECT detail FROM audit_log WHERE request_id = ${q(res.requestId)} AND action = 'auth.login'`);
  assert.equal(JSON.parse(detail).second_factor, 'recovery_code');
  assert.equal(await dbValue(`SELECT COUNT(*) FROM totp_recovery_code WHERE person_id = ${n(u.me.id)} AND used_at IS NOT NULL`), '1');
  assertProblem(await second({ challenge: await challenge(u.uid), code }), 422, 'invalid_field', 'code');
  assert.equal((await get('/api/v1/me/totp', { token: res.body.access_token })).body.recovery_codes_left, 9);
});

test('a browser remembered at the code skips it for totp_remember_days; another browser does not', async () => {
  const u = await freshUser('t-otp-rd');
  const { entry } = await enrolTotp({ token: u.token });
  const device = setCookies(u.res)[DEVICE];
  assert.ok(device, 'the first login set the device cookie');
  const cookie = `${DEVICE}=${device.value}`;

  // Not asked to remember: the code is asked again.
  let res = await second({ challenge: await challenge(u.uid, { cookie }), code: (await nextCode(entry)).code }, { cookie });
  assert.equal(res.status, 200, show(res));
  await challenge(u.uid, { cookie });

  res = await second({ challenge: await challenge(u.uid, { cookie }), code: (await nextCode(entry)).code, remember: true }, { cookie });
  assert.equal(res.status, 200, show(res));
  const days = await dbValue(`SELECT ROUND(TIMESTAMPDIFF(HOUR, NOW(), second_factor_until) / 24) FROM login_device WHERE person_id = ${n(u.me.id)} AND second_factor_until IS NOT NULL`);
  assert.equal(Number(days), REMEMBER_DAYS);

  const skip = await loginRaw('lyon', u.uid, DEMO_PASSWORD, { cookie });
  assert.equal(skip.status, 200, show(skip));
  assert.ok(skip.body.access_token, `no code asked from the remembered browser: ${show(skip)}`);
  assert.deepEqual(decodeToken(skip.body.access_token).payload.amr, ['pwd', 'otp']);
  const [[detail]] = await db(`SELECT detail FROM audit_log WHERE request_id = ${q(skip.requestId)} AND action = 'auth.login'`);
  assert.equal(JSON.parse(detail).second_factor, 'remembered_device');
  // Another browser (no cookie) is asked.
  await challenge(u.uid);
  // Past its days, the browser is asked again.
  await db(`UPDATE login_device SET second_factor_until = NOW(3) - INTERVAL 1 SECOND WHERE person_id = ${n(u.me.id)}`);
  await challenge(u.uid, { cookie });
});

test('wrong codes are throttled like passwords: past the limit even the right code waits', async () => {
  const u = await freshUser('t-otp-th');
  const { entry } = await enrolTotp({ token: u.token });
  const ch = await challenge(u.uid);
  const bad = codeAt(entry.secret, stepOf() - 5);
  for (let i = 0; i < MAX_FAILURES; i++) assertProblem(await second({ challenge: ch, code: bad }), 422, 'invalid_field', 'code');
  const blocked = await second({ challenge: ch, code: (await nextCode(entry)).code });
  assertProblem(blocked, 429, 'too_many_attempts');
  assert.ok(Number(blocked.headers['retry-after']) > 0, 'Retry-After');
  await db(`DELETE FROM login_throttle WHERE kind = 'totp' AND subject = ${q(String(u.me.id))}`);
});

test('routes that demand the second factor refuse a password-only session; the admin resets a person\'s TOTP, audited', async () => {
  const u = await freshUser('t-otp-rs');
  await enrolTotp({ token: u.token });
  const admin = await as('lyon', 'admin');
  assertProblem(await get(`/api/v1/people/${u.me.id}/sessions`, { token: admin.token }), 403, 'second_factor_required');
  assertProblem(await del(`/api/v1/people/${u.me.id}/totp`, { token: admin.token }), 403, 'second_factor_required');
  assert.equal(await dbValue(`SELECT COUNT(*) FROM person_totp WHERE person_id = ${n(u.me.id)}`), '1');

  dropped.push(admin.me.id);
  await enrolTotp(admin);
  await sleep(RECHECK_MS);
  const list = await get(`/api/v1/people/${u.me.id}/sessions`, { token: admin.token });
  assert.equal(list.status, 200, show(list));
  const reset = await del(`/api/v1/people/${u.me.id}/totp`, { token: admin.token });
  assert.equal(reset.status, 200, show(reset));
  assert.deepEqual(reset.body, { reset: true });
  const [[action, actor, type, object, detail]] = await db(`SELECT action, actor_id, object_type, object_id, detail FROM audit_log WHERE request_id = ${q(reset.requestId)}`);
  assert.deepEqual([action, Number(actor), type, object], ['totp.reset', Number(admin.me.id), 'person', String(u.me.id)]);
  assert.deepEqual(JSON.parse(detail), { had_totp: true });
  assert.equal(await dbValue(`SELECT COUNT(*) FROM person_totp WHERE person_id = ${n(u.me.id)}`), '0');
  assert.equal(await dbValue(`SELECT COUNT(*) FROM totp_recovery_code WHERE person_id = ${n(u.me.id)}`), '0');
  // The person signs in with their password alone again.
  const again = await loginRaw('lyon', u.uid, DEMO_PASSWORD);
  assert.ok(again.body.access_token, show(again));
  // Not the admin's business elsewhere: another académie's person is a missing one.
  const missing = await del(`/api/v1/people/${2 ** 53 - 1}/totp`, { token: admin.token });
  assertProblem(missing, 404, 'not_found');
  await dropTotp(admin.me.id);
  forgetTotp('lyon', 'admin');
});

test('removing one\'s own TOTP needs a current code', async () => {
  const u = await freshUser('t-otp-rm');
  const { entry } = await enrolTotp({ token: u.token });
  assertProblem(await request('DELETE', '/api/v1/me/totp', { token: u.token, json: {} }), 422, 'missing_field', 'code');
  assertProblem(await request('DELETE', '/api/v1/me/totp', { token: u.token, json: { code: codeAt(entry.secret, entry.used) } }), 422, 'invalid_field', 'code');
  const res = await request('DELETE', '/api/v1/me/totp', { token: u.token, json: { code: (await nextCode(entry)).code } });
  assert.equal(res.status, 204, show(res));
  assert.equal(await dbValue(`SELECT action FROM audit_log WHERE request_id = ${q(res.requestId)}`), 'totp.disable');
  assert.ok((await loginRaw('lyon', u.uid, DEMO_PASSWORD)).body.access_token, 'no code asked any more');
});

test('a person whose role requires TOTP and who has none may only enrol; enrolled, they go on', async () => {
  const admin = await as('lyon', 'admin');
  // [academy lyon] totp_required_roles of the test stack: gestionnaire_scolarite.
  const person = await freshPerson(admin, cleanup, ['gestionnaire_scolarite'], 't-otp-rq');
  const s = await sessionAs('lyon', person.id);
  const denied = await get('/api/v1/notifications', { token: s.token });
  assertProblem(denied, 403, 'totp_enrolment_required');
  const me = await get('/api/v1/auth/me', { token: s.token });
  assert.equal(me.status, 200, show(me));
  assert.equal(me.body.enrolment_only, true);
  assert.deepEqual(me.body.amr, ['pwd']);
  assert.equal((await get('/api/v1/me/totp', { token: s.token })).body.required, true);

  const { entry } = await enrolTotp(s);
  await sleep(RECHECK_MS);
  const after = await get('/api/v1/auth/me', { token: s.token });
  assert.equal(after.body.enrolment_only, false);
  const allowed = await get('/api/v1/notifications', { token: s.token });
  assert.equal(allowed.status, 200, show(allowed));
  // Their role requires it: they cannot remove it.
  assertProblem(await request('DELETE', '/api/v1/me/totp', { token: s.token, json: { code: (await nextCode(entry)).code } }), 403, 'totp_required');
});
