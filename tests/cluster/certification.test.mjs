// A write that Galera aborts for a conflicting write of another node is run
// again by the service, the whole transaction, and the client sees one
// answer (issue 7, item 3).
//
// The conflict is made on purpose, not hoped for. On node 1 (the writer) a
// root session holds a gap lock at the end of Lyon's audit_log, so that the
// API's structure creation waits at its audit row, holding the académie's
// academy_state row it has just updated (every reference write does). Node
// 2 then updates that same row: node 1 applies it, finds the row locked by
// a local transaction and aborts that transaction (a brute-force abort:
// error 1213 on the waiting statement). The root session then lets go.
// Without the retry the client gets a 503; with it, a 201 and one
// structure, on every node.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { as, post, sleep, uniq, show, FCGI_SOCKETS } from '../lib/index.mjs';
import { fcgiRequest } from '../lib/fcgi.mjs';
import { CLUSTER_STATE, nodeSql, waitFor, cleanupLoad } from './cluster.mjs';

const tag = uniq('cert');
after(() => cleanupLoad(tag));

/** A root session on node N that stays open: send(sql) writes one statement. */
function session(n) {
  const child = spawn('mariadb', ['--no-defaults', `--socket=${join(CLUSTER_STATE, 'run', `mariadb-${n}.sock`)}`,
    '-uroot', '-N', '-B', '--unbuffered', 'tutorat'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  return {
    send: (sql) => child.stdin.write(`${sql};\n`),
    output: () => out,
    end: () => new Promise((resolve) => { child.on('close', resolve); child.stdin.end(); }),
  };
}

/** tutorat_db_transaction_retries_total summed over the instances, each asked on its own socket. */
async function retries() {
  let total = 0;
  for (const socket of FCGI_SOCKETS) {
    const res = await fcgiRequest(socket, { method: 'GET', path: '/metrics', remoteAddr: '127.0.0.1' });
    assert.equal(res.status, 200, `/metrics of ${socket}: ${res.status}`);
    const m = /^tutorat_db_transaction_retries_total (\d+)/m.exec(res.text);
    total += m ? Number(m[1]) : 0;
  }
  return total;
}

test('a structure creation aborted by a conflicting write of node 2 is run again: one 201, one row, on every node', async (t) => {
  const admin = await as('lyon', 'admin');
  const [[academy]] = await nodeSql(1, "SELECT id FROM academy WHERE code = 'lyon'");
  const name = `${tag} conflict`;
  const before = await retries();
  const holder = session(1);
  try {
    // The end of Lyon's audit trail, locked: the next audit row waits.
    holder.send('SET SESSION innodb_lock_wait_timeout = 30');
    holder.send('BEGIN');
    holder.send(`SELECT COUNT(*) FROM audit_log WHERE academy_id = ${Number(academy)} AND id > (SELECT MAX(id) FROM audit_log) FOR UPDATE`);
    await waitFor(async () => holder.output() !== '', 'the root session holds its lock');
    assert.match(holder.output(), /^\d+\n$/, `the locking read: ${holder.output()}`);

    const answer = post('/api/v1/structures', { kind: 'inspe_site', name }, { token: admin.token });
    await waitFor(async () => (await nodeSql(1,
      "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'"))[0][0] !== '0',
    'the creation waits at its audit row');

    // Node 2 changes the row the waiting transaction holds.
    await nodeSql(2, `UPDATE academy_state SET reference_version = reference_version + 1 WHERE academy_id = ${Number(academy)}`);
    const [[version2]] = await nodeSql(2, `SELECT reference_version FROM academy_state WHERE academy_id = ${Number(academy)}`);
    // Node 1 has applied it once it shows there: its applier went first.
    await waitFor(async () => (await nodeSql(1,
      `SELECT reference_version FROM academy_state WHERE academy_id = ${Number(academy)}`))[0][0] === version2,
    'node 1 applied the write of node 2');
    await sleep(200);
    holder.send('ROLLBACK');

    const res = await answer;
    assert.equal(res.status, 201, `one answer, a success: ${show(res)}`);
    for (const n of [1, 2, 3]) {
      const rows = await nodeSql(n, `SELECT COUNT(*) FROM structure WHERE name = '${name}'`);
      assert.equal(rows[0][0], '1', `node ${n}: the structure once`);
    }
  } finally {
    await holder.end();
  }
  const n = (await retries()) - before;
  t.diagnostic(`transactions run again: ${n}`);
  assert.ok(n >= 1, 'the service ran the transaction again');
});
