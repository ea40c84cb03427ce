/*
 * The pilotage module (issue 13, docs/pilotage.md): the scopes a pilot
 * reads, a dashboard of counts per scope and year, the list behind each
 * figure (status and dates, never content) and its CSV export.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "arena.h"
#include "audit.h"
#include "authz.h"
#include "db.h"
#include "modules.h"
#include "pilotage.h"
#include "req.h"
#include "reseau.h"
#include "util.h"

const char *const pilotage_kind_names[] = {
    "", "pole", "circonscription", "inspe_site", "discipline", "departement", "academy", NULL};
const char *const pilotage_list_names[] = {"",
					   "trainees",
					   "visits",
					   "no_joint_visit",
					   "no_visit_before_m1",
					   "renouvellement",
					   "accompaniment",
					   "personalisations",
					   "late_bilans",
					   "disagreements",
					   "unsigned_fiches",
					   "missing_bilans",
					   "next_meeting_review",
					   NULL};
const char *const pilotage_list_labels[] = {
    "",
    "Stagiaires",
    "Visites faites (attendues : 4 à 5 par stagiaire)",
    "Sans visite conjointe",
    "Sans visite avant la réunion de pôle n° 1",
    "En renouvellement",
    "En accompagnement",
    "Personnalisations ouvertes",
    "Bilans en retard",
    "Désaccords sur le résultat",
    "Fiches en attente de signature",
    "Bilans manquants",
    "Liste à examiner à la prochaine réunion de pôle",
    NULL};

static const char *const relation_names[] = {"holder", NULL};
static const char *const object_names[] = {"", "scope", NULL};

/* More rows than this in one export: 413, the filter must narrow. */
#define EXPORT_MAX 20000

static const struct problem_def P_TOO_MANY_ROWS = {
    413, "too_many_rows", "La liste dépasse 20 000 lignes : restreignez le périmètre."};
static const struct problem_def *const pilotage_problems[] = {&P_TOO_MANY_ROWS, NULL};

int pilotage_kind_of(const char *s)
{
	for (int k = PK_POLE; s != NULL && k <= PK_ACADEMY; k++)
		if (strcmp(s, pilotage_kind_names[k]) == 0)
			return k;
	return 0;
}

int pilotage_list_of(const char *s, size_t n)
{
	for (int k = PL_TRAINEES; s != NULL && k <= PL_NEXT_MEETING_REVIEW; k++)
		if (strlen(pilotage_list_names[k]) == n && memcmp(s, pilotage_list_names[k], n) == 0)
			return k;
	return 0;
}

/* The scope of the path among the caller's: 404 otherwise (a missing scope
 * and one not held answer the same). */
