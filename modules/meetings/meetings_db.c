/*
 * The SQL of the meetings module: every statement declared once with its
 * signature (tenant-bound: the académie comes from the request) and the
 * data functions the handlers call. Lists cost a bounded number of
 * statements whatever their length: the signals of a meeting's list are
 * computed for all its trainees in one statement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "authz.h"
#include "db.h"
#include "meetings.h"
#include "notify.h"
#include "req.h"
#include "util.h"

#define ISO_UTC(col) "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"

/* The pilot of a meeting m's scope, as role_assignment ra: the pilote or
 * IEN of the pôle, the IA-IPR of the discipline (the same people who pilot
 * the enrolments of that scope in the tutorat module). */
#define MEETING_PILOT                                                                              \
	"((m.scope_kind = 'pole' AND ra.role IN ('pilote_pole', 'ien') "                           \
	"  AND ra.scope_kind = 'pole' AND ra.scope_id = m.scope_id) "                              \
	"OR (m.scope_kind = 'discipline' AND ra.role = 'ia_ipr' "                                  \
	"  AND ra.scope_kind = 'discipline' AND ra.scope_id = m.scope_id))"
/* The pilot of enrolment e's pôle or discipline. */
#define ENROLMENT_PILOT                                                                            \
	"((ra.role IN ('pilote_pole', 'ien') AND ra.scope_kind = 'pole' "                          \
	"  AND ra.scope_id = e.pole_id) "                                                          \
	"OR (ra.role = 'ia_ipr' AND ra.scope_kind = 'discipline' "                                 \
	"  AND ra.scope_id = e.discipline_id))"
#define IDS_JSON "IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) j) "

/* ---- relations (the resolver, the notifications' re-check) ---- */

#define MEETING_REL_COLS                                                                           \
	"SELECT m.id, m.year_id, m.number, m.status, m.version, "                                  \
	"EXISTS (SELECT 1 FROM pole_meeting_participant pp WHERE pp.academy_id = m.academy_id "    \
	"  AND pp.meeting_id = m.id AND pp.person_id = ?) AS participant, "                        \
	"EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = m.academy_id "             \
	"  AND ra.person_id = ? AND " MEETING_PILOT ") AS pilot FROM pole_meeting m "
static const struct db_sql Q_MEETING_REL = {
    MEETING_REL_COLS "WHERE m.academy_id = ? AND m.id = ?", "iiAi",
    DB_COLS("id", "year_id", "number", "status", "version", "participant", "pilot")};
static const struct db_sql Q_MEETING_RELS = {
    MEETING_REL_COLS "WHERE m.academy_id = ? AND m.id " IDS_JSON, "iiAs",
    DB_COLS("id", "year_id", "number", "status", "version", "participant", "pilot")};

#define FICHE_REL_COLS                                                                             \
	"SELECT p.id, e.year_id, p.enrolment_id, p.status, p.version, e.trainee_id = ? AS trainee, " \
	"(SELECT tm.role FROM trio_member tm WHERE tm.academy_id = e.academy_id "                  \
	"  AND tm.enrolment_id = e.id AND tm.person_id = ? AND tm.ended_at IS NULL LIMIT 1) "      \
	"AS trio_role, "                                                                           \
	"EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = e.academy_id "             \
	"  AND ra.person_id = ? AND " ENROLMENT_PILOT ") AS pilot "                                \
	"FROM personalisation p JOIN enrolment e ON e.academy_id = p.academy_id "                  \
	"AND e.id = p.enrolment_id "
static const struct db_sql Q_FICHE_REL = {
    FICHE_REL_COLS "WHERE p.academy_id = ? AND p.id = ?", "iiiAi",
    DB_COLS("id", "year_id", "enrolment_id", "status", "version", "trainee", "trio_role",
	    "pilot")};
static const struct db_sql Q_FICHE_RELS = {
    FICHE_REL_COLS "WHERE p.academy_id = ? AND p.id " IDS_JSON, "iiiAs",
    DB_COLS("id", "year_id", "enrolment_id", "status", "version", "trainee", "trio_role",
	    "pilot")};

static const struct db_sql Q_WORKSHOP_REL = {
    "SELECT id, year_id FROM workshop WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("id", "year_id")};

static unsigned cellule(const struct req *r)
{
	return (r->who.roles & R(BUREAU_STAGES)) ? MREL_CELLULE : 0;
}

static unsigned meeting_bits(const struct req *r, const struct db_res *res, size_t i)
{
	return cellule(r) | (db_bool(res, i, "pilot") ? MREL_PILOT : 0) |
	       (db_bool(res, i, "participant") ? MREL_PARTICIPANT : 0);
}

static unsigned fiche_bits(const struct req *r, const struct db_res *res, size_t i)
{
	const char *trio = db_str(res, i, "trio_role");
	unsigned bits = cellule(r) | (db_bool(res, i, "pilot") ? MREL_PILOT : 0) |
			(db_bool(res, i, "trainee") ? MREL_TRAINEE : 0);

	if (trio != NULL)
		bits |= strcmp(trio, "tuteur_terrain") == 0 ? MREL_TUTEUR_TERRAIN
							    : MREL_TUTEUR_INSPE;
	return bits;
}

static void copy_status(struct meetings_ctx *c, const struct db_res *res)
{
	const char *s = db_str(res, 0, "status");

	snprintf(c->status, sizeof(c->status), "%s", s != NULL ? s : "");
}

enum err mdb_meeting_rel(struct req *r, int64_t id, struct meetings_ctx *c)
{
	struct db_res res;
	enum err e = db_one(r, &Q_MEETING_REL, &res, r->who.person_id, r->who.person_id, id);

	if (e != ERR_OK)
		return e;
	c->id = id;
	c->year_id = db_int(&res, 0, "year_id");
	c->number = (int)db_int(&res, 0, "number");
	c->version = db_int(&res, 0, "version");
	copy_status(c, &res);
	c->rel = meeting_bits(r, &res, 0);
	return ERR_OK;
}

enum err mdb_personalisation_rel(struct req *r, int64_t id, struct meetings_ctx *c)
{
	struct db_res res;
	enum err e = db_one(r, &Q_FICHE_REL, &res, r->who.person_id, r->who.person_id,
			    r->who.person_id, id);

	if (e != ERR_OK)
		return e;
	c->id = id;
	c->year_id = db_int(&res, 0, "year_id");
	c->enrolment_id = db_int(&res, 0, "enrolment_id");
	c->version = db_int(&res, 0, "version");
	copy_status(c, &res);
	c->rel = fiche_bits(r, &res, 0);
	return ERR_OK;
}

enum err mdb_workshop_rel(struct req *r, int64_t id, struct meetings_ctx *c)
{
	struct db_res res;
	enum err e = db_one(r, &Q_WORKSHOP_REL, &res, id);

	if (e != ERR_OK)
		return e;
	c->id = id;
	c->year_id = db_int(&res, 0, "year_id");
	c->rel = cellule(r);
	return ERR_OK;
}

enum err mdb_relations_of(struct req *r, int kind, const int64_t *ids, size_t n, unsigned *rel)
{
	struct db_res res;
	const char *text;
	enum err e;
	bool meeting = kind == MOBJ_MEETING;

	if (kind != MOBJ_MEETING && kind != MOBJ_PERSONALISATION)
		return ERR_OK; /* items name meetings and fiches only */
	text = notify_ids_json(r, ids, n);
	if (text == NULL)
		return ERR_INTERNAL; /* the request failed: no memory */
	if (meeting)
		e = db_rows(r, &Q_MEETING_RELS, &res, r->who.person_id, r->who.person_id, text);
	else
		e = db_rows(r, &Q_FICHE_RELS, &res, r->who.person_id, r->who.person_id,
			    r->who.person_id, text);
	if (e != ERR_OK)
		return e;
	for (size_t row = 0; row < res.n_rows; row++) {
		unsigned bits = meeting ? meeting_bits(r, &res, row) : fiche_bits(r, &res, row);

		for (size_t i = 0; i < n; i++)
			if (ids[i] == db_int(&res, row, "id"))
				rel[i] = bits;
	}
	return ERR_OK;
}

/* ---- reference data ---- */

static const struct db_sql Q_CURRENT_YEAR = {
    "SELECT id FROM school_year WHERE academy_id = ? AND current", "", DB_COLS("id")};
static const struct db_sql Q_YEAR_EXISTS = {
    "SELECT id FROM school_year WHERE academy_id = ? AND id = ?", "i", DB_COLS("id")};
static const struct db_sql Q_STRUCTURE_KIND = {
    "SELECT id FROM structure WHERE academy_id = ? AND id = ? AND kind = ?", "is",
    DB_COLS("id")};
static const struct db_sql Q_SCOPE_PILOT = {
    "SELECT ra.id FROM role_assignment ra WHERE ra.academy_id = ? AND ra.person_id = ? "
    "AND ra.scope_kind = ? AND ra.scope_id = ? "
    "AND ((ra.scope_kind = 'pole' AND ra.role IN ('pilote_pole', 'ien')) "
    "OR (ra.scope_kind = 'discipline' AND ra.role = 'ia_ipr')) LIMIT 1",
    "isi", DB_COLS("id")};
static const struct db_sql Q_CALENDAR_DATE = {
    "SELECT DATE_FORMAT(MIN(starts_on), '%Y-%m-%d') AS starts_on FROM year_event "
    "WHERE academy_id = ? AND year_id = ? AND kind = ?",
    "is", DB_COLS("starts_on")};

enum err mdb_current_year(struct req *r, int64_t *year_id)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_CURRENT_YEAR, &res);

	*year_id = e == ERR_OK && res.n_rows > 0 ? db_int(&res, 0, "id") : 0;
	return e;
}

