/*
 * The SQL of the sopa module: every statement declared once with its
 * signature (tenant-bound: the académie comes from the request) and the
 * data functions the handlers call. Lists cost a bounded number of
 * statements whatever their length: a page of sites reads its periods and
 * staff in one statement each, a page of placements is one statement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "authz.h"
#include "db.h"
#include "notify.h"
#include "req.h"
#include "sopa.h"
#include "util.h"

#define ISO_UTC(col) "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"
#define IDS_JSON     "IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) j) "

/* The caller (a person placeholder) holds a local assignment scoped to the
 * site `site` of one of the roles `roles` (an SQL list). */
#define SITE_ROLE(site, roles)                                                                     \
	"EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = " site ".academy_id "      \
	"AND ra.person_id = ? AND ra.role IN " roles " AND ra.scope_kind = 'inspe_site' "          \
	"AND ra.scope_id = " site ".id)"
#define MANAGER_ROLES "('responsable_site', 'delegue_stage')"
#define OFFICE_ROLES  "('gestionnaire_scolarite')"
#define STAFF_ROLES   "('responsable_site', 'delegue_stage', 'gestionnaire_scolarite')"
/* The same against a site id column (not a structure alias). */
#define SITE_ID_ROLE(acad, site_id, roles)                                                         \
	"EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = " acad " "                 \
	"AND ra.person_id = ? AND ra.role IN " roles " AND ra.scope_kind = 'inspe_site' "          \
	"AND ra.scope_id = " site_id ")"

/* ---- relations (the resolver, the notifications' re-check) ---- */

static const struct db_sql Q_SITE_REL = {
    "SELECT s.id, " SITE_ROLE("s", MANAGER_ROLES) " AS manager, " SITE_ROLE(
	"s", OFFICE_ROLES) " AS office FROM structure s "
		       "WHERE s.academy_id = ? AND s.id = ? AND s.kind = 'inspe_site'",
    "iiAi", DB_COLS("id", "manager", "office")};

static const struct db_sql Q_PLACEMENT_REL = {
    "SELECT p.id, pe.site_id, p.student_id, p.mat_id, p.version, " SITE_ID_ROLE(
	"p.academy_id", "pe.site_id",
	MANAGER_ROLES) " AS manager, " SITE_ID_ROLE("p.academy_id", "pe.site_id",
						    OFFICE_ROLES) " AS office "
								  "FROM sopa_placement p JOIN sopa_period pe ON pe.academy_id = "
								  "p.academy_id AND pe.id = p.period_id "
								  "WHERE p.academy_id = ? AND p.id = ?",
    "iiAi", DB_COLS("id", "site_id", "student_id", "mat_id", "version", "manager", "office")};

/* Many placements (the reminders' notifications name one, sopa_remind_db.c). */
static const struct db_sql Q_PLACEMENT_RELS = {
    "SELECT p.id, pe.site_id, p.student_id, p.mat_id, p.version, " SITE_ID_ROLE(
	"p.academy_id", "pe.site_id", MANAGER_ROLES) " AS manager, " SITE_ID_ROLE("p.academy_id",
	"pe.site_id", OFFICE_ROLES) " AS office FROM sopa_placement p JOIN sopa_period pe ON "
	"pe.academy_id = p.academy_id AND pe.id = p.period_id WHERE p.academy_id = ? AND p.id " IDS_JSON,
    "iiAs", DB_COLS("id", "site_id", "student_id", "mat_id", "version", "manager", "office")};

#define REPORT_REL_COLS                                                                            \
	"SELECT rp.id, rp.placement_id, rp.number, rp.state, rp.version, p.student_id, p.mat_id, " \
	"pe.site_id, NOT EXISTS (SELECT 1 FROM sopa_report n WHERE n.academy_id = rp.academy_id "  \
	"AND n.placement_id = rp.placement_id AND n.number > rp.number) AS latest, " SITE_ID_ROLE( \
	    "p.academy_id", "pe.site_id",                                                          \
	    MANAGER_ROLES) " AS manager, " SITE_ID_ROLE("p.academy_id", "pe.site_id",              \
							OFFICE_ROLES) " AS office "                \
								      "FROM sopa_report rp "       \
								      "JOIN sopa_placement p ON "  \
								      "p.academy_id = "            \
								      "rp.academy_id AND p.id = "  \
								      "rp.placement_id "           \
								      "JOIN sopa_period pe ON "    \
								      "pe.academy_id = "           \
								      "p.academy_id AND pe.id = "  \
								      "p.period_id "
#define REPORT_REL_NAMES                                                                           \
	DB_COLS("id", "placement_id", "number", "state", "version", "student_id", "mat_id",        \
		"site_id", "latest", "manager", "office")
static const struct db_sql Q_REPORT_REL = {REPORT_REL_COLS "WHERE rp.academy_id = ? AND rp.id = ?",
					   "iiAi", REPORT_REL_NAMES};
static const struct db_sql Q_REPORT_RELS = {
    REPORT_REL_COLS "WHERE rp.academy_id = ? AND rp.id " IDS_JSON, "iiAs", REPORT_REL_NAMES};

/* The relations every site gives by role alone: the bureau des stages
 * manages, the direction reads. */
static unsigned role_bits(const struct req *r)
{
	return ((r->who.roles & R(BUREAU_STAGES)) ? SREL_SITE_MANAGER : 0) |
	       ((r->who.roles & R(DIRECTION_INSPE)) ? SREL_SITE_READER : 0);
}

static unsigned site_bits(const struct req *r, const struct db_res *res, size_t i)
{
	return role_bits(r) | (db_bool(res, i, "manager") ? SREL_SITE_MANAGER : 0) |
	       (db_bool(res, i, "office") ? SREL_SITE_OFFICE : 0);
}

static unsigned person_bits(const struct req *r, const struct db_res *res, size_t i)
{
	return (db_int(res, i, "mat_id") == r->who.person_id ? SREL_MAT : 0) |
	       (db_int(res, i, "student_id") == r->who.person_id ? SREL_STUDENT : 0);
}

/* A report: the student sees sent versions only. */
static unsigned report_bits(const struct req *r, const struct db_res *res, size_t i)
{
	unsigned bits = site_bits(r, res, i) | person_bits(r, res, i);
	const char *state = db_str(res, i, "state");

	if (state == NULL || strcmp(state, "sent") != 0)
		bits &= ~(unsigned)SREL_STUDENT;
	return bits;
}

enum err sdb_site_rel(struct req *r, int64_t id, struct sopa_ctx *c)
{
	struct db_res res;
	enum err e = db_one(r, &Q_SITE_REL, &res, r->who.person_id, r->who.person_id, id);

	if (e != ERR_OK)
		return e;
	c->id = c->site_id = id;
	c->rel = site_bits(r, &res, 0);
	return ERR_OK;
}

enum err sdb_placement_rel(struct req *r, int64_t id, struct sopa_ctx *c)
{
	struct db_res res;
	enum err e = db_one(r, &Q_PLACEMENT_REL, &res, r->who.person_id, r->who.person_id, id);

	if (e != ERR_OK)
		return e;
	c->id = c->placement_id = id;
	c->site_id = db_int(&res, 0, "site_id");
	c->student_id = db_int(&res, 0, "student_id");
	c->version = db_int(&res, 0, "version");
	c->rel = site_bits(r, &res, 0) | person_bits(r, &res, 0);
	return ERR_OK;
}

enum err sdb_report_rel(struct req *r, int64_t id, struct sopa_ctx *c)
{
	struct db_res res;
	enum err e = db_one(r, &Q_REPORT_REL, &res, r->who.person_id, r->who.person_id, id);
	const char *state;

