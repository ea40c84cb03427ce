// The réseau de tuteurs (issue 12, docs/reseau.md): a departmental call,
// tutors who volunteer (every bad input named, nothing written, once per
// call), two collectives composed with their mix figures and suggestions,
// validated (members told), the charter (404 on the meetings before it), a
// year of meetings with attendance (no remote meeting, November to April,
// 2 hours, a sixth one warned), a date poll confirmed, the canvas and the
// synthesis edited by two (412), published once into the library;
// privacy of the canvas and of unpublished syntheses against every other
// role and académie; the experiment's figures and their CSV.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, post, put, patch, request, show, as, db, dbValue, n, assertProblem, Cleanup, pollUntil, tutoratdLog,
} from '../lib/index.mjs';
import { NO_ID, ifMatch, assertAudited, assertNotAudited } from '../lib/tutorat.mjs';
import {
  RHONE, AIN, COMMUNES, LYON_SCHOOL, reseauPerson, reseauYear, reseauCall, volunteer, accept,
  meeting, removeReseauOfYear,
} from '../lib/reseau.mjs';

const cleanup = new Cleanup();
const years = [];
let bureau; let direction; let admin; let cmf; let ien; let grenobleBureau;
let year; let call;
const t = {}; // tutors: pilot, pilot2, neo1..neo4, exp1, late
const v = {}; // their volunteers
let c1; let c2; // the two collectives
const meetings = [];
const ok = (res, status = 200) => { assert.equal(res.status, status, show(res)); return res.body; };
/** A 422 naming the field (invalid or missing). */
const bad = (res, field) => {
  assert.equal(res.status, 422, show(res));
  assert.ok(['invalid_field', 'missing_field'].includes(res.body.code), show(res));
  assert.equal(res.body.field, field, show(res));
};
const count = (table, where) => dbValue(`SELECT COUNT(*) FROM ${table} WHERE ${where}`);

before(async () => {
  bureau = await as('lyon', 'bureau1');
  direction = await as('lyon', 'direction1');
  admin = await as('lyon', 'admin');
  cmf = await as('lyon', 'cmf1'); // chargé de mission formation of the Ain
  ien = await as('lyon', 'ien1');
  grenobleBureau = await as('grenoble', 'bureau1');
  year = await reseauYear(cleanup);
  years.push(year.id);
  for (const [k, role] of [['pilot', 'tuteur_terrain'], ['pilot2', 'tuteur_inspe'], ['neo1', 'tuteur_terrain'], ['neo2', 'tuteur_inspe'],
    ['neo3', 'tuteur_terrain'], ['neo4', 'tuteur_terrain'], ['exp1', 'tuteur_inspe'], ['spare', 'tuteur_terrain'], ['late', 'tuteur_terrain']]) {
    t[k] = await reseauPerson(cleanup, `t-res-${k}`, role);
  }
});

after(async () => {
  for (const y of years) await removeReseauOfYear(y);
  await cleanup.run();
});

test('the communes of a département, searched by name: INSEE code and coordinates', async () => {
  const res = ok(await get(`/api/v1/reseau/communes?departement_id=${RHONE}&q=villeur`, { token: t.pilot.s.token }));
  assert.equal(res.total, 1);
  assert.equal(res.items[0].name, 'Villeurbanne');
  assert.equal(res.items[0].insee, '69266');
  assert.ok(Math.abs(res.items[0].latitude - 45.77) < 0.05);
  // Grenoble's communes are not Lyon's.
  const g = ok(await get('/api/v1/reseau/communes?q=Grenoble', { token: t.pilot.s.token }));
  assert.equal(g.total, 0);
});

test('the bureau opens a call per département and year; bad input named, nothing written; the chargé de mission for their département only', async () => {
  const before = await count('reseau_call', `year_id = ${n(year.id)}`);
  const base = { year_id: year.id, departement_id: RHONE, title: 'Appel du Rhône', opens_on: `${year.a}-09-10`, closes_on: `${year.a}-10-15` };
  for (const [body, field] of [
    [{ ...base, year_id: NO_ID }, 'year_id'],
    [{ ...base, departement_id: COMMUNES.lyon }, 'departement_id'],
    [{ ...base, closes_on: `${year.a}-09-01` }, 'closes_on'],
    [{ ...base, title: '' }, 'title'],
    [{ ...base, opens_on: '10/09/2026' }, 'opens_on'],
  ]) {
    const res = await post('/api/v1/reseau/calls', body, { token: bureau.token });
    bad(res, field);
    await assertNotAudited(res);
  }
  assertProblem(await post('/api/v1/reseau/calls', { ...base, departement_id: RHONE }, { token: cmf.token }), 403, 'forbidden');
  assert.equal(await count('reseau_call', `year_id = ${n(year.id)}`), before);
  const res = await post('/api/v1/reseau/calls', base, { token: bureau.token });
  call = ok(res, 201);
  await assertAudited(res, { action: 'reseau.call_create', actor: bureau.me.id, type: 'reseau_call', id: call.id });
  assert.equal(call.state, 'open');
  assert.equal(call.departement, 'Rhône');
  // The chargé de mission of the Ain opens the Ain's.
  const ain = ok(await post('/api/v1/reseau/calls', { ...base, departement_id: AIN, title: 'Appel de l’Ain' }, { token: cmf.token }), 201);
  // ... and sees the Ain's calls, not the Rhône's.
  const mine = ok(await get(`/api/v1/reseau/calls?year_id=${year.id}`, { token: cmf.token }));
  assert.deepEqual(mine.items.map((c) => c.id), [ain.id]);
  assertProblem(await get(`/api/v1/reseau/calls/${call.id}/volunteers`, { token: cmf.token }), 404, 'not_found'); // not theirs to see
  // Tutors see open calls; another académie sees nothing.
  const tut = ok(await get(`/api/v1/reseau/calls?year_id=${year.id}`, { token: t.pilot.s.token }));
  assert.ok(tut.items.some((c) => c.id === call.id && c.volunteered === false));
  assert.equal(tut.items[0].volunteers, undefined, 'no counts for tutors');
  assertProblem(await get(`/api/v1/reseau/calls/${call.id}`, { token: grenobleBureau.token }), 404, 'not_found');
});

