/*
 * Validation of a request's input against its route's declared
 * parameters: each value becomes a typed argument (struct arg) or the
 * request ends with a problem naming the field.
 */
#ifndef TUTORAT_VALIDATE_H
#define TUTORAT_VALIDATE_H

#include "req.h"

/* A path value that is not of its declared type names no record: 404. */
enum err validate_path(struct req *r);
enum err validate_query(struct req *r, const char *query);
enum err validate_body(struct req *r);
/* One value against one declaration, as a route's input is checked: for
 * input that does not come through a route (tutoratctl import), so that
 * both take one set of rules. The error names spec->name. */
enum err validate_value(struct req *r, const struct param_spec *spec, const char *s, size_t n);
/* The declaration named `name` in a {0}-ended list, or NULL. */
const struct param_spec *param_named(const struct param_spec *specs, const char *name);

#endif
