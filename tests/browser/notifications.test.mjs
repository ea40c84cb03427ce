// Issue 9 in the browser: the bell of the header, the notifications list,
// the preferences and the calendar feed, on the demo data (sql/demo).
// A real event makes the item: a tutor plans a visit, the trainee transmits
// their feedback on it, and the other tutor is told (the actor never is).
// The tutor reaches the item and its screen with the keyboard alone; axe
// finds nothing on each new page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withUsers, withBrowser, apiSession, axeViolations, BASE_URL } from './browser.mjs';
import { settled } from './a11y-sweep.mjs';

const ACADEMY = 'lyon';

/**
 * Whether the stack serves a route (401 before sign-in; an unknown route is
 * 404). The calendar feed, the admin's mail routes and the reminder rules
 * come from other branches of issue 9: until they are merged, their tests
 * say so as skipped rather than failing on a missing route.
 */
async function served(path) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`);
  return res.status !== 404;
}
const FEED = await served('/me/calendar-feed');
const MAIL_ADMIN = await served('/admin/mail/summary');
const RULES = await served('/admin/reminder-rules');
const TUTOR = 'tuteur.terrain1';
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** An enrolment of the current year whose tuteur terrain is TUTOR, with its trainee and tuteur Inspé. */
async function tutorsEnrolment(s) {
  const me = (await s.call('GET', '/auth/me')).body;
  const year = (await s.call('GET', '/years')).body.items.find((y) => y.current);
  const list = await s.call('GET', `/enrolments?year_id=${year.id}&limit=200`);
  assert.equal(list.status, 200, list.text);
  const enrolment = list.body.items.find((e) => String(e.tutors?.tuteur_terrain?.id) === String(me.id) && e.tutors?.tuteur_inspe);
  assert.ok(enrolment, `${TUTOR} is the tuteur terrain of some enrolment of the current year`);
  return enrolment;
}

/**
 * A past weekday and time of the school year, at least an hour from the
 * trainee's other times: what the screens print for it, and the value sent.
 */
async function freeSlot(s, enrolment) {
  const timeline = await s.call('GET', `/enrolments/${enrolment.id}/timeline`);
  assert.equal(timeline.status, 200, timeline.text);
  const taken = timeline.body.followups.filter((f) => f.state !== 'cancelled').map((f) => Date.parse(`${f.scheduled_at}:00Z`));
  const pad = (n) => String(n).padStart(2, '0');
  const DAY = 86400000;
  const yearStart = Date.parse(`${enrolment.year.label.slice(0, 4)}-09-02T00:00:00Z`);
  const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const from = Math.max(yearStart, today - 120 * DAY);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const day = new Date(from + Math.floor(Math.random() * ((today - from) / DAY)) * DAY);
    if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
    const hour = 8 + Math.floor(Math.random() * 9);
    const minute = Math.floor(Math.random() * 60);
    const at = day.getTime() + (hour * 60 + minute) * 60000;
    if (taken.some((t) => Math.abs(t - at) < 3600000)) continue;
    return {
      value: `${day.toISOString().slice(0, 10)}T${pad(hour)}:${pad(minute)}`,
      text: `${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()} à ${pad(hour)}:${pad(minute)}`,
    };
  }
  throw new Error('no free slot in the school year so far');
}

/** Presses `key` (Tab, Shift+Tab) until the focused element matches `selector`; fails after `max` presses. */
async function tabTo(page, selector, key = 'Tab', max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
  }
  throw new Error(`${selector} never got the focus in ${max} presses of Tab`);
}

test('the trainee’s feedback reaches the tuteur terrain: the bell counts it, the list says who, when and about whom, opening it with the keyboard lands on the follow-up and the count drops', async () => {
  const tutor = await apiSession(ACADEMY, TUTOR);
  let trainee;
  try {
    const enrolment = await tutorsEnrolment(tutor);
    const marked = await tutor.call('POST', '/notifications/read-all');
    assert.equal(marked.status, 200, marked.text);
    assert.deepEqual((await tutor.call('GET', '/notifications/unread-count')).body.unread, 0);

    // The tuteur Inspé plans the visit (the tuteur terrain is told of that
    // too): the trainee's feedback is then the one item of this test.
    const inspe = await apiSession(ACADEMY, enrolment.tutors.tuteur_inspe.username || 'tuteur.inspe1');
    let followupId;
    const slot = await freeSlot(tutor, enrolment);
    try {
      const planned = await inspe.call('POST', `/enrolments/${enrolment.id}/followups`, {
        data: { kind: 'visit', scheduled_at: slot.value, place_id: enrolment.places[0].id, with_terrain: true, with_inspe: true },
      });
      assert.equal(planned.status, 201, planned.text);
      followupId = planned.body.id;
    } finally {
      await inspe.dispose();
    }
    await tutor.call('POST', '/notifications/read-all');

    await withUsers(async ({ open }) => {
      const { page } = await open(TUTOR);
      await page.waitForFunction(() => /aucune non lue/.test(document.getElementById('app-cloche')?.textContent || ''));

      // The event, while the tutor's page is open.
      trainee = await apiSession(ACADEMY, enrolment.trainee.username);
      const sent = await trainee.call('PUT', `/followups/${followupId}/feedback`, {
        data: { retained: 'Une consigne écrite évite la moitié des questions.', axes: 'Anticiper les transitions.', submit: true },
      });
      assert.equal(sent.status, 200, sent.text);

      // The count is read again on each navigation; its growth is announced.
      await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mes stagiaires' }).click();
      await page.waitForFunction(() => /: 1 non lue$/.test(document.getElementById('app-cloche')?.textContent.trim() || ''));
      assert.equal(await page.getByRole('banner').getByRole('link', { name: 'Notifications : 1 non lue', exact: true }).first().isVisible(), true,
        'the bell’s accessible name carries the count');
      assert.equal(await page.locator('#app-cloche .app-bell__count').innerText(), '1', 'the count is drawn beside the bell');
      assert.equal(await page.locator('#app-cloche-annonce').textContent(), 'Nouvelle notification : 1 non lue.');

      // Keyboard only: to the bell, into the list, to the item, onto its screen.
      await page.locator('#app-vue h1').focus(); // where the router puts it after a navigation
      await tabTo(page, '#app-cloche', 'Shift+Tab');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
      await settled(page);
      const item = page.locator(`li.app-notice:has(a[href$="/temps-de-suivi/${followupId}"])`).filter({ hasText: 'a transmis son retour' });
      await item.waitFor();
      const itemId = await item.getAttribute('data-id');
      const text = await item.innerText();
      assert.match(await item.textContent(), /Non lue/, 'unread in words (the badge draws it in capitals)');
      assert.match(text, new RegExp(`${enrolment.trainee.display_name} a transmis son retour`), `the sentence: ${text}`);
      assert.match(text, new RegExp(`Concerne : ${enrolment.trainee.display_name}`), `the subject: ${text}`);
      assert.match(text, new RegExp(`De ${enrolment.trainee.display_name}`), `the item says who acted: ${text}`);
      assert.match(text, /\d{1,2} [a-zéû]+ \d{4} à \d{2}:\d{2}/, `the item says when, in French: ${text}`);
      assert.deepEqual(await axeViolations(page), [], 'axe on the notifications list');

      await tabTo(page, `li[data-id="${itemId}"] a`);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: slot.text }).waitFor();
      await page.waitForFunction(() => /aucune non lue$/.test(document.getElementById('app-cloche')?.textContent.trim() || ''));
      assert.equal(await page.locator('#app-cloche .app-bell__count').isVisible(), false, 'no figure beside the bell once all is read');
    });

    // The server holds it read.
    const items = (await tutor.call('GET', '/notifications?limit=50')).body.items;
    const got = items.find((n) => n.kind === 'tutorat.feedback_submitted' && String(n.link).endsWith(`/temps-de-suivi/${followupId}`));
    assert.ok(got, `the item is in the tutor's list: ${JSON.stringify(items.slice(0, 3))}`);
    assert.equal(got.read, true);
  } finally {
    await tutor.dispose();
    await trainee?.dispose();
  }
});

