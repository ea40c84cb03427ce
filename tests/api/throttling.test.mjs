// Throttling that strangers cannot turn against users (issue 14 §1,
// docs/security.md §6). Failed logins are counted per account and client
// address group (an IPv6 address by its /64), per account and known device,
// and per account from unknown devices, in MariaDB (login_throttle), with
// delays that grow; an address group is limited in the distinct accounts it
// fails on (spraying), not in its logins. A browser that signed in before
// (its device cookie) is never held back by a stranger's failures. Each
// test makes its failures from its own loopback addresses (127.x.y.z) and
// uses usernames unique to the run or accounts no other test signs in with.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  loginRaw, show, freshAddress, uniq, sleep, assertProblem, configInt,
  db, q, academyId, auditRows, FCGI_SOCKETS, DEMO_PASSWORD,
} from '../lib/index.mjs';
import { fcgiRequest } from '../lib/fcgi.mjs';

const MAX_PAIR = configInt('login', 'max_failures_pair', 5);
const MAX_ACCOUNT = configInt('login', 'max_failures_account', 10);
const MAX_ACCOUNTS_ADDRESS = configInt('login', 'max_accounts_address', 20);
const FIRST_DELAY = configInt('login', 'first_delay_seconds', 60);
const BLOCK_SECONDS = configInt('login', 'block_seconds', 900);
const WINDOW = configInt('login', 'window_seconds', 900);

const toForget = []; // [academy code, subject LIKE pattern] rows to remove at the end
after(async () => {
  for (const [code, like] of toForget) {
    await db(`DELETE FROM login_throttle WHERE academy_id = ${await academyId(code)} AND subject LIKE ${q(like)}`)
      .catch((err) => process.stderr.write(`cleanup: ${err.message}\n`));
  }
});

/** Forgets, before and after the test, every counter of an account. */
async function fresh(code, account) {
  await db(`DELETE FROM login_throttle WHERE academy_id = ${await academyId(code)} AND (subject = ${q(account)} OR subject LIKE ${q(`%|${account}`)})`);
  toForget.push([code, account], [code, `%|${account}`]);
}

async function row(code, kind, subject) {
  const rows = await db(`SELECT failures, blocked_until IS NOT NULL AND blocked_until > NOW(),
      TIMESTAMPDIFF(SECOND, NOW(), blocked_until)
    FROM login_throttle WHERE academy_id = ${await academyId(code)} AND kind = ${q(kind)} AND subject = ${q(subject)}`);
  if (rows.length === 0) return null;
  return { failures: Number(rows[0][0]), blocked: rows[0][1] === '1', left: rows[0][2] === null ? null : Number(rows[0][2]) };
}

function assertThrottled(res, what) {
  assertProblem(res, 429, 'too_many_attempts');
  // The daemon's answer, not nginx's own rate limit (which says Retry-After: 1).
  assert.notEqual(res.body.title, 'Too Many Requests', `${what}: the daemon's 429, not nginx's: ${show(res)}`);
  const ra = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(ra) && ra > 1 && ra <= Math.max(BLOCK_SECONDS, WINDOW), `${what}: Retry-After: ${res.headers['retry-after']}`);
}

/** The device cookie a successful login set, as a Cookie header value. */
function deviceCookie(res, code) {
  const set = [].concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`__Secure-tutorat_device_${code}=`));
  assert.ok(set, `a device cookie is set: ${JSON.stringify(res.headers['set-cookie'])}`);
  assert.match(set, /; Path=\/api\/v1\/auth\/login; Max-Age=\d+; Secure; HttpOnly; SameSite=Strict/);
  return set.split(';')[0];
}

