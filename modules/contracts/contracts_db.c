/*
 * The contracts module's statements and data functions: the relations of
 * a caller to contracts, the frame of an annex (header and parties
 * resolved from the enrolment, its trio and the annuaire), versions and
 * their canonical content, signatures, points de situation, bilans, and
 * the JSON of the answers (each in a bounded number of statements).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "contracts.h"
#include "db.h"
#include "notify.h"
#include "req.h"
#include "tutorat.h"
#include "util.h"

/* The pilots of enrolment e on role_assignment ra: the tutorat module's rule. */
#define PILOT_SCOPES TUTORAT_PILOT_SCOPES

/* The relations of person ? to contract c (enrolment e): trainee, named
 * by the current version (the trainee aside), pilot. */
#define RELATIONS                                                                                  \
	"SELECT c.id, c.enrolment_id, c.annex, e.trainee_id, e.trainee_id = ? AS trainee, "        \
	"EXISTS (SELECT 1 FROM contract_version v JOIN contract_party cp "                          \
	"  ON cp.academy_id = v.academy_id AND cp.version_id = v.id "                              \
	"  WHERE v.academy_id = c.academy_id AND v.contract_id = c.id "                            \
	"  AND v.superseded_at IS NULL AND cp.person_id = ? AND cp.role <> 'trainee') AS party, "   \
	"EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = e.academy_id "             \
	"  AND ra.person_id = ? AND (" PILOT_SCOPES ")) AS pilot "                                 \
	"FROM contract c JOIN enrolment e ON e.academy_id = c.academy_id AND e.id = c.enrolment_id "
#define RELATION_COLS DB_COLS("id", "enrolment_id", "annex", "trainee_id", "trainee", "party", "pilot")

static const struct db_sql Q_RELATIONS = {RELATIONS "WHERE c.academy_id = ? AND c.id = ?", "iiiAi",
					  RELATION_COLS};
static const struct db_sql Q_RELATIONS_MANY = {
    RELATIONS "WHERE c.academy_id = ? AND c.id IN "
	      "(SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) j)",
    "iiiAs", RELATION_COLS};
