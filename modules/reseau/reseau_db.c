/*
 * The SQL of the reseau module: every statement declared once with its
 * signature (tenant-bound) and the data functions the handlers call. Lists
 * cost a bounded number of statements whatever their length.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "authz.h"
#include "db.h"
#include "notify.h"
#include "req.h"
#include "reseau.h"
#include "util.h"

#define DT(col)	     "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i')"
#define ISO_UTC(col) "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"
#define IDS_JSON     "IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) j) "
/* The caller organises the call `c`: placeholders (all: bureau or
 * direction) and the caller's person id (a chargé de mission formation of
 * the call's département). */
#define ORG(c)                                                                                     \
	"(? OR EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = " c ".academy_id "   \
	"AND ra.person_id = ? AND ra.role = 'charge_mission_formation' "                          \
	"AND ra.scope_kind = 'departement' AND ra.scope_id = " c ".departement_id))"

bool rdb_is_organiser(const struct req *r)
{
	return (r->who.roles & (R(BUREAU_STAGES) | R(DIRECTION_INSPE) |
				R(CHARGE_MISSION_FORMATION))) != 0;
}

bool rdb_is_tutor(const struct req *r)
{
	return (r->who.roles & (R(TUTEUR_TERRAIN) | R(TUTEUR_INSPE) | R(PILOTE_COLLECTIF))) != 0;
}

static int64_t org_all(const struct req *r)
{
	return (r->who.roles & (R(BUREAU_STAGES) | R(DIRECTION_INSPE))) != 0;
}

/* ---- relations ---- */

static const struct db_sql Q_CALL_REL = {
    "SELECT c.id, c.year_id, c.departement_id, c.state, " ORG("c") " AS org "
    "FROM reseau_call c WHERE c.academy_id = ? AND c.id = ?",
    "iiAi", DB_COLS("id", "year_id", "departement_id", "state", "org")};

#define COLLECTIVE_REL                                                                             \
	"SELECT k.id, k.call_id, k.state, c.departement_id, c.year_id, " ORG(                      \
	    "c") " AS org, m.id AS member_id, m.pilot, m.charter_accepted_at IS NOT NULL AS signed " \
		 "FROM reseau_collective k JOIN reseau_call c ON c.academy_id = k.academy_id "    \
		 "AND c.id = k.call_id LEFT JOIN reseau_member m ON m.academy_id = k.academy_id " \
		 "AND m.collective_id = k.id AND m.person_id = ? "
#define COLLECTIVE_COLS                                                                            \
	"id", "call_id", "state", "departement_id", "year_id", "org", "member_id", "pilot", "signed"
static const struct db_sql Q_COLLECTIVE_REL = {
    COLLECTIVE_REL "WHERE k.academy_id = ? AND k.id = ?", "iiiAi", DB_COLS(COLLECTIVE_COLS)};
static const struct db_sql Q_COLLECTIVE_RELS = {
    COLLECTIVE_REL "WHERE k.academy_id = ? AND k.id " IDS_JSON, "iiiAs",
    DB_COLS(COLLECTIVE_COLS)};

#define MEETING_REL                                                                                \
	"SELECT mt.id, mt.collective_id, k.call_id, k.state, c.departement_id, c.year_id, " ORG(   \
	    "c") " AS org, m.id AS member_id, m.pilot, m.charter_accepted_at IS NOT NULL AS signed " \
		 "FROM reseau_meeting mt JOIN reseau_collective k ON k.academy_id = "             \
		 "mt.academy_id AND k.id = mt.collective_id JOIN reseau_call c ON "               \
		 "c.academy_id = k.academy_id AND c.id = k.call_id LEFT JOIN reseau_member m ON " \
		 "m.academy_id = k.academy_id AND m.collective_id = k.id AND m.person_id = ? "
static const struct db_sql Q_MEETING_REL = {
    MEETING_REL "WHERE mt.academy_id = ? AND mt.id = ?", "iiiAi",
    DB_COLS("id", "collective_id", "call_id", "state", "departement_id", "year_id", "org",
	    "member_id", "pilot", "signed")};
static const struct db_sql Q_MEETING_RELS = {
    MEETING_REL "WHERE mt.academy_id = ? AND mt.id " IDS_JSON, "iiiAs",
    DB_COLS("id", "collective_id", "call_id", "state", "departement_id", "year_id", "org",
	    "member_id", "pilot", "signed")};

static const struct db_sql Q_POLL_REL = {
    "SELECT p.id, p.collective_id, p.state AS poll_state, k.call_id, k.state, "
    "m.id AS member_id, m.pilot, m.charter_accepted_at IS NOT NULL AS signed "
    "FROM reseau_poll p JOIN reseau_collective k ON k.academy_id = p.academy_id "
    "AND k.id = p.collective_id LEFT JOIN reseau_member m ON m.academy_id = k.academy_id "
    "AND m.collective_id = k.id AND m.person_id = ? WHERE p.academy_id = ? AND p.id = ?",
    "iAi",
    DB_COLS("id", "collective_id", "poll_state", "call_id", "state", "member_id", "pilot",
	    "signed")};

static const struct db_sql Q_SYNTHESIS_REL = {
    "SELECT s.id, s.meeting_id FROM reseau_synthesis s WHERE s.academy_id = ? AND s.id = ? "
    "AND s.state = 'published'",
    "i", DB_COLS("id", "meeting_id")};

/* A member's bits: a validated collective only; meetings and polls need the
 * charter. */
static unsigned member_bits(const struct db_res *res, size_t i, bool need_charter)
{
	const char *state = db_str(res, i, "state");
	bool signed_ = db_bool(res, i, "signed");
	unsigned bits = 0;

	if (db_isnull(res, i, "member_id") || state == NULL || strcmp(state, "validated") != 0)
		return 0;
	if (!need_charter || signed_)
		bits |= RREL_MEMBER;
	if (signed_) {
		bits |= RREL_SIGNED;
		if (db_bool(res, i, "pilot"))
			bits |= RREL_PILOT;
	}
	return bits;
}

enum err rdb_call_rel(struct req *r, int64_t id, struct reseau_ctx *c)
{
	struct db_res res;
	enum err e = db_one(r, &Q_CALL_REL, &res, org_all(r), r->who.person_id, id);
	const char *state;

	if (e != ERR_OK)
		return e;
	state = db_str(&res, 0, "state");
	c->id = c->call_id = id;
	c->year_id = db_int(&res, 0, "year_id");
	c->departement_id = db_int(&res, 0, "departement_id");
	c->open = state != NULL && strcmp(state, "open") == 0;
	c->rel = (rdb_is_organiser(r) && db_bool(&res, 0, "org") ? RREL_ORGANISER : 0) |
		 (rdb_is_tutor(r) ? RREL_TUTOR : 0);
	return ERR_OK;
}

static unsigned collective_bits(const struct req *r, const struct db_res *res, size_t i)
{
	return (rdb_is_organiser(r) && db_bool(res, i, "org") ? RREL_ORGANISER : 0) |
	       member_bits(res, i, false);
}

enum err rdb_collective_rel(struct req *r, int64_t id, struct reseau_ctx *c)
{
	struct db_res res;
	enum err e = db_one(r, &Q_COLLECTIVE_REL, &res, org_all(r), r->who.person_id,
			    r->who.person_id, id);
	const char *state;

	if (e != ERR_OK)
		return e;
	state = db_str(&res, 0, "state");
	c->id = c->collective_id = id;
	c->call_id = db_int(&res, 0, "call_id");
	c->year_id = db_int(&res, 0, "year_id");
	c->departement_id = db_int(&res, 0, "departement_id");
	c->validated = state != NULL && strcmp(state, "validated") == 0;
	c->rel = collective_bits(r, &res, 0);
	return ERR_OK;
}

enum err rdb_meeting_rel(struct req *r, int64_t id, struct reseau_ctx *c)
{
	struct db_res res;
	enum err e = db_one(r, &Q_MEETING_REL, &res, org_all(r), r->who.person_id,
			    r->who.person_id, id);

	if (e != ERR_OK)
		return e;
	c->id = c->meeting_id = id;
	c->collective_id = db_int(&res, 0, "collective_id");
	c->call_id = db_int(&res, 0, "call_id");
	c->year_id = db_int(&res, 0, "year_id");
	c->departement_id = db_int(&res, 0, "departement_id");
	c->validated = true;
	c->rel = member_bits(&res, 0, true);
	return ERR_OK;
}

enum err rdb_poll_rel(struct req *r, int64_t id, struct reseau_ctx *c)
{
	struct db_res res;
	enum err e = db_one(r, &Q_POLL_REL, &res, r->who.person_id, id);
	const char *ps;

	if (e != ERR_OK)
		return e;
	ps = db_str(&res, 0, "poll_state");
	c->id = id;
	c->collective_id = db_int(&res, 0, "collective_id");
	c->call_id = db_int(&res, 0, "call_id");
	c->open = ps != NULL && strcmp(ps, "open") == 0;
	c->rel = member_bits(&res, 0, true);
	return ERR_OK;
}

enum err rdb_synthesis_rel(struct req *r, int64_t id, struct reseau_ctx *c)
{
	struct db_res res;
	enum err e = db_one(r, &Q_SYNTHESIS_REL, &res, id);

	if (e != ERR_OK)
		return e;
	c->id = id;
	c->meeting_id = db_int(&res, 0, "meeting_id");
	c->rel = rdb_is_tutor(r) || rdb_is_organiser(r) ? RREL_READER : 0;
	return ERR_OK;
}

enum err rdb_relations_of(struct req *r, int kind, const int64_t *ids, size_t n, unsigned *rel)
{
	struct db_res res;
	const char *text;
	enum err e;

