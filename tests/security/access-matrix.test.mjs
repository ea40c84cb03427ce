// Access on the route (issue 6): the matrix generated from the route table.
//
// `tutoratctl routes` prints, for every route that addresses an object, the
// object's kind and the relations that see it and act on it. This file
// 1. compares that declaration with tests/security/access-matrix.json, the
//    intended one: a route whose relations are widened (or narrowed) in the
//    code fails here until the JSON says so too; and every {id} route of the
//    service either declares its object or is listed as unscoped, with why;
// 2. checks every declared route × every caller × both académies against
//    real objects made for the test (an enrolment with its trio, a visit, a
//    document, a self-assessment, a bilan, the other modules' objects, a
//    SOPA site, placement and report): a caller whose relation does not
//    see the object gets the very 404 of a missing id, byte for byte; one who
//    sees it but may not act gets 403; one who may act passes the access
//    check (a write then stops at an undeclared query parameter, so nothing
//    is written; a read answers 200). Nothing of the objects changes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, request, post, put, show, as, routes, db, n, Cleanup,
} from '../lib/index.mjs';
import { NO_ID, ifMatch, freshPerson, sessionAs, trioFixture, grid } from '../lib/tutorat.mjs';
import { meetingObjects, removeMeetingsOfYear } from '../lib/meetings.mjs';
import { sopaObjects, removeSopaOfYear } from '../lib/sopa.mjs';
import { reseauObjects, removeReseauOfYear } from '../lib/reseau.mjs';

const intended = JSON.parse(readFileSync(join(ROOT, 'tests/security/access-matrix.json'), 'utf8'));
const cleanup = new Cleanup();
let sopa; // the SOPA module's objects and people (tests/lib/sopa.mjs)
let reseau; // the réseau's objects and people (tests/lib/reseau.mjs)
after(async () => {
  if (ids) await removeMeetingsOfYear(ids.year);
  if (sopa) await removeSopaOfYear(sopa.year.id);
  if (reseau) await removeReseauOfYear(reseau.year.id);
  await cleanup.run();
});

let table; // tutoratctl routes
let ids; // object kind → id
let callers; // [{name, s, rel}] — rel: the caller's relation to the enrolment, or 'none'

