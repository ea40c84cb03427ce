// Annuaire › Structures: list filtered by kind, with a search, paged by the
// server. GET /api/v1/structures?kind=&q=&limit=&offset= ({items,total}).

import { api, withQuery } from '../../api.js';
import { h, plural } from '../../dom.js';
import { STRUCTURE_KINDS, structureKindLabel } from '../../labels.js';
import { listView } from '../../list.js';
import { lowerFirst } from '../../format.js';
import {
  pageTitle, breadcrumb, textField, selectField, table, rowHeader, liveRegion, buttonLink, showFlash,
} from '../../ui.js';

const PAGE_SIZE = 50;
const BASE = '#/annuaire/structures';

export async function render(ctx) {
  const kind = selectField({
    label: 'Type de structure', name: 'kind', placeholder: 'Tous les types',
    options: Object.entries(STRUCTURE_KINDS).map(([value, k]) => ({ value, label: k.plural })),
  });
  const list = listView(ctx, {
    base: BASE,
    pageSize: PAGE_SIZE,
    filters: [
      { name: 'kind', width: 4, field: kind },
      { name: 'q', width: 5, field: textField({ label: 'Nom ou code', name: 'q', type: 'search', autocomplete: 'off' }) },
    ],
    formLabel: 'Filtrer les structures',
    submitLabel: 'Afficher',
    pagerLabel: 'Pagination des structures',
    fetch: (filters, page) => api.get(withQuery('/structures', { ...filters, ...page })),
    count: (total) => (list.state.kind
      ? plural(total, STRUCTURE_KINDS[list.state.kind].label.toLowerCase(), STRUCTURE_KINDS[list.state.kind].plural.toLowerCase())
      : plural(total, 'structure')),
    empty: (state) => ({ text: state.q ? 'Aucune structure ne correspond à votre recherche.' : 'Aucune structure de ce type pour le moment.' }),
    show: (items, state) => {
      const what = state.kind ? STRUCTURE_KINDS[state.kind].plural : 'Structures';
      return table({
        caption: `${what}${state.q ? ` correspondant à « ${state.q} »` : ''}`,
        columns: [{ label: 'Nom' }, { label: 'Type' }, { label: 'Code' }, { label: 'Rattachement' }, { label: 'Action', className: 'app-col-action' }],
        rows: items.map((s) => [
          rowHeader(s.name),
          structureKindLabel(s.kind),
          s.code || '—',
          s.parent_name || '—',
          buttonLink('Modifier', `${BASE}/${encodeURIComponent(s.id)}/modifier`, { kind: 'tertiary', icon: 'edit-line', srSuffix: `${lowerFirst(structureKindLabel(s.kind))} ${s.name}${s.code ? ` (${s.code})` : ''}`, size: 'sm' }),
        ]),
      });
    },
  });
  const notices = liveRegion('status');
  const addLink = buttonLink('Ajouter une structure', addHref(), { icon: 'add-line' });
  // « Ajouter » proposes the kind shown.
  list.form.addEventListener('submit', () => addLink.setAttribute('href', addHref()));

  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Structures' }]),
    notices.node,
    h('div', { class: 'app-title-row' }, pageTitle('Structures'), addLink),
    h('p', null, 'Départements, circonscriptions, pôles de formation, écoles et établissements, sites INSPÉ et disciplines de votre académie. Ils servent de périmètre aux rôles.'),
    list.form, list.node);
  showFlash(notices);
  ctx.setTitle('Structures');

  function addHref() {
    return withQuery(`${BASE}/nouvelle`, { kind: list.state.kind });
  }

  await list.load();
}
