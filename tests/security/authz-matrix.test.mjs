// Default-deny authorization, route by route (issue §2): for every route
// `tutoratctl routes` prints (METHOD PATH ACCESS) and every demo account of
// Lyon, plus no token at all, a request with a minimal valid body is let
// through (2xx) exactly when ACCESS admits one of the account's roles,
// else 403 (401 without a token). Then the admin against every {id} route
// with a Grenoble id: 404, as for an unknown id.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import {
  request, get, post, show, uniq, login, me, routes, assertProblem,
  db, dbValue, q, n, academyId, Cleanup,
} from '../lib/index.mjs';
import { secondFactor, undoSecondFactor } from '../lib/totp.mjs';

const ACCOUNTS = ['admin', 'stagiaire1', 'tuteur.terrain1', 'tuteur.inspe1', 'ien1', 'direction1', 'bureau1'];
const UNKNOWN_ID = 2 ** 53 - 1;

const cleanup = new Cleanup();
const enrolled = []; // the admin has a second factor: some of its routes demand one
after(async () => {
  await undoSecondFactor(enrolled);
  await cleanup.run();
});

let table; // the routes
const sessions = {}; // username → {token, cookie, me}
let admin; // sessions.admin
let lyon, fx; // fixtures: ids of Lyon

before(async () => {
  table = await routes();
  assert.ok(table.length >= 20, `tutoratctl routes lists the routes: ${table.length}`);
  for (const u of ACCOUNTS) {
    const s = await login('lyon', u);
    sessions[u] = { ...s, me: await me(s.token) };
  }
  admin = await secondFactor(sessions.admin, enrolled);
  lyon = await academyId('lyon');
  fx = {
    site: Number(await dbValue(`SELECT id FROM structure WHERE academy_id = ${lyon} AND kind = 'inspe_site' ORDER BY id LIMIT 1`)),
    year: Number(await dbValue(`SELECT id FROM school_year WHERE academy_id = ${lyon} AND current`)),
  };
});

/** A person made by the admin for a write that changes a person. */
async function scratchPerson() {
  const res = await post('/api/v1/people', { username: uniq('t-mx'), display_name: 'Test Matrice' }, { token: admin.token });
  assert.equal(res.status, 201, show(res));
  cleanup.person(res.body.id);
  return res.body.id;
}

async function scratchStructure() {
  const res = await post('/api/v1/structures', { kind: 'inspe_site', name: uniq('Test Matrice') }, { token: admin.token });
  assert.equal(res.status, 201, show(res));
  cleanup.structure(res.body.id);
  return res.body.id;
}

async function freeYearLabel() {
  for (;;) {
    const a = randomInt(2100, 2199);
    const label = `${a}-${a + 1}`;
    if ((await dbValue(`SELECT COUNT(*) FROM school_year WHERE academy_id = ${lyon} AND label = ${q(label)}`)) === '0') return { a, label };
  }
}

/**
 * Per route, how to make a request that is valid for a caller (`who`:
 * a session or null). Writes that would succeed create what they need
 * first (only the admin reaches them; for the others the fixtures are
 * harmless). Returns {path, json, headers, cookie, csrf, useToken}.
 */
