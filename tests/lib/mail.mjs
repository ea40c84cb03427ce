// The mails the stack sent, read from the Maildir of its SMTP server
// (./deploy/dev runs exim delivering every mail into <state>/mail/Maildir),
// and the stack's mail processes (exim, the mailer) stopped and started
// through ./deploy/dev, as an operator would.

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ON_CLUSTER, ROOT, STATE_DIR } from './env.mjs';
import { sleep } from './http.mjs';

export const MAILDIR = join(STATE_DIR, 'mail', 'Maildir');
/** A recipient whose local part starts with this waits at DATA until releaseSlow(). */
export const SLOW_RELEASE = join(STATE_DIR, 'mail', 'release-slow');

/** RFC 2047 encoded-words of a header value, decoded (B and Q, UTF-8). */
export function decodeWords(v) {
  return v
    .replace(/\?=\s+=\?/g, '?==?') // whitespace between adjacent words is not text
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset, enc, text) => {
      const bytes = enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (__, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      return new TextDecoder(charset).decode(bytes);
    });
}

/** Quoted-printable (RFC 2045) to UTF-8 text, CRLF to LF. */
export function decodeQP(s) {
  const raw = s.replace(/=\r?\n/g, '').replace(/\r\n/g, '\n');
  const bytes = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(raw.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Headers of an entity: {lowercase name: [values]} (unfolded, decoded), and its body. */
function splitEntity(text) {
  const at = text.search(/\r?\n\r?\n/);
  const head = at < 0 ? text : text.slice(0, at);
  const body = at < 0 ? '' : text.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c <= 0) continue;
    const name = line.slice(0, c).trim().toLowerCase();
    (headers[name] ??= []).push(decodeWords(line.slice(c + 1).trim()));
  }
  return { headers, body };
}

function decodeBody(entity) {
  const cte = (entity.headers['content-transfer-encoding']?.[0] || '7bit').toLowerCase();
  if (cte === 'quoted-printable') return decodeQP(entity.body);
  if (cte === 'base64') return Buffer.from(entity.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return entity.body.replace(/\r\n/g, '\n');
}

/**
 * One mail file parsed: {file, raw, headers, envelopeTo, to, from, subject,
 * messageId, date, text, html}; headers are unfolded and decoded; text and
 * html are the decoded parts of a multipart/alternative (or the body).
 */
export function parseMail(file, raw) {
  const top = splitEntity(raw);
  const h = (n) => top.headers[n]?.[0] ?? null;
  let text = null;
  let html = null;
  const ct = h('content-type') || 'text/plain';
  const b = /boundary="?([^";]+)"?/i.exec(ct);
  if (/^multipart\//i.test(ct) && b) {
    for (const part of top.body.split(`--${b[1]}`).slice(1)) {
      if (part.startsWith('--')) break;
      const e = splitEntity(part.replace(/^\r?\n/, ''));
      const pct = (e.headers['content-type']?.[0] || '').toLowerCase();
      if (pct.startsWith('text/plain')) text = decodeBody(e).replace(/\n$/, '');
      if (pct.startsWith('text/html')) html = decodeBody(e).replace(/\n$/, '');
    }
  } else {
    text = decodeBody(top);
  }
  return {
    file,
    raw,
    headers: top.headers,
    envelopeTo: h('envelope-to'),
    to: h('to'),
    from: h('from'),
    subject: h('subject'),
    messageId: h('message-id'),
    date: h('date'),
    text,
    html,
  };
}

/**
 * Every mail of the Maildir (new/ and cur/), in file name order (the time
 * of delivery); with `to`, those whose Envelope-to or To is that address.
 * Read as bytes (latin1 keeps each byte a character); headers and parts are
 * decoded by their own charset.
 */
export function mails(to = null) {
  const out = [];
  for (const sub of ['new', 'cur']) {
    const dir = join(MAILDIR, sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      const file = join(dir, f);
      out.push(parseMail(file, readFileSync(file).toString('latin1')));
    }
  }
  return to === null ? out : out.filter((m) => m.envelopeTo === to || m.to === to);
}

/** Waits (bounded by the test's own timeout) until `pred(mails())` holds; returns the mails then. */
export async function waitForMails(pred) {
  for (;;) {
    const all = mails();
    if (pred(all)) return all;
    await sleep(100);
  }
}

/** Runs `./deploy/dev stack|cluster start|stop NAME` on the stack under test. */
export function stackProcess(action, name) {
  const dev = process.env.TUTORAT_DEV || join(ROOT, 'deploy', 'dev');
  const args = ON_CLUSTER ? ['cluster', action, name] : ['stack', action, name];
  return new Promise((resolve, reject) => {
    execFile(dev, args, { env: { ...process.env, TUTORAT_STACK_STATE: STATE_DIR } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`deploy/dev ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}