enum err mdb_year_exists(struct req *r, int64_t year_id, bool *found)
{
	return db_exists(r, &Q_YEAR_EXISTS, found, year_id);
}

enum err mdb_structure_kind(struct req *r, int64_t id, const char *kind, bool *found)
{
	return db_exists(r, &Q_STRUCTURE_KIND, found, id, kind);
}

enum err mdb_is_scope_pilot(struct req *r, const char *scope_kind, int64_t scope_id, bool *yes)
{
	return db_exists(r, &Q_SCOPE_PILOT, yes, r->who.person_id, scope_kind, scope_id);
}

enum err mdb_calendar_date(struct req *r, int64_t year_id, int number, const char **date)
{
	static const char *const kinds[] = {"", "pole_meeting_1", "pole_meeting_2",
					    "pole_meeting_3"};
	struct db_res res;
	enum err e = db_one(r, &Q_CALENDAR_DATE, &res, year_id, kinds[number]);

	*date = e == ERR_OK ? db_str(&res, 0, "starts_on") : NULL;
	return e;
}

/* ---- meetings ---- */

static const struct db_sql Q_MEETING_INSERT = {
    "INSERT INTO pole_meeting (academy_id, id, year_id, number, scope_kind, scope_id, held_on, "
    "status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'upcoming', ?, NOW(3))",
    "iiisisi"};
static const struct db_sql Q_PARTICIPANT_INSERT = {
    "INSERT INTO pole_meeting_participant (academy_id, id, meeting_id, person_id) "
    "VALUES (?, ?, ?, ?)",
    "iii"};
/* Who takes part by default: the référent Inspé, the DEA and the IEN of a
 * pôle; the responsables de parcours of a discipline (or of the whole
 * académie, given locally) — the meeting's pilot aside. */
static const struct db_sql Q_PARTICIPANTS_DEFAULT = {
    "SELECT DISTINCT ra.person_id FROM pole_meeting m JOIN role_assignment ra "
    "ON ra.academy_id = m.academy_id WHERE m.academy_id = ? AND m.id = ? AND ra.person_id <> ? "
    "AND ((m.scope_kind = 'pole' AND ra.role IN ('referent_inspe', 'dea', 'ien') "
    "  AND ra.scope_kind = 'pole' AND ra.scope_id = m.scope_id) "
    "OR (m.scope_kind = 'discipline' AND ra.role = 'responsable_parcours' "
    "  AND ((ra.scope_kind = 'discipline' AND ra.scope_id = m.scope_id) "
    "  OR (ra.scope_kind = 'academy' AND ra.source = 'local'))))",
    "ii", DB_COLS("person_id")};
static const struct db_sql Q_PARTICIPANTS_CLEAR = {
    "DELETE FROM pole_meeting_participant WHERE academy_id = ? AND meeting_id = ?", "i"};
