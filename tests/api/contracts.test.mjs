// Module contracts (issue 10): the parcours d'individualisation. An annex 2
// (1er degré, Lyon) and an annex 3 (2nd degré, Grenoble) are opened by a
// pilot of the trainee's scope on the demo enrolments of the current year,
// signed by every party the annex names from their own session (each
// confirming with their directory password), then revised: the new version
// voids the signatures of the old one and everyone signs again. Stale
// versions, signed versions, second signatures, non-parties and wrong
// passwords are refused with nothing written; the audience is checked
// against every role of the demo académie and the same usernames of the
// other one (the 404 of a missing id, byte for byte).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  request, get, post, put, show, as, assertProblem, db, dbValue, n, Cleanup,
} from '../lib/index.mjs';
import {
  NO_ID, ifMatch, trioFixture, assertAudited, assertNotAudited, trackWrites, assertEveryWriteAudited,
} from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
const writes = trackWrites();
after(() => cleanup.run());

const LYON_ENROLMENT = 200101; // stagiaire1 (Camille Martin), 1er degré, 2026-2027
const GRENOBLE_ENROLMENT = 200301; // stagiaire1 (Léa Rousseau), 2nd degré, Mathématiques
const LYON_USERS = ['admin', 'stagiaire1', 'stagiaire2', 'tuteur.terrain1', 'tuteur.inspe1', 'ien1', 'direction1',
  'bureau1', 'pilote.pole1', 'chef.etab1', 'resp.site1', 'cmf1', 'resp.parcours1'];
const GRENOBLE_USERS = ['admin', 'stagiaire1', 'stagiaire2', 'tuteur.terrain1', 'tuteur.inspe1', 'ien1', 'bureau1',
  'pilote.pole1', 'chef.etab1', 'resp.site1', 'cmf1', 'resp.parcours1'];

const lyon = {};
const grenoble = {};
before(async () => {
  for (const u of LYON_USERS) lyon[u] = await as('lyon', u);
  for (const u of GRENOBLE_USERS) grenoble[u] = await as('grenoble', u);
});

const domains = (tag) => [
  { key: 'ethics', situation: `Retards répétés (${tag})`, needs: 'Ponctualité', support: 'Entretien avec l’IEN' },
  { key: 'classroom', situation: 'Élèves dispersés en fin de séance', needs: 'Consignes écrites', support: 'Visite(s) supplémentaire(s)' },
  { key: 'safety', situation: 'Surveillance de la cour', needs: 'Repères de sécurité', support: 'Observation d’une classe' },
  { key: 'teaching', situation: 'Séances peu structurées', needs: 'Préparer des séquences', support: 'Module de formation supplémentaire' },
  { key: 'development', situation: 'Peu de retour sur sa pratique', needs: 'Réflexivité', support: 'Pratique accompagnée' },
];

