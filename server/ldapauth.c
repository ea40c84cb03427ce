#include "ldapauth.h"
#include "arena.h"
#include "config.h"
#include "ldapguard.h"
#include "log.h"
#include "metrics.h"

#include <ldap.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ldap_slot {
	LDAP *search; /* bound as the service account */
	LDAP *user;   /* for user binds only */
};

struct ldap_pool {
	const struct config *cfg;
	struct ldap_slot *slots;  /* one per académie, by academy_cfg.index */
	struct ldap_guard *guard; /* the process's, or NULL */
	bool down;		  /* the call in progress found the directory down */
	int64_t retry_after;	  /* the last call was refused by the guard: seconds */
};

struct ldap_pool *ldap_pool_new(const struct config *cfg, struct ldap_guard *guard)
{
	struct ldap_pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		abort();
	p->cfg = cfg;
	p->guard = guard;
	p->slots = calloc(cfg->n_academies, sizeof(*p->slots));
	if (p->slots == NULL)
		abort();
	return p;
}

static void drop(LDAP **ld)
{
	if (*ld != NULL)
		ldap_unbind_ext_s(*ld, NULL, NULL);
	*ld = NULL;
}

void ldap_pool_free(struct ldap_pool *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->cfg->n_academies; i++) {
		drop(&p->slots[i].search);
		drop(&p->slots[i].user);
	}
	free(p->slots);
	free(p);
}

char *ldap_filter_build(struct arena *ar, const char *tmpl, const char *value, size_t n)
{
	struct berval in = {.bv_len = n, .bv_val = (char *)value}, esc = {0};
	const char *at = strstr(tmpl, "%s");
	char *out;

	if (at == NULL || ldap_bv2escaped_filter_value(&in, &esc) != 0)
		return NULL;
	out = arena_printf(ar, "%.*s%s%s", (int)(at - tmpl), tmpl,
			   esc.bv_val != NULL ? esc.bv_val : "", at + 2);
	ber_memfree(esc.bv_val);
	return out;
}

/* Opens a handle with the académie's URIs, timeouts and StartTLS policy. */
static LDAP *open_handle(const struct academy_cfg *a)
{
	LDAP *ld = NULL;
	int v3 = LDAP_VERSION3;
	struct timeval tv = {.tv_sec = a->timeout, .tv_usec = 0};

	if (ldap_initialize(&ld, a->ldap_uri) != LDAP_SUCCESS)
		return NULL;
	ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &v3);
	ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv);
	ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv);
	ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
	if (a->starttls) {
		int rc = ldap_start_tls_s(ld, NULL, NULL);

		if (rc != LDAP_SUCCESS) {
			log_msg("error", "ldap %s: StartTLS refused: %s", a->code,
				ldap_err2string(rc));
			drop(&ld);
			return NULL;
		}
	}
	metrics_count(METRIC_LDAP_CONNECTS);
	return ld;
}

