// French labels for the codes the API uses (DOMAIN.md §1-2). The users' own
// words: keep them as they are.

/** Role codes → labels, in the order menus and selects show them. */
export const ROLE_LABELS = {
  stagiaire: 'Stagiaire',
  etudiant_sopa: 'Étudiant SOPA',
  tuteur_terrain: 'Tuteur terrain',
  tuteur_inspe: 'Tuteur Inspé',
  mat: 'Maître d’accueil temporaire',
  ien: 'IEN',
  pilote_pole: 'Pilote de pôle',
  referent_inspe: 'Référent INSPÉ',
  dea: 'Directeur d’école d’application',
  ia_ipr: 'IA-IPR',
  responsable_parcours: 'Responsable de parcours',
  chef_etablissement: 'Chef d’établissement',
  responsable_site: 'Responsable de site INSPÉ',
  charge_mission_formation: 'Chargé de mission formation',
  direction_inspe: 'Direction INSPÉ',
  bureau_stages: 'Bureau des stages',
  gestionnaire_scolarite: 'Gestionnaire de scolarité',
  delegue_stage: 'Délégué de stage',
  pilote_collectif: 'Pilote de collectif',
  admin: 'Administrateur',
};

export function roleLabel(code) {
  return ROLE_LABELS[code] || code;
}

/** Structure kinds (singular, plural). */
export const STRUCTURE_KINDS = {
  departement: { label: 'Département', plural: 'Départements' },
  circonscription: { label: 'Circonscription', plural: 'Circonscriptions', parent: 'departement' },
  pole: { label: 'Pôle de formation', plural: 'Pôles de formation', parent: 'departement' },
  school: { label: 'École ou établissement', plural: 'Écoles et établissements', parent: 'circonscription', code: 'Code UAI' },
  inspe_site: { label: 'Site INSPÉ', plural: 'Sites INSPÉ' },
  discipline: { label: 'Discipline', plural: 'Disciplines' },
};

export function structureKindLabel(kind) {
  return STRUCTURE_KINDS[kind]?.label || kind;
}

/** Scope kinds of a role assignment: the académie or one kind of structure. */
export const SCOPE_KINDS = {
  academy: 'Toute l’académie',
  ...Object.fromEntries(Object.entries(STRUCTURE_KINDS).map(([k, v]) => [k, v.label])),
};

export function scopeKindLabel(kind) {
  return SCOPE_KINDS[kind] || kind;
}

/** Where an assignment comes from. */
const SOURCE_LABELS = {
  ldap: 'Annuaire académique',
  manual: 'Saisie dans Tutorat',
  local: 'Saisie dans Tutorat',
  import: 'Import',
};

export function sourceLabel(source) {
  return SOURCE_LABELS[source] || source || '—';
}

/** The usual scope of each role (DOMAIN.md §1), preselected when assigning it. */
export const DEFAULT_SCOPE = {
  stagiaire: 'academy',
  etudiant_sopa: 'academy',
  tuteur_terrain: 'academy',
  tuteur_inspe: 'academy',
  mat: 'school',
  ien: 'circonscription',
  pilote_pole: 'pole',
  referent_inspe: 'pole',
  dea: 'pole',
  ia_ipr: 'discipline',
  responsable_parcours: 'discipline',
  chef_etablissement: 'school',
  responsable_site: 'inspe_site',
  charge_mission_formation: 'departement',
  direction_inspe: 'academy',
  bureau_stages: 'academy',
  gestionnaire_scolarite: 'inspe_site',
  delegue_stage: 'inspe_site',
  pilote_collectif: 'academy',
  admin: 'academy',
};
