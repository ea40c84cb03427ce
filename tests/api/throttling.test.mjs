// Brute-force defence (issue §3): failed logins counted per account (known
// or not) and per client address in MariaDB (login_throttle), 429 with
// Retry-After past the threshold. Each test makes its failures from its own
// loopback address (127.x.y.z) so that nothing else is blocked, and uses
// usernames unique to the run.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  loginRaw, login, show, freshAddress, uniq, sleep, assertProblem, configInt,
  db, q, academyId, auditRows,
} from '../lib/index.mjs';

const MAX_ACCOUNT = configInt('login', 'max_failures_account', 5);
const MAX_ADDRESS = configInt('login', 'max_failures_address', 50);
const BLOCK_SECONDS = configInt('login', 'block_seconds', 900);

const toForget = []; // [academy code, kind, subject] rows to remove at the end
after(async () => {
  for (const [code, kind, subject] of toForget) {
    await db(`DELETE FROM login_throttle WHERE academy_id = ${await academyId(code)} AND kind = ${q(kind)} AND subject = ${q(subject)}`)
      .catch((err) => process.stderr.write(`cleanup: ${err.message}\n`));
  }
});

async function throttleRow(code, kind, subject) {
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
  assert.ok(Number.isInteger(ra) && ra > 1 && ra <= BLOCK_SECONDS, `${what}: Retry-After in (1, ${BLOCK_SECONDS}]: ${res.headers['retry-after']}`);
  assert.equal(res.body.field, undefined);
}

test(`per account: after ${MAX_ACCOUNT} failures, 429 even with the right password; other accounts unaffected`, async () => {
  // A real account that no other test signs in with; a rerun within the
  // block period starts from a clean slate.
  const code = 'poitiers';
  const account = 'gestionnaire1';
  const aid = await academyId(code);
  await db(`DELETE FROM login_throttle WHERE academy_id = ${aid} AND kind = 'account' AND subject = ${q(account)}`);
  toForget.push([code, 'account', account]);
  const addr = freshAddress();
  toForget.push([code, 'address', addr]);

  for (let i = 1; i <= MAX_ACCOUNT; i++) {
    const res = await loginRaw(code, account, `wrong-${i}`, { localAddress: addr });
    assertProblem(res, 401, 'invalid_credentials');
    const row = await throttleRow(code, 'account', account);
    assert.equal(row?.failures, i, `failure ${i} counted in login_throttle`);
    assert.equal(row.blocked, i >= MAX_ACCOUNT, `blocked only from failure ${MAX_ACCOUNT}`);
  }
  const row = await throttleRow(code, 'account', account);
  assert.ok(row.left > 0 && row.left <= BLOCK_SECONDS, `blocked for up to block_seconds: ${row.left}`);

  const wrong = await loginRaw(code, account, 'wrong-again', { localAddress: addr });
  assertThrottled(wrong, 'one more wrong password');
  const right = await loginRaw(code, account, 'demo', { localAddress: addr });
  assertThrottled(right, 'the right password');
  assert.deepEqual(await auditRows(right.requestId), [], 'a blocked attempt does not sign in');
  const elsewhere = await loginRaw(code, account, 'demo', { localAddress: freshAddress() });
  assertThrottled(elsewhere, 'the right password from another address');
  const upper = await loginRaw(code, account.toUpperCase(), 'demo', { localAddress: freshAddress() });
  assertThrottled(upper, 'the same account spelled in capitals');
  assert.equal((await throttleRow(code, 'account', account)).failures, MAX_ACCOUNT, 'refusals while blocked are not failures');

  // Another account from another address still signs in.
  const other = await loginRaw(code, 'mat1', 'demo', { localAddress: freshAddress() });
  assert.equal(other.status, 200, show(other));
  // The same account in another académie is another account.
  const otherAcademy = await loginRaw('lyon', 'bureau1', 'demo', { localAddress: freshAddress() });
  assert.equal(otherAcademy.status, 200, show(otherAcademy));

  // The block is the MariaDB row: gone, the account signs in again.
  await db(`DELETE FROM login_throttle WHERE academy_id = ${aid} AND kind = 'account' AND subject = ${q(account)}`);
  const again = await loginRaw(code, account, 'demo', { localAddress: freshAddress() });
  assert.equal(again.status, 200, show(again));
});

