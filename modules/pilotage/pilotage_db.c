/*
 * The pilotage module's statements: each reads one scope of one year of
 * the request's académie. The scope is bound once, in a one-row derived
 * table (p: académie, kind, id, year, list) that every enrolment joins, so a
 * dashboard is four statements whatever the number of trainees. The
 * statements that read the scope's enrolments come one per scope kind
 * (Q_<statement>_<kind>), each with the kind's own condition.
 */
#include <string.h>

#include "db.h"
#include "pilotage.h"
#include "req.h"
#include "util.h"

/* The enrolments of the scope p.s of one kind for the year p.y: each kind
 * its own condition (IN_*), so a pôle's statements read the pôle's
 * enrolments, not the académie's. A circonscription and a département are
 * reached through the schools of the places. */
#define SCOPE_JOIN(in) "JOIN enrolment e ON e.academy_id = p.ac AND e.year_id = p.y" in " "
#define IN_POLE	       " AND e.pole_id = p.s"
#define IN_INSPE_SITE  " AND e.inspe_site_id = p.s"
#define IN_DISCIPLINE  " AND e.discipline_id = p.s"
#define IN_PLACES(cond)                                                                            \
	" AND EXISTS (SELECT 1 FROM enrolment_place ep JOIN structure sc ON sc.academy_id = "      \
	"ep.academy_id AND sc.id = ep.school_id JOIN structure ci ON ci.academy_id = "             \
	"sc.academy_id AND ci.id = sc.parent_id WHERE ep.academy_id = e.academy_id "               \
	"AND ep.enrolment_id = e.id AND " cond ")"
#define IN_CIRCONSCRIPTION IN_PLACES("ci.id = p.s")
#define IN_DEPARTEMENT	   IN_PLACES("ci.parent_id = p.s")
#define IN_ACADEMY	   ""

#define HELD_VISIT(extra)                                                                          \
	"FROM followup f WHERE f.academy_id = e.academy_id AND f.enrolment_id = e.id "             \
	"AND f.kind = 'visit' AND f.state IN ('held', 'debriefed')" extra

/* The fiches d'individualisation (contracts, annexes 2 and 3) of the
 * enrolment whose current version waits for a signature: a party it names
 * has not signed it. A fiche de personnalisation carries no signature (the
 * cellule agrees to it or refuses it): it is counted in
 * open_personalisations, not here. */
#define UNSIGNED_FROM(ac)                                                                          \
	"FROM contract ct JOIN contract_version cv ON cv.academy_id = ct.academy_id "              \
	"AND cv.contract_id = ct.id AND cv.superseded_at IS NULL WHERE ct.academy_id = " ac        \
	" AND EXISTS (SELECT 1 FROM contract_party cp WHERE cp.academy_id = cv.academy_id "        \
	"AND cp.version_id = cv.id AND NOT EXISTS (SELECT 1 FROM contract_signature sg "           \
	"WHERE sg.academy_id = cp.academy_id AND sg.version_id = cp.version_id "                   \
	"AND sg.person_id = cp.person_id))"
#define UNSIGNED_FICHES                                                                            \
	"(SELECT COUNT(*) " UNSIGNED_FROM("e.academy_id") " AND ct.enrolment_id = e.id)"

/* The bilans the calendar expects of the enrolment whose date passed and
 * of which no revision exists: each kind its parcours requires
 * (parcours_bilan), the intermediate one due at the year's pôle meeting
 * N°2, the final one at its `bilans_due` (the dates tutorat gives a bilan
 * it opens). A bilan that exists past its due date, not frozen, is late
 * (late_bilans), never missing. */
#define MISSING_BILANS                                                                             \
	"(SELECT COUNT(*) FROM parcours_bilan pb WHERE pb.academy_id = e.academy_id "              \
	"AND pb.parcours = e.parcours AND (SELECT MIN(ye.starts_on) FROM year_event ye "           \
	"WHERE ye.academy_id = e.academy_id AND ye.year_id = e.year_id AND ye.kind = "             \
	"IF(pb.kind = 'final', 'bilans_due', 'pole_meeting_2')) < UTC_DATE() AND NOT EXISTS "      \
	"(SELECT 1 FROM bilan b WHERE b.academy_id = e.academy_id AND b.enrolment_id = e.id "      \
	"AND b.kind = pb.kind))"

/* One row per enrolment of the scope, with its status (never content):
 * ROWS_C computes each enrolment's status with subqueries on its own rows
 * (the faster form for a small scope, a pôle), ROWS_G from tables grouped
 * per enrolment over the académie (the faster form for a large scope: one
 * pass over each table instead of a lookup per enrolment and figure). The
 * two give the same rows. Their parameters: ROWS_C's "Aiiii" (the académie,
 * kind, scope, year and list), ROWS_G's "AiiiiAAAAAAAAAAA" (the same, then
 * the académie of each grouped table). */