	if (kind != ROBJ_COLLECTIVE && kind != ROBJ_MEETING)
		return ERR_OK;
	text = notify_ids_json(r, ids, n);
	if (text == NULL)
		return ERR_INTERNAL; /* the request failed: no memory */
	e = db_rows(r, kind == ROBJ_COLLECTIVE ? &Q_COLLECTIVE_RELS : &Q_MEETING_RELS, &res,
		    org_all(r), r->who.person_id, r->who.person_id, text);
	if (e != ERR_OK)
		return e;
	for (size_t row = 0; row < res.n_rows; row++)
		for (size_t i = 0; i < n; i++)
			if (ids[i] == db_int(&res, row, "id"))
				rel[i] = kind == ROBJ_COLLECTIVE ? collective_bits(r, &res, row)
								 : member_bits(&res, row, true);
	return ERR_OK;
}

/* ---- communes, calls ---- */

/* A DECIMAL column read as a double (0 for NULL). */
static double dcol(const struct db_res *res, size_t i, const char *col)
{
	const char *s = db_str(res, i, col);

	return s != NULL ? strtod(s, NULL) : 0;
}

static const struct db_sql Q_COMMUNES = {
    "SELECT c.id, c.insee, c.name, c.departement_id, d.name AS departement, "
    "CAST(c.latitude AS CHAR) AS latitude, CAST(c.longitude AS CHAR) AS longitude, "
    "COUNT(*) OVER () AS total FROM reseau_commune c JOIN structure d ON d.academy_id = "
    "c.academy_id AND d.id = c.departement_id WHERE c.academy_id = ? "
    "AND (? = 0 OR c.departement_id = ?) AND (? IS NULL OR c.name LIKE ? OR c.insee = ?) "
    "ORDER BY c.name, c.id LIMIT ? OFFSET ?",
    "iisssii",
    DB_COLS("id", "insee", "name", "departement_id", "departement", "latitude", "longitude",
	    "total")};

enum err rdb_communes_json(struct req *r, int64_t dep, const char *q, int64_t limit,
			   int64_t offset, json_t **out)
{
	struct db_res res;
	const char *like = db_like_contains(r, q);
	enum err e = db_rows(r, &Q_COMMUNES, &res, dep, dep, like, like, q, limit, offset);
	json_t *items;

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:s?, s:s?, s:I, s:s?, s:f, s:f}", "id",
			      (json_int_t)db_int(&res, i, "id"), "insee", db_str(&res, i, "insee"),
			      "name", db_str(&res, i, "name"), "departement_id",
			      (json_int_t)db_int(&res, i, "departement_id"), "departement",
			      db_str(&res, i, "departement"), "latitude",
			      dcol(&res, i, "latitude"), "longitude",
			      dcol(&res, i, "longitude")));
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)db_total(&res));
	return ERR_OK;
}

static const struct db_sql Q_IS_DEP = {
    "SELECT id FROM structure WHERE academy_id = ? AND id = ? AND kind = 'departement'", "i",
    DB_COLS("id")};
static const struct db_sql Q_YEAR_EXISTS = {
    "SELECT id FROM school_year WHERE academy_id = ? AND id = ?", "i", DB_COLS("id")};
static const struct db_sql Q_IS_SCHOOL = {
    "SELECT id FROM structure WHERE academy_id = ? AND id = ? AND kind = 'school'", "i",
    DB_COLS("id")};
static const struct db_sql Q_COMMUNE_DEP = {
    "SELECT departement_id FROM reseau_commune WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("departement_id")};
static const struct db_sql Q_ORG_DEP = {
    "SELECT scope_id FROM role_assignment WHERE academy_id = ? AND person_id = ? "
    "AND role = 'charge_mission_formation' AND scope_kind = 'departement' ORDER BY id LIMIT 1",
    "i", DB_COLS("scope_id")};

static const struct db_sql Q_YEAR_FIRST = {
    "SELECT YEAR(starts_on) AS y FROM school_year WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("y")};

/* The calendar year in which the school year starts. */
enum err rdb_year_first(struct req *r, int64_t year_id, int *y)
{
	struct db_res res;
	enum err e = db_one(r, &Q_YEAR_FIRST, &res, year_id);

	*y = e == ERR_OK ? (int)db_int(&res, 0, "y") : 0;
	return e;
}

enum err rdb_is_departement(struct req *r, int64_t id, bool *yes)
{
	return db_exists(r, &Q_IS_DEP, yes, id);
}

enum err rdb_year_exists(struct req *r, int64_t id, bool *yes)
{
	return db_exists(r, &Q_YEAR_EXISTS, yes, id);
}

enum err rdb_is_school(struct req *r, int64_t id, bool *yes)
{
	return db_exists(r, &Q_IS_SCHOOL, yes, id);
}

enum err rdb_commune_dep(struct req *r, int64_t commune, int64_t *dep)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_COMMUNE_DEP, &res, commune);

	*dep = e == ERR_OK && res.n_rows > 0 ? db_int(&res, 0, "departement_id") : 0;
	return e;
}

/* The chargé de mission's département (0 for bureau and direction: all;
 * -1 when the caller organises nothing). */
enum err rdb_org_dep(struct req *r, int64_t *dep)
{
	struct db_res res;
	enum err e;

	if (org_all(r)) {
		*dep = 0;
		return ERR_OK;
	}
	e = db_rows(r, &Q_ORG_DEP, &res, r->who.person_id);
	*dep = e == ERR_OK && res.n_rows > 0 ? db_int(&res, 0, "scope_id") : -1;
	return e;
}

static const struct db_sql Q_CALL_INSERT = {
    "INSERT INTO reseau_call (academy_id, id, year_id, departement_id, title, opens_on, "
    "closes_on, state, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, "
    "UTC_TIMESTAMP(3))",
    "iiisssi"};
static const struct db_sql Q_CALL_STATE = {
    "UPDATE reseau_call SET state = ?, version = version + 1 WHERE academy_id = ? AND id = ?",
    "sAi"};

enum err rdb_call_insert(struct req *r, int64_t id, int64_t year_id, int64_t dep,
			 const char *title, const char *opens, const char *closes)
{
	return db_run(r, &Q_CALL_INSERT, NULL, id, year_id, dep, title, opens, closes,
		      r->who.person_id);
}

enum err rdb_call_state(struct req *r, int64_t id, const char *state)
{
	return db_run(r, &Q_CALL_STATE, NULL, state, id);
}

#define CALL_COLS                                                                                  \
	"SELECT c.id, c.year_id, c.departement_id, d.name AS departement, c.title, "              \
	"DATE_FORMAT(c.opens_on, '%Y-%m-%d') AS opens_on, "                                        \
	"DATE_FORMAT(c.closes_on, '%Y-%m-%d') AS closes_on, c.state, c.version, "                  \
	"(SELECT COUNT(*) FROM reseau_volunteer v WHERE v.academy_id = c.academy_id "              \
	"AND v.call_id = c.id) AS volunteers, (SELECT COUNT(*) FROM reseau_collective k "          \
	"WHERE k.academy_id = c.academy_id AND k.call_id = c.id) AS collectives, "                 \
	"(SELECT v.id FROM reseau_volunteer v WHERE v.academy_id = c.academy_id "                  \
	"AND v.call_id = c.id AND v.person_id = ?) AS my_volunteer_id, " ORG("c") " AS org "       \
	"FROM reseau_call c JOIN structure d ON d.academy_id = c.academy_id "                      \
	"AND d.id = c.departement_id "
#define CALL_NAMES                                                                                 \
	"id", "year_id", "departement_id", "departement", "title", "opens_on", "closes_on",       \
	    "state", "version", "volunteers", "collectives", "my_volunteer_id", "org"
static const struct db_sql Q_CALLS_PAGE = {
    "SELECT x.*, COUNT(*) OVER () AS total FROM (" CALL_COLS
    "WHERE c.academy_id = ? AND (? = 0 OR c.year_id = ?) AND (? = 0 OR c.departement_id = ?)) x "
    "WHERE x.org OR (? AND x.state = 'open') ORDER BY x.opens_on DESC, x.id LIMIT ? OFFSET ?",
    "iiiAiiiiiii", DB_COLS(CALL_NAMES, "total")};
static const struct db_sql Q_CALL_GET = {CALL_COLS "WHERE c.academy_id = ? AND c.id = ?", "iiiAi",
					 DB_COLS(CALL_NAMES)};

static json_t *call_row(const struct req *r, const struct db_res *res, size_t i)
{
	bool org = rdb_is_organiser(r) && db_bool(res, i, "org");
	json_t *o = json_pack(
	    "{s:I, s:I, s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:I, s:b}", "id",
	    (json_int_t)db_int(res, i, "id"), "year_id", (json_int_t)db_int(res, i, "year_id"),
	    "departement_id", (json_int_t)db_int(res, i, "departement_id"), "departement",
	    db_str(res, i, "departement"), "title", db_str(res, i, "title"), "opens_on",
	    db_str(res, i, "opens_on"), "closes_on", db_str(res, i, "closes_on"), "state",
	    db_str(res, i, "state"), "version", (json_int_t)db_int(res, i, "version"), "volunteered",
	    !db_isnull(res, i, "my_volunteer_id"));

	if (org) {
		json_object_set_new(o, "volunteers", json_integer(db_int(res, i, "volunteers")));
		json_object_set_new(o, "collectives", json_integer(db_int(res, i, "collectives")));
	}
	return o;
}

enum err rdb_calls_json(struct req *r, int64_t year_id, int64_t dep, int64_t limit,
			int64_t offset, json_t **out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_CALLS_PAGE, &res, r->who.person_id, org_all(r),
			     r->who.person_id, year_id, year_id, dep, dep,
			     (int64_t)rdb_is_tutor(r), limit, offset);
	json_t *items;

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(items, call_row(r, &res, i));
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)db_total(&res));
	return ERR_OK;
}

