/*
 * The request pipeline, in its fixed order (docs/architecture.md): route,
 * body read, authentication and the role mask, the path's values, the
 * route's object (404 for whoever may not see it), the query and body, the
 * handler. Every step may end the request; nothing after a failed step
 * runs. Like the role mask before it, the object comes before the input is
 * checked: a caller who may not see the object learns nothing of the
 * route's inputs either.
 *
 * One error channel: whatever a step or a handler returns is folded into
 * r->err (fail() records the field and detail; the first error wins), and
 * the request has failed exactly when r->err is set at its end. A write
 * commits only then: never after an error, whatever the handler returned.
 */
#include "dispatch.h"
#include "authn.h"
#include "config.h"
#include "db.h"
#include "fcgi_io.h"
#include "log.h"
#include "metrics.h"
#include "mfa.h"
#include "readlog_db.h"
#include "util.h"
#include "worker.h"

#include <fcgiapp.h>
#include <string.h>

/* How long a dashboard's read waits for the reporting replica to apply
 * the primary's last writes before it reads from the primary instead. */
#define REPORTING_WAIT_MS 200

static bool is_write(enum http_method m) { return m != M_GET; }

/* Folds a step's result into the request's error; true when the request
 * has failed (an error returned, or one recorded by a step that went on). */
static bool failed(struct req *r, enum err e)
{
	if (e != ERR_OK)
		fail(r, e, NULL, NULL);
	return r->err != ERR_OK;
}

/*
 * The route's object (struct route_object): the module's resolver gives the
 * caller's relations to it. Not among `see`: the same 404 as a missing id.
 * Among `see` but not `act`: 403 with the route's refusal.
 */
static enum err resolve_object(struct req *r)
{
	const struct route_object *o = &r->route->object;
	unsigned act = o->act != 0 ? o->act : o->see;
	enum err e;

	if (o->kind == 0)
		return ERR_OK;
	r->rel = 0;
	e = r->route->module->resolve(r, o->kind, arg_int(r, o->param, 0), o->see | act, &r->rel,
				      &r->object);
	if (e != ERR_OK)
		return e;
	if (!(r->rel & o->see))
		return fail(r, ERR_NOT_FOUND, NULL, NULL);
	if (!(r->rel & act))
		return fail(r, ERR_FORBIDDEN, NULL, o->refusal);
	return ERR_OK;
}

/* The request waited or ran past its deadline ([server] request_deadline
 * after nginx received it, below nginx's own timeout). */
static bool past_deadline(struct req *r)
{
	if (now_real() < r->deadline)
		return false;
	r->retry_after = 1;
	return true;
}

/* The query string and the body, against the route's declared parameters. */
static enum err validate_input(struct req *r)
{
	enum err e = validate_query(r, r->query);

	return e != ERR_OK ? e : validate_body(r);
}

/* Authentication, the route's role mask, the CSRF rule for cookies, and
 * the second factor (the route's demand, and the enrolment-only state). */
static enum err admit(struct req *r)
{
	enum err e;

	if (r->route->allow & ALLOW_PUBLIC)
		return ERR_OK;
	e = auth_authenticate(r);
	if (e != ERR_OK)
		return e;
	if (!authz_allows(r->route->allow, r->authenticated, r->who.roles))
		return fail(r, r->authenticated ? ERR_FORBIDDEN : ERR_UNAUTHENTICATED, NULL, NULL);
	if (r->who.via_cookie && is_write(r->method) &&
	    (r->requested_with == NULL || strcmp(r->requested_with, "tutorat") != 0))
		return fail(r, ERR_CSRF, NULL,
			    "Les requêtes d'écriture authentifiées par cookie doivent porter "
			    "X-Requested-With: tutorat.");
	return mfa_admit(r);
}

/*
 * A write route that declares own_transactions (struct route): its handler
 * runs with no transaction open and opens its own short ones with
 * db_begin; one that records the request's change ends with audit_commit,
 * which commits only with an audit row (a data function may also commit
 * pure bookkeeping of its own: login's attempt counter). db_run refuses a
 * write outside a transaction; a handler that answers success without an
 * audit row fails, as any other write. What was committed stays whatever
 * the request answers (login: the attempt's count before the directory is
 * asked, the outcome after). A transaction left open (the handler failed
 * in it, or forgot it) is rolled back; a handler that answered success
 * with one open fails.
 */
static void run_own_transactions(struct req *r)
{
	if (!failed(r, resolve_object(r)) && !failed(r, validate_input(r)) &&
	    !failed(r, r->route->handler(r)) && r->audited == 0)
		fail_internal(r, ERR_INTERNAL, "write handler returned without an audit row");
	if (db_conn_in_tx(r->db)) {
		db_rollback(r);
		if (r->err == ERR_OK)
			fail_internal(r, ERR_INTERNAL, "write handler left its transaction open");
	}
}

/*
 * Writes run the access check, the input checks and the handler inside one
 * transaction, committed only if the request has not failed and the
 * handler wrote its audit row: a write that forgot its audit trail is
 * refused, not committed.
 */
