#include "auth_db.h"
#include "authz.h"
#include "config.h"
#include "ldapauth.h"
#include "req.h"
#include "util.h"

#include <string.h>

/* Causal read (Galera): the session is read as of every commit the
 * cluster has made, whichever node this connection reached; a logout or a
 * deactivation through another instance is seen at once. A server
 * without Galera ignores the setting. */
#define PRINCIPAL_COLUMNS                                                                          \
	"SET STATEMENT wsrep_sync_wait = 1 FOR "                                                   \
	"SELECT s.id, s.person_id, p.username, p.display_name, p.email, "                          \
	"(SELECT GROUP_CONCAT(DISTINCT ra.role) FROM role_assignment ra "                          \
	"  WHERE ra.academy_id = s.academy_id AND ra.person_id = s.person_id) "                    \
	"FROM session s JOIN person p ON p.academy_id = s.academy_id AND p.id = s.person_id "

static const struct db_sql Q_SESSION_BY_ID = {
    PRINCIPAL_COLUMNS "WHERE s.academy_id = ? AND s.id = ? AND s.revoked_at IS NULL "
		      "AND s.expires_at > NOW(3) AND p.active",
    "i", DB_COLS("id", "person_id", "username", "display_name", "email", "roles")};

static const struct db_sql Q_SESSION_BY_SECRET = {
    PRINCIPAL_COLUMNS "WHERE s.academy_id = ? AND s.secret_hash = ? AND s.revoked_at IS NULL "
		      "AND s.expires_at > NOW(3) AND p.active",
    "b", DB_COLS("id", "person_id", "username", "display_name", "email", "roles")};

static const struct db_sql Q_SESSION_INSERT = {
    "INSERT INTO session (academy_id, id, person_id, secret_hash, created_at, expires_at, "
    "client_addr) VALUES (?, ?, ?, ?, NOW(3), NOW(3) + INTERVAL ? SECOND, ?)",
    "iibis"};

static const struct db_sql Q_SESSION_REVOKE = {
    "UPDATE session SET revoked_at = NOW(3) WHERE academy_id = ? AND id = ? "
    "AND revoked_at IS NULL",
    "i"};

/* After a restore (tutoratctl revoke-sessions): every open session of the
 * académie, whatever the backup's age. */
static const struct db_sql Q_SESSION_REVOKE_ALL = {
    "UPDATE session SET revoked_at = NOW(3) WHERE academy_id = ? AND revoked_at IS NULL", ""};

static const struct db_sql Q_THROTTLE_WAIT = {
    "SELECT COALESCE(MAX(TIMESTAMPDIFF(SECOND, NOW(), blocked_until)), 0) FROM login_throttle "
    "WHERE academy_id = ? AND ((kind = 'account' AND subject = ?) OR "
    "(kind = 'address' AND subject = ?)) AND blocked_until > NOW()",
    "ss", DB_COLS("wait_seconds")};

/* One statement per failure, atomic under concurrency: the window restarts
 * when it has passed, the block starts when the count reaches the limit.
 * MariaDB applies the assignments left to right, on updated values. */
static const struct db_sql Q_THROTTLE_FAIL = {
    "INSERT INTO login_throttle (academy_id, kind, subject, window_start, failures, "
    "blocked_until) VALUES (?, ?, ?, NOW(), 1, IF(1 >= ?, NOW() + INTERVAL ? SECOND, NULL)) "
    "ON DUPLICATE KEY UPDATE "
    "failures = IF(window_start < NOW() - INTERVAL ? SECOND, 1, failures + 1), "
    "window_start = IF(window_start < NOW() - INTERVAL ? SECOND, NOW(), window_start), "
    "blocked_until = IF(failures >= ?, NOW() + INTERVAL ? SECOND, blocked_until)",
    "ssiiiiii"};

static const struct db_sql Q_THROTTLE_CLEAR = {
    "DELETE FROM login_throttle WHERE academy_id = ? AND kind = 'account' AND subject = ?", "s"};

/* This attempt went beyond a limit (the count includes it). */
static const struct db_sql Q_THROTTLE_OVER = {
    "SELECT COALESCE(MAX(TIMESTAMPDIFF(SECOND, NOW(), blocked_until)), 0) FROM login_throttle "
    "WHERE academy_id = ? AND ((kind = 'account' AND subject = ? AND failures > ?) OR "
    "(kind = 'address' AND subject = ? AND failures > ?)) AND blocked_until > NOW()",
    "sisi", DB_COLS("wait_seconds")};

static const struct db_sql Q_THROTTLE_GIVE_BACK = {
    "UPDATE login_throttle SET failures = GREATEST(failures, 1) - 1, "
    "blocked_until = IF(failures < ?, NULL, blocked_until) "
    "WHERE academy_id = ? AND kind = ? AND subject = ?",
    "iAss"};

