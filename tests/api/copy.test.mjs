// A person's own copy of their data (issue 15, RGPD art. 15 and 20;
// docs/copy.md). stagiaire1 (Lyon demo) asks for it; `tutoratctl copies`
// prepares it in the background; the ZIP holds their dossier,
// self-assessments, bilans, documents, fiche de personnalisation and
// parcours d'individualisation with its signature (marker texts written
// here) and nothing of stagiaire2's (their markers never appear); a party
// of the parcours (the tuteur universitaire) finds it in theirs; the link
// works once, for its person only; another académie sees nothing.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  request, get, post, put, show, as, assertProblem, db, dbValue, n, uniq, pollUntil,
} from '../lib/index.mjs';
import { grid, ifMatch, NO_ID } from '../lib/tutorat.mjs';
import { stackProcess } from '../lib/mail.mjs';
import { unzip } from '../lib/unzip.mjs';

const E1 = 200101; // stagiaire1's demo enrolment (Lyon)
const E2 = 200201; // stagiaire2's
const M1 = uniq('MARQUEUR-S1');
const M2 = uniq('MARQUEUR-S2');
const made = { followups: [], assessments: [], bilans: [], fiches: [], contracts: [] };
let s1, s2, terrain, inspe, ien;

/** Writes, in enrolment `eid` of `trainee`, a self-assessment, a visit
 * with a document uploaded by the trainee, and a final bilan whose grid
 * carries `marker`. */
