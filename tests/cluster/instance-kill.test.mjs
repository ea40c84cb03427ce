// One tutoratd instance killed by SIGKILL under a mixed load: the requests
// in flight at it may fail (the ones its threads serve and the ones queued
// in its socket: nginx never passes a POST it has sent to another
// instance), nothing else does: nginx sends every later request to
// the other instance, which keeps serving; every acknowledged write is
// stored; the instance restarted serves again (issue 7, item 4).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { as, uniq } from '../lib/index.mjs';
import {
  startLoad, outcome, checkWrites, kill, start, logMark, servedSince, cleanupLoad, failedOutside,
  inFlight,
} from './cluster.mjs';

const tag = uniq('instkill');
after(async () => {
  await start('tutoratd-1');
  await cleanupLoad(tag);
});

test('tutoratd-1 killed under load: only requests in flight at it fail, tutoratd-2 serves, every acknowledged write stored', async (t) => {
  const admin = await as('lyon', 'admin');
  const load = startLoad({ token: admin.token, tag, writers: 8, readers: 4 });
  let requests;
  let killed;
  try {
    await load.progress(50, '50 writes acknowledged before the fault');
    killed = await kill('tutoratd-1', 'SIGKILL'); // returns once the process is gone
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
  t.diagnostic(`${o.failed.length} failed of the ${inFlight(requests, killed)} requests in flight at the kill`);
  // In flight at tutoratd-1: the ones its threads served, and the ones
  // queued in its socket, which the kernel resets when the process dies
  // (under systemd's socket activation they would wait for the next start).
  assert.deepEqual(failedOutside(requests, killed), [],
    `only requests in flight at the kill failed (${o.summary})`);
  assert.ok(o.failed.every((r) => r.kind === 'write'), `a failed read is retried by nginx on the other instance: ${o.summary}`);
  assert.deepEqual((await checkWrites([1], tag, requests)).missing, [], 'every acknowledged write is stored');
});
