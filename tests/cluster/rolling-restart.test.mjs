// A rolling restart under a steady mixed load, as docs/deploy.md describes
// it: SIGTERM to tutoratd-1 (it drains what it has taken and exits), start
// it again, wait until nginx sends it requests again (its log shows them),
// then the same for tutoratd-2. Not one
// request may fail, and every acknowledged write is stored (issue 7,
// items 2 and 3).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { as, uniq } from '../lib/index.mjs';
import {
  startLoad, outcome, checkWrites, stop, start, logMark, servedSince, cleanupLoad,
} from './cluster.mjs';

const tag = uniq('rolling');
after(async () => {
  for (const name of ['tutoratd-1', 'tutoratd-2']) await start(name);
  await cleanupLoad(tag);
});

test('rolling restart of both instances under load: every request answered 2xx, every acknowledged write stored', async (t) => {
  const admin = await as('lyon', 'admin');
  const load = startLoad({ token: admin.token, tag, writers: 6, readers: 4 });
  let requests;
  try {
    await load.progress(30, 'writes acknowledged before the restart');
    for (const name of ['tutoratd-1', 'tutoratd-2']) {
      await stop(name); // SIGTERM, returns once every process of it has exited
      await load.progress(20, `the other instance serves while ${name} is down`);
      const mark = logMark(name);
      await start(name); // returns once its socket is there
      // Before the next one stops: nginx sends this one requests again.
      await servedSince(name, mark);
      await load.progress(20, `writes go on once ${name} is back`);
    }
  } finally {
    requests = await load.stop();
  }
  const o = outcome(requests);
  t.diagnostic(o.summary);
  assert.deepEqual(o.failed.map((r) => `${r.kind} ${r.name ?? ''}: ${r.status} ${r.code ?? r.error ?? ''}`), [],
    `no request failed (${o.summary})`);
  const { missing, ghosts } = await checkWrites([1], tag, requests);
  assert.deepEqual([...missing, ...ghosts], []);
});
