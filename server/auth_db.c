#include "auth_db.h"
#include "arena.h"
#include "authz.h"
#include "config.h"
#include "ldapauth.h"
#include "req.h"
#include "util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

/* Causal read (Galera): the session is read as of every commit the
 * cluster has made, whichever node this connection reached; a logout or a
 * deactivation through another instance is seen at once. A server
 * without Galera ignores the setting. */
#define PRINCIPAL_COLUMNS                                                                          \
	"SET STATEMENT wsrep_sync_wait = 1 FOR "                                                   \
	"SELECT s.id, s.person_id, p.username, p.display_name, p.email, s.second_factor, "         \
	"(SELECT GROUP_CONCAT(DISTINCT ra.role) FROM role_assignment ra "                          \
	"  WHERE ra.academy_id = s.academy_id AND ra.person_id = s.person_id) "                    \
	"FROM session s JOIN person p ON p.academy_id = s.academy_id AND p.id = s.person_id "

static const struct db_sql Q_SESSION_BY_ID = {
    PRINCIPAL_COLUMNS "WHERE s.academy_id = ? AND s.id = ? AND s.revoked_at IS NULL "
		      "AND s.expires_at > NOW(3) AND s.last_seen_at > NOW(3) - INTERVAL ? SECOND "
		      "AND p.active",
    "ii",
    DB_COLS("id", "person_id", "username", "display_name", "email", "second_factor", "roles")};

static const struct db_sql Q_SESSION_BY_SECRET = {
    PRINCIPAL_COLUMNS "WHERE s.academy_id = ? AND s.secret_hash = ? AND s.revoked_at IS NULL "
		      "AND s.expires_at > NOW(3) AND s.last_seen_at > NOW(3) - INTERVAL ? SECOND "
		      "AND p.active",
    "bi",
    DB_COLS("id", "person_id", "username", "display_name", "email", "second_factor", "roles")};

static const struct db_sql Q_SESSION_INSERT = {
    "INSERT INTO session (academy_id, id, person_id, secret_hash, created_at, last_seen_at, "
    "expires_at, client_addr, second_factor) "
    "VALUES (?, ?, ?, ?, NOW(3), NOW(3), NOW(3) + INTERVAL ? SECOND, ?, ?)",
    "iibisi"};

/* The person proved the second factor in this session (enrolment). */
static const struct db_sql Q_SESSION_SECOND_FACTOR = {
    "UPDATE session SET second_factor = TRUE WHERE academy_id = ? AND id = ?", "i"};

static const struct db_sql Q_SESSION_REVOKE = {
    "UPDATE session SET revoked_at = NOW(3) WHERE academy_id = ? AND id = ? "
    "AND revoked_at IS NULL",
    "i"};

/* After a restore (tutoratctl revoke-sessions): every open session of the
 * académie, whatever the backup's age. */
static const struct db_sql Q_SESSION_REVOKE_ALL = {
    "UPDATE session SET revoked_at = NOW(3) WHERE academy_id = ? AND revoked_at IS NULL", ""};

/* Blocked now: the key's own counter, and the account's for an unknown
 * device. */
static const struct db_sql Q_THROTTLE_WAIT = {
    "SELECT COALESCE(MAX(TIMESTAMPDIFF(SECOND, NOW(), blocked_until)), 0) FROM login_throttle "
    "WHERE academy_id = ? AND ((kind = ? AND subject = ?) OR "
    "(kind = 'account' AND subject = ? AND ?)) AND blocked_until > NOW()",
    "sssi", DB_COLS("wait_seconds")};

/* Spraying: the accounts the address group failed on within the window
 * (the 'pair' rows "<group>|..."), whether this account is one of them,
 * and when the oldest of them leaves the window. */
static const struct db_sql Q_THROTTLE_SPRAY = {
    "SELECT COUNT(*) AS n, COALESCE(SUM(subject = ?), 0) AS mine, "
    "COALESCE(TIMESTAMPDIFF(SECOND, NOW(), MIN(window_start) + INTERVAL ? SECOND), 0) AS wait "
    "FROM login_throttle WHERE academy_id = ? AND kind = 'pair' AND subject LIKE ? "
    "AND window_start > NOW() - INTERVAL ? SECOND",
    "siAsi", DB_COLS("n", "mine", "wait")};

