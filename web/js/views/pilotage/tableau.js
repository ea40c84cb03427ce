// « Tableau de bord » (docs/pilotage.md): the figures of one scope the
// caller holds (pôle, circonscription, site INSPÉ, discipline, département,
// académie) for a school year. Each figure is a tile whose link opens the
// list behind it; the tables (trainees by parcours and degree,
// accompaniment levels…) are captioned tables; the SOPA reports of a site
// and the réseau's figures of the académie come as their own blocks; the
// list to review at the next pôle meeting links to its list and to the
// meeting's screen; the trends (visits per week against the plan, open
// cases per level per month) are charts, each with its table. A reader
// who holds no scope is told whom to ask. Counts only, never content.
// GET /api/v1/pilotage/scopes?year_id=, GET /api/v1/pilotage/dashboards/{kind}/{id}?year_id=,
// GET /api/v1/pilotage/dashboards/{kind}/{id}/trends?year_id=

import { api, withQuery, isNotFound } from '../../api.js';
import { h, replace, plural } from '../../dom.js';
import { years as allYears } from '../../years.js';
import { pageTitle, breadcrumb, liveRegion, selectField, table, rowHeader, loading } from '../../ui.js';
import {
  SCOPE_LABELS, PARCOURS_LABELS, DEGRE_LABELS, LEVEL_LABELS, scopeName, scopeId, dashboardHash, listHash,
  dashboardPath, cellText, useStyles, currentYear, COLUMN_LABELS,
} from './common.js';
import { weeksChart, levelsChart } from './charts.js';

const TITLE = 'Tableau de bord';
const REVIEW_KEYS = ['next_meeting_review', 'to_review', 'review', 'meeting_review'];

/** Table names and column names of tables the contract does not spell out. */
const TABLE_LABELS = {
  by_parcours: 'Stagiaires par parcours et degré',
  levels: 'Accompagnements en cours par niveau',
  by_degre: 'Stagiaires par degré',
  visits: 'Visites faites',
};
const TABLE_COLUMNS = {
  parcours: 'Parcours', degre: 'Degré', trainees: 'Stagiaires', level: 'Niveau', cases: 'Dossiers d’accompagnement',
  period: 'Période', received: 'Reçus', late: 'En retard', missing: 'Manquants', count: 'Nombre', name: 'Nom',
};
const RESEAU_LABELS = {
  collectives: 'Collectifs', meetings_held: 'Présentiels tenus', meetings_planned: 'Présentiels fixés',
  attendance_rate: 'Taux de présence (%)', syntheses_published: 'Fiches synthèses publiées', neo_reached: 'Néo-tuteurs touchés',
  volunteers: 'Volontaires', calls: 'Appels à volontaires', members: 'Membres des collectifs', mix_score: 'Score de mixité moyen',
};

const label = (map, key) => map[key] || COLUMN_LABELS[key] || key.replace(/_/g, ' ');

function cell(key, value) {
  if (key === 'parcours') return PARCOURS_LABELS[value] || cellText(key, value);
  if (key === 'degre') return DEGRE_LABELS[value] || cellText(key, value);
  if (key === 'level') return LEVEL_LABELS[value] || cellText(key, value);
  if (key === 'period' && value && typeof value === 'object') return value.label || value.name || cellText(key, value);
  return cellText(key, value);
}

/** A captioned table of rows of one shape (the keys of the first row). */
function genericTable(caption, rows) {
  if (!rows.length) return h('p', { class: 'app-result-count' }, `${caption} : aucune donnée pour cette année.`);
  const keys = Object.keys(rows[0]).filter((k) => !/(^|_)id$/.test(k));
  return table({
    caption,
    columns: keys.map((k) => ({ label: label(TABLE_COLUMNS, k) })),
    rows: rows.map((row) => keys.map((k, i) => (i === 0 ? rowHeader(cell(k, row[k])) : cell(k, row[k])))),
  });
}

/** One figure: a DSFR tile whose link (named with the figure) opens its list. */
function tile(figure, kind, id, year) {
  const value = typeof figure.value === 'number' ? figure.value.toLocaleString('fr-FR') : String(figure.value ?? '—');
  const expected = figure.expected != null ? ` sur ${typeof figure.expected === 'number' ? figure.expected.toLocaleString('fr-FR') : figure.expected}` : '';
  const key = figure.list || figure.key;
  return h('div', { class: 'fr-col-12 fr-col-sm-6 fr-col-lg-4' },
    h('div', { class: 'fr-tile fr-enlarge-link app-figure', dataset: { figure: figure.key } },
      h('div', { class: 'fr-tile__body' },
        h('div', { class: 'fr-tile__content' },
          h('h3', { class: 'fr-tile__title' },
            key ? h('a', { href: listHash(kind, id, key, { annee: year }) },
              h('span', { class: 'app-figure__value' }, `${value}${expected}`), ' ', h('span', { class: 'app-figure__label' }, figure.label))
              : [h('span', { class: 'app-figure__value' }, `${value}${expected}`), ' ', figure.label])))));
}

