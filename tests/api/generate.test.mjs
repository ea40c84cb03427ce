// tutoratctl generate (invented data of realistic size, development only)
// and the bounded enrolment list it lets us measure: a page of the list
// runs a few SQL statements whatever its size, and says for each
// enrolment what GET /enrolments/{id} says. The data goes into Poitiers,
// which has no tutorat demo data; --trainees 0 removes it at the end.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CONFIG, TUTORATD_LOGS, tutoratdLog, ctl, db, dbCount, academyId, get, show, sleep, as,
} from '../lib/index.mjs';

const ACADEMY = 'poitiers';
// The ids of generated rows (modules/tutorat/tutorat_generate_db.c).
const LO = 1000000000;
const HI = 1999999999;

after(() => ctl('--academy', ACADEMY, 'generate', '--trainees', '0'));

const generate = (...args) => ctl('--academy', ACADEMY, 'generate', ...args);

// The generated rows of every table they go to, as text, hashed: the same
// digest means the same rows, ids and contents alike.
const TABLES = {
  structure: 'id, kind, code, name, parent_id',
  pole_circonscription: 'pole_id, circonscription_id',
  person: 'id, username, display_name, email, created_at',
  role_assignment: 'id, person_id, role, scope_kind, scope_id, source',
  enrolment: 'id, year_id, trainee_id, parcours, degre, category, discipline_id, pole_id, inspe_site_id, renouvellement, inspe_hours, created_at',
  enrolment_place: 'id, enrolment_id, school_id, class_label',
  trio_member: 'id, enrolment_id, person_id, role, started_at',
  followup: 'id, enrolment_id, kind, state, scheduled_at, place_id, with_terrain, with_inspe, observation_notes, created_by',
  trace: 'id, followup_id, author, retained, axes, body, published_at, last_editor_id',
  bilan: 'id, enrolment_id, kind, due_on, validated_terrain_by, frozen_at, version',
  bilan_item: 'bilan_id, competence_id, level_rank, comment',
  acc_case: 'id, enrolment_id, level, opened_at, closed_at',
  acc_level: 'id, case_id, level, starts_on, outcome',
  pole_meeting_review: 'id, meeting_id, enrolment_id, signals',
  personalisation: 'id, enrolment_id, meeting_id, status',
  contract_version: 'id, contract_id, content_sha256',
  contract_signature: 'id, version_id, person_id',
  sopa_placement: 'id, period_id, student_id, mat_id, school_id',
  sopa_report: 'id, placement_id, state, sent_at, late',
  reseau_member: 'id, collective_id, person_id, pilot',
  reseau_attendance: 'id, meeting_id, person_id',
};
const KEY = { pole_circonscription: 'pole_id', bilan_item: 'bilan_id' };

async function digest() {
  const a = await academyId(ACADEMY);
  const hash = createHash('sha256');
  const counts = {};
  for (const [table, cols] of Object.entries(TABLES)) {
    const key = KEY[table] || 'id';
    const rows = await db(`SELECT ${cols} FROM ${table} WHERE academy_id = ${a}
      AND ${key} BETWEEN ${LO} AND ${HI} ORDER BY ${cols}`);
    counts[table] = rows.length;
    hash.update(`${table}\n${rows.map((r) => r.join('\t')).join('\n')}\n`);
  }
  return { digest: hash.digest('hex'), counts };
}

test('generate refuses a production configuration and writes nothing', async () => {
  const prod = join(dirname(CONFIG), 'tutorat-production.ini');
  const text = readFileSync(CONFIG, 'utf8')
    .replace(/^environment = .*$/m, 'environment = production')
    .replace(/^starttls = false$/gm, 'starttls = true')
    .replace(/^smtp_starttls = false$/gm, 'smtp_starttls = true')
    .replace(/^(\[database\]\n)((?:(?!\[).*\n)*?hosts? = )/m, '$1tls = true\n$2'); // over TCP (the cluster stack)
  writeFileSync(prod, text, { mode: 0o600 });
  try {
    const check = await ctl('-c', prod, 'check-config');
    assert.equal(check.code, 0, `the production copy is a valid configuration: ${check.stderr}`);
    const before = await dbCount(`SELECT COUNT(*) FROM person WHERE id BETWEEN ${LO} AND ${HI}`);
    const r = await ctl('-c', prod, '--academy', ACADEMY, 'generate', '--trainees', '5');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /only into a development stack/);
    assert.equal(r.stdout, '');
    assert.equal(await dbCount(`SELECT COUNT(*) FROM person WHERE id BETWEEN ${LO} AND ${HI}`), before);
  } finally {
    rmSync(prod, { force: true });
  }
});

