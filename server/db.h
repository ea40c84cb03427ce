/*
 * MariaDB access: prepared statements only, each declared once in a module's
 * *_db.c as a `struct db_sql` with its parameter and result signatures,
 * prepared lazily by each worker on its own connection (where the
 * signatures are checked against MariaDB's own count of placeholders and
 * columns, and the columns' names) and kept for the worker's life.
 * `tutoratctl check-sql` prepares every statement of every module against
 * the migrated schema (struct module.statements).
 *
 * Tenancy: a statement is tenant-bound unless declared `.global`. The first
 * placeholder of a tenant-bound statement is the académie, and db_query /
 * db_exec bind it themselves from r->tenant: a handler cannot forget it,
 * and cannot choose it.
 *
 * Where the académie is not the first placeholder (UPDATE ... SET ... WHERE
 * academy_id = ?), the signature marks its places with 'A'; they too are
 * bound from r->tenant, never from a value the handler passes.
 *
 * Parameter signatures, one letter per remaining placeholder:
 *   i  int64_t             z  int64_t, 0 binds NULL (identifiers)
 *   s  const char *, NULL binds NULL
 *   b  const void *, size_t (bytes)
 */
#ifndef TUTORAT_DB_H
#define TUTORAT_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "problem.h"

struct req;
struct worker;
struct config;
struct st_mysql;

struct db_sql {
	const char *sql;
	/* The values the caller passes, one letter each (above); the académie
	 * in front is implied for a tenant-bound statement without 'A'. */
	const char *params;
	/* The result's columns by name, NULL-terminated (DB_COLS); NULL for a
	 * statement that returns no rows. */
	const char *const *cols;
	bool global; /* no académie: migrations, the académie table, health */
};
#define DB_COLS(...) ((const char *const[]){__VA_ARGS__, NULL})

struct db_val {
	const char *s; /* NUL-terminated text form; NULL for SQL NULL */
	size_t len;
};

struct db_res {
	size_t n_rows, n_cols;
	struct db_val *v;	 /* n_rows * n_cols, row-major, in the request arena */
	const char *const *cols; /* the statement's declared column names */
};

/* A cell by column name; an unknown name or a row outside the result (a
 * reader and its statement that disagree) is a logged NULL, never a read of
 * foreign memory. */
const struct db_val *db_cell(const struct db_res *res, size_t row, const char *col);
const char *db_str(const struct db_res *res, size_t row, const char *col); /* NULL for NULL */
int64_t db_int(const struct db_res *res, size_t row, const char *col);	   /* 0 for NULL */
bool db_isnull(const struct db_res *res, size_t row, const char *col);
bool db_bool(const struct db_res *res, size_t row, const char *col); /* 0/1, NULL false */

/* Runs a statement that returns rows; the values follow q->params. */
enum err db_rows(struct req *r, const struct db_sql *q, struct db_res *out, ...);
/* Exactly one row: ERR_NOT_FOUND (unrecorded) when there is none. */
enum err db_one(struct req *r, const struct db_sql *q, struct db_res *out, ...);
/* Whether the statement finds a row. */
enum err db_exists(struct req *r, const struct db_sql *q, bool *found, ...);
/* Runs a write; *affected (may be NULL) gets the number of rows changed.
 * A unique key that refuses the row returns ERR_DUPLICATE, a foreign key or
 * CHECK constraint ERR_REFERENCE, both unrecorded: the caller names the
 * field (or lets them through as a plain 409). */
enum err db_run(struct req *r, const struct db_sql *q, uint64_t *affected, ...);
/*
 * A versioned update (`... WHERE academy_id = ? AND id = ? AND version = ?`)
 * whose values follow update->params: when it changes nothing, ERR_NOT_FOUND
 * if `exists` (SELECT version ... WHERE academy_id = ? AND id = ?, params
 * "i") finds no row with `id`, else 412 with the current version.
 */
enum err db_update_versioned(struct req *r, const struct db_sql *update,
			     const struct db_sql *exists, int64_t id, ...);
/* The total of a page whose statement has a `total` column
 * (COUNT(*) OVER ()): 0 for an empty page. */
int64_t db_total(const struct db_res *res);

/* Checks a statement against the schema on `my`: it prepares, and MariaDB
 * counts the placeholders and columns, and names the columns, as declared.
 * For `tutoratctl check-sql`; false with the reason in err. */
bool db_sql_check(struct st_mysql *my, const struct db_sql *q, char *err, size_t errlen);

/* After an UPDATE ... AND version = ? that changed nothing: ERR_NOT_FOUND
 * when `exists` (SELECT version ... WHERE academy_id = ? AND id = ?) finds
 * no row, else 412 with the current version in the detail. */
enum err db_stale_or_missing(struct req *r, const struct db_sql *exists, int64_t id);

/* A write to reference data of the académie (calendar, structures,
 * conversion tables, people): increases its reference_version. */
enum err db_reference_changed(struct req *r);

/* "%q%" for a contains-search with LIKE, its wildcards escaped; NULL for
 * a NULL q (the statement then ignores the filter). */
const char *db_like_contains(struct req *r, const char *q);

enum err db_begin(struct req *r);
enum err db_commit(struct req *r);
void db_rollback(struct req *r);

/* Per-worker connection life. */
struct db_conn;
struct db_target;
struct db_conn *db_conn_new(const struct config *cfg); /* to [database] */
struct db_conn *db_conn_new_for(const struct db_target *target);
void db_conn_free(struct db_conn *c);
/* Connects (or reconnects) if needed; ERR_DATABASE_UNAVAILABLE on failure. */
enum err db_conn_ensure(struct db_conn *c);
bool db_conn_ping(struct db_conn *c);
bool db_conn_in_tx(const struct db_conn *c);
/* True when `replica` has applied every transaction `primary` had
 * committed when asked (MariaDB GTIDs: the primary's gtid_binlog_pos,
 * awaited on the replica with MASTER_GTID_WAIT for at most wait_ms). False
 * on any doubt (no position, a timeout, an error, a replica down): the
 * caller then reads from the primary, so that a read after a write always
 * sees it. */
bool db_conn_caught_up(struct db_conn *primary, struct db_conn *replica, int wait_ms);

/* Outside a request (tutoratctl, start-up): a plain connection, with
 * multi-statement support for migrations when `multi` is set. */
struct st_mysql *db_connect_plain(const struct config *cfg, bool multi, char *err, size_t errlen);

/* The statements of db.c itself (tutoratctl check-sql). */
extern const struct db_sql *const db_statements[];

#endif
