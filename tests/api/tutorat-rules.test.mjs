// Module tutorat mixte (issue 8 §3 and §6): dates and rules that hold, and
// M2B as the Grenoble text (seed 001) describes it. Follow-up times within
// the school year and day, an hour apart, never held in the future; only a
// visit counts for a place; a document's name agrees with its bytes; the
// tutor replacement takes If-Match; the dossier's history; M2B's point
// d'étape, visite d'aide et de conseil, bilans, rapport and results.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import {
  get, post, patch, put, show, as, assertProblem, db, dbValue, n, uniq, Cleanup,
} from '../lib/index.mjs';
import {
  ifMatch, freshYear, freshPerson, enrol, sessionAs, trioFixture, assertNotAudited,
} from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
after(() => cleanup.run());

let fx, a;
before(async () => {
  fx = await trioFixture(cleanup);
  a = Number(fx.year.label.slice(0, 4));
});

/** A trainee of the fixture's académie enrolled in `yearId` with two fresh tutors: {trainee, terrain, inspe, id}. */
async function freshTrio(yearId, extra = {}) {
  const admin = fx.admin;
  const t = await freshPerson(admin, cleanup, ['stagiaire'], 't-stag');
  const tt = await freshPerson(admin, cleanup, ['tuteur_terrain'], 't-tt');
  const ti = await freshPerson(admin, cleanup, ['tuteur_inspe'], 't-ti');
  const id = await enrol(admin, cleanup, {
    trainee_id: t.id, year_id: yearId, parcours: 'M2A', degre: 1, category: 'professeur',
    places: [{ school_id: fx.ids.school, class_label: 'CP' }], tuteur_terrain_id: tt.id, tuteur_inspe_id: ti.id, ...extra,
  });
  return {
    id, trainee: await sessionAs('lyon', t.id), terrain: await sessionAs('lyon', tt.id), inspe: await sessionAs('lyon', ti.id),
    people: { trainee: t, terrain: tt, inspe: ti },
  };
}

const stored = (enrolmentId) => db(`SELECT DATE_FORMAT(scheduled_at, '%Y-%m-%dT%H:%i'), state FROM followup
  WHERE enrolment_id = ${n(enrolmentId)} ORDER BY scheduled_at`);

// ---------------------------------------------------------------- §3 dates

test('follow-up dates: within the school year and its school day, an hour from another time of the trainee; 422 naming scheduled_at', async () => {
  const trio = await freshTrio(fx.year.id);
  const url = `/api/v1/enrolments/${trio.id}/followups`;
  const body = { kind: 'visit', with_terrain: true, with_inspe: true };
  const before = await post(url, { ...body, scheduled_at: `${a}-08-31T10:00` }, { token: trio.terrain.token });
  assertProblem(before, 422, 'invalid_field', 'scheduled_at');
  assert.equal(before.body.detail, `La date doit être dans l'année scolaire du stagiaire (du 01/09/${a} au 03/07/${a + 1}).`);
  const after = await post(url, { ...body, scheduled_at: `${a + 1}-07-14T10:00` }, { token: trio.terrain.token });
  assertProblem(after, 422, 'invalid_field', 'scheduled_at');
  const night = await post(url, { ...body, scheduled_at: `${a}-11-16T23:59` }, { token: trio.terrain.token });
  assertProblem(night, 422, 'invalid_field', 'scheduled_at');
  assert.equal(night.body.detail, 'L\'heure doit être dans la journée scolaire (de 08:00 à 18:00).');
  const ok = await post(url, { ...body, scheduled_at: `${a}-11-16T10:00` }, { token: trio.terrain.token });
  assert.equal(ok.status, 201, show(ok));
  const twice = await post(url, { ...body, kind: 'interview', scheduled_at: `${a}-11-16T10:30` }, { token: trio.inspe.token });
  assertProblem(twice, 422, 'invalid_field', 'scheduled_at');
  assert.equal(twice.body.detail, `Un autre temps de suivi du stagiaire est prévu à ce moment (le 16/11/${a} à 10:00).`);
  const later = await post(url, { ...body, kind: 'interview', scheduled_at: `${a}-11-16T11:00` }, { token: trio.inspe.token });
  assert.equal(later.status, 201, show(later));
  // Rescheduling is held to the same rules; moving a time onto itself is no clash.
  const moved = await patch(`/api/v1/followups/${later.body.id}`, { scheduled_at: `${a}-11-16T10:15` }, { token: trio.inspe.token, headers: ifMatch(1) });
  assertProblem(moved, 422, 'invalid_field', 'scheduled_at');
  const outside = await patch(`/api/v1/followups/${later.body.id}`, { scheduled_at: `${a - 1}-11-16T11:00` }, { token: trio.inspe.token, headers: ifMatch(1) });
  assertProblem(outside, 422, 'invalid_field', 'scheduled_at');
  const same = await patch(`/api/v1/followups/${later.body.id}`, { scheduled_at: `${a}-11-16T11:30` }, { token: trio.inspe.token, headers: ifMatch(1) });
  assert.equal(same.status, 200, show(same));
  for (const r of [before, after, night, twice, moved, outside]) await assertNotAudited(r);
  assert.deepEqual(await stored(trio.id), [[`${a}-11-16T10:00`, 'planned'], [`${a}-11-16T11:30`, 'planned']]);
  // A cancelled time frees its slot.
  const cancel = await post(`/api/v1/followups/${ok.body.id}/cancel`, { reason: 'Classe en sortie' }, { token: trio.terrain.token });
  assert.equal(cancel.status, 200, show(cancel));
  const again = await post(url, { ...body, scheduled_at: `${a}-11-16T10:00` }, { token: trio.terrain.token });
  assert.equal(again.status, 201, show(again));
});