	if (e != ERR_OK)
		return e;
	state = db_str(&res, 0, "state");
	c->id = id;
	c->placement_id = db_int(&res, 0, "placement_id");
	c->site_id = db_int(&res, 0, "site_id");
	c->student_id = db_int(&res, 0, "student_id");
	c->version = db_int(&res, 0, "version");
	c->number = (int)db_int(&res, 0, "number");
	c->sent = state != NULL && strcmp(state, "sent") == 0;
	c->latest = db_bool(&res, 0, "latest");
	c->rel = report_bits(r, &res, 0);
	return ERR_OK;
}

enum err sdb_relations_of(struct req *r, int kind, const int64_t *ids, size_t n, unsigned *rel)
{
	struct db_res res;
	const char *text;
	enum err e;

	if (kind != SOBJ_REPORT && kind != SOBJ_PLACEMENT)
		return ERR_OK; /* items name reports, and placements (the reminders) */
	text = notify_ids_json(r, ids, n);
	if (text == NULL)
		return ERR_INTERNAL; /* the request failed: no memory */
	e = db_rows(r, kind == SOBJ_REPORT ? &Q_REPORT_RELS : &Q_PLACEMENT_RELS, &res,
		    r->who.person_id, r->who.person_id, text);
	if (e != ERR_OK)
		return e;
	for (size_t row = 0; row < res.n_rows; row++)
		for (size_t i = 0; i < n; i++)
			if (ids[i] == db_int(&res, row, "id"))
				rel[i] = kind == SOBJ_REPORT
					     ? report_bits(r, &res, row)
					     : site_bits(r, &res, row) | person_bits(r, &res, row);
	return ERR_OK;
}

/* ---- years, sites, periods, staff ---- */

static const struct db_sql Q_CURRENT_YEAR = {
    "SELECT id FROM school_year WHERE academy_id = ? AND current", "", DB_COLS("id")};
static const struct db_sql Q_YEAR_DATES = {
    "SELECT starts_on, ends_on FROM school_year WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("starts_on", "ends_on")};

enum err sdb_current_year(struct req *r, int64_t *year_id)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_CURRENT_YEAR, &res);

	*year_id = e == ERR_OK && res.n_rows > 0 ? db_int(&res, 0, "id") : 0;
	return e;
}

enum err sdb_year_dates(struct req *r, int64_t year_id, bool *found, const char **starts_on,
			const char **ends_on)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_YEAR_DATES, &res, year_id);

	*found = e == ERR_OK && res.n_rows > 0;
	if (*found) {
		*starts_on = db_str(&res, 0, "starts_on");
		*ends_on = db_str(&res, 0, "ends_on");
	}
	return e;
}

/* The sites the caller holds a relation to (all of them for the bureau and
 * the direction), one page, with the set-up's version of the year. */
static const struct db_sql Q_SITES_PAGE = {
    "SELECT s.id, s.name, " SITE_ROLE("s", MANAGER_ROLES) " AS manager, " SITE_ROLE(
	"s", OFFICE_ROLES) " AS office, COALESCE(sy.version, 0) AS version, "
			   "COUNT(*) OVER () AS total FROM structure s "
			   "LEFT JOIN sopa_site_year sy ON sy.academy_id = s.academy_id "
			   "AND sy.site_id = s.id AND sy.year_id = ? "
			   "WHERE s.academy_id = ? AND s.kind = 'inspe_site' "
			   "AND (? OR " SITE_ROLE("s", STAFF_ROLES) ") AND (? = 0 OR s.id = ?) "
								    "ORDER BY s.name, s.id LIMIT ? OFFSET ?",
    "iiiAiiiiii", DB_COLS("id", "name", "manager", "office", "version", "total")};
static const struct db_sql Q_SITES_PERIODS = {
    "SELECT site_id, id, number, starts_on, ends_on, DATE_ADD(ends_on, INTERVAL 7 DAY) AS due_on "
    "FROM sopa_period WHERE academy_id = ? AND year_id = ? AND site_id " IDS_JSON
    "ORDER BY site_id, number",
    "is", DB_COLS("site_id", "id", "number", "starts_on", "ends_on", "due_on")};
static const struct db_sql Q_SITES_STAFF = {
    "SELECT ra.scope_id AS site_id, ra.id AS assignment_id, ra.role, p.id AS person_id, "
    "p.display_name, p.email FROM role_assignment ra JOIN person p ON p.academy_id = "
    "ra.academy_id AND p.id = ra.person_id WHERE ra.academy_id = ? AND ra.scope_kind = "
    "'inspe_site' AND ra.role IN " STAFF_ROLES " AND ra.scope_id " IDS_JSON
    "ORDER BY ra.role, p.display_name, ra.id",
    "s", DB_COLS("site_id", "assignment_id", "role", "person_id", "display_name", "email")};
static const struct db_sql Q_PROPOSED = {
    "SELECT kind, MIN(starts_on) AS starts_on, MIN(ends_on) AS ends_on FROM year_event "
    "WHERE academy_id = ? AND year_id = ? AND kind IN ('sopa_1', 'sopa_2', 'sopa_3', "
    "'sopa_4') GROUP BY kind ORDER BY kind",
    "i", DB_COLS("kind", "starts_on", "ends_on")};

/* Stage of a period: 1 -> 1, 2 -> 2, 3 -> 3, 4 -> 1 (its second week). */
static int stage_of(int64_t number) { return number == 4 ? 1 : (int)number; }

static json_t *period_json(int64_t id, int64_t number, const char *starts, const char *ends,
			   const char *due)
{
	json_t *o = json_pack("{s:I, s:i, s:s?, s:s?, s:s?}", "number", (json_int_t)number,
			      "stage", stage_of(number), "starts_on", starts, "ends_on", ends,
			      "due_on", due);

	if (o != NULL && id != 0)
		json_object_set_new(o, "id", json_integer(id));
	return o;
}

static json_t *relation_names(unsigned bits)
{
	json_t *a = json_array();

	for (unsigned i = 0; sopa_relation_names[i] != NULL; i++)
		if (bits & (1u << i))
			json_array_append_new(a, json_string(sopa_relation_names[i]));
	return a;
}

