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
import { get, post, put, show, as, db, dbValue, n, q, Cleanup } from '../lib/index.mjs';
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
  if (fx) {
    const e = `SELECT id FROM enrolment WHERE year_id = ${n(fx.year.id)}`;
    const c = `SELECT id FROM contract WHERE enrolment_id IN (${e})`;
    const v = `SELECT id FROM contract_version WHERE contract_id IN (${c})`;
    await db([`DELETE FROM contract_signature WHERE version_id IN (${v})`,
      `DELETE FROM contract_party WHERE version_id IN (${v})`,
      `DELETE FROM contract_version WHERE contract_id IN (${c})`,
      `DELETE FROM contract WHERE enrolment_id IN (${e})`,
      `DELETE FROM pilotage_column_pref WHERE person_id IN (${n(trainee.id)}, ${n(fx.admin.me.id)}, ${n(pilot.me.id)})`,
    ].join(';\n')).catch((err) => process.stderr.write(`cleanup failed (harmless): ${err.message}\n`));
    await removeMeetingsOfYear(fx.year.id);
  }
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
  assert.equal(after2.next_meeting_review.count, 0);
  assert.equal(after2.next_meeting_review.list, 'next_meeting_review');
});

test('fiches en attente de signature: the current version of an individualisation not signed by every party', async () => {
  const lyon = fx.ids.lyon;
  const id = () => 1e15 + randomInt(0, 2 ** 47);
  assert.equal(figure(ok(await dash(pilot, 'pole', fx.ids.pole, fx.year.id)), 'unsigned_fiches'), 0);
  // A contract whose first version two parties must sign: the trainee and
  // the admin (standing for the IEN); its text is the marker.
  const contract = id();
  const v1 = id();
  const v2 = id();
  await db(`INSERT INTO contract (academy_id, id, enrolment_id, annex, opened_by, opened_at)
      VALUES (${n(lyon)}, ${n(contract)}, ${n(fx.enrolmentId)}, 2, ${n(fx.admin.me.id)}, NOW(3));
    INSERT INTO contract_version (academy_id, id, contract_id, number, content, content_sha256, created_by, created_at, updated_by, updated_at)
      VALUES (${n(lyon)}, ${n(v1)}, ${n(contract)}, 1, ${q(JSON.stringify({ text: MARKER }))}, REPEAT('a', 64), ${n(fx.admin.me.id)}, NOW(3), ${n(fx.admin.me.id)}, NOW(3));
    INSERT INTO contract_party (academy_id, id, version_id, role, position, person_id) VALUES
      (${n(lyon)}, ${n(id())}, ${n(v1)}, 'ien', 1, ${n(fx.admin.me.id)}),
      (${n(lyon)}, ${n(id())}, ${n(v1)}, 'trainee', 2, ${n(trainee.id)});
    INSERT INTO contract_signature (academy_id, id, version_id, person_id, signed_at, content_sha256)
      VALUES (${n(lyon)}, ${n(id())}, ${n(v1)}, ${n(trainee.id)}, NOW(3), REPEAT('a', 64))`);
  const one = ok(await dash(pilot, 'pole', fx.ids.pole, fx.year.id));
  assert.equal(figure(one, 'unsigned_fiches'), 1);
  assert.equal(one.figures.find((f) => f.key === 'unsigned_fiches').label, 'Fiches en attente de signature');
  const base = `/api/v1/pilotage/dashboards/pole/${fx.ids.pole}/lists/unsigned_fiches?year_id=${fx.year.id}`;
  const list = ok(await get(base, { token: pilot.token }));
  assert.equal(list.total, 1);
  assert.equal(list.items[0].enrolment_id, fx.enrolmentId);
  assert.equal(list.items[0].unsigned_fiches, 1);
  assert.ok(!JSON.stringify(list).includes(MARKER));
  // Every party signed: none waits.
  await db(`INSERT INTO contract_signature (academy_id, id, version_id, person_id, signed_at, content_sha256)
    VALUES (${n(lyon)}, ${n(id())}, ${n(v1)}, ${n(fx.admin.me.id)}, NOW(3), REPEAT('a', 64))`);
  assert.equal(figure(ok(await dash(pilot, 'pole', fx.ids.pole, fx.year.id)), 'unsigned_fiches'), 0);
  assert.equal(ok(await get(base, { token: pilot.token })).total, 0);
  // A new version supersedes it: its parties are asked again.
  await db(`UPDATE contract_version SET superseded_at = NOW(3) WHERE id = ${n(v1)};
    INSERT INTO contract_version (academy_id, id, contract_id, number, content, content_sha256, created_by, created_at, updated_by, updated_at)
      VALUES (${n(lyon)}, ${n(v2)}, ${n(contract)}, 2, '{}', REPEAT('b', 64), ${n(fx.admin.me.id)}, NOW(3), ${n(fx.admin.me.id)}, NOW(3));
    INSERT INTO contract_party (academy_id, id, version_id, role, position, person_id)
      VALUES (${n(lyon)}, ${n(id())}, ${n(v2)}, 'trainee', 1, ${n(trainee.id)})`);
  assert.equal(figure(ok(await dash(pilot, 'pole', fx.ids.pole, fx.year.id)), 'unsigned_fiches'), 1);
});

