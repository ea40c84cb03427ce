// The SOPA module's host-teacher and student screens (issue 11), on a
// phone-sized screen (375×667): mat1 (Poitiers) opens « Étudiants
// accueillis », opens etudiant1's SOPA 2 placement, writes its compte
// rendu (every field), saves the draft, finds it again after a reload,
// sends it (asked first) and reads it frozen with its sent date; etudiant1
// then reads it in « Mes stages SOPA » — mat1's texts and ratings — and
// cannot open another student's report. Printed, the report is the paper
// form on one or two A4 pages. axe-core finds nothing on each
// screen, and no page scrolls sideways.
//
// The demo leaves etudiant1's SOPA 2 report to write. When it is already
// written (a second run against the same stack), the bureau des stages
// places etudiant1 with mat1 in a period where etudiant1 has no placement
// yet, through the API, and the test writes that one; it is removed after.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withUsers, apiSession, axeViolations } from './browser.mjs';
import { db, n } from '../lib/db.mjs';

const PHONE = { width: 375, height: 667 };
const ACADEMY = 'poitiers';
const NIORT = 100105;
const JEAN_ZAY = 100112;

const TEXT = {
  absences: '2',
  comments12: 'Observations fines des élèves, questions pertinentes sur la gestion du temps de classe.',
  comments34: 'A conduit une séance de numération en autonomie, avec une mise en commun réussie.',
  led: '4',
  designed: '3',
  advice1: 'Anticiper les transitions entre les phases de la séance.',
  advice2: 'Varier les supports pour les élèves les plus fragiles.',
};
// The ratings chosen: each of the three values at least once.
const RATINGS = { C1: 'Acquis', C2: 'En cours d’acquisition', C6: 'Acquis', C7: 'Non acquis', C11: 'Acquis' };
const RATING_CODES = { Acquis: 'acquis', 'En cours d’acquisition': 'en_cours', 'Non acquis': 'non_acquis' };

let placement; // the placement the test writes the report of
const created = []; // the placements the tests made, removed after
let student; // etudiant1's display name
let otherReport; // a sent report of another student of Niort
let year; // the current school year
let matId; // mat1's person id

