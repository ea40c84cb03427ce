/*
 * Reminders (issue 9 §4): `tutoratctl [--academy CODE] remind [--at
 * YYYY-MM-DD]` finds what is due or late and reminds once per step; the
 * rules are data per académie (reminder_rule), seeded by tutoratctl
 * migrate from the defaults below, read and changed by the admin
 * (GET/PUT /api/v1/admin/reminder-rules).
 *
 * A rule's offsets are the days, relative to its due date, at which a
 * reminder goes ("-7,-1,1": a week before, the day before, the day after);
 * each offset is a step. A run reminds, for every (rule, object, step,
 * recipient) due, in one transaction: the reminder_sent row (INSERT
 * IGNORE: when it was there, another run or process sent it, and nothing
 * more is done), the notification (notify(), no actor) and the audit row
 * (reminder.send). Run twice, or by several processes at once, each
 * reminder goes once. A step missed (no run that day) is caught up for six
 * days, never past the next step's day.
 *
 * Each module declares its reminders (struct module_reminder, its
 * .reminders): tutorat's are below, the SOPA reports' in
 * modules/sopa/sopa_remind_db.c. A run goes through every module's; the
 * admin's rules screen lists them all.
 */
#include "audit.h"
#include "config.h"
#include "db.h"
#include "modules.h"
#include "notify.h"
#include "req.h"
#include "tutorat.h"
#include "tutorat_db.h"
#include "tutorat_sql.h"
#include "util.h"
#include "worker.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A step missed is still due this many days after its day. */
#define CATCH_UP_DAYS 6

const struct module_reminder tutorat_reminders[] = {
    /* Seed 000 §4: the trainee's feedback within days of the follow-up. */
    {"tutorat.feedback_missing", "Retour du stagiaire non transmis après un temps de suivi", "3",
     &Q_REMIND_FEEDBACK, "followup", "enrolment", OBJ_ENROLMENT, "enrolment_id", REL_TRAINEE,
     "/app.html#/temps-de-suivi/%lld"},
    /* The tutors' joint trace a week after. */
    {"tutorat.trace_missing", "Trace des tuteurs non publiée après un temps de suivi", "7",
     &Q_REMIND_TRACE, "followup", "enrolment", OBJ_ENROLMENT, "enrolment_id", REL_TUTORS,
     "/app.html#/temps-de-suivi/%lld"},
    /* The calendar's « bilans de fin de parcours ». */
    {"tutorat.bilan_due", "Bilans à valider à la date du calendrier", "-7,-1,1", &Q_REMIND_BILANS,
     "enrolment", "enrolment", OBJ_ENROLMENT, "enrolment_id", REL_TUTORS,
     "/app.html#/dossiers/%lld/bilans-et-resultat"},
    /* Pôle meetings N°1 to N°3: the list of trainees to review, which the
     * home page shows them. */
    {"tutorat.pole_meeting", "Réunion de pôle à préparer", "-7", &Q_REMIND_POLE_MEETING,
     "year_event", "enrolment", OBJ_ENROLMENT, "enrolment_id", REL_PILOT, "/app.html#/"},
    {0},
};

