/*
 * One table maps every error a handler can return to an HTTP status, a
 * stable machine code and a French title for the interface.
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
	ERR_PRECONDITION_REQUIRED,
	ERR_PRECONDITION_FAILED,
	ERR_TOO_MANY_ATTEMPTS,
	ERR_DATABASE_UNAVAILABLE,
	ERR_LDAP_UNAVAILABLE,
	ERR_INTERNAL,
	ERR__MAX
};

struct problem_def {
	int status;
	const char *code;
	const char *title;
};

const struct problem_def *problem_get(enum err e);

#endif
