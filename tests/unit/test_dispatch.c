/*
 * server/dispatch.c, the pure steps of the pipeline: route_match over the
 * real route table (routes_init), validate_path, validate_query,
 * validate_body and req_if_match. Validators are also run against a route
 * declared here, which has one parameter of each type.
 */
#include "unit.h"

/* Before cmocka.h, whose fail() macro would clash with req.h's fail(). */
#include "config.h"
#include "dispatch.h"
#include "req.h"
#include "worker.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define MAX_SAFE_ID "9007199254740991" /* 2^53 - 1 */
#define TOO_BIG_ID  "9007199254740992" /* 2^53 */

static struct config cfg;
static struct worker w;
static struct req r;

static enum err h_unused(struct req *rq)
{
	(void)rq;
	return ERR_INTERNAL;
}

static bool digits_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static const char *const colours[] = {"rouge", "vert", NULL};
static const char *const levels[] = {"acquis", "en_cours", "non_acquis", NULL};

static const struct param_spec item_fields[] = {
    {.name = "competence", .type = P_ID, .required = true},
    {.name = "level", .type = P_ENUM, .required = true, .choices = levels},
    {.name = "comment", .type = P_STRING, .nullable = true, .min = 1, .max = 20},
    {0},
};

static const struct param_spec p_all[] = {
    {.name = "id", .loc = LOC_PATH, .type = P_ID, .required = true},
    {.name = "name", .loc = LOC_BODY, .type = P_STRING, .required = true, .min = 2, .max = 10},
    {.name = "count", .loc = LOC_BODY, .type = P_INT, .min = -5, .max = 5},
    {.name = "ref", .loc = LOC_BODY, .type = P_ID, .nullable = true},
    {.name = "flag", .loc = LOC_BODY, .type = P_BOOL},
    {.name = "colour", .loc = LOC_BODY, .type = P_ENUM, .choices = colours},
    {.name = "day", .loc = LOC_BODY, .type = P_DATE, .nullable = true},
    {.name = "at", .loc = LOC_BODY, .type = P_DATETIME},
    {.name = "code", .loc = LOC_BODY, .type = P_STRING, .max = 8, .check = digits_only},
    {.name = "items", .loc = LOC_BODY, .type = P_LIST, .min = 1, .max = 3, .fields = item_fields},
    {.name = "ids", .loc = LOC_BODY, .type = P_LIST, .min = 1, .max = 3},
    {.name = "page", .loc = LOC_QUERY, .type = P_INT, .min = 1, .max = 10},
    {.name = "on", .loc = LOC_QUERY, .type = P_DATE},
    {.name = "all", .loc = LOC_QUERY, .type = P_BOOL},
    {.name = "sort", .loc = LOC_QUERY, .type = P_ENUM, .choices = colours},
    {.name = "ref", .loc = LOC_QUERY, .type = P_ID},
    {0},
};
static struct route all_types = {
    .method = M_POST,
    .pattern = "/test/{id}",
    .handler = h_unused,
    .params = p_all,
    .allow = ALLOW_PUBLIC,
};

static const struct param_spec p_required_query[] = {
    {.name = "page", .loc = LOC_QUERY, .type = P_INT, .required = true, .min = 1, .max = 10},
    {0},
};
static struct route required_query = {
    .method = M_GET,
    .pattern = "/test",
    .handler = h_unused,
    .params = p_required_query,
    .allow = ALLOW_PUBLIC,
};

static struct route no_params = {
    .method = M_POST,
    .pattern = "/bare",
    .handler = h_unused,
    .allow = ALLOW_PUBLIC,
};

static int group_setup(void **state)
{
	(void)state;
	cfg.max_body_bytes = 1024 * 1024;
	w.cfg = &cfg;
	arena_init(&w.arena, 1 << 20);
	if (routes_init() == 0)
		unit_die("routes_init");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	arena_destroy(&w.arena);
	return 0;
}

/* A fresh request before each test; its arena released after. */
static int fresh(void **state)
{
	(void)state;
	memset(&r, 0, sizeof(r));
	r.w = &w;
	r.arena = &w.arena;
	r.cfg = w.cfg;
	return 0;
}

static int release(void **state)
{
	(void)state;
	arena_reset(&w.arena);
	return 0;
}

/* Starts a new request on the same worker, for tests of several cases. */
static void again(void)
{
	release(NULL);
	fresh(NULL);
}

static enum err match(const char *path, enum http_method m)
{
	again();
	return route_match(&r, path, m);
}

static enum err query(struct route *rt, const char *q)
{
	again();
	r.route = rt;
	return validate_query(&r, q);
}

static enum err body_ct(struct route *rt, const char *ct, const char *json)
{
	again();
	r.route = rt;
	r.content_type = ct;
	r.body = json;
	r.body_len = json != NULL ? strlen(json) : 0;
	return validate_body(&r);
}

static enum err body(const char *json) { return body_ct(&all_types, "application/json", json); }

/* The last validation failed with e, blaming field (NULL: no field). */
static void assert_failed(enum err got, enum err e, const char *field)
{
	assert_int_equal(got, e);
	assert_int_equal(r.err, e);
	if (field == NULL)
		assert_null(r.err_field);
	else {
		assert_non_null(r.err_field);
		assert_string_equal(r.err_field, field);
	}
}

