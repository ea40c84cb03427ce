// A request has a deadline ([server] request_deadline seconds after nginx
// received it, REQUEST_START): nginx gives up on it later, so past its
// deadline the daemon refuses it before it runs, and a write still running
// then is rolled back, never committed after its client was answered
// (issue 7). These requests go straight to the daemon's FastCGI socket
// (tests/lib/fcgi.mjs), as nginx would send them, with the time of
// receipt the test needs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  FCGI_SOCKETS, post, get, show, uniq, as, db, dbSession, n, readConfig, Cleanup,
} from '../lib/index.mjs';
import { fcgiRequest } from '../lib/fcgi.mjs';

// One instance's socket (the cluster stack has two; any one will do).
const SOCKET = FCGI_SOCKETS[0];
const cleanup = new Cleanup();
after(() => cleanup.run());

let admin, deadline;
before(async () => {
  admin = await as('lyon', 'admin');
  deadline = Number(readConfig().server.request_deadline ?? 20);
});

/** One FastCGI request as nginx would send it; `age`: how many seconds
 * ago nginx received it (REQUEST_START). */
async function fcgi({ method, path, json, headers = {}, age = 0 }) {
  const requestId = randomBytes(12).toString('hex');
  const res = await fcgiRequest(SOCKET, {
    method, path, json, remoteAddr: '127.0.0.1',
    headers: { Authorization: `Bearer ${admin.token}`, ...headers },
    params: { REQUEST_ID: requestId, REQUEST_START: (Date.now() / 1000 - age).toFixed(3) },
  });
  return { ...res, requestId };
}

const audited = async (requestId) => Number((await db(`SELECT COUNT(*) FROM audit_log WHERE request_id = '${requestId}'`))[0][0]);

test('the FastCGI path itself: a fresh write through the socket is done and audited (the control)', async () => {
  const name = uniq('Délai témoin');
  const res = await fcgi({ method: 'POST', path: '/api/v1/structures', json: { kind: 'inspe_site', name } });
  assert.equal(res.status, 201, res.text);
  cleanup.structure(res.body.id);
  assert.equal(await audited(res.requestId), 1);
});

test('a request older than its deadline is refused with 503 before it runs: nothing written or audited', async () => {
  const name = uniq('Délai dépassé');
  const res = await fcgi({ method: 'POST', path: '/api/v1/structures', json: { kind: 'inspe_site', name }, age: deadline + 1 });
  assert.equal(res.status, 503, res.text);
  assert.equal(res.body.code, 'service_overloaded');
  assert.equal(res.headers['retry-after'], '1');
  assert.deepEqual(await db(`SELECT id FROM structure WHERE name = '${name}'`), []);
  assert.equal(await audited(res.requestId), 0);
  const read = await fcgi({ method: 'GET', path: '/api/v1/auth/me', age: deadline + 1 });
  assert.equal(read.status, 503, read.text);
});

test('a write still running at its deadline is rolled back, not committed after its client was answered', async (t) => {
  const created = await post('/api/v1/structures', { kind: 'inspe_site', name: uniq('Délai verrou') }, { token: admin.token });
  assert.equal(created.status, 201, show(created));
  cleanup.structure(created.body.id);
  const id = created.body.id;
  const before = await get(`/api/v1/structures/${id}`, { token: admin.token });

  // Another transaction holds the row: the write waits on its lock past
  // its deadline (2 s of it are left when it arrives), then gets the row.
  const holder = dbSession();
  t.after(() => holder.end());
  await holder.run(`START TRANSACTION; SELECT id FROM structure WHERE id = ${n(id)} FOR UPDATE`);
  const pending = fcgi({
    method: 'PATCH', path: `/api/v1/structures/${id}`, json: { name: 'Écrit trop tard' },
    headers: { 'If-Match': `"${before.body.version}"` }, age: deadline - 2,
  });
  for (let i = 0; ; i++) {
    const waiting = await db("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'UPDATE structure SET%'");
    if (waiting[0][0] !== '0') break;
    assert.ok(i < 200, 'the write never waited on the lock');
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 3000)); // past its deadline, still waiting
  await holder.run('COMMIT');
  const res = await pending;
  assert.equal(res.status, 503, res.text);
  assert.equal(res.body.code, 'service_overloaded');
  const after = await get(`/api/v1/structures/${id}`, { token: admin.token });
  assert.equal(after.body.name, before.body.name, 'the late write was not committed');
  assert.equal(after.body.version, before.body.version);
  assert.equal(await audited(res.requestId), 0);
});
