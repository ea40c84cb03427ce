/*
 * SQL of the tutorat module. Every statement is tenant-bound: its first
 * placeholder, or each 'A' of its signature, is the request's académie.
 */
#include "tutorat_db.h"
#include "authz.h"
#include "db.h"
#include "req.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JNULLSTR(res, i, c) JSTR(db_str(res, i, c))
#define JNULLINT(res, i, c) (db_isnull(res, i, c) ? json_null() : json_integer(db_int(res, i, c)))

/* A JSON number from a DECIMAL column ("14.50"), or null. */
static json_t *jdecimal(const struct db_res *res, size_t i, const char *c)
{
	const char *s = db_str(res, i, c);

	return s != NULL ? json_real(strtod(s, NULL)) : json_null();
}

/* ======================================================================
 * Access
 * ====================================================================== */

/* The caller's place in the trio: current rows only. */
static const struct db_sql Q_ENROLMENT_CTX = {
    "SELECT e.id, e.trainee_id, e.year_id, e.referentiel_id, e.degre, e.parcours, e.category, "
    "(SELECT tm.role FROM trio_member tm WHERE tm.academy_id = e.academy_id "
    "  AND tm.enrolment_id = e.id AND tm.person_id = ? AND tm.ended_at IS NULL LIMIT 1), "
    "e.dossier_version, COALESCE(st.reference_version, 0) FROM enrolment e "
    "LEFT JOIN academy_state st ON st.academy_id = e.academy_id "
    "WHERE e.academy_id = ? AND e.id = ?",
    "iAi",
    DB_COLS("id", "trainee_id", "year_id", "referentiel_id", "degre", "parcours", "category",
	    "trio_role", "dossier_version", "reference_version")};

/* Pilots: the IEN of a circonscription of one of the trainee's schools,
 * the pilote of the pôle, the IA-IPR of the discipline, the direction. */
static const struct db_sql Q_ENROLMENT_PILOT = {
    "SELECT 1 FROM enrolment e JOIN role_assignment ra ON ra.academy_id = e.academy_id "
    "AND ra.person_id = ? WHERE e.academy_id = ? AND e.id = ? AND ("
    "  ra.role = 'direction_inspe' "
    "  OR (ra.role = 'pilote_pole' AND ra.scope_kind = 'pole' AND ra.scope_id = e.pole_id) "
    "  OR (ra.role = 'ia_ipr' AND ra.scope_kind = 'discipline' AND ra.scope_id = e.discipline_id) "
    "  OR (ra.role = 'ien' AND ra.scope_kind = 'circonscription' AND ra.scope_id IN ("
    "    SELECT s.parent_id FROM enrolment_place ep JOIN structure s ON s.academy_id = "
    "    ep.academy_id AND s.id = ep.school_id WHERE ep.academy_id = e.academy_id "
    "    AND ep.enrolment_id = e.id))) LIMIT 1",
    "iAi", DB_COLS("found")};

static const struct db_sql Q_DOSSIER_TOUCH = {
    "UPDATE enrolment SET dossier_version = dossier_version + 1 WHERE academy_id = ? AND id = ?",
    "i"};

enum err tdb_enrolment_ctx(struct req *r, int64_t enrolment_id, struct enrolment_ctx *out)
{
	struct db_res res;
	const char *trio;
	enum err e = db_one(r, &Q_ENROLMENT_CTX, &res, r->who.person_id, enrolment_id);

	if (e != ERR_OK)
		return e;
	memset(out, 0, sizeof(*out));
	out->id = db_int(&res, 0, "id");
	out->trainee_id = db_int(&res, 0, "trainee_id");
	out->year_id = db_int(&res, 0, "year_id");
	out->referentiel_id = db_int(&res, 0, "referentiel_id");
	out->degre = (int)db_int(&res, 0, "degre");
	snprintf(out->parcours, sizeof(out->parcours), "%s", db_str(&res, 0, "parcours"));
	snprintf(out->category, sizeof(out->category), "%s", db_str(&res, 0, "category"));
	trio = db_str(&res, 0, "trio_role");
	out->dossier_version = db_int(&res, 0, "dossier_version");
	out->reference_version = db_int(&res, 0, "reference_version");
	if (out->trainee_id == r->who.person_id)
		out->rel = REL_TRAINEE;
	else if (trio != NULL && strcmp(trio, "tuteur_terrain") == 0)
		out->rel = REL_TUTEUR_TERRAIN;
	else if (trio != NULL && strcmp(trio, "tuteur_inspe") == 0)
		out->rel = REL_TUTEUR_INSPE;
	return ERR_OK;
}

enum err tdb_is_pilot(struct req *r, int64_t enrolment_id, bool *pilot)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_ENROLMENT_PILOT, &res, r->who.person_id, enrolment_id);

	*pilot = e == ERR_OK && res.n_rows == 1;
	return e;
}

enum err tdb_dossier_touch(struct req *r, int64_t enrolment_id)
{
	return db_run(r, &Q_DOSSIER_TOUCH, NULL, enrolment_id);
}

static const struct db_sql Q_OWNER_FOLLOWUP = {
    "SELECT enrolment_id FROM followup WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("enrolment_id")};
static const struct db_sql Q_OWNER_BILAN = {
    "SELECT enrolment_id FROM bilan WHERE academy_id = ? AND id = ?", "i", DB_COLS("enrolment_id")};
static const struct db_sql Q_OWNER_ASSESSMENT = {
    "SELECT enrolment_id FROM self_assessment WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("enrolment_id")};
static const struct db_sql Q_OWNER_DOCUMENT = {
    "SELECT f.enrolment_id FROM document d JOIN followup f ON f.academy_id = d.academy_id "
    "AND f.id = d.followup_id WHERE d.academy_id = ? AND d.id = ?",
    "i", DB_COLS("enrolment_id")};

enum err tdb_owner_of(struct req *r, enum owned kind, int64_t id, int64_t *enrolment_id)
{
	static const struct db_sql *const by_kind[OWNED__MAX] = {
	    [OWNED_FOLLOWUP] = &Q_OWNER_FOLLOWUP,
	    [OWNED_BILAN] = &Q_OWNER_BILAN,
	    [OWNED_ASSESSMENT] = &Q_OWNER_ASSESSMENT,
	    [OWNED_DOCUMENT] = &Q_OWNER_DOCUMENT,
	};
	const struct db_sql *q = by_kind[kind];
	struct db_res res;
	enum err e = db_rows(r, q, &res, id);

	if (e != ERR_OK)
		return e;
	if (res.n_rows != 1)
		return ERR_NOT_FOUND;
	*enrolment_id = db_int(&res, 0, "enrolment_id");
	return ERR_OK;
}

/* ======================================================================
 * Reference data
 * ====================================================================== */

static const struct db_sql Q_CURRENT_YEAR = {
    "SELECT id FROM school_year WHERE academy_id = ? AND current", "", DB_COLS("id")};
static const struct db_sql Q_CURRENT_REFERENTIEL = {
    "SELECT id FROM referentiel WHERE academy_id = ? AND current ORDER BY version DESC LIMIT 1", "",
    DB_COLS("id")};

static enum err single_id(struct req *r, const struct db_sql *q, int64_t *out)
{
	struct db_res res;
	enum err e = db_rows(r, q, &res);

	if (e != ERR_OK)
		return e;
	if (res.n_rows == 0)
		return ERR_NOT_FOUND;
	*out = db_int(&res, 0, "id");
	return ERR_OK;
}

static const struct db_sql Q_YEAR_BY_LABEL = {
    "SELECT id FROM school_year WHERE academy_id = ? AND label = ?", "s", DB_COLS("id")};
static const struct db_sql Q_ENROLMENT_OF = {
    "SELECT id FROM enrolment WHERE academy_id = ? AND trainee_id = ? AND year_id = ?", "ii",
    DB_COLS("id")};
static const struct db_sql Q_STRUCTURE_NAMED = {
    "SELECT id FROM structure WHERE academy_id = ? AND kind = ? AND name = ? LIMIT 2", "ss",
    DB_COLS("id")};

enum err tdb_year_by_label(struct req *r, const char *label, int64_t *year_id)
{
	struct db_res res;
	enum err e = db_one(r, &Q_YEAR_BY_LABEL, &res, label);

	if (e != ERR_OK)
		return e;
	*year_id = db_int(&res, 0, "id");
	return ERR_OK;
}

enum err tdb_enrolment_of(struct req *r, int64_t trainee_id, int64_t year_id, int64_t *id)
{
	struct db_res res;
	enum err e = db_one(r, &Q_ENROLMENT_OF, &res, trainee_id, year_id);

	if (e != ERR_OK)
		return e;
	*id = db_int(&res, 0, "id");
	return ERR_OK;
}

enum err tdb_structure_named(struct req *r, const char *kind, const char *name, int64_t *id)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_STRUCTURE_NAMED, &res, kind, name);

	if (e != ERR_OK)
		return e;
	if (res.n_rows == 0)
		return ERR_NOT_FOUND;
	if (res.n_rows > 1)
		return ERR_CONFLICT;
	*id = db_int(&res, 0, "id");
	return ERR_OK;
}

enum err tdb_current_year(struct req *r, int64_t *year_id)
{
	return single_id(r, &Q_CURRENT_YEAR, year_id);
}

enum err tdb_current_referentiel(struct req *r, int64_t *referentiel_id)
{
	return single_id(r, &Q_CURRENT_REFERENTIEL, referentiel_id);
}

static const struct db_sql Q_REFERENTIEL = {
    "SELECT id, code, version, label FROM referentiel WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("id", "code", "version", "label")};
static const struct db_sql Q_REFERENTIEL_LEVELS = {
    "SELECT rank_no, label FROM referentiel_level WHERE academy_id = ? AND referentiel_id = ? "
    "ORDER BY rank_no",
    "i", DB_COLS("rank_no", "label")};
static const struct db_sql Q_REFERENTIEL_COMPETENCES = {
    "SELECT id, code, family, title FROM competence WHERE academy_id = ? AND referentiel_id = ? "
    "ORDER BY position",
    "i", DB_COLS("id", "code", "family", "title")};

enum err tdb_referentiel_json(struct req *r, int64_t id, json_t **out)
{
	struct db_res ref, lv, comp;
	json_t *levels, *comps;
	enum err e = db_rows(r, &Q_REFERENTIEL, &ref, id);

	if (e == ERR_OK && ref.n_rows != 1)
		return ERR_NOT_FOUND;
	if (e == ERR_OK)
		e = db_rows(r, &Q_REFERENTIEL_LEVELS, &lv, id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_REFERENTIEL_COMPETENCES, &comp, id);
	if (e != ERR_OK)
		return e;
	levels = json_array();
	for (size_t i = 0; i < lv.n_rows; i++)
		json_array_append_new(levels, json_pack("{s:I, s:s}", "rank",
							(json_int_t)db_int(&lv, i, "rank_no"),
							"label", db_str(&lv, i, "label")));
	comps = json_array();
	for (size_t i = 0; i < comp.n_rows; i++)
		json_array_append_new(comps, json_pack("{s:I, s:s, s:s, s:s}", "id",
						       (json_int_t)db_int(&comp, i, "id"), "code",
						       db_str(&comp, i, "code"), "family",
						       db_str(&comp, i, "family"), "title",
						       db_str(&comp, i, "title")));
	*out = json_pack("{s:I, s:s, s:I, s:s, s:o, s:o}", "id", (json_int_t)db_int(&ref, 0, "id"),
			 "code", db_str(&ref, 0, "code"), "version",
			 (json_int_t)db_int(&ref, 0, "version"), "label", db_str(&ref, 0, "label"),
			 "levels", levels, "competences", comps);
	return ERR_OK;
}

static const struct db_sql Q_GRID = {
    "SELECT id FROM competence WHERE academy_id = ? AND referentiel_id = ? "
    "AND family IN ('common', ?)",
    "is", DB_COLS("id")};
static const struct db_sql Q_MAX_LEVEL = {
    "SELECT COALESCE(MAX(rank_no), 0) FROM referentiel_level WHERE academy_id = ? "
    "AND referentiel_id = ?",
    "i", DB_COLS("max_rank")};

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
				    "Cette compétence n'est pas dans le référentiel du stagiaire.");
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

static const struct db_sql Q_PERSON_HAS_ROLE = {
    "SELECT 1 FROM role_assignment WHERE academy_id = ? AND person_id = ? AND role = ? LIMIT 1",
    "is", DB_COLS("found")};
static const struct db_sql Q_STRUCTURE_IS = {
    "SELECT 1 FROM structure WHERE academy_id = ? AND id = ? AND kind = ?", "is", DB_COLS("found")};

enum err tdb_person_has_role(struct req *r, int64_t person_id, const char *role)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_PERSON_HAS_ROLE, &res, person_id, role);

	return e != ERR_OK ? e : res.n_rows == 1 ? ERR_OK : ERR_NOT_FOUND;
}