before(async () => {
  table = await routes();
  const fx = await trioFixture(cleanup);
  const { trainee, terrain, inspe, admin } = fx;
  const eid = fx.enrolmentId;
  const a = Number(fx.year.label.slice(0, 4));
  const ok = (res, status = 200) => { assert.equal(res.status, status, show(res)); return res.body; };
  const g = await grid(trainee.token, fx.enrolment.referentiel_id);
  const fid = ok(await post(`/api/v1/enrolments/${eid}/followups`, { kind: 'visit', scheduled_at: `${a}-11-24T09:00`, with_terrain: true, with_inspe: true }, { token: terrain.token }), 201).id;
  const did = ok(await request('POST', `/api/v1/followups/${fid}/documents`, { token: trainee.token, query: { filename: 'sequence.pdf' }, body: Buffer.from('%PDF-1.4\n%%EOF\n') }), 201).id;
  const sid = ok(await post(`/api/v1/enrolments/${eid}/self-assessments`, { priorities: 'Gestion de classe', items: [{ competence_id: g.common[0], level: 2 }] }, { token: trainee.token }), 201).id;
  const bid = ok(await post(`/api/v1/enrolments/${eid}/bilans`, { kind: 'intermediaire' }, { token: inspe.token }), 201).id;
  ids = { enrolment: eid, followup: fid, document: did, self_assessment: sid, bilan: bid };
  // The accompaniment's objects (docs/accompaniment.md): the enrolment's
  // case raised to level 3 (so that every relation to it exists), and a
  // follow-up time shared with it.
  const chef = await as('lyon', 'chef.etab1');
  const cid = ok(await post(`/api/v1/enrolments/${eid}/cases`, { level: 2, starts_on: `${a}-11-01`, ends_on: `${a}-12-15` }, { token: terrain.token }), 201).id;
  for (const x of [terrain, inspe, chef]) ok(await post(`/api/v1/cases/${cid}/agreements`, {}, { token: x.token }), 201);
  ok(await post(`/api/v1/cases/${cid}/levels`, { to_level: 3, bilan: 'Alerte', starts_on: `${a}-12-16`, ends_on: `${a + 1}-02-15` }, { token: terrain.token, headers: ifMatch(1) }));
  const shid = ok(await post(`/api/v1/cases/${cid}/shares`, { element: 'followup', element_id: fid }, { token: terrain.token }), 201).id;
  Object.assign(ids, { case: cid, case_enrolment: eid, case_share: shid });
  Object.assign(ids, await meetingObjects(fx), { year: fx.year.id });
  // The pilotage module (docs/pilotage.md): the fixture's pôle as a
  // dashboard's scope (ien1 and tuteur.inspe1, référent Inspé, hold it).
  ids.scope = fx.ids.pole;
  // The contracts module: a parcours d'individualisation opens on an
  // enrolment of the current year only, so on the demo one of the same trio
  // (stagiaire1, tuteur.terrain1, tuteur.inspe1; ien1 its IEN and pilot).
  const contract = ok(await post('/api/v1/individualisations', { enrolment_id: 200101 }, { token: (await as('lyon', 'ien1')).token }), 201);
  ids.contract = contract.id;
  ids.contract_version = contract.versions[0].id;

  // The SOPA module (docs/sopa.md): Lyon's demo INSPÉ site, a placement in
  // a fresh year and its report, sent (the student sees sent versions only).
  sopa = await sopaObjects(cleanup);
  Object.assign(ids, sopa.ids);
  // The réseau de tuteurs (docs/reseau.md): a call of the Rhône in a fresh
  // year, a validated collective (its pilot, a member who accepted the
  // charter, one who did not), a meeting whose synthesis is published (the
  // library's item), a poll; a tutor of another collective of the call.
  reseau = await reseauObjects(cleanup);
  Object.assign(ids, reseau.ids);
  // The copy module (docs/copy.md): the trainee's own copy of their data.
  ids.copy = ok(await post('/api/v1/me/copies', {}, { token: trainee.token }), 202).id;

  const stranger = await freshPerson(admin, cleanup, ['tuteur_terrain', 'tuteur_inspe', 'stagiaire'], 't-mx');
  // rel: the caller's relation to the enrolment (tutorat); rels: to the
  // objects of the modules with relations of their own (the accompaniment's
  // case, the meetings module's, the contracts module's), where it is not
  // 'none': one relation, or the list of those the caller holds.
  callers = [
    { name: 'the trainee', s: trainee, rel: 'trainee', rels: { ...caseRels('trainee'), personalisation: 'trainee', ...contractRels(['trainee']), copy: 'owner' } },
    { name: 'the tuteur terrain', s: terrain, rel: 'tuteur_terrain', rels: { ...TUTOR_RELS, ...caseRels('tutor'), personalisation: 'tuteur_terrain', ...contractRels(['party']) } },
    { name: 'the tuteur Inspé (référent Inspé of the pôle)', s: inspe, rel: 'tuteur_inspe', rels: { ...TUTOR_RELS, scope: 'holder', ...caseRels('tutor'), pole_meeting: 'participant', personalisation: 'tuteur_inspe', ...contractRels(['party']) } },
    { name: 'the admin', s: admin, rel: 'manager' },
    { name: 'the bureau des stages', s: await as('lyon', 'bureau1'), rel: 'manager', rels: { pole_meeting: 'cellule', personalisation: 'cellule', workshop: 'cellule', ...contractRels(['cellule']), ...sopaRels('site_manager'), ...ORGANISER_RELS } },
    { name: 'the IEN of the circonscription (pilot of the pôle)', s: await as('lyon', 'ien1'), rel: 'pilot', rels: { ...caseRels('level2_actor'), scope: 'holder', pole_meeting: 'pilot', personalisation: 'pilot', ...contractRels(['party', 'pilot']) } },
    { name: 'the direction INSPÉ', s: await as('lyon', 'direction1'), rel: 'validator', rels: { ...caseRels('level3_actor'), ...sopaRels('site_reader'), ...ORGANISER_RELS } },
    { name: 'the responsable of the INSPÉ site', s: await as('lyon', 'resp.site1'), rel: 'none', rels: { ...caseRels('level2_actor'), ...sopaRels('site_manager') } },
    { name: 'the gestionnaire de scolarité of the site', s: sopa.office.s, rel: 'none', rels: sopaRels('site_office') },
    { name: 'the host teacher (MAT) of the placement', s: sopa.mat.s, rel: 'none', rels: { site: 'none', placement: 'mat', report: 'mat' } },
    { name: 'the SOPA student of the placement', s: sopa.student.s, rel: 'none', rels: { site: 'none', placement: 'student', report: 'student' } },
    { name: 'another MAT', s: sopa.otherMat.s, rel: 'none' },
    { name: 'the head of the school', s: chef, rel: 'none', rels: caseRels('level2_actor') },
    { name: 'a tutor and trainee of no trio here', s: await sessionAs('lyon', stranger.id), rel: 'none', rels: TUTOR_RELS },
    { name: 'the pilot of the collective', s: reseau.pilot.s, rel: 'none', rels: { ...TUTOR_RELS, collective: ['member', 'pilot', 'charter_accepted'], meeting: ['member', 'pilot'], poll: ['member', 'pilot'] } },
    { name: 'a member of the collective (charter accepted)', s: reseau.member.s, rel: 'none', rels: { ...TUTOR_RELS, collective: ['member', 'charter_accepted'], meeting: 'member', poll: 'member' } },
    { name: 'a member of the collective who has not accepted the charter', s: reseau.unsigned.s, rel: 'none', rels: { ...TUTOR_RELS, collective: 'member' } },
    { name: 'a tutor of another collective of the call', s: reseau.outsider.s, rel: 'none', rels: TUTOR_RELS },
  ];
  for (const u of ['admin', 'bureau1', 'stagiaire1', 'tuteur.terrain1', 'tuteur.inspe1', 'ien1', 'direction1']) {
    callers.push({ name: `grenoble ${u}`, s: await as('grenoble', u), rel: 'none' });
  }
});

