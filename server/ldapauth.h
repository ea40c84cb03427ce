/*
 * Login against an académie's directory: search the user with the service
 * account (the value escaped per RFC 4515), demand exactly one entry, bind
 * as that entry with the password, read the mapped attributes and groups.
 * Each worker keeps, per académie, one handle bound as the service account
 * (searches) and one for user binds, re-opened after a failure.
 */
#ifndef TUTORAT_LDAPAUTH_H
#define TUTORAT_LDAPAUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct config;
struct academy_cfg;

enum ldap_outcome { LDAP_AUTH_OK, LDAP_AUTH_INVALID, LDAP_AUTH_UNAVAILABLE };

struct ldap_person {
	const char *dn, *username, *display_name, *given_name, *family_name, *email;
	uint32_t roles;	    /* from the group mapping */
	bool roles_unknown; /* the group search failed: roles says nothing */
};

struct ldap_pool;
struct ldap_pool *ldap_pool_new(const struct config *cfg);
void ldap_pool_free(struct ldap_pool *p);

/* username and password have been validated (non-empty, bounded).
 * LDAP_AUTH_OK with out->roles_unknown when the password was right but the
 * group search failed (error, time or size limit); *why then says how. */
enum ldap_outcome ldap_authenticate(struct ldap_pool *p, const struct academy_cfg *a,
				    const char *username, const char *password, struct arena *ar,
				    struct ldap_person *out, const char **why);
/* A service bind that answers: the directory is usable. */
bool ldap_ping(struct ldap_pool *p, const struct academy_cfg *a);

/* The filter template with its %s replaced by the RFC 4515-escaped value. */
char *ldap_filter_build(struct arena *ar, const char *tmpl, const char *value, size_t n);

#endif
