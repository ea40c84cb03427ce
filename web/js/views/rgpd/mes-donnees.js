// « Mes données personnelles » (issue 15, docs/rgpd-access.md), for every
// signed-in person: who read my file (the reads of my records by others),
// my rectification requests with their answers and the form to ask for
// one, and the link to the copy of my data.
//
// GET  /api/v1/me/reads?limit=&offset=                    { items, total }
// GET  /api/v1/me/rectification-requests?limit=&offset=   { items, total }
// POST /api/v1/me/rectification-requests {field, requested_value, comment}

import { api, withQuery } from '../../api.js';
import { h, replace, plural } from '../../dom.js';
import { formatMoment } from '../../format.js';
import {
  pageTitle, liveRegion, loading, table, rowHeader, pagination, selectField, textField, textareaField,
  button, buttonGroup, whileBusy, showFormError, clearFormErrors, checkRequired, focusRegion, textBlock,
} from '../../ui.js';
import { RECORD_TYPES, FIELDS, statusBadge } from './common.js';

const PAGE_SIZE = 20;

/** « Qui a consulté mon dossier »: one page at a time, newest first. */
function readsSection(ctx) {
  const errors = liveRegion('alert');
  const status = h('p', { class: 'app-result-count', role: 'status', tabindex: '-1', id: 'consultations-total' });
  const body = h('div', null, loading());
  let page = 1;

  async function load({ focus = false } = {}) {
    let data;
    body.setAttribute('aria-busy', 'true');
    try {
      data = await api.get(withQuery('/me/reads', { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }));
    } catch (err) {
      if (!ctx.current) return;
      body.removeAttribute('aria-busy');
      body.replaceChildren();
      errors.error(err, 'La liste des consultations n’a pas pu être chargée');
      return;
    }
    if (!ctx.current) return;
    body.removeAttribute('aria-busy');
    const items = data?.items || [];
    const total = data?.total ?? items.length;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (!items.length) {
      status.textContent = 'Personne d’autre que vous n’a consulté votre dossier.';
      body.replaceChildren();
      return;
    }
    status.textContent = pages > 1
      ? `${plural(total, 'consultation')} — page ${page} sur ${pages}.`
      : `${plural(total, 'consultation')}.`;
    replace(body,
      table({
        caption: 'Consultations de mon dossier, les plus récentes d’abord',
        columns: [{ label: 'Date' }, { label: 'Personne' }, { label: 'Élément consulté' }],
        rows: items.map((i) => [rowHeader(formatMoment(i.read_at)), i.reader?.display_name || '—',
          RECORD_TYPES[i.record_type] || i.record_type]),
      }),
      pagination({
        page, pages, label: 'Pages des consultations', href: () => '#/mes-donnees',
        onGo: (target) => { page = target; load({ focus: true }); },
      }));
    if (focus) status.focus();
  }

  const node = h('section', { class: 'fr-mt-4w', 'aria-labelledby': 'consultations-titre' },
    h('h2', { id: 'consultations-titre' }, 'Qui a consulté mon dossier'),
    h('p', null, 'Chaque fois qu’une autre personne ouvre un élément de votre dossier (dossier d’accompagnement, bilan, auto-positionnement, temps de suivi, document, compte rendu de stage), sa consultation est enregistrée : qui, quand et quel élément. Ce qu’elle a écrit ailleurs n’apparaît pas ici.'),
    errors.node, status, body);
  return { node, load };
}

