// Module tutorat mixte (issue 3): follow-up times and written traces.
// Visit states planned → prepared → held → debriefed, levels checked
// against the trainee's référentiel and category, cancellation that keeps
// the record, 412 on a stale version, the trainee-first publication rule
// (seed 000 §4 NB1), self-assessment revisions and the tutors' comments.
// Every successful write leaves exactly one audit row.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  request, get, post, patch, put, show, assertProblem, db, dbValue, dbCount, n, q, Cleanup,
} from '../lib/index.mjs';
import {
  ifMatch, freshPerson, enrol, sessionAs, trioFixture, grid, assertAudited, assertNotAudited,
  trackWrites, assertEveryWriteAudited,
} from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
const writes = trackWrites();
after(() => cleanup.run());

let fx, g, yearStart, placeId;
before(async () => {
  fx = await trioFixture(cleanup);
  g = await grid(fx.trainee.token, fx.enrolment.referentiel_id);
  assert.equal(g.levels, 4, 'the default scale has four levels');
  assert.ok(g.common.length >= 2 && g.professeur.length >= 1 && g.cpe.length >= 1);
  yearStart = Number(fx.year.label.slice(0, 4));
  placeId = fx.enrolment.places[0].id;
});

/** A date of the fixture's school year: September to December of its first year, January to August of the next. */
const at = (mmdd, hhmm = '09:00') => `${Number(mmdd.slice(0, 2)) < 9 ? yearStart + 1 : yearStart}-${mmdd}T${hhmm}`;

/** A time of October no other plan() of this file took: two times of one trainee are an hour apart at least. */
let slots = 0;
const nextSlot = () => { const k = slots++; return at(`10-${String(1 + (k % 28)).padStart(2, '0')}`, `${String(9 + Math.floor(k / 28)).padStart(2, '0')}:00`); };

async function plan(who, extra = {}) {
  const res = await post(`/api/v1/enrolments/${fx.enrolmentId}/followups`, {
    kind: 'visit', scheduled_at: nextSlot(), place_id: placeId, with_terrain: true, with_inspe: true, ...extra,
  }, { token: who.token });
  assert.equal(res.status, 201, show(res));
  await assertAudited(res, { action: 'followup.create', actor: who.me.id, type: 'followup', id: res.body.id });
  return res.body.id;
}

const row = (id, cols = 'state, version') => db(`SELECT ${cols} FROM followup WHERE id = ${n(id)}`);

// ---------------------------------------------------------------- visit states

