// Module accompagnement personnalisé, the case (issue 10, 003): a case
// walks its levels 1 → 2 → 3 → 2 → closed. At each step its audience is
// checked against every demo account of Lyon and the same usernames in
// Grenoble: the actors of the current level and the trainee read it; for
// everyone else it does not exist (the very answer of a missing id, byte
// for byte) and the list does not name it. Then the rules: a level skipped
// or raised without the agreements, the parts of the fiche de suivi each
// actor writes, entries written at a higher level after the level goes
// down, shares of the trio's traces, the read log, renewals.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  request, get, post, del, show, as, db, dbValue, n, q, assertProblem, Cleanup,
} from '../lib/index.mjs';
import {
  NO_ID, ifMatch, freshPerson, enrol, trioFixture, trackWrites, assertEveryWriteAudited, assertNotAudited,
} from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
const writes = trackWrites();
after(() => cleanup.run());

const USERS = ['admin', 'stagiaire1', 'stagiaire2', 'tuteur.terrain1', 'tuteur.inspe1', 'ien1', 'direction1',
  'bureau1', 'pilote.pole1', 'chef.etab1', 'resp.site1', 'cmf1', 'resp.parcours1'];
// Who reads the case of stagiaire1 (trioFixture: pôle Bourg 2 – Bourg 3 –
// Bresse, école Les Tilleuls in Bourg 2, Ain, the first INSPÉ site) at
// each level: the trio, then the level-2 actors scoped to those
// structures (ien1 pilots the pôle), then the direction INSPÉ.
const TRIO = ['stagiaire1', 'tuteur.terrain1', 'tuteur.inspe1'];
const LEVEL2 = [...TRIO, 'pilote.pole1', 'chef.etab1', 'resp.site1', 'cmf1', 'resp.parcours1', 'ien1'];
const LEVEL3 = [...LEVEL2, 'direction1'];
const MARK = 'Difficulté observée — confidentiel accompagnement';

let fx, eid, caseId, version, s, year;
const ok = (res, status = 200) => { assert.equal(res.status, status, show(res)); return res.body; };

before(async () => {
  fx = await trioFixture(cleanup);
  eid = fx.enrolmentId;
  year = Number(fx.year.label.slice(0, 4));
  s = {};
  for (const u of USERS) {
    s[`lyon/${u}`] = await as('lyon', u);
    s[`grenoble/${u}`] = await as('grenoble', u);
  }
});

/** Every account: the readers read the case (200, and the list names it),
 * everyone else gets exactly what a missing id gets, and no list names it. */
async function assertAudience(readers, label) {
  const wrong = [];
  for (const [key, sess] of Object.entries(s)) {
    const reads = key.startsWith('lyon/') && readers.includes(key.slice(5));
    const res = await get(`/api/v1/cases/${caseId}`, { token: sess.token });
    const list = await get('/api/v1/cases', { token: sess.token, query: { limit: 200 } });
    const listed = list.status === 200 && list.body.items.some((c) => c.id === caseId);
    if (reads) {
      if (res.status !== 200 || res.body.id !== caseId) wrong.push(`${key} should read it: ${show(res)}`);
      if (!listed) wrong.push(`${key} should find it in the list: ${show(list)}`);
    } else {
      const missing = await get(`/api/v1/cases/${NO_ID}`, { token: sess.token });
      if (![403, 404].includes(res.status) || res.status !== missing.status || res.text !== missing.text) {
        wrong.push(`${key} should get the answer of a missing id: ${show(res)} vs ${show(missing)}`);
      }
      if (listed) wrong.push(`${key} finds it in the list`);
      if (list.status === 200 && JSON.stringify(list.body).includes(MARK)) wrong.push(`${key}: the list shows content`);
    }
  }
  assert.deepEqual(wrong, [], label);
}

