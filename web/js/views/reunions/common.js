// What the screens of the meetings module share (docs/meetings.md): the
// French words of statuses, signals and decisions, the fiche's five
// difficulties, and the module's stylesheet (the fiche prints like the
// paper form, annex 1).

import { h } from '../../dom.js';

export const MEETING_STATUS = { upcoming: 'À venir', list_ready: 'Liste prête', held: 'Tenue' };
export const SIGNALS = {
  open_case: 'Dossier d’accompagnement ouvert',
  no_visit_before_meeting_1: 'Aucune visite avant la réunion N°1',
  renouvellement: 'En renouvellement',
  tutor_request: 'Demande d’un tuteur',
};
export const DECISIONS = [
  { value: 'rien_a_signaler', label: 'Rien à signaler' },
  { value: 'personnalisation', label: 'Personnalisation du parcours' },
  { value: 'individualisation', label: 'Procédure d’individualisation' },
  { value: 'poursuite', label: 'Poursuite de l’accompagnement' },
  { value: 'fin', label: 'Fin de l’accompagnement' },
];
export const decisionLabel = (v) => DECISIONS.find((d) => d.value === v)?.label || v;
export const FICHE_STATUS = {
  draft: 'En cours de rédaction', sent: 'Transmise à la cellule', agreed: 'Accordée par la cellule', refused: 'Refusée par la cellule',
};
export const DIFFICULTIES = [
  'Sécurité des élèves',
  'Posture du fonctionnaire défaillante',
  'Gestion de la classe',
  'Conduite d’évitement ne permettant pas les échanges professionnels',
  'Préparation et mise en œuvre',
];

/** « Réunion de pôle N°2 – Bourg 2 » or « Réunion de discipline N°1 – Mathématiques ». */
export function meetingTitle(m) {
  return `Réunion ${m.scope_kind === 'discipline' ? 'de discipline' : 'de pôle'} N°${m.number} – ${m.scope_name}`;
}

/** A DSFR badge for a status. */
export function statusBadge(text, kind = 'info') {
  return h('p', { class: ['fr-badge', 'fr-badge--sm', `fr-badge--${kind}`, 'fr-mb-0'] }, text);
}

/** The module's stylesheet (screen and print), added once to the page. */
export function useStyles() {
  if (document.querySelector('link[data-app-reunions]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/css/reunions.css', dataset: { appReunions: '1' } }));
}

/** The current school year ({id, label}), or the first one. */
export function currentYear(years) {
  return years.find((y) => y.current) || years[0] || null;
}
