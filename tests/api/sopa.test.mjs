// The SOPA module (issue 11, docs/sopa.md): a site's year set up (bad
// periods refused with the field), its staff, placements imported from
// CSV (a file with errors refused whole with its line numbers, nothing
// written) and created one by one (every bad input named, the MAT's limit
// of two students held under concurrency), a report drafted, edited by two
// (412), sent late, sent once (nothing notified twice), the gestionnaire
// and the student notified and mailed, corrected (both versions kept), the
// student seeing sent versions only, the gestionnaire's list per period
// (received, late, missing), the UE4 mark, the jury flag, the CSV export;
// privacy against every other role and académie.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  get, post, put, request, show, as, db, dbValue, n, assertProblem, Cleanup, ctl,
} from '../lib/index.mjs';
import { NO_ID, ifMatch, assertAudited, assertNotAudited } from '../lib/tutorat.mjs';
import { mails, waitForMails } from '../lib/mail.mjs';
import {
  LYON_SITE, LYON_SCHOOL, sopaPerson, sopaYear, periodsOf, completeReport, removeSopaOfYear,
} from '../lib/sopa.mjs';

const cleanup = new Cleanup();
const years = [];
let bureau; // bureau1 (Lyon): a site manager of every site
let office; // a gestionnaire de scolarité of LYON_SITE
let mat; let mat2; let otherMat;
let student; let student2; let student3; let student4;
let year; // a fresh past year of Lyon, its periods not set yet
let future; // a fresh future year with its periods
const ok = (res, status = 200) => { assert.equal(res.status, status, show(res)); return res.body; };
const placementCount = (y) => dbValue(`SELECT COUNT(*) FROM sopa_placement p JOIN sopa_period pe ON pe.id = p.period_id WHERE pe.year_id = ${n(y)}`);

before(async () => {
  bureau = await as('lyon', 'bureau1');
  office = await sopaPerson(cleanup, 't-sopa-ges', 'gestionnaire_scolarite');
  mat = await sopaPerson(cleanup, 't-sopa-mat', 'mat');
  mat2 = await sopaPerson(cleanup, 't-sopa-mat', 'mat');
  otherMat = await sopaPerson(cleanup, 't-sopa-mat', 'mat');
  student = await sopaPerson(cleanup, 't-sopa-etu', 'etudiant_sopa');
  student2 = await sopaPerson(cleanup, 't-sopa-etu', 'etudiant_sopa');
  student3 = await sopaPerson(cleanup, 't-sopa-etu', 'etudiant_sopa');
  student4 = await sopaPerson(cleanup, 't-sopa-etu', 'etudiant_sopa');
  year = await sopaYear(cleanup, { periods: false });
  future = await sopaYear(cleanup, { future: true });
  years.push(year.id, future.id);
});

const sites = []; // sites made here, whose SOPA rows go first
after(async () => {
  for (const y of years) await removeSopaOfYear(y);
  for (const site of sites) await removeSopaOfYear(null, { site });
  await cleanup.run();
});

test('a site manager names the site\'s gestionnaire de scolarité (a local role scoped to the site), once', async () => {
  const res = await post(`/api/v1/sopa/sites/${LYON_SITE}/staff`, { person_id: office.id, role: 'gestionnaire_scolarite' }, { token: bureau.token });
  assert.equal(res.status, 201, show(res));
  await assertAudited(res, { action: 'sopa.staff_add', actor: bureau.me.id, type: 'role_assignment', id: res.body.assignment_id });
  const [[scope, kind]] = await db(`SELECT scope_id, scope_kind FROM role_assignment WHERE id = ${n(res.body.assignment_id)}`);
  assert.deepEqual([scope, kind], [String(LYON_SITE), 'inspe_site']);
  assertProblem(await post(`/api/v1/sopa/sites/${LYON_SITE}/staff`, { person_id: office.id, role: 'gestionnaire_scolarite' }, { token: bureau.token }), 409, 'already_assigned');
  const site = ok(await get(`/api/v1/sopa/sites/${LYON_SITE}?year_id=${year.id}`, { token: office.s.token }));
  assert.deepEqual(site.my_relations, ['site_office']);
  assert.ok(site.staff.some((x) => x.person.id === office.id && x.role === 'gestionnaire_scolarite'), JSON.stringify(site).slice(0, 600));
  // The gestionnaire sees their site only.
  const list = ok(await get('/api/v1/sopa/sites', { token: office.s.token }));
  assert.deepEqual(list.items.map((s) => s.id), [LYON_SITE]);
  assert.equal(list.total, 1);
});

