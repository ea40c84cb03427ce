// Module tutorat mixte (issue 3): bilans, result and disagreement. A bilan
// is written by both tutors with If-Match, validated by each, frozen once
// both have, corrected only by a new revision; the note (M2A) or avis (DU)
// is the tuteur Inspé's, suggested from the frozen final bilan through the
// académie's conversion table; in the 1er degré the tuteur terrain may
// signal disagreement, which the IEN or pôle pilot of the trainee sees.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  request, get, post, put, show, as, assertProblem, db, dbSession, dbValue, dbCount, n, pollUntil, Cleanup,
} from '../lib/index.mjs';
import {
  ifMatch, freshPerson, enrol, sessionAs, trioFixture, grid, assertAudited, assertNotAudited,
  trackWrites, assertEveryWriteAudited,
} from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
const writes = trackWrites();

const DEFAULT_M2A = [['1.00', '5'], ['1.50', '8'], ['2.00', '10'], ['2.50', '12'], ['3.00', '15'], ['3.50', '17'], ['4.00', '20']]
  .map(([min_mean, note]) => ({ min_mean, note }));
async function restoreM2A() {
  const admin = await as('lyon', 'admin');
  const res = await put('/api/v1/conversion-rules/M2A', { rules: DEFAULT_M2A }, { token: admin.token });
  assert.equal(res.status, 200, `restoring the default M2A table: ${show(res)}`);
}
after(async () => {
  try {
    await restoreM2A();
  } finally {
    await cleanup.run();
  }
});

let fx, g, du;
before(async () => {
  fx = await trioFixture(cleanup);
  g = await grid(fx.trainee.token, fx.enrolment.referentiel_id);
  // stagiaire2 in the same year, DU, with the same demo tutors.
  const s2 = await as('lyon', 'stagiaire2');
  du = await enrol(fx.admin, cleanup, {
    ...fx.body, trainee_id: s2.me.id, parcours: 'DU',
  });
});

/** The professeur grid (common + professeur competences) with one level for all. */
const gridItems = (level, comment = null) => [...g.common, ...g.professeur].map((competence_id) => ({ competence_id, level, comment }));

async function readBilan(id, who = fx.inspe) {
  const res = await get(`/api/v1/bilans/${id}`, { token: who.token });
  assert.equal(res.status, 200, show(res));
  assert.equal(res.headers.etag, `"${res.body.version}"`);
  return res.body;
}

/** PUT the items, then both tutors validate: the bilan is frozen. */
async function fillAndFreeze(id, items, terrain = fx.terrain, inspe = fx.inspe) {
  let b = await readBilan(id, inspe);
  const w = await put(`/api/v1/bilans/${id}`, { items }, { token: inspe.token, headers: ifMatch(b.version) });
  assert.equal(w.status, 200, show(w));
  const v1 = await post(`/api/v1/bilans/${id}/validate`, undefined, { token: terrain.token, headers: ifMatch(w.body.version) });
  assert.equal(v1.status, 200, show(v1));
  const v2 = await post(`/api/v1/bilans/${id}/validate`, undefined, { token: inspe.token, headers: ifMatch(v1.body.version) });
  assert.equal(v2.status, 200, show(v2));
  assert.equal(v2.body.frozen, true);
  return v2.body;
}

async function createBilan(enrolmentId, kind, who) {
  const res = await post(`/api/v1/enrolments/${enrolmentId}/bilans`, { kind }, { token: who.token });
  assert.equal(res.status, 201, show(res));
  await assertAudited(res, { action: 'bilan.create', actor: who.me.id, type: 'bilan', id: res.body.id });
  return res.body.id;
}

const bilanRow = (id) => db(`SELECT revision, version, validated_terrain_at IS NOT NULL, validated_inspe_at IS NOT NULL, frozen_at FROM bilan WHERE id = ${n(id)}`);
const itemRows = (id) => db(`SELECT competence_id, level_rank, comment FROM bilan_item WHERE bilan_id = ${n(id)} ORDER BY competence_id`);

// ---------------------------------------------------------------- bilans

