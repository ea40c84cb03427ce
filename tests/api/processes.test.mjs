// Processes of one tutoratd: stopping one never stops the others, SIGTERM
// drains, a killed worker process is replaced (with one process as with
// several), and nothing is left running whatever died first.
//
// Most tests start a tutoratd of their own from the stack's build (worker
// processes of 2 threads under a supervisor, on sockets of their own in the
// state dir, with the stack's database and directory) and talk FastCGI to
// it directly, as nginx would. Processes are really signalled; every
// process a test started is killed in after(), whatever the outcome. The
// last test kills the stack's own worker process and asks nginx.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONFIG, STATE_DIR, ON_CLUSTER, TUTORATCTL, DEMO_PASSWORD, get, show } from '../lib/index.mjs';
import { openRequest, fcgiRequest } from '../lib/fcgi.mjs';

const TUTORATD = join(dirname(TUTORATCTL), 'tutoratd');
const started = []; // every instance, for after()

/** {state, ppid} of a process, or null once it is gone. */
function procStat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return null;
  }
}

/** Does the process run (a zombie does not)? */
function alive(pid) {
  const s = procStat(pid);
  return s !== null && s.state !== 'Z';
}

function childrenOf(pid) {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number)
    .filter((p) => procStat(p)?.ppid === pid && alive(p));
}

/** How many connections to `socketPath` the processes `pids` have accepted. */
function acceptedConnections(pids, socketPath) {
  const inodes = new Set();
  for (const line of readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[7] === socketPath && f[5] === '03') inodes.add(`socket:[${f[6]}]`); // 03: connected
  }
  let n = 0;
  for (const pid of pids) {
    let fds = [];
    try { fds = readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      try { if (inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) n++; } catch { /* closed meanwhile */ }
    }
  }
  return n;
}

/** Polls `cond` until it holds; fails with `what` after a bound. */
async function waitFor(cond, what, boundMs = 20000) {
  for (const end = Date.now() + boundMs; !cond();) {
    if (Date.now() > end) throw new Error(`${what}: still not the case after ${boundMs / 1000}s`);
    await sleep(50);
  }
}

/**
 * A tutoratd of its own: the stack's configuration with other sockets (the
 * API's and the health socket), in the state dir (its relative paths
 * resolve as the stack's do), run with `-p PROCESSES -t 2` in its own
 * process group.
 */