test('the same seed gives the same rows; another seed, others', async () => {
  const first = await generate('--seed', '42', '--trainees', '50');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^generated 50 trainees into poitiers \(seed 42\)/);
  const a = await digest();
  assert.equal(a.counts.enrolment, 50);
  assert.equal(a.counts.trio_member, 100);
  // About five follow-up times per trainee, traces after those held.
  assert.ok(a.counts.followup >= 150 && a.counts.followup <= 350, JSON.stringify(a.counts));
  assert.ok(a.counts.trace > 0 && a.counts.bilan > 0 && a.counts.bilan_item > 0, JSON.stringify(a.counts));

  const again = await generate('--seed', '42', '--trainees', '50');
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(await digest(), a);

  const other = await generate('--seed', '43', '--trainees', '50');
  assert.equal(other.code, 0, other.stderr);
  const b = await digest();
  assert.equal(b.counts.enrolment, 50);
  assert.notEqual(b.digest, a.digest);

  // Each run is in the audit trail, with its seed and size.
  const audit = await db(`SELECT detail FROM audit_log WHERE academy_id = ${await academyId(ACADEMY)}
    AND action = 'generate' ORDER BY id DESC LIMIT 1`);
  assert.deepEqual(JSON.parse(audit[0][0]), { seed: 43, trainees: 50 });
});

// The JSON log line of a request, by its X-Request-Id (written just after
// the answer: read again until it is there).
async function logLine(requestId) {
  for (let i = 0; i < 50; i++) {
    const line = tutoratdLog().split('\n').find((l) => l.includes(`"request_id":"${requestId}"`));
    if (line) return JSON.parse(line);
    await sleep(100);
  }
  throw new Error(`no log line for request ${requestId} in ${TUTORATD_LOGS.join(', ')}`);
}

test('the bureau des stages lists the generated enrolments, a page in a few statements', async () => {
  const gen = await generate('--seed', '7', '--trainees', '60');
  assert.equal(gen.code, 0, gen.stderr);
  const ids = (await db(`SELECT id FROM enrolment WHERE academy_id = ${await academyId(ACADEMY)}
    AND id BETWEEN ${LO} AND ${HI} ORDER BY id`)).map(([id]) => Number(id));
  assert.equal(ids.length, 60);

  const bureau = await as(ACADEMY, 'bureau1');
  const res = await get('/api/v1/enrolments', { token: bureau.token, query: { limit: 200 } });
  assert.equal(res.status, 200, show(res));
  const listed = res.body.items.map((it) => it.id).filter((id) => id >= LO && id <= HI).sort((x, y) => x - y);
  assert.deepEqual(listed, ids);
  assert.equal(res.body.total, res.body.items.length);
  assert.ok(res.body.items.every((it) => it.relation === 'manager'));

  const line = await logLine(res.requestId);
  assert.equal(line.route, '/api/v1/enrolments');
  assert.ok(line.statements <= 10, `${line.statements} SQL statements for a page of ${res.body.items.length}`);

  // A later page: the same order, the same total.
  const page2 = await get('/api/v1/enrolments', { token: bureau.token, query: { limit: 25, offset: 25 } });
  assert.equal(page2.status, 200, show(page2));
  assert.deepEqual(page2.body.items.map((it) => it.id), res.body.items.slice(25, 50).map((it) => it.id));
  assert.equal(page2.body.total, res.body.total);
  // Past the end: no item, the total still.
  const past = await get('/api/v1/enrolments', { token: bureau.token, query: { offset: 100000 } });
  assert.deepEqual(past.body, { items: [], total: res.body.total });
});

