/*
 * The caller's relation to an enrolment, computed once per request from
 * the principal: the trio from trio_member (current rows only: a replaced
 * tutor keeps no access), managers from their académie-wide roles, pilots
 * from their scoped assignments. A route admits some relations; for every
 * other caller the enrolment, and all that hangs off it, does not exist.
 */
#include "authz.h"
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
	case REL_NONE:
		break;
	}
	return "none";
}

enum err tutorat_enrolment_access(struct req *r, int64_t enrolment_id, unsigned allowed,
				  struct enrolment_ctx *out)
{
	bool pilot = false;
	enum err e = tdb_enrolment_ctx(r, enrolment_id, out);

	if (e != ERR_OK)
		return e;
	/* The trio relation wins; then management; then piloting, whose rules
	 * cost a query of their own and are asked only when they can matter. */
	if (out->rel == REL_NONE && (allowed & REL_MANAGER) &&
	    (r->who.roles & (R(ADMIN) | R(BUREAU_STAGES))))
		out->rel = REL_MANAGER;
	if (out->rel == REL_NONE && (allowed & REL_PILOT)) {
		e = tdb_is_pilot(r, enrolment_id, &pilot);
		if (e != ERR_OK)
			return e;
		if (pilot)
			out->rel = REL_PILOT;
	}
	if (!(out->rel & allowed))
		return ERR_NOT_FOUND;
	return ERR_OK;
}

enum err tutorat_owned_access(struct req *r, enum owned kind, int64_t id, unsigned allowed,
			      struct enrolment_ctx *out)
{
	int64_t enrolment_id;
	enum err e = tdb_owner_of(r, kind, id, &enrolment_id);

	return e != ERR_OK ? e : tutorat_enrolment_access(r, enrolment_id, allowed, out);
}

enum relation tutorat_relation(const struct req *r, enum relation trio, bool pilot)
{
	if (trio != REL_NONE)
		return trio;
	if (r->who.roles & (R(ADMIN) | R(BUREAU_STAGES)))
		return REL_MANAGER;
	return pilot ? REL_PILOT : REL_NONE;
}