/*
 * One statement per failure, atomic under concurrency: the window restarts
 * when it has passed; from the limit on, each failure blocks for the first
 * delay doubled per failure beyond the limit, up to block_seconds. A row
 * blocked now is left as it is: the statement then changes nothing
 * (affected rows 0), and the attempt is refused. Concurrent attempts queue
 * on the row, so each sees the block the one before it set. MariaDB
 * applies the assignments left to right, on updated values: every test of
 * blocked_until reads the old one.
 */
static const struct db_sql Q_THROTTLE_FAIL = {
    "INSERT INTO login_throttle (academy_id, kind, subject, window_start, failures, "
    "blocked_until) VALUES (?, ?, ?, NOW(), 1, IF(1 >= ?, NOW() + INTERVAL LEAST(?, ?) SECOND, "
    "NULL)) ON DUPLICATE KEY UPDATE "
    "failures = IF(blocked_until > NOW(), failures, "
    "  IF(window_start < NOW() - INTERVAL ? SECOND, 1, failures + 1)), "
    "window_start = IF(blocked_until > NOW(), window_start, "
    "  IF(window_start < NOW() - INTERVAL ? SECOND, NOW(), window_start)), "
    "blocked_until = IF(blocked_until > NOW(), blocked_until, IF(failures >= ?, NOW() + INTERVAL "
    "  LEAST(?, ? * POW(2, LEAST(CAST(failures AS SIGNED) - ?, 20))) SECOND, blocked_until))",
    "ssiiiiiiiii"};

static const struct db_sql Q_THROTTLE_CLEAR = {
    "DELETE FROM login_throttle WHERE academy_id = ? AND ((kind = ? AND subject = ?) "
    "OR (kind = 'account' AND subject = ? AND ?))",
    "sssi"};

static const struct db_sql Q_THROTTLE_GIVE_BACK = {
    "UPDATE login_throttle SET failures = GREATEST(failures, 1) - 1, "
    "blocked_until = IF(failures < ?, NULL, blocked_until) "
    "WHERE academy_id = ? AND kind = ? AND subject = ?",
    "iAss"};

static const struct db_sql Q_DEVICE_KNOWN = {
    "SELECT 1 AS found FROM login_device d JOIN person p ON p.academy_id = d.academy_id "
    "AND p.id = d.person_id WHERE d.academy_id = ? AND d.token_hash = ? AND p.username = ? "
    "AND d.last_used_at > NOW() - INTERVAL ? DAY LIMIT 1",
    "bsi", DB_COLS("found")};
/* The person an attempted username names, if any: the audit row of a
 * failed attempt records the person, never the text typed. */
static const struct db_sql Q_PERSON_OF_ACCOUNT = {
    "SELECT id FROM person WHERE academy_id = ? AND username = ?", "s", DB_COLS("id")};
/* The browser passed the person's second factor and is remembered for it. */
static const struct db_sql Q_DEVICE_SECOND_FACTOR = {
    "SELECT 1 AS found FROM login_device WHERE academy_id = ? AND token_hash = ? "
    "AND person_id = ? AND second_factor_until > NOW(3)",
    "bi", DB_COLS("found")};
static const struct db_sql Q_DEVICE_REMEMBER_SECOND_FACTOR = {
    "UPDATE login_device SET second_factor_until = NOW(3) + INTERVAL ? DAY "
    "WHERE academy_id = ? AND token_hash = ? AND person_id = ?",
    "iAbi"};
static const struct db_sql Q_DEVICE_FORGET_SECOND_FACTOR = {
    "UPDATE login_device SET second_factor_until = NULL WHERE academy_id = ? AND person_id = ?",
    "i"};
static const struct db_sql Q_DEVICE_REMEMBER = {
    "INSERT INTO login_device (academy_id, token_hash, person_id, created_at, last_used_at) "
    "VALUES (?, ?, ?, NOW(3), NOW(3)) ON DUPLICATE KEY UPDATE last_used_at = NOW(3)",
    "bi"};

static const struct db_sql Q_PERSON_INSERT = {
    "INSERT INTO person (academy_id, id, username, display_name, given_name, family_name, "
    "email, ldap_dn, directory_id, active, created_at, updated_at, last_login_at, version) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE, NOW(3), NOW(3), IF(?, NOW(3), NULL), 1)",
    "isssssssi"};

