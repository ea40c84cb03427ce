// E-mail: the mailer (tutoratctl mailer, run by the stack) delivers the
// outbox through the stack's SMTP server (exim), and the académie's admin
// sees what left, what waits and what failed. Mails are read from the
// server's Maildir (tests/lib/mail.mjs), as a person would read them.
//
// The rows here are what notify() writes in an event's transaction (an
// outbox row per mail, its Message-ID fixed); the mailer is the real one,
// and so are the SMTP server, the database and their failures (the SMTP
// server stopped, a recipient refused with 550, the database frozen while
// the relay holds a mail).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import {
  BASE_URL, DB_PIDFILE, ON_CLUSTER, STATE_DIR, Cleanup, as, assertProblem, academyId, db, dbValue, get, post,
  patch, put, q, n, show, sleep, uniq, auditRows,
} from '../lib/index.mjs';
import { freshPerson, ifMatch, freshTrio } from '../lib/tutorat.mjs';
import { SLOW_RELEASE, mails, stackProcess, waitForMails } from '../lib/mail.mjs';

const cleanup = new Cleanup();
const queued = [];
after(async () => {
  rmSync(SLOW_RELEASE, { force: true });
  if (queued.length) await db(`DELETE FROM mail_outbox WHERE id IN (${queued.map(n).join(',')})`);
  await cleanup.run();
});

const HOST = new URL(BASE_URL).hostname;

// A trio of the service's own (tutorat): the trainee and the tuteur Inspé
// have an address, the tuteur terrain has none.
let fx, trio, yearStart, placeId;
before(async () => {
  ({ fx, trio, yearStart, placeId } = await freshTrio(cleanup, 't-m'));
});

const at = (mmdd, hhmm = '09:00') => `${Number(mmdd.slice(0, 2)) < 9 ? yearStart + 1 : yearStart}-${mmdd}T${hhmm}`;

/** A follow-up time planned by `who` of the trio (the others are told). */
async function plan(who, mmdd) {
  const res = await post(`/api/v1/enrolments/${fx.enrolmentId}/followups`, {
    kind: 'visit', scheduled_at: at(mmdd), place_id: placeId, with_terrain: true, with_inspe: true,
  }, { token: who.token });
  assert.equal(res.status, 201, show(res));
  return res.body.id;
}

/** The outbox rows notify() wrote for a person about a link: [{id, kind, messageId}], by id. */
async function outboxOf(personId, linkPart) {
  const rows = await db(`SELECT o.id, o.kind, o.message_id FROM mail_outbox o JOIN notification t
      ON t.academy_id = o.academy_id AND t.id = o.notification_id
    WHERE o.recipient_id = ${n(personId)} AND t.link LIKE ${q(`%${linkPart}`)} ORDER BY o.id`);
  return rows.map(([id, kind, messageId]) => ({ id, kind, messageId }));
}

/**
 * A row of the outbox as notify() writes it: for `to` (null: the
 * recipient has no address, and the row is 'failed' at once), due now
 * (a digest row: tomorrow, at the digest hour).
 * Returns {id, messageId}.
 */
async function queueMail({ academy = 'lyon', recipient, to, subject = 'Un retour de visite vous attend', text, html, digest = false }) {
  const id = randomInt(1, 2 ** 47);
  const messageId = `<${id}.${academy}@${HOST}>`;
  const body = text ?? `Bonjour,\n\nUn nouveau document vous attend.\n\nPour le consulter : ${BASE_URL}/tutorat/dossier.html?id=1\n`;
  queued.push(id);
  await db(`INSERT INTO mail_outbox (academy_id, id, recipient_id, to_addr, kind, digest, subject, body_text,
      body_html, message_id, state, last_error, next_attempt_at, created_at)
    VALUES (${await academyId(academy)}, ${n(id)}, ${recipient ? n(recipient) : 'NULL'}, ${q(to)}, 'tutorat.test',
      ${digest ? 'TRUE' : 'FALSE'}, ${q(`[Tutorat] ${subject}`)}, ${q(body)},
      ${q(html ?? `<!DOCTYPE html><html lang="fr"><body><p>${body}</p></body></html>`)}, ${q(messageId)},
      ${to === null ? "'failed'" : "'pending'"}, ${to === null ? "'no_address'" : 'NULL'},
      ${digest ? 'NOW(3) + INTERVAL 1 DAY' : 'NOW(3)'}, NOW(3))`);
  return { id, messageId };
}

