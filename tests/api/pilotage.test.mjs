// The pilotage module (issue 13, docs/pilotage.md): the scopes each
// dashboard role reads, the pôle dashboard's figures against the rows of
// the test (a visit added moves the count at the next read), the list
// behind each figure, the CSV export (BOM, `;`, CRLF, the chosen columns,
// formula cells neutralised), unknown parameters and columns refused, a
// scope not held and another académie answered 404 with nothing counted,
// and no content (a marker text in a visit) in any answer or export.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get, post, show, as, db, dbValue, n, q, Cleanup } from '../lib/index.mjs';
import { freshPerson, sessionAs, freshTrio } from '../lib/tutorat.mjs';
import { removeMeetingsOfYear } from '../lib/meetings.mjs';
import { MARKER, heldVisit } from '../lib/pilotage.mjs';

const cleanup = new Cleanup();
let fx; // freshTrio's fixture: a fresh trainee in the pôle Bourg 2 – Bourg 3 – Bresse
let trainee;
let pilot; // pilote.pole1: pilote_pole of that pôle
let yearStart;
let discipline; // a structure of the test
const ok = (res, status = 200) => { assert.equal(res.status, status, show(res)); return res.body; };
const dash = (s, kind, id, year) => get(`/api/v1/pilotage/dashboards/${kind}/${id}?year_id=${year}`, { token: s.token });
const figure = (body, key) => body.figures.find((f) => f.key === key)?.value;

before(async () => {
  const t = await freshTrio(cleanup, 't-pil');
  ({ fx } = t);
  trainee = t.trio.trainee;
  yearStart = t.yearStart;
  pilot = await as('lyon', 'pilote.pole1');
});

after(async () => {
  if (fx) await removeMeetingsOfYear(fx.year.id);
  await cleanup.run();
  if (discipline) await db(`DELETE FROM structure WHERE id = ${n(discipline)}`).catch(() => {});
});

test('the scopes of the caller, each kind with its role', async () => {
  const admin = fx.admin;
  // A discipline of the test, named by the fixture's enrolment.
  discipline = 1e15 + randomInt(0, 2 ** 47);
  await db(`INSERT INTO structure (academy_id, id, kind, code, name) VALUES (${n(fx.ids.lyon)}, ${n(discipline)}, 'discipline', ${q(`T${discipline}`)}, 'Discipline du test')`);
  await db(`UPDATE enrolment SET discipline_id = ${n(discipline)} WHERE id = ${n(fx.enrolmentId)}`);
  const people = {
    pole: await freshPerson(admin, cleanup, [{ role: 'pilote_pole', scope_kind: 'pole', scope_id: fx.ids.pole }], 't-pil-pp'),
    circonscription: await freshPerson(admin, cleanup, [{ role: 'ien', scope_kind: 'circonscription', scope_id: fx.ids.circ }], 't-pil-ien'),
    inspe_site: await freshPerson(admin, cleanup, [{ role: 'responsable_site', scope_kind: 'inspe_site', scope_id: fx.ids.site }], 't-pil-rs'),
    discipline: await freshPerson(admin, cleanup, [{ role: 'ia_ipr', scope_kind: 'discipline', scope_id: discipline }], 't-pil-ipr'),
    departement: await freshPerson(admin, cleanup, [{ role: 'charge_mission_formation', scope_kind: 'departement', scope_id: Number(await dbValue(`SELECT parent_id FROM structure WHERE academy_id = ${n(fx.ids.lyon)} AND id = ${n(fx.ids.circ)}`)) }], 't-pil-cmf'),
    academy: await freshPerson(admin, cleanup, ['bureau_stages'], 't-pil-bs'),
  };
  for (const [kind, p] of Object.entries(people)) {
    const s = await sessionAs('lyon', p.id);
    const scopes = ok(await get(`/api/v1/pilotage/scopes?year_id=${fx.year.id}`, { token: s.token })).items;
    const mine = scopes.filter((x) => x.kind === kind);
    assert.equal(mine.length, 1, `${kind}: ${JSON.stringify(scopes)}`);
    const id = mine[0].id ?? 0;
    if (kind === 'academy') assert.equal(mine[0].id, null);
    const body = ok(await dash(s, kind, id, fx.year.id));
    assert.equal(body.scope.kind, kind);
    assert.equal(body.year_id, fx.year.id);
    // An INSPÉ site's dashboard has its SOPA reports per period (none set
    // for the fresh year); the others have none.
    if (kind === 'inspe_site') assert.deepEqual(body.sopa, []);
    else assert.equal(body.sopa, undefined);
    // The académie's has the réseau de tuteurs' figures (none this year).
    if (kind === 'academy') assert.deepEqual(body.reseau.collectives, []);
    else assert.equal(body.reseau, undefined);
    assert.equal(figure(body, 'trainees'), 1, `${kind}: ${JSON.stringify(body.figures)}`);
    // Another kind's scope is not theirs: 404.
    const other = kind === 'pole' ? ['pole', fx.ids.otherPole] : ['pole', fx.ids.pole];
    if (kind !== 'circonscription') assert.equal((await dash(s, ...other, fx.year.id)).status, 404, kind);
  }
  // An IEN of a circonscription reads its pôle too.
  const ien = await sessionAs('lyon', people.circonscription.id);
  const scopes = ok(await get('/api/v1/pilotage/scopes', { token: ien.token })).items;
  assert.ok(scopes.some((x) => x.kind === 'pole' && x.id === fx.ids.pole), JSON.stringify(scopes));
  // A trainee is no pilot.
  assert.equal((await get('/api/v1/pilotage/scopes', { token: trainee.token })).status, 403);
});

