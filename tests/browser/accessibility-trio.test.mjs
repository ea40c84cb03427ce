// Issue 8 §5: axe-core on the trainees’ and tutors’ screens (Lyon, Grenoble), desktop and phone widths, fails on any
// WCAG 2.1 A or AA violation (a11y-sweep.mjs).

import { test } from 'node:test';
import { sweep, user } from './a11y-sweep.mjs';

test('axe-core finds no WCAG 2.1 A/AA violation on the trainees’ and tutors’ screens (Lyon, Grenoble), desktop and phone', async () => {
  await sweep([user('lyon', 'stagiaire1'), user('lyon', 'tuteur.terrain1'), user('grenoble', 'stagiaire1')], 30);
});
