// The compte-rendu de stage (#/sopa/comptes-rendus/:id), laid out like the
// paper form of the Poitiers guide: the head (stagiaire, titulaire de la
// classe, lieu, contexte, absences, période), « 1- De l’observation à la
// prise en charge progressive » (the step reached), « 2- Objectifs de
// formation » with « 3- Commentaires » under them, the sessions led and
// designed, « 4- Éthique professionnelle » (the grid, with the descriptors
// of the period's stage beside each choice) and « 5- » the two pieces of
// advice.
// The host teacher edits a draft (PUT with If-Match; a 412 offers the
// choice; the typing is kept on the device until saved), then sends it
// (asked first). A sent version is read-only for everyone, printable like
// the paper form (css/sopa.css), and the MAT may correct it: a new draft
// version, the sent one kept.
// GET/PUT /api/v1/sopa/reports/{id}; POST …/send; POST …/correction

import { api, ApiError, isNotFound } from '../../api.js';
import { h, replace } from '../../dom.js';
import { formatDate, formatMoment, personName } from '../../format.js';
import { versionedRecord, isConflict, offerConflictChoice } from '../../versioned.js';
import { keepDraft } from '../../drafts.js';
import { confirmButton } from '../../confirm.js';
import {
  pageTitle, breadcrumb, liveRegion, textField, textareaField, button, buttonGroup, whileBusy,
  focusRegion, setFlash, showFlash, textBlock,
} from '../../ui.js';
import {
  STEPS, STEPS_TITLE, STEPS_HINT, STEP_OBJECTIVES, ETHICS, ETHICS_INTRO, RATINGS, ADVICE_QUESTION,
  REPORT_STATE, facts, isHost, list, periodName, stagePair, useStyles,
} from './reference.js';
import { homeCrumb } from './placement.js';

/** Half-days a period holds: two per weekday (Monday to Friday) between its dates. */
export function capacity(period) {
  const start = new Date(`${period.starts_on}T12:00:00Z`);
  const end = new Date(`${period.ends_on}T12:00:00Z`);
  let n = 0;
  for (let d = start; d <= end; d = new Date(d.getTime() + 86400000)) {
    const day = d.getUTCDay();
    if (day >= 1 && day <= 5) n += 2;
  }
  return n;
}

export async function render(ctx) {
  useStyles();
  const id = ctx.params.id;
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const record = versionedRecord(`/sopa/reports/${encodeURIComponent(id)}`);
  const crumb = homeCrumb(ctx.me);
  try {
    await record.read();
  } catch (err) {
    if (!ctx.current) return;
    ctx.setTitle('Compte rendu de stage');
    ctx.root.append(breadcrumb([{ label: 'Accueil', href: '#/' }, crumb, { label: 'Compte rendu' }]),
      pageTitle('Compte rendu de stage'), errors.node);
    errors.error(err, isNotFound(err) ? 'Ce compte rendu n’existe pas ou ne vous est pas ouvert' : 'Le compte rendu n’a pas pu être chargé');
    return;
  }
  if (!ctx.current) return;
  const r = record.data;
  const title = `Compte rendu de stage de ${r.student.display_name} – SOPA ${r.period.number}`;
  ctx.setTitle(title);
  const editable = r.state === 'draft' && isHost(r, ctx.me);
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, crumb,
      r.placement_id ? { label: periodName(r.period), href: `#/sopa/stages/${r.placement_id}` } : null,
      { label: 'Compte rendu' }].filter(Boolean)),
    h('div', { class: 'app-sopa-form' },
      h('p', { class: 'app-sopa-print-only app-sopa-form__kicker' }, 'Le compte-rendu du tuteur de stage – m1 MEEF1 mention 1er degré'),
      pageTitle(title),
      status.node, errors.node,
      stateLine(r),
      head(r),
      editable ? editForm(ctx, record, errors, status) : readOnly(ctx, r, errors),
      versions(r)));
  showFlash(status);
}

