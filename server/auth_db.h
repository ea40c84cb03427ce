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
};

/* ERR_NOT_FOUND when the session is unknown, expired, revoked or its
 * person deactivated. */
enum err authdb_session_by_id(struct req *r, int64_t sid, struct session_row *out);
enum err authdb_session_by_secret(struct req *r, const unsigned char hash[32],
				  struct session_row *out);
enum err authdb_session_create(struct req *r, int64_t person_id, const unsigned char hash[32],
			       int64_t *sid);
enum err authdb_session_revoke(struct req *r, int64_t sid);
/* Revokes every open session of the académie; *count gets how many. */
enum err authdb_sessions_revoke_all(struct req *r, uint64_t *count);

/* Counts an attempt in its own transaction, committed unless refused:
 * *wait > 0 (seconds) when the account or the address is blocked, the
 * attempt then not counted. For a route with own_transactions. */
enum err authdb_throttle_count(struct req *r, const char *account, const char *address,
			       int64_t *wait);
/* Seconds until the account or the address may try again; 0 if free. */
enum err authdb_throttle_wait(struct req *r, const char *account, const char *address,
			      int64_t *wait);
/* Counts one attempt on the account and the address (locking both rows
 * until the transaction ends). */
enum err authdb_throttle_fail(struct req *r, const char *account, const char *address);
/* After counting: seconds to wait when this attempt is beyond a limit. */
enum err authdb_throttle_over(struct req *r, const char *account, const char *address,
			      int64_t *wait);
/* A success: the account starts afresh, the address gets its count back. */
enum err authdb_throttle_succeeded(struct req *r, const char *account, const char *address);
/* An attempt that tried no password (the directory did not answer): the
 * account and the address get its count back, in its own transaction. */
enum err authdb_throttle_give_back(struct req *r, const char *account, const char *address);

/* Creates or refreshes the person from the directory and replaces their
 * directory-sourced roles, unless the directory could not say them
 * (p->roles_unknown: the stored ones stay); *person_id gets their id,
 * *active their state. */
enum err authdb_person_upsert(struct req *r, const struct ldap_person *p, int64_t *person_id,
			      bool *active);

struct db_sql;
/* Every statement of auth_db.c (struct module.statements). */
extern const struct db_sql *const auth_db_statements[];

#endif
