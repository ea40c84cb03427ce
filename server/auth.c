/*
 * The auth module: the /auth routes (login, me, refresh, logout) that issue
 * and end sessions and tokens. Authenticating a request with them is the
 * pipeline's step, server/authn.c.
 */
#include "audit.h"
#include "auth_db.h"
#include "authn.h"
#include "config.h"
#include "keys.h"
#include "ldapauth.h"
#include "log.h"
#include "metrics.h"
#include "mfa.h"
#include "modules.h"
#include "req.h"
#include "token.h"
#include "util.h"
#include "worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- handlers ---- */

/* A login whose directory entry is not the one the person is bound to. */
static const struct problem_def problem_identity_mismatch = {403, "directory_identity_mismatch",
							     "Compte de l’annuaire non reconnu."};
/* A second step whose challenge is unknown or older than
 * MFA_CHALLENGE_SECONDS: the login starts again. */
static const struct problem_def problem_challenge_expired = {
    401, "challenge_expired", "Vérification expirée : reconnectez-vous."};
static const struct problem_def *const auth_problems[] = {&problem_identity_mismatch,
							  &problem_challenge_expired, NULL};

static void set_session_cookie(struct req *r, const char *value, int max_age)
{
	reply_header(r, arena_printf(r->arena,
				     "Set-Cookie: " SESSION_COOKIE "=%s; Path=/; Max-Age=%d; Secure; "
				     "HttpOnly; SameSite=Strict",
				     value, max_age));
}

/* The browser's device cookie for the académie (docs/security.md,
 * "Throttling"): a random secret, set at each success, sent to the login
 * route only; the database keeps its SHA-256 per person who signed in with
 * it. False when the request carries none (or a malformed one). */
static bool device_cookie(struct req *r, const struct academy_cfg *a, unsigned char hash[32])
{
	const char *v = authn_cookie(r, arena_printf(r->arena, DEVICE_COOKIE "%s", a->code));
	unsigned char secret[32];

	if (v == NULL || b64url_decode(secret, sizeof(secret), v, strlen(v)) != sizeof(secret))
		return false;
	sha256(secret, sizeof(secret), hash);
	return true;
}

/* A new device secret for this browser: its hash in `hash`, the cookie set. */
static bool new_device_cookie(struct req *r, const struct academy_cfg *a, unsigned char hash[32])
{
	unsigned char secret[32];

	if (!random_bytes(secret, sizeof(secret)))
		return false;
	sha256(secret, sizeof(secret), hash);
	reply_header(r, arena_printf(r->arena,
				     "Set-Cookie: " DEVICE_COOKIE "%s=%s; Path=/api/v1/auth/login; "
				     "Max-Age=%d; Secure; HttpOnly; SameSite=Strict",
				     a->code, b64url_encode(r->arena, secret, sizeof(secret)),
				     r->w->cfg->login_device_days * 86400));
	return true;
}

static json_t *token_reply(struct req *r, int64_t person_id, int64_t sid, bool second_factor)
{
	char *tok = token_issue(r->w->srv->keys, r->w->cfg, r->tenant, person_id, sid,
				second_factor, now_unix());
	json_t *o;

	if (tok == NULL)
		return NULL;
	o = json_pack("{s:s, s:s, s:i}", "access_token", tok, "token_type", "Bearer", "expires_in",
		      r->w->cfg->token_lifetime);
	free(tok);
	return o;
}

static bool username_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_' || c == '@'))
			return false;
	}
	return true;
}

static bool academy_code_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/*
 * The audit row of an attempt that opened no session (`action`: failed or
 * throttled): the person the username names as its object, or none, and
 * whether it named one; never the text typed, which may be a misspelt
 * name or a password typed in the wrong field (the throttling counters
 * keep the account for their few days, docs/rgpd.md). Its count stays.
 */
static enum err record_attempt(struct req *r, const char *action, const char *account)
{
	int64_t person_id = 0;
	enum err e = authdb_person_of_account(r, account, &person_id);

