// The screens of the personnalisation and of the cellule d'accompagnement
// (docs/meetings.md): a tuteur Inspé writes a fiche de personnalisation
// from the form; the bureau des stages agrees a sent fiche from its page,
// which the year's budget then counts; it opens a remediation workshop,
// adds a session, enrols the trainee (in difficulty now) and records her
// attendance. axe-core finds nothing on each screen. The trainee is a new
// person enrolled in the current year (the cellule's page shows that year).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, login, axeViolations } from './browser.mjs';
import { Cleanup } from '../lib/cleanup.mjs';
import { get, post } from '../lib/http.mjs';
import { as } from '../lib/auth.mjs';
import { db, dbValue, n, q } from '../lib/db.mjs';
import { freshPerson, enrol } from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
const TITLE = `Atelier posture ${Date.now().toString(36)}`;
let trainee;
let enrolmentId;
let yearId;
let sentId;

const at = (page, hash) => page.url().replace(/#.*$/, '') + hash;

before(async () => {
  const admin = await as('lyon', 'admin');
  const inspe = await as('lyon', 'tuteur.inspe1');
  const terrain = await as('lyon', 'tuteur.terrain1');
  const lyon = Number(await dbValue("SELECT id FROM academy WHERE code = 'lyon'"));
  yearId = Number(await dbValue(`SELECT id FROM school_year WHERE academy_id = ${lyon} AND current`));
  const pole = Number(await dbValue(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'pole' AND name = 'Bourg 2 – Bourg 3 – Bresse'`));
  const school = Number(await dbValue(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'school' AND code = '0011001A'`));
  const display = `Inès Test${Date.now().toString(36)}`;
  trainee = await freshPerson(admin, cleanup, ['stagiaire'], 't-mtc');
  await db(`UPDATE person SET display_name = ${q(display)} WHERE id = ${n(trainee.id)}`);
  trainee.display_name = display;
  enrolmentId = await enrol(admin, cleanup, {
    trainee_id: trainee.id, year_id: yearId, parcours: 'M2A', degre: 1, category: 'professeur', pole_id: pole,
    places: [{ school_id: school, class_label: 'CP' }], tuteur_terrain_id: terrain.me.id, tuteur_inspe_id: inspe.me.id,
  });
  const f = await post('/api/v1/personalisations', {
    trainee_id: trainee.id, year_id: yearId, decided_on: '2026-10-13',
    items: [{ difficulty: 2, situation: 'Retards répétés', support: 'Entretien avec le directeur', hours: 2 }],
  }, { token: inspe.token });
  assert.equal(f.status, 201, f.text);
  sentId = f.body.id;
  const sent = await post(`/api/v1/personalisations/${sentId}/send`, {}, { token: inspe.token, headers: { 'If-Match': '"1"' } });
  assert.equal(sent.status, 200, sent.text);
});

after(async () => {
  const w = `SELECT id FROM workshop WHERE title = ${q(TITLE)}`;
  await db([
    `DELETE FROM workshop_attendance WHERE enrolment_id = ${n(enrolmentId)}`,
    `DELETE FROM workshop_trainee WHERE enrolment_id = ${n(enrolmentId)}`,
    `DELETE FROM workshop_session WHERE workshop_id IN (${w})`,
    `DELETE FROM workshop WHERE title = ${q(TITLE)}`,
    `DELETE FROM personalisation_item WHERE personalisation_id IN (SELECT id FROM personalisation WHERE enrolment_id = ${n(enrolmentId)})`,
    `DELETE FROM personalisation WHERE enrolment_id = ${n(enrolmentId)}`,
    `DELETE FROM review_request WHERE enrolment_id = ${n(enrolmentId)}`,
  ].join(';\n')).catch((err) => process.stderr.write(`cleanup (harmless): ${err.message}\n`));
  await cleanup.run();
});

test('a tuteur Inspé writes a fiche de personnalisation from the form', async () => {
  await withBrowser(async ({ page }) => {
    await login(page, { username: 'tuteur.inspe1' });
    await page.waitForURL('**/app.html**');
    await page.getByRole('link', { name: 'Fiches de personnalisation' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Fiches de personnalisation' }).waitFor();
    await page.getByRole('row', { name: new RegExp(trainee.display_name) }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the list of fiches');
    await page.getByRole('link', { name: 'Nouvelle fiche de personnalisation' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nouvelle fiche de personnalisation' }).waitFor();
    await page.getByLabel('Stagiaire').selectOption({ label: `${trainee.display_name} (2026-2027)` });
    await page.getByLabel(/Date de la réunion/).fill('2026-10-13');
    const third = page.getByRole('group', { name: '3. Gestion de la classe' });
    await third.getByLabel('Description de la situation').fill('Consignes peu audibles');
    await third.getByLabel('Dispositif d’accompagnement proposé').fill('Observation croisée');
    await third.getByLabel('Heures du tuteur Inspé').fill('3');
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the form');
    await page.getByRole('button', { name: 'Créer la fiche' }).click();
    await page.getByRole('heading', { level: 1, name: 'Fiche de personnalisation de l’accompagnement d’un stagiaire' }).waitFor();
    const grid = page.getByRole('row', { name: /3\. Gestion de la classe/ });
    assert.match(await grid.textContent(), /Consignes peu audibles.*Observation croisée.*3 h/s);
    await page.getByRole('button', { name: 'Transmettre à la cellule d’accompagnement' }).waitFor();

    // The tutor asks for the trainee to be reviewed at the next meeting.
    await page.goto(at(page, '#/reunions/fiches'));
    const ask = page.getByRole('region', { name: 'Demander l’examen d’un stagiaire en réunion de pôle' });
    await ask.getByRole('combobox', { name: /^Stagiaire/ }).selectOption({ label: `${trainee.display_name} (2026-2027)` });
    await ask.getByLabel(/Motif de la demande/).fill('Difficultés persistantes en gestion de classe');
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the request form');
    await ask.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.getByRole('status').filter({ hasText: 'La demande est enregistrée' }).waitFor();
  });
  assert.equal(await dbValue(`SELECT COUNT(*) FROM personalisation WHERE enrolment_id = ${n(enrolmentId)} AND status = 'draft'`), '1');
  assert.equal(await dbValue(`SELECT reason FROM review_request WHERE enrolment_id = ${n(enrolmentId)}`), 'Difficultés persistantes en gestion de classe');
});

test('the bureau des stages agrees a sent fiche, the budget counts it; a workshop with a session and the attendance', async () => {
  const bureau = await as('lyon', 'bureau1');
  const before = (await get(`/api/v1/support-budgets/${yearId}`, { token: bureau.token })).body;
  await withBrowser(async ({ page }) => {
    await login(page, { username: 'bureau1' });
    await page.waitForURL('**/app.html**');
    await page.getByRole('link', { name: 'Cellule d’accompagnement' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Cellule d’accompagnement' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(trainee.display_name) });
    await row.waitFor();
    assert.match(await row.textContent(), /Transmise à la cellule/);
    await page.getByLabel(/Budget de l’année/).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the cellule\'s page');
    await row.getByRole('link', { name: trainee.display_name }).click();

    await page.getByRole('heading', { name: 'Décision de la cellule d’accompagnement' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe-core on a fiche to decide');
    await page.getByLabel('Heures accordées').fill('2');
    await page.getByRole('button', { name: 'Accorder les moyens et les heures' }).click();
    await page.getByRole('status').filter({ hasText: 'Les moyens et les heures sont accordés.' }).waitFor();
    assert.match(await page.locator('.app-fiche__status').textContent(), /Accordée pour 2 h/);

    await page.goto(at(page, '#/reunions/cellule'));
    await page.getByLabel('Intitulé du nouvel atelier').fill(TITLE);
    await page.getByRole('button', { name: 'Créer l’atelier' }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await page.getByLabel('Date et heure').fill('2026-11-25T14:00');
    await page.getByLabel('Lieu').fill('Salle 4');
    await page.getByRole('button', { name: 'Ajouter la séance' }).click();
    await page.getByRole('status').filter({ hasText: 'La séance est ajoutée.' }).waitFor();
    await page.getByLabel(/Stagiaire en difficulté/).selectOption({ label: trainee.display_name });
    await page.getByRole('button', { name: 'Inscrire le stagiaire' }).click();
    await page.getByRole('status').filter({ hasText: 'Le stagiaire est inscrit.' }).waitFor();
    await page.getByLabel(new RegExp(`Présence de ${trainee.display_name}`)).selectOption({ label: 'Présent' });
    await page.getByRole('status').filter({ hasText: `Présence de ${trainee.display_name} enregistrée.` }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the workshop');
  });
  const after = (await get(`/api/v1/support-budgets/${yearId}`, { token: bureau.token })).body;
  assert.equal(after.consumed, before.consumed + 2);
  assert.equal(await dbValue(`SELECT status FROM personalisation WHERE id = ${n(sentId)}`), 'agreed');
  assert.equal(await dbValue(`SELECT a.present FROM workshop_attendance a JOIN workshop_session s ON s.id = a.session_id JOIN workshop w ON w.id = s.workshop_id WHERE w.title = ${q(TITLE)} AND a.enrolment_id = ${n(enrolmentId)}`), '1');
});
