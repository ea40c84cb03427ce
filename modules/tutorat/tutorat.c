/*
 * Routes and handlers of the tutorat mixte module. The route masks admit
 * the roles that can hold a relation at all; each handler then computes
 * the caller's relation to the enrolment (tutorat_access.c) and answers
 * 404 unless it is one the handler names. Handlers read validated
 * arguments, call tutorat_db.c, audit their writes and answer.
 */
#include "accompaniment.h"
#include "audit.h"
#include "db.h"
#include "authz.h"
#include "modules.h"
#include "req.h"
#include "respcache.h"
#include "tutorat.h"
#include "tutorat_db.h"
#include "util.h"
#include "worker.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DOCUMENT_BYTES ((size_t)10 * 1024 * 1024)
#define MANAGERS	   (R(ADMIN) | R(BUREAU_STAGES))
/* The INSPÉ's roles that validate the UE and the master (REL_VALIDATOR). */
#define VALIDATORS (R(DIRECTION_INSPE) | R(RESPONSABLE_PARCOURS))

/*
 * Every write to a dossier ends here: the enrolment's dossier_version goes
 * up (cached reads of the dossier are keyed by it) and the audit row is
 * written, both in the write's transaction. enrolment_id 0: no dossier.
 */
static enum err record(struct req *r, int64_t enrolment_id, const char *action, const char *type,
		       int64_t id, json_t *detail)
{
	enum err e = enrolment_id != 0 ? tdb_dossier_touch(r, enrolment_id) : ERR_OK;

	return e == ERR_OK ? audit_record(r, action, type, id, detail) : e;
}

/* record() with the request body's members as detail (never a secret here). */
static enum err audit_body(struct req *r, int64_t enrolment_id, const char *action,
			   const char *type, int64_t id)
{
	enum err e = enrolment_id != 0 ? tdb_dossier_touch(r, enrolment_id) : ERR_OK;

	return e == ERR_OK ? audit_record_body(r, action, type, id) : e;
}

static enum err reply_created(struct req *r, int64_t enrolment_id, const char *action,
			      const char *type, int64_t id)
{
	enum err e = audit_body(r, enrolment_id, action, type, id);

	if (e == ERR_OK)
		reply_id(r, 201, id);
	return e;
}

/* The module's own problems (struct module.problems). */
static const struct problem_def P_FEEDBACK_REQUIRED = {
    409, "feedback_required", "Le retour du stagiaire doit précéder la trace des tuteurs."};
static const struct problem_def P_UNSUPPORTED_DOCUMENT = {415, "unsupported_document",
							  "Type de document non accepté."};
static const struct problem_def P_BILAN_FROZEN = {409, "bilan_frozen",
						  "Bilan validé : il ne se modifie plus."};
static const struct problem_def P_FINAL_BILAN_NOT_FROZEN = {
    409, "final_bilan_not_frozen", "Le bilan final n’est pas encore validé."};
static const struct module_import tutorat_imports[] = {
    {"enrolments", tutorat_import_columns, 4, tutorat_import_enrolment},
    {0},
};

static const struct module_verb tutorat_verbs[] = {
    {"generate", "[--seed N] [--trainees N]", tutorat_generate_verb, .development_only = true},
    {"remind", "[--at YYYY-MM-DD]", tutorat_remind_verb},
    {0},
};

static const struct problem_def P_DOSSIER_FULL = {413, "dossier_quota_exceeded",
						  "Le dossier a atteint sa taille maximale."};
static const struct problem_def P_UPLOADS_OF_DAY = {429, "upload_quota_exceeded",
						    "Quota de dépôts du jour atteint."};
static const struct problem_def *const tutorat_problems[] = {
    &P_FEEDBACK_REQUIRED, &P_UNSUPPORTED_DOCUMENT, &P_BILAN_FROZEN, &P_FINAL_BILAN_NOT_FROZEN,
    &P_DOSSIER_FULL,	  &P_UPLOADS_OF_DAY,	   NULL};

/* The tutor's role in the trio, as stored in trio_member and bilans. */
static const char *tutor_role(const struct enrolment_ctx *e)
{
	return e->rel == REL_TUTEUR_TERRAIN ? "tuteur_terrain" : "tuteur_inspe";
}

/* A rendered answer this worker keeps (respcache.h): served when `key`,
 * which names every input the answer depends on, was seen before. */
static bool answer_cached(struct req *r, const char *key)
{
	const char *text;
	size_t len;

	if (key == NULL || !respcache_get(r->w->answers, key, &text, &len))
		return false;
	r->raw_reply = arena_strndup(r->arena, text, len);
	if (r->raw_reply == NULL)
		return false;
	r->status = 200;
	r->raw_len = len;
	return true;
}

/* Answers `out` (taken) as rendered text, kept under `key` for next time. */
static enum err answer_and_keep(struct req *r, const char *key, json_t *out)
{
	char *rendered = out != NULL ? json_dumps(out, JSON_COMPACT) : NULL;

	json_decref(out);
	if (rendered == NULL)
		return fail_internal(r, ERR_INTERNAL, "answer rendering failed");
	arena_defer(r->arena, free, rendered);
	if (key != NULL)
		respcache_put(r->w->answers, key, rendered, strlen(rendered));
	r->status = 200;
	r->raw_reply = rendered;
	r->raw_len = strlen(rendered);
	return ERR_OK;
}

/* ======================================================================
 * Enrolments
 * ====================================================================== */

/* GET /api/v1/enrolments — the enrolments the caller has a relation to
 * (all of them for managers and validators), with their checks. A
 * page costs the same few statements whatever its size: one for the
 * fingerprint of the académie's lists, then, unless this worker rendered
 * the same page since, one for the page (with each row's relation and the
 * total), two for places and tutors, three for the checks. 200; 404 if a
 * listed row has no relation (as GET /enrolments/{id} would answer). */
static enum err h_enrolments_list(struct req *r)
{
	bool all = (r->who.roles & (MANAGERS | VALIDATORS)) != 0;
	const char *q = arg_str(r, "q"), *fingerprint;
	int64_t year_id = arg_int(r, "year_id", 0), limit = arg_int(r, "limit", 50),
		offset = arg_int(r, "offset", 0);
	struct enrolment_page page;
	json_t **checks;
	char *key;
	enum err e = tdb_enrolments_fingerprint(r, &fingerprint);

	if (e != ERR_OK)
		return e;
	/* The page as this caller saw it while nothing it shows changed: the
	 * académie's enrolments and reference data (the fingerprint), the
	 * caller and their roles, the question, the day (the checks' dates). */
	key = arena_printf(r->arena, "enrolments:%u:%lld:%u:%lld:%lld:%lld:%lld:%s:%zu:%s",
			   r->tenant->id, (long long)r->who.person_id, r->who.roles,
			   (long long)year_id, (long long)limit, (long long)offset,
			   (long long)(now_unix() / 86400), fingerprint, q != NULL ? strlen(q) : 0,
			   q != NULL ? q : "");
	if (answer_cached(r, key))
		return ERR_OK;
	e = tdb_enrolment_list(r, year_id, q, limit, offset, all, &page);
	jarena(r, page.items);
	if (e != ERR_OK)
		return e;
	/* An array of pointers, one per row. */
	checks = arena_zalloc(r->arena, (page.n + 1) *
					    sizeof(json_t *)); // NOLINT(bugprone-sizeof-expression)
	if (checks == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	e = tutorat_checks_page(r, page.ctx, page.n, checks);
	for (size_t i = 0; i < page.n; i++)
		jarena(r, checks[i]);
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < page.n; i++) {
		json_t *it = json_array_get(page.items, i);
		enum relation rel = tutorat_relation(r, page.ctx[i].rel, page.pilot[i]);

		if (rel == REL_NONE)
			return ERR_NOT_FOUND;
		json_object_set_new(it, "relation", json_string(relation_name(rel)));
		json_object_set(it, "checks", checks[i]);
	}
	return answer_and_keep(
	    r, key, json_pack("{s:O, s:I}", "items", page.items, "total", (json_int_t)page.total));
}

static enum err enrolment_reply(struct req *r, const struct enrolment_ctx *ctx, int status)
{
	json_t *o, *checks;
	enum err e = tdb_enrolment_json(r, ctx->id, ctx->rel, &o);

	if (e != ERR_OK)
		return e;
	e = tutorat_checks(r, ctx, &checks);
	if (e != ERR_OK) {
		json_decref(o);
		return e;
	}
	json_object_set_new(o, "checks", checks);
	reply_versioned(r, status, o);
	return ERR_OK;
}

/* GET /api/v1/enrolments/{id} — any relation. 200 with ETag; else 404. */
static enum err h_enrolment_get(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	return enrolment_reply(r, &ctx, 200);
}

