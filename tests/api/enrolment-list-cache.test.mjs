// GET /api/v1/enrolments answers from each worker's cache of rendered pages
// while nothing the page shows has changed (the fingerprint of the
// académie's enrolments and reference data, modules/tutorat/tutorat_sql_db.c).
// What the user checks: right after each kind of write that changes a
// listed enrolment, every answer shows the change. Each list is asked more
// often than there are workers, so that every worker's cache is tried.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import {
  get, post, put, patch, show, as, login, Cleanup, STATE_DIR, LDAP_URI,
} from '../lib/index.mjs';
import { ifMatch, freshPerson, enrol, trioFixture } from '../lib/tutorat.mjs';

const ASKS = 24; // more than the test stack's 8 worker threads
const cleanup = new Cleanup();
after(() => cleanup.run());

let fx, bureau;
before(async () => {
  fx = await trioFixture(cleanup);
  bureau = await as('lyon', 'bureau1');
});

/** The fixture's enrolment in the bureau's list of its year, ASKS times. */
async function everyAnswer(check) {
  for (let i = 0; i < ASKS; i++) {
    const res = await get(`/api/v1/enrolments?year_id=${fx.year.id}&limit=200`, { token: bureau.token });
    assert.equal(res.status, 200, show(res));
    check(res.body, res.body.items.find((it) => it.id === fx.enrolmentId));
  }
}

test('an enrolment updated by a manager: every answer of the list shows it at once', async () => {
  await everyAnswer((_, it) => assert.equal(it.renouvellement, false));
  const current = await get(`/api/v1/enrolments/${fx.enrolmentId}`, { token: bureau.token });
  const res = await patch(`/api/v1/enrolments/${fx.enrolmentId}`, { renouvellement: true },
    { token: bureau.token, headers: ifMatch(current.body.version) });
  assert.equal(res.status, 200, show(res));
  await everyAnswer((_, it) => {
    assert.equal(it.renouvellement, true);
    assert.equal(it.inspe_hours, 7);
  });
});

test('a tutor replaced: every answer names the new one', async () => {
  const newcomer = await freshPerson(fx.admin, cleanup, ['tuteur_terrain'], 't-cache');
  await everyAnswer((_, it) => assert.equal(it.tutors.tuteur_terrain.id, fx.terrain.me.id));
  const current = await get(`/api/v1/enrolments/${fx.enrolmentId}`, { token: bureau.token });
  const res = await put(`/api/v1/enrolments/${fx.enrolmentId}/tutors`, { tuteur_terrain_id: newcomer.id }, { token: bureau.token, headers: ifMatch(current.body.version) });
  assert.equal(res.status, 200, show(res));
  await everyAnswer((_, it) => assert.equal(it.tutors.tuteur_terrain.id, newcomer.id));
});

test('the school of its place renamed (reference data): every answer shows the new name', async (t) => {
  const school = await get(`/api/v1/structures/${fx.ids.school}`, { token: fx.admin.token });
  assert.equal(school.status, 200, show(school));
  const before = school.body.name;
  await everyAnswer((_, it) => assert.equal(it.places[0].school.name, before));
  const renamed = await patch(`/api/v1/structures/${fx.ids.school}`, { name: `${before} (renommée)` },
    { token: fx.admin.token, headers: ifMatch(school.body.version) });
  assert.equal(renamed.status, 200, show(renamed));
  t.after(() => patch(`/api/v1/structures/${fx.ids.school}`, { name: before },
    { token: fx.admin.token, headers: ifMatch(renamed.body.version) }));
  await everyAnswer((_, it) => assert.equal(it.places[0].school.name, `${before} (renommée)`));
});

test('a new enrolment in the year: every answer counts and lists it', async () => {
  let total;
  await everyAnswer((body) => { total = body.total; });
  const trainee = await freshPerson(fx.admin, cleanup, ['stagiaire'], 't-cache');
  const id = await enrol(fx.admin, cleanup, { ...fx.body, trainee_id: trainee.id });
  await everyAnswer((body) => {
    assert.equal(body.total, total + 1);
    assert.ok(body.items.some((it) => it.id === id), 'the new enrolment is listed');
  });
});

test('the list of another caller is never served from this one\'s page', async () => {
  // The trainee sees only their own enrolment, whatever the bureau asked before.
  await everyAnswer(() => {});
  for (let i = 0; i < ASKS; i++) {
    const res = await get(`/api/v1/enrolments?year_id=${fx.year.id}&limit=200`, { token: fx.trainee.token });
    assert.equal(res.status, 200, show(res));
    assert.deepEqual(res.body.items.map((it) => [it.id, it.relation]), [[fx.enrolmentId, 'trainee']]);
  }
  const other = await post('/api/v1/auth/login', { academy: 'grenoble', username: 'bureau1', password: 'demo' });
  assert.equal(other.status, 200, show(other));
  const theirs = await get(`/api/v1/enrolments?year_id=${fx.year.id}&limit=200`, { token: other.body.access_token });
  assert.equal(theirs.status, 200, show(theirs));
  assert.deepEqual(theirs.body.items, [], 'another académie lists none of Lyon\'s');
});

/** An ldap-utils client as the Lyon directory's admin, LDIF on stdin. */
function ldapAsAdmin(cmd, args, ldif = '') {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, ['-x', '-H', LDAP_URI, '-D', 'cn=admin,dc=ac-lyon,dc=fr',
      '-y', join(STATE_DIR, 'secrets', 'ldap_admin'), ...args],
    (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${stderr || err.message}`)) : resolve(stdout)));
    child.stdin.end(ldif);
  });
}

test("a trainee's name refreshed from the directory at their login: every answer shows it", async (t) => {
  const dn = 'uid=stagiaire1,ou=people,dc=ac-lyon,dc=fr';
  const setName = (name) => ldapAsAdmin('ldapmodify', [],
    `dn: ${dn}\nchangetype: modify\nreplace: displayName\ndisplayName: ${name}\n`);
  const found = await ldapAsAdmin('ldapsearch', ['-LLL', '-b', dn, '-s', 'base', 'displayName']);
  const was = /^displayName: (.*)$/m.exec(found)?.[1];
  assert.ok(was, found);
  t.after(async () => { await setName(was); await login('lyon', 'stagiaire1'); });
  await everyAnswer((_, it) => assert.equal(it.trainee.display_name, was));
  await setName(`${was} Renommée`);
  await login('lyon', 'stagiaire1'); // the login brings the new name into the service
  await everyAnswer((_, it) => assert.equal(it.trainee.display_name, `${was} Renommée`));
});
