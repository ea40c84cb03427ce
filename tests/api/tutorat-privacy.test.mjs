// Module tutorat mixte (issue 3, seed 000 §4 NB2): a trainee's follow-up
// is the trio's only. Another trainee, a tutor of someone else, the IEN and
// pôle pilot, the admin, the bureau des stages, the direction INSPÉ and the
// same usernames in another académie get, for every read and write of the
// dossier, the very 404 an unknown id gets, byte for byte, and change or
// audit nothing. Managers and pilots still see the enrolment itself, and
// the pilots (who receive its disagreements) its bilans and result.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  request, get, post, put, show, as, db, dbValue, q, n, Cleanup,
} from '../lib/index.mjs';
import { NO_ID, ifMatch, freshPerson, enrol, sessionAs, trioFixture, grid, trackWrites, assertEveryWriteAudited } from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
const writes = trackWrites();
after(() => cleanup.run());

const SECRET = {
  points: 'Points à observer — confidentiel trio',
  notes: 'Notes d\'observation — confidentiel trio',
  feedback: 'Retour du stagiaire — confidentiel trio',
  trace: 'Trace des tuteurs — confidentiel trio',
  priorities: 'Priorités du stagiaire — confidentiel trio',
  comment: 'Commentaire du tuteur — confidentiel trio',
};
const PDF = Buffer.from('%PDF-1.4\n% confidentiel trio\n%%EOF\n');

let fx, eid, fid, did, sid, bidInter, bidFinal, viewers, a;
before(async () => {
  fx = await trioFixture(cleanup);
  const { trainee, terrain, inspe, admin } = fx;
  eid = fx.enrolmentId;
  a = Number(fx.year.label.slice(0, 4));
  const g = await grid(trainee.token, fx.enrolment.referentiel_id);
  const ok = (res, status = 200) => { assert.equal(res.status, status, show(res)); return res.body; };

  // A full dossier: a visit prepared, documented, observed, with feedback and trace published.
  fid = ok(await post(`/api/v1/enrolments/${eid}/followups`, { kind: 'visit', scheduled_at: `${a}-11-24T09:00`, with_terrain: true, with_inspe: true }, { token: terrain.token }), 201).id;
  ok(await put(`/api/v1/followups/${fid}/preparation`, { points_to_observe: SECRET.points }, { token: trainee.token, headers: ifMatch(1) }));
  did = ok(await request('POST', `/api/v1/followups/${fid}/documents`, { token: trainee.token, query: { filename: 'sequence.pdf' }, body: PDF }), 201).id;
  ok(await put(`/api/v1/followups/${fid}/observation`, { observation_notes: SECRET.notes, held: true }, { token: inspe.token, headers: ifMatch(2) }));
  ok(await put(`/api/v1/followups/${fid}/feedback`, { retained: SECRET.feedback, axes: 'Axe', submit: true }, { token: trainee.token }));
  ok(await put(`/api/v1/followups/${fid}/trace`, { body: SECRET.trace, publish: true }, { token: inspe.token }));
  sid = ok(await post(`/api/v1/enrolments/${eid}/self-assessments`, { priorities: SECRET.priorities, items: [{ competence_id: g.common[0], level: 2 }] }, { token: trainee.token }), 201).id;
  ok(await post(`/api/v1/self-assessments/${sid}/comments`, { body: SECRET.comment }, { token: terrain.token }), 201);
  // Bilans, the final one frozen, and the note.
  bidInter = ok(await post(`/api/v1/enrolments/${eid}/bilans`, { kind: 'intermediaire' }, { token: inspe.token }), 201).id;
  bidFinal = ok(await post(`/api/v1/enrolments/${eid}/bilans`, { kind: 'final' }, { token: inspe.token }), 201).id;
  const items = [...g.common, ...g.professeur].map((competence_id) => ({ competence_id, level: 3, comment: SECRET.comment }));
  const w = ok(await put(`/api/v1/bilans/${bidFinal}`, { items }, { token: inspe.token, headers: ifMatch(1) }));
  const v1 = ok(await post(`/api/v1/bilans/${bidFinal}/validate`, undefined, { token: terrain.token, headers: ifMatch(w.version) }));
  ok(await post(`/api/v1/bilans/${bidFinal}/validate`, undefined, { token: inspe.token, headers: ifMatch(v1.version) }));
  ok(await put(`/api/v1/enrolments/${eid}/result`, { note: '15', comment: SECRET.comment }, { token: inspe.token }));

  // Someone else's trainee and tutor, in the same year and pôle.
  const s2 = await as('lyon', 'stagiaire2');
  const otherTerrain = await freshPerson(admin, cleanup, ['tuteur_terrain'], 't-tt');
  const otherInspe = await freshPerson(admin, cleanup, ['tuteur_inspe'], 't-ti');
  await enrol(admin, cleanup, { ...fx.body, trainee_id: s2.me.id, tuteur_terrain_id: otherTerrain.id, tuteur_inspe_id: otherInspe.id });

  // Who must see nothing of the dossier; `enrolment`: what GET /enrolments/{id} gives them.
  viewers = [
    { name: 'another trainee (lyon stagiaire2)', s: s2, enrolment: 404 },
    { name: 'a tutor of someone else (terrain)', s: await sessionAs('lyon', otherTerrain.id), enrolment: 404 },
    { name: 'a tutor of someone else (inspé)', s: await sessionAs('lyon', otherInspe.id), enrolment: 404 },
    { name: 'the IEN and pôle pilot (lyon ien1)', s: await as('lyon', 'ien1'), enrolment: 200, pilot: true, result: true },
    { name: 'the direction INSPÉ (lyon direction1)', s: await as('lyon', 'direction1'), enrolment: 200, pilot: true, result: true },
    { name: 'the admin (lyon admin)', s: admin, enrolment: 200, result: true },
    { name: 'the bureau des stages (lyon bureau1)', s: await as('lyon', 'bureau1'), enrolment: 200, result: true },
  ];
  for (const u of ['stagiaire1', 'tuteur.terrain1', 'tuteur.inspe1', 'ien1', 'admin', 'bureau1']) {
    viewers.push({ name: `grenoble ${u}`, s: await as('grenoble', u), enrolment: 404 });
  }
});

