// What the app shows and to whom: the routes (hash paths → view modules) and
// the main menu. A module adds its screens here: one route per screen, one
// view module per screen under js/views/<module>/, and menu entries for the
// roles that use them. `roles` omitted means any signed-in user; the API
// enforces access in any case, this only keeps menus and screens relevant.

const ADMIN = ['admin'];
const TUTORS = ['tuteur_terrain', 'tuteur_inspe'];
const PILOTS = [
  'ien', 'pilote_pole', 'referent_inspe', 'dea', 'ia_ipr', 'responsable_parcours',
  'chef_etablissement', 'responsable_site', 'charge_mission_formation',
  'direction_inspe', 'bureau_stages',
];

/** Screens announced in the menu before their module exists. */
export const SOON = [
  {
    path: '/mon-annee', label: 'Mon année', roles: ['stagiaire'],
    description: 'Votre dossier de suivi de l’année : auto-positionnement sur le référentiel de compétences, visites, écrits réflexifs et bilans, partagés avec vos deux tuteurs.',
  },
  {
    path: '/mes-stages', label: 'Mes stages SOPA', roles: ['etudiant_sopa'],
    description: 'Vos stages d’observation et de pratique accompagnée : calendrier, lieux d’accueil et comptes rendus de vos maîtres d’accueil.',
  },
  {
    path: '/mes-stagiaires', label: 'Mes stagiaires', roles: TUTORS,
    description: 'Les stagiaires que vous suivez en tutorat mixte : visites à préparer, écrits à lire et à compléter, bilans intermédiaire et final.',
  },
  {
    path: '/etudiants-accueillis', label: 'Étudiants accueillis', roles: ['mat'],
    description: 'Les étudiants SOPA que vous accueillez dans votre classe et les comptes rendus de stage à rédiger dans la semaine qui suit chaque stage.',
  },
  {
    path: '/tableau-de-bord', label: 'Tableau de bord', roles: PILOTS,
    description: 'Le suivi des stagiaires de votre périmètre : avancement des visites, réunions de pôle, accompagnements en cours.',
  },
  {
    path: '/sopa', label: 'Stages SOPA', roles: ['gestionnaire_scolarite', 'delegue_stage'],
    description: 'Les stages SOPA de votre site INSPÉ : affectations des étudiants et comptes rendus reçus des maîtres d’accueil.',
  },
  {
    path: '/reseau', label: 'Réseau de tuteurs', roles: ['pilote_collectif'],
    description: 'Votre collectif de tuteurs : membres, rencontres et ressources partagées.',
  },
];

const annuaire = (name) => () => import(`./views/annuaire/${name}.js`);

/** Routes, matched in order; `:name` captures one path segment. */
export const ROUTES = [
  { path: '/', view: () => import('./views/accueil.js') },
  { path: '/annuaire/personnes', roles: ADMIN, view: annuaire('personnes') },
  { path: '/annuaire/personnes/nouvelle', roles: ADMIN, view: annuaire('personne-form') },
  { path: '/annuaire/personnes/:id', roles: ADMIN, view: annuaire('personne') },
  { path: '/annuaire/personnes/:id/modifier', roles: ADMIN, view: annuaire('personne-form') },
  { path: '/annuaire/structures', roles: ADMIN, view: annuaire('structures') },
  { path: '/annuaire/structures/nouvelle', roles: ADMIN, view: annuaire('structure-form') },
  { path: '/annuaire/structures/:id/modifier', roles: ADMIN, view: annuaire('structure-form') },
  ...SOON.map((entry) => ({ path: entry.path, roles: entry.roles, soon: entry, view: () => import('./views/bientot.js') })),
];

/** The main menu. An entry with children is a DSFR sub-menu. */
export const MENU = [
  { label: 'Accueil', href: '#/' },
  ...SOON.map((entry) => ({ label: entry.label, href: `#${entry.path}`, roles: entry.roles })),
  {
    label: 'Annuaire', roles: ADMIN, children: [
      { label: 'Personnes', href: '#/annuaire/personnes' },
      { label: 'Structures', href: '#/annuaire/structures' },
    ],
  },
];

/** True when a user with these roles may see an entry that requires `roles`. */
export function allowed(roles, userRoles) {
  return !roles || roles.some((role) => userRoles.includes(role));
}
