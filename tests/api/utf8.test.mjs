// Text that is not plain ASCII, where the daemon copies or logs it:
// - a long display name in several scripts comes back whole from
//   GET /auth/me, whether the worker's session cache or MariaDB answers
//   (the cache once cut names in the middle of a character, and /auth/me
//   then answered 200 with an empty body);
// - a request whose path is not valid UTF-8 still gets its log line, the
//   invalid bytes written as \xNN escapes.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  request, get, show, uniq, sleep, login, Cleanup, STATE_DIR, LDAP_URI, DEMO_PASSWORD, TUTORATD_LOGS, tutoratdLog,
} from '../lib/index.mjs';

const cleanup = new Cleanup();
const LYON = 'dc=ac-lyon,dc=fr';
const ADMIN_DN = `cn=admin,${LYON}`;
const ADMIN_SECRET = join(STATE_DIR, 'secrets', 'ldap_admin');

/** Runs an ldap-utils client as the directory's admin, LDIF on stdin. */
function ldapAsAdmin(cmd, ldif) {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, ['-x', '-H', LDAP_URI, '-D', ADMIN_DN, '-y', ADMIN_SECRET],
      (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${stderr || err.message}`)) : resolve(stdout)));
    child.stdin.end(ldif);
  });
}

const added = [];
after(async () => {
  for (const dn of added) await ldapAsAdmin('ldapdelete', `${dn}\n`).catch(() => {});
  await cleanup.run();
});

test('a 200-character display name in several scripts comes back whole from /auth/me, on every request', async (t) => {
  if (!existsSync(ADMIN_SECRET)) {
    t.skip(`no ${ADMIN_SECRET}: not a stack of ./deploy/dev`);
    return;
  }
  // 200 characters (the column's limit), 2-, 3- and 4-byte UTF-8: 602 bytes.
  const display = `Marie-Hélène x${'Ŋ€𝄞'.repeat(62)}`;
  assert.equal([...display].length, 200);
  // The old 201-byte cache field kept 200 bytes: the middle of a character.
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(display).subarray(0, 200)));
  const uid = uniq('t-utf8');
  const dn = `uid=${uid},ou=people,${LYON}`;
  await ldapAsAdmin('ldapadd', [
    `dn: ${dn}`, 'objectClass: inetOrgPerson', `uid: ${uid}`, 'cn: Test UTF-8', 'sn: UTF-8',
    `displayName:: ${Buffer.from(display).toString('base64')}`, `mail: ${uid}@ac-lyon.fr`,
    `userPassword: ${DEMO_PASSWORD}`, '', '',
  ].join('\n'));
  added.push(dn);

  const s = await login('lyon', uid);
  // The first answer fills the worker's cache from MariaDB; later ones on
  // the same worker within 2 s come from the cache. 8 threads: 40
  // requests in a row reach every worker's cache many times.
  for (let i = 0; i < 40; i++) {
    const res = await get('/api/v1/auth/me', { token: s.token });
    assert.equal(res.status, 200, show(res));
    assert.match(res.headers['content-type'] || '', /^application\/json/, `request ${i}: ${show(res)}`);
    assert.equal(res.body.display_name, display, `request ${i} (${res.requestId}): the whole name`);
    assert.equal(res.body.username, uid);
    assert.equal(res.body.email, `${uid}@ac-lyon.fr`);
    if (i === 0) cleanup.person(res.body.id);
  }
});

test('a path with a raw 0xFF byte is answered and logged, the byte written as \\xff', async (t) => {
  const logFile = TUTORATD_LOGS[0];
  if (!existsSync(logFile)) {
    t.skip(`no ${logFile}`);
    return;
  }
  // rawPath is sent byte for byte (latin-1): U+00FF is the byte 0xFF.
  const res = await request('GET', '/api/v1/x', { rawPath: '/api/v1/caf\u00e9\u00ff/x' });
  assert.equal(res.status, 404, show(res));
  assert.equal(res.body.code, 'not_found');
  assert.ok(res.requestId, 'X-Request-Id on the answer');
  // The log is written after the answer: give it a moment.
  let mine = [];
  for (let i = 0; i < 20 && mine.length === 0; i++) {
    mine = tutoratdLog().split('\n').filter((l) => l.includes(res.requestId));
    if (mine.length === 0) await sleep(100);
  }
  assert.equal(mine.length, 1, `one log line for request ${res.requestId}`);
  const entry = JSON.parse(mine[0]);
  assert.equal(entry.request_id, res.requestId);
  assert.equal(entry.status, 404);
  assert.equal(entry.code, 'not_found');
  // 0xE9 and 0xFF are each invalid on their own: both escaped.
  assert.equal(entry.path, '/api/v1/caf\\xe9\\xff/x');
});