const read = async (user) => ok(await get(`/api/v1/cases/${caseId}`, { token: s[`lyon/${user}`].token }));
const move = (user, body, v = version) => post(`/api/v1/cases/${caseId}/levels`, body, { token: s[`lyon/${user}`].token, headers: ifMatch(v) });
const entry = (user, body) => post(`/api/v1/cases/${caseId}/entries`, body, { token: s[`lyon/${user}`].token });
const counts = () => db(`SELECT (SELECT COUNT(*) FROM acc_level WHERE case_id = ${n(caseId)}),
  (SELECT COUNT(*) FROM acc_entry WHERE case_id = ${n(caseId)}), (SELECT CONCAT(level, '/', version) FROM acc_case WHERE id = ${n(caseId)})`);

test('level 1: a tutor opens the case; the trio reads it, nobody else', async () => {
  const open = await post(`/api/v1/enrolments/${eid}/cases`, { level: 1, starts_on: `${year}-10-01`, ends_on: `${year}-11-15`, reason: 'Premiers signes' }, { token: fx.terrain.token });
  caseId = ok(open, 201).id;
  assert.equal(open.headers.location, `/api/v1/cases/${caseId}`);
  const c = await read('tuteur.terrain1');
  version = c.version;
  assert.equal(c.level, 1);
  assert.equal(c.state, 'open');
  assert.deepEqual([c.levels.length, c.levels[0].starts_on, c.levels[0].ends_on], [1, `${year}-10-01`, `${year}-11-15`]);
  assert.equal(c.enrolment.trainee.id, fx.trainee.me.id);
  assert.deepEqual(c.actors.map((a) => a.role).sort(), ['stagiaire', 'tuteur_inspe', 'tuteur_terrain']);
  // The chef d'établissement is informed: a dated entry of the tutors.
  ok(await entry('tuteur.terrain1', { kind: 'informed', happened_on: `${year}-10-02`, body: 'Directeur informé par téléphone' }), 201);
  ok(await entry('tuteur.inspe1', { kind: 'difficulty', happened_on: `${year}-10-03`, body: MARK }), 201);
  // A second open case for the same enrolment: refused, nothing written.
  const again = await post(`/api/v1/enrolments/${eid}/cases`, { level: 2, ends_on: `${year}-12-01` }, { token: fx.inspe.token });
  assertProblem(again, 409, 'conflict', 'id');
  await assertNotAudited(again);
  await assertAudience(TRIO, 'level 1');
});

test('level 1 → 3 is a level skipped: 422 naming to_level, nothing written', async () => {
  const before = await counts();
  const res = await move('tuteur.terrain1', { to_level: 3, bilan: 'Trop tôt', ends_on: `${year}-12-20` });
  assertProblem(res, 422, 'level_skipped', 'to_level');
  await assertNotAudited(res);
  assert.deepEqual(await counts(), before);
});

test('level 2: the bilan raises it, the level-2 actors of the enrolment\'s structures join at once', async () => {
  const res = await move('tuteur.inspe1', { to_level: 2, bilan: 'Le renforcement ne suffit pas', starts_on: `${year}-11-16`, ends_on: `${year}-12-20` });
  const body = ok(res);
  assert.deepEqual([body.level, body.state], [2, 'open']);
  assert.equal(res.headers.etag, `"${body.version}"`);
  version = body.version;
  const c = await read('chef.etab1');
  assert.equal(c.level, 2);
  assert.deepEqual(c.levels.map((l) => [l.level, l.outcome]), [[1, 'up'], [2, null]]);
  assert.deepEqual(c.relations, ['level2_actor']);
  // Level-1 entries are the trio's: the chef reads neither them nor the
  // level-1 bilan's text; the trainee reads both.
  assert.deepEqual(c.entries, []);
  assert.equal(c.levels[0].bilan, null);
  const mine = await read('stagiaire1');
  assert.deepEqual(mine.entries.map((e) => e.kind), ['informed', 'difficulty']);
  assert.equal(mine.levels[0].bilan, 'Le renforcement ne suffit pas');
  for (const role of ['chef_etablissement', 'responsable_site', 'charge_mission_formation', 'pilote_pole', 'referent_inspe', 'responsable_parcours']) {
    assert.ok(c.actors.some((a) => a.role === role && a.level === 2), `${role} among the actors: ${JSON.stringify(c.actors)}`);
  }
  await assertAudience(LEVEL2, 'level 2');
});

