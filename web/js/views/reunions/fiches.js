// « Fiches de personnalisation »: the fiches the signed-in person sees
// (their trainees as tutor, their pôle or discipline as pilot, all of them
// for the cellule), with status and hours only.
// A tutor also asks here for a trainee to be reviewed at the next meeting.
// GET /api/v1/personalisations; POST /api/v1/review-requests

import { api, getAll, withQuery } from '../../api.js';
import { h } from '../../dom.js';
import { formatDate } from '../../format.js';
import {
  pageTitle, breadcrumb, rowHeader, liveRegion, table, buttonLink, buttonGroup, button, whileBusy,
  selectField, textareaField, showFormError, clearFormErrors, checkRequired,
} from '../../ui.js';
import { FICHE_STATUS, statusBadge } from './common.js';

const WRITERS = ['tuteur_terrain', 'tuteur_inspe', 'pilote_pole', 'ien', 'ia_ipr'];

export async function render(ctx) {
  const errors = liveRegion('alert');
  ctx.setTitle('Fiches de personnalisation');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Fiches de personnalisation' }]),
    pageTitle('Fiches de personnalisation'),
    h('p', null, 'Décidée à la réunion de pôle N°1 ou par les tuteurs, la fiche décrit pour chaque difficulté la situation, le dispositif d’accompagnement proposé et les heures du tuteur Inspé. Le tuteur Inspé la transmet à la cellule d’accompagnement du bureau des stages, qui accorde ou non les moyens et les heures.'),
    (ctx.me?.roles || []).some((r) => WRITERS.includes(r))
      ? buttonGroup([buttonLink('Nouvelle fiche de personnalisation', '#/reunions/fiches/nouvelle', { icon: 'add-line' })]) : null,
    errors.node);
  let page;
  try {
    page = await api.get(withQuery('/personalisations', { limit: 200 }));
  } catch (err) {
    if (ctx.current) errors.error(err, 'La liste des fiches n’a pas pu être chargée');
    return;
  }
  if (!ctx.current) return;
  ctx.root.append(fichesTable(page.items || [], 'Fiches de personnalisation'));
  if ((ctx.me?.roles || []).some((r) => r === 'tuteur_terrain' || r === 'tuteur_inspe')) {
    const form = await reviewRequestForm();
    if (ctx.current && form) ctx.root.append(form);
  }
}

/** « Demander l’examen d’un stagiaire en réunion de pôle » (the tutors). */
async function reviewRequestForm() {
  let enrolments;
  try {
    enrolments = await getAll('/enrolments');
  } catch {
    return null;
  }
  const fields = {
    enrolment_id: selectField({ label: 'Stagiaire', name: 'enrolment_id', required: true, placeholder: 'Choisir un stagiaire', options: enrolments.map((e) => ({ value: String(e.id), label: `${e.trainee.display_name} (${e.year?.label ?? ''})` })) }),
    reason: textareaField({ label: 'Motif de la demande', name: 'reason', required: true, rows: 3, hint: 'Le pilote du pôle ou l’IA-IPR de la discipline le lira en préparant la liste des stagiaires à examiner.' }),
  };
  const region = liveRegion('alert');
  const done = liveRegion('status');
  return h('section', { class: 'app-panel fr-mt-4w', 'aria-labelledby': 'demande-examen' },
    h('h2', { class: 'fr-h5', id: 'demande-examen' }, 'Demander l’examen d’un stagiaire en réunion de pôle'),
    done.node,
    h('form', {
      class: 'app-form',
      on: {
        submit: (e) => {
          e.preventDefault();
          clearFormErrors(fields);
          if (!checkRequired(fields)) return;
          const formNode = e.currentTarget;
          whileBusy(e.submitter || formNode.querySelector('button'), async () => {
            try {
              await api.post('/review-requests', { enrolment_id: Number(fields.enrolment_id.control.value), reason: fields.reason.control.value.trim() });
              formNode.reset();
              done.show('success', null, 'La demande est enregistrée : le stagiaire figurera sur la liste de la prochaine réunion.');
            } catch (err) { showFormError(err, fields, region); }
          });
        },
      },
    }, region.node, fields.enrolment_id.group, fields.reason.group, button('Envoyer la demande', { type: 'submit', kind: 'secondary' })));
}

/** The table of fiches (also on the cellule's page). */
export function fichesTable(items, caption) {
  if (!items.length) return h('p', { class: 'app-result-count' }, 'Aucune fiche de personnalisation.');
  return h('div', null,
    h('p', { class: 'app-result-count' }, items.length > 1 ? `${items.length} fiches.` : '1 fiche.'),
    table({
      caption,
      columns: [{ label: 'Stagiaire' }, { label: 'Pôle ou discipline' }, { label: 'Décidée le' }, { label: 'Statut' }, { label: 'Heures demandées' }, { label: 'Heures accordées' }],
      rows: items.map((f) => [
        rowHeader(h('a', { href: `#/reunions/fiche/${encodeURIComponent(f.id)}` }, f.trainee_name)),
        f.scope_name || '—',
        formatDate(f.decided_on),
        statusBadge(FICHE_STATUS[f.status] || f.status, f.status === 'agreed' ? 'success' : f.status === 'refused' ? 'error' : f.status === 'sent' ? 'new' : 'info'),
        `${f.hours} h`,
        f.agreed_hours != null ? `${f.agreed_hours} h` : '—',
      ]),
    }));
}
