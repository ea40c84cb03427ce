// Words and helpers of the accompagnement screens (docs/accompaniment.md):
// the levels, the parts of the fiche de suivi, who is an actor at each
// level, as the seeds (003) say them.

import { h } from '../../dom.js';
import { table, rowHeader } from '../../ui.js';

export const LEVELS = {
  1: 'Niveau 1 – renforcement du tutorat de proximité',
  2: 'Niveau 2 – aménagement de formation',
  3: 'Niveau 3 – alerte',
};

export const levelLabel = (n) => LEVELS[n] || `Niveau ${n}`;

/** The parts of the fiche de suivi, in the order of the paper form. */
export const ENTRY_KINDS = [
  { kind: 'difficulty', label: 'Difficultés observées', writers: ['tutor'] },
  { kind: 'action_tutorat', label: 'Actions du tutorat mixte', writers: ['tutor'] },
  { kind: 'action_inspe', label: 'Actions de l’INSPÉ', writers: ['tutor', 'level2_actor', 'level3_actor'] },
  { kind: 'action_school', label: 'Actions de l’établissement ou de la circonscription', writers: ['tutor', 'level2_actor', 'level3_actor'] },
  { kind: 'informed', label: 'Chef d’établissement informé le', writers: ['tutor'] },
  { kind: 'alert', label: 'Alerte', writers: ['tutor', 'level2_actor', 'level3_actor'], level: 3 },
  { kind: 'response', label: 'Réponse de l’INSPÉ et de l’Éducation nationale', writers: ['level3_actor'], level: 3 },
];

export const entryLabel = (kind) => ENTRY_KINDS.find((k) => k.kind === kind)?.label || kind;

/** The kinds the reader may write now (the API says the same). */
export function writableKinds(c) {
  if (c.state !== 'open') return [];
  return ENTRY_KINDS.filter((k) => (!k.level || c.level >= k.level) && k.writers.some((w) => c.relations.includes(w)));
}

export const OUTCOMES = { up: 'passage au niveau supérieur', down: 'retour au niveau inférieur', end: 'fin de l’accompagnement' };

export const STATES = { open: 'En cours', closed: 'Clos' };

/** « du 1 octobre 2026 au 15 novembre 2026 », from API dates (YYYY-MM-DD). */
export function period(startsOn, endsOn) {
  return `du ${day(startsOn)} au ${day(endsOn)}`;
}

/** A calendar date of the API, in French, whatever the browser's zone. */
export function day(value) {
  if (!value) return '—';
  const [y, m, d] = value.split('-').map(Number);
  return new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** Who is an actor at each level: the help shown on the case's page. */
export function audienceHelp() {
  return table({
    caption: 'Qui est acteur à chaque niveau',
    columns: [{ label: 'Niveau' }, { label: 'Acteurs' }],
    rows: [
      [rowHeader(LEVELS[1]), 'Le stagiaire et ses deux tuteurs (le trio). Le chef d’établissement est informé.'],
      [rowHeader(LEVELS[2]), 'Le trio, et pour les structures du stagiaire : le responsable de site INSPÉ, le chef d’établissement, le chargé de mission formation du département, le pilote et le référent INSPÉ du pôle, le responsable de parcours.'],
      [rowHeader(LEVELS[3]), 'Les acteurs du niveau 2, la direction de l’INSPÉ et l’inspecteur (IEN de la circonscription ou du pôle, IA-IPR de la discipline).'],
    ],
  });
}

/** A plain paragraph of help. */
export const note = (text) => h('p', { class: 'fr-text--sm' }, text);
