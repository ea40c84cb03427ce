// Annuaire screens for an administrator, as a user sees them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, whoIs, login, headerUser } from './browser.mjs';

test('the admin of Lyon finds stagiaire1 in Annuaire › Personnes and sees their roles', async () => {
  const admin = await whoIs('lyon', 'admin');
  const trainee = await whoIs('lyon', 'stagiaire1');

  await withBrowser(async ({ page }) => {
    await login(page, { username: 'admin' });
    await page.waitForURL('**/app.html**');
    await headerUser(page).waitFor();
    assert.ok((await headerUser(page).innerText()).includes('Administrateur'));

    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    await nav.getByRole('button', { name: 'Annuaire' }).click();
    await nav.getByRole('link', { name: 'Personnes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Personnes' }).waitFor();
    assert.match(await page.title(), /^Personnes – Tutorat$/);
    // Once the list has loaded, focus moves to the page title (announced by screen readers).
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1' && document.activeElement.textContent === 'Personnes');

    await page.getByLabel('Nom, identifiant ou courriel').fill('stagiaire');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    // The table is replaced by the search's results (its caption names the search).
    const results = page.getByRole('table', { name: 'Personnes correspondant à la recherche « stagiaire »' });
    await results.getByRole('link', { name: trainee.display_name }).waitFor();
    assert.ok((await page.locator('.app-result-count').innerText()).includes('trouvée'), 'the count of results is shown');
    const row = results.getByRole('row').filter({ hasText: trainee.display_name });
    assert.ok((await row.innerText()).includes('stagiaire1'), 'the row shows the identifiant');
    assert.ok(!(await results.innerText()).includes(admin.display_name), 'the admin does not match « stagiaire »');

    await results.getByRole('link', { name: trainee.display_name }).click();
    await page.getByRole('heading', { level: 1, name: trainee.display_name }).waitFor();
    assert.ok((await page.title()).startsWith(trainee.display_name));
    const details = await page.locator('.app-dl').innerText();
    assert.ok(details.includes('stagiaire1'), 'the record shows the identifiant');

    await page.getByRole('heading', { level: 2, name: 'Rôles et périmètres' }).waitFor();
    const roles = page.getByRole('table', { name: `Rôles de ${trainee.display_name}` });
    await roles.waitFor();
    const roleRow = roles.getByRole('row').filter({ hasText: 'Stagiaire' });
    assert.equal(await roleRow.count(), 1, 'the Stagiaire role is listed');
    assert.ok(await roleRow.getByRole('button', { name: /Retirer/ }).isVisible(), 'a role can be removed');
    assert.ok(await page.getByRole('button', { name: 'Ajouter le rôle' }).isVisible(), 'a role can be added');
  });
});
