// Issue 9 §4: `tutoratctl remind` reminds once per step, whatever the number
// of runs and of processes running at once, the right people only. A
// trio of fresh people in a fresh (past) school year of Lyon; `--at`
// places "today" around its dates, so the demo data and the other files'
// rows are never due on those days. The recipients are read from the
// notification rows notify() wrote and from reminder_sent.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, post, put, show, as, db, dbValue, n, q, ctl, assertProblem, academyId, Cleanup,
} from '../lib/index.mjs';
import { ifMatch, freshPerson, sessionAs, trioFixture, assertAudited } from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
after(() => cleanup.run());

let fx, trainee, terrain, inspe, newTerrain, pilot, otherPilot, year0, lyon;
/** YYYY-MM-DD, `days` after the date d (YYYY-MM-DD). */
const plus = (d, days) => new Date(Date.parse(`${d}T00:00:00Z`) + days * 86400e3).toISOString().slice(0, 10);

before(async () => {
  const admin = await as('lyon', 'admin');
  lyon = await academyId('lyon');
  const people = {
    trainee: await freshPerson(admin, cleanup, ['stagiaire'], 't-rm-s'),
    terrain: await freshPerson(admin, cleanup, ['tuteur_terrain'], 't-rm-tt'),
    inspe: await freshPerson(admin, cleanup, ['tuteur_inspe'], 't-rm-ti'),
    newTerrain: await freshPerson(admin, cleanup, ['tuteur_terrain'], 't-rm-nt'),
  };
  fx = await trioFixture(cleanup, {
    trainee_id: people.trainee.id, tuteur_terrain_id: people.terrain.id, tuteur_inspe_id: people.inspe.id,
  });
  [trainee, terrain, inspe, newTerrain] = await Promise.all(
    ['trainee', 'terrain', 'inspe', 'newTerrain'].map((k) => sessionAs('lyon', people[k].id)));
  pilot = await freshPerson(admin, cleanup, [{ role: 'pilote_pole', scope_kind: 'pole', scope_id: fx.ids.pole }], 't-rm-p');
  otherPilot = await freshPerson(admin, cleanup, [{ role: 'pilote_pole', scope_kind: 'pole', scope_id: fx.ids.otherPole }], 't-rm-op');
  year0 = Number(fx.year.label.slice(0, 4));
});

/** A follow-up time of the fixture on `day`, held (the tutors' notes typed in class). */
async function heldFollowup(day) {
  const res = await post(`/api/v1/enrolments/${fx.enrolmentId}/followups`, {
    kind: 'visit', scheduled_at: `${day}T09:00`, place_id: fx.enrolment.places[0].id, with_terrain: true, with_inspe: true,
  }, { token: terrain.token });
  assert.equal(res.status, 201, show(res));
  const held = await put(`/api/v1/followups/${res.body.id}/observation`, { observation_notes: 'Notes.', held: true }, { token: terrain.token, headers: ifMatch(1) });
  assert.equal(held.status, 200, show(held));
  assert.equal(held.body.state, 'held');
  return res.body.id;
}

