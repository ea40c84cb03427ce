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
