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