test('the year of a site is set up: every bad period refused with its field and nothing written, then the four periods with their version', async () => {
  const { a } = year;
  const good = periodsOf(a);
  const bad = [
    [good.map((p, i) => (i === 0 ? { ...p, starts_on: `${a - 1}-10-05` } : p)), 'periods[0].starts_on'], // outside the year
    [good.map((p, i) => (i === 1 ? { ...p, ends_on: `${a}-11-10` } : p)), 'periods[1].ends_on'], // ends before it starts
    [good.map((p, i) => (i === 0 ? { ...p, ends_on: `${a}-10-12` } : p)), 'periods[0].ends_on'], // period 1 longer than 7 days
    [good.map((p, i) => (i === 2 ? { ...p, ends_on: `${a + 1}-03-26` } : p)), 'periods[2].ends_on'], // period 3 longer than 14 days
    [good.map((p, i) => (i === 1 ? { ...p, starts_on: `${a}-10-08`, ends_on: `${a}-10-20` } : p)), 'periods[1].starts_on'], // overlaps period 1
    [good.map((p, i) => (i === 3 ? { ...p, number: 3 } : p)), 'periods[3].number'], // a number twice
    [good.slice(0, 3), 'periods'], // three periods
  ];
  for (const [periods, field] of bad) {
    const res = await put(`/api/v1/sopa/sites/${LYON_SITE}/periods`, { year_id: year.id, periods }, { token: bureau.token });
    assertProblem(res, 422, 'invalid_field', field);
    await assertNotAudited(res);
  }
  assert.equal(await dbValue(`SELECT COUNT(*) FROM sopa_period WHERE year_id = ${n(year.id)}`), '0');
  // Only a site manager sets them.
  const refused = await put(`/api/v1/sopa/sites/${LYON_SITE}/periods`, { year_id: year.id, periods: good }, { token: office.s.token });
  assert.equal(refused.status, 403, show(refused));
  // The first set-up needs no If-Match.
  const site = ok(await put(`/api/v1/sopa/sites/${LYON_SITE}/periods`, { year_id: year.id, periods: [...good].reverse() }, { token: bureau.token }));
  assert.equal(site.version, 1);
  assert.deepEqual(site.periods.map((p) => [p.number, p.stage, p.starts_on, p.ends_on]), good.map((p) => [p.number, [1, 2, 3, 1][p.number - 1], p.starts_on, p.ends_on]));
  assert.equal(site.periods[1].due_on, `${a}-12-04`);
  // Then with the version read: a stale one is 412, a missing one 428.
  const got = await get(`/api/v1/sopa/sites/${LYON_SITE}?year_id=${year.id}`, { token: bureau.token });
  assert.equal(got.headers.etag, '"1"');
  assert.equal((await put(`/api/v1/sopa/sites/${LYON_SITE}/periods`, { year_id: year.id, periods: good }, { token: bureau.token })).status, 428);
  const moved = good.map((p, i) => (i === 0 ? { ...p, starts_on: `${a}-10-06` } : p));
  assert.equal(ok(await put(`/api/v1/sopa/sites/${LYON_SITE}/periods`, { year_id: year.id, periods: moved }, { token: bureau.token, headers: ifMatch(1) })).version, 2);
  assertProblem(await put(`/api/v1/sopa/sites/${LYON_SITE}/periods`, { year_id: year.id, periods: good }, { token: bureau.token, headers: ifMatch(1) }), 412, 'version_mismatch');
  ok(await put(`/api/v1/sopa/sites/${LYON_SITE}/periods`, { year_id: year.id, periods: good }, { token: bureau.token, headers: ifMatch(2) }));
});

test('an import with errors is refused whole, every bad line named with its number; nothing is written', async () => {
  const before = await placementCount(year.id);
  const csv = [
    'period,student,mat,school,class_level,pupils',
    `1,${student.username},${mat.username},ZZ00000Z,CE1,22`, // 2: unknown UAI
    `5,${student2.username},${mat.username},${await schoolCode()},CE1,22`, // 3: period 5
    `1,nobody-here,${mat.username},${await schoolCode()},CE1,22`, // 4: unknown student
    `1,${student3.username},${student4.username},${await schoolCode()},CE1,22`, // 5: not a MAT
    `1,${student4.username},${mat.username},${await schoolCode()},CE1,41`, // 6: 41 pupils
    `2,${student.username},${mat.username},${await schoolCode()},CE1,20`, // 7: fine
    `2,${student2.username},${mat.username},${await schoolCode()},CE1,20`, // 8: fine
    `2,${student3.username},${mat.username},${await schoolCode()},CE1,20`, // 9: a third student for the MAT
    `2,${student.username},${mat2.username},${await schoolCode()},CE1,20`, // 10: the student twice in the period
  ].join('\n');
  const res = await post(`/api/v1/sopa/sites/${LYON_SITE}/placements/import`, { year_id: year.id, csv }, { token: bureau.token });
  assertProblem(res, 422, 'invalid_field', 'csv');
  assert.deepEqual(res.body.errors.map((e) => [e.line, e.field]), [
    [2, 'school'], [3, 'period'], [4, 'student'], [5, 'mat'], [6, 'pupils'], [9, 'mat'], [10, 'student'],
  ], show(res));
  await assertNotAudited(res);
  assert.equal(await placementCount(year.id), before, 'nothing written');
  // A bad header is refused too.
  assertProblem(await post(`/api/v1/sopa/sites/${LYON_SITE}/placements/import`, { year_id: year.id, csv: 'periode,etudiant\n1,x' }, { token: bureau.token }), 422, 'invalid_field', 'csv');
});

