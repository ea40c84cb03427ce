// The protective headers the interface relies on: a strict Content-Security-
// Policy (no inline script, no foreign host) on the pages, nosniff and
// no framing everywhere, and API answers never cached.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get, as, show } from '../lib/index.mjs';

function csp(res) {
  const value = res.headers['content-security-policy'] || '';
  return Object.fromEntries(value.split(';').map((d) => d.trim()).filter(Boolean)
    .map((d) => { const [name, ...rest] = d.split(/\s+/); return [name, rest]; }));
}

test('pages carry a CSP that allows only this origin, and no inline script', async () => {
  for (const path of ['/', '/app.html']) {
    const res = await get(path, { headers: { Accept: 'text/html' } });
    assert.equal(res.status, 200, `${path}: ${show(res)}`);
    const policy = csp(res);
    assert.deepEqual(policy['default-src'], ["'self'"], `${path} default-src`);
    for (const [directive, sources] of Object.entries(policy)) {
      assert.ok(!sources.includes("'unsafe-inline'") && !sources.includes("'unsafe-eval'"),
        `${path}: ${directive} allows inline code`);
      assert.ok(sources.every((s) => !/^(https?:|\*)/.test(s)), `${path}: ${directive} names a foreign host`);
    }
    assert.deepEqual(policy['frame-ancestors'], ["'none'"]);
    // No <base> can redirect the app's relative URLs, no plugin runs (v5.0.0-3.4.3).
    assert.deepEqual(policy['base-uri'], ["'none'"], `${path} base-uri`);
    assert.deepEqual(policy['object-src'], ["'none'"], `${path} object-src`);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'DENY');
  }
});

test('the pages themselves hold no inline script or event handler attribute', async () => {
  for (const path of ['/', '/app.html']) {
    const res = await get(path, { headers: { Accept: 'text/html' } });
    assert.doesNotMatch(res.text, /<script(?![^>]*\bsrc=)[^>]*>/i, `${path}: an inline <script>`);
    assert.doesNotMatch(res.text, /\son[a-z]+\s*=/i, `${path}: an on… attribute`);
  }
});

test('API answers are never cached and carry nosniff', async () => {
  const admin = await as('lyon', 'admin');
  const res = await get('/api/v1/auth/me', { token: admin.token });
  assert.equal(res.status, 200, show(res));
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
});
