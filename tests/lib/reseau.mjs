// Fixtures of the réseau de tuteurs' tests (docs/reseau.md): tutors of
// Lyon with sessions, a fresh school year with a call of the Rhône, the
// demo communes, one object of each kind, and the removal of the module's
// rows of a year, which must run before the people and the year are
// removed (foreign keys).

import assert from 'node:assert/strict';
import { post, put, show } from './http.mjs';
import { as } from './auth.mjs';
import { db, n } from './db.mjs';
import { freshYear, freshPerson, sessionAs, ifMatch } from './tutorat.mjs';

/** The demo départements of Lyon and the demo communes (sql/demo/050_reseau.sql). */
export const AIN = 100008;
export const LOIRE = 100009;
export const RHONE = 100010;
export const ISERE = 100066; // Grenoble
export const COMMUNES = {
  lyon: 5000016, villeurbanne: 5000017, villefranche: 5000018, venissieux: 5000019, bron: 5000020,
  oullins: 5000021, tarare: 5000022, givors: 5000023, saintPriest: 5000024,
  bourg: 5000001, saintEtienne: 5000009, grenoble: 5000026,
};
export const LYON_SCHOOL = 100049; // École élémentaire Gerland, Lyon 7e

/** A tutor of Lyon (tuteur_terrain unless `role`) with a session: {id, s}. */
export async function reseauPerson(cleanup, prefix, role = 'tuteur_terrain', academy = 'lyon') {
  const admin = await as(academy, 'admin');
  const p = await freshPerson(admin, cleanup, role ? [role] : [], prefix);
  const s = await sessionAs(academy, p.id);
  return { id: p.id, display_name: p.display_name, s };
}

/** A fresh past year of Lyon (meetings between November of `a` and April
 * of a + 1): {id, label, a}. */
export async function reseauYear(cleanup, academy = 'lyon') {
  const admin = await as(academy, 'admin');
  const year = await freshYear(admin, cleanup, academy);
  return { ...year, a: Number(year.label.slice(0, 4)) };
}

/** A call of the Rhône in `year`, opened by bureau1. */
export async function reseauCall(year, departement_id = RHONE) {
  const bureau = await as('lyon', 'bureau1');
  const res = await post('/api/v1/reseau/calls', {
    year_id: year.id, departement_id, title: `Appel ${year.label}`, opens_on: `${year.a}-09-10`, closes_on: `${year.a}-10-15`,
  }, { token: bureau.token });
  assert.equal(res.status, 201, show(res));
  return res.body;
}

/** The tutor volunteers for the call: the volunteer. */
export async function volunteer(call, tutor, { degree = '1d', seniority = 'neo', commune = COMMUNES.lyon, wants_pilot = false, qualifications = [] } = {}) {
  const res = await post(`/api/v1/reseau/calls/${call.id}/volunteers`, {
    degree, seniority, commune_id: commune, wants_pilot, qualifications,
  }, { token: tutor.s.token });
  assert.equal(res.status, 201, show(res));
  return res.body;
}

/** Composes and validates a collective: the collective (validated). */
export async function composed(call, name, vols, pilot) {
  const bureau = await as('lyon', 'bureau1');
  const c = await post(`/api/v1/reseau/calls/${call.id}/collectives`, {
    name, volunteer_ids: vols.map((v) => v.id), pilot_volunteer_id: pilot.id,
  }, { token: bureau.token });
  assert.equal(c.status, 201, show(c));
  const v = await post(`/api/v1/reseau/collectives/${c.body.id}/validate`, {}, { token: bureau.token });
  assert.equal(v.status, 200, show(v));
  return v.body;
}

export async function accept(collective, person) {
  const res = await post(`/api/v1/reseau/collectives/${collective.id}/charter`, {}, { token: person.s.token });
  assert.equal(res.status, 200, show(res));
  return res.body;
}

/** A meeting on the `day` of November (2 hours at 17:00). */
export async function meeting(year, collective, pilot, day = 10, month = 11) {
  const y = month >= 9 ? year.a : year.a + 1;
  const mm = String(month).padStart(2, '0');
  const dd = String(day).padStart(2, '0');
  const res = await post(`/api/v1/reseau/collectives/${collective.id}/meetings`, {
    starts_at: `${y}-${mm}-${dd}T17:00`, ends_at: `${y}-${mm}-${dd}T19:00`, place: 'École Gerland, Lyon 7e',
  }, { token: pilot.s.token });
  assert.equal(res.status, 201, show(res));
  return res.body;
}

