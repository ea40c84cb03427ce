/*
 * The second factor (docs/security.md, "Second factor"): TOTP enrolment,
 * recovery codes, the admin's reset, and the pipeline's check of it. The
 * login's second step is the auth module's (server/auth.c); the codes'
 * arithmetic is server/totp.c; the SQL is server/mfa_db.c.
 */
#ifndef TUTORAT_MFA_H
#define TUTORAT_MFA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mfa_db.h"
#include "problem.h"

struct req;

#define MFA_RECOVERY_CODES 10

/*
 * The pipeline's step after the role mask (server/dispatch.c admit): a
 * route that demands a second factor refuses a session opened without
 * one (403 second_factor_required); a person whose role requires one and
 * whose session has none may reach only the routes marked
 * before_second_factor (403 totp_enrolment_required elsewhere).
 */
enum err mfa_admit(struct req *r);
/* Whether the signed-in person's roles require a second factor in their
 * académie ([academy CODE] totp_required_roles). */
bool mfa_required(const struct req *r);

/* Whether the person has confirmed a TOTP secret. */
enum err mfa_enrolled(struct req *r, int64_t person_id, bool *enrolled);

/*
 * Checks a code of the person: six digits against their TOTP secret
 * (confirmed, or the pending one when `pending`), or one of their unused
 * recovery codes (not when pending). Counted first, in its own
 * transaction, on the person's 'totp' counter (429 while it is blocked:
 * the request has failed); then a transaction is opened and left open for
 * the caller (a handler of own_transactions), holding the TOTP row: an
 * accepted code is used up in it (its step, or the recovery code), and
 * the counter is cleared. *ok says whether it was accepted, *recovery
 * whether by a recovery code.
 */
enum err mfa_check_code(struct req *r, int64_t person_id, const char *code, bool pending, bool *ok,
			bool *recovery);


#endif