#define assert_ok(x)                                                                               \
	do {                                                                                       \
		enum err e_ = (x);                                                                 \
		if (e_ != ERR_OK)                                                                  \
			fail_msg("%s: err %d field %s detail %s", #x, e_,                          \
				 r.err_field ? r.err_field : "-",                                  \
				 r.err_detail ? r.err_detail : "-");                               \
	} while (0)

/* ---- the route table ---- */

static void test_routes_init(void **state)
{
	size_t n = routes_count();

	(void)state;
	assert_true(n > 10);
	for (size_t i = 0; i < n; i++) {
		const struct route *rt = route_at(i);

		assert_non_null(rt);
		assert_int_equal(rt->index, i);
		assert_non_null(rt->handler);
		assert_true(path_pattern_valid(rt->pattern));
		/* Default deny is the rule: a route with no grant is a mistake. */
		assert_int_not_equal(rt->allow, 0);
		/* No two routes with the same method and pattern. */
		for (size_t k = 0; k < i; k++)
			assert_false(route_at(k)->method == rt->method &&
				     strcmp(route_at(k)->pattern, rt->pattern) == 0);
	}
	assert_null(route_at(n));
	assert_string_equal(method_name(M_PATCH), "PATCH");
	assert_string_equal(method_name(M__MAX), "-");
}

static void test_path_pattern_valid(void **state)
{
	(void)state;
	assert_true(path_pattern_valid("/a"));
	assert_true(path_pattern_valid("/a/{id}"));
	assert_true(path_pattern_valid("/a/{id}/b/{x}"));
	assert_false(path_pattern_valid("a"));
	assert_false(path_pattern_valid("/a/{}"));
	assert_false(path_pattern_valid("/a{id}"));
	assert_false(path_pattern_valid("/a/{id}x"));
	assert_false(path_pattern_valid("/a/{id"));
}

/* ---- route_match ---- */

static void test_match_exact(void **state)
{
	(void)state;
	assert_ok(match("/api/v1/health", M_GET));
	assert_string_equal(r.route->pattern, "/api/v1/health");
	assert_int_equal(r.route->method, M_GET);
	assert_true(r.route->allow & ALLOW_PUBLIC);
	assert_ok(match("/api/v1/auth/login", M_POST));
	assert_string_equal(r.route->pattern, "/api/v1/auth/login");
	assert_ok(match("/api/v1/people", M_GET));
	assert_string_equal(r.route->pattern, "/api/v1/people");
	assert_int_equal(r.route->method, M_GET);
	/* Same path, other method: the other route. */
	assert_ok(match("/api/v1/people", M_POST));
	assert_string_equal(r.route->pattern, "/api/v1/people");
	assert_int_equal(r.route->method, M_POST);
	assert_int_equal(r.route->allow, R(ADMIN));
}

static void test_match_params(void **state)
{
	(void)state;
	assert_ok(match("/api/v1/people/123", M_GET));
	assert_string_equal(r.route->pattern, "/api/v1/people/{id}");
	assert_string_equal(r.path_vals[0], "123");
	assert_ok(match("/api/v1/people/77/assignments", M_POST));
	assert_string_equal(r.route->pattern, "/api/v1/people/{id}/assignments");
	assert_string_equal(r.path_vals[0], "77");
	assert_ok(match("/api/v1/assignments/9", M_DELETE));
	assert_string_equal(r.route->pattern, "/api/v1/assignments/{id}");
	assert_string_equal(r.path_vals[0], "9");
	/* A segment is taken whole, whatever it holds: validate_path judges. */
	assert_ok(match("/api/v1/structures/abc", M_GET));
	assert_string_equal(r.path_vals[0], "abc");
}

static void test_match_405(void **state)
{
	(void)state;
	assert_int_equal(match("/api/v1/health", M_POST), ERR_METHOD_NOT_ALLOWED);
	assert_null(r.route);
	assert_int_equal(match("/api/v1/people/1", M_PUT), ERR_METHOD_NOT_ALLOWED);
	assert_int_equal(match("/api/v1/people/1", M_DELETE), ERR_METHOD_NOT_ALLOWED);
	assert_int_equal(match("/api/v1/auth/login", M_GET), ERR_METHOD_NOT_ALLOWED);
	assert_int_equal(match("/api/v1/assignments/3", M_GET), ERR_METHOD_NOT_ALLOWED);
}

static void test_match_404(void **state)
{
	(void)state;
	assert_int_equal(match("/api/v1/nope", M_GET), ERR_NOT_FOUND);
	assert_null(r.route);
	assert_int_equal(match("/", M_GET), ERR_NOT_FOUND);
	assert_int_equal(match("", M_GET), ERR_NOT_FOUND);
	assert_int_equal(match(NULL, M_GET), ERR_NOT_FOUND);
	assert_int_equal(match("api/v1/health", M_GET), ERR_NOT_FOUND);
	assert_int_equal(match("/API/v1/health", M_GET), ERR_NOT_FOUND);
	assert_int_equal(match("/api/v1/healthz", M_GET), ERR_NOT_FOUND);
	assert_int_equal(match("/api/v1/healt", M_GET), ERR_NOT_FOUND);
	assert_int_equal(match("/api/v1/people//assignments", M_POST), ERR_NOT_FOUND);
	assert_int_equal(match("/api/v1/people/1/2", M_GET), ERR_NOT_FOUND);
	assert_int_equal(match("//api/v1/health", M_GET), ERR_NOT_FOUND);
}

