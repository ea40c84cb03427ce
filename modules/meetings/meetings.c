/*
 * Routes and handlers of the meetings module (docs/meetings.md). The route
 * masks admit the roles that can hold a relation at all; each route names
 * its object and the relations that see it and act on it, resolved by
 * meetings_resolve(); handlers read validated arguments, call
 * meetings_db.c, audit their writes, notify and answer.
 */
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "authz.h"
#include "meetings.h"
#include "modules.h"
#include "req.h"
#include "util.h"

/* The module's own problems (struct module.problems). */
static const struct problem_def P_MEETING_STATE = {
    409, "meeting_state", "L’état de la réunion ne permet pas cette action."};
static const struct problem_def P_FICHE_SENT = {
    409, "personalisation_sent", "La fiche est transmise à la cellule : elle ne se modifie plus."};
static const struct problem_def P_BUDGET_EXCEEDED = {
    409, "budget_exceeded", "Les heures dépassent le budget restant de l’année."};
static const struct problem_def P_BUDGET_BELOW = {
    409, "budget_below_consumed", "Le budget ne peut être inférieur aux heures déjà accordées."};
static const struct problem_def P_FICHE_NOT_SENT = {
    409, "personalisation_not_sent", "La fiche n’est pas encore transmise à la cellule."};
static const struct problem_def P_FICHE_DECIDED = {
    409, "personalisation_decided", "La cellule a déjà rendu sa décision sur cette fiche."};
static const struct problem_def *const meetings_problems[] = {
    &P_MEETING_STATE, &P_FICHE_SENT,	  &P_FICHE_NOT_SENT, &P_FICHE_DECIDED,
    &P_BUDGET_EXCEEDED, &P_BUDGET_BELOW, NULL};

const char *const meetings_relation_names[] = {
    "pilot", "participant", "cellule", "trainee", "tuteur_terrain", "tuteur_inspe", NULL};
const char *const meetings_object_names[] = {"", "pole_meeting", "personalisation", "workshop",
					     NULL};

const struct notice_kind meetings_notices[] = {
    {"meetings.list_ready", "Liste d’une réunion de pôle prête",
     "a préparé la liste des stagiaires à examiner en réunion de pôle",
     "Une réunion de pôle vous attend", CHANNEL_EMAIL},
    {"meetings.personalisation_sent", "Fiche de personnalisation transmise à la cellule",
     "a transmis une fiche de personnalisation à la cellule d’accompagnement",
     "Une fiche de personnalisation vous attend", CHANNEL_EMAIL},
    {"meetings.personalisation_decided", "Décision de la cellule d’accompagnement",
     "a rendu la décision de la cellule sur une fiche de personnalisation",
     "Une décision de la cellule vous attend", CHANNEL_EMAIL},
    {0},
};

/* ---- access ---- */