#define ROWS_C(in)                                                                                 \
	"SELECT e.id AS enrolment_id, e.trainee_id, e.parcours, e.degre, "                         \
	"e.renouvellement, p.l AS lk, "                                                            \
	"(SELECT COUNT(*) " HELD_VISIT(                                                            \
	    "") ") AS visits_done, "                                                               \
		"(SELECT COUNT(*) " HELD_VISIT(                                                    \
		    " AND f.with_terrain AND f.with_inspe") ") AS joint_visits, "                  \
							    "(SELECT "                             \
							    "DATE(MAX(f.scheduled_at))"            \
							    " " HELD_VISIT(                        \
								"") ") AS last_visit, "            \
								    "(SELECT "                     \
								    "DATE(MIN(f.scheduled_at))"    \
								    " " HELD_VISIT(                \
									"") ") AS first_visit, "   \
									    "(SELECT "             \
									    "MIN(m.held_on) FROM " \
									    "pole_meeting m "      \
									    "WHERE m.academy_id "  \
									    "= e.academy_id "      \
									    "AND m.year_id = "     \
									    "e.year_id AND "       \
									    "m.number = 1 AND "    \
									    "m.scope_kind = "      \
									    "'pole' "              \
									    "AND m.scope_id = "    \
									    "e.pole_id) AS "       \
									    "meeting1_on, "        \
									    "(SELECT "             \
									    "MAX(c.level) FROM "   \
									    "acc_case c WHERE "    \
									    "c.academy_id = "      \
									    "e.academy_id "        \
									    "AND c.enrolment_id "  \
									    "= e.id AND "          \
									    "c.closed_at IS "      \
									    "NULL) AS acc_level, " \
									    "(SELECT COUNT(*) "    \
									    "FROM "                \
									    "personalisation pz "  \
									    "WHERE pz.academy_id " \
									    "= e.academy_id "      \
									    "AND pz.enrolment_id " \
									    "= e.id AND "          \
									    "pz.status IN "        \
									    "('draft', 'sent')) "  \
									    "AS "                  \
									    "open_"                \
									    "personalisations, "   \
									    "(SELECT COUNT(*) "    \
									    "FROM bilan b WHERE "  \
									    "b.academy_id = "      \
									    "e.academy_id AND "    \
									    "b.enrolment_id = "    \
									    "e.id "                \
									    "AND b.frozen_at IS "  \
									    "NULL AND b.due_on < " \
									    "CURDATE()) AS "       \
									    "late_bilans, "        \
									    "COALESCE((SELECT "    \
									    "rs.disagreement_at "  \
									    "IS NOT NULL FROM "    \
									    "result rs WHERE "     \
									    "rs.academy_id = "     \
									    "e.academy_id AND "    \
									    "rs.enrolment_id = "   \
									    "e.id), 0) AS "        \
									    "disagreement,"        \
									    " " UNSIGNED_FICHES    \
									    " AS "                 \
									    "unsigned_fiches,"     \
									    " " MISSING_BILANS     \
									    " AS missing_bilans, " \
									    "e.year_id, p.k AS "   \
									    "sk, p.s AS sid "      \
									    "FROM (SELECT ? AS "   \
									    "ac, ? AS k, ? AS s, " \
									    "? AS y, ? AS l) "     \
									    "p " SCOPE_JOIN(in)

/* The bilans due by now (ROWS_G), per year: the kinds each parcours
 * requires whose date in the year's calendar (as in MISSING_BILANS) passed.
 * An enrolment misses those of its year and parcours (dk) less the kinds it
 * holds a bilan of (hb). */
#define DUE_BILANS                                                                                 \
	"SELECT yd.year_id, pb.parcours, pb.kind FROM parcours_bilan pb JOIN (SELECT ye.year_id, " \
	"ye.kind, MIN(ye.starts_on) AS starts_on FROM year_event ye WHERE ye.academy_id = ? "      \
	"AND ye.kind IN ('bilans_due', 'pole_meeting_2') GROUP BY ye.year_id, ye.kind) yd "        \
	"ON yd.kind = IF(pb.kind = 'final', 'bilans_due', 'pole_meeting_2') "                      \
	"WHERE pb.academy_id = ? AND yd.starts_on < UTC_DATE()"

