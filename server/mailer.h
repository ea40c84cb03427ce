/*
 * The mailer: `tutoratctl mailer [--once]` delivers the rows of
 * mail_outbox (written by notify() in the event's transaction) through
 * each académie's SMTP relay, and the académie's admin reads and retries
 * them (GET /api/v1/admin/mail, .../summary, POST .../{id}/retry).
 *
 * At least once, never twice for a crash: a row is claimed (state
 * 'sending', claimed_by, claimed_until = now + [mail] lease) in a short
 * transaction with FOR UPDATE SKIP LOCKED, so that mailers running at once
 * never take the same row; it is sent; after the relay's 250 the row is
 * written to the journal ([mail] journal, fsync'd), then marked 'sent',
 * then dropped from the journal. A mailer that dies between the 250 and
 * the mark finds the row in its journal when it starts again and marks it
 * without sending it again. A claim whose mailer died before the 250
 * expires with its lease and the row goes again (the same Message-ID).
 *
 * Only tutoratctl sends: no request ever waits on a relay.
 */
#ifndef TUTORAT_MAILER_H
#define TUTORAT_MAILER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "problem.h"

struct req;
struct config;
struct db_res;
struct module;

/* One row of the outbox as the mailer sends it. */
struct mail_row {
	int64_t id;
	int64_t recipient_id; /* 0: none */
	const char *to_addr;  /* NULL: none */
	const char *recipient_name;
	bool digest;
	const char *subject, *body_text, *body_html, *message_id;
	int attempts;
};

/* ---- data (server/mailer_db.c), all bound to r->tenant ---- */

/* Claims at most `limit` due rows under `token` (state 'sending' for
 * `lease` seconds), in one transaction; *n gets how many. */
enum err mailer_claim(struct req *r, const char *token, int lease, int limit, size_t *n);
/* The rows claimed under `token`, ordered by digest, recipient, id. */
enum err mailer_claimed(struct req *r, const char *token, struct mail_row **rows, size_t *n);
/* Marks ids[0..n) sent (sent_in: the row whose Message-ID carried them,
 * 0 for a mail of its own), in one transaction; a row already sent stays
 * as it is. */
enum err mailer_mark_sent(struct req *r, const int64_t *ids, size_t n, int64_t sent_in);
/* A temporary failure of a row claimed under `token`: back to 'pending',
 * attempts + 1, next try in `delay` seconds. */
enum err mailer_mark_retry(struct req *r, int64_t id, const char *token, int delay,
			   const char *why);
/* A permanent failure: 'failed', attempts + 1. */
enum err mailer_mark_failed(struct req *r, int64_t id, const char *token, const char *why);

/* The admin's routes' data. */
enum err mailer_admin_list(struct req *r, const char *state, int64_t limit, int64_t offset,
			   struct db_res *out);
enum err mailer_admin_counts(struct req *r, struct db_res *by_state, struct db_res *gaps);
/* A 'failed' row back to 'pending' now, its address read again from the
 * person; ERR_NOT_FOUND if the académie has no such row, ERR_CONFLICT if
 * it is in another state (*state gets it). */
enum err mailer_admin_retry(struct req *r, int64_t id, const char **state);

/* The statements of mailer_db.c (tutoratctl check-sql). */
extern const struct db_sql *const mailer_statements[];

/* ---- the daemon (server/mailer.c) ---- */

/* `tutoratctl mailer [--once]`: the module verb. */
int mailer_main(const struct config *cfg, const char *academy, int argc, char **argv);

/* The admin routes, the verb and the statements (server/modules.c). */
extern const struct module mail_module;

#endif
