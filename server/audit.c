#include "audit.h"
#include "db.h"
#include "req.h"

#include <stdlib.h>

static const struct db_sql Q_AUDIT_INSERT = {
    "INSERT INTO audit_log (academy_id, at, request_id, actor_id, action, object_type, "
    "object_id, client_addr, detail) VALUES (?, NOW(6), ?, ?, ?, ?, ?, ?, ?)"};

enum err audit_record(struct req *r, const char *action, const char *object_type, int64_t object_id,
		      json_t *detail)
{
	char *text = detail != NULL ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	enum err e;

	e = db_exec(r, &Q_AUDIT_INSERT, NULL, "szsszss", r->request_id,
		    r->authenticated ? r->who.person_id : 0, action, object_type, object_id,
		    r->remote_addr, text);
	free(text);
	if (e == ERR_OK)
		r->audited++;
	return e;
}

enum err audit_record_body(struct req *r, const char *action, const char *object_type,
			   int64_t object_id)
{
	json_t *d = json_object();
	const char *key;
	json_t *v;
	enum err e;

	if (r->json != NULL) {
		json_object_foreach(r->json, key, v) { json_object_set(d, key, v); }
	}
	e = audit_record(r, action, object_type, object_id, d);
	json_decref(d);
	return e;
}
