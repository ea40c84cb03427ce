/*
 * Authentication, the pipeline step (server/dispatch.c): a Bearer token or
 * the session cookie makes the request's tenant and principal. The /auth
 * routes that issue them are the auth module (server/auth.c).
 */
#include "authn.h"
#include "auth_db.h"
#include "metrics.h"
#include "req.h"
#include "token.h"
#include "util.h"
#include "worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- per-worker session cache: what a session was, a moment ago ---- */

#define SESSION_SLOTS 512
/* A session's idle clock moves at most this often per worker (and the
 * statement itself skips a clock moved less than 30 s ago). */
#define SESSION_TOUCH_SECONDS 30

/* The person columns (sql/001_core.sql) count characters, and utf8mb4 has
 * up to 4 bytes per character: VARCHAR(n) holds at most 4n bytes. The
 * names come from there (LDAP values are stored before any session is
 * made), so a cached copy is always whole; ~2 KiB a slot, ~1 MiB a worker. */
#define USERNAME_BYTES	   (64 * 4)
#define DISPLAY_NAME_BYTES (200 * 4)
#define EMAIL_BYTES	   (254 * 4)

struct session_entry {
	uint32_t academy_id;
	int64_t sid;
	double checked_at;
	double touched_at; /* when this worker last moved the session's idle clock */
	int64_t person_id;
	uint32_t roles;
	bool second_factor;
	char username[USERNAME_BYTES + 1], display_name[DISPLAY_NAME_BYTES + 1],
	    email[EMAIL_BYTES + 1];
	bool has_email;
};

struct session_cache {
	struct session_entry e[SESSION_SLOTS];
};

struct session_cache *session_cache_new(void)
{
	struct session_cache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		abort();
	return c;
}

void session_cache_free(struct session_cache *c) { free(c); }

static struct session_entry *session_slot(struct session_cache *c, uint32_t academy_id, int64_t sid)
{
	uint64_t h = (uint64_t)sid * UINT64_C(0x9E3779B97F4A7C15) ^ academy_id;

	return &c->e[(h >> 32) % SESSION_SLOTS];
}

/* Copies a name into its cache field; should it ever be too long, it is
 * cut between two characters, never inside one (a cut character would
 * make the JSON of every answer that names the person fail). */
