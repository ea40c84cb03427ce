// Fixtures of the pilotage module's tests (docs/pilotage.md): a held
// visit written straight into a fixture's enrolment (the dashboards count
// rows, whoever wrote them), with a marker text that must never reach an
// answer or an export.

import { randomInt } from 'node:crypto';
import { db, n, q } from './db.mjs';

/** The marker text written into the content of the fixtures' rows. */
export const MARKER = 'PILOTAGE-SECRET-CONTENT-7f3a';

/** A visit of the enrolment, held on `on` (YYYY-MM-DD), joint or not,
 * written by `by` (a person id) with the marker in its notes: its id. */
export async function heldVisit(lyon, enrolmentId, by, on, { joint = true } = {}) {
  const id = 1e15 + randomInt(0, 2 ** 47);
  await db(`INSERT INTO followup (academy_id, id, enrolment_id, kind, state, scheduled_at, with_terrain,
      with_inspe, observation_notes, created_by, created_at, updated_at)
    VALUES (${n(lyon)}, ${n(id)}, ${n(enrolmentId)}, 'visit', 'held', ${q(`${on} 10:00:00`)}, TRUE,
      ${joint ? 'TRUE' : 'FALSE'}, ${q(MARKER)}, ${n(by)}, NOW(3), NOW(3))`);
  return id;
}
