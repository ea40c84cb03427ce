// Sessions (issue 14 §3, ASVS v5.0.0 V7): an inactivity timeout and an
// absolute lifetime enforced by the server, on the cookie and on the tokens
// of the session; only the person's own requests move the idle clock (not
// a token refresh, not the bell's count the page polls); an admin sees a
// person's open sessions and ends one or all; a deactivated person's
// sessions end at once.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, post, patch, del, show, login, as, assertProblem, db, dbValue, n, q, sleep, configInt, Cleanup,
} from '../lib/index.mjs';
import { freshPerson, sessionAs, ifMatch } from '../lib/tutorat.mjs';
import { secondFactor, undoSecondFactor } from '../lib/totp.mjs';

const IDLE = configInt('server', 'session_idle', 3600);
const RECHECK_MS = 2100; // SESSION_RECHECK_SECONDS (server/authn.h): a worker's cache of a session's state

const cleanup = new Cleanup();
const enrolled = []; // the admins given a second factor: the sessions routes demand it
after(async () => {
  await undoSecondFactor(enrolled);
  await cleanup.run();
});

const cookieOf = (s) => s.cookie;
const sidOf = (s) => JSON.parse(Buffer.from(s.token.split('.')[1], 'base64url').toString()).sid;
const me = (opts) => get('/api/v1/auth/me', opts);

test('a session idle longer than session_idle ends, for its cookie and its tokens; a live one does not', async () => {
  const s = await login('lyon', 'stagiaire1');
  const sid = sidOf(s);
  assert.equal((await me({ cookie: cookieOf(s) })).status, 200);
  assert.equal((await me({ token: s.token })).status, 200);

  await db(`UPDATE session SET last_seen_at = NOW(3) - INTERVAL ${IDLE + 5} SECOND WHERE id = ${n(sid)}`);
  assertProblem(await me({ cookie: cookieOf(s) }), 401, 'session_expired');
  await sleep(RECHECK_MS);
  assertProblem(await me({ token: s.token }), 401, 'session_expired');
  // A refresh does not bring it back.
  assertProblem(await post('/api/v1/auth/refresh', undefined, { cookie: cookieOf(s), headers: { 'X-Requested-With': 'tutorat' } }), 401, 'session_expired');

  const fresh = await login('lyon', 'stagiaire1');
  await db(`UPDATE session SET last_seen_at = NOW(3) - INTERVAL ${IDLE - 60} SECOND WHERE id = ${n(sidOf(fresh))}`);
  assert.equal((await me({ cookie: cookieOf(fresh) })).status, 200, 'a minute before the limit, still alive');
});

test('the person\'s requests move the idle clock; a token refresh and the bell\'s count do not', async () => {
  const s = await login('lyon', 'stagiaire1');
  const sid = sidOf(s);
  const age = async () => Number(await dbValue(`SELECT TIMESTAMPDIFF(SECOND, last_seen_at, NOW(3)) FROM session WHERE id = ${n(sid)}`));
  await db(`UPDATE session SET last_seen_at = NOW(3) - INTERVAL 600 SECOND WHERE id = ${n(sid)}`);

  const refreshed = await post('/api/v1/auth/refresh', undefined, { cookie: cookieOf(s), headers: { 'X-Requested-With': 'tutorat' } });
  assert.equal(refreshed.status, 200, show(refreshed));
  const count = await get('/api/v1/notifications/unread-count', { token: refreshed.body.access_token });
  assert.equal(count.status, 200, show(count));
  assert.ok(await age() >= 600, 'a refresh and the count the page polls are not the person\'s activity');

  assert.equal((await get('/api/v1/notifications', { token: refreshed.body.access_token })).status, 200);
  assert.ok(await age() < 5, 'opening the list is');
});

test('a session past its absolute lifetime ends, however active', async () => {
  const s = await login('lyon', 'stagiaire1');
  await db(`UPDATE session SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ${n(sidOf(s))}`);
  assertProblem(await me({ cookie: cookieOf(s) }), 401, 'session_expired');
});

test('an admin sees a person\'s open sessions and ends one, then all; others cannot', async () => {
  const admin = await secondFactor(await as('lyon', 'admin'), enrolled);
  const person = await freshPerson(admin, cleanup, ['stagiaire'], 't-sess');
  const [a, b] = [await sessionAs('lyon', person.id), await sessionAs('lyon', person.id)];
  const list = await get(`/api/v1/people/${person.id}/sessions`, { token: admin.token });
  assert.equal(list.status, 200, show(list));
  assert.deepEqual(list.body.items.map((s) => String(s.id)).sort(), [sidOf(a), sidOf(b)].sort());
  for (const s of list.body.items) {
    assert.match(s.last_seen_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Date.parse(s.ends_at) <= Date.parse(s.last_seen_at) + IDLE * 1000, 'ends at the idle limit at the latest');
    assert.equal(s.current, false);
  }

  const one = await del(`/api/v1/people/${person.id}/sessions/${sidOf(a)}`, { token: admin.token });
  assert.equal(one.status, 204, show(one));
  assert.equal(await dbValue(`SELECT action FROM audit_log WHERE request_id = ${q(one.requestId)}`), 'session.revoke');
  await sleep(RECHECK_MS);
  assertProblem(await me({ token: a.token }), 401, 'session_expired');
  assert.equal((await me({ token: b.token })).status, 200, 'the other session lives on');
  const again = await del(`/api/v1/people/${person.id}/sessions/${sidOf(a)}`, { token: admin.token });
  assert.equal(again.status, 404, 'an ended session is no longer there');

  const all = await del(`/api/v1/people/${person.id}/sessions`, { token: admin.token });
  assert.equal(all.status, 200, show(all));
  assert.deepEqual(all.body, { revoked: 1 });
  await sleep(RECHECK_MS);
  assertProblem(await me({ token: b.token }), 401, 'session_expired');
  assert.deepEqual((await get(`/api/v1/people/${person.id}/sessions`, { token: admin.token })).body.items, []);

  // Not the admin's business elsewhere, and not anyone else's.
  const other = await secondFactor(await as('grenoble', 'admin'), enrolled);
  const foreign = await get(`/api/v1/people/${person.id}/sessions`, { token: other.token });
  const missing = await get(`/api/v1/people/${2 ** 53 - 1}/sessions`, { token: other.token });
  assert.equal(foreign.status, 404);
  assert.equal(foreign.text, missing.text, 'another académie\'s person is a missing one');
  assertProblem(await get(`/api/v1/people/${person.id}/sessions`, { token: (await as('lyon', 'bureau1')).token }), 403, 'forbidden');
});

test('a deactivated person\'s sessions end at once, in the same transaction', async () => {
  const admin = await as('lyon', 'admin');
  const person = await freshPerson(admin, cleanup, ['stagiaire'], 't-deact');
  const s = await sessionAs('lyon', person.id);
  assert.equal((await me({ token: s.token })).status, 200);
  const version = (await get(`/api/v1/people/${person.id}`, { token: admin.token })).body.version;
  const res = await patch(`/api/v1/people/${person.id}`, { active: false }, { token: admin.token, headers: ifMatch(version) });
  assert.equal(res.status, 200, show(res));
  assert.equal(await dbValue(`SELECT COUNT(*) FROM session WHERE person_id = ${n(person.id)} AND revoked_at IS NULL`), '0');
  await sleep(RECHECK_MS);
  assertProblem(await me({ token: s.token }), 401, 'session_expired');
});
