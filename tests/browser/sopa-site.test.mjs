// The SOPA site's screens (issue 11; web/js/views/sopa/site.js,
// organisation.js): the gestionnaire de scolarité of Niort (gestionnaire1,
// Poitiers) sees a report arrive in its period as received, marks it
// recorded for the UE4, exports the period's CSV and names the MAT to the
// UE4 jury; the bureau des stages (bureau1, Poitiers) sets up a site's
// periods (a bad date refused under its field) and imports placements
// from a CSV file (a file with a bad line refused whole, its line shown,
// nothing created; then a good one). axe-core finds nothing on each.
//
// The placement and its report are made for fresh people through the API
// (the MAT writes and sends the report), so the demo's placements are left
// for the other tests.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { withBrowser, login, axeViolations } from './browser.mjs';
import { Cleanup } from '../lib/cleanup.mjs';
import { get, post, put, show } from '../lib/http.mjs';
import { as } from '../lib/auth.mjs';
import { db, dbValue, n, academyId } from '../lib/db.mjs';
import { freshPerson, sessionAs } from '../lib/tutorat.mjs';

const NIORT = 100105;
const LA_ROCHELLE = 100108;
const SCHOOL = 100112; // École élémentaire Jean Zay, Niort (0791001K)
const cleanup = new Cleanup();
let acad, yearId, people, placementId, reportId;

