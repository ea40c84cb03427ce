// The list behind one figure of a dashboard (docs/pilotage.md): the
// trainees it counts, with their parcours, school and the status and dates
// of that list (never content), each row a link to the dossier. The
// columns are chosen by checkboxes and kept in the address (`colonnes`)
// and for the reader (saved at each change, used when the address names
// none); « Exporter (CSV) » and « Exporter (XLSX) » are links to the API's
// files carrying the same columns.
// GET /api/v1/pilotage/dashboards/{kind}/{id}/lists/{key}?year_id=&limit=&offset=
// GET …/lists/{key}.csv|.xlsx?year_id=&columns=
// GET, PUT /api/v1/pilotage/columns/{key}

import { api, withQuery, isNotFound } from '../../api.js';
import { h, replace, plural, uid } from '../../dom.js';
import { listView } from '../../list.js';
import { pageTitle, breadcrumb, table, rowHeader, liveRegion } from '../../ui.js';
import { scopeName, dashboardHash, listHash, dashboardPath, listPath, columnsPath, cellText, useStyles, COLUMN_LABELS } from './common.js';

const PAGE = 50;
// The API's bound of an export (docs/pilotage.md: 413 too_many_rows past it).
const EXPORT_MAX = 20000;
const FIXED = ['enrolment_id', 'trainee'];

/** The columns of a page: the API's own list, else the keys of its rows. */
function columnsOf(data) {
  if (Array.isArray(data?.columns) && data.columns.length) {
    return data.columns.map((c) => (typeof c === 'string' ? { key: c, label: COLUMN_LABELS[c] || c } : { key: c.key, label: c.label || COLUMN_LABELS[c.key] || c.key }))
      .filter((c) => !FIXED.includes(c.key));
  }
  const keys = [];
  for (const item of data?.items || []) for (const k of Object.keys(item)) if (!keys.includes(k) && !FIXED.includes(k)) keys.push(k);
  return keys.map((k) => ({ key: k, label: COLUMN_LABELS[k] || k.replace(/_/g, ' ') }));
}

