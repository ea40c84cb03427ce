/*
 * Routes and handlers of the sopa module (docs/sopa.md). The route masks
 * admit the roles that can hold a relation at all; each route names its
 * object and the relations that see it and act on it, resolved by
 * sopa_resolve(); handlers read validated arguments, call sopa_db.c, audit
 * their writes, notify and answer.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "authz.h"
#include "csv.h"
#include "modules.h"
#include "req.h"
#include "sopa.h"
#include "sopa_remind.h"
#include "util.h"

/* The module's own problems (struct module.problems). */
static const struct problem_def P_REPORT_EXISTS = {
    409, "report_exists", "Un compte-rendu existe déjà pour ce stage."};
static const struct problem_def P_REPORT_SENT = {
    409, "report_sent", "Le compte-rendu est transmis : il ne se modifie plus."};
static const struct problem_def P_ALREADY_SENT = {
    409, "already_sent", "Ce compte-rendu est déjà transmis."};
static const struct problem_def P_REPORT_NOT_SENT = {
    409, "report_not_sent", "Le compte-rendu n’est pas encore transmis."};
static const struct problem_def P_NEWER_VERSION = {
    409, "newer_version", "Une version plus récente de ce compte-rendu existe."};
static const struct problem_def P_ALREADY_ASSIGNED = {
    409, "already_assigned", "Cette personne a déjà ce rôle sur le site."};
static const struct problem_def P_INCOMPLETE = {
    422, "incomplete", "Le compte-rendu est incomplet."};
static const struct problem_def *const sopa_problems[] = {
    &P_REPORT_EXISTS,	&P_REPORT_SENT,	     &P_ALREADY_SENT, &P_REPORT_NOT_SENT,
    &P_NEWER_VERSION, &P_ALREADY_ASSIGNED, &P_INCOMPLETE,   NULL};

const char *const sopa_relation_names[] = {"mat",	  "student",	 "site_manager",
					   "site_office", "site_reader", NULL};
const char *const sopa_object_names[] = {"", "site", "placement", "report", NULL};

const struct notice_kind sopa_notices[] = {
    {"sopa.report_sent", "Compte-rendu de stage SOPA transmis",
     "a transmis le compte-rendu d’un stage d’observation et de pratique accompagnée",
     "Un compte-rendu de stage SOPA est arrivé", CHANNEL_EMAIL},
    /* The reminders of sopa_remind_db.c. */
    {"sopa.report_due", "Rappel : compte-rendu de stage SOPA à envoyer",
     "Un compte-rendu de stage SOPA est à envoyer dans la semaine qui suit la fin du stage",
     "Un compte-rendu de stage SOPA est à envoyer", CHANNEL_EMAIL},
    {"sopa.report_late", "Rappel : compte-rendu de stage SOPA non reçu",
     "Un compte-rendu de stage SOPA n’a pas été reçu dans la semaine qui suit la fin du stage",
     "Un compte-rendu de stage SOPA est en retard", CHANNEL_EMAIL},
    {0},
};

/* ---- access ---- */

