// A pôle meeting (docs/meetings.md): its date, status, pilots and
// participants, and the list of trainees to review with their signals.
// The pilot runs it from here: « Marquer la liste prête » (the list is
// frozen and the participants told), a decision per trainee, « Marquer la
// réunion comme tenue ».
// GET /api/v1/pole-meetings/{id}, .../reviews; POST .../ready, .../held,
// .../decisions

import { request, api, isNotFound } from '../../api.js';
import { h, replace } from '../../dom.js';
import { formatDate, formatMoment } from '../../format.js';
import {
  pageTitle, breadcrumb, rowHeader, liveRegion, wrapTable, button, buttonGroup, whileBusy,
  selectField, textField, showFormError, clearFormErrors,
} from '../../ui.js';
import { MEETING_STATUS, SIGNALS, DECISIONS, decisionLabel, meetingTitle, statusBadge } from './common.js';

export async function render(ctx) {
  const id = ctx.params.id;
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const body = h('div');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Réunions de pôle', href: '#/reunions' }, { label: 'Réunion' }]),
    errors.node, status.node, body);

  async function load(announce) {
    let res;
    let reviews;
    try {
      res = await request('GET', `/pole-meetings/${encodeURIComponent(id)}`);
      reviews = await api.get(`/pole-meetings/${encodeURIComponent(id)}/reviews`);
    } catch (err) {
      if (!ctx.current) return;
      if (isNotFound(err)) {
        ctx.setTitle('Réunion introuvable');
        replace(body, pageTitle('Réunion introuvable'), h('p', null, 'Cette réunion n’existe pas ou ne vous concerne pas.'));
      } else {
        errors.error(err, 'La réunion n’a pas pu être chargée');
      }
      return;
    }
    if (!ctx.current) return;
    show(res.data, res.etag || res.data.version, reviews);
    if (announce) status.show('success', null, announce);
  }

  function show(m, version, reviews) {
    const title = meetingTitle(m);
    ctx.setTitle(title);
    const actions = [];
    if (m.can_run && m.status === 'upcoming') {
      actions.push(button('Marquer la liste prête', {
        icon: 'check-line',
        onClick: (e) => whileBusy(e.currentTarget, async () => {
          try {
            await request('POST', `/pole-meetings/${encodeURIComponent(id)}/ready`, { body: {}, ifMatch: version });
            await load('La liste est prête : les participants en sont informés.');
          } catch (err) { errors.error(err, 'La liste n’a pas pu être marquée prête'); }
        }),
      }));
    }
    if (m.can_run && m.status === 'list_ready') {
      actions.push(button('Marquer la réunion comme tenue', {
        kind: 'secondary',
        onClick: (e) => whileBusy(e.currentTarget, async () => {
          try {
            await request('POST', `/pole-meetings/${encodeURIComponent(id)}/held`, { body: {}, ifMatch: version });
            await load('La réunion est enregistrée comme tenue.');
          } catch (err) { errors.error(err, 'La réunion n’a pas pu être marquée tenue'); }
        }),
      }));
    }
    const names = (list) => (list.length ? list.map((p) => p.display_name).join(', ') : 'Aucun');
    replace(body,
      pageTitle(title),
      h('dl', { class: 'app-dl' },
        h('dt', null, 'Date'), h('dd', null, formatDate(m.held_on)),
        h('dt', null, 'Année'), h('dd', null, m.year_label || '—'),
        h('dt', null, 'Statut'), h('dd', null, statusBadge(MEETING_STATUS[m.status] || m.status, m.status === 'held' ? 'success' : 'info')),
        h('dt', null, m.pilots.length > 1 ? 'Pilotes' : 'Pilote'), h('dd', null, names(m.pilots)),
        h('dt', null, 'Participants'), h('dd', null, names(m.participants))),
      actions.length ? buttonGroup(actions) : null,
      h('h2', { class: 'fr-h4 fr-mt-4w' }, 'Stagiaires à examiner'),
      h('p', null, reviews.frozen
        ? 'La liste a été figée quand elle a été marquée prête. La dernière décision enregistrée pour chaque stagiaire est affichée ; une correction est une nouvelle décision.'
        : 'La liste est établie à partir des signaux : dossiers d’accompagnement ouverts, stagiaires en renouvellement, sans visite avant la réunion N°1, demandes des tuteurs. Elle sera figée quand le pilote la marquera prête.'),
      reviewsTable(m, reviews));
  }

  function reviewsTable(m, reviews) {
    const items = reviews.items || [];
    if (!items.length) return h('p', { class: 'app-result-count' }, 'Aucun stagiaire à examiner.');
    const deciding = m.can_run && reviews.frozen;
    const columns = [{ label: 'Stagiaire' }, { label: 'Parcours' }, { label: 'Signaux' }, { label: 'Décision' }];
    if (deciding) columns.push({ label: 'Enregistrer une décision' });
    return wrapTable({
      caption: `Stagiaires à examiner (${items.length})`,
      columns,
      rows: items.map((it) => {
        const cells = [
          rowHeader(it.display_name),
          `${it.parcours}, ${it.degre === 1 ? '1er' : '2nd'} degré`,
          h('ul', { class: 'fr-tags-group fr-mb-0' }, it.signals.map((s) => h('li', null, h('p', { class: 'fr-tag fr-tag--sm' }, SIGNALS[s] || s)))),
          it.decision
            ? h('div', null,
              h('p', { class: 'fr-mb-0' }, h('strong', null, decisionLabel(it.decision.decision))),
              it.decision.note ? h('p', { class: 'app-prewrap fr-mb-0' }, it.decision.note) : null,
              h('p', { class: 'fr-text--xs fr-mb-0' }, `le ${formatMoment(it.decision.decided_at)} par ${it.decision.decided_by}`))
            : (reviews.frozen ? 'Pas encore de décision' : '—'),
        ];
        if (deciding) cells.push(decisionForm(it));
        return cells;
      }),
    });
  }

  function decisionForm(it) {
    const decision = selectField({ label: `Décision pour ${it.display_name}`, name: 'decision', options: DECISIONS, placeholder: 'Choisir', required: true, value: it.decision?.decision || '' });
    const note = textField({ label: 'Précision (facultatif)', name: 'note' });
    const region = liveRegion('alert');
    const fields = { decision, note };
    return h('form', {
      class: 'app-decision-form',
      on: {
        submit: (e) => {
          e.preventDefault();
          clearFormErrors(fields);
          if (!decision.control.value) {
            decision.setError('Choisissez une décision.');
            decision.control.focus();
            return;
          }
          whileBusy(e.submitter || e.currentTarget.querySelector('button'), async () => {
            try {
              await api.post(`/pole-meetings/${encodeURIComponent(id)}/decisions`, {
                enrolment_id: it.enrolment_id, decision: decision.control.value, note: note.control.value.trim() || null,
              });
              await load(`Décision enregistrée pour ${it.display_name}.`);
            } catch (err) { showFormError(err, fields, region); }
          });
        },
      },
    }, region.node, decision.group, note.group, button('Enregistrer la décision', { type: 'submit', size: 'sm', srSuffix: `pour ${it.display_name}` }));
  }

  await load();
}