enum err tdb_structure_is(struct req *r, int64_t id, const char *kind)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_STRUCTURE_IS, &res, id, kind);

	return e != ERR_OK ? e : res.n_rows == 1 ? ERR_OK : ERR_NOT_FOUND;
}

/* ======================================================================
 * Enrolments
 * ====================================================================== */

#define ENROLMENT_FIELDS                                                                           \
	"e.id, e.version, y.id AS year_id, y.label AS year_label, p.id AS trainee_id, "            \
	"p.display_name AS trainee_name, p.username AS trainee_username, e.parcours, e.degre, "    \
	"e.category, d.id AS discipline_id, d.name AS discipline_name, po.id AS pole_id, "         \
	"po.name AS pole_name, si.id AS site_id, si.name AS site_name, e.renouvellement, "         \
	"e.inspe_hours, e.referentiel_id "
/* The names of ENROLMENT_FIELDS, for DB_COLS. */
#define ENROLMENT_FIELD_NAMES                                                                      \
	"id", "version", "year_id", "year_label", "trainee_id", "trainee_name",                    \
	    "trainee_username", "parcours", "degre", "category", "discipline_id",                  \
	    "discipline_name", "pole_id", "pole_name", "site_id", "site_name", "renouvellement",   \
	    "inspe_hours", "referentiel_id"
#define ENROLMENT_JOINS                                                                            \
	"JOIN school_year y ON y.academy_id = e.academy_id AND y.id = e.year_id "                  \
	"JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "                    \
	"LEFT JOIN structure d ON d.academy_id = e.academy_id AND d.id = e.discipline_id "         \
	"LEFT JOIN structure po ON po.academy_id = e.academy_id AND po.id = e.pole_id "            \
	"LEFT JOIN structure si ON si.academy_id = e.academy_id AND si.id = e.inspe_site_id "
#define ENROLMENT_COLUMNS "SELECT " ENROLMENT_FIELDS "FROM enrolment e " ENROLMENT_JOINS

/* The scoped pilot rules on role_assignment ra for enrolment e: the
 * pilote of its pôle, the IA-IPR of its discipline, the IEN of a
 * circonscription of one of its schools. */
#define PILOT_SCOPES                                                                               \
	"(ra.role = 'pilote_pole' AND ra.scope_kind = 'pole' AND ra.scope_id = e.pole_id) "        \
	"OR (ra.role = 'ia_ipr' AND ra.scope_kind = 'discipline' "                                 \
	"  AND ra.scope_id = e.discipline_id) "                                                    \
	"OR (ra.role = 'ien' AND ra.scope_kind = 'circonscription' AND ra.scope_id IN ("           \
	"  SELECT s.parent_id FROM enrolment_place ep JOIN structure s ON s.academy_id = "         \
	"  ep.academy_id AND s.id = ep.school_id WHERE ep.academy_id = e.academy_id "              \
	"  AND ep.enrolment_id = e.id)) "

/* The enrolments someone may see: all of them for managers and the
 * direction (all = 1), else those they are trainee, tutor or pilot of. */
#define ENROLMENT_VISIBLE                                                                          \
	"WHERE e.academy_id = ? AND (? IS NULL OR e.year_id = ?) "                                 \
	"AND (? IS NULL OR p.display_name LIKE ? OR p.username LIKE ?) "                           \
	"AND (? OR e.trainee_id = ? "                                                              \
	"  OR EXISTS (SELECT 1 FROM trio_member tm WHERE tm.academy_id = e.academy_id "            \
	"    AND tm.enrolment_id = e.id AND tm.person_id = ? AND tm.ended_at IS NULL) "            \
	"  OR EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = e.academy_id "        \
	"    AND ra.person_id = ? AND (" PILOT_SCOPES "))) "

/*
 * One page of the list in one statement. The inner query orders the
 * visible enrolments and keeps the page's ids, with the total of the
 * filter; the outer one reads the page's columns and, per row, what the
 * caller's relation needs (as tdb_enrolment_ctx and tdb_is_pilot read it
 * for one enrolment): their role in the trio, whether a pilot rule
 * applies. Joins and subqueries thus run for the page's rows only.
 */
static const struct db_sql Q_ENROLMENT_PAGE = {
    "SELECT " ENROLMENT_FIELDS ", "
    "(SELECT tm.role FROM trio_member tm WHERE tm.academy_id = e.academy_id "
    "  AND tm.enrolment_id = e.id AND tm.person_id = ? AND tm.ended_at IS NULL LIMIT 1) "
    "AS trio_role, "
    "EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = e.academy_id "
    "  AND ra.person_id = ? AND (ra.role = 'direction_inspe' OR " PILOT_SCOPES ")) AS pilot, "
    "pg.total FROM (SELECT e.id, p.display_name, COUNT(*) OVER () AS total FROM enrolment e "
    "  JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id " ENROLMENT_VISIBLE
    "  ORDER BY p.display_name, e.id LIMIT ? OFFSET ?) pg "
    "JOIN enrolment e ON e.academy_id = ? AND e.id = pg.id " ENROLMENT_JOINS
    "ORDER BY pg.display_name, pg.id",
    "iiAzzsssiiiiiiA", DB_COLS(ENROLMENT_FIELD_NAMES, "trio_role", "pilot", "total")};
/* The page's places and current tutors, for all its rows at once: the
 * JSON array of their ids is the one parameter after the académie. */
#define PAGE_IDS "IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) j) "
static const struct db_sql Q_PAGE_PLACES = {
    "SELECT ep.enrolment_id, ep.id, s.id AS school_id, s.name AS school_name, "
    "s.code AS school_code, ep.class_label FROM enrolment_place ep "
    "JOIN structure s ON s.academy_id = ep.academy_id AND s.id = ep.school_id "
    "WHERE ep.academy_id = ? AND ep.enrolment_id " PAGE_IDS "ORDER BY ep.enrolment_id, ep.id",
    "s", DB_COLS("enrolment_id", "id", "school_id", "school_name", "school_code", "class_label")};
static const struct db_sql Q_PAGE_TUTORS = {
    "SELECT tm.enrolment_id, tm.role, p.id, p.display_name, p.email FROM trio_member tm "
    "JOIN person p ON p.academy_id = tm.academy_id AND p.id = tm.person_id "
    "WHERE tm.academy_id = ? AND tm.enrolment_id " PAGE_IDS "AND tm.ended_at IS NULL "
    "ORDER BY tm.enrolment_id, tm.role, tm.id",
    "s", DB_COLS("enrolment_id", "role", "id", "display_name", "email")};
static const struct db_sql Q_ENROLMENT_COUNT = {
    "SELECT COUNT(*) FROM enrolment e JOIN person p ON p.academy_id = e.academy_id "
    "AND p.id = e.trainee_id " ENROLMENT_VISIBLE,
    "zzsssiiii", DB_COLS("n")};
static const struct db_sql Q_ENROLMENT_ONE = {
    ENROLMENT_COLUMNS "WHERE e.academy_id = ? AND e.id = ?", "i", DB_COLS(ENROLMENT_FIELD_NAMES)};
static const struct db_sql Q_ENROLMENT_PLACES = {
    "SELECT ep.id, s.id AS school_id, s.name AS school_name, s.code AS school_code, "
    "ep.class_label FROM enrolment_place ep "
    "JOIN structure s ON s.academy_id = ep.academy_id AND s.id = ep.school_id "
    "WHERE ep.academy_id = ? AND ep.enrolment_id = ? ORDER BY ep.id",
    "i", DB_COLS("id", "school_id", "school_name", "school_code", "class_label")};
static const struct db_sql Q_ENROLMENT_TUTORS = {
    "SELECT tm.role, p.id, p.display_name, p.email FROM trio_member tm "
    "JOIN person p ON p.academy_id = tm.academy_id AND p.id = tm.person_id "
    "WHERE tm.academy_id = ? AND tm.enrolment_id = ? AND tm.ended_at IS NULL",
    "i", DB_COLS("role", "id", "display_name", "email")};

/* {id, name} from two columns, or null when the id is. */
static json_t *ref_or_null(const struct db_res *res, size_t i, const char *id_col,
			   const char *name_col)
{
	if (db_isnull(res, i, id_col))
		return json_null();
	return json_pack("{s:I, s:s}", "id", (json_int_t)db_int(res, i, id_col), "name",
			 db_str(res, i, name_col));
}

/* Rows [from, to) of a result: the places or the tutors of one enrolment. */
struct rows {
	const struct db_res *res;
	size_t from, to;
};

