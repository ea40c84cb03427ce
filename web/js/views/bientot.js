// Placeholder for a space whose module is still to come (routes.js SOON).

import { h } from '../dom.js';
import { pageTitle, buttonLink } from '../ui.js';

export async function render(ctx) {
  const { label, description } = ctx.route.soon;
  ctx.root.append(
    pageTitle(label),
    h('div', { class: 'fr-callout fr-icon-time-line fr-my-4w' },
      h('h2', { class: 'fr-callout__title' }, 'Bientôt disponible'),
      h('p', { class: 'fr-callout__text' }, description),
      h('p', { class: 'fr-callout__text fr-mt-2w' }, 'Cet espace est en cours de réalisation. Il apparaîtra ici dès qu’il sera prêt : vous n’aurez rien à faire.')),
    buttonLink('Retour à l’accueil', '#/', { kind: 'secondary', icon: 'arrow-left-line' }));
}