test('the fiche de suivi at level 2: each actor writes their part, the tutors keep theirs', async () => {
  ok(await entry('tuteur.terrain1', { kind: 'action_tutorat', happened_on: `${year}-11-20`, body: 'Visite conseil supplémentaire' }), 201);
  ok(await entry('chef.etab1', { kind: 'action_school', happened_on: `${year}-11-21`, body: 'Observation d’une collègue' }), 201);
  ok(await entry('resp.site1', { kind: 'action_inspe', happened_on: `${year}-11-22`, body: 'Module de gestion de classe' }), 201);
  const theirs = await entry('chef.etab1', { kind: 'difficulty', happened_on: `${year}-11-21`, body: 'Pas la sienne' });
  assertProblem(theirs, 403, 'entry_kind_not_yours', 'kind');
  await assertNotAudited(theirs);
  const early = await entry('tuteur.terrain1', { kind: 'alert', happened_on: `${year}-11-21`, body: 'Trop tôt' });
  assertProblem(early, 422, 'invalid_field', 'kind');
  const trainee = await entry('stagiaire1', { kind: 'action_tutorat', happened_on: `${year}-11-21`, body: 'x' });
  assert.equal(trainee.status, 403, show(trainee));
  const c = await read('chef.etab1');
  assert.deepEqual(c.entries.map((e) => [e.kind, e.level, e.author.name]).map((x) => x[0]), ['action_tutorat', 'action_school', 'action_inspe']);
  assert.ok(c.entries.every((e) => e.written_at && e.happened_on));
});

test('level 3 needs the agreements of both tutors and a non-trio actor of level 2', async () => {
  const before = await counts();
  const none = await move('tuteur.terrain1', { to_level: 3, bilan: 'Alerte', ends_on: `${year + 1}-02-15` });
  assertProblem(none, 422, 'agreements_missing', 'to_level');
  assert.match(none.body.detail, /tuteur terrain/);
  assert.deepEqual(await counts(), before);
  ok(await post(`/api/v1/cases/${caseId}/agreements`, {}, { token: fx.terrain.token }), 201);
  ok(await post(`/api/v1/cases/${caseId}/agreements`, {}, { token: fx.inspe.token }), 201);
  const twice = await post(`/api/v1/cases/${caseId}/agreements`, {}, { token: fx.inspe.token });
  assertProblem(twice, 409, 'conflict', 'agreement');
  const trainee = await post(`/api/v1/cases/${caseId}/agreements`, {}, { token: fx.trainee.token });
  assert.equal(trainee.status, 403, show(trainee));
  const still = await move('tuteur.terrain1', { to_level: 3, bilan: 'Alerte', ends_on: `${year + 1}-02-15` });
  assertProblem(still, 422, 'agreements_missing', 'to_level');
  assert.match(still.body.detail, /acteur du niveau 2/);
  ok(await post(`/api/v1/cases/${caseId}/agreements`, {}, { token: s['lyon/chef.etab1'].token }), 201);
  const c = await read('tuteur.terrain1');
  assert.deepEqual([c.raise.possible, c.agreements.filter((a) => a.current).map((a) => a.as_role).sort()], [true, ['actor', 'tuteur_inspe', 'tuteur_terrain']]);
  const stale = await move('tuteur.terrain1', { to_level: 3, bilan: 'Alerte', ends_on: `${year + 1}-02-15` }, version - 1);
  assert.equal(stale.status, 412, show(stale));
  const noVersion = await post(`/api/v1/cases/${caseId}/levels`, { to_level: 3, bilan: 'Alerte', ends_on: `${year + 1}-02-15` }, { token: fx.terrain.token });
  assert.equal(noVersion.status, 428, show(noVersion));
  version = ok(await move('tuteur.terrain1', { to_level: 3, bilan: 'Les aménagements ne suffisent pas : alerte', starts_on: `${year}-12-21`, ends_on: `${year + 1}-02-15` })).version;
});