const at = (page, hash) => page.url().replace(/#.*$/, '') + hash;
const version = (res) => ({ 'If-Match': res.headers.etag || `"${res.body.version}"` });

before(async () => {
  acad = await academyId('poitiers');
  yearId = Number(await dbValue(`SELECT id FROM school_year WHERE academy_id = ${acad} AND current`));
  const admin = await as('poitiers', 'admin');
  people = {
    student: await freshPerson(admin, cleanup, ['etudiant_sopa'], 't-ss-e'),
    mat: await freshPerson(admin, cleanup, ['mat'], 't-ss-m'),
    imported1: await freshPerson(admin, cleanup, ['etudiant_sopa'], 't-ss-i1'),
    imported2: await freshPerson(admin, cleanup, ['etudiant_sopa'], 't-ss-i2'),
  };
  // The bureau des stages places the student at Niort for SOPA 2; the MAT
  // writes and sends the report.
  const bureau = await as('poitiers', 'bureau1');
  const pl = await post('/api/v1/sopa/placements', {
    site_id: NIORT, year_id: yearId, period: 2, student_id: people.student.id, mat_id: people.mat.id,
    school_id: SCHOOL, class_level: 'CM1', pupils: 25,
  }, { token: bureau.token });
  assert.equal(pl.status, 201, show(pl));
  placementId = pl.body.id;
  const mat = await sessionAs('poitiers', people.mat.id);
  const draft = await post(`/api/v1/sopa/placements/${placementId}/report`, {}, { token: mat.token });
  assert.equal(draft.status, 201, show(draft));
  reportId = draft.body.id;
  const filled = await put(`/api/v1/sopa/reports/${reportId}`, {
    absences_half_days: 0, step: 2, comments_steps_12: 'Observation attentive, prise en charge d’un groupe en lecture.',
    comments_steps_34: null, sessions_led: 2, sessions_designed: 1,
    ethics: ['C1', 'C2', 'C6', 'C7', 'C11'].map((competence) => ({ competence, rating: 'en_cours' })),
    advice: [{ text: 'Anticiper les consignes.' }, { text: 'Circuler davantage dans la classe.' }],
  }, { token: mat.token, headers: version(draft) });
  assert.equal(filled.status, 200, show(filled));
  const sent = await post(`/api/v1/sopa/reports/${reportId}/send`, {}, { token: mat.token, headers: version(filled) });
  assert.equal(sent.status, 200, show(sent));
});

after(async () => {
  const ids = Object.values(people || {}).map((p) => n(p.id)).join(',') || 'NULL';
  const mine = `SELECT id FROM sopa_placement WHERE academy_id = ${acad} AND (student_id IN (${ids}) OR mat_id IN (${ids}))`;
  await db(`DELETE FROM sopa_report WHERE academy_id = ${acad} AND placement_id IN (SELECT id FROM (${mine}) x)`);
  await db(`DELETE FROM sopa_placement WHERE academy_id = ${acad} AND (student_id IN (${ids}) OR mat_id IN (${ids}))`);
  await db(`DELETE FROM sopa_jury WHERE academy_id = ${acad} AND mat_id IN (${ids})`);
  await cleanup.run();
});

test('the gestionnaire of Niort sees the report arrive, records it for the UE4, exports the period and names the MAT to the jury', async () => {
  await withBrowser(async ({ page }) => {
    await login(page, { academy: 'poitiers', username: 'gestionnaire1' });
    await page.waitForURL('**/app.html**');
    await page.getByRole('link', { name: 'Stages SOPA' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Stages SOPA' }).waitFor();
    await page.getByRole('heading', { level: 2, name: /Calendrier de l’année – Campus de Niort/ }).waitFor();
    assert.match(await page.getByRole('table', { name: /Périodes SOPA/ }).innerText(), /Comptes rendus attendus le 4 décembre 2026/);

    await page.getByLabel('Période', { exact: true }).selectOption({ label: 'SOPA 2 (novembre)' });
    await page.getByRole('button', { name: 'Afficher' }).click();
    const row = page.getByRole('table', { name: 'Comptes rendus de la période' }).getByRole('row', { name: new RegExp(people.student.display_name) });
    await row.waitFor();
    const text = await row.textContent();
    assert.match(text, /Reçu/);
    assert.match(text, new RegExp(people.mat.display_name));
    assert.match(text, /Jean Zay/);
    assert.equal(await page.getByLabel('Période', { exact: true }).inputValue(), '2', 'SOPA 2, the period just ended, is the one shown first');
    assert.match(await page.locator('.app-sopa-counts').innerText(), /\d+ reçus?, \d+ reçus? en retard, \d+ manquants?/);
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the site\'s space');

    // « Saisi pour l'UE4 (semestre 1) »: SOPA 2 counts for semester 1.
    const ue4 = page.getByLabel(`Saisi pour l’UE4 (semestre 1) : ${people.student.display_name}`);
    await ue4.check({ force: true }); // DSFR draws the box over the input
    await page.getByRole('status').filter({ hasText: 'marqué saisi pour l’UE4' }).waitFor();
    assert.notEqual(await dbValue(`SELECT COUNT(*) FROM sopa_report WHERE academy_id = ${acad} AND id = ${n(reportId)} AND ue4_recorded_at IS NOT NULL`), '0');

    // The period's CSV, downloaded with the session.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Exporter la période \(CSV\)/ }).click(),
    ]);
    const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines[0], 'period,student,mat,school,status,sent_at,step,absences_half_days,C1,C2,C6,C7,C11,ue4_recorded');
    const mine = lines.find((l) => l.includes(people.student.display_name));
    assert.ok(mine, csv);
    assert.match(mine, /^2,/);
    assert.match(mine, /received/);
    assert.ok(lines.slice(1).every((l) => l.startsWith('2,')), 'only the period\'s placements');

    // The MAT named to the UE4 jury of semester 2.
    const jury = page.getByLabel(`Membre du jury UE4 (semestre 2) : ${people.mat.display_name}`);
    await jury.check({ force: true });
    await page.getByRole('status').filter({ hasText: 'est membre du jury' }).waitFor();
    assert.equal(await dbValue(`SELECT COUNT(*) FROM sopa_jury WHERE academy_id = ${acad} AND mat_id = ${n(people.mat.id)} AND site_id = ${NIORT}`), '1');
    await page.reload();
    await page.getByLabel(`Membre du jury UE4 (semestre 2) : ${people.mat.display_name}`).waitFor();
    assert.equal(await page.getByLabel(`Membre du jury UE4 (semestre 2) : ${people.mat.display_name}`).isChecked(), true, 'kept');
  });
});