/* The person's attributes as the directory has them now; the version (and
 * updated_at) move only when something a user sees changed. */
#define PERSON_SAME                                                                                \
	"username <=> ? AND display_name <=> ? AND given_name <=> ? AND family_name <=> ? "        \
	"AND email <=> ? AND ldap_dn <=> ?"
static const struct db_sql Q_PERSON_REFRESH = {
    "UPDATE person SET version = IF(" PERSON_SAME ", version, version + 1), "
    "updated_at = IF(" PERSON_SAME ", updated_at, NOW(3)), "
    "username = ?, display_name = ?, given_name = ?, family_name = ?, email = ?, ldap_dn = ?, "
    "directory_id = ?, directory_mismatch_id = NULL, "
    "last_login_at = IF(?, NOW(3), last_login_at) WHERE academy_id = ? AND id = ?",
    "sssssssssssssssssssiAi"};

static const struct db_sql Q_PERSON_MISMATCH = {
    "UPDATE person SET directory_mismatch_id = ? WHERE academy_id = ? AND id = ?", "sAi"};

#define PERSON_KEY_COLUMNS "SELECT id, username, active, version, directory_id FROM person "
static const struct db_sql Q_PERSON_BY_USERNAME = {
    PERSON_KEY_COLUMNS "WHERE academy_id = ? AND username = ?", "s",
    DB_COLS("id", "username", "active", "version", "directory_id")};

static const struct db_sql Q_PERSON_BY_DIRECTORY_ID = {
    PERSON_KEY_COLUMNS "WHERE academy_id = ? AND directory_id = ?", "s",
    DB_COLS("id", "username", "active", "version", "directory_id")};

static const struct db_sql Q_PERSON_STATE = {
    "SELECT active, version FROM person WHERE academy_id = ? AND id = ?", "i",
    DB_COLS("active", "version")};

/* tutoratctl sync-directory: the bound, active people, by id, a batch at a time. */
static const struct db_sql Q_BOUND_PEOPLE = {
    "SELECT id, directory_id FROM person WHERE academy_id = ? AND active "
    "AND directory_id IS NOT NULL AND id > ? ORDER BY id LIMIT ?",
    "ii", DB_COLS("id", "directory_id")};

static const struct db_sql Q_PERSON_DEACTIVATE = {
    "UPDATE person SET active = FALSE, version = version + 1, updated_at = NOW(3) "
    "WHERE academy_id = ? AND id = ? AND active",
    "i"};

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
	out->second_factor = db_int(res, 0, "second_factor") != 0;
	out->roles = roles_from_list(db_str(res, 0, "roles"));
	return ERR_OK;
}

enum err authdb_session_by_id(struct req *r, int64_t sid, struct session_row *out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_SESSION_BY_ID, &res, sid, (int64_t)r->cfg->session_idle);

	return e != ERR_OK ? e : principal_row(&res, out);
}

enum err authdb_session_by_secret(struct req *r, const unsigned char hash[32],
				  struct session_row *out)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_SESSION_BY_SECRET, &res, hash, (size_t)32,
			     (int64_t)r->cfg->session_idle);

	return e != ERR_OK ? e : principal_row(&res, out);
}

enum err authdb_session_create(struct req *r, int64_t person_id, const unsigned char hash[32],
			       bool second_factor, int64_t *sid)
{
	*sid = random_id();
	return db_run(r, &Q_SESSION_INSERT, NULL, *sid, person_id, hash, (size_t)32,
		      (int64_t)r->cfg->session_lifetime, r->remote_addr, (int64_t)second_factor);
}

enum err authdb_session_second_factor(struct req *r, int64_t sid)
{
	return db_run(r, &Q_SESSION_SECOND_FACTOR, NULL, sid);
}

enum err authdb_session_revoke(struct req *r, int64_t sid)
{
	return db_run(r, &Q_SESSION_REVOKE, NULL, sid);
}

/* The person's own activity: the idle clock starts again (at most every
 * 30 s: no write per request). Bookkeeping of the session, not a change of
 * record: no audit row. */
static const struct db_sql Q_SESSION_TOUCH = {
    "UPDATE session SET last_seen_at = NOW(3) WHERE academy_id = ? AND id = ? "
    "AND last_seen_at < NOW(3) - INTERVAL 30 SECOND",
    "i"};