test('level 3: the direction and the inspector join; the response is theirs; the actors were told', async () => {
  await assertAudience(LEVEL3, 'level 3');
  const c = await read('direction1');
  assert.ok(c.relations.includes('level3_actor'));
  assert.ok(c.actors.some((a) => a.role === 'direction_inspe' && a.level === 3));
  ok(await entry('tuteur.terrain1', { kind: 'alert', happened_on: `${year}-12-21`, body: 'Alerte transmise' }), 201);
  const chef = await entry('chef.etab1', { kind: 'response', happened_on: `${year}-12-22`, body: 'Pas la sienne' });
  assertProblem(chef, 403, 'entry_kind_not_yours', 'kind');
  ok(await entry('direction1', { kind: 'response', happened_on: `${year}-12-22`, body: 'Réponse : stage filé complémentaire' }), 201);
  // Told: each actor of level 3 (but the one who raised it), with no case
  // content in the item or the mail.
  const direction = s['lyon/direction1'].me.id;
  const rows = await db(`SELECT n.subject, n.link FROM notification n WHERE n.recipient_id = ${n(direction)} AND n.kind = 'accompaniment.level_changed' AND n.object_id = ${n(caseId)}`);
  assert.equal(rows.length, 1, JSON.stringify(rows));
  assert.equal(rows[0][1], `/app.html#/accompagnement/${caseId}`);
  // The mails to the actors name neither the trainee nor anything written.
  const trainee = fx.trainee.me.display_name;
  const mailsText = await dbValue(`SELECT COALESCE(GROUP_CONCAT(CONCAT(subject, body_text) SEPARATOR '|'), '') FROM mail_outbox WHERE recipient_id <> ${n(fx.trainee.me.id)} AND notification_id IN (SELECT id FROM notification WHERE object_id = ${n(caseId)})`);
  assert.ok(trainee && mailsText.includes('accompagnement') && !mailsText.includes(MARK) && !mailsText.includes(trainee), `no case content or trainee name in the mails: ${mailsText.slice(0, 400)}`);
  const told = await dbValue(`SELECT COUNT(DISTINCT recipient_id) FROM notification WHERE object_id = ${n(caseId)} AND kind = 'accompaniment.level_changed'`);
  assert.ok(Number(told) >= LEVEL3.length - 1, `told: ${told}`);
});

test('level 3 → 2: the direction leaves at once; the level-3 entries stay to the actors who remain', async () => {
  version = ok(await move('ien1', { to_level: 2, bilan: 'La réponse est mise en œuvre', starts_on: `${year + 1}-02-16`, ends_on: `${year + 1}-04-30` })).version;
  await assertAudience(LEVEL2, 'back to level 2');
  const c = await read('chef.etab1');
  assert.deepEqual(c.entries.map((e) => e.kind), ['action_tutorat', 'action_school', 'action_inspe', 'alert', 'response']);
  assert.ok(!c.entries.some((e) => e.level === 1));
  // A new level-2 period asks for the agreements again.
  const again = await read('tuteur.terrain1');
  assert.equal(again.raise.possible, false);
  assert.equal(again.agreements.filter((a) => a.current).length, 0);
});

test('a correction is a new entry naming the one it corrects; history is kept', async () => {
  const c = await read('tuteur.terrain1');
  const target = c.entries.find((e) => e.kind === 'action_tutorat');
  const id = ok(await entry('tuteur.terrain1', { kind: 'action_tutorat', happened_on: `${year}-11-20`, body: 'Correction : visite conseil le 20', corrects_id: target.id }), 201).id;
  const after = await read('tuteur.terrain1');
  assert.equal(after.entries.find((e) => e.id === id).corrects_id, target.id);
  assert.ok(after.entries.some((e) => e.id === target.id && e.body === 'Visite conseil supplémentaire'));
  const hidden = c.entries.find((e) => e.level === 1) ?? (await read('stagiaire1')).entries.find((e) => e.level === 1);
  // The chef cannot correct what they may not read.
  const chef = await entry('chef.etab1', { kind: 'action_school', happened_on: `${year}-11-21`, body: 'x', corrects_id: hidden.id });
  assertProblem(chef, 422, 'invalid_field', 'corrects_id');
});

