// Annuaire › Personnes: search (q, role) and paginated list.
// GET /api/v1/people?q=&role=&limit=&offset=

import { api, withQuery } from '../../api.js';
import { h, replace, plural } from '../../dom.js';
import { ROLE_LABELS, roleLabel } from '../../labels.js';
import {
  pageTitle, breadcrumb, textField, selectField, table, rowHeader, pagination,
  liveRegion, buttonLink, loading,
} from '../../ui.js';

const PAGE_SIZE = 20;
const BASE = '#/annuaire/personnes';

export async function render(ctx) {
  const state = {
    q: ctx.query.get('q') || '',
    role: ctx.query.get('role') || '',
    page: Math.max(1, Number.parseInt(ctx.query.get('page') || '1', 10) || 1),
  };

  const q = textField({ label: 'Nom, identifiant ou courriel', name: 'q', type: 'search', value: state.q, autocomplete: 'off' });
  const role = selectField({
    label: 'Rôle', name: 'role', placeholder: 'Tous les rôles', value: state.role,
    options: Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label })),
  });
  const errors = liveRegion('alert');
  const status = h('p', { class: 'app-result-count', role: 'status', tabindex: '-1' });
  const results = h('div', { class: 'app-results' });

  const form = h('form', { role: 'search', class: 'app-filters fr-mb-4w', 'aria-label': 'Rechercher des personnes', novalidate: true },
    h('div', { class: 'fr-grid-row fr-grid-row--gutters fr-grid-row--bottom' },
      h('div', { class: 'fr-col-12 fr-col-md-5' }, q.group),
      h('div', { class: 'fr-col-12 fr-col-md-4' }, role.group),
      h('div', { class: 'fr-col-12 fr-col-md-3' },
        h('div', { class: 'app-filters__submit' },
          h('button', { class: 'fr-btn fr-icon-search-line fr-btn--icon-left', type: 'submit' }, 'Rechercher')))));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.q = q.control.value.trim();
    state.role = role.control.value;
    state.page = 1;
    go({ focusResults: false });
  });

  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Personnes' }]),
    h('div', { class: 'app-title-row' },
      pageTitle('Personnes'),
      buttonLink('Ajouter une personne', `${BASE}/nouvelle`, { icon: 'user-add-line' })),
    h('p', null, 'Les personnes de votre académie connues de Tutorat : comptes de l’annuaire académique et personnes ajoutées à la main.'),
    form, errors.node, status, results);

  /** Puts the search in the address (so back/forward and links work) and loads it. */
  function go({ focusResults }) {
    const hash = withQuery(BASE, { q: state.q, role: state.role, page: state.page > 1 ? state.page : '' });
    if (location.hash !== hash) history.pushState(null, '', hash);
    return load({ focusResults });
  }

  async function load({ focusResults }) {
    errors.clear();
    results.setAttribute('aria-busy', 'true');
    if (!results.firstChild) replace(results, loading());
    let data;
    try {
      data = await api.get(withQuery('/people', {
        q: state.q, role: state.role, limit: PAGE_SIZE, offset: (state.page - 1) * PAGE_SIZE,
      }));
    } catch (err) {
      if (!ctx.current) return;
      results.removeAttribute('aria-busy');
      results.replaceChildren();
      status.textContent = '';
      errors.error(err, 'La recherche n’a pas abouti');
      return;
    }
    if (!ctx.current) return;
    results.removeAttribute('aria-busy');
    showResults(data);
    if (focusResults) status.focus();
  }

  function showResults({ items = [], total = items.length }) {
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const first = (state.page - 1) * PAGE_SIZE + 1;
    const last = first + items.length - 1;
    const filtered = state.q || state.role;

    if (!items.length) {
      status.textContent = filtered ? 'Aucune personne ne correspond à votre recherche.' : 'Aucune personne pour le moment.';
      replace(results, filtered
        ? h('p', null, 'Vérifiez l’orthographe, essayez une partie du nom seulement, ou retirez le filtre de rôle.')
        : null);
      return;
    }
    status.textContent = pages > 1
      ? `${plural(total, 'personne trouvée', 'personnes trouvées')} — résultats ${first} à ${last}, page ${state.page} sur ${pages}.`
      : `${plural(total, 'personne trouvée', 'personnes trouvées')}.`;

    const caption = filtered ? `Personnes correspondant à la recherche${state.q ? ` « ${state.q} »` : ''}${state.role ? `, rôle ${roleLabel(state.role)}` : ''}` : 'Personnes de l’académie';
    replace(results,
      table({
        caption,
        columns: [{ label: 'Nom' }, { label: 'Identifiant' }, { label: 'Courriel' }, { label: 'Rôles' }],
        rows: items.map((person) => [
          rowHeader(h('a', { href: `${BASE}/${encodeURIComponent(person.id)}` }, person.display_name || person.username)),
          person.username,
          person.email || '—',
          (person.roles || []).length ? person.roles.map(roleLabel).join(', ') : '—',
        ]),
      }),
      pagination({
        page: state.page,
        pages,
        label: 'Pagination des personnes',
        href: (page) => withQuery(BASE, { q: state.q, role: state.role, page: page > 1 ? page : '' }),
        onGo: (page) => { state.page = page; go({ focusResults: true }); },
      }));
  }

  ctx.setTitle('Personnes');
  await load({ focusResults: false });
}
