// The year's procedure (issue 10, docs/meetings.md): a pôle meeting N°1
// run by its pilot from its list of trainees to review (prepared from the
// signals: an open case, renewed year, no visit held before the meeting, a
// tutor's request), a decision per trainee; a fiche de personnalisation written by
// the tutors, sent by the tuteur Inspé, agreed by the cellule within the
// year's budget (hours beyond it refused); a remediation workshop open only
// to trainees in difficulty (an agreed fiche or an open case); the audience of each across roles and
// académies; bad input named, nothing written.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  get, post, put, show, as, db, dbValue, n, assertProblem, Cleanup,
} from '../lib/index.mjs';
import {
  NO_ID, ifMatch, trioFixture, freshPerson, enrol, assertAudited, assertNotAudited,
  trackWrites, assertEveryWriteAudited, sessionAs,
} from '../lib/tutorat.mjs';
import { removeMeetingsOfYear } from '../lib/meetings.mjs';

const cleanup = new Cleanup();
const writes = trackWrites();
let fx; // trioFixture: stagiaire1 with tuteur.terrain1 and tuteur.inspe1 in a fresh year
let pilot; // pilote.pole1 (Lyon), pilote_pole of the fixture's pôle
let bureau;
let renewed; // a second trainee of the pôle, en renouvellement
let visited; // a third, with a visit held before the meeting
let meetingId;
let ficheId;
let a; // the fresh year's first calendar year

before(async () => {
  fx = await trioFixture(cleanup);
  a = Number(fx.year.label.slice(0, 4));
  pilot = await as('lyon', 'pilote.pole1');
  bureau = await as('lyon', 'bureau1');
  const ev = await post(`/api/v1/years/${fx.year.id}/events`, { kind: 'pole_meeting_1', label: 'Réunion de pôle N°1', starts_on: `${a}-10-15`, ends_on: `${a}-10-15` }, { token: fx.admin.token });
  assert.equal(ev.status, 201, show(ev));
  const people = [];
  for (const p of ['t-mt-ren', 't-mt-vis']) people.push(await freshPerson(fx.admin, cleanup, ['stagiaire'], p));
  const body = { ...fx.body, year_id: fx.year.id };
  renewed = await enrol(fx.admin, cleanup, { ...body, trainee_id: people[0].id, renouvellement: true });
  visited = await enrol(fx.admin, cleanup, { ...body, trainee_id: people[1].id });
  // A visit held in September: not on the list of meeting N°1.
  const f = await post(`/api/v1/enrolments/${visited}/followups`, { kind: 'visit', scheduled_at: `${a}-09-20T09:00`, with_terrain: true, with_inspe: false }, { token: fx.terrain.token });
  assert.equal(f.status, 201, show(f));
  const held = await put(`/api/v1/followups/${f.body.id}/observation`, { observation_notes: 'Séance observée.', held: true }, { token: fx.terrain.token, headers: ifMatch(1) });
  assert.equal(held.status, 200, show(held));
});

after(async () => {
  await removeMeetingsOfYear(fx.year.id);
  await cleanup.run();
});