static int simple_bind(LDAP *ld, const char *dn, const char *pw)
{
	struct berval cred = {.bv_len = strlen(pw), .bv_val = (char *)pw};

	return ldap_sasl_bind_s(ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
}

static bool is_down(int rc)
{
	return rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT || rc == LDAP_CONNECT_ERROR ||
	       rc == LDAP_UNAVAILABLE || rc == LDAP_BUSY || rc == LDAP_OTHER;
}

/* The service handle, bound; reopened when absent. */
static LDAP *service(struct ldap_pool *p, const struct academy_cfg *a)
{
	struct ldap_slot *s = &p->slots[a->index];
	int rc;

	if (s->search != NULL)
		return s->search;
	s->search = open_handle(a);
	if (s->search == NULL) {
		p->down = true;
		return NULL;
	}
	rc = simple_bind(s->search, a->bind_dn, a->bind_password);
	p->down |= is_down(rc);
	if (rc != LDAP_SUCCESS) {
		log_msg("error", "ldap %s: service bind failed: %s", a->code, ldap_err2string(rc));
		drop(&s->search);
	}
	return s->search;
}

static const char *first_value(struct arena *ar, LDAP *ld, LDAPMessage *e, const char *attr)
{
	struct berval **vals = ldap_get_values_len(ld, e, attr);
	const char *out = NULL;

	if (vals != NULL && vals[0] != NULL)
		out = arena_strndup(ar, vals[0]->bv_val, vals[0]->bv_len);
	ldap_value_free_len(vals);
	return out;
}

/* Runs one search on the service handle, retrying once on a dropped
 * connection; not after a timeout, so that a hung directory costs a login
 * one timeout, not two. */
static int search(struct ldap_pool *p, const struct academy_cfg *a, const char *base,
		  const char *filter, char **attrs, int sizelimit, LDAPMessage **res)
{
	struct timeval tv = {.tv_sec = a->timeout, .tv_usec = 0};
	int rc = LDAP_SERVER_DOWN;

	for (int attempt = 0; attempt < 2; attempt++) {
		LDAP *ld = service(p, a);

		if (ld == NULL)
			return LDAP_SERVER_DOWN;
		*res = NULL;
		rc = ldap_search_ext_s(ld, base, LDAP_SCOPE_SUBTREE, filter, attrs, 0, NULL, NULL,
				       &tv, sizelimit, res);
		if (!is_down(rc))
			return rc;
		ldap_msgfree(*res);
		*res = NULL;
		drop(&p->slots[a->index].search);
		if (rc == LDAP_TIMEOUT)
			break;
	}
	p->down = true;
	return rc;
}

/*
 * The roles of the groups dn belongs to, in *roles. A search that fails
 * (an error, the time or the size limit: a partial answer) returns false
 * with the reason in *why: the caller cannot tell "no groups" from it.
 */
static bool map_groups(struct ldap_pool *p, const struct academy_cfg *a, struct arena *ar,
		       const char *dn, uint32_t *roles, const char **why)
{
	char *attrs[] = {"1.1", NULL};
	LDAPMessage *res = NULL, *e;
	char *filter;
	int rc;

	*roles = 0;
	if (a->group_base == NULL)
		return true;
	filter = ldap_filter_build(ar, a->group_filter, dn, strlen(dn));
	if (filter == NULL) {
		*why = "group search failed: filter construction failed";
		return false;
	}
	rc = search(p, a, a->group_base, filter, attrs, 500, &res);
	if (rc != LDAP_SUCCESS) {
		ldap_msgfree(res);
		*why = arena_printf(ar, "group search failed: %s", ldap_err2string(rc));
		return false;
	}
	LDAP *ld = p->slots[a->index].search;

	for (e = ldap_first_entry(ld, res); e != NULL; e = ldap_next_entry(ld, e)) {
		char *gdn = ldap_get_dn(ld, e);

		if (gdn == NULL)
			continue;
		for (int r = 0; r < ROLE__MAX; r++)
			for (int i = 0; i < CONFIG_MAX_GROUPS && a->role_groups[r][i] != NULL; i++)
				if (strcasecmp(gdn, a->role_groups[r][i]) == 0)
					*roles |= UINT32_C(1) << r;
		ldap_memfree(gdn);
	}
	ldap_msgfree(res);
	return true;
}

/* The attributes read from a person's entry: the mapped ones, and the
 * operational entryUUID, which is returned only when asked for by name. */
static void entry_attrs(const struct academy_cfg *a, char *attrs[7])
{
	attrs[0] = a->attr_username;
	attrs[1] = a->attr_display_name;
	attrs[2] = a->attr_given_name;
	attrs[3] = a->attr_family_name;
	attrs[4] = a->attr_email;
	attrs[5] = "entryUUID";
	attrs[6] = NULL;
}

/* Fills out from entry e (no groups). False when the entry has no DN. */
static bool read_entry(struct arena *ar, LDAP *ld, LDAPMessage *e, const struct academy_cfg *a,
		       struct ldap_person *out)
{
	char *dn = ldap_get_dn(ld, e);
	const char *uuid;

	memset(out, 0, sizeof(*out));
	if (dn == NULL)
		return false;
	out->dn = arena_strdup(ar, dn);
	ldap_memfree(dn);
	out->username = first_value(ar, ld, e, a->attr_username);
	out->display_name = first_value(ar, ld, e, a->attr_display_name);
	out->given_name = first_value(ar, ld, e, a->attr_given_name);
	out->family_name = first_value(ar, ld, e, a->attr_family_name);
	out->email = first_value(ar, ld, e, a->attr_email);
	uuid = first_value(ar, ld, e, "entryUUID");
	out->entry_id = uuid != NULL ? uuid : arena_printf(ar, "dn:%s", out->dn);
	return true;
}

/*
 * Binds as dn on the user handle. For an unknown user the caller passes a
 * DN that cannot exist, so both failures cost the same round trips.
 */
static int user_bind(struct ldap_pool *p, const struct academy_cfg *a, const char *dn,
		     const char *password)
{
	struct ldap_slot *s = &p->slots[a->index];
	int rc = LDAP_SERVER_DOWN;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (s->user == NULL)
			s->user = open_handle(a);
		if (s->user == NULL) {
			p->down = true;
			return LDAP_SERVER_DOWN;
		}
		rc = simple_bind(s->user, dn, password);
		if (!is_down(rc))
			return rc;
		drop(&s->user);
		if (rc == LDAP_TIMEOUT)
			break; /* as search(): one timeout per login */
	}
	p->down = true;
	return rc;
}

