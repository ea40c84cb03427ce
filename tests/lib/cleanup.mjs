// Removes, after a test file, the rows its requests created, so that runs
// against the dev stack do not pile test records into its annuaire. The
// audit trail is left alone (append-only). Best effort: a failure here is
// reported, never a test failure.

import { db, n } from './db.mjs';

export class Cleanup {
  constructor() {
    this.people = [];
    this.structures = [];
    this.years = [];
    this.enrolments = [];
    this.enrolmentYears = [];
  }

  person(id) { this.people.push(n(id)); return id; }
  structure(id) { this.structures.push(n(id)); return id; }
  year(id) { this.years.push(n(id)); return id; }
  /** An enrolment of the tutorat module, removed with all that hangs off it (before people and years). */
  enrolment(id) { this.enrolments.push(n(id)); return id; }
  /** Every enrolment of a school year, removed the same way. */
  enrolmentsOfYear(id) { this.enrolmentYears.push(n(id)); return id; }

  async run() {
    const stmts = [];
    if (this.enrolments.length || this.enrolmentYears.length) {
      // The module's tables, children before their parents (foreign keys).
      const where = [this.enrolments.length ? `id IN (${this.enrolments.join(',')})` : null,
        this.enrolmentYears.length ? `year_id IN (${this.enrolmentYears.join(',')})` : null].filter(Boolean).join(' OR ');
      const e = `SELECT id FROM enrolment WHERE ${where}`;
      const fu = `SELECT id FROM followup WHERE enrolment_id IN (${e})`;
      const sa = `SELECT id FROM self_assessment WHERE enrolment_id IN (${e})`;
      const bi = `SELECT id FROM bilan WHERE enrolment_id IN (${e})`;
      stmts.push(`DELETE FROM document WHERE followup_id IN (${fu})`,
        `DELETE FROM trace WHERE followup_id IN (${fu})`,
        `DELETE FROM followup_level WHERE followup_id IN (${fu})`,
        `DELETE FROM followup WHERE enrolment_id IN (${e})`,
        `DELETE FROM self_assessment_comment WHERE assessment_id IN (${sa})`,
        `DELETE FROM self_assessment_item WHERE assessment_id IN (${sa})`,
        `DELETE FROM self_assessment WHERE enrolment_id IN (${e})`,
        `DELETE FROM bilan_item WHERE bilan_id IN (${bi})`,
        `DELETE FROM bilan WHERE enrolment_id IN (${e})`,
        `DELETE FROM result WHERE enrolment_id IN (${e})`,
        `DELETE FROM tutor_report WHERE enrolment_id IN (${e})`,
        // The accompaniment's cases (sql/014_accompaniment.sql): rows that
        // name a row of their own table go first.
        ...['acc_read', 'acc_agreement'].map((t) => `DELETE FROM ${t} WHERE case_id IN (SELECT id FROM acc_case WHERE enrolment_id IN (${e}))`),
        `DELETE FROM acc_share WHERE revokes_id IS NOT NULL AND case_id IN (SELECT id FROM acc_case WHERE enrolment_id IN (${e}))`,
        `DELETE FROM acc_share WHERE case_id IN (SELECT id FROM acc_case WHERE enrolment_id IN (${e}))`,
        `DELETE FROM acc_entry WHERE corrects_id IS NOT NULL AND case_id IN (SELECT id FROM acc_case WHERE enrolment_id IN (${e}))`,
        `DELETE FROM acc_entry WHERE case_id IN (SELECT id FROM acc_case WHERE enrolment_id IN (${e}))`,
        `DELETE FROM acc_level WHERE case_id IN (SELECT id FROM acc_case WHERE enrolment_id IN (${e}))`,
        `DELETE FROM acc_case WHERE enrolment_id IN (${e})`,
        `DELETE FROM trio_member WHERE enrolment_id IN (${e})`,
        `DELETE FROM enrolment_place WHERE enrolment_id IN (${e})`,
        `DELETE FROM enrolment WHERE ${where}`);
    }
    if (this.people.length) {
      const ids = this.people.join(',');
      // What notifications left for them or by them (sql/010_notify.sql).
      stmts.push(`DELETE FROM mail_outbox WHERE recipient_id IN (${ids}) OR notification_id IN (SELECT id FROM notification WHERE actor_id IN (${ids}))`,
        `DELETE FROM notification WHERE recipient_id IN (${ids}) OR actor_id IN (${ids})`,
        `DELETE FROM notification_pref WHERE person_id IN (${ids})`,
        `DELETE FROM reminder_sent WHERE recipient_id IN (${ids})`,
        `DELETE FROM calendar_feed WHERE person_id IN (${ids})`,
        // The read log and rectification requests (sql/019, sql/022).
        `DELETE FROM read_log WHERE subject_id IN (${ids}) OR reader_id IN (${ids})`,
        `DELETE FROM rectification_request WHERE person_id IN (${ids}) OR answered_by IN (${ids})`);
      stmts.push(`DELETE FROM totp_recovery_code WHERE person_id IN (${ids})`,
        `DELETE FROM login_challenge WHERE person_id IN (${ids})`,
        `DELETE FROM person_totp WHERE person_id IN (${ids})`,
        `DELETE FROM login_device WHERE person_id IN (${ids})`);
      stmts.push(`DELETE FROM role_assignment WHERE person_id IN (${ids})`,
        `DELETE FROM session WHERE person_id IN (${ids})`,
        `DELETE FROM person WHERE id IN (${ids})`);
    }
    if (this.structures.length) {
      const ids = this.structures.join(',');
      stmts.push(`DELETE FROM role_assignment WHERE scope_id IN (${ids})`,
        `DELETE FROM pole_circonscription WHERE pole_id IN (${ids}) OR circonscription_id IN (${ids})`);
      // Children before their parents: the last created first.
      for (const id of [...this.structures].reverse()) stmts.push(`DELETE FROM structure WHERE id = ${id}`);
    }
    if (this.years.length) {
      const ids = this.years.join(',');
      stmts.push(`DELETE FROM year_event WHERE year_id IN (${ids})`, `DELETE FROM school_year WHERE id IN (${ids})`);
    }
    if (!stmts.length) return;
    try {
      await db(stmts.join(';\n'));
    } catch (err) {
      process.stderr.write(`cleanup of test rows failed (harmless): ${err.message}\n`);
    }
  }
}