test('the pilot of the pôle plans meeting N°1: its date comes from the calendar, its participants from the pôle', async () => {
  const res = await post('/api/v1/pole-meetings', { year_id: fx.year.id, number: 1, pole_id: fx.ids.pole }, { token: pilot.token });
  assert.equal(res.status, 201, show(res));
  meetingId = res.body.id;
  await assertAudited(res, { action: 'pole_meeting.create', actor: pilot.me.id, type: 'pole_meeting', id: meetingId });
  const m = await get(`/api/v1/pole-meetings/${meetingId}`, { token: pilot.token });
  assert.equal(m.status, 200, show(m));
  assert.equal(m.body.held_on, `${a}-10-15`);
  assert.equal(m.body.status, 'upcoming');
  assert.equal(m.body.scope_name, 'Bourg 2 – Bourg 3 – Bresse');
  assert.equal(m.body.can_run, true);
  assert.equal(m.headers.etag, `"${m.body.version}"`);
  // The référent Inspé of the pôle takes part; the pilots lead it.
  assert.ok(m.body.participants.some((p) => p.id === fx.inspe.me.id), JSON.stringify(m.body.participants));
  assert.ok(m.body.pilots.some((p) => p.id === pilot.me.id));

  // The same meeting twice: 409 naming the number; another pôle's pilot: 403.
  assertProblem(await post('/api/v1/pole-meetings', { year_id: fx.year.id, number: 1, pole_id: fx.ids.pole }, { token: pilot.token }), 409, 'conflict', 'number');
  assertProblem(await post('/api/v1/pole-meetings', { year_id: fx.year.id, number: 2, pole_id: fx.ids.otherPole }, { token: pilot.token }), 403, 'forbidden', 'pole_id');
  // No date in the calendar for N°3 and none given: 422 held_on.
  const none = await post('/api/v1/pole-meetings', { year_id: fx.year.id, number: 3, pole_id: fx.ids.pole }, { token: pilot.token });
  assertProblem(none, 422, 'invalid_field', 'held_on');
  await assertNotAudited(none);
  assertProblem(await post('/api/v1/pole-meetings', { year_id: fx.year.id, number: 2, pole_id: fx.ids.pole, discipline_id: fx.ids.pole }, { token: pilot.token }), 422, 'invalid_field', 'pole_id');
  assertProblem(await post('/api/v1/pole-meetings', { year_id: fx.year.id, number: 4, pole_id: fx.ids.pole }, { token: pilot.token }), 422, 'invalid_field', 'number');
  assertProblem(await post('/api/v1/pole-meetings', { year_id: NO_ID, number: 2, pole_id: fx.ids.pole }, { token: pilot.token }), 422, 'invalid_field', 'year_id');
  assert.equal(await dbValue(`SELECT COUNT(*) FROM pole_meeting WHERE year_id = ${n(fx.year.id)}`), '1');
});

test('the list of trainees to review comes from the signals: an open case, renewed year, no visit before N°1, a tutor\'s request', async () => {
  const req = await post('/api/v1/review-requests', { enrolment_id: fx.enrolmentId, reason: 'Difficultés de gestion de classe' }, { token: fx.terrain.token });
  assert.equal(req.status, 201, show(req));
  await assertAudited(req, { action: 'review_request.create', actor: fx.terrain.me.id, type: 'enrolment', id: fx.enrolmentId });
  // A tutor of another trio, or no such enrolment: 422 naming the field.
  const stranger = await sessionAs('lyon', (await freshPerson(fx.admin, cleanup, ['tuteur_terrain'], 't-mt-str')).id);
  assertProblem(await post('/api/v1/review-requests', { enrolment_id: fx.enrolmentId, reason: 'x' }, { token: stranger.token }), 422, 'invalid_field', 'enrolment_id');
  assertProblem(await post('/api/v1/review-requests', { enrolment_id: NO_ID, reason: 'x' }, { token: fx.terrain.token }), 422, 'invalid_field', 'enrolment_id');
  assertProblem(await post('/api/v1/review-requests', { enrolment_id: fx.enrolmentId, reason: '' }, { token: fx.terrain.token }), 422, 'invalid_field', 'reason');

  // A trainee en renouvellement starts the year with an open case at
  // level 1 (the accompaniment module): the signal open_case.
  assert.equal(await dbValue(`SELECT COUNT(*) FROM acc_case WHERE enrolment_id = ${n(renewed)} AND closed_at IS NULL`), '1');

  const res = await get(`/api/v1/pole-meetings/${meetingId}/reviews`, { token: pilot.token });
  assert.equal(res.status, 200, show(res));
  assert.equal(res.body.frozen, false);
  const by = Object.fromEntries(res.body.items.map((i) => [i.enrolment_id, i.signals]));
  assert.deepEqual(by[fx.enrolmentId], ['no_visit_before_meeting_1', 'tutor_request']);
  assert.deepEqual(by[renewed], ['open_case', 'renouvellement', 'no_visit_before_meeting_1']);
  assert.equal(by[visited], undefined, 'a trainee visited before the meeting, with no other signal, is not on the list');
  assert.equal(res.body.total, 2);
});

