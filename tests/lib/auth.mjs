// Signing in: login() for a new session each call, as() for one cached
// session per account and test file.

import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from './env.mjs';
import { request, post, setCookies, show, sleep, isNginxRateLimit } from './http.mjs';
import { knownTotp, nextCode } from './totp.mjs';

export const SESSION_COOKIE = '__Host-tutorat_session';

/**
 * POST /api/v1/auth/login; the raw answer. Waits and retries while nginx's
 * own per-address rate limit (10 r/s, burst 20) refuses the request, so a
 * test that signs in many accounts is not flaky; the daemon's 429 (its
 * failure counters) is returned as is.
 */
export async function loginRaw(academy, username, password, opts = {}) {
  for (let attempt = 0; ; attempt++) {
    const res = await request('POST', '/api/v1/auth/login', {
      json: { academy, username, password },
      ...opts,
    });
    if (!isNginxRateLimit(res) || attempt >= 20) return res;
    await sleep(300);
  }
}

/**
 * Signs in and returns {token, cookie, cookieValue, res}: cookie is the
 * "__Host-tutorat_session=…" pair to send back in a Cookie header. An
 * account that a test enrolled in TOTP (tests/lib/totp.mjs) answers the
 * challenge with the next code.
 */
export async function login(academy, username, password = DEMO_PASSWORD, opts = {}) {
  let res = await loginRaw(academy, username, password, opts);
  const entry = knownTotp(academy, username);
  if (res.status === 200 && res.body.second_factor === 'totp' && entry) {
    const { code } = await nextCode(entry);
    res = await post('/api/v1/auth/login/totp', { challenge: res.body.challenge, code }, opts);
  }
  assert.equal(res.status, 200, `login ${username}@${academy}: ${show(res)}`);
  const c = setCookies(res)[SESSION_COOKIE];
  assert.ok(c, `login ${username}@${academy} sets the ${SESSION_COOKIE} cookie`);
  return { token: res.body.access_token, cookie: `${SESSION_COOKIE}=${c.value}`, cookieValue: c.value, res };
}

/** GET /api/v1/auth/me with a token; asserts 200. */
export async function me(token) {
  const res = await request('GET', '/api/v1/auth/me', { token });
  assert.equal(res.status, 200, `GET /auth/me: ${show(res)}`);
  return res.body;
}

const sessions = new Map();
/**
 * One session per account for the whole test file: {token, cookie, me}
 * where me is GET /auth/me. Do not log it out (use login() for that).
 */
export async function as(academy, username) {
  const key = `${academy}/${username}`;
  if (!sessions.has(key)) {
    sessions.set(key, (async () => {
      const s = await login(academy, username);
      return { ...s, me: await me(s.token) };
    })());
  }
  return sessions.get(key);
}

/** Asserts an application/problem+json answer with this status and code (and field). */
export function assertProblem(res, status, code, field) {
  assert.equal(res.status, status, `expected ${status} ${code}${field ? ` (${field})` : ''}, got ${show(res)}`);
  assert.match(res.headers['content-type'] || '', /^application\/problem\+json/, `problem+json content type: ${show(res)}`);
  assert.equal(res.body.code, code, `problem code: ${show(res)}`);
  assert.equal(res.body.status, status, `problem status member: ${show(res)}`);
  if (field !== undefined) assert.equal(res.body.field, field, `problem field: ${show(res)}`);
}
