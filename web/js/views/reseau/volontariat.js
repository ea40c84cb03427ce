// « Me porter volontaire »: a tutor answers an open call of their
// département — degree, seniority as a tutor, commune (and school) of
// practice, the wish to pilot a collective and their trainer
// qualifications. Answered once (409 when already done).
// GET /api/v1/reseau/calls/{id}, /reseau/communes, /structures?kind=school;
// POST /api/v1/reseau/calls/{id}/volunteers

import { api, isNotFound, withQuery } from '../../api.js';
import { h, replace, uid } from '../../dom.js';
import { formatDate } from '../../format.js';
import { picker } from '../../picker.js';
import {
  pageTitle, breadcrumb, liveRegion, button, buttonLink, buttonGroup, whileBusy, showFormError,
  clearFormErrors, setFlash, focusRegion,
} from '../../ui.js';
import { DEGREES, SENIORITY, QUALIFICATIONS, useStyles } from './common.js';

/** A DSFR radio fieldset, required; returns { group, control (first radio), value(), setError, clearError }. */
function radios(legend, name, options) {
  const id = uid(`radios-${name}`);
  const messages = h('div', { class: 'fr-messages-group', id: `${id}-messages`, 'aria-live': 'polite' });
  const inputs = options.map((o, i) => h('input', { type: 'radio', id: `${id}-${i}`, name: id, value: o.value }));
  const group = h('fieldset', { class: 'fr-fieldset', 'aria-labelledby': `${id}-legend ${id}-messages`, role: 'radiogroup' },
    h('legend', { class: 'fr-fieldset__legend', id: `${id}-legend` }, legend, h('span', { class: 'app-required' }, ' (obligatoire)')),
    options.map((o, i) => h('div', { class: 'fr-fieldset__element fr-fieldset__element--inline' },
      h('div', { class: 'fr-radio-group' }, inputs[i], h('label', { class: 'fr-label', for: `${id}-${i}` }, o.label)))),
    messages);
  return {
    group, control: inputs[0],
    value: () => inputs.find((i) => i.checked)?.value || '',
    setError(message) {
      group.classList.add('fr-fieldset--error');
      replace(messages, h('p', { class: 'fr-message fr-message--error' }, message));
    },
    clearError() { group.classList.remove('fr-fieldset--error'); messages.replaceChildren(); },
  };
}

