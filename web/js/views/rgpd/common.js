// Labels shared by the screens of personal data (docs/rgpd-access.md).

import { h } from '../../dom.js';

/** What was read, by read_log's record_type. */
export const RECORD_TYPES = {
  case: 'Dossier d’accompagnement personnalisé',
  bilan: 'Bilan',
  bilans: 'Bilans du dossier de suivi',
  self_assessments: 'Auto-positionnements',
  trace: 'Temps de suivi et sa trace',
  document: 'Document déposé',
  sopa_report: 'Compte rendu de stage SOPA',
};

/** The identity data a person may ask to correct. */
export const FIELDS = {
  display_name: 'Nom affiché',
  given_name: 'Prénom',
  family_name: 'Nom de famille',
  email: 'Adresse électronique',
};

export const STATUSES = {
  open: { label: 'Envoyée', badge: 'new' },
  in_progress: { label: 'En cours', badge: 'info' },
  done: { label: 'Faite', badge: 'success' },
  refused: { label: 'Refusée', badge: 'error' },
};

/** A DSFR badge with the request's status. */
export function statusBadge(status) {
  const s = STATUSES[status] || { label: status, badge: 'info' };
  return h('p', { class: `fr-badge fr-badge--sm fr-badge--${s.badge}` }, s.label);
}
