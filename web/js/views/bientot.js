// A space whose module is still to come (routes.js SOON): it says so, what
// will come, and what to do meanwhile, so that it is not taken for a
// working feature.

import { h } from '../dom.js';
import { pageTitle, buttonLink } from '../ui.js';

export async function render(ctx) {
  const { label, description, meanwhile } = ctx.route.soon;
  ctx.root.append(
    pageTitle(label),
    h('div', { class: 'fr-callout fr-icon-time-line fr-my-4w' },
      h('h2', { class: 'fr-callout__title' }, 'Cet espace n’est pas encore ouvert'),
      h('p', { class: 'fr-callout__text' }, 'Rien ne peut encore y être consulté ni saisi dans Tutorat.')),
    h('h2', { class: 'fr-h4' }, 'Ce qui viendra'),
    h('p', null, description),
    h('h2', { class: 'fr-h4' }, 'En attendant'),
    h('p', null, meanwhile),
    buttonLink('Retour à l’accueil', '#/', { kind: 'secondary', icon: 'arrow-left-line' }));
}
