// Home of the app: who you are, what is expected of you now (« À faire »,
// GET /api/v1/agenda), and one tile per space your roles open; a space
// still to come is marked so.

import { h } from '../dom.js';
import { roleLabel } from '../labels.js';
import { SPACES, SOON, allowed } from '../routes.js';
import { pageTitle } from '../ui.js';
import { agendaSection } from './tutorat/agenda.js';

const ADMIN_TILES = [
  { label: 'Personnes', href: '#/annuaire/personnes', description: 'Rechercher une personne, modifier sa fiche, attribuer ou retirer des rôles.', roles: ['admin'] },
  { label: 'Structures', href: '#/annuaire/structures', description: 'Départements, circonscriptions, pôles, écoles et établissements, sites INSPÉ, disciplines.', roles: ['admin'] },
];

function tile({ label, href, description, soon }) {
  return h('div', { class: 'fr-col-12 fr-col-md-6 fr-col-lg-4' },
    h('div', { class: 'fr-tile fr-enlarge-link' },
      h('div', { class: 'fr-tile__body' },
        h('div', { class: 'fr-tile__content' },
          h('h3', { class: 'fr-tile__title' }, h('a', { href }, label)),
          h('p', { class: 'fr-tile__detail' }, description),
          soon ? h('p', { class: 'fr-badge fr-badge--sm fr-badge--new fr-mt-1w' }, 'Pas encore ouvert') : null))));
}

export async function render(ctx) {
  const { me } = ctx;
  const spaces = [...SPACES, ...SOON.map((s) => ({ ...s, soon: true }))].filter((s) => allowed(s.roles, me.roles))
    .map((s) => ({ label: s.label, href: `#${s.path}`, description: s.description, soon: s.soon }));
  const admin = ADMIN_TILES.filter((t) => allowed(t.roles, me.roles));

  ctx.root.append(
    pageTitle(`Bonjour ${me.display_name || me.username}`),
    h('p', { class: 'fr-text--lead' },
      me.roles.length
        ? `${me.academy_name} — ${me.roles.length > 1 ? 'vos profils' : 'votre profil'} : ${me.roles.map(roleLabel).join(', ')}.`
        : `${me.academy_name}.`));

  if (!spaces.length && !admin.length) {
    ctx.root.append(h('div', { class: 'fr-callout' },
      h('p', { class: 'fr-callout__text' },
        'Aucun rôle ne vous est encore attribué dans Tutorat. Contactez l’administrateur de Tutorat de votre académie.')));
  }
  if (me.roles.length) ctx.root.append(agendaSection(me));
  if (spaces.length) {
    ctx.root.append(
      h('h2', { class: 'fr-mt-6w' }, 'Vos espaces'),
      h('div', { class: 'fr-grid-row fr-grid-row--gutters' }, spaces.map(tile)));
  }
  if (admin.length) {
    ctx.root.append(
      h('h2', { class: 'fr-mt-6w' }, 'Annuaire'),
      h('div', { class: 'fr-grid-row fr-grid-row--gutters' }, admin.map(tile)));
  }
  ctx.setTitle('Accueil');
}
