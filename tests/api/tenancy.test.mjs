// Sealed académies (issue §4): the same username is two people; another
// académie's ids are unknown ids; nothing in a request but the verified
// token (or cookie) chooses the académie.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  request, get, post, patch, show, uniq, as, login, me, assertProblem,
  db, dbValue, q, n, academyId, auditRows, Cleanup,
} from '../lib/index.mjs';

const cleanup = new Cleanup();
after(() => cleanup.run());

const UNKNOWN_ID = 2 ** 53 - 1; // a valid id that no row has

let lyonAdmin, grenobleAdmin, grenobleTrainee, grenoble; // sessions and Grenoble fixtures

before(async () => {
  lyonAdmin = await as('lyon', 'admin');
  grenobleAdmin = await as('grenoble', 'admin');
  grenobleTrainee = await as('grenoble', 'stagiaire1');
  const gid = await academyId('grenoble');
  grenoble = {
    personId: grenobleTrainee.me.id,
    structureId: Number(await dbValue(`SELECT id FROM structure WHERE academy_id = ${gid} ORDER BY id LIMIT 1`)),
    poleOrCirc: Number(await dbValue(`SELECT id FROM structure WHERE academy_id = ${gid} AND kind = 'circonscription' ORDER BY id LIMIT 1`)),
  };
});

test('stagiaire1 of Lyon and stagiaire1 of Grenoble are two different people', async () => {
  const lyon = await as('lyon', 'stagiaire1');
  assert.equal(lyon.me.username, 'stagiaire1');
  assert.equal(grenobleTrainee.me.username, 'stagiaire1');
  assert.equal(lyon.me.academy, 'lyon');
  assert.equal(grenobleTrainee.me.academy, 'grenoble');
  assert.notEqual(lyon.me.id, grenobleTrainee.me.id, 'different ids');
  assert.notEqual(lyon.me.display_name, grenobleTrainee.me.display_name, 'different names');
  assert.equal(lyon.me.display_name, 'Camille Martin');
  assert.equal(grenobleTrainee.me.display_name, 'Léa Rousseau');

  const rows = await db(`SELECT a.code, p.id, p.display_name FROM person p JOIN academy a ON a.id = p.academy_id
    WHERE p.username = 'stagiaire1' AND a.code IN ('lyon', 'grenoble') ORDER BY a.code`);
  assert.deepEqual(rows, [
    ['grenoble', String(grenobleTrainee.me.id), 'Léa Rousseau'],
    ['lyon', String(lyon.me.id), 'Camille Martin'],
  ]);
});

test('a Lyon admin asking for a Grenoble person or structure gets the 404 of an unknown id', async () => {
  const t = lyonAdmin.token;
  const unknownPerson = await get(`/api/v1/people/${UNKNOWN_ID}`, { token: t });
  assertProblem(unknownPerson, 404, 'not_found');

  const person = await get(`/api/v1/people/${grenoble.personId}`, { token: t });
  assertProblem(person, 404, 'not_found');
  assert.equal(person.text, unknownPerson.text, 'byte-identical to an unknown id');
  assert.equal(person.headers.etag, undefined);

  const unknownStructure = await get(`/api/v1/structures/${UNKNOWN_ID}`, { token: t });
  const structure = await get(`/api/v1/structures/${grenoble.structureId}`, { token: t });
  assertProblem(structure, 404, 'not_found');
  assert.equal(structure.text, unknownStructure.text);

  // The Grenoble admin does see them: the ids are real.
  assert.equal((await get(`/api/v1/people/${grenoble.personId}`, { token: grenobleAdmin.token })).status, 200);
  assert.equal((await get(`/api/v1/structures/${grenoble.structureId}`, { token: grenobleAdmin.token })).status, 200);
});

