/*
 * SQL of the annuaire module. Every statement is tenant-bound: its first
 * placeholder (or each 'A' of its signature) is the request's académie.
 */
#include "annuaire.h"
#include "authz.h"
#include "db.h"
#include "req.h"
#include "util.h"

#include <string.h>

const char *const annuaire_structure_kinds[] = {"departement", "circonscription", "pole", "school",
						"inspe_site",  "discipline",	  NULL};
const char *const annuaire_scope_kinds[] = {"academy", "departement", "circonscription", "pole",
					    "school",  "inspe_site",  "discipline",	 NULL};
const char *const annuaire_role_names[] = {"stagiaire",
					   "etudiant_sopa",
					   "tuteur_terrain",
					   "tuteur_inspe",
					   "mat",
					   "ien",
					   "pilote_pole",
					   "referent_inspe",
					   "dea",
					   "ia_ipr",
					   "responsable_parcours",
					   "chef_etablissement",
					   "responsable_site",
					   "charge_mission_formation",
					   "direction_inspe",
					   "bureau_stages",
					   "gestionnaire_scolarite",
					   "delegue_stage",
					   "pilote_collectif",
					   "admin",
					   NULL};
_Static_assert(sizeof(annuaire_role_names) / sizeof(annuaire_role_names[0]) == ROLE__MAX + 1,
	       "annuaire_role_names must list every role");

/* ---- people ---- */

#define PERSON_ROLES                                                                               \
	"(SELECT GROUP_CONCAT(DISTINCT ra.role ORDER BY ra.role) FROM role_assignment ra "         \
	" WHERE ra.academy_id = p.academy_id AND ra.person_id = p.id)"

#define PEOPLE_FILTER                                                                              \
	"WHERE p.academy_id = ? AND (? IS NULL OR p.display_name LIKE ? OR p.username LIKE ? "     \
	"  OR p.email LIKE ?) "                                                                    \
	"AND (? IS NULL OR EXISTS (SELECT 1 FROM role_assignment rf WHERE rf.academy_id = "        \
	"  p.academy_id AND rf.person_id = p.id AND rf.role = ?)) "

static const struct db_sql Q_PEOPLE_LIST = {
    "SELECT p.id, p.username, p.display_name, p.email, p.active, "
    "p.directory_mismatch_id IS NOT NULL, " PERSON_ROLES " FROM person p " PEOPLE_FILTER
    "ORDER BY p.display_name, p.id LIMIT ? OFFSET ?",
    "ssssssii",
    DB_COLS("id", "username", "display_name", "email", "active", "directory_mismatch", "roles")};

static const struct db_sql Q_PEOPLE_COUNT = {"SELECT COUNT(*) FROM person p " PEOPLE_FILTER,
					     "ssssss", DB_COLS("n")};

/* The person and their assignments in one round trip: one row per
 * assignment (or one row with NULL assignment columns). */
static const struct db_sql Q_PERSON_GET = {
    "SELECT p.id, p.username, p.display_name, p.given_name, p.family_name, p.email, p.active, "
    "p.version, DATE_FORMAT(p.last_login_at, '%Y-%m-%dT%H:%i:%sZ'), p.ldap_dn IS NOT NULL, "
    "p.directory_id IS NOT NULL, p.directory_mismatch_id IS NOT NULL, "
    "ra.id AS assignment_id, ra.role, ra.scope_kind, ra.scope_id, s.name AS scope_name, "
    "ra.source "
    "FROM person p LEFT JOIN role_assignment ra ON ra.academy_id = p.academy_id "
    "AND ra.person_id = p.id LEFT JOIN structure s ON s.academy_id = ra.academy_id "
    "AND s.id = ra.scope_id WHERE p.academy_id = ? AND p.id = ? ORDER BY ra.role, s.name",
    "i",
    DB_COLS("id", "username", "display_name", "given_name", "family_name", "email", "active",
	    "version", "last_login_at", "from_ldap", "directory_bound", "directory_mismatch",
	    "assignment_id", "role", "scope_kind", "scope_id", "scope_name", "source")};

