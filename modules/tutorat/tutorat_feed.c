/*
 * The calendar feed (issue 9 §5): each person's visits, meetings and
 * deadlines as an iCalendar (RFC 5545) document at a secret URL they can
 * renew and revoke, for a calendar application that cannot sign in.
 *
 *   GET    /api/v1/me/calendar-feed              whether the caller has one
 *   POST   /api/v1/me/calendar-feed              a new secret (replaces the old)
 *   DELETE /api/v1/me/calendar-feed              revoke
 *   GET    /api/v1/calendar/{academy}/{token}    the feed (public: the secret is the key)
 *
 * The secret is 32 random bytes, base64url in the URL; the database keeps
 * only its SHA-256 (calendar_feed), looked up within the académie of the
 * path. Neither the audit trail nor a log line holds it (server/log.c
 * writes a path whose route has a {token} without it; the nginx templates
 * likewise). The feed lists titles, dates and places, never private text.
 * Times are the académies' local time, written with TZID=Europe/Paris and
 * its VTIMEZONE.
 */
#include "audit.h"
#include "config.h"
#include "db.h"
#include "ical.h"
#include "req.h"
#include "tutorat.h"
#include "tutorat_db.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOKEN_BYTES 32
#define TOKEN_CHARS 43 /* base64url of 32 bytes, unpadded */

/* The académie's address for links: base_url (defaults to the issuer). */
static const char *base_url(const struct academy_cfg *a)
{
	return a->base_url != NULL ? a->base_url : a->issuer;
}

/* The host part of a URL ("https://tutorat.ac-x.fr:8443/y" -> "tutorat.ac-x.fr"),
 * for the events' UIDs. */
static const char *url_host(struct req *r, const char *url)
{
	const char *p = strstr(url, "://");
	size_t n;

	p = p != NULL ? p + 3 : url;
	n = strcspn(p, ":/?#");
	return n > 0 ? arena_strndup(r->arena, p, n) : "tutorat";
}

/* GET /api/v1/me/calendar-feed — any signed-in person: whether their feed
 * is active and since when. 200. */
enum err tutorat_h_feed_get(struct req *r)
{
	const char *created_at = NULL;
	enum err e = tdb_feed_of(r, r->who.person_id, &created_at);

	if (e != ERR_OK)
		return e;
	reply_json(r, 200,
		   json_pack("{s:b, s:s?}", "active", created_at != NULL, "created_at", created_at));
	return ERR_OK;
}

/* POST /api/v1/me/calendar-feed — any signed-in person: a new secret URL
 * for their feed; the old one stops working. 201 {"url"}. Audited
 * calendar_feed.create, without the secret. */
enum err tutorat_h_feed_create(struct req *r)
{
	unsigned char secret[TOKEN_BYTES], hash[32];
	char token[TOKEN_CHARS + 1];
	enum err e;

	if (!random_bytes(secret, sizeof(secret)) ||
	    b64url_encode_buf(token, sizeof(token), secret, sizeof(secret)) != TOKEN_CHARS)
		return fail_internal(r, ERR_INTERNAL, "no randomness for the feed secret");
	sha256(token, TOKEN_CHARS, hash);
	e = tdb_feed_set(r, r->who.person_id, hash);
	if (e == ERR_OK)
		e = audit_record(r, "calendar_feed.create", "person", r->who.person_id, NULL);
	if (e != ERR_OK)
		return e;
	reply_json(r, 201,
		   json_pack("{s:s}", "url",
			     arena_printf(r->arena, "%s/api/v1/calendar/%s/%s",
					  base_url(r->tenant), r->tenant->code, token)));
	return ERR_OK;
}

/* DELETE /api/v1/me/calendar-feed — any signed-in person: their feed's URL
 * stops working. 204 (also when there was none). Audited
 * calendar_feed.revoke. */
enum err tutorat_h_feed_revoke(struct req *r)
{
	bool deleted = false;
	enum err e = tdb_feed_delete(r, r->who.person_id, &deleted);
	json_t *d;

	if (e != ERR_OK)
		return e;
	d = jarena(r, json_pack("{s:b}", "existed", deleted));
	e = audit_record(r, "calendar_feed.revoke", "person", r->who.person_id, d);
	if (e == ERR_OK)
		reply_empty(r, 204);
	return e;
}

/* The zone of the times written with TZID (RFC 5545 §3.6.5): the EU rule
 * since 1996, enough for any date the service holds. */
static void vtimezone(struct ical *c)
{
	ical_raw(c, "BEGIN", "VTIMEZONE");
	ical_raw(c, "TZID", "Europe/Paris");
	ical_raw(c, "BEGIN", "DAYLIGHT");
	ical_raw(c, "TZOFFSETFROM", "+0100");
	ical_raw(c, "TZOFFSETTO", "+0200");
	ical_raw(c, "TZNAME", "CEST");
	ical_raw(c, "DTSTART", "19700329T020000");
	ical_raw(c, "RRULE", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU");
	ical_raw(c, "END", "DAYLIGHT");
	ical_raw(c, "BEGIN", "STANDARD");
	ical_raw(c, "TZOFFSETFROM", "+0200");
	ical_raw(c, "TZOFFSETTO", "+0100");
	ical_raw(c, "TZNAME", "CET");
	ical_raw(c, "DTSTART", "19701025T030000");
	ical_raw(c, "RRULE", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU");
	ical_raw(c, "END", "STANDARD");
	ical_raw(c, "END", "VTIMEZONE");
}

/* The French name of a follow-up kind, as the screens show it. */
static const char *followup_label(const char *kind)
{
	static const char *const names[][2] = {
	    {"visit", "Visite"},
	    {"interview", "Entretien"},
	    {"working_session", "Temps de travail"},
	    {"peer_observation", "Observation par des pairs"},
	    {"point_etape", "Point d’étape"},
	    {"visite_conseil", "Visite d’aide et de conseil"},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i][0], kind) == 0)
			return names[i][1];
	return "Temps de suivi";
}

