// « Mes stages SOPA » (#/mes-stages), the student's space: their
// placements of the year (period and dates, school and class, host
// teacher), for each the questions and activities of its stage (the
// guide's texts), and their reports once sent. The API lists only the
// caller's own placements and gives a report only once a version is sent.
// GET /api/v1/years, GET /api/v1/sopa/placements?year_id=

import { getAll } from '../../api.js';
import { h, replace } from '../../dom.js';
import { formatDate } from '../../format.js';
import { currentYear } from '../../years.js';
import { pageTitle, breadcrumb, liveRegion } from '../../ui.js';
import { accordion, facts, periodDates, periodName, stageGuide, useStyles } from './reference.js';

const TITLE = 'Mes stages SOPA';

export async function render(ctx) {
  useStyles();
  ctx.setTitle(TITLE);
  const errors = liveRegion('alert');
  const body = h('div', null, h('p', { class: 'app-loading', role: 'status' }, 'Chargement…'));
  ctx.root.append(breadcrumb([{ label: 'Accueil', href: '#/' }, { label: TITLE }]), pageTitle(TITLE), errors.node, body);

  let placements;
  try {
    const year = await currentYear();
    placements = await getAll('/sopa/placements', { year_id: year?.id });
  } catch (err) {
    if (!ctx.current) return;
    body.replaceChildren();
    errors.error(err, 'Vos stages n’ont pas pu être chargés');
    return;
  }
  if (!ctx.current) return;
  placements.sort((a, b) => a.period.number - b.period.number);
  replace(body,
    h('p', null, 'Vos stages d’observation et de pratique accompagnée de l’année, les questions auxquelles chaque stage doit vous permettre de répondre, et le compte rendu de votre maître d’accueil temporaire dès qu’il l’a envoyé.'),
    placements.length
      ? placements.map((p) => placementCard(p))
      : h('p', { class: 'app-empty' }, 'Aucun stage ne vous est encore attribué cette année. Le secrétariat pédagogique de votre site INSPÉ vous communiquera vos affectations.'));
}

function placementCard(p) {
  const headingId = `sopa-stage-${p.id}`;
  const sent = p.report && p.report.sent_at;
  return h('section', { class: 'app-sopa-card fr-mb-4w', 'aria-labelledby': headingId },
    h('h2', { id: headingId, class: 'fr-h4' }, h('a', { href: `#/sopa/stages/${p.id}` }, periodName(p.period))),
    facts([
      ['Dates', periodDates(p.period)],
      ['École', p.school?.name],
      ['Classe', `${p.class_level || '—'}, ${p.pupils ?? '—'} élèves`],
      ['Maître d’accueil temporaire', p.mat?.display_name],
    ]),
    h('p', null, sent
      ? [h('a', { class: 'fr-link', href: `#/sopa/comptes-rendus/${p.report.id}` }, `Lire le compte rendu de stage de ${periodName(p.period)}`),
        ` (envoyé le ${formatDate(p.report.sent_at)}${p.report.number > 1 ? `, version ${p.report.number}` : ''})`]
      : h('span', { class: 'app-empty' }, `Compte rendu pas encore reçu : votre maître d’accueil l’envoie au plus tard le ${formatDate(p.period.due_on)}.`)),
    h('div', { class: 'fr-accordions-group' },
      accordion(`Objectifs et questions du stage ${p.period.stage}`, stageGuide(p.period.stage, 'h4'))));
}
