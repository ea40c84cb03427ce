/*
 * Routes and handlers of the reseau module (docs/reseau.md). The route
 * masks admit the roles that can hold a relation at all; each route names
 * its object and the relations that see it and act on it, resolved by
 * reseau_resolve(); handlers read validated arguments, call reseau_db.c,
 * audit their writes, notify and answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "authz.h"
#include "modules.h"
#include "req.h"
#include "reseau.h"
#include "util.h"

static const struct problem_def P_ALREADY_VOLUNTEERED = {
    409, "already_volunteered", "Vous avez déjà répondu à cet appel."};
static const struct problem_def P_CALL_CLOSED = {409, "call_closed",
						 "Cet appel est clos : il ne reçoit plus de réponse."};
static const struct problem_def P_ALREADY_VALIDATED = {409, "already_validated",
						       "Ce collectif est déjà validé."};
static const struct problem_def P_NOT_VALIDATED = {
    409, "collective_not_validated", "Le collectif n’est pas encore validé par l’académie."};
static const struct problem_def P_ALREADY_PUBLISHED = {
    409, "already_published", "Cette fiche synthèse est déjà publiée : elle ne se modifie plus."};
static const struct problem_def P_POLL_CONFIRMED = {409, "poll_confirmed",
						    "Ce sondage est déjà confirmé."};
static const struct problem_def *const reseau_problems[] = {
    &P_ALREADY_VOLUNTEERED, &P_CALL_CLOSED,	  &P_ALREADY_VALIDATED, &P_NOT_VALIDATED,
    &P_ALREADY_PUBLISHED,   &P_POLL_CONFIRMED, NULL};

const char *const reseau_relation_names[] = {"member", "pilot", "organiser", "charter_accepted",
					     "tutor",  "reader", NULL};
const char *const reseau_object_names[] = {"",	      "call",	   "collective",
					   "meeting", "synthesis", "poll", NULL};

const struct notice_kind reseau_notices[] = {
    {"reseau.collective_validated", "Collectif de tuteurs validé",
     "a validé le collectif de tuteurs dont vous êtes membre",
     "Votre collectif de tuteurs est validé", CHANNEL_EMAIL},
    {"reseau.meeting_planned", "Rencontre du collectif fixée",
     "a fixé une rencontre de votre collectif de tuteurs", "Une rencontre de votre collectif est fixée",
     CHANNEL_EMAIL},
    {"reseau.synthesis_published", "Fiche synthèse publiée",
     "a publié une fiche synthèse de votre collectif dans la bibliothèque",
     "Une fiche synthèse de votre collectif est publiée", CHANNEL_APP},
    {0},
};

/* ---- access ---- */

enum err reseau_resolve(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
			void **ctx)
{
	struct reseau_ctx *c = arena_zalloc(r->arena, sizeof(*c));
	enum err e;

	(void)wanted;
	if (c == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	switch (kind) {
	case ROBJ_CALL:
		e = rdb_call_rel(r, id, c);
		break;
	case ROBJ_COLLECTIVE:
		e = rdb_collective_rel(r, id, c);
		break;
	case ROBJ_MEETING:
		e = rdb_meeting_rel(r, id, c);
		break;
	case ROBJ_SYNTHESIS:
		e = rdb_synthesis_rel(r, id, c);
		break;
	case ROBJ_POLL:
		e = rdb_poll_rel(r, id, c);
		break;
	default:
		return ERR_NOT_FOUND;
	}
	if (e != ERR_OK)
		return e;
	*rel = c->rel;
	*ctx = c;
	return ERR_OK;
}

enum err reseau_relations_of(struct req *r, int kind, const int64_t *ids, size_t n, unsigned *rel)
{
	return rdb_relations_of(r, kind, ids, n, rel);
}

/* ---- arguments ---- */

static const char *const degrees[] = {"1d", "2d", NULL};
static const char *const seniorities[] = {"neo", "experienced", NULL};
static const char *const qual_codes[] = {"CAFFA", "CAFIPEMF", "PFA", "PEMF", "master_formateur",
					 NULL};
static const char *const call_states[] = {"open", "closed", NULL};
static const char *const resource_kinds[] = {"magistere", "neopass", "model", "other", NULL};

#define PAGE_ARGS                                                                                  \
	{"limit", LOC_QUERY, P_INT, .min = 1, .max = 200},                                         \
	{                                                                                          \
		"offset", LOC_QUERY, P_INT, .min = 0, .max = 1000000                               \
	}
#define TEXT_MAX 8000

static const struct param_spec p_id[] = {{"id", LOC_PATH, P_ID, .required = true}, {0}};
static const struct param_spec p_communes[] = {{"departement_id", LOC_QUERY, P_ID},
					       {"q", LOC_QUERY, P_STRING, .min = 1, .max = 100},
					       PAGE_ARGS,
					       {0}};
static const struct param_spec p_calls[] = {
    {"year_id", LOC_QUERY, P_ID}, {"departement_id", LOC_QUERY, P_ID}, PAGE_ARGS, {0}};
static const struct param_spec p_call_create[] = {
    {"year_id", LOC_BODY, P_ID, .required = true},
    {"departement_id", LOC_BODY, P_ID, .required = true},
    {"title", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 200},
    {"opens_on", LOC_BODY, P_DATE, .required = true},
    {"closes_on", LOC_BODY, P_DATE, .required = true},
    {0},
};
static const struct param_spec p_call_patch[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"state", LOC_BODY, P_ENUM, .required = true, .choices = call_states},
    {0},
};
static const struct param_spec qual_fields[] = {
    {"code", LOC_BODY, P_ENUM, .required = true, .choices = qual_codes}, {0}};
static const struct param_spec p_volunteer[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"degree", LOC_BODY, P_ENUM, .required = true, .choices = degrees},
    {"seniority", LOC_BODY, P_ENUM, .required = true, .choices = seniorities},
    {"commune_id", LOC_BODY, P_ID, .required = true},
    {"school_id", LOC_BODY, P_ID, .nullable = true},
    {"wants_pilot", LOC_BODY, P_BOOL, .required = true},
    {"qualifications", LOC_BODY, P_LIST, .min = 0, .max = 5, .fields = qual_fields},
    {0},
};
static const struct param_spec p_id_page[] = {
    {"id", LOC_PATH, P_ID, .required = true}, PAGE_ARGS, {0}};