/* The first row of res (ordered by its enrolment_id) about enrolment id. */
static size_t first_row_of(const struct db_res *res, int64_t id)
{
	size_t lo = 0, hi = res->n_rows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (db_int(res, mid, "enrolment_id") < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The rows of res (ordered by enrolment_id) about enrolment id. */
static struct rows rows_of(const struct db_res *res, int64_t id)
{
	struct rows r = {res, first_row_of(res, id), 0};

	r.to = r.from;
	while (r.to < res->n_rows && db_int(res, r.to, "enrolment_id") == id)
		r.to++;
	return r;
}

static struct rows all_rows(const struct db_res *res) { return (struct rows){res, 0, res->n_rows}; }

/* The enrolment row i of res, with its places and current tutors (rows of
 * the one-enrolment statements or of the page's, which name their columns
 * alike). */
static enum err enrolment_build(struct req *r, const struct db_res *res, size_t i,
				struct rows places, struct rows tutors, json_t **out)
{
	int64_t id = db_int(res, i, "id");
	json_t *pl, *tu;

	pl = json_array();
	for (size_t k = places.from; k < places.to; k++)
		json_array_append_new(
		    pl, json_pack("{s:I, s:{s:I, s:s, s:o}, s:o}", "id",
				  (json_int_t)db_int(places.res, k, "id"), "school", "id",
				  (json_int_t)db_int(places.res, k, "school_id"), "name",
				  db_str(places.res, k, "school_name"), "code",
				  JNULLSTR(places.res, k, "school_code"), "class_label",
				  JNULLSTR(places.res, k, "class_label")));
	tu = json_pack("{s:n, s:n}", "tuteur_terrain", "tuteur_inspe");
	for (size_t k = tutors.from; k < tutors.to; k++)
		json_object_set_new(tu, db_str(tutors.res, k, "role"),
				    json_pack("{s:I, s:s, s:o}", "id",
					      (json_int_t)db_int(tutors.res, k, "id"),
					      "display_name", db_str(tutors.res, k, "display_name"),
					      "email", JNULLSTR(tutors.res, k, "email")));
	*out = json_pack(
	    "{s:I, s:I, s:{s:I, s:s}, s:{s:I, s:s, s:s}, s:s, s:I, s:s, s:o, s:o, "
	    "s:o, s:b, s:o, s:I, s:o, s:o}",
	    "id", (json_int_t)id, "version", (json_int_t)db_int(res, i, "version"), "year", "id",
	    (json_int_t)db_int(res, i, "year_id"), "label", db_str(res, i, "year_label"), "trainee",
	    "id", (json_int_t)db_int(res, i, "trainee_id"), "display_name",
	    db_str(res, i, "trainee_name"), "username", db_str(res, i, "trainee_username"),
	    "parcours", db_str(res, i, "parcours"), "degre", (json_int_t)db_int(res, i, "degre"),
	    "category", db_str(res, i, "category"), "discipline",
	    ref_or_null(res, i, "discipline_id", "discipline_name"), "pole",
	    ref_or_null(res, i, "pole_id", "pole_name"), "inspe_site",
	    ref_or_null(res, i, "site_id", "site_name"), "renouvellement",
	    db_int(res, i, "renouvellement") != 0, "inspe_hours", jdecimal(res, i, "inspe_hours"),
	    "referentiel_id", (json_int_t)db_int(res, i, "referentiel_id"), "places", pl, "tutors",
	    tu);
	return *out != NULL ? ERR_OK : fail_internal(r, ERR_INTERNAL, "enrolment json");
}

/* "[id,id,...]": the ids of a page, the parameter of PAGE_IDS. */
static const char *page_ids(struct req *r, const struct enrolment_ctx *ctx, size_t n)
{
	char *s = arena_alloc(r->arena, n * 21 + 3), *p = s;

	if (s == NULL)
		return NULL;
	*p++ = '[';
	for (size_t i = 0; i < n; i++)
		p += snprintf(p, 22, "%s%lld", i > 0 ? "," : "", (long long)ctx[i].id);
	*p++ = ']';
	*p = '\0';
	return s;
}

enum err tdb_enrolment_list(struct req *r, int64_t year_id, const char *q, int64_t limit,
			    int64_t offset, bool all, struct enrolment_page *out)
{
	const char *like = db_like_contains(r, q), *ids;
	int64_t me = r->who.person_id;
	struct db_res res, count, places, tutors;
	enum err e;

	memset(out, 0, sizeof(*out));
	e = db_rows(r, &Q_ENROLMENT_PAGE, &res, me, me, year_id, year_id, q, like, like,
		    (int64_t)all, me, me, me, limit, offset);
	if (e != ERR_OK)
		return e;
	out->items = json_array();
	if (res.n_rows == 0) {
		/* Past the end: the total needs a statement of its own. */
		if (offset > 0)
			e = db_one(r, &Q_ENROLMENT_COUNT, &count, year_id, year_id, q, like, like,
				   (int64_t)all, me, me, me);
		out->total = e == ERR_OK && offset > 0 ? db_int(&count, 0, "n") : 0;
		return e;
	}
	out->total = db_total(&res);
	out->n = res.n_rows;
	out->ctx = arena_zalloc(r->arena, res.n_rows * sizeof(*out->ctx));
	out->pilot = arena_zalloc(r->arena, res.n_rows * sizeof(*out->pilot));
	if (out->ctx == NULL || out->pilot == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	for (size_t i = 0; i < res.n_rows; i++) {
		struct enrolment_ctx *c = &out->ctx[i];
		const char *trio = db_str(&res, i, "trio_role");

		c->id = db_int(&res, i, "id");
		c->year_id = db_int(&res, i, "year_id");
		c->trainee_id = db_int(&res, i, "trainee_id");
		snprintf(c->parcours, sizeof(c->parcours), "%s", db_str(&res, i, "parcours"));
		c->degre = (int)db_int(&res, i, "degre");
		snprintf(c->category, sizeof(c->category), "%s", db_str(&res, i, "category"));
		c->referentiel_id = db_int(&res, i, "referentiel_id");
		if (c->trainee_id == me)
			c->rel = REL_TRAINEE;
		else if (trio != NULL && strcmp(trio, "tuteur_terrain") == 0)
			c->rel = REL_TUTEUR_TERRAIN;
		else if (trio != NULL && strcmp(trio, "tuteur_inspe") == 0)
			c->rel = REL_TUTEUR_INSPE;
		out->pilot[i] = db_bool(&res, i, "pilot");
	}
	ids = page_ids(r, out->ctx, out->n);
	if (ids == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	e = db_rows(r, &Q_PAGE_PLACES, &places, ids);
	if (e == ERR_OK)
		e = db_rows(r, &Q_PAGE_TUTORS, &tutors, ids);
	for (size_t i = 0; e == ERR_OK && i < res.n_rows; i++) {
		json_t *one;

		e = enrolment_build(r, &res, i, rows_of(&places, out->ctx[i].id),
				    rows_of(&tutors, out->ctx[i].id), &one);
		if (e == ERR_OK)
			json_array_append_new(out->items, one);
	}
	return e;
}

enum err tdb_enrolment_json(struct req *r, int64_t id, enum relation rel, json_t **out)
{
	struct db_res res, places, tutors;
	enum err e = db_one(r, &Q_ENROLMENT_ONE, &res, id);

	if (e == ERR_OK)
		e = db_rows(r, &Q_ENROLMENT_PLACES, &places, id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_ENROLMENT_TUTORS, &tutors, id);
	if (e == ERR_OK)
		e = enrolment_build(r, &res, 0, all_rows(&places), all_rows(&tutors), out);
	if (e == ERR_OK)
		json_object_set_new(*out, "relation", json_string(relation_name(rel)));
	return e;
}

static const struct db_sql Q_ENROLMENT_INSERT = {
    "INSERT INTO enrolment (academy_id, id, year_id, trainee_id, parcours, degre, category, "
    "discipline_id, pole_id, inspe_site_id, renouvellement, referentiel_id, inspe_hours, "
    "created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3), 1)",
    "iiisiszzziis"};
/* A place is the pair (school, class): sending a place the enrolment
 * already has (a visited one kept by an update) adds nothing. */
static const struct db_sql Q_PLACE_INSERT = {
    "INSERT INTO enrolment_place (academy_id, id, enrolment_id, school_id, class_label) "
    "SELECT ?, ?, ?, ?, ? FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM enrolment_place p "
    "WHERE p.academy_id = ? AND p.enrolment_id = ? AND p.school_id = ? "
    "AND p.class_label <=> ?)",
    "AiiisAiis"};
static const struct db_sql Q_PLACES_UNUSED_DELETE = {
    "DELETE FROM enrolment_place WHERE academy_id = ? AND enrolment_id = ? AND NOT EXISTS ("
    "SELECT 1 FROM followup f WHERE f.academy_id = enrolment_place.academy_id "
    "AND f.place_id = enrolment_place.id)",
    "i"};
static const struct db_sql Q_ENROLMENT_UPDATE = {
    "UPDATE enrolment SET parcours = IF(?, ?, parcours), degre = IF(?, ?, degre), "
    "category = IF(?, ?, category), discipline_id = IF(?, ?, discipline_id), "
    "pole_id = IF(?, ?, pole_id), inspe_site_id = IF(?, ?, inspe_site_id), "
    "renouvellement = IF(?, ?, renouvellement), "
    "inspe_hours = IF(renouvellement, 7, 5), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ?",
    "isiiisiziziziiAii"};
static const struct db_sql Q_ENROLMENT_EXISTS = {
    "SELECT version FROM enrolment WHERE academy_id = ? AND id = ?", "i", DB_COLS("version")};

enum err tdb_enrolment_add_places(struct req *r, int64_t enrolment_id, json_t *places)
{
	size_t i;
	json_t *p;

	json_array_foreach(places, i, p)
	{
		int64_t school = json_integer_value(json_object_get(p, "school_id"));
		json_t *cl = json_object_get(p, "class_label");
		enum err e = tdb_structure_is(r, school, "school");

		if (e == ERR_NOT_FOUND)
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "places[%zu].school_id", i),
				    "École ou établissement inconnu.");
		if (e == ERR_OK) {
			const char *label = json_is_string(cl) ? json_string_value(cl) : NULL;

			e = db_run(r, &Q_PLACE_INSERT, NULL, random_id(), enrolment_id, school,
				   label, enrolment_id, school, label);
		}
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

/* Optional references must name a structure of the right kind. */
static enum err check_refs(struct req *r, const struct enrolment_input *in)
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
				    "Structure inconnue ou d'un autre type.");
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

enum err tdb_enrolment_create(struct req *r, const struct enrolment_input *in, int64_t *id)
{
	int64_t ref;
	enum err e = check_refs(r, in);

	if (e == ERR_OK)
		e = tdb_current_referentiel(r, &ref);
	if (e == ERR_NOT_FOUND)
		return fail(r, ERR_CONFLICT, NULL,
			    "Aucun référentiel de compétences n'est chargé.");
	if (e != ERR_OK)
		return e;
	*id = random_id();
	e = db_run(r, &Q_ENROLMENT_INSERT, NULL, *id, in->year_id, in->trainee_id, in->parcours,
		   in->degre, in->category, in->discipline_id, in->pole_id, in->inspe_site_id,
		   (int64_t)in->renouvellement, ref, in->renouvellement ? "7" : "5");
	if (e == ERR_DUPLICATE)
		return fail(r, ERR_CONFLICT, "trainee_id",
			    "Ce stagiaire est déjà inscrit pour cette année scolaire.");
	if (e == ERR_REFERENCE)
		return fail(r, ERR_INVALID_FIELD, "year_id",
			    "Année scolaire ou personne inconnue.");
	if (e == ERR_OK && in->places != NULL)
		e = tdb_enrolment_add_places(r, *id, in->places);
	return e;
}

enum err tdb_enrolment_update(struct req *r, int64_t id, int64_t version,
			      const struct enrolment_input *in)
{
	uint64_t changed = 0;
	enum err e = check_refs(r, in);

	if (e != ERR_OK)
		return e;
	e = db_run(r, &Q_ENROLMENT_UPDATE, &changed, (int64_t)in->set_parcours, in->parcours,
		   (int64_t)in->set_degre, in->degre, (int64_t)in->set_category, in->category,
		   (int64_t)in->set_discipline, in->discipline_id, (int64_t)in->set_pole,
		   in->pole_id, (int64_t)in->set_site, in->inspe_site_id, (int64_t)in->set_renouv,
		   (int64_t)in->renouvellement, id, version);
	if (e != ERR_OK)
		return e;
	if (changed != 1)
		return db_stale_or_missing(r, &Q_ENROLMENT_EXISTS, id);
	if (in->places != NULL) {
		/* Places already visited stay (their follow-ups point at them). */
		e = db_run(r, &Q_PLACES_UNUSED_DELETE, NULL, id);
		if (e == ERR_OK)
			e = tdb_enrolment_add_places(r, id, in->places);
	}
	return e;
}

static const struct db_sql Q_TUTOR_CURRENT = {
    "SELECT id, person_id FROM trio_member WHERE academy_id = ? AND enrolment_id = ? "
    "AND role = ? AND ended_at IS NULL FOR UPDATE",
    "is", DB_COLS("id", "person_id")};
static const struct db_sql Q_TUTOR_END = {
    "UPDATE trio_member SET ended_at = NOW(3) WHERE academy_id = ? AND id = ?", "i"};
static const struct db_sql Q_TUTOR_INSERT = {
    "INSERT INTO trio_member (academy_id, id, enrolment_id, person_id, role, started_at) "
    "VALUES (?, ?, ?, ?, ?, NOW(3))",
    "iiis"};

enum err tdb_set_tutor(struct req *r, int64_t enrolment_id, const char *role, int64_t person_id,
		       bool *changed)
{
	struct db_res cur;
	enum err e = db_rows(r, &Q_TUTOR_CURRENT, &cur, enrolment_id, role);

	*changed = false;
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < cur.n_rows; i++) {
		if (db_int(&cur, i, "person_id") == person_id)
			return ERR_OK; /* already the tutor */
		e = db_run(r, &Q_TUTOR_END, NULL, db_int(&cur, i, "id"));
		if (e != ERR_OK)
			return e;
	}
	*changed = true;
	return db_run(r, &Q_TUTOR_INSERT, NULL, random_id(), enrolment_id, person_id, role);
}

/* ======================================================================
 * Self-assessment: every revision kept
 * ====================================================================== */

static const struct db_sql Q_SA_LIST = {
    "SELECT sa.id, sa.revision, sa.priorities, DATE_FORMAT(sa.created_at, '%Y-%m-%dT%H:%i:%sZ'), "
    "p.id AS author_id, p.display_name AS author_name FROM self_assessment sa JOIN person p "
    "ON p.academy_id = "
    "sa.academy_id AND p.id = sa.author_id WHERE sa.academy_id = ? AND sa.enrolment_id = ? "
    "ORDER BY sa.revision DESC",
    "i", DB_COLS("id", "revision", "priorities", "created_at", "author_id", "author_name")};
static const struct db_sql Q_SA_ITEMS = {
    "SELECT i.assessment_id, i.competence_id, i.level_rank, i.comment "
    "FROM self_assessment_item i JOIN self_assessment sa ON sa.academy_id = i.academy_id "
    "AND sa.id = i.assessment_id WHERE i.academy_id = ? AND sa.enrolment_id = ?",
    "i", DB_COLS("assessment_id", "competence_id", "level_rank", "comment")};
static const struct db_sql Q_SA_COMMENTS = {
    "SELECT c.assessment_id, c.id, p.id AS author_id, p.display_name AS author_name, c.body, "
    "DATE_FORMAT(c.created_at, '%Y-%m-%dT%H:%i:%sZ') FROM self_assessment_comment c "
    "JOIN self_assessment sa ON sa.academy_id = c.academy_id AND sa.id = c.assessment_id "
    "JOIN person p ON p.academy_id = c.academy_id AND p.id = c.author_id "
    "WHERE c.academy_id = ? AND sa.enrolment_id = ? ORDER BY c.created_at",
    "i", DB_COLS("assessment_id", "id", "author_id", "author_name", "body", "created_at")};
static const struct db_sql Q_SA_NEXT = {
    "SELECT COALESCE(MAX(revision), 0) + 1 FROM self_assessment WHERE academy_id = ? "
    "AND enrolment_id = ? FOR UPDATE",
    "i", DB_COLS("next_revision")};
static const struct db_sql Q_SA_INSERT = {
    "INSERT INTO self_assessment (academy_id, id, enrolment_id, revision, priorities, author_id, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3))",
    "iiisi"};
static const struct db_sql Q_SA_ITEM_INSERT = {
    "INSERT INTO self_assessment_item (academy_id, assessment_id, competence_id, level_rank, "
    "comment) VALUES (?, ?, ?, ?, ?)",
    "iiis"};
static const struct db_sql Q_SA_COMMENT_INSERT = {
    "INSERT INTO self_assessment_comment (academy_id, id, assessment_id, author_id, body, "
    "created_at) VALUES (?, ?, ?, ?, ?, NOW(3))",
    "iiis"};

/* {id, display_name} of a person from two columns. */
static json_t *person_ref(const struct db_res *res, size_t i, const char *id_col,
			  const char *name_col)
{
	return json_pack("{s:I, s:s}", "id", (json_int_t)db_int(res, i, id_col), "display_name",
			 db_str(res, i, name_col));
}

enum err tdb_assessments_json(struct req *r, const struct enrolment_ctx *en, json_t **out)
{
	int64_t enrolment_id = en->id;
	struct db_res sa, items, comments;
	enum err e = db_rows(r, &Q_SA_LIST, &sa, enrolment_id);
	json_t *list;

	if (e == ERR_OK)
		e = db_rows(r, &Q_SA_ITEMS, &items, enrolment_id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_SA_COMMENTS, &comments, enrolment_id);
	if (e != ERR_OK)
		return e;
	list = json_array();
	for (size_t i = 0; i < sa.n_rows; i++) {
		int64_t id = db_int(&sa, i, "id");
		json_t *its = json_array(), *cms = json_array();

		for (size_t k = 0; k < items.n_rows; k++)
			if (db_int(&items, k, "assessment_id") == id)
				json_array_append_new(
				    its,
				    json_pack("{s:I, s:I, s:o}", "competence_id",
					      (json_int_t)db_int(&items, k, "competence_id"),
					      "level", (json_int_t)db_int(&items, k, "level_rank"),
					      "comment", JNULLSTR(&items, k, "comment")));
		for (size_t k = 0; k < comments.n_rows; k++)
			if (db_int(&comments, k, "assessment_id") == id)
				json_array_append_new(
				    cms,
				    json_pack("{s:I, s:o, s:s, s:s}", "id",
					      (json_int_t)db_int(&comments, k, "id"), "author",
					      person_ref(&comments, k, "author_id", "author_name"),
					      "body", db_str(&comments, k, "body"), "created_at",
					      db_str(&comments, k, "created_at")));
		json_array_append_new(
		    list, json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)id,
				    "revision", (json_int_t)db_int(&sa, i, "revision"),
				    "priorities", db_str(&sa, i, "priorities"), "created_at",
				    db_str(&sa, i, "created_at"), "author",
				    person_ref(&sa, i, "author_id", "author_name"), "items", its,
				    "comments", cms));
	}
	*out = json_pack("{s:o}", "items", list);
	return ERR_OK;
}