test('per account: failures are counted for unknown usernames too, and a success clears the account', async () => {
  const addr = freshAddress();
  toForget.push(['lyon', 'address', addr]);
  const ghost = uniq('ghost');
  toForget.push(['lyon', 'account', ghost]);
  for (let i = 1; i <= MAX_ACCOUNT; i++) assertProblem(await loginRaw('lyon', ghost, 'x', { localAddress: addr }), 401, 'invalid_credentials');
  const row = await throttleRow('lyon', 'account', ghost);
  assert.equal(row?.failures, MAX_ACCOUNT, 'an unknown username has its counter');
  assert.equal(row.blocked, true);
  assertThrottled(await loginRaw('lyon', ghost, 'x', { localAddress: addr }), 'an unknown account, blocked like a real one');

  // A real account with failures below the threshold: a success clears them.
  await db(`DELETE FROM login_throttle WHERE academy_id = ${await academyId('lyon')} AND kind = 'account' AND subject = 'direction1'`);
  const addr2 = freshAddress();
  toForget.push(['lyon', 'address', addr2]);
  for (let i = 0; i < 2; i++) assertProblem(await loginRaw('lyon', 'direction1', 'x', { localAddress: addr2 }), 401, 'invalid_credentials');
  assert.equal((await throttleRow('lyon', 'account', 'direction1')).failures, 2);
  await login('lyon', 'direction1', 'demo', { localAddress: addr2 });
  assert.equal(await throttleRow('lyon', 'account', 'direction1'), null, 'the account counter is cleared by a success');
  assert.equal((await throttleRow('lyon', 'address', addr2)).failures, 2, 'the address counter is kept');
});

test('per address: failures across many usernames from one address reach the limit, then 429', async (t) => {
  if (MAX_ADDRESS > 60) {
    t.skip(`[login] max_failures_address = ${MAX_ADDRESS} in the stack's configuration: over 60 failed logins would take too long here; set it lower (e.g. 8) in the test stack`);
    return;
  }
  const addr = freshAddress();
  toForget.push(['lyon', 'address', addr]);
  const prefix = uniq('spray');
  const t0 = Date.now();
  for (let i = 1; i <= MAX_ADDRESS; i++) {
    const started = Date.now();
    const user = `${prefix}-${i}`;
    toForget.push(['lyon', 'account', user]);
    const res = await loginRaw('lyon', user, 'x', { localAddress: addr });
    assertProblem(res, 401, 'invalid_credentials');
    // nginx lets 10 logins a second through per address (burst 20): stay under it.
    await sleep(Math.max(0, 110 - (Date.now() - started)));
  }
  t.diagnostic(`${MAX_ADDRESS} failures from ${addr} in ${Date.now() - t0} ms`);
  const row = await throttleRow('lyon', 'address', addr);
  assert.equal(row?.failures, MAX_ADDRESS, 'login_throttle counts the address');
  assert.equal(row.blocked, true);
  const accounts = await db(`SELECT COUNT(*), MAX(failures) FROM login_throttle WHERE academy_id = ${await academyId('lyon')}
    AND kind = 'account' AND subject LIKE ${q(prefix + '-%')}`);
  assert.deepEqual(accounts, [[String(MAX_ADDRESS), '1']], 'each username failed once: no account reached its own limit');

  assertThrottled(await loginRaw('lyon', `${prefix}-new`, 'x', { localAddress: addr }), 'one more username');
  const charged = (await throttleRow('lyon', 'account', 'stagiaire2'))?.failures ?? 0;
  const right = await loginRaw('lyon', 'stagiaire2', 'demo', { localAddress: addr });
  assertThrottled(right, 'a real account with the right password, from the blocked address');
  assert.equal((await throttleRow('lyon', 'account', 'stagiaire2'))?.failures ?? 0, charged, 'the real account is not charged for the address block');

  // The same account from another address is fine.
  const other = await loginRaw('lyon', 'stagiaire2', 'demo', { localAddress: freshAddress() });
  assert.equal(other.status, 200, show(other));
});

