// Module tutorat mixte (issue 3): documents of a follow-up time. The type
// comes from the bytes, never the name (a renamed executable is 415); at
// most 10 MB (an 11 MB body is 413); real ODF and OOXML files, built here
// with a stored-entry zip writer, are taken with their content type; the
// download gives the same bytes as an attachment; only the uploader
// deletes. Stored in MariaDB; every write audited.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  request, get, post, del, show, assertProblem, db, dbCount, dbValue, n, configInt, Cleanup,
} from '../lib/index.mjs';
import { trioFixture, assertAudited, assertNotAudited, trackWrites, assertEveryWriteAudited } from '../lib/tutorat.mjs';
import { odf, ooxml, zipStored } from '../lib/zip.mjs';

const cleanup = new Cleanup();
const writes = trackWrites();
after(() => cleanup.run());

const MB = 1024 * 1024;
const TYPES = {
  pdf: 'application/pdf',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  png: 'image/png',
  jpeg: 'image/jpeg',
};
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(24, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF\0'), Buffer.alloc(16, 2), Buffer.from([0xff, 0xd9])]);
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

let fx, fid;
before(async () => {
  fx = await trioFixture(cleanup);
  const a = Number(fx.year.label.slice(0, 4));
  const v = await post(`/api/v1/enrolments/${fx.enrolmentId}/followups`, {
    kind: 'visit', scheduled_at: `${a}-11-17T10:00`, with_terrain: true, with_inspe: true,
  }, { token: fx.terrain.token });
  assert.equal(v.status, 201, show(v));
  fid = v.body.id;
});

const upload = (who, filename, body, followup = fid) => request('POST', `/api/v1/followups/${followup}/documents`, {
  token: who.token, query: { filename }, body, headers: { 'Content-Type': 'application/octet-stream' }, timeout: 60000,
});
const docCount = () => dbCount(`SELECT COUNT(*) FROM document WHERE followup_id = ${n(fid)}`);

test('a PDF is accepted: 201, the stored row and bytes, one audit row; the trio downloads the same bytes as an attachment', async () => {
  const { trainee, inspe } = fx;
  const res = await upload(trainee, 'sequence.pdf', PDF);
  assert.equal(res.status, 201, show(res));
  assert.deepEqual(res.body, { id: res.body.id, filename: 'sequence.pdf', content_type: TYPES.pdf, size: PDF.length });
  await assertAudited(res, { action: 'document.upload', actor: trainee.me.id, type: 'document', id: res.body.id });
  assert.deepEqual(await db(`SELECT followup_id, filename, content_type, size_bytes, sha256, uploaded_by, HEX(content) FROM document WHERE id = ${n(res.body.id)}`),
    [[String(fid), 'sequence.pdf', TYPES.pdf, String(PDF.length), sha256(PDF), String(trainee.me.id), PDF.toString('hex').toUpperCase()]]);

  for (const who of [trainee, inspe, fx.terrain]) {
    const dl = await get(`/api/v1/documents/${res.body.id}`, { token: who.token });
    assert.equal(dl.status, 200, show(dl));
    assert.ok(dl.raw.equals(PDF), 'the same bytes');
    assert.match(dl.headers['content-type'], /^application\/pdf/);
    assert.match(dl.headers['content-disposition'], /^attachment;/);
    assert.match(dl.headers['content-disposition'], /filename\*=UTF-8''sequence\.pdf/);
  }
  const f = await get(`/api/v1/followups/${fid}`, { token: inspe.token });
  const listed = f.body.documents.find((d) => d.id === res.body.id);
  assert.equal(listed.filename, 'sequence.pdf');
  assert.equal(listed.uploaded_by.id, trainee.me.id);
});

test('the type comes from the content: a renamed executable is 415 unsupported_document, a PDF named .exe is a PDF', async () => {
  const { trainee, terrain } = fx;
  const before = await docCount();
  const mz = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'), Buffer.alloc(64, 0), Buffer.from('This program cannot be run in DOS mode.')]);
  const elf = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), Buffer.alloc(57, 0)]);
  const html = Buffer.from('<!doctype html><script>alert(1)</script>');
  const plainZip = zipStored([{ name: 'notes.txt', data: 'pas un document bureautique' }]);
  const twoKinds = zipStored([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: '<w/>' }, { name: 'xl/workbook.xml', data: '<x/>' }]);
  for (const [name, body] of [['cours.pdf', mz], ['cours.pdf', elf], ['cours.pdf', html], ['archive.docx', plainZip], ['mixte.docx', twoKinds],
    ['cours.pdf', Buffer.from('%PDF')]]) {
    const res = await upload(trainee, name, body);
    assertProblem(res, 415, 'unsupported_document');
    await assertNotAudited(res);
  }
  const empty = await upload(terrain, 'vide.pdf', Buffer.alloc(0));
  assert.equal(empty.status, 422, show(empty));
  await assertNotAudited(empty);
  assert.equal(await docCount(), before, 'nothing stored');

  // The name does not decide the type, and must agree with it (issue 8 §3).
  for (const [name, body, label] of [['programme.exe', PDF, 'PDF'], ['mal-nomme.pdf', ooxml('docx'), 'texte DOCX'], ['compte-rendu.pdf', PNG, 'image PNG']]) {
    const renamed = await upload(terrain, name, body);
    assertProblem(renamed, 422, 'invalid_field', 'filename');
    assert.equal(renamed.body.detail, `Le nom « ${name} » ne correspond pas au contenu du fichier (${label}) : renommez-le ou déposez le bon fichier.`);
    await assertNotAudited(renamed);
  }
  assert.equal(await docCount(), before, 'nothing stored');
});

