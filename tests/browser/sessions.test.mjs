// An admin ends a person's sessions from their record (issue 14 §3,
// ASVS v5.0.0-7.4.5): the open sessions are listed with when they began,
// were last used and end; « Fermer » ends one after confirmation, « Fermer
// toutes les sessions » the rest; the person's tokens stop working. The
// section passes axe.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, login, axeViolations } from './browser.mjs';
import { Cleanup } from '../lib/cleanup.mjs';
import { as } from '../lib/auth.mjs';
import { get } from '../lib/http.mjs';
import { db, n } from '../lib/db.mjs';
import { freshPerson, sessionAs } from '../lib/tutorat.mjs';
import { secondFactor, undoSecondFactor } from '../lib/totp.mjs';

const cleanup = new Cleanup();
const enrolled = []; // the admin's sessions routes demand a second factor
after(async () => {
  await undoSecondFactor(enrolled);
  await cleanup.run();
});

test('the admin sees a person\'s open sessions and closes them, one then all, with the keyboard', async () => {
  // Enrolled here, the admin signs in below with a code (browser.mjs login).
  const admin = await secondFactor(await as('lyon', 'admin'), enrolled);
  const person = await freshPerson(admin, cleanup, ['stagiaire'], 't-bsess');
  const [a, b] = [await sessionAs('lyon', person.id), await sessionAs('lyon', person.id)];
  const open = async () => Number((await db(`SELECT COUNT(*) FROM session WHERE person_id = ${n(person.id)} AND revoked_at IS NULL`))[0][0]);
  assert.equal(await open(), 2);

  await withBrowser(async ({ page }) => {
    await login(page, { academy: 'lyon', username: 'admin' });
    await page.waitForURL('**/app.html**');
    await page.goto(`/app.html#/annuaire/personnes/${person.id}`);
    await page.getByRole('heading', { level: 2, name: 'Sessions ouvertes' }).waitFor();
    const table = page.getByRole('table', { name: `Sessions ouvertes de ${person.display_name}` });
    await table.waitFor();
    assert.equal(await table.locator('tbody tr').count(), 2);
    assert.deepEqual(await axeViolations(page), []);

    const close = table.getByRole('button', { name: /^Fermer la session ouverte le/ }).first();
    await close.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Fermer cette session ?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Fermer la session' }).press('Enter');
    await page.getByText('La session a été fermée.').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await table.locator('tbody tr').count(), 1);
    assert.equal(await open(), 1);

    await page.getByRole('button', { name: 'Fermer toutes les sessions' }).click();
    const all = page.getByRole('dialog', { name: 'Fermer toutes les sessions ?' });
    await all.getByRole('button', { name: 'Fermer toutes les sessions' }).click();
    await page.getByText('Toutes les sessions ont été fermées.').waitFor();
    await all.waitFor({ state: 'hidden' }); // axe below reads the page, not a dialog fading out
    await page.getByText(`${person.display_name} n’a aucune session ouverte.`).waitFor();
    await all.waitFor({ state: 'hidden' });
    assert.equal(await open(), 0);
    assert.deepEqual(await axeViolations(page), []);
  });
  // Their tokens no longer open anything (after the workers' 2 s cache).
  await new Promise((r) => setTimeout(r, 2100));
  for (const s of [a, b]) assert.equal((await get('/api/v1/auth/me', { token: s.token })).status, 401);
});
