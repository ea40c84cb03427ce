// Annuaire › Personnes: search (q, role) and paginated list.
// GET /api/v1/people?q=&role=&limit=&offset=

import { api, withQuery } from '../../api.js';
import { h, plural } from '../../dom.js';
import { ROLE_LABELS, roleLabel } from '../../labels.js';
import { listView } from '../../list.js';
import { pageTitle, breadcrumb, textField, selectField, table, rowHeader, buttonLink } from '../../ui.js';

const PAGE_SIZE = 20;
const BASE = '#/annuaire/personnes';

export async function render(ctx) {
  const list = listView(ctx, {
    base: BASE,
    pageSize: PAGE_SIZE,
    filters: [
      { name: 'q', width: 5, field: textField({ label: 'Nom, identifiant ou courriel', name: 'q', type: 'search', autocomplete: 'off' }) },
      {
        name: 'role', width: 4, field: selectField({
          label: 'Rôle', name: 'role', placeholder: 'Tous les rôles',
          options: Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label })),
        }),
      },
    ],
    formLabel: 'Rechercher des personnes',
    pagerLabel: 'Pagination des personnes',
    errorTitle: 'La recherche n’a pas abouti',
    fetch: (filters, page) => api.get(withQuery('/people', { ...filters, ...page })),
    count: (total) => plural(total, 'personne trouvée', 'personnes trouvées'),
    empty: (state, filtered) => (filtered
      ? { text: 'Aucune personne ne correspond à votre recherche.', hint: 'Vérifiez l’orthographe, essayez une partie du nom seulement, ou retirez le filtre de rôle.' }
      : { text: 'Aucune personne pour le moment.' }),
    show: (items, state) => table({
      caption: state.q || state.role
        ? `Personnes correspondant à la recherche${state.q ? ` « ${state.q} »` : ''}${state.role ? `, rôle ${roleLabel(state.role)}` : ''}`
        : 'Personnes de l’académie',
      columns: [{ label: 'Nom' }, { label: 'Identifiant' }, { label: 'Courriel' }, { label: 'Rôles' }],
      rows: items.map((person) => [
        rowHeader(h('a', { href: `${BASE}/${encodeURIComponent(person.id)}` }, person.display_name || person.username),
          person.directory_mismatch ? [' ', h('span', { class: 'fr-badge fr-badge--warning fr-badge--sm' }, 'Identité de l’annuaire à vérifier')] : null),
        person.username,
        person.email || '—',
        (person.roles || []).length ? person.roles.map(roleLabel).join(', ') : '—',
      ]),
    }),
  });

  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Personnes' }]),
    h('div', { class: 'app-title-row' },
      pageTitle('Personnes'),
      buttonLink('Ajouter une personne', `${BASE}/nouvelle`, { icon: 'user-add-line' })),
    h('p', null, 'Les personnes de votre académie connues de Tutorat : comptes de l’annuaire académique et personnes ajoutées à la main.'),
    list.form, list.node);
  ctx.setTitle('Personnes');
  await list.load();
}
