// Shared pieces of the tutorat mixte screens (docs/tutorat-contract.md):
// French labels of the API codes, the trio, the checks, the enrolment
// lists, the « Introuvable ou non accessible » page, the référentiel and
// the school year. The users' words (DOMAIN.md §3-4) are kept as they are.
// What is not tutorat's own (dates, names, versions, fields, lists) is in
// web/js/.

import { api, request, ApiError, describeError, withQuery, isNotFound } from '../../api.js';
import { h, replace } from '../../dom.js';
import { pageTitle, buttonLink, textField, selectField } from '../../ui.js';
import { formatDate, personName, lowerFirst } from '../../format.js';
import { listView } from '../../list.js';
import { versionOf } from '../../versioned.js';
import { years, currentYear } from '../../years.js';

// Shared helpers that used to live here, for the screens that import them
// from this file: web/js/ holds them now (any module may use them).
export { formatDateTime, formatDate, formatShort, isPast, personName, lowerFirst } from '../../format.js';
export { versionOf } from '../../versioned.js';
export { textareaField, textBlock, wrapTable } from '../../ui.js';
export { isNotFound } from '../../api.js';

// ---------------------------------------------------------------- labels

export const PARCOURS_LABELS = {
  M2A: 'M2A – master 2 alternant',
  DU: 'DU – diplôme universitaire',
  M2B: 'M2B – étudiant contractuel (master 2 en deux ans)',
};
export const DEGRE_LABELS = { 1: '1er degré', 2: '2nd degré' };
export const CATEGORY_LABELS = {
  professeur: 'Professeur',
  cpe: 'Conseiller principal d’éducation (CPE)',
  documentaliste: 'Professeur documentaliste',
};

/** Follow-up kinds; `f` marks the feminine ones (for « planifiée »). */
export const KINDS = {
  visit: { label: 'Visite', f: true },
  interview: { label: 'Entretien', f: false },
  working_session: { label: 'Temps de travail', f: false },
  peer_observation: { label: 'Observation par des pairs', f: true },
  point_etape: { label: 'Point d’étape', f: false },
  visite_conseil: { label: 'Visite d’aide et de conseil', f: true },
};
/** The kinds a tutor may plan for this parcours (M2B adds its own, 001). */
export function kindsFor(enrolment) {
  const common = ['visit', 'interview', 'working_session', 'peer_observation'];
  return enrolment?.parcours === 'M2B' ? [...common, 'point_etape', 'visite_conseil'] : common;
}
export function kindLabel(kind) {
  return KINDS[kind]?.label || kind || 'Temps de suivi';
}
/** Visits are prepared by the trainee (documents, points à observer). */
export function isVisit(kind) {
  return kind === 'visit' || kind === 'visite_conseil';
}

const STATES = {
  planned: { m: 'Planifié', f: 'Planifiée', badge: 'info' },
  prepared: { m: 'Préparé', f: 'Préparée', badge: 'info' },
  held: { m: 'Réalisé', f: 'Réalisée', badge: 'new' },
  debriefed: { m: 'Entretien réalisé', f: 'Entretien réalisé', badge: 'success' },
  cancelled: { m: 'Annulé', f: 'Annulée', badge: null },
};
export function stateLabel(state, kind) {
  const s = STATES[state];
  if (!s) return state || '—';
  return KINDS[kind]?.f === false ? s.m : s.f;
}
/** A DSFR badge naming the state of a follow-up. */
export function stateBadge(state, kind, { small = true } = {}) {
  const type = STATES[state]?.badge;
  return h('p', { class: ['fr-badge', type ? `fr-badge--${type}` : null, small ? 'fr-badge--sm' : null, 'fr-badge--no-icon'] },
    stateLabel(state, kind));
}

