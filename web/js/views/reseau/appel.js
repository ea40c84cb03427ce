// A call, for its organisers: its volunteers (filtered by degree,
// seniority, commune, still free), and the composition of a collective —
// members and pilot chosen in the table, the mix indicator computed by the
// server as the choice changes, the best single swaps it suggests (each
// applied in one click), « Enregistrer le collectif » (a draft) and
// « Valider le collectif » (members and pilot told). Closing the call.
// A tutor who opens it is sent to the volunteer form.
// GET /api/v1/reseau/calls/{id}, .../volunteers, /reseau/collectives?call_id=;
// PATCH /calls/{id}; POST .../mix, .../collectives, /collectives/{id}/validate

import { api, getAll, isNotFound, request, withQuery } from '../../api.js';
import { h, replace, uid, plural, srOnly } from '../../dom.js';
import { formatDate } from '../../format.js';
import { confirmButton } from '../../confirm.js';
import {
  pageTitle, breadcrumb, liveRegion, wrapTable, rowHeader, selectField, textField, button,
  whileBusy, showFormError, clearFormErrors, focusRegion,
} from '../../ui.js';
import {
  isOrganiser, DEGREES, SENIORITY, CALL_STATE, COLLECTIVE_STATE, qualificationLabel, badge, mixIndicator, useStyles,
  personName,
} from './common.js';

