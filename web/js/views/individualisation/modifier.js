// The pilot writes the parcours d'individualisation: for each of the five
// domains the situation, the needs identified and the support proposed,
// and the start date. While nobody has signed the current version it is
// edited in place (If-Match); once anyone has, saving makes a new version
// that every party signs again.
// GET /api/v1/individualisations/{id}, PUT .../versions/{vid}, POST .../versions

import { api, request, ApiError } from '../../api.js';
import { h } from '../../dom.js';
import {
  pageTitle, breadcrumb, liveRegion, textField, textareaField, button, buttonLink, buttonGroup, whileBusy,
  showFormError, focusRegion, setFlash, showFlash,
} from '../../ui.js';
import { DOMAINS, ANNEX_TITLES, useStyles } from './common.js';

export async function render(ctx) {
  useStyles();
  const id = ctx.params.id;
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Parcours d’individualisation', href: '#/individualisation' },
      { label: 'Parcours', href: `#/individualisation/${encodeURIComponent(id)}` }, { label: 'Modifier' }]),
    pageTitle('Modifier le parcours d’individualisation'), errors.node, status.node);
  ctx.setTitle('Modifier le parcours d’individualisation');
  showFlash(status);
  let c;
  try {
    c = await api.get(`/individualisations/${encodeURIComponent(id)}`);
  } catch (err) {
    if (ctx.current) errors.error(err, 'Le parcours n’a pas pu être chargé');
    return;
  }
  if (!ctx.current) return;
  const v = c.versions.find((x) => x.current);
  const signed = v.signed > 0;
  const byKey = Object.fromEntries(v.content.domains.map((d) => [d.key, d]));
  const started = textField({ label: 'Mise en œuvre du parcours débutée le', name: 'started_on', type: 'date', value: v.content.started_on || '' });
  const domains = DOMAINS.map((d) => ({
    d,
    situation: textareaField({ label: 'Description de la situation', name: `situation-${d.key}`, rows: 3, value: byKey[d.key]?.situation || '' }),
    needs: textareaField({ label: 'Besoins identifiés', name: `needs-${d.key}`, rows: 3, value: byKey[d.key]?.needs || '' }),
    support: textareaField({ label: 'Dispositif de médiation, remédiation, accompagnement proposé', name: `support-${d.key}`, rows: 3, value: byKey[d.key]?.support || '', hint: 'Ex. : visite(s) supplémentaire(s), module(s) de formation supplémentaire(s), observations et pratiques accompagnées supplémentaires…' }),
  }));
  const submit = button(signed ? 'Enregistrer une nouvelle version' : 'Enregistrer', { type: 'submit' });
  const form = h('form', { novalidate: true },
    h('p', null, `${ANNEX_TITLES[c.annex]} – ${c.trainee_name}, version ${v.number}.`),
    signed
      ? h('div', { class: 'fr-alert fr-alert--warning fr-mb-3w' }, h('p', null, 'Cette version est déjà signée : elle ne se modifie plus. Vos changements formeront une nouvelle version ; les signatures déjà recueillies ne vaudront plus et chaque personne nommée sera invitée à signer de nouveau.'))
      : null,
    started.group,
    domains.map(({ d, situation, needs, support }) => h('fieldset', { class: 'fr-fieldset' },
      h('legend', { class: 'fr-fieldset__legend' }, `Difficultés concernant ${d.label.charAt(0).toLowerCase()}${d.label.slice(1)}`),
      h('div', { class: 'fr-fieldset__element' }, situation.group),
      h('div', { class: 'fr-fieldset__element' }, needs.group),
      h('div', { class: 'fr-fieldset__element' }, support.group))),
    buttonGroup([submit, buttonLink('Retour au parcours', `#/individualisation/${encodeURIComponent(id)}`, { kind: 'secondary' })]));
  ctx.root.append(form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      started_on: started.control.value || null,
      domains: domains.map(({ d, situation, needs, support }) => ({
        key: d.key, situation: situation.control.value, needs: needs.control.value, support: support.control.value,
      })),
    };
    await whileBusy(submit, async () => {
      try {
        if (signed) await api.post(`/individualisations/${encodeURIComponent(id)}/versions`, body);
        else await request('PUT', `/individualisations/${encodeURIComponent(id)}/versions/${encodeURIComponent(v.id)}`, { body, ifMatch: v.version });
        setFlash('success', signed ? 'La nouvelle version est enregistrée : chaque personne nommée est invitée à la signer.' : 'Le parcours est enregistré.');
        ctx.navigate(`#/individualisation/${encodeURIComponent(id)}`);
      } catch (err) {
        if (err instanceof ApiError && (err.status === 412 || err.status === 409)) {
          errors.show('warning', 'Le parcours a changé entre-temps', 'Une autre personne l’a modifié ou signé pendant votre saisie : rechargez la page pour repartir de la version en cours (copiez d’abord vos textes).');
          focusRegion(errors);
          return;
        }
        showFormError(err, { started_on: started }, errors);
      }
    });
  });
}
