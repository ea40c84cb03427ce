// The réseau de tuteurs' screens (docs/reseau.md), one story on its own
// call (made through the API, so that earlier runs do not matter): a tutor
// (tuteur.terrain1) volunteers through the form; the académie (bureau1,
// Lyon) composes a collective from the volunteers — the mix figures shown
// as the choice changes — and validates it; the pilot (tuteur.inspe1)
// accepts the charter, fixes a meeting and runs it on a tablet held
// upright (768 × 1024): attendance, canvas, fiche synthèse, published;
// the other tutor, outside the collective, finds it in the library by a
// word of it, without the members' names. axe-core finds nothing on each
// screen.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { withUsers, axeViolations } from './browser.mjs';
import { Cleanup } from '../lib/cleanup.mjs';
import { get, post, show, uniq } from '../lib/http.mjs';
import { as } from '../lib/auth.mjs';
import { db, dbValue, n } from '../lib/db.mjs';
import { freshPerson, sessionAs } from '../lib/tutorat.mjs';

const TABLET = { width: 768, height: 1024 };
const cleanup = new Cleanup();
let bureau;
let call;
let year;
let communes;
const fresh = {};
let collectiveId;
let meetingId;
const word = `hétérogénéité${Date.now().toString(36)}`;

/** The app's address for a hash, from the page's current one. */
const at = (page, hash) => page.url().replace(/#.*$/, '') + hash;

/**
 * Ticks a DSFR checkbox or radio: its label draws the box over the input
 * and takes the click (as a person's click does), so the click is sent
 * through; check() still fails unless the input ends up checked.
 */
const tick = (locator) => locator.check({ force: true });

/** axe-core on the page as it is: no WCAG 2.1 A/AA violation. */
async function noViolation(page, where) {
  await page.waitForFunction(() => !document.querySelector('#app-vue .app-loading, #app-vue [aria-busy="true"]'));
  // The confirmation dialog closed, its fading out over (axe-core would read its half-drawn colours).
  await page.locator('#confirmation').waitFor({ state: 'hidden' });
  assert.deepEqual(await axeViolations(page), [], `axe-core on ${where}`);
}

async function volunteer(token, body) {
  const res = await post(`/api/v1/reseau/calls/${call.id}/volunteers`, body, { token });
  assert.equal(res.status, 201, `volunteering: ${show(res)}`);
  return res.body;
}

before(async () => {
  bureau = await as('lyon', 'bureau1');
  const admin = await as('lyon', 'admin');
  year = (await get('/api/v1/years', { token: bureau.token })).body.items.find((y) => y.current);
  const deps = await get('/api/v1/structures?kind=departement&q=Ain&limit=5', { token: bureau.token });
  const ain = deps.body.items.find((d) => /Ain/.test(d.name));
  assert.ok(ain, `the Ain: ${show(deps)}`);
  const today = new Date().toISOString().slice(0, 10);
  const closes = new Date(Date.now() + 30 * 864e5).toISOString().slice(0, 10);
  const c = await post('/api/v1/reseau/calls', { year_id: year.id, departement_id: ain.id, title: `Appel ${uniq('reseau-web')}`, opens_on: today, closes_on: closes }, { token: bureau.token });
  assert.equal(c.status, 201, show(c));
  call = c.body;
  const cs = await get(`/api/v1/reseau/communes?departement_id=${ain.id}&limit=50`, { token: bureau.token });
  assert.equal(cs.status, 200, show(cs));
  communes = cs.body.items;
  assert.ok(communes.length >= 3, `communes of the Ain: ${show(cs)}`);
  // Three fresh tutors volunteer (no LDAP account: a session of their own).
  for (const [key, role, degree, seniority, i] of [
    ['neo1d', 'tuteur_terrain', '1d', 'neo', 0], ['neo2d', 'tuteur_terrain', '2d', 'neo', 1], ['exp1d', 'tuteur_terrain', '1d', 'experienced', 2],
  ]) {
    const p = await freshPerson(admin, cleanup, [role], `t-rw-${key}`);
    const s = await sessionAs('lyon', p.id);
    fresh[key] = { ...p, volunteer: await volunteer(s.token, { degree, seniority, commune_id: communes[i].id, wants_pilot: false, qualifications: [] }) };
  }
  // The future pilot: experienced, qualified, 2nd degré.
  const inspe = await as('lyon', 'tuteur.inspe1');
  fresh.pilot = { display_name: inspe.me.display_name, volunteer: await volunteer(inspe.token, { degree: '2d', seniority: 'experienced', commune_id: communes[1].id, wants_pilot: true, qualifications: [{ code: 'CAFFA' }] }) };
});

after(async () => {
  if (call) {
    // The module's rows of this call, children first (sql/ of the module).
    const col = `SELECT id FROM reseau_collective WHERE call_id = ${n(call.id)}`;
    const mtg = `SELECT id FROM reseau_meeting WHERE collective_id IN (${col})`;
    const poll = `SELECT id FROM reseau_poll WHERE collective_id IN (${col})`;
    for (const sql of [
      // The notices of the collective and its meetings (to the demo pilot too).
      `DELETE FROM notification WHERE module = 'reseau' AND ((object_kind = 'collective' AND object_id IN (${col})) OR (object_kind IN ('meeting', 'synthesis') AND object_id IN (${mtg})))`,
      `DELETE FROM reseau_synthesis WHERE meeting_id IN (${mtg})`,
      `DELETE FROM reseau_canvas WHERE meeting_id IN (${mtg})`,
      `DELETE FROM reseau_attendance WHERE meeting_id IN (${mtg})`,
      `DELETE FROM reseau_poll_answer WHERE option_id IN (SELECT id FROM reseau_poll_option WHERE poll_id IN (${poll}))`,
      `DELETE FROM reseau_poll_option WHERE poll_id IN (${poll})`,
      `DELETE FROM reseau_poll WHERE collective_id IN (${col})`,
      `DELETE FROM reseau_meeting WHERE collective_id IN (${col})`,
      `DELETE FROM reseau_member WHERE collective_id IN (${col})`,
      `DELETE FROM reseau_collective WHERE call_id = ${n(call.id)}`,
      `DELETE FROM reseau_volunteer WHERE call_id = ${n(call.id)}`,
      `DELETE FROM reseau_call WHERE id = ${n(call.id)}`,
    ]) await db(sql).catch(() => {});
  }
  await cleanup.run();
});

test('a tutor volunteers to the call of their département', async () => {
  await withUsers(async ({ open }) => {
    const { page } = await open('tuteur.terrain1');
    await page.goto(at(page, '#/reseau'));
    await page.getByRole('heading', { level: 1, name: 'Réseau de tuteurs' }).waitFor();
    await page.getByRole('heading', { name: call.title }).waitFor();
    await noViolation(page, 'the réseau, for a tutor');
    await page.getByRole('link', { name: `Me porter volontaire : ${call.title}` }).click();
    await page.getByRole('heading', { level: 1, name: 'Me porter volontaire' }).waitFor();
    await noViolation(page, 'the volunteer form');
    // Sent empty: the required choices are said, nothing is written.
    await page.getByRole('button', { name: 'Envoyer ma candidature' }).click();
    await page.getByText('Ce champ est obligatoire.').first().waitFor();
    await tick(page.getByRole('radio', { name: '1er degré' }));
    await tick(page.getByRole('radio', { name: 'Néo-tuteur' }));
    await page.getByLabel('Rechercher une commune par son nom').fill(communes[2].name);
    await page.getByRole('combobox', { name: /^Commune de votre école/ }).locator(`option[value="${communes[2].id}"]`).waitFor({ state: 'attached' });
    await page.getByRole('combobox', { name: /^Commune de votre école/ }).selectOption(String(communes[2].id));
    await tick(page.getByRole('checkbox', { name: 'CAFIPEMF' }));
    await page.getByRole('button', { name: 'Envoyer ma candidature' }).click();
    await page.getByRole('heading', { level: 1, name: 'Réseau de tuteurs' }).waitFor();
    await page.getByText(`Votre candidature à l’appel « ${call.title} » est enregistrée`).waitFor();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: call.title }) });
    assert.match(await card.textContent(), /Vous êtes volontaire/);
    await noViolation(page, 'the réseau after volunteering');
  });
  const terrain = await as('lyon', 'tuteur.terrain1');
  const mine = await get('/api/v1/reseau/my-volunteering', { token: terrain.token });
  const v = mine.body.items.find((x) => String(x.call_id ?? x.call?.id) === String(call.id));
  assert.ok(v, show(mine));
  assert.equal(v.degree, '1d');
  assert.equal(v.seniority, 'neo');
  assert.deepEqual((v.qualifications || []).map((q) => q.code || q), ['CAFIPEMF']);
});

