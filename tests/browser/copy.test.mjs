// « Copie de mes données » (docs/copy.md): stagiaire1 (Lyon demo) opens
// the screen, reads what the copy holds, asks for it, waits while the page
// follows its preparation (tutoratctl copies, in the background), downloads
// the ZIP through the one-time link, opens resume.html from it in the
// browser and sees their name and their dossier. axe-core finds nothing on
// the screen, nor on the summary.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { withUsers, axeViolations } from './browser.mjs';
import { db, n } from '../lib/index.mjs';
import { unzip } from '../lib/unzip.mjs';

async function noViolation(page, where) {
  await page.locator('#app-vue h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('#app-vue .app-loading, #app-vue [aria-busy="true"]'));
  assert.deepEqual(await axeViolations(page), [], `axe-core on ${where}`);
}

test('stagiaire1 asks for a copy of their data, downloads it once, and reads its summary', async () => {
  // A copy left ready by another test would be offered at once: expired
  // here, so that the screen starts from the request.
  await db(`UPDATE personal_copy c JOIN person p ON p.academy_id = c.academy_id AND p.id = c.person_id
    JOIN academy a ON a.id = p.academy_id SET c.status = 'expired', c.content = NULL, c.token_hash = NULL
    WHERE a.code = 'lyon' AND p.username = 'stagiaire1' AND c.status = 'ready'`);
  const dir = await mkdtemp(join(tmpdir(), 'copie-'));
  try {
    await withUsers(async ({ open }) => {
      const { page } = await open('stagiaire1');
      const app = page.url().split('#')[0];
      await page.goto(`${app}#/mes-donnees/copie`);
      await page.getByRole('heading', { level: 1, name: 'Copie de mes données' }).waitFor();
      await page.getByText('votre dossier de tutorat', { exact: false }).waitFor();
      // A request of another test may still be prepared: the page waits for it.
      const ask = page.getByRole('button', { name: 'Demander une copie de mes données' });
      await ask.waitFor({ timeout: 30000 });
      await noViolation(page, 'the copy screen');

      await ask.click();
      await page.getByText('Votre demande est enregistrée : la copie est en préparation.').waitFor();
      // The page reads the state again by itself until the runner is done.
      const link = page.getByRole('link', { name: /Télécharger ma copie/ });
      await link.waitFor({ timeout: 30000 });
      await page.getByRole('table', { name: 'Mes demandes de copie' }).getByText('Prête à télécharger').waitFor();
      await noViolation(page, 'the copy screen, the copy ready');

      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.equal(download.suggestedFilename(), 'copie-de-mes-donnees.zip');
      const zipPath = join(dir, 'copie.zip');
      await download.saveAs(zipPath);
      const files = unzip(await readFile(zipPath));
      assert.ok(files['donnees.json'], 'donnees.json in the archive');
      const summary = join(dir, 'resume.html');
      await writeFile(summary, files['resume.html']);

      // Used once: the screen offers a new request, the row says downloaded.
      await page.getByRole('table', { name: 'Mes demandes de copie' }).getByText('Téléchargée').first().waitFor({ timeout: 15000 });
      await page.getByRole('button', { name: 'Demander une copie de mes données' }).waitFor();
      const [[status]] = await db(`SELECT c.status FROM personal_copy c JOIN person p ON p.academy_id = c.academy_id AND p.id = c.person_id
        WHERE p.id = ${n(200001)} ORDER BY c.requested_at DESC LIMIT 1`);
      assert.equal(status, 'downloaded');

      // The summary, opened from the file the person saved.
      await page.goto(pathToFileURL(summary).href);
      await page.getByRole('heading', { level: 1, name: 'Copie de mes données : Camille Martin' }).waitFor();
      const enrolments = page.getByRole('table', { name: 'Inscriptions' });
      await enrolments.getByText('M2A').waitFor();
      await page.getByRole('heading', { level: 2, name: 'Mon dossier de tutorat' }).waitFor();
      await page.getByRole('table', { name: 'Bilans intermédiaires et finaux' }).getByText('intermediaire').first().waitFor();
      assert.deepEqual(await axeViolations(page), [], 'axe-core on resume.html');
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
