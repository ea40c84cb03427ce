/*
 * Inputs of the tutorat module checked against the académie's own data
 * (levels of its référentiel, roles, structures, places): what the route's
 * declared types cannot tell. Each refusal names the field.
 */
#include "tutorat_db.h"
#include "tutorat_sql.h"
#include "authz.h"
#include "db.h"
#include "req.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum err tdb_check_levels(struct req *r, const struct enrolment_ctx *e, json_t *items,
			  const char *field, bool level_required)
{
	struct db_res grid, max;
	enum err err;
	size_t i, k;
	json_t *it;

	err = db_rows(r, &Q_GRID, &grid, e->referentiel_id, e->category);
	if (err == ERR_OK)
		err = db_rows(r, &Q_MAX_LEVEL, &max, e->referentiel_id);
	if (err != ERR_OK)
		return err;
	json_array_foreach(items, i, it)
	{
		int64_t cid = json_integer_value(json_object_get(it, "competence_id"));
		json_t *lv = json_object_get(it, "level");
		bool known = false;

		for (k = 0; k < grid.n_rows && !known; k++)
			known = db_int(&grid, k, "id") == cid;
		if (!known)
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "%s[%zu].competence_id", field, i),
				    "Cette compétence n’est pas dans le référentiel du stagiaire.");
		for (k = 0; k < i; k++)
			if (json_integer_value(
				json_object_get(json_array_get(items, k), "competence_id")) == cid)
				return fail(
				    r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "%s[%zu].competence_id", field, i),
				    "Compétence répétée.");
		if (lv == NULL || json_is_null(lv)) {
			if (level_required)
				return fail(r, ERR_MISSING_FIELD,
					    arena_printf(r->arena, "%s[%zu].level", field, i),
					    "Niveau obligatoire.");
			continue;
		}
		if (json_integer_value(lv) < 1 ||
		    json_integer_value(lv) > db_int(&max, 0, "max_rank"))
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "%s[%zu].level", field, i),
				    arena_printf(r->arena, "Niveau de 1 à %lld.",
						 (long long)db_int(&max, 0, "max_rank")));
	}
	return ERR_OK;
}

enum err tdb_person_has_role(struct req *r, int64_t person_id, const char *role)
{
	struct db_res res;

	return db_one(r, &Q_PERSON_HAS_ROLE, &res, person_id, role);
}

enum err tdb_structure_is(struct req *r, int64_t id, const char *kind)
{
	struct db_res res;

	return db_one(r, &Q_STRUCTURE_IS, &res, id, kind);
}

/* Optional references must name a structure of the right kind. */
enum err tdb_check_refs(struct req *r, const struct enrolment_input *in)
{
	struct {
		int64_t id;
		const char *kind, *field;
	} refs[] = {{in->discipline_id, "discipline", "discipline_id"},
		    {in->pole_id, "pole", "pole_id"},
		    {in->inspe_site_id, "inspe_site", "inspe_site_id"}};

	for (size_t i = 0; i < ARRAY_LEN(refs); i++) {
		enum err e;

		if (refs[i].id == 0)
			continue;
		e = tdb_structure_is(r, refs[i].id, refs[i].kind);
		if (e == ERR_NOT_FOUND)
			return fail(r, ERR_INVALID_FIELD, refs[i].field,
				    "Structure inconnue ou d’un autre type.");
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

enum err tdb_place_belongs(struct req *r, int64_t enrolment_id, int64_t place_id)
{
	struct db_res res;

	return db_one(r, &Q_PLACE_BELONGS, &res, place_id, enrolment_id);
}

/* "2026-10-13..." -> "13/10/2026", the way the users write dates. */
static const char *fr_day(struct req *r, const char *iso)
{
	if (iso == NULL || strlen(iso) < 10)
		return "?";
	return arena_printf(r->arena, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/*
 * The dates of a follow-up time hold (issue 8 §3): `at` falls within the
 * trainee's school year, starts within its school day (school_year's
 * day_starts_at and day_ends_at), at least an hour from every other
 * time of the trainee that is not cancelled; a time already held
 * (`held`) is not moved into the future. followup_id 0: a new time.
 * 422 naming scheduled_at, in French, otherwise.
 */
enum err tdb_check_schedule(struct req *r, int64_t enrolment_id, int64_t followup_id,
			    const char *at, bool held)
{
	struct db_res s;
	enum err e = db_one(r, &Q_FOLLOWUP_SLOT, &s, at, at, followup_id, at, at, at, enrolment_id);

	if (e != ERR_OK)
		return e;
	if (db_int(&s, 0, "in_year") == 0)
		return fail(r, ERR_INVALID_FIELD, "scheduled_at",
			    arena_printf(r->arena,
					 "La date doit être dans l'année scolaire du stagiaire "
					 "(du %s au %s).",
					 fr_day(r, db_str(&s, 0, "starts_on")),
					 fr_day(r, db_str(&s, 0, "ends_on"))));
	if (db_int(&s, 0, "in_day") == 0)
		return fail(r, ERR_INVALID_FIELD, "scheduled_at",
			    arena_printf(r->arena,
					 "L'heure doit être dans la journée scolaire (de %s à %s).",
					 db_str(&s, 0, "day_starts"), db_str(&s, 0, "day_ends")));
	if (!db_isnull(&s, 0, "clash"))
		return fail(r, ERR_INVALID_FIELD, "scheduled_at",
			    arena_printf(r->arena,
					 "Un autre temps de suivi du stagiaire est prévu à ce "
					 "moment (le %s à %s).",
					 fr_day(r, db_str(&s, 0, "clash")),
					 db_str(&s, 0, "clash") + 11));
	if (held && db_int(&s, 0, "future") != 0)
		return fail(r, ERR_INVALID_FIELD, "scheduled_at",
			    "Ce temps de suivi a déjà eu lieu : sa date ne peut pas être "
			    "dans le futur.");
	return ERR_OK;
}

/* A follow-up time is marked held or debriefed only once it has begun:
 * 422 naming `field` for one still to come. */
enum err tdb_check_not_future(struct req *r, int64_t followup_id, const char *field)
{
	struct db_res w;
	enum err e = db_one(r, &Q_FOLLOWUP_WHEN, &w, followup_id);

	if (e != ERR_OK || db_int(&w, 0, "future") == 0)
		return e;
	return fail(r, ERR_INVALID_FIELD, field,
		    arena_printf(r->arena,
				 "Ce temps de suivi est prévu le %s à %s : il ne peut pas être "
				 "marqué réalisé ni mené avant d'avoir eu lieu.",
				 fr_day(r, db_str(&w, 0, "scheduled_at")),
				 db_str(&w, 0, "scheduled_at") + 11));
}

/* M2B is a 2nd degré parcours (seed 001: contractual M2 students in
 * collèges and lycées): 422 naming parcours for one in the 1er degré. */
enum err tdb_check_parcours(struct req *r, const char *parcours, int64_t degre)
{
	if (parcours != NULL && strcmp(parcours, "M2B") == 0 && degre == 1)
		return fail(r, ERR_INVALID_FIELD, "parcours",
			    "Le parcours M2B est un parcours du second degré : il ne s'ouvre pas "
			    "en premier degré.");
	return ERR_OK;
}
