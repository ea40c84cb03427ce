// DSFR building blocks shared by every screen: alerts, form fields with
// their error messages, tables, pagination, breadcrumb. Markup follows the
// DSFR 1.14 examples; all text goes through dom.js (textContent only).

import { h, replace, uid, srOnly } from './dom.js';
import { ApiError, describeError } from './api.js';

/**
 * A DSFR alert. type: error | success | info | warning.
 * The element carries no live role itself: put it inside a live region
 * (see liveRegion) so it is announced when it appears.
 */
export function alertBox(type, title, description) {
  return h('div', { class: ['fr-alert', `fr-alert--${type}`, title ? null : 'fr-alert--sm'] },
    title ? h('h3', { class: 'fr-alert__title' }, title) : null,
    description ? h('p', null, description) : null);
}

/**
 * A region that announces what is put in it: role="alert" (assertive) for
 * errors, role="status" (polite) for confirmations. It must be in the page
 * before its content changes, so screen readers pick the change up.
 */
export function liveRegion(kind = 'alert') {
  const region = h('div', { class: 'app-live', role: kind === 'alert' ? 'alert' : 'status', 'aria-live': kind === 'alert' ? 'assertive' : 'polite', 'aria-atomic': 'true' });
  return {
    node: region,
    show(type, title, description) { replace(region, alertBox(type, title, description)); },
    error(err, title = 'Une erreur est survenue') { replace(region, alertBox('error', title, typeof err === 'string' ? err : describeError(err))); },
    clear() { region.replaceChildren(); },
  };
}

/**
 * A DSFR text field (fr-input-group): label, optional hint, input, and a
 * messages zone referenced by aria-describedby. Returns
 * { group, control, setError(message), clearError() }.
 */
export function textField({ label, name, type = 'text', value = '', hint, required = false, autocomplete, id, attrs = {} }) {
  const inputId = id || uid(`champ-${name}`);
  const messagesId = `${inputId}-messages`;
  const control = h('input', {
    class: 'fr-input', id: inputId, name, type, autocomplete,
    'aria-describedby': messagesId, required: required ? true : null,
    'aria-required': required ? 'true' : null, ...attrs,
  });
  control.value = value ?? '';
  const group = h('div', { class: 'fr-input-group' },
    fieldLabel(inputId, label, hint, required),
    control,
    h('div', { class: 'fr-messages-group', id: messagesId, 'aria-live': 'polite' }));
  return withErrors(group, control, messagesId, 'fr-input-group--error', 'fr-input--error');
}

/**
 * A DSFR select (fr-select-group). options: [{ value, label }]; placeholder
 * adds a first empty option. Returns the same shape as textField, plus
 * setOptions(options, selected).
 */
export function selectField({ label, name, options = [], value = '', placeholder, hint, required = false, id }) {
  const selectId = id || uid(`champ-${name}`);
  const messagesId = `${selectId}-messages`;
  const control = h('select', {
    class: 'fr-select', id: selectId, name, 'aria-describedby': messagesId,
    required: required ? true : null, 'aria-required': required ? 'true' : null,
  });
  const group = h('div', { class: 'fr-select-group' },
    fieldLabel(selectId, label, hint, required),
    control,
    h('div', { class: 'fr-messages-group', id: messagesId, 'aria-live': 'polite' }));
  const field = withErrors(group, control, messagesId, 'fr-select-group--error', 'fr-select--error');
  field.setOptions = (list, selected = '') => {
    replace(control,
      placeholder !== undefined ? h('option', { value: '' }, placeholder) : null,
      list.map((o) => h('option', { value: o.value }, o.label)));
    control.value = selected ?? '';
    if (control.selectedIndex < 0) control.selectedIndex = 0;
  };
  field.setOptions(options, value);
  return field;
}

/** A single DSFR checkbox. Returns { group, control }. */
export function checkboxField({ label, name, checked = false, hint }) {
  const inputId = uid(`champ-${name}`);
  const control = h('input', { type: 'checkbox', id: inputId, name });
  control.checked = Boolean(checked);
  const group = h('div', { class: 'fr-fieldset__element' },
    h('div', { class: 'fr-checkbox-group' },
      control,
      h('label', { class: 'fr-label', for: inputId }, label,
        hint ? h('span', { class: 'fr-hint-text' }, hint) : null)));
  return { group, control, setError() {}, clearError() {} };
}

function fieldLabel(forId, label, hint, required) {
  return h('label', { class: 'fr-label', for: forId },
    label,
    required ? h('span', { class: 'app-required' }, ' (obligatoire)') : null,
    hint ? h('span', { class: 'fr-hint-text' }, hint) : null);
}

