// « Ressources pour approfondir »: after the meeting, links to the
// M@gistère parcours (module FORMER), Néopass@ction (« Débuter comme
// formateur, tuteur, conseiller pédagogique ») and the models of the
// teaching activity (Bucheton, Ria, Goigoux). The académie's admin and
// bureau des stages edit the list (the whole list is written at once).
// GET /api/v1/reseau/resources; PUT /api/v1/reseau/resources

import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import {
  pageTitle, breadcrumb, liveRegion, textField, textareaField, selectField, button, buttonGroup, whileBusy,
  showFormError, clearFormErrors, checkRequired, focusRegion,
} from '../../ui.js';
import { RESOURCE_KINDS, RESOURCE_EDITORS, useStyles } from './common.js';

export async function render(ctx) {
  useStyles();
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const body = h('div');
  ctx.setTitle('Ressources pour approfondir');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Réseau de tuteurs', href: '#/reseau' }, { label: 'Ressources' }]),
    pageTitle('Ressources pour approfondir'),
    h('p', null, 'Après le présentiel, des ressources pour prolonger la réflexion du collectif.'),
    errors.node, status.node, body);
  const editor = (ctx.me.roles || []).some((r) => RESOURCE_EDITORS.includes(r));

  async function load(announce) {
    let items;
    try {
      items = (await api.get('/reseau/resources'))?.items || [];
    } catch (err) {
      if (ctx.current) errors.error(err, 'Les ressources n’ont pas pu être chargées');
      return;
    }
    if (!ctx.current) return;
    replace(body, list(items), editor ? edit(items) : null);
    if (announce) status.show('success', null, announce);
  }

  function list(items) {
    if (!items.length) return h('p', { class: 'app-result-count' }, 'Aucune ressource pour le moment.');
    return RESOURCE_KINDS.map((kind) => {
      const of = items.filter((r) => (r.kind || 'other') === kind.value);
      if (!of.length) return null;
      return h('section', { class: 'fr-mb-3w' },
        h('h2', { class: 'fr-h5' }, kind.label),
        h('ul', { class: 'app-links' }, of.map((r) => h('li', { class: 'fr-mb-2w' },
          h('a', { class: 'fr-link', href: r.url, target: '_blank', rel: 'noopener', title: `${r.title} — nouvelle fenêtre` }, r.title),
          r.description ? h('p', { class: 'fr-text--sm fr-mb-0' }, r.description) : null))));
    });
  }

  function edit(items) {
    const rows = [];
    const rowsZone = h('div');
    const region = liveRegion('alert');
    const addRow = (r = {}) => {
      const n = rows.length + 1;
      const row = {
        title: textField({ label: 'Titre', name: `title-${n}`, required: true, value: r.title || '' }),
        url: textField({ label: 'Adresse (URL)', name: `url-${n}`, type: 'url', required: true, value: r.url || '' }),
        kind: selectField({ label: 'Type', name: `kind-${n}`, options: RESOURCE_KINDS, value: r.kind || 'other' }),
        description: textareaField({ label: 'Description', name: `description-${n}`, rows: 2, value: r.description || '' }),
      };
      row.remove = button('Retirer cette ressource', {
        kind: 'tertiary', size: 'sm', icon: 'delete-line', srSuffix: r.title ? `« ${r.title} »` : `n°${n}`,
        onClick: () => { rows.splice(rows.indexOf(row), 1); draw(); },
      });
      rows.push(row);
    };
    const draw = () => replace(rowsZone, rows.map((row, i) => h('fieldset', { class: 'fr-fieldset app-section' },
      h('legend', { class: 'fr-fieldset__legend' }, `Ressource n°${i + 1}`),
      h('div', { class: 'fr-fieldset__element' },
        h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
          h('div', { class: 'fr-col-12 fr-col-md-5' }, row.title.group),
          h('div', { class: 'fr-col-12 fr-col-md-4' }, row.url.group),
          h('div', { class: 'fr-col-12 fr-col-md-3' }, row.kind.group),
          h('div', { class: 'fr-col-12' }, row.description.group))),
      h('div', { class: 'fr-fieldset__element' }, row.remove))));
    items.forEach(addRow);
    draw();
    return h('section', { class: 'app-panel fr-mt-4w', 'aria-labelledby': 'modifier-ressources' },
      h('h2', { class: 'fr-h4', id: 'modifier-ressources' }, 'Modifier les ressources de l’académie'),
      h('form', {
        novalidate: true,
        on: {
          submit: (e) => {
            e.preventDefault();
            for (const row of rows) clearFormErrors(row);
            for (const row of rows) if (!checkRequired({ title: row.title, url: row.url })) return;
            whileBusy(e.submitter || e.currentTarget.querySelector('button[type=submit]'), async () => {
              try {
                await api.put('/reseau/resources', {
                  items: rows.map((row) => ({
                    title: row.title.control.value.trim(), url: row.url.control.value.trim(), kind: row.kind.control.value,
                    description: row.description.control.value.trim(),
                  })),
                });
                await load('Les ressources sont enregistrées.');
              } catch (err) {
                const index = /^items\[(\d+)\]\.(\w+)$/.exec(err.field || '');
                if (index && rows[Number(index[1])]?.[index[2]]) showFormError({ ...err, field: index[2] }, rows[Number(index[1])], region);
                else { region.error(err, 'Les ressources n’ont pas pu être enregistrées'); focusRegion(region); }
              }
            });
          },
        },
      }, region.node, rowsZone,
      buttonGroup([
        button('Ajouter une ressource', { kind: 'secondary', icon: 'add-line', onClick: () => { addRow(); draw(); rows[rows.length - 1].title.control.focus(); } }),
        button('Enregistrer les ressources', { type: 'submit', icon: 'save-line' }),
      ])));
  }

  await load();
}
