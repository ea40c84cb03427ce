/*
 * Routes and handlers of the rgpd module (docs/rgpd-access.md): "Qui a
 * consulté mon dossier" (the caller's rows of read_log, which the pipeline
 * writes for the routes that declare .read_log), rectification requests
 * (the person asks, the académie's admins answer) and the académie's
 * transparency page (public, edited by its admins).
 */
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "authz.h"
#include "config.h"
#include "db.h"
#include "modules.h"
#include "notify.h"
#include "req.h"
#include "rgpd.h"
#include "util.h"

const char *const rgpd_relation_names[] = {"requester", "admin", NULL};
const char *const rgpd_object_names[] = {"", "rectification_request", NULL};

static const struct notice_kind rgpd_notices[] = {
    {"rgpd.rectification_requested", "Demande de rectification de données",
     "a demandé la rectification de ses données d’identité",
     "Une demande de rectification vous attend", CHANNEL_EMAIL},
    {"rgpd.rectification_answered", "Réponse à une demande de rectification",
     "a répondu à votre demande de rectification", "Votre demande de rectification a une réponse",
     CHANNEL_EMAIL},
    {0},
};

static const struct problem_def P_ANSWER_MISSING = {
    422, "answer_required", "Une demande faite ou refusée porte une réponse."};
static const struct problem_def *const rgpd_problems[] = {&P_ANSWER_MISSING, NULL};

/* A text that is not only blank: a section or an answer says something. */
static bool not_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return true;
	return false;
}

static const char *const fields[] = {"display_name", "given_name", "family_name", "email", NULL};
static const char *const statuses[] = {"open", "in_progress", "done", "refused", NULL};
static const char *const answers[] = {"in_progress", "done", "refused", NULL};

#define PAGE_ARGS                                                                                  \
	{"limit", LOC_QUERY, P_INT, .min = 1, .max = 200},                                         \
	{                                                                                          \
		"offset", LOC_QUERY, P_INT, .min = 0, .max = 1000000                               \
	}

static const struct param_spec p_page[] = {PAGE_ARGS, {0}};
static const struct param_spec p_admin_list[] = {
    {"status", LOC_QUERY, P_ENUM, .choices = statuses}, PAGE_ARGS, {0}};
static const struct param_spec p_rect_create[] = {
    {"field", LOC_BODY, P_ENUM, .required = true, .choices = fields},
    {"requested_value", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 254,
     .check = not_blank},
    {"comment", LOC_BODY, P_STRING, .nullable = true, .max = 2000},
    {0},
};
static const struct param_spec p_rect_answer[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"status", LOC_BODY, P_ENUM, .required = true, .choices = answers},
    {"answer", LOC_BODY, P_STRING, .nullable = true, .max = 4000},
    {0},
};
static const struct param_spec p_notice_get[] = {
    {"academy", LOC_QUERY, P_STRING, .required = true, .min = 1, .max = 32}, {0}};
#define SECTION(name)                                                                              \
	{                                                                                          \
		name, LOC_BODY, P_STRING, .required = true, .min = 1, .max = 8000,                 \
					  .check = not_blank                                       \
	}
static const struct param_spec p_notice_put[] = {
    SECTION("controller"),  SECTION("dpo_contact"), SECTION("purposes"),
    SECTION("legal_basis"), SECTION("recipients"),  SECTION("retention"),
    SECTION("rights"),	    SECTION("complaint"),   {0},
};

/* GET /api/v1/me/reads — any signed-in person: the reads of their own
 * records by others (read_log), newest first, {items, total}. 200. */
