/*
 * libFuzzer target: validate_query (server/dispatch.c) on arbitrary query
 * strings, and route_match + validate_path on arbitrary paths.
 *
 * The first byte picks the work: below 0x80, a query string for a route
 * (0: a route declared here with one query parameter of each type and a
 * required one; n: the real route n-1 of routes_init()); from 0x80, the
 * rest is a path matched against the real table with the method
 * byte % 5, then validated as validate_path would.
 *
 * Checked beyond "no crash, no leak, no sanitizer report": the answer is
 * one a query or a path can get; accepted arguments satisfy their spec.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "req.h"
#include "util.h"
#include "worker.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct config cfg;
static struct worker w;
static size_t n_routes;

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static enum err h_unused(struct req *r)
{
	(void)r;
	return ERR_INTERNAL;
}

static const char *const sorts[] = {"name", "-name", "created", NULL};

static const struct param_spec p_all[] = {
    {.name = "q", .loc = LOC_QUERY, .type = P_STRING, .min = 1, .max = 100},
    {.name = "limit", .loc = LOC_QUERY, .type = P_INT, .required = true, .min = 1, .max = 200},
    {.name = "offset", .loc = LOC_QUERY, .type = P_INT, .min = 0, .max = 1000000},
    {.name = "parent", .loc = LOC_QUERY, .type = P_ID},
    {.name = "all", .loc = LOC_QUERY, .type = P_BOOL},
    {.name = "sort", .loc = LOC_QUERY, .type = P_ENUM, .choices = sorts},
    {.name = "on", .loc = LOC_QUERY, .type = P_DATE},
    {.name = "at", .loc = LOC_QUERY, .type = P_DATETIME},
    {.name = "name", .loc = LOC_BODY, .type = P_STRING},
    {0},
};

static struct route all_types = {
    .method = M_GET,
    .pattern = "/fuzz",
    .handler = h_unused,
    .params = p_all,
    .allow = ALLOW_PUBLIC,
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	cfg.max_body_bytes = 1 << 20;
	w.cfg = &cfg;
	arena_init(&w.arena, 16u << 20);
	n_routes = routes_init();
	return 0;
}

static void check_arg(const struct arg *a, enum param_loc loc)
{
	const struct param_spec *s = a->spec;

	check(a->present && !a->is_null && s->loc == loc);
	check(a->s != NULL && strlen(a->s) <= a->len);
	switch (s->type) {
	case P_STRING:
		check(strlen(a->s) == a->len && utf8_clean(a->s, a->len));
		/* The bounds count characters, as their message says. */
		check((int64_t)utf8_length(a->s, a->len) >= s->min &&
		      (s->max <= 0 || (int64_t)utf8_length(a->s, a->len) <= s->max));
		break;
	case P_INT:
		check(a->i >= s->min && a->i <= s->max);
		break;
	case P_ID:
		check(a->i >= 1 && a->i < (INT64_C(1) << 53));
		break;
	case P_BOOL:
		check(a->i == 0 || a->i == 1);
		break;
	case P_ENUM: {
		bool found = false;

		for (const char *const *c = s->choices; *c != NULL; c++)
			found |= strlen(*c) == a->len && memcmp(*c, a->s, a->len) == 0;
		check(found);
		break;
	}
	case P_DATE:
		check(parse_date(a->s, a->len));
		break;
	case P_DATETIME:
		check(parse_datetime(a->s, a->len));
		break;
	case P_LIST:
		check(0); /* never from a query or a path */
		break;
	}
	if (s->check != NULL)
		check(s->check(a->s, a->len));
}

static void fuzz_query(const struct route *rt, const char *q)
{
	struct req r;
	enum err e;

	memset(&r, 0, sizeof(r));
	r.w = &w;
	r.arena = &w.arena;
	r.cfg = w.cfg;
	r.route = rt;
	e = validate_query(&r, q);
	if (e == ERR_OK) {
		check(r.err == ERR_OK);
		for (size_t i = 0; i < r.n_args; i++)
			check_arg(&r.args[i], LOC_QUERY);
		for (const struct param_spec *s = rt->params; s != NULL && s->name != NULL; s++)
			if (s->loc == LOC_QUERY && s->required)
				check(arg_has(&r, s->name));
	} else {
		check(r.err == e);
		check(e == ERR_UNKNOWN_PARAMETER || e == ERR_INVALID_FIELD ||
		      e == ERR_MISSING_FIELD);
		if (e != ERR_INVALID_FIELD)
			check(r.err_field != NULL);
	}
}

static void fuzz_path(const char *path, enum http_method m)
{
	struct req r;
	enum err e;

	memset(&r, 0, sizeof(r));
	r.w = &w;
	r.arena = &w.arena;
	r.cfg = w.cfg;
	e = route_match(&r, path, m);
	check(e == ERR_OK || e == ERR_NOT_FOUND || e == ERR_METHOD_NOT_ALLOWED);
	if (e != ERR_OK) {
		check(r.route == NULL);
		return;
	}
	check(r.route != NULL && r.route->method == m);
	e = validate_path(&r);
	check(e == ERR_OK || e == ERR_NOT_FOUND);
	if (e == ERR_OK)
		for (size_t i = 0; i < r.n_args; i++)
			check_arg(&r.args[i], LOC_PATH);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size == 0 || size > 4096)
		return 0;
	text = malloc(size);
	check(text != NULL);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (data[0] >= 0x80) {
		fuzz_path(text, (enum http_method)(data[0] % M__MAX));
	} else {
		const struct route *rt = &all_types;

		if (data[0] != 0 && data[0] <= n_routes)
			rt = route_at(data[0] - 1);
		fuzz_query(rt, text);
	}
	free(text);
	arena_reset(&w.arena);
	return 0;
}
