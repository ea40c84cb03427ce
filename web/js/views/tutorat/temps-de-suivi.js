// One follow-up time (a visit, an interview…), seen by the trio; its
// sections follow the state: planned → prepared → held → debriefed, or
// cancelled.
//
//   trainee: préparer la visite (points à observer, documents), read the
//            attentes, the notes and the entretien, write « Mon retour »
//            (draft, then « Transmettre mon retour », final), read the
//            tutors' trace once published;
//   tutors:  attentes, « Notes d'observation » (autosave, local copy, 412
//            comparison), mark held, « Entretien » (→ debriefed), read the
//            trainee's feedback once sent, « Trace des tuteurs » (draft,
//            « Publier » only after the feedback: 409 feedback_required),
//            reschedule, cancel with a reason.
//
// GET/PATCH /api/v1/followups/{id}, PUT …/preparation, …/expectations,
// …/observation, …/debrief, …/feedback, …/trace, POST …/cancel,
// POST …/documents?filename=, GET/DELETE /api/v1/documents/{id}

import { request, ApiError } from '../../api.js';
import { h, replace, plural } from '../../dom.js';
import { confirmButton } from '../../confirm.js';
import {
  pageTitle, breadcrumb, liveRegion, showFlash, button, buttonLink, whileBusy, focusRegion, selectField,
} from '../../ui.js';
import {
  loadOr404, loadEnrolment, referentiel, competencesFor, levelsOf, levelLabel, competenceTitle,
  kindLabel, stateBadge, formatDateTime, whoComes, placeById, placeLabel, isTutor, isTrainee, isVisit,
  dossierCrumbs, dossierHref, traineeName, versionOf, describeWriteError, textBlock, textareaField,
  followupName, NOT_FOUND, renderNotFound, KINDS,
} from './common.js';
import { observationEditor, observationKey, leftoverCopy } from './observation.js';
import { keepDraft } from '../../drafts.js';

const MAX_BYTES = 10 * 1024 * 1024;
/** « e » for the feminine kinds (« la visite réalisée »). */
const e = (kind) => (KINDS[kind]?.f ? 'e' : '');
const ACCEPT = '.pdf,.odt,.ods,.odp,.docx,.xlsx,.pptx,.png,.jpg,.jpeg';

const DEBRIEF_FIELDS = [
  ['analyses', 'Analyses', 'À partir des faits remarquables observés.'],
  ['remediations', 'Remédiations', null],
  ['action_paths', 'Pistes d’action', null],
  ['points_appui', 'Points d’appui', null],
  ['axes_evolution', 'Axes d’évolution', null],
  ['priorities', 'Priorités jusqu’à la prochaine visite', 'Les priorités de formation qui organiseront le travail du stagiaire d’ici le prochain temps de suivi.'],
];