export async function render(ctx) {
  useStyles();
  const id = ctx.params.id;
  const errors = liveRegion('alert');
  const body = h('div');
  ctx.setTitle('Me porter volontaire');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Réseau de tuteurs', href: '#/reseau' }, { label: 'Me porter volontaire' }]),
    pageTitle('Me porter volontaire'), errors.node, body);
  let call;
  try {
    call = await api.get(`/reseau/calls/${encodeURIComponent(id)}`);
  } catch (err) {
    if (!ctx.current) return;
    if (isNotFound(err)) replace(body, h('p', null, 'Cet appel n’existe pas ou ne vous est pas adressé.'));
    else errors.error(err, 'L’appel n’a pas pu être chargé');
    return;
  }
  if (!ctx.current) return;

  const degree = radios('Degré d’enseignement', 'degree', Object.entries(DEGREES).map(([value, label]) => ({ value, label })));
  const seniority = radios('Ancienneté comme tuteur', 'seniority', Object.entries(SENIORITY).map(([value, label]) => ({ value, label })));
  const commune = picker({
    label: 'Commune de votre école ou établissement', required: true, searchLabel: 'Rechercher une commune par son nom',
    placeholder: 'Choisir une commune',
    load: async (q) => {
      const page = await api.get(withQuery('/reseau/communes', { departement_id: call.departement_id, q, limit: 50 }));
      return { options: (page.items || []).map((c) => ({ value: c.id, label: c.insee ? `${c.name} (${c.insee})` : c.name })), total: page.total };
    },
  });
  const school = picker({
    label: 'École ou établissement (facultatif)', searchLabel: 'Rechercher une école ou un établissement',
    placeholder: 'Ne pas préciser',
    load: async (q) => {
      const page = await api.get(withQuery('/structures', { kind: 'school', q, limit: 50 }));
      return { options: (page.items || []).map((s) => ({ value: s.id, label: s.code ? `${s.name} (${s.code})` : s.name })), total: page.total };
    },
  });
  const pilotId = uid('pilote');
  const wantsPilot = h('input', { type: 'checkbox', id: pilotId, name: 'wants_pilot' });
  const qualifs = QUALIFICATIONS.map((q) => ({ q, input: h('input', { type: 'checkbox', id: uid(`qualif-${q.code}`), name: 'qualifications', value: q.code }) }));
  const fields = { degree, seniority, commune_id: commune, school_id: school };
  const region = liveRegion('alert');

  const form = h('form', {
    class: 'app-form', novalidate: true,
    on: {
      submit: (e) => {
        e.preventDefault();
        clearFormErrors(fields);
        let first = null;
        for (const [f, v] of [[degree, degree.value()], [seniority, seniority.value()], [commune, commune.control.value]]) {
          if (!v) { f.setError('Ce champ est obligatoire.'); first ??= f.control; }
        }
        if (first) { first.focus(); return; }
        const payload = {
          degree: degree.value(), seniority: seniority.value(), commune_id: Number(commune.control.value),
          wants_pilot: wantsPilot.checked,
          qualifications: qualifs.filter((x) => x.input.checked).map((x) => ({ code: x.q.code })),
        };
        if (school.control.value) payload.school_id = Number(school.control.value);
        whileBusy(e.submitter || form.querySelector('button[type=submit]'), async () => {
          try {
            await api.post(`/reseau/calls/${encodeURIComponent(id)}/volunteers`, payload);
            setFlash('success', `Votre candidature à l’appel « ${call.title} » est enregistrée. L’académie compose les collectifs à partir des volontaires : vous serez prévenu quand le vôtre sera validé.`);
            ctx.navigate('#/reseau');
          } catch (err) {
            if (err.status === 409) {
              region.show('info', 'Vous êtes déjà volontaire', 'Votre réponse à cet appel est déjà enregistrée.');
              focusRegion(region);
              return;
            }
            showFormError(err, fields, region, 'Votre candidature n’a pas pu être enregistrée');
          }
        });
      },
    },
  },
  region.node,
  degree.group, seniority.group, commune.group, school.group,
  h('fieldset', { class: 'fr-fieldset' },
    h('legend', { class: 'fr-fieldset__legend' }, 'Piloter un collectif'),
    h('div', { class: 'fr-fieldset__element' },
      h('div', { class: 'fr-checkbox-group' }, wantsPilot,
        h('label', { class: 'fr-label', for: pilotId }, 'Je souhaite piloter un collectif',
          h('span', { class: 'fr-hint-text' }, 'Le pilote est un tuteur expérimenté, si possible titulaire d’une qualification de formateur.'))))),
  h('fieldset', { class: 'fr-fieldset' },
    h('legend', { class: 'fr-fieldset__legend' }, 'Qualifications de formateur', h('span', { class: 'fr-hint-text' }, 'Cochez celles que vous détenez.')),
    qualifs.map(({ q, input }) => h('div', { class: 'fr-fieldset__element' },
      h('div', { class: 'fr-checkbox-group' }, input, h('label', { class: 'fr-label', for: input.id }, q.label))))),
  buttonGroup([
    button('Envoyer ma candidature', { type: 'submit' }),
    buttonLink('Revenir sans envoyer', '#/reseau', { kind: 'secondary' }),
  ]));

  replace(body,
    h('div', { class: 'fr-callout fr-mb-4w' },
      h('h2', { class: 'fr-callout__title' }, call.title),
      h('p', { class: 'fr-callout__text' }, `${call.departement ? `Département : ${call.departement}. ` : ''}Réponses du ${formatDate(call.opens_on)} au ${formatDate(call.closes_on)}. Les collectifs mêlent 1er et 2nd degrés, néo-tuteurs et tuteurs expérimentés, de communes proches.`)),
    form);
}
