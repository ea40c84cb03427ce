// The parcours d'individualisation in the browser (issue 10, docs/contracts.md):
// the pilot opens an annex 2 for stagiaire1 (Lyon, 1er degré), and each party
// signs it from their own session through the « Signer » dialog, which asks
// for their password (a wrong one is said under the field, nothing signed);
// after the last signature the page says « En vigueur ». Chromium's print to
// PDF of an annex 2 and an annex 3 (Grenoble, 2nd degré) holds every field
// of the paper form on one or two A4 pages. axe finds nothing on each screen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { withUsers, apiSession, axeViolations } from './browser.mjs';
import { settled } from './a11y-sweep.mjs';

const LYON_ENROLMENT = 200101;
const GRENOBLE_ENROLMENT = 200301;

const domains = (tag) => [
  { key: 'ethics', situation: `Retards en classe (${tag})`, needs: 'Ponctualité et assiduité', support: 'Entretien avec l’inspecteur' },
  { key: 'classroom', situation: 'Élèves dispersés en fin de séance', needs: 'Consignes écrites et reformulées', support: 'Visites supplémentaires du tuteur' },
  { key: 'safety', situation: 'Surveillance de la cour à renforcer', needs: 'Repères de sécurité', support: 'Observation d’une classe de cycle 2' },
  { key: 'teaching', situation: 'Séances peu structurées', needs: 'Préparer des séquences complètes', support: 'Module de formation supplémentaire' },
  { key: 'development', situation: 'Peu de recul sur sa pratique', needs: 'Analyse réflexive', support: 'Pratique accompagnée en école d’application' },
];

/** Opens a parcours with the API as its pilot; its id. */
async function openContract(academy, pilot, enrolmentId, tag) {
  const s = await apiSession(academy, pilot);
  try {
    const res = await s.call('POST', '/individualisations', { data: { enrolment_id: enrolmentId, started_on: '2027-01-11', domains: domains(tag) } });
    assert.equal(res.status, 201, res.text);
    return res.body;
  } finally {
    await s.dispose();
  }
}

async function noAxe(page, where) {
  assert.deepEqual(await axeViolations(page), [], `axe on ${where}`);
}