test('a Lyon admin cannot write to Grenoble rows: PATCH, assignment, parent, scope', async () => {
  const t = lyonAdmin.token;
  const before = await db(`SELECT version, display_name FROM person WHERE id = ${n(grenoble.personId)}`);

  const p = await patch(`/api/v1/people/${grenoble.personId}`, { display_name: 'Piraté' }, { token: t, headers: { 'If-Match': `"${before[0][0]}"` } });
  assertProblem(p, 404, 'not_found');
  const a = await post(`/api/v1/people/${grenoble.personId}/assignments`, { role: 'tuteur_terrain', scope_kind: 'academy' }, { token: t });
  assertProblem(a, 404, 'not_found');
  assert.deepEqual(await db(`SELECT version, display_name FROM person WHERE id = ${n(grenoble.personId)}`), before, 'the row is untouched');
  assert.deepEqual(await auditRows(p.requestId), []);
  assert.deepEqual(await auditRows(a.requestId), []);

  // A Lyon record pointing at a Grenoble structure is refused as a bad id.
  const lyonTrainee = await as('lyon', 'stagiaire1');
  const scoped = await post(`/api/v1/people/${lyonTrainee.me.id}/assignments`,
    { role: 'tuteur_terrain', scope_kind: 'circonscription', scope_id: grenoble.poleOrCirc }, { token: t });
  assertProblem(scoped, 422, 'invalid_field', 'scope_id');
  const child = await post('/api/v1/structures', { kind: 'school', code: '0999001X', name: uniq('École pirate'), parent_id: grenoble.poleOrCirc }, { token: t });
  assertProblem(child, 422, 'invalid_field', 'parent_id');
  assert.equal(await dbValue("SELECT COUNT(*) FROM structure WHERE code = '0999001X'"), '0');
});

test('X-Academy, ?academy= and a body member academy do not switch académie', async () => {
  const t = lyonAdmin.token;
  const header = await get('/api/v1/auth/me', { token: t, headers: { 'X-Academy': 'grenoble', 'X-Tenant': 'grenoble' } });
  assert.equal(header.status, 200, show(header));
  assert.equal(header.body.academy, 'lyon');
  assert.equal(header.body.id, lyonAdmin.me.id);

  const viaHeader = await get(`/api/v1/people/${grenoble.personId}`, { token: t, headers: { 'X-Academy': 'grenoble' } });
  assertProblem(viaHeader, 404, 'not_found');

  const query = await get('/api/v1/people', { token: t, query: { academy: 'grenoble' } });
  assertProblem(query, 400, 'unknown_parameter', 'academy');
  const queryMe = await get('/api/v1/auth/me', { token: t, query: 'academy=grenoble' });
  assertProblem(queryMe, 400, 'unknown_parameter', 'academy');

  const lid = await academyId('lyon');
  const gid = await academyId('grenoble');
  const countBefore = await dbValue(`SELECT COUNT(*) FROM person WHERE academy_id IN (${lid}, ${gid})`);
  const username = uniq('t-academy');
  const body = await post('/api/v1/people', { username, display_name: 'Test Académie', academy: 'grenoble' }, { token: t });
  assertProblem(body, 422, 'unknown_field', 'academy');
  assert.equal(await dbValue(`SELECT COUNT(*) FROM person WHERE academy_id IN (${lid}, ${gid})`), countBefore, 'nothing written');
  assert.deepEqual(await auditRows(body.requestId), []);
});

test('a cookie of Grenoble beside a Bearer of Lyon: the Bearer wins, data stays in Lyon', async () => {
  const lyonTrainee = await as('lyon', 'stagiaire1');
  const mixed = await get('/api/v1/auth/me', { token: lyonTrainee.token, cookie: grenobleAdmin.cookie });
  assert.equal(mixed.status, 200, show(mixed));
  assert.equal(mixed.body.academy, 'lyon');
  assert.equal(mixed.body.username, 'stagiaire1');
  assert.deepEqual(mixed.body.roles, ['stagiaire'], 'not the admin of the cookie');

  // A Lyon stagiaire's Bearer with a Grenoble admin's cookie cannot write.
  const denied = await post('/api/v1/people', { username: uniq('t-mix'), display_name: 'Test Mélange' },
    { token: lyonTrainee.token, cookie: grenobleAdmin.cookie, csrf: true });
  assertProblem(denied, 403, 'forbidden');

  // A Lyon admin's Bearer with a Grenoble admin's cookie writes into Lyon.
  const username = uniq('t-mix');
  const created = await post('/api/v1/people', { username, display_name: 'Test Mélange' },
    { token: lyonAdmin.token, cookie: grenobleAdmin.cookie, csrf: true });
  assert.equal(created.status, 201, show(created));
  cleanup.person(created.body.id);
  const rows = await db(`SELECT a.code, p.id FROM person p JOIN academy a ON a.id = p.academy_id WHERE p.username = ${q(username)}`);
  assert.deepEqual(rows, [['lyon', String(created.body.id)]]);
  const audit = await auditRows(created.requestId);
  assert.deepEqual(audit.map((r) => [r.academy, r.action, r.actor_id]), [['lyon', 'person.create', lyonAdmin.me.id]]);

  // A bad Bearer is not rescued by a good cookie.
  const bad = await get('/api/v1/auth/me', { token: 'x.y.z', cookie: grenobleAdmin.cookie });
  assertProblem(bad, 401, 'invalid_token');
});

