// Login page (index.html): académie, identifiant, mot de passe, then, for a
// person with a second factor, the « Code de vérification » step.
// POST /api/v1/auth/login sets the session cookie, or answers a challenge
// that POST /api/v1/auth/login/totp completes; the app lives in /app.html.

import { api, request, ApiError } from './api.js';
import { h, replace } from './dom.js';
import { alertBox } from './ui.js';

const STORED_ACADEMY = 'tutorat.academie';

const form = document.getElementById('login-form');
const alertRegion = document.getElementById('login-alert');
const infoRegion = document.getElementById('login-info');
const submit = document.getElementById('login-submit');
const totpForm = document.getElementById('totp-form');
const totpSubmit = document.getElementById('totp-submit');
const codeField = field('code', 'fr-input-group--error', 'fr-input--error');
const remember = document.getElementById('remember');
let challenge = null; // the login's second step, while it is shown

const fields = {
  academy: field('academy', 'fr-select-group--error', 'fr-select--error'),
  username: field('username', 'fr-input-group--error', 'fr-input--error'),
  password: field('password', 'fr-input-group--error', 'fr-input--error'),
};

const REQUIRED_MESSAGES = {
  academy: 'Sélectionnez votre académie.',
  username: 'Saisissez votre identifiant.',
  password: 'Saisissez votre mot de passe.',
};

/** Where to go once signed in: the app, at the screen the user came from. */
function destination() {
  const back = new URLSearchParams(location.search).get('retour');
  return back && /^#\/[\w\-/?=&%.]*$/.test(back) ? `/app.html${back}` : '/app.html';
}

function field(id, groupErrorClass, controlErrorClass) {
  const control = document.getElementById(id);
  const group = document.getElementById(`${id}-group`);
  const messages = document.getElementById(`${id}-messages`);
  return {
    control,
    setError(message) {
      group.classList.add(groupErrorClass);
      control.classList.add(controlErrorClass);
      control.setAttribute('aria-invalid', 'true');
      replace(messages, h('p', { class: 'fr-message fr-message--error', id: `${id}-erreur` }, message));
    },
    clearError() {
      group.classList.remove(groupErrorClass);
      control.classList.remove(controlErrorClass);
      control.removeAttribute('aria-invalid');
      messages.replaceChildren();
    },
  };
}

function showAlert(type, text) {
  replace(alertRegion, alertBox(type, null, text));
}

function waitingTime(seconds) {
  if (seconds === null || seconds === undefined) return 'dans quelques minutes';
  if (seconds < 60) return seconds <= 1 ? 'dans un instant' : `dans ${seconds} secondes`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? 'dans 1 minute' : `dans ${minutes} minutes`;
}

/** Already signed in (a live session cookie)? Then go straight to the app. */
async function redirectIfSignedIn() {
  try {
    await request('GET', '/auth/me', { loginOn401: false });
    location.replace(destination());
    return true;
  } catch {
    return false;
  }
}

async function loadAcademies() {
  const select = fields.academy.control;
  try {
    const { items = [] } = await api.get('/academies', { loginOn401: false });
    for (const academy of items) select.append(h('option', { value: academy.code }, academy.name));
    const remembered = localStorage.getItem(STORED_ACADEMY);
    if (items.length === 1) select.value = items[0].code;
    else if (remembered && items.some((a) => a.code === remembered)) select.value = remembered;
    // The transparency page of the académie chosen, readable before any login.
    const info = document.getElementById('login-informations');
    const point = () => { if (info) info.href = select.value ? `/informations.html?academie=${encodeURIComponent(select.value)}` : '/informations.html'; };
    select.addEventListener('change', point);
    point();
  } catch (err) {
    showAlert('error', unavailableText(err));
  }
}

function unavailableText(err) {
  if (err instanceof ApiError && err.status === 0) return 'Connexion perdue : vérifiez votre connexion à Internet, puis réessayez.';
  return err instanceof ApiError && !err.unavailable && err.status < 500
    ? 'Une erreur inattendue est survenue. Rechargez la page.'
    : 'Le service est momentanément indisponible. Réessayez dans quelques instants.';
}

