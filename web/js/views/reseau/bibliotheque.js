// « Bibliothèque des fiches synthèses »: the syntheses the pilots have
// published, searched by a word of their problem or answers and by
// département. Each shows the collective's name and the date, never the
// members' names.
// GET /api/v1/reseau/library?q=&departement_id=

import { api, getAll, withQuery } from '../../api.js';
import { h, plural } from '../../dom.js';
import { formatDate } from '../../format.js';
import { listView } from '../../list.js';
import { pageTitle, breadcrumb, textField, selectField } from '../../ui.js';
import { useStyles } from './common.js';

const excerpt = (text, n = 280) => {
  const s = String(text || '').trim();
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
};

export async function render(ctx) {
  useStyles();
  ctx.setTitle('Bibliothèque des fiches synthèses');
  const departements = await getAll('/structures', { kind: 'departement' }).catch(() => []);
  if (!ctx.current) return;
  const list = listView(ctx, {
    base: '#/reseau/bibliotheque',
    pageSize: 20,
    formLabel: 'Rechercher une fiche synthèse',
    filters: [
      { name: 'q', width: 6, field: textField({ label: 'Rechercher un mot', name: 'q', type: 'search', hint: 'Dans la problématique ou les réponses envisagées.' }) },
      { name: 'departement_id', width: 3, field: selectField({ label: 'Département', name: 'departement_id', placeholder: 'Tous', options: departements.map((d) => ({ value: String(d.id), label: d.name })) }) },
    ],
    fetch: (f, page) => api.get(withQuery('/reseau/library', { ...f, ...page })),
    count: (total) => `${plural(total, 'fiche synthèse publiée', 'fiches synthèses publiées')}`,
    empty: (state, filtered) => ({ text: filtered ? 'Aucune fiche synthèse ne correspond à cette recherche.' : 'Aucune fiche synthèse n’est encore publiée.' }),
    show: (items) => h('ul', { class: 'app-library fr-grid-row fr-grid-row--gutters' }, items.map((s) => h('li', { class: 'fr-col-12 fr-col-md-6' },
      h('div', { class: 'fr-card fr-enlarge-link' },
        h('div', { class: 'fr-card__body' },
          h('div', { class: 'fr-card__content' },
            h('h2', { class: 'fr-card__title fr-h6' }, h('a', { href: `#/reseau/bibliotheque/${encodeURIComponent(s.id)}` }, excerpt(s.problem, 140))),
            h('p', { class: 'fr-card__desc' }, excerpt(s.answers)),
            h('div', { class: 'fr-card__end' },
              h('p', { class: 'fr-card__detail' }, `${s.collective || 'Collectif'} — ${s.departement || ''} — présentiel du ${formatDate(s.date || s.published_at)}`)))))))),
    pagerLabel: 'Pages des fiches synthèses',
    errorTitle: 'La bibliothèque n’a pas pu être chargée',
  });
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Réseau de tuteurs', href: '#/reseau' }, { label: 'Bibliothèque' }]),
    pageTitle('Bibliothèque des fiches synthèses'),
    h('p', null, 'Les fiches synthèses publiées par les pilotes des collectifs de l’académie : la problématique professionnelle dégagée et les réponses envisagées. Les notes des présentiels et le nom des membres restent dans les collectifs.'),
    list.form, list.node);
  await list.load();
}