test('the académie composes a collective with its mix figures and validates it', async () => {
  await withUsers(async ({ open }) => {
    const { page } = await open('bureau1');
    await page.goto(at(page, `#/reseau/appels/${call.id}`));
    await page.getByRole('heading', { level: 1, name: call.title }).waitFor();
    await page.getByRole('table', { name: 'Volontaires de l’appel' }).waitFor();
    await noViolation(page, 'the call, for the académie');
    // Filtered on the néo-tutors of the 1er degré: the two néo 1d (fresh and tuteur.terrain1).
    await page.getByRole('combobox', { name: 'Degré' }).selectOption('1d');
    await page.getByRole('combobox', { name: 'Ancienneté' }).selectOption('neo');
    const rows = page.getByRole('table', { name: 'Volontaires de l’appel' }).locator('tbody tr');
    assert.equal(await rows.count(), 2, await page.getByRole('table', { name: 'Volontaires de l’appel' }).innerText());
    await tick(page.getByRole('checkbox', { name: `${fresh.neo1d.display_name}, membre du collectif` }));
    await page.getByRole('combobox', { name: 'Degré' }).selectOption('');
    await page.getByRole('combobox', { name: 'Ancienneté' }).selectOption('');
    await tick(page.getByRole('checkbox', { name: `${fresh.neo2d.display_name}, membre du collectif` }));
    await tick(page.getByRole('radio', { name: `${fresh.pilot.display_name}, pilote du collectif` }));
    const mix = page.locator('.app-mix');
    await mix.getByText(/Score \d+ \/ 100/).waitFor();
    const text = await mix.textContent();
    assert.match(text, /1er degré : 1/);
    assert.match(text, /2nd degré : 2/);
    assert.match(text, /Néo-tuteurs : 2/);
    assert.match(text, /Expérimentés : 1/);
    assert.match(text, /Plus grande distance : \d+ km/);
    assert.match(text, /Pilote qualifié formateur/);
    await noViolation(page, 'the composition with its mix');
    // A suggestion, when the server makes one, applies in one click.
    const suggestion = page.getByRole('button', { name: /^Remplacer .* : score \d+ → \d+$/ }).first();
    if (await suggestion.count()) {
      const label = await suggestion.innerText();
      const [, after] = /→ (\d+)$/.exec(label.trim());
      await suggestion.click();
      await mix.getByText(`Score ${after} / 100`).waitFor();
    }
    await page.getByLabel('Nom du collectif').fill(`Collectif ${word}`);
    await page.getByRole('button', { name: 'Enregistrer le collectif' }).click();
    await page.getByText(`Le collectif « Collectif ${word} » est enregistré en brouillon`).waitFor();
    const row = page.getByRole('row', { name: new RegExp(`Collectif ${word}`) });
    assert.match(await row.textContent(), /Brouillon/);
    await row.getByRole('button', { name: /Valider le collectif/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Valider le collectif' }).click();
    await page.getByText(`Le collectif « Collectif ${word} » est validé`).waitFor();
    assert.match(await page.getByRole('row', { name: new RegExp(`Collectif ${word}`) }).textContent(), /Validé/);
    await noViolation(page, 'the call with its validated collective');
  });
  collectiveId = await dbValue(`SELECT id FROM reseau_collective WHERE call_id = ${n(call.id)}`);
  assert.ok(collectiveId, 'the collective is stored');
});

test('the pilot accepts the charter, runs a meeting on a tablet and publishes its fiche synthèse', async () => {
  const a = Number(year.label.slice(0, 4));
  await withUsers(async ({ open }) => {
    const { page } = await open('tuteur.inspe1', { viewport: TABLET });
    await page.goto(at(page, `#/reseau/collectifs/${collectiveId}`));
    await page.getByRole('heading', { level: 1, name: `Collectif ${word}` }).waitFor();
    for (const rule of ['La confidentialité', 'La bienveillance engagée', 'Le respect de la parole', 'La régularité']) {
      await page.getByRole('listitem').filter({ hasText: rule }).first().waitFor();
    }
    assert.equal(await page.getByRole('heading', { name: 'Présentiels' }).count(), 0, 'no meeting before the charter');
    await noViolation(page, 'the collective before the charter');
    await page.getByRole('button', { name: 'J’accepte la charte' }).click();
    await page.getByText('Vous avez accepté la charte').waitFor();
    await page.getByRole('heading', { name: 'Présentiels' }).waitFor();
    await noViolation(page, 'the collective, for its pilot');
    // A meeting without a place is refused, said under the field.
    const fix = page.getByRole('region', { name: 'Fixer un présentiel' });
    await fix.getByLabel(/^Début/).fill(`${a}-11-18T17:00`);
    await fix.getByLabel(/^Fin/).fill(`${a}-11-18T19:00`);
    await fix.getByRole('button', { name: 'Fixer le présentiel' }).click();
    await fix.getByText('Ce champ est obligatoire.').waitFor();
    await fix.getByLabel(/^Lieu/).fill('École Saint-Exupéry, Bourg-en-Bresse');
    await fix.getByRole('button', { name: 'Fixer le présentiel' }).click();
    await page.getByText(/Le présentiel du .* est fixé/).waitFor();
    const link = page.getByRole('link', { name: new RegExp(`18 novembre ${a}, 17:00 – 19:00`) });
    await link.click();

    await page.getByRole('heading', { level: 1, name: /^Présentiel du/ }).waitFor();
    await noViolation(page, 'the meeting on a tablet');
    await tick(page.getByRole('checkbox', { name: fresh.pilot.display_name }));
    await tick(page.getByRole('checkbox', { name: fresh.neo1d.display_name }));
    await page.getByRole('button', { name: 'Enregistrer les présences' }).click();
    await page.getByText('Présences enregistrées : 2 membres présents sur 3.').waitFor();
    await page.getByLabel('Membre qui présente la situation').selectOption({ label: fresh.neo1d.display_name });
    await page.getByLabel(/^1\. Présentation et reconnaissance du problème/).fill('Un stagiaire refuse les retours après la visite.');
    await page.getByLabel(/^2\. Questionnement du collectif/).fill('Depuis quand ? Devant qui ?');
    await page.getByLabel(/^7\. Vers une montée en généralité/).fill('Dire un retour sans disqualifier.');
    await page.getByRole('button', { name: 'Enregistrer le canevas' }).click();
    await page.getByText('Le canevas est enregistré.').waitFor();
    await page.getByLabel('1- Notre problématique').fill(`Comment faire accepter un retour critique ? (${word})`);
    await page.getByLabel('2- Nos réponses envisagées').fill('Commencer par ce qui a réussi ; co-construire une piste.');
    await page.getByRole('button', { name: 'Publier la fiche synthèse' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Publier la fiche synthèse' }).click();
    await page.getByText('La fiche synthèse est publiée').waitFor();
    assert.equal(await page.locator('#app-vue').getByRole('button', { name: 'Publier la fiche synthèse' }).count(), 0, 'published: frozen');
    assert.equal(await page.locator('#app-vue').getByRole('textbox', { name: '1- Notre problématique' }).count(), 0, 'published: no longer editable');
    await noViolation(page, 'the meeting with its published synthesis');
    // Laid out for the tablet: nothing wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at 768 px (${overflow} px)`);
    meetingId = page.url().replace(/.*#\/reseau\/rencontres\//, '');
  });
  assert.ok(meetingId);
});

test('the pilot proposes two dates, gives their availability and confirms one: the meeting is fixed', async () => {
  const a = Number(year.label.slice(0, 4));
  await withUsers(async ({ open }) => {
    const { page } = await open('tuteur.inspe1', { viewport: TABLET });
    await page.goto(at(page, `#/reseau/collectifs/${collectiveId}`));
    const propose = page.getByRole('region', { name: 'Proposer des dates au collectif' });
    await propose.waitFor();
    const first = propose.getByRole('group', { name: 'Date proposée n°1' });
    await first.getByLabel(/^Début/).fill(`${a + 1}-01-13T17:00`);
    await first.getByLabel(/^Fin/).fill(`${a + 1}-01-13T19:00`);
    await first.getByLabel(/^Lieu/).fill('Collège Lalande, Bourg-en-Bresse');
    const second = propose.getByRole('group', { name: /^Date proposée n°2/ });
    await second.getByLabel(/^Début/).fill(`${a + 1}-01-20T17:00`);
    await second.getByLabel(/^Fin/).fill(`${a + 1}-01-20T19:00`);
    await second.getByLabel(/^Lieu/).fill('Collège Lalande, Bourg-en-Bresse');
    await propose.getByRole('button', { name: 'Ouvrir le sondage' }).click();
    await page.getByText('Le sondage est ouvert').waitFor();
    const poll = page.getByRole('region', { name: 'Sondage de dates' });
    await tick(poll.getByRole('checkbox', { name: new RegExp(`13 janvier ${a + 1}`) }));
    await poll.getByRole('button', { name: 'Enregistrer mes disponibilités' }).click();
    await page.getByText('Vos disponibilités sont enregistrées.').waitFor();
    assert.match(await page.getByRole('region', { name: 'Sondage de dates' }).textContent(), /1 membre disponible sur 1 réponse/);
    await noViolation(page, 'the collective with its poll');
    await page.getByRole('button', { name: new RegExp(`^Confirmer le mercredi 13 janvier ${a + 1}`) }).click();
    await page.getByText(/Le présentiel du .* est fixé : les membres sont prévenus/).waitFor();
    await page.getByRole('link', { name: new RegExp(`13 janvier ${a + 1}, 17:00 – 19:00`) }).waitFor();
    assert.equal(await page.getByRole('region', { name: 'Sondage de dates' }).count(), 0, 'the confirmed poll is closed');
  });
});

test('another tutor finds the published synthesis in the library by a word of it, without the members’ names', async () => {
  await withUsers(async ({ open }) => {
    const { page } = await open('tuteur.terrain1');
    await page.goto(at(page, '#/reseau/bibliotheque'));
    await page.getByRole('heading', { level: 1, name: 'Bibliothèque des fiches synthèses' }).waitFor();
    await noViolation(page, 'the library');
    await page.getByRole('searchbox', { name: /Rechercher un mot/ }).fill(word);
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('status').filter({ hasText: '1 fiche synthèse publiée' }).waitFor();
    await page.getByRole('link', { name: new RegExp(word) }).click();
    await page.getByRole('heading', { level: 1, name: 'Fiche synthèse' }).waitFor();
    const text = await page.locator('#app-vue').innerText();
    assert.match(text, /Commencer par ce qui a réussi/);
    assert.match(text, new RegExp(`Collectif ${word}`));
    for (const m of [fresh.pilot, fresh.neo1d, fresh.neo2d]) assert.ok(!text.includes(m.display_name), `no member name (${m.display_name})`);
    assert.ok(!text.includes('Depuis quand'), 'no canvas note');
    await noViolation(page, 'a fiche of the library');
  });
});