static enum err pilotage_resolve(struct req *r, int kind, int64_t id, unsigned wanted,
				 unsigned *rel, void **ctx)
{
	struct pilotage_ctx *c = arena_zalloc(r->arena, sizeof(*c));
	int k = pilotage_kind_of(arg_str(r, "kind"));
	json_t *scopes = NULL, *s;
	size_t i;
	enum err e;

	(void)wanted;
	*rel = 0;
	if (c == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	if (kind != POBJ_SCOPE || k == 0 || (k == PK_ACADEMY) != (id == 0))
		return ERR_OK;
	e = pdb_scopes_json(r, &scopes);
	if (e != ERR_OK)
		return e;
	jarena(r, scopes);
	json_array_foreach(scopes, i, s)
	{
		json_t *sid = json_object_get(s, "id");

		if (strcmp(json_string_value(json_object_get(s, "kind")), pilotage_kind_names[k]) ==
			0 &&
		    (k == PK_ACADEMY || json_integer_value(sid) == id)) {
			c->kind = k;
			c->id = id;
			c->name = json_string_value(json_object_get(s, "name"));
			*rel = PREL_HOLDER;
			*ctx = c;
			break;
		}
	}
	return ERR_OK;
}

/* The year asked (year_id) or the current one: 422 for an unknown one. */
static enum err the_year(struct req *r, int64_t *year)
{
	enum err e = pdb_year(r, arg_int(r, "year_id", 0), year);

	if (e == ERR_OK && *year == 0)
		return fail(r, ERR_INVALID_FIELD, "year_id", "Année inconnue.");
	return e;
}

/* GET /api/v1/pilotage/scopes */
static enum err h_scopes(struct req *r)
{
	json_t *items = NULL;
	int64_t year;
	enum err e = the_year(r, &year);

	if (e == ERR_OK)
		e = pdb_scopes_json(r, &items);
	if (e == ERR_OK)
		reply_json(r, 200, json_pack("{s:o, s:I}", "items", items, "year_id", (json_int_t)year));
	return e;
}

static json_t *scope_json(const struct pilotage_ctx *c)
{
	return json_pack("{s:s, s:o, s:s?}", "kind", pilotage_kind_names[c->kind], "id",
			 c->kind == PK_ACADEMY ? json_null() : json_integer(c->id), "name",
			 c->name);
}

/* GET /api/v1/pilotage/dashboards/{kind}/{id} — counts only: four
 * statements whatever the number of trainees (an INSPÉ site, the
 * académie: five). */
static enum err h_dashboard(struct req *r)
{
	/* The figures in the order shown, each with its value's place among
	 * pdb_figures' (the eighth, visits_missing, is no figure of its own). */
	static const struct {
		int list;
		size_t at;
	} order[] = {{PL_TRAINEES, 0},		{PL_VISITS, 1},		  {PL_NO_JOINT_VISIT, 2},
		     {PL_NO_VISIT_BEFORE_M1, 3}, {PL_RENOUVELLEMENT, 4},	  {PL_ACCOMPANIMENT, 5},
		     {PL_PERSONALISATIONS, 6},	{PL_UNSIGNED_FICHES, 10}, {PL_LATE_BILANS, 8},
		     {PL_MISSING_BILANS, 11},	{PL_DISAGREEMENTS, 9}};
	const struct pilotage_ctx *c = pilotage_ctx(r);
	int64_t year, v[PILOTAGE_FIGURES];
	json_t *figures, *by_parcours = NULL, *levels = NULL, *next = NULL, *sopa = NULL, *reseau = NULL,
	       *out;
	enum err e = the_year(r, &year);

	if (e == ERR_OK)
		e = pdb_figures(r, c->kind, c->id, year, v);
	if (e == ERR_OK)
		e = pdb_by_parcours_json(r, c->kind, c->id, year, &by_parcours);
	if (e == ERR_OK)
		e = pdb_levels_json(r, c->kind, c->id, year, &levels);
	if (e == ERR_OK)
		e = pdb_next_meeting_json(r, c->kind, c->id, year, &next);
	if (e == ERR_OK && c->kind == PK_INSPE_SITE)
		e = pdb_sopa_json(r, c->id, year, &sopa);
	/* The académie's: the réseau de tuteurs' experiment figures (one
	 * statement, the reseau module's). */
	if (e == ERR_OK && c->kind == PK_ACADEMY)
		e = rdb_figures(r, year, &reseau);
	if (e != ERR_OK) {
		json_decref(sopa);
		json_decref(reseau);
		json_decref(by_parcours);
		json_decref(levels);
		json_decref(next);
		return e;
	}
	figures = json_array();
	for (size_t i = 0; i < ARRAY_LEN(order); i++) {
		int l = order[i].list;
		size_t at = order[i].at;
		json_t *f = json_pack("{s:s, s:s, s:I, s:s}", "key", pilotage_list_names[l], "label",
				      pilotage_list_labels[l], "value", (json_int_t)v[at], "list",
				      pilotage_list_names[l]);

		if (l == PL_VISITS && f != NULL)
			json_object_set_new(f, "expected", json_integer(v[0] * 4));
		json_array_append_new(figures, f);
	}
	/* The list behind the review: next_meeting_review. */
	if (json_is_object(next))
		json_object_set_new(next, "list",
				    json_string(pilotage_list_names[PL_NEXT_MEETING_REVIEW]));
	out = json_pack("{s:o, s:I, s:o, s:{s:o, s:o}, s:o}", "scope", scope_json(c), "year_id",
			(json_int_t)year, "figures", figures, "tables", "by_parcours", by_parcours,
			"levels", levels, "next_meeting_review", next);
	if (out != NULL && sopa != NULL)
		json_object_set_new(out, "sopa", sopa);
	else
		json_decref(sopa);
	if (out != NULL && reseau != NULL)
		json_object_set_new(out, "reseau", reseau);
	else
		json_decref(reseau);
	reply_json(r, 200, out);
	return ERR_OK;
}

/* ---- exports ---- */

struct column {
	const char *key, *label;
	bool number; /* the XLSX writes it as a number */
};
static const struct column columns[] = {
    {"enrolment_id", "Inscription", true},
    {"trainee", "Stagiaire", false},
    {"parcours", "Parcours", false},
    {"degre", "Degré", true},
    {"school", "Établissement", false},
    {"visits_done", "Visites faites", true},
    {"joint_visits", "Visites conjointes", true},
    {"last_visit", "Dernière visite", false},
    {"meeting1_on", "Réunion de pôle n° 1", false},
    {"renouvellement", "Renouvellement", false},
    {"acc_level", "Niveau d’accompagnement", true},
    {"open_personalisations", "Personnalisations ouvertes", true},
    {"unsigned_fiches", "Fiches en attente de signature", true},
    {"late_bilans", "Bilans en retard", true},
    {"missing_bilans", "Bilans manquants", true},
    {"disagreement", "Désaccord", false},
};
#define N_COLUMNS ARRAY_LEN(columns)

/* A cell of one row as text (the arena's). */
static const char *cell(struct req *r, json_t *row, size_t col)
{
	json_t *v;

	if (col == 1)
		v = json_object_get(json_object_get(row, "trainee"), "display_name");
	else
		v = json_object_get(row, columns[col].key);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(r->arena, "%lld", (long long)json_integer_value(v));
	if (json_is_boolean(v))
		return json_is_true(v) ? "oui" : "non";
	return "";
}

struct buf {
	struct arena *a;
	char *p;
	size_t len, cap;
	bool failed;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t ncap = (b->cap + n + 1) * 2;
		char *np = arena_alloc(b->a, ncap);

		if (np == NULL) {
			b->failed = true;
			return;
		}
		if (b->p != NULL)
			memcpy(np, b->p, b->len);
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* One CSV field: quoted, a formula's first character neutralised. */
static void put_field(struct buf *b, const char *s)
{
	put(b, "\"", 1);
	if (csv_formula(s))
		put(b, "'", 1);
	for (const char *q = s; *q != '\0'; q++) {
		if (*q == '"')
			put(b, "\"", 1);
		put(b, q, 1);
	}
	put(b, "\"", 1);
}

/* The columns asked (s: "a,b,c"; all when NULL or empty): 422 on
 * `columns` naming an unknown one. */
static enum err chosen_columns(struct req *r, const char *s, size_t *cols, size_t *n)
{
	*n = 0;
	if (s == NULL || *s == '\0') {
		for (size_t i = 0; i < N_COLUMNS; i++)
			cols[(*n)++] = i;
		return ERR_OK;
	}
	while (*s != '\0') {
		const char *end = strchr(s, ',');
		size_t len = end != NULL ? (size_t)(end - s) : strlen(s), i;

		for (i = 0; i < N_COLUMNS; i++)
			if (strlen(columns[i].key) == len && memcmp(columns[i].key, s, len) == 0)
				break;
		if (i == N_COLUMNS || *n == N_COLUMNS)
			return fail(r, ERR_INVALID_FIELD, "columns",
				    arena_printf(r->arena, "Colonne inconnue : %.*s.", (int)len, s));
		cols[(*n)++] = i;
		s += len;
		if (*s == ',')
			s++;
	}
	return ERR_OK;
}

static enum err reply_csv(struct req *r, json_t *items, const size_t *cols, size_t n,
			  const char *name)
{
	struct buf b = {.a = r->arena};
	json_t *row;
	size_t i;

	put(&b, "\xEF\xBB\xBF", 3);
	for (size_t c = 0; c < n; c++) {
		if (c > 0)
			put(&b, ";", 1);
		put_field(&b, columns[cols[c]].label);
	}
	put(&b, "\r\n", 2);
	json_array_foreach(items, i, row)
	{
		for (size_t c = 0; c < n; c++) {
			if (c > 0)
				put(&b, ";", 1);
			put_field(&b, cell(r, row, cols[c]));
		}
		put(&b, "\r\n", 2);
	}
	if (b.failed)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	r->status = 200;
	r->raw_reply = b.p;
	r->raw_len = b.len;
	r->reply_type = "text/csv; charset=utf-8";
	reply_header(r, arena_printf(r->arena,
				     "Content-Disposition: attachment; filename=\"%s.csv\"", name));
	return ERR_OK;
}

/* A cell's text as the export writes it: a formula's first character
 * neutralised. */
static const char *neutral(struct req *r, const char *s)
{
	if (csv_formula(s))
		return arena_printf(r->arena, "'%s", s);
	return s;
}

/* The list as an XLSX workbook (libxlsxwriter writes a file: a private
 * temporary one, read back into the arena and removed). */
static enum err reply_xlsx(struct req *r, json_t *items, const size_t *cols, size_t n,
			   const char *name)
{
	const char *dir = getenv("TMPDIR");
	char *path = arena_printf(r->arena, "%s/tutorat-xlsx-XXXXXX",
				  dir != NULL && *dir != '\0' ? dir : "/tmp");
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	json_t *row;
	size_t i;
	FILE *f;
	long size;
	char *data;
	int fd;

	if (path == NULL || (fd = mkstemp(path)) < 0)
		return fail_internal(r, ERR_INTERNAL, "xlsx: no temporary file");
	close(fd);
	wb = workbook_new(path);
	ws = wb != NULL ? workbook_add_worksheet(wb, "Liste") : NULL;
	if (ws == NULL) {
		if (wb != NULL)
			workbook_close(wb);
		unlink(path);
		return fail_internal(r, ERR_INTERNAL, "xlsx: workbook_new");
	}
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	for (size_t c = 0; c < n; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, columns[cols[c]].label, bold);
	json_array_foreach(items, i, row)
	{
		for (size_t c = 0; c < n; c++) {
			const char *v = cell(r, row, cols[c]);
			lxw_row_t y = (lxw_row_t)(i + 1);

			if (v == NULL)
				v = "";
			if (columns[cols[c]].number && *v != '\0')
				worksheet_write_number(ws, y, (lxw_col_t)c, strtod(v, NULL), NULL);
			else
				worksheet_write_string(ws, y, (lxw_col_t)c, neutral(r, v), NULL);
		}
	}
	if (workbook_close(wb) != LXW_NO_ERROR) {
		unlink(path);
		return fail_internal(r, ERR_INTERNAL, "xlsx: workbook_close");
	}
	f = fopen(path, "rb");
	unlink(path);
	if (f == NULL)
		return fail_internal(r, ERR_INTERNAL, "xlsx: read back");
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    (data = arena_alloc(r->arena, (size_t)size)) == NULL ||
	    fread(data, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		return fail_internal(r, ERR_INTERNAL, "xlsx: read back");
	}
	fclose(f);
	r->status = 200;
	r->raw_reply = data;
	r->raw_len = (size_t)size;
	r->reply_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	reply_header(r, arena_printf(r->arena,
				     "Content-Disposition: attachment; filename=\"%s.xlsx\"", name));
	return ERR_OK;
}

/* The export a key asks for by its suffix: 0 none, 1 CSV, 2 XLSX; *n the
 * length of the list's name. */
static int export_of(const char *s, size_t len, size_t *n)
{
	*n = len;
	if (len > 4 && memcmp(s + len - 4, ".csv", 4) == 0) {
		*n = len - 4;
		return 1;
	}
	if (len > 5 && memcmp(s + len - 5, ".xlsx", 5) == 0) {
		*n = len - 5;
		return 2;
	}
	return 0;
}

/* GET /api/v1/pilotage/dashboards/{kind}/{id}/lists/{key}[.csv|.xlsx] */
static enum err h_list(struct req *r)
{
	const struct pilotage_ctx *c = pilotage_ctx(r);
	const char *key = arg_str(r, "key");
	size_t klen = 0, cols[N_COLUMNS], ncols = 0;
	int format = export_of(key, strlen(key), &klen);
	bool csv = format != 0;
	int list = pilotage_list_of(key, klen);
	int64_t year, total = 0;
	json_t *items = NULL;
	enum err e;

	if (list == 0)
		return fail(r, ERR_NOT_FOUND, NULL, NULL);
	e = the_year(r, &year);
	if (e == ERR_OK && csv)
		e = chosen_columns(r, arg_str(r, "columns"), cols, &ncols);
	if (e != ERR_OK)
		return e;
	if (csv)
		e = pdb_list_json(r, c->kind, c->id, year, list, EXPORT_MAX + 1, 0, &items, &total);
	else
		e = pdb_list_json(r, c->kind, c->id, year, list, arg_int(r, "limit", 50),
				  arg_int(r, "offset", 0), &items, &total);
	if (e != ERR_OK)
		return e;
	jarena(r, items);
	if (csv && total > EXPORT_MAX)
		return fail_problem(r, &P_TOO_MANY_ROWS, NULL, NULL);
	if (csv) {
		const char *name = arena_printf(r->arena, "tableau-de-bord-%s-%s",
						pilotage_kind_names[c->kind],
						pilotage_list_names[list]);

		return format == 2 ? reply_xlsx(r, items, cols, ncols, name)
				   : reply_csv(r, items, cols, ncols, name);
	}
	reply_json(r, 200, json_pack("{s:O, s:I}", "items", items, "total", (json_int_t)total));
	return ERR_OK;
}

/* ---- trends ---- */

/* The year, month and day of a date (YYYY-MM-DD, as MariaDB writes it);
 * false when it is none. */
static bool ymd(const char *s, int *y, int *m, int *d)
{
	char part[5];

	if (s == NULL || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return false;
	memcpy(part, s, 4);
	part[4] = '\0';
	*y = (int)strtol(part, NULL, 10);
	memcpy(part, s + 5, 2);
	part[2] = '\0';
	*m = (int)strtol(part, NULL, 10);
	memcpy(part, s + 8, 2);
	*d = (int)strtol(part, NULL, 10);
	return *y > 0 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
}

/* A date (YYYY-MM-DD) as a UTC time at noon; 0 when it is none. */
static time_t day_of(const char *s)
{
	struct tm tm = {0};

	if (!ymd(s, &tm.tm_year, &tm.tm_mon, &tm.tm_mday))
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	return timegm(&tm);
}

static const char *day_text(struct req *r, time_t t, const char *fmt)
{
	struct tm tm;
	char buf[16];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), fmt, &tm);
	return arena_strdup(r->arena, buf);
}

/* The year's ISO weeks, from the one of its first day to the one of its
 * last, each with the visits planned and done (weeks without any: 0). */
static json_t *weeks_json(struct req *r, const struct db_res *res, const char *starts,
			  const char *ends)
{
	json_t *out = json_array();
	time_t t = day_of(starts), end = day_of(ends);
	size_t at = 0;
	struct tm tm;

	if (t == 0 || end == 0)
		return out;
	gmtime_r(&t, &tm);
	t -= (time_t)((tm.tm_wday + 6) % 7) * 86400; /* its Monday */
	for (int guard = 0; t <= end && guard < 60; t += (time_t)7 * 86400, guard++) {
		const char *monday = day_text(r, t, "%Y-%m-%d");
		int64_t planned = 0, done = 0;

		/* The rows come by week; a visit outside the year's weeks is
		 * not shown. */
		while (at < res->n_rows && strcmp(db_str(res, at, "week"), monday) < 0)
			at++;
		if (at < res->n_rows && strcmp(db_str(res, at, "week"), monday) == 0) {
			planned = db_int(res, at, "planned");
			done = db_int(res, at, "done");
			at++;
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:I}", "week",
						     day_text(r, t, "%G-W%V"), "starts_on", monday,
						     "planned", (json_int_t)planned, "done",
						     (json_int_t)done));
	}
	return out;
}

