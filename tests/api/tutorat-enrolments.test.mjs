// Module tutorat mixte (issue 3): enrolments and trios. Create (hours
// budget 5 h, 7 h en renouvellement), one enrolment per trainee and year,
// the roles the trainee and tutors must hold, places, PATCH with If-Match,
// who lists what, and a replaced tutor who loses all access at once.
// Every fixture is made here, in a school year of its own.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  request, get, post, patch, put, show, as, assertProblem, db, dbValue, dbCount, n, academyId, Cleanup,
} from '../lib/index.mjs';
import {
  NO_ID, ifMatch, freshYear, freshPerson, enrol, sessionAs, trioFixture, assertAudited, assertNotAudited,
  trackWrites, assertEveryWriteAudited,
} from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
const writes = trackWrites();
after(() => cleanup.run());

let fx; // the trio fixture: stagiaire1, tuteur.terrain1, tuteur.inspe1 in a fresh year
let admin, bureau;
before(async () => {
  fx = await trioFixture(cleanup);
  admin = fx.admin;
  bureau = await as('lyon', 'bureau1');
  for (const u of ['stagiaire2', 'ien1', 'direction1']) await as('lyon', u);
});

const freshTrainee = () => freshPerson(admin, cleanup, ['stagiaire'], 't-stag');
const baseBody = (traineeId, extra = {}) => ({
  trainee_id: traineeId, year_id: fx.year.id, parcours: 'M2A', degre: 1, category: 'professeur',
  places: [{ school_id: fx.ids.school, class_label: 'CM2' }], ...extra,
});

// ---------------------------------------------------------------- create

test('create: 201 with Location, the stored row (5 h TD), its place, one audit row', async () => {
  const t = await freshTrainee();
  const res = await post('/api/v1/enrolments', baseBody(t.id, { pole_id: fx.ids.pole, inspe_site_id: fx.ids.site }), { token: admin.token });
  assert.equal(res.status, 201, show(res));
  cleanup.enrolment(res.body.id);
  assert.deepEqual(Object.keys(res.body), ['id']);
  assert.equal(res.headers.location, `/api/v1/enrolments/${res.body.id}`);
  await assertAudited(res, { action: 'enrolment.create', actor: admin.me.id, type: 'enrolment', id: res.body.id });
  const refId = await dbValue(`SELECT id FROM referentiel WHERE academy_id = ${fx.ids.lyon} AND current`);
  assert.deepEqual(await db(`SELECT year_id, trainee_id, parcours, degre, category, pole_id, inspe_site_id, renouvellement, inspe_hours, referentiel_id, version
    FROM enrolment WHERE id = ${n(res.body.id)}`),
  [[String(fx.year.id), String(t.id), 'M2A', '1', 'professeur', String(fx.ids.pole), String(fx.ids.site), '0', '5.0', refId, '1']]);
  assert.deepEqual(await db(`SELECT school_id, class_label FROM enrolment_place WHERE enrolment_id = ${n(res.body.id)}`), [[String(fx.ids.school), 'CM2']]);

  const got = await get(`/api/v1/enrolments/${res.body.id}`, { token: admin.token });
  assert.equal(got.status, 200, show(got));
  assert.equal(got.headers.etag, '"1"');
  assert.equal(got.body.inspe_hours, 5);
  assert.equal(got.body.renouvellement, false);
  assert.equal(got.body.relation, 'manager');
  assert.equal(got.body.trainee.id, t.id);
  assert.equal(got.body.year.label, fx.year.label);
  assert.equal(got.body.places.length, 1);
  assert.equal(got.body.places[0].school.id, fx.ids.school);
  assert.equal(got.body.places[0].class_label, 'CM2');
  assert.deepEqual(got.body.tutors, { tuteur_terrain: null, tuteur_inspe: null });
  assert.ok(Array.isArray(got.body.checks));
});

