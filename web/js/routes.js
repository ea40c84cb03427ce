// What the app shows and to whom: the routes (hash paths → view modules) and
// the main menu. A module adds its screens here: one route per screen, one
// view module per screen under js/views/<module>/, and menu entries for the
// roles that use them. `roles` omitted means any signed-in user; the API
// enforces access in any case, this only keeps menus and screens relevant.

const ADMIN = ['admin'];
const TUTORS = ['tuteur_terrain', 'tuteur_inspe'];

const MANAGERS = ['admin', 'bureau_stages'];
// The dashboards (docs/pilotage.md): every role that holds a scope of them.
const DASHBOARD = [
  'pilote_pole', 'referent_inspe', 'dea', 'ien', 'responsable_site', 'ia_ipr', 'responsable_parcours',
  'charge_mission_formation', 'direction_inspe', 'bureau_stages',
];
// SOPA: the INSPÉ sites' staff, the bureau des stages and the direction (docs/sopa.md).
const SOPA_SITE = ['gestionnaire_scolarite', 'delegue_stage', 'responsable_site', 'bureau_stages', 'direction_inspe'];
// The meetings module (docs/meetings.md): who runs or attends the pôle
// meetings, who writes a fiche de personnalisation, the cellule.
const MEETING_ROLES = ['pilote_pole', 'ien', 'ia_ipr', 'referent_inspe', 'dea', 'responsable_parcours', 'bureau_stages'];
const FICHE_ROLES = ['tuteur_terrain', 'tuteur_inspe', 'pilote_pole', 'ien', 'ia_ipr', 'bureau_stages'];
const CELLULE = ['bureau_stages'];
const DISAGREEMENT_READERS = ['ien', 'pilote_pole', 'direction_inspe'];
const RESULT_READERS = ['admin', 'bureau_stages', 'direction_inspe', 'responsable_parcours'];
// Who can be an actor of a case (docs/accompaniment.md); the API decides which.
const CASE_ACTORS = [
  'stagiaire', ...TUTORS, 'responsable_site', 'chef_etablissement', 'charge_mission_formation',
  'pilote_pole', 'referent_inspe', 'responsable_parcours', 'direction_inspe', 'ien', 'ia_ipr',
];
// Who can be a party, a pilot or the cellule of a parcours d'individualisation.
// The réseau de tuteurs (docs/reseau.md): tutors volunteer and meet in
// collectives; the académie's organisers open the calls and compose them.
const RESEAU_ORGANISERS = ['bureau_stages', 'direction_inspe', 'charge_mission_formation'];
const RESEAU = [...TUTORS, 'pilote_collectif', ...RESEAU_ORGANISERS];
const INDIVIDUALISATION = ['stagiaire', 'tuteur_terrain', 'tuteur_inspe', 'ien', 'pilote_pole', 'ia_ipr',
  'chef_etablissement', 'responsable_parcours', 'bureau_stages'];

/**
 * The spaces of the modules that exist: one menu entry and one home tile
 * each, by role. The pages inside a dossier (a trainee's year, a follow-up
 * time, a bilan) have no role: what the caller may see follows from their
 * relation to the enrolment, which only the API knows (404 otherwise).
 */
