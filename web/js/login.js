// Login page (index.html): académie, identifiant, mot de passe.
// POST /api/v1/auth/login sets the session cookie; the app lives in /app.html.

import { api, request, ApiError } from './api.js';
import { h, replace } from './dom.js';
import { alertBox } from './ui.js';

const STORED_ACADEMY = 'tutorat.academie';

const form = document.getElementById('login-form');
const alertRegion = document.getElementById('login-alert');
const infoRegion = document.getElementById('login-info');
const submit = document.getElementById('login-submit');

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
    await api.post('/auth/login', values, { loginOn401: false });
    localStorage.setItem(STORED_ACADEMY, values.academy);
    fields.password.control.value = '';
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

async function start() {
  // Listen at once: a submit before this would send the form natively.
  form.addEventListener('submit', onSubmit);
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
