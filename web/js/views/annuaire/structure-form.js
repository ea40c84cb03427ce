// Annuaire › Structures: create (POST /api/v1/structures) or edit (GET then
// PATCH /api/v1/structures/{id} with If-Match; a 412 lets the user keep
// their input or take the stored version). The kind is chosen at creation
// only; it decides the code's meaning and the parent, picked by a search
// among the structures of the parent's kind.

import { api, withQuery } from '../../api.js';
import { h } from '../../dom.js';
import { STRUCTURE_KINDS, structureKindLabel } from '../../labels.js';
import { structurePicker } from '../../picker.js';
import {
  pageTitle, breadcrumb, textField, selectField, liveRegion, showFormError,
  clearFormErrors, checkRequired, whileBusy, setFlash,
} from '../../ui.js';
import { versionedRecord, isConflict, offerConflictChoice } from '../../versioned.js';

const BASE = '#/annuaire/structures';

export async function render(ctx) {
  const id = ctx.params.id;
  const editing = id !== undefined;
  const record = editing ? versionedRecord(`/structures/${encodeURIComponent(id)}`) : null;
  let structure = editing ? await record.read() : null; // what the form was filled with

  const initialKind = editing ? structure.kind : (STRUCTURE_KINDS[ctx.query.get('kind')] ? ctx.query.get('kind') : '');
  const errors = liveRegion('alert');
  const fields = {};
  if (!editing) {
    fields.kind = selectField({
      label: 'Type de structure', name: 'kind', placeholder: 'Sélectionner un type', required: true, value: initialKind,
      options: Object.entries(STRUCTURE_KINDS).map(([value, k]) => ({ value, label: k.label })),
    });
  }
  fields.name = textField({ label: 'Nom', name: 'name', required: true, autocomplete: 'off' });
  fields.code = textField({ label: 'Code', name: 'code', autocomplete: 'off', attrs: { spellcheck: 'false' } });
  let parentKind = null;
  fields.parent_id = structurePicker({
    label: 'Rattachement', required: true, kind: () => parentKind, exclude: id,
    initial: structure?.parent_id != null ? { id: structure.parent_id, name: structure.parent_name } : null,
  });
  const parentElement = h('div', { class: 'fr-fieldset__element', hidden: true }, fields.parent_id.group);

  const submit = h('button', { class: 'fr-btn', type: 'submit' }, editing ? 'Enregistrer les modifications' : 'Ajouter la structure');
  const backHref = withQuery(BASE, { kind: initialKind });
  const label = () => (structure ? structure.name : '');

  const form = h('form', { novalidate: true, class: 'app-form' },
    h('fieldset', { class: 'fr-fieldset' },
      h('legend', { class: 'fr-fieldset__legend fr-text--regular' }, 'Les champs marqués « obligatoire » doivent être remplis.'),
      editing ? h('div', { class: 'fr-fieldset__element' },
        h('p', { class: 'fr-mb-2w' }, 'Type : ', h('strong', null, structureKindLabel(structure.kind)))) : null,
      fields.kind ? h('div', { class: 'fr-fieldset__element' }, fields.kind.group) : null,
      h('div', { class: 'fr-fieldset__element' }, fields.name.group),
      h('div', { class: 'fr-fieldset__element' }, fields.code.group),
      parentElement),
    h('ul', { class: 'fr-btns-group fr-btns-group--inline-md' },
      h('li', null, submit),
      h('li', null, h('a', { class: 'fr-btn fr-btn--secondary', href: backHref }, 'Annuler'))));

  ctx.root.append(
    breadcrumb([
      { label: 'Accueil', href: '#/' },
      { label: 'Structures', href: backHref },
      { label: editing ? `Modifier ${label()}` : 'Ajouter une structure' },
    ]),
    pageTitle(editing ? `Modifier : ${label()}` : 'Ajouter une structure'),
    errors.node,
    form);
  ctx.setTitle(editing ? `Modifier ${label()} – Structures` : 'Ajouter une structure – Structures');

  if (fields.kind) fields.kind.control.addEventListener('change', () => adaptToKind(fields.kind.control.value));
  if (editing) fill();
  await adaptToKind(initialKind, editing ? structure.parent_id : '');

  function fill() {
    fields.name.control.value = structure.name ?? '';
    fields.code.control.value = structure.code ?? '';
  }

  /** The code's label and the parent list depend on the kind. */
  async function adaptToKind(kind, selectedParent = '') {
    const def = STRUCTURE_KINDS[kind];
    const codeLabel = fields.code.group.querySelector('label');
    codeLabel.firstChild.textContent = def?.code || 'Code';
    const hint = codeLabel.querySelector('.fr-hint-text') || codeLabel.appendChild(h('span', { class: 'fr-hint-text' }));
    hint.textContent = kind === 'school' ? 'Identifiant de l’école ou de l’établissement, 7 chiffres et une lettre, par exemple : 0691234A' : 'Facultatif : un code court propre à l’académie.';

    parentKind = def?.parent || null;
    const parent = fields.parent_id;
    parent.clearError();
    if (!parentKind) {
      parentElement.hidden = true;
      parent.control.required = false;
      return;
    }
    parentElement.hidden = false;
    parent.control.required = true;
    parent.setLabel(`Rattachement (${structureKindLabel(parentKind).toLowerCase()})`);
    const page = await parent.refresh();
    if (selectedParent) parent.control.value = String(selectedParent);
    if (page && !page.total && !parent.search.value.trim()) {
      parent.setError(`Aucune structure de type « ${structureKindLabel(parentKind)} » : ajoutez-la d’abord.`);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    clearFormErrors(fields);
    if (!checkRequired(Object.fromEntries(Object.entries(fields)
      .filter(([name]) => name !== 'parent_id' || !parentElement.hidden)))) return;
    await whileBusy(submit, () => (editing ? save() : create()));
  });

  function parentValue() {
    if (parentElement.hidden || !fields.parent_id.control.value) return null;
    const raw = fields.parent_id.control.value;
    return Number(raw) || raw;
  }

  async function create() {
    const body = { kind: fields.kind.control.value, name: fields.name.control.value.trim() };
    const code = fields.code.control.value.trim();
    if (code) body.code = code;
    const parentId = parentValue();
    if (parentId !== null) body.parent_id = parentId;
    try {
      await api.post('/structures', body);
    } catch (err) {
      if (ctx.current) showFormError(err, fields, errors, 'La structure n’a pas été ajoutée');
      return;
    }
    setFlash('success', `La structure « ${body.name} » a été ajoutée.`);
    ctx.navigate(withQuery(BASE, { kind: body.kind }));
  }

  async function save() {
    const body = {};
    const name = fields.name.control.value.trim();
    const code = fields.code.control.value.trim();
    const parentId = parentValue();
    if (name !== (structure.name ?? '')) body.name = name;
    if (code !== (structure.code ?? '')) body.code = code === '' ? null : code;
    if (!parentElement.hidden && String(parentId ?? '') !== String(structure.parent_id ?? '')) body.parent_id = parentId;
    if (!Object.keys(body).length) {
      setFlash('info', 'Aucune modification à enregistrer.');
      ctx.navigate(backHref);
      return;
    }
    try {
      await record.write('PATCH', body);
    } catch (err) {
      if (!ctx.current) return;
      if (isConflict(err)) {
        await offerConflictChoice(record, errors, {
          title: 'Structure modifiée entre-temps',
          message: 'Quelqu’un d’autre a modifié cette structure pendant que vous la modifiiez.',
          saveAgain: () => form.requestSubmit(),
          useStored: async (stored) => {
            structure = stored;
            fill();
            await adaptToKind(structure.kind, structure.parent_id);
          },
        });
        return;
      }
      showFormError(err, fields, errors, 'Les modifications n’ont pas été enregistrées');
      return;
    }
    setFlash('success', `La structure « ${name} » a été modifiée.`);
    ctx.navigate(backHref);
  }
}