test('tutors volunteer: every bad input named and nothing written; once per call', async () => {
  const base = { degree: '1d', seniority: 'neo', commune_id: COMMUNES.lyon, wants_pilot: false, qualifications: [] };
  for (const [body, field] of [
    [{ ...base, degree: '3d' }, 'degree'],
    [{ ...base, seniority: 'old' }, 'seniority'],
    [{ ...base, commune_id: NO_ID }, 'commune_id'],
    [{ ...base, commune_id: COMMUNES.bourg }, 'commune_id'], // not in the Rhône
    [{ ...base, commune_id: COMMUNES.grenoble }, 'commune_id'], // another académie's
    [{ ...base, school_id: COMMUNES.lyon }, 'school_id'],
    [{ ...base, qualifications: [{ code: 'BAFA' }] }, 'qualifications[0].code'],
    [{ ...base, qualifications: [{ code: 'PFA' }, { code: 'PFA' }] }, 'qualifications[1].code'],
    [{ ...base, wants_pilot: 'yes' }, 'wants_pilot'],
  ]) {
    const res = await post(`/api/v1/reseau/calls/${call.id}/volunteers`, body, { token: t.pilot.s.token });
    bad(res, field);
    await assertNotAudited(res);
  }
  assert.equal(await count('reseau_volunteer', `call_id = ${n(call.id)}`), '0');
  // Organisers do not volunteer.
  assertProblem(await post(`/api/v1/reseau/calls/${call.id}/volunteers`, base, { token: bureau.token }), 403, 'forbidden');
  const res = await post(`/api/v1/reseau/calls/${call.id}/volunteers`, {
    ...base, seniority: 'experienced', wants_pilot: true, school_id: LYON_SCHOOL, qualifications: [{ code: 'CAFIPEMF' }, { code: 'master_formateur' }],
  }, { token: t.pilot.s.token });
  v.pilot = ok(res, 201);
  await assertAudited(res, { action: 'reseau.volunteer', actor: t.pilot.id, type: 'reseau_volunteer', id: v.pilot.id });
  assert.deepEqual(v.pilot.qualifications.map((q) => q.code), ['CAFIPEMF', 'master_formateur']);
  assert.equal(v.pilot.commune.name, 'Lyon');
  assertProblem(await post(`/api/v1/reseau/calls/${call.id}/volunteers`, base, { token: t.pilot.s.token }), 409, 'already_volunteered');
  v.pilot2 = await volunteer(call, t.pilot2, { degree: '2d', seniority: 'experienced', commune: COMMUNES.villefranche, wants_pilot: true });
  v.neo1 = await volunteer(call, t.neo1, { degree: '2d', commune: COMMUNES.villeurbanne });
  v.neo2 = await volunteer(call, t.neo2, { degree: '1d', commune: COMMUNES.bron });
  v.neo3 = await volunteer(call, t.neo3, { degree: '1d', commune: COMMUNES.tarare });
  v.neo4 = await volunteer(call, t.neo4, { degree: '2d', commune: COMMUNES.givors });
  v.exp1 = await volunteer(call, t.exp1, { degree: '2d', seniority: 'experienced', commune: COMMUNES.venissieux });
  v.spare = await volunteer(call, t.spare, { degree: '1d', commune: COMMUNES.villefranche });
  const mine = ok(await get('/api/v1/reseau/my-volunteering', { token: t.neo1.s.token }));
  assert.deepEqual(mine.items.map((x) => x.call.id), [call.id]);
  const list = ok(await get(`/api/v1/reseau/calls/${call.id}/volunteers`, { token: bureau.token }));
  assert.equal(list.total, 8);
  assertProblem(await get(`/api/v1/reseau/calls/${call.id}/volunteers`, { token: t.pilot.s.token }), 403, 'forbidden');
  // A closed call takes no more volunteers.
  ok(await patch(`/api/v1/reseau/calls/${call.id}`, { state: 'closed' }, { token: bureau.token }));
  assertProblem(await post(`/api/v1/reseau/calls/${call.id}/volunteers`, base, { token: t.late.s.token }), 409, 'call_closed');
  ok(await patch(`/api/v1/reseau/calls/${call.id}`, { state: 'open' }, { token: bureau.token }));
});

