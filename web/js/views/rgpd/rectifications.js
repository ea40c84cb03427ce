// « Demandes de rectification » (issue 15, docs/rgpd-access.md), for the
// académie's admin: the requests to correct identity data, the ones to
// answer first, each with the form of its answer (status and the text the
// person reads). The correction itself is made in the directory.
//
// GET   /api/v1/admin/rectification-requests?status=&limit=&offset=   { items, total }
// PATCH /api/v1/admin/rectification-requests/{id} {status, answer}   If-Match

import { api, withQuery, request } from '../../api.js';
import { h, replace, plural } from '../../dom.js';
import { formatMoment } from '../../format.js';
import { listView } from '../../list.js';
import {
  pageTitle, liveRegion, selectField, textareaField, button, buttonGroup, whileBusy, showFormError,
  clearFormErrors, focusRegion, textBlock,
} from '../../ui.js';
import { FIELDS, STATUSES, statusBadge } from './common.js';

const BASE = '#/administration/rectifications';
const PAGE_SIZE = 20;
const ANSWERS = ['in_progress', 'done', 'refused'];

/** One request: what was asked, by whom, and the form of its answer. */
function requestCard(ctx, item) {
  const titleId = `demande-${item.id}`;
  const status = liveRegion('status');
  const errors = liveRegion('alert');
  const badge = h('div', null, statusBadge(item.status));
  const answerShown = h('div', null, item.answer ? textBlock(item.answer) : null);
  let version = item.version;
  const fields = {
    status: selectField({
      label: 'État de la demande', name: `status-${item.id}`, required: true,
      options: ANSWERS.map((value) => ({ value, label: STATUSES[value].label })),
      value: ANSWERS.includes(item.status) ? item.status : 'in_progress',
    }),
    answer: textareaField({
      label: 'Réponse à la personne', name: `answer-${item.id}`, rows: 3, value: item.answer || '',
      hint: 'Obligatoire pour une demande faite ou refusée. La personne la lit dans « Mes données personnelles ».',
      attrs: { maxlength: '4000' },
    }),
  };
  const save = button('Enregistrer la réponse', { type: 'submit', srSuffix: `à ${item.person?.display_name || ''}` });
  const form = h('form', { novalidate: true, 'aria-labelledby': titleId }, errors.node, status.node,
    fields.status.group, fields.answer.group, buttonGroup([save]));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    errors.clear();
    status.clear();
    clearFormErrors({ answer: fields.answer });
    const answer = fields.answer.control.value.trim();
    if (fields.status.control.value !== 'in_progress' && !answer) {
      fields.answer.setError('Écrivez la réponse que la personne lira.');
      fields.answer.control.focus();
      return;
    }
    whileBusy(save, async () => {
      let res;
      try {
        res = await request('PATCH', `/admin/rectification-requests/${item.id}`, {
          body: { status: fields.status.control.value, answer: answer || null }, ifMatch: version,
        });
      } catch (err) {
        if (!ctx.current) return;
        if (err.status === 412) {
          errors.error('Cette demande a été traitée entre-temps par un autre administrateur : rechargez la page pour voir sa réponse.', 'La réponse n’a pas été enregistrée');
          focusRegion(errors);
          return;
        }
        showFormError(err, { answer: fields.answer, status: fields.status }, errors, 'La réponse n’a pas été enregistrée');
        return;
      }
      if (!ctx.current) return;
      version = res.data.version;
      replace(badge, statusBadge(res.data.status));
      replace(answerShown, res.data.answer ? textBlock(res.data.answer) : null);
      status.show('success', null, 'La réponse est enregistrée ; la personne en est avertie.');
      focusRegion(status);
    });
  });
  return h('li', { class: 'fr-mb-4w' },
    h('article', { class: 'app-panel', 'aria-labelledby': titleId },
      h('h2', { class: 'fr-h5', id: titleId }, `${item.person?.display_name || '—'} : ${FIELDS[item.field] || item.field}`),
      badge,
      h('dl', { class: 'app-dl' },
        h('dt', null, 'Demandée le'), h('dd', null, formatMoment(item.created_at)),
        h('dt', null, 'Valeur demandée'), h('dd', null, item.requested_value),
        h('dt', null, 'Commentaire'), h('dd', null, textBlock(item.comment, 'Aucun.')),
        h('dt', null, 'Réponse'), h('dd', null, answerShown)),
      form));
}

export async function render(ctx) {
  const list = listView(ctx, {
    base: BASE,
    pageSize: PAGE_SIZE,
    formLabel: 'Filtrer les demandes',
    submitLabel: 'Filtrer',
    filters: [{
      name: 'etat', width: 4,
      field: selectField({
        label: 'État', name: 'etat',
        options: [{ value: '', label: 'Toutes' }, ...Object.entries(STATUSES).map(([value, s]) => ({ value, label: s.label }))],
      }),
    }],
    fetch: (filters, page) => api.get(withQuery('/admin/rectification-requests', { status: filters.etat, ...page })),
    show: (items) => h('ul', { class: 'app-plain-list' }, items.map((item) => requestCard(ctx, item))),
    count: (total) => plural(total, 'demande'),
    empty: (state, filtered) => ({ text: filtered ? 'Aucune demande dans cet état.' : 'Aucune demande de rectification.' }),
    pagerLabel: 'Pages des demandes',
  });
  ctx.root.append(
    pageTitle('Demandes de rectification'),
    h('p', null, 'Les personnes de votre académie demandent ici la correction de leurs données d’identité, qui viennent de l’annuaire. Faites la correction dans l’annuaire, puis répondez : la personne est avertie et lit votre réponse.'),
    list.form, list.node);
  await list.load();
}
