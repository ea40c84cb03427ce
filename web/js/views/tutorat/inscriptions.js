// Inscriptions (admin, bureau des stages): the enrolments of a school year,
// searchable, with their trio and checks; « Inscrire un stagiaire ».
// GET /api/v1/years, GET /api/v1/enrolments?year_id=&q=&limit=&offset=

import { h, replace, plural } from '../../dom.js';
import {
  pageTitle, breadcrumb, rowHeader, liveRegion, pagination,
  buttonLink, showFlash,
} from '../../ui.js';
import { traineeName, personName, placeLabel, checksCell, DEGRE_LABELS, wrapTable, enrolmentList } from './common.js';

const PAGE_SIZE = 25;
const BASE = '#/inscriptions';

export async function render(ctx) {
  const list = await enrolmentList(ctx, {
    base: BASE, pageSize: PAGE_SIZE, searchLabel: 'Stagiaire ou tuteur', searchHint: 'Nom ou identifiant',
    formLabel: 'Rechercher des inscriptions', show: (data) => show(data),
  });
  if (list === null) return;
  const { state, form, errors, status, results, hashFor, go, load } = list;
  const notices = liveRegion('status');

  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Inscriptions' }]),
    h('div', { class: 'app-title-row' },
      pageTitle('Inscriptions'),
      buttonLink('Inscrire un stagiaire', `${BASE}/nouvelle`, { icon: 'user-add-line' })),
    notices.node,
    h('p', null, 'Les stagiaires inscrits pour l’année, leur parcours, leurs lieux d’exercice et leur trio. Les contenus du suivi (visites, écrits, bilans) restent réservés au trio.'),
    form, errors.node, status, results);
  showFlash(notices);
  ctx.setTitle('Inscriptions');

  function show({ items = [], total = items.length }) {
    if (!items.length) {
      status.textContent = state.q ? 'Aucune inscription ne correspond à votre recherche.' : 'Aucune inscription pour cette année.';
      replace(results, state.q ? h('p', null, 'Vérifiez l’orthographe ou essayez une partie du nom seulement.') : null);
      return;
    }
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const first = (state.page - 1) * PAGE_SIZE + 1;
    status.textContent = pages > 1
      ? `${plural(total, 'inscription')} — résultats ${first} à ${first + items.length - 1}, page ${state.page} sur ${pages}.`
      : `${plural(total, 'inscription')}.`;
    replace(results,
      wrapTable({
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
      pagination({
        page: state.page, pages, label: 'Pagination des inscriptions', href: hashFor,
        onGo: (page) => { state.page = page; go(true); },
      }));
  }

  await load(false);
}
