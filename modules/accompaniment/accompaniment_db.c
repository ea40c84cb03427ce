/*
 * The SQL of the accompaniment module and its data functions: every
 * statement is declared here with its signature and columns, and listed in
 * acc_statements[] for tutoratctl check-sql.
 *
 * Who is an actor of an enrolment is read from the annuaire at request
 * time (docs/accompaniment.md, "Audience"): L2_SCOPES and L3_SCOPES are the
 * scoped role rules on role_assignment ra for enrolment e. The resolver,
 * the list, the notifications' re-check and the actors shown all use them:
 * a change to one is a change to all.
 */
#include <stdlib.h>
#include <string.h>

#include "accompaniment.h"
#include "accompaniment_db.h"
#include "arena.h"
#include "db.h"
#include "notify.h"
#include "req.h"
#include "util.h"

/* The schools of the enrolment's places, their circonscriptions, and the
 * départements of those and of its pôle. */
#define SCHOOLS_OF_E                                                                               \
	"SELECT ep.school_id FROM enrolment_place ep WHERE ep.academy_id = e.academy_id "          \
	"AND ep.enrolment_id = e.id"
#define CIRCS_OF_E                                                                                 \
	"SELECT s.parent_id FROM enrolment_place ep JOIN structure s ON s.academy_id = "           \
	"ep.academy_id AND s.id = ep.school_id WHERE ep.academy_id = e.academy_id "                \
	"AND ep.enrolment_id = e.id"
#define DEPTS_OF_E                                                                                 \
	"SELECT c.parent_id FROM enrolment_place ep JOIN structure s ON s.academy_id = "           \
	"ep.academy_id AND s.id = ep.school_id JOIN structure c ON c.academy_id = s.academy_id "   \
	"AND c.id = s.parent_id WHERE ep.academy_id = e.academy_id AND ep.enrolment_id = e.id "    \
	"UNION SELECT po.parent_id FROM structure po WHERE po.academy_id = e.academy_id "          \
	"AND po.id = e.pole_id"

/* Level 2: the site's responsable, the head of one of its schools, the
 * département's chargé de mission formation, the pôle's pilot and référent
 * Inspé, the responsable de parcours of its discipline (or one an admin gave
 * the whole académie). Roles mapped from LDAP groups carry the académie
 * scope and mean no more than the role: they make no one an actor. */
#define L2_SCOPES                                                                                  \
	"(ra.role = 'responsable_site' AND ra.scope_kind = 'inspe_site' "                          \
	"  AND ra.scope_id = e.inspe_site_id) "                                                    \
	"OR (ra.role = 'chef_etablissement' AND ra.scope_kind = 'school' "                         \
	"  AND ra.scope_id IN (" SCHOOLS_OF_E ")) "                                                \
	"OR (ra.role = 'charge_mission_formation' AND ra.scope_kind = 'departement' "              \
	"  AND ra.scope_id IN (" DEPTS_OF_E ")) "                                                  \
	"OR (ra.role IN ('pilote_pole', 'referent_inspe') AND ra.scope_kind = 'pole' "             \
	"  AND ra.scope_id = e.pole_id) "                                                          \
	"OR (ra.role = 'responsable_parcours' AND ((ra.scope_kind = 'discipline' "                 \
	"  AND ra.scope_id = e.discipline_id) OR (ra.scope_kind = 'academy' "                      \
	"  AND ra.source = 'local'))) "
/* Level 3: the direction of the INSPÉ (the académie's), the inspector: the
 * IEN of a circonscription of its schools or of its pôle (or one given the
 * académie by an admin), the IA-IPR of its discipline. */
#define L3_SCOPES                                                                                  \
	"ra.role = 'direction_inspe' "                                                             \
	"OR (ra.role = 'ien' AND ((ra.scope_kind = 'circonscription' "                             \
	"  AND ra.scope_id IN (" CIRCS_OF_E ")) OR (ra.scope_kind = 'pole' "                       \
	"  AND ra.scope_id = e.pole_id) OR (ra.scope_kind = 'academy' AND ra.source = 'local'))) " \
	"OR (ra.role = 'ia_ipr' AND ra.scope_kind = 'discipline' "                                 \
	"  AND ra.scope_id = e.discipline_id) "

/* The caller's class for enrolment e: four placeholders, the person. */
#define CLASS_COLS                                                                                 \
	"e.trainee_id, e.trainee_id = ? AS trainee, "                                              \
	"(SELECT tm.role FROM trio_member tm WHERE tm.academy_id = e.academy_id "                  \
	"  AND tm.enrolment_id = e.id AND tm.person_id = ? AND tm.ended_at IS NULL LIMIT 1) "      \
	"  AS trio_role, "                                                                         \
	"EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = e.academy_id "             \
	"  AND ra.person_id = ? AND (" L2_SCOPES ")) AS actor2, "                                  \
	"EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = e.academy_id "             \
	"  AND ra.person_id = ? AND (" L3_SCOPES ")) AS actor3 "
#define CLASS_NAMES "trainee_id", "trainee", "trio_role", "actor2", "actor3"

#define ISO_TIME(col) "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"
#define ISO_DATE(col) "DATE_FORMAT(" col ", '%Y-%m-%d')"
#define PAGE_IDS      "IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) j) "

static const struct db_sql Q_CASE_CTX = {
    "SELECT c.id, c.enrolment_id, c.level, c.closed_at IS NOT NULL AS closed, c.version, "
    "(SELECT l.id FROM acc_level l WHERE l.academy_id = c.academy_id AND l.case_id = c.id "
    "  AND l.closed_at IS NULL LIMIT 1) AS level_id, " CLASS_COLS
    "FROM acc_case c JOIN enrolment e ON e.academy_id = c.academy_id AND e.id = c.enrolment_id "
    "WHERE c.academy_id = ? AND c.id = ?",
    "iiiiAi", DB_COLS("id", "enrolment_id", "level", "closed", "version", "level_id", CLASS_NAMES)};