/* The whole document: the person's follow-up times (timed, one hour) and
 * the calendar's dates of their years (all-day). */
static void write_feed(struct req *r, struct ical *c, const struct db_res *fu,
		       const struct db_res *ye)
{
	const char *host = url_host(r, base_url(r->tenant)), *base = base_url(r->tenant);
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	ical_raw(c, "BEGIN", "VCALENDAR");
	ical_raw(c, "VERSION", "2.0");
	ical_raw(c, "PRODID", "-//Tutorat//Calendrier//FR");
	ical_raw(c, "CALSCALE", "GREGORIAN");
	ical_raw(c, "METHOD", "PUBLISH");
	ical_text(c, "X-WR-CALNAME", arena_printf(r->arena, "Tutorat — %s", r->tenant->name));
	ical_raw(c, "X-WR-TIMEZONE", "Europe/Paris");
	vtimezone(c);
	for (size_t i = 0; i < fu->n_rows; i++) {
		int64_t id = db_int(fu, i, "id");
		const char *school = db_str(fu, i, "school_name");

		ical_raw(c, "BEGIN", "VEVENT");
		ical_raw(c, "UID", arena_printf(r->arena, "followup-%lld@%s", (long long)id, host));
		ical_raw(c, "DTSTAMP", stamp);
		ical_raw(c, "DTSTART;TZID=Europe/Paris", db_str(fu, i, "starts"));
		ical_raw(c, "DTEND;TZID=Europe/Paris", db_str(fu, i, "ends"));
		ical_text(c, "SUMMARY",
			  arena_printf(r->arena, "%s — %s", followup_label(db_str(fu, i, "kind")),
				       db_str(fu, i, "trainee_name")));
		if (school != NULL)
			ical_text(c, "LOCATION", school);
		ical_raw(c, "URL",
			 arena_printf(r->arena, "%s/app.html#/temps-de-suivi/%lld", base,
				      (long long)id));
		ical_raw(c, "END", "VEVENT");
	}
	for (size_t i = 0; i < ye->n_rows; i++) {
		ical_raw(c, "BEGIN", "VEVENT");
		ical_raw(c, "UID",
			 arena_printf(r->arena, "year_event-%lld@%s",
				      (long long)db_int(ye, i, "id"), host));
		ical_raw(c, "DTSTAMP", stamp);
		ical_raw(c, "DTSTART;VALUE=DATE", db_str(ye, i, "starts"));
		ical_raw(c, "DTEND;VALUE=DATE", db_str(ye, i, "ends"));
		ical_text(c, "SUMMARY", db_str(ye, i, "label"));
		ical_raw(c, "TRANSP", "TRANSPARENT");
		ical_raw(c, "END", "VEVENT");
	}
	ical_raw(c, "END", "VCALENDAR");
}

/*
 * GET /api/v1/calendar/{academy}/{token} — public: the secret in the path
 * is the key. The académie of the path is the tenant; an unknown académie,
 * a malformed or unknown secret, a revoked one and another académie's
 * all get the same 404. 200 text/calendar.
 */
enum err tutorat_h_calendar(struct req *r)
{
	const char *code = arg_str(r, "academy"), *token = arg_str(r, "token");
	const struct academy_cfg *a = config_academy(r->cfg, code, strlen(code));
	struct db_res fu, ye;
	unsigned char hash[32];
	int64_t person_id = 0;
	struct ical c;
	enum err e;

	if (a == NULL || strlen(token) != TOKEN_CHARS || !b64url_valid(token, TOKEN_CHARS))
		return fail(r, ERR_NOT_FOUND, NULL, NULL);
	r->tenant = a;
	sha256(token, TOKEN_CHARS, hash);
	e = tdb_feed_owner(r, hash, &person_id);
	if (e == ERR_NOT_FOUND)
		return fail(r, ERR_NOT_FOUND, NULL, NULL);
	if (e == ERR_OK)
		e = tdb_feed_events(r, person_id, &fu, &ye);
	if (e != ERR_OK)
		return e;
	ical_init(&c);
	write_feed(r, &c, &fu, &ye);
	if (!c.ok) {
		free(c.buf);
		return fail_internal(r, ERR_INTERNAL, "calendar rendering failed");
	}
	arena_defer(r->arena, free, c.buf);
	r->status = 200;
	r->reply_type = "text/calendar; charset=utf-8";
	r->raw_reply = c.buf;
	r->raw_len = c.len;
	return ERR_OK;
}