enum err rdb_call_json(struct req *r, int64_t id, json_t **out)
{
	struct db_res res;
	enum err e = db_one(r, &Q_CALL_GET, &res, r->who.person_id, org_all(r), r->who.person_id,
			    id);

	if (e == ERR_OK)
		*out = call_row(r, &res, 0);
	return e;
}

/* ---- volunteers ---- */

static const struct db_sql Q_VOLUNTEER_INSERT = {
    "INSERT INTO reseau_volunteer (academy_id, id, call_id, person_id, degree, seniority, "
    "commune_id, school_id, wants_pilot, qualifications, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))",
    "iiissizis"};

enum err rdb_volunteer_insert(struct req *r, int64_t id, int64_t call_id, const char *degree,
			      const char *seniority, int64_t commune, int64_t school,
			      bool wants_pilot, const char *quals)
{
	return db_run(r, &Q_VOLUNTEER_INSERT, NULL, id, call_id, r->who.person_id, degree,
		      seniority, commune, school, (int64_t)wants_pilot, quals);
}

#define VOL_COLS                                                                                   \
	"SELECT v.id, v.call_id, v.person_id, p.display_name, v.degree, v.seniority, "             \
	"v.commune_id, co.name AS commune, CAST(co.latitude AS CHAR) AS latitude, "                \
	"CAST(co.longitude AS CHAR) AS longitude, v.school_id, s.name AS school, v.wants_pilot, "  \
	"v.qualifications, m.collective_id, k.name AS collective, "                                \
	ISO_UTC("v.created_at") " AS created_at "                                                  \
	"FROM reseau_volunteer v JOIN person p ON p.academy_id = v.academy_id "                    \
	"AND p.id = v.person_id JOIN reseau_commune co ON co.academy_id = v.academy_id "           \
	"AND co.id = v.commune_id LEFT JOIN structure s ON s.academy_id = v.academy_id "           \
	"AND s.id = v.school_id LEFT JOIN reseau_member m ON m.academy_id = v.academy_id "         \
	"AND m.volunteer_id = v.id LEFT JOIN reseau_collective k ON k.academy_id = m.academy_id "  \
	"AND k.id = m.collective_id "
#define VOL_NAMES                                                                                  \
	"id", "call_id", "person_id", "display_name", "degree", "seniority", "commune_id",         \
	    "commune", "latitude", "longitude", "school_id", "school", "wants_pilot",              \
	    "qualifications", "collective_id", "collective", "created_at"
static const struct db_sql Q_VOLUNTEERS_PAGE = {
    "SELECT x.*, COUNT(*) OVER () AS total FROM (" VOL_COLS "WHERE v.academy_id = ? "
    "AND v.call_id = ?) x ORDER BY x.display_name, x.id LIMIT ? OFFSET ?",
    "iii", DB_COLS(VOL_NAMES, "total")};
static const struct db_sql Q_VOLUNTEERS_ALL = {
    VOL_COLS "WHERE v.academy_id = ? AND v.call_id = ? ORDER BY v.id", "i", DB_COLS(VOL_NAMES)};
static const struct db_sql Q_MY_VOLUNTEERING = {
    "SELECT x.*, c.title AS call_title, c.state AS call_state, d.name AS departement FROM ("
    VOL_COLS "WHERE v.academy_id = ? AND v.person_id = ?) x JOIN reseau_call c ON "
	     "c.academy_id = ? AND c.id = x.call_id JOIN structure d ON d.academy_id = c.academy_id "
	     "AND d.id = c.departement_id ORDER BY x.created_at DESC LIMIT 100",
    "AiA", DB_COLS(VOL_NAMES, "call_title", "call_state", "departement")};

static json_t *quals_json(const char *set)
{
	json_t *a = json_array();
	char buf[128];
	char *save = NULL, *tok;

	if (set == NULL || *set == '\0')
		return a;
	snprintf(buf, sizeof(buf), "%s", set);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save))
		json_array_append_new(a, json_pack("{s:s}", "code", tok));
	return a;
}


static json_t *vol_row(const struct db_res *res, size_t i)
{
	json_t *o = json_pack(
	    "{s:I, s:I, s:{s:I, s:s?}, s:s?, s:s?, s:{s:I, s:s?, s:f, s:f}, s:b, s:o}", "id",
	    (json_int_t)db_int(res, i, "id"), "call_id", (json_int_t)db_int(res, i, "call_id"),
	    "person", "id", (json_int_t)db_int(res, i, "person_id"), "display_name",
	    db_str(res, i, "display_name"), "degree", db_str(res, i, "degree"), "seniority",
	    db_str(res, i, "seniority"), "commune", "id", (json_int_t)db_int(res, i, "commune_id"),
	    "name", db_str(res, i, "commune"), "latitude", dcol(res, i, "latitude"), "longitude",
	    dcol(res, i, "longitude"), "wants_pilot", db_bool(res, i, "wants_pilot"),
	    "qualifications", quals_json(db_str(res, i, "qualifications")));

	json_object_set_new(o, "school",
			    db_isnull(res, i, "school_id")
				? json_null()
				: json_pack("{s:I, s:s?}", "id",
					    (json_int_t)db_int(res, i, "school_id"), "name",
					    db_str(res, i, "school")));
	json_object_set_new(o, "collective",
			    db_isnull(res, i, "collective_id")
				? json_null()
				: json_pack("{s:I, s:s?}", "id",
					    (json_int_t)db_int(res, i, "collective_id"), "name",
					    db_str(res, i, "collective")));
	return o;
}

enum err rdb_volunteers_json(struct req *r, int64_t call_id, int64_t limit, int64_t offset,
			     json_t **out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_VOLUNTEERS_PAGE, &res, call_id, limit, offset);
	json_t *items;

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(items, vol_row(&res, i));
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)db_total(&res));
	return ERR_OK;
}

/* The tutor's own answers; the collective is named once validated only. */
enum err rdb_my_volunteering_json(struct req *r, json_t **out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_MY_VOLUNTEERING, &res, r->who.person_id);
	json_t *items;

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++) {
		json_t *o = vol_row(&res, i);

		json_object_set_new(o, "call",
				    json_pack("{s:I, s:s?, s:s?, s:s?}", "id",
					      (json_int_t)db_int(&res, i, "call_id"), "title",
					      db_str(&res, i, "call_title"), "state",
					      db_str(&res, i, "call_state"), "departement",
					      db_str(&res, i, "departement")));
		json_array_append_new(items, o);
	}
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)res.n_rows);
	return ERR_OK;
}

enum err rdb_call_vols(struct req *r, int64_t call_id, struct reseau_vol **v, bool **assigned,
		       int64_t **collective, size_t *n)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_VOLUNTEERS_ALL, &res, call_id);

	*n = 0;
	if (e != ERR_OK)
		return e;
	*v = arena_zalloc(r->arena, sizeof(**v) * (res.n_rows + 1));
	*assigned = arena_zalloc(r->arena, sizeof(**assigned) * (res.n_rows + 1));
	*collective = arena_zalloc(r->arena, sizeof(**collective) * (res.n_rows + 1));
	if (*v == NULL || *assigned == NULL || *collective == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	for (size_t i = 0; i < res.n_rows; i++) {
		const char *deg = db_str(&res, i, "degree"), *sen = db_str(&res, i, "seniority");
		const char *q = db_str(&res, i, "qualifications");

		(*v)[i] = (struct reseau_vol){
		    .id = db_int(&res, i, "id"),
		    .person_id = db_int(&res, i, "person_id"),
		    .degree_2d = deg != NULL && strcmp(deg, "2d") == 0,
		    .experienced = sen != NULL && strcmp(sen, "experienced") == 0,
		    .qualified = q != NULL && *q != '\0',
		    .lat = dcol(&res, i, "latitude"),
		    .lon = dcol(&res, i, "longitude"),
		};
		(*assigned)[i] = !db_isnull(&res, i, "collective_id");
		(*collective)[i] = db_int(&res, i, "collective_id");
	}
	*n = res.n_rows;
	return ERR_OK;
}

/* ---- collectives ---- */

static const struct db_sql Q_COLLECTIVE_INSERT = {
    "INSERT INTO reseau_collective (academy_id, id, call_id, name, state, mix_score, "
    "created_by, created_at) VALUES (?, ?, ?, ?, 'draft', ?, ?, UTC_TIMESTAMP(3))",
    "iisii"};
static const struct db_sql Q_MEMBER_INSERT = {
    "INSERT INTO reseau_member (academy_id, id, collective_id, call_id, volunteer_id, "
    "person_id, pilot) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "iiiiii"};
static const struct db_sql Q_COLLECTIVE_VALIDATE = {
    "UPDATE reseau_collective SET state = 'validated', validated_by = ?, "
    "validated_at = UTC_TIMESTAMP(3) WHERE academy_id = ? AND id = ? AND state = 'draft'",
    "iAi"};
static const struct db_sql Q_COLLECTIVE_PEOPLE = {
    "SELECT m.person_id, k.name FROM reseau_member m JOIN reseau_collective k ON "
    "k.academy_id = m.academy_id AND k.id = m.collective_id WHERE m.academy_id = ? "
    "AND m.collective_id = ? ORDER BY m.id",
    "i", DB_COLS("person_id", "name")};

enum err rdb_collective_insert(struct req *r, int64_t id, int64_t call_id, const char *name,
			       int score)
{
	return db_run(r, &Q_COLLECTIVE_INSERT, NULL, id, call_id, name, (int64_t)score,
		      r->who.person_id);
}

enum err rdb_member_insert(struct req *r, int64_t collective_id, int64_t call_id,
			   int64_t volunteer_id, int64_t person_id, bool pilot)
{
	return db_run(r, &Q_MEMBER_INSERT, NULL, random_id(), collective_id, call_id, volunteer_id,
		      person_id, (int64_t)pilot);
}

enum err rdb_collective_validate(struct req *r, int64_t id, bool *done)
{
	uint64_t n = 0;
	enum err e = db_run(r, &Q_COLLECTIVE_VALIDATE, &n, r->who.person_id, id);

	*done = n > 0;
	return e;
}

enum err rdb_collective_people(struct req *r, int64_t id, int64_t **ids, size_t *n,
			       const char **name)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_COLLECTIVE_PEOPLE, &res, id);

	*n = 0;
	if (e != ERR_OK)
		return e;
	*ids = arena_zalloc(r->arena, sizeof(**ids) * (res.n_rows + 1));
	if (*ids == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	for (size_t i = 0; i < res.n_rows; i++)
		(*ids)[i] = db_int(&res, i, "person_id");
	*n = res.n_rows;
	*name = res.n_rows > 0 ? db_str(&res, 0, "name") : "";
	return ERR_OK;
}