static enum ldap_outcome authenticate(struct ldap_pool *p, const struct academy_cfg *a,
				    const char *username, const char *password, struct arena *ar,
				    struct ldap_person *out, const char **why)
{
	char *attrs[7];
	LDAPMessage *res = NULL, *e;
	char *filter;
	int rc, count;
	LDAP *ld;
	enum ldap_outcome outcome = LDAP_AUTH_INVALID;

	memset(out, 0, sizeof(*out));
	entry_attrs(a, attrs);
	*why = NULL;
	if (password[0] == '\0')
		return LDAP_AUTH_INVALID; /* an empty password is an anonymous bind: never */
	filter = ldap_filter_build(ar, a->user_filter, username, strlen(username));
	if (filter == NULL) {
		*why = "filter construction failed";
		return LDAP_AUTH_UNAVAILABLE;
	}
	rc = search(p, a, a->search_base, filter, attrs, 2, &res);
	if (is_down(rc) ||
	    (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED && rc != LDAP_NO_SUCH_OBJECT)) {
		*why = ldap_err2string(rc);
		ldap_msgfree(res);
		return LDAP_AUTH_UNAVAILABLE;
	}
	ld = p->slots[a->index].search;
	count = rc == LDAP_SUCCESS ? ldap_count_entries(ld, res) : 0;
	if (rc == LDAP_SIZELIMIT_EXCEEDED)
		count = 2;
	if (count != 1) {
		/* Unknown (or ambiguous) user: spend the bind anyway, then refuse. */
		char *nobody = arena_printf(ar, "cn=no-such-user,%s", a->search_base);

		rc = user_bind(p, a, nobody != NULL ? nobody : a->search_base, password);
		ldap_msgfree(res);
		*why = count == 0 ? "unknown user" : "ambiguous user";
		if (is_down(rc)) {
			*why = ldap_err2string(rc);
			return LDAP_AUTH_UNAVAILABLE;
		}
		return LDAP_AUTH_INVALID;
	}
	e = ldap_first_entry(ld, res);
	if (!read_entry(ar, ld, e, a, out)) {
		ldap_msgfree(res);
		*why = "entry without DN";
		return LDAP_AUTH_UNAVAILABLE;
	}
	ldap_msgfree(res);

	rc = user_bind(p, a, out->dn, password);
	if (rc == LDAP_SUCCESS) {
		outcome = LDAP_AUTH_OK;
		out->roles_unknown = !map_groups(p, a, ar, out->dn, &out->roles, why);
	} else if (is_down(rc)) {
		*why = ldap_err2string(rc);
		outcome = LDAP_AUTH_UNAVAILABLE;
	} else {
		*why = "wrong password";
	}
	return outcome;
}

/*
 * The picker's filter: the user filter with its %s as a presence ("*"),
 * and one of the mapped attributes starting with q, escaped once:
 * (&(objectClass=inetOrgPerson)(uid=*)(|(uid=q*)(displayName=q*)...)).
 */
static char *search_filter(struct arena *ar, const struct academy_cfg *a, const char *q)
{
	struct berval in = {.bv_len = strlen(q), .bv_val = (char *)q}, esc = {0};
	const char *at = strstr(a->user_filter, "%s");
	char *out;

	if (at == NULL || ldap_bv2escaped_filter_value(&in, &esc) != 0 || esc.bv_val == NULL)
		return NULL;
	out = arena_printf(ar, "(&%.*s*%s(|(%s=%s*)(%s=%s*)(%s=%s*)(%s=%s*)(%s=%s*)))",
			   (int)(at - a->user_filter), a->user_filter, at + 2, a->attr_username,
			   esc.bv_val, a->attr_display_name, esc.bv_val, a->attr_family_name,
			   esc.bv_val, a->attr_given_name, esc.bv_val, a->attr_email, esc.bv_val);
	ber_memfree(esc.bv_val);
	return out;
}

