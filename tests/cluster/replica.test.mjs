// The reporting replica: an asynchronous, read-only replica of node 1
// (GTID), the service's [database.reporting]. /ready checks it, a write
// through the API reaches it, and it refuses the reporting account a write
// (issue 7, item 5).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { as, get, post, show, uniq } from '../lib/index.mjs';
import { CLUSTER_STATE, replicaSql, nodeSql, waitFor } from './cluster.mjs';

const name = uniq('replica');
after(() => nodeSql(1, `DELETE FROM structure WHERE name = '${name}'`));

test('/api/v1/ready checks the reporting connection', async () => {
  const ready = await get('/api/v1/ready');
  assert.equal(ready.status, 200, show(ready));
  assert.equal(ready.body.checks.reporting, 'ok', show(ready));
});

test('a structure created through the API appears on the reporting replica', async () => {
  const admin = await as('lyon', 'admin');
  const res = await post('/api/v1/structures', { kind: 'inspe_site', name }, { token: admin.token });
  assert.equal(res.status, 201, show(res));
  // Asynchronous: poll with a bound, no claim on the delay.
  await waitFor(async () => (await replicaSql(`SELECT id FROM structure WHERE name = '${name}'`)).length === 1,
    'the write reaches the replica', 60000);
  const [[id]] = await replicaSql(`SELECT id FROM structure WHERE name = '${name}'`);
  assert.equal(Number(id), Number(res.body.id), 'the same row, the same id');
});

test('the replica is read-only for the reporting account', async () => {
  const password = readFileSync(join(CLUSTER_STATE, 'secrets', 'db_reporting_password'), 'utf8');
  const err = await new Promise((resolve) => {
    execFile('mariadb', ['--no-defaults', `--socket=${join(CLUSTER_STATE, 'run', 'replica.sock')}`,
      '-ututorat_reporting', `-p${password}`, 'tutorat', '-e', `UPDATE structure SET name = 'x' WHERE name = '${name}'`],
    (e, stdout, stderr) => resolve(e ? stderr : ''));
  });
  assert.match(err, /command denied|read-only|READ-ONLY/, 'the reporting account cannot write');
  const rows = await replicaSql(`SELECT COUNT(*) FROM structure WHERE name = 'x'`);
  assert.equal(rows[0][0], '0');
});
