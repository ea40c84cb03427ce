/*
 * The reminders' data functions (tutoratctl remind, tutorat_remind.c, and
 * the admin's routes); their statements, Q_REMIND_* of tutorat_sql_db.c,
 * say how a rule's steps find what is due.
 */
#include "db.h"
#include "req.h"
#include "tutorat_db.h"
#include "tutorat_sql.h"

enum err tdb_remind_rules(struct req *r, struct db_res *out)
{
	return db_rows(r, &Q_REMIND_RULES, out);
}

enum err tdb_remind_rule_set(struct req *r, const char *kind, const char *offsets, bool active,
			     bool *found)
{
	uint64_t n = 0;
	enum err e = db_run(r, &Q_REMIND_RULE_SET, &n, offsets, (int64_t)active, kind);

	*found = n > 0;
	return e;
}

enum err tdb_remind_due(struct req *r, const struct db_sql *finder, const char *steps,
			const char *today, struct db_res *out)
{
	return db_rows(r, finder, out, steps, today);
}

enum err tdb_remind_mark(struct req *r, const char *kind, int64_t object_id, int64_t step,
			 int64_t recipient_id, bool *first)
{
	uint64_t n = 0;
	enum err e = db_run(r, &Q_REMIND_SENT, &n, kind, object_id, step, recipient_id);

	*first = n == 1;
	return e;
}
