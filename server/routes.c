/*
 * The route table: every module's routes, numbered at start-up (their
 * metrics slot), checked once, and matched against a request's path.
 */
#include "routes.h"
#include "metrics.h"
#include "modules.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct route *all_routes[METRICS_MAX_ROUTES];
static size_t n_all_routes;

static const char *const method_names[M__MAX] = {"GET", "POST", "PUT", "PATCH", "DELETE"};

const char *method_name(enum http_method m) { return (unsigned)m < M__MAX ? method_names[m] : "-"; }

enum http_method method_parse(const char *m)
{
	for (int i = 0; i < M__MAX; i++)
		if (m != NULL && strcmp(m, method_names[i]) == 0)
			return (enum http_method)i;
	return M__MAX;
}

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

const struct param_spec *route_param(const struct route *rt, enum param_loc loc, const char *name,
				     size_t n)
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

				if (route_param(rt, LOC_PATH, s + 1, (size_t)(end - s - 1)) ==
				    NULL) {
					fprintf(stderr, "route %s: path parameter without a spec\n",
						rt->pattern);
					abort();
				}
			}
			if (rt->object.kind != 0 &&
			    (modules[m]->resolve == NULL || rt->object.see == 0 ||
			     (rt->object.act & ~rt->object.see) != 0 ||
			     route_param(rt, LOC_PATH, rt->object.param,
					 strlen(rt->object.param)) == NULL)) {
				fprintf(stderr,
					"route %s: object declared without a resolver, "
					"relations or path parameter\n",
					rt->pattern);
				abort();
			}
			if (rt->read_log != NULL &&
			    (rt->method != M_GET || rt->object.kind == 0 || rt->reporting)) {
				fprintf(stderr, "route %s: a read log needs a GET of an object\n",
					rt->pattern);
				abort();
			}
			rt->module = modules[m];
			rt->index = (unsigned)n_all_routes;
			all_routes[n_all_routes++] = rt;
		}
	}
	return n_all_routes;
}

size_t routes_count(void) { return n_all_routes; }

const struct route *route_at(size_t i) { return i < n_all_routes ? all_routes[i] : NULL; }

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
