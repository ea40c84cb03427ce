// Issue 8 §4: a disagreement reaches an inspector. A trainee of the pôle
// « Centre » teaches at the école Gerland (circonscription Lyon Centre),
// where no IEN holds the circonscription: the IEN of the pôle and an IEN an
// admin gave the whole académie receive it, and can open the dossier's
// final bilan and result the list links to; an IEN of another pôle does
// not, and neither does a directory-mapped IEN role (académie scope by
// construction, which means only « holds the role »).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { get, post, put, show, assertProblem, db, dbValue, Cleanup } from '../lib/index.mjs';
import { ifMatch, freshPerson, enrol, sessionAs, trioFixture, grid } from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
after(() => cleanup.run());

let fx;
before(async () => {
  fx = await trioFixture(cleanup);
});

async function structureId(kind, name) {
  return Number(await dbValue(`SELECT id FROM structure WHERE academy_id = ${fx.ids.lyon} AND kind = '${kind}' AND name = '${name}'`));
}

test('a disagreement in a circonscription without IEN reaches the IEN of the pôle and an académie-wide IEN, who open its bilan and result', async () => {
  const { admin } = fx;
  const centre = await structureId('pole', 'Centre');
  const gerland = await structureId('school', 'École élémentaire Gerland, Lyon 7e');
  const t = await freshPerson(admin, cleanup, ['stagiaire'], 't-stag');
  const tt = await freshPerson(admin, cleanup, ['tuteur_terrain'], 't-tt');
  const ti = await freshPerson(admin, cleanup, ['tuteur_inspe'], 't-ti');
  const id = await enrol(admin, cleanup, {
    ...fx.body, trainee_id: t.id, tuteur_terrain_id: tt.id, tuteur_inspe_id: ti.id,
    pole_id: centre, places: [{ school_id: gerland, class_label: 'CP' }],
  });
  const [terrain, inspe] = [await sessionAs('lyon', tt.id), await sessionAs('lyon', ti.id)];

  // A frozen final bilan, a note, then the tuteur terrain's disagreement.
  const g = await grid(inspe.token, fx.enrolment.referentiel_id);
  const finalId = (await post(`/api/v1/enrolments/${id}/bilans`, { kind: 'final' }, { token: inspe.token })).body.id;
  const b = await get(`/api/v1/bilans/${finalId}`, { token: inspe.token });
  const items = [...g.common, ...g.professeur].map((competence_id) => ({ competence_id, level: 2, comment: null }));
  const w = await put(`/api/v1/bilans/${finalId}`, { items }, { token: inspe.token, headers: ifMatch(b.body.version) });
  assert.equal(w.status, 200, show(w));
  const v1 = await post(`/api/v1/bilans/${finalId}/validate`, undefined, { token: terrain.token, headers: ifMatch(w.body.version) });
  assert.equal(v1.status, 200, show(v1));
  const v2 = await post(`/api/v1/bilans/${finalId}/validate`, undefined, { token: inspe.token, headers: ifMatch(v1.body.version) });
  assert.equal(v2.status, 200, show(v2));
  const rec = await put(`/api/v1/enrolments/${id}/result`, { note: '9' }, { token: inspe.token });
  assert.equal(rec.status, 200, show(rec));
  const ok = await put(`/api/v1/enrolments/${id}/result/disagreement`, { comment: 'Les progrès de janvier ne sont pas pris en compte.' }, { token: terrain.token });
  assert.equal(ok.status, 200, show(ok));

  const ienOfPole = await freshPerson(admin, cleanup, [{ role: 'ien', scope_kind: 'pole', scope_id: centre }], 't-ien');
  const ienOfAcademy = await freshPerson(admin, cleanup, [{ role: 'ien', scope_kind: 'academy' }], 't-ien');
  const ienElsewhere = await freshPerson(admin, cleanup, [{ role: 'ien', scope_kind: 'pole', scope_id: fx.ids.otherPole }], 't-ien');

  for (const [label, person] of [['the IEN of the pôle', ienOfPole], ['an IEN given the whole académie', ienOfAcademy]]) {
    const s = await sessionAs('lyon', person.id);
    const list = await get('/api/v1/disagreements', { token: s.token });
    assert.equal(list.status, 200, show(list));
    const item = list.body.items.find((d) => d.enrolment_id === id);
    assert.ok(item, `${label} receives the disagreement`);
    assert.equal(item.disagreement, 'Les progrès de janvier ne sont pas pris en compte.');
    assert.equal(item.pole, 'Centre');
    assert.equal(item.final_bilan_id, finalId, 'the list links to the final bilan');
    // The links of the list open: the bilan and the result.
    const bilan = await get(`/api/v1/bilans/${finalId}`, { token: s.token });
    assert.equal(bilan.status, 200, `${label} reads the final bilan: ${show(bilan)}`);
    assert.equal(bilan.body.items.length, items.length);
    const result = await get(`/api/v1/enrolments/${id}/result`, { token: s.token });
    assert.equal(result.status, 200, `${label} reads the result: ${show(result)}`);
    assert.equal(result.body.result.note, 9);
    assert.equal(result.body.result.disagreement, 'Les progrès de janvier ne sont pas pris en compte.');
  }

  const elsewhere = await sessionAs('lyon', ienElsewhere.id);
  const other = await get('/api/v1/disagreements', { token: elsewhere.token });
  assert.equal(other.status, 200, show(other));
  assert.equal(other.body.items.find((d) => d.enrolment_id === id), undefined, 'an IEN of another pôle does not receive it');
  assertProblem(await get(`/api/v1/enrolments/${id}/result`, { token: elsewhere.token }), 404, 'not_found');

  // ien1's directory role (académie scope, source ldap) alone reaches nothing here.
  const ldapOnly = await freshPerson(admin, cleanup, [], 't-ien');
  await db(`INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, created_at)
    VALUES (${fx.ids.lyon}, ${Date.now() * 1000 + Math.floor(Math.random() * 1000)}, ${ldapOnly.id}, 'ien', 'academy', NULL, 'ldap', NOW(3))`);
  const fromLdap = await get('/api/v1/disagreements', { token: (await sessionAs('lyon', ldapOnly.id)).token });
  assert.equal(fromLdap.status, 200, show(fromLdap));
  assert.equal(fromLdap.body.items.find((d) => d.enrolment_id === id), undefined, 'a directory-mapped IEN role gives no scope');
});
