// The annuaire module (issue §4, contract "Annuaire"): people, assignments,
// structures, years; who may do what; every write stored and audited once
// under its request id.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import {
  request, get, post, patch, del, show, uniq, as, login, loginRaw, assertProblem, pollUntil, freshAddress,
  db, dbValue, q, n, academyId, auditRows, Cleanup,
} from '../lib/index.mjs';

const cleanup = new Cleanup();
after(() => cleanup.run());

let admin, trainee, lyon, ids;
before(async () => {
  admin = await as('lyon', 'admin');
  trainee = await as('lyon', 'stagiaire1');
  // Sign in the other demo accounts once, so the directory holds them all.
  for (const u of ['stagiaire2', 'tuteur.terrain1', 'tuteur.inspe1', 'ien1', 'direction1', 'bureau1']) await as('lyon', u);
  lyon = await academyId('lyon');
  const one = async (sql) => Number(await dbValue(sql));
  ids = {
    ain: await one(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'departement' AND code = '01'`),
    pole: await one(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'pole' ORDER BY id LIMIT 1`),
    circ: await one(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'circonscription' ORDER BY id LIMIT 1`),
    school: await one(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'school' ORDER BY id LIMIT 1`),
    site: await one(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'inspe_site' ORDER BY id LIMIT 1`),
    currentYear: await one(`SELECT id FROM school_year WHERE academy_id = ${lyon} AND current`),
  };
});

/** Exactly one audit row under the answer's X-Request-Id, with these values. */
async function assertAudited(res, action, objectType, objectId, actor = admin.me.id) {
  assert.ok(res.requestId, 'X-Request-Id on the answer');
  const rows = await auditRows(res.requestId);
  assert.deepEqual(rows, [{ academy: 'lyon', action, actor_id: actor, object_type: objectType, object_id: Number(objectId) }],
    `one audit row for request ${res.requestId}`);
}

async function assertNotAudited(res) {
  assert.deepEqual(await auditRows(res.requestId), [], `no audit row for the refused request ${res.requestId}`);
}

async function createPerson(extra = {}) {
  const username = uniq('t-p');
  const res = await post('/api/v1/people', { username, display_name: `Test ${username}`, ...extra }, { token: admin.token });
  assert.equal(res.status, 201, show(res));
  cleanup.person(res.body.id);
  return { id: res.body.id, username, res };
}

/** A random UAI that no structure has: 7 digits and a letter. */
async function freshUai() {
  for (;;) {
    const uai = `09${String(randomInt(0, 1e5)).padStart(5, '0')}${String.fromCharCode(65 + randomInt(0, 26))}`;
    if ((await dbValue(`SELECT COUNT(*) FROM structure WHERE code = ${q(uai)}`)) === '0') return uai;
  }
}

// ---------------------------------------------------------------- people

test('people: list shape, total, pagination without overlap', async () => {
  const total = Number(await dbValue(`SELECT COUNT(*) FROM person WHERE academy_id = ${lyon}`));
  const all = await get('/api/v1/people', { token: admin.token, query: { limit: 200 } });
  assert.equal(all.status, 200, show(all));
  assert.equal(all.body.total, total);
  const first = all.body.items[0];
  for (const k of ['id', 'username', 'display_name', 'email', 'roles']) assert.ok(k in first, `item member ${k}: ${JSON.stringify(first)}`);
  assert.ok(Array.isArray(first.roles));

  const p1 = await get('/api/v1/people', { token: admin.token, query: { limit: 3, offset: 0 } });
  const p2 = await get('/api/v1/people', { token: admin.token, query: { limit: 3, offset: 3 } });
  assert.equal(p1.status, 200);
  assert.equal(p1.body.items.length, Math.min(3, total));
  assert.equal(p1.body.total, total);
  assert.equal(p2.body.total, total);
  const ids1 = p1.body.items.map((p) => p.id);
  const ids2 = p2.body.items.map((p) => p.id);
  assert.deepEqual(ids1.filter((x) => ids2.includes(x)), [], 'pages do not overlap');
  assert.deepEqual([...ids1, ...ids2], all.body.items.slice(0, ids1.length + ids2.length).map((p) => p.id), 'pages follow the full order');
  const beyond = await get('/api/v1/people', { token: admin.token, query: { offset: total + 10 } });
  assert.deepEqual(beyond.body.items, []);
  assert.equal(beyond.body.total, total);
});

test('people: search by name, username or email; role filter; wildcards are literal', async () => {
  const byUser = await get('/api/v1/people', { token: admin.token, query: { q: 'tuteur.terrain1' } });
  assert.equal(byUser.status, 200, show(byUser));
  assert.deepEqual(byUser.body.items.map((p) => p.username), ['tuteur.terrain1']);
  assert.equal(byUser.body.total, 1);
  assert.deepEqual(byUser.body.items[0].roles, ['tuteur_terrain']);

  const byName = await get('/api/v1/people', { token: admin.token, query: { q: 'Camille' } });
  assert.ok(byName.body.items.some((p) => p.username === 'stagiaire1'), show(byName));
  const byMail = await get('/api/v1/people', { token: admin.token, query: { q: 'isabelle.moreau@' } });
  assert.deepEqual(byMail.body.items.map((p) => p.username), ['ien1']);

  const trainees = await get('/api/v1/people', { token: admin.token, query: { role: 'stagiaire', limit: 200 } });
  assert.equal(trainees.status, 200);
  const usernames = trainees.body.items.map((p) => p.username);
  assert.ok(usernames.includes('stagiaire1') && usernames.includes('stagiaire2'), usernames.join());
  for (const p of trainees.body.items) assert.ok(p.roles.includes('stagiaire'), `${p.username} holds the role`);
  const dbTrainees = await dbValue(`SELECT COUNT(DISTINCT person_id) FROM role_assignment WHERE academy_id = ${lyon} AND role = 'stagiaire'`);
  assert.equal(trainees.body.total, Number(dbTrainees));

  const pct = await get('/api/v1/people', { token: admin.token, query: { q: '%' } });
  assert.equal(pct.status, 200);
  assert.deepEqual(pct.body.items.filter((p) => ![p.username, p.display_name, p.email ?? ''].some((s) => s.includes('%'))), [],
    '% matches only a literal %');
  const us = await get('/api/v1/people', { token: admin.token, query: { q: '_' } });
  assert.deepEqual(us.body.items.filter((p) => ![p.username, p.display_name, p.email ?? ''].some((s) => s.includes('_'))), [],
    '_ matches only a literal _');
});

test('person detail: assignments with their scope and source, version and ETag', async () => {
  const ien = (await as('lyon', 'ien1')).me;
  const res = await get(`/api/v1/people/${ien.id}`, { token: admin.token });
  assert.equal(res.status, 200, show(res));
  assert.equal(res.body.id, ien.id);
  assert.equal(res.body.username, 'ien1');
  assert.equal(res.body.display_name, 'Isabelle Moreau');
  assert.ok(Number.isInteger(res.body.version) && res.body.version >= 1);
  assert.equal(res.headers.etag, `"${res.body.version}"`);
  const a = res.body.assignments;
  const pilot = a.find((x) => x.role === 'pilote_pole');
  assert.ok(pilot, `pilote_pole assignment: ${JSON.stringify(a)}`);
  assert.equal(pilot.scope_kind, 'pole');
  assert.equal(pilot.source, 'local');
  assert.equal(typeof pilot.scope_id, 'number');
  assert.equal(pilot.scope_name, await dbValue(`SELECT name FROM structure WHERE id = ${n(pilot.scope_id)}`));
  const fromLdap = a.find((x) => x.role === 'ien' && x.source === 'ldap');
  assert.ok(fromLdap, 'the directory role, refreshed at login');
  assert.equal(fromLdap.scope_kind, 'academy');
  assert.equal(fromLdap.scope_id, null);
  const dbRows = await db(`SELECT id FROM role_assignment WHERE academy_id = ${lyon} AND person_id = ${n(ien.id)}`);
  assert.deepEqual(a.map((x) => String(x.id)).sort(), dbRows.map((r) => r[0]).sort());
});

test('create a person (admin): 201, Location, the row, one audit row person.create by the admin', async () => {
  const username = uniq('t-create');
  const body = { username, display_name: 'Test Création', given_name: 'Test', family_name: 'Création', email: `${username}@example.fr` };
  const res = await post('/api/v1/people', body, { token: admin.token });
  assert.equal(res.status, 201, show(res));
  cleanup.person(res.body.id);
  assert.deepEqual(Object.keys(res.body), ['id']);
  assert.equal(res.headers.location, `/api/v1/people/${res.body.id}`);
  const rows = await db(`SELECT academy_id, username, display_name, given_name, family_name, email, active, version, ldap_dn
    FROM person WHERE id = ${n(res.body.id)}`);
  assert.deepEqual(rows, [[String(lyon), username, 'Test Création', 'Test', 'Création', body.email, '1', '1', null]]);
  await assertAudited(res, 'person.create', 'person', res.body.id);

  const detail = await get(`/api/v1/people/${res.body.id}`, { token: admin.token });
  assert.equal(detail.body.origin, 'local');
  assert.deepEqual(detail.body.assignments, []);

  const dup = await post('/api/v1/people', { username, display_name: 'Autre' }, { token: admin.token });
  assertProblem(dup, 409, 'conflict', 'username');
  await assertNotAudited(dup);
  assert.equal(await dbValue(`SELECT COUNT(*) FROM person WHERE academy_id = ${lyon} AND username = ${q(username)}`), '1');
});

test('PATCH a person with If-Match: right version → 200 and version+1; stale → 412; none → 428', async () => {
  const p = await createPerson({ email: 'avant@example.fr' });
  const ok = await patch(`/api/v1/people/${p.id}`, { display_name: 'Test Renommée', email: null }, { token: admin.token, headers: { 'If-Match': '"1"' } });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.version, 2);
  assert.equal(ok.body.display_name, 'Test Renommée');
  assert.equal(ok.body.email, null);
  assert.equal(ok.headers.etag, '"2"');
  assert.deepEqual(await db(`SELECT display_name, email, version FROM person WHERE id = ${n(p.id)}`), [['Test Renommée', null, '2']]);
  await assertAudited(ok, 'person.update', 'person', p.id);

  const stale = await patch(`/api/v1/people/${p.id}`, { display_name: 'Test Périmée' }, { token: admin.token, headers: { 'If-Match': '"1"' } });
  assertProblem(stale, 412, 'version_mismatch');
  assert.deepEqual(await db(`SELECT display_name, version FROM person WHERE id = ${n(p.id)}`), [['Test Renommée', '2']], 'row unchanged');
  await assertNotAudited(stale);

  const none = await patch(`/api/v1/people/${p.id}`, { display_name: 'Test Sans' }, { token: admin.token });
  assertProblem(none, 428, 'precondition_required');
  const garbled = await patch(`/api/v1/people/${p.id}`, { display_name: 'Test Sans' }, { token: admin.token, headers: { 'If-Match': '2' } });
  assertProblem(garbled, 412, 'version_mismatch');
  assert.deepEqual(await db(`SELECT display_name, version FROM person WHERE id = ${n(p.id)}`), [['Test Renommée', '2']], 'row unchanged');
  await assertNotAudited(none);

  const weak = await patch(`/api/v1/people/${p.id}`, { active: false }, { token: admin.token, headers: { 'If-Match': 'W/"2"' } });
  assert.equal(weak.status, 200, show(weak));
  assert.equal(weak.body.active, false);
  assert.equal(weak.body.version, 3);

  const unknown = await patch(`/api/v1/people/${2 ** 53 - 1}`, { display_name: 'X' }, { token: admin.token, headers: { 'If-Match': '"1"' } });
  assertProblem(unknown, 404, 'not_found');

  const self = await get(`/api/v1/people/${admin.me.id}`, { token: admin.token });
  const selfOff = await patch(`/api/v1/people/${admin.me.id}`, { active: false }, { token: admin.token, headers: { 'If-Match': self.headers.etag } });
  assertProblem(selfOff, 409, 'conflict', 'active');
  assert.equal(await dbValue(`SELECT active FROM person WHERE id = ${n(admin.me.id)}`), '1');
});

// ---------------------------------------------------------------- assignments

test('assignments: create with a scope that fits, refuse one that does not, delete', async () => {
  const p = await createPerson();
  const url = `/api/v1/people/${p.id}/assignments`;

  const ok = await post(url, { role: 'tuteur_terrain', scope_kind: 'pole', scope_id: ids.pole }, { token: admin.token });
  assert.equal(ok.status, 201, show(ok));
  assert.deepEqual(await db(`SELECT person_id, role, scope_kind, scope_id, source FROM role_assignment WHERE id = ${n(ok.body.id)}`),
    [[String(p.id), 'tuteur_terrain', 'pole', String(ids.pole), 'local']]);
  await assertAudited(ok, 'assignment.create', 'role_assignment', ok.body.id);
  const detail = await get(`/api/v1/people/${p.id}`, { token: admin.token });
  assert.deepEqual(detail.body.assignments.map((a) => [a.id, a.role, a.scope_kind, a.scope_id, a.source]),
    [[ok.body.id, 'tuteur_terrain', 'pole', ids.pole, 'local']]);

  const academyWide = await post(url, { role: 'bureau_stages', scope_kind: 'academy' }, { token: admin.token });
  assert.equal(academyWide.status, 201, show(academyWide));
  const nullScope = await post(url, { role: 'mat', scope_kind: 'academy', scope_id: null }, { token: admin.token });
  assert.equal(nullScope.status, 201, show(nullScope));

  const count = () => dbValue(`SELECT COUNT(*) FROM role_assignment WHERE person_id = ${n(p.id)}`);
  const before = await count();
  for (const [body, status, code, field] of [
    [{ role: 'tuteur_terrain', scope_kind: 'pole', scope_id: ids.school }, 422, 'invalid_field', 'scope_id'],
    [{ role: 'ien', scope_kind: 'circonscription', scope_id: ids.pole }, 422, 'invalid_field', 'scope_id'],
    [{ role: 'tuteur_terrain', scope_kind: 'academy', scope_id: ids.pole }, 422, 'invalid_field', 'scope_id'],
    [{ role: 'tuteur_terrain', scope_kind: 'pole' }, 422, 'missing_field', 'scope_id'],
    [{ role: 'tuteur_terrain', scope_kind: 'pole', scope_id: 2 ** 53 - 1 }, 422, 'invalid_field', 'scope_id'],
    [{ role: 'roi', scope_kind: 'academy' }, 422, 'invalid_field', 'role'],
    [{ role: 'tuteur_terrain', scope_kind: 'planet' }, 422, 'invalid_field', 'scope_kind'],
    [{ role: 'tuteur_terrain', scope_kind: 'pole', scope_id: ids.pole }, 409, 'conflict', 'role'],
  ]) {
    const res = await post(url, body, { token: admin.token });
    assertProblem(res, status, code, field);
    await assertNotAudited(res);
  }
  assert.equal(await count(), before, 'no refused assignment stored');
  const unknownPerson = await post(`/api/v1/people/${2 ** 53 - 1}/assignments`, { role: 'mat', scope_kind: 'academy' }, { token: admin.token });
  assertProblem(unknownPerson, 404, 'not_found');

  const gone = await del(`/api/v1/assignments/${ok.body.id}`, { token: admin.token });
  assert.equal(gone.status, 204, show(gone));
  assert.equal(gone.text, '');
  assert.equal(await dbValue(`SELECT COUNT(*) FROM role_assignment WHERE id = ${n(ok.body.id)}`), '0');
  await assertAudited(gone, 'assignment.delete', 'role_assignment', ok.body.id);
  const again = await del(`/api/v1/assignments/${ok.body.id}`, { token: admin.token });
  assertProblem(again, 404, 'not_found');
  await assertNotAudited(again);
});

test('an assignment that comes from LDAP cannot be deleted here: 409, row kept', async () => {
  const [[id]] = await db(`SELECT id FROM role_assignment WHERE academy_id = ${lyon} AND person_id = ${n(trainee.me.id)} AND source = 'ldap' LIMIT 1`);
  const res = await del(`/api/v1/assignments/${id}`, { token: admin.token });
  assertProblem(res, 409, 'conflict');
  assert.equal(await dbValue(`SELECT COUNT(*) FROM role_assignment WHERE id = ${n(id)}`), '1');
  await assertNotAudited(res);
});

// ---------------------------------------------------------------- structures

test('structures: list, filter by kind, parent and text', async () => {
  const all = await get('/api/v1/structures', { token: trainee.token, query: { limit: 200 } });
  assert.equal(all.status, 200, show(all));
  const s = all.body.items[0];
  for (const k of ['id', 'kind', 'code', 'name', 'parent_id', 'parent_name']) assert.ok(k in s, `member ${k}: ${JSON.stringify(s)}`);

  const poles = await get('/api/v1/structures', { token: trainee.token, query: { kind: 'pole', limit: 200 } });
  assert.ok(poles.body.items.length > 0);
  for (const x of poles.body.items) assert.equal(x.kind, 'pole');
  assert.equal(poles.body.items.length, Number(await dbValue(`SELECT COUNT(*) FROM structure WHERE academy_id = ${lyon} AND kind = 'pole'`)));

  const inAin = await get('/api/v1/structures', { token: trainee.token, query: { parent_id: ids.ain, limit: 200 } });
  assert.ok(inAin.body.items.length > 0);
  for (const x of inAin.body.items) {
    assert.equal(x.parent_id, ids.ain);
    assert.equal(x.parent_name, 'Ain');
  }
  const rhone = await get('/api/v1/structures', { token: trainee.token, query: { q: 'Rhône', kind: 'departement' } });
  assert.deepEqual(rhone.body.items.map((x) => [x.code, x.name]), [['69', 'Rhône']]);

  const pole = await get(`/api/v1/structures/${ids.pole}`, { token: trainee.token });
  assert.equal(pole.status, 200, show(pole));
  assert.equal(pole.body.kind, 'pole');
  assert.equal(pole.headers.etag, `"${pole.body.version}"`);
  assert.ok(Array.isArray(pole.body.circonscriptions) && pole.body.circonscriptions.length > 0, 'a pôle lists its circonscriptions');
});

test('structures: create with the parent rules, duplicate codes refused', async () => {
  const token = admin.token;
  const code = `T${randomInt(1e6, 1e7)}`;
  const dep = await post('/api/v1/structures', { kind: 'departement', code, name: `Test département ${code}` }, { token });
  assert.equal(dep.status, 201, show(dep));
  cleanup.structure(dep.body.id);
  assert.equal(dep.headers.location, `/api/v1/structures/${dep.body.id}`);
  assert.deepEqual(await db(`SELECT academy_id, kind, code, parent_id, version FROM structure WHERE id = ${n(dep.body.id)}`),
    [[String(lyon), 'departement', code, null, '1']]);
  await assertAudited(dep, 'structure.create', 'structure', dep.body.id);

  const circ = await post('/api/v1/structures', { kind: 'circonscription', name: `Test circonscription ${code}`, parent_id: dep.body.id }, { token });
  assert.equal(circ.status, 201, show(circ));
  cleanup.structure(circ.body.id);
  await assertAudited(circ, 'structure.create', 'structure', circ.body.id);
  const uai = await freshUai();
  const school = await post('/api/v1/structures', { kind: 'school', code: uai, name: `Test école ${code}`, parent_id: circ.body.id }, { token });
  assert.equal(school.status, 201, show(school));
  cleanup.structure(school.body.id);
  const got = await get(`/api/v1/structures/${school.body.id}`, { token });
  assert.equal(got.body.parent_name, `Test circonscription ${code}`);

  const countAll = () => dbValue(`SELECT COUNT(*) FROM structure WHERE academy_id = ${lyon}`);
  const before = await countAll();
  for (const [body, status, codeErr, field] of [
    [{ kind: 'circonscription', name: 'Test orpheline' }, 422, 'missing_field', 'parent_id'],
    [{ kind: 'pole', name: 'Test pôle', parent_id: ids.school }, 422, 'invalid_field', 'parent_id'],
    [{ kind: 'school', code: await freshUai(), name: 'Test école', parent_id: ids.pole }, 422, 'invalid_field', 'parent_id'],
    [{ kind: 'inspe_site', name: 'Test site', parent_id: ids.ain }, 422, 'invalid_field', 'parent_id'],
    [{ kind: 'school', code: 'ABC', name: 'Test école', parent_id: circ.body.id }, 422, 'invalid_field', 'code'],
    [{ kind: 'school', name: 'Test école', parent_id: circ.body.id }, 422, 'invalid_field', 'code'],
    [{ kind: 'departement', code, name: 'Test doublon' }, 409, 'conflict', 'code'],
    [{ kind: 'hopital', name: 'Test' }, 422, 'invalid_field', 'kind'],
    [{ kind: 'pole', name: 'Test', parent_id: 2 ** 53 - 1 }, 422, 'invalid_field', 'parent_id'],
  ]) {
    const res = await post('/api/v1/structures', body, { token });
    assertProblem(res, status, codeErr, field);
    await assertNotAudited(res);
  }
  assert.equal(await countAll(), before, 'no refused structure stored');
});

test('structures: PATCH with If-Match and the parent rules', async () => {
  const token = admin.token;
  const site = await post('/api/v1/structures', { kind: 'inspe_site', name: uniq('Test site') }, { token });
  assert.equal(site.status, 201, show(site));
  cleanup.structure(site.body.id);
  const ok = await patch(`/api/v1/structures/${site.body.id}`, { name: 'Test site renommé' }, { token, headers: { 'If-Match': '"1"' } });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.version, 2);
  assert.equal(ok.body.name, 'Test site renommé');
  assert.equal(ok.headers.etag, '"2"');
  await assertAudited(ok, 'structure.update', 'structure', site.body.id);

  const stale = await patch(`/api/v1/structures/${site.body.id}`, { name: 'Test périmé' }, { token, headers: { 'If-Match': '"1"' } });
  assertProblem(stale, 412, 'version_mismatch');
  const none = await patch(`/api/v1/structures/${site.body.id}`, { name: 'Test sans' }, { token });
  assertProblem(none, 428, 'precondition_required');
  const parent = await patch(`/api/v1/structures/${site.body.id}`, { parent_id: ids.ain }, { token, headers: { 'If-Match': '"2"' } });
  assertProblem(parent, 422, 'invalid_field', 'parent_id');
  for (const r of [stale, none, parent]) await assertNotAudited(r);
  assert.deepEqual(await db(`SELECT name, version, parent_id FROM structure WHERE id = ${n(site.body.id)}`), [['Test site renommé', '2', null]]);

  const circ = await post('/api/v1/structures', { kind: 'circonscription', name: uniq('Test circ'), parent_id: ids.ain }, { token });
  assert.equal(circ.status, 201, show(circ));
  cleanup.structure(circ.body.id);
  const self = await patch(`/api/v1/structures/${circ.body.id}`, { parent_id: circ.body.id }, { token, headers: { 'If-Match': '"1"' } });
  assertProblem(self, 422, 'invalid_field', 'parent_id');
  const wrongKind = await patch(`/api/v1/structures/${circ.body.id}`, { parent_id: ids.pole }, { token, headers: { 'If-Match': '"1"' } });
  assertProblem(wrongKind, 422, 'invalid_field', 'parent_id');
  const rhone = Number(await dbValue(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'departement' AND code = '69'`));
  const moved = await patch(`/api/v1/structures/${circ.body.id}`, { parent_id: rhone }, { token, headers: { 'If-Match': '"1"' } });
  assert.equal(moved.status, 200, show(moved));
  assert.equal(moved.body.parent_id, rhone);
  assert.equal(moved.body.parent_name, 'Rhône');
});