static void read_enrolment_input(struct req *r, struct enrolment_input *in)
{
	memset(in, 0, sizeof(*in));
	in->trainee_id = arg_int(r, "trainee_id", 0);
	in->year_id = arg_int(r, "year_id", 0);
	in->parcours = arg_str(r, "parcours");
	in->set_parcours = arg_has(r, "parcours");
	in->degre = arg_int(r, "degre", 1);
	in->set_degre = arg_has(r, "degre");
	in->category = arg_str(r, "category");
	in->set_category = arg_has(r, "category");
	in->discipline_id = arg_int(r, "discipline_id", 0);
	in->set_discipline = arg_has(r, "discipline_id");
	in->pole_id = arg_int(r, "pole_id", 0);
	in->set_pole = arg_has(r, "pole_id");
	in->inspe_site_id = arg_int(r, "inspe_site_id", 0);
	in->set_site = arg_has(r, "inspe_site_id");
	in->renouvellement = arg_bool(r, "renouvellement", false);
	in->set_renouv = arg_has(r, "renouvellement");
	in->places = arg_list(r, "places");
}

/* Assigns the tutors named in the body; each must hold the tutor role. */
static enum err assign_tutors(struct req *r, int64_t enrolment_id, json_t *changes)
{
	static const char *const roles[] = {"tuteur_terrain", "tuteur_inspe"};

	for (size_t i = 0; i < ARRAY_LEN(roles); i++) {
		const char *field = arena_printf(r->arena, "%s_id", roles[i]);
		int64_t person = arg_int(r, field, 0);
		bool changed = false;
		enum err e;

		if (person == 0)
			continue;
		e = tdb_person_has_role(r, person, roles[i]);
		if (e == ERR_NOT_FOUND)
			return fail(r, ERR_INVALID_FIELD, field,
				    "Cette personne n’a pas le rôle de tuteur attendu.");
		if (e == ERR_OK)
			e = tdb_set_tutor(r, enrolment_id, roles[i], person, &changed);
		if (e != ERR_OK)
			return e;
		if (changed && changes != NULL)
			json_object_set_new(changes, roles[i], json_integer(person));
	}
	return ERR_OK;
}

/* POST /api/v1/enrolments — admin, bureau des stages. 201 {id}; 409 when
 * the trainee is already enrolled that year; 422 naming a bad field (an
 * M2B in the 1er degré among them). */
static enum err h_enrolment_create(struct req *r)
{
	struct enrolment_input in;
	int64_t id;
	enum err e;

	read_enrolment_input(r, &in);
	if (in.year_id == 0) {
		e = tdb_current_year(r, &in.year_id);
		if (e == ERR_NOT_FOUND)
			return fail(r, ERR_MISSING_FIELD, "year_id",
				    "Aucune année scolaire en cours.");
		if (e != ERR_OK)
			return e;
	}
	e = tdb_person_has_role(r, in.trainee_id, "stagiaire");
	if (e == ERR_NOT_FOUND)
		return fail(r, ERR_INVALID_FIELD, "trainee_id",
			    "Cette personne n’est pas stagiaire.");
	if (e == ERR_OK)
		e = tdb_enrolment_create(r, &in, &id);
	if (e == ERR_OK)
		e = assign_tutors(r, id, NULL);
	/* A trainee en renouvellement starts the year at level 1 of the
	 * accompagnement (docs/accompaniment.md). */
	if (e == ERR_OK && in.renouvellement)
		e = acc_open_for_renewal(r, id);
	if (e != ERR_OK)
		return e;
	reply_header(r, arena_printf(r->arena, "Location: /api/v1/enrolments/%lld", (long long)id));
	return reply_created(r, id, "enrolment.create", "enrolment", id);
}

/* PATCH /api/v1/enrolments/{id} — managers, If-Match. 200; 412; 404;
 * 422 naming parcours for an M2B in the 1er degré. */
static enum err h_enrolment_update(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	struct enrolment_input in;
	int64_t version;
	enum err e = req_if_match(r, &version);

	if (e != ERR_OK)
		return e;
	read_enrolment_input(r, &in);
	e = tdb_check_parcours(r, in.set_parcours ? in.parcours : ctx.parcours,
			       in.set_degre ? in.degre : ctx.degre);
	if (e == ERR_OK)
		e = tdb_enrolment_update(r, ctx.id, version, &in);
	if (e == ERR_OK && in.set_renouv && in.renouvellement)
		e = acc_open_for_renewal(r, ctx.id);
	if (e == ERR_OK)
		e = audit_body(r, ctx.id, "enrolment.update", "enrolment", ctx.id);
	return e != ERR_OK ? e : enrolment_reply(r, &ctx, 200);
}

/* PUT /api/v1/enrolments/{id}/tutors — managers, If-Match: a change of
 * the enrolment like any other. Replaces the tutor(s) named; the former
 * tutor's access ends now; the enrolment's version goes up. 200 with the
 * enrolment; 428 without If-Match, 412 on a stale version; 422. */
static enum err h_enrolment_tutors(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	int64_t version;
	json_t *changes;
	enum err e = req_if_match(r, &version);

	if (e != ERR_OK)
		return e;
	if (!arg_has(r, "tuteur_terrain_id") && !arg_has(r, "tuteur_inspe_id"))
		return fail(r, ERR_MISSING_FIELD, "tuteur_terrain_id",
			    "Indiquez au moins un tuteur.");
	changes = jarena(r, json_object());
	e = tdb_enrolment_bump(r, ctx.id, version);
	if (e == ERR_OK)
		e = assign_tutors(r, ctx.id, changes);
	if (e == ERR_OK)
		e = record(r, ctx.id, "enrolment.tutors", "enrolment", ctx.id, changes);
	if (e == ERR_OK)
		e = tutorat_notify(r, ctx.id, "tutorat.tutors_changed", REL_TRIO,
				   tutorat_link(r, "dossiers", ctx.id));
	return e != ERR_OK ? e : enrolment_reply(r, &ctx, 200);
}

/*
 * GET /api/v1/enrolments/{id}/timeline — the trio. The page a trainee or a
 * tutor opens most: rendered once per (enrolment, dossier version, the
 * académie's reference version, reader, day) and served from the worker's
 * cache until a write to the dossier or to the reference data it shows
 * (calendar, structures, conversion table) changes a version; the access
 * check runs every time.
 */
static enum err h_timeline(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	json_t *out, *checks;
	char *key;
	enum err e;

	key = arena_printf(r->arena, "timeline:%u:%lld:%lld:%lld:%lld:%lld", r->tenant->id,
			   (long long)ctx.id, (long long)ctx.dossier_version,
			   (long long)ctx.reference_version, (long long)r->who.person_id,
			   (long long)(now_unix() / 86400));
	if (answer_cached(r, key))
		return ERR_OK;
	e = tdb_timeline_json(r, &ctx, &out);
	if (e != ERR_OK)
		return e;
	e = tutorat_checks(r, &ctx, &checks);
	if (e != ERR_OK) {
		json_decref(out);
		return e;
	}
	json_object_set_new(json_object_get(out, "enrolment"), "checks", checks);
	return answer_and_keep(r, key, out);
}