enum err authdb_session_touch(struct req *r, int64_t sid)
{
	enum err e;

	if (r->route == NULL || !r->route->own_transactions)
		return db_run(r, &Q_SESSION_TOUCH, NULL, sid);
	/* A route that runs its own transactions writes in none but them:
	 * this bookkeeping gets one of its own, like the login's counters. */
	e = db_begin(r);
	if (e == ERR_OK)
		e = db_run(r, &Q_SESSION_TOUCH, NULL, sid);
	if (e != ERR_OK) {
		db_rollback(r);
		return e;
	}
	return db_commit(r);
}

/* A person's open sessions, newest first: for the admin (7.4.5). */
static const struct db_sql Q_PERSON_SESSIONS = {
    "SELECT s.id, DATE_FORMAT(s.created_at, '%Y-%m-%dT%H:%i:%sZ') AS created_at, "
    "DATE_FORMAT(s.last_seen_at, '%Y-%m-%dT%H:%i:%sZ') AS last_seen_at, "
    "DATE_FORMAT(LEAST(s.expires_at, s.last_seen_at + INTERVAL ? SECOND), "
    "  '%Y-%m-%dT%H:%i:%sZ') AS ends_at, s.client_addr "
    "FROM session s WHERE s.academy_id = ? AND s.person_id = ? AND s.revoked_at IS NULL "
    "AND s.expires_at > NOW(3) AND s.last_seen_at > NOW(3) - INTERVAL ? SECOND "
    "ORDER BY s.last_seen_at DESC, s.id LIMIT 200",
    "iAii", DB_COLS("id", "created_at", "last_seen_at", "ends_at", "client_addr")};
static const struct db_sql Q_PERSON_SESSIONS_REVOKE = {
    "UPDATE session SET revoked_at = NOW(3) WHERE academy_id = ? AND person_id = ? "
    "AND revoked_at IS NULL AND (? = 0 OR id = ?)",
    "iii"};

enum err authdb_person_sessions(struct req *r, int64_t person_id, struct db_res *out)
{
	int64_t idle = r->cfg->session_idle;
	bool found = false;
	enum err e = db_exists(r, &Q_PERSON_STATE, &found, person_id);

	if (e == ERR_OK && !found)
		e = ERR_NOT_FOUND;
	return e != ERR_OK ? e : db_rows(r, &Q_PERSON_SESSIONS, out, idle, person_id, idle);
}

enum err authdb_person_sessions_revoke(struct req *r, int64_t person_id, int64_t sid,
				       uint64_t *count)
{
	return db_run(r, &Q_PERSON_SESSIONS_REVOKE, count, person_id, sid, sid);
}

enum err authdb_sessions_revoke_all(struct req *r, uint64_t *count)
{
	return db_run(r, &Q_SESSION_REVOKE_ALL, count);
}

void authdb_throttle_key(struct throttle_key *k, const char *account, const char *group,
			 const unsigned char *device)
{
	char key[17];

	memset(k, 0, sizeof(*k));
	k->account = account;
	k->group = group;
	k->known_device = device != NULL;
	if (device != NULL) {
		hex_encode(key, device, 8);
		snprintf(k->kind, sizeof(k->kind), "device");
		snprintf(k->subject, sizeof(k->subject), "%s|%s", key, account);
	} else {
		snprintf(k->kind, sizeof(k->kind), "pair");
		snprintf(k->subject, sizeof(k->subject), "%s|%s", group, account);
	}
}

const char *address_group(struct req *r, const char *address)
{
	struct in6_addr a6;
	struct in_addr a4;
	char text[INET6_ADDRSTRLEN];

	if (address == NULL)
		return NULL;
	if (inet_pton(AF_INET, address, &a4) == 1)
		return address;
	if (inet_pton(AF_INET6, address, &a6) != 1)
		return NULL;
	if (IN6_IS_ADDR_V4MAPPED(&a6)) {
		memcpy(&a4, &a6.s6_addr[12], 4);
		inet_ntop(AF_INET, &a4, text, sizeof(text));
		return arena_strdup(r->arena, text);
	}
	memset(&a6.s6_addr[8], 0, 8); /* one subscriber's /64 is one address */
	inet_ntop(AF_INET6, &a6, text, sizeof(text));
	return arena_printf(r->arena, "%s/64", text);
}