enum err sopa_resolve(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
		      void **ctx)
{
	struct sopa_ctx *c = arena_zalloc(r->arena, sizeof(*c));
	enum err e;

	(void)wanted;
	if (c == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	switch (kind) {
	case SOBJ_SITE:
		e = sdb_site_rel(r, id, c);
		break;
	case SOBJ_PLACEMENT:
		e = sdb_placement_rel(r, id, c);
		break;
	case SOBJ_REPORT:
		e = sdb_report_rel(r, id, c);
		break;
	default:
		return ERR_NOT_FOUND;
	}
	if (e != ERR_OK)
		return e;
	*rel = c->rel;
	*ctx = c;
	r->subject_id = c->student_id; /* 0 for a site: it is nobody's */
	return ERR_OK;
}

enum err sopa_relations_of(struct req *r, int kind, const int64_t *ids, size_t n, unsigned *rel)
{
	return sdb_relations_of(r, kind, ids, n, rel);
}

/* ---- arguments ---- */

static const char *const staff_roles[] = {"delegue_stage", "gestionnaire_scolarite", NULL};
static const char *const competence_names[] = {"C1", "C2", "C6", "C7", "C11", NULL};
static const char *const ratings[] = {"non_acquis", "en_cours", "acquis", NULL};

#define PAGE_ARGS                                                                                  \
	{"limit", LOC_QUERY, P_INT, .min = 1, .max = 200},                                         \
	{                                                                                          \
		"offset", LOC_QUERY, P_INT, .min = 0, .max = 1000000                               \
	}

static const struct param_spec p_sites[] = {{"year_id", LOC_QUERY, P_ID}, PAGE_ARGS, {0}};
static const struct param_spec p_site[] = {
    {"id", LOC_PATH, P_ID, .required = true}, {"year_id", LOC_QUERY, P_ID}, {0}};
static const struct param_spec period_fields[] = {
    {"number", LOC_BODY, P_INT, .required = true, .min = 1, .max = 4},
    {"starts_on", LOC_BODY, P_DATE, .required = true},
    {"ends_on", LOC_BODY, P_DATE, .required = true},
    {0},
};
static const struct param_spec p_periods[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"year_id", LOC_BODY, P_ID},
    {"periods", LOC_BODY, P_LIST, .required = true, .min = 4, .max = 4, .fields = period_fields},
    {0},
};
static const struct param_spec p_staff_add[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"person_id", LOC_BODY, P_ID, .required = true},
    {"role", LOC_BODY, P_ENUM, .required = true, .choices = staff_roles},
    {0},
};
static const struct param_spec p_staff_remove[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"assignment_id", LOC_PATH, P_ID, .required = true},
    {0},
};
static const struct param_spec p_import[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"year_id", LOC_BODY, P_ID},
    {"csv", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 262144},
    {0},
};
static const struct param_spec p_jury[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"year_id", LOC_BODY, P_ID},
    {"mat_id", LOC_BODY, P_ID, .required = true},
    {"jury", LOC_BODY, P_BOOL, .required = true},
    {0},
};
static const struct param_spec p_csv[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"year_id", LOC_QUERY, P_ID},
    {"period", LOC_QUERY, P_INT, .min = 1, .max = 4},
    {0},
};
static const struct param_spec p_placements[] = {
    {"year_id", LOC_QUERY, P_ID},
    {"site_id", LOC_QUERY, P_ID},
    {"period", LOC_QUERY, P_INT, .min = 1, .max = 4},
    {"mat_id", LOC_QUERY, P_ID},
    {"student_id", LOC_QUERY, P_ID},
    {"q", LOC_QUERY, P_STRING, .min = 1, .max = 100},
    PAGE_ARGS,
    {0},
};
static const struct param_spec p_placement_create[] = {
    {"site_id", LOC_BODY, P_ID, .required = true},
    {"year_id", LOC_BODY, P_ID},
    {"period", LOC_BODY, P_INT, .required = true, .min = 1, .max = 4},
    {"student_id", LOC_BODY, P_ID, .required = true},
    {"mat_id", LOC_BODY, P_ID, .required = true},
    {"school_id", LOC_BODY, P_ID, .required = true},
    {"class_level", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 64},
    {"pupils", LOC_BODY, P_INT, .required = true, .min = 1, .max = 40},
    {0},
};
static const struct param_spec p_placement_patch[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"mat_id", LOC_BODY, P_ID},
    {"school_id", LOC_BODY, P_ID},
    {"class_level", LOC_BODY, P_STRING, .min = 1, .max = 64},
    {"pupils", LOC_BODY, P_INT, .min = 1, .max = 40},
    {0},
};
static const struct param_spec p_id[] = {{"id", LOC_PATH, P_ID, .required = true}, {0}};
static const struct param_spec ethics_fields[] = {
    {"competence", LOC_BODY, P_ENUM, .required = true, .choices = competence_names},
    {"rating", LOC_BODY, P_ENUM, .required = true, .choices = ratings},
    {0},
};
static const struct param_spec advice_fields[] = {
    {"text", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 1000},
    {0},
};
static const struct param_spec p_report_put[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"absences_half_days", LOC_BODY, P_INT, .nullable = true, .min = 0, .max = 200},
    {"step", LOC_BODY, P_INT, .nullable = true, .min = 1, .max = 4},
    {"comments_steps_12", LOC_BODY, P_STRING, .nullable = true, .min = 0, .max = 4000},
    {"comments_steps_34", LOC_BODY, P_STRING, .nullable = true, .min = 0, .max = 4000},
    {"sessions_led", LOC_BODY, P_INT, .nullable = true, .min = 0, .max = 200},
    {"sessions_designed", LOC_BODY, P_INT, .nullable = true, .min = 0, .max = 200},
    {"ethics", LOC_BODY, P_LIST, .min = 0, .max = 5, .fields = ethics_fields},
    {"advice", LOC_BODY, P_LIST, .min = 0, .max = 2, .fields = advice_fields},
    {0},
};
static const struct param_spec p_ue4[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"recorded", LOC_BODY, P_BOOL, .required = true},
    {0},
};

/* The year named by `year_id`, or the current one: 422 naming the field
 * when the académie has no such year. */
static enum err year_arg(struct req *r, int64_t *year_id, const char **starts,
			 const char **ends)
{
	bool found = false;
	const char *s = NULL, *en = NULL;
	enum err e = ERR_OK;

	*year_id = arg_int(r, "year_id", 0);
	if (*year_id == 0) {
		e = sdb_current_year(r, year_id);
		if (e == ERR_OK && *year_id == 0)
			return fail(r, ERR_INVALID_FIELD, "year_id",
				    "Aucune année en cours : précisez l’année.");
	}
	if (e == ERR_OK)
		e = sdb_year_dates(r, *year_id, &found, &s, &en);
	if (e == ERR_OK && !found)
		return fail(r, ERR_INVALID_FIELD, "year_id", "Année inconnue.");
	if (starts != NULL)
		*starts = s;
	if (ends != NULL)
		*ends = en;
	return e;
}

/* ---- sites ---- */

static enum err site_reply(struct req *r, int64_t site_id, int64_t year_id, int status)
{
	json_t *out = NULL, *site;
	enum err e = sdb_sites_json(r, year_id, site_id, 1, 0, &out);

	if (e != ERR_OK)
		return e;
	jarena(r, out);
	site = json_array_get(json_object_get(out, "items"), 0);
	if (site == NULL)
		return ERR_NOT_FOUND;
	reply_versioned(r, status, json_incref(site));
	return ERR_OK;
}

/* GET /api/v1/sopa/sites — the sites the caller holds a relation to, with
 * the periods of the year, the staff and the caller's relations. */
static enum err h_sites(struct req *r)
{
	int64_t year_id;
	json_t *out = NULL;
	enum err e = year_arg(r, &year_id, NULL, NULL);

	if (e == ERR_OK)
		e = sdb_sites_json(r, year_id, 0, arg_int(r, "limit", 50), arg_int(r, "offset", 0),
				   &out);
	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* GET /api/v1/sopa/sites/{id} — one site; ETag: the year's set-up version. */
static enum err h_site(struct req *r)
{
	int64_t year_id;
	enum err e = year_arg(r, &year_id, NULL, NULL);