static const struct db_sql Q_PERSON_ID = {
    "SELECT id FROM person WHERE academy_id = ? AND username = ?", "s", DB_COLS("id")};

static const struct db_sql Q_PERSON_INSERT = {
    "INSERT INTO person (academy_id, id, username, display_name, given_name, family_name, "
    "email, active, created_at, updated_at, version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, TRUE, NOW(3), NOW(3), 1)",
    "isssss"};

static const struct db_sql Q_PERSON_UPDATE = {
    "UPDATE person SET display_name = IF(?, ?, display_name), given_name = IF(?, ?, given_name), "
    "family_name = IF(?, ?, family_name), email = IF(?, ?, email), active = IF(?, ?, active), "
    "version = version + 1, updated_at = NOW(3) "
    "WHERE academy_id = ? AND id = ? AND version = ?",
    "isisisisiiAii"};

static const struct db_sql Q_PERSON_EXISTS = {
    "SELECT version FROM person WHERE academy_id = ? AND id = ?", "i", DB_COLS("version")};

/* ---- structures ---- */

#define STRUCTURES_FILTER                                                                          \
	"WHERE s.academy_id = ? AND (? IS NULL OR s.kind = ?) AND (? IS NULL OR s.parent_id = ?) " \
	"AND (? IS NULL OR s.name LIKE ? OR s.code LIKE ?) "

/* One page and, in its last column, the number of rows of the whole filter
 * (the window is computed before LIMIT). */
static const struct db_sql Q_STRUCTURES_LIST = {
    "SELECT s.id, s.kind, s.code, s.name, s.parent_id, p.name AS parent_name, "
    "COUNT(*) OVER () AS total FROM structure s "
    "LEFT JOIN structure p ON p.academy_id = s.academy_id AND p.id = s.parent_id " STRUCTURES_FILTER
    "ORDER BY s.kind, s.name, s.id LIMIT ? OFFSET ?",
    "sszzsssii", DB_COLS("id", "kind", "code", "name", "parent_id", "parent_name", "total")};

/* The total alone, for a page past the end (which has no row to carry it). */
static const struct db_sql Q_STRUCTURES_COUNT = {
    "SELECT COUNT(*) FROM structure s " STRUCTURES_FILTER, "sszzsss", DB_COLS("n")};

static const struct db_sql Q_STRUCTURE_GET = {
    "SELECT s.id, s.kind, s.code, s.name, s.parent_id, p.name AS parent_name, s.version "
    "FROM structure s "
    "LEFT JOIN structure p ON p.academy_id = s.academy_id AND p.id = s.parent_id "
    "WHERE s.academy_id = ? AND s.id = ?",
    "i", DB_COLS("id", "kind", "code", "name", "parent_id", "parent_name", "version")};

static const struct db_sql Q_STRUCTURE_KIND = {
    "SELECT kind FROM structure WHERE academy_id = ? AND id = ?", "i", DB_COLS("kind")};

static const struct db_sql Q_STRUCTURE_BY_CODE = {
    "SELECT id FROM structure WHERE academy_id = ? AND kind = ? AND code = ?", "ss", DB_COLS("id")};

static const struct db_sql Q_STRUCTURE_INSERT = {
    "INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) "
    "VALUES (?, ?, ?, ?, ?, ?, 1)",
    "isssz"};

static const struct db_sql Q_STRUCTURE_UPDATE = {
    "UPDATE structure SET code = IF(?, ?, code), name = IF(?, ?, name), "
    "parent_id = IF(?, ?, parent_id), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ?",
    "isisizAii"};

static const struct db_sql Q_POLE_CIRCONSCRIPTIONS = {
    "SELECT c.id, c.name FROM pole_circonscription pc JOIN structure c ON c.academy_id = "
    "pc.academy_id AND c.id = pc.circonscription_id WHERE pc.academy_id = ? AND pc.pole_id = ? "
    "ORDER BY c.name",
    "i", DB_COLS("id", "name")};