#define COLL_LIST_COLS                                                                             \
	"SELECT k.id, k.name, k.state, k.call_id, c.title AS call_title, c.year_id, "             \
	"c.departement_id, d.name AS departement, k.mix_score, "                                   \
	"(SELECT COUNT(*) FROM reseau_member m2 WHERE m2.academy_id = k.academy_id "              \
	"AND m2.collective_id = k.id) AS members, (SELECT COUNT(*) FROM reseau_meeting mt "        \
	"WHERE mt.academy_id = k.academy_id AND mt.collective_id = k.id) AS meetings, "           \
	ORG("c") " AS org, me.id AS member_id, me.pilot, "                                         \
	"me.charter_accepted_at IS NOT NULL AS signed "                                            \
	"FROM reseau_collective k JOIN reseau_call c ON c.academy_id = k.academy_id "              \
	"AND c.id = k.call_id JOIN structure d ON d.academy_id = c.academy_id "                    \
	"AND d.id = c.departement_id LEFT JOIN reseau_member me ON me.academy_id = k.academy_id " \
	"AND me.collective_id = k.id AND me.person_id = ? "
#define COLL_LIST_NAMES                                                                            \
	"id", "name", "state", "call_id", "call_title", "year_id", "departement_id",              \
	    "departement", "mix_score", "members", "meetings", "org", "member_id", "pilot",       \
	    "signed"
static const struct db_sql Q_COLLECTIVES_PAGE = {
    "SELECT x.*, COUNT(*) OVER () AS total FROM (" COLL_LIST_COLS
    "WHERE k.academy_id = ? AND (? = 0 OR k.call_id = ?)) x "
    "WHERE (? AND x.org) OR (x.member_id IS NOT NULL AND x.state = 'validated') "
    "ORDER BY x.departement, x.name, x.id LIMIT ? OFFSET ?",
    "iiiAiiiii", DB_COLS(COLL_LIST_NAMES, "total")};
static const struct db_sql Q_COLLECTIVE_GET = {
    COLL_LIST_COLS "WHERE k.academy_id = ? AND k.id = ?", "iiiAi", DB_COLS(COLL_LIST_NAMES)};

static json_t *collective_row(const struct req *r, const struct db_res *res, size_t i)
{
	unsigned bits = (rdb_is_organiser(r) && db_bool(res, i, "org") ? RREL_ORGANISER : 0) |
			member_bits(res, i, false);
	json_t *rel = json_array();

	for (unsigned b = 0; reseau_relation_names[b] != NULL; b++)
		if (bits & (1u << b))
			json_array_append_new(rel, json_string(reseau_relation_names[b]));
	return json_pack("{s:I, s:s?, s:s?, s:{s:I, s:s?, s:I}, s:I, s:s?, s:I, s:I, s:I, s:o}",
			 "id", (json_int_t)db_int(res, i, "id"), "name", db_str(res, i, "name"),
			 "state", db_str(res, i, "state"), "call", "id",
			 (json_int_t)db_int(res, i, "call_id"), "title",
			 db_str(res, i, "call_title"), "year_id",
			 (json_int_t)db_int(res, i, "year_id"), "departement_id",
			 (json_int_t)db_int(res, i, "departement_id"), "departement",
			 db_str(res, i, "departement"), "mix_score",
			 (json_int_t)db_int(res, i, "mix_score"), "members",
			 (json_int_t)db_int(res, i, "members"), "meetings",
			 (json_int_t)db_int(res, i, "meetings"), "my_relations", rel);
}

enum err rdb_collectives_json(struct req *r, int64_t call_id, int64_t limit, int64_t offset,
			      json_t **out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_COLLECTIVES_PAGE, &res, org_all(r), r->who.person_id,
			     r->who.person_id, call_id, call_id, (int64_t)rdb_is_organiser(r),
			     limit, offset);
	json_t *items;

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(items, collective_row(r, &res, i));
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)db_total(&res));
	return ERR_OK;
}

static const struct db_sql Q_COLL_MEMBERS = {
    "SELECT m.id, m.person_id, p.display_name, m.pilot, m.volunteer_id, "
    ISO_UTC("m.charter_accepted_at") " AS charter_accepted_at, v.degree, v.seniority, "
    "v.qualifications, co.name AS commune, CAST(co.latitude AS CHAR) AS latitude, "
    "CAST(co.longitude AS CHAR) AS longitude FROM reseau_member m JOIN person p ON "
    "p.academy_id = m.academy_id AND p.id = m.person_id JOIN reseau_volunteer v ON "
    "v.academy_id = m.academy_id AND v.id = m.volunteer_id JOIN reseau_commune co ON "
    "co.academy_id = v.academy_id AND co.id = v.commune_id WHERE m.academy_id = ? "
    "AND m.collective_id = ? ORDER BY m.pilot DESC, p.display_name, m.id",
    "i",
    DB_COLS("id", "person_id", "display_name", "pilot", "volunteer_id", "charter_accepted_at",
	    "degree", "seniority", "qualifications", "commune", "latitude", "longitude")};
static const struct db_sql Q_COLL_MEETINGS = {
    "SELECT mt.id, " DT("mt.starts_at") " AS starts_at, " DT("mt.ends_at") " AS ends_at, "
    "mt.place, mt.attendance_at IS NOT NULL AS held, s.state AS synthesis_state, "
    "(SELECT COUNT(*) FROM reseau_attendance a WHERE a.academy_id = mt.academy_id "
    "AND a.meeting_id = mt.id) AS present FROM reseau_meeting mt LEFT JOIN reseau_synthesis s "
    "ON s.academy_id = mt.academy_id AND s.meeting_id = mt.id WHERE mt.academy_id = ? "
    "AND mt.collective_id = ? ORDER BY mt.starts_at, mt.id",
    "i", DB_COLS("id", "starts_at", "ends_at", "place", "held", "synthesis_state", "present")};
static const struct db_sql Q_COLL_POLLS = {
    "SELECT o.id AS option_id, o.poll_id, p.state, p.meeting_id, " DT("o.starts_at") " AS "
    "starts_at, " DT("o.ends_at") " AS ends_at, o.place, (SELECT COUNT(*) FROM "
    "reseau_poll_answer a WHERE a.academy_id = o.academy_id AND a.option_id = o.id "
    "AND a.available) AS available, (SELECT COUNT(*) FROM reseau_poll_answer a WHERE "
    "a.academy_id = o.academy_id AND a.option_id = o.id) AS answers, (SELECT a.available FROM "
    "reseau_poll_answer a WHERE a.academy_id = o.academy_id AND a.option_id = o.id AND "
    "a.person_id = ?) AS mine FROM reseau_poll_option o JOIN reseau_poll p ON p.academy_id = "
    "o.academy_id AND p.id = o.poll_id WHERE o.academy_id = ? AND (? = 0 OR p.collective_id = ?) "
    "AND (? = 0 OR p.id = ?) ORDER BY p.created_at, p.id, o.starts_at, o.id",
    "iAiiii",
    DB_COLS("option_id", "poll_id", "state", "meeting_id", "starts_at", "ends_at", "place",
	    "available", "answers", "mine")};

static json_t *polls_of(const struct db_res *res)
{
	json_t *polls = json_array(), *cur = NULL;
	int64_t cur_id = 0;

	for (size_t i = 0; i < res->n_rows; i++) {
		int64_t pid = db_int(res, i, "poll_id");
		json_t *opt;

		if (cur == NULL || pid != cur_id) {
			cur = json_pack("{s:I, s:s?, s:o, s:o}", "id", (json_int_t)pid, "state",
					db_str(res, i, "state"), "meeting_id",
					db_isnull(res, i, "meeting_id")
					    ? json_null()
					    : json_integer(db_int(res, i, "meeting_id")),
					"options", json_array());
			json_array_append_new(polls, cur);
			cur_id = pid;
		}
		opt = json_pack("{s:I, s:s?, s:s?, s:s?, s:I, s:I, s:o}", "id",
				(json_int_t)db_int(res, i, "option_id"), "starts_at",
				db_str(res, i, "starts_at"), "ends_at", db_str(res, i, "ends_at"),
				"place", db_str(res, i, "place"), "available",
				(json_int_t)db_int(res, i, "available"), "answers",
				(json_int_t)db_int(res, i, "answers"), "my_answer",
				db_isnull(res, i, "mine") ? json_null()
							  : json_boolean(db_bool(res, i, "mine")));
		json_array_append_new(json_object_get(cur, "options"), opt);
	}
	return polls;
}

/* One collective: members (the charter's date of each), the mix; for its
 * signed members the meetings and polls; for organisers the meetings' dates,
 * places and states (no content). */
