/*
 * The retention module (issue 15, docs/rgpd.md): the académie's retention
 * of each kind of personal record (GET/PUT /api/v1/admin/retention) and
 * `tutoratctl purge [--academy CODE] [--dry-run]`, which removes what is
 * past it, kind by kind, table by table (children first), in batches of
 * PURGE_BATCH rows, each batch in its own transaction, and records one
 * audit row per kind with the number of rows per table (never content).
 */
#include "audit.h"
#include "config.h"
#include "db.h"
#include "modules.h"
#include "req.h"
#include "retention.h"
#include "util.h"
#include "worker.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Rows per transaction: a purge never holds locks on more at once. */
#define PURGE_BATCH 500

/* ---- the admin's routes ---- */

/* {"kinds": [{kind, label, basis, days, default_days, min_days, max_days,
 * custom, updated_at}]}, in the order of retention_kinds[]. */
static enum err kinds_json(struct req *r, json_t **out)
{
	struct db_res res;
	enum err e = retention_db_rules(r, &res);
	json_t *list;

	if (e != ERR_OK)
		return e;
	list = json_array();
	for (const struct retention_kind *k = retention_kinds; k->name != NULL; k++) {
		json_int_t days = k->default_days;
		const char *updated_at = NULL;

		for (size_t i = 0; i < res.n_rows; i++) {
			if (strcmp(db_str(&res, i, "kind"), k->name) == 0) {
				days = (json_int_t)db_int(&res, i, "days");
				updated_at = db_str(&res, i, "updated_at");
			}
		}
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:b, s:o}", "kind",
				    k->name, "label", k->label, "basis", k->basis, "days", days,
				    "default_days", (json_int_t)k->default_days, "min_days",
				    (json_int_t)k->min_days, "max_days", (json_int_t)k->max_days,
				    "custom", updated_at != NULL, "updated_at", JSTR(updated_at)));
	}
	*out = json_pack("{s:o}", "kinds", list);
	return ERR_OK;
}

/* GET /api/v1/admin/retention — admin: every kind of record with the
 * académie's retention (its own or the default). 200. */
static enum err h_retention(struct req *r)
{
	json_t *out;
	enum err e = kinds_json(r, &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/*
 * PUT /api/v1/admin/retention — admin: {"kinds": [{kind, days}]} sets the
 * académie's retention of those kinds, all or nothing; days equal to the
 * default remove the académie's own value. An unknown kind is 422 naming
 * kinds[i].kind (by the route's declaration), a kind given twice too;
 * days outside the kind's bounds are 422 naming kinds[i].days. 200 with
 * every kind; audited retention.update with the kinds and days set.
 */
static enum err h_retention_put(struct req *r)
{
	json_t *kinds = arg_list(r, "kinds"), *it, *set = jarena(r, json_array()), *out;
	size_t i;
	enum err e = ERR_OK;

	json_array_foreach(kinds, i, it)
	{
		const char *name = json_string_value(json_object_get(it, "kind"));
		json_int_t days = json_integer_value(json_object_get(it, "days"));
		const struct retention_kind *k = retention_kind_named(name);

		for (size_t j = 0; j < i; j++)
			if (strcmp(json_string_value(
				       json_object_get(json_array_get(kinds, j), "kind")),
				   name) == 0)
				return fail(r, ERR_INVALID_FIELD,
					    arena_printf(r->arena, "kinds[%zu].kind", i),
					    "Type de données donné deux fois.");
		if (k == NULL) /* the declaration's check let it through: cannot happen */
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "kinds[%zu].kind", i),
				    "Type de données inconnu.");
		if (days < k->min_days || days > k->max_days)
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "kinds[%zu].days", i),
				    arena_printf(r->arena, "Entre %d et %d jours.", k->min_days,
						 k->max_days));
		e = days == k->default_days ? retention_db_reset(r, name)
					    : retention_db_set(r, name, days, r->who.person_id);
		if (e != ERR_OK)
			return e;
		json_array_append_new(set, json_pack("{s:s, s:I}", "kind", name, "days", days));
	}
	e = audit_record(r, "retention.update", "retention_rule", 0,
			 jarena(r, json_pack("{s:O}", "kinds", set)));
	if (e == ERR_OK)
		e = kinds_json(r, &out);
	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* ---- tutoratctl purge ---- */