static void write_once(struct req *r)
{
	if (failed(r, db_begin(r)))
		return;
	if (!failed(r, resolve_object(r)) && !failed(r, validate_input(r)) &&
	    !failed(r, r->route->handler(r)) && r->audited == 0)
		fail_internal(r, ERR_INTERNAL, "write handler returned without an audit row");
	/* Past its deadline nginx has answered the client already (or is
	 * about to): the work is not kept, whatever it was. */
	if (r->err == ERR_OK && past_deadline(r))
		fail(r, ERR_DEADLINE, NULL, NULL);
	if (r->err != ERR_OK) {
		db_rollback(r);
		return;
	}
	if (db_commit(r) != ERR_OK) {
		/* Never report success, nor its headers, for work not stored. */
		r->n_headers = 0;
		if (r->err == ERR_OK)
			fail_internal(r, ERR_DATABASE_UNAVAILABLE, "commit failed");
	}
}

/*
 * A transaction ended by a deadlock or, on Galera, by a certification
 * failure (another node committed a conflicting write first) stored
 * nothing: it runs again from its start, reading what won, at most
 * WRITE_ATTEMPTS times and within the deadline. The client sees one answer.
 * Each attempt starts from the request as it was before the first one.
 */
#define WRITE_ATTEMPTS 4
static void run_write(struct req *r)
{
	struct req start;

	if (r->route->own_transactions) {
		run_own_transactions(r);
		return;
	}
	start = *r;
	for (int attempt = 1;; attempt++) {
		unsigned statements;

		write_once(r);
		if (!r->conflict || attempt == WRITE_ATTEMPTS || now_real() >= r->deadline)
			return;
		log_msg("warn",
			"request %s: transaction ended by a conflict, running it again (%d)",
			r->request_id, attempt);
		metrics_count(METRIC_DB_RETRIES);
		if (r->reply != NULL)
			json_decref(r->reply);
		statements = r->statements;
		*r = start;
		r->statements = statements;
	}
}

/*
 * A GET of a sensitive record (struct route .read_log): the access check,
 * the input checks and the handler in one transaction with the read_log
 * row, written when the handler answered and the record's subject (named
 * by the resolver) is not the caller. The read is logged exactly when it
 * is answered: a log that cannot be written fails the read.
 */
static void run_logged_read(struct req *r)
{
	if (failed(r, db_begin(r)))
		return;
	if (!failed(r, resolve_object(r)) && !failed(r, validate_input(r)) &&
	    !failed(r, r->route->handler(r)) && r->subject_id != 0 &&
	    r->subject_id != r->who.person_id)
		failed(r, readlog_record(r, r->route->read_log,
					 arg_int(r, r->route->object.param, 0), r->subject_id));
	if (r->err != ERR_OK) {
		db_rollback(r);
		return;
	}
	if (db_commit(r) != ERR_OK) {
		r->n_headers = 0;
		if (r->err == ERR_OK)
			fail_internal(r, ERR_DATABASE_UNAVAILABLE, "commit failed");
	}
}

static void pipeline(struct req *r, FCGX_Request *fr)
{
	enum err e;
	size_t limit;

	fcgi_read_params(r, fr);
	/* Route first: the route decides how large a body may be. A request
	 * that routes nowhere still has its body drained (limit 0), and the
	 * routing error is the one reported. */
	e = r->method == M__MAX ? ERR_METHOD_NOT_ALLOWED : route_match(r, r->path, r->method);
	if (e != ERR_OK) {
		fcgi_read_body(r, fr, 0);
		r->err = ERR_OK;
		r->err_field = r->err_detail = NULL;
		fail(r, e, NULL, NULL);
		return;
	}
	limit = r->route->max_body != 0 ? r->route->max_body : r->w->cfg->max_body_bytes;
	if (failed(r, fcgi_read_body(r, fr, limit)))
		return;
	/* A request that waited past its deadline (in the socket's backlog,
	 * behind a stall) is refused before anything of it runs. */
	if (past_deadline(r)) {
		fail(r, ERR_DEADLINE, NULL, NULL);
		return;
	}
	if (failed(r, admit(r)) || failed(r, validate_path(r)))
		return;
	if (is_write(r->method)) {
		run_write(r);
		return;
	}
	if (r->route->read_log != NULL) {
		run_logged_read(r);
		return;
	}
	/* The dashboards' reads go to the reporting replica, once the caller
	 * is authenticated (the session lives on the primary), when it has
	 * applied every write the primary had committed: a count moves at the
	 * next read after a write, replica or not. A lagging or absent replica
	 * leaves the read on the primary. */
	if (r->route->reporting && r->w->reporting != NULL &&
	    db_conn_caught_up(r->db, r->w->reporting, REPORTING_WAIT_MS))
		r->db = r->w->reporting;
	if (!failed(r, resolve_object(r)) && !failed(r, validate_input(r)))
		failed(r, r->route->handler(r));
}

void dispatch_finish(struct worker *w, struct req *r, FCGX_Request *fr)
{
	double t1;

	fcgi_respond(r, fr);
	t1 = now_mono();
	log_request(r, (t1 - r->t0) * 1000.0);
	metrics_request(r->route != NULL ? r->route->index : (unsigned)routes_count(), r->status,
			t1 - r->t0);
	arena_reset(&w->arena);
}

void dispatch(struct worker *w, FCGX_Request *fr)
{
	struct req r;

	memset(&r, 0, sizeof(r));
	r.w = w;
	r.arena = &w->arena;
	r.cfg = w->cfg;
	r.db = w->db;
	r.t0 = now_mono();

	pipeline(&r, fr);
	if (db_conn_in_tx(w->db))
		db_rollback(&r); /* a path that left a transaction open */
	dispatch_finish(w, &r, fr);
}
