// The pilotage screens (docs/pilotage.md): an IEN of Lyon (ien1) opens
// the dashboard of their pôle (their circonscription is in it), sees the
// figures as tiles each a link to its list, opens the list to review at
// the next pôle meeting, chooses its columns (kept in the address) and
// exports it as XLSX: the file, read with python3's openpyxl, holds the
// rows the screen shows. axe-core finds nothing on each screen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { withUsers, axeViolations } from './browser.mjs';

/** axe-core on the page as it is, once it has drawn what it loads. */
async function noViolation(page, where) {
  await page.locator('#app-vue h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('#app-vue .app-loading, #app-vue [aria-busy="true"]'));
  assert.deepEqual(await axeViolations(page), [], `axe-core on ${where}`);
}

/** The rows of the first sheet of an XLSX file, as arrays of strings. */
function xlsxRows(path) {
  const script = [
    'import json, sys, openpyxl',
    'wb = openpyxl.load_workbook(sys.argv[1], read_only=True)',
    'ws = wb.worksheets[0]',
    'print(json.dumps([["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)]))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' }));
}

test('an IEN opens their pôle\'s dashboard, the list to review at the next meeting, and exports it as XLSX', async () => {
  await withUsers(async ({ open }) => {
    const { page } = await open('ien1');
    const app = page.url().replace(/#.*$/, '');

    // The menu opens the dashboard; the scope selector offers the pôle.
    await page.locator('#app-nav').getByRole('link', { name: 'Tableau de bord' }).first().waitFor({ state: 'attached' });
    await page.goto(`${app}#/tableau-de-bord`);
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    const scope = page.getByLabel('Périmètre');
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

    // The list to review at the next pôle meeting.
    await page.getByRole('link', { name: /^Liste à examiner à la prochaine réunion de pôle/ }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: /examiner|réunion/i }).waitFor();
    await page.waitForFunction(() => !document.querySelector('#app-vue .app-loading, #app-vue [aria-busy="true"]'));
    const names = await page.locator('#app-vue table tbody th a').evaluateAll((as) => as.map((a) => a.textContent.trim()));
    const hrefs = await page.locator('#app-vue table tbody th a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.every((x) => /^#\/dossiers\/\d+$/.test(x)), `each row links to the dossier: ${hrefs}`);
    await noViolation(page, 'the list to review');

    // One column less: kept in the address, and in the export's link.
    const boxes = page.locator('#app-vue input[name="colonne"]');
    if (await boxes.count() > 1) {
      const dropped = await boxes.first().getAttribute('value');
      await boxes.first().uncheck({ force: true }); // DSFR draws the box over the input
      await page.waitForURL(/colonnes=/);
      const href = await page.getByRole('link', { name: 'Exporter (XLSX)' }).getAttribute('href');
      const columns = new URL(href, app).searchParams.get('columns').split(',');
      assert.ok(!columns.includes(dropped), `${dropped} left out of ${columns}`);
      await page.reload();
      await page.locator('#app-vue input[name="colonne"]').first().waitFor();
      assert.equal(await page.locator(`#app-vue input[name="colonne"][value="${dropped}"]`).isChecked(), false, 'the choice is kept in the address');
      await page.waitForFunction(() => !document.querySelector('#app-vue .app-loading, #app-vue [aria-busy="true"]'));
      await noViolation(page, 'the list with a column less');
    }

    // The XLSX export holds the rows shown.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Exporter (XLSX)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const rows = xlsxRows(await download.path());
    assert.ok(rows.length >= 1, 'a header row');
    const body = rows.slice(1).filter((r) => r.some((c) => c !== ''));
    // One page of the screen (50 rows) is the whole list, or its start.
    if (names.length < 50) assert.equal(body.length, names.length, `the file's rows (${JSON.stringify(body)}) are the screen's (${names})`);
    else assert.ok(body.length >= names.length, `the file holds at least the page shown: ${body.length}`);
    for (const name of names) {
      assert.ok(body.some((r) => r.includes(name)), `${name} in the file: ${JSON.stringify(body)}`);
    }
  });
});