test('a visit goes planned → prepared → held → debriefed, each step stored and audited', async () => {
  const { trainee, terrain, inspe } = fx;
  const id = await plan(terrain, { scheduled_at: at('11-24') });
  assert.deepEqual(await row(id, 'state, version, created_by, place_id, with_terrain, with_inspe, DATE_FORMAT(scheduled_at, \'%Y-%m-%dT%H:%i\')'),
    [['planned', '1', String(terrain.me.id), String(placeId), '1', '1', at('11-24')]]);
  const got = await get(`/api/v1/followups/${id}`, { token: trainee.token });
  assert.equal(got.status, 200, show(got));
  assert.equal(got.headers.etag, '"1"');
  assert.equal(got.body.state, 'planned');
  assert.equal(got.body.kind, 'visit');
  assert.equal(got.body.enrolment_id, fx.enrolmentId);

  // Preparation is the trainee's: a tutor gets 403.
  const byTutor = await put(`/api/v1/followups/${id}/preparation`, { points_to_observe: 'x' }, { token: terrain.token, headers: ifMatch(1) });
  assertProblem(byTutor, 403, 'forbidden');
  await assertNotAudited(byTutor);
  const prep = await put(`/api/v1/followups/${id}/preparation`, { points_to_observe: 'La gestion des transitions.' }, { token: trainee.token, headers: ifMatch(1) });
  assert.equal(prep.status, 200, show(prep));
  assert.equal(prep.body.state, 'prepared');
  assert.equal(prep.body.version, 2);
  assert.equal(prep.headers.etag, '"2"');
  await assertAudited(prep, { action: 'followup.prepare', actor: trainee.me.id, type: 'followup', id });
  assert.deepEqual(await row(id, 'state, version, points_to_observe'), [['prepared', '2', 'La gestion des transitions.']]);

  // The tutors' expectations do not move the state; the trainee may not write them.
  const byTrainee = await put(`/api/v1/followups/${id}/expectations`, { expectations: 'x' }, { token: trainee.token, headers: ifMatch(2) });
  assertProblem(byTrainee, 403, 'forbidden');
  const exp = await put(`/api/v1/followups/${id}/expectations`, { expectations: 'Une séance complète.' }, { token: inspe.token, headers: ifMatch(2) });
  assert.equal(exp.status, 200, show(exp));
  assert.equal(exp.body.state, 'prepared');
  await assertAudited(exp, { action: 'followup.expectations', actor: inspe.me.id, type: 'followup', id });

  // Notes typed in class: saved without changing the state, then held.
  const notes = await put(`/api/v1/followups/${id}/observation`, { observation_notes: '9 h 05 : accueil.' }, { token: terrain.token, headers: ifMatch(3) });
  assert.equal(notes.status, 200, show(notes));
  assert.equal(notes.body.state, 'prepared');
  await assertAudited(notes, { action: 'followup.observe', actor: terrain.me.id, type: 'followup', id });
  const held = await put(`/api/v1/followups/${id}/observation`, { observation_notes: '9 h 05 : accueil. 9 h 20 : consignes.', held: true }, { token: terrain.token, headers: ifMatch(4) });
  assert.equal(held.status, 200, show(held));
  assert.equal(held.body.state, 'held');
  assert.equal(held.body.version, 5);
  await assertAudited(held, { action: 'followup.observe', actor: terrain.me.id, type: 'followup', id });
  assert.deepEqual(await row(id, 'state, version, observation_notes'), [['held', '5', '9 h 05 : accueil. 9 h 20 : consignes.']]);

  // Levels must be those of the trainee's référentiel and category, on its scale.
  const debrief = (levels) => put(`/api/v1/followups/${id}/debrief`, {
    analyses: 'Analyse', remediations: 'Remédiations', action_paths: 'Pistes', points_appui: 'Appuis',
    axes_evolution: 'Axes', priorities: 'Priorités', levels,
  }, { token: inspe.token, headers: ifMatch(5) });
  for (const [levels, code, field] of [
    [[{ competence_id: g.cpe[0], level: 2 }], 'invalid_field', 'levels[0].competence_id'],
    [[{ competence_id: g.common[0], level: 2 }, { competence_id: g.documentaliste[0], level: 2 }], 'invalid_field', 'levels[1].competence_id'],
    [[{ competence_id: g.common[0], level: 9 }], 'invalid_field', 'levels[0].level'],
    [[{ competence_id: g.common[0], level: 5 }], 'invalid_field', 'levels[0].level'],
    [[{ competence_id: g.common[0], level: 0 }], 'invalid_field', 'levels[0].level'],
    [[{ competence_id: g.common[0], level: 2 }, { competence_id: g.common[0], level: 3 }], 'invalid_field', 'levels[1].competence_id'],
  ]) {
    const res = await debrief(levels);
    assertProblem(res, 422, code, field);
    await assertNotAudited(res);
  }
  assert.deepEqual(await row(id), [['held', '5']], 'nothing changed by the refused debriefs');
  assert.equal(await dbCount(`SELECT COUNT(*) FROM followup_level WHERE followup_id = ${n(id)}`), 0);

  const done = await debrief([{ competence_id: g.common[0], level: 3 }, { competence_id: g.professeur[0], level: 2 }]);
  assert.equal(done.status, 200, show(done));
  assert.equal(done.body.state, 'debriefed');
  assert.equal(done.body.analyses, 'Analyse');
  assert.deepEqual(done.body.levels, [{ competence_id: g.common[0], level: 3 }, { competence_id: g.professeur[0], level: 2 }]
    .sort((x, y) => x.competence_id - y.competence_id));
  await assertAudited(done, { action: 'followup.debrief', actor: inspe.me.id, type: 'followup', id });
  assert.deepEqual(await row(id, 'state, version, analyses, priorities'), [['debriefed', '6', 'Analyse', 'Priorités']]);
  assert.deepEqual((await db(`SELECT competence_id, level_rank FROM followup_level WHERE followup_id = ${n(id)} ORDER BY competence_id`)),
    [[String(g.common[0]), '3'], [String(g.professeur[0]), '2']].sort((x, y) => Number(x[0]) - Number(y[0])));

  // A debriefed visit cannot be cancelled; the trainee cannot cancel at all.
  const cancel = await post(`/api/v1/followups/${id}/cancel`, { reason: 'Trop tard' }, { token: terrain.token });
  assertProblem(cancel, 409, 'conflict');
  await assertNotAudited(cancel);
  assert.deepEqual(await row(id, 'state, cancel_reason'), [['debriefed', null]]);
});

