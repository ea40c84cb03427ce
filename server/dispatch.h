/*
 * The request pipeline and the route table built from the modules.
 */
#ifndef TUTORAT_DISPATCH_H
#define TUTORAT_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "req.h"

struct FCGX_Request;

/* Numbers the routes of every module (metrics slots); checks patterns. */
size_t routes_init(void);
size_t routes_count(void);
const struct route *route_at(size_t i);
const char *method_name(enum http_method m);

/* Serves one accepted FastCGI request on worker w. */
void dispatch(struct worker *w, struct FCGX_Request *fr);

/* Exposed for unit tests: the pure steps of the pipeline. */
enum err route_match(struct req *r, const char *path, enum http_method m);
enum err validate_query(struct req *r, const char *query);
enum err validate_body(struct req *r);
enum err validate_path(struct req *r);
bool path_pattern_valid(const char *pattern);

#endif
