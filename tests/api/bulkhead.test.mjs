// One académie's hung directory harms no one else (issue 14 §4): a
// bulkhead bounds the worker threads it may hold, a circuit breaker stops
// asking it once it keeps failing and probes it again later, and /ready
// answers from a cached state without waiting on it.
//
// The test runs a tutoratd of its own (the stack's configuration, 4 worker
// threads in one process, a bulkhead of 1 per académie),
// talked to over FastCGI as nginx would. Its Poitiers directory is a TCP
// relay of the test's to the stack's slapd: the relay either passes the
// bytes on, or accepts connections and never answers them (the worst case
// for a client: a directory whose host is up and whose service hangs). The
// other académies use the stack's slapd directly.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONFIG, STATE_DIR, TUTORATCTL, LDAP_URI, DEMO_PASSWORD } from '../lib/index.mjs';
import { fcgiRequest } from '../lib/fcgi.mjs';

const TUTORATD = join(dirname(TUTORATCTL), 'tutoratd');
const HUNG = 'poitiers';
const THREADS = 4;
const LDAP_TIMEOUT = 4; // the hung académie's [academy] timeout, seconds
const THRESHOLD = 3; // [server] ldap_failure_threshold
const OPEN_SECONDS = 4; // [server] ldap_open_seconds

/**
 * The relay in front of the stack's slapd. hang(): new connections are
 * accepted and never answered, and what clients send on those already open
 * is swallowed; pass(): relayed (connections held so far are closed).
 * accepted counts the connections it took, sent the chunks it passed on.
 */
function startRelay() {
  const target = new URL(LDAP_URI);
  const relay = { mode: 'pass', accepted: 0, sent: 0, held: new Set() };
  relay.server = createServer((client) => {
    relay.accepted++;
    client.on('error', () => {});
    if (relay.mode === 'hang') {
      relay.held.add(client);
      client.on('close', () => relay.held.delete(client));
      return; // read nothing, answer nothing
    }
    const up = connect(Number(target.port || 389), target.hostname);
    up.on('error', () => client.destroy());
    client.on('close', () => up.destroy());
    up.on('close', () => client.destroy());
    client.on('data', (chunk) => {
      if (relay.mode !== 'pass') return;
      relay.sent++;
      up.write(chunk);
    });
    up.on('data', (chunk) => client.write(chunk));
  });
  relay.hang = () => { relay.mode = 'hang'; };
  relay.pass = () => {
    relay.mode = 'pass';
    for (const c of relay.held) c.destroy();
  };
  return new Promise((resolve) => relay.server.listen(0, '127.0.0.1', () => {
    relay.port = relay.server.address().port;
    resolve(relay);
  }));
}

/**
 * The stack's configuration with sockets of its own, the hung académie's
 * directory behind the relay (with a timeout of LDAP_TIMEOUT), a short
 * cool-down, and the readiness state checked again every second.
 */
function writeConfig(conf, socket, healthSocket, relayPort) {
  let section = '';
  const out = [];
  for (const line of readFileSync(CONFIG, 'utf8').split('\n')) {
    const sec = /^\s*\[(.+)\]\s*$/.exec(line);
    if (sec) section = sec[1].trim();
    if (section === 'server' && /^\s*(socket|health_socket|ldap_[a-z_]+|ready_interval)\s*=/.test(line)) continue;
    if (section === `academy ${HUNG}` && /^\s*(ldap_uri|timeout)\s*=/.test(line)) continue;
    out.push(line);
    if (sec && section === 'server') {
      out.push(`socket = ${socket}`, `health_socket = ${healthSocket}`,
        `ldap_failure_threshold = ${THRESHOLD}`, `ldap_open_seconds = ${OPEN_SECONDS}`, 'ready_interval = 1',
        'ldap_max_concurrent = 1');
    }
    if (sec && section === `academy ${HUNG}`) {
      out.push(`ldap_uri = ldap://127.0.0.1:${relayPort}`, `timeout = ${LDAP_TIMEOUT}`);
    }
  }
  writeFileSync(conf, out.join('\n'));
}

let relay;
let inst;

