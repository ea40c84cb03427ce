// The sweep of issue 8 §5: axe-core on every screen of every role, at a
// desktop and a phone width, collecting any WCAG 2.1 A or AA violation.
// The screens are those of the demo data (sql/demo): each user's menu, and
// the dossier screens of their own relation to a trainee, and the bell's
// notifications and preferences. Split over
// several accessibility-*.test.mjs files so each stays well within the
// runner's time per file.

import assert from 'node:assert/strict';
import { withUsers, apiSession, axeViolations } from './browser.mjs';

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 740 };

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

/**
 * The réseau de tuteurs' screens a user reaches (docs/reseau.md): the
 * library and resources; their first collective and, once they accepted
 * its charter, its first meeting and a published fiche of the library;
 * an organiser's first call and the experiment's figures.
 */
export async function reseauScreens(academy, username, { organiser = false } = {}) {
  const s = await apiSession(academy, username);
  try {
    const screens = ['#/reseau/bibliotheque', '#/reseau/ressources'];
    const collective = (await s.call('GET', '/reseau/collectives?limit=1')).body.items?.[0];
    if (collective) {
      screens.push(`#/reseau/collectifs/${collective.id}`);
      const meeting = (await s.call('GET', `/reseau/collectives/${collective.id}`)).body.meetings?.[0];
      if (meeting && !organiser) screens.push(`#/reseau/rencontres/${meeting.id}`);
    }
    const fiche = (await s.call('GET', '/reseau/library?limit=1')).body.items?.[0];
    if (fiche) screens.push(`#/reseau/bibliotheque/${fiche.id}`);
    if (organiser) {
      const call = (await s.call('GET', '/reseau/calls?limit=1')).body.items?.[0];
      if (call) screens.push(`#/reseau/appels/${call.id}`);
      screens.push('#/reseau/bilan');
    } else {
      const call = (await s.call('GET', '/reseau/calls?limit=20')).body.items?.find((c) => c.state === 'open' && !c.volunteered);
      if (call) screens.push(`#/reseau/appels/${call.id}/volontariat`);
    }
    return screens;
  } finally {
    await s.dispose();
  }
}

/**
 * The pilotage screens a user reaches (docs/pilotage.md): the dashboard of
 * each of their scopes (the menu opens the first) and the list behind the
 * first figure of the first one, with its column choice.
 */
export async function pilotageScreens(academy, username) {
  const s = await apiSession(academy, username);
  try {
    const scopes = (await s.call('GET', '/pilotage/scopes')).body.items || [];
    const screens = [];
    for (const scope of scopes.slice(0, 3)) {
      const id = scope.kind === 'academy' ? 0 : scope.id;
      screens.push(`#/tableau-de-bord/${scope.kind}/${id}`);
      if (screens.length === 1) {
        const figure = (await s.call('GET', `/pilotage/dashboards/${scope.kind}/${id}`)).body.figures?.[0];
        if (figure) screens.push(`#/tableau-de-bord/${scope.kind}/${id}/${figure.list || figure.key}`);
      }
    }
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
export async function settled(page) {
  await page.locator('#app-vue h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('#app-vue .app-loading, #app-vue [aria-busy="true"]'));
}

export const USERS = [
  { academy: 'lyon', username: 'admin', extra: async () => {
    const person = await firstId('lyon', 'admin', '/people?q=stagiaire1');
    const enrolment = await firstId('lyon', 'admin', '/enrolments?limit=1');
    return ['#/annuaire/personnes/nouvelle', `#/annuaire/personnes/${person}`, `#/annuaire/personnes/${person}/modifier`,
      '#/annuaire/structures/nouvelle', `#/inscriptions/${enrolment}`, `#/inscriptions/${enrolment}/modifier`, '#/inscriptions/nouvelle'];
  } },
  { academy: 'lyon', username: 'stagiaire1', extra: () => dossierScreens('lyon', 'stagiaire1', { tutor: false }) },
  { academy: 'lyon', username: 'tuteur.terrain1', extra: () => dossierScreens('lyon', 'tuteur.terrain1', { tutor: true }) },
  { academy: 'lyon', username: 'tuteur.inspe1', extra: () => dossierScreens('lyon', 'tuteur.inspe1', { tutor: true }) },
  { academy: 'lyon', username: 'ien1', extra: async () => ['#/dossiers/200501/bilans-et-resultat', '#/bilans/200561?dossier=200501', ...await pilotageScreens('lyon', 'ien1')] },
  { academy: 'lyon', username: 'direction1', extra: () => pilotageScreens('lyon', 'direction1') },
  { academy: 'lyon', username: 'bureau1', extra: async () => {
    const enrolment = await firstId('lyon', 'bureau1', '/enrolments?limit=1');
    return [`#/inscriptions/${enrolment}`, ...await pilotageScreens('lyon', 'bureau1')];
  } },
  { academy: 'grenoble', username: 'stagiaire1', extra: () => dossierScreens('grenoble', 'stagiaire1', { tutor: false }) },
  { academy: 'grenoble', username: 'tuteur.terrain1', extra: () => dossierScreens('grenoble', 'tuteur.terrain1', { tutor: true }) },
  { academy: 'poitiers', username: 'etudiant1', extra: async () => [] },
  { academy: 'poitiers', username: 'mat1', extra: async () => [] },
  { academy: 'poitiers', username: 'gestionnaire1', extra: async () => [] },
  // The SOPA site's organisation, a manager's screen outside the menu.
  { academy: 'poitiers', username: 'bureau1', extra: async () => ['#/sopa/organisation'] },
];

/**
 * Opens each of `users` (USERS entries) at both widths, visits every
 * screen of their menu (unless menu: false) and their `extra` screens, and
 * fails on any axe-core violation. `atLeast`: the number of screens the run
 * must have checked.
 */
/** The titles of a screen that could not be shown. */
const BROKEN = /n’a pas pu être affichée| introuvable$|Accès non autorisé|Introuvable ou non accessible|Connexion perdue|Service indisponible/;

export async function sweep(users, atLeast, { menu: withMenu = true } = {}) {
  const found = [];
  const seen = [];
  for (const viewport of [DESKTOP, PHONE]) {
    await withUsers(async ({ open }) => {
      for (const user of users) {
        const { page, context } = await open(user.username, { academy: user.academy, viewport });
        const app = page.url().replace(/#.*$/, '');
        await settled(page);
        const menu = withMenu ? await page.locator('#app-nav a.fr-nav__link').evaluateAll((links) => links.map((a) => a.getAttribute('href'))) : [];
        // The bell's screens are in every header, not in the menu.
        const screens = [...new Set([...(withMenu ? ['#/', '#/notifications', '#/preferences'] : []), ...menu, ...(await user.extra())])];
        for (const hash of screens) {
          await page.goto(app + hash);
          await settled(page);
          const where = `${user.username}@${user.academy} ${hash} (${viewport.width} px)`;
          seen.push(where);
          // A screen that failed (a script error caught by the router, a
          // refusal) would pass axe-core: it must be the screen itself.
          const title = await page.locator('#app-vue h1').first().innerText();
          if (BROKEN.test(title)) found.push(`${where}: shows « ${title} » instead of the screen`);
          for (const v of await axeViolations(page)) found.push(`${where}: ${v}`);
        }
        await context.close();
      }
    });
  }
  assert.ok(seen.length >= atLeast, `${seen.length} screens checked: ${seen.join(', ')}`);
  assert.deepEqual(found, []);
}

/** The USERS entry of a user. */
export const user = (academy, username) => USERS.find((u) => u.academy === academy && u.username === username);
