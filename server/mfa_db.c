/* SQL of the second factor (server/mfa.c): the TOTP secret, the recovery
 * codes, the login challenges. */
#include "mfa_db.h"
#include "db.h"
#include "req.h"

#include <string.h>

#define TOTP_COLUMNS                                                                               \
	"SELECT t.secret, t.last_step, t.confirmed_at IS NOT NULL AS confirmed, "                  \
	"(SELECT COUNT(*) FROM totp_recovery_code c WHERE c.academy_id = t.academy_id "            \
	"  AND c.person_id = t.person_id AND c.used_at IS NULL) AS recovery_left "                 \
	"FROM person_totp t WHERE t.academy_id = ? AND t.person_id = ?"
static const struct db_sql Q_TOTP_GET = {
    TOTP_COLUMNS, "i", DB_COLS("secret", "last_step", "confirmed", "recovery_left")};
static const struct db_sql Q_TOTP_GET_LOCK = {
    TOTP_COLUMNS " FOR UPDATE", "i", DB_COLS("secret", "last_step", "confirmed", "recovery_left")};

/* A new pending secret; the handler has checked there is no confirmed one. */
static const struct db_sql Q_TOTP_START = {
    "INSERT INTO person_totp (academy_id, person_id, secret, created_at, confirmed_at, last_step) "
    "VALUES (?, ?, ?, NOW(3), NULL, 0) ON DUPLICATE KEY UPDATE secret = VALUES(secret), "
    "created_at = NOW(3), confirmed_at = NULL, last_step = 0",
    "ib"};
static const struct db_sql Q_TOTP_USED = {
    "UPDATE person_totp SET last_step = ? WHERE academy_id = ? AND person_id = ? "
    "AND last_step < ?",
    "iAii"};
static const struct db_sql Q_TOTP_CONFIRM = {
    "UPDATE person_totp SET last_step = ?, confirmed_at = NOW(3) WHERE academy_id = ? "
    "AND person_id = ? AND confirmed_at IS NULL",
    "iAi"};
static const struct db_sql Q_TOTP_DELETE = {
    "DELETE FROM person_totp WHERE academy_id = ? AND person_id = ?", "i"};
static const struct db_sql Q_RECOVERY_DELETE = {
    "DELETE FROM totp_recovery_code WHERE academy_id = ? AND person_id = ?", "i"};
static const struct db_sql Q_RECOVERY_INSERT = {
    "INSERT INTO totp_recovery_code (academy_id, person_id, code_hash, used_at) "
    "VALUES (?, ?, ?, NULL)",
    "ib"};
static const struct db_sql Q_RECOVERY_USE = {
    "UPDATE totp_recovery_code SET used_at = NOW(3) WHERE academy_id = ? AND person_id = ? "
    "AND code_hash = ? AND used_at IS NULL",
    "ib"};
static const struct db_sql Q_CHALLENGE_INSERT = {
    "INSERT INTO login_challenge (academy_id, secret_hash, person_id, expires_at) "
    "VALUES (?, ?, ?, NOW(3) + INTERVAL ? SECOND)",
    "bii"};
static const struct db_sql Q_CHALLENGE_PERSON = {
    "SELECT person_id FROM login_challenge WHERE academy_id = ? AND secret_hash = ? "
    "AND expires_at > NOW(3)",
    "b", DB_COLS("person_id")};
static const struct db_sql Q_CHALLENGE_DELETE = {
    "DELETE FROM login_challenge WHERE academy_id = ? AND (secret_hash = ? "
    "OR expires_at < NOW(3))",
    "b"};
static const struct db_sql Q_CHALLENGE_DELETE_PERSON = {
    "DELETE FROM login_challenge WHERE academy_id = ? AND person_id = ?", "i"};
static const struct db_sql Q_PERSON_EXISTS = {
    "SELECT 1 AS found FROM person WHERE academy_id = ? AND id = ?", "i", DB_COLS("found")};

enum err mfadb_totp_get(struct req *r, int64_t person_id, bool lock, struct mfa_totp *out)
{
	struct db_res res;
	const struct db_val *v;
	enum err e = db_rows(r, lock ? &Q_TOTP_GET_LOCK : &Q_TOTP_GET, &res, person_id);