test('the pilot marks the list ready: it is frozen and each participant is told, without private text', async () => {
  const participant = await as('lyon', 'tuteur.inspe1');
  const m = await get(`/api/v1/pole-meetings/${meetingId}`, { token: pilot.token });
  // A participant sees the meeting but does not run it.
  const refused = await post(`/api/v1/pole-meetings/${meetingId}/ready`, {}, { token: participant.token, headers: ifMatch(m.body.version) });
  assert.equal(refused.status, 403, show(refused));
  assert.equal(refused.body.detail, 'Seul le pilote de la réunion la conduit.');
  assertProblem(await post(`/api/v1/pole-meetings/${meetingId}/ready`, {}, { token: pilot.token, headers: ifMatch(m.body.version + 5) }), 412, 'version_mismatch');

  const res = await post(`/api/v1/pole-meetings/${meetingId}/ready`, {}, { token: pilot.token, headers: ifMatch(m.body.version) });
  assert.equal(res.status, 200, show(res));
  assert.equal(res.body.status, 'list_ready');
  await assertAudited(res, { action: 'pole_meeting.ready', actor: pilot.me.id, type: 'pole_meeting', id: meetingId });
  const rows = await db(`SELECT recipient_id, subject, link FROM notification WHERE kind = 'meetings.list_ready' AND object_id = ${n(meetingId)}`);
  assert.deepEqual(rows.map((r) => Number(r[0])).sort(), res.body.participants.map((p) => p.id).sort());
  for (const [, subject, link] of rows) {
    assert.equal(subject, 'Réunion N°1');
    assert.equal(link, `/app.html#/reunions/reunion/${meetingId}`);
  }
  // The participant finds it in their notifications (re-checked through the meeting).
  const inbox = await get('/api/v1/notifications', { token: participant.token });
  assert.equal(inbox.status, 200, show(inbox));
  assert.ok(JSON.stringify(inbox.body).includes(`/reunions/reunion/${meetingId}`), show(inbox));

  // Frozen: a request made now does not change this meeting's list.
  const again = await post(`/api/v1/pole-meetings/${meetingId}/ready`, {}, { token: pilot.token, headers: ifMatch(res.body.version) });
  assertProblem(again, 409, 'meeting_state');
  const list = await get(`/api/v1/pole-meetings/${meetingId}/reviews`, { token: participant.token });
  assert.equal(list.status, 200, show(list));
  assert.equal(list.body.frozen, true);
  assert.deepEqual(list.body.items.map((i) => i.enrolment_id).sort(), [fx.enrolmentId, renewed].sort());
  assert.ok(list.body.items.every((i) => i.decision === null));
});

test('the pilot records one decision per trainee of the list; a correction is a new, dated and attributed row', async () => {
  const url = `/api/v1/pole-meetings/${meetingId}/decisions`;
  const first = await post(url, { enrolment_id: fx.enrolmentId, decision: 'rien_a_signaler' }, { token: pilot.token });
  assert.equal(first.status, 201, show(first));
  await assertAudited(first, { action: 'pole_meeting.decision', actor: pilot.me.id, type: 'pole_meeting', id: meetingId });
  const second = await post(url, { enrolment_id: fx.enrolmentId, decision: 'personnalisation', note: 'Fiche de personnalisation à établir' }, { token: pilot.token });
  assert.equal(second.status, 201, show(second));
  assert.equal(await dbValue(`SELECT COUNT(*) FROM pole_meeting_decision WHERE meeting_id = ${n(meetingId)} AND enrolment_id = ${n(fx.enrolmentId)}`), '2');

  const off = await post(url, { enrolment_id: visited, decision: 'fin' }, { token: pilot.token });
  assertProblem(off, 422, 'invalid_field', 'enrolment_id');
  await assertNotAudited(off);
  assertProblem(await post(url, { enrolment_id: renewed, decision: 'peut-etre' }, { token: pilot.token }), 422, 'invalid_field', 'decision');

  const list = await get(`/api/v1/pole-meetings/${meetingId}/reviews`, { token: pilot.token });
  const row = list.body.items.find((i) => i.enrolment_id === fx.enrolmentId);
  assert.equal(row.decision.decision, 'personnalisation');
  assert.equal(row.decision.note, 'Fiche de personnalisation à établir');
  assert.equal(row.decision.decided_by, 'Hélène Fabre');
  assert.equal(row.decision.count, 2);
  assert.match(row.decision.decided_at, /^\d{4}-\d\d-\d\dT/);

  const m = await get(`/api/v1/pole-meetings/${meetingId}`, { token: pilot.token });
  const held = await post(`/api/v1/pole-meetings/${meetingId}/held`, {}, { token: pilot.token, headers: ifMatch(m.body.version) });
  assert.equal(held.status, 200, show(held));
  assert.equal(held.body.status, 'held');

  // The list of meetings: status and counts only.
  const mine = await get('/api/v1/pole-meetings', { token: pilot.token, query: { year_id: fx.year.id } });
  assert.equal(mine.status, 200, show(mine));
  assert.deepEqual(mine.body.items.map((i) => [i.id, i.number, i.status, i.reviews, i.decided]), [[meetingId, 1, 'held', 2, 1]]);
  assert.ok(!JSON.stringify(mine.body).includes('Fiche de personnalisation à établir'));
});

