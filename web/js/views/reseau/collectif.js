// A collective: its members and pilot, its mix, each member's charter
// state; for a member, the charter's four rules and « J'accepte la
// charte » — nothing of the meetings shows before (the API answers 404);
// then its meetings (date, place, state) and date polls: members give
// their availability, the pilot confirms an option (the meeting is
// planned, members told) or plans a meeting directly.
// GET /api/v1/reseau/collectives/{id}; POST .../charter, .../meetings,
// .../polls; PUT /reseau/polls/{id}/answers; POST /reseau/polls/{id}/confirm

import { api, isNotFound } from '../../api.js';
import { h, replace, uid } from '../../dom.js';
import { formatDate } from '../../format.js';
import {
  pageTitle, breadcrumb, liveRegion, wrapTable, rowHeader, textField, button, buttonGroup, whileBusy,
  showFormError, clearFormErrors, checkRequired, focusRegion,
} from '../../ui.js';
import {
  CHARTER, DEGREES, SENIORITY, COLLECTIVE_STATE, MEETING_STATE, badge, mixIndicator, slot, useStyles,
  personId, personName,
} from './common.js';

export async function render(ctx) {
  useStyles();
  const id = ctx.params.id;
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const body = h('div');
  ctx.setTitle('Collectif');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Réseau de tuteurs', href: '#/reseau' }, { label: 'Collectif' }]),
    errors.node, status.node, body);

  async function load(announce) {
    let c;
    try {
      c = await api.get(`/reseau/collectives/${encodeURIComponent(id)}`);
    } catch (err) {
      if (!ctx.current) return;
      if (isNotFound(err)) replace(body, pageTitle('Collectif introuvable'), h('p', null, 'Ce collectif n’existe pas ou vous n’en faites pas partie.'));
      else errors.error(err, 'Le collectif n’a pas pu être chargé');
      return;
    }
    if (!ctx.current) return;
    show(c);
    if (announce) status.show('success', null, announce);
  }

  function show(c) {
    ctx.setTitle(c.name);
    const members = c.members || [];
    const mine = members.find((m) => String(personId(m)) === String(ctx.me.id));
    const isPilot = Boolean(mine?.pilot || mine?.is_pilot);
    const accepted = Boolean(mine?.charter_accepted_at || c.charter_accepted);
    replace(body,
      pageTitle(c.name),
      h('p', null,
        badge(COLLECTIVE_STATE[c.state] || c.state, c.state === 'validated' ? 'success' : 'new'),
        c.call?.title ? ` ${c.call.title}` : null,
        isPilot ? h('span', null, ' ', badge('Vous êtes le pilote', 'new')) : null),
      mine && !accepted ? charter(c) : null,
      membersSection(c, members),
      c.mix ? mixIndicator(c.mix, { headingLevel: 'h2' }) : null,
      mine && accepted ? meetingsSection(c, isPilot) : null,
      !mine && Array.isArray(c.meetings) ? meetingDates(c.meetings) : null,
      mine && accepted ? h('details', { class: 'fr-mt-4w' },
        h('summary', null, 'La charte du collectif'),
        h('ul', null, CHARTER.map((r) => h('li', null, h('strong', null, r.title), ' : ', r.text))),
        h('p', null, `Vous l’avez acceptée le ${formatDate(mine.charter_accepted_at)}.`)) : null,
      !mine ? h('p', { class: 'fr-mt-4w' }, 'Ce qui se dit dans un collectif y reste : les présentiels, leurs notes et les fiches synthèses non publiées ne sont visibles que de ses membres.') : null);
  }

  function charter(c) {
    return h('section', { class: 'fr-callout fr-mb-4w', 'aria-labelledby': 'charte' },
      h('h2', { class: 'fr-callout__title', id: 'charte' }, 'La charte du collectif'),
      h('p', { class: 'fr-callout__text' }, 'Le collectif s’appuie sur l’expression et le partage du vécu professionnel de chacun. Pour garantir un cadre sûr, chaque membre accepte les quatre règles des groupes d’analyse de la pratique professionnelle avant de voir les présentiels :'),
      h('ol', null, CHARTER.map((r) => h('li', null, h('strong', null, r.title), ' : ', r.text))),
      button('J’accepte la charte', {
        icon: 'check-line',
        onClick: (e) => whileBusy(e.currentTarget, async () => {
          try {
            await api.post(`/reseau/collectives/${encodeURIComponent(c.id)}/charter`, {});
            await load('Vous avez accepté la charte : les présentiels du collectif vous sont ouverts.');
          } catch (err) { errors.error(err, 'Votre acceptation n’a pas pu être enregistrée'); }
        }),
      }));
  }

  function membersSection(c, members) {
    return h('section', { class: 'fr-mt-2w', 'aria-labelledby': 'membres' },
      h('h2', { class: 'fr-h4', id: 'membres' }, 'Membres'),
      wrapTable({
        caption: `${members.length} membres, dont le pilote`,
        columns: [{ label: 'Membre' }, { label: 'Degré' }, { label: 'Ancienneté' }, { label: 'Commune' }, { label: 'Charte' }],
        rows: members.map((m) => [
          rowHeader(personName(m), m.pilot || m.is_pilot ? h('span', null, ' ', badge('Pilote', 'new')) : null),
          DEGREES[m.degree] || m.degree || '—',
          SENIORITY[m.seniority] || m.seniority || '—',
          (typeof m.commune === 'string' ? m.commune : m.commune?.name) || '—',
          m.charter_accepted_at ? `Acceptée le ${formatDate(m.charter_accepted_at)}` : 'Pas encore acceptée',
        ]),
      }));
  }

  /** For the organisers: the dates, places and states of the meetings, nothing of their content. */
  function meetingDates(meetings) {
    return h('section', { class: 'fr-mt-4w', 'aria-labelledby': 'presentiels' },
      h('h2', { class: 'fr-h4', id: 'presentiels' }, 'Présentiels'),
      meetings.length
        ? wrapTable({
          caption: `${meetings.length} présentiel${meetings.length > 1 ? 's' : ''} fixé${meetings.length > 1 ? 's' : ''}, de 4 à 5 prévus`,
          columns: [{ label: 'Date' }, { label: 'Lieu' }, { label: 'État' }],
          rows: meetings.map((m) => [rowHeader(slot(m.starts_at, m.ends_at)), m.place || '—',
            badge(MEETING_STATE[m.state] || m.state, m.state === 'held' ? 'success' : 'info')]),
        })
        : h('p', { class: 'app-result-count' }, 'Aucun présentiel n’est encore fixé.'));
  }

  function meetingsSection(c, isPilot) {
    const meetings = c.meetings || [];
    const polls = (c.polls || []).filter((p) => p.state !== 'confirmed' && !p.meeting_id);
    return h('section', { class: 'fr-mt-4w', 'aria-labelledby': 'presentiels' },
      h('h2', { class: 'fr-h4', id: 'presentiels' }, 'Présentiels'),
      h('p', null, '4 à 5 regroupements en présentiel de 2 heures, de novembre à avril. Le pilote fixe la date et le lieu du premier ; les suivants sont choisis par le collectif par un sondage de dates.'),
      meetings.length
        ? wrapTable({
          caption: `${meetings.length} présentiel${meetings.length > 1 ? 's' : ''} fixé${meetings.length > 1 ? 's' : ''}, de 4 à 5 prévus`,
          columns: [{ label: 'Date' }, { label: 'Lieu' }, { label: 'État' }],
          rows: meetings.map((m) => [
            rowHeader(h('a', { href: `#/reseau/rencontres/${encodeURIComponent(m.id)}` }, slot(m.starts_at, m.ends_at))),
            m.place || '—',
            badge(MEETING_STATE[m.state] || m.state, m.state === 'held' ? 'success' : 'info'),
          ]),
        })
        : h('p', { class: 'app-result-count' }, 'Aucun présentiel n’est encore fixé.'),
      polls.map((p) => pollSection(p, isPilot)),
      isPilot ? meetingForm(c) : null,
      isPilot ? pollForm(c) : null);
  }

  function pollSection(p, isPilot) {
    const options = p.options || [];
    const headingId = uid('sondage');
    const region = liveRegion('alert');
    const boxes = options.map((o) => {
      const input = h('input', { type: 'checkbox', id: uid('dispo'), name: `option-${o.id}`, value: String(o.id) });
      input.checked = o.my_answer === true;
      return { o, input };
    });
    return h('section', { class: 'app-panel fr-mt-3w', 'aria-labelledby': headingId },
      h('h3', { class: 'fr-h5', id: headingId }, 'Sondage de dates'),
      h('form', {
        novalidate: true,
        on: {
          submit: (e) => {
            e.preventDefault();
            whileBusy(e.submitter || e.currentTarget.querySelector('button[type=submit]'), async () => {
              try {
                await api.put(`/reseau/polls/${encodeURIComponent(p.id)}/answers`, { answers: boxes.map((b) => ({ option_id: b.o.id, available: b.input.checked })) });
                await load('Vos disponibilités sont enregistrées.');
              } catch (err) { region.error(err, 'Vos disponibilités n’ont pas pu être enregistrées'); focusRegion(region); }
            });
          },
        },
      }, region.node,
      h('fieldset', { class: 'fr-fieldset' },
        h('legend', { class: 'fr-fieldset__legend' }, 'Mes disponibilités'),
        boxes.map(({ o, input }) => h('div', { class: 'fr-fieldset__element' },
          h('div', { class: 'fr-checkbox-group' }, input,
            h('label', { class: 'fr-label', for: input.id }, `${slot(o.starts_at, o.ends_at)} — ${o.place}`,
              h('span', { class: 'fr-hint-text' }, `${o.available ?? 0} membre${(o.available ?? 0) > 1 ? 's' : ''} disponible${(o.available ?? 0) > 1 ? 's' : ''} sur ${o.answers ?? 0} réponse${(o.answers ?? 0) > 1 ? 's' : ''}`)))))),
      button('Enregistrer mes disponibilités', { type: 'submit', kind: 'secondary', size: 'sm' })),
      isPilot ? h('div', { class: 'fr-mt-2w' },
        h('p', { class: 'fr-mb-1w' }, 'Confirmer une date : le présentiel est fixé et les membres prévenus.'),
        buttonGroup(options.map((o) => button(`Confirmer le ${slot(o.starts_at, o.ends_at)}`, {
          size: 'sm', icon: 'calendar-event-line',
          onClick: (e) => whileBusy(e.currentTarget, async () => {
            try {
              const meeting = await api.post(`/reseau/polls/${encodeURIComponent(p.id)}/confirm`, { option_id: o.id });
              await load(`Le présentiel du ${slot(meeting?.starts_at || o.starts_at, meeting?.ends_at || o.ends_at)} est fixé : les membres sont prévenus.`);
            } catch (err) { region.error(err, 'La date n’a pas pu être confirmée'); focusRegion(region); }
          }),
        })), { extra: 'fr-btns-group--sm fr-btns-group--icon-left' })) : null);
  }

  /** Start, end (2 hours), place: the fields of a meeting or a poll option. */
  function slotFields(prefix, required = true) {
    return {
      starts_at: textField({ label: 'Début', name: `${prefix}starts_at`, type: 'datetime-local', required, hint: 'Entre le 1er novembre et le 30 avril.' }),
      ends_at: textField({ label: 'Fin', name: `${prefix}ends_at`, type: 'datetime-local', required, hint: 'Un présentiel dure 2 heures.' }),
      place: textField({ label: 'Lieu', name: `${prefix}place`, required, hint: 'Pas de présentiel à distance : une adresse ou une salle.', attrs: { maxlength: '200' } }),
    };
  }
  /** An optional date filled in part: its empty fields are said (true when whole or empty). */
  function wholeOrEmpty(f) {
    const empty = Object.values(f).filter((x) => !String(x.control.value).trim());
    if (empty.length === 0 || empty.length === 3) return true;
    for (const x of empty) x.setError('À remplir pour proposer cette date.');
    empty[0].control.focus();
    return false;
  }
  // The end follows the start (2 hours later) until the pilot changes it.
  function followStart(fields) {
    fields.starts_at.control.addEventListener('change', () => {
      const v = fields.starts_at.control.value;
      const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(v);
      if (!m || fields.ends_at.control.dataset.touched) return;
      const hour = Number(m[2]) + 2;
      if (hour < 24) fields.ends_at.control.value = `${m[1]}T${String(hour).padStart(2, '0')}:${m[3]}`;
    });
    fields.ends_at.control.addEventListener('input', () => { fields.ends_at.control.dataset.touched = '1'; });
  }
  const slotValue = (f) => ({ starts_at: f.starts_at.control.value, ends_at: f.ends_at.control.value, place: f.place.control.value.trim() });

  function meetingForm(c) {
    const fields = slotFields('');
    followStart(fields);
    const region = liveRegion('alert');
    return h('section', { class: 'app-panel fr-mt-3w', 'aria-labelledby': 'fixer' },
      h('h3', { class: 'fr-h5', id: 'fixer' }, 'Fixer un présentiel'),
      h('form', {
        class: 'app-form', novalidate: true,
        on: {
          submit: (e) => {
            e.preventDefault();
            clearFormErrors(fields);
            if (!checkRequired(fields)) return;
            whileBusy(e.submitter || e.currentTarget.querySelector('button[type=submit]'), async () => {
              try {
                const m = await api.post(`/reseau/collectives/${encodeURIComponent(c.id)}/meetings`, slotValue(fields));
                const warn = (m?.warnings || []).includes('sixth_meeting') ? ' Attention : c’est le sixième présentiel, au-delà des 4 à 5 prévus.' : '';
                await load(`Le présentiel du ${slot(m?.starts_at, m?.ends_at)} est fixé : les membres sont prévenus.${warn}`);
              } catch (err) { showFormError(err, fields, region, 'Le présentiel n’a pas pu être fixé'); }
            });
          },
        },
      }, region.node,
      h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
        h('div', { class: 'fr-col-12 fr-col-md-6' }, fields.starts_at.group),
        h('div', { class: 'fr-col-12 fr-col-md-6' }, fields.ends_at.group),
        h('div', { class: 'fr-col-12' }, fields.place.group)),
      button('Fixer le présentiel', { type: 'submit' })));
  }

  function pollForm(c) {
    const options = [slotFields('o1-'), slotFields('o2-', false), slotFields('o3-', false)];
    options.forEach(followStart);
    const region = liveRegion('alert');
    return h('section', { class: 'app-panel fr-mt-3w', 'aria-labelledby': 'proposer' },
      h('h3', { class: 'fr-h5', id: 'proposer' }, 'Proposer des dates au collectif'),
      h('form', {
        class: 'app-form', novalidate: true,
        on: {
          submit: (e) => {
            e.preventDefault();
            options.forEach(clearFormErrors);
            if (!checkRequired(options[0])) return;
            for (const f of options.slice(1)) if (!wholeOrEmpty(f)) return;
            const filled = options.filter((f) => f.starts_at.control.value);
            whileBusy(e.submitter || e.currentTarget.querySelector('button[type=submit]'), async () => {
              try {
                await api.post(`/reseau/collectives/${encodeURIComponent(c.id)}/polls`, { options: filled.map(slotValue) });
                await load('Le sondage est ouvert : les membres peuvent donner leurs disponibilités.');
              } catch (err) { showFormError(err, filled[0], region, 'Le sondage n’a pas pu être ouvert'); }
            });
          },
        },
      }, region.node,
      options.map((f, i) => h('fieldset', { class: 'fr-fieldset' },
        h('legend', { class: 'fr-fieldset__legend' }, `Date proposée n°${i + 1}${i ? ' (facultative)' : ''}`),
        h('div', { class: 'fr-fieldset__element' },
          h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
            h('div', { class: 'fr-col-12 fr-col-md-4' }, f.starts_at.group),
            h('div', { class: 'fr-col-12 fr-col-md-4' }, f.ends_at.group),
            h('div', { class: 'fr-col-12 fr-col-md-4' }, f.place.group))))),
      button('Ouvrir le sondage', { type: 'submit', kind: 'secondary' })));
  }

  await load();
}