test('create en renouvellement (by the bureau des stages): 7 h TD', async () => {
  const t = await freshTrainee();
  const res = await post('/api/v1/enrolments', baseBody(t.id, { parcours: 'DU', renouvellement: true }), { token: bureau.token });
  assert.equal(res.status, 201, show(res));
  cleanup.enrolment(res.body.id);
  await assertAudited(res, { action: 'enrolment.create', actor: bureau.me.id, type: 'enrolment', id: res.body.id });
  assert.deepEqual(await db(`SELECT parcours, renouvellement, inspe_hours FROM enrolment WHERE id = ${n(res.body.id)}`), [['DU', '1', '7.0']]);
  const got = await get(`/api/v1/enrolments/${res.body.id}`, { token: bureau.token });
  assert.equal(got.body.inspe_hours, 7);
  assert.equal(got.body.renouvellement, true);
});

test('create with the trio: both tutors stored as current trio members and shown', async () => {
  const e = fx.enrolment;
  assert.equal(e.tutors.tuteur_terrain.id, fx.terrain.me.id);
  assert.equal(e.tutors.tuteur_inspe.id, fx.inspe.me.id);
  assert.deepEqual(await db(`SELECT role, person_id, ended_at FROM trio_member WHERE enrolment_id = ${n(fx.enrolmentId)} ORDER BY role`),
    [['tuteur_terrain', String(fx.terrain.me.id), null], ['tuteur_inspe', String(fx.inspe.me.id), null]]);
  for (const [who, rel] of [[fx.trainee, 'trainee'], [fx.terrain, 'tuteur_terrain'], [fx.inspe, 'tuteur_inspe']]) {
    const got = await get(`/api/v1/enrolments/${fx.enrolmentId}`, { token: who.token });
    assert.equal(got.status, 200, show(got));
    assert.equal(got.body.relation, rel);
  }
});

test('one enrolment per trainee and year: 409 trainee_id, nothing stored or audited', async () => {
  const count = () => dbCount(`SELECT COUNT(*) FROM enrolment WHERE year_id = ${n(fx.year.id)} AND trainee_id = ${n(fx.trainee.me.id)}`);
  assert.equal(await count(), 1);
  const res = await post('/api/v1/enrolments', baseBody(fx.trainee.me.id, { parcours: 'DU' }), { token: admin.token });
  assertProblem(res, 409, 'conflict', 'trainee_id');
  await assertNotAudited(res);
  assert.equal(await count(), 1);
  assert.equal(await dbValue(`SELECT parcours FROM enrolment WHERE id = ${n(fx.enrolmentId)}`), 'M2A', 'the first one unchanged');
});

