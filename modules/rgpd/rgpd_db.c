/*
 * The rgpd module's statements and data functions (modules/rgpd/rgpd.h):
 * the caller's read log, rectification requests, the transparency page.
 * Every statement binds the académie through db.c; a list is one
 * statement whatever its length.
 */
#include <mysql.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "notify.h"
#include "req.h"
#include "rgpd.h"
#include "schema.h"
#include "util.h"

#define ISO_TIME(col) "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"
#define IDS_JSON      "IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) j) "

const char *const rgpd_sections[RGPD_SECTIONS + 1] = {"controller",  "dpo_contact", "purposes",
						      "legal_basis", "recipients",  "retention",
						      "rights",	     "complaint",   NULL};

/* The caller's own rows only: the subject is bound to the principal. */
static const struct db_sql Q_READS = {
    "SELECT l.id, " ISO_TIME(
	"l.read_at") " AS read_at, l.reader_id, p.display_name, "
		     "l.record_type, l.record_id, COUNT(*) OVER () AS total FROM read_log l "
		     "JOIN person p ON p.academy_id = l.academy_id AND p.id = l.reader_id "
		     "WHERE l.academy_id = ? AND l.subject_id = ? ORDER BY l.read_at DESC, l.id "
		     "DESC "
		     "LIMIT ? OFFSET ?",
    "iii",
    DB_COLS("id", "read_at", "reader_id", "display_name", "record_type", "record_id", "total")};

static const struct db_sql Q_RECT_INSERT = {
    "INSERT INTO rectification_request (academy_id, id, person_id, field, requested_value, "
    "comment, status, created_at, version) VALUES (?, ?, ?, ?, ?, ?, 'open', NOW(3), 1)",
    "iisss"};

#define RECT_COLS                                                                                  \
	"r.id, r.person_id, p.display_name, r.field, r.requested_value, r.comment, r.status, "     \
	"r.answer, " ISO_TIME("r.created_at") " AS created_at, " ISO_TIME(                         \
	    "r.answered_at") " AS answered_at, r.version "
#define RECT_NAMES                                                                                 \
	"id", "person_id", "display_name", "field", "requested_value", "comment", "status",        \
	    "answer", "created_at", "answered_at", "version"
#define RECT_FROM                                                                                  \
	"FROM rectification_request r JOIN person p ON p.academy_id = r.academy_id "               \
	"AND p.id = r.person_id "

static const struct db_sql Q_RECT_MINE = {
    "SELECT " RECT_COLS ", COUNT(*) OVER () AS total " RECT_FROM
    "WHERE r.academy_id = ? AND r.person_id = ? ORDER BY r.created_at DESC, r.id DESC "
    "LIMIT ? OFFSET ?",
    "iii", DB_COLS(RECT_NAMES, "total")};
/* The admin's list: the ones still to answer first, then the newest. */
static const struct db_sql Q_RECT_LIST = {
    "SELECT " RECT_COLS ", COUNT(*) OVER () AS total " RECT_FROM
    "WHERE r.academy_id = ? AND (? IS NULL OR r.status = ?) "
    "ORDER BY FIELD(r.status, 'open', 'in_progress', 'done', 'refused'), r.created_at DESC, "
    "r.id DESC LIMIT ? OFFSET ?",
    "ssii", DB_COLS(RECT_NAMES, "total")};
static const struct db_sql Q_RECT_GET = {
    "SELECT " RECT_COLS RECT_FROM "WHERE r.academy_id = ? AND r.id = ?", "i", DB_COLS(RECT_NAMES)};
