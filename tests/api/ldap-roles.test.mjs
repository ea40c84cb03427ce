// Roles from the directory's groups (server/ldapauth.c map_groups): a group
// search that fails is not "no groups". The person signs in with the roles
// stored at their last login, and the request's log line says why. Before,
// the failure read as no groups: the login deleted the person's directory
// roles, and the tutor got 403 everywhere, with nothing logged.
//
// The search fails for real: the person belongs to more groups than the
// directory's size limit (sizelimit 500 in deploy/dev write_slapd_conf and
// in the daemon's search), so slapd answers "Size limit exceeded".

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  get, show, uniq, sleep, login, db, academyId, Cleanup, STATE_DIR, LDAP_URI, DEMO_PASSWORD, tutoratdLog,
} from '../lib/index.mjs';

const cleanup = new Cleanup();
const LYON = 'dc=ac-lyon,dc=fr';
const ADMIN_DN = `cn=admin,${LYON}`;
const ADMIN_SECRET = join(STATE_DIR, 'secrets', 'ldap_admin');
const TUTORS = `cn=tuteurs-terrain,ou=groups,${LYON}`;
const SIZE_LIMIT = 500;

/** Runs an ldap-utils client as the directory's admin, LDIF (or DNs) on stdin. */
function ldapAsAdmin(cmd, input, args = []) {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, ['-x', '-H', LDAP_URI, '-D', ADMIN_DN, '-y', ADMIN_SECRET, ...args],
      { maxBuffer: 16 << 20 },
      (err, stdout, stderr) => (err ? reject(new Error(`${cmd}: ${stderr || err.message}`)) : resolve(stdout)));
    child.stdin.end(input);
  });
}

const undo = []; // run in reverse order
after(async () => {
  for (const step of undo.reverse()) await step().catch((err) => process.stderr.write(`cleanup: ${err.message}\n`));
  await cleanup.run();
});

async function storedLdapRoles(personId) {
  const rows = await db(`SELECT role FROM role_assignment WHERE academy_id = ${await academyId('lyon')}
    AND person_id = ${Number(personId)} AND source = 'ldap' ORDER BY role`);
  return rows.map((r) => r[0]);
}

async function logLine(requestId) {
  // The log is written after the answer: give it a moment.
  for (let i = 0; i < 20; i++) {
    const mine = tutoratdLog().split('\n').filter((l) => l.includes(requestId));
    if (mine.length > 0) return JSON.parse(mine[0]);
    await sleep(100);
  }
  return null;
}

test('a failed group search keeps the roles stored at the last login, and is logged', async (t) => {
  if (!existsSync(ADMIN_SECRET)) {
    t.skip(`no ${ADMIN_SECRET}: not a stack of ./deploy/dev`);
    return;
  }
  const uid = uniq('t-groups');
  const dn = `uid=${uid},ou=people,${LYON}`;
  await ldapAsAdmin('ldapadd', [
    `dn: ${dn}`, 'objectClass: inetOrgPerson', `uid: ${uid}`, 'cn: Tuteur Groupes', 'sn: Groupes',
    `displayName: Tuteur Groupes`, `mail: ${uid}@ac-lyon.fr`, `userPassword: ${DEMO_PASSWORD}`, '', '',
  ].join('\n'));
  undo.push(() => ldapAsAdmin('ldapdelete', `${dn}\n`));
  await ldapAsAdmin('ldapmodify', `dn: ${TUTORS}\nchangetype: modify\nadd: member\nmember: ${dn}\n\n`);
  undo.push(() => ldapAsAdmin('ldapmodify', `dn: ${TUTORS}\nchangetype: modify\ndelete: member\nmember: ${dn}\n\n`));

  // A normal login stores the role of the group.
  const first = await login('lyon', uid);
  const before = await get('/api/v1/auth/me', { token: first.token });
  assert.equal(before.status, 200, show(before));
  cleanup.person(before.body.id);
  assert.deepEqual(before.body.roles, ['tuteur_terrain']);
  assert.deepEqual(await storedLdapRoles(before.body.id), ['tuteur_terrain']);

  // Now the person is in more groups than the search may return.
  const groups = Array.from({ length: SIZE_LIMIT }, (_, i) => `cn=${uid}-${i},ou=groups,${LYON}`);
  undo.push(() => ldapAsAdmin('ldapdelete', `${groups.join('\n')}\n`, ['-c']));
  await ldapAsAdmin('ldapadd', groups.map((g, i) => [
    `dn: ${g}`, 'objectClass: groupOfNames', `cn: ${uid}-${i}`, `member: ${dn}`, '', '',
  ].join('\n')).join(''));

  const second = await login('lyon', uid);
  const after2 = await get('/api/v1/auth/me', { token: second.token });
  assert.equal(after2.status, 200, show(after2));
  assert.equal(after2.body.id, before.body.id);
  assert.deepEqual(after2.body.roles, ['tuteur_terrain'], 'the roles stored before are kept');
  assert.deepEqual(await storedLdapRoles(before.body.id), ['tuteur_terrain'], 'the role rows are still stored');

  const entry = await logLine(second.res.requestId);
  assert.ok(entry, `a log line for request ${second.res.requestId}`);
  assert.equal(entry.status, 200);
  assert.match(entry.error ?? '', /group search failed: Size limit exceeded; stored roles kept/, JSON.stringify(entry));
  assert.ok(!JSON.stringify(entry).includes(uid), 'the log line names no one');
});