export async function render(ctx) {
  useStyles();
  const id = ctx.params.id;
  if (!isOrganiser(ctx.me)) {
    ctx.navigate(`#/reseau/appels/${encodeURIComponent(id)}/volontariat`);
    return;
  }
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const body = h('div');
  ctx.setTitle('Appel à volontaires');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Réseau de tuteurs', href: '#/reseau' }, { label: 'Appel à volontaires' }]),
    errors.node, status.node, body);

  async function load(announce) {
    let call;
    let volunteers;
    let collectives;
    try {
      call = await api.get(`/reseau/calls/${encodeURIComponent(id)}`);
      volunteers = await getAll(`/reseau/calls/${encodeURIComponent(id)}/volunteers`);
      collectives = (await api.get(withQuery('/reseau/collectives', { call_id: id, limit: 100 })))?.items || [];
    } catch (err) {
      if (!ctx.current) return;
      if (isNotFound(err)) {
        replace(body, pageTitle('Appel introuvable'), h('p', null, 'Cet appel n’existe pas ou n’est pas de votre périmètre.'));
      } else errors.error(err, 'L’appel n’a pas pu être chargé');
      return;
    }
    if (!ctx.current) return;
    collectives = collectives.filter((c) => !c.call || String(c.call.id) === String(id));
    show(call, volunteers, collectives);
    if (announce) status.show('success', null, announce);
  }

  function show(call, volunteers, collectives) {
    ctx.setTitle(call.title);
    const taken = new Set(volunteers.filter((v) => v.collective).map((v) => String(v.id)));
    const free = volunteers.filter((v) => !taken.has(String(v.id)));
    replace(body,
      pageTitle(call.title),
      h('dl', { class: 'app-dl' },
        h('dt', null, 'Département'), h('dd', null, call.departement || '—'),
        h('dt', null, 'Réponses'), h('dd', null, `du ${formatDate(call.opens_on)} au ${formatDate(call.closes_on)}`),
        h('dt', null, 'État'), h('dd', null, badge(CALL_STATE[call.state] || call.state, call.state === 'open' ? 'success' : 'info')),
        h('dt', null, 'Volontaires'), h('dd', null, `${volunteers.length}, dont ${free.length} sans collectif`)),
      call.state === 'open'
        ? confirmButton('Clore l’appel', {
          title: 'Clore l’appel ?', message: 'Les tuteurs ne pourront plus se porter volontaires à cet appel.', confirmLabel: 'Clore l’appel', keepLabel: 'Laisser l’appel ouvert', kind: 'secondary', size: null,
          onConfirm: async () => {
            try {
              await api.patch(`/reseau/calls/${encodeURIComponent(id)}`, { state: 'closed' });
              await load('L’appel est clos.');
            } catch (err) { errors.error(err, 'L’appel n’a pas pu être clos'); }
          },
        })
        : null,
      collectivesSection(collectives),
      composition(call, volunteers, taken));
  }

  function collectivesSection(collectives) {
    return h('section', { class: 'fr-mt-4w', 'aria-labelledby': 'collectifs-appel' },
      h('h2', { class: 'fr-h4', id: 'collectifs-appel' }, 'Collectifs de l’appel'),
      collectives.length
        ? wrapTable({
          caption: `${plural(collectives.length, 'collectif composé', 'collectifs composés')}`,
          columns: [{ label: 'Collectif' }, { label: 'Membres' }, { label: 'Mixité' }, { label: 'État' }, { label: 'Action' }],
          rows: collectives.map((c) => [
            rowHeader(h('a', { href: `#/reseau/collectifs/${encodeURIComponent(c.id)}` }, c.name)),
            String(c.members ?? '—'),
            c.mix_score != null ? `${c.mix_score} / 100` : '—',
            badge(COLLECTIVE_STATE[c.state] || c.state, c.state === 'validated' ? 'success' : 'new'),
            c.state === 'draft' ? validateButton(c) : '—',
          ]),
        })
        : h('p', { class: 'app-result-count' }, 'Aucun collectif composé pour cet appel.'));
  }

  function validateButton(c) {
    return confirmButton('Valider le collectif', {
      title: `Valider le collectif « ${c.name} » ?`,
      message: 'Ses membres et son pilote seront prévenus ; ils accepteront la charte avant le premier présentiel.',
      confirmLabel: 'Valider le collectif', keepLabel: 'Garder le brouillon', kind: 'primary', srSuffix: c.name,
      onConfirm: async () => {
        try {
          await api.post(`/reseau/collectives/${encodeURIComponent(c.id)}/validate`, {});
          await load(`Le collectif « ${c.name} » est validé : ses membres et son pilote sont prévenus.`);
        } catch (err) { errors.error(err, 'Le collectif n’a pas pu être validé'); }
      },
    });
  }

  /** The volunteers' table with its filters, the choice of members and pilot, the mix and the save. */
  function composition(call, volunteers, taken) {
    const chosen = new Set();
    let pilot = '';
    const filters = {
      degree: selectField({ label: 'Degré', name: 'degree', placeholder: 'Tous', options: Object.entries(DEGREES).map(([value, label]) => ({ value, label })) }),
      seniority: selectField({ label: 'Ancienneté', name: 'seniority', placeholder: 'Toutes', options: Object.entries(SENIORITY).map(([value, label]) => ({ value, label })) }),
      commune: textField({ label: 'Commune', name: 'commune' }),
      free: selectField({ label: 'Collectif', name: 'free', options: [{ value: 'free', label: 'Sans collectif' }, { value: '', label: 'Tous les volontaires' }], value: 'free' }),
    };
    const tableZone = h('div');
    const count = h('p', { class: 'app-result-count', role: 'status' });
    const mixZone = h('div', { 'aria-live': 'polite' });
    const suggestionsZone = h('div');
    const region = liveRegion('alert');
    const name = textField({ label: 'Nom du collectif', name: 'name', required: true, attrs: { maxlength: '120' } });
    const byId = new Map(volunteers.map((v) => [String(v.id), v]));
    const pilotName = uid('pilote');

    const matches = (v) => (!filters.degree.control.value || v.degree === filters.degree.control.value)
      && (!filters.seniority.control.value || v.seniority === filters.seniority.control.value)
      && (!filters.commune.control.value.trim() || (v.commune?.name || '').toLowerCase().includes(filters.commune.control.value.trim().toLowerCase()))
      && (filters.free.control.value !== 'free' || !taken.has(String(v.id)) || chosen.has(String(v.id)));

    function drawTable() {
      const rows = volunteers.filter(matches);
      count.textContent = `${plural(rows.length, 'volontaire')} affiché${rows.length > 1 ? 's' : ''}, ${plural(chosen.size, 'membre')} choisi${chosen.size > 1 ? 's' : ''}.`;
      replace(tableZone, rows.length ? wrapTable({
        caption: 'Volontaires de l’appel',
        columns: [{ label: 'Volontaire' }, { label: 'Degré' }, { label: 'Ancienneté' }, { label: 'Commune' }, { label: 'Qualifications' }, { label: 'Membre' }, { label: 'Pilote' }],
        rows: rows.map((v) => {
          const key = String(v.id);
          const who = personName(v);
          const memberBox = h('input', { type: 'checkbox', id: uid('membre'), disabled: taken.has(key) });
          memberBox.checked = chosen.has(key);
          memberBox.addEventListener('change', () => {
            if (memberBox.checked) chosen.add(key); else { chosen.delete(key); if (pilot === key) pilot = ''; }
            changed();
          });
          const pilotRadio = h('input', { type: 'radio', name: pilotName, id: uid('pilote'), value: key, disabled: taken.has(key) || v.seniority !== 'experienced' });
          pilotRadio.checked = pilot === key;
          pilotRadio.addEventListener('change', () => { pilot = key; chosen.add(key); changed(); });
          return [
            rowHeader(who, v.wants_pilot ? h('span', null, ' ', badge('Souhaite piloter', 'new')) : null,
              taken.has(key) ? h('span', null, ' ', badge(`Dans « ${v.collective.name} »`, 'info')) : null),
            DEGREES[v.degree] || v.degree,
            SENIORITY[v.seniority] || v.seniority,
            v.commune?.name || '—',
            (v.qualifications || []).map((q) => qualificationLabel(q.code || q)).join(', ') || '—',
            h('div', { class: 'fr-checkbox-group fr-checkbox-group--sm' }, memberBox, h('label', { class: 'fr-label', for: memberBox.id }, srOnly(`${who}, `), 'membre', srOnly(' du collectif'))),
            v.seniority === 'experienced'
              ? h('div', { class: 'fr-radio-group fr-radio-group--sm' }, pilotRadio, h('label', { class: 'fr-label', for: pilotRadio.id }, srOnly(`${who}, `), 'pilote', srOnly(' du collectif')))
              : h('span', null, '—', h('span', { class: 'fr-sr-only' }, ' (un néo-tuteur ne pilote pas)')),
          ];
        }),
      }) : h('p', null, 'Aucun volontaire ne correspond à ces filtres.'));
    }

    let timer = null;
    let ticket = 0;
    function changed() {
      drawTable();
      clearTimeout(timer);
      timer = setTimeout(computeMix, 250);
    }

    async function computeMix() {
      const mine = ++ticket;
      if (chosen.size < 2 || !pilot) {
        replace(mixZone, h('p', { class: 'app-empty' }, 'La mixité est calculée dès que deux membres au moins et le pilote sont choisis.'));
        replace(suggestionsZone);
        return;
      }
      const payload = { volunteer_ids: [...chosen].map(Number), pilot_volunteer_id: Number(pilot) };
      let mix;
      try {
        mix = await api.post(`/reseau/calls/${encodeURIComponent(id)}/mix`, payload);
      } catch (err) {
        if (mine !== ticket) return;
        replace(mixZone, h('p', { class: 'fr-error-text' }, `La mixité n’a pas pu être calculée. ${err.detail || ''}`));
        return;
      }
      if (mine !== ticket || !ctx.current) return;
      replace(mixZone, mixIndicator(mix, { headingLevel: 'h3' }));
      const suggestions = mix.suggestions || [];
      replace(suggestionsZone, suggestions.length
        ? h('div', { class: 'fr-mt-2w' },
          h('h3', { class: 'fr-h6' }, 'Suggestions pour améliorer la mixité'),
          h('ul', { class: 'fr-btns-group fr-btns-group--left fr-btns-group--icon-left' }, suggestions.map((s) => {
            const out = byId.get(String(s.swap_out));
            const inn = byId.get(String(s.swap_in));
            const label = `Remplacer ${personName(out)} par ${personName(inn)} : score ${mix.score} → ${s.score_after}`;
            return h('li', null, button(label, {
              kind: 'tertiary', size: 'sm', icon: 'arrow-left-right-line',
              onClick: () => {
                chosen.delete(String(s.swap_out));
                chosen.add(String(s.swap_in));
                if (pilot === String(s.swap_out)) pilot = '';
                changed();
                status.show('info', null, `${personName(out)} remplacé par ${personName(inn)}.`);
              },
            }));
          })))
        : null);
    }

    for (const f of Object.values(filters)) {
      f.control.addEventListener('change', drawTable);
      f.control.addEventListener('input', drawTable);
    }
    drawTable();
    replace(mixZone, h('p', { class: 'app-empty' }, 'La mixité est calculée dès que deux membres au moins et le pilote sont choisis.'));

    const save = h('form', {
      class: 'app-form', novalidate: true,
      on: {
        submit: (e) => {
          e.preventDefault();
          clearFormErrors({ name });
          if (!name.control.value.trim()) { name.setError('Ce champ est obligatoire.'); name.control.focus(); return; }
          if (chosen.size < 2) { region.show('error', null, 'Choisissez au moins deux membres dans le tableau des volontaires.'); focusRegion(region); return; }
          if (!pilot) { region.show('error', null, 'Choisissez le pilote du collectif : un tuteur expérimenté parmi les membres.'); focusRegion(region); return; }
          whileBusy(e.submitter || save.querySelector('button[type=submit]'), async () => {
            try {
              const res = await request('POST', `/reseau/calls/${encodeURIComponent(id)}/collectives`, {
                body: { name: name.control.value.trim(), volunteer_ids: [...chosen].map(Number), pilot_volunteer_id: Number(pilot) },
              });
              await load(`Le collectif « ${res.data?.name || name.control.value.trim()} » est enregistré en brouillon. Validez-le pour prévenir ses membres.`);
            } catch (err) {
              showFormError(err, { name }, region, 'Le collectif n’a pas pu être enregistré');
            }
          });
        },
      },
    }, region.node, name.group, button('Enregistrer le collectif', { type: 'submit', icon: 'save-line' }));

    return h('section', { class: 'fr-mt-4w', 'aria-labelledby': 'composer' },
      h('h2', { class: 'fr-h4', id: 'composer' }, 'Composer un collectif'),
      h('p', null, 'Cochez les membres dans le tableau et choisissez le pilote parmi les tuteurs expérimentés. Un collectif mêle de préférence 1er et 2nd degrés, néo-tuteurs et tuteurs expérimentés, dans des communes proches.'),
      h('form', { role: 'search', class: 'app-filters', 'aria-label': 'Filtrer les volontaires', on: { submit: (e) => e.preventDefault() } },
        h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
          Object.values(filters).map((f) => h('div', { class: 'fr-col-12 fr-col-md-3' }, f.group)))),
      count, tableZone,
      h('div', { class: 'app-panel fr-mt-2w' }, mixZone, suggestionsZone),
      save);
  }

  await load();
}

