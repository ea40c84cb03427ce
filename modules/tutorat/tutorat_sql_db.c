/*
 * Every statement of the tutorat module, in one place: each declared with
 * its parameters and its columns (server/db.h), listed for tutoratctl
 * check-sql. The data functions that run them are in tutorat_db.c
 * (rows and writes), tutorat_json.c (the answers' JSON) and
 * tutorat_validate.c (inputs checked against the académie's data).
 */
#include "tutorat_sql.h"
#include "db.h"
#include "tutorat.h"

/* ======================================================================
 * Access
 * ====================================================================== */

/* The caller's place in the trio: current rows only. */
const struct db_sql Q_ENROLMENT_CTX = {
    "SELECT e.id, e.trainee_id, e.year_id, e.referentiel_id, e.degre, e.parcours, e.category, "
    "(SELECT tm.role FROM trio_member tm WHERE tm.academy_id = e.academy_id "
    "  AND tm.enrolment_id = e.id AND tm.person_id = ? AND tm.ended_at IS NULL LIMIT 1), "
    "e.dossier_version, COALESCE(st.reference_version, 0) FROM enrolment e "
    "LEFT JOIN academy_state st ON st.academy_id = e.academy_id "
    "WHERE e.academy_id = ? AND e.id = ?",
    "iAi",
    DB_COLS("id", "trainee_id", "year_id", "referentiel_id", "degre", "parcours", "category",
	    "trio_role", "dossier_version", "reference_version")};

/* The scoped pilot rules on role_assignment ra for enrolment e: the
 * pilote of its pôle, the IA-IPR of its discipline, the IEN of a
 * circonscription of one of its schools or of its pôle, and an IEN an admin
 * gave the whole académie (a 'local' académie-wide scope: the roles mapped
 * from directory groups carry the académie scope too, and mean no more
 * than the role). The same people read the dossier, list it and receive
 * its disagreements. */
#define PILOT_SCOPES TUTORAT_PILOT_SCOPES

/* Pilots (PILOT_SCOPES) and the direction. */
const struct db_sql Q_ENROLMENT_PILOT = {
    "SELECT 1 FROM enrolment e JOIN role_assignment ra ON ra.academy_id = e.academy_id "
    "AND ra.person_id = ? WHERE e.academy_id = ? AND e.id = ? AND ("
    "  ra.role = 'direction_inspe' OR " PILOT_SCOPES ") LIMIT 1",
    "iAi", DB_COLS("found")};

const struct db_sql Q_DOSSIER_TOUCH = {
    "UPDATE enrolment SET dossier_version = dossier_version + 1 WHERE academy_id = ? AND id = ?",
    "i"};