/** Version, state, sent date: what the reader checks first. */
function stateLine(r) {
  return h('p', { class: 'app-sopa-state' },
    h('span', { class: 'fr-text--bold' }, `Version ${r.number} – ${REPORT_STATE[r.state] || r.state}`),
    r.sent_at ? ` : envoyé le ${formatMoment(r.sent_at)}${personName(r.sent_by) ? ` par ${personName(r.sent_by)}` : ''}` : ' : pas encore envoyé',
    r.late ? ' (après la date attendue)' : '',
    r.ue4_recorded_at ? `. Enregistré pour l’UE4 le ${formatDate(r.ue4_recorded_at)}.` : '');
}

/** The head of the paper form. */
function head(r) {
  return facts([
    ['Stagiaire', r.student?.display_name],
    ['Titulaire de la classe', r.mat?.display_name],
    ['Lieu du stage', r.school ? `${r.school.name}${r.school.code ? ` (${r.school.code})` : ''}` : '—'],
    ['Contexte (niveau, nombre d’élèves)', `${r.class_level || '—'}, ${r.pupils ?? '—'} élèves`],
    ['Période de stage', `du ${formatDate(r.period.starts_on)} au ${formatDate(r.period.ends_on)} (SOPA ${r.period.number}, stage ${r.period.stage})`],
  ], 'app-sopa-head');
}

// ---------------------------------------------------------------- the form

let seq = 0;

/**
 * A radio group as a DSFR fieldset; each option may carry descriptors shown
 * beside it (its hint). Returns { fieldset, value(), set(v), setError(m), clearError(), focus() }.
 */
function radios({ legend, hint, name, options, value, className }) {
  seq += 1;
  const base = `${name}-${seq}`;
  const legendId = `${base}-legende`;
  const messagesId = `${base}-messages`;
  const inputs = [];
  const fieldset = h('fieldset', { class: ['fr-fieldset', className], 'aria-labelledby': `${legendId} ${messagesId}`, id: `${base}-groupe` },
    h('legend', { class: 'fr-fieldset__legend', id: legendId }, legend, hint ? h('span', { class: 'fr-hint-text' }, hint) : null),
    options.map((o) => {
      const inputId = `${base}-${o.value}`;
      const input = h('input', { type: 'radio', id: inputId, name, value: String(o.value) });
      input.checked = String(value ?? '') === String(o.value);
      inputs.push(input);
      return h('div', { class: 'fr-fieldset__element' },
        h('div', { class: 'fr-radio-group' }, input,
          h('label', { class: 'fr-label', for: inputId }, o.label,
            o.hint?.length ? h('span', { class: 'fr-hint-text' }, o.hint.length === 1 ? o.hint[0] : o.hint.map((t) => h('span', { class: 'app-sopa-hint-item' }, t))) : null)));
    }),
    h('div', { class: 'fr-messages-group', id: messagesId, 'aria-live': 'polite' }));
  const messages = fieldset.querySelector('.fr-messages-group');
  const clearError = () => { fieldset.classList.remove('fr-fieldset--error'); messages.replaceChildren(); };
  fieldset.addEventListener('change', clearError);
  return {
    fieldset,
    group: fieldset,
    value() { return inputs.find((i) => i.checked)?.value ?? null; },
    set(v) { for (const i of inputs) i.checked = String(v ?? '') === i.value; },
    setError(message) {
      fieldset.classList.add('fr-fieldset--error');
      replace(messages, h('p', { class: 'fr-message fr-message--error' }, message));
    },
    clearError,
    focus() { (inputs.find((i) => i.checked) || inputs[0]).focus(); },
  };
}

/** A text field's focus, for the same call as a radio group's. */
const focusable = (field) => ({ ...field, focus: () => field.control.focus() });