enum err tdb_assessment_create(struct req *r, int64_t enrolment_id, const char *priorities,
			       json_t *items, int64_t *id, int64_t *revision)
{
	struct db_res next;
	enum err e = db_rows(r, &Q_SA_NEXT, &next, enrolment_id);
	size_t i;
	json_t *it;

	if (e != ERR_OK)
		return e;
	*revision = db_int(&next, 0, "next_revision");
	*id = random_id();
	e = db_run(r, &Q_SA_INSERT, NULL, *id, enrolment_id, *revision, priorities,
		   r->who.person_id);
	json_array_foreach(items, i, it)
	{
		json_t *c = json_object_get(it, "comment");

		if (e != ERR_OK)
			break;
		e = db_run(r, &Q_SA_ITEM_INSERT, NULL, *id,
			   (int64_t)json_integer_value(json_object_get(it, "competence_id")),
			   (int64_t)json_integer_value(json_object_get(it, "level")),
			   json_is_string(c) ? json_string_value(c) : NULL);
	}
	return e;
}

enum err tdb_assessment_comment(struct req *r, int64_t assessment_id, const char *body, int64_t *id)
{
	*id = random_id();
	return db_run(r, &Q_SA_COMMENT_INSERT, NULL, *id, assessment_id, r->who.person_id, body);
}

/* ======================================================================
 * Follow-up times
 * ====================================================================== */

static const struct db_sql Q_PLACE_BELONGS = {
    "SELECT 1 FROM enrolment_place WHERE academy_id = ? AND id = ? AND enrolment_id = ?", "ii",
    DB_COLS("found")};
static const struct db_sql Q_FOLLOWUP_INSERT = {
    "INSERT INTO followup (academy_id, id, enrolment_id, kind, state, scheduled_at, place_id, "
    "with_terrain, with_inspe, created_by, created_at, updated_at, version) "
    "VALUES (?, ?, ?, ?, 'planned', ?, ?, ?, ?, ?, NOW(3), NOW(3), 1)",
    "iissziii"};
static const struct db_sql Q_FOLLOWUP_GET = {
    "SELECT id, version, enrolment_id, kind, state, DATE_FORMAT(scheduled_at, '%Y-%m-%dT%H:%i'), "
    "place_id, with_terrain, with_inspe, points_to_observe, expectations, observation_notes, "
    "analyses, remediations, action_paths, points_appui, axes_evolution, priorities, "
    "cancel_reason, DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%sZ') "
    "FROM followup WHERE academy_id = ? AND id = ?",
    "i",
    DB_COLS("id", "version", "enrolment_id", "kind", "state", "scheduled_at", "place_id",
	    "with_terrain", "with_inspe", "points_to_observe", "expectations", "observation_notes",
	    "analyses", "remediations", "action_paths", "points_appui", "axes_evolution",
	    "priorities", "cancel_reason", "updated_at")};
static const struct db_sql Q_FOLLOWUP_LEVELS = {
    "SELECT competence_id, level_rank FROM followup_level WHERE academy_id = ? "
    "AND followup_id = ? ORDER BY competence_id",
    "i", DB_COLS("competence_id", "level_rank")};
static const struct db_sql Q_FOLLOWUP_TRACES = {
    "SELECT author, retained, axes, body, published_at IS NOT NULL, version, "
    "DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%sZ') FROM trace WHERE academy_id = ? "
    "AND followup_id = ?",
    "i", DB_COLS("author", "retained", "axes", "body", "published", "version", "updated_at")};
static const struct db_sql Q_FOLLOWUP_DOCUMENTS = {
    "SELECT d.id, d.filename, d.content_type, d.size_bytes, d.uploaded_by, p.display_name, "
    "DATE_FORMAT(d.created_at, '%Y-%m-%dT%H:%i:%sZ') FROM document d JOIN person p ON "
    "p.academy_id = d.academy_id AND p.id = d.uploaded_by WHERE d.academy_id = ? "
    "AND d.followup_id = ? ORDER BY d.created_at",
    "i",
    DB_COLS("id", "filename", "content_type", "size_bytes", "uploaded_by", "display_name",
	    "created_at")};
static const struct db_sql Q_FOLLOWUP_STATE = {
    "SELECT state, version FROM followup WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("state", "version")};
static const struct db_sql Q_FOLLOWUP_EXISTS = {
    "SELECT version FROM followup WHERE academy_id = ? AND id = ?", "i", DB_COLS("version")};
static const struct db_sql Q_FOLLOWUP_PLAN = {
    "UPDATE followup SET scheduled_at = IF(?, ?, scheduled_at), place_id = IF(?, ?, place_id), "
    "with_terrain = IF(?, ?, with_terrain), with_inspe = IF(?, ?, with_inspe), "
    "updated_at = NOW(3), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ? AND state <> 'cancelled'",
    "isiziiiiAii"};
static const struct db_sql Q_FOLLOWUP_DEBRIEF = {
    "UPDATE followup SET analyses = ?, remediations = ?, action_paths = ?, points_appui = ?, "
    "axes_evolution = ?, priorities = ?, state = 'debriefed', updated_at = NOW(3), "
    "version = version + 1 WHERE academy_id = ? AND id = ? AND version = ? "
    "AND state <> 'cancelled'",
    "ssssssAii"};
static const struct db_sql Q_FOLLOWUP_LEVELS_DELETE = {
    "DELETE FROM followup_level WHERE academy_id = ? AND followup_id = ?", "i"};
static const struct db_sql Q_FOLLOWUP_LEVEL_INSERT = {
    "INSERT INTO followup_level (academy_id, followup_id, competence_id, level_rank) "
    "VALUES (?, ?, ?, ?)",
    "iii"};
static const struct db_sql Q_FOLLOWUP_CANCEL = {
    "UPDATE followup SET state = 'cancelled', cancel_reason = ?, updated_at = NOW(3), "
    "version = version + 1 WHERE academy_id = ? AND id = ?",
    "sAi"};

enum err tdb_place_belongs(struct req *r, int64_t enrolment_id, int64_t place_id)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_PLACE_BELONGS, &res, place_id, enrolment_id);

	return e != ERR_OK ? e : res.n_rows == 1 ? ERR_OK : ERR_NOT_FOUND;
}

enum err tdb_followup_create(struct req *r, int64_t enrolment_id, const struct followup_plan *p,
			     int64_t *id)
{
	*id = random_id();
	return db_run(r, &Q_FOLLOWUP_INSERT, NULL, *id, enrolment_id, p->kind, p->scheduled_at,
		      p->place_id, (int64_t)p->with_terrain, (int64_t)p->with_inspe,
		      r->who.person_id);
}

/* The follow-up as its reader may see it: the trainee's feedback reaches
 * the tutors once submitted; the tutors' trace reaches the trainee once
 * published. */
enum err tdb_followup_json(struct req *r, int64_t id, enum relation rel, json_t **out)
{
	static const char *const texts[] = {
	    "points_to_observe", "expectations", "observation_notes", "analyses",
	    "remediations",	 "action_paths", "points_appui",      "axes_evolution",
	    "priorities",	 "cancel_reason"};
	struct db_res f, lv, tr, docs;
	json_t *o, *levels, *documents, *feedback = json_null(), *trace = json_null();
	enum err e = db_rows(r, &Q_FOLLOWUP_GET, &f, id);

	if (e == ERR_OK && f.n_rows != 1)
		e = ERR_NOT_FOUND;
	if (e == ERR_OK)
		e = db_rows(r, &Q_FOLLOWUP_LEVELS, &lv, id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_FOLLOWUP_TRACES, &tr, id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_FOLLOWUP_DOCUMENTS, &docs, id);
	if (e != ERR_OK)
		return e;
	o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:o, s:b, s:b, s:s}", "id",
		      (json_int_t)db_int(&f, 0, "id"), "version",
		      (json_int_t)db_int(&f, 0, "version"), "enrolment_id",
		      (json_int_t)db_int(&f, 0, "enrolment_id"), "kind", db_str(&f, 0, "kind"),
		      "state", db_str(&f, 0, "state"), "scheduled_at",
		      db_str(&f, 0, "scheduled_at"), "place_id", JNULLINT(&f, 0, "place_id"),
		      "with_terrain", db_int(&f, 0, "with_terrain") != 0, "with_inspe",
		      db_int(&f, 0, "with_inspe") != 0, "updated_at", db_str(&f, 0, "updated_at"));
	for (size_t i = 0; i < ARRAY_LEN(texts); i++)
		json_object_set_new(o, texts[i], JNULLSTR(&f, 0, texts[i]));
	levels = json_array();
	for (size_t i = 0; i < lv.n_rows; i++)
		json_array_append_new(levels,
				      json_pack("{s:I, s:I}", "competence_id",
						(json_int_t)db_int(&lv, i, "competence_id"),
						"level", (json_int_t)db_int(&lv, i, "level_rank")));
	for (size_t i = 0; i < tr.n_rows; i++) {
		bool published = db_int(&tr, i, "published") != 0;

		if (strcmp(db_str(&tr, i, "author"), "trainee") == 0) {
			if (rel == REL_TRAINEE || published)
				feedback =
				    json_pack("{s:o, s:o, s:b, s:I, s:s}", "retained",
					      JNULLSTR(&tr, i, "retained"), "axes",
					      JNULLSTR(&tr, i, "axes"), "submitted", published,
					      "version", (json_int_t)db_int(&tr, i, "version"),
					      "updated_at", db_str(&tr, i, "updated_at"));
		} else if (rel != REL_TRAINEE || published) {
			trace = json_pack("{s:o, s:b, s:I, s:s}", "body", JNULLSTR(&tr, i, "body"),
					  "published", published, "version",
					  (json_int_t)db_int(&tr, i, "version"), "updated_at",
					  db_str(&tr, i, "updated_at"));
		}
	}
	documents = json_array();
	for (size_t i = 0; i < docs.n_rows; i++)
		json_array_append_new(
		    documents, json_pack("{s:I, s:s, s:s, s:I, s:o, s:s}", "id",
					 (json_int_t)db_int(&docs, i, "id"), "filename",
					 db_str(&docs, i, "filename"), "content_type",
					 db_str(&docs, i, "content_type"), "size",
					 (json_int_t)db_int(&docs, i, "size_bytes"), "uploaded_by",
					 person_ref(&docs, i, "uploaded_by", "display_name"),
					 "created_at", db_str(&docs, i, "created_at")));
	json_object_set_new(o, "levels", levels);
	json_object_set_new(o, "feedback", feedback);
	json_object_set_new(o, "trace", trace);
	json_object_set_new(o, "documents", documents);
	*out = o;
	return ERR_OK;
}

enum err tdb_followup_state(struct req *r, int64_t id, const char **state, int64_t *version)
{
	struct db_res res;
	enum err e = db_one(r, &Q_FOLLOWUP_STATE, &res, id);