static const struct db_sql Q_PERSON_UPSERT = {
    "INSERT INTO person (academy_id, id, username, display_name, given_name, family_name, "
    "email, ldap_dn, active, created_at, updated_at, last_login_at, version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, TRUE, NOW(3), NOW(3), NOW(3), 1) "
    "ON DUPLICATE KEY UPDATE "
    "version = IF(display_name <=> VALUES(display_name) AND given_name <=> VALUES(given_name) "
    "  AND family_name <=> VALUES(family_name) AND email <=> VALUES(email) "
    "  AND ldap_dn <=> VALUES(ldap_dn), version, version + 1), "
    "updated_at = IF(display_name <=> VALUES(display_name) AND given_name <=> "
    "  VALUES(given_name) AND family_name <=> VALUES(family_name) AND email <=> VALUES(email) "
    "  AND ldap_dn <=> VALUES(ldap_dn), updated_at, NOW(3)), "
    "display_name = VALUES(display_name), given_name = VALUES(given_name), "
    "family_name = VALUES(family_name), email = VALUES(email), ldap_dn = VALUES(ldap_dn), "
    "last_login_at = NOW(3)",
    "issssss"};

static const struct db_sql Q_PERSON_BY_USERNAME = {
    "SELECT id, active, version FROM person WHERE academy_id = ? AND username = ?", "s",
    DB_COLS("id", "active", "version")};

static const struct db_sql Q_LDAP_ROLES_DELETE = {
    "DELETE FROM role_assignment WHERE academy_id = ? AND person_id = ? AND source = 'ldap'", "i"};

static const struct db_sql Q_LDAP_ROLE_INSERT = {
    "INSERT INTO role_assignment (academy_id, id, person_id, role, scope_kind, scope_id, "
    "source, created_at) VALUES (?, ?, ?, ?, 'academy', NULL, 'ldap', NOW(3))",
    "iis"};

static uint32_t roles_from_list(const char *list)
{
	uint32_t roles = 0;

	while (list != NULL && *list != '\0') {
		const char *comma = strchr(list, ',');
		size_t n = comma != NULL ? (size_t)(comma - list) : strlen(list);
		int r = role_parse(list, n);

		if (r >= 0)
			roles |= UINT32_C(1) << r;
		list = comma != NULL ? comma + 1 : NULL;
	}
	return roles;
}

static enum err principal_row(const struct db_res *res, struct session_row *out)
{
	if (res->n_rows != 1)
		return ERR_NOT_FOUND;
	out->id = db_int(res, 0, "id");
	out->person_id = db_int(res, 0, "person_id");
	out->username = db_str(res, 0, "username");
	out->display_name = db_str(res, 0, "display_name");
	out->email = db_str(res, 0, "email");
	out->roles = roles_from_list(db_str(res, 0, "roles"));
	return ERR_OK;
}

enum err authdb_session_by_id(struct req *r, int64_t sid, struct session_row *out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_SESSION_BY_ID, &res, sid);

	return e != ERR_OK ? e : principal_row(&res, out);
}

enum err authdb_session_by_secret(struct req *r, const unsigned char hash[32],
				  struct session_row *out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_SESSION_BY_SECRET, &res, hash, (size_t)32);

	return e != ERR_OK ? e : principal_row(&res, out);
}

enum err authdb_session_create(struct req *r, int64_t person_id, const unsigned char hash[32],
			       int64_t *sid)
{
	*sid = random_id();
	return db_run(r, &Q_SESSION_INSERT, NULL, *sid, person_id, hash, (size_t)32,
		      (int64_t)r->cfg->session_lifetime, r->remote_addr);
}

enum err authdb_session_revoke(struct req *r, int64_t sid)
{
	return db_run(r, &Q_SESSION_REVOKE, NULL, sid);
}

enum err authdb_sessions_revoke_all(struct req *r, uint64_t *count)
{
	return db_run(r, &Q_SESSION_REVOKE_ALL, count);
}

/*
 * The login's first step (server/auth.c h_login), in its own short
 * transaction: refused while blocked; else the attempt is counted and, if
 * it goes beyond a limit, refused and taken back (rolled back); else
 * committed before the directory is asked. The counter rows are locked
 * only until then: concurrent attempts queue here, each sees the others'
 * counts, and no burst gets more attempts than the limit. This commit has
 * no audit row of its own: the counter is the defence's bookkeeping, and
 * the request's audit row (the outcome) follows in the next transaction.
 */
enum err authdb_throttle_count(struct req *r, const char *account, const char *address,
			       int64_t *wait)
{
	enum err e = db_begin(r);

	*wait = 0;
	if (e == ERR_OK)
		e = authdb_throttle_wait(r, account, address, wait);
	if (e == ERR_OK && *wait == 0)
		e = authdb_throttle_fail(r, account, address);
	if (e == ERR_OK && *wait == 0)
		e = authdb_throttle_over(r, account, address, wait);
	if (e != ERR_OK || *wait > 0) {
		db_rollback(r);
		return e;
	}
	return db_commit(r);
}

enum err authdb_throttle_wait(struct req *r, const char *account, const char *address,
			      int64_t *wait)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_THROTTLE_WAIT, &res, account, address);

	*wait = 0;
	if (e == ERR_OK && res.n_rows == 1)
		*wait = db_int(&res, 0, "wait_seconds");
	return e;
}