enum err rdb_collective_json(struct req *r, int64_t id, unsigned rel, json_t **out)
{
	struct db_res res, mem, mt, polls;
	struct reseau_vol *v;
	struct reseau_mix mix;
	const struct reseau_vol *pilot = NULL;
	json_t *o, *members, *meetings;
	enum err e = db_one(r, &Q_COLLECTIVE_GET, &res, org_all(r), r->who.person_id,
			    r->who.person_id, id);

	if (e == ERR_OK)
		e = db_rows(r, &Q_COLL_MEMBERS, &mem, id);
	if (e != ERR_OK)
		return e;
	o = collective_row(r, &res, 0);
	v = arena_zalloc(r->arena, sizeof(*v) * (mem.n_rows + 1));
	if (v == NULL) {
		json_decref(o);
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	}
	members = json_array();
	for (size_t i = 0; i < mem.n_rows; i++) {
		const char *deg = db_str(&mem, i, "degree"), *sen = db_str(&mem, i, "seniority");
		const char *q = db_str(&mem, i, "qualifications");

		v[i] = (struct reseau_vol){.id = db_int(&mem, i, "volunteer_id"),
					   .person_id = db_int(&mem, i, "person_id"),
					   .degree_2d = deg != NULL && strcmp(deg, "2d") == 0,
					   .experienced = sen != NULL && strcmp(sen, "experienced") == 0,
					   .qualified = q != NULL && *q != '\0',
					   .lat = dcol(&mem, i, "latitude"),
					   .lon = dcol(&mem, i, "longitude")};
		if (db_bool(&mem, i, "pilot"))
			pilot = &v[i];
		json_array_append_new(
		    members,
		    json_pack("{s:I, s:I, s:s?, s:b, s:I, s:s?, s:s?, s:s?, s:o, s:s?}", "id",
			      (json_int_t)db_int(&mem, i, "id"), "person_id",
			      (json_int_t)db_int(&mem, i, "person_id"), "display_name",
			      db_str(&mem, i, "display_name"), "pilot", db_bool(&mem, i, "pilot"),
			      "volunteer_id", (json_int_t)db_int(&mem, i, "volunteer_id"), "degree",
			      deg, "seniority", sen, "commune", db_str(&mem, i, "commune"),
			      "qualifications", quals_json(q), "charter_accepted_at",
			      db_str(&mem, i, "charter_accepted_at")));
	}
	reseau_mix_of(v, mem.n_rows, pilot, &mix);
	json_object_set_new(o, "members", members);
	json_object_set_new(
	    o, "mix",
	    json_pack("{s:{s:i, s:i}, s:{s:i, s:i}, s:i, s:b, s:i, s:s}", "degrees", "1d", mix.n_1d,
		      "2d", mix.n_2d, "seniority", "neo", mix.n_neo, "experienced", mix.n_exp,
		      "max_distance_km", (int)(mix.max_km + 0.5), "pilot_qualified",
		      mix.pilot_qualified, "score", mix.score, "level", reseau_level(mix.score)));
	json_object_set_new(o, "charter_accepted", json_boolean((rel & RREL_SIGNED) != 0));
	if (rel & (RREL_SIGNED | RREL_ORGANISER)) {
		e = db_rows(r, &Q_COLL_MEETINGS, &mt, id);
		if (e != ERR_OK) {
			json_decref(o);
			return e;
		}
		meetings = json_array();
		for (size_t i = 0; i < mt.n_rows; i++) {
			json_t *m = json_pack(
			    "{s:I, s:i, s:s?, s:s?, s:s?, s:s}", "id",
			    (json_int_t)db_int(&mt, i, "id"), "number", (int)i + 1, "starts_at",
			    db_str(&mt, i, "starts_at"), "ends_at", db_str(&mt, i, "ends_at"),
			    "place", db_str(&mt, i, "place"), "state",
			    db_bool(&mt, i, "held") ? "held" : "planned");

			if (rel & RREL_SIGNED) {
				json_object_set_new(m, "present",
						    json_integer(db_int(&mt, i, "present")));
				json_object_set_new(m, "synthesis_state",
						    json_string(db_str(&mt, i, "synthesis_state")
								    ? db_str(&mt, i, "synthesis_state")
								    : "draft"));
			}
			json_array_append_new(meetings, m);
		}
		json_object_set_new(o, "meetings", meetings);
	} else {
		json_object_set_new(o, "meetings", json_null());
	}
	if (rel & RREL_SIGNED) {
		e = db_rows(r, &Q_COLL_POLLS, &polls, r->who.person_id, id, id, (int64_t)0,
			    (int64_t)0);
		if (e != ERR_OK) {
			json_decref(o);
			return e;
		}
		json_object_set_new(o, "polls", polls_of(&polls));
	}
	*out = o;
	return ERR_OK;
}

static const struct db_sql Q_CHARTER = {
    "UPDATE reseau_member SET charter_accepted_at = COALESCE(charter_accepted_at, "
    "UTC_TIMESTAMP(3)) WHERE academy_id = ? AND collective_id = ? AND person_id = ?",
    "ii"};
static const struct db_sql Q_CHARTER_GET = {
    "SELECT " ISO_UTC("charter_accepted_at") " AS at FROM reseau_member WHERE academy_id = ? "
    "AND collective_id = ? AND person_id = ?",
    "ii", DB_COLS("at")};

enum err rdb_charter_accept(struct req *r, int64_t collective_id, const char **at)
{
	struct db_res res;
	enum err e = db_run(r, &Q_CHARTER, NULL, collective_id, r->who.person_id);

	if (e == ERR_OK)
		e = db_one(r, &Q_CHARTER_GET, &res, collective_id, r->who.person_id);
	if (e == ERR_OK)
		*at = db_str(&res, 0, "at");
	return e;
}

/* ---- meetings ---- */

static const struct db_sql Q_COLLECTIVE_LOCK = {
    "SELECT id FROM reseau_collective WHERE academy_id = ? AND id = ? FOR UPDATE", "i",
    DB_COLS("id")};
static const struct db_sql Q_MEETING_COUNT = {
    "SELECT COUNT(*) AS n FROM reseau_meeting WHERE academy_id = ? AND collective_id = ?", "i",
    DB_COLS("n")};
static const struct db_sql Q_MEETING_INSERT = {
    "INSERT INTO reseau_meeting (academy_id, id, collective_id, starts_at, ends_at, place, "
    "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))",
    "iisssi"};
/* The canvas and the synthesis of a meeting share its id. */
static const struct db_sql Q_CANVAS_INSERT = {
    "INSERT INTO reseau_canvas (academy_id, id, meeting_id) VALUES (?, ?, ?)", "ii"};
static const struct db_sql Q_SYNTHESIS_INSERT = {
    "INSERT INTO reseau_synthesis (academy_id, id, meeting_id) VALUES (?, ?, ?)", "ii"};

/* The number of meetings of the collective, its row locked first so that
 * two requests count one after the other. */
enum err rdb_meeting_count(struct req *r, int64_t collective_id, int64_t *n)
{
	struct db_res res;
	enum err e = db_one(r, &Q_COLLECTIVE_LOCK, &res, collective_id);

	if (e == ERR_OK)
		e = db_one(r, &Q_MEETING_COUNT, &res, collective_id);
	*n = e == ERR_OK ? db_int(&res, 0, "n") : 0;
	return e;
}

enum err rdb_meeting_insert(struct req *r, int64_t id, int64_t collective_id,
			    const char *starts, const char *ends, const char *place)
{
	enum err e = db_run(r, &Q_MEETING_INSERT, NULL, id, collective_id, starts, ends, place,
			    r->who.person_id);

	if (e == ERR_OK)
		e = db_run(r, &Q_CANVAS_INSERT, NULL, id, id);
	if (e == ERR_OK)
		e = db_run(r, &Q_SYNTHESIS_INSERT, NULL, id, id);
	return e;
}

static const struct db_sql Q_MEETING_GET = {
    "SELECT mt.id, mt.collective_id, k.name AS collective, " DT("mt.starts_at") " AS starts_at, "
    DT("mt.ends_at") " AS ends_at, mt.place, mt.attendance_at IS NOT NULL AS held, "
    "(SELECT COUNT(*) FROM reseau_meeting o WHERE o.academy_id = mt.academy_id "
    "AND o.collective_id = mt.collective_id AND (o.starts_at < mt.starts_at OR "
    "(o.starts_at = mt.starts_at AND o.id < mt.id))) + 1 AS number, "
    "s.state AS synthesis_state, cv.version AS canvas_version FROM reseau_meeting mt "
    "JOIN reseau_collective k ON k.academy_id = mt.academy_id AND k.id = mt.collective_id "
    "JOIN reseau_synthesis s ON s.academy_id = mt.academy_id AND s.id = mt.id "
    "JOIN reseau_canvas cv ON cv.academy_id = mt.academy_id AND cv.id = mt.id "
    "WHERE mt.academy_id = ? AND mt.id = ?",
    "i",
    DB_COLS("id", "collective_id", "collective", "starts_at", "ends_at", "place", "held",
	    "number", "synthesis_state", "canvas_version")};
static const struct db_sql Q_MEETING_PEOPLE = {
    "SELECT m.person_id, p.display_name, m.pilot, a.id IS NOT NULL AS present "
    "FROM reseau_meeting mt JOIN reseau_member m ON m.academy_id = mt.academy_id "
    "AND m.collective_id = mt.collective_id JOIN person p ON p.academy_id = m.academy_id "
    "AND p.id = m.person_id LEFT JOIN reseau_attendance a ON a.academy_id = mt.academy_id "
    "AND a.meeting_id = mt.id AND a.person_id = m.person_id WHERE mt.academy_id = ? "
    "AND mt.id = ? ORDER BY m.pilot DESC, p.display_name, m.id",
    "i", DB_COLS("person_id", "display_name", "pilot", "present")};