	if (e != ERR_OK)
		return e;
	*state = db_str(&res, 0, "state");
	*version = db_int(&res, 0, "version");
	return ERR_OK;
}

enum err tdb_followup_plan(struct req *r, int64_t id, int64_t version,
			   const struct followup_plan *p)
{
	uint64_t changed = 0;
	enum err e = db_run(r, &Q_FOLLOWUP_PLAN, &changed, (int64_t)p->set_scheduled,
			    p->scheduled_at, (int64_t)p->set_place, p->place_id,
			    (int64_t)p->set_terrain, (int64_t)p->with_terrain,
			    (int64_t)p->set_inspe, (int64_t)p->with_inspe, id, version);

	if (e != ERR_OK)
		return e;
	return changed == 1 ? ERR_OK : db_stale_or_missing(r, &Q_FOLLOWUP_EXISTS, id);
}

/* One statement per editable text, so that no column name is ever built. */
#define TEXT_UPDATE(col)                                                                           \
	"UPDATE followup SET " col " = ?, state = COALESCE(?, state), updated_at = NOW(3), "       \
	"version = version + 1 WHERE academy_id = ? AND id = ? AND version = ? "                   \
	"AND state <> 'cancelled'"
static const struct db_sql Q_SET_POINTS = {TEXT_UPDATE("points_to_observe"), "ssAii"};
static const struct db_sql Q_SET_EXPECTATIONS = {TEXT_UPDATE("expectations"), "ssAii"};
static const struct db_sql Q_SET_NOTES = {TEXT_UPDATE("observation_notes"), "ssAii"};

enum err tdb_followup_text(struct req *r, int64_t id, int64_t version, const char *column,
			   const char *text, const char *new_state)
{
	const struct db_sql *q = strcmp(column, "points_to_observe") == 0   ? &Q_SET_POINTS
				 : strcmp(column, "expectations") == 0	    ? &Q_SET_EXPECTATIONS
				 : strcmp(column, "observation_notes") == 0 ? &Q_SET_NOTES
									    : NULL;

	if (q == NULL)
		return fail_internal(r, ERR_INTERNAL, "unknown follow-up text column");
	return db_update_versioned(r, q, &Q_FOLLOWUP_EXISTS, id, text, new_state, id, version);
}

enum err tdb_followup_debrief(struct req *r, int64_t id, int64_t version, const struct debrief *d)
{
	size_t i;
	json_t *it;
	enum err e = db_update_versioned(
	    r, &Q_FOLLOWUP_DEBRIEF, &Q_FOLLOWUP_EXISTS, id, d->analyses, d->remediations,
	    d->action_paths, d->points_appui, d->axes_evolution, d->priorities, id, version);

	if (e != ERR_OK)
		return e;
	e = db_run(r, &Q_FOLLOWUP_LEVELS_DELETE, NULL, id);
	json_array_foreach(d->levels, i, it)
	{
		if (e != ERR_OK)
			break;
		e = db_run(r, &Q_FOLLOWUP_LEVEL_INSERT, NULL, id,
			   (int64_t)json_integer_value(json_object_get(it, "competence_id")),
			   (int64_t)json_integer_value(json_object_get(it, "level")));
	}
	return e;
}

enum err tdb_followup_cancel(struct req *r, int64_t id, const char *reason)
{
	return db_run(r, &Q_FOLLOWUP_CANCEL, NULL, reason, id);
}

/* ---- traces ---- */

static const struct db_sql Q_TRACE_GET = {
    "SELECT id, version, published_at IS NOT NULL FROM trace WHERE academy_id = ? "
    "AND followup_id = ? AND author = ? FOR UPDATE",
    "is", DB_COLS("id", "version", "published")};
static const struct db_sql Q_TRACE_INSERT = {
    "INSERT INTO trace (academy_id, id, followup_id, author, retained, axes, body, "
    "published_at, last_editor_id, updated_at, version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, IF(?, NOW(3), NULL), ?, NOW(3), 1)",
    "iissssii"};
static const struct db_sql Q_TRACE_UPDATE = {
    "UPDATE trace SET retained = ?, axes = ?, body = ?, "
    "published_at = IF(?, NOW(3), NULL), last_editor_id = ?, updated_at = NOW(3), "
    "version = version + 1 WHERE academy_id = ? AND id = ? AND version = ? "
    "AND published_at IS NULL",
    "sssiiAii"};
static const struct db_sql Q_TRACE_EXISTS = {
    "SELECT version FROM trace WHERE academy_id = ? AND id = ?", "i", DB_COLS("version")};

enum err tdb_trace_get(struct req *r, int64_t followup_id, const char *author, struct trace_row *t)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_TRACE_GET, &res, followup_id, author);

	memset(t, 0, sizeof(*t));
	if (e != ERR_OK || res.n_rows == 0)
		return e;
	t->exists = true;
	t->id = db_int(&res, 0, "id");
	t->version = db_int(&res, 0, "version");
	t->published = db_int(&res, 0, "published") != 0;
	return ERR_OK;
}

enum err tdb_trace_put(struct req *r, int64_t followup_id, const char *author,
		       const struct trace_row *t, int64_t if_version, const char *retained,
		       const char *axes, const char *body, bool publish)
{

	if (!t->exists)
		return db_run(r, &Q_TRACE_INSERT, NULL, random_id(), followup_id, author, retained,
			      axes, body, (int64_t)publish, r->who.person_id);
	return db_update_versioned(r, &Q_TRACE_UPDATE, &Q_TRACE_EXISTS, t->id, retained, axes, body,
				   (int64_t)publish, r->who.person_id, t->id, if_version);
}

/* ---- documents ---- */

static const struct db_sql Q_DOC_INSERT = {
    "INSERT INTO document (academy_id, id, followup_id, filename, content_type, size_bytes, "
    "sha256, content, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3))",
    "iissisbi"};
static const struct db_sql Q_DOC_GET = {
    "SELECT filename, content_type, content, uploaded_by FROM document WHERE academy_id = ? "
    "AND id = ?",
    "i", DB_COLS("filename", "content_type", "content", "uploaded_by")};
static const struct db_sql Q_DOC_DELETE = {"DELETE FROM document WHERE academy_id = ? AND id = ?",
					   "i"};

enum err tdb_document_insert(struct req *r, int64_t followup_id, const char *filename,
			     const char *type, const void *bytes, size_t n, int64_t *id)
{
	unsigned char digest[32];
	char hex[65];

	sha256(bytes, n, digest);
	hex_encode(hex, digest, 32);
	*id = random_id();
	return db_run(r, &Q_DOC_INSERT, NULL, *id, followup_id, filename, type, (int64_t)n, hex,
		      bytes, n, r->who.person_id);
}

enum err tdb_document_get(struct req *r, int64_t id, const char **filename, const char **type,
			  const char **bytes, size_t *n, int64_t *uploader)
{
	struct db_res res;
	enum err e = db_one(r, &Q_DOC_GET, &res, id);

	if (e != ERR_OK)
		return e;
	*filename = db_str(&res, 0, "filename");
	*type = db_str(&res, 0, "content_type");
	*bytes = db_str(&res, 0, "content");
	*n = db_cell(&res, 0, "content")->len;
	*uploader = db_int(&res, 0, "uploaded_by");
	return ERR_OK;
}

enum err tdb_document_delete(struct req *r, int64_t id)
{
	return db_run(r, &Q_DOC_DELETE, NULL, id);
}

/* ======================================================================
 * Bilans: frozen once both tutors validate; corrections are revisions
 * ====================================================================== */

#define BILAN_COLUMNS                                                                              \
	"SELECT b.id, b.kind, b.revision, b.frozen_at IS NOT NULL, "                               \
	"b.validated_terrain_at IS NOT NULL, b.validated_inspe_at IS NOT NULL, "                   \
	"DATE_FORMAT(b.due_on, '%Y-%m-%d'), b.version, b.referentiel_id, "                         \
	"DATE_FORMAT(b.frozen_at, '%Y-%m-%dT%H:%i:%sZ'), "                                         \
	"DATE_FORMAT(b.validated_terrain_at, '%Y-%m-%dT%H:%i:%sZ'), "                              \
	"DATE_FORMAT(b.validated_inspe_at, '%Y-%m-%dT%H:%i:%sZ'), b.enrolment_id, "                \
	"EXISTS (SELECT 1 FROM bilan n WHERE n.academy_id = b.academy_id "                         \
	"  AND n.enrolment_id = b.enrolment_id AND n.kind = b.kind AND n.revision > b.revision) "  \
	"FROM bilan b "

static const struct db_sql Q_BILANS = {
    BILAN_COLUMNS "WHERE b.academy_id = ? AND b.enrolment_id = ? "
		  "ORDER BY b.kind, b.revision",
    "i",
    DB_COLS("id", "kind", "revision", "frozen", "validated_terrain", "validated_inspe", "due_on",
	    "version", "referentiel_id", "frozen_at", "validated_terrain_at", "validated_inspe_at",
	    "enrolment_id", "newer_exists")};
static const struct db_sql Q_BILAN = {
    BILAN_COLUMNS "WHERE b.academy_id = ? AND b.id = ?", "i",
    DB_COLS("id", "kind", "revision", "frozen", "validated_terrain", "validated_inspe", "due_on",
	    "version", "referentiel_id", "frozen_at", "validated_terrain_at", "validated_inspe_at",
	    "enrolment_id", "newer_exists")};
static const struct db_sql Q_BILAN_ITEMS = {
    "SELECT competence_id, level_rank, comment FROM bilan_item WHERE academy_id = ? "
    "AND bilan_id = ? ORDER BY competence_id",
    "i", DB_COLS("competence_id", "level_rank", "comment")};
static const struct db_sql Q_BILAN_KIND_EXISTS = {
    "SELECT 1 FROM bilan WHERE academy_id = ? AND enrolment_id = ? AND kind = ? FOR UPDATE", "is",
    DB_COLS("found")};
static const struct db_sql Q_BILAN_DUE = {
    "SELECT DATE_FORMAT(MIN(ev.starts_on), '%Y-%m-%d') FROM year_event ev WHERE "
    "ev.academy_id = ? AND ev.year_id = ? AND ev.kind = ?",
    "is", DB_COLS("due_on")};
static const struct db_sql Q_BILAN_INSERT = {
    "INSERT INTO bilan (academy_id, id, enrolment_id, kind, revision, referentiel_id, due_on, "
    "created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, NOW(3), 1)",
    "iisiis"};
static const struct db_sql Q_BILAN_ITEMS_DELETE = {
    "DELETE FROM bilan_item WHERE academy_id = ? AND bilan_id = ?", "i"};
static const struct db_sql Q_BILAN_ITEM_INSERT = {
    "INSERT INTO bilan_item (academy_id, bilan_id, competence_id, level_rank, comment) "
    "VALUES (?, ?, ?, ?, ?)",
    "iizs"};
static const struct db_sql Q_BILAN_TOUCH = {
    "UPDATE bilan SET validated_terrain_by = NULL, validated_terrain_at = NULL, "
    "validated_inspe_by = NULL, validated_inspe_at = NULL, version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ? AND frozen_at IS NULL",
    "ii"};
/* FOR UPDATE: the version now committed, not the one this transaction
 * first saw, is the one a 412 names. */
static const struct db_sql Q_BILAN_EXISTS = {
    "SELECT version FROM bilan WHERE academy_id = ? AND id = ? FOR UPDATE", "i",
    DB_COLS("version")};
static const struct db_sql Q_BILAN_VALIDATE_TERRAIN = {
    "UPDATE bilan SET validated_terrain_by = ?, validated_terrain_at = NOW(3), "
    "frozen_at = IF(validated_inspe_at IS NOT NULL, NOW(3), NULL), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ? AND frozen_at IS NULL",
    "iAii"};
static const struct db_sql Q_BILAN_VALIDATE_INSPE = {
    "UPDATE bilan SET validated_inspe_by = ?, validated_inspe_at = NOW(3), "
    "frozen_at = IF(validated_terrain_at IS NOT NULL, NOW(3), NULL), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ? AND frozen_at IS NULL",
    "iAii"};
static const struct db_sql Q_BILAN_COPY_ITEMS = {
    "INSERT INTO bilan_item (academy_id, bilan_id, competence_id, level_rank, comment) "
    "SELECT academy_id, ?, competence_id, level_rank, comment FROM bilan_item "
    "WHERE academy_id = ? AND bilan_id = ?",
    "iAi"};
static const struct db_sql Q_BILAN_REVISE = {
    "INSERT INTO bilan (academy_id, id, enrolment_id, kind, revision, referentiel_id, due_on, "
    "created_at, version) SELECT academy_id, ?, enrolment_id, kind, revision + 1, "
    "referentiel_id, due_on, NOW(3), 1 FROM bilan WHERE academy_id = ? AND id = ?",
    "iAi"};

