// Shared by the screens of the parcours d'individualisation (annexes 2 and
// 3 of the cadrage; docs/contracts.md): the annexes' words, the state
// badges, the print stylesheet.

import { h } from '../../dom.js';

/** The five domains, in the annexes' order. */
export const DOMAINS = [
  { key: 'ethics', label: 'L’éthique du fonctionnaire' },
  { key: 'classroom', label: 'La gestion de classe' },
  { key: 'safety', label: 'La sécurité physique des élèves' },
  { key: 'teaching', label: 'La construction, mise en œuvre et animation de situations pédagogiques' },
  { key: 'development', label: 'L’engagement dans une démarche de développement professionnel' },
];

export const ANNEX_TITLES = {
  2: 'Parcours d’individualisation des professeur·e·s des écoles stagiaires (annexe 2)',
  3: 'Parcours d’individualisation des professeur·e·s du second degré et CPE stagiaires (annexe 3)',
};

/** The header of each annex, as the paper form lays it out. */
export const HEADER_FIELDS = {
  2: [
    ['department', 'Département'],
    ['inspector', 'Nom – prénom de l’IEN de circonscription'],
    ['date', 'Date'],
    ['trainee', 'Nom – prénom, professeur·e stagiaire'],
    ['parcours', 'Parcours (M2A ou DU)'],
    ['field_tutor', 'Tuteur ou tutrice DSDEN'],
    ['inspe_tutor', 'Tuteur ou tutrice universitaire'],
    ['circonscription', 'Circonscription d’exercice'],
    ['school', 'École d’exercice'],
    ['pole', 'Pôle de formation'],
  ],
  3: [
    ['inspector', 'Nom – prénom de l’IA-IPR ou l’IEN'],
    ['date', 'Date'],
    ['trainee', 'Nom – prénom, professeur·e ou CPE stagiaire'],
    ['discipline', 'Discipline'],
    ['parcours', 'Parcours (M2A ou DU)'],
    ['field_tutor', 'Tuteur ou tutrice employeur'],
    ['inspe_tutor', 'Tuteur ou tutrice Inspé'],
    ['school', 'Établissement d’exercice'],
  ],
};

export const DECISIONS = [
  { value: 'end', label: 'Fin du parcours d’individualisation' },
  { value: 'continue', label: 'Poursuite du parcours d’individualisation' },
  { value: 'titularisation', label: 'Vers les avis de titularisation' },
];
export const decisionLabel = (value) => DECISIONS.find((d) => d.value === value)?.label || '—';

/** « 11/01/2027 » from "2027-01-11". */
export function shortDate(iso) {
  if (!iso) return '—';
  const [y, m, d] = String(iso).slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** The DSFR badge of a version's state. */
export function stateBadge(version) {
  if (!version) return null;
  if (version.in_force) return h('p', { class: 'fr-badge fr-badge--success fr-badge--no-icon' }, 'En vigueur');
  if (!version.current) return h('p', { class: 'fr-badge fr-badge--no-icon' }, 'Remplacée');
  return h('p', { class: 'fr-badge fr-badge--info fr-badge--no-icon' }, 'En attente de signatures');
}

/** The module's stylesheet (layout of the annexes, print on A4), once. */
export function useStyles() {
  if (document.getElementById('individualisation-css')) return;
  document.head.append(h('link', { id: 'individualisation-css', rel: 'stylesheet', href: '/css/individualisation.css' }));
}