async function dossierWith(eid, trainee, marker) {
  const ok = (res, status) => { assert.equal(res.status, status, show(res)); return res.body; };
  const en = ok(await get(`/api/v1/enrolments/${eid}`, { token: trainee.token }), 200);
  const g = await grid(trainee.token, en.referentiel_id);
  const label = await dbValue(`SELECT y.label FROM enrolment e JOIN school_year y ON y.id = e.year_id WHERE e.id = ${n(eid)}`);
  const a = Number(label.slice(0, 4));
  const sa = ok(await post(`/api/v1/enrolments/${eid}/self-assessments`, {
    priorities: `Priorités ${marker}`, items: [{ competence_id: g.common[0], level: 2, comment: `Niveau ${marker}` }],
  }, { token: trainee.token }), 201);
  made.assessments.push(sa.id);
  const minute = String(Math.floor(Math.random() * 50) + 5).padStart(2, '0');
  const fu = ok(await post(`/api/v1/enrolments/${eid}/followups`, {
    kind: 'interview', scheduled_at: `${a}-11-${eid === E1 ? '19' : '20'}T16:${minute}`, with_terrain: true, with_inspe: false,
  }, { token: terrain.token }), 201);
  made.followups.push(fu.id);
  const pdf = Buffer.from(`%PDF-1.4\n% ${marker}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
  const doc = ok(await request('POST', `/api/v1/followups/${fu.id}/documents`, {
    token: trainee.token, query: { filename: `sequence-${marker}.pdf` }, body: pdf, headers: { 'Content-Type': 'application/octet-stream' },
  }), 201);
  const bid = ok(await post(`/api/v1/enrolments/${eid}/bilans`, { kind: 'final' }, { token: inspe.token }), 201).id;
  made.bilans.push(bid);
  const items = [...g.common, ...g.professeur].map((competence_id) => ({ competence_id, level: 3, comment: `Bilan ${marker}` }));
  ok(await put(`/api/v1/bilans/${bid}`, { items }, { token: inspe.token, headers: ifMatch(1) }), 200);
  const fiche = ok(await post('/api/v1/personalisations', {
    trainee_id: trainee.me.id, decided_on: `${a}-10-15`,
    items: [{ difficulty: 3, situation: `Situation ${marker}`, support: `Soutien ${marker}`, hours: 4 }],
  }, { token: inspe.token }), 201);
  made.fiches.push(fiche.id);
  return { pdf, document: doc.id, assessment: sa.id, bilan: bid, fiche: fiche.id };
}

/** Opens, in enrolment `eid`, a parcours d'individualisation (annex 2)
 * whose domains carry `marker`, and has its trainee sign it. */
async function contractWith(eid, trainee, marker) {
  const ok = (res, status) => { assert.equal(res.status, status, show(res)); return res.body; };
  const domains = ['ethics', 'classroom', 'safety', 'teaching', 'development'].map((key) => ({
    key, situation: `Domaine ${marker}`, needs: 'Repères', support: 'Visite supplémentaire',
  }));
  const c = ok(await post('/api/v1/individualisations', { enrolment_id: eid, started_on: '2027-01-11', domains }, { token: ien.token }), 201);
  made.contracts.push(c.id);
  const v = ok(await get(`/api/v1/individualisations/${c.id}`, { token: trainee.token }), 200).versions.find((x) => x.current);
  ok(await post(`/api/v1/individualisations/${c.id}/versions/${v.id}/signatures`, { password: 'demo' },
    { token: trainee.token, headers: ifMatch(v.version) }), 201);
  ok(await post(`/api/v1/individualisations/${c.id}/points`, { held_on: '2027-02-01', body: `Point ${marker}` }, { token: ien.token }), 201);
  return { contract: c.id, version: v.id, sha: v.content_sha256 };
}

/** Waits until the person has no copy in preparation (another test file's
 * request may be), so that theirs can be asked for. */
async function noPending(who) {
  const r = await pollUntil(async () => {
    const l = await get('/api/v1/me/copies', { token: who.token });
    return l.status === 200 && !l.body.items.some((c) => c.status === 'pending');
  }, { bound: 30000 });
  assert.ok(!r.timedOut, 'a pending copy was never prepared');
}

/** Asks for a copy and waits for the runner to prepare it; its list item. */
async function readyCopy(who) {
  await noPending(who);
  const res = await post('/api/v1/me/copies', {}, { token: who.token });
  assert.equal(res.status, 202, show(res));
  assert.deepEqual(res.body, { id: res.body.id, status: 'pending' });
  const r = await pollUntil(async () => {
    const l = await get('/api/v1/me/copies', { token: who.token });
    return l.body.items.find((c) => c.id === res.body.id && c.status !== 'pending');
  }, { bound: 30000 });
  assert.ok(!r.timedOut, 'the copy was not prepared');
  assert.equal(r.value.status, 'ready');
  return { ...r.value, requestId: res.headers['x-request-id'] };
}

async function linkOf(who, id) {
  const res = await post(`/api/v1/me/copies/${id}/link`, {}, { token: who.token });
  assert.equal(res.status, 201, show(res));
  assert.match(res.body.href, new RegExp(`^/api/v1/me/copies/${id}/download\\?token=[A-Za-z0-9_-]{43}$`));
  return res.body.href;
}

let d1, d2, c1;
before(async () => {
  // One after the other: concurrent first logins may meet in the same rows.
  s1 = await as('lyon', 'stagiaire1');
  s2 = await as('lyon', 'stagiaire2');
  terrain = await as('lyon', 'tuteur.terrain1');
  inspe = await as('lyon', 'tuteur.inspe1');
  ien = await as('lyon', 'ien1');
  d1 = await dossierWith(E1, s1, M1);
  d2 = await dossierWith(E2, s2, M2);
  c1 = await contractWith(E1, s1, M1);
});

after(async () => {
  await stackProcess('start', 'copies').catch(() => {});
  const f = made.followups.map(n).join(',') || '0';
  const sa = made.assessments.map(n).join(',') || '0';
  const b = made.bilans.map(n).join(',') || '0';
  await db(`DELETE FROM document WHERE followup_id IN (${f})`);
  await db(`DELETE FROM trace WHERE followup_id IN (${f})`);
  await db(`DELETE FROM followup WHERE id IN (${f})`);
  await db(`DELETE FROM self_assessment_item WHERE assessment_id IN (${sa})`);
  await db(`DELETE FROM self_assessment WHERE id IN (${sa})`);
  await db(`DELETE FROM bilan_item WHERE bilan_id IN (${b})`);
  await db(`DELETE FROM bilan WHERE id IN (${b})`);
  const fi = made.fiches.map(n).join(',') || '0';
  await db(`DELETE FROM personalisation_item WHERE personalisation_id IN (${fi})`);
  await db(`DELETE FROM personalisation WHERE id IN (${fi})`);
  const c = made.contracts.map(n).join(',') || '0';
  const v = `SELECT id FROM contract_version WHERE contract_id IN (${c})`;
  await db(`DELETE FROM contract_signature WHERE version_id IN (${v})`);
  await db(`DELETE FROM contract_party WHERE version_id IN (${v})`);
  await db(`DELETE FROM contract_point WHERE contract_id IN (${c})`);
  await db(`DELETE FROM contract_version WHERE contract_id IN (${c})`);
  await db(`DELETE FROM contract WHERE id IN (${c})`);
});

test('stagiaire1’s copy holds their identity, dossier, self-assessments, bilans, documents, fiche de personnalisation and parcours d’individualisation, and nothing of stagiaire2', async () => {
  const copy = await readyCopy(s1);
  const [[action, actor]] = await db(`SELECT action, actor_id FROM audit_log WHERE request_id = '${copy.requestId}'`);
  assert.deepEqual([action, Number(actor)], ['copy.request', s1.me.id]);
  assert.ok(copy.expires_at > copy.ready_at, 'a ready copy has its expiry');
  // The person is told, in the app (the link of the screen).
  assert.equal(await dbValue(`SELECT COUNT(*) FROM notification WHERE recipient_id = ${n(s1.me.id)} AND kind = 'copy.ready' AND object_id = ${n(copy.id)} AND link = '/app.html#/mes-donnees/copie'`), '1');

  const href = await linkOf(s1, copy.id);
  const dl = await get(href, { token: s1.token });
  assert.equal(dl.status, 200, show(dl));
  assert.match(dl.headers['content-type'], /^application\/zip/);
  assert.match(dl.headers['content-disposition'], /^attachment;/);
  const files = unzip(dl.raw);
  assert.ok(files['donnees.json'] && files['resume.html'], `entries: ${Object.keys(files)}`);
  const data = JSON.parse(files['donnees.json'].toString('utf8'));

  assert.equal(data.person.username, 'stagiaire1');
  assert.equal(data.person.display_name, 'Camille Martin');
  assert.ok(data.roles.some((r) => r.role === 'stagiaire'));
  assert.deepEqual(data.enrolments.map((e) => e.id), [E1]);
  assert.ok(data.tutors.length >= 2);
  assert.ok(data.self_assessments.some((s) => s.id === d1.assessment && s.priorities === `Priorités ${M1}`));
  assert.ok(data.self_assessment_items.some((i) => i.assessment_id === d1.assessment && i.comment === `Niveau ${M1}`));
  assert.ok(data.bilans.some((b) => b.id === d1.bilan && b.kind === 'final'));
  assert.ok(data.bilan_items.some((i) => i.bilan_id === d1.bilan && i.comment === `Bilan ${M1}`));
  assert.ok(data.followups.some((f) => f.kind === 'interview'));
  // The accompaniment case of the demo (level 2) and its fiche de suivi.
  assert.ok(data.accompaniment_cases.length >= 1 && data.accompaniment_entries.length >= 1);
  const doc = data.documents.find((x) => x.id === d1.document);
  assert.ok(doc, 'the document is listed');
  assert.equal(doc.filename, `sequence-${M1}.pdf`);
  assert.ok(files[doc.file]?.equals(d1.pdf), `the document's bytes are in the archive as ${doc.file}`);
  // Their fiche de personnalisation (a draft: the trainee reads it) and its difficulties.
  const fiche = data.personalisations.find((f) => f.id === d1.fiche);
  assert.ok(fiche, 'the fiche de personnalisation is listed');
  assert.deepEqual([fiche.enrolment_id, fiche.status], [E1, 'draft']);
  assert.deepEqual(data.personalisation_items.filter((i) => i.personalisation_id === d1.fiche)
    .map((i) => [i.difficulty, i.label, i.situation, i.support, i.hours]),
  [[3, 'Gestion de la classe', `Situation ${M1}`, `Soutien ${M1}`, 4]]);
  // Their parcours d'individualisation: the version's content, its hash, their signature.
  const contract = data.individualisations.find((x) => x.id === c1.contract);
  assert.deepEqual(contract && [contract.enrolment_id, contract.annex, contract.trainee], [E1, 2, 'Camille Martin']);
  const version = data.individualisation_versions.find((x) => x.contract_id === c1.contract && x.number === 1);
  assert.ok(version, 'the version is listed');
  assert.equal(version.content_sha256, c1.sha);
  assert.ok(version.content.domains.some((dm) => dm.situation === `Domaine ${M1}`), JSON.stringify(version.content));
  assert.ok(version.content.parties.some((p) => p.role === 'trainee' && p.person_id === s1.me.id));
  const signed = data.individualisation_signatures.filter((x) => x.contract_id === c1.contract);
  assert.deepEqual(signed.map((x) => [x.version, x.role, x.signer, x.content_sha256]), [[1, 'trainee', 'Camille Martin', c1.sha]]);
  assert.deepEqual(data.individualisation_points.filter((x) => x.contract_id === c1.contract).map((x) => [x.held_on, x.body, x.author]),
    [['2027-02-01', `Point ${M1}`, ien.me.display_name]]);
  assert.match(signed[0].signed_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  const html = files['resume.html'].toString('utf8');
  assert.match(html, /<html lang="fr">/);
  assert.match(html, /<h1>Copie de mes données : Camille Martin<\/h1>/);
  assert.match(html, /<caption>Inscriptions<\/caption>/);
  assert.match(html, /<caption>Fiches de personnalisation de l’accompagnement<\/caption>/);
  assert.match(html, /<caption>Signatures des versions<\/caption>/);
  for (const text of [`Priorités ${M1}`, `Bilan ${M1}`, `sequence-${M1}.pdf`, `Situation ${M1}`, `Domaine ${M1}`, `Point ${M1}`, c1.sha]) {
    assert.ok(html.includes(text), `resume.html shows ${text}`);
  }

  // Nothing of stagiaire2's: not their markers, not their enrolment, in no file.
  for (const [name, bytes] of Object.entries(files)) {
    assert.ok(!bytes.includes(M2), `${name} holds a marker of stagiaire2`);
    assert.ok(!bytes.includes('Julien Bernard'), `${name} names stagiaire2`);
  }
  assert.ok(!data.enrolments.some((e) => e.id === E2));

  // Downloaded: the bytes are gone from the database, the link with them.
  assert.deepEqual(await db(`SELECT status, content IS NULL, token_hash IS NULL FROM personal_copy WHERE id = ${n(copy.id)}`), [['downloaded', '1', '1']]);
  const [[dlAction]] = await db(`SELECT action FROM audit_log WHERE request_id = '${dl.headers['x-request-id']}'`);
  assert.equal(dlAction, 'copy.download');
  const listed = (await get('/api/v1/me/copies', { token: s1.token })).body.items.find((c) => c.id === copy.id);
  assert.equal(listed.status, 'downloaded');
});

test('a party of a parcours’ current version finds it in their copy, with the signatures; not the trainee’s dossier', async () => {
  const body = (await get(`/api/v1/individualisations/${c1.contract}`, { token: s1.token })).body;
  const party = body.versions.find((v) => v.current).content.parties.find((p) => p.role === 'tuteur_universitaire');
  assert.equal(party?.person_id, inspe.me.id, 'tuteur.inspe1 is the tuteur universitaire of the parcours');
  const copy = await readyCopy(inspe);
  const files = unzip((await get(await linkOf(inspe, copy.id), { token: inspe.token })).raw);
  const data = JSON.parse(files['donnees.json'].toString('utf8'));
  assert.ok(data.individualisations.some((x) => x.id === c1.contract), 'the parcours is listed');
  assert.ok(data.individualisation_versions.some((x) => x.contract_id === c1.contract && x.content_sha256 === c1.sha));
  assert.deepEqual(data.individualisation_signatures.filter((x) => x.contract_id === c1.contract).map((x) => x.signer), ['Camille Martin']);
  // The trainees' dossiers stay theirs: no fiche, no enrolment, no self-assessment.
  assert.deepEqual([data.personalisations, data.enrolments, data.self_assessments], [[], [], []]);
  assert.ok(!files['donnees.json'].includes(`Situation ${M1}`) && !files['donnees.json'].includes(M2));
});

test('the link works once: two downloads at the same time give one file and one 410; a later one 410', async () => {
  const copy = await readyCopy(s1);
  const href = await linkOf(s1, copy.id);
  const both = await Promise.all([get(href, { token: s1.token }), get(href, { token: s1.token })]);
  assert.deepEqual(both.map((r) => r.status).sort(), [200, 410], both.map(show).join(' | '));
  const gone = both.find((r) => r.status === 410);
  assertProblem(gone, 410, 'copy_link_gone', 'token');
  assert.ok(unzip(both.find((r) => r.status === 200).raw)['donnees.json']);
  assertProblem(await get(href, { token: s1.token }), 410, 'copy_link_gone', 'token');
  // A link for a downloaded copy is refused: nothing left to give.
  assertProblem(await post(`/api/v1/me/copies/${copy.id}/link`, {}, { token: s1.token }), 409, 'copy_not_ready', 'id');
});

test('another person cannot use the link nor see the copy (404); another académie sees nothing; a new link replaces the old', async () => {
  const copy = await readyCopy(s1);
  const old = await linkOf(s1, copy.id);
  const href = await linkOf(s1, copy.id);
  const grenoble = await as('grenoble', 'stagiaire1');
  const missing = await get(`/api/v1/me/copies/${NO_ID}/download?token=${'A'.repeat(43)}`, { token: s2.token });
  assert.equal(missing.status, 404);
  for (const who of [s2, terrain, grenoble, await as('lyon', 'admin')]) {
    const res = await get(href, { token: who.token });
    assert.equal(res.status, 404, show(res));
    assert.equal(res.text, missing.text, 'the same 404 as a missing id');
    assert.equal((await post(`/api/v1/me/copies/${copy.id}/link`, {}, { token: who.token })).status, 404);
    const list = await get('/api/v1/me/copies', { token: who.token });
    assert.equal(list.status, 200, show(list));
    assert.ok(!list.body.items.some((c) => c.id === copy.id), 'another person’s list never shows it');
  }
  assertProblem(await get(old, { token: s1.token }), 410, 'copy_link_gone', 'token');
  assert.equal(await dbValue(`SELECT status FROM personal_copy WHERE id = ${n(copy.id)}`), 'ready', 'nothing was consumed');
  const mine = await get(href, { token: s1.token });
  assert.equal(mine.status, 200, show(mine));
});

test('prepared in the background: while the runner is stopped the copy stays pending, and a second request is 409 copy_pending', async () => {
  await noPending(s2);
  await stackProcess('stop', 'copies');
  try {
    const first = await post('/api/v1/me/copies', {}, { token: s2.token });
    assert.equal(first.status, 202, show(first));
    const second = await post('/api/v1/me/copies', {}, { token: s2.token });
    assertProblem(second, 409, 'copy_pending');
    assert.equal(await dbValue(`SELECT COUNT(*) FROM audit_log WHERE request_id = '${second.headers['x-request-id']}'`), '0');
    assert.equal(await dbValue(`SELECT COUNT(*) FROM personal_copy WHERE person_id = ${n(s2.me.id)} AND status = 'pending'`), '1');
    const list = await get('/api/v1/me/copies', { token: s2.token });
    assert.equal(list.body.items.find((c) => c.id === first.body.id).status, 'pending');
    assertProblem(await post(`/api/v1/me/copies/${first.body.id}/link`, {}, { token: s2.token }), 409, 'copy_not_ready', 'id');
  } finally {
    await stackProcess('start', 'copies');
  }
  // stagiaire2's own copy holds their markers and none of stagiaire1's.
  const r = await pollUntil(async () => (await get('/api/v1/me/copies', { token: s2.token })).body.items.find((c) => c.status === 'ready'), { bound: 30000 });
  assert.ok(!r.timedOut);
  const files = unzip((await get(await linkOf(s2, r.value.id), { token: s2.token })).raw);
  const text = files['donnees.json'].toString('utf8');
  assert.ok(text.includes(`Priorités ${M2}`) && text.includes(`Situation ${M2}`) && !text.includes(M1));
  const data = JSON.parse(text);
  assert.deepEqual(data.individualisations, [], 'stagiaire2 is no party to stagiaire1’s parcours');
  assert.deepEqual(data.individualisation_signatures, []);
});

test('bad input: an unknown parameter is 400, a missing or malformed token 422, nothing written', async () => {
  const id = (await db(`SELECT id FROM personal_copy WHERE person_id = ${n(s1.me.id)} LIMIT 1`))[0][0];
  assertProblem(await post('/api/v1/me/copies', {}, { token: s1.token, query: { format: 'pdf' } }), 400, 'unknown_parameter');
  assertProblem(await get(`/api/v1/me/copies/${id}/download`, { token: s1.token }), 422, 'missing_field', 'token');
  assertProblem(await get(`/api/v1/me/copies/${id}/download?token=court`, { token: s1.token }), 422, 'invalid_field', 'token');
  assertProblem(await get(`/api/v1/me/copies/${id}/download?token=${'*'.repeat(43)}`, { token: s1.token }), 422, 'invalid_field', 'token');
  assertProblem(await get('/api/v1/me/copies', { token: s1.token, query: { all: '1' } }), 400, 'unknown_parameter');
});