const key = (r) => `${r.method} ${r.path}`;
/** The kinds of object with relations of their own (not the enrolment's):
 * the accompaniment's (case*), the meetings module's, the contracts module's. */
const CASE_KINDS = ['case', 'case_enrolment', 'case_share'];
const CONTRACT_KINDS = ['contract', 'contract_version'];
const caseRels = (rel) => Object.fromEntries(CASE_KINDS.map((k) => [k, rel]));
const contractRels = (rel) => Object.fromEntries(CONTRACT_KINDS.map((k) => [k, rel]));
const SOPA_KINDS = ['site', 'placement', 'report'];
const sopaRels = (rel) => Object.fromEntries(SOPA_KINDS.map((k) => [k, rel]));
const RESEAU_KINDS = ['call', 'collective', 'meeting', 'synthesis', 'poll'];
/** The réseau's relations by role alone: a tutor may volunteer for a call
 * and read the library; the bureau and the direction organise every call. */
const TUTOR_RELS = { call: 'tutor', synthesis: 'reader' };
const ORGANISER_RELS = { call: 'organiser', collective: 'organiser', synthesis: 'reader' };
const OWN_KINDS = new Set([...CASE_KINDS, ...CONTRACT_KINDS, ...SOPA_KINDS, ...RESEAU_KINDS, 'pole_meeting', 'personalisation', 'workshop', 'scope', 'copy']);

test('the route table declares exactly the intended objects and relations', () => {
  const declared = {};
  for (const r of table) {
    if (r.object) declared[key(r)] = { object: r.object.kind, see: r.object.see, act: r.object.act };
  }
  assert.deepEqual(declared, intended.routes, 'tutoratctl routes vs tests/security/access-matrix.json');
  const loose = table.filter((r) => /\{[^}]+\}/.test(r.path) && !r.object && !intended.unscoped[key(r)]).map(key);
  assert.deepEqual(loose, [], 'routes with a path parameter that declare no object and are not listed as unscoped');
  for (const k of Object.keys(intended.unscoped)) {
    assert.ok(table.some((r) => key(r) === k), `${k} is listed as unscoped but is not a route`);
  }
});

/** A request that passes validation only if access lets it through: a
 * write carries an undeclared query parameter (400 after the access
 * check, before the handler). */
function attempt(route, id, s) {
  const write = route.method !== 'GET';
  // A version of a contract: {vid} names the object, {id} its contract.
  const path = route.path.includes('{vid}') ? route.path.replace('{vid}', String(id)).replace('{id}', String(ids.contract))
    : route.path.replace('{id}', String(id)).replace('{assignment_id}', '1')
      .replace('{kind}', 'pole').replace('{key}', 'trainees');
  // A copy's download takes its link's token: a made-up one passes
  // validation and is refused by the handler (410) once access let it by.
  const download = route.path.endsWith('/download') ? { token: 'A'.repeat(43) } : undefined;
  return request(route.method, path, {
    token: s.token,
    query: write ? { matrice: '1' } : download,
    json: write && route.method !== 'DELETE' && !route.path.endsWith('/documents') ? {} : undefined,
    headers: ifMatch(1),
  });
}

