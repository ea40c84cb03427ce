// Issue 8 §5 (the axe-core sweep of every screen of every role is in
// accessibility-*.test.mjs, a11y-sweep.mjs): tables that scroll sideways
// are reached with the keyboard; at 200 % zoom the structures and
// a person's page do not scroll sideways as a whole; row buttons have
// distinct names; the accessibility statement is dated and gives a contact;
// the spaces not open yet and the bilan say what they should; the
// transparency page (informations.html) has no violation; every role
// lands on « À faire ». On the demo data (sql/demo).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withUsers, withBrowser, apiSession, axeViolations } from './browser.mjs';
import { DESKTOP, PHONE, settled } from './a11y-sweep.mjs';

test('the login page and the accessibility statement: no violation; the statement is dated and gives a contact', async () => {
  for (const viewport of [DESKTOP, PHONE]) {
    await withBrowser(async ({ page }) => {
      await page.goto('/');
      await page.locator('#academy option[value="lyon"]').waitFor({ state: 'attached' });
      assert.deepEqual(await axeViolations(page), [], `login page at ${viewport.width} px`);
      await page.goto('/informations.html?academie=lyon');
      await page.getByRole('heading', { level: 2, name: 'Réclamation auprès de la CNIL' }).waitFor();
      assert.deepEqual(await axeViolations(page), [], `transparency page at ${viewport.width} px`);
      await page.goto('/accessibilite.html');
      assert.deepEqual(await axeViolations(page), [], `accessibility statement at ${viewport.width} px`);
      const text = await page.locator('main').innerText();
      assert.match(text, /Cette déclaration a été établie le \d{1,2}(er)? [a-zéû]+ \d{4}/, 'the statement is dated');
      const contact = page.getByRole('link', { name: /@/ });
      assert.ok(await contact.count() >= 1, 'a contact address to write to');
      assert.match(await contact.first().getAttribute('href'), /^mailto:/);
    }, { viewport });
  }
});

test('tables that scroll sideways are keyboard-reachable regions; at 200 % zoom the page itself does not scroll sideways', async () => {
  const s = await apiSession('lyon', 'admin');
  const person = (await s.call('GET', '/people?q=ien1')).body.items.find((p) => p.username === 'ien1');
  await s.dispose();
  // 200 % zoom of a 1280 px window: 640 CSS pixels.
  await withUsers(async ({ open }) => {
    const { page } = await open('admin', { viewport: { width: 640, height: 800 } });
    const app = page.url().replace(/#.*$/, '');
    for (const hash of ['#/annuaire/structures?kind=pole', `#/annuaire/personnes/${person.id}`]) {
      await page.goto(app + hash);
      await settled(page);
      await page.locator('#app-vue table').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${hash}: the page scrolls sideways by ${overflow} px at 200 %`);
      // The table's scrolling box: in the tab order, a region named by the caption.
      const box = page.locator('#app-vue .fr-table__container').first();
      assert.equal(await box.getAttribute('tabindex'), '0');
      assert.equal(await box.getAttribute('role'), 'region');
      assert.equal(await box.getAttribute('aria-label'), await page.locator('#app-vue table caption').first().innerText());
    }

    // Distinct row-button names: a circonscription and a pôle both named « Montbrison ».
    await page.goto(`${app}#/annuaire/structures?q=Montbrison`);
    await settled(page);
    const names = await page.locator('#app-vue table tbody a.fr-btn').evaluateAll((links) => links.map((a) => a.textContent.replace(/\s+/g, ' ').trim()));
    assert.ok(names.length >= 2, `rows found: ${names}`);
    assert.equal(new Set(names).size, names.length, `every « Modifier » names its row: ${names.join(' | ')}`);
    assert.ok(names.some((x) => /^Modifier pôle de formation Montbrison/.test(x)), names.join(' | '));
    assert.ok(names.some((x) => /^Modifier circonscription Montbrison/.test(x)), names.join(' | '));
  });
});

test('every space is open (no « Bientôt disponible » left); the bilan says when the trainee sees it', async () => {
  await withUsers(async ({ open }) => {
    // The dashboard was the last space announced before its module (routes.js SOON, now empty): it opens.
    const { page } = await open('ien1');
    await page.getByRole('link', { name: 'Tableau de bord' }).first().waitFor();
    assert.doesNotMatch(await page.locator('#app-vue').innerText(), /Pas encore ouvert/);
    await page.goto(page.url().replace(/#.*$/, '') + '#/tableau-de-bord');
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();
    assert.doesNotMatch(await page.locator('#app-vue').innerText(), /Cet espace n’est pas encore ouvert/);

    const tutor = await apiSession('lyon', 'tuteur.terrain1');
    const bilans = (await tutor.call('GET', '/enrolments/200201/bilans')).body.items;
    await tutor.dispose();
    const late = bilans.find((b) => b.kind === 'intermediaire');
    const t = await open('tuteur.terrain1');
    await t.page.goto(t.page.url().replace(/#.*$/, '') + `#/bilans/${late.id}`);
    await t.page.locator('#bilan-visibilite').waitFor();
    assert.match(await t.page.locator('#bilan-visibilite').innerText(), /Le stagiaire voit ce bilan dès qu’il est enregistré/);
  });
});

test('every role lands on « À faire », dated, each entry a link to where it is done', async () => {
  await withUsers(async ({ open }) => {
    const ien = (await open('ien1')).page;
    const todo = ien.locator('section', { has: ien.getByRole('heading', { level: 2, name: 'À faire' }) });
    const link = todo.getByRole('link', { name: 'Lire le désaccord signalé sur le résultat de Julien Bernard' });
    await link.waitFor();
    assert.match(await todo.innerText(), /Prochaine réunion de pôle : Réunion de pôle N°\d[^\n]* — le \d+ [a-zéû]+ \d{4}/);
    await link.click();
    await ien.getByRole('heading', { level: 1, name: 'Bilans et résultat – Julien Bernard' }).waitFor();
    await ien.getByText('La note ne tient pas compte des progrès nets de mai et de juin').waitFor();

    const terrain = (await open('tuteur.terrain1')).page;
    const tTodo = terrain.locator('section', { has: terrain.getByRole('heading', { level: 2, name: 'À faire' }) });
    await tTodo.getByRole('link', { name: 'Bilan intermédiaire de Julien Bernard à valider' }).waitFor();
    assert.match(await tTodo.innerText(), /Bilan intermédiaire de Julien Bernard à valider — en retard : attendu pour le 26 novembre 2026/);

    const bureau = (await open('bureau1')).page;
    const bTodo = bureau.locator('section', { has: bureau.getByRole('heading', { level: 2, name: 'À faire' }) });
    await bTodo.getByRole('link', { name: 'Bilan intermédiaire de Julien Bernard à valider' }).waitFor();
  });
});
