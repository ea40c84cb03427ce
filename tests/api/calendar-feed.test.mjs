// Issue 9 §5: each person's calendar feed (RFC 5545) at a secret URL they
// renew and revoke. The feed is read by a real iCalendar parser (Debian's
// python3-icalendar, run with the system's /usr/bin/python3) and shows the
// demo year's visits of Lyon: tuteur.terrain1 tutors Camille Martin and
// Julien Bernard; a cancelled time is left out; no private text (notes,
// expectations) is in it. A revoked or renewed URL, another académie's
// secret, an unknown académie: the same 404, byte for byte. Neither the
// audit trail nor a log keeps the secret.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  get, post, del, show, as, db, dbValue, auditRows, academy, STATE_DIR, tutoratdLog, ON_CLUSTER, tail,
} from '../lib/index.mjs';

const revoke = [];
after(async () => { for (const who of revoke) await del('/api/v1/me/calendar-feed', { token: who.token }); });

/** The path of a feed URL (the URL starts with the académie's base_url, not the stack's address). */
const pathOf = (url) => new URL(url).pathname;

/** The calendar parsed by python3-icalendar: {name, timezones, events: [{uid, summary, start, end, allDay, location, url}]}. */
function parse(text) {
  const script = `
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(sys.stdin.buffer.read())
out = {"name": str(cal.get("X-WR-CALNAME")), "version": str(cal.get("VERSION")),
       "prodid": str(cal.get("PRODID")), "timezones": [], "events": []}
for c in cal.walk():
    if c.name == "VTIMEZONE":
        out["timezones"].append(str(c.get("TZID")))
    if c.name != "VEVENT":
        continue
    s, e = c.decoded("DTSTART"), c.decoded("DTEND")
    timed = hasattr(s, "hour")
    out["events"].append({
        "uid": str(c.get("UID")), "summary": str(c.get("SUMMARY")),
        "start": s.isoformat(), "end": e.isoformat(), "allDay": not timed,
        "tz": str(s.tzinfo) if timed and s.tzinfo else None,
        "location": str(c.get("LOCATION")) if c.get("LOCATION") else None,
        "url": str(c.get("URL")) if c.get("URL") else None,
        "stamp": c.decoded("DTSTAMP").isoformat()})
print(json.dumps(out))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: Buffer.from(text, 'utf8') });
  assert.equal(r.status, 0, `python3-icalendar refused the feed: ${r.stderr}`);
  return JSON.parse(r.stdout.toString('utf8'));
}

async function newFeed(who) {
  const res = await post('/api/v1/me/calendar-feed', {}, { token: who.token });
  assert.equal(res.status, 201, show(res));
  if (!revoke.includes(who)) revoke.push(who);
  return res;
}

test('a tutor\'s feed: the demo visits with their school, the calendar\'s dates, nothing private', async () => {
  const tutor = await as('lyon', 'tuteur.terrain1');
  const res = await newFeed(tutor);
  const { issuer, base_url: baseUrl } = academy('lyon');
  assert.match(res.body.url, /\/api\/v1\/calendar\/lyon\/[A-Za-z0-9_-]{43}$/);
  // The académie's address for its links: base_url, the issuer by default.
  assert.ok(res.body.url.startsWith(`${baseUrl || issuer}/api/v1/calendar/lyon/`), res.body.url);
  const status = await get('/api/v1/me/calendar-feed', { token: tutor.token });
  assert.equal(status.status, 200, show(status));
  assert.equal(status.body.active, true);
  assert.match(status.body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  const feed = await get(pathOf(res.body.url));
  assert.equal(feed.status, 200, show(feed));
  assert.equal(feed.headers['content-type'], 'text/calendar; charset=utf-8');
  assert.ok(feed.body.split('\n').every((l) => l === '' || l.endsWith('\r')), 'every line ends with CRLF');
  assert.ok(feed.body.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'lines folded at 75 octets');
  const cal = parse(feed.body);
  assert.equal(cal.version, '2.0');
  assert.ok(cal.prodid.length > 0);
  const name = await dbValue("SELECT name FROM academy WHERE code = 'lyon'");
  assert.equal(cal.name, `Tutorat — ${academy('lyon').name ?? name}`);
  assert.deepEqual(cal.timezones, ['Europe/Paris']);

  const [[camille], [julien]] = await db('SELECT display_name FROM person WHERE id IN (200001, 200002) ORDER BY id');
  const school = await dbValue('SELECT s.name FROM enrolment_place ep JOIN structure s ON s.academy_id = ep.academy_id AND s.id = ep.school_id WHERE ep.id = 200111');
  const base = baseUrl || issuer;
  const host = new URL(base).hostname;
  const visit = cal.events.find((e) => e.uid === `followup-200131@${host}`);
  assert.ok(visit, `the visit of 6 October 2026 is in the feed: ${JSON.stringify(cal.events.map((e) => e.uid))}`);
  assert.equal(visit.summary, `Visite — ${camille}`);
  assert.equal(visit.start, '2026-10-06T09:00:00+02:00', 'local time of Paris (summer time)');
  assert.equal(visit.tz, 'Europe/Paris');
  assert.equal(visit.location, school);
  assert.equal(visit.url, `${base}/app.html#/temps-de-suivi/200131`);
  const winter = cal.events.find((e) => e.uid === `followup-200135@${host}`);
  assert.equal(winter?.start, '2027-02-02T09:00:00+01:00', 'local time of Paris (winter time)');
  const interview = cal.events.find((e) => e.uid === `followup-200132@${host}`);
  assert.equal(interview?.summary, `Entretien — ${camille}`);
  assert.equal(interview.location, null, 'a time without a place has no LOCATION');
  assert.ok(cal.events.some((e) => e.uid === `followup-200232@${host}` && e.summary === `Visite — ${julien}`));
  assert.ok(!cal.events.some((e) => e.uid === `followup-200233@${host}`), 'a cancelled time is not in the feed');

  // The calendar's dates of their year, all-day (DTEND the day after).
  const events = await db(`SELECT ye.id, ye.label, DATE_FORMAT(ye.starts_on, '%Y-%m-%d'), DATE_FORMAT(ye.ends_on + INTERVAL 1 DAY, '%Y-%m-%d')
    FROM year_event ye JOIN enrolment e ON e.academy_id = ye.academy_id AND e.year_id = ye.year_id WHERE e.id = 200101`);
  assert.ok(events.length > 0, 'the demo year has calendar dates');
  for (const [id, label, starts, ends] of events) {
    const ev = cal.events.find((e) => e.uid === `year_event-${id}@${host}`);
    assert.ok(ev, `year event ${label} is in the feed`);
    assert.deepEqual([ev.summary, ev.start, ev.end, ev.allDay], [label, starts, ends, true]);
  }

  // No private text: notes, expectations, points to observe of the demo visits.
  for (const [text] of await db('SELECT observation_notes FROM followup WHERE id = 200131 UNION ALL SELECT expectations FROM followup WHERE id = 200131 UNION ALL SELECT points_to_observe FROM followup WHERE id = 200134')) {
    assert.ok(!feed.body.replace(/\r\n /g, '').includes(text.slice(0, 30).replace(/[,;]/g, (c) => `\\${c}`)), `no private text: ${text.slice(0, 30)}`);
  }
});

