// « Mon auto-positionnement » (the trainee) / the trainee's self-assessment
// (the tutors): the competences of the trainee's category, each with the
// level scale as a radio group and an optional comment, and the priorités.
// Every revision is kept; the tutors comment.
// GET /api/v1/referentiels/{id}, GET/POST /api/v1/enrolments/{id}/self-assessments,
// POST /api/v1/self-assessments/{id}/comments

import { of } from '../../format.js';
import { keepDraft } from '../../drafts.js';
import { api } from '../../api.js';
import { h, replace, uid } from '../../dom.js';
import { pageTitle, breadcrumb, liveRegion, showFlash, button, whileBusy, focusRegion, rowHeader } from '../../ui.js';
import {
  loadOr404, loadEnrolment, referentiel, competencesFor, levelsOf, levelLabel, competenceTitle,
  isTutor, isTrainee, dossierCrumbs, dossierHref, traineeName, personName, formatDateTime, textBlock,
  textareaField, levelRadios, describeWriteError, renderNotFound, CATEGORY_LABELS,
  wrapTable,
} from './common.js';

const FAMILY_TITLES = {
  common: 'Compétences communes à tous les professeurs et personnels d’éducation',
  professeur: 'Compétences communes à tous les professeurs',
  cpe: 'Compétences spécifiques aux conseillers principaux d’éducation',
  documentaliste: 'Compétences spécifiques aux professeurs documentalistes',
};