	if (e != ERR_OK)
		return e;
	return audit_record(r, action, "account", person_id,
			    jarena(r, json_pack("{s:s, s:b}", "factor", "password", "known",
						person_id != 0)));
}

/*
 * The end of a successful login (the password, and the second factor when
 * the person has one: `second` names how, NULL without): a new session,
 * its audit row with the factors, the token and the session cookie, in
 * the transaction the login opened.
 */
static enum err open_session(struct req *r, const struct academy_cfg *a, int64_t person_id,
			     bool second_factor, const char *second)
{
	unsigned char secret[32], hash[32];
	int64_t sid = 0;
	json_t *reply, *d;
	enum err e;

	if (!random_bytes(secret, sizeof(secret)))
		return fail_internal(r, ERR_INTERNAL, "getrandom failed");
	sha256(secret, sizeof(secret), hash);
	e = authdb_session_create(r, person_id, hash, second_factor, &sid);
	if (e != ERR_OK)
		return e;
	r->authenticated = true;
	r->who.person_id = person_id;
	r->who.academy = a;
	r->who.second_factor = second_factor;
	d = jarena(r, second != NULL ? json_pack("{s:[s,s], s:s}", "amr", "pwd", "otp",
						 "second_factor", second)
				     : json_pack("{s:[s]}", "amr", "pwd"));
	e = audit_record(r, "auth.login", "session", sid, d);
	if (e != ERR_OK)
		return e;
	reply = token_reply(r, person_id, sid, second_factor);
	if (reply == NULL)
		return fail_internal(r, ERR_INTERNAL, "token signing failed");
	e = audit_commit(r);
	if (e != ERR_OK) {
		json_decref(reply);
		return e;
	}
	set_session_cookie(r,
			   arena_printf(r->arena, "%s.%s", a->code,
					b64url_encode(r->arena, secret, sizeof(secret))),
			   r->w->cfg->session_lifetime);
	metrics_count(METRIC_LOGIN_SUCCESS);
	reply_json(r, 200, reply);
	return ERR_OK;
}

/*
 * The password was right and the person has TOTP: no session yet, a
 * challenge for the second step (POST /api/v1/auth/login/totp), valid
 * MFA_CHALLENGE_SECONDS. 200 {"second_factor": "totp", "challenge",
 * "expires_in"}; audited as auth.login_password.
 */
static enum err ask_second_factor(struct req *r, const struct academy_cfg *a, int64_t person_id)
{
	unsigned char secret[32], hash[32];
	enum err e;

	if (!random_bytes(secret, sizeof(secret)))
		return fail_internal(r, ERR_INTERNAL, "getrandom failed");
	sha256(secret, sizeof(secret), hash);
	e = mfadb_challenge_create(r, person_id, hash);
	if (e == ERR_OK)
		e = audit_record(r, "auth.login_password", "person", person_id,
				 jarena(r, json_pack("{s:s}", "factor", "password")));
	if (e == ERR_OK)
		e = audit_commit(r);
	if (e != ERR_OK)
		return e;
	reply_header(r, "Cache-Control: no-store");
	reply_json(r, 200,
		   json_pack("{s:s, s:s, s:i}", "second_factor", "totp", "challenge",
			     arena_printf(r->arena, "%s.%s", a->code,
					  b64url_encode(r->arena, secret, sizeof(secret))),
			     "expires_in", MFA_CHALLENGE_SECONDS));
	return ERR_OK;
}

/*
 * POST /api/v1/auth/login {academy, username, password} — public.
 * 200 with a token and the session cookie, or, for a person with TOTP
 * whose browser is not remembered for it, 200 with a challenge for the
 * second step (h_login_totp, ask_second_factor); 401 invalid_credentials, the
 * same body for an unknown user and a wrong password; 429 while one of
 * the attempt's counters is blocked (docs/security.md, "Throttling");
 * 503 if the directory is down. A success sets the device cookie too.
 * The route runs its own transactions (own_transactions): the attempt is
 * counted and committed first, the directory is asked with no transaction
 * open, and the outcome is recorded, with the request's one audit row, in
 * a second transaction. Failures stay counted (and audited) although the
 * answer is an error; an attempt the directory did not answer gets its
 * count back.
 */
