// tutoratctl of the stack under test, with its configuration.

import { execFile } from 'node:child_process';
import { CONFIG, TUTORATCTL } from './env.mjs';

/** Runs `tutoratctl -c CONFIG ...args`; resolves to {code, stdout, stderr} (never rejects on exit code). */
export function ctl(...args) {
  return new Promise((resolve, reject) => {
    execFile(TUTORATCTL, ['-c', CONFIG, ...args], { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(err);
        return;
      }
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

/** `tutoratctl routes`: [{method, path, access: 'public' | 'authenticated' | [roles], object}]. */
export async function routes() {
  const r = await ctl('routes');
  if (r.code !== 0) throw new Error(`tutoratctl routes failed (${r.code}): ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => {
    const [method, path, access, object, see, act, ...rest] = l.trim().split(/\s+/);
    if (!method || !path || !access || (object && !act) || rest.length) throw new Error(`tutoratctl routes: unexpected line «${l}»`);
    const names = (s) => (s === '-' ? [] : s.split(','));
    return {
      method,
      path,
      access: access === 'public' || access === 'authenticated' ? access : access.split(','),
      // The object the route addresses by {id}, and the relations that see it and act on it.
      object: object ? { kind: object, see: names(see), act: names(act) } : null,
    };
  });
}