	return e != ERR_OK ? e : site_reply(r, sopa_ctx(r)->id, year_id, 200);
}

/* The limits of one period (the seed's calendar): numbers once each, in
 * the school year, in order without overlap, periods 1 and 4 at most 7
 * days, 2 and 3 at most 14. */
static enum err periods_check(struct req *r, json_t *list, const char *y_start,
			      const char *y_end, size_t by_number[4])
{
	bool seen[5] = {false};
	size_t i;
	json_t *p;

	json_array_foreach(list, i, p)
	{
		int64_t n = json_integer_value(json_object_get(p, "number"));

		if (seen[n])
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "periods[%zu].number", i),
				    "Chaque période (1 à 4) figure une fois.");
		seen[n] = true;
		by_number[n - 1] = i;
	}
	for (int k = 0; k < 4; k++) {
		json_t *pk = json_array_get(list, by_number[k]);
		const char *s = json_string_value(json_object_get(pk, "starts_on"));
		const char *en = json_string_value(json_object_get(pk, "ends_on"));
		int64_t days = sopa_days(en) - sopa_days(s) + 1, max = k == 0 || k == 3 ? 7 : 14;
		size_t at = by_number[k];

		if (s == NULL || en == NULL || y_start == NULL || y_end == NULL)
			return fail_internal(r, ERR_INTERNAL, "period dates");
		if (strcmp(s, y_start) < 0 || strcmp(s, y_end) > 0)
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "periods[%zu].starts_on", at),
				    "La période doit se situer dans l’année scolaire.");
		if (strcmp(en, y_start) < 0 || strcmp(en, y_end) > 0)
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "periods[%zu].ends_on", at),
				    "La période doit se situer dans l’année scolaire.");
		if (strcmp(en, s) < 0)
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "periods[%zu].ends_on", at),
				    "La fin précède le début de la période.");
		if (days > max)
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "periods[%zu].ends_on", at),
				    k == 0 || k == 3
					? "Les SOPA 1 et 4 durent une semaine au plus (7 jours)."
					: "Les SOPA 2 et 3 durent deux semaines au plus (14 jours).");
		if (k > 0) {
			const char *prev = json_string_value(
			    json_object_get(json_array_get(list, by_number[k - 1]), "ends_on"));

			if (prev != NULL && strcmp(s, prev) <= 0)
				return fail(r, ERR_INVALID_FIELD,
					    arena_printf(r->arena, "periods[%zu].starts_on", at),
					    "Les périodes se suivent dans l’ordre sans se "
					    "chevaucher.");
		}
	}
	return ERR_OK;
}

/* PUT /api/v1/sopa/sites/{id}/periods — the four periods of the year
 * (If-Match the set-up's version; none or * the first time). 200 the
 * site; 422 naming periods[i].field. */
static enum err h_periods(struct req *r)
{
	int64_t site = sopa_ctx(r)->id, year_id, row_id = 0, version = 0, sent;
	const char *y_start = NULL, *y_end = NULL;
	json_t *list = arg_list(r, "periods");
	size_t by_number[4] = {0};
	enum err e = year_arg(r, &year_id, &y_start, &y_end);

	if (e == ERR_OK)
		e = periods_check(r, list, y_start, y_end, by_number);
	if (e == ERR_OK)
		e = sdb_site_year_lock(r, site, year_id, &row_id, &version);
	if (e != ERR_OK)
		return e;
	if (row_id != 0) {
		e = req_if_match(r, &sent);
		if (e == ERR_OK && sent != version)
			return fail(r, ERR_PRECONDITION_FAILED, NULL,
				    arena_printf(r->arena,
						 "Les périodes ont été modifiées par quelqu’un "
						 "d’autre (version actuelle : %lld). Rechargez-les.",
						 (long long)version));
	} else if (r->if_match != NULL && strcmp(r->if_match, "*") != 0) {
		e = req_if_match(r, &sent);
		if (e == ERR_OK && sent != 0)
			return fail(r, ERR_PRECONDITION_FAILED, NULL,
				    "Les périodes n’ont pas encore été définies (version 0).");
	}
	if (e == ERR_OK)
		e = sdb_site_year_write(r, site, year_id, row_id);
	for (int k = 0; e == ERR_OK && k < 4; k++) {
		json_t *p = json_array_get(list, by_number[k]);

		e = sdb_period_upsert(r, site, year_id, k + 1,
				      json_string_value(json_object_get(p, "starts_on")),
				      json_string_value(json_object_get(p, "ends_on")));
	}
	if (e == ERR_OK)
		e = audit_record_body(r, "sopa.periods", "structure", site);
	return e != ERR_OK ? e : site_reply(r, site, year_id, 200);
}

/* POST /api/v1/sopa/sites/{id}/staff — a délégué de stage or a
 * gestionnaire de scolarité of the site (a local assignment). 201
 * {assignment_id}; 409 already_assigned; 422 person_id. */
static enum err h_staff_add(struct req *r)
{
	int64_t site = sopa_ctx(r)->id, id = 0;
	enum err e = sdb_staff_add(r, site, arg_int(r, "person_id", 0), arg_str(r, "role"), &id);

	if (e == ERR_DUPLICATE)
		return fail_problem(r, &P_ALREADY_ASSIGNED, "person_id", NULL);
	if (e == ERR_REFERENCE)
		return fail(r, ERR_INVALID_FIELD, "person_id", "Personne inconnue.");
	if (e == ERR_OK)
		e = audit_record(r, "sopa.staff_add", "role_assignment", id,
				 jarena(r, json_pack("{s:I, s:s}", "site_id", (json_int_t)site,
						     "role", arg_str(r, "role"))));
	if (e == ERR_OK)
		reply_json(r, 201, json_pack("{s:I}", "assignment_id", (json_int_t)id));
	return e;
}

