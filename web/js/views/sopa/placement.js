// One SOPA placement (#/sopa/stages/:id): the student, the school, the
// class, the period and its stage; the objectives, the observation
// questions and the activities of that stage (the guide's texts); the
// report: « Rédiger le compte rendu » for the host teacher when there is
// none, a link to it otherwise. The student sees the report once sent only
// (the API gives them nothing else).
// GET /api/v1/sopa/placements/{id}; POST /api/v1/sopa/placements/{id}/report

import { api, isNotFound } from '../../api.js';
import { h } from '../../dom.js';
import { formatDate } from '../../format.js';
import { pageTitle, breadcrumb, liveRegion, button, whileBusy, focusRegion } from '../../ui.js';
import { REPORT_STATE, facts, isHost, periodDates, periodName, stageGuide, statusBadge, useStyles } from './reference.js';

/** Where the caller came from: their own space, by role. */
export function homeCrumb(me) {
  const roles = me?.roles || [];
  if (roles.includes('mat')) return { label: 'Étudiants accueillis', href: '#/etudiants-accueillis' };
  if (roles.includes('etudiant_sopa')) return { label: 'Mes stages SOPA', href: '#/mes-stages' };
  return { label: 'Stages SOPA', href: '#/sopa' };
}

export async function render(ctx) {
  useStyles();
  const id = ctx.params.id;
  const errors = liveRegion('alert');
  const crumb = homeCrumb(ctx.me);
  let p;
  try {
    p = await api.get(`/sopa/placements/${encodeURIComponent(id)}`);
  } catch (err) {
    if (!ctx.current) return;
    ctx.setTitle('Stage SOPA');
    ctx.root.append(breadcrumb([{ label: 'Accueil', href: '#/' }, crumb, { label: 'Stage' }]), pageTitle('Stage SOPA'), errors.node);
    errors.error(err, isNotFound(err) ? 'Ce stage n’existe pas ou ne vous est pas ouvert' : 'Le stage n’a pas pu être chargé');
    return;
  }
  if (!ctx.current) return;
  const title = `${periodName(p.period)} de ${p.student.display_name}`;
  ctx.setTitle(title);
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, crumb, { label: title }]),
    pageTitle(title),
    errors.node,
    facts([
      ['Étudiant', p.student.display_name],
      ['Maître d’accueil temporaire', p.mat?.display_name],
      ['École', p.school ? `${p.school.name}${p.school.code ? ` (${p.school.code})` : ''}` : '—'],
      ['Classe', `${p.class_level || '—'}, ${p.pupils ?? '—'} élèves`],
      ['Site INSPÉ', p.site?.name],
      ['Période', `${periodName(p.period)}, ${periodDates(p.period)}`],
      ['Compte rendu attendu au plus tard le', formatDate(p.period.due_on)],
    ]),
    reportSection(ctx, p, errors),
    h('section', { 'aria-labelledby': 'sopa-stage-guide', class: 'fr-mt-4w' },
      h('h2', { id: 'sopa-stage-guide' }, `Ce que vise le stage ${p.period.stage}`),
      stageGuide(p.period.stage, 'h3')));
}

/** The report: the MAT writes it, everyone else reads it once sent. */
function reportSection(ctx, p, errors) {
  const isMat = isHost(p, ctx.me);
  const r = p.report;
  const section = h('section', { 'aria-labelledby': 'sopa-compte-rendu', class: 'fr-mt-2w' },
    h('h2', { id: 'sopa-compte-rendu' }, 'Compte rendu de stage'),
    statusBadge(p.status));
  if (r) {
    section.append(h('p', { class: 'fr-mt-1w' },
      h('a', { class: 'fr-link', href: `#/sopa/comptes-rendus/${r.id}` },
        isMat && r.state === 'draft' ? 'Continuer le compte rendu' : 'Lire le compte rendu'),
      ` (${REPORT_STATE[r.state] || r.state}, version ${r.number}${r.sent_at ? `, envoyé le ${formatDate(r.sent_at)}` : ''})`));
  } else if (isMat) {
    section.append(h('p', { class: 'fr-mt-1w' }, 'Le compte rendu se rédige avec l’étudiant, à la fin du stage ; il peut être enregistré en brouillon avant d’être envoyé.'),
      button('Rédiger le compte rendu', {
        icon: 'edit-line',
        onClick: (event) => whileBusy(event.currentTarget, async () => {
          try {
            const created = await api.post(`/sopa/placements/${p.id}/report`, {});
            ctx.navigate(`#/sopa/comptes-rendus/${created.id}`);
          } catch (err) {
            errors.error(err, 'Le compte rendu n’a pas pu être commencé');
            focusRegion(errors);
          }
        }),
      }));
  } else {
    section.append(h('p', { class: 'app-empty fr-mt-1w' }, 'Le compte rendu n’a pas encore été envoyé par le maître d’accueil.'));
  }
  return section;
}