	memset(out, 0, sizeof(*out));
	if (e != ERR_OK || res.n_rows != 1)
		return e;
	v = db_cell(&res, 0, "secret");
	out->found = v != NULL && v->s != NULL;
	out->secret = out->found ? (const unsigned char *)v->s : NULL;
	out->secret_len = out->found ? v->len : 0;
	out->last_step = db_int(&res, 0, "last_step");
	out->confirmed = db_bool(&res, 0, "confirmed");
	out->recovery_left = db_int(&res, 0, "recovery_left");
	return ERR_OK;
}

enum err mfadb_totp_start(struct req *r, int64_t person_id, const unsigned char *secret, size_t n)
{
	return db_run(r, &Q_TOTP_START, NULL, person_id, secret, n);
}

enum err mfadb_totp_used(struct req *r, int64_t person_id, int64_t step, bool confirm)
{
	if (confirm)
		return db_run(r, &Q_TOTP_CONFIRM, NULL, step, person_id);
	return db_run(r, &Q_TOTP_USED, NULL, step, person_id, step);
}

enum err mfadb_totp_delete(struct req *r, int64_t person_id, bool *removed)
{
	uint64_t n = 0;
	enum err e = db_run(r, &Q_TOTP_DELETE, &n, person_id);

	*removed = n > 0;
	if (e == ERR_OK)
		e = db_run(r, &Q_RECOVERY_DELETE, NULL, person_id);
	if (e == ERR_OK)
		e = db_run(r, &Q_CHALLENGE_DELETE_PERSON, NULL, person_id);
	return e;
}

enum err mfadb_recovery_replace(struct req *r, int64_t person_id, unsigned char (*hashes)[32],
				size_t n)
{
	enum err e = db_run(r, &Q_RECOVERY_DELETE, NULL, person_id);

	for (size_t i = 0; e == ERR_OK && i < n; i++)
		e = db_run(r, &Q_RECOVERY_INSERT, NULL, person_id, hashes[i], (size_t)32);
	return e;
}

enum err mfadb_recovery_use(struct req *r, int64_t person_id, const unsigned char hash[32],
			    bool *used)
{
	uint64_t n = 0;
	enum err e = db_run(r, &Q_RECOVERY_USE, &n, person_id, hash, (size_t)32);

	*used = e == ERR_OK && n == 1;
	return e;
}

enum err mfadb_challenge_create(struct req *r, int64_t person_id, const unsigned char hash[32])
{
	return db_run(r, &Q_CHALLENGE_INSERT, NULL, hash, (size_t)32, person_id,
		      (int64_t)MFA_CHALLENGE_SECONDS);
}

enum err mfadb_challenge_person(struct req *r, const unsigned char hash[32], int64_t *person_id)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_CHALLENGE_PERSON, &res, hash, (size_t)32);

	if (e != ERR_OK)
		return e;
	if (res.n_rows != 1)
		return ERR_NOT_FOUND;
	*person_id = db_int(&res, 0, "person_id");
	return ERR_OK;
}

enum err mfadb_challenge_delete(struct req *r, const unsigned char hash[32])
{
	return db_run(r, &Q_CHALLENGE_DELETE, NULL, hash, (size_t)32);
}

enum err mfadb_person_exists(struct req *r, int64_t person_id, bool *found)
{
	return db_exists(r, &Q_PERSON_EXISTS, found, person_id);
}

/* Every statement of this file, for tutoratctl check-sql. */
const struct db_sql *const mfa_db_statements[] = {
    &Q_TOTP_GET,
    &Q_TOTP_GET_LOCK,
    &Q_TOTP_START,
    &Q_TOTP_USED,
    &Q_TOTP_CONFIRM,
    &Q_TOTP_DELETE,
    &Q_RECOVERY_DELETE,
    &Q_RECOVERY_INSERT,
    &Q_RECOVERY_USE,
    &Q_CHALLENGE_INSERT,
    &Q_CHALLENGE_PERSON,
    &Q_CHALLENGE_DELETE,
    &Q_CHALLENGE_DELETE_PERSON,
    &Q_PERSON_EXISTS,
    NULL,
};
