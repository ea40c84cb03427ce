// Inscriptions (admin, bureau des stages): the enrolments of a school year,
// searchable, with their trio and checks; « Inscrire un stagiaire ».
// GET /api/v1/years, GET /api/v1/enrolments?year_id=&q=&limit=&offset=

import { h, plural } from '../../dom.js';
import { pageTitle, breadcrumb, rowHeader, liveRegion, buttonLink, showFlash, wrapTable } from '../../ui.js';
import { personName } from '../../format.js';
import { traineeName, placeLabel, checksCell, DEGRE_LABELS, enrolmentList } from './common.js';

const PAGE_SIZE = 25;
const BASE = '#/inscriptions';

export async function render(ctx) {
  const list = await enrolmentList(ctx, {
    base: BASE, pageSize: PAGE_SIZE, searchLabel: 'Stagiaire ou tuteur', searchHint: 'Nom ou identifiant',
    formLabel: 'Rechercher des inscriptions', pagerLabel: 'Pagination des inscriptions',
    count: (total) => plural(total, 'inscription'),
    empty: (state) => (state.q
      ? { text: 'Aucune inscription ne correspond à votre recherche.', hint: 'Vérifiez l’orthographe ou essayez une partie du nom seulement.' }
      : { text: 'Aucune inscription pour cette année.' }),
    show: (items, state) => wrapTable({
      caption: state.q ? `Inscriptions correspondant à « ${state.q} »` : 'Inscriptions de l’année',
      columns: [{ label: 'Stagiaire' }, { label: 'Parcours' }, { label: 'Lieu d’exercice' }, { label: 'Tuteur terrain' }, { label: 'Tuteur Inspé' }, { label: 'Points de vigilance' }],
      rows: items.map((e) => [
        rowHeader(h('a', { href: `${BASE}/${encodeURIComponent(e.id)}` }, traineeName(e)),
          e.renouvellement ? h('p', { class: 'fr-badge fr-badge--sm fr-badge--warning fr-badge--no-icon fr-mt-1v' }, 'Renouvellement') : null),
        [e.parcours, DEGRE_LABELS[e.degre]].filter(Boolean).join(' · '),
        (e.places || []).length ? h('ul', { class: 'fr-text--sm fr-mb-0 app-plain-list' }, e.places.map((p) => h('li', null, placeLabel(p)))) : '—',
        personName(e.tutors?.tuteur_terrain) || h('span', { class: 'app-empty' }, 'Non désigné'),
        personName(e.tutors?.tuteur_inspe) || h('span', { class: 'app-empty' }, 'Non désigné'),
        checksCell(e.checks),
      ]),
    }),
  });
  if (list === null) return;
  const notices = liveRegion('status');

  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Inscriptions' }]),
    h('div', { class: 'app-title-row' },
      pageTitle('Inscriptions'),
      buttonLink('Inscrire un stagiaire', `${BASE}/nouvelle`, { icon: 'user-add-line' })),
    notices.node,
    h('p', null, 'Les stagiaires inscrits pour l’année, leur parcours, leurs lieux d’exercice et leur trio. Les contenus du suivi (visites, écrits, bilans) restent réservés au trio.'),
    list.form, list.node);
  showFlash(notices);
  ctx.setTitle('Inscriptions');
  await list.load();
}