/* ---- assignments ---- */

static const struct db_sql Q_ASSIGNMENT_INSERT = {
    "INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, 'local', NOW(3))",
    "iissz"};

static const struct db_sql Q_ASSIGNMENT_GET = {
    "SELECT person_id, source, role, scope_kind, scope_id FROM role_assignment "
    "WHERE academy_id = ? AND id = ?",
    "i", DB_COLS("person_id", "source", "role", "scope_kind", "scope_id")};

static const struct db_sql Q_ASSIGNMENT_DELETE = {
    "DELETE FROM role_assignment WHERE academy_id = ? AND id = ? AND source = 'local'", "i"};

/* ---- years ---- */

static const struct db_sql Q_YEARS = {
    "SELECT id, label, DATE_FORMAT(starts_on, '%Y-%m-%d'), DATE_FORMAT(ends_on, '%Y-%m-%d'), "
    "current, TIME_FORMAT(day_starts_at, '%H:%i'), TIME_FORMAT(day_ends_at, '%H:%i') "
    "FROM school_year WHERE academy_id = ? ORDER BY starts_on DESC",
    "", DB_COLS("id", "label", "starts_on", "ends_on", "current", "day_starts_at", "day_ends_at")};

static const struct db_sql Q_YEAR_EVENTS = {
    "SELECT year_id, id, kind, label, DATE_FORMAT(starts_on, '%Y-%m-%d'), "
    "DATE_FORMAT(ends_on, '%Y-%m-%d') FROM year_event WHERE academy_id = ? "
    "ORDER BY year_id, starts_on, id",
    "", DB_COLS("year_id", "id", "kind", "label", "starts_on", "ends_on")};

static const struct db_sql Q_YEAR_INSERT = {
    "INSERT INTO school_year (academy_id, id, label, starts_on, ends_on, current, "
    "day_starts_at, day_ends_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
    "isssiss"};

static const struct db_sql Q_YEAR_CLEAR_CURRENT = {
    "UPDATE school_year SET current = FALSE, version = version + 1 WHERE academy_id = ? AND "
    "current",
    ""};

static const struct db_sql Q_YEAR_EVENT_INSERT = {
    "INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) "
    "SELECT academy_id, ?, id, ?, ?, ?, ? FROM school_year WHERE academy_id = ? AND id = ?",
    "issssAi"};

/* ---- functions shared with tutoratctl ---- */

bool annuaire_uai_valid(const char *s, size_t n)
{
	/* UAI (ex-RNE): seven digits or 2A/2B for Corsica, then a letter. */
	if (n != 8)
		return false;
	for (size_t i = 0; i < 7; i++)
		if (!(s[i] >= '0' && s[i] <= '9') && !(i == 1 && (s[i] == 'A' || s[i] == 'B')))
			return false;
	return s[7] >= 'A' && s[7] <= 'Z';
}

enum err annuaire_person_create(struct req *r, const struct person_input *in, int64_t *id)
{
	enum err e;

	*id = random_id();
	e = db_run(r, &Q_PERSON_INSERT, NULL, *id, in->username, in->display_name, in->given_name,
		   in->family_name, in->email);
	if (e == ERR_DUPLICATE)
		return fail(r, ERR_CONFLICT, "username", "Cet identifiant existe déjà.");
	return e;
}

enum err annuaire_person_id(struct req *r, const char *username, int64_t *id)
{
	struct db_res res;
	enum err e = db_one(r, &Q_PERSON_ID, &res, username);

	if (e != ERR_OK)
		return e;
	*id = db_int(&res, 0, "id");
	return ERR_OK;
}

static json_t *roles_array(const char *list)
{
	json_t *a = json_array();

	while (list != NULL && *list != '\0') {
		const char *comma = strchr(list, ',');
		size_t n = comma != NULL ? (size_t)(comma - list) : strlen(list);

		json_array_append_new(a, json_stringn(list, n));
		list = comma != NULL ? comma + 1 : NULL;
	}
	return a;
}