test('the mix of a proposed collective: degrees, seniority, the largest distance, the score, its reasons and the swaps that raise it', async () => {
  // A poor one: all 1er degré, far apart (Lyon–Tarare ~ 35 km, Villefranche).
  const poor = ok(await post(`/api/v1/reseau/calls/${call.id}/mix`, {
    volunteer_ids: [v.pilot.id, v.neo3.id, v.spare.id], pilot_volunteer_id: v.pilot.id,
  }, { token: bureau.token }));
  assert.deepEqual(poor.degrees, { '1d': 3, '2d': 0 });
  assert.deepEqual(poor.seniority, { neo: 2, experienced: 1 });
  assert.ok(poor.max_distance_km > 25 && poor.max_distance_km < 45, `distance ${poor.max_distance_km}`);
  assert.equal(poor.pilot_qualified, true);
  assert.ok(poor.score < 70, `score ${poor.score}`);
  assert.notEqual(poor.level, 'good');
  assert.ok(poor.reasons.some((r) => r.includes('2nd degré')), poor.reasons.join(' | '));
  assert.ok(poor.suggestions.length > 0);
  const best = poor.suggestions[0];
  assert.ok(best.score_after > poor.score);
  assert.notEqual(best.swap_out, v.pilot.id, 'the pilot stays');
  // The suggestion applied gives the announced score.
  const after = ok(await post(`/api/v1/reseau/calls/${call.id}/mix`, {
    volunteer_ids: [v.pilot.id, v.neo3.id, v.spare.id].map((id) => (id === best.swap_out ? best.swap_in : id)), pilot_volunteer_id: v.pilot.id,
  }, { token: bureau.token }));
  assert.equal(after.score, best.score_after);
  // A good one: both degrees, néo and experienced, close.
  const good = ok(await post(`/api/v1/reseau/calls/${call.id}/mix`, {
    volunteer_ids: [v.pilot.id, v.neo1.id, v.neo2.id, v.exp1.id], pilot_volunteer_id: v.pilot.id,
  }, { token: bureau.token }));
  assert.deepEqual(good.degrees, { '1d': 2, '2d': 2 });
  assert.deepEqual(good.seniority, { neo: 2, experienced: 2 });
  assert.ok(good.max_distance_km < 15);
  assert.equal(good.score, 100);
  assert.equal(good.level, 'good');
  // Bad input: the pilot must be an experienced member; ids of the call.
  bad(await post(`/api/v1/reseau/calls/${call.id}/mix`, { volunteer_ids: [v.pilot.id, v.neo1.id], pilot_volunteer_id: v.neo1.id }, { token: bureau.token }), 'pilot_volunteer_id');
  bad(await post(`/api/v1/reseau/calls/${call.id}/mix`, { volunteer_ids: [v.pilot.id, v.neo1.id], pilot_volunteer_id: v.exp1.id }, { token: bureau.token }), 'pilot_volunteer_id');
  bad(await post(`/api/v1/reseau/calls/${call.id}/mix`, { volunteer_ids: [v.pilot.id, NO_ID], pilot_volunteer_id: v.pilot.id }, { token: bureau.token }), 'volunteer_ids[1]');
  bad(await post(`/api/v1/reseau/calls/${call.id}/mix`, { volunteer_ids: [v.pilot.id, 'x'], pilot_volunteer_id: v.pilot.id }, { token: bureau.token }), 'volunteer_ids[1]');
});

test('two collectives composed with their mix, validated: members and pilot notified; a volunteer in one collective of the call at most', async () => {
  const res = await post(`/api/v1/reseau/calls/${call.id}/collectives`, {
    name: 'Collectif Lyon Est', volunteer_ids: [v.pilot.id, v.neo1.id, v.neo2.id, v.exp1.id], pilot_volunteer_id: v.pilot.id,
  }, { token: bureau.token });
  c1 = ok(res, 201);
  await assertAudited(res, { action: 'reseau.collective_create', actor: bureau.me.id, type: 'reseau_collective', id: c1.id });
  assert.equal(c1.state, 'draft');
  assert.equal(c1.mix.score, 100);
  assert.equal(c1.members.length, 4);
  assert.equal(c1.members.find((m) => m.pilot).person_id, t.pilot.id);
  // Nobody in two collectives of the call: nothing written.
  const dup = await post(`/api/v1/reseau/calls/${call.id}/collectives`, {
    name: 'Doublon', volunteer_ids: [v.pilot2.id, v.neo1.id], pilot_volunteer_id: v.pilot2.id,
  }, { token: bureau.token });
  bad(dup, 'volunteer_ids[1]');
  await assertNotAudited(dup);
  bad(await post(`/api/v1/reseau/calls/${call.id}/collectives`, {
    name: 'Sans pilote expérimenté', volunteer_ids: [v.neo3.id, v.neo4.id], pilot_volunteer_id: v.neo3.id,
  }, { token: bureau.token }), 'pilot_volunteer_id');
  assert.equal(await count('reseau_collective', `call_id = ${n(call.id)}`), '1');
  c2 = ok(await post(`/api/v1/reseau/calls/${call.id}/collectives`, {
    name: 'Collectif Beaujolais', volunteer_ids: [v.pilot2.id, v.neo3.id, v.neo4.id], pilot_volunteer_id: v.pilot2.id,
  }, { token: bureau.token }), 201);
  assert.deepEqual(c2.mix.degrees, { '1d': 1, '2d': 2 });
  assert.equal(c2.mix.pilot_qualified, false);
  assert.ok(c2.mix.score < c1.mix.score);
  // A draft is the organisers' own.
  assertProblem(await get(`/api/v1/reseau/collectives/${c1.id}`, { token: t.neo1.s.token }), 404, 'not_found');
  // Tutors cannot validate; the bureau does, once.
  const val = await post(`/api/v1/reseau/collectives/${c1.id}/validate`, {}, { token: bureau.token });
  ok(val);
  await assertAudited(val, { action: 'reseau.collective_validate', actor: bureau.me.id, type: 'reseau_collective', id: c1.id });
  assertProblem(await post(`/api/v1/reseau/collectives/${c1.id}/validate`, {}, { token: bureau.token }), 409, 'already_validated');
  ok(await post(`/api/v1/reseau/collectives/${c2.id}/validate`, {}, { token: direction.token }));
  const notes = await db(`SELECT recipient_id, kind FROM notification WHERE kind = 'reseau.collective_validated' AND object_id = ${n(c1.id)}`);
  assert.deepEqual(notes.map(([r]) => Number(r)).sort(), [t.pilot.id, t.neo1.id, t.neo2.id, t.exp1.id].sort());
  // The member's list shows their collective; the organisers' shows both, names and counts.
  const mine = ok(await get('/api/v1/reseau/collectives', { token: t.neo1.s.token }));
  assert.deepEqual(mine.items.map((x) => x.id), [c1.id]);
  const all = ok(await get(`/api/v1/reseau/collectives?call_id=${call.id}`, { token: bureau.token }));
  assert.deepEqual(all.items.map((x) => x.name).sort(), ['Collectif Beaujolais', 'Collectif Lyon Est']);
  assert.equal(all.items.find((x) => x.id === c1.id).members, 4);
});