async function row(id) {
  const [r] = await db(`SELECT state, attempts, last_error, sent_in, sent_at IS NOT NULL, claimed_by
    FROM mail_outbox WHERE id = ${n(id)}`);
  return { state: r[0], attempts: Number(r[1]), last_error: r[2], sent_in: r[3] === null ? null : Number(r[3]), sent_at: r[4] === '1', claimed_by: r[5] };
}

/** Waits until the row is in `state` (bounded by the test's timeout). */
async function waitState(id, state) {
  for (;;) {
    const r = await row(id);
    if (r.state === state) return r;
    await sleep(100);
  }
}

const address = (prefix = 'u') => `${uniq(prefix).replace(/[^a-z0-9-]/g, '')}@ac-lyon.fr`;
const count = (list, messageId) => list.filter((m) => m.messageId === messageId).length;

test('a mail of the outbox arrives once, in French, multipart text and HTML, with its Message-ID, and the row is sent', async () => {
  const admin = await as('lyon', 'admin');
  const who = await freshPerson(admin, cleanup, [], 't-mail');
  const to = address();
  const { id, messageId } = await queueMail({
    recipient: who.id, to, subject: 'Un retour de visite vous attend — été',
    text: 'Bonjour Camille Martin,\n\nCamille Martin a transmis son retour.\n\nPour le consulter : https://x.test/a\n',
  });
  const r = await waitState(id, 'sent');
  assert.equal(r.attempts, 0);
  assert.equal(r.last_error, null);
  assert.ok(r.sent_at);
  const [m, ...more] = mails(to);
  assert.equal(more.length, 0, 'exactly one mail');
  assert.equal(m.messageId, messageId);
  assert.equal(m.subject, '[Tutorat] Un retour de visite vous attend — été');
  assert.equal(m.to, to);
  assert.match(m.from, /^Tutorat — Académie de Lyon <tutorat@ac-lyon\.fr>$/);
  assert.equal(m.headers['auto-submitted']?.[0], 'auto-generated');
  assert.match(m.headers['content-type'][0], /^multipart\/alternative/);
  assert.equal(m.text, 'Bonjour Camille Martin,\n\nCamille Martin a transmis son retour.\n\nPour le consulter : https://x.test/a\n');
  assert.match(m.html, /^<!DOCTYPE html>/);
  assert.ok(m.date && !Number.isNaN(Date.parse(m.date)), `a Date header: ${m.date}`);
});

test('the SMTP server stopped: the events still succeed, their mails wait and retry, then each arrives exactly once when it is back', async () => {
  const { trainee, inspe } = trio;
  await stackProcess('stop', 'exim');
  let rows;
  try {
    // The tuteur Inspé plans a time and moves it: the trainee is told twice.
    const id = await plan(inspe, '11-03');
    const moved = await patch(`/api/v1/followups/${id}`, { scheduled_at: at('11-04') }, { token: inspe.token, headers: ifMatch(1) });
    assert.equal(moved.status, 200, show(moved));
    rows = await outboxOf(trainee.id, `temps-de-suivi/${id}`);
    assert.deepEqual(rows.map((r) => r.kind).sort(), ['tutorat.followup_moved', 'tutorat.followup_planned']);
    // Each was tried and waits for its next attempt, with the reason.
    for (const { id: rowId } of rows) {
      for (;;) {
        const r = await row(rowId);
        assert.notEqual(r.state, 'failed', `a stopped server is a temporary failure: ${JSON.stringify(r)}`);
        if (r.attempts >= 1 && r.state === 'pending') {
          assert.match(r.last_error, /connect/i, JSON.stringify(r));
          break;
        }
        await sleep(100);
      }
    }
    assert.equal(mails(trainee.email).length, 0);
  } finally {
    await stackProcess('start', 'exim');
  }
  for (const { id: rowId } of rows) await waitState(rowId, 'sent');
  const got = mails(trainee.email);
  for (const { messageId } of rows) assert.equal(count(got, messageId), 1, `${messageId} once: ${got.map((m) => m.messageId)}`);
  assert.equal(got.filter((m) => rows.some((r) => r.messageId === m.messageId)).length, 2);
});

