// Annuaire › Structures: list filtered by kind, with a search.
// GET /api/v1/structures?kind=&q= (the whole list: paginated here, 50 a page).

import { api, withQuery } from '../../api.js';
import { h, replace, plural } from '../../dom.js';
import { STRUCTURE_KINDS, structureKindLabel } from '../../labels.js';
import {
  pageTitle, breadcrumb, textField, selectField, table, rowHeader, pagination,
  liveRegion, buttonLink, loading, showFlash,
} from '../../ui.js';

const PAGE_SIZE = 50;
const BASE = '#/annuaire/structures';

export async function render(ctx) {
  const state = {
    kind: STRUCTURE_KINDS[ctx.query.get('kind')] ? ctx.query.get('kind') : '',
    q: ctx.query.get('q') || '',
    page: Math.max(1, Number.parseInt(ctx.query.get('page') || '1', 10) || 1),
  };
  let items = [];

  const kind = selectField({
    label: 'Type de structure', name: 'kind', placeholder: 'Tous les types', value: state.kind,
    options: Object.entries(STRUCTURE_KINDS).map(([value, k]) => ({ value, label: k.plural })),
  });
  const q = textField({ label: 'Nom ou code', name: 'q', type: 'search', value: state.q, autocomplete: 'off' });
  const notices = liveRegion('status');
  const errors = liveRegion('alert');
  const status = h('p', { class: 'app-result-count', role: 'status', tabindex: '-1' });
  const results = h('div', { class: 'app-results' });
  const addLink = buttonLink('Ajouter une structure', addHref(), { icon: 'add-line' });

  const form = h('form', { role: 'search', class: 'app-filters fr-mb-4w', 'aria-label': 'Filtrer les structures', novalidate: true },
    h('div', { class: 'fr-grid-row fr-grid-row--gutters fr-grid-row--bottom' },
      h('div', { class: 'fr-col-12 fr-col-md-4' }, kind.group),
      h('div', { class: 'fr-col-12 fr-col-md-5' }, q.group),
      h('div', { class: 'fr-col-12 fr-col-md-3' },
        h('div', { class: 'app-filters__submit' },
          h('button', { class: 'fr-btn fr-icon-search-line fr-btn--icon-left', type: 'submit' }, 'Afficher')))));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.kind = kind.control.value;
    state.q = q.control.value.trim();
    state.page = 1;
    addLink.setAttribute('href', addHref());
    const hash = withQuery(BASE, { kind: state.kind, q: state.q });
    if (location.hash !== hash) history.pushState(null, '', hash);
    load();
  });

  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Structures' }]),
    notices.node,
    h('div', { class: 'app-title-row' }, pageTitle('Structures'), addLink),
    h('p', null, 'Départements, circonscriptions, pôles de formation, écoles et établissements, sites INSPÉ et disciplines de votre académie. Ils servent de périmètre aux rôles.'),
    form, errors.node, status, results);
  showFlash(notices);
  ctx.setTitle('Structures');

  function addHref() {
    return withQuery(`${BASE}/nouvelle`, { kind: state.kind });
  }

  async function load() {
    errors.clear();
    results.setAttribute('aria-busy', 'true');
    if (!results.firstChild) replace(results, loading());
    try {
      ({ items = [] } = await api.get(withQuery('/structures', { kind: state.kind, q: state.q })));
    } catch (err) {
      if (!ctx.current) return;
      results.removeAttribute('aria-busy');
      results.replaceChildren();
      status.textContent = '';
      errors.error(err, 'La liste n’a pas pu être chargée');
      return;
    }
    if (!ctx.current) return;
    results.removeAttribute('aria-busy');
    showPage(false);
  }

  function showPage(focus) {
    const total = items.length;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    state.page = Math.min(state.page, pages);
    const slice = items.slice((state.page - 1) * PAGE_SIZE, state.page * PAGE_SIZE);
    const what = state.kind ? STRUCTURE_KINDS[state.kind].plural.toLowerCase() : 'structures';

    if (!total) {
      status.textContent = state.q ? 'Aucune structure ne correspond à votre recherche.' : `Aucune structure de ce type pour le moment.`;
      results.replaceChildren();
      return;
    }
    const noun = state.kind
      ? plural(total, STRUCTURE_KINDS[state.kind].label.toLowerCase(), STRUCTURE_KINDS[state.kind].plural.toLowerCase())
      : plural(total, 'structure', 'structures');
    status.textContent = `${noun}${pages > 1 ? ` — page ${state.page} sur ${pages}` : ''}.`;
    replace(results,
      table({
        caption: `${what.charAt(0).toUpperCase()}${what.slice(1)}${state.q ? ` correspondant à « ${state.q} »` : ''}`,
        columns: [{ label: 'Nom' }, { label: 'Type' }, { label: 'Code' }, { label: 'Rattachement' }, { label: 'Action', className: 'app-col-action' }],
        rows: slice.map((s) => [
          rowHeader(s.name),
          structureKindLabel(s.kind),
          s.code || '—',
          s.parent_name || '—',
          buttonLink('Modifier', `${BASE}/${encodeURIComponent(s.id)}/modifier`, { kind: 'tertiary', icon: 'edit-line', srSuffix: s.name, size: 'sm' }),
        ]),
      }),
      pagination({
        page: state.page,
        pages,
        label: 'Pagination des structures',
        href: (page) => withQuery(BASE, { kind: state.kind, q: state.q, page: page > 1 ? page : '' }),
        onGo: (page) => {
          state.page = page;
          history.pushState(null, '', withQuery(BASE, { kind: state.kind, q: state.q, page: page > 1 ? page : '' }));
          showPage(true);
        },
      }));
    if (focus) status.focus();
  }

  await load();
}