test('the school day is the académie\'s, per year: a year from 09:00 to 12:00 refuses a visit at 14:00', async () => {
  const admin = fx.admin;
  let year;
  for (let attempt = 0; !year; attempt++) {
    const y = randomInt(1950, 2019);
    const res = await post('/api/v1/years', { label: `${y}-${y + 1}`, starts_on: `${y}-09-01`, ends_on: `${y + 1}-07-03`, day_starts_at: '09:00', day_ends_at: '12:00' }, { token: admin.token });
    if (res.status === 409 && attempt < 20) continue;
    assert.equal(res.status, 201, show(res));
    cleanup.year(res.body.id);
    cleanup.enrolmentsOfYear(res.body.id);
    year = { id: res.body.id, a: y };
  }
  const listed = (await get('/api/v1/years', { token: admin.token })).body.items.find((y) => y.id === year.id);
  assert.equal(listed.day_starts_at, '09:00');
  assert.equal(listed.day_ends_at, '12:00');
  const backwards = await post('/api/v1/years', { label: '1949-1950', starts_on: '1949-09-01', ends_on: '1950-07-03', day_starts_at: '12:00', day_ends_at: '09:00' }, { token: admin.token });
  assertProblem(backwards, 422, 'invalid_field', 'day_ends_at');
  const badTime = await post('/api/v1/years', { label: '1949-1950', starts_on: '1949-09-01', ends_on: '1950-07-03', day_starts_at: '25:00' }, { token: admin.token });
  assertProblem(badTime, 422, 'invalid_field', 'day_starts_at');
  const trio = await freshTrio(year.id);
  const url = `/api/v1/enrolments/${trio.id}/followups`;
  const afternoon = await post(url, { kind: 'visit', scheduled_at: `${year.a}-10-05T14:00`, with_terrain: true, with_inspe: false }, { token: trio.terrain.token });
  assertProblem(afternoon, 422, 'invalid_field', 'scheduled_at');
  assert.equal(afternoon.body.detail, 'L\'heure doit être dans la journée scolaire (de 09:00 à 12:00).');
  const morning = await post(url, { kind: 'visit', scheduled_at: `${year.a}-10-05T09:30`, with_terrain: true, with_inspe: false }, { token: trio.terrain.token });
  assert.equal(morning.status, 201, show(morning));
});

