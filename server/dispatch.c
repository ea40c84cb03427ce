#include "dispatch.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "metrics.h"
#include "modules.h"
#include "util.h"
#include "worker.h"

#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEGMENTS 16

static const struct route *all_routes[METRICS_MAX_ROUTES];
static size_t n_all_routes;

static const char *const method_names[M__MAX] = {"GET", "POST", "PUT", "PATCH", "DELETE"};

const char *method_name(enum http_method m) { return (unsigned)m < M__MAX ? method_names[m] : "-"; }

bool path_pattern_valid(const char *p)
{
	if (p[0] != '/')
		return false;
	for (const char *s = p; *s != '\0'; s++) {
		if (*s == '{') {
			const char *end = strchr(s, '}');

			if (end == NULL || end == s + 1 || s[-1] != '/' ||
			    (end[1] != '/' && end[1] != '\0'))
				return false;
			s = end;
		}
	}
	return true;
}

static const struct param_spec *spec_find(const struct route *rt, enum param_loc loc,
					  const char *name, size_t n)
{
	if (rt->params == NULL)
		return NULL;
	for (const struct param_spec *p = rt->params; p->name != NULL; p++)
		if (p->loc == loc && strlen(p->name) == n && memcmp(p->name, name, n) == 0)
			return p;
	return NULL;
}

size_t routes_init(void)
{
	n_all_routes = 0;
	for (size_t m = 0; m < n_modules; m++) {
		for (size_t i = 0; i < modules[m]->n_routes; i++) {
			struct route *rt = &modules[m]->routes[i];

			/* Start-up checks: a malformed table is a programming error. */
			if (!path_pattern_valid(rt->pattern) || rt->handler == NULL ||
			    n_all_routes == METRICS_MAX_ROUTES) {
				fprintf(stderr, "invalid route %s %s\n", method_name(rt->method),
					rt->pattern);
				abort();
			}
			for (const char *s = strchr(rt->pattern, '{'); s != NULL;
			     s = strchr(s + 1, '{')) {
				const char *end = strchr(s, '}');

				if (spec_find(rt, LOC_PATH, s + 1, (size_t)(end - s - 1)) == NULL) {
					fprintf(stderr, "route %s: path parameter without a spec\n",
						rt->pattern);
					abort();
				}
			}
			rt->index = (unsigned)n_all_routes;
			all_routes[n_all_routes++] = rt;
		}
	}
	return n_all_routes;
}

size_t routes_count(void) { return n_all_routes; }

const struct route *route_at(size_t i) { return i < n_all_routes ? all_routes[i] : NULL; }

/* ---- typed arguments ---- */

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
 * status with an empty body, and a write is rolled back (pipeline). */
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

enum err req_if_match(struct req *r, int64_t *version)
{
	const char *v = r->if_match;
	size_t n;

	if (v == NULL || *v == '\0')
		return fail(r, ERR_PRECONDITION_REQUIRED, NULL,
			    "Envoyez la version lue dans l'en-tête If-Match.");
	if (strncmp(v, "W/", 2) == 0)
		v += 2;
	n = strlen(v);
	if (n < 3 || v[0] != '"' || v[n - 1] != '"' || !parse_int64(v + 1, n - 2, version) ||
	    *version < 1)
		return fail(r, ERR_PRECONDITION_FAILED, NULL, "If-Match mal formé.");
	return ERR_OK;
}

/* ---- routing ---- */

enum err route_match(struct req *r, const char *path, enum http_method m)
{
	bool path_seen = false;

	if (path == NULL || path[0] != '/' || strlen(path) > 1024)
		return ERR_NOT_FOUND;
	for (size_t i = 0; i < n_all_routes; i++) {
		const struct route *rt = all_routes[i];
		const char *p = rt->pattern, *s = path;
		size_t nvals = 0;
		bool ok = true;

		while (*p != '\0' && ok) {
			if (*p == '{') {
				const char *seg_end = strchr(s, '/');
				size_t n = seg_end != NULL ? (size_t)(seg_end - s) : strlen(s);

				if (n == 0 || nvals == ARRAY_LEN(r->path_vals)) {
					ok = false;
					break;
				}
				r->path_vals[nvals++] = arena_strndup(r->arena, s, n);
				s += n;
				p = strchr(p, '}') + 1;
			} else if (*p == *s) {
				p++;
				s++;
			} else {
				ok = false;
			}
		}
		if (!ok || *s != '\0')
			continue;
		path_seen = true;
		if (rt->method == m) {
			r->route = rt;
			return ERR_OK;
		}
	}
	return path_seen ? ERR_METHOD_NOT_ALLOWED : ERR_NOT_FOUND;
}

