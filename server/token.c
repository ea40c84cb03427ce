#include "token.h"
#include "config.h"
#include "keys.h"
#include "metrics.h"
#include "util.h"

#include <jansson.h>
#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 1024 /* per worker; ~56 KiB */

struct cache_entry {
	unsigned char digest[32];
	struct token_claims claims;
	bool used;
};

struct token_cache {
	struct cache_entry e[CACHE_SLOTS];
};

struct token_cache *token_cache_new(void)
{
	struct token_cache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		abort();
	return c;
}

void token_cache_free(struct token_cache *c) { free(c); }

const char *token_status_name(enum token_status s)
{
	static const char *const names[TOKEN__MAX] = {
	    [TOKEN_OK] = "ok",
	    [TOKEN_MALFORMED] = "malformed",
	    [TOKEN_BAD_HEADER] = "bad_header",
	    [TOKEN_BAD_CLAIMS] = "bad_claims",
	    [TOKEN_EXPIRED] = "expired",
	    [TOKEN_BAD_SIGNATURE] = "bad_signature",
	};
	return (unsigned)s < TOKEN__MAX ? names[s] : "unknown";
}

char *token_issue(const struct keyring *k, const struct config *cfg, const struct academy_cfg *a,
		  int64_t person_id, int64_t session_id, bool second_factor, int64_t now)
{
	jwt_t *jwt = NULL;
	char sub[24], sid[24], jti[24];
	unsigned char rnd[16];
	char *out = NULL;

	if (k->current == NULL || k->current->private_pem == NULL)
		return NULL;
	if (!random_bytes(rnd, sizeof(rnd)) || b64url_encode_buf(jti, sizeof(jti), rnd, 16) == 0)
		return NULL;
	snprintf(sub, sizeof(sub), "%lld", (long long)person_id);
	snprintf(sid, sizeof(sid), "%lld", (long long)session_id);
	if (jwt_new(&jwt) != 0)
		return NULL;
	if (jwt_add_header(jwt, "kid", k->current->kid) != 0 ||
	    jwt_add_grant(jwt, "iss", a->issuer) != 0 ||
	    jwt_add_grant(jwt, "aud", cfg->audience) != 0 || jwt_add_grant(jwt, "sub", sub) != 0 ||
	    jwt_add_grant(jwt, "academy", a->code) != 0 || jwt_add_grant(jwt, "sid", sid) != 0 ||
	    jwt_add_grant(jwt, "jti", jti) != 0 || jwt_add_grant_int(jwt, "iat", (long)now) != 0 ||
	    jwt_add_grant_int(jwt, "nbf", (long)now) != 0 ||
	    jwt_add_grant_int(jwt, "exp", (long)(now + cfg->token_lifetime)) != 0 ||
	    jwt_add_grants_json(jwt, second_factor ? "{\"amr\":[\"pwd\",\"otp\"]}"
						   : "{\"amr\":[\"pwd\"]}") != 0 ||
	    jwt_set_alg(jwt, JWT_ALG_ES256, (const unsigned char *)k->current->private_pem,
			(int)k->current->private_len) != 0)
		goto out;
	out = jwt_encode_str(jwt);
out:
	jwt_free(jwt);
	return out;
}