test('each listed enrolment, relation and checks included, is what GET /enrolments/{id} says', async () => {
  const bureau = await as(ACADEMY, 'bureau1');
  const terrain = await as(ACADEMY, 'tuteur.terrain1');
  const inspe = await as(ACADEMY, 'tuteur.inspe1');
  let withChecks = 0;
  for (const [who, relation] of [[bureau, 'manager'], [terrain, 'tuteur_terrain'], [inspe, 'tuteur_inspe']]) {
    const res = await get('/api/v1/enrolments', { token: who.token, query: { limit: 200 } });
    assert.equal(res.status, 200, show(res));
    const mine = res.body.items.filter((it) => it.id >= LO && it.id <= HI);
    // The demo tutors are the first tutors of the generated trios.
    assert.ok(mine.length >= (relation === 'manager' ? 60 : 6), `${relation}: ${mine.length} listed`);
    assert.ok((await logLine(res.requestId)).statements <= 10);
    for (const it of mine) {
      assert.equal(it.relation, relation);
      const one = await get(`/api/v1/enrolments/${it.id}`, { token: who.token });
      assert.equal(one.status, 200, show(one));
      assert.deepEqual(it, one.body, `enrolment ${it.id} as ${relation}`);
      withChecks += it.checks.length > 0;
    }
  }
  assert.ok(withChecks > 0, 'generated dossiers raise checks');
});

// The generated rows of the other modules' tables (ids in [LO, HI]).
const MODULE_TABLES = [
  'acc_case', 'acc_level', 'acc_entry', 'pole_meeting', 'pole_meeting_participant',
  'pole_meeting_review', 'pole_meeting_decision', 'review_request', 'personalisation',
  'personalisation_item', 'contract', 'contract_version', 'contract_party', 'contract_signature',
  'sopa_placement', 'sopa_report', 'reseau_commune', 'reseau_call', 'reseau_volunteer',
  'reseau_collective', 'reseau_member', 'reseau_meeting', 'reseau_attendance', 'reseau_canvas',
  'reseau_synthesis',
];

async function moduleCounts(academy) {
  const counts = {};
  for (const t of MODULE_TABLES) {
    counts[t] = await dbCount(`SELECT COUNT(*) FROM ${t} WHERE academy_id = ${academy}
      AND id BETWEEN ${LO} AND ${HI}`);
  }
  return counts;
}

