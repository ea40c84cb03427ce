/*
 * The pilotage module's statements: each reads one scope of one year of
 * the request's académie. The scope is bound once, in a one-row derived
 * table (p: académie, kind, id, year, list) that every enrolment joins, so a
 * dashboard is four statements whatever the number of trainees.
 */
#include <string.h>

#include "db.h"
#include "pilotage.h"
#include "req.h"
#include "util.h"

/* The enrolments of the scope p.k / p.s for the year p.y. A circonscription
 * and a département are reached through the schools of the places. */
#define SCOPE_JOIN                                                                                 \
	"JOIN enrolment e ON e.academy_id = p.ac AND e.year_id = p.y AND (p.k = 6 "               \
	"OR (p.k = 1 AND e.pole_id = p.s) OR (p.k = 3 AND e.inspe_site_id = p.s) "                 \
	"OR (p.k = 4 AND e.discipline_id = p.s) OR (p.k IN (2, 5) AND EXISTS (SELECT 1 "           \
	"FROM enrolment_place ep JOIN structure sc ON sc.academy_id = ep.academy_id "              \
	"AND sc.id = ep.school_id JOIN structure ci ON ci.academy_id = sc.academy_id "             \
	"AND ci.id = sc.parent_id WHERE ep.academy_id = e.academy_id AND ep.enrolment_id = e.id " \
	"AND ((p.k = 2 AND ci.id = p.s) OR (p.k = 5 AND ci.parent_id = p.s))))) "

#define HELD_VISIT(extra)                                                                          \
	"FROM followup f WHERE f.academy_id = e.academy_id AND f.enrolment_id = e.id "             \
	"AND f.kind = 'visit' AND f.state IN ('held', 'debriefed')" extra

/* One row per enrolment of the scope, with its status (never content). */
#define ROWS                                                                                       \
	"SELECT e.id AS enrolment_id, e.trainee_id, e.parcours, e.degre, "                         \
	"e.renouvellement, p.l AS lk, "                                                            \
	"(SELECT COUNT(*) " HELD_VISIT("") ") AS visits_done, "                                    \
	"(SELECT COUNT(*) " HELD_VISIT(" AND f.with_terrain AND f.with_inspe") ") AS joint_visits, " \
	"(SELECT DATE(MAX(f.scheduled_at)) " HELD_VISIT("") ") AS last_visit, "                    \
	"(SELECT MIN(m.held_on) FROM pole_meeting m WHERE m.academy_id = e.academy_id "            \
	"AND m.year_id = e.year_id AND m.number = 1 AND m.scope_kind = 'pole' "                     \
	"AND m.scope_id = e.pole_id) AS meeting1_on, "                                             \
	"(SELECT MAX(c.level) FROM acc_case c WHERE c.academy_id = e.academy_id "                  \
	"AND c.enrolment_id = e.id AND c.closed_at IS NULL) AS acc_level, "                        \
	"(SELECT COUNT(*) FROM personalisation pz WHERE pz.academy_id = e.academy_id "             \
	"AND pz.enrolment_id = e.id AND pz.status IN ('draft', 'sent')) AS open_personalisations, " \
	"(SELECT COUNT(*) FROM bilan b WHERE b.academy_id = e.academy_id AND b.enrolment_id = e.id " \
	"AND b.frozen_at IS NULL AND b.due_on < CURDATE()) AS late_bilans, " \
	"COALESCE((SELECT rs.disagreement_at IS NOT NULL FROM result rs WHERE rs.academy_id = " \
	"e.academy_id AND rs.enrolment_id = e.id), 0) AS disagreement " \
	"FROM (SELECT ? AS ac, ? AS k, ? AS s, ? AS y, ? AS l) p " SCOPE_JOIN

#define NO_VISIT_M1                                                                                \
	"(x.last_visit IS NULL OR NOT EXISTS (SELECT 1 FROM followup f WHERE f.academy_id = ? "    \
	"AND f.enrolment_id = x.enrolment_id AND f.kind = 'visit' "                                \
	"AND f.state IN ('held', 'debriefed') AND (x.meeting1_on IS NULL "                         \
	"OR DATE(f.scheduled_at) < x.meeting1_on)))"

static const struct db_sql Q_YEAR_GIVEN = {
    "SELECT id FROM school_year WHERE academy_id = ? AND id = ?", "i", DB_COLS("id")};
static const struct db_sql Q_YEAR_CURRENT = {
    "SELECT id FROM school_year WHERE academy_id = ? ORDER BY current DESC, starts_on DESC "
    "LIMIT 1",
    "", DB_COLS("id")};

/* The scopes the caller's assignments name (a bounded set: one person's
 * assignments). An IEN of a circonscription reads its pôles too. */
