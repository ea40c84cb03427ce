/*
 * The SQL of the mailer and of the admin's mail routes (server/mailer.h).
 * Every statement is tenant-bound: the académie is the first placeholder,
 * or the places marked 'A'.
 */
#include "db.h"
#include "mailer.h"
#include "req.h"
#include "util.h"

#include <string.h>

/* Due rows: pending and due, or claimed by a mailer whose lease ran out.
 * SKIP LOCKED: rows another mailer is claiming right now are left to it. */
static const struct db_sql Q_DUE = {
    "SELECT id FROM mail_outbox WHERE academy_id = ? AND "
    "((state = 'pending' AND next_attempt_at <= NOW(3)) OR "
    "(state = 'sending' AND claimed_until < NOW(3))) "
    "ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
    "i", DB_COLS("id")};

static const struct db_sql Q_CLAIM = {
    "UPDATE mail_outbox SET state = 'sending', claimed_by = ?, "
    "claimed_until = NOW(3) + INTERVAL ? SECOND WHERE academy_id = ? AND id = ?",
    "siAi", NULL};

static const struct db_sql Q_CLAIMED = {
    "SELECT o.id, o.recipient_id, o.to_addr, p.display_name, o.digest, o.subject, "
    "o.body_text, o.body_html, o.message_id, o.attempts FROM mail_outbox o "
    "LEFT JOIN person p ON p.academy_id = o.academy_id AND p.id = o.recipient_id "
    "WHERE o.academy_id = ? AND o.state = 'sending' AND o.claimed_by = ? "
    "ORDER BY o.digest, o.recipient_id, o.id",
    "s",
    DB_COLS("id", "recipient_id", "to_addr", "display_name", "digest", "subject", "body_text",
	    "body_html", "message_id", "attempts")};

static const struct db_sql Q_SENT = {
    "UPDATE mail_outbox SET state = 'sent', sent_at = NOW(3), sent_in = ?, claimed_by = NULL, "
    "claimed_until = NULL, last_error = NULL WHERE academy_id = ? AND id = ? AND state <> 'sent'",
    "zAi", NULL};

static const struct db_sql Q_RETRY_LATER = {
    "UPDATE mail_outbox SET state = 'pending', attempts = attempts + 1, "
    "next_attempt_at = NOW(3) + INTERVAL ? SECOND, last_error = ?, claimed_by = NULL, "
    "claimed_until = NULL WHERE academy_id = ? AND id = ? AND state = 'sending' AND "
    "claimed_by = ?",
    "isAis", NULL};

static const struct db_sql Q_FAILED = {
    "UPDATE mail_outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, "
    "claimed_by = NULL, claimed_until = NULL WHERE academy_id = ? AND id = ? AND "
    "state = 'sending' AND claimed_by = ?",
    "sAis", NULL};

/* The admin's list, newest first, with the filter's total. */
static const struct db_sql Q_ADMIN_LIST = {
    "SELECT o.id, o.recipient_id, p.display_name, o.to_addr, o.kind, o.subject, o.state, "
    "o.attempts, o.last_error, DATE_FORMAT(o.created_at, '%Y-%m-%dT%H:%i:%sZ') AS created_at, "
    "DATE_FORMAT(o.sent_at, '%Y-%m-%dT%H:%i:%sZ') AS sent_at, COUNT(*) OVER () AS total "
    "FROM mail_outbox o LEFT JOIN person p ON p.academy_id = o.academy_id AND "
    "p.id = o.recipient_id WHERE o.academy_id = ? AND (? IS NULL OR o.state = ?) "
    "ORDER BY o.created_at DESC, o.id DESC LIMIT ? OFFSET ?",
    "ssii",
    DB_COLS("id", "recipient_id", "display_name", "to_addr", "kind", "subject", "state",
	    "attempts", "last_error", "created_at", "sent_at", "total")};

static const struct db_sql Q_ADMIN_BY_STATE = {
    "SELECT state, COUNT(*) AS n FROM mail_outbox WHERE academy_id = ? GROUP BY state", "",
    DB_COLS("state", "n")};

/* The people who were to be told by mail and have no address still. */
static const struct db_sql Q_ADMIN_GAPS = {
    "SELECT p.id, p.display_name, COUNT(*) AS n FROM mail_outbox o JOIN person p ON "
    "p.academy_id = o.academy_id AND p.id = o.recipient_id WHERE o.academy_id = ? AND "
    "o.state = 'failed' AND o.to_addr IS NULL AND (p.email IS NULL OR p.email = '') "
    "GROUP BY p.id, p.display_name ORDER BY p.display_name, p.id LIMIT 200",
    "", DB_COLS("id", "display_name", "n")};

