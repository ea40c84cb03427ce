/*
 * The second factor, TOTP (docs/security.md, "Second factor"; ASVS
 * v5.0.0-6.3.3, 6.5.x): enrolment, its confirmation and the recovery
 * codes, its removal, the admin's reset, and the pipeline's check
 * (mfa_admit). The login's second step is in server/auth.c.
 */
#include "mfa.h"
#include "audit.h"
#include "auth_db.h"
#include "authn.h"
#include "config.h"
#include "modules.h"
#include "req.h"
#include "totp.h"
#include "util.h"
#include "worker.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

static const struct problem_def problem_second_factor_required = {
    403, "second_factor_required",
    "Cette action demande une connexion avec un code de vérification."};
static const struct problem_def problem_enrolment_required = {
    403, "totp_enrolment_required",
    "Votre rôle demande une double authentification : activez-la d’abord."};
static const struct problem_def problem_totp_required = {
    403, "totp_required", "Votre rôle demande la double authentification."};
static const struct problem_def problem_totp_enabled = {
    409, "totp_already_enabled", "La double authentification est déjà activée."};
static const struct problem_def problem_totp_not_pending = {
    409, "totp_not_pending", "Aucune activation de la double authentification n’est en cours."};
static const struct problem_def problem_totp_not_enabled = {
    409, "totp_not_enabled", "La double authentification n’est pas activée."};
static const struct problem_def *const mfa_problems[] = {
    &problem_second_factor_required,
    &problem_enrolment_required,
    &problem_totp_required,
    &problem_totp_enabled,
    &problem_totp_not_pending,
    &problem_totp_not_enabled,
    NULL,
};

bool mfa_required(const struct req *r)
{
	return (r->who.roles & r->who.academy->totp_required_roles) != 0;
}

enum err mfa_admit(struct req *r)
{
	if (!r->authenticated || r->who.second_factor)
		return ERR_OK;
	if (r->route->second_factor)
		return fail_problem(r, &problem_second_factor_required, NULL,
				    "Reconnectez-vous avec votre code de vérification pour cette "
				    "action.");
	if (!r->route->before_second_factor && mfa_required(r))
		return fail_problem(r, &problem_enrolment_required, NULL,
				    "Activez la double authentification dans « Sécurité du "
				    "compte » pour accéder au service.");
	return ERR_OK;
}

enum err mfa_enrolled(struct req *r, int64_t person_id, bool *enrolled)
{
	struct mfa_totp t;
	enum err e = mfadb_totp_get(r, person_id, false, &t);

	*enrolled = e == ERR_OK && t.found && t.confirmed;
	return e;
}

/* A recovery code as typed (any case, with or without its dash or spaces)
 * in its stored form: ten characters of the base32 alphabet. */
static bool recovery_normal(const char *code, char out[11])
{
	size_t n = 0;

	for (const char *c = code; *c != '\0'; c++) {
		if (*c == '-' || *c == ' ')
			continue;
		if (n == 10 || !(isalpha((unsigned char)*c) || (*c >= '2' && *c <= '7')))
			return false;
		out[n++] = (char)toupper((unsigned char)*c);
	}
	out[n] = '\0';
	return n == 10;
}

enum err mfa_check_code(struct req *r, int64_t person_id, const char *code, bool pending, bool *ok,
			bool *recovery)
{
	char subject[24], normal[11];
	unsigned char hash[32];
	struct mfa_totp t;
	int64_t wait = 0, step;
	enum err e;

	*ok = *recovery = false;
	snprintf(subject, sizeof(subject), "%lld", (long long)person_id);
	e = authdb_throttle_count_one(r, "totp", subject, r->cfg->login_max_failures_pair, &wait);
	if (e != ERR_OK)
		return e;
	if (wait > 0) {
		r->retry_after = wait;
		return fail(r, ERR_TOO_MANY_ATTEMPTS, "code",
			    arena_printf(r->arena,
					 "Trop de codes erronés. Réessayez dans %lld minute(s).",
					 (long long)(wait + 59) / 60));
	}
	e = db_begin(r);
	if (e == ERR_OK)
		e = mfadb_totp_get(r, person_id, true, &t);
	if (e != ERR_OK)
		return e;
	if (!t.found || t.confirmed == pending)
		return ERR_OK;
	step = totp_verify(t.secret, t.secret_len, code, now_unix(), t.last_step);
	if (step >= 0) {
		*ok = true;
		e = mfadb_totp_used(r, person_id, step, pending);
	} else if (!pending && recovery_normal(code, normal)) {
		sha256(normal, 10, hash);
		e = mfadb_recovery_use(r, person_id, hash, ok);
		*recovery = *ok;
	}
	if (e == ERR_OK && *ok)
		e = authdb_throttle_clear_one(r, "totp", subject);
	return e;
}

/* Records a refused code (its audit row, committed with the count) and
 * answers 422 naming the field. */
static enum err refuse_code(struct req *r, const char *action)
{
	enum err e = audit_record(r, action, "person", r->who.person_id, NULL);