test('planning: only tutors, someone comes, the place is the trainee\'s; PATCH with If-Match', async () => {
  const { trainee, terrain, inspe } = fx;
  const base = { kind: 'interview', scheduled_at: at('12-01'), with_terrain: false, with_inspe: true };
  const url = `/api/v1/enrolments/${fx.enrolmentId}/followups`;
  const count = () => dbCount(`SELECT COUNT(*) FROM followup WHERE enrolment_id = ${n(fx.enrolmentId)}`);
  const before = await count();
  const byTrainee = await post(url, base, { token: trainee.token });
  assertProblem(byTrainee, 403, 'forbidden');
  const nobody = await post(url, { ...base, with_inspe: false }, { token: inspe.token });
  assertProblem(nobody, 422, 'invalid_field', 'with_terrain');
  const otherPlace = await db(`SELECT id FROM enrolment_place WHERE enrolment_id <> ${n(fx.enrolmentId)} LIMIT 1`);
  if (otherPlace.length) {
    const wrongPlace = await post(url, { ...base, place_id: Number(otherPlace[0][0]) }, { token: inspe.token });
    assertProblem(wrongPlace, 422, 'invalid_field', 'place_id');
    await assertNotAudited(wrongPlace);
  }
  const badKind = await post(url, { ...base, kind: 'party' }, { token: inspe.token });
  assertProblem(badKind, 422, 'invalid_field', 'kind');
  for (const r of [byTrainee, nobody, badKind]) await assertNotAudited(r);
  assert.equal(await count(), before, 'nothing planned by the refused requests');

  const id = await plan(inspe, base);
  const moved = await patch(`/api/v1/followups/${id}`, { scheduled_at: at('12-02', '14:30'), with_terrain: true }, { token: terrain.token, headers: ifMatch(1) });
  assert.equal(moved.status, 200, show(moved));
  assert.equal(moved.body.scheduled_at, at('12-02', '14:30'));
  assert.equal(moved.body.with_terrain, true);
  assert.equal(moved.body.version, 2);
  await assertAudited(moved, { action: 'followup.plan', actor: terrain.me.id, type: 'followup', id });
  const stale = await patch(`/api/v1/followups/${id}`, { scheduled_at: at('12-03') }, { token: terrain.token, headers: ifMatch(1) });
  assertProblem(stale, 412, 'version_mismatch');
  const none = await patch(`/api/v1/followups/${id}`, { scheduled_at: at('12-03') }, { token: terrain.token });
  assertProblem(none, 428, 'precondition_required');
  const noOne = await patch(`/api/v1/followups/${id}`, { with_terrain: false, with_inspe: false }, { token: terrain.token, headers: ifMatch(2) });
  assertProblem(noOne, 422, 'invalid_field', 'with_terrain');
  const trainee403 = await patch(`/api/v1/followups/${id}`, { scheduled_at: at('12-03') }, { token: trainee.token, headers: ifMatch(2) });
  assertProblem(trainee403, 403, 'forbidden');
  for (const r of [stale, none, noOne, trainee403]) await assertNotAudited(r);
  assert.deepEqual(await row(id, `state, version, DATE_FORMAT(scheduled_at, '%Y-%m-%dT%H:%i'), with_terrain, with_inspe`),
    [['planned', '2', at('12-02', '14:30'), '1', '1']]);
});