test('each party signs the annex 2 from their own session; a wrong password signs nothing; « En vigueur » after the last', async () => {
  const contract = await openContract('lyon', 'ien1', LYON_ENROLMENT, 'navigateur');
  const id = contract.id;
  const parties = ['ien1', 'tuteur.terrain1', 'tuteur.inspe1', 'stagiaire1'];
  await withUsers(async ({ open }) => {
    for (const [i, username] of parties.entries()) {
      const { page } = await open(username);
      await page.goto(`/app.html#/individualisation/${id}`);
      await settled(page);
      await page.getByRole('heading', { level: 1, name: /Parcours d’individualisation des professeur·e·s des écoles stagiaires \(annexe 2\)/ }).waitFor();
      assert.equal(await page.getByText('En attente de signatures').first().isVisible(), true);
      await noAxe(page, `the annex as ${username}`);
      if (username === 'stagiaire1') {
        // A wrong password first: said under the field, nothing signed.
        await page.getByRole('button', { name: 'Signer', exact: true }).click();
        const dialog = page.getByRole('dialog', { name: 'Signer le parcours d’individualisation' });
        await dialog.waitFor();
        await noAxe(page, 'the « Signer » dialog');
        await dialog.getByLabel('Votre mot de passe').fill('pas-le-bon');
        await dialog.getByRole('button', { name: 'Signer le document' }).click();
        await dialog.getByText('Mot de passe incorrect : la signature n’est pas enregistrée.').waitFor();
        await dialog.getByRole('button', { name: 'Annuler' }).click();
      }
      await page.getByRole('button', { name: 'Signer', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Signer le parcours d’individualisation' });
      await dialog.getByLabel('Votre mot de passe').fill('demo');
      await dialog.getByRole('button', { name: 'Signer le document' }).click();
      await page.getByText('Votre signature est enregistrée.').waitFor();
      const signatures = page.getByRole('table', { name: 'Signatures de la version 1' });
      const signedRows = await signatures.getByRole('row').filter({ hasText: 'Signé le' }).count();
      assert.equal(signedRows, i + 1, `${i + 1} signature(s) after ${username}`);
      assert.equal(await page.getByRole('button', { name: 'Signer', exact: true }).count(), 0, 'no second « Signer »');
      if (i === parties.length - 1) {
        await page.getByText('En vigueur', { exact: true }).first().waitFor();
        await noAxe(page, 'the annex in force');
      }
      await page.context().close();
    }
    // The pilot's screens: the list and the edit form (a new version now).
    const { page } = await open('ien1');
    await page.goto('/app.html#/individualisation');
    await settled(page);
    await page.getByRole('link', { name: /Camille Martin/ }).first().waitFor();
    await noAxe(page, 'the list');
    await page.goto(`/app.html#/individualisation/${id}/modifier`);
    await settled(page);
    await page.getByText('Cette version est déjà signée').waitFor();
    await noAxe(page, 'the edit form');
  });
});

/**
 * Whether the printed text holds `s`: its words in order, each within a
 * few words of the previous one (a table prints its cells side by side, so
 * a wrapped cell's lines come between its neighbours'), hyphens aside
 * (pdftotext joins « Bourg- » and « en-Bresse » at a line's end).
 */
function holds(text, s) {
  const words = (t) => t.replace(/-/g, '').split(/\s+/).filter(Boolean);
  const all = words(text);
  const want = words(s);
  for (let start = 0; start < all.length; start++) {
    if (all[start] !== want[0]) continue;
    let at = start;
    let ok = true;
    for (const w of want.slice(1)) {
      const next = all.indexOf(w, at + 1);
      if (next < 0 || next - at > 12) { ok = false; break; }
      at = next;
    }
    if (ok) return true;
  }
  return false;
}

/** Chromium's print to PDF of the annex page, and what pdftotext reads in it. */
async function printed(page) {
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  const text = execFileSync('pdftotext', ['-', '-'], { input: pdf, stdio: ['pipe', 'pipe', 'ignore'] }).toString('utf8');
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', ['-'], { input: pdf, stdio: ['pipe', 'pipe', 'ignore'] }).toString('utf8'))[1]);
  return { text: text.replace(/\s+/g, ' '), pages };
}

test('Chromium prints the annex 2 and the annex 3 with every field of the paper form, on one or two A4 pages', async () => {
  const a2 = await openContract('lyon', 'ien1', LYON_ENROLMENT, 'impression 2');
  const a3 = await openContract('grenoble', 'pilote.pole1', GRENOBLE_ENROLMENT, 'impression 3');
  await withUsers(async ({ open }) => {
    for (const [academy, user, c, labels] of [
      ['lyon', 'bureau1', a2, ['Département', 'Nom – prénom de l’IEN de circonscription', 'Nom – prénom, professeur·e stagiaire', 'Parcours (M2A ou DU)', 'Tuteur ou tutrice DSDEN', 'Tuteur ou tutrice universitaire', 'Circonscription d’exercice', 'École d’exercice', 'Pôle de formation',
        'IEN de circonscription', 'Professeur·e des écoles stagiaire']],
      ['grenoble', 'bureau1', a3, ['Nom – prénom de l’IA-IPR ou l’IEN', 'Nom – prénom, professeur·e ou CPE stagiaire', 'Discipline', 'Parcours (M2A ou DU)', 'Tuteur ou tutrice employeur', 'Tuteur ou tutrice Inspé', 'Établissement d’exercice',
        'IA-IPR ou IEN', 'Chef·fe d’établissement', 'Tuteur ou tutrice académique', 'Responsable de parcours', 'Professeur·e ou CPE stagiaire']],
    ]) {
      const { page } = await open(user, { academy });
      await page.goto(`/app.html#/individualisation/${c.id}`);
      await settled(page);
      await noAxe(page, `the annex ${c.annex}`);
      const { text, pages } = await printed(page);
      assert.ok(pages >= 1 && pages <= 2, `annex ${c.annex} prints on ${pages} A4 page(s)`);
      const v = c.versions[0];
      const expected = [
        ...labels, 'Date', 'Difficultés concernant', 'Description de la situation', 'Besoins identifiés',
        'Dispositif de médiation, remédiation, accompagnement proposé', 'Mise en œuvre du parcours débutée le', '11/01/2027',
        'L’éthique du fonctionnaire', 'La gestion de classe', 'La sécurité physique des élèves',
        'La construction, mise en œuvre et animation de situations pédagogiques',
        'L’engagement dans une démarche de développement professionnel',
        ...Object.values(v.content.header).filter((x) => x && !/^\d{4}-/.test(x)),
        ...v.content.domains.flatMap((d) => [d.situation, d.needs, d.support]),
        ...v.content.parties.map((p) => p.name),
        v.content_sha256,
      ];
      const missing = expected.filter((s) => !holds(text, s));
      assert.deepEqual(missing, [], `annex ${c.annex}: every field is on the printed page`);
      assert.ok(!text.includes('Historique des versions'), 'the history is not printed');
      await page.context().close();
    }
  });
});
