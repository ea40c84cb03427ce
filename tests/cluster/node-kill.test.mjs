// A Galera node that is not the writer (node 2) killed by SIGKILL under 16
// concurrent writers, then restarted: it rejoins by IST (the writes it
// missed, from a donor's cache; deploy/dev recovers its position first, as
// Debian's galera_recovery does), and afterwards every acknowledged write
// is on all three nodes and no write whose client got an error is on any
// (issue 7, item 4).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { as, uniq } from '../lib/index.mjs';
import {
  CLUSTER_STATE, startLoad, kill, start, cleanupLoad, assertSettled,
} from './cluster.mjs';

const tag = uniq('nodekill');
after(() => cleanupLoad(tag));

test('node 2 killed under 16 writers and restarted: every acknowledged write on all three nodes, none that failed', async (t) => {
  const admin = await as('lyon', 'admin');
  const load = startLoad({ token: admin.token, tag, writers: 16, readers: 0 });
  let requests;
  try {
    await load.progress(50, '50 writes acknowledged before the fault');
    await kill('mariadb-2', 'SIGKILL');
    await load.progress(100, 'writes go on while node 2 is dead');
    const logBefore = readFileSync(join(CLUSTER_STATE, 'log', 'mariadb-2.log'), 'utf8').length;
    await start('mariadb-2'); // returns once node 2 is Synced
    const joined = readFileSync(join(CLUSTER_STATE, 'log', 'mariadb-2.log'), 'utf8').slice(logBefore);
    assert.match(joined, /IST received/, 'node 2 caught up by IST');
    assert.doesNotMatch(joined, /rsync SST completed on joiner/, 'not by a full copy (SST)');
    await load.progress(50, 'writes go on once node 2 is back');
  } finally {
    requests = await load.stop();
  }
  const o = await assertSettled(t, tag, requests);
  // The writer lived: the other node's death cost at most the requests in
  // flight when it died (nothing is sent to node 2 by the service).
  assert.ok(o.failed.length <= 16, `at most the 16 requests in flight failed: ${o.summary}`);
});
