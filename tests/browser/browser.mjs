// Shared set-up of the browser tests: Debian's chromium driven by
// playwright-core (installed in web/node_modules: tests/ has none of its
// own), a fresh profile per test, the stack under test at TUTORAT_BASE_URL.

import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { knownTotp, nextCode } from '../lib/totp.mjs';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const playwright = require('playwright-core');

export const BASE_URL = (process.env.TUTORAT_BASE_URL || '').replace(/\/+$/, '');
if (!BASE_URL) {
  throw new Error('TUTORAT_BASE_URL is not set: run the browser tests through ./deploy/dev test, or set it to a running stack (http://127.0.0.1:8080).');
}

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Long enough for the sanitizer build of the daemon on a small machine. */
const TIMEOUT = 20000;

/**
 * Runs fn({ page, context, errors }) in a new chromium with a fresh user
 * data dir, then closes it. `errors` collects uncaught page errors and
 * CSP violations: a test fails if any occurred.
 */
export async function withBrowser(fn, { viewport = { width: 1280, height: 900 } } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'tutorat-chromium-'));
  const context = await playwright.chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    locale: 'fr-FR',
    baseURL: BASE_URL,
  });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  const errors = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) errors.push(`CSP: ${msg.text()}`);
    });
    await fn({ page, context, errors });
    assert.deepEqual(errors, [], 'no script error and no CSP violation in the page');
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

/**
 * Signs in through the API (not the page) and returns GET /auth/me: what
 * the header must show. Its own request context, so the page's cookies are
 * untouched.
 */
export async function whoIs(academy, username, password = 'demo') {
  const api = await playwright.request.newContext({ baseURL: BASE_URL });
  try {
    const login = await api.post('/api/v1/auth/login', {
      data: { academy, username, password },
      headers: { 'X-Requested-With': 'tutorat' },
    });
    assert.equal(login.status(), 200, `API login of ${username}@${academy}: ${await login.text()}`);
    const me = await api.get('/api/v1/auth/me');
    assert.equal(me.status(), 200, `GET /auth/me of ${username}: ${await me.text()}`);
    const body = await me.json();
    await api.post('/api/v1/auth/logout', { headers: { 'X-Requested-With': 'tutorat' } });
    return body;
  } finally {
    await api.dispose();
  }
}

/** Opens the login page and waits until the académies are listed. */
export async function openLogin(page) {
  await page.goto('/');
  await page.getByRole('heading', { level: 1, name: 'Connexion à Tutorat' }).waitFor();
  await page.locator('#academy option[value="lyon"]').waitFor({ state: 'attached' });
}

/**
 * Fills and sends the login form with the mouse-free helpers of Playwright.
 * An account a test enrolled in TOTP (tests/lib/totp.mjs) then gets the
 * code step, answered with the next code.
 */
export async function login(page, { academy = 'lyon', username, password = 'demo' }) {
  await openLogin(page);
  await page.getByLabel('Académie').selectOption(academy);
  await page.getByLabel('Identifiant').fill(username);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const entry = knownTotp(academy, username);
  if (entry) {
    const code = page.getByLabel('Code de vérification');
    await code.waitFor();
    await code.fill((await nextCode(entry)).code);
    await page.getByRole('button', { name: 'Valider' }).click();
  }
}

/** The visible text of the header's user block (desktop layout). */
export function headerUser(page) {
  return page.locator('#app-utilisateur');
}

/**
 * Several users at once, each in their own browser context (own cookies,
 * own localStorage) of one chromium: fn({ open }) where
 * open(username, { academy, viewport }) signs the user in through the login
 * page and resolves to { page, context }. Page errors and CSP violations of
 * every page fail the test.
 */
export async function withUsers(fn) {
  const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const errors = [];
  const watch = (who, page) => {
    page.on('pageerror', (err) => errors.push(`${who}: page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) errors.push(`${who}: CSP: ${msg.text()}`);
    });
  };
  const pages = [];
  const open = async (username, { academy = 'lyon', viewport = { width: 1280, height: 900 } } = {}) => {
    const context = await browser.newContext({ viewport, locale: 'fr-FR', baseURL: BASE_URL });
    context.setDefaultTimeout(TIMEOUT);
    context.setDefaultNavigationTimeout(TIMEOUT);
    context.on('page', (p) => { watch(username, p); pages.push([username, p]); });
    const page = await context.newPage();
    await login(page, { academy, username });
    await page.waitForURL('**/app.html**');
    await page.locator('#app-vue h1').waitFor(); // the home page (the header's user block is hidden on a phone)
    return { page, context };
  };
  try {
    await fn({ open });
    assert.deepEqual(errors, [], 'no script error and no CSP violation in any page');
  } catch (err) {
    // TUTORAT_SHOTS=dir: a full-page screenshot of every open page on failure.
    if (process.env.TUTORAT_SHOTS) {
      for (const [i, [who, p]] of pages.entries()) {
        if (p.isClosed()) continue;
        await p.screenshot({ path: join(process.env.TUTORAT_SHOTS, `${i}-${who}.png`), fullPage: true }).catch(() => {});
        const text = await p.locator('body').innerText().catch(() => '');
        await writeFile(join(process.env.TUTORAT_SHOTS, `${i}-${who}.txt`), `${p.url()}\n\n${text}`).catch(() => {});
      }
    }
    throw err;
  } finally {
    await browser.close();
  }
}

/**
 * An API session of one user (its own cookie jar), for setting data up and
 * checking what the server holds. call(method, path, { data, headers })
 * resolves to { status, body, text, headers }; path is relative to /api/v1.
 */
export async function apiSession(academy, username, password = 'demo') {
  const api = await playwright.request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { 'X-Requested-With': 'tutorat' } });
  const res = await api.post('/api/v1/auth/login', { data: { academy, username, password } });
  assert.equal(res.status(), 200, `API login of ${username}@${academy}: ${await res.text()}`);
  const call = async (method, path, { data, headers } = {}) => {
    const r = await api.fetch(`/api/v1${path}`, { method, data, headers });
    const text = await r.text();
    let body = null;
    try { body = JSON.parse(text); } catch { body = text; }
    return { status: r.status(), body, text, headers: r.headers() };
  };
  return { call, dispose: () => api.dispose() };
}

const AXE_SOURCE = (await import('node:fs')).readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core (from web/node_modules) on the page as it is and returns
 * its violations of WCAG 2.1 A and AA, as « rule: target » lines (empty
 * when it finds nothing). The script is evaluated through the DevTools
 * protocol, so the page's CSP stays as it is.
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  // A dialog still fading out (DSFR's transitions) has the contrast of
  // its half-way opacity: let finite animations and transitions end
  // first, as a reader would see the page.
  await page.evaluate(() => Promise.all(document.getAnimations()
    .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map((a) => a.finished.catch(() => {}))));
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.flatMap((v) => v.targets.map((t) => `${v.id} (${v.help}): ${t}`));
}