let schoolUai;
async function schoolCode() {
  schoolUai ??= await dbValue(`SELECT code FROM structure WHERE id = ${LYON_SCHOOL}`);
  return schoolUai;
}

test('a clean import creates every placement', async () => {
  const csv = [
    'period,student,mat,school,class_level,pupils',
    `1,${student.username},${mat.username},${await schoolCode()},CM1,24`,
    `1,${student2.username},${mat.username},${await schoolCode()},CM1,24`,
    `1,${student3.username},${mat2.username},${await schoolCode()},"CE2, CM1",25`,
  ].join('\r\n');
  const res = await post(`/api/v1/sopa/sites/${LYON_SITE}/placements/import`, { year_id: year.id, csv }, { token: bureau.token });
  assert.equal(res.status, 201, show(res));
  assert.deepEqual(res.body, { created: 3 });
  await assertAudited(res, { action: 'sopa.placements_import', actor: bureau.me.id, type: 'structure', id: LYON_SITE });
  const list = ok(await get(`/api/v1/sopa/placements?year_id=${year.id}&site_id=${LYON_SITE}&period=1`, { token: office.s.token }));
  assert.equal(list.total, 3);
  assert.deepEqual(list.items.map((p) => p.class_level).sort(), ['CE2, CM1', 'CM1', 'CM1']);
  assert.ok(list.items.every((p) => p.status === 'missing' && p.report === null), JSON.stringify(list).slice(0, 600));
});

test('a placement created one by one: every bad input named, nothing written', async () => {
  const body = { site_id: LYON_SITE, year_id: year.id, period: 2, student_id: student4.id, mat_id: mat2.id, school_id: LYON_SCHOOL, class_level: 'CP', pupils: 18 };
  const before = await placementCount(year.id);
  const cases = [
    [{ student_id: mat2.id }, 'student_id'], // not a student
    [{ mat_id: student3.id }, 'mat_id'], // not a MAT
    [{ school_id: LYON_SITE }, 'school_id'], // a site, not a school
    [{ pupils: 0 }, 'pupils'],
    [{ period: 5 }, 'period'],
  ];
  for (const [change, field] of cases) {
    const res = await post('/api/v1/sopa/placements', { ...body, ...change }, { token: bureau.token });
    assertProblem(res, 422, 'invalid_field', field);
  }
  // A period whose dates are not set (a year without periods).
  const bare = await sopaYear(cleanup, { periods: false });
  years.push(bare.id);
  assertProblem(await post('/api/v1/sopa/placements', { ...body, year_id: bare.id }, { token: bureau.token }), 422, 'invalid_field', 'period');
  // The student already placed in the period; the MAT already hosting two.
  assertProblem(await post('/api/v1/sopa/placements', { ...body, period: 1, student_id: student.id }, { token: bureau.token }), 422, 'invalid_field', 'student_id');
  assertProblem(await post('/api/v1/sopa/placements', { ...body, period: 1, mat_id: mat.id }, { token: bureau.token }), 422, 'invalid_field', 'mat_id');
  // A gestionnaire does not place students.
  assert.equal((await post('/api/v1/sopa/placements', body, { token: office.s.token })).status, 403);
  assert.equal(await placementCount(year.id), before, 'nothing written');
  const created = await post('/api/v1/sopa/placements', body, { token: bureau.token });
  assert.equal(created.status, 201, show(created));
  assert.equal(created.headers.etag, '"1"');
  assert.equal(created.body.period.number, 2);
  assert.equal(created.body.student.id, student4.id);
  await assertAudited(created, { action: 'sopa.placement_create', actor: bureau.me.id, type: 'sopa_placement', id: created.body.id });
});

test('two requests at once cannot give a MAT a third student', async () => {
  // mat2 hosts student4 in period 2: two more at once, one only passes.
  const body = { site_id: LYON_SITE, year_id: year.id, period: 2, mat_id: mat2.id, school_id: LYON_SCHOOL, class_level: 'CP', pupils: 18 };
  const res = await Promise.all([student2, student3].map((s) => post('/api/v1/sopa/placements', { ...body, student_id: s.id }, { token: bureau.token })));
  assert.deepEqual(res.map((r) => r.status).sort(), [201, 422], res.map(show).join('\n'));
  assert.equal(await dbValue(`SELECT COUNT(*) FROM sopa_placement p JOIN sopa_period pe ON pe.id = p.period_id WHERE pe.year_id = ${n(year.id)} AND pe.number = 2 AND p.mat_id = ${n(mat2.id)}`), '2');
});