static const struct db_sql Q_ENROLMENT_CLASS = {
    "SELECT e.id, (SELECT c.id FROM acc_case c WHERE c.academy_id = e.academy_id "
    "  AND c.enrolment_id = e.id AND c.closed_at IS NULL LIMIT 1) AS open_case_id, " CLASS_COLS
    "FROM enrolment e WHERE e.academy_id = ? AND e.id = ?",
    "iiiiAi", DB_COLS("id", "open_case_id", CLASS_NAMES)};
static const struct db_sql Q_RELATIONS_OF = {
    "SELECT c.id, c.level, " CLASS_COLS
    "FROM acc_case c JOIN enrolment e ON e.academy_id = c.academy_id AND e.id = c.enrolment_id "
    "WHERE c.academy_id = ? AND c.id " PAGE_IDS,
    "iiiiAs", DB_COLS("id", "level", CLASS_NAMES)};

static const struct db_sql Q_CASE_INSERT = {
    "INSERT INTO acc_case (academy_id, id, enrolment_id, level, opened_at, opened_by, version) "
    "VALUES (?, ?, ?, ?, NOW(3), ?, 1)",
    "iiii"};
static const struct db_sql Q_LEVEL_INSERT = {
    "INSERT INTO acc_level (academy_id, id, case_id, level, starts_on, ends_on, opened_at, "
    "opened_by, reason) VALUES (?, ?, ?, ?, COALESCE(?, CURDATE()), "
    "COALESCE(?, COALESCE(?, CURDATE()) + INTERVAL 6 WEEK), NOW(3), ?, ?)",
    "iiisssis"};
static const struct db_sql Q_LEVEL_CLOSE = {
    "UPDATE acc_level SET closed_at = NOW(3), closed_by = ?, outcome = ?, bilan = ? "
    "WHERE academy_id = ? AND case_id = ? AND closed_at IS NULL",
    "issAi"};
static const struct db_sql Q_CASE_SET_LEVEL = {
    "UPDATE acc_case SET level = ?, version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ? AND closed_at IS NULL",
    "iAii"};
static const struct db_sql Q_CASE_CLOSE = {
    "UPDATE acc_case SET closed_at = NOW(3), closed_by = ?, version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ? AND closed_at IS NULL",
    "iAii"};
static const struct db_sql Q_CASE_VERSION = {
    "SELECT version FROM acc_case WHERE academy_id = ? AND id = ?", "i", DB_COLS("version")};

/* Renewal (acc_open_for_renewal): the enrolment flagged and without an
 * open case. */
static const struct db_sql Q_RENEWAL_DUE = {
    "SELECT e.id FROM enrolment e WHERE e.academy_id = ? AND e.id = ? AND e.renouvellement "
    "AND NOT EXISTS (SELECT 1 FROM acc_case c WHERE c.academy_id = e.academy_id "
    "  AND c.enrolment_id = e.id AND c.closed_at IS NULL)",
    "i", DB_COLS("id")};

static const struct db_sql Q_TUTORS = {
    "SELECT tm.person_id, tm.role, p.display_name FROM trio_member tm JOIN person p "
    "ON p.academy_id = tm.academy_id AND p.id = tm.person_id "
    "WHERE tm.academy_id = ? AND tm.enrolment_id = ? AND tm.ended_at IS NULL ORDER BY tm.role",
    "i", DB_COLS("person_id", "role", "display_name")};
static const struct db_sql Q_AGREEMENTS = {
    "SELECT a.id, a.level_id, a.person_id, p.display_name, a.as_role, " ISO_TIME(
	"a.agreed_at") " AS agreed_at FROM acc_agreement a JOIN person p ON p.academy_id = "
		       "a.academy_id "
		       "AND p.id = a.person_id WHERE a.academy_id = ? AND a.case_id = ? "
		       "ORDER BY a.agreed_at, a.id",
    "i", DB_COLS("id", "level_id", "person_id", "display_name", "as_role", "agreed_at")};
static const struct db_sql Q_AGREEMENT_INSERT = {
    "INSERT INTO acc_agreement (academy_id, id, case_id, level_id, person_id, as_role, "
    "agreed_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3))",
    "iiiis"};

static const struct db_sql Q_ENTRY_INSERT = {
    "INSERT INTO acc_entry (academy_id, id, case_id, level, kind, happened_on, body, "
    "corrects_id, author_id, written_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3))",
    "iiissszi"};
static const struct db_sql Q_ENTRY_VISIBLE = {
    "SELECT 1 AS found FROM acc_entry WHERE academy_id = ? AND id = ? AND case_id = ? "
    "AND level >= ?",
    "iii", DB_COLS("found")};
/* The entries the reader may read: those written at their lowest level or
 * above (docs/accompaniment.md, "Entries after a level goes down"). */
static const struct db_sql Q_ENTRIES = {
    "SELECT en.id, en.level, en.kind, " ISO_DATE(
	"en.happened_on") " AS happened_on, en.body, en.corrects_id, en.author_id, p.display_name "
			  "AS author_name, "
			  "" ISO_TIME(
			      "en.written_at") " AS written_at FROM acc_entry en JOIN person p "
					       "ON p.academy_id = en.academy_id AND p.id = "
					       "en.author_id "
					       "WHERE en.academy_id = ? AND en.case_id = ? AND "
					       "en.level >= ? "
					       "ORDER BY en.happened_on, en.written_at, en.id",
    "ii",
    DB_COLS("id", "level", "kind", "happened_on", "body", "corrects_id", "author_id", "author_name",
	    "written_at")};

