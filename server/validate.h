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

#endif
