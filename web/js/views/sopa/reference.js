// The texts of the Poitiers SOPA guide (the seed of issue 11) that the
// screens of the module show as they are: the mission letter, the role of
// the tuteur de stage, the objectives, questions and activities of each
// stage, the four steps of the report form, its objectives, the ethics
// grid with its descriptors, and the French words of the API's codes.
// Shared by every screen of views/sopa/, with the few helpers they all use.

import { h } from '../../dom.js';
import { formatDate } from '../../format.js';

/** « La lettre de mission du tuteur de stage »: its paragraphs and signatures. */
export const MISSION_LETTER = {
  title: 'La lettre de mission du tuteur de stage',
  intro: [
    'Depuis la rentrée 2022, les étudiants en formation à l’INSPÉ de l’académie de Poitiers, en première année (m1) de master MEEF1 mention premier degré, doivent effectuer un Stage d’Observation et de Pratique Accompagnée (SOPA) d’une durée équivalente à six semaines, réparties sur une année scolaire.',
    'Vous avez accepté d’être tuteur ou tutrice de stage d’un ou de deux de nos étudiant(s) de m1 et tenons à vous remercier vivement de votre engagement dans cette mission qui vous a été proposée par l’intermédiaire du corps d’inspection. Par votre action, vous contribuez pleinement à la formation universitaire professionnalisante des futurs enseignants et futures enseignantes.',
  ],
  missionsTitle: 'Vos missions en tant que tuteur de Stage d’Observation et de Pratique Accompagnée (SOPA)',
  missionsIntro: 'Votre rôle en tant que tuteur est multiple et se décline selon plusieurs axes fondamentaux :',
  missions: [
    'Accueillir et intégrer l’étudiant dans l’école : lui présenter l’équipe enseignante, les locaux, les élèves et les règles de fonctionnement de l’établissement,',
    'Observer et analyser les pratiques : proposer des temps d’observations des et d’échanges sur les pratiques enseignantes, en mettant en avant les axes d’amélioration, possiblement permettre à l’étudiant de pratiquer ponctuellement, sous votre supervision,',
    'Accompagner la prise en main de la classe : aider à la planification des séquences pédagogiques, donner des repères pour la gestion de classe et proposer des ressources pédagogiques adaptées,',
    'Encourager la réflexion pédagogique : aider l’étudiant à analyser ses expériences, à comprendre les enjeux didactiques et à affiner ses choix pédagogiques,',
    'Assurer un suivi régulier : proposer des bilans intermédiaires et finaliser un retour constructif sur le parcours de stage.',
  ],
  partnershipTitle: 'Un partenariat essentiel pour une formation universitaire professionnalisante',
  partnership: [
    'Votre accompagnement ne se limite pas à un simple encadrement technique, mais engage également un dialogue régulier et bienveillant avec l’étudiant. Cette relation de tutorat contribue à construire sa posture professionnelle et à le préparer aux réalités du terrain, en phase avec le plan de formation conçus et mis en œuvre à l’INSPÉ. Ainsi, la mission de proximité qui vous a été confiée est essentielle pour les étudiants en formation. Il s’agit d’étudiants qu’il sera nécessaire à la fois d’accompagner et de rassurer, mais aussi de guider et de réguler lorsque cela s’avérera nécessaire. L’INSPÉ de l’académie de Poitiers reste à votre écoute pour toute question ou besoin d’ajustement dans le suivi des étudiants et étudiantes. Nous espérons que ce guide contribue à clarifier votre rôle et répond au plus grand nombre de vos interrogations.',
    'Ainsi, votre engagement dans ce dispositif est précieux car il participe pleinement à la formation des futurs enseignants et enseignantes de l’académie de Poitiers.',
  ],
  signatures: [
    ['Denis Alamargot', 'Directeur de l’INSPÉ de l’académie de Poitiers'],
    ['Cécile Lalanne', 'Directrice adjointe - Assesseure à la pédagogie'],
  ],
};