/* DELETE /api/v1/sopa/sites/{id}/staff/{assignment_id} — 204; 404 for an
 * assignment that is not a délégué or gestionnaire of this site. */
static enum err h_staff_remove(struct req *r)
{
	int64_t site = sopa_ctx(r)->id, id = arg_int(r, "assignment_id", 0);
	bool found = false;
	enum err e = sdb_staff_remove(r, site, id, &found);

	if (e == ERR_OK && !found)
		return ERR_NOT_FOUND;
	if (e == ERR_OK)
		e = audit_record(r, "sopa.staff_remove", "role_assignment", id, NULL);
	if (e == ERR_OK)
		reply_empty(r, 204);
	return e;
}

/* PUT /api/v1/sopa/sites/{id}/jury — names a MAT (or not) to the UE4 oral
 * jury of semester 2. 200; 422 mat_id. */
static enum err h_jury(struct req *r)
{
	int64_t site = sopa_ctx(r)->id, year_id, mat = arg_int(r, "mat_id", 0);
	bool jury = arg_bool(r, "jury", false), is_mat = false;
	enum err e = year_arg(r, &year_id, NULL, NULL);

	if (e == ERR_OK)
		e = sdb_has_role(r, mat, "mat", &is_mat);
	if (e == ERR_OK && !is_mat)
		return fail(r, ERR_INVALID_FIELD, "mat_id",
			    "Cette personne n’est pas maître d’accueil temporaire.");
	if (e == ERR_OK)
		e = sdb_jury_set(r, site, year_id, mat, jury);
	if (e == ERR_OK)
		e = audit_record_body(r, "sopa.jury", "structure", site);
	if (e == ERR_OK)
		reply_json(r, 200,
			   json_pack("{s:I, s:I, s:I, s:b}", "site_id", (json_int_t)site, "year_id",
				     (json_int_t)year_id, "mat_id", (json_int_t)mat, "jury", jury));
	return e;
}

/* GET /api/v1/sopa/sites/{id}/reports.csv — one line per placement of the
 * year (of a period), with the latest sent version's grid. */
static enum err h_csv(struct req *r)
{
	int64_t year_id;
	char *csv = NULL;
	size_t len = 0;
	enum err e = year_arg(r, &year_id, NULL, NULL);

	if (e == ERR_OK)
		e = sdb_reports_csv(r, sopa_ctx(r)->id, year_id, (int)arg_int(r, "period", 0), &csv,
				    &len);
	if (e != ERR_OK)
		return e;
	r->status = 200;
	r->raw_reply = csv;
	r->raw_len = len;
	r->reply_type = "text/csv; charset=utf-8";
	reply_header(r, "Content-Disposition: attachment; filename=\"comptes-rendus-sopa.csv\"");
	return ERR_OK;
}

/* ---- placements ---- */

/* The checks of a placement against the académie's data; `names` are the
 * fields to name: student, MAT, school (the API's ids, the import's
 * columns). */
static enum err placement_check(struct req *r, const struct sopa_placement_in *in, int64_t except,
				const char *const names[3], bool check_student)
{
	bool ok = false;
	int64_t load = 0;
	enum err e = ERR_OK;

	if (check_student) {
		e = sdb_has_role(r, in->student_id, "etudiant_sopa", &ok);
		if (e == ERR_OK && !ok)
			return fail(r, ERR_INVALID_FIELD, names[0],
				    "Cette personne n’est pas étudiante en SOPA.");
		if (e == ERR_OK)
			e = sdb_student_placed(r, in->student_id, in->period_id, except, &ok);
		if (e == ERR_OK && ok)
			return fail(r, ERR_INVALID_FIELD, names[0],
				    "Cet étudiant a déjà un stage sur cette période.");
	}
	if (e == ERR_OK)
		e = sdb_has_role(r, in->mat_id, "mat", &ok);
	if (e == ERR_OK && !ok)
		return fail(r, ERR_INVALID_FIELD, names[1],
			    "Cette personne n’est pas maître d’accueil temporaire.");
	if (e == ERR_OK)
		e = sdb_mat_load(r, in->mat_id, in->period_id, except, &load);
	if (e == ERR_OK && load >= 2)
		return fail(r, ERR_INVALID_FIELD, names[1],
			    "Ce maître d’accueil reçoit déjà deux étudiants sur cette période.");
	if (e == ERR_OK)
		e = sdb_is_school(r, in->school_id, &ok);
	if (e == ERR_OK && !ok)
		return fail(r, ERR_INVALID_FIELD, names[2], "École inconnue.");
	return e;
}

static const char *const api_names[3] = {"student_id", "mat_id", "school_id"};

static enum err placement_reply(struct req *r, int64_t id, unsigned rel, int status)
{
	json_t *out = NULL;
	enum err e = sdb_placement_json(r, id, rel, &out);

	if (e == ERR_OK)
		reply_versioned(r, status, out);
	return e;
}

/* GET /api/v1/sopa/placements — the caller's own: hosted (MAT), theirs
 * (student), their sites' (staff; all for the bureau and direction). */
static enum err h_placements(struct req *r)
{
	int64_t year_id;
	json_t *out = NULL, *f;
	enum err e = year_arg(r, &year_id, NULL, NULL);