test('create refused: trainee without the stagiaire role, tutors without their role, bad places and references (422, nothing stored)', async () => {
  const plain = await freshPerson(admin, cleanup, [], 't-plain');
  const t = await freshTrainee();
  const grenobleAdmin = await as('grenoble', 'admin');
  const grenobleTrainee = await as('grenoble', 'stagiaire1');
  const g = await academyId('grenoble');
  const grenobleSchool = Number(await dbValue(`SELECT id FROM structure WHERE academy_id = ${g} AND kind = 'school' ORDER BY id LIMIT 1`));
  const grenobleYear = Number(await dbValue(`SELECT id FROM school_year WHERE academy_id = ${g} AND current`));
  const before = await dbCount(`SELECT COUNT(*) FROM enrolment WHERE year_id = ${n(fx.year.id)}`);
  for (const [body, status, code, field] of [
    [baseBody(plain.id), 422, 'invalid_field', 'trainee_id'],
    [baseBody(fx.terrain.me.id), 422, 'invalid_field', 'trainee_id'],
    [baseBody(grenobleTrainee.me.id), 422, 'invalid_field', 'trainee_id'],
    [baseBody(t.id, { tuteur_inspe_id: fx.terrain.me.id }), 422, 'invalid_field', 'tuteur_inspe_id'],
    [baseBody(t.id, { tuteur_terrain_id: fx.inspe.me.id }), 422, 'invalid_field', 'tuteur_terrain_id'],
    [baseBody(t.id, { tuteur_terrain_id: fx.terrain.me.id, tuteur_inspe_id: fx.trainee.me.id }), 422, 'invalid_field', 'tuteur_inspe_id'],
    [baseBody(t.id, { places: [{ school_id: fx.ids.pole }] }), 422, 'invalid_field', 'places[0].school_id'],
    [baseBody(t.id, { places: [{ school_id: fx.ids.school }, { school_id: NO_ID }] }), 422, 'invalid_field', 'places[1].school_id'],
    [baseBody(t.id, { places: [{ school_id: grenobleSchool }] }), 422, 'invalid_field', 'places[0].school_id'],
    [baseBody(t.id, { pole_id: fx.ids.school }), 422, 'invalid_field', 'pole_id'],
    [baseBody(t.id, { inspe_site_id: fx.ids.pole }), 422, 'invalid_field', 'inspe_site_id'],
    [baseBody(t.id, { year_id: grenobleYear }), 422, 'invalid_field', 'year_id'],
    [baseBody(t.id, { parcours: 'M3' }), 422, 'invalid_field', 'parcours'],
    [baseBody(t.id, { category: 'directeur' }), 422, 'invalid_field', 'category'],
  ]) {
    const res = await post('/api/v1/enrolments', body, { token: admin.token });
    assertProblem(res, status, code, field);
    await assertNotAudited(res);
  }
  assert.equal(await dbCount(`SELECT COUNT(*) FROM enrolment WHERE year_id = ${n(fx.year.id)}`), before, 'no refused enrolment stored (rolled back)');
  assert.equal(await dbCount(`SELECT COUNT(*) FROM enrolment WHERE trainee_id = ${n(t.id)}`), 0, 'a tutor refusal leaves no half-made enrolment');
  assert.equal(await dbCount(`SELECT COUNT(*) FROM enrolment WHERE academy_id = ${g} AND trainee_id = ${n(grenobleTrainee.me.id)} AND year_id = ${n(fx.year.id)}`), 0);

  // Only managers enrol; another académie's admin cannot reach this one.
  for (const who of [fx.terrain, fx.inspe, fx.trainee, await as('lyon', 'ien1')]) {
    const res = await post('/api/v1/enrolments', baseBody(t.id), { token: who.token });
    assertProblem(res, 403, 'forbidden');
    await assertNotAudited(res);
  }
  const cross = await post('/api/v1/enrolments', baseBody(t.id), { token: grenobleAdmin.token });
  assertProblem(cross, 422, 'invalid_field', 'trainee_id');
  assert.equal(await dbCount(`SELECT COUNT(*) FROM enrolment WHERE trainee_id = ${n(t.id)}`), 0);
});

// ---------------------------------------------------------------- PATCH

test('PATCH with If-Match: 200, version+1, renouvellement → 7 h; stale 412; none 428; row unchanged', async () => {
  const t = await freshTrainee();
  const id = await enrol(admin, cleanup, baseBody(t.id));
  const ok = await patch(`/api/v1/enrolments/${id}`, { renouvellement: true, parcours: 'DU', places: [{ school_id: fx.ids.otherSchool, class_label: 'CP' }] },
    { token: admin.token, headers: ifMatch(1) });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.version, 2);
  assert.equal(ok.headers.etag, '"2"');
  assert.equal(ok.body.inspe_hours, 7);
  assert.equal(ok.body.parcours, 'DU');
  assert.deepEqual(ok.body.places.map((p) => [p.school.id, p.class_label]), [[fx.ids.otherSchool, 'CP']]);
  await assertAudited(ok, { action: 'enrolment.update', actor: admin.me.id, type: 'enrolment', id });
  const row = () => db(`SELECT parcours, renouvellement, inspe_hours, version FROM enrolment WHERE id = ${n(id)}`);
  assert.deepEqual(await row(), [['DU', '1', '7.0', '2']]);

  const stale = await patch(`/api/v1/enrolments/${id}`, { renouvellement: false }, { token: admin.token, headers: ifMatch(1) });
  assertProblem(stale, 412, 'version_mismatch');
  const none = await patch(`/api/v1/enrolments/${id}`, { renouvellement: false }, { token: admin.token });
  assertProblem(none, 428, 'precondition_required');
  for (const r of [stale, none]) await assertNotAudited(r);
  assert.deepEqual(await row(), [['DU', '1', '7.0', '2']], 'row unchanged');

  const back = await patch(`/api/v1/enrolments/${id}`, { renouvellement: false }, { token: bureau.token, headers: ifMatch(2) });
  assert.equal(back.status, 200, show(back));
  assert.equal(back.body.inspe_hours, 5);
  assert.deepEqual(await row(), [['DU', '0', '5.0', '3']]);
  await assertAudited(back, { action: 'enrolment.update', actor: bureau.me.id, type: 'enrolment', id });

  const tutor = await patch(`/api/v1/enrolments/${fx.enrolmentId}`, { renouvellement: true }, { token: fx.inspe.token, headers: ifMatch(1) });
  assertProblem(tutor, 403, 'forbidden');
  const unknown = await patch(`/api/v1/enrolments/${NO_ID}`, { renouvellement: true }, { token: admin.token, headers: ifMatch(1) });
  assertProblem(unknown, 404, 'not_found');
});