test('nothing held in the future: a visit still to come is neither marked held nor debriefed (422), its notes are kept', async () => {
  const future = await freshYear(fx.admin, cleanup, 'lyon', { future: true });
  const y = Number(future.label.slice(0, 4));
  const trio = await freshTrio(future.id);
  const f = await post(`/api/v1/enrolments/${trio.id}/followups`, { kind: 'visit', scheduled_at: `${y}-11-16T10:00`, with_terrain: true, with_inspe: true }, { token: trio.terrain.token });
  assert.equal(f.status, 201, show(f));
  const held = await put(`/api/v1/followups/${f.body.id}/observation`, { observation_notes: 'Notes', held: true }, { token: trio.terrain.token, headers: ifMatch(1) });
  assertProblem(held, 422, 'invalid_field', 'held');
  assert.match(held.body.detail, new RegExp(`prévu le 16/11/${y} à 10:00 : il ne peut pas être marqué réalisé`));
  const debrief = await put(`/api/v1/followups/${f.body.id}/debrief`, { analyses: 'Analyse' }, { token: trio.terrain.token, headers: ifMatch(1) });
  assertProblem(debrief, 422, 'invalid_field', 'scheduled_at');
  for (const r of [held, debrief]) await assertNotAudited(r);
  assert.deepEqual(await db(`SELECT state, version, observation_notes, analyses FROM followup WHERE id = ${n(f.body.id)}`), [['planned', '1', null, null]]);
  const draft = await put(`/api/v1/followups/${f.body.id}/observation`, { observation_notes: 'Préparation des notes' }, { token: trio.terrain.token, headers: ifMatch(1) });
  assert.equal(draft.status, 200, show(draft));
  assert.equal(draft.body.state, 'planned');

  // In a past year, the same steps go through.
  const past = await freshTrio(fx.year.id);
  const p = await post(`/api/v1/enrolments/${past.id}/followups`, { kind: 'visit', scheduled_at: `${a}-11-16T10:00`, with_terrain: true, with_inspe: true }, { token: past.terrain.token });
  const pheld = await put(`/api/v1/followups/${p.body.id}/observation`, { observation_notes: 'Notes', held: true }, { token: past.terrain.token, headers: ifMatch(1) });
  assert.equal(pheld.status, 200, show(pheld));
  assert.equal(pheld.body.state, 'held');
});

// ---------------------------------------------------------------- §3 contexts

test('"visits in each context": an entretien at a place does not count for it, a visit does', async () => {
  const trio = await freshTrio(fx.year.id, {
    places: [{ school_id: fx.ids.school, class_label: 'CP' }, { school_id: fx.ids.otherSchool, class_label: 'CE2' }],
  });
  const enrolment = (await get(`/api/v1/enrolments/${trio.id}`, { token: trio.terrain.token })).body;
  const first = enrolment.places.find((p) => p.class_label === 'CP');
  const second = enrolment.places.find((p) => p.class_label === 'CE2');
  const unvisited = async () => (await get(`/api/v1/enrolments/${trio.id}`, { token: trio.terrain.token })).body.checks
    .filter((c) => c.code === 'context_not_visited').map((c) => c.message).sort();
  const url = `/api/v1/enrolments/${trio.id}/followups`;
  const interview = await post(url, { kind: 'interview', scheduled_at: `${a}-10-05T10:00`, place_id: second.id, with_terrain: true, with_inspe: false }, { token: trio.terrain.token });
  assert.equal(interview.status, 201, show(interview));
  assert.equal((await unvisited()).length, 2, 'an entretien at the second place leaves it unvisited');
  const visit = await post(url, { kind: 'visit', scheduled_at: `${a}-10-12T10:00`, place_id: second.id, with_terrain: true, with_inspe: false }, { token: trio.terrain.token });
  assert.equal(visit.status, 201, show(visit));
  const left = await unvisited();
  assert.equal(left.length, 1, JSON.stringify(left));
  assert.equal(left[0], `Lieu d'exercice jamais visité : ${first.school.name} (CP).`);
});

// ---------------------------------------------------------------- §3 history