static json_t *person_summary(const struct db_res *res, size_t i)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:b, s:b, s:o}", "id",
			 (json_int_t)db_int(res, i, "id"), "username", db_str(res, i, "username"),
			 "display_name", db_str(res, i, "display_name"), "email",
			 JSTR(db_str(res, i, "email")), "active", db_int(res, i, "active") != 0,
			 "directory_mismatch", db_bool(res, i, "directory_mismatch"), "roles",
			 roles_array(db_str(res, i, "roles")));
}

enum err annuaire_person_get(struct req *r, int64_t id, json_t **out)
{
	struct db_res p;
	enum err e;
	json_t *list;

	e = db_rows(r, &Q_PERSON_GET, &p, id);
	if (e != ERR_OK)
		return e;
	if (p.n_rows == 0)
		return ERR_NOT_FOUND;
	list = json_array();
	for (size_t i = 0; i < p.n_rows; i++)
		if (!db_isnull(&p, i, "assignment_id"))
			json_array_append_new(
			    list, json_pack("{s:I, s:s, s:s, s:o, s:o, s:s}", "id",
					    (json_int_t)db_int(&p, i, "assignment_id"), "role",
					    db_str(&p, i, "role"), "scope_kind",
					    db_str(&p, i, "scope_kind"), "scope_id",
					    db_isnull(&p, i, "scope_id")
						? json_null()
						: json_integer(db_int(&p, i, "scope_id")),
					    "scope_name", JSTR(db_str(&p, i, "scope_name")),
					    "source", db_str(&p, i, "source")));
	*out = json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:b, s:I, s:o, s:s, s:b, s:b, s:o}", "id",
			 (json_int_t)db_int(&p, 0, "id"), "username", db_str(&p, 0, "username"),
			 "display_name", db_str(&p, 0, "display_name"), "given_name",
			 JSTR(db_str(&p, 0, "given_name")), "family_name",
			 JSTR(db_str(&p, 0, "family_name")), "email", JSTR(db_str(&p, 0, "email")),
			 "active", db_int(&p, 0, "active") != 0, "version",
			 (json_int_t)db_int(&p, 0, "version"), "last_login_at",
			 JSTR(db_str(&p, 0, "last_login_at")), "origin",
			 db_int(&p, 0, "from_ldap") ? "ldap" : "local", "directory_bound",
			 db_bool(&p, 0, "directory_bound"), "directory_mismatch",
			 db_bool(&p, 0, "directory_mismatch"), "assignments", list);
	return *out != NULL ? ERR_OK : fail_internal(r, ERR_INTERNAL, "json pack failed");
}

/* The person a directory entry is: bound to it, or holding its username
 * unbound (picking binds them). */
static const struct db_sql Q_PERSON_OF_ENTRY = {
    "SELECT id, active FROM person WHERE academy_id = ? AND (directory_id = ? OR "
    "(username = ? AND directory_id IS NULL)) ORDER BY directory_id IS NULL LIMIT 1",
    "ss", DB_COLS("id", "active")};

static const struct db_sql Q_PERSON_USERNAME = {
    "SELECT username FROM person WHERE academy_id = ? AND id = ?", "i", DB_COLS("username")};

static const struct db_sql Q_PERSON_RELINK = {
    "UPDATE person SET directory_id = ?, directory_mismatch_id = NULL, version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND username = ?",
    "sAis"};

enum err annuaire_person_of_entry(struct req *r, const char *username, const char *entry_id,
				  int64_t *id, bool *active)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_PERSON_OF_ENTRY, &res, entry_id, username);

	*id = 0;
	*active = false;
	if (e == ERR_OK && res.n_rows == 1) {
		*id = db_int(&res, 0, "id");
		*active = db_bool(&res, 0, "active");
	}
	return e;
}