test('bilans: the tutors create one of each kind (409 if it exists); the trainee reads them', async () => {
  const { trainee, terrain, inspe } = fx;
  const url = `/api/v1/enrolments/${fx.enrolmentId}/bilans`;
  const byTrainee = await post(url, { kind: 'intermediaire' }, { token: trainee.token });
  assertProblem(byTrainee, 403, 'forbidden');
  await assertNotAudited(byTrainee);
  const id = await createBilan(fx.enrolmentId, 'intermediaire', inspe);
  assert.deepEqual(await db(`SELECT enrolment_id, kind, revision, version, referentiel_id, frozen_at FROM bilan WHERE id = ${n(id)}`),
    [[String(fx.enrolmentId), 'intermediaire', '1', '1', String(fx.enrolment.referentiel_id), null]]);
  const dup = await post(url, { kind: 'intermediaire' }, { token: terrain.token });
  assertProblem(dup, 409, 'conflict', 'kind');
  await assertNotAudited(dup);
  const bad = await post(url, { kind: 'annuel' }, { token: terrain.token });
  assertProblem(bad, 422, 'invalid_field', 'kind');
  assert.equal(await dbCount(`SELECT COUNT(*) FROM bilan WHERE enrolment_id = ${n(fx.enrolmentId)}`), 1);
  const list = await get(url, { token: trainee.token });
  assert.equal(list.status, 200, show(list));
  assert.deepEqual(list.body.items.map((b) => [b.id, b.kind, b.revision, b.frozen, b.version]), [[id, 'intermediaire', 1, false, 1]]);
});