/* clang-format off */
#define ROWS_G(in)                                                                                 \
	"SELECT e.id AS enrolment_id, e.trainee_id, e.parcours, e.degre, "                         \
	"e.renouvellement, p.l AS lk, COALESCE(v.visits_done, 0) AS visits_done, "                 \
	"COALESCE(v.joint_visits, 0) AS joint_visits, v.last_visit, v.first_visit, "               \
	"m1.held_on AS meeting1_on, ac.acc_level, "                                                \
	"COALESCE(pz.n, 0) AS open_personalisations, COALESCE(lb.n, 0) AS late_bilans, "           \
	"COALESCE(rs.disagreement_at IS NOT NULL, 0) AS disagreement, "                            \
	"COALESCE(uf.n, 0) AS unsigned_fiches, "                                                   \
	"COALESCE(dk.n, 0) - COALESCE(hb.n, 0) AS missing_bilans, "                                \
	"e.year_id, p.k AS sk, p.s AS sid "                                                        \
	"FROM (SELECT ? AS ac, ? AS k, ? AS s, ? AS y, ? AS l) p " SCOPE_JOIN(in)                  \
	"LEFT JOIN (SELECT f.enrolment_id, COUNT(*) AS visits_done, "                              \
	"SUM(f.with_terrain AND f.with_inspe) AS joint_visits, "                                   \
	"DATE(MAX(f.scheduled_at)) AS last_visit, DATE(MIN(f.scheduled_at)) AS first_visit "       \
	"FROM followup f WHERE f.academy_id = ? AND f.kind = 'visit' "                             \
	"AND f.state IN ('held', 'debriefed') GROUP BY f.enrolment_id) v "                         \
	"ON v.enrolment_id = e.id "                                                                \
	"LEFT JOIN (SELECT m.year_id, m.scope_id, MIN(m.held_on) AS held_on "                      \
	"FROM pole_meeting m WHERE m.academy_id = ? AND m.number = 1 "                             \
	"AND m.scope_kind = 'pole' GROUP BY m.year_id, m.scope_id) m1 "                            \
	"ON m1.year_id = e.year_id AND m1.scope_id = e.pole_id "                                   \
	"LEFT JOIN (SELECT c.enrolment_id, MAX(c.level) AS acc_level FROM acc_case c "             \
	"WHERE c.academy_id = ? AND c.closed_at IS NULL GROUP BY c.enrolment_id) ac "              \
	"ON ac.enrolment_id = e.id "                                                               \
	"LEFT JOIN (SELECT pz.enrolment_id, COUNT(*) AS n FROM personalisation pz "                \
	"WHERE pz.academy_id = ? AND pz.status IN ('draft', 'sent') "                              \
	"GROUP BY pz.enrolment_id) pz ON pz.enrolment_id = e.id "                                  \
	"LEFT JOIN (SELECT b.enrolment_id, COUNT(*) AS n FROM bilan b "                            \
	"WHERE b.academy_id = ? AND b.frozen_at IS NULL AND b.due_on < CURDATE() "                 \
	"GROUP BY b.enrolment_id) lb ON lb.enrolment_id = e.id "                                   \
	"LEFT JOIN (SELECT ct.enrolment_id, COUNT(*) AS n " UNSIGNED_FROM("?")                     \
	" GROUP BY ct.enrolment_id) uf ON uf.enrolment_id = e.id "                                 \
	"LEFT JOIN result rs ON rs.academy_id = e.academy_id AND rs.enrolment_id = e.id "          \
	"LEFT JOIN (SELECT d.year_id, d.parcours, COUNT(*) AS n FROM (" DUE_BILANS ") d "          \
	"GROUP BY d.year_id, d.parcours) dk "                                                      \
	"ON dk.year_id = e.year_id AND dk.parcours = e.parcours "                                  \
	"LEFT JOIN (SELECT b.enrolment_id, COUNT(DISTINCT b.kind) AS n FROM bilan b "              \
	"JOIN enrolment e2 ON e2.academy_id = b.academy_id AND e2.id = b.enrolment_id "            \
	"JOIN (" DUE_BILANS ") d ON d.year_id = e2.year_id AND d.parcours = e2.parcours "          \
	"AND d.kind = b.kind WHERE b.academy_id = ? GROUP BY b.enrolment_id) hb "                  \
	"ON hb.enrolment_id = e.id "
/* clang-format on */
/* No held visit before the pôle meeting N°1 (x: a row of ROWS_*): none
 * at all, or the first on or after the meeting's date. */
#define NO_VISIT_M1                                                                                \
	"(x.first_visit IS NULL OR (x.meeting1_on IS NOT NULL AND x.first_visit >= "               \
	"x.meeting1_on))"

/* The pôle's next meeting not yet held (x: a row of ROWS; none but for a
 * pôle): the meeting whose review list next_meeting_review lists. */
#define NEXT_MEETING_ID                                                                            \
	"(SELECT m.id FROM pole_meeting m WHERE m.academy_id = ? AND m.year_id = x.year_id "       \
	"AND x.sk = 1 AND m.scope_kind = 'pole' AND m.scope_id = x.sid AND m.status <> 'held' "    \
	"ORDER BY m.held_on, m.number LIMIT 1)"

/* A statement per scope kind (enum pilotage_kind), declared below as
 * Q_<statement>_<kind>, with the kind's IN_* and, for the figures and the
 * lists, the ROWS form that suits it, and found by kind in Q_<statement>[]
 * (by_kind). Measured on 3,000 generated trainees (the figures, the
 * statement alone): a pôle, a circonscription, a discipline, an INSPÉ site
 * (100 to 760 enrolments) 4 to 20 ms with ROWS_C, which reads the scope's
 * rows, no faster with ROWS_G, which reads the académie's; a département
 * (1,000) 30 ms with ROWS_C, 24 with ROWS_G; the académie 55 ms with
 * ROWS_C, 16 with ROWS_G. */
#define N_KINDS (PK_ACADEMY + 1)

static const struct db_sql Q_YEAR_GIVEN = {
    "SELECT id FROM school_year WHERE academy_id = ? AND id = ?", "i", DB_COLS("id")};
static const struct db_sql Q_YEAR_CURRENT = {
    "SELECT id FROM school_year WHERE academy_id = ? ORDER BY current DESC, starts_on DESC "
    "LIMIT 1",
    "", DB_COLS("id")};

/* The scopes the caller's assignments name (a bounded set: one person's
 * assignments). An IEN of a circonscription reads its pôles too. */
#define HOLD(roles, sk)                                                                            \
	"FROM role_assignment ra JOIN structure s ON s.academy_id = ra.academy_id "                \
	"AND s.id = ra.scope_id WHERE ra.academy_id = ? AND ra.person_id = ? "                     \
	"AND ra.role IN (" roles ") AND ra.scope_kind = '" sk "' "