static enum err h_login(struct req *r)
{
	const char *academy = arg_str(r, "academy"), *username = arg_str(r, "username"),
		   *password = arg_str(r, "password");
	const struct academy_cfg *a = config_academy(r->w->cfg, academy, strlen(academy));
	struct ldap_person p;
	const char *why = NULL;
	char account[80];
	int64_t wait = 0, person_id = 0;
	unsigned char device[32];
	bool active = false, mismatch = false, has_device, known = false, enrolled = false,
	     remembered = false;
	const char *group = address_group(r, r->remote_addr);
	struct throttle_key k;
	enum ldap_outcome out;
	enum err e;

	if (a == NULL)
		return fail(r, ERR_INVALID_FIELD, "academy", "Académie inconnue.");
	r->tenant = a;
	/* Accounts are counted case-insensitively: "Admin" and "admin" are one. */
	snprintf(account, sizeof(account), "%s", username);
	for (char *c = account; *c != '\0'; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');

	/* A browser this account signed in from before is counted apart: a
	 * stranger's failures, from anywhere, do not hold it back. */
	has_device = device_cookie(r, a, device);
	if (has_device) {
		e = authdb_device_known(r, device, account, &known);
		if (e != ERR_OK)
			return e;
	}
	authdb_throttle_key(&k, account, group != NULL ? group : "-", known ? device : NULL);
	e = authdb_throttle_count(r, &k, &wait);
	if (e != ERR_OK)
		return e;
	if (wait > 0) {
		/* Refused before any credential is checked, and an attempt all
		 * the same: in the audit trail (ASVS v5.0.0-16.3.1). */
		metrics_count(METRIC_LOGIN_THROTTLED);
		e = db_begin(r);
		if (e == ERR_OK)
			e = record_attempt(r, "auth.login_throttled", account);
		if (e == ERR_OK)
			e = audit_commit(r);
		if (e != ERR_OK)
			return e;
		r->retry_after = wait;
		return fail(r, ERR_TOO_MANY_ATTEMPTS, NULL,
			    arena_printf(r->arena,
					 "Trop de tentatives de connexion. Réessayez dans %lld "
					 "minute(s).",
					 (long long)(wait + 59) / 60));
	}

	/* No transaction is open while the directory is asked. */
	out = ldap_authenticate(r->w->ldap, a, username, password, r->arena, &p, &why);

	if (out == LDAP_AUTH_UNAVAILABLE) {
		r->log_detail = why;
		r->retry_after = ldap_retry_after(r->w->ldap);
		e = authdb_throttle_give_back(r, &k);
		if (e != ERR_OK)
			return e;
		return fail(r, ERR_LDAP_UNAVAILABLE, NULL,
			    "L’annuaire de l’académie ne répond pas.");
	}
	e = db_begin(r);
	if (e != ERR_OK)
		return e;
	if (out == LDAP_AUTH_OK && p.username != NULL) {
		e = authdb_person_upsert(r, &p, true, &person_id, &active, &mismatch);
		if (e != ERR_OK)
			return e;
		if (!active)
			why = "account deactivated";
	}
	if (mismatch) {
		/* The username now belongs to another directory entry than the
		 * person's: it inherits nothing until an administrator re-links. */
		json_t *d = json_pack("{s:I}", "person_id", (json_int_t)person_id);

		r->log_detail = "directory entry is not the person's";
		metrics_count(METRIC_LOGIN_FAILURE);
		e = audit_record(r, "auth.login_identity_mismatch", "person", person_id, d);
		json_decref(d);
		if (e == ERR_OK)
			e = audit_commit(r);
		if (e != ERR_OK)
			return e;
		return fail_problem(r, &problem_identity_mismatch, NULL,
				    "Votre compte de l’annuaire ne correspond plus à la personne "
				    "enregistrée sous cet identifiant. Contactez l’administrateur "
				    "du service de votre académie.");
	}
	if (out != LDAP_AUTH_OK || p.username == NULL || !active) {
		r->log_detail = why;
		metrics_count(METRIC_LOGIN_FAILURE);
		e = record_attempt(r, "auth.login_failed", account);
		if (e == ERR_OK)
			e = audit_commit(r);
		if (e != ERR_OK)
			return e;
		return fail(r, ERR_INVALID_CREDENTIALS, NULL,
			    "Identifiant ou mot de passe incorrect.");
	}
	/* Signed in with the roles stored before: said in the request's log
	 * line (the reason only, no name). */
	if (p.roles_unknown)
		r->log_detail = arena_printf(r->arena, "%s; stored roles kept",
					     why != NULL ? why : "group search failed");

	e = authdb_throttle_succeeded(r, &k);
	if (e == ERR_OK && !has_device && !new_device_cookie(r, a, device))
		e = fail_internal(r, ERR_INTERNAL, "getrandom failed");
	if (e == ERR_OK)
		e = authdb_device_remember(r, device, person_id);
	if (e == ERR_OK)
		e = mfa_enrolled(r, person_id, &enrolled);
	if (e == ERR_OK && enrolled)
		e = authdb_device_second_factor(r, device, person_id, &remembered);
	if (e != ERR_OK)
		return e;
	if (enrolled && !remembered)
		return ask_second_factor(r, a, person_id);
	return open_session(r, a, person_id, enrolled, enrolled ? "remembered_device" : NULL);
}

/*
 * POST /api/v1/auth/login/totp {challenge, code, remember} — public: the
 * second step of a login that answered a challenge. code: the six digits
 * of the person's authenticator (a step not used before, within one step
 * of the server's clock) or one of their unused recovery codes. remember:
 * this browser skips the code for [login] totp_remember_days. 200 as the
 * login's success (token, session and device cookies, amr pwd+otp); 401
 * challenge_expired; 422 (field code) for a wrong code; 429 while the
 * person's code counter is blocked. Own transactions: a wrong code stays
 * counted and audited.
 */
static enum err h_login_totp(struct req *r)
{
	const char *challenge = arg_str(r, "challenge"), *dot = strchr(challenge, '.');
	const struct academy_cfg *a =
	    dot != NULL ? config_academy(r->w->cfg, challenge, (size_t)(dot - challenge)) : NULL;
	unsigned char secret[32], hash[32], device[32];
	bool ok = false, recovery = false;
	int64_t person_id = 0;
	enum err e;

