// « Planifier un temps de suivi » (a tutor of the trio):
//   #/dossiers/:id/planifier          POST /api/v1/enrolments/{id}/followups
//   #/temps-de-suivi/:id/modifier     PATCH /api/v1/followups/{id} (If-Match)
// Kind, date and time, place of practice, which tutors come.

import { request, ApiError } from '../../api.js';
import { h } from '../../dom.js';
import {
  pageTitle, breadcrumb, textField, selectField, checkboxField, liveRegion, showFormError,
  clearFormErrors, checkRequired, whileBusy, setFlash, focusRegion,
} from '../../ui.js';
import {
  loadOr404, loadEnrolment, kindsFor, kindLabel, KINDS, formatDateTime, placeLabel, terrainLabel, INSPE_LABEL, personName,
  isTutor, dossierCrumbs, dossierHref, followupName, versionOf, describeWriteError, renderNotFound,
} from './common.js';
import { versionedRecord, isConflict, offerConflictChoice } from '../../versioned.js';

export async function render(ctx) {
  const editing = ctx.route.path.startsWith('/temps-de-suivi/');
  let followup = null;
  let version = null;
  let enrolmentId = ctx.params.id;

  const loaded = await loadOr404(ctx, async () => {
    if (editing) {
      const res = await request('GET', `/followups/${encodeURIComponent(ctx.params.id)}`);
      followup = res.data;
      version = versionOf(res, followup.version);
      enrolmentId = followup.enrolment_id;
    }
    return loadEnrolment(enrolmentId);
  });
  if (!loaded || !ctx.current) return;
  const { enrolment } = loaded;
  if (!isTutor(enrolment)) {
    renderNotFound(ctx, { back: dossierHref(enrolment), backLabel: 'Retour au dossier' });
    return;
  }

  const tutors = enrolment.tutors || {};
  const errors = liveRegion('alert');
  const [date0, time0] = String(followup?.scheduled_at || '').split('T');
  const fields = {};
  if (!editing) {
    fields.kind = selectField({
      label: 'Type de temps de suivi', name: 'kind', required: true, value: 'visit',
      options: kindsFor(enrolment).map((k) => ({ value: k, label: kindLabel(k) })),
    });
  }
  fields.date = textField({ label: 'Date', name: 'date', type: 'date', required: true, value: date0 || '', hint: 'Format attendu : JJ/MM/AAAA' });
  fields.time = textField({ label: 'Heure', name: 'time', type: 'time', required: true, value: (time0 || '').slice(0, 5), hint: 'Par exemple : 09:00' });
  const places = enrolment.places || [];
  fields.place_id = selectField({
    label: 'Lieu d’exercice', name: 'place_id', placeholder: places.length ? 'Sélectionner un lieu' : 'Aucun lieu enregistré',
    value: followup?.place_id != null ? String(followup.place_id) : (places.length === 1 ? String(places[0].id) : ''),
    options: places.map((p) => ({ value: String(p.id), label: placeLabel(p) })),
    hint: places.length > 1 ? 'Le stagiaire exerce dans plusieurs classes ou écoles : les visites doivent couvrir chacun de ces contextes.' : null,
  });
  const withTerrain = checkboxField({
    label: `${terrainLabel(enrolment)}${personName(tutors.tuteur_terrain) ? ` : ${personName(tutors.tuteur_terrain)}` : ''}`,
    name: 'with_terrain', checked: followup ? followup.with_terrain : enrolment.relation === 'tuteur_terrain',
  });
  const withInspe = checkboxField({
    label: `${INSPE_LABEL}${personName(tutors.tuteur_inspe) ? ` : ${personName(tutors.tuteur_inspe)}` : ''}`,
    name: 'with_inspe', checked: followup ? followup.with_inspe : enrolment.relation === 'tuteur_inspe',
  });
  const whoMessages = h('div', { class: 'fr-messages-group', id: 'qui-vient-messages', 'aria-live': 'polite' });
  const whoFieldset = h('fieldset', { class: 'fr-fieldset', 'aria-labelledby': 'qui-vient-legende qui-vient-messages' },
    h('legend', { class: 'fr-fieldset__legend fr-fieldset__legend--regular', id: 'qui-vient-legende' }, 'Qui vient ?',
      h('span', { class: 'fr-hint-text' }, 'Une visite conjointe des deux tuteurs est recommandée au moins une fois dans l’année, si possible la première.')),
    withTerrain.group, withInspe.group, whoMessages);
  const who = {
    group: whoFieldset, control: withTerrain.control,
    setError(message) {
      whoFieldset.classList.add('fr-fieldset--error');
      whoMessages.replaceChildren(h('p', { class: 'fr-message fr-message--error' }, message));
    },
    clearError() { whoFieldset.classList.remove('fr-fieldset--error'); whoMessages.replaceChildren(); },
  };
  const errorFields = { ...fields, scheduled_at: fields.date, with_terrain: who, with_inspe: who };

  const submit = h('button', { class: 'fr-btn', type: 'submit' }, editing ? 'Enregistrer les modifications' : 'Planifier');
  const back = editing ? `#/temps-de-suivi/${encodeURIComponent(followup.id)}` : dossierHref(enrolment);
  const title = editing ? `Modifier ${followupName(followup)}` : 'Planifier un temps de suivi';

  const form = h('form', { novalidate: true, class: 'app-form' },
    h('fieldset', { class: 'fr-fieldset' },
      h('legend', { class: 'fr-fieldset__legend fr-text--regular' }, 'Les champs marqués « obligatoire » doivent être remplis.'),
      fields.kind ? h('div', { class: 'fr-fieldset__element' }, fields.kind.group) : null,
      h('div', { class: 'fr-fieldset__element fr-fieldset__element--inline' }, fields.date.group),
      h('div', { class: 'fr-fieldset__element fr-fieldset__element--inline' }, fields.time.group),
      h('div', { class: 'fr-fieldset__element' }, fields.place_id.group)),
    whoFieldset,
    h('ul', { class: 'fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left' },
      h('li', null, submit),
      h('li', null, h('a', { class: 'fr-btn fr-btn--secondary', href: back }, 'Annuler'))));

  ctx.root.append(
    breadcrumb([...dossierCrumbs(enrolment), editing ? { label: followupName(followup, { article: false }), href: back } : null, { label: editing ? 'Modifier' : 'Planifier' }].filter(Boolean)),
    pageTitle(title),
    errors.node,
    form);
  ctx.setTitle(title);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    clearFormErrors(errorFields);
    if (!checkRequired(fields)) return;
    if (!withTerrain.control.checked && !withInspe.control.checked) {
      who.setError('Cochez au moins un tuteur.');
      withTerrain.control.focus();
      return;
    }
    const body = {
      scheduled_at: `${fields.date.control.value}T${fields.time.control.value.slice(0, 5)}`,
      with_terrain: withTerrain.control.checked,
      with_inspe: withInspe.control.checked,
    };
    const place = fields.place_id.control.value;
    if (place) body.place_id = Number(place);
    await whileBusy(submit, async () => {
      try {
        if (editing) {
          await request('PATCH', `/followups/${encodeURIComponent(followup.id)}`, { body, ifMatch: version });
        } else {
          body.kind = fields.kind.control.value;
          const res = await request('POST', `/enrolments/${encodeURIComponent(enrolment.id)}/followups`, { body });
          const newId = res.data?.id ?? res.headers.get('Location')?.split('/').pop();
          setFlash('success', `${kindLabel(body.kind)} ${KINDS[body.kind]?.f === false ? 'planifié' : 'planifiée'} le ${formatDateTime(body.scheduled_at)} : le stagiaire le voit dans son dossier.`);
          ctx.navigate(newId ? `#/temps-de-suivi/${encodeURIComponent(newId)}` : dossierHref(enrolment));
          return;
        }
      } catch (err) {
        if (!ctx.current) return;
        if (isConflict(err)) {
          const record = versionedRecord(`/followups/${encodeURIComponent(followup.id)}`);
          await offerConflictChoice(record, errors, {
            title: 'Modifié entre-temps',
            message: 'L’autre tuteur a modifié ce temps de suivi pendant que vous le modifiiez.',
            saveAgain: () => { version = record.version; form.requestSubmit(); },
            useStored: (stored) => {
              followup = stored;
              version = record.version;
              const [d, t] = String(followup.scheduled_at || '').split('T');
              fields.date.control.value = d || '';
              fields.time.control.value = (t || '').slice(0, 5);
              fields.place_id.control.value = followup.place_id != null ? String(followup.place_id) : '';
              withTerrain.control.checked = Boolean(followup.with_terrain);
              withInspe.control.checked = Boolean(followup.with_inspe);
            },
          });
          return;
        }
        if (err instanceof ApiError && err.status === 0) {
          errors.show('error', 'Connexion perdue', describeWriteError(err));
          focusRegion(errors);
          return;
        }
        showFormError(err, errorFields, errors, editing ? 'Les modifications n’ont pas été enregistrées' : 'Le temps de suivi n’a pas été planifié');
        return;
      }
      setFlash('success', 'Les modifications ont été enregistrées.');
      ctx.navigate(back);
    });
  });
}