enum err sdb_sites_json(struct req *r, int64_t year_id, int64_t site_id, int64_t limit,
			int64_t offset, json_t **out)
{
	struct db_res page, periods, staff, proposed = {0};
	json_t *items = json_array(), *ids = jarena(r, json_array()), *prop = NULL;
	bool all = role_bits(r) != 0, need_proposed = false;
	char *text;
	enum err e = db_rows(r, &Q_SITES_PAGE, &page, r->who.person_id, r->who.person_id, year_id,
			     (int64_t)all, r->who.person_id, site_id, site_id, limit, offset);

	if (e != ERR_OK) {
		json_decref(items);
		return e;
	}
	for (size_t i = 0; i < page.n_rows; i++)
		json_array_append_new(ids, json_integer(db_int(&page, i, "id")));
	text = json_dumps(ids, JSON_COMPACT);
	if (text == NULL) {
		json_decref(items);
		return fail_internal(r, ERR_INTERNAL, "no memory");
	}
	e = db_rows(r, &Q_SITES_PERIODS, &periods, year_id, text);
	if (e == ERR_OK)
		e = db_rows(r, &Q_SITES_STAFF, &staff, text);
	free(text);
	for (size_t i = 0; e == ERR_OK && i < page.n_rows; i++) {
		int64_t sid = db_int(&page, i, "id");
		json_t *ps = json_array(), *st = json_array();
		json_t *site;

		for (size_t k = 0; k < periods.n_rows; k++)
			if (db_int(&periods, k, "site_id") == sid)
				json_array_append_new(
				    ps, period_json(db_int(&periods, k, "id"),
						    db_int(&periods, k, "number"),
						    db_str(&periods, k, "starts_on"),
						    db_str(&periods, k, "ends_on"),
						    db_str(&periods, k, "due_on")));
		for (size_t k = 0; k < staff.n_rows; k++)
			if (db_int(&staff, k, "site_id") == sid)
				json_array_append_new(
				    st, json_pack("{s:I, s:{s:I, s:s?, s:s?}, s:s?}", "assignment_id",
						  (json_int_t)db_int(&staff, k, "assignment_id"),
						  "person", "id",
						  (json_int_t)db_int(&staff, k, "person_id"),
						  "display_name", db_str(&staff, k, "display_name"),
						  "email", db_str(&staff, k, "email"), "role",
						  db_str(&staff, k, "role")));
		site = json_pack("{s:I, s:s?, s:I, s:I, s:o, s:o, s:o}", "id", (json_int_t)sid,
				 "name", db_str(&page, i, "name"), "year_id", (json_int_t)year_id,
				 "version", (json_int_t)db_int(&page, i, "version"), "periods", ps,
				 "staff", st, "my_relations", relation_names(site_bits(r, &page, i)));
		if (json_array_size(ps) == 0)
			need_proposed = true;
		json_array_append_new(items, site);
	}
	if (e == ERR_OK && need_proposed) {
		e = db_rows(r, &Q_PROPOSED, &proposed, year_id);
		prop = jarena(r, json_array());
		for (size_t k = 0; e == ERR_OK && k < proposed.n_rows; k++) {
			const char *kind = db_str(&proposed, k, "kind");
			int64_t number = kind != NULL ? kind[strlen(kind) - 1] - '0' : 0;
			char due[16] = "";
			json_t *p = period_json(0, number, db_str(&proposed, k, "starts_on"),
						db_str(&proposed, k, "ends_on"), NULL);

			(void)due;
			json_object_del(p, "due_on");
			json_array_append_new(prop, p);
		}
		for (size_t i = 0; e == ERR_OK && i < json_array_size(items); i++) {
			json_t *site = json_array_get(items, i);

			if (json_array_size(json_object_get(site, "periods")) == 0)
				json_object_set(site, "proposed_periods", prop);
		}
	}
	if (e != ERR_OK) {
		json_decref(items);
		return e;
	}
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)db_total(&page));
	return ERR_OK;
}

static const struct db_sql Q_SITE_YEAR_LOCK = {
    "SELECT id, version FROM sopa_site_year WHERE academy_id = ? AND site_id = ? "
    "AND year_id = ? FOR UPDATE",
    "ii", DB_COLS("id", "version")};
static const struct db_sql Q_SITE_YEAR_INSERT = {
    "INSERT INTO sopa_site_year (academy_id, id, site_id, year_id, updated_by, updated_at, "
    "version) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(3), 1)",
    "iiii"};
static const struct db_sql Q_SITE_YEAR_BUMP = {
    "UPDATE sopa_site_year SET version = version + 1, updated_by = ?, "
    "updated_at = UTC_TIMESTAMP(3) WHERE academy_id = ? AND id = ?",
    "iAi"};
static const struct db_sql Q_PERIOD_UPSERT = {
    "INSERT INTO sopa_period (academy_id, id, site_id, year_id, number, starts_on, ends_on) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE starts_on = VALUES(starts_on), "
    "ends_on = VALUES(ends_on)",
    "iiiiss"};

enum err sdb_site_year_lock(struct req *r, int64_t site_id, int64_t year_id, int64_t *row_id,
			    int64_t *version)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_SITE_YEAR_LOCK, &res, site_id, year_id);

	*row_id = *version = 0;
	if (e == ERR_OK && res.n_rows > 0) {
		*row_id = db_int(&res, 0, "id");
		*version = db_int(&res, 0, "version");
	}
	return e;
}

enum err sdb_site_year_write(struct req *r, int64_t site_id, int64_t year_id, int64_t row_id)
{
	if (row_id != 0)
		return db_run(r, &Q_SITE_YEAR_BUMP, NULL, r->who.person_id, row_id);
	return db_run(r, &Q_SITE_YEAR_INSERT, NULL, random_id(), site_id, year_id,
		      r->who.person_id);
}

enum err sdb_period_upsert(struct req *r, int64_t site_id, int64_t year_id, int number,
			   const char *starts_on, const char *ends_on)
{
	return db_run(r, &Q_PERIOD_UPSERT, NULL, random_id(), site_id, year_id, (int64_t)number,
		      starts_on, ends_on);
}

static const struct db_sql Q_STAFF_INSERT = {
    "INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, "
    "source, created_at) VALUES (?, ?, ?, ?, 'inspe_site', ?, 'local', UTC_TIMESTAMP(3))",
    "iisi"};
static const struct db_sql Q_STAFF_DELETE = {
    "DELETE FROM role_assignment WHERE academy_id = ? AND id = ? AND scope_kind = 'inspe_site' "
    "AND scope_id = ? AND source = 'local' AND role IN ('delegue_stage', "
    "'gestionnaire_scolarite')",
    "ii"};

enum err sdb_staff_add(struct req *r, int64_t site_id, int64_t person_id, const char *role,
		       int64_t *id)
{
	enum err e;

	*id = random_id();
	e = db_run(r, &Q_STAFF_INSERT, NULL, *id, person_id, role, site_id);
	return e == ERR_OK ? db_reference_changed(r) : e;
}

enum err sdb_staff_remove(struct req *r, int64_t site_id, int64_t assignment_id, bool *found)
{
	uint64_t n = 0;
	enum err e = db_run(r, &Q_STAFF_DELETE, &n, assignment_id, site_id);

	*found = n == 1;
	return e == ERR_OK && n == 1 ? db_reference_changed(r) : e;
}

/* ---- placements ---- */

static const struct db_sql Q_PERIOD_FIND = {
    "SELECT id FROM sopa_period WHERE academy_id = ? AND site_id = ? AND year_id = ? "
    "AND number = ?",
    "iii", DB_COLS("id")};
static const struct db_sql Q_HAS_ROLE = {
    "SELECT person_id FROM role_assignment WHERE academy_id = ? AND person_id = ? AND role = ? "
    "LIMIT 1",
    "is", DB_COLS("person_id")};
static const struct db_sql Q_IS_SCHOOL = {
    "SELECT id FROM structure WHERE academy_id = ? AND id = ? AND kind = 'school'", "i",
    DB_COLS("id")};
static const struct db_sql Q_SITE_BY_NAME = {
    "SELECT id FROM structure WHERE academy_id = ? AND kind = 'inspe_site' "
    "AND (name = ? OR code = ?) LIMIT 2",
    "ss", DB_COLS("id")};
static const struct db_sql Q_PERSON_LOCK = {
    "SELECT id FROM person WHERE academy_id = ? AND id = ? FOR UPDATE", "i", DB_COLS("id")};
static const struct db_sql Q_MAT_LOAD = {
    "SELECT COUNT(*) AS n FROM sopa_placement WHERE academy_id = ? AND period_id = ? "
    "AND mat_id = ? AND id <> ? FOR UPDATE",
    "iii", DB_COLS("n")};
static const struct db_sql Q_STUDENT_PLACED = {
    "SELECT id FROM sopa_placement WHERE academy_id = ? AND period_id = ? AND student_id = ? "
    "AND id <> ?",
    "iii", DB_COLS("id")};
static const struct db_sql Q_PLACEMENT_INSERT = {
    "INSERT INTO sopa_placement (academy_id, id, period_id, student_id, mat_id, school_id, "
    "class_level, pupils, created_by, created_at, version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), 1)",
    "iiiiisiz"};