/** Half-days of period 1 (`a`-10-05 to `a`-10-09): two per weekday. */
function capacity(a) {
  let days = 0;
  for (let d = 5; d <= 9; d++) if (![0, 6].includes(new Date(Date.UTC(a, 9, d)).getUTCDay())) days++;
  return 2 * days;
}

let placement; // student with mat, period 1 of the past year
let report;

test('the MAT drafts the report; bad input named, nothing written; two editors: 412', async () => {
  const list = ok(await get(`/api/v1/sopa/placements?year_id=${year.id}`, { token: mat.s.token }));
  placement = list.items.find((p) => p.student.id === student.id && p.period.number === 1);
  assert.ok(placement, JSON.stringify(list).slice(0, 600));
  assert.ok(list.items.every((p) => p.mat.id === mat.id), 'the MAT lists only the students they host');
  // Another MAT, the student and the gestionnaire do not write it.
  assert.equal((await post(`/api/v1/sopa/placements/${placement.id}/report`, {}, { token: otherMat.s.token })).status, 404);
  assert.equal((await post(`/api/v1/sopa/placements/${placement.id}/report`, {}, { token: student.s.token })).status, 403);
  const res = await post(`/api/v1/sopa/placements/${placement.id}/report`, {}, { token: mat.s.token });
  assert.equal(res.status, 201, show(res));
  report = res.body;
  assert.equal(report.number, 1);
  assert.equal(report.state, 'draft');
  assert.equal(report.student.id, student.id);
  assert.equal(report.period.stage, 1);
  await assertAudited(res, { action: 'sopa.report_create', actor: mat.id, type: 'sopa_report', id: report.id });
  assertProblem(await post(`/api/v1/sopa/placements/${placement.id}/report`, {}, { token: mat.s.token }), 409, 'report_exists');

  const bad = [
    [{ step: 5 }, 'step'],
    [{ step: 0 }, 'step'],
    [{ ethics: [{ competence: 'C1', rating: 'acquis' }, { competence: 'C2', rating: 'bien' }] }, 'ethics[1].rating'],
    [{ ethics: [{ competence: 'C3', rating: 'acquis' }] }, 'ethics[0].competence'],
    [{ ethics: [{ competence: 'C1', rating: 'acquis' }, { competence: 'C1', rating: 'en_cours' }] }, 'ethics[1].competence'],
    [{ advice: [{ text: 'un' }, { text: 'deux' }, { text: 'trois' }] }, 'advice'],
    [{ absences_half_days: -1 }, 'absences_half_days'],
    [{ absences_half_days: capacity(year.a) + 1 }, 'absences_half_days'], // 2 per weekday of the period
    [{ sessions_led: 201 }, 'sessions_led'],
    [{ comments_steps_12: 'é'.repeat(4001) }, 'comments_steps_12'], // 4000 characters
    [{ advice: [{ text: 'é'.repeat(1001) }] }, 'advice[0].text'], // 1000 characters
  ];
  for (const [body, field] of bad) {
    const r = await put(`/api/v1/sopa/reports/${report.id}`, body, { token: mat.s.token, headers: ifMatch(1) });
    assertProblem(r, 422, 'invalid_field', field);
    await assertNotAudited(r);
  }
  const stored = ok(await get(`/api/v1/sopa/reports/${report.id}`, { token: mat.s.token }));
  assert.equal(stored.version, 1, 'nothing written');
  assert.equal(stored.step, null);
  // The capacity is the period's: all its half-days are accepted.
  const first = ok(await put(`/api/v1/sopa/reports/${report.id}`, { absences_half_days: capacity(year.a), step: 1 }, { token: mat.s.token, headers: ifMatch(1) }));
  assert.equal(first.version, 2);
  // A second editor with the version they read first: 412, their text not stored.
  assertProblem(await put(`/api/v1/sopa/reports/${report.id}`, { step: 3 }, { token: mat.s.token, headers: ifMatch(1) }), 412, 'version_mismatch');
  assert.equal(ok(await get(`/api/v1/sopa/reports/${report.id}`, { token: mat.s.token })).step, 1);
  // Absent members keep their value; null clears.
  const second = ok(await put(`/api/v1/sopa/reports/${report.id}`, { step: 2, absences_half_days: null }, { token: mat.s.token, headers: ifMatch(2) }));
  assert.deepEqual([second.step, second.absences_half_days, second.version], [2, null, 3]);
  report = second;
});

