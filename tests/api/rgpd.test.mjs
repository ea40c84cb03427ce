// Personal data (issue 15, docs/rgpd.md). The data inventory names every
// table the migrations create, and nothing else, so a new table cannot be
// forgotten; its retention table names every kind the purge knows. The
// logs are minimal: after requests carrying a marker name, e-mail and free
// text (a failed login with a marker username, a person created with a
// marker name and address, a search for the name, a tutors' trace and a
// cancel reason holding marker text), neither the request log of the
// stack (tutoratd.log) nor the audit trail's details hold any of them.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, get, post, put, show, as, loginRaw, db, q, tutoratdLog, uniq, sleep, Cleanup,
} from '../lib/index.mjs';
import { trioFixture } from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
after(() => cleanup.run());

/** Every table a migration of sql/ creates. */
function migrationTables() {
  const out = new Set();
  for (const f of readdirSync(join(ROOT, 'sql')).filter((x) => x.endsWith('.sql'))) {
    for (const m of readFileSync(join(ROOT, 'sql', f), 'utf8').matchAll(/^CREATE TABLE (?:IF NOT EXISTS )?`?(\w+)`?/gim)) out.add(m[1]);
  }
  return out;
}

const doc = () => readFileSync(join(ROOT, 'docs', 'rgpd.md'), 'utf8');