enum err meetings_resolve(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
			  void **ctx)
{
	struct meetings_ctx *c = arena_zalloc(r->arena, sizeof(*c));
	enum err e;

	(void)wanted;
	if (c == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	switch (kind) {
	case MOBJ_MEETING:
		e = mdb_meeting_rel(r, id, c);
		break;
	case MOBJ_PERSONALISATION:
		e = mdb_personalisation_rel(r, id, c);
		break;
	case MOBJ_WORKSHOP:
		e = mdb_workshop_rel(r, id, c);
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

enum err meetings_relations_of(struct req *r, int kind, const int64_t *ids, size_t n,
			       unsigned *rel)
{
	return mdb_relations_of(r, kind, ids, n, rel);
}

static const char *link_to(struct req *r, const char *screen, int64_t id)
{
	return arena_printf(r->arena, "/app.html#/reunions/%s/%lld", screen, (long long)id);
}

static enum err tell(struct req *r, const char *kind, int object_kind, int64_t id,
		     unsigned relations, const char *subject, const char *link,
		     const int64_t *rcpt, size_t n)
{
	const struct notice notice = {
	    .kind = kind,
	    .object = meetings_object_names[object_kind],
	    .object_kind = object_kind,
	    .object_id = id,
	    .relations = relations,
	    .subject = subject,
	    .link = link,
	};
	return notify(r, &meetings_module, &notice, rcpt, n);
}

/* ---- arguments ---- */

static const char *const decisions[] = {"rien_a_signaler", "personnalisation",
					"individualisation", "poursuite", "fin", NULL};
static const char *const fiche_states[] = {"draft", "sent", "agreed", "refused", NULL};

#define LONGTEXT 20000
#define PAGE_ARGS                                                                                  \
	{"limit", LOC_QUERY, P_INT, .min = 1, .max = 200},                                         \
	{                                                                                          \
		"offset", LOC_QUERY, P_INT, .min = 0, .max = 1000000                               \
	}

static const struct param_spec p_id[] = {{"id", LOC_PATH, P_ID, .required = true}, {0}};
static const struct param_spec p_year_list[] = {{"year_id", LOC_QUERY, P_ID}, PAGE_ARGS, {0}};
static const struct param_spec participant_fields[] = {
    {"person_id", LOC_BODY, P_ID, .required = true}, {0}};
static const struct param_spec p_meeting_create[] = {
    {"year_id", LOC_BODY, P_ID},
    {"number", LOC_BODY, P_INT, .required = true, .min = 1, .max = 3},
    {"pole_id", LOC_BODY, P_ID},
    {"discipline_id", LOC_BODY, P_ID},
    {"held_on", LOC_BODY, P_DATE},
    {"participants", LOC_BODY, P_LIST, .min = 0, .max = 60, .fields = participant_fields},
    {0},
};
static const struct param_spec p_meeting_update[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"held_on", LOC_BODY, P_DATE},
    {"participants", LOC_BODY, P_LIST, .min = 0, .max = 60, .fields = participant_fields},
    {0},
};
static const struct param_spec p_decision[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"enrolment_id", LOC_BODY, P_ID, .required = true},
    {"decision", LOC_BODY, P_ENUM, .required = true, .choices = decisions},
    {"note", LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = 4000},
    {0},
};
static const struct param_spec p_review_request[] = {
    {"enrolment_id", LOC_BODY, P_ID, .required = true},
    {"reason", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 4000},
    {0},
};
static const struct param_spec item_fields[] = {
    {"difficulty", LOC_BODY, P_INT, .required = true, .min = 1, .max = 5},
    {"situation", LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = LONGTEXT},
    {"support", LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = LONGTEXT},
    {"hours", LOC_BODY, P_INT, .min = 0, .max = 500},
    {0},
};
#define FICHE_FIELDS                                                                               \
	{"meeting_id", LOC_BODY, P_ID, .nullable = true},                                          \
	    {"decided_on", LOC_BODY, P_DATE, .required = true},                                    \
	    {"place_id", LOC_BODY, P_ID, .nullable = true},                                        \
	{                                                                                          \
		"items", LOC_BODY, P_LIST, .required = true, .min = 0, .max = 5,                   \
		.fields = item_fields                                                              \
	}
static const struct param_spec p_fiche_create[] = {
    {"trainee_id", LOC_BODY, P_ID, .required = true},
    {"year_id", LOC_BODY, P_ID},
    FICHE_FIELDS,
    {0},
};
static const struct param_spec p_fiche_update[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    FICHE_FIELDS,
    {0},
};
static const struct param_spec p_fiche_list[] = {
    {"year_id", LOC_QUERY, P_ID},
    {"status", LOC_QUERY, P_ENUM, .choices = fiche_states},
    PAGE_ARGS,
    {0},
};
static const struct param_spec p_fiche_decision[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"agreed", LOC_BODY, P_BOOL, .required = true},
    {"agreed_hours", LOC_BODY, P_INT, .min = 1, .max = 10000},
    {"note", LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = 4000},
    {0},
};
static const struct param_spec p_budget_get[] = {
    {"year_id", LOC_PATH, P_ID, .required = true}, {0}};
static const struct param_spec p_budget_put[] = {
    {"year_id", LOC_PATH, P_ID, .required = true},
    {"hours", LOC_BODY, P_INT, .required = true, .min = 0, .max = 1000000},
    {0},
};
static const struct param_spec p_workshop_create[] = {
    {"year_id", LOC_BODY, P_ID},
    {"title", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 200},
    {0},
};
static const struct param_spec p_session[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"held_at", LOC_BODY, P_DATETIME, .required = true},
    {"place", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 200},
    {0},
};
static const struct param_spec p_workshop_trainee[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"enrolment_id", LOC_BODY, P_ID, .required = true},
    {0},
};
static const struct param_spec p_attendance[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"session_id", LOC_BODY, P_ID, .required = true},
    {"enrolment_id", LOC_BODY, P_ID, .required = true},
    {"present", LOC_BODY, P_BOOL, .required = true},
    {0},
};

/* The year named by `year_id`, or the current one: 422 naming the field
 * when the académie has no such year. */
static enum err year_arg(struct req *r, int64_t *year_id)
{
	bool found = false;
	enum err e;

	*year_id = arg_int(r, "year_id", 0);
	if (*year_id == 0) {
		e = mdb_current_year(r, year_id);
		if (e == ERR_OK && *year_id == 0)
			return fail(r, ERR_INVALID_FIELD, "year_id",
				    "Aucune année en cours : précisez l’année.");
		return e;
	}
	e = mdb_year_exists(r, *year_id, &found);
	if (e == ERR_OK && !found)
		return fail(r, ERR_INVALID_FIELD, "year_id", "Année inconnue.");
	return e;
}

static enum err participants_write(struct req *r, int64_t meeting_id, json_t *list)
{
	size_t i;
	json_t *it;
	enum err e = ERR_OK;

	json_array_foreach(list, i, it)
	{
		e = mdb_participant_add(
		    r, meeting_id, (int64_t)json_integer_value(json_object_get(it, "person_id")));
		if (e == ERR_DUPLICATE || e == ERR_REFERENCE)
			return fail(r, ERR_INVALID_FIELD, "participants",
				    "Un participant est en double ou inconnu dans l’académie.");
		if (e != ERR_OK)
			return e;
	}
	return e;
}

/* ---- pôle meetings ---- */