test('cancel keeps the record (state cancelled, reason); a cancelled time is no longer edited (409)', async () => {
  const { trainee, terrain, inspe } = fx;
  const id = await plan(terrain, { scheduled_at: at('01-12') });
  const byTrainee = await post(`/api/v1/followups/${id}/cancel`, { reason: 'Malade' }, { token: trainee.token });
  assertProblem(byTrainee, 403, 'forbidden');
  await assertNotAudited(byTrainee);
  const res = await post(`/api/v1/followups/${id}/cancel`, { reason: 'Classe en sortie scolaire' }, { token: inspe.token });
  assert.equal(res.status, 200, show(res));
  assert.equal(res.body.state, 'cancelled');
  assert.equal(res.body.cancel_reason, 'Classe en sortie scolaire');
  await assertAudited(res, { action: 'followup.cancel', actor: inspe.me.id, type: 'followup', id });
  const [[state, reason, version]] = await row(id, 'state, cancel_reason, version');
  assert.deepEqual([state, reason], ['cancelled', 'Classe en sortie scolaire'], 'the row stays, cancelled');
  const timeline = await get(`/api/v1/enrolments/${fx.enrolmentId}/timeline`, { token: trainee.token });
  assert.equal(timeline.status, 200, show(timeline));
  assert.equal(timeline.body.followups.find((f) => f.id === id)?.state, 'cancelled', 'still on the timeline');

  for (const [who, path, json] of [
    [trainee, 'preparation', { points_to_observe: 'x' }],
    [inspe, 'expectations', { expectations: 'x' }],
    [terrain, 'observation', { observation_notes: 'x', held: true }],
    [trainee, 'feedback', { retained: 'x', axes: 'y' }],
    [terrain, 'trace', { body: 'x' }],
  ]) {
    const r = await put(`/api/v1/followups/${id}/${path}`, json, { token: who.token, headers: ifMatch(version) });
    assertProblem(r, 409, 'conflict');
    await assertNotAudited(r);
  }
  const again = await post(`/api/v1/followups/${id}/cancel`, { reason: 'Encore' }, { token: terrain.token });
  assertProblem(again, 409, 'conflict');
  await assertNotAudited(again);
  assert.deepEqual(await row(id, 'state, cancel_reason, version, points_to_observe, observation_notes'),
    [['cancelled', 'Classe en sortie scolaire', version, null, null]], 'nothing changed');
});

test('a cancelled time: rescheduling or debriefing it with its current version is 409, not a false 412', async () => {
  const { inspe } = fx;
  const id = await plan(inspe, { scheduled_at: at('01-19') });
  const c = await post(`/api/v1/followups/${id}/cancel`, { reason: 'Grève' }, { token: inspe.token });
  assert.equal(c.status, 200, show(c));
  const version = c.body.version;
  const moved = await patch(`/api/v1/followups/${id}`, { scheduled_at: at('01-26') }, { token: inspe.token, headers: ifMatch(version) });
  assertProblem(moved, 409, 'conflict');
  const debrief = await put(`/api/v1/followups/${id}/debrief`, { analyses: 'x', levels: [] }, { token: inspe.token, headers: ifMatch(version) });
  assertProblem(debrief, 409, 'conflict');
  for (const r of [moved, debrief]) await assertNotAudited(r);
  assert.deepEqual(await row(id, 'state, version'), [['cancelled', String(version)]]);
});

test('levels follow the category: a CPE competence for a CPE trainee, not a professeur one', async () => {
  const admin = fx.admin;
  const t = await freshPerson(admin, cleanup, ['stagiaire'], 't-cpe');
  const tt = await freshPerson(admin, cleanup, ['tuteur_terrain'], 't-tt');
  const id = await enrol(admin, cleanup, {
    trainee_id: t.id, year_id: fx.year.id, parcours: 'M2A', degre: 2, category: 'cpe', places: [], tuteur_terrain_id: tt.id,
  });
  const tutor = await sessionAs('lyon', tt.id);
  const trainee = await sessionAs('lyon', t.id);
  const f = await post(`/api/v1/enrolments/${id}/followups`, { kind: 'visit', scheduled_at: at('11-10'), with_terrain: true, with_inspe: false }, { token: tutor.token });
  assert.equal(f.status, 201, show(f));
  const wrong = await put(`/api/v1/followups/${f.body.id}/debrief`, { analyses: 'x', levels: [{ competence_id: g.professeur[0], level: 2 }] }, { token: tutor.token, headers: ifMatch(1) });
  assertProblem(wrong, 422, 'invalid_field', 'levels[0].competence_id');
  const ok = await put(`/api/v1/followups/${f.body.id}/debrief`, { analyses: 'x', levels: [{ competence_id: g.cpe[0], level: 4 }, { competence_id: g.common[1], level: 1 }] }, { token: tutor.token, headers: ifMatch(1) });
  assert.equal(ok.status, 200, show(ok));
  await assertAudited(ok, { action: 'followup.debrief', actor: tt.id, type: 'followup', id: f.body.id });
  const sa = await post(`/api/v1/enrolments/${id}/self-assessments`, { priorities: 'x', items: [{ competence_id: g.professeur[0], level: 1 }] }, { token: trainee.token });
  assertProblem(sa, 422, 'invalid_field', 'items[0].competence_id');
  await assertNotAudited(sa);
});

