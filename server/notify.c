/*
 * Notifications (server/notify.h): the rows an event leaves for the people
 * it concerns, and the routes that show them to their reader. Every item is
 * re-checked against the module's access rules when it is listed, counted
 * or opened: one who may no longer see the record (a replaced tutor) sees
 * nothing of it, as for a missing item.
 */
#include "notify.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "modules.h"
#include "req.h"
#include "util.h"

#define INBOX_MAX   100 /* a page of the list, and the unread items counted */
#define UNREAD_SHOWN 99 /* the count says "99+" beyond */

static const char *const channel_names[] = {"app", "email", "digest", NULL};

const struct notice_kind *notice_kind_find(const char *name, const struct module **owner)
{
	for (size_t m = 0; m < n_modules; m++)
		for (const struct notice_kind *k = modules[m]->notices; k != NULL && k->name != NULL;
		     k++)
			if (strcmp(k->name, name) == 0) {
				if (owner != NULL)
					*owner = modules[m];
				return k;
			}
	return NULL;
}

/* ======================================================================
 * Writing: notify()
 * ====================================================================== */

/* The recipients that exist and are active, with their address and their
 * choice for the kind (NULL: the kind's default). */
static const struct db_sql Q_RECIPIENTS = {
    "SELECT p.id, p.display_name, p.email, np.channel FROM person p "
    "LEFT JOIN notification_pref np ON np.academy_id = p.academy_id AND np.person_id = p.id "
    "AND np.kind = ? WHERE p.academy_id = ? AND p.active AND p.id IN "
    "(SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) j)",
    "sAs", DB_COLS("id", "display_name", "email", "channel")};

static const struct db_sql Q_NOTIFICATION_INSERT = {
    "INSERT INTO notification (academy_id, id, recipient_id, kind, module, object_kind, "
    "object_id, relations, actor_id, subject, link, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3))",
    "iisssiizss"};

/* A digest row waits for the next [mail] digest_hour (the database's
 * clock, which the mailer compares with). A row without an address is
 * 'failed' at once: the admin's list of gaps. */