/*
 * Checks one raw value against its spec; `field` names it in the error
 * (the spec's name, or "items[2].level" inside a list). *iv gets the
 * integer or boolean value.
 */
static enum err check_value(struct req *r, const struct param_spec *spec, const char *field,
			    const char *s, size_t n, int64_t *iv)
{
	int64_t v = 0;

	switch (spec->type) {
	case P_STRING:
		if (!utf8_clean(s, n))
			return fail(r, ERR_INVALID_FIELD, field, "Caractères non autorisés.");
		if ((int64_t)n < spec->min || (spec->max > 0 && (int64_t)n > spec->max))
			return fail(r, ERR_INVALID_FIELD, field,
				    arena_printf(r->arena,
						 "Longueur attendue : de %lld à %lld octets.",
						 (long long)spec->min, (long long)spec->max));
		break;
	case P_INT:
	case P_ID:
		if (!parse_int64(s, n, &v))
			return fail(r, ERR_INVALID_FIELD, field, "Nombre entier attendu.");
		if (spec->type == P_ID && (v < 1 || v >= (INT64_C(1) << 53)))
			return fail(r, ERR_INVALID_FIELD, field, "Identifiant invalide.");
		if (spec->type == P_INT && (v < spec->min || v > spec->max))
			return fail(r, ERR_INVALID_FIELD, field,
				    arena_printf(r->arena, "Valeur attendue : de %lld à %lld.",
						 (long long)spec->min, (long long)spec->max));
		break;
	case P_BOOL:
		if (n == 4 && memcmp(s, "true", 4) == 0)
			v = 1;
		else if (!(n == 5 && memcmp(s, "false", 5) == 0))
			return fail(r, ERR_INVALID_FIELD, field, "true ou false attendu.");
		break;
	case P_ENUM: {
		bool found = false;

		for (const char *const *c = spec->choices; c != NULL && *c != NULL; c++)
			if (strlen(*c) == n && memcmp(*c, s, n) == 0)
				found = true;
		if (!found)
			return fail(r, ERR_INVALID_FIELD, field, "Valeur non reconnue.");
		break;
	}
	case P_DATE:
		if (!parse_date(s, n))
			return fail(r, ERR_INVALID_FIELD, field, "Date AAAA-MM-JJ attendue.");
		break;
	case P_DATETIME:
		if (!parse_datetime(s, n))
			return fail(r, ERR_INVALID_FIELD, field,
				    "Date et heure AAAA-MM-JJTHH:MM attendues.");
		break;
	case P_LIST:
		return fail_internal(r, ERR_INTERNAL, "a list is not a scalar value");
	}
	if (spec->check != NULL && !spec->check(s, n))
		return fail(r, ERR_INVALID_FIELD, field, "Format invalide.");
	*iv = v;
	return ERR_OK;
}

/* A fresh argument slot for spec, or NULL (and the error) when full. */
static struct arg *new_arg(struct req *r, const struct param_spec *spec)
{
	struct arg *a;

	if (r->n_args == REQ_MAX_ARGS) {
		fail(r, ERR_INVALID_FIELD, spec->name, "Trop de champs.");
		return NULL;
	}
	a = &r->args[r->n_args++];
	memset(a, 0, sizeof(*a));
	a->spec = spec;
	a->present = true;
	return a;
}

/* Checks one raw value and records it as the typed argument of its spec. */
static enum err accept_value(struct req *r, const struct param_spec *spec, const char *s, size_t n)
{
	struct arg *a;
	int64_t v = 0;
	enum err e;