static enum ldap_outcome directory_search(struct ldap_pool *p, const struct academy_cfg *a,
					const char *q, int limit, struct arena *ar,
					struct ldap_person **out, size_t *n, bool *truncated,
					const char **why)
{
	char *attrs[7], *filter = search_filter(ar, a, q);
	LDAPMessage *res = NULL, *e;
	LDAP *ld;
	int rc;

	*out = NULL;
	*n = 0;
	*truncated = false;
	*why = NULL;
	entry_attrs(a, attrs);
	if (filter == NULL) {
		*why = "filter construction failed";
		return LDAP_AUTH_UNAVAILABLE;
	}
	rc = search(p, a, a->search_base, filter, attrs, limit, &res);
	if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED && rc != LDAP_NO_SUCH_OBJECT) {
		*why = ldap_err2string(rc);
		ldap_msgfree(res);
		return LDAP_AUTH_UNAVAILABLE;
	}
	*truncated = rc == LDAP_SIZELIMIT_EXCEEDED;
	ld = p->slots[a->index].search;
	*out = arena_alloc(ar, sizeof(**out) * (size_t)limit);
	for (e = ldap_first_entry(ld, res); e != NULL && *n < (size_t)limit;
	     e = ldap_next_entry(ld, e))
		if (read_entry(ar, ld, e, a, &(*out)[*n]) && (*out)[*n].username != NULL)
			(*n)++;
	ldap_msgfree(res);
	return LDAP_AUTH_OK;
}

/*
 * The one entry under base (scope) that matches filter, read and with its
 * groups mapped: ldap_directory_entry and ldap_directory_entry_by_id.
 */
static enum ldap_outcome one_entry(struct ldap_pool *p, const struct academy_cfg *a,
				   const char *base, int scope, const char *filter,
				   struct arena *ar, struct ldap_person *out, const char **why)
{
	struct timeval tv = {.tv_sec = a->timeout, .tv_usec = 0};
	char *attrs[7];
	LDAPMessage *res = NULL;
	LDAP *ld;
	int rc = LDAP_SERVER_DOWN, count;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	entry_attrs(a, attrs);
	if (filter == NULL) {
		*why = "filter construction failed";
		return LDAP_AUTH_UNAVAILABLE;
	}
	if (scope == LDAP_SCOPE_SUBTREE) {
		rc = search(p, a, base, filter, attrs, 2, &res);
	} else if ((ld = service(p, a)) != NULL) {
		rc = ldap_search_ext_s(ld, base, scope, filter, attrs, 0, NULL, NULL, &tv, 2, &res);
		if (is_down(rc)) {
			drop(&p->slots[a->index].search);
			p->down = true;
		}
	}
	/* Under search_base, "no such object" is the base missing, not the
	 * entry: a misconfigured directory must not read as everyone gone
	 * (sync-directory would deactivate them all). */
	if (rc == LDAP_NO_SUCH_OBJECT && scope == LDAP_SCOPE_SUBTREE) {
		*why = "search base not found";
		ldap_msgfree(res);
		return LDAP_AUTH_UNAVAILABLE;
	}
	if (rc != LDAP_SUCCESS && rc != LDAP_SIZELIMIT_EXCEEDED && rc != LDAP_NO_SUCH_OBJECT) {
		*why = ldap_err2string(rc);
		ldap_msgfree(res);
		return LDAP_AUTH_UNAVAILABLE;
	}
	ld = p->slots[a->index].search;
	count = rc == LDAP_SUCCESS	    ? ldap_count_entries(ld, res)
		: rc == LDAP_NO_SUCH_OBJECT ? 0
					    : 2;
	if (count != 1 || !read_entry(ar, ld, ldap_first_entry(ld, res), a, out) ||
	    out->username == NULL) {
		ldap_msgfree(res);
		*why = count == 0 ? "no such entry" : "ambiguous entry";
		return LDAP_AUTH_INVALID;
	}
	ldap_msgfree(res);
	out->roles_unknown = !map_groups(p, a, ar, out->dn, &out->roles, why);
	return LDAP_AUTH_OK;
}

static enum ldap_outcome directory_entry(struct ldap_pool *p, const struct academy_cfg *a,
				       const char *username, struct arena *ar,
				       struct ldap_person *out, const char **why)
{
	return one_entry(p, a, a->search_base, LDAP_SCOPE_SUBTREE,
			 ldap_filter_build(ar, a->user_filter, username, strlen(username)), ar, out,
			 why);
}

static enum ldap_outcome directory_entry_by_id(struct ldap_pool *p, const struct academy_cfg *a,
					     const char *entry_id, struct arena *ar,
					     struct ldap_person *out, const char **why)
{
	/* The user filter applies too: an entry that no longer passes it
	 * (another object class, a disabled account) is gone for the service. */
	const char *tmpl = a->user_filter, *at = strstr(tmpl, "%s");
	char *filter =
	    at == NULL ? NULL : arena_printf(ar, "%.*s*%s", (int)(at - tmpl), tmpl, at + 2);