static const struct db_sql Q_MEETING_EXISTS = {
    "SELECT version FROM pole_meeting WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("version")};
static const struct db_sql Q_MEETING_UPDATE = {
    "UPDATE pole_meeting SET held_on = COALESCE(?, held_on), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ?",
    "sAii"};
static const struct db_sql Q_MEETING_STATUS = {
    "UPDATE pole_meeting SET status = ?, "
    "ready_at = IF(? = 'list_ready', NOW(3), ready_at), "
    "held_at = IF(? = 'held', NOW(3), held_at), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ? AND status = ?",
    "sssAiis"};
static const struct db_sql Q_MEETINGS_PAGE = {
    "SELECT m.id, m.year_id, m.number, m.scope_kind, m.scope_id, s.name AS scope_name, "
    "DATE_FORMAT(m.held_on, '%Y-%m-%d') AS held_on, m.status, "
    "(SELECT COUNT(*) FROM pole_meeting_review rv WHERE rv.academy_id = m.academy_id "
    "  AND rv.meeting_id = m.id) AS reviews, "
    "(SELECT COUNT(DISTINCT d.enrolment_id) FROM pole_meeting_decision d "
    "  WHERE d.academy_id = m.academy_id AND d.meeting_id = m.id) AS decided, "
    "COUNT(*) OVER () AS total "
    "FROM pole_meeting m JOIN structure s ON s.academy_id = m.academy_id AND s.id = m.scope_id "
    "WHERE m.academy_id = ? AND (? IS NULL OR m.year_id = ?) AND (? "
    "  OR EXISTS (SELECT 1 FROM pole_meeting_participant pp WHERE pp.academy_id = m.academy_id "
    "    AND pp.meeting_id = m.id AND pp.person_id = ?) "
    "  OR EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = m.academy_id "
    "    AND ra.person_id = ? AND " MEETING_PILOT ")) "
    "ORDER BY m.held_on, m.number, s.name, m.id LIMIT ? OFFSET ?",
    "zziiiii",
    DB_COLS("id", "year_id", "number", "scope_kind", "scope_id", "scope_name", "held_on",
	    "status", "reviews", "decided", "total")};
/* The scopes the caller may plan meetings for (Q_SCOPE_PILOT's rule). */
static const struct db_sql Q_MY_SCOPES = {
    "SELECT DISTINCT ra.scope_kind, ra.scope_id, s.name FROM role_assignment ra "
    "JOIN structure s ON s.academy_id = ra.academy_id AND s.id = ra.scope_id "
    "WHERE ra.academy_id = ? AND ra.person_id = ? "
    "AND ((ra.scope_kind = 'pole' AND ra.role IN ('pilote_pole', 'ien')) "
    "OR (ra.scope_kind = 'discipline' AND ra.role = 'ia_ipr')) ORDER BY s.name, ra.scope_id",
    "i", DB_COLS("scope_kind", "scope_id", "name")};
static const struct db_sql Q_MEETING_ONE = {
    "SELECT m.id, m.year_id, y.label AS year_label, m.number, m.scope_kind, m.scope_id, "
    "s.name AS scope_name, DATE_FORMAT(m.held_on, '%Y-%m-%d') AS held_on, m.status, "
    ISO_UTC("m.ready_at") " AS ready_at, " ISO_UTC("m.held_at") " AS held_at, m.version "
    "FROM pole_meeting m JOIN structure s ON s.academy_id = m.academy_id AND s.id = m.scope_id "
    "JOIN school_year y ON y.academy_id = m.academy_id AND y.id = m.year_id "
    "WHERE m.academy_id = ? AND m.id = ?",
    "i",
    DB_COLS("id", "year_id", "year_label", "number", "scope_kind", "scope_id", "scope_name",
	    "held_on", "status", "ready_at", "held_at", "version")};
static const struct db_sql Q_MEETING_PEOPLE = {
    "SELECT pp.person_id, p.display_name FROM pole_meeting_participant pp "
    "JOIN person p ON p.academy_id = pp.academy_id AND p.id = pp.person_id "
    "WHERE pp.academy_id = ? AND pp.meeting_id = ? ORDER BY p.display_name, p.id",
    "i", DB_COLS("person_id", "display_name")};
static const struct db_sql Q_MEETING_PILOTS = {
    "SELECT DISTINCT p.id AS person_id, p.display_name FROM pole_meeting m "
    "JOIN role_assignment ra ON ra.academy_id = m.academy_id AND " MEETING_PILOT " "
    "JOIN person p ON p.academy_id = ra.academy_id AND p.id = ra.person_id "
    "WHERE m.academy_id = ? AND m.id = ? ORDER BY p.display_name, p.id",
    "i", DB_COLS("person_id", "display_name")};

/*
 * The list of trainees to review, computed from the signals for all the
 * enrolments of the meeting's scope and year in one statement:
 * - renouvellement: the enrolment is a renewed year;
 * - no_visit_before_meeting_1 (meeting N°1 only): no visit (visit, visite
 *   conseil) held or debriefed before the meeting's date;
 * - tutor_request: a tutor asked for a review since the last decision a
 *   meeting took on the trainee;
 * - open_case: a case of the accompaniment module (acc_case) still open.
 */
static const struct db_sql Q_REVIEW_CANDIDATES = {
    "SELECT c.enrolment_id, c.display_name, c.parcours, c.degre, c.open_case, "
    "c.renouvellement, c.no_visit, c.tutor_request FROM ("
    "SELECT e.id AS enrolment_id, p.display_name, e.parcours, e.degre, "
    "EXISTS (SELECT 1 FROM acc_case ac WHERE ac.academy_id = e.academy_id "
    "  AND ac.enrolment_id = e.id AND ac.closed_at IS NULL) AS open_case, "
    "e.renouvellement AS renouvellement, "
    "(m.number = 1 AND NOT EXISTS (SELECT 1 FROM followup f WHERE f.academy_id = e.academy_id "
    "  AND f.enrolment_id = e.id AND f.kind IN ('visit', 'visite_conseil') "
    "  AND f.state IN ('held', 'debriefed') AND f.scheduled_at < m.held_on)) AS no_visit, "
    "EXISTS (SELECT 1 FROM review_request rr WHERE rr.academy_id = e.academy_id "
    "  AND rr.enrolment_id = e.id AND rr.created_at > COALESCE((SELECT MAX(d.decided_at) "
    "  FROM pole_meeting_decision d WHERE d.academy_id = e.academy_id "
    "  AND d.enrolment_id = e.id), '1000-01-01')) AS tutor_request "
    "FROM pole_meeting m JOIN enrolment e ON e.academy_id = m.academy_id "
    "  AND e.year_id = m.year_id AND ((m.scope_kind = 'pole' AND e.pole_id = m.scope_id) "
    "  OR (m.scope_kind = 'discipline' AND e.discipline_id = m.scope_id)) "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "WHERE m.academy_id = ? AND m.id = ?) c "
    "WHERE c.open_case OR c.renouvellement OR c.no_visit OR c.tutor_request "
    "ORDER BY c.display_name, c.enrolment_id",
    "i",
    DB_COLS("enrolment_id", "display_name", "parcours", "degre", "open_case", "renouvellement",
	    "no_visit", "tutor_request")};
static const struct db_sql Q_REVIEW_INSERT = {
    "INSERT INTO pole_meeting_review (academy_id, id, meeting_id, enrolment_id, signals) "
    "VALUES (?, ?, ?, ?, ?)",
    "iiis"};
/* The frozen list with each trainee's latest decision (a correction is a
 * new row: the last one counts) and how many were taken. */
static const struct db_sql Q_REVIEWS_FROZEN = {
    "SELECT rv.enrolment_id, p.display_name, e.parcours, e.degre, rv.signals, "
    "d.decision, d.note, " ISO_UTC("d.decided_at") " AS decided_at, "
    "dp.display_name AS decided_by, "
    "(SELECT COUNT(*) FROM pole_meeting_decision d3 WHERE d3.academy_id = rv.academy_id "
    "  AND d3.meeting_id = rv.meeting_id AND d3.enrolment_id = rv.enrolment_id) AS decisions "
    "FROM pole_meeting_review rv "
    "JOIN enrolment e ON e.academy_id = rv.academy_id AND e.id = rv.enrolment_id "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "LEFT JOIN pole_meeting_decision d ON d.academy_id = rv.academy_id AND d.id = ("
    "  SELECT d2.id FROM pole_meeting_decision d2 WHERE d2.academy_id = rv.academy_id "
    "  AND d2.meeting_id = rv.meeting_id AND d2.enrolment_id = rv.enrolment_id "
    "  ORDER BY d2.decided_at DESC, d2.id DESC LIMIT 1) "
    "LEFT JOIN person dp ON dp.academy_id = d.academy_id AND dp.id = d.decided_by "
    "WHERE rv.academy_id = ? AND rv.meeting_id = ? ORDER BY p.display_name, rv.enrolment_id",
    "i",
    DB_COLS("enrolment_id", "display_name", "parcours", "degre", "signals", "decision", "note",
	    "decided_at", "decided_by", "decisions")};
static const struct db_sql Q_ON_LIST = {
    "SELECT id FROM pole_meeting_review WHERE academy_id = ? AND meeting_id = ? "
    "AND enrolment_id = ?",
    "ii", DB_COLS("id")};
static const struct db_sql Q_DECISION_INSERT = {
    "INSERT INTO pole_meeting_decision (academy_id, id, meeting_id, enrolment_id, decision, "
    "note, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, NOW(3))",
    "iiissi"};
static const struct db_sql Q_PARTICIPANT_IDS = {
    "SELECT person_id FROM pole_meeting_participant WHERE academy_id = ? AND meeting_id = ?",
    "i", DB_COLS("person_id")};

enum err mdb_meeting_insert(struct req *r, int64_t id, int64_t year_id, int number,
			    const char *scope_kind, int64_t scope_id, const char *held_on)
{
	return db_run(r, &Q_MEETING_INSERT, NULL, id, year_id, (int64_t)number, scope_kind,
		      scope_id, held_on, r->who.person_id);
}

enum err mdb_participant_add(struct req *r, int64_t meeting_id, int64_t person_id)
{
	return db_run(r, &Q_PARTICIPANT_INSERT, NULL, random_id(), meeting_id, person_id);
}

enum err mdb_participants_default(struct req *r, int64_t meeting_id)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_PARTICIPANTS_DEFAULT, &res, meeting_id, r->who.person_id);

	for (size_t i = 0; e == ERR_OK && i < res.n_rows; i++)
		e = mdb_participant_add(r, meeting_id, db_int(&res, i, "person_id"));
	return e;
}

enum err mdb_participants_clear(struct req *r, int64_t meeting_id)
{
	return db_run(r, &Q_PARTICIPANTS_CLEAR, NULL, meeting_id);
}

enum err mdb_meeting_update(struct req *r, int64_t id, int64_t version, const char *held_on)
{
	return db_update_versioned(r, &Q_MEETING_UPDATE, &Q_MEETING_EXISTS, id, held_on, id,
				   version);
}

enum err mdb_meeting_status(struct req *r, int64_t id, int64_t version, const char *from,
			    const char *to)
{
	return db_update_versioned(r, &Q_MEETING_STATUS, &Q_MEETING_EXISTS, id, to, to, to, id,
				   version, from);
}

static json_t *people_json(const struct db_res *res)
{
	json_t *a = json_array();

	for (size_t i = 0; i < res->n_rows; i++)
		json_array_append_new(a, json_pack("{s:I, s:s?}", "id",
						   (json_int_t)db_int(res, i, "person_id"),
						   "display_name", db_str(res, i, "display_name")));
	return a;
}

enum err mdb_meetings_list(struct req *r, int64_t year_id, int64_t limit, int64_t offset,
			   json_t **out)
{
	struct db_res res, scopes;
	enum err e = db_rows(r, &Q_MEETINGS_PAGE, &res, year_id, year_id,
			     (int64_t)(cellule(r) != 0), r->who.person_id, r->who.person_id, limit,
			     offset);
	json_t *items, *plannable;

	if (e == ERR_OK)
		e = db_rows(r, &Q_MY_SCOPES, &scopes, r->who.person_id);
	if (e != ERR_OK)
		return e;
	plannable = json_array();
	for (size_t i = 0; i < scopes.n_rows; i++)
		json_array_append_new(plannable,
				      json_pack("{s:s?, s:I, s:s?}", "scope_kind",
						db_str(&scopes, i, "scope_kind"), "scope_id",
						(json_int_t)db_int(&scopes, i, "scope_id"), "name",
						db_str(&scopes, i, "name")));
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:I, s:I, s:s?, s:I, s:s?, s:s?, s:s?, s:I, s:I}", "id",
			      (json_int_t)db_int(&res, i, "id"), "year_id",
			      (json_int_t)db_int(&res, i, "year_id"), "number",
			      (json_int_t)db_int(&res, i, "number"), "scope_kind",
			      db_str(&res, i, "scope_kind"), "scope_id",
			      (json_int_t)db_int(&res, i, "scope_id"), "scope_name",
			      db_str(&res, i, "scope_name"), "held_on", db_str(&res, i, "held_on"),
			      "status", db_str(&res, i, "status"), "reviews",
			      (json_int_t)db_int(&res, i, "reviews"), "decided",
			      (json_int_t)db_int(&res, i, "decided")));
	*out = json_pack("{s:o, s:I, s:o}", "items", items, "total", (json_int_t)db_total(&res),
			 "plannable", plannable);
	return ERR_OK;
}