export async function render(ctx) {
  const id = ctx.params.id;
  const state = { followup: null, version: null, enrolment: null, ref: null };
  let observation = null;        // the notes editor, while shown
  let queue = Promise.resolve(); // the page's writes, one at a time

  const loaded = await loadOr404(ctx, async () => {
    const res = await request('GET', `/followups/${encodeURIComponent(id)}`);
    state.followup = res.data;
    state.version = versionOf(res, res.data.version);
    const { enrolment } = await loadEnrolment(state.followup.enrolment_id);
    state.enrolment = enrolment;
    return true;
  });
  if (!loaded || !ctx.current) return;
  if (!isTutor(state.enrolment) && !isTrainee(state.enrolment)) {
    renderNotFound(ctx, { back: dossierHref(state.enrolment), backLabel: 'Retour' });
    return;
  }
  const enrolment = state.enrolment;
  const tutor = isTutor(enrolment);
  try {
    state.ref = await referentiel(enrolment.referentiel_id);
  } catch { state.ref = null; /* the levels show as numbers; the rest works */ }
  if (!ctx.current) return;

  const notices = liveRegion('status');
  const errors = liveRegion('alert');
  const title = () => `${kindLabel(state.followup.kind)} du ${formatDateTime(state.followup.scheduled_at)}`;
  const h1 = pageTitle(title());
  const summary = h('div');
  const content = h('div');
  ctx.root.append(
    breadcrumb([...dossierCrumbs(enrolment), { label: followupName(state.followup, { article: false }) }]),
    h1, notices.node, errors.node, summary, content);
  showFlash(notices);
  ctx.setTitle(`${title()} – ${tutor ? traineeName(enrolment) : 'Mon année'}`);
  renderAll();

  // ------------------------------------------------------------ plumbing

  /** Runs writes one after the other, so each sends the latest version. */
  function serial(fn) {
    const run = queue.then(fn, fn);
    queue = run.catch(() => {});
    return run;
  }

  async function refresh() {
    const res = await request('GET', `/followups/${encodeURIComponent(id)}`);
    state.followup = res.data;
    state.version = versionOf(res, res.data.version);
  }

  /**
   * A write with If-Match. The new version comes from the answer (ETag or
   * the follow-up it returns), else from a fresh GET.
   */
  async function writeVersioned(method, path, body) {
    const res = await request(method, path, { body, ifMatch: state.version });
    const data = res.data && typeof res.data === 'object' ? res.data : null;
    if (data && data.id != null && 'state' in data && 'kind' in data) state.followup = data;
    if (res.etag) state.version = res.etag;
    else if (data && data.version != null && 'state' in data) state.version = data.version;
    else await refresh();
    return res;
  }

  /** A write without If-Match (feedback, trace, cancel): adopt the follow-up it returns, else GET it. */
  async function writePlain(method, path, body, ifMatch) {
    const res = await request(method, path, { body, ifMatch: ifMatch ?? undefined });
    const data = res.data && typeof res.data === 'object' ? res.data : null;
    if (data && data.id != null && 'state' in data && 'kind' in data) {
      state.followup = data;
      state.version = versionOf(res, data.version);
    } else {
      await refresh();
    }
    return res;
  }

  /** Re-draws the sections after a change of state; focus goes to `focusId`. */
  async function redraw(focusId, message) {
    if (!ctx.current) return;
    replace(h1, title());
    renderAll();
    if (message) notices.show('success', null, message);
    const target = focusId && document.getElementById(focusId);
    if (target) target.focus();
  }

  function section(idAttr, heading, ...children) {
    return h('section', { class: 'app-section fr-mt-5w', 'aria-labelledby': idAttr },
      h('h2', { id: idAttr, tabindex: '-1' }, heading), children);
  }

  /** The user's text against the server's, field by field (after a 412). */
  function conflictList(labels, mine, theirs) {
    const changed = labels.filter(([name]) => (mine[name] ?? '') !== (theirs[name] ?? ''));
    if (!changed.length) return null;
    return h('div', null,
      h('p', null, 'Ce qui est enregistré maintenant, pour les champs où votre saisie diffère :'),
      h('dl', { class: 'app-dl app-dl--stacked' }, changed.map(([name, label]) => [
        h('dt', null, label), h('dd', null, textBlock(theirs[name], '(vide)'))])));
  }

  // -------------------------------------------------------------- views

  function renderAll() {
    if (observation) { observation.dispose(); observation = null; }
    const f = state.followup;
    const place = placeById(enrolment, f.place_id);
    const editable = f.state === 'planned' || f.state === 'prepared';
    replace(summary,
      h('div', { class: 'app-summary fr-mb-2w' },
        stateBadge(f.state, f.kind, { small: false }),
        h('ul', { class: 'app-facts' },
          tutor ? h('li', null, h('span', { class: 'app-facts__label' }, 'Stagiaire : '), traineeName(enrolment)) : null,
          h('li', null, h('span', { class: 'app-facts__label' }, 'Lieu : '), place ? placeLabel(place) : 'non précisé'),
          h('li', null, h('span', { class: 'app-facts__label' }, 'Qui vient : '), whoComes(f, enrolment)))),
      tutor && editable
        ? buttonLink('Modifier la date, le lieu ou les tuteurs', `#/temps-de-suivi/${encodeURIComponent(f.id)}/modifier`, { kind: 'tertiary', size: 'sm', icon: 'edit-line' })
        : null,
      f.state === 'cancelled'
        ? h('div', { class: 'fr-alert fr-alert--info fr-mt-2w' },
          h('h2', { class: 'fr-alert__title' }, 'Temps de suivi annulé'),
          h('p', null, f.cancel_reason ? `Motif : ${f.cancel_reason}` : 'Aucun motif indiqué.'))
        : null);

    const parts = [];
    parts.push(preparationSection());
    if (tutor || f.observation_notes || f.state === 'held' || f.state === 'debriefed') parts.push(observationSection());
    parts.push(debriefSection());
    parts.push(feedbackSection());
    parts.push(traceSection());
    if (tutor && f.state !== 'cancelled' && f.state !== 'debriefed') parts.push(cancelSection());
    replace(content, parts.filter(Boolean));
  }

  // ------------------------------------------------------- preparation

  function preparationSection() {
    const f = state.followup;
    const visit = isVisit(f.kind);
    const heading = tutor ? 'Préparation' : (visit ? 'Préparer la visite' : 'Préparer ce temps de suivi');
    const region = liveRegion('alert');
    const done = liveRegion('status');
    const open = f.state === 'planned' || f.state === 'prepared';
    const blocks = [];

    // Attentes (expectations): written by a tutor, read by the trainee.
    if (tutor && open) {
      const field = textareaField({
        label: 'Attentes', name: 'expectations', value: f.expectations || '', rows: 4,
        hint: 'Facultatif. Les attendus qui s’imposent à tout enseignant débutant, au regard de la situation : compétences, exigences éthiques, didactiques, pédagogiques.',
      });
      const save = button('Enregistrer les attentes', { kind: 'secondary' });
      save.addEventListener('click', () => whileBusy(save, () => serial(async () => {
        region.clear(); done.clear(); field.clearError();
        const mine = { expectations: field.control.value };
        try {
          await writeVersioned('PUT', `/followups/${encodeURIComponent(f.id)}/expectations`, mine);
        } catch (err) {
          await handleWriteError(err, field, region, [['expectations', 'Attentes']], mine);
          return;
        }
        done.show('success', null, 'Les attentes ont été enregistrées.');
      })));
      blocks.push(h('div', { class: 'fr-mb-3w' }, field.group, save));
    } else {
      blocks.push(h('h3', { class: 'fr-h6' }, 'Attentes des tuteurs'), textBlock(f.expectations, 'Aucune attente particulière indiquée par les tuteurs.'));
    }

    // Points à observer: written by the trainee.
    if (!tutor && open) {
      const field = textareaField({
        label: 'Points à observer', name: 'points_to_observe', value: f.points_to_observe || '', rows: 6, required: true,
        hint: 'Des éléments précis et ciblés : compétences à observer, questions, préoccupations qui devront faire l’objet d’une attention particulière pendant la visite.',
      });
      const save = button(f.state === 'planned' ? 'Enregistrer la préparation' : 'Mettre à jour la préparation');
      save.addEventListener('click', () => whileBusy(save, () => serial(async () => {
        region.clear(); done.clear(); field.clearError();
        const text = field.control.value.trim();
        if (!text) {
          field.setError('Écrivez au moins un point à observer.');
          field.control.focus();
          return;
        }
        const mine = { points_to_observe: field.control.value };
        try {
          await writeVersioned('PUT', `/followups/${encodeURIComponent(f.id)}/preparation`, mine);
        } catch (err) {
          await handleWriteError(err, field, region, [['points_to_observe', 'Points à observer']], mine);
          return;
        }
        await redraw('preparation-titre', 'La préparation est enregistrée : vos tuteurs la voient.');
      })));
      blocks.push(h('div', { class: 'fr-mb-3w' }, field.group, save));
    } else {
      blocks.push(h('h3', { class: 'fr-h6' }, 'Points à observer'),
        textBlock(f.points_to_observe, tutor ? 'Le stagiaire n’a pas encore indiqué de points à observer.' : 'Aucun point à observer indiqué.'));
    }

    blocks.push(documentsBlock(open));
    return section('preparation-titre', heading,
      open && !tutor && visit
        ? h('p', null, 'Avant la visite, envoyez à vos tuteurs les documents nécessaires à la compréhension de la séance et indiquez par écrit ce que vous souhaitez qu’ils observent.')
        : null,
      done.node, region.node, blocks);
  }

  function documentsBlock(open) {
    const f = state.followup;
    const docs = [...(f.documents || [])];
    const region = liveRegion('alert');
    const done = liveRegion('status');
    const listZone = h('div');
    const me = ctx.me;

    function drawList() {
      if (!docs.length) {
        replace(listZone, h('p', { class: 'app-empty' }, 'Aucun document déposé.'));
        return;
      }
      replace(listZone, h('ul', { class: 'app-documents' }, docs.map((doc) => {
        const mineDoc = doc.uploaded_by
          ? String(doc.uploaded_by.id ?? doc.uploaded_by) === String(me.id)
          : !tutor; // without the uploader in the answer: the trainee's own documents
        return h('li', null,
          h('a', {
            class: 'fr-link fr-link--download', href: `/api/v1/documents/${encodeURIComponent(doc.id)}`, download: doc.filename || true,
          }, doc.filename || 'document', h('span', { class: 'fr-link__detail' }, fileDetail(doc))),
          mineDoc
            ? confirmButton('Supprimer', {
              srSuffix: doc.filename, icon: 'delete-line', title: 'Supprimer ce document ?',
              message: `Le document « ${doc.filename} » sera supprimé ; vos tuteurs ne pourront plus le consulter.`,
              confirmLabel: 'Supprimer le document',
              onConfirm: () => removeDoc(doc),
            })
            : null);
      })));
    }

    async function removeDoc(doc) {
      region.clear(); done.clear();
      try {
        await request('DELETE', `/documents/${encodeURIComponent(doc.id)}`);
      } catch (err) {
        if (!ctx.current) return;
        region.error(describeWriteError(err), 'Le document n’a pas été supprimé');
        focusRegion(region);
        return;
      }
      const i = docs.indexOf(doc);
      if (i >= 0) docs.splice(i, 1);
      f.documents = docs;
      drawList();
      done.show('success', null, `Le document « ${doc.filename} » a été supprimé.`);
      heading.focus();
    }

    const heading = h('h3', { class: 'fr-h6', id: 'documents-titre', tabindex: '-1' }, 'Documents de la séance');
    const parts = [heading, done.node, region.node, listZone];
    drawList();

    if (open && !tutor) {
      const inputId = 'documents-fichiers';
      const messagesId = `${inputId}-messages`;
      const input = h('input', { class: 'fr-upload', type: 'file', id: inputId, name: 'documents', multiple: true, accept: ACCEPT, 'aria-describedby': messagesId });
      const messages = h('div', { class: 'fr-messages-group', id: messagesId, 'aria-live': 'polite' });
      const group = h('div', { class: 'fr-upload-group fr-mt-2w' },
        h('label', { class: 'fr-label', for: inputId }, 'Ajouter des documents',
          h('span', { class: 'fr-hint-text' }, 'Taille maximale : 10 Mo par fichier. Formats acceptés : PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, PNG, JPEG. Plusieurs fichiers possibles.')),
        input, messages);
      const send = button('Déposer', { kind: 'secondary', icon: 'upload-line' });
      const setError = (message) => {
        group.classList.add('fr-upload-group--error');
        replace(messages, h('p', { class: 'fr-message fr-message--error' }, message));
      };
      const clearError = () => { group.classList.remove('fr-upload-group--error'); messages.replaceChildren(); };
      send.addEventListener('click', () => whileBusy(send, async () => {
        region.clear(); done.clear(); clearError();
        const files = [...(input.files || [])];
        if (!files.length) {
          setError('Choisissez d’abord un ou plusieurs fichiers.');
          input.focus();
          return;
        }
        const tooBig = files.filter((file) => file.size > MAX_BYTES);
        if (tooBig.length) {
          setError(`${tooBig.map((file) => `« ${file.name} »`).join(', ')} dépasse${tooBig.length > 1 ? 'nt' : ''} 10 Mo : réduisez ${tooBig.length > 1 ? 'ces fichiers' : 'ce fichier'} (export PDF, images compressées) puis déposez à nouveau.`);
          input.focus();
          return;
        }
        const sent = [];
        const failed = [];
        for (const file of files) {
          try {
            const res = await request('POST', `/followups/${encodeURIComponent(f.id)}/documents?filename=${encodeURIComponent(file.name)}`, {
              raw: file, rawType: file.type || 'application/octet-stream',
            });
            const doc = res.data && res.data.id != null ? res.data : { id: res.headers.get('Location')?.split('/').pop(), filename: file.name, size: file.size };
            docs.push(doc);
            sent.push(file.name);
          } catch (err) {
            failed.push(`« ${file.name} » : ${uploadError(err)}`);
            if (err instanceof ApiError && err.status === 0) break;
          }
        }
        if (!ctx.current) return;
        f.documents = docs;
        drawList();
        if (sent.length) {
          input.value = '';
          done.show('success', null, sent.length > 1 ? `${plural(sent.length, 'document déposé', 'documents déposés')} : ${sent.join(', ')}.` : `Document déposé : ${sent[0]}.`);
        }
        if (failed.length) {
          setError(failed.join(' '));
          input.focus();
        }
      }));
      parts.push(group, send);
    }
    return h('div', { class: 'app-documents-block' }, parts);
  }

  // ------------------------------------------------------ observation

  function observationSection() {
    const f = state.followup;
    const heading = 'Notes d’observation';
    if (!tutor) {
      return section('observation-titre', heading, textBlock(f.observation_notes, 'Aucune note d’observation pour le moment.'));
    }
    if (f.state === 'cancelled' || f.state === 'debriefed') {
      return section('observation-titre', heading,
        leftoverCopy(observationKey(ctx.me, f.id), f.observation_notes),
        textBlock(f.observation_notes, 'Aucune note d’observation.'));
    }
    const region = liveRegion('alert');
    observation = observationEditor({
      key: observationKey(ctx.me, f.id),
      text: f.observation_notes || '',
      isCurrent: () => ctx.current,
      label: isVisit(f.kind) ? 'Faits marquants observés pendant la séance' : 'Notes',
      send: (text, extra) => serial(() => writeVersioned('PUT', `/followups/${encodeURIComponent(f.id)}/observation`, { observation_notes: text, ...(extra || {}) })),
      fetchCurrent: async () => {
        const res = await request('GET', `/followups/${encodeURIComponent(f.id)}`);
        return { text: res.data.observation_notes || '', version: versionOf(res, res.data.version), data: res.data };
      },
      adoptVersion: (v) => { if (v != null) state.version = v; },
    });
    const editor = observation;
    const held = f.state === 'held';
    let markHeld = null;
    if (!held) {
      markHeld = button(isVisit(f.kind) ? 'Marquer la visite comme réalisée' : 'Marquer ce temps de suivi comme réalisé', { kind: 'secondary', icon: 'check-line' });
      markHeld.addEventListener('click', () => whileBusy(markHeld, async () => {
        region.clear();
        try {
          await editor.saveWith({ held: true });
        } catch (err) {
          if (!ctx.current) return;
          if (err instanceof ApiError && err.status === 0) {
            region.show('error', 'Connexion perdue', 'La visite n’a pas pu être marquée comme réalisée. Vos notes sont gardées sur cet appareil ; réessayez au retour de la connexion.');
          } else if (err instanceof ApiError && err.status === 412) {
            region.show('warning', null, 'Choisissez d’abord le texte des notes à garder, puis marquez la visite comme réalisée.');
          } else if (err instanceof ApiError) {
            region.show('error', 'La visite n’a pas été marquée comme réalisée', describeWriteError(err));
          } else {
            region.show('warning', null, 'Choisissez d’abord le texte des notes à garder, puis marquez la visite comme réalisée.');
          }
          focusRegion(region);
          return;
        }
        await redraw('entretien-titre', `${kindLabel(f.kind)} marqué${e(f.kind)} comme réalisé${e(f.kind)} : vous pouvez écrire l’entretien.`);
      }));
    }
    return section('observation-titre', heading,
      region.node,
      editor.node,
      markHeld ? h('div', { class: 'fr-mt-2w' }, markHeld) : null);
  }

  // ---------------------------------------------------------- entretien

  function debriefSection() {
    const f = state.followup;
    const heading = 'Entretien';
    const after = f.state === 'held' || f.state === 'debriefed';
    if (!tutor || f.state === 'cancelled') {
      if (f.state !== 'debriefed') return null;
      return section('entretien-titre', heading, debriefReadOnly(f));
    }
    if (!after) {
      return section('entretien-titre', heading,
        h('p', { class: 'app-empty' }, `L’entretien s’écrit une fois ${followupName(f)} réalisé${e(f.kind)} (bouton « Marquer… comme réalisé${e(f.kind)} » ci-dessus).`));
    }
    const region = liveRegion('alert');
    const done = liveRegion('status');
    const fields = {};
    for (const [name, label, hint] of DEBRIEF_FIELDS) {
      fields[name] = textareaField({ label, name, value: f[name] || '', hint, rows: 4 });
    }
    const levels = levelsEditor(f.levels || []);
    const save = button(f.state === 'debriefed' ? 'Enregistrer les modifications de l’entretien' : 'Enregistrer l’entretien');
    save.addEventListener('click', () => whileBusy(save, () => serial(async () => {
      region.clear(); done.clear();
      for (const field of Object.values(fields)) field.clearError();
      levels.clearError();
      const items = levels.value();
      if (items === null) return;
      // Empty fields are left out: the API refuses empty texts and null.
      const body = { levels: items };
      for (const name of Object.keys(fields)) {
        const text = fields[name].control.value;
        if (text.trim()) body[name] = text;
      }
      if (observation) await observation.flush();
      try {
        await writeVersioned('PUT', `/followups/${encodeURIComponent(f.id)}/debrief`, body);
      } catch (err) {
        await handleWriteError(err, fields, region, DEBRIEF_FIELDS.map(([n, l]) => [n, l]), body, { levels });
        return;
      }
      await redraw('entretien-titre', 'L’entretien est enregistré ; le stagiaire peut le lire.');
    })));
    return section('entretien-titre', heading,
      h('p', null, 'À partir des faits observés : analyses, remédiations et pistes d’action ; le niveau atteint sur les compétences travaillées ; les points d’appui, les axes d’évolution et les priorités du stagiaire jusqu’au prochain temps de suivi.'),
      done.node, region.node,
      Object.values(fields).map((field) => field.group),
      levels.node,
      h('div', { class: 'fr-mt-2w' }, save));
  }

  function debriefReadOnly(f) {
    const levels = f.levels || [];
    const comps = new Map((state.ref?.competences || []).map((c) => [String(c.id), c]));
    return [
      DEBRIEF_FIELDS.map(([name, label]) => [h('h3', { class: 'fr-h6 fr-mb-1v' }, label), textBlock(f[name])]),
      h('h3', { class: 'fr-h6 fr-mb-1v' }, 'Niveaux atteints'),
      levels.length
        ? h('ul', null, levels.map((l) => h('li', null, `${competenceTitle(comps.get(String(l.competence_id)))} : ${levelLabel(state.ref, l.level)}`)))
        : h('p', { class: 'app-empty' }, 'Aucun niveau indiqué.'),
    ];
  }

  /** Rows of (competence, level reached), added and removed at will. */
  function levelsEditor(initial) {
    const comps = competencesFor(state.ref, enrolment.category);
    const scale = levelsOf(state.ref);
    const rows = [];
    const list = h('ol', { class: 'app-level-rows' });
    const messages = h('div', { class: 'fr-messages-group', id: 'niveaux-messages', 'aria-live': 'polite' });
    const legendId = 'niveaux-legende';
    const add = button('Ajouter une compétence', { kind: 'tertiary', size: 'sm', icon: 'add-line' });
    const fieldset = h('fieldset', { class: 'fr-fieldset fr-mt-3w', 'aria-labelledby': `${legendId} niveaux-messages` },
      h('legend', { class: 'fr-fieldset__legend', id: legendId }, 'Niveaux atteints',
        h('span', { class: 'fr-hint-text' }, 'Sur les compétences travaillées pendant ce temps de suivi seulement.')),
      list, messages, h('div', { class: 'fr-fieldset__element' }, add));

    function addRow(item) {
      const n = rows.length + 1;
      const comp = selectField({
        label: `Compétence ${n}`, name: 'competence_id', placeholder: 'Choisir une compétence',
        options: comps.map((c) => ({ value: String(c.id), label: competenceTitle(c) })),
        value: item?.competence_id != null ? String(item.competence_id) : '',
      });
      const level = selectField({
        label: `Niveau atteint (compétence ${n})`, name: 'level', placeholder: 'Choisir un niveau',
        options: scale.map((l) => ({ value: String(l.rank), label: l.label })),
        value: item?.level != null ? String(item.level) : '',
      });
      const row = { comp, level, node: null };
      const remove = button('Retirer', { kind: 'tertiary', size: 'sm', icon: 'delete-line', srSuffix: `la compétence ${n}` });
      row.node = h('li', { class: 'app-level-row' },
        h('div', { class: 'fr-grid-row fr-grid-row--gutters fr-grid-row--bottom' },
          h('div', { class: 'fr-col-12 fr-col-md-7' }, comp.group),
          h('div', { class: 'fr-col-8 fr-col-md-3' }, level.group),
          h('div', { class: 'fr-col-4 fr-col-md-2' }, remove)));
      remove.addEventListener('click', () => {
        rows.splice(rows.indexOf(row), 1);
        row.node.remove();
        add.focus();
      });
      rows.push(row);
      list.append(row.node);
      return row;
    }
    for (const item of initial) addRow(item);
    add.addEventListener('click', () => addRow(null).comp.control.focus());

    return {
      node: fieldset,
      clearError() {
        fieldset.classList.remove('fr-fieldset--error');
        messages.replaceChildren();
        for (const r of rows) { r.comp.clearError(); r.level.clearError(); }
      },
      setError(message) {
        fieldset.classList.add('fr-fieldset--error');
        replace(messages, h('p', { class: 'fr-message fr-message--error' }, message));
      },
      /** The rows as [{competence_id, level}], or null (and errors shown) when incomplete. */
      value() {
        const out = [];
        let first = null;
        const seen = new Set();
        for (const r of rows) {
          const c = r.comp.control.value;
          const l = r.level.control.value;
          if (!c && !l) continue;
          if (!c) { r.comp.setError('Choisissez la compétence.'); first ??= r.comp.control; continue; }
          if (!l) { r.level.setError('Choisissez le niveau atteint.'); first ??= r.level.control; continue; }
          if (seen.has(c)) { r.comp.setError('Cette compétence figure déjà plus haut.'); first ??= r.comp.control; continue; }
          seen.add(c);
          out.push({ competence_id: Number(c), level: Number(l) });
        }
        if (first) { first.focus(); return null; }
        return out;
      },
    };
  }

  // ------------------------------------------------------------- retour

  function feedbackSection() {
    const f = state.followup;
    const fb = f.feedback;
    if (tutor) {
      // Before the time itself, there is no feedback to wait for.
      if (!fb && f.state !== 'held' && f.state !== 'debriefed') return null;
      return section('retour-titre', 'Retour du stagiaire',
        fb && fb.submitted !== false
          ? [h('p', { class: 'fr-badge fr-badge--success fr-badge--sm fr-mb-2w' }, 'Transmis'),
            h('h3', { class: 'fr-h6 fr-mb-1v' }, 'Ce que j’ai retenu'), textBlock(fb.retained),
            h('h3', { class: 'fr-h6 fr-mb-1v' }, 'Un ou deux axes d’amélioration'), textBlock(fb.axes)]
          : h('p', { class: 'app-empty' }, 'Le stagiaire n’a pas encore transmis son retour. Il l’écrit après chaque temps de suivi ; votre trace ne peut être publiée qu’ensuite.'));
    }
    const after = f.state === 'held' || f.state === 'debriefed';
    if (fb?.submitted) {
      return section('retour-titre', 'Mon retour',
        h('p', { class: 'fr-badge fr-badge--success fr-badge--sm fr-mb-2w' }, 'Transmis à mes tuteurs'),
        h('h3', { class: 'fr-h6 fr-mb-1v' }, 'Ce que j’ai retenu'), textBlock(fb.retained),
        h('h3', { class: 'fr-h6 fr-mb-1v' }, 'Un ou deux axes d’amélioration'), textBlock(fb.axes));
    }
    if (f.state === 'cancelled') return null;
    if (!after) {
      return section('retour-titre', 'Mon retour',
        h('p', { class: 'app-empty' }, 'Après ce temps de suivi, vous écrirez ici en quelques lignes ce que vous en avez retenu et un ou deux axes d’amélioration. Ce champ s’ouvre quand vos tuteurs ont indiqué que le temps de suivi a eu lieu.'));
    }
    const region = liveRegion('alert');
    const done = liveRegion('status');
    const fields = {
      retained: textareaField({ label: 'Ce que j’ai retenu', name: 'retained', value: fb?.retained || '', rows: 5, required: true }),
      axes: textareaField({ label: 'Un ou deux axes d’amélioration', name: 'axes', value: fb?.axes || '', rows: 4, required: true, hint: 'Dans la construction progressive de vos compétences professionnelles.' }),
    };
    const draft = button('Enregistrer le brouillon', { kind: 'secondary' });
    /** Both fields written? Marks the empty ones and focuses the first. */
    const complete = () => {
      let first = null;
      for (const field of [fields.retained, fields.axes]) {
        field.clearError();
        if (!field.control.value.trim()) { field.setError('Ce champ est obligatoire pour transmettre votre retour.'); first ??= field.control; }
      }
      if (first) first.focus();
      return first === null;
    };
    const sendIt = (submit) => serial(async () => {
      region.clear(); done.clear();
      fields.retained.clearError(); fields.axes.clearError();
      if (submit && !complete()) return;
      const body = { retained: fields.retained.control.value, axes: fields.axes.control.value, submit: Boolean(submit) };
      try {
        // If-Match once the feedback exists (a draft saved from another device moves it).
        await writePlain('PUT', `/followups/${encodeURIComponent(f.id)}/feedback`, body, state.followup.feedback?.version);
      } catch (err) {
        await handleWriteError(err, fields, region, [['retained', 'Ce que j’ai retenu'], ['axes', 'Axes d’amélioration']], body, { theirsOf: (x) => x.feedback });
        return;
      }
      kept?.clear();
      if (submit) {
        await redraw('retour-titre', 'Votre retour est transmis à vos tuteurs. Ils pourront ensuite publier leur trace.');
      } else {
        done.show('success', null, 'Brouillon enregistré. Vos tuteurs ne le voient pas tant que vous ne l’avez pas transmis.');
      }
    });
    draft.addEventListener('click', () => whileBusy(draft, () => sendIt(false)));
    const transmit = confirmButton('Transmettre mon retour', {
      kind: 'primary', size: null, icon: 'send-plane-line',
      title: 'Transmettre votre retour ?',
      message: 'Vos deux tuteurs pourront le lire. Une fois transmis, votre retour ne pourra plus être modifié.',
      confirmLabel: 'Transmettre',
      keepLabel: 'Revenir à mon retour',
      check: complete,
      onConfirm: () => whileBusy(transmit, () => sendIt(true)),
    });
    const node = section('retour-titre', 'Mon retour',
      h('p', null, 'En quelques lignes : ce que vous avez retenu de ce temps de suivi et un ou deux axes d’amélioration. Votre retour précède celui de vos tuteurs : ils publieront leur trace après l’avoir lu.'),
      done.node, region.node,
      fields.retained.group, fields.axes.group,
      h('ul', { class: 'fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left' }, h('li', null, draft), h('li', null, transmit)));
    // What is typed stays on the device until it is saved (drafts.js).
    const kept = keepDraft(node, ctx.me, 'retour', f.id);
    return node;
  }

  // -------------------------------------------------------------- trace

  function traceSection() {
    const f = state.followup;
    const tr = f.trace;
    if (!tutor) {
      if (!tr) {
        if (f.state === 'cancelled') return null;
        return section('trace-titre', 'Trace des tuteurs',
          h('p', { class: 'app-empty' }, f.feedback?.submitted
            ? 'Vos tuteurs n’ont pas encore publié leur trace de ce temps de suivi.'
            : 'Vos tuteurs publieront leur trace de ce temps de suivi après avoir lu votre retour.'));
      }
      return section('trace-titre', 'Trace des tuteurs',
        h('p', { class: 'fr-badge fr-badge--success fr-badge--sm fr-mb-2w' }, 'Publiée'),
        h('div', { class: 'app-trace' }, textBlock(tr.body)));
    }
    if (tr?.published) {
      return section('trace-titre', 'Trace des tuteurs',
        h('p', { class: 'fr-badge fr-badge--success fr-badge--sm fr-mb-2w' }, 'Publiée : le stagiaire la voit'),
        h('div', { class: 'app-trace' }, textBlock(tr.body)));
    }
    if (f.state === 'cancelled' && !tr) return null;
    const region = liveRegion('alert');
    const done = liveRegion('status');
    const feedbackIn = Boolean(f.feedback && f.feedback.submitted !== false);
    const field = textareaField({
      label: 'Trace des tuteurs', name: 'body', value: tr?.body || '', rows: 8,
      hint: 'Obligatoire après chaque temps de suivi ; sa forme est celle que le trio s’est donnée. Brouillon partagé entre les deux tuteurs ; le stagiaire ne la voit qu’une fois publiée.',
    });
    const draft = button('Enregistrer le brouillon', { kind: 'secondary' });
    const explainId = 'publier-explication';
    const explain = h('p', { class: 'fr-text--sm app-explain', id: explainId },
      feedbackIn
        ? 'Le stagiaire a transmis son retour : la trace peut être publiée. Une fois publiée, elle ne peut plus être modifiée.'
        : 'Publication possible seulement après le retour du stagiaire : son retour personnel précède celui des tuteurs. Vous pouvez déjà préparer le brouillon.');
    const sendIt = (publish) => serial(async () => {
      region.clear(); done.clear(); field.clearError();
      if (publish && !field.control.value.trim()) {
        field.setError('Écrivez la trace avant de la publier.');
        field.control.focus();
        return;
      }
      const body = { body: field.control.value };
      if (publish) body.publish = true;
      try {
        // If-Match once the trace exists: the two tutors write it together.
        await writePlain('PUT', `/followups/${encodeURIComponent(f.id)}/trace`, body, state.followup.trace?.version);
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          // feedback_required (the trainee has not sent their feedback) or already published.
          region.show('error', err.code === 'feedback_required' ? 'Publication refusée' : 'Opération refusée', err.detail || describeWriteError(err));
          focusRegion(region);
          return;
        }
        await handleWriteError(err, { body: field }, region, [['body', 'Trace des tuteurs']], body, { theirsOf: (x) => x.trace });
        return;
      }
      kept?.clear();
      if (publish) await redraw('trace-titre', 'La trace est publiée : le stagiaire peut la lire.');
      else done.show('success', null, 'Brouillon de la trace enregistré (visible des deux tuteurs seulement).');
    });
    draft.addEventListener('click', () => whileBusy(draft, () => sendIt(false)));
    const publish = confirmButton('Publier', {
      kind: 'primary', size: null, icon: 'send-plane-line',
      title: 'Publier la trace ?',
      message: 'Le stagiaire pourra la lire. Une fois publiée, la trace ne pourra plus être modifiée.',
      confirmLabel: 'Publier la trace',
      keepLabel: 'Revenir à la trace',
      check: () => {
        field.clearError();
        if (field.control.value.trim()) return true;
        field.setError('Écrivez la trace avant de la publier.');
        field.control.focus();
        return false;
      },
      onConfirm: () => whileBusy(publish, () => sendIt(true)),
    });
    publish.setAttribute('aria-describedby', explainId);
    if (!feedbackIn) publish.disabled = true;
    const node = section('trace-titre', 'Trace des tuteurs',
      done.node, region.node, field.group,
      h('ul', { class: 'fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mb-0' }, h('li', null, draft), h('li', null, publish)),
      explain,
      !feedbackIn ? button('Vérifier si le retour est arrivé', {
        kind: 'tertiary', size: 'sm', icon: 'refresh-line',
        onClick: async (event) => whileBusy(event.currentTarget, async () => {
          const keep = field.control.value;
          try { await refresh(); } catch (err) { region.show('error', null, describeWriteError(err)); return; }
          const arrived = Boolean(state.followup.feedback && state.followup.feedback.submitted !== false);
          await redraw(null);
          const newField = document.querySelector('textarea[name="body"]');
          if (newField && !newField.readOnly) newField.value = keep;
          (document.getElementById('trace-titre'))?.focus();
          notices.show(arrived ? 'success' : 'info', null, arrived ? 'Le stagiaire a transmis son retour : vous pouvez publier la trace.' : 'Le retour du stagiaire n’est pas encore arrivé.');
        }),
      }) : null);
    const kept = keepDraft(node, ctx.me, 'trace', f.id);
    return node;
  }

  // ------------------------------------------------------------- cancel

  function cancelSection() {
    const f = state.followup;
    const region = liveRegion('alert');
    const reason = textareaField({ label: 'Motif de l’annulation', name: 'reason', rows: 2, required: true, hint: 'Le temps de suivi reste dans le dossier, marqué annulé, avec ce motif.' });
    const cancel = confirmButton('Annuler ce temps de suivi', {
      kind: 'secondary', size: null, icon: 'close-circle-line',
      title: 'Annuler ce temps de suivi ?',
      message: `${followupName(f).replace(/^./, (c) => c.toUpperCase())} sera marqué${e(f.kind)} annulé${e(f.kind)}. Le trio le verra toujours dans le dossier, avec le motif.`,
      confirmLabel: 'Confirmer l’annulation',
      keepLabel: 'Garder ce temps de suivi',
      check: () => {
        reason.clearError();
        if (reason.control.value.trim()) return true;
        reason.setError('Indiquez le motif de l’annulation.');
        reason.control.focus();
        return false;
      },
      onConfirm: () => serial(async () => {
        region.clear(); reason.clearError();
        const text = reason.control.value.trim();
        if (!text) {
          reason.setError('Indiquez le motif de l’annulation.');
          reason.control.focus();
          return;
        }
        try {
          await writePlain('POST', `/followups/${encodeURIComponent(f.id)}/cancel`, { reason: text });
        } catch (err) {
          await handleWriteError(err, { reason }, region, [], {});
          return;
        }
        await redraw(null, 'Le temps de suivi est annulé.');
        h1.focus();
      }),
    });
    return section('annulation-titre', 'Annuler ce temps de suivi',
      region.node, reason.group, cancel);
  }

  // ------------------------------------------------------------- errors

  /**
   * Shows a failed write near its fields: 422/409 with a field under it,
   * 412 with the server's current text beside the user's (kept in the
   * form), 404 « Introuvable ou non accessible », network loss.
   */
  async function handleWriteError(err, fields, region, labels, mine, { levels, theirsOf = (x) => x } = {}) {
    if (!ctx.current) return;
    const byName = fields && fields.control ? null : fields;
    if (err instanceof ApiError && err.status === 412) {
      let theirs = null;
      try {
        await refresh();
        theirs = theirsOf(state.followup) || {};
      } catch { /* say it anyway */ }
      const diff = theirs ? conflictList(labels, mine, theirs) : null;
      replace(region.node, h('div', { class: 'fr-alert fr-alert--warning' },
        h('h3', { class: 'fr-alert__title' }, 'Modifié entre-temps'),
        h('p', null, `${tutor ? 'L’autre tuteur (ou vous-même, depuis un autre appareil) a enregistré une autre version pendant votre saisie.' : 'Une autre version a été enregistrée depuis un autre appareil pendant votre saisie.'} Votre saisie est gardée dans le formulaire : comparez avec ce qui est enregistré, puis enregistrez à nouveau pour la garder.`),
        diff));
      focusRegion(region);
      return;
    }
    if (err instanceof ApiError && err.status === 404) {
      region.show('error', NOT_FOUND, 'Ce temps de suivi n’existe plus ou vous n’y avez plus accès.');
      focusRegion(region);
      return;
    }
    if (err instanceof ApiError && (err.status === 422 || err.status === 409) && err.field) {
      const field = byName ? byName[err.field] : fields;
      if (field) {
        field.setError(err.detail || 'Valeur invalide.');
        field.control.focus();
        return;
      }
      if (/^levels/.test(err.field) && levels) {
        levels.setError(err.detail || 'Valeur invalide.');
        return;
      }
    }
    region.show('error', err instanceof ApiError && err.status === 0 ? 'Connexion perdue' : 'L’enregistrement n’a pas abouti', describeWriteError(err));
    focusRegion(region);
  }
}

function fileDetail(doc) {
  const type = String(doc.content_type || '').split('/').pop().replace('vnd.openxmlformats-officedocument.', '').replace('vnd.oasis.opendocument.', '').toUpperCase();
  const size = doc.size != null ? formatSize(doc.size) : '';
  return [type, size].filter(Boolean).join(' – ');
}
function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} octets`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} ko`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} Mo`;
}
function uploadError(err) {
  if (err instanceof ApiError) {
    if (err.status === 413) return 'fichier trop volumineux (10 Mo au plus).';
    if (err.status === 415) return err.detail || 'type de fichier non accepté (le contenu ne correspond à aucun format autorisé).';
    if (err.status === 0) return 'connexion perdue ; réessayez au retour de la connexion.';
  }
  return describeWriteError(err);
}