function editForm(ctx, record, errors, status) {
  const r = record.data;
  const pair = stagePair(r.period.stage);
  const max = capacity(r.period);
  const num = (label, name, value, hint, top) => focusable(textField({
    label, name, type: 'number', value: value ?? '', hint,
    attrs: { min: '0', max: String(top), step: '1', inputmode: 'numeric' },
  }));
  const fields = {
    absences_half_days: num('Nombre de ½ journées d’absence', 'absences', r.absences_half_days, `De 0 à ${max} (deux par jour de classe de la période).`, max),
    step: radios({
      legend: 'Étape atteinte par le stagiaire', hint: STEPS_HINT, name: 'etape', value: r.step, className: 'app-sopa-steps',
      options: STEPS.map((s) => ({ value: s.step, label: `Étape ${s.step}`, hint: s.activities })),
    }),
    comments_steps_12: focusable(textareaField({ label: 'Commentaires sur l’acquisition de ces objectifs pour les étapes 1 et 2', name: 'commentaires-12', value: r.comments_steps_12 || '', rows: 6, hint: '4 000 caractères au plus.' })),
    comments_steps_34: focusable(textareaField({ label: 'Commentaires sur l’acquisition de ces objectifs pour les étapes 3 et 4', name: 'commentaires-34', value: r.comments_steps_34 || '', rows: 6, hint: '4 000 caractères au plus.' })),
    sessions_led: num('Nombre de séances animées', 'seances-animees', r.sessions_led, 'De 0 à 200.', 200),
    sessions_designed: num('Nombre de séances conçues', 'seances-concues', r.sessions_designed, 'De 0 à 200.', 200),
  };
  const ethics = ETHICS.map((c) => radios({
    legend: c.label, hint: c.also || null, name: `ethique-${c.code}`, className: 'app-sopa-competence',
    value: r.ethics?.find((e) => e.competence === c.code)?.rating,
    options: RATINGS.map((rt) => ({
      value: rt.value, label: rt.label,
      hint: rt.value === 'acquis' ? c.descriptors.acquis[pair] : c.descriptors[rt.value],
    })),
  }));
  const advice = [0, 1].map((i) => focusable(textareaField({
    label: `Conseil ${i + 1}`, name: `conseil-${i + 1}`, value: r.advice?.[i]?.text || '', rows: 3, hint: '1 000 caractères au plus.',
  })));

  const formErrors = liveRegion('alert');
  const all = () => [...Object.values(fields), ...ethics, ...advice];
  const clearAll = () => { for (const f of all()) f.clearError(); formErrors.clear(); };
  const numberOf = (f) => (f.control.value.trim() === '' ? null : Number(f.control.value));
  const textOf = (f) => (f.control.value.trim() === '' ? null : f.control.value);
  let sentEthics = [];
  const payload = () => {
    sentEthics = ETHICS.map((c, i) => ({ competence: c.code, rating: ethics[i].value() })).filter((e) => e.rating);
    return {
      absences_half_days: numberOf(fields.absences_half_days),
      step: fields.step.value() === null ? null : Number(fields.step.value()),
      comments_steps_12: textOf(fields.comments_steps_12),
      comments_steps_34: textOf(fields.comments_steps_34),
      sessions_led: numberOf(fields.sessions_led),
      sessions_designed: numberOf(fields.sessions_designed),
      ethics: sentEthics,
      advice: advice.map((f) => textOf(f)).filter(Boolean).map((text) => ({ text })),
    };
  };
  const fill = (data) => {
    fields.absences_half_days.control.value = data.absences_half_days ?? '';
    fields.step.set(data.step);
    fields.comments_steps_12.control.value = data.comments_steps_12 || '';
    fields.comments_steps_34.control.value = data.comments_steps_34 || '';
    fields.sessions_led.control.value = data.sessions_led ?? '';
    fields.sessions_designed.control.value = data.sessions_designed ?? '';
    ETHICS.forEach((c, i) => ethics[i].set(data.ethics?.find((e) => e.competence === c.code)?.rating));
    advice.forEach((f, i) => { f.control.value = data.advice?.[i]?.text || ''; });
  };

  /** The field a 422 or 409 names (« ethics[1].rating », « advice », « step »…). */
  const fieldOf = (err) => {
    const name = err.field || '';
    if (fields[name]) return fields[name];
    let m = /^ethics\[(\d+)\]/.exec(name);
    if (m) {
      const code = sentEthics[Number(m[1])]?.competence;
      return ethics[ETHICS.findIndex((c) => c.code === code)] || null;
    }
    if (name === 'ethics') {
      const missing = ETHICS.findIndex((c) => (err.detail || '').includes(c.code) && !sentEthics.some((e) => e.competence === c.code));
      return ethics[missing >= 0 ? missing : ethics.findIndex((f) => f.value() === null)] || ethics[0];
    }
    m = /^advice(?:\[(\d+)\])?/.exec(name);
    if (m) return advice[m[1] ? Math.min(Number(m[1]), 1) : advice.findIndex((f) => !textOf(f))] || advice[0];
    return null;
  };
  const showError = (err, title) => {
    const field = err instanceof ApiError && (err.status === 422 || err.status === 409) ? fieldOf(err) : null;
    if (field) {
      formErrors.show('error', title, err.detail || 'Une valeur saisie n’est pas valide.');
      field.setError(err.detail || 'Valeur invalide.');
      field.focus();
      return;
    }
    formErrors.error(err, title);
    focusRegion(formErrors);
  };

  let draft = null;
  /** PUT the draft; resolves true once stored. A 412 offers the choice. */
  const save = async () => {
    try {
      await record.write('PUT', payload());
      draft?.clear();
      return true;
    } catch (err) {
      if (isConflict(err)) {
        await offerConflictChoice(record, formErrors, {
          message: 'Le compte rendu a été modifié ailleurs (sur un autre appareil ou dans un autre onglet) pendant votre saisie.',
          saveAgain: () => saveButton.click(),
          useStored: (data) => fill(data),
        });
        return false;
      }
      showError(err, 'Le brouillon n’a pas été enregistré');
      return false;
    }
  };

  const saveButton = button('Enregistrer le brouillon', { type: 'submit', kind: 'secondary', icon: 'save-line' });
  const send = confirmButton('Envoyer le compte rendu', {
    kind: 'primary', size: null, icon: 'send-plane-line',
    title: 'Envoyer le compte rendu ?',
    message: `Le compte rendu sera envoyé au gestionnaire de scolarité du site INSPÉ et à ${r.student.display_name}. Une fois envoyé, il ne se modifie plus : une correction en fera une nouvelle version.`,
    confirmLabel: 'Envoyer le compte rendu',
    keepLabel: 'Continuer la rédaction',
    check: () => { clearAll(); return true; },
    onConfirm: () => whileBusy(send, async () => {
      if (!(await save())) return;
      try {
        await record.write('POST', undefined, { path: `/sopa/reports/${encodeURIComponent(r.id)}/send` });
        setFlash('success', 'Le compte rendu est envoyé au gestionnaire de scolarité et à l’étudiant.');
        ctx.navigate(`#/sopa/comptes-rendus/${r.id}?envoye=${Date.now()}`);
      } catch (err) {
        showError(err, 'Le compte rendu n’a pas été envoyé');
      }
    }),
  });

  const form = h('form', { class: 'app-sopa-edit', novalidate: true },
    formErrors.node,
    h('p', { class: 'fr-text--sm' }, 'Rédigez ce compte rendu avec l’étudiant. Vous pouvez l’enregistrer en brouillon et y revenir ; il est envoyé au gestionnaire de scolarité du site INSPÉ et à l’étudiant quand vous le décidez.'),
    fields.absences_half_days.group,
    h('section', { class: 'app-sopa-part', 'aria-labelledby': 'cr-etapes' },
      h('h2', { id: 'cr-etapes', class: 'fr-h5' }, STEPS_TITLE),
      fields.step.fieldset),
    h('section', { class: 'app-sopa-part', 'aria-labelledby': 'cr-objectifs' },
      h('h2', { id: 'cr-objectifs', class: 'fr-h5' }, '2- Objectifs de formation et 3- Commentaires'),
      h('p', { class: 'fr-text--sm' }, 'Voici les objectifs de formation, lors des stages, dans votre classe, en fonction des différentes étapes expérimentées par le stagiaire. Ajoutez vos commentaires sous les objectifs visés.'),
      h('div', { class: 'app-sopa-columns' },
        h('div', null, h('h3', { class: 'fr-h6' }, 'Pour les étapes 1 et 2'), list(STEP_OBJECTIVES[12]), fields.comments_steps_12.group),
        h('div', null, h('h3', { class: 'fr-h6' }, 'Pour les étapes 3 et 4'), list(STEP_OBJECTIVES[34]), fields.comments_steps_34.group)),
      h('div', { class: 'app-sopa-columns' }, fields.sessions_led.group, fields.sessions_designed.group)),
    h('section', { class: 'app-sopa-part', 'aria-labelledby': 'cr-ethique' },
      h('h2', { id: 'cr-ethique', class: 'fr-h5' }, '4- Éthique professionnelle'),
      h('p', { class: 'fr-text--sm' }, ETHICS_INTRO, ` Les descripteurs affichés sont ceux des stages ${pair === 12 ? '1 et 2' : '3 et 4'}.`),
      ethics.map((f) => f.fieldset)),
    h('section', { class: 'app-sopa-part', 'aria-labelledby': 'cr-conseils' },
      h('h2', { id: 'cr-conseils', class: 'fr-h5' }, `5- ${ADVICE_QUESTION}`),
      advice.map((f) => f.group)),
    buttonGroup([saveButton, send], { extra: 'fr-btns-group--icon-left fr-mt-2w' }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearAll();
    whileBusy(saveButton, async () => {
      if (await save()) {
        status.show('success', null, `Brouillon enregistré à ${new Intl.DateTimeFormat('fr-FR', { timeStyle: 'short' }).format(new Date())}.`);
      }
    });
  });
  draft = keepDraft(form, ctx.me, 'sopa-compte-rendu', r.id);
  return form;
}

