// The shell (app.html): who is signed in, the header, the main menu built
// from the roles, and the hash router that mounts one view at a time.
//
// A view module exports `render(ctx)`; ctx = { root, params, query, me,
// route, setTitle(text), navigate(hash) }. It appends its content to
// ctx.root, starting with ui.pageTitle(h1). The router sets document.title
// and, after a navigation, moves focus to that h1.

import { request, ApiError, describeError } from './api.js';
import { h, replace, srOnly } from './dom.js';
import { roleLabel } from './labels.js';
import { ROUTES, MENU, allowed } from './routes.js';
import { draftKeys, storedKeys } from './drafts.js';
import { alertBox, pageTitle, button, buttonLink } from './ui.js';
import { bellItem, startBell, refreshBell } from './bell.js';

const SITE = 'Tutorat';
const viewRoot = document.getElementById('app-vue');
const navList = document.getElementById('app-nav');
let me = null;
let renderCount = 0;

/** DSFR's JS API, when it has loaded (it does nothing harmful without it). */
function dsfr(node) {
  try {
    return typeof window.dsfr === 'function' ? window.dsfr(node) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- header

function renderHeader() {
  document.getElementById('app-academie').textContent = me.academy_name || '';
  // The footer's « Données personnelles »: the page of the person's académie.
  const info = document.getElementById('lien-donnees-personnelles');
  if (info && me.academy) info.href = `/informations.html?academie=${encodeURIComponent(me.academy)}`;
  const roles = (me.roles || []).map(roleLabel).join(', ');
  const tools = (suffix) => h('ul', { class: 'fr-btns-group' },
    bellItem(suffix),
    h('li', null,
      h('p', { class: 'app-user fr-icon-account-circle-line', id: `app-utilisateur${suffix}` },
        srOnly('Connecté en tant que '),
        h('span', { class: 'app-user__name' }, me.display_name || me.username),
        roles ? h('span', { class: 'app-user__roles' }, srOnly(', '), roles) : null)),
    h('li', null,
      h('a', { class: 'fr-btn fr-icon-lock-line', href: '#/securite', id: `app-securite${suffix}` }, 'Sécurité du compte')),
    h('li', null,
      h('button', {
        class: 'fr-btn fr-icon-logout-box-r-line', type: 'button', id: `app-deconnexion${suffix}`,
        on: { click: logout },
      }, 'Se déconnecter')));
  replace(document.getElementById('app-outils'), tools(''));
  replace(document.getElementById('app-outils-mobile'), tools('-mobile'));
}

/** The keys of this user's observation notes kept on the device, unsent. */
function unsentNotesKeys() {
  return storedKeys(`tutorat:observation:${me?.academy || ''}:${me?.id || me?.username || ''}:`);
}

async function logout(event) {
  const btn = event.currentTarget;
  // A device may be shared: what a tutor typed about a trainee does not stay
  // on it after they sign out. Unsent notes are said before being dropped.
  // Drafts (drafts.js) go too: kept for a re-login after an expired
  // session, not for the next person at this device.
  const unsent = unsentNotesKeys();
  const drafts = draftKeys(me);
  if (unsent.length > 0 && !window.confirm(
    'Des notes d’observation n’ont pas encore été envoyées. Se déconnecter les effacera de cet appareil. Se déconnecter quand même ?')) {
    return;
  }
  btn.disabled = true;
  try {
    await request('POST', '/auth/logout', { loginOn401: false });
  } catch (err) {
    // Already signed out (401): the aim is reached. Anything else: say so.
    if (!(err instanceof ApiError && err.status === 401)) {
      btn.disabled = false;
      showShellError(`La déconnexion n’a pas abouti. ${describeError(err)}`);
      return;
    }
  }
  for (const k of [...unsent, ...drafts]) {
    try { localStorage.removeItem(k); } catch { /* ignore */ }
  }
  location.replace('/?deconnexion=1');
}

function showShellError(text) {
  let region = document.getElementById('app-erreur-globale');
  if (!region) {
    region = h('div', { id: 'app-erreur-globale', class: 'fr-container fr-mt-2w', role: 'alert' });
    document.getElementById('contenu').prepend(region);
  }
  replace(region, alertBox('error', null, text));
}

// ------------------------------------------------------------------ menu

function renderMenu() {
  const items = [];
  for (const entry of MENU) {
    if (!allowed(entry.roles, me.roles)) continue;
    if (entry.children) {
      const id = `menu-${entry.label.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}`;
      items.push(h('li', { class: 'fr-nav__item' },
        h('button', { class: 'fr-nav__btn', type: 'button', 'aria-expanded': 'false', 'aria-controls': id }, entry.label),
        h('div', { class: 'fr-collapse fr-menu', id },
          h('ul', { class: 'fr-menu__list' },
            entry.children.filter((c) => allowed(c.roles, me.roles)).map((child) => h('li', null,
              h('a', { class: 'fr-nav__link', href: child.href, target: '_self' }, child.label)))))));
    } else {
      items.push(h('li', { class: 'fr-nav__item' },
        h('a', { class: 'fr-nav__link', href: entry.href, target: '_self' }, entry.label)));
    }
  }
  replace(navList, items);
  navList.addEventListener('click', (event) => {
    if (!event.target.closest('a.fr-nav__link')) return;
    // Close the open sub-menu and, on small screens, the menu dialog.
    for (const collapse of navList.querySelectorAll('.fr-collapse')) dsfr(collapse)?.collapse?.conceal();
    dsfr(document.getElementById('menu-modal'))?.modal?.conceal();
  });
}

/** Marks the menu entry of the current path (aria-current), longest match wins. */
function markCurrentMenu(path) {
  let best = null;
  for (const link of navList.querySelectorAll('a.fr-nav__link')) {
    link.removeAttribute('aria-current');
    const target = link.getAttribute('href').slice(1);
    const matches = target === '/' ? path === '/' : path === target || path.startsWith(`${target}/`);
    if (matches && (!best || target.length > best.target.length)) best = { link, target };
  }
  for (const btn of navList.querySelectorAll('.fr-nav__btn')) btn.removeAttribute('aria-current');
  if (!best) return;
  best.link.setAttribute('aria-current', 'page');
  const parent = best.link.closest('.fr-nav__item')?.querySelector('.fr-nav__btn');
  if (parent) parent.setAttribute('aria-current', 'true');
}

// ---------------------------------------------------------------- router

function parseHash() {
  const raw = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
  const [pathPart, queryPart = ''] = raw.split('?');
  const path = pathPart.length > 1 ? pathPart.replace(/\/+$/, '') : '/';
  return { path, query: new URLSearchParams(queryPart) };
}

function matchRoute(path) {
  const segments = path.split('/').filter(Boolean);
  for (const route of ROUTES) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params = {};
    const ok = pattern.every((part, i) => {
      if (part.startsWith(':')) {
        params[part.slice(1)] = decodeURIComponent(segments[i]);
        return true;
      }
      return part === segments[i];
    });
    if (ok) return { route, params };
  }
  return null;
}

async function render({ focus }) {
  // A role that requires a second factor not enrolled yet: the security
  // screen only (the service refuses everything else, 403
  // totp_enrolment_required).
  if (me.enrolment_only && parseHash().path !== '/securite') {
    location.replace('#/securite'); // its hashchange renders it
    return;
  }
  const token = ++renderCount;
  const { path, query } = parseHash();
  const match = matchRoute(path);
  const root = h('div', { class: 'app-view' });
  let title = null;
  const ctx = {
    root, query, me,
    params: match?.params || {},
    route: match?.route || null,
    setTitle(text) { title = text; if (token === renderCount) document.title = `${text} – ${SITE}`; },
    navigate(hash) { location.hash = hash; },
    /** True while this view is still the one shown (async work may outlive it). */
    get current() { return token === renderCount; },
  };
  markCurrentMenu(path);
  replace(viewRoot, h('p', { class: 'app-loading', role: 'status' }, 'Chargement…'));

  try {
    if (!match) {
      notFound(ctx);
    } else if (!allowed(match.route.roles, me.roles)) {
      forbidden(ctx);
    } else {
      const module = await match.route.view();
      if (token !== renderCount) return;
      replace(viewRoot, root);
      await module.render(ctx);
    }
  } catch (err) {
    if (!(err instanceof ApiError) && navigator.onLine !== false) console.error(err); // a bug: keep it visible to developers
    if (token !== renderCount) return;
    // No answer (fetch failed), or the screen's own code could not be
    // fetched: the device is offline, the service may well be fine.
    const offline = (err instanceof ApiError && err.status === 0) || navigator.onLine === false
      || /dynamically imported module/i.test(String(err?.message));
    replace(root, pageTitle(offline ? 'Connexion perdue' : 'Cette page n’a pas pu être affichée'),
      alertBox('error', null, offline ? describeError(new ApiError(0)) : describeError(err)),
      h('p', { class: 'fr-mt-3w' }, offline
        ? button('Réessayer', { kind: 'secondary', icon: 'refresh-line', onClick: () => render({ focus: true }) })
        : buttonLink('Retour à l’accueil', '#/', { kind: 'secondary' })));
    title = offline ? 'Connexion perdue' : 'Erreur';
  }
  if (token !== renderCount) return;
  if (!root.isConnected) replace(viewRoot, root);

  const h1 = root.querySelector('h1');
  if (!title) title = h1 ? h1.textContent.trim() : SITE;
  document.title = title === SITE ? SITE : `${title} – ${SITE}`;
  if (focus) (h1 || document.getElementById('contenu')).focus();
}

function notFound(ctx) {
  replace(ctx.root,
    pageTitle('Page introuvable'),
    h('p', null, 'La page demandée n’existe pas ou a été déplacée. Vérifiez l’adresse ou repartez de l’accueil.'),
    buttonLink('Retour à l’accueil', '#/', { kind: 'secondary' }));
}

function forbidden(ctx) {
  replace(ctx.root,
    pageTitle('Accès non autorisé'),
    h('p', null, 'Votre profil ne donne pas accès à cette page. Si vous pensez que c’est une erreur, contactez l’administrateur de Tutorat de votre académie.'),
    buttonLink('Retour à l’accueil', '#/', { kind: 'secondary' }));
}

// ------------------------------------------------------------ start-up

/** Skip links target ids: focus them without touching the route's hash. */
function wireSkipLinks() {
  for (const link of document.querySelectorAll('.fr-skiplinks a[href^="#"]')) {
    link.addEventListener('click', (event) => {
      const target = document.getElementById(link.getAttribute('href').slice(1));
      if (!target) return;
      event.preventDefault();
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
      target.scrollIntoView();
    });
  }
}

async function start() {
  wireSkipLinks();
  try {
    me = (await request('GET', '/auth/me', { loginOn401: false })).data;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      const back = location.hash.startsWith('#/') && location.hash !== '#/' ? `?retour=${encodeURIComponent(location.hash)}` : '';
      location.replace(`/${back}`);
      return;
    }
    const offline = err instanceof ApiError && err.status === 0;
    replace(viewRoot,
      pageTitle(offline ? 'Connexion perdue' : 'Service indisponible'),
      alertBox('error', null, describeError(err)),
      h('p', { class: 'fr-mt-3w' }, button('Réessayer', { kind: 'secondary', icon: 'refresh-line', onClick: () => location.reload() })));
    document.title = `${offline ? 'Connexion perdue' : 'Service indisponible'} – ${SITE}`;
    return;
  }
  me.roles = me.roles || [];
  renderHeader();
  if (!me.enrolment_only) renderMenu();
  window.addEventListener('hashchange', () => {
    if (location.hash && !location.hash.startsWith('#/')) return; // an in-page anchor
    render({ focus: true });
    refreshBell(); // what was opened may have been read
  });
  startBell();
  await render({ focus: false });
}

start();
