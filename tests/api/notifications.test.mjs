// Issue 9 §1, §3 and §6: in-app notifications. Each event of the tutorat
// module reaches the people it concerns and no one else: the tutors when
// the trainee transmits their feedback, the trainee when a trace or a bilan
// is published, the trio when a time is planned, moved or cancelled, the
// trio as it is now when a tutor is replaced, the IEN and pôle pilot of
// the scope when a disagreement is signalled. Items are re-checked when
// listed and opened: a replaced tutor sees nothing of them, as for an id
// that never existed; another académie sees nothing at all. Preferences
// decide the mail rows (at once, digest, none), and a person without an
// address leaves a gap the admin sees.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { get, post, patch, put, show, assertProblem, db, dbValue, dbCount, n, q, Cleanup, as } from '../lib/index.mjs';
import { ifMatch, freshPerson, sessionAs, freshTrio, grid, assertAudited, assertNotAudited } from '../lib/tutorat.mjs';

const cleanup = new Cleanup();
after(() => cleanup.run());

let fx, yearStart, trio, placeId;
before(async () => {
  ({ fx, trio, yearStart, placeId } = await freshTrio(cleanup, 't-n'));
});

const at = (mmdd, hhmm = '09:00') => `${Number(mmdd.slice(0, 2)) < 9 ? yearStart + 1 : yearStart}-${mmdd}T${hhmm}`;

async function inbox(who, query = '') {
  const res = await get(`/api/v1/notifications${query}`, { token: who.token });
  assert.equal(res.status, 200, show(res));
  return res.body.items;
}
async function unread(who) {
  const res = await get('/api/v1/notifications/unread-count', { token: who.token });
  assert.equal(res.status, 200, show(res));
  return res.body.unread;
}
const kinds = (items) => items.map((i) => i.kind);

async function plan(who, mmdd) {
  const res = await post(`/api/v1/enrolments/${fx.enrolmentId}/followups`, {
    kind: 'visit', scheduled_at: at(mmdd), place_id: placeId, with_terrain: true, with_inspe: true,
  }, { token: who.token });
  assert.equal(res.status, 201, show(res));
  return res.body.id;
}