function withErrors(group, control, messagesId, groupErrorClass, controlErrorClass) {
  const messages = group.querySelector('.fr-messages-group');
  // An error said about a field goes once the person changes it: an old
  // message beside a corrected value reads as a new refusal.
  const fixed = () => {
    if (control.getAttribute('aria-invalid') !== 'true') return;
    group.classList.remove(groupErrorClass);
    control.classList.remove(controlErrorClass);
    control.removeAttribute('aria-invalid');
    messages.replaceChildren();
  };
  control.addEventListener('input', fixed);
  control.addEventListener('change', fixed);
  return {
    group,
    control,
    setError(message) {
      group.classList.add(groupErrorClass);
      control.classList.add(controlErrorClass);
      control.setAttribute('aria-invalid', 'true');
      replace(messages, h('p', { class: 'fr-message fr-message--error', id: `${messagesId}-erreur` }, message));
    },
    clearError() {
      group.classList.remove(groupErrorClass);
      control.classList.remove(controlErrorClass);
      control.removeAttribute('aria-invalid');
      messages.replaceChildren();
    },
  };
}

/**
 * Shows a failed submission on a form: a 422 naming a known field puts
 * the message under that field and focuses it; anything else goes to the
 * form's live region. fields: { apiFieldName: field }.
 */
export function showFormError(err, fields, region, title = 'L’enregistrement n’a pas abouti') {
  const field = err instanceof ApiError && err.field ? fields[err.field] : null;
  if (field && (err.status === 422 || err.status === 409)) {
    region.clear();
    field.setError(err.detail || 'Valeur invalide.');
    field.control.focus();
    return;
  }
  region.error(err, title);
  focusRegion(region);
}

/** Clears every field error of a form. */
export function clearFormErrors(fields) {
  for (const field of Object.values(fields)) field.clearError();
}

/**
 * Checks the required fields that are empty, marks them, focuses the first.
 * Returns true when the form may be sent.
 */
export function checkRequired(fields) {
  let first = null;
  for (const field of Object.values(fields)) {
    const control = field.control;
    if (control.required && !String(control.value).trim()) {
      field.setError('Ce champ est obligatoire.');
      first ??= control;
    }
  }
  if (first) first.focus();
  return first === null;
}

/** Moves focus to an alert that was just shown, so it is seen and read. */
export function focusRegion(region) {
  const alert = region.node.firstElementChild;
  if (!alert) return;
  alert.setAttribute('tabindex', '-1');
  alert.focus();
}

/**
 * A DSFR table. columns: [{ label, className? }], rows: arrays of cells
 * (strings or nodes). The caption names the table, and its scrolling
 * region, for screen readers.
 */
export function table({ caption, columns, rows, id }) {
  // The container scrolls sideways on a phone or at 200 % zoom: a named
  // region in the tab order, so it scrolls with the keyboard too.
  const name = typeof caption === 'string' ? caption : caption?.textContent;
  return h('div', { class: 'fr-table app-table', id },
    h('div', { class: 'fr-table__wrapper' },
      h('div', { class: 'fr-table__container', tabindex: '0', role: 'region', 'aria-label': name || null },
        h('div', { class: 'fr-table__content' },
          h('table', null,
            h('caption', null, caption),
            h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.className }, c.label)))),
            h('tbody', null, rows.map((cells) => h('tr', null,
              cells.map((cell, i) => (i === 0 && cell instanceof Node && cell.tagName === 'TH')
                ? cell : h('td', { class: columns[i]?.className }, cell))))))))));
}

/** A row header cell (first column names the row). */
export function rowHeader(...children) {
  return h('th', { scope: 'row' }, children);
}

/**
 * DSFR pagination. page is 1-based; href(page) gives each link; onGo(page,
 * event) (optional) is called on click instead of following the link.
 */
export function pagination({ page, pages, href, onGo, label = 'Pagination' }) {
  if (pages <= 1) return null;
  const link = (target, text, extraClass, title) => {
    const disabled = target < 1 || target > pages || target === page;
    const attrs = { class: ['fr-pagination__link', extraClass], title };
    if (target === page && !extraClass) {
      return h('a', { ...attrs, 'aria-current': 'page', href: href(page) }, text);
    }
    if (disabled) return h('a', { ...attrs, 'aria-disabled': 'true', role: 'link' }, text);
    return h('a', {
      ...attrs, href: href(target),
      on: onGo ? { click: (event) => { event.preventDefault(); onGo(target, event); } } : undefined,
    }, text);
  };
  const numbers = pageNumbers(page, pages).map((n) => (n === null
    ? h('li', null, h('span', { class: 'fr-pagination__link fr-hidden fr-unhidden-lg' }, '…'))
    : h('li', null, link(n, String(n), null, `Page ${n}`))));
  return h('nav', { role: 'navigation', class: 'fr-pagination fr-mt-3w', 'aria-label': label },
    h('ul', { class: 'fr-pagination__list' },
      h('li', null, link(1, 'Première page', 'fr-pagination__link--first', 'Première page')),
      h('li', null, link(page - 1, 'Page précédente', 'fr-pagination__link--prev fr-pagination__link--lg-label', 'Page précédente')),
      numbers,
      h('li', null, link(page + 1, 'Page suivante', 'fr-pagination__link--next fr-pagination__link--lg-label', 'Page suivante')),
      h('li', null, link(pages, 'Dernière page', 'fr-pagination__link--last', 'Dernière page'))));
}