test('« Tout marquer comme lu » marks every item read, says how many, and empties the count', async () => {
  const tutor = await apiSession(ACADEMY, TUTOR);
  try {
    const enrolment = await tutorsEnrolment(tutor);
    await tutor.call('POST', '/notifications/read-all');
    // An event for the tutor: the tuteur Inspé plans a visit with them.
    const inspe = await apiSession(ACADEMY, enrolment.tutors.tuteur_inspe.username || 'tuteur.inspe1');
    try {
      const slot = await freeSlot(tutor, enrolment);
      const planned = await inspe.call('POST', `/enrolments/${enrolment.id}/followups`, {
        data: { kind: 'visit', scheduled_at: slot.value, place_id: enrolment.places[0].id, with_terrain: true, with_inspe: true },
      });
      assert.equal(planned.status, 201, planned.text);
    } finally {
      await inspe.dispose();
    }
    const unread = (await tutor.call('GET', '/notifications/unread-count')).body.unread;
    assert.ok(unread >= 1, `the planned visit is told to the tuteur terrain: ${unread} unread`);

    await withUsers(async ({ open }) => {
      const { page } = await open(TUTOR);
      const app = page.url().replace(/#.*$/, '');
      await page.goto(`${app}#/notifications`);
      await settled(page);
      assert.equal(await page.locator('li.app-notice--unread').count(), unread);
      await page.getByRole('button', { name: 'Tout marquer comme lu' }).click();
      await page.getByRole('status').filter({ hasText: unread > 1 ? `${unread} notifications marquées comme lues.` : '1 notification marquée comme lue.' }).waitFor();
      assert.equal(await page.locator('li.app-notice--unread').count(), 0, 'no item shown unread');
      assert.equal(await page.locator('#app-vue').getByText('Non lue', { exact: true }).count(), 0);
      await page.waitForFunction(() => /aucune non lue$/.test(document.getElementById('app-cloche')?.textContent.trim() || ''));
    });
    assert.equal((await tutor.call('GET', '/notifications/unread-count')).body.unread, 0);
  } finally {
    await tutor.dispose();
  }
});

test('« Plus anciennes » adds the next items below, the focus on the first of them; the list never repeats one', async () => {
  const tutor = await apiSession(ACADEMY, TUTOR);
  try {
    const enrolment = await tutorsEnrolment(tutor);
    // 21 events for the tuteur terrain, one follow-up: the tuteur Inspé
    // plans a visit, then changes who comes to it, again and again.
    const inspe = await apiSession(ACADEMY, enrolment.tutors.tuteur_inspe.username || 'tuteur.inspe1');
    try {
      const slot = await freeSlot(tutor, enrolment);
      const planned = await inspe.call('POST', `/enrolments/${enrolment.id}/followups`, {
        data: { kind: 'visit', scheduled_at: slot.value, place_id: enrolment.places[0].id, with_terrain: true, with_inspe: true },
      });
      assert.equal(planned.status, 201, planned.text);
      let version = (await inspe.call('GET', `/followups/${planned.body.id}`)).headers.etag;
      for (let i = 0; i < 20; i++) {
        const moved = await inspe.call('PATCH', `/followups/${planned.body.id}`, {
          data: { with_terrain: i % 2 === 1 }, headers: { 'If-Match': version },
        });
        assert.equal(moved.status, 200, moved.text);
        version = moved.headers.etag;
      }
    } finally {
      await inspe.dispose();
    }

    await withUsers(async ({ open }) => {
      const { page } = await open(TUTOR);
      await page.goto(`${page.url().replace(/#.*$/, '')}#/notifications`);
      await settled(page);
      await page.locator('li.app-notice').first().waitFor();
      assert.equal(await page.locator('li.app-notice').count(), 20, 'the first 20');
      const older = page.getByRole('button', { name: 'Plus anciennes' });
      await older.focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelectorAll('li.app-notice').length > 20);
      assert.equal(await page.evaluate(() => document.activeElement === document.querySelectorAll('li.app-notice')[20].querySelector('a')), true,
        'the focus is on the first of the older items');
      const ids = await page.locator('li.app-notice').evaluateAll((items) => items.map((li) => li.dataset.id));
      assert.equal(new Set(ids).size, ids.length, 'no item twice');
      assert.deepEqual(await axeViolations(page), [], 'axe on the longer list');
    });
  } finally {
    await tutor.dispose();
  }
});