test('the counted address is the connection\'s, not a header the client sends', async () => {
  const addr = freshAddress();
  const claimed = freshAddress();
  toForget.push(['lyon', 'address', addr]);
  const ghost = uniq('ghost');
  toForget.push(['lyon', 'account', ghost]);
  const res = await loginRaw('lyon', ghost, 'x', {
    localAddress: addr, headers: { 'X-Forwarded-For': claimed, 'X-Real-IP': claimed, Forwarded: `for=${claimed}` },
  });
  assertProblem(res, 401, 'invalid_credentials');
  assert.equal((await throttleRow('lyon', 'address', addr))?.failures, 1, 'counted against the connection address');
  assert.equal(await throttleRow('lyon', 'address', claimed), null, 'not against the claimed one');
});

test('the counting window restarts after window_seconds, and a block ends after block_seconds', async () => {
  const WINDOW = configInt('login', 'window_seconds', 900);
  const aid = await academyId('lyon');
  const addr = freshAddress();
  toForget.push(['lyon', 'address', addr]);
  const ghost = uniq('ghost');
  toForget.push(['lyon', 'account', ghost]);
  for (let i = 0; i < MAX_ACCOUNT - 1; i++) assertProblem(await loginRaw('lyon', ghost, 'x', { localAddress: addr }), 401, 'invalid_credentials');
  // The window began long ago: the next failure starts a new one.
  await db(`UPDATE login_throttle SET window_start = NOW() - INTERVAL ${WINDOW + 10} SECOND
    WHERE academy_id = ${aid} AND kind = 'account' AND subject = ${q(ghost)}`);
  assertProblem(await loginRaw('lyon', ghost, 'x', { localAddress: addr }), 401, 'invalid_credentials');
  const row = await throttleRow('lyon', 'account', ghost);
  assert.equal(row.failures, 1, 'a new window');
  assert.equal(row.blocked, false);

  // Blocked, then the block is over: the account is heard again. (Another
  // address, so that a low per-address limit does not get in the way.)
  const addr2 = freshAddress();
  toForget.push(['lyon', 'address', addr2]);
  for (let i = 0; i < MAX_ACCOUNT - 1; i++) await loginRaw('lyon', ghost, 'x', { localAddress: addr2 });
  assert.equal((await throttleRow('lyon', 'account', ghost)).blocked, true);
  assertThrottled(await loginRaw('lyon', ghost, 'x', { localAddress: addr2 }), 'blocked');
  await db(`UPDATE login_throttle SET blocked_until = NOW() - INTERVAL 1 SECOND, window_start = NOW() - INTERVAL ${WINDOW + 10} SECOND
    WHERE academy_id = ${aid} AND kind = 'account' AND subject = ${q(ghost)}`);
  assertProblem(await loginRaw('lyon', ghost, 'x', { localAddress: freshAddress() }), 401, 'invalid_credentials');
});

test(`parallel attempts cannot try more than ${MAX_ACCOUNT} passwords on one account`, async (t) => {
  // Every 401 is a password the directory was asked about. tutoratd counts
  // each attempt (INSERT … ON DUPLICATE KEY UPDATE, then the check that it
  // is within the limit) in its own short transaction, committed before
  // LDAP is asked (server/auth_db.c authdb_throttle_count): simultaneous
  // attempts queue on the counter row for that transaction only, each sees
  // the others' counts, and the ones beyond the limit are refused without
  // holding any row while the directory answers.
  const addr = freshAddress();
  toForget.push(['lyon', 'address', addr]);
  const ghost = uniq('burst');
  toForget.push(['lyon', 'account', ghost]);
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => loginRaw('lyon', ghost, `guess-${i}`, { localAddress: addr })));
  const tried = answers.filter((r) => r.status === 401).length;
  const throttled = answers.filter((r) => r.status === 429).length;
  t.diagnostic(`20 simultaneous attempts: ${tried} passwords tried (401), ${throttled} refused (429)`);
  assert.equal(tried + throttled, 20, answers.map((r) => r.status).join());
  assert.ok(tried <= MAX_ACCOUNT, `${tried} passwords were tried on one account, the limit is ${MAX_ACCOUNT}`);
});