enum err mdb_meeting_json(struct req *r, int64_t id, unsigned rel, json_t **out)
{
	struct db_res m, people, pilots;
	enum err e = db_one(r, &Q_MEETING_ONE, &m, id);

	if (e == ERR_OK)
		e = db_rows(r, &Q_MEETING_PEOPLE, &people, id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_MEETING_PILOTS, &pilots, id);
	if (e != ERR_OK)
		return e;
	*out = json_pack(
	    "{s:I, s:I, s:s?, s:I, s:s?, s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:I, s:o, s:o, s:b}",
	    "id", (json_int_t)id, "year_id", (json_int_t)db_int(&m, 0, "year_id"), "year_label",
	    db_str(&m, 0, "year_label"), "number", (json_int_t)db_int(&m, 0, "number"),
	    "scope_kind", db_str(&m, 0, "scope_kind"), "scope_id",
	    (json_int_t)db_int(&m, 0, "scope_id"), "scope_name", db_str(&m, 0, "scope_name"),
	    "held_on", db_str(&m, 0, "held_on"), "status", db_str(&m, 0, "status"), "ready_at",
	    db_str(&m, 0, "ready_at"), "held_at", db_str(&m, 0, "held_at"), "version",
	    (json_int_t)db_int(&m, 0, "version"), "pilots", people_json(&pilots), "participants",
	    people_json(&people), "can_run", (rel & MREL_PILOT) != 0);
	return ERR_OK;
}

static json_t *signals_of(const struct db_res *res, size_t i)
{
	json_t *a = json_array();

	if (db_bool(res, i, "open_case"))
		json_array_append_new(a, json_string("open_case"));
	if (db_bool(res, i, "renouvellement"))
		json_array_append_new(a, json_string("renouvellement"));
	if (db_bool(res, i, "no_visit"))
		json_array_append_new(a, json_string("no_visit_before_meeting_1"));
	if (db_bool(res, i, "tutor_request"))
		json_array_append_new(a, json_string("tutor_request"));
	return a;
}

/* "a,b" (a SET column) as a JSON array of strings. */
static json_t *set_json(const char *s)
{
	json_t *a = json_array();

	while (s != NULL && *s != '\0') {
		const char *comma = strchr(s, ',');
		size_t n = comma != NULL ? (size_t)(comma - s) : strlen(s);

		json_array_append_new(a, json_stringn(s, n));
		s = comma != NULL ? comma + 1 : NULL;
	}
	return a;
}

enum err mdb_reviews_json(struct req *r, int64_t id, const char *status, json_t **out)
{
	struct db_res res;
	bool live = strcmp(status, "upcoming") == 0;
	enum err e = live ? db_rows(r, &Q_REVIEW_CANDIDATES, &res, id)
			  : db_rows(r, &Q_REVIEWS_FROZEN, &res, id);
	json_t *items;

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++) {
		json_t *it = json_pack("{s:I, s:s?, s:s?, s:I, s:o}", "enrolment_id",
				       (json_int_t)db_int(&res, i, "enrolment_id"), "display_name",
				       db_str(&res, i, "display_name"), "parcours",
				       db_str(&res, i, "parcours"), "degre",
				       (json_int_t)db_int(&res, i, "degre"), "signals",
				       live ? signals_of(&res, i)
					    : set_json(db_str(&res, i, "signals")));

		if (!live && it != NULL)
			json_object_set_new(
			    it, "decision",
			    db_isnull(&res, i, "decision")
				? json_null()
				: json_pack("{s:s?, s:s?, s:s?, s:s?, s:I}", "decision",
					    db_str(&res, i, "decision"), "note",
					    db_str(&res, i, "note"), "decided_at",
					    db_str(&res, i, "decided_at"), "decided_by",
					    db_str(&res, i, "decided_by"), "count",
					    (json_int_t)db_int(&res, i, "decisions")));
		json_array_append_new(items, it);
	}
	*out = json_pack("{s:s, s:b, s:o, s:I}", "status", status, "frozen", !live, "items", items,
			 "total", (json_int_t)res.n_rows);
	return ERR_OK;
}

enum err mdb_reviews_freeze(struct req *r, int64_t meeting_id, size_t *n)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_REVIEW_CANDIDATES, &res, meeting_id);

	*n = e == ERR_OK ? res.n_rows : 0;
	for (size_t i = 0; e == ERR_OK && i < res.n_rows; i++) {
		char *sig = arena_printf(
		    r->arena, "%s%s%s%s", db_bool(&res, i, "open_case") ? "open_case," : "",
		    db_bool(&res, i, "renouvellement") ? "renouvellement," : "",
		    db_bool(&res, i, "no_visit") ? "no_visit_before_meeting_1," : "",
		    db_bool(&res, i, "tutor_request") ? "tutor_request," : "");

		if (sig == NULL)
			return fail_internal(r, ERR_INTERNAL, "arena exhausted");
		if (*sig != '\0')
			sig[strlen(sig) - 1] = '\0'; /* the last comma */
		e = db_run(r, &Q_REVIEW_INSERT, NULL, random_id(), meeting_id,
			   db_int(&res, i, "enrolment_id"), sig);
	}
	return e;
}

static enum err id_column(struct req *r, const struct db_res *res, const char *col, int64_t **ids,
			  size_t *n)
{
	*ids = arena_alloc(r->arena, (res->n_rows + 1) * sizeof(**ids));
	if (*ids == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	for (size_t i = 0; i < res->n_rows; i++)
		(*ids)[i] = db_int(res, i, col);
	*n = res->n_rows;
	return ERR_OK;
}

enum err mdb_participant_ids(struct req *r, int64_t meeting_id, int64_t **ids, size_t *n)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_PARTICIPANT_IDS, &res, meeting_id);

	return e == ERR_OK ? id_column(r, &res, "person_id", ids, n) : e;
}

enum err mdb_on_list(struct req *r, int64_t meeting_id, int64_t enrolment_id, bool *yes)
{
	return db_exists(r, &Q_ON_LIST, yes, meeting_id, enrolment_id);
}

enum err mdb_decision_insert(struct req *r, int64_t id, int64_t meeting_id, int64_t enrolment_id,
			     const char *decision, const char *note)
{
	return db_run(r, &Q_DECISION_INSERT, NULL, id, meeting_id, enrolment_id, decision, note,
		      r->who.person_id);
}

/* ---- review requests ---- */

static const struct db_sql Q_TUTOR_OF = {
    "SELECT id FROM trio_member WHERE academy_id = ? AND enrolment_id = ? AND person_id = ? "
    "AND ended_at IS NULL LIMIT 1",
    "ii", DB_COLS("id")};
static const struct db_sql Q_REVIEW_REQUEST_INSERT = {
    "INSERT INTO review_request (academy_id, id, enrolment_id, requested_by, reason, "
    "created_at) VALUES (?, ?, ?, ?, ?, NOW(3))",
    "iiis"};

enum err mdb_tutor_of(struct req *r, int64_t enrolment_id, bool *yes)
{
	return db_exists(r, &Q_TUTOR_OF, yes, enrolment_id, r->who.person_id);
}

enum err mdb_review_request_insert(struct req *r, int64_t id, int64_t enrolment_id,
				   const char *reason)
{
	return db_run(r, &Q_REVIEW_REQUEST_INSERT, NULL, id, enrolment_id, r->who.person_id,
		      reason);
}

/* ---- fiches de personnalisation ---- */

static const struct db_sql Q_FICHE_ENROLMENT = {
    "SELECT e.id FROM enrolment e WHERE e.academy_id = ? AND e.trainee_id = ? "
    "AND e.year_id = ? AND (EXISTS (SELECT 1 FROM trio_member tm "
    "  WHERE tm.academy_id = e.academy_id AND tm.enrolment_id = e.id AND tm.person_id = ? "
    "  AND tm.ended_at IS NULL) "
    "OR EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = e.academy_id "
    "  AND ra.person_id = ? AND " ENROLMENT_PILOT "))",
    "iiii", DB_COLS("id")};
static const struct db_sql Q_PLACE_OF = {
    "SELECT id FROM enrolment_place WHERE academy_id = ? AND id = ? AND enrolment_id = ?", "ii",
    DB_COLS("id")};
static const struct db_sql Q_PLACES = {
    "SELECT id FROM enrolment_place WHERE academy_id = ? AND enrolment_id = ? LIMIT 2", "i",
    DB_COLS("id")};
static const struct db_sql Q_MEETING_OF_YEAR = {
    "SELECT id FROM pole_meeting WHERE academy_id = ? AND id = ? AND year_id = ?", "ii",
    DB_COLS("id")};
