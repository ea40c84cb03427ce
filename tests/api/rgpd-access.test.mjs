// Personal data (issue 15): who read my file, rectification requests, the
// transparency page (docs/rgpd-access.md).
//
// A read of a sensitive record by someone other than its subject leaves a
// read_log row, written by the pipeline for the routes that declare it;
// the subject lists their own rows at GET /me/reads, and nobody else's
// (another trainee's, another académie's). A person asks for a correction
// of their identity data; the académie's admins are told (never the value
// asked for), answer with If-Match, and the person reads the answer. The
// transparency page is public and edited by the admin.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  request, get, post, patch, put, show, as, db, dbValue, dbCount, n, q, assertProblem, auditRows, Cleanup,
} from '../lib/index.mjs';
import { ifMatch, trioFixture, assertNotAudited } from '../lib/tutorat.mjs';
import { sopaObjects, removeSopaOfYear } from '../lib/sopa.mjs';

const cleanup = new Cleanup();
const rectifications = [];
let notice; // the page as it was, put back at the end
let sopa; // the SOPA module's objects (tests/lib/sopa.mjs)
after(async () => {
  if (sopa) await removeSopaOfYear(sopa.year.id);
  if (rectifications.length) {
    const ids = rectifications.map(n).join(',');
    await db(`DELETE FROM mail_outbox WHERE notification_id IN (SELECT id FROM notification WHERE module = 'rgpd' AND object_id IN (${ids}));
      DELETE FROM notification WHERE module = 'rgpd' AND object_id IN (${ids});
      DELETE FROM rectification_request WHERE id IN (${ids})`);
  }
  if (notice) {
    const cols = ['controller', 'dpo_contact', 'purposes', 'legal_basis', 'recipients', 'retention', 'rights', 'complaint'];
    await db(`UPDATE privacy_notice SET ${cols.map((c) => `${c} = ${q(notice[c])}`).join(', ')}
      WHERE academy_id = (SELECT id FROM academy WHERE code = 'lyon')`);
  }
  await cleanup.run();
});

const ok = (res, status = 200) => { assert.equal(res.status, status, show(res)); return res.body; };
let fx, year, caseId, s;

before(async () => {
  fx = await trioFixture(cleanup);
  year = Number(fx.year.label.slice(0, 4));
  s = {};
  for (const u of ['stagiaire1', 'stagiaire2', 'pilote.pole1', 'admin']) s[u] = await as('lyon', u);
  s.grenoble = await as('grenoble', 'stagiaire1');
  s.grenobleAdmin = await as('grenoble', 'admin');
  // A case opened at level 2: the pôle's pilot is one of its actors.
  caseId = ok(await post(`/api/v1/enrolments/${fx.enrolmentId}/cases`,
    { level: 2, starts_on: `${year}-10-01`, ends_on: `${year}-11-15`, reason: 'Signes' }, { token: fx.inspe.token }), 201).id;
});

const myReads = async (who, query = { limit: 200 }) => ok(await get('/api/v1/me/reads', { token: who.token, query }));