#define HOLD(roles, sk)                                                                            \
	"FROM role_assignment ra JOIN structure s ON s.academy_id = ra.academy_id "                 \
	"AND s.id = ra.scope_id WHERE ra.academy_id = ? AND ra.person_id = ? "                     \
	"AND ra.role IN (" roles ") AND ra.scope_kind = '" sk "' "
static const struct db_sql Q_SCOPES = {
    "SELECT DISTINCT u.kind, u.id, u.name FROM ("
    "SELECT 1 AS kind, s.id, s.name " HOLD("'pilote_pole', 'referent_inspe', 'dea', 'ien'",
					    "pole") "UNION "
    "SELECT 1, s.id, s.name FROM role_assignment ra JOIN pole_circonscription pc "
    "ON pc.academy_id = ra.academy_id AND pc.circonscription_id = ra.scope_id "
    "JOIN structure s ON s.academy_id = pc.academy_id AND s.id = pc.pole_id "
    "WHERE ra.academy_id = ? AND ra.person_id = ? AND ra.role = 'ien' "
    "AND ra.scope_kind = 'circonscription' UNION "
    "SELECT 2, s.id, s.name " HOLD("'ien'", "circonscription") "UNION "
    "SELECT 3, s.id, s.name " HOLD("'responsable_site'", "inspe_site") "UNION "
    "SELECT 4, s.id, s.name " HOLD("'ia_ipr', 'responsable_parcours'", "discipline") "UNION "
    "SELECT 5, s.id, s.name " HOLD("'charge_mission_formation'", "departement") "UNION "
    "SELECT 6, 0, a.name FROM role_assignment ra JOIN academy a ON a.id = ra.academy_id "
    "WHERE ra.academy_id = ? AND ra.person_id = ? "
    "AND ra.role IN ('direction_inspe', 'bureau_stages')) u ORDER BY u.kind, u.name LIMIT 500",
    "AiAiAiAiAiAiAi", DB_COLS("kind", "id", "name")};

static const struct db_sql Q_FIGURES = {
    "SELECT COUNT(*) AS trainees, COALESCE(SUM(x.visits_done), 0) AS visits_done, "
    "COALESCE(SUM(x.joint_visits = 0), 0) AS no_joint_visit, "
    "COALESCE(SUM(" NO_VISIT_M1 "), 0) AS no_visit_before_m1, "
    "COALESCE(SUM(x.renouvellement), 0) AS renouvellement, "
    "COALESCE(SUM(x.acc_level IS NOT NULL), 0) AS accompaniment, "
    "COALESCE(SUM(x.open_personalisations > 0), 0) AS personalisations, "
    "COALESCE(SUM(x.visits_done < 4), 0) AS visits_missing, "
    "COALESCE(SUM(x.late_bilans > 0), 0) AS late_bilans, "
    "COALESCE(SUM(x.disagreement), 0) AS disagreements FROM (" ROWS ") x",
    "AAiiii",
    DB_COLS("trainees", "visits_done", "no_joint_visit", "no_visit_before_m1", "renouvellement",
	    "accompaniment", "personalisations", "visits_missing", "late_bilans",
	    "disagreements")};

static const struct db_sql Q_BY_PARCOURS = {
    "SELECT e.parcours, e.degre, COUNT(*) AS trainees "
    "FROM (SELECT ? AS ac, ? AS k, ? AS s, ? AS y) p " SCOPE_JOIN
    "GROUP BY e.parcours, e.degre ORDER BY e.parcours, e.degre",
    "Aiii", DB_COLS("parcours", "degre", "trainees")};

static const struct db_sql Q_LEVELS = {
    "SELECT c.level, COUNT(*) AS cases FROM (SELECT ? AS ac, ? AS k, ? AS s, ? AS y) p "
    SCOPE_JOIN "JOIN acc_case c ON c.academy_id = e.academy_id AND c.enrolment_id = e.id "
    "AND c.closed_at IS NULL GROUP BY c.level ORDER BY c.level",
    "Aiii", DB_COLS("level", "cases")};

/* The next pôle meeting not yet held and the size of its review list (the
 * list the meetings module stored when it was made ready). */
static const struct db_sql Q_NEXT_MEETING = {
    "SELECT m.id, m.held_on, (SELECT COUNT(*) FROM pole_meeting_review rv "
    "WHERE rv.academy_id = m.academy_id AND rv.meeting_id = m.id) AS count "
    "FROM pole_meeting m WHERE m.academy_id = ? AND m.year_id = ? AND m.scope_kind = 'pole' "
    "AND m.scope_id = ? AND m.status <> 'held' ORDER BY m.held_on, m.number LIMIT 1",
    "ii", DB_COLS("id", "held_on", "count")};