	if (e != ERR_OK)
		return e;
	f = jarena(r, json_pack("{s:I, s:I, s:I, s:I, s:I, s:s?}", "year_id", (json_int_t)year_id,
				"site_id", (json_int_t)arg_int(r, "site_id", 0), "period",
				(json_int_t)arg_int(r, "period", 0), "mat_id",
				(json_int_t)arg_int(r, "mat_id", 0), "student_id",
				(json_int_t)arg_int(r, "student_id", 0), "q", arg_str(r, "q")));
	e = sdb_placements_json(r, f, arg_int(r, "limit", 50), arg_int(r, "offset", 0), &out);
	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* POST /api/v1/sopa/placements — a site manager places a student with a
 * MAT for a period. 201 the placement; 422 naming the field; 403 for a
 * site the caller does not manage. */
static enum err h_placement_create(struct req *r)
{
	struct sopa_ctx site = {0};
	struct sopa_placement_in in = {
	    .student_id = arg_int(r, "student_id", 0),
	    .mat_id = arg_int(r, "mat_id", 0),
	    .school_id = arg_int(r, "school_id", 0),
	    .pupils = arg_int(r, "pupils", 1),
	    .class_level = arg_str(r, "class_level"),
	};
	int64_t year_id, id = random_id(), site_id = arg_int(r, "site_id", 0);
	enum err e = sdb_site_rel(r, site_id, &site);

	if (e == ERR_NOT_FOUND)
		return fail(r, ERR_INVALID_FIELD, "site_id", "Site de l’INSPÉ inconnu.");
	if (e == ERR_OK && !(site.rel & SREL_SITE_MANAGER))
		return fail(r, ERR_FORBIDDEN, "site_id",
			    "Seuls le responsable du site, ses délégués de stage et le bureau des "
			    "stages placent les étudiants.");
	if (e == ERR_OK)
		e = year_arg(r, &year_id, NULL, NULL);
	if (e == ERR_OK)
		e = sdb_period_find(r, site_id, year_id, (int)arg_int(r, "period", 0),
				    &in.period_id);
	if (e == ERR_OK && in.period_id == 0)
		return fail(r, ERR_INVALID_FIELD, "period",
			    "Les dates de cette période ne sont pas encore fixées pour le site.");
	if (e == ERR_OK)
		e = placement_check(r, &in, 0, api_names, true);
	if (e == ERR_OK)
		e = sdb_placement_insert(r, id, &in);
	if (e == ERR_DUPLICATE)
		return fail(r, ERR_INVALID_FIELD, "student_id",
			    "Cet étudiant a déjà un stage sur cette période.");
	if (e == ERR_OK)
		e = audit_record_body(r, "sopa.placement_create", "sopa_placement", id);
	return e != ERR_OK ? e : placement_reply(r, id, site.rel, 201);
}

/* GET /api/v1/sopa/placements/{id} */
static enum err h_placement_get(struct req *r)
{
	return placement_reply(r, sopa_ctx(r)->id, sopa_ctx(r)->rel, 200);
}

/* PATCH /api/v1/sopa/placements/{id} — MAT, school, class (If-Match);
 * 409 report_sent once a version is sent. */
static enum err h_placement_patch(struct req *r)
{
	struct sopa_ctx *c = sopa_ctx(r);
	struct sopa_placement_in in;
	int64_t version, n = 0, sent = 0;
	enum err e = req_if_match(r, &version);

	if (e == ERR_OK && version != c->version)
		return fail(r, ERR_PRECONDITION_FAILED, NULL,
			    "Le stage a été modifié par quelqu’un d’autre : rechargez-le.");
	if (e == ERR_OK)
		e = sdb_placement_reports(r, c->id, &n, &sent);
	if (e == ERR_OK && sent > 0)
		return fail_problem(r, &P_REPORT_SENT, NULL,
				    "Un compte-rendu de ce stage est transmis : le stage ne se "
				    "modifie plus.");
	if (e == ERR_OK)
		e = sdb_placement_in(r, c->id, &in);
	if (e != ERR_OK)
		return e;
	if (arg_has(r, "mat_id"))
		in.mat_id = arg_int(r, "mat_id", 0);
	if (arg_has(r, "school_id"))
		in.school_id = arg_int(r, "school_id", 0);
	if (arg_has(r, "class_level"))
		in.class_level = arg_str(r, "class_level");
	if (arg_has(r, "pupils"))
		in.pupils = arg_int(r, "pupils", 1);
	e = placement_check(r, &in, c->id, api_names, false);
	if (e == ERR_OK)
		e = sdb_placement_update(r, c->id, version, &in);
	if (e == ERR_OK)
		e = audit_record_body(r, "sopa.placement_update", "sopa_placement", c->id);
	return e != ERR_OK ? e : placement_reply(r, c->id, c->rel, 200);
}

/* DELETE /api/v1/sopa/placements/{id} — 204; 409 report_exists. */
static enum err h_placement_delete(struct req *r)
{
	int64_t id = sopa_ctx(r)->id, n = 0, sent = 0;
	enum err e = sdb_placement_reports(r, id, &n, &sent);

	if (e == ERR_OK && n > 0)
		return fail_problem(r, &P_REPORT_EXISTS, NULL,
				    "Le stage a un compte-rendu : il ne se supprime plus.");
	if (e == ERR_OK)
		e = sdb_placement_delete(r, id);
	if (e == ERR_OK)
		e = audit_record(r, "sopa.placement_delete", "sopa_placement", id, NULL);
	if (e == ERR_OK)
		reply_empty(r, 204);
	return e;
}

/* POST /api/v1/sopa/sites/{id}/placements/import — the site's placements
 * from CSV, all or nothing: every bad line is listed ({line, field,
 * detail}, the header is line 1) and nothing is written. 201 {created}. */
static enum err h_import(struct req *r)
{
	int64_t site = sopa_ctx(r)->id, year_id;
	const char *csv = arg_str(r, "csv");
	struct csv_row *rows = NULL;
	size_t n_rows = 0, created = 0;
	int err_line = 0;
	const char *why = NULL;
	json_t *errors;
	enum err e = year_arg(r, &year_id, NULL, NULL);