/** 1 … 4 5 6 … 20: the page numbers to show, null for an ellipsis. */
function pageNumbers(page, pages) {
  const wanted = new Set([1, pages, page - 1, page, page + 1]);
  const list = [...wanted].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const out = [];
  for (const n of list) {
    if (out.length && n - out[out.length - 1] > 1) out.push(null);
    out.push(n);
  }
  return out;
}

/** DSFR breadcrumb: items [{ label, href }], the last one is the current page. */
export function breadcrumb(items) {
  const id = uid('fil-ariane');
  return h('nav', { role: 'navigation', class: 'fr-breadcrumb', 'aria-label': 'vous êtes ici :' },
    h('button', { class: 'fr-breadcrumb__button', type: 'button', 'aria-expanded': 'false', 'aria-controls': id }, 'Voir le fil d’Ariane'),
    h('div', { class: 'fr-collapse', id },
      h('ol', { class: 'fr-breadcrumb__list' },
        items.map((item, i) => h('li', null,
          i === items.length - 1
            ? h('a', { class: 'fr-breadcrumb__link', 'aria-current': 'page' }, item.label)
            : h('a', { class: 'fr-breadcrumb__link', href: item.href }, item.label))))));
}

/** The page title of a view: an h1 the router focuses after navigation. */
export function pageTitle(text) {
  return h('h1', { class: 'app-view-title', tabindex: '-1' }, text);
}

/** "Chargement…" placeholder, announced politely. */
export function loading(text = 'Chargement…') {
  return h('p', { class: 'app-loading', role: 'status' }, text);
}

/** A button that says what it does; extra text for screen readers only. */
export function button(label, { kind = 'primary', icon, type = 'button', onClick, srSuffix, size, attrs = {} } = {}) {
  return h('button', {
    type,
    class: ['fr-btn', kind !== 'primary' ? `fr-btn--${kind}` : null, size ? `fr-btn--${size}` : null,
      icon ? `fr-icon-${icon}` : null, icon ? 'fr-btn--icon-left' : null],
    on: onClick ? { click: onClick } : undefined,
    ...attrs,
  }, label, srSuffix ? srOnly(` ${srSuffix}`) : null);
}

/** A link styled as a DSFR button. */
export function buttonLink(label, href, { kind = 'primary', icon, srSuffix, size } = {}) {
  return h('a', {
    href,
    class: ['fr-btn', kind !== 'primary' ? `fr-btn--${kind}` : null, size ? `fr-btn--${size}` : null,
      icon ? `fr-icon-${icon}` : null, icon ? 'fr-btn--icon-left' : null],
  }, label, srSuffix ? srOnly(` ${srSuffix}`) : null);
}

/** A DSFR button group (fr-btns-group). */
export function buttonGroup(buttons, { inline = true, extra } = {}) {
  return h('ul', { class: ['fr-btns-group', inline ? 'fr-btns-group--inline-md' : null, extra] },
    buttons.filter(Boolean).map((b) => h('li', null, b)));
}

/** Sets a button busy while a request runs (disabled + aria-busy). */
export async function whileBusy(btn, fn) {
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
  }
}

// A message to show on the next screen ("La personne a été ajoutée.").
let flash = null;

/** Keeps a confirmation for the view shown after a navigation. */
export function setFlash(type, text) {
  flash = { type, text };
}

/**
 * Shows the pending flash message, if any, in a status region of `root`.
 * The text is inserted a moment after the region, so screen readers
 * announce it.
 */
export function showFlash(region) {
  if (!flash) return;
  const { type, text } = flash;
  flash = null;
  setTimeout(() => region.show(type, null, text), 150);
}

/** A DSFR textarea field with the same shape as textField. */
export function textareaField({ label, name, value = '', hint, required = false, rows = 5, id, attrs = {} }) {
  const inputId = id || uid(`champ-${name}`);
  const messagesId = `${inputId}-messages`;
  const control = h('textarea', {
    class: 'fr-input', id: inputId, name, rows: String(rows), 'aria-describedby': messagesId,
    required: required ? true : null, 'aria-required': required ? 'true' : null, ...attrs,
  });
  control.value = value ?? '';
  const group = h('div', { class: 'fr-input-group' },
    h('label', { class: 'fr-label', for: inputId }, label,
      required ? h('span', { class: 'app-required' }, ' (obligatoire)') : null,
      hint ? [' ', h('span', { class: 'fr-hint-text' }, hint)] : null),
    control,
    h('div', { class: 'fr-messages-group', id: messagesId, 'aria-live': 'polite' }));
  return withErrors(group, control, messagesId, 'fr-input-group--error', 'fr-input--error');
}

/** A read-only multi-line text (keeps the line breaks through CSS). */
export function textBlock(text, empty = 'Non renseigné.') {
  if (text === null || text === undefined || String(text).trim() === '') {
    return h('p', { class: 'app-empty' }, empty);
  }
  return h('p', { class: 'app-prewrap' }, String(text));
}

/** table() whose cells wrap their text (DSFR fr-table--multiline). */
export function wrapTable(options) {
  const node = table(options);
  node.classList.add('fr-table--multiline');
  return node;
}