/* The reminder of kind `kind` among every module's, and its module. */
static const struct module_reminder *reminder_named(const char *kind, const struct module **owner)
{
	for (size_t m = 0; m < n_modules; m++)
		for (const struct module_reminder *x = modules[m]->reminders; x != NULL && x->kind != NULL;
		     x++)
			if (strcmp(x->kind, kind) == 0) {
				if (owner != NULL)
					*owner = modules[m];
				return x;
			}
	return NULL;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

size_t tutorat_offsets_parse(const char *s, size_t n, int out[TUTORAT_MAX_OFFSETS])
{
	size_t count = 0, i = 0;

	while (i < n) {
		int64_t v;
		size_t start = i;

		if (count == TUTORAT_MAX_OFFSETS)
			return 0;
		if (s[i] == '-' || s[i] == '+')
			i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (!parse_int64(s + start, i - start, &v) || v < -60 || v > 60)
			return 0;
		for (size_t k = 0; k < count; k++)
			if (out[k] == (int)v)
				return 0;
		out[count++] = (int)v;
		if (i < n && (s[i] != ',' || i + 1 == n))
			return 0;
		i++;
	}
	qsort(out, count, sizeof(out[0]), cmp_int);
	return count;
}

bool tutorat_offsets_ok(const char *s, size_t n)
{
	int v[TUTORAT_MAX_OFFSETS] = {0};

	return tutorat_offsets_parse(s, n, v) > 0;
}

/* The steps of sorted offsets as the finding statements read them:
 * [{"step": s, "until": last day it is still due}]. */
static char *steps_json(struct req *r, const int *off, size_t n)
{
	json_t *a = jarena(r, json_array());
	char *text;

	for (size_t i = 0; i < n; i++) {
		int until = off[i] + CATCH_UP_DAYS;

		if (i + 1 < n && off[i + 1] - 1 < until)
			until = off[i + 1] - 1;
		json_array_append_new(a, json_pack("{s:i, s:i}", "step", off[i], "until", until));
	}
	text = json_dumps(a, JSON_COMPACT);
	if (text != NULL)
		arena_defer(r->arena, free, text);
	return text;
}

/* Clears a failed reminder's error so that the run goes on with the next. */
static void forget_error(struct req *r)
{
	r->err = ERR_OK;
	r->err_field = r->err_detail = r->log_detail = NULL;
	r->problem = NULL;
	r->conflict = false;
}

/*
 * One reminder, in its own transaction: the reminder_sent row first (the
 * key that makes it once), then the notification and the audit row. 1 when
 * sent, 0 when it had been sent, -1 on failure (rolled back: the next run
 * tries again).
 */
static int send_one(struct req *r, const struct module *owner, const struct module_reminder *rule,
		    const struct db_res *due, size_t i)
{
	int64_t object_id = db_int(due, i, "object_id"), step = db_int(due, i, "step");
	int64_t rcpt = db_int(due, i, "recipient_id");
	/* The item names the record its reader is re-checked against (the
	 * module's relations_of): tutorat's name the enrolment. */
	struct notice n = {
	    .kind = rule->kind,
	    .object = rule->notice_object,
	    .object_kind = rule->notice_object_kind,
	    .object_id = db_int(due, i, rule->notice_id),
	    .relations = rule->relations,
	    .subject = db_str(due, i, "subject"),
	    .link = arena_printf(r->arena, rule->link, (long long)db_int(due, i, "link_id")),
	};
	bool first = false;
	json_t *detail;
	enum err e = db_begin(r);

	if (e == ERR_OK)
		e = tdb_remind_mark(r, rule->kind, object_id, step, rcpt, &first);
	if (e == ERR_OK && !first) {
		db_rollback(r);
		return 0;
	}
	if (e == ERR_OK)
		e = notify(r, owner, &n, &rcpt, 1);
	if (e == ERR_OK) {
		detail = jarena(r, json_pack("{s:s, s:I, s:I}", "kind", rule->kind, "step",
					     (json_int_t)step, "recipient_id", (json_int_t)rcpt));
		e = audit_record(r, "reminder.send", rule->object, object_id, detail);
	}
	if (e == ERR_OK)
		e = db_commit(r);
	if (e == ERR_OK)
		return 1;
	db_rollback(r);
	fprintf(stderr, "tutoratctl: remind %s: %s %s %lld step %lld: %s%s%s\n", r->tenant->code,
		rule->kind, rule->object, (long long)object_id, (long long)step,
		problem_get(r->err != ERR_OK ? r->err : e)->code, r->log_detail != NULL ? ": " : "",
		r->log_detail != NULL ? r->log_detail : "");
	forget_error(r);
	return -1;
}

/* Every active rule of the académie, each with its one finding statement.
 * Prints the counts; false when something failed. */
static bool remind_academy(const struct config *cfg, const struct academy_cfg *a, void *arg)
{
	const char *today = arg;
	struct server srv = {.cfg = cfg};
	struct worker *w = worker_new(&srv, 0);
	size_t sent = 0, already = 0, failed = 0;
	struct db_res rules, due;
	struct req r;
	enum err e;

	worker_ctl_request(&r, w, a, "remind");
	e = tdb_remind_rules(&r, &rules);
	for (size_t k = 0; e == ERR_OK && k < rules.n_rows; k++) {
		const struct module *owner = NULL;
		const struct module_reminder *rule = reminder_named(db_str(&rules, k, "kind"), &owner);
		const char *offsets = db_str(&rules, k, "offsets");
		int off[TUTORAT_MAX_OFFSETS] = {0};
		size_t n_off;
		const char *steps;

		if (rule == NULL || !db_bool(&rules, k, "active"))
			continue; /* a module's that is gone, or switched off */
		n_off = tutorat_offsets_parse(offsets, strlen(offsets), off);
		steps = n_off > 0 ? steps_json(&r, off, n_off) : NULL;
		if (steps == NULL) {
			fprintf(stderr, "tutoratctl: remind %s: %s: offsets '%s' not understood\n",
				a->code, rule->kind, offsets);
			failed++;
			continue;
		}
		e = tdb_remind_due(&r, rule->finder, steps, today, &due);
		for (size_t i = 0; e == ERR_OK && i < due.n_rows; i++) {
			int done = send_one(&r, owner, rule, &due, i);

			sent += done == 1;
			already += done == 0;
			failed += done < 0;
		}
	}
	if (e != ERR_OK) {
		fprintf(stderr, "tutoratctl: remind %s: %s%s%s\n", a->code,
			problem_get(r.err != ERR_OK ? r.err : e)->code, r.log_detail ? ": " : "",
			r.log_detail ? r.log_detail : "");
		failed++;
	}
	printf("remind %s %s: %zu sent, %zu sent before by another run, %zu failed\n", a->code,
	       today, sent, already, failed);
	arena_reset(&w->arena);
	worker_free(w);
	return failed == 0;
}

#define REMIND_USAGE "usage: tutoratctl -c CONFIG [--academy CODE] remind [--at YYYY-MM-DD]\n"

/* tutoratctl [--academy CODE] remind [--at YYYY-MM-DD]: every académie (or
 * the one named), "today" being the date given or the local date. Exit 0
 * when every reminder due went (or had gone), 1 otherwise, 2 for usage. */
int tutorat_remind_verb(const struct config *cfg, const char *academy, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"at", required_argument, NULL, 'T'},
	    {NULL, 0, NULL, 0},
	};
	char today[11];
	int c;

	{
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != 'T' || strlen(optarg) != 10 || !parse_date(optarg, 10)) {
			fprintf(stderr, REMIND_USAGE);
			return 2;
		}
		memcpy(today, optarg, sizeof(today));
	}
	if (optind != argc) {
		fprintf(stderr, REMIND_USAGE);
		return 2;
	}
	return config_each_academy(cfg, academy, remind_academy, today);
}

