// SQL through the stack's MariaDB as root (TUTORAT_DB_ROOT_CMD: the mariadb
// client with its socket and database), to check what a request stored.

import { execFile, spawn } from 'node:child_process';
import { DB_ROOT_CMD } from './env.mjs';

function unescapeBatch(s) {
  return s.replace(/\\([\\0tn])/g, (_, c) => ({ '\\': '\\', 0: '\0', t: '\t', n: '\n' })[c]);
}

/**
 * Runs one or more statements; resolves to the rows of the last result set
 * as arrays of strings (`-N -B`: no header, tab-separated); SQL NULL is
 * null. Rejects with the client's stderr on an error.
 */
export function db(sql) {
  const [cmd, ...args] = DB_ROOT_CMD.trim().split(/\s+/);
  return new Promise((resolve, reject) => {
    execFile(cmd, [...args, '-N', '-B', '-e', sql], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`SQL failed: ${sql}\n${stderr || err.message}`));
        return;
      }
      const rows = stdout.split('\n').filter((l) => l !== '')
        .map((l) => l.split('\t').map((f) => (f === 'NULL' ? null : unescapeBatch(f))));
      resolve(rows);
    });
  });
}

/**
 * A MariaDB session of the test's own, kept open between calls, to hold a
 * transaction (and its row locks) while a request runs: run(sql) sends
 * statements and resolves to their output lines once they have run; end()
 * closes the session. A failing statement ends the session and rejects.
 */
export function dbSession() {
  const [cmd, ...args] = DB_ROOT_CMD.trim().split(/\s+/);
  const child = spawn(cmd, [...args, '-N', '-B', '--unbuffered'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let waiter = null;
  let seq = 0;
  const settle = () => {
    if (!waiter) return;
    const at = out.indexOf(`${waiter.marker}\n`);
    if (at >= 0) {
      const lines = out.slice(0, at).split('\n').filter((l) => l !== '');
      out = out.slice(at + waiter.marker.length + 1);
      waiter.resolve(lines);
      waiter = null;
    }
  };
  child.stdout.on('data', (c) => { out += c; settle(); });
  child.stderr.on('data', (c) => { err += c; });
  child.on('exit', (code) => {
    if (waiter) waiter.reject(new Error(`SQL session ended (${code}): ${err}`));
    waiter = null;
  });
  return {
    run(sql) {
      const marker = `-- done ${++seq} --`;
      return new Promise((resolve, reject) => {
        waiter = { marker, resolve, reject };
        child.stdin.write(`${sql};\nSELECT '${marker}';\n`);
      });
    },
    end() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) resolve();
        else {
          child.on('exit', () => resolve());
          child.stdin.end();
        }
      });
    },
  };
}

/** The single value of a one-row, one-column query. */
export async function dbValue(sql) {
  const rows = await db(sql);
  if (rows.length !== 1 || rows[0].length !== 1) {
    throw new Error(`expected one value from: ${sql}\ngot ${JSON.stringify(rows)}`);
  }
  return rows[0][0];
}

/** COUNT(*) of a query's rows, as a number. */
export async function dbCount(sql) {
  return Number(await dbValue(sql));
}

/** A SQL string literal. */
export function q(s) {
  if (s === null || s === undefined) return 'NULL';
  return `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\0/g, '\\0')}'`;
}

/** An integer literal (refuses anything else, so ids never inject). */
export function n(v) {
  const s = String(v);
  if (!/^-?\d+$/.test(s)) throw new Error(`not an integer: ${s}`);
  return s;
}

const academyIds = new Map();
/** academy.id of a code. */
export async function academyId(code) {
  if (!academyIds.has(code)) academyIds.set(code, Number(await dbValue(`SELECT id FROM academy WHERE code = ${q(code)}`)));
  return academyIds.get(code);
}

/** The audit rows written by one request: [{action, actor_id, object_type, object_id, academy}]. */
export async function auditRows(requestId) {
  const rows = await db(`SELECT a.code, l.action, l.actor_id, l.object_type, l.object_id
    FROM audit_log l JOIN academy a ON a.id = l.academy_id WHERE l.request_id = ${q(requestId)} ORDER BY l.id`);
  return rows.map(([academy, action, actorId, objectType, objectId]) => ({
    academy, action, actor_id: actorId === null ? null : Number(actorId), object_type: objectType,
    object_id: objectId === null ? null : Number(objectId),
  }));
}