static const struct db_sql Q_RECT_OWNER = {
    "SELECT person_id FROM rectification_request WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("person_id")};
static const struct db_sql Q_RECT_ANSWER = {
    "UPDATE rectification_request SET status = ?, answer = ?, answered_by = ?, "
    "answered_at = NOW(3), version = version + 1 "
    "WHERE academy_id = ? AND id = ? AND version = ?",
    "ssiAii"};
static const struct db_sql Q_RECT_VERSION = {
    "SELECT version FROM rectification_request WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("version")};
/* The notifications' re-check: the reader's relation to many requests. */
static const struct db_sql Q_RECT_RELATIONS = {
    "SELECT r.id, r.person_id FROM rectification_request r "
    "WHERE r.academy_id = ? AND r.id " IDS_JSON,
    "s", DB_COLS("id", "person_id")};

static const struct db_sql Q_ADMINS = {
    "SELECT DISTINCT ra.person_id FROM role_assignment ra JOIN person p "
    "ON p.academy_id = ra.academy_id AND p.id = ra.person_id "
    "WHERE ra.academy_id = ? AND ra.role = 'admin' AND p.active",
    "", DB_COLS("person_id")};
static const struct db_sql Q_PERSON_NAME = {
    "SELECT display_name FROM person WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("display_name")};

static const struct db_sql Q_NOTICE_GET = {
    "SELECT controller, dpo_contact, purposes, legal_basis, recipients, retention, rights, "
    "complaint, " ISO_TIME("updated_at") " AS updated_at, version FROM privacy_notice "
					 "WHERE academy_id = ?",
    "",
    DB_COLS("controller", "dpo_contact", "purposes", "legal_basis", "recipients", "retention",
	    "rights", "complaint", "updated_at", "version")};
static const struct db_sql Q_NOTICE_UPDATE = {
    "UPDATE privacy_notice SET controller = ?, dpo_contact = ?, purposes = ?, "
    "legal_basis = ?, recipients = ?, retention = ?, rights = ?, complaint = ?, "
    "updated_by = ?, updated_at = NOW(3), version = version + 1 "
    "WHERE academy_id = ? AND version = ?",
    "ssssssssiAi"};
static const struct db_sql Q_NOTICE_VERSION = {
    "SELECT version FROM privacy_notice WHERE academy_id = ?", "", DB_COLS("version")};

const struct db_sql *const rgpd_statements[] = {
    &Q_READS,	    &Q_RECT_INSERT, &Q_RECT_MINE,     &Q_RECT_LIST,	 &Q_RECT_GET,
    &Q_RECT_OWNER,  &Q_RECT_ANSWER, &Q_RECT_VERSION,  &Q_RECT_RELATIONS, &Q_ADMINS,
    &Q_PERSON_NAME, &Q_NOTICE_GET,  &Q_NOTICE_UPDATE, &Q_NOTICE_VERSION, NULL};

static json_t *jcol(const struct db_res *res, size_t i, const char *col)
{
	return JSTR(db_str(res, i, col));
}

/* {items, total, limit, offset}; NULL without memory. */
static json_t *page(json_t *items, const struct db_res *res, int64_t limit, int64_t offset)
{
	return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)db_total(res),
			 "limit", (json_int_t)limit, "offset", (json_int_t)offset);
}

enum err gdb_reads(struct req *r, int64_t limit, int64_t offset, json_t **out)
{
	struct db_res res;
	json_t *items;
	enum err e = db_rows(r, &Q_READS, &res, r->who.person_id, limit, offset);

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(items, json_pack("{s:o, s:{s:I, s:o}, s:o, s:I}", "read_at",
						       jcol(&res, i, "read_at"), "reader", "id",
						       (json_int_t)db_int(&res, i, "reader_id"),
						       "display_name",
						       jcol(&res, i, "display_name"), "record_type",
						       jcol(&res, i, "record_type"), "record_id",
						       (json_int_t)db_int(&res, i, "record_id")));
	*out = page(items, &res, limit, offset);
	return *out != NULL ? ERR_OK : fail_internal(r, ERR_INTERNAL, "reads JSON");
}

enum err gdb_rect_create(struct req *r, const char *field, const char *value, const char *comment,
			 int64_t *id)
{
	*id = random_id();
	return db_run(r, &Q_RECT_INSERT, NULL, *id, r->who.person_id, field, value, comment);
}

static json_t *rect_json(const struct db_res *res, size_t i)
{
	return json_pack(
	    "{s:I, s:{s:I, s:o}, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "id",
	    (json_int_t)db_int(res, i, "id"), "person", "id",
	    (json_int_t)db_int(res, i, "person_id"), "display_name", jcol(res, i, "display_name"),
	    "field", jcol(res, i, "field"), "requested_value", jcol(res, i, "requested_value"),
	    "comment", jcol(res, i, "comment"), "status", jcol(res, i, "status"), "answer",
	    jcol(res, i, "answer"), "created_at", jcol(res, i, "created_at"), "answered_at",
	    jcol(res, i, "answered_at"), "version", (json_int_t)db_int(res, i, "version"));
}

static enum err rect_page(struct req *r, const struct db_res *res, int64_t limit, int64_t offset,
			  json_t **out)
{
	json_t *items = json_array();

	for (size_t i = 0; i < res->n_rows; i++)
		json_array_append_new(items, rect_json(res, i));
	*out = page(items, res, limit, offset);
	return *out != NULL ? ERR_OK : fail_internal(r, ERR_INTERNAL, "rectification JSON");
}

enum err gdb_rect_mine(struct req *r, int64_t limit, int64_t offset, json_t **out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_RECT_MINE, &res, r->who.person_id, limit, offset);

	return e != ERR_OK ? e : rect_page(r, &res, limit, offset, out);
}