/* The seconds of a Q_THROTTLE_WAIT result. */
static int64_t wait_seconds(const struct db_res *res)
{
	return res->n_rows == 1 ? db_int(res, 0, "wait_seconds") : 0;
}

/* The address group has failed on too many accounts, this one not among
 * them: *wait until the oldest failure leaves the window. A known device
 * is not held back by its address. */
static enum err spraying(struct req *r, const struct throttle_key *k, int64_t *wait)
{
	struct db_res res;
	enum err e;

	*wait = 0;
	if (k->known_device || k->group == NULL)
		return ERR_OK;
	e = db_rows(r, &Q_THROTTLE_SPRAY, &res, k->subject, (int64_t)r->cfg->login_window_seconds,
		    arena_printf(r->arena, "%s|%%", k->group), (int64_t)r->cfg->login_window_seconds);
	if (e == ERR_OK && db_int(&res, 0, "n") >= r->cfg->login_max_accounts_address &&
	    db_int(&res, 0, "mine") == 0)
		*wait = db_int(&res, 0, "wait") > 1 ? db_int(&res, 0, "wait") : 2;
	return e;
}

/* Counts one failure on a counter; *refused when the counter is blocked
 * (by an attempt that went before this one). */
static enum err count_one(struct req *r, const char *kind, const char *subject, int max,
			  bool *refused)
{
	const struct config *c = r->cfg;
	uint64_t changed = 0;
	enum err e = db_run(r, &Q_THROTTLE_FAIL, &changed, kind, subject, (int64_t)max,
			    (int64_t)c->login_block_seconds, (int64_t)c->login_first_delay_seconds,
			    (int64_t)c->login_window_seconds, (int64_t)c->login_window_seconds,
			    (int64_t)max, (int64_t)c->login_block_seconds,
			    (int64_t)c->login_first_delay_seconds, (int64_t)max);

	*refused = e == ERR_OK && changed == 0;
	return e;
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
enum err authdb_throttle_count(struct req *r, const struct throttle_key *k, int64_t *wait)
{
	const struct config *c = r->cfg;
	int64_t unknown = !k->known_device;
	bool refused = false;
	struct db_res res;
	enum err e = db_begin(r);

	*wait = 0;
	if (e == ERR_OK)
		e = db_rows(r, &Q_THROTTLE_WAIT, &res, k->kind, k->subject, k->account, unknown);
	if (e == ERR_OK)
		*wait = wait_seconds(&res);
	if (e == ERR_OK && *wait == 0)
		e = spraying(r, k, wait);
	if (e == ERR_OK && *wait == 0)
		e = count_one(r, k->kind, k->subject, c->login_max_failures_pair, &refused);
	if (e == ERR_OK && *wait == 0 && !refused && unknown)
		e = count_one(r, "account", k->account, c->login_max_failures_account, &refused);
	if (e == ERR_OK && refused) {
		/* Blocked by an attempt that went just before: how long for. */
		e = db_rows(r, &Q_THROTTLE_WAIT, &res, k->kind, k->subject, k->account, unknown);
		*wait = e == ERR_OK && wait_seconds(&res) > 1 ? wait_seconds(&res) : 2;
	}
	if (e != ERR_OK || *wait > 0) {
		db_rollback(r);
		return e;
	}
	return db_commit(r);
}

/*
 * The same bookkeeping for one counter of its own (the second factor's:
 * kind 'totp', the person's id), in its own short transaction before the
 * code is checked: *wait > 0 while it is blocked. max: failures before the
 * delays start.
 */
enum err authdb_throttle_count_one(struct req *r, const char *kind, const char *subject, int max,
				   int64_t *wait)
{
	bool refused = false;
	struct db_res res;
	enum err e = db_begin(r);

	*wait = 0;
	if (e == ERR_OK)
		e = db_rows(r, &Q_THROTTLE_WAIT, &res, kind, subject, "", (int64_t)0);
	if (e == ERR_OK)
		*wait = wait_seconds(&res);
	if (e == ERR_OK && *wait == 0)
		e = count_one(r, kind, subject, max, &refused);
	if (e == ERR_OK && refused) {
		e = db_rows(r, &Q_THROTTLE_WAIT, &res, kind, subject, "", (int64_t)0);
		*wait = e == ERR_OK && wait_seconds(&res) > 1 ? wait_seconds(&res) : 2;
	}
	if (e != ERR_OK || *wait > 0) {
		db_rollback(r);
		return e;
	}
	return db_commit(r);
}

enum err authdb_throttle_clear_one(struct req *r, const char *kind, const char *subject)
{
	return db_run(r, &Q_THROTTLE_CLEAR, NULL, kind, subject, "", (int64_t)0);
}

enum err authdb_throttle_succeeded(struct req *r, const struct throttle_key *k)
{
	return db_run(r, &Q_THROTTLE_CLEAR, NULL, k->kind, k->subject, k->account,
		      (int64_t)!k->known_device);
}

/* The undoing of authdb_throttle_count, in its own transaction: the same
 * bookkeeping, with no audit row either (the request wrote nothing else). */
enum err authdb_throttle_give_back(struct req *r, const struct throttle_key *k)
{
	enum err e = db_begin(r);

	if (e == ERR_OK)
		e = db_run(r, &Q_THROTTLE_GIVE_BACK, NULL,
			   (int64_t)r->cfg->login_max_failures_pair, k->kind, k->subject);
	if (e == ERR_OK && !k->known_device)
		e = db_run(r, &Q_THROTTLE_GIVE_BACK, NULL,
			   (int64_t)r->cfg->login_max_failures_account, "account", k->account);
	if (e != ERR_OK) {
		db_rollback(r);
		return e;
	}
	return db_commit(r);
}

enum err authdb_device_known(struct req *r, const unsigned char hash[32], const char *account,
			     bool *known)
{
	return db_exists(r, &Q_DEVICE_KNOWN, known, hash, (size_t)32, account,
			 (int64_t)r->cfg->login_device_days);
}

enum err authdb_person_of_account(struct req *r, const char *account, int64_t *person_id)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_PERSON_OF_ACCOUNT, &res, account);

	*person_id = e == ERR_OK && res.n_rows == 1 ? db_int(&res, 0, "id") : 0;
	return e;
}