/* An INSPÉ site's SOPA reports per period of the year (docs/sopa.md: due
 * a week after the period; received by then, late after, missing when
 * none was sent and the due date passed). */
static const struct db_sql Q_SOPA = {
    "SELECT q.number AS period, COALESCE(SUM(q.first_sent_on <= q.due_on), 0) AS received, "
    "COALESCE(SUM(q.first_sent_on > q.due_on), 0) AS late, "
    "COALESCE(SUM(q.placement_id IS NOT NULL AND q.first_sent_on IS NULL "
    "AND UTC_DATE() > q.due_on), 0) AS missing FROM (SELECT pe.number, p.id AS placement_id, "
    "DATE_ADD(pe.ends_on, INTERVAL 7 DAY) AS due_on, (SELECT DATE(MIN(y.sent_at)) "
    "FROM sopa_report y WHERE y.academy_id = p.academy_id AND y.placement_id = p.id "
    "AND y.state = 'sent') AS first_sent_on FROM sopa_period pe LEFT JOIN sopa_placement p "
    "ON p.academy_id = pe.academy_id AND p.period_id = pe.id WHERE pe.academy_id = ? "
    "AND pe.year_id = ? AND pe.site_id = ?) q GROUP BY q.number ORDER BY q.number",
    "ii", DB_COLS("period", "received", "late", "missing")};

static const struct db_sql Q_LIST = {
    "SELECT x.enrolment_id, x.trainee_id, t.display_name, x.parcours, x.degre, "
    "(SELECT sc.name FROM enrolment_place ep JOIN structure sc ON sc.academy_id = "
    "ep.academy_id AND sc.id = ep.school_id WHERE ep.academy_id = t.academy_id "
    "AND ep.enrolment_id = x.enrolment_id ORDER BY ep.id LIMIT 1) AS school, "
    "x.visits_done, x.joint_visits, x.last_visit, x.meeting1_on, x.renouvellement, "
    "x.acc_level, x.open_personalisations, x.late_bilans, x.disagreement, "
    "COUNT(*) OVER () AS total FROM (" ROWS ") x "
    "JOIN person t ON t.academy_id = ? AND t.id = x.trainee_id WHERE x.lk = 1 "
    "OR (x.lk = 2 AND x.visits_done < 4) OR (x.lk = 3 AND x.joint_visits = 0) "
    "OR (x.lk = 4 AND " NO_VISIT_M1 ") OR (x.lk = 5 AND x.renouvellement) "
    "OR (x.lk = 6 AND x.acc_level IS NOT NULL) OR (x.lk = 7 AND x.open_personalisations > 0) "
    "OR (x.lk = 8 AND x.late_bilans > 0) OR (x.lk = 9 AND x.disagreement) "
    "ORDER BY t.display_name, x.enrolment_id LIMIT ? OFFSET ?",
    "AiiiiAAii",
    DB_COLS("enrolment_id", "trainee_id", "display_name", "parcours", "degre", "school",
	    "visits_done", "joint_visits", "last_visit", "meeting1_on", "renouvellement",
	    "acc_level", "open_personalisations", "late_bilans", "disagreement", "total")};

enum err pdb_year(struct req *r, int64_t asked, int64_t *year)
{
	struct db_res res;
	enum err e = asked > 0 ? db_rows(r, &Q_YEAR_GIVEN, &res, asked)
			       : db_rows(r, &Q_YEAR_CURRENT, &res);

	*year = 0;
	if (e == ERR_OK && res.n_rows > 0)
		*year = db_int(&res, 0, "id");
	return e;
}

enum err pdb_scopes_json(struct req *r, json_t **out)
{
	struct db_res res;
	int64_t me = r->who.person_id;
	enum err e = db_rows(r, &Q_SCOPES, &res, me, me, me, me, me, me, me);

	*out = NULL;
	if (e != ERR_OK)
		return e;
	*out = json_array();
	for (size_t i = 0; i < res.n_rows; i++) {
		int k = (int)db_int(&res, i, "kind");

		if (k < PK_POLE || k > PK_ACADEMY)
			continue;
		json_array_append_new(
		    *out, json_pack("{s:s, s:o, s:s?}", "kind", pilotage_kind_names[k], "id",
				    k == PK_ACADEMY ? json_null()
						    : json_integer(db_int(&res, i, "id")),
				    "name", db_str(&res, i, "name")));
	}
	return ERR_OK;
}

enum err pdb_figures(struct req *r, int kind, int64_t id, int64_t year, int64_t *v)
{
	struct db_res res;
	enum err e = db_one(r, &Q_FIGURES, &res, (int64_t)kind, id, year, (int64_t)0);

	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < PILOTAGE_FIGURES; i++)
		v[i] = db_int(&res, 0, Q_FIGURES.cols[i]);
	return ERR_OK;
}