enum err gdb_rect_list(struct req *r, const char *status, int64_t limit, int64_t offset,
		       json_t **out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_RECT_LIST, &res, status, status, limit, offset);

	return e != ERR_OK ? e : rect_page(r, &res, limit, offset, out);
}

enum err gdb_rect_get(struct req *r, int64_t id, json_t **out)
{
	struct db_res res;
	enum err e = db_one(r, &Q_RECT_GET, &res, id);

	if (e != ERR_OK)
		return e;
	*out = rect_json(&res, 0);
	return *out != NULL ? ERR_OK : fail_internal(r, ERR_INTERNAL, "rectification JSON");
}

enum err gdb_rect_owner(struct req *r, int64_t id, int64_t *person_id)
{
	struct db_res res;
	enum err e = db_one(r, &Q_RECT_OWNER, &res, id);

	if (e == ERR_OK)
		*person_id = db_int(&res, 0, "person_id");
	return e;
}

enum err gdb_rect_answer(struct req *r, int64_t id, int64_t version, const char *status,
			 const char *answer)
{
	return db_update_versioned(r, &Q_RECT_ANSWER, &Q_RECT_VERSION, id, status, answer,
				   r->who.person_id, id, version);
}

enum err gdb_admins(struct req *r, int64_t **ids, size_t *n)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_ADMINS, &res);

	*n = 0;
	if (e != ERR_OK)
		return e;
	*ids = arena_alloc(r->arena, (res.n_rows + 1) * sizeof(**ids));
	if (*ids == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	for (size_t i = 0; i < res.n_rows; i++)
		(*ids)[(*n)++] = db_int(&res, i, "person_id");
	return ERR_OK;
}

enum err gdb_display_name(struct req *r, int64_t person_id, const char **name)
{
	struct db_res res;
	enum err e = db_one(r, &Q_PERSON_NAME, &res, person_id);

	if (e == ERR_OK)
		*name = db_str(&res, 0, "display_name");
	return e;
}

enum err gdb_relations_of(struct req *r, const int64_t *ids, size_t n, unsigned *rel)
{
	const char *json = notify_ids_json(r, ids, n);
	unsigned admin = (r->who.roles & R(ADMIN)) ? GREL_ADMIN : 0;
	struct db_res res;
	enum err e;

	if (json == NULL)
		return ERR_INTERNAL;
	e = db_rows(r, &Q_RECT_RELATIONS, &res, json);
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < res.n_rows; i++) {
		int64_t id = db_int(&res, i, "id");
		unsigned bits =
		    admin | (db_int(&res, i, "person_id") == r->who.person_id ? GREL_REQUESTER : 0);

		for (size_t k = 0; k < n; k++)
			if (ids[k] == id)
				rel[k] = bits;
	}
	return ERR_OK;
}

enum err gdb_notice_get(struct req *r, json_t **out)
{
	struct db_res res;
	json_t *o;
	enum err e = db_one(r, &Q_NOTICE_GET, &res);

	if (e != ERR_OK)
		return e;
	o = json_pack("{s:o, s:I}", "updated_at", jcol(&res, 0, "updated_at"), "version",
		      (json_int_t)db_int(&res, 0, "version"));
	for (size_t i = 0; o != NULL && i < RGPD_SECTIONS; i++)
		json_object_set_new(o, rgpd_sections[i], jcol(&res, 0, rgpd_sections[i]));
	*out = o;
	return o != NULL ? ERR_OK : fail_internal(r, ERR_INTERNAL, "notice JSON");
}