/**
 * One object of each kind for the access matrix, in a fresh past year of
 * Lyon: a call of the Rhône, a validated collective (pilot and a member
 * who accepted the charter, a member who did not), a meeting, its
 * synthesis published (the library's item), a poll. {ids: {call,
 * collective, meeting, synthesis, poll}, pilot, member, unsigned, outsider
 * (a tutor of another collective), year}.
 */
export async function reseauObjects(cleanup) {
  const year = await reseauYear(cleanup);
  const call = await reseauCall(year);
  const pilot = await reseauPerson(cleanup, 't-res-pil');
  const member = await reseauPerson(cleanup, 't-res-mem', 'tuteur_inspe');
  const unsigned = await reseauPerson(cleanup, 't-res-uns');
  const outsider = await reseauPerson(cleanup, 't-res-out');
  const other = await reseauPerson(cleanup, 't-res-oth');
  const vp = await volunteer(call, pilot, { seniority: 'experienced', wants_pilot: true, qualifications: [{ code: 'CAFIPEMF' }] });
  const vm = await volunteer(call, member, { degree: '2d', commune: COMMUNES.villeurbanne });
  const vu = await volunteer(call, unsigned, { degree: '2d', commune: COMMUNES.bron });
  const vo = await volunteer(call, outsider, { seniority: 'experienced', commune: COMMUNES.oullins });
  const vx = await volunteer(call, other, { degree: '2d', commune: COMMUNES.venissieux });
  const collective = await composed(call, 'Collectif matrice', [vp, vm, vu], vp);
  const otherCollective = await composed(call, 'Collectif voisin', [vo, vx], vo);
  await accept(collective, pilot);
  await accept(collective, member);
  await accept(otherCollective, outsider);
  const m = await meeting(year, collective, pilot, 12);
  const s = await put(`/api/v1/reseau/meetings/${m.id}/synthesis`, { problem: 'Notre problématique', answers: 'Nos réponses' }, { token: pilot.s.token, headers: ifMatch(1) });
  assert.equal(s.status, 200, show(s));
  const pub = await post(`/api/v1/reseau/meetings/${m.id}/synthesis/publish`, {}, { token: pilot.s.token });
  assert.equal(pub.status, 200, show(pub));
  const poll = await post(`/api/v1/reseau/collectives/${collective.id}/polls`, {
    options: [{ starts_at: `${year.a}-12-03T17:00`, ends_at: `${year.a}-12-03T19:00`, place: 'INSPÉ de Lyon' }],
  }, { token: pilot.s.token });
  assert.equal(poll.status, 201, show(poll));
  return {
    ids: { call: call.id, collective: collective.id, meeting: m.id, synthesis: m.id, poll: poll.body.id },
    pilot, member, unsigned, outsider, year,
  };
}

/** Removes the module's rows of the calls of a year (before its people). */
export async function removeReseauOfYear(yearId) {
  const calls = `SELECT id FROM reseau_call WHERE year_id = ${n(yearId)}`;
  const colls = `SELECT id FROM reseau_collective WHERE call_id IN (${calls})`;
  const meetings = `SELECT id FROM reseau_meeting WHERE collective_id IN (${colls})`;
  const polls = `SELECT id FROM reseau_poll WHERE collective_id IN (${colls})`;
  try {
    await db([
      `DELETE FROM reseau_poll_answer WHERE option_id IN (SELECT id FROM reseau_poll_option WHERE poll_id IN (${polls}))`,
      `DELETE FROM reseau_poll_option WHERE poll_id IN (${polls})`,
      `DELETE FROM reseau_poll WHERE collective_id IN (${colls})`,
      `DELETE FROM reseau_attendance WHERE meeting_id IN (${meetings})`,
      `DELETE FROM reseau_canvas WHERE meeting_id IN (${meetings})`,
      `DELETE FROM reseau_synthesis WHERE meeting_id IN (${meetings})`,
      `DELETE FROM reseau_meeting WHERE collective_id IN (${colls})`,
      `DELETE FROM reseau_member WHERE collective_id IN (${colls})`,
      `DELETE FROM reseau_collective WHERE call_id IN (${calls})`,
      `DELETE FROM reseau_volunteer WHERE call_id IN (${calls})`,
      `DELETE FROM reseau_call WHERE year_id = ${n(yearId)}`,
    ].join(';\n'));
  } catch (err) {
    process.stderr.write(`removal of the réseau rows failed (harmless): ${err.message}\n`);
  }
}
