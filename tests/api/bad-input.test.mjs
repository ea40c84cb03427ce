// Undeclared or malformed input gets a clear 4xx problem, nothing is
// written, and the service keeps answering (issue §2, §7).

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  request, get, show, uniq, as, assertProblem, configInt, freshAddress,
  dbValue, academyId, auditRows,
} from '../lib/index.mjs';

const MAX_BODY = configInt('server', 'max_body_bytes', 1048576);

let admin, lyon;
before(async () => {
  admin = await as('lyon', 'admin');
  lyon = await academyId('lyon');
});

const countPeople = () => dbValue(`SELECT COUNT(*) FROM person WHERE academy_id = ${lyon}`);
const countSessions = () => dbValue('SELECT COUNT(*) FROM session');

/**
 * Sends a bad request to POST /api/v1/people as the Lyon admin; checks the
 * problem, that no person and no audit row was written, and that the
 * service still answers.
 */
async function refusedCreate(opts, status, code, field) {
  const before = await countPeople();
  const res = await request('POST', '/api/v1/people', { token: admin.token, ...opts });
  assertProblem(res, status, code, field);
  assert.ok(res.requestId, 'the refusal has a request id');
  assert.equal(await countPeople(), before, 'no person row written');
  assert.deepEqual(await auditRows(res.requestId), [], 'no audit row');
  const health = await get('/api/v1/health');
  assert.equal(health.status, 200, `still alive: ${show(health)}`);
  assert.equal(health.body.status, 'ok');
  return res;
}

const json = (s) => ({ body: s, headers: { 'Content-Type': 'application/json' } });

test('malformed JSON → 400 malformed_json', async () => {
  const res = await refusedCreate(json('{"username": "t-x", "display_name": '), 400, 'malformed_json');
  assert.equal(res.body.field, undefined);
  await refusedCreate(json('{"username": "t-x" "display_name": "x"}'), 400, 'malformed_json');
  await refusedCreate(json("{'username': 't-x'}"), 400, 'malformed_json');
  await refusedCreate(json('[{"username": "t-x", "display_name": "x"}]'), 400, 'malformed_json');
  await refusedCreate(json('"just a string"'), 400, 'malformed_json');
  await refusedCreate({ body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), headers: { 'Content-Type': 'application/json' } }, 400, 'malformed_json');
});

test('duplicate JSON keys → 400 malformed_json', async () => {
  const username = uniq('t-dup');
  await refusedCreate(json(`{"username": "${username}", "display_name": "Test A", "display_name": "Test B"}`), 400, 'malformed_json');
  await refusedCreate(json(`{"username": "${username}", "username": "${username}x", "display_name": "Test"}`), 400, 'malformed_json');
  assert.equal(await dbValue(`SELECT COUNT(*) FROM person WHERE username LIKE '${username}%'`), '0');
});