before(async () => {
  relay = await startRelay();
  const socket = join(STATE_DIR, 'run', 'bulkhead.sock');
  const healthSocket = join(STATE_DIR, 'run', 'bulkhead-health.sock');
  const conf = join(STATE_DIR, 'bulkhead.ini');
  writeConfig(conf, socket, healthSocket, relay.port);
  rmSync(socket, { force: true });
  rmSync(healthSocket, { force: true });
  const child = spawn(TUTORATD, ['-c', conf, '-p', '1', '-t', String(THREADS)],
    { cwd: STATE_DIR, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  inst = { socket, healthSocket, conf, child, log: '' };
  child.stdout.on('data', (d) => { inst.log += d; });
  child.stderr.on('data', (d) => { inst.log += d; });
  for (const end = Date.now() + 20000; !/process \d+ serving/.test(inst.log);) {
    assert.equal(child.exitCode, null, `tutoratd exited at start:\n${inst.log}`);
    assert.ok(Date.now() < end, `tutoratd serving within 20 s:\n${inst.log}`);
    await sleep(50);
  }
});

after(() => {
  if (inst) {
    try { process.kill(-inst.child.pid, 'SIGKILL'); } catch { /* gone */ }
    rmSync(inst.conf, { force: true });
    rmSync(inst.socket, { force: true });
    rmSync(inst.healthSocket, { force: true });
  }
  if (relay) {
    relay.pass();
    relay.server.close();
  }
});

let addresses = 0;
/** A documentation address of its own for each login: no throttling counter is shared. */
const nextAddress = () => `198.51.100.${1 + (addresses++ % 250)}`;

const ask = (opts) => fcgiRequest(inst.socket, { waitMs: 30000, ...opts });
const signIn = (academy, username) => ask({
  method: 'POST', path: '/api/v1/auth/login', remoteAddr: nextAddress(),
  json: { academy, username, password: DEMO_PASSWORD },
});
const whoAmI = (token) => ask({ path: '/api/v1/auth/me', headers: { Authorization: `Bearer ${token}` } });
const ready = () => ask({ path: '/api/v1/ready', remoteAddr: '127.0.0.1' });
const metrics = () => ask({ path: '/metrics', remoteAddr: '127.0.0.1' });

/** Runs fn and gives its answer with the milliseconds it took. */
async function timed(fn) {
  const t0 = performance.now();
  const res = await fn();
  return { res, ms: performance.now() - t0 };
}

function show(res) {
  return `${res.status} ${typeof res.body === 'string' ? res.body : JSON.stringify(res.body)}`;
}

function assertLdapUnavailable(res) {
  assert.equal(res.status, 503, show(res));
  assert.equal(res.body.code, 'ldap_unavailable', show(res));
  assert.match(res.headers['content-type'], /application\/problem\+json/);
}

/** Polls /ready until pred(body) holds; fails with what after a bound. */
async function readyUntil(pred, what, boundMs = 30000) {
  let last;
  for (const end = Date.now() + boundMs; Date.now() < end; await sleep(200)) {
    last = await ready();
    if (pred(last.body)) return last;
  }
  assert.fail(`${what}: not within ${boundMs / 1000} s; last /ready: ${show(last)}`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('a hung directory holds one thread: its logins are refused at once, another académie signs in and reads as before', async (t) => {
  const lyon = await signIn('lyon', 'admin');
  assert.equal(lyon.status, 200, show(lyon));
  const token = lyon.body.access_token;
  // All ready and closed before anything hangs.
  await readyUntil((b) => b.status === 'ready' && b.circuits?.[HUNG] === 'closed', 'ready before the hang');

  const baseline = [];
  for (let i = 0; i < 5; i++) baseline.push((await timed(() => whoAmI(token))).ms);

  relay.hang();
  const done = []; // what answered, in order
  // More logins of the hung académie than the process has threads.
  const hammer = Array.from({ length: THREADS * 3 }, (_, i) => signIn(HUNG, `stagiaire${1 + (i % 2)}`)
    .then((res) => { done.push(res.headers['retry-after'] ? 'refused' : 'held'); return res; }));
  // One of them is inside the directory, waiting on it.
  const inside = new RegExp(`tutorat_ldap_in_flight\\{academy="${HUNG}",process="\\d+"\\} 1`);
  for (const end = Date.now() + 10000; !inside.test((await metrics()).text);) {
    assert.ok(Date.now() < end, 'a login is inside the hung directory');
    await sleep(20);
  }

  const during = [];
  for (let i = 0; i < 5; i++) {
    const m = await timed(() => whoAmI(token));
    assert.equal(m.res.status, 200, `/auth/me of Lyon while Poitiers hangs: ${show(m.res)}`);
    assert.equal(m.res.body.username, 'admin');
    during.push(m.ms);
  }
  const other = await signIn('grenoble', 'stagiaire1');
  done.push('grenoble login');
  assert.equal(other.status, 200, `a Grenoble login while Poitiers hangs: ${show(other)}`);
  assert.ok(other.body.access_token);
  done.push('lyon reads');
  // /ready answers from its state, and names the hung directory.
  const named = await readyUntil((b) => b.checks?.[`ldap:${HUNG}`] === 'unavailable', 'ready names the hung directory');
  assert.equal(named.status, 503, show(named));
  assert.equal(named.body.checks['ldap:lyon'], 'ok', show(named));

  const logins = await Promise.all(hammer);
  for (const res of logins) assertLdapUnavailable(res);
  const refused = logins.filter((res) => res.headers['retry-after'] !== undefined);
  // The bulkhead lets one in; the others are refused without waiting.
  assert.equal(refused.length, logins.length - 1, `refused at once: ${refused.length} of ${logins.length}`);
  for (const res of refused) assert.ok(Number(res.headers['retry-after']) >= 1, show(res));
  // Lyon and Grenoble were answered while the one held login still waited on the directory.
  assert.ok(done.indexOf('lyon reads') < done.indexOf('held'), `order of answers: ${done.join(', ')}`);
  t.diagnostic(`Lyon /auth/me: median ${median(baseline).toFixed(1)} ms before, ${median(during).toFixed(1)} ms `
    + `while ${logins.length} Poitiers logins hammered its hung directory (ratio ${(median(during) / median(baseline)).toFixed(2)})`);
});

test('a directory that keeps failing opens its circuit: calls are refused without reaching it, then one probe closes it once it answers', async () => {
  relay.hang();
  // Failures one after another, each one LDAP timeout, until the circuit opens.
  let open;
  for (let i = 0; i < THRESHOLD + 2 && !open; i++) {
    assertLdapUnavailable(await signIn(HUNG, 'stagiaire1'));
    const r = await ready();
    if (r.body.circuits?.[HUNG] === 'open') open = r;
  }
  assert.ok(open, `the circuit opened after ${THRESHOLD} failures`);
  assert.match((await metrics()).text, new RegExp(`tutorat_ldap_circuit_state\\{academy="${HUNG}",process="\\d+"\\} 1`));

  // Open: a login is refused with Retry-After and the directory is not asked.
  const before = relay.accepted;
  const refused = await signIn(HUNG, 'stagiaire1');
  assertLdapUnavailable(refused);
  assert.ok(Number(refused.headers['retry-after']) >= 1, show(refused));
  assert.ok(Number(refused.headers['retry-after']) <= OPEN_SECONDS, show(refused));
  assert.equal(relay.accepted, before, 'no connection to the directory while its circuit is open');
  const lyon = await signIn('lyon', 'stagiaire1');
  assert.equal(lyon.status, 200, `Lyon signs in while Poitiers' circuit is open: ${show(lyon)}`);

  // The directory is back: after the cool-down a probe goes through and closes the circuit.
  relay.pass();
  let back;
  for (const end = Date.now() + 40000; !back; await sleep(300)) {
    const res = await signIn(HUNG, 'stagiaire1');
    if (res.status === 200) back = res;
    else assertLdapUnavailable(res);
    assert.ok(back || Date.now() < end, `a Poitiers login succeeds once the directory answers: ${show(res)}`);
  }
  assert.ok(back.body.access_token);
  assert.ok(relay.accepted > before, 'the probe reached the directory');
  const closed = await readyUntil((b) => b.circuits?.[HUNG] === 'closed' && b.checks?.[`ldap:${HUNG}`] === 'ok',
    'ready says the circuit is closed and the directory ok');
  assert.equal(closed.status, 200, show(closed));
  assert.equal(closed.body.status, 'ready');
});

test('/ready is checked at most once per interval: a burst of calls costs no directory call each', async () => {
  await readyUntil((b) => b.status === 'ready', 'ready');
  const before = relay.sent;
  const answers = await Promise.all(Array.from({ length: 20 }, () => ready()));
  for (const r of answers) {
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.status, 'ready');
    assert.equal(typeof r.body.checked_seconds_ago, 'number');
  }
  // A check that falls due during the burst asks Poitiers' directory once
  // or twice (a WhoAmI, or a connection and its bind); 20 calls never
  // make 20 requests to it.
  assert.ok(relay.sent - before <= 4, `requests to the directory for 20 /ready: ${relay.sent - before}`);
});