test('the bureau des stages sets up a site\'s periods (a bad date refused under its field) and imports placements from a CSV file, all or nothing', async () => {
  const bureau = await as('poitiers', 'bureau1');
  const site = await get(`/api/v1/sopa/sites/${LA_ROCHELLE}?year_id=${yearId}`, { token: bureau.token });
  assert.equal(site.status, 200, show(site));
  await withBrowser(async ({ page }) => {
    await login(page, { academy: 'poitiers', username: 'bureau1' });
    await page.waitForURL('**/app.html**');
    await page.goto(at(page, `#/sopa/organisation?site=${LA_ROCHELLE}`));
    await page.getByRole('heading', { level: 1, name: 'Organisation des stages SOPA' }).waitFor();
    const sopa2 = page.getByRole('group', { name: /SOPA 2/ });
    const end2 = sopa2.getByLabel('Dernier jour');
    const kept = await end2.inputValue();
    assert.match(kept, /^\d{4}-\d\d-\d\d$/, 'prefilled');
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the organisation');

    // Stage 2 lasts two weeks at most.
    await end2.fill(`${kept.slice(0, 4)}-12-31`);
    await page.getByRole('button', { name: 'Enregistrer les périodes' }).click();
    await sopa2.locator('.fr-message--error').waitFor();
    assert.equal(await end2.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('fieldset')?.querySelector('legend')?.textContent), await sopa2.locator('legend').textContent(), 'the focus on the wrong field');
    const stored = await get(`/api/v1/sopa/sites/${LA_ROCHELLE}?year_id=${yearId}`, { token: bureau.token });
    assert.deepEqual(stored.body.periods, site.body.periods, 'nothing written');
    await end2.fill(kept);
    await page.getByRole('button', { name: 'Enregistrer les périodes' }).click();
    await page.getByText('Les dates des périodes sont enregistrées.').waitFor();

    // A file with a bad line: refused whole, the line named.
    const file = (rows) => ({ name: 'affectations.csv', mimeType: 'text/csv', buffer: Buffer.from(['period,student,mat,school,class_level,pupils', ...rows].join('\n') + '\n') });
    const good1 = `3,${people.imported1.username},${people.mat.username},0791001K,CE1,22`;
    const good2 = `3,${people.imported2.username},${people.mat.username},0791001K,CE1,22`;
    await page.getByLabel(/Fichier des affectations \(CSV\)/).setInputFiles(file([good1, `3,${people.imported2.username},personne.inconnue,0791001K,CE1,22`]));
    await page.getByRole('button', { name: 'Importer le fichier' }).click();
    const refusal = page.locator('.fr-alert--error').filter({ hasText: 'Fichier refusé' });
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /Ligne 3 : mat — /);
    const count = () => dbValue(`SELECT COUNT(*) FROM sopa_placement WHERE academy_id = ${acad} AND student_id IN (${n(people.imported1.id)}, ${n(people.imported2.id)})`);
    assert.equal(await count(), '0', 'nothing created');
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the refusal');

    await page.getByLabel(/Fichier des affectations \(CSV\)/).setInputFiles(file([good1, good2]));
    await page.getByRole('button', { name: 'Importer le fichier' }).click();
    await page.getByText('2 affectations créées.').waitFor();
    assert.equal(await count(), '2');
    await page.getByRole('row', { name: new RegExp(people.imported1.display_name) }).first().waitFor();
  });
});

test('the gestionnaire\'s home page lists the late reports of a period, a link to them in the site\'s space', async () => {
  await withBrowser(async ({ page }) => {
    await login(page, { academy: 'poitiers', username: 'gestionnaire1' });
    await page.waitForURL('**/app.html**');
    // The demo's SOPA 1 at Niort has a report never sent (due 16 October).
    const late = page.getByRole('link', { name: /^\d+ comptes? rendus? de stage en retard – SOPA 1, Campus de Niort$/ });
    await late.waitFor();
    assert.match(await page.locator('li[data-kind="sopa_reports_late"]').first().textContent(), /attendus? le 16 octobre 2026/);
    await late.click();
    await page.getByRole('heading', { level: 1, name: 'Stages SOPA' }).waitFor();
    assert.equal(await page.getByLabel('Période', { exact: true }).inputValue(), '1');
    const missing = page.getByRole('table', { name: 'Comptes rendus de la période' }).getByRole('row').filter({ hasText: 'Manquant' });
    await missing.first().waitFor();
    assert.match(await page.locator('.app-sopa-counts').innerText(), /[1-9]\d* manquants?/);
  });
});