async function startInstance(name, processes = 2) {
  const socket = join(STATE_DIR, 'run', `${name}.sock`);
  const healthSocket = join(STATE_DIR, 'run', `${name}-health.sock`);
  const conf = join(STATE_DIR, `${name}.ini`);
  let section = '';
  const lines = readFileSync(CONFIG, 'utf8').split('\n').map((line) => {
    const sec = /^\s*\[(.+)\]\s*$/.exec(line);
    if (sec) section = sec[1].trim();
    if (section === 'server' && /^\s*socket\s*=/.test(line)) return `socket = ${socket}`;
    if (section === 'server' && /^\s*health_socket\s*=/.test(line)) return `health_socket = ${healthSocket}`;
    return line;
  });
  writeFileSync(conf, lines.join('\n'));
  rmSync(socket, { force: true });
  rmSync(healthSocket, { force: true });
  const child = spawn(TUTORATD, ['-c', conf, '-p', String(processes), '-t', '2'],
    { cwd: STATE_DIR, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const inst = { name, socket, healthSocket, conf, child, supervisor: child.pid, workers: [], log: '' };
  started.push(inst);
  child.stdout.on('data', (d) => { inst.log += d; });
  child.stderr.on('data', (d) => { inst.log += d; });
  inst.serving = () => [...inst.log.matchAll(/process (\d+) serving/g)].map((m) => Number(m[1]));
  await waitFor(() => inst.serving().length >= processes || child.exitCode !== null,
    `${name}: ${processes} worker process(es) serving`);
  assert.equal(child.exitCode, null, `${name} exited at start:\n${inst.log}`);
  inst.workers = childrenOf(inst.supervisor);
  assert.equal(inst.workers.length, processes, `${name}: ${processes} worker process(es) (${inst.workers})\n${inst.log}`);
  return inst;
}

after(() => {
  for (const inst of started) {
    for (const pid of [...inst.workers, ...childrenOf(inst.supervisor)]) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    try { process.kill(-inst.supervisor, 'SIGKILL'); } catch { /* gone */ }
    rmSync(inst.conf, { force: true });
    rmSync(inst.socket, { force: true });
    rmSync(inst.healthSocket, { force: true });
  }
});

/** GET /api/v1/health on the API socket (the pool) or the health socket. */
const health = (inst, socket = inst.socket) => fcgiRequest(socket, { path: '/api/v1/health' });

/** Six health requests on each socket answer 200 from worker processes of
 * the instance; returns the pids that answered. */
async function assertServes(inst, what) {
  const pids = new Set();
  for (const socket of [inst.socket, inst.healthSocket]) {
    for (let i = 0; i < 6; i++) {
      const res = await health(inst, socket).catch((err) => assert.fail(`${what}: ${err.message}\n${inst.log}`));
      assert.equal(res.status, 200, `${what}: ${res.text}`);
      assert.equal(res.body.status, 'ok', what);
      assert.ok(childrenOf(inst.supervisor).includes(res.body.pid),
        `${what}: answered by ${res.body.pid}, a worker process of supervisor ${inst.supervisor}`);
      pids.add(res.body.pid);
    }
  }
  return pids;
}

test('a worker process that stops leaves the socket to the others, and the supervisor replaces it', async () => {
  const inst = await startInstance('proc-stop-one');
  const [first, second] = inst.workers;
  await assertServes(inst, 'before any stop');

  process.kill(first, 'SIGTERM');
  await waitFor(() => !alive(first), `worker ${first} exits on SIGTERM`);
  await assertServes(inst, `after worker ${first} stopped, served by worker ${second}`);

  await waitFor(() => childrenOf(inst.supervisor).some((p) => p !== second),
    `the supervisor starts a worker in place of ${first}`);
  const replacement = childrenOf(inst.supervisor).find((p) => p !== second);
  await waitFor(() => inst.serving().includes(replacement), `worker ${replacement} serving`);
  process.kill(second, 'SIGTERM');
  await waitFor(() => !alive(second), `worker ${second} exits on SIGTERM`);
  await assertServes(inst, `after worker ${second} stopped too, served by worker ${replacement}`);
  assert.ok(alive(inst.supervisor), 'the supervisor still runs');
});

test('SIGTERM to the supervisor: the request in flight is answered, no new one is taken, every process exits', async () => {
  const inst = await startInstance('proc-drain');
  const body = Buffer.from(JSON.stringify({ academy: 'lyon', username: 'stagiaire1', password: DEMO_PASSWORD }));
  // A login whose body is half sent: a worker has taken it and waits for the rest.
  const slow = openRequest(inst.socket, {
    method: 'POST', path: '/api/v1/auth/login', contentType: 'application/json',
    contentLength: body.length, headers: { 'X-Requested-With': 'tutorat' }, remoteAddr: '192.0.2.71',
  });
  slow.write(body.subarray(0, 10));
  await waitFor(() => acceptedConnections(inst.workers, inst.socket) === 1,
    'a worker process has accepted the slow request');

  process.kill(inst.supervisor, 'SIGTERM');
  for (const pid of inst.workers) {
    await waitFor(() => inst.log.includes(`process ${pid} stopping`), `worker ${pid} stopping`);
  }
  const late = openRequest(inst.socket, { path: '/api/v1/health' });
  late.end();
  slow.end(body.subarray(10));

  const res = await slow.answer.catch((err) => assert.fail(`the request in flight: ${err.message}\n${inst.log}`));
  assert.equal(res.status, 200, `the request in flight is answered: ${res.text}`);
  assert.equal(typeof res.body.access_token, 'string', res.text);
  await waitFor(() => ![inst.supervisor, ...inst.workers].some(alive),
    `supervisor ${inst.supervisor} and workers ${inst.workers} all exit`);
  await assert.rejects(late.answer, /closed|ECONNRESET|EPIPE|ECONNREFUSED/,
    'a request arriving once stopping is not taken');
});

test('a supervisor killed by SIGKILL takes its worker processes with it', async () => {
  const inst = await startInstance('proc-kill');
  await assertServes(inst, 'before the kill');
  process.kill(inst.supervisor, 'SIGKILL');
  await waitFor(() => !inst.workers.some(alive),
    `workers ${inst.workers} exit once their supervisor was killed`);
});

test('one worker process (-p 1) killed by SIGKILL is replaced by its supervisor; a SIGKILLed supervisor takes it along', async () => {
  const inst = await startInstance('proc-single', 1);
  const [first] = inst.workers;
  assert.deepEqual([...await assertServes(inst, 'before the kill')], [first]);

  process.kill(first, 'SIGKILL');
  await waitFor(() => !alive(first), `worker ${first} dies`);
  await waitFor(() => childrenOf(inst.supervisor).length === 1,
    `the supervisor starts a worker in place of ${first}`);
  const [second] = childrenOf(inst.supervisor);
  assert.notEqual(second, first);
  await waitFor(() => inst.serving().includes(second), `worker ${second} serving`);
  assert.deepEqual([...await assertServes(inst, `after worker ${first} was killed`)], [second]);
  assert.ok(alive(inst.supervisor), 'the supervisor still runs');

  process.kill(inst.supervisor, 'SIGKILL');
  await waitFor(() => !alive(second), `worker ${second} exits once its supervisor was killed`);
});

/** The pid in one of the stack's PID files. */
const pidFile = (name) => Number(readFileSync(join(STATE_DIR, 'run', `${name}.pid`), 'utf8').trim());

test("the stack's worker process killed by SIGKILL: nginx's API answers again from a new process, same supervisor", async (t) => {
  if (ON_CLUSTER) {
    t.skip("single-stack only: through the cluster's nginx either instance answers "
      + '(an instance killed under load: tests/cluster/instance-kill.test.mjs)');
    return;
  }
  const supervisor = pidFile('tutoratd');
  const before = await get('/api/v1/health');
  assert.equal(before.status, 200, show(before));
  const worker = before.body.pid;
  assert.deepEqual(childrenOf(supervisor), [worker], `the stack's supervisor ${supervisor} runs the worker process that answers`);

  process.kill(worker, 'SIGKILL');
  await waitFor(() => !alive(worker), `worker ${worker} dies`);
  let res;
  for (const end = Date.now() + 20000; ;) {
    res = await get('/api/v1/academies').catch((err) => ({ status: 0, text: err.message }));
    if (res.status === 200) break;
    assert.ok(Date.now() < end, `the API answers again within 20 s: ${show(res)}`);
    await sleep(100);
  }
  assert.ok(res.body.items.some((a) => a.code === 'lyon'), show(res));
  const after = await get('/api/v1/health');
  assert.equal(after.status, 200, show(after));
  assert.notEqual(after.body.pid, worker, 'a new worker process answers');
  assert.deepEqual(childrenOf(supervisor), [after.body.pid], 'started by the same supervisor');
  assert.equal(pidFile('tutoratd'), supervisor);
  assert.ok(alive(supervisor), `supervisor ${supervisor} still runs`);
});
