/*
 * The pilotage module (issue 13, docs/pilotage.md): the scopes a pilot
 * reads, a dashboard of counts per scope and year, the list behind each
 * figure (status and dates, never content) and its CSV export.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "authz.h"
#include "modules.h"
#include "pilotage.h"
#include "req.h"
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
	for (int k = PL_TRAINEES; s != NULL && k <= PL_PERSONALISATIONS; k++)
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
 * statements whatever the number of trainees. */
static enum err h_dashboard(struct req *r)
{
	/* The order of pdb_figures' values. */
	static const int order[] = {PL_TRAINEES,	  PL_VISITS,	    PL_NO_JOINT_VISIT,
				    PL_NO_VISIT_BEFORE_M1, PL_RENOUVELLEMENT, PL_ACCOMPANIMENT,
				    PL_PERSONALISATIONS};
	const struct pilotage_ctx *c = pilotage_ctx(r);
	int64_t year, v[8];
	json_t *figures, *by_parcours = NULL, *levels = NULL, *next = NULL;
	enum err e = the_year(r, &year);

	if (e == ERR_OK)
		e = pdb_figures(r, c->kind, c->id, year, v);
	if (e == ERR_OK)
		e = pdb_by_parcours_json(r, c->kind, c->id, year, &by_parcours);
	if (e == ERR_OK)
		e = pdb_levels_json(r, c->kind, c->id, year, &levels);
	if (e == ERR_OK)
		e = pdb_next_meeting_json(r, c->kind, c->id, year, &next);
	if (e != ERR_OK) {
		json_decref(by_parcours);
		json_decref(levels);
		json_decref(next);
		return e;
	}
	figures = json_array();
	for (size_t i = 0; i < ARRAY_LEN(order); i++) {
		int l = order[i];
		json_t *f = json_pack("{s:s, s:s, s:I, s:s}", "key", pilotage_list_names[l], "label",
				      pilotage_list_labels[l], "value", (json_int_t)v[i], "list",
				      pilotage_list_names[l]);

		if (l == PL_VISITS && f != NULL)
			json_object_set_new(f, "expected", json_integer(v[0] * 4));
		json_array_append_new(figures, f);
	}
	reply_json(r, 200,
		   json_pack("{s:o, s:I, s:o, s:{s:o, s:o}, s:o}", "scope", scope_json(c),
			     "year_id", (json_int_t)year, "figures", figures, "tables",
			     "by_parcours", by_parcours, "levels", levels, "next_meeting_review",
			     next));
	return ERR_OK;
}

/* ---- exports ---- */

struct column {
	const char *key, *label;
};
static const struct column columns[] = {
    {"enrolment_id", "Inscription"},
    {"trainee", "Stagiaire"},
    {"parcours", "Parcours"},
    {"degre", "Degré"},
    {"school", "Établissement"},
    {"visits_done", "Visites faites"},
    {"joint_visits", "Visites conjointes"},
    {"last_visit", "Dernière visite"},
    {"meeting1_on", "Réunion de pôle n° 1"},
    {"renouvellement", "Renouvellement"},
    {"acc_level", "Niveau d’accompagnement"},
    {"open_personalisations", "Personnalisations ouvertes"},
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
	if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
	    s[0] == '\r')
		put(b, "'", 1);
	for (const char *q = s; *q != '\0'; q++) {
		if (*q == '"')
			put(b, "\"", 1);
		put(b, q, 1);
	}
	put(b, "\"", 1);
}

/* The columns asked (columns=a,b,c; all by default): 422 naming an unknown. */
static enum err chosen_columns(struct req *r, size_t *cols, size_t *n)
{
	const char *s = arg_str(r, "columns");

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

/* GET /api/v1/pilotage/dashboards/{kind}/{id}/lists/{key}[.csv] */
static enum err h_list(struct req *r)
{
	const struct pilotage_ctx *c = pilotage_ctx(r);
	const char *key = arg_str(r, "key");
	size_t klen = strlen(key), cols[N_COLUMNS], ncols = 0;
	bool csv = klen > 4 && strcmp(key + klen - 4, ".csv") == 0;
	int list = pilotage_list_of(key, csv ? klen - 4 : klen);
	int64_t year, total = 0;
	json_t *items = NULL;
	enum err e;

	if (list == 0)
		return fail(r, ERR_NOT_FOUND, NULL, NULL);
	e = the_year(r, &year);
	if (e == ERR_OK && csv)
		e = chosen_columns(r, cols, &ncols);
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
	if (csv)
		return reply_csv(r, items, cols, ncols,
				 arena_printf(r->arena, "tableau-de-bord-%s-%s",
					      pilotage_kind_names[c->kind], pilotage_list_names[list]));
	reply_json(r, 200, json_pack("{s:O, s:I}", "items", items, "total", (json_int_t)total));
	return ERR_OK;
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
	return n > 0 && (pilotage_list_of(s, n) != 0 ||
			 (n > 4 && memcmp(s + n - 4, ".csv", 4) == 0 &&
			  pilotage_list_of(s, n - 4) != 0));
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

static struct route pilotage_routes[] = {
    {M_GET, "/api/v1/pilotage/scopes", h_scopes, p_scopes, PILOTS},
    {M_GET, "/api/v1/pilotage/dashboards/{kind}/{id}", h_dashboard, p_dashboard, PILOTS, SCOPE},
    {M_GET, "/api/v1/pilotage/dashboards/{kind}/{id}/lists/{key}", h_list, p_list, PILOTS,
     SCOPE},
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
