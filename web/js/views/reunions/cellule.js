// The cellule d'accompagnement (bureau des stages): the fiches de
// personnalisation received, the year's support budget (consumed,
// remaining) and the remediation workshops.
// GET /api/v1/personalisations, /api/v1/support-budgets/{year}, /api/v1/workshops

import { api, request, withQuery } from '../../api.js';
import { h, replace } from '../../dom.js';
import { formatShort } from '../../format.js';
import {
  pageTitle, breadcrumb, rowHeader, liveRegion, table, button, whileBusy, textField,
  showFormError, clearFormErrors, checkRequired,
} from '../../ui.js';
import { currentYear } from './common.js';
import { fichesTable } from './fiches.js';

export async function render(ctx) {
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  ctx.setTitle('Cellule d’accompagnement');
  const fichesZone = h('div');
  const budgetZone = h('div');
  const workshopsZone = h('div');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Cellule d’accompagnement' }]),
    pageTitle('Cellule d’accompagnement'),
    h('p', null, 'Les fiches de personnalisation transmises par les tuteurs Inspé, le budget d’accompagnement de l’année et les ateliers de remédiation, ouverts uniquement aux stagiaires en difficulté.'),
    errors.node, status.node,
    h('h2', { class: 'fr-h4 fr-mt-4w', id: 'fiches' }, 'Fiches reçues'), fichesZone,
    h('h2', { class: 'fr-h4 fr-mt-4w', id: 'budget' }, 'Budget d’accompagnement'), budgetZone,
    h('h2', { class: 'fr-h4 fr-mt-4w', id: 'ateliers' }, 'Ateliers de remédiation'), workshopsZone);

  let year;
  try {
    const years = await api.get('/years');
    year = currentYear(years.items || years || []);
  } catch (err) {
    if (ctx.current) errors.error(err, 'L’année en cours n’a pas pu être lue');
    return;
  }
  if (!ctx.current || !year) return;

  async function loadFiches() {
    const page = await api.get(withQuery('/personalisations', { year_id: year.id, limit: 200 }));
    const received = (page.items || []).filter((f) => f.status !== 'draft');
    replace(fichesZone, fichesTable(received, `Fiches de personnalisation reçues (${year.label})`));
  }

  async function loadBudget(announce) {
    const res = await request('GET', `/support-budgets/${encodeURIComponent(year.id)}`);
    const b = res.data;
    const hours = textField({ label: `Budget de l’année ${year.label} (heures)`, name: 'hours', type: 'number', required: true, value: b.hours != null ? String(b.hours) : '', attrs: { min: '0' } });
    const region = liveRegion('alert');
    const fields = { hours };
    replace(budgetZone,
      h('dl', { class: 'app-dl' },
        h('dt', null, 'Budget'), h('dd', null, b.hours != null ? `${b.hours} h` : 'Non fixé'),
        h('dt', null, 'Heures accordées'), h('dd', null, `${b.consumed} h`),
        h('dt', null, 'Heures restantes'), h('dd', null, b.remaining != null ? `${b.remaining} h` : '—')),
      h('form', {
        class: 'app-form',
        on: {
          submit: (e) => {
            e.preventDefault();
            clearFormErrors(fields);
            if (!checkRequired(fields)) return;
            whileBusy(e.submitter || e.currentTarget.querySelector('button'), async () => {
              try {
                await request('PUT', `/support-budgets/${encodeURIComponent(year.id)}`, { body: { hours: Number(hours.control.value) }, ifMatch: b.version ? (res.etag || b.version) : undefined });
                await loadBudget();
                status.show('success', null, 'Le budget de l’année est enregistré.');
              } catch (err) { showFormError(err, fields, region); }
            });
          },
        },
      }, region.node, hours.group, button('Enregistrer le budget', { type: 'submit' })));
    if (announce) status.show('success', null, announce);
  }

  async function loadWorkshops() {
    const page = await api.get(withQuery('/workshops', { year_id: year.id, limit: 200 }));
    const items = page.items || [];
    const titleField = textField({ label: 'Intitulé du nouvel atelier', name: 'title', required: true });
    const region = liveRegion('alert');
    const fields = { title: titleField };
    replace(workshopsZone,
      items.length
        ? table({
          caption: `Ateliers de remédiation (${year.label})`,
          columns: [{ label: 'Atelier' }, { label: 'Première séance' }, { label: 'Séances' }, { label: 'Stagiaires inscrits' }],
          rows: items.map((w) => [
            rowHeader(h('a', { href: `#/reunions/atelier/${encodeURIComponent(w.id)}` }, w.title)),
            w.first_session ? formatShort(w.first_session) : '—', String(w.sessions), String(w.trainees)]),
        })
        : h('p', { class: 'app-result-count' }, 'Aucun atelier pour cette année.'),
      h('form', {
        class: 'app-form',
        on: {
          submit: (e) => {
            e.preventDefault();
            clearFormErrors(fields);
            if (!checkRequired(fields)) return;
            whileBusy(e.submitter || e.currentTarget.querySelector('button'), async () => {
              try {
                const created = await api.post('/workshops', { year_id: year.id, title: titleField.control.value.trim() });
                ctx.navigate(`#/reunions/atelier/${encodeURIComponent(created.id)}`);
              } catch (err) { showFormError(err, fields, region); }
            });
          },
        },
      }, region.node, titleField.group, button('Créer l’atelier', { type: 'submit', kind: 'secondary' })));
  }

  try {
    await Promise.all([loadFiches(), loadBudget(), loadWorkshops()]);
  } catch (err) {
    if (ctx.current) errors.error(err, 'La page n’a pas pu être chargée entièrement');
  }
}