static const struct db_sql Q_PLACEMENT_UPDATE = {
    "UPDATE sopa_placement SET mat_id = ?, school_id = ?, class_level = ?, pupils = ?, "
    "version = version + 1 WHERE academy_id = ? AND id = ? AND version = ?",
    "iisiAii"};
static const struct db_sql Q_PLACEMENT_DELETE = {
    "DELETE FROM sopa_placement WHERE academy_id = ? AND id = ?", "i"};
static const struct db_sql Q_PLACEMENT_REPORTS = {
    "SELECT COUNT(*) AS n, COALESCE(SUM(state = 'sent'), 0) AS sent FROM sopa_report "
    "WHERE academy_id = ? AND placement_id = ?",
    "i", DB_COLS("n", "sent")};
static const struct db_sql Q_PLACEMENT_IN = {
    "SELECT period_id, student_id, mat_id, school_id, class_level, pupils FROM sopa_placement "
    "WHERE academy_id = ? AND id = ?",
    "i", DB_COLS("period_id", "student_id", "mat_id", "school_id", "class_level", "pupils")};

enum err sdb_period_find(struct req *r, int64_t site_id, int64_t year_id, int number,
			 int64_t *period_id)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_PERIOD_FIND, &res, site_id, year_id, (int64_t)number);

	*period_id = e == ERR_OK && res.n_rows > 0 ? db_int(&res, 0, "id") : 0;
	return e;
}

enum err sdb_has_role(struct req *r, int64_t person_id, const char *role, bool *yes)
{
	return db_exists(r, &Q_HAS_ROLE, yes, person_id, role);
}

enum err sdb_is_school(struct req *r, int64_t id, bool *yes)
{
	return db_exists(r, &Q_IS_SCHOOL, yes, id);
}

static enum err one_or_zero(struct req *r, struct db_res *res, enum err e, int64_t *id)
{
	(void)r;
	*id = e == ERR_OK && res->n_rows == 1 ? db_int(res, 0, "id") : 0;
	return e;
}

enum err sdb_site_by_name(struct req *r, const char *name, int64_t *id)
{
	struct db_res res;

	enum err e = db_rows(r, &Q_SITE_BY_NAME, &res, name, name);

	return one_or_zero(r, &res, e, id);
}

enum err sdb_mat_load(struct req *r, int64_t mat_id, int64_t period_id, int64_t except,
		      int64_t *n)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_PERSON_LOCK, &res, mat_id);

	if (e == ERR_OK)
		e = db_one(r, &Q_MAT_LOAD, &res, period_id, mat_id, except);
	*n = e == ERR_OK ? db_int(&res, 0, "n") : 0;
	return e;
}

enum err sdb_student_placed(struct req *r, int64_t student_id, int64_t period_id,
			    int64_t except, bool *yes)
{
	return db_exists(r, &Q_STUDENT_PLACED, yes, period_id, student_id, except);
}

enum err sdb_placement_insert(struct req *r, int64_t id, const struct sopa_placement_in *in)
{
	return db_run(r, &Q_PLACEMENT_INSERT, NULL, id, in->period_id, in->student_id, in->mat_id,
		      in->school_id, in->class_level, in->pupils, r->who.person_id);
}

enum err sdb_placement_update(struct req *r, int64_t id, int64_t version,
			      const struct sopa_placement_in *in)
{
	uint64_t n = 0;
	enum err e = db_run(r, &Q_PLACEMENT_UPDATE, &n, in->mat_id, in->school_id, in->class_level,
			    in->pupils, id, version);

	if (e == ERR_OK && n != 1)
		return fail(r, ERR_PRECONDITION_FAILED, NULL,
			    "Le stage a été modifié par quelqu’un d’autre : rechargez-le.");
	return e;
}

enum err sdb_placement_delete(struct req *r, int64_t id)
{
	return db_run(r, &Q_PLACEMENT_DELETE, NULL, id);
}

enum err sdb_placement_reports(struct req *r, int64_t id, int64_t *n, int64_t *sent)
{
	struct db_res res;
	enum err e = db_one(r, &Q_PLACEMENT_REPORTS, &res, id);

	*n = e == ERR_OK ? db_int(&res, 0, "n") : 0;
	*sent = e == ERR_OK ? db_int(&res, 0, "sent") : 0;
	return e;
}

enum err sdb_placement_in(struct req *r, int64_t id, struct sopa_placement_in *in)
{
	struct db_res res;
	enum err e = db_one(r, &Q_PLACEMENT_IN, &res, id);

	if (e != ERR_OK)
		return e;
	in->period_id = db_int(&res, 0, "period_id");
	in->student_id = db_int(&res, 0, "student_id");
	in->mat_id = db_int(&res, 0, "mat_id");
	in->school_id = db_int(&res, 0, "school_id");
	in->class_level = db_str(&res, 0, "class_level");
	in->pupils = db_int(&res, 0, "pupils");
	return ERR_OK;
}

/*
 * A placement with its period, people, school, its latest report version
 * (lr) and its latest sent one (ls), the first sending (for the status)
 * and today's UTC date.
 */
#define LATEST(alias, cond)                                                                        \
	"LEFT JOIN sopa_report " alias " ON " alias ".academy_id = p.academy_id AND " alias        \
	".placement_id = p.id AND " alias ".number = (SELECT MAX(x.number) FROM sopa_report x "    \
	"WHERE x.academy_id = p.academy_id AND x.placement_id = p.id" cond ") "
#define PLACEMENT_FROM                                                                             \
	"SELECT p.id, pe.year_id, pe.site_id, s.name AS site_name, pe.id AS period_id, pe.number, " \
	"pe.starts_on, pe.ends_on, DATE_ADD(pe.ends_on, INTERVAL 7 DAY) AS due_on, p.student_id, " \
	"st.display_name AS student_name, p.mat_id, mt.display_name AS mat_name, p.school_id, "    \
	"sc.name AS school_name, sc.code AS school_code, p.class_level, p.pupils, p.version, "     \
	"lr.id AS r_id, lr.number AS r_number, lr.state AS r_state, " ISO_UTC(                    \
	    "lr.sent_at") " AS r_sent_at, lr.late AS r_late, lr.ue4_recorded_at IS NOT NULL AS "   \
			  "r_ue4, ls.id AS s_id, ls.number AS s_number, " ISO_UTC(                 \
			      "ls.sent_at") " AS s_sent_at, ls.late AS s_late, "                   \
					    "ls.ue4_recorded_at IS NOT NULL AS s_ue4, ls.step AS " \
					    "s_step, ls.absences_half_days AS s_absences, ls.c1, " \
					    "ls.c2, ls.c6, ls.c7, ls.c11, "                        \
					    "(SELECT DATE(MIN(y.sent_at)) FROM sopa_report y "     \
					    "WHERE y.academy_id = p.academy_id AND "               \
					    "y.placement_id = p.id AND y.state = 'sent') AS "      \
					    "first_sent_on, UTC_DATE() AS today, "                 \
					    "EXISTS (SELECT 1 FROM sopa_jury j WHERE "             \
					    "j.academy_id = p.academy_id AND j.site_id = "         \
					    "pe.site_id AND j.year_id = pe.year_id AND j.mat_id "  \
					    "= p.mat_id) AS jury "                                 \
					    "FROM sopa_placement p JOIN sopa_period pe ON "        \
					    "pe.academy_id = p.academy_id AND pe.id = "            \
					    "p.period_id JOIN structure s ON s.academy_id = "      \
					    "pe.academy_id AND s.id = pe.site_id JOIN person st "  \
					    "ON st.academy_id = p.academy_id AND st.id = "         \
					    "p.student_id JOIN person mt ON mt.academy_id = "      \
					    "p.academy_id AND mt.id = p.mat_id JOIN structure sc " \
					    "ON sc.academy_id = p.academy_id AND sc.id = "         \
					    "p.school_id " LATEST("lr", "") LATEST(                \
						"ls", " AND x.state = 'sent'")
