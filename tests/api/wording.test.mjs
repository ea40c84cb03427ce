// Issue 8 §5: messages speak as people count. A length limit is said in
// characters, and counts characters: « é » is one, whatever its bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get, show, as, assertProblem } from '../lib/index.mjs';

test('a length limit counts characters, and the message says « caractères »', async () => {
  const admin = await as('lyon', 'admin');
  // 100 « é » are 200 bytes: within the limit of 100 characters.
  const ok = await get(`/api/v1/people?q=${encodeURIComponent('é'.repeat(100))}`, { token: admin.token });
  assert.equal(ok.status, 200, show(ok));
  assert.deepEqual(ok.body.items, []);
  const long = await get(`/api/v1/people?q=${encodeURIComponent('é'.repeat(101))}`, { token: admin.token });
  assertProblem(long, 422, 'invalid_field');
  assert.equal(long.body.field, 'q');
  assert.equal(long.body.detail, 'Longueur attendue : de 1 à 100 caractères.');
});
