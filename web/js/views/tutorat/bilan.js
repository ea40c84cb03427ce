// A bilan intermédiaire or final: per competence a level and a comment,
// written by both tutors; each validates; frozen once both have; a
// correction makes a new version. The trainee reads it.
// GET/PUT /api/v1/bilans/{id} (If-Match), POST …/validate, POST …/revise

import { request, ApiError } from '../../api.js';
import { h, replace } from '../../dom.js';
import { confirmButton } from '../../confirm.js';
import { keepDraft } from '../../drafts.js';
import { pageTitle, breadcrumb, liveRegion, showFlash, setFlash, button, whileBusy, focusRegion, rowHeader } from '../../ui.js';
import {
  loadOr404, loadEnrolment, referentiel, competencesFor, levelsOf, levelLabel, competenceTitle,
  isTutor, isTrainee, dossierCrumbs, dossierHref, traineeName, personName, formatDateTime, formatDate,
  textareaField, levelRadios, describeWriteError, renderNotFound, bilanKindLabel, versionOf,
  terrainLabel, INSPE_LABEL, NOT_FOUND,
  wrapTable,
  lowerFirst,
} from './common.js';

export async function render(ctx) {
  const id = ctx.params.id;
  const state = { bilan: null, version: null };
  const loaded = await loadOr404(ctx, async () => {
    await fetchBilan();
    const enrolmentId = state.bilan.enrolment_id ?? ctx.query.get('dossier');
    if (enrolmentId == null) throw new ApiError(404, {});
    return loadEnrolment(enrolmentId);
  });
  if (!loaded || !ctx.current) return;
  const { enrolment } = loaded;
  // The trio writes and reads; the pilots (an IEN who received a
  // disagreement) read.
  if (!isTutor(enrolment) && !isTrainee(enrolment) && enrolment.relation !== 'pilot') {
    renderNotFound(ctx, { back: dossierHref(enrolment), backLabel: 'Retour' });
    return;
  }
  const tutor = isTutor(enrolment);
  const ref = await referentiel(enrolment.referentiel_id).catch(() => null);
  if (!ctx.current) return;
  const comps = competencesFor(ref, enrolment.category);
  const scale = levelsOf(ref);
  const resultHref = `#/dossiers/${encodeURIComponent(enrolment.id)}/bilans-et-resultat`;

  const notices = liveRegion('status');
  const errors = liveRegion('alert');
  const h1 = pageTitle('');
  const zone = h('div');
  ctx.root.append(
    breadcrumb([...dossierCrumbs(enrolment), { label: 'Bilans et résultat', href: resultHref }, { label: bilanKindLabel(state.bilan.kind) }]),
    h1, notices.node, errors.node, zone);
  showFlash(notices);
  draw();

  async function fetchBilan() {
    const res = await request('GET', `/bilans/${encodeURIComponent(id)}`);
    state.bilan = res.data;
    state.version = versionOf(res, res.data.version);
  }

  function titleText() {
    const b = state.bilan;
    const who = isTrainee(enrolment) ? '' : ` – ${traineeName(enrolment)}`;
    return `${bilanKindLabel(b.kind)}${b.revision > 1 ? ` (version ${b.revision})` : ''}${who}`;
  }

  function draw() {
    const b = state.bilan;
    replace(h1, titleText());
    ctx.setTitle(titleText());
    replace(zone,
      statusBlock(b),
      b.frozen || !tutor ? readOnly(b) : editForm(b));
  }

  function validationText(which) {
    const b = state.bilan;
    const v = b[`validated_${which}`];
    const at = b[`validated_${which}_at`];
    const by = b[`validated_${which}_by`];
    if (!v) return 'pas encore validé';
    if (typeof v === 'object') {
      return `validé${personName(v.by || v.person) ? ` par ${personName(v.by || v.person)}` : ''}${v.at ? ` le ${formatDateTime(v.at)}` : ''}`;
    }
    if (typeof v === 'string') return `validé le ${formatDateTime(v)}`;
    return `validé${personName(by) ? ` par ${personName(by)}` : ''}${at ? ` le ${formatDateTime(at)}` : ''}`;
  }

  function statusBlock(b) {
    const mine = enrolment.relation === 'tuteur_terrain' ? 'terrain' : 'inspe';
    return h('div', { class: 'fr-mb-3w' },
      b.frozen
        ? h('p', { class: 'fr-badge fr-badge--success' }, 'Figé : validé par les deux tuteurs')
        : h('p', { class: 'fr-badge fr-badge--info' }, 'En cours de rédaction'),
      h('ul', { class: 'app-facts fr-mt-1w' },
        h('li', null, h('span', { class: 'app-facts__label' }, `${terrainLabel(enrolment)} : `), validationText('terrain')),
        h('li', null, h('span', { class: 'app-facts__label' }, `${INSPE_LABEL} : `), validationText('inspe')),
        b.due_on ? h('li', null, h('span', { class: 'app-facts__label' }, 'À valider avant le : '), formatDate(b.due_on)) : null),
      tutor && !b.frozen && b[`validated_${mine}`]
        ? h('p', { class: 'fr-text--sm' }, 'Vous avez validé ce bilan. Toute modification efface les deux validations.')
        : null,
      h('p', { class: 'fr-text--sm app-explain', id: 'bilan-visibilite' }, visibilityText(b)));
  }

  /** When the trainee sees the bilan, as the trace screen says it of the trace. */
  function visibilityText(b) {
    if (isTrainee(enrolment)) {
      return b.frozen
        ? 'Ce bilan est définitif : vos deux tuteurs l’ont validé.'
        : 'Vos tuteurs rédigent ce bilan : vous voyez chaque enregistrement. Il devient définitif quand les deux l’ont validé.';
    }
    return b.frozen
      ? 'Le stagiaire voit ce bilan, définitif.'
      : 'Le stagiaire voit ce bilan dès qu’il est enregistré, à chaque enregistrement, avant même vos validations : il n’y a pas de brouillon caché. Votre saisie non enregistrée reste sur cet appareil seulement.';
  }

  function readOnly(b) {
    const items = new Map((b.items || []).map((i) => [String(i.competence_id), i]));
    const actions = [];
    if (tutor && b.frozen) {
      const revise = confirmButton('Corriger (nouvelle version)', {
        kind: 'secondary', size: null, icon: 'edit-line',
        title: 'Corriger ce bilan ?',
        message: `Une nouvelle version du ${lowerFirst(bilanKindLabel(b.kind))} sera créée avec les mêmes niveaux et commentaires, à valider de nouveau par les deux tuteurs. La version ${b.revision} reste conservée.`,
        confirmLabel: 'Créer une nouvelle version',
        onConfirm: async () => {
          errors.clear();
          let res;
          try {
            res = await request('POST', `/bilans/${encodeURIComponent(b.id)}/revise`);
          } catch (err) {
            if (!ctx.current) return;
            errors.show('error', 'La nouvelle version n’a pas été créée', describeWriteError(err));
            focusRegion(errors);
            return;
          }
          const newId = res.data?.id ?? res.headers.get('Location')?.split('/').pop();
          setFlash('success', 'Nouvelle version créée : corrigez puis validez-la, chacun des deux tuteurs.');
          ctx.navigate(`#/bilans/${encodeURIComponent(newId)}?dossier=${encodeURIComponent(enrolment.id)}`);
        },
      });
      actions.push(revise);
    }
    return h('div', null,
      wrapTable({
        caption: `${bilanKindLabel(b.kind)} : niveaux et commentaires`,
        columns: [{ label: 'Compétence' }, { label: 'Niveau' }, { label: 'Commentaire' }],
        rows: (comps.length ? comps : (b.items || []).map((i) => ({ id: i.competence_id, code: String(i.competence_id), title: '' }))).map((c) => {
          const item = items.get(String(c.id));
          return [rowHeader(competenceTitle(c)), levelLabel(ref, item?.level), item?.comment || '—'];
        }),
      }),
      actions.length ? h('div', { class: 'fr-mt-2w' }, actions) : null,
      h('p', { class: 'fr-mt-3w' }, h('a', { class: 'fr-link fr-icon-arrow-left-line fr-link--icon-left', href: resultHref }, 'Bilans et résultat')));
  }

  function editForm(b) {
    const region = liveRegion('alert');
    const items = new Map((b.items || []).map((i) => [String(i.competence_id), i]));
    const rows = comps.map((c) => {
      const item = items.get(String(c.id));
      const radios = levelRadios({ legend: competenceTitle(c), name: `bilan-${c.id}`, levels: scale, value: item?.level ?? '', allowEmpty: true });
      const comment = textareaField({ label: `Commentaire sur ${c.code || 'cette compétence'}`, name: `commentaire-${c.id}`, value: item?.comment || '', rows: 2 });
      return { c, radios, comment };
    });
    let dirty = false;
    const collect = () => rows
      .map((r) => ({ competence_id: r.c.id, level: r.radios.value(), comment: r.comment.control.value.trim() || null }))
      .filter((i) => i.level !== null || i.comment);

    const save = button('Enregistrer', { kind: 'secondary', icon: 'save-line' });
    const validate = button('Valider le bilan', { icon: 'check-line' });
    const form = h('form', { novalidate: true, 'aria-labelledby': 'grille-bilan-titre' },
      h('h2', { id: 'grille-bilan-titre', tabindex: '-1' }, 'Grille du bilan'),
      h('p', { class: 'fr-text--sm' }, `Échelle : ${scale.map((l) => l.label).join(' → ')}. Rédigée par les deux tuteurs ; chacun la valide ensuite. Quand les deux ont validé, le bilan est figé.`),
      region.node,
      rows.map((r) => h('div', { class: 'app-competence' }, r.radios.fieldset, r.comment.group)),
      h('ul', { class: 'fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mt-3w' }, h('li', null, save), h('li', null, validate)));
    form.addEventListener('input', () => { dirty = true; });
    form.addEventListener('change', () => { dirty = true; });
    form.addEventListener('submit', (event) => event.preventDefault());
    // The grid is long (a screen per family of competences): every choice
    // and comment is kept on the device as it is made, until saved.
    const kept = keepDraft(form, ctx.me, 'bilan', b.id);
    if (kept.restored) dirty = true;

    async function put() {
      const body = { items: collect() };
      try {
        const res = await request('PUT', `/bilans/${encodeURIComponent(b.id)}`, { body, ifMatch: state.version });
        if (res.data && res.data.items) {
          state.bilan = res.data;
          state.version = versionOf(res, res.data.version);
        } else {
          await fetchBilan();
        }
        dirty = false;
        kept.clear();
        return true;
      } catch (err) {
        if (!ctx.current) return false;
        if (err instanceof ApiError && err.status === 412) {
          await showConflict(body.items, region);
          return false;
        }
        if (err instanceof ApiError && err.status === 409) {
          region.show('error', 'Bilan figé', err.detail || 'Ce bilan a été validé par les deux tuteurs entre-temps : il est figé.');
          focusRegion(region);
          return false;
        }
        if (err instanceof ApiError && err.status === 404) {
          region.show('error', NOT_FOUND, 'Ce bilan n’existe plus ou vous n’y avez plus accès.');
        } else {
          region.show('error', 'Le bilan n’a pas été enregistré', describeWriteError(err));
        }
        focusRegion(region);
        return false;
      }
    }

    save.addEventListener('click', () => whileBusy(save, async () => {
      region.clear();
      const hadValidation = Boolean(state.bilan.validated_terrain || state.bilan.validated_inspe);
      if (!(await put())) return;
      draw();
      document.getElementById('grille-bilan-titre')?.focus();
      notices.show('success', null, hadValidation
        ? 'Bilan enregistré. Les validations ont été effacées : chacun des deux tuteurs doit valider à nouveau.'
        : 'Bilan enregistré.');
    }));

    validate.addEventListener('click', () => whileBusy(validate, async () => {
      region.clear();
      if (dirty && !(await put())) return;
      try {
        const res = await request('POST', `/bilans/${encodeURIComponent(b.id)}/validate`, { ifMatch: state.version });
        if (res.data && res.data.items) {
          state.bilan = res.data;
          state.version = versionOf(res, res.data.version);
        } else {
          await fetchBilan();
        }
      } catch (err) {
        if (!ctx.current) return;
        if (err instanceof ApiError && err.status === 412) {
          await showConflict(collect(), region);
          return;
        }
        region.show('error', 'Le bilan n’a pas été validé', describeWriteError(err));
        focusRegion(region);
        return;
      }
      if (!ctx.current) return;
      draw();
      h1.focus();
      notices.show('success', null, state.bilan.frozen
        ? 'Bilan validé par les deux tuteurs : il est maintenant figé.'
        : 'Votre validation est enregistrée. Le bilan sera figé quand l’autre tuteur l’aura validé à son tour.');
    }));
    return form;
  }

  /** After a 412: the user's grid stays; say what the other tutor changed. */
  async function showConflict(mine, region) {
    const before = new Map((mine || []).map((i) => [String(i.competence_id), i]));
    try {
      await fetchBilan();
    } catch (err) {
      region.show('error', 'Le bilan a été modifié entre-temps', describeWriteError(err));
      focusRegion(region);
      return;
    }
    const theirs = new Map((state.bilan.items || []).map((i) => [String(i.competence_id), i]));
    const changed = comps.filter((c) => {
      const a = before.get(String(c.id));
      const t = theirs.get(String(c.id));
      return (a?.level ?? null) !== (t?.level ?? null) || (a?.comment || '') !== (t?.comment || '');
    });
    replace(region.node, h('div', { class: 'fr-alert fr-alert--warning' },
      h('h3', { class: 'fr-alert__title' }, 'Bilan modifié entre-temps par l’autre tuteur'),
      h('p', null, 'Votre grille est gardée telle que vous l’avez saisie. Voici ce qui est enregistré maintenant là où elle diffère ; enregistrez à nouveau pour remplacer par votre version.'),
      changed.length
        ? h('ul', null, changed.map((c) => {
          const t = theirs.get(String(c.id));
          return h('li', null, `${competenceTitle(c)} : ${levelLabel(ref, t?.level)}${t?.comment ? ` – « ${t.comment} »` : ''}`);
        }))
        : h('p', null, 'Les niveaux et commentaires enregistrés sont les mêmes que les vôtres.'),
      state.bilan.frozen ? h('p', null, 'Le bilan est maintenant figé.') : null));
    focusRegion(region);
  }
}