// ------------------------------------------------------------ read-only

function readOnly(ctx, r, errors) {
  const pair = stagePair(r.period.stage);
  const rating = (code) => r.ethics?.find((e) => e.competence === code)?.rating || null;
  const latest = !r.versions?.length || Math.max(...r.versions.map((v) => v.number)) === r.number;
  const canCorrect = r.state === 'sent' && isHost(r, ctx.me) && latest;
  const correct = canCorrect ? button('Corriger le compte rendu', {
    kind: 'secondary', icon: 'edit-line',
    onClick: (event) => whileBusy(event.currentTarget, async () => {
      try {
        const created = await api.post(`/sopa/reports/${encodeURIComponent(r.id)}/correction`, {});
        setFlash('success', `La version ${created.number} est un brouillon copié de la version envoyée, qui reste conservée.`);
        ctx.navigate(`#/sopa/comptes-rendus/${created.id}`);
      } catch (err) {
        errors.error(err, 'La correction n’a pas pu être commencée');
        focusRegion(errors);
      }
    }),
  }) : null;
  return h('div', { class: 'app-sopa-read' },
    buttonGroup([button('Imprimer', { icon: 'printer-line', onClick: () => window.print() }), correct], { extra: 'fr-btns-group--icon-left app-no-print' }),
    facts([['Nombre de ½ journées d’absence', r.absences_half_days ?? '—']], 'app-sopa-head'),
    h('section', { class: 'app-sopa-part', 'aria-labelledby': 'cr-etapes' },
      h('h2', { id: 'cr-etapes', class: 'fr-h5' }, STEPS_TITLE),
      h('p', { class: 'fr-text--xs' }, STEPS_HINT),
      h('ul', { class: 'app-sopa-steps-read' }, STEPS.map((s) => h('li', { class: r.step === s.step ? 'app-sopa-chosen' : null },
        h('span', { class: 'fr-text--bold' }, `Étape ${s.step}`, r.step === s.step ? ' – étape atteinte' : ''),
        list(s.activities)))),
      r.step ? null : h('p', { class: 'app-empty' }, 'Étape non renseignée.')),
    h('section', { class: 'app-sopa-part', 'aria-labelledby': 'cr-objectifs' },
      h('h2', { id: 'cr-objectifs', class: 'fr-h5' }, '2- Objectifs de formation et 3- Commentaires'),
      h('div', { class: 'app-sopa-columns' },
        h('div', null, h('h3', { class: 'fr-h6' }, 'Pour les étapes 1 et 2'), list(STEP_OBJECTIVES[12]),
          h('h4', { class: 'app-sopa-label' }, 'Commentaires sur l’acquisition de ces objectifs pour les étapes 1 et 2'), textBlock(r.comments_steps_12)),
        h('div', null, h('h3', { class: 'fr-h6' }, 'Pour les étapes 3 et 4'), list(STEP_OBJECTIVES[34]),
          h('h4', { class: 'app-sopa-label' }, 'Commentaires sur l’acquisition de ces objectifs pour les étapes 3 et 4'), textBlock(r.comments_steps_34))),
      facts([['Nombre de séances animées', r.sessions_led ?? '—'], ['Nombre de séances conçues', r.sessions_designed ?? '—']], 'app-sopa-counts')),
    h('section', { class: 'app-sopa-part', 'aria-labelledby': 'cr-ethique' },
      h('h2', { id: 'cr-ethique', class: 'fr-h5' }, '4- Éthique professionnelle'),
      h('p', { class: 'fr-text--xs' }, ETHICS_INTRO, ` Descripteurs des stages ${pair === 12 ? '1 et 2' : '3 et 4'}.`),
      ethicsGrid(pair, rating)),
    h('section', { class: 'app-sopa-part', 'aria-labelledby': 'cr-conseils' },
      h('h2', { id: 'cr-conseils', class: 'fr-h5' }, `5- ${ADVICE_QUESTION}`),
      r.advice?.length
        ? h('ol', { class: 'app-sopa-advice' }, r.advice.map((a) => h('li', { class: 'app-prewrap' }, a.text)))
        : h('p', { class: 'app-empty' }, 'Aucun conseil renseigné.')));
}