static const struct db_sql Q_SCOPES = {
    "SELECT DISTINCT u.kind, u.id, u.name FROM ("
    "SELECT 1 AS kind, s.id, s.name " HOLD(
	"'pilote_pole', 'referent_inspe', 'dea', 'ien'",
	"pole") "UNION "
		"SELECT 1, s.id, s.name FROM role_assignment ra JOIN pole_circonscription "
		"pc "
		"ON pc.academy_id = ra.academy_id AND pc.circonscription_id = ra.scope_id "
		"JOIN structure s ON s.academy_id = pc.academy_id AND s.id = pc.pole_id "
		"WHERE ra.academy_id = ? AND ra.person_id = ? AND ra.role = 'ien' "
		"AND ra.scope_kind = 'circonscription' UNION "
		"SELECT 2, s.id, s.name " HOLD(
		    "'ien'",
		    "circonscription") "UNION "
				       "SELECT 3, s.id, s.name " HOLD(
					   "'responsable_site'",
					   "inspe_site") "UNION "
							 "SELECT 4, s.id, s.name " HOLD(
							     "'ia_ipr', "
							     "'responsable_parcours'",
							     "discipline") "UNION "
									   "SELECT 5, "
									   "s.id, "
									   "s.name " HOLD(
									       "'charge_"
									       "mission_"
									       "formation'",
									       "departemen"
									       "t") "UNION "
										    "SELECT"
										    " 6, "
										    "0, "
										    "a."
										    "name "
										    "FROM "
										    "role_"
										    "assign"
										    "ment "
										    "ra "
										    "JOIN "
										    "academ"
										    "y a "
										    "ON "
										    "a.id "
										    "= "
										    "ra."
										    "academ"
										    "y_id "
										    "WHERE "
										    "ra."
										    "academ"
										    "y_id "
										    "= ? "
										    "AND "
										    "ra."
										    "person"
										    "_id = "
										    "? "
										    "AND "
										    "ra."
										    "role "
										    "IN "
										    "('"
										    "direct"
										    "ion_"
										    "inspe'"
										    ", "
										    "'burea"
										    "u_"
										    "stages"
										    "')) u "
										    "ORDER "
										    "BY "
										    "u."
										    "kind, "
										    "u."
										    "name "
										    "LIMIT "
										    "500",
    "AiAiAiAiAiAiAi", DB_COLS("kind", "id", "name")};

#define FIGURES_SQL(rows)                                                                          \
	"SELECT COUNT(*) AS trainees, COALESCE(SUM(x.visits_done), 0) AS visits_done, "            \
	"COALESCE(SUM(x.joint_visits = 0), 0) AS no_joint_visit, "                                 \
	"COALESCE(SUM(" NO_VISIT_M1 "), 0) AS no_visit_before_m1, "                                \
	"COALESCE(SUM(x.renouvellement), 0) AS renouvellement, "                                   \
	"COALESCE(SUM(x.acc_level IS NOT NULL), 0) AS accompaniment, "                             \
	"COALESCE(SUM(x.open_personalisations > 0), 0) AS personalisations, "                      \
	"COALESCE(SUM(x.visits_done < 4), 0) AS visits_missing, "                                  \
	"COALESCE(SUM(x.late_bilans > 0), 0) AS late_bilans, "                                     \
	"COALESCE(SUM(x.disagreement), 0) AS disagreements, "                                      \
	"COALESCE(SUM(x.unsigned_fiches > 0), 0) AS unsigned_fiches, "                             \
	"COALESCE(SUM(x.missing_bilans > 0), 0) AS missing_bilans FROM (" rows ") x"
#define FIGURES_COLS                                                                               \
	DB_COLS("trainees", "visits_done", "no_joint_visit", "no_visit_before_m1",                 \
		"renouvellement", "accompaniment", "personalisations", "visits_missing",           \
		"late_bilans", "disagreements", "unsigned_fiches", "missing_bilans")
static const struct db_sql Q_FIGURES_POLE = {FIGURES_SQL(ROWS_C(IN_POLE)), "Aiiii", FIGURES_COLS};
static const struct db_sql Q_FIGURES_CIRCONSCRIPTION = {FIGURES_SQL(ROWS_C(IN_CIRCONSCRIPTION)),
							"Aiiii", FIGURES_COLS};
static const struct db_sql Q_FIGURES_INSPE_SITE = {FIGURES_SQL(ROWS_C(IN_INSPE_SITE)), "Aiiii",
						   FIGURES_COLS};
static const struct db_sql Q_FIGURES_DISCIPLINE = {FIGURES_SQL(ROWS_C(IN_DISCIPLINE)), "Aiiii",
						   FIGURES_COLS};
static const struct db_sql Q_FIGURES_DEPARTEMENT = {FIGURES_SQL(ROWS_G(IN_DEPARTEMENT)),
						    "AiiiiAAAAAAAAAAA", FIGURES_COLS};
static const struct db_sql Q_FIGURES_ACADEMY = {FIGURES_SQL(ROWS_G(IN_ACADEMY)), "AiiiiAAAAAAAAAAA",
						FIGURES_COLS};
static const struct db_sql *const Q_FIGURES[N_KINDS] = {
    [PK_POLE] = &Q_FIGURES_POLE,
    [PK_CIRCONSCRIPTION] = &Q_FIGURES_CIRCONSCRIPTION,
    [PK_INSPE_SITE] = &Q_FIGURES_INSPE_SITE,
    [PK_DISCIPLINE] = &Q_FIGURES_DISCIPLINE,
    [PK_DEPARTEMENT] = &Q_FIGURES_DEPARTEMENT,
    [PK_ACADEMY] = &Q_FIGURES_ACADEMY,
};

#define BY_PARCOURS_SQL(in)                                                                        \
	"SELECT e.parcours, e.degre, COUNT(*) AS trainees "                                        \
	"FROM (SELECT ? AS ac, ? AS k, ? AS s, ? AS y) p " SCOPE_JOIN(                             \
	    in) "GROUP BY e.parcours, e.degre ORDER BY e.parcours, e.degre"
#define BY_PARCOURS_COLS DB_COLS("parcours", "degre", "trainees")
static const struct db_sql Q_BY_PARCOURS_POLE = {BY_PARCOURS_SQL(IN_POLE), "Aiii",
						 BY_PARCOURS_COLS};