async function onSubmit(event) {
  event.preventDefault();
  alertRegion.replaceChildren();
  infoRegion.replaceChildren();
  for (const f of Object.values(fields)) f.clearError();

  const values = {
    academy: fields.academy.control.value,
    username: fields.username.control.value.trim(),
    password: fields.password.control.value,
  };
  const missing = Object.keys(fields).filter((name) => !values[name]);
  if (missing.length) {
    for (const name of missing) fields[name].setError(REQUIRED_MESSAGES[name]);
    fields[missing[0]].control.focus();
    return;
  }

  submit.disabled = true;
  submit.setAttribute('aria-busy', 'true');
  try {
    const answer = await api.post('/auth/login', values, { loginOn401: false });
    localStorage.setItem(STORED_ACADEMY, values.academy);
    fields.password.control.value = '';
    if (answer && answer.second_factor === 'totp') {
      showCodeStep(answer.challenge);
      return;
    }
    location.assign(destination());
    return;
  } catch (err) {
    handleLoginError(err);
  } finally {
    submit.disabled = false;
    submit.removeAttribute('aria-busy');
  }
}

function handleLoginError(err) {
  const password = fields.password.control;
  if (!(err instanceof ApiError)) {
    showAlert('error', 'Une erreur inattendue est survenue. Rechargez la page.');
    return;
  }
  if (err.status === 401) {
    showAlert('error', 'Identifiant ou mot de passe incorrect.');
    password.value = '';
    password.focus();
  } else if (err.status === 429) {
    showAlert('error', `Trop de tentatives de connexion. Par sécurité, réessayez ${waitingTime(err.retryAfter)}.`);
    password.value = '';
    password.focus();
  } else if (err.status === 422 && err.field && fields[err.field]) {
    fields[err.field].setError(err.detail || 'Valeur invalide.');
    fields[err.field].control.focus();
  } else if (err.unavailable || err.status >= 500) {
    showAlert('error', unavailableText(err));
    submit.focus();
  } else {
    showAlert('error', err.detail || 'La connexion n’a pas abouti. Vérifiez les informations saisies.');
    submit.focus();
  }
}

/** The second step: the password was right, the code is asked. */
function showCodeStep(value) {
  challenge = value;
  form.hidden = true;
  totpForm.hidden = false;
  codeField.clearError();
  codeField.control.value = '';
  replace(infoRegion, alertBox('info', null, 'Mot de passe vérifié. Saisissez le code de vérification de votre application d’authentification.'));
  codeField.control.focus();
}

function showPasswordStep() {
  challenge = null;
  totpForm.hidden = true;
  form.hidden = false;
  infoRegion.replaceChildren();
  fields.password.control.focus();
}

async function onCode(event) {
  event.preventDefault();
  alertRegion.replaceChildren();
  codeField.clearError();
  const code = codeField.control.value.trim();
  if (!code) {
    codeField.setError('Saisissez le code de vérification.');
    codeField.control.focus();
    return;
  }
  totpSubmit.disabled = true;
  totpSubmit.setAttribute('aria-busy', 'true');
  try {
    await api.post('/auth/login/totp', { challenge, code, remember: remember.checked }, { loginOn401: false });
    location.assign(destination());
  } catch (err) {
    if (err instanceof ApiError && err.code === 'challenge_expired') {
      showPasswordStep();
      showAlert('error', 'La vérification a expiré. Saisissez de nouveau votre mot de passe.');
    } else if (err instanceof ApiError && err.status === 422) {
      codeField.setError('Code de vérification incorrect ou déjà utilisé. Saisissez le code affiché maintenant.');
      codeField.control.value = '';
      codeField.control.focus();
    } else if (err instanceof ApiError && err.status === 429) {
      showAlert('error', `Trop de codes erronés. Par sécurité, réessayez ${waitingTime(err.retryAfter)}.`);
      codeField.control.focus();
    } else {
      showAlert('error', err instanceof ApiError ? unavailableText(err) : 'Une erreur inattendue est survenue. Rechargez la page.');
    }
  } finally {
    totpSubmit.disabled = false;
    totpSubmit.removeAttribute('aria-busy');
  }
}

async function start() {
  // Listen at once: a submit before this would send the form natively.
  form.addEventListener('submit', onSubmit);
  totpForm.addEventListener('submit', onCode);
  document.getElementById('totp-restart').addEventListener('click', showPasswordStep);
  if (await redirectIfSignedIn()) return;
  const params = new URLSearchParams(location.search);
  if (params.get('session') === 'expiree') {
    replace(infoRegion, alertBox('info', null, 'Votre session a expiré ou a été fermée. Reconnectez-vous pour continuer.'));
  } else if (params.get('deconnexion') === '1') {
    replace(infoRegion, alertBox('success', null, 'Vous êtes déconnecté.'));
  }
  await loadAcademies();
}

start();