static const struct db_sql Q_LEVELS = {
    "SELECT l.id, l.level, " ISO_DATE("l.starts_on") " AS starts_on, " ISO_DATE(
	"l.ends_on") " AS ends_on, " ISO_TIME("l.opened_at") " AS opened_at, l.opened_by, "
							     "po.display_name AS opened_by_name, "
							     "l.reason, " ISO_TIME(
								 "l.closed_at") " AS closed_at, "
										"l.closed_by, "
										"pc.display_name "
										"AS "
										"closed_by_name, "
										"l.outcome, "
										"l.bilan FROM "
										"acc_level l "
										"JOIN person po ON "
										"po.academy_id = "
										"l.academy_id AND "
										"po.id = "
										"l.opened_by "
										"LEFT JOIN person "
										"pc ON "
										"pc.academy_id = "
										"l.academy_id AND "
										"pc.id = "
										"l.closed_by "
										"WHERE "
										"l.academy_id = ? "
										"AND l.case_id = ? "
										"ORDER BY "
										"l.opened_at, l.id",
    "i",
    DB_COLS("id", "level", "starts_on", "ends_on", "opened_at", "opened_by", "opened_by_name",
	    "reason", "closed_at", "closed_by", "closed_by_name", "outcome", "bilan")};

static const struct db_sql Q_CASE_HEAD = {
    "SELECT c.id, c.level, c.version, " ISO_TIME("c.opened_at") " AS opened_at, " ISO_TIME(
	"c.closed_at") " AS closed_at, c.enrolment_id, e.trainee_id, "
		       "tp.display_name AS trainee_name, y.label AS year_label, e.degre, "
		       "e.parcours, "
		       "e.renouvellement, e.inspe_hours, po.name AS pole_name, si.name AS "
		       "site_name, "
		       "di.name AS discipline_name, (SELECT GROUP_CONCAT(s.name ORDER BY s.name "
		       "  SEPARATOR ' ; ') FROM enrolment_place ep JOIN structure s "
		       "  ON s.academy_id = ep.academy_id AND s.id = ep.school_id "
		       "  WHERE ep.academy_id = e.academy_id AND ep.enrolment_id = e.id) AS "
		       "schools "
		       "FROM acc_case c JOIN enrolment e ON e.academy_id = c.academy_id "
		       "AND e.id = c.enrolment_id "
		       "JOIN person tp ON tp.academy_id = e.academy_id AND tp.id = e.trainee_id "
		       "JOIN school_year y ON y.academy_id = e.academy_id AND y.id = e.year_id "
		       "LEFT JOIN structure po ON po.academy_id = e.academy_id AND po.id = "
		       "e.pole_id "
		       "LEFT JOIN structure si ON si.academy_id = e.academy_id "
		       "AND si.id = e.inspe_site_id "
		       "LEFT JOIN structure di ON di.academy_id = e.academy_id "
		       "AND di.id = e.discipline_id WHERE c.academy_id = ? AND c.id = ?",
    "i",
    DB_COLS("id", "level", "version", "opened_at", "closed_at", "enrolment_id", "trainee_id",
	    "trainee_name", "year_label", "degre", "parcours", "renouvellement", "inspe_hours",
	    "pole_name", "site_name", "discipline_name", "schools")};

/* The actors of enrolment ? at level ? (their lowest level at most), each
 * with the role that makes them one. */
static const struct db_sql Q_ACTORS = {
    "SELECT x.person_id, x.display_name, x.role, x.min_level FROM ("
    "SELECT e.trainee_id AS person_id, p.display_name, 'stagiaire' AS role, 1 AS min_level "
    "FROM enrolment e JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "WHERE e.academy_id = ? AND e.id = ? "
    "UNION ALL SELECT tm.person_id, p.display_name, tm.role, 1 FROM trio_member tm "
    "JOIN person p ON p.academy_id = tm.academy_id AND p.id = tm.person_id "
    "WHERE tm.academy_id = ? AND tm.enrolment_id = ? AND tm.ended_at IS NULL "
    "UNION SELECT ra.person_id, p.display_name, ra.role, 2 FROM enrolment e "
    "JOIN role_assignment ra ON ra.academy_id = e.academy_id "
    "JOIN person p ON p.academy_id = ra.academy_id AND p.id = ra.person_id AND p.active "
    "WHERE e.academy_id = ? AND e.id = ? AND (" L2_SCOPES ") "
    "UNION SELECT ra.person_id, p.display_name, ra.role, 3 FROM enrolment e "
    "JOIN role_assignment ra ON ra.academy_id = e.academy_id "
    "JOIN person p ON p.academy_id = ra.academy_id AND p.id = ra.person_id AND p.active "
    "WHERE e.academy_id = ? AND e.id = ? AND (" L3_SCOPES ")) x "
    "WHERE x.min_level <= ? ORDER BY x.min_level, x.role, x.display_name, x.person_id",
    "AiAiAiAii", DB_COLS("person_id", "display_name", "role", "min_level")};

/* The shares in force, each element read live from the trio's tables. */
#define SHARE_ACTIVE                                                                               \
	"s.revokes_id IS NULL AND NOT EXISTS (SELECT 1 FROM acc_share x "                          \
	"  WHERE x.academy_id = s.academy_id AND x.revokes_id = s.id) "
