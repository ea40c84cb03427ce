// « Mes bilans et résultat » (the trainee) / « Bilans et résultat » (tutors):
// the bilans intermédiaire and final with their state; the note (M2A) or
// avis (DU, M2B) of the tuteur Inspé with the suggestion computed by the
// server; in the 1er degré the tuteur terrain's disagreement (signalled to
// the IEN); in M2B the tuteur académique's end-of-year rapport.
// GET/POST /api/v1/enrolments/{id}/bilans, GET/PUT …/result,
// PUT …/result/disagreement, PUT …/report, GET /api/v1/conversion-rules

import { api, request, ApiError } from '../../api.js';
import { h, replace } from '../../dom.js';
import { confirmButton } from '../../confirm.js';
import {
  pageTitle, breadcrumb, liveRegion, showFlash, setFlash, button, whileBusy, focusRegion, rowHeader,
  textField, selectField,
} from '../../ui.js';
import {
  loadOr404, loadEnrolment, isTutor, isTrainee, dossierCrumbs, dossierHref, traineeName, personName,
  formatDateTime, formatDate, textareaField, textBlock, describeWriteError, renderNotFound, bilanKindLabel,
  BILAN_KINDS, versionOf, terrainLabel, avisLabel, noteLabel,
  wrapTable,
  lowerFirst,
} from './common.js';

