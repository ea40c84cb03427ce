// People come from the académie's directory (issue 8, part 1): the
// pickers search the directory with the service account (GET
// /api/v1/directory/people), choosing an entry creates the person (POST
// /api/v1/directory/people), and a person is bound to their entry's
// entryUUID, not to the username: a new entry that reuses a username is
// refused at login until the admin re-links it.
//
// The entries are real ones, added to the test stack's slapd as its admin
// and removed afterwards.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  get, post, show, uniq, as, login, loginRaw, assertProblem, db, dbValue, q, academyId, ctl, pollUntil,
  auditRows, Cleanup, STATE_DIR, LDAP_URI, DEMO_PASSWORD, CONFIG, TUTORATCTL,
} from '../lib/index.mjs';

const cleanup = new Cleanup();
const BASE = 'dc=ac-poitiers,dc=fr';
const ADMIN_DN = `cn=admin,${BASE}`;
const ADMIN_SECRET = join(STATE_DIR, 'secrets', 'ldap_admin');
const TRAINEES = `cn=stagiaires,ou=groups,${BASE}`;

/** Runs an ldap-utils client as the directory's admin, LDIF (or DNs) on stdin. */
function ldapAsAdmin(cmd, input, args = []) {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, ['-x', '-H', LDAP_URI, '-D', ADMIN_DN, '-y', ADMIN_SECRET, ...args],
      (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${stderr || err.message}`)) : resolve(stdout)));
    child.stdin.end(input ?? '');
  });
}

/** The entryUUID of an entry, as slapd gives it. */
async function entryUUID(dn) {
  const out = await ldapAsAdmin('ldapsearch', '', ['-LLL', '-b', dn, '-s', 'base', '(objectClass=*)', 'entryUUID']);
  return /^entryUUID: (.+)$/m.exec(out)?.[1];
}

const undo = []; // run in reverse order
after(async () => {
  for (const step of undo.reverse()) await step().catch((err) => process.stderr.write(`cleanup: ${err.message}\n`));
  await cleanup.run();
});

/** A fresh entry in Poitiers' directory (never signed in), member of the trainees' group. */
async function freshEntry(prefix, { given = 'Inès', family = 'Delorme' } = {}) {
  const uid = uniq(prefix);
  const dn = `uid=${uid},ou=people,${BASE}`;
  await ldapAsAdmin('ldapadd', [
    `dn: ${dn}`, 'objectClass: inetOrgPerson', `uid: ${uid}`, `cn: ${given} ${family}`,
    `sn: ${family}`, `givenName: ${given}`, `displayName: ${given} ${family}`,
    `mail: ${uid}@ac-poitiers.fr`, `userPassword: ${DEMO_PASSWORD}`, '', '',
  ].join('\n'));
  undo.push(() => ldapAsAdmin('ldapdelete', `${dn}\n`));
  await ldapAsAdmin('ldapmodify', `dn: ${TRAINEES}\nchangetype: modify\nadd: member\nmember: ${dn}\n\n`);
  undo.push(() => ldapAsAdmin('ldapmodify', `dn: ${TRAINEES}\nchangetype: modify\ndelete: member\nmember: ${dn}\n\n`));
  return { uid, dn, display: `${given} ${family}` };
}

function skipWithoutSlapd(t) {
  if (existsSync(ADMIN_SECRET)) return false;
  t.skip(`no ${ADMIN_SECRET}: not a stack of ./deploy/dev`);
  return true;
}

test('the bureau des stages finds a person of the directory who never signed in, and choosing them creates the person', async (t) => {
  if (skipWithoutSlapd(t)) return;
  const bureau = await as('poitiers', 'bureau1');
  const family = `Zéphyrin${uniq('').replace(/\W/g, '')}`;
  const entry = await freshEntry('t-dir', { family });
  const poitiers = await academyId('poitiers');
  assert.equal(await dbValue(`SELECT COUNT(*) FROM person WHERE academy_id = ${poitiers} AND username = ${q(entry.uid)}`), '0',
    'not a person of the service yet');

  // The service's own list does not know them.
  const local = await get(`/api/v1/people?q=${encodeURIComponent(entry.uid)}`, { token: bureau.token });
  assert.equal(local.status, 200, show(local));
  assert.equal(local.body.total, 0);

  // The directory does: by username prefix and by family name prefix.
  for (const query of [entry.uid.slice(0, -2), family.slice(0, 12)]) {
    const found = await get(`/api/v1/directory/people?q=${encodeURIComponent(query)}`, { token: bureau.token });
    assert.equal(found.status, 200, show(found));
    assert.equal(found.body.truncated, false);
    const mine = found.body.items.filter((i) => i.username === entry.uid);
    assert.equal(mine.length, 1, `${query}: ${show(found)}`);
    assert.deepEqual(mine[0], {
      username: entry.uid, display_name: entry.display, email: `${entry.uid}@ac-poitiers.fr`,
      person_id: null, known: false, active: true,
    }, 'the configured attributes only, and not known yet');
  }

  // Choosing them creates the person, bound to the entry, with the role of their group.
  const pick = await post('/api/v1/directory/people', { username: entry.uid }, { token: bureau.token });
  assert.equal(pick.status, 201, show(pick));
  const id = cleanup.person(pick.body.id);
  const [row] = await db(`SELECT username, display_name, given_name, family_name, email, directory_id, last_login_at,
    (SELECT GROUP_CONCAT(role) FROM role_assignment ra WHERE ra.academy_id = p.academy_id AND ra.person_id = p.id)
    FROM person p WHERE academy_id = ${poitiers} AND id = ${Number(id)}`);
  assert.deepEqual(row, [entry.uid, entry.display, 'Inès', family, `${entry.uid}@ac-poitiers.fr`,
    await entryUUID(entry.dn), null, 'stagiaire']);
  const audit = await auditRows(pick.requestId);
  assert.deepEqual(audit.map((a) => [a.action, a.object_type, a.object_id, a.actor_id]),
    [['person.from_directory', 'person', Number(id), bureau.me.id]]);

  // The trainee picker of the service now lists them; the directory says they are known.
  const trainees = await get(`/api/v1/people?role=stagiaire&q=${encodeURIComponent(entry.uid)}`, { token: bureau.token });
  assert.deepEqual(trainees.body.items.map((p) => p.id), [id]);
  const again = await get(`/api/v1/directory/people?q=${encodeURIComponent(entry.uid)}`, { token: bureau.token });
  assert.deepEqual(again.body.items.map((i) => [i.username, i.person_id, i.known]), [[entry.uid, id, true]]);

  // Choosing them again is the same person (200), brought up to date.
  const second = await post('/api/v1/directory/people', { username: entry.uid }, { token: bureau.token });
  assert.equal(second.status, 200, show(second));
  assert.equal(second.body.id, id);

  // And their first login is that person.
  const s = await login('poitiers', entry.uid);
  const me = await get('/api/v1/auth/me', { token: s.token });
  assert.equal(me.body.id, id);
});

test('a directory search escapes the value: filter syntax matches nothing, it does not widen the search', async (t) => {
  if (skipWithoutSlapd(t)) return;
  const admin = await as('poitiers', 'admin');
  for (const query of ['*)(uid=*', '**', '*)(|(objectClass=*', 'a\\2a', '(uid=*)']) {
    const res = await get(`/api/v1/directory/people?q=${encodeURIComponent(query)}`, { token: admin.token });
    assert.equal(res.status, 200, `${query}: ${show(res)}`);
    assert.deepEqual(res.body.items, [], `${query} matches no one`);
  }
  // A plain prefix does find the demo accounts: the search works.
  const res = await get('/api/v1/directory/people?q=stagiaire', { token: admin.token });
  assert.ok(res.body.items.some((i) => i.username === 'stagiaire1'), show(res));
});

test('the directory search is for who picks people, with a bounded query', async (t) => {
  if (skipWithoutSlapd(t)) return;
  for (const user of ['etudiant1', 'tuteur.inspe1', 'ien1']) {
    const s = await as('poitiers', user);
    assertProblem(await get('/api/v1/directory/people?q=sta', { token: s.token }), 403, 'forbidden');
    assertProblem(await post('/api/v1/directory/people', { username: 'stagiaire2' }, { token: s.token }), 403, 'forbidden');
  }
  const bureau = await as('poitiers', 'bureau1');
  assertProblem(await get('/api/v1/directory/people?q=s', { token: bureau.token }), 422, 'invalid_field', 'q');
  assertProblem(await get('/api/v1/directory/people', { token: bureau.token }), 422, 'missing_field', 'q');
  assertProblem(await post('/api/v1/directory/people', { username: 'nobody.here' }, { token: bureau.token }), 422, 'invalid_field', 'username');
  assertProblem(await post('/api/v1/directory/people', { username: 'a)(uid=*' }, { token: bureau.token }), 422, 'invalid_field', 'username');
});

test('a search that returns more than 20 entries says it is truncated', async (t) => {
  if (skipWithoutSlapd(t)) return;
  const prefix = uniq('t-many').replace(/\W/g, '');
  const ldif = [];
  for (let i = 0; i < 22; i++) {
    const dn = `uid=${prefix}${i},ou=people,${BASE}`;
    ldif.push(`dn: ${dn}\nobjectClass: inetOrgPerson\nuid: ${prefix}${i}\ncn: Many ${i}\nsn: Many\n\n`);
    undo.push(() => ldapAsAdmin('ldapdelete', `${dn}\n`));
  }
  await ldapAsAdmin('ldapadd', ldif.join(''));
  const bureau = await as('poitiers', 'bureau1');
  const res = await get(`/api/v1/directory/people?q=${prefix}`, { token: bureau.token });
  assert.equal(res.status, 200, show(res));
  assert.equal(res.body.items.length, 20);
  assert.equal(res.body.truncated, true);
});

test('a new directory entry that reuses a username is refused, the admin sees it and re-links', async (t) => {
  if (skipWithoutSlapd(t)) return;
  const dn = `uid=tuteur.terrain1,ou=people,${BASE}`;
  const admin = await as('poitiers', 'admin');
  const poitiers = await academyId('poitiers');

  // tuteur.terrain1 signs in: bound to their entry, with their role.
  const first = await login('poitiers', 'tuteur.terrain1');
  const before = await get('/api/v1/auth/me', { token: first.token });
  const id = before.body.id;
  assert.deepEqual(before.body.roles, ['tuteur_terrain']);
  const oldUUID = await entryUUID(dn);
  assert.equal(await dbValue(`SELECT directory_id FROM person WHERE academy_id = ${poitiers} AND id = ${id}`), oldUUID);

  // The entry is deleted and another one takes the uid (it is still a
  // member of the tutors' group: no referential integrity in slapd).
  const original = await ldapAsAdmin('ldapsearch', '', ['-LLL', '-b', dn, '-s', 'base', '(objectClass=*)', '*']);
  await ldapAsAdmin('ldapdelete', `${dn}\n`);
  undo.push(async () => {
    await ldapAsAdmin('ldapdelete', `${dn}\n`).catch(() => {});
    await ldapAsAdmin('ldapadd', `${original.trim()}\n\n`);
    // Bound back to the restored entry (a new entryUUID).
    const a = await as('poitiers', 'admin');
    const res = await post(`/api/v1/people/${id}/directory-link`, {}, { token: a.token });
    if (res.status !== 200) throw new Error(`re-link after restore: ${show(res)}`);
  });
  await ldapAsAdmin('ldapadd', [
    `dn: ${dn}`, 'objectClass: inetOrgPerson', 'uid: tuteur.terrain1', 'cn: Autre Personne',
    'sn: Personne', 'givenName: Autre', 'displayName: Autre Personne', `userPassword: ${DEMO_PASSWORD}`, '', '',
  ].join('\n'));
  const newUUID = await entryUUID(dn);
  assert.notEqual(newUUID, oldUUID);

  // The login is refused, clearly; the person, their roles and session stay as they were.
  const refused = await loginRaw('poitiers', 'tuteur.terrain1', DEMO_PASSWORD);
  assertProblem(refused, 403, 'directory_identity_mismatch');
  assert.match(refused.body.detail, /Contactez l’administrateur/);
  assert.equal(refused.headers['set-cookie'], undefined, 'no session');
  const [row] = await db(`SELECT display_name, directory_id, directory_mismatch_id FROM person WHERE academy_id = ${poitiers} AND id = ${id}`);
  assert.deepEqual(row, [before.body.display_name, oldUUID, newUUID], 'nothing inherited: the name stays, the mismatch is stored');
  assert.deepEqual((await auditRows(refused.requestId)).map((a) => [a.action, a.object_id]),
    [['auth.login_identity_mismatch', Number(id)]]);

  // Picking the username from the directory is refused the same way.
  const bureau = await as('poitiers', 'bureau1');
  assertProblem(await post('/api/v1/directory/people', { username: 'tuteur.terrain1' }, { token: bureau.token }), 409, 'conflict', 'username');

  // The admin sees the mismatch on the person and in the list.
  const seen = await get(`/api/v1/people/${id}`, { token: admin.token });
  assert.equal(seen.body.directory_mismatch, true, show(seen));
  assert.equal(seen.body.directory_bound, true);
  const list = await get('/api/v1/people?q=tuteur.terrain1', { token: admin.token });
  assert.deepEqual(list.body.items.map((p) => [p.id, p.directory_mismatch]), [[id, true]]);
  // Only the admin re-links.
  assertProblem(await post(`/api/v1/people/${id}/directory-link`, {}, { token: bureau.token }), 403, 'forbidden');

  // The admin re-links: audited, the person now follows the new entry.
  const link = await post(`/api/v1/people/${id}/directory-link`, {}, { token: admin.token });
  assert.equal(link.status, 200, show(link));
  assert.equal(link.body.directory_mismatch, false);
  assert.equal(link.body.display_name, 'Autre Personne');
  assert.deepEqual((await auditRows(link.requestId)).map((a) => [a.action, a.object_id, a.actor_id]),
    [['person.directory_link', Number(id), admin.me.id]]);
  assert.equal(await dbValue(`SELECT directory_id FROM person WHERE academy_id = ${poitiers} AND id = ${id}`), newUUID);
  const s = await login('poitiers', 'tuteur.terrain1');
  const after2 = await get('/api/v1/auth/me', { token: s.token });
  assert.equal(after2.body.id, id);
  assert.equal(after2.body.display_name, 'Autre Personne');
});

test('sync-directory brings a changed name in, and deactivates a person gone from the directory with their sessions revoked', async (t) => {
  if (skipWithoutSlapd(t)) return;
  const poitiers = await academyId('poitiers');
  const entry = await freshEntry('t-sync', { given: 'Noé', family: 'Avant' });
  const s = await login('poitiers', entry.uid);
  const id = cleanup.person((await get('/api/v1/auth/me', { token: s.token })).body.id);

  // A new name in the directory reaches the person at the next sync.
  await ldapAsAdmin('ldapmodify', `dn: ${entry.dn}\nchangetype: modify\nreplace: displayName\ndisplayName: Noé Après\n-\nreplace: sn\nsn: Après\n\n`);
  const first = await ctl('sync-directory', 'poitiers');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^sync-directory poitiers: \d+ checked, 0 deactivated, \d+ left for the administrator\n$/);
  assert.deepEqual(await db(`SELECT display_name, family_name, active FROM person WHERE academy_id = ${poitiers} AND id = ${Number(id)}`),
    [['Noé Après', 'Après', '1']]);
  assert.equal((await get('/api/v1/auth/me', { token: s.token })).status, 200, 'still signed in');

  // The entry goes: the person is deactivated and their session revoked.
  await ldapAsAdmin('ldapdelete', `${entry.dn}\n`);
  const second = await ctl('sync-directory', 'poitiers');
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /^sync-directory poitiers: \d+ checked, 1 deactivated, /);
  assert.deepEqual(await db(`SELECT active FROM person WHERE academy_id = ${poitiers} AND id = ${Number(id)}`), [['0']]);
  assert.equal(await dbValue(`SELECT COUNT(*) FROM session WHERE academy_id = ${poitiers} AND person_id = ${Number(id)} AND revoked_at IS NULL`), '0');
  const refused = await pollUntil(async () => (await get('/api/v1/auth/me', { token: s.token })).status === 401);
  assert.ok(!refused.timedOut, 'the access token stops working');
  const refresh = await post('/api/v1/auth/refresh', null, { headers: { Cookie: s.cookie } });
  assert.equal(refresh.status, 401, show(refresh));

  // Audited: counts and ids, no name.
  const rows = await db(`SELECT detail FROM audit_log WHERE academy_id = ${poitiers} AND action = 'directory.sync'
    AND detail LIKE '%${Number(id)}%'`);
  assert.equal(rows.length, 1);
  const detail = JSON.parse(rows[0][0]);
  assert.deepEqual(detail.deactivated, [Number(id)]);
  assert.ok(!rows[0][0].includes(entry.uid) && !rows[0][0].includes('Après'), rows[0][0]);

  // Every académie when none is named; an unknown one is an error.
  const all = await ctl('sync-directory');
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /^sync-directory lyon: .*\nsync-directory grenoble: .*\nsync-directory poitiers: /);
  assert.equal((await ctl('sync-directory', 'nowhere')).code, 1);
});

test('sync-directory fails, saying so, when the directory does not answer or has no such base, and deactivates no one', async (t) => {
  if (skipWithoutSlapd(t)) return;
  // The stack's configuration with Poitiers' directory broken (written
  // beside it: its relative paths are resolved from its directory): on a
  // port where no one listens, or with a search base that does not exist
  // (which must not read as "every entry gone").
  const poitiers = await academyId('poitiers');
  const cases = [
    [/(\[academy poitiers\][^[]*?ldap_uri = )\S+/, '$1ldap://127.0.0.1:9', /the directory does not answer/],
    [/(\[academy poitiers\][^[]*?search_base = )\S+/, '$1ou=nowhere,dc=ac-poitiers,dc=fr', /the directory does not answer \(search base not found\)/],
  ];
  for (const [pattern, replacement, message] of cases) {
    const ini = join(dirname(CONFIG), `ldap-broken-${process.pid}.ini`);
    const text = readFileSync(CONFIG, 'utf8').replace(pattern, replacement);
    assert.notEqual(text, readFileSync(CONFIG, 'utf8'));
    writeFileSync(ini, text);
    try {
      const before = await dbValue(`SELECT COUNT(*) FROM person WHERE academy_id = ${poitiers} AND active`);
      assert.ok(Number(before) > 0);
      const res = await new Promise((resolve) => {
        execFile(TUTORATCTL, ['-c', ini, 'sync-directory', 'poitiers'], (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
      });
      assert.equal(res.code, 1, res.stdout);
      assert.match(res.stderr, /sync-directory poitiers: /);
      assert.match(res.stderr, message);
      assert.match(res.stdout, /sync-directory poitiers: 0 checked, 0 deactivated, 0 left for the administrator \(stopped: failed\)/);
      assert.equal(await dbValue(`SELECT COUNT(*) FROM person WHERE academy_id = ${poitiers} AND active`), before, 'no one deactivated');
    } finally {
      unlinkSync(ini);
    }
  }
});

test('a hung directory: the directory search and pick answer 503 naming it, the service’s own people still answer', async (t) => {
  if (skipWithoutSlapd(t)) return;
  const bureau = await as('poitiers', 'bureau1');
  const pid = Number(readFileSync(join(STATE_DIR, 'run', 'slapd.pid'), 'utf8').trim());
  let search;
  let pick;
  let local;
  process.kill(pid, 'SIGSTOP');
  try {
    search = await get('/api/v1/directory/people?q=stagiaire', { token: bureau.token });
    pick = await post('/api/v1/directory/people', { username: 'stagiaire2' }, { token: bureau.token });
    local = await get('/api/v1/people?q=bureau1', { token: bureau.token });
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  assertProblem(search, 503, 'ldap_unavailable');
  assert.match(search.body.detail, /L’annuaire de l’académie ne répond pas/);
  assertProblem(pick, 503, 'ldap_unavailable');
  assert.deepEqual(await auditRows(pick.requestId), [], 'nothing written');
  assert.equal(local.status, 200, show(local));
  assert.ok(local.body.items.some((p) => p.username === 'bureau1'));
  // Back: the search answers again.
  const again = await get('/api/v1/directory/people?q=stagiaire', { token: bureau.token });
  assert.equal(again.status, 200, show(again));
});
