// tutoratctl import (issue §4): documented columns (server/ctl.c), every
// error reported with its line, nothing written unless all lines are valid.
//   structures: kind,code,name,parent_kind,parent_code
//   people:     username,display_name,given_name,family_name,email
//   assignments: username,role,scope_kind,scope_code (empty for academy)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import {
  get, post, show, as, ctl, db, dbValue, q, n, academyId, Cleanup,
} from '../lib/index.mjs';

const cleanup = new Cleanup();
let dir, admin, lyon;
const tag = `${Date.now().toString(36)}${randomInt(0, 1296).toString(36)}`.toUpperCase();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tutorat-import-'));
  admin = await as('lyon', 'admin');
  lyon = await academyId('lyon');
});
after(async () => {
  await cleanup.run();
  await rm(dir, { recursive: true, force: true });
});

async function csv(name, lines) {
  const path = join(dir, name);
  await writeFile(path, lines.join('\r\n') + '\r\n');
  return path;
}

async function freshUai() {
  for (;;) {
    const uai = `08${String(randomInt(0, 1e5)).padStart(5, '0')}${String.fromCharCode(65 + randomInt(0, 26))}`;
    if ((await dbValue(`SELECT COUNT(*) FROM structure WHERE code = ${q(uai)}`)) === '0') return uai;
  }
}