test('the student does not see a draft; nor does another MAT, a tutor, a trainee, another site\'s gestionnaire, another académie', async () => {
  assert.equal((await get(`/api/v1/sopa/reports/${report.id}`, { token: student.s.token })).status, 404);
  const own = ok(await get(`/api/v1/sopa/placements?year_id=${year.id}`, { token: student.s.token }));
  assert.equal(own.total, 1);
  assert.equal(own.items[0].report, null, 'no draft in the student\'s list');
  const missing = await get(`/api/v1/sopa/reports/${NO_ID}`, { token: otherMat.s.token });
  for (const s of [otherMat.s, student2.s]) {
    const r = await get(`/api/v1/sopa/reports/${report.id}`, { token: s.token });
    assert.equal(r.status, 404, show(r));
    assert.equal(r.text, missing.text, 'the 404 of a missing id');
    assert.equal((await get(`/api/v1/sopa/placements/${placement.id}`, { token: s.token })).status, 404);
  }
  assert.equal(ok(await get(`/api/v1/sopa/placements?year_id=${year.id}`, { token: otherMat.s.token })).total, 0);
  // A gestionnaire of another site.
  const elsewhere = await otherSiteOffice();
  assert.equal((await get(`/api/v1/sopa/reports/${report.id}`, { token: elsewhere.s.token })).status, 404);
  assert.equal((await get(`/api/v1/sopa/placements/${placement.id}`, { token: elsewhere.s.token })).status, 404);
  assert.equal(ok(await get(`/api/v1/sopa/placements?year_id=${year.id}`, { token: elsewhere.s.token })).total, 0);
  assert.ok(!ok(await get('/api/v1/sopa/sites', { token: elsewhere.s.token })).items.some((s) => s.id === LYON_SITE));
  // Roles that hold no SOPA relation at all are refused by the route.
  for (const u of ['tuteur.terrain1', 'stagiaire1', 'admin']) {
    const s = await as('lyon', u);
    assert.equal((await get(`/api/v1/sopa/reports/${report.id}`, { token: s.token })).status, 403, u);
    assert.equal((await get('/api/v1/sopa/placements', { token: s.token })).status, 403, u);
  }
  // Another académie: 404 on objects, empty lists, no count.
  for (const u of ['admin', 'bureau1']) {
    const s = await as('grenoble', u);
    if (u === 'bureau1') {
      for (const path of [`/api/v1/sopa/reports/${report.id}`, `/api/v1/sopa/placements/${placement.id}`, `/api/v1/sopa/sites/${LYON_SITE}`]) {
        assert.equal((await get(path, { token: s.token })).status, 404, `${u} ${path}`);
      }
      const list = ok(await get('/api/v1/sopa/placements', { token: s.token }));
      assert.ok(!list.items.some((p) => p.id === placement.id));
      assert.ok(!JSON.stringify(list).includes(student.username));
      assert.equal((await get(`/api/v1/sopa/placements?year_id=${year.id}`, { token: s.token })).status, 422, 'a year of another académie does not exist');
    } else {
      assert.equal((await get(`/api/v1/sopa/reports/${report.id}`, { token: s.token })).status, 403);
    }
  }
});

let elsewhereOffice;
async function otherSiteOffice() {
  if (elsewhereOffice) return elsewhereOffice;
  const admin = await as('lyon', 'admin');
  const site = ok(await post('/api/v1/structures', { kind: 'inspe_site', name: `Site test ${Date.now()}` }, { token: admin.token }), 201);
  cleanup.structure(site.id);
  sites.push(site.id);
  elsewhereOffice = await sopaPerson(cleanup, 't-sopa-ges', 'gestionnaire_scolarite', site.id);
  return elsewhereOffice;
}

const MARKER = 'MARQUEUR-PRIVE-SOPA';

