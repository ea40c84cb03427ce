// What the screens of the réseau de tuteurs share (docs/reseau.md): the
// French words of the seed (degrees, seniority, trainer qualifications,
// the charter's four rules, the canvas of a meeting, the fiche synthèse),
// who the signed-in person is for the module, the mix indicator of a
// collective, and the module's stylesheet.

import { h } from '../../dom.js';

export const ORGANISERS = ['bureau_stages', 'direction_inspe', 'charge_mission_formation'];
export const TUTORS = ['tuteur_terrain', 'tuteur_inspe', 'pilote_collectif'];
export const RESOURCE_EDITORS = ['admin', 'bureau_stages'];

export const isOrganiser = (me) => (me?.roles || []).some((r) => ORGANISERS.includes(r));
export const isTutor = (me) => (me?.roles || []).some((r) => TUTORS.includes(r));

export const DEGREES = { '1d': '1er degré', '2d': '2nd degré' };
export const SENIORITY = { neo: 'Néo-tuteur', experienced: 'Tuteur expérimenté' };
export const QUALIFICATIONS = [
  { code: 'CAFFA', label: 'CAFFA' },
  { code: 'CAFIPEMF', label: 'CAFIPEMF' },
  { code: 'PFA', label: 'PFA (professeur formateur académique)' },
  { code: 'PEMF', label: 'PEMF (professeur des écoles maître formateur)' },
  { code: 'master_formateur', label: 'Master de formateurs' },
];
export const qualificationLabel = (code) => QUALIFICATIONS.find((q) => q.code === code)?.label || code;

export const CALL_STATE = { open: 'Ouvert', closed: 'Clos' };
export const COLLECTIVE_STATE = { draft: 'Brouillon', validated: 'Validé' };
export const MEETING_STATE = { planned: 'À venir', held: 'Tenue', cancelled: 'Annulée' };
export const LEVELS = {
  good: { label: 'Bonne mixité', badge: 'success' },
  fair: { label: 'Mixité moyenne', badge: 'warning' },
  poor: { label: 'Mixité faible', badge: 'error' },
};
export const RESOURCE_KINDS = [
  { value: 'magistere', label: 'Parcours M@gistère' },
  { value: 'neopass', label: 'Néopass@ction' },
  { value: 'model', label: 'Modélisation de l’activité' },
  { value: 'other', label: 'Autre ressource' },
];

/** The charter of the collectives (the GAPP's rules, seed §2). */
export const CHARTER = [
  { title: 'La confidentialité', text: 'Ce qui est dit dans le collectif reste dans le collectif : ni l’académie, ni l’Inspé, ni les tableaux de bord ne voient les notes des présentiels.' },
  { title: 'La bienveillance engagée', text: 'Chacun écoute et questionne sans juger, pour aider celui qui expose une situation à avancer.' },
  { title: 'Le respect de la parole', text: 'Chacun parle à son tour, de son expérience ; la parole de l’autre n’est ni coupée ni rapportée.' },
  { title: 'La régularité', text: 'Chacun s’engage à venir aux 4 à 5 présentiels de l’année, de novembre à avril.' },
];

/** The canvas of a meeting (seed §3), in the order of the meeting. */
export const CANVAS = [
  { name: 'debrief', title: 'Débriefing des pistes d’action du présentiel précédent', hint: 'Mise en œuvre (ou pas) des pistes d’action issues du collectif et régulations éventuelles apportées.' },
  { name: 'problem', title: '1. Présentation et reconnaissance du problème', hint: 'Un problème issu du vécu professionnel de tuteur d’un des membres du collectif.' },
  { name: 'questions', title: '2. Questionnement du collectif', hint: 'Les demandes de précisions pour éclairer les « angles morts » de la situation.' },
  { name: 'resonance', title: '3. Mise en résonance', hint: 'La situation renvoie-t-elle à une préoccupation partagée par d’autres ?' },
  { name: 'presenter_solution', title: '4. Solution du tuteur-acteur (facultatif)', hint: 'La solution mise en œuvre par le tuteur qui a présenté la situation, s’il la formule.' },
  { name: 'others_solutions', title: '5. Solutions des autres membres', hint: 'Les solutions éprouvées ou envisagées par les autres membres du collectif.' },
  { name: 'discussion', title: '6. Mise en discussion', hint: 'Les solutions à l’aune des expériences de chacun, des contextes et des conditions d’exercice.' },
  { name: 'generalisation', title: '7. Vers une montée en généralité', hint: 'Le pilote dégage une problématique professionnelle et les pistes d’action construites.' },
];
export const TEXT_MAX = 8000;

