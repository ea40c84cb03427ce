// Node replacement, as docs/deploy.md describes it: under load, node 3 is
// stopped, its datadir wiped (a new disk, a new machine), and started
// again: it joins by a full copy (SST, rsync) from node 2, not from the
// writer (wsrep_sst_donor), and then holds every acknowledged write.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { as, uniq } from '../lib/index.mjs';
import {
  CLUSTER_STATE, startLoad, outcome, checkWrites, stop, start, synced, cleanupLoad,
} from './cluster.mjs';

const tag = uniq('replace');
after(async () => {
  await start('mariadb-3');
  await cleanupLoad(tag);
});

test('node 3 replaced by an empty one under load: it joins by SST from node 2 and holds every acknowledged write', async (t) => {
  const admin = await as('lyon', 'admin');
  const load = startLoad({ token: admin.token, tag, writers: 4, readers: 2 });
  const logFile = join(CLUSTER_STATE, 'log', 'mariadb-3.log');
  let requests;
  let joined;
  try {
    await load.progress(30, 'writes acknowledged before the replacement');
    await stop('mariadb-3'); // SIGTERM: it leaves the cluster
    rmSync(join(CLUSTER_STATE, 'mysql-3'), { recursive: true, force: true });
    await load.progress(30, 'writes go on with two nodes');
    const before = readFileSync(logFile, 'utf8').length;
    await start('mariadb-3'); // returns once it is Synced
    joined = readFileSync(logFile, 'utf8').slice(before);
    await load.progress(30, 'writes go on once node 3 is back');
  } finally {
    requests = await load.stop();
  }
  const o = outcome(requests);
  t.diagnostic(o.summary);
  assert.match(joined, /rsync SST completed on joiner/, 'node 3 received a full copy');
  assert.match(joined, /Member 2\.\d+ \(node3\) requested state transfer from 'node2,node1,'\. Selected 1\.\d+ \(node2\)\(SYNCED\) as donor|Selected \d+\.\d+ \(node2\)/,
    'from node 2, not from the writer');
  assert.ok(await synced(3), 'node 3 is Synced');
  const { missing, ghosts } = await checkWrites([1, 2, 3], tag, requests);
  assert.deepEqual([...missing, ...ghosts], []);
  assert.deepEqual(o.failed.map((r) => `${r.kind} ${r.name ?? ''}: ${r.status}`), [], o.summary);
});