const recipes = {
  'GET /api/v1/health': () => ({ path: '/api/v1/health' }),
  'GET /api/v1/ready': () => ({ path: '/api/v1/ready' }),
  'GET /metrics': () => ({ path: '/metrics' }),
  'GET /.well-known/jwks.json': () => ({ path: '/.well-known/jwks.json' }),
  'GET /api/v1/academies': () => ({ path: '/api/v1/academies' }),
  'GET /api/v1/privacy-notice': () => ({ path: '/api/v1/privacy-notice?academy=lyon' }),
  'POST /api/v1/auth/login': (who) => ({
    path: '/api/v1/auth/login',
    json: { academy: 'lyon', username: who ? who.me.username : 'stagiaire1', password: 'demo' },
  }),
  'GET /api/v1/auth/me': () => ({ path: '/api/v1/auth/me' }),
  // The refresh is made with the session cookie (a Bearer alone is not a session to refresh).
  'POST /api/v1/auth/refresh': (who) => ({ path: '/api/v1/auth/refresh', useCookie: true, csrf: true, who }),
  // A session of its own, so the caller's token stays valid for the other routes.
  'POST /api/v1/auth/logout': async (who) => ({
    path: '/api/v1/auth/logout',
    token: who ? (await login('lyon', who.me.username)).token : undefined,
  }),
  'GET /api/v1/people': () => ({ path: '/api/v1/people' }),
  'POST /api/v1/people': () => ({ path: '/api/v1/people', json: { username: uniq('t-mx'), display_name: 'Test Matrice' }, created: 'person' }),
  'GET /api/v1/people/{id}': (who) => ({ path: `/api/v1/people/${who ? who.me.id : admin.me.id}` }),
  'PATCH /api/v1/people/{id}': async () => ({
    path: `/api/v1/people/${await scratchPerson()}`, json: { display_name: 'Test Matrice modifiée' }, headers: { 'If-Match': '"1"' },
  }),
  'POST /api/v1/people/{id}/assignments': async () => ({
    path: `/api/v1/people/${await scratchPerson()}/assignments`, json: { role: 'tuteur_terrain', scope_kind: 'academy' },
  }),
  'GET /api/v1/directory/people': () => ({ path: '/api/v1/directory/people?q=stagiaire' }),
  'POST /api/v1/directory/people': () => ({ path: '/api/v1/directory/people', json: { username: 'stagiaire2' } }),
  // The admin's own entry: re-linking binds them to it again.
  'POST /api/v1/people/{id}/directory-link': () => ({ path: `/api/v1/people/${admin.me.id}/directory-link`, json: {} }),
  'DELETE /api/v1/assignments/{id}': async () => {
    const person = await scratchPerson();
    const a = await post(`/api/v1/people/${person}/assignments`, { role: 'mat', scope_kind: 'academy' }, { token: admin.token });
    assert.equal(a.status, 201, show(a));
    return { path: `/api/v1/assignments/${a.body.id}` };
  },
  'GET /api/v1/structures': () => ({ path: '/api/v1/structures' }),
  'POST /api/v1/structures': () => ({ path: '/api/v1/structures', json: { kind: 'inspe_site', name: uniq('Test Matrice') }, created: 'structure' }),
  'GET /api/v1/structures/{id}': () => ({ path: `/api/v1/structures/${fx.site}` }),
  'PATCH /api/v1/structures/{id}': async () => ({
    path: `/api/v1/structures/${await scratchStructure()}`, json: { name: uniq('Test Matrice') }, headers: { 'If-Match': '"1"' },
  }),
  'GET /api/v1/years': () => ({ path: '/api/v1/years' }),
  'POST /api/v1/years': async () => {
    const { a, label } = await freeYearLabel();
    return { path: '/api/v1/years', json: { label, starts_on: `${a}-09-01`, ends_on: `${a + 1}-07-03` }, created: 'year' };
  },
  'POST /api/v1/years/{id}/events': () => ({
    path: `/api/v1/years/${fx.year}/events`, json: { kind: 'other', label: 'Test Matrice', starts_on: '2027-05-01', ends_on: '2027-05-01' }, created: 'event',
  }),
};

function admits(access, roles) {
  if (access === 'public') return true;
  if (access === 'authenticated') return true;
  return access.some((r) => roles.includes(r));
}

/**
 * A route without a recipe (a module added since this file was written):
 * every path parameter 1, an empty JSON object as the body of a write.
 * Enough to check the role mask, which runs before any validation
 * (server/req.h): the denied get 403/401 whatever the input, the admitted
 * get anything but 401/403.
 */
function generic(route) {
  return {
    path: route.path.replace(/\{[^}]+\}/g, '1'),
    json: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
    headers: { 'If-Match': '"1"' },
    generic: true,
  };
}

async function attempt(route, who) {
  const key = `${route.method} ${route.path}`;
  const recipe = recipes[key];
  const r = recipe ? await recipe(who) : generic(route);
  const opts = { json: r.json, headers: r.headers };
  if (who) {
    if (r.useCookie) {
      opts.cookie = who.cookie;
      opts.csrf = r.csrf;
    } else {
      opts.token = r.token ?? who.token;
    }
  }
  const res = await request(route.method, r.path, opts);
  res.generic = Boolean(r.generic);
  if (res.status === 201) {
    if (r.created === 'person') cleanup.person(res.body.id);
    if (r.created === 'structure') cleanup.structure(res.body.id);
    if (r.created === 'year') cleanup.year(res.body.id);
    if (r.created === 'event') await db(`DELETE FROM year_event WHERE id = ${n(res.body.id)}`);
  }
  return res;
}

test('the route table: the public routes are the known ones, annuaire writes are admin-only', async (t) => {
  const missing = table.map((r) => `${r.method} ${r.path}`).filter((k) => !recipes[k]);
  if (missing.length) {
    t.diagnostic(`routes checked with a generic request (no recipe with a valid body yet): ${missing.join('; ')}`);
  }
  for (const r of table) {
    if (r.access === 'public') {
      // The calendar feed: its secret in the path is the key (tests/api/calendar-feed.test.mjs).
      assert.ok(['/api/v1/health', '/api/v1/ready', '/metrics', '/.well-known/jwks.json', '/api/v1/academies', '/api/v1/auth/login',
        '/api/v1/calendar/{academy}/{token}', '/api/v1/auth/login/totp',
        // The transparency page, read before any login (tests/api/rgpd-access.test.mjs).
        '/api/v1/privacy-notice'].includes(r.path),
        `${r.method} ${r.path} is public: is that intended?`);
    }
    if (r.method !== 'GET' && /^\/api\/v1\/(people|assignments|structures|years)(\/|$)/.test(r.path)) {
      assert.deepEqual(r.access, ['admin'], `${r.method} ${r.path}: annuaire writes are for admins only`);
    }
  }
});