/** JSON with sorted keys, compact: what the server hashes. */
const canonical = (v) => (Array.isArray(v) ? `[${v.map(canonical).join(',')}]`
  : v && typeof v === 'object' ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`
    : JSON.stringify(v));
const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');

const open = (s, body) => post('/api/v1/individualisations', body, { token: s.token });
const read = (s, id) => get(`/api/v1/individualisations/${id}`, { token: s.token });
const sign = (s, c, vid, version, password = 'demo') => post(`/api/v1/individualisations/${c}/versions/${vid}/signatures`,
  { password }, { token: s.token, headers: ifMatch(version) });
const current = (body) => body.versions.find((v) => v.current);
const signatures = (vid) => dbValue(`SELECT COUNT(*) FROM contract_signature WHERE version_id = ${n(vid)}`).then(Number);
const notified = (contract, kind) => db(`SELECT recipient_id FROM notification WHERE object_kind = 'contract'
  AND object_id = ${n(contract)} AND kind = '${kind}' ORDER BY recipient_id`).then((rows) => rows.map(([id]) => Number(id)));

/** The session of each party, found among the académie's demo accounts. */
function sessionsOf(parties, accounts) {
  return parties.map((p) => {
    const s = Object.values(accounts).find((a) => a.me.id === p.person_id);
    assert.ok(s, `party ${p.role} (${p.name}) is a demo account`);
    return { ...p, s };
  });
}

/** Every party signs the current version; the last one puts it in force. */
async function signAll(c, accounts) {
  let body = (await read(accounts.bureau1, c)).body;
  const v = current(body);
  const parties = sessionsOf(v.content.parties, accounts);
  for (const [i, p] of parties.entries()) {
    assert.equal(body.in_force, false, 'not in force before the last signature');
    const res = await sign(p.s, c, v.id, v.version);
    assert.equal(res.status, 201, `${p.role} signs: ${show(res)}`);
    await assertAudited(res, { action: 'contract.sign', actor: p.person_id, type: 'contract', id: c, academy: accounts === lyon ? 'lyon' : 'grenoble' });
    body = res.body;
    const mine = current(body).signatures.find((x) => x.person_id === p.person_id);
    assert.ok(mine.signed_at, 'the signature is dated');
    assert.equal(mine.content_sha256, v.content_sha256, 'the signature approves the exact content');
    assert.equal(current(body).signed, i + 1);
  }
  assert.equal(body.in_force, true, 'in force once every party has signed');
  assert.equal(current(body).in_force, true);
  return body;
}

let annex2; // the contract of the Lyon walk
let annex3;

test('annex 2: a pilot opens the parcours; the header and the parties come from the enrolment, its trio and the annuaire', async () => {
  const res = await open(lyon.ien1, { enrolment_id: LYON_ENROLMENT, started_on: '2027-01-11', domains: domains('v1') });
  assert.equal(res.status, 201, show(res));
  await assertAudited(res, { action: 'contract.open', actor: lyon.ien1.me.id, type: 'contract', id: res.body.id });
  annex2 = res.body.id;
  const v = current(res.body);
  assert.equal(res.body.annex, 2);
  assert.equal(res.headers.etag, `"${v.version}"`);
  assert.equal(v.number, 1);
  const h = v.content.header;
  assert.equal(h.trainee, 'Camille Martin');
  assert.equal(h.parcours, 'M2A');
  assert.equal(h.department, 'Ain');
  assert.equal(h.circonscription, 'Bourg 2');
  assert.equal(h.pole, 'Bourg 2 – Bourg 3 – Bresse');
  assert.match(h.school, /Les Tilleuls/);
  assert.equal(h.inspector, lyon.ien1.me.display_name);
  assert.equal(h.field_tutor, lyon['tuteur.terrain1'].me.display_name);
  assert.equal(h.inspe_tutor, lyon['tuteur.inspe1'].me.display_name);
  assert.deepEqual(v.content.parties.map((p) => [p.role, p.person_id]), [
    ['ien', lyon.ien1.me.id], ['tuteur_dsden', lyon['tuteur.terrain1'].me.id],
    ['tuteur_universitaire', lyon['tuteur.inspe1'].me.id], ['trainee', lyon.stagiaire1.me.id]]);
  assert.deepEqual(v.content.domains.map((d) => d.key), ['ethics', 'classroom', 'safety', 'teaching', 'development']);
  assert.equal(v.content.domains[1].support, 'Visite(s) supplémentaire(s)');
  assert.equal(v.content.started_on, '2027-01-11');
  // The hash is the SHA-256 of the canonical content, stored as served.
  assert.equal(v.content_sha256, sha256(canonical(v.content)));
  const [[stored, hash]] = await db(`SELECT content, content_sha256 FROM contract_version WHERE id = ${n(v.id)}`);
  assert.equal(sha256(stored), hash);
  // Every party is asked to sign; the cellule is told the parcours is open.
  assert.deepEqual(await notified(annex2, 'contracts.signature_requested'),
    [lyon.stagiaire1.me.id, lyon['tuteur.terrain1'].me.id, lyon['tuteur.inspe1'].me.id].sort((a, b) => a - b));
  assert.ok((await notified(annex2, 'contracts.opened')).includes(lyon.bureau1.me.id));
  // The mail says only that something awaits: no content of the annex.
  const subjects = await db(`SELECT subject, body_text FROM mail_outbox WHERE notification_id IN
    (SELECT id FROM notification WHERE object_kind = 'contract' AND object_id = ${n(annex2)})`);
  for (const [subject, text] of subjects) {
    assert.doesNotMatch(`${subject} ${text}`, /Retards répétés|Élèves dispersés/);
  }
});

test('a wrong password signs nothing: 422 naming password, the failure audited', async () => {
  const v = current((await read(lyon.stagiaire1, annex2)).body);
  const res = await sign(lyon.stagiaire1, annex2, v.id, v.version, 'pas-le-bon');
  assertProblem(res, 422, 'invalid_field', 'password');
  assert.equal(await signatures(v.id), 0);
  await assertAudited(res, { action: 'contract.sign_failed', actor: lyon.stagiaire1.me.id, type: 'contract', id: annex2 });
});

test('someone the annex does not name cannot sign: the cellule and the pôle pilot see it, 403', async () => {
  const v = current((await read(lyon.bureau1, annex2)).body);
  for (const s of [lyon.bureau1, lyon['pilote.pole1']]) {
    const res = await sign(s, annex2, v.id, v.version);
    assertProblem(res, 403, 'forbidden');
    await assertNotAudited(res);
  }
  assert.equal(await signatures(v.id), 0);
});

test('annex 2 signed by its four parties is in force; a second signature is 409, editing it 409', async () => {
  const body = await signAll(annex2, lyon);
  const v = current(body);
  assert.deepEqual(await notified(annex2, 'contracts.in_force').then((ids) => ids.includes(lyon.bureau1.me.id)), true);
  const again = await sign(lyon.ien1, annex2, v.id, v.version);
  assertProblem(again, 409, 'contract_already_signed');
  assert.equal(await signatures(v.id), 4);
  const edit = await put(`/api/v1/individualisations/${annex2}/versions/${v.id}`, { domains: domains('edited') },
    { token: lyon.ien1.token, headers: ifMatch(v.version) });
  assertProblem(edit, 409, 'contract_version_signed', 'vid');
  await assertNotAudited(edit);
  const [[content]] = await db(`SELECT content FROM contract_version WHERE id = ${n(v.id)}`);
  assert.doesNotMatch(content, /edited/);
});

test('annex 2 revised: a new version voids the signatures, a stale version is 412, everyone signs again', async () => {
  const before = (await read(lyon.ien1, annex2)).body;
  const v1 = current(before);
  const res = await post(`/api/v1/individualisations/${annex2}/versions`, { started_on: '2027-01-18', domains: domains('v2') }, { token: lyon.ien1.token });
  assert.equal(res.status, 201, show(res));
  const v2 = current(res.body);
  assert.equal(v2.number, 2);
  assert.equal(res.body.in_force, false);
  assert.equal(v2.signed, 0);
  const old = res.body.versions.find((v) => v.id === v1.id);
  assert.equal(old.current, false);
  assert.ok(old.superseded_at);
  assert.equal(old.signed, 4, 'the history keeps the old signatories');
  assert.notEqual(v2.content_sha256, v1.content_sha256);
  // The superseded version: 412 (stale), and nothing written.
  const stale = await sign(lyon.stagiaire1, annex2, v1.id, v1.version);
  assertProblem(stale, 412, 'version_mismatch');
  // The current version, edited before anyone signed: its ETag moves on.
  const edit = await put(`/api/v1/individualisations/${annex2}/versions/${v2.id}`, { started_on: '2027-01-19', domains: domains('v2b') },
    { token: lyon.ien1.token, headers: ifMatch(v2.version) });
  assert.equal(edit.status, 200, show(edit));
  const v2b = current(edit.body);
  assert.equal(v2b.version, v2.version + 1);
  assert.equal(v2b.content.started_on, '2027-01-19');
  assert.equal(v2b.content_sha256, sha256(canonical(v2b.content)));
  const staleEdit = await sign(lyon.stagiaire1, annex2, v2.id, v2.version);
  assertProblem(staleEdit, 412, 'version_mismatch');
  const staleWrite = await put(`/api/v1/individualisations/${annex2}/versions/${v2.id}`, { domains: domains('lost') },
    { token: lyon.ien1.token, headers: ifMatch(v2.version) });
  assertProblem(staleWrite, 412, 'version_mismatch');
  assert.equal(await signatures(v2.id), 0);
  const after = await signAll(annex2, lyon);
  assert.equal(current(after).number, 2);
  assert.equal(after.versions.length, 2);
});

test('annex 3: the IA-IPR opens it for the 2nd degré; its six parties sign, then a revision is signed again', async () => {
  const ia = grenoble['pilote.pole1'];
  const res = await open(ia, { enrolment_id: GRENOBLE_ENROLMENT, started_on: '2027-01-11', domains: domains('annexe 3') });
  assert.equal(res.status, 201, show(res));
  annex3 = res.body.id;
  assert.equal(res.body.annex, 3);
  const v = current(res.body);
  assert.equal(v.content.header.discipline, 'Mathématiques');
  assert.equal(v.content.header.inspector, ia.me.display_name, 'the IA-IPR who opens it is its inspector');
  assert.deepEqual(v.content.parties.map((p) => [p.role, p.person_id]), [
    ['inspecteur', ia.me.id], ['chef_etablissement', grenoble['chef.etab1'].me.id],
    ['tuteur_academique', grenoble['tuteur.terrain1'].me.id], ['tuteur_inspe', grenoble['tuteur.inspe1'].me.id],
    ['responsable_parcours', grenoble['resp.parcours1'].me.id], ['trainee', grenoble.stagiaire1.me.id]]);
  await signAll(annex3, grenoble);
  const rev = await post(`/api/v1/individualisations/${annex3}/versions`, { domains: domains('annexe 3 v2') }, { token: ia.token });
  assert.equal(rev.status, 201, show(rev));
  assert.equal(rev.body.in_force, false);
  const body = await signAll(annex3, grenoble);
  assert.equal(body.versions.length, 2);
  assert.equal(body.versions.find((x) => !x.current).signed, 6);
});

test('audience: the parties, the pilots, the cellule and the trainee; nobody else, in no académie', async () => {
  const missing = (s) => read(s, NO_ID);
  const sees = new Set(['stagiaire1', 'tuteur.terrain1', 'tuteur.inspe1', 'ien1', 'bureau1', 'pilote.pole1']);
  for (const u of LYON_USERS) {
    const res = await read(lyon[u], annex2);
    if (sees.has(u)) {
      assert.equal(res.status, 200, `lyon ${u}: ${show(res)}`);
    } else if (res.status !== 403) { // a role the route admits at all, but no relation: not found
      const m = await missing(lyon[u]);
      assert.equal(res.status, 404, `lyon ${u}: ${show(res)}`);
      assert.equal(res.text, m.text, `lyon ${u}: the 404 of a missing id`);
    }
    const list = await get('/api/v1/individualisations', { token: lyon[u].token });
    if (list.status === 200) assert.equal(list.body.items.some((c) => c.id === annex2), sees.has(u), `lyon ${u} lists it`);
  }
  for (const u of GRENOBLE_USERS) {
    const res = await read(grenoble[u], annex2);
    if (res.status === 403) continue;
    const m = await missing(grenoble[u]);
    assert.equal(res.status, 404, `grenoble ${u}: ${show(res)}`);
    assert.equal(res.text, m.text, `grenoble ${u}: the 404 of a missing id`);
  }
  // Grenoble's annex 3 is as unknown in Lyon.
  for (const u of LYON_USERS) {
    const res = await read(lyon[u], annex3);
    if (res.status !== 403) assert.equal(res.text, (await missing(lyon[u])).text, `lyon ${u} on Grenoble's contract`);
  }
  // The version routes of another académie's contract: the same 404.
  const v3 = current((await read(grenoble.bureau1, annex3)).body);
  const cross = await sign(lyon.stagiaire1, annex3, v3.id, v3.version);
  assert.equal(cross.status, 404, show(cross));
  const mixed = await sign(lyon.stagiaire1, annex2, v3.id, v3.version);
  assert.equal(mixed.status, 404, show(mixed));
});