test(`per account and address: ${MAX_PAIR} failures hold back that address only, with delays that grow; another address still signs in`, async () => {
  const code = 'poitiers';
  const account = 'gestionnaire1';
  await fresh(code, account);
  const addr = freshAddress();
  for (let i = 1; i <= MAX_PAIR; i++) {
    assertProblem(await loginRaw(code, account, `wrong-${i}`, { localAddress: addr }), 401, 'invalid_credentials');
    const r = await row(code, 'pair', `${addr}|${account}`);
    assert.equal(r?.failures, i, `failure ${i} counted for the pair`);
    assert.equal(r.blocked, i >= MAX_PAIR, `blocked from failure ${MAX_PAIR} on`);
  }
  const first = await row(code, 'pair', `${addr}|${account}`);
  assert.ok(first.left > FIRST_DELAY - 5 && first.left <= FIRST_DELAY, `the first delay is ${FIRST_DELAY} s: ${first.left}`);
  const right = await loginRaw(code, account, DEMO_PASSWORD, { localAddress: addr });
  assertThrottled(right, 'the right password from the same address');
  // A blocked attempt does not sign in; it is in the audit trail as what it
  // was, naming the person, not the text typed (docs/rgpd.md).
  assert.deepEqual(await db(`SELECT action, detail, object_id = (SELECT id FROM person p WHERE p.academy_id = audit_log.academy_id
    AND p.username = ${q(account)}) FROM audit_log WHERE request_id = ${q(right.requestId)}`),
    [['auth.login_throttled', JSON.stringify({ factor: 'password', known: true }), '1']]);
  assert.equal((await row(code, 'pair', `${addr}|${account}`)).failures, MAX_PAIR, 'refusals while blocked are not failures');

  // The delay over, one more failure blocks for twice as long.
  await db(`UPDATE login_throttle SET blocked_until = NOW() - INTERVAL 1 SECOND WHERE academy_id = ${await academyId(code)}
    AND kind = 'pair' AND subject = ${q(`${addr}|${account}`)}`);
  assertProblem(await loginRaw(code, account, 'wrong-again', { localAddress: addr }), 401, 'invalid_credentials');
  const second = await row(code, 'pair', `${addr}|${account}`);
  assert.ok(second.left > Math.min(2 * FIRST_DELAY, BLOCK_SECONDS) - 5, `the delay doubles: ${second.left}`);

  // The account as a whole is not blocked: the owner signs in from elsewhere.
  const elsewhere = await loginRaw(code, account, DEMO_PASSWORD, { localAddress: freshAddress() });
  assert.equal(elsewhere.status, 200, show(elsewhere));
  // The same account in another académie is another account.
  const other = await loginRaw('lyon', 'bureau1', DEMO_PASSWORD, { localAddress: addr });
  assert.equal(other.status, 200, show(other));
});

test(`per account: ${MAX_ACCOUNT} failures from anywhere hold back unknown devices, never the owner's usual browser, which has its own small count`, async () => {
  const code = 'poitiers';
  const account = 'ien1';
  await fresh(code, account);
  // The owner signs in once from their usual browser: it is known from now on.
  const home = freshAddress();
  const ok = await loginRaw(code, account, DEMO_PASSWORD, { localAddress: home });
  assert.equal(ok.status, 200, show(ok));
  const device = deviceCookie(ok, code);

  for (let i = 1; i <= MAX_ACCOUNT; i++) {
    assertProblem(await loginRaw(code, account, `guess-${i}`, { localAddress: freshAddress() }), 401, 'invalid_credentials');
  }
  assert.equal((await row(code, 'account', account)).blocked, true, 'the account is held back for unknown devices');
  assertThrottled(await loginRaw(code, account, DEMO_PASSWORD, { localAddress: freshAddress() }), 'the right password from an unknown device');
  assertThrottled(await loginRaw(code, account.toUpperCase(), DEMO_PASSWORD, { localAddress: freshAddress() }), 'the account in capitals');

  const usual = await loginRaw(code, account, DEMO_PASSWORD, { localAddress: home, headers: { Cookie: device } });
  assert.equal(usual.status, 200, `the owner's usual browser signs in: ${show(usual)}`);
  assert.ok(![].concat(usual.headers['set-cookie'] ?? []).some((c) => c.startsWith(`__Secure-tutorat_device_${code}=`)), 'the device keeps its cookie');

  // Someone holding the cookie is still limited, on that device's own count.
  for (let i = 1; i <= MAX_PAIR; i++) {
    assertProblem(await loginRaw(code, account, `stolen-${i}`, { localAddress: freshAddress(), headers: { Cookie: device } }), 401, 'invalid_credentials');
  }
  assertThrottled(await loginRaw(code, account, DEMO_PASSWORD, { localAddress: home, headers: { Cookie: device } }), 'the device after its own failures');
  const deviceRows = await db(`SELECT failures FROM login_throttle WHERE academy_id = ${await academyId(code)} AND kind = 'device' AND subject LIKE ${q(`%|${account}`)}`);
  assert.deepEqual(deviceRows, [[String(MAX_PAIR)]]);
  // A device cookie of another person proves nothing for this account.
  await fresh(code, 'mat1');
  const other = await loginRaw(code, 'mat1', DEMO_PASSWORD, { localAddress: freshAddress() });
  assert.equal(other.status, 200, show(other));
  assertThrottled(await loginRaw(code, account, DEMO_PASSWORD, { localAddress: freshAddress(), headers: { Cookie: deviceCookie(other, code) } }),
    'another person\'s device');
});

