/*
 * Routes and handlers of the accompaniment module: the case of a trainee
 * in difficulty, its three levels, the fiche de suivi, the agreements to
 * raise the alert, the traces shared with it and the read log
 * (docs/accompaniment.md). Access is decided by the pipeline from the
 * route's object (accompaniment_access.c); what remains here are the rules
 * about the case's state (closed, its level) and about who writes which
 * kind of entry.
 */
#include <string.h>

#include "accompaniment.h"
#include "accompaniment_db.h"
#include "arena.h"
#include "audit.h"
#include "authz.h"
#include "db.h"
#include "modules.h"
#include "req.h"
#include "util.h"

static const struct problem_def P_CASE_CLOSED = {409, "case_closed",
						 "Ce dossier d’accompagnement est clos."};
static const struct problem_def P_LEVEL_SKIPPED = {422, "level_skipped",
						   "Un niveau ne se saute pas."};
static const struct problem_def P_AGREEMENTS_MISSING = {
    422, "agreements_missing", "L’alerte suppose l’accord des acteurs du niveau 2."};
static const struct problem_def P_ENTRY_NOT_YOURS = {
    403, "entry_kind_not_yours", "Cette rubrique de la fiche de suivi n’est pas la vôtre."};
static const struct problem_def P_NOT_LEVEL_2 = {409, "agreement_outside_level_2",
						 "Les accords se recueillent au niveau 2."};
static const struct problem_def *const acc_problems[] = {&P_CASE_CLOSED,	&P_LEVEL_SKIPPED,
							 &P_AGREEMENTS_MISSING, &P_ENTRY_NOT_YOURS,
							 &P_NOT_LEVEL_2,	NULL};

const struct notice_kind acc_notices[] = {
    {"accompaniment.case_opened", "Dossier d’accompagnement ouvert",
     "a ouvert un dossier d’accompagnement dont vous êtes acteur",
     "Un dossier d’accompagnement vous attend", CHANNEL_EMAIL},
    {"accompaniment.level_changed", "Niveau d’un dossier d’accompagnement changé",
     "a changé le niveau d’un dossier d’accompagnement dont vous êtes acteur",
     "Un dossier d’accompagnement vous attend", CHANNEL_EMAIL},
    {"accompaniment.case_closed", "Dossier d’accompagnement clos",
     "a clos un dossier d’accompagnement dont vous étiez acteur",
     "Un dossier d’accompagnement a changé", CHANNEL_EMAIL},
    {0},
};

/*
 * Tells every actor of the case at `level` (the actor excepted) that
 * something awaits them: the item names the case and its screen, never its
 * trainee nor any of its text (the subject is the same for every case).
 */
static enum err tell(struct req *r, int64_t enrolment_id, int64_t case_id, int level,
		     const char *kind)
{
	int64_t *ids;
	size_t n;
	enum err e = accdb_actors_at(r, enrolment_id, level, &ids, &n);
	const struct notice notice = {
	    .kind = kind,
	    .object = "case",
	    .object_kind = ACC_OBJ_CASE,
	    .object_id = case_id,
	    .relations = ACC_ANY,
	    .subject = "Accompagnement personnalisé",
	    .link = arena_printf(r->arena, "/app.html#/accompagnement/%lld", (long long)case_id),
	};

	return e == ERR_OK ? notify(r, &accompaniment_module, &notice, ids, n) : e;
}

enum err acc_open_for_renewal(struct req *r, int64_t enrolment_id)
{
	const struct acc_period p = {.level = 1,
				     .text = "Renouvellement : le stagiaire commence l’année au "
					     "niveau 1."};
	int64_t case_id;
	bool due = false;
	enum err e = accdb_renewal_due(r, enrolment_id, &due);

	if (e != ERR_OK || !due)
		return e;
	e = accdb_case_open(r, enrolment_id, &p, &case_id);
	return e == ERR_OK ? tell(r, enrolment_id, case_id, 1, "accompaniment.case_opened") : e;
}

static enum err refuse_closed(struct req *r, const struct acc_ctx *c)
{
	return c->closed ? fail_problem(r, &P_CASE_CLOSED, NULL,
					"Un dossier clos ne reçoit plus d’écriture.")
			 : ERR_OK;
}

/* GET /api/v1/cases — the cases the caller is an actor of now: status and
 * period only (level, state, planned end), never content. 200. */
