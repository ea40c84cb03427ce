// Issue 8 §4: every role's home says what is expected of them now, with
// dates (GET /api/v1/agenda). Against the demo year of Lyon (current): the
// late bilan intermédiaire of Julien Bernard (due 26 November 2026), his
// disagreement of 2025-2026 for the IEN of the pôle Centre, the calendar's
// pôle meetings; and an enrolment made here without a tuteur Inspé.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { get, show, as, db, dbValue, n, Cleanup } from '../lib/index.mjs';
import { freshPerson, enrol } from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
after(() => cleanup.run());

const agenda = async (who) => {
  const res = await get('/api/v1/agenda', { token: who.token });
  assert.equal(res.status, 200, show(res));
  return res.body.items;
};
const today = () => new Date().toISOString().slice(0, 10);

test('a tutor: bilans due at their dates (late ones said), upcoming follow-up times to prepare', async () => {
  const items = await agenda(await as('lyon', 'tuteur.terrain1'));
  const late = items.find((i) => i.kind === 'bilan_due' && i.bilan_kind === 'intermediaire' && i.trainee.display_name === 'Julien Bernard');
  assert.ok(late, `the late bilan of Julien Bernard is listed: ${JSON.stringify(items)}`);
  assert.equal(late.date, '2026-11-26');
  assert.equal(late.late, today() > '2026-11-26');
  assert.equal(late.enrolment_id, 200201);
  // The final bilans are due at « Bilans de fin de parcours » of the calendar.
  const finals = items.filter((i) => i.kind === 'bilan_due' && i.bilan_kind === 'final');
  const [[due]] = await db(`SELECT DATE_FORMAT(starts_on, '%Y-%m-%d') FROM year_event WHERE kind = 'bilans_due'
    AND year_id = (SELECT id FROM school_year WHERE current AND academy_id = (SELECT id FROM academy WHERE code = 'lyon'))`);
  assert.ok(finals.length >= 2 && finals.every((i) => i.date === due), `final bilans due on ${due}: ${JSON.stringify(finals)}`);
  for (const i of items.filter((x) => x.kind === 'followup_to_prepare')) {
    assert.ok(i.date >= today(), `only upcoming times: ${i.date}`);
    assert.ok(i.followup_id && i.followup_kind);
  }
  // Nothing of the managers' or the inspectors' parts.
  assert.ok(!items.some((i) => ['tutor_missing', 'disagreement', 'pole_meeting'].includes(i.kind)));
});

test('the IEN: the disagreement of their pôle with its bilan, and the next pôle meeting', async () => {
  const items = await agenda(await as('lyon', 'ien1'));
  const d = items.find((i) => i.kind === 'disagreement' && i.enrolment_id === 200501);
  assert.ok(d, `ien1 (IEN of the pôle Centre) gets Julien Bernard's disagreement: ${JSON.stringify(items)}`);
  assert.equal(d.trainee.display_name, 'Julien Bernard');
  assert.equal(d.final_bilan_id, 200561);
  const meeting = items.find((i) => i.kind === 'pole_meeting');
  const [[next]] = await db(`SELECT DATE_FORMAT(MIN(starts_on), '%Y-%m-%d') FROM year_event WHERE kind LIKE 'pole_meeting%'
    AND starts_on >= UTC_DATE() AND year_id = (SELECT id FROM school_year WHERE current AND academy_id = (SELECT id FROM academy WHERE code = 'lyon'))`);
  if (next === null || next === 'NULL') {
    assert.equal(meeting, undefined);
  } else {
    assert.equal(meeting?.date, next);
    assert.match(meeting.label, /Réunion de pôle/);
  }
});

test('the bureau des stages: late bilans and the enrolments missing a tutor; a trainee: their own part only', async () => {
  const admin = await as('lyon', 'admin');
  const bureau = await as('lyon', 'bureau1');
  const year = (await get('/api/v1/years', { token: admin.token })).body.items.find((y) => y.current);
  const trainee = await freshPerson(admin, cleanup, ['stagiaire'], 't-stag');
  const terrain = await freshPerson(admin, cleanup, ['tuteur_terrain'], 't-tt');
  const lyon = Number(await dbValue("SELECT id FROM academy WHERE code = 'lyon'"));
  const school = Number(await dbValue(`SELECT id FROM structure WHERE academy_id = ${lyon} AND code = '0011001A'`));
  const id = await enrol(admin, cleanup, {
    trainee_id: trainee.id, year_id: year.id, parcours: 'M2A', degre: 1, category: 'professeur',
    places: [{ school_id: school, class_label: 'CP' }], tuteur_terrain_id: terrain.id,
  });

  const items = await agenda(bureau);
  const missing = items.filter((i) => i.kind === 'tutor_missing' && i.enrolment_id === id);
  assert.deepEqual(missing.map((i) => [i.role, i.trainee.id]), [['tuteur_inspe', trainee.id]], 'the tuteur Inspé is missing, the tuteur terrain is not');
  const [[created]] = await db(`SELECT DATE_FORMAT(created_at, '%Y-%m-%d') FROM enrolment WHERE id = ${n(id)}`);
  assert.equal(missing[0].date, created);
  const late = items.find((i) => i.kind === 'bilan_due' && i.enrolment_id === 200201);
  if (today() > '2026-11-26') assert.equal(late?.late, true, `the late bilan is chased: ${JSON.stringify(items)}`);

  const own = await agenda(await as('lyon', 'stagiaire1'));
  assert.ok(own.every((i) => ['followup_to_prepare', 'feedback_to_write'].includes(i.kind)), JSON.stringify(own));
  assert.ok(own.every((i) => i.trainee.display_name === 'Camille Martin'), 'their own dossier only');
  assert.deepEqual(await agenda(await as('grenoble', 'ien1')).then((x) => x.filter((i) => i.enrolment_id === 200501)), [], 'nothing of Lyon in Grenoble');
});
