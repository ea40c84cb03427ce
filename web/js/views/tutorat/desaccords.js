// « Désaccords signalés » (IEN, pilote de pôle, direction INSPÉ): the
// tuteurs terrain's disagreements with the tuteur Inspé's avis (1er
// degré), for the trainees of the caller's scope.
// GET /api/v1/disagreements

import { api } from '../../api.js';
import { h, srOnly } from '../../dom.js';
import { of } from '../../format.js';
import { pageTitle, breadcrumb, rowHeader, liveRegion } from '../../ui.js';
import { personName, formatDateTime, wrapTable, avisLabel, noteLabel } from './common.js';

export async function render(ctx) {
  const errors = liveRegion('alert');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Désaccords signalés' }]),
    pageTitle('Désaccords signalés'),
    h('p', null, 'Dans le 1er degré, en cas de désaccord avec l’avis du tuteur Inspé, le tuteur terrain le signale à l’IEN : celui de la circonscription ou du pôle du stagiaire. Voici les désaccords signalés pour les stagiaires de votre périmètre, avec le résultat et le bilan final dont ils parlent.'),
    errors.node);
  ctx.setTitle('Désaccords signalés');
  let items;
  try {
    ({ items = [] } = await api.get('/disagreements'));
  } catch (err) {
    if (!ctx.current) return;
    errors.error(err, 'La liste n’a pas pu être chargée');
    return;
  }
  if (!ctx.current) return;
  if (!items.length) {
    ctx.root.append(h('p', { class: 'app-result-count' }, 'Aucun désaccord signalé.'));
    return;
  }
  ctx.root.append(
    h('p', { class: 'app-result-count' }, items.length > 1 ? `${items.length} désaccords signalés.` : '1 désaccord signalé.'),
    wrapTable({
      caption: 'Désaccords signalés par les tuteurs terrain',
      columns: [{ label: 'Stagiaire' }, { label: 'Pôle' }, { label: 'Avis ou note du tuteur Inspé' }, { label: 'Désaccord du tuteur terrain' }, { label: 'Signalé' }, { label: 'Dossier' }],
      rows: items.map((d) => [
        rowHeader(personName(d.trainee) || '—'),
        d.pole?.name || d.pole || '—',
        d.avis != null ? avisLabel(d.avis) : noteLabel(d.note),
        h('p', { class: 'app-prewrap fr-mb-0' }, typeof d.disagreement === 'object' && d.disagreement ? (d.disagreement.comment || '') : (d.disagreement || '—')),
        [personName(d.disagreement_by), d.disagreement_at ? `le ${formatDateTime(d.disagreement_at)}` : null].filter(Boolean).join(', ') || '—',
        h('ul', { class: 'app-links fr-mb-0' },
          h('li', null, h('a', { class: 'fr-link fr-link--sm', href: `#/dossiers/${encodeURIComponent(d.enrolment_id)}/bilans-et-resultat` },
            'Résultat', srOnly(` ${of(personName(d.trainee))}`))),
          d.final_bilan_id
            ? h('li', null, h('a', { class: 'fr-link fr-link--sm', href: `#/bilans/${encodeURIComponent(d.final_bilan_id)}?dossier=${encodeURIComponent(d.enrolment_id)}` },
              'Bilan final', srOnly(` ${of(personName(d.trainee))}`)))
            : null),
      ]),
    }));
}