/** The grid as a table: one row per competence, the chosen rating marked. */
function ethicsGrid(pair, rating) {
  return h('div', { class: 'app-sopa-grid-wrap' },
    h('table', { class: 'app-sopa-grid' },
      h('caption', { class: 'fr-sr-only' }, 'Grille d’évaluation de l’éthique professionnelle'),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'Compétence'),
        RATINGS.map((rt) => h('th', { scope: 'col' }, rt.label)))),
      h('tbody', null, ETHICS.map((c) => {
        const chosen = rating(c.code);
        return h('tr', null,
          h('th', { scope: 'row' }, c.label, c.also ? [h('br'), c.also] : null,
            chosen ? null : h('span', { class: 'app-sopa-grid__answer' }, h('br'), 'Non évalué')),
          RATINGS.map((rt) => {
            const texts = rt.value === 'acquis' ? c.descriptors.acquis[pair] : c.descriptors[rt.value];
            return h('td', { class: chosen === rt.value ? 'app-sopa-chosen' : null, dataset: { label: rt.label } },
              chosen === rt.value ? h('p', { class: 'fr-text--bold fr-mb-1v app-sopa-mark' }, `☒ ${rt.label}`) : h('p', { class: 'fr-mb-1v app-sopa-mark', 'aria-hidden': 'true' }, '☐'),
              list(texts, 'app-sopa-hint-list'));
          }));
      }))));
}

function versions(r) {
  if (!r.versions?.length || r.versions.length < 2) return null;
  return h('section', { class: 'app-no-print fr-mt-4w', 'aria-labelledby': 'cr-versions' },
    h('h2', { id: 'cr-versions', class: 'fr-h5' }, 'Versions du compte rendu'),
    h('ul', null, [...r.versions].sort((a, b) => a.number - b.number).map((v) => h('li', null,
      v.id === r.id
        ? h('span', { 'aria-current': 'page' }, `Version ${v.number} (cette page)`)
        : h('a', { href: `#/sopa/comptes-rendus/${v.id}` }, `Version ${v.number}`),
      ` – ${v.sent_at ? `envoyée le ${formatMoment(v.sent_at)}` : 'brouillon'}`))));
}