test('the pôle dashboard counts the rows of the test; a visit moves the count at the next read', async () => {
  const before1 = ok(await dash(pilot, 'pole', fx.ids.pole, fx.year.id));
  assert.deepEqual(before1.scope, { kind: 'pole', id: fx.ids.pole, name: 'Bourg 2 – Bourg 3 – Bresse' });
  assert.equal(figure(before1, 'trainees'), 1);
  assert.equal(figure(before1, 'visits'), 0);
  assert.equal(before1.figures.find((f) => f.key === 'visits').expected, 4);
  assert.equal(figure(before1, 'no_joint_visit'), 1);
  assert.equal(figure(before1, 'no_visit_before_m1'), 1);
  assert.equal(figure(before1, 'renouvellement'), 0);
  assert.equal(figure(before1, 'accompaniment'), 0);
  assert.equal(figure(before1, 'personalisations'), 0);
  for (const f of before1.figures) assert.equal(f.list, f.key);
  assert.deepEqual(before1.tables.by_parcours, [{ parcours: 'M2A', degre: 1, trainees: 1 }]);
  assert.deepEqual(before1.tables.levels, []);
  assert.equal(before1.next_meeting_review, null);

  await heldVisit(fx.ids.lyon, fx.enrolmentId, fx.admin.me.id, `${yearStart}-10-01`, { joint: true });
  await db(`UPDATE enrolment SET renouvellement = TRUE WHERE id = ${n(fx.enrolmentId)}`);
  const after1 = ok(await dash(pilot, 'pole', fx.ids.pole, fx.year.id));
  assert.equal(figure(after1, 'visits'), 1);
  assert.equal(figure(after1, 'no_joint_visit'), 0);
  assert.equal(figure(after1, 'no_visit_before_m1'), 0);
  assert.equal(figure(after1, 'renouvellement'), 1);
  assert.ok(!JSON.stringify(after1).includes(MARKER));
  assert.equal(figure(after1, 'late_bilans'), 0);
  assert.equal(figure(after1, 'disagreements'), 0);
  // A bilan past its due date, not frozen; a disagreement on the result
  // (its text: the marker).
  await db(`INSERT INTO bilan (academy_id, id, enrolment_id, kind, revision, referentiel_id, due_on, created_at)
    VALUES (${n(fx.ids.lyon)}, ${n(1e15 + randomInt(0, 2 ** 47))}, ${n(fx.enrolmentId)}, 'intermediaire', 1, ${n(fx.enrolment.referentiel_id)}, ${q(`${yearStart}-12-01`)}, NOW(3))`);
  await db(`INSERT INTO result (academy_id, enrolment_id, avis, recorded_by, recorded_at, disagreement, disagreement_by, disagreement_at)
    VALUES (${n(fx.ids.lyon)}, ${n(fx.enrolmentId)}, 'reserve', ${n(fx.admin.me.id)}, NOW(3), ${q(MARKER)}, ${n(fx.admin.me.id)}, NOW(3))`);
  const after15 = ok(await dash(pilot, 'pole', fx.ids.pole, fx.year.id));
  assert.equal(figure(after15, 'late_bilans'), 1);
  assert.equal(figure(after15, 'disagreements'), 1);
  assert.ok(!JSON.stringify(after15).includes(MARKER));

  // A pôle meeting N°1 before the visit: the trainee had none before it.
  const meeting = ok(await post('/api/v1/pole-meetings', { year_id: fx.year.id, number: 1, pole_id: fx.ids.pole, held_on: `${yearStart}-09-20` }, { token: pilot.token }), 201);
  const after2 = ok(await dash(pilot, 'pole', fx.ids.pole, fx.year.id));
  assert.equal(figure(after2, 'no_visit_before_m1'), 1);
  assert.equal(after2.next_meeting_review.meeting_id, meeting.id);
  assert.equal(after2.next_meeting_review.date, `${yearStart}-09-20`);
});

