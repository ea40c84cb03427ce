// « Parcours d’individualisation »: the contracts the caller sees (as a
// party, the trainee, a pilot of the scope or the cellule
// d'accompagnement) and, for a pilot, the form that opens one for a
// trainee of the current year.
// GET /api/v1/individualisations, GET /api/v1/enrolments, POST /api/v1/individualisations

import { api, getAll } from '../../api.js';
import { h, srOnly } from '../../dom.js';
import { formatDate, of } from '../../format.js';
import {
  pageTitle, breadcrumb, rowHeader, liveRegion, wrapTable, selectField, button, whileBusy, showFormError, setFlash,
} from '../../ui.js';
import { decisionLabel, stateBadge, useStyles } from './common.js';

const OPENERS = ['ien', 'pilote_pole', 'ia_ipr'];

export async function render(ctx) {
  useStyles();
  const errors = liveRegion('alert');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Parcours d’individualisation' }]),
    pageTitle('Parcours d’individualisation'),
    h('p', null, 'Le parcours d’individualisation fait office de « contrat » : il précise les modalités et les personnes engagées dans le suivi d’un stagiaire en difficulté persistante (annexe 2 pour le premier degré, annexe 3 pour le second degré). Le pilote du pôle ou l’IA-IPR le centralise, chaque personne nommée le signe, et il est adressé à la cellule d’accompagnement des stagiaires.'),
    errors.node);
  ctx.setTitle('Parcours d’individualisation');
  let items;
  try {
    ({ items = [] } = await api.get('/individualisations'));
  } catch (err) {
    if (ctx.current) errors.error(err, 'La liste n’a pas pu être chargée');
    return;
  }
  if (!ctx.current) return;
  if (ctx.me.roles.some((r) => OPENERS.includes(r))) ctx.root.append(await openForm(ctx, errors));
  ctx.root.append(h('h2', { class: 'fr-h4' }, 'Parcours en cours'));
  if (!items.length) {
    ctx.root.append(h('p', { class: 'app-result-count' }, 'Aucun parcours d’individualisation.'));
    return;
  }
  ctx.root.append(
    h('p', { class: 'app-result-count' }, items.length > 1 ? `${items.length} parcours.` : '1 parcours.'),
    wrapTable({
      caption: 'Parcours d’individualisation',
      columns: [{ label: 'Stagiaire' }, { label: 'Annexe' }, { label: 'Version' }, { label: 'Signatures' }, { label: 'État' }, { label: 'Bilan' }],
      rows: items.map((c) => [
        rowHeader(h('a', { href: `#/individualisation/${encodeURIComponent(c.id)}` }, c.trainee_name, srOnly(' : ouvrir le parcours'))),
        c.annex === 2 ? 'Annexe 2 (1er degré)' : 'Annexe 3 (2nd degré)',
        `Version ${c.number}, ouverte le ${formatDate(c.opened_at)}`,
        `${c.signed} sur ${c.parties}`,
        stateBadge({ in_force: c.in_force, current: true }),
        c.decision ? decisionLabel(c.decision) : '—',
      ]),
    }));
}

/** The pilot's form: one of the enrolments of their scope this year. */
async function openForm(ctx, errors) {
  let enrolments = [];
  try {
    const { items: years = [] } = await api.get('/years');
    const current = years.find((y) => y.current);
    enrolments = current ? await getAll('/enrolments', { year_id: current.id }) : [];
  } catch {
    enrolments = [];
  }
  const field = selectField({
    label: 'Stagiaire',
    name: 'enrolment_id',
    required: true,
    placeholder: 'Choisir un stagiaire',
    hint: 'Les stagiaires de votre périmètre pour l’année en cours.',
    options: enrolments.map((e) => ({ value: String(e.id), label: `${e.trainee?.display_name || e.id} – ${e.degre === 1 ? '1er degré' : '2nd degré'}, ${e.parcours}` })),
  });
  const submit = button('Ouvrir le parcours', { type: 'submit', icon: 'add-line' });
  const form = h('form', { class: 'fr-mb-6w app-no-print', novalidate: true },
    h('h2', { class: 'fr-h4' }, 'Ouvrir un parcours d’individualisation'),
    h('p', { class: 'fr-text--sm' }, 'À l’issue de la réunion de pôle N°2 ou à la demande de l’un des acteurs du suivi. L’annexe est choisie selon le degré du stagiaire ; son en-tête et les signataires viennent de l’inscription et de l’annuaire. Tous les acteurs en sont informés.'),
    field.group, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    field.clearError();
    if (!field.control.value) {
      field.setError('Choisissez un stagiaire.');
      field.control.focus();
      return;
    }
    await whileBusy(submit, async () => {
      try {
        const c = await api.post('/individualisations', { enrolment_id: Number(field.control.value) });
        setFlash('success', `Le parcours d’individualisation ${of(c.trainee_name)} est ouvert : complétez-le, puis chaque personne nommée le signe.`);
        ctx.navigate(`#/individualisation/${c.id}/modifier`);
      } catch (err) {
        showFormError(err, { enrolment_id: field }, errors, 'Le parcours n’a pas pu être ouvert');
      }
    });
  });
  return form;
}
