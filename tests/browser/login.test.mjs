// The login page and the shell's session handling, as a user sees them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBrowser, whoIs, login, openLogin, headerUser, BASE_URL } from './browser.mjs';

test('a stagiaire of Lyon signs in, sees their name and role, signs out', async () => {
  const me = await whoIs('lyon', 'stagiaire1');
  assert.ok(me.display_name, 'the API gives a display name');

  await withBrowser(async ({ page }) => {
    await login(page, { username: 'stagiaire1' });

    await page.waitForURL('**/app.html**');
    const user = headerUser(page);
    await user.waitFor();
    const text = await user.innerText();
    assert.ok(text.includes(me.display_name), `header shows « ${me.display_name} »: ${text}`);
    assert.ok(text.includes('Stagiaire'), `header shows the role « Stagiaire »: ${text}`);
    assert.equal(await page.locator('#app-academie').innerText(), 'Académie de Lyon');
    await page.getByRole('heading', { level: 1, name: `Bonjour ${me.display_name}` }).waitFor();
    assert.ok((await page.getByRole('navigation', { name: 'Menu principal' }).innerText()).includes('Mon année'),
      'a stagiaire has « Mon année » in the menu');

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Connexion à Tutorat' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    await page.locator('#login-info').getByText('Vous êtes déconnecté.').waitFor();

    // The session is gone: the app sends back to the login page.
    await page.goto('/app.html');
    await page.getByRole('heading', { level: 1, name: 'Connexion à Tutorat' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.getByRole('button', { name: 'Se connecter' }).isVisible(), true);
  });
});

test('a wrong password is refused with a message, the password field emptied and focused', async () => {
  await withBrowser(async ({ page }) => {
    await login(page, { username: 'stagiaire2', password: 'pas-le-bon' });

    const alert = page.getByRole('alert').filter({ hasText: 'Identifiant ou mot de passe incorrect.' });
    await alert.waitFor();
    assert.equal((await alert.innerText()).trim(), 'Identifiant ou mot de passe incorrect.');
    const password = page.getByLabel('Mot de passe', { exact: true });
    assert.equal(await password.inputValue(), '', 'the password is emptied');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'password', 'focus is on the password field');
    assert.equal(await page.getByLabel('Identifiant').inputValue(), 'stagiaire2', 'the identifiant is kept');
    assert.equal(new URL(page.url()).pathname, '/', 'still on the login page');
  });
});

test('keyboard only: Tab reaches académie, identifiant, mot de passe, then the button; Enter signs in', async () => {
  const me = await whoIs('lyon', 'stagiaire1');

  await withBrowser(async ({ page }) => {
    await openLogin(page);
    await page.evaluate(() => document.activeElement?.blur());

    // Tab from the top of the page, noting which control has the focus.
    const order = [];
    for (let i = 0; i < 25 && !order.includes('login-submit'); i += 1) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName));
    }
    const at = (id) => order.indexOf(id);
    for (const id of ['academy', 'username', 'password', 'login-submit']) {
      assert.ok(at(id) >= 0, `Tab reaches #${id} (order: ${order.join(' → ')})`);
    }
    assert.ok(at('academy') < at('username') && at('username') < at('password') && at('password') < at('login-submit'),
      `fields in reading order: ${order.join(' → ')}`);

    // Back to the académie with Shift+Tab, then fill everything from the keyboard.
    while (await page.evaluate(() => document.activeElement?.id) !== 'academy') {
      await page.keyboard.press('Shift+Tab');
    }
    // A closed select changes its value with the arrow keys.
    for (let i = 0; i < 10 && await page.locator('#academy').inputValue() !== 'lyon'; i += 1) {
      await page.keyboard.press('ArrowDown');
    }
    assert.equal(await page.locator('#academy').inputValue(), 'lyon', 'académie chosen with the arrow keys');
    await page.keyboard.press('Tab');
    await page.keyboard.type('stagiaire1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('demo');
    await page.keyboard.press('Enter');

    await page.waitForURL('**/app.html**');
    const user = headerUser(page);
    await user.waitFor();
    assert.ok((await user.innerText()).includes(me.display_name), 'signed in: the header names the user');
  });
});

test('the login page lists the académies from the API', async () => {
  const res = await fetch(`${BASE_URL}/api/v1/academies`);
  const { items } = await res.json();
  await withBrowser(async ({ page }) => {
    await openLogin(page);
    const options = await page.locator('#academy option').allInnerTexts();
    for (const academy of items) assert.ok(options.includes(academy.name), `« ${academy.name} » is offered`);
  });
});
