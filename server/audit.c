#include "audit.h"
#include "db.h"
#include "req.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const struct db_sql Q_AUDIT_INSERT = {
    "INSERT INTO audit_log (academy_id, at, request_id, actor_id, action, object_type, "
    "object_id, client_addr, detail) VALUES (?, NOW(6), ?, ?, ?, ?, ?, ?, ?)",
    "szsszss"};

enum err audit_record(struct req *r, const char *action, const char *object_type, int64_t object_id,
		      json_t *detail)
{
	char *text = detail != NULL ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	enum err e;

	e = db_run(r, &Q_AUDIT_INSERT, NULL, r->request_id, r->authenticated ? r->who.person_id : 0,
		   action, object_type, object_id, r->remote_addr, text);
	free(text);
	if (e == ERR_OK)
		r->audited++;
	return e;
}

enum err audit_commit(struct req *r)
{
	if (r->audited == r->audited_at_begin) {
		db_rollback(r);
		return fail_internal(r, ERR_INTERNAL, "transaction without an audit row");
	}
	if (now_real() >= r->deadline) {
		/* nginx has answered the client (or is about to): not kept. */
		db_rollback(r);
		r->retry_after = 1;
		return fail(r, ERR_DEADLINE, NULL, NULL);
	}
	return db_commit(r);
}

static const struct param_spec *body_spec(const struct param_spec *specs, const char *name)
{
	for (const struct param_spec *p = specs; p != NULL && p->name != NULL; p++)
		if (p->loc == LOC_BODY && strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/*
 * What the audit row keeps of one validated body value. Values that say
 * what was done and to what are kept: ids, integers, booleans, enum
 * choices, dates, null. Strings are free text (notes, comments, names) or
 * may be: only their size in bytes is kept, {"bytes": N}. A list keeps
 * the same summary of each of its objects (audit_members).
 */
static json_t *scalar_summary(const struct param_spec *spec, json_t *v)
{
	if (json_is_null(v))
		return json_null();
	switch (spec != NULL ? spec->type : P_STRING) {
	case P_INT:
	case P_ID:
	case P_BOOL:
	case P_ENUM:
	case P_DATE:
	case P_DATETIME:
		return json_incref(v);
	case P_LIST:
	case P_STRING:
		break;
	}
	return json_pack("{s:I}", "bytes",
			 (json_int_t)(json_is_string(v) ? json_string_length(v) : 0));
}

/* The members of one object of a list (their specs declare scalars only). */
static json_t *item_summary(const struct param_spec *fields, json_t *obj)
{
	json_t *d = json_object(), *v;
	const char *key;

	json_object_foreach(obj, key, v)
	{
		json_object_set_new(d, key, scalar_summary(body_spec(fields, key), v));
	}
	return d;
}

static json_t *audit_members(const struct param_spec *specs, json_t *obj)
{
	json_t *d = json_object(), *v, *it, *list;
	const char *key;
	size_t i;

	json_object_foreach(obj, key, v)
	{
		const struct param_spec *spec = body_spec(specs, key);

		if (spec == NULL || spec->type != P_LIST || !json_is_array(v)) {
			json_object_set_new(d, key, scalar_summary(spec, v));
			continue;
		}
		if (spec->fields == NULL) { /* record ids: kept as they are */
			json_object_set(d, key, v);
			continue;
		}
		list = json_array();
		json_array_foreach(v, i, it)
		{
			json_array_append_new(list, item_summary(spec->fields, it));
		}
		json_object_set_new(d, key, list);
	}
	return d;
}

enum err audit_record_body(struct req *r, const char *action, const char *object_type,
			   int64_t object_id)
{
	json_t *d = json_is_object(r->json) ? audit_members(r->route->params, r->json) : NULL;
	enum err e = audit_record(r, action, object_type, object_id, d);

	json_decref(d);
	return e;
}

/* Every statement of this file, for tutoratctl check-sql. */
const struct db_sql *const audit_statements[] = {
    &Q_AUDIT_INSERT,
    NULL,
};