	if (e == ERR_OK)
		e = audit_commit(r);
	if (e != ERR_OK)
		return e;
	return fail(r, ERR_INVALID_FIELD, "code", "Code de vérification incorrect.");
}

/* "otpauth://totp/LABEL?..." with LABEL and the issuer percent-encoded. */
static const char *pct(struct req *r, const char *s)
{
	size_t n = strlen(s);
	char *out = arena_alloc(r->arena, n * 3 + 1), *o = out;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
			*o++ = (char)c;
		else
			o += sprintf(o, "%%%02X", c);
	}
	*o = '\0';
	return out;
}

/* GET /api/v1/me/totp — any signed-in person, also before enrolling. 200
 * with whether TOTP is enabled or pending, whether their role requires it,
 * how many recovery codes are left, and the current session's factors. */
static enum err h_totp_state(struct req *r)
{
	struct mfa_totp t;
	enum err e = mfadb_totp_get(r, r->who.person_id, false, &t);

	if (e != ERR_OK)
		return e;
	reply_json(r, 200,
		   json_pack("{s:b, s:b, s:b, s:I, s:b}", "enabled", t.found && t.confirmed,
			     "pending", t.found && !t.confirmed, "required", mfa_required(r),
			     "recovery_codes_left", (json_int_t)t.recovery_left,
			     "second_factor_used", r->who.second_factor));
	return ERR_OK;
}

/*
 * POST /api/v1/me/totp — any signed-in person, also before enrolling.
 * Starts an enrolment: a new secret (replacing a pending one), answered
 * once: the base32 key, the otpauth:// URI and its QR code (SVG). 201;
 * 409 totp_already_enabled when one is confirmed (remove it first). The
 * secret is never logged nor audited.
 */
static enum err h_totp_start(struct req *r)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	struct mfa_totp t;
	const char *key, *label, *issuer, *uri, *svg;
	enum err e = mfadb_totp_get(r, r->who.person_id, true, &t);

	if (e != ERR_OK)
		return e;
	if (t.found && t.confirmed)
		return fail_problem(r, &problem_totp_enabled, NULL, NULL);
	if (!random_bytes(secret, sizeof(secret)))
		return fail_internal(r, ERR_INTERNAL, "getrandom failed");
	e = mfadb_totp_start(r, r->who.person_id, secret, sizeof(secret));
	if (e == ERR_OK)
		e = audit_record(r, "totp.enrol_start", "person", r->who.person_id, NULL);
	if (e != ERR_OK)
		return e;
	key = base32_encode(r->arena, secret, sizeof(secret));
	OPENSSL_cleanse(secret, sizeof(secret));
	issuer = pct(r, arena_printf(r->arena, "Tutorat %s", r->who.academy->name));
	label = pct(r, r->who.username);
	uri = arena_printf(r->arena,
			   "otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=%d&"
			   "period=%d",
			   issuer, label, key, issuer, TOTP_DIGITS, TOTP_STEP);
	svg = totp_qr_svg(r->arena, uri);
	if (svg == NULL)
		return fail_internal(r, ERR_INTERNAL, "QR encoding failed");
	reply_header(r, "Cache-Control: no-store");
	reply_json(r, 201,
		   json_pack("{s:s, s:s, s:s, s:i, s:i}", "secret", key, "otpauth_uri", uri,
			     "qr_svg", svg, "digits", TOTP_DIGITS, "period", TOTP_STEP));
	return ERR_OK;
}

/*
 * POST /api/v1/me/totp/confirm {code} — any signed-in person with a
 * pending enrolment. A right code of the new secret enables it and
 * answers 200 with ten recovery codes, shown this once (stored hashed);
 * the session counts as opened with the second factor from then on.
 * 409 totp_not_pending; 422 (field code) for a wrong code; 429 while the
 * person's code counter is blocked. Own transactions: a wrong code stays
 * counted.
 */
static enum err h_totp_confirm(struct req *r)
{
	unsigned char raw[7], hashes[MFA_RECOVERY_CODES][32];
	struct mfa_totp t;
	bool ok, recovery;
	json_t *codes;
	enum err e = mfadb_totp_get(r, r->who.person_id, false, &t);

	if (e != ERR_OK)
		return e;
	if (!t.found || t.confirmed)
		return fail_problem(r, &problem_totp_not_pending, NULL, NULL);
	e = mfa_check_code(r, r->who.person_id, arg_str(r, "code"), true, &ok, &recovery);
	if (e != ERR_OK || r->err != ERR_OK)
		return e;
	if (!ok)
		return refuse_code(r, "totp.confirm_failed");
	codes = jarena(r, json_array());
	for (size_t i = 0; i < MFA_RECOVERY_CODES; i++) {
		char *c;

		if (!random_bytes(raw, sizeof(raw)))
			return fail_internal(r, ERR_INTERNAL, "getrandom failed");
		c = base32_encode(r->arena, raw, sizeof(raw));
		c[10] = '\0';
		sha256(c, 10, hashes[i]);
		json_array_append_new(codes,
				      json_string(arena_printf(r->arena, "%.5s-%.5s", c, c + 5)));
	}
	e = mfadb_recovery_replace(r, r->who.person_id, hashes, MFA_RECOVERY_CODES);
	if (e == ERR_OK)
		e = authdb_session_second_factor(r, r->who.session_id);
	if (e == ERR_OK)
		e = audit_record(r, "totp.enable", "person", r->who.person_id, NULL);
	if (e == ERR_OK)
		e = audit_commit(r);
	if (e != ERR_OK)
		return e;
	authn_forget_session(r);
	reply_header(r, "Cache-Control: no-store");
	reply_json(r, 200, json_pack("{s:O}", "recovery_codes", codes));
	return ERR_OK;
}