/** The person's id in a member record, whatever its shape. */
export const personId = (m) => m?.person_id ?? m?.person?.id ?? m?.id;
export const personName = (m) => m?.display_name ?? m?.person?.display_name ?? m?.name ?? '—';

/** « 1er degré, néo-tuteur » for a volunteer or member. */
export function profile(v) {
  return [DEGREES[v.degree] || v.degree, (SENIORITY[v.seniority] || v.seniority || '').toLowerCase()].filter(Boolean).join(', ');
}

/** A DSFR badge (text always, the colour only repeats it). */
export function badge(text, kind = 'info') {
  return h('p', { class: ['fr-badge', 'fr-badge--sm', `fr-badge--${kind}`, 'fr-mb-0'] }, text);
}

/** « 12 nov. 2026, 17:30 – 19:30 » for a meeting or a poll option (local times YYYY-MM-DDTHH:MM). */
export function slot(startsAt, endsAt) {
  if (!startsAt) return '—';
  const start = new Date(startsAt);
  if (Number.isNaN(start.getTime())) return String(startsAt);
  const day = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(start);
  const time = (d) => new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' }).format(d);
  const end = endsAt ? new Date(endsAt) : null;
  return end && !Number.isNaN(end.getTime()) ? `${day}, ${time(start)} – ${time(end)}` : `${day}, ${time(start)}`;
}

/**
 * The mix indicator of a (proposed) collective: the score as a gauge with
 * its number and level in words, then the four figures — degrees,
 * néo/experienced, the largest distance between members' communes, the
 * pilot's qualification — and the reasons. Nothing said by colour alone.
 */
export function mixIndicator(mix, { headingLevel = 'h3' } = {}) {
  if (!mix) return h('p', { class: 'app-empty' }, 'La mixité sera calculée quand des membres seront choisis.');
  const level = LEVELS[mix.level] || { label: mix.level, badge: 'info' };
  const score = Math.max(0, Math.min(100, Number(mix.score) || 0));
  const d = mix.degrees || {};
  const s = mix.seniority || {};
  const km = mix.max_distance_km;
  return h('div', { class: 'app-mix', dataset: { level: mix.level || '' } },
    h(headingLevel, { class: 'fr-h6 fr-mb-1w' }, 'Mixité du collectif'),
    h('div', { class: 'app-mix__score' },
      h('progress', { class: 'app-mix__gauge', max: '100', value: String(score), 'aria-label': `Score de mixité : ${score} sur 100` }, `${score} sur 100`),
      h('p', { class: 'fr-mb-0' }, h('strong', null, `Score ${score} / 100`), ' ', badge(level.label, level.badge))),
    h('ul', { class: 'fr-badges-group fr-mt-1w app-mix__figures' },
      h('li', null, badge(`1er degré : ${d['1d'] ?? 0}`, 'info')),
      h('li', null, badge(`2nd degré : ${d['2d'] ?? 0}`, 'info')),
      h('li', null, badge(`Néo-tuteurs : ${s.neo ?? 0}`, 'new')),
      h('li', null, badge(`Expérimentés : ${s.experienced ?? 0}`, 'new')),
      h('li', null, badge(km === null || km === undefined ? 'Distance : —' : `Plus grande distance : ${Math.round(km)} km`, 'info')),
      h('li', null, mix.pilot_qualified
        ? badge('Pilote qualifié formateur', 'success')
        : badge('Pilote sans qualification de formateur', 'warning'))),
    mix.reasons?.length
      ? h('ul', { class: 'app-mix__reasons fr-mt-1w' }, mix.reasons.map((r) => h('li', null, r)))
      : null);
}

/** The module's stylesheet, added once to the page. */
export function useStyles() {
  if (document.querySelector('link[data-app-reseau]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/css/reseau.css', dataset: { appReseau: '1' } }));
}

/** The current school year ({id, label}), or the first one. */
export function currentYear(years) {
  return years.find((y) => y.current) || years[0] || null;
}
