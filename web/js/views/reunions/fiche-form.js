// The fiche de personnalisation's form (annex 1): a new fiche for one of
// the trainees the tutor or pilot follows this year, or the draft rewritten
// with its version (If-Match). The five difficulties each have their
// situation, proposed support and hours of the tuteur Inspé.
// POST /api/v1/personalisations; PUT /api/v1/personalisations/{id}

import { api, getAll, request } from '../../api.js';
import { h, replace } from '../../dom.js';
import { isConflict } from '../../versioned.js';
import {
  pageTitle, breadcrumb, liveRegion, button, buttonLink, buttonGroup, whileBusy, selectField,
  textField, textareaField, showFormError, clearFormErrors, checkRequired,
} from '../../ui.js';
import { DIFFICULTIES } from './common.js';

export async function render(ctx) {
  const id = ctx.params.id || null;
  const errors = liveRegion('alert');
  const title = id ? 'Modifier la fiche de personnalisation' : 'Nouvelle fiche de personnalisation';
  ctx.setTitle(title);
  const body = h('div');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Fiches de personnalisation', href: '#/reunions/fiches' }, { label: id ? 'Modifier' : 'Nouvelle fiche' }]),
    pageTitle(title), errors.node, body);

  let fiche = null;
  let version = null;
  let enrolments = [];
  try {
    if (id) {
      const res = await request('GET', `/personalisations/${encodeURIComponent(id)}`);
      fiche = res.data;
      version = res.etag || fiche.version;
    } else {
      enrolments = await getAll('/enrolments');
    }
  } catch (err) {
    if (ctx.current) errors.error(err, 'Le formulaire n’a pas pu être préparé');
    return;
  }
  if (!ctx.current) return;

  const fields = {};
  if (!id) {
    fields.trainee_id = selectField({
      label: 'Stagiaire', name: 'trainee_id', required: true, placeholder: 'Choisir un stagiaire',
      options: enrolments.map((e) => ({ value: `${e.trainee.id}:${e.year?.id ?? ''}`, label: `${e.trainee.display_name} (${e.year?.label ?? ''})` })),
      value: ctx.query.get?.('stagiaire') || '',
    });
  }
  fields.decided_on = textField({ label: 'Date de la réunion du pôle ou de la discipline qui a décidé la personnalisation', name: 'decided_on', type: 'date', required: true, value: fiche?.decided_on || '' });
  const rows = DIFFICULTIES.map((label, i) => {
    const item = fiche?.items?.[i] || {};
    const n = i + 1;
    return {
      n,
      situation: textareaField({ label: 'Description de la situation', name: `situation-${n}`, rows: 3, value: item.situation || '' }),
      support: textareaField({ label: 'Dispositif d’accompagnement proposé', name: `support-${n}`, rows: 3, value: item.support || '' }),
      hours: textField({ label: 'Heures du tuteur Inspé', name: `hours-${n}`, type: 'number', value: item.hours ? String(item.hours) : '', attrs: { min: '0', max: '500' } }),
      label,
    };
  });

  const region = liveRegion('alert');
  const form = h('form', {
    class: 'app-form',
    on: {
      submit: (e) => {
        e.preventDefault();
        clearFormErrors(fields);
        if (!checkRequired(fields)) return;
        const items = rows
          .map((r) => ({
            difficulty: r.n,
            situation: r.situation.control.value.trim() || null,
            support: r.support.control.value.trim() || null,
            hours: Number(r.hours.control.value || 0),
          }))
          .filter((it) => it.situation || it.support || it.hours);
        const payload = { decided_on: fields.decided_on.control.value, items };
        if (fiche) {
          payload.meeting_id = fiche.meeting_id;
          payload.place_id = fiche.place?.id ?? null;
        } else {
          const [trainee, year] = fields.trainee_id.control.value.split(':');
          payload.trainee_id = Number(trainee);
          if (year) payload.year_id = Number(year);
          if (ctx.query.get?.('reunion')) payload.meeting_id = Number(ctx.query.get('reunion'));
        }
        whileBusy(e.submitter || form.querySelector('button[type=submit]'), async () => {
          try {
            if (fiche) {
              await request('PUT', `/personalisations/${encodeURIComponent(id)}`, { body: payload, ifMatch: version });
              ctx.navigate(`#/reunions/fiche/${encodeURIComponent(id)}`);
            } else {
              const created = await api.post('/personalisations', payload);
              ctx.navigate(`#/reunions/fiche/${encodeURIComponent(created.id)}`);
            }
          } catch (err) {
            if (isConflict(err)) {
              region.show('error', 'La fiche a été modifiée entre-temps', 'Rechargez la page pour reprendre la version enregistrée.');
              return;
            }
            showFormError(err, fields, region);
          }
        });
      },
    },
  },
  region.node,
  fields.trainee_id ? fields.trainee_id.group : null,
  fields.decided_on.group,
  rows.map((r) => h('fieldset', { class: 'fr-fieldset app-section' },
    h('legend', { class: 'fr-fieldset__legend' }, `${r.n}. ${r.label}`),
    h('div', { class: 'fr-fieldset__content' }, r.situation.group, r.support.group, r.hours.group))),
  buttonGroup([
    button(fiche ? 'Enregistrer la fiche' : 'Créer la fiche', { type: 'submit' }),
    buttonLink('Revenir sans enregistrer', fiche ? `#/reunions/fiche/${encodeURIComponent(id)}` : '#/reunions/fiches', { kind: 'secondary' }),
  ]));
  replace(body, form);
}
