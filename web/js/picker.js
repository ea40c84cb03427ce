// Pickers: choose one record among many (a person holding a role, a
// structure of a kind) with a search field that filters a select, both
// labelled. The select holds one page of the API's answer; its total says
// when there are more, and the search narrows them down: a long list is
// searched, never cut short in silence.
// GET /api/v1/people?role=&q=&limit= and GET /api/v1/structures?kind=&q=&limit=.
// A person picker whose search finds no one offers the académie's
// directory (GET /api/v1/directory/people?q=): choosing an entry there
// creates the person in the service (POST /api/v1/directory/people) and
// selects them.

import { api, withQuery, describeError, ApiError } from './api.js';
import { h, replace, uid, plural } from './dom.js';
import { personLabel, structureLabel } from './format.js';

const PAGE = 50;

/**
 * options: label, required, hint, searchLabel, placeholder,
 * load(q) → { options: [{ value, label }], total } (one page of matches),
 * initial ({ value, label }) kept as an option even when a search leaves it out.
 * Returns { group, control (the select), search, ready, refresh() (resolves
 * to { options, total }, or undefined when a later search overtook it or
 * the load failed), setLabel(text), setError, clearError, selectedLabel(),
 * choose({ value, label }) (adds the option if needed and selects it) }.
 * onResult(q, { options, total }): called after each search (or undefined
 * when the load failed).
 */
export function picker({ label, required = false, hint, searchLabel, load, initial = null, placeholder = 'Sélectionner', onResult }) {
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
      onResult?.(search.value.trim(), undefined);
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
    onResult?.(search.value.trim(), { options, total });
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
    choose({ value, label: text }) {
      const v = String(value);
      let option = [...control.options].find((o) => o.value === v);
      if (!option) {
        option = h('option', { value: v }, text);
        control.append(option);
      }
      control.value = v;
      control.dispatchEvent(new Event('change', { bubbles: true }));
    },
  };
}

/** The directory's description of an entry: « Hugo Fabre (hfabre, hugo.fabre@…) ». */
function entryLabel(e) {
  return `${e.display_name} (${[e.username, e.email].filter(Boolean).join(', ')})`;
}

/**
 * The académie's directory, offered under a person picker when its search
 * found no one: a button searches the directory for the same text, and
 * each entry found has a button that creates (or updates) the person in
 * the service and selects them in the picker.
 */
function directorySearch(pick) {
  const base = uid('annuaire');
  const status = h('p', { class: 'fr-hint-text fr-mt-1v', id: `${base}-etat`, 'aria-live': 'polite' });
  const list = h('ul', { class: 'app-directory__list', 'aria-labelledby': `${base}-etat` });
  const go = h('button', { type: 'button', class: 'fr-btn fr-btn--tertiary fr-btn--sm fr-icon-search-line fr-btn--icon-left' },
    'Rechercher dans l’annuaire de l’académie');
  const node = h('div', { class: 'app-directory', hidden: true }, go, status, list);
  let query = '';

  async function choose(entry, btn) {
    btn.disabled = true;
    status.textContent = `Ajout de ${entry.display_name}…`;
    try {
      const { id } = await api.post('/directory/people', { username: entry.username });
      pick.choose({ value: id, label: entryLabel(entry) });
      list.replaceChildren();
      status.textContent = `${entry.display_name} : ajouté depuis l’annuaire et sélectionné dans la liste.`;
      pick.control.focus();
    } catch (err) {
      btn.disabled = false;
      status.textContent = `${entry.display_name} n’a pas pu être ajouté. ${directoryError(err)}`;
    }
  }

  go.addEventListener('click', async () => {
    go.disabled = true;
    status.textContent = 'Recherche dans l’annuaire de l’académie…';
    list.replaceChildren();
    try {
      const { items = [], truncated } = await api.get(withQuery('/directory/people', { q: query }));
      if (!items.length) {
        status.textContent = `Aucune personne de l’annuaire de l’académie ne correspond à « ${query} ».`;
        return;
      }
      status.textContent = truncated
        ? `Les ${items.length} premières personnes de l’annuaire correspondant à « ${query} » : précisez la recherche pour trouver les autres.`
        : `${plural(items.length, 'personne')} de l’annuaire ${items.length > 1 ? 'correspondent' : 'correspond'} à « ${query} ».`;
      replace(list, items.map((entry) => {
        const btn = h('button', { type: 'button', class: 'fr-btn fr-btn--secondary fr-btn--sm' },
          `Choisir ${entryLabel(entry)}`);
        btn.addEventListener('click', () => choose(entry, btn));
        return h('li', null, btn, entry.active === false ? h('span', { class: 'fr-hint-text' }, ' Compte désactivé dans le service.') : null);
      }));
    } catch (err) {
      status.textContent = directoryError(err);
    } finally {
      go.disabled = false;
    }
  });

  return {
    node,
    /** After each search of the service's people: offered when it found no one. */
    update(q, result) {
      const offer = q.length >= 2 && result !== undefined && result.options.length === 0;
      if (q !== query) { list.replaceChildren(); status.textContent = ''; }
      query = q;
      node.hidden = !offer;
    },
  };
}

/** A failed directory call, said for the directory (not the whole service). */
function directoryError(err) {
  if (err instanceof ApiError && err.code === 'ldap_unavailable') return err.detail || 'L’annuaire de l’académie ne répond pas.';
  return describeError(err);
}

/**
 * A person holding `role` (active people of the académie). directory: when
 * the search finds no one, offer the académie's directory (for the screens
 * of those who may pick from it: admin, bureau des stages).
 */
export function personPicker({ label, role, required, hint, initial, directory = true }) {
  let fromDirectory = null;
  const pick = picker({
    label, required, hint, searchLabel: 'Filtrer par nom ou identifiant',
    initial: initial ? { value: initial.id, label: personLabel(initial) } : null,
    load: async (q) => {
      const { items = [], total } = await api.get(withQuery('/people', { role, q, limit: PAGE }));
      return { options: items.filter((p) => p.active !== false).map((p) => ({ value: p.id, label: personLabel(p) })), total };
    },
    onResult: (q, result) => fromDirectory?.update(q, result),
  });
  if (directory) {
    fromDirectory = directorySearch(pick);
    pick.control.before(fromDirectory.node);
  }
  return pick;
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