/* Decodes one base64url segment as a JSON object, refusing duplicate keys. */
static json_t *segment_json(const char *s, size_t n, size_t max)
{
	unsigned char buf[3072];
	long len;
	json_t *v;

	if (n == 0 || n > max || (n * 3) / 4 + 3 > sizeof(buf))
		return NULL;
	len = b64url_decode(buf, sizeof(buf), s, n);
	if (len <= 0)
		return NULL;
	v = json_loadb((const char *)buf, (size_t)len, JSON_REJECT_DUPLICATES, NULL);
	if (v != NULL && !json_is_object(v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static bool claim_str(json_t *claims, const char *name, const char **out)
{
	json_t *v = json_object_get(claims, name);

	if (!json_is_string(v))
		return false;
	*out = json_string_value(v);
	return true;
}

static bool claim_int(json_t *claims, const char *name, int64_t *out)
{
	json_t *v = json_object_get(claims, name);

	if (!json_is_integer(v))
		return false;
	*out = (int64_t)json_integer_value(v);
	return true;
}

static bool claim_id(json_t *claims, const char *name, int64_t *out)
{
	const char *s;

	return claim_str(claims, name, &s) && parse_int64(s, strlen(s), out) && *out > 0;
}

static enum token_status check_header(json_t *h, const struct keyring *k,
				      const struct signing_key **key)
{
	const char *name;
	json_t *v;

	json_object_foreach(h, name, v)
	{
		if (strcmp(name, "alg") != 0 && strcmp(name, "typ") != 0 &&
		    strcmp(name, "kid") != 0)
			return TOKEN_BAD_HEADER; /* crit, jku, x5u...: none is honoured */
	}
	v = json_object_get(h, "alg");
	if (!json_is_string(v) || strcmp(json_string_value(v), "ES256") != 0)
		return TOKEN_BAD_HEADER; /* exact, case-sensitive: no HS256, no "none" */
	v = json_object_get(h, "typ");
	if (v != NULL && (!json_is_string(v) || strcmp(json_string_value(v), "JWT") != 0))
		return TOKEN_BAD_HEADER;
	v = json_object_get(h, "kid");
	if (!json_is_string(v))
		return TOKEN_BAD_HEADER;
	*key = keys_find(k, json_string_value(v), json_string_length(v));
	return *key != NULL ? TOKEN_OK : TOKEN_BAD_HEADER;
}

static enum token_status check_claims(json_t *c, const struct config *cfg, int64_t now,
				      struct token_claims *out)
{
	const char *iss, *aud, *academy, *jti;
	int64_t iat, nbf, exp;
	const struct academy_cfg *a;

	if (!claim_str(c, "iss", &iss) || !claim_str(c, "aud", &aud) ||
	    !claim_str(c, "academy", &academy) || !claim_str(c, "jti", &jti) ||
	    !claim_id(c, "sub", &out->person_id) || !claim_id(c, "sid", &out->session_id) ||
	    !claim_int(c, "iat", &iat) || !claim_int(c, "nbf", &nbf) || !claim_int(c, "exp", &exp))
		return TOKEN_BAD_CLAIMS;
	a = config_academy(cfg, academy, strlen(academy));
	if (a == NULL || strcmp(iss, a->issuer) != 0 || strcmp(aud, cfg->audience) != 0)
		return TOKEN_BAD_CLAIMS;
	if (strlen(jti) < 16 || strlen(jti) > 64)
		return TOKEN_BAD_CLAIMS;
	if (exp <= iat || (uint64_t)exp - (uint64_t)iat > (uint64_t)cfg->token_lifetime ||
	    nbf < iat)
		return TOKEN_BAD_CLAIMS;
	if (iat > now + TOKEN_SKEW || nbf > now + TOKEN_SKEW || exp + TOKEN_SKEW <= now)
		return TOKEN_EXPIRED;
	out->academy = a;
	out->exp = exp;
	return TOKEN_OK;
}

enum token_status token_verify(struct token_cache *cache, const struct keyring *k,
			       const struct config *cfg, const char *tok, size_t n, int64_t now,
			       struct token_claims *out)
{
	const char *dot1, *dot2;
	unsigned char digest[32];
	struct cache_entry *slot = NULL;
	json_t *header = NULL, *claims = NULL;
	const struct signing_key *key = NULL;
	unsigned char sig[64];
	enum token_status st;
	jwt_t *jwt = NULL;
	char *copy;

	/* 1. Shape: three non-empty base64url segments, bounded. The
	 * signature is decoded strictly here (header and payload below, by
	 * the same decoder): libjwt's decoder ignores the unused low bits of
	 * the last character, so 86 characters would have 16 spellings of one
	 * 64-byte signature, each a different token to the cache. */
	if (n < 16 || n > TOKEN_MAX_LEN || memchr(tok, '\0', n) != NULL)
		return TOKEN_MALFORMED;
	dot1 = memchr(tok, '.', n);
	if (dot1 == NULL)
		return TOKEN_MALFORMED;
	dot2 = memchr(dot1 + 1, '.', n - (size_t)(dot1 + 1 - tok));
	if (dot2 == NULL || memchr(dot2 + 1, '.', n - (size_t)(dot2 + 1 - tok)) != NULL)
		return TOKEN_MALFORMED;
	size_t hn = (size_t)(dot1 - tok), pn = (size_t)(dot2 - dot1 - 1),
	       sn = n - (size_t)(dot2 + 1 - tok);

	if (hn == 0 || pn == 0 || sn != 86 || !b64url_valid(tok, hn) ||
	    !b64url_valid(dot1 + 1, pn) || b64url_decode(sig, sizeof(sig), dot2 + 1, sn) != 64)
		return TOKEN_MALFORMED; /* an ES256 signature is 64 bytes: 86 characters */

	/* 2. A token seen before is trusted until its exp, not re-verified. */
	if (cache != NULL) {
		sha256(tok, n, digest);
		slot = &cache->e[(digest[0] | (unsigned)digest[1] << 8) % CACHE_SLOTS];
		if (slot->used && memcmp(slot->digest, digest, 32) == 0) {
			if (slot->claims.exp + TOKEN_SKEW <= now)
				return TOKEN_EXPIRED;
			*out = slot->claims;
			metrics_count(METRIC_TOKEN_CACHE_HITS);
			return TOKEN_OK;
		}
	}

	/* 3. Header and claims, parsed by us, strictly. */
	header = segment_json(tok, hn, 512);
	claims = segment_json(dot1 + 1, pn, 2048);
	if (header == NULL || claims == NULL) {
		st = TOKEN_MALFORMED;
		goto out;
	}
	st = check_header(header, k, &key);
	if (st != TOKEN_OK)
		goto out;
	st = check_claims(claims, cfg, now, out);
	if (st != TOKEN_OK)
		goto out;

	/* 4. Signature, with the key the kid names; the algorithm pinned again
	 * after libjwt has decoded, never taken from the token alone. */
	metrics_count(METRIC_TOKEN_VERIFICATIONS);
	copy = strndup(tok, n);
	if (copy == NULL) {
		st = TOKEN_MALFORMED;
		goto out;
	}
	if (jwt_decode(&jwt, copy, (const unsigned char *)key->public_pem, (int)key->public_len) !=
		0 ||
	    jwt_get_alg(jwt) != JWT_ALG_ES256)
		st = TOKEN_BAD_SIGNATURE;
	free(copy);
	jwt_free(jwt);
	if (st == TOKEN_OK && slot != NULL) {
		memcpy(slot->digest, digest, 32);
		slot->claims = *out;
		slot->used = true;
	}
out:
	json_decref(header);
	json_decref(claims);
	if (st != TOKEN_OK)
		metrics_count(METRIC_TOKEN_REJECTED);
	return st;
}