/* The year's months up to now, each with its open cases per level. */
static json_t *months_json(struct req *r, const struct db_res *res, const char *starts,
			   const char *ends, const char *today)
{
	json_t *out = json_array();
	int y, m, d;

	if (!ymd(starts, &y, &m, &d))
		return out;
	for (int i = 0; i < 12; i++, m = m % 12 + 1, y += m == 1) {
		const char *first = arena_printf(r->arena, "%04d-%02d-01", y, m);
		int64_t level[4] = {0};

		if (strcmp(first, ends) > 0 || strcmp(first, today) > 0)
			break;
		for (size_t k = 0; k < res->n_rows; k++) {
			int64_t l = db_int(res, k, "level");

			if (db_int(res, k, "month") == i && l >= 1 && l <= 3)
				level[l] = db_int(res, k, "cases");
		}
		json_array_append_new(
		    out, json_pack("{s:s, s:I, s:I, s:I}", "month",
				   arena_printf(r->arena, "%04d-%02d", y, m), "level_1",
				   (json_int_t)level[1], "level_2", (json_int_t)level[2], "level_3",
				   (json_int_t)level[3]));
	}
	return out;
}

/* GET /api/v1/pilotage/dashboards/{kind}/{id}/trends — visits per ISO
 * week against the plan, open cases per level per month: four statements
 * whatever the number of trainees. */
