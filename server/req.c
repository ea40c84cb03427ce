/*
 * The request helpers handlers use: typed arguments, answers, and the
 * request's one error channel (fail, fail_internal). They depend on the
 * arena and the problem table only, so that every layer may use them.
 */
#include "req.h"
#include "util.h"

#include <string.h>

const struct arg *arg_get(const struct req *r, const char *name)
{
	for (size_t i = 0; i < r->n_args; i++)
		if (strcmp(r->args[i].spec->name, name) == 0)
			return &r->args[i];
	return NULL;
}

bool arg_has(const struct req *r, const char *name)
{
	const struct arg *a = arg_get(r, name);

	return a != NULL && a->present;
}

const char *arg_str(const struct req *r, const char *name)
{
	const struct arg *a = arg_get(r, name);

	return a != NULL && a->present && !a->is_null ? a->s : NULL;
}

int64_t arg_int(const struct req *r, const char *name, int64_t dflt)
{
	const struct arg *a = arg_get(r, name);

	return a != NULL && a->present && !a->is_null ? a->i : dflt;
}

json_t *arg_list(const struct req *r, const char *name)
{
	const struct arg *a = arg_get(r, name);

	return a != NULL && a->present ? a->list : NULL;
}

bool arg_bool(const struct req *r, const char *name, bool dflt)
{
	const struct arg *a = arg_get(r, name);

	return a != NULL && a->present && !a->is_null ? a->i != 0 : dflt;
}

/* ---- answers ---- */

json_t *jarena(struct req *r, json_t *v)
{
	if (v != NULL)
		arena_defer(r->arena, (void (*)(void *))json_decref, v);
	return v;
}

/* A NULL body is a reply that could not be built (json_pack refuses text
 * that is not UTF-8, or memory ran out): the answer is a 500, never the
 * status with an empty body, and a write is rolled back (one error channel). */
void reply_json(struct req *r, int status, json_t *body)
{
	if (body == NULL) {
		reply_empty(r, 0);
		fail_internal(r, ERR_INTERNAL, "reply body could not be built");
		return;
	}
	reply_empty(r, status);
	r->reply = body;
}

void reply_empty(struct req *r, int status)
{
	if (r->reply != NULL)
		json_decref(r->reply);
	r->reply = NULL;
	r->status = status;
}

void reply_versioned(struct req *r, int status, json_t *body)
{
	if (body != NULL)
		reply_header(r, arena_printf(r->arena, "ETag: \"%lld\"",
					     (long long)json_integer_value(
						 json_object_get(body, "version"))));
	reply_json(r, status, body);
}

void reply_id(struct req *r, int status, int64_t id)
{
	reply_json(r, status, json_pack("{s:I}", "id", (json_int_t)id));
}

void reply_header(struct req *r, const char *line)
{
	if (r->n_headers < REQ_MAX_HEADERS)
		r->headers[r->n_headers++] = arena_strdup(r->arena, line);
}

enum err fail(struct req *r, enum err e, const char *field, const char *detail)
{
	/* The first error wins: a later, vaguer one must not hide it. */
	if (r->err == ERR_OK) {
		r->err = e;
		r->err_field = field;
		r->err_detail = detail;
	}
	return e;
}

enum err fail_internal(struct req *r, enum err e, const char *log_detail)
{
	if (r->log_detail == NULL && log_detail != NULL)
		r->log_detail = arena_strdup(r->arena, log_detail);
	return fail(r, e, NULL, NULL);
}

enum err fail_problem(struct req *r, const struct problem_def *p, const char *field,
		      const char *detail)
{
	if (r->err == ERR_OK)
		r->problem = p;
	return fail(r, ERR_MODULE, field, detail);
}

const struct problem_def *req_problem(const struct req *r)
{
	return r->err == ERR_MODULE && r->problem != NULL ? r->problem : problem_get(r->err);
}

enum err req_if_match(struct req *r, int64_t *version)
{
	const char *v = r->if_match;
	size_t n;

	if (v == NULL || *v == '\0')
		return fail(r, ERR_PRECONDITION_REQUIRED, NULL,
			    "Envoyez la version lue dans l’en-tête If-Match.");
	if (strncmp(v, "W/", 2) == 0)
		v += 2;
	n = strlen(v);
	if (n < 3 || v[0] != '"' || v[n - 1] != '"' || !parse_int64(v + 1, n - 2, version) ||
	    *version < 1)
		return fail(r, ERR_PRECONDITION_FAILED, NULL, "If-Match mal formé.");
	return ERR_OK;
}