test('bilans manquants: a bilan the calendar expects, its date passed, none opened; a late one is not missing', async () => {
  const lyon = fx.ids.lyon;
  // The trainee (M2A) has an intermediate bilan (opened, not frozen: late)
  // and no final one. Without dates in the calendar nothing is missing.
  const body0 = ok(await dash(pilot, 'pole', fx.ids.pole, fx.year.id));
  assert.equal(figure(body0, 'missing_bilans'), 0);
  assert.equal(figure(body0, 'late_bilans'), 1);
  // The year's pôle meeting N°2 and bilans' date, both passed (a past year).
  await db(`INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) VALUES
    (${n(lyon)}, ${n(1e15 + randomInt(0, 2 ** 47))}, ${n(fx.year.id)}, 'pole_meeting_2', 'Réunion n° 2', ${q(`${yearStart + 1}-02-01`)}, ${q(`${yearStart + 1}-02-01`)}),
    (${n(lyon)}, ${n(1e15 + randomInt(0, 2 ** 47))}, ${n(fx.year.id)}, 'bilans_due', 'Bilans', ${q(`${yearStart + 1}-05-15`)}, ${q(`${yearStart + 1}-05-15`)})`);
  const body = ok(await dash(pilot, 'pole', fx.ids.pole, fx.year.id));
  assert.equal(figure(body, 'missing_bilans'), 1);
  assert.equal(figure(body, 'late_bilans'), 1);
  const list = ok(await get(`/api/v1/pilotage/dashboards/pole/${fx.ids.pole}/lists/missing_bilans?year_id=${fx.year.id}`, { token: pilot.token }));
  assert.equal(list.total, 1);
  assert.equal(list.items[0].missing_bilans, 1, 'the final one only: the intermediate one exists');
  assert.equal(list.items[0].late_bilans, 1);
  // The final bilan opened: no longer missing (late: its date passed).
  await db(`INSERT INTO bilan (academy_id, id, enrolment_id, kind, revision, referentiel_id, due_on, created_at)
    VALUES (${n(lyon)}, ${n(1e15 + randomInt(0, 2 ** 47))}, ${n(fx.enrolmentId)}, 'final', 1, ${n(fx.enrolment.referentiel_id)}, ${q(`${yearStart + 1}-05-15`)}, NOW(3))`);
  const after1 = ok(await dash(pilot, 'pole', fx.ids.pole, fx.year.id));
  assert.equal(figure(after1, 'missing_bilans'), 0);
  assert.equal(figure(after1, 'late_bilans'), 1);
  const late = ok(await get(`/api/v1/pilotage/dashboards/pole/${fx.ids.pole}/lists/late_bilans?year_id=${fx.year.id}`, { token: pilot.token }));
  assert.equal(late.items[0].late_bilans, 2);
});