test('preferences: a channel chosen per kind is saved, shown again after a reload and held by the server; the address the mails go to is shown', async () => {
  const tutor = await apiSession(ACADEMY, TUTOR);
  const before = (await tutor.call('GET', '/me/notification-preferences')).body;
  assert.ok(before.kinds.length > 0, 'the kinds of the modules are offered');
  const kind = before.kinds[0];
  const wanted = kind.channel === 'digest' ? 'email' : 'digest';
  const labels = { app: 'Dans le service seulement', email: 'Par courriel immédiatement', digest: 'Résumé quotidien par courriel' };
  try {
    await withUsers(async ({ open }) => {
      const { page } = await open(TUTOR);
      const app = page.url().replace(/#.*$/, '');
      await page.goto(`${app}#/preferences`);
      await settled(page);
      await page.getByRole('heading', { level: 1, name: 'Préférences de notification' }).waitFor();
      const address = await page.locator('#preferences-adresse').innerText();
      if (before.email) assert.ok(address.includes(before.email), address);
      else assert.match(address, /Aucune adresse électronique connue : vous ne recevrez pas de courriel\. Contactez votre administrateur\./);
      assert.deepEqual(await axeViolations(page), [], 'axe on the preferences');

      const group = page.getByRole('group', { name: kind.label });
      assert.equal(await group.getByRole('radio').count(), 3, 'three channels per kind');
      // With the keyboard: the radio of the kind, then the arrow keys.
      await group.getByRole('radio', { checked: true }).focus();
      for (let i = 0; i < 3 && !(await group.getByLabel(labels[wanted]).isChecked()); i++) await page.keyboard.press('ArrowDown');
      assert.equal(await group.getByLabel(labels[wanted]).isChecked(), true);
      await page.getByRole('button', { name: 'Enregistrer mes préférences' }).click();
      await page.getByRole('status').filter({ hasText: 'Vos préférences de notification ont été enregistrées.' }).waitFor();

      await page.reload();
      await settled(page);
      await page.getByRole('group', { name: kind.label }).waitFor();
      assert.equal(await page.getByRole('group', { name: kind.label }).getByLabel(labels[wanted]).isChecked(), true, 'shown again after a reload');
    });
    const after = (await tutor.call('GET', '/me/notification-preferences')).body;
    assert.equal(after.kinds.find((k) => k.kind === kind.kind).channel, wanted);
  } finally {
    await tutor.call('PUT', '/me/notification-preferences', { data: { preferences: [{ kind: kind.kind, channel: kind.channel }] } });
    await tutor.dispose();
  }
});

test('the address of a mail (/preferences.html, /notifications.html) opens the screen, after signing in when needed', async () => {
  await withBrowser(async ({ page }) => {
    await page.goto('/preferences.html');
    await page.getByRole('heading', { level: 1, name: 'Connexion à Tutorat' }).waitFor();
    await page.locator('#academy option[value="lyon"]').waitFor({ state: 'attached' });
    await page.getByLabel('Académie').selectOption(ACADEMY);
    await page.getByLabel('Identifiant').fill(TUTOR);
    await page.getByLabel('Mot de passe', { exact: true }).fill('demo');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Préférences de notification' }).waitFor();
    assert.match(page.url(), /\/app\.html#\/preferences$/);
  });
  await withUsers(async ({ open }) => {
    const { page } = await open(TUTOR);
    await page.goto('/preferences.html');
    await page.getByRole('heading', { level: 1, name: 'Préférences de notification' }).waitFor();
    assert.match(page.url(), /\/app\.html#\/preferences$/);
    await page.goto('/notifications.html');
    await page.waitForURL(/\/app\.html#\/notifications$/);
    await page.locator('#app-vue').getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
  });
});

test('the calendar feed: created with its secret address shown once and working, renewed (the old address stops), revoked after a confirmation', { skip: !FEED && 'the calendar feed routes are not in this build' }, async () => {
  const tutor = await apiSession(ACADEMY, TUTOR);
  await tutor.call('DELETE', '/me/calendar-feed');
  const get = async (url) => {
    const res = await fetch(`${BASE_URL}${new URL(url).pathname}`);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  try {
    await withUsers(async ({ open }) => {
      const { page } = await open(TUTOR);
      await page.goto(`${page.url().replace(/#.*$/, '')}#/preferences`);
      await settled(page);
      const feed = page.locator('section#agenda');
      await feed.getByRole('heading', { level: 2, name: 'Mon agenda (iCalendar)' }).waitFor();
      assert.match(await feed.innerText(), /Thunderbird, Outlook, ou l’agenda de votre téléphone/);
      assert.match(await feed.innerText(), /Cette adresse est secrète/);

      await feed.getByRole('button', { name: 'Créer l’adresse de mon agenda' }).click();
      await feed.getByRole('status').filter({ hasText: 'L’adresse de votre agenda est créée.' }).waitFor();
      const field = feed.getByLabel('Adresse de votre agenda');
      const first = await field.inputValue();
      assert.match(first, /\/api\/v1\/calendar\/lyon\/[A-Za-z0-9_-]{43}$/);
      assert.equal(await field.evaluate((el) => el === document.activeElement), true, 'the new address has the focus');
      const ics = await get(first);
      assert.equal(ics.status, 200, ics.text);
      assert.match(ics.type, /^text\/calendar/);
      assert.match(ics.text, /^BEGIN:VCALENDAR\r\n/);
      await feed.getByRole('button', { name: 'Copier l’adresse' }).click();
      await feed.getByRole('status').filter({ hasText: /copiée|copiez-la/ }).waitFor();
      assert.deepEqual(await axeViolations(page), [], 'axe on the preferences with the address shown');

      await page.reload();
      await settled(page);
      assert.match(await feed.innerText(), /Votre adresse d’agenda est active depuis le \d{1,2} [a-zéû]+ \d{4}/);
      assert.equal(await feed.getByLabel('Adresse de votre agenda').count(), 0, 'the secret is not shown again');

      await feed.getByRole('button', { name: 'Renouveler l’adresse' }).click();
      const dialog = page.getByRole('dialog', { name: 'Renouveler l’adresse de votre agenda ?' });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Renouveler l’adresse' }).click();
      await feed.getByRole('status').filter({ hasText: 'Une nouvelle adresse est créée ; l’ancienne ne fonctionne plus.' }).waitFor();
      const second = await feed.getByLabel('Adresse de votre agenda').inputValue();
      assert.notEqual(second, first);
      assert.equal((await get(first)).status, 404, 'the old address is dead');
      assert.equal((await get(second)).status, 200, 'the new one works');

      await feed.getByRole('button', { name: 'Révoquer l’adresse' }).click();
      const revoke = page.getByRole('dialog', { name: 'Révoquer l’adresse de votre agenda ?' });
      await revoke.waitFor();
      await revoke.getByRole('button', { name: 'Révoquer l’adresse' }).click();
      await feed.getByRole('status').filter({ hasText: 'L’adresse de votre agenda est révoquée : elle ne fonctionne plus.' }).waitFor();
      await feed.getByRole('button', { name: 'Créer l’adresse de mon agenda' }).waitFor();
      assert.equal((await get(second)).status, 404, 'a revoked address is dead');
    });
    assert.equal((await tutor.call('GET', '/me/calendar-feed')).body.active, false);
  } finally {
    await tutor.call('DELETE', '/me/calendar-feed');
    await tutor.dispose();
  }
});

test('the admin’s mail page: a person notified without an address is listed with the failed mail and its reason; once given an address, « Renvoyer » sends it again', { skip: !MAIL_ADMIN && 'the admin mail routes are not in this build' }, async () => {
  const admin = await apiSession(ACADEMY, 'admin');
  const tutor = await apiSession(ACADEMY, TUTOR);
  let restore = null;
  try {
    // The tuteur Inspé loses their address; the tuteur terrain plans a
    // visit: the tuteur Inspé is told, and their mail fails for want of one.
    const enrolment = await tutorsEnrolment(tutor);
    const inspeId = enrolment.tutors.tuteur_inspe.id;
    const read = await admin.call('GET', `/people/${inspeId}`);
    assert.equal(read.status, 200, read.text);
    const email = read.body.email;
    assert.ok(email, 'the demo tuteur Inspé has an address');
    const name = read.body.display_name;
    const cleared = await admin.call('PATCH', `/people/${inspeId}`, { data: { email: null }, headers: { 'If-Match': read.headers.etag } });
    assert.equal(cleared.status, 200, cleared.text);
    restore = async () => {
      const now = await admin.call('GET', `/people/${inspeId}`);
      if (now.body.email !== email) await admin.call('PATCH', `/people/${inspeId}`, { data: { email }, headers: { 'If-Match': now.headers.etag } });
    };
    const slot = await freeSlot(tutor, enrolment);
    const planned = await tutor.call('POST', `/enrolments/${enrolment.id}/followups`, {
      data: { kind: 'visit', scheduled_at: slot.value, place_id: enrolment.places[0].id, with_terrain: true, with_inspe: true },
    });
    assert.equal(planned.status, 201, planned.text);

    await withUsers(async ({ open }) => {
      const { page } = await open('admin');
      await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Courriels et rappels' }).click();
      await page.getByRole('heading', { level: 1, name: 'Courriels et rappels' }).waitFor();
      await settled(page);
      const gaps = page.locator('#courriels-sans-adresse-liste');
      await gaps.getByRole('link', { name }).waitFor();
      const table = page.getByRole('table', { name: /Courriels en échec/ });
      const row = table.getByRole('row').filter({ hasText: name }).first();
      await row.waitFor();
      assert.match(await row.innerText(), /Aucune adresse électronique connue/);
      assert.deepEqual(await axeViolations(page), [], 'axe on the admin’s mail page');

      await restore();
      await row.getByRole('button', { name: new RegExp(`^Renvoyer le courriel .* à ${name}$`) }).click();
      await page.getByRole('status').filter({ hasText: `Le courriel à ${name} repart` }).waitFor();
      await page.waitForFunction((who) => ![...document.querySelectorAll('#app-vue table tbody tr')].some((tr) => tr.textContent.includes(who) && tr.textContent.includes('Aucune adresse')), name);
    });
    const failed = (await admin.call('GET', '/admin/mail?state=failed&limit=100')).body.items;
    assert.equal(failed.filter((m) => m.recipient?.id === inspeId && m.last_error === 'no_address').length, 0, 'no mail of theirs waits in failure for want of an address');
  } finally {
    await restore?.();
    await admin.dispose();
    await tutor.dispose();
  }
});

test('the reminder rules: the admin changes the days of one with the keyboard, sees them stored and sorted; days out of range are refused under the field', { skip: !RULES && 'the reminder-rules routes are not in this build' }, async () => {
  const admin = await apiSession(ACADEMY, 'admin');
  const before = (await admin.call('GET', '/admin/reminder-rules')).body.rules;
  assert.ok(before.length > 0, 'the académie has its reminder rules');
  const rule = before[0];
  try {
    await withUsers(async ({ open }) => {
      const { page } = await open('admin');
      await page.goto(`${page.url().replace(/#.*$/, '')}#/administration/courriels`);
      await settled(page);
      const rules = page.locator('section#rappels');
      const field = rules.getByLabel(rule.label, { exact: false }).and(rules.locator('input.fr-input'));
      await field.waitFor();
      assert.equal(await field.inputValue(), rule.offsets);

      await field.fill('');
      await field.pressSequentially('7, -1');
      await field.press('Enter'); // submits the form
      await rules.getByRole('status').filter({ hasText: 'Les règles de rappel sont enregistrées.' }).waitFor();
      assert.equal(await field.inputValue(), '-1,7', 'stored sorted');
      assert.match(await rules.innerText(), /Actuellement : la veille, 7 jours après\./);

      await field.fill('-99');
      await rules.getByRole('button', { name: 'Enregistrer les règles de rappel' }).click();
      await rules.locator('.fr-message--error').first().waitFor();
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      assert.equal(await field.evaluate((el) => el === document.activeElement), true, 'the wrong field has the focus');
      assert.deepEqual(await axeViolations(page), [], 'axe on the reminder rules with an error');
    });
    const stored = (await admin.call('GET', '/admin/reminder-rules')).body.rules.find((r) => r.kind === rule.kind);
    assert.equal(stored.offsets, '-1,7', 'the refused change left the rule as it was');
  } finally {
    await admin.call('PUT', '/admin/reminder-rules', { data: { rules: [{ kind: rule.kind, offsets: rule.offsets, active: rule.active }] } });
    await admin.dispose();
  }
});
