// « Étudiants accueillis » (#/etudiants-accueillis), the host teacher's
// (MAT) space: the reports to write first with their due dates (late ones
// flagged), the students hosted by period, the UE4 jury when named, and
// the texts of the guide (mission letter, role of the tuteur de stage,
// what each stage is for).
// GET /api/v1/years, GET /api/v1/sopa/placements?year_id=

import { getAll } from '../../api.js';
import { h, replace, srOnly } from '../../dom.js';
import { formatDate } from '../../format.js';
import { currentYear } from '../../years.js';
import { pageTitle, breadcrumb, liveRegion, alertBox } from '../../ui.js';
import {
  MISSION_LETTER, TUTOR_ROLE, STAGES, REPORT_STATE, accordion, badge, list, periodDates, periodName,
  stageGuide, statusBadge, useStyles,
} from './reference.js';

const TITLE = 'Étudiants accueillis';

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
    errors.error(err, 'Vos étudiants n’ont pas pu être chargés');
    return;
  }
  if (!ctx.current) return;
  placements.sort((a, b) => a.period.number - b.period.number || a.student.display_name.localeCompare(b.student.display_name, 'fr'));
  replace(body,
    jury(placements),
    toWrite(placements),
    hosted(placements),
    guide());
}

/** The UE4 jury of semester 2, when the gestionnaire named the MAT to it. */
function jury(placements) {
  if (!placements.some((p) => p.mat?.jury_ue4)) return null;
  return h('div', { class: 'fr-mb-3w' }, alertBox('info', 'Jury de l’oral de stage',
    'Vous êtes membre du jury de l’oral de stage (UE4 du semestre 2). Le gestionnaire de scolarité de votre site INSPÉ vous en précisera la date.'));
}

/** The reports to write: no version sent and the period over, oldest first. */
function toWrite(placements) {
  const pending = placements.filter((p) => (p.status === 'due' || p.status === 'missing'));
  return h('section', { class: 'fr-mb-4w', 'aria-labelledby': 'sopa-a-rediger' },
    h('h2', { id: 'sopa-a-rediger' }, 'Comptes rendus à rédiger'),
    pending.length
      ? h('ul', { class: 'app-sopa-todo' }, pending.map((p) => h('li', { class: 'fr-mb-1w' },
        h('a', { class: 'fr-link', href: p.report ? `#/sopa/comptes-rendus/${p.report.id}` : `#/sopa/stages/${p.id}` },
          `Compte rendu de ${p.student.display_name} – ${periodName(p.period)}`),
        ` — à envoyer au plus tard le ${formatDate(p.period.due_on)}`,
        p.report ? ' (brouillon commencé)' : '',
        p.status === 'missing' ? [' ', badge('En retard', 'error')] : null)))
      : h('p', { class: 'app-empty' }, 'Aucun compte rendu à rédiger pour l’instant.'),
    h('p', { class: 'fr-text--sm' }, 'Le compte rendu se rédige avec l’étudiant et s’envoie dans la semaine qui suit la fin du stage : le gestionnaire de scolarité du site INSPÉ et l’étudiant le reçoivent.'));
}

/** Every student hosted this year, under the heading of their period. */
function hosted(placements) {
  const periods = [...new Map(placements.map((p) => [p.period.number, p.period])).values()];
  return h('section', { class: 'fr-mb-4w', 'aria-labelledby': 'sopa-etudiants' },
    h('h2', { id: 'sopa-etudiants' }, 'Vos étudiants par période'),
    placements.length
      ? periods.map((period) => [
        h('h3', { class: 'fr-h5 fr-mb-1w' }, `${periodName(period)}, ${periodDates(period)}`),
        h('ul', { class: 'app-sopa-cards' }, placements.filter((p) => p.period.number === period.number).map((p) => h('li', { class: 'app-sopa-card' },
          h('p', { class: 'fr-text--bold fr-mb-1v' }, h('a', { href: `#/sopa/stages/${p.id}` }, p.student.display_name, srOnly(` – ${periodName(p.period)}`))),
          h('p', { class: 'fr-mb-1v' }, `${p.school?.name || '—'} – ${p.class_level || '—'}, ${p.pupils ?? '—'} élèves`),
          reportLine(p))))])
      : h('p', { class: 'app-empty' }, 'Aucun étudiant ne vous est confié cette année.'));
}

/** The report's state: the status badge, the version, the due date while not sent. */
function reportLine(p) {
  return h('div', { class: 'app-sopa-card__report' },
    statusBadge(p.status),
    p.report ? h('p', { class: 'fr-mb-0 fr-text--sm' },
      h('a', { href: `#/sopa/comptes-rendus/${p.report.id}` },
        `Compte rendu : ${(REPORT_STATE[p.report.state] || '').toLowerCase()}, version ${p.report.number}`),
      p.report.sent_at ? `, envoyé le ${formatDate(p.report.sent_at)}` : '') : null,
    p.report?.state === 'sent' ? null : h('p', { class: 'fr-mb-0 fr-text--sm' }, `À envoyer au plus tard le ${formatDate(p.period.due_on)}`));
}

/** The mission letter, the role of the tuteur de stage and the stages, as accordions. */
function guide() {
  const L = MISSION_LETTER;
  return h('section', { 'aria-labelledby': 'sopa-guide' },
    h('h2', { id: 'sopa-guide' }, 'Votre mission de tuteur de stage'),
    h('div', { class: 'fr-accordions-group' },
      accordion(L.title, [
        L.intro.map((t) => h('p', null, t)),
        h('h4', { class: 'fr-h6' }, L.missionsTitle),
        h('p', null, L.missionsIntro),
        list(L.missions),
        h('h4', { class: 'fr-h6' }, L.partnershipTitle),
        L.partnership.map((t) => h('p', null, t)),
        L.signatures.map(([name, role]) => h('p', { class: 'fr-mb-1w' }, h('span', { class: 'fr-text--bold' }, name), h('br'), role)),
      ]),
      accordion(TUTOR_ROLE.title, [
        h('p', null, TUTOR_ROLE.subtitle),
        TUTOR_ROLE.parts.map((part) => [h('h4', { class: 'fr-h6 fr-mb-1w' }, part.title), list(part.items)]),
      ]),
      Object.keys(STAGES).map((n) => accordion(`Objectifs et questions du stage ${n}`, stageGuide(Number(n), 'h4')))));
}
