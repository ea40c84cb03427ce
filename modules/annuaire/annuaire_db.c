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
    "SELECT p.id, p.username, p.display_name, p.email, p.active, " PERSON_ROLES
    " FROM person p " PEOPLE_FILTER "ORDER BY p.display_name, p.id LIMIT ? OFFSET ?"};

static const struct db_sql Q_PEOPLE_COUNT = {"SELECT COUNT(*) FROM person p " PEOPLE_FILTER};

/* The person and their assignments in one round trip: one row per
 * assignment (or one row with NULL assignment columns). */
static const struct db_sql Q_PERSON_GET = {
    "SELECT p.id, p.username, p.display_name, p.given_name, p.family_name, p.email, p.active, "
    "p.version, DATE_FORMAT(p.last_login_at, '%Y-%m-%dT%H:%i:%sZ'), p.ldap_dn IS NOT NULL, "
    "ra.id, ra.role, ra.scope_kind, ra.scope_id, s.name, ra.source "
    "FROM person p LEFT JOIN role_assignment ra ON ra.academy_id = p.academy_id "
    "AND ra.person_id = p.id LEFT JOIN structure s ON s.academy_id = ra.academy_id "
    "AND s.id = ra.scope_id WHERE p.academy_id = ? AND p.id = ? ORDER BY ra.role, s.name"};

static const struct db_sql Q_PERSON_ID = {
    "SELECT id FROM person WHERE academy_id = ? AND username = ?"};

static const struct db_sql Q_PERSON_INSERT = {
    "INSERT INTO person (academy_id, id, username, display_name, given_name, family_name, "
    "email, active, created_at, updated_at, version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, TRUE, NOW(3), NOW(3), 1)"};

static const struct db_sql Q_PERSON_UPDATE = {
    "UPDATE person SET display_name = IF(?, ?, display_name), given_name = IF(?, ?, given_name), "
    "family_name = IF(?, ?, family_name), email = IF(?, ?, email), active = IF(?, ?, active), "
    "version = version + 1, updated_at = NOW(3) "
    "WHERE academy_id = ? AND id = ? AND version = ?"};

static const struct db_sql Q_PERSON_EXISTS = {
    "SELECT version FROM person WHERE academy_id = ? AND id = ?"};

/* ---- structures ---- */

#define STRUCTURES_FILTER                                                                          \
	"WHERE s.academy_id = ? AND (? IS NULL OR s.kind = ?) AND (? IS NULL OR s.parent_id = ?) " \
	"AND (? IS NULL OR s.name LIKE ? OR s.code LIKE ?) "

/* One page and, in its last column, the number of rows of the whole filter
 * (the window is computed before LIMIT). */
static const struct db_sql Q_STRUCTURES_LIST = {
    "SELECT s.id, s.kind, s.code, s.name, s.parent_id, p.name, COUNT(*) OVER () FROM structure s "
    "LEFT JOIN structure p ON p.academy_id = s.academy_id AND p.id = s.parent_id "
    STRUCTURES_FILTER "ORDER BY s.kind, s.name, s.id LIMIT ? OFFSET ?"};

/* The total alone, for a page past the end (which has no row to carry it). */
static const struct db_sql Q_STRUCTURES_COUNT = {
    "SELECT COUNT(*) FROM structure s " STRUCTURES_FILTER};

static const struct db_sql Q_STRUCTURE_GET = {
    "SELECT s.id, s.kind, s.code, s.name, s.parent_id, p.name, s.version FROM structure s "
    "LEFT JOIN structure p ON p.academy_id = s.academy_id AND p.id = s.parent_id "
    "WHERE s.academy_id = ? AND s.id = ?"};

static const struct db_sql Q_STRUCTURE_KIND = {
    "SELECT kind FROM structure WHERE academy_id = ? AND id = ?"};

static const struct db_sql Q_STRUCTURE_BY_CODE = {
    "SELECT id FROM structure WHERE academy_id = ? AND kind = ? AND code = ?"};

static const struct db_sql Q_STRUCTURE_INSERT = {
    "INSERT INTO structure (academy_id, id, kind, code, name, parent_id, version) "
    "VALUES (?, ?, ?, ?, ?, ?, 1)"};

static const struct db_sql Q_STRUCTURE_UPDATE = {
    "UPDATE structure SET code = IF(?, ?, code), name = IF(?, ?, name), "
    "parent_id = IF(?, ?, parent_id), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ?"};

static const struct db_sql Q_POLE_CIRCONSCRIPTIONS = {
    "SELECT c.id, c.name FROM pole_circonscription pc JOIN structure c ON c.academy_id = "
    "pc.academy_id AND c.id = pc.circonscription_id WHERE pc.academy_id = ? AND pc.pole_id = ? "
    "ORDER BY c.name"};

