/*
 * Routes and handlers of the copy module: a person's own copy of their
 * data (RGPD art. 15 and 20, docs/copy.md). Every signed-in person may ask
 * for theirs; a copy is its person's only: another person's id answers 404
 * as a missing one.
 */
#include <string.h>

#include "audit.h"
#include "copy.h"
#include "db.h"
#include "modules.h"
#include "notify.h"
#include "req.h"
#include "util.h"

static const struct problem_def P_COPY_PENDING = {
    409, "copy_pending", "Une copie de vos données est déjà en préparation."};
static const struct problem_def P_COPY_NOT_READY = {
    409, "copy_not_ready", "Cette copie n’est pas prête à être téléchargée."};
static const struct problem_def P_LINK_GONE = {
    410, "copy_link_gone",
    "Ce lien de téléchargement n’est plus valable : il a déjà servi ou il a expiré."};

static const struct problem_def *const copy_problems[] = {&P_COPY_PENDING, &P_COPY_NOT_READY,
							  &P_LINK_GONE, NULL};

static const char *const copy_relation_names[] = {"owner", NULL};
static const char *const copy_object_names[] = {"", "copy", NULL};

static const struct notice_kind copy_notices[] = {
    {"copy.ready", "Copie de mes données prête",
     "La copie de vos données est prête : téléchargez-la depuis « Mes données personnelles »",
     "La copie de vos données est prête", CHANNEL_EMAIL},
    {0},
};

/* The caller's relation to their copy `id`; another person's is missing. */
static enum err copy_resolve(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
			     void **ctx)
{
	struct copy_ctx *c;
	enum err e;

	(void)wanted;
	if (kind != COBJ_COPY)
		return ERR_NOT_FOUND;
	c = arena_alloc(r->arena, sizeof(*c));
	if (c == NULL)
		return ERR_INTERNAL;
	e = copydb_resolve(r, id, c);
	if (e == ERR_OK) {
		*rel = CREL_OWNER;
		*ctx = c;
	}
	return e;
}

static enum err copy_relations_of(struct req *r, int kind, const int64_t *ids, size_t n,
				  unsigned *rel)
{
	if (kind != COBJ_COPY)
		return ERR_OK;
	return copydb_relations_of(r, ids, n, rel);
}

/* POST /api/v1/me/copies — every signed-in person: asks for a copy of
 * their data, prepared in the background (tutoratctl copies). 202
 * {id, status: "pending"}; 409 copy_pending while one is being prepared.
 * Audited copy.request. */
static enum err h_request(struct req *r)
{
	int64_t id;
	enum err e = copydb_request(r, &id);

	if (e == ERR_DUPLICATE)
		return fail_problem(r, &P_COPY_PENDING, NULL,
				    "Attendez qu’elle soit prête avant d’en demander une autre.");
	if (e == ERR_OK)
		e = audit_record(r, "copy.request", "copy", id, NULL);
	if (e == ERR_OK) {
		reply_header(
		    r, arena_printf(r->arena, "Location: /api/v1/me/copies/%lld", (long long)id));
		reply_json(r, 202,
			   json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "pending"));
	}
	return e;
}

/* GET /api/v1/me/copies — every signed-in person: their copies, newest
 * first (20 at most): {items: [{id, status, requested_at, ready_at,
 * expires_at, downloaded_at, size}]}; status pending, ready, downloaded,
 * expired or failed. 200. */
static enum err h_list(struct req *r)
{
	json_t *out;
	enum err e = copydb_list_json(r, &out);

	if (e == ERR_OK) {
		reply_header(r, "Cache-Control: private, no-store");
		reply_json(r, 200, out);
	}
	return e;
}

/* POST /api/v1/me/copies/{id}/link — the copy's person: a download link
 * for the ready copy, {href, expires_at}; a new link replaces the one
 * given before. The token is random, stored as its SHA-256 only. 409
 * copy_not_ready for a copy that is not ready (or expired); 404 for
 * another person's. Audited copy.link. */
