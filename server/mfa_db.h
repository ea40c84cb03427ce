/* SQL of the second factor (server/mfa_db.c): the TOTP secret, the
 * recovery codes, the login challenges. */
#ifndef TUTORAT_MFA_DB_H
#define TUTORAT_MFA_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "problem.h"

struct req;

/* How long a login challenge (password right, code awaited) lives. */
#define MFA_CHALLENGE_SECONDS 300

/* A login challenge: stored (its hash), found (the person, ERR_NOT_FOUND
 * when unknown or expired), used (deleted, with the expired ones). */
enum err mfadb_challenge_create(struct req *r, int64_t person_id, const unsigned char hash[32]);
enum err mfadb_challenge_person(struct req *r, const unsigned char hash[32], int64_t *person_id);
enum err mfadb_challenge_delete(struct req *r, const unsigned char hash[32]);

/* The person's TOTP row: *found, and its secret (in the arena), last step
 * and whether confirmed; `lock`: FOR UPDATE. */
struct mfa_totp {
	bool found, confirmed;
	const unsigned char *secret;
	size_t secret_len;
	int64_t last_step;
	int64_t recovery_left;
};
enum err mfadb_totp_get(struct req *r, int64_t person_id, bool lock, struct mfa_totp *out);
enum err mfadb_totp_start(struct req *r, int64_t person_id, const unsigned char *secret, size_t n);
enum err mfadb_totp_used(struct req *r, int64_t person_id, int64_t step, bool confirm);
/* Removes the secret, the recovery codes and the pending challenges;
 * *removed: whether there was a secret. */
enum err mfadb_totp_delete(struct req *r, int64_t person_id, bool *removed);
enum err mfadb_recovery_replace(struct req *r, int64_t person_id, unsigned char (*hashes)[32],
				size_t n);
enum err mfadb_recovery_use(struct req *r, int64_t person_id, const unsigned char hash[32],
			    bool *used);
enum err mfadb_person_exists(struct req *r, int64_t person_id, bool *found);

struct db_sql;
extern const struct db_sql *const mfa_db_statements[];

#endif