test('a tutor shares one element of the trio\'s traces, and revokes it', async () => {
  const fid = ok(await post(`/api/v1/enrolments/${eid}/followups`, { kind: 'visit', scheduled_at: `${year}-11-24T09:00`, with_terrain: true, with_inspe: true }, { token: fx.terrain.token }), 201).id;
  const chefShare = await post(`/api/v1/cases/${caseId}/shares`, { element: 'followup', element_id: fid }, { token: s['lyon/chef.etab1'].token });
  assert.equal(chefShare.status, 403, show(chefShare));
  const shareId = ok(await post(`/api/v1/cases/${caseId}/shares`, { element: 'followup', element_id: fid }, { token: fx.terrain.token }), 201).id;
  assertProblem(await post(`/api/v1/cases/${caseId}/shares`, { element: 'followup', element_id: fid }, { token: fx.terrain.token }), 409, 'conflict', 'element_id');
  assertProblem(await post(`/api/v1/cases/${caseId}/shares`, { element: 'trace', element_id: fid }, { token: fx.terrain.token }), 422, 'invalid_field', 'element_id');
  assertProblem(await post(`/api/v1/cases/${caseId}/shares`, { element: 'followup', element_id: NO_ID }, { token: fx.terrain.token }), 422, 'invalid_field', 'element_id');
  let c = await read('chef.etab1');
  assert.deepEqual(c.shares.map((x) => [x.element, x.element_id, x.content.kind]), [['followup', fid, 'visit']]);
  assert.equal(c.shares[0].scheduled_at, `${year}-11-24T09:00:00Z`);
  const chefRevoke = await del(`/api/v1/case-shares/${shareId}`, { token: s['lyon/chef.etab1'].token });
  assert.equal(chefRevoke.status, 403, show(chefRevoke));
  const strangerRevoke = await del(`/api/v1/case-shares/${shareId}`, { token: s['grenoble/tuteur.terrain1'].token });
  const missing = await del(`/api/v1/case-shares/${NO_ID}`, { token: s['grenoble/tuteur.terrain1'].token });
  assert.deepEqual([strangerRevoke.status, strangerRevoke.text], [missing.status, missing.text]);
  assert.equal((await del(`/api/v1/case-shares/${shareId}`, { token: fx.terrain.token })).status, 204);
  c = await read('chef.etab1');
  assert.deepEqual(c.shares, []);
  assert.equal(await dbValue(`SELECT COUNT(*) FROM acc_share WHERE case_id = ${n(caseId)}`), '2', 'the share and its revocation are both kept');
});

test('the read log: every read is recorded; the trainee lists who read their case', async () => {
  const before = Number(await dbValue(`SELECT COUNT(*) FROM acc_read WHERE case_id = ${n(caseId)}`));
  await read('cmf1');
  assert.equal(Number(await dbValue(`SELECT COUNT(*) FROM acc_read WHERE case_id = ${n(caseId)}`)), before + 1);
  const log = ok(await get(`/api/v1/cases/${caseId}/reads`, { token: fx.trainee.token }));
  assert.equal(log.items[0].what, 'reads');
  assert.equal(log.items[1].person.id, s['lyon/cmf1'].me.id);
  assert.equal(log.items[1].what, 'case');
  assert.ok(log.items.some((x) => x.person.id === s['lyon/direction1'].me.id && x.level === 3), 'the direction read it at level 3');
  assert.equal(log.total, before + 2);
  const chef = await get(`/api/v1/cases/${caseId}/reads`, { token: s['lyon/chef.etab1'].token });
  assert.equal(chef.status, 403, show(chef));
  const stranger = await get(`/api/v1/cases/${caseId}/reads`, { token: s['lyon/direction1'].token });
  const missing = await get(`/api/v1/cases/${NO_ID}/reads`, { token: s['lyon/direction1'].token });
  assert.deepEqual([stranger.status, stranger.text], [missing.status, missing.text]);
  // Refused reads are not logged.
  assert.equal(Number(await dbValue(`SELECT COUNT(*) FROM acc_read WHERE case_id = ${n(caseId)}`)), before + 2);
});

