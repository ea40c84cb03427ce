// The pilotage screens (docs/pilotage.md): an IEN of Lyon (ien1) opens
// the dashboard of their pôle (their circonscription is in it), sees the
// figures as tiles each a link to its list, finds the next pôle meeting's
// review (a link to the meeting's screen and to its list: one of the
// pôle's trainees put on it for the test), opens that list and exports it
// as XLSX (the rows shown), opens the list of the pôle's trainees, drops a column (kept
// in the address) and exports it: each file (the XLSX read with python3's
// openpyxl) holds the rows the screen shows, without the column dropped;
// the choice of columns is remembered for the reader (the list opened
// again without it in the address). The trends are charts (images named
// after their table) with tables holding the same figures. A reader whose
// role names no scope is told whom to ask. axe-core finds nothing on each
// screen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { randomInt } from 'node:crypto';
import { withUsers, axeViolations, apiSession } from './browser.mjs';
import { db, q, n } from '../lib/db.mjs';

/** axe-core on the page as it is, once it has drawn what it loads. */
async function noViolation(page, where) {
  await page.locator('#app-vue h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('#app-vue .app-loading, #app-vue [aria-busy="true"]'));
  assert.deepEqual(await axeViolations(page), [], `axe-core on ${where}`);
}

// The formats of the exports the API serves (docs/pilotage.md).
const FORMATS = ['csv', 'xlsx'];

/** The rows of a CSV export (UTF-8 with BOM, `;`, CRLF, fields quoted). */
function csvRows(text) {
  assert.ok(text.startsWith('\uFEFF'), 'a BOM');
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const body = text.slice(1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') { row.push(field); field = ''; }
    else if (c === '\r' && body[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** The rows of the first sheet of an XLSX file, as arrays of strings. */
function xlsxRows(path) {
  const script = [
    'import json, sys, openpyxl',
    'wb = openpyxl.load_workbook(sys.argv[1], read_only=True)',
    'ws = wb.worksheets[0]',
    'print(json.dumps([["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)]))',
  ].join('\n');
  // Debian's python3-openpyxl (deploy/dev PACKAGES), for the system's python3.
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8' }));
}

/** The review row this file adds to the next meeting of ien1's pôle. */
let reviewRow = null;

/**
 * One trainee of ien1's first pôle put on the review list of the pôle's
 * next meeting, as the meetings module stores it once the list is ready:
 * {display_name}.
 */
async function onNextReview() {
  const ien = await apiSession('lyon', 'ien1');
  try {
    const pole = (await ien.call('GET', '/pilotage/scopes')).body.items.find((x) => x.kind === 'pole');
    assert.ok(pole, 'ien1 reads a pôle');
    const dash = (await ien.call('GET', `/pilotage/dashboards/pole/${pole.id}`)).body;
    assert.ok(dash.next_meeting_review?.meeting_id, `the demo's pôle has a next meeting: ${JSON.stringify(dash.next_meeting_review)}`);
    const [row] = (await ien.call('GET', `/pilotage/dashboards/pole/${pole.id}/lists/trainees?limit=1`)).body.items;
    const { meeting_id: meeting, count } = dash.next_meeting_review;
    const already = (await ien.call('GET', `/pilotage/dashboards/pole/${pole.id}/lists/next_meeting_review?limit=200`)).body.items;
    if (!already.some((x) => x.enrolment_id === row.enrolment_id)) {
      reviewRow = 1e15 + randomInt(0, 2 ** 47);
      await db(`INSERT INTO pole_meeting_review (academy_id, id, meeting_id, enrolment_id, signals)
        SELECT academy_id, ${n(reviewRow)}, id, ${n(row.enrolment_id)}, 'tutor_request' FROM pole_meeting WHERE id = ${n(meeting)}`);
      return { name: row.trainee.display_name, count: count + 1 };
    }
    return { name: row.trainee.display_name, count };
  } finally {
    await ien.dispose();
  }
}

test('an IEN opens their pôle\'s dashboard, the list to review at the next meeting and the list of its trainees, and exports it', async () => {
  const toReview = await onNextReview();
  await withUsers(async ({ open }) => {
    const { page } = await open('ien1');
    const app = page.url().replace(/#.*$/, '');

    // The menu opens the dashboard; the scope selector offers the pôle.
    await page.locator('#app-nav').getByRole('link', { name: 'Tableau de bord' }).first().waitFor({ state: 'attached' });
    await page.goto(`${app}#/tableau-de-bord`);
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    const scope = page.getByLabel('Périmètre');
    // The selector is drawn once the scopes have come.
    await scope.locator('option').first().waitFor({ state: 'attached' });
    const options = await scope.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent })));
    const pole = options.find((o) => o.value.startsWith('pole/'));
    assert.ok(pole, `the pôle among the scopes: ${JSON.stringify(options)}`);
    await scope.selectOption(pole.value);
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.waitForURL(`**#/tableau-de-bord/${pole.value}**`);
    await page.getByRole('heading', { level: 2, name: new RegExp(pole.label.trim()) }).waitFor();

    // Every figure is a link whose name carries the figure, to its list.
    const tiles = page.locator('#app-vue .app-figure a');
    assert.ok(await tiles.count() > 0, 'figures shown');
    for (const link of await tiles.all()) {
      const name = (await link.innerText()).replace(/\s+/g, ' ').trim();
      assert.match(name, /^\d[\d\s ]*( sur \d+)? \S/, `the figure is in the link's name: « ${name} »`);
      assert.match(await link.getAttribute('href'), new RegExp(`^#/tableau-de-bord/${pole.value}/[\\w-]+`));
    }
    // The tables are captioned.
    assert.ok(await page.locator('#app-vue table caption').count() > 0, 'tables with captions');
    await noViolation(page, 'the pôle\'s dashboard');

    // The trends: two charts, each an image whose name points to the
    // table right below it, which holds the same figures: the visits done
    // over the weeks add up to the dashboard's visits.
    const trends = page.locator('#app-vue .app-trends');
    await trends.getByRole('heading', { name: 'Les tendances de l’année' }).waitFor();
    const charts = trends.locator('figure.app-chart');
    assert.equal(await charts.count(), 2);
    for (const chart of await charts.all()) {
      const img = chart.locator('svg[role="img"]');
      assert.match(await img.getAttribute('aria-label'), /les chiffres sont dans le tableau qui le suit/);
      assert.equal(await chart.locator('table caption').count(), 1);
    }
    const weeks = charts.first();
    const doneCells = await weeks.locator('table tbody tr td:nth-of-type(2)').allInnerTexts();
    assert.ok(doneCells.length >= 40, `every week of the year: ${doneCells.length}`);
    const visitsTile = (await page.locator('#app-vue .app-figure[data-figure="visits"] .app-figure__value').innerText()).split(' sur ')[0];
    const bars = await weeks.locator('svg rect.app-chart__done').count();
    const nonZero = doneCells.filter((c) => Number(c.replace(/\D/g, '')) > 0).length;
    assert.equal(bars, nonZero, 'a bar for each week with a visit done');
    assert.equal(doneCells.reduce((a, c) => a + Number(c.replace(/\D/g, '')), 0), Number(visitsTile.replace(/\D/g, '')),
      'the weeks\' visits done add up to the dashboard\'s');

    // The list to review at the next pôle meeting: the block names the
    // meeting and links to its screen (the meetings module's) and to the
    // list, which opens here and exports as XLSX the rows it shows.
    const review = page.locator('#app-vue .app-review');
    await review.getByRole('heading', { name: 'Liste à examiner à la prochaine réunion de pôle' }).waitFor();
    const meeting = review.getByRole('link', { name: /^Ouvrir la réunion du \d+ \S+ \d{4}$/ });
    assert.match(await meeting.getAttribute('href'), /^#\/reunions\/reunion\/\d+$/);
    const reviewList = review.getByRole('link', { name: `Liste à examiner à la prochaine réunion de pôle (${toReview.count} stagiaire${toReview.count > 1 ? 's' : ''})` });
    await reviewList.click();
    await page.getByRole('heading', { level: 1, name: 'Liste à examiner à la prochaine réunion de pôle' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('#app-vue .app-loading, #app-vue [aria-busy="true"]'));
    const reviewNames = await page.locator('#app-vue table tbody th a').evaluateAll((as) => as.map((a) => a.textContent.trim()));
    assert.equal(reviewNames.length, toReview.count, `${reviewNames}`);
    assert.ok(reviewNames.includes(toReview.name), `${toReview.name} in ${reviewNames}`);
    await noViolation(page, 'the list to review');
    const [reviewFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Exporter (XLSX)' }).click(),
    ]);
    const reviewPath = join(await mkdtemp(join(tmpdir(), 'pilotage-')), reviewFile.suggestedFilename());
    await reviewFile.saveAs(reviewPath);
    const reviewRows = xlsxRows(reviewPath);
    await rm(dirname(reviewPath), { recursive: true, force: true });
    assert.match(reviewFile.suggestedFilename(), /next_meeting_review\.xlsx$/);
    assert.equal(reviewRows[0][0], 'Stagiaire');
    assert.deepEqual(reviewRows.slice(1).map((r) => r[0]).sort(), [...reviewNames].sort(), 'the file holds the rows shown');
    await page.goBack();

    // The trainees of the pôle: the list behind the first figure.
    const trainees = page.locator('#app-vue .app-figure[data-figure="trainees"] a');
    const count = Number((await trainees.locator('.app-figure__value').innerText()).replace(/\D/g, ''));
    await trainees.click();
    await page.getByRole('heading', { level: 1, name: 'Stagiaires' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('#app-vue .app-loading, #app-vue [aria-busy="true"]'));
    const names = await page.locator('#app-vue table tbody th a').evaluateAll((as) => as.map((a) => a.textContent.trim()));
    const hrefs = await page.locator('#app-vue table tbody th a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.equal(names.length, Math.min(count, 50), `the list holds the figure's ${count} trainees: ${names}`);
    assert.ok(hrefs.every((x) => /^#\/dossiers\/\d+$/.test(x)), `each row links to the dossier: ${hrefs}`);
    await noViolation(page, 'the list of the trainees');

    // One column less: kept in the address, and in the export's link.
    const boxes = page.locator('#app-vue input[name="colonne"]');
    let dropped = null;
    let droppedLabel = null;
    if (await boxes.count() > 1) {
      dropped = await boxes.first().getAttribute('value');
      droppedLabel = (await page.locator(`label[for="${await boxes.first().getAttribute('id')}"]`).innerText()).trim();
      const saved = page.waitForResponse((r) => r.url().includes('/api/v1/pilotage/columns/trainees') && r.request().method() === 'PUT');
      await boxes.first().uncheck({ force: true }); // DSFR draws the box over the input
      await page.waitForURL(/colonnes=/);
      assert.equal((await saved).status(), 200);
      const href = await page.getByRole('link', { name: 'Exporter (XLSX)' }).getAttribute('href');
      const columns = new URL(href, app).searchParams.get('columns').split(',');
      assert.ok(!columns.includes(dropped), `${dropped} left out of ${columns}`);
      await page.reload();
      await page.locator('#app-vue input[name="colonne"]').first().waitFor();
      assert.equal(await page.locator(`#app-vue input[name="colonne"][value="${dropped}"]`).isChecked(), false, 'the choice is kept in the address');
      await page.waitForFunction(() => !document.querySelector('#app-vue .app-loading, #app-vue [aria-busy="true"]'));
      await noViolation(page, 'the list with a column less');
      // The list opened again without the choice in its address: the
      // reader's choice, remembered.
      const plain = page.url().replace(/[?&]colonnes=[^&]*/, '');
      await page.goto(`${app}#/`);
      await page.locator('#app-vue h1').first().waitFor();
      await page.goto(plain);
      await page.locator('#app-vue input[name="colonne"]').first().waitFor();
      assert.ok(!page.url().includes('colonnes='), page.url());
      assert.equal(await page.locator(`#app-vue input[name="colonne"][value="${dropped}"]`).isChecked(), false, 'the choice is remembered');
      assert.equal(await page.locator('#app-vue input[name="colonne"]:not(:checked)').count(), 1);
      await page.waitForFunction(() => !document.querySelector('#app-vue .app-loading, #app-vue [aria-busy="true"]'));
    }

    // Each export holds the rows shown, with the columns chosen.
    for (const format of FORMATS) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: `Exporter (${format.toUpperCase()})` }).click(),
      ]);
      assert.match(download.suggestedFilename(), new RegExp(`\\.${format}$`));
      // openpyxl goes by the file's extension: the download saved as named.
      const file = join(await mkdtemp(join(tmpdir(), 'pilotage-')), download.suggestedFilename());
      await download.saveAs(file);
      const rows = format === 'xlsx' ? xlsxRows(file) : csvRows(await readFile(file, 'utf8'));
      await rm(dirname(file), { recursive: true, force: true });
      assert.ok(rows.length >= 1, `${format}: a header row`);
      const body = rows.slice(1).filter((r) => r.some((c) => c !== ''));
      // One page of the screen (50 rows) is the whole list, or its start.
      if (names.length < 50) assert.equal(body.length, names.length, `${format}: the file's rows (${JSON.stringify(body)}) are the screen's (${names})`);
      else assert.ok(body.length >= names.length, `${format}: the file holds at least the page shown: ${body.length}`);
      for (const name of names) assert.ok(body.some((r) => r.includes(name)), `${format}: ${name} in the file: ${JSON.stringify(body)}`);
      if (dropped) assert.ok(!rows[0].includes(droppedLabel), `${format}: « ${droppedLabel} » left out of ${rows[0]}`);
    }
  });
});

test('a reader whose role names no scope is told whom to ask', async () => {
  // resp.parcours1 (Lyon's demo) is responsable de parcours for the whole
  // académie: no scope, so no dashboard (docs/pilotage.md).
  await withUsers(async ({ open }) => {
    const { page } = await open('resp.parcours1');
    const app = page.url().replace(/#.*$/, '');
    await page.goto(`${app}#/tableau-de-bord`);
    const alert = page.locator('#app-vue .app-no-scope');
    await alert.getByRole('heading', { name: 'Aucun périmètre de pilotage ne vous est attribué' }).waitFor();
    assert.match(await alert.innerText(), /Demandez à l’administrateur de Tutorat de votre académie/);
    assert.equal(await page.getByLabel('Périmètre').count(), 0, 'no scope to choose');
    await noViolation(page, 'the dashboard without a scope');
  });
});

test.after(async () => {
  // ien1's choice of columns and the review row, made above, are not left
  // to other tests.
  await db(`DELETE FROM pilotage_column_pref WHERE person_id IN (SELECT id FROM person WHERE username = ${q('ien1')})`).catch(() => {});
  if (reviewRow) await db(`DELETE FROM pole_meeting_review WHERE id = ${n(reviewRow)}`).catch(() => {});
});