export async function render(ctx) {
  useStyles();
  const { kind, id } = ctx.params;
  const key = ctx.params.key;
  const year = ctx.query.get('annee') || '';
  const errors = liveRegion('alert');

  // The dashboard names the scope and the figure.
  let dashboard = null;
  try {
    dashboard = await api.get(withQuery(dashboardPath(kind, id), { year_id: year }));
  } catch (err) {
    if (!ctx.current) return;
    if (!isNotFound(err)) throw err;
  }
  if (!ctx.current) return;
  const figure = (dashboard?.figures || []).find((f) => (f.list || f.key) === key);
  const name = figure?.label || (['next_meeting_review', 'to_review', 'review', 'meeting_review'].includes(key) ? 'Liste à examiner à la prochaine réunion de pôle' : key);
  const scope = dashboard?.scope || { kind, id };
  const back = dashboardHash(kind, id, year);
  ctx.setTitle(name);
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: `Tableau de bord – ${scopeName(scope)}`, href: back }, { label: name }]),
    pageTitle(name),
    h('p', null, `${scopeName(scope)}. Chaque ligne ouvre le dossier du stagiaire.`),
    errors.node);
  if (!dashboard) {
    errors.show('error', 'Ce tableau de bord n’existe pas ou ne vous est pas accessible', null);
    return;
  }

  let columns = null; // [{key, label}], known after the first page
  let total = 0; // the list's rows, known after the first page
  const chosenParam = ctx.query.get('colonnes');
  let chosen = chosenParam ? chosenParam.split(',').filter(Boolean) : null; // null: every column
  // Without columns in the address: the ones the reader chose last time.
  if (!chosenParam) {
    try {
      const saved = (await api.get(columnsPath(key)))?.columns;
      if (saved) chosen = saved.split(',').filter((c) => c && !FIXED.includes(c));
    } catch (err) {
      if (!ctx.current) return;
      // Not remembered: every column, as the first time.
    }
    if (!ctx.current) return;
  }
  const choice = h('div');
  const exports = h('div');
  const hidden = (name, value) => {
    const control = h('input', { type: 'hidden', name, value });
    return { name, hidden: true, field: { control, group: control }, fallback: '' };
  };
  const colonnes = hidden('colonnes', chosenParam || '');
  const list = listView(ctx, {
    base: `#/tableau-de-bord/${kind}/${id}/${encodeURIComponent(key)}`,
    pageSize: PAGE,
    filters: [hidden('annee', year), colonnes],
    formLabel: 'Liste',
    fetch: async (_filters, { limit, offset }) => {
      const data = await api.get(withQuery(listPath(kind, id, key), { year_id: year, limit, offset }));
      if (typeof data?.total === 'number' && data.total !== total) {
        total = data.total;
        if (columns) drawExports();
      }
      if (!columns) {
        columns = columnsOf(data);
        if (chosen) chosen = chosen.filter((c) => columns.some((col) => col.key === c));
        drawChoice();
      }
      return data;
    },
    count: (total) => plural(total, 'stagiaire'),
    empty: () => ({ text: 'Aucun stagiaire dans cette liste.' }),
    pagerLabel: 'Pagination de la liste',
    show: (items) => {
      const shown = (columns || []).filter((c) => !chosen || chosen.includes(c.key));
      return table({
        caption: name,
        columns: [{ label: 'Stagiaire' }, ...shown.map((c) => ({ label: c.label }))],
        rows: items.map((item) => [
          rowHeader(h('a', { href: `#/dossiers/${item.enrolment_id}` }, item.trainee?.display_name || `Dossier ${item.enrolment_id}`)),
          ...shown.map((c) => cellText(c.key, item[c.key])),
        ]),
      });
    },
  });

  function exportColumns() {
    return [...FIXED.filter((k) => k !== 'enrolment_id'), ...(columns || []).filter((c) => !chosen || chosen.includes(c.key)).map((c) => c.key)];
  }

  function drawExports() {
    // Past the bound the API refuses the file: say so instead of offering it.
    if (total > EXPORT_MAX) {
      replace(exports, h('div', { class: 'fr-alert fr-alert--info fr-alert--sm fr-mt-2w app-export-bound' },
        h('p', null, `Cette liste compte ${total.toLocaleString('fr-FR')} lignes : au-delà de ${EXPORT_MAX.toLocaleString('fr-FR')} lignes, elle ne peut pas être exportée. Choisissez un périmètre plus restreint (un pôle, une circonscription, un site ou une discipline) pour l’exporter.`)));
      return;
    }
    const query = { year_id: year, columns: exportColumns().join(',') };
    const link = (ext, text) => h('a', {
      class: 'fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left',
      href: `/api/v1${withQuery(`${listPath(kind, id, key)}.${ext}`, query)}`,
      download: '',
    }, text);
    replace(exports, h('ul', { class: 'fr-btns-group fr-btns-group--inline-md fr-mt-2w' },
      h('li', null, link('csv', 'Exporter (CSV)')),
      h('li', null, link('xlsx', 'Exporter (XLSX)'))));
  }

  function drawChoice() {
    if (!columns?.length) {
      replace(choice);
      drawExports();
      return;
    }
    const legend = uid('colonnes');
    replace(choice, h('fieldset', { class: 'fr-fieldset app-columns', 'aria-labelledby': legend },
      h('legend', { class: 'fr-fieldset__legend fr-fieldset__legend--regular', id: legend }, 'Colonnes affichées et exportées'),
      columns.map((c) => {
        const inputId = uid(`colonne-${c.key}`);
        return h('div', { class: 'fr-fieldset__element fr-fieldset__element--inline' },
          h('div', { class: 'fr-checkbox-group fr-checkbox-group--sm' },
            h('input', {
              type: 'checkbox', id: inputId, name: 'colonne', value: c.key,
              checked: !chosen || chosen.includes(c.key),
              on: { change: onChoice },
            }),
            h('label', { class: 'fr-label', for: inputId }, c.label)));
      })));
    drawExports();
  }

  function onChoice() {
    const ticked = [...choice.querySelectorAll('input[name="colonne"]:checked')].map((i) => i.value);
    chosen = ticked.length === columns.length ? null : ticked;
    const value = chosen ? chosen.join(',') : '';
    colonnes.field.control.value = value;
    list.state.colonnes = value;
    history.replaceState(null, '', list.hashFor(list.state.page));
    drawExports();
    list.load();
    // Remembered for the reader: the next visit without `colonnes` shows them.
    api.put(columnsPath(key), { columns: exportColumns().join(',') }).catch((err) => {
      if (ctx.current) errors.error(err, 'Votre choix de colonnes n’a pas pu être enregistré');
    });
  }

  ctx.root.append(choice, exports, list.node,
    h('p', { class: 'fr-mt-3w' }, h('a', { class: 'fr-link fr-icon-arrow-left-line fr-link--icon-left', href: back }, 'Retour au tableau de bord')));
  await list.load();
  if (!columns) drawChoice();
}

export { listHash };