static void test_match_trailing_slash(void **state)
{
	(void)state;
	assert_int_equal(match("/api/v1/health/", M_GET), ERR_NOT_FOUND);
	assert_int_equal(match("/api/v1/people/", M_GET), ERR_NOT_FOUND);
	assert_int_equal(match("/api/v1/people/1/", M_GET), ERR_NOT_FOUND);
	assert_int_equal(match("/api/v1/people/1/assignments/", M_POST), ERR_NOT_FOUND);
}

static void test_match_long_path(void **state)
{
	char path[1100];

	(void)state;
	/* 1024 characters: still routed (the id is then refused by validate_path). */
	strcpy(path, "/api/v1/people/");
	memset(path + 15, '1', 1024 - 15);
	path[1024] = '\0';
	assert_ok(match(path, M_GET));
	assert_int_equal(strlen(r.path_vals[0]), 1024 - 15);
	assert_int_equal(validate_path(&r), ERR_NOT_FOUND);
	/* 1025: refused before any pattern is tried. */
	path[1024] = '1';
	path[1025] = '\0';
	assert_int_equal(match(path, M_GET), ERR_NOT_FOUND);
	assert_null(r.route);
}

/* ---- validate_path ---- */

static void test_validate_path(void **state)
{
	(void)state;
	assert_ok(match("/api/v1/people/42", M_GET));
	assert_ok(validate_path(&r));
	assert_int_equal(arg_int(&r, "id", 0), 42);
	assert_ok(match("/api/v1/people/" MAX_SAFE_ID, M_GET));
	assert_ok(validate_path(&r));
	assert_int_equal(arg_int(&r, "id", 0), INT64_C(9007199254740991));
	/* A path parameter that is not an identifier: the resource is not found. */
	static const char *const bad[] = {
	    "0", "-1", "01", "abc", "1x", "1.0", TOO_BIG_ID, "%31", "99999999999999999999"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[64];

		snprintf(path, sizeof(path), "/api/v1/people/%s", bad[i]);
		assert_ok(match(path, M_GET));
		assert_int_equal(validate_path(&r), ERR_NOT_FOUND);
		assert_int_equal(r.err, ERR_NOT_FOUND);
	}
}

/* ---- validate_query ---- */

static void test_query_empty(void **state)
{
	(void)state;
	assert_ok(query(&all_types, NULL));
	assert_int_equal(r.n_args, 0);
	assert_ok(query(&all_types, ""));
	assert_ok(query(&all_types, "&&"));
	assert_int_equal(r.n_args, 0);
	assert_ok(query(&no_params, NULL));
}

static void test_query_real_route(void **state)
{
	(void)state;
	assert_ok(match("/api/v1/people", M_GET));
	assert_ok(validate_query(&r, "q=dupont&role=tuteur_terrain&limit=20&offset=40"));
	assert_string_equal(arg_str(&r, "q"), "dupont");
	assert_string_equal(arg_str(&r, "role"), "tuteur_terrain");
	assert_int_equal(arg_int(&r, "limit", 0), 20);
	assert_int_equal(arg_int(&r, "offset", 0), 40);
	assert_true(arg_has(&r, "limit"));
	/* Absent: the handler's default. */
	assert_ok(match("/api/v1/people", M_GET));
	assert_ok(validate_query(&r, "q=x"));
	assert_false(arg_has(&r, "limit"));
	assert_int_equal(arg_int(&r, "limit", 50), 50);
	assert_null(arg_str(&r, "role"));
}

static void test_query_unknown_parameter(void **state)
{
	(void)state;
	assert_failed(query(&all_types, "page=1&colour=rouge"), ERR_UNKNOWN_PARAMETER, "colour");
	/* Named after decoding. */
	assert_failed(query(&all_types, "f%6Fo=1"), ERR_UNKNOWN_PARAMETER, "foo");
	assert_failed(query(&all_types, "a%3Db=1"), ERR_UNKNOWN_PARAMETER, "a=b");
	/* Body and path names are not query names. */
	assert_failed(query(&all_types, "name=ab"), ERR_UNKNOWN_PARAMETER, "name");
	assert_failed(query(&all_types, "id=1"), ERR_UNKNOWN_PARAMETER, "id");
	assert_failed(query(&no_params, "x=1"), ERR_UNKNOWN_PARAMETER, "x");
	assert_failed(query(&all_types, "=1"), ERR_UNKNOWN_PARAMETER, "");
	/* Case matters. */
	assert_failed(query(&all_types, "Page=1"), ERR_UNKNOWN_PARAMETER, "Page");
	/* On the real table too. */
	assert_ok(match("/api/v1/people", M_GET));
	assert_failed(validate_query(&r, "limit=5&debug=1"), ERR_UNKNOWN_PARAMETER, "debug");
}

static void test_query_repeated(void **state)
{
	(void)state;
	assert_failed(query(&all_types, "page=1&page=2"), ERR_INVALID_FIELD, "page");
	assert_failed(query(&all_types, "page=1&pag%65=1"), ERR_INVALID_FIELD, "page");
}