for (const account of [null, ...ACCOUNTS]) {
  test(`authorization matrix: ${account ?? 'no token'}`, async () => {
    const who = account ? sessions[account] : null;
    const roles = who ? who.me.roles : [];
    const wrong = [];
    for (const route of table) {
      const allowed = admits(route.access, roles) && (who || route.access === 'public');
      const res = await attempt(route, who);
      const label = `${route.method} ${route.path} [${Array.isArray(route.access) ? route.access.join(',') : route.access}]`;
      if (allowed && res.generic) {
        // A generic request may be refused for its input, never for the caller.
        if (res.status === 401 || res.status === 403 || res.status >= 500) wrong.push(`${label}: expected neither 401/403 nor 5xx, got ${show(res)}`);
      } else if (allowed) {
        if (!(res.status >= 200 && res.status < 300)) wrong.push(`${label}: expected 2xx, got ${show(res)}`);
      } else if (!who) {
        if (res.status !== 401 || res.body?.code !== 'unauthenticated') wrong.push(`${label}: expected 401 unauthenticated, got ${show(res)}`);
      } else if (res.status !== 403 || res.body?.code !== 'forbidden') {
        wrong.push(`${label}: expected 403 forbidden, got ${show(res)}`);
      }
    }
    assert.deepEqual(wrong, [], `${account ?? 'no token'} (roles: ${roles.join(',') || '-'})`);
  });
}

test('the admin against every {id} route with a Grenoble id → 404, like an unknown id', async (t) => {
  const gid = await academyId('grenoble');
  await login('grenoble', 'stagiaire1'); // a Grenoble person exists
  const one = async (sql) => Number(await dbValue(sql));
  const g = {
    person: await one(`SELECT id FROM person WHERE academy_id = ${gid} ORDER BY id LIMIT 1`),
    assignment: await one(`SELECT id FROM role_assignment WHERE academy_id = ${gid} AND source = 'local' ORDER BY id LIMIT 1`),
    structure: await one(`SELECT id FROM structure WHERE academy_id = ${gid} ORDER BY id LIMIT 1`),
    year: await one(`SELECT id FROM school_year WHERE academy_id = ${gid} ORDER BY id LIMIT 1`),
  };
  const snapshot = () => db(`SELECT (SELECT SUM(version) FROM person WHERE academy_id = ${gid}), (SELECT COUNT(*) FROM role_assignment WHERE academy_id = ${gid}),
    (SELECT SUM(version) FROM structure WHERE academy_id = ${gid}), (SELECT COUNT(*) FROM year_event WHERE academy_id = ${gid})`);
  const before = await snapshot();

  const idOf = {
    '/api/v1/people/{id}': g.person,
    '/api/v1/people/{id}/assignments': g.person,
    '/api/v1/people/{id}/directory-link': g.person,
    '/api/v1/people/{id}/totp': g.person,
    '/api/v1/assignments/{id}': g.assignment,
    '/api/v1/structures/{id}': g.structure,
    '/api/v1/years/{id}/events': g.year,
  };
  const bodies = {
    'PATCH /api/v1/people/{id}': { display_name: 'Piraté' },
    'POST /api/v1/people/{id}/assignments': { role: 'admin', scope_kind: 'academy' },
    'PATCH /api/v1/structures/{id}': { name: 'Piraté' },
    'POST /api/v1/years/{id}/events': { kind: 'other', label: 'Piraté', starts_on: '2027-05-01', ends_on: '2027-05-01' },
  };
  const withId = table.filter((r) => r.path.includes('{id}'));
  const unknownKinds = withId.filter((r) => !idOf[r.path]).map((r) => `${r.method} ${r.path}`);
  if (unknownKinds.length) t.diagnostic(`no Grenoble id known here for: ${unknownKinds.join('; ')}`);
  assert.ok(withId.filter((r) => idOf[r.path]).length >= 7, withId.map((r) => r.path).join());
  for (const r of withId) {
    const key = `${r.method} ${r.path}`;
    if (!idOf[r.path]) continue;
    const opts = { token: admin.token, json: bodies[key], headers: { 'If-Match': '"1"' } };
    const theirs = await request(r.method, r.path.replace('{id}', idOf[r.path]), opts);
    const unknown = await request(r.method, r.path.replace('{id}', UNKNOWN_ID), opts);
    assertProblem(theirs, 404, 'not_found');
    assert.equal(theirs.text, unknown.text, `${key}: a Grenoble id answers like an unknown id`);
  }
  assert.deepEqual(await snapshot(), before, 'nothing of Grenoble changed');
});
