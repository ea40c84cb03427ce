// Issue 8 §5: axe-core on more tutors’ screens, desktop and phone widths, fails on any
// WCAG 2.1 A or AA violation (a11y-sweep.mjs).

import { test } from 'node:test';
import { sweep, user } from './a11y-sweep.mjs';

test('axe-core finds no WCAG 2.1 A/AA violation on more tutors’ screens, desktop and phone', async () => {
  await sweep([user('lyon', 'tuteur.inspe1'), user('grenoble', 'tuteur.terrain1')], 20);
});