test('bad input: a past year, an enrolment the caller does not pilot, a repeated domain, a bad date; nothing written', async () => {
  const count = () => dbValue('SELECT COUNT(*) FROM contract').then(Number);
  const before = await count();
  const fx = await trioFixture(cleanup); // a past year, ien1 its pilot
  const cases = [
    [lyon.ien1, { enrolment_id: fx.enrolmentId }, 'enrolment_id'],
    [lyon['pilote.pole1'], { enrolment_id: 200201 }, 'enrolment_id'], // stagiaire2, pôle Centre
    [grenoble['pilote.pole1'], { enrolment_id: LYON_ENROLMENT }, 'enrolment_id'],
    [lyon.ien1, { enrolment_id: LYON_ENROLMENT, domains: [{ key: 'ethics' }, { key: 'ethics' }] }, 'domains'],
    [lyon.ien1, { enrolment_id: LYON_ENROLMENT, domains: [{ key: 'humour' }] }, 'domains'],
    [lyon.ien1, { enrolment_id: LYON_ENROLMENT, started_on: '2027-02-30' }, 'started_on'],
    [lyon.ien1, { enrolment_id: LYON_ENROLMENT, domains: [{ key: 'safety', support: 'x'.repeat(4001) }] }, 'domains'],
  ];
  for (const [s, body, field] of cases) {
    const res = await open(s, body);
    assert.equal(res.status, 422, `${JSON.stringify(body).slice(0, 80)}: ${show(res)}`);
    assert.match(res.body.field, new RegExp(`^${field}`), show(res));
    await assertNotAudited(res);
  }
  // A role that pilots nothing cannot open one at all.
  assertProblem(await open(lyon['tuteur.terrain1'], { enrolment_id: LYON_ENROLMENT }), 403, 'forbidden');
  assert.equal(await count(), before);
  // Only the pilot revises, edits, records points and the bilan.
  const v = current((await read(lyon.stagiaire1, annex2)).body);
  for (const [method, path, body] of [
    ['POST', `/api/v1/individualisations/${annex2}/versions`, {}],
    ['PUT', `/api/v1/individualisations/${annex2}/versions/${v.id}`, {}],
    ['POST', `/api/v1/individualisations/${annex2}/points`, { held_on: '2027-02-01', body: 'Point' }],
  ]) {
    const res = await request(method, path, { token: lyon['tuteur.inspe1'].token, json: body, headers: ifMatch(v.version) });
    assertProblem(res, 403, 'forbidden');
  }
  // Signing without the version read: 428.
  const noMatch = await post(`/api/v1/individualisations/${annex2}/versions/${v.id}/signatures`, { password: 'demo' }, { token: lyon.stagiaire1.token });
  assertProblem(noMatch, 428, 'precondition_required');
});