enum err gdb_notice_put(struct req *r, int64_t version, const char *const *vals)
{
	struct db_res res;
	uint64_t changed = 0;
	enum err e = db_run(r, &Q_NOTICE_UPDATE, &changed, vals[0], vals[1], vals[2], vals[3],
			    vals[4], vals[5], vals[6], vals[7], r->who.person_id, version);

	if (e != ERR_OK || changed > 0)
		return e;
	e = db_one(r, &Q_NOTICE_VERSION, &res);
	if (e != ERR_OK)
		return e;
	return fail(r, ERR_PRECONDITION_FAILED, NULL,
		    arena_printf(r->arena,
				 "La page a été modifiée par quelqu’un d’autre (version actuelle : "
				 "%lld). Rechargez-la avant de modifier.",
				 (long long)db_int(&res, 0, "version")));
}

/*
 * The default transparency page, written from the service's purposes
 * (docs/rgpd-access.md): seeded once per académie by tutoratctl migrate;
 * an académie that edited its page keeps it.
 */
static const char *const default_notice[RGPD_SECTIONS] = {
    /* controller */
    "Le responsable du traitement est le recteur ou la rectrice de l’académie, "
    "représentant le ministère de l’Éducation nationale, agissant avec l’Inspé de "
    "l’académie pour la formation des stagiaires et des étudiants.",
    /* dpo_contact */
    "Le délégué ou la déléguée à la protection des données (DPD) de l’académie se "
    "joint par courriel à l’adresse dpd@ac-academie.fr ou par courrier adressé au "
    "rectorat, à l’attention du DPD.",
    /* purposes */
    "Ce service sert à suivre la formation des professeurs stagiaires et des "
    "étudiants en stage : l’affectation des tuteurs, les temps de suivi et leurs "
    "traces, les auto-positionnements, les bilans, l’accompagnement personnalisé "
    "des stagiaires en difficulté, les comptes-rendus de stage SOPA, les réseaux de "
    "tuteurs et le pilotage de la formation (chiffres par territoire).",
    /* legal_basis */
    "Le traitement est nécessaire à l’exécution d’une mission d’intérêt public "
    "(article 6.1.e du RGPD) : la formation et l’évaluation des fonctionnaires "
    "stagiaires (code de l’éducation, décret n° 94-874 du 7 octobre 1994) et "
    "l’organisation des stages des étudiants en master MEEF.",
    /* recipients */
    "Chaque donnée n’est lue que par les personnes qui en ont besoin : le stagiaire "
    "ou l’étudiant, ses tuteurs, les pilotes et inspecteurs de son territoire, le "
    "bureau des stages, la direction de l’Inspé et le jury, chacun pour ce qui le "
    "concerne. Aucune donnée n’est transmise hors de l’Éducation nationale et de "
    "l’Inspé.",
    /* retention */
    "Le dossier d’un stagiaire est conservé l’année de stage et la période de "
    "titularisation ; un compte-rendu SOPA, le temps du master de l’étudiant ; les "
    "journaux d’audit et de consultation, un nombre de mois limité ; les sessions, "
    "quelques jours. Passé ces durées, les données sont supprimées ou anonymisées.",
    /* rights */
    "Vous pouvez accéder à vos données et en obtenir une copie, demander la "
    "rectification de vos données d’identité, demander la limitation du traitement "
    "et vous y opposer dans les conditions prévues par le RGPD. Une fois connecté, "
    "la page « Mes données personnelles » montre qui a consulté votre dossier, "
    "permet de télécharger une copie de vos données et de demander une "
    "rectification. Pour tout autre droit, écrivez au DPD de l’académie.",
    /* complaint */
    "Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une "
    "réclamation à la Commission nationale de l’informatique et des libertés (CNIL), "
    "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, ou en ligne sur "
    "www.cnil.fr.",
};

bool rgpd_seed(MYSQL *my, uint32_t academy_id, char *err, size_t errlen)
{
	return schema_exec(
	    my,
	    "INSERT IGNORE INTO privacy_notice (academy_id, controller, dpo_contact, "
	    "purposes, legal_basis, recipients, retention, rights, complaint, "
	    "updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3), 1)",
	    NULL, err, errlen, "issssssss", (int64_t)academy_id, default_notice[0],
	    default_notice[1], default_notice[2], default_notice[3], default_notice[4],
	    default_notice[5], default_notice[6], default_notice[7]);
}
