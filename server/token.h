/*
 * Access tokens: ES256 JWTs issued with libjwt and verified with libjwt
 * plus our own checks, because libjwt 1.10 alone accepts far too much (an
 * empty key accepts any token, an HS256 token keyed with the public key
 * passes, trailing garbage passes, alg is compared case-insensitively, and
 * no claim is checked). Order: shape, cache, header, claims, signature.
 */
#ifndef TUTORAT_TOKEN_H
#define TUTORAT_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct keyring;
struct config;
struct academy_cfg;

#define TOKEN_MAX_LEN 4096
#define TOKEN_SKEW    30 /* seconds of clock difference tolerated */

enum token_status {
	TOKEN_OK,
	TOKEN_MALFORMED,  /* shape, encoding, JSON, duplicate keys */
	TOKEN_BAD_HEADER, /* alg, typ, kid, unknown header fields */
	TOKEN_BAD_CLAIMS, /* a claim missing, of the wrong type or value */
	TOKEN_EXPIRED,	  /* exp passed, or nbf/iat in the future */
	TOKEN_BAD_SIGNATURE,
	TOKEN__MAX
};

struct token_claims {
	const struct academy_cfg *academy;
	int64_t person_id;
	int64_t session_id;
	int64_t exp;
};

struct token_cache;
struct token_cache *token_cache_new(void);
void token_cache_free(struct token_cache *c);

/* Returns a malloc'd token, NULL on failure. Its amr claim (RFC 8176) says
 * the factors the session was opened with: ["pwd"], or ["pwd","otp"] after
 * a second factor (informative: routes read the session's, server/mfa.c). */
char *token_issue(const struct keyring *k, const struct config *cfg, const struct academy_cfg *a,
		  int64_t person_id, int64_t session_id, bool second_factor, int64_t now);

/* cache may be NULL (every token is then verified in full). */
enum token_status token_verify(struct token_cache *cache, const struct keyring *k,
			       const struct config *cfg, const char *tok, size_t n, int64_t now,
			       struct token_claims *out);
const char *token_status_name(enum token_status s);

#endif