test('sending: incomplete refused with the field; sent late after the due date; sent once; the gestionnaire and the student notified and mailed, without the text', async () => {
  const send = (version) => post(`/api/v1/sopa/reports/${report.id}/send`, {}, { token: mat.s.token, headers: ifMatch(version) });
  let r = await send(report.version);
  assertProblem(r, 422, 'incomplete', 'absences_half_days');
  const partial = ok(await put(`/api/v1/sopa/reports/${report.id}`, { absences_half_days: 0, ethics: [{ competence: 'C1', rating: 'acquis' }, { competence: 'C6', rating: 'en_cours' }] }, { token: mat.s.token, headers: ifMatch(report.version) }));
  r = await send(partial.version);
  assertProblem(r, 422, 'incomplete', 'ethics');
  assert.match(r.body.detail, /C2, C7, C11/);
  const withoutAdvice = ok(await put(`/api/v1/sopa/reports/${report.id}`, { ...completeReport({ comments_steps_12: `Texte ${MARKER}` }), advice: [{ text: `Conseil ${MARKER}` }] }, { token: mat.s.token, headers: ifMatch(partial.version) }));
  assertProblem(await send(withoutAdvice.version), 422, 'incomplete', 'advice');
  const full = ok(await put(`/api/v1/sopa/reports/${report.id}`, { advice: [{ text: `Conseil ${MARKER}` }, { text: 'Observer les transitions.' }] }, { token: mat.s.token, headers: ifMatch(withoutAdvice.version) }));
  assertProblem(await send(full.version - 1), 412, 'version_mismatch');

  const mailsBefore = mails().length;
  const res = await send(full.version);
  assert.equal(res.status, 200, show(res));
  assert.equal(res.body.state, 'sent');
  assert.equal(res.body.late, true, 'sent years after the period: late');
  assert.equal(res.body.sent_by.id, mat.id);
  assert.equal(res.body.period.due_on, `${year.a}-10-16`);
  await assertAudited(res, { action: 'sopa.report_send', actor: mat.id, type: 'sopa_report', id: report.id });
  report = res.body;
  // A second send is refused and tells no one again.
  assertProblem(await send(report.version), 409, 'already_sent');
  assertProblem(await put(`/api/v1/sopa/reports/${report.id}`, { step: 3 }, { token: mat.s.token, headers: ifMatch(report.version) }), 409, 'report_sent');
  const rows = await db(`SELECT recipient_id, link FROM notification WHERE kind = 'sopa.report_sent' AND object_id = ${n(report.id)} ORDER BY recipient_id`);
  assert.deepEqual(rows.map(([rid]) => rid).sort(), [String(office.id), String(student.id)].sort(), 'one notice each, once');
  // Their inboxes.
  for (const who of [office, student]) {
    const inbox = ok(await get('/api/v1/notifications', { token: who.s.token }));
    const item = inbox.items.find((i) => (i.link || '').includes(`/sopa/comptes-rendus/${report.id}`));
    assert.ok(item, JSON.stringify(inbox).slice(0, 600));
    assert.ok(!JSON.stringify(item).includes(MARKER), 'no report text in the notice');
  }
  // Their mails, with the link and without the text.
  const got = await waitForMails((all) => all.length >= mailsBefore + 2
    && all.some((m) => m.envelopeTo === office.email || m.to === office.email)
    && all.some((m) => m.envelopeTo === student.email || m.to === student.email));
  for (const who of [office, student]) {
    const m = got.filter((x) => x.envelopeTo === who.email || x.to === who.email);
    assert.equal(m.length, 1, `one mail to ${who.email}`);
    assert.match(m[0].text, new RegExp(`/sopa/comptes-rendus/${report.id}`));
    assert.ok(!m[0].raw.includes(MARKER) && !(m[0].html || '').includes(MARKER) && !m[0].text.includes(MARKER), 'no report text in the mail');
  }
  // The placement is late for everyone.
  assert.equal(ok(await get(`/api/v1/sopa/placements/${placement.id}`, { token: office.s.token })).status, 'late');
});

test('a correction is a new draft version; both are kept; the student sees the sent one only', async () => {
  const res = await post(`/api/v1/sopa/reports/${report.id}/correction`, {}, { token: mat.s.token });
  assert.equal(res.status, 201, show(res));
  const v2 = res.body;
  assert.equal(v2.number, 2);
  assert.equal(v2.state, 'draft');
  assert.equal(v2.step, 2, 'copied from the sent version');
  assert.deepEqual(v2.versions.map((v) => [v.number, v.state]), [[1, 'sent'], [2, 'draft']]);
  await assertAudited(res, { action: 'sopa.report_correction', actor: mat.id, type: 'sopa_report', id: v2.id });
  assertProblem(await post(`/api/v1/sopa/reports/${report.id}/correction`, {}, { token: mat.s.token }), 409, 'newer_version');
  assertProblem(await post(`/api/v1/sopa/reports/${v2.id}/correction`, {}, { token: mat.s.token }), 409, 'report_not_sent');
  // The sent version is unchanged.
  const v1 = ok(await get(`/api/v1/sopa/reports/${report.id}`, { token: mat.s.token }));
  assert.equal(v1.state, 'sent');
  assert.equal(v1.version, report.version);
  // The student: the sent version, with the sent versions only; not the draft.
  const seen = ok(await get(`/api/v1/sopa/reports/${report.id}`, { token: student.s.token }));
  assert.deepEqual(seen.versions.map((v) => v.number), [1]);
  assert.equal((await get(`/api/v1/sopa/reports/${v2.id}`, { token: student.s.token })).status, 404);
  const own = ok(await get(`/api/v1/sopa/placements?year_id=${year.id}`, { token: student.s.token }));
  assert.deepEqual([own.items[0].report.id, own.items[0].report.state], [report.id, 'sent']);
  // The MAT and the staff see the latest version in the list.
  const mine = ok(await get(`/api/v1/sopa/placements/${placement.id}`, { token: mat.s.token }));
  assert.deepEqual([mine.report.id, mine.report.number, mine.report.state], [v2.id, 2, 'draft']);
  assert.equal(mine.status, 'late', 'the status is the first sending\'s');
  // The placement no longer changes once a version is sent; nor is it deleted.
  assertProblem(await request('PATCH', `/api/v1/sopa/placements/${placement.id}`, { token: bureau.token, json: { pupils: 20 }, headers: ifMatch(mine.version) }), 409, 'report_sent');
  assertProblem(await request('DELETE', `/api/v1/sopa/placements/${placement.id}`, { token: bureau.token }), 409, 'report_exists');
});