	if (e != ERR_OK)
		return e;
	if (!csv_parse(csv, strlen(csv), &rows, &n_rows, &err_line, &why))
		return fail(r, ERR_INVALID_FIELD, "csv",
			    arena_printf(r->arena, "Ligne %d : %s", err_line,
					 why != NULL ? why : "CSV illisible"));
	errors = jarena(r, json_array());
	if (n_rows == 0 || rows[0].n != 6)
		e = ERR_INVALID_FIELD;
	for (size_t c = 0; e == ERR_OK && c < 6; c++)
		if (strcmp(rows[0].f[c], sopa_import_columns[c]) != 0)
			e = ERR_INVALID_FIELD;
	if (e != ERR_OK) {
		csv_free(rows, n_rows);
		return fail(r, ERR_INVALID_FIELD, "csv",
			    "L’en-tête doit être : period,student,mat,school,class_level,pupils");
	}
	for (size_t i = 1; i < n_rows; i++) {
		enum err le = rows[i].n == 6 ? sopa_import_line(r, site, year_id, rows[i].f)
					     : fail(r, ERR_INVALID_FIELD, "csv",
						    "6 champs attendus sur la ligne.");

		if (le == ERR_OK) {
			created++;
			continue;
		}
		if (r->err == ERR_OK || r->err >= ERR_DATABASE_UNAVAILABLE) {
			csv_free(rows, n_rows);
			return le; /* not a refusal of the line: the request fails */
		}
		json_array_append_new(errors, json_pack("{s:i, s:s?, s:s?}", "line", rows[i].line,
							"field", r->err_field, "detail",
							r->err_detail));
		r->err = ERR_OK;
		r->problem = NULL;
		r->err_field = r->err_detail = NULL;
	}
	csv_free(rows, n_rows);
	if (json_array_size(errors) > 0) {
		r->err_list = errors;
		return fail(r, ERR_INVALID_FIELD, "csv",
			    arena_printf(r->arena, "%zu ligne(s) refusée(s) : rien n’est importé.",
					 json_array_size(errors)));
	}
	if (created == 0)
		return fail(r, ERR_INVALID_FIELD, "csv", "Le fichier ne contient aucun stage.");
	e = audit_record(r, "sopa.placements_import", "structure", site,
			 jarena(r, json_pack("{s:I, s:I}", "year_id", (json_int_t)year_id,
					     "created", (json_int_t)created)));
	if (e == ERR_OK)
		reply_json(r, 201, json_pack("{s:I}", "created", (json_int_t)created));
	return e;
}

/* ---- reports ---- */

static enum err report_reply(struct req *r, int64_t id, unsigned rel, int status)
{
	json_t *out = NULL;
	enum err e = sdb_report_json(r, id, rel, &out);

	if (e == ERR_OK)
		reply_versioned(r, status, out);
	return e;
}

/* POST /api/v1/sopa/placements/{id}/report — the MAT opens the draft
 * (version 1). 201; 409 report_exists. */
static enum err h_report_create(struct req *r)
{
	int64_t id = random_id(), placement = sopa_ctx(r)->id;
	enum err e = sdb_report_insert(r, id, placement);

	if (e == ERR_DUPLICATE)
		return fail_problem(r, &P_REPORT_EXISTS, NULL,
				    "Un compte-rendu existe déjà : rédigez une correction.");
	if (e == ERR_OK)
		e = audit_record(r, "sopa.report_create", "sopa_report", id,
				 jarena(r, json_pack("{s:I}", "placement_id",
						     (json_int_t)placement)));
	return e != ERR_OK ? e : report_reply(r, id, SREL_MAT, 201);
}

/* GET /api/v1/sopa/reports/{id} — the student sees sent versions only. */
static enum err h_report_get(struct req *r)
{
	return report_reply(r, sopa_ctx(r)->id, sopa_ctx(r)->rel, 200);
}

static const char *const competence_key[] = {"C1", "C2", "C6", "C7", "C11"};

/* PUT /api/v1/sopa/reports/{id} — the MAT writes the draft (If-Match):
 * a member absent keeps its value, null clears it; ethics and advice are
 * replaced whole when given. 409 report_sent; 412; 422 naming the field. */
static enum err h_report_put(struct req *r)
{
	static const char *const scalars[] = {
	    "absences_half_days", "step", "comments_steps_12", "comments_steps_34",
	    "sessions_led", "sessions_designed"};
	struct sopa_ctx *c = sopa_ctx(r);
	struct sopa_draft d = {0};
	int64_t version, capacity = 0;
	enum err e = req_if_match(r, &version);