static enum err h_list(struct req *r)
{
	json_t *out;
	enum err e = accdb_case_list(r, arg_str(r, "state"), arg_int(r, "limit", 50),
				     arg_int(r, "offset", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* POST /api/v1/enrolments/{id}/cases — the tutors (level 1 or 2) or a
 * level-2 actor of the enrolment (level 2): opens its case. 201 {id};
 * 409 when one is open; 422 level_skipped for level 3. */
static enum err h_open(struct req *r)
{
	struct acc_ctx *c = acc_ctx(r);
	struct acc_period p = {
	    .level = (int)arg_int(r, "level", 1),
	    .starts_on = arg_str(r, "starts_on"),
	    .ends_on = arg_str(r, "ends_on"),
	    .text = arg_str(r, "reason"),
	};
	int64_t case_id;
	enum err e;

	if (p.level == 3)
		return fail_problem(r, &P_LEVEL_SKIPPED, "level",
				    "Le niveau 3 (alerte) suit un niveau 2 dont les acteurs ont "
				    "donné leur accord.");
	if (p.level == 1 && c->trio_role == NULL)
		return fail(r, ERR_INVALID_FIELD, "level",
			    "Le niveau 1 est celui du trio : les tuteurs l’ouvrent.");
	if (c->open_case_id != 0)
		return fail(r, ERR_CONFLICT, "id",
			    "Un dossier d’accompagnement est déjà ouvert pour ce stagiaire.");
	e = accdb_case_open(r, c->enrolment_id, &p, &case_id);
	if (e == ERR_OK)
		e = audit_record_body(r, "case.open", "case", case_id);
	if (e == ERR_OK)
		e = tell(r, c->enrolment_id, case_id, p.level, "accompaniment.case_opened");
	if (e != ERR_OK)
		return e;
	reply_header(r, arena_printf(r->arena, "Location: /api/v1/cases/%lld", (long long)case_id));
	reply_id(r, 201, case_id);
	return ERR_OK;
}

/* GET /api/v1/cases/{id} — every actor of the current level and the
 * trainee: the case, its periods and bilans, its actors, the entries the
 * reader may read, the shared traces, the agreements. The route's
 * read_log runs it in a transaction: the read is logged there in acc_read
 * (the case's own screen: who, at which level) and, by the pipeline, in
 * read_log (the trainee's "who read my file"). 200 with ETag. */
static enum err h_get(struct req *r)
{
	struct acc_ctx *c = acc_ctx(r);
	json_t *out = NULL;
	enum err e = accdb_read_log(r, c, "case");

	if (e == ERR_OK)
		e = accdb_case_json(r, c, &out);
	if (e != ERR_OK) {
		json_decref(out);
		return e;
	}
	reply_versioned(r, 200, out);
	return ERR_OK;
}

/* GET /api/v1/cases/{id}/reads — the trainee and the tutors: who read the
 * case, when, at which level (newest first). Logged as a read too. */
static enum err h_reads(struct req *r)
{
	struct acc_ctx *c = acc_ctx(r);
	json_t *out = NULL;
	enum err e = db_begin(r);

	if (e == ERR_OK)
		e = accdb_read_log(r, c, "reads");
	if (e == ERR_OK)
		e = accdb_reads_json(r, c, arg_int(r, "limit", 100), arg_int(r, "offset", 0), &out);
	if (e == ERR_OK)
		e = db_commit(r);
	if (e != ERR_OK) {
		json_decref(out);
		return e;
	}
	reply_json(r, 200, out);
	return ERR_OK;
}

/*
 * POST /api/v1/cases/{id}/levels — an actor of the case, If-Match: the
 * bilan of the current period, which moves the case to `to_level` (one
 * up, one down) or ends it (0). Raising to 3 needs the agreements of the
 * level-2 period (both tutors and a non-trio actor). 200 {id, level,
 * version, state}; 409 case_closed; 412; 422 level_skipped,
 * agreements_missing, or a bad field.
 */
static enum err h_move(struct req *r)
{
	struct acc_ctx *c = acc_ctx(r);
	int to = (int)arg_int(r, "to_level", 0);
	struct acc_period p = {
	    .level = to,
	    .starts_on = arg_str(r, "starts_on"),
	    .ends_on = arg_str(r, "ends_on"),
	};
	const char *outcome = to == 0 ? "end" : to > c->level ? "up" : "down";
	int64_t version;
	enum err e = req_if_match(r, &version);

	if (e == ERR_OK)
		e = refuse_closed(r, c);
	if (e != ERR_OK)
		return e;
	if (to == c->level)
		return fail(r, ERR_INVALID_FIELD, "to_level",
			    "Le dossier est déjà à ce niveau : le bilan le fait monter, "
			    "descendre ou le clôt.");
	if (to != 0 && (to > c->level + 1 || to < c->level - 1))
		return fail_problem(r, &P_LEVEL_SKIPPED, "to_level",
				    "Le dossier change d’un niveau à la fois.");
	if (to != 0 && p.ends_on == NULL)
		return fail(r, ERR_MISSING_FIELD, "ends_on",
			    "La fin prévue de la nouvelle période est attendue.");
	if (to == 3) {
		bool complete = false;
		const char *missing = "";

		e = accdb_agreements_complete(r, c, &complete, &missing);
		if (e != ERR_OK)
			return e;
		if (!complete)
			return fail_problem(
			    r, &P_AGREEMENTS_MISSING, "to_level",
			    arena_printf(r->arena, "Accord non encore enregistré : %s.", missing));
	}
	e = accdb_case_move(r, c, version, outcome, arg_str(r, "bilan"), to != 0 ? &p : NULL);
	if (e == ERR_OK) {
		json_t *d =
		    json_pack("{s:i, s:i, s:s}", "from", c->level, "to", to, "outcome", outcome);

		e = audit_record(r, "case.level", "case", c->case_id, d);
		json_decref(d);
	}
	if (e == ERR_OK)
		e = to != 0
			? tell(r, c->enrolment_id, c->case_id, to, "accompaniment.level_changed")
			: tell(r, c->enrolment_id, c->case_id, c->level,
			       "accompaniment.case_closed");
	if (e != ERR_OK)
		return e;
	reply_versioned(r, 200,
			json_pack("{s:I, s:i, s:I, s:s}", "id", (json_int_t)c->case_id, "level",
				  to != 0 ? to : c->level, "version", (json_int_t)version + 1,
				  "state", to != 0 ? "open" : "closed"));
	return ERR_OK;
}

/*
 * Who writes which part of the fiche de suivi: the tutors keep it (the
 * difficulties, their actions, the « informé le » of the head of school);
 * every actor writes the INSPÉ's and the school's actions; the alert is
 * written at level 3 by any actor; the response that binds the trainee by
 * the INSPÉ direction or the inspector only.
 */
static enum err entry_allowed(struct req *r, const struct acc_ctx *c, const char *kind)
{
	if (strcmp(kind, "alert") == 0 || strcmp(kind, "response") == 0) {
		if (c->level != 3)
			return fail(r, ERR_INVALID_FIELD, "kind",
				    "L’alerte et la réponse s’inscrivent au niveau 3.");
		if (strcmp(kind, "response") == 0 && !(c->rel & ACC_ACTOR3))
			return fail_problem(r, &P_ENTRY_NOT_YOURS, "kind",
					    "La réponse est celle de l’INSPÉ et de l’Éducation "
					    "nationale.");
		return ERR_OK;
	}
	if ((strcmp(kind, "difficulty") == 0 || strcmp(kind, "action_tutorat") == 0 ||
	     strcmp(kind, "informed") == 0) &&
	    !(c->rel & ACC_TUTOR))
		return fail_problem(r, &P_ENTRY_NOT_YOURS, "kind",
				    "Les tuteurs tiennent cette rubrique de la fiche de suivi.");
	return ERR_OK;
}

/* POST /api/v1/cases/{id}/entries — an actor: a dated entry of the fiche
 * de suivi, at the case's current level. A correction is a new entry
 * naming the one it corrects. 201 {id}; 403 entry_kind_not_yours; 409
 * case_closed; 422. */
static enum err h_entry(struct req *r)
{
	struct acc_ctx *c = acc_ctx(r);
	const char *kind = arg_str(r, "kind");
	int64_t corrects = arg_int(r, "corrects_id", 0), id;
	enum err e = refuse_closed(r, c);

	if (e == ERR_OK)
		e = entry_allowed(r, c, kind);
	if (e == ERR_OK && corrects != 0) {
		bool found = false;

		e = accdb_entry_visible(r, c, corrects, &found);
		if (e == ERR_OK && !found)
			return fail(r, ERR_INVALID_FIELD, "corrects_id",
				    "Aucune entrée de ce dossier ne porte ce numéro.");
	}
	if (e == ERR_OK)
		e = accdb_entry_add(r, c, kind, arg_str(r, "happened_on"), arg_str(r, "body"),
				    corrects, &id);
	if (e == ERR_OK)
		e = audit_record_body(r, "case.entry", "case", c->case_id);
	if (e == ERR_OK)
		reply_id(r, 201, id);
	return e;
}

/* POST /api/v1/cases/{id}/agreements — a tutor or a level-2 actor, at
 * level 2: their agreement to raise the alert, once per level-2 period.
 * 201 {id}; 409 outside level 2 or when already given. */
static enum err h_agree(struct req *r)
{
	struct acc_ctx *c = acc_ctx(r);
	const char *as = c->trio_role != NULL ? c->trio_role : "actor";
	int64_t id;
	enum err e = refuse_closed(r, c);

	if (e != ERR_OK)
		return e;
	if (c->level != 2)
		return fail_problem(r, &P_NOT_LEVEL_2, NULL,
				    "Le dossier n’est pas au niveau 2 (aménagement de formation).");
	e = accdb_agreement_add(r, c, as, &id);
	if (e == ERR_OK) {
		json_t *d = json_pack("{s:s}", "as", as);

		e = audit_record(r, "case.agreement", "case", c->case_id, d);
		json_decref(d);
	}
	if (e == ERR_OK)
		reply_id(r, 201, id);
	return e;
}

/* POST /api/v1/cases/{id}/shares — a tutor: shares one element of the
 * trio's traces (a follow-up time, the tutors' published trace, a
 * document) of the case's enrolment. 201 {id}; 409 already shared; 422
 * element_id of another enrolment or unknown. */
static enum err h_share(struct req *r)
{
	struct acc_ctx *c = acc_ctx(r);
	const char *element = arg_str(r, "element");
	int64_t element_id = arg_int(r, "element_id", 0), owner = 0, id;
	enum err e = refuse_closed(r, c);

	if (e == ERR_OK)
		e = accdb_element_enrolment(r, element, element_id, &owner);
	if (e == ERR_NOT_FOUND || (e == ERR_OK && owner != c->enrolment_id))
		return fail(r, ERR_INVALID_FIELD, "element_id",
			    "Aucun élément de ce type dans le dossier de tutorat de ce stagiaire "
			    "(une trace doit être publiée).");
	if (e == ERR_OK)
		e = accdb_share_add(r, c, element, element_id, &id);
	if (e == ERR_OK)
		e = audit_record_body(r, "case.share", "case", c->case_id);
	if (e == ERR_OK)
		reply_id(r, 201, id);
	return e;
}

/* DELETE /api/v1/case-shares/{id} — a tutor: ends a share by a later row;
 * the element is no longer shown in the case. 204; 409 already revoked. */
static enum err h_unshare(struct req *r)
{
	struct acc_ctx *c = acc_ctx(r);
	int64_t share_id = arg_int(r, "id", 0), id;
	enum err e = refuse_closed(r, c);

	if (e == ERR_OK)
		e = accdb_share_revoke(r, c, share_id, &id);
	if (e == ERR_NOT_FOUND)
		return fail(r, ERR_CONFLICT, "id", "Ce partage est déjà retiré.");
	if (e == ERR_OK) {
		json_t *d = json_pack("{s:I}", "share_id", (json_int_t)share_id);

		e = audit_record(r, "case.share_revoke", "case", c->case_id, d);
		json_decref(d);
	}
	if (e == ERR_OK)
		reply_empty(r, 204);
	return e;
}

static const char *const states[] = {"open", "closed", NULL};
static const char *const entry_kinds[] = {
    "difficulty", "action_tutorat", "action_inspe", "action_school",
    "informed",	  "alert",	    "response",	    NULL};
static const char *const elements[] = {"followup", "trace", "document", NULL};

static const struct param_spec p_list[] = {
    {"state", LOC_QUERY, P_ENUM, .choices = states},
    {"limit", LOC_QUERY, P_INT, .min = 1, .max = 200},
    {"offset", LOC_QUERY, P_INT, .min = 0, .max = 1000000},
    {0},
};
static const struct param_spec p_id[] = {{"id", LOC_PATH, P_ID, .required = true}, {0}};
static const struct param_spec p_reads[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"limit", LOC_QUERY, P_INT, .min = 1, .max = 200},
    {"offset", LOC_QUERY, P_INT, .min = 0, .max = 1000000},
    {0},
};
static const struct param_spec p_open[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"level", LOC_BODY, P_INT, .required = true, .min = 1, .max = 3},
    {"starts_on", LOC_BODY, P_DATE},
    {"ends_on", LOC_BODY, P_DATE, .required = true},
    {"reason", LOC_BODY, P_STRING, .min = 1, .max = 4000},
    {0},
};
static const struct param_spec p_move[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"to_level", LOC_BODY, P_INT, .required = true, .min = 0, .max = 3},
    {"bilan", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 4000},
    {"starts_on", LOC_BODY, P_DATE},
    {"ends_on", LOC_BODY, P_DATE},
    {0},
};
static const struct param_spec p_entry[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"kind", LOC_BODY, P_ENUM, .required = true, .choices = entry_kinds},
    {"happened_on", LOC_BODY, P_DATE, .required = true},
    {"body", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 4000},
    {"corrects_id", LOC_BODY, P_ID},
    {0},
};
static const struct param_spec p_share[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"element", LOC_BODY, P_ENUM, .required = true, .choices = elements},
    {"element_id", LOC_BODY, P_ID, .required = true},
    {0},
};

