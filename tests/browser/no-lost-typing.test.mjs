// Issue 8 §2: nothing a person typed is lost, and nothing irreversible is
// asked about a form that would be refused.
//
// - The trainee's feedback typed when the session expires comes back after
//   signing in again, and goes from the device once sent.
// - « Transmettre mon retour » and « Annuler ce temps de suivi » check the
//   fields before their dialog opens; an error goes once its field is
//   fixed; the cancel dialog's buttons say what they do.
// - The self-assessment's typing stays on the device across a reload, and
//   signing out removes it.
// - Changing screen without a connection says the connection is lost.
//
// The follow-up times are planned through the API on the demo enrolment of
// stagiaire1 (Lyon), on a weekday of November 2026, and cancelled after.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { withUsers, apiSession } from './browser.mjs';

const ACADEMY = 'lyon';
const planned = [];

after(async () => {
  const tutor = await apiSession(ACADEMY, 'tuteur.terrain1');
  try {
    for (const id of planned) await tutor.call('POST', `/followups/${id}/cancel`, { data: { reason: 'Fin du test.' } });
  } finally {
    await tutor.dispose();
  }
});

/** stagiaire1's enrolment of the current year (demo data), as its tutor sees it. */
async function demoEnrolment() {
  const tutor = await apiSession(ACADEMY, 'tuteur.terrain1');
  try {
    const years = (await tutor.call('GET', '/years')).body.items;
    const year = years.find((y) => y.current);
    const list = await tutor.call('GET', `/enrolments?year_id=${year.id}&q=Camille&limit=50`);
    assert.equal(list.status, 200, list.text);
    const enrolment = list.body.items.find((e) => e.trainee?.display_name === 'Camille Martin');
    assert.ok(enrolment, 'the demo enrolment of stagiaire1 (Camille Martin)');
    return (await tutor.call('GET', `/enrolments/${enrolment.id}`)).body;
  } finally {
    await tutor.dispose();
  }
}

/** A visit planned by tuteur.terrain1, held when `held` (observation saved with held: true). */
async function visit(enrolment, { held }) {
  const tutor = await apiSession(ACADEMY, 'tuteur.terrain1');
  try {
    const weekdays = [2, 3, 4, 5, 6, 9, 10, 12, 13, 16, 17, 19, 20, 23, 24, 26, 27];
    const day = weekdays[Math.floor(Math.random() * weekdays.length)];
    const pad = (x) => String(x).padStart(2, '0');
    const at = `2026-11-${pad(day)}T${pad(8 + Math.floor(Math.random() * 8))}:${pad(Math.floor(Math.random() * 60))}`;
    const res = await tutor.call('POST', `/enrolments/${enrolment.id}/followups`, {
      data: { kind: 'visit', scheduled_at: at, place_id: enrolment.places[0]?.id, with_terrain: true, with_inspe: true },
    });
    assert.equal(res.status, 201, res.text);
    planned.push(res.body.id);
    if (held) {
      const f = await tutor.call('GET', `/followups/${res.body.id}`);
      const obs = await tutor.call('PUT', `/followups/${res.body.id}/observation`, {
        data: { observation_notes: 'Séance observée.', held: true }, headers: { 'If-Match': `"${f.body.version}"` },
      });
      assert.equal(obs.status, 200, obs.text);
    }
    return res.body.id;
  } finally {
    await tutor.dispose();
  }
}

/** The keys of drafts kept in this page's localStorage. */
const draftKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tutorat:brouillon:')));

/** True while the DSFR confirmation dialog is open. */
const dialogOpen = (page) => page.evaluate(() => {
  const d = document.getElementById('confirmation');
  return d.hasAttribute('open') || d.classList.contains('fr-modal--opened');
});

