// The writer node (node 1, first of `[database] hosts`) killed under 16
// concurrent writers while nodes 2 and 3 keep quorum: the service goes on,
// on node 2, without a restart; the errors are the requests in flight when
// node 1 died; every acknowledged write is on the surviving nodes, and on
// node 1 once it is back (IST); no write whose client got an error is on
// any node (issue 7, item 4).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { as, uniq } from '../lib/index.mjs';
import {
  startLoad, checkWrites, kill, start, nodeStatus, cleanupLoad, failedOutside, inFlight,
  waitFor, assertSettled,
} from './cluster.mjs';

const tag = uniq('writerloss');
after(async () => {
  await start('mariadb-1'); // whatever the outcome: the next tests need it
  await cleanupLoad(tag);
});

test('the writer node killed under 16 writers: service resumes on node 2, every acknowledged write everywhere, none that failed', async (t) => {
  const admin = await as('lyon', 'admin');
  const load = startLoad({ token: admin.token, tag, writers: 16, readers: 0 });
  let requests;
  let killed;
  try {
    await load.progress(50, '50 writes acknowledged before the fault');
    killed = await kill('mariadb-1', 'SIGKILL'); // returns once the process is gone
    // The fault lasts until nodes 2 and 3 have evicted node 1 (Galera's
    // evs.suspect_timeout, then a view change): meanwhile their commits
    // wait, and one may outlive [database] timeout. Polled closely.
    await waitFor(async () => {
      const s = await nodeStatus(2);
      return s.wsrep_cluster_size === '2' && s.wsrep_cluster_status === 'Primary';
    }, 'nodes 2 and 3 form the primary component without node 1', 120000, 20);
    killed.goneAt = Date.now();
    await load.progress(100, 'writes resume on node 2 without any restart');
    for (const n of [2, 3]) {
      const s = await nodeStatus(n);
      assert.equal(s.wsrep_cluster_status, 'Primary', `node ${n} keeps quorum: ${JSON.stringify(s)}`);
    }
    assert.deepEqual((await checkWrites([2, 3], tag, load.requests.filter((r) => r.end))).missing, [],
      'while node 1 is dead');
    await start('mariadb-1'); // rejoins by IST, returns once Synced
    await load.progress(50, 'writes go on once node 1 is back');
  } finally {
    requests = await load.stop();
  }
  const o = await assertSettled(t, tag, requests);
  // Each failure was a request in flight during the fault (from the kill
  // to node 1's eviction); a request sent later was served by node 2.
  t.diagnostic(`${o.failed.length} failed of the ${inFlight(requests, killed)} requests in flight during the fault`);
  assert.deepEqual(failedOutside(requests, killed), [], `only requests in flight during the fault failed (${o.summary})`);
});