static const struct db_sql Q_OUTBOX_INSERT = {
    "INSERT INTO mail_outbox (academy_id, id, recipient_id, to_addr, kind, notification_id, "
    "digest, subject, body_text, body_html, message_id, state, last_error, next_attempt_at, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "IF(?, IF(HOUR(NOW()) < ?, DATE(NOW()), DATE(NOW()) + INTERVAL 1 DAY) "
    "  + INTERVAL ? HOUR, NOW(3)), NOW(3))",
    "iissiissssssiii"};

/* "tutorat.ac-lyon.fr" from "https://tutorat.ac-lyon.fr:8443/x". */
static const char *url_host(struct req *r, const char *url)
{
	const char *p = strstr(url, "://"), *end;

	p = p != NULL ? p + 3 : url;
	end = p + strcspn(p, ":/");
	return arena_printf(r->arena, "%.*s", (int)(end - p), p);
}

/* What happened, as a sentence: "Camille Martin a transmis son retour". */
static const char *sentence(struct req *r, const struct notice_kind *k, const char *actor)
{
	if (actor != NULL && actor[0] != '\0')
		return arena_printf(r->arena, "%s %s", actor, k->text);
	return k->text;
}

struct mail_text {
	const char *subject, *text, *html;
};

/*
 * The mail of one notification, in French, without the record's text: the
 * sentence, whom it is about, one link to the screen, and where to change
 * the preferences. A digest row holds the same; the mailer groups a day's
 * rows into one mail.
 */
static struct mail_text render_mail(struct req *r, const struct notice_kind *k,
				    const struct notice *n, const char *recipient,
				    const char *what)
{
	const struct academy_cfg *a = r->tenant;
	const char *url = arena_printf(r->arena, "%s%s", a->base_url, n->link);
	const char *prefs = arena_printf(r->arena, "%s/app.html#/preferences", a->base_url);
	struct mail_text m;

	m.subject = arena_printf(r->arena, "[Tutorat] %s", k->mail_subject);
	m.text = arena_printf(r->arena,
			      "Bonjour %s,\n\n%s.\nDossier : %s\n\nPour le consulter : %s\n\n-- \n"
			      "Tutorat, %s\nVos préférences de notification : %s\n",
			      recipient, what, n->subject, url, a->name, prefs);
	m.html = arena_printf(
	    r->arena,
	    "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>%s</title>"
	    "</head><body>\n<p>Bonjour %s,</p>\n<p>%s.<br>Dossier : %s</p>\n"
	    "<p><a href=\"%s\">Consulter dans Tutorat</a></p>\n<hr>\n<p>Tutorat, %s<br>"
	    "<a href=\"%s\">Vos préférences de notification</a></p>\n</body></html>\n",
	    html_escape(r->arena, m.subject), html_escape(r->arena, recipient),
	    html_escape(r->arena, what), html_escape(r->arena, n->subject),
	    html_escape(r->arena, url), html_escape(r->arena, a->name),
	    html_escape(r->arena, prefs));
	return m;
}

static enum notice_channel channel_of(const char *name, enum notice_channel dflt)
{
	for (int i = 0; name != NULL && channel_names[i] != NULL; i++)
		if (strcmp(name, channel_names[i]) == 0)
			return (enum notice_channel)i;
	return dflt;
}

/* The JSON array of the recipients' ids, the actor and duplicates left out. */
static const char *recipient_ids(struct req *r, const int64_t *rcpt, size_t n_rcpt, size_t *kept)
{
	int64_t actor = r->authenticated ? r->who.person_id : 0;
	json_t *ids = jarena(r, json_array());
	char *text;

	*kept = 0;
	for (size_t i = 0; i < n_rcpt; i++) {
		bool seen = rcpt[i] == actor || rcpt[i] == 0;

		for (size_t j = 0; j < i && !seen; j++)
			seen = rcpt[j] == rcpt[i];
		if (!seen) {
			json_array_append_new(ids, json_integer(rcpt[i]));
			(*kept)++;
		}
	}
	text = json_dumps(ids, JSON_COMPACT);
	if (text == NULL)
		return NULL;
	const char *copy = arena_strdup(r->arena, text);
	free(text);
	return copy;
}

enum err notify(struct req *r, const struct module *m, const struct notice *n,
		const int64_t *rcpt, size_t n_rcpt)
{
	const struct notice_kind *k = notice_kind_find(n->kind, NULL);
	int64_t actor = r->authenticated ? r->who.person_id : 0;
	const char *what, *ids, *host;
	struct db_res res;
	size_t kept;
	enum err e;

	if (k == NULL)
		return fail_internal(r, ERR_INTERNAL, "notify: unknown notice kind");
	ids = recipient_ids(r, rcpt, n_rcpt, &kept);
	if (ids == NULL)
		return fail_internal(r, ERR_INTERNAL, "notify: no memory");
	if (kept == 0)
		return ERR_OK;
	e = db_rows(r, &Q_RECIPIENTS, &res, k->name, ids);
	if (e != ERR_OK)
		return e;
	what = sentence(r, k, actor != 0 ? r->who.display_name : NULL);
	host = url_host(r, r->tenant->base_url);
	for (size_t i = 0; i < res.n_rows; i++) {
		int64_t to = db_int(&res, i, "id"), nid = random_id(), mid = random_id();
		enum notice_channel ch = channel_of(db_str(&res, i, "channel"), k->default_channel);
		const char *email = db_str(&res, i, "email");
		struct mail_text mail;

		if (email != NULL && email[0] == '\0')
			email = NULL;
		e = db_run(r, &Q_NOTIFICATION_INSERT, NULL, nid, to, k->name, m->name, n->object,
			   n->object_id, (int64_t)n->relations, actor, n->subject, n->link);
		if (e != ERR_OK || ch == CHANNEL_APP)
			continue;
		mail = render_mail(r, k, n, db_str(&res, i, "display_name"), what);
		e = db_run(r, &Q_OUTBOX_INSERT, NULL, mid, to, email, k->name, nid,
			   (int64_t)(ch == CHANNEL_DIGEST), mail.subject, mail.text, mail.html,
			   arena_printf(r->arena, "<%lld.%s@%s>", (long long)mid, r->tenant->code,
					host),
			   email != NULL ? "pending" : "failed", email != NULL ? NULL : "no_address",
			   (int64_t)(ch == CHANNEL_DIGEST), (int64_t)r->cfg->mail.digest_hour,
			   (int64_t)r->cfg->mail.digest_hour);
		if (e != ERR_OK)
			break;
	}
	return e;
}

/* ======================================================================
 * Reading: the inbox, re-checked
 * ====================================================================== */

#define ITEM_COLUMNS                                                                               \
	"SELECT n.id, n.kind, n.module, n.object_kind, n.object_id, n.relations, n.actor_id, "     \
	"a.display_name AS actor_name, n.subject, n.link, "                                        \
	"DATE_FORMAT(n.created_at, '%Y-%m-%dT%H:%i:%sZ') AS created_at, "                          \
	"n.read_at IS NOT NULL AS is_read FROM notification n "                                    \
	"LEFT JOIN person a ON a.academy_id = n.academy_id AND a.id = n.actor_id "
#define ITEM_COLUMN_NAMES                                                                          \
	"id", "kind", "module", "object_kind", "object_id", "relations", "actor_id", "actor_name", \
	    "subject", "link", "created_at", "is_read"

static const struct db_sql Q_INBOX = {
    ITEM_COLUMNS "WHERE n.academy_id = ? AND n.recipient_id = ? AND (? = 0 OR n.read_at IS NULL) "
		 "ORDER BY n.created_at DESC, n.id DESC LIMIT ? OFFSET ?",
    "iiii", DB_COLS(ITEM_COLUMN_NAMES)};
static const struct db_sql Q_ITEM = {
    ITEM_COLUMNS "WHERE n.academy_id = ? AND n.id = ? AND n.recipient_id = ?", "ii",
    DB_COLS(ITEM_COLUMN_NAMES)};
static const struct db_sql Q_MARK_READ = {
    "UPDATE notification SET read_at = NOW(3) WHERE academy_id = ? AND id = ? "
    "AND read_at IS NULL",
    "i"};
static const struct db_sql Q_MARK_ALL_READ = {
    "UPDATE notification SET read_at = NOW(3) WHERE academy_id = ? AND recipient_id = ? "
    "AND read_at IS NULL",
    "i"};

static const struct module *module_named(const char *name)
{
	for (size_t m = 0; m < n_modules; m++)
		if (strcmp(modules[m]->name, name) == 0)
			return modules[m];
	return NULL;
}

static int object_kind_of(const struct module *m, const char *name)
{
	for (int i = 1; m->objects != NULL && m->objects[i] != NULL; i++)
		if (strcmp(m->objects[i], name) == 0)
			return i;
	return 0;
}

/*
 * Which rows of `res` the reader may still see: for each module and object
 * kind present, one call of the module's relations_of with all their ids.
 * A row whose module or kind is unknown (a module removed) is not shown.
 */
static enum err recheck(struct req *r, const struct db_res *res, bool *ok)
{
	size_t n = res->n_rows;
	bool *done = arena_zalloc(r->arena, n + 1);
	int64_t *ids = arena_alloc(r->arena, (n + 1) * sizeof(*ids));
	unsigned *rel = arena_alloc(r->arena, (n + 1) * sizeof(*rel));
	size_t *rows = arena_alloc(r->arena, (n + 1) * sizeof(*rows));

	if (done == NULL || ids == NULL || rel == NULL || rows == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	for (size_t i = 0; i < n; i++) {
		const char *mod = db_str(res, i, "module"), *kind = db_str(res, i, "object_kind");
		const struct module *m = module_named(mod);
		int k = m != NULL ? object_kind_of(m, kind) : 0;
		size_t count = 0;
		enum err e;

		if (done[i])
			continue;
		for (size_t j = i; j < n; j++) {
			if (done[j] || strcmp(db_str(res, j, "module"), mod) != 0 ||
			    strcmp(db_str(res, j, "object_kind"), kind) != 0)
				continue;
			done[j] = true;
			ok[j] = false;
			rows[count] = j;
			ids[count++] = db_int(res, j, "object_id");
		}
		if (k == 0 || m->relations_of == NULL) {
			log_msg("warn", "notification of unknown module %s or object kind %s left out", mod, kind);
			continue;
		}
		memset(rel, 0, count * sizeof(*rel));
		e = m->relations_of(r, k, ids, count, rel);
		if (e != ERR_OK)
			return e;
		for (size_t c = 0; c < count; c++)
			ok[rows[c]] = (rel[c] & (unsigned)db_int(res, rows[c], "relations")) != 0;
	}
	return ERR_OK;
}

static json_t *item_json(struct req *r, const struct db_res *res, size_t i)
{
	const struct notice_kind *k = notice_kind_find(db_str(res, i, "kind"), NULL);
	const char *actor = db_str(res, i, "actor_name");
	json_t *who = db_isnull(res, i, "actor_id")
			  ? json_null()
			  : json_pack("{s:I, s:s?}", "id", (json_int_t)db_int(res, i, "actor_id"),
				      "display_name", actor);

	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:b}", "id",
			 (json_int_t)db_int(res, i, "id"), "kind", db_str(res, i, "kind"), "text",
			 k != NULL ? sentence(r, k, actor) : "Notification", "actor", who, "subject",
			 db_str(res, i, "subject"), "link", db_str(res, i, "link"), "created_at",
			 db_str(res, i, "created_at"), "read", db_bool(res, i, "is_read"));
}