test('a recipient the server refuses (550) is failed at once, visible to the admin, and may be retried', async () => {
  const admin = await as('lyon', 'admin');
  const who = await freshPerson(admin, cleanup, [], 't-mail');
  const to = address('refuse');
  const { id } = await queueMail({ recipient: who.id, to });
  const r = await waitState(id, 'failed');
  assert.equal(r.attempts, 1, 'a permanent failure is not retried');
  assert.match(r.last_error, /550/);
  assert.ok(!r.last_error.includes(to), 'the address is not in the error');
  assert.equal(mails(to).length, 0);

  const list = await get('/api/v1/admin/mail', { token: admin.token, query: { state: 'failed', limit: 100 } });
  assert.equal(list.status, 200, show(list));
  const item = list.body.items.find((x) => x.id === id);
  assert.ok(item, `the failed mail is listed: ${show(list)}`);
  assert.deepEqual(
    { recipient: item.recipient, to_addr: item.to_addr, state: item.state, attempts: item.attempts, kind: item.kind },
    { recipient: { id: who.id, display_name: who.display_name }, to_addr: to, state: 'failed', attempts: 1, kind: 'tutorat.test' },
  );
  assert.match(item.last_error, /550/);
  assert.equal(item.sent_at, null);
  assert.match(item.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(list.body.total >= 1 && list.body.offset === 0 && list.body.limit === 100, show(list));
  assert.ok(list.body.items.every((x) => x.state === 'failed'));

  const summary = await get('/api/v1/admin/mail/summary', { token: admin.token });
  assert.equal(summary.status, 200, show(summary));
  assert.ok(summary.body.counts.failed >= 1, show(summary));
  assert.deepEqual(summary.body.relay, { configured: true, from: 'tutorat@ac-lyon.fr' });

  // Retried: it goes again, is refused again; the retry is audited.
  const retry = await post(`/api/v1/admin/mail/${id}/retry`, {}, { token: admin.token });
  assert.equal(retry.status, 204, show(retry));
  const audit = await auditRows(retry.headers['x-request-id']);
  assert.deepEqual(audit.map((a) => [a.action, a.object_type, a.object_id]), [['mail.retry', 'mail', id]]);
  for (;;) {
    const again = await row(id);
    if (again.state === 'failed' && again.attempts === 1 && again.last_error) break;
    await sleep(100);
  }
});

test('retry: 409 for a mail that is not failed, 404 for an unknown id or another académie\'s, 403 for a non-admin', async () => {
  const admin = await as('lyon', 'admin');
  const who = await freshPerson(admin, cleanup, [], 't-mail');
  const { id } = await queueMail({ recipient: who.id, to: address() });
  await waitState(id, 'sent');
  const conflict = await post(`/api/v1/admin/mail/${id}/retry`, {}, { token: admin.token });
  assertProblem(conflict, 409, 'conflict', 'id');
  assert.equal((await row(id)).state, 'sent', 'nothing changed');

  const gAdmin = await as('grenoble', 'admin');
  const gWho = await freshPerson(gAdmin, cleanup, [], 't-mail');
  const other = await queueMail({ academy: 'grenoble', recipient: gWho.id, to: null });
  const foreign = await post(`/api/v1/admin/mail/${other.id}/retry`, {}, { token: admin.token });
  const missing = await post(`/api/v1/admin/mail/${2 ** 53 - 1}/retry`, {}, { token: admin.token });
  assertProblem(foreign, 404, 'not_found');
  assert.deepEqual(foreign.body, missing.body, 'the same 404');
  assert.equal((await row(other.id)).state, 'failed');

  const trainee = await as('lyon', 'stagiaire1');
  assertProblem(await get('/api/v1/admin/mail', { token: trainee.token }), 403, 'forbidden');
  assertProblem(await get('/api/v1/admin/mail', { token: admin.token, query: { state: 'lost' } }), 422, 'invalid_field', 'state');
  assertProblem(await get('/api/v1/admin/mail', { token: admin.token, query: { limit: 1000 } }), 422, 'invalid_field', 'limit');
});

test('a person without an address: the mail is failed with no_address and the admin sees the gap until they have one', async () => {
  const admin = await as('lyon', 'admin');
  const who = await freshPerson(admin, cleanup, [], 't-mail');
  const { id } = await queueMail({ recipient: who.id, to: null });
  const summary = await get('/api/v1/admin/mail/summary', { token: admin.token });
  assert.equal(summary.status, 200, show(summary));
  assert.deepEqual(summary.body.without_address.find((p) => p.id === who.id),
    { id: who.id, display_name: who.display_name, mails: 1 }, show(summary));
  const list = await get('/api/v1/admin/mail', { token: admin.token, query: { state: 'failed', limit: 100 } });
  const item = list.body.items.find((x) => x.id === id);
  assert.equal(item.to_addr, null);
  assert.equal(item.last_error, 'no_address');
  // Other académies do not see it.
  const g = await get('/api/v1/admin/mail/summary', { token: (await as('grenoble', 'admin')).token });
  assert.ok(!g.body.without_address.some((p) => p.id === who.id));
  const gl = await get('/api/v1/admin/mail', { token: (await as('grenoble', 'admin')).token, query: { limit: 100 } });
  assert.ok(!gl.body.items.some((x) => x.id === id));

  // The admin gives them an address and sends the mail again.
  const to = address('fixed');
  await db(`UPDATE person SET email = ${q(to)} WHERE id = ${n(who.id)}`);
  const fixed = await get('/api/v1/admin/mail/summary', { token: admin.token });
  assert.ok(!fixed.body.without_address.some((p) => p.id === who.id), 'no gap once they have an address');
  const retry = await post(`/api/v1/admin/mail/${id}/retry`, {}, { token: admin.token });
  assert.equal(retry.status, 204, show(retry));
  await waitState(id, 'sent');
  assert.equal(mails(to).length, 1);
});

test('the daily digest: a person who chose it gets the day\'s events as one mail, under the first row\'s Message-ID', async () => {
  const { trainee, inspe } = trio;
  const prefs = await put('/api/v1/me/notification-preferences', { preferences: [
    { kind: 'tutorat.followup_planned', channel: 'digest' }, { kind: 'tutorat.followup_moved', channel: 'digest' },
  ] }, { token: trainee.token });
  assert.equal(prefs.status, 200, show(prefs));
  try {
    const first = await plan(inspe, '12-01');
    const second = await plan(inspe, '12-02');
    const moved = await patch(`/api/v1/followups/${first}`, { scheduled_at: at('12-03') }, { token: inspe.token, headers: ifMatch(1) });
    assert.equal(moved.status, 200, show(moved));
    const rows = [...await outboxOf(trainee.id, `temps-de-suivi/${first}`), ...await outboxOf(trainee.id, `temps-de-suivi/${second}`)];
    assert.equal(rows.length, 3);
    // They wait for the digest hour...
    assert.equal(await dbValue(`SELECT COUNT(*) FROM mail_outbox WHERE id IN (${rows.map((r) => n(r.id)).join(',')})
      AND digest AND state = 'pending' AND next_attempt_at > NOW(3)`), '3');
    // ...which comes.
    await db(`UPDATE mail_outbox SET next_attempt_at = NOW(3) WHERE id IN (${rows.map((r) => n(r.id)).join(',')})`);
    for (const r of rows) await waitState(r.id, 'sent');
    const smallest = rows.reduce((a, b) => (BigInt(a.id) < BigInt(b.id) ? a : b));
    const mine = mails(trainee.email).filter((m) => rows.some((r) => r.messageId === m.messageId));
    assert.equal(mine.length, 1, `one digest: ${mine.map((m) => m.subject)}`);
    const [m] = mine;
    assert.equal(m.messageId, smallest.messageId);
    assert.equal(m.subject, '[Tutorat] Votre résumé du jour : 3 notifications');
    assert.ok(m.text.startsWith(`Bonjour ${trainee.display_name},\n\nVotre résumé du jour : 3 notifications.`), m.text);
    assert.equal(m.text.split(`${inspe.display_name} a planifié un temps de suivi`).length - 1, 2, m.text);
    assert.equal(m.text.split(`${inspe.display_name} a modifié`).length - 1, 1, m.text);
    assert.equal(m.text.split('Bonjour').length - 1, 1, 'one greeting, not one per item');
    assert.equal(m.text.split('\n-- \n').length - 1, 1, 'one signature');
    assert.ok(m.text.includes(`${BASE_URL}/app.html#/temps-de-suivi/${second}`), m.text);
    assert.ok(m.html.includes(`<a href="${BASE_URL}/app.html#/temps-de-suivi/${first}">`), m.html);
    for (const r of rows) assert.equal((await row(r.id)).sent_in, Number(smallest.id));
  } finally {
    await put('/api/v1/me/notification-preferences', { preferences: [
      { kind: 'tutorat.followup_planned', channel: 'email' }, { kind: 'tutorat.followup_moved', channel: 'email' },
    ] }, { token: trainee.token });
  }
});

test('events through the service: the tutors get the feedback\'s mail, the trainee the trace\'s, with the link and never the text; the tutor without an address is a gap', async () => {
  const { trainee, terrain, inspe } = trio;
  const id = await plan(inspe, '10-13');
  await db(`UPDATE followup SET scheduled_at = NOW() - INTERVAL 1 DAY WHERE id = ${n(id)}`);
  const secret = `Marqueur privé ${uniq('m')}`;
  const fb = await put(`/api/v1/followups/${id}/feedback`, { retained: secret, axes: `Axe ${secret}`, submit: true }, { token: trainee.token });
  assert.equal(fb.status, 200, show(fb));
  const tr = await put(`/api/v1/followups/${id}/trace`, { body: `Trace ${secret}`, publish: true }, { token: terrain.token });
  assert.equal(tr.status, 200, show(tr));

  const [toInspe] = (await outboxOf(inspe.id, `temps-de-suivi/${id}`)).filter((r) => r.kind === 'tutorat.feedback_submitted');
  const [toTrainee] = (await outboxOf(trainee.id, `temps-de-suivi/${id}`)).filter((r) => r.kind === 'tutorat.trace_published');
  await waitState(toInspe.id, 'sent');
  await waitState(toTrainee.id, 'sent');
  const link = `${BASE_URL}/app.html#/temps-de-suivi/${id}`;
  const [m] = mails(inspe.email).filter((x) => x.messageId === toInspe.messageId);
  assert.equal(m.subject, '[Tutorat] Un retour de temps de suivi vous attend');
  assert.equal(m.to, inspe.email);
  assert.ok(m.text.startsWith(`Bonjour ${inspe.display_name},`), m.text);
  assert.ok(m.text.includes(`${trainee.display_name} a transmis son retour sur un temps de suivi`), m.text);
  assert.ok(m.text.includes(link), m.text);
  assert.ok(m.html.includes(`href="${link}"`), m.html);
  const [t] = mails(trainee.email).filter((x) => x.messageId === toTrainee.messageId);
  assert.ok(t.text.includes(`${terrain.display_name} a publié la trace d’un temps de suivi`), t.text);
  // Nothing of the texts in any mail, raw or decoded.
  for (const x of mails()) {
    for (const part of [x.raw, x.text ?? '', x.html ?? '', x.subject ?? '']) assert.ok(!part.includes(secret), `private text in ${x.file}`);
  }
  // The tuteur terrain has no address: no mail, a gap the admin sees.
  const gap = (await outboxOf(terrain.id, `temps-de-suivi/${id}`)).find((r) => r.kind === 'tutorat.feedback_submitted');
  assert.deepEqual(await row(gap.id), { state: 'failed', attempts: 0, last_error: 'no_address', sent_in: null, sent_at: false, claimed_by: null });
  const summary = await get('/api/v1/admin/mail/summary', { token: (await as('lyon', 'admin')).token });
  const entry = summary.body.without_address.find((p) => p.id === terrain.id);
  assert.ok(entry && entry.display_name === terrain.display_name && entry.mails >= 1, show(summary));
});

test('the mailer killed between the relay\'s 250 and the mark: restarted, it marks the mail sent from its journal, never sends it twice', { skip: ON_CLUSTER && 'the frozen node would be left for another one' }, async () => {
  const admin = await as('lyon', 'admin');
  const who = await freshPerson(admin, cleanup, [], 't-mail');
  const to = address('slow');
  const journal = join(STATE_DIR, 'run', 'mailer.journal');
  const mariadb = Number(readFileSync(DB_PIDFILE, 'utf8').trim());
  const mailer = Number(readFileSync(join(STATE_DIR, 'run', 'mailer.pid'), 'utf8').trim());
  rmSync(SLOW_RELEASE, { force: true });
  const { id, messageId } = await queueMail({ recipient: who.id, to });
  // The mailer has claimed it; exim holds the answer to its DATA until released.
  await waitState(id, 'sending');
  process.kill(mariadb, 'SIGSTOP');
  let frozen = true;
  try {
    writeFileSync(SLOW_RELEASE, '');
    // The relay took it (it is in the Maildir) and the mailer wrote it to
    // its journal; the database cannot be told.
    await waitForMails((all) => all.some((m) => m.messageId === messageId));
    while (!existsSync(journal) || !readFileSync(journal, 'utf8').includes(String(id))) await sleep(50);
    process.kill(mailer, 'SIGKILL');
    while (existsSync(`/proc/${mailer}`) && !readFileSync(`/proc/${mailer}/stat`, 'utf8').includes(') Z')) await sleep(50);
    process.kill(mariadb, 'SIGCONT');
    frozen = false;
    assert.equal((await row(id)).state, 'sending', 'not marked before the crash');
  } finally {
    if (frozen) process.kill(mariadb, 'SIGCONT');
    await stackProcess('start', 'mailer');
  }
  const r = await waitState(id, 'sent');
  assert.equal(r.attempts, 0);
  assert.equal(count(mails(), messageId), 1, 'exactly one copy');
  assert.equal(readFileSync(journal, 'utf8'), '', 'the journal is empty again');
});
