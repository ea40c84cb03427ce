/*
 * The audit trail: one row per write, inserted in the write's own
 * transaction, so either both the change and its record exist or neither.
 */
#ifndef TUTORAT_AUDIT_H
#define TUTORAT_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "problem.h"

struct req;

/* detail (may be NULL) is borrowed; it must never hold a secret. */
enum err audit_record(struct req *r, const char *action, const char *object_type, int64_t object_id,
		      json_t *detail);

/* audit_record with a summary of the request body as the detail: each
 * member by name, ids, numbers, booleans, enum choices and dates as they
 * are, strings as their size only ({"bytes": N}): never free text. For
 * writes whose body holds no secret. */
enum err audit_record_body(struct req *r, const char *action, const char *object_type,
			   int64_t object_id);

/* Ends a transaction of a route with own_transactions (struct route): it
 * commits when the transaction wrote an audit row; otherwise it is rolled
 * back and the request fails (ERR_INTERNAL), as the pipeline refuses any
 * other write without its audit row. */
enum err audit_commit(struct req *r);

struct db_sql;
/* The audit trail's statement, for tutoratctl check-sql. */
extern const struct db_sql *const audit_statements[];

#endif