enum err annuaire_person_username(struct req *r, int64_t id, const char **username)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_PERSON_USERNAME, &res, id);

	if (e != ERR_OK)
		return e;
	if (res.n_rows != 1)
		return ERR_NOT_FOUND;
	*username = db_str(&res, 0, "username");
	return ERR_OK;
}

enum err annuaire_person_relink(struct req *r, int64_t id, const char *username,
				const char *entry_id)
{
	uint64_t n = 0;
	enum err e = db_run(r, &Q_PERSON_RELINK, &n, entry_id, id, username);

	if (e == ERR_DUPLICATE)
		return fail(r, ERR_CONFLICT, NULL,
			    "Une autre personne est déjà liée à cette entrée de l’annuaire.");
	return e == ERR_OK && n == 0 ? ERR_NOT_FOUND : e;
}

static const char *structure_kind(struct req *r, int64_t id, enum err *e)
{
	struct db_res res;

	*e = db_rows(r, &Q_STRUCTURE_KIND, &res, id);
	if (*e != ERR_OK || res.n_rows != 1)
		return NULL;
	return db_str(&res, 0, "kind");
}

/* Which kind of parent each kind takes (NULL: none). */
static const char *parent_kind_of(const char *kind)
{
	if (strcmp(kind, "circonscription") == 0 || strcmp(kind, "pole") == 0)
		return "departement";
	if (strcmp(kind, "school") == 0)
		return "circonscription";
	return NULL;
}

static enum err check_parent(struct req *r, const char *kind, int64_t parent_id)
{
	const char *want = parent_kind_of(kind), *got;
	enum err e;

	if (parent_id == 0) {
		if (want != NULL && strcmp(kind, "school") != 0)
			return fail(r, ERR_MISSING_FIELD, "parent_id",
				    "Une circonscription ou un pôle appartient à un département.");
		return ERR_OK;
	}
	if (want == NULL)
		return fail(r, ERR_INVALID_FIELD, "parent_id",
			    "Ce type de structure n’a pas de parent.");
	got = structure_kind(r, parent_id, &e);
	if (e != ERR_OK)
		return e;
	if (got == NULL || strcmp(got, want) != 0)
		return fail(
		    r, ERR_INVALID_FIELD, "parent_id",
		    arena_printf(r->arena, "Le parent doit être une structure de type %s.", want));
	return ERR_OK;
}

enum err annuaire_structure_create(struct req *r, const char *kind, const char *code,
				   const char *name, int64_t parent_id, int64_t *id)
{
	enum err e;

	if (strcmp(kind, "school") == 0 &&
	    (code == NULL || !annuaire_uai_valid(code, strlen(code))))
		return fail(
		    r, ERR_INVALID_FIELD, "code",
		    "Une école ou un établissement est identifié par son UAI (ex. 0691234A).");
	e = check_parent(r, kind, parent_id);
	if (e != ERR_OK)
		return e;
	*id = random_id();
	e = db_run(r, &Q_STRUCTURE_INSERT, NULL, *id, kind, code, name, parent_id);
	if (e == ERR_DUPLICATE)
		return fail(r, ERR_CONFLICT, "code",
			    "Ce code existe déjà pour ce type de structure.");
	return e;
}

enum err annuaire_structure_id(struct req *r, const char *kind, const char *code, int64_t *id)
{
	struct db_res res;
	enum err e = db_one(r, &Q_STRUCTURE_BY_CODE, &res, kind, code);

	if (e != ERR_OK)
		return e;
	*id = db_int(&res, 0, "id");
	return ERR_OK;
}

