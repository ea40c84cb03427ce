// Annuaire › Personnes: create a person (POST /api/v1/people) or edit one
// (GET then PATCH /api/v1/people/{id} with If-Match; a 412 means someone
// else saved in between: the user keeps their input and chooses).

import { request } from '../../api.js';
import { h } from '../../dom.js';
import {
  pageTitle, breadcrumb, textField, checkboxField, liveRegion, showFormError,
  clearFormErrors, checkRequired, whileBusy, setFlash,
} from '../../ui.js';
import { versionedRecord, isConflict, offerConflictChoice } from '../../versioned.js';
import { of } from '../../format.js';

const BASE = '#/annuaire/personnes';
const EDITABLE = ['display_name', 'given_name', 'family_name', 'email'];

export async function render(ctx) {
  const id = ctx.params.id;
  const editing = id !== undefined;
  const record = editing ? versionedRecord(`/people/${encodeURIComponent(id)}`) : null;
  const person = editing ? await record.read() : null;
  let loaded = person; // what the form was filled with: the changes are against it

  const errors = liveRegion('alert');
  const fields = {};
  if (!editing) {
    fields.username = textField({
      label: 'Identifiant', name: 'username', required: true, autocomplete: 'off',
      hint: 'L’identifiant du compte académique de la personne (par exemple : jdupont). Il ne pourra plus être modifié.',
      attrs: { autocapitalize: 'off', spellcheck: 'false' },
    });
  }
  fields.display_name = textField({ label: 'Nom affiché', name: 'display_name', required: true, autocomplete: 'off', hint: 'Tel qu’il apparaîtra dans Tutorat, par exemple : Camille Martin' });
  fields.given_name = textField({ label: 'Prénom', name: 'given_name', autocomplete: 'off' });
  fields.family_name = textField({ label: 'Nom de famille', name: 'family_name', autocomplete: 'off' });
  fields.email = textField({ label: 'Adresse électronique', name: 'email', type: 'email', autocomplete: 'off', hint: 'Format attendu : nom@domaine.fr' });
  const active = editing ? checkboxField({ label: 'Fiche active', name: 'active', hint: 'Décochez pour désactiver la fiche sans la supprimer.' }) : null;
  if (active) fields.active = active;

  const submit = h('button', { class: 'fr-btn', type: 'submit' }, editing ? 'Enregistrer les modifications' : 'Ajouter la personne');
  const cancelHref = editing ? `${BASE}/${encodeURIComponent(id)}` : BASE;
  const title = editing ? `Modifier la fiche ${of(person.display_name || person.username)}` : 'Ajouter une personne';

  const form = h('form', { novalidate: true, class: 'app-form' },
    h('fieldset', { class: 'fr-fieldset' },
      h('legend', { class: 'fr-fieldset__legend fr-text--regular' },
        'Les champs marqués « obligatoire » doivent être remplis.'),
      editing ? h('div', { class: 'fr-fieldset__element' },
        h('p', { class: 'fr-mb-2w' }, 'Identifiant : ', h('strong', null, person.username))) : null,
      Object.values(fields).map((f) => (f === active ? f.group : h('div', { class: 'fr-fieldset__element' }, f.group)))),
    h('ul', { class: 'fr-btns-group fr-btns-group--inline-md' },
      h('li', null, submit),
      h('li', null, h('a', { class: 'fr-btn fr-btn--secondary', href: cancelHref }, 'Annuler'))));

  ctx.root.append(
    breadcrumb([
      { label: 'Accueil', href: '#/' },
      { label: 'Personnes', href: BASE },
      editing ? { label: person.display_name || person.username, href: cancelHref } : null,
      { label: editing ? 'Modifier' : 'Ajouter une personne' },
    ].filter(Boolean)),
    pageTitle(title),
    errors.node,
    form);
  if (editing) fill();
  ctx.setTitle(editing ? `Modifier ${person.display_name || person.username} – Personnes` : 'Ajouter une personne – Personnes');

  function fill() {
    for (const name of EDITABLE) fields[name].control.value = loaded[name] ?? '';
    active.control.checked = loaded.active !== false;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    clearFormErrors(fields);
    if (!checkRequired(fields)) return;
    const email = fields.email.control;
    if (email.value.trim() && !email.checkValidity()) {
      fields.email.setError('Saisissez une adresse électronique valide, par exemple : nom@domaine.fr');
      email.focus();
      return;
    }
    await whileBusy(submit, () => (editing ? save() : create()));
  });

  async function create() {
    const body = { username: fields.username.control.value.trim() };
    for (const name of EDITABLE) {
      const value = fields[name].control.value.trim();
      if (value) body[name] = value;
    }
    let res;
    try {
      res = await request('POST', '/people', { body });
    } catch (err) {
      if (ctx.current) showFormError(err, fields, errors, 'La personne n’a pas été ajoutée');
      return;
    }
    const newId = res.data?.id ?? res.headers.get('Location')?.split('/').pop();
    setFlash('success', `La fiche ${of(body.display_name)} a été créée.`);
    ctx.navigate(newId !== undefined ? `${BASE}/${encodeURIComponent(newId)}` : BASE);
  }

  async function save() {
    const body = {};
    for (const name of EDITABLE) {
      const value = fields[name].control.value.trim();
      const before = loaded[name] ?? '';
      if (value !== before) body[name] = value === '' ? null : value;
    }
    if (active.control.checked !== (loaded.active !== false)) body.active = active.control.checked;
    if (!Object.keys(body).length) {
      setFlash('info', 'Aucune modification à enregistrer.');
      ctx.navigate(cancelHref);
      return;
    }
    try {
      await record.write('PATCH', body);
    } catch (err) {
      if (!ctx.current) return;
      if (isConflict(err)) {
        await offerConflictChoice(record, errors, {
          title: 'Fiche modifiée entre-temps',
          message: 'Quelqu’un d’autre a modifié cette fiche pendant que vous la modifiiez.',
          saveAgain: () => form.requestSubmit(),
          useStored: (stored) => { loaded = stored; fill(); },
        });
        return;
      }
      showFormError(err, fields, errors, 'Les modifications n’ont pas été enregistrées');
      return;
    }
    setFlash('success', 'Les modifications ont été enregistrées.');
    ctx.navigate(cancelHref);
  }
}
