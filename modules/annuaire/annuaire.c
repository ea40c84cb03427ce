/*
 * Routes and handlers of the annuaire module. Each handler reads validated
 * arguments, applies the rule that goes beyond its route's role mask, calls
 * the data functions, audits its writes and answers.
 */
#include "annuaire.h"
#include "audit.h"
#include "auth_db.h"
#include "db.h"
#include "ldapauth.h"
#include "modules.h"
#include "req.h"
#include "util.h"
#include "worker.h"

#include <string.h>

#define DEFAULT_LIMIT 50

/* Every write of the annuaire changes the académie's reference data: its
 * version goes up with the audit row, in the write's transaction. */
static enum err recorded(struct req *r, const char *action, const char *type, int64_t id,
			 json_t *detail)
{
	enum err e = db_reference_changed(r);

	if (e != ERR_OK)
		return e;
	return detail != NULL ? audit_record(r, action, type, id, detail)
			      : audit_record_body(r, action, type, id);
}

/* GET /api/v1/people?q=&role=&limit=&offset= — staff. 200 {items,total}. */
static enum err h_people_list(struct req *r)
{
	json_t *out;
	enum err e =
	    annuaire_people_list(r, arg_str(r, "q"), arg_str(r, "role"),
				 arg_int(r, "limit", DEFAULT_LIMIT), arg_int(r, "offset", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* GET /api/v1/people/{id} — staff, or the person themself; anyone else
 * (or another académie's id) gets 404. 200 with assignments and ETag. */
static enum err h_person_get(struct req *r)
{
	int64_t id = arg_int(r, "id", 0);
	json_t *out;
	enum err e;

	if (!(r->who.roles & ROLES_STAFF) && id != r->who.person_id)
		return ERR_NOT_FOUND;
	e = annuaire_person_get(r, id, &out);
	if (e != ERR_OK)
		return e;
	reply_versioned(r, 200, out);
	return ERR_OK;
}

/* POST /api/v1/people — admin. 201 {id}; 409 if the username is taken. */
static enum err h_person_create(struct req *r)
{
	struct person_input in = {arg_str(r, "username"), arg_str(r, "display_name"),
				  arg_str(r, "given_name"), arg_str(r, "family_name"),
				  arg_str(r, "email")};
	int64_t id;
	enum err e = annuaire_person_create(r, &in, &id);

	/* The fields set, by name and size: never the name or the address
	 * (docs/rgpd.md, "Minimisation in logs"); the row holds them. */
	if (e == ERR_OK)
		e = recorded(r, "person.create", "person", id, NULL);
	if (e == ERR_OK) {
		reply_header(
		    r, arena_printf(r->arena, "Location: /api/v1/people/%lld", (long long)id));
		reply_id(r, 201, id);
	}
	return e;
}

/* PATCH /api/v1/people/{id} — admin, If-Match. 200 with the person;
 * 412 on a stale version, 428 without If-Match, 404 if unknown. */
static enum err h_person_update(struct req *r)
{
	int64_t id = arg_int(r, "id", 0), version;
	struct person_update u = {
	    .set_display_name = arg_has(r, "display_name"),
	    .display_name = arg_str(r, "display_name"),
	    .set_given_name = arg_has(r, "given_name"),
	    .given_name = arg_str(r, "given_name"),
	    .set_family_name = arg_has(r, "family_name"),
	    .family_name = arg_str(r, "family_name"),
	    .set_email = arg_has(r, "email"),
	    .email = arg_str(r, "email"),
	    .set_active = arg_has(r, "active"),
	    .active = arg_bool(r, "active", true),
	};
	json_t *out;
	enum err e = req_if_match(r, &version);

	if (e != ERR_OK)
		return e;
	if (u.set_active && !u.active && id == r->who.person_id)
		return fail(r, ERR_CONFLICT, "active",
			    "Vous ne pouvez pas désactiver votre propre compte.");
	e = annuaire_person_update(r, id, version, &u);
	/* A deactivated person's sessions end at once (ASVS v5.0.0-7.4.2), in
	 * the same transaction: reactivated, they sign in again. */
	if (e == ERR_OK && u.set_active && !u.active)
		e = authdb_person_sessions_revoke(r, id, 0, NULL);
	if (e == ERR_OK)
		e = recorded(r, "person.update", "person", id, NULL);
	if (e == ERR_OK)
		e = annuaire_person_get(r, id, &out);
	if (e == ERR_OK) {
		reply_versioned(r, 200, out);
	}
	return e;
}

/* POST /api/v1/people/{id}/assignments — admin. 201 {id}; 404 for an
 * unknown person; 422 when the scope does not fit. */
static enum err h_assignment_create(struct req *r)
{
	int64_t person = arg_int(r, "id", 0), id;
	const char *role = arg_str(r, "role"), *kind = arg_str(r, "scope_kind");
	int64_t scope = arg_int(r, "scope_id", 0);
	json_t *probe;
	enum err e = annuaire_person_get(r, person, &probe);

	if (e != ERR_OK)
		return e;
	json_decref(probe);
	e = annuaire_assignment_create(r, person, role, kind, scope, &id);
	if (e == ERR_OK) {
		json_t *d = json_pack("{s:I, s:s, s:s, s:o}", "person_id", (json_int_t)person,
				      "role", role, "scope_kind", kind, "scope_id",
				      scope != 0 ? json_integer(scope) : json_null());

		e = recorded(r, "assignment.create", "role_assignment", id, d);
		json_decref(d);
	}
	if (e == ERR_OK)
		reply_id(r, 201, id);
	return e;
}

/* DELETE /api/v1/assignments/{id} — admin. 204; 404 if unknown; 409 for
 * an assignment that comes from LDAP. */
static enum err h_assignment_delete(struct req *r)
{
	int64_t id = arg_int(r, "id", 0), person = 0;
	enum err e = annuaire_assignment_delete(r, id, &person);

	if (e == ERR_OK) {
		json_t *d = json_pack("{s:I}", "person_id", (json_int_t)person);

		e = recorded(r, "assignment.delete", "role_assignment", id, d);
		json_decref(d);
	}
	if (e == ERR_OK)
		reply_empty(r, 204);
	return e;
}

/* ---- the académie's directory (LDAP) ---- */

#define DIRECTORY_LIMIT 20
#define DIRECTORY_DOWN                                                                                   \
	"L’annuaire de l’académie ne répond pas. Les personnes déjà connues du service restent " \
	"disponibles."

/*
 * GET /api/v1/directory/people?q= — who picks people (admin, bureau des
 * stages). The entries of the académie's directory whose username, names
 * or mail start with q, read with the service account (the value escaped,
 * at most DIRECTORY_LIMIT entries, within the académie's time limit), each
 * with the person it already is in the service, if any. 200 {items,
 * truncated}; 503 ldap_unavailable naming the directory when it does not
 * answer (GET /people still works).
 */
static enum err h_directory_search(struct req *r)
{
	const char *why = NULL;
	struct ldap_person *found;
	size_t n;
	bool truncated;
	json_t *items;
	enum ldap_outcome out =
	    ldap_directory_search(r->w->ldap, r->tenant, arg_str(r, "q"), DIRECTORY_LIMIT, r->arena,
				  &found, &n, &truncated, &why);

	if (out != LDAP_AUTH_OK) {
		r->log_detail = why;
		r->retry_after = ldap_retry_after(r->w->ldap);
		return fail(r, ERR_LDAP_UNAVAILABLE, NULL, DIRECTORY_DOWN);
	}
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		int64_t id;
		bool active;
		enum err e =
		    annuaire_person_of_entry(r, found[i].username, found[i].entry_id, &id, &active);

		if (e != ERR_OK) {
			json_decref(items);
			return e;
		}
		json_array_append_new(
		    items, json_pack("{s:s, s:s, s:o, s:o, s:b, s:b}", "username",
				     found[i].username, "display_name",
				     found[i].display_name != NULL ? found[i].display_name
								   : found[i].username,
				     "email", JSTR(found[i].email), "person_id",
				     id != 0 ? json_integer(id) : json_null(), "known", id != 0,
				     "active", id == 0 || active));
	}
	reply_json(r, 200, json_pack("{s:o, s:b}", "items", items, "truncated", truncated));
	return ERR_OK;
}

/*
 * POST /api/v1/directory/people {username} — admin, bureau des stages.
 * Creates (or brings up to date) the person of the directory entry holding
 * username, bound to the entry, with the roles of its groups (kept when the
 * group search fails, as at login). The directory is asked with no
 * transaction open (own_transactions). 201 {id} for a new person, 200 {id}
 * for a known one; 422 (username) when no entry holds it; 409 (username)
 * when the username belongs to a person bound to another entry (stored
 * for the administrator, who re-links or not); 503 when the directory does
 * not answer.
 */
static enum err h_directory_pick(struct req *r)
{
	const char *username = arg_str(r, "username"), *why = NULL;
	struct ldap_person p;
	int64_t id = 0;
	bool active, mismatch, created;
	json_t *d;
	enum err e;
	enum ldap_outcome out =
	    ldap_directory_entry(r->w->ldap, r->tenant, username, r->arena, &p, &why);

	if (out == LDAP_AUTH_UNAVAILABLE) {
		r->log_detail = why;
		r->retry_after = ldap_retry_after(r->w->ldap);
		return fail(r, ERR_LDAP_UNAVAILABLE, NULL, DIRECTORY_DOWN);
	}
	if (out != LDAP_AUTH_OK)
		return fail(r, ERR_INVALID_FIELD, "username",
			    "Aucune personne de l’annuaire de l’académie n’a cet identifiant.");
	if (p.roles_unknown)
		r->log_detail = arena_printf(r->arena, "%s; stored roles kept", why);
	e = db_begin(r);
	if (e == ERR_OK)
		e = annuaire_person_of_entry(r, p.username, p.entry_id, &id, &active);
	created = id == 0;
	if (e == ERR_OK)
		e = authdb_person_upsert(r, &p, false, &id, &active, &mismatch);
	if (e != ERR_OK)
		return e;
	d = json_pack("{s:I, s:b}", "person_id", (json_int_t)id, "created", created);
	e = audit_record(r, mismatch ? "person.directory_mismatch" : "person.from_directory",
			 "person", id, d);
	json_decref(d);
	if (e == ERR_OK)
		e = audit_commit(r);
	if (e != ERR_OK)
		return e;
	if (mismatch)
		return fail(r, ERR_CONFLICT, "username",
			    "Cet identifiant appartient à une personne liée à une autre entrée de "
			    "l’annuaire. L’administrateur doit relier cette personne à la nouvelle "
			    "entrée, ou non.");
	reply_id(r, created ? 201 : 200, id);
	return ERR_OK;
}

/*
 * POST /api/v1/people/{id}/directory-link — admin. Binds the person to the
 * directory entry that now holds their username (after a mismatch: the
 * administrator says it is the same person) and brings them up to date
 * from it; audited. own_transactions: the directory is asked first. 200
 * with the person; 404 for an unknown person; 422 (username) when no entry
 * holds the username; 409 when another person is bound to that entry; 503
 * when the directory does not answer.
 */
static enum err h_directory_link(struct req *r)
{
	int64_t id = arg_int(r, "id", 0), got = 0;
	const char *username = NULL, *why = NULL;
	struct ldap_person p;
	bool active, mismatch;
	json_t *d, *person;
	enum ldap_outcome out;
	enum err e = annuaire_person_username(r, id, &username);

	if (e != ERR_OK)
		return e;
	out = ldap_directory_entry(r->w->ldap, r->tenant, username, r->arena, &p, &why);
	if (out == LDAP_AUTH_UNAVAILABLE) {
		r->log_detail = why;
		r->retry_after = ldap_retry_after(r->w->ldap);
		return fail(r, ERR_LDAP_UNAVAILABLE, NULL, DIRECTORY_DOWN);
	}
	if (out != LDAP_AUTH_OK)
		return fail(r, ERR_INVALID_FIELD, "username",
			    "Aucune entrée de l’annuaire de l’académie n’a l’identifiant de cette "
			    "personne.");
	e = db_begin(r);
	if (e == ERR_OK)
		e = annuaire_person_relink(r, id, username, p.entry_id);
	if (e == ERR_OK)
		e = authdb_person_upsert(r, &p, false, &got, &active, &mismatch);
	if (e == ERR_OK && (mismatch || got != id))
		e = fail_internal(r, ERR_INTERNAL, "re-linked person not found by their entry");
	if (e != ERR_OK)
		return e;
	d = json_pack("{s:I}", "person_id", (json_int_t)id);
	e = recorded(r, "person.directory_link", "person", id, d);
	json_decref(d);
	if (e == ERR_OK)
		e = annuaire_person_get(r, id, &person);
	if (e != ERR_OK)
		return e;
	e = audit_commit(r);
	if (e != ERR_OK) {
		json_decref(person);
		return e;
	}
	reply_versioned(r, 200, person);
	return ERR_OK;
}

/* GET /api/v1/structures?kind=&parent_id=&q=&limit=&offset= — signed in.
 * 200 {items,total,limit,offset}; limit defaults to (and is at most) 200. */
static enum err h_structures_list(struct req *r)
{
	json_t *out;
	enum err e = annuaire_structures_list(r, arg_str(r, "kind"), arg_int(r, "parent_id", 0),
					      arg_str(r, "q"), arg_int(r, "limit", 200),
					      arg_int(r, "offset", 0), &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* GET /api/v1/structures/{id} — signed in. 200 with version and ETag. */
static enum err h_structure_get(struct req *r)
{
	json_t *out;
	enum err e = annuaire_structure_get(r, arg_int(r, "id", 0), &out);

	if (e != ERR_OK)
		return e;
	reply_versioned(r, 200, out);
	return ERR_OK;
}

/* POST /api/v1/structures — admin. 201 {id}; 409 on a duplicate code. */
static enum err h_structure_create(struct req *r)
{
	const char *kind = arg_str(r, "kind"), *code = arg_str(r, "code"),
		   *name = arg_str(r, "name");
	int64_t id;
	enum err e =
	    annuaire_structure_create(r, kind, code, name, arg_int(r, "parent_id", 0), &id);

	if (e == ERR_OK)
		e = recorded(r, "structure.create", "structure", id, NULL);
	if (e == ERR_OK) {
		reply_header(
		    r, arena_printf(r->arena, "Location: /api/v1/structures/%lld", (long long)id));
		reply_id(r, 201, id);
	}
	return e;
}

/* PATCH /api/v1/structures/{id} — admin, If-Match. 200 with the structure. */
static enum err h_structure_update(struct req *r)
{
	int64_t id = arg_int(r, "id", 0), version;
	json_t *out;
	enum err e = req_if_match(r, &version);

	if (e != ERR_OK)
		return e;
	e = annuaire_structure_update(r, id, version, arg_has(r, "code"), arg_str(r, "code"),
				      arg_has(r, "name"), arg_str(r, "name"),
				      arg_has(r, "parent_id"), arg_int(r, "parent_id", 0));
	if (e == ERR_OK)
		e = recorded(r, "structure.update", "structure", id, NULL);
	if (e == ERR_OK)
		e = annuaire_structure_get(r, id, &out);
	if (e == ERR_OK) {
		reply_versioned(r, 200, out);
	}
	return e;
}

/* GET /api/v1/years — signed in. The years with their calendar. */
static enum err h_years_list(struct req *r)
{
	json_t *out;
	enum err e = annuaire_years_list(r, &out);

	if (e == ERR_OK)
		reply_json(r, 200, out);
	return e;
}

/* POST /api/v1/years — admin. 201 {id}. */
static enum err h_year_create(struct req *r)
{
	int64_t id;
	enum err e = annuaire_year_create(
	    r, arg_str(r, "label"), arg_str(r, "starts_on"), arg_str(r, "ends_on"),
	    arg_bool(r, "current", false),
	    arg_has(r, "day_starts_at") ? arg_str(r, "day_starts_at") : "08:00",
	    arg_has(r, "day_ends_at") ? arg_str(r, "day_ends_at") : "18:00", &id);

	if (e == ERR_OK)
		e = recorded(r, "year.create", "school_year", id, NULL);
	if (e == ERR_OK)
		reply_id(r, 201, id);
	return e;
}

/* POST /api/v1/years/{id}/events — admin. 201 {id}; 404 for another year. */
static enum err h_year_event_create(struct req *r)
{
	int64_t id;
	enum err e = annuaire_year_event_create(r, arg_int(r, "id", 0), arg_str(r, "kind"),
						arg_str(r, "label"), arg_str(r, "starts_on"),
						arg_str(r, "ends_on"), &id);

	if (e == ERR_OK)
		e = recorded(r, "year_event.create", "year_event", id, NULL);
	if (e == ERR_OK)
		reply_id(r, 201, id);
	return e;
}

/* "08:30": an hour of the day, as the school day's bounds are written. */
static bool hhmm_ok(const char *s, size_t n)
{
	return n == 5 && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' && s[2] == ':' &&
	       s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9' &&
	       (s[0] - '0') * 10 + (s[1] - '0') <= 23;
}

static bool year_label_ok(const char *s, size_t n)
{
	/* "2025-2026": two consecutive years. */
	int64_t a, b;

	return n == 9 && s[4] == '-' && parse_int64(s, 4, &a) && parse_int64(s + 5, 4, &b) &&
	       b == a + 1;
}

static bool email_ok(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);

	if (at == NULL || at == s || at == s + n - 1 ||
	    memchr(at + 1, '@', n - (size_t)(at - s) - 1))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ' ' || s[i] == '<' || s[i] == '>' || s[i] == ',' || s[i] == ';')
			return false;
	return memchr(at, '.', n - (size_t)(at - s)) != NULL;
}

static bool username_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

static bool code_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return false;
	return true;
}

static const char *const event_kinds[] = {"autumn_holidays",
					  "pole_meeting_1",
					  "pole_meeting_2",
					  "pole_meeting_3",
					  "sopa_1",
					  "sopa_2",
					  "sopa_3",
					  "sopa_4",
					  "bilans_due",
					  "first_term_end",
					  "visite_conseil_due",
					  "other",
					  NULL};

#define PAGE_PARAMS                                                                                \
	{"limit", LOC_QUERY, P_INT, .min = 1, .max = 200},                                         \
	{                                                                                          \
		"offset", LOC_QUERY, P_INT, .min = 0, .max = 1000000                               \
	}

static const struct param_spec p_people_list[] = {
    {"q", LOC_QUERY, P_STRING, .min = 1, .max = 100},
    {"role", LOC_QUERY, P_ENUM, .choices = annuaire_role_names},
    PAGE_PARAMS,
    {0},
};
static const struct param_spec p_directory_search[] = {
    {"q", LOC_QUERY, P_STRING, .required = true, .min = 2, .max = 64},
    {0},
};
static const struct param_spec p_directory_pick[] = {
    {"username", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 64, .check = username_ok},
    {0},
};
static const struct param_spec p_id[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {0},
};
const struct param_spec annuaire_person_fields[] = {
    {"username", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 64, .check = username_ok},
    {"display_name", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 200},
    {"given_name", LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = 100},
    {"family_name", LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = 100},
    {"email", LOC_BODY, P_STRING, .nullable = true, .min = 3, .max = 254, .check = email_ok},
    {0},
};
static const struct param_spec p_person_update[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"display_name", LOC_BODY, P_STRING, .min = 1, .max = 200},
    {"given_name", LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = 100},
    {"family_name", LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = 100},
    {"email", LOC_BODY, P_STRING, .nullable = true, .min = 3, .max = 254, .check = email_ok},
    {"active", LOC_BODY, P_BOOL},
    {0},
};
static const struct param_spec p_assignment_create[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"role", LOC_BODY, P_ENUM, .required = true, .choices = annuaire_role_names},
    {"scope_kind", LOC_BODY, P_ENUM, .required = true, .choices = annuaire_scope_kinds},
    {"scope_id", LOC_BODY, P_ID, .nullable = true},
    {0},
};
static const struct param_spec p_structures_list[] = {
    {"kind", LOC_QUERY, P_ENUM, .choices = annuaire_structure_kinds},
    {"parent_id", LOC_QUERY, P_ID},
    {"q", LOC_QUERY, P_STRING, .min = 1, .max = 100},
    PAGE_PARAMS,
    {0},
};
const struct param_spec annuaire_structure_fields[] = {
    {"kind", LOC_BODY, P_ENUM, .required = true, .choices = annuaire_structure_kinds},
    {"code", LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = 32, .check = code_ok},
    {"name", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 200},
    {"parent_id", LOC_BODY, P_ID, .nullable = true},
    {0},
};
static const struct param_spec p_structure_update[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"code", LOC_BODY, P_STRING, .nullable = true, .min = 1, .max = 32, .check = code_ok},
    {"name", LOC_BODY, P_STRING, .min = 1, .max = 200},
    {"parent_id", LOC_BODY, P_ID, .nullable = true},
    {0},
};
static const struct param_spec p_year_create[] = {
    {"label", LOC_BODY, P_STRING, .required = true, .min = 9, .max = 9, .check = year_label_ok},
    {"starts_on", LOC_BODY, P_DATE, .required = true},
    {"ends_on", LOC_BODY, P_DATE, .required = true},
    {"current", LOC_BODY, P_BOOL},
    {"day_starts_at", LOC_BODY, P_STRING, .min = 5, .max = 5, .check = hhmm_ok},
    {"day_ends_at", LOC_BODY, P_STRING, .min = 5, .max = 5, .check = hhmm_ok},
    {0},
};
static const struct param_spec p_year_event_create[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"kind", LOC_BODY, P_ENUM, .required = true, .choices = event_kinds},
    {"label", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 200},
    {"starts_on", LOC_BODY, P_DATE, .required = true},
    {"ends_on", LOC_BODY, P_DATE, .required = true},
    {0},
};