test('the charter: until a member accepts it, every meeting route of the collective is 404 to them; accepted once, dated', async () => {
  const detail = ok(await get(`/api/v1/reseau/collectives/${c1.id}`, { token: t.neo1.s.token }));
  assert.equal(detail.charter_accepted, false);
  assert.equal(detail.meetings, null);
  // The pilot too must accept before fixing a meeting.
  assertProblem(await post(`/api/v1/reseau/collectives/${c1.id}/meetings`, { starts_at: `${year.a}-11-10T17:00`, ends_at: `${year.a}-11-10T19:00`, place: 'École' }, { token: t.pilot.s.token }), 404, 'not_found');
  const res = await post(`/api/v1/reseau/collectives/${c1.id}/charter`, {}, { token: t.pilot.s.token });
  const acc = ok(res);
  await assertAudited(res, { action: 'reseau.charter_accept', actor: t.pilot.id, type: 'reseau_collective', id: c1.id });
  assert.match(acc.charter_accepted_at, /^\d{4}-\d\d-\d\dT/);
  const again = ok(await post(`/api/v1/reseau/collectives/${c1.id}/charter`, {}, { token: t.pilot.s.token }));
  assert.equal(again.charter_accepted_at, acc.charter_accepted_at, 'the first date is kept');
  await accept(c1, t.neo2);
  await accept(c1, t.exp1);
  await accept(c2, t.pilot2);
  const m = await meeting(year, c1, t.pilot, 10);
  meetings.push(m);
  for (const path of [`/api/v1/reseau/meetings/${m.id}`, `/api/v1/reseau/meetings/${m.id}/canvas`, `/api/v1/reseau/meetings/${m.id}/synthesis`]) {
    assertProblem(await get(path, { token: t.neo1.s.token }), 404, 'not_found');
    ok(await get(path, { token: t.neo2.s.token }));
  }
  const charterPerMember = ok(await get(`/api/v1/reseau/collectives/${c1.id}`, { token: bureau.token })).members;
  assert.equal(charterPerMember.find((x) => x.person_id === t.neo1.id).charter_accepted_at, null);
  assert.ok(charterPerMember.find((x) => x.person_id === t.neo2.id).charter_accepted_at);
  await accept(c1, t.neo1);
  ok(await get(`/api/v1/reseau/meetings/${m.id}`, { token: t.neo1.s.token }));
});