test('closed: the bilan ends the case; it stays readable to its last audience and takes no more writes', async () => {
  const res = ok(await move('tuteur.inspe1', { to_level: 0, bilan: 'Fin de l’accompagnement : objectifs atteints' }));
  assert.equal(res.state, 'closed');
  version = res.version;
  await assertAudience(LEVEL2, 'closed');
  const c = await read('stagiaire1');
  assert.deepEqual(c.levels.map((l) => [l.level, l.outcome]), [[1, 'up'], [2, 'up'], [3, 'down'], [2, 'end']]);
  assert.equal(c.state, 'closed');
  const late = await entry('tuteur.terrain1', { kind: 'action_tutorat', happened_on: `${year}-12-01`, body: 'x' });
  assertProblem(late, 409, 'case_closed');
  await assertNotAudited(late);
  assertProblem(await move('tuteur.inspe1', { to_level: 1, bilan: 'x', ends_on: `${year + 1}-05-01` }), 409, 'case_closed');
  // A new case may be opened once the last one is closed.
  const next = ok(await post(`/api/v1/enrolments/${eid}/cases`, { level: 2, starts_on: `${year + 1}-05-01`, ends_on: `${year + 1}-05-15` }, { token: s['lyon/resp.site1'].token }), 201).id;
  assert.notEqual(next, caseId);
  const list = ok(await get('/api/v1/cases', { token: fx.trainee.token, query: { state: 'closed', limit: 200 } }));
  assert.ok(list.items.some((x) => x.id === caseId && x.state === 'closed' && x.level === 2));
  assert.ok(!list.items.some((x) => x.id === next));
  assert.deepEqual(Object.keys(list.items[0]).sort(), ['closed_at', 'ends_on', 'enrolment', 'id', 'level', 'opened_at', 'state', 'trainee_name', 'year']);
});

test('bad input names its field and writes nothing', async () => {
  const other = await trioFixture(cleanup);
  const url = `/api/v1/enrolments/${other.enrolmentId}/cases`;
  const cases = [
    [{ level: 3, ends_on: `${year}-12-01` }, 422, 'level_skipped', 'level'],
    [{ level: 4, ends_on: `${year}-12-01` }, 422, 'invalid_field', 'level'],
    [{ level: 1 }, 422, 'missing_field', 'ends_on'],
    [{ level: 1, ends_on: 'demain' }, 422, 'invalid_field', 'ends_on'],
    [{ level: 1, starts_on: `${year}-12-01`, ends_on: `${year}-11-01` }, 422, 'invalid_field', 'ends_on'],
    [{ level: 1, ends_on: `${year}-12-01`, secret: 1 }, 422, 'unknown_field', 'secret'],
  ];
  for (const [body, status, code, field] of cases) {
    const res = await post(url, body, { token: other.terrain.token });
    assertProblem(res, status, code, field);
    await assertNotAudited(res);
  }
  // A level-2 actor opens at level 2, not at level 1 (the trio's).
  assertProblem(await post(url, { level: 1, ends_on: `${year}-12-01` }, { token: s['lyon/chef.etab1'].token }), 422, 'invalid_field', 'level');
  // The trainee does not open their own case; a stranger finds nothing.
  assert.equal((await post(url, { level: 1, ends_on: `${year}-12-01` }, { token: other.trainee.token })).status, 403);
  const stranger = await post(url, { level: 2, ends_on: `${year}-12-01` }, { token: s['grenoble/tuteur.terrain1'].token });
  const missing = await post(`/api/v1/enrolments/${NO_ID}/cases`, { level: 2, ends_on: `${year}-12-01` }, { token: s['grenoble/tuteur.terrain1'].token });
  assert.deepEqual([stranger.status, stranger.text], [missing.status, missing.text]);
  assert.equal(await dbValue(`SELECT COUNT(*) FROM acc_case WHERE enrolment_id = ${n(other.enrolmentId)}`), '0');
  const id = ok(await post(url, { level: 1, starts_on: `${year}-10-01`, ends_on: `${year}-12-01` }, { token: other.terrain.token }), 201).id;
  const e = (body) => post(`/api/v1/cases/${id}/entries`, body, { token: other.terrain.token });
  assertProblem(await e({ kind: 'gossip', happened_on: `${year}-11-01`, body: 'x' }), 422, 'invalid_field', 'kind');
  assertProblem(await e({ kind: 'difficulty', happened_on: `${year}-11-01` }), 422, 'missing_field', 'body');
  assertProblem(await e({ kind: 'difficulty', happened_on: `${year}-11-01`, body: 'x'.repeat(4001) }), 422, 'invalid_field', 'body');
  assertProblem(await e({ kind: 'difficulty', happened_on: '2026-02-30', body: 'x' }), 422, 'invalid_field', 'happened_on');
  const m = (body) => post(`/api/v1/cases/${id}/levels`, body, { token: other.terrain.token, headers: ifMatch(1) });
  assertProblem(await m({ to_level: 1, bilan: 'x', ends_on: `${year}-12-01` }), 422, 'invalid_field', 'to_level');
  assertProblem(await m({ to_level: 2, bilan: 'x' }), 422, 'missing_field', 'ends_on');
  assertProblem(await m({ to_level: 2, ends_on: `${year}-12-01` }), 422, 'missing_field', 'bilan');
  assertProblem(await post(`/api/v1/cases/${id}/agreements`, {}, { token: other.terrain.token }), 409, 'agreement_outside_level_2');
  assert.equal(await dbValue(`SELECT COUNT(*) FROM acc_entry WHERE case_id = ${n(id)}`), '0');
  assert.equal(await dbValue(`SELECT CONCAT(level, '/', version) FROM acc_case WHERE id = ${n(id)}`), '1/1');
});