static json_t *bilan_summary(const struct db_res *res, size_t i)
{
	return json_pack(
	    "{s:I, s:I, s:s, s:I, s:b, s:b, s:b, s:o, s:I, s:I, s:o, s:o, s:o, s:b}", "id",
	    (json_int_t)db_int(res, i, "id"), "enrolment_id",
	    (json_int_t)db_int(res, i, "enrolment_id"), "kind", db_str(res, i, "kind"), "revision",
	    (json_int_t)db_int(res, i, "revision"), "frozen", db_int(res, i, "frozen") != 0,
	    "validated_terrain", db_int(res, i, "validated_terrain") != 0, "validated_inspe",
	    db_int(res, i, "validated_inspe") != 0, "due_on", JNULLSTR(res, i, "due_on"), "version",
	    (json_int_t)db_int(res, i, "version"), "referentiel_id",
	    (json_int_t)db_int(res, i, "referentiel_id"), "frozen_at",
	    JNULLSTR(res, i, "frozen_at"), "validated_terrain_at",
	    JNULLSTR(res, i, "validated_terrain_at"), "validated_inspe_at",
	    JNULLSTR(res, i, "validated_inspe_at"), "superseded",
	    db_int(res, i, "newer_exists") != 0);
}

enum err tdb_bilans_json(struct req *r, const struct enrolment_ctx *en, json_t **out)
{
	int64_t enrolment_id = en->id;
	struct db_res res;
	json_t *items;
	enum err e = db_rows(r, &Q_BILANS, &res, enrolment_id);

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(items, bilan_summary(&res, i));
	*out = json_pack("{s:o}", "items", items);
	return ERR_OK;
}

enum err tdb_bilan_create(struct req *r, const struct enrolment_ctx *en, const char *kind,
			  int64_t *id)
{
	struct db_res exists, due;
	enum err e = db_rows(r, &Q_BILAN_KIND_EXISTS, &exists, en->id, kind);

	if (e != ERR_OK)
		return e;
	if (exists.n_rows > 0)
		return fail(r, ERR_CONFLICT, "kind",
			    "Ce bilan existe déjà : corrigez-le par une nouvelle version.");
	/* Due dates come from the year's calendar: the intermediate bilan
	 * before pôle meeting N°2, the final one at the bilans' date. */
	e = db_rows(r, &Q_BILAN_DUE, &due, en->year_id,
		    strcmp(kind, "final") == 0 ? "bilans_due" : "pole_meeting_2");
	if (e != ERR_OK)
		return e;
	*id = random_id();
	return db_run(r, &Q_BILAN_INSERT, NULL, *id, en->id, kind, (int64_t)1, en->referentiel_id,
		      due.n_rows == 1 ? db_str(&due, 0, "due_on") : NULL);
}

enum err tdb_bilan_json(struct req *r, int64_t id, json_t **out)
{
	struct db_res b, items;
	json_t *list;
	enum err e = db_rows(r, &Q_BILAN, &b, id);

	if (e == ERR_OK && b.n_rows != 1)
		return ERR_NOT_FOUND;
	if (e == ERR_OK)
		e = db_rows(r, &Q_BILAN_ITEMS, &items, id);
	if (e != ERR_OK)
		return e;
	list = json_array();
	for (size_t i = 0; i < items.n_rows; i++)
		json_array_append_new(list,
				      json_pack("{s:I, s:o, s:o}", "competence_id",
						(json_int_t)db_int(&items, i, "competence_id"),
						"level", JNULLINT(&items, i, "level_rank"),
						"comment", JNULLSTR(&items, i, "comment")));
	*out = bilan_summary(&b, 0);
	json_object_set_new(*out, "items", list);
	return ERR_OK;
}

enum err tdb_bilan_state(struct req *r, int64_t id, struct bilan_state *out)
{
	struct db_res b;
	enum err e = db_one(r, &Q_BILAN, &b, id);

	if (e != ERR_OK)
		return e;
	out->kind = db_str(&b, 0, "kind");
	out->revision = db_int(&b, 0, "revision");
	out->frozen = db_int(&b, 0, "frozen") != 0;
	out->validated_terrain = db_int(&b, 0, "validated_terrain") != 0;
	out->validated_inspe = db_int(&b, 0, "validated_inspe") != 0;
	out->version = db_int(&b, 0, "version");
	out->newer_exists = db_int(&b, 0, "newer_exists") != 0;
	return ERR_OK;
}

/* Replaces the grid; any edit withdraws both validations. */
enum err tdb_bilan_put(struct req *r, int64_t id, int64_t version, json_t *items)
{
	size_t i;
	json_t *it;
	enum err e = db_update_versioned(r, &Q_BILAN_TOUCH, &Q_BILAN_EXISTS, id, id, version);

	if (e != ERR_OK)
		return e;
	e = db_run(r, &Q_BILAN_ITEMS_DELETE, NULL, id);
	json_array_foreach(items, i, it)
	{
		json_t *lv = json_object_get(it, "level"), *c = json_object_get(it, "comment");

		if (e != ERR_OK)
			break;
		e = db_run(r, &Q_BILAN_ITEM_INSERT, NULL, id,
			   (int64_t)json_integer_value(json_object_get(it, "competence_id")),
			   json_is_integer(lv) ? (int64_t)json_integer_value(lv) : 0,
			   json_is_string(c) ? json_string_value(c) : NULL);
	}
	return e;
}

enum err tdb_bilan_validate(struct req *r, int64_t id, int64_t version, const char *role,
			    bool *frozen)
{
	struct bilan_state st;
	uint64_t changed = 0;
	enum err e = db_run(r,
			    strcmp(role, "tuteur_terrain") == 0 ? &Q_BILAN_VALIDATE_TERRAIN
								: &Q_BILAN_VALIDATE_INSPE,
			    &changed, r->who.person_id, id, version);

	if (e == ERR_OK && changed != 1)
		return db_stale_or_missing(r, &Q_BILAN_EXISTS, id);
	if (e == ERR_OK)
		e = tdb_bilan_state(r, id, &st);
	if (e == ERR_OK)
		*frozen = st.frozen;
	return e;
}

enum err tdb_bilan_revise(struct req *r, int64_t id, int64_t *new_id)
{
	enum err e;

	*new_id = random_id();
	e = db_run(r, &Q_BILAN_REVISE, NULL, *new_id, id);
	if (e == ERR_OK)
		e = db_run(r, &Q_BILAN_COPY_ITEMS, NULL, *new_id, id);
	return e;
}

/* ======================================================================
 * Result, disagreement, report
 * ====================================================================== */

static const struct db_sql Q_RESULT = {
    "SELECT note, avis, comment, suggested_note, suggested_avis, rp.id AS recorder_id, "
    "rp.display_name AS recorder_name, DATE_FORMAT(recorded_at, '%Y-%m-%dT%H:%i:%sZ'), "
    "disagreement, dp.id AS disagreer_id, dp.display_name AS disagreer_name, "
    "DATE_FORMAT(disagreement_at, '%Y-%m-%dT%H:%i:%sZ'), res.version FROM result res "
    "JOIN person rp ON rp.academy_id = res.academy_id AND rp.id = res.recorded_by "
    "LEFT JOIN person dp ON dp.academy_id = res.academy_id AND dp.id = res.disagreement_by "
    "WHERE res.academy_id = ? AND res.enrolment_id = ?",
    "i",
    DB_COLS("note", "avis", "comment", "suggested_note", "suggested_avis", "recorder_id",
	    "recorder_name", "recorded_at", "disagreement", "disagreer_id", "disagreer_name",
	    "disagreement_at", "version")};
/* The mean level of the latest frozen final bilan. */
static const struct db_sql Q_FINAL_MEAN = {
    "SELECT CAST(AVG(i.level_rank) AS DECIMAL(4,2)), COUNT(i.level_rank) FROM bilan b "
    "JOIN bilan_item i ON i.academy_id = b.academy_id AND i.bilan_id = b.id "
    "WHERE b.academy_id = ? AND b.enrolment_id = ? AND b.kind = 'final' "
    "AND b.frozen_at IS NOT NULL AND b.revision = (SELECT MAX(b2.revision) FROM bilan b2 "
    "  WHERE b2.academy_id = b.academy_id AND b2.enrolment_id = b.enrolment_id "
    "  AND b2.kind = 'final' AND b2.frozen_at IS NOT NULL)",
    "i", DB_COLS("mean", "n_levels")};
static const struct db_sql Q_CONVERT = {
    "SELECT note, avis FROM conversion_rule WHERE academy_id = ? AND parcours = ? "
    "AND min_mean <= ? ORDER BY min_mean DESC LIMIT 1",
    "ss", DB_COLS("note", "avis")};
static const struct db_sql Q_RESULT_VERSION = {
    "SELECT version FROM result WHERE academy_id = ? AND enrolment_id = ? FOR UPDATE", "i",
    DB_COLS("version")};
static const struct db_sql Q_RESULT_INSERT = {
    "INSERT INTO result (academy_id, enrolment_id, note, avis, comment, suggested_note, "
    "suggested_avis, recorded_by, recorded_at, version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW(3), 1)",
    "isssssi"};
static const struct db_sql Q_RESULT_UPDATE = {
    "UPDATE result SET note = ?, avis = ?, comment = ?, suggested_note = ?, suggested_avis = ?, "
    "recorded_by = ?, recorded_at = NOW(3), version = version + 1 "
    "WHERE academy_id = ? AND enrolment_id = ? AND version = ?",
    "sssssiAii"};
static const struct db_sql Q_RESULT_EXISTS = {
    "SELECT version FROM result WHERE academy_id = ? AND enrolment_id = ?", "i",
    DB_COLS("version")};
static const struct db_sql Q_DISAGREEMENT = {
    "UPDATE result SET disagreement = ?, disagreement_by = ?, disagreement_at = NOW(3), "
    "version = version + 1 WHERE academy_id = ? AND enrolment_id = ?",
    "siAi"};

/* The inspectors who see a disagreement: the pilote of the trainee's pôle,
 * the IEN of the circonscription of one of their schools, the direction. */
static const struct db_sql Q_DISAGREEMENTS = {
    "SELECT e.id, p.id AS trainee_id, p.display_name AS trainee_name, res.note, res.avis, "
    "res.disagreement, DATE_FORMAT(res.disagreement_at, '%Y-%m-%dT%H:%i:%sZ'), "
    "dp.id AS disagreer_id, dp.display_name AS disagreer_name, po.name AS pole_name "
    "FROM result res "
    "JOIN enrolment e ON e.academy_id = res.academy_id AND e.id = res.enrolment_id "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "JOIN person dp ON dp.academy_id = res.academy_id AND dp.id = res.disagreement_by "
    "LEFT JOIN structure po ON po.academy_id = e.academy_id AND po.id = e.pole_id "
    "WHERE res.academy_id = ? AND res.disagreement IS NOT NULL AND (? OR EXISTS ("
    "  SELECT 1 FROM role_assignment ra WHERE ra.academy_id = e.academy_id AND ra.person_id = ? "
    "  AND ((ra.role = 'pilote_pole' AND ra.scope_kind = 'pole' AND ra.scope_id = e.pole_id) "
    "    OR (ra.role = 'ien' AND ra.scope_kind = 'circonscription' AND ra.scope_id IN ("
    "      SELECT s.parent_id FROM enrolment_place ep JOIN structure s ON s.academy_id = "
    "      ep.academy_id AND s.id = ep.school_id WHERE ep.academy_id = e.academy_id "
    "      AND ep.enrolment_id = e.id))))) ORDER BY res.disagreement_at DESC",
    "ii",
    DB_COLS("id", "trainee_id", "trainee_name", "note", "avis", "disagreement", "disagreement_at",
	    "disagreer_id", "disagreer_name", "pole_name")};

static const struct db_sql Q_REPORT_STATE = {
    "SELECT version, submitted_at IS NOT NULL FROM tutor_report WHERE academy_id = ? "
    "AND enrolment_id = ? FOR UPDATE",
    "i", DB_COLS("version", "submitted")};
static const struct db_sql Q_REPORT_INSERT = {
    "INSERT INTO tutor_report (academy_id, enrolment_id, body, submitted_at, author_id, "
    "updated_at, version) VALUES (?, ?, ?, IF(?, NOW(3), NULL), ?, NOW(3), 1)",
    "isii"};
static const struct db_sql Q_REPORT_UPDATE = {
    "UPDATE tutor_report SET body = ?, submitted_at = IF(?, NOW(3), NULL), author_id = ?, "
    "updated_at = NOW(3), version = version + 1 WHERE academy_id = ? AND enrolment_id = ? "
    "AND version = ? AND submitted_at IS NULL",
    "siiAii"};
static const struct db_sql Q_REPORT_EXISTS = {
    "SELECT version FROM tutor_report WHERE academy_id = ? AND enrolment_id = ?", "i",
    DB_COLS("version")};