export const SPACES = [
  {
    path: '/mon-annee', label: 'Mon année', roles: ['stagiaire'],
    description: 'Votre dossier de suivi de l’année : auto-positionnement sur le référentiel de compétences, visites, écrits réflexifs et bilans, partagés avec vos deux tuteurs.',
  },
  {
    path: '/mes-stagiaires', label: 'Mes stagiaires', roles: TUTORS,
    description: 'Les stagiaires que vous suivez en tutorat mixte : visites à préparer, écrits à lire et à compléter, bilans intermédiaire et final.',
  },
  {
    path: '/inscriptions', label: 'Inscriptions', roles: MANAGERS,
    description: 'Les stagiaires inscrits pour l’année : parcours, lieux d’exercice et trio (tuteur terrain, tuteur Inspé).',
  },
  {
    path: '/desaccords', label: 'Désaccords signalés', roles: DISAGREEMENT_READERS,
    description: 'Les désaccords signalés par les tuteurs terrain sur l’avis du tuteur Inspé, pour les stagiaires de votre périmètre.',
  },
  {
    path: '/reunions', label: 'Réunions de pôle', roles: MEETING_ROLES,
    description: 'Les réunions N°1 à N°3 de votre pôle de formation ou de votre discipline : la liste des stagiaires à examiner, préparée à partir des signaux, et la décision pour chacun.',
  },
  {
    path: '/reunions/fiches', label: 'Fiches de personnalisation', roles: FICHE_ROLES,
    description: 'Les fiches de personnalisation de l’accompagnement : difficultés, dispositif proposé et heures du tuteur Inspé, transmises à la cellule d’accompagnement.',
  },
  {
    path: '/reunions/cellule', label: 'Cellule d’accompagnement', roles: CELLULE,
    description: 'Les fiches de personnalisation reçues, le budget d’accompagnement de l’année (heures accordées et restantes) et les ateliers de remédiation.',
  },
  {
    path: '/accompagnement', label: 'Accompagnement personnalisé', roles: CASE_ACTORS,
    description: 'Les dossiers d’accompagnement des stagiaires en difficulté dont vous êtes acteur : niveau, fiche de suivi, bilans, et qui les a consultés.',
  },
  {
    path: '/individualisation', label: 'Parcours d’individualisation', roles: INDIVIDUALISATION,
    description: 'Les parcours d’individualisation (annexes 2 et 3) dont vous êtes signataire, pilote ou destinataire : contenu, signatures, points de situation et bilan.',
  },
  {
    path: '/reseau', label: 'Réseau de tuteurs', roles: RESEAU,
    description: 'Les collectifs de tuteurs de votre département : appels à volontaires, composition des collectifs, charte, présentiels et fiches synthèses publiées.',
  },
  {
    path: '/resultats', label: 'Résultats pour le jury', roles: RESULT_READERS,
    description: 'La note ou l’avis de chaque stagiaire de l’année, par parcours, et le rapport M2B une fois transmis : la liste à télécharger pour le jury.',
  },
  {
    path: '/tableau-de-bord', label: 'Tableau de bord', roles: DASHBOARD,
    description: 'Le suivi des stagiaires de votre périmètre, en nombres : visites, réunions de pôle, accompagnements, bilans ; chaque nombre ouvre la liste des stagiaires concernés, à exporter.',
  },
  // SOPA (docs/sopa.md): the host teacher's and the student's spaces.
  {
    path: '/etudiants-accueillis', label: 'Étudiants accueillis', roles: ['mat'],
    description: 'Les étudiants SOPA que vous accueillez dans votre classe et les comptes rendus de stage à rédiger dans la semaine qui suit chaque stage.',
  },
  {
    path: '/mes-stages', label: 'Mes stages SOPA', roles: ['etudiant_sopa'],
    description: 'Vos stages d’observation et de pratique accompagnée : calendrier, lieux d’accueil, questions de chaque stage et comptes rendus de vos maîtres d’accueil.',
  },
  // SOPA, the site's space (docs/sopa.md): its staff, the bureau, the direction.
  {
    path: '/sopa', label: 'Stages SOPA', roles: SOPA_SITE,
    description: 'Les stages SOPA de votre site INSPÉ : calendrier de l’année, affectations des étudiants, comptes rendus reçus des maîtres d’accueil, saisie pour l’UE4 et jury.',
  },
];

/**
 * Screens announced in the menu before their module exists: what will come
 * (description) and what to do meanwhile, said on the screen (bientot.js).
 */
export const SOON = [];

const annuaire = (name) => () => import(`./views/annuaire/${name}.js`);
const tutorat = (name) => () => import(`./views/tutorat/${name}.js`);
const notifications = (name) => () => import(`./views/notifications/${name}.js`);
const reunions = (name) => () => import(`./views/reunions/${name}.js`);
const sopa = (name) => () => import(`./views/sopa/${name}.js`);
const reseau = (name) => () => import(`./views/reseau/${name}.js`);
const pilotage = (name) => () => import(`./views/pilotage/${name}.js`);
const conservation = (name) => () => import(`./views/conservation/${name}.js`);
const rgpd = (name) => () => import(`./views/rgpd/${name}.js`);