enum err pdb_by_parcours_json(struct req *r, int kind, int64_t id, int64_t year, json_t **out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_BY_PARCOURS, &res, (int64_t)kind, id, year);

	*out = NULL;
	if (e != ERR_OK)
		return e;
	*out = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(*out, json_pack("{s:s?, s:I, s:I}", "parcours",
						      db_str(&res, i, "parcours"), "degre",
						      (json_int_t)db_int(&res, i, "degre"), "trainees",
						      (json_int_t)db_int(&res, i, "trainees")));
	return ERR_OK;
}

enum err pdb_levels_json(struct req *r, int kind, int64_t id, int64_t year, json_t **out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_LEVELS, &res, (int64_t)kind, id, year);

	*out = NULL;
	if (e != ERR_OK)
		return e;
	*out = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(*out, json_pack("{s:I, s:I}", "level",
						      (json_int_t)db_int(&res, i, "level"), "cases",
						      (json_int_t)db_int(&res, i, "cases")));
	return ERR_OK;
}

enum err pdb_next_meeting_json(struct req *r, int kind, int64_t id, int64_t year, json_t **out)
{
	struct db_res res;
	enum err e;

	*out = json_null();
	if (kind != PK_POLE)
		return ERR_OK;
	e = db_rows(r, &Q_NEXT_MEETING, &res, year, id);
	if (e != ERR_OK || res.n_rows == 0)
		return e;
	*out = json_pack("{s:I, s:s?, s:I}", "meeting_id", (json_int_t)db_int(&res, 0, "id"),
			 "date", db_str(&res, 0, "held_on"), "count",
			 (json_int_t)db_int(&res, 0, "count"));
	return ERR_OK;
}

enum err pdb_sopa_json(struct req *r, int64_t site, int64_t year, json_t **out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_SOPA, &res, year, site);

	*out = NULL;
	if (e != ERR_OK)
		return e;
	*out = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(*out, json_pack("{s:I, s:I, s:I, s:I}", "period",
						      (json_int_t)db_int(&res, i, "period"), "received",
						      (json_int_t)db_int(&res, i, "received"), "late",
						      (json_int_t)db_int(&res, i, "late"), "missing",
						      (json_int_t)db_int(&res, i, "missing")));
	return ERR_OK;
}

static json_t *int_or_null(const struct db_res *res, size_t i, const char *col)
{
	return db_isnull(res, i, col) ? json_null() : json_integer(db_int(res, i, col));
}

enum err pdb_list_json(struct req *r, int kind, int64_t id, int64_t year, int list,
		       int64_t limit, int64_t offset, json_t **items, int64_t *total)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_LIST, &res, (int64_t)kind, id, year, (int64_t)list, limit,
			     offset);

	*items = NULL;
	*total = 0;
	if (e != ERR_OK)
		return e;
	*items = json_array();
	*total = db_total(&res);
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(
		    *items,
		    json_pack("{s:I, s:{s:I, s:s?}, s:s?, s:I, s:s?, s:I, s:I, s:s?, s:s?, s:b, "
			      "s:o, s:I, s:I, s:b}",
			      "enrolment_id", (json_int_t)db_int(&res, i, "enrolment_id"),
			      "trainee", "id", (json_int_t)db_int(&res, i, "trainee_id"),
			      "display_name", db_str(&res, i, "display_name"), "parcours",
			      db_str(&res, i, "parcours"), "degre",
			      (json_int_t)db_int(&res, i, "degre"), "school",
			      db_str(&res, i, "school"), "visits_done",
			      (json_int_t)db_int(&res, i, "visits_done"), "joint_visits",
			      (json_int_t)db_int(&res, i, "joint_visits"), "last_visit",
			      db_str(&res, i, "last_visit"), "meeting1_on",
			      db_str(&res, i, "meeting1_on"), "renouvellement",
			      db_bool(&res, i, "renouvellement"), "acc_level",
			      int_or_null(&res, i, "acc_level"), "open_personalisations",
			      (json_int_t)db_int(&res, i, "open_personalisations"), "late_bilans",
			      (json_int_t)db_int(&res, i, "late_bilans"), "disagreement",
			      db_int(&res, i, "disagreement") != 0));
	return ERR_OK;
}

const struct db_sql *const pilotage_statements[] = {
    &Q_YEAR_GIVEN, &Q_YEAR_CURRENT, &Q_SCOPES,	     &Q_FIGURES,
    &Q_BY_PARCOURS, &Q_LEVELS,	    &Q_NEXT_MEETING, &Q_LIST, &Q_SOPA, NULL};
