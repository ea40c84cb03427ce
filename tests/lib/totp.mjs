// The second factor from the test's side: RFC 6238 codes computed here
// from the shared secret the enrolment gave (node's own HMAC-SHA-1, not the
// server's code), an enrolment through the API, fresh directory entries to
// sign in with, and the removal of what a test enrolled.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { post, show, uniq } from './http.mjs';
import { db, n } from './db.mjs';
import { STATE_DIR, LDAP_URI, DEMO_PASSWORD } from './env.mjs';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding) to bytes. */
export function base32Decode(s) {
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of s.replace(/=+$/, '').toUpperCase()) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 30-second step of a time in seconds. */
export const stepOf = (seconds = Date.now() / 1000) => Math.floor(seconds / 30);

/** The 6-digit code of a step for a base32 secret (RFC 6238, SHA-1). */
export function codeAt(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 1e6).padStart(6, '0');
}

/**
 * A code the server accepts now: the first step after `used` within the
 * window (one step either side of now). {code, step}. Steps already used
 * are replays, so a test keeps the last step it used.
 */
export function freshCode(secret, used = 0) {
  const now = stepOf();
  const step = Math.max(now - 1, used + 1);
  assert.ok(step <= now + 1, 'no unused step left in the window (a test that signs in too often)');
  return { code: codeAt(secret, step), step };
}

// The secrets this test process enrolled, by "academy/username": {secret,
// used} (used: the last step spent), so that login() of tests/lib/auth.mjs
// can finish a login that asks for a code.
const known = new Map();

/** The secret enrolled here for an account, or undefined. */
export const knownTotp = (academy, username) => known.get(`${academy}/${username}`);

/**
 * The next code of an account enrolled here, waiting for the next step
 * when the window's are spent. {code, step}.
 */
export async function nextCode(entry) {
  for (;;) {
    const now = stepOf();
    const step = Math.max(now - 1, entry.used + 1);
    if (step <= now + 1) {
      entry.used = step;
      return { code: codeAt(entry.secret, step), step };
    }
    await new Promise((r) => setTimeout(r, (30 - (Date.now() / 1000) % 30) * 1000 + 50));
  }
}

/**
 * Enrols the session's person (session.me: /auth/me): POST /me/totp, then
 * confirm with a code computed here. The session then counts as opened
 * with the second factor. {secret, uri, recoveryCodes, entry}.
 */
export async function enrolTotp(session) {
  const start = await post('/api/v1/me/totp', {}, { token: session.token });
  assert.equal(start.status, 201, `POST /me/totp: ${show(start)}`);
  const entry = { secret: start.body.secret, used: 0 };
  const { code } = await nextCode(entry);
  const confirm = await post('/api/v1/me/totp/confirm', { code }, { token: session.token });
  assert.equal(confirm.status, 200, `POST /me/totp/confirm: ${show(confirm)}`);
  if (session.me?.username) known.set(`${session.me.academy}/${session.me.username}`, entry);
  return { secret: entry.secret, uri: start.body.otpauth_uri, recoveryCodes: confirm.body.recovery_codes, entry, start };
}

/** Forgets an account's secret here (after dropTotp or a reset). */
export const forgetTotp = (academy, username) => known.delete(`${academy}/${username}`);

/** Removes a person's second factor behind the service's back (a test's cleanup). */
export async function dropTotp(personId) {
  const id = n(personId);
  await db(`DELETE FROM totp_recovery_code WHERE person_id = ${id};
    DELETE FROM login_challenge WHERE person_id = ${id};
    DELETE FROM person_totp WHERE person_id = ${id};
    UPDATE login_device SET second_factor_until = NULL WHERE person_id = ${id};
    UPDATE session SET second_factor = FALSE WHERE person_id = ${id}`);
}

const ADMIN_SECRET = join(STATE_DIR, 'secrets', 'ldap_admin');

/** Runs an ldap-utils client as the directory's admin of `base`, LDIF on stdin. */
export function ldapAsAdmin(base, cmd, input, args = []) {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, ['-x', '-H', LDAP_URI, '-D', `cn=admin,${base}`, '-y', ADMIN_SECRET, ...args],
      (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${stderr || err.message}`)) : resolve(stdout)));
    child.stdin.end(input ?? '');
  });
}

/**
 * A fresh entry in Lyon's directory (password DEMO_PASSWORD), member of
 * `group` when given (cn=…,ou=groups). Its removal is pushed on `undo`.
 */
export async function freshLyonEntry(undo, prefix, group) {
  const base = 'dc=ac-lyon,dc=fr';
  const uid = uniq(prefix);
  const dn = `uid=${uid},ou=people,${base}`;
  await ldapAsAdmin(base, 'ldapadd', [
    `dn: ${dn}`, 'objectClass: inetOrgPerson', `uid: ${uid}`, `cn: Test ${uid}`, 'sn: Test',
    'givenName: Test', `displayName: Test ${uid}`, `mail: ${uid}@ac-lyon.fr`, `userPassword: ${DEMO_PASSWORD}`, '', '',
  ].join('\n'));
  undo.push(() => ldapAsAdmin(base, 'ldapdelete', `${dn}\n`));
  if (group) {
    const g = `cn=${group},ou=groups,${base}`;
    await ldapAsAdmin(base, 'ldapmodify', `dn: ${g}\nchangetype: modify\nadd: member\nmember: ${dn}\n\n`);
    undo.push(() => ldapAsAdmin(base, 'ldapmodify', `dn: ${g}\nchangetype: modify\ndelete: member\nmember: ${dn}\n\n`));
  }
  return { uid, dn };
}

/**
 * Gives a signed-in session (with .me) the second factor by enrolling its
 * person, for a route that demands it; `enrolled` collects the sessions
 * for undoSecondFactor in the test file's after(). Waits until every
 * worker has seen the session's new state.
 */
export async function secondFactor(session, enrolled) {
  if (enrolled.includes(session)) return session;
  enrolled.push(session);
  await enrolTotp(session);
  await new Promise((r) => setTimeout(r, 2100)); // SESSION_RECHECK_SECONDS
  return session;
}

/** Removes what secondFactor enrolled. */
export async function undoSecondFactor(enrolled) {
  for (const s of enrolled) {
    await dropTotp(s.me.id).catch((err) => process.stderr.write(`cleanup: ${err.message}\n`));
    forgetTotp(s.me.academy, s.me.username);
  }
}