static enum err h_reads(struct req *r)
{
	json_t *out = NULL;
	enum err e = gdb_reads(r, arg_int(r, "limit", 50), arg_int(r, "offset", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* GET /api/v1/me/rectification-requests — any signed-in person: their own
 * requests with status and answer, newest first. 200. */
static enum err h_mine(struct req *r)
{
	json_t *out = NULL;
	enum err e = gdb_rect_mine(r, arg_int(r, "limit", 50), arg_int(r, "offset", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/*
 * POST /api/v1/me/rectification-requests — any signed-in person: asks the
 * académie's admins to correct one identity field (which comes from the
 * directory). The admins are notified (the requester's name, never the
 * value asked for). 201 {id}; 422 naming a bad field.
 */
static enum err h_create(struct req *r)
{
	int64_t id = 0, *admins = NULL;
	size_t n = 0;
	enum err e = gdb_rect_create(r, arg_str(r, "field"), arg_str(r, "requested_value"),
				     arg_str(r, "comment"), &id);

	if (e == ERR_OK)
		e = audit_record_body(r, "rectification.request", "rectification_request", id);
	if (e == ERR_OK)
		e = gdb_admins(r, &admins, &n);
	if (e == ERR_OK) {
		const struct notice notice = {
		    .kind = "rgpd.rectification_requested",
		    .object = rgpd_object_names[GOBJ_RECTIFICATION],
		    .object_kind = GOBJ_RECTIFICATION,
		    .object_id = id,
		    .relations = GREL_ADMIN,
		    .subject = r->who.display_name,
		    .link = "/app.html#/administration/rectifications",
		};
		e = notify(r, &rgpd_module, &notice, admins, n);
	}
	if (e != ERR_OK)
		return e;
	reply_id(r, 201, id);
	return ERR_OK;
}

/* GET /api/v1/admin/rectification-requests?status= — admin: the
 * académie's requests, the ones to answer first. 200. */
static enum err h_admin_list(struct req *r)
{
	json_t *out = NULL;
	enum err e = gdb_rect_list(r, arg_str(r, "status"), arg_int(r, "limit", 50),
				   arg_int(r, "offset", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/*
 * PATCH /api/v1/admin/rectification-requests/{id} — admin, If-Match: the
 * status (in_progress, done, refused) and the answer the person reads
 * (required for done and refused). The person is notified. 200 with the
 * request and its ETag; 404 (another académie's too); 412; 422.
 */
static enum err h_answer(struct req *r)
{
	int64_t id = arg_int(r, "id", 0), version = 0, person = 0;
	const char *status = arg_str(r, "status"), *answer = arg_str(r, "answer");
	const struct arg *a = arg_get(r, "answer");
	json_t *out = NULL;
	enum err e = gdb_rect_owner(r, id, &person);

	if (e == ERR_NOT_FOUND)
		return fail(r, ERR_NOT_FOUND, NULL, NULL);
	if (e == ERR_OK)
		e = req_if_match(r, &version);
	if (e != ERR_OK)
		return e;
	if (answer != NULL && !not_blank(answer, a->len))
		answer = NULL;
	if (answer == NULL && strcmp(status, "in_progress") != 0)
		return fail_problem(r, &P_ANSWER_MISSING, "answer", NULL);
	e = gdb_rect_answer(r, id, version, status, answer);
	if (e == ERR_OK)
		e = audit_record_body(r, "rectification.answer", "rectification_request", id);
	if (e == ERR_OK) {
		const struct notice notice = {
		    .kind = "rgpd.rectification_answered",
		    .object = rgpd_object_names[GOBJ_RECTIFICATION],
		    .object_kind = GOBJ_RECTIFICATION,
		    .object_id = id,
		    .relations = GREL_REQUESTER,
		    .subject = "Mes données personnelles",
		    .link = "/app.html#/mes-donnees",
		};
		e = notify(r, &rgpd_module, &notice, &person, 1);
	}
	if (e == ERR_OK)
		e = gdb_rect_get(r, id, &out);
	if (e != ERR_OK)
		return e;
	reply_versioned(r, 200, out);
	return ERR_OK;
}

/*
 * GET /api/v1/privacy-notice?academy=CODE — public (the login page links
 * to it before anyone signs in): the académie's « Informations et données
 * personnelles », its sections, version and ETag. 404 for an unknown
 * académie.
 */
static enum err h_notice_get(struct req *r)
{
	const char *code = arg_str(r, "academy");
	const struct academy_cfg *a = config_academy(r->cfg, code, strlen(code));
	json_t *out = NULL;
	enum err e;

	if (a == NULL)
		return fail(r, ERR_NOT_FOUND, "academy", "Académie inconnue.");
	r->tenant = a;
	e = gdb_notice_get(r, &out);
	if (e == ERR_NOT_FOUND)
		return fail(r, ERR_NOT_FOUND, NULL, NULL);
	if (e != ERR_OK)
		return e;
	json_object_set_new(out, "academy", json_string(a->code));
	json_object_set_new(out, "academy_name", json_string(a->name));
	reply_versioned(r, 200, out);
	return ERR_OK;
}

/* PUT /api/v1/admin/privacy-notice — admin, If-Match: every section of
 * the académie's page (none blank). 200 with the page and its ETag; 412;
 * 422 naming an empty section. */
static enum err h_notice_put(struct req *r)
{
	const char *vals[RGPD_SECTIONS];
	int64_t version = 0;
	json_t *out = NULL;
	enum err e = req_if_match(r, &version);

	for (size_t i = 0; i < RGPD_SECTIONS; i++)
		vals[i] = arg_str(r, rgpd_sections[i]);
	if (e == ERR_OK)
		e = gdb_notice_put(r, version, vals);
	if (e == ERR_OK)
		e = audit_record_body(r, "privacy_notice.update", "privacy_notice",
				      (int64_t)r->tenant->id);
	if (e == ERR_OK)
		e = gdb_notice_get(r, &out);
	if (e != ERR_OK)
		return e;
	reply_versioned(r, 200, out);
	return ERR_OK;
}

static enum err rgpd_relations_of(struct req *r, int kind, const int64_t *ids, size_t n,
				  unsigned *rel)
{
	return kind == GOBJ_RECTIFICATION ? gdb_relations_of(r, ids, n, rel) : ERR_OK;
}

static struct route rgpd_routes[] = {
    {M_GET, "/api/v1/me/reads", h_reads, p_page, ALLOW_AUTHENTICATED},
    {M_GET, "/api/v1/me/rectification-requests", h_mine, p_page, ALLOW_AUTHENTICATED},
    {M_POST, "/api/v1/me/rectification-requests", h_create, p_rect_create, ALLOW_AUTHENTICATED},
    {M_GET, "/api/v1/admin/rectification-requests", h_admin_list, p_admin_list, R(ADMIN)},
    {M_PATCH, "/api/v1/admin/rectification-requests/{id}", h_answer, p_rect_answer, R(ADMIN)},
    {M_GET, "/api/v1/privacy-notice", h_notice_get, p_notice_get, ALLOW_PUBLIC},
    {M_PUT, "/api/v1/admin/privacy-notice", h_notice_put, p_notice_put, R(ADMIN)},
};

const struct module rgpd_module = {
    .name = "rgpd",
    .routes = rgpd_routes,
    .n_routes = ARRAY_LEN(rgpd_routes),
    .relations = rgpd_relation_names,
    .objects = rgpd_object_names,
    .problems = rgpd_problems,
    .statements = rgpd_statements,
    .seed = rgpd_seed,
    .notices = rgpd_notices,
    .relations_of = rgpd_relations_of,
};