test('size: an 11 MB body is 413 body_too_large and stores nothing; exactly 10 MiB is accepted and comes back whole', async () => {
  const { trainee, inspe } = fx;
  const before = await docCount();
  const big = Buffer.alloc(11 * MB, 0x20);
  PDF.copy(big);
  const res = await upload(trainee, 'gros.pdf', big);
  assertProblem(res, 413, 'body_too_large');
  await assertNotAudited(res);
  assert.equal(await docCount(), before, 'nothing stored');

  const limit = Buffer.alloc(10 * MB, 0x20);
  PDF.copy(limit);
  limit.write('%%EOF', limit.length - 5);
  const ok = await upload(trainee, 'limite.pdf', limit);
  assert.equal(ok.status, 201, show(ok));
  assert.equal(ok.body.size, 10 * MB);
  await assertAudited(ok, { action: 'document.upload', actor: trainee.me.id, type: 'document', id: ok.body.id });
  const dl = await get(`/api/v1/documents/${ok.body.id}`, { token: inspe.token, timeout: 60000 });
  assert.equal(dl.status, 200);
  assert.equal(dl.raw.length, limit.length);
  assert.equal(sha256(dl.raw), sha256(limit));
  const gone = await del(`/api/v1/documents/${ok.body.id}`, { token: trainee.token });
  assert.equal(gone.status, 204, show(gone));
});

test('real OpenDocument and Office Open XML files (and PNG, JPEG) are accepted with their content type', async () => {
  const { trainee, terrain } = fx;
  for (const [name, body, type] of [
    ['séance 1.odt', odf('text'), TYPES.odt],
    ['notes.ods', odf('spreadsheet'), TYPES.ods],
    ['diaporama.odp', odf('presentation'), TYPES.odp],
    ['fiche.docx', ooxml('docx'), TYPES.docx],
    ['tableau.xlsx', ooxml('xlsx'), TYPES.xlsx],
    ['support.pptx', ooxml('pptx'), TYPES.pptx],
    ['tableau.png', PNG, TYPES.png],
    ['photo.jpg', JPEG, TYPES.jpeg],
    ['PHOTO.JPEG', JPEG, TYPES.jpeg],
    // A name without an extension has nothing to disagree with.
    ['compte-rendu', PNG, TYPES.png],
  ]) {
    const res = await upload(trainee, name, body);
    assert.equal(res.status, 201, `${name}: ${show(res)}`);
    assert.equal(res.body.content_type, type, name);
    assert.equal(res.body.filename, name);
    assert.equal(res.body.size, body.length);
    await assertAudited(res, { action: 'document.upload', actor: trainee.me.id, type: 'document', id: res.body.id });
    assert.deepEqual(await db(`SELECT content_type, size_bytes, sha256 FROM document WHERE id = ${n(res.body.id)}`), [[type, String(body.length), sha256(body)]]);
    const dl = await get(`/api/v1/documents/${res.body.id}`, { token: terrain.token });
    assert.equal(dl.status, 200, show(dl));
    assert.ok(dl.raw.equals(body), `${name}: the same bytes`);
    assert.equal(dl.headers['content-type'].split(';')[0], type);
    assert.match(dl.headers['content-disposition'], /^attachment;/);
    assert.ok(dl.headers['content-disposition'].includes(`filename*=UTF-8''${encodeURIComponent(name).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`),
      `${name}: ${dl.headers['content-disposition']}`);
  }
  const slash = await upload(trainee, '../../etc/passwd.pdf', PDF);
  assertProblem(slash, 422, 'invalid_field', 'filename');
  await assertNotAudited(slash);
});