test('generate fills every module: cases at each level, meetings and their lists, fiches, contracts, SOPA, collectives', async () => {
  const gen = await generate('--seed', '5', '--trainees', '1500');
  assert.equal(gen.code, 0, gen.stderr);
  const a = await academyId(ACADEMY);
  const count = (sql) => dbCount(sql.replaceAll(':a', a).replaceAll(':lo', LO).replaceAll(':hi', HI));
  const counts = await moduleCounts(a);
  for (const [t, c] of Object.entries(counts)) assert.ok(c > 0, `${t}: no generated row (${JSON.stringify(counts)})`);

  // Accompaniment: open cases at each level, some ended; levels that moved up over the year.
  for (const level of [1, 2, 3]) {
    assert.ok(await count(`SELECT COUNT(*) FROM acc_case WHERE academy_id = :a AND id BETWEEN :lo AND :hi
      AND level = ${level} AND closed_at IS NULL`) > 0, `no open case at level ${level}`);
  }
  assert.ok(await count(`SELECT COUNT(*) FROM acc_case WHERE academy_id = :a AND id BETWEEN :lo AND :hi
    AND closed_at IS NOT NULL`) > 0);
  assert.ok(await count(`SELECT COUNT(*) FROM acc_level WHERE academy_id = :a AND id BETWEEN :lo AND :hi
    AND outcome = 'up'`) > 0);
  assert.ok(await count(`SELECT COUNT(DISTINCT MONTH(starts_on)) FROM acc_level WHERE academy_id = :a
    AND id BETWEEN :lo AND :hi`) >= 3, 'levels spread over the year');
  // A case's level is its last period's.
  assert.equal(await count(`SELECT COUNT(*) FROM acc_case c WHERE c.academy_id = :a AND c.id BETWEEN :lo AND :hi
    AND c.level <> (SELECT l.level FROM acc_level l WHERE l.academy_id = c.academy_id AND l.case_id = c.id
    ORDER BY l.opened_at DESC LIMIT 1)`), 0);

  // Three meetings per generated pôle, N°1 held with its list and decisions.
  const poles = await count(`SELECT COUNT(*) FROM structure WHERE academy_id = :a AND kind = 'pole'
    AND id BETWEEN :lo AND :hi`);
  assert.equal(counts.pole_meeting, 3 * poles);
  assert.equal(await count(`SELECT COUNT(*) FROM pole_meeting WHERE academy_id = :a AND id BETWEEN :lo AND :hi
    AND status = 'held'`), poles);
  assert.ok(await count(`SELECT COUNT(*) FROM pole_meeting_review r JOIN pole_meeting m ON m.academy_id = r.academy_id
    AND m.id = r.meeting_id WHERE r.academy_id = :a AND m.id BETWEEN :lo AND :hi AND m.status = 'list_ready'
    AND FIND_IN_SET('tutor_request', r.signals)`) > 0, 'a ready list holds tutors\u2019 requests');

  // Fiches de personnalisation in each state; contracts waiting for a signature, others signed.
  for (const status of ['draft', 'sent', 'agreed', 'refused']) {
    assert.ok(await count(`SELECT COUNT(*) FROM personalisation WHERE academy_id = :a AND id BETWEEN :lo AND :hi
      AND status = '${status}'`) > 0, `no personalisation ${status}`);
  }
  const signatures = `(SELECT COUNT(*) FROM contract_signature s WHERE s.academy_id = v.academy_id AND s.version_id = v.id
    AND s.content_sha256 = v.content_sha256)`;
  const parties = '(SELECT COUNT(*) FROM contract_party p WHERE p.academy_id = v.academy_id AND p.version_id = v.id)';
  assert.ok(await count(`SELECT COUNT(*) FROM contract_version v WHERE v.academy_id = :a AND v.id BETWEEN :lo AND :hi
    AND ${signatures} < ${parties}`) > 0, 'contracts waiting for a signature');
  assert.ok(await count(`SELECT COUNT(*) FROM contract_version v WHERE v.academy_id = :a AND v.id BETWEEN :lo AND :hi
    AND ${signatures} = ${parties}`) > 0, 'contracts signed by every party');
  assert.equal(await count(`SELECT COUNT(*) FROM contract_version WHERE academy_id = :a AND id BETWEEN :lo AND :hi
    AND (NOT JSON_VALID(content) OR content_sha256 <> CONVERT(SHA2(content, 256) USING ascii))`), 0);

  // SOPA: reports sent in time, late, drafts, and placements past their due date without a report.
  for (const [what, cond] of [['in time', "state = 'sent' AND NOT late"], ['late', "state = 'sent' AND late"],
    ['draft', "state = 'draft'"]]) {
    assert.ok(await count(`SELECT COUNT(*) FROM sopa_report WHERE academy_id = :a AND id BETWEEN :lo AND :hi
      AND ${cond}`) > 0, `no SOPA report ${what}`);
  }
  assert.ok(await count(`SELECT COUNT(*) FROM sopa_placement p JOIN sopa_period pe ON pe.academy_id = p.academy_id
    AND pe.id = p.period_id WHERE p.academy_id = :a AND p.id BETWEEN :lo AND :hi
    AND DATE_ADD(pe.ends_on, INTERVAL 7 DAY) < UTC_DATE() AND NOT EXISTS (SELECT 1 FROM sopa_report r
    WHERE r.academy_id = p.academy_id AND r.placement_id = p.id)`) > 0, 'missing SOPA reports');

  // Réseau: validated collectives of 4 or more with a pilot, 4-5 meetings, attendance, a published synthesis.
  assert.equal(await count(`SELECT COUNT(*) FROM reseau_collective k WHERE k.academy_id = :a AND k.id BETWEEN :lo AND :hi
    AND (k.state <> 'validated' OR (SELECT COUNT(*) FROM reseau_member m WHERE m.academy_id = k.academy_id
    AND m.collective_id = k.id) < 4 OR (SELECT COUNT(*) FROM reseau_member m WHERE m.academy_id = k.academy_id
    AND m.collective_id = k.id AND m.pilot) <> 1 OR (SELECT COUNT(*) FROM reseau_meeting t
    WHERE t.academy_id = k.academy_id AND t.collective_id = k.id) NOT BETWEEN 4 AND 5)`), 0);
  assert.ok(await count(`SELECT COUNT(*) FROM reseau_synthesis WHERE academy_id = :a AND id BETWEEN :lo AND :hi
    AND state = 'published'`) > 0);

  // The demo IEN pilots the first generated pôle: its dashboard counts the generated cases.
  const ien = await as(ACADEMY, 'ien1');
  const scopes = await get('/api/v1/pilotage/scopes', { token: ien.token });
  assert.equal(scopes.status, 200, show(scopes));
  const pole = scopes.body.items.find((s) => s.kind === 'pole' && s.id >= LO && s.id <= HI);
  assert.ok(pole, JSON.stringify(scopes.body));
  const dash = await get(`/api/v1/pilotage/dashboards/pole/${pole.id}`, { token: ien.token });
  assert.equal(dash.status, 200, show(dash));
  const levels = await db(`SELECT c.level, COUNT(*) FROM acc_case c JOIN enrolment e ON e.academy_id = c.academy_id
    AND e.id = c.enrolment_id WHERE c.academy_id = ${a} AND e.pole_id = ${pole.id} AND c.closed_at IS NULL
    GROUP BY c.level ORDER BY c.level`);
  assert.ok(levels.length > 0);
  assert.deepEqual(dash.body.tables.levels, levels.map(([level, cases]) => ({ level: Number(level), cases: Number(cases) })));

  // Removed, every module's rows with the tutorat's.
  const gone = await generate('--trainees', '0');
  assert.equal(gone.code, 0, gone.stderr);
  assert.deepEqual(Object.values(await moduleCounts(a)).filter((c) => c !== 0), []);
});