// ---------------------------------------------------------------- who lists what

test('list visibility: a tutor sees their trainees only, a trainee themself, admin and bureau all, ien1 those of their pôle or circonscription', async () => {
  const otherTerrain = await freshPerson(admin, cleanup, ['tuteur_terrain'], 't-tt');
  const otherInspe = await freshPerson(admin, cleanup, ['tuteur_inspe'], 't-ti');
  const otherIen = await freshPerson(admin, cleanup, [{ role: 'ien', scope_kind: 'circonscription', scope_id: fx.ids.otherCirc }], 't-ien');
  // Elsewhere: another pôle, a school of another circonscription, other tutors.
  const eOther = await enrol(admin, cleanup, baseBody((await freshTrainee()).id, {
    pole_id: fx.ids.otherPole, places: [{ school_id: fx.ids.otherSchool }], tuteur_terrain_id: otherTerrain.id, tuteur_inspe_id: otherInspe.id,
  }));
  // In ien1's pôle, no place; and no pôle but a school of ien1's circonscription.
  const ePole = await enrol(admin, cleanup, baseBody((await freshTrainee()).id, { pole_id: fx.ids.pole, places: [] }));
  const eCirc = await enrol(admin, cleanup, baseBody((await freshTrainee()).id, { places: [{ school_id: fx.ids.school }] }));

  const list = async (who) => {
    const res = await get('/api/v1/enrolments', { token: who.token, query: { year_id: fx.year.id, limit: 200 } });
    assert.equal(res.status, 200, show(res));
    assert.equal(res.body.total, res.body.items.length);
    return res.body.items;
  };
  const ids = (items) => items.map((e) => e.id).sort((x, y) => x - y);
  const idsOf = async (sql) => (await db(sql)).map(([id]) => Number(id)).sort((x, y) => x - y);
  const all = await idsOf(`SELECT id FROM enrolment WHERE year_id = ${n(fx.year.id)}`);
  // The enrolments of the year in a pôle, or with a place in a circonscription (those of the earlier tests too).
  const inScope = (pole, circ) => idsOf(`SELECT e.id FROM enrolment e WHERE e.year_id = ${n(fx.year.id)} AND (${pole === null ? 'FALSE' : `e.pole_id = ${n(pole)}`}
    OR EXISTS (SELECT 1 FROM enrolment_place ep JOIN structure s ON s.id = ep.school_id WHERE ep.enrolment_id = e.id AND s.parent_id = ${n(circ)}))`);
  assert.ok(all.length >= 4);

  assert.deepEqual(ids(await list(admin)), all);
  assert.ok((await list(admin)).every((e) => e.relation === 'manager'));
  assert.deepEqual(ids(await list(bureau)), all);
  const direction = await as('lyon', 'direction1');
  assert.deepEqual(ids(await list(direction)), all);

  const terrainItems = await list(fx.terrain);
  assert.deepEqual(ids(terrainItems), [fx.enrolmentId]);
  assert.equal(terrainItems[0].relation, 'tuteur_terrain');
  assert.deepEqual(ids(await list(fx.inspe)), [fx.enrolmentId]);
  const traineeItems = await list(fx.trainee);
  assert.deepEqual(ids(traineeItems), [fx.enrolmentId]);
  assert.equal(traineeItems[0].relation, 'trainee');
  assert.deepEqual(ids(await list(await as('lyon', 'stagiaire2'))), []);

  const ienItems = await list(await as('lyon', 'ien1'));
  for (const id of [fx.enrolmentId, ePole, eCirc]) assert.ok(ids(ienItems).includes(id), `ien1 sees ${id}`);
  assert.ok(!ids(ienItems).includes(eOther), 'ien1 does not see another pôle\'s trainee');
  assert.deepEqual(ids(ienItems), await inScope(fx.ids.pole, fx.ids.circ), 'ien1: the pôle they pilot and the circonscription they inspect, nothing else');
  assert.ok(ienItems.every((e) => e.relation === 'pilot'));

  const other = await sessionAs('lyon', otherTerrain.id);
  assert.deepEqual(ids(await list(other)), [eOther], 'another tutor sees their own trainee only');
  const ien2 = await sessionAs('lyon', otherIen.id);
  const ien2Items = ids(await list(ien2));
  assert.ok(ien2Items.includes(eOther) && !ien2Items.includes(fx.enrolmentId) && !ien2Items.includes(ePole) && !ien2Items.includes(eCirc), `${ien2Items}`);
  assert.deepEqual(ien2Items, await inScope(null, fx.ids.otherCirc), 'an IEN of another circonscription sees only theirs');

  const grenobleAdmin = await as('grenoble', 'admin');
  assert.deepEqual(ids(await list(grenobleAdmin)), [], 'nothing of Lyon from Grenoble');

  // The same, one by one: someone without a relation gets the unknown id's 404.
  const unknown = await get(`/api/v1/enrolments/${NO_ID}`, { token: admin.token });
  assertProblem(unknown, 404, 'not_found');
  for (const [who, id] of [[await as('lyon', 'stagiaire2'), fx.enrolmentId], [fx.terrain, eOther], [other, fx.enrolmentId],
    [ien2, fx.enrolmentId], [grenobleAdmin, fx.enrolmentId], [await as('grenoble', 'stagiaire1'), fx.enrolmentId]]) {
    const res = await get(`/api/v1/enrolments/${id}`, { token: who.token });
    assert.equal(res.status, 404, show(res));
    assert.equal(res.text, unknown.text, 'byte-identical to an unknown id');
  }
  const asPilot = await get(`/api/v1/enrolments/${ePole}`, { token: (await as('lyon', 'ien1')).token });
  assert.equal(asPilot.status, 200, show(asPilot));
  assert.equal(asPilot.body.relation, 'pilot');
});