/* The rows a kind removed (or would), per table, in the order of its steps. */
struct purge_tally {
	json_t *rows; /* {table: n} */
	int64_t total;
};

static void tally_add(struct purge_tally *t, const char *table, int64_t n)
{
	json_t *prev = json_object_get(t->rows, table);

	if (n == 0)
		return;
	json_object_set_new(t->rows, table,
			    json_integer((prev != NULL ? json_integer_value(prev) : 0) + n));
	t->total += n;
}

/* "YYYY-MM-DD HH:MM:SS", UTC (the session's time zone, db.c), `days` ago. */
static void cutoff_of(int days, char *buf, size_t len)
{
	time_t t = time(NULL) - (time_t)days * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/*
 * One step of a kind: batches of its statement until one changes fewer
 * than PURGE_BATCH rows. In a run, each batch is a transaction, and the
 * last batch of the kind's last step carries the kind's audit row (when
 * the kind removed anything): the counts are recorded with the last
 * change. In a dry run the académie's one transaction holds them all.
 */
static enum err purge_step(struct req *r, const struct retention_kind *k,
			   const struct retention_step *s, bool last, const char *cutoff, int days,
			   bool dry_run, struct purge_tally *t)
{
	for (;;) {
		uint64_t n = 0;
		enum err e = dry_run ? ERR_OK : db_begin(r);

		if (e == ERR_OK)
			e = db_run(r, s->purge, &n, cutoff, (int64_t)PURGE_BATCH);
		if (e == ERR_OK && !s->prepare)
			tally_add(t, s->table, (int64_t)n);
		if (e == ERR_OK && !dry_run && last && n < PURGE_BATCH && t->total > 0)
			e = audit_record(r, "retention.purge", "retention_kind", 0,
					 jarena(r, json_pack("{s:s, s:i, s:O}", "kind", k->name,
							     "days", days, "rows", t->rows)));
		if (!dry_run && e == ERR_OK)
			e = db_commit(r);
		else if (!dry_run)
			db_rollback(r);
		arena_reset(r->arena);
		if (e != ERR_OK || n < PURGE_BATCH)
			return e;
	}
}

/* One kind of one académie, with its retention (the académie's or the
 * default): its steps in order; prints one JSON line. */
static bool purge_kind(struct req *r, const struct retention_kind *k, int days, bool dry_run)
{
	char cutoff[32];
	struct purge_tally t = {json_object(), 0};
	enum err e = ERR_OK;
	char *line;
	json_t *o;

	cutoff_of(days, cutoff, sizeof(cutoff));
	for (const struct retention_step *s = k->steps; s->table != NULL && e == ERR_OK; s++)
		e = purge_step(r, k, s, s[1].table == NULL, cutoff, days, dry_run, &t);
	o = json_pack("{s:s, s:s, s:i, s:s, s:b, s:I, s:O}", "academy", r->tenant->code, "kind",
		      k->name, "days", days, "before", cutoff, "dry_run", dry_run, "total",
		      (json_int_t)t.total, "rows", t.rows);
	if (e != ERR_OK)
		json_object_set_new(o, "error", json_string(problem_get(e)->code));
	line = json_dumps(o, JSON_COMPACT);
	printf("%s\n", line != NULL ? line : "{}");
	fflush(stdout);
	free(line);
	json_decref(o);
	json_decref(t.rows);
	return e == ERR_OK;
}

/*
 * Every kind of one académie, with its own connection. A dry run does
 * the same work in one transaction that it rolls back: its counts are
 * those the run would report, a person's anonymisation after the removal
 * of their last dossier included, and nothing stays changed (it holds the
 * rows' locks while it runs: an operator's tool, not the timer's).
 */
static bool purge_academy(const struct config *cfg, const struct academy_cfg *a, void *arg)
{
	bool dry_run = *(const bool *)arg;
	struct server srv = {.cfg = cfg};
	struct worker *w = worker_new(&srv, 0);
	struct req r;
	struct db_res res = {0};
	int days[RETENTION_MAX_KINDS] = {0};
	size_t n = 0;
	bool ok = true;

	worker_ctl_request(&r, w, a, "purge");
	if (retention_db_rules(&r, &res) != ERR_OK || (dry_run && db_begin(&r) != ERR_OK)) {
		fprintf(stderr, "tutoratctl: purge %s: database unavailable\n", a->code);
		ok = false;
	}
	/* The académie's values, copied out of the arena the batches reset. */
	for (const struct retention_kind *k = retention_kinds;
	     k->name != NULL && n < RETENTION_MAX_KINDS; k++, n++) {
		days[n] = k->default_days;
		for (size_t i = 0; ok && i < res.n_rows; i++)
			if (strcmp(k->name, db_str(&res, i, "kind")) == 0)
				days[n] = (int)db_int(&res, i, "days");
	}
	arena_reset(&w->arena);
	n = 0;
	for (const struct retention_kind *k = retention_kinds;
	     ok && k->name != NULL && n < RETENTION_MAX_KINDS; k++, n++)
		ok = purge_kind(&r, k, days[n], dry_run);
	if (dry_run)
		db_rollback(&r);
	arena_reset(&w->arena);
	worker_free(w);
	return ok;
}

/*
 * tutoratctl purge [--academy CODE] [--dry-run]: every académie (or the
 * one named), every kind; one JSON line per académie and kind with the
 * rows removed per table. --dry-run prints the same and changes nothing.
 * Exit 0, or 1 when an académie stopped on an error (what its batches
 * removed before it stays removed, and audited).
 */
static int purge_main(const struct config *cfg, const char *academy, int argc, char **argv)
{
	bool dry_run = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0) {
			dry_run = true;
		} else if (strcmp(argv[i], "--academy") == 0 && i + 1 < argc) {
			academy = argv[++i];
		} else {
			fprintf(stderr,
				"usage: tutoratctl -c CONFIG purge [--academy CODE] [--dry-run]\n");
			return 2;
		}
	}
	return config_each_academy(cfg, academy, purge_academy, &dry_run);
}

/* ---- the module ---- */

static bool kind_ok(const char *s, size_t n)
{
	for (const struct retention_kind *k = retention_kinds; k->name != NULL; k++)
		if (strlen(k->name) == n && memcmp(k->name, s, n) == 0)
			return true;
	return false;
}

static const struct param_spec retention_fields[] = {
    {"kind", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 32, .check = kind_ok},
    {"days", LOC_BODY, P_INT, .required = true, .min = 1, .max = 3650},
    {0},
};
static const struct param_spec p_retention_put[] = {
    {"kinds", LOC_BODY, P_LIST, .required = true, .min = 1, .max = 32, .fields = retention_fields},
    {0},
};

static struct route retention_routes[] = {
    {M_GET, "/api/v1/admin/retention", h_retention, NULL, R(ADMIN)},
    {M_PUT, "/api/v1/admin/retention", h_retention_put, p_retention_put, R(ADMIN)},
};

static const struct module_verb retention_verbs[] = {
    {"purge", "[--academy CODE] [--dry-run]", purge_main},
    {0},
};

const struct module retention_module = {
    .name = "retention",
    .routes = retention_routes,
    .n_routes = ARRAY_LEN(retention_routes),
    .statements = retention_statements,
    .verbs = retention_verbs,
};
