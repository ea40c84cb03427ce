/*
 * Start-up and administration work on the database outside any request:
 * migrations, the académie table, demo data.
 */
#ifndef TUTORAT_SCHEMA_H
#define TUTORAT_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

struct config;

/* Applies the numbered files of sql_dir not applied yet, each once, in
 * order, checking the recorded checksum of those already applied. */
bool schema_migrate(const struct config *cfg, const char *sql_dir, char *err, size_t errlen);
/* Inserts the configured académies missing from the table (migrate does it). */
bool schema_sync_academies(const struct config *cfg, char *err, size_t errlen);
/* Sets academy_cfg.id of every configured académie; false if one is missing. */
bool schema_load_academy_ids(struct config *cfg, char *err, size_t errlen);
/* True in *empty when no académie has any structure yet. */
bool schema_is_empty(const struct config *cfg, bool *empty, char *err, size_t errlen);
struct st_mysql;
/* One prepared statement outside any request: 'i' int64_t, 's' const char *
 * (NULL binds NULL). If `found` is given, *found tells whether a row came
 * back (the first column of which goes nowhere). */
bool schema_exec(struct st_mysql *my, const char *sql, bool *found, char *err, size_t errlen,
		 const char *sig, ...);
/* Runs one SQL file (demo data) in a transaction. */
bool schema_run_file(const struct config *cfg, const char *path, char *err, size_t errlen);

#endif
