// One tutoratd instance killed by SIGKILL under a mixed load: the requests
// it was serving may fail (nginx never passes a POST it has sent to
// another instance), nothing else does: nginx sends every later request to
// the other instance, which keeps serving; every acknowledged write is
// stored; the instance restarted serves again (issue 7, item 4).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { as, uniq, configInt } from '../lib/index.mjs';
import {
  startLoad, outcome, checkWrites, kill, start, logMark, servedSince, cleanupLoad,
} from './cluster.mjs';

const tag = uniq('instkill');
after(async () => {
  await start('tutoratd-1');
  await cleanupLoad(tag);
});

test('tutoratd-1 killed under load: only requests in flight at it fail, tutoratd-2 serves, every acknowledged write stored', async (t) => {
  const admin = await as('lyon', 'admin');
  const threads = configInt('server', 'threads', 8) * configInt('server', 'processes', 1);
  const load = startLoad({ token: admin.token, tag, writers: 8, readers: 4 });
  let requests;
  let killedAt;
  try {
    await load.progress(50, '50 writes acknowledged before the fault');
    await kill('tutoratd-1', 'SIGKILL'); // returns once the process is gone
    // A request sent between the signal and the process's end may still
    // land in its queue: it was in flight there. One sent later may not fail.
    killedAt = Date.now();
    await load.progress(100, 'tutoratd-2 serves the writes alone');
    const mark = logMark('tutoratd-1');
    await start('tutoratd-1');
    await servedSince('tutoratd-1', mark);
    await load.progress(50, 'writes go on once tutoratd-1 is back');
  } finally {
    requests = await load.stop();
  }
  const o = outcome(requests);
  t.diagnostic(o.summary);
  const late = o.failed.filter((r) => r.start > killedAt);
  assert.deepEqual(late.map((r) => `${r.kind} ${r.name ?? ''}: ${r.status} ${r.code ?? r.error ?? ''}`), [],
    `no request sent after the process was gone failed (${o.summary})`);
  assert.ok(o.failed.length <= threads, `at most the ${threads} requests tutoratd-1 was serving failed: ${o.summary}`);
  assert.ok(o.failed.every((r) => r.kind === 'write'), `a failed read is retried by nginx on the other instance: ${o.summary}`);
  assert.deepEqual((await checkWrites([1], tag, requests)).missing, [], 'every acknowledged write is stored');
});
