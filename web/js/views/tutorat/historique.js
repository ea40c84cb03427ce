// « Historique du dossier »: who did what to a trainee's dossier, and when
// (the audit trail of the enrolment and of the records under it: never
// their content). The trio sees its own dossier's; the managers every one.
// GET /api/v1/enrolments/{id}/history?limit=&offset=

import { api, withQuery } from '../../api.js';
import { h, replace } from '../../dom.js';
import { pageTitle, breadcrumb, rowHeader, liveRegion, pagination } from '../../ui.js';
import {
  loadOr404, loadEnrolment, traineeName, personName, formatDateTime, wrapTable, dossierCrumbs,
} from './common.js';

const PAGE = 50;

/** What each audited action did, as the users say it. */
const ACTIONS = {
  'enrolment.create': 'Inscription créée',
  'enrolment.update': 'Inscription modifiée',
  'enrolment.tutors': 'Tuteur désigné ou remplacé',
  'followup.create': 'Temps de suivi planifié',
  'followup.plan': 'Temps de suivi replanifié',
  'followup.prepare': 'Préparation du stagiaire enregistrée',
  'followup.expectations': 'Attendus des tuteurs enregistrés',
  'followup.observe': 'Observation enregistrée',
  'followup.debrief': 'Entretien enregistré',
  'followup.cancel': 'Temps de suivi annulé',
  'trace.feedback_save': 'Retour du stagiaire enregistré',
  'trace.feedback_submit': 'Retour du stagiaire transmis',
  'trace.save': 'Trace des tuteurs enregistrée',
  'trace.publish': 'Trace des tuteurs publiée',
  'document.upload': 'Document déposé',
  'document.delete': 'Document retiré',
  'self_assessment.create': 'Auto-positionnement enregistré',
  'self_assessment.comment': 'Commentaire sur l’auto-positionnement',
  'bilan.create': 'Bilan ouvert',
  'bilan.update': 'Bilan modifié',
  'bilan.validate': 'Bilan validé',
  'bilan.revise': 'Bilan rouvert en nouvelle version',
  'result.record': 'Note ou avis enregistré',
  'result.disagreement': 'Désaccord signalé',
  'report.save': 'Rapport enregistré',
  'report.submit': 'Rapport transmis',
};

export async function render(ctx) {
  const loaded = await loadOr404(ctx, () => loadEnrolment(ctx.params.id));
  if (!loaded || !ctx.current) return;
  const { enrolment } = loaded;
  const name = traineeName(enrolment);
  const errors = liveRegion('alert');
  const zone = h('div', { 'aria-busy': 'true' }, h('p', { class: 'app-loading', role: 'status' }, 'Chargement de l’historique…'));
  const page = Math.max(1, Number(ctx.query?.get?.('page')) || 1);
  const title = `Historique du dossier de ${name}`;
  ctx.root.append(
    breadcrumb([...dossierCrumbs(enrolment), { label: 'Historique' }]),
    pageTitle(title),
    h('p', null, 'Qui a fait quoi dans ce dossier, et quand. Le contenu des écrits n’y figure pas : il reste dans le dossier, visible du seul trio.'),
    errors.node,
    zone);
  ctx.setTitle(`Historique – ${name}`);
  let answer;
  try {
    answer = await api.get(withQuery(`/enrolments/${encodeURIComponent(enrolment.id)}/history`, { limit: PAGE, offset: (page - 1) * PAGE }));
  } catch (err) {
    if (!ctx.current) return;
    zone.removeAttribute('aria-busy');
    replace(zone);
    errors.error(err, 'L’historique n’a pas pu être chargé');
    return;
  }
  if (!ctx.current) return;
  const { items = [], total = 0 } = answer;
  zone.removeAttribute('aria-busy');
  if (!items.length) {
    replace(zone, h('p', { class: 'app-result-count' }, 'Aucune action enregistrée.'));
    return;
  }
  const pages = Math.ceil(total / PAGE);
  replace(zone,
    h('p', { class: 'app-result-count' }, total > 1 ? `${total} actions enregistrées.` : '1 action enregistrée.'),
    wrapTable({
      caption: title,
      columns: [{ label: 'Date' }, { label: 'Action' }, { label: 'Par' }],
      rows: items.map((it) => [
        rowHeader(formatDateTime(it.at)),
        ACTIONS[it.action] || it.action,
        personName(it.actor) || 'Le service',
      ]),
    }),
    pagination({ page, pages, href: (p) => `#/dossiers/${encodeURIComponent(enrolment.id)}/historique?page=${p}`, label: 'Pages de l’historique' }));
}