test('only the uploader deletes (403 for the other trio members); 204, the row gone, audited; then 404', async () => {
  const { trainee, terrain, inspe } = fx;
  const mine = await upload(trainee, 'a-retirer.pdf', PDF);
  assert.equal(mine.status, 201, show(mine));
  const theirs = await upload(inspe, 'grille.pdf', PDF);
  assert.equal(theirs.status, 201, show(theirs));
  await assertAudited(theirs, { action: 'document.upload', actor: inspe.me.id, type: 'document', id: theirs.body.id });

  for (const [who, doc] of [[terrain, mine], [inspe, mine], [trainee, theirs], [terrain, theirs]]) {
    const r = await del(`/api/v1/documents/${doc.body.id}`, { token: who.token });
    assertProblem(r, 403, 'forbidden');
    await assertNotAudited(r);
  }
  assert.equal(await dbCount(`SELECT COUNT(*) FROM document WHERE id IN (${n(mine.body.id)}, ${n(theirs.body.id)})`), 2, 'both kept');

  const gone = await del(`/api/v1/documents/${mine.body.id}`, { token: trainee.token });
  assert.equal(gone.status, 204, show(gone));
  assert.equal(gone.text, '');
  await assertAudited(gone, { action: 'document.delete', actor: trainee.me.id, type: 'document', id: mine.body.id });
  assert.equal(await dbCount(`SELECT COUNT(*) FROM document WHERE id = ${n(mine.body.id)}`), 0);
  assertProblem(await get(`/api/v1/documents/${mine.body.id}`, { token: trainee.token }), 404, 'not_found');
  const twice = await del(`/api/v1/documents/${mine.body.id}`, { token: trainee.token });
  assertProblem(twice, 404, 'not_found');
  await assertNotAudited(twice);

  const byInspe = await del(`/api/v1/documents/${theirs.body.id}`, { token: inspe.token });
  assert.equal(byInspe.status, 204, show(byInspe));
  await assertAudited(byInspe, { action: 'document.delete', actor: inspe.me.id, type: 'document', id: theirs.body.id });
  const tl = await get(`/api/v1/enrolments/${fx.enrolmentId}/timeline`, { token: trainee.token });
  assert.equal(tl.body.followups.find((f) => f.id === fid).documents, await docCount());
});

test('quotas: a full dossier is 413 dossier_quota_exceeded, a day\'s uploads per person 429 upload_quota_exceeded until midnight; nothing stored', async () => {
  const { trainee, terrain } = fx;
  const DOSSIER = configInt('uploads', 'dossier_mib', 200) * MB;
  const FILES = configInt('uploads', 'person_day_files', 100);
  const aid = fx.ids.lyon;
  // Documents already there, as earlier uploads would have left them (their
  // recorded size is what the quota adds up).
  const fake = (who, size, count = 1) => db(`INSERT INTO document (academy_id, id, followup_id, filename, content_type, size_bytes, sha256, content, uploaded_by, created_at)
    SELECT ${aid}, FLOOR(1e15 + RAND() * 1e15), ${n(fid)}, 'ancien.pdf', 'application/pdf', ${size}, REPEAT('0', 64), 'x', ${n(who.me.id)}, NOW(3)
    FROM seq_1_to_${count}`);
  const used = Number(await dbValue(`SELECT COALESCE(SUM(d.size_bytes), 0) FROM document d JOIN followup f ON f.academy_id = d.academy_id AND f.id = d.followup_id WHERE f.enrolment_id = ${n(fx.enrolmentId)}`));
  await fake(terrain, DOSSIER - used - 10);
  const before = await docCount();
  const full = await upload(trainee, 'encore.pdf', PDF);
  assert.equal(full.status, 413, show(full));
  assert.equal(full.body.code, 'dossier_quota_exceeded');
  assert.equal(full.body.field, 'file');
  assert.match(full.body.detail, /retirez des documents/);
  assert.equal(await docCount(), before, 'nothing stored');
  await db(`DELETE FROM document WHERE followup_id = ${n(fid)} AND filename = 'ancien.pdf'`);
  const room = await upload(trainee, 'encore.pdf', PDF);
  assert.equal(room.status, 201, `room again once documents are removed: ${show(room)}`);

  const today = Number(await dbValue(`SELECT COUNT(*) FROM document WHERE uploaded_by = ${n(trainee.me.id)} AND created_at >= UTC_DATE()`));
  await fake(trainee, 1, FILES - today);
  const tooMany = await upload(trainee, 'de-trop.pdf', PDF);
  assert.equal(tooMany.status, 429, show(tooMany));
  assert.equal(tooMany.body.code, 'upload_quota_exceeded');
  const ra = Number(tooMany.headers['retry-after']);
  assert.ok(ra >= 1 && ra <= 86400, `Retry-After until midnight UTC: ${tooMany.headers['retry-after']}`);
  assert.equal((await upload(terrain, 'du-tuteur.pdf', PDF)).status, 201, 'another person\'s quota is their own');
  await db(`DELETE FROM document WHERE followup_id = ${n(fid)} AND filename = 'ancien.pdf'`);
});

test('every successful write of this file left exactly one audit row under its X-Request-Id', async () => {
  await assertEveryWriteAudited(writes);
});
