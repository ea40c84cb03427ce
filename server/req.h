/*
 * A request as the handlers see it, the route tables the modules declare,
 * and the helpers handlers use to read typed input and to answer.
 *
 * Order of work for every request (server/dispatch.c): parse -> route ->
 * authenticate -> authorize (the route's role mask) -> validate -> access
 * (the route's object and the relations it admits, resolved by the module:
 * 404 as for a missing id) -> handler (inside a transaction for writes) ->
 * respond -> audit/log/metrics. The role check comes before validation so
 * that a caller without the role learns nothing about the route's inputs.
 */
#ifndef TUTORAT_REQ_H
#define TUTORAT_REQ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "authz.h"
#include "problem.h"

struct worker;
struct academy_cfg;
struct req;

enum http_method { M_GET, M_POST, M_PUT, M_PATCH, M_DELETE, M__MAX };

enum param_type {
	P_STRING, /* UTF-8 text, length in [min, max] bytes */
	P_INT,	  /* integer in [min, max] */
	P_ID,	  /* record identifier: integer in [1, 2^53) */
	P_BOOL,
	P_ENUM,	    /* one of choices[] */
	P_DATE,	    /* YYYY-MM-DD */
	P_DATETIME, /* YYYY-MM-DDTHH:MM (local time of the académie) */
	P_LIST,	    /* body only: array of objects described by fields (without fields:
		       of record ids), min..max items */
};

enum param_loc { LOC_PATH, LOC_QUERY, LOC_BODY };

struct param_spec {
	const char *name;
	enum param_loc loc;
	enum param_type type;
	bool required;
	bool nullable; /* body only: JSON null is accepted (clears the value) */
	int64_t min, max;
	const char *const *choices;	 /* P_ENUM: NULL-terminated */
	const struct param_spec *fields; /* P_LIST: the members of each object */
	/* Extra check on a string value; returns false to refuse it. */
	bool (*check)(const char *s, size_t n);
};

typedef enum err (*handler_fn)(struct req *r);

/*
 * The object a route addresses, named by one of its path parameters, and
 * who may reach it. The module's resolver gives the caller's relations to
 * the object (module-defined bits: trio member, manager, pilot...). A
 * caller with none of `see` is answered 404, byte for byte as for a
 * missing id; one who sees the object but holds none of `act` gets 403
 * with `refusal` (they know it exists). The handler runs only for `act`.
 */
struct route_object {
	int kind;	     /* the module's object kind; 0: the route names none */
	const char *param;   /* the path parameter naming it: "id" */
	unsigned see;	     /* relations for which the object exists */
	unsigned act;	     /* relations admitted to the route; 0: all of `see` */
	const char *refusal; /* the 403 detail for see-but-not-act */
};

struct route {
	enum http_method method;
	const char *pattern; /* "/api/v1/people/{id}" */
	handler_fn handler;
	const struct param_spec *params; /* terminated by {0} */
	uint32_t allow;			 /* authz mask; 0 denies everyone */
	unsigned index;			 /* set at start-up: metrics slot */
	/* Raw body (uploads): not parsed; any content type; at most max_body
	 * bytes (0: the configured max_body_bytes). */
	bool raw_body;
	size_t max_body;
	/* A write whose handler runs its own short transactions (db_begin,
	 * audit_commit) instead of the pipeline's one: for a handler that must
	 * hold no transaction while it waits on something else (login: the
	 * directory). Each transaction commits only with an audit row; a write
	 * outside them is refused (server/dispatch.c run_own_transactions). */
	bool own_transactions;
	/* Not the person's own activity (a token refresh, a count the page
	 * polls): the session's idle clock does not move ([server]
	 * session_idle, server/authn.c). */
	bool passive;
	/* Demands a session opened with a second factor (403
	 * second_factor_required otherwise; server/mfa.c mfa_admit). */
	bool second_factor;
	/* Reachable by a person whose role requires a second factor they have
	 * not enrolled yet (the enrolment-only state: /auth/me, logout, the
	 * enrolment routes); every other route answers 403
	 * totp_enrolment_required to them. */
	bool before_second_factor;
	/* A GET whose statements (the resolver's and the handler's) run on the
	 * worker's reporting connection ([database.reporting], read-only) when
	 * one is configured, else on the primary (server/dispatch.c). */
	bool reporting;
	/* A GET of a sensitive record (RGPD: "who read my file"): the record's
	 * type in read_log ("case", "bilan"...). The pipeline runs the route in
	 * a transaction and, when the handler answered and the resolver named
	 * the record's subject (r->subject_id) and the caller is someone else,
	 * writes one read_log row in it (server/readlog_db.c): the read is
	 * logged exactly when it is answered. Needs an object. */
	const char *read_log;
	struct route_object object;
	const struct module *module; /* set at start-up */
};

struct st_mysql;
struct db_sql;
struct notice_kind;

