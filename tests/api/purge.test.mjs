// Retention and `tutoratctl purge` (issue 15, docs/rgpd.md): on rows this
// file writes into Lyon and Grenoble, with their dates set in the past
// through MariaDB, a purge of Lyon removes exactly what is past its
// retention, table by table and row by row, children before their
// parents; what is within its retention stays, and so does every row of
// Grenoble. A dry run reports the same counts and changes nothing; a
// second run changes nothing. An inactive person's identity is anonymised
// once their retention ended and their last dossier is gone, not before.
// The admin reads and sets the académie's retention per kind
// (GET/PUT /api/v1/admin/retention), and a value the kind does not admit
// is refused naming the field.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import {
  get, put, show, as, assertProblem, ctl, db, dbValue, dbCount, q, n, academyId, uniq,
} from '../lib/index.mjs';
import { assertAudited } from '../lib/tutorat.mjs';

// The year-bound kinds (dossier, sopa_report, reseau) are run with a
// retention of YEAR_DAYS, set by the admin for the test: the fixture's old
// years ended OLD_YEAR days ago, past it; its recent years, and the demo
// data's previous year, are well within it, so a purge here never takes
// the demo's dossiers, whatever the date the suite runs at.
const OLD_YEAR = 3000;
const YEAR_DAYS = 2000;
const YEAR_KINDS = ['dossier', 'sopa_report', 'reseau'];
const made = []; // [{academy, table, where, stays}] every row this file wrote
const ids = new Set();
const newId = () => {
  for (;;) {
    const id = 1e15 + randomInt(0, 2 ** 47);
    if (!ids.has(id)) { ids.add(id); return id; }
  }
};
const hex32 = () => `UNHEX('${randomBytes(32).toString('hex')}')`;
/** A SQL datetime `days` days before now (negative: after). */
const ago = (days) => `NOW(3) - INTERVAL ${Math.round(days * 24)} HOUR`;
/** A SQL date `days` days before today. */
const dayAgo = (days) => `CURDATE() - INTERVAL ${n(days)} DAY`;

/**
 * Inserts one row into `table` of académie `acad` and remembers it: `key`
 * (the row's identifying columns, its id unless told) and whether the
 * purge must leave it (`stays`).
 */