test('meetings: in person, between November and April, exactly 2 hours (refused otherwise, named); a sixth one warned; members notified', async () => {
  const a = year.a;
  const base = { starts_at: `${a}-11-24T17:00`, ends_at: `${a}-11-24T19:00`, place: 'Collège Jean Macé, Villeurbanne' };
  const before = await count('reseau_meeting', `collective_id = ${n(c1.id)}`);
  for (const [body, field] of [
    [{ ...base, place: '' }, 'place'],
    [{ ...base, place: '   ' }, 'place'],
    [{ ...base, place: 'Visioconférence' }, 'place'],
    [{ starts_at: base.starts_at, ends_at: base.ends_at }, 'place'],
    [{ ...base, starts_at: `${a}-10-20T17:00`, ends_at: `${a}-10-20T19:00` }, 'starts_at'],
    [{ ...base, starts_at: `${a + 1}-05-04T17:00`, ends_at: `${a + 1}-05-04T19:00` }, 'starts_at'],
    [{ ...base, ends_at: `${a}-11-24T18:30` }, 'ends_at'],
    [{ ...base, ends_at: `${a}-11-24T19:30` }, 'ends_at'],
    [{ ...base, ends_at: `${a}-11-24T15:00` }, 'ends_at'],
    [{ ...base, starts_at: '24/11 17h' }, 'starts_at'],
  ]) {
    const res = await post(`/api/v1/reseau/collectives/${c1.id}/meetings`, body, { token: t.pilot.s.token });
    bad(res, field);
    await assertNotAudited(res);
  }
  assert.equal(await count('reseau_meeting', `collective_id = ${n(c1.id)}`), before);
  // Members other than the pilot do not fix meetings; organisers neither.
  assertProblem(await post(`/api/v1/reseau/collectives/${c1.id}/meetings`, base, { token: t.neo1.s.token }), 403, 'forbidden');
  assertProblem(await post(`/api/v1/reseau/collectives/${c1.id}/meetings`, base, { token: bureau.token }), 403, 'forbidden');
  const res = await post(`/api/v1/reseau/collectives/${c1.id}/meetings`, base, { token: t.pilot.s.token });
  const m2 = ok(res, 201);
  await assertAudited(res, { action: 'reseau.meeting_create', actor: t.pilot.id, type: 'reseau_meeting', id: m2.id });
  assert.deepEqual(m2.warnings, []);
  assert.equal(m2.number, 2);
  assert.equal(m2.place, base.place);
  meetings.push(m2);
  const notes = await db(`SELECT recipient_id FROM notification WHERE kind = 'reseau.meeting_planned' AND object_id = ${n(c1.id)}`);
  assert.ok(notes.length >= 3 * 2, `notices: ${notes.length}`);
  // January, March, April: five meetings; a sixth is accepted with a warning.
  meetings.push(await meeting(year, c1, t.pilot, 12, 1));
  meetings.push(await meeting(year, c1, t.pilot, 9, 3));
  meetings.push(await meeting(year, c1, t.pilot, 6, 4));
  const sixth = ok(await post(`/api/v1/reseau/collectives/${c1.id}/meetings`, {
    starts_at: `${a + 1}-04-27T17:00`, ends_at: `${a + 1}-04-27T19:00`, place: 'INSPÉ de Lyon',
  }, { token: t.pilot.s.token }), 201);
  assert.deepEqual(sixth.warnings, ['sixth_meeting']);
  const detail = ok(await get(`/api/v1/reseau/collectives/${c1.id}`, { token: t.neo2.s.token }));
  assert.equal(detail.meetings.length, 6);
  assert.deepEqual(detail.meetings.map((x) => x.number), [1, 2, 3, 4, 5, 6]);
});

test('attendance recorded by the pilot: members only, the meeting held', async () => {
  const [m1, m2] = meetings;
  bad(await put(`/api/v1/reseau/meetings/${m1.id}/attendance`, { present: [t.pilot.id, t.late.id] }, { token: t.pilot.s.token }), 'present');
  bad(await put(`/api/v1/reseau/meetings/${m1.id}/attendance`, { present: [t.pilot.id, t.pilot.id] }, { token: t.pilot.s.token }), 'present[1]');
  assertProblem(await put(`/api/v1/reseau/meetings/${m1.id}/attendance`, { present: [t.pilot.id] }, { token: t.neo1.s.token }), 403, 'forbidden');
  const res = await put(`/api/v1/reseau/meetings/${m1.id}/attendance`, { present: [t.pilot.id, t.neo1.id, t.neo2.id] }, { token: t.pilot.s.token });
  const got = ok(res);
  await assertAudited(res, { action: 'reseau.attendance', actor: t.pilot.id, type: 'reseau_meeting', id: m1.id });
  assert.equal(got.state, 'held');
  assert.deepEqual(got.members.filter((x) => x.present).map((x) => x.person_id).sort(), [t.pilot.id, t.neo1.id, t.neo2.id].sort());
  ok(await put(`/api/v1/reseau/meetings/${m2.id}/attendance`, { present: [t.pilot.id, t.neo1.id, t.neo2.id, t.exp1.id] }, { token: t.pilot.s.token }));
});

test('a date poll: the pilot proposes, members answer, the pilot confirms a date: the meeting, members told', async () => {
  const a = year.a;
  bad(await post(`/api/v1/reseau/collectives/${c2.id}/polls`, {
    options: [{ starts_at: `${a}-12-01T17:00`, ends_at: `${a}-12-01T19:00`, place: 'En ligne' }],
  }, { token: t.pilot2.s.token }), 'options[0].place');
  const poll = ok(await post(`/api/v1/reseau/collectives/${c2.id}/polls`, {
    options: [
      { starts_at: `${a}-12-01T17:00`, ends_at: `${a}-12-01T19:00`, place: 'École de Tarare' },
      { starts_at: `${a}-12-08T17:00`, ends_at: `${a}-12-08T19:00`, place: 'Collège de Villefranche' },
    ],
  }, { token: t.pilot2.s.token }), 201);
  assert.equal(poll.options.length, 2);
  await accept(c2, t.neo3);
  // neo4 has not accepted the charter: the poll does not exist for them.
  assertProblem(await put(`/api/v1/reseau/polls/${poll.id}/answers`, { answers: [{ option_id: poll.options[0].id, available: true }] }, { token: t.neo4.s.token }), 404, 'not_found');
  bad(await put(`/api/v1/reseau/polls/${poll.id}/answers`, { answers: [{ option_id: NO_ID, available: true }] }, { token: t.neo3.s.token }), 'answers[0].option_id');
  const ans = ok(await put(`/api/v1/reseau/polls/${poll.id}/answers`, {
    answers: [{ option_id: poll.options[0].id, available: false }, { option_id: poll.options[1].id, available: true }],
  }, { token: t.neo3.s.token }));
  assert.deepEqual(ans.options.map((o) => o.my_answer), [false, true]);
  assert.deepEqual(ans.options.map((o) => o.available), [0, 1]);
  assertProblem(await post(`/api/v1/reseau/polls/${poll.id}/confirm`, { option_id: poll.options[1].id }, { token: t.neo3.s.token }), 403, 'forbidden');
  const res = await post(`/api/v1/reseau/polls/${poll.id}/confirm`, { option_id: poll.options[1].id }, { token: t.pilot2.s.token });
  const m = ok(res, 201);
  assert.equal(m.starts_at, `${a}-12-08T17:00`);
  assert.equal(m.place, 'Collège de Villefranche');
  assertProblem(await post(`/api/v1/reseau/polls/${poll.id}/confirm`, { option_id: poll.options[0].id }, { token: t.pilot2.s.token }), 409, 'poll_confirmed');
  const notes = await db(`SELECT recipient_id FROM notification WHERE kind = 'reseau.meeting_planned' AND object_id = ${n(c2.id)}`);
  assert.ok(notes.map(([r]) => Number(r)).includes(t.neo3.id));
});

