// A published fiche synthèse, as the library shows it: the problem and
// the answers, the collective's name, the département and the date —
// never the names of its members.
// GET /api/v1/reseau/library/{id}

import { api, isNotFound } from '../../api.js';
import { h } from '../../dom.js';
import { formatDate } from '../../format.js';
import { pageTitle, breadcrumb, liveRegion, textBlock, buttonLink } from '../../ui.js';
import { useStyles } from './common.js';

export async function render(ctx) {
  useStyles();
  const errors = liveRegion('alert');
  ctx.setTitle('Fiche synthèse');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Réseau de tuteurs', href: '#/reseau' }, { label: 'Bibliothèque', href: '#/reseau/bibliotheque' }, { label: 'Fiche synthèse' }]),
    errors.node);
  let s;
  try {
    s = await api.get(`/reseau/library/${encodeURIComponent(ctx.params.id)}`);
  } catch (err) {
    if (!ctx.current) return;
    if (isNotFound(err)) ctx.root.append(pageTitle('Fiche synthèse introuvable'), h('p', null, 'Cette fiche n’existe pas ou n’est pas publiée.'));
    else errors.error(err, 'La fiche synthèse n’a pas pu être chargée');
    return;
  }
  if (!ctx.current) return;
  ctx.root.append(
    pageTitle('Fiche synthèse'),
    h('p', null, `${s.collective || 'Collectif'} — ${s.departement || ''} — présentiel du ${formatDate(s.date || s.published_at)}`),
    h('h2', { class: 'fr-h5' }, '1- Notre problématique'), textBlock(s.problem),
    h('h2', { class: 'fr-h5' }, '2- Nos réponses envisagées'), textBlock(s.answers),
    buttonLink('Retour à la bibliothèque', '#/reseau/bibliotheque', { kind: 'secondary', icon: 'arrow-left-line' }));
}