const remind = (...args) => ctl('--academy', 'lyon', 'remind', ...args);
async function remindOk(...args) {
  const r = await remind(...args);
  assert.equal(r.code, 0, `tutoratctl remind ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r;
}

/** The reminders of a kind about an object: [[recipient_id, step]] from reminder_sent, and the notifications. */
async function sent(kind, objectId) {
  const rows = await db(`SELECT recipient_id, step FROM reminder_sent WHERE academy_id = ${lyon} AND kind = ${q(kind)}
    AND object_id = ${n(objectId)} ORDER BY recipient_id, step`);
  return rows.map(([p, s]) => [Number(p), Number(s)]);
}
/** The notifications of a kind whose link is `link`: [{recipient, actor, object_id}] (the item names the enrolment). */
async function notified(kind, link) {
  const rows = await db(`SELECT recipient_id, actor_id, object_kind, object_id FROM notification WHERE academy_id = ${lyon}
    AND kind = ${q(kind)} AND link = ${q(link)} ORDER BY recipient_id, id`);
  return rows.map(([p, actor, objectKind, objectId]) => ({ recipient: Number(p), actor, object: `${objectKind} ${objectId}` }));
}

test('the defaults of every module are seeded per académie, as the seeds say', async () => {
  const admin = await as('lyon', 'admin');
  const res = await get('/api/v1/admin/reminder-rules', { token: admin.token });
  assert.equal(res.status, 200, show(res));
  const byKind = Object.fromEntries(res.body.rules.map((r) => [r.kind, r]));
  assert.deepEqual(Object.fromEntries(Object.entries(byKind).map(([k, r]) => [k, r.default_offsets])), {
    'tutorat.feedback_missing': '3', 'tutorat.trace_missing': '7', 'tutorat.bilan_due': '-7,-1,1', 'tutorat.pole_meeting': '-7',
    // The SOPA reports' (modules/sopa/sopa_remind_db.c): days after the period's end.
    'sopa.report_due': '3,7', 'sopa.report_late': '8',
  });
  for (const r of res.body.rules) assert.ok(r.label.length > 0 && typeof r.active === 'boolean');
  assert.deepEqual([...new Set(res.body.rules.map((r) => r.module))], ['tutorat', 'sopa'], 'module by module');
  for (const code of ['grenoble', 'poitiers']) {
    const rows = await db(`SELECT COUNT(*) FROM reminder_rule WHERE academy_id = ${await academyId(code)}`);
    assert.equal(Number(rows[0][0]), 6, `${code} has its own rules`);
  }
});

test('feedback missing: the trainee, once at day 3, whatever the runs; not before; not the tutors', async () => {
  const day = `${year0}-10-05`;
  const fid = await heldFollowup(day);
  await remindOk('--at', plus(day, 2));
  assert.deepEqual(await sent('tutorat.feedback_missing', fid), [], 'not due at day 2');
  const first = await remindOk('--at', plus(day, 3));
  assert.match(first.stdout, /remind lyon \d{4}-\d\d-\d\d: [1-9]\d* sent/);
  await remindOk('--at', plus(day, 3));
  await remindOk('--at', plus(day, 5)); // the catch-up days of the same step
  assert.deepEqual(await sent('tutorat.feedback_missing', fid), [[trainee.me.id, 3]]);
  const items = await notified('tutorat.feedback_missing', `/app.html#/temps-de-suivi/${fid}`);
  assert.deepEqual(items.map((i) => i.recipient), [trainee.me.id], 'one notification, the trainee\'s');
  assert.equal(items[0].actor, null, 'a reminder has no actor');
  assert.equal(items[0].object, `enrolment ${fx.enrolmentId}`, 'the item names the enrolment (re-checked as the trainee\'s)');
  const audit = await db(`SELECT action, object_type, detail FROM audit_log WHERE academy_id = ${lyon} AND action = 'reminder.send'
    AND object_id = ${n(fid)} AND request_id LIKE 'remind-%'`);
  assert.equal(audit.length, 1, 'one audit row');
  assert.equal(audit[0][1], 'followup');
  assert.deepEqual(JSON.parse(audit[0][2]), { kind: 'tutorat.feedback_missing', step: 3, recipient_id: trainee.me.id });

});

test('trace missing, two processes at once: each current tutor once; the replaced tutor none', async () => {
  const day = `${year0}-11-09`;
  const fid = await heldFollowup(day);
  // The tuteur terrain is replaced before the trace is due.
  const admin = await as('lyon', 'admin');
  const cur = await get(`/api/v1/enrolments/${fx.enrolmentId}`, { token: admin.token });
  const swap = await put(`/api/v1/enrolments/${fx.enrolmentId}/tutors`, { tuteur_terrain_id: newTerrain.me.id }, { token: admin.token, headers: ifMatch(cur.body.version) });
  assert.equal(swap.status, 200, show(swap));

  const runs = await Promise.all([remind('--at', plus(day, 7)), remind('--at', plus(day, 7)), remind('--at', plus(day, 8))]);
  for (const r of runs) assert.equal(r.code, 0, r.stdout + r.stderr);
  const expected = [inspe.me.id, newTerrain.me.id].sort((a, b) => a - b);
  assert.deepEqual(await sent('tutorat.trace_missing', fid), expected.map((id) => [id, 7]));
  assert.deepEqual((await notified('tutorat.trace_missing', `/app.html#/temps-de-suivi/${fid}`)).map((i) => i.recipient), expected,
    'one notification per current tutor, none for the replaced one');
  // The trainee's feedback of that time, missed at day 3, is caught up within the step's days (3 + 6).
  assert.deepEqual(await sent('tutorat.feedback_missing', fid), [[trainee.me.id, 3]]);
  assert.ok(!(await sent('tutorat.trace_missing', fid)).some(([p]) => p === terrain.me.id));
});

test('bilans due: the tutors a week before, the day before, the day after; once each', async () => {
  const admin = await as('lyon', 'admin');
  const due = `${year0 + 1}-06-10`;
  const ev = await post(`/api/v1/years/${fx.year.id}/events`, { kind: 'bilans_due', label: 'Bilans de fin de parcours', starts_on: due, ends_on: due }, { token: admin.token });
  assert.equal(ev.status, 201, show(ev));
  for (const d of [-8, -7, -7, -3, -1, 0, 1, 1, 2]) await remindOk('--at', plus(due, d));
  const tutors = (await db(`SELECT person_id FROM trio_member WHERE academy_id = ${lyon} AND enrolment_id = ${n(fx.enrolmentId)} AND ended_at IS NULL ORDER BY person_id`)).map(([p]) => Number(p));
  assert.equal(tutors.length, 2);
  assert.deepEqual(await sent('tutorat.bilan_due', fx.enrolmentId),
    tutors.flatMap((p) => [[p, -7], [p, -1], [p, 1]]));
  assert.equal((await notified('tutorat.bilan_due', `/app.html#/dossiers/${fx.enrolmentId}/bilans-et-resultat`)).length, 6);
});

