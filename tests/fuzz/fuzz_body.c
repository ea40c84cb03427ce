/*
 * libFuzzer target: validate_body (server/dispatch.c) on arbitrary bytes
 * as a JSON body.
 *
 * The first byte picks the route: 0 (and every value past the real ones)
 * a route declared here with one parameter of each type, list included;
 * otherwise a real route of the table built by routes_init(), so the
 * modules' own specs and check functions are fuzzed too. The second byte
 * picks the form of the rest: even, raw bytes as the body; odd, a recipe
 * from which the harness builds a well-formed JSON object whose members
 * are the route's names with values of every JSON type (jansson is not
 * instrumented, so the fuzzer could hardly learn JSON syntax by itself).
 *
 * Checked beyond "no crash, no leak, no sanitizer report": the answer is
 * one a body can get; a body accepted gives arguments that satisfy their
 * spec (type, bounds, choices, check function) and every required member.
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

static bool digits_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static const char *const colours[] = {"rouge", "vert", "bleu", NULL};

static const struct param_spec item_fields[] = {
    {.name = "competence", .type = P_ID, .required = true},
    {.name = "level", .type = P_ENUM, .required = true, .choices = colours},
    {.name = "score", .type = P_INT, .min = 0, .max = 20},
    {.name = "done", .type = P_BOOL},
    {.name = "comment", .type = P_STRING, .nullable = true, .min = 1, .max = 40},
    {.name = "on", .type = P_DATE, .nullable = true},
    {0},
};

static const struct param_spec p_all[] = {
    {.name = "name", .loc = LOC_BODY, .type = P_STRING, .required = true, .min = 1, .max = 32},
    {.name = "count", .loc = LOC_BODY, .type = P_INT, .min = -1000, .max = 1000},
    {.name = "ref", .loc = LOC_BODY, .type = P_ID, .nullable = true},
    {.name = "flag", .loc = LOC_BODY, .type = P_BOOL},
    {.name = "colour", .loc = LOC_BODY, .type = P_ENUM, .choices = colours},
    {.name = "day", .loc = LOC_BODY, .type = P_DATE, .nullable = true},
    {.name = "at", .loc = LOC_BODY, .type = P_DATETIME},
    {.name = "code", .loc = LOC_BODY, .type = P_STRING, .max = 8, .check = digits_only},
    {.name = "items", .loc = LOC_BODY, .type = P_LIST, .min = 0, .max = 50, .fields = item_fields},
    {.name = "page", .loc = LOC_QUERY, .type = P_INT, .min = 1, .max = 10},
    {0},
};

static struct route all_types = {
    .method = M_POST,
    .pattern = "/fuzz",
    .handler = h_unused,
    .params = p_all,
    .allow = ALLOW_PUBLIC,
};

/* ---- well-formed bodies from a recipe ---- */

struct recipe {
	const uint8_t *d;
	size_t n;
	const struct param_spec *params;
};

static unsigned next(struct recipe *rc)
{
	if (rc->n == 0)
		return 0;
	rc->n--;
	return *rc->d++;
}

/* A member name: mostly the route's, sometimes a list member's or a stranger. */
static const char *pick_key(struct recipe *rc)
{
	static const char *const others[] = {"competence", "level", "score", "done", "comment",
					     "on",	   "id",    "extra", ""};
	unsigned k = next(rc), count = 0;

	for (const struct param_spec *s = rc->params; s->name != NULL; s++)
		count++;
	if (k % 4 != 0 && count > 0)
		return rc->params[(k / 4) % count].name;
	return others[(k / 4) % (sizeof(others) / sizeof(others[0]))];
}

static json_t *gen_value(struct recipe *rc, int depth);

static json_t *gen_object(struct recipe *rc, int depth)
{
	json_t *o = json_object();
	unsigned members = next(rc) % 8;

	for (unsigned i = 0; i < members && rc->n > 0; i++)
		json_object_set_new(o, pick_key(rc), gen_value(rc, depth + 1));
	return o;
}