/* GET /api/v1/notifications?limit=&offset=&unread= — the reader's own,
 * newest first; what they may no longer see is left out. */
static enum err h_list(struct req *r)
{
	int64_t limit = arg_int(r, "limit", 20), offset = arg_int(r, "offset", 0);
	struct db_res res;
	json_t *items;
	bool *ok;
	enum err e = db_rows(r, &Q_INBOX, &res, r->who.person_id,
			     (int64_t)arg_bool(r, "unread", false), limit + 1, offset);
	size_t shown;
	bool more;

	if (e != ERR_OK)
		return e;
	more = res.n_rows > (size_t)limit;
	shown = more ? (size_t)limit : res.n_rows;
	ok = arena_zalloc(r->arena, res.n_rows + 1);
	if (ok == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	res.n_rows = shown; /* the extra row only says there is more */
	e = recheck(r, &res, ok);
	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < shown; i++)
		if (ok[i])
			json_array_append_new(items, item_json(r, &res, i));
	reply_json(r, 200,
		   json_pack("{s:o, s:I, s:I, s:b}", "items", items, "limit", (json_int_t)limit,
			     "offset", (json_int_t)offset, "more", more));
	return ERR_OK;
}

/* GET /api/v1/notifications/unread-count — the bell: the visible unread
 * items among the latest INBOX_MAX, "capped" beyond UNREAD_SHOWN. */