/* ---- assignments ---- */

static const struct db_sql Q_ASSIGNMENT_INSERT = {
    "INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, source, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, 'local', NOW(3))"};

static const struct db_sql Q_ASSIGNMENT_GET = {
    "SELECT person_id, source, role, scope_kind, scope_id FROM role_assignment "
    "WHERE academy_id = ? AND id = ?"};

static const struct db_sql Q_ASSIGNMENT_DELETE = {
    "DELETE FROM role_assignment WHERE academy_id = ? AND id = ? AND source = 'local'"};

/* ---- years ---- */

static const struct db_sql Q_YEARS = {
    "SELECT id, label, DATE_FORMAT(starts_on, '%Y-%m-%d'), DATE_FORMAT(ends_on, '%Y-%m-%d'), "
    "current FROM school_year WHERE academy_id = ? ORDER BY starts_on DESC"};

static const struct db_sql Q_YEAR_EVENTS = {
    "SELECT year_id, id, kind, label, DATE_FORMAT(starts_on, '%Y-%m-%d'), "
    "DATE_FORMAT(ends_on, '%Y-%m-%d') FROM year_event WHERE academy_id = ? "
    "ORDER BY year_id, starts_on, id"};

static const struct db_sql Q_YEAR_INSERT = {
    "INSERT INTO school_year (academy_id, id, label, starts_on, ends_on, current, version) "
    "VALUES (?, ?, ?, ?, ?, ?, 1)"};

static const struct db_sql Q_YEAR_CLEAR_CURRENT = {
    "UPDATE school_year SET current = FALSE, version = version + 1 WHERE academy_id = ? AND "
    "current"};

static const struct db_sql Q_YEAR_EVENT_INSERT = {
    "INSERT INTO year_event (academy_id, id, year_id, kind, label, starts_on, ends_on) "
    "SELECT academy_id, ?, id, ?, ?, ?, ? FROM school_year WHERE academy_id = ? AND id = ?"};

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
	e = db_exec(r, &Q_PERSON_INSERT, NULL, "isssss", *id, in->username, in->display_name,
		    in->given_name, in->family_name, in->email);
	if (e == ERR_CONFLICT && db_last_was_duplicate(r))
		return fail(r, ERR_CONFLICT, "username", "Cet identifiant existe déjà.");
	return e;
}

enum err annuaire_person_id(struct req *r, const char *username, int64_t *id)
{
	struct db_res res;
	enum err e = db_query(r, &Q_PERSON_ID, &res, "s", username);

	if (e != ERR_OK)
		return e;
	if (res.n_rows != 1)
		return ERR_NOT_FOUND;
	*id = db_int(&res, 0, 0);
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
	return json_pack("{s:I, s:s, s:s, s:o, s:b, s:o}", "id", (json_int_t)db_int(res, i, 0),
			 "username", db_str(res, i, 1), "display_name", db_str(res, i, 2), "email",
			 JSTR(db_str(res, i, 3)), "active", db_int(res, i, 4) != 0, "roles",
			 roles_array(db_str(res, i, 5)));
}

enum err annuaire_person_get(struct req *r, int64_t id, json_t **out)
{
	struct db_res p;
	enum err e;
	json_t *list;

	e = db_query(r, &Q_PERSON_GET, &p, "i", id);
	if (e != ERR_OK)
		return e;
	if (p.n_rows == 0)
		return ERR_NOT_FOUND;
	list = json_array();
	for (size_t i = 0; i < p.n_rows; i++)
		if (!db_isnull(&p, i, 10))
			json_array_append_new(
			    list,
			    json_pack("{s:I, s:s, s:s, s:o, s:o, s:s}", "id",
				      (json_int_t)db_int(&p, i, 10), "role", db_str(&p, i, 11),
				      "scope_kind", db_str(&p, i, 12), "scope_id",
				      db_isnull(&p, i, 13) ? json_null()
							   : json_integer(db_int(&p, i, 13)),
				      "scope_name", JSTR(db_str(&p, i, 14)), "source",
				      db_str(&p, i, 15)));
	*out = json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:b, s:I, s:o, s:s, s:o}", "id",
			 (json_int_t)db_int(&p, 0, 0), "username", db_str(&p, 0, 1), "display_name",
			 db_str(&p, 0, 2), "given_name", JSTR(db_str(&p, 0, 3)), "family_name",
			 JSTR(db_str(&p, 0, 4)), "email", JSTR(db_str(&p, 0, 5)), "active",
			 db_int(&p, 0, 6) != 0, "version", (json_int_t)db_int(&p, 0, 7),
			 "last_login_at", JSTR(db_str(&p, 0, 8)), "origin",
			 db_int(&p, 0, 9) ? "ldap" : "local", "assignments", list);
	return *out != NULL ? ERR_OK : fail_internal(r, ERR_INTERNAL, "json pack failed");
}