static const struct db_sql Q_VERSION_OWNER = {
    "SELECT contract_id FROM contract_version WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("contract_id")};

/* The frame of an annex. */
static const struct db_sql Q_FRAME_ENROLMENT = {
    "SELECT e.degre, e.parcours, e.trainee_id, p.display_name AS trainee_name, y.current, "
    "d.name AS discipline, po.name AS pole, dep.name AS department, "
    "EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = e.academy_id "
    "  AND ra.person_id = ? AND (" PILOT_SCOPES ")) AS pilot "
    "FROM enrolment e JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "JOIN school_year y ON y.academy_id = e.academy_id AND y.id = e.year_id "
    "LEFT JOIN structure d ON d.academy_id = e.academy_id AND d.id = e.discipline_id "
    "LEFT JOIN structure po ON po.academy_id = e.academy_id AND po.id = e.pole_id "
    "LEFT JOIN structure dep ON dep.academy_id = po.academy_id AND dep.id = po.parent_id "
    "WHERE e.academy_id = ? AND e.id = ?",
    "iAi",
    DB_COLS("degre", "parcours", "trainee_id", "trainee_name", "current", "discipline", "pole",
	    "department", "pilot")};
static const struct db_sql Q_FRAME_PLACE = {
    "SELECT s.name AS school, c.name AS circonscription, dep.name AS department "
    "FROM enrolment_place ep JOIN structure s ON s.academy_id = ep.academy_id AND s.id = ep.school_id "
    "LEFT JOIN structure c ON c.academy_id = s.academy_id AND c.id = s.parent_id "
    "  AND c.kind = 'circonscription' "
    "LEFT JOIN structure dep ON dep.academy_id = c.academy_id AND dep.id = c.parent_id "
    "WHERE ep.academy_id = ? AND ep.enrolment_id = ? ORDER BY ep.id LIMIT 1",
    "i", DB_COLS("school", "circonscription", "department")};
/* The people who may hold each place of the annexes, by kind, the first
 * of each kind (by name) taken. */
#define FRAME_PERSON(kind)                                                                         \
	"SELECT '" kind "' AS kind, p.id, p.display_name FROM role_assignment ra "                 \
	"JOIN person p ON p.academy_id = ra.academy_id AND p.id = ra.person_id AND p.active "      \
	"JOIN enrolment e ON e.academy_id = ra.academy_id AND e.id = ? WHERE ra.academy_id = ? "
static const struct db_sql Q_FRAME_PEOPLE = {
    "SELECT tm.role AS kind, p.id, p.display_name FROM trio_member tm "
    "JOIN person p ON p.academy_id = tm.academy_id AND p.id = tm.person_id "
    "WHERE tm.academy_id = ? AND tm.enrolment_id = ? AND tm.ended_at IS NULL "
    "UNION ALL " FRAME_PERSON("ien") "AND ra.role = 'ien' AND ra.scope_kind = 'circonscription' "
    "AND ra.scope_id IN (SELECT s.parent_id FROM enrolment_place ep JOIN structure s "
    "  ON s.academy_id = ep.academy_id AND s.id = ep.school_id "
    "  WHERE ep.academy_id = e.academy_id AND ep.enrolment_id = e.id) "
    "UNION ALL " FRAME_PERSON("ien_pole") "AND ra.role = 'ien' AND ra.scope_kind = 'pole' "
    "AND ra.scope_id = e.pole_id "
    "UNION ALL " FRAME_PERSON("ia_ipr") "AND ra.role = 'ia_ipr' AND ra.scope_kind = 'discipline' "
    "AND ra.scope_id = e.discipline_id "
    "UNION ALL " FRAME_PERSON("chef_etablissement") "AND ra.role = 'chef_etablissement' "
    "AND ra.scope_kind = 'school' AND ra.scope_id IN (SELECT ep.school_id FROM enrolment_place ep "
    "  WHERE ep.academy_id = e.academy_id AND ep.enrolment_id = e.id) "
    "UNION ALL " FRAME_PERSON("responsable_parcours") "AND ra.role = 'responsable_parcours' "
    "AND (ra.scope_kind = 'academy' OR (ra.scope_kind = 'discipline' "
    "  AND ra.scope_id = e.discipline_id)) "
    "ORDER BY kind, display_name, id",
    "AiiAiAiAiAiA", DB_COLS("kind", "id", "display_name")};

/* Writes. */
static const struct db_sql Q_CONTRACT_INSERT = {
    "INSERT INTO contract (academy_id, id, enrolment_id, annex, opened_by, opened_at) "
    "VALUES (?, ?, ?, ?, ?, NOW(3))",
    "iiii"};
static const struct db_sql Q_CONTRACT_LOCK = {
    "SELECT id, (SELECT COALESCE(MAX(v.number), 0) FROM contract_version v "
    "  WHERE v.academy_id = c.academy_id AND v.contract_id = c.id) AS last "
    "FROM contract c WHERE c.academy_id = ? AND c.id = ? FOR UPDATE",
    "i", DB_COLS("id", "last")};
static const struct db_sql Q_VERSION_INSERT = {
    "INSERT INTO contract_version (academy_id, id, contract_id, number, content, content_sha256, "
    "created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, NOW(3), ?, NOW(3))",
    "iiissii"};
static const struct db_sql Q_VERSION_SUPERSEDE = {
    "UPDATE contract_version SET superseded_at = NOW(3) WHERE academy_id = ? AND contract_id = ? "
    "AND superseded_at IS NULL",
    "i"};
static const struct db_sql Q_PARTY_INSERT = {
    "INSERT INTO contract_party (academy_id, id, version_id, role, position, person_id) "
    "VALUES (?, ?, ?, ?, ?, ?)",
    "iisii"};
static const struct db_sql Q_VERSION_FOR_EDIT = {
    "SELECT v.contract_id, v.content, v.superseded_at IS NULL AS current, "
    "(SELECT COUNT(*) FROM contract_signature s WHERE s.academy_id = v.academy_id "
    "  AND s.version_id = v.id) AS signatures FROM contract_version v "
    "WHERE v.academy_id = ? AND v.id = ? FOR UPDATE",
    "i", DB_COLS("contract_id", "content", "current", "signatures")};
static const struct db_sql Q_VERSION_UPDATE = {
    "UPDATE contract_version SET content = ?, content_sha256 = ?, updated_by = ?, "
    "updated_at = NOW(3), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ?",
    "ssiAii"};
static const struct db_sql Q_VERSION_EXISTS = {
    "SELECT version FROM contract_version WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("version")};
#define VERSION_STATE                                                                              \
	"SELECT v.contract_id, v.version, v.superseded_at IS NULL AS current, v.content_sha256, "  \
	"EXISTS (SELECT 1 FROM contract_party cp WHERE cp.academy_id = v.academy_id "             \
	"  AND cp.version_id = v.id AND cp.person_id = ?) AS party, "                              \
	"EXISTS (SELECT 1 FROM contract_signature s WHERE s.academy_id = v.academy_id "            \
	"  AND s.version_id = v.id AND s.person_id = ?) AS signed_by_me, "                         \
	"(SELECT COUNT(DISTINCT cp.person_id) FROM contract_party cp "                             \
	"  WHERE cp.academy_id = v.academy_id AND cp.version_id = v.id) AS parties, "              \
	"(SELECT COUNT(*) FROM contract_signature s WHERE s.academy_id = v.academy_id "            \
	"  AND s.version_id = v.id) AS signatures "                                                \
	"FROM contract_version v WHERE v.academy_id = ? AND v.id = ?"
#define VERSION_STATE_COLS                                                                         \
	DB_COLS("contract_id", "version", "current", "content_sha256", "party", "signed_by_me",    \
		"parties", "signatures")
static const struct db_sql Q_VERSION_STATE = {VERSION_STATE, "iiAi", VERSION_STATE_COLS};
static const struct db_sql Q_VERSION_STATE_LOCK = {VERSION_STATE " FOR UPDATE", "iiAi",
						   VERSION_STATE_COLS};
static const struct db_sql Q_SIGNATURE_INSERT = {
    "INSERT INTO contract_signature (academy_id, id, version_id, person_id, signed_at, "
    "content_sha256) VALUES (?, ?, ?, ?, NOW(3), ?)",
    "iiis"};
static const struct db_sql Q_PARTIES_NOW = {
    "SELECT cp.person_id, cp.role, p.display_name FROM contract_version v "
    "JOIN contract_party cp ON cp.academy_id = v.academy_id AND cp.version_id = v.id "
    "JOIN person p ON p.academy_id = cp.academy_id AND p.id = cp.person_id "
    "WHERE v.academy_id = ? AND v.contract_id = ? AND v.superseded_at IS NULL "
    "ORDER BY cp.position",
    "i", DB_COLS("person_id", "role", "display_name")};
static const struct db_sql Q_CELLULE = {
    "SELECT DISTINCT ra.person_id FROM role_assignment ra JOIN person p "
    "ON p.academy_id = ra.academy_id AND p.id = ra.person_id AND p.active "
    "WHERE ra.academy_id = ? AND ra.role = 'bureau_stages' ORDER BY ra.person_id LIMIT 50",
    "", DB_COLS("person_id")};
static const struct db_sql Q_PILOTS = {
    "SELECT DISTINCT ra.person_id FROM enrolment e JOIN role_assignment ra "
    "ON ra.academy_id = e.academy_id WHERE e.academy_id = ? AND e.id = ? "
    "AND ra.role IN ('pilote_pole', 'ien', 'ia_ipr') AND (" PILOT_SCOPES ") "
    "ORDER BY ra.person_id LIMIT 50",
    "i", DB_COLS("person_id")};
static const struct db_sql Q_POINT_INSERT = {
    "INSERT INTO contract_point (academy_id, id, contract_id, held_on, body, author_id, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3))",
    "iissi"};
static const struct db_sql Q_BILAN_INSERT = {
    "INSERT INTO contract_bilan (academy_id, id, contract_id, revision, held_on, outcomes, "
    "decision, author_id, created_at) SELECT ?, ?, ?, COALESCE(MAX(b.revision), 0) + 1, ?, ?, ?, "
    "?, NOW(3) FROM contract_bilan b WHERE b.academy_id = ? AND b.contract_id = ?",
    "AiisssiAi"};

/* The answers. */
static const struct db_sql Q_CONTRACT_ONE = {
    "SELECT c.id, c.enrolment_id, c.annex, c.opened_at, o.display_name AS opened_by, "
    "e.trainee_id, p.display_name AS trainee_name, y.label AS year "
    "FROM contract c JOIN enrolment e ON e.academy_id = c.academy_id AND e.id = c.enrolment_id "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "JOIN person o ON o.academy_id = c.academy_id AND o.id = c.opened_by "
    "JOIN school_year y ON y.academy_id = e.academy_id AND y.id = e.year_id "
    "WHERE c.academy_id = ? AND c.id = ?",
    "i",
    DB_COLS("id", "enrolment_id", "annex", "opened_at", "opened_by", "trainee_id", "trainee_name",
	    "year")};
static const struct db_sql Q_VERSIONS = {
    "SELECT v.id, v.number, v.content, v.content_sha256, v.created_at, "
    "cb.display_name AS created_by, v.updated_at, v.superseded_at, v.version "
    "FROM contract_version v JOIN person cb ON cb.academy_id = v.academy_id AND cb.id = v.created_by "
    "WHERE v.academy_id = ? AND v.contract_id = ? ORDER BY v.number DESC LIMIT 100",
    "i",
    DB_COLS("id", "number", "content", "content_sha256", "created_at", "created_by", "updated_at",
	    "superseded_at", "version")};
static const struct db_sql Q_PARTIES_ALL = {
    "SELECT cp.version_id, cp.role, cp.person_id, p.display_name, s.signed_at, "
    "s.content_sha256 FROM contract_version v "
    "JOIN contract_party cp ON cp.academy_id = v.academy_id AND cp.version_id = v.id "
    "JOIN person p ON p.academy_id = cp.academy_id AND p.id = cp.person_id "
    "LEFT JOIN contract_signature s ON s.academy_id = cp.academy_id "
    "  AND s.version_id = cp.version_id AND s.person_id = cp.person_id "
    "WHERE v.academy_id = ? AND v.contract_id = ? ORDER BY v.number DESC, cp.position LIMIT 1000",
    "i", DB_COLS("version_id", "role", "person_id", "display_name", "signed_at", "content_sha256")};
static const struct db_sql Q_POINTS = {
    "SELECT pt.id, pt.held_on, pt.body, a.display_name AS author, pt.created_at "
    "FROM contract_point pt JOIN person a ON a.academy_id = pt.academy_id AND a.id = pt.author_id "
    "WHERE pt.academy_id = ? AND pt.contract_id = ? ORDER BY pt.held_on, pt.created_at LIMIT 500",
    "i", DB_COLS("id", "held_on", "body", "author", "created_at")};
static const struct db_sql Q_BILANS = {
    "SELECT b.id, b.revision, b.held_on, b.outcomes, b.decision, a.display_name AS author, "
    "b.created_at FROM contract_bilan b "
    "JOIN person a ON a.academy_id = b.academy_id AND a.id = b.author_id "
    "WHERE b.academy_id = ? AND b.contract_id = ? ORDER BY b.revision DESC LIMIT 100",
    "i", DB_COLS("id", "revision", "held_on", "outcomes", "decision", "author", "created_at")};
static const struct db_sql Q_LIST = {
    "SELECT c.id, c.annex, c.opened_at, c.enrolment_id, p.display_name AS trainee_name, "
    "v.id AS version_id, v.number, "
    "(SELECT COUNT(DISTINCT cp.person_id) FROM contract_party cp WHERE cp.academy_id = v.academy_id "
    "  AND cp.version_id = v.id) AS parties, "
    "(SELECT COUNT(*) FROM contract_signature s WHERE s.academy_id = v.academy_id "
    "  AND s.version_id = v.id) AS signatures, "
    "(SELECT b.decision FROM contract_bilan b WHERE b.academy_id = c.academy_id "
    "  AND b.contract_id = c.id ORDER BY b.revision DESC LIMIT 1) AS decision "
    "FROM contract c JOIN enrolment e ON e.academy_id = c.academy_id AND e.id = c.enrolment_id "
    "JOIN person p ON p.academy_id = e.academy_id AND p.id = e.trainee_id "
    "JOIN contract_version v ON v.academy_id = c.academy_id AND v.contract_id = c.id "
    "  AND v.superseded_at IS NULL "
    "WHERE c.academy_id = ? AND (e.trainee_id = ? OR ? = 1 "
    "  OR EXISTS (SELECT 1 FROM contract_party cp WHERE cp.academy_id = v.academy_id "
    "    AND cp.version_id = v.id AND cp.person_id = ?) "
    "  OR EXISTS (SELECT 1 FROM role_assignment ra WHERE ra.academy_id = e.academy_id "
    "    AND ra.person_id = ? AND (" PILOT_SCOPES "))) "
    "ORDER BY c.opened_at DESC, c.id LIMIT 200",
    "iiii",
    DB_COLS("id", "annex", "opened_at", "enrolment_id", "trainee_name", "version_id", "number",
	    "parties", "signatures", "decision")};

const struct db_sql *const contracts_statements[] = {
    &Q_RELATIONS,      &Q_RELATIONS_MANY,	&Q_VERSION_OWNER,   &Q_FRAME_ENROLMENT,
    &Q_FRAME_PLACE,    &Q_FRAME_PEOPLE,		&Q_CONTRACT_INSERT, &Q_CONTRACT_LOCK,
    &Q_VERSION_INSERT, &Q_VERSION_SUPERSEDE,	&Q_PARTY_INSERT,    &Q_VERSION_FOR_EDIT,
    &Q_VERSION_UPDATE, &Q_VERSION_EXISTS,	&Q_VERSION_STATE,   &Q_VERSION_STATE_LOCK,
    &Q_SIGNATURE_INSERT, &Q_PARTIES_NOW,	&Q_CELLULE,	    &Q_PILOTS,
    &Q_POINT_INSERT,   &Q_BILAN_INSERT,		&Q_CONTRACT_ONE,    &Q_VERSIONS,
    &Q_PARTIES_ALL,    &Q_POINTS,		&Q_BILANS,	    &Q_LIST,
    NULL,
};

const char *const contract_domain_keys[] = {"ethics",   "classroom",  "safety",
					    "teaching", "development", NULL};
const char *const contract_domain_labels[] = {
    "L’éthique du fonctionnaire",
    "La gestion de classe",
    "La sécurité physique des élèves",
    "La construction, mise en œuvre et animation de situations pédagogiques",
    "L’engagement dans une démarche de développement professionnel",
    NULL,
};

/* ======================================================================
 * Relations
 * ====================================================================== */

static unsigned relations_of_row(const struct req *r, const struct db_res *res, size_t row)
{
	unsigned rel = 0;

	if (db_bool(res, row, "trainee"))
		rel |= CREL_TRAINEE;
	if (db_bool(res, row, "party"))
		rel |= CREL_PARTY;
	if (db_bool(res, row, "pilot"))
		rel |= CREL_PILOT;
	if (r->who.roles & R(BUREAU_STAGES))
		rel |= CREL_CELLULE;
	return rel;
}

enum err contracts_resolve(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
			   void **ctx)
{
	struct contract_ctx *c = arena_zalloc(r->arena, sizeof(*c));
	int64_t pid = r->who.person_id;
	struct db_res res;
	enum err e = ERR_OK;

	(void)wanted;
	if (c == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	if (kind == OBJ_CONTRACT_VERSION) {
		e = db_one(r, &Q_VERSION_OWNER, &res, id);
		if (e != ERR_OK)
			return e;
		id = db_int(&res, 0, "contract_id");
	}
	e = db_one(r, &Q_RELATIONS, &res, pid, pid, pid, id);
	if (e != ERR_OK)
		return e;
	c->id = id;
	c->enrolment_id = db_int(&res, 0, "enrolment_id");
	c->trainee_id = db_int(&res, 0, "trainee_id");
	c->annex = (int)db_int(&res, 0, "annex");
	c->rel = relations_of_row(r, &res, 0);
	*rel = c->rel;
	*ctx = c;
	return ERR_OK;
}

enum err contracts_relations_of(struct req *r, int kind, const int64_t *ids, size_t n,
				unsigned *rel)
{
	int64_t pid = r->who.person_id;
	struct db_res res;
	const char *text;
	enum err e;

	if (kind != OBJ_CONTRACT)
		return ERR_OK; /* items name contracts only */
	text = notify_ids_json(r, ids, n);
	if (text == NULL)
		return ERR_INTERNAL; /* the request failed: no memory */
	e = db_rows(r, &Q_RELATIONS_MANY, &res, pid, pid, pid, text);
	if (e != ERR_OK)
		return e;
	for (size_t row = 0; row < res.n_rows; row++)
		for (size_t i = 0; i < n; i++)
			if (ids[i] == db_int(&res, row, "id"))
				rel[i] = relations_of_row(r, &res, row);
	return ERR_OK;
}

/* ======================================================================
 * The frame of an annex
 * ====================================================================== */

/* Is kind k one of the '|'-separated kinds? */
static bool kind_in(const char *k, const char *kinds)
{
	size_t n = strlen(k);

	for (const char *p = kinds; p != NULL; p = strchr(p, '|'), p = p != NULL ? p + 1 : NULL)
		if (strncmp(p, k, n) == 0 && (p[n] == '\0' || p[n] == '|'))
			return true;
	return false;
}

struct party_place {
	const char *role;  /* contract_party.role */
	const char *label; /* the annex's words */
	const char *kinds; /* Q_FRAME_PEOPLE kinds that may hold it, in order, '|'-separated */
};

static const struct party_place annex2_parties[] = {
    {"ien", "IEN de circonscription", "ien|ien_pole"},
    {"tuteur_dsden", "Tuteur ou tutrice DSDEN", "tuteur_terrain"},
    {"tuteur_universitaire", "Tuteur ou tutrice universitaire", "tuteur_inspe"},
    {"trainee", "Professeur·e des écoles stagiaire", NULL},
    {0},
};
static const struct party_place annex3_parties[] = {
    {"inspecteur", "IA-IPR ou IEN", "ia_ipr|ien|ien_pole"},
    {"chef_etablissement", "Chef·fe d’établissement", "chef_etablissement"},
    {"tuteur_academique", "Tuteur ou tutrice académique", "tuteur_terrain"},
    {"tuteur_inspe", "Tuteur ou tutrice Inspé", "tuteur_inspe"},
    {"responsable_parcours", "Responsable de parcours", "responsable_parcours"},
    {"trainee", "Professeur·e ou CPE stagiaire", NULL},
    {0},
};

/* The first row of `people` whose kind is one of `kinds`, kinds in that
 * order. */
static size_t first_kind(const struct db_res *people, const char *kinds)
{
	while (kinds != NULL && *kinds != '\0') {
		const char *bar = strchr(kinds, '|');
		size_t n = bar != NULL ? (size_t)(bar - kinds) : strlen(kinds);

		for (size_t i = 0; i < people->n_rows; i++) {
			const char *k = db_str(people, i, "kind");

			if (k != NULL && strlen(k) == n && memcmp(k, kinds, n) == 0)
				return i;
		}
		kinds = bar != NULL ? bar + 1 : NULL;
	}
	return SIZE_MAX;
}

/* The row of `people` for a place held by one of `kinds`: the caller's
 * when they hold it (the inspector who opens or revises the parcours is
 * its signatory), else first_kind's. */
static size_t first_of(const struct db_res *people, const char *kinds, int64_t caller)
{
	for (size_t i = 0; i < people->n_rows; i++) {
		const char *k = db_str(people, i, "kind");

		if (db_int(people, i, "id") == caller && k != NULL && kind_in(k, kinds))
			return i;
	}
	return first_kind(people, kinds);
}

static const char *name_of(const struct db_res *people, const char *kinds, int64_t caller)
{
	size_t i = first_of(people, kinds, caller);

	return i == SIZE_MAX ? NULL : db_str(people, i, "display_name");
}

static const char *today(struct req *r)
{
	time_t t = (time_t)now_unix();
	struct tm tm;
	char buf[16];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
	return arena_strdup(r->arena, buf);
}

enum err cdb_frame(struct req *r, int64_t enrolment_id, struct contract_frame *out)
{
	struct db_res en, place, people;
	const struct party_place *places;
	const char *department;
	enum err e = db_one(r, &Q_FRAME_ENROLMENT, &en, r->who.person_id, enrolment_id);

	if (e == ERR_NOT_FOUND || (e == ERR_OK && !db_bool(&en, 0, "pilot")))
		return fail(r, ERR_INVALID_FIELD, "enrolment_id",
			    "Inscription introuvable parmi celles dont vous êtes pilote.");
	if (e != ERR_OK)
		return e;
	if (!db_bool(&en, 0, "current"))
		return fail(r, ERR_INVALID_FIELD, "enrolment_id",
			    "Le parcours d’individualisation porte sur une inscription de l’année "
			    "en cours.");
	e = db_rows(r, &Q_FRAME_PLACE, &place, enrolment_id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_FRAME_PEOPLE, &people, enrolment_id, enrolment_id, enrolment_id,
			    enrolment_id, enrolment_id, enrolment_id);
	if (e != ERR_OK)
		return e;
	out->annex = db_int(&en, 0, "degre") == 1 ? 2 : 3;
	out->trainee_id = db_int(&en, 0, "trainee_id");
	out->trainee_name = db_str(&en, 0, "trainee_name");
	places = out->annex == 2 ? annex2_parties : annex3_parties;
	out->parties = jarena(r, json_array());
	for (const struct party_place *p = places; p->role != NULL; p++) {
		int64_t person = out->trainee_id;
		const char *name = out->trainee_name;

		if (p->kinds != NULL) {
			size_t i = first_of(&people, p->kinds, r->who.person_id);

			if (i == SIZE_MAX)
				return fail(r, ERR_INVALID_FIELD, "enrolment_id",
					    arena_printf(r->arena,
							 "Signataire introuvable pour cette "
							 "inscription : %s.",
							 p->label));
			person = db_int(&people, i, "id");
			name = db_str(&people, i, "display_name");
		}
		json_array_append_new(out->parties,
				      json_pack("{s:s, s:s, s:I, s:s}", "role", p->role, "label",
						p->label, "person_id", (json_int_t)person, "name",
						name));
	}
	department = place.n_rows > 0 && db_str(&place, 0, "department") != NULL
			 ? db_str(&place, 0, "department")
			 : db_str(&en, 0, "department");
	if (out->annex == 2)
		out->header = json_pack(
		    "{s:o, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "department",
		    JSTR(department), "inspector", JSTR(name_of(&people, "ien|ien_pole", r->who.person_id)), "date",
		    today(r), "trainee", out->trainee_name, "parcours", db_str(&en, 0, "parcours"),
		    "field_tutor", JSTR(name_of(&people, "tuteur_terrain", r->who.person_id)), "inspe_tutor",
		    JSTR(name_of(&people, "tuteur_inspe", r->who.person_id)), "circonscription",
		    JSTR(place.n_rows > 0 ? db_str(&place, 0, "circonscription") : NULL), "school",
		    JSTR(place.n_rows > 0 ? db_str(&place, 0, "school") : NULL), "pole",
		    JSTR(db_str(&en, 0, "pole")));
	else
		out->header = json_pack(
		    "{s:o, s:s, s:s, s:o, s:s, s:o, s:o, s:o}", "inspector",
		    JSTR(name_of(&people, "ia_ipr|ien|ien_pole", r->who.person_id)), "date", today(r), "trainee",
		    out->trainee_name, "discipline", JSTR(db_str(&en, 0, "discipline")), "parcours",
		    db_str(&en, 0, "parcours"), "field_tutor", JSTR(name_of(&people, "tuteur_terrain", r->who.person_id)),
		    "inspe_tutor", JSTR(name_of(&people, "tuteur_inspe", r->who.person_id)), "school",
		    JSTR(place.n_rows > 0 ? db_str(&place, 0, "school") : NULL));
	if (jarena(r, out->header) == NULL || out->parties == NULL)
		return fail_internal(r, ERR_INTERNAL, "no memory");
	return ERR_OK;
}

/* ======================================================================
 * Versions
 * ====================================================================== */

/* The five domains in the annex's order, from the validated input (each
 * key at most once; a domain not given is empty). */
static json_t *domains_of(json_t *in)
{
	json_t *out = json_array();

	for (size_t k = 0; k < CONTRACT_DOMAINS; k++) {
		json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:s}", "key", contract_domain_keys[k],
				      "label", contract_domain_labels[k], "situation", "", "needs",
				      "", "support", "");
		size_t i;
		json_t *item;

		json_array_foreach(in, i, item)
		{
			const char *key = json_string_value(json_object_get(item, "key"));

			if (key == NULL || strcmp(key, contract_domain_keys[k]) != 0)
				continue;
			for (const char *const *f = (const char *const[]){"situation", "needs",
									   "support", NULL};
			     *f != NULL; f++) {
				json_t *v = json_object_get(item, *f);

				if (json_is_string(v))
					json_object_set(d, *f, v);
			}
		}
		json_array_append_new(out, d);
	}
	return out;
}

/* The canonical text (sorted keys, compact, UTF-8) and its SHA-256 in hex. */
static enum err canonical(struct req *r, json_t *content, const char **text, char sha[65])
{
	char *s = json_dumps(content, JSON_COMPACT | JSON_SORT_KEYS);
	unsigned char h[32];

	if (s == NULL)
		return fail_internal(r, ERR_INTERNAL, "content not serialisable");
	*text = arena_strdup(r->arena, s);
	free(s);
	if (*text == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	sha256(*text, strlen(*text), h);
	hex_encode(sha, h, sizeof(h));
	sha[64] = '\0';
	return ERR_OK;
}

static enum err version_insert(struct req *r, int64_t id, int number,
			       const struct contract_frame *f, json_t *domains,
			       const char *started_on, int64_t *vid)
{
	const char *text = NULL;
	char sha[65] = {0};
	json_t *content = jarena(r, json_pack("{s:i, s:i, s:O, s:o, s:o, s:O}", "annex", f->annex,
					      "number", number, "header", f->header, "domains",
					      domains_of(domains), "started_on", JSTR(started_on),
					      "parties", f->parties));
	size_t i;
	json_t *p;
	enum err e;

	if (content == NULL)
		return fail_internal(r, ERR_INTERNAL, "no memory");
	e = canonical(r, content, &text, sha);
	*vid = random_id();
	if (e == ERR_OK)
		e = db_run(r, &Q_VERSION_INSERT, NULL, *vid, id, (int64_t)number, text, sha,
			   r->who.person_id, r->who.person_id);
	json_array_foreach(f->parties, i, p)
	{
		if (e != ERR_OK)
			break;
		e = db_run(r, &Q_PARTY_INSERT, NULL, random_id(), *vid,
			   json_string_value(json_object_get(p, "role")), (int64_t)i + 1,
			   (int64_t)json_integer_value(json_object_get(p, "person_id")));
	}
	return e;
}

enum err cdb_create(struct req *r, int64_t enrolment_id, const struct contract_frame *f,
		    json_t *domains, const char *started_on, int64_t *id, int64_t *version_id)
{
	enum err e;

	*id = random_id();
	e = db_run(r, &Q_CONTRACT_INSERT, NULL, *id, enrolment_id, (int64_t)f->annex,
		   r->who.person_id);
	return e == ERR_OK ? version_insert(r, *id, 1, f, domains, started_on, version_id) : e;
}

enum err cdb_new_version(struct req *r, int64_t id, const struct contract_frame *f,
			 json_t *domains, const char *started_on, int64_t *version_id)
{
	struct db_res res;
	enum err e = db_one(r, &Q_CONTRACT_LOCK, &res, id);

	if (e == ERR_OK)
		e = db_run(r, &Q_VERSION_SUPERSEDE, NULL, id);
	if (e == ERR_OK)
		e = version_insert(r, id, (int)db_int(&res, 0, "last") + 1, f, domains, started_on,
				   version_id);
	return e;
}

enum err cdb_edit_version(struct req *r, int64_t id, int64_t vid, int64_t version,
			  json_t *domains, const char *started_on)
{
	struct db_res res;
	json_t *content;
	const char *text = NULL;
	char sha[65] = {0};
	enum err e = db_one(r, &Q_VERSION_FOR_EDIT, &res, vid);

	if (e == ERR_OK && db_int(&res, 0, "contract_id") != id)
		e = ERR_NOT_FOUND;
	if (e != ERR_OK)
		return e == ERR_NOT_FOUND ? fail(r, ERR_NOT_FOUND, NULL, NULL) : e;
	if (!db_bool(&res, 0, "current") || db_int(&res, 0, "signatures") > 0)
		return ERR_CONFLICT; /* the handler says which */
	content = jarena(r, json_loads(db_str(&res, 0, "content"), 0, NULL));
	if (content == NULL)
		return fail_internal(r, ERR_INTERNAL, "stored content unreadable");
	json_object_set_new(content, "domains", domains_of(domains));
	json_object_set_new(content, "started_on", JSTR(started_on));
	e = canonical(r, content, &text, sha);
	if (e == ERR_OK)
		e = db_update_versioned(r, &Q_VERSION_UPDATE, &Q_VERSION_EXISTS, vid, text, sha,
					r->who.person_id, vid, version);
	return e;
}

/* ======================================================================
 * Signatures
 * ====================================================================== */

enum err cdb_version_state(struct req *r, int64_t vid, bool lock,
			   struct contract_version_state *out)
{
	struct db_res res;
	enum err e = db_one(r, lock ? &Q_VERSION_STATE_LOCK : &Q_VERSION_STATE, &res,
			    r->who.person_id, r->who.person_id, vid);

	if (e != ERR_OK)
		return e;
	out->contract_id = db_int(&res, 0, "contract_id");
	out->version = db_int(&res, 0, "version");
	out->current = db_bool(&res, 0, "current");
	out->party = db_bool(&res, 0, "party");
	out->signed_by_me = db_bool(&res, 0, "signed_by_me");
	out->parties = db_int(&res, 0, "parties");
	out->signatures = db_int(&res, 0, "signatures");
	snprintf(out->sha, sizeof(out->sha), "%s", db_str(&res, 0, "content_sha256"));
	return ERR_OK;
}

enum err cdb_sign(struct req *r, int64_t vid, const char *sha, int64_t *signature_id)
{
	*signature_id = random_id();
	return db_run(r, &Q_SIGNATURE_INSERT, NULL, *signature_id, vid, r->who.person_id, sha);
}

static enum err ids_of(struct req *r, const struct db_res *res, int64_t **ids, size_t *n)
{
	*ids = arena_alloc(r->arena, (res->n_rows + 1) * sizeof(**ids));
	if (*ids == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	for (size_t i = 0; i < res->n_rows; i++)
		(*ids)[i] = db_int(res, i, "person_id");
	*n = res->n_rows;
	return ERR_OK;
}

enum err cdb_parties_now(struct req *r, int64_t id, int64_t **ids, size_t *n,
			 const char **trainee_name)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_PARTIES_NOW, &res, id);

	if (e != ERR_OK)
		return e;
	*trainee_name = "";
	for (size_t i = 0; i < res.n_rows; i++)
		if (strcmp(db_str(&res, i, "role"), "trainee") == 0)
			*trainee_name = db_str(&res, i, "display_name");
	return ids_of(r, &res, ids, n);
}

enum err cdb_cellule(struct req *r, int64_t **ids, size_t *n)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_CELLULE, &res);

	return e == ERR_OK ? ids_of(r, &res, ids, n) : e;
}