static enum err h_unread_count(struct req *r)
{
	struct db_res res;
	size_t count = 0;
	bool *ok;
	enum err e = db_rows(r, &Q_INBOX, &res, r->who.person_id, (int64_t)1, (int64_t)INBOX_MAX,
			     (int64_t)0);

	if (e != ERR_OK)
		return e;
	ok = arena_zalloc(r->arena, res.n_rows + 1);
	if (ok == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	e = recheck(r, &res, ok);
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < res.n_rows; i++)
		count += ok[i];
	reply_json(r, 200,
		   json_pack("{s:I, s:b}", "unread",
			     (json_int_t)(count > UNREAD_SHOWN ? UNREAD_SHOWN : count), "capped",
			     count > UNREAD_SHOWN));
	return ERR_OK;
}

/* The reader's item `id`, still visible to them: ERR_NOT_FOUND otherwise,
 * the same answer as for an id that never existed. */
static enum err own_item(struct req *r, int64_t id, struct db_res *res)
{
	bool ok = false;
	enum err e = db_one(r, &Q_ITEM, res, id, r->who.person_id);

	if (e == ERR_OK)
		e = recheck(r, res, &ok);
	if (e == ERR_OK && !ok)
		e = ERR_NOT_FOUND;
	return e;
}

/* GET /api/v1/notifications/{id} */
static enum err h_get(struct req *r)
{
	struct db_res res;
	enum err e = own_item(r, arg_int(r, "id", 0), &res);

