// tutoratctl backup / restore / revoke-sessions (docs/deploy.md, section 14).
//
// A physical backup is taken while several clients write through the API;
// it is restored into a new data directory, a second MariaDB server of the
// test's own runs on it, and every write acknowledged before the backup
// started must be there. The sessions the backup holds (one of them logged
// out after the backup) are open in the restored database until
// revoke-sessions, then none is; check-sql passes against it. Bad inputs
// are refused with a message, a non-zero exit code and nothing changed.
//
// The backup connects as a backup user with a password and exactly the
// grants docs/deploy.md gives, through a configuration of its own as the
// documentation says: the stack's, with another [database] user. The
// password must appear in no file of the backup (mariadb-backup records
// its command line in xtrabackup_info) and the private temporary
// directory that held it must be gone.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CONFIG, TUTORATCTL, DB_SOCKET, post, as, login, show, db, q, uniq, decodeToken, sleep,
} from '../lib/index.mjs';

const TMP = mkdtempSync(join(tmpdir(), 'tutorat-backup-'));
const BACKUP = join(TMP, 'backup');
const DATADIR = join(TMP, 'datadir');
const SOCKET = join(TMP, 'mysqld.sock');
const RUN = uniq('sauvegarde');
// Next to the stack's configuration: its relative paths (keys, secrets)
// resolve from the file's directory.
const LIVE_INI = join(dirname(CONFIG), `backup-live-${process.pid}.ini`);
const RESTORED_INI = join(dirname(CONFIG), `backup-restored-${process.pid}.ini`);
const BACKUP_USER = `tutorat_backup_${process.pid}`;
// Characters an option file must quote: mariadb-backup must still log in.
const BACKUP_PASSWORD = `Pw"#; \\${randomBytes(12).toString('hex')}`;
const PASSWORD_FILE = join(TMP, 'backup_db_password');
// tutoratctl's TMPDIR: its private directory goes there, and must go.
const CTL_TMP = join(TMP, 'ctl-tmp');
mkdirSync(CTL_TMP);
writeFileSync(PASSWORD_FILE, BACKUP_PASSWORD, { mode: 0o600 });

/** The stack's configuration with another [database] connection. */
function configWith(socket, ...database) {
  let section = '';
  const out = [];
  for (const line of readFileSync(CONFIG, 'utf8').split('\n')) {
    const sec = /^\s*\[(.+)\]\s*$/.exec(line);
    if (sec) section = sec[1].trim();
    if (section === 'database' && /^\s*(socket|user|password_file|host|port)\s*=/.test(line)) continue;
    out.push(line);
    if (sec && section === 'database') out.push(`socket = ${socket}`, ...database);
  }
  return out.join('\n');
}
writeFileSync(LIVE_INI, configWith(DB_SOCKET, `user = ${BACKUP_USER}`, `password_file = ${PASSWORD_FILE}`));
// The restored server authenticates root by its socket, as the stack's does.
writeFileSync(RESTORED_INI, configWith(SOCKET, 'user = root'));

/** tutoratctl with a configuration; {code, stdout, stderr}. */
function ctlWith(config, ...args) {
  return new Promise((resolve, reject) => {
    execFile(TUTORATCTL, ['-c', config, ...args], { maxBuffer: 16 << 20, env: { ...process.env, TMPDIR: CTL_TMP } }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

/** Rows of a query on the restored server, as arrays of strings (NULL: null). */
function restoredDb(sql) {
  return new Promise((resolve, reject) => {
    execFile('mariadb', ['--no-defaults', `--socket=${SOCKET}`, '-uroot', 'tutorat', '-N', '-B', '-e', sql],
      { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`SQL on the restored server failed: ${sql}\n${stderr || err.message}`));
        else resolve(stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t').map((f) => (f === 'NULL' ? null : f))));
      });
  });
}

let restored = null; // the second mariadbd, once started
async function startRestoredServer() {
  const args = ['--no-defaults', '--user=root', `--datadir=${DATADIR}`, `--socket=${SOCKET}`,
    '--skip-networking', `--pid-file=${join(TMP, 'mysqld.pid')}`, `--log-error=${join(TMP, 'mysqld.log')}`,
    `--tmpdir=${TMP}`, '--innodb-buffer-pool-size=32M', '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci'];
  restored = spawn('mariadbd', args, { stdio: 'ignore' });
  const exited = new Promise((resolve) => restored.once('exit', resolve));
  for (let i = 0; i < 240; i++) {
    if (restored.exitCode !== null) break;
    try {
      await restoredDb('SELECT 1');
      return;
    } catch { await sleep(250); }
  }
  const log = (() => { try { return readFileSync(join(TMP, 'mysqld.log'), 'utf8').slice(-2000); } catch { return ''; } })();
  restored.kill('SIGKILL');
  await exited;
  restored = null;
  assert.fail(`the restored MariaDB did not start:\n${log}`);
}

after(async () => {
  if (restored && restored.exitCode === null) {
    const exited = new Promise((resolve) => restored.once('exit', resolve));
    restored.kill('SIGTERM');
    await exited;
  }
  await db(`DELETE FROM structure WHERE name LIKE ${q(`${RUN}%`)}`);
  await db(`DROP USER IF EXISTS ${q(BACKUP_USER)}@'localhost'`);
  rmSync(LIVE_INI, { force: true });
  rmSync(RESTORED_INI, { force: true });
  rmSync(TMP, { recursive: true, force: true });
});

/**
 * `clients` writers, each creating one structure after another, named with
 * a unique marker, until stop(). acked: the markers answered 201, with the
 * time of the answer.
 */
function writers(token, clients) {
  const acked = [];
  let stopping = false;
  const errors = [];
  const loops = Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; !stopping; i++) {
      const name = `${RUN} c${c} n${i}`;
      const res = await post('/api/v1/structures', { kind: 'inspe_site', name }, { token });
      if (res.status === 201) acked.push({ name, at: process.hrtime.bigint() });
      else errors.push(`${name}: ${show(res)}`);
    }
  });
  return { acked, errors, async stop() { stopping = true; await Promise.all(loops); } };
}

