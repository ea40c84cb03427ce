// Issue 12: axe-core on the réseau de tuteurs' screens (docs/reseau.md) of
// the demo data, desktop and phone widths, for an organiser (bureau1) and
// both tutors of Lyon — the space, the library and a fiche, the resources,
// a collective and its meeting (its members), a call and the experiment's
// figures (organiser), the volunteer form (tutor). Fails on any WCAG 2.1 A
// or AA violation (a11y-sweep.mjs).

import { test } from 'node:test';
import { sweep, reseauScreens } from './a11y-sweep.mjs';

const users = [
  { academy: 'lyon', username: 'bureau1', extra: async () => ['#/reseau', ...await reseauScreens('lyon', 'bureau1', { organiser: true })] },
  { academy: 'lyon', username: 'tuteur.terrain1', extra: async () => ['#/reseau', ...await reseauScreens('lyon', 'tuteur.terrain1')] },
  { academy: 'lyon', username: 'tuteur.inspe1', extra: async () => ['#/reseau', ...await reseauScreens('lyon', 'tuteur.inspe1')] },
];

test('axe-core finds no WCAG 2.1 A/AA violation on the réseau de tuteurs’ screens, desktop and phone', async () => {
  await sweep(users, 24, { menu: false });
});