enum err cdb_pilots(struct req *r, int64_t enrolment_id, int64_t **ids, size_t *n)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_PILOTS, &res, enrolment_id);

	return e == ERR_OK ? ids_of(r, &res, ids, n) : e;
}

/* ======================================================================
 * Points de situation, bilan
 * ====================================================================== */

enum err cdb_point_add(struct req *r, int64_t id, const char *held_on, const char *body,
		       int64_t *point_id)
{
	*point_id = random_id();
	return db_run(r, &Q_POINT_INSERT, NULL, *point_id, id, held_on, body, r->who.person_id);
}

enum err cdb_bilan_add(struct req *r, int64_t id, const char *held_on, json_t *outcomes,
		       const char *decision, int64_t *bilan_id)
{
	char *text = json_dumps(outcomes, JSON_COMPACT | JSON_SORT_KEYS);
	enum err e;

	if (text == NULL)
		return fail_internal(r, ERR_INTERNAL, "no memory");
	*bilan_id = random_id();
	e = db_run(r, &Q_BILAN_INSERT, NULL, *bilan_id, id, held_on, text, decision,
		   r->who.person_id, id);
	free(text);
	return e;
}

/* ======================================================================
 * Answers
 * ====================================================================== */

/* "2026-12-02 10:00:00.123" -> "2026-12-02T10:00:00.123Z" (UTC). */
static json_t *utc(struct req *r, const char *s)
{
	char *t;

	if (s == NULL)
		return json_null();
	t = arena_printf(r->arena, "%sZ", s);
	if (t != NULL && strlen(t) > 10)
		t[10] = 'T';
	return json_string(t != NULL ? t : s);
}