static const struct param_spec p_mix[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"volunteer_ids", LOC_BODY, P_LIST, .required = true, .min = 1, .max = 20},
    {"pilot_volunteer_id", LOC_BODY, P_ID, .required = true},
    {0},
};
static const struct param_spec p_collective_create[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"name", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 120},
    {"volunteer_ids", LOC_BODY, P_LIST, .required = true, .min = 2, .max = 20},
    {"pilot_volunteer_id", LOC_BODY, P_ID, .required = true},
    {0},
};
static const struct param_spec p_collectives[] = {{"call_id", LOC_QUERY, P_ID}, PAGE_ARGS, {0}};
static const struct param_spec p_meeting_create[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"starts_at", LOC_BODY, P_DATETIME, .required = true},
    {"ends_at", LOC_BODY, P_DATETIME, .required = true},
    {"place", LOC_BODY, P_STRING, .required = true, .min = 0, .max = 200},
    {0},
};
static const struct param_spec option_fields[] = {
    {"starts_at", LOC_BODY, P_DATETIME, .required = true},
    {"ends_at", LOC_BODY, P_DATETIME, .required = true},
    {"place", LOC_BODY, P_STRING, .required = true, .min = 0, .max = 200},
    {0},
};
static const struct param_spec p_poll_create[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"options", LOC_BODY, P_LIST, .required = true, .min = 1, .max = 10, .fields = option_fields},
    {0},
};
static const struct param_spec answer_fields[] = {
    {"option_id", LOC_BODY, P_ID, .required = true},
    {"available", LOC_BODY, P_BOOL, .required = true},
    {0},
};
static const struct param_spec p_poll_answers[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"answers", LOC_BODY, P_LIST, .required = true, .min = 1, .max = 10, .fields = answer_fields},
    {0},
};
static const struct param_spec p_poll_confirm[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"option_id", LOC_BODY, P_ID, .required = true},
    {0},
};
static const struct param_spec p_attendance[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"present", LOC_BODY, P_LIST, .required = true, .min = 0, .max = 20},
    {0},
};
#define CANVAS_TEXT(name) {name, LOC_BODY, P_STRING, .nullable = true, .min = 0, .max = TEXT_MAX}
static const struct param_spec p_canvas[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"presenter_id", LOC_BODY, P_ID, .nullable = true},
    {"fallback_case_url", LOC_BODY, P_STRING, .nullable = true, .min = 0, .max = 500},
    CANVAS_TEXT("problem"),
    CANVAS_TEXT("questions"),
    CANVAS_TEXT("resonance"),
    CANVAS_TEXT("presenter_solution"),
    CANVAS_TEXT("others_solutions"),
    CANVAS_TEXT("discussion"),
    CANVAS_TEXT("generalisation"),
    CANVAS_TEXT("debrief"),
    {0},
};
static const struct param_spec p_synthesis[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    CANVAS_TEXT("problem"),
    CANVAS_TEXT("answers"),
    {0},
};
static const struct param_spec p_library[] = {{"q", LOC_QUERY, P_STRING, .min = 1, .max = 100},
					      {"departement_id", LOC_QUERY, P_ID},
					      PAGE_ARGS,
					      {0}};
static const struct param_spec resource_fields[] = {
    {"title", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 200},
    {"url", LOC_BODY, P_STRING, .required = true, .min = 8, .max = 500},
    {"description", LOC_BODY, P_STRING, .min = 0, .max = 1000},
    {"kind", LOC_BODY, P_ENUM, .required = true, .choices = resource_kinds},
    {0},
};
static const struct param_spec p_resources[] = {
    {"items", LOC_BODY, P_LIST, .required = true, .min = 0, .max = 50, .fields = resource_fields},
    {0},
};
static const struct param_spec p_figures[] = {{"year_id", LOC_QUERY, P_ID}, {0}};

static bool is_http_url(const char *s)
{
	return s != NULL && (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0) &&
	       strchr(s, ' ') == NULL;
}

/* ---- communes, calls ---- */