static const struct db_sql Q_BY_PARCOURS_CIRCONSCRIPTION = {BY_PARCOURS_SQL(IN_CIRCONSCRIPTION),
							    "Aiii", BY_PARCOURS_COLS};
static const struct db_sql Q_BY_PARCOURS_INSPE_SITE = {BY_PARCOURS_SQL(IN_INSPE_SITE), "Aiii",
						       BY_PARCOURS_COLS};
static const struct db_sql Q_BY_PARCOURS_DISCIPLINE = {BY_PARCOURS_SQL(IN_DISCIPLINE), "Aiii",
						       BY_PARCOURS_COLS};
static const struct db_sql Q_BY_PARCOURS_DEPARTEMENT = {BY_PARCOURS_SQL(IN_DEPARTEMENT), "Aiii",
							BY_PARCOURS_COLS};
static const struct db_sql Q_BY_PARCOURS_ACADEMY = {BY_PARCOURS_SQL(IN_ACADEMY), "Aiii",
						    BY_PARCOURS_COLS};
static const struct db_sql *const Q_BY_PARCOURS[N_KINDS] = {
    [PK_POLE] = &Q_BY_PARCOURS_POLE,
    [PK_CIRCONSCRIPTION] = &Q_BY_PARCOURS_CIRCONSCRIPTION,
    [PK_INSPE_SITE] = &Q_BY_PARCOURS_INSPE_SITE,
    [PK_DISCIPLINE] = &Q_BY_PARCOURS_DISCIPLINE,
    [PK_DEPARTEMENT] = &Q_BY_PARCOURS_DEPARTEMENT,
    [PK_ACADEMY] = &Q_BY_PARCOURS_ACADEMY,
};

#define LEVELS_SQL(in)                                                                             \
	"SELECT c.level, COUNT(*) AS cases FROM (SELECT ? AS ac, ? AS k, ? AS s, ? AS y) "         \
	"p " SCOPE_JOIN(in) "JOIN acc_case c ON c.academy_id = e.academy_id AND "                  \
			    "c.enrolment_id = e.id "                                               \
			    "AND c.closed_at IS NULL GROUP BY c.level ORDER BY c.level"
#define LEVELS_COLS DB_COLS("level", "cases")
static const struct db_sql Q_LEVELS_POLE = {LEVELS_SQL(IN_POLE), "Aiii", LEVELS_COLS};
static const struct db_sql Q_LEVELS_CIRCONSCRIPTION = {LEVELS_SQL(IN_CIRCONSCRIPTION), "Aiii",
						       LEVELS_COLS};
static const struct db_sql Q_LEVELS_INSPE_SITE = {LEVELS_SQL(IN_INSPE_SITE), "Aiii", LEVELS_COLS};
static const struct db_sql Q_LEVELS_DISCIPLINE = {LEVELS_SQL(IN_DISCIPLINE), "Aiii", LEVELS_COLS};
static const struct db_sql Q_LEVELS_DEPARTEMENT = {LEVELS_SQL(IN_DEPARTEMENT), "Aiii", LEVELS_COLS};
static const struct db_sql Q_LEVELS_ACADEMY = {LEVELS_SQL(IN_ACADEMY), "Aiii", LEVELS_COLS};
static const struct db_sql *const Q_LEVELS[N_KINDS] = {
    [PK_POLE] = &Q_LEVELS_POLE,
    [PK_CIRCONSCRIPTION] = &Q_LEVELS_CIRCONSCRIPTION,
    [PK_INSPE_SITE] = &Q_LEVELS_INSPE_SITE,
    [PK_DISCIPLINE] = &Q_LEVELS_DISCIPLINE,
    [PK_DEPARTEMENT] = &Q_LEVELS_DEPARTEMENT,
    [PK_ACADEMY] = &Q_LEVELS_ACADEMY,
};

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

#define LIST_SQL(rows)                                                                             \
	"SELECT x.enrolment_id, x.trainee_id, t.display_name, x.parcours, x.degre, "               \
	"(SELECT sc.name FROM enrolment_place ep JOIN structure sc ON sc.academy_id = "            \
	"ep.academy_id AND sc.id = ep.school_id WHERE ep.academy_id = t.academy_id "               \
	"AND ep.enrolment_id = x.enrolment_id ORDER BY ep.id LIMIT 1) AS school, "                 \
	"x.visits_done, x.joint_visits, x.last_visit, x.meeting1_on, x.renouvellement, "           \
	"x.acc_level, x.open_personalisations, x.late_bilans, x.disagreement, "                    \
	"x.unsigned_fiches, x.missing_bilans, "                                                    \
	"COUNT(*) OVER () AS total FROM (" rows ") x "                                             \
	"JOIN person t ON t.academy_id = ? AND t.id = x.trainee_id WHERE x.lk = 1 "                \
	"OR (x.lk = 2 AND x.visits_done < 4) OR (x.lk = 3 AND x.joint_visits = 0) "                \
	"OR (x.lk = 4 AND " NO_VISIT_M1 ") OR (x.lk = 5 AND x.renouvellement) "                    \
	"OR (x.lk = 6 AND x.acc_level IS NOT NULL) "                                               \
	"OR (x.lk = 7 AND x.open_personalisations > 0) "                                           \
	"OR (x.lk = 8 AND x.late_bilans > 0) OR (x.lk = 9 AND x.disagreement) "                    \
	"OR (x.lk = 10 AND x.unsigned_fiches > 0) "                                                \
	"OR (x.lk = 11 AND x.missing_bilans > 0) "                                                 \
	"OR (x.lk = 12 AND EXISTS (SELECT 1 FROM pole_meeting_review rv "                          \
	"WHERE rv.academy_id = ? AND rv.enrolment_id = x.enrolment_id "                            \
	"AND rv.meeting_id = " NEXT_MEETING_ID ")) "                                               \
	"ORDER BY t.display_name, x.enrolment_id LIMIT ? OFFSET ?"
