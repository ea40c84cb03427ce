// A small HTTP client for the API tests, on node:http so that a request can
// come from another loopback address (localAddress: '127.0.0.23' — Linux
// routes all of 127/8 on lo). JSON in and out; the raw text is kept too, for
// byte-for-byte comparisons of error bodies.

import http from 'node:http';
import { randomInt } from 'node:crypto';
import { BASE_URL } from './env.mjs';

/** Functions called as hook(method, path, answer) after each answer (none unless a test adds one). */
export const responseHooks = new Set();

/**
 * request(method, path, options) → {status, headers, text, body, ms, requestId}
 *
 * options:
 *   json        a value sent as the JSON body (Content-Type: application/json)
 *   body        a raw body (string or Buffer), sent as is
 *   token       sends Authorization: Bearer <token>
 *   cookie      the Cookie header ("__Host-tutorat_session=…")
 *   csrf        true: X-Requested-With: tutorat
 *   headers     more headers (they win over the ones above)
 *   query       an object or a string appended as ?query
 *   localAddress  the source address of the connection
 *   rawPath     the request target exactly as given (no URL normalisation)
 *
 * body is the parsed JSON when the answer is JSON (application/json,
 * application/problem+json, application/jwk-set+json), else the text.
 */
export function request(method, path, opts = {}) {
  const url = new URL(BASE_URL + path);
  if (opts.query !== undefined) {
    url.search = typeof opts.query === 'string' ? opts.query : new URLSearchParams(opts.query).toString();
  }
  const headers = { Accept: 'application/json' };
  let payload;
  if (opts.json !== undefined) {
    payload = Buffer.from(JSON.stringify(opts.json));
    headers['Content-Type'] = 'application/json';
  } else if (opts.body !== undefined) {
    payload = Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body);
  }
  // Always a Content-Length (never chunked): nginx hands FastCGI $content_length.
  if (payload !== undefined) headers['Content-Length'] = String(payload.length);
  if (opts.token !== undefined) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.cookie !== undefined) headers.Cookie = opts.cookie;
  if (opts.csrf) headers['X-Requested-With'] = 'tutorat';
  Object.assign(headers, opts.headers || {});
  for (const [k, v] of Object.entries(headers)) if (v === undefined || v === null) delete headers[k];

  const t0 = process.hrtime.bigint();
  return new Promise((resolvePromise, reject) => {
    const req = http.request({
      method,
      host: url.hostname,
      port: url.port || 80,
      path: opts.rawPath ?? url.pathname + url.search, // rawPath: sent byte for byte, not normalised
      headers,
      localAddress: opts.localAddress,
      agent: false, // one connection per request: no stale keep-alive socket, any source address
      timeout: opts.timeout ?? 30000,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const buf = Buffer.concat(chunks);
        const text = buf.toString('utf8');
        const type = res.headers['content-type'] || '';
        let body = text;
        if (/json/i.test(type) && text.length > 0) {
          try {
            body = JSON.parse(text);
          } catch (err) {
            reject(new Error(`${method} ${path}: ${res.statusCode} with an invalid JSON body: ${text.slice(0, 200)}`));
            return;
          }
        }
        const answer = {
          status: res.statusCode,
          headers: res.headers,
          text,
          raw: buf,
          body,
          ms,
          requestId: res.headers['x-request-id'],
        };
        for (const hook of responseHooks) hook(method, path, answer);
        resolvePromise(answer);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within the timeout`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export const get = (path, opts) => request('GET', path, opts);
export const post = (path, json, opts = {}) => request('POST', path, { ...opts, json });
export const patch = (path, json, opts = {}) => request('PATCH', path, { ...opts, json });
export const put = (path, json, opts = {}) => request('PUT', path, { ...opts, json });
export const del = (path, opts) => request('DELETE', path, opts);

/** A short description of an answer, for assertion messages. */
export function show(res) {
  return `${res.status} ${res.text.length > 400 ? res.text.slice(0, 400) + '…' : res.text}`;
}

/** The cookie pairs the answer sets, as {name: {value, attrs: {lowercased name: value|true}, raw}}. */
export function setCookies(res) {
  const out = {};
  for (const raw of res.headers['set-cookie'] || []) {
    const [pair, ...attrs] = raw.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const a = {};
    for (const at of attrs) {
      const i = at.indexOf('=');
      if (i < 0) a[at.toLowerCase()] = true;
      else a[at.slice(0, i).toLowerCase()] = at.slice(i + 1);
    }
    out[pair.slice(0, eq)] = { value: pair.slice(eq + 1), attrs: a, raw };
  }
  return out;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls fn() every `every` ms until it returns a truthy value or `bound` ms
 * have passed since the call; returns {value, ms} of the first truthy
 * value, or {value: last, ms, timedOut: true}.
 */
export async function pollUntil(fn, { bound = 5000, every = 200 } = {}) {
  const t0 = Date.now();
  let value;
  for (;;) {
    value = await fn();
    const ms = Date.now() - t0;
    if (value) return { value, ms };
    if (ms >= bound) return { value, ms, timedOut: true };
    await sleep(Math.min(every, Math.max(0, bound - ms)));
  }
}

const usedAddresses = new Set();
/**
 * A loopback source address (127.x.y.z, never 127.0.0.x) that no other test
 * of this process uses and that a rerun is very unlikely to reuse: each
 * test that makes logins fail gets its own, so the login counters of the
 * address 127.0.0.1 (the browser tests' and every other login's) stay
 * untouched, and nginx's per-address request rate is not shared.
 */
export function freshAddress() {
  for (;;) {
    const a = `127.${randomInt(10, 251)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    if (!usedAddresses.has(a)) {
      usedAddresses.add(a);
      return a;
    }
  }
}

/** A unique suffix for names created by this test run. */
export function uniq(prefix = 't') {
  return `${prefix}-${Date.now().toString(36)}-${randomInt(0, 36 ** 4).toString(36)}`;
}

/** Is this answer nginx's own 429 (login rate limit), not the daemon's? */
export function isNginxRateLimit(res) {
  return res.status === 429 && res.body?.title === 'Too Many Requests';
}