const readPaths = () => [
  `/api/v1/followups/${fid}`,
  `/api/v1/enrolments/${eid}/timeline`,
  `/api/v1/enrolments/${eid}/self-assessments`,
  `/api/v1/enrolments/${eid}/bilans`,
  `/api/v1/bilans/${bidInter}`,
  `/api/v1/bilans/${bidFinal}`,
  `/api/v1/documents/${did}`,
];
/** The same path with its id replaced by one that does not exist. */
const unknownOf = (path) => path.replace(/\/(\d+)(?=\/|$|\?)/, `/${NO_ID}`);

test('the trio reads the whole dossier (the control)', async () => {
  for (const who of [fx.trainee, fx.terrain, fx.inspe]) {
    for (const path of [...readPaths(), `/api/v1/enrolments/${eid}`]) {
      const res = await get(path, { token: who.token });
      assert.equal(res.status, 200, `${path}: ${show(res)}`);
    }
  }
  const f = await get(`/api/v1/followups/${fid}`, { token: fx.trainee.token });
  assert.equal(f.body.trace.body, SECRET.trace);
  assert.equal(f.body.observation_notes, SECRET.notes);
  const r = await get(`/api/v1/enrolments/${eid}/result`, { token: fx.trainee.token });
  assert.equal(r.body.result.note, 15);
});

/** The bilans and the result: what a disagreement signalled to the pilots is about (issue 8). */
const outcomePaths = () => [
  `/api/v1/enrolments/${eid}/bilans`,
  `/api/v1/bilans/${bidInter}`,
  `/api/v1/bilans/${bidFinal}`,
  `/api/v1/enrolments/${eid}/result`,
];

