// « À faire » on the home page: what is expected of the person now, dated,
// each entry a link to where it is done (GET /api/v1/agenda). The roles
// decide the parts on the server: tutors (visits to prepare, traces to
// publish, bilans due, trainees without a visit before pôle meeting N°1),
// the trainee (visits to prepare, feedback to write), the IEN
// (disagreements to read, the next pôle meeting), the bureau des stages
// (enrolments missing a tutor), the SOPA host teacher (reports to send),
// the SOPA site's staff (reports late, per period).

import { api } from '../../api.js';
import { h } from '../../dom.js';
import { liveRegion } from '../../ui.js';
import { formatDate, formatDateTime, of, personName } from '../../format.js';
import { kindLabel, bilanKindLabel, lowerFirst } from './common.js';

const followupHref = (item) => `#/temps-de-suivi/${encodeURIComponent(item.followup_id)}`;
const resultHref = (item) => `#/dossiers/${encodeURIComponent(item.enrolment_id)}/bilans-et-resultat`;

/** The sentence, its link and its date line for one entry; null for an unknown kind. */
function describe(item, trainee) {
  const who = personName(item.trainee);
  const what = lowerFirst(kindLabel(item.followup_kind));
  switch (item.kind) {
    case 'followup_to_prepare':
      return trainee
        ? { text: `Préparer ${what === 'visite' ? 'la visite' : `ce temps de suivi (${what})`} : points à observer et documents`, href: followupHref(item), when: `le ${formatDateTime(item.date)}` }
        : { text: `Préparer ${what === 'visite' ? 'la visite' : `le temps de suivi (${what})`} ${of(who)}`, href: followupHref(item), when: `le ${formatDateTime(item.date)}` };
    case 'feedback_to_write':
      return { text: `Écrire mon retour sur ${what === 'visite' ? 'la visite' : `le temps de suivi (${what})`}`, href: followupHref(item), when: `du ${formatDateTime(item.date)}` };
    case 'trace_to_publish':
      return { text: `Publier la trace ${of(who)} : son retour est arrivé`, href: followupHref(item), when: `${kindLabel(item.followup_kind)} du ${formatDate(item.date)}` };
    case 'bilan_due':
      return {
        text: `${bilanKindLabel(item.bilan_kind)} ${of(who)} à valider`, href: resultHref(item),
        when: `${item.late ? 'en retard : attendu' : 'attendu'} pour le ${formatDate(item.date)}`, late: item.late,
      };
    case 'no_visit_before_meeting_1':
      return { text: `Aucune visite ${of(who)} avant la réunion de pôle N°1`, href: `#/dossiers/${encodeURIComponent(item.enrolment_id)}/planifier`, when: `réunion le ${formatDate(item.date)}` };
    case 'disagreement':
      return { text: `Lire le désaccord signalé sur le résultat ${of(who)}`, href: resultHref(item), when: `signalé le ${formatDateTime(item.date)}` };
    case 'pole_meeting':
      return { text: `Prochaine réunion de pôle : ${item.label}`, href: null, when: `le ${formatDate(item.date)}` };
    case 'tutor_missing':
      return { text: `Désigner le ${item.role === 'tuteur_terrain' ? 'tuteur terrain' : 'tuteur Inspé'} ${of(who)}`, href: `#/inscriptions/${encodeURIComponent(item.enrolment_id)}`, when: `inscription du ${formatDate(item.date)}` };
    // SOPA (docs/sopa.md): the host teacher's report to send within the week.
    case 'sopa_report_due':
      return {
        text: `Envoyer le compte rendu de stage ${of(personName(item.student))}`, href: `#/sopa/stages/${encodeURIComponent(item.placement_id)}`,
        when: `${item.late ? 'en retard : attendu' : 'attendu'} pour le ${formatDate(item.date)}`, late: item.late,
      };
    // SOPA: a site's reports not received within the week, per period.
    case 'sopa_reports_late':
      return {
        text: `${item.count > 1 ? `${item.count} comptes rendus` : '1 compte rendu'} de stage en retard – SOPA ${item.period}, ${item.site_name}`,
        href: `#/sopa?site=${encodeURIComponent(item.site_id)}&periode=${encodeURIComponent(item.period)}`,
        when: `${item.count > 1 ? 'attendus' : 'attendu'} le ${formatDate(item.date)}`, late: true,
      };
    default:
      return null;
  }
}

/** The « À faire » section, filled once the agenda is read. */
export function agendaSection(me) {
  const trainee = (me.roles || []).includes('stagiaire');
  const errors = liveRegion('alert');
  const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'app-loading' }, 'Chargement…'));
  const node = h('section', { class: 'fr-mt-4w', 'aria-labelledby': 'a-faire-titre' },
    h('h2', { id: 'a-faire-titre' }, 'À faire'), errors.node, body);

  api.get('/agenda').then((data) => {
    const entries = (data?.items || []).map((item) => ({ item, d: describe(item, trainee) })).filter((e) => e.d);
    body.removeAttribute('aria-busy');
    if (!entries.length) {
      body.replaceChildren(h('p', { class: 'app-empty' }, 'Rien ne vous attend pour le moment.'));
      return;
    }
    body.replaceChildren(
      h('p', { class: 'app-result-count' }, entries.length > 1 ? `${entries.length} choses à faire.` : '1 chose à faire.'),
      h('ul', { class: 'app-agenda' }, entries.map(({ item, d }) => h('li', { class: ['app-agenda__item', d.late ? 'app-agenda__item--late' : null], 'data-kind': item.kind },
        d.href ? h('a', { class: 'fr-link', href: d.href }, d.text) : h('span', null, d.text),
        h('span', { class: 'app-agenda__when' }, ` — ${d.when}`),
        item.kind === 'disagreement' && item.final_bilan_id
          ? h('span', null, ' — ', h('a', { class: 'fr-link', href: `#/bilans/${encodeURIComponent(item.final_bilan_id)}?dossier=${encodeURIComponent(item.enrolment_id)}` }, `bilan final ${of(personName(item.trainee))}`))
          : null))));
  }).catch((err) => {
    body.removeAttribute('aria-busy');
    body.replaceChildren();
    errors.error(err, 'La liste des choses à faire n’a pas pu être chargée');
  });
  return node;
}