static const char *structure_kind(struct req *r, int64_t id, enum err *e)
{
	struct db_res res;

	*e = db_query(r, &Q_STRUCTURE_KIND, &res, "i", id);
	if (*e != ERR_OK || res.n_rows != 1)
		return NULL;
	return db_str(&res, 0, 0);
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
			    "Ce type de structure n'a pas de parent.");
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
	e = db_exec(r, &Q_STRUCTURE_INSERT, NULL, "isssz", *id, kind, code, name, parent_id);
	if (e == ERR_CONFLICT && db_last_was_duplicate(r))
		return fail(r, ERR_CONFLICT, "code",
			    "Ce code existe déjà pour ce type de structure.");
	return e;
}

enum err annuaire_structure_id(struct req *r, const char *kind, const char *code, int64_t *id)
{
	struct db_res res;
	enum err e = db_query(r, &Q_STRUCTURE_BY_CODE, &res, "ss", kind, code);

	if (e != ERR_OK)
		return e;
	if (res.n_rows != 1)
		return ERR_NOT_FOUND;
	*id = db_int(&res, 0, 0);
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
			    "Une affectation à l'échelle de l'académie n'a pas de structure.");
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
	e = db_exec(r, &Q_ASSIGNMENT_INSERT, NULL, "iissz", *id, person_id, role, scope_kind,
		    scope_id);
	if (e == ERR_CONFLICT && db_last_was_duplicate(r))
		return fail(r, ERR_CONFLICT, "role", "Cette affectation existe déjà.");
	if (e == ERR_CONFLICT)
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

	e = db_query(r, &Q_PEOPLE_LIST, &res, "ssssssii", q, like, like, like, role, role, limit,
		     offset);
	if (e == ERR_OK)
		e = db_query(r, &Q_PEOPLE_COUNT, &count, "ssssss", q, like, like, like, role, role);
	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(items, person_summary(&res, i));
	*out = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total",
			 (json_int_t)db_int(&count, 0, 0), "limit", (json_int_t)limit, "offset",
			 (json_int_t)offset);
	return ERR_OK;
}

enum err annuaire_person_update(struct req *r, int64_t id, int64_t version,
				const struct person_update *u)
{
	uint64_t changed = 0;
	enum err e;

	e = db_exec(r, &Q_PERSON_UPDATE, &changed, "isisisisiiAii", (int64_t)u->set_display_name,
		    u->display_name, (int64_t)u->set_given_name, u->given_name,
		    (int64_t)u->set_family_name, u->family_name, (int64_t)u->set_email, u->email,
		    (int64_t)u->set_active, (int64_t)u->active, id, version);
	if (e != ERR_OK)
		return e;
	return changed == 1 ? ERR_OK : db_stale_or_missing(r, &Q_PERSON_EXISTS, id);
}

static const struct db_sql Q_STRUCTURE_EXISTS = {
    "SELECT version FROM structure WHERE academy_id = ? AND id = ?"};

