// Fixtures of the tutorat module's API tests: a fresh school year per
// file (so the one-enrolment-per-trainee-per-year rule never meets an
// earlier run), fresh people with their roles, enrolments with their trio,
// a session for a person that has no LDAP account, the audit assertions.

import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { get, post, show, uniq, responseHooks } from './http.mjs';
import { as } from './auth.mjs';
import { db, dbValue, q, n, academyId, auditRows } from './db.mjs';
import { b64url, decodeToken, resign } from './jwt.mjs';

/** An id that no row has (the largest the API takes). */
export const NO_ID = 2 ** 53 - 1;

/** The If-Match header of a version. */
export const ifMatch = (version) => ({ 'If-Match': `"${version}"` });

/**
 * A new school year of the académie with a label no other year has,
 * removed after the file with every enrolment made in it. {id, label}.
 * A past year (between 1950 and 2019), so that its follow-up times can be
 * held and debriefed; { future: true }: a year still to come (between
 * 2100 and 2199: the API takes dates up to 2200).
 */
export async function freshYear(admin, cleanup, academy = 'lyon', { future = false } = {}) {
  const acad = await academyId(academy);
  for (let attempt = 0; ; attempt++) {
    const a = future ? randomInt(2100, 2199) : randomInt(1950, 2019);
    const label = `${a}-${a + 1}`;
    if ((await dbValue(`SELECT COUNT(*) FROM school_year WHERE academy_id = ${acad} AND label = ${q(label)}`)) !== '0') continue;
    const res = await post('/api/v1/years', { label, starts_on: `${a}-09-01`, ends_on: `${a + 1}-07-03` }, { token: admin.token });
    if (res.status === 409 && attempt < 20) continue; // taken meanwhile
    assert.equal(res.status, 201, `POST /years ${label}: ${show(res)}`);
    cleanup.year(res.body.id);
    cleanup.enrolmentsOfYear(res.body.id);
    return { id: res.body.id, label };
  }
}

/**
 * A new person of the admin's académie holding the given assignments
 * ([{role, scope_kind, scope_id?}] or role names, académie-wide). They
 * have no LDAP account: sessionAs() lets them act.
 */
export async function freshPerson(admin, cleanup, assignments = [], prefix = 't-tut') {
  const username = uniq(prefix);
  const display = `Test ${username}`;
  const res = await post('/api/v1/people', { username, display_name: display }, { token: admin.token });
  assert.equal(res.status, 201, `POST /people: ${show(res)}`);
  cleanup.person(res.body.id);
  for (const a of assignments) {
    const body = typeof a === 'string' ? { role: a, scope_kind: 'academy' } : a;
    const r = await post(`/api/v1/people/${res.body.id}/assignments`, body, { token: admin.token });
    assert.equal(r.status, 201, `POST assignment ${JSON.stringify(body)}: ${show(r)}`);
  }
  return { id: res.body.id, username, display_name: display };
}

/** POST /api/v1/enrolments as a manager; asserts 201 and returns the id. */
export async function enrol(admin, cleanup, body) {
  const res = await post('/api/v1/enrolments', body, { token: admin.token });
  assert.equal(res.status, 201, `POST /enrolments ${JSON.stringify(body)}: ${show(res)}`);
  cleanup.enrolment(res.body.id);
  return res.body.id;
}

/**
 * A session for a person without an LDAP account: a session row written
 * in MariaDB and an access token for it signed with the stack's own key,
 * its claims taken from a real token of that académie. {token, me: {id}}.
 * The token is re-signed when it gets old, so it never expires mid-file.
 */
export async function sessionAs(academy, personId) {
  const template = decodeToken((await as(academy, 'admin')).token).payload;
  const acad = await academyId(academy);
  const sid = 1e15 + randomInt(0, 2 ** 47);
  await db(`INSERT INTO session (academy_id, id, person_id, secret_hash, created_at, expires_at, client_addr)
    VALUES (${acad}, ${n(sid)}, ${n(personId)}, UNHEX('${randomBytes(32).toString('hex')}'), NOW(3), NOW(3) + INTERVAL 4 HOUR, '127.0.0.1')`);
  let token;
  let signedAt = 0;
  return {
    me: { id: personId },
    get token() {
      const now = Math.floor(Date.now() / 1000);
      if (now - signedAt > 300) {
        token = resign({ ...template, sub: String(personId), sid: String(sid), iat: now, nbf: now, exp: now + 600, jti: b64url(randomBytes(16)) });
        signedAt = now;
      }
      return token;
    },
  };
}

/**
 * The competence grid of a référentiel, by family: {common: [ids],
 * professeur, cpe, documentaliste, levels: number of levels, raw}.
 */
export async function grid(token, referentielId) {
  const res = await get(`/api/v1/referentiels/${referentielId}`, { token });
  assert.equal(res.status, 200, show(res));
  const out = { common: [], professeur: [], cpe: [], documentaliste: [], levels: res.body.levels.length, raw: res.body };
  for (const c of res.body.competences) out[c.family].push(c.id);
  return out;
}

/**
 * Exactly one audit row under the answer's X-Request-Id, with this action,
 * actor and object ({type, id}); object_id is checked when given.
 */
export async function assertAudited(res, { action, actor, type, id, academy = 'lyon' }) {
  assert.ok(res.requestId, 'X-Request-Id on the answer');
  const rows = await auditRows(res.requestId);
  assert.equal(rows.length, 1, `exactly one audit row for request ${res.requestId} (${action}): ${JSON.stringify(rows)}`);
  const [row] = rows;
  assert.equal(row.action, action, `audit action: ${JSON.stringify(row)}`);
  assert.equal(row.academy, academy);
  if (actor !== undefined) assert.equal(row.actor_id, Number(actor), `audit actor: ${JSON.stringify(row)}`);
  if (type !== undefined) assert.equal(row.object_type, type, `audit object type: ${JSON.stringify(row)}`);
  if (id !== undefined) assert.equal(row.object_id, Number(id), `audit object id: ${JSON.stringify(row)}`);
  return row;
}

