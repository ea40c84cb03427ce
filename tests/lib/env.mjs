// Where the stack under test is. ./deploy/dev test sets every TUTORAT_*
// variable for its throwaway stack; when one is unset, it defaults to the
// local dev stack (./deploy/dev up: var/, http://127.0.0.1:8080), so that
// `node --test tests/api/` works against a running dev stack too.

import { existsSync, readFileSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const e = process.env;

export const STATE_DIR = e.TUTORAT_STATE_DIR || join(ROOT, 'var');
export const BASE_URL = (e.TUTORAT_BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const CONFIG = e.TUTORAT_CONFIG || join(STATE_DIR, 'tutorat.ini');
export const DB_SOCKET = e.TUTORAT_DB_SOCKET || join(STATE_DIR, 'run', 'mysqld.sock');
export const DB_NAME = e.TUTORAT_DB_NAME || 'tutorat';
export const DB_ROOT_CMD = e.TUTORAT_DB_ROOT_CMD
  || `mariadb --no-defaults --socket=${DB_SOCKET} -uroot ${DB_NAME}`;
export const LDAP_URI = e.TUTORAT_LDAP_URI || 'ldap://127.0.0.1:3389';
export const TUTORATCTL = e.TUTORAT_TUTORATCTL || join(ROOT, 'build', 'tutoratctl');

// The cluster stack (./deploy/dev cluster test) has several tutoratd
// instances, each with its socket and log, and several MariaDB nodes: these
// name them (space-separated); on the single stack, its one of each.
const list = (v, dflt) => (v ? v.trim().split(/\s+/) : dflt);
/** The FastCGI socket of each tutoratd instance. */
export const FCGI_SOCKETS = list(e.TUTORAT_FCGI_SOCKETS, [join(STATE_DIR, 'run', 'tutoratd.sock')]);
/** The log of each tutoratd instance. */
export const TUTORATD_LOGS = list(e.TUTORAT_TUTORATD_LOGS, [join(STATE_DIR, 'log', 'tutoratd.log')]);
/** The PID file of the MariaDB server the service writes to. */
export const DB_PIDFILE = e.TUTORAT_DB_PIDFILE || join(STATE_DIR, 'run', 'mariadb.pid');

/** Is the stack under test the cluster stack (./deploy/dev cluster test)? */
export const ON_CLUSTER = Boolean(e.TUTORAT_CLUSTER_STATE);

/** The last 16 MiB of a file, from its first whole line (a dev stack's log grows without bound). */
export function tail(file, bytes = 16 * 1024 * 1024) {
  const size = statSync(file).size;
  if (size <= bytes) return readFileSync(file, 'utf8');
  const buf = Buffer.alloc(bytes);
  const fd = openSync(file, 'r');
  try { readSync(fd, buf, 0, bytes, size - bytes); } finally { closeSync(fd); }
  const text = buf.toString('utf8');
  return text.slice(text.indexOf('\n') + 1);
}

/** The recent text of every instance's log, one after the other. */
export function tutoratdLog() {
  return TUTORATD_LOGS.filter((f) => existsSync(f)).map((f) => tail(f)).join('\n');
}

/** The demo password of every demo account. */
export const DEMO_PASSWORD = 'demo';

/**
 * The configuration file as {section: {key: value}}; académie sections are
 * under their own name ("academy lyon"). Comments (; and #) and blank lines
 * are skipped, as libinih does.
 */
export function readConfig(path = CONFIG) {
  const out = {};
  let section = '';
  for (const raw of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      section = sec[1].trim();
      out[section] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    const comment = value.search(/\s;/); // inline comments, as in the contract's example
    if (comment >= 0) value = value.slice(0, comment).trim();
    (out[section] ??= {})[key] = value;
  }
  return out;
}

let cached;
/** The configuration of the stack under test (read once per process). */
export function config() {
  cached ??= readConfig();
  return cached;
}

/** An integer setting, with the daemon's default when it is absent. */
export function configInt(section, key, dflt) {
  const v = config()[section]?.[key];
  if (v === undefined || v === '') return dflt;
  const n = Number.parseInt(v, 10);
  if (!Number.isFinite(n)) throw new Error(`${CONFIG}: [${section}] ${key} = ${v} is not an integer`);
  return n;
}

/** The académies of the configuration: [{code, name, issuer, base_url}] (base_url: the issuer by default, as tutoratd reads it). */
export function academies() {
  return Object.entries(config())
    .filter(([s]) => s.startsWith('academy '))
    .map(([s, v]) => ({ code: s.slice('academy '.length).trim(), name: v.name, issuer: v.issuer, base_url: v.base_url || v.issuer }));
}

export function academy(code) {
  const a = academies().find((x) => x.code === code);
  if (!a) throw new Error(`académie ${code} is not in ${CONFIG}`);
  return a;
}

/** The keys directory of the stack under test (config keys_dir, relative to the config file). */
export function keysDir() {
  return resolve(dirname(CONFIG), config().server?.keys_dir || 'keys');
}
