// Personal data (issue 15, docs/rgpd-access.md), as people see it on the
// demo data: stagiaire1 sees that the pôle's pilot read their
// accompaniment case and asks for a correction of their name; the admin
// answers it; stagiaire1 reads the answer. The transparency page opens
// from the login page, before any login. axe-core on each screen.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { withUsers, withBrowser, apiSession, axeViolations } from './browser.mjs';
import { settled } from './a11y-sweep.mjs';
import { db, n } from '../lib/index.mjs';

const made = [];
after(async () => {
  if (made.length) await db(`DELETE FROM mail_outbox WHERE notification_id IN (SELECT id FROM notification WHERE module = 'rgpd' AND object_id IN (${made.map(n).join(',')}));
    DELETE FROM notification WHERE module = 'rgpd' AND object_id IN (${made.map(n).join(',')});
    DELETE FROM rectification_request WHERE id IN (${made.map(n).join(',')})`);
});

test('a trainee sees who read their case and asks for a rectification; the admin answers; the trainee reads the answer', async () => {
  // The pôle's pilot reads stagiaire1's case (sql/demo/030_accompaniment.sql).
  const pilot = await apiSession('lyon', 'pilote.pole1');
  const cases = (await pilot.call('GET', '/cases?limit=50')).body.items;
  const own = await apiSession('lyon', 'stagiaire1');
  const mine = (await own.call('GET', '/cases?limit=50')).body.items.map((c) => c.id);
  const target = cases.find((c) => mine.includes(c.id));
  assert.ok(target, 'a case of stagiaire1 the pilot reads');
  assert.equal((await pilot.call('GET', `/cases/${target.id}`)).status, 200);
  const pilotName = (await pilot.call('GET', '/auth/me')).body.display_name;
  await pilot.dispose();
  await own.dispose();
  const value = `Martin-Durand ${Date.now() % 100000}`;

  await withUsers(async ({ open }) => {
    const { page } = await open('stagiaire1');
    const app = page.url().replace(/#.*$/, '');
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mes données personnelles' }).first().click();
    await settled(page);
    await page.getByRole('heading', { level: 1, name: 'Mes données personnelles' }).waitFor();
    const reads = page.getByRole('table', { name: /Consultations de mon dossier/ });
    const row = reads.getByRole('row').filter({ hasText: pilotName }).filter({ hasText: 'Dossier d’accompagnement personnalisé' });
    assert.ok(await row.count() >= 1, `the pilot's read of the case is listed: ${await reads.innerText()}`);
    assert.equal(await page.getByRole('link', { name: 'Télécharger une copie de mes données' }).getAttribute('href'), '#/mes-donnees/copie');
    assert.deepEqual(await axeViolations(page), []);

    // An empty value is refused on the field, nothing sent.
    const form = page.locator('#rectification-form');
    await form.getByLabel('Donnée à corriger').selectOption('family_name');
    await form.getByRole('button', { name: 'Envoyer la demande' }).click();
    await form.getByText('Ce champ est obligatoire.').waitFor();
    await form.getByLabel(/Valeur corrigée/).fill(value);
    await form.getByLabel(/Commentaire/).fill('Nom d’usage');
    await form.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.getByText('Votre demande est envoyée aux administrateurs de votre académie.').waitFor();
    const requests = page.getByRole('table', { name: 'Mes demandes de rectification' });
    await requests.getByRole('row').filter({ hasText: value }).filter({ hasText: 'Envoyée' }).waitFor();
    made.push(...(await db(`SELECT id FROM rectification_request WHERE requested_value = '${value}'`)).map(([id]) => id));
    assert.equal(made.length, 1, 'one request stored');

    // The admin answers it from the menu's « Demandes de rectification ».
    const admin = await open('admin');
    const adminPage = admin.page;
    await adminPage.goto(`${app}#/administration/rectifications`);
    await settled(adminPage);
    assert.deepEqual(await axeViolations(adminPage), []);
    const card = adminPage.locator('article').filter({ hasText: value });
    await card.getByLabel('État de la demande').selectOption('done');
    await card.getByRole('button', { name: /Enregistrer la réponse/ }).click();
    await card.getByText('Écrivez la réponse que la personne lira.').waitFor();
    await card.getByLabel(/Réponse à la personne/).fill('Votre nom de famille est corrigé dans l’annuaire.');
    await card.getByRole('button', { name: /Enregistrer la réponse/ }).click();
    await card.getByText('La réponse est enregistrée ; la personne en est avertie.').waitFor();
    assert.equal(await db(`SELECT status FROM rectification_request WHERE id = ${n(made[0])}`).then((r) => r[0][0]), 'done');

    // The trainee sees the answer.
    await page.reload();
    await settled(page);
    await requests.getByRole('row').filter({ hasText: value }).filter({ hasText: 'Faite' })
      .filter({ hasText: 'Votre nom de famille est corrigé dans l’annuaire.' }).waitFor();
  });
});

test('the transparency page opens from the login page before any login, and its editor shows it', async () => {
  await withBrowser(async ({ page }) => {
    await page.goto('/');
    await page.locator('#academy option[value="lyon"]').waitFor({ state: 'attached' });
    await page.getByLabel('Académie').selectOption('lyon');
    await page.getByRole('link', { name: 'Informations et données personnelles' }).click();
    await page.getByRole('heading', { level: 1, name: 'Informations et données personnelles — Académie de Lyon' }).waitFor();
    assert.match(new URL(page.url()).search, /academie=lyon/);
    for (const title of ['Responsable du traitement', 'Délégué à la protection des données', 'Finalités', 'Base légale',
      'Destinataires', 'Durées de conservation', 'Vos droits et comment les exercer', 'Réclamation auprès de la CNIL']) {
      await page.getByRole('heading', { level: 2, name: title }).waitFor();
    }
    assert.match(await page.locator('main').innerText(), /CNIL/);
    assert.deepEqual(await axeViolations(page), []);
    // Another académie, chosen on the page.
    await page.getByLabel('Académie').selectOption('grenoble');
    await page.getByRole('button', { name: 'Afficher la page de cette académie' }).click();
    await page.getByRole('heading', { level: 1, name: 'Informations et données personnelles — Académie de Grenoble' }).waitFor();
  });
  await withUsers(async ({ open }) => {
    const { page } = await open('admin');
    assert.equal(await page.locator('#lien-donnees-personnelles').getAttribute('href'), '/informations.html?academie=lyon');
    await page.goto(`${page.url().replace(/#.*$/, '')}#/administration/informations`);
    await settled(page);
    assert.match(await page.getByLabel(/Réclamation auprès de la CNIL/).inputValue(), /CNIL/);
    assert.deepEqual(await axeViolations(page), []);
  });
});