test('the canvas: members read, the pilot writes with If-Match (412 on a stale version), text limits named', async () => {
  const [m1] = meetings;
  const cv = await get(`/api/v1/reseau/meetings/${m1.id}/canvas`, { token: t.pilot.s.token });
  ok(cv);
  assert.equal(cv.headers.etag, '"1"');
  const body = {
    presenter_id: t.neo1.id, fallback_case_url: 'http://neo.ens-lyon.fr/neo', problem: 'Une classe difficile en fin de journée',
    questions: 'Quel créneau ?', resonance: 'Vécu par trois d’entre nous', others_solutions: 'Changer de rituel', discussion: 'Débat', generalisation: 'Le pilotage',
  };
  assertProblem(await put(`/api/v1/reseau/meetings/${m1.id}/canvas`, body, { token: t.neo1.s.token, headers: ifMatch(1) }), 403, 'forbidden');
  bad(await put(`/api/v1/reseau/meetings/${m1.id}/canvas`, { ...body, problem: 'x'.repeat(8001) }, { token: t.pilot.s.token, headers: ifMatch(1) }), 'problem');
  bad(await put(`/api/v1/reseau/meetings/${m1.id}/canvas`, { ...body, presenter_id: t.late.id }, { token: t.pilot.s.token, headers: ifMatch(1) }), 'presenter_id');
  bad(await put(`/api/v1/reseau/meetings/${m1.id}/canvas`, { ...body, fallback_case_url: 'javascript:alert(1)' }, { token: t.pilot.s.token, headers: ifMatch(1) }), 'fallback_case_url');
  const res = await put(`/api/v1/reseau/meetings/${m1.id}/canvas`, body, { token: t.pilot.s.token, headers: ifMatch(1) });
  const saved = ok(res);
  await assertAudited(res, { action: 'reseau.canvas_update', actor: t.pilot.id, type: 'reseau_meeting', id: m1.id });
  assert.equal(saved.version, 2);
  assert.equal(saved.problem, body.problem);
  // The audit row keeps no text of the canvas.
  const [[detail]] = await db(`SELECT detail FROM audit_log WHERE request_id = '${res.requestId}'`);
  assert.ok(!String(detail).includes('classe difficile'), detail);
  // A second writer on the old version: 412, nothing lost.
  assertProblem(await put(`/api/v1/reseau/meetings/${m1.id}/canvas`, { problem: 'écrasé' }, { token: t.pilot.s.token, headers: ifMatch(1) }), 412, 'version_mismatch');
  const read = ok(await get(`/api/v1/reseau/meetings/${m1.id}/canvas`, { token: t.exp1.s.token }));
  assert.equal(read.problem, body.problem);
  assert.equal(read.presenter_id, t.neo1.id);
  // A field absent keeps its value; null clears it.
  const next = ok(await put(`/api/v1/reseau/meetings/${m1.id}/canvas`, { presenter_solution: 'Sa piste', resonance: null }, { token: t.pilot.s.token, headers: ifMatch(2) }));
  assert.equal(next.problem, body.problem);
  assert.equal(next.resonance, null);
  assert.equal(next.presenter_solution, 'Sa piste');
  // The next meeting starts with the debrief of the action paths.
  ok(await put(`/api/v1/reseau/meetings/${meetings[1].id}/canvas`, { debrief: 'Le rituel tient depuis trois semaines.' }, { token: t.pilot.s.token, headers: ifMatch(1) }));
});