	for (size_t i = 0; i < r->n_args; i++)
		if (r->args[i].spec == spec)
			return fail(r, ERR_INVALID_FIELD, spec->name, "Paramètre répété.");
	e = check_value(r, spec, spec->name, s, n, &v);
	if (e != ERR_OK)
		return e;
	a = new_arg(r, spec);
	if (a == NULL)
		return ERR_INVALID_FIELD;
	a->i = v;
	a->s = arena_strndup(r->arena, s, n);
	a->len = n;
	if (a->s == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	return ERR_OK;
}

enum err validate_path(struct req *r)
{
	const char *p = r->route->pattern;
	size_t k = 0;

	for (const char *s = strchr(p, '{'); s != NULL; s = strchr(s + 1, '{')) {
		const char *end = strchr(s, '}');
		const struct param_spec *spec =
		    spec_find(r->route, LOC_PATH, s + 1, (size_t)(end - s - 1));
		const char *v = r->path_vals[k++];
		enum err e = accept_value(r, spec, v, strlen(v));

		if (e == ERR_INVALID_FIELD) {
			/* /people/abc names no record: that is a 404, not bad input. */
			r->err = ERR_OK;
			r->err_field = r->err_detail = NULL;
			return fail(r, ERR_NOT_FOUND, NULL, NULL);
		}
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes in place ('+' is a space); false on a bad escape. */
static bool url_decode(char *s, size_t *n)
{
	size_t o = 0;

	for (size_t i = 0; i < *n; i++) {
		if (s[i] == '%') {
			int h, l;

			if (i + 2 >= *n)
				return false;
			h = hexval(s[i + 1]);
			l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return false;
			s[o++] = (char)(h << 4 | l);
			i += 2;
		} else {
			s[o++] = s[i] == '+' ? ' ' : s[i];
		}
	}
	*n = o;
	return true;
}

enum err validate_query(struct req *r, const char *query)
{
	const struct param_spec *spec;

	if (query != NULL && *query != '\0') {
		char *q = arena_strdup(r->arena, query), *save = NULL, *pair;

		if (q == NULL)
			return fail_internal(r, ERR_INTERNAL, "arena exhausted");
		for (pair = strtok_r(q, "&", &save); pair != NULL;
		     pair = strtok_r(NULL, "&", &save)) {
			char *eq = strchr(pair, '=');
			size_t kn = eq != NULL ? (size_t)(eq - pair) : strlen(pair);
			char *val = eq != NULL ? eq + 1 : pair + kn;
			size_t vn = strlen(val);
			enum err e;

			if (!url_decode(pair, &kn) || !url_decode(val, &vn))
				return fail(r, ERR_INVALID_FIELD, NULL, "Encodage d'URL invalide.");
			spec = spec_find(r->route, LOC_QUERY, pair, kn);
			if (spec == NULL)
				return fail(r, ERR_UNKNOWN_PARAMETER,
					    arena_strndup(r->arena, pair, kn),
					    "Ce paramètre n'est pas accepté ici.");
			e = accept_value(r, spec, val, vn);
			if (e != ERR_OK)
				return e;
		}
	}
	for (spec = r->route->params; spec != NULL && spec->name != NULL; spec++)
		if (spec->loc == LOC_QUERY && spec->required && !arg_has(r, spec->name))
			return fail(r, ERR_MISSING_FIELD, spec->name, "Paramètre obligatoire.");
	return ERR_OK;
}

static bool content_type_json(const char *ct)
{
	static const char want[] = "application/json";
	size_t n = sizeof(want) - 1;

	if (ct == NULL || !ascii_ieq(ct, strlen(ct) < n ? strlen(ct) : n, want))
		return false;
	ct += n;
	while (*ct == ' ')
		ct++;
	if (*ct == '\0')
		return true;
	if (*ct != ';')
		return false;
	ct++;
	while (*ct == ' ')
		ct++;
	return ascii_ieq(ct, strlen(ct), "charset=utf-8");
}

/* The string form of a JSON scalar, for check_value; NULL for other types. */
static const char *scalar_text(struct req *r, const struct param_spec *spec, json_t *v, size_t *n)
{
	switch (spec->type) {
	case P_STRING:
	case P_ENUM:
	case P_DATE:
	case P_DATETIME:
		if (!json_is_string(v))
			return NULL;
		*n = json_string_length(v);
		return json_string_value(v);
	case P_INT:
	case P_ID: {
		char *buf;

		if (!json_is_integer(v))
			return NULL;
		buf = arena_printf(r->arena, "%lld", (long long)json_integer_value(v));
		*n = buf != NULL ? strlen(buf) : 0;
		return buf;
	}
	case P_BOOL:
		if (!json_is_boolean(v))
			return NULL;
		*n = json_is_true(v) ? 4 : 5;
		return json_is_true(v) ? "true" : "false";
	case P_LIST:
		break;
	}
	return NULL;
}

/*
 * A list of objects (a competence grid, say): between min and max
 * elements, each an object whose members are all declared in spec->fields
 * and valid; required members present. The handler gets the validated
 * array through arg_list().
 */
static enum err accept_list(struct req *r, const struct param_spec *spec, json_t *v)
{
	struct arg *a;
	size_t i;
	json_t *el;

	if (!json_is_array(v))
		return fail(r, ERR_INVALID_FIELD, spec->name, "Liste attendue.");
	if ((int64_t)json_array_size(v) < spec->min || (int64_t)json_array_size(v) > spec->max)
		return fail(r, ERR_INVALID_FIELD, spec->name,
			    arena_printf(r->arena, "De %lld à %lld éléments attendus.",
					 (long long)spec->min, (long long)spec->max));
	json_array_foreach(v, i, el)
	{
		const char *key;
		json_t *m;

		if (!json_is_object(el))
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "%s[%zu]", spec->name, i),
				    "Objet attendu.");
		json_object_foreach(el, key, m)
		{
			const struct param_spec *f = NULL;
			const char *text, *field;
			size_t n = 0;
			int64_t iv;
			enum err e;

			for (const struct param_spec *p = spec->fields; p->name != NULL; p++)
				if (strcmp(p->name, key) == 0)
					f = p;
			field = arena_printf(r->arena, "%s[%zu].%s", spec->name, i, key);
			if (f == NULL)
				return fail(r, ERR_UNKNOWN_FIELD, field,
					    "Ce champ n'est pas accepté ici.");
			if (json_is_null(m) && f->nullable)
				continue;
			text = scalar_text(r, f, m, &n);
			if (text == NULL)
				return fail(r, ERR_INVALID_FIELD, field,
					    "Type de valeur inattendu.");
			e = check_value(r, f, field, text, n, &iv);
			if (e != ERR_OK)
				return e;
		}
		for (const struct param_spec *p = spec->fields; p->name != NULL; p++)
			if (p->required && json_object_get(el, p->name) == NULL)
				return fail(
				    r, ERR_MISSING_FIELD,
				    arena_printf(r->arena, "%s[%zu].%s", spec->name, i, p->name),
				    "Champ obligatoire.");
	}
	a = new_arg(r, spec);
	if (a == NULL)
		return ERR_INVALID_FIELD;
	a->list = v;
	return ERR_OK;
}

/* What a member of the wrong JSON type should have been. */
static const char *expected_type(enum param_type t)
{
	switch (t) {
	case P_INT:
	case P_ID:
		return "Nombre entier attendu.";
	case P_BOOL:
		return "true ou false attendu.";
	case P_LIST:
		return "Liste attendue.";
	case P_STRING:
	case P_ENUM:
	case P_DATE:
	case P_DATETIME:
		break;
	}
	return "Texte attendu.";
}

/* Converts one JSON member to its declared type, via the string form. */
static enum err accept_json(struct req *r, const struct param_spec *spec, json_t *v)
{
	const char *text;
	size_t n = 0;