export async function render(ctx) {
  const loaded = await loadOr404(ctx, () => loadEnrolment(ctx.params.id));
  if (!loaded || !ctx.current) return;
  const { enrolment } = loaded;
  if (!isTutor(enrolment) && !isTrainee(enrolment)) {
    renderNotFound(ctx, { back: dossierHref(enrolment), backLabel: 'Retour' });
    return;
  }
  const trainee = isTrainee(enrolment);
  const [ref, list] = await Promise.all([
    referentiel(enrolment.referentiel_id),
    api.get(`/enrolments/${encodeURIComponent(enrolment.id)}/self-assessments`),
  ]);
  if (!ctx.current) return;
  const comps = competencesFor(ref, enrolment.category);
  const byId = new Map((ref?.competences || []).map((c) => [String(c.id), c]));
  let revisions = sortRevisions(list?.items || []);

  const title = trainee ? 'Mon auto-positionnement' : `Auto-positionnement ${of(traineeName(enrolment))}`;
  const notices = liveRegion('status');
  const zone = h('div');
  ctx.root.append(
    breadcrumb([...dossierCrumbs(enrolment), { label: 'Auto-positionnement' }]),
    pageTitle(title),
    notices.node,
    h('p', null, trainee
      ? 'Positionnez-vous sur chaque compétence du référentiel (arrêté du 1er juillet 2013), avec vos deux tuteurs : cela établit votre profil et les priorités de l’année. Vous pouvez le reprendre autant de fois que nécessaire ; chaque version est conservée.'
      : 'Le positionnement du stagiaire sur chaque compétence du référentiel ; chaque version est conservée. Vos commentaires sont visibles du trio.'),
    ref ? h('p', { class: 'fr-text--sm' }, `Référentiel : ${ref.label || ref.code || ''}${ref.version ? `, version ${ref.version}` : ''} · ${CATEGORY_LABELS[enrolment.category] || enrolment.category || ''}`) : null,
    zone);
  showFlash(notices);
  ctx.setTitle(trainee ? 'Mon auto-positionnement' : `Auto-positionnement – ${traineeName(enrolment)}`);
  draw();

  function draw() {
    const latest = revisions[0] || null;
    const older = revisions.slice(1);
    replace(zone,
      trainee ? traineeForm(latest) : null,
      !trainee && latest ? revisionBlock(latest, { current: true }) : null,
      !trainee && !latest ? h('p', { class: 'app-empty' }, 'Le stagiaire n’a pas encore fait son auto-positionnement.') : null,
      trainee && latest ? h('section', { class: 'fr-mt-6w', 'aria-labelledby': 'commentaires-titre' },
        h('h2', { id: 'commentaires-titre' }, 'Commentaires de mes tuteurs'),
        commentsList(latest, 'Vos tuteurs n’ont pas encore commenté la dernière version.')) : null,
      older.length || (trainee && latest)
        ? h('section', { class: 'fr-mt-6w', 'aria-labelledby': 'versions-titre' },
          h('h2', { id: 'versions-titre' }, trainee ? 'Mes versions' : 'Versions précédentes'),
          h('div', { class: 'fr-accordions-group' },
            (trainee ? revisions : older).map((r) => accordion(
              `Version ${r.revision} du ${formatDateTime(r.created_at)}${r === latest ? ' (la plus récente)' : ''}`,
              revisionBlock(r, { current: false, headingLevel: 'h4' })))))
        : null);
  }

  // ---------------------------------------------------------- trainee

  function traineeForm(latest) {
    const region = liveRegion('alert');
    const values = new Map((latest?.items || []).map((i) => [String(i.competence_id), i]));
    const scale = levelsOf(ref);
    const groups = [];
    const rows = [];
    let family = null;
    for (const c of comps) {
      const fam = familyKey(c);
      if (fam !== family) {
        family = fam;
        groups.push(h('h3', { class: 'fr-h5 fr-mt-4w' }, FAMILY_TITLES[fam] || 'Compétences'));
      }
      const prev = values.get(String(c.id));
      const radios = levelRadios({ legend: competenceTitle(c), name: `niveau-${c.id}`, levels: scale, value: prev?.level });
      const comment = textareaField({ label: `Commentaire sur ${c.code || 'cette compétence'} (facultatif)`, name: `commentaire-${c.id}`, value: prev?.comment || '', rows: 2 });
      rows.push({ c, radios, comment });
      groups.push(h('div', { class: 'app-competence' }, radios.fieldset, comment.group));
    }
    const priorities = textareaField({
      label: 'Mes priorités', name: 'priorities', value: latest?.priorities || '', rows: 4,
      hint: 'Les priorités de formation qui serviront de cadre d’action pour vous et vos tuteurs.',
    });
    const submit = h('button', { class: 'fr-btn', type: 'submit' }, latest ? 'Enregistrer une nouvelle version' : 'Enregistrer mon auto-positionnement');
    const form = h('form', { novalidate: true, 'aria-labelledby': 'grille-titre' },
      h('h2', { id: 'grille-titre' }, latest ? `Nouvelle version (la dernière est la version ${latest.revision}, du ${formatDateTime(latest.created_at)})` : 'Ma grille'),
      h('p', { class: 'fr-text--sm' }, `Échelle : ${scale.map((l) => l.label).join(' → ')}. Un niveau par compétence ; les commentaires sont facultatifs.`),
      region.node,
      groups,
      h('div', { class: 'fr-mt-4w' }, priorities.group),
      h('div', { class: 'fr-mt-2w' }, submit));
    if (!comps.length) {
      return h('div', { class: 'fr-alert fr-alert--warning' }, h('p', null, 'Le référentiel de compétences n’est pas encore chargé pour votre académie. Prévenez le bureau des stages.'));
    }
    // The grid is long: what is chosen and typed stays on the device until saved.
    const kept = keepDraft(form, ctx.me, 'auto-positionnement', enrolment.id);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      region.clear();
      let first = null;
      for (const r of rows) {
        r.radios.clearError();
        if (r.radios.value() === null) {
          r.radios.setError('Choisissez un niveau pour cette compétence.');
          first ??= r.radios.inputs[0];
        }
      }
      if (first) {
        region.show('error', null, 'Choisissez un niveau pour chaque compétence (les compétences sans niveau sont signalées).');
        first.focus();
        return;
      }
      const body = {
        priorities: priorities.control.value,
        items: rows.map((r) => {
          const item = { competence_id: r.c.id, level: r.radios.value() };
          const text = r.comment.control.value.trim();
          if (text) item.comment = text;
          return item;
        }),
      };
      await whileBusy(submit, async () => {
        try {
          await api.post(`/enrolments/${encodeURIComponent(enrolment.id)}/self-assessments`, body);
        } catch (err) {
          if (!ctx.current) return;
          region.show('error', 'L’auto-positionnement n’a pas été enregistré', err.detail && err.status === 422 ? err.detail : describeWriteError(err));
          focusRegion(region);
          return;
        }
        kept.clear();
        try {
          const fresh = await api.get(`/enrolments/${encodeURIComponent(enrolment.id)}/self-assessments`);
          revisions = sortRevisions(fresh?.items || []);
        } catch { /* the list reloads with the page */ }
        if (!ctx.current) return;
        draw();
        const heading = document.getElementById('grille-titre');
        heading?.setAttribute('tabindex', '-1');
        heading?.focus();
        notices.show('success', null, `Votre auto-positionnement est enregistré${revisions[0] ? ` (version ${revisions[0].revision})` : ''} : vos tuteurs peuvent le lire et le commenter.`);
      });
    });
    return form;
  }

  // ---------------------------------------------------- a revision

  function revisionBlock(r, { current, headingLevel = 'h2' }) {
    const items = new Map((r.items || []).map((i) => [String(i.competence_id), i]));
    const shown = comps.length ? comps : (r.items || []).map((i) => byId.get(String(i.competence_id)) || { id: i.competence_id, code: String(i.competence_id), title: '' });
    const sub = headingLevel === 'h2' ? 'h3' : 'h5';
    return h('div', { class: 'app-revision' },
      current ? h(headingLevel, null, `Version ${r.revision} du ${formatDateTime(r.created_at)}`) : null,
      personName(r.author) ? h('p', { class: 'fr-text--sm' }, `Saisie par ${personName(r.author)}.`) : null,
      wrapTable({
        caption: `Niveaux de la version ${r.revision}`,
        columns: [{ label: 'Compétence' }, { label: 'Niveau' }, { label: 'Commentaire' }],
        rows: shown.map((c) => {
          const item = items.get(String(c.id));
          return [rowHeader(competenceTitle(c)), levelLabel(ref, item?.level), item?.comment || '—'];
        }),
      }),
      h(sub, { class: 'fr-h6' }, 'Priorités'),
      textBlock(r.priorities, 'Aucune priorité indiquée.'),
      h(sub, { class: 'fr-h6' }, 'Commentaires des tuteurs'),
      commentsList(r, 'Aucun commentaire.'),
      !trainee && current ? commentForm(r) : null);
  }

  function commentsList(r, empty) {
    const comments = r.comments || [];
    if (!comments.length) return h('p', { class: 'app-empty' }, empty);
    return h('ul', { class: 'app-comments' }, comments.map((c) => h('li', null,
      h('p', { class: 'fr-text--sm fr-mb-1v app-comments__meta' }, `${personName(c.author) || 'Tuteur'}, ${formatDateTime(c.created_at)}`),
      textBlock(c.body))));
  }

  function commentForm(r) {
    const region = liveRegion('alert');
    const field = textareaField({ label: 'Votre commentaire', name: 'body', rows: 4, required: true });
    const submit = button('Ajouter le commentaire');
    const form = h('form', { novalidate: true, class: 'app-panel fr-mt-3w', 'aria-labelledby': 'commenter-titre' },
      h('h3', { class: 'fr-h6', id: 'commenter-titre' }, `Commenter la version ${r.revision}`),
      region.node, field.group, submit);
    submit.type = 'submit';
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      region.clear(); field.clearError();
      const body = field.control.value.trim();
      if (!body) { field.setError('Écrivez votre commentaire.'); field.control.focus(); return; }
      await whileBusy(submit, async () => {
        try {
          await api.post(`/self-assessments/${encodeURIComponent(r.id)}/comments`, { body });
        } catch (err) {
          if (!ctx.current) return;
          if (err.status === 422) { field.setError(err.detail || 'Commentaire invalide.'); field.control.focus(); return; }
          region.show('error', 'Le commentaire n’a pas été ajouté', describeWriteError(err));
          focusRegion(region);
          return;
        }
        kept.clear();
        try {
          const fresh = await api.get(`/enrolments/${encodeURIComponent(enrolment.id)}/self-assessments`);
          revisions = sortRevisions(fresh?.items || []);
        } catch { /* keep the old list */ }
        if (!ctx.current) return;
        draw();
        notices.show('success', null, 'Votre commentaire est ajouté.');
        zone.querySelector('h2')?.setAttribute('tabindex', '-1');
        zone.querySelector('h2')?.focus();
      });
    });
    return form;
  }
}

function sortRevisions(items) {
  return [...items].sort((a, b) => Number(b.revision) - Number(a.revision));
}

function familyKey(c) {
  const code = String(c.code || '').toUpperCase();
  if (/^CC\d/.test(code)) return 'common';
  if (/^P\d/.test(code)) return 'professeur';
  if (/^C\d/.test(code)) return 'cpe';
  if (/^D\d/.test(code)) return 'documentaliste';
  return 'common';
}

/** A DSFR accordion (collapsed) around `content`. */
function accordion(label, content) {
  const id = uid('accordeon');
  return h('section', { class: 'fr-accordion' },
    h('h3', { class: 'fr-accordion__title' },
      h('button', { class: 'fr-accordion__btn', type: 'button', 'aria-expanded': 'false', 'aria-controls': id }, label)),
    h('div', { class: 'fr-collapse', id }, content));
}