const struct db_sql Q_OWNER_FOLLOWUP = {
    "SELECT enrolment_id FROM followup WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("enrolment_id")};
const struct db_sql Q_OWNER_BILAN = {
    "SELECT enrolment_id FROM bilan WHERE academy_id = ? AND id = ?", "i", DB_COLS("enrolment_id")};
const struct db_sql Q_OWNER_ASSESSMENT = {
    "SELECT enrolment_id FROM self_assessment WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("enrolment_id")};
const struct db_sql Q_OWNER_DOCUMENT = {
    "SELECT f.enrolment_id FROM document d JOIN followup f ON f.academy_id = d.academy_id "
    "AND f.id = d.followup_id WHERE d.academy_id = ? AND d.id = ?",
    "i", DB_COLS("enrolment_id")};

/* ======================================================================
 * Reference data
 * ====================================================================== */

const struct db_sql Q_CURRENT_YEAR = {"SELECT id FROM school_year WHERE academy_id = ? AND current",
				      "", DB_COLS("id")};
const struct db_sql Q_CURRENT_REFERENTIEL = {
    "SELECT id FROM referentiel WHERE academy_id = ? AND current ORDER BY version DESC LIMIT 1", "",
    DB_COLS("id")};

const struct db_sql Q_YEAR_BY_LABEL = {
    "SELECT id FROM school_year WHERE academy_id = ? AND label = ?", "s", DB_COLS("id")};
const struct db_sql Q_ENROLMENT_OF = {
    "SELECT id FROM enrolment WHERE academy_id = ? AND trainee_id = ? AND year_id = ?", "ii",
    DB_COLS("id")};
const struct db_sql Q_STRUCTURE_NAMED = {
    "SELECT id FROM structure WHERE academy_id = ? AND kind = ? AND name = ? LIMIT 2", "ss",
    DB_COLS("id")};

const struct db_sql Q_REFERENTIEL = {
    "SELECT id, code, version, label FROM referentiel WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("id", "code", "version", "label")};
const struct db_sql Q_REFERENTIEL_LEVELS = {
    "SELECT rank_no, label FROM referentiel_level WHERE academy_id = ? AND referentiel_id = ? "
    "ORDER BY rank_no",
    "i", DB_COLS("rank_no", "label")};
const struct db_sql Q_REFERENTIEL_COMPETENCES = {
    "SELECT id, code, family, title FROM competence WHERE academy_id = ? AND referentiel_id = ? "
    "ORDER BY position",
    "i", DB_COLS("id", "code", "family", "title")};

const struct db_sql Q_GRID = {
    "SELECT id FROM competence WHERE academy_id = ? AND referentiel_id = ? "
    "AND family IN ('common', ?)",
    "is", DB_COLS("id")};
const struct db_sql Q_MAX_LEVEL = {
    "SELECT COALESCE(MAX(rank_no), 0) FROM referentiel_level WHERE academy_id = ? "
    "AND referentiel_id = ?",
    "i", DB_COLS("max_rank")};

const struct db_sql Q_PERSON_HAS_ROLE = {
    "SELECT 1 FROM role_assignment WHERE academy_id = ? AND person_id = ? AND role = ? LIMIT 1",
    "is", DB_COLS("found")};
const struct db_sql Q_STRUCTURE_IS = {
    "SELECT 1 FROM structure WHERE academy_id = ? AND id = ? AND kind = ?", "is", DB_COLS("found")};

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
const struct db_sql Q_ENROLMENT_PAGE = {
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
/* What every enrolment list of the académie is made of, in one cheap row:
 * how many enrolments, the sum of their dossier versions (every write to a
 * dossier adds one), the XOR of their random ids (a deletion and a creation
 * do not cancel out), and the version of the académie's reference data
 * (structures, calendar, assignments, people: edited by an admin or
 * refreshed from the directory at login). A list rendered with the same
 * fingerprint is still true. */
const struct db_sql Q_ENROLMENTS_FINGERPRINT = {
    "SELECT COUNT(*) AS n, COALESCE(SUM(dossier_version), 0) AS versions, "
    "COALESCE(BIT_XOR(id), 0) AS ids, (SELECT COALESCE(MAX(reference_version), 0) "
    "FROM academy_state WHERE academy_id = ?) AS reference_version "
    "FROM enrolment WHERE academy_id = ?",
    "AA", DB_COLS("n", "versions", "ids", "reference_version")};
/* The page's places and current tutors, for all its rows at once: the
 * JSON array of their ids is the one parameter after the académie. */
#define PAGE_IDS "IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) j) "
const struct db_sql Q_PAGE_PLACES = {
    "SELECT ep.enrolment_id, ep.id, s.id AS school_id, s.name AS school_name, "
    "s.code AS school_code, ep.class_label FROM enrolment_place ep "
    "JOIN structure s ON s.academy_id = ep.academy_id AND s.id = ep.school_id "
    "WHERE ep.academy_id = ? AND ep.enrolment_id " PAGE_IDS "ORDER BY ep.enrolment_id, ep.id",
    "s", DB_COLS("enrolment_id", "id", "school_id", "school_name", "school_code", "class_label")};
const struct db_sql Q_PAGE_TUTORS = {
    "SELECT tm.enrolment_id, tm.role, p.id, p.display_name, p.email FROM trio_member tm "
    "JOIN person p ON p.academy_id = tm.academy_id AND p.id = tm.person_id "
    "WHERE tm.academy_id = ? AND tm.enrolment_id " PAGE_IDS "AND tm.ended_at IS NULL "
    "ORDER BY tm.enrolment_id, tm.role, tm.id",
    "s", DB_COLS("enrolment_id", "role", "id", "display_name", "email")};
/* Notifications (tutorat_notify.c). The reader's relations to each
 * enrolment of a page of notifications, as tdb_enrolment_ctx and
 * tdb_is_pilot read them for one: trainee, current place in the trio,
 * whether a pilot rule applies. */
const struct db_sql Q_NOTIFY_RELATIONS = {
    "SELECT e.id, e.trainee_id = ? AS trainee, "
    "(SELECT tm.role FROM trio_member tm WHERE tm.academy_id = e.academy_id "
    "  AND tm.enrolment_id = e.id AND tm.person_id = ? AND tm.ended_at IS NULL LIMIT 1) "
    "AS trio_role, "
    "EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = e.academy_id "
    "  AND ra.person_id = ? AND (" PILOT_SCOPES ")) AS pilot "
    "FROM enrolment e WHERE e.academy_id = ? AND e.id " PAGE_IDS,
    "iiiAs", DB_COLS("id", "trainee", "trio_role", "pilot")};
/* The trio as it is now: the trainee (with the name notifications show)
 * and the current tutors. */
const struct db_sql Q_NOTIFY_TRIO = {
    "SELECT e.trainee_id AS person_id, 'trainee' AS role, p.display_name FROM enrolment e "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "WHERE e.academy_id = ? AND e.id = ? "
    "UNION ALL SELECT tm.person_id, tm.role, NULL FROM trio_member tm "
    "WHERE tm.academy_id = ? AND tm.enrolment_id = ? AND tm.ended_at IS NULL",
    "AiAi", DB_COLS("person_id", "role", "display_name")};
/* Who is told of a disagreement: the inspectors who see it on their list
 * (Q_DISAGREEMENTS), the IEN of the circonscription or of the pôle and the
 * pôle's pilot. */
const struct db_sql Q_NOTIFY_DISAGREEMENT = {
    "SELECT DISTINCT ra.person_id FROM enrolment e JOIN role_assignment ra "
    "ON ra.academy_id = e.academy_id WHERE e.academy_id = ? AND e.id = ? "
    "AND ra.role IN ('ien', 'pilote_pole') AND (" PILOT_SCOPES ")",
    "i", DB_COLS("person_id")};
const struct db_sql Q_ENROLMENT_COUNT = {
    "SELECT COUNT(*) FROM enrolment e JOIN person p ON p.academy_id = e.academy_id "
    "AND p.id = e.trainee_id " ENROLMENT_VISIBLE,
    "zzsssiiii", DB_COLS("n")};
const struct db_sql Q_ENROLMENT_ONE = {ENROLMENT_COLUMNS "WHERE e.academy_id = ? AND e.id = ?", "i",
				       DB_COLS(ENROLMENT_FIELD_NAMES)};
const struct db_sql Q_ENROLMENT_PLACES = {
    "SELECT ep.id, s.id AS school_id, s.name AS school_name, s.code AS school_code, "
    "ep.class_label FROM enrolment_place ep "
    "JOIN structure s ON s.academy_id = ep.academy_id AND s.id = ep.school_id "
    "WHERE ep.academy_id = ? AND ep.enrolment_id = ? ORDER BY ep.id",
    "i", DB_COLS("id", "school_id", "school_name", "school_code", "class_label")};
const struct db_sql Q_ENROLMENT_TUTORS = {
    "SELECT tm.role, p.id, p.display_name, p.email FROM trio_member tm "
    "JOIN person p ON p.academy_id = tm.academy_id AND p.id = tm.person_id "
    "WHERE tm.academy_id = ? AND tm.enrolment_id = ? AND tm.ended_at IS NULL",
    "i", DB_COLS("role", "id", "display_name", "email")};

const struct db_sql Q_ENROLMENT_INSERT = {
    "INSERT INTO enrolment (academy_id, id, year_id, trainee_id, parcours, degre, category, "
    "discipline_id, pole_id, inspe_site_id, renouvellement, referentiel_id, inspe_hours, "
    "created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3), 1)",
    "iiisiszzziis"};
/* A place is the pair (school, class): sending a place the enrolment
 * already has (a visited one kept by an update) adds nothing. */
const struct db_sql Q_PLACE_INSERT = {
    "INSERT INTO enrolment_place (academy_id, id, enrolment_id, school_id, class_label) "
    "SELECT ?, ?, ?, ?, ? FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM enrolment_place p "
    "WHERE p.academy_id = ? AND p.enrolment_id = ? AND p.school_id = ? "
    "AND p.class_label <=> ?)",
    "AiiisAiis"};
const struct db_sql Q_PLACES_UNUSED_DELETE = {
    "DELETE FROM enrolment_place WHERE academy_id = ? AND enrolment_id = ? AND NOT EXISTS ("
    "SELECT 1 FROM followup f WHERE f.academy_id = enrolment_place.academy_id "
    "AND f.place_id = enrolment_place.id)",
    "i"};
const struct db_sql Q_ENROLMENT_UPDATE = {
    "UPDATE enrolment SET parcours = IF(?, ?, parcours), degre = IF(?, ?, degre), "
    "category = IF(?, ?, category), discipline_id = IF(?, ?, discipline_id), "
    "pole_id = IF(?, ?, pole_id), inspe_site_id = IF(?, ?, inspe_site_id), "
    "renouvellement = IF(?, ?, renouvellement), "
    "inspe_hours = IF(renouvellement, 7, 5), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ?",
    "isiiisiziziziiAii"};
/* A change of the enrolment outside its columns (its trio). */
const struct db_sql Q_ENROLMENT_BUMP = {
    "UPDATE enrolment SET version = version + 1 WHERE academy_id = ? AND id = ? AND version = ?",
    "ii"};
const struct db_sql Q_ENROLMENT_EXISTS = {
    "SELECT version FROM enrolment WHERE academy_id = ? AND id = ?", "i", DB_COLS("version")};

const struct db_sql Q_TUTOR_CURRENT = {
    "SELECT id, person_id FROM trio_member WHERE academy_id = ? AND enrolment_id = ? "
    "AND role = ? AND ended_at IS NULL FOR UPDATE",
    "is", DB_COLS("id", "person_id")};
const struct db_sql Q_TUTOR_END = {
    "UPDATE trio_member SET ended_at = NOW(3) WHERE academy_id = ? AND id = ?", "i"};
const struct db_sql Q_TUTOR_INSERT = {
    "INSERT INTO trio_member (academy_id, id, enrolment_id, person_id, role, started_at) "
    "VALUES (?, ?, ?, ?, ?, NOW(3))",
    "iiis"};

/* ======================================================================
 * Self-assessment: every revision kept
 * ====================================================================== */

const struct db_sql Q_SA_LIST = {
    "SELECT sa.id, sa.revision, sa.priorities, DATE_FORMAT(sa.created_at, '%Y-%m-%dT%H:%i:%sZ'), "
    "p.id AS author_id, p.display_name AS author_name FROM self_assessment sa JOIN person p "
    "ON p.academy_id = "
    "sa.academy_id AND p.id = sa.author_id WHERE sa.academy_id = ? AND sa.enrolment_id = ? "
    "ORDER BY sa.revision DESC",
    "i", DB_COLS("id", "revision", "priorities", "created_at", "author_id", "author_name")};
const struct db_sql Q_SA_ITEMS = {
    "SELECT i.assessment_id, i.competence_id, i.level_rank, i.comment "
    "FROM self_assessment_item i JOIN self_assessment sa ON sa.academy_id = i.academy_id "
    "AND sa.id = i.assessment_id WHERE i.academy_id = ? AND sa.enrolment_id = ?",
    "i", DB_COLS("assessment_id", "competence_id", "level_rank", "comment")};
const struct db_sql Q_SA_COMMENTS = {
    "SELECT c.assessment_id, c.id, p.id AS author_id, p.display_name AS author_name, c.body, "
    "DATE_FORMAT(c.created_at, '%Y-%m-%dT%H:%i:%sZ') FROM self_assessment_comment c "
    "JOIN self_assessment sa ON sa.academy_id = c.academy_id AND sa.id = c.assessment_id "
    "JOIN person p ON p.academy_id = c.academy_id AND p.id = c.author_id "
    "WHERE c.academy_id = ? AND sa.enrolment_id = ? ORDER BY c.created_at",
    "i", DB_COLS("assessment_id", "id", "author_id", "author_name", "body", "created_at")};
const struct db_sql Q_SA_NEXT = {
    "SELECT COALESCE(MAX(revision), 0) + 1 FROM self_assessment WHERE academy_id = ? "
    "AND enrolment_id = ? FOR UPDATE",
    "i", DB_COLS("next_revision")};
const struct db_sql Q_SA_INSERT = {
    "INSERT INTO self_assessment (academy_id, id, enrolment_id, revision, priorities, author_id, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3))",
    "iiisi"};
const struct db_sql Q_SA_ITEM_INSERT = {
    "INSERT INTO self_assessment_item (academy_id, assessment_id, competence_id, level_rank, "
    "comment) VALUES (?, ?, ?, ?, ?)",
    "iiis"};
const struct db_sql Q_SA_COMMENT_INSERT = {
    "INSERT INTO self_assessment_comment (academy_id, id, assessment_id, author_id, body, "
    "created_at) VALUES (?, ?, ?, ?, ?, NOW(3))",
    "iiis"};

/* ======================================================================
 * Follow-up times
 * ====================================================================== */

const struct db_sql Q_PLACE_BELONGS = {
    "SELECT 1 FROM enrolment_place WHERE academy_id = ? AND id = ? AND enrolment_id = ?", "ii",
    DB_COLS("found")};
const struct db_sql Q_FOLLOWUP_INSERT = {
    "INSERT INTO followup (academy_id, id, enrolment_id, kind, state, scheduled_at, place_id, "
    "with_terrain, with_inspe, created_by, created_at, updated_at, version) "
    "VALUES (?, ?, ?, ?, 'planned', ?, ?, ?, ?, ?, NOW(3), NOW(3), 1)",
    "iissziii"};
const struct db_sql Q_FOLLOWUP_GET = {
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
const struct db_sql Q_FOLLOWUP_LEVELS = {
    "SELECT competence_id, level_rank FROM followup_level WHERE academy_id = ? "
    "AND followup_id = ? ORDER BY competence_id",
    "i", DB_COLS("competence_id", "level_rank")};
const struct db_sql Q_FOLLOWUP_TRACES = {
    "SELECT author, retained, axes, body, published_at IS NOT NULL, version, "
    "DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%sZ') FROM trace WHERE academy_id = ? "
    "AND followup_id = ?",
    "i", DB_COLS("author", "retained", "axes", "body", "published", "version", "updated_at")};
const struct db_sql Q_FOLLOWUP_DOCUMENTS = {
    "SELECT d.id, d.filename, d.content_type, d.size_bytes, d.uploaded_by, p.display_name, "
    "DATE_FORMAT(d.created_at, '%Y-%m-%dT%H:%i:%sZ') FROM document d JOIN person p ON "
    "p.academy_id = d.academy_id AND p.id = d.uploaded_by WHERE d.academy_id = ? "
    "AND d.followup_id = ? ORDER BY d.created_at",
    "i",
    DB_COLS("id", "filename", "content_type", "size_bytes", "uploaded_by", "display_name",
	    "created_at")};
const struct db_sql Q_FOLLOWUP_STATE = {
    "SELECT state, version FROM followup WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("state", "version")};
/* What the dates of a follow-up time (new: id 0) at `at` are checked
 * against: the trainee's school year and school day, another of their
 * times less than an hour away, whether `at` is still to come. */
#define AT "CAST(? AS DATETIME)"
const struct db_sql Q_FOLLOWUP_SLOT = {
    "SELECT DATE(" AT ") BETWEEN y.starts_on AND y.ends_on AS in_year, "
    "TIME(" AT ") BETWEEN y.day_starts_at AND y.day_ends_at AS in_day, "
    "DATE_FORMAT(y.starts_on, '%Y-%m-%d'), DATE_FORMAT(y.ends_on, '%Y-%m-%d'), "
    "TIME_FORMAT(y.day_starts_at, '%H:%i'), TIME_FORMAT(y.day_ends_at, '%H:%i'), "
    "(SELECT DATE_FORMAT(f.scheduled_at, '%Y-%m-%dT%H:%i') FROM followup f "
    "  WHERE f.academy_id = e.academy_id AND f.enrolment_id = e.id AND f.id <> ? "
    "  AND f.state <> 'cancelled' AND f.scheduled_at > " AT " - INTERVAL 1 HOUR "
    "  AND f.scheduled_at < " AT " + INTERVAL 1 HOUR ORDER BY f.scheduled_at LIMIT 1), " AT
    " > NOW() AS future "
    "FROM enrolment e JOIN school_year y ON y.academy_id = e.academy_id AND y.id = e.year_id "
    "WHERE e.academy_id = ? AND e.id = ?",
    "ssisssAi",
    DB_COLS("in_year", "in_day", "starts_on", "ends_on", "day_starts", "day_ends", "clash",
	    "future")};
#undef AT
/* Whether a follow-up time is still to come, and when it is. */
const struct db_sql Q_FOLLOWUP_WHEN = {
    "SELECT scheduled_at > NOW() AS future, DATE_FORMAT(scheduled_at, '%Y-%m-%dT%H:%i') "
    "FROM followup WHERE academy_id = ? AND id = ?",
    "i", DB_COLS("future", "scheduled_at")};
const struct db_sql Q_FOLLOWUP_EXISTS = {
    "SELECT version FROM followup WHERE academy_id = ? AND id = ?", "i", DB_COLS("version")};
const struct db_sql Q_FOLLOWUP_PLAN = {
    "UPDATE followup SET scheduled_at = IF(?, ?, scheduled_at), place_id = IF(?, ?, place_id), "
    "with_terrain = IF(?, ?, with_terrain), with_inspe = IF(?, ?, with_inspe), "
    "updated_at = NOW(3), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ? AND state <> 'cancelled'",
    "isiziiiiAii"};
const struct db_sql Q_FOLLOWUP_DEBRIEF = {
    "UPDATE followup SET analyses = ?, remediations = ?, action_paths = ?, points_appui = ?, "
    "axes_evolution = ?, priorities = ?, state = 'debriefed', updated_at = NOW(3), "
    "version = version + 1 WHERE academy_id = ? AND id = ? AND version = ? "
    "AND state <> 'cancelled'",
    "ssssssAii"};
const struct db_sql Q_FOLLOWUP_LEVELS_DELETE = {
    "DELETE FROM followup_level WHERE academy_id = ? AND followup_id = ?", "i"};
const struct db_sql Q_FOLLOWUP_LEVEL_INSERT = {
    "INSERT INTO followup_level (academy_id, followup_id, competence_id, level_rank) "
    "VALUES (?, ?, ?, ?)",
    "iii"};
const struct db_sql Q_FOLLOWUP_CANCEL = {
    "UPDATE followup SET state = 'cancelled', cancel_reason = ?, updated_at = NOW(3), "
    "version = version + 1 WHERE academy_id = ? AND id = ?",
    "sAi"};

/* One statement per editable text, so that no column name is ever built. */
#define TEXT_UPDATE(col)                                                                           \
	"UPDATE followup SET " col " = ?, state = COALESCE(?, state), updated_at = NOW(3), "       \
	"version = version + 1 WHERE academy_id = ? AND id = ? AND version = ? "                   \
	"AND state <> 'cancelled'"
const struct db_sql Q_SET_POINTS = {TEXT_UPDATE("points_to_observe"), "ssAii"};
const struct db_sql Q_SET_EXPECTATIONS = {TEXT_UPDATE("expectations"), "ssAii"};
const struct db_sql Q_SET_NOTES = {TEXT_UPDATE("observation_notes"), "ssAii"};

/* ---- traces ---- */

const struct db_sql Q_TRACE_GET = {
    "SELECT id, version, published_at IS NOT NULL FROM trace WHERE academy_id = ? "
    "AND followup_id = ? AND author = ? FOR UPDATE",
    "is", DB_COLS("id", "version", "published")};
const struct db_sql Q_TRACE_INSERT = {
    "INSERT INTO trace (academy_id, id, followup_id, author, retained, axes, body, "
    "published_at, last_editor_id, updated_at, version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, IF(?, NOW(3), NULL), ?, NOW(3), 1)",
    "iissssii"};
const struct db_sql Q_TRACE_UPDATE = {
    "UPDATE trace SET retained = ?, axes = ?, body = ?, "
    "published_at = IF(?, NOW(3), NULL), last_editor_id = ?, updated_at = NOW(3), "
    "version = version + 1 WHERE academy_id = ? AND id = ? AND version = ? "
    "AND published_at IS NULL",
    "sssiiAii"};
const struct db_sql Q_TRACE_EXISTS = {"SELECT version FROM trace WHERE academy_id = ? AND id = ?",
				      "i", DB_COLS("version")};

/* ---- documents ---- */

/* What a new document counts against ([uploads]): the dossier's bytes, the
 * uploader's bytes and files of the day (UTC). The enrolment's row is
 * locked: two uploads to one dossier are counted one after the other. */
const struct db_sql Q_DOC_QUOTA = {
    "SELECT (SELECT COALESCE(SUM(d.size_bytes), 0) FROM document d JOIN followup f "
    "  ON f.academy_id = d.academy_id AND f.id = d.followup_id "
    "  WHERE d.academy_id = e.academy_id AND f.enrolment_id = e.id) AS dossier_bytes, "
    "(SELECT COALESCE(SUM(d.size_bytes), 0) FROM document d WHERE d.academy_id = e.academy_id "
    "  AND d.uploaded_by = ? AND d.created_at >= UTC_DATE()) AS day_bytes, "
    "(SELECT COUNT(*) FROM document d WHERE d.academy_id = e.academy_id "
    "  AND d.uploaded_by = ? AND d.created_at >= UTC_DATE()) AS day_files, "
    "TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), UTC_DATE() + INTERVAL 1 DAY) AS day_left "
    "FROM enrolment e WHERE e.academy_id = ? AND e.id = ? FOR UPDATE",
    "iiAi", DB_COLS("dossier_bytes", "day_bytes", "day_files", "day_left")};
const struct db_sql Q_DOC_INSERT = {
    "INSERT INTO document (academy_id, id, followup_id, filename, content_type, size_bytes, "
    "sha256, content, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3))",
    "iissisbi"};
const struct db_sql Q_DOC_GET = {
    "SELECT filename, content_type, content, uploaded_by FROM document WHERE academy_id = ? "
    "AND id = ?",
    "i", DB_COLS("filename", "content_type", "content", "uploaded_by")};
const struct db_sql Q_DOC_DELETE = {"DELETE FROM document WHERE academy_id = ? AND id = ?", "i"};

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

const struct db_sql Q_BILANS = {BILAN_COLUMNS "WHERE b.academy_id = ? AND b.enrolment_id = ? "
					      "ORDER BY b.kind, b.revision",
				"i",
				DB_COLS("id", "kind", "revision", "frozen", "validated_terrain",
					"validated_inspe", "due_on", "version", "referentiel_id",
					"frozen_at", "validated_terrain_at", "validated_inspe_at",
					"enrolment_id", "newer_exists")};
const struct db_sql Q_BILAN = {BILAN_COLUMNS "WHERE b.academy_id = ? AND b.id = ?", "i",
			       DB_COLS("id", "kind", "revision", "frozen", "validated_terrain",
				       "validated_inspe", "due_on", "version", "referentiel_id",
				       "frozen_at", "validated_terrain_at", "validated_inspe_at",
				       "enrolment_id", "newer_exists")};
const struct db_sql Q_BILAN_ITEMS = {
    "SELECT competence_id, level_rank, comment FROM bilan_item WHERE academy_id = ? "
    "AND bilan_id = ? ORDER BY competence_id",
    "i", DB_COLS("competence_id", "level_rank", "comment")};
const struct db_sql Q_BILAN_KIND_EXISTS = {
    "SELECT 1 FROM bilan WHERE academy_id = ? AND enrolment_id = ? AND kind = ? FOR UPDATE", "is",
    DB_COLS("found")};
const struct db_sql Q_BILAN_DUE = {
    "SELECT DATE_FORMAT(MIN(ev.starts_on), '%Y-%m-%d') FROM year_event ev WHERE "
    "ev.academy_id = ? AND ev.year_id = ? AND ev.kind = ?",
    "is", DB_COLS("due_on")};
const struct db_sql Q_BILAN_INSERT = {
    "INSERT INTO bilan (academy_id, id, enrolment_id, kind, revision, referentiel_id, due_on, "
    "created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, NOW(3), 1)",
    "iisiis"};
const struct db_sql Q_BILAN_ITEMS_DELETE = {
    "DELETE FROM bilan_item WHERE academy_id = ? AND bilan_id = ?", "i"};
const struct db_sql Q_BILAN_ITEM_INSERT = {
    "INSERT INTO bilan_item (academy_id, bilan_id, competence_id, level_rank, comment) "
    "VALUES (?, ?, ?, ?, ?)",
    "iizs"};
const struct db_sql Q_BILAN_TOUCH = {
    "UPDATE bilan SET validated_terrain_by = NULL, validated_terrain_at = NULL, "
    "validated_inspe_by = NULL, validated_inspe_at = NULL, version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ? AND frozen_at IS NULL",
    "ii"};
/* FOR UPDATE: the version now committed, not the one this transaction
 * first saw, is the one a 412 names. */
const struct db_sql Q_BILAN_EXISTS = {
    "SELECT version FROM bilan WHERE academy_id = ? AND id = ? FOR UPDATE", "i",
    DB_COLS("version")};
const struct db_sql Q_BILAN_VALIDATE_TERRAIN = {
    "UPDATE bilan SET validated_terrain_by = ?, validated_terrain_at = NOW(3), "
    "frozen_at = IF(validated_inspe_at IS NOT NULL, NOW(3), NULL), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ? AND frozen_at IS NULL",
    "iAii"};
const struct db_sql Q_BILAN_VALIDATE_INSPE = {
    "UPDATE bilan SET validated_inspe_by = ?, validated_inspe_at = NOW(3), "
    "frozen_at = IF(validated_terrain_at IS NOT NULL, NOW(3), NULL), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ? AND frozen_at IS NULL",
    "iAii"};
const struct db_sql Q_BILAN_COPY_ITEMS = {
    "INSERT INTO bilan_item (academy_id, bilan_id, competence_id, level_rank, comment) "
    "SELECT academy_id, ?, competence_id, level_rank, comment FROM bilan_item "
    "WHERE academy_id = ? AND bilan_id = ?",
    "iAi"};
const struct db_sql Q_BILAN_REVISE = {
    "INSERT INTO bilan (academy_id, id, enrolment_id, kind, revision, referentiel_id, due_on, "
    "created_at, version) SELECT academy_id, ?, enrolment_id, kind, revision + 1, "
    "referentiel_id, due_on, NOW(3), 1 FROM bilan WHERE academy_id = ? AND id = ?",
    "iAi"};

/* ======================================================================
 * Result, disagreement, report
 * ====================================================================== */

const struct db_sql Q_RESULT = {
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
const struct db_sql Q_FINAL_MEAN = {
    "SELECT CAST(AVG(i.level_rank) AS DECIMAL(4,2)), COUNT(i.level_rank) FROM bilan b "
    "JOIN bilan_item i ON i.academy_id = b.academy_id AND i.bilan_id = b.id "
    "WHERE b.academy_id = ? AND b.enrolment_id = ? AND b.kind = 'final' "
    "AND b.frozen_at IS NOT NULL AND b.revision = (SELECT MAX(b2.revision) FROM bilan b2 "
    "  WHERE b2.academy_id = b.academy_id AND b2.enrolment_id = b.enrolment_id "
    "  AND b2.kind = 'final' AND b2.frozen_at IS NOT NULL)",
    "i", DB_COLS("mean", "n_levels")};
const struct db_sql Q_CONVERT = {
    "SELECT note, avis FROM conversion_rule WHERE academy_id = ? AND parcours = ? "
    "AND min_mean <= ? ORDER BY min_mean DESC LIMIT 1",
    "ss", DB_COLS("note", "avis")};
const struct db_sql Q_RESULT_VERSION = {
    "SELECT version FROM result WHERE academy_id = ? AND enrolment_id = ? FOR UPDATE", "i",
    DB_COLS("version")};
const struct db_sql Q_RESULT_INSERT = {
    "INSERT INTO result (academy_id, enrolment_id, note, avis, comment, suggested_note, "
    "suggested_avis, recorded_by, recorded_at, version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NOW(3), 1)",
    "isssssi"};
const struct db_sql Q_RESULT_UPDATE = {
    "UPDATE result SET note = ?, avis = ?, comment = ?, suggested_note = ?, suggested_avis = ?, "
    "recorded_by = ?, recorded_at = NOW(3), version = version + 1 "
    "WHERE academy_id = ? AND enrolment_id = ? AND version = ?",
    "sssssiAii"};
const struct db_sql Q_RESULT_EXISTS = {
    "SELECT version FROM result WHERE academy_id = ? AND enrolment_id = ?", "i",
    DB_COLS("version")};
const struct db_sql Q_DISAGREEMENT = {
    "UPDATE result SET disagreement = ?, disagreement_by = ?, disagreement_at = NOW(3), "
    "version = version + 1 WHERE academy_id = ? AND enrolment_id = ?",
    "siAi"};

/* The inspectors who see a disagreement: its pilots (PILOT_SCOPES, the
 * IEN of the circonscription or of the pôle among them), the direction.
 * The latest frozen bilan of each kind comes along for the list's links. */
const struct db_sql Q_DISAGREEMENTS = {
    "SELECT e.id, p.id AS trainee_id, p.display_name AS trainee_name, res.note, res.avis, "
    "res.disagreement, DATE_FORMAT(res.disagreement_at, '%Y-%m-%dT%H:%i:%sZ'), "
    "dp.id AS disagreer_id, dp.display_name AS disagreer_name, po.name AS pole_name, "
    "(SELECT b.id FROM bilan b WHERE b.academy_id = e.academy_id AND b.enrolment_id = e.id "
    "  AND b.kind = 'final' ORDER BY b.revision DESC LIMIT 1) AS final_bilan_id "
    "FROM result res "
    "JOIN enrolment e ON e.academy_id = res.academy_id AND e.id = res.enrolment_id "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "JOIN person dp ON dp.academy_id = res.academy_id AND dp.id = res.disagreement_by "
    "LEFT JOIN structure po ON po.academy_id = e.academy_id AND po.id = e.pole_id "
    "WHERE res.academy_id = ? AND res.disagreement IS NOT NULL AND (? OR EXISTS ("
    "  SELECT 1 FROM role_assignment ra WHERE ra.academy_id = e.academy_id AND ra.person_id = ? "
    "  AND ra.role IN ('ien', 'pilote_pole') AND (" PILOT_SCOPES "))) "
    "ORDER BY res.disagreement_at DESC",
    "ii",
    DB_COLS("id", "trainee_id", "trainee_name", "note", "avis", "disagreement", "disagreement_at",
	    "disagreer_id", "disagreer_name", "pole_name", "final_bilan_id")};

const struct db_sql Q_REPORT_STATE = {
    "SELECT version, submitted_at IS NOT NULL FROM tutor_report WHERE academy_id = ? "
    "AND enrolment_id = ? FOR UPDATE",
    "i", DB_COLS("version", "submitted")};
const struct db_sql Q_REPORT_INSERT = {
    "INSERT INTO tutor_report (academy_id, enrolment_id, body, submitted_at, author_id, "
    "updated_at, version) VALUES (?, ?, ?, IF(?, NOW(3), NULL), ?, NOW(3), 1)",
    "isii"};
const struct db_sql Q_REPORT_UPDATE = {
    "UPDATE tutor_report SET body = ?, submitted_at = IF(?, NOW(3), NULL), author_id = ?, "
    "updated_at = NOW(3), version = version + 1 WHERE academy_id = ? AND enrolment_id = ? "
    "AND version = ? AND submitted_at IS NULL",
    "siiAii"};
const struct db_sql Q_REPORT_EXISTS = {
    "SELECT version FROM tutor_report WHERE academy_id = ? AND enrolment_id = ?", "i",
    DB_COLS("version")};
const struct db_sql Q_REPORT = {
    "SELECT t.body, t.submitted_at IS NOT NULL, t.version, p.id, p.display_name "
    "FROM tutor_report t "
    "JOIN person p ON p.academy_id = t.academy_id AND p.id = t.author_id "
    "WHERE t.academy_id = ? AND t.enrolment_id = ?",
    "i", DB_COLS("body", "submitted", "version", "id", "display_name")};

/* The results of a year for the jury, in one parcours or all (NULL): every
 * enrolment of the year, with its result and whether the rapport (M2B) is
 * submitted; never a trace. */
const struct db_sql Q_RESULTS = {
    "SELECT e.id, e.parcours, e.degre, p.id AS trainee_id, p.display_name AS trainee_name, "
    "p.username AS trainee_username, d.name AS discipline_name, si.name AS site_name, "
    "res.note, res.avis, DATE_FORMAT(res.recorded_at, '%Y-%m-%dT%H:%i:%sZ') AS recorded_at, "
    "(SELECT tr.submitted_at IS NOT NULL FROM tutor_report tr WHERE tr.academy_id = e.academy_id "
    "  AND tr.enrolment_id = e.id) AS report_submitted, COUNT(*) OVER () AS total "
    "FROM enrolment e JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "LEFT JOIN structure d ON d.academy_id = e.academy_id AND d.id = e.discipline_id "
    "LEFT JOIN structure si ON si.academy_id = e.academy_id AND si.id = e.inspe_site_id "
    "LEFT JOIN result res ON res.academy_id = e.academy_id AND res.enrolment_id = e.id "
    "WHERE e.academy_id = ? AND e.year_id = ? AND (? IS NULL OR e.parcours = ?) "
    "ORDER BY e.parcours, p.display_name, e.id LIMIT ? OFFSET ?",
    "issii",
    DB_COLS("id", "parcours", "degre", "trainee_id", "trainee_name", "trainee_username",
	    "discipline_name", "site_name", "note", "avis", "recorded_at", "report_submitted",
	    "total")};

/* The history of a dossier: the audit rows of the enrolment and of the
 * records under it (follow-up times with their traces, bilans,
 * self-assessments and their comments, documents still stored), newest
 * first. Who, what action, when: never the detail. */
#define UNDER_ENROLMENT(table_)                                                                    \
	"SELECT x.id FROM " table_ " x WHERE x.academy_id = a.academy_id AND x.enrolment_id = ?"
const struct db_sql Q_HISTORY = {
    "SELECT a.id, DATE_FORMAT(a.at, '%Y-%m-%dT%H:%i:%sZ') AS at, a.action, a.object_type, "
    "a.object_id, p.id AS actor_id, p.display_name AS actor_name, COUNT(*) OVER () AS total "
    "FROM audit_log a LEFT JOIN person p ON p.academy_id = a.academy_id AND p.id = a.actor_id "
    "WHERE a.academy_id = ? AND ((a.object_type = 'enrolment' AND a.object_id = ?) "
    "  OR (a.object_type = 'followup' AND a.object_id IN (" UNDER_ENROLMENT(
	"followup") ")) "
		    "  OR (a.object_type = 'bilan' AND a.object_id IN (" UNDER_ENROLMENT(
			"bilan") ")) "
				 "  OR (a.object_type = 'self_assessment' AND a.object_id IN "
				 "(" UNDER_ENROLMENT(
				     "self_assessment") ")) "
							"  OR (a.object_type = "
							"'self_assessment_comment' AND a.object_id "
							"IN ("
							"    SELECT c.id FROM "
							"self_assessment_comment c JOIN "
							"self_assessment sa "
							"    ON sa.academy_id = c.academy_id AND "
							"sa.id = c.assessment_id "
							"    WHERE c.academy_id = a.academy_id AND "
							"sa.enrolment_id = ?)) "
							"  OR (a.object_type = 'document' AND "
							"a.object_id IN ("
							"    SELECT dc.id FROM document dc JOIN "
							"followup f ON f.academy_id = "
							"dc.academy_id "
							"    AND f.id = dc.followup_id WHERE "
							"dc.academy_id = a.academy_id AND "
							"f.enrolment_id = ?))) "
							"ORDER BY a.at DESC, a.id DESC LIMIT ? "
							"OFFSET ?",
    "iiiiiiii",
    DB_COLS("id", "at", "action", "object_type", "object_id", "actor_id", "actor_name", "total")};
#undef UNDER_ENROLMENT

/* ======================================================================
 * Timeline, conversion rules, inputs of the checks
 * ====================================================================== */

const struct db_sql Q_TIMELINE_FOLLOWUPS = {
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
const struct db_sql Q_TIMELINE_ASSESSMENTS = {
    "SELECT id, revision, DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ') FROM self_assessment "
    "WHERE academy_id = ? AND enrolment_id = ? ORDER BY revision DESC",
    "i", DB_COLS("id", "revision", "created_at")};

const struct db_sql Q_RULES = {
    "SELECT parcours, min_mean, note, avis FROM conversion_rule WHERE academy_id = ? "
    "ORDER BY parcours, min_mean",
    "", DB_COLS("parcours", "min_mean", "note", "avis")};
const struct db_sql Q_RULES_DELETE = {
    "DELETE FROM conversion_rule WHERE academy_id = ? AND parcours = ?", "s"};
const struct db_sql Q_RULE_INSERT = {
    "INSERT INTO conversion_rule (academy_id, parcours, min_mean, note, avis) "
    "VALUES (?, ?, ?, ?, ?)",
    "ssss"};

#define CHECK_VISIT_COLUMNS                                                                        \
	"f.kind, f.state, DATE_FORMAT(f.scheduled_at, '%Y-%m-%d'), f.place_id, "                   \
	"f.with_terrain AND f.with_inspe, f.with_inspe, EXISTS (SELECT 1 FROM trace t WHERE "      \
	"t.academy_id = f.academy_id AND t.followup_id = f.id AND t.author = 'trainee' AND "       \
	"t.published_at IS NOT NULL) FROM followup f WHERE f.academy_id = ? "
#define CHECK_VISIT_NAMES                                                                          \
	"kind", "state", "scheduled_on", "place_id", "joint", "with_inspe", "feedback_published"
const struct db_sql Q_CHECK_VISITS = {"SELECT " CHECK_VISIT_COLUMNS
				      "AND f.enrolment_id = ? AND f.state <> 'cancelled' "
				      "ORDER BY f.scheduled_at, f.id",
				      "i", DB_COLS(CHECK_VISIT_NAMES)};

/* The dates of the year the checks compare with (the first term ends on
 * 31 December unless the calendar says otherwise), today, which bilans the
 * enrolment's parcours requires (parcours_bilan) and which are frozen. */
#define CHECK_EVENT(kind_)                                                                         \
	"(SELECT DATE_FORMAT(MIN(ye.starts_on), '%Y-%m-%d') FROM year_event ye WHERE "             \
	"  ye.academy_id = e.academy_id AND ye.year_id = e.year_id AND ye.kind = '" kind_ "'), "
#define CHECK_BILAN(what_, kind_) "EXISTS (SELECT 1 FROM " what_ " AND b.kind = '" kind_ "'), "
#define CHECK_CALENDAR_COLUMNS                                                                     \
	"e.id AS enrolment_id, " CHECK_EVENT("pole_meeting_1") CHECK_EVENT("pole_meeting_2")       \
	    CHECK_EVENT("bilans_due") CHECK_EVENT("visite_conseil_due") "COALESCE(" CHECK_EVENT(   \
		"first_term_end") "  CONCAT(YEAR(y.starts_on), '-12-31')), "                       \
				  "DATE_FORMAT(UTC_DATE(), '%Y-%m-%d'), " CHECK_BILAN(             \
				      "bilan b WHERE b.academy_id = e.academy_id AND "             \
				      "b.enrolment_id = e.id "                                     \
				      "AND b.frozen_at IS NOT NULL",                               \
				      "intermediaire")                                             \
				      CHECK_BILAN(                                                 \
					  "bilan b WHERE b.academy_id = e.academy_id AND "         \
					  "b.enrolment_id = e.id "                                 \
					  "AND b.frozen_at IS NOT NULL",                           \
					  "final") CHECK_BILAN("parcours_bilan b WHERE "           \
							       "b.academy_id = e.academy_id "      \
							       "AND b.parcours = e.parcours",      \
							       "intermediaire")                    \
					  CHECK_BILAN("parcours_bilan b WHERE b.academy_id = "     \
						      "e.academy_id "                              \
						      "AND b.parcours = e.parcours",               \
						      "final") "e.parcours FROM enrolment e JOIN " \
							       "school_year y ON y.academy_id = "  \
							       "e.academy_id AND y.id = "          \
							       "e.year_id WHERE e.academy_id = ? "
#define CHECK_CALENDAR_NAMES                                                                       \
	"enrolment_id", "pole_meeting_1", "pole_meeting_2", "bilans_due", "visite_conseil_due",    \
	    "first_term_end", "today", "intermediaire_frozen", "final_frozen",                     \
	    "intermediaire_required", "final_required", "parcours"
const struct db_sql Q_CHECK_CALENDAR = {"SELECT " CHECK_CALENDAR_COLUMNS "AND e.id = ?", "i",
					DB_COLS(CHECK_CALENDAR_NAMES)};

const struct db_sql Q_PAGE_CHECK_VISITS = {
    "SELECT f.enrolment_id, " CHECK_VISIT_COLUMNS "AND f.enrolment_id " PAGE_IDS
    "AND f.state <> 'cancelled' ORDER BY f.enrolment_id, f.scheduled_at, f.id",
    "s", DB_COLS("enrolment_id", CHECK_VISIT_NAMES)};
const struct db_sql Q_PAGE_CHECK_CALENDAR = {"SELECT " CHECK_CALENDAR_COLUMNS "AND e.id " PAGE_IDS
					     "ORDER BY e.id",
					     "s", DB_COLS(CHECK_CALENDAR_NAMES)};

/* Every statement of this file, for tutoratctl check-sql. */
/* ======================================================================
 * Agenda (tutorat_agenda.c): the home page's list, by role
 * ====================================================================== */

/* The caller's follow-up times of the current year that wait for someone:
 * upcoming ones not held yet, and held ones whose tutors' trace is not
 * published. Trainee through e.trainee_id, tutors through trio_member. */
const struct db_sql Q_AGENDA_FOLLOWUPS = {
    "SELECT f.id, f.kind, f.state, DATE_FORMAT(f.scheduled_at, '%Y-%m-%dT%H:%i:%s') AS at, "
    "f.with_terrain, f.with_inspe, e.id AS enrolment_id, p.id AS trainee_id, "
    "p.display_name AS trainee_name, COALESCE(tm.role, 'trainee') AS relation, "
    "EXISTS (SELECT 1 FROM trace t WHERE t.academy_id = f.academy_id AND t.followup_id = f.id "
    "  AND t.author = 'trainee' AND t.published_at IS NOT NULL) AS feedback_in "
    "FROM enrolment e "
    "JOIN school_year y ON y.academy_id = e.academy_id AND y.id = e.year_id AND y.current "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "JOIN followup f ON f.academy_id = e.academy_id AND f.enrolment_id = e.id "
    "LEFT JOIN trio_member tm ON tm.academy_id = e.academy_id AND tm.enrolment_id = e.id "
    "  AND tm.person_id = ? AND tm.ended_at IS NULL "
    "WHERE e.academy_id = ? AND (e.trainee_id = ? OR tm.id IS NOT NULL) "
    "AND ((f.state IN ('planned', 'prepared') AND f.scheduled_at >= UTC_DATE()) "
    "  OR (f.state IN ('held', 'debriefed') AND NOT EXISTS (SELECT 1 FROM trace t "
    "    WHERE t.academy_id = f.academy_id AND t.followup_id = f.id AND t.author = 'tutors' "
    "    AND t.published_at IS NOT NULL))) "
    "ORDER BY f.scheduled_at, f.id LIMIT 200",
    "iAi",
    DB_COLS("id", "kind", "state", "at", "with_terrain", "with_inspe", "enrolment_id", "trainee_id",
	    "trainee_name", "relation", "feedback_in")};

/* The tutor's trainees of the current year with the calendar's dates, the
 * due date of a bilan already opened (set from the calendar when it was,
 * or since), and what is done: frozen bilans, a visit before pôle meeting
 * N°1. */
const struct db_sql Q_AGENDA_DOSSIERS = {
    "SELECT e.id AS enrolment_id, e.parcours, p.id AS trainee_id, p.display_name AS trainee_name, "
    "(SELECT DATE_FORMAT(MIN(ye.starts_on), '%Y-%m-%d') FROM year_event ye WHERE "
    "  ye.academy_id = e.academy_id AND ye.year_id = e.year_id AND ye.kind = 'pole_meeting_1') "
    "  AS meeting_1, "
    "(SELECT DATE_FORMAT(MIN(ye.starts_on), '%Y-%m-%d') FROM year_event ye WHERE "
    "  ye.academy_id = e.academy_id AND ye.year_id = e.year_id AND ye.kind = 'pole_meeting_2') "
    "  AS meeting_2, "
    "(SELECT DATE_FORMAT(MIN(ye.starts_on), '%Y-%m-%d') FROM year_event ye WHERE "
    "  ye.academy_id = e.academy_id AND ye.year_id = e.year_id AND ye.kind = 'bilans_due') "
    "  AS bilans_due, "
    "DATE_FORMAT(UTC_DATE(), '%Y-%m-%d') AS today, "
    "(SELECT DATE_FORMAT(b.due_on, '%Y-%m-%d') FROM bilan b WHERE b.academy_id = e.academy_id "
    "  AND b.enrolment_id = e.id AND b.kind = 'intermediaire' ORDER BY b.revision DESC LIMIT 1) "
    "  AS intermediaire_due, "
    "(SELECT DATE_FORMAT(b.due_on, '%Y-%m-%d') FROM bilan b WHERE b.academy_id = e.academy_id "
    "  AND b.enrolment_id = e.id AND b.kind = 'final' ORDER BY b.revision DESC LIMIT 1) "
    "  AS final_due, "
    "EXISTS (SELECT 1 FROM bilan b WHERE b.academy_id = e.academy_id AND b.enrolment_id = e.id "
    "  AND b.kind = 'intermediaire' AND b.frozen_at IS NOT NULL) AS intermediaire_frozen, "
    "EXISTS (SELECT 1 FROM bilan b WHERE b.academy_id = e.academy_id AND b.enrolment_id = e.id "
    "  AND b.kind = 'final' AND b.frozen_at IS NOT NULL) AS final_frozen, "
    "EXISTS (SELECT 1 FROM followup f WHERE f.academy_id = e.academy_id AND f.enrolment_id = e.id "
    "  AND f.kind IN ('visit', 'visite_conseil') AND f.state <> 'cancelled' "
    "  AND f.scheduled_at < (SELECT MIN(ye.starts_on) FROM year_event ye WHERE "
    "    ye.academy_id = e.academy_id AND ye.year_id = e.year_id "
    "    AND ye.kind = 'pole_meeting_1')) AS visit_before_1 "
    "FROM trio_member tm "
    "JOIN enrolment e ON e.academy_id = tm.academy_id AND e.id = tm.enrolment_id "
    "JOIN school_year y ON y.academy_id = e.academy_id AND y.id = e.year_id AND y.current "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "WHERE tm.academy_id = ? AND tm.person_id = ? AND tm.ended_at IS NULL "
    "ORDER BY p.display_name, e.id LIMIT 200",
    "i",
    DB_COLS("enrolment_id", "parcours", "trainee_id", "trainee_name", "meeting_1", "meeting_2",
	    "bilans_due", "today", "intermediaire_due", "final_due", "intermediaire_frozen",
	    "final_frozen", "visit_before_1")};

/* The next pôle meeting of the current year, today included. */
const struct db_sql Q_AGENDA_MEETING = {
    "SELECT DATE_FORMAT(ye.starts_on, '%Y-%m-%d') AS starts_on, ye.label FROM year_event ye "
    "JOIN school_year y ON y.academy_id = ye.academy_id AND y.id = ye.year_id AND y.current "
    "WHERE ye.academy_id = ? AND ye.kind IN ('pole_meeting_1', 'pole_meeting_2', "
    "'pole_meeting_3') AND ye.starts_on >= UTC_DATE() ORDER BY ye.starts_on LIMIT 1",
    "", DB_COLS("starts_on", "label")};

/* Enrolments of the current year without a current tutor of one kind. */
/* The current year's bilans past their due date and not frozen (the
 * latest revision of each): what managers chase. */
const struct db_sql Q_AGENDA_BILANS_LATE = {
    "SELECT e.id AS enrolment_id, p.id AS trainee_id, p.display_name AS trainee_name, b.kind, "
    "DATE_FORMAT(b.due_on, '%Y-%m-%d') AS due_on FROM bilan b "
    "JOIN enrolment e ON e.academy_id = b.academy_id AND e.id = b.enrolment_id "
    "JOIN school_year y ON y.academy_id = e.academy_id AND y.id = e.year_id AND y.current "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "WHERE b.academy_id = ? AND b.frozen_at IS NULL AND b.due_on < UTC_DATE() "
    "AND b.revision = (SELECT MAX(b2.revision) FROM bilan b2 WHERE b2.academy_id = b.academy_id "
    "  AND b2.enrolment_id = b.enrolment_id AND b2.kind = b.kind) "
    "ORDER BY b.due_on, e.id LIMIT 200",
    "", DB_COLS("enrolment_id", "trainee_id", "trainee_name", "kind", "due_on")};

const struct db_sql Q_AGENDA_TUTOR_MISSING = {
    "SELECT e.id AS enrolment_id, p.id AS trainee_id, p.display_name AS trainee_name, "
    "DATE_FORMAT(e.created_at, '%Y-%m-%d') AS since, "
    "NOT EXISTS (SELECT 1 FROM trio_member tm WHERE tm.academy_id = e.academy_id "
    "  AND tm.enrolment_id = e.id AND tm.role = 'tuteur_terrain' AND tm.ended_at IS NULL) "
    "  AS no_terrain, "
    "NOT EXISTS (SELECT 1 FROM trio_member tm WHERE tm.academy_id = e.academy_id "
    "  AND tm.enrolment_id = e.id AND tm.role = 'tuteur_inspe' AND tm.ended_at IS NULL) "
    "  AS no_inspe "
    "FROM enrolment e "
    "JOIN school_year y ON y.academy_id = e.academy_id AND y.id = e.year_id AND y.current "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "WHERE e.academy_id = ? HAVING no_terrain OR no_inspe "
    "ORDER BY p.display_name, e.id LIMIT 200",
    "", DB_COLS("enrolment_id", "trainee_id", "trainee_name", "since", "no_terrain", "no_inspe")};

/* ======================================================================
 * The calendar feed (tutorat_feed.c, tutorat_feed_db.c): the person's feed
 * secret, kept as its SHA-256, and what the feed lists. Neither reads a
 * note, an expectation or any other private text.
 * ====================================================================== */

const struct db_sql Q_FEED_OF = {
    "SELECT DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ') AS created_at FROM calendar_feed "
    "WHERE academy_id = ? AND person_id = ?",
    "i", DB_COLS("created_at")};

const struct db_sql Q_FEED_SET = {
    "INSERT INTO calendar_feed (academy_id, person_id, token_hash, created_at) "
    "VALUES (?, ?, ?, NOW(3)) "
    "ON DUPLICATE KEY UPDATE token_hash = VALUES(token_hash), created_at = VALUES(created_at)",
    "ib", NULL};

const struct db_sql Q_FEED_DELETE = {
    "DELETE FROM calendar_feed WHERE academy_id = ? AND person_id = ?", "i", NULL};

/* The active person whose feed secret hashes to the value. */
const struct db_sql Q_FEED_OWNER = {
    "SELECT f.person_id FROM calendar_feed f "
    "JOIN person p ON p.academy_id = f.academy_id AND p.id = f.person_id AND p.active "
    "WHERE f.academy_id = ? AND f.token_hash = ?",
    "b", DB_COLS("person_id")};

/* The follow-up times of the person's dossiers (trainee or current tutor),
 * with the trainee's name and the school of the place, in local time. */
const struct db_sql Q_FEED_FOLLOWUPS = {
    "SELECT f.id, f.kind, f.state, DATE_FORMAT(f.scheduled_at, '%Y%m%dT%H%i%s') AS starts, "
    "DATE_FORMAT(f.scheduled_at + INTERVAL 1 HOUR, '%Y%m%dT%H%i%s') AS ends, "
    "p.display_name AS trainee_name, s.name AS school_name "
    "FROM followup f "
    "JOIN enrolment e ON e.academy_id = f.academy_id AND e.id = f.enrolment_id "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "LEFT JOIN enrolment_place ep ON ep.academy_id = f.academy_id AND ep.id = f.place_id "
    "LEFT JOIN structure s ON s.academy_id = ep.academy_id AND s.id = ep.school_id "
    "WHERE f.academy_id = ? AND f.state <> 'cancelled' AND (e.trainee_id = ? OR EXISTS ("
    "  SELECT 1 FROM trio_member tm WHERE tm.academy_id = e.academy_id "
    "  AND tm.enrolment_id = e.id AND tm.person_id = ? AND tm.ended_at IS NULL)) "
    "ORDER BY f.scheduled_at, f.id LIMIT 1000",
    "ii", DB_COLS("id", "kind", "state", "starts", "ends", "trainee_name", "school_name")};

/* The calendar's dates of the years of the person's dossiers, as all-day
 * events (DTEND is the day after the last one, RFC 5545 §3.6.1). */
const struct db_sql Q_FEED_YEAR_EVENTS = {
    "SELECT ye.id, ye.kind, ye.label, DATE_FORMAT(ye.starts_on, '%Y%m%d') AS starts, "
    "DATE_FORMAT(ye.ends_on + INTERVAL 1 DAY, '%Y%m%d') AS ends "
    "FROM year_event ye WHERE ye.academy_id = ? AND ye.year_id IN ("
    "  SELECT e.year_id FROM enrolment e WHERE e.academy_id = ye.academy_id "
    "  AND (e.trainee_id = ? OR EXISTS (SELECT 1 FROM trio_member tm "
    "    WHERE tm.academy_id = e.academy_id AND tm.enrolment_id = e.id "
    "    AND tm.person_id = ? AND tm.ended_at IS NULL))) "
    "ORDER BY ye.starts_on, ye.id LIMIT 500",
    "ii", DB_COLS("id", "kind", "label", "starts", "ends")};

/* ======================================================================
 * Reminders (tutoratctl remind, tutorat_remind.c): the rules, one finding
 * statement per rule, and the reminder_sent row that makes each reminder
 * go once.
 *
 * A finding statement takes the rule's steps as a JSON array
 * ([{"step": -7, "until": -2}, ...], built from the offsets) and "today",
 * and gives every (object, step, recipient) due, with the enrolment the
 * notification names: a step's day is `step` days after the due date
 * (negative: before), and a step missed (no run that day) is still due
 * until its `until` day. What reminder_sent holds is left out, so a run
 * reads only what it has to send: one statement per rule and académie,
 * at most 2000 rows (the rest at the next run).
 * ====================================================================== */

/* The steps of the rule, as a derived table joined on the due date `due`. */
#define STEPS(due)                                                                                 \
	"JOIN JSON_TABLE(?, '$[*]' COLUMNS (step INT PATH '$.step', until_day INT PATH "            \
	"'$.until')) st ON DATEDIFF(?, " due ") BETWEEN st.step AND st.until_day "
/* Not sent yet for that kind, object, step and recipient. */
#define NOT_SENT(kind, object, recipient)                                                          \
	"AND NOT EXISTS (SELECT 1 FROM reminder_sent rs WHERE rs.academy_id = e.academy_id "        \
	"AND rs.kind = '" kind "' AND rs.object_id = " object " AND rs.step = st.step "            \
	"AND rs.recipient_id = " recipient ") "
/* The current tutors of enrolment e (a replaced one has ended_at), active. */
#define CURRENT_TUTORS                                                                             \
	"JOIN trio_member tm ON tm.academy_id = e.academy_id AND tm.enrolment_id = e.id "           \
	"AND tm.ended_at IS NULL "                                                                 \
	"JOIN person tp ON tp.academy_id = tm.academy_id AND tp.id = tm.person_id AND tp.active "
#define PUBLISHED(author)                                                                          \
	"SELECT 1 FROM trace t WHERE t.academy_id = f.academy_id AND t.followup_id = f.id "         \
	"AND t.author = '" author "' AND t.published_at IS NOT NULL"

const struct db_sql Q_REMIND_RULES = {
    "SELECT kind, offsets, active, DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%sZ') AS updated_at "
    "FROM reminder_rule WHERE academy_id = ? ORDER BY kind",
    "", DB_COLS("kind", "offsets", "active", "updated_at")};

const struct db_sql Q_REMIND_RULE_SET = {
    "UPDATE reminder_rule SET offsets = ?, active = ?, updated_at = NOW(3) "
    "WHERE academy_id = ? AND kind = ?",
    "siAs", NULL};

/* The trainee, after a follow-up time held without their feedback. */
const struct db_sql Q_REMIND_FEEDBACK = {
    "SELECT f.id AS object_id, st.step, e.trainee_id AS recipient_id, "
    "p.display_name AS subject, f.id AS link_id, e.id AS enrolment_id "
    "FROM followup f " STEPS("DATE(f.scheduled_at)")
    "JOIN enrolment e ON e.academy_id = f.academy_id AND e.id = f.enrolment_id "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id AND p.active "
    "WHERE f.academy_id = ? AND f.state IN ('held', 'debriefed') "
    "AND NOT EXISTS (" PUBLISHED("trainee") ") "
    NOT_SENT("tutorat.feedback_missing", "f.id", "e.trainee_id")
    "ORDER BY f.id, st.step LIMIT 2000",
    "ssA", DB_COLS("object_id", "step", "recipient_id", "subject", "link_id", "enrolment_id")};

/* The current tutors, after a follow-up time without their published trace. */
const struct db_sql Q_REMIND_TRACE = {
    "SELECT f.id AS object_id, st.step, tm.person_id AS recipient_id, "
    "p.display_name AS subject, f.id AS link_id, e.id AS enrolment_id "
    "FROM followup f " STEPS("DATE(f.scheduled_at)")
    "JOIN enrolment e ON e.academy_id = f.academy_id AND e.id = f.enrolment_id "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    CURRENT_TUTORS
    "WHERE f.academy_id = ? AND f.state IN ('held', 'debriefed') "
    "AND NOT EXISTS (" PUBLISHED("tutors") ") "
    NOT_SENT("tutorat.trace_missing", "f.id", "tm.person_id")
    "ORDER BY f.id, st.step, tm.person_id LIMIT 2000",
    "ssA", DB_COLS("object_id", "step", "recipient_id", "subject", "link_id", "enrolment_id")};

/* The current tutors, around the calendar's « bilans de fin de parcours »
 * of the enrolment's year, while a bilan its parcours requires
 * (parcours_bilan) is not validated. */
const struct db_sql Q_REMIND_BILANS = {
    "SELECT DISTINCT e.id AS object_id, st.step, tm.person_id AS recipient_id, "
    "p.display_name AS subject, e.id AS link_id, e.id AS enrolment_id "
    "FROM year_event ye " STEPS("ye.starts_on")
    "JOIN enrolment e ON e.academy_id = ye.academy_id AND e.year_id = ye.year_id "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    CURRENT_TUTORS
    "WHERE ye.academy_id = ? AND ye.kind = 'bilans_due' "
    "AND EXISTS (SELECT 1 FROM parcours_bilan pb WHERE pb.academy_id = e.academy_id "
    "  AND pb.parcours = e.parcours AND NOT EXISTS (SELECT 1 FROM bilan b "
    "    WHERE b.academy_id = e.academy_id AND b.enrolment_id = e.id AND b.kind = pb.kind "
    "    AND b.frozen_at IS NOT NULL)) "
    NOT_SENT("tutorat.bilan_due", "e.id", "tm.person_id")
    "ORDER BY e.id, st.step, tm.person_id LIMIT 2000",
    "ssA", DB_COLS("object_id", "step", "recipient_id", "subject", "link_id", "enrolment_id")};

/* Before a pôle meeting (N°1 to N°3): the pilots of the pôle and the IEN
 * of its trainees (PILOT_SCOPES without the IA-IPR), for every pôle with a
 * trainee that year. The notification names one enrolment the recipient
 * pilots (the smallest id), so that it is re-checked as a pilot's. */
const struct db_sql Q_REMIND_POLE_MEETING = {
    "SELECT ye.id AS object_id, st.step, ra.person_id AS recipient_id, "
    "ye.label AS subject, ye.id AS link_id, MIN(e.id) AS enrolment_id "
    "FROM year_event ye " STEPS("ye.starts_on")
    "JOIN enrolment e ON e.academy_id = ye.academy_id AND e.year_id = ye.year_id "
    "JOIN role_assignment ra ON ra.academy_id = e.academy_id AND ("
    "  (ra.role IN ('pilote_pole', 'ien') AND ra.scope_kind = 'pole' AND ra.scope_id = e.pole_id) "
    "  OR (ra.role = 'ien' AND ra.scope_kind = 'academy' AND ra.source = 'local') "
    "  OR (ra.role = 'ien' AND ra.scope_kind = 'circonscription' AND ra.scope_id IN ("
    "    SELECT s.parent_id FROM enrolment_place ep JOIN structure s ON s.academy_id = "
    "    ep.academy_id AND s.id = ep.school_id WHERE ep.academy_id = e.academy_id "
    "    AND ep.enrolment_id = e.id))) "
    "JOIN person rp ON rp.academy_id = ra.academy_id AND rp.id = ra.person_id AND rp.active "
    "WHERE ye.academy_id = ? AND ye.kind IN ('pole_meeting_1', 'pole_meeting_2', "
    "'pole_meeting_3') "
    NOT_SENT("tutorat.pole_meeting", "ye.id", "ra.person_id")
    "GROUP BY ye.id, st.step, ra.person_id, ye.label "
    "ORDER BY ye.id, st.step, ra.person_id LIMIT 2000",
    "ssA", DB_COLS("object_id", "step", "recipient_id", "subject", "link_id", "enrolment_id")};

/* The row that makes a reminder go once: INSERT IGNORE, 0 rows when
 * another run (or process) has sent it. */
const struct db_sql Q_REMIND_SENT = {
    "INSERT IGNORE INTO reminder_sent (academy_id, kind, object_id, step, recipient_id, sent_at) "
    "VALUES (?, ?, ?, ?, ?, NOW(3))",
    "siii", NULL};

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
    &Q_ENROLMENTS_FINGERPRINT,
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
    &Q_ENROLMENT_BUMP,
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
    &Q_FOLLOWUP_SLOT,
    &Q_FOLLOWUP_WHEN,
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
    &Q_DOC_QUOTA,
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
    &Q_RESULTS,
    &Q_HISTORY,
    &Q_TIMELINE_FOLLOWUPS,
    &Q_TIMELINE_ASSESSMENTS,
    &Q_RULES,
    &Q_RULES_DELETE,
    &Q_RULE_INSERT,
    &Q_CHECK_VISITS,
    &Q_CHECK_CALENDAR,
    &Q_PAGE_CHECK_VISITS,
    &Q_PAGE_CHECK_CALENDAR,
    &Q_AGENDA_FOLLOWUPS,
    &Q_AGENDA_DOSSIERS,
    &Q_AGENDA_MEETING,
    &Q_AGENDA_BILANS_LATE,
    &Q_AGENDA_TUTOR_MISSING,
    &Q_NOTIFY_RELATIONS,
    &Q_NOTIFY_TRIO,
    &Q_NOTIFY_DISAGREEMENT,
    &Q_FEED_OF,
    &Q_FEED_SET,
    &Q_FEED_DELETE,
    &Q_FEED_OWNER,
    &Q_FEED_FOLLOWUPS,
    &Q_FEED_YEAR_EVENTS,
    &Q_REMIND_RULES,
    &Q_REMIND_RULE_SET,
    &Q_REMIND_FEEDBACK,
    &Q_REMIND_TRACE,
    &Q_REMIND_BILANS,
    &Q_REMIND_POLE_MEETING,
    &Q_REMIND_SENT,
    NULL,
};
