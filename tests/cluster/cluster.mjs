// What the fault tests of the cluster stack share (./deploy/dev cluster
// test sets TUTORAT_CLUSTER_STATE and TUTORAT_DEV): its processes, started
// and stopped the way the stack starts them (`deploy/dev cluster start|stop
// NAME`) and killed by their PID file; SQL on each Galera node and on the
// replica; and a steady load through nginx that records every request it
// made, so that a test can say which writes were acknowledged and which
// failed, and look for each of them on every node.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { get, post, sleep, STATE_DIR } from '../lib/index.mjs';

export const CLUSTER_STATE = process.env.TUTORAT_CLUSTER_STATE || STATE_DIR;
const DEV = process.env.TUTORAT_DEV;

/** The cluster's ports (cluster.env, written by deploy/dev): {DB_PORT_1: 3311, ...}. */
export function clusterEnv() {
  const out = {};
  for (const line of readFileSync(join(CLUSTER_STATE, 'cluster.env'), 'utf8').split('\n')) {
    const m = /^([A-Z_0-9]+)=(.*)$/.exec(line);
    if (m) out[m[1]] = /^\d+$/.test(m[2]) ? Number(m[2]) : m[2];
  }
  return out;
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 << 20, ...opts }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

/** `deploy/dev cluster ARGS...` on the cluster under test. */
function dev(...args) {
  if (!DEV) throw new Error('TUTORAT_DEV is not set: run these tests with ./deploy/dev cluster test');
  return run(DEV, ['cluster', ...args], { env: { ...process.env, TUTORAT_CLUSTER_STATE: CLUSTER_STATE } });
}

/** Starts a process of the stack (mariadb-N, replica, tutoratd-N...) and waits until it serves. */
export const start = (name) => dev('start', name);
/** Stops it as an operator would: SIGTERM, and waits until it has exited. */
export const stop = (name) => dev('stop', name);

export function pidOf(name) {
  return Number(readFileSync(join(CLUSTER_STATE, 'run', `${name}.pid`), 'utf8').trim());
}

function threadCount(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).length;
  } catch {
    return 0; // gone meanwhile
  }
}

/** The live processes of process group PGID (zombies aside: exited, holding nothing). */
export function groupPids(pgid) {
  const out = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) !== pgid) continue;
    // A zombie is gone, unless it is a thread-group leader that exited
    // before its other threads: they still hold the descriptors (the
    // listening socket), and connections still queue there. The leader's
    // own /proc/PID/fd is empty by then (its file table is detached), so
    // its threads are what tell: /proc/PID/task lists them until the last
    // one has exited.
    if (state === 'Z' && threadCount(entry) <= 1) continue;
    out.push(Number(entry));
  }
  return out;
}

function logOf(name) {
  return join(CLUSTER_STATE, 'log', `${name}.log`);
}

/** Where NAME's log ends now: give it to servedSince(). */
export function logMark(name) {
  return statSync(logOf(name)).size;
}

/**
 * Waits until tutoratd instance NAME has logged N requests after MARK
 * (logMark): nginx sends it requests again. nginx keeps an instance that
 * failed max_fails times out of the upstream for fail_timeout after it is
 * back, so "its socket is there" is not yet "it serves".
 */
export async function servedSince(name, mark, n = 5) {
  await waitFor(() => {
    const text = readFileSync(logOf(name), 'utf8').slice(mark);
    return (text.match(/"request_id":/g) || []).length >= n;
  }, `${name} serves requests from nginx again`);
}

/**
 * Sends SIGNAL to the process of NAME's PID file (SIGKILL: to its whole
 * process group) and, for SIGKILL, waits until every process of it is gone. Returns {signalAt, goneAt}: a request is in flight at
 * the fault when it was sent before goneAt (a connection made after the
 * signal may still land in the dying process's queue) and not answered
 * before signalAt.
 */
export async function kill(name, signal = 'SIGKILL') {
  const pid = pidOf(name);
  const signalAt = Date.now();
  if (signal !== 'SIGKILL') {
    process.kill(pid, signal);
    return { signalAt, goneAt: Date.now() };
  }
  // The whole process group, as a crash of the instance or of the node:
  // tutoratd's supervisor and its worker processes, mariadbd and its SST
  // helpers (deploy/dev starts each in a group of its own).
  process.kill(-pid, 'SIGKILL');
  // Polled closely: goneAt bounds what counts as in flight.
  for (const end = Date.now() + 60000; groupPids(pid).length > 0;) {
    if (Date.now() > end) throw new Error(`${name} (pid ${pid}) still there 60 s after SIGKILL`);
    await sleep(10);
  }
  return { signalAt, goneAt: Date.now() };
}

