// Durées de conservation (issue 15, docs/rgpd.md) in the browser: the
// académie's admin reaches the screen from the menu, changes the retention
// of one kind with the keyboard and sees it stored (the default said
// under the field); a duration outside the kind's bounds is refused under
// its field, which gets the focus, and nothing is stored; axe finds
// nothing on the page, with the error too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withUsers, apiSession, axeViolations } from './browser.mjs';
import { settled } from './a11y-sweep.mjs';

const ACADEMY = 'lyon';

test('the admin changes a retention on « Durées de conservation », sees it stored; a duration out of bounds is refused under its field', async () => {
  const admin = await apiSession(ACADEMY, 'admin');
  const before = (await admin.call('GET', '/admin/retention')).body.kinds;
  const audit = before.find((k) => k.kind === 'audit_log');
  const throttle = before.find((k) => k.kind === 'login_throttle');
  assert.ok(audit && throttle, 'the kinds are listed');
  try {
    await withUsers(async ({ open }) => {
      const { page } = await open('admin');
      await page.getByRole('link', { name: 'Durées de conservation' }).first().click();
      await settled(page);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Durées de conservation');
      const field = page.getByLabel(audit.label, { exact: false }).and(page.locator('input.fr-input'));
      await field.waitFor();
      assert.equal(await field.inputValue(), String(audit.days));
      assert.deepEqual(await axeViolations(page), [], 'axe on the screen');

      await field.fill('');
      await field.pressSequentially('180');
      await field.press('Enter'); // submits the form
      await page.getByRole('status').filter({ hasText: 'Les durées de conservation sont enregistrées.' }).waitFor();
      assert.equal(await field.inputValue(), '180');
      const group = page.locator(`[data-kind="audit_log"]`);
      assert.match(await group.innerText(), new RegExp(`Par défaut : ${audit.default_days} jours`));

      const other = page.getByLabel(throttle.label, { exact: false }).and(page.locator('input.fr-input'));
      await other.fill(String(throttle.max_days + 1));
      await page.getByRole('button', { name: 'Enregistrer les durées de conservation' }).click();
      await page.locator('[data-kind="login_throttle"] .fr-message--error').waitFor();
      assert.match(await page.locator('[data-kind="login_throttle"]').innerText(), new RegExp(`Entre ${throttle.min_days} et ${throttle.max_days} jours`));
      assert.equal(await other.getAttribute('aria-invalid'), 'true');
      assert.equal(await other.evaluate((el) => el === document.activeElement), true, 'the wrong field has the focus');
      assert.deepEqual(await axeViolations(page), [], 'axe with the error');
    });
    const after = (await admin.call('GET', '/admin/retention')).body.kinds;
    assert.equal(after.find((k) => k.kind === 'audit_log').days, 180, 'stored');
    assert.equal(after.find((k) => k.kind === 'audit_log').custom, true);
    assert.equal(after.find((k) => k.kind === 'login_throttle').days, throttle.days, 'the refused change stored nothing');
  } finally {
    await admin.call('PUT', '/admin/retention', { data: { kinds: before.map((k) => ({ kind: k.kind, days: k.days })) } });
    await admin.dispose();
  }
});
