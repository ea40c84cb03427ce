/*
 * The route table built from the modules: numbered at start-up (each
 * route's metrics slot), checked once, matched against each request.
 */
#ifndef TUTORAT_ROUTES_H
#define TUTORAT_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "req.h"

/* Numbers the routes of every module (metrics slots); checks the table
 * (patterns, path parameters, declared objects): a malformed table aborts. */
size_t routes_init(void);
size_t routes_count(void);
const struct route *route_at(size_t i);

const char *method_name(enum http_method m);
/* M__MAX for a method no route can have. */
enum http_method method_parse(const char *m);

bool path_pattern_valid(const char *pattern);
/* The route's declared parameter `name` (n bytes) at loc, or NULL. */
const struct param_spec *route_param(const struct route *rt, enum param_loc loc, const char *name,
				     size_t n);
/* Sets r->route and r->path_vals; ERR_NOT_FOUND or ERR_METHOD_NOT_ALLOWED. */
enum err route_match(struct req *r, const char *path, enum http_method m);

#endif