/** The failed requests of a load that were not in flight at the fault KILLED (kill()'s answer). */
export function failedOutside(requests, killed) {
  return outcome(requests).failed
    .filter((r) => !(r.start < killed.goneAt && r.end > killed.signalAt))
    .map((r) => `${r.kind} ${r.name ?? ''}: ${r.status} ${r.code ?? r.error ?? ''}`);
}

/** How many requests of a load were in flight at the fault KILLED. */
export function inFlight(requests, killed) {
  return requests.filter((r) => r.start < killed.goneAt && (!r.end || r.end > killed.signalAt)).length;
}

/** Polls cond (sync or async) until it is true; fails naming `what` after the bound. */
export async function waitFor(cond, what, boundMs = 120000, everyMs = 200) {
  const end = Date.now() + boundMs;
  for (;;) {
    let ok = false;
    try {
      ok = await cond();
    } catch {
      ok = false;
    }
    if (ok) return;
    if (Date.now() > end) throw new Error(`${what}: still not the case after ${boundMs / 1000} s`);
    await sleep(everyMs);
  }
}

function sqlOn(socket, sql) {
  return run('mariadb', ['--no-defaults', `--socket=${socket}`, '-uroot', '-N', '-B', 'tutorat', '-e', sql])
    .then((out) => out.split('\n').filter((l) => l !== '').map((l) => l.split('\t')));
}

/** Rows of SQL run on Galera node N (through its own socket). */
export const nodeSql = (n, sql) => sqlOn(join(CLUSTER_STATE, 'run', `mariadb-${n}.sock`), sql);
/** Rows of SQL run on the reporting replica. */
export const replicaSql = (sql) => sqlOn(join(CLUSTER_STATE, 'run', 'replica.sock'), sql);

/** wsrep status of node N: {wsrep_cluster_status, wsrep_local_state_comment, wsrep_cluster_size}. */
export async function nodeStatus(n) {
  const rows = await nodeSql(n, `SHOW STATUS WHERE Variable_name IN
    ('wsrep_cluster_status', 'wsrep_local_state_comment', 'wsrep_cluster_size', 'wsrep_ready')`);
  return Object.fromEntries(rows);
}

export async function synced(n) {
  const s = await nodeStatus(n);
  return s.wsrep_cluster_status === 'Primary' && s.wsrep_local_state_comment === 'Synced';
}

/** The names of the structures a load wrote with TAG, as stored on node N. */
export async function storedNames(n, tag) {
  const rows = await nodeSql(n, `SELECT name FROM structure WHERE name LIKE '${tag.replace(/[^A-Za-z0-9 _-]/g, '')} %'`);
  return new Set(rows.map((r) => r[0]));
}

/**
 * A steady mixed load through nginx until stop(): WRITERS clients each
 * creating structures named "TAG w-i" (one request, one write, a name per
 * request) and READERS clients listing structures, each client one request
 * at a time (then PAUSEMS of rest). TOKEN: a bearer token, or a function
 * that gives the current one. Every request is recorded: {kind, name, start, end, status}
 * (status 0: no HTTP answer at all). progress(n) waits until n more writes
 * were acknowledged: the test's "the service goes on" has a bound, not a
 * timing.
 */
export function startLoad({ token, tag, writers = 4, readers = 2, pauseMs = 0 }) {
  const bearer = typeof token === 'function' ? token : () => token; // the soak renews its token
  const requests = [];
  let acked = 0;
  let stopping = false;
  const one = async (rec, send) => {
    requests.push(rec);
    try {
      const res = await send();
      rec.status = res.status;
      rec.code = res.body?.code;
    } catch (err) {
      rec.status = 0;
      rec.error = err.message;
    }
    rec.end = Date.now();
  };
  const loops = [];
  for (let w = 0; w < writers; w++) {
    loops.push((async () => {
      for (let i = 1; !stopping; i++) {
        const rec = { kind: 'write', name: `${tag} ${w}-${i}`, start: Date.now() };
        await one(rec, () => post('/api/v1/structures', { kind: 'inspe_site', name: rec.name }, { token: bearer() }));
        if (rec.status === 201) acked++;
        await sleep(rec.status === 201 ? pauseMs : Math.max(pauseMs, 50)); // an error: do not spin
      }
    })());
  }
  for (let r = 0; r < readers; r++) {
    loops.push((async () => {
      while (!stopping) {
        const rec = { kind: 'read', start: Date.now() };
        await one(rec, () => get('/api/v1/structures', { token: bearer(), query: { kind: 'inspe_site', limit: 20 } }));
        await sleep(rec.status === 200 ? pauseMs : Math.max(pauseMs, 50));
      }
    })());
  }
  return {
    requests,
    acked: () => acked,
    async progress(n, what = `${n} more acknowledged writes`, boundMs = 120000) {
      const target = acked + n;
      await waitFor(() => acked >= target, what, boundMs);
    },
    async stop() {
      stopping = true;
      await Promise.all(loops);
      return requests;
    },
  };
}