// ---------------------------------------------------------------- stale versions

test('412 on a stale version: observation with an old If-Match → version_mismatch, stored text unchanged', async () => {
  const { terrain, inspe } = fx;
  const id = await plan(terrain, { scheduled_at: at('02-02') });
  // Both tutors read version 1; the tuteur terrain saves first.
  const first = await put(`/api/v1/followups/${id}/observation`, { observation_notes: 'Notes du tuteur terrain.' }, { token: terrain.token, headers: ifMatch(1) });
  assert.equal(first.status, 200, show(first));
  await assertAudited(first, { action: 'followup.observe', actor: terrain.me.id, type: 'followup', id });
  const late = await put(`/api/v1/followups/${id}/observation`, { observation_notes: 'Notes du tuteur Inspé.', held: true }, { token: inspe.token, headers: ifMatch(1) });
  assertProblem(late, 412, 'version_mismatch');
  await assertNotAudited(late);
  assert.deepEqual(await row(id, 'state, version, observation_notes'), [['planned', '2', 'Notes du tuteur terrain.']], 'stored text and state unchanged');
  const none = await put(`/api/v1/followups/${id}/observation`, { observation_notes: 'Sans version' }, { token: inspe.token });
  assertProblem(none, 428, 'precondition_required');
  const stalePrep = await put(`/api/v1/followups/${id}/preparation`, { points_to_observe: 'x' }, { token: fx.trainee.token, headers: ifMatch(1) });
  assertProblem(stalePrep, 412, 'version_mismatch');
  const staleDebrief = await put(`/api/v1/followups/${id}/debrief`, { analyses: 'x', levels: [] }, { token: inspe.token, headers: ifMatch(1) });
  assertProblem(staleDebrief, 412, 'version_mismatch');
  for (const r of [none, stalePrep, staleDebrief]) await assertNotAudited(r);
  assert.deepEqual(await row(id, 'state, version, observation_notes, points_to_observe, analyses'), [['planned', '2', 'Notes du tuteur terrain.', null, null]]);
  // Reloaded, the second tutor's save goes through.
  const cur = await get(`/api/v1/followups/${id}`, { token: inspe.token });
  const ok = await put(`/api/v1/followups/${id}/observation`, { observation_notes: 'Notes fusionnées.', held: true }, { token: inspe.token, headers: { 'If-Match': cur.headers.etag } });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.state, 'held');
});

// ---------------------------------------------------------------- traces