test('bilan: PUT with If-Match, validation by both freezes it, frozen → 409 bilan_frozen, revise → a new draft with the same items', async () => {
  const { trainee, terrain, inspe } = fx;
  const [[idStr]] = await db(`SELECT id FROM bilan WHERE enrolment_id = ${n(fx.enrolmentId)} AND kind = 'intermediaire' AND revision = 1`);
  const id = Number(idStr);
  const items = gridItems(2, 'En progrès');

  const put1 = await put(`/api/v1/bilans/${id}`, { items }, { token: terrain.token, headers: ifMatch(1) });
  assert.equal(put1.status, 200, show(put1));
  assert.equal(put1.body.version, 2);
  assert.equal(put1.headers.etag, '"2"');
  assert.equal(put1.body.items.length, items.length);
  await assertAudited(put1, { action: 'bilan.update', actor: terrain.me.id, type: 'bilan', id });
  assert.equal((await itemRows(id)).length, items.length);

  for (const [who, body, headers, status, code, field] of [
    [inspe, { items }, ifMatch(1), 412, 'version_mismatch'],
    [inspe, { items }, {}, 428, 'precondition_required'],
    [trainee, { items }, ifMatch(2), 403, 'forbidden'],
    [inspe, { items: [{ competence_id: g.common[0], level: 5 }] }, ifMatch(2), 422, 'invalid_field', 'items[0].level'],
    [inspe, { items: [{ competence_id: g.cpe[0], level: 2 }] }, ifMatch(2), 422, 'invalid_field', 'items[0].competence_id'],
  ]) {
    const r = await put(`/api/v1/bilans/${id}`, body, { token: who.token, headers });
    assertProblem(r, status, code, field);
    await assertNotAudited(r);
  }
  assert.deepEqual((await bilanRow(id)).map((r) => r.slice(0, 4)), [['1', '2', '0', '0']]);

  // Validation is of the version read: a stale If-Match is 412.
  const staleValidate = await post(`/api/v1/bilans/${id}/validate`, undefined, { token: terrain.token, headers: ifMatch(1) });
  assertProblem(staleValidate, 412, 'version_mismatch');
  const noVersion = await post(`/api/v1/bilans/${id}/validate`, undefined, { token: terrain.token });
  assertProblem(noVersion, 428, 'precondition_required');
  const traineeValidates = await post(`/api/v1/bilans/${id}/validate`, undefined, { token: trainee.token, headers: ifMatch(2) });
  assertProblem(traineeValidates, 403, 'forbidden');
  for (const r of [staleValidate, noVersion, traineeValidates]) await assertNotAudited(r);
  assert.deepEqual((await bilanRow(id)).map((r) => r.slice(0, 4)), [['1', '2', '0', '0']], 'not validated');

  const vt = await post(`/api/v1/bilans/${id}/validate`, undefined, { token: terrain.token, headers: ifMatch(2) });
  assert.equal(vt.status, 200, show(vt));
  assert.equal(vt.body.validated_terrain, true);
  assert.equal(vt.body.frozen, false);
  await assertAudited(vt, { action: 'bilan.validate', actor: terrain.me.id, type: 'bilan', id });
  assert.deepEqual(await bilanRow(id), [['1', '3', '1', '0', null]]);

  // A change withdraws the validations already given.
  const change = await put(`/api/v1/bilans/${id}`, { items: gridItems(2, 'Corrigé') }, { token: inspe.token, headers: ifMatch(3) });
  assert.equal(change.status, 200, show(change));
  assert.equal(change.body.validated_terrain, false);
  assert.deepEqual(await bilanRow(id), [['1', '4', '0', '0', null]]);
  const vt2 = await post(`/api/v1/bilans/${id}/validate`, undefined, { token: terrain.token, headers: ifMatch(4) });
  assert.equal(vt2.status, 200, show(vt2));
  // The tuteur Inspé read version 4: the terrain's validation made it 5.
  const late = await post(`/api/v1/bilans/${id}/validate`, undefined, { token: inspe.token, headers: ifMatch(4) });
  assertProblem(late, 412, 'version_mismatch');
  await assertNotAudited(late);
  const vi = await post(`/api/v1/bilans/${id}/validate`, undefined, { token: inspe.token, headers: ifMatch(5) });
  assert.equal(vi.status, 200, show(vi));
  assert.equal(vi.body.frozen, true);
  assert.ok(vi.body.frozen_at);
  await assertAudited(vi, { action: 'bilan.validate', actor: inspe.me.id, type: 'bilan', id });
  const [frozenRow] = await bilanRow(id);
  assert.deepEqual(frozenRow.slice(0, 4), ['1', '6', '1', '1']);
  assert.notEqual(frozenRow[4], null, 'frozen_at set in the row');
  const frozenItems = await itemRows(id);

  // Frozen: no change, no new validation.
  const frozenPut = await put(`/api/v1/bilans/${id}`, { items: gridItems(4) }, { token: inspe.token, headers: ifMatch(6) });
  assertProblem(frozenPut, 409, 'bilan_frozen');
  const frozenValidate = await post(`/api/v1/bilans/${id}/validate`, undefined, { token: terrain.token, headers: ifMatch(6) });
  assertProblem(frozenValidate, 409, 'bilan_frozen');
  for (const r of [frozenPut, frozenValidate]) await assertNotAudited(r);
  assert.deepEqual(await bilanRow(id), [frozenRow]);
  assert.deepEqual(await itemRows(id), frozenItems);

  // A draft is not revised; the frozen one is, into revision 2 with the same items.
  const finalId = await createBilan(fx.enrolmentId, 'final', terrain);
  const draftRevise = await post(`/api/v1/bilans/${finalId}/revise`, undefined, { token: terrain.token });
  assertProblem(draftRevise, 409, 'conflict');
  const traineeRevise = await post(`/api/v1/bilans/${id}/revise`, undefined, { token: trainee.token });
  assertProblem(traineeRevise, 403, 'forbidden');
  for (const r of [draftRevise, traineeRevise]) await assertNotAudited(r);
  const rev = await post(`/api/v1/bilans/${id}/revise`, undefined, { token: terrain.token });
  assert.equal(rev.status, 201, show(rev));
  const newId = rev.body.id;
  assert.notEqual(newId, id);
  await assertAudited(rev, { action: 'bilan.revise', actor: terrain.me.id, type: 'bilan', id: newId });
  const fresh = await readBilan(newId, trainee);
  assert.equal(fresh.kind, 'intermediaire');
  assert.equal(fresh.revision, 2);
  assert.equal(fresh.frozen, false);
  assert.equal(fresh.validated_terrain, false);
  assert.equal(fresh.validated_inspe, false);
  assert.deepEqual(await itemRows(newId), frozenItems, 'the same items');
  assert.deepEqual(await bilanRow(id), [frozenRow], 'the frozen revision unchanged');
  const again = await post(`/api/v1/bilans/${id}/revise`, undefined, { token: inspe.token });
  assertProblem(again, 409, 'conflict');
  await assertNotAudited(again);

  // The new draft is edited alone.
  const edit = await put(`/api/v1/bilans/${newId}`, { items: gridItems(3) }, { token: inspe.token, headers: ifMatch(fresh.version) });
  assert.equal(edit.status, 200, show(edit));
  assert.deepEqual(await itemRows(id), frozenItems, 'the frozen revision\'s items unchanged');
  const list = await get(`/api/v1/enrolments/${fx.enrolmentId}/bilans`, { token: trainee.token });
  const inter = list.body.items.filter((b) => b.kind === 'intermediaire').map((b) => [b.revision, b.frozen, b.superseded]);
  assert.deepEqual(inter, [[1, true, true], [2, false, false]]);
});

