/*
 * The read log's one write (server/readlog_db.h). Who read, whose record,
 * which record and when: never what the record said.
 */
#include "readlog_db.h"
#include "db.h"
#include "req.h"
#include "util.h"

static const struct db_sql Q_READ_LOG_INSERT = {
    "INSERT INTO read_log (academy_id, id, subject_id, reader_id, record_type, record_id, "
    "read_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3))",
    "iiisi"};

enum err readlog_record(struct req *r, const char *type, int64_t record_id, int64_t subject_id)
{
	return db_run(r, &Q_READ_LOG_INSERT, NULL, random_id(), subject_id, r->who.person_id, type,
		      record_id);
}

const struct db_sql *const readlog_statements[] = {&Q_READ_LOG_INSERT, NULL};