test('a trainee en renouvellement starts the year at level 1, with 7 h for the tuteur Inspé', async () => {
  const admin = s['lyon/admin'];
  const trainee = await freshPerson(admin, cleanup, ['stagiaire'], 't-acc');
  const id = await enrol(admin, cleanup, {
    trainee_id: trainee.id, year_id: fx.year.id, parcours: 'DU', degre: 1, category: 'professeur',
    pole_id: fx.ids.pole, inspe_site_id: fx.ids.site, places: [{ school_id: fx.ids.school }],
    tuteur_terrain_id: fx.terrain.me.id, tuteur_inspe_id: fx.inspe.me.id, renouvellement: true,
  });
  const rows = await db(`SELECT c.level, c.closed_at IS NULL, e.inspe_hours FROM acc_case c JOIN enrolment e ON e.academy_id = c.academy_id AND e.id = c.enrolment_id WHERE c.enrolment_id = ${n(id)}`);
  assert.deepEqual(rows, [['1', '1', '7.0']]);
  const list = ok(await get('/api/v1/cases', { token: fx.terrain.token, query: { state: 'open', limit: 200 } }));
  assert.ok(list.items.some((x) => x.enrolment.id === id && x.level === 1));
  // The flag set again opens nothing more.
  const en = ok(await get(`/api/v1/enrolments/${id}`, { token: admin.token }));
  ok(await request('PATCH', `/api/v1/enrolments/${id}`, { token: admin.token, json: { renouvellement: true }, headers: ifMatch(en.version) }));
  assert.equal(await dbValue(`SELECT COUNT(*) FROM acc_case WHERE enrolment_id = ${n(id)}`), '1');
});

test('every write of the file left exactly one audit row', async () => {
  await assertEveryWriteAudited(writes);
  const actions = await db(`SELECT DISTINCT action FROM audit_log WHERE object_type = 'case' AND object_id = ${n(caseId)} ORDER BY action`);
  assert.deepEqual(actions.map((r) => r[0]), ['case.agreement', 'case.entry', 'case.level', 'case.open', 'case.share', 'case.share_revoke']);
  // The audit trail holds no text of the fiche.
  const details = await dbValue(`SELECT GROUP_CONCAT(detail) FROM audit_log WHERE object_type = 'case' AND object_id = ${n(caseId)}`);
  assert.ok(!details.includes(MARK));
  void q;
});
