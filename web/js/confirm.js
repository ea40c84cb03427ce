// Confirmation before a destructive action, in the DSFR modal of app.html
// (#confirmation). The button returned opens the modal through DSFR's own
// aria-controls mechanism, so focus is trapped in the dialog, Échap closes
// it and focus returns to the button on « Annuler ».

import { h, srOnly } from './dom.js';

const dialog = () => document.getElementById('confirmation');
let pending = null;
let wired = false;

function wire() {
  if (wired) return;
  wired = true;
  document.getElementById('confirmation-ok').addEventListener('click', () => {
    const action = pending;
    pending = null;
    try {
      window.dsfr(dialog()).modal.conceal();
    } catch {
      dialog().removeAttribute('open');
    }
    if (action) action();
  });
}

/**
 * A button that asks for confirmation, then runs onConfirm().
 * options: title (dialog title), message, confirmLabel, srSuffix (context
 * for screen readers, e.g. which row), kind/size of the DSFR button.
 */
export function confirmButton(label, { title, message, confirmLabel = label, onConfirm, srSuffix, kind = 'tertiary', size = 'sm', icon }) {
  wire();
  const withDsfr = typeof window.dsfr === 'function';
  const btn = h('button', {
    type: 'button',
    class: ['fr-btn', `fr-btn--${kind}`, size ? `fr-btn--${size}` : null, icon ? `fr-icon-${icon}` : null, icon ? 'fr-btn--icon-left' : null],
    'aria-controls': withDsfr ? 'confirmation' : null,
    'data-fr-opened': withDsfr ? 'false' : null,
  }, label, srSuffix ? srOnly(` ${srSuffix}`) : null);
  btn.addEventListener('click', () => {
    if (!withDsfr) {
      // eslint-disable-next-line no-alert -- DSFR's script did not load
      if (window.confirm(message)) onConfirm();
      return;
    }
    document.getElementById('confirmation-titre').textContent = title;
    document.getElementById('confirmation-texte').textContent = message;
    document.getElementById('confirmation-ok').textContent = confirmLabel;
    pending = onConfirm;
  });
  return btn;
}
