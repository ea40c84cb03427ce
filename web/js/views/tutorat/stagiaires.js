// « Mes stagiaires »: the trainees the signed-in tutor follows this year,
// with the checks of each (shown, never enforced).
// GET /api/v1/years, GET /api/v1/enrolments?year_id=&q=&limit=&offset=

import { h, plural } from '../../dom.js';
import { pageTitle, breadcrumb, rowHeader, wrapTable } from '../../ui.js';
import {
  traineeName, relationLabel, placeLabel, checksCell, isTutor,
  DEGRE_LABELS, CATEGORY_LABELS, enrolmentList,
} from './common.js';

const PAGE_SIZE = 50;
const BASE = '#/mes-stagiaires';

export async function render(ctx) {
  const list = await enrolmentList(ctx, {
    base: BASE, pageSize: PAGE_SIZE, searchLabel: 'Nom du stagiaire',
    formLabel: 'Rechercher parmi mes stagiaires', pagerLabel: 'Pagination des stagiaires',
    count: (total) => plural(total, 'stagiaire suivi', 'stagiaires suivis'),
    empty: (state) => (state.q
      ? { text: 'Aucun stagiaire ne correspond à votre recherche.' }
      : { text: 'Aucun stagiaire pour cette année.', hint: 'Quand le bureau des stages vous désignera comme tuteur d’un stagiaire, il apparaîtra ici.' }),
    keep: isTutor, // only the enrolments where the caller is one of the two tutors
    show,
  });
  if (list === null) return;

  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Mes stagiaires' }]),
    pageTitle('Mes stagiaires'),
    h('p', null, 'Les stagiaires que vous suivez en tutorat mixte. Les points de vigilance reprennent les repères du cadrage (visites, visite conjointe, retours, bilans) : ils sont signalés, jamais bloquants.'),
    list.form, list.node);
  ctx.setTitle('Mes stagiaires');
  await list.load();
}

/** A page of trainees: a table from tablets up, one card per trainee on a phone (the same content). */
function show(mine) {
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
  table.classList.add('fr-hidden', 'fr-unhidden-md');
  const cards = h('ul', { class: 'app-cards fr-hidden-md', 'aria-label': 'Mes stagiaires et leurs points de vigilance' }, mine.map((e) => h('li', { class: 'app-card' },
    h('h3', { class: 'fr-h6 fr-mb-1v' }, h('a', { href: `#/dossiers/${encodeURIComponent(e.id)}` }, traineeName(e))),
    h('p', { class: 'fr-text--sm fr-mb-1v' }, [e.parcours, DEGRE_LABELS[e.degre], CATEGORY_LABELS[e.category], relationLabel(e)].filter(Boolean).join(' · ')),
    (e.places || []).length ? h('ul', { class: 'fr-text--sm fr-mb-1w app-plain-list' }, e.places.map((p) => h('li', null, placeLabel(p)))) : null,
    checksCell(e.checks))));
  return [table, cards];
}