test('an académie without a school year, département or site gets them, and --trainees 0 takes them back', async () => {
  const extra = join(dirname(CONFIG), 'tutorat-generate-extra.ini');
  const poitiers = readFileSync(CONFIG, 'utf8').match(/^\[academy poitiers\]\n(?:(?!\[).*\n?)*/m)[0];
  writeFileSync(extra, `${readFileSync(CONFIG, 'utf8')}\n${poitiers
    .replace('[academy poitiers]', '[academy generated-extra]')
    .replace(/^name = .*$/m, 'name = Académie générée')}`, { mode: 0o600 });
  try {
    const migrate = await ctl('-c', extra, 'migrate');
    assert.equal(migrate.code, 0, migrate.stderr);
    const a = await academyId('generated-extra');
    assert.ok(a > 0);
    const gen = await ctl('-c', extra, '--academy', 'generated-extra', 'generate', '--trainees', '300');
    assert.equal(gen.code, 0, gen.stderr);
    assert.equal(await dbCount(`SELECT COUNT(*) FROM school_year WHERE academy_id = ${a} AND current
      AND id BETWEEN ${LO} AND ${HI}`), 1);
    assert.equal(await dbCount(`SELECT COUNT(*) FROM structure WHERE academy_id = ${a} AND kind = 'departement'`), 3);
    assert.equal(await dbCount(`SELECT COUNT(*) FROM structure WHERE academy_id = ${a} AND kind = 'inspe_site'`), 2);
    assert.equal(await dbCount(`SELECT COUNT(*) FROM sopa_period WHERE academy_id = ${a}`), 8);
    assert.equal(await dbCount(`SELECT COUNT(*) FROM enrolment WHERE academy_id = ${a}`), 300);
    const counts = await moduleCounts(a);
    assert.ok(counts.acc_case > 0 && counts.sopa_report > 0 && counts.reseau_meeting > 0, JSON.stringify(counts));

    const gone = await ctl('-c', extra, '--academy', 'generated-extra', 'generate', '--trainees', '0');
    assert.equal(gone.code, 0, gone.stderr);
    for (const t of ['school_year', 'structure', 'person', 'enrolment', 'sopa_period', 'sopa_site_year', ...MODULE_TABLES]) {
      assert.equal(await dbCount(`SELECT COUNT(*) FROM ${t} WHERE academy_id = ${a} AND id BETWEEN ${LO} AND ${HI}`), 0, t);
    }
  } finally {
    rmSync(extra, { force: true });
  }
});