test('a stranger\'s 1,000 failures, from the owner\'s own address and from elsewhere, do not stop the owner signing in from their usual device', async (t) => {
  const code = 'poitiers';
  const account = 'direction1';
  await fresh(code, account);
  const school = freshAddress(); // one NAT: the owner and the stranger share it
  const ok = await loginRaw(code, account, DEMO_PASSWORD, { localAddress: school });
  assert.equal(ok.status, 200, show(ok));
  const device = deviceCookie(ok, code);

  // Straight to tutoratd's socket, as nginx would pass them: its own rate
  // limit per address is another layer, not the one under test.
  const [socket] = FCGI_SOCKETS;
  const t0 = Date.now();
  const statuses = {};
  let addr = freshAddress();
  for (let i = 0; i < 1000; i++) {
    // Half from the school's address, half from addresses that change every 15 attempts.
    if (i % 15 === 0) addr = freshAddress();
    const res = await fcgiRequest(socket, {
      method: 'POST', path: '/api/v1/auth/login', remoteAddr: i % 2 === 0 ? school : addr,
      json: { academy: code, username: account, password: `stranger-${i}` },
    });
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    assert.ok(res.status === 401 || res.status === 429, show(res));
  }
  t.diagnostic(`1000 failures in ${Date.now() - t0} ms: ${JSON.stringify(statuses)}`);
  assert.ok((statuses[401] ?? 0) <= MAX_ACCOUNT + MAX_PAIR, `few passwords reached the directory: ${statuses[401]}`);

  const owner = await loginRaw(code, account, DEMO_PASSWORD, { localAddress: school, headers: { Cookie: device } });
  assert.equal(owner.status, 200, `the owner signs in from the usual device: ${show(owner)}`);
  assert.ok(owner.body.access_token);
});

test(`per address: after failures on ${MAX_ACCOUNTS_ADDRESS} accounts, new accounts from that address are held back (spraying); known devices and other addresses are not`, async () => {
  const code = 'lyon';
  const addr = freshAddress();
  toForget.push([code, `${addr}|%`]);
  const prefix = uniq('spray');
  // A teacher who signed in from this address's computer before.
  await fresh(code, 'stagiaire2');
  await fresh(code, 'tuteur.terrain1');
  const known = await loginRaw(code, 'stagiaire2', DEMO_PASSWORD, { localAddress: addr });
  assert.equal(known.status, 200, show(known));
  const device = deviceCookie(known, code);
  for (let i = 1; i <= MAX_ACCOUNTS_ADDRESS; i++) {
    const started = Date.now();
    assertProblem(await loginRaw(code, `${prefix}-${i}`, 'x', { localAddress: addr }), 401, 'invalid_credentials');
    // nginx lets 10 logins a second through per address (burst 20): stay under it.
    await sleep(Math.max(0, 110 - (Date.now() - started)));
    toForget.push([code, `${prefix}-${i}`]);
  }
  const pairs = await db(`SELECT COUNT(*), MAX(failures) FROM login_throttle WHERE academy_id = ${await academyId(code)}
    AND kind = 'pair' AND subject LIKE ${q(`${addr}|${prefix}-%`)}`);
  assert.deepEqual(pairs, [[String(MAX_ACCOUNTS_ADDRESS), '1']], 'each username failed once: no counter of its own is blocked');

  assertThrottled(await loginRaw(code, `${prefix}-new`, 'x', { localAddress: addr }), 'one more username');
  assertThrottled(await loginRaw(code, 'tuteur.terrain1', DEMO_PASSWORD, { localAddress: addr }), 'a real account without a known device, from that address');
  assert.equal(await row(code, 'account', 'tuteur.terrain1'), null, 'the real account is not charged for the address');
  // An account already tried from the address keeps its own count.
  assertProblem(await loginRaw(code, `${prefix}-1`, 'x', { localAddress: addr }), 401, 'invalid_credentials');
  // A known device at that address, and the same account from elsewhere, sign in.
  const teacher = await loginRaw(code, 'stagiaire2', DEMO_PASSWORD, { localAddress: addr, headers: { Cookie: device } });
  assert.equal(teacher.status, 200, show(teacher));
  const away = await loginRaw(code, 'tuteur.terrain1', DEMO_PASSWORD, { localAddress: freshAddress() });
  assert.equal(away.status, 200, show(away));
});

