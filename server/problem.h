/*
 * One table maps every error a handler can return to an HTTP status, a
 * stable machine code and a French title for the interface. A module's own
 * problems (a bilan already frozen...) are declared by the module (struct
 * module.problems) and raised with fail_problem(): server/ names none.
 */
#ifndef TUTORAT_PROBLEM_H
#define TUTORAT_PROBLEM_H

enum err {
	ERR_OK = 0,
	ERR_MALFORMED_JSON,
	ERR_UNSUPPORTED_MEDIA_TYPE,
	ERR_BODY_TOO_LARGE,
	ERR_UNKNOWN_FIELD,
	ERR_UNKNOWN_PARAMETER,
	ERR_MISSING_FIELD,
	ERR_INVALID_FIELD,
	ERR_UNAUTHENTICATED,
	ERR_INVALID_TOKEN,
	ERR_INVALID_CREDENTIALS,
	ERR_SESSION_EXPIRED,
	ERR_CSRF,
	ERR_FORBIDDEN,
	ERR_NOT_FOUND,
	ERR_METHOD_NOT_ALLOWED,
	ERR_CONFLICT,
	ERR_DUPLICATE, /* data layer: a unique key refused the row */
	ERR_REFERENCE, /* data layer: a foreign key or CHECK constraint refused it */
	ERR_PRECONDITION_REQUIRED,
	ERR_PRECONDITION_FAILED,
	ERR_TOO_MANY_ATTEMPTS,
	ERR_DATABASE_UNAVAILABLE,
	ERR_DEADLINE, /* the request waited past its deadline: not run, or not committed */
	ERR_LDAP_UNAVAILABLE,
	ERR_INTERNAL,
	ERR_MODULE, /* a module's own problem: r->problem says which (fail_problem) */
	ERR__MAX
};

struct problem_def {
	int status;
	const char *code;
	const char *title;
};

const struct problem_def *problem_get(enum err e);

#endif
