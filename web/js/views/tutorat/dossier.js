// A trainee's year, seen by the trio.
//   #/mon-annee     the signed-in trainee's own year (« Mon année »)
//   #/dossiers/:id  the page of one enrolment: the tutors' view of their
//                   trainee, « Mon année » again for the trainee, a summary
//                   for the managers and pilots (they see no contents).
// GET /api/v1/enrolments?year_id=, GET /api/v1/enrolments/{id},
// GET /api/v1/enrolments/{id}/timeline, GET /api/v1/followups/{id}

import { api, withQuery } from '../../api.js';
import { h, replace, plural } from '../../dom.js';
import { pageTitle, breadcrumb, buttonLink, liveRegion, showFlash, alertBox } from '../../ui.js';
import {
  loadOr404, loadEnrolment, currentYear, traineeName, relationLabel, isTutor, isTrainee,
  trioList, enrolmentDetails, checksBlock, kindLabel, stateBadge, formatDateTime, formatDate,
  whoComes, placeById, placeLabel, isVisit, isPast, followupName, bilanKindLabel,
  PARCOURS_LABELS, DEGRE_LABELS, CATEGORY_LABELS, describeWriteError,
  lowerFirst,
} from './common.js';

export async function render(ctx) {
  let enrolmentId = ctx.params.id;
  if (enrolmentId === undefined) {
    // « Mon année »: the trainee's enrolment of the current year.
    const year = await currentYear();
    const { items = [] } = await api.get(withQuery('/enrolments', { year_id: year?.id, limit: 20 }));
    const own = items.find((e) => e.relation === 'trainee') || null;
    if (!ctx.current) return;
    if (!own) {
      ctx.root.append(
        breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Mon année' }]),
        pageTitle('Mon année'),
        h('div', { class: 'fr-callout fr-my-4w' },
          h('h2', { class: 'fr-callout__title' }, 'Pas encore d’inscription'),
          h('p', { class: 'fr-callout__text' },
            `Vous n’êtes pas encore inscrit${year ? ` pour l’année ${year.label}` : ''}. Votre dossier de suivi apparaîtra ici dès que le bureau des stages aura enregistré votre inscription et désigné vos deux tuteurs.`)));
      ctx.setTitle('Mon année');
      return;
    }
    enrolmentId = own.id;
  }

  const loaded = await loadOr404(ctx, () => loadEnrolment(enrolmentId));
  if (!loaded || !ctx.current) return;
  const { enrolment } = loaded;

  if (isTrainee(enrolment)) return renderTrainee(ctx, enrolment);
  if (isTutor(enrolment)) return renderTutor(ctx, enrolment);
  return renderSummary(ctx, enrolment);
}

// ----------------------------------------------------------- shared

async function loadTimeline(enrolment) {
  const timeline = await api.get(`/enrolments/${encodeURIComponent(enrolment.id)}/timeline`);
  const followups = [...(timeline?.followups || [])];
  followups.sort((a, b) => String(a.scheduled_at || '').localeCompare(String(b.scheduled_at || '')));
  return { ...timeline, followups };
}

/** submitted / published flags of a follow-up summary, whatever their shape. */
function feedbackSubmitted(f) {
  if (typeof f.feedback_submitted === 'boolean') return f.feedback_submitted;
  if (f.feedback && typeof f.feedback === 'object') return Boolean(f.feedback.submitted);
  if (f.feedback === null) return false;
  return undefined;
}
function tracePublished(f) {
  if (typeof f.trace_published === 'boolean') return f.trace_published;
  if (f.trace && typeof f.trace === 'object') return Boolean(f.trace.published);
  if (f.trace === null) return false;
  return undefined;
}

/**
 * The summaries of the timeline may not say whether the feedback was sent:
 * then the follow-ups where it matters are read one by one.
 */
async function withFeedbackState(followups) {
  const needed = followups.filter((f) => (f.state === 'held' || f.state === 'debriefed') && feedbackSubmitted(f) === undefined);
  if (!needed.length) return followups;
  const details = await Promise.all(needed.map((f) => api.get(`/followups/${encodeURIComponent(f.id)}`).catch(() => null)));
  const byId = new Map(details.filter(Boolean).map((d) => [String(d.id), d]));
  return followups.map((f) => {
    const d = byId.get(String(f.id));
    return d ? { ...f, feedback: d.feedback, trace: d.trace } : f;
  });
}