#define LIST_COLS                                                                                  \
	DB_COLS("enrolment_id", "trainee_id", "display_name", "parcours", "degre", "school",       \
		"visits_done", "joint_visits", "last_visit", "meeting1_on", "renouvellement",      \
		"acc_level", "open_personalisations", "late_bilans", "disagreement",               \
		"unsigned_fiches", "missing_bilans", "total")
static const struct db_sql Q_LIST_POLE = {LIST_SQL(ROWS_C(IN_POLE)), "AiiiiAAAii", LIST_COLS};
static const struct db_sql Q_LIST_CIRCONSCRIPTION = {LIST_SQL(ROWS_C(IN_CIRCONSCRIPTION)),
						     "AiiiiAAAii", LIST_COLS};
static const struct db_sql Q_LIST_INSPE_SITE = {LIST_SQL(ROWS_C(IN_INSPE_SITE)), "AiiiiAAAii",
						LIST_COLS};
static const struct db_sql Q_LIST_DISCIPLINE = {LIST_SQL(ROWS_C(IN_DISCIPLINE)), "AiiiiAAAii",
						LIST_COLS};
static const struct db_sql Q_LIST_DEPARTEMENT = {LIST_SQL(ROWS_G(IN_DEPARTEMENT)),
						 "AiiiiAAAAAAAAAAAAAAii", LIST_COLS};
static const struct db_sql Q_LIST_ACADEMY = {LIST_SQL(ROWS_G(IN_ACADEMY)), "AiiiiAAAAAAAAAAAAAAii",
					     LIST_COLS};
static const struct db_sql *const Q_LIST[N_KINDS] = {
    [PK_POLE] = &Q_LIST_POLE,
    [PK_CIRCONSCRIPTION] = &Q_LIST_CIRCONSCRIPTION,
    [PK_INSPE_SITE] = &Q_LIST_INSPE_SITE,
    [PK_DISCIPLINE] = &Q_LIST_DISCIPLINE,
    [PK_DEPARTEMENT] = &Q_LIST_DEPARTEMENT,
    [PK_ACADEMY] = &Q_LIST_ACADEMY,
};

/* The trends (…/trends): the year's dates and today. */
static const struct db_sql Q_YEAR_SPAN = {
    "SELECT DATE_FORMAT(starts_on, '%Y-%m-%d') AS starts_on, "
    "DATE_FORMAT(ends_on, '%Y-%m-%d') AS ends_on, DATE_FORMAT(UTC_DATE(), '%Y-%m-%d') AS today "
    "FROM school_year WHERE academy_id = ? AND id = ?",
    "i", DB_COLS("starts_on", "ends_on", "today")};

/* The scope's visits per ISO week (its Monday): planned, the follow-up
 * times of kind visit not cancelled the trios scheduled that week; done,
 * those held (held or debriefed). Weeks without a visit have no row. */
#define WEEKS_SQL(in)                                                                              \
	"SELECT DATE_FORMAT(DATE(f.scheduled_at) - INTERVAL WEEKDAY(f.scheduled_at) DAY, "         \
	"'%Y-%m-%d') AS week, COUNT(*) AS planned, "                                               \
	"COALESCE(SUM(f.state IN ('held', 'debriefed')), 0) AS done "                              \
	"FROM (SELECT ? AS ac, ? AS k, ? AS s, ? AS y) p " SCOPE_JOIN(                             \
	    in) "JOIN followup f ON f.academy_id = e.academy_id AND f.enrolment_id = "             \
		"e.id "                                                                            \
		"AND f.kind = 'visit' AND f.state <> 'cancelled' GROUP BY week ORDER BY "          \
		"week LIMIT 400"
#define WEEKS_COLS DB_COLS("week", "planned", "done")
static const struct db_sql Q_WEEKS_POLE = {WEEKS_SQL(IN_POLE), "Aiii", WEEKS_COLS};
static const struct db_sql Q_WEEKS_CIRCONSCRIPTION = {WEEKS_SQL(IN_CIRCONSCRIPTION), "Aiii",
						      WEEKS_COLS};
static const struct db_sql Q_WEEKS_INSPE_SITE = {WEEKS_SQL(IN_INSPE_SITE), "Aiii", WEEKS_COLS};
static const struct db_sql Q_WEEKS_DISCIPLINE = {WEEKS_SQL(IN_DISCIPLINE), "Aiii", WEEKS_COLS};
static const struct db_sql Q_WEEKS_DEPARTEMENT = {WEEKS_SQL(IN_DEPARTEMENT), "Aiii", WEEKS_COLS};
static const struct db_sql Q_WEEKS_ACADEMY = {WEEKS_SQL(IN_ACADEMY), "Aiii", WEEKS_COLS};
static const struct db_sql *const Q_WEEKS[N_KINDS] = {
    [PK_POLE] = &Q_WEEKS_POLE,
    [PK_CIRCONSCRIPTION] = &Q_WEEKS_CIRCONSCRIPTION,
    [PK_INSPE_SITE] = &Q_WEEKS_INSPE_SITE,
    [PK_DISCIPLINE] = &Q_WEEKS_DISCIPLINE,
    [PK_DEPARTEMENT] = &Q_WEEKS_DEPARTEMENT,
    [PK_ACADEMY] = &Q_WEEKS_ACADEMY,
};