/** The avis of the conversion tables (DU, M2B). */
export const AVIS_LABELS = { favorable: 'Favorable', reserve: 'Réservé', defavorable: 'Défavorable' };
export function avisLabel(code) {
  return AVIS_LABELS[code] || code || '—';
}
/** 14.5 → « 14,5 / 20 ». */
export function noteLabel(note) {
  if (note === null || note === undefined || note === '') return '—';
  return `${String(note).replace('.', ',')} / 20`;
}

export const BILAN_KINDS = ['intermediaire', 'final'];
export function bilanKindLabel(kind) {
  if (kind === 'intermediate' || kind === 'intermediaire') return 'Bilan intermédiaire';
  if (kind === 'final') return 'Bilan final';
  return kind ? `Bilan ${kind}` : 'Bilan';
}

/** « Tuteur terrain » in the 1er degré, « Tuteur académique » in the 2nd (001). */
export function terrainLabel(enrolment) {
  return Number(enrolment?.degre) === 2 ? 'Tuteur académique' : 'Tuteur terrain';
}
export const INSPE_LABEL = 'Tuteur Inspé';

export function relationLabel(enrolment) {
  switch (enrolment?.relation) {
    case 'trainee': return 'Stagiaire';
    case 'tuteur_terrain': return terrainLabel(enrolment);
    case 'tuteur_inspe': return INSPE_LABEL;
    case 'manager': return 'Gestion des inscriptions';
    case 'pilot': return 'Pilotage';
    case 'validator': return 'Validation INSPÉ';
    default: return '—';
  }
}
export function isTutor(enrolment) {
  return enrolment?.relation === 'tuteur_terrain' || enrolment?.relation === 'tuteur_inspe';
}
export function isTrainee(enrolment) {
  return enrolment?.relation === 'trainee';
}

export function traineeName(enrolment) {
  return personName(enrolment?.trainee) || 'Stagiaire';
}

/** « École élémentaire Les Tilleuls (0011001A) – CE1 ». */
export function placeLabel(place) {
  if (!place) return '—';
  const school = place.school || {};
  const name = school.name ? (school.code ? `${school.name} (${school.code})` : school.name) : 'Lieu d’exercice';
  return place.class_label ? `${name} – ${place.class_label}` : name;
}
export function placeById(enrolment, id) {
  return (enrolment?.places || []).find((p) => String(p.id) === String(id)) || null;
}

/** Who comes to a follow-up: « Sophie Lefèvre (tuteur terrain) et Marc Dubois (tuteur Inspé) ». */
export function whoComes(followup, enrolment) {
  const tutors = enrolment?.tutors || {};
  const names = [];
  if (followup.with_terrain) names.push(`${personName(tutors.tuteur_terrain) || 'le tuteur'} (${lowerFirst(terrainLabel(enrolment))})`);
  if (followup.with_inspe) names.push(`${personName(tutors.tuteur_inspe) || 'le tuteur'} (tuteur Inspé)`);
  if (!names.length) return 'Aucun tuteur indiqué';
  return names.join(' et ');
}

// ------------------------------------------------------------------ dates

/** « la visite du 24 novembre 2026 ». */
export function followupName(followup, { article = true } = {}) {
  const label = kindLabel(followup.kind);
  const when = followup.scheduled_at ? ` du ${formatDate(followup.scheduled_at)}` : '';
  if (!article) return `${label}${when}`;
  const lower = label.charAt(0).toLowerCase() + label.slice(1);
  const art = /^[aeiouyhéèê]/i.test(lower) ? 'l’' : (KINDS[followup.kind]?.f === false ? 'le ' : 'la ');
  return `${art}${lower}${when}`;
}

// ------------------------------------------------------------- pieces

/** The trio as a definition list. */
export function trioList(enrolment) {
  const tutors = enrolment.tutors || {};
  const row = (label, value) => [h('dt', null, label), h('dd', null, value || 'Non désigné')];
  return h('dl', { class: 'app-dl' },
    row('Stagiaire', traineeName(enrolment)),
    row(terrainLabel(enrolment), personName(tutors.tuteur_terrain)),
    row(INSPE_LABEL, personName(tutors.tuteur_inspe)));
}

