// One list screen, for every module: a filter form whose state lives in the
// address (so back/forward, reload and shared links keep it), one page of
// results fetched from the API with its total, the count announced to
// screen readers, DSFR pagination usable with the keyboard, and the
// loading, error and empty states. The view gives the filters, the call
// and how a page of items looks.

import { withQuery } from './api.js';
import { h, replace, plural } from './dom.js';
import { liveRegion, loading, pagination } from './ui.js';

/** The page number of the address (`page`, 1 when absent or wrong). */
export function pageFrom(query) {
  return Math.max(1, Number.parseInt(query.get('page') || '1', 10) || 1);
}

/**
 * Builds a list. Returns { form, node, state, load, go, hashFor }: put
 * `form` and `node` (errors, count, results) in the page, then
 * `await list.load()`.
 *
 * options:
 *   base         the hash of the screen (« #/annuaire/personnes »)
 *   pageSize     rows per page
 *   filters      [{ name, field, width, fallback }]: `name` is the key of the
 *                filter in the address and in `state`; `field` a ui.textField
 *                or ui.selectField; `width` its columns (of 12) from tablets
 *                up; `fallback` its value when the address has none (left
 *                out of the address when chosen, '' by default)
 *   formLabel    the accessible name of the search form
 *   submitLabel  its button (« Rechercher »)
 *   fetch(filters, { limit, offset }) → { items, total } (filters: name → value)
 *   show(items, state) → the node(s) showing one page (a table, cards…)
 *   count(total) → « 12 personnes trouvées » (default « 12 résultats »)
 *   empty(state, filtered) → { text, hint }: what to say when nothing matches
 *                (filtered: some filter differs from its fallback)
 *   pagerLabel   the accessible name of the pagination
 *   errorTitle   the title of the alert when a page cannot be loaded
 */
export function listView(ctx, {
  base, pageSize, filters = [], formLabel, submitLabel = 'Rechercher', fetch, show,
  count = (total) => plural(total, 'résultat'),
  empty = () => ({ text: 'Aucun résultat.' }),
  pagerLabel = 'Pagination', errorTitle = 'La liste n’a pas pu être chargée',
}) {
  const state = { page: pageFrom(ctx.query) };
  for (const filter of filters) {
    const { control } = filter.field;
    control.value = ctx.query.get(filter.name) ?? filter.fallback ?? '';
    // A select shows nothing for a value it does not offer: take its first.
    if (control.tagName === 'SELECT' && control.selectedIndex < 0) control.selectedIndex = 0;
    state[filter.name] = control.value;
  }

  const errors = liveRegion('alert');
  const status = h('p', { class: 'app-result-count', role: 'status', tabindex: '-1' });
  const results = h('div', { class: 'app-results' });
  const used = filters.reduce((sum, f) => sum + (f.hidden ? 0 : f.width || 4), 0);
  const form = h('form', { role: 'search', class: 'app-filters fr-mb-4w', 'aria-label': formLabel, novalidate: true },
    h('div', { class: 'fr-grid-row fr-grid-row--gutters fr-grid-row--bottom' },
      filters.map((f) => (f.hidden ? f.field.control : h('div', { class: `fr-col-12 fr-col-md-${f.width || 4}` }, f.field.group))),
      h('div', { class: `fr-col-12 fr-col-md-${Math.max(3, 12 - used)}` },
        h('div', { class: 'app-filters__submit' },
          h('button', { class: 'fr-btn fr-icon-search-line fr-btn--icon-left', type: 'submit' }, submitLabel)))));

  const filterValues = () => Object.fromEntries(filters.map((f) => [f.name, state[f.name]]));
  const filtered = () => filters.some((f) => state[f.name] !== (f.fallback ?? ''));

  /** The address of a page of the current search (defaults left out). */
  function hashFor(page) {
    const params = {};
    for (const f of filters) params[f.name] = state[f.name] !== (f.fallback ?? '') ? state[f.name] : '';
    params.page = page > 1 ? page : '';
    return withQuery(base, params);
  }

  let latest = 0;
  /**
   * Loads the page of `state` and shows it. focus: move the focus to the
   * count afterwards (after a page change, whose link is gone).
   */
  async function load({ focus = false } = {}) {
    const ticket = ++latest;
    errors.clear();
    results.setAttribute('aria-busy', 'true');
    if (!results.firstChild) replace(results, loading());
    let data;
    try {
      data = await fetch(filterValues(), { limit: pageSize, offset: (state.page - 1) * pageSize });
    } catch (err) {
      if (!ctx.current || ticket !== latest) return;
      results.removeAttribute('aria-busy');
      results.replaceChildren();
      status.textContent = '';
      errors.error(err, errorTitle);
      return;
    }
    if (!ctx.current || ticket !== latest) return;
    const items = data?.items || [];
    const total = data?.total ?? items.length;
    const pages = Math.max(1, Math.ceil(total / pageSize));
    if (!items.length && total > 0 && state.page > pages) {
      // A page past the end (an old link, rows removed since): the last one.
      state.page = pages;
      history.replaceState(null, '', hashFor(state.page));
      await load({ focus });
      return;
    }
    results.removeAttribute('aria-busy');
    if (!items.length) {
      const { text, hint } = empty(state, filtered());
      status.textContent = text;
      replace(results, hint ? h('p', null, hint) : null);
    } else {
      const first = (state.page - 1) * pageSize + 1;
      status.textContent = pages > 1
        ? `${count(total)} — résultats ${first} à ${first + items.length - 1}, page ${state.page} sur ${pages}.`
        : `${count(total)}.`;
      replace(results, show(items, state), pagination({
        page: state.page, pages, label: pagerLabel, href: hashFor,
        onGo: (page) => { state.page = page; go({ focus: true }); },
      }));
    }
    if (focus) status.focus();
  }

  /** Puts the search in the address (one history entry) and loads it. */
  function go({ focus = false } = {}) {
    const hash = hashFor(state.page);
    if (location.hash !== hash) history.pushState(null, '', hash);
    return load({ focus });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const f of filters) {
      const value = f.field.control.value;
      state[f.name] = typeof value === 'string' ? value.trim() : value;
    }
    state.page = 1;
    go();
  });

  return { form, node: h('div', { class: 'app-list' }, errors.node, status, results), state, load, go, hashFor };
}