	if (e != ERR_OK)
		return e;
	if (c->sent)
		return fail_problem(r, &P_REPORT_SENT, NULL, NULL);
	if (version != c->version)
		return fail(r, ERR_PRECONDITION_FAILED, NULL,
			    arena_printf(r->arena,
					 "Le compte-rendu a été modifié par quelqu’un d’autre "
					 "(version actuelle : %lld). Rechargez-le.",
					 (long long)c->version));
	for (int f = 0; f < 6; f++) {
		const struct arg *a = arg_get(r, scalars[f]);

		if (a == NULL || !a->present)
			continue;
		d.set[f] = true;
		if (a->is_null)
			d.val[f] = NULL;
		else if (a->spec->type == P_INT)
			d.val[f] = arena_printf(r->arena, "%lld", (long long)a->i);
		else
			d.val[f] = a->s;
	}
	if (d.set[SF_ABSENCES] && d.val[SF_ABSENCES] != NULL) {
		e = sdb_report_capacity(r, c->id, &capacity);
		if (e == ERR_OK && arg_int(r, "absences_half_days", 0) > capacity)
			return fail(r, ERR_INVALID_FIELD, "absences_half_days",
				    arena_printf(r->arena,
						 "La période compte %lld demi-journées au plus.",
						 (long long)capacity));
		if (e != ERR_OK)
			return e;
	}
	if (arg_has(r, "ethics")) {
		size_t i;
		json_t *it;

		for (int k = 0; k < 5; k++)
			d.set[SF_C1 + k] = true;
		json_array_foreach(arg_list(r, "ethics"), i, it)
		{
			const char *comp = json_string_value(json_object_get(it, "competence"));

			for (int k = 0; k < 5; k++) {
				if (strcmp(comp, competence_key[k]) != 0)
					continue;
				if (d.val[SF_C1 + k] != NULL)
					return fail(r, ERR_INVALID_FIELD,
						    arena_printf(r->arena,
								 "ethics[%zu].competence", i),
						    "Chaque compétence figure une fois.");
				d.val[SF_C1 + k] =
				    json_string_value(json_object_get(it, "rating"));
			}
		}
	}
	if (arg_has(r, "advice")) {
		json_t *list = arg_list(r, "advice");

		d.set[SF_ADVICE_1] = d.set[SF_ADVICE_2] = true;
		d.val[SF_ADVICE_1] =
		    json_string_value(json_object_get(json_array_get(list, 0), "text"));
		d.val[SF_ADVICE_2] =
		    json_string_value(json_object_get(json_array_get(list, 1), "text"));
	}
	e = sdb_report_update(r, c->id, version, &d);
	if (e == ERR_OK)
		e = audit_record_body(r, "sopa.report_update", "sopa_report", c->id);
	return e != ERR_OK ? e : report_reply(r, c->id, c->rel, 200);
}

/* POST /api/v1/sopa/reports/{id}/send — the MAT sends the draft
 * (If-Match): frozen from then on; the site's gestionnaires and the
 * student are told. 200; 409 already_sent; 422 incomplete. */
static enum err h_report_send(struct req *r)
{
	struct sopa_ctx *c = sopa_ctx(r);
	int64_t version, *rcpt = NULL;
	size_t n = 0;
	bool done = false;
	const char *field = NULL, *detail = NULL, *student = NULL;
	enum err e = req_if_match(r, &version);

	if (e != ERR_OK)
		return e;
	if (c->sent)
		return fail_problem(r, &P_ALREADY_SENT, NULL, NULL);
	if (version != c->version)
		return fail(r, ERR_PRECONDITION_FAILED, NULL,
			    "Le compte-rendu a été modifié par quelqu’un d’autre : rechargez-le.");
	e = sdb_report_missing(r, c->id, &field, &detail);
	if (e == ERR_OK && field != NULL)
		return fail_problem(r, &P_INCOMPLETE, field, detail);
	if (e == ERR_OK)
		e = sdb_report_send(r, c->id, version, &done);
	if (e == ERR_OK && !done)
		return fail_problem(r, &P_ALREADY_SENT, NULL, NULL);
	if (e == ERR_OK)
		e = audit_record(r, "sopa.report_send", "sopa_report", c->id, NULL);
	if (e == ERR_OK)
		e = sdb_report_audience(r, c->site_id, c->student_id, &rcpt, &n, &student);
	if (e == ERR_OK) {
		const struct notice notice = {
		    .kind = "sopa.report_sent",
		    .object = sopa_object_names[SOBJ_REPORT],
		    .object_kind = SOBJ_REPORT,
		    .object_id = c->id,
		    .relations = SREL_SITE_OFFICE | SREL_STUDENT,
		    .subject = student,
		    .link = arena_printf(r->arena, "/app.html#/sopa/comptes-rendus/%lld",
					 (long long)c->id),
		};
		e = notify(r, &sopa_module, &notice, rcpt, n);
	}
	return e != ERR_OK ? e : report_reply(r, c->id, c->rel, 200);
}

/* POST /api/v1/sopa/reports/{id}/correction — a new draft version copied
 * from the latest, sent one. 201; 409 report_not_sent or newer_version. */
static enum err h_report_correction(struct req *r)
{
	struct sopa_ctx *c = sopa_ctx(r);
	int64_t id = random_id();
	enum err e;

	if (!c->latest)
		return fail_problem(r, &P_NEWER_VERSION, NULL, NULL);
	if (!c->sent)
		return fail_problem(r, &P_REPORT_NOT_SENT, NULL,
				    "Le brouillon se modifie directement.");
	e = sdb_report_correction(r, id, c->id);
	if (e == ERR_DUPLICATE)
		return fail_problem(r, &P_NEWER_VERSION, NULL, NULL);
	if (e == ERR_OK)
		e = audit_record(r, "sopa.report_correction", "sopa_report", id,
				 jarena(r, json_pack("{s:I}", "from", (json_int_t)c->id)));
	return e != ERR_OK ? e : report_reply(r, id, c->rel, 201);
}

/* PUT /api/v1/sopa/reports/{id}/ue4 — the gestionnaire marks the sent
 * report as recorded for UE4 (or not). 200; 409 report_not_sent. */
static enum err h_report_ue4(struct req *r)
{
	struct sopa_ctx *c = sopa_ctx(r);
	bool recorded = arg_bool(r, "recorded", false);
	enum err e;

