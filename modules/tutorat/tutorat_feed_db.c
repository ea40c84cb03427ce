/*
 * The calendar feed's data (GET /api/v1/calendar/{academy}/{token} and
 * /api/v1/me/calendar-feed, tutorat_feed.c): the person's feed secret,
 * kept as its SHA-256 (sql/010_notify.sql), and what the feed lists: the
 * follow-up times of the dossiers where the person is the trainee or a
 * current tutor (not cancelled), and the calendar's dates (the annuaire's
 * year_event) of those dossiers' years. One statement each, bounded
 * (Q_FEED_* of tutorat_sql_db.c). Neither reads a note, an expectation or
 * any other private text.
 */
#include "db.h"
#include "req.h"
#include "tutorat_db.h"
#include "tutorat_sql.h"

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
