/*
 * The calendar feed's data (GET /api/v1/calendar/{academy}/{token} and
 * /api/v1/me/calendar-feed, tutorat_feed.c): the person's feed secret,
 * kept as its SHA-256 (sql/010_notify.sql), and what the feed lists: the
 * follow-up times of the dossiers where the person is the trainee or a
 * current tutor (not cancelled), and the calendar's dates (the annuaire's
 * year_event) of those dossiers' years. One statement each, bounded.
 * Neither reads a note, an expectation or any other private text.
 */
#include "db.h"
#include "req.h"
#include "tutorat_db.h"
#include "tutorat_sql.h"

const struct db_sql Q_FEED_OF = {
    "SELECT DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ') AS created_at FROM calendar_feed "
    "WHERE academy_id = ? AND person_id = ?",
    "i", DB_COLS("created_at")};

const struct db_sql Q_FEED_SET = {
    "INSERT INTO calendar_feed (academy_id, person_id, token_hash, created_at) "
    "VALUES (?, ?, ?, NOW(3)) "
    "ON DUPLICATE KEY UPDATE token_hash = VALUES(token_hash), created_at = VALUES(created_at)",
    "ib", NULL};

const struct db_sql Q_FEED_DELETE = {
    "DELETE FROM calendar_feed WHERE academy_id = ? AND person_id = ?", "i", NULL};

/* The active person whose feed secret hashes to the value. */
const struct db_sql Q_FEED_OWNER = {
    "SELECT f.person_id FROM calendar_feed f "
    "JOIN person p ON p.academy_id = f.academy_id AND p.id = f.person_id AND p.active "
    "WHERE f.academy_id = ? AND f.token_hash = ?",
    "b", DB_COLS("person_id")};

/* The follow-up times of the person's dossiers (trainee or current tutor),
 * with the trainee's name and the school of the place, in local time. */
const struct db_sql Q_FEED_FOLLOWUPS = {
    "SELECT f.id, f.kind, f.state, DATE_FORMAT(f.scheduled_at, '%Y%m%dT%H%i%s') AS starts, "
    "DATE_FORMAT(f.scheduled_at + INTERVAL 1 HOUR, '%Y%m%dT%H%i%s') AS ends, "
    "p.display_name AS trainee_name, s.name AS school_name "
    "FROM followup f "
    "JOIN enrolment e ON e.academy_id = f.academy_id AND e.id = f.enrolment_id "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "LEFT JOIN enrolment_place ep ON ep.academy_id = f.academy_id AND ep.id = f.place_id "
    "LEFT JOIN structure s ON s.academy_id = ep.academy_id AND s.id = ep.school_id "
    "WHERE f.academy_id = ? AND f.state <> 'cancelled' AND (e.trainee_id = ? OR EXISTS ("
    "  SELECT 1 FROM trio_member tm WHERE tm.academy_id = e.academy_id "
    "  AND tm.enrolment_id = e.id AND tm.person_id = ? AND tm.ended_at IS NULL)) "
    "ORDER BY f.scheduled_at, f.id LIMIT 1000",
    "ii", DB_COLS("id", "kind", "state", "starts", "ends", "trainee_name", "school_name")};

/* The calendar's dates of the years of the person's dossiers, as all-day
 * events (DTEND is the day after the last one, RFC 5545 §3.6.1). */
const struct db_sql Q_FEED_YEAR_EVENTS = {
    "SELECT ye.id, ye.kind, ye.label, DATE_FORMAT(ye.starts_on, '%Y%m%d') AS starts, "
    "DATE_FORMAT(ye.ends_on + INTERVAL 1 DAY, '%Y%m%d') AS ends "
    "FROM year_event ye WHERE ye.academy_id = ? AND ye.year_id IN ("
    "  SELECT e.year_id FROM enrolment e WHERE e.academy_id = ye.academy_id "
    "  AND (e.trainee_id = ? OR EXISTS (SELECT 1 FROM trio_member tm "
    "    WHERE tm.academy_id = e.academy_id AND tm.enrolment_id = e.id "
    "    AND tm.person_id = ? AND tm.ended_at IS NULL))) "
    "ORDER BY ye.starts_on, ye.id LIMIT 500",
    "ii", DB_COLS("id", "kind", "label", "starts", "ends")};

enum err tdb_feed_of(struct req *r, int64_t person_id, const char **created_at)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_FEED_OF, &res, person_id);

	*created_at = e == ERR_OK && res.n_rows == 1 ? db_str(&res, 0, "created_at") : NULL;
	return e;
}

enum err tdb_feed_set(struct req *r, int64_t person_id, const unsigned char hash[32])
{
	return db_run(r, &Q_FEED_SET, NULL, person_id, (const void *)hash, (size_t)32);
}

enum err tdb_feed_delete(struct req *r, int64_t person_id, bool *deleted)
{
	uint64_t n = 0;
	enum err e = db_run(r, &Q_FEED_DELETE, &n, person_id);

	*deleted = n > 0;
	return e;
}

enum err tdb_feed_owner(struct req *r, const unsigned char hash[32], int64_t *person_id)
{
	struct db_res res;
	enum err e = db_one(r, &Q_FEED_OWNER, &res, (const void *)hash, (size_t)32);

	if (e == ERR_OK)
		*person_id = db_int(&res, 0, "person_id");
	return e;
}

enum err tdb_feed_events(struct req *r, int64_t person_id, struct db_res *followups,
			 struct db_res *year_events)
{
	enum err e = db_rows(r, &Q_FEED_FOLLOWUPS, followups, person_id, person_id);

	return e != ERR_OK ? e
			   : db_rows(r, &Q_FEED_YEAR_EVENTS, year_events, person_id, person_id);
}