/** Every file under a directory, recursively. */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name));
}

test('backup under writes, restore into a new server: every write acknowledged before the backup is there, sessions revoked, check-sql passes', async (t) => {
  // The documented grants (docs/deploy.md, section 14), nothing more.
  await db(`CREATE USER ${q(BACKUP_USER)}@'localhost' IDENTIFIED BY ${q(BACKUP_PASSWORD)}`);
  await db(`GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.* TO ${q(BACKUP_USER)}@'localhost'`);
  const admin = await as('lyon', 'admin');
  // A session open when the backup is taken and logged out after it: the
  // restored database has it open again until revoke-sessions.
  const loggedOutLater = await login('lyon', 'stagiaire1');
  const laterSid = decodeToken(loggedOutLater.token).payload.sid;

  const load = writers(admin.token, 4);
  while (load.acked.length < 20 && load.errors.length === 0) await sleep(20);
  const startedAt = process.hrtime.bigint();
  const backup = await ctlWith(LIVE_INI, 'backup', BACKUP);
  await load.stop();
  const before = load.acked.filter((a) => a.at < startedAt).map((a) => a.name);
  t.diagnostic(`${before.length} writes acknowledged before the backup, ${load.acked.length} in all`);
  assert.equal(backup.code, 0, `tutoratctl backup: ${backup.stderr}`);
  assert.deepEqual(load.errors, [], 'the writes went on while the backup ran');
  assert.match(backup.stdout, /^backup of MariaDB 10\.\S+ in .*: \d+ files, \d+ bytes/);

  // DIR: private, the prepared data and a manifest of every file.
  assert.equal(statSync(BACKUP).mode & 0o777, 0o700);
  assert.deepEqual(readdirSync(BACKUP).sort(), ['data', 'manifest.json']);
  const manifest = JSON.parse(readFileSync(join(BACKUP, 'manifest.json'), 'utf8'));
  assert.equal(manifest.format, 'tutorat-backup/1');
  assert.match(manifest.server_version, /^10\./);
  assert.ok(Number.isInteger(manifest.consistent_point.innodb_lsn), JSON.stringify(manifest.consistent_point));
  assert.ok(manifest.files.some((f) => f.path === 'data/tutorat/structure.ibd' && /^[0-9a-f]{64}$/.test(f.sha256)));
  assert.match(readFileSync(join(BACKUP, 'data', 'xtrabackup_info'), 'utf8'), /^tool_command = --defaults-file=\S+ --backup /m);
  const secret = Buffer.from(BACKUP_PASSWORD);
  for (const f of filesUnder(BACKUP)) {
    assert.equal(readFileSync(f).indexOf(secret), -1, `the backup user's password is in ${f}`);
  }
  assert.deepEqual(readdirSync(CTL_TMP), [], 'the private directory of the option file is removed');

  const out = await post('/api/v1/auth/logout', {}, { token: loggedOutLater.token });
  assert.equal(out.status, 204, show(out));

  const restore = await ctlWith(LIVE_INI, 'restore', BACKUP, DATADIR);
  assert.equal(restore.code, 0, `tutoratctl restore: ${restore.stderr}`);
  assert.match(restore.stdout, /revoke-sessions/, 'restore says the next step');
  await startRestoredServer();

  const names = new Set((await restoredDb(`SELECT name FROM structure WHERE name LIKE ${q(`${RUN}%`)}`)).map((r) => r[0]));
  const missing = before.filter((n) => !names.has(n));
  assert.deepEqual(missing, [], 'every write acknowledged before the backup started is in the restored database');
  assert.ok(before.length >= 20);

  // The sessions of the backup, the one logged out since included, are open
  // again until revoke-sessions; then none is, and each académie's audit
  // trail says how many were revoked.
  const [[laterRevoked]] = await restoredDb(`SELECT revoked_at FROM session WHERE id = ${Number(laterSid)}`);
  assert.equal(laterRevoked, null, 'the restored session logged out after the backup is open again');
  const [[openBefore]] = await restoredDb('SELECT COUNT(*) FROM session WHERE revoked_at IS NULL');
  assert.ok(Number(openBefore) >= 2, `open sessions in the restored database: ${openBefore}`);
  const revoke = await ctlWith(RESTORED_INI, 'revoke-sessions');
  assert.equal(revoke.code, 0, `tutoratctl revoke-sessions: ${revoke.stderr}`);
  assert.match(revoke.stdout, /^lyon: \d+ sessions revoked$/m);
  assert.deepEqual(await restoredDb('SELECT id FROM session WHERE revoked_at IS NULL'), []);
  const audit = await restoredDb(`SELECT a.code, l.detail FROM audit_log l JOIN academy a ON a.id = l.academy_id
    WHERE l.action = 'session.revoke_all' AND l.client_addr = 'tutoratctl' ORDER BY a.code`);
  const lyon = audit.find(([code]) => code === 'lyon');
  assert.ok(lyon, `audit rows: ${JSON.stringify(audit)}`);
  assert.ok(JSON.parse(lyon[1]).sessions >= 2, lyon[1]);

  const check = await ctlWith(RESTORED_INI, 'check-sql');
  assert.equal(check.code, 0, `check-sql on the restored server: ${check.stderr}`);
  assert.match(check.stdout, /\d+ statements, 0 do not fit their declaration/);
});

