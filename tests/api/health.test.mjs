// GET /api/v1/health is answered outside the worker pool (issue 7): each
// tutoratd process has a health thread on a socket of its own, which nginx
// asks. A stall that holds every worker thread (here a hung MariaDB:
// SIGSTOP, the process keeps its sockets but answers nothing) leaves the
// process answering its health, with figures that show the stall, while
// the held requests are still waiting. MariaDB is resumed whatever the
// outcome.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_DIR, ON_CLUSTER, get, show, sleep, readConfig, as } from '../lib/index.mjs';

const pidOf = (name) => Number(readFileSync(join(STATE_DIR, 'run', `${name}.pid`), 'utf8').trim());

test('a hung database holds every worker thread: /api/v1/health still answers 200, with every thread busy, while the held requests wait', async (t) => {
  if (ON_CLUSTER) {
    t.skip('single-stack only: on the cluster a stopped Galera node is a lost node, and the workers '
      + 'move to the next one (tests/cluster/writer-loss.test.mjs)');
    return;
  }
  const threads = Number(readConfig().server.threads);
  const mariadb = pidOf('mariadb');
  const admin = await as('lyon', 'admin'); // signed in before the database stops
  const held = [];
  let answered = 0;
  let health;

  process.kill(mariadb, 'SIGSTOP');
  try {
    // More requests than threads, each waiting on the database (a search
    // of its own: no answer of it is cached): every worker thread takes
    // one, the rest wait in the socket's backlog. (/api/v1/ready no longer
    // does: it serves its last check, made by one thread at a time.)
    for (let i = 0; i < threads + 4; i++) {
      held.push(get('/api/v1/people', { token: admin.token, query: { q: `held${i}-${Date.now()}` } })
        .then((res) => { answered++; return res; }));
    }
    // Polled until the pool is full (a bound, never a timing): through nginx,
    // as a load balancer or a monitor asks it.
    for (const end = Date.now() + 20000; ;) {
      health = await get('/api/v1/health');
      if (health.status === 200 && health.body.busy_threads === threads) break;
      assert.ok(Date.now() < end, `every worker thread busy within 20 s: ${show(health)}`);
      await sleep(50);
    }
    assert.equal(answered, 0, 'no held request has been answered: the pool is still stalled');
    assert.equal(health.body.status, 'ok', show(health));
    assert.equal(health.body.threads, threads, show(health));
    assert.ok(health.body.oldest_request_seconds > 0, show(health));
    assert.equal(health.headers['cache-control'], 'no-store');
    const again = await get('/api/v1/health');
    assert.equal(again.status, 200, show(again));
    assert.equal(again.body.busy_threads, threads, show(again));
    assert.equal(answered, 0, 'still stalled at the second health answer');
  } finally {
    process.kill(mariadb, 'SIGCONT');
  }

  // Resumed, the held requests end: each with its list, or a 503 naming
  // the database that did not answer in time.
  const answers = await Promise.all(held);
  for (const res of answers) {
    if (res.status === 200) assert.ok(Array.isArray(res.body.items), show(res));
    else assert.equal(res.status, 503, show(res));
  }
  for (const end = Date.now() + 20000; ;) {
    const ready = await get('/api/v1/ready');
    if (ready.status === 200) break;
    assert.ok(Date.now() < end, `ready again within 20 s: ${show(ready)}`);
    await sleep(100);
  }
  const after = await get('/api/v1/health');
  assert.equal(after.body.busy_threads, 0, show(after));
  assert.equal(after.body.oldest_request_seconds, 0, show(after));
});