enum err annuaire_assignment_create(struct req *r, int64_t person_id, const char *role,
				    const char *scope_kind, int64_t scope_id, int64_t *id)
{
	enum err e;

	if (strcmp(scope_kind, "academy") == 0) {
		if (scope_id != 0)
			return fail(
			    r, ERR_INVALID_FIELD, "scope_id",
			    "Une affectation à l’échelle de l’académie n’a pas de structure.");
	} else {
		const char *got;

		if (scope_id == 0)
			return fail(r, ERR_MISSING_FIELD, "scope_id", "Choisissez la structure.");
		got = structure_kind(r, scope_id, &e);
		if (e != ERR_OK)
			return e;
		if (got == NULL || strcmp(got, scope_kind) != 0)
			return fail(r, ERR_INVALID_FIELD, "scope_id",
				    "La structure ne correspond pas au type de périmètre.");
	}
	*id = random_id();
	e = db_run(r, &Q_ASSIGNMENT_INSERT, NULL, *id, person_id, role, scope_kind, scope_id);
	if (e == ERR_DUPLICATE)
		return fail(r, ERR_CONFLICT, "role", "Cette affectation existe déjà.");
	if (e == ERR_REFERENCE)
		return fail(r, ERR_NOT_FOUND, NULL, NULL);
	return e;
}

enum err annuaire_people_list(struct req *r, const char *q, const char *role, int64_t limit,
			      int64_t offset, json_t **out)
{
	const char *like = db_like_contains(r, q);
	struct db_res res, count;
	enum err e;
	json_t *items;

	e = db_rows(r, &Q_PEOPLE_LIST, &res, q, like, like, like, role, role, limit, offset);
	if (e == ERR_OK)
		e = db_rows(r, &Q_PEOPLE_COUNT, &count, q, like, like, like, role, role);
	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(items, person_summary(&res, i));
	*out = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total",
			 (json_int_t)db_int(&count, 0, "n"), "limit", (json_int_t)limit, "offset",
			 (json_int_t)offset);
	return ERR_OK;
}

enum err annuaire_person_update(struct req *r, int64_t id, int64_t version,
				const struct person_update *u)
{

	return db_update_versioned(
	    r, &Q_PERSON_UPDATE, &Q_PERSON_EXISTS, id, (int64_t)u->set_display_name,
	    u->display_name, (int64_t)u->set_given_name, u->given_name, (int64_t)u->set_family_name,
	    u->family_name, (int64_t)u->set_email, u->email, (int64_t)u->set_active,
	    (int64_t)u->active, id, version);
}

static const struct db_sql Q_STRUCTURE_EXISTS = {
    "SELECT version FROM structure WHERE academy_id = ? AND id = ?", "i", DB_COLS("version")};

static json_t *structure_json(const struct db_res *res, size_t i)
{
	return json_pack("{s:I, s:s, s:o, s:s, s:o, s:o}", "id", (json_int_t)db_int(res, i, "id"),
			 "kind", db_str(res, i, "kind"), "code", JSTR(db_str(res, i, "code")),
			 "name", db_str(res, i, "name"), "parent_id",
			 db_isnull(res, i, "parent_id") ? json_null()
							: json_integer(db_int(res, i, "parent_id")),
			 "parent_name", JSTR(db_str(res, i, "parent_name")));
}

/* One page of the académie's structures, {items, total, limit, offset}
 * (h_structures_list). The total comes with the page in one statement; only
 * a page past the end asks for it separately. */
enum err annuaire_structures_list(struct req *r, const char *kind, int64_t parent_id, const char *q,
				  int64_t limit, int64_t offset, json_t **out)
{
	const char *like = db_like_contains(r, q);
	struct db_res res, count;
	int64_t total = 0;
	enum err e;
	json_t *items;

	e = db_rows(r, &Q_STRUCTURES_LIST, &res, kind, kind, parent_id, parent_id, q, like, like,
		    limit, offset);
	if (e != ERR_OK)
		return e;
	if (res.n_rows > 0) {
		total = db_total(&res);
	} else if (offset > 0) {
		e = db_one(r, &Q_STRUCTURES_COUNT, &count, kind, kind, parent_id, parent_id, q,
			   like, like);
		if (e != ERR_OK)
			return e;
		total = db_int(&count, 0, "n");
	}
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(items, structure_json(&res, i));
	*out = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total,
			 "limit", (json_int_t)limit, "offset", (json_int_t)offset);
	return ERR_OK;
}