test('the list behind a figure: status and dates, never content', async () => {
  const base = `/api/v1/pilotage/dashboards/pole/${fx.ids.pole}/lists`;
  const all = ok(await get(`${base}/trainees?year_id=${fx.year.id}`, { token: pilot.token }));
  assert.equal(all.total, 1);
  const [row] = all.items;
  assert.equal(row.enrolment_id, fx.enrolmentId);
  assert.deepEqual(row.trainee, { id: trainee.id, display_name: trainee.display_name });
  assert.equal(row.parcours, 'M2A');
  assert.equal(row.degre, 1);
  assert.equal(typeof row.school, 'string');
  assert.ok(!JSON.stringify(all).includes(MARKER));
  const ren = ok(await get(`${base}/renouvellement?year_id=${fx.year.id}`, { token: pilot.token }));
  assert.equal(ren.total, 1);
  const late = ok(await get(`${base}/late_bilans?year_id=${fx.year.id}`, { token: pilot.token }));
  assert.equal(late.total, 1);
  assert.equal(late.items[0].late_bilans, 1);
  const dis = ok(await get(`${base}/disagreements?year_id=${fx.year.id}`, { token: pilot.token }));
  assert.equal(dis.items[0].disagreement, true);
  assert.ok(!JSON.stringify(dis).includes(MARKER));
  const acc = ok(await get(`${base}/accompaniment?year_id=${fx.year.id}`, { token: pilot.token }));
  assert.deepEqual(acc, { items: [], total: 0 });
  // An unknown list: 404, as an unknown path.
  assert.equal((await get(`${base}/nothing?year_id=${fx.year.id}`, { token: pilot.token })).status, 404);
  const unknown = await get(`${base}/trainees?year_id=${fx.year.id}&colour=red`, { token: pilot.token });
  // The server's validator answers every unknown parameter so (docs/pilotage.md).
  assert.equal(unknown.status, 400, show(unknown));
  assert.match(JSON.stringify(unknown.body), /colour/);
});

