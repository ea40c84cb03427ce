/*
 * The caller's relation to an enrolment, computed once per request from
 * the principal: the trio from trio_member (current rows only: a replaced
 * tutor keeps no access), managers and validators from their académie's
 * roles, pilots from their scoped assignments. Routes declare the object they address
 * and the relations they admit (struct route_object); the pipeline asks
 * tutorat_resolve() and answers 404 for every other caller: for them the
 * enrolment, and all that hangs off it, does not exist.
 */
#include "authz.h"
#include "arena.h"
#include "req.h"
#include "tutorat.h"
#include "tutorat_db.h"

const char *relation_name(enum relation rel)
{
	switch (rel) {
	case REL_TRAINEE:
		return "trainee";
	case REL_TUTEUR_TERRAIN:
		return "tuteur_terrain";
	case REL_TUTEUR_INSPE:
		return "tuteur_inspe";
	case REL_MANAGER:
		return "manager";
	case REL_PILOT:
		return "pilot";
	case REL_VALIDATOR:
		return "validator";
	case REL_NONE:
		break;
	}
	return "none";
}

const char *const tutorat_relation_names[] = {
    "trainee", "tuteur_terrain", "tuteur_inspe", "manager", "pilot", "validator", NULL};
const char *const tutorat_object_names[] = {
    "", "enrolment", "followup", "bilan", "self_assessment", "document", NULL};

/* The caller's relation to the enrolment (REL_NONE possible), in the one
 * order of tutorat_relation; the pilot rules cost a statement of their own
 * and are asked only when `wanted` admits pilots and nothing came first. */
static enum err relation_to(struct req *r, int64_t enrolment_id, unsigned wanted,
			    struct enrolment_ctx *out)
{
	bool pilot = false;
	enum err e = tdb_enrolment_ctx(r, enrolment_id, out);

	if (e != ERR_OK)
		return e;
	if (out->rel == REL_NONE && (wanted & REL_PILOT) &&
	    tutorat_relation(r, REL_NONE, false) == REL_NONE) {
		e = tdb_is_pilot(r, enrolment_id, &pilot);
		if (e != ERR_OK)
			return e;
	}
	out->rel = tutorat_relation(r, out->rel, pilot);
	return ERR_OK;
}

enum err tutorat_resolve(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
			 void **ctx)
{
	static const enum owned owned_of[] = {
	    [OBJ_FOLLOWUP] = OWNED_FOLLOWUP,
	    [OBJ_BILAN] = OWNED_BILAN,
	    [OBJ_ASSESSMENT] = OWNED_ASSESSMENT,
	    [OBJ_DOCUMENT] = OWNED_DOCUMENT,
	};
	struct enrolment_ctx *c = arena_zalloc(r->arena, sizeof(*c));
	int64_t enrolment_id = id;
	enum err e = ERR_OK;

	if (c == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	if (kind != OBJ_ENROLMENT)
		e = tdb_owner_of(r, owned_of[kind], id, &enrolment_id);
	if (e == ERR_OK)
		e = relation_to(r, enrolment_id, wanted, c);
	if (e != ERR_OK)
		return e;
	*rel = c->rel;
	*ctx = c;
	r->subject_id = c->trainee_id; /* what hangs off an enrolment is the trainee's */
	return ERR_OK;
}

enum relation tutorat_relation(const struct req *r, enum relation trio, bool pilot)
{
	if (trio != REL_NONE)
		return trio;
	if (r->who.roles & (R(ADMIN) | R(BUREAU_STAGES)))
		return REL_MANAGER;
	if (r->who.roles & (R(DIRECTION_INSPE) | R(RESPONSABLE_PARCOURS)))
		return REL_VALIDATOR;
	return pilot ? REL_PILOT : REL_NONE;
}