	if (a == NULL || strlen(dot + 1) != 43 ||
	    b64url_decode(secret, sizeof(secret), dot + 1, 43) != sizeof(secret))
		return fail_problem(r, &problem_challenge_expired, "challenge", NULL);
	r->tenant = a;
	sha256(secret, sizeof(secret), hash);
	e = mfadb_challenge_person(r, hash, &person_id);
	if (e == ERR_NOT_FOUND)
		return fail_problem(r, &problem_challenge_expired, "challenge", NULL);
	if (e == ERR_OK)
		e = mfa_check_code(r, person_id, arg_str(r, "code"), false, &ok, &recovery);
	if (e != ERR_OK || r->err != ERR_OK)
		return e;
	if (!ok) {
		metrics_count(METRIC_LOGIN_FAILURE);
		e = audit_record(r, "auth.login_totp_failed", "person", person_id,
				 jarena(r, json_pack("{s:s}", "factor", recovery ? "recovery_code" : "totp")));
		if (e == ERR_OK)
			e = audit_commit(r);
		if (e != ERR_OK)
			return e;
		return fail(r, ERR_INVALID_FIELD, "code", "Code de vérification incorrect.");
	}
	e = mfadb_challenge_delete(r, hash);
	if (e == ERR_OK && arg_bool(r, "remember", false)) {
		if (!device_cookie(r, a, device) && !new_device_cookie(r, a, device))
			return fail_internal(r, ERR_INTERNAL, "getrandom failed");
		e = authdb_device_remember(r, device, person_id);
		if (e == ERR_OK)
			e = authdb_device_remember_second_factor(r, device, person_id);
	}
	if (e != ERR_OK)
		return e;
	return open_session(r, a, person_id, true, recovery ? "recovery_code" : "totp");
}

static json_t *roles_json(uint32_t roles)
{
	json_t *a = json_array();

	for (int i = 0; i < ROLE__MAX; i++)
		if (roles & (UINT32_C(1) << i))
			json_array_append_new(a, json_string(role_name((enum role)i)));
	return a;
}

/* GET /api/v1/auth/me — any signed-in person, also before enrolling a
 * required second factor. 200 with who they are, the session's factors
 * (amr) and whether they may only enrol (enrolment_only: their role
 * requires a second factor the session was not opened with). */
static enum err h_me(struct req *r)
{
	json_t *amr =
	    r->who.second_factor ? json_pack("[s,s]", "pwd", "otp") : json_pack("[s]", "pwd");