static enum err h_trends(struct req *r)
{
	const struct pilotage_ctx *c = pilotage_ctx(r);
	const char *starts = NULL, *ends = NULL, *today = NULL;
	struct db_res weeks, months;
	int64_t year;
	enum err e = the_year(r, &year);

	if (e == ERR_OK)
		e = pdb_year_span(r, year, &starts, &ends, &today);
	if (e == ERR_OK)
		e = pdb_weeks(r, c->kind, c->id, year, &weeks);
	if (e == ERR_OK)
		e = pdb_months(r, c->kind, c->id, year, &months);
	if (e != ERR_OK)
		return e;
	reply_json(r, 200,
		   json_pack("{s:o, s:I, s:o, s:o}", "scope", scope_json(c), "year_id",
			     (json_int_t)year, "weeks", weeks_json(r, &weeks, starts, ends),
			     "levels", months_json(r, &months, starts, ends, today)));
	return ERR_OK;
}

/* ---- the columns a person chose ---- */

/* The list key of the path is a list's name (no export suffix). */
static bool list_key_ok(const char *s, size_t n)
{
	return pilotage_list_of(s, n) != 0;
}

static enum err reply_columns(struct req *r, const char *list, const char *chosen)
{
	reply_json(r, 200, json_pack("{s:s, s:s?}", "list", list, "columns", chosen));
	return ERR_OK;
}