/** « Le rôle du tuteur de stage »: five headings, each with its list. */
export const TUTOR_ROLE = {
  title: 'Le rôle du tuteur de stage',
  subtitle: 'en m1 MEEF1 mention 1er degré – Stage d’Observation et de Pratiques Accompagnées « SOPA »',
  parts: [
    { title: 'Accueillir', items: [
      'Faire visiter l’école,',
      'Réserver un temps d’accueil au stagiaire avec le directeur, la directrice d’école,',
      'Rassurer l’étudiant en stage par un discours positif sur l’élève et le métier,',
      'Présenter l’école dans son environnement,',
      'S’assurer de la disponibilité des personnes, des locaux et du matériel,',
      'Présenter et expliciter la fonction des membres de l’équipe, du RASED et des partenaires extérieurs dont les parents,',
      'Informer l’étudiant ou l’étudiante sur la déontologie professionnelle et les exigences du métier,',
      'Informer de la réglementation (règlement intérieur, cahier d’appel, sécurité), du fonctionnement pédagogique (décloisonnements, échanges de service, différents conseils...),',
      'Réaliser un état des lieux des ressources disponibles dans l’école.',
    ] },
    { title: 'Faire observer', items: [
      'Organiser l’observation (considérer l’ensemble des points à observer et les conditions d’observation),',
      'Faire formuler en allant au-delà de la description, travailler sur les représentations initiales de l’étudiant ou de l’étudiante réalisant son stage.',
    ] },
    { title: 'Accompagner / Conseiller / Former', items: [
      'Aider à la prise en main progressive de la classe afin de construire les compétences du référentiel de professeur des écoles,',
      'Analyser sa propre pratique enseignante et celle de l’étudiant stagiaire en prenant en compte son contexte (débutant),',
      'Apporter des conseils pour la conduite de classe,',
      'Expliciter ses démarches, ses choix pédagogiques en cohérence avec les principes didactiques,',
      'Aider à mettre en perspective les séquences observées par rapport à la progression annuelle et de cycle de la classe,',
      'Présenter des outils d’enseignement et ressources pédagogiques : emploi du temps, cahier journal, fiches de préparation, séquences, progressions, programmations…,',
      'Faciliter la mise en place des séances dans les différentes disciplines notamment en français et mathématiques,',
      'Accompagner le stagiaire dans la connaissance de plus en plus grande du système éducatif dans son ensemble et sa complexité.',
    ] },
    { title: 'Observer / Évaluer', items: [
      'Compléter avec le stagiaire, à l’issue du stage, le compte-rendu demandé par l’INSPÉ.',
    ] },
    { title: 'Travailler en collaboration avec l’INSPÉ', items: [
      'Le tuteur de stage est invité aux réunions de présentation des attendus de stage et de partage d’expériences,',
      'Il participe à l’évaluation des étudiants en complétant et renvoyant le compte rendu de stage aux étudiants et gestionnaires de scolarité, évaluation de l’UE4 aux semestres 1 et 2,',
      'Il peut être amené à participer au jury de l’oral de stage, UE4 du semestre 2.',
    ] },
  ],
};

/** « Objectifs des stages »: the same for the three stages. */
export const OBJECTIVES = [
  { title: 'Observer', items: [
    'Construire les premières représentations relatives à l’école, l’institution, le métier d’enseignant ;',
    'S’approprier le cadre de fonctionnement et l’organisation de l’école et plus généralement du système éducatif ;',
    'Passer d’une observation libre à une observation formatrice des pratiques enseignantes, des comportements, des productions d’élèves ;',
    'Savoir observer les élèves pour adapter ses actions.',
  ] },
  { title: 'Pratiquer', items: [
    'Construire une posture d’enseignant ;',
    'Développer une attitude réflexive ;',
    'Acquérir des compétences professionnelles (cf. référentiel de compétences).',
  ] },
];

/**
 * The three stages: their form, the questions the student will be able to
 * answer (« Observations ciblées et questionnement réflexif ») and the
 * activities of « Pratique accompagnée ».
 */