enum err rdb_meeting_json(struct req *r, int64_t id, json_t **out)
{
	struct db_res res, ppl;
	json_t *members;
	enum err e = db_one(r, &Q_MEETING_GET, &res, id);

	if (e == ERR_OK)
		e = db_rows(r, &Q_MEETING_PEOPLE, &ppl, id);
	if (e != ERR_OK)
		return e;
	members = json_array();
	for (size_t i = 0; i < ppl.n_rows; i++)
		json_array_append_new(
		    members, json_pack("{s:I, s:s?, s:b, s:b}", "person_id",
				       (json_int_t)db_int(&ppl, i, "person_id"), "display_name",
				       db_str(&ppl, i, "display_name"), "pilot",
				       db_bool(&ppl, i, "pilot"), "present",
				       db_bool(&ppl, i, "present")));
	*out = json_pack(
	    "{s:I, s:{s:I, s:s?}, s:I, s:s?, s:s?, s:s?, s:s, s:b, s:o, s:s?, s:I}", "id",
	    (json_int_t)id, "collective", "id", (json_int_t)db_int(&res, 0, "collective_id"),
	    "name", db_str(&res, 0, "collective"), "number", (json_int_t)db_int(&res, 0, "number"),
	    "starts_at", db_str(&res, 0, "starts_at"), "ends_at", db_str(&res, 0, "ends_at"),
	    "place", db_str(&res, 0, "place"), "state",
	    db_bool(&res, 0, "held") ? "held" : "planned", "attendance_recorded",
	    db_bool(&res, 0, "held"), "members", members, "synthesis_state",
	    db_str(&res, 0, "synthesis_state"), "canvas_version",
	    (json_int_t)db_int(&res, 0, "canvas_version"));
	return ERR_OK;
}

static const struct db_sql Q_MEMBERS_AMONG = {
    "SELECT COUNT(DISTINCT person_id) AS n FROM reseau_member WHERE academy_id = ? "
    "AND collective_id = ? AND person_id " IDS_JSON,
    "is", DB_COLS("n")};

/* Whether every id of the (deduplicated) list is a member of the collective. */
enum err rdb_member_persons(struct req *r, int64_t collective_id, const json_t *ids,
			    bool *all_members)
{
	struct db_res res;
	char *text = json_dumps(ids, JSON_COMPACT);
	enum err e;

	if (text == NULL)
		return fail_internal(r, ERR_INTERNAL, "no memory");
	e = db_one(r, &Q_MEMBERS_AMONG, &res, collective_id, text);
	free(text);
	*all_members = e == ERR_OK && (size_t)db_int(&res, 0, "n") == json_array_size(ids);
	return e;
}

static const struct db_sql Q_ATTENDANCE_CLEAR = {
    "DELETE FROM reseau_attendance WHERE academy_id = ? AND meeting_id = ?", "i"};
static const struct db_sql Q_ATTENDANCE_ADD = {
    "INSERT INTO reseau_attendance (academy_id, id, meeting_id, person_id) VALUES (?, ?, ?, ?)",
    "iii"};
static const struct db_sql Q_ATTENDANCE_MARK = {
    "UPDATE reseau_meeting SET attendance_at = UTC_TIMESTAMP(3) WHERE academy_id = ? AND id = ?",
    "i"};

enum err rdb_attendance_set(struct req *r, int64_t meeting_id, const json_t *present)
{
	size_t i;
	json_t *p;
	enum err e = db_run(r, &Q_ATTENDANCE_CLEAR, NULL, meeting_id);

	json_array_foreach(present, i, p)
	{
		if (e != ERR_OK)
			break;
		e = db_run(r, &Q_ATTENDANCE_ADD, NULL, random_id(), meeting_id,
			   (int64_t)json_integer_value(p));
	}
	if (e == ERR_OK)
		e = db_run(r, &Q_ATTENDANCE_MARK, NULL, meeting_id);
	return e;
}

/* ---- canvas, synthesis ---- */

const char *const reseau_canvas_cols[10] = {
    "fallback_case_url", "problem",	"questions",	  "resonance", "presenter_solution",
    "others_solutions",	 "discussion", "generalisation", "debrief",   NULL};

static const struct db_sql Q_CANVAS_GET = {
    "SELECT cv.presenter_id, p.display_name AS presenter, cv.fallback_case_url, cv.problem, "
    "cv.questions, cv.resonance, cv.presenter_solution, cv.others_solutions, cv.discussion, "
    "cv.generalisation, cv.debrief, cv.version, " ISO_UTC("cv.updated_at") " AS updated_at "
    "FROM reseau_canvas cv LEFT JOIN person p ON p.academy_id = cv.academy_id "
    "AND p.id = cv.presenter_id WHERE cv.academy_id = ? AND cv.id = ?",
    "i",
    DB_COLS("presenter_id", "presenter", "fallback_case_url", "problem", "questions",
	    "resonance", "presenter_solution", "others_solutions", "discussion",
	    "generalisation", "debrief", "version", "updated_at")};
#define KEEP(col) col " = IF(?, ?, " col "), "
static const struct db_sql Q_CANVAS_UPDATE = {
    "UPDATE reseau_canvas SET " KEEP("presenter_id") KEEP("fallback_case_url") KEEP(
	"problem") KEEP("questions") KEEP("resonance") KEEP("presenter_solution")
	KEEP("others_solutions") KEEP("discussion") KEEP("generalisation") KEEP(
	    "debrief") "updated_by = ?, updated_at = UTC_TIMESTAMP(3), version = version + 1 "
		       "WHERE academy_id = ? AND id = ? AND version = ?",
    "izisisisisisisisisisiAii"};
