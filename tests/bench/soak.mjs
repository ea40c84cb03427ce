// The soak of the cluster stack (tests/bench/soak sets the environment):
// MINUTES of mixed load through nginx with one fault every FAULT_EVERY
// minutes, in turn: a Galera node killed and restarted, a tutoratd
// instance killed and restarted, a rolling restart, a partition of a node
// and its heal. One line a minute: requests and errors (by status), RSS and
// open descriptors of each tutoratd instance, connections of each MariaDB
// node; at the end a summary and whether any acknowledged write is
// missing, or stored although its client got an error. Prints figures,
// exits 1 when a write is missing or wrongly stored; never part of the
// test command.

import { readFileSync, readdirSync } from 'node:fs';
import { as, login, uniq, sleep } from '../lib/index.mjs';
import {
  startLoad, outcome, checkWrites, kill, start, stop, pidOf, groupPids, nodeSql, nodeStatus, synced, waitFor,
  cutOff, heal, logMark, servedSince, cleanupLoad,
} from '../cluster/cluster.mjs';

const MINUTES = Number(process.argv[2] || 60);
const FAULT_EVERY = Number(process.argv[3] || 10);
const NODES = [1, 2, 3];
const INSTANCES = ['tutoratd-1', 'tutoratd-2'];

const log = (line) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);

// RSS and open descriptors of an instance: its supervisor and its worker
// processes (its process group).
function procStats(name) {
  let rss = 0;
  let fds = 0;
  let pids = [];
  try {
    pids = groupPids(pidOf(name));
    for (const pid of pids) {
      rss += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
      fds += readdirSync(`/proc/${pid}/fd`).length;
    }
  } catch {
    return `${name} down`;
  }
  if (pids.length === 0) return `${name} down`;
  return `${name} rss ${(rss / 1024).toFixed(1)} MB fds ${fds} (${pids.length} processes)`;
}

async function connections(n) {
  try {
    const rows = await nodeSql(n, "SHOW STATUS LIKE 'Threads_connected'");
    return `node${n} ${rows[0][1]}`;
  } catch {
    return `node${n} down`;
  }
}

// The faults, in turn. Each restores what it broke before it returns.
let round = 0;
const faults = [
  async function galeraNode() {
    const n = 2 + (round % 2); // node 2 or 3: the writer's loss is tests/cluster's
    log(`fault: kill -9 Galera node ${n}, restart it`);
    await kill(`mariadb-${n}`, 'SIGKILL');
    await sleep(15000);
    await start(`mariadb-${n}`);
    log(`fault: node ${n} back, Synced`);
  },
  async function instanceKill() {
    const name = INSTANCES[round % 2];
    log(`fault: SIGKILL ${name}, restart it`);
    await kill(name, 'SIGKILL');
    await sleep(10000);
    const mark = logMark(name);
    await start(name);
    await servedSince(name, mark);
    log(`fault: ${name} back, serving`);
  },
  async function rollingRestart() {
    log('fault: rolling restart of both instances');
    for (const name of INSTANCES) {
      await stop(name);
      const mark = logMark(name);
      await start(name);
      await servedSince(name, mark);
    }
    log('fault: rolling restart done');
  },
  async function partition() {
    log('fault: node 3 cut off (iptables)');
    try {
      await cutOff(3);
      await waitFor(async () => (await nodeStatus(3)).wsrep_cluster_status !== 'Primary', 'node 3 non-primary');
      await sleep(15000);
    } finally {
      await heal(3);
    }
    await waitFor(() => synced(3), 'node 3 rejoins');
    log('fault: partition healed, node 3 Synced');
  },
];

async function main() {
  const tag = uniq('soak');
  let admin = await as('lyon', 'admin');
  let renewed = Date.now();
  const load = startLoad({ token: () => admin.token, tag, writers: 4, readers: 4, pauseMs: 100 });
  log(`soak: ${MINUTES} min, a fault every ${FAULT_EVERY} min, 4 writers and 4 readers, tag ${tag}`);
  const t0 = Date.now();
  let first = 0; // requests before it were all answered before the last minute
  let faultRunning = null;
  for (let minute = 1; minute <= MINUTES; minute++) {
    const end = t0 + minute * 60000;
    while (Date.now() < end) {
      if (Date.now() - renewed > 5 * 60000) { // tokens live 15 minutes
        try {
          admin = await login('lyon', 'admin'); // a new session: as() would give back the first one
          renewed = Date.now();
        } catch (err) {
          log(`token renewal failed: ${err.message}`);
        }
      }
      await sleep(Math.min(1000, Math.max(0, end - Date.now())));
    }
    const from = end - 60000;
    const batch = [];
    for (let i = first; i < load.requests.length; i++) {
      const r = load.requests[i];
      if (r.end >= from && r.end < end) batch.push(r);
    }
    while (first < load.requests.length && load.requests[first].end && load.requests[first].end < end) first++;
    const errors = {};
    for (const r of batch) {
      const ok = r.kind === 'write' ? r.status === 201 : r.status === 200;
      if (!ok) errors[r.status] = (errors[r.status] || 0) + 1;
    }
    const conns = await Promise.all(NODES.map(connections));
    log(`min ${String(minute).padStart(3)}: ${batch.length} requests, errors ${JSON.stringify(errors)}; `
      + `${INSTANCES.map(procStats).join('; ')}; connections ${conns.join(' ')}`);
    if (minute % FAULT_EVERY === 0 && minute < MINUTES && !faultRunning) {
      const f = faults[Math.floor(minute / FAULT_EVERY - 1) % faults.length];
      faultRunning = f().catch((err) => log(`fault ${f.name} FAILED: ${err.message}`))
        .finally(() => { faultRunning = null; round++; });
    }
  }
  if (faultRunning) await faultRunning;
  const requests = await load.stop();
  const o = outcome(requests);
  for (const n of NODES) await waitFor(() => synced(n), `node ${n} Synced at the end`);
  const { missing, ghosts } = await checkWrites(NODES, tag, requests);
  log(`summary: ${o.summary}`);
  log(`acknowledged writes missing: ${missing.length ? missing.join('; ') : 'none, on any node'}`);
  log(`writes stored after their client got an error: ${ghosts.length ? ghosts.join('; ') : 'none'}`);
  await cleanupLoad(tag);
  process.exitCode = missing.length || ghosts.length ? 1 : 0;
}

await main();