enum err authdb_device_second_factor(struct req *r, const unsigned char hash[32], int64_t person_id,
				     bool *remembered)
{
	return db_exists(r, &Q_DEVICE_SECOND_FACTOR, remembered, hash, (size_t)32, person_id);
}

enum err authdb_device_remember_second_factor(struct req *r, const unsigned char hash[32],
					      int64_t person_id)
{
	return db_run(r, &Q_DEVICE_REMEMBER_SECOND_FACTOR, NULL,
		      (int64_t)r->cfg->login_totp_remember_days, hash, (size_t)32, person_id);
}

enum err authdb_devices_forget_second_factor(struct req *r, int64_t person_id)
{
	return db_run(r, &Q_DEVICE_FORGET_SECOND_FACTOR, NULL, person_id);
}

enum err authdb_device_remember(struct req *r, const unsigned char hash[32], int64_t person_id)
{
	return db_run(r, &Q_DEVICE_REMEMBER, NULL, hash, (size_t)32, person_id);
}

/* The person's attributes as the directory entry p has them, six values
 * in the order of PERSON_SAME and of Q_PERSON_REFRESH's SET. */
#define PERSON_VALUES(p)                                                                           \
	(p)->username, (p)->display_name != NULL ? (p)->display_name : (p)->username,              \
	    (p)->given_name, (p)->family_name, (p)->email, (p)->dn

/*
 * Which person the entry p is: the one bound to its identity (whatever
 * their username now: the directory may rename), else the one holding its
 * username, unbound or bound to this same entry. A person holding the
 * username but bound to another entry is a mismatch: the username passed
 * to a new entry, which inherits nothing. *id is 0 for a new person.
 */
static enum err person_for_entry(struct req *r, const struct ldap_person *p, int64_t *id,
				 bool *mismatch)
{
	struct db_res res;
	const char *bound;
	enum err e = db_rows(r, &Q_PERSON_BY_DIRECTORY_ID, &res, p->entry_id);

	*id = 0;
	*mismatch = false;
	if (e != ERR_OK)
		return e;
	if (res.n_rows == 1) {
		*id = db_int(&res, 0, "id");
		return ERR_OK;
	}
	e = db_rows(r, &Q_PERSON_BY_USERNAME, &res, p->username);
	if (e != ERR_OK || res.n_rows != 1)
		return e;
	*id = db_int(&res, 0, "id");
	bound = db_str(&res, 0, "directory_id");
	*mismatch = bound != NULL && strcmp(bound, p->entry_id) != 0;
	return ERR_OK;
}