test('trainee-first publication: draft, 409 feedback_required, hidden drafts on both sides, then publish; both final', async () => {
  const { trainee, terrain, inspe } = fx;
  const id = await plan(terrain, { scheduled_at: at('03-09') });
  const traceRow = (author) => db(`SELECT retained, axes, body, published_at IS NOT NULL, version FROM trace WHERE followup_id = ${n(id)} AND author = '${author}'`);

  // The tutors draft before anything else.
  const draft = await put(`/api/v1/followups/${id}/trace`, { body: 'Brouillon des tuteurs' }, { token: terrain.token });
  assert.equal(draft.status, 200, show(draft));
  assert.deepEqual(draft.body.trace, { ...draft.body.trace, body: 'Brouillon des tuteurs', published: false, version: 1 });
  await assertAudited(draft, { action: 'trace.save', actor: terrain.me.id, type: 'followup', id });
  assert.deepEqual(await traceRow('tutors'), [[null, null, 'Brouillon des tuteurs', '0', '1']]);
  const byTrainee = await put(`/api/v1/followups/${id}/trace`, { body: 'x' }, { token: trainee.token, headers: ifMatch(1) });
  assertProblem(byTrainee, 403, 'forbidden');

  // The trainee does not see it.
  const seen = await get(`/api/v1/followups/${id}`, { token: trainee.token });
  assert.equal(seen.status, 200, show(seen));
  assert.equal(seen.body.trace, null, 'the tutors\' draft is not the trainee\'s to read');
  assert.ok(!seen.text.includes('Brouillon des tuteurs'));

  // Publishing first is refused, and nothing is published.
  const early = await put(`/api/v1/followups/${id}/trace`, { body: 'Trace finale', publish: true }, { token: inspe.token, headers: ifMatch(1) });
  assertProblem(early, 409, 'feedback_required');
  await assertNotAudited(early);
  assert.deepEqual(await traceRow('tutors'), [[null, null, 'Brouillon des tuteurs', '0', '1']], 'nothing published');

  // The other tutor edits the draft with its version.
  const edit = await put(`/api/v1/followups/${id}/trace`, { body: 'Brouillon repris' }, { token: inspe.token, headers: ifMatch(1) });
  assert.equal(edit.status, 200, show(edit));
  await assertAudited(edit, { action: 'trace.save', actor: inspe.me.id, type: 'followup', id });
  const staleDraft = await put(`/api/v1/followups/${id}/trace`, { body: 'Perdu' }, { token: terrain.token, headers: ifMatch(1) });
  assertProblem(staleDraft, 412, 'version_mismatch');
  const noVersion = await put(`/api/v1/followups/${id}/trace`, { body: 'Perdu' }, { token: terrain.token });
  assertProblem(noVersion, 428, 'precondition_required');

  // The trainee's unsubmitted feedback is theirs alone.
  const saved = await put(`/api/v1/followups/${id}/feedback`, { retained: 'J\'ai retenu…', axes: 'Axe 1' }, { token: trainee.token });
  assert.equal(saved.status, 200, show(saved));
  assert.equal(saved.body.feedback.submitted, false);
  assert.equal(saved.body.feedback.retained, 'J\'ai retenu…');
  await assertAudited(saved, { action: 'trace.feedback_save', actor: trainee.me.id, type: 'followup', id });
  assert.deepEqual(await traceRow('trainee'), [['J\'ai retenu…', 'Axe 1', null, '0', '1']]);
  for (const tutor of [terrain, inspe]) {
    const r = await get(`/api/v1/followups/${id}`, { token: tutor.token });
    assert.equal(r.body.feedback, null, 'an unsubmitted feedback is not the tutors\' to read');
    assert.ok(!r.text.includes('J\'ai retenu'));
    assert.equal(r.body.trace.body, 'Brouillon repris');
  }
  const stillEarly = await put(`/api/v1/followups/${id}/trace`, { body: 'Trace finale', publish: true }, { token: inspe.token, headers: ifMatch(2) });
  assertProblem(stillEarly, 409, 'feedback_required');
  const byTutor = await put(`/api/v1/followups/${id}/feedback`, { retained: 'x', axes: 'y' }, { token: terrain.token });
  assertProblem(byTutor, 403, 'forbidden');

  // Submitted (with its version), it reaches the tutors and is final.
  const staleFb = await put(`/api/v1/followups/${id}/feedback`, { retained: 'R', axes: 'A', submit: true }, { token: trainee.token });
  assertProblem(staleFb, 428, 'precondition_required');
  const submit = await put(`/api/v1/followups/${id}/feedback`, { retained: 'J\'ai retenu la consigne.', axes: 'Reformuler', submit: true }, { token: trainee.token, headers: ifMatch(1) });
  assert.equal(submit.status, 200, show(submit));
  assert.equal(submit.body.feedback.submitted, true);
  assert.equal(submit.body.trace, null, 'the draft is still hidden from the trainee');
  await assertAudited(submit, { action: 'trace.feedback_submit', actor: trainee.me.id, type: 'followup', id });
  assert.deepEqual(await traceRow('trainee'), [['J\'ai retenu la consigne.', 'Reformuler', null, '1', '2']]);
  const forTutor = await get(`/api/v1/followups/${id}`, { token: terrain.token });
  assert.equal(forTutor.body.feedback.retained, 'J\'ai retenu la consigne.');
  assert.equal(forTutor.body.feedback.submitted, true);
  const resubmit = await put(`/api/v1/followups/${id}/feedback`, { retained: 'Changé', axes: 'Changé' }, { token: trainee.token, headers: ifMatch(2) });
  assertProblem(resubmit, 409, 'conflict');
  assert.deepEqual(await traceRow('trainee'), [['J\'ai retenu la consigne.', 'Reformuler', null, '1', '2']], 'submitted feedback is final');

  // Now the tutors publish; the trainee reads it; it is final.
  const pub = await put(`/api/v1/followups/${id}/trace`, { body: 'Trace finale', publish: true }, { token: inspe.token, headers: ifMatch(2) });
  assert.equal(pub.status, 200, show(pub));
  assert.equal(pub.body.trace.published, true);
  await assertAudited(pub, { action: 'trace.publish', actor: inspe.me.id, type: 'followup', id });
  assert.deepEqual(await traceRow('tutors'), [[null, null, 'Trace finale', '1', '3']]);
  const read = await get(`/api/v1/followups/${id}`, { token: trainee.token });
  assert.equal(read.body.trace.body, 'Trace finale');
  assert.equal(read.body.trace.published, true);
  const tl = await get(`/api/v1/enrolments/${fx.enrolmentId}/timeline`, { token: trainee.token });
  const item = tl.body.followups.find((f) => f.id === id);
  assert.equal(item.feedback_submitted, true);
  assert.equal(item.trace_published, true);
  const after = await put(`/api/v1/followups/${id}/trace`, { body: 'Retouche' }, { token: terrain.token, headers: ifMatch(3) });
  assertProblem(after, 409, 'conflict');
  for (const r of [byTrainee, staleDraft, noVersion, stillEarly, byTutor, staleFb, resubmit, after]) await assertNotAudited(r);
  assert.deepEqual(await traceRow('tutors'), [[null, null, 'Trace finale', '1', '3']], 'a published trace is final');
});

