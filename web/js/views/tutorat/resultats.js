// « Résultats pour le jury » (bureau des stages, direction INSPÉ,
// responsable de parcours, admin): the note or avis of every trainee of a
// year, by parcours, and whether the M2B rapport is submitted; the list
// downloads as a CSV file a spreadsheet opens. Never a trace.
// GET /api/v1/years, GET /api/v1/results, GET /api/v1/results/export

import { api, withQuery } from '../../api.js';
import { h, replace } from '../../dom.js';
import { pageTitle, breadcrumb, rowHeader, liveRegion, selectField, wrapTable } from '../../ui.js';
import { personName, formatDate, avisLabel, noteLabel, DEGRE_LABELS, PARCOURS_LABELS, years } from './common.js';

const PARCOURS = ['M2A', 'DU', 'M2B'];

export async function render(ctx) {
  const errors = liveRegion('alert');
  const list = h('div');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Résultats pour le jury' }]),
    pageTitle('Résultats pour le jury'),
    h('p', null, 'La note ou l’avis du tuteur Inspé de chaque stagiaire de l’année et, en M2B, le rapport du tuteur académique une fois transmis. Les écrits du suivi restent réservés au trio.'),
    errors.node);
  ctx.setTitle('Résultats pour le jury');
  let all;
  try {
    all = await years();
  } catch (err) {
    if (!ctx.current) return;
    errors.error(err, 'Les années scolaires n’ont pas pu être chargées');
    return;
  }
  if (!ctx.current) return;
  const chosenYear = ctx.query.get('annee') || String((all.find((y) => y.current) || all[0] || {}).id || '');
  const chosenParcours = PARCOURS.includes(ctx.query.get('parcours')) ? ctx.query.get('parcours') : '';
  const year = selectField({ label: 'Année scolaire', name: 'annee', options: all.map((y) => ({ value: String(y.id), label: y.label })), value: chosenYear });
  const parcours = selectField({
    label: 'Parcours', name: 'parcours', placeholder: 'Tous les parcours',
    options: PARCOURS.map((p) => ({ value: p, label: PARCOURS_LABELS[p] || p })), value: chosenParcours,
  });
  const form = h('form', { class: 'app-filters', on: { submit: (event) => { event.preventDefault(); ctx.navigate(withQuery('#/resultats', { annee: year.control.value, parcours: parcours.control.value })); } } },
    h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
      h('div', { class: 'fr-col-12 fr-col-md-4' }, year.group),
      h('div', { class: 'fr-col-12 fr-col-md-4' }, parcours.group)),
    h('button', { class: 'fr-btn fr-btn--secondary', type: 'submit' }, 'Afficher'));
  const query = { year_id: chosenYear, parcours: chosenParcours };
  ctx.root.append(form,
    h('p', { class: 'fr-mt-3w' },
      h('a', { class: 'fr-link fr-icon-download-line fr-link--icon-left', href: withQuery('/api/v1/results/export', query), download: '' },
        'Télécharger la liste (CSV, tableur)')),
    list);
  let answer;
  try {
    answer = await api.get(withQuery('/results', { ...query, limit: 200 }));
  } catch (err) {
    if (!ctx.current) return;
    errors.error(err, 'La liste n’a pas pu être chargée');
    return;
  }
  if (!ctx.current) return;
  const { items = [], total = 0 } = answer;
  if (!items.length) {
    replace(list, h('p', { class: 'app-result-count' }, 'Aucun stagiaire inscrit pour ce choix.'));
    return;
  }
  replace(list,
    h('p', { class: 'app-result-count' }, total > 1 ? `${total} stagiaires.` : '1 stagiaire.'),
    total > items.length ? h('p', { class: 'fr-text--sm' }, `Les ${items.length} premiers sont affichés : le fichier CSV les contient tous.`) : null,
    wrapTable({
      caption: 'Résultats des stagiaires',
      columns: [{ label: 'Stagiaire' }, { label: 'Parcours' }, { label: 'Note ou avis' }, { label: 'Enregistré le' }, { label: 'Rapport (M2B)' }],
      rows: items.map((it) => [
        rowHeader(personName(it.trainee) || '—'),
        [it.parcours, DEGRE_LABELS[it.degre]].filter(Boolean).join(' · '),
        it.avis != null ? avisLabel(it.avis) : (it.note != null ? noteLabel(it.note) : 'Pas encore rendu'),
        it.recorded_at ? formatDate(it.recorded_at) : '—',
        it.parcours !== 'M2B' ? '—' : (it.report_submitted ? 'Transmis' : (it.report_submitted === false ? 'En cours de rédaction' : 'Non commencé')),
      ]),
    }));
}