static const struct db_sql Q_FICHE_INSERT = {
    "INSERT INTO personalisation (academy_id, id, enrolment_id, meeting_id, decided_on, "
    "place_id, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, NOW(3))",
    "iizszi"};
static const struct db_sql Q_FICHE_EXISTS = {
    "SELECT version FROM personalisation WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("version")};
static const struct db_sql Q_FICHE_UPDATE = {
    "UPDATE personalisation SET decided_on = ?, meeting_id = ?, place_id = ?, "
    "version = version + 1 WHERE academy_id = ? AND id = ? AND version = ? AND status = 'draft'",
    "szzAii"};
static const struct db_sql Q_ITEMS_DELETE = {
    "DELETE FROM personalisation_item WHERE academy_id = ? AND personalisation_id = ?", "i"};
static const struct db_sql Q_ITEM_INSERT = {
    "INSERT INTO personalisation_item (academy_id, id, personalisation_id, difficulty, "
    "situation, support, hours) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "iiissi"};
static const struct db_sql Q_FICHE_ONE = {
    "SELECT p.id, p.enrolment_id, e.year_id, y.label AS year_label, e.trainee_id, "
    "t.display_name AS trainee_name, e.degre, p.meeting_id, m.number AS meeting_number, "
    "COALESCE(ps.name, ds.name) AS scope_name, "
    "DATE_FORMAT(p.decided_on, '%Y-%m-%d') AS decided_on, p.place_id, "
    "sc.name AS school_name, ep.class_label, p.status, "
    "(SELECT tp.display_name FROM trio_member tm JOIN person tp ON tp.academy_id = "
    "  tm.academy_id AND tp.id = tm.person_id WHERE tm.academy_id = e.academy_id "
    "  AND tm.enrolment_id = e.id AND tm.role = 'tuteur_terrain' AND tm.ended_at IS NULL "
    "  ORDER BY tm.started_at DESC LIMIT 1) AS tuteur_terrain, "
    "(SELECT tp.display_name FROM trio_member tm JOIN person tp ON tp.academy_id = "
    "  tm.academy_id AND tp.id = tm.person_id WHERE tm.academy_id = e.academy_id "
    "  AND tm.enrolment_id = e.id AND tm.role = 'tuteur_inspe' AND tm.ended_at IS NULL "
    "  ORDER BY tm.started_at DESC LIMIT 1) AS tuteur_inspe, "
    ISO_UTC("p.created_at") " AS created_at, " ISO_UTC("p.sent_at") " AS sent_at, "
    "sp.display_name AS sent_by, " ISO_UTC("p.decided_at") " AS decided_at, "
    "dp.display_name AS decided_by, p.agreed_hours, p.decision_note, p.version "
    "FROM personalisation p JOIN enrolment e ON e.academy_id = p.academy_id "
    "  AND e.id = p.enrolment_id "
    "JOIN school_year y ON y.academy_id = e.academy_id AND y.id = e.year_id "
    "JOIN person t ON t.academy_id = e.academy_id AND t.id = e.trainee_id "
    "LEFT JOIN structure ps ON ps.academy_id = e.academy_id AND ps.id = e.pole_id "
    "LEFT JOIN structure ds ON ds.academy_id = e.academy_id AND ds.id = e.discipline_id "
    "LEFT JOIN pole_meeting m ON m.academy_id = p.academy_id AND m.id = p.meeting_id "
    "LEFT JOIN enrolment_place ep ON ep.academy_id = p.academy_id AND ep.id = p.place_id "
    "LEFT JOIN structure sc ON sc.academy_id = ep.academy_id AND sc.id = ep.school_id "
    "LEFT JOIN person sp ON sp.academy_id = p.academy_id AND sp.id = p.sent_by "
    "LEFT JOIN person dp ON dp.academy_id = p.academy_id AND dp.id = p.decided_by "
    "WHERE p.academy_id = ? AND p.id = ?",
    "i",
    DB_COLS("id", "enrolment_id", "year_id", "year_label", "trainee_id", "trainee_name", "degre",
	    "meeting_id", "meeting_number", "scope_name", "decided_on", "place_id", "school_name",
	    "class_label", "status", "tuteur_terrain", "tuteur_inspe", "created_at", "sent_at",
	    "sent_by", "decided_at", "decided_by", "agreed_hours", "decision_note", "version")};
static const struct db_sql Q_ITEMS = {
    "SELECT difficulty, situation, support, hours FROM personalisation_item "
    "WHERE academy_id = ? AND personalisation_id = ? ORDER BY difficulty",
    "i", DB_COLS("difficulty", "situation", "support", "hours")};
static const struct db_sql Q_FICHE_HOURS = {
    "SELECT COALESCE(SUM(hours), 0) AS hours FROM personalisation_item "
    "WHERE academy_id = ? AND personalisation_id = ?",
    "i", DB_COLS("hours")};
/* Visible fiches: the caller's trio, the pilot's scope, or every fiche
 * for the cellule; status and counts only. */
static const struct db_sql Q_FICHES_PAGE = {
    "SELECT p.id, p.enrolment_id, e.year_id, t.display_name AS trainee_name, "
    "COALESCE(ps.name, ds.name) AS scope_name, DATE_FORMAT(p.decided_on, '%Y-%m-%d') "
    "AS decided_on, p.status, (SELECT COALESCE(SUM(i.hours), 0) FROM personalisation_item i "
    "  WHERE i.academy_id = p.academy_id AND i.personalisation_id = p.id) AS hours, "
    "p.agreed_hours, COUNT(*) OVER () AS total "
    "FROM personalisation p JOIN enrolment e ON e.academy_id = p.academy_id "
    "  AND e.id = p.enrolment_id "
    "JOIN person t ON t.academy_id = e.academy_id AND t.id = e.trainee_id "
    "LEFT JOIN structure ps ON ps.academy_id = e.academy_id AND ps.id = e.pole_id "
    "LEFT JOIN structure ds ON ds.academy_id = e.academy_id AND ds.id = e.discipline_id "
    "WHERE p.academy_id = ? AND (? IS NULL OR e.year_id = ?) AND (? IS NULL OR p.status = ?) "
    "AND (? OR e.trainee_id = ? "
    "  OR EXISTS (SELECT 1 FROM trio_member tm WHERE tm.academy_id = e.academy_id "
    "    AND tm.enrolment_id = e.id AND tm.person_id = ? AND tm.ended_at IS NULL) "
    "  OR EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = e.academy_id "
    "    AND ra.person_id = ? AND " ENROLMENT_PILOT ")) "
    "ORDER BY FIELD(p.status, 'sent', 'draft', 'agreed', 'refused'), p.decided_on DESC, p.id "
    "LIMIT ? OFFSET ?",
    "zzssiiiiii",
    DB_COLS("id", "enrolment_id", "year_id", "trainee_name", "scope_name", "decided_on",
	    "status", "hours", "agreed_hours", "total")};
static const struct db_sql Q_FICHE_SEND = {
    "UPDATE personalisation SET status = 'sent', sent_by = ?, sent_at = NOW(3), "
    "version = version + 1 WHERE academy_id = ? AND id = ? AND version = ? AND status = 'draft'",
    "iAii"};
static const struct db_sql Q_FICHE_DECIDE = {
    "UPDATE personalisation SET status = ?, agreed_hours = ?, decision_note = ?, "
    "decided_by = ?, decided_at = NOW(3), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ? AND status = 'sent'",
    "szsiAii"};
static const struct db_sql Q_CELLULE = {
    "SELECT DISTINCT person_id FROM role_assignment WHERE academy_id = ? "
    "AND role = 'bureau_stages'",
    "", DB_COLS("person_id")};
/* Who hears of the cellule's answer: the current tutors and the pilots of
 * the enrolment's pôle or discipline; the trainee's name for the item. */
static const struct db_sql Q_FICHE_AUDIENCE = {
    "SELECT tm.person_id, NULL AS display_name FROM trio_member tm WHERE tm.academy_id = ? "
    "AND tm.enrolment_id = ? AND tm.ended_at IS NULL "
    "UNION SELECT ra.person_id, NULL FROM enrolment e JOIN role_assignment ra "
    "ON ra.academy_id = e.academy_id AND " ENROLMENT_PILOT " WHERE e.academy_id = ? "
    "AND e.id = ? "
    "UNION SELECT 0, p.display_name FROM enrolment e JOIN person p ON p.academy_id = "
    "e.academy_id AND p.id = e.trainee_id WHERE e.academy_id = ? AND e.id = ?",
    "AiAiAi", DB_COLS("person_id", "display_name")};

enum err mdb_fiche_enrolment(struct req *r, int64_t trainee_id, int64_t year_id,
			     int64_t *enrolment_id)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_FICHE_ENROLMENT, &res, trainee_id, year_id, r->who.person_id,
			     r->who.person_id);

	*enrolment_id = e == ERR_OK && res.n_rows > 0 ? db_int(&res, 0, "id") : 0;
	return e;
}