// ---------------------------------------------------------------- years

test('years: the current year 2026-2027 with its events', async () => {
  const res = await get('/api/v1/years', { token: trainee.token });
  assert.equal(res.status, 200, show(res));
  const current = res.body.items.filter((y) => y.current);
  assert.equal(current.length, 1, 'one current year');
  const y = current[0];
  assert.equal(y.label, '2026-2027');
  assert.equal(y.id, ids.currentYear);
  assert.equal(y.starts_on, '2026-09-01');
  assert.equal(y.ends_on, '2027-07-03');
  const kinds = y.events.map((e) => e.kind);
  for (const k of ['autumn_holidays', 'pole_meeting_1', 'pole_meeting_2', 'pole_meeting_3', 'bilans_due']) assert.ok(kinds.includes(k), `event ${k}: ${kinds}`);
  const meeting = y.events.find((e) => e.kind === 'pole_meeting_1');
  assert.match(meeting.label, /Réunion de pôle/);
  assert.match(meeting.starts_on, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(y.events.length, Number(await dbValue(`SELECT COUNT(*) FROM year_event WHERE academy_id = ${lyon} AND year_id = ${n(y.id)}`)));
  assert.ok(res.body.items.some((x) => x.label === '2025-2026' && !x.current));
});

test('years: an admin adds a year and an event, audited', async () => {
  let label;
  for (;;) {
    const a = randomInt(2100, 2199); // dates are accepted up to 2200
    label = `${a}-${a + 1}`;
    if ((await dbValue(`SELECT COUNT(*) FROM school_year WHERE academy_id = ${lyon} AND label = ${q(label)}`)) === '0') break;
  }
  const [a] = label.split('-');
  const year = await post('/api/v1/years', { label, starts_on: `${a}-09-01`, ends_on: `${Number(a) + 1}-07-03` }, { token: admin.token });
  assert.equal(year.status, 201, show(year));
  cleanup.year(year.body.id);
  await assertAudited(year, 'year.create', 'school_year', year.body.id);
  assert.equal(await dbValue(`SELECT COUNT(*) FROM school_year WHERE academy_id = ${lyon} AND current`), '1', 'the current year is unchanged');
  const ev = await post(`/api/v1/years/${year.body.id}/events`, { kind: 'other', label: 'Test événement', starts_on: `${a}-10-01`, ends_on: `${a}-10-02` }, { token: admin.token });
  assert.equal(ev.status, 201, show(ev));
  await assertAudited(ev, 'year_event.create', 'year_event', ev.body.id);
  const backwards = await post(`/api/v1/years/${year.body.id}/events`, { kind: 'other', label: 'Test', starts_on: `${a}-10-02`, ends_on: `${a}-10-01` }, { token: admin.token });
  assertProblem(backwards, 422, 'invalid_field', 'ends_on');
  const badLabel = await post('/api/v1/years', { label: '2030-2032', starts_on: '2030-09-01', ends_on: '2031-07-01' }, { token: admin.token });
  assertProblem(badLabel, 422, 'invalid_field', 'label');
  const dupLabel = await post('/api/v1/years', { label: '2026-2027', starts_on: '2026-09-01', ends_on: '2027-07-01' }, { token: admin.token });
  assertProblem(dupLabel, 409, 'conflict', 'label');
  for (const r of [backwards, badLabel, dupLabel]) await assertNotAudited(r);
});

// ---------------------------------------------------------------- who may

test('a stagiaire: 403 on every admin write, 404 on another person, 200 on themself', async () => {
  const t = trainee.token;
  const other = (await as('lyon', 'stagiaire2')).me.id;
  const [[ldapAssignment]] = await db(`SELECT id FROM role_assignment WHERE academy_id = ${lyon} AND person_id = ${n(other)} LIMIT 1`);
  const counts = () => db(`SELECT (SELECT COUNT(*) FROM person WHERE academy_id = ${lyon}), (SELECT COUNT(*) FROM structure WHERE academy_id = ${lyon}),
    (SELECT COUNT(*) FROM role_assignment WHERE academy_id = ${lyon}), (SELECT COUNT(*) FROM school_year WHERE academy_id = ${lyon}),
    (SELECT COUNT(*) FROM year_event WHERE academy_id = ${lyon}), (SELECT SUM(version) FROM person WHERE academy_id = ${lyon})`);
  const before = await counts();
  const writes = [
    ['POST', '/api/v1/people', { username: uniq('t-no'), display_name: 'Test Refus' }],
    ['PATCH', `/api/v1/people/${trainee.me.id}`, { display_name: 'Moi-même' }],
    ['PATCH', `/api/v1/people/${other}`, { display_name: 'Piraté' }],
    ['POST', `/api/v1/people/${trainee.me.id}/assignments`, { role: 'admin', scope_kind: 'academy' }],
    ['DELETE', `/api/v1/assignments/${ldapAssignment}`, undefined],
    ['POST', '/api/v1/structures', { kind: 'inspe_site', name: 'Test Refus' }],
    ['PATCH', `/api/v1/structures/${ids.site}`, { name: 'Piraté' }],
    ['POST', '/api/v1/years', { label: '2090-2091', starts_on: '2090-09-01', ends_on: '2091-07-01' }],
    ['POST', `/api/v1/years/${ids.currentYear}/events`, { kind: 'other', label: 'X', starts_on: '2027-01-01', ends_on: '2027-01-01' }],
  ];
  for (const [method, path, json] of writes) {
    const res = await request(method, path, { token: t, json, headers: { 'If-Match': '"1"' } });
    assertProblem(res, 403, 'forbidden');
    await assertNotAudited(res);
  }
  assert.deepEqual(await counts(), before, 'nothing written');

  assertProblem(await get('/api/v1/people', { token: t }), 403, 'forbidden');
  const otherRes = await get(`/api/v1/people/${other}`, { token: t });
  assertProblem(otherRes, 404, 'not_found');
  const unknown = await get(`/api/v1/people/${2 ** 53 - 1}`, { token: t });
  assert.equal(otherRes.text, unknown.text, 'another person looks like an unknown id');
  const own = await get(`/api/v1/people/${trainee.me.id}`, { token: t });
  assert.equal(own.status, 200, show(own));
  assert.equal(own.body.username, 'stagiaire1');
  assert.ok(own.body.assignments.some((a) => a.role === 'stagiaire'));
  assert.equal((await get('/api/v1/structures', { token: t })).status, 200);
  assert.equal((await get('/api/v1/years', { token: t })).status, 200);
});

test('staff (not admin) may read people but not write', async () => {
  const tutor = await as('lyon', 'tuteur.terrain1');
  const list = await get('/api/v1/people', { token: tutor.token, query: { q: 'stagiaire' } });
  assert.equal(list.status, 200, show(list));
  const other = await get(`/api/v1/people/${trainee.me.id}`, { token: tutor.token });
  assert.equal(other.status, 200, show(other));
  const write = await post('/api/v1/people', { username: uniq('t-no'), display_name: 'Test' }, { token: tutor.token });
  assertProblem(write, 403, 'forbidden');
});

test('deactivating a person cuts their access within 5 s; reactivating restores it', async (t) => {
  const poitiersAdmin = await as('poitiers', 'admin');
  const addr = freshAddress();
  const s = await login('poitiers', 'bureau1', 'demo', { localAddress: addr });
  const id = (await get('/api/v1/auth/me', { token: s.token })).body.id;
  for (let i = 0; i < 8; i++) assert.equal((await get('/api/v1/auth/me', { token: s.token })).status, 200);
  const setActive = async (active) => {
    const cur = await get(`/api/v1/people/${id}`, { token: poitiersAdmin.token });
    return patch(`/api/v1/people/${id}`, { active }, { token: poitiersAdmin.token, headers: { 'If-Match': cur.headers.etag } });
  };
  const off = await setActive(false);
  try {
    assert.equal(off.status, 200, show(off));
    assert.equal(off.body.active, false);
    let last;
    let streak = 0;
    const r = await pollUntil(async () => {
      last = await get('/api/v1/auth/me', { token: s.token });
      streak = last.status === 401 ? streak + 1 : 0;
      return streak >= 8;
    }, { bound: 5000, every: 50 });
    t.diagnostic(`token refused ${r.ms} ms after the deactivation`);
    assert.ok(!r.timedOut, `still accepted: ${show(last)}`);
    assertProblem(last, 401, 'session_expired');
    assertProblem(await get('/api/v1/auth/me', { cookie: s.cookie }), 401, 'session_expired');
    assertProblem(await loginRaw('poitiers', 'bureau1', 'demo', { localAddress: addr }), 401, 'invalid_credentials');
  } finally {
    const on = await setActive(true);
    assert.equal(on.status, 200, show(on));
  }
  const again = await login('poitiers', 'bureau1', 'demo', { localAddress: addr });
  assert.equal((await get('/api/v1/auth/me', { token: again.token })).status, 200);
});

test('cookie-authenticated writes need X-Requested-With: tutorat; Bearer writes do not', async () => {
  const body = () => ({ username: uniq('t-csrf'), display_name: 'Test CSRF' });
  const before = await dbValue(`SELECT COUNT(*) FROM person WHERE academy_id = ${lyon}`);
  for (const headers of [{}, { 'X-Requested-With': 'XMLHttpRequest' }, { 'X-Requested-With': 'Tutorat' }, { 'X-Requested-With': '' }]) {
    const res = await post('/api/v1/people', body(), { cookie: admin.cookie, headers });
    assertProblem(res, 403, 'csrf_header_missing');
    await assertNotAudited(res);
  }
  const patchNoHeader = await patch(`/api/v1/people/${trainee.me.id}`, { display_name: 'X' }, { cookie: admin.cookie, headers: { 'If-Match': '"1"' } });
  assertProblem(patchNoHeader, 403, 'csrf_header_missing');
  const delNoHeader = await del(`/api/v1/assignments/${2 ** 53 - 1}`, { cookie: admin.cookie });
  assertProblem(delNoHeader, 403, 'csrf_header_missing');
  assert.equal(await dbValue(`SELECT COUNT(*) FROM person WHERE academy_id = ${lyon}`), before, 'nothing written');

  const read = await get('/api/v1/people', { cookie: admin.cookie });
  assert.equal(read.status, 200, 'reads by cookie need no header');
  const ok = await post('/api/v1/people', body(), { cookie: admin.cookie, csrf: true });
  assert.equal(ok.status, 201, show(ok));
  cleanup.person(ok.body.id);
  await assertAudited(ok, 'person.create', 'person', ok.body.id);
  const bearer = await post('/api/v1/people', body(), { token: admin.token });
  assert.equal(bearer.status, 201, show(bearer));
  cleanup.person(bearer.body.id);
});