test('the gestionnaire marks the report for UE4, names the MAT to the jury, lists the period and exports it', async () => {
  assert.equal((await put(`/api/v1/sopa/reports/${report.id}/ue4`, { recorded: true }, { token: mat.s.token })).status, 403);
  const res = await put(`/api/v1/sopa/reports/${report.id}/ue4`, { recorded: true }, { token: office.s.token });
  assert.equal(res.status, 200, show(res));
  assert.ok(res.body.ue4_recorded_at);
  await assertAudited(res, { action: 'sopa.report_ue4', actor: office.id, type: 'sopa_report', id: report.id });
  const draft = ok(await get(`/api/v1/sopa/placements/${placement.id}`, { token: mat.s.token })).report.id;
  assertProblem(await put(`/api/v1/sopa/reports/${draft}/ue4`, { recorded: true }, { token: office.s.token }), 409, 'report_not_sent');

  const jury = await put(`/api/v1/sopa/sites/${LYON_SITE}/jury`, { year_id: year.id, mat_id: mat.id, jury: true }, { token: office.s.token });
  assert.equal(jury.status, 200, show(jury));
  assertProblem(await put(`/api/v1/sopa/sites/${LYON_SITE}/jury`, { year_id: year.id, mat_id: student.id, jury: true }, { token: office.s.token }), 422, 'invalid_field', 'mat_id');
  const seenByMat = ok(await get(`/api/v1/sopa/placements/${placement.id}`, { token: mat.s.token }));
  assert.equal(seenByMat.mat.jury_ue4, true);

  // The list of period 1: one late, the others missing.
  const list = ok(await get(`/api/v1/sopa/placements?year_id=${year.id}&site_id=${LYON_SITE}&period=1`, { token: office.s.token }));
  const status = Object.fromEntries(list.items.map((p) => [p.student.id, p.status]));
  assert.deepEqual(status, { [student.id]: 'late', [student2.id]: 'missing', [student3.id]: 'missing' });
  assert.ok(list.items.every((p) => p.my_relations.includes('site_office')));

  const csv = await get(`/api/v1/sopa/sites/${LYON_SITE}/reports.csv?year_id=${year.id}&period=1`, { token: office.s.token });
  assert.equal(csv.status, 200);
  assert.match(csv.headers['content-type'], /^text\/csv; charset=utf-8/);
  const lines = csv.text.trim().split('\n');
  assert.equal(lines[0], 'period,student,mat,school,status,sent_at,step,absences_half_days,C1,C2,C6,C7,C11,ue4_recorded');
  assert.equal(lines.length, 4);
  const mine = lines.find((l) => l.includes(student.display_name));
  assert.match(mine, /,late,\d{4}-\d\d-\d\dT[^,]+,2,1,en_cours,en_cours,en_cours,en_cours,en_cours,oui$/);
  // Another site's gestionnaire gets the 404 of a missing site's export.
  assert.equal((await get(`/api/v1/sopa/sites/${LYON_SITE}/reports.csv?year_id=${year.id}`, { token: (await otherSiteOffice()).s.token })).status, 404);
});

test('a report sent before its due date is received; a period not over is upcoming', async () => {
  const placed = ok(await post('/api/v1/sopa/placements', { site_id: LYON_SITE, year_id: future.id, period: 1, student_id: student4.id, mat_id: mat.id, school_id: LYON_SCHOOL, class_level: 'CM2', pupils: 27 }, { token: bureau.token }), 201);
  assert.equal(placed.status, 'upcoming');
  const draft = ok(await post(`/api/v1/sopa/placements/${placed.id}/report`, {}, { token: mat.s.token }), 201);
  const full = ok(await put(`/api/v1/sopa/reports/${draft.id}`, completeReport(), { token: mat.s.token, headers: ifMatch(draft.version) }));
  const sent = ok(await post(`/api/v1/sopa/reports/${draft.id}/send`, {}, { token: mat.s.token, headers: ifMatch(full.version) }));
  assert.equal(sent.late, false);
  assert.equal(ok(await get(`/api/v1/sopa/placements/${placed.id}`, { token: office.s.token })).status, 'received');
});