test('checks: the timeline shows the same checks as GET /enrolments/{id} right after the year\'s calendar changes', async () => {
  const timeline = `/api/v1/enrolments/${fx.enrolmentId}/timeline`;
  const codes = (checks) => checks.map((c) => c.code).sort();
  const before = await get(`/api/v1/enrolments/${fx.enrolmentId}`, { token: fx.terrain.token });
  assert.ok(!codes(before.body.checks).includes('no_visit_before_meeting_1'), 'no pôle meeting yet in this year');
  for (let i = 0; i < 40; i++) {
    const r = await get(timeline, { token: (i % 2 ? fx.terrain : fx.trainee).token });
    assert.equal(r.status, 200, show(r));
  }
  const a = Number(fx.year.label.slice(0, 4));
  const ev = await post(`/api/v1/years/${fx.year.id}/events`, { kind: 'pole_meeting_1', label: 'Réunion de pôle N°1', starts_on: `${a}-10-13`, ends_on: `${a}-10-13` }, { token: admin.token });
  assert.equal(ev.status, 201, show(ev));
  const now = await get(`/api/v1/enrolments/${fx.enrolmentId}`, { token: fx.terrain.token });
  assert.ok(codes(now.body.checks).includes('no_visit_before_meeting_1'), JSON.stringify(now.body.checks));
  const stale = [];
  for (let i = 0; i < 40; i++) {
    const who = i % 2 ? fx.terrain : fx.trainee;
    const r = await get(timeline, { token: who.token });
    if (JSON.stringify(codes(r.body.enrolment.checks)) !== JSON.stringify(codes(now.body.checks))) stale.push(codes(r.body.enrolment.checks).join(','));
  }
  assert.deepEqual(stale, [], `${stale.length} of 40 timeline reads show checks from before the calendar change`);
});