/** The list of follow-up times, oldest first, each linking to its page. */
function timelineList(followups, enrolment, { forTrainee }) {
  if (!followups.length) {
    return h('p', { class: 'app-empty' }, forTrainee
      ? 'Aucun temps de suivi n’est encore planifié. Vos tuteurs planifieront vos visites et entretiens : ils apparaîtront ici.'
      : 'Aucun temps de suivi n’est encore planifié.');
  }
  return h('ol', { class: 'app-timeline' }, followups.map((f) => {
    const place = placeById(enrolment, f.place_id);
    const fb = feedbackSubmitted(f);
    const tr = tracePublished(f);
    const facts = [];
    if (place) facts.push(['Lieu', placeLabel(place)]);
    facts.push(['Qui vient', whoComes(f, enrolment)]);
    if (f.state !== 'cancelled' && f.state !== 'planned' && f.state !== 'prepared' && fb !== undefined) {
      facts.push([forTrainee ? 'Mon retour' : 'Retour du stagiaire', fb ? 'transmis' : 'pas encore transmis']);
    }
    if ((f.state === 'held' || f.state === 'debriefed' || tr) && tr !== undefined && (tr || !forTrainee)) {
      facts.push(['Trace des tuteurs', tr ? 'publiée' : 'pas encore publiée']);
    }
    return h('li', { class: ['app-timeline__item', `app-timeline__item--${f.state}`] },
      h('div', { class: 'app-timeline__head' },
        h('h3', { class: 'fr-h6 fr-mb-1v' },
          h('a', { href: `#/temps-de-suivi/${encodeURIComponent(f.id)}` }, `${kindLabel(f.kind)} – ${formatDateTime(f.scheduled_at)}`)),
        stateBadge(f.state, f.kind)),
      h('ul', { class: 'app-facts fr-text--sm fr-mb-0' },
        facts.map(([label, value]) => h('li', null, h('span', { class: 'app-facts__label' }, `${label} : `), value))));
  }));
}

function header(ctx, crumbs, title) {
  ctx.root.append(breadcrumb(crumbs), pageTitle(title));
}

// ----------------------------------------------------------- trainee