/** The entries of a directory, or null when it does not exist. */
function entries(dir) {
  try { return readdirSync(dir).sort(); } catch (e) { if (e.code === 'ENOENT') return null; throw e; }
}

test('bad inputs: a non-empty backup directory, a missing backup, a damaged manifest or file, a non-empty data directory', async () => {
  assert.ok(entries(join(BACKUP, 'data')), 'the first test made a backup');
  const target = join(TMP, 'not-empty');
  mkdirSync(target);
  writeFileSync(join(target, 'keep.txt'), 'déjà là');
  let r = await ctlWith(LIVE_INI, 'backup', target);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /backup directory .*not-empty is not empty: nothing done/);
  assert.deepEqual(entries(target), ['keep.txt']);

  const fresh = join(TMP, 'datadir-fresh');
  r = await ctlWith(LIVE_INI, 'restore', join(TMP, 'no-such-backup'), fresh);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /no backup directory .*no-such-backup/);
  assert.equal(entries(fresh), null, 'no data directory created');

  r = await ctlWith(LIVE_INI, 'restore', BACKUP, target);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /data directory .*not-empty is not empty: nothing done/);
  assert.deepEqual(entries(target), ['keep.txt']);

  // A manifest that lies about one file's checksum, then one cut short,
  // then a file the manifest does not list.
  const manifestPath = join(BACKUP, 'manifest.json');
  const good = readFileSync(manifestPath, 'utf8');
  const m = JSON.parse(good);
  const victim = m.files.find((f) => f.path === 'data/tutorat/structure.ibd');
  victim.sha256 = victim.sha256.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  const cases = [
    [JSON.stringify(m), /data\/tutorat\/structure\.ibd differs from the manifest/],
    [good.slice(0, good.length / 2), /manifest\.json: .*not a backup made by tutoratctl backup/],
  ];
  for (const [text, why] of cases) {
    writeFileSync(manifestPath, text);
    r = await ctlWith(LIVE_INI, 'restore', BACKUP, fresh);
    assert.notEqual(r.code, 0, why.source);
    assert.match(r.stderr, why);
    assert.equal(entries(fresh), null, 'no data directory created');
  }
  writeFileSync(manifestPath, good);
  const extra = join(BACKUP, 'data', 'tutorat', 'extra.ibd');
  writeFileSync(extra, 'x');
  r = await ctlWith(LIVE_INI, 'restore', BACKUP, fresh);
  rmSync(extra);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /data\/tutorat\/extra\.ibd is not in the manifest/);
  assert.equal(entries(fresh), null, 'no data directory created');
});
