// « Accompagnement personnalisé »: the cases the signed-in person is an
// actor of now (status only: level, state, planned end), and for the
// tutors the form that opens one.
// GET /api/v1/cases?state=&limit=&offset=, GET /api/v1/enrolments,
// POST /api/v1/enrolments/{id}/cases

import { api, getAll, withQuery } from '../../api.js';
import { h, plural } from '../../dom.js';
import {
  pageTitle, breadcrumb, rowHeader, wrapTable, liveRegion, selectField, textField, textareaField,
  button, clearFormErrors, checkRequired, showFormError, whileBusy, setFlash, showFlash,
} from '../../ui.js';
import { levelLabel, STATES, day } from './common.js';

const BASE = '#/accompagnement';
const STATE_OPTIONS = [{ value: 'open', label: 'En cours' }, { value: 'closed', label: 'Clos' }, { value: '', label: 'Tous' }];

export async function render(ctx) {
  const state = ctx.query.get('etat') ?? 'open';
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const filter = selectField({ label: 'Dossiers', name: 'etat', options: STATE_OPTIONS, value: state });
  filter.control.addEventListener('change', () => ctx.navigate(withQuery(BASE, { etat: filter.control.value || 'tous' })));
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Accompagnement personnalisé' }]),
    pageTitle('Accompagnement personnalisé'),
    h('p', null, 'Les dossiers d’accompagnement des stagiaires en difficulté dont vous êtes acteur au niveau où ils sont. Chaque dossier se consulte et se complète sur sa page ; chaque consultation est enregistrée et le stagiaire peut la voir.'),
    status.node, errors.node, filter.group);
  ctx.setTitle('Accompagnement personnalisé');
  showFlash(status);
  let page;
  try {
    page = await api.get(withQuery('/cases', { state: state === 'tous' ? '' : state, limit: 200 }));
  } catch (err) {
    if (ctx.current) errors.error(err, 'La liste n’a pas pu être chargée');
    return;
  }
  if (!ctx.current) return;
  const items = page.items || [];
  ctx.root.append(h('p', { class: 'app-result-count', role: 'status' },
    items.length ? plural(page.total, 'dossier', 'dossiers') : 'Aucun dossier d’accompagnement.'));
  if (items.length) {
    ctx.root.append(wrapTable({
      caption: 'Dossiers d’accompagnement',
      columns: [{ label: 'Stagiaire' }, { label: 'Année' }, { label: 'Niveau' }, { label: 'État' }, { label: 'Fin prévue de la période' }],
      rows: items.map((c) => [
        rowHeader(h('a', { href: `#/accompagnement/${encodeURIComponent(c.id)}` }, c.trainee_name)),
        c.year, levelLabel(c.level), STATES[c.state], c.state === 'open' ? day(c.ends_on) : '—',
      ]),
    }));
  }
  if ((ctx.me.roles || []).some((r) => r === 'tuteur_terrain' || r === 'tuteur_inspe')) await openForm(ctx);
}

/** The tutors' form: open the case of one of their trainees. */
async function openForm(ctx) {
  let enrolments;
  try {
    enrolments = await getAll('/enrolments');
  } catch {
    return;
  }
  if (!ctx.current || !enrolments.length) return;
  const errors = liveRegion('alert');
  const fields = {
    id: selectField({ label: 'Stagiaire', name: 'inscription', required: true, placeholder: 'Choisir un stagiaire',
      options: enrolments.map((e) => ({ value: e.id, label: `${e.trainee?.display_name || e.trainee?.username} (${e.year?.label || e.year_label || ''})` })) }),
    level: selectField({ label: 'Niveau', name: 'niveau', required: true, value: '2',
      options: [{ value: '1', label: levelLabel(1) }, { value: '2', label: levelLabel(2) }] }),
    starts_on: textField({ label: 'Début de la période', name: 'debut', type: 'date', hint: 'Aujourd’hui si vide.' }),
    ends_on: textField({ label: 'Fin prévue de la période', name: 'fin', type: 'date', required: true }),
    reason: textareaField({ label: 'Motif', name: 'motif', rows: 3, hint: 'Ce qui conduit à ouvrir le dossier ; lu par les acteurs du niveau.' }),
  };
  const submit = button('Ouvrir le dossier', { type: 'submit' });
  const form = h('form', { class: 'fr-mt-4w', novalidate: true, 'aria-labelledby': 'ouvrir-titre' },
    h('h2', { id: 'ouvrir-titre' }, 'Ouvrir un dossier d’accompagnement'),
    h('p', { class: 'fr-text--sm' }, 'Le niveau 1 associe le trio ; au niveau 2, les acteurs des structures du stagiaire sont associés et prévenus. Le niveau 3 (alerte) suit un niveau 2, avec l’accord de ses acteurs.'),
    errors.node, Object.values(fields).map((f) => f.group), submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(fields);
    errors.clear();
    if (!checkRequired(fields)) return;
    const body = { level: Number(fields.level.control.value), ends_on: fields.ends_on.control.value };
    if (fields.starts_on.control.value) body.starts_on = fields.starts_on.control.value;
    if (fields.reason.control.value.trim()) body.reason = fields.reason.control.value.trim();
    await whileBusy(submit, async () => {
      try {
        const { id } = await api.post(`/enrolments/${encodeURIComponent(fields.id.control.value)}/cases`, body);
        setFlash('success', 'Le dossier d’accompagnement est ouvert ; ses acteurs sont prévenus.');
        ctx.navigate(`#/accompagnement/${id}`);
      } catch (err) {
        showFormError(err, { ...fields, level: fields.level }, errors, 'Le dossier n’a pas pu être ouvert');
      }
    });
  });
  ctx.root.append(form);
}