	if (e == ERR_OK)
		reply_json(r, 200, item_json(r, &res, 0));
	return e;
}

/* POST /api/v1/notifications/{id}/read — 204, also when already read. */
static enum err h_read(struct req *r)
{
	int64_t id = arg_int(r, "id", 0);
	struct db_res res;
	enum err e = own_item(r, id, &res);

	if (e == ERR_OK)
		e = db_run(r, &Q_MARK_READ, NULL, id);
	if (e == ERR_OK)
		e = audit_record(r, "notification.read", "notification", id, NULL);
	if (e == ERR_OK)
		reply_empty(r, 204);
	return e;
}

/* POST /api/v1/notifications/read-all — {"marked": N}. */
static enum err h_read_all(struct req *r)
{
	uint64_t marked = 0;
	enum err e = db_run(r, &Q_MARK_ALL_READ, &marked, r->who.person_id);

	if (e == ERR_OK)
		e = audit_record(r, "notification.read_all", "person", r->who.person_id,
				 jarena(r, json_pack("{s:I}", "marked", (json_int_t)marked)));
	if (e == ERR_OK)
		reply_json(r, 200, json_pack("{s:I}", "marked", (json_int_t)marked));
	return e;
}

/* ======================================================================
 * Preferences
 * ====================================================================== */

static const struct db_sql Q_PREFS = {
    "SELECT kind, channel FROM notification_pref WHERE academy_id = ? AND person_id = ?", "i",
    DB_COLS("kind", "channel")};
static const struct db_sql Q_PREF_SET = {
    "INSERT INTO notification_pref (academy_id, person_id, kind, channel, updated_at) "
    "VALUES (?, ?, ?, ?, NOW(3)) ON DUPLICATE KEY UPDATE channel = VALUES(channel), "
    "updated_at = NOW(3)",
    "iss"};

static void preferences_reply(struct req *r, int status, const struct db_res *prefs)
{
	json_t *kinds = json_array();

	for (size_t m = 0; m < n_modules; m++)
		for (const struct notice_kind *k = modules[m]->notices; k != NULL && k->name != NULL;
		     k++) {
			const char *chosen = NULL;

			for (size_t i = 0; i < prefs->n_rows; i++)
				if (strcmp(db_str(prefs, i, "kind"), k->name) == 0)
					chosen = db_str(prefs, i, "channel");
			json_array_append_new(
			    kinds, json_pack("{s:s, s:s, s:s, s:s}", "kind", k->name, "label", k->label,
					     "channel",
					     channel_names[channel_of(chosen, k->default_channel)],
					     "default_channel", channel_names[k->default_channel]));
		}
	reply_json(r, status,
		   json_pack("{s:s?, s:o}", "email",
			     r->who.email != NULL && r->who.email[0] ? r->who.email : NULL, "kinds",
			     kinds));
}

/* GET /api/v1/me/notification-preferences */
static enum err h_prefs_get(struct req *r)
{
	struct db_res prefs;
	enum err e = db_rows(r, &Q_PREFS, &prefs, r->who.person_id);

	if (e == ERR_OK)
		preferences_reply(r, 200, &prefs);
	return e;
}