export async function render(ctx) {
  useStyles();
  ctx.setTitle(TITLE);
  const errors = liveRegion('alert');
  const head = h('div');
  const body = h('div', { class: 'app-dashboard' });
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: TITLE }]),
    pageTitle(TITLE),
    h('p', null, 'Les nombres de votre périmètre pour l’année : chaque nombre ouvre la liste des stagiaires qu’il compte, avec leur situation et les dates, et chaque ligne le dossier. Aucun écrit du suivi n’y figure.'),
    head, errors.node, body);

  let years;
  try {
    years = await allYears();
  } catch (err) {
    if (ctx.current) errors.error(err, 'Les années scolaires n’ont pas pu être chargées');
    return;
  }
  if (!ctx.current) return;
  const chosenYear = ctx.query.get('annee') || String(currentYear(years)?.id || '');
  let scopes;
  try {
    scopes = (await api.get(withQuery('/pilotage/scopes', { year_id: chosenYear })))?.items || [];
  } catch (err) {
    if (ctx.current) errors.error(err, 'Vos périmètres n’ont pas pu être chargés');
    return;
  }
  if (!ctx.current) return;
  if (!scopes.length) {
    // A dashboard role held for the whole académie names no trainees: the
    // reader needs an assignment scoped to their structure (docs/pilotage.md).
    replace(body, h('div', { class: 'fr-alert fr-alert--info app-no-scope' },
      h('h2', { class: 'fr-alert__title' }, 'Aucun périmètre de pilotage ne vous est attribué'),
      h('p', null, 'Un tableau de bord montre les stagiaires d’un périmètre précis : un pôle de formation, une circonscription, un site INSPÉ, une discipline, un département ou l’académie entière. Votre rôle vous est attribué pour l’académie sans désigner ce périmètre : aucun tableau de bord ne s’ouvre donc pour vous.'),
      h('p', null, 'Demandez à l’administrateur de Tutorat de votre académie (la gestion de l’annuaire) de vous attribuer votre rôle pour votre pôle, votre circonscription, votre site, votre discipline ou votre département.')));
    return;
  }

  const { kind, id } = ctx.params;
  const value = (s) => `${s.kind}/${scopeId(s)}`;
  const current = kind ? scopes.find((s) => value(s) === `${kind}/${id}`) : scopes[0];
  const scope = current || { kind, id: Number(id), name: null };
  const scopeField = selectField({
    label: 'Périmètre', name: 'perimetre',
    options: scopes.map((s) => ({ value: value(s), label: scopeName(s) })),
    value: value(scope),
  });
  const yearField = selectField({
    label: 'Année scolaire', name: 'annee',
    options: years.map((y) => ({ value: String(y.id), label: y.label })), value: chosenYear,
  });
  const form = h('form', {
    class: 'app-filters fr-mb-4w', 'aria-label': 'Choix du tableau de bord',
    on: {
      submit: (event) => {
        event.preventDefault();
        const [k, i] = scopeField.control.value.split('/');
        ctx.navigate(dashboardHash(k, i, yearField.control.value));
      },
    },
  },
  h('div', { class: 'fr-grid-row fr-grid-row--gutters fr-grid-row--bottom' },
    h('div', { class: 'fr-col-12 fr-col-md-5' }, scopeField.group),
    h('div', { class: 'fr-col-12 fr-col-md-4' }, yearField.group),
    h('div', { class: 'fr-col-12 fr-col-md-3' },
      h('button', { class: 'fr-btn fr-btn--secondary', type: 'submit' }, 'Afficher'))));
  replace(head, form);

  if (!current && kind) {
    errors.show('error', 'Ce tableau de bord n’existe pas ou ne vous est pas accessible', 'Choisissez l’un de vos périmètres ci-dessus.');
    return;
  }
  const sid = scopeId(scope);
  replace(body, loading());
  body.setAttribute('aria-busy', 'true');
  let data;
  let trends = null;
  try {
    [data, trends] = await Promise.all([
      api.get(withQuery(dashboardPath(scope.kind, sid), { year_id: chosenYear })),
      // The trends are a block of their own: the dashboard shows without them.
      api.get(withQuery(`${dashboardPath(scope.kind, sid)}/trends`, { year_id: chosenYear })).catch(() => null),
    ]);
  } catch (err) {
    if (!ctx.current) return;
    body.removeAttribute('aria-busy');
    body.replaceChildren();
    errors.error(err, isNotFound(err) ? 'Ce tableau de bord n’existe pas ou ne vous est pas accessible' : 'Le tableau de bord n’a pas pu être chargé');
    return;
  }
  if (!ctx.current) return;
  body.removeAttribute('aria-busy');
  const shown = data?.scope || scope;
  const heading = `${TITLE} – ${scopeName(shown)}`;
  ctx.setTitle(heading);
  const year = years.find((y) => String(y.id) === String(data?.year_id ?? chosenYear));

  const figures = data?.figures || [];
  const tables = data?.tables || {};
  const review = data?.next_meeting_review;
  // The list behind the review: the API's own key for it, when it has one.
  const reviewList = review?.list || figures.find((f) => REVIEW_KEYS.includes(f.key))?.list
    || figures.find((f) => REVIEW_KEYS.includes(f.key))?.key || null;
  replace(body,
    h('h2', { class: 'fr-h3' }, scopeName(shown), year ? ` – ${year.label}` : ''),
    // The next pôle meeting's list to review.
    review ? h('section', { class: 'fr-callout app-review', 'aria-labelledby': 'pilotage-revue' },
      h('h3', { class: 'fr-callout__title', id: 'pilotage-revue' }, 'Liste à examiner à la prochaine réunion de pôle'),
      review.meeting_id
        ? h('p', { class: 'fr-callout__text' },
          `Réunion du ${cellText('date', review.date)} : `, plural(review.count ?? 0, 'stagiaire'), ' à examiner.')
        : h('p', { class: 'fr-callout__text' }, 'Aucune réunion de pôle n’est fixée pour l’instant.'),
      h('ul', { class: 'fr-links-group' },
        reviewList ? h('li', null, h('a', { class: 'fr-link fr-icon-arrow-right-line fr-link--icon-right', href: listHash(shown.kind, sid, reviewList, { annee: chosenYear }) },
          `Liste à examiner à la prochaine réunion de pôle (${plural(review.count ?? 0, 'stagiaire')})`)) : null,
        review.meeting_id ? h('li', null, h('a', { class: 'fr-link fr-icon-arrow-right-line fr-link--icon-right', href: `#/reunions/reunion/${review.meeting_id}` },
          `Ouvrir la réunion du ${cellText('date', review.date)}`)) : null)) : null,
    h('h3', { class: 'fr-h4 fr-mt-4w' }, 'Les chiffres'),
    figures.length
      ? h('div', { class: 'fr-grid-row fr-grid-row--gutters app-figures' }, figures.map((f) => tile(f, shown.kind, sid, chosenYear)))
      : h('p', { class: 'app-result-count' }, 'Aucun chiffre pour cette année.'),
    Object.keys(tables).length ? [
      h('h3', { class: 'fr-h4 fr-mt-4w' }, 'Les tableaux'),
      Object.entries(tables).map(([name, rows]) => genericTable(label(TABLE_LABELS, name), Array.isArray(rows) ? rows : [])),
    ] : null,
    Array.isArray(data?.sopa) ? [
      h('h3', { class: 'fr-h4 fr-mt-4w' }, 'Comptes rendus SOPA par période'),
      genericTable('Comptes rendus SOPA reçus, en retard et manquants, par période', data.sopa),
    ] : null,
    data?.reseau && typeof data.reseau === 'object' ? [
      h('h3', { class: 'fr-h4 fr-mt-4w' }, 'Réseau de tuteurs : l’expérimentation'),
      reseauBlock(data.reseau),
    ] : null,
    h('section', { class: 'app-trends fr-mt-4w', 'aria-labelledby': 'pilotage-tendances' },
      h('h3', { class: 'fr-h4', id: 'pilotage-tendances' }, 'Les tendances de l’année'),
      trends
        ? [
          h('p', null, 'Les visites prévues sont celles que les trios ont inscrites à leur calendrier (hors visites annulées) ; les visites faites, celles qui ont eu lieu.'),
          weeksChart(trends.weeks || [], 'pilotage-semaines'),
          levelsChart(trends.levels || [], 'pilotage-niveaux'),
        ]
        : h('p', { class: 'app-result-count' }, 'Les tendances n’ont pas pu être chargées.')));
}

/** The réseau's figures: numbers as a list of terms, arrays as tables. */
function reseauBlock(reseau) {
  const numbers = Object.entries(reseau).filter(([, v]) => v === null || typeof v !== 'object');
  const lists = Object.entries(reseau).filter(([, v]) => Array.isArray(v));
  return [
    numbers.length ? table({
      caption: 'Chiffres de l’expérimentation du réseau de tuteurs',
      columns: [{ label: 'Indicateur' }, { label: 'Valeur' }],
      rows: numbers.map(([k, v]) => [rowHeader(label(RESEAU_LABELS, k)), cellText(k, v)]),
    }) : null,
    lists.map(([k, rows]) => genericTable(`Réseau de tuteurs : ${label(RESEAU_LABELS, k).toLowerCase()}`, rows)),
  ];
}

export { SCOPE_LABELS };