test('every trio read is 404 for everyone else, byte-identical to an unknown id; the pilots read the bilans and the result only', async () => {
  for (const v of viewers) {
    for (const path of readPaths()) {
      if (v.pilot && outcomePaths().includes(path)) {
        const res = await get(path, { token: v.s.token });
        assert.equal(res.status, 200, `${v.name} reads ${path}, which a disagreement is about: ${show(res)}`);
        continue;
      }
      const res = await get(path, { token: v.s.token });
      const unknown = await get(unknownOf(path), { token: v.s.token });
      assert.equal(unknown.status, 404, `${v.name}: the unknown ${unknownOf(path)}: ${show(unknown)}`);
      assert.equal(res.status, 404, `${v.name} must not read ${path}: ${show(res)}`);
      assert.equal(res.text, unknown.text, `${v.name}: ${path} byte-identical to an unknown id`);
      assert.equal(res.headers['content-type'], unknown.headers['content-type']);
    }
  }
});

test('the result (note or avis): the INSPÉ\'s validating roles and the managers read it too (issue 8 §6); the others get the unknown id\'s 404', async () => {
  const path = `/api/v1/enrolments/${eid}/result`;
  for (const v of viewers) {
    const res = await get(path, { token: v.s.token });
    if (v.result) {
      assert.equal(res.status, 200, `${v.name}: ${show(res)}`);
      assert.equal(res.body.result.note, 15);
      // The result's own comment is part of it; nothing of the traces is.
      for (const secret of [SECRET.points, SECRET.notes, SECRET.feedback, SECRET.trace, SECRET.priorities]) {
        assert.ok(!res.text.includes(secret), `${v.name}: no trace in the result`);
      }
      continue;
    }
    const unknown = await get(unknownOf(path), { token: v.s.token });
    assert.equal(res.status, 404, `${v.name} must not read ${path}: ${show(res)}`);
    assert.equal(res.text, unknown.text, `${v.name}: ${path} byte-identical to an unknown id`);
  }
});

test('the enrolment itself: managers and pilots see its summary and no dossier content; the others get the unknown id\'s 404', async () => {
  const path = `/api/v1/enrolments/${eid}`;
  for (const v of viewers) {
    const res = await get(path, { token: v.s.token });
    if (v.enrolment === 200) {
      assert.equal(res.status, 200, `${v.name}: ${show(res)}`);
      assert.ok(['manager', 'pilot', 'validator'].includes(res.body.relation), `${v.name}: ${res.body.relation}`);
      for (const s of Object.values(SECRET)) assert.ok(!res.text.includes(s), `${v.name}: no dossier content in the summary`);
      const list = await get('/api/v1/enrolments', { token: v.s.token, query: { year_id: fx.year.id, limit: 200 } });
      assert.ok(list.body.items.some((e) => e.id === eid), `${v.name} lists it`);
      for (const s of Object.values(SECRET)) assert.ok(!list.text.includes(s), `${v.name}: no dossier content in the list`);
    } else {
      const unknown = await get(unknownOf(path), { token: v.s.token });
      assert.equal(res.status, 404, `${v.name}: ${show(res)}`);
      assert.equal(res.text, unknown.text, `${v.name}: byte-identical to an unknown id`);
      const list = await get('/api/v1/enrolments', { token: v.s.token, query: { year_id: fx.year.id, limit: 200 } });
      assert.equal(list.status, 200, show(list));
      assert.ok(!list.body.items.some((e) => e.id === eid), `${v.name} does not list it`);
    }
  }
});

