// Operations (issue §2): readiness, Prometheus metrics (loopback only
// through nginx), a request id on every answer, a log line per request
// without secrets.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  request, get, post, show, uniq, sleep, freshAddress, as, login, loginRaw, academies, config,
  readConfig, TUTORATD_LOGS, tutoratdLog, FCGI_SOCKETS,
} from '../lib/index.mjs';
import { fcgiRequest } from '../lib/fcgi.mjs';

test('/api/v1/ready: database, reporting replica if configured, and the directory of each académie are ok', async () => {
  const res = await get('/api/v1/ready');
  assert.equal(res.status, 200, show(res));
  assert.equal(res.body.status, 'ready');
  const expected = { database: 'ok' };
  if (config()['database.reporting']) expected.reporting = 'ok'; // the cluster stack has one
  for (const a of academies()) expected[`ldap:${a.code}`] = 'ok';
  assert.deepEqual(res.body.checks, expected);
});

test('/api/v1/health answers {"status":"ok"} and the liveness figures of a worker process, without authentication', async () => {
  assert.equal((await get('/api/v1/academies')).status, 200); // one request the pool answered
  const res = await get('/api/v1/health');
  assert.equal(res.status, 200, show(res));
  assert.deepEqual(Object.keys(res.body).sort(),
    ['busy_threads', 'oldest_request_seconds', 'pid', 'requests', 'status', 'threads']);
  assert.equal(res.body.status, 'ok');
  assert.equal(res.body.threads, Number(readConfig().server.threads), 'every worker thread runs');
  // Answered by the health thread, outside the pool: no worker thread
  // serves it (other tests run one file at a time, so the pool is idle).
  assert.equal(res.body.busy_threads, 0, show(res));
  assert.equal(res.body.oldest_request_seconds, 0);
  assert.ok(Number.isInteger(res.body.pid) && res.body.pid > 1);
  assert.ok(Number.isInteger(res.body.requests) && res.body.requests > 0, 'the pool has answered requests');
  assert.equal(res.headers['cache-control'], 'no-store');
});

/** The value of one sample line of a Prometheus text exposition. */
// Requests counted by every instance: nginx's /metrics reaches one of them
// (the cluster stack has two), so each instance is asked on its socket.
async function counted(labels) {
  let n = 0;
  for (const socket of FCGI_SOCKETS) {
    const res = await fcgiRequest(socket, { method: 'GET', path: '/metrics', remoteAddr: '127.0.0.1' });
    assert.equal(res.status, 200, `/metrics of ${socket}: ${res.status}`);
    n += sample(res.text, 'tutorat_http_requests_total', labels);
  }
  return n;
}

function sample(text, name, labels) {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const end = line.lastIndexOf('}'); // label values may hold braces: route="/api/v1/people/{id}"
    const have = line.slice(name.length + 1, end).split(',');
    if (want.every((w) => have.includes(w))) return Number(line.slice(end + 1).trim());
  }
  return 0;
}

test('/metrics from 127.0.0.1: Prometheus text with tutorat_http_requests_total that counts requests', async () => {
  const before = await get('/metrics', { headers: { Accept: 'text/plain' } });
  assert.equal(before.status, 200, show(before));
  assert.match(before.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  assert.match(before.text, /^# TYPE tutorat_http_requests_total counter$/m);
  const line = /^tutorat_http_requests_total\{.*\} \d+(\.\d+)?$/m;
  assert.match(before.text, line, 'at least one sample');
  for (const l of before.text.split('\n')) {
    if (l === '' || l.startsWith('#')) continue;
    assert.match(l, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"]*",?)*\})? -?[0-9.e+-]+$/, `a valid sample line: ${l}`);
  }
  const labels = { method: 'GET', route: '/api/v1/academies', status: '2xx' };
  const n0 = await counted(labels);
  for (let i = 0; i < 3; i++) assert.equal((await get('/api/v1/academies')).status, 200);
  const n1 = await counted(labels);
  assert.ok(n1 >= n0 + 3, `the counter of GET /api/v1/academies went from ${n0} to ${n1}`);
});

test('/metrics from another loopback address (127.0.0.2) is refused by nginx', async () => {
  const res = await get('/metrics', { localAddress: '127.0.0.2' });
  assert.equal(res.status, 403, show(res));
  assert.doesNotMatch(res.text, /tutorat_/);
  const other = await get('/metrics', { localAddress: freshAddress() });
  assert.equal(other.status, 403);
  // The rest of the API answers that address.
  assert.equal((await get('/api/v1/health', { localAddress: '127.0.0.2' })).status, 200);
});

test('/api/v1/ready is served to loopback (the load balancer) only: nginx refuses another address', async () => {
  const local = await get('/api/v1/ready');
  assert.equal(local.status, 200, show(local));
  assert.equal(local.body.status, 'ready');
  for (const localAddress of ['127.0.0.2', freshAddress()]) {
    const res = await get('/api/v1/ready', { localAddress });
    assert.equal(res.status, 403, `${localAddress}: ${show(res)}`);
    assert.doesNotMatch(res.text, /ldap:|database/, localAddress);
  }
  // The rest of the API answers those addresses.
  assert.equal((await get('/api/v1/academies', { localAddress: '127.0.0.2' })).status, 200);
});