test('the trainee\'s feed lists their own times only', async () => {
  const trainee = await as('lyon', 'stagiaire1');
  const res = await newFeed(trainee);
  const cal = parse((await get(pathOf(res.body.url))).body);
  const followups = cal.events.filter((e) => e.uid.startsWith('followup-')).map((e) => Number(/followup-(\d+)@/.exec(e.uid)[1]));
  const own = (await db("SELECT f.id FROM followup f JOIN enrolment e ON e.academy_id = f.academy_id AND e.id = f.enrolment_id JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id WHERE p.username = 'stagiaire1' AND f.state <> 'cancelled' AND p.academy_id = (SELECT id FROM academy WHERE code = 'lyon') ORDER BY f.scheduled_at, f.id")).map(([id]) => Number(id));
  assert.ok(own.length > 0);
  assert.deepEqual(followups, own);
});

test('revoke, renew: the old URL is a 404 like an unknown one; the audit rows hold no secret', async () => {
  const tutor = await as('lyon', 'tuteur.inspe1');
  const first = await newFeed(tutor);
  assert.deepEqual((await auditRows(first.headers['x-request-id'])).map((a) => [a.action, a.object_type, a.object_id]),
    [['calendar_feed.create', 'person', tutor.me.id]]);
  assert.equal((await get(pathOf(first.body.url))).status, 200);

  const second = await newFeed(tutor);
  assert.notEqual(second.body.url, first.body.url);
  const unknown = await get(`/api/v1/calendar/lyon/${'A'.repeat(43)}`);
  assert.equal(unknown.status, 404);
  const renewed = await get(pathOf(first.body.url));
  assert.equal(renewed.status, 404, 'the URL before renewal is dead');
  assert.deepEqual(renewed.body, unknown.body);
  assert.equal((await get(pathOf(second.body.url))).status, 200);

  const gone = await del('/api/v1/me/calendar-feed', { token: tutor.token });
  assert.equal(gone.status, 204, show(gone));
  assert.deepEqual((await auditRows(gone.headers['x-request-id'])).map((a) => a.action), ['calendar_feed.revoke']);
  const revoked = await get(pathOf(second.body.url));
  assert.equal(revoked.status, 404);
  assert.equal(JSON.stringify(revoked.body), JSON.stringify(unknown.body));
  const status = await get('/api/v1/me/calendar-feed', { token: tutor.token });
  assert.deepEqual(status.body, { active: false, created_at: null });

  const secrets = [first, second].map((r) => r.body.url.split('/').pop());
  const details = await db("SELECT COALESCE(detail, '') FROM audit_log WHERE action LIKE 'calendar_feed.%'");
  for (const s of secrets) assert.ok(!details.some(([d]) => d.includes(s)), 'no secret in the audit trail');
});