enum err mdb_place_of(struct req *r, int64_t enrolment_id, int64_t place_id, bool *yes)
{
	return db_exists(r, &Q_PLACE_OF, yes, place_id, enrolment_id);
}

enum err mdb_only_place(struct req *r, int64_t enrolment_id, int64_t *place_id)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_PLACES, &res, enrolment_id);

	*place_id = e == ERR_OK && res.n_rows == 1 ? db_int(&res, 0, "id") : 0;
	return e;
}

enum err mdb_meeting_of_year(struct req *r, int64_t meeting_id, int64_t year_id, bool *yes)
{
	return db_exists(r, &Q_MEETING_OF_YEAR, yes, meeting_id, year_id);
}

enum err mdb_personalisation_insert(struct req *r, int64_t id, int64_t enrolment_id,
				    int64_t meeting_id, const char *decided_on, int64_t place_id)
{
	return db_run(r, &Q_FICHE_INSERT, NULL, id, enrolment_id, meeting_id, decided_on,
		      place_id, r->who.person_id);
}

enum err mdb_personalisation_update(struct req *r, int64_t id, int64_t version,
				    const char *decided_on, int64_t meeting_id, int64_t place_id)
{
	return db_update_versioned(r, &Q_FICHE_UPDATE, &Q_FICHE_EXISTS, id, decided_on,
				   meeting_id, place_id, id, version);
}

enum err mdb_items_replace(struct req *r, int64_t id, json_t *items)
{
	size_t i;
	json_t *it;
	enum err e = db_run(r, &Q_ITEMS_DELETE, NULL, id);

	json_array_foreach(items, i, it)
	{
		json_t *s = json_object_get(it, "situation"), *p = json_object_get(it, "support");
		json_t *h = json_object_get(it, "hours");

		if (e != ERR_OK)
			break;
		e = db_run(r, &Q_ITEM_INSERT, NULL, random_id(), id,
			   (int64_t)json_integer_value(json_object_get(it, "difficulty")),
			   json_is_string(s) ? json_string_value(s) : NULL,
			   json_is_string(p) ? json_string_value(p) : NULL,
			   json_is_integer(h) ? (int64_t)json_integer_value(h) : 0);
	}
	return e;
}

enum err mdb_personalisation_json(struct req *r, int64_t id, json_t **out)
{
	static const char *const labels[] = {
	    "", "Sécurité des élèves", "Posture du fonctionnaire défaillante",
	    "Gestion de la classe",
	    "Conduite d’évitement ne permettant pas les échanges professionnels",
	    "Préparation et mise en œuvre"};
	struct db_res p, it;
	json_t *items;
	int64_t total = 0;
	enum err e = db_one(r, &Q_FICHE_ONE, &p, id);

	if (e == ERR_OK)
		e = db_rows(r, &Q_ITEMS, &it, id);
	if (e != ERR_OK)
		return e;
	items = json_array();
	for (int d = 1; d <= 5; d++) {
		size_t row = it.n_rows;

		for (size_t i = 0; i < it.n_rows; i++)
			if (db_int(&it, i, "difficulty") == d)
				row = i;
		json_array_append_new(
		    items,
		    json_pack("{s:i, s:s, s:s?, s:s?, s:I}", "difficulty", d, "label", labels[d],
			      "situation", row < it.n_rows ? db_str(&it, row, "situation") : NULL,
			      "support", row < it.n_rows ? db_str(&it, row, "support") : NULL,
			      "hours",
			      (json_int_t)(row < it.n_rows ? db_int(&it, row, "hours") : 0)));
		total += row < it.n_rows ? db_int(&it, row, "hours") : 0;
	}
	*out = json_pack(
	    "{s:I, s:I, s:I, s:s?, s:{s:I, s:s?}, s:I, s:o, s:o, s:s?, s:s?, s:o, s:s?, s:s?, "
	    "s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:s?, s:o, s:I, s:I}",
	    "id", (json_int_t)id, "enrolment_id", (json_int_t)db_int(&p, 0, "enrolment_id"),
	    "year_id", (json_int_t)db_int(&p, 0, "year_id"), "year_label",
	    db_str(&p, 0, "year_label"), "trainee", "id", (json_int_t)db_int(&p, 0, "trainee_id"),
	    "display_name", db_str(&p, 0, "trainee_name"), "degre",
	    (json_int_t)db_int(&p, 0, "degre"), "meeting_id",
	    db_isnull(&p, 0, "meeting_id") ? json_null()
					   : json_integer(db_int(&p, 0, "meeting_id")),
	    "meeting_number",
	    db_isnull(&p, 0, "meeting_number") ? json_null()
					       : json_integer(db_int(&p, 0, "meeting_number")),
	    "scope_name", db_str(&p, 0, "scope_name"), "decided_on", db_str(&p, 0, "decided_on"),
	    "place",
	    db_isnull(&p, 0, "place_id")
		? json_null()
		: json_pack("{s:I, s:s?, s:s?}", "id", (json_int_t)db_int(&p, 0, "place_id"),
			    "school_name", db_str(&p, 0, "school_name"), "class_label",
			    db_str(&p, 0, "class_label")),
	    "tuteur_terrain", db_str(&p, 0, "tuteur_terrain"), "tuteur_inspe",
	    db_str(&p, 0, "tuteur_inspe"), "status", db_str(&p, 0, "status"), "created_at",
	    db_str(&p, 0, "created_at"), "sent_at", db_str(&p, 0, "sent_at"), "sent_by",
	    db_str(&p, 0, "sent_by"), "decided_at", db_str(&p, 0, "decided_at"), "decided_by",
	    db_str(&p, 0, "decided_by"), "agreed_hours",
	    db_isnull(&p, 0, "agreed_hours") ? json_null()
					     : json_integer(db_int(&p, 0, "agreed_hours")),
	    "decision_note", db_str(&p, 0, "decision_note"), "items", items, "total_hours",
	    (json_int_t)total, "version", (json_int_t)db_int(&p, 0, "version"));
	return ERR_OK;
}

enum err mdb_personalisations_list(struct req *r, int64_t year_id, const char *status,
				   int64_t limit, int64_t offset, json_t **out)
{
	struct db_res res;
	int64_t me = r->who.person_id;
	enum err e = db_rows(r, &Q_FICHES_PAGE, &res, year_id, year_id, status, status,
			     (int64_t)(cellule(r) != 0), me, me, me, limit, offset);
	json_t *items;

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:I, s:I, s:s?, s:s?, s:s?, s:s?, s:I, s:o}", "id",
			      (json_int_t)db_int(&res, i, "id"), "enrolment_id",
			      (json_int_t)db_int(&res, i, "enrolment_id"), "year_id",
			      (json_int_t)db_int(&res, i, "year_id"), "trainee_name",
			      db_str(&res, i, "trainee_name"), "scope_name",
			      db_str(&res, i, "scope_name"), "decided_on",
			      db_str(&res, i, "decided_on"), "status", db_str(&res, i, "status"),
			      "hours", (json_int_t)db_int(&res, i, "hours"), "agreed_hours",
			      db_isnull(&res, i, "agreed_hours")
				  ? json_null()
				  : json_integer(db_int(&res, i, "agreed_hours"))));
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)db_total(&res));
	return ERR_OK;
}

enum err mdb_personalisation_send(struct req *r, int64_t id, int64_t version)
{
	return db_update_versioned(r, &Q_FICHE_SEND, &Q_FICHE_EXISTS, id, r->who.person_id, id,
				   version);
}

enum err mdb_personalisation_hours(struct req *r, int64_t id, int64_t *hours)
{
	struct db_res res;
	enum err e = db_one(r, &Q_FICHE_HOURS, &res, id);

	*hours = e == ERR_OK ? db_int(&res, 0, "hours") : 0;
	return e;
}

enum err mdb_personalisation_decide(struct req *r, int64_t id, int64_t version, bool agreed,
				    int64_t hours, const char *note)
{
	return db_update_versioned(r, &Q_FICHE_DECIDE, &Q_FICHE_EXISTS, id,
				   agreed ? "agreed" : "refused", agreed ? hours : 0, note,
				   r->who.person_id, id, version);
}

enum err mdb_cellule_ids(struct req *r, int64_t **ids, size_t *n)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_CELLULE, &res);

	return e == ERR_OK ? id_column(r, &res, "person_id", ids, n) : e;
}