// ---------------------------------------------------------------- result

test('result: 409 final_bilan_not_frozen before; then the suggestion from the table (all 3 → 3.0 → 15); the table changes it', async () => {
  const { trainee, terrain, inspe, admin } = fx;
  const url = `/api/v1/enrolments/${fx.enrolmentId}/result`;
  const empty = await get(url, { token: trainee.token });
  assert.equal(empty.status, 200, show(empty));
  assert.deepEqual(empty.body, { result: null, suggestion: null, report: null });
  const early = await put(url, { note: '15' }, { token: inspe.token });
  assertProblem(early, 409, 'final_bilan_not_frozen');
  await assertNotAudited(early);
  assert.equal(await dbCount(`SELECT COUNT(*) FROM result WHERE enrolment_id = ${n(fx.enrolmentId)}`), 0);

  const [[finalId]] = await db(`SELECT id FROM bilan WHERE enrolment_id = ${n(fx.enrolmentId)} AND kind = 'final'`);
  // Validated by one tutor only: still not frozen.
  const b = await readBilan(finalId);
  const w = await put(`/api/v1/bilans/${finalId}`, { items: gridItems(3) }, { token: inspe.token, headers: ifMatch(b.version) });
  assert.equal(w.status, 200, show(w));
  const half = await post(`/api/v1/bilans/${finalId}/validate`, undefined, { token: inspe.token, headers: ifMatch(w.body.version) });
  assert.equal(half.status, 200, show(half));
  assertProblem(await put(url, { note: '15' }, { token: inspe.token }), 409, 'final_bilan_not_frozen');
  assert.equal((await get(url, { token: inspe.token })).body.suggestion, null);
  const both = await post(`/api/v1/bilans/${finalId}/validate`, undefined, { token: terrain.token, headers: ifMatch(half.body.version) });
  assert.equal(both.status, 200, show(both));
  assert.equal(both.body.frozen, true);

  const sugg = await get(url, { token: trainee.token });
  assert.equal(sugg.status, 200, show(sugg));
  assert.deepEqual(sugg.body, { result: null, suggestion: { mean: 3, note: 15 }, report: null });

  // The académie's table decides: change it, the suggestion follows.
  const rules = await get('/api/v1/conversion-rules', { token: trainee.token });
  assert.equal(rules.status, 200, show(rules));
  assert.deepEqual(rules.body.items.filter((r) => r.parcours === 'M2A').map((r) => [r.min_mean, r.note]),
    DEFAULT_M2A.map((r) => [Number(r.min_mean), Number(r.note)]), 'the default M2A table to begin with');
  const notAdmin = await put('/api/v1/conversion-rules/M2A', { rules: [{ min_mean: '1.00', note: '20' }] }, { token: inspe.token });
  assertProblem(notAdmin, 403, 'forbidden');
  const avisForM2A = await put('/api/v1/conversion-rules/M2A', { rules: [{ min_mean: '1.00', avis: 'favorable' }] }, { token: admin.token });
  assertProblem(avisForM2A, 422, 'invalid_field', 'rules[0].note');
  for (const r of [notAdmin, avisForM2A]) await assertNotAudited(r);
  try {
    const changed = await put('/api/v1/conversion-rules/M2A', {
      rules: [{ min_mean: '1.00', note: '6' }, { min_mean: '2.90', note: '13.5' }, { min_mean: '3.10', note: '18' }],
    }, { token: admin.token });
    assert.equal(changed.status, 200, show(changed));
    await assertAudited(changed, { action: 'conversion_rules.replace', actor: admin.me.id, type: 'conversion_rule' });
    assert.deepEqual(await db(`SELECT min_mean, note FROM conversion_rule WHERE academy_id = ${fx.ids.lyon} AND parcours = 'M2A' ORDER BY min_mean`),
      [['1.00', '6.00'], ['2.90', '13.50'], ['3.10', '18.00']]);
    const now = await get(url, { token: inspe.token });
    assert.deepEqual(now.body.suggestion, { mean: 3, note: 13.5 });
  } finally {
    await restoreM2A();
  }
  assert.deepEqual((await get(url, { token: inspe.token })).body.suggestion, { mean: 3, note: 15 }, 'back to the default table');
});