test('CSV export: BOM, `;`, CRLF, the chosen columns, formulas neutralised, unknown column 422', async () => {
  await db(`UPDATE person SET display_name = ${q('=HYPERLINK("http://x")')} WHERE id = ${n(trainee.id)}`);
  const base = `/api/v1/pilotage/dashboards/pole/${fx.ids.pole}/lists/trainees.csv?year_id=${fx.year.id}`;
  const res = await get(`${base}&columns=trainee,parcours,visits_done`, { token: pilot.token });
  assert.equal(res.status, 200, show(res));
  assert.match(res.headers['content-type'], /text\/csv/);
  const { text } = res;
  assert.ok(text.startsWith('\uFEFF'), 'a BOM');
  const lines = text.slice(1).split('\r\n');
  assert.equal(lines[0], '"Stagiaire";"Parcours";"Visites faites"');
  assert.equal(lines[1], '"\'=HYPERLINK(""http://x"")";"M2A";"1"');
  assert.equal(lines[2], '');
  const full = await get(base, { token: pilot.token });
  assert.equal(full.status, 200);
  assert.match(full.text.split('\r\n')[0], /"Bilans en retard";"Désaccord"$/);
  assert.ok(!full.text.includes(MARKER));
  const bad = await get(`${base}&columns=trainee,observation_notes`, { token: pilot.token });
  assert.equal(bad.status, 422, show(bad));
  assert.equal(bad.body.field ?? bad.body.errors?.[0]?.field, 'columns');
  assert.match(JSON.stringify(bad.body), /observation_notes/);
});

test('XLSX export: read back with openpyxl, the chosen columns, formulas neutralised', async () => {
  const base = `/api/v1/pilotage/dashboards/pole/${fx.ids.pole}/lists/trainees.xlsx?year_id=${fx.year.id}`;
  const res = await get(`${base}&columns=enrolment_id,trainee,parcours`, { token: pilot.token });
  assert.equal(res.status, 200, show(res));
  assert.match(res.headers['content-type'], /spreadsheetml/);
  assert.ok(!res.raw.includes(Buffer.from(MARKER)));
  const dir = await mkdtemp(join(tmpdir(), 'pilotage-'));
  try {
    const file = join(dir, 'liste.xlsx');
    await writeFile(file, res.raw);
    // Debian's python3-openpyxl (deploy/dev PACKAGES), for the system's python3.
    const rows = JSON.parse(execFileSync('/usr/bin/python3', ['-c', `
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
print(json.dumps([[c for c in r] for r in ws.iter_rows(values_only=True)]))`, file], { encoding: 'utf8' }));
    assert.deepEqual(rows, [
      ['Inscription', 'Stagiaire', 'Parcours'],
      [fx.enrolmentId, '\'=HYPERLINK("http://x")', 'M2A'],
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const bad = await get(`${base}&columns=nope`, { token: pilot.token });
  assert.equal(bad.status, 422, show(bad));
});

test('a scope not held, a missing one and another académie: 404, nothing counted', async () => {
  assert.equal((await dash(pilot, 'pole', fx.ids.otherPole, fx.year.id)).status, 404);
  assert.equal((await dash(pilot, 'pole', 2 ** 53 - 1, fx.year.id)).status, 404);
  assert.equal((await dash(pilot, 'academy', 0, fx.year.id)).status, 404);
  assert.equal((await get(`/api/v1/pilotage/dashboards/pole/${fx.ids.otherPole}/lists/trainees.csv?year_id=${fx.year.id}`, { token: pilot.token })).status, 404);
  const grenoble = await as('grenoble', 'bureau1');
  assert.equal((await dash(grenoble, 'pole', fx.ids.pole, fx.year.id)).status, 404);
  // Grenoble's académie dashboard for Lyon's year: an unknown year, nothing counted.
  const other = await dash(grenoble, 'academy', 0, fx.year.id);
  assert.equal(other.status, 422, show(other));
  const own = ok(await get('/api/v1/pilotage/scopes', { token: grenoble.token }));
  assert.ok(own.items.every((s) => s.id !== fx.ids.pole));
});
