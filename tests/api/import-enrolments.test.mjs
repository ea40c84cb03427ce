// tutoratctl import enrolments (issue 3, bulk enrolment): one line per
// enrolment and place; a second line for the same trainee and year adds a
// place; every refused line is reported with its number and nothing is
// written unless all lines pass.
//   username,parcours,degre,category,year,discipline,pole,inspe_site,
//   renouvellement,school,class,tuteur_terrain,tuteur_inspe

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get, show, as, ctl, db, dbValue, academyId, Cleanup } from '../lib/index.mjs';
import { freshYear, freshPerson } from '../lib/tutorat.mjs';

const HEADER = 'username,parcours,degre,category,year,discipline,pole,inspe_site,renouvellement,school,class,tuteur_terrain,tuteur_inspe';
const cleanup = new Cleanup();
let dir, admin, lyon, year;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tutorat-import-enrol-'));
  admin = await as('lyon', 'admin');
  lyon = await academyId('lyon');
  year = await freshYear(admin, cleanup);
  // The demo people hold their roles once they have signed in.
  for (const u of ['stagiaire1', 'stagiaire2', 'tuteur.terrain1', 'tuteur.inspe1']) await as('lyon', u);
});
after(async () => {
  await cleanup.run();
  await rm(dir, { recursive: true, force: true });
});

async function csv(name, lines) {
  const path = join(dir, name);
  await writeFile(path, [HEADER, ...lines].join('\n') + '\n');
  return path;
}

const enrolmentsOfYear = () => dbValue(`SELECT COUNT(*) FROM enrolment WHERE academy_id = ${lyon} AND year_id = ${Number(year.id)}`);

test('a file with refused lines: each one reported with its line, nothing written', async () => {
  const stranger = await freshPerson(admin, cleanup, []); // holds no stagiaire role
  const path = await csv('bad.csv', [
    `stagiaire1,M2X,1,professeur,${year.label},,,,non,0011001A,CE1,,`,
    `${stranger.username},M2A,1,professeur,${year.label},,,,non,0011001A,CE1,,`,
    `stagiaire2,DU,1,professeur,${year.label},,Pôle qui n'existe pas,,oui,,,,`,
    `stagiaire2,DU,1,professeur,${year.label},,,,oui,,,tuteur.inspe1,`,
  ]);
  const before = await enrolmentsOfYear();
  const r = await ctl('--academy', 'lyon', 'import', 'enrolments', path);
  assert.notEqual(r.code, 0, `${r.stdout}${r.stderr}`);
  assert.match(r.stderr, new RegExp(`:2: invalid_field \\(parcours\\)`));
  assert.match(r.stderr, new RegExp(`:3: invalid_field \\(username\\): does not hold the role stagiaire`));
  assert.match(r.stderr, new RegExp(`:4: invalid_field \\(pole\\): no such structure`));
  assert.match(r.stderr, new RegExp(`:5: invalid_field \\(tuteur_terrain\\): does not hold the role tuteur_terrain`));
  assert.match(r.stderr, /nothing imported/);
  assert.equal(await enrolmentsOfYear(), before);
});

test('a good file: enrolments with their places, trio and hours, visible through the API', async () => {
  const path = await csv('good.csv', [
    `stagiaire1,M2A,1,professeur,${year.label},,Bourg 2 – Bourg 3 – Bresse,INSPÉ Lyon – site de Bourg-en-Bresse,non,0011001A,CE1,tuteur.terrain1,tuteur.inspe1`,
    `stagiaire1,M2A,1,professeur,${year.label},,Bourg 2 – Bourg 3 – Bresse,INSPÉ Lyon – site de Bourg-en-Bresse,non,0011002B,"CM2, décharge",tuteur.terrain1,tuteur.inspe1`,
    `stagiaire2,DU,1,professeur,${year.label},,Centre,,oui,0691001E,CP,tuteur.terrain1,tuteur.inspe1`,
  ]);
  const r = await ctl('--academy', 'lyon', 'import', 'enrolments', path);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /imported 3 enrolments into lyon/);
  assert.equal(await enrolmentsOfYear(), '2');

  const list = await get('/api/v1/enrolments', { token: admin.token, query: { year_id: year.id } });
  assert.equal(list.status, 200, show(list));
  const byTrainee = Object.fromEntries(list.body.items.map((e) => [e.trainee.username, e]));
  const s1 = byTrainee.stagiaire1;
  assert.equal(s1.parcours, 'M2A');
  assert.equal(s1.inspe_hours, 5);
  assert.equal(s1.pole.name, 'Bourg 2 – Bourg 3 – Bresse');
  assert.deepEqual(s1.places.map((p) => [p.school.code, p.class_label]).sort(),
    [['0011001A', 'CE1'], ['0011002B', 'CM2, décharge']]);
  assert.equal(s1.tutors.tuteur_terrain.display_name, (await as('lyon', 'tuteur.terrain1')).me.display_name);
  assert.equal(s1.tutors.tuteur_inspe.display_name, (await as('lyon', 'tuteur.inspe1')).me.display_name);
  assert.equal(byTrainee.stagiaire2.renouvellement, true);
  assert.equal(byTrainee.stagiaire2.inspe_hours, 7, 'en renouvellement: 7 h TD');

  const audited = await db(`SELECT COUNT(*) FROM audit_log WHERE academy_id = ${lyon} AND action = 'import.enrolment'
    AND object_id IN (${Number(s1.id)}, ${Number(byTrainee.stagiaire2.id)})`);
  assert.equal(audited[0][0], '3', 'one audit row per imported line');
});
