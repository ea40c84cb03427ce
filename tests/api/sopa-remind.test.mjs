// The SOPA reports' reminders and agenda (issue 11; modules/sopa/
// sopa_remind_db.c): `tutoratctl remind` reminds the MAT at days 3 and 7
// after the period's end while no version of the report is sent, and the
// site's délégués and gestionnaires at day 8; each once, whatever the
// runs; nobody else. The home page's agenda gives the MAT the reports to
// write and the site's staff the late ones per period.
//
// Fresh people of Poitiers; the reminders' periods are in a fresh (past)
// school year, so that `--at` places "today" around their dates and no
// demo row is due then. The agenda reads the current year (today), so its
// placements go into the current year's periods of the Niort site (made
// when the demo data has none) and are removed after.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import {
  get, show, as, db, dbValue, n, q, ctl, academyId, Cleanup,
} from '../lib/index.mjs';
import { freshPerson, freshYear, sessionAs } from '../lib/tutorat.mjs';

const NIORT = 100105;
const POITIERS_SITE = 100106;
const SCHOOL = 100112; // École élémentaire Jean Zay, Niort
const cleanup = new Cleanup();
const made = { reports: [], placements: [], periods: [] };
let acad, year, a, people;

const id = () => randomInt(2 ** 40, 2 ** 47);
const plus = (d, days) => new Date(Date.parse(`${d}T00:00:00Z`) + days * 86400e3).toISOString().slice(0, 10);

async function period(yearId, number, startsOn, endsOn, site = NIORT) {
  const pid = id();
  await db(`INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on)
    VALUES (${acad}, ${pid}, ${site}, ${n(yearId)}, ${number}, ${q(startsOn)}, ${q(endsOn)})`);
  made.periods.push(pid);
  return pid;
}
async function placement(periodId, student, mat) {
  const pid = id();
  await db(`INSERT INTO sopa_placement (academy_id, id, period_id, student_id, mat_id, school_id, class_level, pupils, created_by, created_at)
    VALUES (${acad}, ${pid}, ${n(periodId)}, ${n(student.id)}, ${n(mat.id)}, ${SCHOOL}, 'CE2', 24, NULL, NOW(3))`);
  made.placements.push(pid);
  return pid;
}
async function report(placementId, mat, state) {
  const rid = id();
  await db(`INSERT INTO sopa_report (academy_id, id, placement_id, number, state, created_by, created_at, updated_at, sent_by, sent_at)
    VALUES (${acad}, ${rid}, ${n(placementId)}, 1, ${q(state)}, ${n(mat.id)}, NOW(3), NOW(3),
    ${state === 'sent' ? n(mat.id) : 'NULL'}, ${state === 'sent' ? 'NOW(3)' : 'NULL'})`);
  made.reports.push(rid);
  return rid;
}

before(async () => {
  acad = await academyId('poitiers');
  const admin = await as('poitiers', 'admin');
  year = await freshYear(admin, cleanup, 'poitiers');
  a = Number(year.label.slice(0, 4));
  const site = (role, site_id) => ({ role, scope_kind: 'inspe_site', scope_id: site_id });
  people = {
    student: await freshPerson(admin, cleanup, ['etudiant_sopa'], 't-sr-e'),
    student2: await freshPerson(admin, cleanup, ['etudiant_sopa'], 't-sr-e2'),
    mat: await freshPerson(admin, cleanup, ['mat'], 't-sr-m'),
    mat2: await freshPerson(admin, cleanup, ['mat'], 't-sr-m2'),
    office: await freshPerson(admin, cleanup, [site('gestionnaire_scolarite', NIORT)], 't-sr-g'),
    delegate: await freshPerson(admin, cleanup, [site('delegue_stage', NIORT)], 't-sr-d'),
    otherOffice: await freshPerson(admin, cleanup, [site('gestionnaire_scolarite', POITIERS_SITE)], 't-sr-og'),
  };
});

after(async () => {
  const list = (ids) => ids.map(n).join(',') || 'NULL';
  await db(`DELETE FROM sopa_report WHERE academy_id = ${acad} AND (id IN (${list(made.reports)}) OR placement_id IN (${list(made.placements)}))`);
  await db(`DELETE FROM sopa_placement WHERE academy_id = ${acad} AND id IN (${list(made.placements)})`);
  await db(`DELETE FROM sopa_period WHERE academy_id = ${acad} AND id IN (${list(made.periods)})`);
  await db(`DELETE FROM reminder_sent WHERE academy_id = ${acad} AND kind LIKE 'sopa.%' AND object_id IN (${list(made.placements)})`);
  await cleanup.run();
});

