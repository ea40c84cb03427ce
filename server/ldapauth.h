/*
 * Login against an académie's directory: search the user with the service
 * account (the value escaped per RFC 4515), demand exactly one entry, bind
 * as that entry with the password, read the mapped attributes and groups.
 * Each worker keeps, per académie, one handle bound as the service account
 * (searches) and one for user binds, re-opened after a failure. Every call
 * below first passes the académie's bulkhead and circuit breaker
 * (server/ldapguard.h) when the pool has a guard: refused, it returns
 * LDAP_AUTH_UNAVAILABLE at once.
 */
#ifndef TUTORAT_LDAPAUTH_H
#define TUTORAT_LDAPAUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct config;
struct academy_cfg;
struct ldap_guard;

enum ldap_outcome { LDAP_AUTH_OK, LDAP_AUTH_INVALID, LDAP_AUTH_UNAVAILABLE };

struct ldap_person {
	const char *dn, *username, *display_name, *given_name, *family_name, *email;
	/* The entry's stable identity: its entryUUID, or "dn:" and its DN where
	 * the server gives none. A username may pass to another entry; this
	 * does not. */
	const char *entry_id;
	uint32_t roles;	    /* from the group mapping */
	bool roles_unknown; /* the group search failed: roles says nothing */
};

struct ldap_pool;
/* guard: the process's (shared by its threads), or NULL (tutoratctl). */
struct ldap_pool *ldap_pool_new(const struct config *cfg, struct ldap_guard *guard);
void ldap_pool_free(struct ldap_pool *p);

/* username and password have been validated (non-empty, bounded).
 * LDAP_AUTH_OK with out->roles_unknown when the password was right but the
 * group search failed (error, time or size limit); *why then says how. */
enum ldap_outcome ldap_authenticate(struct ldap_pool *p, const struct academy_cfg *a,
				    const char *username, const char *password, struct arena *ar,
				    struct ldap_person *out, const char **why);
/*
 * Directory search for the pickers, with the service account: the entries
 * of the user filter whose username, names or mail start with q (escaped),
 * at most limit of them (*truncated when there were more), within the
 * académie's time limit; only the mapped attributes and entryUUID are
 * read, no groups. LDAP_AUTH_UNAVAILABLE when the directory does not
 * answer (*why says how).
 */
enum ldap_outcome ldap_directory_search(struct ldap_pool *p, const struct academy_cfg *a,
					const char *q, int limit, struct arena *ar,
					struct ldap_person **out, size_t *n, bool *truncated,
					const char **why);
/*
 * The one entry holding username (the user filter), with its roles from
 * the groups (roles_unknown when the group search failed, as at login).
 * LDAP_AUTH_INVALID when no entry, or several, hold it.
 */
enum ldap_outcome ldap_directory_entry(struct ldap_pool *p, const struct academy_cfg *a,
				       const char *username, struct arena *ar,
				       struct ldap_person *out, const char **why);
/*
 * The entry of that identity (entry_id as in struct ldap_person: an
 * entryUUID, or "dn:" and a DN), with its roles as ldap_directory_entry.
 * LDAP_AUTH_INVALID when the directory has no such entry any more.
 */
enum ldap_outcome ldap_directory_entry_by_id(struct ldap_pool *p, const struct academy_cfg *a,
					     const char *entry_id, struct arena *ar,
					     struct ldap_person *out, const char **why);
/* A service bind that answers: the directory is usable. */
bool ldap_ping(struct ldap_pool *p, const struct academy_cfg *a);
/* When the last call was refused by the guard (bulkhead full, circuit
 * open): the seconds after which to try again, for Retry-After; else 0. */
int64_t ldap_retry_after(const struct ldap_pool *p);

/* The filter template with its %s replaced by the RFC 4515-escaped value. */
char *ldap_filter_build(struct arena *ar, const char *tmpl, const char *value, size_t n);

#endif