	if (json_is_null(v)) {
		struct arg *a;

		if (!spec->nullable)
			return fail(r, ERR_INVALID_FIELD, spec->name, "Valeur obligatoire.");
		a = new_arg(r, spec);
		if (a == NULL)
			return ERR_INVALID_FIELD;
		a->is_null = true;
		return ERR_OK;
	}
	if (spec->type == P_LIST)
		return accept_list(r, spec, v);
	text = scalar_text(r, spec, v, &n);
	if (text == NULL)
		return fail(r, ERR_INVALID_FIELD, spec->name, expected_type(spec->type));
	return accept_value(r, spec, text, n);
}

enum err validate_body(struct req *r)
{
	const struct param_spec *spec;
	json_error_t jerr;
	const char *key;
	json_t *v;

	if (r->route->raw_body)
		return ERR_OK; /* the handler checks the bytes themselves */
	if (r->body_len > 0) {
		if (!content_type_json(r->content_type))
			return fail(r, ERR_UNSUPPORTED_MEDIA_TYPE, NULL,
				    "Envoyez Content-Type: application/json.");
		r->json = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
		if (r->json == NULL)
			return fail(r, ERR_MALFORMED_JSON, NULL,
				    arena_printf(r->arena,
						 "JSON invalide (ligne %d, colonne %d) : %s",
						 jerr.line, jerr.column, jerr.text));
		jarena(r, r->json);
		if (!json_is_object(r->json))
			return fail(r, ERR_MALFORMED_JSON, NULL, "Un objet JSON est attendu.");
		json_object_foreach(r->json, key, v)
		{
			enum err e;

			spec = spec_find(r->route, LOC_BODY, key, strlen(key));
			if (spec == NULL)
				return fail(r, ERR_UNKNOWN_FIELD, arena_strdup(r->arena, key),
					    "Ce champ n'est pas accepté ici.");
			e = accept_json(r, spec, v);
			if (e != ERR_OK)
				return e;
		}
	}
	for (spec = r->route->params; spec != NULL && spec->name != NULL; spec++)
		if (spec->loc == LOC_BODY && spec->required && !arg_has(r, spec->name))
			return fail(r, ERR_MISSING_FIELD, spec->name, "Champ obligatoire.");
	return ERR_OK;
}

/* ---- FastCGI input and output ---- */

static enum http_method parse_method(const char *m)
{
	for (int i = 0; i < M__MAX; i++)
		if (m != NULL && strcmp(m, method_names[i]) == 0)
			return (enum http_method)i;
	return M__MAX;
}

/* Reads exactly CONTENT_LENGTH bytes (libfcgi requires the stream drained). */
static enum err read_body(struct req *r, FCGX_Request *fr, const char *cl, size_t limit)
{
	int64_t len = 0;
	char sink[4096];