/** Parcours, degré, places… of an enrolment, as a definition list. */
export function enrolmentDetails(enrolment) {
  const row = (label, value) => (value ? [h('dt', null, label), h('dd', null, value)] : null);
  const places = enrolment.places || [];
  return h('dl', { class: 'app-dl' },
    row('Année scolaire', enrolment.year?.label),
    row('Parcours', PARCOURS_LABELS[enrolment.parcours] || enrolment.parcours),
    row('Degré', DEGRE_LABELS[enrolment.degre] || String(enrolment.degre ?? '')),
    row('Catégorie', CATEGORY_LABELS[enrolment.category] || enrolment.category),
    row('Discipline', enrolment.discipline?.name || (typeof enrolment.discipline === 'string' ? enrolment.discipline : null)),
    row(places.length > 1 ? 'Lieux d’exercice' : 'Lieu d’exercice',
      places.length ? (places.length === 1 ? placeLabel(places[0]) : h('ul', { class: 'fr-mb-0' }, places.map((p) => h('li', null, placeLabel(p))))) : 'Aucun'),
    row('Pôle de formation', enrolment.pole?.name),
    row('Site INSPÉ', enrolment.inspe_site?.name),
    row('Renouvellement', enrolment.renouvellement ? 'Oui (année renouvelée)' : 'Non'),
    row('Heures du tuteur Inspé', enrolment.inspe_hours != null ? `${String(enrolment.inspe_hours).replace('.', ',')} h TD` : null));
}

/**
 * The checks of an enrolment (shown, never enforced): a DSFR warning alert
 * listing the server's messages, or a short line when there is none.
 */
export function checksBlock(checks, { headingLevel = 'h2' } = {}) {
  const list = checks || [];
  if (!list.length) {
    return h('p', { class: 'fr-badge fr-badge--success fr-badge--sm fr-mb-3w' }, 'Aucun point de vigilance');
  }
  return h('div', { class: 'fr-alert fr-alert--warning fr-mb-3w app-checks' },
    h(headingLevel, { class: 'fr-alert__title' }, list.length > 1 ? `${list.length} points de vigilance` : '1 point de vigilance'),
    h('ul', null, list.map((c) => h('li', { dataset: { check: c.code || '' } }, c.message || c.code))));
}

/** The checks in a table cell: a badge with the count, then the messages. */
export function checksCell(checks) {
  const list = checks || [];
  if (!list.length) return h('p', { class: 'fr-badge fr-badge--success fr-badge--sm fr-badge--no-icon' }, 'Aucun');
  return h('div', { class: 'app-checks-cell' },
    h('p', { class: 'fr-badge fr-badge--warning fr-badge--sm' }, list.length > 1 ? `${list.length} points` : '1 point'),
    h('ul', { class: 'fr-text--sm fr-mb-0' }, list.map((c) => h('li', { dataset: { check: c.code || '' } }, c.message || c.code))));
}

// ---------------------------------------------------------- errors, 404

export const NOT_FOUND = 'Introuvable ou non accessible';

/** The page shown when a record is absent or not visible to the caller. */
export function renderNotFound(ctx, { back = '#/', backLabel = 'Retour à l’accueil' } = {}) {
  replace(ctx.root,
    pageTitle(NOT_FOUND),
    h('p', null, 'Ce dossier n’existe pas ou vous n’y avez pas accès. Les dossiers de suivi ne sont visibles que par le stagiaire et ses deux tuteurs.'),
    buttonLink(backLabel, back, { kind: 'secondary', icon: 'arrow-left-line' }));
  ctx.setTitle(NOT_FOUND);
}

/**
 * Runs the first loads of a view; a 404 shows « Introuvable ou non
 * accessible », other errors go up to the router (which shows them).
 * Resolves to null when the page was replaced.
 */
export async function loadOr404(ctx, fn, options) {
  try {
    return await fn();
  } catch (err) {
    if (isNotFound(err) && ctx.current) {
      renderNotFound(ctx, options);
      return null;
    }
    throw err;
  }
}