static const struct db_sql Q_CANVAS_EXISTS = {
    "SELECT version FROM reseau_canvas WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("version")};

enum err rdb_canvas_json(struct req *r, int64_t meeting_id, json_t **out)
{
	struct db_res res;
	enum err e = db_one(r, &Q_CANVAS_GET, &res, meeting_id);
	json_t *o;

	if (e != ERR_OK)
		return e;
	o = json_pack("{s:I, s:o, s:s?, s:I, s:s?}", "meeting_id", (json_int_t)meeting_id,
		      "presenter_id",
		      db_isnull(&res, 0, "presenter_id")
			  ? json_null()
			  : json_integer(db_int(&res, 0, "presenter_id")),
		      "presenter", db_str(&res, 0, "presenter"), "version",
		      (json_int_t)db_int(&res, 0, "version"), "updated_at",
		      db_str(&res, 0, "updated_at"));
	for (int i = 0; reseau_canvas_cols[i] != NULL; i++) {
		const char *v = db_str(&res, 0, reseau_canvas_cols[i]);

		json_object_set_new(o, reseau_canvas_cols[i], v != NULL ? json_string(v) : json_null());
	}
	*out = o;
	return ERR_OK;
}

/* vals[0..8]: the text fields in canvas_cols order; a field whose set[i]
 * is false keeps its value (NULL with set: cleared); likewise the
 * presenter. */
enum err rdb_canvas_update(struct req *r, int64_t meeting_id, int64_t version,
			   const struct reseau_canvas_in *in)
{
	return db_update_versioned(
	    r, &Q_CANVAS_UPDATE, &Q_CANVAS_EXISTS, meeting_id, (int64_t)in->presenter_set,
	    in->presenter, (int64_t)in->set[0], in->val[0], (int64_t)in->set[1], in->val[1],
	    (int64_t)in->set[2], in->val[2], (int64_t)in->set[3], in->val[3], (int64_t)in->set[4],
	    in->val[4], (int64_t)in->set[5], in->val[5], (int64_t)in->set[6], in->val[6],
	    (int64_t)in->set[7], in->val[7], (int64_t)in->set[8], in->val[8], r->who.person_id,
	    meeting_id, version);
}

static const struct db_sql Q_SYNTHESIS_GET = {
    "SELECT s.id, s.problem, s.answers, s.state, s.version, " ISO_UTC("s.updated_at") " AS "
    "updated_at, " ISO_UTC("s.published_at") " AS published_at FROM reseau_synthesis s "
    "WHERE s.academy_id = ? AND s.id = ?",
    "i",
    DB_COLS("id", "problem", "answers", "state", "version", "updated_at", "published_at")};
static const struct db_sql Q_SYNTHESIS_UPDATE = {
    "UPDATE reseau_synthesis SET " KEEP("problem") KEEP(
	"answers") "updated_by = ?, updated_at = UTC_TIMESTAMP(3), version = version + 1 "
		   "WHERE academy_id = ? AND id = ? AND version = ? AND state = 'draft'",
    "isisiAii"};
static const struct db_sql Q_SYNTHESIS_EXISTS = {
    "SELECT version FROM reseau_synthesis WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("version")};
static const struct db_sql Q_SYNTHESIS_PUBLISH = {
    "UPDATE reseau_synthesis SET state = 'published', published_by = ?, "
    "published_at = UTC_TIMESTAMP(3), version = version + 1 WHERE academy_id = ? AND id = ? "
    "AND state = 'draft' AND COALESCE(problem, '') <> '' AND COALESCE(answers, '') <> ''",
    "iAi"};

enum err rdb_synthesis_json(struct req *r, int64_t meeting_id, json_t **out)
{
	struct db_res res;
	enum err e = db_one(r, &Q_SYNTHESIS_GET, &res, meeting_id);

	if (e == ERR_OK)
		*out = json_pack("{s:I, s:I, s:s?, s:s?, s:s?, s:I, s:s?, s:s?}", "id",
				 (json_int_t)meeting_id, "meeting_id", (json_int_t)meeting_id,
				 "problem", db_str(&res, 0, "problem"), "answers",
				 db_str(&res, 0, "answers"), "state", db_str(&res, 0, "state"),
				 "version", (json_int_t)db_int(&res, 0, "version"), "updated_at",
				 db_str(&res, 0, "updated_at"), "published_at",
				 db_str(&res, 0, "published_at"));
	return e;
}

enum err rdb_synthesis_state(struct req *r, int64_t meeting_id, bool *published,
			     int64_t *version)
{
	struct db_res res;
	enum err e = db_one(r, &Q_SYNTHESIS_GET, &res, meeting_id);
	const char *st;

	if (e != ERR_OK)
		return e;
	st = db_str(&res, 0, "state");
	*published = st != NULL && strcmp(st, "published") == 0;
	*version = db_int(&res, 0, "version");
	return ERR_OK;
}

enum err rdb_synthesis_update(struct req *r, int64_t meeting_id, int64_t version,
			      const char *problem, const char *answers)
{
	return db_update_versioned(r, &Q_SYNTHESIS_UPDATE, &Q_SYNTHESIS_EXISTS, meeting_id,
				   (int64_t)(problem != NULL), problem, (int64_t)(answers != NULL),
				   answers, r->who.person_id, meeting_id, version);
}

enum err rdb_synthesis_publish(struct req *r, int64_t meeting_id, bool *done)
{
	uint64_t n = 0;
	enum err e = db_run(r, &Q_SYNTHESIS_PUBLISH, &n, r->who.person_id, meeting_id);

	*done = n > 0;
	return e;
}

/* ---- the library ---- */

#define LIB_COLS                                                                                   \
	"SELECT s.id, s.problem, s.answers, DATE_FORMAT(mt.starts_at, '%Y-%m-%d') AS date, "       \
	"c.departement_id, d.name AS departement, k.name AS collective, " ISO_UTC(                 \
	    "s.published_at") " AS published_at FROM reseau_synthesis s JOIN reseau_meeting mt "   \
			      "ON mt.academy_id = s.academy_id AND mt.id = s.meeting_id "          \
			      "JOIN reseau_collective k ON k.academy_id = mt.academy_id "         \
			      "AND k.id = mt.collective_id JOIN reseau_call c ON c.academy_id = " \
			      "k.academy_id AND c.id = k.call_id JOIN structure d ON "             \
			      "d.academy_id = c.academy_id AND d.id = c.departement_id "
#define LIB_NAMES                                                                                  \
	"id", "problem", "answers", "date", "departement_id", "departement", "collective",        \
	    "published_at"
static const struct db_sql Q_LIBRARY = {
    "SELECT x.*, COUNT(*) OVER () AS total FROM (" LIB_COLS
    "WHERE s.academy_id = ? AND s.state = 'published' AND (? = 0 OR c.departement_id = ?) "
    "AND (? IS NULL OR s.problem LIKE ? OR s.answers LIKE ? OR k.name LIKE ?)) x "
    "ORDER BY x.published_at DESC, x.id LIMIT ? OFFSET ?",
    "iissssii", DB_COLS(LIB_NAMES, "total")};
static const struct db_sql Q_LIBRARY_ITEM = {
    LIB_COLS "WHERE s.academy_id = ? AND s.id = ? AND s.state = 'published'", "i",
    DB_COLS(LIB_NAMES)};

static json_t *lib_row(const struct db_res *res, size_t i)
{
	return json_pack("{s:I, s:s?, s:s?, s:s?, s:I, s:s?, s:s?, s:s?}", "id",
			 (json_int_t)db_int(res, i, "id"), "problem", db_str(res, i, "problem"),
			 "answers", db_str(res, i, "answers"), "date", db_str(res, i, "date"),
			 "departement_id", (json_int_t)db_int(res, i, "departement_id"),
			 "departement", db_str(res, i, "departement"), "collective",
			 db_str(res, i, "collective"), "published_at",
			 db_str(res, i, "published_at"));
}

enum err rdb_library_json(struct req *r, const char *q, int64_t dep, int64_t limit,
			  int64_t offset, json_t **out)
{
	struct db_res res;
	const char *like = db_like_contains(r, q);
	enum err e =
	    db_rows(r, &Q_LIBRARY, &res, dep, dep, like, like, like, like, limit, offset);
	json_t *items;

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(items, lib_row(&res, i));
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)db_total(&res));
	return ERR_OK;
}

enum err rdb_library_item_json(struct req *r, int64_t id, json_t **out)
{
	struct db_res res;
	enum err e = db_one(r, &Q_LIBRARY_ITEM, &res, id);

	if (e == ERR_OK)
		*out = lib_row(&res, 0);
	return e;
}

/* ---- polls ---- */

static const struct db_sql Q_POLL_INSERT = {
    "INSERT INTO reseau_poll (academy_id, id, collective_id, state, created_by, created_at) "
    "VALUES (?, ?, ?, 'open', ?, UTC_TIMESTAMP(3))",
    "iii"};
static const struct db_sql Q_OPTION_INSERT = {
    "INSERT INTO reseau_poll_option (academy_id, id, poll_id, starts_at, ends_at, place) "
    "VALUES (?, ?, ?, ?, ?, ?)",
    "iisss"};
static const struct db_sql Q_OPTION_GET = {
    "SELECT " DT("starts_at") " AS starts_at, " DT("ends_at") " AS ends_at, place "
    "FROM reseau_poll_option WHERE academy_id = ? AND poll_id = ? AND id = ?",
    "ii", DB_COLS("starts_at", "ends_at", "place")};
static const struct db_sql Q_ANSWER_UPSERT = {
    "INSERT INTO reseau_poll_answer (academy_id, id, option_id, person_id, available, "
    "answered_at) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE "
    "available = VALUES(available), answered_at = VALUES(answered_at)",
    "iiii"};
static const struct db_sql Q_POLL_CONFIRM = {
    "UPDATE reseau_poll SET state = 'confirmed', meeting_id = ? WHERE academy_id = ? "
    "AND id = ? AND state = 'open'",
    "iAi"};

enum err rdb_poll_insert(struct req *r, int64_t id, int64_t collective_id, const json_t *options)
{
	size_t i;
	json_t *o;
	enum err e = db_run(r, &Q_POLL_INSERT, NULL, id, collective_id, r->who.person_id);

	json_array_foreach(options, i, o)
	{
		if (e != ERR_OK)
			break;
		e = db_run(r, &Q_OPTION_INSERT, NULL, random_id(), id,
			   json_string_value(json_object_get(o, "starts_at")),
			   json_string_value(json_object_get(o, "ends_at")),
			   json_string_value(json_object_get(o, "place")));
	}
	return e;
}

enum err rdb_poll_json(struct req *r, int64_t id, json_t **out)
{
	struct db_res res;
	json_t *polls;
	enum err e = db_rows(r, &Q_COLL_POLLS, &res, r->who.person_id, (int64_t)0, (int64_t)0, id,
			     id);

	if (e != ERR_OK)
		return e;
	polls = polls_of(&res);
	*out = json_incref(json_array_get(polls, 0));
	json_decref(polls);
	return *out != NULL ? ERR_OK : ERR_NOT_FOUND;
}

enum err rdb_poll_option(struct req *r, int64_t poll_id, int64_t option_id, bool *found,
			 const char **starts, const char **ends, const char **place)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_OPTION_GET, &res, poll_id, option_id);

	*found = e == ERR_OK && res.n_rows > 0;
	if (*found) {
		*starts = db_str(&res, 0, "starts_at");
		*ends = db_str(&res, 0, "ends_at");
		*place = db_str(&res, 0, "place");
	}
	return e;
}

enum err rdb_poll_answer(struct req *r, int64_t poll_id, int64_t option_id, bool available,
			 bool *found)
{
	const char *s, *en, *p;
	enum err e = rdb_poll_option(r, poll_id, option_id, found, &s, &en, &p);

	if (e == ERR_OK && *found)
		e = db_run(r, &Q_ANSWER_UPSERT, NULL, random_id(), option_id, r->who.person_id,
			   (int64_t)available);
	return e;
}

enum err rdb_poll_confirm(struct req *r, int64_t poll_id, int64_t meeting_id, bool *done)
{
	uint64_t n = 0;
	enum err e = db_run(r, &Q_POLL_CONFIRM, &n, meeting_id, poll_id);

	*done = n > 0;
	return e;
}

/* ---- resources ---- */

static const struct db_sql Q_RESOURCES = {
    "SELECT id, title, url, description, kind FROM reseau_resource WHERE academy_id = ? "
    "ORDER BY position, id LIMIT 200",
    "", DB_COLS("id", "title", "url", "description", "kind")};
static const struct db_sql Q_RESOURCES_CLEAR = {
    "DELETE FROM reseau_resource WHERE academy_id = ?", ""};
static const struct db_sql Q_RESOURCE_INSERT = {
    "INSERT INTO reseau_resource (academy_id, id, position, title, url, description, kind) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)",
    "iissss"};

enum err rdb_resources_json(struct req *r, json_t **out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_RESOURCES, &res);
	json_t *items;

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(
		    items, json_pack("{s:I, s:s?, s:s?, s:s?, s:s?}", "id",
				     (json_int_t)db_int(&res, i, "id"), "title",
				     db_str(&res, i, "title"), "url", db_str(&res, i, "url"),
				     "description", db_str(&res, i, "description"), "kind",
				     db_str(&res, i, "kind")));
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)res.n_rows);
	return ERR_OK;
}

enum err rdb_resources_replace(struct req *r, const json_t *items)
{
	size_t i;
	json_t *it;
	enum err e = db_run(r, &Q_RESOURCES_CLEAR, NULL);