static void test_query_percent_decoding(void **state)
{
	(void)state;
	assert_ok(query(&all_types, "sort=r%6Fuge"));
	assert_string_equal(arg_str(&r, "sort"), "rouge");
	assert_ok(match("/api/v1/people", M_GET));
	assert_ok(validate_query(&r, "q=%C3%A9l%C3%A8ve+Dupont%2B%26%3D"));
	assert_string_equal(arg_str(&r, "q"), "\xc3\xa9l\xc3\xa8ve Dupont+&=");
	assert_int_equal(arg_get(&r, "q")->len, strlen("\xc3\xa9l\xc3\xa8ve Dupont+&="));
	/* Lower- and upper-case hex. */
	assert_ok(match("/api/v1/people", M_GET));
	assert_ok(validate_query(&r, "q=%c3%A9"));
	assert_string_equal(arg_str(&r, "q"), "\xc3\xa9");
}

static void test_query_bad_escapes(void **state)
{
	static const char *const bad[] = {"page=%",    "page=%4", "page=%zz", "page=1%G1",
					  "page=%%31", "pa%ge=1", "page=1%",  "%=1"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_failed(query(&all_types, bad[i]), ERR_INVALID_FIELD, NULL);
}

/* Decoded bytes are checked like any other: no NUL, no control, UTF-8 only. */
static void test_query_decoded_bytes_checked(void **state)
{
	static const char *const bad[] = {"q=a%00b", "q=a%01",	    "q=%FF",
					  "q=%C3",   "q=%ED%A0%80", "q=a%0Db%0A%7F"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_ok(match("/api/v1/people", M_GET));
		assert_failed(validate_query(&r, bad[i]), ERR_INVALID_FIELD, "q");
	}
	/* A decoded NUL cannot cut an enum value short either. */
	assert_failed(query(&all_types, "sort=rouge%00x"), ERR_INVALID_FIELD, "sort");
	assert_failed(query(&all_types, "page=1%00"), ERR_INVALID_FIELD, "page");
}

static void test_query_int_range(void **state)
{
	(void)state;
	assert_ok(query(&all_types, "page=1"));
	assert_int_equal(arg_int(&r, "page", 0), 1);
	assert_ok(query(&all_types, "page=10"));
	assert_int_equal(arg_int(&r, "page", 0), 10);
	static const char *const bad[] = {
	    "page=0", "page=11", "page=-1",  "page=01", "page=1e1", "page=",
	    "page",   "page=+1", "page=1.0", "page= 1", "page=0x1", "page=99999999999999999999"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_failed(query(&all_types, bad[i]), ERR_INVALID_FIELD, "page");
	/* The real bounds of the people list. */
	assert_ok(match("/api/v1/people", M_GET));
	assert_ok(validate_query(&r, "limit=200&offset=1000000"));
	assert_ok(match("/api/v1/people", M_GET));
	assert_failed(validate_query(&r, "limit=201"), ERR_INVALID_FIELD, "limit");
	assert_ok(match("/api/v1/people", M_GET));
	assert_failed(validate_query(&r, "offset=1000001"), ERR_INVALID_FIELD, "offset");
	assert_ok(match("/api/v1/people", M_GET));
	assert_failed(validate_query(&r, "limit=0"), ERR_INVALID_FIELD, "limit");
}

static void test_query_enum(void **state)
{
	(void)state;
	assert_ok(query(&all_types, "sort=vert"));
	assert_string_equal(arg_str(&r, "sort"), "vert");
	assert_failed(query(&all_types, "sort=Vert"), ERR_INVALID_FIELD, "sort");
	assert_failed(query(&all_types, "sort=ver"), ERR_INVALID_FIELD, "sort");
	assert_failed(query(&all_types, "sort=vertt"), ERR_INVALID_FIELD, "sort");
	assert_failed(query(&all_types, "sort="), ERR_INVALID_FIELD, "sort");
	assert_ok(match("/api/v1/people", M_GET));
	assert_failed(validate_query(&r, "role=superuser"), ERR_INVALID_FIELD, "role");
}

static void test_query_bool_date(void **state)
{
	(void)state;
	assert_ok(query(&all_types, "all=true&on=2028-02-29"));
	assert_true(arg_bool(&r, "all", false));
	assert_string_equal(arg_str(&r, "on"), "2028-02-29");
	assert_ok(query(&all_types, "all=false"));
	assert_false(arg_bool(&r, "all", true));
	assert_failed(query(&all_types, "all=1"), ERR_INVALID_FIELD, "all");
	assert_failed(query(&all_types, "all=TRUE"), ERR_INVALID_FIELD, "all");
	assert_failed(query(&all_types, "all="), ERR_INVALID_FIELD, "all");
	assert_failed(query(&all_types, "on=2026-02-29"), ERR_INVALID_FIELD, "on");
	assert_failed(query(&all_types, "on=2026-1-1"), ERR_INVALID_FIELD, "on");
}

static void test_query_id_bounds(void **state)
{
	(void)state;
	assert_ok(query(&all_types, "ref=1"));
	assert_int_equal(arg_int(&r, "ref", 0), 1);
	assert_ok(query(&all_types, "ref=" MAX_SAFE_ID));
	assert_int_equal(arg_int(&r, "ref", 0), INT64_C(9007199254740991));
	static const char *const bad[] = {
	    "ref=0", "ref=-1", "ref=9007199254740992", "ref=9223372036854775807", "ref=x", "ref="};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_failed(query(&all_types, bad[i]), ERR_INVALID_FIELD, "ref");
	assert_ok(match("/api/v1/structures", M_GET));
	assert_failed(validate_query(&r, "parent_id=0"), ERR_INVALID_FIELD, "parent_id");
}

static void test_query_string_length(void **state)
{
	char q[1024];

	(void)state;
	strcpy(q, "q=");
	memset(q + 2, 'a', 100);
	q[102] = '\0';
	assert_ok(match("/api/v1/people", M_GET));
	assert_ok(validate_query(&r, q));
	q[102] = 'a';
	q[103] = '\0';
	assert_ok(match("/api/v1/people", M_GET));
	assert_failed(validate_query(&r, q), ERR_INVALID_FIELD, "q");
	assert_ok(match("/api/v1/people", M_GET));
	assert_failed(validate_query(&r, "q="), ERR_INVALID_FIELD, "q");
	/* Characters, not bytes (the message says « caractères »): 100 times
	 * "é" is 200 bytes and passes, 101 times does not. */
	strcpy(q, "q=");
	for (int i = 0; i < 100; i++)
		strcat(q, "%C3%A9");
	assert_ok(match("/api/v1/people", M_GET));
	assert_ok(validate_query(&r, q));
	strcat(q, "%C3%A9");
	assert_ok(match("/api/v1/people", M_GET));
	assert_failed(validate_query(&r, q), ERR_INVALID_FIELD, "q");
}

static void test_query_required(void **state)
{
	(void)state;
	assert_failed(query(&required_query, NULL), ERR_MISSING_FIELD, "page");
	assert_failed(query(&required_query, ""), ERR_MISSING_FIELD, "page");
	assert_ok(query(&required_query, "page=3"));
	assert_int_equal(arg_int(&r, "page", 0), 3);
}

/* ---- validate_body ---- */

static void test_body_ok_typed(void **state)
{
	(void)state;
	assert_ok(body("{\"name\":\"Zoé\",\"count\":-5,\"ref\":" MAX_SAFE_ID ",\"flag\":true,"
		       "\"colour\":\"vert\",\"day\":\"2028-02-29\",\"at\":\"2026-09-01T08:30\","
		       "\"code\":\"0123\"}"));
	assert_string_equal(arg_str(&r, "name"), "Zoé");
	assert_int_equal(arg_get(&r, "name")->len, 4);
	assert_int_equal(arg_int(&r, "count", 0), -5);
	assert_int_equal(arg_int(&r, "ref", 0), INT64_C(9007199254740991));
	assert_true(arg_bool(&r, "flag", false));
	assert_string_equal(arg_str(&r, "colour"), "vert");
	assert_string_equal(arg_str(&r, "day"), "2028-02-29");
	assert_string_equal(arg_str(&r, "at"), "2026-09-01T08:30");
	assert_string_equal(arg_str(&r, "code"), "0123");
	assert_true(json_is_object(r.json));
	assert_int_equal(r.err, ERR_OK);
}

static void test_body_content_type(void **state)
{
	static const char *const bad[] = {NULL,
					  "",
					  "text/plain",
					  "application/jsonx",
					  "application/json-patch+json",
					  "application/x-www-form-urlencoded",
					  "application/json; charset=latin1",
					  "application/json; charset=utf-8; x=y",
					  "application/jso",
					  "multipart/form-data; boundary=x"};
	static const char *const good[] = {"application/json", "Application/JSON",
					   "application/json; charset=utf-8",
					   "application/json;charset=UTF-8"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_failed(body_ct(&all_types, bad[i], "{\"name\":\"ab\"}"),
			      ERR_UNSUPPORTED_MEDIA_TYPE, NULL);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_ok(body_ct(&all_types, good[i], "{\"name\":\"ab\"}"));
	/* No body, no content type needed. */
	assert_ok(body_ct(&no_params, NULL, NULL));
}

static void test_body_malformed(void **state)
{
	static const char *const bad[] = {"{",
					  "{\"name\":\"ab\"",
					  "{\"name\":\"ab\"} x",
					  "{\"name\":\"ab\"}{}",
					  "{name:\"ab\"}",
					  "{'name':'ab'}",
					  "{\"name\":\"ab\",}",
					  "{\"name\":\"a\\u0000b\"}", /* no NUL in strings */
					  "{\"name\":\"\xff\xfe\"}",  /* not UTF-8 */
					  "{\"count\":9223372036854775808}",
					  "{\"count\":NaN}",
					  " "};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_failed(body(bad[i]), ERR_MALFORMED_JSON, NULL);
	assert_non_null(r.err_detail);
}

static void test_body_not_object(void **state)
{
	static const char *const bad[] = {"[]",	 "[{\"name\":\"ab\"}]", "\"ab\"", "1", "null",
					  "true"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_failed(body(bad[i]), ERR_MALFORMED_JSON, NULL);
}

static void test_body_duplicate_keys(void **state)
{
	(void)state;
	assert_failed(body("{\"name\":\"ab\",\"name\":\"cd\"}"), ERR_MALFORMED_JSON, NULL);
	assert_failed(body("{\"name\":\"ab\",\"items\":[{\"competence\":1,\"level\":\"acquis\","
			   "\"competence\":2}]}"),
		      ERR_MALFORMED_JSON, NULL);
}

static void test_body_unknown_field(void **state)
{
	(void)state;
	assert_failed(body("{\"name\":\"ab\",\"admin\":true}"), ERR_UNKNOWN_FIELD, "admin");
	/* Path and query names are not body names. */
	assert_failed(body("{\"name\":\"ab\",\"id\":3}"), ERR_UNKNOWN_FIELD, "id");
	assert_failed(body("{\"name\":\"ab\",\"page\":3}"), ERR_UNKNOWN_FIELD, "page");
	assert_failed(body("{\"Name\":\"ab\"}"), ERR_UNKNOWN_FIELD, "Name");
	assert_failed(body_ct(&no_params, "application/json", "{\"x\":1}"), ERR_UNKNOWN_FIELD, "x");
	/* On the real table: a role is not granted by the create-person body. */
	assert_ok(match("/api/v1/people", M_POST));
	r.content_type = "application/json";
	r.body = "{\"username\":\"jdupont\",\"display_name\":\"Jean\",\"roles\":[\"admin\"]}";
	r.body_len = strlen(r.body);
	assert_failed(validate_body(&r), ERR_UNKNOWN_FIELD, "roles");
}

static void test_body_missing_required(void **state)
{
	(void)state;
	assert_failed(body("{\"count\":1}"), ERR_MISSING_FIELD, "name");
	assert_failed(body("{}"), ERR_MISSING_FIELD, "name");
	assert_failed(body_ct(&all_types, NULL, NULL), ERR_MISSING_FIELD, "name");
	assert_ok(match("/api/v1/auth/login", M_POST));
	r.content_type = "application/json";
	r.body = "{\"academy\":\"lyon\",\"username\":\"jdupont\"}";
	r.body_len = strlen(r.body);
	assert_failed(validate_body(&r), ERR_MISSING_FIELD, "password");
}

static void test_body_type_mismatch(void **state)
{
	static const struct {
		const char *json, *field;
	} cases[] = {
	    {"{\"name\":5}", "name"},
	    {"{\"name\":[\"ab\"]}", "name"},
	    {"{\"name\":{}}", "name"},
	    {"{\"name\":true}", "name"},
	    {"{\"name\":\"ab\",\"count\":\"1\"}", "count"},
	    {"{\"name\":\"ab\",\"count\":1.0}", "count"},
	    {"{\"name\":\"ab\",\"count\":1e0}", "count"},
	    {"{\"name\":\"ab\",\"count\":true}", "count"},
	    {"{\"name\":\"ab\",\"flag\":\"true\"}", "flag"},
	    {"{\"name\":\"ab\",\"flag\":1}", "flag"},
	    {"{\"name\":\"ab\",\"colour\":1}", "colour"},
	    {"{\"name\":\"ab\",\"ref\":\"5\"}", "ref"},
	    {"{\"name\":\"ab\",\"day\":20260101}", "day"},
	    {"{\"name\":\"ab\",\"items\":{}}", "items"},
	    {"{\"name\":\"ab\",\"items\":\"x\"}", "items"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_failed(body(cases[i].json), ERR_INVALID_FIELD, cases[i].field);
}

static void test_body_nullable(void **state)
{
	(void)state;
	assert_ok(body("{\"name\":\"ab\",\"ref\":null,\"day\":null}"));
	assert_true(arg_has(&r, "ref"));
	assert_true(arg_get(&r, "ref")->is_null);
	assert_int_equal(arg_int(&r, "ref", -1), -1);
	assert_null(arg_str(&r, "day"));
	assert_true(arg_has(&r, "day"));
	/* Not nullable: null is refused. */
	assert_failed(body("{\"name\":null}"), ERR_INVALID_FIELD, "name");
	assert_failed(body("{\"name\":\"ab\",\"count\":null}"), ERR_INVALID_FIELD, "count");
	assert_failed(body("{\"name\":\"ab\",\"flag\":null}"), ERR_INVALID_FIELD, "flag");
}

static void test_body_string_length(void **state)
{
	(void)state;
	assert_failed(body("{\"name\":\"a\"}"), ERR_INVALID_FIELD, "name");
	assert_failed(body("{\"name\":\"\"}"), ERR_INVALID_FIELD, "name");
	assert_ok(body("{\"name\":\"ab\"}"));
	assert_ok(body("{\"name\":\"abcdefghij\"}"));
	assert_failed(body("{\"name\":\"abcdefghijk\"}"), ERR_INVALID_FIELD, "name");
	/* Characters: ten "é" (20 bytes) pass, eleven do not. */
	assert_ok(body("{\"name\":\"éééééééééé\"}"));
	assert_failed(body("{\"name\":\"ééééééééééé\"}"), ERR_INVALID_FIELD, "name");
	/* An escape counts for what it decodes to. */
	assert_ok(
	    body("{\"name\":"
		 "\"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"}"));
}

static void test_body_control_characters(void **state)
{
	(void)state;
	assert_failed(body("{\"name\":\"a\\u0001b\"}"), ERR_INVALID_FIELD, "name");
	assert_failed(body("{\"name\":\"a\\u001bb\"}"), ERR_INVALID_FIELD, "name");
	assert_failed(body("{\"name\":\"a\\u007fb\"}"), ERR_INVALID_FIELD, "name");
	assert_ok(body("{\"name\":\"a\\tb\\nc\"}"));
}

static void test_body_int_and_id(void **state)
{
	(void)state;
	assert_ok(body("{\"name\":\"ab\",\"count\":5}"));
	assert_int_equal(arg_int(&r, "count", 0), 5);
	assert_failed(body("{\"name\":\"ab\",\"count\":6}"), ERR_INVALID_FIELD, "count");
	assert_failed(body("{\"name\":\"ab\",\"count\":-6}"), ERR_INVALID_FIELD, "count");
	assert_failed(body("{\"name\":\"ab\",\"count\":9223372036854775807}"), ERR_INVALID_FIELD,
		      "count");
	assert_failed(body("{\"name\":\"ab\",\"count\":-9223372036854775808}"), ERR_INVALID_FIELD,
		      "count");
	assert_failed(body("{\"name\":\"ab\",\"ref\":0}"), ERR_INVALID_FIELD, "ref");
	assert_failed(body("{\"name\":\"ab\",\"ref\":-1}"), ERR_INVALID_FIELD, "ref");
	assert_failed(body("{\"name\":\"ab\",\"ref\":" TOO_BIG_ID "}"), ERR_INVALID_FIELD, "ref");
	assert_ok(body("{\"name\":\"ab\",\"ref\":1}"));
}

static void test_body_enum_date_check(void **state)
{
	(void)state;
	assert_failed(body("{\"name\":\"ab\",\"colour\":\"Rouge\"}"), ERR_INVALID_FIELD, "colour");
	assert_failed(body("{\"name\":\"ab\",\"colour\":\"\"}"), ERR_INVALID_FIELD, "colour");
	assert_failed(body("{\"name\":\"ab\",\"day\":\"2026-02-29\"}"), ERR_INVALID_FIELD, "day");
	assert_failed(body("{\"name\":\"ab\",\"day\":\"2026-02-01T00:00\"}"), ERR_INVALID_FIELD,
		      "day");
	assert_failed(body("{\"name\":\"ab\",\"at\":\"2026-09-01\"}"), ERR_INVALID_FIELD, "at");
	assert_failed(body("{\"name\":\"ab\",\"at\":\"2026-09-01T24:00\"}"), ERR_INVALID_FIELD,
		      "at");
	assert_failed(body("{\"name\":\"ab\",\"at\":\"2026-02-30T10:00\"}"), ERR_INVALID_FIELD,
		      "at");
	assert_ok(body("{\"name\":\"ab\",\"at\":\"2026-09-01T23:59:59\"}"));
	assert_failed(body("{\"name\":\"ab\",\"code\":\"12a\"}"), ERR_INVALID_FIELD, "code");
	assert_failed(body("{\"name\":\"ab\",\"code\":\"123456789\"}"), ERR_INVALID_FIELD, "code");
}

static void test_body_list(void **state)
{
	json_t *items;

	(void)state;
	assert_ok(body("{\"name\":\"ab\",\"items\":[{\"competence\":1,\"level\":\"acquis\"},"
		       "{\"competence\":2,\"level\":\"en_cours\",\"comment\":null},"
		       "{\"competence\":3,\"level\":\"non_acquis\",\"comment\":\"bien\"}]}"));
	items = arg_list(&r, "items");
	assert_non_null(items);
	assert_int_equal(json_array_size(items), 3);
	assert_null(arg_list(&r, "name"));
	/* Bounds on the number of elements. */
	assert_failed(body("{\"name\":\"ab\",\"items\":[]}"), ERR_INVALID_FIELD, "items");
	assert_failed(body("{\"name\":\"ab\",\"items\":[{\"competence\":1,\"level\":\"acquis\"},"
			   "{\"competence\":1,\"level\":\"acquis\"},{\"competence\":1,\"level\":"
			   "\"acquis\"},{\"competence\":1,\"level\":\"acquis\"}]}"),
		      ERR_INVALID_FIELD, "items");
	assert_failed(body("{\"name\":\"ab\",\"items\":null}"), ERR_INVALID_FIELD, "items");
}

/* Errors inside a list name the element and the member. */
static void test_body_list_element_errors(void **state)
{
	(void)state;
	assert_failed(
	    body("{\"name\":\"ab\",\"items\":[{\"competence\":1,\"level\":\"acquis\"},5]}"),
	    ERR_INVALID_FIELD, "items[1]");
	assert_failed(body("{\"name\":\"ab\",\"items\":[{\"competence\":1,\"level\":\"acquis\"},"
			   "{\"competence\":2,\"level\":\"parfait\"}]}"),
		      ERR_INVALID_FIELD, "items[1].level");
	assert_failed(body("{\"name\":\"ab\",\"items\":[{\"competence\":0,\"level\":\"acquis\"}]}"),
		      ERR_INVALID_FIELD, "items[0].competence");
	assert_failed(
	    body("{\"name\":\"ab\",\"items\":[{\"competence\":\"1\",\"level\":\"acquis\"}]}"),
	    ERR_INVALID_FIELD, "items[0].competence");
	assert_failed(
	    body("{\"name\":\"ab\",\"items\":[{\"competence\":null,\"level\":\"acquis\"}]}"),
	    ERR_INVALID_FIELD, "items[0].competence");
	assert_failed(body("{\"name\":\"ab\",\"items\":[{\"competence\":1,\"level\":\"acquis\","
			   "\"comment\":\"a\\u0001\"}]}"),
		      ERR_INVALID_FIELD, "items[0].comment");
	assert_failed(body("{\"name\":\"ab\",\"items\":[{\"competence\":1,\"level\":\"acquis\","
			   "\"comment\":\"\"}]}"),
		      ERR_INVALID_FIELD, "items[0].comment");
	assert_failed(body("{\"name\":\"ab\",\"items\":[{\"competence\":1,\"level\":\"acquis\","
			   "\"extra\":1}]}"),
		      ERR_UNKNOWN_FIELD, "items[0].extra");
	assert_failed(body("{\"name\":\"ab\",\"items\":[{\"competence\":1}]}"), ERR_MISSING_FIELD,
		      "items[0].level");
	assert_failed(body("{\"name\":\"ab\",\"items\":[{\"competence\":1,\"level\":\"acquis\","
			   "\"comment\":[\"x\"]}]}"),
		      ERR_INVALID_FIELD, "items[0].comment");
}

/* A list without fields is a list of record ids: each an integer in
 * [1, 2^53), the error naming the element. */
static void test_body_id_list(void **state)
{
	json_t *ids;

	(void)state;
	assert_ok(body("{\"name\":\"ab\",\"ids\":[1," MAX_SAFE_ID ",7]}"));
	ids = arg_list(&r, "ids");
	assert_non_null(ids);
	assert_int_equal(json_array_size(ids), 3);
	assert_int_equal(json_integer_value(json_array_get(ids, 1)), INT64_C(9007199254740991));
	assert_failed(body("{\"name\":\"ab\",\"ids\":[1,0]}"), ERR_INVALID_FIELD, "ids[1]");
	assert_failed(body("{\"name\":\"ab\",\"ids\":[\"1\"]}"), ERR_INVALID_FIELD, "ids[0]");
	assert_failed(body("{\"name\":\"ab\",\"ids\":[{\"id\":1}]}"), ERR_INVALID_FIELD,
		      "ids[0]");
	assert_failed(body("{\"name\":\"ab\",\"ids\":[9007199254740992]}"), ERR_INVALID_FIELD,
		      "ids[0]");
	assert_failed(body("{\"name\":\"ab\",\"ids\":[1,2,3,4]}"), ERR_INVALID_FIELD, "ids");
	assert_failed(body("{\"name\":\"ab\",\"ids\":[]}"), ERR_INVALID_FIELD, "ids");
}

/* The first error is the one reported. */
static void test_body_first_error_wins(void **state)
{
	(void)state;
	assert_failed(body("{\"count\":99,\"name\":\"x\"}"), ERR_INVALID_FIELD, "count");
	assert_int_equal(r.n_args, 0);
}

/* ---- req_if_match ---- */

static enum err if_match(const char *v, int64_t *version)
{
	again();
	r.if_match = v;
	*version = -7;
	return req_if_match(&r, version);
}

static void test_if_match(void **state)
{
	int64_t v;

	(void)state;
	assert_ok(if_match("\"3\"", &v));
	assert_int_equal(v, 3);
	assert_ok(if_match("W/\"12\"", &v));
	assert_int_equal(v, 12);
	assert_ok(if_match("\"9223372036854775807\"", &v));
	assert_int_equal(v, INT64_MAX);
	assert_failed(if_match(NULL, &v), ERR_PRECONDITION_REQUIRED, NULL);
	assert_failed(if_match("", &v), ERR_PRECONDITION_REQUIRED, NULL);
	static const char *const bad[] = {"3",
					  "\"0\"",
					  "\"-1\"",
					  "\"03\"",
					  "\"\"",
					  "\"",
					  "W/",
					  "w/\"3\"",
					  "\"3",
					  "3\"",
					  "*",
					  "\"3\", \"4\"",
					  "\"3\" ",
					  " \"3\"",
					  "\"3a\"",
					  "W/W/\"3\"",
					  "\"9223372036854775808\"",
					  "'3'"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_failed(if_match(bad[i], &v), ERR_PRECONDITION_FAILED, NULL);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fresh, release)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_routes_init),
	    T(test_path_pattern_valid),
	    T(test_match_exact),
	    T(test_match_params),
	    T(test_match_405),
	    T(test_match_404),
	    T(test_match_trailing_slash),
	    T(test_match_long_path),
	    T(test_validate_path),
	    T(test_query_empty),
	    T(test_query_real_route),
	    T(test_query_unknown_parameter),
	    T(test_query_repeated),
	    T(test_query_percent_decoding),
	    T(test_query_bad_escapes),
	    T(test_query_decoded_bytes_checked),
	    T(test_query_int_range),
	    T(test_query_enum),
	    T(test_query_bool_date),
	    T(test_query_id_bounds),
	    T(test_query_string_length),
	    T(test_query_required),
	    T(test_body_ok_typed),
	    T(test_body_content_type),
	    T(test_body_malformed),
	    T(test_body_not_object),
	    T(test_body_duplicate_keys),
	    T(test_body_unknown_field),
	    T(test_body_missing_required),
	    T(test_body_type_mismatch),
	    T(test_body_nullable),
	    T(test_body_string_length),
	    T(test_body_control_characters),
	    T(test_body_int_and_id),
	    T(test_body_enum_date_check),
	    T(test_body_list),
	    T(test_body_list_element_errors),
	    T(test_body_id_list),
	    T(test_body_first_error_wins),
	    T(test_if_match),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