static json_t *structure_json(const struct db_res *res, size_t i)
{
	return json_pack("{s:I, s:s, s:o, s:s, s:o, s:o}", "id", (json_int_t)db_int(res, i, 0),
			 "kind", db_str(res, i, 1), "code", JSTR(db_str(res, i, 2)), "name",
			 db_str(res, i, 3), "parent_id",
			 db_isnull(res, i, 4) ? json_null() : json_integer(db_int(res, i, 4)),
			 "parent_name", JSTR(db_str(res, i, 5)));
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

	e = db_query(r, &Q_STRUCTURES_LIST, &res, "sszzsssii", kind, kind, parent_id, parent_id, q,
		     like, like, limit, offset);
	if (e != ERR_OK)
		return e;
	if (res.n_rows > 0) {
		total = db_int(&res, 0, 6);
	} else if (offset > 0) {
		e = db_query(r, &Q_STRUCTURES_COUNT, &count, "sszzsss", kind, kind, parent_id,
			     parent_id, q, like, like);
		if (e != ERR_OK)
			return e;
		total = db_int(&count, 0, 0);
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
	enum err e = db_query(r, &Q_STRUCTURE_GET, &res, "i", id);

	if (e != ERR_OK)
		return e;
	if (res.n_rows != 1)
		return ERR_NOT_FOUND;
	*out = structure_json(&res, 0);
	json_object_set_new(*out, "version", json_integer(db_int(&res, 0, 6)));
	if (strcmp(db_str(&res, 0, 1), "pole") == 0) {
		json_t *list = json_array();

		e = db_query(r, &Q_POLE_CIRCONSCRIPTIONS, &circ, "i", id);
		for (size_t i = 0; e == ERR_OK && i < circ.n_rows; i++)
			json_array_append_new(list, json_pack("{s:I, s:s}", "id",
							      (json_int_t)db_int(&circ, i, 0),
							      "name", db_str(&circ, i, 1)));
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
	enum err e = db_query(r, &Q_STRUCTURE_GET, &res, "i", id);

	if (e != ERR_OK)
		return e;
	if (res.n_rows != 1)
		return ERR_NOT_FOUND;
	kind = db_str(&res, 0, 1);
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
	e = db_exec(r, &Q_STRUCTURE_UPDATE, &changed, "isisizAii", (int64_t)set_code, code,
		    (int64_t)set_name, name, (int64_t)set_parent, parent_id, id, version);
	if (e == ERR_CONFLICT && db_last_was_duplicate(r))
		return fail(r, ERR_CONFLICT, "code",
			    "Ce code existe déjà pour ce type de structure.");
	if (e != ERR_OK)
		return e;
	return changed == 1 ? ERR_OK : db_stale_or_missing(r, &Q_STRUCTURE_EXISTS, id);
}

enum err annuaire_assignment_delete(struct req *r, int64_t id, int64_t *person_id)
{
	struct db_res res;
	enum err e = db_query(r, &Q_ASSIGNMENT_GET, &res, "i", id);

	if (e != ERR_OK)
		return e;
	if (res.n_rows != 1)
		return ERR_NOT_FOUND;
	*person_id = db_int(&res, 0, 0);
	if (strcmp(db_str(&res, 0, 1), "local") != 0)
		return fail(r, ERR_CONFLICT, NULL,
			    "Cette affectation vient de l'annuaire LDAP de l'académie : elle se "
			    "modifie dans l'annuaire.");
	return db_exec(r, &Q_ASSIGNMENT_DELETE, NULL, "i", id);
}

enum err annuaire_years_list(struct req *r, json_t **out)
{
	struct db_res years, events;
	enum err e = db_query(r, &Q_YEARS, &years, "");
	json_t *items;

	if (e == ERR_OK)
		e = db_query(r, &Q_YEAR_EVENTS, &events, "");
	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < years.n_rows; i++) {
		json_t *ev = json_array();
		int64_t yid = db_int(&years, i, 0);

		for (size_t k = 0; k < events.n_rows; k++)
			if (db_int(&events, k, 0) == yid)
				json_array_append_new(ev,
						      json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
								(json_int_t)db_int(&events, k, 1),
								"kind", db_str(&events, k, 2),
								"label", db_str(&events, k, 3),
								"starts_on", db_str(&events, k, 4),
								"ends_on", db_str(&events, k, 5)));
		json_array_append_new(
		    items, json_pack("{s:I, s:s, s:s, s:s, s:b, s:o}", "id", (json_int_t)yid,
				     "label", db_str(&years, i, 1), "starts_on",
				     db_str(&years, i, 2), "ends_on", db_str(&years, i, 3),
				     "current", db_int(&years, i, 4) != 0, "events", ev));
	}
	*out = json_pack("{s:o}", "items", items);
	return ERR_OK;
}

enum err annuaire_year_create(struct req *r, const char *label, const char *starts_on,
			      const char *ends_on, bool current, int64_t *id)
{
	enum err e = ERR_OK;

	if (strcmp(starts_on, ends_on) >= 0)
		return fail(r, ERR_INVALID_FIELD, "ends_on", "La fin doit suivre le début.");
	if (current)
		e = db_exec(r, &Q_YEAR_CLEAR_CURRENT, NULL, "");
	*id = random_id();
	if (e == ERR_OK)
		e = db_exec(r, &Q_YEAR_INSERT, NULL, "isssi", *id, label, starts_on, ends_on,
			    (int64_t)current);
	if (e == ERR_CONFLICT && db_last_was_duplicate(r))
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
	e = db_exec(r, &Q_YEAR_EVENT_INSERT, &n, "issssAi", *id, kind, label, starts_on, ends_on,
		    year_id);
	if (e != ERR_OK)
		return e;
	return n == 0 ? ERR_NOT_FOUND : ERR_OK;
}