async function renderTrainee(ctx, enrolment) {
  const notices = liveRegion('status');
  const errors = liveRegion('alert');
  const yearLabel = enrolment.year?.label ? ` ${enrolment.year.label}` : '';
  header(ctx, [{ label: 'Accueil', href: '#/' }, { label: 'Mon année' }], `Mon année${yearLabel}`);
  const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'app-loading', role: 'status' }, 'Chargement de votre dossier…'));
  ctx.root.append(notices.node, errors.node,
    h('p', { class: 'fr-text--lead' }, [PARCOURS_LABELS[enrolment.parcours] || enrolment.parcours, DEGRE_LABELS[enrolment.degre], CATEGORY_LABELS[enrolment.category]].filter(Boolean).join(' · ')),
    body);
  showFlash(notices);
  ctx.setTitle('Mon année');

  let timeline;
  try {
    timeline = await loadTimeline(enrolment);
    timeline.followups = await withFeedbackState(timeline.followups);
  } catch (err) {
    if (!ctx.current) return;
    body.removeAttribute('aria-busy');
    replace(body, alertBox('error', 'Votre dossier n’a pas pu être chargé', describeWriteError(err)));
    return;
  }
  if (!ctx.current) return;
  const { followups } = timeline;
  const selfAssessments = timeline.self_assessments || [];

  // The next follow-up time to come.
  const upcoming = followups.filter((f) => f.state !== 'cancelled' && f.state !== 'debriefed' && !isPast(f.scheduled_at));
  const next = upcoming[0] || null;

  // What is expected of the trainee now.
  const todo = [];
  for (const f of followups) {
    if (f.state === 'planned' && isVisit(f.kind)) {
      todo.push({ text: `Préparer ${followupName(f)} : déposer les documents de la séance et écrire les points à observer`, href: `#/temps-de-suivi/${encodeURIComponent(f.id)}` });
    }
    if ((f.state === 'held' || f.state === 'debriefed') && feedbackSubmitted(f) === false) {
      const started = f.feedback && typeof f.feedback === 'object';
      todo.push({ text: `${started ? 'Terminer et transmettre' : 'Écrire et transmettre'} mon retour sur ${followupName(f)}`, href: `#/temps-de-suivi/${encodeURIComponent(f.id)}` });
    }
  }
  if (!selfAssessments.length) {
    todo.push({ text: 'Faire mon auto-positionnement sur le référentiel de compétences, avec mes deux tuteurs', href: `#/dossiers/${encodeURIComponent(enrolment.id)}/auto-positionnement` });
  }

  body.removeAttribute('aria-busy');
  replace(body,
    h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
      h('div', { class: 'fr-col-12 fr-col-md-6' },
        h('section', { class: 'app-panel app-panel--full', 'aria-labelledby': 'trio-titre' },
          h('h2', { class: 'fr-h4', id: 'trio-titre' }, 'Mon trio'),
          trioList(enrolment))),
      h('div', { class: 'fr-col-12 fr-col-md-6' },
        h('section', { class: 'app-panel app-panel--full', 'aria-labelledby': 'prochain-titre' },
          h('h2', { class: 'fr-h4', id: 'prochain-titre' }, 'Prochain temps de suivi'),
          next
            ? [h('p', { class: 'fr-mb-1v' }, h('a', { href: `#/temps-de-suivi/${encodeURIComponent(next.id)}`, class: 'fr-link' }, `${kindLabel(next.kind)} – ${formatDateTime(next.scheduled_at)}`)),
              h('p', { class: 'fr-text--sm fr-mb-0' }, `Qui vient : ${whoComes(next, enrolment)}`),
              placeById(enrolment, next.place_id) ? h('p', { class: 'fr-text--sm fr-mb-0' }, `Lieu : ${placeLabel(placeById(enrolment, next.place_id))}`) : null]
            : h('p', { class: 'fr-mb-0' }, 'Aucun temps de suivi à venir pour le moment.')))),
    h('section', { class: 'fr-mt-4w', 'aria-labelledby': 'attendu-titre' },
      h('h2', { id: 'attendu-titre' }, 'Ce qui est attendu de moi maintenant'),
      todo.length
        ? h('ul', { class: 'app-todo' }, todo.map((t) => h('li', null, h('a', { class: 'fr-link fr-icon-arrow-right-line fr-link--icon-right', href: t.href }, t.text))))
        : h('p', null, 'Rien pour le moment : vous êtes à jour.')),
    h('section', { class: 'fr-mt-4w', 'aria-labelledby': 'suivi-titre' },
      h('h2', { id: 'suivi-titre' }, 'Mes temps de suivi'),
      timelineList(followups, enrolment, { forTrainee: true })),
    h('section', { class: 'fr-mt-4w', 'aria-labelledby': 'autres-titre' },
      h('h2', { id: 'autres-titre' }, 'Compétences, bilans et résultat'),
      h('ul', { class: 'fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left' },
        h('li', null, buttonLink('Mon auto-positionnement', `#/dossiers/${encodeURIComponent(enrolment.id)}/auto-positionnement`, { kind: 'secondary' })),
        h('li', null, buttonLink('Mes bilans et résultat', `#/dossiers/${encodeURIComponent(enrolment.id)}/bilans-et-resultat`, { kind: 'secondary' })),
        h('li', null, buttonLink('Historique de mon dossier', `#/dossiers/${encodeURIComponent(enrolment.id)}/historique`, { kind: 'tertiary' }))),
      selfAssessments.length
        ? h('p', { class: 'fr-text--sm' }, `Dernier auto-positionnement : version ${selfAssessments[0].revision}, ${formatDate(selfAssessments[0].created_at)}.`)
        : null),
    (enrolment.checks || []).length
      ? h('section', { class: 'fr-mt-4w', 'aria-labelledby': 'vigilance-titre' },
        h('h2', { id: 'vigilance-titre' }, 'Repères du suivi'),
        h('p', { class: 'fr-text--sm' }, 'Ces repères du cadrage du tutorat mixte sont signalés à vos tuteurs et à vous ; ils ne bloquent rien.'),
        checksBlock(enrolment.checks, { headingLevel: 'h3' }))
      : null);
}

// ------------------------------------------------------------- tutors