	if (cl == NULL || *cl == '\0')
		return ERR_OK;
	if (!parse_int64(cl, strlen(cl), &len) || len < 0)
		return fail(r, ERR_MALFORMED_JSON, NULL, "Content-Length invalide.");
	if ((size_t)len > limit) {
		int64_t left = len;

		while (left > 0) {
			int got = FCGX_GetStr(
			    sink, left > (int64_t)sizeof(sink) ? (int)sizeof(sink) : (int)left,
			    fr->in);
			if (got <= 0)
				break;
			left -= got;
		}
		return fail(r, ERR_BODY_TOO_LARGE, NULL,
			    arena_printf(r->arena, "Taille maximale : %zu octets.", limit));
	}
	char *body = arena_alloc(r->arena, (size_t)len + 1);

	if (body == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	size_t got = 0;

	while (got < (size_t)len) {
		int n = FCGX_GetStr(body + got, (int)((size_t)len - got), fr->in);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != (size_t)len)
		return fail(r, ERR_MALFORMED_JSON, NULL, "Corps de requête incomplet.");
	body[got] = '\0';
	r->body = body;
	r->body_len = got;
	return ERR_OK;
}

static const char *status_text(int s)
{
	switch (s) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 412:
		return "Precondition Failed";
	case 413:
		return "Content Too Large";
	case 415:
		return "Unsupported Media Type";
	case 422:
		return "Unprocessable Content";
	case 428:
		return "Precondition Required";
	case 429:
		return "Too Many Requests";
	case 503:
		return "Service Unavailable";
	default:
		return s >= 500 ? "Internal Server Error" : "OK";
	}
}

static void put(FCGX_Request *fr, const char *s, size_t n) { FCGX_PutStr(s, (int)n, fr->out); }

static void respond(struct req *r, FCGX_Request *fr)
{
	char head[512];
	char *body = NULL;
	const char *type = r->reply_type != NULL ? r->reply_type : "application/json";
	size_t body_len = 0;

	if (r->err != ERR_OK) {
		const struct problem_def *p = problem_get(r->err);
		/* The request id travels in X-Request-Id: two refusals of the same
		 * kind have byte-identical bodies. */
		json_t *o = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank", "title",
				      p->title, "status", p->status, "code", p->code);

		if (r->err_field != NULL)
			json_object_set_new(o, "field", json_string(r->err_field));
		if (r->err_detail != NULL)
			json_object_set_new(o, "detail", json_string(r->err_detail));
		reply_json(r, p->status, o);
		r->status = p->status;
		type = "application/problem+json";
		if (r->retry_after > 0)
			reply_header(r, arena_printf(r->arena, "Retry-After: %lld",
						     (long long)r->retry_after));
	}
	if (r->raw_reply != NULL) {
		body = (char *)r->raw_reply;
		body_len = r->raw_len;
	} else if (r->reply != NULL) {
		body = json_dumps(r->reply, JSON_COMPACT);
		body_len = body != NULL ? strlen(body) : 0;
		json_decref(r->reply);
		r->reply = NULL;
		if (body != NULL)
			arena_defer(r->arena, free, body);
	}
	if (r->status == 0)
		r->status = 200;
	snprintf(head, sizeof(head), "Status: %d %s\r\n", r->status, status_text(r->status));
	put(fr, head, strlen(head));
	if (body != NULL) {
		bool json = strcmp(type, "application/json") == 0 ||
			    strcmp(type, "application/problem+json") == 0;

		snprintf(head, sizeof(head), "Content-Type: %s%s\r\nContent-Length: %zu\r\n", type,
			 json ? "; charset=utf-8" : "", body_len);
		put(fr, head, strlen(head));
	}
	bool cache_set = false;