/** The sentence for a failed write in the tutorat screens. */
export function describeWriteError(err) {
  if (err instanceof ApiError) {
    if (err.status === 0) return 'La connexion au serveur est perdue. Vérifiez votre connexion (Wi-Fi, données mobiles) puis réessayez : ce que vous avez saisi est toujours affiché.';
    if (err.status === 404) return `${NOT_FOUND}. Ce dossier n’existe plus ou vous n’y avez plus accès.`;
    if (err.status === 428) return 'La version de la fiche manque à la demande. Rechargez la page puis réessayez.';
  }
  return describeError(err);
}

/** An inline error under a block (not a field), inside a live region. */
export function inlineError(region, err, title) {
  region.show('error', title || null, typeof err === 'string' ? err : describeWriteError(err));
}

// ------------------------------------------------------ shared loads

export { years, currentYear };

const referentiels = new Map();
/** GET /referentiels/{id}, kept for the session. */
export async function referentiel(id) {
  if (id == null) return null;
  const key = String(id);
  if (!referentiels.has(key)) {
    referentiels.set(key, api.get(`/referentiels/${encodeURIComponent(id)}`).catch((err) => { referentiels.delete(key); throw err; }));
  }
  return referentiels.get(key);
}

/** The family of a competence: common, professeur, cpe or documentaliste. */
function familyOf(competence) {
  const family = String(competence.family || '').toLowerCase();
  const code = String(competence.code || '').toUpperCase();
  if (/^cc|commun/.test(family) || /^CC\d/.test(code)) return 'common';
  if (/^d|doc/.test(family) || /^D\d/.test(code)) return 'documentaliste';
  if (/^c|cpe/.test(family) || /^C\d/.test(code)) return 'cpe';
  if (/^p|prof/.test(family) || /^P\d/.test(code)) return 'professeur';
  return 'common';
}

/** The competences a trainee is evaluated on: CC1-CC14 plus their category's. */
export function competencesFor(ref, category) {
  const all = ref?.competences || [];
  const own = category || 'professeur';
  return all.filter((c) => {
    const family = familyOf(c);
    return family === 'common' || family === own;
  });
}

/** The level scale of a référentiel, lowest first. */
export function levelsOf(ref) {
  const levels = [...(ref?.levels || [])];
  levels.sort((a, b) => Number(a.rank) - Number(b.rank));
  return levels;
}
export function levelLabel(ref, rank) {
  if (rank === null || rank === undefined || rank === '') return 'Non renseigné';
  const level = (ref?.levels || []).find((l) => String(l.rank) === String(rank));
  return level ? level.label : `Niveau ${rank}`;
}
export function competenceTitle(competence) {
  if (!competence) return 'Compétence';
  return competence.code ? `${competence.code} – ${competence.title}` : competence.title;
}

/** GET an enrolment with its ETag: { enrolment, version }. */
export async function loadEnrolment(id) {
  const res = await request('GET', `/enrolments/${encodeURIComponent(id)}`);
  return { enrolment: res.data, version: versionOf(res, res.data?.version) };
}

/** Where the trio's page of an enrolment is: « Mon année » for the trainee. */
export function dossierHref(enrolment) {
  return isTrainee(enrolment) ? '#/mon-annee' : `#/dossiers/${encodeURIComponent(enrolment.id)}`;
}
/** The first crumbs of a page inside a dossier. */
export function dossierCrumbs(enrolment) {
  if (isTrainee(enrolment)) return [{ label: 'Accueil', href: '#/' }, { label: 'Mon année', href: '#/mon-annee' }];
  if (isTutor(enrolment)) {
    return [{ label: 'Accueil', href: '#/' }, { label: 'Mes stagiaires', href: '#/mes-stagiaires' },
      { label: traineeName(enrolment), href: dossierHref(enrolment) }];
  }
  return [{ label: 'Accueil', href: '#/' }, { label: traineeName(enrolment), href: dossierHref(enrolment) }];
}