export const STAGES = {
  1: {
    title: 'Premier stage (fractionné)',
    form: '1 semaine en début d’année + 1 semaine en fin d’année',
    questions: [
      'Qu’est-ce que l’école (aujourd’hui) ?',
      'Comment fonctionne-t-elle ?',
      'Qu’est-ce qu’une classe ?',
      'Que font les élèves dans une classe ?',
      'Qu’est-ce que le climat de classe ?',
      'Qu’est-ce qu’un enseignant (quel est son rôle) ?',
      'Quelles sont ses obligations ?',
      'Que fait l’enseignant dans (et hors de) la classe ?',
      'Qu’est-ce qu’enseigner ?',
      'Qu’est-ce qu’une séquence d’enseignement ?',
      'Comment une classe évolue-t-elle sur l’année ?',
    ],
    activitiesIntro: 'Prise en charge progressive de :',
    activities: [
      'Groupes d’élèves (au sein d’une séance menée par le MAT)',
      'Séances élaborées (supervisées / vérifiées) par le MAT',
      'Séance(s) élaborée(s) et préparée(s) par le stagiaire avec l’aide du MAT',
      'Conception / organisation / mise en place de séquence si l’étudiant le souhaite',
    ],
  },
  2: {
    title: 'Deuxième stage (massé)',
    form: '2 semaines complètes à suivre',
    questions: [
      'Quels points communs/quelles différences avec le stage 1 ;',
      'Quel est l’objectif de l’enseignant ?',
      'Quelle est l’activité des élèves ? Qu’est-ce qu’ils ont appris ?',
      'Quelles sont les différentes phases d’enseignement dans la journée, dans la séance ?',
      'Quelle(s) trace(s) reste(nt)-ils ?',
      'Quelles difficultés rencontrent certains élèves ? Quels obstacles sont rencontrés ?',
      'Sur quels éléments repose le climat de classe ? Quelles réussites et quels obstacles ?',
    ],
    activitiesIntro: 'Prise en main de la classe :',
    activities: [
      'Prise en main de groupes dans la classe',
      'Conception de séances',
      'Conduite de séances dans diverses disciplines',
      'Conception d’une séquence en étant guidé par le MAT.',
    ],
  },
  3: {
    title: 'Troisième stage (massé)',
    form: '2 semaines complètes à suivre',
    questions: [
      'Quels points communs et quelles différences avec les deux premiers stages ?',
      'Quelles sont les différentes modalités d’organisation de la classe ?',
      'Comment articuler les différentes phases des apprentissages des élèves ?',
      'Comment se déroule la phase de synthèse, l’institutionnalisation ?',
      'Comment est prise en charge l’hétérogénéité des élèves ?',
      'Comment installer et maintenir un cadre de travail propice aux apprentissages ?',
    ],
    activitiesIntro: 'Prise en main de la classe : faire la classe en enchaînant plusieurs séances (de la matinée à une journée complète). Prise en charge :',
    activities: [
      'de séances/séquences',
      'de la préparation à la réalisation',
    ],
  },
};

/** « 1- De l’observation à la prise en charge progressive »: the four steps. */
export const STEPS_TITLE = '1- De l’observation à la prise en charge progressive';
export const STEPS_HINT = 'Cette prise en charge de la classe se fait en fonction du degré d’expérience du stagiaire et il est inutile de brûler les étapes : les différentes étapes présupposent la maîtrise des étapes précédentes.';
export const STEPS = [
  { step: 1, activities: ['Observations', 'Observations et questionnements', 'Aide ponctuelle aux élèves'] },
  { step: 2, activities: ['Prise en charge de groupes d’élèves (au sein d’une séance menée par le MAT)', 'Conduite de séances supervisées/vérifiées par le MAT'] },
  { step: 3, activities: ['Mise en place de situations d’EPS', 'Conduite de séances dans diverses disciplines, préparées en autonomie'] },
  { step: 4, activities: ['Faire la classe en enchaînant plusieurs temps d’apprentissage, préparés en autonomie (les objectifs donnés par le MAT)'] },
];

/** « 2- Objectifs de formation », per pair of steps. */
export const STEP_OBJECTIVES = {
  12: [
    'Comprendre ce que l’on attend d’un enseignant. Commencer à envisager l’ampleur de sa mission',
    'Construire les premières représentations relatives à l’école, l’institution, le métier d’enseignant',
    'Passer d’une observation libre à une observation formatrice des pratiques enseignantes, des comportements, des productions d’élèves',
    'S’intégrer à une équipe',
  ],
  34: [
    'Repérer les gestes et les choix professionnels',
    'Savoir observer les élèves pour adapter ses actions',
    'Construire une posture d’enseignant',
    'Développer une attitude réflexive',
    'S’approprier le cadre de fonctionnement et l’organisation de l’école et plus généralement du système éducatif',
    'S’intégrer à une équipe',
  ],
};

export const RATINGS = [
  { value: 'non_acquis', label: 'Non acquis' },
  { value: 'en_cours', label: 'En cours d’acquisition' },
  { value: 'acquis', label: 'Acquis' },
];
export const ratingLabel = (v) => RATINGS.find((r) => r.value === v)?.label || '—';

// C11's « Acquis » is the same for every stage.
const C11_ACQUIS = [
  'Stagiaire bien intégré à la classe, communique et porte de l’intérêt aux élèves et aux adultes de l’école',
  'Participe aux temps d’échanges et de préparation hors temps de classe',
  'Profite des temps de récréation, sur les temps de service du MAT, pour s’intégrer et rencontrer l’équipe de l’école',
  'Participe, si l’occasion se présente, à un conseil d’école, des maîtres, un temps de travail en équipe, une équipe éducative, une rencontre avec les familles…',
];