static const struct db_sql Q_ADMIN_RETRY = {
    "UPDATE mail_outbox o SET o.state = 'pending', o.attempts = 0, o.next_attempt_at = NOW(3), "
    "o.last_error = NULL, o.to_addr = COALESCE((SELECT NULLIF(p.email, '') FROM person p "
    "WHERE p.academy_id = o.academy_id AND p.id = o.recipient_id), o.to_addr) "
    "WHERE o.academy_id = ? AND o.id = ? AND o.state = 'failed'",
    "i", NULL};

static const struct db_sql Q_ADMIN_STATE = {
    "SELECT state FROM mail_outbox WHERE academy_id = ? AND id = ?", "i", DB_COLS("state")};

const struct db_sql *const mailer_statements[] = {
    &Q_DUE,	     &Q_CLAIM,	       &Q_CLAIMED,	&Q_SENT,	&Q_RETRY_LATER,
    &Q_FAILED,	     &Q_ADMIN_LIST,    &Q_ADMIN_BY_STATE, &Q_ADMIN_GAPS, &Q_ADMIN_RETRY,
    &Q_ADMIN_STATE, NULL,
};

enum err mailer_claim(struct req *r, const char *token, int lease, int limit, size_t *n)
{
	struct db_res due;
	enum err e = db_begin(r);

	*n = 0;
	if (e == ERR_OK)
		e = db_rows(r, &Q_DUE, &due, (int64_t)limit);
	for (size_t i = 0; e == ERR_OK && i < due.n_rows; i++)
		e = db_run(r, &Q_CLAIM, NULL, token, (int64_t)lease, db_int(&due, i, "id"));
	if (e == ERR_OK)
		e = db_commit(r);
	else
		db_rollback(r);
	if (e == ERR_OK)
		*n = due.n_rows;
	return e;
}

enum err mailer_claimed(struct req *r, const char *token, struct mail_row **rows, size_t *n)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_CLAIMED, &res, token);
	struct mail_row *out;

	*rows = NULL;
	*n = 0;
	if (e != ERR_OK)
		return e;
	out = arena_zalloc(r->arena, (res.n_rows + 1) * sizeof(*out));
	if (out == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	for (size_t i = 0; i < res.n_rows; i++) {
		out[i].id = db_int(&res, i, "id");
		out[i].recipient_id = db_int(&res, i, "recipient_id");
		out[i].to_addr = db_str(&res, i, "to_addr");
		out[i].recipient_name = db_str(&res, i, "display_name");
		out[i].digest = db_bool(&res, i, "digest");
		out[i].subject = db_str(&res, i, "subject");
		out[i].body_text = db_str(&res, i, "body_text");
		out[i].body_html = db_str(&res, i, "body_html");
		out[i].message_id = db_str(&res, i, "message_id");
		out[i].attempts = (int)db_int(&res, i, "attempts");
	}
	*rows = out;
	*n = res.n_rows;
	return ERR_OK;
}

enum err mailer_mark_sent(struct req *r, const int64_t *ids, size_t n, int64_t sent_in)
{
	enum err e = db_begin(r);

	for (size_t i = 0; e == ERR_OK && i < n; i++)
		e = db_run(r, &Q_SENT, NULL, sent_in, ids[i]);
	if (e == ERR_OK)
		return db_commit(r);
	db_rollback(r);
	return e;
}

enum err mailer_mark_retry(struct req *r, int64_t id, const char *token, int delay,
			   const char *why)
{
	return db_run(r, &Q_RETRY_LATER, NULL, (int64_t)delay, why, id, token);
}

enum err mailer_mark_failed(struct req *r, int64_t id, const char *token, const char *why)
{
	return db_run(r, &Q_FAILED, NULL, why, id, token);
}

enum err mailer_admin_list(struct req *r, const char *state, int64_t limit, int64_t offset,
			   struct db_res *out)
{
	return db_rows(r, &Q_ADMIN_LIST, out, state, state, limit, offset);
}

enum err mailer_admin_counts(struct req *r, struct db_res *by_state, struct db_res *gaps)
{
	enum err e = db_rows(r, &Q_ADMIN_BY_STATE, by_state);

	return e == ERR_OK ? db_rows(r, &Q_ADMIN_GAPS, gaps) : e;
}

enum err mailer_admin_retry(struct req *r, int64_t id, const char **state)
{
	uint64_t changed = 0;
	struct db_res res;
	enum err e = db_run(r, &Q_ADMIN_RETRY, &changed, id);

	*state = NULL;
	if (e != ERR_OK || changed == 1)
		return e;
	e = db_one(r, &Q_ADMIN_STATE, &res, id);
	if (e != ERR_OK)
		return e;
	*state = db_str(&res, 0, "state");
	return ERR_CONFLICT;
}
