// Issue 8 §3 in the browser: the dossier's history screen (a DSFR table in
// French: who did what, when; never the content) reached from the
// enrolment's page by the bureau des stages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, login, apiSession, axeViolations } from './browser.mjs';

const ACADEMY = 'lyon';
const at = (page, hash) => page.url().replace(/#.*$/, '') + hash;

/** stagiaire1's enrolment of the current year, as the bureau des stages sees it. */
async function enrolmentOfStagiaire1() {
  const bureau = await apiSession(ACADEMY, 'bureau1');
  try {
    const years = (await bureau.call('GET', '/years')).body.items;
    const year = years.find((y) => y.current) || years[0];
    const list = await bureau.call('GET', `/enrolments?year_id=${year.id}&q=stagiaire1&limit=200`);
    const found = list.body.items.find((e) => e.trainee?.username === 'stagiaire1');
    assert.ok(found, 'stagiaire1 is enrolled this year');
    return found;
  } finally {
    await bureau.dispose();
  }
}

test('the dossier\'s history: the bureau des stages opens it from the enrolment, a table of who did what and when, never the content', async () => {
  const enrolment = await enrolmentOfStagiaire1();
  // Something to show: a time planned then cancelled by the tuteur Inspé.
  const inspe = await apiSession(ACADEMY, 'tuteur.inspe1');
  const secret = `Motif confidentiel ${Date.now().toString(36)}`;
  let inspeName;
  try {
    inspeName = (await inspe.call('GET', '/auth/me')).body.display_name;
    const timeline = (await inspe.call('GET', `/enrolments/${enrolment.id}/timeline`)).body.followups.map((f) => Date.parse(`${f.scheduled_at}:00Z`));
    let slot;
    for (let d = 1; !slot && d < 200; d++) {
      const day = new Date(Date.UTC(2027, 5, 1) + d * 86400000);
      if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
      const t = day.getTime() + 10 * 3600000 + (Date.now() % 50) * 60000;
      if (!timeline.some((x) => Math.abs(x - t) < 3600000)) slot = new Date(t).toISOString().slice(0, 16);
    }
    const f = await inspe.call('POST', `/enrolments/${enrolment.id}/followups`, { data: { kind: 'interview', scheduled_at: slot, with_terrain: false, with_inspe: true } });
    assert.equal(f.status, 201, f.text);
    const c = await inspe.call('POST', `/followups/${f.body.id}/cancel`, { data: { reason: secret } });
    assert.equal(c.status, 200, c.text);
  } finally {
    await inspe.dispose();
  }

  await withBrowser(async ({ page }) => {
    await login(page, { username: 'bureau1' });
    await page.waitForURL('**/app.html**');
    await page.goto(at(page, `#/inscriptions/${enrolment.id}`));
    await page.getByRole('link', { name: 'Historique du dossier' }).click();
    const h1 = page.getByRole('heading', { level: 1 });
    await h1.filter({ hasText: /^Historique du dossier de / }).waitFor();
    const table = page.getByRole('table', { name: /^Historique du dossier de / });
    await table.waitFor();
    const headers = await table.locator('thead th').allInnerTexts();
    assert.deepEqual(headers.map((t) => t.trim()), ['Date', 'Action', 'Par']);
    const rows = await table.locator('tbody tr').allInnerTexts();
    assert.match(rows[0], new RegExp(`Temps de suivi annulé\\s+${inspeName}`), rows[0]);
    assert.match(rows[1], new RegExp(`Temps de suivi planifié\\s+${inspeName}`), rows[1]);
    assert.ok(!(await page.locator('main').innerText()).includes(secret), 'never the content');
    assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing on the history');
  });
});