enum err cdb_contract_json(struct req *r, int64_t id, json_t **out)
{
	struct db_res c, versions, parties, points, bilans;
	json_t *vs, *ps, *bs, *o;
	enum err e = db_one(r, &Q_CONTRACT_ONE, &c, id);

	if (e == ERR_OK)
		e = db_rows(r, &Q_VERSIONS, &versions, id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_PARTIES_ALL, &parties, id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_POINTS, &points, id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_BILANS, &bilans, id);
	if (e != ERR_OK)
		return e;
	vs = json_array();
	for (size_t i = 0; i < versions.n_rows; i++) {
		int64_t vid = db_int(&versions, i, "id");
		json_t *content = json_loads(db_str(&versions, i, "content"), 0, NULL);
		json_t *signers = json_array();
		int64_t n = 0, signed_n = 0;

		for (size_t j = 0; j < parties.n_rows; j++) {
			if (db_int(&parties, j, "version_id") != vid)
				continue;
			n++;
			if (!db_isnull(&parties, j, "signed_at"))
				signed_n++;
			json_array_append_new(
			    signers,
			    json_pack("{s:s, s:I, s:s, s:o, s:o}", "role",
				      db_str(&parties, j, "role"), "person_id",
				      (json_int_t)db_int(&parties, j, "person_id"), "name",
				      db_str(&parties, j, "display_name"), "signed_at",
				      utc(r, db_str(&parties, j, "signed_at")), "content_sha256",
				      JSTR(db_str(&parties, j, "content_sha256"))));
		}
		json_array_append_new(
		    vs,
		    json_pack("{s:I, s:I, s:o, s:s, s:o, s:s, s:o, s:b, s:b, s:I, s:o, s:I}", "id",
			      (json_int_t)vid, "number", (json_int_t)db_int(&versions, i, "number"),
			      "content", content != NULL ? content : json_null(),
			      "content_sha256", db_str(&versions, i, "content_sha256"),
			      "created_at", utc(r, db_str(&versions, i, "created_at")),
			      "created_by", db_str(&versions, i, "created_by"), "superseded_at",
			      utc(r, db_str(&versions, i, "superseded_at")), "current",
			      db_isnull(&versions, i, "superseded_at"), "in_force",
			      db_isnull(&versions, i, "superseded_at") && n > 0 && signed_n == n,
			      "version", (json_int_t)db_int(&versions, i, "version"), "signatures",
			      signers, "signed", (json_int_t)signed_n));
	}
	ps = json_array();
	for (size_t i = 0; i < points.n_rows; i++)
		json_array_append_new(
		    ps, json_pack("{s:I, s:s, s:s, s:s, s:o}", "id",
				  (json_int_t)db_int(&points, i, "id"), "held_on",
				  db_str(&points, i, "held_on"), "body", db_str(&points, i, "body"),
				  "author", db_str(&points, i, "author"), "created_at",
				  utc(r, db_str(&points, i, "created_at"))));
	bs = json_array();
	for (size_t i = 0; i < bilans.n_rows; i++) {
		json_t *outcomes = json_loads(db_str(&bilans, i, "outcomes"), 0, NULL);

		json_array_append_new(
		    bs, json_pack("{s:I, s:I, s:s, s:o, s:s, s:s, s:o}", "id",
				  (json_int_t)db_int(&bilans, i, "id"), "revision",
				  (json_int_t)db_int(&bilans, i, "revision"), "held_on",
				  db_str(&bilans, i, "held_on"), "outcomes",
				  outcomes != NULL ? outcomes : json_object(), "decision",
				  db_str(&bilans, i, "decision"), "author",
				  db_str(&bilans, i, "author"), "created_at",
				  utc(r, db_str(&bilans, i, "created_at"))));
	}
	o = json_pack("{s:I, s:I, s:i, s:o, s:s, s:I, s:s, s:s, s:o, s:o, s:o, s:o}", "id",
		      (json_int_t)id, "enrolment_id", (json_int_t)db_int(&c, 0, "enrolment_id"),
		      "annex", (int)db_int(&c, 0, "annex"), "opened_at",
		      utc(r, db_str(&c, 0, "opened_at")), "opened_by", db_str(&c, 0, "opened_by"),
		      "trainee_id", (json_int_t)db_int(&c, 0, "trainee_id"), "trainee_name",
		      db_str(&c, 0, "trainee_name"), "year", db_str(&c, 0, "year"), "versions", vs,
		      "points", ps, "bilans", bs, "bilan",
		      json_array_size(bs) > 0 ? json_incref(json_array_get(bs, 0)) : json_null());
	if (o != NULL) {
		json_t *cur = json_array_get(vs, 0);

		json_object_set_new(o, "in_force",
				    json_boolean(json_is_true(json_object_get(cur, "in_force"))));
		/* The ETag: the current version's, which its edit and its
		 * signatures send back in If-Match. */
		json_object_set(o, "version", json_object_get(cur, "version"));
	}
	*out = o;
	return ERR_OK;
}