/* One kind of CSV import (tutoratctl --academy CODE import NAME FILE.csv):
 * the header, exactly; the leading columns that may not be empty; the
 * function that writes one row (with its audit row). tutoratctl checks
 * every line's shape first, then writes the whole file in one transaction. */
struct module_import {
	const char *name;
	const char *const *columns; /* NULL-terminated */
	size_t n_required;
	enum err (*row)(struct req *r, char **fields);
};

struct config;

/* A command of tutoratctl that a module offers:
 * `tutoratctl -c CONFIG [--academy CODE] NAME [ARGS...]`; argv[0] is NAME.
 * It runs outside requests (its own connections) and returns the exit
 * status. */
struct module_verb {
	const char *name;
	const char *usage; /* "[--seed N] [--trainees N]", for tutoratctl's usage */
	int (*run)(const struct config *cfg, const char *academy, int argc, char **argv);
	/* Refused, before any connection, unless [server] environment =
	 * development (it writes invented data). */
	bool development_only;
};

/*
 * A reminder a module offers to `tutoratctl remind` (modules/tutorat/
 * tutorat_remind.c runs those of every module; docs/architecture.md,
 * "Reminders"). Its rule (reminder_rule, per académie, seeded by
 * tutoratctl migrate from `defaults`) gives the offsets, in days from the
 * due date, of its steps. The finder is bound (steps JSON, today, académie)
 * and answers object_id, step, recipient_id, subject, link_id and the
 * column `notice_id` names: the record of kind `notice_object` the
 * recipient must still see, with one of `relations` (the module's
 * .relations_of re-checks it when the notification is listed).
 */
struct module_reminder {
	const char *kind;     /* reminder_rule.kind and the notice kind (the module's .notices) */
	const char *label;    /* for the admin: what it reminds of */
	const char *defaults; /* the offsets tutoratctl migrate seeds: "-7,-1,1" */
	const struct db_sql *finder;
	const char *object; /* reminder_sent's and the audit row's object: "followup" */
	const char *notice_object;
	int notice_object_kind;
	const char *notice_id; /* the finder's column of the notification's object id */
	unsigned relations;
	const char *link; /* the screen, "%lld" the finder's link_id */
};

/*
 * A module's part of the home page's agenda (GET /api/v1/agenda, built by
 * modules/tutorat/tutorat_agenda.c): `run` appends the caller's entries
 * ({kind, date, ...}) to items, in a bounded number of statements, only
 * for the roles it concerns.
 */
struct module_agenda {
	enum err (*run)(struct req *r, json_t *items);
};

struct module {
	const char *name;
	struct route *routes;
	size_t n_routes;
	/*
	 * Required when a route declares an object: the caller's relations to
	 * object `kind` number `id` of the tenant (only those among `wanted`
	 * need be computed), and the module's context for the handler (in the
	 * arena; read back with req_object). ERR_NOT_FOUND when the tenant has
	 * no such object; any other error ends the request.
	 */
	enum err (*resolve)(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
			    void **ctx);
	/* The names of the relation bits (index = bit), for `tutoratctl routes`
	 * and the generated access matrix; NULL-terminated. */
	const char *const *relations;
	/* The names of the object kinds (index = kind), NULL-terminated. */
	const char *const *objects;
	/* Every statement the module runs, NULL-terminated: tutoratctl
	 * check-sql prepares each against the migrated schema. */
	const struct db_sql *const *statements;
	/* The module's own problems (fail_problem), NULL-terminated: their
	 * codes are unique across the service (tests/unit/test_problem.c). */
	const struct problem_def *const *problems;
	/* The CSV imports the module offers, ended by a {0} entry. */
	const struct module_import *imports;
	/* Its own tutoratctl commands, ended by a {0} entry. */
	const struct module_verb *verbs;
	/* Optional: reference data every académie needs (tutoratctl migrate
	 * calls it for each configured académie; it must be idempotent). */
	bool (*seed)(struct st_mysql *my, uint32_t academy_id, char *err, size_t errlen);
	/* The kinds of events the module notifies, ended by a {0} entry
	 * (server/notify.h). */
	const struct notice_kind *notices;
	/* Required with notices: the caller's relation bits to each of the n
	 * objects of kind `kind` (ids), 0 where the object is gone or not
	 * theirs to see, in a bounded number of statements whatever n: the
	 * notifications are re-checked through it when listed and opened. */
	enum err (*relations_of)(struct req *r, int kind, const int64_t *ids, size_t n,
				 unsigned *rel);
	/* Optional: its reminders (tutoratctl remind), ended by a {0} entry. */
	const struct module_reminder *reminders;
	/* Optional: its entries of the home page's agenda. */
	const struct module_agenda *agenda;
	/* Optional: the statement list of a second file of the module
	 * (NULL-terminated), prepared by check-sql like .statements. */
	const struct db_sql *const *more_statements;
};

/* A validated argument: handlers read these, never raw input. */
struct arg {
	const struct param_spec *spec;
	bool present, is_null;
	int64_t i;
	const char *s;
	size_t len;
	json_t *list; /* P_LIST: the validated array, borrowed from the body */
};

