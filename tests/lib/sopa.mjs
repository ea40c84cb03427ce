// Fixtures of the SOPA module's tests (docs/sopa.md): people of Lyon with
// the SOPA roles in a fresh school year, the four periods of the demo
// INSPÉ site of Lyon, one object of each kind, and the removal of the
// module's rows of a year, which must run before the people and the year
// are removed (foreign keys).

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { post, put, show } from './http.mjs';
import { as } from './auth.mjs';
import { db, n } from './db.mjs';
import { freshYear, sessionAs, ifMatch } from './tutorat.mjs';
import { enrolTotp } from './totp.mjs';

/** Lyon's demo INSPÉ site (resp.site1 is its responsable) and a school. */
export const LYON_SITE = 100051;
export const LYON_SCHOOL = 100045;

/** A person of Lyon with an address and a role (scoped to the académie
 * unless `scope` is given), with a session: {id, username, display_name,
 * email, s}. */
export async function sopaPerson(cleanup, prefix, role, scope = null) {
  const admin = await as('lyon', 'admin');
  const username = `${prefix}-${randomInt(1e9)}`;
  const email = `${username}@example.org`;
  const res = await post('/api/v1/people', { username, display_name: `Test ${username}`, email }, { token: admin.token });
  assert.equal(res.status, 201, `POST /people: ${show(res)}`);
  cleanup.person(res.body.id);
  const body = scope ? { role, scope_kind: 'inspe_site', scope_id: scope } : { role, scope_kind: 'academy' };
  const a = await post(`/api/v1/people/${res.body.id}/assignments`, body, { token: admin.token });
  assert.equal(a.status, 201, show(a));
  const s = await sessionAs('lyon', res.body.id);
  // Lyon asks its gestionnaires de scolarité for a second factor
  // (deploy/tutorat.ini.in, totp_required_roles).
  // The session's state is cached by each worker for up to 2 s
  // (SESSION_RECHECK_SECONDS): wait until every worker sees the factor.
  if (role === 'gestionnaire_scolarite') {
    await enrolTotp(s);
    await new Promise((resolve) => { setTimeout(resolve, 2100); });
  }
  return { id: res.body.id, username, display_name: `Test ${username}`, email, s };
}

/** The calendar's four periods of a year starting in September of `a`. */
export function periodsOf(a) {
  return [
    { number: 1, starts_on: `${a}-10-05`, ends_on: `${a}-10-09` },
    { number: 2, starts_on: `${a}-11-16`, ends_on: `${a}-11-27` },
    { number: 3, starts_on: `${a + 1}-03-08`, ends_on: `${a + 1}-03-19` },
    { number: 4, starts_on: `${a + 1}-05-17`, ends_on: `${a + 1}-05-21` },
  ];
}

/** A fresh year of Lyon (past unless `future`) whose periods of LYON_SITE
 * are set by the bureau des stages: {id, label, a}. */
export async function sopaYear(cleanup, { future = false, periods = true } = {}) {
  const admin = await as('lyon', 'admin');
  const year = await freshYear(admin, cleanup, 'lyon', { future });
  const a = Number(year.label.slice(0, 4));
  if (periods) {
    const bureau = await as('lyon', 'bureau1');
    const res = await put(`/api/v1/sopa/sites/${LYON_SITE}/periods`, { year_id: year.id, periods: periodsOf(a) }, { token: bureau.token });
    assert.equal(res.status, 200, show(res));
  }
  return { ...year, a };
}

/**
 * One object of each kind for the access matrix, in a fresh past year of
 * Lyon: the site, a placement of a student with a MAT, and its report,
 * sent (so that the student sees it). {ids: {site, placement, report},
 * mat, student, office, otherMat}: people with sessions.
 */
export async function sopaObjects(cleanup) {
  const bureau = await as('lyon', 'bureau1');
  const office = await sopaPerson(cleanup, 't-sopa-ges', 'gestionnaire_scolarite', LYON_SITE);
  const student = await sopaPerson(cleanup, 't-sopa-etu', 'etudiant_sopa');
  const mat = await sopaPerson(cleanup, 't-sopa-mat', 'mat');
  const otherMat = await sopaPerson(cleanup, 't-sopa-mat', 'mat');
  const year = await sopaYear(cleanup);
  const ok = (res, status = 200) => { assert.equal(res.status, status, show(res)); return res.body; };
  const placement = ok(await post('/api/v1/sopa/placements', {
    site_id: LYON_SITE, year_id: year.id, period: 1, student_id: student.id, mat_id: mat.id, school_id: LYON_SCHOOL, class_level: 'CE1', pupils: 22,
  }, { token: bureau.token }), 201);
  const report = ok(await post(`/api/v1/sopa/placements/${placement.id}/report`, {}, { token: mat.s.token }), 201);
  const full = await put(`/api/v1/sopa/reports/${report.id}`, completeReport(), { token: mat.s.token, headers: ifMatch(report.version) });
  ok(full);
  ok(await post(`/api/v1/sopa/reports/${report.id}/send`, {}, { token: mat.s.token, headers: ifMatch(full.body.version) }));
  return { ids: { site: LYON_SITE, placement: placement.id, report: report.id }, year, mat, student, office, otherMat };
}

/** A body that completes a report. */
export function completeReport(extra = {}) {
  return {
    absences_half_days: 1,
    step: 2,
    comments_steps_12: 'Observations conduites ; prise en charge d’un groupe.',
    comments_steps_34: null,
    sessions_led: 2,
    sessions_designed: 1,
    ethics: ['C1', 'C2', 'C6', 'C7', 'C11'].map((competence) => ({ competence, rating: 'en_cours' })),
    advice: [{ text: 'Formuler l’objectif de chaque séance.' }, { text: 'Observer les transitions.' }],
    ...extra,
  };
}

/** Removes the module's rows of a school year, or of a site (`{site}`)
 * (best effort, like Cleanup). */
export async function removeSopaOfYear(yearId, { site = null } = {}) {
  const where = site ? `site_id = ${n(site)}` : `year_id = ${n(yearId)}`;
  const p = `SELECT p.id FROM sopa_placement p JOIN sopa_period pe ON pe.id = p.period_id WHERE pe.${where}`;
  try {
    await db([
      `DELETE FROM sopa_report WHERE placement_id IN (SELECT id FROM (${p}) x)`,
      `DELETE FROM sopa_placement WHERE id IN (SELECT id FROM (${p}) x)`,
      `DELETE FROM sopa_period WHERE ${where}`,
      `DELETE FROM sopa_site_year WHERE ${where}`,
      `DELETE FROM sopa_jury WHERE ${where}`,
    ].join(';\n'));
  } catch (err) {
    process.stderr.write(`removal of the SOPA rows failed (harmless): ${err.message}\n`);
  }
}