	for (size_t i = 0; i < r->n_headers; i++) {
		if (r->headers[i] == NULL)
			continue;
		cache_set |= strncmp(r->headers[i], "Cache-Control:", 14) == 0;
		put(fr, r->headers[i], strlen(r->headers[i]));
		put(fr, "\r\n", 2);
	}
	if (!cache_set)
		put(fr, "Cache-Control: no-store\r\n", 25);
	snprintf(head, sizeof(head), "X-Request-Id: %s\r\n\r\n", r->request_id);
	put(fr, head, strlen(head));
	if (body != NULL)
		put(fr, body, body_len);
}

static void set_request_id(struct req *r, const char *given)
{
	unsigned char rnd[12];
	size_t n = given != NULL ? strlen(given) : 0;
	bool ok = n >= 8 && n < sizeof(r->request_id);

	for (size_t i = 0; ok && i < n; i++)
		if (!((given[i] >= '0' && given[i] <= '9') ||
		      (given[i] >= 'a' && given[i] <= 'z') ||
		      (given[i] >= 'A' && given[i] <= 'Z') || given[i] == '-'))
			ok = false;
	if (ok) {
		memcpy(r->request_id, given, n + 1);
		return;
	}
	random_bytes(rnd, sizeof(rnd));
	hex_encode(r->request_id, rnd, sizeof(rnd));
}

static bool is_write(enum http_method m) { return m != M_GET; }

/*
 * The pipeline, in its fixed order. Every step may end the request with
 * an error; nothing after a failed step runs. Writes run the handler inside
 * one transaction, committed only if the handler succeeded and wrote its
 * audit row: a write that forgot its audit trail is refused, not committed.
 */
