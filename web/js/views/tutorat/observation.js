// « Notes d'observation »: a large text area a tutor types in during a
// visit, on a tablet or a phone, with a connection that may come and go.
//
// - every keystroke is copied at once to localStorage (keyed by académie,
//   user and follow-up), so nothing typed is lost: not by a lost
//   connection, not by a closed tab, not by a reload;
// - the text is sent every few seconds while it changes, and when the
//   field loses focus (PUT /followups/{id}/observation with If-Match);
// - on reload, a local copy that was never sent is put back, and the page
//   says so;
// - a 412 (the other tutor saved notes meanwhile) shows the server's text
//   beside the local one and lets the tutor choose; nothing is overwritten
//   silently.

import { ApiError } from '../../api.js';
import { h, replace } from '../../dom.js';
import { button } from '../../ui.js';
import { describeWriteError, formatShort } from './common.js';

const SAVE_EVERY_MS = 3000;

function storage() {
  try {
    const s = window.localStorage;
    const probe = '__tutorat_probe__';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

/**
 * A local copy left behind (never sent) for notes that can no longer be
 * edited (the entretien is done, or the follow-up cancelled): returns a
 * warning block showing it, with a button to drop it, or null.
 */
export function leftoverCopy(key, serverText) {
  const store = storage();
  if (!store) return null;
  let local = null;
  try { local = JSON.parse(store.getItem(key) || 'null'); } catch { local = null; }
  if (!local || typeof local.text !== 'string') return null;
  if (local.text === (serverText ?? '')) { store.removeItem(key); return null; }
  const copy = h('textarea', { class: 'fr-input', rows: '6', readonly: true, id: `copie-locale-${Math.random().toString(36).slice(2, 8)}` });
  copy.value = local.text;
  const box = h('div', { class: 'fr-alert fr-alert--warning fr-mb-2w' },
    h('h3', { class: 'fr-alert__title' }, 'Des notes jamais enregistrées sont restées sur cet appareil'),
    h('p', null, 'Ces notes n’ont pas pu être envoyées avant que la visite ne soit close. Copiez ce qui doit être gardé (par exemple dans l’entretien ou la trace), puis supprimez cette copie.'),
    h('label', { class: 'fr-label fr-mt-1w', for: copy.id }, 'Notes gardées sur cet appareil'), copy,
    button('Supprimer la copie locale', {
      kind: 'secondary', size: 'sm',
      onClick: () => { try { store.removeItem(key); } catch { /* ignore */ } box.remove(); },
    }));
  return box;
}

/** The localStorage key of a follow-up's unsent notes. */
export function observationKey(me, followupId) {
  return `tutorat:observation:${me.academy || ''}:${me.id || me.username || ''}:${followupId}`;
}

function timeNow() {
  return new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date());
}

/**
 * Builds the editor. Options:
 *   key            localStorage key (observationKey)
 *   text           the notes on the server now
 *   send(text, extra) → Promise: PUT with the current version (the page keeps it)
 *   fetchCurrent() → Promise<{ text, version }>: the server's notes now
 *   adoptVersion(version): the page's version becomes this one
 *   label, hint    of the field
 *   isCurrent()    false once the user left the view (stops the timer)
 * Returns { node, flush(), dispose(), markHeld(extraFields) , textarea }.
 */
export function observationEditor({ key, text, send, fetchCurrent, adoptVersion, label, hint, isCurrent, rows = 14 }) {
  const store = storage();
  const id = `notes-observation-${Math.random().toString(36).slice(2, 8)}`;
  const textarea = h('textarea', {
    class: 'fr-input app-notes', id, name: 'observation_notes', rows: String(rows),
    'aria-describedby': `${id}-aide ${id}-etat`, spellcheck: 'true', autocapitalize: 'sentences',
  });
  const indicator = h('p', { class: 'app-autosave fr-text--sm fr-mb-0', id: `${id}-etat` });
  const announce = h('div', { class: 'app-live', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const alerts = h('div', { class: 'app-live', role: 'alert', 'aria-live': 'assertive', 'aria-atomic': 'true' });
  const conflictZone = h('div');

  let synced = text ?? '';        // what the server has, as far as we know
  let dirty = false;
  let saving = null;              // the promise of the save in flight
  let paused = false;             // a conflict waits for the tutor's choice
  let offline = false;
  let timer = null;

  function readLocal() {
    if (!store) return null;
    try {
      const raw = store.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch {
      return null;
    }
  }
  function writeLocal() {
    if (!store) return;
    try {
      store.setItem(key, JSON.stringify({ text: textarea.value, base: synced, at: new Date().toISOString() }));
    } catch { /* quota: the server copy is the only one */ }
  }
  function clearLocal() {
    if (store) try { store.removeItem(key); } catch { /* ignore */ }
  }

  function show(kind, message) {
    indicator.className = `app-autosave app-autosave--${kind} fr-text--sm fr-mb-0`;
    indicator.textContent = message;
  }
  function say(type, message) {
    const node = h('div', { class: ['fr-alert', `fr-alert--${type}`, 'fr-alert--sm', 'fr-mt-1w'] }, h('p', null, message));
    if (type === 'error' || type === 'warning') {
      announce.replaceChildren();
      replace(alerts, node);
    } else {
      alerts.replaceChildren();
      replace(announce, node);
    }
  }
  function quiet() {
    announce.replaceChildren();
    alerts.replaceChildren();
  }

  function onInput() {
    dirty = true;
    writeLocal();
    if (!paused) show('pending', offline ? 'Hors connexion : notes gardées sur cet appareil.' : 'Modifications non encore enregistrées…');
    schedule();
  }
  function schedule() {
    if (timer) return;
    timer = setInterval(tick, SAVE_EVERY_MS);
  }
  function stopTimer() {
    if (timer) clearInterval(timer);
    timer = null;
  }
  function tick() {
    if (isCurrent && !isCurrent()) { stopTimer(); return; }
    if (!dirty && !saving) { stopTimer(); return; }
    if (!saving && !paused) save();
  }

  /** Sends the text now; resolves when done (or failed and kept locally). */
  function save(extra) {
    if (saving) return saving.then(() => (dirty || extra ? save(extra) : undefined));
    if (paused) return Promise.resolve();
    show('saving', 'Enregistrement…');
    saving = (async () => {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const sent = textarea.value;
        try {
          await send(sent, extra);
        } catch (err) {
          if (err instanceof ApiError && err.status === 412) {
            if (await sameNotesOnServer()) continue; // only another part of the follow-up moved
            if (extra) throw err;
            return;
          }
          writeLocal();
          if (err instanceof ApiError && (err.unavailable || err.status === 0)) {
            if (!offline) say('warning', 'Connexion perdue : vos notes sont gardées sur cet appareil. Continuez à écrire ; elles seront enregistrées dès le retour de la connexion.');
            offline = true;
            show('offline', 'Hors connexion : notes gardées sur cet appareil, en attente d’enregistrement.');
          } else {
            say('error', `Les notes n’ont pas été enregistrées. ${describeWriteError(err)} Elles restent gardées sur cet appareil.`);
            show('error', 'Notes non enregistrées (gardées sur cet appareil).');
          }
          if (extra) throw err;
          return;
        }
        synced = sent;
        if (offline) say('success', 'Connexion rétablie : vos notes sont enregistrées.');
        offline = false;
        if (textarea.value === sent) {
          dirty = false;
          clearLocal();
        } else {
          writeLocal();
        }
        show('saved', `Notes enregistrées à ${timeNow()}.`);
        return;
      }
    })().finally(() => { saving = null; });
    return saving;
  }

  /**
   * After a 412: true when the server's notes are still the ones we last
   * sent (the version moved for another part of the follow-up): adopt the
   * new version and send again. Otherwise show both texts and wait.
   */
  async function sameNotesOnServer() {
    let current;
    try {
      current = await fetchCurrent();
    } catch (err) {
      say('error', `Les notes n’ont pas pu être comparées avec celles du serveur. ${describeWriteError(err)} Elles restent gardées sur cet appareil.`);
      writeLocal();
      return false;
    }
    if ((current.text ?? '') === synced) {
      adoptVersion(current.version);
      return true;
    }
    paused = true;
    stopTimer();
    writeLocal();
    showConflict(current);
    return false;
  }

  function showConflict(current) {
    show('conflict', 'En attente de votre choix : deux versions des notes existent.');
    const serverText = current.text ?? '';
    const titleId = `${id}-conflit`;
    const serverBox = h('textarea', { class: 'fr-input', id: `${id}-serveur`, rows: '8', readonly: true });
    serverBox.value = serverText;
    const localBox = h('textarea', { class: 'fr-input', id: `${id}-local`, rows: '8', readonly: true });
    localBox.value = textarea.value;
    const keepMine = button('Garder mon texte', {
      onClick: async () => {
        if (current.version !== undefined) adoptVersion(current.version);
        synced = serverText;
        paused = false;
        replace(conflictZone);
        quiet();
        await save();
        textarea.focus();
      },
    });
    const takeTheirs = button('Reprendre le texte enregistré', {
      kind: 'secondary',
      onClick: () => {
        if (current.version !== undefined) adoptVersion(current.version);
        textarea.value = serverText;
        synced = serverText;
        dirty = false;
        paused = false;
        clearLocal();
        replace(conflictZone);
        say('success', 'Le texte enregistré a été repris ; votre texte n’a pas été envoyé.');
        show('saved', 'Notes à jour.');
        textarea.focus();
      },
    });
    const panel = h('section', { class: 'app-conflict fr-mt-2w', 'aria-labelledby': titleId },
      h('h3', { class: 'fr-h6', id: titleId, tabindex: '-1' }, 'Les notes ont été modifiées ailleurs'),
      h('p', null, 'D’autres notes ont été enregistrées pour cette visite (par l’autre tuteur, ou depuis un autre appareil) pendant que vous écriviez. Comparez les deux textes et choisissez celui à garder. Vous pouvez aussi copier des passages de l’un dans l’autre avant de choisir « Garder mon texte ».'),
      h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
        h('div', { class: 'fr-col-12 fr-col-md-6' },
          h('div', { class: 'fr-input-group' },
            h('label', { class: 'fr-label', for: serverBox.id }, 'Texte enregistré sur le serveur'), serverBox)),
        h('div', { class: 'fr-col-12 fr-col-md-6' },
          h('div', { class: 'fr-input-group' },
            h('label', { class: 'fr-label', for: localBox.id }, 'Votre texte (sur cet appareil)'), localBox))),
      h('ul', { class: 'fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left' }, h('li', null, keepMine), h('li', null, takeTheirs)));
    replace(conflictZone, panel);
    // Typing on while the choice waits keeps the local copy (and the comparison) current.
    localBox.value = textarea.value;
    textarea.addEventListener('input', () => { localBox.value = textarea.value; });
    say('warning', 'Les notes ont été modifiées ailleurs : choisissez le texte à garder.');
    panel.querySelector('h3').focus();
  }

  // ----- start: the server's text, or the local copy that was never sent
  const local = readLocal();
  textarea.value = text ?? '';
  let restored = null;
  if (local && typeof local.text === 'string' && local.text !== (text ?? '')) {
    textarea.value = local.text;
    dirty = true;
    if ((local.base ?? '') === (text ?? '')) {
      restored = local;
    } else {
      restored = { ...local, conflict: true };
    }
  } else if (local) {
    clearLocal();
  }

  textarea.addEventListener('input', onInput);
  textarea.addEventListener('blur', () => { if (dirty && !paused) save(); });
  const onOnline = () => { if (isCurrent && !isCurrent()) { window.removeEventListener('online', onOnline); return; } if (dirty && !paused) save(); };
  window.addEventListener('online', onOnline);

  const node = h('div', { class: 'app-observation' },
    h('div', { class: 'fr-input-group fr-mb-1w' },
      h('label', { class: 'fr-label', for: id }, label || 'Notes d’observation',
        h('span', { class: 'fr-hint-text', id: `${id}-aide` }, hint || 'Les faits marquants relevés pendant la séance. Enregistrement automatique toutes les quelques secondes ; une copie reste sur cet appareil tant qu’elle n’est pas enregistrée.')),
      textarea),
    indicator, announce, alerts, conflictZone);

  if (restored) {
    const when = restored.at ? ` (saisies le ${formatShort(restored.at)})` : '';
    if (restored.conflict) {
      // The server's notes moved since this copy was made: let the tutor choose.
      setTimeout(() => { paused = true; showConflict({ text: text ?? '', version: undefined }); }, 0);
      say('warning', `Des notes non enregistrées${when} ont été retrouvées sur cet appareil, mais les notes du serveur ont changé depuis : choisissez le texte à garder.`);
    } else {
      say('info', `Vos notes non enregistrées${when} ont été restaurées depuis cet appareil. Elles vont être enregistrées.`);
      show('pending', 'Notes restaurées depuis cet appareil, en attente d’enregistrement.');
      setTimeout(() => { if (!isCurrent || isCurrent()) save(); }, 300);
      schedule();
    }
  } else {
    show('idle', text ? 'Notes à jour.' : 'Aucune note pour le moment.');
  }

  return {
    node,
    textarea,
    /** Sends what is pending (before another write of the page). */
    async flush() {
      if (saving) await saving;
      if (dirty && !paused) await save();
    },
    /** Sends the notes with extra fields ({ held: true }); throws on failure. */
    async saveWith(extra) {
      if (paused) throw new Error('conflict');
      return save(extra);
    },
    get dirty() { return dirty; },
    get paused() { return paused; },
    dispose() {
      stopTimer();
      window.removeEventListener('online', onOnline);
    },
  };
}