/*
 * DELETE /api/v1/me/totp {code} — a signed-in person with TOTP enabled,
 * whose roles do not require it (403 totp_required otherwise), with a
 * current code or a recovery code. 204: the secret, the recovery codes
 * and the remembered browsers are gone. 409 totp_not_enabled; 422 (code)
 * for a wrong code; 429 while blocked.
 */
static enum err h_totp_remove(struct req *r)
{
	bool ok, recovery, removed;
	enum err e;

	if (mfa_required(r))
		return fail_problem(r, &problem_totp_required, NULL,
				    "Votre rôle demande la double authentification : elle ne peut "
				    "pas être désactivée.");
	e = mfa_enrolled(r, r->who.person_id, &ok);
	if (e != ERR_OK)
		return e;
	if (!ok)
		return fail_problem(r, &problem_totp_not_enabled, NULL, NULL);
	e = mfa_check_code(r, r->who.person_id, arg_str(r, "code"), false, &ok, &recovery);
	if (e != ERR_OK || r->err != ERR_OK)
		return e;
	if (!ok)
		return refuse_code(r, "totp.disable_failed");
	e = mfadb_totp_delete(r, r->who.person_id, &removed);
	if (e == ERR_OK)
		e = authdb_devices_forget_second_factor(r, r->who.person_id);
	if (e == ERR_OK)
		e = audit_record(r, "totp.disable", "person", r->who.person_id, NULL);
	if (e == ERR_OK)
		e = audit_commit(r);
	if (e != ERR_OK)
		return e;
	reply_empty(r, 204);
	return ERR_OK;
}

/*
 * DELETE /api/v1/people/{id}/totp — admin, signed in with the second
 * factor. Resets the person's TOTP (a lost phone): the secret, the
 * recovery codes, the remembered browsers and pending login challenges
 * are gone; they enrol again at their next sign-in (before anything else
 * when their role requires it). 200 {"reset": bool} (false: they had
 * none), audited; 404 for a person of no académie of the admin's.
 */
static enum err h_person_totp_reset(struct req *r)
{
	int64_t id = arg_int(r, "id", 0);
	bool found = false, removed = false;
	json_t *d;
	enum err e = mfadb_person_exists(r, id, &found);

	if (e == ERR_OK && !found)
		return ERR_NOT_FOUND;
	if (e == ERR_OK)
		e = mfadb_totp_delete(r, id, &removed);
	if (e == ERR_OK)
		e = authdb_devices_forget_second_factor(r, id);
	if (e != ERR_OK)
		return e;
	d = jarena(r, json_pack("{s:b}", "had_totp", removed));
	e = audit_record(r, "totp.reset", "person", id, d);
	if (e != ERR_OK)
		return e;
	reply_json(r, 200, json_pack("{s:b}", "reset", removed));
	return ERR_OK;
}

static bool digits_or_recovery(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != ' ')
			return false;
	return true;
}

static const struct param_spec p_code[] = {
    {"code", LOC_BODY, P_STRING, .required = true, .min = 6, .max = 16,
     .check = digits_or_recovery},
    {0},
};
static const struct param_spec p_person[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {0},
};

static struct route mfa_routes[] = {
    {M_GET, "/api/v1/me/totp", h_totp_state, NULL, ALLOW_AUTHENTICATED, 0,
     .before_second_factor = true},
    {M_POST, "/api/v1/me/totp", h_totp_start, NULL, ALLOW_AUTHENTICATED, 0,
     .before_second_factor = true},
    {M_POST, "/api/v1/me/totp/confirm", h_totp_confirm, p_code, ALLOW_AUTHENTICATED, 0,
     .own_transactions = true, .before_second_factor = true},
    {M_DELETE, "/api/v1/me/totp", h_totp_remove, p_code, ALLOW_AUTHENTICATED, 0,
     .own_transactions = true},
    {M_DELETE, "/api/v1/people/{id}/totp", h_person_totp_reset, p_person, R(ADMIN), 0,
     .second_factor = true},
};

const struct module mfa_module = {
    .name = "mfa",
    .routes = mfa_routes,
    .n_routes = ARRAY_LEN(mfa_routes),
    .statements = mfa_db_statements,
    .problems = mfa_problems,
};