#define PLACEMENT_NAMES                                                                            \
	"id", "year_id", "site_id", "site_name", "period_id", "number", "starts_on", "ends_on",    \
	    "due_on", "student_id", "student_name", "mat_id", "mat_name", "school_id",             \
	    "school_name", "school_code", "class_level", "pupils", "version", "r_id", "r_number",  \
	    "r_state", "r_sent_at", "r_late", "r_ue4", "s_id", "s_number", "s_sent_at", "s_late",  \
	    "s_ue4", "s_step", "s_absences", "c1", "c2", "c6", "c7", "c11", "first_sent_on",       \
	    "today", "jury"
static const struct db_sql Q_PLACEMENT_GET = {PLACEMENT_FROM "WHERE p.academy_id = ? AND p.id = ?",
					      "i", DB_COLS(PLACEMENT_NAMES)};
static const struct db_sql Q_PLACEMENTS_PAGE = {
    "SELECT q.*, " SITE_ID_ROLE("?", "q.site_id", MANAGER_ROLES) " AS manager, " SITE_ID_ROLE(
	"?", "q.site_id", OFFICE_ROLES) " AS office, COUNT(*) OVER () AS total FROM (" PLACEMENT_FROM
    "WHERE p.academy_id = ? AND (? OR p.mat_id = ? OR p.student_id = ? OR " SITE_ID_ROLE(
	"p.academy_id", "pe.site_id",
	STAFF_ROLES) ") AND pe.year_id = ? AND (? = 0 OR pe.site_id = ?) "
		     "AND (? = 0 OR pe.number = ?) AND (? = 0 OR p.mat_id = ?) "
		     "AND (? = 0 OR p.student_id = ?) AND (? IS NULL OR st.display_name LIKE ? "
		     "OR mt.display_name LIKE ?)) q "
		     "ORDER BY q.number, q.site_name, q.student_name, q.id LIMIT ? OFFSET ?",
    "AiAiAiiiiiiiiiiiiisssii", DB_COLS(PLACEMENT_NAMES, "manager", "office", "total")};

/* received / late / missing / due / upcoming (docs/sopa.md). */
static const char *status_of(const struct db_res *res, size_t i)
{
	const char *first = db_str(res, i, "first_sent_on"), *due = db_str(res, i, "due_on");
	const char *today = db_str(res, i, "today"), *ends = db_str(res, i, "ends_on");

	if (first != NULL)
		return strcmp(first, due) <= 0 ? "received" : "late";
	if (strcmp(today, due) > 0)
		return "missing";
	return strcmp(today, ends) > 0 ? "due" : "upcoming";
}

static json_t *report_summary(const struct db_res *res, size_t i, const char *p)
{
	char col[16];
	json_t *o;

#define C(name) (snprintf(col, sizeof(col), "%s_%s", p, name), col)
	if (db_isnull(res, i, C("id")))
		return json_null();
	o = json_pack("{s:I, s:I}", "id", (json_int_t)db_int(res, i, C("id")), "number",
		      (json_int_t)db_int(res, i, C("number")));
	json_object_set_new(o, "state",
			    json_string(p[0] == 's' ? "sent" : db_str(res, i, C("state"))));
	json_object_set_new(o, "sent_at", JSTR(db_str(res, i, C("sent_at"))));
	json_object_set_new(o, "late", json_boolean(db_bool(res, i, C("late"))));
	json_object_set_new(o, "ue4_recorded", json_boolean(db_bool(res, i, C("ue4"))));
#undef C
	return o;
}

static json_t *placement_row(const struct req *r, const struct db_res *res, size_t i,
			     unsigned rel)
{
	/* The student sees only sent versions; the others the latest one. */
	bool student_only = (rel & ~(unsigned)SREL_STUDENT) == 0;
	int64_t number = db_int(res, i, "number");
	json_t *o;

	(void)r;
	o = json_pack(
	    "{s:I, s:I, s:{s:I, s:s?}, s:o, s:{s:I, s:s?}, s:{s:I, s:s?, s:b}, s:{s:I, s:s?, s:s?}, "
	    "s:s?, s:I, s:o, s:s, s:I}",
	    "id", (json_int_t)db_int(res, i, "id"), "year_id",
	    (json_int_t)db_int(res, i, "year_id"), "site", "id",
	    (json_int_t)db_int(res, i, "site_id"), "name", db_str(res, i, "site_name"), "period",
	    period_json(db_int(res, i, "period_id"), number, db_str(res, i, "starts_on"),
			db_str(res, i, "ends_on"), db_str(res, i, "due_on")),
	    "student", "id", (json_int_t)db_int(res, i, "student_id"), "display_name",
	    db_str(res, i, "student_name"), "mat", "id", (json_int_t)db_int(res, i, "mat_id"),
	    "display_name", db_str(res, i, "mat_name"), "jury_ue4", db_bool(res, i, "jury"),
	    "school", "id", (json_int_t)db_int(res, i, "school_id"), "name",
	    db_str(res, i, "school_name"), "code", db_str(res, i, "school_code"), "class_level",
	    db_str(res, i, "class_level"), "pupils", (json_int_t)db_int(res, i, "pupils"), "report",
	    report_summary(res, i, student_only ? "s" : "r"), "status", status_of(res, i),
	    "version", (json_int_t)db_int(res, i, "version"));
	if (o != NULL)
		json_object_set_new(o, "my_relations", relation_names(rel));
	return o;
}

enum err sdb_placement_json(struct req *r, int64_t id, unsigned rel, json_t **out)
{
	struct db_res res;
	enum err e = db_one(r, &Q_PLACEMENT_GET, &res, id);

	if (e == ERR_OK)
		*out = placement_row(r, &res, 0, rel);
	return e;
}

/* filters: {year_id, site_id, period, mat_id, student_id, q} (0/NULL: any). */
enum err sdb_placements_json(struct req *r, json_t *f, int64_t limit, int64_t offset,
			     json_t **out)
{
	struct db_res res;
	bool all = role_bits(r) != 0;
#define F(name) ((int64_t)json_integer_value(json_object_get(f, name)))
	const char *q = db_like_contains(r, json_string_value(json_object_get(f, "q")));
	enum err e = db_rows(r, &Q_PLACEMENTS_PAGE, &res, r->who.person_id, r->who.person_id,
			     (int64_t)all, r->who.person_id,
			     r->who.person_id, r->who.person_id, F("year_id"), F("site_id"),
			     F("site_id"), F("period"), F("period"), F("mat_id"), F("mat_id"),
			     F("student_id"), F("student_id"), q, q, q, limit, offset);
#undef F
	json_t *items;

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(items, placement_row(r, &res, i,
							   site_bits(r, &res, i) |
							       person_bits(r, &res, i)));
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)db_total(&res));
	return ERR_OK;
}

static const struct db_sql Q_JURY_ADD = {
    "INSERT IGNORE INTO sopa_jury (academy_id, id, site_id, year_id, mat_id, named_by, named_at) "
    "VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))",
    "iiiii"};
static const struct db_sql Q_JURY_REMOVE = {
    "DELETE FROM sopa_jury WHERE academy_id = ? AND site_id = ? AND year_id = ? AND mat_id = ?",
    "iii"};

enum err sdb_jury_set(struct req *r, int64_t site_id, int64_t year_id, int64_t mat_id, bool jury)
{
	if (jury)
		return db_run(r, &Q_JURY_ADD, NULL, random_id(), site_id, year_id, mat_id,
			      r->who.person_id);
	return db_run(r, &Q_JURY_REMOVE, NULL, site_id, year_id, mat_id);
}