/** The app's address for a hash, from the page's current one. */
const at = (page, hash) => page.url().replace(/#.*$/, '') + hash;

/**
 * Printed, the report is the paper form: on one or two A4 pages, its
 * parts and the answers, no menu and no button.
 */
async function printsLikeThePaperForm(page) {
  const dir = await mkdtemp(join(tmpdir(), 'tutorat-sopa-'));
  try {
    const file = join(dir, 'compte-rendu.pdf');
    await writeFile(file, await page.pdf({ format: 'A4', printBackground: true }));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const pages = text.split('\f').filter((p) => p.trim() !== '').length;
    assert.ok(pages >= 1 && pages <= 2, `${pages} A4 pages`);
    const flat = text.replace(/\s+/g, ' ');
    for (const line of ['Le compte-rendu du tuteur de stage', `Stagiaire : ${student}`, 'Nombre de ½ journées d’absence : 2',
      '1- De l’observation à la prise en charge progressive', '4- Éthique professionnelle', '☒ En cours d’acquisition', '☒ Non acquis',
      'Quels sont les 2 conseils que vous donneriez à cet étudiant ?', TEXT.advice1]) {
      assert.ok(flat.includes(line), `the print holds « ${line} »:\n${text}`);
    }
    for (const word of TEXT.comments12.split(' ')) assert.ok(flat.includes(word), `the print holds « ${word} »`);
    assert.ok(!flat.includes('Imprimer'), 'no button in the print');
    assert.ok(!flat.includes('Étudiants accueillis'), 'no menu in the print');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Chooses a DSFR radio as a person does: by clicking its label (the label covers the round). */
async function choose(radio) {
  const id = await radio.getAttribute('id');
  await radio.page().locator(`label[for="${id}"]`).click();
  assert.ok(await radio.isChecked(), `${id} chosen`);
}

async function noSideScroll(page, what) {
  const [width, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(width <= inner, `${what}: no horizontal scroll (${width} > ${inner})`);
}

async function currentYear(s) {
  const years = (await s.call('GET', '/years')).body.items;
  return years.find((y) => y.current) || years[0];
}

/**
 * A placement with mat1 at Niort made by the bureau des stages through the
 * API, in a period where neither the student nor mat1 is taken (mat1
 * hosts two students at most), removed after the tests.
 */
async function newPlacement(studentId) {
  const bureau = await apiSession(ACADEMY, 'bureau1');
  try {
    const all = (await bureau.call('GET', `/sopa/placements?year_id=${year.id}&limit=200`)).body.items;
    const free = (k) => !all.some((p) => p.period.number === k && p.student.id === studentId)
      && all.filter((p) => p.period.number === k && p.mat.id === matId).length < 2;
    const period = [3, 4, 1, 2].find(free);
    assert.ok(period, `a period without placement for student ${studentId} and room with mat1`);
    const res = await bureau.call('POST', '/sopa/placements', {
      data: { site_id: NIORT, year_id: year.id, period, student_id: studentId, mat_id: matId, school_id: JEAN_ZAY, class_level: 'CE2', pupils: 22 },
    });
    assert.equal(res.status, 201, res.text);
    created.push(res.body.id);
    return res.body;
  } finally {
    await bureau.dispose();
  }
}

before(async () => {
  const mat = await apiSession(ACADEMY, 'mat1');
  const etudiant = await apiSession(ACADEMY, 'etudiant1');
  const staff = await apiSession(ACADEMY, 'gestionnaire1');
  try {
    year = await currentYear(mat);
    const me = (await etudiant.call('GET', '/auth/me')).body;
    matId = (await mat.call('GET', '/auth/me')).body.id;
    student = me.display_name;
    const mine = await mat.call('GET', `/sopa/placements?year_id=${year.id}&limit=200`);
    assert.equal(mine.status, 200, mine.text);
    // The demo's SOPA 2 report to write; on a re-run, a new placement.
    placement = mine.body.items.find((p) => p.student.id === me.id && p.period.number === 2 && !p.report)
      || await newPlacement(me.id);
    const site = await staff.call('GET', `/sopa/placements?year_id=${year.id}&site_id=${NIORT}&limit=200`);
    assert.equal(site.status, 200, site.text);
    otherReport = site.body.items.find((p) => p.student.id !== me.id && p.report?.state === 'sent');
    assert.ok(otherReport, 'the demo has a sent report of another student at Niort');
  } finally {
    await mat.dispose();
    await etudiant.dispose();
    await staff.dispose();
  }
});

after(async () => {
  // The placements the tests made, with their reports' versions (best effort).
  for (const id of created) {
    const p = n(id);
    await db(`DELETE FROM sopa_report WHERE placement_id = ${p};
      DELETE FROM sopa_placement WHERE id = ${p};`).catch((err) => console.error(`cleanup: ${err.message}`));
  }
});

test('mat1 writes, saves, finds again and sends a compte rendu on a phone; etudiant1 reads it, and no other student’s', async () => {
  const periodLabel = `SOPA ${placement.period.number} (stage ${placement.period.stage})`;
  let reportId;
  await withUsers(async ({ open }) => {
    const { page } = await open('mat1', { academy: ACADEMY, viewport: PHONE });
    await page.locator('#app-vue').getByRole('link', { name: 'Étudiants accueillis' }).click();
    await page.getByRole('heading', { level: 1, name: 'Étudiants accueillis' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Vos étudiants par période' }).waitFor();
    await page.getByRole('button', { name: 'Le rôle du tuteur de stage' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe-core on « Étudiants accueillis »');
    await noSideScroll(page, 'Étudiants accueillis');

    // The placement: its stage's questions, and the report to write.
    await page.getByRole('link', { name: `${student} – ${periodLabel}`, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `${periodLabel} de ${student}` }).waitFor();
    await page.getByRole('heading', { level: 2, name: `Ce que vise le stage ${placement.period.stage}` }).waitFor();
    const question = { 1: 'Qu’est-ce qu’une classe ?', 2: 'Quel est l’objectif de l’enseignant ?', 3: 'Comment est prise en charge l’hétérogénéité des élèves ?' }[placement.period.stage];
    await page.getByText(question, { exact: true }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the placement');
    await noSideScroll(page, 'the placement');
    await page.getByRole('button', { name: 'Rédiger le compte rendu' }).click();

    // The form: every field.
    await page.getByRole('heading', { level: 1, name: new RegExp(`^Compte rendu de stage de ${student}`) }).waitFor();
    reportId = Number(page.url().match(/comptes-rendus\/(\d+)/)[1]);
    assert.match(await page.locator('.app-sopa-head').innerText(), new RegExp(`Stagiaire : ${student}`));
    await page.getByLabel(/^Nombre de ½ journées d’absence/).fill(TEXT.absences);
    await choose(page.getByRole('radio', { name: /^Étape 3/ }));
    await page.getByLabel(/^Commentaires sur l’acquisition de ces objectifs pour les étapes 1 et 2/).fill(TEXT.comments12);
    await page.getByLabel(/^Commentaires sur l’acquisition de ces objectifs pour les étapes 3 et 4/).fill(TEXT.comments34);
    await page.getByLabel(/^Nombre de séances animées/).fill(TEXT.led);
    await page.getByLabel(/^Nombre de séances conçues/).fill(TEXT.designed);
    for (const [code, label] of Object.entries(RATINGS)) {
      await choose(page.getByRole('group', { name: new RegExp(`^${code}\\. `) }).getByRole('radio', { name: new RegExp(`^${label}`) }));
    }
    await page.getByLabel(/^Conseil 1/).fill(TEXT.advice1);
    await page.getByLabel(/^Conseil 2/).fill(TEXT.advice2);
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the filled form');
    await noSideScroll(page, 'the form');
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await page.getByRole('status').filter({ hasText: 'Brouillon enregistré' }).waitFor();

    // Stored: what the server holds is what was typed.
    const mat = await apiSession(ACADEMY, 'mat1');
    try {
      const stored = await mat.call('GET', `/sopa/reports/${reportId}`);
      assert.equal(stored.status, 200, stored.text);
      assert.equal(stored.body.state, 'draft');
      assert.equal(stored.body.absences_half_days, 2);
      assert.equal(stored.body.step, 3);
      assert.equal(stored.body.comments_steps_12, TEXT.comments12);
      assert.equal(stored.body.comments_steps_34, TEXT.comments34);
      assert.equal(stored.body.sessions_led, 4);
      assert.equal(stored.body.sessions_designed, 3);
      assert.deepEqual(Object.fromEntries(stored.body.ethics.map((e) => [e.competence, e.rating])),
        Object.fromEntries(Object.entries(RATINGS).map(([c, l]) => [c, RATING_CODES[l]])));
      assert.deepEqual(stored.body.advice.map((a) => a.text), [TEXT.advice1, TEXT.advice2]);
    } finally {
      await mat.dispose();
    }

    // After a reload, the draft is there.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: new RegExp(`^Compte rendu de stage de ${student}`) }).waitFor();
    assert.equal(await page.getByLabel(/^Nombre de ½ journées d’absence/).inputValue(), TEXT.absences);
    assert.ok(await page.getByRole('radio', { name: /^Étape 3/ }).isChecked(), 'step 3 still chosen');
    assert.equal(await page.getByLabel(/^Commentaires sur l’acquisition de ces objectifs pour les étapes 1 et 2/).inputValue(), TEXT.comments12);
    assert.equal(await page.getByLabel(/^Conseil 2/).inputValue(), TEXT.advice2);
    assert.ok(await page.getByRole('group', { name: /^C7\. / }).getByRole('radio', { name: /^Non acquis/ }).isChecked(), 'C7 still « Non acquis »');

    // Sent, once confirmed; then frozen, with its date.
    await page.getByRole('button', { name: 'Envoyer le compte rendu' }).click();
    const dialog = page.getByRole('dialog', { name: 'Envoyer le compte rendu ?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Envoyer le compte rendu' }).click();
    await page.getByRole('status').filter({ hasText: 'Le compte rendu est envoyé' }).waitFor();
    const today = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date());
    assert.match(await page.locator('.app-sopa-state').innerText(), new RegExp(`Version 1 – Envoyé : envoyé le ${today}`));
    assert.equal(await page.getByRole('textbox').count(), 0, 'no field once sent');
    assert.equal(await page.getByRole('radio').count(), 0, 'no choice once sent');
    await page.getByRole('button', { name: 'Imprimer' }).waitFor();
    await page.getByRole('button', { name: 'Corriger le compte rendu' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the sent report');
    await noSideScroll(page, 'the sent report');
    await printsLikeThePaperForm(page);

    // The student reads it in « Mes stages SOPA ».
    const s = (await open('etudiant1', { academy: ACADEMY, viewport: PHONE })).page;
    await s.locator('#app-vue').getByRole('link', { name: 'Mes stages SOPA' }).click();
    await s.getByRole('heading', { level: 1, name: 'Mes stages SOPA' }).waitFor();
    await s.getByRole('heading', { level: 2, name: periodLabel }).waitFor();
    const space = await s.locator('#app-vue').innerText();
    assert.ok(!space.includes(otherReport.student.display_name), 'no other student in « Mes stages SOPA »');
    assert.deepEqual(await axeViolations(s), [], 'axe-core on « Mes stages SOPA »');
    await noSideScroll(s, 'Mes stages SOPA');
    await s.getByRole('link', { name: `Lire le compte rendu de stage de ${periodLabel}` }).click();
    await s.getByRole('heading', { level: 1, name: new RegExp(`^Compte rendu de stage de ${student}`) }).waitFor();
    const read = await s.locator('#app-vue').innerText();
    for (const text of [TEXT.comments12, TEXT.comments34, TEXT.advice1, TEXT.advice2]) assert.ok(read.includes(text), `the student reads « ${text} »`);
    assert.match(read, /Nombre de ½ journées d’absence : 2/);
    assert.match(read, /Nombre de séances animées : 4/);
    assert.match(read, /Nombre de séances conçues : 3/);
    assert.match(read, /Étape 3 – étape atteinte/);
    for (const [code, label] of Object.entries(RATINGS)) {
      const chosen = s.locator('.app-sopa-grid tr', { hasText: new RegExp(`^${code}\\. `) }).locator('td.app-sopa-chosen');
      assert.equal(await chosen.count(), 1, `one rating marked for ${code}`);
      assert.equal((await chosen.locator('.app-sopa-mark').innerText()).trim(), `☒ ${label}`, `${code}: ${label}`);
    }
    assert.equal(await s.getByRole('button', { name: 'Corriger le compte rendu' }).count(), 0, 'the student cannot correct it');
    assert.deepEqual(await axeViolations(s), [], 'axe-core on the report the student reads');
    await noSideScroll(s, 'the report the student reads');

    // Another student's report: the same page as a missing one.
    await s.goto(at(s, `#/sopa/comptes-rendus/${otherReport.report.id}`));
    await s.getByText('Ce compte rendu n’existe pas ou ne vous est pas ouvert').waitFor();
    assert.ok(!(await s.locator('#app-vue').innerText()).includes(otherReport.student.display_name), 'nothing of the other student');
  });
});

test('a refused value is said under its field and nothing is stored; a draft changed elsewhere offers to keep the typing', async () => {
  const p = await newPlacement(otherReport.student.id);
  const mat = await apiSession(ACADEMY, 'mat1');
  try {
    const made = await mat.call('POST', `/sopa/placements/${p.id}/report`, { data: {} });
    assert.equal(made.status, 201, made.text);
    const id = made.body.id;
    await withUsers(async ({ open }) => {
      const { page } = await open('mat1', { academy: ACADEMY, viewport: PHONE });
      await page.goto(at(page, `#/sopa/comptes-rendus/${id}`));
      await page.getByRole('button', { name: 'Enregistrer le brouillon' }).waitFor();
      const absences = page.getByLabel(/^Nombre de ½ journées d’absence/);
      const comments = page.getByLabel(/^Commentaires sur l’acquisition de ces objectifs pour les étapes 1 et 2/);
      await absences.fill('99');
      await comments.fill('Saisie sur la tablette de la classe.');
      await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();

      // 422 on absences_half_days: the message under the field, which has the focus.
      const message = page.locator('.fr-input-group--error .fr-message--error');
      await message.waitFor();
      assert.ok((await message.innerText()).trim().length > 0, 'the refusal says why');
      assert.equal(await absences.getAttribute('aria-invalid'), 'true');
      assert.ok(await absences.evaluate((el) => el === document.activeElement), 'the refused field has the focus');
      assert.deepEqual(await axeViolations(page), [], 'axe-core on the form with its error');
      let stored = (await mat.call('GET', `/sopa/reports/${id}`)).body;
      assert.equal(stored.absences_half_days, null, 'nothing written: absences');
      assert.equal(stored.comments_steps_12, null, 'nothing written: comments');

      // Meanwhile the draft is saved from another device.
      await absences.fill('1');
      const res = await mat.call('GET', `/sopa/reports/${id}`);
      const other = await mat.call('PUT', `/sopa/reports/${id}`, { data: { comments_steps_12: 'Saisie sur l’ordinateur de l’école.' }, headers: { 'If-Match': res.headers.etag } });
      assert.equal(other.status, 200, other.text);
      await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
      await page.getByRole('heading', { name: 'Modifié entre-temps' }).waitFor();
      assert.equal(await comments.inputValue(), 'Saisie sur la tablette de la classe.', 'the typing is kept');
      await page.getByRole('button', { name: 'Enregistrer mes saisies' }).click();
      await page.getByRole('status').filter({ hasText: 'Brouillon enregistré' }).waitFor();
      stored = (await mat.call('GET', `/sopa/reports/${id}`)).body;
      assert.equal(stored.comments_steps_12, 'Saisie sur la tablette de la classe.');
      assert.equal(stored.absences_half_days, 1);
    });
  } finally {
    await mat.dispose();
  }
});
