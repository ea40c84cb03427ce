// The annuaire's people in the browser (issue 8, part 1): the admin gives
// a role with the scope « Toute l'académie ».

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { withBrowser, login, apiSession } from './browser.mjs';
import { Cleanup } from '../lib/cleanup.mjs';
import { db, n } from '../lib/db.mjs';

const cleanup = new Cleanup();
const undo = [];
after(async () => {
  for (const step of undo.reverse()) await step().catch((err) => process.stderr.write(`cleanup: ${err.message}\n`));
  await cleanup.run();
});

test('the admin gives a role with the scope « Toute l’académie »', async () => {
  const admin = await apiSession('poitiers', 'admin');
  const uid = `t-scope-${Date.now().toString(36)}${randomInt(0, 36 ** 3).toString(36)}`;
  const created = await admin.call('POST', '/people', { data: { username: uid, display_name: 'Lucie Perrin' } });
  assert.equal(created.status, 201, created.text);
  const id = cleanup.person(created.body.id);
  await admin.dispose();

  await withBrowser(async ({ page }) => {
    await login(page, { academy: 'poitiers', username: 'admin' });
    await page.waitForURL('**/app.html**');
    await page.goto(`/app.html#/annuaire/personnes/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Lucie Perrin' }).waitFor();
    await page.getByLabel('Rôle (obligatoire)', { exact: true }).selectOption('bureau_stages');
    assert.equal(await page.getByLabel('Type de périmètre (obligatoire)').inputValue(), 'academy');
    await page.getByRole('button', { name: 'Ajouter le rôle' }).click();
    await page.getByText('Le rôle « Bureau des stages » (Toute l’académie) a été ajouté.').waitFor();
    const roles = page.getByRole('table', { name: 'Rôles de Lucie Perrin' });
    await roles.getByRole('row').filter({ hasText: 'Bureau des stages' }).waitFor();
  });
  const stored = await db(`SELECT role, scope_kind, scope_id FROM role_assignment WHERE person_id = ${n(id)}`);
  assert.deepEqual(stored, [['bureau_stages', 'academy', null]]);
});
