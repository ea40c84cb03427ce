/*
 * The retention module (issue 15, docs/rgpd.md): how long each kind of
 * personal record is kept, per académie (GET/PUT /api/v1/admin/retention),
 * and `tutoratctl purge`, which removes or anonymises what is past it.
 */
#ifndef TUTORAT_RETENTION_H
#define TUTORAT_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "problem.h"

struct req;
struct db_sql;
struct db_res;

/*
 * One table a kind purges: `purge` (the académie, then the cutoff and the
 * batch's size: "si") removes at most that many of its rows past
 * retention, or anonymises them where the row must stay. A `prepare` step
 * unlinks a reference the next steps need gone (a correction's link to
 * the entry it corrects): its rows are not counted as removed.
 */
struct retention_step {
	const char *table;
	const struct db_sql *purge;
	bool prepare;
};

/*
 * A kind of record and its retention: `default_days` from the date
 * `basis` names, unless the académie set its own (retention_rule), within
 * [min_days, max_days]. Its steps run in order, children first, and end
 * with a {0} entry. Adding a kind is one entry of retention_kinds[] with
 * its statements (docs/rgpd.md, "Adding a kind").
 */
struct retention_kind {
	const char *name;
	const char *label; /* French, for the admin's screen */
	const char *basis; /* French, for the admin: from what date the days run */
	int default_days, min_days, max_days;
	const struct retention_step *steps;
};

/* retention_kinds[] holds fewer (tests/unit/test_retention.c). */
#define RETENTION_MAX_KINDS 32

extern const struct retention_kind retention_kinds[]; /* ended by a {0} entry */
extern const struct db_sql *const retention_statements[];

const struct retention_kind *retention_kind_named(const char *name);

/* The académie's overrides: kind, days, updated_at. */
enum err retention_db_rules(struct req *r, struct db_res *out);
/* Sets (or replaces) the académie's retention of `kind`. */
enum err retention_db_set(struct req *r, const char *kind, int64_t days, int64_t updated_by);
/* Back to the default: the académie's row of `kind` removed. */
enum err retention_db_reset(struct req *r, const char *kind);

#endif