/* PUT /api/v1/me/notification-preferences {"preferences": [{kind, channel}]}
 * — all or nothing: an unknown kind is a 422 naming it, nothing saved. */
static enum err h_prefs_put(struct req *r)
{
	json_t *list = arg_list(r, "preferences"), *item;
	struct db_res prefs;
	size_t i;
	enum err e = ERR_OK;

	json_array_foreach(list, i, item) {
		const char *kind = json_string_value(json_object_get(item, "kind"));

		if (notice_kind_find(kind, NULL) == NULL)
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "preferences[%zu].kind", i),
				    "Ce type de notification n’existe pas.");
	}
	json_array_foreach(list, i, item) {
		e = db_run(r, &Q_PREF_SET, NULL, r->who.person_id,
			   json_string_value(json_object_get(item, "kind")),
			   json_string_value(json_object_get(item, "channel")));
		if (e != ERR_OK)
			return e;
	}
	e = audit_record_body(r, "notification.preferences", "person", r->who.person_id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_PREFS, &prefs, r->who.person_id);
	if (e == ERR_OK)
		preferences_reply(r, 200, &prefs);
	return e;
}

/* ======================================================================
 * Routes
 * ====================================================================== */

static const struct param_spec p_list[] = {
    {"limit", LOC_QUERY, P_INT, .min = 1, .max = INBOX_MAX},
    {"offset", LOC_QUERY, P_INT, .min = 0, .max = 1000000},
    {"unread", LOC_QUERY, P_BOOL},
    {0},
};
static const struct param_spec p_id[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {0},
};
static const struct param_spec p_pref_item[] = {
    {"kind", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 64},
    {"channel", LOC_BODY, P_ENUM, .required = true, .choices = channel_names},
    {0},
};
static const struct param_spec p_prefs[] = {
    {"preferences", LOC_BODY, P_LIST, .required = true, .min = 1, .max = 100,
     .fields = p_pref_item},
    {0},
};

static struct route notify_routes[] = {
    {M_GET, "/api/v1/notifications", h_list, p_list, ALLOW_AUTHENTICATED},
    {M_GET, "/api/v1/notifications/unread-count", h_unread_count, NULL, ALLOW_AUTHENTICATED,
     .passive = true},
    {M_POST, "/api/v1/notifications/read-all", h_read_all, NULL, ALLOW_AUTHENTICATED},
    {M_GET, "/api/v1/notifications/{id}", h_get, p_id, ALLOW_AUTHENTICATED},
    {M_POST, "/api/v1/notifications/{id}/read", h_read, p_id, ALLOW_AUTHENTICATED},
    {M_GET, "/api/v1/me/notification-preferences", h_prefs_get, NULL, ALLOW_AUTHENTICATED},
    {M_PUT, "/api/v1/me/notification-preferences", h_prefs_put, p_prefs, ALLOW_AUTHENTICATED},
};

const struct db_sql *const notify_statements[] = {
    &Q_RECIPIENTS, &Q_NOTIFICATION_INSERT, &Q_OUTBOX_INSERT, &Q_INBOX, &Q_ITEM,
    &Q_MARK_READ,  &Q_MARK_ALL_READ,       &Q_PREFS,	 &Q_PREF_SET, NULL};

const struct module notify_module = {
    .name = "notify",
    .routes = notify_routes,
    .n_routes = ARRAY_LEN(notify_routes),
    .statements = notify_statements,
};

const char *notify_ids_json(struct req *r, const int64_t *ids, size_t n)
{
	json_t *list = json_array();
	char *text;
	const char *out = NULL;

	for (size_t i = 0; list != NULL && i < n; i++)
		json_array_append_new(list, json_integer(ids[i]));
	text = list != NULL ? json_dumps(list, JSON_COMPACT) : NULL;
	json_decref(list);
	if (text != NULL)
		out = arena_strdup(r->arena, text);
	free(text);
	if (out == NULL)
		fail_internal(r, ERR_INTERNAL, "no memory");
	return out;
}
