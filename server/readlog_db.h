/*
 * The read log of sensitive records (sql/019_read_log.sql): one row per
 * read of a case, a bilan, self-assessments, a trace, a document or a SOPA
 * report by someone other than its subject. The pipeline writes it for a
 * route that declares .read_log (server/dispatch.c); the rgpd module lists
 * a person's own rows ("Qui a consulté mon dossier").
 */
#ifndef TUTORAT_READLOG_DB_H
#define TUTORAT_READLOG_DB_H

#include <stdint.h>

#include "problem.h"

struct req;
struct db_sql;

/* One row: the caller read record `type` number `record_id`, about
 * `subject_id`, now; in the request's transaction. */
enum err readlog_record(struct req *r, const char *type, int64_t record_id, int64_t subject_id);

/* Its statements (tutoratctl check-sql). */
extern const struct db_sql *const readlog_statements[];

#endif