test('the timeline shows the same suggestion as GET /result right after the table changes (no stale cached answer)', async () => {
  const { inspe, trainee, admin } = fx;
  const timeline = `/api/v1/enrolments/${fx.enrolmentId}/timeline`;
  const suggestionOf = async (who) => {
    const res = await get(timeline, { token: who.token });
    assert.equal(res.status, 200, show(res));
    return res.body.result.suggestion;
  };
  // Read it often enough that every worker has it rendered.
  for (let i = 0; i < 40; i++) assert.deepEqual(await suggestionOf(i % 2 ? inspe : trainee), { mean: 3, note: 15 });
  try {
    const changed = await put('/api/v1/conversion-rules/M2A', { rules: [{ min_mean: '1.00', note: '7' }, { min_mean: '2.80', note: '11' }] }, { token: admin.token });
    assert.equal(changed.status, 200, show(changed));
    const direct = await get(`/api/v1/enrolments/${fx.enrolmentId}/result`, { token: inspe.token });
    assert.deepEqual(direct.body.suggestion, { mean: 3, note: 11 });
    const seen = [];
    for (let i = 0; i < 40; i++) seen.push(JSON.stringify(await suggestionOf(i % 2 ? inspe : trainee)));
    const stale = seen.filter((x) => x !== JSON.stringify(direct.body.suggestion));
    assert.deepEqual(stale, [], `${stale.length} of 40 timeline reads still show the old table's suggestion`);
  } finally {
    await restoreM2A();
  }
});

test('result: only the tuteur Inspé records it; M2A needs a note, DU an avis (422); If-Match once it exists', async () => {
  const { trainee, terrain, inspe } = fx;
  const url = `/api/v1/enrolments/${fx.enrolmentId}/result`;
  for (const [who, body, status, code, field] of [
    [terrain, { note: '14' }, 403, 'forbidden'],
    [trainee, { note: '14' }, 403, 'forbidden'],
    [inspe, { avis: 'favorable' }, 422, 'invalid_field', 'note'],
    [inspe, { note: '14', avis: 'favorable' }, 422, 'invalid_field', 'note'],
    [inspe, { comment: 'Sans note' }, 422, 'invalid_field', 'note'],
    [inspe, { note: '21' }, 422, 'invalid_field', 'note'],
  ]) {
    const r = await put(url, body, { token: who.token });
    assertProblem(r, status, code, field);
    await assertNotAudited(r);
  }
  for (const body of [{ note: '14' }, {}]) {
    const r = await put(`/api/v1/enrolments/${du}/result`, body, { token: inspe.token });
    assertProblem(r, 422, 'invalid_field', 'avis');
    await assertNotAudited(r);
  }
  assert.equal(await dbCount(`SELECT COUNT(*) FROM result WHERE enrolment_id IN (${n(fx.enrolmentId)}, ${n(du)})`), 0);

  const ok = await put(url, { note: '14.5', comment: 'Année solide.' }, { token: inspe.token });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.result.note, 14.5);
  assert.equal(ok.body.result.suggested_note, 15);
  assert.equal(ok.body.result.recorded_by.id, inspe.me.id);
  await assertAudited(ok, { action: 'result.record', actor: inspe.me.id, type: 'enrolment', id: fx.enrolmentId });
  assert.deepEqual(await db(`SELECT note, avis, comment, suggested_note, recorded_by, version FROM result WHERE enrolment_id = ${n(fx.enrolmentId)}`),
    [['14.50', null, 'Année solide.', '15.00', String(inspe.me.id), '1']]);
  const none = await put(url, { note: '16' }, { token: inspe.token });
  assertProblem(none, 428, 'precondition_required');
  const stale = await put(url, { note: '16' }, { token: inspe.token, headers: ifMatch(7) });
  assertProblem(stale, 412, 'version_mismatch');
  for (const r of [none, stale]) await assertNotAudited(r);
  const again = await put(url, { note: '16' }, { token: inspe.token, headers: ifMatch(1) });
  assert.equal(again.status, 200, show(again));
  assert.equal(again.body.result.version, 2);
  await assertAudited(again, { action: 'result.record', actor: inspe.me.id, type: 'enrolment', id: fx.enrolmentId });
  assert.deepEqual(await db(`SELECT note, version FROM result WHERE enrolment_id = ${n(fx.enrolmentId)}`), [['16.00', '2']]);
  const seen = await get(url, { token: trainee.token });
  assert.equal(seen.body.result.note, 16);
});