static const struct db_sql Q_SHARES = {
    "SELECT s.id, s.element, s.element_id, s.person_id, p.display_name AS shared_by_name, "
    "" ISO_TIME("s.done_at") " AS shared_at, f.kind AS followup_kind, " ISO_TIME(
	"COALESCE(f.scheduled_at, tf.scheduled_at, df.scheduled_at)") " AS scheduled_at, "
								      "f.analyses, f.remediations, "
								      "f.action_paths, "
								      "f.points_appui, "
								      "f.axes_evolution, t.body AS "
								      "trace_body, "
								      "d.filename, d.content_type, "
								      "d.size_bytes FROM acc_share "
								      "s "
								      "JOIN person p ON "
								      "p.academy_id = s.academy_id "
								      "AND p.id = s.person_id "
								      "LEFT JOIN followup f ON "
								      "s.element = 'followup' AND "
								      "f.academy_id = s.academy_id "
								      "  AND f.id = s.element_id "
								      "LEFT JOIN trace t ON "
								      "s.element = 'trace' AND "
								      "t.academy_id = s.academy_id "
								      "  AND t.id = s.element_id "
								      "LEFT JOIN followup tf ON "
								      "tf.academy_id = "
								      "t.academy_id AND tf.id = "
								      "t.followup_id "
								      "LEFT JOIN document d ON "
								      "s.element = 'document' AND "
								      "d.academy_id = s.academy_id "
								      "  AND d.id = s.element_id "
								      "LEFT JOIN followup df ON "
								      "df.academy_id = "
								      "d.academy_id AND df.id = "
								      "d.followup_id "
								      "WHERE s.academy_id = ? AND "
								      "s.case_id = ? "
								      "AND " SHARE_ACTIVE
								      "ORDER BY s.done_at, s.id",
    "i",
    DB_COLS("id", "element", "element_id", "person_id", "shared_by_name", "shared_at",
	    "followup_kind", "scheduled_at", "analyses", "remediations", "action_paths",
	    "points_appui", "axes_evolution", "trace_body", "filename", "content_type",
	    "size_bytes")};
static const struct db_sql Q_SHARE_FIND = {
    "SELECT s.id FROM acc_share s WHERE s.academy_id = ? AND s.case_id = ? AND s.element = ? "
    "AND s.element_id = ? AND " SHARE_ACTIVE,
    "isi", DB_COLS("id")};
static const struct db_sql Q_SHARE_GET = {
    "SELECT s.element, s.element_id FROM acc_share s WHERE s.academy_id = ? AND s.id = ? "
    "AND s.case_id = ? AND " SHARE_ACTIVE,
    "ii", DB_COLS("element", "element_id")};
static const struct db_sql Q_SHARE_CASE = {
    "SELECT case_id FROM acc_share WHERE academy_id = ? AND id = ? AND revokes_id IS NULL", "i",
    DB_COLS("case_id")};
static const struct db_sql Q_SHARE_INSERT = {
    "INSERT INTO acc_share (academy_id, id, case_id, element, element_id, revokes_id, "
    "person_id, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, NOW(3))",
    "iisizi"};
/* The enrolment of an element of the trio's traces: a follow-up time, the
 * tutors' published trace of one, a document. */
static const struct db_sql Q_ELEMENT_ENROLMENT = {
    "SELECT f.enrolment_id FROM followup f WHERE f.academy_id = ? AND ? = 'followup' "
    "AND f.id = ? "
    "UNION ALL SELECT f.enrolment_id FROM trace t JOIN followup f "
    "ON f.academy_id = t.academy_id AND f.id = t.followup_id WHERE t.academy_id = ? "
    "AND ? = 'trace' AND t.id = ? AND t.author = 'tutors' AND t.published_at IS NOT NULL "
    "UNION ALL SELECT f.enrolment_id FROM document d JOIN followup f "
    "ON f.academy_id = d.academy_id AND f.id = d.followup_id WHERE d.academy_id = ? "
    "AND ? = 'document' AND d.id = ?",
    "AsiAsiAsi", DB_COLS("enrolment_id")};

static const struct db_sql Q_READ_INSERT = {
    "INSERT INTO acc_read (academy_id, id, case_id, person_id, what, level, read_at) "
    "VALUES (?, ?, ?, ?, ?, ?, NOW(3))",
    "iiisi"};
static const struct db_sql Q_READS = {
    "SELECT r.id, r.person_id, p.display_name, r.what, r.level, " ISO_TIME(
	"r.read_at") " AS read_at, COUNT(*) OVER () AS total FROM acc_read r JOIN person p "
		     "ON p.academy_id = r.academy_id AND p.id = r.person_id "
		     "WHERE r.academy_id = ? AND r.case_id = ? ORDER BY r.read_at DESC, r.id DESC "
		     "LIMIT ? OFFSET ?",
    "iii", DB_COLS("id", "person_id", "display_name", "what", "level", "read_at", "total")};

/* The cases the caller is an actor of, with their level and period:
 * status only, never content. */
static const struct db_sql Q_CASE_LIST = {
    "SELECT c.id, c.level, c.enrolment_id, " ISO_TIME("c.opened_at") " AS opened_at, " ISO_TIME(
	"c.closed_at") " AS closed_at, tp.display_name AS trainee_name, y.label AS year_label, "
		       "(SELECT " ISO_DATE(
			   "l.ends_on") " FROM acc_level l WHERE l.academy_id = "
					"c.academy_id AND l.case_id = c.id "
					"ORDER BY l.opened_at DESC, l.id DESC LIMIT 1) "
					"AS ends_on, COUNT(*) OVER () AS total "
					"FROM acc_case c JOIN enrolment e ON e.academy_id = "
					"c.academy_id AND e.id = c.enrolment_id "
					"JOIN person tp ON tp.academy_id = e.academy_id AND tp.id "
					"= e.trainee_id "
					"JOIN school_year y ON y.academy_id = e.academy_id AND "
					"y.id = e.year_id "
					"WHERE c.academy_id = ? AND (? IS NULL OR (? = 'open') = "
					"(c.closed_at IS NULL)) "
					"AND (e.trainee_id = ? OR EXISTS (SELECT 1 FROM "
					"trio_member tm WHERE tm.academy_id = "
					"  e.academy_id AND tm.enrolment_id = e.id AND "
					"tm.person_id = ? AND tm.ended_at IS NULL) "
					"OR (c.level >= 2 AND EXISTS (SELECT 1 FROM "
					"role_assignment ra WHERE ra.academy_id = "
					"  e.academy_id AND ra.person_id = ? AND (" L2_SCOPES "))) "
					"OR (c.level = 3 AND EXISTS (SELECT 1 FROM role_assignment "
					"ra WHERE ra.academy_id = "
					"  e.academy_id AND ra.person_id = ? AND (" L3_SCOPES
					")))) "
					"ORDER BY c.closed_at IS NOT NULL, c.level DESC, "
					"tp.display_name, c.id LIMIT ? OFFSET ?",
    "ssiiiiii",
    DB_COLS("id", "level", "enrolment_id", "opened_at", "closed_at", "trainee_name", "year_label",
	    "ends_on", "total")};