test('a time planned, moved, cancelled: the rest of the trio is told, with who, when and the link; the actor and strangers are not', async () => {
  const { trainee, terrain, inspe } = trio;
  const before = { trainee: await unread(trainee), inspe: await unread(inspe), terrain: await unread(terrain) };
  const id = await plan(terrain, '10-06');

  const [item] = await inbox(trainee);
  assert.equal(item.kind, 'tutorat.followup_planned');
  assert.equal(item.text, `${terrain.display_name} a planifié un temps de suivi`);
  assert.deepEqual(item.actor, { id: terrain.id, display_name: terrain.display_name });
  assert.equal(item.subject, trainee.display_name, 'the item says whose dossier it is');
  assert.equal(item.link, `/app.html#/temps-de-suivi/${id}`);
  assert.equal(item.read, false);
  assert.match(item.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal((await inbox(inspe))[0].kind, 'tutorat.followup_planned');
  assert.equal(await unread(trainee), before.trainee + 1);
  assert.equal(await unread(inspe), before.inspe + 1);
  assert.equal(await unread(terrain), before.terrain, 'the actor is not told of their own act');
  // The stored rows: one per recipient, in the same académie, naming the enrolment.
  assert.deepEqual(await db(`SELECT recipient_id, object_kind, object_id FROM notification WHERE kind = 'tutorat.followup_planned' AND link = ${q(item.link)} ORDER BY recipient_id`),
    [trainee.id, inspe.id].sort((a, b) => a - b).map((r) => [String(r), 'enrolment', String(fx.enrolmentId)]));

  const moved = await patch(`/api/v1/followups/${id}`, { scheduled_at: at('10-07') }, { token: inspe.token, headers: ifMatch(1) });
  assert.equal(moved.status, 200, show(moved));
  assert.equal((await inbox(terrain))[0].text, `${inspe.display_name} a modifié la date, le lieu ou les participants d’un temps de suivi`);
  assert.equal((await inbox(trainee))[0].kind, 'tutorat.followup_moved');

  // A refused write leaves no notification: the event and its item go together.
  const stale = await patch(`/api/v1/followups/${id}`, { scheduled_at: at('10-08') }, { token: inspe.token, headers: ifMatch(1) });
  assertProblem(stale, 412, 'version_mismatch');
  assert.equal(await dbCount(`SELECT COUNT(*) FROM notification WHERE kind = 'tutorat.followup_moved' AND link = ${q(item.link)}`), 2);

  const cancelled = await post(`/api/v1/followups/${id}/cancel`, { reason: 'Classe en sortie' }, { token: terrain.token });
  assert.equal(cancelled.status, 200, show(cancelled));
  assert.equal((await inbox(trainee))[0].kind, 'tutorat.followup_cancelled');

  const other = await as('grenoble', 'admin');
  assert.ok(!(await inbox(other)).some((i) => i.link === item.link), 'another académie sees nothing');
});

test('the trainee transmits their feedback: the two tutors are told, never its text; the tutors publish their trace: the trainee is told', async () => {
  const { trainee, terrain, inspe } = trio;
  const id = await plan(inspe, '10-13');
  await db(`UPDATE followup SET scheduled_at = NOW() - INTERVAL 1 DAY WHERE id = ${n(id)}`);
  const secret = `Marqueur privé ${Date.now()}`;
  const fb = await put(`/api/v1/followups/${id}/feedback`, { retained: secret, axes: 'Axe', submit: true }, { token: trainee.token });
  assert.equal(fb.status, 200, show(fb));
  for (const tutor of [terrain, inspe]) {
    const [item] = await inbox(tutor);
    assert.equal(item.kind, 'tutorat.feedback_submitted', tutor.display_name);
    assert.equal(item.text, `${trainee.display_name} a transmis son retour sur un temps de suivi`);
    assert.equal(item.link, `/app.html#/temps-de-suivi/${id}`);
  }
  assert.ok(!kinds(await inbox(trainee)).includes('tutorat.feedback_submitted'));
  // Nothing of the text in any notification or mail.
  assert.equal(await dbCount(`SELECT COUNT(*) FROM notification WHERE subject LIKE ${q(`%${secret}%`)} OR link LIKE ${q(`%${secret}%`)}`), 0);
  assert.equal(await dbCount(`SELECT COUNT(*) FROM mail_outbox WHERE body_text LIKE ${q(`%${secret}%`)} OR body_html LIKE ${q(`%${secret}%`)} OR subject LIKE ${q(`%${secret}%`)}`), 0);
  // The mails: at once for the tuteur Inspé (an address), a gap for the tuteur terrain (none).
  const mails = await db(`SELECT recipient_id, to_addr, state, last_error, digest, subject FROM mail_outbox
    WHERE kind = 'tutorat.feedback_submitted' AND recipient_id IN (${n(terrain.id)}, ${n(inspe.id)}) ORDER BY recipient_id = ${n(inspe.id)}`);
  assert.deepEqual(mails, [
    [String(terrain.id), null, 'failed', 'no_address', '0', '[Tutorat] Un retour de temps de suivi vous attend'],
    [String(inspe.id), `${inspe.username}@ac-lyon.fr`, mails[1][2], null, '0', '[Tutorat] Un retour de temps de suivi vous attend'],
  ]);
  assert.ok(['pending', 'sending', 'sent'].includes(mails[1][2]), mails[1][2]);
  const body = await dbValue(`SELECT body_text FROM mail_outbox WHERE kind = 'tutorat.feedback_submitted' AND recipient_id = ${n(inspe.id)}`);
  assert.match(body, new RegExp(`^Bonjour ${inspe.display_name},`));
  assert.ok(body.includes(`/app.html#/temps-de-suivi/${id}`), 'one link to the screen');

  const tr = await put(`/api/v1/followups/${id}/trace`, { body: secret, publish: true }, { token: terrain.token });
  assert.equal(tr.status, 200, show(tr));
  const [item] = await inbox(trainee);
  assert.equal(item.kind, 'tutorat.trace_published');
  assert.equal(item.text, `${terrain.display_name} a publié la trace d’un temps de suivi`);
  assert.ok(!kinds(await inbox(inspe)).includes('tutorat.trace_published'), 'the co-tutor is not told of the trace');
});

test('a bilan validated by both tutors tells the trainee once, when it becomes readable', async () => {
  const { trainee, terrain, inspe } = trio;
  const g = await grid(inspe.token, fx.enrolment.referentiel_id);
  const bid = (await post(`/api/v1/enrolments/${fx.enrolmentId}/bilans`, { kind: 'intermediaire' }, { token: inspe.token })).body.id;
  const b = await get(`/api/v1/bilans/${bid}`, { token: inspe.token });
  const items = [...g.common, ...g.professeur].map((competence_id) => ({ competence_id, level: 2, comment: null }));
  const w = await put(`/api/v1/bilans/${bid}`, { items }, { token: inspe.token, headers: ifMatch(b.body.version) });
  assert.equal(w.status, 200, show(w));
  const v1 = await post(`/api/v1/bilans/${bid}/validate`, undefined, { token: terrain.token, headers: ifMatch(w.body.version) });
  assert.equal(v1.status, 200, show(v1));
  assert.equal(await dbCount(`SELECT COUNT(*) FROM notification WHERE kind = 'tutorat.bilan_validated' AND link = '/app.html#/bilans/${bid}'`), 0, 'one validation is not a publication');
  const v2 = await post(`/api/v1/bilans/${bid}/validate`, undefined, { token: inspe.token, headers: ifMatch(v1.body.version) });
  assert.equal(v2.status, 200, show(v2));
  const [item] = await inbox(trainee);
  assert.equal(item.kind, 'tutorat.bilan_validated');
  assert.equal(item.link, `/app.html#/bilans/${bid}`);
  assert.equal(await dbCount(`SELECT COUNT(*) FROM notification WHERE kind = 'tutorat.bilan_validated' AND link = '/app.html#/bilans/${bid}'`), 1);
});

test('read one, read all: the count follows; another person cannot read or mark someone else\'s item', async () => {
  const { trainee, inspe } = trio;
  await plan(inspe, '10-20');
  const items = await inbox(trainee, '?unread=true');
  assert.ok(items.length >= 2, 'several unread items');
  assert.ok(items.every((i) => !i.read));
  const count = await unread(trainee);
  assert.equal(count, items.length);

  const stranger = await as('lyon', 'stagiaire1');
  const theirs = await post(`/api/v1/notifications/${items[0].id}/read`, undefined, { token: stranger.token });
  const missing = await post(`/api/v1/notifications/${2 ** 53 - 1}/read`, undefined, { token: stranger.token });
  assert.equal(theirs.status, 404, show(theirs));
  assert.equal(theirs.text, missing.text, 'someone else\'s item is a missing one, byte for byte');
  assert.equal(await unread(trainee), count, 'unchanged');

  const one = await post(`/api/v1/notifications/${items[0].id}/read`, undefined, { token: trainee.token });
  assert.equal(one.status, 204, show(one));
  await assertAudited(one, { action: 'notification.read', actor: trainee.id, type: 'notification', id: items[0].id });
  assert.equal(await unread(trainee), count - 1);
  assert.equal((await get(`/api/v1/notifications/${items[0].id}`, { token: trainee.token })).body.read, true);

  const all = await post('/api/v1/notifications/read-all', undefined, { token: trainee.token });
  assert.equal(all.status, 200, show(all));
  assert.equal(all.body.marked, count - 1);
  assert.equal(await unread(trainee), 0);
  assert.deepEqual(await inbox(trainee, '?unread=true'), []);

  // Paging: newest first, `more` while older items remain.
  const page = await get('/api/v1/notifications?limit=1&offset=0', { token: trainee.token });
  assert.equal(page.body.items.length, 1);
  assert.equal(page.body.more, true);
  const bad = await get('/api/v1/notifications?limit=0', { token: trainee.token });
  assertProblem(bad, 422, 'invalid_field', 'limit');
});

test('a disagreement reaches the IEN and the pilot of the pôle, not an IEN of another pôle', async () => {
  const { admin } = fx;
  const ienOfPole = await freshPerson(admin, cleanup, [{ role: 'ien', scope_kind: 'pole', scope_id: fx.ids.pole }], 't-nien');
  const pilot = await freshPerson(admin, cleanup, [{ role: 'pilote_pole', scope_kind: 'pole', scope_id: fx.ids.pole }], 't-npil');
  const ienElsewhere = await freshPerson(admin, cleanup, [{ role: 'ien', scope_kind: 'pole', scope_id: fx.ids.otherPole }], 't-nien');
  // The disagreement needs a note on a frozen final bilan: written straight in the rows the API would leave.
  await db(`INSERT INTO result (academy_id, enrolment_id, note, recorded_by, recorded_at, version)
    VALUES (${fx.ids.lyon}, ${n(fx.enrolmentId)}, 9, ${n(trio.inspe.id)}, NOW(3), 1)`);
  const res = await put(`/api/v1/enrolments/${fx.enrolmentId}/result/disagreement`, { comment: 'Progrès de janvier oubliés.' }, { token: trio.terrain.token });
  assert.equal(res.status, 200, show(res));
  for (const p of [ienOfPole, pilot]) {
    const s = await sessionAs('lyon', p.id);
    const [item] = await inbox(s);
    assert.ok(item, `${p.username} is told`);
    assert.equal(item.kind, 'tutorat.disagreement');
    assert.equal(item.text, `${trio.terrain.display_name} a signalé un désaccord sur l’avis du tuteur Inspé`);
    assert.equal(item.link, '/app.html#/desaccords');
    assert.ok(!JSON.stringify(item).includes('Progrès de janvier'), 'never the text of the disagreement');
  }
  assert.deepEqual(await inbox(await sessionAs('lyon', ienElsewhere.id)), []);
  assert.ok(!kinds(await inbox(trio.inspe)).includes('tutorat.disagreement'));
});

test('a replaced tutor sees nothing of the dossier\'s items any more; the new trio is told', async () => {
  const { admin } = fx;
  const { trainee, terrain } = trio;
  await plan(trio.inspe, '11-03');
  const mine = (await inbox(terrain)).filter((i) => i.subject === trainee.display_name);
  assert.ok(mine.length >= 1);
  const before = await unread(terrain);
  const newcomer = await freshPerson(admin, cleanup, ['tuteur_terrain'], 't-ntt2');
  const version = (await get(`/api/v1/enrolments/${fx.enrolmentId}`, { token: admin.token })).body.version;
  const res = await put(`/api/v1/enrolments/${fx.enrolmentId}/tutors`, { tuteur_terrain_id: newcomer.id }, { token: admin.token, headers: ifMatch(version) });
  assert.equal(res.status, 200, show(res));

  assert.deepEqual((await inbox(terrain)).filter((i) => i.subject === trainee.display_name), [], 'nothing listed');
  const opened = await get(`/api/v1/notifications/${mine[0].id}`, { token: terrain.token });
  const missing = await get(`/api/v1/notifications/${2 ** 53 - 1}`, { token: terrain.token });
  assert.equal(opened.status, 404);
  assert.equal(opened.text, missing.text, 'as for an id that never existed, byte for byte');
  const mark = await post(`/api/v1/notifications/${mine[0].id}/read`, undefined, { token: terrain.token });
  assert.equal(mark.status, 404);
  await assertNotAudited(mark);
  assert.ok(await unread(terrain) <= before - mine.filter((i) => !i.read).length, 'nor counted');

  const told = await inbox(await sessionAs('lyon', newcomer.id));
  assert.deepEqual(kinds(told), ['tutorat.tutors_changed']);
  assert.equal(told[0].link, `/app.html#/dossiers/${fx.enrolmentId}`);
  assert.equal((await inbox(trainee))[0].kind, 'tutorat.tutors_changed');
  assert.equal((await inbox(trio.inspe))[0].kind, 'tutorat.tutors_changed');
  // The former tutor is not told (the dossier is no longer theirs to see).
  assert.equal(await dbCount(`SELECT COUNT(*) FROM notification WHERE kind = 'tutorat.tutors_changed' AND recipient_id = ${n(terrain.id)} AND object_id = ${n(fx.enrolmentId)}`), 0);
});

test('preferences: every kind with its default; a digest or no mail as chosen; bad input changes nothing', async () => {
  const { trainee, inspe } = trio; // the prefs are the trainee's; the tuteur Inspé acts
  const got = await get('/api/v1/me/notification-preferences', { token: trainee.token });
  assert.equal(got.status, 200, show(got));
  assert.equal(got.body.email, `${trainee.username}@ac-lyon.fr`);
  const planned = got.body.kinds.find((k) => k.kind === 'tutorat.followup_planned');
  assert.deepEqual(planned, { kind: 'tutorat.followup_planned', label: 'Temps de suivi planifié', channel: 'email', default_channel: 'email' });

  const unknown = await put('/api/v1/me/notification-preferences', { preferences: [
    { kind: 'tutorat.followup_planned', channel: 'digest' }, { kind: 'tutorat.nope', channel: 'app' }] }, { token: trainee.token });
  assertProblem(unknown, 422, 'invalid_field', 'preferences[1].kind');
  const badChannel = await put('/api/v1/me/notification-preferences', { preferences: [{ kind: 'tutorat.followup_planned', channel: 'sms' }] }, { token: trainee.token });
  assert.equal(badChannel.status, 422, show(badChannel));
  assert.equal(badChannel.body.field, 'preferences[0].channel');
  assert.equal(await dbCount(`SELECT COUNT(*) FROM notification_pref WHERE person_id = ${n(trainee.id)}`), 0, 'nothing saved');

  const ok = await put('/api/v1/me/notification-preferences', { preferences: [
    { kind: 'tutorat.followup_planned', channel: 'digest' }, { kind: 'tutorat.followup_moved', channel: 'app' }] }, { token: trainee.token });
  assert.equal(ok.status, 200, show(ok));
  await assertAudited(ok, { action: 'notification.preferences', actor: trainee.id, type: 'person', id: trainee.id });
  assert.equal(ok.body.kinds.find((k) => k.kind === 'tutorat.followup_planned').channel, 'digest');

  const id = await plan(inspe, '11-17');
  const mail = await db(`SELECT digest, state, next_attempt_at > NOW(3) FROM mail_outbox o JOIN notification x ON x.academy_id = o.academy_id AND x.id = o.notification_id
    WHERE o.recipient_id = ${n(trainee.id)} AND x.link = '/app.html#/temps-de-suivi/${id}'`);
  assert.deepEqual(mail, [['1', 'pending', '1']], 'a digest row waits for the digest hour');
  const moved = await patch(`/api/v1/followups/${id}`, { scheduled_at: at('11-18') }, { token: inspe.token, headers: ifMatch(1) });
  assert.equal(moved.status, 200, show(moved));
  assert.equal(await dbCount(`SELECT COUNT(*) FROM mail_outbox o JOIN notification x ON x.academy_id = o.academy_id AND x.id = o.notification_id
    WHERE o.recipient_id = ${n(trainee.id)} AND x.kind = 'tutorat.followup_moved' AND x.link = '/app.html#/temps-de-suivi/${id}'`), 0, 'in the service only: no mail');
  assert.equal((await inbox(trainee))[0].kind, 'tutorat.followup_moved', 'but the item is there');
  // The new tuteur terrain kept the defaults: a mail at once, which their missing address turns into a gap.
  assert.deepEqual(await db(`SELECT o.digest, o.state, o.last_error FROM mail_outbox o JOIN notification x ON x.academy_id = o.academy_id AND x.id = o.notification_id
    WHERE x.kind = 'tutorat.followup_moved' AND x.link = '/app.html#/temps-de-suivi/${id}' AND o.recipient_id = (SELECT person_id FROM trio_member
    WHERE enrolment_id = ${n(fx.enrolmentId)} AND role = 'tuteur_terrain' AND ended_at IS NULL)`), [['0', 'failed', 'no_address']]);
});
