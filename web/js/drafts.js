// What a person types in a long or precious form (a feedback, a trace, a
// bilan, a self-assessment) is kept on the device as they type, so that
// nothing is lost when the session expires, the connection drops or the
// tab closes: after signing in again, the same screen gives it back.
//
// One localStorage entry per person, académie and record
// (tutorat:brouillon:<académie>:<person>:<kind>:<record id>), holding the
// values of the form's named controls and the time of the last change. It
// is removed once the form is saved, and every entry of the person is
// removed when they sign out (app.js), since a device may be shared.

import { h } from './dom.js';
import { formatShort } from './format.js';

const PREFIX = 'tutorat:brouillon:';

/** The prefix of every draft of this person in this académie. */
export function draftPrefix(me) {
  return `${PREFIX}${me?.academy || ''}:${me?.id || me?.username || ''}:`;
}

/** The keys of the entries kept on this device that start with PREFIX. */
export function storedKeys(prefix) {
  const keys = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k && k.startsWith(prefix)) keys.push(k);
    }
  } catch { /* no storage: nothing kept */ }
  return keys;
}

/** The keys of the drafts this person keeps on this device. */
export function draftKeys(me) {
  return storedKeys(draftPrefix(me));
}

/**
 * A control's name as the draft knows it: the radios of levelRadios() get
 * a per-render suffix (« bilan-12-7 »), left out so the name is stable.
 */
function stableName(control) {
  return control.type === 'radio' ? control.name.replace(/-\d+$/, '') : control.name;
}

function controlsOf(container) {
  return [...container.querySelectorAll('input[name], textarea[name], select[name]')]
    .filter((c) => c.type !== 'file' && c.type !== 'hidden' && !c.readOnly && !c.disabled);
}

/** The values of the container's named controls: {name: value}. */
function snapshot(container) {
  const values = {};
  for (const c of controlsOf(container)) {
    const name = stableName(c);
    if (c.type === 'radio') {
      if (c.checked) values[name] = c.value;
      else if (!(name in values)) values[name] = null;
    } else if (c.type === 'checkbox') {
      values[name] = c.checked;
    } else {
      values[name] = c.value;
    }
  }
  return values;
}

function apply(container, values) {
  for (const c of controlsOf(container)) {
    const name = stableName(c);
    if (!(name in values)) continue;
    if (c.type === 'radio') c.checked = values[name] !== null && c.value === String(values[name]);
    else if (c.type === 'checkbox') c.checked = Boolean(values[name]);
    else c.value = values[name] ?? '';
  }
}

/**
 * Keeps the typing of the named controls inside `container` as a draft of
 * record `kind`/`id` for the signed-in person `me`. If a draft is found
 * that differs from what the form shows (the saved version), it is put
 * back into the form and a notice says so at the top of the container.
 * Returns { restored (bool), clear() } — call clear() once the form is
 * saved, so the saved version is what the next visit shows.
 */
export function keepDraft(container, me, kind, id) {
  const key = `${draftPrefix(me)}${kind}:${id}`;
  let stored = null;
  try {
    stored = JSON.parse(localStorage.getItem(key) || 'null');
  } catch { stored = null; }

  let restored = false;
  let notice = null;
  if (stored && stored.values && typeof stored.values === 'object') {
    const shown = snapshot(container);
    const differs = Object.keys(stored.values).some((name) => name in shown && String(shown[name] ?? '') !== String(stored.values[name] ?? ''));
    if (differs) {
      apply(container, stored.values);
      restored = true;
      notice = h('div', { class: 'fr-alert fr-alert--info fr-alert--sm fr-mb-2w app-draft-notice', role: 'status' },
        h('p', null, `Votre saisie non enregistrée${stored.at ? ` (${formatShort(stored.at)})` : ''} a été retrouvée sur cet appareil et remise dans le formulaire. Enregistrez-la pour la garder.`));
      container.prepend(notice);
    } else {
      try { localStorage.removeItem(key); } catch { /* ignore */ }
    }
  }

  const save = () => {
    try {
      localStorage.setItem(key, JSON.stringify({ at: new Date().toISOString(), values: snapshot(container) }));
    } catch { /* storage full or refused: the form still works */ }
  };
  container.addEventListener('input', save);
  container.addEventListener('change', save);

  return {
    restored,
    clear() {
      try { localStorage.removeItem(key); } catch { /* ignore */ }
      notice?.remove();
      notice = null;
    },
  };
}
