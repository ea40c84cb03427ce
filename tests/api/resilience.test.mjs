// A dead or hung dependency gives a clear 503 naming it, never a hang, and
// the service recovers by itself when the dependency comes back; a dropped
// MariaDB connection is re-established by the worker that held it.
//
// The dependencies are really stopped (SIGSTOP: the process keeps its
// sockets but answers nothing, the worst case for a client) and always
// resumed, whatever the test's outcome.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  STATE_DIR, DB_PIDFILE, ON_CLUSTER, get, post, as, loginRaw, assertProblem, show, db, dbValue, configInt, freshAddress,
  sleep, auditRows, academyId, q,
} from '../lib/index.mjs';

// The MariaDB the service writes to (on the cluster stack: node 1).
function pidOf(name) {
  const file = name === 'mariadb' ? DB_PIDFILE : join(STATE_DIR, 'run', `${name}.pid`);
  return Number(readFileSync(file, 'utf8').trim());
}

/** Runs fn while the process is stopped; resumes it in every case. */
async function whileStopped(name, fn) {
  const pid = pidOf(name);
  process.kill(pid, 'SIGSTOP');
  try {
    return await fn();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}

test('a hung directory: login answers 503 ldap_unavailable, ready names it, then both recover', async () => {
  const admin = await as('lyon', 'admin'); // signed in before the directory hangs
  const { login, ready, people } = await whileStopped('slapd', async () => ({
    login: await loginRaw('lyon', 'stagiaire1', 'demo'),
    ready: await get('/api/v1/ready'),
    // What does not need the directory keeps working.
    people: await get('/api/v1/people', { token: admin.token, query: { q: 'stagiaire1' } }),
  }));
  assertProblem(login, 503, 'ldap_unavailable');
  assert.equal(ready.status, 503, show(ready));
  assert.equal(ready.body.status, 'unavailable');
  assert.equal(ready.body.checks['ldap:lyon'], 'unavailable', show(ready));
  assert.equal(ready.body.checks.database, 'ok', show(ready));
  assert.equal(people.status, 200, show(people));
  assert.ok(people.body.items.some((p) => p.username === 'stagiaire1'));

  const again = await loginRaw('lyon', 'stagiaire1', 'demo');
  assert.equal(again.status, 200, `login after the directory came back: ${show(again)}`);
  const readyAgain = await get('/api/v1/ready');
  assert.equal(readyAgain.status, 200, show(readyAgain));
  assert.equal(readyAgain.body.checks['ldap:lyon'], 'ok');
});

test('a hung directory holds no database transaction: parallel logins fail each in one LDAP timeout, the rest of the API answers', async (t) => {
  // Before: each login counted its attempt, then asked LDAP with the
  // counter rows still locked in its transaction. Logins from one address
  // queued behind each other on those rows, and the waiting ones answered
  // 503 database_unavailable (MariaDB's read timeout) while MariaDB was fine.
  const timeout = configInt('academy lyon', 'timeout', 3);
  const admin = await as('lyon', 'admin');
  const addr = freshAddress(); // one address: the logins share its counter row
  const accounts = ['stagiaire1', 'stagiaire2', 'tuteur.inspe1', 'direction1'];
  const aid = await academyId('lyon');
  const label = `Pendant l'arrêt de l'annuaire ${Date.now()}`;
  const done = []; // what answered, in order
  const tracked = (name, promise) => promise.then((res) => { done.push(name); return res; });

  const { logins, health, read, write } = await whileStopped('slapd', async () => {
    const pending = accounts.map((u) => tracked(`login ${u}`, loginRaw('lyon', u, 'demo', { localAddress: addr })));
    await sleep(500); // the logins are waiting on the directory
    const others = [
      tracked('health', get('/api/v1/health')),
      tracked('read', get('/api/v1/people', { token: admin.token, query: { q: 'stagiaire1' } })),
      tracked('write', post('/api/v1/structures', { kind: 'inspe_site', name: label }, { token: admin.token })),
    ];
    const [h, r, w] = await Promise.all(others);
    return { logins: await Promise.all(pending), health: h, read: r, write: w };
  });
  try {
    for (const [i, res] of logins.entries()) {
      t.diagnostic(`login ${accounts[i]}: ${res.status} ${res.body?.code} in ${res.ms.toFixed(0)} ms`);
      assertProblem(res, 503, 'ldap_unavailable');
      // One LDAP timeout each, side by side: not one retry after another,
      // nor a queue behind the other logins' locks.
      assert.ok(res.ms < (timeout * 1.5 + 1) * 1000, `login ${accounts[i]} answered in ${res.ms.toFixed(0)} ms; the LDAP timeout is ${timeout} s`);
    }
    assert.equal(health.status, 200, show(health));
    assert.equal(read.status, 200, show(read));
    assert.ok(read.body.items.some((p) => p.username === 'stagiaire1'));
    assert.equal(write.status, 201, show(write));
    assert.equal(await dbValue(`SELECT name FROM structure WHERE id = ${Number(write.body.id)}`), label);
    assert.deepEqual(done.slice(0, 3).sort(), ['health', 'read', 'write'],
      `the other requests answered while the logins waited on the directory: ${done.join(', ')}`);

    // Each attempt was counted before the directory was asked, then given
    // back: no password was tried, nothing else was written.
    for (const res of logins) assert.deepEqual(await auditRows(res.requestId), [], `audit of ${res.requestId}`);
    assert.deepEqual(await db(`SELECT DISTINCT failures FROM login_throttle WHERE academy_id = ${aid}
      AND kind = 'pair' AND subject LIKE ${q(`${addr}|%`)}`), [['0']], 'each account has its count back from the address');
  } finally {
    if (write?.body?.id) await db(`DELETE FROM structure WHERE id = ${Number(write.body.id)}`);
    await db(`DELETE FROM login_throttle WHERE academy_id = ${aid} AND kind = 'pair' AND subject LIKE ${q(`${addr}|%`)}`);
  }
});

test('a hung database: ready answers 503 naming the database, then recovers', async (t) => {
  if (ON_CLUSTER) {
    t.skip('single-stack only: a Galera node stopped longer than evs.suspect_timeout is a lost node, '
      + 'which the service rides out on the others (tests/cluster/writer-loss.test.mjs)');
    return;
  }
  const ready = await whileStopped('mariadb', () => get('/api/v1/ready'));
  assert.equal(ready.status, 503, show(ready));
  assert.equal(ready.body.checks.database, 'unavailable', show(ready));

  const readyAgain = await get('/api/v1/ready');
  assert.equal(readyAgain.status, 200, show(readyAgain));
  assert.equal(readyAgain.body.checks.database, 'ok');
});

test('connections killed in MariaDB are re-established: reads and writes go on', async () => {
  const admin = await as('lyon', 'admin');
  const before = await get('/api/v1/people', { token: admin.token, query: { q: 'admin' } });
  assert.equal(before.status, 200, show(before));

  // Every connection of the service, as a failover or a restart would drop them.
  const ids = (await db("SELECT id FROM information_schema.processlist WHERE user = 'tutorat'"))
    .map((row) => row[0]);
  assert.ok(ids.length > 0, 'the service holds database connections');
  for (const id of ids) await db(`KILL ${Number(id)}`);

  const read = await get('/api/v1/people', { token: admin.token, query: { q: 'admin' } });
  assert.equal(read.status, 200, `a read after the connections died: ${show(read)}`);
  assert.ok(read.body.items.some((p) => p.username === 'admin'));

  // Kill them again: a write starts its transaction on a dead connection.
  for (const [id] of await db("SELECT id FROM information_schema.processlist WHERE user = 'tutorat'")) {
    await db(`KILL ${Number(id)}`);
  }
  const label = `Résilience ${Date.now()}`;
  const created = await post('/api/v1/structures', { kind: 'inspe_site', name: label }, { token: admin.token });
  assert.equal(created.status, 201, `a write after the connections died: ${show(created)}`);
  const id = Number(created.body.id);
  assert.equal(await dbValue(`SELECT name FROM structure WHERE id = ${id}`), label);
  assert.equal(await dbValue(`SELECT COUNT(*) FROM audit_log WHERE request_id = '${created.requestId}'`), '1');
  await db(`DELETE FROM structure WHERE id = ${id}`);
});