static json_t *gen_value(struct recipe *rc, int depth)
{
	static const char *const words[] = {
	    "rouge",
	    "vert",
	    "acquis",
	    "en_cours",
	    "2028-02-29",
	    "2026-02-29",
	    "2026-09-01T08:30",
	    "2026-09-01T23:59:59",
	    "0123",
	    "jdupont",
	    "j@x.fr",
	    "lyon",
	    "admin",
	    "school",
	    "2025-2026",
	    "a",
	    "",
	    "\xc3\xa9",
	    "x\ty",
	    "x\x01y",
	    "inspe_site",
	};
	unsigned t = next(rc);
	char buf[256];
	size_t len;
	uint64_t v = 0;

	switch (t % 11) {
	case 0:
		return json_null();
	case 1:
		return json_true();
	case 2:
		return json_false();
	case 3:
		return json_integer((int8_t)next(rc));
	case 4:
		for (int i = 0; i < 8; i++)
			v = v << 8 | next(rc);
		return json_integer((json_int_t)v);
	case 5:
		return json_real((double)(int8_t)next(rc) / 4.0);
	case 6:
		len = next(rc) % sizeof(buf);
		if (len > rc->n)
			len = rc->n;
		memcpy(buf, rc->d, len);
		rc->d += len;
		rc->n -= len;
		{
			json_t *str = json_stringn(buf, len); /* NULL if not UTF-8 */

			return str != NULL ? str : json_string("\xef\xbf\xbd");
		}
	case 7:
		return json_string(words[next(rc) % (sizeof(words) / sizeof(words[0]))]);
	case 8:
	case 9: {
		json_t *a = json_array();
		unsigned count = next(rc) % 5;

		for (unsigned i = 0; i < count && depth < 3; i++)
			json_array_append_new(a, t % 11 == 8 ? gen_object(rc, depth)
							     : gen_value(rc, depth + 1));
		return a;
	}
	default:
		return depth < 3 ? gen_object(rc, depth) : json_object();
	}
}

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

/* A validated argument satisfies its spec. */
static void check_arg(const struct arg *a)
{
	const struct param_spec *s = a->spec;

	check(a->present);
	if (a->is_null) {
		check(s->nullable);
		return;
	}
	switch (s->type) {
	case P_STRING:
		check(a->s != NULL && strlen(a->s) == a->len && utf8_clean(a->s, a->len));
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
			found |= strcmp(*c, a->s) == 0;
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
		check(json_is_array(a->list));
		check((int64_t)json_array_size(a->list) >= s->min &&
		      (int64_t)json_array_size(a->list) <= s->max);
		return;
	}
	if (s->check != NULL)
		check(s->check(a->s, a->len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req r;
	enum err e;
	const struct route *rt = &all_types;
	char *body;

	if (size < 2)
		return 0;
	if (data[0] != 0 && data[0] <= n_routes && route_at(data[0] - 1)->params != NULL)
		rt = route_at(data[0] - 1);
	memset(&r, 0, sizeof(r));
	r.w = &w;
	r.arena = &w.arena;
	r.cfg = w.cfg;
	r.route = rt;
	r.content_type = "application/json";
	if (data[1] % 2 == 0) {
		body = arena_alloc(&w.arena, size - 1);
		check(body != NULL);
		memcpy(body, data + 2, size - 2);
		body[size - 2] = '\0';
		r.body = body;
		r.body_len = size - 2;
	} else {
		struct recipe rc = {data + 2, size - 2, rt->params};
		json_t *o = gen_object(&rc, 0);
		char *text = json_dumps(o, JSON_COMPACT);

		json_decref(o);
		check(text != NULL);
		r.body = arena_strdup(&w.arena, text);
		r.body_len = strlen(text);
		free(text);
	}

	e = validate_body(&r);
	if (e == ERR_OK && rt->raw_body) {
		check(r.n_args == 0); /* the bytes are the handler's to check */
	} else if (e == ERR_OK) {
		check(r.err == ERR_OK);
		for (size_t i = 0; i < r.n_args; i++) {
			check(r.args[i].spec->loc == LOC_BODY);
			check_arg(&r.args[i]);
		}
		for (const struct param_spec *s = rt->params; s->name != NULL; s++)
			if (s->loc == LOC_BODY && s->required)
				check(arg_has(&r, s->name));
	} else {
		check(r.err == e);
		check(e == ERR_MALFORMED_JSON || e == ERR_UNKNOWN_FIELD || e == ERR_MISSING_FIELD ||
		      e == ERR_INVALID_FIELD);
		if (e != ERR_MALFORMED_JSON)
			check(r.err_field != NULL);
	}
	arena_reset(&w.arena);
	return 0;
}
