// « Sécurité du compte »: the person's second factor (TOTP). Enrol (the QR
// code and the manual key, then a first code), keep the recovery codes
// shown once, remove it with a current code (when the role does not
// require it). A person whose role requires it and who has none is sent
// here by the shell and may use nothing else until they enrol.
// GET/POST/DELETE /api/v1/me/totp, POST /api/v1/me/totp/confirm.

import { api } from '../api.js';
import { h, replace } from '../dom.js';
import {
  pageTitle, liveRegion, textField, button, whileBusy, focusRegion, alertBox,
} from '../ui.js';

const CODE_ATTRS = { inputmode: 'numeric', autocapitalize: 'off', spellcheck: 'false', maxlength: '16' };

export async function render(ctx) {
  const notices = liveRegion('status');
  const errors = liveRegion('alert');
  const body = h('div');
  ctx.root.append(pageTitle('Sécurité du compte'), notices.node, errors.node, body);
  await show();

  async function show() {
    const state = await api.get('/me/totp');
    if (!ctx.current) return;
    if (state.enabled) showEnabled(state);
    else showDisabled(state);
  }

  function showDisabled(state) {
    replace(body,
      ctx.me.enrolment_only
        ? alertBox('warning', 'Double authentification obligatoire',
          'Votre rôle demande une double authentification. Activez-la pour accéder à Tutorat.')
        : null,
      h('h2', { class: 'fr-mt-4w' }, 'Double authentification'),
      h('p', null, 'La double authentification protège votre compte : à la connexion, Tutorat vous demande, en plus de votre mot de passe, un code à 6 chiffres affiché par une application d’authentification de votre téléphone (par exemple FreeOTP, Aegis ou Google Authenticator).'),
      h('p', null, state.required ? 'Elle est obligatoire pour votre rôle.' : 'Elle n’est pas activée.'),
      button('Activer la double authentification', { icon: 'lock-line', onClick: (event) => start(event.currentTarget) }));
  }

  async function start(btn) {
    errors.clear();
    let enrolment;
    await whileBusy(btn, async () => {
      try {
        enrolment = await api.post('/me/totp', {});
      } catch (err) {
        errors.error(err, 'L’activation n’a pas pu commencer');
        focusRegion(errors);
      }
    });
    if (enrolment && ctx.current) showEnrolment(enrolment);
  }

  function showEnrolment(enrolment) {
    const heading = h('h2', { class: 'fr-mt-4w', tabindex: '-1' }, 'Activer la double authentification');
    const code = textField({
      label: 'Code de vérification', name: 'code', required: true, autocomplete: 'one-time-code',
      hint: 'Les 6 chiffres affichés par votre application pour Tutorat.', attrs: CODE_ATTRS,
    });
    const key = enrolment.secret.replace(/(.{4})(?=.)/g, '$1 ');
    const form = h('form', { novalidate: true, on: { submit: (event) => confirm(event, code) } },
      code.group,
      h('ul', { class: 'fr-btns-group fr-btns-group--inline-md' },
        h('li', null, button('Vérifier et activer', { type: 'submit', icon: 'check-line' })),
        h('li', null, button('Annuler', { kind: 'secondary', onClick: () => show() }))));
    replace(body,
      heading,
      h('h3', { class: 'fr-h6 fr-mt-3w' }, '1. Ajoutez Tutorat à votre application d’authentification'),
      h('p', null, 'Scannez ce QR code avec l’application :'),
      h('img', {
        class: 'app-qr', width: '200', height: '200',
        src: `data:image/svg+xml;base64,${btoa(enrolment.qr_svg)}`,
        alt: 'QR code à scanner avec votre application d’authentification (la clé est aussi donnée en texte ci-dessous).',
      }),
      h('p', null, 'Ou saisissez cette clé dans l’application (type « basé sur le temps ») :'),
      h('p', null, h('code', { class: 'app-totp-key', id: 'cle-totp' }, key)),
      h('h3', { class: 'fr-h6 fr-mt-3w' }, '2. Saisissez le code affiché par l’application'),
      form);
    heading.focus();
  }

  async function confirm(event, code) {
    event.preventDefault();
    errors.clear();
    code.clearError();
    const value = code.control.value.trim();
    if (!value) {
      code.setError('Saisissez le code de vérification.');
      code.control.focus();
      return;
    }
    let result;
    await whileBusy(event.submitter, async () => {
      try {
        result = await api.post('/me/totp/confirm', { code: value });
      } catch (err) {
        if (err.status === 422) {
          code.setError('Code incorrect. Vérifiez l’heure de votre téléphone et saisissez le code affiché maintenant.');
          code.control.value = '';
          code.control.focus();
        } else {
          errors.error(err, 'La double authentification n’a pas été activée');
          focusRegion(errors);
        }
      }
    });
    if (result && ctx.current) showRecoveryCodes(result.recovery_codes);
  }

  function showRecoveryCodes(codes) {
    const wasEnrolmentOnly = ctx.me.enrolment_only;
    ctx.me.enrolment_only = false;
    const heading = h('h2', { class: 'fr-mt-4w', tabindex: '-1' }, 'Vos codes de secours');
    replace(body,
      alertBox('success', null, 'La double authentification est activée.'),
      heading,
      alertBox('warning', null, 'Conservez ces codes en lieu sûr (imprimés ou dans un gestionnaire de mots de passe) : ils ne seront plus affichés. Chacun permet une seule connexion si vous n’avez pas votre téléphone.'),
      h('ul', { class: 'app-recovery-codes', 'aria-label': 'Codes de secours' },
        ...codes.map((c) => h('li', null, h('code', null, c)))),
      h('p', { class: 'fr-mt-3w' }, wasEnrolmentOnly
        ? button('Continuer vers Tutorat', { icon: 'arrow-right-line', onClick: () => location.assign('/app.html') })
        : button('J’ai conservé mes codes', { kind: 'secondary', onClick: () => show() })));
    heading.focus();
  }

  function showEnabled(state) {
    const code = textField({
      label: 'Code de vérification', name: 'code', required: true, autocomplete: 'one-time-code',
      hint: 'Le code affiché par votre application, ou l’un de vos codes de secours.', attrs: CODE_ATTRS,
    });
    const heading = h('h2', { class: 'fr-mt-4w', tabindex: '-1' }, 'Double authentification');
    replace(body,
      heading,
      h('p', null, 'La double authentification est activée : un code vous est demandé à la connexion.'),
      h('p', null, `Codes de secours restants : ${state.recovery_codes_left}.`),
      state.required
        ? h('p', null, 'Elle est obligatoire pour votre rôle. En cas de perte de votre téléphone, l’administrateur de Tutorat de votre académie peut la réinitialiser.')
        : h('form', { novalidate: true, on: { submit: (event) => remove(event, code) } },
          h('h3', { class: 'fr-h6 fr-mt-3w' }, 'Désactiver la double authentification'),
          code.group,
          button('Désactiver la double authentification', { type: 'submit', kind: 'secondary', icon: 'lock-unlock-line' })));
  }

  async function remove(event, code) {
    event.preventDefault();
    errors.clear();
    code.clearError();
    const value = code.control.value.trim();
    if (!value) {
      code.setError('Saisissez le code de vérification.');
      code.control.focus();
      return;
    }
    let done = false;
    await whileBusy(event.submitter, async () => {
      try {
        await api.delete('/me/totp', { body: { code: value } });
        done = true;
      } catch (err) {
        if (err.status === 422) {
          code.setError('Code de vérification incorrect.');
          code.control.value = '';
          code.control.focus();
        } else {
          errors.error(err, 'La double authentification n’a pas été désactivée');
          focusRegion(errors);
        }
      }
    });
    if (!done || !ctx.current) return;
    await show();
    notices.show('success', null, 'La double authentification est désactivée.');
  }
}