	reply_json(r, 200,
		   json_pack("{s:s, s:s, s:I, s:s, s:s, s:o, s:o, s:o, s:b}", "academy",
			     r->who.academy->code, "academy_name", r->who.academy->name, "id",
			     (json_int_t)r->who.person_id, "username", r->who.username,
			     "display_name", r->who.display_name, "email", JSTR(r->who.email),
			     "roles", roles_json(r->who.roles), "amr", amr, "enrolment_only",
			     !r->who.second_factor && mfa_required(r)));
	return ERR_OK;
}

/* POST /api/v1/auth/refresh — session cookie only. 200 with a new token. */
static enum err h_refresh(struct req *r)
{
	json_t *reply;

	if (!r->who.via_cookie)
		return fail(r, ERR_UNAUTHENTICATED, NULL,
			    "Le renouvellement se fait avec le cookie de session.");
	reply = token_reply(r, r->who.person_id, r->who.session_id, r->who.second_factor);
	if (reply == NULL)
		return fail_internal(r, ERR_INTERNAL, "token signing failed");
	enum err e = audit_record(r, "auth.refresh", "session", r->who.session_id, NULL);

	if (e != ERR_OK) {
		json_decref(reply);
		return e;
	}
	reply_json(r, 200, reply);
	return ERR_OK;
}

/* POST /api/v1/auth/logout — token or cookie. 204; the session is revoked,
 * so its access tokens stop working everywhere within
 * SESSION_RECHECK_SECONDS. */
static enum err h_logout(struct req *r)
{
	enum err e = authdb_session_revoke(r, r->who.session_id);

	if (e == ERR_OK)
		e = audit_record(r, "auth.logout", "session", r->who.session_id, NULL);
	if (e != ERR_OK)
		return e;
	authn_forget_session(r);
	set_session_cookie(r, "", 0);
	reply_empty(r, 204);
	return ERR_OK;
}

/* GET /api/v1/people/{id}/sessions — admin: the person's open sessions
 * (ASVS v5.0.0-7.4.5), with when each ends (idle or absolute, whichever
 * comes first). 404 for a person of no académie of the admin's. */
static enum err h_person_sessions(struct req *r)
{
	struct db_res res;
	json_t *items;
	enum err e = authdb_person_sessions(r, arg_int(r, "id", 0), &res);

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(
		    items, json_pack("{s:I, s:s, s:s, s:s, s:s?, s:b}", "id",
				     (json_int_t)db_int(&res, i, "id"), "created_at",
				     db_str(&res, i, "created_at"), "last_seen_at",
				     db_str(&res, i, "last_seen_at"), "ends_at",
				     db_str(&res, i, "ends_at"), "client_addr",
				     db_str(&res, i, "client_addr"), "current",
				     db_int(&res, i, "id") == r->who.session_id));
	reply_json(r, 200, json_pack("{s:o}", "items", items));
	return ERR_OK;
}

/* DELETE /api/v1/people/{id}/sessions[/{sid}] — admin: ends one open
 * session of the person, or all of them. 204 / {"revoked": N}; 404 for a
 * session that is not an open one of that person. Their tokens stop
 * working within SESSION_RECHECK_SECONDS everywhere. */
static enum err end_sessions(struct req *r, int64_t sid)
{
	int64_t person = arg_int(r, "id", 0);
	uint64_t count = 0;
	json_t *d;
	enum err e = authdb_person_sessions_revoke(r, person, sid, &count);