enum err annuaire_structure_get(struct req *r, int64_t id, json_t **out)
{
	struct db_res res, circ;
	enum err e = db_one(r, &Q_STRUCTURE_GET, &res, id);

	if (e != ERR_OK)
		return e;
	*out = structure_json(&res, 0);
	json_object_set_new(*out, "version", json_integer(db_int(&res, 0, "version")));
	if (strcmp(db_str(&res, 0, "kind"), "pole") == 0) {
		json_t *list = json_array();

		e = db_rows(r, &Q_POLE_CIRCONSCRIPTIONS, &circ, id);
		for (size_t i = 0; e == ERR_OK && i < circ.n_rows; i++)
			json_array_append_new(list, json_pack("{s:I, s:s}", "id",
							      (json_int_t)db_int(&circ, i, "id"),
							      "name", db_str(&circ, i, "name")));
		json_object_set_new(*out, "circonscriptions", list);
	}
	return e;
}

enum err annuaire_structure_update(struct req *r, int64_t id, int64_t version, bool set_code,
				   const char *code, bool set_name, const char *name,
				   bool set_parent, int64_t parent_id)
{
	struct db_res res;
	uint64_t changed = 0;
	const char *kind;
	enum err e = db_one(r, &Q_STRUCTURE_GET, &res, id);

	if (e != ERR_OK)
		return e;
	kind = db_str(&res, 0, "kind");
	if (set_code && strcmp(kind, "school") == 0 &&
	    (code == NULL || !annuaire_uai_valid(code, strlen(code))))
		return fail(r, ERR_INVALID_FIELD, "code", "UAI invalide (ex. 0691234A).");
	if (set_parent) {
		if (parent_id == id)
			return fail(r, ERR_INVALID_FIELD, "parent_id",
				    "Une structure ne peut pas être son propre parent.");
		e = check_parent(r, kind, parent_id);
		if (e != ERR_OK)
			return e;
	}
	e = db_run(r, &Q_STRUCTURE_UPDATE, &changed, (int64_t)set_code, code, (int64_t)set_name,
		   name, (int64_t)set_parent, parent_id, id, version);
	if (e == ERR_DUPLICATE)
		return fail(r, ERR_CONFLICT, "code",
			    "Ce code existe déjà pour ce type de structure.");
	if (e != ERR_OK)
		return e;
	return changed == 1 ? ERR_OK : db_stale_or_missing(r, &Q_STRUCTURE_EXISTS, id);
}

enum err annuaire_assignment_delete(struct req *r, int64_t id, int64_t *person_id)
{
	struct db_res res;
	enum err e = db_one(r, &Q_ASSIGNMENT_GET, &res, id);

	if (e != ERR_OK)
		return e;
	*person_id = db_int(&res, 0, "person_id");
	if (strcmp(db_str(&res, 0, "source"), "local") != 0)
		return fail(r, ERR_CONFLICT, NULL,
			    "Cette affectation vient de l’annuaire LDAP de l’académie : elle se "
			    "modifie dans l’annuaire.");
	return db_run(r, &Q_ASSIGNMENT_DELETE, NULL, id);
}

enum err annuaire_years_list(struct req *r, json_t **out)
{
	struct db_res years, events;
	enum err e = db_rows(r, &Q_YEARS, &years);
	json_t *items;