static void copy_field(char *dst, size_t cap, const char *src)
{
	size_t n = src != NULL ? utf8_prefix(src, strlen(src), cap - 1) : 0;

	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static void principal_from_row(struct req *r, const struct session_row *s)
{
	r->who.person_id = s->person_id;
	r->who.session_id = s->id;
	r->who.username = s->username;
	r->who.display_name = s->display_name;
	r->who.email = s->email;
	r->who.roles = s->roles;
	r->who.second_factor = s->second_factor;
}

/*
 * Bearer path: the token names the académie, the person and the session.
 * The session's state (not revoked, person active, roles) comes from the
 * worker's cache when it is fresher than SESSION_RECHECK_SECONDS, from
 * MariaDB otherwise: a logout reaches every worker of every instance
 * within that delay.
 */
static enum err authenticate_bearer(struct req *r, const char *tok)
{
	struct token_claims c;
	enum token_status st;
	struct session_entry *slot;
	struct session_row row;
	double now = now_mono();
	enum err e;

	st = token_verify(r->w->tokens, r->w->srv->keys, r->w->cfg, tok, strlen(tok), now_unix(),
			  &c);
	if (st != TOKEN_OK) {
		r->log_detail = token_status_name(st);
		return fail(r, ERR_INVALID_TOKEN, NULL, NULL);
	}
	r->tenant = c.academy;
	slot = session_slot(r->w->sessions, c.academy->id, c.session_id);
	if (slot->sid == c.session_id && slot->academy_id == c.academy->id &&
	    now - slot->checked_at < SESSION_RECHECK_SECONDS) {
		if (slot->person_id != c.person_id)
			return fail(r, ERR_INVALID_TOKEN, NULL, NULL);
		metrics_count(METRIC_SESSION_CACHE_HITS);
		r->who.person_id = slot->person_id;
		r->who.session_id = slot->sid;
		r->who.username = slot->username;
		r->who.display_name = slot->display_name;
		r->who.email = slot->has_email ? slot->email : NULL;
		r->who.roles = slot->roles;
		r->who.second_factor = slot->second_factor;
	} else {
		e = authdb_session_by_id(r, c.session_id, &row);
		if (e == ERR_NOT_FOUND || (e == ERR_OK && row.person_id != c.person_id)) {
			slot->sid = 0;
			r->tenant = NULL;
			return fail(r, ERR_SESSION_EXPIRED, NULL, NULL);
		}
		if (e != ERR_OK)
			return e;
		principal_from_row(r, &row);
		if (slot->sid != c.session_id || slot->academy_id != c.academy->id)
			slot->touched_at = 0;
		slot->academy_id = c.academy->id;
		slot->sid = c.session_id;
		slot->checked_at = now;
		slot->person_id = row.person_id;
		slot->roles = row.roles;
		slot->second_factor = row.second_factor;
		copy_field(slot->username, sizeof(slot->username), row.username);
		copy_field(slot->display_name, sizeof(slot->display_name), row.display_name);
		copy_field(slot->email, sizeof(slot->email), row.email);
		slot->has_email = row.email != NULL;
	}
	r->who.academy = c.academy;
	r->authenticated = true;
	if (r->route->passive || now - slot->touched_at < SESSION_TOUCH_SECONDS)
		return ERR_OK;
	slot->touched_at = now;
	return authdb_session_touch(r, r->who.session_id);
}

/* Finds `name=value` in a Cookie header; the value is copied to the arena. */
const char *authn_cookie(struct req *r, const char *name)
{
	size_t n = strlen(name);
	const char *c = r->cookie;

	while (c != NULL && *c != '\0') {
		while (*c == ' ' || *c == ';')
			c++;
		const char *end = strchr(c, ';');
		size_t len = end != NULL ? (size_t)(end - c) : strlen(c);

		if (len > n && c[n] == '=' && memcmp(c, name, n) == 0)
			return arena_strndup(r->arena, c + n + 1, len - n - 1);
		c = end;
	}
	return NULL;
}

/* The cookie is `<academy code>.<base64url secret>`; the database holds only
 * the secret's SHA-256. */
static enum err authenticate_cookie(struct req *r, const char *value)
{
	const char *dot = strchr(value, '.');
	const struct academy_cfg *a;
	unsigned char secret[32], hash[32];
	struct session_row row;
	enum err e;

	if (dot == NULL)
		return fail(r, ERR_SESSION_EXPIRED, NULL, NULL);
	a = config_academy(r->w->cfg, value, (size_t)(dot - value));
	if (a == NULL || strlen(dot + 1) != 43 ||
	    b64url_decode(secret, sizeof(secret), dot + 1, 43) != 32)
		return fail(r, ERR_SESSION_EXPIRED, NULL, NULL);
	sha256(secret, sizeof(secret), hash);
	r->tenant = a;
	e = authdb_session_by_secret(r, hash, &row);
	if (e == ERR_NOT_FOUND) {
		r->tenant = NULL;
		return fail(r, ERR_SESSION_EXPIRED, NULL, NULL);
	}
	if (e != ERR_OK)
		return e;
	principal_from_row(r, &row);
	r->who.academy = a;
	r->who.via_cookie = true;
	r->authenticated = true;
	return r->route->passive ? ERR_OK : authdb_session_touch(r, row.id);
}

enum err auth_authenticate(struct req *r)
{
	const char *h = r->authorization;

	if (h != NULL && *h != '\0') {
		if (!ascii_ieq(h, strlen(h) < 7 ? strlen(h) : 7, "Bearer "))
			return fail(r, ERR_INVALID_TOKEN, NULL,
				    "Schéma d’autorisation attendu : Bearer.");
		return authenticate_bearer(r, h + 7);
	}
	const char *cookie = authn_cookie(r, SESSION_COOKIE);

	if (cookie != NULL)
		return authenticate_cookie(r, cookie);
	return ERR_OK;
}

void authn_forget_session(struct req *r)
{
	session_slot(r->w->sessions, r->tenant->id, r->who.session_id)->sid = 0;
}