test('another académie\'s secret, an unknown académie, a malformed secret: the same 404 byte for byte', async () => {
  const tutor = await as('lyon', 'tuteur.terrain1');
  const res = await newFeed(tutor);
  const secret = res.body.url.split('/').pop();
  const unknown = await get(`/api/v1/calendar/lyon/${'A'.repeat(43)}`);
  const answers = [
    await get(`/api/v1/calendar/grenoble/${secret}`),
    await get(`/api/v1/calendar/nowhere/${secret}`),
    await get('/api/v1/calendar/lyon/short'),
    await get(`/api/v1/calendar/lyon/${secret.slice(0, 42)}*`),
  ];
  for (const a of answers) {
    assert.equal(a.status, 404, show(a));
    assert.equal(a.headers['content-type'], unknown.headers['content-type']);
    assert.equal(JSON.stringify(a.body), JSON.stringify(unknown.body));
  }
  assert.equal((await get(pathOf(res.body.url))).status, 200, 'the secret works in its own académie');
});

test('the feed\'s secret is in no log: nginx\'s access log and tutoratd\'s lines have the path without it', { skip: ON_CLUSTER }, async () => {
  const tutor = await as('lyon', 'tuteur.terrain1');
  const res = await newFeed(tutor);
  const secret = res.body.url.split('/').pop();
  const feed = await get(pathOf(res.body.url));
  assert.equal(feed.status, 200);
  const rid = feed.headers['x-request-id'];
  const access = join(STATE_DIR, 'log', 'nginx-access.log');
  // Both logs are written before the answer leaves (nginx logs at the end of the request: poll a little).
  let nginxLine;
  for (let i = 0; i < 50 && !nginxLine; i++) {
    nginxLine = existsSync(access) && tail(access).split('\n').find((l) => l.includes(`rid=${rid}`));
    if (!nginxLine) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(nginxLine, 'nginx logged the request');
  assert.match(nginxLine, /"GET \/api\/v1\/calendar\/lyon\/- HTTP\/1\.1"/);
  const log = tutoratdLog();
  const line = log.split('\n').find((l) => l.includes(rid));
  assert.ok(line, 'tutoratd logged the request');
  assert.equal(JSON.parse(line).path, '/api/v1/calendar/lyon/-');
  assert.ok(!tail(access).includes(secret), 'not in the access log');
  assert.ok(!log.includes(secret), 'not in tutoratd\'s log');
});