enum err mdb_fiche_audience(struct req *r, int64_t enrolment_id, int64_t **ids, size_t *n,
			    const char **trainee_name)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_FICHE_AUDIENCE, &res, enrolment_id, enrolment_id, enrolment_id);

	if (e != ERR_OK)
		return e;
	*ids = arena_alloc(r->arena, (res.n_rows + 1) * sizeof(**ids));
	if (*ids == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	*n = 0;
	*trainee_name = "";
	for (size_t i = 0; i < res.n_rows; i++) {
		if (db_int(&res, i, "person_id") == 0)
			*trainee_name = db_str(&res, i, "display_name");
		else
			(*ids)[(*n)++] = db_int(&res, i, "person_id");
	}
	return ERR_OK;
}

/* ---- the support budget ---- */

#define CONSUMED                                                                                   \
	"(SELECT COALESCE(SUM(p.agreed_hours), 0) FROM personalisation p JOIN enrolment e "        \
	"  ON e.academy_id = p.academy_id AND e.id = p.enrolment_id "                              \
	"  WHERE p.academy_id = y.academy_id AND e.year_id = y.id AND p.status = 'agreed') "
static const struct db_sql Q_BUDGET_LOCK = {
    "SELECT b.hours, " CONSUMED "AS consumed FROM support_budget b JOIN school_year y "
    "ON y.academy_id = b.academy_id AND y.id = b.year_id "
    "WHERE b.academy_id = ? AND b.year_id = ? FOR UPDATE",
    "i", DB_COLS("hours", "consumed")};
static const struct db_sql Q_BUDGET_ONE = {
    "SELECT y.id AS year_id, y.label, b.hours, " CONSUMED "AS consumed, b.version, "
    ISO_UTC("b.updated_at") " AS updated_at, u.display_name AS updated_by "
    "FROM school_year y LEFT JOIN support_budget b ON b.academy_id = y.academy_id "
    "AND b.year_id = y.id LEFT JOIN person u ON u.academy_id = b.academy_id "
    "AND u.id = b.updated_by WHERE y.academy_id = ? AND y.id = ?",
    "i",
    DB_COLS("year_id", "label", "hours", "consumed", "version", "updated_at", "updated_by")};
static const struct db_sql Q_BUDGET_INSERT = {
    "INSERT INTO support_budget (academy_id, id, year_id, hours, updated_by, updated_at) "
    "VALUES (?, ?, ?, ?, ?, NOW(3))",
    "iiii"};
static const struct db_sql Q_BUDGET_EXISTS = {
    "SELECT version FROM support_budget WHERE academy_id = ? AND year_id = ?", "i",
    DB_COLS("version")};
static const struct db_sql Q_BUDGET_UPDATE = {
    "UPDATE support_budget SET hours = ?, updated_by = ?, updated_at = NOW(3), "
    "version = version + 1 WHERE academy_id = ? AND year_id = ? AND version = ?",
    "iiAii"};

enum err mdb_budget_lock(struct req *r, int64_t year_id, bool *found, int64_t *hours,
			 int64_t *consumed)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_BUDGET_LOCK, &res, year_id);

	*found = e == ERR_OK && res.n_rows > 0;
	*hours = *found ? db_int(&res, 0, "hours") : 0;
	*consumed = *found ? db_int(&res, 0, "consumed") : 0;
	return e;
}

enum err mdb_budget_json(struct req *r, int64_t year_id, json_t **out)
{
	struct db_res res;
	enum err e = db_one(r, &Q_BUDGET_ONE, &res, year_id);
	bool set;
	int64_t hours, consumed;

	if (e != ERR_OK)
		return e;
	set = !db_isnull(&res, 0, "hours");
	hours = db_int(&res, 0, "hours");
	consumed = db_int(&res, 0, "consumed");
	*out = json_pack("{s:I, s:s?, s:o, s:I, s:o, s:I, s:s?, s:s?}", "year_id",
			 (json_int_t)year_id, "year_label", db_str(&res, 0, "label"), "hours",
			 set ? json_integer(hours) : json_null(), "consumed", (json_int_t)consumed,
			 "remaining", set ? json_integer(hours - consumed) : json_null(), "version",
			 (json_int_t)db_int(&res, 0, "version"), "updated_at",
			 db_str(&res, 0, "updated_at"), "updated_by", db_str(&res, 0, "updated_by"));
	return ERR_OK;
}

enum err mdb_budget_insert(struct req *r, int64_t year_id, int64_t hours)
{
	return db_run(r, &Q_BUDGET_INSERT, NULL, random_id(), year_id, hours, r->who.person_id);
}

enum err mdb_budget_update(struct req *r, int64_t year_id, int64_t version, int64_t hours)
{
	return db_update_versioned(r, &Q_BUDGET_UPDATE, &Q_BUDGET_EXISTS, year_id, hours,
				   r->who.person_id, year_id, version);
}

/* ---- workshops ---- */

static const struct db_sql Q_WORKSHOPS_PAGE = {
    "SELECT w.id, w.year_id, w.title, "
    "(SELECT COUNT(*) FROM workshop_session s WHERE s.academy_id = w.academy_id "
    "  AND s.workshop_id = w.id) AS sessions, "
    "(SELECT COUNT(*) FROM workshop_trainee t WHERE t.academy_id = w.academy_id "
    "  AND t.workshop_id = w.id) AS trainees, "
    "(SELECT DATE_FORMAT(MIN(s.held_at), '%Y-%m-%dT%H:%i') FROM workshop_session s "
    "  WHERE s.academy_id = w.academy_id AND s.workshop_id = w.id) AS first_session, "
    "COUNT(*) OVER () AS total FROM workshop w "
    "WHERE w.academy_id = ? AND (? IS NULL OR w.year_id = ?) "
    "ORDER BY w.created_at DESC, w.id LIMIT ? OFFSET ?",
    "zzii", DB_COLS("id", "year_id", "title", "sessions", "trainees", "first_session", "total")};
static const struct db_sql Q_WORKSHOP_INSERT = {
    "INSERT INTO workshop (academy_id, id, year_id, title, created_by, created_at) "
    "VALUES (?, ?, ?, ?, ?, NOW(3))",
    "iisi"};
static const struct db_sql Q_WORKSHOP_ONE = {
    "SELECT w.id, w.year_id, y.label AS year_label, w.title FROM workshop w "
    "JOIN school_year y ON y.academy_id = w.academy_id AND y.id = w.year_id "
    "WHERE w.academy_id = ? AND w.id = ?",
    "i", DB_COLS("id", "year_id", "year_label", "title")};
static const struct db_sql Q_WORKSHOP_SESSIONS = {
    "SELECT id, DATE_FORMAT(held_at, '%Y-%m-%dT%H:%i') AS held_at, place FROM workshop_session "
    "WHERE academy_id = ? AND workshop_id = ? ORDER BY held_at, id",
    "i", DB_COLS("id", "held_at", "place")};
static const struct db_sql Q_WORKSHOP_TRAINEES = {
    "SELECT t.enrolment_id, p.display_name FROM workshop_trainee t "
    "JOIN enrolment e ON e.academy_id = t.academy_id AND e.id = t.enrolment_id "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "WHERE t.academy_id = ? AND t.workshop_id = ? ORDER BY p.display_name, t.enrolment_id",
    "i", DB_COLS("enrolment_id", "display_name")};
/* The latest attendance row of each (session, trainee) of the workshop. */
static const struct db_sql Q_WORKSHOP_ATTENDANCE = {
    "SELECT a.session_id, a.enrolment_id, a.present FROM workshop_attendance a "
    "JOIN workshop_session s ON s.academy_id = a.academy_id AND s.id = a.session_id "
    "WHERE a.academy_id = ? AND s.workshop_id = ? AND a.id = (SELECT a2.id FROM "
    "workshop_attendance a2 WHERE a2.academy_id = a.academy_id AND a2.session_id = "
    "a.session_id AND a2.enrolment_id = a.enrolment_id ORDER BY a2.recorded_at DESC, "
    "a2.id DESC LIMIT 1)",
    "i", DB_COLS("session_id", "enrolment_id", "present")};
static const struct db_sql Q_SESSION_INSERT = {
    "INSERT INTO workshop_session (academy_id, id, workshop_id, held_at, place) "
    "VALUES (?, ?, ?, ?, ?)",
    "iiss"};
static const struct db_sql Q_ELIGIBILITY = {
    "SELECT e.year_id, (EXISTS (SELECT 1 FROM personalisation p WHERE p.academy_id = "
    "e.academy_id AND p.enrolment_id = e.id AND p.status = 'agreed') "
    "OR EXISTS (SELECT 1 FROM acc_case ac WHERE ac.academy_id = e.academy_id "
    "AND ac.enrolment_id = e.id AND ac.closed_at IS NULL)) AS in_difficulty "
    "FROM enrolment e WHERE e.academy_id = ? AND e.id = ?",
    "i", DB_COLS("year_id", "in_difficulty")};