test('the synthesis: the pilot writes (If-Match, 412), publishes once (frozen, 409), members told; the library lists it without names', async () => {
  const [m1, m2] = meetings;
  bad(await post(`/api/v1/reseau/meetings/${m1.id}/synthesis/publish`, {}, { token: t.pilot.s.token }), 'problem');
  const s = ok(await put(`/api/v1/reseau/meetings/${m1.id}/synthesis`, { problem: 'Comment tenir une classe en fin de journée ?', answers: 'Des rituels ; des rôles ; anticiper.' }, { token: t.pilot.s.token, headers: ifMatch(1) }));
  assert.equal(s.version, 2);
  assert.equal(s.state, 'draft');
  assertProblem(await put(`/api/v1/reseau/meetings/${m1.id}/synthesis`, { answers: 'autre' }, { token: t.pilot.s.token, headers: ifMatch(1) }), 412, 'version_mismatch');
  assertProblem(await put(`/api/v1/reseau/meetings/${m1.id}/synthesis`, { answers: 'autre' }, { token: t.exp1.s.token, headers: ifMatch(2) }), 403, 'forbidden');
  // Unpublished: not in the library.
  const lib0 = ok(await get('/api/v1/reseau/library?q=fin%20de%20journ', { token: t.spare.s.token }));
  assert.equal(lib0.total, 0);
  const res = await post(`/api/v1/reseau/meetings/${m1.id}/synthesis/publish`, {}, { token: t.pilot.s.token });
  const pub = ok(res);
  await assertAudited(res, { action: 'reseau.synthesis_publish', actor: t.pilot.id, type: 'reseau_meeting', id: m1.id });
  assert.equal(pub.state, 'published');
  assert.ok(pub.published_at);
  assertProblem(await post(`/api/v1/reseau/meetings/${m1.id}/synthesis/publish`, {}, { token: t.pilot.s.token }), 409, 'already_published');
  assertProblem(await put(`/api/v1/reseau/meetings/${m1.id}/synthesis`, { answers: 'après coup' }, { token: t.pilot.s.token, headers: ifMatch(3) }), 409, 'already_published');
  const notes = await db(`SELECT recipient_id FROM notification WHERE kind = 'reseau.synthesis_published' AND object_id = ${n(c1.id)}`);
  assert.deepEqual(notes.map(([r]) => Number(r)).sort(), [t.neo1.id, t.neo2.id, t.exp1.id].sort());
  // Every tutor and organiser of the académie finds it; never member names.
  for (const who of [t.spare.s, t.pilot2.s, bureau, direction]) {
    const lib = ok(await get('/api/v1/reseau/library?q=fin%20de%20journ', { token: who.token }));
    assert.equal(lib.total, 1);
    assert.equal(lib.items[0].id, m1.id);
    assert.equal(lib.items[0].collective, 'Collectif Lyon Est');
    assert.equal(lib.items[0].departement, 'Rhône');
    const text = JSON.stringify(lib);
    for (const p of [t.pilot, t.neo1]) assert.ok(!text.includes(p.display_name), 'no member name');
  }
  const item = ok(await get(`/api/v1/reseau/library/${m1.id}`, { token: t.spare.s.token }));
  assert.equal(item.answers, 'Des rituels ; des rôles ; anticiper.');
  assertProblem(await get(`/api/v1/reseau/library/${m2.id}`, { token: t.spare.s.token }), 404, 'not_found');
  assertProblem(await get(`/api/v1/reseau/library/${m1.id}`, { token: grenobleBureau.token }), 404, 'not_found');
  const g = ok(await get('/api/v1/reseau/library', { token: grenobleBureau.token }));
  assert.ok(!g.items.some((x) => x.id === m1.id));
  // A draft synthesis of another meeting stays in.
  ok(await put(`/api/v1/reseau/meetings/${m2.id}/synthesis`, { problem: 'Brouillon secret' }, { token: t.pilot.s.token, headers: ifMatch(1) }));
});

test('what is said in a collective stays in it: canvas and unpublished synthesis 404 to every other role and académie', async () => {
  const [, m2] = meetings;
  const callers = [
    ['bureau', bureau], ['direction', direction], ['admin', admin], ['cmf', cmf], ['ien', ien],
    ['another collective\'s pilot', t.pilot2.s], ['a tutor of no collective', t.spare.s], ['Grenoble bureau', grenobleBureau],
    ['Grenoble admin', await as('grenoble', 'admin')], ['stagiaire', await as('lyon', 'stagiaire1')],
  ];
  for (const [who, s] of callers) {
    for (const path of [`/api/v1/reseau/meetings/${m2.id}`, `/api/v1/reseau/meetings/${m2.id}/canvas`, `/api/v1/reseau/meetings/${m2.id}/synthesis`]) {
      const res = await get(path, { token: s.token });
      assert.ok([403, 404].includes(res.status), `${who} ${path}: ${show(res)}`);
      if (who !== 'stagiaire') assert.equal(res.status, 404, `${who} ${path}: ${show(res)}`);
      assert.ok(!JSON.stringify(res.body ?? '').includes('Brouillon secret'));
    }
    const w = await put(`/api/v1/reseau/meetings/${m2.id}/canvas`, { problem: 'intrus' }, { token: s.token, headers: ifMatch(2) });
    assert.ok([403, 404].includes(w.status), `${who}: ${show(w)}`);
  }
  // The organisers' view of the collective: dates, places, states; no content.
  const org = ok(await get(`/api/v1/reseau/collectives/${c1.id}`, { token: direction.token }));
  assert.equal(org.meetings.length, 6);
  const text = JSON.stringify(org);
  for (const secret of ['Brouillon secret', 'classe difficile', 'Des rituels']) assert.ok(!text.includes(secret), secret);
  assert.equal(org.meetings[0].synthesis_state, undefined);
  assertProblem(await get(`/api/v1/reseau/collectives/${c1.id}`, { token: admin.token }), 404, 'not_found');
  assertProblem(await get(`/api/v1/reseau/collectives/${c1.id}`, { token: grenobleBureau.token }), 404, 'not_found');
  assertProblem(await get(`/api/v1/reseau/collectives/${c1.id}`, { token: t.spare.s.token }), 404, 'not_found');
  // No notification text carries the collective's words.
  const notes = await db(`SELECT COUNT(*) FROM notification WHERE kind LIKE 'reseau.%' AND (subject LIKE '%Brouillon%' OR subject LIKE '%rituel%' OR link LIKE '%canvas%')`);
  assert.equal(notes[0][0], '0');
});