test('a cookie naming another académie than its session is refused', async () => {
  // The cookie is "<academy>.<secret>": the secret of a Grenoble session
  // presented as Lyon's finds nothing in Lyon.
  const secret = grenobleAdmin.cookieValue.split('.')[1];
  const res = await get('/api/v1/auth/me', { cookie: `__Host-tutorat_session=lyon.${secret}` });
  assertProblem(res, 401, 'session_expired');
  const ok = await get('/api/v1/auth/me', { cookie: grenobleAdmin.cookie });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.academy, 'grenoble');
});

test('people search in Lyon never returns a Grenoble person', async () => {
  // Make sure Grenoble people exist (login upserts them).
  for (const u of ['stagiaire2', 'tuteur.terrain1', 'ien1']) await as('grenoble', u);
  const gid = await academyId('grenoble');
  const lid = await academyId('lyon');
  const grenobleNames = new Set((await db(`SELECT display_name FROM person WHERE academy_id = ${gid}`)).map((r) => r[0]));
  const lyonNames = new Set((await db(`SELECT display_name FROM person WHERE academy_id = ${lid}`)).map((r) => r[0]));
  const onlyGrenoble = [...grenobleNames].filter((x) => !lyonNames.has(x));
  assert.ok(onlyGrenoble.length >= 4, `Grenoble people to look for: ${onlyGrenoble}`);

  // Every page of the whole Lyon list.
  const seen = [];
  for (let offset = 0; ; offset += 200) {
    const page = await get('/api/v1/people', { token: lyonAdmin.token, query: { limit: 200, offset } });
    assert.equal(page.status, 200, show(page));
    seen.push(...page.body.items);
    if (page.body.items.length < 200) {
      assert.equal(seen.length, page.body.total);
      break;
    }
  }
  const leaked = seen.filter((p) => onlyGrenoble.includes(p.display_name) || p.id === grenobleTrainee.me.id);
  assert.deepEqual(leaked, [], 'no Grenoble person in the Lyon list');
  assert.equal(seen.length, Number(await dbValue(`SELECT COUNT(*) FROM person WHERE academy_id = ${lid}`)));

  for (const name of onlyGrenoble.slice(0, 4)) {
    const res = await get('/api/v1/people', { token: lyonAdmin.token, query: { q: name } });
    assert.equal(res.status, 200, show(res));
    assert.deepEqual(res.body.items, [], `searching « ${name} » in Lyon`);
    assert.equal(res.body.total, 0);
    const there = await get('/api/v1/people', { token: grenobleAdmin.token, query: { q: name } });
    assert.ok(there.body.items.some((p) => p.display_name === name), `Grenoble finds « ${name} »`);
  }
  const byUsername = await get('/api/v1/people', { token: lyonAdmin.token, query: { q: 'stagiaire1' } });
  assert.deepEqual(byUsername.body.items.map((p) => p.id), [(await as('lyon', 'stagiaire1')).me.id]);
});

test('structures and years of Lyon hold nothing of Grenoble', async () => {
  const gid = await academyId('grenoble');
  const grenobleStructures = new Set((await db(`SELECT id FROM structure WHERE academy_id = ${gid}`)).map((r) => Number(r[0])));
  const list = await get('/api/v1/structures', { token: lyonAdmin.token, query: { limit: 200 } });
  assert.equal(list.status, 200, show(list));
  assert.ok(list.body.items.length > 0);
  assert.deepEqual(list.body.items.filter((s) => grenobleStructures.has(s.id)), []);
  const isere = await get('/api/v1/structures', { token: lyonAdmin.token, query: { q: 'Isère' } });
  assert.deepEqual(isere.body.items, [], 'Isère is a Grenoble département');

  const grenobleYears = new Set((await db(`SELECT id FROM school_year WHERE academy_id = ${gid}`)).map((r) => Number(r[0])));
  const years = await get('/api/v1/years', { token: lyonAdmin.token });
  assert.equal(years.status, 200);
  assert.deepEqual(years.body.items.filter((y) => grenobleYears.has(y.id)), []);
});