test('a meeting is seen by its pilots, participants and the bureau des stages; by no one else, in no other académie', async () => {
  const missing = async (s) => (await get(`/api/v1/pole-meetings/${NO_ID}`, { token: s.token })).text;
  for (const u of ['pilote.pole1', 'ien1', 'tuteur.inspe1', 'bureau1']) {
    const res = await get(`/api/v1/pole-meetings/${meetingId}`, { token: (await as('lyon', u)).token });
    assert.equal(res.status, 200, `${u}: ${show(res)}`);
  }
  for (const [acad, u] of [['lyon', 'tuteur.terrain1'], ['lyon', 'admin'], ['lyon', 'direction1'], ['grenoble', 'pilote.pole1'], ['grenoble', 'bureau1'], ['grenoble', 'tuteur.inspe1']]) {
    const s = await as(acad, u);
    const res = await get(`/api/v1/pole-meetings/${meetingId}`, { token: s.token });
    assert.equal(res.status, 404, `${acad} ${u}: ${show(res)}`);
    assert.equal(res.text, await missing(s), `${acad} ${u}: the body of a missing id`);
    const list = await get('/api/v1/pole-meetings', { token: s.token });
    assert.ok(!list.body.items?.some((i) => i.id === meetingId), `${acad} ${u} does not list it`);
  }
  const trainee = await get(`/api/v1/pole-meetings/${meetingId}`, { token: fx.trainee.token });
  assert.equal(trainee.status, 403, show(trainee));
});