test('points de situation and the bilan: dated entries by the pilot, a correction is a new revision', async () => {
  const p = await post(`/api/v1/individualisations/${annex2}/points`, { held_on: '2027-02-15', body: 'Point en pôle : progrès sur les consignes.' }, { token: lyon.ien1.token });
  assert.equal(p.status, 201, show(p));
  await assertAudited(p, { action: 'contract.point', actor: lyon.ien1.me.id, type: 'contract', id: annex2 });
  assert.equal(p.body.points.at(-1).body, 'Point en pôle : progrès sur les consignes.');
  assert.equal(p.body.points.at(-1).held_on, '2027-02-15');
  const bad = await post(`/api/v1/individualisations/${annex2}/bilan`, { held_on: '2027-04-28', decision: 'peut-être', outcomes: [] }, { token: lyon.ien1.token });
  assertProblem(bad, 422, 'invalid_field', 'decision');
  const outcomes = [{ key: 'classroom', outcome: 'Consignes désormais claires.' }, { key: 'ethics', outcome: 'Ponctuel.' }];
  const b1 = await post(`/api/v1/individualisations/${annex2}/bilan`, { held_on: '2027-04-28', decision: 'continue', outcomes }, { token: lyon.ien1.token });
  assert.equal(b1.status, 201, show(b1));
  assert.equal(b1.body.bilan.decision, 'continue');
  assert.equal(b1.body.bilan.outcomes.classroom, 'Consignes désormais claires.');
  const b2 = await post(`/api/v1/individualisations/${annex2}/bilan`, { held_on: '2027-04-29', decision: 'titularisation', outcomes }, { token: lyon.ien1.token });
  assert.equal(b2.status, 201, show(b2));
  assert.equal(b2.body.bilan.revision, b1.body.bilan.revision + 1);
  assert.equal(b2.body.bilans.length, b1.body.bilans.length + 1, 'the first bilan is kept');
  // The trainee reads them.
  const t = await read(lyon.stagiaire1, annex2);
  assert.equal(t.body.bilan.decision, 'titularisation');
});

