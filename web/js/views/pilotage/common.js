// What the pilotage screens share (docs/pilotage.md): the French words of
// the scopes, parcours and degrees, the columns of the lists, the
// addresses of the screens and of the API, and the module's stylesheet.
// Counts and dates only: no screen of this module shows the text of a
// trace, a fiche, a bilan or a report.

import { h } from '../../dom.js';
import { withQuery } from '../../api.js';

export const SCOPE_LABELS = {
  pole: 'Pôle de formation',
  circonscription: 'Circonscription',
  inspe_site: 'Site INSPÉ',
  discipline: 'Discipline',
  departement: 'Département',
  academy: 'Académie',
};

export const PARCOURS_LABELS = { M2A: 'M2A', DU: 'DU', M2B: 'M2B' };
export const DEGRE_LABELS = { 1: '1er degré', 2: '2nd degré', '1d': '1er degré', '2d': '2nd degré' };
export const LEVEL_LABELS = { 1: 'Niveau 1', 2: 'Niveau 2', 3: 'Niveau 3' };

/** « Pôle de formation Lyon Nord », « Académie ». */
export function scopeName(scope) {
  if (!scope) return '';
  const kind = SCOPE_LABELS[scope.kind] || scope.kind;
  if (scope.kind === 'academy') return scope.name ? `${kind} – ${scope.name}` : kind;
  return scope.name ? `${kind} ${scope.name}` : kind;
}

/** The id of a scope in the addresses: the académie's is 0. */
export const scopeId = (scope) => (scope.kind === 'academy' ? 0 : scope.id);

/** The screens' addresses. */
export function dashboardHash(kind, id, year) {
  return withQuery(`#/tableau-de-bord/${kind}/${id}`, { annee: year });
}
export function listHash(kind, id, key, params = {}) {
  return withQuery(`#/tableau-de-bord/${kind}/${id}/${encodeURIComponent(key)}`, params);
}

/** The API's paths (relative to /api/v1). */
export const dashboardPath = (kind, id) => `/pilotage/dashboards/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`;
export const listPath = (kind, id, key) => `${dashboardPath(kind, id)}/lists/${encodeURIComponent(key)}`;
/** The columns the reader chose for a list, remembered for them. */
export const columnsPath = (key) => `/pilotage/columns/${encodeURIComponent(key)}`;

/** The French names of the list columns the API gives (others shown as named). */
export const COLUMN_LABELS = {
  enrolment_id: 'Dossier',
  trainee: 'Stagiaire',
  parcours: 'Parcours',
  degre: 'Degré',
  school: 'Établissement',
  status: 'Statut',
  date: 'Date',
  visits_done: 'Visites faites',
  joint_visits: 'Visites conjointes',
  last_visit: 'Dernière visite',
  meeting1_on: 'Réunion de pôle n° 1',
  renouvellement: 'En renouvellement',
  acc_level: 'Niveau d’accompagnement',
  open_personalisations: 'Personnalisations ouvertes',
  late_bilans: 'Bilans en retard',
  missing_bilans: 'Bilans manquants',
  unsigned_fiches: 'Fiches en attente de signature',
  disagreement: 'Désaccord signalé',
  visits_expected: 'Visites attendues',
  joint_visit_done: 'Visite conjointe faite',
  last_visit_at: 'Dernière visite',
  first_visit_at: 'Première visite',
  level: 'Niveau',
  opened_at: 'Ouvert le',
  since: 'Depuis le',
  due_on: 'Attendu pour le',
  due_at: 'Attendu pour le',
  submitted_at: 'Transmis le',
  signed_at: 'Signé le',
  waiting_for: 'En attente de',
  kind: 'Nature',
  state: 'État',
  reported_at: 'Signalé le',
  meeting_date: 'Date de la réunion',
  reason: 'Motif',
  reasons: 'Motifs',
  renewal: 'En renouvellement',
  circonscription: 'Circonscription',
  pole: 'Pôle',
  discipline: 'Discipline',
  inspe_site: 'Site INSPÉ',
  tutor_terrain: 'Tuteur terrain',
  tutor_inspe: 'Tuteur Inspé',
  late: 'En retard',
  missing: 'Manquant',
  count: 'Nombre',
  period: 'Période',
};

const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A cell's text: names of objects, dates in French, booleans as oui/non. */
export function cellText(key, value) {
  if (value === null || value === undefined || value === '') return '—';
  if (key === 'parcours') return PARCOURS_LABELS[value] || String(value);
  if (key === 'degre') return DEGRE_LABELS[value] || String(value);
  if (key === 'level' || key === 'acc_level') return LEVEL_LABELS[value] || String(value);
  if (typeof value === 'boolean') return value ? 'Oui' : 'Non';
  if (Array.isArray(value)) return value.map((v) => cellText('', v)).join(', ') || '—';
  if (typeof value === 'object') {
    return value.display_name || value.label || value.name
      || [value.first_name, value.last_name].filter(Boolean).join(' ') || (value.id != null ? String(value.id) : '—');
  }
  if (typeof value === 'string' && DATE.test(value)) {
    const date = new Date(value.length === 10 ? `${value}T12:00:00` : value);
    if (!Number.isNaN(date.getTime())) {
      return date.toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
    }
  }
  if (typeof value === 'number') return value.toLocaleString('fr-FR');
  return String(value);
}

/** The module's stylesheet, once per page. */
export function useStyles() {
  if (document.querySelector('link[data-app-pilotage]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/css/pilotage.css', dataset: { appPilotage: '1' } }));
}

/** The current school year ({id, label}), or the newest. */
export function currentYear(years) {
  return years.find((y) => y.current) || years[0] || null;
}