static const struct db_sql Q_WORKSHOP_TRAINEE_INSERT = {
    "INSERT INTO workshop_trainee (academy_id, id, workshop_id, enrolment_id, added_by, "
    "added_at) VALUES (?, ?, ?, ?, ?, NOW(3))",
    "iiii"};
static const struct db_sql Q_SESSION_OF = {
    "SELECT id FROM workshop_session WHERE academy_id = ? AND id = ? AND workshop_id = ?", "ii",
    DB_COLS("id")};
static const struct db_sql Q_WORKSHOP_HAS = {
    "SELECT id FROM workshop_trainee WHERE academy_id = ? AND workshop_id = ? "
    "AND enrolment_id = ?",
    "ii", DB_COLS("id")};
static const struct db_sql Q_ATTENDANCE_INSERT = {
    "INSERT INTO workshop_attendance (academy_id, id, session_id, enrolment_id, present, "
    "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3))",
    "iiiii"};

enum err mdb_workshops_list(struct req *r, int64_t year_id, int64_t limit, int64_t offset,
			    json_t **out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_WORKSHOPS_PAGE, &res, year_id, year_id, limit, offset);
	json_t *items;

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(
		    items, json_pack("{s:I, s:I, s:s?, s:I, s:I, s:s?}", "id",
				     (json_int_t)db_int(&res, i, "id"), "year_id",
				     (json_int_t)db_int(&res, i, "year_id"), "title",
				     db_str(&res, i, "title"), "sessions",
				     (json_int_t)db_int(&res, i, "sessions"), "trainees",
				     (json_int_t)db_int(&res, i, "trainees"), "first_session",
				     db_str(&res, i, "first_session")));
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)db_total(&res));
	return ERR_OK;
}

enum err mdb_workshop_insert(struct req *r, int64_t id, int64_t year_id, const char *title)
{
	return db_run(r, &Q_WORKSHOP_INSERT, NULL, id, year_id, title, r->who.person_id);
}

enum err mdb_workshop_json(struct req *r, int64_t id, json_t **out)
{
	struct db_res w, s, t, a;
	json_t *sessions, *trainees;
	enum err e = db_one(r, &Q_WORKSHOP_ONE, &w, id);

	if (e == ERR_OK)
		e = db_rows(r, &Q_WORKSHOP_SESSIONS, &s, id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_WORKSHOP_TRAINEES, &t, id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_WORKSHOP_ATTENDANCE, &a, id);
	if (e != ERR_OK)
		return e;
	sessions = json_array();
	for (size_t i = 0; i < s.n_rows; i++) {
		json_t *present = json_array(), *absent = json_array();

		for (size_t j = 0; j < a.n_rows; j++)
			if (db_int(&a, j, "session_id") == db_int(&s, i, "id"))
				json_array_append_new(db_bool(&a, j, "present") ? present : absent,
						      json_integer(db_int(&a, j, "enrolment_id")));
		json_array_append_new(
		    sessions, json_pack("{s:I, s:s?, s:s?, s:o, s:o}", "id",
					(json_int_t)db_int(&s, i, "id"), "held_at",
					db_str(&s, i, "held_at"), "place", db_str(&s, i, "place"),
					"present", present, "absent", absent));
	}
	trainees = json_array();
	for (size_t i = 0; i < t.n_rows; i++)
		json_array_append_new(trainees,
				      json_pack("{s:I, s:s?}", "enrolment_id",
						(json_int_t)db_int(&t, i, "enrolment_id"),
						"display_name", db_str(&t, i, "display_name")));
	*out = json_pack("{s:I, s:I, s:s?, s:s?, s:o, s:o}", "id", (json_int_t)id, "year_id",
			 (json_int_t)db_int(&w, 0, "year_id"), "year_label",
			 db_str(&w, 0, "year_label"), "title", db_str(&w, 0, "title"), "sessions",
			 sessions, "trainees", trainees);
	return ERR_OK;
}

enum err mdb_session_insert(struct req *r, int64_t id, int64_t workshop_id, const char *held_at,
			    const char *place)
{
	return db_run(r, &Q_SESSION_INSERT, NULL, id, workshop_id, held_at, place);
}

enum err mdb_eligibility(struct req *r, int64_t enrolment_id, int64_t *year_id,
			 bool *in_difficulty)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_ELIGIBILITY, &res, enrolment_id);

	*year_id = e == ERR_OK && res.n_rows > 0 ? db_int(&res, 0, "year_id") : 0;
	*in_difficulty = *year_id != 0 && db_bool(&res, 0, "in_difficulty");
	return e;
}

enum err mdb_workshop_trainee_insert(struct req *r, int64_t id, int64_t workshop_id,
				     int64_t enrolment_id)
{
	return db_run(r, &Q_WORKSHOP_TRAINEE_INSERT, NULL, id, workshop_id, enrolment_id,
		      r->who.person_id);
}

enum err mdb_session_of(struct req *r, int64_t session_id, int64_t workshop_id, bool *yes)
{
	return db_exists(r, &Q_SESSION_OF, yes, session_id, workshop_id);
}

enum err mdb_workshop_has_trainee(struct req *r, int64_t workshop_id, int64_t enrolment_id,
				  bool *yes)
{
	return db_exists(r, &Q_WORKSHOP_HAS, yes, workshop_id, enrolment_id);
}

enum err mdb_attendance_insert(struct req *r, int64_t id, int64_t session_id,
			       int64_t enrolment_id, bool present)
{
	return db_run(r, &Q_ATTENDANCE_INSERT, NULL, id, session_id, enrolment_id,
		      (int64_t)present, r->who.person_id);
}

const struct db_sql *const meetings_statements[] = {
    &Q_MEETING_REL,
    &Q_MEETING_RELS,
    &Q_FICHE_REL,
    &Q_FICHE_RELS,
    &Q_WORKSHOP_REL,
    &Q_CURRENT_YEAR,
    &Q_YEAR_EXISTS,
    &Q_STRUCTURE_KIND,
    &Q_SCOPE_PILOT,
    &Q_CALENDAR_DATE,
    &Q_MEETING_INSERT,
    &Q_PARTICIPANT_INSERT,
    &Q_PARTICIPANTS_DEFAULT,
    &Q_PARTICIPANTS_CLEAR,
    &Q_MEETING_EXISTS,
    &Q_MEETING_UPDATE,
    &Q_MEETING_STATUS,
    &Q_MEETINGS_PAGE,
    &Q_MY_SCOPES,
    &Q_MEETING_ONE,
    &Q_MEETING_PEOPLE,
    &Q_MEETING_PILOTS,
    &Q_REVIEW_CANDIDATES,
    &Q_REVIEW_INSERT,
    &Q_REVIEWS_FROZEN,
    &Q_ON_LIST,
    &Q_DECISION_INSERT,
    &Q_PARTICIPANT_IDS,
    &Q_TUTOR_OF,
    &Q_REVIEW_REQUEST_INSERT,
    &Q_FICHE_ENROLMENT,
    &Q_PLACE_OF,
    &Q_PLACES,
    &Q_MEETING_OF_YEAR,
    &Q_FICHE_INSERT,
    &Q_FICHE_EXISTS,
    &Q_FICHE_UPDATE,
    &Q_ITEMS_DELETE,
    &Q_ITEM_INSERT,
    &Q_FICHE_ONE,
    &Q_ITEMS,
    &Q_FICHE_HOURS,
    &Q_FICHES_PAGE,
    &Q_FICHE_SEND,
    &Q_FICHE_DECIDE,
    &Q_CELLULE,
    &Q_FICHE_AUDIENCE,
    &Q_BUDGET_LOCK,
    &Q_BUDGET_ONE,
    &Q_BUDGET_INSERT,
    &Q_BUDGET_EXISTS,
    &Q_BUDGET_UPDATE,
    &Q_WORKSHOPS_PAGE,
    &Q_WORKSHOP_INSERT,
    &Q_WORKSHOP_ONE,
    &Q_WORKSHOP_SESSIONS,
    &Q_WORKSHOP_TRAINEES,
    &Q_WORKSHOP_ATTENDANCE,
    &Q_SESSION_INSERT,
    &Q_ELIGIBILITY,
    &Q_WORKSHOP_TRAINEE_INSERT,
    &Q_SESSION_OF,
    &Q_WORKSHOP_HAS,
    &Q_ATTENDANCE_INSERT,
    NULL,
};