export async function render(ctx) {
  const loaded = await loadOr404(ctx, () => loadEnrolment(ctx.params.id));
  if (!loaded || !ctx.current) return;
  const { enrolment } = loaded;
  // The trio, and the pilots who read (an IEN who received a disagreement).
  if (!isTutor(enrolment) && !isTrainee(enrolment) && enrolment.relation !== 'pilot') {
    renderNotFound(ctx, { back: dossierHref(enrolment), backLabel: 'Retour' });
    return;
  }
  const trainee = isTrainee(enrolment);
  const eid = encodeURIComponent(enrolment.id);
  const usesNote = enrolment.parcours === 'M2A';
  const m2b = enrolment.parcours === 'M2B';
  const firstDegree = Number(enrolment.degre) === 1;

  const title = trainee ? 'Mes bilans et résultat' : `Bilans et résultat – ${traineeName(enrolment)}`;
  const notices = liveRegion('status');
  const bilansZone = h('div');
  const resultZone = h('div');
  ctx.root.append(
    breadcrumb([...dossierCrumbs(enrolment), { label: 'Bilans et résultat' }]),
    pageTitle(title),
    notices.node,
    h('section', { 'aria-labelledby': 'bilans-titre' }, h('h2', { id: 'bilans-titre', tabindex: '-1' }, 'Bilans de compétences'), bilansZone),
    h('section', { class: 'fr-mt-6w', 'aria-labelledby': 'resultat-titre' },
      h('h2', { id: 'resultat-titre', tabindex: '-1' }, usesNote ? 'Note de l’UE alternance' : (m2b ? 'Avis pour l’UE Stage et mémoire' : 'Avis du tuteur Inspé')),
      resultZone));
  showFlash(notices);
  ctx.setTitle(title);

  let bilans = [];
  let result = null;
  let resultVersion = null;
  let suggestion = null;
  let rules = [];
  let report = null;
  try {
    const [b, r, c, t] = await Promise.all([
      api.get(`/enrolments/${eid}/bilans`),
      request('GET', `/enrolments/${eid}/result`),
      api.get('/conversion-rules').catch(() => ({ items: [] })),
      m2b ? api.get(`/enrolments/${eid}/timeline`).catch(() => null) : null,
    ]);
    report = t?.report ?? null;
    bilans = b?.items || [];
    result = r.data?.result ?? null;
    suggestion = r.data?.suggestion ?? null;
    resultVersion = result ? (result.version ?? r.etag) : null;
    rules = (c?.items || []).filter((x) => x.parcours === enrolment.parcours);
  } catch (err) {
    if (!ctx.current) return;
    replace(bilansZone, h('div', { class: 'fr-alert fr-alert--error' }, h('p', null, describeWriteError(err))));
    return;
  }
  if (!ctx.current) return;
  drawBilans();
  drawResult();

  // ----------------------------------------------------------- bilans

  function drawBilans() {
    const latest = new Map();
    for (const b of bilans) {
      const cur = latest.get(b.kind);
      if (!cur || Number(b.revision) > Number(cur.revision)) latest.set(b.kind, b);
    }
    const shown = [...bilans].sort((a, b) => String(a.kind).localeCompare(String(b.kind)) || Number(b.revision) - Number(a.revision));
    const region = liveRegion('alert');
    const creators = tutor() ? BILAN_KINDS.filter((k) => !latest.has(k)).map((kind) => {
      const btn = button(`Ouvrir le ${lowerFirst(bilanKindLabel(kind))}`, { kind: 'secondary', icon: 'add-line' });
      btn.addEventListener('click', () => whileBusy(btn, async () => {
        region.clear();
        let res;
        try {
          res = await request('POST', `/enrolments/${eid}/bilans`, { body: { kind } });
        } catch (err) {
          if (!ctx.current) return;
          region.show('error', 'Le bilan n’a pas été ouvert', describeWriteError(err));
          focusRegion(region);
          return;
        }
        const newId = res.data?.id ?? res.headers.get('Location')?.split('/').pop();
        setFlash('success', `${bilanKindLabel(kind)} ouvert : les deux tuteurs peuvent le remplir.`);
        ctx.navigate(`#/bilans/${encodeURIComponent(newId)}?dossier=${eid}`);
      }));
      return btn;
    }) : [];
    replace(bilansZone,
      trainee ? h('p', null, 'Vos deux tuteurs rédigent un bilan intermédiaire et un bilan final sur les compétences du référentiel ; chacun le valide. Vous les voyez ici.') : null,
      region.node,
      shown.length
        ? wrapTable({
          caption: 'Bilans et leurs versions',
          columns: [{ label: 'Bilan' }, { label: 'Version' }, { label: 'État' }, { label: 'Échéance' }],
          rows: shown.map((b) => [
            rowHeader(h('a', { href: `#/bilans/${encodeURIComponent(b.id)}?dossier=${eid}` }, bilanKindLabel(b.kind))),
            String(b.revision ?? 1),
            b.superseded ? h('p', { class: 'fr-badge fr-badge--sm' }, 'Remplacé par une version corrigée')
              : b.frozen ? h('p', { class: 'fr-badge fr-badge--success fr-badge--sm' }, 'Figé')
              : h('span', null, h('p', { class: 'fr-badge fr-badge--info fr-badge--sm' }, 'En cours'),
                h('span', { class: 'fr-text--xs app-block' }, validationSummary(b))),
            b.due_on ? formatDate(b.due_on) : '—',
          ]),
        })
        : h('p', { class: 'app-empty' }, 'Aucun bilan n’est encore ouvert.'),
      creators.length ? h('ul', { class: 'fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left' }, creators.map((c) => h('li', null, c))) : null);
  }

  function validationSummary(b) {
    const parts = [];
    if (b.validated_terrain) parts.push(`validé par le ${lowerFirst(terrainLabel(enrolment))}`);
    if (b.validated_inspe) parts.push('validé par le tuteur Inspé');
    return parts.length ? parts.join(', ') : 'aucune validation';
  }

  function tutor() { return isTutor(enrolment); }

  // ----------------------------------------------------------- result

  function drawResult() {
    const parts = [];
    const value = result ? (usesNote ? result.note : result.avis) : null;
    const label = usesNote ? 'Note' : 'Avis';

    if (enrolment.relation === 'tuteur_inspe') {
      parts.push(resultForm());
    } else if (value != null && value !== '') {
      parts.push(h('p', { class: 'app-result' }, `${label} du tuteur Inspé : `, h('strong', null, usesNote ? noteLabel(value) : avisLabel(value))),
        result.comment ? textBlock(result.comment) : null,
        recordedText() ? h('p', { class: 'fr-text--sm' }, recordedText()) : null);
    } else {
      parts.push(h('p', { class: 'app-empty' }, usesNote
        ? 'Le tuteur Inspé n’a pas encore rendu la note. Elle est établie à partir du bilan final, une fois celui-ci validé par les deux tuteurs.'
        : 'Le tuteur Inspé n’a pas encore rendu son avis. Il est établi à partir du bilan final, une fois celui-ci validé par les deux tuteurs.'));
    }

    // Disagreement of the tuteur terrain (1er degré), signalled to the IEN.
    const disagreement = disagreementOf(result);
    if (firstDegree && (enrolment.relation === 'tuteur_terrain' || disagreement)) {
      parts.push(h('h3', { class: 'fr-mt-4w', id: 'desaccord-titre', tabindex: '-1' }, 'Désaccord avec l’avis du tuteur Inspé'));
      if (disagreement) {
        parts.push(h('div', { class: 'fr-callout fr-callout--brown-caramel' },
          h('p', { class: 'fr-callout__text fr-text--md' }, disagreement.comment || ''),
          h('p', { class: 'fr-text--sm fr-mb-0' }, `Signalé à l’IEN${disagreement.at ? ` le ${formatDateTime(disagreement.at)}` : ''}${personName(disagreement.by) ? ` par ${personName(disagreement.by)}` : ''}.`)));
      }
      if (enrolment.relation === 'tuteur_terrain') parts.push(disagreementForm(disagreement, value));
    }

    // M2B: the tuteur académique's end-of-year rapport.
    if (m2b) {
      parts.push(h('h3', { class: 'fr-mt-4w', id: 'rapport-titre', tabindex: '-1' }, 'Rapport de fin d’année du tuteur académique'));
      parts.push(reportBlock(reportOf()));
    }
    replace(resultZone, parts);
  }

  function resultForm() {
    const region = liveRegion('alert');
    const current = result ? (usesNote ? result.note : result.avis) : null;
    let field;
    if (usesNote) {
      field = textField({
        label: 'Note sur 20', name: 'note', value: current != null ? String(current).replace('.', ',') : '', required: true,
        hint: 'De 0 à 20, au demi-point près par exemple : 14,5', attrs: { inputmode: 'decimal', autocomplete: 'off' },
      });
    } else {
      const avisValues = [...new Set(rules.map((r) => r.avis).filter(Boolean))];
      field = avisValues.length
        ? selectField({ label: 'Avis', name: 'avis', placeholder: 'Choisir un avis', required: true, value: current || '', options: avisValues.map((v) => ({ value: v, label: avisLabel(v) })) })
        : textField({ label: 'Avis', name: 'avis', value: current || '', required: true, attrs: { autocomplete: 'off' } });
    }
    const suggested = suggestion ? (usesNote ? suggestion.note : suggestion.avis) : null;
    const useSuggestion = suggested != null
      ? button('Reprendre la suggestion', {
        kind: 'tertiary', size: 'sm',
        onClick: () => { field.control.value = usesNote ? String(suggested).replace('.', ',') : String(suggested); field.control.focus(); },
      })
      : null;
    const comment = textareaField({ label: 'Commentaire (facultatif)', name: 'comment', rows: 3, value: result?.comment || '' });
    const submit = h('button', { class: 'fr-btn', type: 'submit' }, current != null ? 'Enregistrer la modification' : (usesNote ? 'Enregistrer la note' : 'Enregistrer l’avis'));
    const form = h('form', { novalidate: true, class: 'app-form' },
      h('p', null, usesNote
        ? 'Sous votre responsabilité, la note de l’UE alternance (M2A), établie à partir du bilan final des deux tuteurs.'
        : 'Sous votre responsabilité, l’avis établi à partir du bilan final des deux tuteurs.'),
      suggestionBlock(),
      useSuggestion,
      region.node,
      field.group,
      comment.group,
      recordedText() ? h('p', { class: 'fr-text--sm' }, recordedText()) : null,
      submit);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      region.clear(); field.clearError();
      let raw = field.control.value.trim();
      if (!raw) { field.setError(usesNote ? 'Indiquez la note.' : 'Indiquez l’avis.'); field.control.focus(); return; }
      if (usesNote) {
        raw = raw.replace(',', '.');
        const n = Number(raw);
        if (!/^\d{1,2}(\.\d{1,2})?$/.test(raw) || !(n >= 0 && n <= 20)) {
          field.setError('Saisissez une note de 0 à 20, par exemple : 14,5');
          field.control.focus();
          return;
        }
      }
      const body = usesNote ? { note: raw } : { avis: raw };
      const text = comment.control.value.trim();
      if (text || result?.comment) body.comment = text;
      await whileBusy(submit, async () => {
        try {
          const res = await request('PUT', `/enrolments/${eid}/result`, { body, ifMatch: result ? resultVersion : undefined });
          await reloadResult(res);
        } catch (err) {
          if (!ctx.current) return;
          if (err instanceof ApiError && err.status === 412) {
            await reloadResult();
            drawResult();
            const r2 = document.querySelector('#resultat-titre');
            notices.show('warning', 'Modifié entre-temps', `Le résultat a été modifié entre-temps ; il est maintenant : ${result ? (usesNote ? noteLabel(result.note) : avisLabel(result.avis)) : 'aucun'}. Saisissez à nouveau si besoin.`);
            r2?.focus();
            return;
          }
          if (err instanceof ApiError && (err.status === 409 || err.status === 422)) {
            field.setError(err.detail || describeWriteError(err));
            field.control.focus();
            return;
          }
          region.show('error', 'Le résultat n’a pas été enregistré', describeWriteError(err));
          focusRegion(region);
          return;
        }
        drawResult();
        document.getElementById('resultat-titre')?.focus();
        notices.show('success', null, usesNote ? 'La note est enregistrée.' : 'L’avis est enregistré.');
      });
    });
    return form;
  }

  function recordedText() {
    if (!result) return null;
    const at = result.recorded_at || result.updated_at;
    const by = personName(result.recorded_by || result.author);
    if (!at && !by) return null;
    return `Enregistré${usesNote ? 'e' : ''}${at ? ` le ${formatDateTime(at)}` : ''}${by ? ` par ${by}` : ''}.`;
  }

  function suggestionBlock() {
    if (!suggestion) {
      return h('p', { class: 'fr-text--sm app-empty' }, 'Pas encore de suggestion : elle est calculée à partir du bilan final une fois celui-ci figé, avec la table de conversion de l’académie.');
    }
    const value = usesNote ? suggestion.note : suggestion.avis;
    const mean = suggestion.mean != null ? String(Math.round(Number(suggestion.mean) * 100) / 100).replace('.', ',') : null;
    return h('div', { class: 'fr-callout fr-icon-information-line' },
      h('p', { class: 'fr-callout__title fr-h6' }, usesNote ? `Note suggérée : ${noteLabel(value)}` : `Avis suggéré : ${avisLabel(value)}`),
      h('p', { class: 'fr-callout__text fr-text--sm' },
        `Calculée à partir du bilan final${mean ? ` (moyenne des niveaux : ${mean})` : ''} avec la table de conversion de l’académie. Vous restez libre de la note ou de l’avis rendu.`));
  }

  async function reloadResult(res) {
    if (res?.data && (res.data.note !== undefined || res.data.avis !== undefined || res.data.result !== undefined)) {
      const data = res.data.result !== undefined ? res.data.result : res.data;
      if (data) {
        result = data;
        resultVersion = versionOf(res, data.version);
        if (res.data.suggestion !== undefined) suggestion = res.data.suggestion;
        return;
      }
    }
    const r = await request('GET', `/enrolments/${eid}/result`);
    result = r.data?.result ?? null;
    suggestion = r.data?.suggestion ?? suggestion;
    resultVersion = result ? (result.version ?? r.etag) : null;
  }

  function disagreementOf(r) {
    if (!r) return null;
    const d = r.disagreement;
    if (!d) return null;
    if (typeof d === 'string') return { comment: d, at: r.disagreement_at, by: r.disagreement_by };
    return { comment: d.comment || d.body || '', at: d.at || d.created_at || r.disagreement_at, by: d.by || d.author };
  }

  function disagreementForm(existing, value) {
    const region = liveRegion('alert');
    if (value == null || value === '') {
      return h('p', { class: 'app-empty' }, 'Vous pourrez signaler un désaccord à l’IEN une fois l’avis du tuteur Inspé rendu.');
    }
    const field = textareaField({
      label: existing ? 'Modifier votre désaccord' : 'Votre désaccord', name: 'comment', rows: 4, required: true, value: existing?.comment || '',
      hint: 'En cas de désaccord avec l’avis du tuteur Inspé, vous le signalez à l’IEN : il en est informé et le voit dans sa liste.',
    });
    const submit = confirmButton(existing ? 'Mettre à jour le signalement' : 'Signaler le désaccord à l’IEN', {
      kind: 'secondary', size: null, icon: 'alert-line',
      title: 'Signaler ce désaccord à l’IEN ?',
      message: 'L’IEN de la circonscription ou du pôle (et le pilote du pôle) sera informé de votre désaccord et le verra dans sa liste, avec votre commentaire.',
      confirmLabel: 'Signaler',
      keepLabel: 'Ne pas signaler',
      check: () => {
        field.clearError();
        if (field.control.value.trim()) return true;
        field.setError('Expliquez votre désaccord.');
        field.control.focus();
        return false;
      },
      onConfirm: async () => {
        region.clear(); field.clearError();
        const comment = field.control.value.trim();
        if (!comment) { field.setError('Expliquez votre désaccord.'); field.control.focus(); return; }
        try {
          await request('PUT', `/enrolments/${eid}/result/disagreement`, { body: { comment } });
          await reloadResult();
        } catch (err) {
          if (!ctx.current) return;
          if (err instanceof ApiError && (err.status === 409 || err.status === 422)) {
            field.setError(err.detail || describeWriteError(err));
            field.control.focus();
            return;
          }
          region.show('error', 'Le désaccord n’a pas été signalé', describeWriteError(err));
          focusRegion(region);
          return;
        }
        if (!ctx.current) return;
        drawResult();
        document.getElementById('desaccord-titre')?.focus();
        notices.show('success', null, 'Votre désaccord est signalé à l’IEN.');
      },
    });
    return h('div', { class: 'app-form' }, region.node, field.group, submit);
  }

  function reportOf() {
    const rep = report ?? result?.report ?? null;
    if (!rep) return null;
    if (typeof rep === 'string') return { body: rep, submitted: Boolean(result?.report_submitted) };
    return rep;
  }

  function reportBlock(report) {
    if (enrolment.relation !== 'tuteur_terrain' || report?.submitted) {
      return [
        report?.submitted ? h('p', { class: 'fr-badge fr-badge--success fr-badge--sm fr-mb-2w' }, 'Transmis') : null,
        textBlock(report?.submitted || enrolment.relation === 'tuteur_terrain' ? report?.body : null, 'Le tuteur académique n’a pas encore transmis son rapport.'),
      ];
    }
    const region = liveRegion('alert');
    const done = liveRegion('status');
    const field = textareaField({
      label: 'Rapport', name: 'body', rows: 10, required: true, value: report?.body || '',
      hint: 'Le rapport de fin d’année de stage (cahier des charges des tuteurs M2B). Brouillon possible ; une fois transmis, il ne peut plus être modifié.',
    });
    const send = async (submit) => {
      region.clear(); done.clear(); field.clearError();
      if (submit && !field.control.value.trim()) { field.setError('Écrivez le rapport avant de le transmettre.'); field.control.focus(); return; }
      try {
        // If-Match once the report exists (its version); the answer is a 204.
        await request('PUT', `/enrolments/${eid}/report`, {
          body: { body: field.control.value, submit: Boolean(submit) },
          ifMatch: reportOf()?.version ?? undefined,
        });
        const t = await api.get(`/enrolments/${eid}/timeline`).catch(() => null);
        report = t?.report ?? { ...(report || {}), body: field.control.value, submitted: Boolean(submit) };
      } catch (err) {
        if (!ctx.current) return;
        if (err instanceof ApiError && (err.status === 409 || err.status === 422)) {
          field.setError(err.detail || describeWriteError(err));
          field.control.focus();
          return;
        }
        if (err instanceof ApiError && err.status === 412) {
          const t = await api.get(`/enrolments/${eid}/timeline`).catch(() => null);
          if (t) report = t.report;
          region.show('warning', 'Rapport modifié entre-temps', `Le rapport a été enregistré depuis un autre appareil. Texte enregistré : « ${reportOf()?.body || ''} ». Votre texte est gardé dans le champ : enregistrez à nouveau pour le remplacer.`);
          focusRegion(region);
          return;
        }
        region.show('error', 'Le rapport n’a pas été enregistré', describeWriteError(err));
        focusRegion(region);
        return;
      }
      if (!ctx.current) return;
      if (submit) {
        drawResult();
        document.getElementById('rapport-titre')?.focus();
        notices.show('success', null, 'Le rapport est transmis.');
      } else {
        done.show('success', null, 'Brouillon du rapport enregistré.');
      }
    };
    const draft = button('Enregistrer le brouillon', { kind: 'secondary' });
    draft.addEventListener('click', () => whileBusy(draft, () => send(false)));
    const submit = confirmButton('Transmettre le rapport', {
      kind: 'primary', size: null, icon: 'send-plane-line',
      title: 'Transmettre le rapport ?', message: 'Une fois transmis, le rapport ne pourra plus être modifié.',
      confirmLabel: 'Transmettre', onConfirm: () => send(true),
    });
    return h('div', { class: 'app-form' }, done.node, region.node, field.group,
      h('ul', { class: 'fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left' }, h('li', null, draft), h('li', null, submit)));
  }
}