/* GET /api/v1/pilotage/columns/{list_key} — the caller's own. */
static enum err h_columns_get(struct req *r)
{
	const char *list = arg_str(r, "list_key"), *chosen = NULL;
	enum err e = pdb_pref_get(r, list, &chosen);

	return e != ERR_OK ? e : reply_columns(r, list, chosen);
}

/* PUT /api/v1/pilotage/columns/{list_key} {columns: "a,b,c"} */
static enum err h_columns_put(struct req *r)
{
	const char *list = arg_str(r, "list_key");
	size_t cols[N_COLUMNS], n = 0;
	char *text;
	size_t len = 0;
	json_t *keys;
	enum err e = chosen_columns(r, arg_str(r, "columns"), cols, &n);

	if (e != ERR_OK)
		return e;
	/* Stored as the export's keys, without duplicates. */
	text = arena_alloc(r->arena, 512);
	keys = json_array();
	if (text == NULL || keys == NULL) {
		json_decref(keys);
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	}
	jarena(r, keys);
	text[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		bool seen = false;

		for (size_t j = 0; j < i; j++)
			seen = seen || cols[j] == cols[i];
		if (seen)
			continue;
		len += (size_t)snprintf(text + len, 512 - len, "%s%s", len > 0 ? "," : "",
					columns[cols[i]].key);
		json_array_append_new(keys, json_string(columns[cols[i]].key));
	}
	e = pdb_pref_set(r, list, text);
	if (e == ERR_OK) {
		/* Which columns (their keys), never a row of the list. */
		json_t *detail = json_pack("{s:s, s:O}", "list", list, "columns", keys);

		e = audit_record(r, "pilotage.columns", "person", r->who.person_id, detail);
		json_decref(detail);
	}
	return e != ERR_OK ? e : reply_columns(r, list, text);
}