/** Routes, matched in order; `:name` captures one path segment. */
export const ROUTES = [
  { path: '/', view: () => import('./views/accueil.js') },
  { path: '/securite', view: () => import('./views/securite.js') },
  // A person's own copy of their data (docs/copy.md): every signed-in person.
  { path: '/mes-donnees/copie', view: () => import('./views/mes-donnees/copie.js') },
  { path: '/annuaire/personnes', roles: ADMIN, view: annuaire('personnes') },
  { path: '/annuaire/personnes/nouvelle', roles: ADMIN, view: annuaire('personne-form') },
  { path: '/annuaire/personnes/:id', roles: ADMIN, view: annuaire('personne') },
  { path: '/annuaire/personnes/:id/modifier', roles: ADMIN, view: annuaire('personne-form') },
  { path: '/annuaire/structures', roles: ADMIN, view: annuaire('structures') },
  { path: '/annuaire/structures/nouvelle', roles: ADMIN, view: annuaire('structure-form') },
  { path: '/annuaire/structures/:id/modifier', roles: ADMIN, view: annuaire('structure-form') },
  // Tutorat mixte (docs/tutorat-contract.md).
  { path: '/mon-annee', roles: ['stagiaire'], view: tutorat('dossier') },
  { path: '/mes-stagiaires', roles: TUTORS, view: tutorat('stagiaires') },
  { path: '/dossiers/:id', view: tutorat('dossier') },
  { path: '/dossiers/:id/planifier', view: tutorat('planifier') },
  { path: '/dossiers/:id/auto-positionnement', view: tutorat('auto-positionnement') },
  { path: '/dossiers/:id/bilans-et-resultat', view: tutorat('resultat') },
  { path: '/dossiers/:id/historique', view: tutorat('historique') },
  { path: '/temps-de-suivi/:id', view: tutorat('temps-de-suivi') },
  { path: '/temps-de-suivi/:id/modifier', view: tutorat('planifier') },
  { path: '/bilans/:id', view: tutorat('bilan') },
  { path: '/inscriptions', roles: MANAGERS, view: tutorat('inscriptions') },
  { path: '/inscriptions/nouvelle', roles: MANAGERS, view: tutorat('inscription-form') },
  { path: '/inscriptions/:id', roles: MANAGERS, view: tutorat('inscription') },
  { path: '/inscriptions/:id/modifier', roles: MANAGERS, view: tutorat('inscription-form') },
  { path: '/desaccords', roles: DISAGREEMENT_READERS, view: tutorat('desaccords') },
  { path: '/resultats', roles: RESULT_READERS, view: tutorat('resultats') },
  // Pôle meetings, personnalisation, cellule (docs/meetings.md).
  { path: '/reunions', roles: MEETING_ROLES, view: reunions('reunions') },
  { path: '/reunions/reunion/:id', view: reunions('reunion') },
  { path: '/reunions/fiches', view: reunions('fiches') },
  { path: '/reunions/fiches/nouvelle', roles: FICHE_ROLES, view: reunions('fiche-form') },
  { path: '/reunions/fiche/:id', view: reunions('fiche') },
  { path: '/reunions/fiche/:id/modifier', roles: FICHE_ROLES, view: reunions('fiche-form') },
  { path: '/reunions/cellule', roles: CELLULE, view: reunions('cellule') },
  { path: '/reunions/atelier/:id', roles: CELLULE, view: reunions('atelier') },
  // Accompagnement personnalisé, the case (docs/accompaniment.md).
  { path: '/accompagnement', roles: CASE_ACTORS, view: () => import('./views/accompagnement/liste.js') },
  { path: '/accompagnement/:id', view: () => import('./views/accompagnement/dossier.js') },
  // Parcours d'individualisation (docs/contracts.md).
  { path: '/individualisation', roles: INDIVIDUALISATION, view: () => import('./views/individualisation/liste.js') },
  { path: '/individualisation/:id', view: () => import('./views/individualisation/contrat.js') },
  { path: '/individualisation/:id/modifier', view: () => import('./views/individualisation/modifier.js') },
  // SOPA, the host teacher's and the student's screens (docs/sopa.md).
  { path: '/etudiants-accueillis', roles: ['mat'], view: sopa('mat') },
  { path: '/mes-stages', roles: ['etudiant_sopa'], view: sopa('etudiant') },
  { path: '/sopa/stages/:id', view: sopa('placement') },
  { path: '/sopa/comptes-rendus/:id', view: sopa('report') },
  // SOPA, the site's screens (docs/sopa.md).
  { path: '/sopa', roles: SOPA_SITE, view: sopa('site') },
  { path: '/sopa/organisation', roles: SOPA_SITE, view: sopa('organisation') },
  // Réseau de tuteurs (docs/reseau.md): what each person sees of a call, a
  // collective or a meeting follows from their relation to it (API, 404).
  { path: '/reseau', roles: RESEAU, view: reseau('accueil') },
  { path: '/reseau/appels/:id', roles: RESEAU, view: reseau('appel') },
  { path: '/reseau/appels/:id/volontariat', roles: [...TUTORS, 'pilote_collectif'], view: reseau('volontariat') },
  { path: '/reseau/collectifs/:id', roles: RESEAU, view: reseau('collectif') },
  { path: '/reseau/rencontres/:id', roles: RESEAU, view: reseau('rencontre') },
  { path: '/reseau/bibliotheque', roles: RESEAU, view: reseau('bibliotheque') },
  { path: '/reseau/bibliotheque/:id', roles: RESEAU, view: reseau('fiche') },
  { path: '/reseau/ressources', view: reseau('ressources') },
  { path: '/reseau/bilan', roles: RESEAU_ORGANISERS, view: reseau('bilan') },
  // Pilotage, the dashboards (docs/pilotage.md): which scopes the caller
  // holds is the API's (404 for another).
  { path: '/tableau-de-bord', roles: DASHBOARD, view: pilotage('tableau') },
  { path: '/tableau-de-bord/:kind/:id', roles: DASHBOARD, view: pilotage('tableau') },
  { path: '/tableau-de-bord/:kind/:id/:key', roles: DASHBOARD, view: pilotage('liste') },
  // Notifications (issue 9): the bell's list and the preferences are anyone's.
  { path: '/notifications', view: notifications('liste') },
  { path: '/preferences', view: notifications('preferences') },
  { path: '/administration/courriels', roles: ADMIN, view: notifications('courriels') },
  // Retention of personal data (docs/rgpd.md).
  { path: '/administration/conservation', roles: ADMIN, view: conservation('durees') },
  // Personal data (docs/rgpd-access.md): anyone's own page; the admin's
  // rectification requests and the académie's transparency page.
  { path: '/mes-donnees', view: rgpd('mes-donnees') },
  { path: '/administration/rectifications', roles: ADMIN, view: rgpd('rectifications') },
  { path: '/administration/informations', roles: ADMIN, view: rgpd('informations-edit') },
  ...SOON.map((entry) => ({ path: entry.path, roles: entry.roles, soon: entry, view: () => import('./views/bientot.js') })),
];

/** The main menu. An entry with children is a DSFR sub-menu. */
export const MENU = [
  { label: 'Accueil', href: '#/' },
  ...SPACES.map((entry) => ({ label: entry.label, href: `#${entry.path}`, roles: entry.roles })),
  ...SOON.map((entry) => ({ label: entry.label, href: `#${entry.path}`, roles: entry.roles })),
  {
    label: 'Annuaire', roles: ADMIN, children: [
      { label: 'Personnes', href: '#/annuaire/personnes' },
      { label: 'Structures', href: '#/annuaire/structures' },
    ],
  },
  { label: 'Courriels et rappels', href: '#/administration/courriels', roles: ADMIN },
  { label: 'Durées de conservation', href: '#/administration/conservation', roles: ADMIN },
  {
    label: 'Données personnelles', roles: ADMIN, children: [
      { label: 'Demandes de rectification', href: '#/administration/rectifications' },
      { label: 'Page d’information', href: '#/administration/informations' },
    ],
  },
  { label: 'Mes données personnelles', href: '#/mes-donnees' },
];

/** True when a user with these roles may see an entry that requires `roles`. */
export function allowed(roles, userRoles) {
  return !roles || roles.some((role) => userRoles.includes(role));
}
