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
  }

  person(id) { this.people.push(n(id)); return id; }
  structure(id) { this.structures.push(n(id)); return id; }
  year(id) { this.years.push(n(id)); return id; }

  async run() {
    const stmts = [];
    if (this.people.length) {
      const ids = this.people.join(',');
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