test('a fiche de personnalisation: written by the tutors, sent by the tuteur Inspé, agreed by the cellule within the budget', async () => {
  const body = {
    trainee_id: fx.trainee.me.id, year_id: fx.year.id, meeting_id: meetingId, decided_on: `${a}-10-15`,
    items: [
      { difficulty: 3, situation: 'Classe agitée en fin de journée', support: 'Observation croisée', hours: 6 },
      { difficulty: 5, situation: 'Séquences peu structurées', support: 'Atelier de préparation', hours: 4 },
    ],
  };
  const { trainee_id: _t, year_id: _y, ...fiche } = body; // what a PUT takes
  // Bad input, nothing written.
  const nobody = await freshPerson(fx.admin, cleanup, ['stagiaire'], 't-mt-none');
  const refused = [
    [{ ...body, trainee_id: nobody.id }, 'trainee_id'],
    [{ ...body, year_id: NO_ID }, 'year_id'],
    [{ ...body, meeting_id: NO_ID }, 'meeting_id'],
    [{ ...body, place_id: NO_ID }, 'place_id'],
    [{ ...body, items: [{ difficulty: 6, hours: 1 }] }, 'items'],
    [{ ...body, items: [{ difficulty: 1, hours: 1 }, { difficulty: 1, hours: 2 }] }, 'items'],
    [{ ...body, decided_on: '15/10' }, 'decided_on'],
  ];
  for (const [b, field] of refused) {
    const res = await post('/api/v1/personalisations', b, { token: fx.inspe.token });
    assert.equal(res.status, 422, `${field}: ${show(res)}`);
    assert.equal(res.body.field?.split(/[[.]/)[0], field, show(res));
    await assertNotAudited(res);
  }
  // A tutor of another trio (a trainee they do not follow): the same 422.
  const outsider = await freshPerson(fx.admin, cleanup, ['tuteur_inspe'], 't-mt-out');
  const out = await sessionAs('lyon', outsider.id);
  assertProblem(await post('/api/v1/personalisations', body, { token: out.token }), 422, 'invalid_field', 'trainee_id');
  assert.equal(await dbValue(`SELECT COUNT(*) FROM personalisation WHERE enrolment_id = ${n(fx.enrolmentId)}`), '0');

  const created = await post('/api/v1/personalisations', body, { token: fx.inspe.token });
  assert.equal(created.status, 201, show(created));
  ficheId = created.body.id;
  await assertAudited(created, { action: 'personalisation.create', actor: fx.inspe.me.id, type: 'personalisation', id: ficheId });
  let f = await get(`/api/v1/personalisations/${ficheId}`, { token: fx.terrain.token });
  assert.equal(f.status, 200, show(f));
  assert.equal(f.body.status, 'draft');
  assert.equal(f.body.scope_name, 'Bourg 2 – Bourg 3 – Bresse');
  assert.equal(f.body.meeting_number, 1);
  assert.equal(f.body.decided_on, `${a}-10-15`);
  assert.equal(f.body.trainee.display_name, 'Camille Martin');
  assert.equal(f.body.place.school_name, 'École élémentaire Les Tilleuls, Bourg-en-Bresse');
  assert.equal(f.body.tuteur_inspe, 'Marc Dubois');
  assert.deepEqual(f.body.items.map((i) => [i.difficulty, i.hours]), [[1, 0], [2, 0], [3, 6], [4, 0], [5, 4]]);
  assert.equal(f.body.items[3].label, 'Conduite d’évitement ne permettant pas les échanges professionnels');
  assert.equal(f.body.total_hours, 10);

  // The tuteur terrain rewrites the draft with its version; a stale one is 412.
  const upd = await put(`/api/v1/personalisations/${ficheId}`, { ...fiche, items: [...body.items, { difficulty: 1, situation: 'Sorties de classe non surveillées', support: 'Rappel du cadre', hours: 2 }] }, { token: fx.terrain.token, headers: ifMatch(f.body.version) });
  assert.equal(upd.status, 200, show(upd));
  assert.equal(upd.body.total_hours, 12);
  assertProblem(await put(`/api/v1/personalisations/${ficheId}`, fiche, { token: fx.terrain.token, headers: ifMatch(f.body.version) }), 412, 'version_mismatch');
  f = upd;

  // Only the tuteur Inspé sends it; the bureau des stages is told.
  const bySending = await post(`/api/v1/personalisations/${ficheId}/send`, {}, { token: fx.terrain.token, headers: ifMatch(f.body.version) });
  assert.equal(bySending.status, 403, show(bySending));
  const sent = await post(`/api/v1/personalisations/${ficheId}/send`, {}, { token: fx.inspe.token, headers: ifMatch(f.body.version) });
  assert.equal(sent.status, 200, show(sent));
  assert.equal(sent.body.status, 'sent');
  assert.equal(sent.body.sent_by, 'Marc Dubois');
  assert.equal(await dbValue(`SELECT COUNT(*) FROM notification WHERE kind = 'meetings.personalisation_sent' AND object_id = ${n(ficheId)} AND recipient_id = ${n(bureau.me.id)}`), '1');
  assertProblem(await put(`/api/v1/personalisations/${ficheId}`, fiche, { token: fx.terrain.token, headers: ifMatch(sent.body.version) }), 409, 'personalisation_sent');

  // No budget yet: refused, naming the hours.
  const url = `/api/v1/personalisations/${ficheId}/decision`;
  assertProblem(await post(url, { agreed: true }, { token: bureau.token, headers: ifMatch(sent.body.version) }), 409, 'budget_exceeded', 'agreed_hours');
  const tutorDecides = await post(url, { agreed: true }, { token: fx.inspe.token, headers: ifMatch(sent.body.version) });
  assert.equal(tutorDecides.status, 403, show(tutorDecides));

  // The bureau sets 10 h for the year: 12 h are beyond it, refused, nothing written.
  const budgetUrl = `/api/v1/support-budgets/${fx.year.id}`;
  const b0 = await get(budgetUrl, { token: bureau.token });
  assert.equal(b0.status, 200, show(b0));
  assert.equal(b0.body.hours, null);
  const b1 = await put(budgetUrl, { hours: 10 }, { token: bureau.token });
  assert.equal(b1.status, 200, show(b1));
  assert.deepEqual([b1.body.hours, b1.body.consumed, b1.body.remaining], [10, 0, 10]);
  const over = await post(url, { agreed: true }, { token: bureau.token, headers: ifMatch(sent.body.version) });
  assertProblem(over, 409, 'budget_exceeded', 'agreed_hours');
  assert.match(over.body.detail, /12 h demandées, 10 h restantes/);
  await assertNotAudited(over);
  assert.equal(await dbValue(`SELECT status FROM personalisation WHERE id = ${n(ficheId)}`), 'sent');

  // Agreed for 8 h: consumed 8, remaining 2; the tutors and the pilots are told.
  const ok = await post(url, { agreed: true, agreed_hours: 8, note: 'Accord pour 8 h' }, { token: bureau.token, headers: ifMatch(sent.body.version) });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.status, 'agreed');
  assert.equal(ok.body.agreed_hours, 8);
  await assertAudited(ok, { action: 'personalisation.decision', actor: bureau.me.id, type: 'personalisation', id: ficheId });
  const told = (await db(`SELECT recipient_id FROM notification WHERE kind = 'meetings.personalisation_decided' AND object_id = ${n(ficheId)}`)).map((r) => Number(r[0]));
  for (const who of [fx.terrain.me.id, fx.inspe.me.id, pilot.me.id]) assert.ok(told.includes(who), `${who} told: ${told}`);
  assert.ok(!told.includes(fx.trainee.me.id));
  assertProblem(await post(url, { agreed: false }, { token: bureau.token, headers: ifMatch(ok.body.version) }), 409, 'personalisation_decided');
  const b2 = await get(budgetUrl, { token: bureau.token });
  assert.deepEqual([b2.body.hours, b2.body.consumed, b2.body.remaining], [10, 8, 2]);
  // The budget cannot fall below what is agreed.
  assertProblem(await put(budgetUrl, { hours: 5 }, { token: bureau.token, headers: ifMatch(b2.body.version) }), 409, 'budget_below_consumed', 'hours');
  assertProblem(await put(budgetUrl, { hours: 20 }, { token: bureau.token }), 428, 'precondition_required');
  assert.equal((await get(`/api/v1/support-budgets/${NO_ID}`, { token: bureau.token })).status, 404);
  assert.equal((await get(budgetUrl, { token: pilot.token })).status, 403);
});