test('the dossier\'s history: who did what and when, newest first, paged, never the content; the trio and the managers read it, nobody else', async () => {
  const trio = await freshTrio(fx.year.id);
  const secret = `Observation confidentielle ${uniq('x')}`;
  const f = await post(`/api/v1/enrolments/${trio.id}/followups`, { kind: 'visit', scheduled_at: `${a}-11-09T10:00`, with_terrain: true, with_inspe: true }, { token: trio.terrain.token });
  assert.equal(f.status, 201, show(f));
  const obs = await put(`/api/v1/followups/${f.body.id}/observation`, { observation_notes: secret, held: true }, { token: trio.inspe.token, headers: ifMatch(1) });
  assert.equal(obs.status, 200, show(obs));
  const fb = await put(`/api/v1/followups/${f.body.id}/feedback`, { retained: secret, axes: 'Axe', submit: true }, { token: trio.trainee.token });
  assert.equal(fb.status, 200, show(fb));
  // Another dossier's writes stay out of this one's history.
  const other = await freshTrio(fx.year.id);
  assert.equal((await post(`/api/v1/enrolments/${other.id}/followups`, { kind: 'visit', scheduled_at: `${a}-11-09T10:00`, with_terrain: true, with_inspe: false }, { token: other.terrain.token })).status, 201);

  const path = `/api/v1/enrolments/${trio.id}/history`;
  const expected = [
    ['trace.feedback_submit', trio.people.trainee.id, 'followup'],
    ['followup.observe', trio.people.inspe.id, 'followup'],
    ['followup.create', trio.people.terrain.id, 'followup'],
    ['enrolment.create', fx.admin.me.id, 'enrolment'],
  ];
  const bureau = await as('lyon', 'bureau1');
  for (const who of [trio.trainee, trio.terrain, trio.inspe, fx.admin, bureau]) {
    const res = await get(path, { token: who.token });
    assert.equal(res.status, 200, show(res));
    assert.equal(res.body.total, 4, show(res));
    assert.deepEqual(res.body.items.map((it) => [it.action, it.actor.id, it.object_type]), expected);
    for (const it of res.body.items) {
      assert.deepEqual(Object.keys(it).sort(), ['action', 'actor', 'at', 'id', 'object_id', 'object_type']);
      assert.match(it.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    assert.ok(!res.text.includes(secret), 'never the content');
  }
  const adminName = (await get(`/api/v1/people/${fx.admin.me.id}`, { token: fx.admin.token })).body.display_name;
  assert.equal((await get(path, { token: fx.admin.token })).body.items[3].actor.display_name, adminName);
  const page2 = await get(path, { token: trio.terrain.token, query: { limit: 2, offset: 2 } });
  assert.equal(page2.status, 200, show(page2));
  assert.equal(page2.body.total, 4);
  assert.deepEqual(page2.body.items.map((it) => it.action), ['followup.create', 'enrolment.create']);
  const bad = await get(path, { token: trio.terrain.token, query: { limit: 0 } });
  assertProblem(bad, 422, 'invalid_field', 'limit');

  const unknown = `/api/v1/enrolments/9007199254740991/history`;
  for (const [name, s] of [['the IEN', await as('lyon', 'ien1')], ['the direction INSPÉ', await as('lyon', 'direction1')], ['another tutor', other.terrain], ['grenoble admin', await as('grenoble', 'admin')]]) {
    const res = await get(path, { token: s.token });
    const none = await get(unknown, { token: s.token });
    if (res.status === 403) continue; // refused by role before any object
    assert.equal(res.status, 404, `${name}: ${show(res)}`);
    assert.equal(res.text, none.text, `${name}: byte-identical to an unknown id`);
  }
});

// ---------------------------------------------------------------- §6 M2B

test('M2B is a 2nd degré parcours: an M2B enrolment in the 1er degré is refused (422 naming parcours), on creation and on change', async () => {
  const admin = fx.admin;
  const t = await freshPerson(admin, cleanup, ['stagiaire'], 't-m2b');
  const res = await post('/api/v1/enrolments', { trainee_id: t.id, year_id: fx.year.id, parcours: 'M2B', degre: 1, category: 'professeur' }, { token: admin.token });
  assertProblem(res, 422, 'invalid_field', 'parcours');
  assert.equal(res.body.detail, 'Le parcours M2B est un parcours du second degré : il ne s\'ouvre pas en premier degré.');
  await assertNotAudited(res);
  assert.equal(await dbValue(`SELECT COUNT(*) FROM enrolment WHERE trainee_id = ${n(t.id)}`), '0');
  const m2a = await freshTrio(fx.year.id);
  const toM2B = await patch(`/api/v1/enrolments/${m2a.id}`, { parcours: 'M2B' }, { token: admin.token, headers: ifMatch(1) });
  assertProblem(toM2B, 422, 'invalid_field', 'parcours');
  const m2b = await freshTrio(fx.year.id, { parcours: 'M2B', degre: 2, pole_id: undefined });
  const to1 = await patch(`/api/v1/enrolments/${m2b.id}`, { degre: 1 }, { token: admin.token, headers: ifMatch(1) });
  assertProblem(to1, 422, 'invalid_field', 'parcours');
  assert.deepEqual(await db(`SELECT parcours, degre, version FROM enrolment WHERE id IN (${n(m2a.id)}, ${n(m2b.id)}) ORDER BY parcours`), [['M2A', '1', '1'], ['M2B', '2', '1']]);
  // The disagreement path of the 1er degré stays closed to M2B.
});

test('M2B checks: the point d\'étape is the tuteur INSPÉ\'s, in the first term, M2B\'s alone; one visite d\'aide et de conseil, by the académie\'s date; no bilan intermédiaire', async () => {
  const admin = fx.admin;
  const m2b = await freshTrio(fx.year.id, { parcours: 'M2B', degre: 2 });
  const m2a = await freshTrio(fx.year.id);
  const codes = async (id, who) => (await get(`/api/v1/enrolments/${id}`, { token: who.token })).body.checks;
  const plan = async (trio, body) => {
    const res = await post(`/api/v1/enrolments/${trio.id}/followups`, { with_terrain: false, with_inspe: true, ...body }, { token: trio.inspe.token });
    assert.equal(res.status, 201, show(res));
    return res.body.id;
  };
  // The calendar: pôle meeting N°2 and the visite d'aide et de conseil's date, both past in this past year.
  for (const [kind, label, day] of [['pole_meeting_2', 'Réunion de pôle N°2', `${a + 1}-01-08`], ['visite_conseil_due', 'Visite d\'aide et de conseil', `${a + 1}-02-15`]]) {
    const ev = await post(`/api/v1/years/${fx.year.id}/events`, { kind, label, starts_on: day, ends_on: day }, { token: admin.token });
    assert.equal(ev.status, 201, show(ev));
  }
  const m2bChecks = (await codes(m2b.id, m2b.inspe)).map((c) => c.code);
  assert.ok(m2bChecks.includes('visite_conseil_missing'), JSON.stringify(m2bChecks));
  assert.ok(!m2bChecks.includes('bilan_not_validated'), `no bilan intermédiaire for M2B: ${JSON.stringify(m2bChecks)}`);
  for (const c of ['visits_under_4', 'no_joint_visit', 'no_visit_before_meeting_1']) assert.ok(!m2bChecks.includes(c), c);
  const m2aChecks = await codes(m2a.id, m2a.inspe);
  assert.ok(m2aChecks.some((c) => c.code === 'bilan_not_validated' && c.message === `Bilan intermédiaire non validé (attendu pour le 08/01/${a + 1}).`), JSON.stringify(m2aChecks));
  assert.equal((await codes(m2b.id, m2b.inspe)).find((c) => c.code === 'visite_conseil_missing').message,
    `Visite d'aide et de conseil non réalisée (attendue pour le 15/02/${a + 1}).`);

  // Point d'étape by the tuteur académique alone; another in May; one on an M2A enrolment.
  await plan(m2b, { kind: 'point_etape', scheduled_at: `${a}-10-06T10:00`, with_terrain: true, with_inspe: false });
  await plan(m2b, { kind: 'point_etape', scheduled_at: `${a + 1}-05-11T10:00` });
  await plan(m2a, { kind: 'point_etape', scheduled_at: `${a}-10-06T10:00` });
  const after = await codes(m2b.id, m2b.inspe);
  assert.deepEqual(after.filter((c) => c.code.startsWith('point_etape')).map((c) => [c.code, c.message]), [
    ['point_etape_without_inspe', `Point d'étape du 06/10/${a} sans le tuteur INSPÉ : il est mené par le tuteur INSPÉ.`],
    ['point_etape_late', `Point d'étape du 11/05/${a + 1} hors du premier trimestre (jusqu'au 31/12/${a}).`],
  ]);
  assert.deepEqual((await codes(m2a.id, m2a.inspe)).filter((c) => c.code.startsWith('point_etape')).map((c) => [c.code, c.message]), [
    ['point_etape_not_m2b', `Point d'étape du 06/10/${a} : il concerne les étudiants M2B, ce stagiaire est en M2A.`],
  ]);

  // One visite d'aide et de conseil held: nothing missing; a second one planned: warned.
  const v = await plan(m2b, { kind: 'visite_conseil', scheduled_at: `${a}-11-23T10:00` });
  const held = await put(`/api/v1/followups/${v}/observation`, { observation_notes: 'Notes', held: true }, { token: m2b.inspe.token, headers: ifMatch(1) });
  assert.equal(held.status, 200, show(held));
  let now = (await codes(m2b.id, m2b.inspe)).map((c) => c.code);
  assert.ok(!now.includes('visite_conseil_missing') && !now.includes('visite_conseil_twice'), JSON.stringify(now));
  await plan(m2b, { kind: 'visite_conseil', scheduled_at: `${a + 1}-03-08T10:00` });
  now = await codes(m2b.id, m2b.inspe);
  assert.deepEqual(now.filter((c) => c.code === 'visite_conseil_twice').map((c) => c.message), ['2 visites d\'aide et de conseil prévues : une seule est attendue.']);
  // The list shows the same checks as the enrolment.
  const listed = await get('/api/v1/enrolments', { token: m2b.inspe.token, query: { year_id: fx.year.id } });
  assert.deepEqual(listed.body.items.find((it) => it.id === m2b.id).checks, now);

  // Which bilans a parcours requires is the académie's data: one that asks
  // for a bilan intermédiaire in M2B sees it flagged.
  assert.equal(await dbValue(`SELECT COUNT(*) FROM parcours_bilan WHERE academy_id = ${fx.ids.lyon} AND parcours = 'M2B' AND kind = 'intermediaire'`), '0');
  await db(`INSERT INTO parcours_bilan (academy_id, parcours, kind) VALUES (${fx.ids.lyon}, 'M2B', 'intermediaire')`);
  try {
    const asked = await codes(m2b.id, m2b.inspe);
    assert.ok(asked.some((c) => c.code === 'bilan_not_validated' && c.message.startsWith('Bilan intermédiaire non validé')), JSON.stringify(asked));
  } finally {
    await db(`DELETE FROM parcours_bilan WHERE academy_id = ${fx.ids.lyon} AND parcours = 'M2B' AND kind = 'intermediaire'`);
  }
});

/** Freezes a final bilan of the trio and records the tuteur Inspé's avis (or note). */
async function recordResult(trio, result) {
  const en = (await get(`/api/v1/enrolments/${trio.id}`, { token: trio.inspe.token })).body;
  const ref = (await get(`/api/v1/referentiels/${en.referentiel_id}`, { token: trio.inspe.token })).body;
  const b = await post(`/api/v1/enrolments/${trio.id}/bilans`, { kind: 'final' }, { token: trio.inspe.token });
  assert.equal(b.status, 201, show(b));
  const items = ref.competences.filter((c) => c.family === 'common').map((c) => ({ competence_id: c.id, level: 3 }));
  const w = await put(`/api/v1/bilans/${b.body.id}`, { items }, { token: trio.inspe.token, headers: ifMatch(1) });
  assert.equal(w.status, 200, show(w));
  const v1 = await post(`/api/v1/bilans/${b.body.id}/validate`, undefined, { token: trio.terrain.token, headers: ifMatch(w.body.version) });
  const v2 = await post(`/api/v1/bilans/${b.body.id}/validate`, undefined, { token: trio.inspe.token, headers: ifMatch(v1.body.version) });
  assert.equal(v2.body.frozen, true, show(v2));
  const r = await put(`/api/v1/enrolments/${trio.id}/result`, result, { token: trio.inspe.token });
  assert.equal(r.status, 200, show(r));
}

test('M2B rapport: a replacement tuteur académique sees the draft and continues it (If-Match on its version); the history keeps both authors', async () => {
  const admin = fx.admin;
  const trio = await freshTrio(fx.year.id, { parcours: 'M2B', degre: 2 });
  const draft = await put(`/api/v1/enrolments/${trio.id}/report`, { body: 'Premier jet du rapport.' }, { token: trio.terrain.token });
  assert.equal(draft.status, 204, show(draft));
  const timeline = async (who) => (await get(`/api/v1/enrolments/${trio.id}/timeline`, { token: who.token })).body;
  assert.equal((await timeline(trio.trainee)).report, null, 'a draft is not the trainee\'s to read');
  const successor = await freshPerson(admin, cleanup, ['tuteur_terrain'], 't-tt');
  const version = (await get(`/api/v1/enrolments/${trio.id}`, { token: admin.token })).body.version;
  const replaced = await put(`/api/v1/enrolments/${trio.id}/tutors`, { tuteur_terrain_id: successor.id }, { token: admin.token, headers: ifMatch(version) });
  assert.equal(replaced.status, 200, show(replaced));
  const next = await sessionAs('lyon', successor.id);
  const seen = (await timeline(next)).report;
  assert.ok(seen, 'the replacement sees the draft');
  assert.equal(seen.body, 'Premier jet du rapport.');
  assert.equal(seen.submitted, false);
  assert.equal(seen.author.id, trio.people.terrain.id);
  const again = await put(`/api/v1/enrolments/${trio.id}/report`, { body: 'Rapport repris et complété.' }, { token: next.token, headers: ifMatch(seen.version) });
  assert.equal(again.status, 204, show(again));
  assert.deepEqual(await db(`SELECT body, author_id, submitted_at IS NULL FROM tutor_report WHERE enrolment_id = ${n(trio.id)}`),
    [['Rapport repris et complété.', String(successor.id), '1']]);
  const former = await get(`/api/v1/enrolments/${trio.id}/timeline`, { token: trio.terrain.token });
  assert.equal(former.status, 404, 'the former tutor keeps no access');
  const history = (await get(`/api/v1/enrolments/${trio.id}/history`, { token: next.token })).body.items;
  assert.deepEqual(history.filter((it) => it.action.startsWith('report.')).map((it) => [it.action, it.actor.id]),
    [['report.save', successor.id], ['report.save', trio.people.terrain.id]]);
});

test('the results reach the INSPÉ\'s validating roles: avis, note and submitted rapport, never the traces; a list per year and parcours, exported as CSV for the jury', async () => {
  const m2b = await freshTrio(fx.year.id, { parcours: 'M2B', degre: 2 });
  const m2a = await freshTrio(fx.year.id);
  const f = await post(`/api/v1/enrolments/${m2b.id}/followups`, { kind: 'visite_conseil', scheduled_at: `${a}-11-23T10:00`, with_terrain: false, with_inspe: true }, { token: m2b.inspe.token });
  assert.equal(f.status, 201, show(f));
  await recordResult(m2b, { avis: 'favorable', comment: 'Engagement constant.' });
  await recordResult(m2a, { note: '14.5' });
  const sub = await put(`/api/v1/enrolments/${m2b.id}/report`, { body: 'Rapport final ; « très bon »', submit: true }, { token: m2b.terrain.token });
  assert.equal(sub.status, 204, show(sub));

  const bureau = await as('lyon', 'bureau1');
  const direction = await as('lyon', 'direction1');
  const ien = await as('lyon', 'ien1');
  for (const [name, s] of [['the bureau des stages', bureau], ['the direction INSPÉ', direction], ['the admin', fx.admin]]) {
    const r = await get(`/api/v1/enrolments/${m2b.id}/result`, { token: s.token });
    assert.equal(r.status, 200, `${name}: ${show(r)}`);
    assert.equal(r.body.result.avis, 'favorable');
    assert.equal(r.body.result.comment, 'Engagement constant.');
    assert.equal(r.body.report.body, 'Rapport final ; « très bon »');
    assert.equal(r.body.report.submitted, true);
    // Never the traces: the follow-up times and the timeline stay the trio's.
    for (const path of [`/api/v1/followups/${f.body.id}`, `/api/v1/enrolments/${m2b.id}/timeline`]) {
      const res = await get(path, { token: s.token });
      const none = await get(path.replace(/\/\d+(?=\/|$)/, '/9007199254740991'), { token: s.token });
      assert.equal(res.status, 404, `${name}: ${path}`);
      assert.equal(res.text, none.text);
    }
  }
  assert.equal((await get(`/api/v1/enrolments/${m2b.id}`, { token: direction.token })).body.relation, 'validator');
  // The IEN is a pilot of this trainee: it reads the result a disagreement
  // would be about (issue 8 §4), not the list for the jury.
  const ienResult = await get(`/api/v1/enrolments/${m2b.id}/result`, { token: ien.token });
  assert.equal(ienResult.status, 200, show(ienResult));
  const ienList = await get('/api/v1/results', { token: ien.token, query: { year_id: fx.year.id } });
  assert.equal(ienList.status, 403, show(ienList));

  const list = await get('/api/v1/results', { token: direction.token, query: { year_id: fx.year.id, parcours: 'M2B' } });
  assert.equal(list.status, 200, show(list));
  assert.ok(list.body.items.every((it) => it.parcours === 'M2B'));
  const row = list.body.items.find((it) => it.enrolment_id === m2b.id);
  assert.deepEqual({ ...row, recorded_at: undefined }, {
    enrolment_id: m2b.id, parcours: 'M2B', degre: 2,
    trainee: { id: m2b.people.trainee.id, display_name: m2b.people.trainee.display_name, username: m2b.people.trainee.username },
    discipline: null, site: null, note: null, avis: 'favorable', recorded_at: undefined, report_submitted: true,
  });
  const all = await get('/api/v1/results', { token: bureau.token, query: { year_id: fx.year.id, limit: 200 } });
  assert.equal(all.body.items.find((it) => it.enrolment_id === m2a.id).note, 14.5);
  for (const s of [ien, m2b.inspe, m2b.trainee]) assertProblem(await get('/api/v1/results', { token: s.token, query: { year_id: fx.year.id } }), 403, 'forbidden');
  assertProblem(await get('/api/v1/results', { token: bureau.token, query: { parcours: 'M3' } }), 422, 'invalid_field', 'parcours');

  const csv = await get('/api/v1/results/export', { token: direction.token, query: { year_id: fx.year.id, parcours: 'M2B' } });
  assert.equal(csv.status, 200, show(csv));
  assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
  assert.match(csv.headers['content-disposition'], /^attachment; filename="resultats-M2B\.csv"$/);
  assert.deepEqual([...csv.raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const lines = csv.raw.subarray(3).toString('utf8').split('\r\n');
  assert.equal(lines[0], 'Parcours;Degré;Stagiaire;Identifiant;Discipline;Site INSPÉ;Note /20;Avis;Résultat enregistré le;Rapport transmis');
  const mine = lines.find((l) => l.includes(m2b.people.trainee.username));
  assert.match(mine, new RegExp(`^M2B;2nd degré;${m2b.people.trainee.display_name};${m2b.people.trainee.username};;;;Favorable;\\d\\d/\\d\\d/\\d{4};oui$`));
  const m2aCsv = (await get('/api/v1/results/export', { token: bureau.token, query: { year_id: fx.year.id, parcours: 'M2A' } })).raw.toString('utf8');
  assert.ok(m2aCsv.split('\r\n').some((l) => l.startsWith(`M2A;1er degré;${m2a.people.trainee.display_name};`) && l.includes(';14,50;')), m2aCsv);
  assertProblem(await get('/api/v1/results/export', { token: ien.token }), 403, 'forbidden');
});
