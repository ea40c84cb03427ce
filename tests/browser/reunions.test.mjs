// The meetings module's screens (docs/meetings.md): the pôle pilot
// (pilote.pole1, Lyon) runs meeting N°2 from its list — marks the list
// ready, records a decision for the trainee a tutor asked about, marks
// the meeting held; the fiche de personnalisation prints through
// Chromium's print to PDF with every field of annex 1 on one or two A4
// pages. axe-core finds nothing on each screen.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withBrowser, login, axeViolations } from './browser.mjs';
import { Cleanup } from '../lib/cleanup.mjs';
import { post } from '../lib/http.mjs';
import { as } from '../lib/auth.mjs';
import { dbValue, n } from '../lib/db.mjs';
import { trioFixture } from '../lib/tutorat.mjs';
import { removeMeetingsOfYear } from '../lib/meetings.mjs';

const cleanup = new Cleanup();
let fx;
let a;
let meetingId;
let ficheId;

/** The app's address for a hash, from the page's current one. */
const at = (page, hash) => page.url().replace(/#.*$/, '') + hash;

before(async () => {
  fx = await trioFixture(cleanup);
  a = Number(fx.year.label.slice(0, 4));
  const pilot = await as('lyon', 'pilote.pole1');
  const m = await post('/api/v1/pole-meetings', { year_id: fx.year.id, number: 2, pole_id: fx.ids.pole, held_on: `${a + 1}-01-08` }, { token: pilot.token });
  assert.equal(m.status, 201, m.text);
  meetingId = m.body.id;
  const r = await post('/api/v1/review-requests', { enrolment_id: fx.enrolmentId, reason: 'Évitement des échanges avec le tuteur terrain' }, { token: fx.terrain.token });
  assert.equal(r.status, 201, r.text);
  const f = await post('/api/v1/personalisations', {
    trainee_id: fx.trainee.me.id, year_id: fx.year.id, decided_on: `${a}-10-15`,
    items: [
      { difficulty: 1, situation: 'Sorties de classe sans surveillance', support: 'Rappel du cadre réglementaire', hours: 1 },
      { difficulty: 2, situation: 'Retards répétés aux conseils de cycle', support: 'Entretien avec le directeur', hours: 1 },
      { difficulty: 3, situation: 'Classe agitée en fin de journée', support: 'Observation croisée', hours: 3 },
      { difficulty: 4, situation: 'Refus des retours du tuteur terrain', support: 'Entretien tripartite', hours: 2 },
      { difficulty: 5, situation: 'Séquences peu structurées', support: 'Atelier de préparation', hours: 4 },
    ],
  }, { token: fx.inspe.token });
  assert.equal(f.status, 201, f.text);
  ficheId = f.body.id;
});

after(async () => {
  await removeMeetingsOfYear(fx.year.id);
  await cleanup.run();
});

test('the pôle pilot runs meeting N°2 from its list: list ready, a decision for the trainee, meeting held', async () => {
  await withBrowser(async ({ page }) => {
    await login(page, { username: 'pilote.pole1' });
    await page.waitForURL('**/app.html**');
    await page.getByRole('link', { name: 'Réunions de pôle' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Réunions de pôle' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(`8 janvier ${a + 1}`) });
    await row.waitFor();
    assert.match(await row.textContent(), /À venir/);
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the list of meetings');
    await row.getByRole('link', { name: 'Réunion de pôle N°2 – Bourg 2 – Bourg 3 – Bresse' }).click();

    await page.getByRole('heading', { level: 1, name: 'Réunion de pôle N°2 – Bourg 2 – Bourg 3 – Bresse' }).waitFor();
    const trainee = page.getByRole('row', { name: /Camille Martin/ });
    await trainee.waitFor();
    assert.match(await trainee.textContent(), /Demande d’un tuteur/);
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the meeting to come');

    await page.getByRole('button', { name: 'Marquer la liste prête' }).click();
    await page.getByRole('status').filter({ hasText: 'La liste est prête' }).waitFor();
    await page.getByLabel('Décision pour Camille Martin').selectOption({ label: 'Procédure d’individualisation' });
    await page.getByLabel('Précision (facultatif)').fill('Parcours d’individualisation à établir (annexe 2)');
    await page.getByRole('button', { name: 'Enregistrer la décision pour Camille Martin' }).click();
    await page.getByRole('status').filter({ hasText: 'Décision enregistrée pour Camille Martin' }).waitFor();
    const decided = page.getByRole('row', { name: /Camille Martin/ });
    assert.match(await decided.textContent(), /Procédure d’individualisation.*Parcours d’individualisation à établir.*par Hélène Fabre/s);
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the meeting with its decisions');

    await page.getByRole('button', { name: 'Marquer la réunion comme tenue' }).click();
    await page.getByRole('status').filter({ hasText: 'La réunion est enregistrée comme tenue' }).waitFor();
    assert.match(await page.locator('dl').first().textContent(), /Tenue/);
  });
  assert.equal(await dbValue(`SELECT status FROM pole_meeting WHERE id = ${n(meetingId)}`), 'held');
  assert.equal(await dbValue(`SELECT decision FROM pole_meeting_decision WHERE meeting_id = ${n(meetingId)} AND enrolment_id = ${n(fx.enrolmentId)}`), 'individualisation');
});

test('the fiche de personnalisation prints every field of annex 1 on one or two A4 pages', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tutorat-fiche-'));
  try {
    let pdf;
    await withBrowser(async ({ page }) => {
      await login(page, { username: 'tuteur.inspe1' });
      await page.waitForURL('**/app.html**');
      await page.goto(at(page, `#/reunions/fiche/${ficheId}`));
      await page.getByRole('heading', { level: 1, name: 'Fiche de personnalisation de l’accompagnement d’un stagiaire' }).waitFor();
      await page.getByRole('button', { name: 'Imprimer la fiche' }).waitFor();
      assert.deepEqual(await axeViolations(page), [], 'axe-core on the fiche');
      pdf = await page.pdf({ format: 'A4', printBackground: true });
    });
    const file = join(dir, 'fiche.pdf');
    await writeFile(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const pages = text.split('\f').filter((p) => p.trim() !== '').length;
    assert.ok(pages >= 1 && pages <= 2, `${pages} A4 pages`);
    const flat = text.replace(/\s+/g, ' ');
    // The lines outside the tables, whole.
    for (const line of [
      'Fiche de personnalisation de l’accompagnement d’un stagiaire', `Année ${fx.year.label}`,
      'Pôle de formation ou discipline : Bourg 2 – Bourg 3 – Bresse',
      `Décision prise suite à la réunion du pôle de formation ou de la discipline du : 15 octobre ${a}`,
    ]) assert.ok(flat.includes(line), `the PDF holds « ${line} »:\n${text}`);
    // The tables' cells wrap inside their columns: each of their words is there.
    const words = new Set(flat.split(/[\s,]+/));
    for (const cell of [
      'Stagiaire NOM / PRÉNOM', 'Camille Martin', 'Tuteur E.N.', 'Sophie Lefèvre', 'Tuteur Inspé', 'Marc Dubois',
      'Lieu d’exercice', 'École élémentaire Les Tilleuls', 'Date',
      'Difficultés concernant', 'Description de la situation', 'Dispositif d’accompagnement proposé',
      'Nombre d’heures consacrées au dispositif d’accompagnement par le tuteur Inspé',
      '1. Sécurité des élèves', '2. Posture du fonctionnaire défaillante', '3. Gestion de la classe',
      '4. Conduite d’évitement ne permettant pas les échanges professionnels', '5. Préparation et mise en œuvre',
      'Sorties de classe sans surveillance', 'Rappel du cadre réglementaire', 'Retards répétés aux conseils de cycle',
      'Classe agitée en fin de journée', 'Observation croisée', 'Refus des retours du tuteur terrain', 'Entretien tripartite',
      'Séquences peu structurées', 'Atelier de préparation',
    ]) {
      for (const w of cell.split(' ')) assert.ok(words.has(w), `the PDF holds « ${w} » of « ${cell} »:\n${text}`);
    }
    for (const hours of [1, 2, 3, 4, 11]) assert.match(flat, new RegExp(`\\b${hours} ?h\\b`), `the PDF holds « ${hours} h »`);
    assert.ok(!flat.includes('Imprimer la fiche'), 'no button in the print');
    assert.ok(!flat.includes('Réunions de pôle'), 'no menu in the print');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the pilot plans meeting N°3 of the year from the list of meetings', async () => {
  await withBrowser(async ({ page }) => {
    await login(page, { username: 'pilote.pole1' });
    await page.waitForURL('**/app.html**');
    await page.goto(at(page, '#/reunions'));
    await page.getByRole('heading', { name: 'Planifier une réunion' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the list with the planning form');
    await page.getByRole('combobox', { name: /^Année/ }).selectOption({ label: fx.year.label });
    await page.getByRole('combobox', { name: /^Pôle de formation ou discipline/ }).selectOption({ label: 'Bourg 2 – Bourg 3 – Bresse' });
    await page.getByRole('combobox', { name: /^Réunion/ }).selectOption({ label: 'N°3' });
    await page.getByRole('textbox', { name: /^Date/ }).fill(`${a + 1}-04-06`);
    await page.getByRole('button', { name: 'Planifier la réunion' }).click();
    await page.getByRole('heading', { level: 1, name: 'Réunion de pôle N°3 – Bourg 2 – Bourg 3 – Bresse' }).waitFor();
    assert.match(await page.locator('dl').first().textContent(), new RegExp(`6 avril ${a + 1}.*À venir`, 's'));
  });
  assert.equal(await dbValue(`SELECT COUNT(*) FROM pole_meeting WHERE year_id = ${n(fx.year.id)} AND number = 3`), '1');
});