/* GET /api/v1/reseau/communes */
static enum err h_communes(struct req *r)
{
	json_t *out = NULL;
	enum err e = rdb_communes_json(r, arg_int(r, "departement_id", 0), arg_str(r, "q"),
				       arg_int(r, "limit", 50), arg_int(r, "offset", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* GET /api/v1/reseau/calls — organisers: the calls of their scope; tutors:
 * the open calls (with whether they answered). */
static enum err h_calls(struct req *r)
{
	json_t *out = NULL;
	enum err e = rdb_calls_json(r, arg_int(r, "year_id", 0), arg_int(r, "departement_id", 0),
				    arg_int(r, "limit", 50), arg_int(r, "offset", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

static enum err call_reply(struct req *r, int64_t id, int status)
{
	json_t *out = NULL;
	enum err e = rdb_call_json(r, id, &out);

	if (e == ERR_OK)
		reply_versioned(r, status, out);
	return e;
}

/* POST /api/v1/reseau/calls — 201 the call; 422 naming the field; 403
 * for a chargé de mission outside their département. */
static enum err h_call_create(struct req *r)
{
	int64_t id = random_id(), dep = arg_int(r, "departement_id", 0), scope = 0;
	int64_t year = arg_int(r, "year_id", 0);
	const char *opens = arg_str(r, "opens_on"), *closes = arg_str(r, "closes_on");
	bool ok = false;
	enum err e = rdb_year_exists(r, year, &ok);

	if (e == ERR_OK && !ok)
		return fail(r, ERR_INVALID_FIELD, "year_id", "Année inconnue.");
	if (e == ERR_OK)
		e = rdb_is_departement(r, dep, &ok);
	if (e == ERR_OK && !ok)
		return fail(r, ERR_INVALID_FIELD, "departement_id", "Département inconnu.");
	if (e == ERR_OK)
		e = rdb_org_dep(r, &scope);
	if (e == ERR_OK && scope != 0 && scope != dep)
		return fail(r, ERR_FORBIDDEN, "departement_id",
			    "Vous organisez les appels de votre département seulement.");
	if (e == ERR_OK && strcmp(closes, opens) < 0)
		return fail(r, ERR_INVALID_FIELD, "closes_on",
			    "La clôture précède l’ouverture de l’appel.");
	if (e == ERR_OK)
		e = rdb_call_insert(r, id, year, dep, arg_str(r, "title"), opens, closes);
	if (e == ERR_OK)
		e = audit_record_body(r, "reseau.call_create", "reseau_call", id);
	return e != ERR_OK ? e : call_reply(r, id, 201);
}

/* GET /api/v1/reseau/calls/{id} */
static enum err h_call_get(struct req *r) { return call_reply(r, reseau_ctx(r)->id, 200); }

/* PATCH /api/v1/reseau/calls/{id} — opens or closes the call. */
static enum err h_call_patch(struct req *r)
{
	int64_t id = reseau_ctx(r)->id;
	enum err e = rdb_call_state(r, id, arg_str(r, "state"));

	if (e == ERR_OK)
		e = audit_record_body(r, "reseau.call_state", "reseau_call", id);
	return e != ERR_OK ? e : call_reply(r, id, 200);
}

/* ---- volunteers ---- */

/* POST /api/v1/reseau/calls/{id}/volunteers — a tutor answers the open
 * call. 201; 409 already_volunteered, call_closed; 422 naming the field. */
static enum err h_volunteer(struct req *r)
{
	struct reseau_ctx *c = reseau_ctx(r);
	int64_t id = random_id(), commune = arg_int(r, "commune_id", 0), dep = 0;
	int64_t school = arg_int(r, "school_id", 0);
	json_t *quals = arg_list(r, "qualifications"), *q, *out = NULL;
	char set[128] = "";
	size_t i, used = 0;
	bool ok = true;
	enum err e;

	if (!c->open)
		return fail_problem(r, &P_CALL_CLOSED, NULL, NULL);
	json_array_foreach(quals, i, q)
	{
		const char *code = json_string_value(json_object_get(q, "code"));

		if (strstr(set, code) != NULL)
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "qualifications[%zu].code", i),
				    "Chaque qualification figure une fois.");
		used += (size_t)snprintf(set + used, sizeof(set) - used, "%s%s", used ? "," : "",
					 code);
	}
	e = rdb_commune_dep(r, commune, &dep);
	if (e == ERR_OK && dep == 0)
		return fail(r, ERR_INVALID_FIELD, "commune_id", "Commune inconnue.");
	if (e == ERR_OK && dep != c->departement_id)
		return fail(r, ERR_INVALID_FIELD, "commune_id",
			    "La commune n’est pas dans le département de l’appel.");
	if (e == ERR_OK && school != 0)
		e = rdb_is_school(r, school, &ok);
	if (e == ERR_OK && !ok)
		return fail(r, ERR_INVALID_FIELD, "school_id", "École ou établissement inconnu.");
	if (e == ERR_OK)
		e = rdb_volunteer_insert(r, id, c->id, arg_str(r, "degree"), arg_str(r, "seniority"),
					 commune, school, arg_bool(r, "wants_pilot", false), set);
	if (e == ERR_DUPLICATE)
		return fail_problem(r, &P_ALREADY_VOLUNTEERED, NULL, NULL);
	if (e == ERR_OK)
		e = audit_record(r, "reseau.volunteer", "reseau_volunteer", id,
				 jarena(r, json_pack("{s:I}", "call_id", (json_int_t)c->id)));
	if (e == ERR_OK)
		e = rdb_my_volunteering_json(r, &out);
	if (e != ERR_OK)
		return e;
	jarena(r, out);
	json_array_foreach(json_object_get(out, "items"), i, q)
	{
		if (json_integer_value(json_object_get(q, "id")) == id) {
			reply_json(r, 201, json_incref(q));
			return ERR_OK;
		}
	}
	return fail_internal(r, ERR_INTERNAL, "volunteer not read back");
}

/* GET /api/v1/reseau/calls/{id}/volunteers */
static enum err h_volunteers(struct req *r)
{
	json_t *out = NULL;
	enum err e = rdb_volunteers_json(r, reseau_ctx(r)->id, arg_int(r, "limit", 200),
					 arg_int(r, "offset", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* GET /api/v1/reseau/my-volunteering */
static enum err h_my_volunteering(struct req *r)
{
	json_t *out = NULL;
	enum err e = rdb_my_volunteering_json(r, &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* ---- the mix ---- */

struct proposal {
	struct reseau_vol *all; /* the call's volunteers */
	bool *assigned;
	int64_t *collective;
	size_t n_all;
	struct reseau_vol *members; /* the proposed ones, in order */
	size_t n;
	size_t pilot; /* index in members */
};

/* Reads volunteer_ids and pilot_volunteer_id against the call: 422 naming
 * the field for an id not of the call, a duplicate, a pilot not among them
 * or not experienced; `free_only`: every volunteer is in no collective. */
static enum err proposal_read(struct req *r, int64_t call_id, bool free_only, struct proposal *p)
{
	json_t *ids = arg_list(r, "volunteer_ids"), *v;
	int64_t pilot = arg_int(r, "pilot_volunteer_id", 0);
	size_t i;
	enum err e = rdb_call_vols(r, call_id, &p->all, &p->assigned, &p->collective, &p->n_all);

	if (e != ERR_OK)
		return e;
	p->members = arena_zalloc(r->arena, sizeof(*p->members) * (json_array_size(ids) + 1));
	if (p->members == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	p->n = 0;
	p->pilot = (size_t)-1;
	json_array_foreach(ids, i, v)
	{
		int64_t id = json_integer_value(v);
		size_t k;
		const char *field = arena_printf(r->arena, "volunteer_ids[%zu]", i);

		for (k = 0; k < p->n_all && p->all[k].id != id; k++)
			;
		if (k == p->n_all)
			return fail(r, ERR_INVALID_FIELD, field,
				    "Ce volontaire n’a pas répondu à cet appel.");
		for (size_t j = 0; j < p->n; j++)
			if (p->members[j].id == id)
				return fail(r, ERR_INVALID_FIELD, field,
					    "Chaque volontaire figure une fois.");
		if (free_only && p->assigned[k])
			return fail(r, ERR_INVALID_FIELD, field,
				    "Ce volontaire est déjà membre d’un collectif de l’appel.");
		if (id == pilot)
			p->pilot = p->n;
		p->members[p->n++] = p->all[k];
	}
	if (p->pilot == (size_t)-1)
		return fail(r, ERR_INVALID_FIELD, "pilot_volunteer_id",
			    "Le pilote est choisi parmi les membres du collectif.");
	if (!p->members[p->pilot].experienced)
		return fail(r, ERR_INVALID_FIELD, "pilot_volunteer_id",
			    "Le pilote est un tuteur expérimenté, non un néo-tuteur.");
	return ERR_OK;
}

static bool in_members(const struct proposal *p, int64_t id)
{
	for (size_t j = 0; j < p->n; j++)
		if (p->members[j].id == id)
			return true;
	return false;
}

static json_t *reasons_of(const struct reseau_mix *m)
{
	json_t *a = json_array();

	if (m->n_1d == 0 || m->n_2d == 0)
		json_array_append_new(a, json_string(m->n_1d == 0
							 ? "Aucun tuteur du 1er degré : le "
							   "collectif ne croise pas les degrés."
							 : "Aucun tuteur du 2nd degré : le "
							   "collectif ne croise pas les degrés."));
	else if (abs(m->n_1d - m->n_2d) > 1)
		json_array_append_new(
		    a, json_sprintf("Degrés déséquilibrés : %d du 1er degré, %d du 2nd degré.",
				    m->n_1d, m->n_2d));
	if (m->n_neo == 0)
		json_array_append_new(
		    a, json_string("Aucun néo-tuteur : le collectif n’accueille pas de nouveaux "
				   "tuteurs."));
	else if (m->n_exp == 0)
		json_array_append_new(a, json_string("Aucun tuteur expérimenté."));
	else if (abs(m->n_neo - m->n_exp) > 1)
		json_array_append_new(
		    a, json_sprintf("Ancienneté déséquilibrée : %d néo-tuteurs, %d expérimentés.",
				    m->n_neo, m->n_exp));
	if (m->max_km > 30)
		json_array_append_new(
		    a, json_sprintf("Membres éloignés : jusqu’à %d km entre deux communes.",
				    (int)(m->max_km + 0.5)));
	if (!m->pilot_qualified)
		json_array_append_new(
		    a, json_string("Le pilote n’a pas de qualification de formateur (CAFFA, "
				   "CAFIPEMF, PFA, PEMF, master de formateurs)."));
	if (json_array_size(a) == 0)
		json_array_append_new(a, json_string("Collectif bien mêlé : degrés, ancienneté et "
						     "distances équilibrés."));
	return a;
}

static json_t *mix_json(const struct reseau_mix *m)
{
	return json_pack("{s:{s:i, s:i}, s:{s:i, s:i}, s:i, s:b, s:i, s:s, s:o}", "degrees", "1d",
			 m->n_1d, "2d", m->n_2d, "seniority", "neo", m->n_neo, "experienced",
			 m->n_exp, "max_distance_km", (int)(m->max_km + 0.5), "pilot_qualified",
			 m->pilot_qualified, "score", m->score, "level", reseau_level(m->score),
			 "reasons", reasons_of(m));
}

/* The mix of the proposal, with the best single swaps (a member but the
 * pilot out, a volunteer of the call in no collective in) that raise the
 * score: at most 3, best first. */
static json_t *proposal_mix(struct req *r, const struct proposal *p, struct reseau_mix *m)
{
	struct {
		int64_t out, in;
		int score;
	} best[3] = {{0}};
	json_t *o, *sugg = json_array();
	struct reseau_vol *trial = arena_zalloc(r->arena, sizeof(*trial) * (p->n + 1));

	reseau_mix_of(p->members, p->n, &p->members[p->pilot], m);
	o = mix_json(m);
	for (size_t k = 0; trial != NULL && k < p->n_all; k++) {
		if (p->assigned[k] || in_members(p, p->all[k].id))
			continue;
		for (size_t j = 0; j < p->n; j++) {
			struct reseau_mix t;

			if (j == p->pilot)
				continue;
			memcpy(trial, p->members, sizeof(*trial) * p->n);
			trial[j] = p->all[k];
			reseau_mix_of(trial, p->n, &trial[p->pilot], &t);
			if (t.score <= m->score)
				continue;
			for (int b = 0; b < 3; b++) {
				if (best[b].score >= t.score)
					continue;
				for (int s = 2; s > b; s--)
					best[s] = best[s - 1];
				best[b].out = p->members[j].id;
				best[b].in = p->all[k].id;
				best[b].score = t.score;
				break;
			}
		}
	}
	for (int b = 0; b < 3 && best[b].score > 0; b++)
		json_array_append_new(sugg, json_pack("{s:I, s:I, s:i}", "swap_out",
						      (json_int_t)best[b].out, "swap_in",
						      (json_int_t)best[b].in, "score_after",
						      best[b].score));
	json_object_set_new(o, "suggestions", sugg);
	return o;
}

/* POST /api/v1/reseau/calls/{id}/mix — the mix of a proposed collective
 * (no write). */
static enum err h_mix(struct req *r)
{
	struct proposal p;
	struct reseau_mix m;
	json_t *out;
	enum err e = proposal_read(r, reseau_ctx(r)->id, false, &p);

	if (e != ERR_OK)
		return e;
	out = proposal_mix(r, &p, &m);
	/* A POST writes nothing here but its audit row (who weighed which
	 * composition, and its score). */
	e = audit_record(r, "reseau.mix", "reseau_call", reseau_ctx(r)->id,
			 jarena(r, json_pack("{s:O, s:i}", "volunteer_ids",
					     arg_list(r, "volunteer_ids"), "score", m.score)));
	if (e == ERR_OK)
		reply_json(r, 200, out);
	else
		json_decref(out);
	return e;
}

/* ---- collectives ---- */

static enum err collective_reply(struct req *r, int64_t id, unsigned rel, int status)
{
	json_t *out = NULL;
	enum err e = rdb_collective_json(r, id, rel, &out);

	if (e == ERR_OK)
		reply_json(r, status, out);
	return e;
}

/* POST /api/v1/reseau/calls/{id}/collectives — a draft collective. 201;
 * 422 volunteer_ids[i] (not of the call, in another collective),
 * pilot_volunteer_id. */
static enum err h_collective_create(struct req *r)
{
	struct reseau_ctx *c = reseau_ctx(r);
	struct proposal p;
	struct reseau_mix m;
	int64_t id = random_id();
	json_t *ids = arg_list(r, "volunteer_ids");
	enum err e = proposal_read(r, c->id, true, &p);

	if (e != ERR_OK)
		return e;
	reseau_mix_of(p.members, p.n, &p.members[p.pilot], &m);
	e = rdb_collective_insert(r, id, c->id, arg_str(r, "name"), m.score);
	for (size_t j = 0; e == ERR_OK && j < p.n; j++)
		e = rdb_member_insert(r, id, c->id, p.members[j].id, p.members[j].person_id,
				      j == p.pilot);
	if (e == ERR_DUPLICATE)
		return fail(r, ERR_INVALID_FIELD, "volunteer_ids",
			    "Un volontaire est déjà membre d’un collectif de l’appel.");
	if (e == ERR_OK)
		e = audit_record(r, "reseau.collective_create", "reseau_collective", id,
				 jarena(r, json_pack("{s:I, s:O, s:I}", "call_id",
						     (json_int_t)c->id, "volunteer_ids", ids,
						     "pilot_volunteer_id",
						     (json_int_t)arg_int(r, "pilot_volunteer_id", 0))));
	return e != ERR_OK ? e : collective_reply(r, id, RREL_ORGANISER, 201);
}

/* POST /api/v1/reseau/collectives/{id}/validate — members and pilot told. */
static enum err h_collective_validate(struct req *r)
{
	struct reseau_ctx *c = reseau_ctx(r);
	int64_t *rcpt = NULL;
	size_t n = 0;
	bool done = false;
	const char *name = NULL;
	enum err e = rdb_collective_validate(r, c->id, &done);

	if (e == ERR_OK && !done)
		return fail_problem(r, &P_ALREADY_VALIDATED, NULL, NULL);
	if (e == ERR_OK)
		e = audit_record(r, "reseau.collective_validate", "reseau_collective", c->id, NULL);
	if (e == ERR_OK)
		e = rdb_collective_people(r, c->id, &rcpt, &n, &name);
	if (e == ERR_OK) {
		const struct notice notice = {
		    .kind = "reseau.collective_validated",
		    .object = reseau_object_names[ROBJ_COLLECTIVE],
		    .object_kind = ROBJ_COLLECTIVE,
		    .object_id = c->id,
		    .relations = RREL_MEMBER,
		    .subject = name,
		    .link = arena_printf(r->arena, "/app.html#/reseau/collectifs/%lld",
					 (long long)c->id),
		};
		e = notify(r, &reseau_module, &notice, rcpt, n);
	}
	return e != ERR_OK ? e : collective_reply(r, c->id, c->rel, 200);
}

/* GET /api/v1/reseau/collectives */
static enum err h_collectives(struct req *r)
{
	json_t *out = NULL;
	enum err e = rdb_collectives_json(r, arg_int(r, "call_id", 0), arg_int(r, "limit", 50),
					  arg_int(r, "offset", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* GET /api/v1/reseau/collectives/{id} */
static enum err h_collective_get(struct req *r)
{
	return collective_reply(r, reseau_ctx(r)->id, reseau_ctx(r)->rel, 200);
}

/* POST /api/v1/reseau/collectives/{id}/charter — the member accepts the
 * charter (once: a second call keeps the first date). */
static enum err h_charter(struct req *r)
{
	struct reseau_ctx *c = reseau_ctx(r);
	const char *at = NULL;
	enum err e = rdb_charter_accept(r, c->id, &at);

	if (e == ERR_OK)
		e = audit_record(r, "reseau.charter_accept", "reseau_collective", c->id, NULL);
	if (e == ERR_OK)
		reply_json(r, 200,
			   json_pack("{s:I, s:I, s:s?}", "collective_id", (json_int_t)c->id,
				     "person_id", (json_int_t)r->who.person_id,
				     "charter_accepted_at", at));
	return e;
}

/* ---- meetings ---- */

/* Days since 1970-01-01 of the civil date y-m-d. */
static int64_t civil_days(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Minutes since 1970 of a validated YYYY-MM-DDTHH:MM. */
static int64_t minutes_of(const char *s)
{
	return civil_days(digits(s, 4), digits(s + 5, 2), digits(s + 8, 2)) * 1440 +
	       (int64_t)digits(s + 11, 2) * 60 + digits(s + 14, 2);
}

static bool remote_place(const char *place)
{
	static const char *const words[] = {"visio", "distance", "en ligne", "zoom", "teams",
					    "webex", "http", NULL};
	char low[256];
	size_t i;

	for (i = 0; place[i] != '\0' && i + 1 < sizeof(low); i++)
		low[i] = (char)(place[i] >= 'A' && place[i] <= 'Z' ? place[i] + 32 : place[i]);
	low[i] = '\0';
	for (int k = 0; words[k] != NULL; k++)
		if (strstr(low, words[k]) != NULL)
			return true;
	return false;
}

/* The rules of a meeting: a physical place, between 1 November and 30 April
 * of the school year, exactly 2 hours. `prefix` names the fields ("" or
 * "options[i]."). */
static enum err meeting_check(struct req *r, int first_year, const char *starts, const char *ends,
			      const char *place, const char *prefix)
{
	char lo[40], hi[40];
	const char *p = place;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return fail(r, ERR_INVALID_FIELD, arena_printf(r->arena, "%splace", prefix),
			    "Une rencontre a lieu en présentiel : indiquez le lieu.");
	if (remote_place(place))
		return fail(r, ERR_INVALID_FIELD, arena_printf(r->arena, "%splace", prefix),
			    "Pas de rencontre à distance : indiquez un lieu physique.");
	snprintf(lo, sizeof(lo), "%04d-11-01T00:00", first_year);
	snprintf(hi, sizeof(hi), "%04d-04-30T23:59", first_year + 1);
	if (strcmp(starts, lo) < 0 || strcmp(starts, hi) > 0)
		return fail(r, ERR_INVALID_FIELD, arena_printf(r->arena, "%sstarts_at", prefix),
			    arena_printf(r->arena,
					 "Les rencontres ont lieu entre le 1er novembre %d et le "
					 "30 avril %d.",
					 first_year, first_year + 1));
	if (minutes_of(ends) - minutes_of(starts) != 120)
		return fail(r, ERR_INVALID_FIELD, arena_printf(r->arena, "%sends_at", prefix),
			    "Une rencontre dure 2 heures exactement.");
	return ERR_OK;
}

/* Creates a meeting (its canvas and synthesis with it) and tells the
 * members; the answer carries warnings ("sixth_meeting" from the sixth). */
static enum err meeting_make(struct req *r, int64_t collective_id, const char *starts,
			     const char *ends, const char *place, int64_t *id, json_t **warnings)
{
	int64_t n = 0, *rcpt = NULL;
	size_t n_rcpt = 0;
	const char *name = NULL;
	enum err e = rdb_meeting_count(r, collective_id, &n);

	*id = random_id();
	*warnings = jarena(r, json_array());
	if (e == ERR_OK && n >= 5)
		json_array_append_new(*warnings, json_string("sixth_meeting"));
	if (e == ERR_OK)
		e = rdb_meeting_insert(r, *id, collective_id, starts, ends, place);
	if (e == ERR_OK)
		e = audit_record(r, "reseau.meeting_create", "reseau_meeting", *id,
				 jarena(r, json_pack("{s:I, s:s, s:s}", "collective_id",
						     (json_int_t)collective_id, "starts_at",
						     starts, "ends_at", ends)));
	if (e == ERR_OK)
		e = rdb_collective_people(r, collective_id, &rcpt, &n_rcpt, &name);
	if (e == ERR_OK) {
		const struct notice notice = {
		    .kind = "reseau.meeting_planned",
		    .object = reseau_object_names[ROBJ_COLLECTIVE],
		    .object_kind = ROBJ_COLLECTIVE,
		    .object_id = collective_id,
		    .relations = RREL_MEMBER,
		    .subject = name,
		    .link = arena_printf(r->arena, "/app.html#/reseau/collectifs/%lld",
					 (long long)collective_id),
		};
		e = notify(r, &reseau_module, &notice, rcpt, n_rcpt);
	}
	return e;
}

static enum err meeting_reply(struct req *r, int64_t id, json_t *warnings, int status)
{
	json_t *out = NULL;
	enum err e = rdb_meeting_json(r, id, &out);

	if (e != ERR_OK)
		return e;
	json_object_set(out, "warnings", warnings != NULL ? warnings : jarena(r, json_array()));
	reply_json(r, status, out);
	return ERR_OK;
}

/* POST /api/v1/reseau/collectives/{id}/meetings — the pilot fixes a
 * meeting. 201 (warnings: sixth_meeting); 422 place, starts_at, ends_at. */
static enum err h_meeting_create(struct req *r)
{
	struct reseau_ctx *c = reseau_ctx(r);
	const char *starts = arg_str(r, "starts_at"), *ends = arg_str(r, "ends_at");
	const char *place = arg_str(r, "place");
	int first = 0;
	int64_t id = 0;
	json_t *warnings = NULL;
	enum err e = rdb_year_first(r, c->year_id, &first);

	if (e == ERR_OK)
		e = meeting_check(r, first, starts, ends, place, "");
	if (e == ERR_OK)
		e = meeting_make(r, c->id, starts, ends, place, &id, &warnings);
	return e != ERR_OK ? e : meeting_reply(r, id, warnings, 201);
}

/* GET /api/v1/reseau/meetings/{id} */
static enum err h_meeting_get(struct req *r)
{
	return meeting_reply(r, reseau_ctx(r)->id, NULL, 200);
}

/* PUT /api/v1/reseau/meetings/{id}/attendance — the members present;
 * 422 present[i] for someone not a member. */
static enum err h_attendance(struct req *r)
{
	struct reseau_ctx *c = reseau_ctx(r);
	json_t *present = arg_list(r, "present"), *v;
	bool ok = false;
	size_t i;
	enum err e;

	json_array_foreach(present, i, v)
	{
		for (size_t j = 0; j < i; j++)
			if (json_integer_value(json_array_get(present, j)) ==
			    json_integer_value(v))
				return fail(r, ERR_INVALID_FIELD,
					    arena_printf(r->arena, "present[%zu]", i),
					    "Chaque membre figure une fois.");
	}
	e = rdb_member_persons(r, c->collective_id, present, &ok);
	if (e == ERR_OK && !ok)
		return fail(r, ERR_INVALID_FIELD, "present",
			    "Seuls les membres du collectif sont comptés présents.");
	if (e == ERR_OK)
		e = rdb_attendance_set(r, c->id, present);
	if (e == ERR_OK)
		e = audit_record(r, "reseau.attendance", "reseau_meeting", c->id,
				 jarena(r, json_pack("{s:O}", "present", present)));
	return e != ERR_OK ? e : meeting_reply(r, c->id, NULL, 200);
}

/* ---- canvas, synthesis ---- */

static enum err canvas_reply(struct req *r, int64_t id)
{
	json_t *out = NULL;
	enum err e = rdb_canvas_json(r, id, &out);

	if (e == ERR_OK)
		reply_versioned(r, 200, out);
	return e;
}

/* GET /api/v1/reseau/meetings/{id}/canvas — members only. */
static enum err h_canvas_get(struct req *r) { return canvas_reply(r, reseau_ctx(r)->id); }

/* PUT /api/v1/reseau/meetings/{id}/canvas — the pilot (If-Match): a field
 * absent keeps its value, null clears it. 412 on a stale version. */
static enum err h_canvas_put(struct req *r)
{
	struct reseau_ctx *c = reseau_ctx(r);
	struct reseau_canvas_in in = {0};
	int64_t version;
	enum err e = req_if_match(r, &version);

	if (e != ERR_OK)
		return e;
	for (int i = 0; reseau_canvas_cols[i] != NULL; i++) {
		const struct arg *a = arg_get(r, reseau_canvas_cols[i]);

		if (a == NULL || !a->present)
			continue;
		in.set[i] = true;
		in.val[i] = a->is_null || a->len == 0 ? NULL : a->s;
	}
	if (in.set[0] && in.val[0] != NULL && !is_http_url(in.val[0]))
		return fail(r, ERR_INVALID_FIELD, "fallback_case_url",
			    "Adresse web (https://…) attendue.");
	if (arg_has(r, "presenter_id")) {
		const struct arg *a = arg_get(r, "presenter_id");

		in.presenter_set = true;
		in.presenter = a->is_null ? 0 : a->i;
		if (in.presenter != 0) {
			json_t *one = jarena(r, json_pack("[I]", (json_int_t)in.presenter));
			bool ok = false;

			e = rdb_member_persons(r, c->collective_id, one, &ok);
			if (e == ERR_OK && !ok)
				return fail(r, ERR_INVALID_FIELD, "presenter_id",
					    "Le présentateur est un membre du collectif.");
			if (e != ERR_OK)
				return e;
		}
	}
	e = rdb_canvas_update(r, c->id, version, &in);
	/* the audit row names the fields written, never their text */
	if (e == ERR_OK)
		e = audit_record_body(r, "reseau.canvas_update", "reseau_meeting", c->id);
	return e != ERR_OK ? e : canvas_reply(r, c->id);
}

static enum err synthesis_reply(struct req *r, int64_t id)
{
	json_t *out = NULL;
	enum err e = rdb_synthesis_json(r, id, &out);

	if (e == ERR_OK)
		reply_versioned(r, 200, out);
	return e;
}

/* GET /api/v1/reseau/meetings/{id}/synthesis — members only. */
static enum err h_synthesis_get(struct req *r) { return synthesis_reply(r, reseau_ctx(r)->id); }

/* PUT /api/v1/reseau/meetings/{id}/synthesis — the pilot (If-Match);
 * 409 already_published; 412 on a stale version. */
static enum err h_synthesis_put(struct req *r)
{
	struct reseau_ctx *c = reseau_ctx(r);
	int64_t version, current = 0;
	bool published = false;
	const struct arg *pa = arg_get(r, "problem"), *aa = arg_get(r, "answers");
	enum err e = req_if_match(r, &version);

	if (e == ERR_OK)
		e = rdb_synthesis_state(r, c->id, &published, &current);
	if (e == ERR_OK && published)
		return fail_problem(r, &P_ALREADY_PUBLISHED, NULL, NULL);
	if (e == ERR_OK)
		e = rdb_synthesis_update(r, c->id, version,
					 pa != NULL && pa->present ? (pa->is_null ? "" : pa->s)
								   : NULL,
					 aa != NULL && aa->present ? (aa->is_null ? "" : aa->s)
								   : NULL);
	if (e == ERR_OK)
		e = audit_record_body(r, "reseau.synthesis_update", "reseau_meeting", c->id);
	return e != ERR_OK ? e : synthesis_reply(r, c->id);
}

/* POST /api/v1/reseau/meetings/{id}/synthesis/publish — frozen from then
 * on, in the library; members told. 409 already_published; 422 problem or
 * answers when empty. */
static enum err h_synthesis_publish(struct req *r)
{
	struct reseau_ctx *c = reseau_ctx(r);
	json_t *cur = NULL;
	int64_t *rcpt = NULL;
	size_t n = 0;
	bool done = false;
	const char *st, *pb, *an, *name = NULL;
	enum err e = rdb_synthesis_json(r, c->id, &cur);

	if (e != ERR_OK)
		return e;
	jarena(r, cur);
	st = json_string_value(json_object_get(cur, "state"));
	pb = json_string_value(json_object_get(cur, "problem"));
	an = json_string_value(json_object_get(cur, "answers"));
	if (st != NULL && strcmp(st, "published") == 0)
		return fail_problem(r, &P_ALREADY_PUBLISHED, NULL, NULL);
	if (pb == NULL || *pb == '\0')
		return fail(r, ERR_INVALID_FIELD, "problem",
			    "Rédigez « 1- Notre problématique » avant de publier.");
	if (an == NULL || *an == '\0')
		return fail(r, ERR_INVALID_FIELD, "answers",
			    "Rédigez « 2- Nos réponses envisagées » avant de publier.");
	e = rdb_synthesis_publish(r, c->id, &done);
	if (e == ERR_OK && !done)
		return fail_problem(r, &P_ALREADY_PUBLISHED, NULL, NULL);
	if (e == ERR_OK)
		e = audit_record(r, "reseau.synthesis_publish", "reseau_meeting", c->id, NULL);
	if (e == ERR_OK)
		e = rdb_collective_people(r, c->collective_id, &rcpt, &n, &name);
	if (e == ERR_OK) {
		const struct notice notice = {
		    .kind = "reseau.synthesis_published",
		    .object = reseau_object_names[ROBJ_COLLECTIVE],
		    .object_kind = ROBJ_COLLECTIVE,
		    .object_id = c->collective_id,
		    .relations = RREL_MEMBER,
		    .subject = name,
		    .link = arena_printf(r->arena, "/app.html#/reseau/rencontres/%lld",
					 (long long)c->id),
		};
		e = notify(r, &reseau_module, &notice, rcpt, n);
	}
	return e != ERR_OK ? e : synthesis_reply(r, c->id);
}

/* GET /api/v1/reseau/library — the published syntheses of the académie. */
static enum err h_library(struct req *r)
{
	json_t *out = NULL;
	enum err e = rdb_library_json(r, arg_str(r, "q"), arg_int(r, "departement_id", 0),
				      arg_int(r, "limit", 50), arg_int(r, "offset", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* GET /api/v1/reseau/library/{id} */
static enum err h_library_item(struct req *r)
{
	json_t *out = NULL;
	enum err e = rdb_library_item_json(r, reseau_ctx(r)->id, &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* ---- polls ---- */

static enum err poll_reply(struct req *r, int64_t id, int status)
{
	json_t *out = NULL;
	enum err e = rdb_poll_json(r, id, &out);

	if (e == ERR_OK)
		reply_json(r, status, out);
	return e;
}

/* POST /api/v1/reseau/collectives/{id}/polls — the pilot proposes dates;
 * each option follows the meeting's rules (422 options[i].field). */
static enum err h_poll_create(struct req *r)
{
	struct reseau_ctx *c = reseau_ctx(r);
	json_t *options = arg_list(r, "options"), *o;
	int64_t id = random_id();
	int first = 0;
	size_t i;
	enum err e = rdb_year_first(r, c->year_id, &first);

	json_array_foreach(options, i, o)
	{
		if (e != ERR_OK)
			break;
		e = meeting_check(r, first, json_string_value(json_object_get(o, "starts_at")),
				  json_string_value(json_object_get(o, "ends_at")),
				  json_string_value(json_object_get(o, "place")),
				  arena_printf(r->arena, "options[%zu].", i));
	}
	if (e == ERR_OK)
		e = rdb_poll_insert(r, id, c->id, options);
	if (e == ERR_OK)
		e = audit_record_body(r, "reseau.poll_create", "reseau_poll", id);
	return e != ERR_OK ? e : poll_reply(r, id, 201);
}

/* GET /api/v1/reseau/polls/{id} */
static enum err h_poll_get(struct req *r) { return poll_reply(r, reseau_ctx(r)->id, 200); }

/* PUT /api/v1/reseau/polls/{id}/answers — the member's availabilities. */
static enum err h_poll_answers(struct req *r)
{
	struct reseau_ctx *c = reseau_ctx(r);
	json_t *answers = arg_list(r, "answers"), *a;
	size_t i;
	bool found = true;
	enum err e = ERR_OK;

	if (!c->open)
		return fail_problem(r, &P_POLL_CONFIRMED, NULL, NULL);
	json_array_foreach(answers, i, a)
	{
		e = rdb_poll_answer(r, c->id, json_integer_value(json_object_get(a, "option_id")),
				    json_is_true(json_object_get(a, "available")), &found);
		if (e != ERR_OK)
			return e;
		if (!found)
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "answers[%zu].option_id", i),
				    "Cette date n’est pas proposée par le sondage.");
	}
	e = audit_record_body(r, "reseau.poll_answer", "reseau_poll", c->id);
	return e != ERR_OK ? e : poll_reply(r, c->id, 200);
}

/* POST /api/v1/reseau/polls/{id}/confirm — the pilot confirms one date:
 * the meeting, members told. 201 the meeting; 409 poll_confirmed. */
static enum err h_poll_confirm(struct req *r)
{
	struct reseau_ctx *c = reseau_ctx(r);
	const char *starts = NULL, *ends = NULL, *place = NULL;
	int64_t mid = 0;
	json_t *warnings = NULL;
	bool found = false, done = false;
	enum err e;

	if (!c->open)
		return fail_problem(r, &P_POLL_CONFIRMED, NULL, NULL);
	e = rdb_poll_option(r, c->id, arg_int(r, "option_id", 0), &found, &starts, &ends, &place);
	if (e == ERR_OK && !found)
		return fail(r, ERR_INVALID_FIELD, "option_id",
			    "Cette date n’est pas proposée par le sondage.");
	if (e == ERR_OK)
		e = meeting_make(r, c->collective_id, starts, ends, place, &mid, &warnings);
	if (e == ERR_OK)
		e = rdb_poll_confirm(r, c->id, mid, &done);
	if (e == ERR_OK && !done)
		return fail_problem(r, &P_POLL_CONFIRMED, NULL, NULL);
	return e != ERR_OK ? e : meeting_reply(r, mid, warnings, 201);
}

/* ---- resources, figures ---- */

/* GET /api/v1/reseau/resources */
static enum err h_resources(struct req *r)
{
	json_t *out = NULL;
	enum err e = rdb_resources_json(r, &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* PUT /api/v1/reseau/resources — the académie's list, replaced whole. */
static enum err h_resources_put(struct req *r)
{
	json_t *items = arg_list(r, "items"), *it;
	size_t i;
	enum err e;

	json_array_foreach(items, i, it)
	{
		if (!is_http_url(json_string_value(json_object_get(it, "url"))))
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "items[%zu].url", i),
				    "Adresse web (https://…) attendue.");
	}
	e = rdb_resources_replace(r, items);
	if (e == ERR_OK)
		e = audit_record_body(r, "reseau.resources", "academy", 0);
	return e != ERR_OK ? e : h_resources(r);
}

static enum err figures_year(struct req *r, int64_t *year)
{
	bool ok = false;
	enum err e;

	*year = arg_int(r, "year_id", 0);
	if (*year == 0)
		return fail(r, ERR_MISSING_FIELD, "year_id", "Précisez l’année.");
	e = rdb_year_exists(r, *year, &ok);
	if (e == ERR_OK && !ok)
		return fail(r, ERR_INVALID_FIELD, "year_id", "Année inconnue.");
	return e;
}

/* GET /api/v1/reseau/figures?year_id= — counts only. */
static enum err h_figures(struct req *r)
{
	int64_t year;
	json_t *out = NULL;
	enum err e = figures_year(r, &year);

	if (e == ERR_OK)
		e = rdb_figures(r, year, &out);
	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

static void csv_text(struct arena *a, char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t need = strlen(s) * 2 + 4;
	char *p;

	if (*len + need >= *cap) {
		size_t ncap = (*cap + need) * 2;
		char *nb = arena_alloc(a, ncap);

		if (nb == NULL)
			return;
		if (*buf != NULL)
			memcpy(nb, *buf, *len);
		*buf = nb;
		*cap = ncap;
	}
	p = *buf + *len;
	*p++ = '"';
	for (; *s != '\0'; s++) {
		if (*s == '"')
			*p++ = '"';
		*p++ = *s;
	}
	*p++ = '"';
	*len = (size_t)(p - *buf);
}

static void csv_raw(struct arena *a, char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 >= *cap) {
		size_t ncap = (*cap + n + 1) * 2;
		char *nb = arena_alloc(a, ncap);

		if (nb == NULL)
			return;
		if (*buf != NULL)
			memcpy(nb, *buf, *len);
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
}

/* GET /api/v1/reseau/figures.csv — one line per collective. */
static enum err h_figures_csv(struct req *r)
{
	static const char *const keys[] = {"members",	      "meetings_planned", "meetings_held",
					   "meetings_target", "attendance_rate",  "mix_score",
					   "syntheses_published", "neo_reached", NULL};
	int64_t year;
	json_t *out = NULL, *c;
	char *buf = NULL;
	size_t len = 0, cap = 0, i;
	enum err e = figures_year(r, &year);

	if (e == ERR_OK)
		e = rdb_figures(r, year, &out);
	if (e != ERR_OK)
		return e;
	jarena(r, out);
	csv_raw(r->arena, &buf, &len, &cap,
		"departement,collective,members,meetings_planned,meetings_held,meetings_target,"
		"attendance_rate,mix_score,syntheses_published,neo_reached\r\n");
	json_array_foreach(json_object_get(out, "collectives"), i, c)
	{
		const char *dep = json_string_value(json_object_get(c, "departement"));
		const char *name = json_string_value(json_object_get(c, "name"));

		csv_text(r->arena, &buf, &len, &cap, dep != NULL ? dep : "");
		csv_raw(r->arena, &buf, &len, &cap, ",");
		csv_text(r->arena, &buf, &len, &cap, name != NULL ? name : "");
		for (int k = 0; keys[k] != NULL; k++) {
			json_t *v = json_object_get(c, keys[k]);

			csv_raw(r->arena, &buf, &len, &cap,
				json_is_real(v)
				    ? arena_printf(r->arena, ",%.1f", json_real_value(v))
				    : arena_printf(r->arena, ",%lld",
						   (long long)json_integer_value(v)));
		}
		csv_raw(r->arena, &buf, &len, &cap, "\r\n");
	}
	if (buf == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	r->status = 200;
	r->raw_reply = buf;
	r->raw_len = len;
	r->reply_type = "text/csv; charset=utf-8";
	reply_header(r, "Content-Disposition: attachment; filename=\"reseau-indicateurs.csv\"");
	return ERR_OK;
}

/* ---- the routes ---- */

#define TUTORS	 (R(TUTEUR_TERRAIN) | R(TUTEUR_INSPE) | R(PILOTE_COLLECTIF))
#define ORGS	 (R(BUREAU_STAGES) | R(DIRECTION_INSPE) | R(CHARGE_MISSION_FORMATION))
#define RESEAU	 (TUTORS | ORGS)
/* A collective's records answer 404 to every staff member outside it
 * (admins and inspectors included), as for a missing id. */
#define INSIDE	 ROLES_STAFF
#define SEEN(kind, see)		   .object = {ROBJ_##kind, "id", see, 0, NULL}
#define ACTED(kind, see, act, why) .object = {ROBJ_##kind, "id", see, act, why}
#define ORG_ONLY	"Seuls les organisateurs de l’académie (bureau des stages, direction, " \
		"chargé de mission formation du département) composent les collectifs."
#define PILOT_ONLY "Le pilote du collectif conduit les rencontres."
#define COLL_SEE   (RREL_MEMBER | RREL_ORGANISER)
#define INNER	   (RREL_MEMBER | RREL_PILOT)
#define INNER_COLL (RREL_SIGNED | RREL_PILOT | RREL_ORGANISER)

static struct route reseau_routes[] = {
    {M_GET, "/api/v1/reseau/communes", h_communes, p_communes, RESEAU},
    {M_GET, "/api/v1/reseau/calls", h_calls, p_calls, RESEAU},
    {M_POST, "/api/v1/reseau/calls", h_call_create, p_call_create, ORGS},
    {M_GET, "/api/v1/reseau/calls/{id}", h_call_get, p_id, RESEAU,
     SEEN(CALL, RREL_ORGANISER | RREL_TUTOR)},
    {M_PATCH, "/api/v1/reseau/calls/{id}", h_call_patch, p_call_patch, RESEAU,
     ACTED(CALL, RREL_ORGANISER | RREL_TUTOR, RREL_ORGANISER, ORG_ONLY)},
    {M_POST, "/api/v1/reseau/calls/{id}/volunteers", h_volunteer, p_volunteer, RESEAU,
     ACTED(CALL, RREL_ORGANISER | RREL_TUTOR, RREL_TUTOR,
	   "Les tuteurs de l’académie se portent volontaires.")},
    {M_GET, "/api/v1/reseau/calls/{id}/volunteers", h_volunteers, p_id_page, RESEAU,
     ACTED(CALL, RREL_ORGANISER | RREL_TUTOR, RREL_ORGANISER, ORG_ONLY)},
    {M_POST, "/api/v1/reseau/calls/{id}/mix", h_mix, p_mix, RESEAU,
     ACTED(CALL, RREL_ORGANISER | RREL_TUTOR, RREL_ORGANISER, ORG_ONLY)},
    {M_POST, "/api/v1/reseau/calls/{id}/collectives", h_collective_create, p_collective_create,
     RESEAU, ACTED(CALL, RREL_ORGANISER | RREL_TUTOR, RREL_ORGANISER, ORG_ONLY)},
    {M_GET, "/api/v1/reseau/my-volunteering", h_my_volunteering, NULL, TUTORS},
    {M_GET, "/api/v1/reseau/collectives", h_collectives, p_collectives, RESEAU},
    {M_GET, "/api/v1/reseau/collectives/{id}", h_collective_get, p_id, INSIDE,
     SEEN(COLLECTIVE, COLL_SEE)},
    {M_POST, "/api/v1/reseau/collectives/{id}/validate", h_collective_validate, p_id, INSIDE,
     ACTED(COLLECTIVE, COLL_SEE, RREL_ORGANISER, ORG_ONLY)},
    {M_POST, "/api/v1/reseau/collectives/{id}/charter", h_charter, p_id, INSIDE,
     ACTED(COLLECTIVE, COLL_SEE, RREL_MEMBER,
	   "La charte est acceptée par chaque membre du collectif.")},
    {M_POST, "/api/v1/reseau/collectives/{id}/meetings", h_meeting_create, p_meeting_create,
     INSIDE, ACTED(COLLECTIVE, INNER_COLL, RREL_PILOT, PILOT_ONLY)},
    {M_POST, "/api/v1/reseau/collectives/{id}/polls", h_poll_create, p_poll_create, INSIDE,
     ACTED(COLLECTIVE, INNER_COLL, RREL_PILOT, PILOT_ONLY)},
    {M_GET, "/api/v1/reseau/polls/{id}", h_poll_get, p_id, INSIDE, SEEN(POLL, INNER)},
    {M_PUT, "/api/v1/reseau/polls/{id}/answers", h_poll_answers, p_poll_answers, INSIDE,
     SEEN(POLL, INNER)},
    {M_POST, "/api/v1/reseau/polls/{id}/confirm", h_poll_confirm, p_poll_confirm, INSIDE,
     ACTED(POLL, INNER, RREL_PILOT, PILOT_ONLY)},
    {M_GET, "/api/v1/reseau/meetings/{id}", h_meeting_get, p_id, INSIDE, SEEN(MEETING, INNER)},
    {M_PUT, "/api/v1/reseau/meetings/{id}/attendance", h_attendance, p_attendance, INSIDE,
     ACTED(MEETING, INNER, RREL_PILOT, PILOT_ONLY)},
    {M_GET, "/api/v1/reseau/meetings/{id}/canvas", h_canvas_get, p_id, INSIDE,
     SEEN(MEETING, INNER)},
    {M_PUT, "/api/v1/reseau/meetings/{id}/canvas", h_canvas_put, p_canvas, INSIDE,
     ACTED(MEETING, INNER, RREL_PILOT, PILOT_ONLY)},
    {M_GET, "/api/v1/reseau/meetings/{id}/synthesis", h_synthesis_get, p_id, INSIDE,
     SEEN(MEETING, INNER)},
    {M_PUT, "/api/v1/reseau/meetings/{id}/synthesis", h_synthesis_put, p_synthesis, INSIDE,
     ACTED(MEETING, INNER, RREL_PILOT, PILOT_ONLY)},
    {M_POST, "/api/v1/reseau/meetings/{id}/synthesis/publish", h_synthesis_publish, p_id,
     INSIDE, ACTED(MEETING, INNER, RREL_PILOT, PILOT_ONLY)},
    {M_GET, "/api/v1/reseau/library", h_library, p_library, RESEAU},
    {M_GET, "/api/v1/reseau/library/{id}", h_library_item, p_id, INSIDE,
     SEEN(SYNTHESIS, RREL_READER)},
    {M_GET, "/api/v1/reseau/resources", h_resources, NULL, ROLES_ALL},
    {M_PUT, "/api/v1/reseau/resources", h_resources_put, p_resources,
     R(ADMIN) | R(BUREAU_STAGES)},
    {M_GET, "/api/v1/reseau/figures", h_figures, p_figures, ORGS},
    {M_GET, "/api/v1/reseau/figures.csv", h_figures_csv, p_figures, ORGS},
};

const struct module reseau_module = {
    .name = "reseau",
    .routes = reseau_routes,
    .n_routes = ARRAY_LEN(reseau_routes),
    .resolve = reseau_resolve,
    .relations = reseau_relation_names,
    .objects = reseau_object_names,
    .statements = reseau_statements,
    .problems = reseau_problems,
    .seed = reseau_seed,
    .notices = reseau_notices,
    .relations_of = reseau_relations_of,
};
