/* SQL of the auth module: sessions, login throttling, person upsert. */
#ifndef TUTORAT_AUTH_DB_H
#define TUTORAT_AUTH_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

struct req;
struct ldap_person;

struct session_row {
	int64_t id, person_id;
	const char *username, *display_name, *email;
	uint32_t roles;
	bool second_factor; /* opened with a second factor (server/mfa.c) */
};

/* ERR_NOT_FOUND when the session is unknown, expired, revoked or its
 * person deactivated. */
enum err authdb_session_by_id(struct req *r, int64_t sid, struct session_row *out);
enum err authdb_session_by_secret(struct req *r, const unsigned char hash[32],
				  struct session_row *out);
enum err authdb_session_create(struct req *r, int64_t person_id, const unsigned char hash[32],
			       bool second_factor, int64_t *sid);
/* The session's person proved the second factor (they just enrolled). */
enum err authdb_session_second_factor(struct req *r, int64_t sid);
enum err authdb_session_revoke(struct req *r, int64_t sid);
/* The person's own activity (not a passive route): the idle clock of the
 * session starts again. */
enum err authdb_session_touch(struct req *r, int64_t sid);
/* The person's open sessions (id, created_at, last_seen_at, ends_at,
 * client_addr), newest first; ERR_NOT_FOUND for a person the académie does
 * not have. */
enum err authdb_person_sessions(struct req *r, int64_t person_id, struct db_res *out);
/* Ends the person's session `sid`, or all of them (sid 0); *count: how many. */
enum err authdb_person_sessions_revoke(struct req *r, int64_t person_id, int64_t sid,
				       uint64_t *count);
/* Revokes every open session of the académie; *count gets how many. */
enum err authdb_sessions_revoke_all(struct req *r, uint64_t *count);

/*
 * Who is trying (docs/security.md, "Throttling"): the account (lower-cased),
 * and either the browser, when it holds a device cookie this account
 * signed in with before (`device`, the cookie's SHA-256), or the client's
 * address group (an IPv4 address, or the /64 of an IPv6 one). A known
 * browser is counted on its own (kind 'device'); an unknown one per
 * address group ('pair') and on the account ('account'), and limited in
 * the distinct accounts its address group may fail on (spraying).
 */
struct throttle_key {
	const char *account;
	const char *group;
	bool known_device;
	char kind[8];	   /* "pair" or "device" */
	char subject[160]; /* "<group>|<account>" or "<device key>|<account>" */
};
/* Fills k from the account, the client's address group (address_group)
 * and the device hash (NULL: no known device). */
void authdb_throttle_key(struct throttle_key *k, const char *account, const char *group,
			 const unsigned char *device);
/* "2001:db8:1:2::/64" for any address of that /64; an IPv4 address (or an
 * IPv4-mapped IPv6 one) as itself; NULL when it is neither. */
const char *address_group(struct req *r, const char *address);

/* Counts an attempt in its own transaction, committed unless refused:
 * *wait > 0 (seconds) when one of the key's counters is blocked or the
 * address group has failed on too many accounts, the attempt then not
 * counted. For a route with own_transactions. */
enum err authdb_throttle_count(struct req *r, const struct throttle_key *k, int64_t *wait);
/* A success: the counters of the key start afresh. */
enum err authdb_throttle_succeeded(struct req *r, const struct throttle_key *k);
/* An attempt that tried no password (the directory did not answer): the
 * counters get it back, in its own transaction. */
enum err authdb_throttle_give_back(struct req *r, const struct throttle_key *k);
/* The person whose username is `account` (case-insensitively), 0 when
 * none: an attempt's audit row names them, not what was typed. */
enum err authdb_person_of_account(struct req *r, const char *account, int64_t *person_id);
/* Whether this browser (its device cookie's SHA-256) signed in as
 * `account` within [login] device_days. */
enum err authdb_device_known(struct req *r, const unsigned char hash[32], const char *account,
			     bool *known);
/* After a success: the browser is known for the person (again). */
enum err authdb_device_remember(struct req *r, const unsigned char hash[32], int64_t person_id);
/* The second factor's remembered browsers ([login] totp_remember_days):
 * whether this one is, for this person; remember it; forget them all. */
enum err authdb_device_second_factor(struct req *r, const unsigned char hash[32], int64_t person_id,
				     bool *remembered);
enum err authdb_device_remember_second_factor(struct req *r, const unsigned char hash[32],
					      int64_t person_id);
enum err authdb_devices_forget_second_factor(struct req *r, int64_t person_id);
/* One counter of its own (kind 'totp': the second factor's failures per
 * person), counted in its own transaction before the code is checked;
 * *wait > 0 while blocked. Cleared on a success. */
enum err authdb_throttle_count_one(struct req *r, const char *kind, const char *subject, int max,
				   int64_t *wait);
enum err authdb_throttle_clear_one(struct req *r, const char *kind, const char *subject);

/*
 * Creates or refreshes the person of the directory entry p (bound to its
 * entry_id) and replaces their directory-sourced roles, unless the
 * directory could not say them (p->roles_unknown: the stored ones stay);
 * *person_id gets their id, *active their state; login: a sign-in (the
 * last login time is set). *mismatch when the username belongs to a
 * person bound to another entry: nothing is changed but the mismatch,
 * stored for the administrator (*person_id is that person's, *active
 * false). Called by the login and the directory pick.
 */
enum err authdb_person_upsert(struct req *r, const struct ldap_person *p, bool login,
			      int64_t *person_id, bool *active, bool *mismatch);

/* The active people bound to a directory entry with an id above after,
 * at most limit of them, by id: ids[] and entry_ids[] get *n of them. */
enum err authdb_bound_people(struct req *r, int64_t after, int64_t limit, int64_t *ids,
			     const char **entry_ids, size_t *n);
/* The person's entry is gone from the directory: deactivated, and every
 * session of theirs revoked (their tokens stop at the next session check). */
enum err authdb_person_deactivate(struct req *r, int64_t person_id);

struct db_sql;
/* Every statement of auth_db.c (struct module.statements). */
extern const struct db_sql *const auth_db_statements[];

#endif
