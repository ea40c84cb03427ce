// The accompagnement's screens in the browser (issue 10): a tutor opens a
// level-2 case from « Accompagnement personnalisé » and fills the fiche de
// suivi; the trainee reads their case and « Qui a consulté ce dossier »;
// the fiche prints through Chromium's print to PDF on one or two A4 pages
// with every part of the paper form. axe finds nothing on each screen.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withUsers, axeViolations } from './browser.mjs';
import { Cleanup } from '../lib/cleanup.mjs';
import { db, dbValue, n } from '../lib/db.mjs';
import { trioFixture } from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
after(() => cleanup.run());

let fx;
let caseId;
const DIFFICULTY = `Gestion de classe difficile ${Date.now().toString(36)}`;
const ACTION = 'Visite conseil supplémentaire avec le tuteur terrain';

before(async () => {
  fx = await trioFixture(cleanup); // stagiaire1 with tuteur.terrain1 and tuteur.inspe1, in a year of its own
});

const noAxe = async (page, where) => assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);

test('a tutor opens a level-2 case and fills the fiche de suivi', async () => {
  const year = Number(fx.year.label.slice(0, 4));
  await withUsers(async ({ open }) => {
    const { page } = await open('tuteur.terrain1');
    await page.getByRole('link', { name: 'Accompagnement personnalisé' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Accompagnement personnalisé' }).waitFor();
    await page.getByRole('heading', { name: 'Ouvrir un dossier d’accompagnement' }).waitFor();
    await noAxe(page, 'the list');
    const trainee = page.getByRole('combobox', { name: 'Stagiaire (obligatoire)' });
    const option = await trainee.locator('option', { hasText: fx.year.label }).getAttribute('value');
    await trainee.selectOption(option);
    await page.getByRole('combobox', { name: 'Niveau (obligatoire)' }).selectOption('2');
    await page.locator('input[name="debut"]').fill(`${year}-11-02`);
    await page.locator('input[name="fin"]').fill(`${year}-12-18`);
    await page.getByRole('textbox', { name: /^Motif/ }).fill('Difficultés persistantes malgré le renforcement');
    await page.getByRole('button', { name: 'Ouvrir le dossier' }).click();
    await page.getByRole('heading', { level: 1, name: /^Dossier d’accompagnement de / }).waitFor();
    caseId = Number(page.url().match(/accompagnement\/(\d+)/)[1]);
    await page.getByText('Le dossier d’accompagnement est ouvert').waitFor();
    await page.getByText('Niveau 2 – aménagement de formation').first().waitFor();

    for (const [part, date, text] of [['Difficultés observées', `${year}-11-05`, DIFFICULTY], ['Actions du tutorat mixte', `${year}-11-12`, ACTION]]) {
      await page.getByRole('combobox', { name: 'Rubrique (obligatoire)' }).selectOption({ label: part });
      await page.locator('input[name="date"]').fill(date);
      await page.getByRole('textbox', { name: 'Texte (obligatoire)' }).fill(text);
      await page.getByRole('button', { name: 'Ajouter à la fiche de suivi' }).click();
      await page.getByText('L’entrée est ajoutée à la fiche de suivi.').waitFor();
      const section = page.getByRole('region', { name: part });
      await section.getByText(text).waitFor();
    }
    // The part of another: the tutors do not write the INSPÉ's response.
    const kinds = await page.getByRole('combobox', { name: 'Rubrique (obligatoire)' }).locator('option').allInnerTexts();
    assert.ok(!kinds.includes('Réponse de l’INSPÉ et de l’Éducation nationale'), kinds.join(', '));
    await page.getByRole('table', { name: 'Acteurs du dossier à son niveau' }).getByText('Chef d’établissement').first().waitFor();
    await noAxe(page, 'the case');
  });
  const rows = await db(`SELECT kind, level, body FROM acc_entry WHERE case_id = ${n(caseId)} ORDER BY happened_on`);
  assert.deepEqual(rows, [['difficulty', '2', DIFFICULTY], ['action_tutorat', '2', ACTION]]);
});

test('the trainee reads their case and who consulted it', async () => {
  assert.ok(caseId, 'the case of the first test');
  await withUsers(async ({ open }) => {
    const { page } = await open('stagiaire1');
    await page.goto(`/app.html#/accompagnement`);
    await page.getByRole('link', { name: fx.trainee.me.display_name }).first().waitFor();
    await page.goto(`/app.html#/accompagnement/${caseId}`);
    await page.getByRole('heading', { level: 1, name: /^Dossier d’accompagnement de / }).waitFor();
    await page.getByRole('region', { name: 'Difficultés observées' }).getByText(DIFFICULTY).waitFor();
    assert.equal(await page.getByRole('form', { name: 'Ajouter une entrée à la fiche de suivi' }).count(), 0, 'the trainee reads, never writes');
    const log = page.getByRole('table', { name: 'Consultations du dossier, les plus récentes d’abord' });
    await log.waitFor();
    const terrain = await dbValue(`SELECT display_name FROM person WHERE id = ${n(fx.terrain.me.id)}`);
    await log.getByRole('rowheader', { name: terrain }).first().waitFor();
    await log.getByRole('rowheader', { name: fx.trainee.me.display_name }).first().waitFor();
    await noAxe(page, 'the trainee\'s case');
  });
});

test('the fiche de suivi prints like the paper form on one or two A4 pages', async () => {
  assert.ok(caseId, 'the case of the first test');
  const dir = mkdtempSync(join(tmpdir(), 'fiche-'));
  try {
    await withUsers(async ({ open }) => {
      const { page } = await open('tuteur.inspe1');
      await page.goto(`/app.html#/accompagnement/${caseId}`);
      await page.getByRole('region', { name: 'Difficultés observées' }).getByText(DIFFICULTY).waitFor();
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      writeFileSync(join(dir, 'fiche.pdf'), pdf);
    });
    const info = execFileSync('pdfinfo', [join(dir, 'fiche.pdf')], { encoding: 'utf8' });
    const pages = Number(info.match(/^Pages:\s+(\d+)/m)[1]);
    assert.ok(pages >= 1 && pages <= 2, `${pages} pages`);
    assert.match(info, /^Page size:.*\(A4\)/m);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'fiche.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    if (process.env.FICHE_TEXT) writeFileSync(process.env.FICHE_TEXT, text);
    for (const field of ['Fiche de suivi', 'Stagiaire', 'Tuteurs', 'Lieu d’exercice', 'Niveau 2 – aménagement de formation',
      'Difficultés observées', 'Actions du tutorat mixte', 'Actions de l’INSPÉ', 'Actions de l’établissement ou de la circonscription',
      'Chef d’établissement informé le', 'Niveaux et bilans', DIFFICULTY, ACTION]) {
      assert.ok(text.includes(field), `« ${field} » in the printed fiche: ${text.slice(0, 800)}`);
    }
    for (const absent of ['Ajouter à la fiche de suivi', 'Se déconnecter', 'Imprimer la fiche de suivi']) {
      assert.ok(!text.includes(absent), `« ${absent} » is not printed`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