test('the suggestion comes from the latest frozen final bilan; levels left empty do not count (2,2,3,3 → 2.5 → 12)', async () => {
  const { terrain, inspe } = fx;
  const url = `/api/v1/enrolments/${fx.enrolmentId}/result`;
  const [[finalId]] = await db(`SELECT id FROM bilan WHERE enrolment_id = ${n(fx.enrolmentId)} AND kind = 'final' AND frozen_at IS NOT NULL`);
  const rev = await post(`/api/v1/bilans/${finalId}/revise`, undefined, { token: inspe.token });
  assert.equal(rev.status, 201, show(rev));
  const all = [...g.common, ...g.professeur];
  const items = all.map((competence_id, i) => ({ competence_id, level: i < 4 ? [2, 2, 3, 3][i] : null, comment: i < 4 ? null : 'Non observé' }));
  assert.deepEqual((await get(url, { token: inspe.token })).body.suggestion, { mean: 3, note: 15 }, 'a draft revision does not count yet');
  await fillAndFreeze(rev.body.id, items, terrain, inspe);
  const res = await get(url, { token: inspe.token });
  assert.deepEqual(res.body.suggestion, { mean: 2.5, note: 12 });
  assert.equal(res.body.result.note, 16, 'the recorded note stays what the tuteur Inspé recorded');
});

// ---------------------------------------------------------------- disagreement

test('disagreement (1er degré): tuteur terrain only, after a result; the pôle pilot and the IEN of the school see it, no one else', async () => {
  const admin = fx.admin;
  const t = await freshPerson(admin, cleanup, ['stagiaire'], 't-stag');
  const tt = await freshPerson(admin, cleanup, ['tuteur_terrain'], 't-tt');
  const ti = await freshPerson(admin, cleanup, ['tuteur_inspe'], 't-ti');
  const id = await enrol(admin, cleanup, { ...fx.body, trainee_id: t.id, tuteur_terrain_id: tt.id, tuteur_inspe_id: ti.id });
  const [trainee, terrain, inspe] = [await sessionAs('lyon', t.id), await sessionAs('lyon', tt.id), await sessionAs('lyon', ti.id)];
  const url = `/api/v1/enrolments/${id}/result/disagreement`;

  const noResult = await put(url, { comment: 'Pas d\'accord' }, { token: terrain.token });
  assertProblem(noResult, 409, 'conflict');
  await assertNotAudited(noResult);
  const duNoResult = await put(`/api/v1/enrolments/${du}/result/disagreement`, { comment: 'Pas d\'accord' }, { token: fx.terrain.token });
  assertProblem(duNoResult, 409, 'conflict');

  const finalId = (await post(`/api/v1/enrolments/${id}/bilans`, { kind: 'final' }, { token: inspe.token })).body.id;
  await fillAndFreeze(finalId, gridItems(2), terrain, inspe);
  const rec = await put(`/api/v1/enrolments/${id}/result`, { note: '9' }, { token: inspe.token });
  assert.equal(rec.status, 200, show(rec));
  assert.equal(rec.body.result.suggested_note, 10);

  for (const who of [inspe, trainee]) {
    const r = await put(url, { comment: 'x' }, { token: who.token });
    assertProblem(r, 403, 'forbidden');
    await assertNotAudited(r);
  }
  const ok = await put(url, { comment: 'La note ne reflète pas les progrès observés.' }, { token: terrain.token });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.result.disagreement, 'La note ne reflète pas les progrès observés.');
  assert.equal(ok.body.result.disagreement_by.id, tt.id);
  await assertAudited(ok, { action: 'result.disagreement', actor: tt.id, type: 'enrolment', id });
  assert.deepEqual(await db(`SELECT disagreement, disagreement_by, disagreement_at IS NOT NULL, note FROM result WHERE enrolment_id = ${n(id)}`),
    [['La note ne reflète pas les progrès observés.', String(tt.id), '1', '9.00']]);

  // In the 2nd degré there is no IEN to tell.
  const t2 = await freshPerson(admin, cleanup, ['stagiaire'], 't-stag');
  const tt2 = await freshPerson(admin, cleanup, ['tuteur_terrain'], 't-tt');
  const id2 = await enrol(admin, cleanup, { ...fx.body, trainee_id: t2.id, degre: 2, tuteur_terrain_id: tt2.id, tuteur_inspe_id: ti.id });
  const second = await put(`/api/v1/enrolments/${id2}/result/disagreement`, { comment: 'x' }, { token: (await sessionAs('lyon', tt2.id)).token });
  assertProblem(second, 409, 'conflict');
  await assertNotAudited(second);

  // Who sees it in GET /api/v1/disagreements.
  const seenBy = async (who) => {
    const r = await get('/api/v1/disagreements', { token: who.token });
    assert.equal(r.status, 200, show(r));
    return r.body.items.find((d) => d.enrolment_id === id);
  };
  const ien1 = await as('lyon', 'ien1');
  const item = await seenBy(ien1);
  assert.ok(item, 'ien1, pilot of the pôle and IEN of Bourg 2, sees it');
  assert.equal(item.trainee.id, t.id);
  assert.equal(item.disagreement, 'La note ne reflète pas les progrès observés.');
  assert.equal(item.note, 9);
  assert.equal(item.disagreement_by.id, tt.id);
  assert.ok(await seenBy(await as('lyon', 'direction1')), 'the direction INSPÉ sees every one');

  const ienHere = await freshPerson(admin, cleanup, [{ role: 'ien', scope_kind: 'circonscription', scope_id: fx.ids.circ }], 't-ien');
  const ienThere = await freshPerson(admin, cleanup, [{ role: 'ien', scope_kind: 'circonscription', scope_id: fx.ids.otherCirc }], 't-ien');
  const pilotThere = await freshPerson(admin, cleanup, [{ role: 'pilote_pole', scope_kind: 'pole', scope_id: fx.ids.otherPole }], 't-pil');
  assert.ok(await seenBy(await sessionAs('lyon', ienHere.id)), 'the IEN of the circonscription of the trainee\'s school sees it');
  assert.equal(await seenBy(await sessionAs('lyon', ienThere.id)), undefined, 'an IEN of another circonscription does not');
  assert.equal(await seenBy(await sessionAs('lyon', pilotThere.id)), undefined, 'the pilot of another pôle does not');
  const grenobleIen = await as('grenoble', 'ien1');
  const fromGrenoble = await get('/api/v1/disagreements', { token: grenobleIen.token });
  assert.equal(fromGrenoble.status, 200, show(fromGrenoble));
  assert.ok(!fromGrenoble.body.items.some((d) => d.enrolment_id === id), 'nothing of Lyon in Grenoble');
  for (const who of [fx.terrain, fx.inspe, fx.trainee, admin]) {
    assertProblem(await get('/api/v1/disagreements', { token: who.token }), 403, 'forbidden');
  }
});