const struct db_sql *const acc_statements[] = {&Q_CASE_CTX,
					       &Q_ENROLMENT_CLASS,
					       &Q_RELATIONS_OF,
					       &Q_CASE_INSERT,
					       &Q_LEVEL_INSERT,
					       &Q_LEVEL_CLOSE,
					       &Q_CASE_SET_LEVEL,
					       &Q_CASE_CLOSE,
					       &Q_CASE_VERSION,
					       &Q_RENEWAL_DUE,
					       &Q_TUTORS,
					       &Q_AGREEMENTS,
					       &Q_AGREEMENT_INSERT,
					       &Q_ENTRY_INSERT,
					       &Q_ENTRY_VISIBLE,
					       &Q_ENTRIES,
					       &Q_LEVELS,
					       &Q_CASE_HEAD,
					       &Q_ACTORS,
					       &Q_SHARES,
					       &Q_SHARE_FIND,
					       &Q_SHARE_GET,
					       &Q_SHARE_CASE,
					       &Q_SHARE_INSERT,
					       &Q_ELEMENT_ENROLMENT,
					       &Q_READ_INSERT,
					       &Q_READS,
					       &Q_CASE_LIST,
					       NULL};

/* The class columns of row i into c, and the relations at c->level. */
static void read_class(const struct db_res *res, size_t i, struct acc_ctx *c)
{
	c->trainee_id = db_int(res, i, "trainee_id");
	c->trainee = db_bool(res, i, "trainee");
	c->trio_role = db_str(res, i, "trio_role");
	c->actor2 = db_bool(res, i, "actor2");
	c->actor3 = db_bool(res, i, "actor3");
	c->min_level = c->trainee || c->trio_role != NULL ? 1 : c->actor2 ? 2 : 3;
}

enum err accdb_case_ctx(struct req *r, int64_t case_id, struct acc_ctx *c)
{
	int64_t me = r->who.person_id;
	struct db_res res;
	enum err e = db_one(r, &Q_CASE_CTX, &res, me, me, me, me, case_id);

	if (e != ERR_OK)
		return e;
	c->case_id = db_int(&res, 0, "id");
	c->enrolment_id = db_int(&res, 0, "enrolment_id");
	c->level = (int)db_int(&res, 0, "level");
	c->closed = db_bool(&res, 0, "closed");
	c->version = db_int(&res, 0, "version");
	c->level_id = db_int(&res, 0, "level_id");
	read_class(&res, 0, c);
	c->rel = acc_relations_at(c->level, c->trainee, c->trio_role != NULL, c->actor2, c->actor3);
	return ERR_OK;
}

enum err accdb_enrolment_ctx(struct req *r, int64_t enrolment_id, struct acc_ctx *c)
{
	int64_t me = r->who.person_id;
	struct db_res res;
	enum err e = db_one(r, &Q_ENROLMENT_CLASS, &res, me, me, me, me, enrolment_id);

	if (e != ERR_OK)
		return e;
	c->enrolment_id = db_int(&res, 0, "id");
	c->open_case_id = db_int(&res, 0, "open_case_id");
	read_class(&res, 0, c);
	/* Whoever could be an actor at some level: the opening decides the
	 * level, the handler whether this caller may open it. */
	c->rel = acc_relations_at(3, c->trainee, c->trio_role != NULL, c->actor2, c->actor3);
	return ERR_OK;
}

enum err accdb_relations_of(struct req *r, const int64_t *ids, size_t n, unsigned *rel)
{
	int64_t me = r->who.person_id;
	struct db_res res;
	const char *text;
	enum err e;

	text = notify_ids_json(r, ids, n);
	if (text == NULL)
		return ERR_INTERNAL; /* the request failed: no memory */
	e = db_rows(r, &Q_RELATIONS_OF, &res, me, me, me, me, text);
	if (e != ERR_OK)
		return e;
	for (size_t row = 0; row < res.n_rows; row++) {
		struct acc_ctx c = {0};

		read_class(&res, row, &c);
		for (size_t i = 0; i < n; i++)
			if (ids[i] == db_int(&res, row, "id"))
				rel[i] =
				    acc_relations_at((int)db_int(&res, row, "level"), c.trainee,
						     c.trio_role != NULL, c.actor2, c.actor3);
	}
	return ERR_OK;
}

/* A new period of the case at p->level: from today unless said, until
 * six weeks later unless said (a renewal's level 1). */
static enum err level_insert(struct req *r, int64_t case_id, const struct acc_period *p)
{
	enum err e = db_run(r, &Q_LEVEL_INSERT, NULL, random_id(), case_id, (int64_t)p->level,
			    p->starts_on, p->ends_on, p->starts_on, r->who.person_id, p->text);

	if (e == ERR_REFERENCE)
		return fail(r, ERR_INVALID_FIELD, "ends_on",
			    "La fin prévue de la période suit son début.");
	return e;
}

enum err accdb_case_open(struct req *r, int64_t enrolment_id, const struct acc_period *p,
			 int64_t *case_id)
{
	enum err e;

	*case_id = random_id();
	e = db_run(r, &Q_CASE_INSERT, NULL, *case_id, enrolment_id, (int64_t)p->level,
		   r->who.person_id);
	if (e == ERR_DUPLICATE)
		return fail(r, ERR_CONFLICT, "id",
			    "Un dossier d’accompagnement est déjà ouvert pour ce stagiaire.");
	return e == ERR_OK ? level_insert(r, *case_id, p) : e;
}