test('the experiment\'s figures per collective and département, counts only, and their CSV', async () => {
  bad(await get('/api/v1/reseau/figures', { token: bureau.token }), 'year_id');
  assertProblem(await get(`/api/v1/reseau/figures?year_id=${year.id}`, { token: t.pilot.s.token }), 403, 'forbidden');
  const f = ok(await get(`/api/v1/reseau/figures?year_id=${year.id}`, { token: bureau.token }));
  const k1 = f.collectives.find((x) => x.id === c1.id);
  assert.equal(k1.members, 4);
  assert.equal(k1.meetings_planned, 6);
  assert.equal(k1.meetings_held, 2);
  assert.equal(k1.attendance_rate, 87.5); // 7 present of 2 x 4
  assert.equal(k1.mix_score, 100);
  assert.equal(k1.syntheses_published, 1);
  assert.equal(k1.neo_reached, 2);
  const rh = f.departements.find((d) => d.departement_id === RHONE);
  assert.equal(rh.collectives, 2);
  assert.equal(rh.syntheses_published, 1);
  assert.ok(!JSON.stringify(f).includes('rituel'));
  // The chargé de mission of the Ain sees none of the Rhône's.
  const fa = ok(await get(`/api/v1/reseau/figures?year_id=${year.id}`, { token: cmf.token }));
  assert.equal(fa.collectives.length, 0);
  const csv = await request('GET', `/api/v1/reseau/figures.csv?year_id=${year.id}`, { token: bureau.token });
  assert.equal(csv.status, 200);
  assert.match(csv.headers['content-type'], /text\/csv/);
  const lines = String(csv.body).trim().split('\r\n');
  assert.equal(lines[0], 'departement,collective,members,meetings_planned,meetings_held,meetings_target,attendance_rate,mix_score,syntheses_published,neo_reached');
  assert.ok(lines.includes('"Rhône","Collectif Lyon Est",4,6,2,4,87.5,100,1,2'), lines.join('\n'));
});

test('resources: seeded per académie, replaced whole by the bureau; bad URL named', async () => {
  const r = ok(await get('/api/v1/reseau/resources', { token: t.spare.s.token }));
  assert.ok(r.items.some((x) => x.kind === 'neopass' && x.url === 'http://neo.ens-lyon.fr/neo'));
  assert.ok(r.items.some((x) => x.kind === 'magistere'));
  assert.equal(r.items.filter((x) => x.kind === 'model').length, 3);
  assertProblem(await put('/api/v1/reseau/resources', { items: [] }, { token: t.spare.s.token }), 403, 'forbidden');
  bad(await put('/api/v1/reseau/resources', { items: [{ title: 'x', url: 'ftp://x.example', kind: 'other' }] }, { token: bureau.token }), 'items[0].url');
  const saved = ok(await put('/api/v1/reseau/resources', { items: [...r.items.map(({ title, url, description, kind }) => ({ title, url, description, kind })), { title: 'Guide du tuteur', url: 'https://example.org/guide', kind: 'other' }] }, { token: bureau.token }));
  assert.equal(saved.items.length, r.items.length + 1);
  const g = ok(await get('/api/v1/reseau/resources', { token: grenobleBureau.token }));
  assert.ok(!g.items.some((x) => x.title === 'Guide du tuteur'));
  ok(await put('/api/v1/reseau/resources', { items: r.items.map(({ title, url, description, kind }) => ({ title, url, description, kind })) }, { token: bureau.token }));
});

test('lists cost a bounded number of statements, whatever their length', async () => {
  const statements = async (path, s) => {
    const res = await get(path, { token: s.token });
    assert.equal(res.status, 200, show(res));
    let line;
    await pollUntil(() => { line = tutoratdLog().split('\n').find((l) => l.includes(`"request_id":"${res.requestId}"`)); return line; });
    return JSON.parse(line).statements;
  };
  // 8 volunteers, 2 collectives, 6 meetings: the same few statements as for
  // one (the page, and the session's check when its cache is cold); one
  // statement per row would exceed these bounds.
  for (const [path, s, most] of [
    [`/api/v1/reseau/calls/${call.id}/volunteers`, bureau, 4],
    [`/api/v1/reseau/calls?year_id=${year.id}`, bureau, 4],
    [`/api/v1/reseau/collectives?call_id=${call.id}`, bureau, 4],
    [`/api/v1/reseau/collectives/${c1.id}`, t.neo1.s, 8],
    ['/api/v1/reseau/library', t.spare.s, 4],
    [`/api/v1/reseau/figures?year_id=${year.id}`, bureau, 4],
  ]) {
    const n0 = await statements(path, s);
    assert.ok(n0 <= most, `${path}: ${n0} statements (at most ${most})`);
  }
});