/* ---- the routes ---- */

#define PILOTS                                                                                     \
	(R(PILOTE_POLE) | R(REFERENT_INSPE) | R(DEA) | R(IEN) | R(RESPONSABLE_SITE) | R(IA_IPR) |  \
	 R(RESPONSABLE_PARCOURS) | R(CHARGE_MISSION_FORMATION) | R(DIRECTION_INSPE) |              \
	 R(BUREAU_STAGES))
#define SCOPE .object = {POBJ_SCOPE, "id", PREL_HOLDER, 0, NULL}

static const char *const kinds[] = {"pole",	   "circonscription", "inspe_site", "discipline",
				    "departement", "academy",	      NULL};

static bool key_ok(const char *s, size_t n)
{
	size_t len;

	(void)export_of(s, n, &len);
	return pilotage_list_of(s, len) != 0;
}

static const struct param_spec p_scopes[] = {{"year_id", LOC_QUERY, P_ID}, {0}};
static const struct param_spec p_dashboard[] = {
    {"kind", LOC_PATH, P_ENUM, .required = true, .choices = kinds},
    {"id", LOC_PATH, P_INT, .required = true, .min = 0, .max = INT64_C(9007199254740991)},
    {"year_id", LOC_QUERY, P_ID},
    {0}};
static const struct param_spec p_list[] = {
    {"kind", LOC_PATH, P_ENUM, .required = true, .choices = kinds},
    {"id", LOC_PATH, P_INT, .required = true, .min = 0, .max = INT64_C(9007199254740991)},
    {"key", LOC_PATH, P_STRING, .required = true, .min = 1, .max = 40, .check = key_ok},
    {"year_id", LOC_QUERY, P_ID},
    {"limit", LOC_QUERY, P_INT, .min = 1, .max = 200},
    {"offset", LOC_QUERY, P_INT, .min = 0, .max = 1000000},
    {"columns", LOC_QUERY, P_STRING, .min = 0, .max = 500},
    {0}};