enum err accdb_case_move(struct req *r, const struct acc_ctx *c, int64_t version,
			 const char *outcome, const char *bilan, const struct acc_period *p)
{
	enum err e = db_run(r, &Q_LEVEL_CLOSE, NULL, r->who.person_id, outcome, bilan, c->case_id);

	if (e != ERR_OK)
		return e;
	if (p == NULL)
		return db_update_versioned(r, &Q_CASE_CLOSE, &Q_CASE_VERSION, c->case_id,
					   r->who.person_id, c->case_id, version);
	e = db_update_versioned(r, &Q_CASE_SET_LEVEL, &Q_CASE_VERSION, c->case_id,
				(int64_t)p->level, c->case_id, version);
	return e == ERR_OK ? level_insert(r, c->case_id, p) : e;
}

enum err accdb_agreements_complete(struct req *r, const struct acc_ctx *c, bool *complete,
				   const char **missing)
{
	struct db_res tutors, agreed;
	bool actor = false;
	const char *gap = "";
	enum err e = db_rows(r, &Q_TUTORS, &tutors, c->enrolment_id);

	if (e == ERR_OK)
		e = db_rows(r, &Q_AGREEMENTS, &agreed, c->case_id);
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < agreed.n_rows; i++)
		if (db_int(&agreed, i, "level_id") == c->level_id &&
		    strcmp(db_str(&agreed, i, "as_role"), "actor") == 0)
			actor = true;
	for (size_t t = 0; t < tutors.n_rows; t++) {
		bool found = false;

		for (size_t i = 0; i < agreed.n_rows; i++)
			if (db_int(&agreed, i, "level_id") == c->level_id &&
			    db_int(&agreed, i, "person_id") == db_int(&tutors, t, "person_id"))
				found = true;
		if (!found)
			gap = arena_printf(r->arena, "%s%s%s (%s)", gap, *gap ? ", " : "",
					   strcmp(db_str(&tutors, t, "role"), "tuteur_terrain") == 0
					       ? "le tuteur terrain"
					       : "le tuteur Inspé",
					   db_str(&tutors, t, "display_name"));
	}
	if (tutors.n_rows < 2)
		gap = arena_printf(r->arena, "%s%sles deux tuteurs du trio", gap, *gap ? ", " : "");
	if (!actor)
		gap = arena_printf(r->arena, "%s%sun acteur du niveau 2 hors du trio", gap,
				   *gap ? ", " : "");
	*complete = *gap == '\0';
	*missing = gap;
	return ERR_OK;
}

enum err accdb_agreement_add(struct req *r, const struct acc_ctx *c, const char *as_role,
			     int64_t *id)
{
	enum err e;

	*id = random_id();
	e = db_run(r, &Q_AGREEMENT_INSERT, NULL, *id, c->case_id, c->level_id, r->who.person_id,
		   as_role);
	if (e == ERR_DUPLICATE)
		return fail(r, ERR_CONFLICT, "agreement",
			    "Votre accord est déjà enregistré pour cette période.");
	return e;
}

enum err accdb_entry_add(struct req *r, const struct acc_ctx *c, const char *kind,
			 const char *happened_on, const char *body, int64_t corrects_id,
			 int64_t *id)
{
	*id = random_id();
	return db_run(r, &Q_ENTRY_INSERT, NULL, *id, c->case_id, (int64_t)c->level, kind,
		      happened_on, body, corrects_id, r->who.person_id);
}

enum err accdb_entry_visible(struct req *r, const struct acc_ctx *c, int64_t entry_id, bool *found)
{
	return db_exists(r, &Q_ENTRY_VISIBLE, found, entry_id, c->case_id, (int64_t)c->min_level);
}

enum err accdb_element_enrolment(struct req *r, const char *element, int64_t element_id,
				 int64_t *enrolment_id)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_ELEMENT_ENROLMENT, &res, element, element_id, element,
			     element_id, element, element_id);

	if (e != ERR_OK)
		return e;
	if (res.n_rows == 0)
		return ERR_NOT_FOUND;
	*enrolment_id = db_int(&res, 0, "enrolment_id");
	return ERR_OK;
}

enum err accdb_share_case(struct req *r, int64_t share_id, int64_t *case_id)
{
	struct db_res res;
	enum err e = db_one(r, &Q_SHARE_CASE, &res, share_id);

	if (e == ERR_OK)
		*case_id = db_int(&res, 0, "case_id");
	return e;
}

enum err accdb_share_add(struct req *r, const struct acc_ctx *c, const char *element,
			 int64_t element_id, int64_t *id)
{
	bool found = false;
	enum err e = db_exists(r, &Q_SHARE_FIND, &found, c->case_id, element, element_id);

	if (e != ERR_OK)
		return e;
	if (found)
		return fail(r, ERR_CONFLICT, "element_id", "Cet élément est déjà partagé.");
	*id = random_id();
	return db_run(r, &Q_SHARE_INSERT, NULL, *id, c->case_id, element, element_id, (int64_t)0,
		      r->who.person_id);
}

enum err accdb_share_revoke(struct req *r, const struct acc_ctx *c, int64_t share_id, int64_t *id)
{
	struct db_res res;
	enum err e = db_one(r, &Q_SHARE_GET, &res, share_id, c->case_id);

	if (e != ERR_OK)
		return e; /* ERR_NOT_FOUND unrecorded: the caller says why */
	*id = random_id();
	e = db_run(r, &Q_SHARE_INSERT, NULL, *id, c->case_id, db_str(&res, 0, "element"),
		   db_int(&res, 0, "element_id"), share_id, r->who.person_id);
	if (e == ERR_DUPLICATE)
		return ERR_NOT_FOUND; /* revoked meanwhile */
	return e;
}

enum err accdb_read_log(struct req *r, const struct acc_ctx *c, const char *what)
{
	return db_run(r, &Q_READ_INSERT, NULL, random_id(), c->case_id, r->who.person_id, what,
		      (int64_t)c->level);
}

