// The public page « Informations et données personnelles »
// (informations.html, docs/rgpd-access.md): the transparency page of the
// académie named in the address (?academie=CODE), else the one the login
// page remembers, else the first. Read before any login: no session needed.
//
// GET /api/v1/academies                       the académies to choose from
// GET /api/v1/privacy-notice?academy=CODE     the page's sections

import { api, describeError } from './api.js';
import { h, replace } from './dom.js';
import { alertBox } from './ui.js';
import { SECTIONS } from './privacy-sections.js';

const STORED_ACADEMY = 'tutorat.academie';

/** A section's text: one paragraph per block separated by a blank line. */
function paragraphs(text) {
  return String(text || '').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean).map((p) => h('p', { class: 'app-prewrap' }, p));
}

async function start() {
  const select = document.getElementById('academie');
  const content = document.getElementById('informations-contenu');
  const alert = document.getElementById('informations-alerte');
  let code = new URLSearchParams(location.search).get('academie') || '';
  try {
    const { items = [] } = await api.get('/academies', { loginOn401: false });
    for (const a of items) select.append(h('option', { value: a.code }, a.name));
    let remembered = null;
    try { remembered = localStorage.getItem(STORED_ACADEMY); } catch { /* private mode */ }
    if (!items.some((a) => a.code === code)) code = items.some((a) => a.code === remembered) ? remembered : items[0]?.code || '';
    select.value = code;
    if (!code) return;
    const page = await api.get(`/privacy-notice?academy=${encodeURIComponent(code)}`, { loginOn401: false });
    document.getElementById('informations-titre').textContent = `Informations et données personnelles — ${page.academy_name}`;
    replace(content, SECTIONS.map((s) => h('section', { 'aria-labelledby': `rubrique-${s.key}` },
      h('h2', { id: `rubrique-${s.key}` }, s.title), paragraphs(page[s.key]))));
  } catch (err) {
    replace(alert, alertBox('error', 'Cette page n’a pas pu être chargée', describeError(err)));
  }
}

start();
