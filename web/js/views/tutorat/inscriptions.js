// Inscriptions (admin, bureau des stages): the enrolments of a school year,
// searchable, with their trio and checks; « Inscrire un stagiaire ».
// GET /api/v1/years, GET /api/v1/enrolments?year_id=&q=&limit=&offset=

import { h, replace, plural } from '../../dom.js';
import {
  pageTitle, breadcrumb, rowHeader, liveRegion, textField, selectField, pagination,
  buttonLink, showFlash,
} from '../../ui.js';
import { years, traineeName, personName, placeLabel, checksCell, DEGRE_LABELS, wrapTable, enrolmentListLoader } from './common.js';

const PAGE_SIZE = 25;
const BASE = '#/inscriptions';

export async function render(ctx) {
  const allYears = await years();
  if (!ctx.current) return;
  const current = allYears.find((y) => y.current) || allYears[0];
  const state = {
    year: ctx.query.get('annee') || (current ? String(current.id) : ''),
    q: ctx.query.get('q') || '',
    page: Math.max(1, Number.parseInt(ctx.query.get('page') || '1', 10) || 1),
  };

  const year = selectField({
    label: 'Année scolaire', name: 'year_id', value: state.year,
    options: allYears.map((y) => ({ value: String(y.id), label: y.current ? `${y.label} (en cours)` : y.label })),
  });
  const q = textField({ label: 'Stagiaire ou tuteur', name: 'q', type: 'search', value: state.q, autocomplete: 'off', hint: 'Nom ou identifiant' });
  const notices = liveRegion('status');
  const errors = liveRegion('alert');
  const status = h('p', { class: 'app-result-count', role: 'status', tabindex: '-1' });
  const results = h('div');
  const form = h('form', { role: 'search', class: 'app-filters fr-mb-4w', 'aria-label': 'Rechercher des inscriptions', novalidate: true },
    h('div', { class: 'fr-grid-row fr-grid-row--gutters fr-grid-row--bottom' },
      h('div', { class: 'fr-col-12 fr-col-md-4' }, year.group),
      h('div', { class: 'fr-col-12 fr-col-md-5' }, q.group),
      h('div', { class: 'fr-col-12 fr-col-md-3' },
        h('div', { class: 'app-filters__submit' },
          h('button', { class: 'fr-btn fr-icon-search-line fr-btn--icon-left', type: 'submit' }, 'Rechercher')))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.year = year.control.value;
    state.q = q.control.value.trim();
    state.page = 1;
    go(true);
  });

  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Inscriptions' }]),
    h('div', { class: 'app-title-row' },
      pageTitle('Inscriptions'),
      buttonLink('Inscrire un stagiaire', `${BASE}/nouvelle`, { icon: 'user-add-line' })),
    notices.node,
    h('p', null, 'Les stagiaires inscrits pour l’année, leur parcours, leurs lieux d’exercice et leur trio. Les contenus du suivi (visites, écrits, bilans) restent réservés au trio.'),
    form, errors.node, status, results);
  showFlash(notices);
  ctx.setTitle('Inscriptions');

  const { hashFor, go, load } = enrolmentListLoader({
    ctx, base: BASE, state, current, pageSize: PAGE_SIZE, errors, status, results, show,
  });

  function show({ items = [], total = items.length }) {
    if (!items.length) {
      status.textContent = state.q ? 'Aucune inscription ne correspond à votre recherche.' : 'Aucune inscription pour cette année.';
      replace(results, state.q ? h('p', null, 'Vérifiez l’orthographe ou essayez une partie du nom seulement.') : null);
      return;
    }
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const first = (state.page - 1) * PAGE_SIZE + 1;
    status.textContent = pages > 1
      ? `${plural(total, 'inscription')} — résultats ${first} à ${first + items.length - 1}, page ${state.page} sur ${pages}.`
      : `${plural(total, 'inscription')}.`;
    replace(results,
      wrapTable({
        caption: state.q ? `Inscriptions correspondant à « ${state.q} »` : 'Inscriptions de l’année',
        columns: [{ label: 'Stagiaire' }, { label: 'Parcours' }, { label: 'Lieu d’exercice' }, { label: 'Tuteur terrain' }, { label: 'Tuteur Inspé' }, { label: 'Points de vigilance' }],
        rows: items.map((e) => [
          rowHeader(h('a', { href: `${BASE}/${encodeURIComponent(e.id)}` }, traineeName(e)),
            e.renouvellement ? h('p', { class: 'fr-badge fr-badge--sm fr-badge--warning fr-badge--no-icon fr-mt-1v' }, 'Renouvellement') : null),
          [e.parcours, DEGRE_LABELS[e.degre]].filter(Boolean).join(' · '),
          (e.places || []).length ? h('ul', { class: 'fr-text--sm fr-mb-0 app-plain-list' }, e.places.map((p) => h('li', null, placeLabel(p)))) : '—',
          personName(e.tutors?.tuteur_terrain) || h('span', { class: 'app-empty' }, 'Non désigné'),
          personName(e.tutors?.tuteur_inspe) || h('span', { class: 'app-empty' }, 'Non désigné'),
          checksCell(e.checks),
        ]),
      }),
      pagination({
        page: state.page, pages, label: 'Pagination des inscriptions', href: hashFor,
        onGo: (page) => { state.page = page; go(true); },
      }));
  }

  await load(false);
}
