/*
 * Bulk enrolment: `tutoratctl --academy CODE import enrolments FILE.csv`,
 * one line per enrolment and place of practice:
 *
 *   username,parcours,degre,category,year,discipline,pole,inspe_site,
 *   renouvellement,school,class,tuteur_terrain,tuteur_inspe
 *
 * username: the trainee (holding the stagiaire role); year: a label such
 * as 2026-2027, empty for the current year; discipline: a discipline's
 * code; pole and inspe_site: their exact names; renouvellement: oui or
 * non (empty: non); school: a UAI; class: free text; the tutors: usernames
 * holding the tutor roles. A second line for the same trainee and year
 * adds a place of practice. Each line is checked as the API checks it;
 * ctl.c runs them all in one transaction.
 */
#include "annuaire.h"
#include "audit.h"
#include "req.h"
#include "tutorat.h"
#include "tutorat_db.h"

#include <string.h>

const char *const tutorat_import_columns[] = {
    "username",	  "parcours",	    "degre",  "category", "year",	    "discipline",   "pole",
    "inspe_site", "renouvellement", "school", "class",	  "tuteur_terrain", "tuteur_inspe", NULL};

enum col {
	C_USERNAME,
	C_PARCOURS,
	C_DEGRE,
	C_CATEGORY,
	C_YEAR,
	C_DISCIPLINE,
	C_POLE,
	C_SITE,
	C_RENOUV,
	C_SCHOOL,
	C_CLASS,
	C_TERRAIN,
	C_INSPE,
};

static bool one_of(const char *v, const char *const *choices)
{
	for (; *choices != NULL; choices++)
		if (strcmp(v, *choices) == 0)
			return true;
	return false;
}

/* A person by username holding a role, or a failure naming the column. */
static enum err person_with_role(struct req *r, const char *username, const char *role,
				 const char *column, int64_t *id)
{
	enum err e = annuaire_person_id(r, username, id);

	if (e == ERR_NOT_FOUND)
		return fail(r, ERR_INVALID_FIELD, column, "no such person");
	if (e == ERR_OK && tdb_person_has_role(r, *id, role) == ERR_NOT_FOUND)
		return fail(r, ERR_INVALID_FIELD, column,
			    arena_printf(r->arena, "does not hold the role %s", role));
	return e;
}

/* An optional structure reference by code (discipline, school) or name. */
static enum err structure_ref(struct req *r, const char *kind, const char *value, bool by_code,
			      const char *column, int64_t *id)
{
	enum err e;

	*id = 0;
	if (value[0] == '\0')
		return ERR_OK;
	e = by_code ? annuaire_structure_id(r, kind, value, id)
		    : tdb_structure_named(r, kind, value, id);
	if (e == ERR_NOT_FOUND)
		return fail(r, ERR_INVALID_FIELD, column, "no such structure");
	if (e == ERR_CONFLICT)
		return fail(r, ERR_INVALID_FIELD, column, "several structures have this name");
	return e;
}

enum err tutorat_import_enrolment(struct req *r, char **f)
{
	static const char *const parcours[] = {"M2A", "DU", "M2B", NULL};
	static const char *const categories[] = {"professeur", "cpe", "documentaliste", NULL};
	struct enrolment_input in;
	int64_t id = 0, school = 0, terrain = 0, inspe = 0;
	json_t *places;
	bool changed;
	enum err e;

	memset(&in, 0, sizeof(in));
	if (!one_of(f[C_PARCOURS], parcours))
		return fail(r, ERR_INVALID_FIELD, "parcours", "M2A, DU or M2B");
	if (strcmp(f[C_DEGRE], "1") != 0 && strcmp(f[C_DEGRE], "2") != 0)
		return fail(r, ERR_INVALID_FIELD, "degre", "1 or 2");
	if (!one_of(f[C_CATEGORY], categories))
		return fail(r, ERR_INVALID_FIELD, "category", "professeur, cpe or documentaliste");
	if (f[C_RENOUV][0] != '\0' && strcmp(f[C_RENOUV], "oui") != 0 &&
	    strcmp(f[C_RENOUV], "non") != 0)
		return fail(r, ERR_INVALID_FIELD, "renouvellement", "oui or non");
	in.parcours = f[C_PARCOURS];
	in.degre = f[C_DEGRE][0] - '0';
	in.category = f[C_CATEGORY];
	in.renouvellement = strcmp(f[C_RENOUV], "oui") == 0;

	e = person_with_role(r, f[C_USERNAME], "stagiaire", "username", &in.trainee_id);
	if (e == ERR_OK)
		e = f[C_YEAR][0] != '\0' ? tdb_year_by_label(r, f[C_YEAR], &in.year_id)
					 : tdb_current_year(r, &in.year_id);
	if (e == ERR_NOT_FOUND)
		return fail(r, ERR_INVALID_FIELD, "year", "no such school year");
	if (e == ERR_OK)
		e = structure_ref(r, "discipline", f[C_DISCIPLINE], true, "discipline",
				  &in.discipline_id);
	if (e == ERR_OK)
		e = structure_ref(r, "pole", f[C_POLE], false, "pole", &in.pole_id);
	if (e == ERR_OK)
		e = structure_ref(r, "inspe_site", f[C_SITE], false, "inspe_site",
				  &in.inspe_site_id);
	if (e == ERR_OK)
		e = structure_ref(r, "school", f[C_SCHOOL], true, "school", &school);
	if (e == ERR_OK && f[C_TERRAIN][0] != '\0')
		e = person_with_role(r, f[C_TERRAIN], "tuteur_terrain", "tuteur_terrain", &terrain);
	if (e == ERR_OK && f[C_INSPE][0] != '\0')
		e = person_with_role(r, f[C_INSPE], "tuteur_inspe", "tuteur_inspe", &inspe);
	if (e != ERR_OK)
		return e;

	places = jarena(r, json_array());
	if (school != 0)
		json_array_append_new(places, json_pack("{s:I, s:s?}", "school_id",
							(json_int_t)school, "class_label",
							f[C_CLASS][0] != '\0' ? f[C_CLASS] : NULL));
	e = tdb_enrolment_of(r, in.trainee_id, in.year_id, &id);
	if (e == ERR_OK) {
		/* A second line for the same trainee and year: one more place. */
		e = tdb_enrolment_add_places(r, id, places);
	} else if (e == ERR_NOT_FOUND) {
		in.places = places;
		e = tdb_enrolment_create(r, &in, &id);
	}
	if (e == ERR_OK && terrain != 0)
		e = tdb_set_tutor(r, id, "tuteur_terrain", terrain, &changed);
	if (e == ERR_OK && inspe != 0)
		e = tdb_set_tutor(r, id, "tuteur_inspe", inspe, &changed);
	if (e == ERR_OK)
		e = tdb_dossier_touch(r, id);
	return e == ERR_OK ? audit_record(r, "import.enrolment", "enrolment", id, NULL) : e;
}