static const struct db_sql Q_CSV_ROWS = {
    PLACEMENT_FROM "WHERE p.academy_id = ? AND pe.site_id = ? AND pe.year_id = ? "
		   "AND (? = 0 OR pe.number = ?) ORDER BY pe.number, st.display_name, p.id "
		   "LIMIT 20000",
    "iiii", DB_COLS(PLACEMENT_NAMES)};

static void csv_field(struct arena *a, char **buf, size_t *len, size_t *cap, const char *v,
		      bool last)
{
	size_t n = v != NULL ? strlen(v) : 0, need = 2 * n + 5;
	bool quote = v != NULL && strpbrk(v, ",\"\r\n") != NULL;

	if (*len + need > *cap) {
		size_t ncap = (*cap + need) * 2;
		char *nb = arena_alloc(a, ncap);

		if (nb == NULL)
			return;
		memcpy(nb, *buf, *len);
		*buf = nb;
		*cap = ncap;
	}
	if (quote)
		(*buf)[(*len)++] = '"';
	if (csv_formula(v))
		(*buf)[(*len)++] = '\'';
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '"')
			(*buf)[(*len)++] = '"';
		(*buf)[(*len)++] = v[i];
	}
	if (quote)
		(*buf)[(*len)++] = '"';
	(*buf)[(*len)++] = last ? '\n' : ',';
}

enum err sdb_reports_csv(struct req *r, int64_t site_id, int64_t year_id, int period,
			 char **csv, size_t *len)
{
	static const char *const header[] = {
	    "period", "student", "mat", "school", "status", "sent_at", "step",
	    "absences_half_days", "C1", "C2", "C6", "C7", "C11", "ue4_recorded", NULL};
	struct db_res res;
	size_t cap = 4096;
	char *buf = arena_alloc(r->arena, cap);
	enum err e = db_rows(r, &Q_CSV_ROWS, &res, site_id, year_id, (int64_t)period,
			     (int64_t)period);

	if (e != ERR_OK)
		return e;
	if (buf == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	*len = 0;
	for (size_t c = 0; header[c] != NULL; c++)
		csv_field(r->arena, &buf, len, &cap, header[c], header[c + 1] == NULL);
	for (size_t i = 0; i < res.n_rows; i++) {
		bool sent = !db_isnull(&res, i, "s_id");
		const char *v[] = {
		    db_str(&res, i, "number"),
		    db_str(&res, i, "student_name"),
		    db_str(&res, i, "mat_name"),
		    arena_printf(r->arena, "%s (%s)", db_str(&res, i, "school_name"),
				 db_str(&res, i, "school_code") ? db_str(&res, i, "school_code")
								: ""),
		    status_of(&res, i),
		    db_str(&res, i, "s_sent_at"),
		    db_str(&res, i, "s_step"),
		    db_str(&res, i, "s_absences"),
		    db_str(&res, i, "c1"),
		    db_str(&res, i, "c2"),
		    db_str(&res, i, "c6"),
		    db_str(&res, i, "c7"),
		    db_str(&res, i, "c11"),
		    sent ? (db_bool(&res, i, "s_ue4") ? "oui" : "non") : "",
		};
		size_t n = sizeof(v) / sizeof(v[0]);

		for (size_t c = 0; c < n; c++)
			csv_field(r->arena, &buf, len, &cap, v[c], c + 1 == n);
	}
	*csv = buf;
	return ERR_OK;
}

/* ---- reports ---- */

static const struct db_sql Q_REPORT_INSERT = {
    "INSERT INTO sopa_report (academy_id, id, placement_id, number, state, created_by, "
    "created_at, updated_at, version) VALUES (?, ?, ?, 1, 'draft', ?, UTC_TIMESTAMP(3), "
    "UTC_TIMESTAMP(3), 1)",
    "iii"};
#define REPORT_FIELDS                                                                              \
	"absences_half_days, step, comments_steps_12, comments_steps_34, sessions_led, "           \
	"sessions_designed, c1, c2, c6, c7, c11, advice_1, advice_2"
static const struct db_sql Q_REPORT_COPY = {
    "INSERT INTO sopa_report (academy_id, id, placement_id, number, state, " REPORT_FIELDS
    ", created_by, created_at, updated_at, version) SELECT academy_id, ?, placement_id, "
    "number + 1, 'draft', " REPORT_FIELDS ", ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), 1 "
    "FROM sopa_report WHERE academy_id = ? AND id = ?",
    "iiAi"};
#define SETF(col) col " = IF(?, ?, " col "), "
static const struct db_sql Q_REPORT_UPDATE = {
    "UPDATE sopa_report SET " SETF("absences_half_days") SETF("step") SETF("comments_steps_12")
	SETF("comments_steps_34") SETF("sessions_led") SETF("sessions_designed") SETF("c1")
	    SETF("c2") SETF("c6") SETF("c7") SETF("c11") SETF("advice_1") SETF("advice_2")
		"updated_at = UTC_TIMESTAMP(3), version = version + 1 "
		"WHERE academy_id = ? AND id = ? AND version = ? AND state = 'draft'",
    "isisisisisisisisisisisisisAii"};
static const struct db_sql Q_REPORT_CAPACITY = {
    "SELECT pe.starts_on, pe.ends_on FROM sopa_report rp JOIN sopa_placement p ON "
    "p.academy_id = rp.academy_id AND p.id = rp.placement_id JOIN sopa_period pe ON "
    "pe.academy_id = p.academy_id AND pe.id = p.period_id WHERE rp.academy_id = ? AND rp.id = ?",
    "i", DB_COLS("starts_on", "ends_on")};
static const struct db_sql Q_REPORT_FIELDS = {
    "SELECT " REPORT_FIELDS " FROM sopa_report WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("absences_half_days", "step", "comments_steps_12", "comments_steps_34",
	    "sessions_led", "sessions_designed", "c1", "c2", "c6", "c7", "c11", "advice_1",
	    "advice_2")};
static const struct db_sql Q_REPORT_SEND = {
    "UPDATE sopa_report rp JOIN sopa_placement p ON p.academy_id = rp.academy_id "
    "AND p.id = rp.placement_id JOIN sopa_period pe ON pe.academy_id = p.academy_id "
    "AND pe.id = p.period_id SET rp.state = 'sent', rp.sent_at = UTC_TIMESTAMP(3), "
    "rp.sent_by = ?, rp.period_starts_on = pe.starts_on, rp.period_ends_on = pe.ends_on, "
    "rp.due_on = DATE_ADD(pe.ends_on, INTERVAL 7 DAY), "
    "rp.late = UTC_DATE() > DATE_ADD(pe.ends_on, INTERVAL 7 DAY), "
    "rp.updated_at = UTC_TIMESTAMP(3), rp.version = rp.version + 1 "
    "WHERE rp.academy_id = ? AND rp.id = ? AND rp.state = 'draft' AND rp.version = ?",
    "iAii"};
static const struct db_sql Q_REPORT_UE4 = {
    "UPDATE sopa_report SET ue4_recorded_at = IF(?, UTC_TIMESTAMP(3), NULL), "
    "ue4_recorded_by = IF(?, ?, NULL), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND state = 'sent'",
    "iiiAi"};