async function renderTutor(ctx, enrolment) {
  const name = traineeName(enrolment);
  const notices = liveRegion('status');
  const id = encodeURIComponent(enrolment.id);
  header(ctx, [{ label: 'Accueil', href: '#/' }, { label: 'Mes stagiaires', href: '#/mes-stagiaires' }, { label: name }], name);
  const timelineZone = h('div', { 'aria-busy': 'true' }, h('p', { class: 'app-loading', role: 'status' }, 'Chargement des temps de suivi…'));
  const selfZone = h('div');
  const bilansZone = h('div');
  ctx.root.append(
    notices.node,
    h('p', { class: 'fr-text--lead' },
      `Vous êtes ${lowerFirst(relationLabel(enrolment))} de ce stagiaire · `,
      [PARCOURS_LABELS[enrolment.parcours] || enrolment.parcours, DEGRE_LABELS[enrolment.degre], enrolment.year?.label].filter(Boolean).join(' · ')),
    checksBlock(enrolment.checks),
    h('section', { 'aria-labelledby': 'temps-titre' },
      h('div', { class: 'app-title-row app-title-row--h2' },
        h('h2', { id: 'temps-titre' }, 'Temps de suivi'),
        buttonLink('Planifier un temps de suivi', `#/dossiers/${id}/planifier`, { icon: 'calendar-event-line' })),
      timelineZone),
    h('div', { class: 'fr-grid-row fr-grid-row--gutters fr-mt-4w' },
      h('div', { class: 'fr-col-12 fr-col-md-6' },
        h('section', { class: 'app-panel app-panel--full', 'aria-labelledby': 'ap-titre' },
          h('h2', { class: 'fr-h4', id: 'ap-titre' }, 'Auto-positionnement'),
          selfZone,
          buttonLink('Voir l’auto-positionnement', `#/dossiers/${id}/auto-positionnement`, { kind: 'secondary', size: 'sm' }))),
      h('div', { class: 'fr-col-12 fr-col-md-6' },
        h('section', { class: 'app-panel app-panel--full', 'aria-labelledby': 'bilans-titre' },
          h('h2', { class: 'fr-h4', id: 'bilans-titre' }, 'Bilans et résultat'),
          bilansZone,
          buttonLink('Bilans, note ou avis', `#/dossiers/${id}/bilans-et-resultat`, { kind: 'secondary', size: 'sm' })))),
    h('section', { class: 'fr-mt-4w', 'aria-labelledby': 'trio-titre' },
      h('h2', { id: 'trio-titre' }, 'Trio et inscription'),
      h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
        h('div', { class: 'fr-col-12 fr-col-md-6' }, trioList(enrolment)),
        h('div', { class: 'fr-col-12 fr-col-md-6' }, enrolmentDetails(enrolment))),
      buttonLink('Historique du dossier', `#/dossiers/${id}/historique`, { kind: 'tertiary', size: 'sm' })));
  showFlash(notices);
  ctx.setTitle(`${name} – Mes stagiaires`);

  let timeline;
  try {
    timeline = await loadTimeline(enrolment);
  } catch (err) {
    if (!ctx.current) return;
    timelineZone.removeAttribute('aria-busy');
    replace(timelineZone, alertBox('error', 'Les temps de suivi n’ont pas pu être chargés', describeWriteError(err)));
    return;
  }
  if (!ctx.current) return;
  timelineZone.removeAttribute('aria-busy');
  const active = timeline.followups.filter((f) => f.state !== 'cancelled').length;
  replace(timelineZone,
    h('p', { class: 'fr-text--sm' }, timeline.followups.length
      ? `${plural(active, 'temps de suivi', 'temps de suivi')} hors annulations, dont ${plural(timeline.followups.filter((f) => f.kind === 'visit' && f.state !== 'cancelled').length, 'visite')}.`
      : ''),
    timelineList(timeline.followups, enrolment, { forTrainee: false }));

  const sa = timeline.self_assessments || [];
  replace(selfZone, h('p', null, sa.length
    ? `${plural(sa.length, 'version')} ; la dernière (version ${sa[0].revision}) date du ${formatDate(sa[0].created_at)}.`
    : 'Le stagiaire n’a pas encore fait son auto-positionnement.'));
  const bilans = timeline.bilans || [];
  replace(bilansZone, bilans.length
    ? h('ul', null, bilans.map((b) => h('li', null,
      h('a', { href: `#/bilans/${encodeURIComponent(b.id)}` }, `${bilanKindLabel(b.kind)}${b.revision > 1 ? ` (version ${b.revision})` : ''}`),
      ` : ${b.frozen ? 'validé par les deux tuteurs' : 'en cours'}`)))
    : h('p', null, 'Aucun bilan n’est encore ouvert.'));
}

// ------------------------------------------------ managers and pilots

function renderSummary(ctx, enrolment) {
  const name = traineeName(enrolment);
  const manager = enrolment.relation === 'manager';
  header(ctx, [{ label: 'Accueil', href: '#/' }, manager ? { label: 'Inscriptions', href: '#/inscriptions' } : null, { label: name }].filter(Boolean), name);
  ctx.root.append(
    h('p', null, 'Vous voyez l’inscription et les points de vigilance de ce stagiaire. Les temps de suivi, les écrits et les bilans ne sont visibles que par le stagiaire et ses deux tuteurs.'),
    checksBlock(enrolment.checks),
    h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
      h('div', { class: 'fr-col-12 fr-col-md-6' }, h('h2', null, 'Trio'), trioList(enrolment)),
      h('div', { class: 'fr-col-12 fr-col-md-6' }, h('h2', null, 'Inscription'), enrolmentDetails(enrolment))),
    manager ? buttonLink('Gérer l’inscription', `#/inscriptions/${encodeURIComponent(enrolment.id)}`, { kind: 'secondary' }) : null);
  ctx.setTitle(name);
}
