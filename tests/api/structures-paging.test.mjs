// GET /api/v1/structures is a real page with a total: an académie with more
// than 200 structures (the largest page) lists them all across pages, each
// once, and says how many there are. Before, the list stopped at 200 rows
// and gave no total, so a caller could not know it missed some.
//
// The structures are created through the API in Grenoble (the file's own
// data, removed afterwards) and carry a name unique to this run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { get, post, show, uniq, as, assertProblem, dbValue, db, academyId, Cleanup } from '../lib/index.mjs';

const cleanup = new Cleanup();
after(() => cleanup.run());

const CREATED = 205;
let admin, grenoble, tag, createdIds;

before(async () => {
  admin = await as('grenoble', 'admin');
  grenoble = await academyId('grenoble');
  tag = uniq('Pagination');
  createdIds = [];
  for (let i = 0; i < CREATED; i += 1) {
    const res = await post('/api/v1/structures',
      { kind: 'discipline', name: `${tag} ${String(i).padStart(3, '0')}` }, { token: admin.token });
    assert.equal(res.status, 201, show(res));
    createdIds.push(String(cleanup.structure(res.body.id)));
  }
});

/** Every page of GET /structures with these filters: { ids, totals }. */
async function allPages(query, limit) {
  const ids = [];
  const totals = new Set();
  for (let offset = 0; ; offset += limit) {
    const res = await get('/api/v1/structures', { token: admin.token, query: { ...query, limit, offset } });
    assert.equal(res.status, 200, show(res));
    assert.equal(res.body.limit, limit);
    assert.equal(res.body.offset, offset);
    assert.ok(res.body.items.length <= limit, `at most ${limit} items on a page`);
    totals.add(res.body.total);
    ids.push(...res.body.items.map((s) => String(s.id)));
    if (res.body.items.length < limit) break;
  }
  return { ids, totals };
}

test('structures: more than 200 are listed across pages with the right total', async () => {
  const inDb = (await db(`SELECT id FROM structure WHERE academy_id = ${grenoble}`)).map(([id]) => id).sort();
  assert.ok(inDb.length > 200, `the académie has more than 200 structures (${inDb.length})`);

  // Without limit: the first 200, and the total says there are more.
  const first = await get('/api/v1/structures', { token: admin.token });
  assert.equal(first.status, 200, show(first));
  assert.equal(first.body.items.length, 200);
  assert.equal(first.body.total, inDb.length);

  // The largest pages, then smaller ones: every structure exactly once.
  for (const limit of [200, 77]) {
    const { ids, totals } = await allPages({}, limit);
    assert.deepEqual([...totals], [inDb.length], `one total on every page (limit ${limit})`);
    assert.equal(new Set(ids).size, ids.length, `no structure twice (limit ${limit})`);
    assert.deepEqual([...ids].sort(), inDb, `every structure of the académie (limit ${limit})`);
  }
});

test('structures: the total follows the filters, also on a page past the end', async () => {
  const { ids, totals } = await allPages({ q: tag, kind: 'discipline' }, 100);
  assert.deepEqual([...totals], [CREATED]);
  assert.deepEqual([...ids].sort(), [...createdIds].sort());

  const last = await get('/api/v1/structures', { token: admin.token, query: { q: tag, limit: 100, offset: 200 } });
  assert.deepEqual(last.body.items.map((s) => s.name), [`${tag} 200`, `${tag} 201`, `${tag} 202`, `${tag} 203`, `${tag} 204`]);
  assert.equal(last.body.total, CREATED);

  const past = await get('/api/v1/structures', { token: admin.token, query: { q: tag, limit: 100, offset: 1000 } });
  assert.equal(past.status, 200, show(past));
  assert.deepEqual(past.body, { items: [], total: CREATED, limit: 100, offset: 1000 });

  const none = await get('/api/v1/structures', { token: admin.token, query: { q: `${tag} absent` } });
  assert.deepEqual(none.body, { items: [], total: 0, limit: 200, offset: 0 });

  // Another académie sees none of them, and its total does not count them.
  const lyonAdmin = await as('lyon', 'admin');
  const lyon = await get('/api/v1/structures', { token: lyonAdmin.token, query: { q: tag } });
  assert.deepEqual(lyon.body, { items: [], total: 0, limit: 200, offset: 0 });
  const lyonAll = await get('/api/v1/structures', { token: lyonAdmin.token });
  assert.equal(lyonAll.body.total, Number(await dbValue(`SELECT COUNT(*) FROM structure WHERE academy_id = ${await academyId('lyon')}`)));
});

test('structures: a page larger than 200 is refused, naming the field', async () => {
  assertProblem(await get('/api/v1/structures', { token: admin.token, query: { limit: 201 } }), 422, 'invalid_field', 'limit');
  assertProblem(await get('/api/v1/structures', { token: admin.token, query: { offset: -1 } }), 422, 'invalid_field', 'offset');
});