enum err authdb_person_upsert(struct req *r, const struct ldap_person *p, bool login,
			      int64_t *person_id, bool *active, bool *mismatch)
{
	struct db_res res;
	int64_t before = 0;
	enum err e = person_for_entry(r, p, person_id, mismatch);

	*active = false;
	if (e != ERR_OK)
		return e;
	if (*mismatch)
		return db_run(r, &Q_PERSON_MISMATCH, NULL, p->entry_id, *person_id);
	if (*person_id == 0) {
		*person_id = random_id();
		e = db_run(r, &Q_PERSON_INSERT, NULL, *person_id, PERSON_VALUES(p), p->entry_id,
			   (int64_t)login);
	} else {
		e = db_rows(r, &Q_PERSON_STATE, &res, *person_id);
		if (e == ERR_OK && res.n_rows == 1)
			before = db_int(&res, 0, "version");
		if (e == ERR_OK)
			e = db_run(r, &Q_PERSON_REFRESH, NULL, PERSON_VALUES(p), PERSON_VALUES(p),
				   PERSON_VALUES(p), p->entry_id, (int64_t)login, *person_id);
	}
	if (e != ERR_OK)
		return e;
	e = db_rows(r, &Q_PERSON_STATE, &res, *person_id);
	if (e != ERR_OK)
		return e;
	if (res.n_rows != 1)
		return fail_internal(r, ERR_INTERNAL, "person vanished after upsert");
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

enum err authdb_bound_people(struct req *r, int64_t after, int64_t limit, int64_t *ids,
			     const char **entry_ids, size_t *n)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_BOUND_PEOPLE, &res, after, limit);

	*n = 0;
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < res.n_rows && i < (size_t)limit; i++) {
		ids[i] = db_int(&res, i, "id");
		entry_ids[i] = db_str(&res, i, "directory_id");
		(*n)++;
	}
	return ERR_OK;
}

enum err authdb_person_deactivate(struct req *r, int64_t person_id)
{
	enum err e = db_run(r, &Q_PERSON_DEACTIVATE, NULL, person_id);

	if (e == ERR_OK)
		e = db_run(r, &Q_PERSON_SESSIONS_REVOKE, NULL, person_id, (int64_t)0, (int64_t)0);
	if (e == ERR_OK)
		e = db_reference_changed(r);
	return e;
}

/* Every statement of this file, for tutoratctl check-sql. */
const struct db_sql *const auth_db_statements[] = {
    &Q_SESSION_BY_ID,	   &Q_SESSION_BY_SECRET,
    &Q_SESSION_INSERT,	   &Q_SESSION_REVOKE,
    &Q_THROTTLE_WAIT,	   &Q_THROTTLE_FAIL,
    &Q_THROTTLE_CLEAR,
    &Q_THROTTLE_SPRAY,	   &Q_DEVICE_KNOWN,	  &Q_PERSON_OF_ACCOUNT,
    &Q_DEVICE_REMEMBER,	   &Q_THROTTLE_GIVE_BACK, &Q_PERSON_INSERT,
    &Q_PERSON_REFRESH,	   &Q_PERSON_MISMATCH,
    &Q_PERSON_BY_USERNAME, &Q_PERSON_BY_DIRECTORY_ID,
    &Q_PERSON_STATE,	   &Q_LDAP_ROLES_DELETE,
    &Q_LDAP_ROLE_INSERT,   &Q_BOUND_PEOPLE,
    &Q_PERSON_DEACTIVATE,  &Q_PERSON_SESSIONS_REVOKE, &Q_SESSION_TOUCH, &Q_PERSON_SESSIONS,
    &Q_SESSION_REVOKE_ALL, &Q_SESSION_SECOND_FACTOR, &Q_DEVICE_SECOND_FACTOR,
    &Q_DEVICE_REMEMBER_SECOND_FACTOR, &Q_DEVICE_FORGET_SECOND_FACTOR, NULL,
};