const counts = () => db(`SELECT (SELECT COUNT(*) FROM structure WHERE academy_id = ${lyon}),
  (SELECT COUNT(*) FROM person WHERE academy_id = ${lyon}), (SELECT COUNT(*) FROM role_assignment WHERE academy_id = ${lyon}),
  (SELECT COUNT(*) FROM audit_log WHERE academy_id = ${lyon})`);

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Runs an import that must fail on `line`, and checks nothing was written. */
async function refusedImport(kind, path, line, pattern) {
  const before = await counts();
  const r = await ctl('--academy', 'lyon', 'import', kind, path);
  assert.notEqual(r.code, 0, `import must fail: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, new RegExp(`^${escapeRe(path)}:${line}: `, 'm'), `stderr names line ${line}: ${r.stderr}`);
  if (pattern) assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stdout, /imported/);
  assert.deepEqual(await counts(), before, 'nothing written (structures, people, assignments, audit)');
  return r;
}

const uai = {};
test('a good structures file imports; the rows are visible through the API', async () => {
  uai.a = await freshUai();
  const path = await csv('structures.csv', [
    'kind,code,name,parent_kind,parent_code',
    `departement,D${tag},Test import département ${tag},,`,
    `circonscription,C${tag},Test import circonscription ${tag},departement,D${tag}`,
    `pole,P${tag},"Test import pôle ${tag}, avec virgule",departement,D${tag}`,
    `school,${uai.a},Test import école ${tag},circonscription,C${tag}`,
    `inspe_site,S${tag},Test import site ${tag},,`,
  ]);
  const r = await ctl('--academy', 'lyon', 'import', 'structures', path);
  assert.equal(r.code, 0, `import failed: ${r.stderr}`);
  assert.match(r.stdout, /imported 5 structures into lyon/);

  const rows = await db(`SELECT id, kind, code FROM structure WHERE academy_id = ${lyon} AND name LIKE ${q(`Test import % ${tag}%`)} ORDER BY id`);
  assert.equal(rows.length, 5, JSON.stringify(rows));
  // Parents first in the list, so the cleanup removes children first.
  const order = ['departement', 'circonscription', 'pole', 'school', 'inspe_site'];
  for (const k of order) cleanup.structure(rows.find((x) => x[1] === k)[0]);

  const list = await get('/api/v1/structures', { token: admin.token, query: { q: tag } });
  assert.equal(list.status, 200, show(list));
  const byKind = Object.fromEntries(list.body.items.map((s) => [s.kind, s]));
  assert.deepEqual(Object.keys(byKind).sort(), [...order].sort());
  assert.equal(byKind.circonscription.parent_name, `Test import département ${tag}`);
  assert.equal(byKind.pole.name, `Test import pôle ${tag}, avec virgule`);
  assert.equal(byKind.school.code, uai.a);
  assert.equal(byKind.school.parent_id, byKind.circonscription.id);
  assert.equal(byKind.inspe_site.code, `S${tag}`);
  const audits = await dbValue(`SELECT COUNT(*) FROM audit_log WHERE academy_id = ${lyon} AND action = 'import.structure'
    AND object_id IN (${rows.map((x) => n(x[0])).join(',')}) AND request_id LIKE 'import-%'`);
  assert.equal(audits, '5', 'one audit row per imported line');
});

test('good people and assignments files import', async () => {
  const u1 = `t-imp-${tag.toLowerCase()}-1`;
  const u2 = `t-imp-${tag.toLowerCase()}-2`;
  const people = await csv('people.csv', [
    'username,display_name,given_name,family_name,email',
    `${u1},Test Import Un,Test,Un,${u1}@example.fr`,
    `${u2},"Test Import, Deux",,,`,
  ]);
  const r = await ctl('--academy', 'lyon', 'import', 'people', people);
  assert.equal(r.code, 0, `import failed: ${r.stderr}`);
  const rows = await db(`SELECT id, username, display_name, given_name, email FROM person WHERE academy_id = ${lyon} AND username IN (${q(u1)}, ${q(u2)}) ORDER BY username`);
  assert.deepEqual(rows.map((x) => x.slice(1)), [[u1, 'Test Import Un', 'Test', `${u1}@example.fr`], [u2, 'Test Import, Deux', null, null]]);
  for (const x of rows) cleanup.person(x[0]);

  const found = await get('/api/v1/people', { token: admin.token, query: { q: `t-imp-${tag.toLowerCase()}` } });
  assert.deepEqual(found.body.items.map((p) => p.username).sort(), [u1, u2]);

  assert.ok(uai.a, 'runs after the structures import');
  const assignments = await csv('assignments.csv', [
    'username,role,scope_kind,scope_code',
    `${u1},tuteur_terrain,school,${uai.a}`,
    `${u1},referent_inspe,pole,P${tag}`,
    `${u2},stagiaire,academy,`,
  ]);
  const a = await ctl('--academy', 'lyon', 'import', 'assignments', assignments);
  assert.equal(a.code, 0, `import failed: ${a.stderr}`);
  const d1 = await get(`/api/v1/people/${rows[0][0]}`, { token: admin.token });
  assert.deepEqual(d1.body.assignments.map((x) => [x.role, x.scope_kind, x.scope_name, x.source]).sort(), [
    ['referent_inspe', 'pole', `Test import pôle ${tag}, avec virgule`, 'local'],
    ['tuteur_terrain', 'school', `Test import école ${tag}`, 'local'],
  ]);
  const d2 = await get(`/api/v1/people/${rows[1][0]}`, { token: admin.token });
  assert.deepEqual(d2.body.assignments.map((x) => [x.role, x.scope_kind, x.scope_id]), [['stagiaire', 'academy', null]]);
});

test('one bad line (a value the database check refuses) → its line on stderr, exit ≠ 0, nothing written', async () => {
  const code = `X${tag}`;
  const path = await csv('bad-kind.csv', [
    'kind,code,name,parent_kind,parent_code',
    `departement,${code},Test import refusé ${tag},,`,
    `hopital,H${tag},Test import hôpital,,`,
    `inspe_site,A${tag},Test import après,,`,
  ]);
  await refusedImport('structures', path, 3, /kind/);
  assert.equal(await dbValue(`SELECT COUNT(*) FROM structure WHERE code = ${q(code)}`), '0', 'the good line before it was rolled back');

  const badUai = await csv('bad-uai.csv', [
    'kind,code,name,parent_kind,parent_code',
    `departement,${code},Test import refusé ${tag},,`,
    `circonscription,Y${tag},Test import circ,departement,${code}`,
    `school,12345,Test import école,circonscription,Y${tag}`,
  ]);
  await refusedImport('structures', badUai, 4, /code/);

  const orphan = await csv('bad-parent.csv', [
    'kind,code,name,parent_kind,parent_code',
    `circonscription,Z${tag},Test import orpheline,departement,NOPE${tag}`,
  ]);
  await refusedImport('structures', orphan, 2, /parent/);
});

test('one bad line (shape: field count, empty required column) → its line, nothing written', async () => {
  const u = `t-imp-bad-${tag.toLowerCase()}`;
  const fields = await csv('bad-fields.csv', [
    'username,display_name,given_name,family_name,email',
    `${u}-1,Test Un,,,`,
    `${u}-2,Test Deux,,,`,
    `${u}-3,Test Trois,,`,
  ]);
  await refusedImport('people', fields, 4, /fields/);
  const empty = await csv('bad-empty.csv', [
    'username,display_name,given_name,family_name,email',
    `${u}-1,Test Un,,,`,
    `${u}-2,,,,`,
  ]);
  await refusedImport('people', empty, 3, /display_name/);
  const dup = await csv('bad-dup.csv', [
    'username,display_name,given_name,family_name,email',
    `${u}-1,Test Un,,,`,
    `${u}-1,Test Un bis,,,`,
  ]);
  await refusedImport('people', dup, 3);
  const header = await csv('bad-header.csv', ['user,display_name,given_name,family_name,email', `${u}-1,Test,,,`]);
  await refusedImport('people', header, 1);
  assert.equal(await dbValue(`SELECT COUNT(*) FROM person WHERE username LIKE ${q(`${u}%`)}`), '0');

  const assignments = await csv('bad-assign.csv', [
    'username,role,scope_kind,scope_code',
    'stagiaire1,tuteur_terrain,academy,',
    `nobody-${tag.toLowerCase()},stagiaire,academy,`,
  ]);
  await refusedImport('assignments', assignments, 3, /username/);
  const role = await csv('bad-role.csv', ['username,role,scope_kind,scope_code', 'stagiaire1,roi,academy,']);
  await refusedImport('assignments', role, 2, /role/);
  // A Grenoble structure (discipline MATH) does not exist for a Lyon import.
  const foreign = await csv('bad-foreign.csv', ['username,role,scope_kind,scope_code', 'stagiaire1,tuteur_terrain,academy,', 'stagiaire1,ia_ipr,discipline,MATH']);
  await refusedImport('assignments', foreign, 3, /scope_code/);
});

test('a line is checked by the same rules as the API: username characters, e-mail format, lengths in characters, structure codes', async () => {
  const u = `t-imp-rule-${tag.toLowerCase()}`;
  const api = (body) => post('/api/v1/people', body, { token: admin.token });
  const cases = [
    [`${u} espace,Test Espace,,,`, 'username', { username: `${u} espace`, display_name: 'Test Espace' }],
    [`${u}-mail,Test Courriel,,,pas-une-adresse`, 'email', { username: `${u}-mail`, display_name: 'Test Courriel', email: 'pas-une-adresse' }],
    [`${u}-long,${'é'.repeat(201)},,,`, 'display_name', { username: `${u}-long`, display_name: 'é'.repeat(201) }],
  ];
  for (const [line, field, body] of cases) {
    const path = await csv(`bad-${field}.csv`, ['username,display_name,given_name,family_name,email', `${u}-ok,Test Bon,,,`, line]);
    await refusedImport('people', path, 3, new RegExp(`invalid_field \\(${field}\\)`));
    // The API says the same of the same value.
    const res = await api(body);
    assert.equal(res.status, 422, show(res));
    assert.equal(res.body.field, field);
  }
  // Two hundred accented characters are two hundred, not four hundred bytes: accepted by both.
  const okPath = await csv('ok-long.csv', ['username,display_name,given_name,family_name,email', `${u}-200,${'é'.repeat(200)},,,${u}@ac-lyon.fr`]);
  const r = await ctl('--academy', 'lyon', 'import', 'people', okPath);
  assert.equal(r.code, 0, r.stderr);
  cleanup.person(await dbValue(`SELECT id FROM person WHERE academy_id = ${lyon} AND username = ${q(`${u}-200`)}`));

  const code = await csv('bad-code.csv', ['kind,code,name,parent_kind,parent_code', `departement,X ${tag},Test code espace,,`]);
  await refusedImport('structures', code, 2, /invalid_field \(code\)/);
});

test('an unterminated quote is reported at the line where the quote opens', async () => {
  // server/csv.c counts the newlines swallowed by the open quote, so the
  // error names a line after the end of this 3-line file.
  const u = `t-imp-quote-${tag.toLowerCase()}`;
  const quote = await csv('bad-quote.csv', ['username,display_name,given_name,family_name,email', `${u}-1,Test,,,`, `${u}-2,"Test,,,`]);
  await refusedImport('people', quote, 3, /quote/);
  assert.equal(await dbValue(`SELECT COUNT(*) FROM person WHERE username LIKE ${q(`${u}%`)}`), '0');
});