static const struct param_spec p_trends[] = {
    {"kind", LOC_PATH, P_ENUM, .required = true, .choices = kinds},
    {"id", LOC_PATH, P_INT, .required = true, .min = 0, .max = INT64_C(9007199254740991)},
    {"year_id", LOC_QUERY, P_ID},
    {0}};
static const struct param_spec p_columns_get[] = {
    {"list_key", LOC_PATH, P_STRING, .required = true, .min = 1, .max = 40, .check = list_key_ok},
    {0}};
static const struct param_spec p_columns_put[] = {
    {"list_key", LOC_PATH, P_STRING, .required = true, .min = 1, .max = 40, .check = list_key_ok},
    {"columns", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 500},
    {0}};

static struct route pilotage_routes[] = {
    {M_GET, "/api/v1/pilotage/scopes", h_scopes, p_scopes, PILOTS, .reporting = true},
    {M_GET, "/api/v1/pilotage/dashboards/{kind}/{id}", h_dashboard, p_dashboard, PILOTS,
     .reporting = true, SCOPE},
    {M_GET, "/api/v1/pilotage/dashboards/{kind}/{id}/lists/{key}", h_list, p_list, PILOTS,
     .reporting = true, SCOPE},
    {M_GET, "/api/v1/pilotage/dashboards/{kind}/{id}/trends", h_trends, p_trends, PILOTS,
     .reporting = true, SCOPE},
    {M_GET, "/api/v1/pilotage/columns/{list_key}", h_columns_get, p_columns_get, PILOTS},
    {M_PUT, "/api/v1/pilotage/columns/{list_key}", h_columns_put, p_columns_put, PILOTS},
};

const struct module pilotage_module = {
    .name = "pilotage",
    .routes = pilotage_routes,
    .n_routes = ARRAY_LEN(pilotage_routes),
    .resolve = pilotage_resolve,
    .relations = relation_names,
    .objects = object_names,
    .statements = pilotage_statements,
    .problems = pilotage_problems,
};
