// « Mes stagiaires »: the trainees the signed-in tutor follows this year,
// with the checks of each (shown, never enforced).
// GET /api/v1/years, GET /api/v1/enrolments?year_id=&q=&limit=&offset=

import { h, replace, plural } from '../../dom.js';
import { pageTitle, breadcrumb, rowHeader, liveRegion, textField, selectField, pagination } from '../../ui.js';
import {
  years, traineeName, relationLabel, placeLabel, checksCell, isTutor,
  DEGRE_LABELS, CATEGORY_LABELS,
  wrapTable, enrolmentListLoader,
} from './common.js';

const PAGE_SIZE = 50;
const BASE = '#/mes-stagiaires';

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
  const q = textField({ label: 'Nom du stagiaire', name: 'q', type: 'search', value: state.q, autocomplete: 'off' });
  const errors = liveRegion('alert');
  const status = h('p', { class: 'app-result-count', role: 'status', tabindex: '-1' });
  const results = h('div');
  const form = h('form', { role: 'search', class: 'app-filters fr-mb-4w', 'aria-label': 'Rechercher parmi mes stagiaires', novalidate: true },
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
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Mes stagiaires' }]),
    pageTitle('Mes stagiaires'),
    h('p', null, 'Les stagiaires que vous suivez en tutorat mixte. Les points de vigilance reprennent les repères du cadrage (visites, visite conjointe, retours, bilans) : ils sont signalés, jamais bloquants.'),
    form, errors.node, status, results);
  ctx.setTitle('Mes stagiaires');

  const { hashFor, go, load } = enrolmentListLoader({
    ctx, base: BASE, state, current, pageSize: PAGE_SIZE, errors, status, results, show,
  });

  function show({ items = [], total }) {
    // Only the enrolments where the caller is one of the two tutors.
    const mine = items.filter(isTutor);
    const count = total ?? mine.length;
    if (!mine.length) {
      status.textContent = state.q ? 'Aucun stagiaire ne correspond à votre recherche.' : 'Aucun stagiaire pour cette année.';
      replace(results, state.q ? null : h('p', null, 'Quand le bureau des stages vous désignera comme tuteur d’un stagiaire, il apparaîtra ici.'));
      return;
    }
    status.textContent = `${plural(count, 'stagiaire suivi', 'stagiaires suivis')}.`;
    const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
    const table = wrapTable({
        caption: 'Mes stagiaires et leurs points de vigilance',
        columns: [{ label: 'Stagiaire' }, { label: 'Parcours' }, { label: 'Lieu d’exercice' }, { label: 'Mon rôle' }, { label: 'Points de vigilance' }],
        rows: mine.map((e) => [
          rowHeader(h('a', { href: `#/dossiers/${encodeURIComponent(e.id)}` }, traineeName(e))),
          [e.parcours, DEGRE_LABELS[e.degre], CATEGORY_LABELS[e.category]].filter(Boolean).join(' · '),
          (e.places || []).length ? h('ul', { class: 'fr-text--sm fr-mb-0 app-plain-list' }, e.places.map((p) => h('li', null, placeLabel(p)))) : '—',
          relationLabel(e),
          checksCell(e.checks),
        ]),
      });
    // A table from tablets up; on a phone, one card per trainee (the same content).
    table.classList.add('fr-hidden', 'fr-unhidden-md');
    const cards = h('ul', { class: 'app-cards fr-hidden-md', 'aria-label': 'Mes stagiaires et leurs points de vigilance' }, mine.map((e) => h('li', { class: 'app-card' },
      h('h3', { class: 'fr-h6 fr-mb-1v' }, h('a', { href: `#/dossiers/${encodeURIComponent(e.id)}` }, traineeName(e))),
      h('p', { class: 'fr-text--sm fr-mb-1v' }, [e.parcours, DEGRE_LABELS[e.degre], CATEGORY_LABELS[e.category], relationLabel(e)].filter(Boolean).join(' · ')),
      (e.places || []).length ? h('ul', { class: 'fr-text--sm fr-mb-1w app-plain-list' }, e.places.map((p) => h('li', null, placeLabel(p)))) : null,
      checksCell(e.checks))));
    replace(results,
      table,
      cards,
      pagination({
        page: state.page, pages, label: 'Pagination des stagiaires',
        href: hashFor,
        onGo: (page) => { state.page = page; go(true); },
      }));
  }

  await load(false);
}
