// Pickers: choose one record among many (a person holding a role, a
// structure of a kind) with a search field that filters a select, both
// labelled. The select holds one page of the API's answer; its total says
// when there are more, and the search narrows them down: a long list is
// searched, never cut short in silence.
// GET /api/v1/people?role=&q=&limit= and GET /api/v1/structures?kind=&q=&limit=.

import { api, withQuery, describeError } from './api.js';
import { h, replace, uid, plural } from './dom.js';
import { personLabel, structureLabel } from './format.js';

const PAGE = 50;

/**
 * options: label, required, hint, searchLabel, placeholder,
 * load(q) → { options: [{ value, label }], total } (one page of matches),
 * initial ({ value, label }) kept as an option even when a search leaves it out.
 * Returns { group, control (the select), search, ready, refresh() (resolves
 * to { options, total }, or undefined when a later search overtook it or
 * the load failed), setLabel(text), setError, clearError, selectedLabel() }.
 */
export function picker({ label, required = false, hint, searchLabel, load, initial = null, placeholder = 'Sélectionner' }) {
  const base = uid('choix');
  const selectId = `${base}-liste`;
  const searchId = `${base}-recherche`;
  const messagesId = `${base}-messages`;
  const search = h('input', { class: 'fr-input', type: 'search', id: searchId, autocomplete: 'off', 'aria-describedby': `${base}-compte` });
  const count = h('p', { class: 'fr-hint-text fr-mt-1v fr-mb-1w', id: `${base}-compte`, 'aria-live': 'polite' });
  const control = h('select', {
    class: 'fr-select', id: selectId, 'aria-describedby': `${base}-compte ${messagesId}`,
    required: required ? true : null, 'aria-required': required ? 'true' : null,
  });
  const messages = h('div', { class: 'fr-messages-group', id: messagesId, 'aria-live': 'polite' });
  const labelText = document.createTextNode(label);
  const filterText = document.createTextNode(searchLabel || `Filtrer la liste « ${label} »`);
  const group = h('div', { class: 'fr-select-group app-picker' },
    h('label', { class: 'fr-label', for: selectId }, labelText,
      required ? h('span', { class: 'app-required' }, ' (obligatoire)') : null,
      hint ? [' ', h('span', { class: 'fr-hint-text' }, hint)] : null),
    h('div', { class: 'app-picker__search' },
      h('label', { class: 'fr-label fr-text--sm', for: searchId }, filterText),
      search, count),
    control, messages);

  let ticket = 0;
  let timer = null;
  async function refresh() {
    const mine = ++ticket;
    const keep = control.value || (initial ? String(initial.value) : '');
    let page;
    try {
      page = await load(search.value.trim());
    } catch (err) {
      if (mine !== ticket) return;
      count.textContent = `La liste n’a pas pu être chargée. ${describeError(err)}`;
      return;
    }
    if (mine !== ticket) return;
    const { options, total = options.length } = page;
    const list = [...options];
    if (initial && !list.some((o) => String(o.value) === String(initial.value))) list.unshift(initial);
    replace(control, h('option', { value: '' }, placeholder), list.map((o) => h('option', { value: String(o.value) }, o.label)));
    control.value = list.some((o) => String(o.value) === keep) ? keep : '';
    if (!options.length) count.textContent = 'Aucun résultat : modifiez le filtre.';
    else if (total > options.length) count.textContent = `${plural(total, 'résultat')} : les ${options.length} premiers sont dans la liste ci-dessous. Précisez le filtre pour trouver les autres.`;
    else count.textContent = `${plural(total, 'résultat')} dans la liste ci-dessous.`;
    return { options, total };
  }
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { event.preventDefault(); clearTimeout(timer); refresh(); }
  });
  const ready = refresh();
  return {
    group, control, search, ready, refresh,
    setLabel(text, filterLabel) {
      labelText.textContent = text;
      filterText.textContent = filterLabel || `Filtrer la liste « ${text} »`;
    },
    setError(message) {
      group.classList.add('fr-select-group--error');
      control.classList.add('fr-select--error');
      control.setAttribute('aria-invalid', 'true');
      replace(messages, h('p', { class: 'fr-message fr-message--error' }, message));
    },
    clearError() {
      group.classList.remove('fr-select-group--error');
      control.classList.remove('fr-select--error');
      control.removeAttribute('aria-invalid');
      messages.replaceChildren();
    },
    selectedLabel() { return control.selectedOptions[0]?.textContent || ''; },
  };
}

/** A person holding `role` (active people of the académie). */
export function personPicker({ label, role, required, hint, initial }) {
  return picker({
    label, required, hint, searchLabel: 'Filtrer par nom ou identifiant',
    initial: initial ? { value: initial.id, label: personLabel(initial) } : null,
    load: async (q) => {
      const { items = [], total } = await api.get(withQuery('/people', { role, q, limit: PAGE }));
      return { options: items.filter((p) => p.active !== false).map((p) => ({ value: p.id, label: personLabel(p) })), total };
    },
  });
}

/**
 * A structure of a kind: kind is a code (« school ») or a function giving
 * it, for a picker whose kind follows another field (call refresh() when it
 * changes). exclude: an id never offered (the structure being edited).
 */
export function structurePicker({ label, kind, required, hint, initial, searchLabel = 'Filtrer par nom ou code', exclude }) {
  return picker({
    label, required, hint, searchLabel,
    initial: initial ? { value: initial.id, label: structureLabel(initial) } : null,
    load: async (q) => {
      const wanted = typeof kind === 'function' ? kind() : kind;
      if (!wanted) return { options: [], total: 0 };
      const { items = [], total } = await api.get(withQuery('/structures', { kind: wanted, q, limit: PAGE }));
      const shown = items.filter((s) => exclude === undefined || String(s.id) !== String(exclude));
      return { options: shown.map((s) => ({ value: s.id, label: structureLabel(s) })), total: total - (items.length - shown.length) };
    },
  });
}

/** A school or établissement (UAI code). */
export function schoolPicker({ label = 'École ou établissement', required, initial }) {
  return structurePicker({ label, kind: 'school', required, initial, searchLabel: 'Filtrer par nom, commune ou code UAI' });
}