/** The outcome of a load's writes: acknowledged (201) names, failed ones, and a summary line. */
export function outcome(requests) {
  const writes = requests.filter((r) => r.kind === 'write');
  const acked = writes.filter((r) => r.status === 201);
  const failed = requests.filter((r) => (r.kind === 'write' ? r.status !== 201 : r.status !== 200));
  const byStatus = {};
  for (const r of failed) byStatus[r.status] = (byStatus[r.status] || 0) + 1;
  return {
    writes, acked, failed,
    failedWrites: failed.filter((r) => r.kind === 'write'),
    summary: `${requests.length} requests, ${writes.length} writes, ${acked.length} acknowledged, `
      + `${failed.length} failed ${JSON.stringify(byStatus)}`,
  };
}

/**
 * On each node of NODES, the writes of a load: `missing`, one line per
 * node where acknowledged writes are not stored; `ghosts`, one line per
 * node where writes are stored although their client got an error (a
 * write committed after its client was told it failed).
 */
export async function checkWrites(nodes, tag, requests) {
  const { acked, failedWrites } = outcome(requests);
  const missing = [];
  const ghosts = [];
  for (const n of nodes) {
    const names = await storedNames(n, tag);
    const lost = acked.filter((r) => !names.has(r.name));
    const stored = failedWrites.filter((r) => names.has(r.name));
    if (lost.length) missing.push(`node ${n}: ${lost.length} acknowledged writes missing: ${lost.slice(0, 5).map((r) => r.name)}`);
    if (stored.length) {
      ghosts.push(`node ${n}: ${stored.length} writes stored although their client got an error: `
        + stored.slice(0, 5).map((r) => `${r.name} (${r.status} ${r.code ?? r.error ?? ''})`).join(', '));
    }
  }
  return { missing, ghosts };
}

// A network partition of node N: iptables drops every packet of the group
// communication (the three gcomm ports) from or to node N's own loopback
// address (deploy/dev gives node N 127.0.0.1N, and Galera binds its
// outgoing connections to it too), so only node N is cut off.
function partitionRules(n) {
  const env = clusterEnv();
  const ports = [1, 2, 3].map((i) => env[`GCOMM_PORT_${i}`]).join(',');
  return ['-s', '-d'].map((dir) => [
    'INPUT', '-i', 'lo', '-p', 'tcp', dir, `127.0.0.${10 + n}`, '-m', 'multiport', '--ports', ports, '-j', 'DROP',
  ]);
}

/** Cuts node N off the others (see partitionRules). */
export async function cutOff(n) {
  for (const r of partitionRules(n)) await run('iptables', ['-w', '-I', ...r]);
}

/** Removes the rules of cutOff(N), whether they are there or not. */
export async function heal(n) {
  for (const r of partitionRules(n)) {
    try {
      await run('iptables', ['-w', '-D', ...r]);
    } catch { /* not there */ }
  }
}

/** Removes what a load wrote (through node 1, or the first node given). */
export async function cleanupLoad(tag, node = 1) {
  await nodeSql(node, `DELETE FROM structure WHERE name LIKE '${tag.replace(/[^A-Za-z0-9 _-]/g, '')} %'`);
}

/**
 * After a fault: the load's summary as a diagnostic, the three nodes Synced
 * in the primary component, every acknowledged write of TAG on every node
 * and none whose client got an error. Returns the outcome.
 */
export async function assertSettled(t, tag, requests) {
  const o = outcome(requests);
  t.diagnostic(o.summary);
  for (const n of [1, 2, 3]) assert.ok(await synced(n), `node ${n} is Synced in the primary component`);
  const found = await checkWrites([1, 2, 3], tag, requests);
  assert.deepEqual(found.missing, [], 'every acknowledged write is on every node');
  assert.deepEqual(found.ghosts, [], 'no write whose client got an error is stored');
  return o;
}