test('a fiche is seen by the trio, the pilots of its pôle and the bureau des stages; by no one else, in no other académie', async () => {
  const missing = async (s) => (await get(`/api/v1/personalisations/${NO_ID}`, { token: s.token })).text;
  for (const s of [fx.trainee, fx.terrain, fx.inspe, pilot, await as('lyon', 'ien1'), bureau]) {
    const res = await get(`/api/v1/personalisations/${ficheId}`, { token: s.token });
    assert.equal(res.status, 200, show(res));
  }
  for (const [acad, u] of [['lyon', 'admin'], ['grenoble', 'stagiaire1'], ['grenoble', 'tuteur.terrain1'], ['grenoble', 'tuteur.inspe1'], ['grenoble', 'pilote.pole1'], ['grenoble', 'bureau1']]) {
    const s = await as(acad, u);
    const res = await get(`/api/v1/personalisations/${ficheId}`, { token: s.token });
    if (res.status === 403) continue; // the role mask: no relation possible at all
    assert.equal(res.status, 404, `${acad} ${u}: ${show(res)}`);
    assert.equal(res.text, await missing(s), `${acad} ${u}: the body of a missing id`);
  }
  const list = await get('/api/v1/personalisations', { token: bureau.token, query: { year_id: fx.year.id } });
  assert.equal(list.status, 200, show(list));
  assert.deepEqual(list.body.items.map((i) => [i.id, i.status, i.hours, i.agreed_hours]), [[ficheId, 'agreed', 12, 8]]);
  assert.ok(!JSON.stringify(list.body).includes('Classe agitée'), 'no content of the fiche in a list');
  const theirs = await get('/api/v1/personalisations', { token: (await as('grenoble', 'bureau1')).token, query: { year_id: fx.year.id } });
  assert.equal(theirs.status, 200, show(theirs));
  assert.deepEqual(theirs.body.items, []);
});