async function row(acad, table, values, { stays, key = ['id'] }) {
  const cols = ['academy_id', ...Object.keys(values)];
  await db(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${acad}, ${Object.values(values).join(', ')})`);
  const where = key.map((k) => `${k} = ${values[k]}`).join(' AND ');
  made.push({ acad, table, where, stays });
  return values.id;
}

/** A person of the académie (active unless told, last changed `changed` days ago). */
async function person(acad, tag, { active = true, changed = 0, stays = true } = {}) {
  const id = newId();
  const username = uniq(`t-rgpd-${tag}`);
  await row(acad, 'person', {
    id, username: q(username), display_name: q(`Rgpd ${tag}`), email: q(`${username}@example.org`),
    active: active ? 1 : 0, created_at: ago(changed + 1), updated_at: ago(changed),
  }, { stays });
  return { id, username };
}

/** Reference data of the académie the rows need (none is written). */
async function refs(acad) {
  const one = async (sql) => Number(await dbValue(sql));
  const s = (kind) => one(`SELECT COALESCE(MIN(id), 0) FROM structure WHERE academy_id = ${acad} AND kind = '${kind}'`);
  const referentiel = await one(`SELECT MIN(id) FROM referentiel WHERE academy_id = ${acad} AND current`);
  return {
    referentiel,
    competence: await one(`SELECT MIN(id) FROM competence WHERE academy_id = ${acad} AND referentiel_id = ${referentiel}`),
    school: await s('school'), pole: await s('pole'), discipline: await s('discipline'), site: await s('inspe_site'), departement: await s('departement'),
    commune: await one(`SELECT COALESCE(MIN(id), 0) FROM reseau_commune WHERE academy_id = ${acad}`),
  };
}

const years = [];
/** A school year that ended `endedDaysAgo` days ago, with a label no year has. */
async function year(acad, endedDaysAgo) {
  const id = newId();
  years.push(id);
  for (;;) {
    const a = randomInt(1000, 1949);
    if (await dbCount(`SELECT COUNT(*) FROM school_year WHERE academy_id = ${acad} AND label = '${a}-${a + 1}'`)) continue;
    await db(`INSERT INTO school_year (academy_id, id, label, starts_on, ends_on)
      VALUES (${acad}, ${id}, '${a}-${a + 1}', ${dayAgo(endedDaysAgo + 300)}, ${dayAgo(endedDaysAgo)})`);
    return id;
  }
}

/**
 * A trainee's dossier in year `y`: the enrolment and every record that
 * hangs off it in the tutorat, accompaniment, contracts and meetings
 * tables, a correction of an entry and a revoked share among them (rows
 * that name a row of their own table). `yr`: the year's meeting and
 * workshop ({meeting, session, workshop}).
 */
async function dossier(acad, r, y, yr, trainee, tutor, stays) {
  const o = { stays };
  const now = 'NOW(3)';
  const e = await row(acad, 'enrolment', {
    id: newId(), year_id: y, trainee_id: trainee.id, parcours: "'M2A'", degre: 1, category: "'professeur'",
    pole_id: r.pole || 'NULL', inspe_site_id: r.site, referentiel_id: r.referentiel, inspe_hours: 0, created_at: now,
  }, o);
  const place = await row(acad, 'enrolment_place', { id: newId(), enrolment_id: e, school_id: r.school, class_label: "'CE1'" }, o);
  await row(acad, 'trio_member', { id: newId(), enrolment_id: e, person_id: tutor.id, role: "'tuteur_terrain'", started_at: now }, o);
  const f = await row(acad, 'followup', {
    id: newId(), enrolment_id: e, kind: "'visit'", state: "'held'", scheduled_at: "'1990-01-10 10:00:00'", place_id: place,
    with_terrain: 1, with_inspe: 0, observation_notes: "'notes'", created_by: tutor.id, created_at: now, updated_at: now,
  }, o);
  await row(acad, 'followup_level', { followup_id: f, competence_id: r.competence, level_rank: 2 }, { ...o, key: ['followup_id', 'competence_id'] });
  await row(acad, 'trace', { id: newId(), followup_id: f, author: "'trainee'", retained: "'r'", last_editor_id: trainee.id, updated_at: now }, o);
  await row(acad, 'document', {
    id: newId(), followup_id: f, filename: "'a.pdf'", content_type: "'application/pdf'", size_bytes: 3,
    sha256: `'${'0'.repeat(64)}'`, content: "'abc'", uploaded_by: tutor.id, created_at: now,
  }, o);
  const sa = await row(acad, 'self_assessment', { id: newId(), enrolment_id: e, revision: 1, priorities: "'p'", author_id: trainee.id, created_at: now }, o);
  await row(acad, 'self_assessment_item', { assessment_id: sa, competence_id: r.competence, level_rank: 1 }, { ...o, key: ['assessment_id', 'competence_id'] });
  await row(acad, 'self_assessment_comment', { id: newId(), assessment_id: sa, author_id: tutor.id, body: "'c'", created_at: now }, o);
  const b = await row(acad, 'bilan', { id: newId(), enrolment_id: e, kind: "'final'", revision: 1, referentiel_id: r.referentiel, created_at: now }, o);
  await row(acad, 'bilan_item', { bilan_id: b, competence_id: r.competence, level_rank: 2 }, { ...o, key: ['bilan_id', 'competence_id'] });
  await row(acad, 'result', { enrolment_id: e, note: 12, recorded_by: tutor.id, recorded_at: now }, { ...o, key: ['enrolment_id'] });
  await row(acad, 'tutor_report', { enrolment_id: e, body: "'r'", author_id: tutor.id, updated_at: now }, { ...o, key: ['enrolment_id'] });
  // The accompaniment: a correction names the entry it corrects, a
  // revocation the share it ends.
  const c = await row(acad, 'acc_case', { id: newId(), enrolment_id: e, level: 2, opened_at: now, opened_by: tutor.id }, o);
  const l = await row(acad, 'acc_level', {
    id: newId(), case_id: c, level: 2, starts_on: "'1990-01-01'", ends_on: "'1990-02-01'", opened_at: now, opened_by: tutor.id,
  }, o);
  const e1 = await row(acad, 'acc_entry', {
    id: newId(), case_id: c, level: 2, kind: "'difficulty'", happened_on: "'1990-01-05'", body: "'e'", author_id: tutor.id, written_at: now,
  }, o);
  await row(acad, 'acc_entry', {
    id: newId(), case_id: c, level: 2, kind: "'difficulty'", happened_on: "'1990-01-05'", body: "'e2'", corrects_id: e1, author_id: tutor.id, written_at: now,
  }, o);
  await row(acad, 'acc_agreement', { id: newId(), case_id: c, level_id: l, person_id: tutor.id, as_role: "'tuteur_terrain'", agreed_at: now }, o);
  const s1 = await row(acad, 'acc_share', { id: newId(), case_id: c, element: "'followup'", element_id: f, person_id: tutor.id, done_at: now }, o);
  await row(acad, 'acc_share', { id: newId(), case_id: c, element: "'followup'", element_id: f, revokes_id: s1, person_id: tutor.id, done_at: now }, o);
  // A read of the case today: it goes with the case, whatever its date.
  await row(acad, 'acc_read', { id: newId(), case_id: c, person_id: tutor.id, what: "'case'", level: 2, read_at: now }, o);
  // The parcours d'individualisation.
  const k = await row(acad, 'contract', { id: newId(), enrolment_id: e, annex: 2, opened_by: tutor.id, opened_at: now }, o);
  const v = await row(acad, 'contract_version', {
    id: newId(), contract_id: k, number: 1, content: "'{}'", content_sha256: `'${'0'.repeat(64)}'`,
    created_by: tutor.id, created_at: now, updated_by: tutor.id, updated_at: now,
  }, o);
  await row(acad, 'contract_party', { id: newId(), version_id: v, role: "'trainee'", position: 1, person_id: trainee.id }, o);
  await row(acad, 'contract_signature', { id: newId(), version_id: v, person_id: trainee.id, signed_at: now, content_sha256: `'${'0'.repeat(64)}'` }, o);
  await row(acad, 'contract_point', { id: newId(), contract_id: k, held_on: "'1990-01-10'", body: "'p'", author_id: tutor.id, created_at: now }, o);
  await row(acad, 'contract_bilan', {
    id: newId(), contract_id: k, revision: 1, held_on: "'1990-04-10'", outcomes: "'{}'", decision: "'end'", author_id: tutor.id, created_at: now,
  }, o);
  // The year's procedure: the pôle meeting's list and decision, a
  // request, the fiche de personnalisation, a workshop's trainee.
  await row(acad, 'pole_meeting_review', { id: newId(), meeting_id: yr.meeting, enrolment_id: e, signals: "'open_case'" }, o);
  await row(acad, 'pole_meeting_decision', {
    id: newId(), meeting_id: yr.meeting, enrolment_id: e, decision: "'poursuite'", decided_by: tutor.id, decided_at: now,
  }, o);
  await row(acad, 'review_request', { id: newId(), enrolment_id: e, requested_by: tutor.id, reason: "'r'", created_at: now }, o);
  const pz = await row(acad, 'personalisation', {
    id: newId(), enrolment_id: e, meeting_id: yr.meeting, decided_on: "'1990-01-20'", place_id: place, created_by: tutor.id, created_at: now,
  }, o);
  await row(acad, 'personalisation_item', { id: newId(), personalisation_id: pz, difficulty: 1 }, o);
  await row(acad, 'workshop_trainee', { id: newId(), workshop_id: yr.workshop, enrolment_id: e, added_by: tutor.id, added_at: now }, o);
  await row(acad, 'workshop_attendance', {
    id: newId(), session_id: yr.session, enrolment_id: e, present: 1, recorded_by: tutor.id, recorded_at: now,
  }, o);
  return e;
}

/** A year's meeting, workshop and session (they go with the year's dossiers). */
async function yearRecords(acad, r, y, tutor, stays) {
  const o = { stays };
  const now = 'NOW(3)';
  const meeting = await row(acad, 'pole_meeting', {
    id: newId(), year_id: y, number: 1, scope_kind: r.pole ? "'pole'" : "'discipline'", scope_id: r.pole || r.discipline, held_on: "'1990-01-15'", created_by: tutor.id, created_at: now,
  }, o);
  await row(acad, 'pole_meeting_participant', { id: newId(), meeting_id: meeting, person_id: tutor.id }, o);
  const workshop = await row(acad, 'workshop', { id: newId(), year_id: y, title: "'Atelier'", created_by: tutor.id, created_at: now }, o);
  const session = await row(acad, 'workshop_session', { id: newId(), workshop_id: workshop, held_at: "'1990-02-01 14:00:00'", place: "'Salle'" }, o);
  return { meeting, workshop, session };
}

/** A SOPA placement of `student` in year `y` with its report, and a jury. */
async function sopa(acad, r, y, student, mat, stays) {
  const o = { stays };
  const now = 'NOW(3)';
  // The period is the site's calendar: it stays.
  const period = await row(acad, 'sopa_period', {
    id: newId(), site_id: r.site, year_id: y, number: 1, starts_on: "'1990-01-01'", ends_on: "'1990-01-20'",
  }, { stays: true });
  const pl = await row(acad, 'sopa_placement', {
    id: newId(), period_id: period, student_id: student.id, mat_id: mat.id, school_id: r.school, class_level: "'CP'", pupils: 20, created_at: now,
  }, o);
  await row(acad, 'sopa_report', { id: newId(), placement_id: pl, number: 1, created_by: mat.id, created_at: now, updated_at: now }, o);
  await row(acad, 'sopa_jury', { id: newId(), site_id: r.site, year_id: y, mat_id: mat.id, named_by: mat.id, named_at: now }, o);
}

/**
 * A call of the tutor network in year `y`: a volunteer and member, a
 * meeting with attendance, canvas, draft synthesis, a poll; a second
 * meeting with a published synthesis. Past retention, the participation
 * goes; the call, collective, meetings and the published synthesis (the
 * académie's library) stay.
 */
async function reseau(acad, r, y, tutor, stays) {
  const o = { stays };
  const now = 'NOW(3)';
  const kept = { stays: true };
  const call = await row(acad, 'reseau_call', {
    id: newId(), year_id: y, departement_id: r.departement, title: "'Appel'", opens_on: "'1990-09-01'", closes_on: "'1990-10-01'",
    created_by: tutor.id, created_at: now,
  }, kept);
  const vol = await row(acad, 'reseau_volunteer', {
    id: newId(), call_id: call, person_id: tutor.id, degree: "'1d'", seniority: "'neo'", commune_id: r.commune, created_at: now,
  }, o);
  const coll = await row(acad, 'reseau_collective', { id: newId(), call_id: call, name: "'Collectif'", created_by: tutor.id, created_at: now }, kept);
  await row(acad, 'reseau_member', { id: newId(), collective_id: coll, call_id: call, volunteer_id: vol, person_id: tutor.id, pilot: 1 }, o);
  const m1 = await row(acad, 'reseau_meeting', {
    id: newId(), collective_id: coll, starts_at: "'1990-11-10 14:00:00'", ends_at: "'1990-11-10 16:00:00'", place: "'Salle'", created_by: tutor.id, created_at: now,
  }, kept);
  const m2 = await row(acad, 'reseau_meeting', {
    id: newId(), collective_id: coll, starts_at: "'1990-12-10 14:00:00'", ends_at: "'1990-12-10 16:00:00'", place: "'Salle'", created_by: tutor.id, created_at: now,
  }, kept);
  await row(acad, 'reseau_attendance', { id: newId(), meeting_id: m1, person_id: tutor.id }, o);
  await row(acad, 'reseau_canvas', { id: newId(), meeting_id: m1, presenter_id: tutor.id, problem: "'p'" }, o);
  await row(acad, 'reseau_synthesis', { id: newId(), meeting_id: m1, problem: "'p'" }, o);
  await row(acad, 'reseau_synthesis', {
    id: newId(), meeting_id: m2, problem: "'p'", state: "'published'", published_by: tutor.id, published_at: now,
  }, kept);
  const poll = await row(acad, 'reseau_poll', { id: newId(), collective_id: coll, created_by: tutor.id, created_at: now }, o);
  const opt = await row(acad, 'reseau_poll_option', {
    id: newId(), poll_id: poll, starts_at: "'1990-11-10 14:00:00'", ends_at: "'1990-11-10 16:00:00'", place: "'Salle'",
  }, o);
  await row(acad, 'reseau_poll_answer', { id: newId(), option_id: opt, person_id: tutor.id, available: 1, answered_at: now }, o);
}

/** Rows dated by their own clock: one past retention, one within, per table. */
async function dated(acad, p, tag) {
  const both = async (table, values, key = ['id']) => {
    await row(acad, table, values(true), { stays: false, key });
    await row(acad, table, values(false), { stays: true, key });
  };
  await both('session', (old) => ({
    id: newId(), person_id: p.id, secret_hash: hex32(), created_at: ago(old ? 50 : 1),
    expires_at: ago(old ? 40 : -1), last_seen_at: ago(old ? 45 : 0),
  }));
  // Revoked 40 days ago, though its lifetime had not ended: gone too.
  await row(acad, 'session', {
    id: newId(), person_id: p.id, secret_hash: hex32(), created_at: ago(41), expires_at: ago(-30), revoked_at: ago(40),
  }, { stays: false });
  await both('login_challenge', (old) => ({ secret_hash: hex32(), person_id: p.id, expires_at: ago(old ? 40 : -0.1) }), ['secret_hash']);
  const subj = (old) => q(`${tag}-${old ? 'old' : 'new'}|${uniq('acct')}`);
  for (const old of [true, false]) {
    const subject = subj(old);
    await row(acad, 'login_throttle', { kind: "'pair'", subject, window_start: ago(old ? 10 : 1), failures: 3 }, { stays: !old, key: ['kind', 'subject'] });
  }
  // An old window whose block ended yesterday: within retention.
  const blocked = subj(true);
  await row(acad, 'login_throttle', {
    kind: "'account'", subject: blocked, window_start: ago(10), failures: 10, blocked_until: ago(1),
  }, { stays: true, key: ['kind', 'subject'] });
  for (const old of [true, false]) {
    const h = `UNHEX('${randomBytes(32).toString('hex')}')`;
    await db(`INSERT INTO login_device (academy_id, token_hash, person_id, created_at, last_used_at)
      VALUES (${acad}, ${h}, ${p.id}, ${ago(old ? 500 : 10)}, ${ago(old ? 400 : 1)})`);
    made.push({ acad, table: 'login_device', where: `token_hash = ${h}`, stays: !old });
  }
  const rid = `purge-test-${tag}`;
  await both('audit_log', (old) => ({
    id: newId(), at: ago(old ? 400 : 10), request_id: q(rid), actor_id: p.id, action: "'test.write'", object_type: "'person'", object_id: p.id,
  }));
  await both('read_log', (old) => ({
    id: newId(), subject_id: p.id, reader_id: p.id, record_type: "'bilan'", record_id: 1, read_at: ago(old ? 400 : 10),
  }));
  // A request answered long ago goes; one answered lately stays, and so
  // does an open one, however old.
  await both('rectification_request', (old) => ({
    id: newId(), person_id: p.id, field: "'display_name'", requested_value: "'v'", status: "'done'", answer: "'a'",
    answered_by: p.id, answered_at: ago(old ? 400 : 10), created_at: ago(old ? 401 : 11),
  }));
  await row(acad, 'rectification_request', {
    id: newId(), person_id: p.id, field: "'email'", requested_value: "'v'", created_at: ago(900),
  }, { stays: true });
  // A copy downloaded long ago goes, a recent one stays, and so does one
  // still being prepared.
  await both('personal_copy', (old) => ({
    id: newId(), person_id: p.id, status: "'downloaded'", requested_at: ago(old ? 41 : 2), ready_at: ago(old ? 41 : 2),
    expires_at: ago(old ? 40 : 1), downloaded_at: ago(old ? 40 : 1), size_bytes: 10,
  }));
  await row(acad, 'personal_copy', { id: newId(), person_id: p.id, status: "'failed'", requested_at: ago(60) }, { stays: false });
  await both('notification', (old) => ({
    id: newId(), recipient_id: p.id, kind: "'test'", module: "'tutorat'", object_kind: "'enrolment'", object_id: 1, relations: 1,
    subject: "'s'", link: "'/'", created_at: ago(old ? 200 : 1),
  }));
  await both('reminder_sent', (old) => ({
    kind: "'test.reminder'", object_id: newId(), step: 1, recipient_id: p.id, sent_at: ago(old ? 200 : 1),
  }), ['kind', 'object_id', 'step', 'recipient_id']);
  // A mail still to send stays, however old (a digest row waits for its
  // hour: the stack's mailer leaves it alone meanwhile).
  for (const [state, days, stays] of [['sent', 100, false], ['failed', 100, false], ['pending', 100, true], ['sent', 1, true]]) {
    await row(acad, 'mail_outbox', {
      id: newId(), recipient_id: p.id, to_addr: "'x@example.org'", kind: "'test'", subject: "'s'", body_text: "'b'", body_html: "'b'",
      message_id: q(`<${uniq('m')}@test>`), state: `'${state}'`, digest: state === 'pending' ? 1 : 0,
      next_attempt_at: state === 'pending' ? ago(-1) : ago(days), created_at: ago(days),
    }, { stays });
  }
}

let lyon;
let grenoble;
const people = {};

before(async () => {
  lyon = await academyId('lyon');
  grenoble = await academyId('grenoble');
  const r = await refs(lyon);
  const tutor = await person(lyon, 'tutor');
  people.tutor = tutor;
  // Trainees: one whose year is past retention and who left two years ago
  // (their identity goes once their dossier is gone), one inactive as long
  // whose year is recent (they keep both), one who left ten days ago.
  people.gone = await person(lyon, 'gone', { active: false, changed: 400, stays: false });
  people.leftRecent = await person(lyon, 'left-recent', { active: false, changed: 400 });
  people.active = await person(lyon, 'active');
  people.leftNow = await person(lyon, 'left-now', { active: false, changed: 10 });
  // An inactive person without any dossier: identity anonymised, their
  // sessions, roles, preferences and feed removed with it.
  people.nobody = await person(lyon, 'nobody', { active: false, changed: 400, stays: false });
  const nb = people.nobody.id;
  await row(lyon, 'role_assignment', {
    id: newId(), person_id: nb, role: "'tuteur_terrain'", scope_kind: "'academy'", source: "'local'", created_at: ago(500),
  }, { stays: false });
  await row(lyon, 'notification_pref', { person_id: nb, kind: "'test'", channel: "'app'", updated_at: ago(500) }, { stays: false, key: ['person_id', 'kind'] });
  await row(lyon, 'calendar_feed', { person_id: nb, token_hash: hex32(), created_at: ago(500) }, { stays: false, key: ['person_id'] });
  await row(lyon, 'session', {
    id: newId(), person_id: nb, secret_hash: hex32(), created_at: ago(2), expires_at: ago(-1),
  }, { stays: false });

  const old = await year(lyon, OLD_YEAR);
  const recent = await year(lyon, 100);
  const oldYr = await yearRecords(lyon, r, old, tutor, false);
  const recentYr = await yearRecords(lyon, r, recent, tutor, true);
  await dossier(lyon, r, old, oldYr, people.gone, tutor, false);
  await dossier(lyon, r, old, oldYr, people.active, tutor, false);
  await dossier(lyon, r, recent, recentYr, people.leftRecent, tutor, true);
  await dossier(lyon, r, recent, recentYr, people.leftNow, tutor, true);
  const student = await person(lyon, 'student');
  await sopa(lyon, r, old, student, tutor, false);
  await sopa(lyon, r, recent, student, tutor, true);
  await reseau(lyon, r, old, tutor, false);
  await reseau(lyon, r, recent, tutor, true);
  await dated(lyon, people.active, 'lyon');

  // Grenoble: the same kinds past retention; a purge of Lyon leaves them.
  const g = await refs(grenoble);
  const gTutor = await person(grenoble, 'g-tutor');
  const gGone = await person(grenoble, 'g-gone', { active: false, changed: 400 });
  const gOld = await year(grenoble, OLD_YEAR);
  const gYr = await yearRecords(grenoble, g, gOld, gTutor, true);
  await dossier(grenoble, g, gOld, gYr, gGone, gTutor, true);
  await sopa(grenoble, g, gOld, gGone, gTutor, true);
  await dated(grenoble, gTutor, 'grenoble');
  made.filter((m) => m.acad === grenoble).forEach((m) => { m.stays = true; });
});

after(async () => {
  // Every row this file wrote that is still there, children first (each
  // was written after the rows it names), then the years.
  const stmts = [...made].reverse().map((m) => `DELETE FROM ${m.table} WHERE academy_id = ${m.acad} AND ${m.where}`);
  if (years.length) stmts.push(`DELETE FROM school_year WHERE id IN (${years.join(',')})`);
  try {
    await db(stmts.join(';\n'));
  } catch (err) {
    process.stderr.write(`cleanup of purge test rows failed (harmless): ${err.message}\n`);
  }
});

/** Each remembered row: is it still there? [{table, where, stays, there}] */
async function state() {
  const out = [];
  for (const m of made) {
    out.push({ ...m, there: (await dbCount(`SELECT COUNT(*) FROM ${m.table} WHERE academy_id = ${m.acad} AND ${m.where}`)) === 1 });
  }
  return out;
}

/** The JSON lines of a purge: {kind: {total, rows}} for the académie. */
function report(res) {
  assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
  const out = {};
  for (const line of res.stdout.split('\n').filter(Boolean)) {
    const o = JSON.parse(line);
    assert.equal(o.academy, 'lyon');
    assert.equal(o.error, undefined, line);
    out[o.kind] = { total: o.total, rows: o.rows, dry_run: o.dry_run, days: o.days };
  }
  return out;
}

const stripDry = (rep) => Object.fromEntries(Object.entries(rep).map(([k, v]) => [k, { total: v.total, rows: v.rows, days: v.days }]));

/** A person row as it is: the columns the anonymisation changes. */
const personRow = async (id) => (await db(`SELECT username, display_name, email, active FROM person WHERE id = ${n(id)}`))[0];

test('the admin reads every kind with its default; a bad kind or value is refused naming the field, nothing stored; a change is audited', async () => {
  const admin = await as('lyon', 'admin');
  const res = await get('/api/v1/admin/retention', { token: admin.token });
  assert.equal(res.status, 200, show(res));
  const byKind = Object.fromEntries(res.body.kinds.map((k) => [k.kind, k]));
  for (const kind of ['session', 'login_throttle', 'audit_log', 'read_log', 'notification', 'mail_outbox', 'dossier', 'sopa_report', 'reseau', 'rectification', 'personal_copy', 'person']) {
    assert.ok(byKind[kind], `kind ${kind} listed`);
    assert.equal(byKind[kind].days, byKind[kind].default_days, `${kind}: the default while the académie set none`);
    assert.equal(byKind[kind].custom, false);
    assert.match(byKind[kind].label, /\S/);
  }
  assert.equal(byKind.session.days, 30);
  assert.equal(byKind.dossier.days, 365);

  assertProblem(await put('/api/v1/admin/retention', { kinds: [{ kind: 'nope', days: 30 }] }, { token: admin.token }), 422, 'invalid_field', 'kinds[0].kind');
  const zero = await put('/api/v1/admin/retention', { kinds: [{ kind: 'session', days: 0 }] }, { token: admin.token });
  assertProblem(zero, 422, zero.body.code, 'kinds[0].days');
  assertProblem(await put('/api/v1/admin/retention', { kinds: [{ kind: 'audit_log', days: 400 }, { kind: 'login_throttle', days: 400 }] }, { token: admin.token }), 422, 'invalid_field', 'kinds[1].days');
  assertProblem(await put('/api/v1/admin/retention', { kinds: [{ kind: 'session', days: 10 }, { kind: 'session', days: 20 }] }, { token: admin.token }), 422, 'invalid_field', 'kinds[1].kind');
  const extra = await put('/api/v1/admin/retention', { kinds: [{ kind: 'session', days: 10, extra: 1 }] }, { token: admin.token });
  assert.ok([400, 422].includes(extra.status), show(extra));
  assert.equal(await dbCount(`SELECT COUNT(*) FROM retention_rule WHERE academy_id = ${lyon}`), 0, 'nothing stored by a refused change');
  const trainee = await as('lyon', 'stagiaire1');
  assert.equal((await put('/api/v1/admin/retention', { kinds: [{ kind: 'session', days: 10 }] }, { token: trainee.token })).status, 403);

  const ok = await put('/api/v1/admin/retention', { kinds: [{ kind: 'dossier', days: 1000 }] }, { token: admin.token });
  assert.equal(ok.status, 200, show(ok));
  assert.equal(ok.body.kinds.find((k) => k.kind === 'dossier').days, 1000);
  assert.equal(ok.body.kinds.find((k) => k.kind === 'dossier').custom, true);
  await assertAudited(ok, { action: 'retention.update', actor: admin.me.id, type: 'retention_rule' });
  const detail = await dbValue(`SELECT detail FROM audit_log WHERE request_id = ${q(ok.requestId)}`);
  assert.deepEqual(JSON.parse(detail), { kinds: [{ kind: 'dossier', days: 1000 }] });
  assert.equal(await dbValue(`SELECT days FROM retention_rule WHERE academy_id = ${lyon} AND kind = 'dossier'`), '1000');
  // Grenoble keeps its default.
  const g = await get('/api/v1/admin/retention', { token: (await as('grenoble', 'admin')).token });
  assert.equal(g.body.kinds.find((k) => k.kind === 'dossier').days, 365);

  // With 3650 days, the dossiers of the year that ended OLD_YEAR days ago
  // are within retention: a dry run counts none of them.
  const longer = await put('/api/v1/admin/retention', { kinds: [{ kind: 'dossier', days: 3650 }] }, { token: admin.token });
  assert.equal(longer.status, 200, show(longer));
  const dry = report(await ctl('purge', '--academy', 'lyon', '--dry-run'));
  assert.equal(dry.dossier.days, 3650);
  assert.equal(dry.dossier.rows.enrolment, undefined, JSON.stringify(dry.dossier));
  // Back to the default: the académie's row goes.
  const back = await put('/api/v1/admin/retention', { kinds: [{ kind: 'dossier', days: 365 }] }, { token: admin.token });
  assert.equal(back.status, 200, show(back));
  assert.equal(back.body.kinds.find((k) => k.kind === 'dossier').custom, false);
  assert.equal(await dbCount(`SELECT COUNT(*) FROM retention_rule WHERE academy_id = ${lyon}`), 0);
});

test('a dry run changes nothing and reports what the purge then removes; the purge removes exactly what is past retention; a second run changes nothing', async (t) => {
  const admin = await as('lyon', 'admin');
  const set = await put('/api/v1/admin/retention', { kinds: YEAR_KINDS.map((kind) => ({ kind, days: YEAR_DAYS })) }, { token: admin.token });
  assert.equal(set.status, 200, show(set));
  t.after(() => put('/api/v1/admin/retention', {
    kinds: set.body.kinds.filter((k) => YEAR_KINDS.includes(k.kind)).map((k) => ({ kind: k.kind, days: k.default_days })),
  }, { token: admin.token }));
  const before0 = await state();
  const wrong0 = before0.filter((m) => !m.there).map((m) => `${m.table} ${m.where}`);
  assert.deepEqual(wrong0, [], 'every row of the fixture is there before the purge');
  const gonePerson = await personRow(people.gone.id);
  const auditBefore = await dbCount(`SELECT COUNT(*) FROM audit_log WHERE academy_id = ${lyon} AND action = 'retention.purge'`);

  const dry = report(await ctl('purge', '--academy', 'lyon', '--dry-run'));
  assert.ok(Object.values(dry).every((k) => k.dry_run === true));
  const afterDry = await state();
  assert.deepEqual(afterDry.filter((m) => !m.there).map((m) => `${m.table} ${m.where}`), [], 'a dry run removes nothing');
  assert.deepEqual(await personRow(people.gone.id), gonePerson, 'a dry run anonymises nobody');
  assert.equal(await dbCount(`SELECT COUNT(*) FROM audit_log WHERE academy_id = ${lyon} AND action = 'retention.purge'`), auditBefore, 'a dry run audits nothing');

  const run = report(await ctl('purge', '--academy', 'lyon'));
  assert.deepEqual(stripDry(run), stripDry(dry), 'the dry run reported what the purge removed');
  for (const kind of YEAR_KINDS) assert.equal(run[kind].days, YEAR_DAYS, `${kind}: the académie's retention applies`);
  assert.equal(run.session.days, 30, 'the default where the académie set none');

  // Row by row: what is past retention is gone, what is within stays,
  // Grenoble untouched.
  const after1 = await state();
  const wrong = after1.filter((m) => m.there !== m.stays && m.table !== 'person')
    .map((m) => `${m.table} (${m.acad === lyon ? 'lyon' : 'grenoble'}) ${m.where}: ${m.there ? 'still there' : 'removed'}`);
  assert.deepEqual(wrong, []);
  // Every table the fixture put rows past retention into was counted.
  for (const m of after1.filter((x) => !x.stays && x.acad === lyon && x.table !== 'person')) {
    const counted = Object.values(run).some((k) => k.rows[m.table] > 0);
    assert.ok(counted, `${m.table} is in the purge's counts`);
  }
  assert.ok(run.dossier.rows.enrolment >= 2 && run.dossier.rows.acc_entry >= 4, JSON.stringify(run.dossier));
  assert.ok(run.audit_log.rows.audit_log >= 1 && run.read_log.rows.read_log >= 1, JSON.stringify(run));

  // People: a person row stays (others' records name it); the identity of
  // an inactive person past retention whose dossiers are gone is
  // anonymised, that of the others is left as it was.
  for (const key of ['gone', 'nobody']) {
    const [username, display, email, active] = await personRow(people[key].id);
    assert.equal(username, `anonyme-${people[key].id}`, key);
    assert.equal(display, 'Personne supprimée');
    assert.equal(email, null);
    assert.equal(active, '0');
  }
  for (const key of ['leftRecent', 'leftNow', 'active', 'tutor']) {
    const [username] = await personRow(people[key].id);
    assert.equal(username, people[key].username, `${key} keeps their identity`);
  }
  assert.ok(run.person.rows.person >= 2, JSON.stringify(run.person));

  // One audit row per kind that removed something, with counts only.
  const audits = await db(`SELECT detail FROM audit_log WHERE academy_id = ${lyon} AND action = 'retention.purge' ORDER BY id DESC LIMIT 20`);
  const byKind = {};
  for (const [d] of audits) { const o = JSON.parse(d); byKind[o.kind] ??= o; }
  for (const [kind, k] of Object.entries(run)) {
    if (k.total === 0) continue;
    assert.ok(byKind[kind], `an audit row for ${kind}`);
    assert.deepEqual(byKind[kind].rows, k.rows, `the audit row of ${kind} holds the counts`);
  }
  assert.equal(await dbCount(`SELECT COUNT(*) FROM audit_log WHERE academy_id = ${lyon} AND action = 'retention.purge'`) - auditBefore,
    Object.values(run).filter((k) => k.total > 0).length, 'one audit row per kind that removed rows');

  // Twice in a row: the second run finds nothing and writes nothing.
  const auditAfter = await dbCount(`SELECT COUNT(*) FROM audit_log WHERE academy_id = ${lyon}`);
  const again = report(await ctl('purge', '--academy', 'lyon'));
  for (const [kind, k] of Object.entries(again)) assert.equal(k.total, 0, `${kind} the second time: ${JSON.stringify(k.rows)}`);
  assert.deepEqual((await state()).map((m) => m.there), after1.map((m) => m.there));
  assert.equal(await dbCount(`SELECT COUNT(*) FROM audit_log WHERE academy_id = ${lyon}`), auditAfter, 'no audit row for a run that removed nothing');
});

test('purge refuses an unknown académie and an unknown option, changing nothing', async () => {
  const a = await ctl('purge', '--academy', 'atlantide');
  assert.equal(a.code, 1);
  assert.match(a.stderr, /unknown academy/);
  const b = await ctl('purge', '--everything');
  assert.equal(b.code, 2);
  assert.match(b.stderr, /usage/);
});