static enum err throttle_one(struct req *r, const char *kind, const char *subject, int max)
{
	const struct config *c = r->cfg;

	return db_run(r, &Q_THROTTLE_FAIL, NULL, kind, subject, (int64_t)max,
		      (int64_t)c->login_block_seconds, (int64_t)c->login_window_seconds,
		      (int64_t)c->login_window_seconds, (int64_t)max,
		      (int64_t)c->login_block_seconds);
}

enum err authdb_throttle_fail(struct req *r, const char *account, const char *address)
{
	enum err e = throttle_one(r, "account", account, r->cfg->login_max_failures_account);

	if (e == ERR_OK && address != NULL)
		e = throttle_one(r, "address", address, r->cfg->login_max_failures_address);
	return e;
}

enum err authdb_throttle_over(struct req *r, const char *account, const char *address,
			      int64_t *wait)
{
	const struct config *c = r->cfg;
	struct db_res res;
	enum err e =
	    db_rows(r, &Q_THROTTLE_OVER, &res, account, (int64_t)c->login_max_failures_account,
		    address, (int64_t)c->login_max_failures_address);

	*wait = 0;
	if (e == ERR_OK && res.n_rows == 1)
		*wait = db_int(&res, 0, "wait_seconds");
	return e;
}

enum err authdb_throttle_succeeded(struct req *r, const char *account, const char *address)
{
	enum err e = db_run(r, &Q_THROTTLE_CLEAR, NULL, account);

	if (e == ERR_OK && address != NULL)
		e = db_run(r, &Q_THROTTLE_GIVE_BACK, NULL,
			   (int64_t)r->cfg->login_max_failures_address, "address", address);
	return e;
}

/* The undoing of authdb_throttle_count, in its own transaction: the same
 * bookkeeping, with no audit row either (the request wrote nothing else). */
enum err authdb_throttle_give_back(struct req *r, const char *account, const char *address)
{
	enum err e = db_begin(r);

	if (e == ERR_OK)
		e = db_run(r, &Q_THROTTLE_GIVE_BACK, NULL,
			   (int64_t)r->cfg->login_max_failures_account, "account", account);
	if (e == ERR_OK && address != NULL)
		e = db_run(r, &Q_THROTTLE_GIVE_BACK, NULL,
			   (int64_t)r->cfg->login_max_failures_address, "address", address);
	if (e != ERR_OK) {
		db_rollback(r);
		return e;
	}
	return db_commit(r);
}

enum err authdb_person_upsert(struct req *r, const struct ldap_person *p, int64_t *person_id,
			      bool *active)
{
	struct db_res res;
	int64_t before = 0;
	enum err e = db_rows(r, &Q_PERSON_BY_USERNAME, &res, p->username);

	if (e != ERR_OK)
		return e;
	if (res.n_rows == 1)
		before = db_int(&res, 0, "version");
	e = db_run(r, &Q_PERSON_UPSERT, NULL, random_id(), p->username,
		   p->display_name != NULL ? p->display_name : p->username, p->given_name,
		   p->family_name, p->email, p->dn);
	if (e != ERR_OK)
		return e;
	e = db_rows(r, &Q_PERSON_BY_USERNAME, &res, p->username);
	if (e != ERR_OK)
		return e;
	if (res.n_rows != 1)
		return fail_internal(r, ERR_INTERNAL, "person vanished after upsert");
	*person_id = db_int(&res, 0, "id");
	*active = db_int(&res, 0, "active") != 0;
	/* A name or email the directory changed (or a new person) is reference
	 * data the académie's kept answers show: they are rendered anew. */
	if (db_int(&res, 0, "version") != before) {
		e = db_reference_changed(r);
		if (e != ERR_OK)
			return e;
	}
	if (p->roles_unknown)
		return ERR_OK; /* a failed group search is not "no groups" */
	e = db_run(r, &Q_LDAP_ROLES_DELETE, NULL, *person_id);
	for (int role = 0; e == ERR_OK && role < ROLE__MAX; role++)
		if (p->roles & (UINT32_C(1) << role))
			e = db_run(r, &Q_LDAP_ROLE_INSERT, NULL, random_id(), *person_id,
				   role_name((enum role)role));
	return e;
}

/* Every statement of this file, for tutoratctl check-sql. */
const struct db_sql *const auth_db_statements[] = {
    &Q_SESSION_BY_ID,	   &Q_SESSION_BY_SECRET,
    &Q_SESSION_INSERT,	   &Q_SESSION_REVOKE,
    &Q_THROTTLE_WAIT,	   &Q_THROTTLE_FAIL,
    &Q_THROTTLE_CLEAR,	   &Q_THROTTLE_OVER,
    &Q_THROTTLE_GIVE_BACK, &Q_PERSON_UPSERT,
    &Q_PERSON_BY_USERNAME, &Q_LDAP_ROLES_DELETE,
    &Q_LDAP_ROLE_INSERT,   &Q_SESSION_REVOKE_ALL,
    NULL,
};
