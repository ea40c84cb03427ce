// People from the académie's directory, in the browser (issue 8, part 1):
// the bureau des stages of Poitiers enrols a trainee who is in LDAP but
// has never signed in; the admin gives a role with the scope « Toute
// l'académie ».

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { withBrowser, login, apiSession } from './browser.mjs';
import { Cleanup } from '../lib/cleanup.mjs';
import { db, n } from '../lib/db.mjs';
import { STATE_DIR, LDAP_URI } from '../lib/env.mjs';

const cleanup = new Cleanup();
const BASE = 'dc=ac-poitiers,dc=fr';
const ADMIN_DN = `cn=admin,${BASE}`;
const ADMIN_SECRET = join(STATE_DIR, 'secrets', 'ldap_admin');
const TRAINEES = `cn=stagiaires,ou=groups,${BASE}`;

function ldapAsAdmin(cmd, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, ['-x', '-H', LDAP_URI, '-D', ADMIN_DN, '-y', ADMIN_SECRET],
      (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${stderr || err.message}`)) : resolve(stdout)));
    child.stdin.end(input);
  });
}

const undo = [];
after(async () => {
  for (const step of undo.reverse()) await step().catch((err) => process.stderr.write(`cleanup: ${err.message}\n`));
  await cleanup.run();
});

test('the bureau des stages of Poitiers finds a trainee in the directory who never signed in, and enrols them', async (t) => {
  if (!existsSync(ADMIN_SECRET)) {
    t.skip(`no ${ADMIN_SECRET}: not a stack of ./deploy/dev`);
    return;
  }
  // A trainee of the directory, never seen by the service.
  const uid = `stagiaire.${Date.now().toString(36)}${randomInt(0, 36 ** 3).toString(36)}`;
  const dn = `uid=${uid},ou=people,${BASE}`;
  await ldapAsAdmin('ldapadd', [
    `dn: ${dn}`, 'objectClass: inetOrgPerson', `uid: ${uid}`, 'cn: Inès Garnier', 'sn: Garnier',
    'givenName: Inès', 'displayName: Inès Garnier', `mail: ${uid}@ac-poitiers.fr`, '', '',
  ].join('\n'));
  undo.push(() => ldapAsAdmin('ldapdelete', `${dn}\n`));
  await ldapAsAdmin('ldapmodify', `dn: ${TRAINEES}\nchangetype: modify\nadd: member\nmember: ${dn}\n\n`);
  undo.push(() => ldapAsAdmin('ldapmodify', `dn: ${TRAINEES}\nchangetype: modify\ndelete: member\nmember: ${dn}\n\n`));
  const known = await db(`SELECT id FROM person WHERE username = '${uid}'`);
  assert.equal(known.length, 0, 'not a person of the service');

  await withBrowser(async ({ page }) => {
    await login(page, { academy: 'poitiers', username: 'bureau1' });
    await page.waitForURL('**/app.html**');
    await page.goto('/app.html#/inscriptions/nouvelle');
    await page.getByRole('heading', { level: 1, name: 'Inscrire un stagiaire' }).waitFor();

    // The service's people: no one.
    const filter = page.getByLabel('Filtrer par nom ou identifiant').first();
    await filter.fill(uid);
    await filter.press('Enter');
    await page.getByText('Aucun résultat : modifiez le filtre.').first().waitFor();

    // The directory: the trainee, chosen with one button.
    await page.getByRole('button', { name: 'Rechercher dans l’annuaire de l’académie' }).first().click();
    await page.getByText(`1 personne de l’annuaire correspond à « ${uid} ».`).waitFor();
    await page.getByRole('button', { name: `Choisir Inès Garnier (${uid}, ${uid}@ac-poitiers.fr)` }).click();
    await page.getByText('Inès Garnier : ajouté depuis l’annuaire et sélectionné dans la liste.').waitFor();
    const trainee = page.getByLabel('Stagiaire (obligatoire)', { exact: true });
    assert.match(await trainee.evaluate((s) => s.selectedOptions[0]?.textContent || ''), /Inès Garnier/);

    const rows = await db(`SELECT id, directory_id IS NOT NULL FROM person WHERE username = '${uid}'`);
    assert.equal(rows.length, 1, 'the person was created');
    const [[personId, bound]] = rows;
    cleanup.person(personId);
    assert.equal(Number(bound), 1, 'bound to the directory entry');

    await page.getByLabel('Parcours (obligatoire)').selectOption('M2A');
    await page.getByLabel('Degré (obligatoire)').selectOption('1');
    const school = page.getByLabel('Filtrer par nom, commune ou code UAI');
    await school.fill('Jean Zay');
    await school.press('Enter');
    const schools = page.getByLabel('École ou établissement (lieu 1)', { exact: false }).and(page.locator('select'));
    await schools.locator('option[value="100112"]').waitFor({ state: 'attached' });
    await schools.selectOption('100112');
    await page.getByRole('button', { name: 'Inscrire le stagiaire' }).click();

    // The enrolment's page, or the form's refusal: say which.
    const refusal = page.locator('.fr-alert--error, .fr-error-text').first();
    await Promise.race([page.waitForURL(/#\/inscriptions\/\d+$/, { timeout: 60000 }),
      refusal.waitFor({ timeout: 60000 })]);
    assert.match(page.url(), /#\/inscriptions\/\d+$/,
      `the enrolment was not created: ${await refusal.textContent().catch(() => '')}`);
    const enrolmentId = /#\/inscriptions\/(\d+)$/.exec(page.url())[1];
    cleanup.enrolment(enrolmentId);
    await page.getByText('Inès Garnier est inscrit.').waitFor();
    const stored = await db(`SELECT trainee_id, parcours, degre FROM enrolment WHERE id = ${n(enrolmentId)}`);
    assert.deepEqual(stored, [[personId, 'M2A', '1']]);
  });
});

test('the admin gives a role with the scope « Toute l’académie »', async () => {
  const admin = await apiSession('poitiers', 'admin');
  const uid = `t-scope-${Date.now().toString(36)}${randomInt(0, 36 ** 3).toString(36)}`;
  const created = await admin.call('POST', '/people', { data: { username: uid, display_name: 'Lucie Perrin' } });
  assert.equal(created.status, 201, created.text);
  const id = cleanup.person(created.body.id);
  await admin.dispose();

  await withBrowser(async ({ page }) => {
    await login(page, { academy: 'poitiers', username: 'admin' });
    await page.waitForURL('**/app.html**');
    await page.goto(`/app.html#/annuaire/personnes/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Lucie Perrin' }).waitFor();
    await page.getByLabel('Rôle (obligatoire)', { exact: true }).selectOption('bureau_stages');
    assert.equal(await page.getByLabel('Type de périmètre (obligatoire)').inputValue(), 'academy');
    await page.getByRole('button', { name: 'Ajouter le rôle' }).click();
    await page.getByText('Le rôle « Bureau des stages » (Toute l’académie) a été ajouté.').waitFor();
    const roles = page.getByRole('table', { name: 'Rôles de Lucie Perrin' });
    await roles.getByRole('row').filter({ hasText: 'Bureau des stages' }).waitFor();
  });
  const stored = await db(`SELECT role, scope_kind, scope_id FROM role_assignment WHERE person_id = ${n(id)}`);
  assert.deepEqual(stored, [['bureau_stages', 'academy', null]]);
});
