// An edit overtaken by someone else's save (412): the form keeps what the
// user typed and offers the shared choice of web/js/versioned.js, « Enregistrer
// mes saisies » or « Reprendre la version enregistrée ». The other person
// saves through the API while the form is open.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, login, apiSession, axeViolations } from './browser.mjs';
import { Cleanup } from '../lib/cleanup.mjs';
import { db, n } from '../lib/db.mjs';

const cleanup = new Cleanup();
const followups = [];
after(async () => {
  if (followups.length) await db(`DELETE FROM followup WHERE id IN (${followups.map(n).join(',')})`);
  await cleanup.run();
});

/** The app's address for a hash, from the page's current one. */
const at = (page, hash) => page.url().replace(/#.*$/, '') + hash;

test('a person saved by someone else meanwhile: the form keeps my input and lets me choose', async () => {
  const admin = await apiSession('lyon', 'admin');
  const username = `conflit${Date.now().toString(36)}`;
  const created = await admin.call('POST', '/people', { data: { username, display_name: 'Avant Conflit' } });
  assert.equal(created.status, 201, created.text);
  const id = created.body.id;
  cleanup.person(id);
  const theirs = async (displayName) => {
    const cur = await admin.call('GET', `/people/${id}`);
    const res = await admin.call('PATCH', `/people/${id}`, { data: { display_name: displayName }, headers: { 'If-Match': cur.headers.etag } });
    assert.equal(res.status, 200, res.text);
  };
  try {
    await withBrowser(async ({ page }) => {
      await login(page, { username: 'admin' });
      await page.waitForURL('**/app.html**');
      await page.goto(at(page, `#/annuaire/personnes/${id}/modifier`));
      const field = page.getByLabel('Nom affiché');
      await field.waitFor();
      assert.equal(await field.inputValue(), 'Avant Conflit');

      // Someone else saves; my save is refused (412) and I take their version.
      await theirs('Leur Version');
      await field.fill('Ma Version');
      await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      const alert = page.getByRole('alert');
      await alert.getByRole('heading', { name: 'Fiche modifiée entre-temps' }).waitFor();
      assert.equal(await field.inputValue(), 'Ma Version', 'my input is kept');
      assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing on the form with the choice');
      await alert.getByRole('button', { name: 'Reprendre la version enregistrée' }).click();
      assert.equal(await field.inputValue(), 'Leur Version', 'the stored version is in the form');

      // Again, and this time I keep mine: it is saved over theirs.
      await theirs('Encore Leur Version');
      await field.fill('Ma Version');
      await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await alert.getByRole('button', { name: 'Enregistrer mes saisies' }).click();
      await page.getByRole('heading', { level: 1, name: 'Ma Version' }).waitFor();
    });
    const stored = await admin.call('GET', `/people/${id}`);
    assert.equal(stored.body.display_name, 'Ma Version');
  } finally {
    await admin.dispose();
  }
});

test('a follow-up re-planned by the other tutor meanwhile: I take their version, then save mine', async () => {
  const inspe = await apiSession('lyon', 'tuteur.inspe1');
  const terrain = await apiSession('lyon', 'tuteur.terrain1');
  try {
    const list = await inspe.call('GET', '/enrolments?limit=200');
    assert.equal(list.status, 200, list.text);
    const enrolment = list.body.items.find((e) => e.relation === 'tuteur_inspe' && e.trainee?.username === 'stagiaire1')
      || list.body.items.find((e) => e.relation === 'tuteur_inspe');
    assert.ok(enrolment, 'tuteur.inspe1 follows a trainee');
    const day = String(1 + Math.floor(Math.random() * 28)).padStart(2, '0');
    const created = await inspe.call('POST', `/enrolments/${enrolment.id}/followups`, {
      data: { kind: 'interview', scheduled_at: `2027-04-${day}T10:00`, with_inspe: true, with_terrain: false },
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id;
    followups.push(id);

    await withBrowser(async ({ page }) => {
      await login(page, { username: 'tuteur.inspe1' });
      await page.waitForURL('**/app.html**');
      await page.goto(at(page, `#/temps-de-suivi/${id}/modifier`));
      const time = page.getByLabel('Heure');
      await time.waitFor();
      assert.equal(await time.inputValue(), '10:00');

      // The other tutor moves it to 15:45; I move it to 11:30 and save: 412.
      const cur = await terrain.call('GET', `/followups/${id}`);
      const moved = await terrain.call('PATCH', `/followups/${id}`, {
        data: { scheduled_at: `2027-04-${day}T15:45` }, headers: { 'If-Match': cur.headers.etag },
      });
      assert.equal(moved.status, 200, moved.text);
      await time.fill('11:30');
      await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      const alert = page.getByRole('alert');
      await alert.getByRole('heading', { name: 'Modifié entre-temps' }).waitFor();
      assert.equal(await time.inputValue(), '11:30', 'my input is kept');
      await alert.getByRole('button', { name: 'Reprendre la version enregistrée' }).click();
      assert.equal(await time.inputValue(), '15:45', 'the stored version is in the form');

      // Now on the stored version, my change goes through.
      await time.fill('11:30');
      await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await page.waitForURL(`**#/temps-de-suivi/${id}`);
    });
    const stored = await inspe.call('GET', `/followups/${id}`);
    assert.match(stored.body.scheduled_at, new RegExp(`^2027-04-${day}T11:30`));
  } finally {
    await inspe.dispose();
    await terrain.dispose();
  }
});
