// « Réunions de pôle »: the meetings the signed-in person pilots or takes
// part in (all of them for the bureau des stages), with their status and
// counts only; a pilot plans a meeting of their pôle or discipline here.
// GET /api/v1/pole-meetings, /api/v1/years; POST /api/v1/pole-meetings

import { api, withQuery } from '../../api.js';
import { h, srOnly } from '../../dom.js';
import { formatDate } from '../../format.js';
import {
  pageTitle, breadcrumb, rowHeader, liveRegion, table, selectField, textField, button, whileBusy,
  showFormError, clearFormErrors, checkRequired,
} from '../../ui.js';
import { MEETING_STATUS, meetingTitle, statusBadge, currentYear } from './common.js';

export async function render(ctx) {
  const errors = liveRegion('alert');
  ctx.setTitle('Réunions de pôle');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Réunions de pôle' }]),
    pageTitle('Réunions de pôle'),
    h('p', null, 'Trois réunions par pôle de formation (1er degré) ou par discipline (2nd degré) : N°1 avant les vacances d’automne, N°2 fin décembre ou début janvier, N°3 début avril. Le pilote prépare la liste des stagiaires à examiner, puis enregistre une décision pour chacun.'),
    errors.node);
  let page;
  try {
    page = await api.get(withQuery('/pole-meetings', { limit: 200 }));
  } catch (err) {
    if (ctx.current) errors.error(err, 'La liste des réunions n’a pas pu être chargée');
    return;
  }
  if (!ctx.current) return;
  const items = page.items || [];
  if (page.plannable?.length) ctx.root.append(await planForm(ctx, page.plannable));
  if (!ctx.current) return;
  if (!items.length) {
    ctx.root.append(h('p', { class: 'app-result-count' }, 'Aucune réunion de pôle ne vous concerne pour le moment.'));
    return;
  }
  ctx.root.append(
    h('p', { class: 'app-result-count', role: 'status' }, items.length > 1 ? `${items.length} réunions.` : '1 réunion.'),
    table({
      caption: 'Réunions de pôle et de discipline',
      columns: [{ label: 'Réunion' }, { label: 'Date' }, { label: 'Statut' }, { label: 'Stagiaires à examiner' }, { label: 'Décisions' }],
      rows: items.map((m) => [
        rowHeader(h('a', { href: `#/reunions/reunion/${encodeURIComponent(m.id)}` }, meetingTitle(m))),
        formatDate(m.held_on),
        statusBadge(MEETING_STATUS[m.status] || m.status, m.status === 'held' ? 'success' : m.status === 'list_ready' ? 'new' : 'info'),
        m.status === 'upcoming' ? h('span', null, '—', srOnly(' liste pas encore prête')) : String(m.reviews),
        m.status === 'upcoming' ? '—' : `${m.decided} sur ${m.reviews}`,
      ]),
    }));
}

/** « Planifier une réunion »: year, pôle or discipline, number, date. */
async function planForm(ctx, plannable) {
  let years = [];
  try {
    years = (await api.get('/years')).items || [];
  } catch {
    years = [];
  }
  const year = currentYear(years);
  const fields = {
    year_id: selectField({ label: 'Année', name: 'year_id', required: true, value: year ? String(year.id) : '', options: years.map((y) => ({ value: String(y.id), label: y.label })) }),
    scope: selectField({ label: 'Pôle de formation ou discipline', name: 'scope', required: true, options: plannable.map((p) => ({ value: `${p.scope_kind}:${p.scope_id}`, label: p.name })) }),
    number: selectField({ label: 'Réunion', name: 'number', required: true, options: [1, 2, 3].map((k) => ({ value: String(k), label: `N°${k}` })) }),
    held_on: textField({ label: 'Date', name: 'held_on', type: 'date', hint: 'Par défaut, la date du calendrier de l’année.' }),
  };
  const region = liveRegion('alert');
  return h('section', { class: 'app-panel fr-mb-3w', 'aria-labelledby': 'planifier' },
    h('h2', { class: 'fr-h5', id: 'planifier' }, 'Planifier une réunion'),
    h('form', {
      class: 'app-form',
      on: {
        submit: (e) => {
          e.preventDefault();
          clearFormErrors(fields);
          if (!checkRequired(fields)) return;
          const [kind, scopeId] = fields.scope.control.value.split(':');
          const body = { year_id: Number(fields.year_id.control.value), number: Number(fields.number.control.value), [kind === 'pole' ? 'pole_id' : 'discipline_id']: Number(scopeId) };
          if (fields.held_on.control.value) body.held_on = fields.held_on.control.value;
          whileBusy(e.submitter || e.currentTarget.querySelector('button'), async () => {
            try {
              const created = await api.post('/pole-meetings', body);
              ctx.navigate(`#/reunions/reunion/${encodeURIComponent(created.id)}`);
            } catch (err) {
              showFormError(err, { ...fields, pole_id: fields.scope, discipline_id: fields.scope }, region, 'La réunion n’a pas pu être planifiée');
            }
          });
        },
      },
    }, region.node, Object.values(fields).map((f) => f.group), button('Planifier la réunion', { type: 'submit' })));
}