test('a read of a case by the pôle\'s pilot appears in the trainee\'s "who read my file", nowhere else', async () => {
  const before = await dbCount(`SELECT COUNT(*) FROM read_log WHERE record_type = 'case' AND record_id = ${n(caseId)}`);
  ok(await get(`/api/v1/cases/${caseId}`, { token: s['pilote.pole1'].token }));
  const mine = await myReads(s.stagiaire1);
  const item = mine.items.find((i) => i.record_type === 'case' && i.record_id === caseId && i.reader.id === s['pilote.pole1'].me.id);
  assert.ok(item, `the pilot's read is listed: ${JSON.stringify(mine.items.slice(0, 5))}`);
  assert.equal(item.reader.display_name, s['pilote.pole1'].me.display_name);
  assert.match(item.read_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(mine.total >= 1);
  assert.deepEqual(Object.keys(item).sort(), ['read_at', 'reader', 'record_id', 'record_type']);
  // Newest first.
  const times = mine.items.map((i) => i.read_at);
  assert.deepEqual(times, [...times].sort().reverse());
  // The trainee reading their own case logs nothing: one row, the pilot's.
  ok(await get(`/api/v1/cases/${caseId}`, { token: s.stagiaire1.token }));
  assert.equal(await dbCount(`SELECT COUNT(*) FROM read_log WHERE record_type = 'case' AND record_id = ${n(caseId)}`), before + 1);
  assert.equal(await dbValue(`SELECT CONCAT(subject_id, '/', reader_id) FROM read_log WHERE record_type = 'case' AND record_id = ${n(caseId)} ORDER BY read_at DESC LIMIT 1`),
    `${s.stagiaire1.me.id}/${s['pilote.pole1'].me.id}`);
  // Another trainee's list and the other académie's never hold it.
  for (const who of [s.stagiaire2, s.grenoble, s['pilote.pole1']]) {
    const other = await myReads(who);
    assert.ok(!other.items.some((i) => i.record_type === 'case' && i.record_id === caseId), `${who.me.username}: ${JSON.stringify(other.items.slice(0, 3))}`);
  }
});

test('a refused read logs nothing; a bilan read by a tutor is logged with its type', async () => {
  const count = () => dbCount(`SELECT COUNT(*) FROM read_log WHERE record_type = 'case' AND record_id = ${n(caseId)}`);
  const before = await count();
  const refused = await get(`/api/v1/cases/${caseId}`, { token: s.stagiaire2.token });
  assert.equal(refused.status, 404, show(refused));
  assert.equal(await count(), before);
  const bid = ok(await post(`/api/v1/enrolments/${fx.enrolmentId}/bilans`, { kind: 'intermediaire' }, { token: fx.inspe.token }), 201).id;
  ok(await get(`/api/v1/bilans/${bid}`, { token: fx.terrain.token }));
  const mine = await myReads(s.stagiaire1);
  const item = mine.items.find((i) => i.record_type === 'bilan' && i.record_id === bid);
  assert.ok(item, JSON.stringify(mine.items.slice(0, 5)));
  assert.equal(item.reader.id, fx.terrain.me.id);
  // Pages: limit and offset, a bad parameter is refused.
  const one = await myReads(s.stagiaire1, { limit: 1, offset: 1 });
  assert.equal(one.items.length, 1);
  assert.deepEqual(one.items[0], mine.items[1]);
  assertProblem(await get('/api/v1/me/reads', { token: s.stagiaire1.token, query: { subject_id: 1 } }), 400, 'unknown_parameter');
});

test('every kind of sensitive record is logged with its type and id; the subject\'s own reads and a list are not', async () => {
  const eid = fx.enrolmentId;
  const rows = () => dbCount(`SELECT COUNT(*) FROM read_log WHERE subject_id = ${n(fx.trainee.me.id)}`);
  const fid = ok(await post(`/api/v1/enrolments/${eid}/followups`, { kind: 'visit', scheduled_at: `${year}-11-24T09:00`, with_terrain: true, with_inspe: true }, { token: fx.terrain.token }), 201).id;
  const did = ok(await request('POST', `/api/v1/followups/${fid}/documents`, { token: fx.trainee.token, query: { filename: 'sequence.pdf' }, body: Buffer.from('%PDF-1.4\n%%EOF\n') }), 201).id;
  // The trainee's own reads and a list (the timeline) write nothing.
  const before = await rows();
  ok(await get(`/api/v1/followups/${fid}`, { token: fx.trainee.token }));
  ok(await get(`/api/v1/documents/${did}`, { token: fx.trainee.token }));
  ok(await get(`/api/v1/enrolments/${eid}/timeline`, { token: fx.terrain.token }));
  assert.equal(await rows(), before);
  // Each read by a tutor: one row of its type, naming the record.
  const reads = [
    [`/api/v1/followups/${fid}`, 'trace', fid, fx.inspe],
    [`/api/v1/documents/${did}`, 'document', did, fx.terrain],
    [`/api/v1/enrolments/${eid}/self-assessments`, 'self_assessments', eid, fx.terrain],
    [`/api/v1/enrolments/${eid}/bilans`, 'bilans', eid, fx.inspe],
  ];
  for (const [path, type, id, reader] of reads) {
    ok(await get(path, { token: reader.token }));
    const listed = (await myReads(s.stagiaire1)).items.filter((i) => i.record_type === type && i.record_id === id);
    assert.deepEqual(listed.map((i) => i.reader.id), [reader.me.id], path);
  }
  assert.equal(await rows(), before + reads.length);
  // A SOPA report read by the site's office: the student's list names it.
  sopa = await sopaObjects(cleanup);
  ok(await get(`/api/v1/sopa/reports/${sopa.ids.report}`, { token: sopa.office.s.token }));
  const student = ok(await get('/api/v1/me/reads', { token: sopa.student.s.token }));
  assert.deepEqual(student.items.map((i) => [i.record_type, i.record_id, i.reader.id]), [['sopa_report', sopa.ids.report, sopa.office.id]]);
  assert.equal(student.total, 1);
});

test('rectification: the trainee asks, the admins are told without the value, the admin answers, the trainee reads it', async () => {
  const value = `Camille Martin-Durand ${Date.now()}`;
  // Bad input: 422 naming the field, nothing written.
  const count = () => dbCount(`SELECT COUNT(*) FROM rectification_request WHERE person_id = ${n(s.stagiaire1.me.id)}`);
  const before = await count();
  for (const [body, field] of [[{ field: 'username', requested_value: 'x' }, 'field'], [{ field: 'display_name', requested_value: '   ' }, 'requested_value'],
    [{ field: 'email' }, 'requested_value']]) {
    const bad = await post('/api/v1/me/rectification-requests', body, { token: s.stagiaire1.token });
    assert.equal(bad.status, 422, show(bad));
    assert.equal(bad.body.field, field, show(bad));
    await assertNotAudited(bad);
  }
  assert.equal(await count(), before);

  const created = await post('/api/v1/me/rectification-requests', { field: 'display_name', requested_value: value, comment: 'Nom d’usage depuis mon mariage' }, { token: s.stagiaire1.token });
  const id = ok(created, 201).id;
  rectifications.push(id);
  assert.deepEqual((await auditRows(created.headers['x-request-id'])).map((a) => [a.action, a.object_id]), [['rectification.request', id]]);
  const detail = await dbValue(`SELECT detail FROM audit_log WHERE request_id = ${q(created.headers['x-request-id'])}`);
  assert.ok(!detail.includes('Martin-Durand'), `field names, not content: ${detail}`);
  // Every admin of Lyon who ever signed in is told, with a mail; neither holds the value.
  const told = await db(`SELECT recipient_id, subject, link FROM notification WHERE module = 'rgpd' AND object_id = ${n(id)}`);
  assert.ok(told.some(([r]) => Number(r) === s.admin.me.id), JSON.stringify(told));
  assert.ok(told.every(([, subject, link]) => subject === s.stagiaire1.me.display_name && link === '/app.html#/administration/rectifications'));
  assert.equal(await dbCount(`SELECT COUNT(*) FROM notification WHERE module = 'rgpd' AND object_id = ${n(id)} AND recipient_id = ${n(s.grenobleAdmin.me.id)}`), 0);
  assert.equal(await dbCount(`SELECT COUNT(*) FROM mail_outbox WHERE notification_id IN (SELECT id FROM notification WHERE module = 'rgpd' AND object_id = ${n(id)})
    AND (body_text LIKE ${q('%Martin-Durand%')} OR body_html LIKE ${q('%Martin-Durand%')} OR subject LIKE ${q('%Martin-Durand%')})`), 0);

  // The trainee's list: open; another trainee's never holds it.
  const mine = ok(await get('/api/v1/me/rectification-requests', { token: s.stagiaire1.token }));
  const row = mine.items.find((i) => i.id === id);
  assert.deepEqual([row.field, row.requested_value, row.status, row.answer], ['display_name', value, 'open', null]);
  const theirs = ok(await get('/api/v1/me/rectification-requests', { token: s.stagiaire2.token }));
  assert.ok(!theirs.items.some((i) => i.id === id));

  // The admin's list holds it; a trainee may not read it; Grenoble's admin does not see it.
  const list = ok(await get('/api/v1/admin/rectification-requests', { token: s.admin.token, query: { status: 'open', limit: 200 } }));
  const listed = list.items.find((i) => i.id === id);
  assert.equal(listed.person.id, s.stagiaire1.me.id);
  assert.equal((await get('/api/v1/admin/rectification-requests', { token: s.stagiaire1.token })).status, 403);
  const far = ok(await get('/api/v1/admin/rectification-requests', { token: s.grenobleAdmin.token, query: { limit: 200 } }));
  assert.ok(!far.items.some((i) => i.id === id));
  assertProblem(await patch(`/api/v1/admin/rectification-requests/${id}`, { status: 'done', answer: 'Fait' },
    { token: s.grenobleAdmin.token, headers: ifMatch(1) }), 404, 'not_found');

  // The answer: If-Match required, an answer for done/refused, then 200.
  const path = `/api/v1/admin/rectification-requests/${id}`;
  assert.equal((await patch(path, { status: 'done', answer: 'Fait' }, { token: s.admin.token })).status, 428);
  assertProblem(await patch(path, { status: 'refused' }, { token: s.admin.token, headers: ifMatch(1) }), 422, 'answer_required', 'answer');
  assertProblem(await patch(path, { status: 'done', answer: 'Fait' }, { token: s.admin.token, headers: ifMatch(7) }), 412, 'version_mismatch');
  const answered = await patch(path, { status: 'done', answer: 'Votre nom est corrigé dans l’annuaire.' }, { token: s.admin.token, headers: ifMatch(1) });
  const body = ok(answered);
  assert.deepEqual([body.status, body.version, answered.headers.etag], ['done', 2, '"2"']);
  assert.deepEqual((await auditRows(answered.headers['x-request-id'])).map((a) => a.action), ['rectification.answer']);
  const back = ok(await get('/api/v1/me/rectification-requests', { token: s.stagiaire1.token })).items.find((i) => i.id === id);
  assert.deepEqual([back.status, back.answer], ['done', 'Votre nom est corrigé dans l’annuaire.']);
  assert.match(back.answered_at, /Z$/);
  // The trainee is told, and the item stays theirs to open.
  const item = await db(`SELECT kind, link FROM notification WHERE module = 'rgpd' AND object_id = ${n(id)} AND recipient_id = ${n(s.stagiaire1.me.id)}`);
  assert.deepEqual(item, [['rgpd.rectification_answered', '/app.html#/mes-donnees']]);
  const inbox = ok(await get('/api/v1/notifications', { token: s.stagiaire1.token, query: { limit: 50 } }));
  assert.ok(inbox.items.some((i) => i.kind === 'rgpd.rectification_answered' && i.link === '/app.html#/mes-donnees'), JSON.stringify(inbox.items.slice(0, 3)));
});

test('the transparency page: public by académie code, edited by the admin with If-Match, no empty section', async () => {
  const pub = await get('/api/v1/privacy-notice', { query: { academy: 'lyon' } });
  notice = ok(pub);
  assert.equal(notice.academy_name, 'Académie de Lyon');
  for (const k of ['controller', 'dpo_contact', 'purposes', 'legal_basis', 'recipients', 'retention', 'rights', 'complaint']) {
    assert.ok(notice[k].length > 20, `${k} has a default text`);
  }
  assert.match(notice.complaint, /CNIL/);
  assert.equal(pub.headers.etag, `"${notice.version}"`);
  assertProblem(await get('/api/v1/privacy-notice', { query: { academy: 'atlantis' } }), 404, 'not_found');
  assertProblem(await get('/api/v1/privacy-notice', {}), 422, 'missing_field', 'academy');

  const body = { ...notice };
  for (const k of ['academy', 'academy_name', 'updated_at', 'version']) delete body[k];
  const marker = `DPD : dpd-test-${Date.now()}@ac-lyon.fr`;
  assert.equal((await put('/api/v1/admin/privacy-notice', { ...body, dpo_contact: marker }, { token: s.stagiaire1.token, headers: ifMatch(notice.version) })).status, 403);
  const empty = await put('/api/v1/admin/privacy-notice', { ...body, rights: '  ' }, { token: s.admin.token, headers: ifMatch(notice.version) });
  assertProblem(empty, 422, 'invalid_field', 'rights');
  await assertNotAudited(empty);
  const missing = { ...body };
  delete missing.complaint;
  assertProblem(await put('/api/v1/admin/privacy-notice', missing, { token: s.admin.token, headers: ifMatch(notice.version) }), 422, 'missing_field', 'complaint');
  assert.equal((await put('/api/v1/admin/privacy-notice', body, { token: s.admin.token })).status, 428);
  const saved = await put('/api/v1/admin/privacy-notice', { ...body, dpo_contact: marker }, { token: s.admin.token, headers: ifMatch(notice.version) });
  assert.equal(ok(saved).version, notice.version + 1);
  assert.deepEqual((await auditRows(saved.headers['x-request-id'])).map((a) => a.action), ['privacy_notice.update']);
  const detail = await dbValue(`SELECT detail FROM audit_log WHERE request_id = ${q(saved.headers['x-request-id'])}`);
  assert.ok(!detail.includes('dpd-test'), detail);
  // The stale version is refused; the public page shows the new text; Grenoble's is untouched.
  assertProblem(await put('/api/v1/admin/privacy-notice', body, { token: s.admin.token, headers: ifMatch(notice.version) }), 412, 'version_mismatch');
  assert.equal(ok(await get('/api/v1/privacy-notice', { query: { academy: 'lyon' } })).dpo_contact, marker);
  assert.notEqual(ok(await get('/api/v1/privacy-notice', { query: { academy: 'grenoble' } })).dpo_contact, marker);
});