/* A column as a JSON string, or null. */
static json_t *jcol(const struct db_res *res, size_t i, const char *col)
{
	return JSTR(db_str(res, i, col));
}

/* A column holding an id, or null. */
static json_t *jid(const struct db_res *res, size_t i, const char *col)
{
	return db_isnull(res, i, col) ? json_null() : json_integer(db_int(res, i, col));
}

static json_t *actors_json(const struct db_res *res)
{
	json_t *a = json_array();

	for (size_t i = 0; i < res->n_rows; i++)
		json_array_append_new(a, json_pack("{s:I, s:o, s:o, s:I}", "person_id",
						   (json_int_t)db_int(res, i, "person_id"), "name",
						   jcol(res, i, "display_name"), "role",
						   jcol(res, i, "role"), "level",
						   (json_int_t)db_int(res, i, "min_level")));
	return a;
}

static json_t *levels_json(const struct db_res *res, int min_level)
{
	json_t *a = json_array();

	for (size_t i = 0; i < res->n_rows; i++) {
		/* The texts of a period follow the entries' rule. */
		bool readable = db_int(res, i, "level") >= min_level;

		json_array_append_new(
		    a, json_pack("{s:I, s:I, s:o, s:o, s:o, s:{s:I, s:o}, s:o, s:o, s:o, s:o, s:o}",
				 "id", (json_int_t)db_int(res, i, "id"), "level",
				 (json_int_t)db_int(res, i, "level"), "starts_on",
				 jcol(res, i, "starts_on"), "ends_on", jcol(res, i, "ends_on"),
				 "opened_at", jcol(res, i, "opened_at"), "opened_by", "id",
				 (json_int_t)db_int(res, i, "opened_by"), "name",
				 jcol(res, i, "opened_by_name"), "reason",
				 readable ? jcol(res, i, "reason") : json_null(), "closed_at",
				 jcol(res, i, "closed_at"), "closed_by",
				 db_isnull(res, i, "closed_by")
				     ? json_null()
				     : json_pack("{s:I, s:o}", "id",
						 (json_int_t)db_int(res, i, "closed_by"), "name",
						 jcol(res, i, "closed_by_name")),
				 "outcome", jcol(res, i, "outcome"), "bilan",
				 readable ? jcol(res, i, "bilan") : json_null()));
	}
	return a;
}

static json_t *entries_json(const struct db_res *res)
{
	json_t *a = json_array();

	for (size_t i = 0; i < res->n_rows; i++)
		json_array_append_new(
		    a, json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:{s:I, s:o}, s:o}", "id",
				 (json_int_t)db_int(res, i, "id"), "level",
				 (json_int_t)db_int(res, i, "level"), "kind", jcol(res, i, "kind"),
				 "happened_on", jcol(res, i, "happened_on"), "body",
				 jcol(res, i, "body"), "corrects_id", jid(res, i, "corrects_id"),
				 "author", "id", (json_int_t)db_int(res, i, "author_id"), "name",
				 jcol(res, i, "author_name"), "written_at",
				 jcol(res, i, "written_at")));
	return a;
}

static json_t *shares_json(const struct db_res *res)
{
	json_t *a = json_array();

	for (size_t i = 0; i < res->n_rows; i++) {
		const char *el = db_str(res, i, "element");
		json_t *content;

		if (strcmp(el, "followup") == 0)
			content = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "kind",
					    jcol(res, i, "followup_kind"), "analyses",
					    jcol(res, i, "analyses"), "remediations",
					    jcol(res, i, "remediations"), "action_paths",
					    jcol(res, i, "action_paths"), "points_appui",
					    jcol(res, i, "points_appui"), "axes_evolution",
					    jcol(res, i, "axes_evolution"));
		else if (strcmp(el, "trace") == 0)
			content = json_pack("{s:o}", "body", jcol(res, i, "trace_body"));
		else
			content = json_pack("{s:o, s:o, s:I}", "filename", jcol(res, i, "filename"),
					    "content_type", jcol(res, i, "content_type"),
					    "size_bytes", (json_int_t)db_int(res, i, "size_bytes"));
		json_array_append_new(
		    a, json_pack("{s:I, s:s, s:I, s:{s:I, s:o}, s:o, s:o, s:o}", "id",
				 (json_int_t)db_int(res, i, "id"), "element", el, "element_id",
				 (json_int_t)db_int(res, i, "element_id"), "shared_by", "id",
				 (json_int_t)db_int(res, i, "person_id"), "name",
				 jcol(res, i, "shared_by_name"), "shared_at",
				 jcol(res, i, "shared_at"), "scheduled_at",
				 jcol(res, i, "scheduled_at"), "content", content));
	}
	return a;
}

/* The agreements of the current level-2 period (others are history). */
static json_t *agreements_json(const struct db_res *res, int64_t level_id)
{
	json_t *a = json_array();

	for (size_t i = 0; i < res->n_rows; i++)
		json_array_append_new(
		    a, json_pack("{s:I, s:I, s:b, s:{s:I, s:o}, s:o, s:o}", "id",
				 (json_int_t)db_int(res, i, "id"), "level_id",
				 (json_int_t)db_int(res, i, "level_id"), "current",
				 level_id != 0 && db_int(res, i, "level_id") == level_id, "person",
				 "id", (json_int_t)db_int(res, i, "person_id"), "name",
				 jcol(res, i, "display_name"), "as_role", jcol(res, i, "as_role"),
				 "agreed_at", jcol(res, i, "agreed_at")));
	return a;
}

static json_t *relations_json(unsigned rel)
{
	json_t *a = json_array();

	for (size_t b = 0; acc_relation_names[b] != NULL; b++)
		if (rel & (1u << b))
			json_array_append_new(a, json_string(acc_relation_names[b]));
	return a;
}

