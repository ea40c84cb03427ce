// The lists of every module are built on web/js/list.js: the total is
// shown and announced, pages are reached with the keyboard, the address
// keeps the search and the page (back, reload), and axe-core finds nothing
// on them. The pickers search the long lists instead of cutting them.
//
// The structures (more than one page of them) are created through the API
// in Lyon and removed after the file.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, login, apiSession, axeViolations } from './browser.mjs';
import { Cleanup } from '../lib/cleanup.mjs';

const cleanup = new Cleanup();
const COUNT = 63; // two pages of 50
const tag = `Liste ${Date.now().toString(36)}`;
const name = (i) => `${tag} ${String(i).padStart(3, '0')}`;

before(async () => {
  const admin = await apiSession('lyon', 'admin');
  try {
    for (let i = 0; i < COUNT; i += 1) {
      const res = await admin.call('POST', '/structures', { data: { kind: 'discipline', name: name(i) } });
      assert.equal(res.status, 201, res.text);
      cleanup.structure(res.body.id);
    }
  } finally {
    await admin.dispose();
  }
});
after(() => cleanup.run());

/** The app's address for a hash, from the page's current one. */
const at = (page, hash) => page.url().replace(/#.*$/, '') + hash;

/** The names in the first column of the structures table. */
async function shownNames(page) {
  return page.getByRole('table').locator('tbody th').allInnerTexts();
}

test('structures: the total is shown, the pages are reached with the keyboard and kept in the address', async () => {
  await withBrowser(async ({ page }) => {
    await login(page, { username: 'admin' });
    await page.waitForURL('**/app.html**');
    await page.goto(at(page, '#/annuaire/structures'));
    await page.getByRole('heading', { level: 1, name: 'Structures' }).waitFor();
    const count = page.locator('.app-result-count');
    await count.filter({ hasText: 'structures' }).waitFor();

    // The search is typed and sent with the keyboard.
    await page.getByLabel('Type de structure').selectOption('discipline');
    await page.getByLabel('Nom ou code').fill(tag);
    await page.getByLabel('Nom ou code').press('Enter');
    await count.filter({ hasText: `${COUNT} disciplines — résultats 1 à 50, page 1 sur 2.` }).waitFor();
    assert.equal(await count.getAttribute('role'), 'status', 'the count is announced to screen readers');
    assert.deepEqual(await shownNames(page), Array.from({ length: 50 }, (_, i) => name(i)));
    assert.match(page.url(), /#\/annuaire\/structures\?kind=discipline&q=Liste\+/);
    assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing on the list');

    // Page 2 with the keyboard: the link takes the focus, Enter follows it.
    const pager = page.getByRole('navigation', { name: 'Pagination des structures' });
    await pager.getByRole('link', { name: 'Page suivante' }).focus();
    await page.keyboard.press('Enter');
    await count.filter({ hasText: `${COUNT} disciplines — résultats 51 à ${COUNT}, page 2 sur 2.` }).waitFor();
    assert.deepEqual(await shownNames(page), Array.from({ length: COUNT - 50 }, (_, i) => name(50 + i)));
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'app-result-count',
      'the focus moves to the count of the new page');
    assert.match(page.url(), /&page=2$/);
    assert.equal(await pager.getByRole('link', { name: '2', exact: true }).getAttribute('aria-current'), 'page');
    assert.equal(await pager.getByRole('link', { name: 'Page suivante' }).getAttribute('aria-disabled'), 'true');

    // Back: page 1 again; a reload of page 2's address: page 2 again.
    await page.goBack();
    await count.filter({ hasText: 'page 1 sur 2' }).waitFor();
    assert.equal((await shownNames(page))[0], name(0));
    await page.goForward();
    await count.filter({ hasText: 'page 2 sur 2' }).waitFor();
    await page.reload();
    await count.filter({ hasText: 'page 2 sur 2' }).waitFor();
    assert.equal(await page.getByLabel('Nom ou code').inputValue(), tag, 'the search is back in its field');
    assert.equal((await shownNames(page))[0], name(50));

    // A page past the end (an old link) shows the last one.
    await page.goto(at(page, `#/annuaire/structures?kind=discipline&q=${encodeURIComponent(tag)}&page=9`));
    await count.filter({ hasText: 'page 2 sur 2' }).waitFor();

    // Nothing found: said, not an empty table.
    await page.getByLabel('Nom ou code').fill(`${tag} absent`);
    await page.getByRole('button', { name: 'Afficher' }).click();
    await count.filter({ hasText: 'Aucune structure ne correspond à votre recherche.' }).waitFor();
    assert.equal(await page.getByRole('table').count(), 0);
  });
});

test('people and enrolments: the lists show their totals or the error, and axe-core finds nothing', async () => {
  await withBrowser(async ({ page }) => {
    await login(page, { username: 'admin' });
    await page.waitForURL('**/app.html**');
    await page.goto(at(page, '#/annuaire/personnes'));
    const count = page.locator('.app-result-count');
    await count.filter({ hasText: /^\d+ personnes? trouvées?/ }).waitFor();
    await page.getByRole('table', { name: 'Personnes de l’académie' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing on Personnes');

    // A search the API refuses (more than 100 characters): the error is said, no table.
    await page.goto(at(page, `#/annuaire/personnes?q=${'x'.repeat(101)}`));
    const alert = page.getByRole('alert');
    await alert.getByRole('heading', { name: 'La recherche n’a pas abouti' }).waitFor();
    assert.equal(await page.getByRole('table').count(), 0);
    assert.equal(await count.innerText(), '');

    await page.goto(at(page, '#/inscriptions'));
    await page.getByRole('heading', { level: 1, name: 'Inscriptions' }).waitFor();
    await count.filter({ hasText: /^(\d+ inscriptions?|Aucune inscription)/ }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing on Inscriptions');
  });
});

test('Mes stagiaires: a tutor’s list shows its count, and axe-core finds nothing', async () => {
  await withBrowser(async ({ page }) => {
    await login(page, { username: 'tuteur.inspe1' });
    await page.waitForURL('**/app.html**');
    await page.goto(at(page, '#/mes-stagiaires'));
    await page.getByRole('heading', { level: 1, name: 'Mes stagiaires' }).waitFor();
    const count = page.locator('.app-result-count');
    await count.filter({ hasText: /^(\d+ stagiaires? suivis?\.|Aucun stagiaire pour cette année\.)$/ }).waitFor();
    await page.getByLabel('Nom du stagiaire').fill('personne-de-ce-nom');
    await page.getByLabel('Nom du stagiaire').press('Enter');
    await count.filter({ hasText: 'Aucun stagiaire ne correspond à votre recherche.' }).waitFor();
    assert.match(page.url(), /#\/mes-stagiaires\?q=personne-de-ce-nom$/, 'the search is in the address, the current year left out');
    assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing on Mes stagiaires');
  });
});

test('the scope picker of a role searches the structures instead of cutting the list', async () => {
  const admin = await apiSession('lyon', 'admin');
  const trainee = (await admin.call('GET', '/people?q=stagiaire1')).body.items.find((p) => p.username === 'stagiaire1');
  await admin.dispose();
  await withBrowser(async ({ page }) => {
    await login(page, { username: 'admin' });
    await page.waitForURL('**/app.html**');
    await page.goto(at(page, `#/annuaire/personnes/${trainee.id}`));
    await page.getByRole('heading', { level: 2, name: 'Rôles et périmètres' }).waitFor();
    await page.getByLabel('Type de périmètre').selectOption('discipline');
    const scope = page.locator('.app-picker');
    await scope.getByText(/^\d+ résultats : les 50 premiers sont dans la liste ci-dessous\. Précisez le filtre/).waitFor();
    assert.equal(await scope.getByLabel('Périmètre').locator('option').count(), 51, 'a placeholder and the first 50');

    await scope.getByLabel('Filtrer par nom ou code').fill(name(62));
    await scope.getByLabel('Filtrer par nom ou code').press('Enter');
    await scope.getByText('1 résultat dans la liste ci-dessous.').waitFor();
    assert.deepEqual(await scope.getByLabel('Périmètre').locator('option').allInnerTexts(), ['Sélectionner', name(62)]);
    assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing on the person’s page');
  });
});
