// What people type is shown as text, never run as code: a display name made
// of markup and script appears letter for letter in the pages that show it,
// and nothing of it executes (web/ inserts user data with textContent only;
// the CSP would block inline script anyway).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, login, apiSession } from './browser.mjs';

const HOSTILE = '<img src=x onerror="window.__pwned=1">Léa <script>window.__pwned=2</script>';

test('a display name made of markup is shown as text in the list and on the record, and never runs', async () => {
  const admin = await apiSession('lyon', 'admin');
  const username = `xss${Date.now().toString(36)}`;
  let id;
  try {
    const created = await admin.call('POST', '/people', { data: { username, display_name: HOSTILE } });
    assert.equal(created.status, 201, created.text);
    id = created.body.id;

    await withBrowser(async ({ page }) => {
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await login(page, { username: 'admin' });
      await page.waitForURL('**/app.html**');

      await page.goto(page.url().replace(/#.*$/, '') + '#/annuaire/personnes');
      await page.getByLabel('Nom, identifiant ou courriel').fill(username);
      await page.getByRole('button', { name: 'Rechercher' }).click();
      const link = page.getByRole('link', { name: HOSTILE, exact: true });
      await link.waitFor();
      await link.click();
      await page.getByRole('heading', { level: 1, name: HOSTILE, exact: true }).waitFor();

      assert.equal(await page.evaluate(() => window.__pwned), undefined, 'nothing of the name ran');
      assert.equal(await page.locator('img[src="x"]').count(), 0, 'no element was made from the name');
      assert.deepEqual(errors, []);
    });
  } finally {
    if (id !== undefined) await admin.call('PATCH', `/people/${id}`, {
      data: { active: false }, headers: { 'If-Match': '"1"' },
    });
    await admin.dispose();
  }
});