test('every successful write left exactly one audit row', async () => {
  await assertEveryWriteAudited(writes);
});

test('the PDF of a signed version holds its content, its signatories with their dates and its hash', async () => {
  const body = (await read(lyon.bureau1, annex2)).body;
  const v = current(body);
  assert.equal(v.in_force, true);
  const res = await request('GET', `/api/v1/individualisations/${annex2}/versions/${v.id}/pdf`, { token: lyon.bureau1.token });
  assert.equal(res.status, 200, show(res));
  assert.match(res.headers['content-type'], /^application\/pdf/);
  assert.match(res.headers['content-disposition'], /^attachment/);
  const bytes = res.raw;
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes, stdio: ['pipe', 'pipe', 'ignore'] }).toString('utf8');
  const flat = text.replace(/\s+/g, ' ');
  assert.match(flat, /Parcours d’individualisation des professeur·e·s des écoles stagiaires \(annexe 2\)/);
  assert.match(flat, /Version 2 — En vigueur/);
  for (const d of v.content.domains) {
    for (const s of [d.situation, d.needs, d.support]) assert.ok(flat.includes(s), `the PDF holds « ${s} »`);
  }
  for (const s of v.signatures) {
    const day = s.signed_at.slice(0, 10).split('-').reverse().join('/');
    assert.ok(flat.includes(`${s.name} — signé le ${day}`), `the PDF holds ${s.name}'s signature of ${day}`);
  }
  assert.ok(flat.includes('Camille Martin') && flat.includes('Bourg 2 – Bourg 3 – Bresse'));
  assert.ok(flat.includes('19/01/2027'), 'the start date');
  assert.ok(flat.includes(v.content_sha256), 'the content hash');
  // Someone outside the audience gets the 404 of a missing id.
  const other = await request('GET', `/api/v1/individualisations/${annex2}/versions/${v.id}/pdf`, { token: lyon['chef.etab1'].token });
  const missing = await request('GET', `/api/v1/individualisations/${annex2}/versions/${NO_ID}/pdf`, { token: lyon['chef.etab1'].token });
  assert.equal(other.status, 404);
  assert.equal(other.text, missing.text);
});