	if (!c->sent)
		return fail_problem(r, &P_REPORT_NOT_SENT, NULL, NULL);
	e = sdb_report_ue4(r, c->id, recorded);
	if (e == ERR_OK)
		e = audit_record(r, "sopa.report_ue4", "sopa_report", c->id,
				 jarena(r, json_pack("{s:b}", "recorded", recorded)));
	return e != ERR_OK ? e : report_reply(r, c->id, c->rel, 200);
}

/* ---- the routes ---- */

#define SITE_STAFF                                                                                 \
	(R(RESPONSABLE_SITE) | R(DELEGUE_STAGE) | R(GESTIONNAIRE_SCOLARITE) | R(BUREAU_STAGES) |   \
	 R(DIRECTION_INSPE))
#define SOPA_ALL		   (SITE_STAFF | R(MAT) | R(ETUDIANT_SOPA))
#define SEEN(kind, see)		   .object = {SOBJ_##kind, "id", see, 0, NULL}
#define ACTED(kind, see, act, why) .object = {SOBJ_##kind, "id", see, act, why}
#define PLACEMENT_SEE		   (SREL_SITE | SREL_MAT | SREL_STUDENT)
#define MANAGERS_ONLY                                                                              \
	"Seuls le responsable du site, ses délégués de stage et le bureau des stages organisent " \
	"les SOPA."
#define MAT_ONLY "Le compte-rendu est rédigé par le maître d’accueil temporaire."

static struct route sopa_routes[] = {
    {M_GET, "/api/v1/sopa/sites", h_sites, p_sites, SITE_STAFF},
    {M_GET, "/api/v1/sopa/sites/{id}", h_site, p_site, SITE_STAFF, SEEN(SITE, SREL_SITE)},
    {M_PUT, "/api/v1/sopa/sites/{id}/periods", h_periods, p_periods, SITE_STAFF,
     ACTED(SITE, SREL_SITE, SREL_SITE_MANAGER, MANAGERS_ONLY)},
    {M_POST, "/api/v1/sopa/sites/{id}/staff", h_staff_add, p_staff_add, SITE_STAFF,
     ACTED(SITE, SREL_SITE, SREL_SITE_MANAGER, MANAGERS_ONLY)},
    {M_DELETE, "/api/v1/sopa/sites/{id}/staff/{assignment_id}", h_staff_remove, p_staff_remove,
     SITE_STAFF, ACTED(SITE, SREL_SITE, SREL_SITE_MANAGER, MANAGERS_ONLY)},
    {M_POST, "/api/v1/sopa/sites/{id}/placements/import", h_import, p_import, SITE_STAFF,
     ACTED(SITE, SREL_SITE, SREL_SITE_MANAGER, MANAGERS_ONLY), .max_body = (size_t)1024 * 1024},
    {M_PUT, "/api/v1/sopa/sites/{id}/jury", h_jury, p_jury, SITE_STAFF,
     ACTED(SITE, SREL_SITE, SREL_SITE_MANAGER | SREL_SITE_OFFICE,
	   "Le gestionnaire de scolarité ou les organisateurs du site désignent le jury.")},
    {M_GET, "/api/v1/sopa/sites/{id}/reports.csv", h_csv, p_csv, SITE_STAFF,
     SEEN(SITE, SREL_SITE)},
    {M_GET, "/api/v1/sopa/placements", h_placements, p_placements, SOPA_ALL},
    {M_POST, "/api/v1/sopa/placements", h_placement_create, p_placement_create, SITE_STAFF},
    {M_GET, "/api/v1/sopa/placements/{id}", h_placement_get, p_id, SOPA_ALL,
     SEEN(PLACEMENT, PLACEMENT_SEE)},
    {M_PATCH, "/api/v1/sopa/placements/{id}", h_placement_patch, p_placement_patch, SOPA_ALL,
     ACTED(PLACEMENT, PLACEMENT_SEE, SREL_SITE_MANAGER, MANAGERS_ONLY)},
    {M_DELETE, "/api/v1/sopa/placements/{id}", h_placement_delete, p_id, SOPA_ALL,
     ACTED(PLACEMENT, PLACEMENT_SEE, SREL_SITE_MANAGER, MANAGERS_ONLY)},
    {M_POST, "/api/v1/sopa/placements/{id}/report", h_report_create, p_id, SOPA_ALL,
     ACTED(PLACEMENT, PLACEMENT_SEE, SREL_MAT, MAT_ONLY)},
    {M_GET, "/api/v1/sopa/reports/{id}", h_report_get, p_id, SOPA_ALL, .read_log = "sopa_report",
     SEEN(REPORT, PLACEMENT_SEE)},
    {M_PUT, "/api/v1/sopa/reports/{id}", h_report_put, p_report_put, SOPA_ALL,
     ACTED(REPORT, PLACEMENT_SEE, SREL_MAT, MAT_ONLY)},
    {M_POST, "/api/v1/sopa/reports/{id}/send", h_report_send, p_id, SOPA_ALL,
     ACTED(REPORT, PLACEMENT_SEE, SREL_MAT, MAT_ONLY)},
    {M_POST, "/api/v1/sopa/reports/{id}/correction", h_report_correction, p_id, SOPA_ALL,
     ACTED(REPORT, PLACEMENT_SEE, SREL_MAT, MAT_ONLY)},
    {M_PUT, "/api/v1/sopa/reports/{id}/ue4", h_report_ue4, p_ue4, SOPA_ALL,
     ACTED(REPORT, PLACEMENT_SEE, SREL_SITE_OFFICE,
	   "Le gestionnaire de scolarité du site enregistre les comptes-rendus pour l’UE4.")},
};

const struct module sopa_module = {
    .name = "sopa",
    .routes = sopa_routes,
    .n_routes = ARRAY_LEN(sopa_routes),
    .resolve = sopa_resolve,
    .relations = sopa_relation_names,
    .objects = sopa_object_names,
    .statements = sopa_statements,
    .problems = sopa_problems,
    .imports = sopa_imports,
    .notices = sopa_notices,
    .relations_of = sopa_relations_of,
    .reminders = sopa_reminders,
    .agenda = &sopa_agenda,
    .more_statements = sopa_remind_statements,
};
