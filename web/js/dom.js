// Tiny DOM helpers. User data only ever becomes text nodes: there is no
// innerHTML anywhere in web/, so a display name like "<img onerror=…>" is
// shown as typed, never parsed.

/**
 * Builds an element.
 *   h('a', { href: '#/x', class: 'fr-link' }, 'Texte', otherNode)
 * attrs: `class` (string or array), `dataset` (object), `on` ({event: fn}),
 * boolean attributes (true sets, false/null/undefined omits), anything else
 * through setAttribute. Children: strings/numbers become text nodes, nodes
 * are appended, arrays are flattened, null/undefined/false are skipped.
 */
export function h(tag, attrs = null, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') {
        el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
      } else if (name === 'dataset') {
        Object.assign(el.dataset, value);
      } else if (name === 'on') {
        for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
      } else if (name === 'style' || name.startsWith('on')) {
        // Inline styles and inline handlers are refused by the CSP anyway.
        throw new Error(`h(): attribut interdit ${name}`);
      } else if (value === true) {
        el.setAttribute(name, '');
      } else {
        el.setAttribute(name, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

/** Appends children (same rules as h) to a node and returns it. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces all the children of a node. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** Text for screen readers only (DSFR fr-sr-only). */
export function srOnly(text) {
  return h('span', { class: 'fr-sr-only' }, text);
}

/** A DSFR icon span, hidden from assistive technologies. */
export function icon(name) {
  return h('span', { class: `fr-icon-${name}`, 'aria-hidden': 'true' });
}

let sequence = 0;
/** A unique id for label/for and aria-describedby pairs. */
export function uid(prefix = 'id') {
  sequence += 1;
  return `${prefix}-${sequence}`;
}

/** French plural helper: plural(3, 'personne') → "3 personnes". */
export function plural(n, singular, pluralForm = `${singular}s`) {
  return `${n.toLocaleString('fr-FR')} ${n > 1 ? pluralForm : singular}`;
}