const remind = async (at) => {
  const r = await ctl('--academy', 'poitiers', 'remind', '--at', at);
  assert.equal(r.code, 0, `tutoratctl remind --at ${at}: ${r.stdout}${r.stderr}`);
  return r;
};
async function sent(kind, placementId) {
  const rows = await db(`SELECT recipient_id, step FROM reminder_sent WHERE academy_id = ${acad} AND kind = ${q(kind)}
    AND object_id = ${n(placementId)} ORDER BY recipient_id, step`);
  return rows.map(([p, s]) => [Number(p), Number(s)]);
}
async function notified(kind, placementId) {
  const rows = await db(`SELECT recipient_id, actor_id, module, object_kind, object_id, subject FROM notification
    WHERE academy_id = ${acad} AND kind = ${q(kind)} AND link = ${q(`/app.html#/sopa/stages/${placementId}`)} ORDER BY recipient_id, id`);
  return rows.map(([p, actor, module, kindOf, objectId, subject]) => ({ recipient: Number(p), actor, object: `${module} ${kindOf} ${objectId}`, subject }));
}

test('report due: the MAT at days 3 and 7 after the period, once each whatever the runs; the site staff at day 8; a sent report none', async () => {
  // SOPA 2 of the fresh year: two weeks of November.
  const ends = `${a}-11-27`;
  const p2 = await period(year.id, 2, `${a}-11-16`, ends);
  const open = await placement(p2, people.student, people.mat);
  const done = await placement(p2, people.student2, people.mat2);
  await report(open, people.mat, 'draft'); // a draft is not a report sent
  await report(done, people.mat2, 'sent');

  await remind(plus(ends, 2));
  assert.deepEqual(await sent('sopa.report_due', open), [], 'not due at day 2');
  const first = await remind(plus(ends, 3));
  assert.match(first.stdout, /remind poitiers \d{4}-\d\d-\d\d: [1-9]\d* sent/);
  await remind(plus(ends, 3));
  await remind(plus(ends, 5)); // the catch-up days of step 3
  assert.deepEqual(await sent('sopa.report_due', open), [[people.mat.id, 3]]);
  await Promise.all([remind(plus(ends, 7)), remind(plus(ends, 7))]); // two processes at once
  assert.deepEqual(await sent('sopa.report_due', open), [[people.mat.id, 3], [people.mat.id, 7]]);
  assert.deepEqual(await sent('sopa.report_late', open), [], 'the staff are not told before day 8');

  const toMat = await notified('sopa.report_due', open);
  assert.deepEqual(toMat.map((x) => x.recipient), [people.mat.id, people.mat.id], 'two reminders, the MAT\'s');
  assert.equal(toMat[0].actor, null, 'a reminder has no actor');
  assert.equal(toMat[0].object, `sopa placement ${open}`, 'the item names the placement (re-checked as the MAT\'s)');
  assert.equal(toMat[0].subject, people.student.display_name, 'about the student, by name only');

  await remind(plus(ends, 8));
  await remind(plus(ends, 9));
  // Every délégué and gestionnaire of Niort (the demo's gestionnaire1 too).
  const staff = (await db(`SELECT DISTINCT ra.person_id FROM role_assignment ra JOIN person p ON p.academy_id = ra.academy_id
    AND p.id = ra.person_id AND p.active WHERE ra.academy_id = ${acad} AND ra.scope_kind = 'inspe_site' AND ra.scope_id = ${NIORT}
    AND ra.role IN ('delegue_stage', 'gestionnaire_scolarite') ORDER BY ra.person_id`)).map(([p]) => Number(p));
  assert.ok(staff.includes(people.office.id) && staff.includes(people.delegate.id));
  assert.deepEqual(await sent('sopa.report_late', open), staff.map((p) => [p, 8]), 'the délégués and gestionnaires of Niort, once each');
  assert.deepEqual((await notified('sopa.report_late', open)).map((x) => x.recipient), staff);
  assert.ok(!(await sent('sopa.report_late', open)).some(([p]) => p === people.otherOffice.id), 'not the gestionnaire of another site');

  // In the recipients' inboxes (re-checked through the placement), no one else's.
  const inbox = async (person) => (await get('/api/v1/notifications', { token: (await sessionAs('poitiers', person.id)).token })).body.items
    .filter((i) => i.link === `/app.html#/sopa/stages/${open}`).map((i) => i.kind).sort();
  assert.deepEqual(await inbox(people.mat), ['sopa.report_due', 'sopa.report_due']);
  assert.deepEqual(await inbox(people.office), ['sopa.report_late']);
  assert.deepEqual(await inbox(people.delegate), ['sopa.report_late']);
  assert.deepEqual(await inbox(people.otherOffice), []);
  assert.deepEqual(await inbox(people.student), []);

  assert.deepEqual(await sent('sopa.report_due', done), [], 'a sent report is not reminded');
  assert.deepEqual(await sent('sopa.report_late', done), []);

  const audit = await db(`SELECT object_type, detail FROM audit_log WHERE academy_id = ${acad} AND action = 'reminder.send'
    AND object_id = ${n(open)} AND request_id LIKE 'remind-%' ORDER BY id`);
  assert.equal(audit.length, 2 + staff.length, 'one audit row per reminder');
  assert.equal(audit[0][0], 'sopa_placement');
  assert.deepEqual(JSON.parse(audit[0][1]), { kind: 'sopa.report_due', step: 3, recipient_id: people.mat.id });
});

test('the rules of the SOPA reports are the admin\'s like the others: switched off, nothing goes', async () => {
  const admin = await as('poitiers', 'admin');
  const rules = (await get('/api/v1/admin/reminder-rules', { token: admin.token })).body.rules;
  const due = rules.find((r) => r.kind === 'sopa.report_due');
  assert.equal(due.module, 'sopa');
  assert.equal(due.default_offsets, '3,7');
  const ends = `${a}-05-21`;
  const p4 = await period(year.id, 4, `${a}-05-17`, ends);
  const pl = await placement(p4, people.student, people.mat);
  await db(`UPDATE reminder_rule SET active = FALSE WHERE academy_id = ${acad} AND kind = 'sopa.report_due'`);
  try {
    await remind(plus(ends, 3));
    assert.deepEqual(await sent('sopa.report_due', pl), [], 'a rule switched off sends nothing');
  } finally {
    await db(`UPDATE reminder_rule SET active = TRUE WHERE academy_id = ${acad} AND kind = 'sopa.report_due'`);
  }
  await remind(plus(ends, 3));
  assert.deepEqual(await sent('sopa.report_due', pl), [[people.mat.id, 3]]);
});

test('agenda: the MAT\'s reports to write (late or not), the site staff\'s late reports per period; a report sent leaves both', async () => {
  const current = await dbValue(`SELECT id FROM school_year WHERE academy_id = ${acad} AND current`);
  const today = await dbValue('SELECT DATE_FORMAT(CURDATE(), \'%Y-%m-%d\')');
  // The Niort site's periods of the current year: the demo's, or made here.
  const periods = {};
  for (const [num, starts, ends] of [[1, -60, -56]]) {
    const have = await db(`SELECT id FROM sopa_period WHERE academy_id = ${acad} AND site_id = ${NIORT} AND year_id = ${n(current)} AND number = ${num}`);
    periods[num] = have.length ? Number(have[0][0]) : await period(current, num, plus(today, starts), plus(today, ends));
  }
  const dates = Object.fromEntries(await Promise.all(Object.entries(periods).map(async ([num, pid]) => [num,
    await dbValue(`SELECT CONCAT(DATE_FORMAT(starts_on, '%Y-%m-%d'), ' ', DATE_FORMAT(ends_on, '%Y-%m-%d')) FROM sopa_period WHERE academy_id = ${acad} AND id = ${n(pid)}`)])));
  const [, end1] = dates[1].split(' ');
  const lateCount = async (session) => {
    const res = await get('/api/v1/agenda', { token: session.token });
    assert.equal(res.status, 200, show(res));
    return res.body.items.filter((i) => i.kind === 'sopa_reports_late');
  };
  const office = await sessionAs('poitiers', people.office.id);
  const other = await sessionAs('poitiers', people.otherOffice.id);
  const before = (await lateCount(office)).find((i) => i.site_id === NIORT && i.period === 1)?.count || 0;

  const late = await placement(periods[1], people.student2, people.mat2);
  const mat = await sessionAs('poitiers', people.mat2.id);
  let items = (await get('/api/v1/agenda', { token: mat.token })).body.items.filter((i) => i.kind === 'sopa_report_due');
  const entry = items.find((i) => i.placement_id === late);
  assert.ok(entry, `the MAT's agenda has the report to write: ${JSON.stringify(items)}`);
  assert.equal(entry.date, plus(end1, 7), 'due a week after the period');
  assert.equal(entry.late, today > plus(end1, 7));
  assert.deepEqual(entry.student, { id: people.student2.id, display_name: people.student2.display_name });
  assert.equal(entry.period, 1);

  const rows = await lateCount(office);
  const niort = rows.find((i) => i.site_id === NIORT && i.period === 1);
  if (today > plus(end1, 7)) {
    assert.equal(niort?.count, before + 1, `the gestionnaire of Niort counts it: ${JSON.stringify(rows)}`);
    assert.equal(niort.date, plus(end1, 7));
    assert.match(niort.site_name, /Niort/);
  }
  assert.ok(!(await lateCount(other)).some((i) => i.site_id === NIORT), 'not the gestionnaire of another site');
  assert.ok(!(await get('/api/v1/agenda', { token: office.token })).body.items.some((i) => i.kind === 'sopa_report_due'), 'no report to write for the gestionnaire');

  await report(late, people.mat2, 'sent');
  items = (await get('/api/v1/agenda', { token: mat.token })).body.items;
  assert.ok(!items.some((i) => i.placement_id === late), 'a report sent is no longer to write');
  const afterSent = (await lateCount(office)).find((i) => i.site_id === NIORT && i.period === 1)?.count || 0;
  assert.equal(afterSent, before);
});