/**
 * A DSFR radio group (fieldset) for one competence's level.
 * Returns { fieldset, value(), set(rank), setError(msg), clearError() }.
 */
let radioSeq = 0;
export function levelRadios({ legend, hint, name, levels, value, inline = true, allowEmpty = false }) {
  radioSeq += 1;
  const base = `${name}-${radioSeq}`;
  const messagesId = `${base}-messages`;
  const legendId = `${base}-legend`;
  const inputs = [];
  const options = allowEmpty ? [{ rank: '', label: 'Non renseigné' }, ...levels] : levels;
  const fieldset = h('fieldset', {
    class: ['fr-fieldset', 'app-level-fieldset'], 'aria-labelledby': `${legendId} ${messagesId}`,
  },
  h('legend', { class: 'fr-fieldset__legend--regular fr-fieldset__legend', id: legendId }, legend,
    hint ? [' ', h('span', { class: 'fr-hint-text' }, hint)] : null),
  options.map((level) => {
    const id = `${base}-${level.rank === '' ? 'vide' : level.rank}`;
    const input = h('input', { type: 'radio', id, name: base, value: String(level.rank) });
    if (String(level.rank) === String(value ?? '')) input.checked = true;
    inputs.push(input);
    return h('div', { class: ['fr-fieldset__element', inline ? 'fr-fieldset__element--inline' : null] },
      h('div', { class: 'fr-radio-group' }, input, h('label', { class: 'fr-label', for: id }, level.label)));
  }),
  h('div', { class: 'fr-messages-group', id: messagesId, 'aria-live': 'polite' }));
  const messages = fieldset.querySelector('.fr-messages-group');
  // A level chosen answers the error said about it: the message goes.
  fieldset.addEventListener('change', () => {
    fieldset.classList.remove('fr-fieldset--error');
    messages.replaceChildren();
  });
  return {
    fieldset,
    inputs,
    value() {
      const checked = inputs.find((i) => i.checked);
      if (!checked || checked.value === '') return null;
      return Number(checked.value);
    },
    set(rank) { for (const i of inputs) i.checked = String(rank ?? '') === i.value; },
    setError(message) {
      fieldset.classList.add('fr-fieldset--error');
      replace(messages, h('p', { class: 'fr-message fr-message--error' }, message));
    },
    clearError() {
      fieldset.classList.remove('fr-fieldset--error');
      messages.replaceChildren();
    },
  };
}


/**
 * An enrolment list (« Inscriptions », « Mes stagiaires »): the year and
 * search filters over GET /enrolments, on the shared list (list.js). The
 * view supplies its texts and how a page looks (options of listView:
 * base, pageSize, formLabel, pagerLabel, count, empty, show) and the
 * search field's label and hint; keep(enrolment), if given, drops the others
 * from each page. Returns the list, or null if the view was left while the
 * years loaded.
 */
export async function enrolmentList(ctx, { searchLabel, searchHint, keep, ...options }) {
  const allYears = await years();
  if (!ctx.current) return null;
  const current = allYears.find((y) => y.current) || allYears[0];
  const year = selectField({
    label: 'Année scolaire', name: 'year_id',
    options: allYears.map((y) => ({ value: String(y.id), label: y.current ? `${y.label} (en cours)` : y.label })),
  });
  const q = textField({ label: searchLabel, name: 'q', type: 'search', autocomplete: 'off', hint: searchHint });
  return listView(ctx, {
    ...options,
    filters: [
      { name: 'annee', width: 4, field: year, fallback: current ? String(current.id) : '' },
      { name: 'q', width: 5, field: q },
    ],
    fetch: async ({ annee, q: text }, page) => {
      const data = await api.get(withQuery('/enrolments', { year_id: annee, q: text, ...page }));
      return keep ? { ...data, items: (data.items || []).filter(keep) } : data;
    },
  });
}