static void pipeline(struct req *r, FCGX_Request *fr)
{
	enum err e;
	const char *doc_uri = FCGX_GetParam("DOCUMENT_URI", fr->envp);

	r->method_str = FCGX_GetParam("REQUEST_METHOD", fr->envp);
	r->method = parse_method(r->method_str);
	r->path = doc_uri != NULL ? doc_uri : FCGX_GetParam("SCRIPT_NAME", fr->envp);
	r->query = FCGX_GetParam("QUERY_STRING", fr->envp);
	r->remote_addr = FCGX_GetParam("REMOTE_ADDR", fr->envp);
	r->content_type = FCGX_GetParam("CONTENT_TYPE", fr->envp);
	r->authorization = FCGX_GetParam("HTTP_AUTHORIZATION", fr->envp);
	r->cookie = FCGX_GetParam("HTTP_COOKIE", fr->envp);
	r->if_match = FCGX_GetParam("HTTP_IF_MATCH", fr->envp);
	r->requested_with = FCGX_GetParam("HTTP_X_REQUESTED_WITH", fr->envp);

	/* Route first: the route decides how large a body may be. A request
	 * that routes nowhere still has its body drained (limit 0). */
	e = r->method == M__MAX ? ERR_METHOD_NOT_ALLOWED : route_match(r, r->path, r->method);
	if (e != ERR_OK) {
		read_body(r, fr, FCGX_GetParam("CONTENT_LENGTH", fr->envp), 0);
		r->err = ERR_OK; /* the routing error is the one to report */
		fail(r, e, NULL, NULL);
		return;
	}
	e = read_body(r, fr, FCGX_GetParam("CONTENT_LENGTH", fr->envp),
		      r->route->max_body != 0 ? r->route->max_body : r->w->cfg->max_body_bytes);
	if (e != ERR_OK)
		return;
	if (!(r->route->allow & ALLOW_PUBLIC)) {
		if (auth_authenticate(r) != ERR_OK)
			return;
		if (!authz_allows(r->route->allow, r->authenticated, r->who.roles)) {
			fail(r, r->authenticated ? ERR_FORBIDDEN : ERR_UNAUTHENTICATED, NULL, NULL);
			return;
		}
		if (r->who.via_cookie && is_write(r->method) &&
		    (r->requested_with == NULL || strcmp(r->requested_with, "tutorat") != 0)) {
			fail(r, ERR_CSRF, NULL,
			     "Les requêtes d'écriture authentifiées par cookie doivent porter "
			     "X-Requested-With: tutorat.");
			return;
		}
	}
	if (validate_path(r) != ERR_OK || validate_query(r, r->query) != ERR_OK ||
	    validate_body(r) != ERR_OK)
		return;

	if (!is_write(r->method)) {
		e = r->route->handler(r);
		if (e != ERR_OK)
			fail(r, e, NULL, NULL);
		return;
	}
	if (db_begin(r) != ERR_OK)
		return;
	e = r->route->handler(r);
	if (e == ERR_OK && r->err != ERR_OK)
		e = r->err; /* an answer that failed (reply_json): the work is not kept */
	if (e == ERR_OK && r->audited == 0)
		e = fail_internal(r, ERR_INTERNAL, "write handler returned without an audit row");
	if (e != ERR_OK) {
		fail(r, e, NULL, NULL);
		if (r->commit_on_error) {
			if (db_commit(r) != ERR_OK)
				r->log_detail = "commit of a refusal's bookkeeping failed";
		} else {
			db_rollback(r);
		}
		return;
	}
	if (db_commit(r) != ERR_OK) {
		/* Never report success for work that is not stored. */
		if (r->reply != NULL) {
			json_decref(r->reply);
			r->reply = NULL;
		}
		r->n_headers = 0;
	}
}

void dispatch(struct worker *w, FCGX_Request *fr)
{
	struct req r;
	double t1;

	memset(&r, 0, sizeof(r));
	r.w = w;
	r.arena = &w->arena;
	r.t0 = now_mono();
	set_request_id(&r, FCGX_GetParam("REQUEST_ID", fr->envp));

	pipeline(&r, fr);
	if (db_conn_in_tx(w->db))
		db_rollback(&r); /* a handler path that left a transaction open */
	respond(&r, fr);

	t1 = now_mono();
	log_request(&r, (t1 - r.t0) * 1000.0);
	metrics_request(r.route != NULL ? r.route->index : (unsigned)n_all_routes, r.status,
			t1 - r.t0);
	arena_reset(&w->arena);
}