test('the list to review at the next pôle meeting: the trainees its review list holds', async () => {
  const lyon = fx.ids.lyon;
  const meetingId = Number(await dbValue(`SELECT id FROM pole_meeting WHERE year_id = ${n(fx.year.id)} AND number = 1`));
  const base = `/api/v1/pilotage/dashboards/pole/${fx.ids.pole}/lists/next_meeting_review`;
  assert.deepEqual(ok(await get(`${base}?year_id=${fx.year.id}`, { token: pilot.token })), { items: [], total: 0 });
  // The review list as the meetings module stores it once ready.
  await db(`INSERT INTO pole_meeting_review (academy_id, id, meeting_id, enrolment_id, signals)
    VALUES (${n(lyon)}, ${n(1e15 + randomInt(0, 2 ** 47))}, ${n(meetingId)}, ${n(fx.enrolmentId)}, 'renouvellement,no_visit_before_meeting_1')`);
  const body = ok(await dash(pilot, 'pole', fx.ids.pole, fx.year.id));
  assert.deepEqual(body.next_meeting_review, { meeting_id: meetingId, date: `${yearStart}-09-20`, count: 1, list: 'next_meeting_review' });
  const list = ok(await get(`${base}?year_id=${fx.year.id}`, { token: pilot.token }));
  assert.equal(list.total, 1);
  assert.equal(list.items[0].enrolment_id, fx.enrolmentId);
  assert.deepEqual(list.items[0].trainee, { id: trainee.id, display_name: (await dbValue(`SELECT display_name FROM person WHERE id = ${n(trainee.id)}`)) });
  const csv = await get(`${base}.csv?year_id=${fx.year.id}&columns=enrolment_id`, { token: pilot.token });
  assert.equal(csv.status, 200, show(csv));
  assert.deepEqual(csv.text.slice(1).split('\r\n'), ['"Inscription"', `"${fx.enrolmentId}"`, '']);
  // Once the meeting is held, its list is no longer the next one's.
  await db(`UPDATE pole_meeting SET status = 'held', held_at = NOW(3) WHERE id = ${n(meetingId)}`);
  assert.equal(ok(await get(`${base}?year_id=${fx.year.id}`, { token: pilot.token })).total, 0);
  assert.equal(ok(await dash(pilot, 'pole', fx.ids.pole, fx.year.id)).next_meeting_review, null);
  await db(`UPDATE pole_meeting SET status = 'upcoming', held_at = NULL WHERE id = ${n(meetingId)}`);
  // Another kind of scope has no pôle meeting: an empty list.
  const bs = await as('lyon', 'bureau1');
  assert.equal(ok(await get(`/api/v1/pilotage/dashboards/academy/0/lists/next_meeting_review?year_id=${fx.year.id}`, { token: bs.token })).total, 0);
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
  assert.equal(late.items[0].late_bilans, 2, 'the intermediate and the final one (tests above)');
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
  assert.match(full.text.split('\r\n')[0], /"Fiches en attente de signature";"Bilans en retard";"Bilans manquants";"Désaccord"$/);
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

test('trends: visits per ISO week against the plan, open cases per level per month', async () => {
  const lyon = fx.ids.lyon;
  const path = `/api/v1/pilotage/dashboards/pole/${fx.ids.pole}/trends?year_id=${fx.year.id}`;
  const before1 = ok(await get(path, { token: pilot.token }));
  assert.deepEqual(before1.scope, { kind: 'pole', id: fx.ids.pole, name: 'Bourg 2 – Bourg 3 – Bresse' });
  // Every week of the year, Monday to Monday, from the week of 1 September
  // to the one of 3 July.
  const weeks = before1.weeks;
  const first = new Date(`${yearStart}-09-01T12:00:00Z`);
  const monday = new Date(first.getTime() - ((first.getUTCDay() + 6) % 7) * 86400000).toISOString().slice(0, 10);
  assert.equal(weeks[0].starts_on, monday);
  assert.ok(weeks.at(-1).starts_on <= `${yearStart + 1}-07-03` && weeks.at(-1).starts_on > `${yearStart + 1}-06-26`, weeks.at(-1).starts_on);
  for (let i = 1; i < weeks.length; i++) {
    assert.equal((new Date(weeks[i].starts_on) - new Date(weeks[i - 1].starts_on)) / 86400000, 7);
  }
  // The visit held on 1 October (tests above): done and planned that week.
  const withVisit = weeks.filter((w) => w.done > 0 || w.planned > 0);
  assert.equal(withVisit.length, 1, JSON.stringify(withVisit));
  assert.ok(withVisit[0].starts_on <= `${yearStart}-10-01`);
  assert.deepEqual([withVisit[0].planned, withVisit[0].done], [1, 1]);
  assert.match(withVisit[0].week, /^\d{4}-W\d{2}$/);
  // A visit planned for 3 March: planned, not done; a cancelled one: neither.
  await db(`INSERT INTO followup (academy_id, id, enrolment_id, kind, state, scheduled_at, with_terrain, with_inspe, created_by, created_at, updated_at) VALUES
    (${n(lyon)}, ${n(1e15 + randomInt(0, 2 ** 47))}, ${n(fx.enrolmentId)}, 'visit', 'planned', ${q(`${yearStart + 1}-03-03 10:00:00`)}, TRUE, FALSE, ${n(fx.admin.me.id)}, NOW(3), NOW(3)),
    (${n(lyon)}, ${n(1e15 + randomInt(0, 2 ** 47))}, ${n(fx.enrolmentId)}, 'visit', 'cancelled', ${q(`${yearStart + 1}-03-04 10:00:00`)}, TRUE, FALSE, ${n(fx.admin.me.id)}, NOW(3), NOW(3))`);
  const after1 = ok(await get(path, { token: pilot.token }));
  const march = after1.weeks.filter((w) => w.starts_on > `${yearStart + 1}-02-24` && w.starts_on <= `${yearStart + 1}-03-03`);
  assert.equal(march.length, 1);
  assert.deepEqual([march[0].planned, march[0].done], [1, 0]);
  assert.equal(after1.weeks.reduce((a, w) => a + w.done, 0), figure(ok(await dash(pilot, 'pole', fx.ids.pole, fx.year.id)), 'visits'));
  // The months of the (past) year: September to July, none open yet.
  assert.deepEqual(after1.levels.map((m) => m.month), [9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7]
    .map((m, i) => `${i < 4 ? yearStart : yearStart + 1}-${String(m).padStart(2, '0')}`));
  assert.ok(after1.levels.every((m) => m.level_1 + m.level_2 + m.level_3 === 0));
  // A case opened at level 1 on 10 November, at level 2 from 5 January,
  // closed on 10 April.
  const kase = 1e15 + randomInt(0, 2 ** 47);
  await db(`INSERT INTO acc_case (academy_id, id, enrolment_id, level, opened_at, opened_by, closed_at, closed_by)
      VALUES (${n(lyon)}, ${n(kase)}, ${n(fx.enrolmentId)}, 2, ${q(`${yearStart}-11-10 09:00:00`)}, ${n(fx.admin.me.id)}, ${q(`${yearStart + 1}-04-10 09:00:00`)}, ${n(fx.admin.me.id)});
    INSERT INTO acc_level (academy_id, id, case_id, level, starts_on, ends_on, opened_at, opened_by, closed_at, closed_by, outcome) VALUES
      (${n(lyon)}, ${n(1e15 + randomInt(0, 2 ** 47))}, ${n(kase)}, 1, ${q(`${yearStart}-11-10`)}, ${q(`${yearStart + 1}-01-05`)}, ${q(`${yearStart}-11-10 09:00:00`)}, ${n(fx.admin.me.id)}, ${q(`${yearStart + 1}-01-05 09:00:00`)}, ${n(fx.admin.me.id)}, 'up'),
      (${n(lyon)}, ${n(1e15 + randomInt(0, 2 ** 47))}, ${n(kase)}, 2, ${q(`${yearStart + 1}-01-05`)}, ${q(`${yearStart + 1}-04-10`)}, ${q(`${yearStart + 1}-01-05 09:00:00`)}, ${n(fx.admin.me.id)}, ${q(`${yearStart + 1}-04-10 09:00:00`)}, ${n(fx.admin.me.id)}, 'end')`);
  const after2 = ok(await get(path, { token: pilot.token }));
  const levels = Object.fromEntries(after2.levels.map((m) => [m.month.slice(5), [m.level_1, m.level_2, m.level_3]]));
  assert.deepEqual(levels, {
    '09': [0, 0, 0], 10: [0, 0, 0], 11: [1, 0, 0], 12: [1, 0, 0], '01': [0, 1, 0], '02': [0, 1, 0], '03': [0, 1, 0],
    '04': [0, 0, 0], '05': [0, 0, 0], '06': [0, 0, 0], '07': [0, 0, 0],
  });
  // Another scope's trends: 404, as its dashboard.
  assert.equal((await get(`/api/v1/pilotage/dashboards/pole/${fx.ids.otherPole}/trends?year_id=${fx.year.id}`, { token: pilot.token })).status, 404);
  assert.equal((await get(`${path}&week=1`, { token: pilot.token })).status, 400);
});

test('the columns a reader chose for a list: their own, remembered, audited; an unknown column 422', async () => {
  const path = '/api/v1/pilotage/columns/trainees';
  assert.deepEqual(ok(await get(path, { token: pilot.token })), { list: 'trainees', columns: null });
  const res = await put(path, { columns: 'trainee,parcours,trainee,visits_done' }, { token: pilot.token });
  assert.deepEqual(ok(res), { list: 'trainees', columns: 'trainee,parcours,visits_done' });
  assert.deepEqual(ok(await get(path, { token: pilot.token })), { list: 'trainees', columns: 'trainee,parcours,visits_done' });
  // Audited: the list and the column keys.
  const [[action, detail]] = await db(`SELECT action, detail FROM audit_log WHERE request_id = ${q(res.requestId)}`);
  assert.equal(action, 'pilotage.columns');
  assert.deepEqual(JSON.parse(detail), { list: 'trainees', columns: ['trainee', 'parcours', 'visits_done'] });
  // Another list, another person: their own choice, none.
  assert.equal(ok(await get('/api/v1/pilotage/columns/visits', { token: pilot.token })).columns, null);
  const ien = await as('lyon', 'ien1');
  assert.equal(ok(await get(path, { token: ien.token })).columns, null);
  // An unknown column: 422 naming it, nothing written.
  const bad = await put(path, { columns: 'trainee,observation_notes' }, { token: pilot.token });
  assert.equal(bad.status, 422, show(bad));
  assert.equal(bad.body.field ?? bad.body.errors?.[0]?.field, 'columns');
  assert.match(JSON.stringify(bad.body), /observation_notes/);
  assert.equal(ok(await get(path, { token: pilot.token })).columns, 'trainee,parcours,visits_done');
  assert.equal((await put(path, {}, { token: pilot.token })).status, 422);
  // An unknown list: 404; a trainee is no reader of dashboards: 403.
  assert.equal((await get('/api/v1/pilotage/columns/nothing', { token: pilot.token })).status, 404);
  assert.equal((await put('/api/v1/pilotage/columns/trainees.csv', { columns: 'trainee' }, { token: pilot.token })).status, 404);
  assert.equal((await put(path, { columns: 'trainee' }, { token: trainee.token })).status, 403);
});

test('a dashboard role held académie-wide without a scope reads no dashboard (least privilege)', async () => {
  for (const role of ['responsable_parcours', 'ia_ipr']) {
    const p = await freshPerson(fx.admin, cleanup, [role], `t-pil-${role.slice(0, 4)}`);
    const s = await sessionAs('lyon', p.id);
    assert.deepEqual(ok(await get(`/api/v1/pilotage/scopes?year_id=${fx.year.id}`, { token: s.token })), { items: [], year_id: fx.year.id });
    assert.equal((await dash(s, 'academy', 0, fx.year.id)).status, 404, role);
    if (discipline) assert.equal((await dash(s, 'discipline', discipline, fx.year.id)).status, 404, role);
  }
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