/* The end of the month n.i of the year (its first day plus i + 1 months),
 * or now for the current month. */
#define MONTH_END                                                                                  \
	"LEAST(DATE_FORMAT(yr.starts_on, '%Y-%m-01') + INTERVAL (n.i + 1) MONTH, UTC_TIMESTAMP())"

/* The scope's accompaniment cases open at the end of each month of the
 * year up to now (the current month: now), per level: the level period
 * (acc_level) open then. Months without a case have no row. */
#define MONTHS_SQL(in)                                                                             \
	"SELECT n.i AS month, l.level, COUNT(*) AS cases "                                         \
	"FROM (SELECT ? AS ac, ? AS k, ? AS s, ? AS y) p "                                         \
	"JOIN school_year yr ON yr.academy_id = p.ac AND yr.id = p.y "                             \
	"JOIN (SELECT 0 AS i UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 "            \
	"UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 "             \
	"UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10 UNION ALL SELECT 11) "          \
	"n "                                                                                       \
	"ON DATE_FORMAT(yr.starts_on, '%Y-%m-01') + INTERVAL n.i MONTH <= "                        \
	"LEAST(yr.ends_on, "                                                                       \
	"UTC_DATE()) " SCOPE_JOIN(                                                                 \
	    in) "JOIN acc_case c ON c.academy_id = e.academy_id AND c.enrolment_id = "             \
		"e.id "                                                                            \
		"JOIN acc_level l ON l.academy_id = c.academy_id AND l.case_id = c.id "            \
		"WHERE l.opened_at < " MONTH_END                                                   \
		" AND (l.closed_at IS NULL OR l.closed_at >= " MONTH_END                           \
		") AND (c.closed_at IS NULL OR c.closed_at >= " MONTH_END ") "                     \
		"GROUP BY n.i, l.level ORDER BY n.i, l.level"
#define MONTHS_COLS DB_COLS("month", "level", "cases")
static const struct db_sql Q_MONTHS_POLE = {MONTHS_SQL(IN_POLE), "Aiii", MONTHS_COLS};
static const struct db_sql Q_MONTHS_CIRCONSCRIPTION = {MONTHS_SQL(IN_CIRCONSCRIPTION), "Aiii",
						       MONTHS_COLS};
static const struct db_sql Q_MONTHS_INSPE_SITE = {MONTHS_SQL(IN_INSPE_SITE), "Aiii", MONTHS_COLS};
static const struct db_sql Q_MONTHS_DISCIPLINE = {MONTHS_SQL(IN_DISCIPLINE), "Aiii", MONTHS_COLS};
static const struct db_sql Q_MONTHS_DEPARTEMENT = {MONTHS_SQL(IN_DEPARTEMENT), "Aiii", MONTHS_COLS};
static const struct db_sql Q_MONTHS_ACADEMY = {MONTHS_SQL(IN_ACADEMY), "Aiii", MONTHS_COLS};
static const struct db_sql *const Q_MONTHS[N_KINDS] = {
    [PK_POLE] = &Q_MONTHS_POLE,
    [PK_CIRCONSCRIPTION] = &Q_MONTHS_CIRCONSCRIPTION,
    [PK_INSPE_SITE] = &Q_MONTHS_INSPE_SITE,
    [PK_DISCIPLINE] = &Q_MONTHS_DISCIPLINE,
    [PK_DEPARTEMENT] = &Q_MONTHS_DEPARTEMENT,
    [PK_ACADEMY] = &Q_MONTHS_ACADEMY,
};

/* The columns a person chose for a list (020_pilotage_prefs.sql). */
static const struct db_sql Q_PREF_GET = {
    "SELECT columns FROM pilotage_column_pref WHERE academy_id = ? AND person_id = ? "
    "AND list_key = ?",
    "is", DB_COLS("columns")};
static const struct db_sql Q_PREF_SET = {
    "INSERT INTO pilotage_column_pref (academy_id, person_id, list_key, columns, updated_at) "
    "VALUES (?, ?, ?, ?, NOW(3)) ON DUPLICATE KEY UPDATE columns = VALUES(columns), "
    "updated_at = VALUES(updated_at)",
    "iss", NULL};

/* The kind's statement; the kind is one of enum pilotage_kind (the handlers
 * parse it), the académie's for any other value. */
static const struct db_sql *by_kind(const struct db_sql *const *q, int kind)
{
	return q[kind >= PK_POLE && kind <= PK_ACADEMY ? kind : PK_ACADEMY];
}

enum err pdb_year(struct req *r, int64_t asked, int64_t *year)
{
	struct db_res res;
	enum err e =
	    asked > 0 ? db_rows(r, &Q_YEAR_GIVEN, &res, asked) : db_rows(r, &Q_YEAR_CURRENT, &res);

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
		    *out,
		    json_pack("{s:s, s:o, s:s?}", "kind", pilotage_kind_names[k], "id",
			      k == PK_ACADEMY ? json_null() : json_integer(db_int(&res, i, "id")),
			      "name", db_str(&res, i, "name")));
	}
	return ERR_OK;
}

enum err pdb_figures(struct req *r, int kind, int64_t id, int64_t year, int64_t *v)
{
	struct db_res res;
	enum err e = db_one(r, by_kind(Q_FIGURES, kind), &res, (int64_t)kind, id, year, (int64_t)0);

	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < PILOTAGE_FIGURES; i++)
		v[i] = db_int(&res, 0, Q_FIGURES_ACADEMY.cols[i]);
	return ERR_OK;
}