/**
 * « 4- Éthique professionnelle » and its grid: each competence with the
 * descriptors of each rating; those of « Acquis » differ for stages 1-2 and
 * stages 3-4.
 */
export const ETHICS = [
  {
    code: 'C1',
    label: 'C1. Respecte les principes d’égalité, de neutralité, de laïcité, d’équité, de tolérance, de refus des discriminations',
    descriptors: {
      non_acquis: ['Par ses propos ou son attitude, ne respecte pas une ou plusieurs valeurs de la République'],
      en_cours: ['Connaît et respecte les valeurs de la République'],
      acquis: {
        12: ['Stage 1 et stage 2 : connaît, respecte les valeurs de la République, est capable de les identifier dans la pratique de classe observée'],
        34: ['Stage 3 et stage 4 : fait vivre les valeurs de la République auprès des élèves (circulation de la parole, respect des personnes et des opinions…)'],
      },
    },
  },
  {
    code: 'C2',
    label: 'C2. Répond aux exigences de ponctualité, d’assiduité, de sécurité et de confidentialité',
    descriptors: {
      non_acquis: [
        'N’a pas pris connaissance du règlement de la classe',
        'N’est pas ponctuel',
        'Ne prévient pas en cas d’absence',
        'Ne participe pas aux temps de surveillance de récréation et de déplacement',
      ],
      en_cours: [
        'A pris connaissance du règlement de la classe et comprend sa fonction',
        'Accompagne les temps de classe, de déplacements et de récréation sans s’impliquer dans la sécurité des élèves',
        'Prévient tardivement en cas d’absence ou de retard, a pu être en retard',
      ],
      acquis: {
        12: ['Stages 1 à 4 : fait respecter le règlement de la classe et connaît le règlement intérieur de l’école ; est ponctuel et assidu ; veille à la sécurité des élèves durant les temps de classe, de déplacements et de récréation'],
        34: [
          'Stages 1 à 4 : fait respecter le règlement de la classe et connaît le règlement intérieur de l’école ; est ponctuel et assidu ; veille à la sécurité des élèves durant les temps de classe, de déplacements et de récréation',
          'Stage 3 et stage 4 : veille à la confidentialité des informations sensibles portées à sa connaissance',
        ],
      },
    },
  },
  {
    code: 'C6',
    label: 'C6. Adopte une attitude et un positionnement d’adulte responsable au sein de la classe et de l’école',
    descriptors: {
      non_acquis: ['Un positionnement d’adulte responsable n’est pas observé, soit dans : l’attitude, la tenue, l’usage du téléphone portable…'],
      en_cours: ['Veille à ce que son attitude et ses propos ne soient pas discriminatoires et ne fassent pas obstacle à l’apprentissage et au développement de la confiance en soi des élèves'],
      acquis: {
        12: ['Stage 1 et stage 2 : a repéré les conditions et les règles d’une vie collective fondée sur le respect mutuel ; a repéré les conditions d’un climat de classe sécurisant/bienveillant'],
        34: ['Stage 3 et stage 4 : pose et maintient les conditions et les règles d’une vie collective fondée sur le respect mutuel ; met tout en œuvre pour maintenir un climat de classe sécurisant/bienveillant'],
      },
    },
  },
  {
    code: 'C7',
    label: 'C7. Utilise un langage adapté à ses interlocuteurs',
    also: 'Maîtrise la langue française',
    descriptors: {
      non_acquis: ['Utilise un niveau de langage qui n’est pas compatible avec la posture attendue d’un référent éducatif'],
      en_cours: [
        'Utilise un niveau de langage oral compatible avec la posture attendue d’un référent éducatif',
        'La maîtrise de la langue écrite mérite une attention particulière',
      ],
      acquis: {
        12: ['Stage 1 et stage 2 : s’exprime avec clarté et précision à l’oral et à l’écrit'],
        34: ['Stage 3 et stage 4 : s’exprime avec clarté et précision à l’oral et à l’écrit en prenant en compte son interlocuteur'],
      },
    },
  },
  {
    code: 'C11',
    label: 'C11. Fait preuve de respect à l’égard des élèves et des membres de la communauté éducative',
    also: 'Adopte une attitude favorable aux échanges avec les membres de l’équipe d’école',
    descriptors: {
      non_acquis: ['Stagiaire très en retrait, participe ponctuellement aux échanges entre adultes et avec les élèves'],
      en_cours: ['Stagiaire intégré à la classe, communique et porte de l’intérêt aux élèves et aux adultes de la classe'],
      acquis: { 12: C11_ACQUIS, 34: C11_ACQUIS },
    },
  },
];