/* The roles that can hold a relation to a case at all (the trio, the
 * level-2 and level-3 actors' roles); each route's object then admits only
 * the relations it names, and 404 answers everyone else. */
#define CASE_ROLES                                                                                 \
	(R(STAGIAIRE) | R(TUTEUR_TERRAIN) | R(TUTEUR_INSPE) | R(RESPONSABLE_SITE) |                \
	 R(CHEF_ETABLISSEMENT) | R(CHARGE_MISSION_FORMATION) | R(PILOTE_POLE) |                    \
	 R(REFERENT_INSPE) | R(RESPONSABLE_PARCOURS) | R(DIRECTION_INSPE) | R(IEN) | R(IA_IPR))
#define OBJ(kind, see, act, why) .object = {ACC_OBJ_##kind, "id", see, act, why}

static struct route acc_routes[] = {
    {M_GET, "/api/v1/cases", h_list, p_list, CASE_ROLES},
    {M_POST, "/api/v1/enrolments/{id}/cases", h_open, p_open, CASE_ROLES,
     OBJ(ENROLMENT, ACC_TRAINEE | ACC_TUTOR | ACC_ACTOR2, ACC_TUTOR | ACC_ACTOR2,
	 "Le dossier est ouvert par un tuteur ou un acteur du niveau 2.")},
    {M_GET, "/api/v1/cases/{id}", h_get, p_id, CASE_ROLES, .read_log = "case",
     OBJ(CASE, ACC_ANY, 0, NULL)},
    {M_GET, "/api/v1/cases/{id}/reads", h_reads, p_reads, CASE_ROLES,
     OBJ(CASE, ACC_ANY, ACC_TRAINEE | ACC_TUTOR,
	 "Le journal des consultations est celui du stagiaire et de ses tuteurs.")},
    {M_POST, "/api/v1/cases/{id}/levels", h_move, p_move, CASE_ROLES,
     OBJ(CASE, ACC_ANY, ACC_ACTORS, "Le niveau change par le bilan des acteurs.")},
    {M_POST, "/api/v1/cases/{id}/entries", h_entry, p_entry, CASE_ROLES,
     OBJ(CASE, ACC_ANY, ACC_ACTORS, "La fiche de suivi est tenue par les acteurs.")},
    {M_POST, "/api/v1/cases/{id}/agreements", h_agree, p_id, CASE_ROLES,
     OBJ(CASE, ACC_ANY, ACC_TUTOR | ACC_ACTOR2,
	 "L’accord pour l’alerte est celui des acteurs du niveau 2.")},
    {M_POST, "/api/v1/cases/{id}/shares", h_share, p_share, CASE_ROLES,
     OBJ(CASE, ACC_ANY, ACC_TUTOR, "Seul un tuteur partage les traces du trio.")},
    {M_DELETE, "/api/v1/case-shares/{id}", h_unshare, p_id, CASE_ROLES,
     OBJ(SHARE, ACC_ANY, ACC_TUTOR, "Seul un tuteur retire un partage.")},
};

const struct module accompaniment_module = {
    .name = "accompaniment",
    .routes = acc_routes,
    .n_routes = ARRAY_LEN(acc_routes),
    .resolve = acc_resolve,
    .relations = acc_relation_names,
    .objects = acc_object_names,
    .problems = acc_problems,
    .statements = acc_statements,
    .notices = acc_notices,
    .relations_of = acc_relations_of,
};