static struct route annuaire_routes[] = {
    {M_GET, "/api/v1/people", h_people_list, p_people_list, ROLES_STAFF, 0},
    {M_POST, "/api/v1/people", h_person_create, annuaire_person_fields, R(ADMIN), 0},
    {M_GET, "/api/v1/people/{id}", h_person_get, p_id, ALLOW_AUTHENTICATED, 0},
    {M_PATCH, "/api/v1/people/{id}", h_person_update, p_person_update, R(ADMIN), 0},
    {M_POST, "/api/v1/people/{id}/assignments", h_assignment_create, p_assignment_create, R(ADMIN),
     0},
    {M_GET, "/api/v1/directory/people", h_directory_search, p_directory_search,
     R(ADMIN) | R(BUREAU_STAGES), 0},
    {M_POST, "/api/v1/directory/people", h_directory_pick, p_directory_pick,
     R(ADMIN) | R(BUREAU_STAGES), 0, .own_transactions = true},
    {M_POST, "/api/v1/people/{id}/directory-link", h_directory_link, p_id, R(ADMIN), 0,
     .own_transactions = true},
    {M_DELETE, "/api/v1/assignments/{id}", h_assignment_delete, p_id, R(ADMIN), 0},
    {M_GET, "/api/v1/structures", h_structures_list, p_structures_list, ALLOW_AUTHENTICATED, 0},
    {M_POST, "/api/v1/structures", h_structure_create, annuaire_structure_fields, R(ADMIN), 0},
    {M_GET, "/api/v1/structures/{id}", h_structure_get, p_id, ALLOW_AUTHENTICATED, 0},
    {M_PATCH, "/api/v1/structures/{id}", h_structure_update, p_structure_update, R(ADMIN), 0},
    {M_GET, "/api/v1/years", h_years_list, NULL, ALLOW_AUTHENTICATED, 0},
    {M_POST, "/api/v1/years", h_year_create, p_year_create, R(ADMIN), 0},
    {M_POST, "/api/v1/years/{id}/events", h_year_event_create, p_year_event_create, R(ADMIN), 0},
};

const struct module annuaire_module = {
    .name = "annuaire",
    .routes = annuaire_routes,
    .n_routes = ARRAY_LEN(annuaire_routes),
    .statements = annuaire_statements,
    .imports = annuaire_imports,
};