	json_array_foreach(items, i, it)
	{
		const char *d = json_string_value(json_object_get(it, "description"));

		if (e != ERR_OK)
			break;
		e = db_run(r, &Q_RESOURCE_INSERT, NULL, random_id(), (int64_t)i + 1,
			   json_string_value(json_object_get(it, "title")),
			   json_string_value(json_object_get(it, "url")), d != NULL ? d : "",
			   json_string_value(json_object_get(it, "kind")));
	}
	return e;
}

/* ---- the experiment's figures (counts only) ---- */

static const struct db_sql Q_FIGURES = {
    "SELECT k.id, k.name, c.departement_id, d.name AS departement, k.mix_score, "
    "(SELECT COUNT(*) FROM reseau_member m WHERE m.academy_id = k.academy_id "
    "AND m.collective_id = k.id) AS members, (SELECT COUNT(*) FROM reseau_member m "
    "JOIN reseau_volunteer v ON v.academy_id = m.academy_id AND v.id = m.volunteer_id "
    "WHERE m.academy_id = k.academy_id AND m.collective_id = k.id AND v.seniority = 'neo') "
    "AS neo, (SELECT COUNT(*) FROM reseau_meeting mt WHERE mt.academy_id = k.academy_id "
    "AND mt.collective_id = k.id) AS meetings_planned, (SELECT COUNT(*) FROM reseau_meeting mt "
    "WHERE mt.academy_id = k.academy_id AND mt.collective_id = k.id "
    "AND mt.attendance_at IS NOT NULL) AS meetings_held, (SELECT COUNT(*) FROM "
    "reseau_attendance a JOIN reseau_meeting mt ON mt.academy_id = a.academy_id "
    "AND mt.id = a.meeting_id WHERE a.academy_id = k.academy_id AND mt.collective_id = k.id "
    "AND mt.attendance_at IS NOT NULL) AS present, (SELECT COUNT(*) FROM reseau_synthesis s "
    "JOIN reseau_meeting mt ON mt.academy_id = s.academy_id AND mt.id = s.meeting_id "
    "WHERE s.academy_id = k.academy_id AND mt.collective_id = k.id "
    "AND s.state = 'published') AS published, (SELECT COUNT(DISTINCT a.person_id) FROM "
    "reseau_attendance a JOIN reseau_meeting mt ON mt.academy_id = a.academy_id AND mt.id = "
    "a.meeting_id JOIN reseau_member m ON m.academy_id = a.academy_id AND m.collective_id = "
    "mt.collective_id AND m.person_id = a.person_id JOIN reseau_volunteer v ON v.academy_id = "
    "m.academy_id AND v.id = m.volunteer_id WHERE a.academy_id = k.academy_id AND "
    "mt.collective_id = k.id AND v.seniority = 'neo') AS neo_reached "
    "FROM reseau_collective k JOIN reseau_call c ON c.academy_id = k.academy_id "
    "AND c.id = k.call_id JOIN structure d ON d.academy_id = c.academy_id "
    "AND d.id = c.departement_id WHERE k.academy_id = ? AND c.year_id = ? "
    "AND k.state = 'validated' AND " ORG("c") " ORDER BY d.name, k.name, k.id LIMIT 1000",
    "iii",
    DB_COLS("id", "name", "departement_id", "departement", "mix_score", "members", "neo",
	    "meetings_planned", "meetings_held", "present", "published", "neo_reached")};

static double rate(int64_t present, int64_t possible)
{
	int64_t tenths = possible > 0 ? present * 1000 / possible : 0; /* rounded down */

	return (double)tenths / 10.0;
}

/* Per collective, then per département: meetings held against 4-5,
 * attendance rate (present / members x meetings held, in %), mix score,
 * syntheses published, néo-tutors reached (néo members present at least
 * once). */
enum err rdb_figures(struct req *r, int64_t year_id, json_t **out)
{
	struct db_res res;
	json_t *cols, *deps;
	enum err e = db_rows(r, &Q_FIGURES, &res, year_id, org_all(r), r->who.person_id);

	if (e != ERR_OK)
		return e;
	cols = json_array();
	deps = json_array();
	for (size_t i = 0; i < res.n_rows; i++) {
		int64_t members = db_int(&res, i, "members"), held = db_int(&res, i, "meetings_held");
		int64_t dep = db_int(&res, i, "departement_id"), present = db_int(&res, i, "present");
		json_t *d = NULL;
		size_t k;

		json_array_append_new(
		    cols,
		    json_pack("{s:I, s:s?, s:I, s:s?, s:I, s:I, s:I, s:I, s:f, s:I, s:I, s:I}", "id",
			      (json_int_t)db_int(&res, i, "id"), "name", db_str(&res, i, "name"),
			      "departement_id", (json_int_t)dep, "departement",
			      db_str(&res, i, "departement"), "members", (json_int_t)members,
			      "meetings_planned", (json_int_t)db_int(&res, i, "meetings_planned"),
			      "meetings_held", (json_int_t)held, "meetings_target", (json_int_t)4,
			      "attendance_rate", rate(present, members * held), "mix_score",
			      (json_int_t)db_int(&res, i, "mix_score"), "syntheses_published",
			      (json_int_t)db_int(&res, i, "published"), "neo_reached",
			      (json_int_t)db_int(&res, i, "neo_reached")));
		json_array_foreach(deps, k, d)
		{
			if (json_integer_value(json_object_get(d, "departement_id")) == dep)
				break;
			d = NULL;
		}
		if (d == NULL) {
			d = json_pack("{s:I, s:s?, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
				      "departement_id", (json_int_t)dep, "departement",
				      db_str(&res, i, "departement"), "collectives", (json_int_t)0,
				      "members", (json_int_t)0, "meetings_held", (json_int_t)0,
				      "present", (json_int_t)0, "possible", (json_int_t)0,
				      "syntheses_published", (json_int_t)0, "neo_reached",
				      (json_int_t)0, "mix_total", (json_int_t)0);
			json_array_append_new(deps, d);
		}
#define ADD(key, v)                                                                                \
	json_object_set_new(d, key, json_integer(json_integer_value(json_object_get(d, key)) + (v)))
		ADD("collectives", 1);
		ADD("members", members);
		ADD("meetings_held", held);
		ADD("present", present);
		ADD("possible", members * held);
		ADD("syntheses_published", db_int(&res, i, "published"));
		ADD("neo_reached", db_int(&res, i, "neo_reached"));
		ADD("mix_total", db_int(&res, i, "mix_score"));
#undef ADD
	}
	{
		size_t k;
		json_t *d;

		json_array_foreach(deps, k, d)
		{
			int64_t n = json_integer_value(json_object_get(d, "collectives"));

			json_object_set_new(
			    d, "attendance_rate",
			    json_real(rate(json_integer_value(json_object_get(d, "present")),
					   json_integer_value(json_object_get(d, "possible")))));
			json_object_set_new(
			    d, "mix_score",
			    json_integer(n > 0 ? json_integer_value(json_object_get(d, "mix_total")) / n
					       : 0));
			json_object_del(d, "mix_total");
			json_object_del(d, "present");
			json_object_del(d, "possible");
		}
	}
	*out = json_pack("{s:I, s:o, s:o}", "year_id", (json_int_t)year_id, "collectives", cols,
			 "departements", deps);
	return ERR_OK;
}

const struct db_sql *const reseau_statements[] = {
    &Q_CALL_REL,	  &Q_COLLECTIVE_REL,	&Q_COLLECTIVE_RELS,	&Q_MEETING_REL,
    &Q_MEETING_RELS,	  &Q_POLL_REL,		&Q_SYNTHESIS_REL,	&Q_COMMUNES,
    &Q_IS_DEP,		  &Q_YEAR_EXISTS,	&Q_IS_SCHOOL,		&Q_COMMUNE_DEP,
    &Q_ORG_DEP,		  &Q_CALL_INSERT,	&Q_CALL_STATE,		&Q_CALLS_PAGE,
    &Q_CALL_GET,	  &Q_VOLUNTEER_INSERT,	&Q_VOLUNTEERS_PAGE,	&Q_VOLUNTEERS_ALL,
    &Q_MY_VOLUNTEERING,	  &Q_COLLECTIVE_INSERT, &Q_MEMBER_INSERT,	&Q_COLLECTIVE_VALIDATE,
    &Q_COLLECTIVE_PEOPLE, &Q_COLLECTIVES_PAGE,	&Q_COLLECTIVE_GET,	&Q_COLL_MEMBERS,
    &Q_COLL_MEETINGS,	  &Q_COLL_POLLS,	&Q_CHARTER,		&Q_CHARTER_GET,
    &Q_COLLECTIVE_LOCK,	  &Q_MEETING_COUNT,	&Q_MEETING_INSERT,	&Q_CANVAS_INSERT,
    &Q_SYNTHESIS_INSERT,  &Q_MEETING_GET,	&Q_MEETING_PEOPLE,	&Q_MEMBERS_AMONG,
    &Q_ATTENDANCE_CLEAR,  &Q_ATTENDANCE_ADD,	&Q_ATTENDANCE_MARK,	&Q_CANVAS_GET,
    &Q_CANVAS_UPDATE,	  &Q_CANVAS_EXISTS,	&Q_SYNTHESIS_GET,	&Q_SYNTHESIS_UPDATE,
    &Q_SYNTHESIS_EXISTS,  &Q_SYNTHESIS_PUBLISH, &Q_LIBRARY,		&Q_LIBRARY_ITEM,
    &Q_POLL_INSERT,	  &Q_OPTION_INSERT,	&Q_OPTION_GET,		&Q_ANSWER_UPSERT,
    &Q_POLL_CONFIRM,	  &Q_RESOURCES,		&Q_RESOURCES_CLEAR,	&Q_RESOURCE_INSERT,
    &Q_FIGURES,		  &Q_YEAR_FIRST,	NULL};
