// The bound of the pilotage exports (docs/pilotage.md): a list of more
// than 20,000 rows is refused as CSV and as XLSX (413 too_many_rows, its
// detail in French), and the list's screen says so in French instead of
// offering the files; at 20,000 rows the file comes whole. The 20,001
// trainees are written in two INSERT … SELECT over MariaDB's sequence
// table, in a pôle and a school year of their own that no other test reads
// (ien1 is given the pôle for the test), and removed at the end.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { get, post, del, show, as, db, dbValue, n, q, academyId, Cleanup } from '../lib/index.mjs';
import { freshYear } from '../lib/tutorat.mjs';
import { withUsers, axeViolations } from './browser.mjs';

const ROWS = 20001;
const cleanup = new Cleanup();
let lyon;
let year;
let pole;
let base; // the people's ids: base + 1 … base + ROWS
let assignment; // ien1's pilote_pole of the pôle
let ien;

before(async () => {
  const admin = await as('lyon', 'admin');
  lyon = await academyId('lyon');
  year = await freshYear(admin, cleanup);
  pole = 1e15 + randomInt(0, 2 ** 47);
  base = 2e15 + randomInt(0, 2 ** 40);
  await db(`INSERT INTO structure (academy_id, id, kind, code, name) VALUES (${n(lyon)}, ${n(pole)}, 'pole', ${q(`TB${pole}`)}, 'Pôle du test des 20 000 lignes')`);
  const referentiel = await dbValue(`SELECT id FROM referentiel WHERE academy_id = ${n(lyon)} ORDER BY id LIMIT 1`);
  await db(`INSERT INTO person (academy_id, id, username, display_name, created_at, updated_at)
      SELECT ${n(lyon)}, ${n(base)} + seq, CONCAT('t-bound-', ${n(base)} + seq), CONCAT('Stagiaire ', LPAD(seq, 5, '0')), NOW(3), NOW(3)
      FROM seq_1_to_${ROWS};
    INSERT INTO enrolment (academy_id, id, year_id, trainee_id, parcours, degre, category, pole_id, referentiel_id, inspe_hours, created_at)
      SELECT ${n(lyon)}, ${n(base)} + seq, ${n(year.id)}, ${n(base)} + seq, 'M2A', 1, 'professeur', ${n(pole)}, ${n(referentiel)}, 0, NOW(3)
      FROM seq_1_to_${ROWS}`);
  ien = await as('lyon', 'ien1');
  const res = await post(`/api/v1/people/${ien.me.id}/assignments`, { role: 'pilote_pole', scope_kind: 'pole', scope_id: pole }, { token: admin.token });
  assert.equal(res.status, 201, show(res));
  assignment = res.body.id;
});

after(async () => {
  const admin = await as('lyon', 'admin');
  if (assignment) await del(`/api/v1/assignments/${assignment}`, { token: admin.token });
  if (year) await db(`DELETE FROM enrolment WHERE academy_id = ${n(lyon)} AND year_id = ${n(year.id)}`);
  if (base) await db(`DELETE FROM person WHERE academy_id = ${n(lyon)} AND id BETWEEN ${n(base + 1)} AND ${n(base + ROWS)}`);
  await cleanup.run();
  if (pole) await db(`DELETE FROM structure WHERE academy_id = ${n(lyon)} AND id = ${n(pole)}`).catch(() => {});
});

const list = (suffix = '', query = '') => get(`/api/v1/pilotage/dashboards/pole/${pole}/lists/trainees${suffix}?year_id=${year.id}${query}`, { token: ien.token });

test('more than 20,000 rows: 413 too_many_rows for CSV and XLSX, and the screen says so', async () => {
  const page1 = await list('', '&limit=1');
  assert.equal(page1.status, 200, show(page1));
  assert.equal(page1.body.total, ROWS);
  for (const suffix of ['.csv', '.xlsx']) {
    const res = await list(suffix, '&columns=trainee');
    assert.equal(res.status, 413, `${suffix}: ${show(res)}`);
    assert.match(res.headers['content-type'], /problem\+json/);
    assert.equal(res.body.code, 'too_many_rows', JSON.stringify(res.body));
    assert.match(res.body.title, /La liste dépasse 20 000 lignes/);
  }

  await withUsers(async ({ open }) => {
    const { page } = await open('ien1');
    const app = page.url().replace(/#.*$/, '');
    await page.goto(`${app}#/tableau-de-bord/pole/${pole}/trainees?annee=${year.id}`);
    await page.getByRole('heading', { level: 1, name: 'Stagiaires' }).waitFor();
    const notice = page.locator('#app-vue .app-export-bound');
    await notice.waitFor();
    assert.match(await notice.innerText(), /Cette liste compte 20[\s\u202f\u00a0]001 lignes : au-delà de 20[\s\u202f\u00a0]000 lignes, elle ne peut pas être exportée/);
    assert.equal(await page.getByRole('link', { name: /^Exporter/ }).count(), 0, 'no export offered');
    await page.waitForFunction(() => !document.querySelector('#app-vue .app-loading, #app-vue [aria-busy="true"]'));
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the list past the bound');
  });
});

test('at 20,000 rows the export comes whole', async () => {
  await db(`DELETE FROM enrolment WHERE academy_id = ${n(lyon)} AND id = ${n(base + ROWS)}`);
  const res = await list('.csv', '&columns=enrolment_id');
  assert.equal(res.status, 200, show(res));
  const lines = res.text.slice(1).split('\r\n');
  assert.equal(lines[0], '"Inscription"');
  assert.equal(lines.length, 1 + 20000 + 1, 'the header, 20,000 rows and the last CRLF');
  assert.equal(lines.at(-1), '');
});
