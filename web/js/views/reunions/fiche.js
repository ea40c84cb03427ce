// The fiche de personnalisation de l'accompagnement (annex 1), laid out
// like the paper form so that it prints on one or two A4 pages
// (/css/reunions.css). From here the tutors edit the draft, the tuteur
// Inspé sends it to the cellule d'accompagnement, and the cellule (bureau
// des stages) agrees the hours or refuses them.
// GET /api/v1/personalisations/{id}; POST .../send, .../decision

import { request, isNotFound } from '../../api.js';
import { h, replace } from '../../dom.js';
import { formatDate, formatMoment } from '../../format.js';
import {
  pageTitle, breadcrumb, liveRegion, button, buttonLink, buttonGroup, whileBusy,
  textField, textareaField, showFormError, clearFormErrors,
} from '../../ui.js';
import { FICHE_STATUS, DIFFICULTIES, useStyles, statusBadge } from './common.js';

const TITLE = 'Fiche de personnalisation de l’accompagnement d’un stagiaire';

export async function render(ctx) {
  useStyles();
  const id = ctx.params.id;
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const body = h('div');
  ctx.root.append(
    h('div', { class: 'app-no-print' },
      breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Fiches de personnalisation', href: '#/reunions/fiches' }, { label: 'Fiche' }])),
    errors.node, status.node, body);
  const roles = ctx.me?.roles || [];

  async function load(announce) {
    let res;
    try {
      res = await request('GET', `/personalisations/${encodeURIComponent(id)}`);
    } catch (err) {
      if (!ctx.current) return;
      if (isNotFound(err)) {
        ctx.setTitle('Fiche introuvable');
        replace(body, pageTitle('Fiche introuvable'), h('p', null, 'Cette fiche n’existe pas ou ne vous concerne pas.'));
      } else {
        errors.error(err, 'La fiche n’a pas pu être chargée');
      }
      return;
    }
    if (!ctx.current) return;
    show(res.data, res.etag || res.data.version);
    if (announce) status.show('success', null, announce);
  }

  function show(f, version) {
    ctx.setTitle(`Fiche de personnalisation – ${f.trainee.display_name}`);
    const place = f.place ? [f.place.school_name, f.place.class_label].filter(Boolean).join(', ') : '—';
    const decidedOn = `${formatDate(f.decided_on)}${f.meeting_number ? ` (réunion N°${f.meeting_number})` : ''}`;
    replace(body,
      h('article', { class: 'app-fiche' },
        pageTitle(TITLE),
        h('p', { class: 'app-fiche__year' }, `Année ${f.year_label}`),
        h('p', null, h('strong', null, 'Pôle de formation ou discipline : '), f.scope_name || '—'),
        h('p', null, h('strong', null, 'Décision prise suite à la réunion du pôle de formation ou de la discipline du : '), decidedOn),
        h('table', { class: 'app-fiche__table' },
          h('caption', { class: 'fr-sr-only' }, 'Stagiaire, tuteurs, lieu d’exercice et date'),
          h('thead', null, h('tr', null,
            ['Stagiaire NOM / PRÉNOM', 'Tuteur E.N.', 'Tuteur Inspé', 'Lieu d’exercice', 'Date'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, h('tr', null,
            h('td', null, f.trainee.display_name), h('td', null, f.tuteur_terrain || '—'), h('td', null, f.tuteur_inspe || '—'),
            h('td', null, place), h('td', null, formatDate(f.decided_on))))),
        h('table', { class: 'app-fiche__table app-fiche__grid' },
          h('caption', { class: 'fr-sr-only' }, 'Difficultés, situation, dispositif d’accompagnement et heures du tuteur Inspé'),
          h('thead', null, h('tr', null,
            ['Difficultés concernant', 'Description de la situation', 'Dispositif d’accompagnement proposé',
              'Nombre d’heures consacrées au dispositif d’accompagnement par le tuteur Inspé'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, f.items.map((it) => h('tr', null,
            h('th', { scope: 'row' }, `${it.difficulty}. ${DIFFICULTIES[it.difficulty - 1]}`),
            h('td', { class: 'app-prewrap' }, it.situation || ''),
            h('td', { class: 'app-prewrap' }, it.support || ''),
            h('td', { class: 'app-fiche__hours' }, it.hours ? `${it.hours} h` : '')))),
          h('tfoot', null, h('tr', null,
            h('th', { scope: 'row', colspan: '3' }, 'Total des heures du tuteur Inspé'),
            h('td', { class: 'app-fiche__hours' }, `${f.total_hours} h`)))),
        h('dl', { class: 'app-dl app-fiche__status' },
          h('dt', null, 'Statut'), h('dd', null, statusBadge(FICHE_STATUS[f.status] || f.status, f.status === 'agreed' ? 'success' : f.status === 'refused' ? 'error' : 'info')),
          f.sent_at ? [h('dt', null, 'Transmise à la cellule'), h('dd', null, `le ${formatMoment(f.sent_at)} par ${f.sent_by}`)] : null,
          f.decided_at ? [h('dt', null, 'Décision de la cellule d’accompagnement'),
            h('dd', null, f.status === 'agreed' ? `Accordée pour ${f.agreed_hours} h` : 'Refusée',
              `, le ${formatMoment(f.decided_at)} par ${f.decided_by}`, f.decision_note ? h('span', { class: 'app-prewrap' }, ` — ${f.decision_note}`) : null)] : null)),
      h('div', { class: 'app-no-print' }, actions(f, version)));
  }

  function actions(f, version) {
    const list = [button('Imprimer la fiche', { kind: 'secondary', icon: 'printer-line', onClick: () => window.print() })];
    const writer = roles.some((r) => ['tuteur_terrain', 'tuteur_inspe', 'pilote_pole', 'ien', 'ia_ipr'].includes(r));
    if (f.status === 'draft' && writer) list.unshift(buttonLink('Modifier la fiche', `#/reunions/fiche/${encodeURIComponent(f.id)}/modifier`, { kind: 'secondary', icon: 'edit-line' }));
    if (f.status === 'draft' && roles.includes('tuteur_inspe')) {
      list.unshift(button('Transmettre à la cellule d’accompagnement', {
        icon: 'send-plane-line',
        onClick: (e) => whileBusy(e.currentTarget, async () => {
          try {
            await request('POST', `/personalisations/${encodeURIComponent(f.id)}/send`, { body: {}, ifMatch: version });
            await load('La fiche est transmise à la cellule d’accompagnement.');
          } catch (err) { errors.error(err, 'La fiche n’a pas pu être transmise'); }
        }),
      }));
    }
    const out = [buttonGroup(list)];
    if (f.status === 'sent' && roles.includes('bureau_stages')) out.unshift(decisionForm(f, version));
    return out;
  }

  function decisionForm(f, version) {
    const hours = textField({ label: 'Heures accordées', name: 'agreed_hours', type: 'number', value: String(f.total_hours || ''), hint: 'Par défaut, le total demandé ; elles sont décomptées du budget de l’année.', attrs: { min: '1', max: '10000' } });
    const note = textareaField({ label: 'Observation de la cellule (facultatif)', name: 'note', rows: 3 });
    const region = liveRegion('alert');
    const fields = { agreed_hours: hours, note };
    const send = (agreed) => (e) => whileBusy(e.currentTarget, async () => {
      clearFormErrors(fields);
      const payload = { agreed, note: note.control.value.trim() || null };
      if (agreed && hours.control.value) payload.agreed_hours = Number(hours.control.value);
      try {
        await request('POST', `/personalisations/${encodeURIComponent(f.id)}/decision`, { body: payload, ifMatch: version });
        await load(agreed ? 'Les moyens et les heures sont accordés.' : 'La demande est refusée.');
      } catch (err) { showFormError(err, fields, region, 'La décision n’a pas pu être enregistrée'); }
    });
    return h('section', { class: 'app-panel fr-mb-3w', 'aria-labelledby': 'decision-cellule' },
      h('h2', { class: 'fr-h5', id: 'decision-cellule' }, 'Décision de la cellule d’accompagnement'),
      region.node, hours.group, note.group,
      buttonGroup([button('Accorder les moyens et les heures', { onClick: send(true) }), button('Refuser', { kind: 'secondary', onClick: send(false) })]));
  }

  await load();
}