// ---------------------------------------------------------------- a tutor replaced

test('a replaced tuteur Inspé loses everything of that enrolment at once; trio_member keeps the history', async () => {
  // A year of its own, so that stagiaire1 can be enrolled again with the demo tutors.
  const year = await freshYear(admin, cleanup);
  const a = Number(year.label.slice(0, 4));
  const id = await enrol(admin, cleanup, {
    ...fx.body, year_id: year.id,
  });
  const { trainee, terrain, inspe } = fx;
  const visit = await post(`/api/v1/enrolments/${id}/followups`, {
    kind: 'visit', scheduled_at: `${a}-11-24T09:00`, with_terrain: true, with_inspe: true,
  }, { token: inspe.token });
  assert.equal(visit.status, 201, show(visit));
  const fid = visit.body.id;
  const grid = (await get(`/api/v1/referentiels/${fx.enrolment.referentiel_id}`, { token: trainee.token })).body.competences;
  const sa = await post(`/api/v1/enrolments/${id}/self-assessments`, { priorities: 'Gestion de classe', items: [{ competence_id: grid[0].id, level: 2 }] }, { token: trainee.token });
  assert.equal(sa.status, 201, show(sa));
  const bilan = await post(`/api/v1/enrolments/${id}/bilans`, { kind: 'intermediaire' }, { token: inspe.token });
  assert.equal(bilan.status, 201, show(bilan));
  const doc = await request('POST', `/api/v1/followups/${fid}/documents`, { token: trainee.token, query: { filename: 'seance.pdf' }, body: '%PDF-1.4\n% test\n', headers: { 'Content-Type': 'application/pdf' } });
  assert.equal(doc.status, 201, show(doc));
  const reads = [
    `/api/v1/enrolments/${id}`, `/api/v1/enrolments/${id}/timeline`, `/api/v1/followups/${fid}`,
    `/api/v1/enrolments/${id}/self-assessments`, `/api/v1/enrolments/${id}/bilans`, `/api/v1/bilans/${bilan.body.id}`,
    `/api/v1/enrolments/${id}/result`, `/api/v1/documents/${doc.body.id}`,
  ];
  for (const path of reads) assert.equal((await get(path, { token: inspe.token })).status, 200, `before: ${path}`);

  const successor = await freshPerson(admin, cleanup, ['tuteur_inspe'], 't-ti');
  const version = (await get(`/api/v1/enrolments/${id}`, { token: admin.token })).body.version;
  // The person named must hold the role; a tutor may not replace by themself.
  const wrongRole = await put(`/api/v1/enrolments/${id}/tutors`, { tuteur_inspe_id: terrain.me.id }, { token: admin.token, headers: ifMatch(version) });
  assertProblem(wrongRole, 422, 'invalid_field', 'tuteur_inspe_id');
  const nobody = await put(`/api/v1/enrolments/${id}/tutors`, {}, { token: admin.token, headers: ifMatch(version) });
  assertProblem(nobody, 422, 'missing_field');
  const byTutor = await put(`/api/v1/enrolments/${id}/tutors`, { tuteur_inspe_id: successor.id }, { token: terrain.token, headers: ifMatch(version) });
  assertProblem(byTutor, 403, 'forbidden');
  // A change of the enrolment like any other (issue 8 §3): If-Match, 412 when stale.
  const blind = await put(`/api/v1/enrolments/${id}/tutors`, { tuteur_inspe_id: successor.id }, { token: admin.token });
  assertProblem(blind, 428, 'precondition_required');
  const stale = await put(`/api/v1/enrolments/${id}/tutors`, { tuteur_inspe_id: successor.id }, { token: admin.token, headers: ifMatch(version - 1) });
  assertProblem(stale, 412, 'version_mismatch');
  for (const r of [wrongRole, nobody, byTutor, blind, stale]) await assertNotAudited(r);
  assert.equal(await dbCount(`SELECT COUNT(*) FROM trio_member WHERE enrolment_id = ${n(id)} AND ended_at IS NOT NULL`), 0);

  const res = await put(`/api/v1/enrolments/${id}/tutors`, { tuteur_inspe_id: successor.id }, { token: admin.token, headers: ifMatch(version) });
  assert.equal(res.status, 200, show(res));
  assert.equal(res.body.version, version + 1, 'the replacement raised the enrolment\'s version');
  assert.equal(res.headers.etag, `"${version + 1}"`);
  // A second manager working from the page read before: 412, the first one's choice stays.
  const other = await freshPerson(admin, cleanup, ['tuteur_inspe'], 't-ti');
  const late = await put(`/api/v1/enrolments/${id}/tutors`, { tuteur_inspe_id: other.id }, { token: admin.token, headers: ifMatch(version) });
  assertProblem(late, 412, 'version_mismatch');
  await assertNotAudited(late);
  assert.equal(res.body.tutors.tuteur_inspe.id, successor.id);
  assert.equal(res.body.tutors.tuteur_terrain.id, terrain.me.id);
  await assertAudited(res, { action: 'enrolment.tutors', actor: admin.me.id, type: 'enrolment', id });
  const rows = await db(`SELECT person_id, role, ended_at IS NOT NULL FROM trio_member WHERE enrolment_id = ${n(id)} ORDER BY started_at, role`);
  assert.deepEqual(rows.map((r) => r.join(' ')).sort(), [
    `${inspe.me.id} tuteur_inspe 1`, `${successor.id} tuteur_inspe 0`, `${terrain.me.id} tuteur_terrain 0`,
  ].sort(), 'the former tutor\'s row is ended, not deleted');

  // The former tutor: every read and write of that enrolment is the unknown id's 404.
  const unknownOf = (path) => path.replace(/\/(\d+)(?=\/|$)/, `/${NO_ID}`);
  for (const path of reads) {
    const r = await get(path, { token: inspe.token });
    const u = await get(unknownOf(path), { token: inspe.token });
    assert.equal(r.status, 404, `after: ${path}: ${show(r)}`);
    assert.equal(r.text, u.text, `${path}: byte-identical to an unknown id`);
  }
  const writes = [
    ['PUT', `/api/v1/followups/${fid}/observation`, { observation_notes: 'x', held: true }],
    ['POST', `/api/v1/enrolments/${id}/followups`, { kind: 'visit', scheduled_at: `${a}-12-01T09:00`, with_terrain: false, with_inspe: true }],
    ['PUT', `/api/v1/bilans/${bilan.body.id}`, { items: [] }],
    ['POST', `/api/v1/bilans/${bilan.body.id}/validate`, undefined],
    ['POST', `/api/v1/self-assessments/${sa.body.id}/comments`, { body: 'Encore moi' }],
    ['PUT', `/api/v1/followups/${fid}/trace`, { body: 'x' }],
  ];
  const fuVersion = await dbValue(`SELECT version FROM followup WHERE id = ${n(fid)}`);
  for (const [method, path, json] of writes) {
    const r = await request(method, path, { token: inspe.token, json, headers: ifMatch(fuVersion) });
    assertProblem(r, 404, 'not_found');
    await assertNotAudited(r);
  }
  const listed = await get('/api/v1/enrolments', { token: inspe.token, query: { year_id: year.id } });
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.items, [], 'gone from the former tutor\'s list');
  assert.equal(listed.body.total, 0);

  // The successor and the tuteur terrain go on.
  const succ = await sessionAs('lyon', successor.id);
  const now = await get(`/api/v1/followups/${fid}`, { token: succ.token });
  assert.equal(now.status, 200, show(now));
  const enr = await get(`/api/v1/enrolments/${id}`, { token: succ.token });
  assert.equal(enr.body.relation, 'tuteur_inspe');
  assert.equal((await get(`/api/v1/followups/${fid}`, { token: terrain.token })).status, 200);
});

test('every successful write of this file left exactly one audit row under its X-Request-Id', async () => {
  await assertEveryWriteAudited(writes);
});