	if (strncmp(entry_id, "dn:", 3) == 0)
		return one_entry(p, a, entry_id + 3, LDAP_SCOPE_BASE, filter, ar, out, why);
	if (filter != NULL) {
		char *uuid = ldap_filter_build(ar, "(entryUUID=%s)", entry_id, strlen(entry_id));

		filter = uuid != NULL ? arena_printf(ar, "(&%s%s)", filter, uuid) : NULL;
	}
	return one_entry(p, a, a->search_base, LDAP_SCOPE_SUBTREE, filter, ar, out, why);
}

static bool ping(struct ldap_pool *p, const struct academy_cfg *a)
{
	struct ldap_slot *s = &p->slots[a->index];
	struct berval *authzid = NULL;
	int rc;

	/* A live service handle answers WhoAmI; otherwise reconnect and bind,
	 * but not after a timeout: as search(), one timeout per check. */
	if (s->search != NULL) {
		rc = ldap_whoami_s(s->search, &authzid, NULL, NULL);
		ber_bvfree(authzid);
		if (rc == LDAP_SUCCESS)
			return true;
		drop(&s->search);
		if (rc == LDAP_TIMEOUT) {
			p->down = true;
			return false;
		}
	}
	return service(p, a) != NULL;
}

/*
 * The public calls: each passes a's bulkhead and circuit (the process's
 * guard; tutoratctl has none) before it touches the directory, and tells
 * the guard afterwards whether the directory answered. A refused call
 * returns LDAP_AUTH_UNAVAILABLE at once, *why saying which gate refused
 * it and ldap_retry_after() when to try again.
 */
static bool enter(struct ldap_pool *p, const struct academy_cfg *a, const char **why)
{
	enum ldap_gate gate;

	p->down = false;
	p->retry_after = 0;
	if (p->guard == NULL)
		return true;
	gate = ldap_guard_enter(p->guard, a->index, &p->retry_after);
	if (gate == LDAP_GATE_PASS)
		return true;
	*why = gate == LDAP_GATE_FULL ? "bulkhead full: this directory holds its share of threads"
				      : "circuit open: this directory keeps failing";
	return false;
}

static void leave(struct ldap_pool *p, const struct academy_cfg *a)
{
	if (p->guard != NULL)
		ldap_guard_leave(p->guard, a->index, !p->down);
}

int64_t ldap_retry_after(const struct ldap_pool *p)
{
	return p->retry_after;
}

enum ldap_outcome ldap_authenticate(struct ldap_pool *p, const struct academy_cfg *a,
				    const char *username, const char *password, struct arena *ar,
				    struct ldap_person *out, const char **why)
{
	enum ldap_outcome o;

	memset(out, 0, sizeof(*out));
	if (!enter(p, a, why))
		return LDAP_AUTH_UNAVAILABLE;
	o = authenticate(p, a, username, password, ar, out, why);
	leave(p, a);
	return o;
}

enum ldap_outcome ldap_directory_search(struct ldap_pool *p, const struct academy_cfg *a,
					const char *q, int limit, struct arena *ar,
					struct ldap_person **out, size_t *n, bool *truncated,
					const char **why)
{
	enum ldap_outcome o;

	*out = NULL;
	*n = 0;
	*truncated = false;
	if (!enter(p, a, why))
		return LDAP_AUTH_UNAVAILABLE;
	o = directory_search(p, a, q, limit, ar, out, n, truncated, why);
	leave(p, a);
	return o;
}

enum ldap_outcome ldap_directory_entry(struct ldap_pool *p, const struct academy_cfg *a,
				       const char *username, struct arena *ar,
				       struct ldap_person *out, const char **why)
{
	enum ldap_outcome o;

	memset(out, 0, sizeof(*out));
	if (!enter(p, a, why))
		return LDAP_AUTH_UNAVAILABLE;
	o = directory_entry(p, a, username, ar, out, why);
	leave(p, a);
	return o;
}

enum ldap_outcome ldap_directory_entry_by_id(struct ldap_pool *p, const struct academy_cfg *a,
					     const char *entry_id, struct arena *ar,
					     struct ldap_person *out, const char **why)
{
	enum ldap_outcome o;

	memset(out, 0, sizeof(*out));
	if (!enter(p, a, why))
		return LDAP_AUTH_UNAVAILABLE;
	o = directory_entry_by_id(p, a, entry_id, ar, out, why);
	leave(p, a);
	return o;
}

bool ldap_ping(struct ldap_pool *p, const struct academy_cfg *a)
{
	const char *why = NULL;
	bool ok;

	if (!enter(p, a, &why))
		return false;
	ok = ping(p, a);
	leave(p, a);
	return ok;
}