test('a placement without a report is changed with its version and deleted', async () => {
  const list = ok(await get(`/api/v1/sopa/placements?year_id=${year.id}&mat_id=${mat2.id}&period=2`, { token: bureau.token }));
  const p = list.items[0];
  assert.ok(p, JSON.stringify(list).slice(0, 600));
  assertProblem(await request('PATCH', `/api/v1/sopa/placements/${p.id}`, { token: bureau.token, json: { pupils: 41 }, headers: ifMatch(p.version) }), 422, 'invalid_field', 'pupils');
  assertProblem(await request('PATCH', `/api/v1/sopa/placements/${p.id}`, { token: bureau.token, json: { mat_id: student.id }, headers: ifMatch(p.version) }), 422, 'invalid_field', 'mat_id');
  const changed = await request('PATCH', `/api/v1/sopa/placements/${p.id}`, { token: bureau.token, json: { pupils: 19, class_level: 'CP-CE1' }, headers: ifMatch(p.version) });
  assert.equal(changed.status, 200, show(changed));
  assert.deepEqual([changed.body.pupils, changed.body.class_level, changed.body.version], [19, 'CP-CE1', p.version + 1]);
  assertProblem(await request('PATCH', `/api/v1/sopa/placements/${p.id}`, { token: bureau.token, json: { pupils: 20 }, headers: ifMatch(p.version) }), 412, 'version_mismatch');
  assert.equal((await request('DELETE', `/api/v1/sopa/placements/${p.id}`, { token: office.s.token })).status, 403);
  const del = await request('DELETE', `/api/v1/sopa/placements/${p.id}`, { token: bureau.token });
  assert.equal(del.status, 204, show(del));
  assert.equal(await dbValue(`SELECT COUNT(*) FROM sopa_placement WHERE id = ${n(p.id)}`), '0');
});

test('the demo: mat1 has etudiant1\'s SOPA 2 report to write at Niort; gestionnaire1 sees received, late and missing', async () => {
  const m = await as('poitiers', 'mat1');
  const mine = ok(await get('/api/v1/sopa/placements', { token: m.token }));
  const p2 = mine.items.find((p) => p.period.number === 2 && p.student.display_name === 'Chloé Gauthier');
  assert.ok(p2, JSON.stringify(mine).slice(0, 600));
  assert.equal(p2.site.id, 100105);
  assert.equal(p2.period.due_on, '2026-12-04');
  const g = await as('poitiers', 'gestionnaire1');
  const list = ok(await get('/api/v1/sopa/placements?site_id=100105&period=1', { token: g.token }));
  assert.deepEqual([...new Set(list.items.map((p) => p.status))].sort(), ['late', 'missing', 'received']);
});

test('tutoratctl import sopa-placements: the site first, the current year; a bad line refuses the file', async () => {
  const admin = await as('lyon', 'admin');
  const name = `Site import ${Date.now()}`;
  const site = ok(await post('/api/v1/structures', { kind: 'inspe_site', name }, { token: admin.token }), 201);
  cleanup.structure(site.id);
  sites.push(site.id);
  const current = ok(await get(`/api/v1/sopa/sites/${site.id}`, { token: bureau.token })).year_id;
  const [[label]] = await db(`SELECT label FROM school_year WHERE id = ${n(current)}`);
  ok(await put(`/api/v1/sopa/sites/${site.id}/periods`, { year_id: current, periods: periodsOf(Number(label.slice(0, 4))) }, { token: bureau.token }));
  const dir = await mkdtemp(join(tmpdir(), 'sopa-'));
  const file = async (f, lines) => {
    const path = join(dir, f);
    await writeFile(path, ['site,period,student,mat,school,class_level,pupils', ...lines].join('\n'));
    return path;
  };
  const count = () => dbValue(`SELECT COUNT(*) FROM sopa_placement p JOIN sopa_period pe ON pe.id = p.period_id WHERE pe.site_id = ${n(site.id)}`);
  const bad = await ctl('--academy', 'lyon', 'import', 'sopa-placements', await file('bad.csv', [
    `${name},3,${student.username},${mat2.username},${await schoolCode()},CM1,20`,
    `Nulle part,3,${student2.username},${mat2.username},${await schoolCode()},CM1,20`,
    `${name},3,${student3.username},${student4.username},${await schoolCode()},CM1,20`,
  ]));
  assert.notEqual(bad.code, 0, bad.stderr);
  assert.match(bad.stderr, /:3: invalid_field \(site\)/);
  assert.match(bad.stderr, /:4: invalid_field \(mat\)/);
  assert.match(bad.stderr, /nothing imported/);
  assert.equal(await count(), '0');
  const good = await ctl('--academy', 'lyon', 'import', 'sopa-placements', await file('good.csv', [
    `${name},3,${student.username},${mat2.username},${await schoolCode()},CM1,20`,
  ]));
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /imported 1 sopa-placements into lyon/);
  assert.equal(await count(), '1');
});