test('a remediation workshop of the cellule is open only to trainees in difficulty', async () => {
  const w = await post('/api/v1/workshops', { year_id: fx.year.id, title: 'Gestion de classe : les routines' }, { token: bureau.token });
  assert.equal(w.status, 201, show(w));
  const wid = w.body.id;
  const s = await post(`/api/v1/workshops/${wid}/sessions`, { held_at: `${a}-11-05T14:00`, place: 'Inspé de Bourg, salle 12' }, { token: bureau.token });
  assert.equal(s.status, 201, show(s));
  assertProblem(await post(`/api/v1/workshops/${wid}/sessions`, { held_at: 'mercredi', place: 'x' }, { token: bureau.token }), 422, 'invalid_field', 'held_at');

  const notInDifficulty = await post(`/api/v1/workshops/${wid}/trainees`, { enrolment_id: visited }, { token: bureau.token });
  assertProblem(notInDifficulty, 422, 'invalid_field', 'enrolment_id');
  await assertNotAudited(notInDifficulty);
  assertProblem(await post(`/api/v1/workshops/${wid}/trainees`, { enrolment_id: NO_ID }, { token: bureau.token }), 422, 'invalid_field', 'enrolment_id');
  const t = await post(`/api/v1/workshops/${wid}/trainees`, { enrolment_id: fx.enrolmentId }, { token: bureau.token });
  assert.equal(t.status, 201, show(t));
  assertProblem(await post(`/api/v1/workshops/${wid}/trainees`, { enrolment_id: fx.enrolmentId }, { token: bureau.token }), 409, 'conflict', 'enrolment_id');

  assertProblem(await put(`/api/v1/workshops/${wid}/attendance`, { session_id: s.body.id, enrolment_id: visited, present: true }, { token: bureau.token }), 422, 'invalid_field', 'enrolment_id');
  // An open case puts a trainee in difficulty too.
  const byCase = await post(`/api/v1/workshops/${wid}/trainees`, { enrolment_id: renewed }, { token: bureau.token });
  assert.equal(byCase.status, 201, show(byCase));
  assertProblem(await put(`/api/v1/workshops/${wid}/attendance`, { session_id: NO_ID, enrolment_id: fx.enrolmentId, present: true }, { token: bureau.token }), 422, 'invalid_field', 'session_id');
  const absent = await put(`/api/v1/workshops/${wid}/attendance`, { session_id: s.body.id, enrolment_id: fx.enrolmentId, present: false }, { token: bureau.token });
  assert.equal(absent.status, 200, show(absent));
  const present = await put(`/api/v1/workshops/${wid}/attendance`, { session_id: s.body.id, enrolment_id: fx.enrolmentId, present: true }, { token: bureau.token });
  assert.equal(present.status, 200, show(present));
  assert.deepEqual(present.body.sessions[0].present, [fx.enrolmentId]);
  assert.deepEqual(present.body.sessions[0].absent, []);
  assert.deepEqual(present.body.trainees.map((x) => x.enrolment_id).sort(), [fx.enrolmentId, renewed].sort());
  assert.equal(await dbValue(`SELECT COUNT(*) FROM workshop_attendance WHERE session_id = ${n(s.body.id)}`), '2', 'a correction is a new row');

  const list = await get('/api/v1/workshops', { token: bureau.token, query: { year_id: fx.year.id } });
  assert.deepEqual(list.body.items.map((i) => [i.id, i.sessions, i.trainees]), [[wid, 1, 2]]);
  const other = await as('grenoble', 'bureau1');
  const missing = await get(`/api/v1/workshops/${NO_ID}`, { token: other.token });
  const foreign = await get(`/api/v1/workshops/${wid}`, { token: other.token });
  assert.equal(foreign.status, 404);
  assert.equal(foreign.text, missing.text);
  assert.equal((await get(`/api/v1/workshops/${wid}`, { token: pilot.token })).status, 403);
});

test('every successful write of this file left exactly one audit row', async () => {
  await assertEveryWriteAudited(writes);
});