test('pôle meeting: the pôle\'s pilot a week before, not another pôle\'s; another académie untouched', async () => {
  const admin = await as('lyon', 'admin');
  const day = `${year0 + 1}-01-20`;
  const ev = await post(`/api/v1/years/${fx.year.id}/events`, { kind: 'pole_meeting_2', label: 'Réunion de pôle n°2', starts_on: day, ends_on: day }, { token: admin.token });
  assert.equal(ev.status, 201, show(ev));
  const grenoble = await academyId('grenoble');
  const before = await dbValue(`SELECT COUNT(*) FROM reminder_sent WHERE academy_id = ${grenoble}`);
  await remindOk('--at', plus(day, -7));
  await ctl('remind', '--at', plus(day, -7)); // every académie: the same once
  const got = await sent('tutorat.pole_meeting', ev.body.id);
  assert.ok(got.some(([p, s]) => p === pilot.id && s === -7), `the pilot of the pôle is reminded: ${JSON.stringify(got)}`);
  assert.ok(!got.some(([p]) => p === otherPilot.id), 'not the pilot of another pôle');
  assert.equal(new Set(got.map(([p]) => p)).size, got.length, 'once each');
  assert.equal(await dbValue(`SELECT COUNT(*) FROM reminder_sent WHERE academy_id = ${grenoble}`), before,
    'a run for Lyon reminds nobody in Grenoble (nothing of Grenoble is due that day)');
});

test('the admin reads and changes the rules; bad offsets and unknown kinds are 422, nothing changed', async () => {
  const admin = await as('lyon', 'admin');
  const bad = [
    [{ kind: 'tutorat.trace_missing', offsets: '7,x' }, 'rules[0].offsets'],
    [{ kind: 'tutorat.trace_missing', offsets: '61' }, 'rules[0].offsets'],
    [{ kind: 'tutorat.trace_missing', offsets: '1,2,3,4,5,6,7' }, 'rules[0].offsets'],
    [{ kind: 'tutorat.trace_missing', offsets: '3,3' }, 'rules[0].offsets'],
    [{ kind: 'tutorat.trace_missing', offsets: '' }, 'rules[0].offsets'],
    [{ kind: 'tutorat.nothing', offsets: '1' }, 'rules[0].kind'],
  ];
  for (const [rule, field] of bad) {
    const res = await put('/api/v1/admin/reminder-rules', { rules: [rule] }, { token: admin.token });
    assertProblem(res, 422, field.endsWith('kind') ? 'invalid_field' : res.body.code, field);
  }
  const twice = await put('/api/v1/admin/reminder-rules', { rules: [{ kind: 'tutorat.trace_missing', offsets: '7' }, { kind: 'tutorat.trace_missing', offsets: '8' }] }, { token: admin.token });
  assertProblem(twice, 422, 'invalid_field', 'rules[1].kind');
  const trainer = await as('lyon', 'tuteur.terrain1');
  assert.equal((await put('/api/v1/admin/reminder-rules', { rules: [{ kind: 'tutorat.trace_missing', offsets: '5' }] }, { token: trainer.token })).status, 403);
  assert.equal(await dbValue(`SELECT offsets FROM reminder_rule WHERE academy_id = ${lyon} AND kind = 'tutorat.trace_missing'`), '7');

  const ok = await put('/api/v1/admin/reminder-rules', { rules: [{ kind: 'tutorat.trace_missing', offsets: '14,7' }] }, { token: admin.token });
  try {
    assert.equal(ok.status, 200, show(ok));
    const rule = ok.body.rules.find((r) => r.kind === 'tutorat.trace_missing');
    assert.deepEqual([rule.offsets, rule.active, rule.default_offsets], ['7,14', true, '7']);
    const audit = await assertAudited(ok, { action: 'reminder_rules.update', actor: admin.me.id, type: 'reminder_rule' });
    assert.equal(audit.object_id, null, 'no single rule: no object id');
  } finally {
    const back = await put('/api/v1/admin/reminder-rules', { rules: [{ kind: 'tutorat.trace_missing', offsets: '7' }] }, { token: admin.token });
    assert.equal(back.status, 200, show(back));
  }
});

test('remind refuses a bad --at and an unknown académie', async () => {
  assert.equal((await remind('--at', '2026-13-01')).code, 2);
  assert.equal((await remind('--at', 'tomorrow')).code, 2);
  const r = await ctl('--academy', 'nowhere', 'remind');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unknown academy/);
});