test('/metrics cannot be reached from another address by another spelling of its path', async () => {
  for (const rawPath of ['/metrics?', '/metrics?x=1', '//metrics', '/./metrics', '/api/../metrics', '/api/v1/../../metrics',
    '/api/%2e%2e/metrics', '/%6detrics', '/metrics/', '/METRICS', '/metrics%00', '/api/v1/health/../../../metrics']) {
    const res = await request('GET', '/', { rawPath, localAddress: '127.0.0.2' });
    assert.ok(res.status !== 200 || !/tutorat_http_requests_total/.test(res.text), `${rawPath}: ${show(res)}`);
    assert.doesNotMatch(res.text, /tutorat_http_requests_total/, rawPath);
  }
  // Nor by a header claiming another client address.
  const spoofed = await get('/metrics', { localAddress: '127.0.0.2', headers: { 'X-Forwarded-For': '127.0.0.1', 'X-Real-IP': '127.0.0.1' } });
  assert.equal(spoofed.status, 403);
});

test('every API answer carries an X-Request-Id, a different one each time', async () => {
  const admin = await as('lyon', 'admin');
  const answers = [
    await get('/api/v1/health'),
    await get('/api/v1/ready'),
    await get('/api/v1/academies'),
    await get('/.well-known/jwks.json'),
    await get('/metrics'),
    await get('/api/v1/auth/me', { token: admin.token }),
    await get('/api/v1/auth/me'),
    await get('/api/v1/auth/me', { token: 'not.a.token' }),
    await get('/api/v1/nowhere'),
    await request('PUT', '/api/v1/health'),
    await get('/api/v1/health', { query: { x: 1 } }),
    await post('/api/v1/people', { nope: 1 }, { token: admin.token }),
    await request('POST', '/api/v1/people', { token: admin.token, body: '{', headers: { 'Content-Type': 'application/json' } }),
    await request('POST', '/api/v1/people', { token: admin.token, body: '{}', headers: { 'Content-Type': 'text/plain' } }),
    await post('/api/v1/people', { username: uniq('t'), display_name: 'x' }, { token: (await as('lyon', 'stagiaire1')).token }),
    await loginRaw('lyon', uniq('ghost'), 'x', { localAddress: freshAddress() }),
    await post('/api/v1/auth/logout', undefined, { token: (await login('lyon', 'bureau1')).token }),
  ];
  const ids = new Set();
  for (const r of answers) {
    assert.match(r.requestId || '', /^[A-Za-z0-9-]{8,39}$/, `X-Request-Id on a ${r.status}: ${JSON.stringify(r.headers)}`);
    ids.add(r.requestId);
  }
  assert.equal(ids.size, answers.length, 'each answer has its own id');
  // A problem body never repeats it (two refusals of the same kind are byte-identical).
  assert.ok(!answers[6].text.includes(answers[6].requestId));
});

test('the request log has one JSON line per request and never a password or a token', async (t) => {
  const logFile = TUTORATD_LOGS[0];
  if (!existsSync(logFile)) {
    t.skip(`no ${logFile}`);
    return;
  }
  const secret = `Pw-${uniq('secret')}`;
  const fail = await loginRaw('lyon', 'stagiaire1', secret, { localAddress: freshAddress() });
  assert.equal(fail.status, 401);
  const s = await loginRaw('lyon', 'direction1', 'demo', { localAddress: freshAddress() });
  assert.equal(s.status, 200, show(s));
  const token = s.body.access_token;
  const cookie = s.headers['set-cookie'][0].split(';')[0];
  const meRes = await get('/api/v1/auth/me', { token });
  const meCookie = await get('/api/v1/auth/me', { cookie });
  // The log is written after the answer: give it a moment.
  let lines = [];
  for (let i = 0; i < 20; i++) {
    lines = tutoratdLog().split('\n');
    if (lines.some((l) => l.includes(meCookie.requestId))) break;
    await sleep(100);
  }
  for (const r of [fail, s, meRes, meCookie]) {
    const mine = lines.filter((l) => l.includes(r.requestId));
    assert.equal(mine.length, 1, `one log line for request ${r.requestId}`);
    const entry = JSON.parse(mine[0]);
    assert.equal(entry.request_id, r.requestId);
    assert.equal(entry.status, r.status);
    assert.ok('route' in entry && 'duration_ms' in entry, mine[0]);
  }
  const text = lines.join('\n');
  assert.ok(!text.includes(secret), 'no password in the log');
  assert.ok(!text.includes(token), 'no access token in the log');
  assert.ok(!text.includes(token.split('.')[2]), 'not even a token signature');
  assert.ok(!text.includes(cookie.split('=')[1].split('.')[1]), 'no session secret in the log');
});