static const struct db_sql Q_REPORT = {
    "SELECT t.body, t.submitted_at IS NOT NULL, t.version, p.id, p.display_name "
    "FROM tutor_report t "
    "JOIN person p ON p.academy_id = t.academy_id AND p.id = t.author_id "
    "WHERE t.academy_id = ? AND t.enrolment_id = ?",
    "i", DB_COLS("body", "submitted", "version", "id", "display_name")};

enum err tdb_suggestion(struct req *r, const struct enrolment_ctx *en, json_t **out,
			const char **note, const char **avis)
{
	struct db_res mean, conv;
	enum err e = db_rows(r, &Q_FINAL_MEAN, &mean, en->id);

	*out = json_null();
	*note = *avis = NULL;
	if (e != ERR_OK || mean.n_rows == 0 || db_int(&mean, 0, "n_levels") == 0)
		return e;
	e = db_rows(r, &Q_CONVERT, &conv, en->parcours, db_str(&mean, 0, "mean"));
	if (e != ERR_OK)
		return e;
	json_decref(*out);
	*out = json_pack("{s:f}", "mean", strtod(db_str(&mean, 0, "mean"), NULL));
	if (conv.n_rows == 1) {
		*note = db_str(&conv, 0, "note");
		*avis = db_str(&conv, 0, "avis");
		json_object_set_new(*out, *note != NULL ? "note" : "avis",
				    *note != NULL ? jdecimal(&conv, 0, "note")
						  : json_string(*avis));
	}
	return ERR_OK;
}

enum err tdb_result_json(struct req *r, const struct enrolment_ctx *en, json_t **out)
{
	struct db_res res;
	const char *note, *avis;
	json_t *suggestion, *result = json_null();
	enum err e = db_rows(r, &Q_RESULT, &res, en->id);

	if (e == ERR_OK)
		e = tdb_suggestion(r, en, &suggestion, &note, &avis);
	if (e != ERR_OK)
		return e;
	if (res.n_rows == 1) {
		result = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:I}", "note",
				   jdecimal(&res, 0, "note"), "avis", JNULLSTR(&res, 0, "avis"),
				   "comment", JNULLSTR(&res, 0, "comment"), "suggested_note",
				   jdecimal(&res, 0, "suggested_note"), "suggested_avis",
				   JNULLSTR(&res, 0, "suggested_avis"), "recorded_by",
				   person_ref(&res, 0, "recorder_id", "recorder_name"),
				   "recorded_at", db_str(&res, 0, "recorded_at"), "disagreement",
				   JNULLSTR(&res, 0, "disagreement"), "version",
				   (json_int_t)db_int(&res, 0, "version"));
		if (!db_isnull(&res, 0, "disagreer_id")) {
			json_object_set_new(result, "disagreement_by",
					    person_ref(&res, 0, "disagreer_id", "disagreer_name"));
			json_object_set_new(result, "disagreement_at",
					    JNULLSTR(&res, 0, "disagreement_at"));
		}
	}
	*out = json_pack("{s:o, s:o}", "result", result, "suggestion", suggestion);
	return ERR_OK;
}

enum err tdb_result_version(struct req *r, int64_t enrolment_id, int64_t *version)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_RESULT_VERSION, &res, enrolment_id);

	*version = 0;
	if (e == ERR_OK && res.n_rows == 1)
		*version = db_int(&res, 0, "version");
	return e;
}

enum err tdb_result_put(struct req *r, const struct enrolment_ctx *en, int64_t version,
			const char *note, const char *avis, const char *comment)
{
	const char *s_note, *s_avis;
	json_t *suggestion;
	enum err e = tdb_suggestion(r, en, &suggestion, &s_note, &s_avis);

	json_decref(suggestion);
	if (e != ERR_OK)
		return e;
	if (version == 0)
		return db_run(r, &Q_RESULT_INSERT, NULL, en->id, note, avis, comment, s_note,
			      s_avis, r->who.person_id);
	return db_update_versioned(r, &Q_RESULT_UPDATE, &Q_RESULT_EXISTS, en->id, note, avis,
				   comment, s_note, s_avis, r->who.person_id, en->id, version);
}

enum err tdb_disagreement_put(struct req *r, int64_t enrolment_id, const char *comment)
{
	uint64_t changed = 0;
	enum err e = db_run(r, &Q_DISAGREEMENT, &changed, comment, r->who.person_id, enrolment_id);

	if (e == ERR_OK && changed != 1)
		return fail(r, ERR_CONFLICT, NULL,
			    "Le tuteur Inspé n'a pas encore rendu son avis : rien à contester.");
	return e;
}

enum err tdb_disagreements_json(struct req *r, bool all, json_t **out)
{
	struct db_res res;
	json_t *items;
	enum err e = db_rows(r, &Q_DISAGREEMENTS, &res, (int64_t)all, r->who.person_id);

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:o, s:o, s:o, s:s, s:s, s:o, s:o}", "enrolment_id",
			      (json_int_t)db_int(&res, i, "id"), "trainee",
			      person_ref(&res, i, "trainee_id", "trainee_name"), "note",
			      jdecimal(&res, i, "note"), "avis", JNULLSTR(&res, i, "avis"),
			      "disagreement", db_str(&res, i, "disagreement"), "disagreement_at",
			      db_str(&res, i, "disagreement_at"), "disagreement_by",
			      person_ref(&res, i, "disagreer_id", "disagreer_name"), "pole",
			      JNULLSTR(&res, i, "pole_name")));
	*out = json_pack("{s:o}", "items", items);
	return ERR_OK;
}

enum err tdb_report_state(struct req *r, int64_t enrolment_id, bool *exists, bool *submitted,
			  int64_t *version)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_REPORT_STATE, &res, enrolment_id);

	*exists = *submitted = false;
	*version = 0;
	if (e == ERR_OK && res.n_rows == 1) {
		*exists = true;
		*version = db_int(&res, 0, "version");
		*submitted = db_int(&res, 0, "submitted") != 0;
	}
	return e;
}

enum err tdb_report_put(struct req *r, int64_t enrolment_id, bool exists, int64_t version,
			const char *body, bool submit)
{

	if (!exists)
		return db_run(r, &Q_REPORT_INSERT, NULL, enrolment_id, body, (int64_t)submit,
			      r->who.person_id);
	return db_update_versioned(r, &Q_REPORT_UPDATE, &Q_REPORT_EXISTS, enrolment_id, body,
				   (int64_t)submit, r->who.person_id, enrolment_id, version);
}

/* ======================================================================
 * Timeline, conversion rules, inputs of the checks
 * ====================================================================== */

static const struct db_sql Q_TIMELINE_FOLLOWUPS = {
    "SELECT f.id, f.kind, f.state, DATE_FORMAT(f.scheduled_at, '%Y-%m-%dT%H:%i'), f.place_id, "
    "f.with_terrain, f.with_inspe, f.version, "
    "EXISTS (SELECT 1 FROM trace t WHERE t.academy_id = f.academy_id AND t.followup_id = f.id "
    "  AND t.author = 'trainee' AND t.published_at IS NOT NULL), "
    "EXISTS (SELECT 1 FROM trace t WHERE t.academy_id = f.academy_id AND t.followup_id = f.id "
    "  AND t.author = 'tutors' AND t.published_at IS NOT NULL), "
    "(SELECT COUNT(*) FROM document d WHERE d.academy_id = f.academy_id AND d.followup_id = f.id) "
    "FROM followup f WHERE f.academy_id = ? AND f.enrolment_id = ? ORDER BY f.scheduled_at, f.id",
    "i",
    DB_COLS("id", "kind", "state", "scheduled_at", "place_id", "with_terrain", "with_inspe",
	    "version", "feedback_published", "trace_published", "n_documents")};
static const struct db_sql Q_TIMELINE_ASSESSMENTS = {
    "SELECT id, revision, DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ') FROM self_assessment "
    "WHERE academy_id = ? AND enrolment_id = ? ORDER BY revision DESC",
    "i", DB_COLS("id", "revision", "created_at")};

enum err tdb_timeline_json(struct req *r, const struct enrolment_ctx *en, json_t **out)
{
	struct db_res f, sa, rep;
	json_t *enrolment = NULL, *followups, *assessments, *bilans = NULL, *result = NULL,
	       *report = json_null();
	enum err e = tdb_enrolment_json(r, en->id, en->rel, &enrolment);

	if (e == ERR_OK)
		e = db_rows(r, &Q_TIMELINE_FOLLOWUPS, &f, en->id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_TIMELINE_ASSESSMENTS, &sa, en->id);
	if (e == ERR_OK)
		e = tdb_bilans_json(r, en, &bilans);
	if (e == ERR_OK)
		e = tdb_result_json(r, en, &result);
	if (e == ERR_OK)
		e = db_rows(r, &Q_REPORT, &rep, en->id);
	if (e != ERR_OK) {
		json_decref(enrolment);
		json_decref(bilans);
		json_decref(result);
		return e;
	}
	followups = json_array();
	for (size_t i = 0; i < f.n_rows; i++)
		json_array_append_new(
		    followups, json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:b, s:I, s:b, s:b, s:I}",
					 "id", (json_int_t)db_int(&f, i, "id"), "kind",
					 db_str(&f, i, "kind"), "state", db_str(&f, i, "state"),
					 "scheduled_at", db_str(&f, i, "scheduled_at"), "place_id",
					 JNULLINT(&f, i, "place_id"), "with_terrain",
					 db_int(&f, i, "with_terrain") != 0, "with_inspe",
					 db_int(&f, i, "with_inspe") != 0, "version",
					 (json_int_t)db_int(&f, i, "version"), "feedback_submitted",
					 db_int(&f, i, "feedback_published") != 0,
					 "trace_published", db_int(&f, i, "trace_published") != 0,
					 "documents", (json_int_t)db_int(&f, i, "n_documents")));
	assessments = json_array();
	for (size_t i = 0; i < sa.n_rows; i++)
		json_array_append_new(assessments,
				      json_pack("{s:I, s:I, s:s}", "id",
						(json_int_t)db_int(&sa, i, "id"), "revision",
						(json_int_t)db_int(&sa, i, "revision"),
						"created_at", db_str(&sa, i, "created_at")));
	/* An unsubmitted report is its author's draft. */
	if (rep.n_rows == 1 &&
	    (db_int(&rep, 0, "submitted") != 0 || db_int(&rep, 0, "id") == r->who.person_id))
		report = json_pack("{s:s, s:b, s:I, s:o}", "body", db_str(&rep, 0, "body"),
				   "submitted", db_int(&rep, 0, "submitted") != 0, "version",
				   (json_int_t)db_int(&rep, 0, "version"), "author",
				   person_ref(&rep, 0, "id", "display_name"));
	*out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "enrolment", enrolment, "followups",
			 followups, "self_assessments", assessments, "bilans",
			 json_incref(json_object_get(bilans, "items")), "result", result, "report",
			 report);
	json_decref(bilans);
	return ERR_OK;
}

static const struct db_sql Q_RULES = {
    "SELECT parcours, min_mean, note, avis FROM conversion_rule WHERE academy_id = ? "
    "ORDER BY parcours, min_mean",
    "", DB_COLS("parcours", "min_mean", "note", "avis")};
static const struct db_sql Q_RULES_DELETE = {
    "DELETE FROM conversion_rule WHERE academy_id = ? AND parcours = ?", "s"};
static const struct db_sql Q_RULE_INSERT = {
    "INSERT INTO conversion_rule (academy_id, parcours, min_mean, note, avis) "
    "VALUES (?, ?, ?, ?, ?)",
    "ssss"};

enum err tdb_conversion_rules_json(struct req *r, json_t **out)
{
	struct db_res res;
	json_t *items;
	enum err e = db_rows(r, &Q_RULES, &res);

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++) {
		json_t *o = json_pack("{s:s, s:o}", "parcours", db_str(&res, i, "parcours"),
				      "min_mean", jdecimal(&res, i, "min_mean"));

		if (!db_isnull(&res, i, "note"))
			json_object_set_new(o, "note", jdecimal(&res, i, "note"));
		else
			json_object_set_new(o, "avis", JNULLSTR(&res, i, "avis"));
		json_array_append_new(items, o);
	}
	*out = json_pack("{s:o}", "items", items);
	return ERR_OK;
}

enum err tdb_conversion_rules_replace(struct req *r, const char *parcours, json_t *rules)
{
	enum err e = db_run(r, &Q_RULES_DELETE, NULL, parcours);
	size_t i;
	json_t *it;

	json_array_foreach(rules, i, it)
	{
		json_t *note = json_object_get(it, "note"), *avis = json_object_get(it, "avis");

		if (e != ERR_OK)
			break;
		e = db_run(r, &Q_RULE_INSERT, NULL, parcours,
			   json_string_value(json_object_get(it, "min_mean")),
			   json_is_string(note) ? json_string_value(note) : NULL,
			   json_is_string(avis) ? json_string_value(avis) : NULL);
		if (e == ERR_DUPLICATE)
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "rules[%zu].min_mean", i),
				    "Seuil répété.");
	}
	return e;
}

