// Fixtures of the meetings module's tests (docs/meetings.md): one object
// of each kind on a trioFixture (tests/lib/tutorat.mjs), and the removal
// of the module's rows of a school year, which must run before the
// enrolments and the year are removed (foreign keys).

import assert from 'node:assert/strict';
import { post, show } from './http.mjs';
import { as } from './auth.mjs';
import { db, n } from './db.mjs';

/**
 * A pôle meeting N°1 of the fixture's year and pôle (planned by
 * pilote.pole1, Lyon: tuteur.inspe1, référent Inspé of the pôle, takes
 * part), a draft fiche de personnalisation of stagiaire1 (by the tuteur
 * Inspé) and a workshop of the bureau des stages:
 * {pole_meeting, personalisation, workshop} ids.
 */
export async function meetingObjects(fx) {
  const a = Number(fx.year.label.slice(0, 4));
  const ok = (res) => { assert.equal(res.status, 201, show(res)); return res.body.id; };
  const pilot = await as('lyon', 'pilote.pole1');
  const bureau = await as('lyon', 'bureau1');
  return {
    pole_meeting: ok(await post('/api/v1/pole-meetings', { year_id: fx.year.id, number: 1, pole_id: fx.ids.pole, held_on: `${a}-10-15` }, { token: pilot.token })),
    personalisation: ok(await post('/api/v1/personalisations', { trainee_id: fx.trainee.me.id, year_id: fx.year.id, decided_on: `${a}-10-15`, items: [{ difficulty: 3, situation: 'Classe agitée', support: 'Observation croisée', hours: 4 }] }, { token: fx.inspe.token })),
    workshop: ok(await post('/api/v1/workshops', { year_id: fx.year.id, title: 'Atelier de remédiation' }, { token: bureau.token })),
  };
}

/** Removes the module's rows of a school year (best effort, like Cleanup). */
export async function removeMeetingsOfYear(yearId) {
  const y = n(yearId);
  const e = `SELECT id FROM enrolment WHERE year_id = ${y}`;
  const m = `SELECT id FROM pole_meeting WHERE year_id = ${y}`;
  const w = `SELECT id FROM workshop WHERE year_id = ${y}`;
  const p = `SELECT id FROM personalisation WHERE enrolment_id IN (${e})`;
  await db([
    `DELETE FROM workshop_attendance WHERE session_id IN (SELECT id FROM workshop_session WHERE workshop_id IN (${w}))`,
    `DELETE FROM workshop_session WHERE workshop_id IN (${w})`,
    `DELETE FROM workshop_trainee WHERE workshop_id IN (${w})`,
    `DELETE FROM workshop WHERE year_id = ${y}`,
    `DELETE FROM personalisation_item WHERE personalisation_id IN (${p})`,
    `DELETE FROM personalisation WHERE enrolment_id IN (${e})`,
    `DELETE FROM support_budget WHERE year_id = ${y}`,
    `DELETE FROM review_request WHERE enrolment_id IN (${e})`,
    `DELETE FROM pole_meeting_decision WHERE meeting_id IN (${m})`,
    `DELETE FROM pole_meeting_review WHERE meeting_id IN (${m})`,
    `DELETE FROM pole_meeting_participant WHERE meeting_id IN (${m})`,
    `DELETE FROM pole_meeting WHERE year_id = ${y}`,
  ].join(';\n')).catch((err) => process.stderr.write(`cleanup of meetings rows failed (harmless): ${err.message}\n`));
}