	if (e == ERR_OK && sid != 0 && count == 0)
		return ERR_NOT_FOUND;
	if (e != ERR_OK)
		return e;
	d = jarena(r, json_pack("{s:I, s:I}", "person_id", (json_int_t)person, "revoked",
				(json_int_t)count));
	e = audit_record(r, sid != 0 ? "session.revoke" : "session.revoke_person",
			 sid != 0 ? "session" : "person", sid != 0 ? sid : person, d);
	if (e != ERR_OK)
		return e;
	if (sid != 0)
		reply_empty(r, 204);
	else
		reply_json(r, 200, json_pack("{s:I}", "revoked", (json_int_t)count));
	return ERR_OK;
}

static enum err h_person_session_end(struct req *r) { return end_sessions(r, arg_int(r, "sid", 0)); }
static enum err h_person_sessions_end(struct req *r) { return end_sessions(r, 0); }

static const struct param_spec p_person[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {0},
};
static const struct param_spec p_person_session[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"sid", LOC_PATH, P_ID, .required = true},
    {0},
};

static const struct param_spec login_params[] = {
    {"academy", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 32,
     .check = academy_code_ok},
    {"username", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 64, .check = username_ok},
    {"password", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 256},
    {0},
};

static bool challenge_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return false;
	return true;
}

static bool code_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == ' '))
			return false;
	return true;
}

static const struct param_spec login_totp_params[] = {
    {"challenge", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 80, .check = challenge_ok},
    {"code", LOC_BODY, P_STRING, .required = true, .min = 6, .max = 16, .check = code_ok},
    {"remember", LOC_BODY, P_BOOL},
    {0},
};

/* The admin's routes over other people's sessions demand a second factor
 * (struct route .second_factor; docs/security.md, "Second factor"). */
static struct route auth_routes[] = {
    {M_POST, "/api/v1/auth/login", h_login, login_params, ALLOW_PUBLIC, 0,
     .own_transactions = true},
    {M_POST, "/api/v1/auth/login/totp", h_login_totp, login_totp_params, ALLOW_PUBLIC, 0,
     .own_transactions = true},
    {M_GET, "/api/v1/auth/me", h_me, NULL, ALLOW_AUTHENTICATED, 0, .before_second_factor = true},
    {M_POST, "/api/v1/auth/refresh", h_refresh, NULL, ALLOW_AUTHENTICATED, 0, .passive = true,
     .before_second_factor = true},
    {M_POST, "/api/v1/auth/logout", h_logout, NULL, ALLOW_AUTHENTICATED, 0,
     .before_second_factor = true},
    {M_GET, "/api/v1/people/{id}/sessions", h_person_sessions, p_person, R(ADMIN),
     .second_factor = true},
    {M_DELETE, "/api/v1/people/{id}/sessions", h_person_sessions_end, p_person, R(ADMIN),
     .second_factor = true},
    {M_DELETE, "/api/v1/people/{id}/sessions/{sid}", h_person_session_end, p_person_session,
     R(ADMIN), .second_factor = true},
};

const struct module auth_module = {
    .name = "auth",
    .routes = auth_routes,
    .n_routes = ARRAY_LEN(auth_routes),
    .statements = auth_db_statements,
    .problems = auth_problems,
};