static const struct db_sql Q_CHECK_VISITS = {
    "SELECT f.kind, f.state, DATE_FORMAT(f.scheduled_at, '%Y-%m-%d'), f.place_id, "
    "f.with_terrain AND f.with_inspe, EXISTS (SELECT 1 FROM trace t WHERE t.academy_id = "
    "f.academy_id AND t.followup_id = f.id AND t.author = 'trainee' AND t.published_at IS NOT "
    "NULL) FROM followup f WHERE f.academy_id = ? AND f.enrolment_id = ? "
    "AND f.state <> 'cancelled' ORDER BY f.scheduled_at, f.id",
    "i", DB_COLS("kind", "state", "scheduled_on", "place_id", "joint", "feedback_published")};
static const struct db_sql Q_CHECK_CALENDAR = {
    "SELECT "
    "(SELECT DATE_FORMAT(MIN(starts_on), '%Y-%m-%d') FROM year_event WHERE academy_id = "
    "y.academy_id "
    "  AND year_id = y.id AND kind = 'pole_meeting_1'), "
    "(SELECT DATE_FORMAT(MIN(starts_on), '%Y-%m-%d') FROM year_event WHERE academy_id = "
    "y.academy_id "
    "  AND year_id = y.id AND kind = 'pole_meeting_2'), "
    "(SELECT DATE_FORMAT(MIN(starts_on), '%Y-%m-%d') FROM year_event WHERE academy_id = "
    "y.academy_id "
    "  AND year_id = y.id AND kind = 'bilans_due'), DATE_FORMAT(UTC_DATE(), '%Y-%m-%d'), "
    "EXISTS (SELECT 1 FROM bilan b WHERE b.academy_id = y.academy_id AND b.enrolment_id = ? "
    "  AND b.kind = 'intermediaire' AND b.frozen_at IS NOT NULL), "
    "EXISTS (SELECT 1 FROM bilan b WHERE b.academy_id = y.academy_id AND b.enrolment_id = ? "
    "  AND b.kind = 'final' AND b.frozen_at IS NOT NULL) "
    "FROM school_year y WHERE y.academy_id = ? AND y.id = ?",
    "iiAi",
    DB_COLS("pole_meeting_1", "pole_meeting_2", "bilans_due", "today", "intermediaire_frozen",
	    "final_frozen")};

static const struct db_sql Q_PAGE_CHECK_VISITS = {
    "SELECT f.enrolment_id, f.kind, f.state, DATE_FORMAT(f.scheduled_at, '%Y-%m-%d'), "
    "f.place_id, f.with_terrain AND f.with_inspe, EXISTS (SELECT 1 FROM trace t WHERE "
    "t.academy_id = f.academy_id AND t.followup_id = f.id AND t.author = 'trainee' AND "
    "t.published_at IS NOT NULL) FROM followup f WHERE f.academy_id = ? AND "
    "f.enrolment_id " PAGE_IDS "AND f.state <> 'cancelled' "
    "ORDER BY f.enrolment_id, f.scheduled_at, f.id",
    "s",
    DB_COLS("enrolment_id", "kind", "state", "scheduled_on", "place_id", "joint",
	    "feedback_published")};
static const struct db_sql Q_PAGE_CHECK_CALENDAR = {
    "SELECT e.id AS enrolment_id, "
    "(SELECT DATE_FORMAT(MIN(ye.starts_on), '%Y-%m-%d') FROM year_event ye WHERE "
    "  ye.academy_id = e.academy_id AND ye.year_id = e.year_id AND ye.kind = 'pole_meeting_1'), "
    "(SELECT DATE_FORMAT(MIN(ye.starts_on), '%Y-%m-%d') FROM year_event ye WHERE "
    "  ye.academy_id = e.academy_id AND ye.year_id = e.year_id AND ye.kind = 'pole_meeting_2'), "
    "(SELECT DATE_FORMAT(MIN(ye.starts_on), '%Y-%m-%d') FROM year_event ye WHERE "
    "  ye.academy_id = e.academy_id AND ye.year_id = e.year_id AND ye.kind = 'bilans_due'), "
    "DATE_FORMAT(UTC_DATE(), '%Y-%m-%d'), "
    "EXISTS (SELECT 1 FROM bilan b WHERE b.academy_id = e.academy_id AND b.enrolment_id = e.id "
    "  AND b.kind = 'intermediaire' AND b.frozen_at IS NOT NULL), "
    "EXISTS (SELECT 1 FROM bilan b WHERE b.academy_id = e.academy_id AND b.enrolment_id = e.id "
    "  AND b.kind = 'final' AND b.frozen_at IS NOT NULL) "
    "FROM enrolment e WHERE e.academy_id = ? AND e.id " PAGE_IDS "ORDER BY e.id",
    "s",
    DB_COLS("enrolment_id", "pole_meeting_1", "pole_meeting_2", "bilans_due", "today",
	    "intermediaire_frozen", "final_frozen")};

/* The inputs of one enrolment's checks from the rows about it: its
 * follow-up times, its places and its calendar (an empty range: none); the
 * one-enrolment statements and the page's name their columns alike. */
static enum err check_fill(struct req *r, struct rows v, struct rows places, struct rows cal,
			   struct check_inputs *out)
{
	memset(out, 0, sizeof(*out));
	out->visits = arena_zalloc(r->arena, (v.to - v.from + 1) * sizeof(*out->visits));
	out->places = arena_zalloc(r->arena, (places.to - places.from + 1) * sizeof(*out->places));
	if (out->visits == NULL || out->places == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	for (size_t i = v.from; i < v.to; i++) {
		struct check_visit *c = &out->visits[out->n_visits++];

		c->kind = db_str(v.res, i, "kind");
		c->state = db_str(v.res, i, "state");
		c->scheduled_at = db_str(v.res, i, "scheduled_on");
		c->place_id = db_int(v.res, i, "place_id");
		c->joint = db_bool(v.res, i, "joint");
		c->feedback_submitted = db_bool(v.res, i, "feedback_published");
	}
	for (size_t i = places.from; i < places.to; i++) {
		out->places[out->n_places].id = db_int(places.res, i, "id");
		out->places[out->n_places].school = db_str(places.res, i, "school_name");
		out->places[out->n_places].class_label = db_str(places.res, i, "class_label");
		out->n_places++;
	}
	if (cal.to == cal.from + 1) {
		out->meeting_1 = db_str(cal.res, cal.from, "pole_meeting_1");
		out->meeting_2 = db_str(cal.res, cal.from, "pole_meeting_2");
		out->bilans_due = db_str(cal.res, cal.from, "bilans_due");
		out->today = db_str(cal.res, cal.from, "today");
		out->intermediate_frozen = db_bool(cal.res, cal.from, "intermediaire_frozen");
		out->final_frozen = db_bool(cal.res, cal.from, "final_frozen");
	}
	return ERR_OK;
}

enum err tdb_check_inputs(struct req *r, const struct enrolment_ctx *en, struct check_inputs *out)
{
	struct db_res v, places, cal;
	enum err e = db_rows(r, &Q_CHECK_VISITS, &v, en->id);

	memset(out, 0, sizeof(*out));
	if (e == ERR_OK)
		e = db_rows(r, &Q_ENROLMENT_PLACES, &places, en->id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_CHECK_CALENDAR, &cal, en->id, en->id, en->year_id);
	if (e != ERR_OK)
		return e;
	return check_fill(r, all_rows(&v), all_rows(&places), all_rows(&cal), out);
}

enum err tdb_check_inputs_page(struct req *r, const struct enrolment_ctx *es, size_t n,
			       struct check_inputs *out)
{
	const char *ids = page_ids(r, es, n);
	struct db_res v, places, cal;
	enum err e;

	if (n == 0)
		return ERR_OK;
	if (ids == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	e = db_rows(r, &Q_PAGE_CHECK_VISITS, &v, ids);
	if (e == ERR_OK)
		e = db_rows(r, &Q_PAGE_PLACES, &places, ids);
	if (e == ERR_OK)
		e = db_rows(r, &Q_PAGE_CHECK_CALENDAR, &cal, ids);
	for (size_t i = 0; e == ERR_OK && i < n; i++)
		e = check_fill(r, rows_of(&v, es[i].id), rows_of(&places, es[i].id),
			       rows_of(&cal, es[i].id), &out[i]);
	return e;
}

/* Every statement of this file, for tutoratctl check-sql. */
const struct db_sql *const tutorat_statements[] = {
    &Q_ENROLMENT_CTX,
    &Q_ENROLMENT_PILOT,
    &Q_DOSSIER_TOUCH,
    &Q_OWNER_FOLLOWUP,
    &Q_OWNER_BILAN,
    &Q_OWNER_ASSESSMENT,
    &Q_OWNER_DOCUMENT,
    &Q_CURRENT_YEAR,
    &Q_CURRENT_REFERENTIEL,
    &Q_YEAR_BY_LABEL,
    &Q_ENROLMENT_OF,
    &Q_STRUCTURE_NAMED,
    &Q_REFERENTIEL,
    &Q_REFERENTIEL_LEVELS,
    &Q_REFERENTIEL_COMPETENCES,
    &Q_GRID,
    &Q_MAX_LEVEL,
    &Q_PERSON_HAS_ROLE,
    &Q_STRUCTURE_IS,
    &Q_ENROLMENT_PAGE,
    &Q_PAGE_PLACES,
    &Q_PAGE_TUTORS,
    &Q_ENROLMENT_COUNT,
    &Q_ENROLMENT_ONE,
    &Q_ENROLMENT_PLACES,
    &Q_ENROLMENT_TUTORS,
    &Q_ENROLMENT_INSERT,
    &Q_PLACE_INSERT,
    &Q_PLACES_UNUSED_DELETE,
    &Q_ENROLMENT_UPDATE,
    &Q_ENROLMENT_EXISTS,
    &Q_TUTOR_CURRENT,
    &Q_TUTOR_END,
    &Q_TUTOR_INSERT,
    &Q_SA_LIST,
    &Q_SA_ITEMS,
    &Q_SA_COMMENTS,
    &Q_SA_NEXT,
    &Q_SA_INSERT,
    &Q_SA_ITEM_INSERT,
    &Q_SA_COMMENT_INSERT,
    &Q_PLACE_BELONGS,
    &Q_FOLLOWUP_INSERT,
    &Q_FOLLOWUP_GET,
    &Q_FOLLOWUP_LEVELS,
    &Q_FOLLOWUP_TRACES,
    &Q_FOLLOWUP_DOCUMENTS,
    &Q_FOLLOWUP_STATE,
    &Q_FOLLOWUP_EXISTS,
    &Q_FOLLOWUP_PLAN,
    &Q_FOLLOWUP_DEBRIEF,
    &Q_FOLLOWUP_LEVELS_DELETE,
    &Q_FOLLOWUP_LEVEL_INSERT,
    &Q_FOLLOWUP_CANCEL,
    &Q_SET_POINTS,
    &Q_SET_EXPECTATIONS,
    &Q_SET_NOTES,
    &Q_TRACE_GET,
    &Q_TRACE_INSERT,
    &Q_TRACE_UPDATE,
    &Q_TRACE_EXISTS,
    &Q_DOC_INSERT,
    &Q_DOC_GET,
    &Q_DOC_DELETE,
    &Q_BILANS,
    &Q_BILAN,
    &Q_BILAN_ITEMS,
    &Q_BILAN_KIND_EXISTS,
    &Q_BILAN_DUE,
    &Q_BILAN_INSERT,
    &Q_BILAN_ITEMS_DELETE,
    &Q_BILAN_ITEM_INSERT,
    &Q_BILAN_TOUCH,
    &Q_BILAN_EXISTS,
    &Q_BILAN_VALIDATE_TERRAIN,
    &Q_BILAN_VALIDATE_INSPE,
    &Q_BILAN_COPY_ITEMS,
    &Q_BILAN_REVISE,
    &Q_RESULT,
    &Q_FINAL_MEAN,
    &Q_CONVERT,
    &Q_RESULT_VERSION,
    &Q_RESULT_INSERT,
    &Q_RESULT_UPDATE,
    &Q_RESULT_EXISTS,
    &Q_DISAGREEMENT,
    &Q_DISAGREEMENTS,
    &Q_REPORT_STATE,
    &Q_REPORT_INSERT,
    &Q_REPORT_UPDATE,
    &Q_REPORT_EXISTS,
    &Q_REPORT,
    &Q_TIMELINE_FOLLOWUPS,
    &Q_TIMELINE_ASSESSMENTS,
    &Q_RULES,
    &Q_RULES_DELETE,
    &Q_RULE_INSERT,
    &Q_CHECK_VISITS,
    &Q_CHECK_CALENDAR,
    &Q_PAGE_CHECK_VISITS,
    &Q_PAGE_CHECK_CALENDAR,
    NULL,
};