enum err pdb_by_parcours_json(struct req *r, int kind, int64_t id, int64_t year, json_t **out)
{
	struct db_res res;
	enum err e = db_rows(r, by_kind(Q_BY_PARCOURS, kind), &res, (int64_t)kind, id, year);

	*out = NULL;
	if (e != ERR_OK)
		return e;
	*out = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(
		    *out, json_pack("{s:s?, s:I, s:I}", "parcours", db_str(&res, i, "parcours"),
				    "degre", (json_int_t)db_int(&res, i, "degre"), "trainees",
				    (json_int_t)db_int(&res, i, "trainees")));
	return ERR_OK;
}

enum err pdb_levels_json(struct req *r, int kind, int64_t id, int64_t year, json_t **out)
{
	struct db_res res;
	enum err e = db_rows(r, by_kind(Q_LEVELS, kind), &res, (int64_t)kind, id, year);

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
	*out =
	    json_pack("{s:I, s:s?, s:I}", "meeting_id", (json_int_t)db_int(&res, 0, "id"), "date",
		      db_str(&res, 0, "held_on"), "count", (json_int_t)db_int(&res, 0, "count"));
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
		json_array_append_new(*out,
				      json_pack("{s:I, s:I, s:I, s:I}", "period",
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

enum err pdb_list_json(struct req *r, int kind, int64_t id, int64_t year, int list, int64_t limit,
		       int64_t offset, json_t **items, int64_t *total)
{
	struct db_res res;
	enum err e = db_rows(r, by_kind(Q_LIST, kind), &res, (int64_t)kind, id, year, (int64_t)list,
			     limit, offset);

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
			      "s:o, s:I, s:I, s:b, s:I, s:I}",
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
			      db_int(&res, i, "disagreement") != 0, "unsigned_fiches",
			      (json_int_t)db_int(&res, i, "unsigned_fiches"), "missing_bilans",
			      (json_int_t)db_int(&res, i, "missing_bilans")));
	return ERR_OK;
}

enum err pdb_year_span(struct req *r, int64_t year, const char **starts, const char **ends,
		       const char **today)
{
	struct db_res res;
	enum err e = db_one(r, &Q_YEAR_SPAN, &res, year);

	if (e != ERR_OK)
		return e;
	*starts = db_str(&res, 0, "starts_on");
	*ends = db_str(&res, 0, "ends_on");
	*today = db_str(&res, 0, "today");
	return ERR_OK;
}

enum err pdb_weeks(struct req *r, int kind, int64_t id, int64_t year, struct db_res *res)
{
	return db_rows(r, by_kind(Q_WEEKS, kind), res, (int64_t)kind, id, year);
}

enum err pdb_months(struct req *r, int kind, int64_t id, int64_t year, struct db_res *res)
{
	return db_rows(r, by_kind(Q_MONTHS, kind), res, (int64_t)kind, id, year);
}

enum err pdb_pref_get(struct req *r, const char *list, const char **chosen)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_PREF_GET, &res, r->who.person_id, list);

	*chosen = NULL;
	if (e == ERR_OK && res.n_rows > 0)
		*chosen = db_str(&res, 0, "columns");
	return e;
}

enum err pdb_pref_set(struct req *r, const char *list, const char *chosen)
{
	return db_run(r, &Q_PREF_SET, NULL, r->who.person_id, list, chosen);
}

const struct db_sql *const pilotage_statements[] = {&Q_YEAR_SPAN,
						    &Q_PREF_GET,
						    &Q_PREF_SET,
						    &Q_YEAR_GIVEN,
						    &Q_YEAR_CURRENT,
						    &Q_SCOPES,
						    &Q_NEXT_MEETING,
						    &Q_SOPA,
						    &Q_FIGURES_POLE,
						    &Q_FIGURES_CIRCONSCRIPTION,
						    &Q_FIGURES_INSPE_SITE,
						    &Q_FIGURES_DISCIPLINE,
						    &Q_FIGURES_DEPARTEMENT,
						    &Q_FIGURES_ACADEMY,
						    &Q_BY_PARCOURS_POLE,
						    &Q_BY_PARCOURS_CIRCONSCRIPTION,
						    &Q_BY_PARCOURS_INSPE_SITE,
						    &Q_BY_PARCOURS_DISCIPLINE,
						    &Q_BY_PARCOURS_DEPARTEMENT,
						    &Q_BY_PARCOURS_ACADEMY,
						    &Q_LEVELS_POLE,
						    &Q_LEVELS_CIRCONSCRIPTION,
						    &Q_LEVELS_INSPE_SITE,
						    &Q_LEVELS_DISCIPLINE,
						    &Q_LEVELS_DEPARTEMENT,
						    &Q_LEVELS_ACADEMY,
						    &Q_LIST_POLE,
						    &Q_LIST_CIRCONSCRIPTION,
						    &Q_LIST_INSPE_SITE,
						    &Q_LIST_DISCIPLINE,
						    &Q_LIST_DEPARTEMENT,
						    &Q_LIST_ACADEMY,
						    &Q_WEEKS_POLE,
						    &Q_WEEKS_CIRCONSCRIPTION,
						    &Q_WEEKS_INSPE_SITE,
						    &Q_WEEKS_DISCIPLINE,
						    &Q_WEEKS_DEPARTEMENT,
						    &Q_WEEKS_ACADEMY,
						    &Q_MONTHS_POLE,
						    &Q_MONTHS_CIRCONSCRIPTION,
						    &Q_MONTHS_INSPE_SITE,
						    &Q_MONTHS_DISCIPLINE,
						    &Q_MONTHS_DEPARTEMENT,
						    &Q_MONTHS_ACADEMY,
						    NULL};