test('validation races an edit: the edit commits while the validation waits for the row → 412, the edited bilan is not validated', async () => {
  const { terrain, inspe } = fx;
  const id = await createBilan(du, 'intermediaire', inspe);
  assert.deepEqual(await bilanRow(id), [['1', '1', '0', '0', null]]);
  // Another tutor's edit, in a transaction of our own: version 1 → 2,
  // committed only once the validation of version 1 is waiting for the row.
  const edit = dbSession();
  try {
    await edit.run(`BEGIN; UPDATE bilan SET version = version + 1 WHERE id = ${n(id)}`);
    const pending = post(`/api/v1/bilans/${id}/validate`, undefined, { token: terrain.token, headers: ifMatch(1) });
    const waiting = await pollUntil(async () => (await dbCount(`SELECT COUNT(*) FROM information_schema.PROCESSLIST
      WHERE INFO LIKE 'UPDATE bilan SET validated_terrain_by%'`)) === 1, { bound: 20000, every: 50 });
    assert.ok(!waiting.timedOut, 'the validation reaches its UPDATE and waits for the edited row');
    await edit.run('COMMIT');
    const res = await pending;
    assertProblem(res, 412, 'version_mismatch');
    assert.match(res.body.detail, /version actuelle : 2/);
    await assertNotAudited(res);
  } finally {
    await edit.end();
  }
  assert.deepEqual(await bilanRow(id), [['1', '2', '0', '0', null]], 'the edit stands, not validated');
  const again = await post(`/api/v1/bilans/${id}/validate`, undefined, { token: terrain.token, headers: ifMatch(2) });
  assert.equal(again.status, 200, show(again));
  assert.equal(again.body.validated_terrain, true);
  assert.deepEqual(await bilanRow(id), [['1', '3', '1', '0', null]]);
});

test('every successful write of this file left exactly one audit row under its X-Request-Id', async () => {
  await assertEveryWriteAudited(writes);
});