	if (e == ERR_OK)
		e = db_rows(r, &Q_YEAR_EVENTS, &events);
	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < years.n_rows; i++) {
		json_t *ev = json_array();
		int64_t yid = db_int(&years, i, "id");

		for (size_t k = 0; k < events.n_rows; k++)
			if (db_int(&events, k, "year_id") == yid)
				json_array_append_new(
				    ev, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
						  (json_int_t)db_int(&events, k, "id"), "kind",
						  db_str(&events, k, "kind"), "label",
						  db_str(&events, k, "label"), "starts_on",
						  db_str(&events, k, "starts_on"), "ends_on",
						  db_str(&events, k, "ends_on")));
		json_array_append_new(
		    items, json_pack("{s:I, s:s, s:s, s:s, s:b, s:s, s:s, s:o}", "id",
				     (json_int_t)yid, "label", db_str(&years, i, "label"),
				     "starts_on", db_str(&years, i, "starts_on"), "ends_on",
				     db_str(&years, i, "ends_on"), "current",
				     db_int(&years, i, "current") != 0, "day_starts_at",
				     db_str(&years, i, "day_starts_at"), "day_ends_at",
				     db_str(&years, i, "day_ends_at"), "events", ev));
	}
	*out = json_pack("{s:o}", "items", items);
	return ERR_OK;
}

enum err annuaire_year_create(struct req *r, const char *label, const char *starts_on,
			      const char *ends_on, bool current, const char *day_starts_at,
			      const char *day_ends_at, int64_t *id)
{
	enum err e = ERR_OK;

	if (strcmp(starts_on, ends_on) >= 0)
		return fail(r, ERR_INVALID_FIELD, "ends_on", "La fin doit suivre le début.");
	if (strcmp(day_starts_at, day_ends_at) >= 0)
		return fail(r, ERR_INVALID_FIELD, "day_ends_at",
			    "La fin de la journée scolaire doit suivre son début.");
	if (current)
		e = db_run(r, &Q_YEAR_CLEAR_CURRENT, NULL);
	*id = random_id();
	if (e == ERR_OK)
		e = db_run(r, &Q_YEAR_INSERT, NULL, *id, label, starts_on, ends_on,
			   (int64_t)current, day_starts_at, day_ends_at);
	if (e == ERR_DUPLICATE)
		return fail(r, ERR_CONFLICT, "label", "Cette année scolaire existe déjà.");
	return e;
}

enum err annuaire_year_event_create(struct req *r, int64_t year_id, const char *kind,
				    const char *label, const char *starts_on, const char *ends_on,
				    int64_t *id)
{
	uint64_t n = 0;
	enum err e;

	if (strcmp(starts_on, ends_on) > 0)
		return fail(r, ERR_INVALID_FIELD, "ends_on", "La fin doit suivre le début.");
	*id = random_id();
	e = db_run(r, &Q_YEAR_EVENT_INSERT, &n, *id, kind, label, starts_on, ends_on, year_id);
	if (e != ERR_OK)
		return e;
	return n == 0 ? ERR_NOT_FOUND : ERR_OK;
}

/* Every statement of this file, for tutoratctl check-sql. */
const struct db_sql *const annuaire_statements[] = {
    &Q_PEOPLE_LIST,	   &Q_PEOPLE_COUNT,
    &Q_PERSON_GET,	   &Q_PERSON_OF_ENTRY,
    &Q_PERSON_USERNAME,	   &Q_PERSON_RELINK,
    &Q_PERSON_ID,	   &Q_PERSON_INSERT,
    &Q_PERSON_UPDATE,	   &Q_PERSON_EXISTS,
    &Q_STRUCTURES_LIST,	   &Q_STRUCTURES_COUNT,
    &Q_STRUCTURE_GET,	   &Q_STRUCTURE_KIND,
    &Q_STRUCTURE_BY_CODE,  &Q_STRUCTURE_INSERT,
    &Q_STRUCTURE_UPDATE,   &Q_POLE_CIRCONSCRIPTIONS,
    &Q_ASSIGNMENT_INSERT,  &Q_ASSIGNMENT_GET,
    &Q_ASSIGNMENT_DELETE,  &Q_YEARS,
    &Q_YEAR_EVENTS,	   &Q_YEAR_INSERT,
    &Q_YEAR_CLEAR_CURRENT, &Q_YEAR_EVENT_INSERT,
    &Q_STRUCTURE_EXISTS,   NULL,
};