static const struct db_sql Q_REPORT_GET = {
    "SELECT rp.id, rp.placement_id, rp.number, rp.state, " REPORT_FIELDS ", " ISO_UTC(
	"rp.created_at") " AS created_at, " ISO_UTC("rp.updated_at") " AS updated_at, " ISO_UTC("rp.sent_at") " AS sent_at, "
									   "rp.sent_by, sb.display_name AS sent_by_name, rp.late, " ISO_UTC(
									       "rp.ue4_recorded_at") " AS ue4_recorded_at, rp.version, "
												     "COALESCE(rp.period_starts_on, pe.starts_on) AS starts_on, "
												     "COALESCE(rp.period_ends_on, pe.ends_on) AS ends_on, "
												     "COALESCE(rp.due_on, DATE_ADD(pe.ends_on, INTERVAL 7 DAY)) AS due_on, "
												     "pe.number AS period_number, pe.site_id, p.student_id, "
												     "st.display_name AS student_name, p.mat_id, mt.display_name AS mat_name, "
												     "sc.name AS school_name, sc.code AS school_code, p.class_level, p.pupils "
												     "FROM sopa_report rp JOIN sopa_placement p ON p.academy_id = rp.academy_id "
												     "AND p.id = rp.placement_id JOIN sopa_period pe ON pe.academy_id = "
												     "p.academy_id AND pe.id = p.period_id JOIN person st ON st.academy_id = "
												     "p.academy_id AND st.id = p.student_id JOIN person mt ON mt.academy_id = "
												     "p.academy_id AND mt.id = p.mat_id JOIN structure sc ON sc.academy_id = "
												     "p.academy_id AND sc.id = p.school_id LEFT JOIN person sb ON "
												     "sb.academy_id = rp.academy_id AND sb.id = rp.sent_by "
												     "WHERE rp.academy_id = ? AND rp.id = ?",
    "i",
    DB_COLS("id", "placement_id", "number", "state", "absences_half_days", "step",
	    "comments_steps_12", "comments_steps_34", "sessions_led", "sessions_designed", "c1",
	    "c2", "c6", "c7", "c11", "advice_1", "advice_2", "created_at", "updated_at", "sent_at",
	    "sent_by", "sent_by_name", "late", "ue4_recorded_at", "version", "starts_on",
	    "ends_on", "due_on", "period_number", "site_id", "student_id", "student_name",
	    "mat_id", "mat_name", "school_name", "school_code", "class_level", "pupils")};
static const struct db_sql Q_REPORT_VERSIONS = {
    "SELECT id, number, state, " ISO_UTC("sent_at") " AS sent_at FROM sopa_report "
						    "WHERE academy_id = ? AND placement_id = ? "
						    "AND (? = 0 OR state = 'sent') ORDER BY number",
    "ii", DB_COLS("id", "number", "state", "sent_at")};
static const struct db_sql Q_SITE_OFFICE_IDS = {
    "SELECT DISTINCT person_id FROM role_assignment WHERE academy_id = ? "
    "AND role = 'gestionnaire_scolarite' AND scope_kind = 'inspe_site' AND scope_id = ?",
    "i", DB_COLS("person_id")};
