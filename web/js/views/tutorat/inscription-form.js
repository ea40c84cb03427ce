// Inscriptions: enrol a trainee for a school year (POST /api/v1/enrolments)
// or edit an enrolment (PATCH /api/v1/enrolments/{id}, If-Match; the
// trainee, the year and the tutors are not edited here: replacing a tutor
// is on the enrolment's page).

import { of } from '../../format.js';
import { getAll, request, ApiError } from '../../api.js';
import { versionedRecord, isConflict, offerConflictChoice } from '../../versioned.js';
import { h, replace } from '../../dom.js';
import {
  pageTitle, breadcrumb, textField, selectField, checkboxField, liveRegion, showFormError,
  clearFormErrors, checkRequired, whileBusy, setFlash, focusRegion, button,
} from '../../ui.js';
import {
  loadOr404, loadEnrolment, years, traineeName, PARCOURS_LABELS, DEGRE_LABELS, CATEGORY_LABELS,
  describeWriteError,
} from './common.js';
import { personPicker, schoolPicker } from '../../picker.js';

const BASE = '#/inscriptions';

export async function render(ctx) {
  const editing = ctx.params.id !== undefined;
  let enrolment = null;
  let version = null;
  if (editing) {
    const loaded = await loadOr404(ctx, () => loadEnrolment(ctx.params.id), { back: BASE, backLabel: 'Retour aux inscriptions' });
    if (!loaded || !ctx.current) return;
    ({ enrolment, version } = loaded);
  }
  const [allYears, poles, sites, disciplines] = await Promise.all([
    years(),
    structures('pole'), structures('inspe_site'), structures('discipline'),
  ]);
  if (!ctx.current) return;

  const errors = liveRegion('alert');
  const fields = {};
  if (!editing) {
    fields.trainee_id = personPicker({ label: 'Stagiaire', role: 'stagiaire', required: true });
    const current = allYears.find((y) => y.current) || allYears[0];
    fields.year_id = selectField({
      label: 'Année scolaire', name: 'year_id', required: true, value: current ? String(current.id) : '',
      options: allYears.map((y) => ({ value: String(y.id), label: y.current ? `${y.label} (en cours)` : y.label })),
    });
  }
  fields.parcours = selectField({
    label: 'Parcours', name: 'parcours', required: true, placeholder: 'Sélectionner', value: enrolment?.parcours || '',
    options: Object.entries(PARCOURS_LABELS).map(([value, label]) => ({ value, label })),
  });
  fields.degre = selectField({
    label: 'Degré', name: 'degre', required: true, placeholder: 'Sélectionner', value: enrolment ? String(enrolment.degre) : '',
    options: Object.entries(DEGRE_LABELS).map(([value, label]) => ({ value, label })),
  });
  fields.category = selectField({
    label: 'Catégorie', name: 'category', required: true, value: enrolment?.category || 'professeur',
    options: Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label })),
    hint: 'Elle décide des compétences évaluées : les 14 compétences communes et celles de la catégorie.',
  });
  fields.discipline_id = selectField({
    label: 'Discipline', name: 'discipline_id', placeholder: disciplines.length ? 'Aucune' : 'Aucune discipline dans l’annuaire',
    value: enrolment?.discipline?.id != null ? String(enrolment.discipline.id) : '',
    options: disciplines.map((s) => ({ value: String(s.id), label: s.name })), hint: '2nd degré.',
  });
  fields.pole_id = selectField({
    label: 'Pôle de formation', name: 'pole_id', placeholder: 'Aucun',
    value: enrolment?.pole?.id != null ? String(enrolment.pole.id) : '',
    options: poles.map((s) => ({ value: String(s.id), label: s.parent_name ? `${s.name} (${s.parent_name})` : s.name })), hint: '1er degré.',
  });
  fields.inspe_site_id = selectField({
    label: 'Site INSPÉ', name: 'inspe_site_id', placeholder: 'Aucun',
    value: enrolment?.inspe_site?.id != null ? String(enrolment.inspe_site.id) : '',
    options: sites.map((s) => ({ value: String(s.id), label: s.name })),
  });
  const renouvellement = checkboxField({
    label: 'Renouvellement', name: 'renouvellement', checked: Boolean(enrolment?.renouvellement),
    hint: 'Stagiaire qui renouvelle son année : 7 h TD pour le tuteur Inspé au lieu de 5 h, et un accompagnement dès la rentrée.',
  });
  if (!editing) {
    fields.tuteur_terrain_id = personPicker({ label: 'Tuteur terrain', role: 'tuteur_terrain', hint: 'PEMF ou tuteur DSDEN (1er degré), tuteur académique (2nd degré). Peut être désigné plus tard.' });
    fields.tuteur_inspe_id = personPicker({ label: 'Tuteur Inspé', role: 'tuteur_inspe', hint: 'Peut être désigné plus tard.' });
  }

  // Places of practice: a school and a class, one or several.
  const placeRows = [];
  const placesList = h('ol', { class: 'app-place-rows' });
  const placesMessages = h('div', { class: 'fr-messages-group', id: 'lieux-messages', 'aria-live': 'polite' });
  const addPlace = button('Ajouter un lieu d’exercice', { kind: 'tertiary', size: 'sm', icon: 'add-line' });
  const placesFieldset = h('fieldset', { class: 'fr-fieldset', 'aria-labelledby': 'lieux-legende lieux-messages' },
    h('legend', { class: 'fr-fieldset__legend', id: 'lieux-legende' }, 'Lieux d’exercice',
      h('span', { class: 'fr-hint-text' }, 'L’école ou l’établissement et la classe ; plusieurs si le stagiaire exerce dans plusieurs contextes.')),
    placesList, placesMessages, h('div', { class: 'fr-fieldset__element' }, addPlace));
  const places = {
    group: placesFieldset, control: addPlace,
    setError(message) {
      placesFieldset.classList.add('fr-fieldset--error');
      replace(placesMessages, h('p', { class: 'fr-message fr-message--error' }, message));
    },
    clearError() {
      placesFieldset.classList.remove('fr-fieldset--error');
      placesMessages.replaceChildren();
      for (const r of placeRows) r.school.clearError();
    },
  };
  function addPlaceRow(place) {
    const n = placeRows.length + 1;
    const school = schoolPicker({ label: `École ou établissement (lieu ${n})`, required: true, initial: place?.school || null });
    const cls = textField({ label: `Classe (lieu ${n})`, name: 'class_label', value: place?.class_label || '', hint: 'Par exemple : CE1, 4e B', attrs: { autocomplete: 'off' } });
    const row = { school, cls, node: null };
    const remove = button('Retirer ce lieu', { kind: 'tertiary', size: 'sm', icon: 'delete-line', srSuffix: `(lieu ${n})` });
    remove.addEventListener('click', () => {
      placeRows.splice(placeRows.indexOf(row), 1);
      row.node.remove();
      addPlace.focus();
    });
    row.node = h('li', { class: 'app-place-row' },
      h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
        h('div', { class: 'fr-col-12 fr-col-md-8' }, school.group),
        h('div', { class: 'fr-col-12 fr-col-md-4' }, cls.group, remove)));
    school.ready.then(() => { if (place?.school?.id != null) school.control.value = String(place.school.id); });
    placeRows.push(row);
    placesList.append(row.node);
    return row;
  }
  for (const p of enrolment?.places || []) addPlaceRow(p);
  if (!placeRows.length) addPlaceRow(null);
  addPlace.addEventListener('click', () => addPlaceRow(null).school.search.focus());

  // Discipline for the 2nd degré, pôle for the 1er: show what applies.
  const disciplineEl = h('div', { class: 'fr-fieldset__element' }, fields.discipline_id.group);
  const poleEl = h('div', { class: 'fr-fieldset__element' }, fields.pole_id.group);
  const syncDegre = () => {
    const d = fields.degre.control.value;
    disciplineEl.hidden = d === '1';
    poleEl.hidden = d === '2';
  };
  fields.degre.control.addEventListener('change', syncDegre);
  syncDegre();

  const submit = h('button', { class: 'fr-btn', type: 'submit' }, editing ? 'Enregistrer les modifications' : 'Inscrire le stagiaire');
  const back = editing ? `${BASE}/${encodeURIComponent(enrolment.id)}` : BASE;
  const title = editing ? `Modifier l’inscription ${of(traineeName(enrolment))}` : 'Inscrire un stagiaire';
  const el = (field) => h('div', { class: 'fr-fieldset__element' }, field.group);
  const form = h('form', { novalidate: true, class: 'app-form' },
    h('fieldset', { class: 'fr-fieldset', 'aria-labelledby': 'inscription-legende' },
      h('legend', { class: 'fr-fieldset__legend', id: 'inscription-legende' }, 'Inscription',
        h('span', { class: 'fr-hint-text' }, 'Les champs marqués « obligatoire » doivent être remplis.')),
      fields.trainee_id ? el(fields.trainee_id) : null,
      fields.year_id ? el(fields.year_id) : null,
      el(fields.parcours), el(fields.degre), el(fields.category), disciplineEl, poleEl, el(fields.inspe_site_id),
      renouvellement.group),
    placesFieldset,
    !editing ? h('fieldset', { class: 'fr-fieldset', 'aria-labelledby': 'trio-legende' },
      h('legend', { class: 'fr-fieldset__legend', id: 'trio-legende' }, 'Trio',
        h('span', { class: 'fr-hint-text' }, 'Les deux tuteurs qui suivront le stagiaire pendant l’année.')),
      el(fields.tuteur_terrain_id), el(fields.tuteur_inspe_id)) : null,
    h('ul', { class: 'fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left' },
      h('li', null, submit),
      h('li', null, h('a', { class: 'fr-btn fr-btn--secondary', href: back }, 'Annuler'))));

  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Inscriptions', href: BASE },
      editing ? { label: traineeName(enrolment), href: back } : null, { label: editing ? 'Modifier' : 'Inscrire un stagiaire' }].filter(Boolean)),
    pageTitle(title), errors.node, form);
  ctx.setTitle(title);

  const errorFields = { ...fields, places, renouvellement };

  /** Puts a stored enrolment in the form (after a 412, on the user's choice). */
  function fill(stored) {
    const id = (structure) => (structure?.id != null ? String(structure.id) : '');
    fields.parcours.control.value = stored.parcours || '';
    fields.degre.control.value = String(stored.degre ?? '');
    fields.category.control.value = stored.category || 'professeur';
    fields.discipline_id.control.value = id(stored.discipline);
    fields.pole_id.control.value = id(stored.pole);
    fields.inspe_site_id.control.value = id(stored.inspe_site);
    renouvellement.control.checked = Boolean(stored.renouvellement);
    for (const row of placeRows.splice(0)) row.node.remove();
    for (const p of stored.places || []) addPlaceRow(p);
    if (!placeRows.length) addPlaceRow(null);
    syncDegre();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    clearFormErrors(errorFields);
    if (!checkRequired(fields)) return;
    const placeList = [];
    for (const r of placeRows) {
      const sid = r.school.control.value;
      if (!sid) { r.school.setError('Choisissez l’école ou l’établissement, ou retirez ce lieu.'); r.school.control.focus(); return; }
      const item = { school_id: Number(sid) };
      const cls = r.cls.control.value.trim();
      if (cls) item.class_label = cls;
      placeList.push(item);
    }
    const body = {
      parcours: fields.parcours.control.value,
      degre: Number(fields.degre.control.value),
      category: fields.category.control.value,
      renouvellement: renouvellement.control.checked,
      places: placeList,
    };
    const opt = (name) => {
      const v = fields[name].control.value;
      return v ? Number(v) : null;
    };
    body.discipline_id = body.degre === 2 ? opt('discipline_id') : null;
    body.pole_id = body.degre === 1 ? opt('pole_id') : null;
    body.inspe_site_id = opt('inspe_site_id');
    await whileBusy(submit, () => (editing ? save(body) : create(body)));
  });

  async function create(body) {
    body.trainee_id = Number(fields.trainee_id.control.value);
    body.year_id = Number(fields.year_id.control.value);
    for (const k of ['tuteur_terrain_id', 'tuteur_inspe_id']) {
      const v = fields[k].control.value;
      if (v) body[k] = Number(v);
    }
    for (const k of ['discipline_id', 'pole_id', 'inspe_site_id']) if (body[k] === null) delete body[k];
    let res;
    try {
      res = await request('POST', '/enrolments', { body });
    } catch (err) {
      if (ctx.current) showError(err, 'Le stagiaire n’a pas été inscrit');
      return;
    }
    const newId = res.data?.id ?? res.headers.get('Location')?.split('/').pop();
    setFlash('success', `${fields.trainee_id.selectedLabel().replace(/ \(.*\)$/, '')} est inscrit${body.renouvellement ? ' (renouvellement : 7 h TD pour le tuteur Inspé)' : ''}.`);
    ctx.navigate(newId != null ? `${BASE}/${encodeURIComponent(newId)}` : BASE);
  }

  async function save(body) {
    // Only what changed: the API keeps the places already visited and adds
    // the places it is sent, so an unchanged list is not sent again.
    const before = {
      parcours: enrolment.parcours, degre: Number(enrolment.degre), category: enrolment.category,
      renouvellement: Boolean(enrolment.renouvellement),
      discipline_id: enrolment.discipline?.id ?? null, pole_id: enrolment.pole?.id ?? null,
      inspe_site_id: enrolment.inspe_site?.id ?? null,
      places: (enrolment.places || []).map((p) => ({ school_id: p.school?.id, ...(p.class_label ? { class_label: p.class_label } : {}) })),
    };
    for (const key of Object.keys(body)) {
      if (JSON.stringify(body[key]) === JSON.stringify(before[key])) delete body[key];
    }
    if (!Object.keys(body).length) {
      setFlash('info', 'Aucune modification à enregistrer.');
      ctx.navigate(back);
      return;
    }
    const record = versionedRecord(`/enrolments/${encodeURIComponent(enrolment.id)}`);
    record.version = version;
    try {
      await record.write('PATCH', body);
    } catch (err) {
      if (!ctx.current) return;
      if (isConflict(err)) {
        // My changes are those against what I loaded: saving again sends
        // only them, over the other person's version.
        await offerConflictChoice(record, errors, {
          title: 'Inscription modifiée entre-temps',
          message: 'Quelqu’un d’autre a modifié cette inscription pendant que vous la modifiiez.',
          saveAgain: () => { version = record.version; form.requestSubmit(); },
          useStored: (stored) => { enrolment = stored; version = record.version; fill(stored); },
        });
        return;
      }
      showError(err, 'Les modifications n’ont pas été enregistrées');
      return;
    }
    setFlash('success', 'L’inscription est modifiée.');
    ctx.navigate(back);
  }

  function showError(err, title) {
    if (err instanceof ApiError && err.field && /^places/.test(err.field)) {
      places.setError(err.detail || 'Lieu invalide.');
      addPlace.focus();
      return;
    }
    if (err instanceof ApiError && err.status === 0) {
      errors.show('error', 'Connexion perdue', describeWriteError(err));
      focusRegion(errors);
      return;
    }
    showFormError(err, errorFields, errors, title);
  }
}

async function structures(kind) {
  try {
    return await getAll('/structures', { kind });
  } catch {
    return [];
  }
}
