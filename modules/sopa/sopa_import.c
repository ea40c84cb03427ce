/*
 * The placements of a site from CSV, one line per placement:
 *
 *   period,student,mat,school,class_level,pupils
 *
 * period: 1 to 4 (a period whose dates are set); student and mat:
 * usernames holding etudiant_sopa and mat; school: a UAI; class_level:
 * free text (64 characters at most); pupils: 1 to 40. Each line is checked
 * as the API checks a placement and written in the request's transaction:
 * the route (POST /api/v1/sopa/sites/{id}/placements/import) lists every
 * refused line and writes nothing when there is one.
 *
 * `tutoratctl --academy CODE import sopa-placements FILE.csv` takes the
 * same file with a `site` column first (the INSPÉ site's name or code),
 * for the current year.
 */
#include <string.h>

#include "annuaire.h"
#include "arena.h"
#include "audit.h"
#include "req.h"
#include "sopa.h"
#include "util.h"

const char *const sopa_import_columns[] = {"period",	  "student", "mat", "school",
					   "class_level", "pupils",  NULL};
static const char *const ctl_columns[] = {"site",	 "period", "student", "mat", "school",
					  "class_level", "pupils", NULL};

static enum err person_ref(struct req *r, const char *username, const char *column, int64_t *id)
{
	enum err e = annuaire_person_id(r, username, id);

	if (e == ERR_NOT_FOUND)
		return fail(r, ERR_INVALID_FIELD, column,
			    arena_printf(r->arena, "Identifiant inconnu : « %s ».", username));
	return e;
}

static bool small_int(const char *s, int64_t lo, int64_t hi, int64_t *v)
{
	return parse_int64(s, strlen(s), v) && *v >= lo && *v <= hi;
}

enum err sopa_import_line(struct req *r, int64_t site_id, int64_t year_id, char **f)
{
	struct sopa_placement_in in = {.class_level = f[4]};
	int64_t number = 0, id = random_id();
	bool ok = false;
	enum err e;

	if (!small_int(f[0], 1, 4, &number))
		return fail(r, ERR_INVALID_FIELD, "period", "Période attendue : 1, 2, 3 ou 4.");
	e = sdb_period_find(r, site_id, year_id, (int)number, &in.period_id);
	if (e == ERR_OK && in.period_id == 0)
		return fail(r, ERR_INVALID_FIELD, "period",
			    "Les dates de cette période ne sont pas fixées pour le site.");
	if (e == ERR_OK)
		e = person_ref(r, f[1], "student", &in.student_id);
	if (e == ERR_OK)
		e = person_ref(r, f[2], "mat", &in.mat_id);
	if (e == ERR_OK) {
		e = annuaire_structure_id(r, "school", f[3], &in.school_id);
		if (e == ERR_NOT_FOUND)
			return fail(r, ERR_INVALID_FIELD, "school",
				    arena_printf(r->arena, "UAI inconnu : « %s ».", f[3]));
	}
	if (e != ERR_OK)
		return e;
	if (f[4][0] == '\0' || utf8_length(f[4], strlen(f[4])) > 64)
		return fail(r, ERR_INVALID_FIELD, "class_level",
			    "Niveau de la classe attendu (64 caractères au plus).");
	if (!small_int(f[5], 1, 40, &in.pupils))
		return fail(r, ERR_INVALID_FIELD, "pupils", "Nombre d’élèves attendu : 1 à 40.");
	e = sdb_has_role(r, in.student_id, "etudiant_sopa", &ok);
	if (e == ERR_OK && !ok)
		return fail(r, ERR_INVALID_FIELD, "student",
			    "Cette personne n’est pas étudiante en SOPA.");
	if (e == ERR_OK)
		e = sdb_student_placed(r, in.student_id, in.period_id, 0, &ok);
	if (e == ERR_OK && ok)
		return fail(r, ERR_INVALID_FIELD, "student",
			    "Cet étudiant a déjà un stage sur cette période.");
	if (e == ERR_OK)
		e = sdb_has_role(r, in.mat_id, "mat", &ok);
	if (e == ERR_OK && !ok)
		return fail(r, ERR_INVALID_FIELD, "mat",
			    "Cette personne n’est pas maître d’accueil temporaire.");
	if (e == ERR_OK) {
		int64_t load = 0;

		e = sdb_mat_load(r, in.mat_id, in.period_id, 0, &load);
		if (e == ERR_OK && load >= 2)
			return fail(r, ERR_INVALID_FIELD, "mat",
				    "Ce maître d’accueil reçoit déjà deux étudiants sur cette "
				    "période.");
	}
	if (e == ERR_OK)
		e = sdb_placement_insert(r, id, &in);
	if (e == ERR_DUPLICATE)
		return fail(r, ERR_INVALID_FIELD, "student",
			    "Cet étudiant a déjà un stage sur cette période.");
	return e;
}

/* tutoratctl import sopa-placements: the site first, the current year. */
static enum err ctl_row(struct req *r, char **f)
{
	int64_t site = 0, year = 0;
	enum err e = sdb_site_by_name(r, f[0], &site);

	if (e == ERR_OK && site == 0)
		return fail(r, ERR_INVALID_FIELD, "site", "no such INSPÉ site");
	if (e == ERR_OK)
		e = sdb_current_year(r, &year);
	if (e == ERR_OK && year == 0)
		return fail(r, ERR_INVALID_FIELD, "site", "no current school year");
	if (e == ERR_OK)
		e = sopa_import_line(r, site, year, f + 1);
	if (e == ERR_OK)
		e = audit_record(r, "sopa.placement_import", "structure", site,
				 jarena(r, json_pack("{s:s, s:s}", "period", f[1], "student",
						     f[2])));
	return e;
}

const struct module_import sopa_imports[] = {
    {"sopa-placements", ctl_columns, 7, ctl_row},
    {0},
};