/* ---- the admin's routes ---- */

/* The rules as the admin reads them: {"rules": [{kind, module, label,
 * offsets, default_offsets, active, updated_at}]}, module by module, each
 * module's kinds in order. */
static enum err rules_json(struct req *r, json_t **out)
{
	struct db_res res;
	enum err e = tdb_remind_rules(r, &res);
	json_t *list;

	if (e != ERR_OK)
		return e;
	list = json_array();
	for (size_t m = 0; m < n_modules; m++) {
		for (const struct module_reminder *rule = modules[m]->reminders;
		     rule != NULL && rule->kind != NULL; rule++) {
			for (size_t i = 0; i < res.n_rows; i++) {
				if (strcmp(db_str(&res, i, "kind"), rule->kind) != 0)
					continue;
				json_array_append_new(
				    list,
				    json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "kind", rule->kind,
					      "module", modules[m]->name, "label", rule->label,
					      "offsets", db_str(&res, i, "offsets"),
					      "default_offsets", rule->defaults, "active",
					      db_bool(&res, i, "active"), "updated_at",
					      db_str(&res, i, "updated_at")));
			}
		}
	}
	*out = json_pack("{s:o}", "rules", list);
	return ERR_OK;
}

/* GET /api/v1/admin/reminder-rules — admin: the académie's reminder rules. 200. */
enum err tutorat_h_reminder_rules(struct req *r)
{
	json_t *out;
	enum err e = rules_json(r, &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/*
 * PUT /api/v1/admin/reminder-rules — admin: {"rules": [{kind, offsets,
 * active?}]} changes those rules, all or nothing. An unknown kind or one
 * given twice is 422 naming rules[i].kind; offsets (integers -60..60,
 * distinct, at most six, comma-separated) are checked by the route's
 * declaration (422 rules[i].offsets) and stored sorted. 200 with every
 * rule; audited reminder_rules.update with what was set.
 */
enum err tutorat_h_reminder_rules_put(struct req *r)
{
	json_t *rules = arg_list(r, "rules"), *it, *set = jarena(r, json_array()), *out;
	size_t i;
	enum err e = ERR_OK;

	json_array_foreach(rules, i, it)
	{
		const char *kind = json_string_value(json_object_get(it, "kind"));
		const char *offsets = json_string_value(json_object_get(it, "offsets"));
		json_t *active = json_object_get(it, "active");
		int off[TUTORAT_MAX_OFFSETS] = {0};
		size_t n = tutorat_offsets_parse(offsets, strlen(offsets), off);
		char sorted[8 * TUTORAT_MAX_OFFSETS] = "";
		bool found = false;

		for (size_t k = 0; k < i; k++)
			if (strcmp(json_string_value(json_object_get(json_array_get(rules, k),
								     "kind")),
				   kind) == 0)
				return fail(r, ERR_INVALID_FIELD,
					    arena_printf(r->arena, "rules[%zu].kind", i),
					    "Règle donnée deux fois.");
		if (reminder_named(kind, NULL) == NULL)
			return fail(r, ERR_INVALID_FIELD, arena_printf(r->arena, "rules[%zu].kind", i),
				    "Règle de rappel inconnue.");
		for (size_t k = 0; k < n; k++)
			snprintf(sorted + strlen(sorted), sizeof(sorted) - strlen(sorted), "%s%d",
				 k > 0 ? "," : "", off[k]);
		e = tdb_remind_rule_set(r, kind, sorted, active == NULL || json_is_true(active),
					&found);
		if (e != ERR_OK)
			return e;
		if (!found)
			return fail(r, ERR_INVALID_FIELD, arena_printf(r->arena, "rules[%zu].kind", i),
				    "Règle de rappel absente de cette académie.");
		json_array_append_new(set, json_pack("{s:s, s:s, s:b}", "kind", kind, "offsets",
						     sorted, "active",
						     active == NULL || json_is_true(active)));
	}
	e = audit_record(r, "reminder_rules.update", "reminder_rule", 0,
			 jarena(r, json_pack("{s:O}", "rules", set)));
	if (e == ERR_OK)
		e = rules_json(r, &out);
	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}