test('IPv6 addresses are counted by their /64; the address is the connection\'s, not a header the client sends', async () => {
  const code = 'lyon';
  const ghost = uniq('ghost6');
  await fresh(code, ghost);
  const [socket] = FCGI_SOCKETS;
  const attempt = (remoteAddr) => fcgiRequest(socket, {
    method: 'POST', path: '/api/v1/auth/login', remoteAddr, json: { academy: code, username: ghost, password: 'x' },
  });
  const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:42`;
  assertProblem(await attempt(`${prefix}::1`), 401, 'invalid_credentials');
  assertProblem(await attempt(`${prefix}:dead:beef:0:2`), 401, 'invalid_credentials');
  assert.equal((await row(code, 'pair', `${prefix}::/64|${ghost}`))?.failures, 2, 'two addresses of one /64 are one');
  assertProblem(await attempt(`${prefix.replace(/:42$/, ':43')}::1`), 401, 'invalid_credentials');
  assert.equal((await row(code, 'pair', `${prefix.replace(/:42$/, ':43')}::/64|${ghost}`))?.failures, 1, 'the next /64 is another');
  assertProblem(await attempt('::ffff:192.0.2.77'), 401, 'invalid_credentials');
  assert.equal((await row(code, 'pair', `192.0.2.77|${ghost}`))?.failures, 1, 'an IPv4-mapped address is the IPv4 one');

  const addr = freshAddress();
  const claimed = freshAddress();
  assertProblem(await loginRaw(code, ghost, 'x', {
    localAddress: addr, headers: { 'X-Forwarded-For': claimed, 'X-Real-IP': claimed, Forwarded: `for=${claimed}` },
  }), 401, 'invalid_credentials');
  assert.equal((await row(code, 'pair', `${addr}|${ghost}`))?.failures, 1, 'counted against the connection address');
  assert.equal(await row(code, 'pair', `${claimed}|${ghost}`), null, 'not against the claimed one');
});

test('the counting window restarts after window_seconds, and a block ends with its delay', async () => {
  const aid = await academyId('lyon');
  const addr = freshAddress();
  const ghost = uniq('ghost');
  await fresh('lyon', ghost);
  const pair = `${addr}|${ghost}`;
  for (let i = 0; i < MAX_PAIR - 1; i++) assertProblem(await loginRaw('lyon', ghost, 'x', { localAddress: addr }), 401, 'invalid_credentials');
  await db(`UPDATE login_throttle SET window_start = NOW() - INTERVAL ${WINDOW + 10} SECOND
    WHERE academy_id = ${aid} AND kind = 'pair' AND subject = ${q(pair)}`);
  assertProblem(await loginRaw('lyon', ghost, 'x', { localAddress: addr }), 401, 'invalid_credentials');
  assert.deepEqual(await row('lyon', 'pair', pair), { failures: 1, blocked: false, left: null }, 'a new window');

  for (let i = 0; i < MAX_PAIR - 1; i++) await loginRaw('lyon', ghost, 'x', { localAddress: addr });
  assertThrottled(await loginRaw('lyon', ghost, 'x', { localAddress: addr }), 'blocked');
  await db(`UPDATE login_throttle SET blocked_until = NOW() - INTERVAL 1 SECOND, window_start = NOW() - INTERVAL ${WINDOW + 10} SECOND
    WHERE academy_id = ${aid} AND kind = 'pair' AND subject = ${q(pair)}`);
  assertProblem(await loginRaw('lyon', ghost, 'x', { localAddress: addr }), 401, 'invalid_credentials');
});

test(`parallel attempts cannot try more than ${MAX_PAIR} passwords on one account from one address`, async (t) => {
  // Every 401 is a password the directory was asked about. tutoratd counts
  // each attempt (INSERT … ON DUPLICATE KEY UPDATE, then the check that it
  // is within the limit) in its own short transaction, committed before
  // LDAP is asked (server/auth_db.c authdb_throttle_count): simultaneous
  // attempts queue on the counter rows for that transaction only, each sees
  // the others' counts, and the ones beyond the limit are refused without
  // holding any row while the directory answers.
  const addr = freshAddress();
  const ghost = uniq('burst');
  await fresh('lyon', ghost);
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => loginRaw('lyon', ghost, `guess-${i}`, { localAddress: addr })));
  const tried = answers.filter((r) => r.status === 401).length;
  const throttled = answers.filter((r) => r.status === 429).length;
  // Beyond the académie's directory bulkhead ([server] ldap_max_concurrent
  // threads inside it at once), an attempt is refused before any password
  // is tried: 503 ldap_unavailable with Retry-After.
  const busy = answers.filter((r) => r.status === 503 && r.body?.code === 'ldap_unavailable'
    && r.headers['retry-after'] !== undefined).length;
  t.diagnostic(`20 simultaneous attempts: ${tried} passwords tried (401), ${throttled} refused (429), ${busy} beyond the bulkhead (503)`);
  assert.equal(tried + throttled + busy, 20, answers.map((r) => r.status).join());
  assert.ok(tried <= MAX_PAIR, `${tried} passwords were tried on one account, the limit is ${MAX_PAIR}`);
});