/* A read of the dossier by its trio: what `read` builds, or 404. */
static enum err
read_as_trio(struct req *r, enum err (*read)(struct req *, const struct enrolment_ctx *, json_t **))
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	json_t *out;
	enum err e = read(r, &ctx, &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* ======================================================================
 * Référentiel and self-assessment
 * ====================================================================== */

/* GET /api/v1/referentiels/{id} — signed in: the framework is public data. */
static enum err h_referentiel(struct req *r)
{
	json_t *out;
	enum err e = tdb_referentiel_json(r, arg_int(r, "id", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* GET /api/v1/enrolments/{id}/self-assessments — the trio; every revision. */
static enum err h_assessments(struct req *r) { return read_as_trio(r, tdb_assessments_json); }

/* POST /api/v1/enrolments/{id}/self-assessments — the trainee. A new
 * revision; the earlier ones stay. 201 {id, revision}. */
static enum err h_assessment_create(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	int64_t id, revision;
	json_t *items = arg_list(r, "items");
	enum err e;

	e = tdb_check_levels(r, &ctx, items, "items", true);
	if (e == ERR_OK)
		e = tdb_assessment_create(r, ctx.id, arg_str(r, "priorities"), items, &id,
					  &revision);
	if (e == ERR_OK)
		e = audit_body(r, ctx.id, "self_assessment.create", "self_assessment", id);
	if (e == ERR_OK)
		reply_json(r, 201,
			   json_pack("{s:I, s:I}", "id", (json_int_t)id, "revision",
				     (json_int_t)revision));
	return e;
}

/* POST /api/v1/self-assessments/{id}/comments — the tutors. 201 {id}. */
static enum err h_assessment_comment(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	int64_t id;
	enum err e;

	e = tdb_assessment_comment(r, arg_int(r, "id", 0), arg_str(r, "body"), &id);
	return e != ERR_OK ? e
			   : reply_created(r, ctx.id, "self_assessment.comment",
					   "self_assessment_comment", id);
}

/* ======================================================================
 * Follow-up times
 * ====================================================================== */

/* The follow-up, for a caller of the trio, with ETag. */
static enum err followup_reply(struct req *r, int64_t id, enum relation rel, int status)
{
	json_t *o;
	enum err e = tdb_followup_json(r, id, rel, &o);

	if (e != ERR_OK)
		return e;
	reply_versioned(r, status, o);
	return ERR_OK;
}

/* A cancelled time keeps its record and takes no more writes. */
static enum err refuse_cancelled(struct req *r, int64_t followup_id)
{
	const char *state;
	int64_t version;
	enum err e = tdb_followup_state(r, followup_id, &state, &version);

	if (e == ERR_OK && strcmp(state, "cancelled") == 0)
		return fail(r, ERR_CONFLICT, NULL, "Ce temps de suivi est annulé.");
	return e;
}

static enum err check_place(struct req *r, int64_t enrolment_id, int64_t place_id)
{
	enum err e;

	if (place_id == 0)
		return ERR_OK;
	e = tdb_place_belongs(r, enrolment_id, place_id);
	return e == ERR_NOT_FOUND ? fail(r, ERR_INVALID_FIELD, "place_id",
					 "Ce lieu n’est pas un lieu d’exercice "
					 "du stagiaire.")
				  : e;
}

/* POST /api/v1/enrolments/{id}/followups — the tutors. 201 {id}; 422
 * naming scheduled_at out of the school year or day or near another time
 * of the trainee (tdb_check_schedule). */
static enum err h_followup_create(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	struct followup_plan p = {
	    .kind = arg_str(r, "kind"),
	    .scheduled_at = arg_str(r, "scheduled_at"),
	    .place_id = arg_int(r, "place_id", 0),
	    .with_terrain = arg_bool(r, "with_terrain", false),
	    .with_inspe = arg_bool(r, "with_inspe", false),
	};
	int64_t id;
	enum err e;

	if (!p.with_terrain && !p.with_inspe)
		return fail(r, ERR_INVALID_FIELD, "with_terrain", "Au moins un tuteur vient.");
	e = check_place(r, ctx.id, p.place_id);
	if (e == ERR_OK)
		e = tdb_check_schedule(r, ctx.id, 0, p.scheduled_at, false);
	if (e == ERR_OK)
		e = tdb_followup_create(r, ctx.id, &p, &id);
	if (e == ERR_OK)
		e = tutorat_notify(r, ctx.id, "tutorat.followup_planned", REL_TRIO,
				   tutorat_link(r, "temps-de-suivi", id));
	return e != ERR_OK ? e : reply_created(r, ctx.id, "followup.create", "followup", id);
}

/* GET /api/v1/followups/{id} — the trio. */
static enum err h_followup_get(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	int64_t id = arg_int(r, "id", 0);
	return followup_reply(r, id, ctx.rel, 200);
}

/* PATCH /api/v1/followups/{id} — the tutors, If-Match: reschedule, change
 * place or who comes. 412 when stale; 409 for a cancelled one; 422 when
 * nobody would come or the new date does not hold (tdb_check_schedule). */
static enum err h_followup_plan(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	int64_t id = arg_int(r, "id", 0), version;
	struct followup_plan p = {
	    .scheduled_at = arg_str(r, "scheduled_at"),
	    .set_scheduled = arg_has(r, "scheduled_at"),
	    .place_id = arg_int(r, "place_id", 0),
	    .set_place = arg_has(r, "place_id"),
	    .with_terrain = arg_bool(r, "with_terrain", false),
	    .set_terrain = arg_has(r, "with_terrain"),
	    .with_inspe = arg_bool(r, "with_inspe", false),
	    .set_inspe = arg_has(r, "with_inspe"),
	};
	const char *state;
	int64_t current;
	enum err e = req_if_match(r, &version);

	if (e == ERR_OK)
		e = refuse_cancelled(r, id);
	if (e == ERR_OK)
		e = check_place(r, ctx.id, p.place_id);
	if (e == ERR_OK && p.set_scheduled) {
		e = tdb_followup_state(r, id, &state, &current);
		if (e == ERR_OK)
			e = tdb_check_schedule(r, ctx.id, id, p.scheduled_at,
					       strcmp(state, "held") == 0 ||
						   strcmp(state, "debriefed") == 0);
	}
	if (e == ERR_OK)
		e = tdb_followup_plan(r, id, version, &p);
	if (e == ERR_REFERENCE)
		return fail(r, ERR_INVALID_FIELD, "with_terrain", "Au moins un tuteur vient.");
	if (e == ERR_OK)
		e = audit_body(r, ctx.id, "followup.plan", "followup", id);
	if (e == ERR_OK)
		e = tutorat_notify(r, ctx.id, "tutorat.followup_moved", REL_TRIO,
				   tutorat_link(r, "temps-de-suivi", id));
	return e != ERR_OK ? e : followup_reply(r, id, ctx.rel, 200);
}

/*
 * One text of a follow-up and its state: the trainee's preparation moves a
 * planned time to prepared; observation notes with held: true mark it
 * held. States never go back, and a cancelled time is no longer edited.
 */
static enum err put_text(struct req *r, const char *column, const char *field, const char *action)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	int64_t id = arg_int(r, "id", 0), version, current;
	const char *state, *new_state = NULL;
	enum err e = req_if_match(r, &version);

	if (e == ERR_OK)
		e = tdb_followup_state(r, id, &state, &current);
	if (e != ERR_OK)
		return e;
	if (strcmp(state, "cancelled") == 0)
		return fail(r, ERR_CONFLICT, NULL, "Ce temps de suivi est annulé.");
	if (strcmp(column, "points_to_observe") == 0 && strcmp(state, "planned") == 0)
		new_state = "prepared";
	if (strcmp(column, "observation_notes") == 0 && arg_bool(r, "held", false) &&
	    (strcmp(state, "planned") == 0 || strcmp(state, "prepared") == 0))
		new_state = "held";
	if (new_state != NULL && strcmp(new_state, "held") == 0)
		e = tdb_check_not_future(r, id, "held");
	if (e == ERR_OK)
		e = tdb_followup_text(r, id, version, column, arg_str(r, field), new_state);
	if (e == ERR_OK)
		e = audit_body(r, ctx.id, action, "followup", id);
	return e != ERR_OK ? e : followup_reply(r, id, ctx.rel, 200);
}

/* PUT /api/v1/followups/{id}/preparation — the trainee, If-Match. */
static enum err h_preparation(struct req *r)
{
	return put_text(r, "points_to_observe", "points_to_observe", "followup.prepare");
}

/* PUT /api/v1/followups/{id}/expectations — the tutors, If-Match. */
static enum err h_expectations(struct req *r)
{
	return put_text(r, "expectations", "expectations", "followup.expectations");
}

/* PUT /api/v1/followups/{id}/observation — the tutors, If-Match. Saved
 * often while typing in class; held: true marks the visit held, 422
 * naming held while it is still to come. */
static enum err h_observation(struct req *r)
{
	return put_text(r, "observation_notes", "observation_notes", "followup.observe");
}

/* PUT /api/v1/followups/{id}/debrief — the tutors, If-Match: the
 * entretien, with the levels reached on the competences discussed; 422
 * naming scheduled_at for a time still to come. */
static enum err h_debrief(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	int64_t id = arg_int(r, "id", 0), version;
	struct debrief d = {arg_str(r, "analyses"),	  arg_str(r, "remediations"),
			    arg_str(r, "action_paths"),	  arg_str(r, "points_appui"),
			    arg_str(r, "axes_evolution"), arg_str(r, "priorities"),
			    arg_list(r, "levels")};
	json_t *empty = NULL;
	enum err e = req_if_match(r, &version);

	if (e == ERR_OK)
		e = refuse_cancelled(r, id);
	if (e != ERR_OK)
		return e;
	if (d.levels == NULL)
		d.levels = empty = jarena(r, json_array());
	e = tdb_check_not_future(r, id, "scheduled_at");
	if (e == ERR_OK)
		e = tdb_check_levels(r, &ctx, d.levels, "levels", true);
	if (e == ERR_OK)
		e = tdb_followup_debrief(r, id, version, &d);
	if (e == ERR_OK)
		e = audit_body(r, ctx.id, "followup.debrief", "followup", id);
	(void)empty;
	return e != ERR_OK ? e : followup_reply(r, id, ctx.rel, 200);
}

/* POST /api/v1/followups/{id}/cancel — the tutors. The record stays. */
static enum err h_cancel(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	int64_t id = arg_int(r, "id", 0), version;
	const char *state;
	enum err e = tdb_followup_state(r, id, &state, &version);

	if (e != ERR_OK)
		return e;
	if (strcmp(state, "debriefed") == 0 || strcmp(state, "cancelled") == 0)
		return fail(r, ERR_CONFLICT, NULL,
			    "Un temps de suivi déjà mené ou annulé ne s’annule plus.");
	e = tdb_followup_cancel(r, id, arg_str(r, "reason"));
	if (e == ERR_OK)
		e = audit_body(r, ctx.id, "followup.cancel", "followup", id);
	if (e == ERR_OK)
		e = tutorat_notify(r, ctx.id, "tutorat.followup_cancelled", REL_TRIO,
				   tutorat_link(r, "temps-de-suivi", id));
	return e != ERR_OK ? e : followup_reply(r, id, ctx.rel, 200);
}

/* ---- written traces ---- */

/* The version a trace update must carry: If-Match once the trace exists. */
static enum err trace_version(struct req *r, const struct trace_row *t, int64_t *version)
{
	*version = 0;
	if (!t->exists)
		return ERR_OK;
	return req_if_match(r, version);
}

/*
 * PUT /api/v1/followups/{id}/feedback — the trainee: what they retained,
 * one or two improvement axes. submit: true transmits it to the tutors;
 * it is final then (409). If-Match once it exists.
 */
static enum err h_feedback(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	struct trace_row t;
	int64_t id = arg_int(r, "id", 0), version;
	const char *state;
	int64_t fv;
	enum err e = tdb_followup_state(r, id, &state, &fv);

	if (e == ERR_OK)
		e = tdb_trace_get(r, id, "trainee", &t);
	if (e != ERR_OK)
		return e;
	if (strcmp(state, "cancelled") == 0)
		return fail(r, ERR_CONFLICT, NULL, "Ce temps de suivi est annulé.");
	if (t.published)
		return fail(r, ERR_CONFLICT, NULL, "Votre retour est déjà transmis.");
	e = trace_version(r, &t, &version);
	if (e == ERR_OK)
		e = tdb_trace_put(r, id, "trainee", &t, version, arg_str(r, "retained"),
				  arg_str(r, "axes"), NULL, arg_bool(r, "submit", false));
	if (e == ERR_OK)
		e = record(r, ctx.id,
			   arg_bool(r, "submit", false) ? "trace.feedback_submit"
							: "trace.feedback_save",
			   "followup", id, NULL);
	if (e == ERR_OK && arg_bool(r, "submit", false))
		e = tutorat_notify(r, ctx.id, "tutorat.feedback_submitted", REL_TUTORS,
				   tutorat_link(r, "temps-de-suivi", id));
	return e != ERR_OK ? e : followup_reply(r, id, ctx.rel, 200);
}

/*
 * PUT /api/v1/followups/{id}/trace — the tutors' trace of the time. They
 * may draft at any moment; publish: true needs the trainee's feedback
 * transmitted first (seed 000 §4 NB1): 409 feedback_required otherwise.
 * Published, it is final. If-Match once it exists (two tutors edit it).
 */
static enum err h_trace(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	struct trace_row mine, theirs;
	int64_t id = arg_int(r, "id", 0), version;
	bool publish = arg_bool(r, "publish", false);
	enum err e = refuse_cancelled(r, id);

	if (e == ERR_OK)
		e = tdb_trace_get(r, id, "tutors", &mine);
	if (e == ERR_OK)
		e = tdb_trace_get(r, id, "trainee", &theirs);
	if (e != ERR_OK)
		return e;
	if (mine.published)
		return fail(r, ERR_CONFLICT, NULL, "La trace des tuteurs est déjà publiée.");
	if (publish && !theirs.published)
		return fail_problem(
		    r, &P_FEEDBACK_REQUIRED, NULL,
		    "Le retour du stagiaire précède celui des tuteurs : la trace pourra "
		    "être publiée quand le stagiaire aura transmis son retour.");
	e = trace_version(r, &mine, &version);
	if (e == ERR_OK)
		e = tdb_trace_put(r, id, "tutors", &mine, version, NULL, NULL, arg_str(r, "body"),
				  publish);
	if (e == ERR_OK)
		e = record(r, ctx.id, publish ? "trace.publish" : "trace.save", "followup", id,
			   NULL);
	if (e == ERR_OK && publish)
		e = tutorat_notify(r, ctx.id, "tutorat.trace_published", REL_TRAINEE,
				   tutorat_link(r, "temps-de-suivi", id));
	return e != ERR_OK ? e : followup_reply(r, id, ctx.rel, 200);
}

/* ---- documents ---- */

/* The quotas of [uploads] (ASVS v5.0.0-5.2.x): the dossier's size (413:
 * it stays so until documents are removed), the uploader's bytes and
 * files of the UTC day (429 with Retry-After until midnight UTC). */
static enum err check_upload_quota(struct req *r, int64_t enrolment_id, int64_t n)
{
	const struct upload_cfg *q = &r->cfg->uploads;
	struct upload_quota u;
	enum err e = tdb_upload_usage(r, enrolment_id, &u);

	if (e != ERR_OK)
		return e;
	if (u.dossier_bytes + n > q->dossier_bytes)
		return fail_problem(r, &P_DOSSIER_FULL, "file",
				    arena_printf(r->arena,
						 "Le dossier contient déjà %lld Mo de documents, pour "
						 "%lld Mo au plus : retirez des documents dont il n’a "
						 "plus besoin avant d’en déposer d’autres.",
						 (long long)(u.dossier_bytes >> 20),
						 (long long)(q->dossier_bytes >> 20)));
	if (u.day_files + 1 > q->person_day_files || u.day_bytes + n > q->person_day_bytes) {
		r->retry_after = u.day_left > 1 ? u.day_left : 1;
		return fail_problem(r, &P_UPLOADS_OF_DAY, "file",
				    arena_printf(r->arena,
						 "Vous avez déposé aujourd’hui %lld document(s), %lld Mo "
						 "(au plus %d documents et %lld Mo par jour) : "
						 "réessayez demain.",
						 (long long)u.day_files, (long long)(u.day_bytes >> 20),
						 q->person_day_files,
						 (long long)(q->person_day_bytes >> 20)));
	}
	return ERR_OK;
}

/* POST /api/v1/followups/{id}/documents?filename= — the trio; raw bytes.
 * The type comes from the content; 415 for anything else; 422 naming
 * filename when its extension says another type; 413 over 10 MB (the
 * route's body limit). 201 with the document. */
static enum err h_document_upload(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	int64_t id = arg_int(r, "id", 0), doc;
	const char *type, *name;
	enum err e = refuse_cancelled(r, id);

	if (e != ERR_OK)
		return e;
	if (r->body_len == 0)
		return fail(r, ERR_MISSING_FIELD, "file", "Le fichier est vide.");
	type = tutorat_sniff_type((const unsigned char *)r->body, r->body_len);
	if (type == NULL)
		return fail_problem(
		    r, &P_UNSUPPORTED_DOCUMENT, "file",
		    "Formats acceptés : PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, PNG, JPEG.");
	name = tutorat_clean_filename(r, arg_str(r, "filename"));
	if (name == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	if (!tutorat_extension_fits(name, type))
		return fail(r, ERR_INVALID_FIELD, "filename",
			    arena_printf(r->arena,
					 "Le nom « %s » ne correspond pas au contenu du fichier "
					 "(%s) : renommez-le ou déposez le bon fichier.",
					 name, tutorat_type_label(type)));
	e = check_upload_quota(r, ctx.id, (int64_t)r->body_len);
	if (e == ERR_OK)
		e = tdb_document_insert(r, id, name, type, r->body, r->body_len, &doc);
	if (e == ERR_OK) {
		json_t *d = json_pack("{s:s, s:s, s:I}", "filename", name, "content_type", type,
				      "size", (json_int_t)r->body_len);

		e = record(r, ctx.id, "document.upload", "document", doc, d);
		json_decref(d);
	}
	if (e == ERR_OK)
		reply_json(r, 201,
			   json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)doc, "filename",
				     name, "content_type", type, "size", (json_int_t)r->body_len));
	return e;
}

/* Percent-encodes a UTF-8 name for Content-Disposition's filename*. */
static char *rfc5987(struct req *r, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = arena_alloc(r->arena, 3 * strlen(s) + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '-' || c == '_') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

/* GET /api/v1/documents/{id} — the trio. The bytes, as an attachment. */
static enum err h_document_get(struct req *r)
{
	const char *name, *type, *bytes;
	size_t n;
	int64_t uploader;
	enum err e = tdb_document_get(r, arg_int(r, "id", 0), &name, &type, &bytes, &n, &uploader);
	if (e != ERR_OK)
		return e;
	r->status = 200;
	r->raw_reply = bytes;
	r->raw_len = n;
	r->reply_type = type;
	reply_header(r, arena_printf(r->arena,
				     "Content-Disposition: attachment; filename=\"document\"; "
				     "filename*=UTF-8''%s",
				     rfc5987(r, name)));
	reply_header(r, "Cache-Control: private, no-store");
	return ERR_OK;
}

/* DELETE /api/v1/documents/{id} — its uploader, in the trio. 204. */
static enum err h_document_delete(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	const char *name, *type, *bytes;
	size_t n;
	int64_t uploader, id = arg_int(r, "id", 0);
	enum err e = tdb_document_get(r, id, &name, &type, &bytes, &n, &uploader);

	if (e != ERR_OK)
		return e;
	if (uploader != r->who.person_id)
		return fail(r, ERR_FORBIDDEN, NULL, "Seule la personne qui l’a déposé le retire.");
	e = tdb_document_delete(r, id);
	if (e == ERR_OK) {
		json_t *d = json_pack("{s:s}", "filename", name);

		e = record(r, ctx.id, "document.delete", "document", id, d);
		json_decref(d);
	}
	if (e == ERR_OK)
		reply_empty(r, 204);
	return e;
}

/* ======================================================================
 * Bilans
 * ====================================================================== */

/* GET /api/v1/enrolments/{id}/bilans — the trio. */
static enum err h_bilans(struct req *r) { return read_as_trio(r, tdb_bilans_json); }

/* POST /api/v1/enrolments/{id}/bilans — the tutors: a new draft. */
static enum err h_bilan_create(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	int64_t id;
	enum err e;

	e = tdb_bilan_create(r, &ctx, arg_str(r, "kind"), &id);
	return e != ERR_OK ? e : reply_created(r, ctx.id, "bilan.create", "bilan", id);
}

static enum err bilan_reply(struct req *r, int64_t id, int status)
{
	json_t *o;
	enum err e = tdb_bilan_json(r, id, &o);

	if (e != ERR_OK)
		return e;
	reply_versioned(r, status, o);
	return ERR_OK;
}

/* GET /api/v1/bilans/{id} — the trio. */
static enum err h_bilan_get(struct req *r) { return bilan_reply(r, arg_int(r, "id", 0), 200); }

/* PUT /api/v1/bilans/{id} — the tutors, If-Match: the grid. 409
 * bilan_frozen once validated by both; any change withdraws validations. */
static enum err h_bilan_put(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	struct bilan_state st;
	int64_t id = arg_int(r, "id", 0), version;
	json_t *items = arg_list(r, "items");
	enum err e = req_if_match(r, &version);

	if (e == ERR_OK)
		e = tdb_bilan_state(r, id, &st);
	if (e != ERR_OK)
		return e;
	if (st.frozen)
		return fail_problem(
		    r, &P_BILAN_FROZEN, NULL,
		    "Ce bilan est validé par les deux tuteurs : corrigez-le par une nouvelle "
		    "version.");
	e = tdb_check_levels(r, &ctx, items, "items", false);
	if (e == ERR_OK)
		e = tdb_bilan_put(r, id, version, items);
	if (e == ERR_OK)
		e = audit_body(r, ctx.id, "bilan.update", "bilan", id);
	return e != ERR_OK ? e : bilan_reply(r, id, 200);
}

/* POST /api/v1/bilans/{id}/validate — each tutor validates; frozen when
 * both have. If-Match: the version they validate is the one they read. */
static enum err h_bilan_validate(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	struct bilan_state st;
	int64_t id = arg_int(r, "id", 0), version;
	bool frozen = false;
	enum err e = req_if_match(r, &version);

	if (e == ERR_OK)
		e = tdb_bilan_state(r, id, &st);
	if (e != ERR_OK)
		return e;
	if (st.frozen)
		return fail_problem(r, &P_BILAN_FROZEN, NULL, "Ce bilan est déjà validé.");
	/* The version is compared by the UPDATE itself: an edit committed
	 * since st was read is never validated unseen (412). */
	e = tdb_bilan_validate(r, id, version, tutor_role(&ctx), &frozen);
	if (e == ERR_OK) {
		json_t *d = json_pack("{s:s, s:b}", "as", tutor_role(&ctx), "frozen", frozen);

		e = record(r, ctx.id, "bilan.validate", "bilan", id, d);
		json_decref(d);
	}
	if (e == ERR_OK && frozen)
		e = tutorat_notify(r, ctx.id, "tutorat.bilan_validated", REL_TRAINEE,
				   tutorat_link(r, "bilans", id));
	return e != ERR_OK ? e : bilan_reply(r, id, 200);
}

/* POST /api/v1/bilans/{id}/revise — the tutors: a frozen bilan is never
 * changed; a correction is a new draft revision. 201 {id}. */
static enum err h_bilan_revise(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	struct bilan_state st;
	int64_t id = arg_int(r, "id", 0), new_id;
	enum err e = tdb_bilan_state(r, id, &st);

	if (e != ERR_OK)
		return e;
	if (!st.frozen || st.newer_exists)
		return fail(r, ERR_CONFLICT, NULL,
			    "Seule la dernière version validée d’un bilan se corrige.");
	e = tdb_bilan_revise(r, id, &new_id);
	return e != ERR_OK ? e : reply_created(r, ctx.id, "bilan.revise", "bilan", new_id);
}

/* ======================================================================
 * Result (note or avis), disagreement, report
 * ====================================================================== */

/* GET /api/v1/enrolments/{id}/result — the trio, the managers and the
 * INSPÉ's validating roles (who validate the UE and the master): the
 * result, the suggestion computed from the frozen final bilan and the
 * rapport once submitted (the draft: its tuteur académique). Never a trace. */
static enum err h_result_get(struct req *r) { return read_as_trio(r, tdb_result_json); }

/*
 * PUT /api/v1/enrolments/{id}/result — the tuteur Inspé, under whose
 * responsibility it is: a note out of 20 (M2A) or an avis (DU, M2B),
 * once the final bilan is frozen. If-Match once a result exists.
 */
static enum err h_result_put(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	const char *note = arg_str(r, "note"), *avis = arg_str(r, "avis"), *sn, *sa;
	int64_t current, version = 0;
	json_t *suggestion;
	enum err e;

	if (strcmp(ctx.parcours, "M2A") == 0 && (note == NULL || avis != NULL))
		return fail(r, ERR_INVALID_FIELD, "note",
			    "En M2A, le tuteur Inspé rend une note sur 20.");
	if (strcmp(ctx.parcours, "M2A") != 0 && (avis == NULL || note != NULL))
		return fail(r, ERR_INVALID_FIELD, "avis",
			    "En DU et en M2B, le tuteur Inspé rend un avis.");
	e = tdb_suggestion(r, &ctx, &suggestion, &sn, &sa);
	if (e != ERR_OK)
		return e;
	if (json_is_null(suggestion)) {
		json_decref(suggestion);
		return fail_problem(
		    r, &P_FINAL_BILAN_NOT_FROZEN, NULL,
		    "Le bilan final doit être validé par les deux tuteurs d’abord.");
	}
	json_decref(suggestion);
	e = tdb_result_version(r, ctx.id, &current);
	if (e == ERR_OK && current != 0)
		e = req_if_match(r, &version);
	if (e == ERR_OK)
		e = tdb_result_put(r, &ctx, version, note, avis, arg_str(r, "comment"));
	if (e == ERR_OK)
		e = audit_body(r, ctx.id, "result.record", "enrolment", ctx.id);
	if (e == ERR_OK && tdb_result_json(r, &ctx, &suggestion) == ERR_OK)
		reply_json(r, 200, suggestion);
	return e;
}

/* PUT /api/v1/enrolments/{id}/result/disagreement — the tuteur terrain of
 * a 1er degré trainee signals disagreement with the Inspé avis; the IEN of
 * the circonscription or the pôle pilot sees it. */
static enum err h_disagreement(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	json_t *out;
	enum err e;

	if (ctx.degre != 1)
		return fail(r, ERR_CONFLICT, NULL,
			    "Le signalement d’un désaccord à l’IEN concerne le premier degré.");
	e = tdb_disagreement_put(r, ctx.id, arg_str(r, "comment"));
	if (e == ERR_OK)
		e = audit_body(r, ctx.id, "result.disagreement", "enrolment", ctx.id);
	if (e == ERR_OK)
		e = tutorat_notify(r, ctx.id, "tutorat.disagreement", REL_PILOT,
				   "/app.html#/desaccords");
	if (e == ERR_OK)
		e = tdb_result_json(r, &ctx, &out);
	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* GET /api/v1/disagreements — IEN, pôle pilots (their scope), direction. */
static enum err h_disagreements(struct req *r)
{
	json_t *out;
	enum err e = tdb_disagreements_json(r, (r->who.roles & R(DIRECTION_INSPE)) != 0, &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* GET /api/v1/agenda — any signed-in person: what is expected of them now
 * in the current year, by role (tutorat_agenda.c). Always 200; an empty
 * list when nothing waits. */
static enum err h_agenda(struct req *r)
{
	json_t *out;
	enum err e = tdb_agenda_json(r, &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* PUT /api/v1/enrolments/{id}/report — M2B: the tuteur académique's
 * end-of-year rapport. submit: true makes it final. */
static enum err h_report(struct req *r)
{
	struct enrolment_ctx ctx = *tutorat_ctx(r);
	bool exists, submitted;
	int64_t version = 0, current;
	enum err e;

	if (strcmp(ctx.parcours, "M2B") != 0)
		return fail(r, ERR_CONFLICT, NULL, "Le rapport de fin d’année concerne les M2B.");
	e = tdb_report_state(r, ctx.id, &exists, &submitted, &current);
	if (e != ERR_OK)
		return e;
	if (submitted)
		return fail(r, ERR_CONFLICT, NULL, "Le rapport est déjà transmis.");
	if (exists)
		e = req_if_match(r, &version);
	if (e == ERR_OK)
		e = tdb_report_put(r, ctx.id, exists, version, arg_str(r, "body"),
				   arg_bool(r, "submit", false));
	if (e == ERR_OK)
		e = record(r, ctx.id,
			   arg_bool(r, "submit", false) ? "report.submit" : "report.save",
			   "enrolment", ctx.id, NULL);
	if (e == ERR_OK)
		reply_empty(r, 204);
	return e;
}

/* GET /api/v1/enrolments/{id}/history — the trio and the managers: who
 * did what to the dossier and when (its audit rows, never their content),
 * newest first, a page at a time. 200 {items, total}. */
static enum err h_history(struct req *r)
{
	json_t *out;
	enum err e = tdb_history_json(r, tutorat_ctx(r)->id, arg_int(r, "limit", 50),
				      arg_int(r, "offset", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* The rows of GET /results and its export: the year asked, else the
 * current one (422 naming year_id when there is none). */
static enum err results_of(struct req *r, int64_t limit, int64_t offset, struct db_res *res)
{
	int64_t year_id = arg_int(r, "year_id", 0);
	enum err e = ERR_OK;

	if (year_id == 0) {
		e = tdb_current_year(r, &year_id);
		if (e == ERR_NOT_FOUND)
			return fail(r, ERR_MISSING_FIELD, "year_id",
				    "Aucune année scolaire en cours : choisissez l'année.");
	}
	return e == ERR_OK ? tdb_results(r, year_id, arg_str(r, "parcours"), limit, offset, res)
			   : e;
}

/* GET /api/v1/results — managers and validators (bureau des stages,
 * direction INSPÉ, responsable de parcours): the results of a year in a
 * parcours (or all) for the jury: note, avis, whether the rapport is
 * submitted; never a trace. 200 {items, total}. */
static enum err h_results(struct req *r)
{
	struct db_res res;
	enum err e = results_of(r, arg_int(r, "limit", 50), arg_int(r, "offset", 0), &res);

	if (e == ERR_OK)
		reply_json(r, 200, tdb_results_json(&res));
	return e;
}

/* GET /api/v1/results/export — the same list whole, as a CSV file a
 * spreadsheet opens (UTF-8 with BOM, ';'): what goes to the jury. */
static enum err h_results_export(struct req *r)
{
	struct db_res res;
	const char *which = arg_str(r, "parcours");
	size_t len = 0;
	char *csv;
	enum err e = results_of(r, 100000, 0, &res);

	if (e != ERR_OK)
		return e;
	csv = tdb_results_csv(r, &res, &len);
	if (csv == NULL)
		return fail_internal(r, ERR_INTERNAL, "out of memory");
	r->status = 200;
	r->raw_reply = csv;
	r->raw_len = len;
	r->reply_type = "text/csv; charset=utf-8";
	reply_header(r,
		     arena_printf(r->arena,
				  "Content-Disposition: attachment; filename=\"resultats%s%s.csv\"",
				  which != NULL ? "-" : "", which != NULL ? which : ""));
	reply_header(r, "Cache-Control: private, no-store");
	return ERR_OK;
}

/* GET /api/v1/conversion-rules — signed in. */
static enum err h_rules(struct req *r)
{
	json_t *out;
	enum err e = tdb_conversion_rules_json(r, &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* PUT /api/v1/conversion-rules/{parcours} — admin: the table of that
 * parcours, replaced whole. Each rule gives a note (M2A) or an avis. */
static enum err h_rules_put(struct req *r)
{
	const char *which = arg_str(r, "parcours");
	json_t *rules = arg_list(r, "rules"), *it;
	bool m2a = strcmp(which, "M2A") == 0;
	size_t i;
	enum err e;

	json_array_foreach(rules, i, it)
	{
		bool has_note = json_is_string(json_object_get(it, "note"));
		bool has_avis = json_is_string(json_object_get(it, "avis"));

		if (has_note != m2a || has_avis == m2a)
			return fail(
			    r, ERR_INVALID_FIELD,
			    arena_printf(r->arena, "rules[%zu].%s", i, m2a ? "note" : "avis"),
			    m2a ? "En M2A, chaque seuil donne une note."
				: "En DU et M2B, chaque seuil donne un avis.");
	}
	e = tdb_conversion_rules_replace(r, which, rules);
	if (e == ERR_OK)
		e = db_reference_changed(r);
	if (e == ERR_OK)
		e = audit_body(r, 0, "conversion_rules.replace", "conversion_rule", 0);
	if (e == ERR_OK)
		e = tdb_conversion_rules_json(r, &it);
	if (e == ERR_OK)
		reply_json(r, 200, it);
	return e;
}

/* ======================================================================
 * Input declarations and routes
 * ====================================================================== */

static bool decimal_ok(const char *s, size_t n)
{
	/* 0 to 20 with at most two decimals: "14", "14.5", "14.25". */
	size_t i = 0, digits = 0, decimals = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 2) {
		i++;
		digits++;
	}
	if (digits == 0)
		return false;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9' && decimals < 2) {
			i++;
			decimals++;
		}
		if (decimals == 0)
			return false;
	}
	return i == n && strtod(s, NULL) <= 20.0;
}

static bool filename_ok(const char *s, size_t n) { return n > 0 && memchr(s, '/', n) == NULL; }

static const char *const parcours[] = {"M2A", "DU", "M2B", NULL};
static const char *const categories[] = {"professeur", "cpe", "documentaliste", NULL};
static const char *const followup_kinds[] = {
    "visit",	      "interview", "working_session", "peer_observation", "point_etape",
    "visite_conseil", NULL};
static const char *const bilan_kinds[] = {"intermediaire", "final", NULL};
static const char *const avis_values[] = {"favorable", "reserve", "defavorable", NULL};

#define TEXT(name_, req_, max_)                                                                    \
	{                                                                                          \
		name_, LOC_BODY, P_STRING, .required = (req_), .min = 1, .max = (max_)             \
	}
#define LONGTEXT 20000
/* An optional text that null clears. */
#define CLEARABLE(name_)                                                                           \
	{                                                                                          \
		name_, LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = LONGTEXT             \
	}

static const struct param_spec place_fields[] = {
    {"school_id", LOC_BODY, P_ID, .required = true},
    {"class_label", LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = 100},
    {0},
};
static const struct param_spec level_fields[] = {
    {"competence_id", LOC_BODY, P_ID, .required = true},
    {"level", LOC_BODY, P_INT, .required = true, .min = 1, .max = 10},
    {0},
};
static const struct param_spec assessment_fields[] = {
    {"competence_id", LOC_BODY, P_ID, .required = true},
    {"level", LOC_BODY, P_INT, .required = true, .min = 1, .max = 10},
    {"comment", LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = 2000},
    {0},
};
static const struct param_spec bilan_fields[] = {
    {"competence_id", LOC_BODY, P_ID, .required = true},
    {"level", LOC_BODY, P_INT, .nullable = true, .min = 1, .max = 10},
    {"comment", LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = 4000},
    {0},
};
static const struct param_spec rule_fields[] = {
    {"min_mean", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 5, .check = decimal_ok},
    {"note", LOC_BODY, P_STRING, .min = 1, .max = 5, .check = decimal_ok},
    {"avis", LOC_BODY, P_ENUM, .choices = avis_values},
    {0},
};

static const struct param_spec p_id[] = {{"id", LOC_PATH, P_ID, .required = true}, {0}};
static const struct param_spec p_list[] = {
    {"year_id", LOC_QUERY, P_ID},
    {"q", LOC_QUERY, P_STRING, .min = 1, .max = 100},
    {"limit", LOC_QUERY, P_INT, .min = 1, .max = 200},
    {"offset", LOC_QUERY, P_INT, .min = 0, .max = 1000000},
    {0},
};
#define ENROLMENT_FIELDS(req)                                                                      \
	{"parcours", LOC_BODY, P_ENUM, .required = (req), .choices = parcours},                    \
	    {"degre", LOC_BODY, P_INT, .required = (req), .min = 1, .max = 2},                     \
	    {"category", LOC_BODY, P_ENUM, .required = (req), .choices = categories},              \
	    {"discipline_id", LOC_BODY, P_ID, .nullable = true},                                   \
	    {"pole_id", LOC_BODY, P_ID, .nullable = true},                                         \
	    {"inspe_site_id", LOC_BODY, P_ID, .nullable = true},                                   \
	    {"renouvellement", LOC_BODY, P_BOOL},                                                  \
	{                                                                                          \
		"places", LOC_BODY, P_LIST, .min = 0, .max = 5, .fields = place_fields             \
	}
static const struct param_spec p_enrolment_create[] = {
    {"trainee_id", LOC_BODY, P_ID, .required = true},
    {"year_id", LOC_BODY, P_ID},
    ENROLMENT_FIELDS(true),
    {"tuteur_terrain_id", LOC_BODY, P_ID},
    {"tuteur_inspe_id", LOC_BODY, P_ID},
    {0},
};
static const struct param_spec p_enrolment_update[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    ENROLMENT_FIELDS(false),
    {0},
};
static const struct param_spec p_tutors[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"tuteur_terrain_id", LOC_BODY, P_ID},
    {"tuteur_inspe_id", LOC_BODY, P_ID},
    {0},
};
static const struct param_spec p_assessment[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    TEXT("priorities", true, LONGTEXT),
    {"items", LOC_BODY, P_LIST, .required = true, .min = 1, .max = 60, .fields = assessment_fields},
    {0},
};
static const struct param_spec p_comment[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    TEXT("body", true, LONGTEXT),
    {0},
};
static const struct param_spec p_followup_create[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"kind", LOC_BODY, P_ENUM, .required = true, .choices = followup_kinds},
    {"scheduled_at", LOC_BODY, P_DATETIME, .required = true},
    {"place_id", LOC_BODY, P_ID, .nullable = true},
    {"with_terrain", LOC_BODY, P_BOOL, .required = true},
    {"with_inspe", LOC_BODY, P_BOOL, .required = true},
    {0},
};
static const struct param_spec p_followup_plan[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"scheduled_at", LOC_BODY, P_DATETIME},
    {"place_id", LOC_BODY, P_ID, .nullable = true},
    {"with_terrain", LOC_BODY, P_BOOL},
    {"with_inspe", LOC_BODY, P_BOOL},
    {0},
};
static const struct param_spec p_preparation[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    TEXT("points_to_observe", true, LONGTEXT),
    {0},
};
static const struct param_spec p_expectations[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    TEXT("expectations", true, LONGTEXT),
    {0},
};
static const struct param_spec p_observation[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"observation_notes", LOC_BODY, P_STRING, .required = true, .min = 0, .max = 200000},
    {"held", LOC_BODY, P_BOOL},
    {0},
};
static const struct param_spec p_debrief[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    CLEARABLE("analyses"),
    CLEARABLE("remediations"),
    CLEARABLE("action_paths"),
    CLEARABLE("points_appui"),
    CLEARABLE("axes_evolution"),
    CLEARABLE("priorities"),
    {"levels", LOC_BODY, P_LIST, .min = 0, .max = 60, .fields = level_fields},
    {0},
};
static const struct param_spec p_cancel[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    TEXT("reason", true, 500),
    {0},
};
static const struct param_spec p_feedback[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    TEXT("retained", true, LONGTEXT),
    TEXT("axes", true, 4000),
    {"submit", LOC_BODY, P_BOOL},
    {0},
};
static const struct param_spec p_trace[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    TEXT("body", true, LONGTEXT),
    {"publish", LOC_BODY, P_BOOL},
    {0},
};
static const struct param_spec p_upload[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"filename", LOC_QUERY, P_STRING, .required = true, .min = 1, .max = 255, .check = filename_ok},
    {0},
};
static const struct param_spec p_bilan_create[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"kind", LOC_BODY, P_ENUM, .required = true, .choices = bilan_kinds},
    {0},
};
static const struct param_spec p_bilan_put[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"items", LOC_BODY, P_LIST, .required = true, .min = 0, .max = 60, .fields = bilan_fields},
    {0},
};
static const struct param_spec p_result[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"note", LOC_BODY, P_STRING, .min = 1, .max = 5, .check = decimal_ok},
    {"avis", LOC_BODY, P_ENUM, .choices = avis_values},
    {"comment", LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = 4000},
    {0},
};
static const struct param_spec p_disagreement[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    TEXT("comment", true, 4000),
    {0},
};
static const struct param_spec p_report[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    TEXT("body", true, 40000),
    {"submit", LOC_BODY, P_BOOL},
    {0},
};
static const struct param_spec p_history[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"limit", LOC_QUERY, P_INT, .min = 1, .max = 200},
    {"offset", LOC_QUERY, P_INT, .min = 0, .max = 1000000},
    {0},
};
static const struct param_spec p_results[] = {
    {"year_id", LOC_QUERY, P_ID},
    {"parcours", LOC_QUERY, P_ENUM, .choices = parcours},
    {"limit", LOC_QUERY, P_INT, .min = 1, .max = 200},
    {"offset", LOC_QUERY, P_INT, .min = 0, .max = 1000000},
    {0},
};
static const struct param_spec p_results_export[] = {
    {"year_id", LOC_QUERY, P_ID},
    {"parcours", LOC_QUERY, P_ENUM, .choices = parcours},
    {0},
};
static const struct param_spec p_rules[] = {
    {"parcours", LOC_PATH, P_ENUM, .required = true, .choices = parcours},
    {"rules", LOC_BODY, P_LIST, .required = true, .min = 1, .max = 20, .fields = rule_fields},
    {0},
};

/* The feed's secret is checked by its handler: a malformed one gets the
 * 404 of an unknown one, not a 422 that would tell them apart. */
static const struct param_spec p_calendar[] = {
    {"academy", LOC_PATH, P_STRING, .required = true, .min = 1, .max = 32},
    {"token", LOC_PATH, P_STRING, .required = true, .min = 1, .max = 100},
    {0},
};

static const struct param_spec reminder_rule_fields[] = {
    {"kind", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 64},
    {"offsets", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 100,
     .check = tutorat_offsets_ok},
    {"active", LOC_BODY, P_BOOL},
    {0},
};
static const struct param_spec p_reminder_rules[] = {
    {"rules", LOC_BODY, P_LIST, .required = true, .min = 1, .max = 20,
     .fields = reminder_rule_fields},
    {0},
};

/* Who can hold a relation to an enrolment: the learners, the tutors, the
 * managers and the pilots. The role mask admits them all; the route's
 * object then admits only the relations it names: whoever holds none of
 * them gets 404 for the object, whatever their roles (an IEN, an admin,
 * another tutor alike), never a 403 that would say it exists. */
#define ANY_RELATION                                                                               \
	(R(STAGIAIRE) | R(TUTEUR_TERRAIN) | R(TUTEUR_INSPE) | MANAGERS | R(IEN) | R(PILOTE_POLE) | \
	 R(IA_IPR) | VALIDATORS)

/* The route's object named by {id}: seen by `see`, acted on by `act`. */
#define SEEN(kind, see)		   .object = {OBJ_##kind, "id", see, 0, NULL}
#define ACTED(kind, see, act, why) .object = {OBJ_##kind, "id", see, act, why}
#define TUTORS_ONLY		   "Action réservée aux tuteurs."
#define BILAN_TUTORS		   "Les bilans sont écrits par les tuteurs."

static struct route tutorat_routes[] = {
    {M_GET, "/api/v1/enrolments", h_enrolments_list, p_list, ANY_RELATION},
    {M_POST, "/api/v1/enrolments", h_enrolment_create, p_enrolment_create, MANAGERS},
    {M_GET, "/api/v1/enrolments/{id}", h_enrolment_get, p_id, ANY_RELATION,
     SEEN(ENROLMENT, REL_ANY)},
    {M_PATCH, "/api/v1/enrolments/{id}", h_enrolment_update, p_enrolment_update, MANAGERS,
     SEEN(ENROLMENT, REL_MANAGER)},
    {M_PUT, "/api/v1/enrolments/{id}/tutors", h_enrolment_tutors, p_tutors, MANAGERS,
     SEEN(ENROLMENT, REL_MANAGER)},
    {M_GET, "/api/v1/enrolments/{id}/timeline", h_timeline, p_id, ANY_RELATION,
     SEEN(ENROLMENT, REL_TRIO)},
    {M_GET, "/api/v1/referentiels/{id}", h_referentiel, p_id, ALLOW_AUTHENTICATED},
    {M_GET, "/api/v1/enrolments/{id}/self-assessments", h_assessments, p_id, ANY_RELATION,
     .read_log = "self_assessments", SEEN(ENROLMENT, REL_TRIO)},
    {M_POST, "/api/v1/enrolments/{id}/self-assessments", h_assessment_create, p_assessment,
     ANY_RELATION,
     ACTED(ENROLMENT, REL_TRIO, REL_TRAINEE, "L’auto-positionnement est celui du stagiaire.")},
    {M_POST, "/api/v1/self-assessments/{id}/comments", h_assessment_comment, p_comment,
     ANY_RELATION, ACTED(ASSESSMENT, REL_TRIO, REL_TUTORS, "Seuls les tuteurs commentent.")},
    {M_POST, "/api/v1/enrolments/{id}/followups", h_followup_create, p_followup_create,
     ANY_RELATION,
     ACTED(ENROLMENT, REL_TRIO, REL_TUTORS, "Les tuteurs planifient les temps de suivi.")},
    {M_GET, "/api/v1/followups/{id}", h_followup_get, p_id, ANY_RELATION, .read_log = "trace",
     SEEN(FOLLOWUP, REL_TRIO)},
    {M_PATCH, "/api/v1/followups/{id}", h_followup_plan, p_followup_plan, ANY_RELATION,
     ACTED(FOLLOWUP, REL_TRIO, REL_TUTORS, TUTORS_ONLY)},
    {M_PUT, "/api/v1/followups/{id}/preparation", h_preparation, p_preparation, ANY_RELATION,
     ACTED(FOLLOWUP, REL_TRIO, REL_TRAINEE, "Action réservée au stagiaire.")},
    {M_PUT, "/api/v1/followups/{id}/expectations", h_expectations, p_expectations, ANY_RELATION,
     ACTED(FOLLOWUP, REL_TRIO, REL_TUTORS, TUTORS_ONLY)},
    {M_PUT, "/api/v1/followups/{id}/observation", h_observation, p_observation, ANY_RELATION,
     ACTED(FOLLOWUP, REL_TRIO, REL_TUTORS, TUTORS_ONLY)},
    {M_PUT, "/api/v1/followups/{id}/debrief", h_debrief, p_debrief, ANY_RELATION,
     ACTED(FOLLOWUP, REL_TRIO, REL_TUTORS, TUTORS_ONLY)},
    {M_POST, "/api/v1/followups/{id}/cancel", h_cancel, p_cancel, ANY_RELATION,
     ACTED(FOLLOWUP, REL_TRIO, REL_TUTORS, TUTORS_ONLY)},
    {M_PUT, "/api/v1/followups/{id}/feedback", h_feedback, p_feedback, ANY_RELATION,
     ACTED(FOLLOWUP, REL_TRIO, REL_TRAINEE, "Action réservée au stagiaire.")},
    {M_PUT, "/api/v1/followups/{id}/trace", h_trace, p_trace, ANY_RELATION,
     ACTED(FOLLOWUP, REL_TRIO, REL_TUTORS, TUTORS_ONLY)},
    {M_POST, "/api/v1/followups/{id}/documents", h_document_upload, p_upload, ANY_RELATION,
     .raw_body = true, .max_body = MAX_DOCUMENT_BYTES, SEEN(FOLLOWUP, REL_TRIO)},
    {M_GET, "/api/v1/documents/{id}", h_document_get, p_id, ANY_RELATION, .read_log = "document",
     SEEN(DOCUMENT, REL_TRIO)},
    {M_DELETE, "/api/v1/documents/{id}", h_document_delete, p_id, ANY_RELATION,
     SEEN(DOCUMENT, REL_TRIO)},
    {M_GET, "/api/v1/enrolments/{id}/bilans", h_bilans, p_id, ANY_RELATION, .read_log = "bilans",
     SEEN(ENROLMENT, REL_TRIO | REL_PILOT | REL_VALIDATOR)},
    {M_POST, "/api/v1/enrolments/{id}/bilans", h_bilan_create, p_bilan_create, ANY_RELATION,
     ACTED(ENROLMENT, REL_TRIO, REL_TUTORS, BILAN_TUTORS)},
    {M_GET, "/api/v1/bilans/{id}", h_bilan_get, p_id, ANY_RELATION, .read_log = "bilan",
     SEEN(BILAN, REL_TRIO | REL_PILOT | REL_VALIDATOR)},
    {M_PUT, "/api/v1/bilans/{id}", h_bilan_put, p_bilan_put, ANY_RELATION,
     ACTED(BILAN, REL_TRIO, REL_TUTORS, BILAN_TUTORS)},
    {M_POST, "/api/v1/bilans/{id}/validate", h_bilan_validate, p_id, ANY_RELATION,
     ACTED(BILAN, REL_TRIO, REL_TUTORS, BILAN_TUTORS)},
    {M_POST, "/api/v1/bilans/{id}/revise", h_bilan_revise, p_id, ANY_RELATION,
     ACTED(BILAN, REL_TRIO, REL_TUTORS, BILAN_TUTORS)},
    {M_GET, "/api/v1/enrolments/{id}/result", h_result_get, p_id, ANY_RELATION,
     SEEN(ENROLMENT, REL_TRIO | REL_MANAGER | REL_VALIDATOR | REL_PILOT)},
    {M_GET, "/api/v1/enrolments/{id}/history", h_history, p_history, ANY_RELATION,
     SEEN(ENROLMENT, REL_TRIO | REL_MANAGER)},
    {M_GET, "/api/v1/results", h_results, p_results, MANAGERS | VALIDATORS},
    {M_GET, "/api/v1/results/export", h_results_export, p_results_export, MANAGERS | VALIDATORS},
    {M_PUT, "/api/v1/enrolments/{id}/result", h_result_put, p_result, ANY_RELATION,
     ACTED(ENROLMENT, REL_TRIO, REL_TUTEUR_INSPE, "La note ou l’avis relève du tuteur Inspé.")},
    {M_PUT, "/api/v1/enrolments/{id}/result/disagreement", h_disagreement, p_disagreement,
     ANY_RELATION,
     ACTED(ENROLMENT, REL_TRIO, REL_TUTEUR_TERRAIN,
	   "Le désaccord est signalé par le tuteur terrain.")},
    {M_GET, "/api/v1/disagreements", h_disagreements, NULL,
     R(IEN) | R(PILOTE_POLE) | R(DIRECTION_INSPE)},
    {M_PUT, "/api/v1/enrolments/{id}/report", h_report, p_report, ANY_RELATION,
     ACTED(ENROLMENT, REL_TRIO, REL_TUTEUR_TERRAIN, "Le rapport est celui du tuteur académique.")},
    {M_GET, "/api/v1/conversion-rules", h_rules, NULL, ALLOW_AUTHENTICATED},
    {M_GET, "/api/v1/agenda", h_agenda, NULL, ALLOW_AUTHENTICATED},
    {M_PUT, "/api/v1/conversion-rules/{parcours}", h_rules_put, p_rules, R(ADMIN)},
    {M_GET, "/api/v1/me/calendar-feed", tutorat_h_feed_get, NULL, ALLOW_AUTHENTICATED},
    {M_POST, "/api/v1/me/calendar-feed", tutorat_h_feed_create, NULL, ALLOW_AUTHENTICATED},
    {M_DELETE, "/api/v1/me/calendar-feed", tutorat_h_feed_revoke, NULL, ALLOW_AUTHENTICATED},
    {M_GET, "/api/v1/calendar/{academy}/{token}", tutorat_h_calendar, p_calendar, ALLOW_PUBLIC},
    {M_GET, "/api/v1/admin/reminder-rules", tutorat_h_reminder_rules, NULL, R(ADMIN)},
    {M_PUT, "/api/v1/admin/reminder-rules", tutorat_h_reminder_rules_put, p_reminder_rules,
     R(ADMIN)},
};

/* tutorat_remind.c */
extern const struct module_reminder tutorat_reminders[];

const struct module tutorat_module = {
    .name = "tutorat",
    .routes = tutorat_routes,
    .n_routes = ARRAY_LEN(tutorat_routes),
    .resolve = tutorat_resolve,
    .relations = tutorat_relation_names,
    .objects = tutorat_object_names,
    .problems = tutorat_problems,
    .statements = tutorat_statements,
    .imports = tutorat_imports,
    .verbs = tutorat_verbs,
    .seed = tutorat_seed,
    .notices = tutorat_notices,
    .relations_of = tutorat_relations_of,
    .reminders = tutorat_reminders,
};