#define REQ_MAX_ARGS	24
#define REQ_MAX_HEADERS 8

struct principal {
	const struct academy_cfg *academy;
	int64_t person_id;
	int64_t session_id;
	const char *username, *display_name, *email;
	uint32_t roles;
	bool via_cookie;
	bool second_factor; /* the session was opened (or confirmed) with one */
};

struct db_conn;
struct config;

struct req {
	struct worker *w;    /* the worker serving it: its caches (modules, authn) */
	struct arena *arena; /* the worker's, reset when the request ends */
	const struct config *cfg;
	struct db_conn *db; /* the worker's connection: the data layer needs no more */
	char request_id[40];
	double t0;
	/* CLOCK_REALTIME by which the request must be answered: nginx's
	 * receipt (REQUEST_START) plus [server] request_deadline. */
	double deadline;

	enum http_method method;
	const char *method_str;
	const char *path;
	const char *query;
	const char *remote_addr;
	const char *content_type;
	const char *authorization;
	const char *cookie;
	const char *if_match;
	const char *requested_with;
	const char *body;
	size_t body_len;
	json_t *json; /* the parsed body, released with the arena */

	const struct route *route;
	const char *path_vals[8];
	/* The route's object as the resolver found it: the caller's relations
	 * to it and the module's context (NULL when the route names none). */
	unsigned rel;
	void *object;
	/* The person the route's object is about (the trainee of an
	 * enrolment, the student of a SOPA report), set by resolvers that know
	 * one: the subject of a route's read_log row. 0: none. */
	int64_t subject_id;
	struct arg args[REQ_MAX_ARGS];
	size_t n_args;

	/* The tenant of every SQL statement: fixed by the verified token, or
	 * by the login handler from its validated body. */
	const struct academy_cfg *tenant;
	bool authenticated;
	struct principal who;

	/* Response. */
	int status;
	json_t *reply;
	const char *reply_type; /* default application/json */
	const char *raw_reply;	/* for non-JSON bodies */
	size_t raw_len;
	const char *headers[REQ_MAX_HEADERS];
	size_t n_headers;
	enum err err;
	const struct problem_def *problem; /* with ERR_MODULE: the module's problem */
	const char *err_field;
	const char *err_detail;
	const char *log_detail; /* internal detail, logged, never sent */
	/* A refusal's list of itemised errors (an import's bad lines:
	 * [{line, field, detail}]), sent as the problem's `errors` member;
	 * released with the arena (jarena). */
	json_t *err_list;
	int64_t retry_after;

	bool conflict;	      /* a deadlock or a Galera certification failure: may run again */
	int audited;	      /* audit rows written by this request */
	int audited_at_begin; /* r->audited when the transaction began */
	unsigned statements;  /* SQL statements executed (logged; list routes stay bounded) */
};

/* Typed access to validated arguments. */
const struct arg *arg_get(const struct req *r, const char *name);
bool arg_has(const struct req *r, const char *name);
const char *arg_str(const struct req *r, const char *name); /* NULL if absent/null */
int64_t arg_int(const struct req *r, const char *name, int64_t dflt);
bool arg_bool(const struct req *r, const char *name, bool dflt);
json_t *arg_list(const struct req *r, const char *name); /* P_LIST, or NULL */

/* The module's context of the route's object (see struct route_object). */
static inline void *req_object(const struct req *r) { return r->object; }

/* Answers. */
void reply_json(struct req *r, int status, json_t *body); /* takes the reference */
void reply_empty(struct req *r, int status);
void reply_header(struct req *r, const char *line); /* "Name: value", copied */
/* A record read or written with its version: the body, and ETag: "<version>"
 * from its "version" member (If-Match of the next write). */
void reply_versioned(struct req *r, int status, json_t *body);
/* {"id": id}, the answer of a creation. */
void reply_id(struct req *r, int status, int64_t id);
/* Records the error with the offending field and a detail; returns e. */
enum err fail(struct req *r, enum err e, const char *field, const char *detail);
/* Logs an internal detail (never sent) and returns e. */
enum err fail_internal(struct req *r, enum err e, const char *log_detail);
/* A module's own problem (struct module.problems); returns ERR_MODULE. */
enum err fail_problem(struct req *r, const struct problem_def *p, const char *field,
		      const char *detail);
/* The problem the request answers with (its error's, or the module's). */
const struct problem_def *req_problem(const struct req *r);

/* The version a client sent in If-Match ("3" or W/"3"); ERR_PRECONDITION_REQUIRED
 * if missing, ERR_PRECONDITION_FAILED if malformed. */
enum err req_if_match(struct req *r, int64_t *version);

/* jansson helpers bound to the arena: the value is decref'd at request end. */
json_t *jarena(struct req *r, json_t *v);
#define JSTR(s) ((s) != NULL ? json_string(s) : json_null())

#endif
