// Confirmation before a destructive action, in the DSFR modal of app.html
// (#confirmation). The button returned opens the modal through DSFR's own
// aria-controls mechanism, so focus is trapped in the dialog, Échap closes
// it and focus returns to the button on the way back. A `check` runs
// first: when the form is not ready (a required field empty), its errors
// are shown and the dialog does not open — nothing irreversible is asked
// about a form that would then be refused.

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
 * options: title (dialog title), message, confirmLabel, keepLabel (the
 * button that closes the dialog without acting, named for what it keeps:
 * « Garder ce temps de suivi »; « Annuler » by default), check (runs
 * before the dialog opens; false keeps it closed), srSuffix (context for
 * screen readers, e.g. which row), kind/size of the DSFR button.
 */
export function confirmButton(label, {
  title, message, confirmLabel = label, keepLabel = 'Annuler', onConfirm, check, srSuffix, kind = 'tertiary', size = 'sm', icon,
}) {
  wire();
  const withDsfr = typeof window.dsfr === 'function';
  const btn = h('button', {
    type: 'button',
    class: ['fr-btn', `fr-btn--${kind}`, size ? `fr-btn--${size}` : null, icon ? `fr-icon-${icon}` : null, icon ? 'fr-btn--icon-left' : null],
    'aria-controls': withDsfr ? 'confirmation' : null,
    'data-fr-opened': withDsfr ? 'false' : null,
  }, label, srSuffix ? srOnly(` ${srSuffix}`) : null);
  // Capture, and added before DSFR's own listener: a failed check stops
  // the click before the dialog opens.
  btn.addEventListener('click', (event) => {
    if (check && !check()) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, { capture: true });
  btn.addEventListener('click', () => {
    if (!withDsfr) {
      // eslint-disable-next-line no-alert -- DSFR's script did not load
      if (window.confirm(message)) onConfirm();
      return;
    }
    document.getElementById('confirmation-titre').textContent = title;
    document.getElementById('confirmation-texte').textContent = message;
    document.getElementById('confirmation-ok').textContent = confirmLabel;
    document.getElementById('confirmation-non').textContent = keepLabel;
    pending = onConfirm;
  });
  return btn;
}
