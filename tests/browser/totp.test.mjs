// The second factor in the browser (issue 14 §2, "done when"): bureau1 of
// Lyon enrols TOTP on « Sécurité du compte » (QR code, manual key, a first
// code, the recovery codes to keep), signs in again with a code computed by
// the test from the key the page showed, and is refused a replayed one.
// Then the admin resets it from the person's record. Each screen passes axe.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, login, openLogin, axeViolations } from './browser.mjs';
import { as } from '../lib/auth.mjs';
import { dbValue } from '../lib/db.mjs';
import {
  codeAt, stepOf, dropTotp, secondFactor, undoSecondFactor,
} from '../lib/totp.mjs';

const enrolled = [];
let bureauId;
after(async () => {
  if (bureauId) await dropTotp(bureauId);
  await undoSecondFactor(enrolled);
});

/** The login form, sent; the code step is then expected. */
async function password(page) {
  await openLogin(page);
  await page.getByLabel('Académie').selectOption('lyon');
  await page.getByLabel('Identifiant').fill('bureau1');
  await page.getByLabel('Mot de passe', { exact: true }).fill('demo');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const code = page.getByLabel('Code de vérification');
  await code.waitFor();
  return code;
}

test('bureau1 enrols TOTP, signs in with a code computed from the shared secret, and is refused a replayed one', async () => {
  bureauId = (await as('lyon', 'bureau1')).me.id;
  let secret;
  let used;
  await withBrowser(async ({ page }) => {
    await login(page, { academy: 'lyon', username: 'bureau1' });
    await page.waitForURL('**/app.html**');
    await page.getByRole('link', { name: 'Sécurité du compte' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Sécurité du compte' }).waitFor();
    await page.getByRole('button', { name: 'Activer la double authentification' }).click();
    await page.getByRole('heading', { level: 2, name: 'Activer la double authentification' }).waitFor();
    const qr = page.getByRole('img', { name: /QR code à scanner/ });
    await qr.waitFor();
    assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml;base64,/);
    secret = (await page.locator('#cle-totp').textContent()).replace(/\s+/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/, 'the manual key, in groups of four');
    assert.deepEqual(await axeViolations(page), []);

    used = stepOf() - 1;
    await page.getByLabel('Code de vérification').fill(codeAt(secret, used));
    await page.getByRole('button', { name: 'Vérifier et activer' }).click();
    await page.getByRole('heading', { level: 2, name: 'Vos codes de secours' }).waitFor();
    const codes = await page.getByRole('list', { name: 'Codes de secours' }).getByRole('listitem').allTextContents();
    assert.equal(codes.length, 10);
    for (const c of codes) assert.match(c.trim(), /^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
    assert.deepEqual(await axeViolations(page), []);
    assert.equal(await dbValue(`SELECT COUNT(*) FROM person_totp WHERE person_id = ${bureauId} AND confirmed_at IS NOT NULL`), '1');
    await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
    await page.waitForURL((url) => url.pathname === '/');
  });

  await withBrowser(async ({ page }) => {
    const code = await password(page);
    assert.equal(await code.getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await code.getAttribute('inputmode'), 'numeric');
    assert.deepEqual(await axeViolations(page), []);
    used = Math.max(stepOf() - 1, used + 1); // a step after the enrolment's, within the window
    const good = codeAt(secret, used);
    await code.fill(good);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/app.html**');
    await page.locator('#app-utilisateur').waitFor();
    await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
    await page.waitForURL((url) => url.pathname === '/');

    // The same code again: a replay, refused; the page stays on the code step.
    const again = await password(page);
    await again.fill(good);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByText('Code de vérification incorrect ou déjà utilisé').waitFor();
    assert.equal(await again.getAttribute('aria-invalid'), 'true');
    assert.equal(new URL(page.url()).pathname, '/');
    assert.deepEqual(await axeViolations(page), []);
  });
});

test('the admin resets a person\'s TOTP from their record', async () => {
  assert.ok(bureauId, 'the enrolment test ran first');
  await secondFactor(await as('lyon', 'admin'), enrolled);
  await withBrowser(async ({ page }) => {
    await login(page, { academy: 'lyon', username: 'admin' });
    await page.waitForURL('**/app.html**');
    await page.goto(`/app.html#/annuaire/personnes/${bureauId}`);
    await page.getByRole('heading', { level: 2, name: 'Double authentification' }).waitFor();
    await page.getByRole('button', { name: 'Réinitialiser la double authentification' }).click();
    const dialog = page.getByRole('dialog', { name: 'Réinitialiser la double authentification ?' });
    await dialog.getByRole('button', { name: 'Réinitialiser' }).click();
    await page.getByText('La double authentification a été réinitialisée.').waitFor();
    assert.deepEqual(await axeViolations(page), []);
  });
  assert.equal(await dbValue(`SELECT COUNT(*) FROM person_totp WHERE person_id = ${bureauId}`), '0');
  assert.ok(Number(await dbValue(`SELECT COUNT(*) FROM audit_log WHERE action = 'totp.reset' AND object_id = ${bureauId}`)) > 0, 'audited');
});