test('wrong content type → 415', async () => {
  const body = JSON.stringify({ username: uniq('t-ct'), display_name: 'Test Type' });
  await refusedCreate({ body, headers: { 'Content-Type': 'text/plain' } }, 415, 'unsupported_media_type');
  await refusedCreate({ body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type');
  await refusedCreate({ body, headers: { 'Content-Type': 'application/json; charset=latin1' } }, 415, 'unsupported_media_type');
  await refusedCreate({ body, headers: { 'Content-Type': 'application/jsonp' } }, 415, 'unsupported_media_type');
  await refusedCreate({ body }, 415, 'unsupported_media_type'); // none at all

  // A form post to the login route (what a cross-site form would send).
  const sessions = await countSessions();
  const form = await request('POST', '/api/v1/auth/login', {
    body: 'academy=lyon&username=stagiaire1&password=demo',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    localAddress: freshAddress(),
  });
  assertProblem(form, 415, 'unsupported_media_type');
  assert.equal(await countSessions(), sessions, 'no session opened');
});

test(`a body over max_body_bytes (${MAX_BODY}) → 413`, async (t) => {
  if (MAX_BODY >= 12 * 1024 * 1024) {
    t.skip(`max_body_bytes = ${MAX_BODY} is over nginx's client_max_body_size (12m): nginx answers first`);
    return;
  }
  const head = `{"username": "${uniq('t-big')}", "display_name": "`;
  const tail = '"}';
  const body = head + 'x'.repeat(MAX_BODY + 1 - head.length - tail.length) + tail;
  assert.equal(Buffer.byteLength(body), MAX_BODY + 1);
  await refusedCreate(json(body), 413, 'body_too_large');

  // Exactly max_body_bytes is read (and then refused for the long name, not the size).
  const exact = head + 'x'.repeat(MAX_BODY - head.length - tail.length) + tail;
  await refusedCreate(json(exact), 422, 'invalid_field', 'display_name');
});

test('an unknown JSON member → 422 unknown_field naming it', async () => {
  await refusedCreate({ json: { username: uniq('t-uf'), display_name: 'Test', role: 'admin' } }, 422, 'unknown_field', 'role');
  await refusedCreate({ json: { username: uniq('t-uf'), display_name: 'Test', id: 1 } }, 422, 'unknown_field', 'id');
  await refusedCreate({ json: { username: uniq('t-uf'), display_name: 'Test', __proto__x: 1 } }, 422, 'unknown_field', '__proto__x');
  // Login takes exactly its three members.
  const res = await request('POST', '/api/v1/auth/login', {
    json: { academy: 'lyon', username: 'stagiaire1', password: 'demo', remember: true }, localAddress: freshAddress(),
  });
  assertProblem(res, 422, 'unknown_field', 'remember');
});

test('an unknown query parameter → 400 unknown_parameter naming it', async () => {
  await refusedCreate({ json: { username: uniq('t-uq'), display_name: 'Test' }, query: { debug: '1' } }, 400, 'unknown_parameter', 'debug');
  const list = await get('/api/v1/people', { token: admin.token, query: { q: 'a', sort: 'name' } });
  assertProblem(list, 400, 'unknown_parameter', 'sort');
  const health = await get('/api/v1/health', { query: 'verbose' });
  assertProblem(health, 400, 'unknown_parameter', 'verbose');
  const repeated = await get('/api/v1/people', { token: admin.token, query: 'q=a&q=b' });
  assertProblem(repeated, 422, 'invalid_field', 'q');
  const badEscape = await get('/api/v1/people', { token: admin.token, query: 'q=%zz' });
  assert.equal(badEscape.status, 422, show(badEscape));
});

test('values of the wrong type or out of bounds → 422 naming the field', async () => {
  await refusedCreate({ json: { username: uniq('t-ty'), display_name: 42 } }, 422, 'invalid_field', 'display_name');
  await refusedCreate({ json: { username: uniq('t-ty'), display_name: null } }, 422, 'invalid_field', 'display_name');
  await refusedCreate({ json: { username: uniq('t-ty') } }, 422, 'missing_field', 'display_name');
  await refusedCreate({ json: { username: 'bad name!', display_name: 'Test' } }, 422, 'invalid_field', 'username');
  await refusedCreate({ json: { username: uniq('t-ty'), display_name: 'Test', email: 'pas-un-courriel' } }, 422, 'invalid_field', 'email');
  await refusedCreate({ json: { username: uniq('t-ty'), display_name: 'A\u0000B' } }, 400, 'malformed_json'); // jansson refuses NUL
  await refusedCreate({ json: { username: uniq('t-ty'), display_name: 'A\u0001B' } }, 422, 'invalid_field', 'display_name');
  await refusedCreate({ json: { username: uniq('t-ty'), display_name: '' } }, 422, 'invalid_field', 'display_name');
  for (const [query, field] of [['limit=0', 'limit'], ['limit=201', 'limit'], ['limit=abc', 'limit'], ['offset=-1', 'offset'], ['role=pirate', 'role']]) {
    const res = await get('/api/v1/people', { token: admin.token, query });
    assertProblem(res, 422, 'invalid_field', field);
  }
});

test('a path id that is not an id is an unknown id → 404, like any unknown id', async () => {
  // server/dispatch.c validate_path() means to turn a malformed path value
  // into 404, but accept_value() has already recorded 422 invalid_field and
  // fail() keeps the first error.
  const unknown = await get(`/api/v1/people/${2 ** 53 - 1}`, { token: admin.token });
  assertProblem(unknown, 404, 'not_found');
  for (const id of ['abc', '0', '-1', '1e3', String(2 ** 53)]) {
    const res = await get(`/api/v1/people/${id}`, { token: admin.token });
    assertProblem(res, 404, 'not_found');
    assert.equal(res.text, unknown.text, `/people/${id} answers like an unknown id`);
  }
});

test('unknown routes and methods: 404 and 405 problems', async () => {
  assertProblem(await get('/api/v1/nothing-here', { token: admin.token }), 404, 'not_found');
  assertProblem(await request('PUT', '/api/v1/people', { token: admin.token, json: {} }), 405, 'method_not_allowed');
  assertProblem(await request('DELETE', '/api/v1/health'), 405, 'method_not_allowed');
  assert.equal((await get('/api/v1/health')).status, 200);
});