test('feedback: checked before the dialog, kept through an expired session, sent, then gone from the device', async () => {
  const enrolment = await demoEnrolment();
  const id = await visit(enrolment, { held: true });
  await withUsers(async ({ open }) => {
    const { page, context } = await open('stagiaire1');
    await page.goto(page.url().replace(/#.*$/, '') + `#/temps-de-suivi/${id}`);
    const section = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Mon retour' }) });
    await section.waitFor();
    const retained = section.getByLabel('Ce que j’ai retenu');
    const axes = section.getByLabel('Un ou deux axes d’amélioration');

    // Empty fields: the errors are said, the irreversible dialog stays shut.
    await section.getByRole('button', { name: 'Transmettre mon retour' }).click();
    const required = 'Ce champ est obligatoire pour transmettre votre retour.';
    await section.getByText(required).first().waitFor();
    assert.equal(await section.getByText(required).count(), 2, 'both empty fields say why');
    assert.equal(await dialogOpen(page), false, 'no confirmation for a feedback that would be refused');
    assert.equal(await retained.evaluate((el) => el === document.activeElement), true, 'the first empty field has the focus');

    // Fixing a field takes its error away; the other one stays.
    await retained.fill('Les consignes écrites au tableau aident les élèves fragiles.');
    assert.equal(await section.getByText(required).count(), 1, 'the fixed field has no error left');
    assert.equal(await retained.getAttribute('aria-invalid'), null);
    await axes.fill('Prévoir une activité pour les élèves rapides.');
    assert.equal(await section.getByText(required).count(), 0);

    // The session expires; the next save sends to the login page, the
    // person signs in again and comes back to the same screen, text in place.
    await context.clearCookies();
    await section.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await page.waitForURL(/session=expiree/);
    assert.match(decodeURIComponent(page.url()), new RegExp(`retour=#/temps-de-suivi/${id}`));
    await page.locator('#academy option[value="lyon"]').waitFor({ state: 'attached' });
    await page.getByLabel('Académie').selectOption(ACADEMY);
    await page.getByLabel('Identifiant').fill('stagiaire1');
    await page.getByLabel('Mot de passe', { exact: true }).fill('demo');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(new RegExp(`#/temps-de-suivi/${id}$`));
    const back = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Mon retour' }) });
    await back.getByText(/a été retrouvée sur cet appareil/).waitFor();
    assert.equal(await back.getByLabel('Ce que j’ai retenu').inputValue(), 'Les consignes écrites au tableau aident les élèves fragiles.');
    assert.equal(await back.getByLabel('Un ou deux axes d’amélioration').inputValue(), 'Prévoir une activité pour les élèves rapides.');
    assert.equal((await draftKeys(page)).length, 1, 'one draft kept on the device');

    // Complete now: the dialog opens, its buttons say what they do.
    await back.getByRole('button', { name: 'Transmettre mon retour' }).click();
    const dialog = page.getByRole('dialog', { name: 'Transmettre votre retour ?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Revenir à mon retour' }).waitFor();
    await dialog.getByRole('button', { name: 'Transmettre', exact: true }).click();
    await page.getByText('Votre retour est transmis à vos tuteurs.').waitFor();
    assert.deepEqual(await draftKeys(page), [], 'the draft goes once the feedback is sent');

    const trainee = await apiSession(ACADEMY, 'stagiaire1');
    try {
      const stored = (await trainee.call('GET', `/followups/${id}`)).body.feedback;
      assert.equal(stored.submitted, true);
      assert.equal(stored.retained, 'Les consignes écrites au tableau aident les élèves fragiles.');
      assert.equal(stored.axes, 'Prévoir une activité pour les élèves rapides.');
    } finally {
      await trainee.dispose();
    }
  });
});

test('cancelling a follow-up time: the reason is checked first, « Garder ce temps de suivi » keeps it', async () => {
  const enrolment = await demoEnrolment();
  const id = await visit(enrolment, { held: false });
  await withUsers(async ({ open }) => {
    const { page } = await open('tuteur.terrain1');
    await page.goto(page.url().replace(/#.*$/, '') + `#/temps-de-suivi/${id}`);
    const section = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Annuler ce temps de suivi' }) });
    await section.waitFor();
    const cancel = section.getByRole('button', { name: 'Annuler ce temps de suivi' });

    await cancel.click();
    await section.getByText('Indiquez le motif de l’annulation.').waitFor();
    assert.equal(await dialogOpen(page), false, 'no confirmation without a reason');
    await section.getByLabel('Motif de l’annulation').fill('Stagiaire en formation ce jour-là.');
    assert.equal(await section.getByText('Indiquez le motif de l’annulation.').count(), 0, 'the error goes with the reason written');

    await cancel.click();
    const dialog = page.getByRole('dialog', { name: 'Annuler ce temps de suivi ?' });
    await dialog.waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Annuler', exact: true }).count(), 0, 'no bare « Annuler » beside the confirmation');
    await dialog.getByRole('button', { name: 'Garder ce temps de suivi' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const tutor = await apiSession(ACADEMY, 'tuteur.terrain1');
    try {
      assert.equal((await tutor.call('GET', `/followups/${id}`)).body.state, 'planned', 'kept');
      await cancel.click();
      await dialog.getByRole('button', { name: 'Confirmer l’annulation' }).click();
      await page.getByText('Le temps de suivi est annulé.').waitFor();
      const after = (await tutor.call('GET', `/followups/${id}`)).body;
      assert.equal(after.state, 'cancelled');
      assert.equal(after.cancel_reason, 'Stagiaire en formation ce jour-là.');
    } finally {
      await tutor.dispose();
    }
  });
});

test('self-assessment: the typing survives a reload, signing out removes it from the device', async () => {
  const enrolment = await demoEnrolment();
  await withUsers(async ({ open }) => {
    const { page } = await open('stagiaire1');
    await page.goto(page.url().replace(/#.*$/, '') + `#/dossiers/${enrolment.id}/auto-positionnement`);
    const priorities = page.getByLabel('Mes priorités');
    await priorities.waitFor();
    const text = `Différenciation en lecture ${Date.now()}`;
    await priorities.fill(text);
    assert.equal((await draftKeys(page)).length, 1);

    await page.reload();
    await page.getByText(/a été retrouvée sur cet appareil/).waitFor();
    assert.equal(await page.getByLabel('Mes priorités').inputValue(), text);

    await page.locator('#app-deconnexion').click();
    await page.waitForURL(/deconnexion=1/);
    assert.deepEqual(await draftKeys(page), [], 'signing out leaves no draft on a shared device');
  });
});

test('changing screen without a connection says the connection is lost', async () => {
  await withUsers(async ({ open }) => {
    const { page, context } = await open('stagiaire1');
    await page.goto(page.url().replace(/#.*$/, '') + '#/mon-annee');
    await page.locator('#app-vue h1', { hasText: /^Mon année/ }).waitFor();
    await page.goto(page.url().replace(/#.*$/, '') + '#/');
    await page.getByRole('heading', { level: 1, name: /^Bonjour/ }).waitFor();

    await context.setOffline(true);
    try {
      await page.evaluate(() => { location.hash = '#/mon-annee'; });
      await page.getByRole('heading', { level: 1, name: 'Connexion perdue' }).waitFor();
      const text = await page.locator('#app-vue').innerText();
      assert.match(text, /Connexion perdue : vérifiez votre connexion à Internet/);
      assert.doesNotMatch(text, /indisponible/, 'not « service indisponible »: the service is fine, the device is offline');
    } finally {
      await context.setOffline(false);
    }
    await page.getByRole('button', { name: 'Réessayer' }).click();
    await page.locator('#app-vue h1', { hasText: /^Mon année/ }).waitFor();
    assert.notEqual(await page.locator('#app-vue h1').innerText(), 'Connexion perdue');
  });
});