test('every write on the dossier is the unknown id\'s 404 for everyone else; nothing changes, nothing is audited', async () => {
  const fingerprint = () => db(`SELECT
    (SELECT GROUP_CONCAT(CONCAT(id, ':', version, ':', state) ORDER BY id) FROM followup WHERE enrolment_id = ${n(eid)}),
    (SELECT GROUP_CONCAT(CONCAT(author, ':', version, ':', published_at IS NOT NULL) ORDER BY author) FROM trace WHERE followup_id = ${n(fid)}),
    (SELECT COUNT(*) FROM document WHERE followup_id = ${n(fid)}),
    (SELECT COUNT(*) FROM self_assessment WHERE enrolment_id = ${n(eid)}),
    (SELECT COUNT(*) FROM self_assessment_comment WHERE assessment_id = ${n(sid)}),
    (SELECT GROUP_CONCAT(CONCAT(id, ':', version, ':', frozen_at IS NOT NULL) ORDER BY id) FROM bilan WHERE enrolment_id = ${n(eid)}),
    (SELECT CONCAT(note, ':', version, ':', disagreement IS NULL) FROM result WHERE enrolment_id = ${n(eid)}),
    (SELECT COUNT(*) FROM tutor_report WHERE enrolment_id = ${n(eid)}),
    (SELECT COUNT(*) FROM enrolment WHERE trainee_id = ${n(fx.trainee.me.id)})`);
  const before = await fingerprint();
  const fv = Number(await dbValue(`SELECT version FROM followup WHERE id = ${n(fid)}`));
  const writes = [
    ['POST', `/api/v1/enrolments/${eid}/followups`, { json: { kind: 'visit', scheduled_at: `${a}-12-01T09:00`, with_terrain: true, with_inspe: true } }],
    ['PATCH', `/api/v1/followups/${fid}`, { json: { scheduled_at: `${a}-12-02T09:00` } }],
    ['PUT', `/api/v1/followups/${fid}/preparation`, { json: { points_to_observe: 'x' } }],
    ['PUT', `/api/v1/followups/${fid}/expectations`, { json: { expectations: 'x' } }],
    ['PUT', `/api/v1/followups/${fid}/observation`, { json: { observation_notes: 'x' } }],
    ['PUT', `/api/v1/followups/${fid}/debrief`, { json: { analyses: 'x', levels: [] } }],
    ['POST', `/api/v1/followups/${fid}/cancel`, { json: { reason: 'x' } }],
    ['PUT', `/api/v1/followups/${fid}/feedback`, { json: { retained: 'x', axes: 'y' } }],
    ['PUT', `/api/v1/followups/${fid}/trace`, { json: { body: 'x' } }],
    ['POST', `/api/v1/followups/${fid}/documents`, { query: { filename: 'x.pdf' }, body: PDF }],
    ['DELETE', `/api/v1/documents/${did}`, {}],
    ['POST', `/api/v1/enrolments/${eid}/self-assessments`, { json: { priorities: 'x', items: [{ competence_id: 1, level: 1 }] } }],
    ['POST', `/api/v1/self-assessments/${sid}/comments`, { json: { body: 'x' } }],
    ['POST', `/api/v1/enrolments/${eid}/bilans`, { json: { kind: 'intermediaire' } }],
    ['PUT', `/api/v1/bilans/${bidInter}`, { json: { items: [] } }],
    ['POST', `/api/v1/bilans/${bidInter}/validate`, {}],
    ['POST', `/api/v1/bilans/${bidFinal}/revise`, {}],
    ['PUT', `/api/v1/enrolments/${eid}/result`, { json: { note: '20' } }],
    ['PUT', `/api/v1/enrolments/${eid}/result/disagreement`, { json: { comment: 'x' } }],
    ['PUT', `/api/v1/enrolments/${eid}/report`, { json: { body: 'x' } }],
  ];
  const requestIds = [];
  for (const v of viewers) {
    for (const [method, path, opts] of writes) {
      const send = (p) => request(method, p, { ...opts, token: v.s.token, headers: ifMatch(fv) });
      const res = await send(path);
      const unknown = await send(unknownOf(path));
      requestIds.push(res.requestId);
      assert.equal(unknown.status, 404, `${v.name}: ${method} ${unknownOf(path)}: ${show(unknown)}`);
      assert.equal(res.status, 404, `${v.name} must not ${method} ${path}: ${show(res)}`);
      assert.equal(res.text, unknown.text, `${v.name}: ${method} ${path} byte-identical to an unknown id`);
    }
  }
  assert.equal(await dbValue(`SELECT COUNT(*) FROM audit_log WHERE request_id IN (${requestIds.map(q).join(',')})`), '0', 'no audit row for any refused write');
  assert.deepEqual(await fingerprint(), before, 'the dossier is unchanged');
});

test('every successful write of this file left exactly one audit row under its X-Request-Id', async () => {
  await assertEveryWriteAudited(writes);
});