// ---------------------------------------------------------------- self-assessment

test('self-assessment: each POST a new revision, all kept, newest first; only the trainee posts; tutors comment', async () => {
  const { trainee, terrain, inspe } = fx;
  const url = `/api/v1/enrolments/${fx.enrolmentId}/self-assessments`;
  const first = await post(url, {
    priorities: 'Gérer les transitions',
    items: [{ competence_id: g.common[0], level: 1, comment: 'Débutant' }, { competence_id: g.professeur[0], level: 2 }],
  }, { token: trainee.token });
  assert.equal(first.status, 201, show(first));
  assert.equal(first.body.revision, 1);
  await assertAudited(first, { action: 'self_assessment.create', actor: trainee.me.id, type: 'self_assessment', id: first.body.id });
  const second = await post(url, { priorities: 'Différencier', items: [{ competence_id: g.common[0], level: 3 }] }, { token: trainee.token });
  assert.equal(second.status, 201, show(second));
  assert.equal(second.body.revision, 2);
  await assertAudited(second, { action: 'self_assessment.create', actor: trainee.me.id, type: 'self_assessment', id: second.body.id });

  const count = () => dbCount(`SELECT COUNT(*) FROM self_assessment WHERE enrolment_id = ${n(fx.enrolmentId)}`);
  assert.equal(await count(), 2);
  for (const [who, body, status, code, field] of [
    [terrain, { priorities: 'x', items: [{ competence_id: g.common[0], level: 1 }] }, 403, 'forbidden'],
    [inspe, { priorities: 'x', items: [{ competence_id: g.common[0], level: 1 }] }, 403, 'forbidden'],
    [trainee, { priorities: 'x', items: [{ competence_id: g.common[0], level: 5 }] }, 422, 'invalid_field', 'items[0].level'],
    [trainee, { priorities: 'x', items: [{ competence_id: g.cpe[0], level: 1 }] }, 422, 'invalid_field', 'items[0].competence_id'],
    [trainee, { priorities: 'x', items: [] }, 422, 'invalid_field', 'items'],
  ]) {
    const res = await post(url, body, { token: who.token });
    if (field === 'items') assert.equal(res.status, 422, show(res));
    else assertProblem(res, status, code, field);
    await assertNotAudited(res);
  }
  assert.equal(await count(), 2, 'nothing stored by the refused posts');

  // Tutors comment a revision; the trainee does not comment their own.
  const comment = await post(`/api/v1/self-assessments/${first.body.id}/comments`, { body: 'Bon début.' }, { token: inspe.token });
  assert.equal(comment.status, 201, show(comment));
  assert.deepEqual(await db(`SELECT assessment_id, author_id, body FROM self_assessment_comment WHERE id = ${n(comment.body.id)}`),
    [[String(first.body.id), String(inspe.me.id), 'Bon début.']]);
  const own = await post(`/api/v1/self-assessments/${first.body.id}/comments`, { body: 'Moi' }, { token: trainee.token });
  assertProblem(own, 403, 'forbidden');
  await assertNotAudited(own);

  const list = await get(url, { token: terrain.token });
  assert.equal(list.status, 200, show(list));
  assert.deepEqual(list.body.items.map((s) => s.revision), [2, 1], 'newest first');
  const [r2, r1] = list.body.items;
  assert.equal(r2.priorities, 'Différencier');
  assert.deepEqual(r2.items, [{ competence_id: g.common[0], level: 3, comment: null }]);
  assert.deepEqual(r2.comments, []);
  assert.equal(r1.priorities, 'Gérer les transitions', 'the first revision is kept as it was');
  assert.deepEqual(r1.items.sort((x, y) => x.competence_id - y.competence_id),
    [{ competence_id: g.common[0], level: 1, comment: 'Débutant' }, { competence_id: g.professeur[0], level: 2, comment: null }]
      .sort((x, y) => x.competence_id - y.competence_id));
  assert.equal(r1.author.id, trainee.me.id);
  assert.deepEqual(r1.comments.map((c) => [c.id, c.author.id, c.body]), [[comment.body.id, inspe.me.id, 'Bon début.']]);
  assert.deepEqual((await db(`SELECT revision, priorities FROM self_assessment WHERE enrolment_id = ${n(fx.enrolmentId)} ORDER BY revision`)),
    [['1', 'Gérer les transitions'], ['2', 'Différencier']]);
  const tl = await get(`/api/v1/enrolments/${fx.enrolmentId}/timeline`, { token: trainee.token });
  assert.deepEqual(tl.body.self_assessments.map((s) => [s.id, s.revision]), [[second.body.id, 2], [first.body.id, 1]]);
});