/** « Mes demandes de rectification » and the form to ask for one. */
function rectificationSection(ctx) {
  const errors = liveRegion('alert');
  const listBody = h('div', { id: 'rectifications-liste' }, loading());
  const formStatus = liveRegion('status');
  const formErrors = liveRegion('alert');

  async function loadList() {
    let data;
    try {
      data = await api.get(withQuery('/me/rectification-requests', { limit: 50 }));
    } catch (err) {
      if (!ctx.current) return;
      listBody.replaceChildren();
      errors.error(err, 'Vos demandes n’ont pas pu être chargées');
      return;
    }
    if (!ctx.current) return;
    const items = data?.items || [];
    if (!items.length) {
      replace(listBody, h('p', null, 'Vous n’avez fait aucune demande de rectification.'));
      return;
    }
    replace(listBody, table({
      caption: 'Mes demandes de rectification',
      columns: [{ label: 'Date' }, { label: 'Donnée' }, { label: 'Valeur demandée' }, { label: 'État' }, { label: 'Réponse' }],
      rows: items.map((r) => [rowHeader(formatMoment(r.created_at)), FIELDS[r.field] || r.field, r.requested_value,
        statusBadge(r.status), r.answer ? textBlock(r.answer) : '—']),
    }));
  }

  const fields = {
    field: selectField({
      label: 'Donnée à corriger', name: 'field', required: true, placeholder: 'Choisir une donnée',
      options: Object.entries(FIELDS).map(([value, label]) => ({ value, label })),
    }),
    requested_value: textField({
      label: 'Valeur corrigée', name: 'requested_value', required: true, hint: 'Telle qu’elle doit apparaître, 254 caractères au plus.',
      attrs: { maxlength: '254' },
    }),
    comment: textareaField({
      label: 'Commentaire', name: 'comment', rows: 3, hint: 'Facultatif : ce qui aide l’administrateur à faire la correction.',
      attrs: { maxlength: '2000' },
    }),
  };
  const send = button('Envoyer la demande', { type: 'submit' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'rectification-form-titre', id: 'rectification-form' },
    h('h3', { id: 'rectification-form-titre', class: 'fr-h5' }, 'Demander une rectification'),
    h('p', null, 'Vos nom, prénom et adresse électronique viennent de l’annuaire de votre académie. Si l’une de ces données est inexacte, demandez sa correction : les administrateurs de Tutorat de votre académie la font dans l’annuaire et vous répondent ici.'),
    formErrors.node, formStatus.node,
    fields.field.group, fields.requested_value.group, fields.comment.group,
    buttonGroup([send]));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    formErrors.clear();
    formStatus.clear();
    clearFormErrors(fields);
    if (!checkRequired(fields)) return;
    whileBusy(send, async () => {
      try {
        await api.post('/me/rectification-requests', {
          field: fields.field.control.value,
          requested_value: fields.requested_value.control.value.trim(),
          comment: fields.comment.control.value.trim() || null,
        });
      } catch (err) {
        if (ctx.current) showFormError(err, fields, formErrors, 'La demande n’a pas pu être envoyée');
        return;
      }
      if (!ctx.current) return;
      form.reset();
      formStatus.show('success', null, 'Votre demande est envoyée aux administrateurs de votre académie. Sa réponse s’affichera ci-dessus.');
      focusRegion(formStatus);
      await loadList();
    });
  });

  const node = h('section', { class: 'fr-mt-6w', 'aria-labelledby': 'rectifications-titre' },
    h('h2', { id: 'rectifications-titre' }, 'Mes demandes de rectification'),
    errors.node, listBody, form);
  return { node, load: loadList };
}

export async function render(ctx) {
  const reads = readsSection(ctx);
  const rect = rectificationSection(ctx);
  const info = `/informations.html?academie=${encodeURIComponent(ctx.me.academy || '')}`;
  ctx.root.append(
    pageTitle('Mes données personnelles'),
    h('p', null, 'Ce que Tutorat garde à votre sujet, qui l’a consulté, et vos droits. ',
      h('a', { href: info }, 'Informations et données personnelles de votre académie'), '.'),
    reads.node,
    rect.node,
    h('section', { class: 'fr-mt-6w', 'aria-labelledby': 'copie-titre' },
      h('h2', { id: 'copie-titre' }, 'Copie de mes données'),
      h('p', null, 'Vous pouvez télécharger tout ce que Tutorat garde à votre sujet, lisible et dans un format réutilisable.'),
      h('p', null, h('a', { class: 'fr-link fr-icon-download-line fr-link--icon-left', href: '#/mes-donnees/copie' }, 'Télécharger une copie de mes données'))));
  await Promise.all([reads.load(), rect.load()]);
}