/** The rows of the markdown table under the heading `title`: first cell of each. */
function firstCells(text, title) {
  const at = text.indexOf(title);
  assert.ok(at >= 0, `docs/rgpd.md has the section ${title}`);
  const rest = text.slice(at);
  const end = rest.slice(title.length).search(/\n## /);
  const section = end < 0 ? rest : rest.slice(0, end + title.length);
  return [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
}

test('the data inventory of docs/rgpd.md has a row for every table of sql/*.sql, and none for a table that does not exist', () => {
  const tables = migrationTables();
  assert.ok(tables.size > 50 && tables.has('read_log') && tables.has('retention_rule'), [...tables].join(' '));
  const listed = firstCells(doc(), '## 2. Data inventory');
  const missing = [...tables].filter((t) => !listed.includes(t));
  assert.deepEqual(missing, [], 'tables without their row in the inventory');
  const unknown = listed.filter((t) => !tables.has(t));
  assert.deepEqual(unknown, [], 'inventory rows of no table');
  const twice = listed.filter((t, i) => listed.indexOf(t) !== i);
  assert.deepEqual(twice, [], 'tables listed twice');
});

test('the retention table of docs/rgpd.md has every kind the purge knows, with its default', async () => {
  const admin = await as('lyon', 'admin');
  const res = await get('/api/v1/admin/retention', { token: admin.token });
  assert.equal(res.status, 200, show(res));
  const text = doc();
  const listed = firstCells(text, '## 3. Retention and purge');
  assert.deepEqual(listed, res.body.kinds.map((k) => k.kind), 'the kinds, in the order of retention_kinds[]');
  for (const k of res.body.kinds) {
    const line = text.split('\n').find((l) => l.startsWith(`| \`${k.kind}\` | `) && /\d+ days/.test(l));
    assert.match(line, new RegExp(`^\\| \`${k.kind}\` \\| ${k.default_days} days \\| ${k.min_days}–${k.max_days} \\|`), `${k.kind}: default and bounds as the code has them`);
  }
  // Every inventory row names a purge kind that exists, or says why none.
  const kinds = new Set(res.body.kinds.map((k) => k.kind));
  for (const line of text.split('\n').filter((l) => /^\| `\w+` \| /.test(l) && !/\d+ days/.test(l))) {
    const last = line.split('|').slice(-2)[0].trim();
    if (/^(reference data|kept)$/.test(last)) continue;
    for (const k of last.matchAll(/`(\w+)`/g)) assert.ok(kinds.has(k[1]), `${line}: no kind ${k[1]}`);
  }
});

test('neither the request log nor the audit trail holds a name, an e-mail or a free text that requests carried', async () => {
  const tag = uniq('mrk').replace(/[^a-z0-9]/gi, '').toLowerCase();
  const name = `Zébulon${tag}`;
  const email = `${tag}@secret.example.org`;
  const text = `Texte libre ${tag} confidentiel`;
  const markers = [tag, name, email];
  const requestIds = [];
  const keep = (res) => { if (res.requestId) requestIds.push(res.requestId); return res; };

  // A login with a marker username (no such account) and one with a wrong
  // password for a marker-named account.
  const bad = keep(await loginRaw('lyon', `${tag}.user`, `pw-${tag}`));
  assert.equal(bad.status, 401, show(bad));

  // A person created with a marker name and address, then searched for.
  const admin = await as('lyon', 'admin');
  const created = keep(await post('/api/v1/people', {
    username: `${tag}.person`, display_name: name, family_name: name, email,
  }, { token: admin.token }));
  assert.equal(created.status, 201, show(created));
  cleanup.person(created.body.id);
  const search = keep(await get(`/api/v1/people?q=${encodeURIComponent(name)}`, { token: admin.token }));
  assert.equal(search.status, 200, show(search));
  assert.ok(search.body.items.some((p) => p.id === created.body.id), 'the search finds the person');
  // An invalid address is refused naming the field, not the value.
  const invalid = keep(await post('/api/v1/people', { username: `${tag}.bad`, display_name: name, email: `${tag} not an address` }, { token: admin.token }));
  assert.equal(invalid.status, 422, show(invalid));

  // Free text: a tutors' trace, a cancel reason.
  const fx = await trioFixture(cleanup);
  const year = Number(fx.year.label.slice(0, 4));
  const f = keep(await post(`/api/v1/enrolments/${fx.enrolmentId}/followups`, {
    kind: 'visit', scheduled_at: `${year}-10-14T09:00`, place_id: fx.enrolment.places[0].id, with_terrain: true, with_inspe: true,
  }, { token: fx.terrain.token }));
  assert.equal(f.status, 201, show(f));
  const trace = keep(await put(`/api/v1/followups/${f.body.id}/trace`, { body: text }, { token: fx.terrain.token }));
  assert.equal(trace.status, 200, show(trace));
  const cancel = keep(await post(`/api/v1/followups/${f.body.id}/cancel`, { reason: text }, { token: fx.terrain.token }));
  assert.equal(cancel.status, 200, show(cancel));

  // The request log: each request is there (by its id), none of the markers.
  let log = '';
  for (let i = 0; i < 20; i++) {
    log = tutoratdLog();
    if (requestIds.every((id) => log.includes(id))) break;
    await sleep(100); // the log line is written after the answer
  }
  for (const id of requestIds) assert.ok(log.includes(id), `request ${id} is in the log`);
  const lines = log.split('\n').filter((l) => requestIds.some((id) => l.includes(id)));
  for (const m of [...markers, text]) {
    const holding = log.split('\n').filter((l) => l.toLowerCase().includes(m.toLowerCase()));
    assert.deepEqual(holding, [], `the request log holds «${m}»`);
  }
  assert.ok(lines.length >= requestIds.length);

  // The audit trail: the writes are there, none of the markers in their details.
  const rows = await db(`SELECT request_id, action, COALESCE(detail, '') FROM audit_log WHERE request_id IN (${requestIds.map(q).join(',')})`);
  const actions = rows.map((r) => r[1]);
  assert.ok(actions.includes('trace.save') && actions.length >= 4, JSON.stringify(actions));
  for (const [rid, action, detail] of rows) {
    for (const m of [...markers, text]) assert.ok(!detail.toLowerCase().includes(m.toLowerCase()), `audit ${action} (${rid}) holds «${m}»: ${detail}`);
  }
  const anywhere = await db(`SELECT action FROM audit_log WHERE detail LIKE ${q(`%${tag}%`)}`);
  assert.deepEqual(anywhere, [], 'no audit detail holds the marker');
});