export const ETHICS_INTRO = 'À l’issue du stage, le maître/la maîtresse d’accueil temporaire évalue l’acquisition des compétences ci-contre. Cette validation participe à l’évaluation du semestre.';
export const ADVICE_QUESTION = 'Quels sont les 2 conseils que vous donneriez à cet étudiant ?';

/** Stage 1 or 2 → the descriptors of « stages 1-2 »; stage 3 → « 3-4 ». */
export const stagePair = (stage) => (Number(stage) >= 3 ? 34 : 12);

/** The status of a placement's report (the API's `status`), in the same
 * words for the MAT, the student and the site's staff. */
export const STATUS = {
  received: { label: 'Reçu', badge: 'success' },
  late: { label: 'Reçu en retard', badge: 'warning' },
  missing: { label: 'Manquant', badge: 'error' },
  due: { label: 'À rendre', badge: 'info' },
  upcoming: { label: 'Stage à venir', badge: 'new' },
};
export const REPORT_STATE = { draft: 'Brouillon', sent: 'Envoyé' };

/** True when the caller is the host teacher (MAT) of a placement or report of the API. */
export function isHost(record, me) {
  return Array.isArray(record?.my_relations) ? record.my_relations.includes('mat') : record?.mat?.id === me?.id;
}

/** A DSFR badge. */
export function badge(text, kind = 'info') {
  return h('p', { class: ['fr-badge', 'fr-badge--sm', `fr-badge--${kind}`, 'fr-mb-0'] }, text);
}

/** The badge of a placement's status. */
export function statusBadge(status) {
  const s = STATUS[status] || { label: status || '—', badge: 'info' };
  return badge(s.label, s.badge);
}

/** « SOPA 2 (stage 2) ». */
export function periodName(period) {
  return `SOPA ${period.number} (stage ${period.stage})`;
}

/** « du 16 novembre 2026 au 27 novembre 2026 ». */
export function periodDates(period) {
  return `du ${formatDate(period.starts_on)} au ${formatDate(period.ends_on)}`;
}

/** A bulleted list of texts. */
export function list(items, className) {
  return h('ul', { class: className }, items.map((t) => h('li', null, t)));
}

/** The objectives, questions and activities of a stage, under headings of `level`. */
export function stageGuide(stage, level = 'h3') {
  const s = STAGES[stage] || STAGES[1];
  return h('div', { class: 'app-sopa-guide' },
    h(level, { class: 'fr-h6 fr-mb-1w' }, `${s.title} : ${s.form}`),
    h('p', { class: 'fr-text--bold fr-mb-1v' }, 'Objectifs des stages'),
    OBJECTIVES.map((o) => [h('p', { class: 'fr-mb-0' }, o.title.toUpperCase()), list(o.items)]),
    h('p', { class: 'fr-text--bold fr-mb-1v' }, 'Observations ciblées et questionnement réflexif'),
    h('p', { class: 'fr-mb-1v' }, 'L’étudiant sera en mesure de répondre à ces questions :'),
    list(s.questions),
    h('p', { class: 'fr-text--bold fr-mb-1v' }, 'Pratique accompagnée : activités du stagiaire'),
    h('p', { class: 'fr-mb-1v' }, s.activitiesIntro),
    list(s.activities));
}

/** A DSFR accordion (collapsed) with `title` around `content`. */
let accordionSeq = 0;
export function accordion(title, content, level = 'h3') {
  accordionSeq += 1;
  const id = `sopa-accordeon-${accordionSeq}`;
  return h('section', { class: 'fr-accordion' },
    h(level, { class: 'fr-accordion__title' },
      h('button', { class: 'fr-accordion__btn', type: 'button', 'aria-expanded': 'false', 'aria-controls': id }, title)),
    h('div', { class: 'fr-collapse', id }, content));
}

/** The module's stylesheet (screen and print), added once to the page. */
export function useStyles() {
  if (document.querySelector('link[data-app-sopa]')) return;
  document.head.append(h('link', { rel: 'stylesheet', href: '/css/sopa.css', dataset: { appSopa: '1' } }));
}

/** Label / value lines. */
export function facts(items, className) {
  return h('ul', { class: ['app-plain-list', 'fr-mb-2w', className] },
    items.filter(Boolean).map(([k, v]) => h('li', null, h('span', { class: 'fr-text--bold' }, `${k} : `), v ?? '—')));
}
