// Pickers of the enrolment forms: a person holding a role, a school. Each
// is a search field that filters a select (both labelled), fed by the
// annuaire: GET /api/v1/people?role=&q= and GET /api/v1/structures?kind=&q=.

import { api, withQuery, describeError } from '../../api.js';
import { h, replace, uid } from '../../dom.js';

/**
 * options: label, required, hint, searchLabel, load(q) → [{ value, label }],
 * initial ({ value, label }) kept as an option even when a search leaves it out.
 * Returns { group, control (the select), search, setError, clearError, ready }.
 */
export function picker({ label, required = false, hint, searchLabel, load, initial = null, placeholder = 'Sélectionner' }) {
  const base = uid('choix');
  const selectId = `${base}-liste`;
  const searchId = `${base}-recherche`;
  const messagesId = `${base}-messages`;
  const search = h('input', { class: 'fr-input', type: 'search', id: searchId, autocomplete: 'off', 'aria-describedby': `${base}-compte` });
  const count = h('p', { class: 'fr-hint-text fr-mt-1v fr-mb-1w', id: `${base}-compte`, 'aria-live': 'polite' });
  const control = h('select', {
    class: 'fr-select', id: selectId, 'aria-describedby': messagesId,
    required: required ? true : null, 'aria-required': required ? 'true' : null,
  });
  const messages = h('div', { class: 'fr-messages-group', id: messagesId, 'aria-live': 'polite' });
  const group = h('div', { class: 'fr-select-group app-picker' },
    h('label', { class: 'fr-label', for: selectId }, label,
      required ? h('span', { class: 'app-required' }, ' (obligatoire)') : null,
      hint ? [' ', h('span', { class: 'fr-hint-text' }, hint)] : null),
    h('div', { class: 'app-picker__search' },
      h('label', { class: 'fr-label fr-text--sm', for: searchId }, searchLabel || `Filtrer la liste « ${label} »`),
      search, count),
    control, messages);

  let ticket = 0;
  let timer = null;
  async function refresh() {
    const mine = ++ticket;
    const keep = control.value || (initial ? String(initial.value) : '');
    let options;
    try {
      options = await load(search.value.trim());
    } catch (err) {
      if (mine !== ticket) return;
      count.textContent = `La liste n’a pas pu être chargée. ${describeError(err)}`;
      return;
    }
    if (mine !== ticket) return;
    const list = [...options];
    if (initial && !list.some((o) => String(o.value) === String(initial.value))) list.unshift(initial);
    replace(control, h('option', { value: '' }, placeholder), list.map((o) => h('option', { value: String(o.value) }, o.label)));
    control.value = list.some((o) => String(o.value) === keep) ? keep : '';
    count.textContent = options.length ? `${options.length} résultat${options.length > 1 ? 's' : ''} dans la liste ci-dessous.` : 'Aucun résultat : modifiez le filtre.';
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
    group, control, search, ready,
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

/** A person holding `role` (people of the académie). */
export function personPicker({ label, role, required, hint, initial }) {
  return picker({
    label, required, hint, searchLabel: 'Filtrer par nom ou identifiant',
    initial: initial ? { value: initial.id, label: initial.display_name || initial.username } : null,
    load: async (q) => {
      const { items = [] } = await api.get(withQuery('/people', { role, q, limit: 50 }));
      return items.filter((p) => p.active !== false).map((p) => ({ value: p.id, label: p.username ? `${p.display_name || p.username} (${p.username})` : p.display_name }));
    },
  });
}

/** A school or établissement (UAI code). */
export function schoolPicker({ label = 'École ou établissement', required, initial }) {
  return picker({
    label, required, searchLabel: 'Filtrer par nom, commune ou code UAI',
    initial: initial ? { value: initial.id, label: initial.code ? `${initial.name} (${initial.code})` : initial.name } : null,
    load: async (q) => {
      const { items = [] } = await api.get(withQuery('/structures', { kind: 'school', q, limit: 100 }));
      return items.map((s) => ({ value: s.id, label: s.code ? `${s.name} (${s.code})` : s.name }));
    },
  });
}