/** What must be stored after the run: the objects, unchanged. */
const snapshot = () => db(`SELECT
  (SELECT version FROM enrolment WHERE id = ${n(ids.enrolment)}), (SELECT dossier_version FROM enrolment WHERE id = ${n(ids.enrolment)}),
  (SELECT CONCAT(version, state) FROM followup WHERE id = ${n(ids.followup)}), (SELECT COUNT(*) FROM document WHERE id = ${n(ids.document)}),
  (SELECT version FROM bilan WHERE id = ${n(ids.bilan)}), (SELECT COUNT(*) FROM self_assessment_comment WHERE assessment_id = ${n(ids.self_assessment)}),
  (SELECT CONCAT(version, COALESCE(superseded_at, '-')) FROM contract_version WHERE id = ${n(ids.contract_version)}),
  (SELECT COUNT(*) FROM contract_signature WHERE version_id = ${n(ids.contract_version)}), (SELECT COUNT(*) FROM contract_point WHERE contract_id = ${n(ids.contract)}),
  (SELECT version FROM sopa_placement WHERE id = ${n(ids.placement)}), (SELECT COUNT(*) FROM sopa_report WHERE placement_id = ${n(ids.placement)}),
  (SELECT CONCAT(version, state, COALESCE(ue4_recorded_at, '-')) FROM sopa_report WHERE id = ${n(ids.report)}),
  (SELECT CONCAT(version, state) FROM reseau_call WHERE id = ${n(ids.call)}), (SELECT COUNT(*) FROM reseau_volunteer WHERE call_id = ${n(ids.call)}),
  (SELECT COUNT(*) FROM reseau_collective WHERE call_id = ${n(ids.call)}), (SELECT CONCAT(state, COALESCE(validated_at, '-')) FROM reseau_collective WHERE id = ${n(ids.collective)}),
  (SELECT COUNT(charter_accepted_at) FROM reseau_member WHERE collective_id = ${n(ids.collective)}), (SELECT COUNT(*) FROM reseau_meeting WHERE collective_id = ${n(ids.collective)}),
  (SELECT version FROM reseau_canvas WHERE id = ${n(ids.meeting)}), (SELECT CONCAT(version, state) FROM reseau_synthesis WHERE id = ${n(ids.meeting)}),
  (SELECT COUNT(*) FROM reseau_attendance WHERE meeting_id = ${n(ids.meeting)}), (SELECT CONCAT(state, COALESCE(meeting_id, '-')) FROM reseau_poll WHERE id = ${n(ids.poll)}),
  (SELECT COUNT(*) FROM reseau_poll_answer a JOIN reseau_poll_option o ON o.id = a.option_id WHERE o.poll_id = ${n(ids.poll)})`);

test('every declared route × every caller × both académies, against real objects', async () => {
  const before = await snapshot();
  const wrong = [];
  let checked = 0;
  for (const route of table.filter((r) => r.object)) {
    const id = ids[route.object.kind];
    assert.ok(id, `no object of kind ${route.object.kind} made for ${key(route)}`);
    for (const c of callers) {
      // The relations to this kind of object: the modules with objects of
      // their own name them (rels); the enrolment's otherwise.
      const rels = [].concat(c.rels?.[route.object.kind] ?? (OWN_KINDS.has(route.object.kind) ? 'none' : c.rel));
      const res = await attempt(route, id, c.s);
      const label = `${key(route)} as ${c.name} (${rels})`;
      checked++;
      if (!rels.some((x) => route.object.see.includes(x))) {
        // Refused by the role mask first (403, the same for every object),
        // or by the object: then exactly what a missing id gets.
        if (res.status === 403 && res.body?.code === 'forbidden' && !res.body.detail) continue;
        const missing = await attempt(route, NO_ID, c.s);
        if (res.status !== 404 || res.text !== missing.text) wrong.push(`${label}: expected the 404 of a missing id, got ${show(res)}`);
      } else if (!rels.some((x) => route.object.act.includes(x))) {
        if (res.status !== 403 || res.body?.code !== 'forbidden' || !res.body.detail) wrong.push(`${label}: expected 403 with the route's reason, got ${show(res)}`);
      } else if (route.method === 'GET' && route.path.endsWith('/download')) {
        if (res.status !== 410 || res.body?.code !== 'copy_link_gone') wrong.push(`${label}: expected to pass the access check (410 copy_link_gone), got ${show(res)}`);
      } else if (route.method === 'GET') {
        if (res.status !== 200) wrong.push(`${label}: expected 200, got ${show(res)}`);
      } else if (res.status !== 400 || res.body?.code !== 'unknown_parameter') {
        wrong.push(`${label}: expected to pass the access check (400 unknown_parameter), got ${show(res)}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(checked >= 30 * callers.length, `${checked} checks`);
  assert.deepEqual(await snapshot(), before, 'no object changed');
});

test('a caller whose relation is not the one a route acts with is refused before the handler, and nothing is written', async () => {
  // The trainee may see a visit but not write its observation: 403 with the
  // route's reason, even with a valid body and version; the notes stay empty.
  const trainee = callers[0].s;
  const res = await put(`/api/v1/followups/${ids.followup}/observation`, { observation_notes: 'Écrit par le stagiaire' }, { token: trainee.token, headers: ifMatch(1) });
  assert.equal(res.status, 403, show(res));
  assert.equal(res.body.detail, 'Action réservée aux tuteurs.');
  const [[notes]] = await db(`SELECT observation_notes FROM followup WHERE id = ${n(ids.followup)}`);
  assert.ok(notes === null || notes === 'NULL' || notes === '', `notes: ${notes}`);
});
