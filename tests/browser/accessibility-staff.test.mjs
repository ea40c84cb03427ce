// Issue 8 §5: axe-core on the inspectors’, direction’s, bureau’s and SOPA roles’ screens, desktop and phone widths, fails on any
// WCAG 2.1 A or AA violation (a11y-sweep.mjs).

import { test } from 'node:test';
import { sweep, user } from './a11y-sweep.mjs';

test('axe-core finds no WCAG 2.1 A/AA violation on the inspectors’, direction’s, bureau’s and SOPA roles’ screens, desktop and phone', async () => {
  await sweep([user('lyon', 'ien1'), user('lyon', 'direction1'), user('lyon', 'bureau1'), user('poitiers', 'etudiant1'), user('poitiers', 'mat1'), user('poitiers', 'gestionnaire1'), user('poitiers', 'bureau1')], 24);
});
