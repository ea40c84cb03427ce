// A remediation workshop of the cellule: its sessions (date, place), the
// trainees enrolled (only trainees in difficulty: an agreed fiche de
// personnalisation) and the attendance at each session.
// GET /api/v1/workshops/{id}; POST .../sessions, .../trainees; PUT .../attendance

import { api, getAll, isNotFound } from '../../api.js';
import { h, replace } from '../../dom.js';
import { formatShort } from '../../format.js';
import {
  pageTitle, breadcrumb, rowHeader, liveRegion, table, button, whileBusy, textField, selectField,
  showFormError, clearFormErrors, checkRequired,
} from '../../ui.js';

export async function render(ctx) {
  const id = ctx.params.id;
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const body = h('div');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Cellule d’accompagnement', href: '#/reunions/cellule' }, { label: 'Atelier' }]),
    errors.node, status.node, body);

  function form(fields, submitLabel, send) {
    const region = liveRegion('alert');
    return h('form', {
      class: 'app-form',
      on: {
        submit: (e) => {
          e.preventDefault();
          clearFormErrors(fields);
          if (!checkRequired(fields)) return;
          whileBusy(e.submitter || e.currentTarget.querySelector('button'), async () => {
            try { await send(); } catch (err) { showFormError(err, fields, region); }
          });
        },
      },
    }, region.node, Object.values(fields).map((f) => f.group), button(submitLabel, { type: 'submit', kind: 'secondary' }));
  }

  async function load(announce) {
    let w;
    let agreed;
    try {
      w = await api.get(`/workshops/${encodeURIComponent(id)}`);
      agreed = await getAll('/personalisations', { status: 'agreed', year_id: w.year_id });
    } catch (err) {
      if (!ctx.current) return;
      if (isNotFound(err)) replace(body, pageTitle('Atelier introuvable'), h('p', null, 'Cet atelier n’existe pas.'));
      else errors.error(err, 'L’atelier n’a pas pu être chargé');
      return;
    }
    if (!ctx.current) return;
    ctx.setTitle(w.title);
    const when = textField({ label: 'Date et heure', name: 'held_at', type: 'datetime-local', required: true });
    const place = textField({ label: 'Lieu', name: 'place', required: true });
    const enrolled = new Set(w.trainees.map((t) => t.enrolment_id));
    const candidates = agreed.filter((f) => !enrolled.has(f.enrolment_id));
    const trainee = selectField({
      label: 'Stagiaire en difficulté (personnalisation accordée)', name: 'enrolment_id', required: true, placeholder: 'Choisir',
      options: candidates.map((f) => ({ value: String(f.enrolment_id), label: f.trainee_name })),
    });
    replace(body,
      pageTitle(w.title),
      h('p', null, `Atelier de remédiation de l’année ${w.year_label}, ouvert uniquement aux stagiaires en difficulté.`),
      h('h2', { class: 'fr-h4 fr-mt-4w' }, 'Séances et présences'),
      w.sessions.length
        ? table({
          caption: 'Séances de l’atelier et présence des stagiaires',
          columns: [{ label: 'Séance' }, ...w.trainees.map((t) => ({ label: t.display_name }))],
          rows: w.sessions.map((s) => [
            rowHeader(`${formatShort(s.held_at)}, ${s.place}`),
            ...w.trainees.map((t) => attendance(s, t)),
          ]),
        })
        : h('p', { class: 'app-result-count' }, 'Aucune séance.'),
      form({ held_at: when, place }, 'Ajouter la séance', async () => {
        await api.post(`/workshops/${encodeURIComponent(id)}/sessions`, { held_at: when.control.value.slice(0, 16), place: place.control.value.trim() });
        await load('La séance est ajoutée.');
      }),
      h('h2', { class: 'fr-h4 fr-mt-4w' }, 'Stagiaires inscrits'),
      w.trainees.length ? h('ul', null, w.trainees.map((t) => h('li', null, t.display_name))) : h('p', null, 'Aucun stagiaire inscrit.'),
      candidates.length
        ? form({ enrolment_id: trainee }, 'Inscrire le stagiaire', async () => {
          await api.post(`/workshops/${encodeURIComponent(id)}/trainees`, { enrolment_id: Number(trainee.control.value) });
          await load('Le stagiaire est inscrit.');
        })
        : h('p', { class: 'fr-hint-text' }, 'Aucun autre stagiaire n’a de personnalisation accordée cette année.'));
    if (announce) status.show('success', null, announce);
  }

  function attendance(session, t) {
    const value = session.present.includes(t.enrolment_id) ? 'present' : session.absent.includes(t.enrolment_id) ? 'absent' : '';
    const field = selectField({
      label: `Présence de ${t.display_name} à la séance du ${formatShort(session.held_at)}`, name: 'present', value,
      options: [{ value: '', label: 'Non renseignée' }, { value: 'present', label: 'Présent' }, { value: 'absent', label: 'Absent' }],
    });
    field.control.addEventListener('change', async () => {
      if (!field.control.value) return;
      try {
        await api.put(`/workshops/${encodeURIComponent(id)}/attendance`, { session_id: session.id, enrolment_id: t.enrolment_id, present: field.control.value === 'present' });
        status.show('success', null, `Présence de ${t.display_name} enregistrée.`);
      } catch (err) { errors.error(err, 'La présence n’a pas pu être enregistrée'); }
    });
    return field.group;
  }

  await load();
}
