// « Bilan de l'expérimentation » (for deploying it at N+1): per
// collective and département, meetings held against the 4 to 5 planned,
// attendance rate, mix score, syntheses published, néo-tutors reached —
// counts only, never what was said. Downloadable as CSV.
// GET /api/v1/reseau/figures?year_id=, /api/v1/reseau/figures.csv

import { api, withQuery } from '../../api.js';
import { h, replace } from '../../dom.js';
import { formatDecimal } from '../../format.js';
import { pageTitle, breadcrumb, liveRegion, table, rowHeader, selectField } from '../../ui.js';
import { currentYear, useStyles } from './common.js';

// The API gives rates in % with one decimal.
const pct = (v) => (v === null || v === undefined ? '—' : `${formatDecimal(v)} %`);

export async function render(ctx) {
  useStyles();
  const errors = liveRegion('alert');
  const body = h('div');
  ctx.setTitle('Bilan de l’expérimentation');
  const years = await api.get('/years').then((r) => r.items || []).catch(() => []);
  if (!ctx.current) return;
  const chosen = ctx.query.get('annee') || String(currentYear(years)?.id || '');
  const year = selectField({ label: 'Année', name: 'annee', options: years.map((y) => ({ value: String(y.id), label: y.label })), value: chosen });
  const csv = h('a', { class: 'fr-link fr-icon-download-line fr-link--icon-left', download: 'reseau-bilan.csv' }, 'Télécharger le bilan (CSV)');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Réseau de tuteurs', href: '#/reseau' }, { label: 'Bilan de l’expérimentation' }]),
    pageTitle('Bilan de l’expérimentation'),
    h('p', null, 'Des nombres seulement, pour décider du déploiement à l’année suivante : rien de ce qui se dit dans les collectifs n’y figure.'),
    h('div', { class: 'fr-grid-row fr-grid-row--gutters fr-grid-row--bottom' },
      h('div', { class: 'fr-col-12 fr-col-md-4' }, year.group),
      h('div', { class: 'fr-col-12 fr-col-md-8' }, h('p', null, csv))),
    errors.node, body);

  async function load() {
    errors.clear();
    csv.href = `/api/v1${withQuery('/reseau/figures.csv', { year_id: year.control.value })}`;
    let data;
    try {
      data = await api.get(withQuery('/reseau/figures', { year_id: year.control.value }));
    } catch (err) {
      if (ctx.current) errors.error(err, 'Le bilan n’a pas pu être chargé');
      return;
    }
    if (!ctx.current) return;
    const collectives = data?.collectives || [];
    const departements = data?.departements || [];
    replace(body,
      h('h2', { class: 'fr-h4 fr-mt-3w' }, 'Par collectif'),
      collectives.length ? table({
        caption: 'Bilan par collectif',
        columns: [{ label: 'Collectif' }, { label: 'Département' }, { label: 'Présentiels tenus (sur 4 à 5)' }, { label: 'Taux de présence' }, { label: 'Score de mixité' }, { label: 'Fiches publiées' }, { label: 'Néo-tuteurs' }],
        rows: collectives.map((c) => [
          rowHeader(c.name), c.departement || '—', `${c.meetings_held ?? 0} (${c.meetings_planned ?? 0} fixés)`, pct(c.attendance_rate),
          c.mix_score != null ? `${c.mix_score} / 100` : '—', String(c.syntheses_published ?? 0), String(c.neo_reached ?? 0),
        ]),
      }) : h('p', { class: 'app-result-count' }, 'Aucun collectif pour cette année.'),
      departements.length ? [
        h('h2', { class: 'fr-h4 fr-mt-3w' }, 'Par département'),
        table({
          caption: 'Bilan par département',
          columns: [{ label: 'Département' }, { label: 'Collectifs' }, { label: 'Présentiels tenus' }, { label: 'Taux de présence' }, { label: 'Fiches publiées' }, { label: 'Néo-tuteurs' }],
          rows: departements.map((d) => [
            rowHeader(d.departement), String(d.collectives ?? 0), String(d.meetings_held ?? 0), pct(d.attendance_rate),
            String(d.syntheses_published ?? 0), String(d.neo_reached ?? 0),
          ]),
        })] : null);
  }
  year.control.addEventListener('change', () => {
    history.replaceState(null, '', withQuery('#/reseau/bilan', { annee: year.control.value }));
    load();
  });
  await load();
}