test('a comment\'s audit row names the comment or its self-assessment, not another object', async () => {
  const { trainee, terrain } = fx;
  const sa = await post(`/api/v1/enrolments/${fx.enrolmentId}/self-assessments`, { priorities: 'x', items: [{ competence_id: g.common[0], level: 2 }] }, { token: trainee.token });
  assert.equal(sa.status, 201, show(sa));
  const comment = await post(`/api/v1/self-assessments/${sa.body.id}/comments`, { body: 'Vu.' }, { token: terrain.token });
  assert.equal(comment.status, 201, show(comment));
  const row = await assertAudited(comment, { action: 'self_assessment.comment', actor: terrain.me.id });
  const named = row.object_type === 'self_assessment' ? sa.body.id : row.object_type === 'self_assessment_comment' ? comment.body.id : null;
  assert.equal(row.object_id, named,
    `the audit row's object (${row.object_type} ${row.object_id}) must be the self-assessment ${sa.body.id} or the comment ${comment.body.id}`);
});

test('a 150,000-byte observation note is stored whole; its audit row has the size of the text, never the text', async () => {
  const { terrain } = fx;
  const id = await plan(terrain);
  // Multibyte and unique, so the audit row can be searched for any part of it.
  const marker = `Observation ${id} : élève très à l’écoute. `;
  let notes = '';
  while (Buffer.byteLength(notes) + Buffer.byteLength(marker) <= 150000) notes += marker;
  notes += 'x'.repeat(150000 - Buffer.byteLength(notes));
  assert.equal(Buffer.byteLength(notes), 150000);
  const res = await put(`/api/v1/followups/${id}/observation`, { observation_notes: notes, held: true }, { token: terrain.token, headers: ifMatch(1) });
  assert.equal(res.status, 200, show(res));
  assert.equal(res.body.state, 'held');
  assert.equal(res.body.observation_notes, notes);
  const sha = createHash('sha256').update(notes).digest('hex');
  assert.deepEqual(await row(id, 'state, version, LENGTH(observation_notes), SHA2(observation_notes, 256)'),
    [['held', '2', '150000', sha]], 'stored whole');
  await assertAudited(res, { action: 'followup.observe', actor: terrain.me.id, type: 'followup', id });
  const detail = JSON.parse(await dbValue(`SELECT detail FROM audit_log WHERE request_id = ${q(res.requestId)}`));
  assert.deepEqual(detail, { held: true, observation_notes: { bytes: 150000 } });
});

test('every successful write of this file left exactly one audit row under its X-Request-Id', async () => {
  await assertEveryWriteAudited(writes);
});