enum err accdb_case_json(struct req *r, const struct acc_ctx *c, json_t **out)
{
	struct db_res head, levels, entries, actors, shares, agreed;
	bool complete = false;
	const char *missing = "";
	json_t *o;
	enum err e = db_one(r, &Q_CASE_HEAD, &head, c->case_id);

	if (e == ERR_OK)
		e = db_rows(r, &Q_LEVELS, &levels, c->case_id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_ENTRIES, &entries, c->case_id, (int64_t)c->min_level);
	if (e == ERR_OK)
		e = db_rows(r, &Q_ACTORS, &actors, c->enrolment_id, c->enrolment_id,
			    c->enrolment_id, c->enrolment_id, (int64_t)c->level);
	if (e == ERR_OK)
		e = db_rows(r, &Q_SHARES, &shares, c->case_id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_AGREEMENTS, &agreed, c->case_id);
	if (e == ERR_OK && c->level == 2 && !c->closed)
		e = accdb_agreements_complete(r, c, &complete, &missing);
	if (e != ERR_OK)
		return e;
	o = json_pack(
	    "{s:I, s:I, s:I, s:s, s:o, s:o, s:{s:I, s:I, s:{s:I, s:o}, s:o, s:I, s:o, s:b, s:f, "
	    "s:o, s:o, s:o, s:o}, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:b, s:o}}",
	    "id", (json_int_t)c->case_id, "level", (json_int_t)c->level, "version",
	    (json_int_t)db_int(&head, 0, "version"), "state", c->closed ? "closed" : "open",
	    "opened_at", jcol(&head, 0, "opened_at"), "closed_at", jcol(&head, 0, "closed_at"),
	    "enrolment", "id", (json_int_t)c->enrolment_id, "degre",
	    (json_int_t)db_int(&head, 0, "degre"), "trainee", "id",
	    (json_int_t)db_int(&head, 0, "trainee_id"), "name", jcol(&head, 0, "trainee_name"),
	    "year", jcol(&head, 0, "year_label"), "year_start",
	    (json_int_t)strtoll(db_str(&head, 0, "year_label"), NULL, 10), "parcours",
	    jcol(&head, 0, "parcours"), "renouvellement", db_bool(&head, 0, "renouvellement"),
	    "inspe_hours", strtod(db_str(&head, 0, "inspe_hours"), NULL), "pole",
	    jcol(&head, 0, "pole_name"), "site", jcol(&head, 0, "site_name"), "discipline",
	    jcol(&head, 0, "discipline_name"), "schools", jcol(&head, 0, "schools"), "relations",
	    relations_json(c->rel), "levels", levels_json(&levels, c->min_level), "actors",
	    actors_json(&actors), "entries", entries_json(&entries), "shares", shares_json(&shares),
	    "agreements", agreements_json(&agreed, c->level_id), "raise", "possible", complete,
	    "missing", c->level == 2 && !c->closed ? json_string(missing) : json_null());
	if (o == NULL)
		return fail_internal(r, ERR_INTERNAL, "case JSON");
	*out = o;
	return ERR_OK;
}

enum err accdb_case_list(struct req *r, const char *state, int64_t limit, int64_t offset,
			 json_t **out)
{
	int64_t me = r->who.person_id;
	struct db_res res;
	json_t *items;
	enum err e = db_rows(r, &Q_CASE_LIST, &res, state, state, me, me, me, me, limit, offset);

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:I, s:s, s:{s:I}, s:o, s:o, s:o, s:o, s:o}", "id",
			      (json_int_t)db_int(&res, i, "id"), "level",
			      (json_int_t)db_int(&res, i, "level"), "state",
			      db_isnull(&res, i, "closed_at") ? "open" : "closed", "enrolment",
			      "id", (json_int_t)db_int(&res, i, "enrolment_id"), "trainee_name",
			      jcol(&res, i, "trainee_name"), "year", jcol(&res, i, "year_label"),
			      "opened_at", jcol(&res, i, "opened_at"), "closed_at",
			      jcol(&res, i, "closed_at"), "ends_on", jcol(&res, i, "ends_on")));
	*out =
	    json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)db_total(&res),
		      "limit", (json_int_t)limit, "offset", (json_int_t)offset);
	return *out != NULL ? ERR_OK : fail_internal(r, ERR_INTERNAL, "list JSON");
}

enum err accdb_reads_json(struct req *r, const struct acc_ctx *c, int64_t limit, int64_t offset,
			  json_t **out)
{
	struct db_res res;
	json_t *items;
	enum err e = db_rows(r, &Q_READS, &res, c->case_id, limit, offset);

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(
		    items, json_pack("{s:I, s:{s:I, s:o}, s:o, s:I, s:o}", "id",
				     (json_int_t)db_int(&res, i, "id"), "person", "id",
				     (json_int_t)db_int(&res, i, "person_id"), "name",
				     jcol(&res, i, "display_name"), "what", jcol(&res, i, "what"),
				     "level", (json_int_t)db_int(&res, i, "level"), "read_at",
				     jcol(&res, i, "read_at")));
	*out =
	    json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)db_total(&res),
		      "limit", (json_int_t)limit, "offset", (json_int_t)offset);
	return *out != NULL ? ERR_OK : fail_internal(r, ERR_INTERNAL, "reads JSON");
}

enum err accdb_actors_at(struct req *r, int64_t enrolment_id, int level, int64_t **ids, size_t *n)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_ACTORS, &res, enrolment_id, enrolment_id, enrolment_id,
			     enrolment_id, (int64_t)level);

	if (e != ERR_OK)
		return e;
	*ids = arena_alloc(r->arena, (res.n_rows + 1) * sizeof(**ids));
	if (*ids == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	*n = 0;
	for (size_t i = 0; i < res.n_rows; i++)
		(*ids)[(*n)++] = db_int(&res, i, "person_id");
	return ERR_OK;
}

enum err accdb_renewal_due(struct req *r, int64_t enrolment_id, bool *due)
{
	return db_exists(r, &Q_RENEWAL_DUE, due, enrolment_id);
}