static enum err h_link(struct req *r)
{
	struct copy_ctx *c = copy_ctx(r);
	unsigned char raw[32], hash[32];
	char token[64];
	bool set = false;
	enum err e;

	if (!random_bytes(raw, sizeof(raw)) ||
	    b64url_encode_buf(token, sizeof(token), raw, sizeof(raw)) == 0)
		return fail_internal(r, ERR_INTERNAL, "copy: no randomness for a link");
	sha256(token, strlen(token), hash);
	e = copydb_set_token(r, c->id, hash, &set);
	if (e == ERR_OK && !set)
		return fail_problem(r, &P_COPY_NOT_READY, "id",
				    "Seule une copie prête et non expirée se télécharge.");
	if (e == ERR_OK)
		e = audit_record(r, "copy.link", "copy", c->id, NULL);
	if (e == ERR_OK) {
		reply_header(r, "Cache-Control: private, no-store");
		reply_json(
		    r, 201,
		    json_pack("{s:s}", "href",
			      arena_printf(r->arena, "/api/v1/me/copies/%lld/download?token=%s",
					   (long long)c->id, token)));
	}
	return e;
}

/* GET /api/v1/me/copies/{id}/download?token=… — the copy's person: the ZIP,
 * once. The link is consumed and the bytes removed in one transaction
 * (audited copy.download), so two downloads of one link give one file and
 * one 410 copy_link_gone; a wrong, used or expired token is 410 as well;
 * another person's copy 404. */
static enum err h_download(struct req *r)
{
	struct copy_ctx *c = copy_ctx(r);
	const char *token = arg_str(r, "token"), *bytes = NULL;
	unsigned char hash[32];
	bool found = false;
	size_t n = 0;
	enum err e;

	sha256(token, strlen(token), hash);
	e = db_begin(r);
	if (e == ERR_OK)
		e = copydb_take(r, c->id, hash, &found, &bytes, &n);
	if (e == ERR_OK && !found) {
		db_rollback(r);
		return fail_problem(r, &P_LINK_GONE, "token", NULL);
	}
	if (e == ERR_OK)
		e = audit_record(r, "copy.download", "copy", c->id,
				 jarena(r, json_pack("{s:I}", "size", (json_int_t)n)));
	if (e == ERR_OK)
		e = db_commit(r);
	if (e != ERR_OK) {
		db_rollback(r);
		return e;
	}
	r->status = 200;
	r->raw_reply = bytes;
	r->raw_len = n;
	r->reply_type = "application/zip";
	reply_header(r, "Content-Disposition: attachment; filename=\"copie-de-mes-donnees.zip\"");
	reply_header(r, "Cache-Control: private, no-store");
	return ERR_OK;
}

static const struct param_spec p_id[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {0},
};
static bool token_chars(const char *s, size_t n) { return b64url_valid(s, n); }
static const struct param_spec p_download[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"token", LOC_QUERY, P_STRING, .required = true, .min = 43, .max = 43, .check = token_chars},
    {0},
};

#define MINE .object = {COBJ_COPY, "id", CREL_OWNER, 0, NULL}

static struct route copy_routes[] = {
    {M_GET, "/api/v1/me/copies", h_list, NULL, ALLOW_AUTHENTICATED},
    {M_POST, "/api/v1/me/copies", h_request, NULL, ALLOW_AUTHENTICATED},
    {M_POST, "/api/v1/me/copies/{id}/link", h_link, p_id, ALLOW_AUTHENTICATED, MINE},
    {M_GET, "/api/v1/me/copies/{id}/download", h_download, p_download, ALLOW_AUTHENTICATED, MINE},
};

static const struct module_verb copy_verbs[] = {
    {"copies", "[--once] [--every SECONDS]", copy_runner},
    {0},
};

const struct module copy_module = {
    .name = "copy",
    .routes = copy_routes,
    .n_routes = ARRAY_LEN(copy_routes),
    .resolve = copy_resolve,
    .relations = copy_relation_names,
    .objects = copy_object_names,
    .statements = copy_statements,
    .problems = copy_problems,
    .verbs = copy_verbs,
    .notices = copy_notices,
    .relations_of = copy_relations_of,
};
