/*
 * server/problem.c: every error a handler can return has a row in the
 * table: a stable machine code, an HTTP status and a title.
 */
#include "unit.h"

#include "modules.h" /* before cmocka.h: req.h declares fail() */
#include "req.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "problem.h"
#include "util.h"

#include <string.h>

static void test_every_error_has_a_row(void **state)
{
	(void)state;
	for (int e = 0; e < ERR__MAX; e++) {
		const struct problem_def *p = problem_get((enum err)e);

		assert_non_null(p);
		assert_non_null(p->code);
		assert_non_null(p->title);
		assert_true(p->status >= 200 && p->status <= 599);
		assert_true(strlen(p->code) > 0);
		assert_true(strlen(p->title) > 0);
		assert_true(utf8_clean(p->title, strlen(p->title)));
		/* Codes are machine-readable: lower case, digits, underscores. */
		for (const char *c = p->code; *c != '\0'; c++)
			assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
				    *c == '_');
		/* Only ERR_OK is a success. */
		assert_int_equal(p->status < 400, e == ERR_OK);
	}
}

static void test_codes_unique(void **state)
{
	(void)state;
	for (int a = 0; a < ERR__MAX; a++)
		for (int b = a + 1; b < ERR__MAX; b++)
			if (problem_get((enum err)a) != problem_get((enum err)b))
				assert_string_not_equal(problem_get((enum err)a)->code,
							problem_get((enum err)b)->code);
}

/* The data layer's refusals reach the client as the plain conflict when the
 * handler does not name the field: the same row, not a copy of it. */
static void test_data_layer_refusals_are_conflicts(void **state)
{
	(void)state;
	assert_ptr_equal(problem_get(ERR_DUPLICATE), problem_get(ERR_CONFLICT));
	assert_ptr_equal(problem_get(ERR_REFERENCE), problem_get(ERR_CONFLICT));
	for (int a = 0; a < ERR__MAX; a++)
		if (a != ERR_DUPLICATE && a != ERR_REFERENCE && a != ERR_CONFLICT)
			assert_ptr_not_equal(problem_get((enum err)a), problem_get(ERR_CONFLICT));
}

/* The statuses and codes of the core errors, which the web client and the
 * API tests rely on. */
static void test_statuses(void **state)
{
	static const struct {
		enum err e;
		int status;
		const char *code;
	} want[] = {
	    {ERR_OK, 200, "ok"},
	    {ERR_MALFORMED_JSON, 400, "malformed_json"},
	    {ERR_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported_media_type"},
	    {ERR_BODY_TOO_LARGE, 413, "body_too_large"},
	    {ERR_UNKNOWN_FIELD, 422, "unknown_field"},
	    {ERR_UNKNOWN_PARAMETER, 400, "unknown_parameter"},
	    {ERR_MISSING_FIELD, 422, "missing_field"},
	    {ERR_INVALID_FIELD, 422, "invalid_field"},
	    {ERR_UNAUTHENTICATED, 401, "unauthenticated"},
	    {ERR_INVALID_TOKEN, 401, "invalid_token"},
	    {ERR_INVALID_CREDENTIALS, 401, "invalid_credentials"},
	    {ERR_SESSION_EXPIRED, 401, "session_expired"},
	    {ERR_CSRF, 403, "csrf_header_missing"},
	    {ERR_FORBIDDEN, 403, "forbidden"},
	    {ERR_NOT_FOUND, 404, "not_found"},
	    {ERR_METHOD_NOT_ALLOWED, 405, "method_not_allowed"},
	    {ERR_CONFLICT, 409, "conflict"},
	    {ERR_PRECONDITION_REQUIRED, 428, "precondition_required"},
	    {ERR_PRECONDITION_FAILED, 412, "version_mismatch"},
	    {ERR_TOO_MANY_ATTEMPTS, 429, "too_many_attempts"},
	    {ERR_DATABASE_UNAVAILABLE, 503, "database_unavailable"},
	    {ERR_LDAP_UNAVAILABLE, 503, "ldap_unavailable"},
	    {ERR_INTERNAL, 500, "internal_error"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(problem_get(want[i].e)->status, want[i].status);
		assert_string_equal(problem_get(want[i].e)->code, want[i].code);
	}
}

/* A module's own problems are well formed, and no code is used twice
 * across the core table and every module: a client tells them apart by code. */
static void test_module_problems_unique(void **state)
{
	const char *codes[256];
	size_t n = 0;

	(void)state;
	for (int e = 0; e < ERR__MAX; e++)
		if (e != ERR_DUPLICATE && e != ERR_REFERENCE)
			codes[n++] = problem_get((enum err)e)->code;
	for (size_t m = 0; m < n_modules; m++) {
		for (const struct problem_def *const *p = modules[m]->problems;
		     p != NULL && *p != NULL; p++) {
			assert_true((*p)->status >= 400 && (*p)->status <= 599);
			assert_true(strlen((*p)->title) > 0 &&
				    utf8_clean((*p)->title, strlen((*p)->title)));
			for (size_t i = 0; i < n; i++)
				assert_string_not_equal(codes[i], (*p)->code);
			assert_true(n < sizeof(codes) / sizeof(codes[0]));
			codes[n++] = (*p)->code;
		}
	}
	assert_true(n > ERR__MAX); /* the tutorat module declares its own */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_error_has_a_row),
	    cmocka_unit_test(test_codes_unique),
	    cmocka_unit_test(test_data_layer_refusals_are_conflicts),
	    cmocka_unit_test(test_statuses),
	    cmocka_unit_test(test_module_problems_unique),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