/* GET /api/v1/pole-meetings — the meetings the caller pilots or takes part
 * in (all of them for the bureau des stages): status and counts. 200. */
static enum err h_meetings(struct req *r)
{
	json_t *out = NULL;
	enum err e = mdb_meetings_list(r, arg_int(r, "year_id", 0), arg_int(r, "limit", 50),
				       arg_int(r, "offset", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* POST /api/v1/pole-meetings — the pilot of a pôle (pole_id) or the IA-IPR
 * of a discipline (discipline_id) plans meeting N°1-3 of a year. held_on
 * defaults to the year's calendar (pole_meeting_N); participants default
 * to the scope's (Q_PARTICIPANTS_DEFAULT). 201; 422 naming the field; 403
 * for a scope the caller does not pilot; 409 when that meeting exists. */
static enum err h_meeting_create(struct req *r)
{
	int64_t year_id, id = random_id(), pole = arg_int(r, "pole_id", 0);
	int64_t discipline = arg_int(r, "discipline_id", 0);
	int number = (int)arg_int(r, "number", 1);
	const char *kind = pole != 0 ? "pole" : "discipline", *field = pole != 0 ? "pole_id"
										 : "discipline_id";
	const char *held_on = arg_str(r, "held_on");
	int64_t scope = pole != 0 ? pole : discipline;
	bool found = false, pilot = false;
	enum err e;

	if ((pole != 0) == (discipline != 0))
		return fail(r, ERR_INVALID_FIELD, "pole_id",
			    "Indiquez soit le pôle de formation, soit la discipline.");
	e = year_arg(r, &year_id);
	if (e == ERR_OK)
		e = mdb_structure_kind(r, scope, kind, &found);
	if (e == ERR_OK && !found)
		return fail(r, ERR_INVALID_FIELD, field,
			    pole != 0 ? "Pôle de formation inconnu." : "Discipline inconnue.");
	if (e == ERR_OK)
		e = mdb_is_scope_pilot(r, kind, scope, &pilot);
	if (e == ERR_OK && !pilot)
		return fail(r, ERR_FORBIDDEN, field,
			    pole != 0 ? "Seul le pilote du pôle planifie ses réunions."
				      : "Seul l’IA-IPR de la discipline planifie ses réunions.");
	if (e == ERR_OK && held_on == NULL) {
		e = mdb_calendar_date(r, year_id, number, &held_on);
		if (e == ERR_OK && held_on == NULL)
			return fail(r, ERR_INVALID_FIELD, "held_on",
				    "Le calendrier de l’année n’a pas de date pour cette "
				    "réunion : indiquez-la.");
	}
	if (e == ERR_OK)
		e = mdb_meeting_insert(r, id, year_id, number, kind, scope, held_on);
	if (e == ERR_DUPLICATE)
		return fail(r, ERR_CONFLICT, "number", "Cette réunion existe déjà pour cette année.");
	if (e == ERR_OK)
		e = arg_has(r, "participants")
			? participants_write(r, id, arg_list(r, "participants"))
			: mdb_participants_default(r, id);
	if (e == ERR_OK)
		e = audit_record_body(r, "pole_meeting.create", "pole_meeting", id);
	if (e == ERR_OK)
		reply_id(r, 201, id);
	return e;
}

static enum err meeting_reply(struct req *r, int64_t id, int status)
{
	json_t *out = NULL;
	enum err e = mdb_meeting_json(r, id, meetings_ctx(r)->rel, &out);

	if (e == ERR_OK)
		reply_versioned(r, status, out);
	return e;
}

/* GET /api/v1/pole-meetings/{id} — its pilots, participants, status. 200. */
static enum err h_meeting_get(struct req *r)
{
	return meeting_reply(r, arg_int(r, "id", 0), 200);
}

/* PATCH /api/v1/pole-meetings/{id} — the pilot moves the date or names the
 * participants (replaced whole), If-Match, until the meeting is held.
 * 200; 409 once held; 412 stale. */
static enum err h_meeting_update(struct req *r)
{
	int64_t id = arg_int(r, "id", 0), version;
	enum err e = req_if_match(r, &version);

	if (e != ERR_OK)
		return e;
	if (strcmp(meetings_ctx(r)->status, "held") == 0)
		return fail_problem(r, &P_MEETING_STATE, NULL, "La réunion est tenue.");
	e = mdb_meeting_update(r, id, version, arg_str(r, "held_on"));
	if (e == ERR_OK && arg_has(r, "participants")) {
		e = mdb_participants_clear(r, id);
		if (e == ERR_OK)
			e = participants_write(r, id, arg_list(r, "participants"));
	}
	if (e == ERR_OK)
		e = audit_record_body(r, "pole_meeting.update", "pole_meeting", id);
	return e != ERR_OK ? e : meeting_reply(r, id, 200);
}

/* GET /api/v1/pole-meetings/{id}/reviews — the trainees to review: live
 * from the signals while the meeting is to come, the frozen list with each
 * one's latest decision once ready. 200. */
static enum err h_reviews(struct req *r)
{
	json_t *out = NULL;
	enum err e = mdb_reviews_json(r, arg_int(r, "id", 0), meetings_ctx(r)->status, &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* POST /api/v1/pole-meetings/{id}/ready — the pilot freezes the list
 * (If-Match) and the participants are told. 200; 409 unless upcoming. */
static enum err h_meeting_ready(struct req *r)
{
	int64_t id = arg_int(r, "id", 0), version, *rcpt = NULL;
	size_t n = 0, listed = 0;
	enum err e = req_if_match(r, &version);

	if (e != ERR_OK)
		return e;
	if (strcmp(meetings_ctx(r)->status, "upcoming") != 0)
		return fail_problem(r, &P_MEETING_STATE, NULL, "La liste est déjà prête.");
	e = mdb_meeting_status(r, id, version, "upcoming", "list_ready");
	if (e == ERR_OK)
		e = mdb_reviews_freeze(r, id, &listed);
	if (e == ERR_OK)
		e = audit_record(r, "pole_meeting.ready", "pole_meeting", id,
				 jarena(r, json_pack("{s:I}", "listed", (json_int_t)listed)));
	if (e == ERR_OK)
		e = mdb_participant_ids(r, id, &rcpt, &n);
	if (e == ERR_OK)
		e = tell(r, "meetings.list_ready", MOBJ_MEETING, id, MREL_PARTICIPANT,
			 arena_printf(r->arena, "Réunion N°%d", meetings_ctx(r)->number),
			 link_to(r, "reunion", id), rcpt, n);
	return e != ERR_OK ? e : meeting_reply(r, id, 200);
}

/* POST /api/v1/pole-meetings/{id}/held — the pilot records that the
 * meeting took place (If-Match). 200; 409 unless its list is ready. */
static enum err h_meeting_held(struct req *r)
{
	int64_t id = arg_int(r, "id", 0), version;
	enum err e = req_if_match(r, &version);

	if (e != ERR_OK)
		return e;
	if (strcmp(meetings_ctx(r)->status, "list_ready") != 0)
		return fail_problem(r, &P_MEETING_STATE, NULL,
				    "La liste des stagiaires doit être prête avant la réunion.");
	e = mdb_meeting_status(r, id, version, "list_ready", "held");
	if (e == ERR_OK)
		e = audit_record(r, "pole_meeting.held", "pole_meeting", id, NULL);
	return e != ERR_OK ? e : meeting_reply(r, id, 200);
}

/* POST /api/v1/pole-meetings/{id}/decisions — the pilot's decision for a
 * trainee of the frozen list, dated and attributed; a correction is a new
 * decision. 201; 409 while the list is not ready; 422 enrolment_id for a
 * trainee not on the list. */
static enum err h_decision(struct req *r)
{
	int64_t id = arg_int(r, "id", 0), enrolment = arg_int(r, "enrolment_id", 0);
	int64_t did = random_id();
	bool listed = false;
	enum err e;

	if (strcmp(meetings_ctx(r)->status, "upcoming") == 0)
		return fail_problem(r, &P_MEETING_STATE, NULL,
				    "Préparez d’abord la liste des stagiaires à examiner.");
	e = mdb_on_list(r, id, enrolment, &listed);
	if (e == ERR_OK && !listed)
		return fail(r, ERR_INVALID_FIELD, "enrolment_id",
			    "Ce stagiaire n’est pas sur la liste de la réunion.");
	if (e == ERR_OK)
		e = mdb_decision_insert(r, did, id, enrolment, arg_str(r, "decision"),
					arg_str(r, "note"));
	if (e == ERR_OK)
		e = audit_record_body(r, "pole_meeting.decision", "pole_meeting", id);
	if (e == ERR_OK)
		reply_id(r, 201, did);
	return e;
}

/* POST /api/v1/review-requests — a current tutor of the trio asks for the
 * trainee to be reviewed at the next meeting. 201; 422 enrolment_id when
 * the caller is not a tutor of that enrolment (or it does not exist). */
static enum err h_review_request(struct req *r)
{
	int64_t enrolment = arg_int(r, "enrolment_id", 0), id = random_id();
	bool tutor = false;
	enum err e = mdb_tutor_of(r, enrolment, &tutor);

	if (e == ERR_OK && !tutor)
		return fail(r, ERR_INVALID_FIELD, "enrolment_id",
			    "Vous n’êtes pas tuteur de ce stagiaire.");
	if (e == ERR_OK)
		e = mdb_review_request_insert(r, id, enrolment, arg_str(r, "reason"));
	if (e == ERR_OK)
		e = audit_record(r, "review_request.create", "enrolment", enrolment,
				 jarena(r, json_pack("{s:I}", "request_id", (json_int_t)id)));
	if (e == ERR_OK)
		reply_id(r, 201, id);
	return e;
}

/* ---- fiches de personnalisation ---- */

/* The checks of a fiche's body against the enrolment: the deciding
 * meeting of its year, one of its places (the only one by default). *place
 * gets the place to store. Each difficulty once is the unique key's
 * (items_write). */
static enum err fiche_checks(struct req *r, int64_t enrolment_id, int64_t year_id,
			     int64_t *place)
{
	int64_t meeting = arg_int(r, "meeting_id", 0);
	bool ok = true;
	enum err e = ERR_OK;

	*place = arg_int(r, "place_id", 0);
	if (meeting != 0)
		e = mdb_meeting_of_year(r, meeting, year_id, &ok);
	if (e == ERR_OK && !ok)
		return fail(r, ERR_INVALID_FIELD, "meeting_id",
			    "Aucune réunion de cette année ne porte cet identifiant.");
	if (e == ERR_OK && *place != 0)
		e = mdb_place_of(r, enrolment_id, *place, &ok);
	else if (e == ERR_OK && !arg_has(r, "place_id"))
		e = mdb_only_place(r, enrolment_id, place);
	if (e == ERR_OK && !ok)
		return fail(r, ERR_INVALID_FIELD, "place_id",
			    "Ce lieu n’est pas un lieu d’exercice du stagiaire.");
	return e;
}

/* The fiche's items, replaced whole: a difficulty twice is 422 items. */
static enum err items_write(struct req *r, int64_t id)
{
	enum err e = mdb_items_replace(r, id, arg_list(r, "items"));

	if (e == ERR_DUPLICATE)
		return fail(r, ERR_INVALID_FIELD, "items", "Chaque difficulté ne figure qu’une fois.");
	return e;
}

static enum err fiche_reply(struct req *r, int64_t id, int status)
{
	json_t *out = NULL;
	enum err e = mdb_personalisation_json(r, id, &out);

	if (e == ERR_OK)
		reply_versioned(r, status, out);
	return e;
}

/* GET /api/v1/personalisations — the fiches the caller sees (their trio,
 * their scope as pilot, all for the cellule): status and hours only. */
static enum err h_fiches(struct req *r)
{
	json_t *out = NULL;
	enum err e = mdb_personalisations_list(r, arg_int(r, "year_id", 0), arg_str(r, "status"),
					       arg_int(r, "limit", 50), arg_int(r, "offset", 0),
					       &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* POST /api/v1/personalisations — a current tutor of the trainee or the
 * pilot of their pôle or discipline opens the fiche (annex 1), a draft.
 * 201; 422 trainee_id when the trainee has no enrolment of the year that
 * the caller follows; 422 naming meeting_id, place_id, items. */
static enum err h_fiche_create(struct req *r)
{
	int64_t year_id, enrolment = 0, place = 0, id = random_id();
	enum err e = year_arg(r, &year_id);

	if (e == ERR_OK)
		e = mdb_fiche_enrolment(r, arg_int(r, "trainee_id", 0), year_id, &enrolment);
	if (e == ERR_OK && enrolment == 0)
		return fail(r, ERR_INVALID_FIELD, "trainee_id",
			    "Ce stagiaire n’a pas d’inscription cette année que vous suivez.");
	if (e == ERR_OK)
		e = fiche_checks(r, enrolment, year_id, &place);
	if (e == ERR_OK)
		e = mdb_personalisation_insert(r, id, enrolment, arg_int(r, "meeting_id", 0),
					       arg_str(r, "decided_on"), place);
	if (e == ERR_OK)
		e = items_write(r, id);
	if (e == ERR_OK)
		e = audit_record_body(r, "personalisation.create", "personalisation", id);
	if (e == ERR_OK)
		reply_id(r, 201, id);
	return e;
}

/* GET /api/v1/personalisations/{id} — the fiche, all five difficulties. */
static enum err h_fiche_get(struct req *r)
{
	return fiche_reply(r, arg_int(r, "id", 0), 200);
}

/* PUT /api/v1/personalisations/{id} — the tutors or the pilot rewrite the
 * draft (items replaced whole), If-Match. 200; 409 once sent; 412. */
static enum err h_fiche_put(struct req *r)
{
	struct meetings_ctx *c = meetings_ctx(r);
	int64_t id = c->id, version, place = 0;
	enum err e = req_if_match(r, &version);

	if (e != ERR_OK)
		return e;
	if (strcmp(c->status, "draft") != 0)
		return fail_problem(r, &P_FICHE_SENT, NULL, NULL);
	e = fiche_checks(r, c->enrolment_id, c->year_id, &place);
	if (e == ERR_OK)
		e = mdb_personalisation_update(r, id, version, arg_str(r, "decided_on"),
					       arg_int(r, "meeting_id", 0), place);
	if (e == ERR_OK)
		e = items_write(r, id);
	if (e == ERR_OK)
		e = audit_record_body(r, "personalisation.update", "personalisation", id);
	return e != ERR_OK ? e : fiche_reply(r, id, 200);
}

/* POST /api/v1/personalisations/{id}/send — the tuteur Inspé sends the
 * draft to the cellule d'accompagnement (If-Match); the bureau des stages
 * is told. 200; 409 once sent. */
static enum err h_fiche_send(struct req *r)
{
	struct meetings_ctx *c = meetings_ctx(r);
	int64_t version, *rcpt = NULL;
	size_t n = 0;
	enum err e = req_if_match(r, &version);

	if (e != ERR_OK)
		return e;
	if (strcmp(c->status, "draft") != 0)
		return fail_problem(r, &P_FICHE_SENT, NULL, "La fiche est déjà transmise.");
	e = mdb_personalisation_send(r, c->id, version);
	if (e == ERR_OK)
		e = audit_record(r, "personalisation.send", "personalisation", c->id, NULL);
	if (e == ERR_OK)
		e = mdb_cellule_ids(r, &rcpt, &n);
	if (e == ERR_OK)
		e = tell(r, "meetings.personalisation_sent", MOBJ_PERSONALISATION, c->id,
			 MREL_CELLULE, "Fiche de personnalisation", link_to(r, "fiche", c->id),
			 rcpt, n);
	return e != ERR_OK ? e : fiche_reply(r, c->id, 200);
}

/*
 * POST /api/v1/personalisations/{id}/decision — the cellule agrees (with
 * the hours it grants: agreed_hours, by default the fiche's total) or
 * refuses, If-Match. Hours beyond the year's remaining budget are refused,
 * not flagged: 409 budget_exceeded naming agreed_hours, nothing written
 * (the budget row is locked for the check). The tutors and the pilots are
 * told. 200; 409 unless sent.
 */
static enum err h_fiche_decision(struct req *r)
{
	struct meetings_ctx *c = meetings_ctx(r);
	bool agreed = arg_bool(r, "agreed", false), budget = false;
	int64_t version, hours = arg_int(r, "agreed_hours", 0), total = 0, consumed = 0;
	int64_t *rcpt = NULL;
	size_t n = 0;
	const char *trainee = "";
	enum err e = req_if_match(r, &version);

	if (e != ERR_OK)
		return e;
	if (strcmp(c->status, "sent") != 0)
		return fail_problem(r, strcmp(c->status, "draft") == 0 ? &P_FICHE_NOT_SENT
								    : &P_FICHE_DECIDED,
				    NULL, NULL);
	if (agreed && hours == 0)
		e = mdb_personalisation_hours(r, c->id, &hours);
	if (e == ERR_OK && agreed)
		e = mdb_budget_lock(r, c->year_id, &budget, &total, &consumed);
	if (e == ERR_OK && agreed && !budget)
		return fail_problem(r, &P_BUDGET_EXCEEDED, "agreed_hours",
				    "Aucun budget d’accompagnement n’est fixé pour cette année.");
	if (e == ERR_OK && agreed && hours > total - consumed)
		return fail_problem(
		    r, &P_BUDGET_EXCEEDED, "agreed_hours",
		    arena_printf(r->arena, "%lld h demandées, %lld h restantes sur le budget.",
				 (long long)hours, (long long)(total - consumed)));
	if (e == ERR_OK)
		e = mdb_personalisation_decide(r, c->id, version, agreed, hours,
					       arg_str(r, "note"));
	if (e == ERR_OK)
		e = audit_record(r, "personalisation.decision", "personalisation", c->id,
				 jarena(r, json_pack("{s:b, s:I}", "agreed", agreed, "hours",
						     (json_int_t)(agreed ? hours : 0))));
	if (e == ERR_OK)
		e = mdb_fiche_audience(r, c->enrolment_id, &rcpt, &n, &trainee);
	if (e == ERR_OK)
		e = tell(r, "meetings.personalisation_decided", MOBJ_PERSONALISATION, c->id,
			 MREL_TUTORS | MREL_PILOT, trainee, link_to(r, "fiche", c->id), rcpt, n);
	return e != ERR_OK ? e : fiche_reply(r, c->id, 200);
}

/* ---- the support budget ---- */

/* GET /api/v1/support-budgets/{year_id} — hours, consumed, remaining. 404
 * for a year of no académie of the caller. */
static enum err h_budget_get(struct req *r)
{
	json_t *out = NULL;
	enum err e = mdb_budget_json(r, arg_int(r, "year_id", 0), &out);

	if (e == ERR_OK)
		reply_versioned(r, 200, out);
	return e;
}

/* PUT /api/v1/support-budgets/{year_id} — the bureau des stages sets the
 * year's hours: the first time without If-Match, then with it. 200; 409
 * budget_below_consumed naming hours; 412. */
static enum err h_budget_put(struct req *r)
{
	int64_t year = arg_int(r, "year_id", 0), hours = arg_int(r, "hours", 0), version;
	int64_t total = 0, consumed = 0;
	bool found = false, exists = false;
	enum err e = mdb_year_exists(r, year, &found);

	if (e == ERR_OK && !found)
		return ERR_NOT_FOUND;
	if (e == ERR_OK)
		e = mdb_budget_lock(r, year, &exists, &total, &consumed);
	if (e != ERR_OK)
		return e;
	if (hours < consumed)
		return fail_problem(
		    r, &P_BUDGET_BELOW, "hours",
		    arena_printf(r->arena, "%lld h sont déjà accordées.", (long long)consumed));
	if (exists) {
		e = req_if_match(r, &version);
		if (e == ERR_OK)
			e = mdb_budget_update(r, year, version, hours);
	} else {
		e = mdb_budget_insert(r, year, hours);
	}
	if (e == ERR_OK)
		e = audit_record_body(r, "support_budget.set", "school_year", year);
	return e != ERR_OK ? e : h_budget_get(r);
}

/* ---- workshops ---- */

/* GET /api/v1/workshops — the cellule's workshops: counts only. */
static enum err h_workshops(struct req *r)
{
	json_t *out = NULL;
	enum err e = mdb_workshops_list(r, arg_int(r, "year_id", 0), arg_int(r, "limit", 50),
					arg_int(r, "offset", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* POST /api/v1/workshops — the cellule opens a workshop. 201. */
static enum err h_workshop_create(struct req *r)
{
	int64_t year_id, id = random_id();
	enum err e = year_arg(r, &year_id);

	if (e == ERR_OK)
		e = mdb_workshop_insert(r, id, year_id, arg_str(r, "title"));
	if (e == ERR_OK)
		e = audit_record_body(r, "workshop.create", "workshop", id);
	if (e == ERR_OK)
		reply_id(r, 201, id);
	return e;
}

static enum err workshop_reply(struct req *r, int64_t id, int status)
{
	json_t *out = NULL;
	enum err e = mdb_workshop_json(r, id, &out);

	if (e == ERR_OK)
		reply_json(r, status, out);
	return e;
}

/* GET /api/v1/workshops/{id} — sessions, trainees, attendance. */
static enum err h_workshop_get(struct req *r)
{
	return workshop_reply(r, arg_int(r, "id", 0), 200);
}

/* POST /api/v1/workshops/{id}/sessions — a session (date, place). 201. */
static enum err h_session_create(struct req *r)
{
	int64_t id = random_id(), wid = arg_int(r, "id", 0);
	enum err e = mdb_session_insert(r, id, wid, arg_str(r, "held_at"), arg_str(r, "place"));

	if (e == ERR_OK)
		e = audit_record_body(r, "workshop.session", "workshop", wid);
	if (e == ERR_OK)
		reply_id(r, 201, id);
	return e;
}

/* POST /api/v1/workshops/{id}/trainees — enrols a trainee of the
 * workshop's year who is in difficulty (an agreed fiche de
 * personnalisation, or an open case). 201; 422 enrolment_id otherwise;
 * 409 twice. */
static enum err h_workshop_trainee(struct req *r)
{
	struct meetings_ctx *c = meetings_ctx(r);
	int64_t enrolment = arg_int(r, "enrolment_id", 0), year = 0, id = random_id();
	bool difficulty = false;
	enum err e = mdb_eligibility(r, enrolment, &year, &difficulty);

	if (e == ERR_OK && year != c->year_id)
		return fail(r, ERR_INVALID_FIELD, "enrolment_id",
			    "Aucun stagiaire de l’année de l’atelier ne porte cet identifiant.");
	if (e == ERR_OK && !difficulty)
		return fail(r, ERR_INVALID_FIELD, "enrolment_id",
			    "L’atelier est ouvert uniquement aux stagiaires en difficulté "
			    "(personnalisation accordée par la cellule ou dossier d’accompagnement "
			    "ouvert).");
	if (e == ERR_OK)
		e = mdb_workshop_trainee_insert(r, id, c->id, enrolment);
	if (e == ERR_DUPLICATE)
		return fail(r, ERR_CONFLICT, "enrolment_id", "Ce stagiaire est déjà inscrit.");
	if (e == ERR_OK)
		e = audit_record_body(r, "workshop.trainee", "workshop", c->id);
	if (e == ERR_OK)
		reply_id(r, 201, id);
	return e;
}

/* PUT /api/v1/workshops/{id}/attendance — records whether an enrolled
 * trainee attended a session of the workshop; a correction is a new row.
 * 200 with the workshop; 422 naming session_id or enrolment_id. */
static enum err h_attendance(struct req *r)
{
	struct meetings_ctx *c = meetings_ctx(r);
	int64_t session = arg_int(r, "session_id", 0), enrolment = arg_int(r, "enrolment_id", 0);
	bool ok = false;
	enum err e = mdb_session_of(r, session, c->id, &ok);

	if (e == ERR_OK && !ok)
		return fail(r, ERR_INVALID_FIELD, "session_id", "Séance inconnue dans cet atelier.");
	if (e == ERR_OK)
		e = mdb_workshop_has_trainee(r, c->id, enrolment, &ok);
	if (e == ERR_OK && !ok)
		return fail(r, ERR_INVALID_FIELD, "enrolment_id",
			    "Ce stagiaire n’est pas inscrit à l’atelier.");
	if (e == ERR_OK)
		e = mdb_attendance_insert(r, random_id(), session, enrolment,
					  arg_bool(r, "present", false));
	if (e == ERR_OK)
		e = audit_record_body(r, "workshop.attendance", "workshop", c->id);
	return e != ERR_OK ? e : workshop_reply(r, c->id, 200);
}

/* ---- the routes ---- */

#define PILOTS	  (R(PILOTE_POLE) | R(IEN) | R(IA_IPR))
#define CELLULE	  R(BUREAU_STAGES)
#define TUTORS	  (R(TUTEUR_TERRAIN) | R(TUTEUR_INSPE))
#define FICHE_ALL (R(STAGIAIRE) | TUTORS | PILOTS | CELLULE)
#define SEEN(kind, see)		   .object = {MOBJ_##kind, "id", see, 0, NULL}
#define ACTED(kind, see, act, why) .object = {MOBJ_##kind, "id", see, act, why}
#define MEETING_SEE		   (MREL_PILOT | MREL_PARTICIPANT | MREL_CELLULE)
#define FICHE_SEE		   (MREL_TRIO | MREL_PILOT | MREL_CELLULE)
#define PILOT_ONLY		   "Seul le pilote de la réunion la conduit."

static struct route meetings_routes[] = {
    {M_GET, "/api/v1/pole-meetings", h_meetings, p_year_list, ROLES_STAFF},
    {M_POST, "/api/v1/pole-meetings", h_meeting_create, p_meeting_create, PILOTS},
    {M_GET, "/api/v1/pole-meetings/{id}", h_meeting_get, p_id, ROLES_STAFF,
     SEEN(MEETING, MEETING_SEE)},
    {M_PATCH, "/api/v1/pole-meetings/{id}", h_meeting_update, p_meeting_update, ROLES_STAFF,
     ACTED(MEETING, MEETING_SEE, MREL_PILOT, PILOT_ONLY)},
    {M_GET, "/api/v1/pole-meetings/{id}/reviews", h_reviews, p_id, ROLES_STAFF,
     SEEN(MEETING, MEETING_SEE)},
    {M_POST, "/api/v1/pole-meetings/{id}/ready", h_meeting_ready, p_id, ROLES_STAFF,
     ACTED(MEETING, MEETING_SEE, MREL_PILOT, PILOT_ONLY)},
    {M_POST, "/api/v1/pole-meetings/{id}/held", h_meeting_held, p_id, ROLES_STAFF,
     ACTED(MEETING, MEETING_SEE, MREL_PILOT, PILOT_ONLY)},
    {M_POST, "/api/v1/pole-meetings/{id}/decisions", h_decision, p_decision, ROLES_STAFF,
     ACTED(MEETING, MEETING_SEE, MREL_PILOT, PILOT_ONLY)},
    {M_POST, "/api/v1/review-requests", h_review_request, p_review_request, TUTORS},
    {M_GET, "/api/v1/personalisations", h_fiches, p_fiche_list, FICHE_ALL},
    {M_POST, "/api/v1/personalisations", h_fiche_create, p_fiche_create, TUTORS | PILOTS},
    {M_GET, "/api/v1/personalisations/{id}", h_fiche_get, p_id, FICHE_ALL,
     SEEN(PERSONALISATION, FICHE_SEE)},
    {M_PUT, "/api/v1/personalisations/{id}", h_fiche_put, p_fiche_update, FICHE_ALL,
     ACTED(PERSONALISATION, FICHE_SEE, MREL_TUTORS | MREL_PILOT,
	   "La fiche est rédigée par les tuteurs ou le pilote.")},
    {M_POST, "/api/v1/personalisations/{id}/send", h_fiche_send, p_id, FICHE_ALL,
     ACTED(PERSONALISATION, FICHE_SEE, MREL_TUTEUR_INSPE,
	   "Le tuteur Inspé transmet la fiche à la cellule.")},
    {M_POST, "/api/v1/personalisations/{id}/decision", h_fiche_decision, p_fiche_decision,
     FICHE_ALL,
     ACTED(PERSONALISATION, FICHE_SEE, MREL_CELLULE,
	   "La cellule d’accompagnement décide des moyens.")},
    {M_GET, "/api/v1/support-budgets/{year_id}", h_budget_get, p_budget_get, CELLULE},
    {M_PUT, "/api/v1/support-budgets/{year_id}", h_budget_put, p_budget_put, CELLULE},
    {M_GET, "/api/v1/workshops", h_workshops, p_year_list, CELLULE},
    {M_POST, "/api/v1/workshops", h_workshop_create, p_workshop_create, CELLULE},
    {M_GET, "/api/v1/workshops/{id}", h_workshop_get, p_id, CELLULE,
     SEEN(WORKSHOP, MREL_CELLULE)},
    {M_POST, "/api/v1/workshops/{id}/sessions", h_session_create, p_session, CELLULE,
     SEEN(WORKSHOP, MREL_CELLULE)},
    {M_POST, "/api/v1/workshops/{id}/trainees", h_workshop_trainee, p_workshop_trainee, CELLULE,
     SEEN(WORKSHOP, MREL_CELLULE)},
    {M_PUT, "/api/v1/workshops/{id}/attendance", h_attendance, p_attendance, CELLULE,
     SEEN(WORKSHOP, MREL_CELLULE)},
};

const struct module meetings_module = {
    .name = "meetings",
    .routes = meetings_routes,
    .n_routes = ARRAY_LEN(meetings_routes),
    .resolve = meetings_resolve,
    .relations = meetings_relation_names,
    .objects = meetings_object_names,
    .problems = meetings_problems,
    .statements = meetings_statements,
    .notices = meetings_notices,
    .relations_of = meetings_relations_of,
};