static const struct db_sql Q_PERSON_NAME = {
    "SELECT display_name FROM person WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("display_name")};

static const char *const competences[] = {"C1", "C2", "C6", "C7", "C11"};
static const char *const competence_cols[] = {"c1", "c2", "c6", "c7", "c11"};

enum err sdb_report_insert(struct req *r, int64_t id, int64_t placement_id)
{
	return db_run(r, &Q_REPORT_INSERT, NULL, id, placement_id, r->who.person_id);
}

enum err sdb_report_correction(struct req *r, int64_t id, int64_t from)
{
	return db_run(r, &Q_REPORT_COPY, NULL, id, r->who.person_id, from);
}

enum err sdb_report_update(struct req *r, int64_t id, int64_t version,
			   const struct sopa_draft *d)
{
	uint64_t n = 0;
	const struct sopa_draft *v = d;
	enum err e = db_run(
	    r, &Q_REPORT_UPDATE, &n, (int64_t)v->set[0], v->val[0], (int64_t)v->set[1], v->val[1],
	    (int64_t)v->set[2], v->val[2], (int64_t)v->set[3], v->val[3], (int64_t)v->set[4],
	    v->val[4], (int64_t)v->set[5], v->val[5], (int64_t)v->set[6], v->val[6],
	    (int64_t)v->set[7], v->val[7], (int64_t)v->set[8], v->val[8], (int64_t)v->set[9],
	    v->val[9], (int64_t)v->set[10], v->val[10], (int64_t)v->set[11], v->val[11],
	    (int64_t)v->set[12], v->val[12], id, version);

	_Static_assert(SF__MAX == 13, "Q_REPORT_UPDATE sets 13 fields");
	if (e == ERR_OK && n != 1)
		return fail(r, ERR_PRECONDITION_FAILED, NULL,
			    "Le compte-rendu a été modifié par quelqu’un d’autre : rechargez-le.");
	return e;
}

/* The number written by the n digits at s; -1 for anything else. */
static int64_t digits(const char *s, int n)
{
	int64_t v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days since 1970-01-01 of a YYYY-MM-DD date (H. Hinnant's algorithm). */
static int64_t days_of(const char *d)
{
	int64_t y, m, dd, era, yoe, doy, doe;

	if (d == NULL || strlen(d) < 10 || d[4] != '-' || d[7] != '-')
		return 0;
	y = digits(d, 4);
	m = digits(d + 5, 2);
	dd = digits(d + 8, 2);
	if (y < 0 || m < 1 || m > 12 || dd < 1)
		return 0;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t sopa_days(const char *date) { return days_of(date); }

enum err sdb_report_capacity(struct req *r, int64_t id, int64_t *half_days)
{
	struct db_res res;
	enum err e = db_one(r, &Q_REPORT_CAPACITY, &res, id);
	int64_t from, to, n = 0;

	if (e != ERR_OK)
		return e;
	from = days_of(db_str(&res, 0, "starts_on"));
	to = days_of(db_str(&res, 0, "ends_on"));
	for (int64_t day = from; day <= to; day++) {
		int64_t wd = ((day % 7) + 10) % 7; /* 1970-01-01 was a Thursday (3; 0 = Monday) */

		if (wd < 5)
			n++;
	}
	*half_days = 2 * n;
	return ERR_OK;
}

enum err sdb_report_missing(struct req *r, int64_t id, const char **field, const char **detail)
{
	struct db_res res;
	enum err e = db_one(r, &Q_REPORT_FIELDS, &res, id);
	char *missing = NULL;

	*field = *detail = NULL;
	if (e != ERR_OK)
		return e;
	if (db_isnull(&res, 0, "step")) {
		*field = "step";
		*detail = "Indiquez l’étape atteinte.";
		return ERR_OK;
	}
	if (db_isnull(&res, 0, "absences_half_days")) {
		*field = "absences_half_days";
		*detail = "Indiquez le nombre de demi-journées d’absence (0 s’il n’y en a pas).";
		return ERR_OK;
	}
	for (size_t c = 0; c < 5; c++)
		if (db_isnull(&res, 0, competence_cols[c]))
			missing = missing == NULL
				      ? arena_printf(r->arena, "%s", competences[c])
				      : arena_printf(r->arena, "%s, %s", missing, competences[c]);
	if (missing != NULL) {
		*field = "ethics";
		*detail = arena_printf(r->arena, "Grille éthique incomplète : %s.", missing);
		return ERR_OK;
	}
	if (db_isnull(&res, 0, "advice_1") || db_isnull(&res, 0, "advice_2")) {
		*field = "advice";
		*detail = "Les deux conseils sont attendus.";
	}
	return ERR_OK;
}

enum err sdb_report_send(struct req *r, int64_t id, int64_t version, bool *done)
{
	uint64_t n = 0;
	enum err e = db_run(r, &Q_REPORT_SEND, &n, r->who.person_id, id, version);

	*done = n == 1;
	return e;
}

enum err sdb_report_ue4(struct req *r, int64_t id, bool recorded)
{
	return db_run(r, &Q_REPORT_UE4, NULL, (int64_t)recorded, (int64_t)recorded,
		      r->who.person_id, id);
}

static json_t *int_or_null(const struct db_res *res, const char *col)
{
	return db_isnull(res, 0, col) ? json_null() : json_integer(db_int(res, 0, col));
}

enum err sdb_report_json(struct req *r, int64_t id, unsigned rel, json_t **out)
{
	struct db_res res, versions;
	bool student_only = (rel & ~(unsigned)SREL_STUDENT) == 0;
	json_t *o, *ethics = json_array(), *advice = json_array(), *vs = json_array();
	enum err e = db_one(r, &Q_REPORT_GET, &res, id);

	if (e == ERR_OK)
		e = db_rows(r, &Q_REPORT_VERSIONS, &versions, db_int(&res, 0, "placement_id"),
			    (int64_t)student_only);
	if (e != ERR_OK) {
		json_decref(ethics), json_decref(advice), json_decref(vs);
		return e;
	}
	for (size_t c = 0; c < 5; c++)
		if (!db_isnull(&res, 0, competence_cols[c]))
			json_array_append_new(ethics,
					      json_pack("{s:s, s:s}", "competence", competences[c],
							"rating", db_str(&res, 0, competence_cols[c])));
	if (!db_isnull(&res, 0, "advice_1"))
		json_array_append_new(advice, json_pack("{s:s}", "text", db_str(&res, 0, "advice_1")));
	if (!db_isnull(&res, 0, "advice_2"))
		json_array_append_new(advice, json_pack("{s:s}", "text", db_str(&res, 0, "advice_2")));
	for (size_t i = 0; i < versions.n_rows; i++)
		json_array_append_new(
		    vs, json_pack("{s:I, s:I, s:s?, s:s?}", "id", (json_int_t)db_int(&versions, i, "id"),
				  "number", (json_int_t)db_int(&versions, i, "number"), "state",
				  db_str(&versions, i, "state"), "sent_at",
				  db_str(&versions, i, "sent_at")));
	o = json_pack("{s:I, s:I, s:I, s:s?, s:{s:I, s:s?}, s:{s:I, s:s?}, s:{s:s?, s:s?}, s:s?, s:I, "
		      "s:o, s:o, s:o, s:o}",
		      "id", (json_int_t)id, "placement_id",
		      (json_int_t)db_int(&res, 0, "placement_id"), "number",
		      (json_int_t)db_int(&res, 0, "number"), "state", db_str(&res, 0, "state"),
		      "student", "id", (json_int_t)db_int(&res, 0, "student_id"), "display_name",
		      db_str(&res, 0, "student_name"), "mat", "id",
		      (json_int_t)db_int(&res, 0, "mat_id"), "display_name",
		      db_str(&res, 0, "mat_name"), "school", "name", db_str(&res, 0, "school_name"),
		      "code", db_str(&res, 0, "school_code"), "class_level",
		      db_str(&res, 0, "class_level"), "pupils", (json_int_t)db_int(&res, 0, "pupils"),
		      "period",
		      period_json(0, db_int(&res, 0, "period_number"), db_str(&res, 0, "starts_on"),
				  db_str(&res, 0, "ends_on"), db_str(&res, 0, "due_on")),
		      "ethics", ethics, "advice", advice, "versions", vs);
	if (o == NULL)
		return fail_internal(r, ERR_INTERNAL, "report json");
	json_object_set_new(o, "site_id", json_integer(db_int(&res, 0, "site_id")));
	json_object_set_new(o, "absences_half_days", int_or_null(&res, "absences_half_days"));
	json_object_set_new(o, "step", int_or_null(&res, "step"));
	json_object_set_new(o, "comments_steps_12", JSTR(db_str(&res, 0, "comments_steps_12")));
	json_object_set_new(o, "comments_steps_34", JSTR(db_str(&res, 0, "comments_steps_34")));
	json_object_set_new(o, "sessions_led", int_or_null(&res, "sessions_led"));
	json_object_set_new(o, "sessions_designed", int_or_null(&res, "sessions_designed"));
	json_object_set_new(o, "created_at", JSTR(db_str(&res, 0, "created_at")));
	json_object_set_new(o, "updated_at", JSTR(db_str(&res, 0, "updated_at")));
	json_object_set_new(o, "sent_at", JSTR(db_str(&res, 0, "sent_at")));
	json_object_set_new(o, "sent_by",
			    db_isnull(&res, 0, "sent_by")
				? json_null()
				: json_pack("{s:I, s:s?}", "id",
					    (json_int_t)db_int(&res, 0, "sent_by"), "display_name",
					    db_str(&res, 0, "sent_by_name")));
	json_object_set_new(o, "late", json_boolean(db_bool(&res, 0, "late")));
	json_object_set_new(o, "ue4_recorded_at", JSTR(db_str(&res, 0, "ue4_recorded_at")));
	json_object_set_new(o, "version", json_integer(db_int(&res, 0, "version")));
	json_object_set_new(o, "my_relations", relation_names(rel));
	*out = o;
	return ERR_OK;
}

enum err sdb_report_audience(struct req *r, int64_t site_id, int64_t student_id, int64_t **ids,
			     size_t *n, const char **student_name)
{
	struct db_res res, name;
	enum err e = db_rows(r, &Q_SITE_OFFICE_IDS, &res, site_id);

	if (e == ERR_OK)
		e = db_one(r, &Q_PERSON_NAME, &name, student_id);
	if (e != ERR_OK)
		return e;
	*ids = arena_alloc(r->arena, (res.n_rows + 1) * sizeof(**ids));
	if (*ids == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	for (size_t i = 0; i < res.n_rows; i++)
		(*ids)[i] = db_int(&res, i, "person_id");
	(*ids)[res.n_rows] = student_id;
	*n = res.n_rows + 1;
	*student_name = db_str(&name, 0, "display_name");
	return ERR_OK;
}

const struct db_sql *const sopa_statements[] = {
    &Q_SITE_REL,	  &Q_PLACEMENT_REL,	&Q_REPORT_REL,	     &Q_REPORT_RELS, &Q_PLACEMENT_RELS,
    &Q_CURRENT_YEAR,	  &Q_YEAR_DATES,	&Q_SITES_PAGE,	     &Q_SITES_PERIODS,
    &Q_SITES_STAFF,	  &Q_PROPOSED,		&Q_SITE_YEAR_LOCK,   &Q_SITE_YEAR_INSERT,
    &Q_SITE_YEAR_BUMP,	  &Q_PERIOD_UPSERT,	&Q_STAFF_INSERT,     &Q_STAFF_DELETE,
    &Q_PERIOD_FIND,	  &Q_HAS_ROLE,		&Q_IS_SCHOOL,	     &Q_SITE_BY_NAME,
    &Q_PERSON_LOCK,	  &Q_MAT_LOAD,
    &Q_STUDENT_PLACED,	  &Q_PLACEMENT_INSERT,	&Q_PLACEMENT_UPDATE, &Q_PLACEMENT_DELETE,
    &Q_PLACEMENT_REPORTS, &Q_PLACEMENT_IN,	&Q_PLACEMENT_GET,    &Q_PLACEMENTS_PAGE,
    &Q_JURY_ADD,	  &Q_JURY_REMOVE,	&Q_CSV_ROWS,	     &Q_REPORT_INSERT,
    &Q_REPORT_COPY,	  &Q_REPORT_UPDATE,	&Q_REPORT_CAPACITY,  &Q_REPORT_FIELDS,
    &Q_REPORT_SEND,	  &Q_REPORT_UE4,	&Q_REPORT_GET,	     &Q_REPORT_VERSIONS,
    &Q_SITE_OFFICE_IDS,	  &Q_PERSON_NAME,	NULL};