/**
 * Records every successful write (not GET, 2xx) the test file makes from
 * now on: [{method, path, status, requestId}]; assertEveryWriteAudited()
 * then checks each left exactly one audit row under its request id.
 */
export function trackWrites() {
  const writes = [];
  responseHooks.add((method, path, res) => {
    if (method !== 'GET' && res.status >= 200 && res.status < 300) writes.push({ method, path, status: res.status, requestId: res.requestId });
  });
  return writes;
}

export async function assertEveryWriteAudited(writes) {
  assert.ok(writes.length > 0, 'the file made writes');
  const counts = new Map();
  for (let i = 0; i < writes.length; i += 500) {
    const ids = writes.slice(i, i + 500).map((w) => q(w.requestId)).join(',');
    for (const [rid, c] of await db(`SELECT request_id, COUNT(*) FROM audit_log WHERE request_id IN (${ids}) GROUP BY request_id`)) counts.set(rid, Number(c));
  }
  const wrong = writes.filter((w) => !w.requestId || counts.get(w.requestId) !== 1)
    .map((w) => `${w.method} ${w.path} → ${w.status}, request ${w.requestId}: ${counts.get(w.requestId) ?? 0} audit rows`);
  assert.deepEqual(wrong, [], `every successful write has exactly one audit row (${writes.length} writes)`);
}

/** No audit row for a refused request. */
export async function assertNotAudited(res) {
  assert.ok(res.requestId, 'X-Request-Id on the answer');
  assert.deepEqual(await auditRows(res.requestId), [], `no audit row for the refused request ${res.requestId} (${res.status})`);
}

/**
 * The usual trio in a fresh year: stagiaire1 with tuteur.terrain1 and
 * tuteur.inspe1 (the demo accounts, who can sign in and act), enrolled M2A,
 * 1er degré, professeur, in the pôle « Bourg 2 – Bourg 3 – Bresse » at the
 * école Les Tilleuls (circonscription Bourg 2): ien1 is their pilot twice.
 */
export async function trioFixture(cleanup, extra = {}) {
  const admin = await as('lyon', 'admin');
  const trainee = await as('lyon', 'stagiaire1');
  const terrain = await as('lyon', 'tuteur.terrain1');
  const inspe = await as('lyon', 'tuteur.inspe1');
  const lyon = await academyId('lyon');
  const one = async (sql) => Number(await dbValue(sql));
  const ids = {
    lyon,
    pole: await one(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'pole' AND name = 'Bourg 2 – Bourg 3 – Bresse'`),
    otherPole: await one(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'pole' AND name = 'Montbrison'`),
    circ: await one(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'circonscription' AND name = 'Bourg 2'`),
    otherCirc: await one(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'circonscription' AND name = 'Montbrison'`),
    school: await one(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'school' AND code = '0011001A'`),
    otherSchool: await one(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'school' AND code = '0421001D'`),
    site: await one(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'inspe_site' ORDER BY id LIMIT 1`),
  };
  const year = await freshYear(admin, cleanup);
  const body = {
    trainee_id: trainee.me.id, year_id: year.id, parcours: 'M2A', degre: 1, category: 'professeur',
    pole_id: ids.pole, inspe_site_id: ids.site, places: [{ school_id: ids.school, class_label: 'CE1' }],
    tuteur_terrain_id: terrain.me.id, tuteur_inspe_id: inspe.me.id, ...extra,
  };
  const enrolmentId = await enrol(admin, cleanup, body);
  const enrolment = await get(`/api/v1/enrolments/${enrolmentId}`, { token: admin.token });
  assert.equal(enrolment.status, 200, show(enrolment));
  return { admin, trainee, terrain, inspe, ids, year, enrolmentId, enrolment: enrolment.body, body };
}

/**
 * A trio of fresh people of Lyon on a fresh enrolment (trioFixture), for
 * tests that count what reaches each of them (notifications, mails): the
 * trainee and the tuteur Inspé have an address (<username>@ac-lyon.fr),
 * the tuteur terrain has none. {fx, trio: {trainee, terrain, inspe} (each
 * a session, with id, username, display_name, email), yearStart, placeId}.
 */
export async function freshTrio(cleanup, prefix = 't-n') {
  const admin = await as('lyon', 'admin');
  const people = {
    trainee: await freshPerson(admin, cleanup, ['stagiaire'], `${prefix}stag`),
    terrain: await freshPerson(admin, cleanup, ['tuteur_terrain'], `${prefix}tt`),
    inspe: await freshPerson(admin, cleanup, ['tuteur_inspe'], `${prefix}ti`),
  };
  await db(`UPDATE person SET email = CONCAT(username, '@ac-lyon.fr') WHERE id IN (${n(people.trainee.id)}, ${n(people.inspe.id)})`);
  const fx = await trioFixture(cleanup, { trainee_id: people.trainee.id, tuteur_terrain_id: people.terrain.id, tuteur_inspe_id: people.inspe.id });
  const trio = {};
  for (const [k, p] of Object.entries(people)) {
    trio[k] = { ...p, ...(await sessionAs('lyon', p.id)), display_name: p.display_name, email: k === 'terrain' ? null : `${p.username}@ac-lyon.fr` };
  }
  return { fx, trio, yearStart: Number(fx.year.label.slice(0, 4)), placeId: fx.enrolment.places[0].id };
}
