// Issue 8 §5: axe-core on every screen of every role, at a desktop and a
// phone width, fails on any WCAG 2.1 A or AA violation; tables that scroll
// sideways are reached with the keyboard; at 200 % zoom the structures and
// a person's page do not scroll sideways as a whole; row buttons have
// distinct names; the accessibility statement is dated and gives a contact.
//
// The screens are those of the demo data (sql/demo): each user's menu, and
// the dossier screens of their own relation to a trainee.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withUsers, withBrowser, apiSession, axeViolations } from './browser.mjs';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 740 };

/** The screens of the dossier a user reaches through their own relation. */
async function dossierScreens(academy, username, { tutor }) {
  const s = await apiSession(academy, username);
  try {
    const year = (await s.call('GET', '/years')).body.items.find((y) => y.current);
    const list = await s.call('GET', `/enrolments?year_id=${year.id}&limit=5`);
    const enrolment = list.body.items?.[0];
    if (!enrolment) return [];
    const id = enrolment.id;
    const timeline = (await s.call('GET', `/enrolments/${id}/timeline`)).body;
    const screens = [`#/dossiers/${id}`, `#/dossiers/${id}/auto-positionnement`, `#/dossiers/${id}/bilans-et-resultat`];
    const followup = (timeline.followups || []).find((f) => f.state !== 'cancelled') || timeline.followups?.[0];
    if (followup) screens.push(`#/temps-de-suivi/${followup.id}`);
    const bilans = (await s.call('GET', `/enrolments/${id}/bilans`)).body.items || [];
    if (bilans[0]) screens.push(`#/bilans/${bilans[0].id}`);
    if (tutor) screens.push(`#/dossiers/${id}/planifier`);
    return screens;
  } finally {
    await s.dispose();
  }
}

/** A record of a list, through the API: `${path}` items[0].id. */
async function firstId(academy, username, path) {
  const s = await apiSession(academy, username);
  try {
    return (await s.call('GET', path)).body.items?.[0]?.id;
  } finally {
    await s.dispose();
  }
}

/** Waits until the view has drawn what it loads (no « Chargement… », nothing busy). */
async function settled(page) {
  await page.locator('#app-vue h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('#app-vue .app-loading, #app-vue [aria-busy="true"]'));
}

const USERS = [
  { academy: 'lyon', username: 'admin', extra: async () => {
    const person = await firstId('lyon', 'admin', '/people?q=stagiaire1');
    const enrolment = await firstId('lyon', 'admin', '/enrolments?limit=1');
    return ['#/annuaire/personnes/nouvelle', `#/annuaire/personnes/${person}`, `#/annuaire/personnes/${person}/modifier`,
      '#/annuaire/structures/nouvelle', `#/inscriptions/${enrolment}`, `#/inscriptions/${enrolment}/modifier`, '#/inscriptions/nouvelle'];
  } },
  { academy: 'lyon', username: 'stagiaire1', extra: () => dossierScreens('lyon', 'stagiaire1', { tutor: false }) },
  { academy: 'lyon', username: 'tuteur.terrain1', extra: () => dossierScreens('lyon', 'tuteur.terrain1', { tutor: true }) },
  { academy: 'lyon', username: 'tuteur.inspe1', extra: () => dossierScreens('lyon', 'tuteur.inspe1', { tutor: true }) },
  { academy: 'lyon', username: 'ien1', extra: async () => ['#/dossiers/200501/bilans-et-resultat', '#/bilans/200561?dossier=200501'] },
  { academy: 'lyon', username: 'direction1', extra: async () => [] },
  { academy: 'lyon', username: 'bureau1', extra: async () => {
    const enrolment = await firstId('lyon', 'bureau1', '/enrolments?limit=1');
    return [`#/inscriptions/${enrolment}`];
  } },
  { academy: 'grenoble', username: 'stagiaire1', extra: () => dossierScreens('grenoble', 'stagiaire1', { tutor: false }) },
  { academy: 'grenoble', username: 'tuteur.terrain1', extra: () => dossierScreens('grenoble', 'tuteur.terrain1', { tutor: true }) },
  { academy: 'poitiers', username: 'etudiant1', extra: async () => [] },
  { academy: 'poitiers', username: 'mat1', extra: async () => [] },
  { academy: 'poitiers', username: 'gestionnaire1', extra: async () => [] },
];

test('axe-core finds no WCAG 2.1 A/AA violation on any screen of any role, desktop and phone', async () => {
  const found = [];
  const seen = [];
  for (const viewport of [DESKTOP, PHONE]) {
    await withUsers(async ({ open }) => {
      for (const user of USERS) {
        const { page, context } = await open(user.username, { academy: user.academy, viewport });
        const app = page.url().replace(/#.*$/, '');
        await settled(page);
        const menu = await page.locator('#app-nav a.fr-nav__link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
        const screens = [...new Set(['#/', ...menu, ...(await user.extra())])];
        for (const hash of screens) {
          await page.goto(app + hash);
          await settled(page);
          const where = `${user.username}@${user.academy} ${hash} (${viewport.width} px)`;
          seen.push(where);
          for (const v of await axeViolations(page)) found.push(`${where}: ${v}`);
        }
        await context.close();
      }
    });
  }
  assert.ok(seen.length >= 60, `${seen.length} screens checked`);
  assert.deepEqual(found, []);
});

test('the login page and the accessibility statement: no violation; the statement is dated and gives a contact', async () => {
  for (const viewport of [DESKTOP, PHONE]) {
    await withBrowser(async ({ page }) => {
      await page.goto('/');
      await page.locator('#academy option[value="lyon"]').waitFor({ state: 'attached' });
      assert.deepEqual(await axeViolations(page), [], `login page at ${viewport.width} px`);
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

test('the spaces not open yet say what will come and what to do meanwhile; the bilan says when the trainee sees it', async () => {
  await withUsers(async ({ open }) => {
    const { page } = await open('mat1', { academy: 'poitiers' });
    await page.getByText('Pas encore ouvert').first().waitFor();
    await page.goto(page.url().replace(/#.*$/, '') + '#/etudiants-accueillis');
    await page.getByRole('heading', { level: 2, name: 'Ce qui viendra' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'En attendant' }).waitFor();
    assert.match(await page.locator('#app-vue').innerText(), /Cet espace n’est pas encore ouvert[\s\S]*En attendant\s+envoyez chaque compte rendu/);

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