enum err cdb_list_json(struct req *r, json_t **out)
{
	struct db_res res;
	int64_t pid = r->who.person_id;
	enum err e = db_rows(r, &Q_LIST, &res, pid, (int64_t)((r->who.roles & R(BUREAU_STAGES)) != 0),
			     pid, pid);
	json_t *items;

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++) {
		int64_t n = db_int(&res, i, "parties"), s = db_int(&res, i, "signatures");

		json_array_append_new(
		    items,
		    json_pack("{s:I, s:i, s:o, s:I, s:s, s:I, s:I, s:I, s:I, s:b, s:o}", "id",
			      (json_int_t)db_int(&res, i, "id"), "annex",
			      (int)db_int(&res, i, "annex"), "opened_at",
			      utc(r, db_str(&res, i, "opened_at")), "enrolment_id",
			      (json_int_t)db_int(&res, i, "enrolment_id"), "trainee_name",
			      db_str(&res, i, "trainee_name"), "version_id",
			      (json_int_t)db_int(&res, i, "version_id"), "number",
			      (json_int_t)db_int(&res, i, "number"), "parties", (json_int_t)n,
			      "signed", (json_int_t)s, "in_force", n > 0 && s == n, "decision",
			      JSTR(db_str(&res, i, "decision"))));
	}
	*out = json_pack("{s:o}", "items", items);
	return ERR_OK;
}
