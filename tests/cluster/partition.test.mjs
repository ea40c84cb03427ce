// A network partition of one Galera node (node 3) under load: iptables
// drops every packet of the cluster's group communication to or from node
// 3's own loopback address (deploy/dev gives each node one, and Galera
// binds its outgoing connections to it, so the rule cuts node 3 off and
// nothing else: not MariaDB clients, not the other nodes between them).
// The two-node side keeps quorum and serves writes; node 3 goes
// non-primary and refuses queries; once healed, node 3 rejoins and has
// every write (issue 7, item 4). iptables rather than a network namespace:
// the node keeps its addresses and its process, as a cut cable would.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { as, uniq } from '../lib/index.mjs';
import {
  cutOff, heal, startLoad, outcome, checkWrites, nodeSql, nodeStatus, synced, waitFor, cleanupLoad,
} from './cluster.mjs';

const tag = uniq('partition');
after(async () => {
  await heal(3);
  await waitFor(() => synced(3), 'node 3 back in the primary component after the partition');
  await cleanupLoad(tag);
});

test('node 3 cut off: the two-node side keeps serving writes, node 3 refuses queries, then rejoins with every write', async (t) => {
  const admin = await as('lyon', 'admin');
  const load = startLoad({ token: admin.token, tag, writers: 6, readers: 2 });
  let requests;
  try {
    await load.progress(30, 'writes acknowledged before the partition');
    await cutOff(3);
    await waitFor(async () => (await nodeStatus(3)).wsrep_cluster_status !== 'Primary',
      'node 3 leaves the primary component once cut off');
    for (const n of [1, 2]) {
      const s = await nodeStatus(n);
      assert.equal(s.wsrep_cluster_status, 'Primary', `node ${n} keeps quorum: ${JSON.stringify(s)}`);
      assert.equal(s.wsrep_cluster_size, '2', `node ${n} sees a two-node cluster`);
    }
    await load.progress(50, 'the two-node side serves writes');
    await assert.rejects(nodeSql(3, 'SELECT COUNT(*) FROM structure'), /WSREP has not yet prepared node|Unknown command/,
      'a non-primary node refuses queries');
  } finally {
    await heal(3);
    try {
      await waitFor(() => synced(3), 'node 3 rejoins once the partition is healed');
      await load.progress(30, 'writes go on after the heal');
    } finally {
      requests = await load.stop();
    }
  }
  const o = outcome(requests);
  t.diagnostic(o.summary);
  const found = await checkWrites([1, 2, 3], tag, requests);
  assert.deepEqual(found.missing, [], 'every acknowledged write is on every node');
  assert.deepEqual(found.ghosts, [], 'no write whose client got an error is stored');
  // Commits stall while the group evicts node 3: one that outlives
  // [database] timeout is answered from its audit row (503 when it is not
  // stored), so a few requests in flight may fail, one per writer at most.
  assert.ok(o.failed.length <= 6, o.summary);
});
