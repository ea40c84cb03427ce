/*
 * The ES256 keys: every `<kid>.pem` (a P-256 private key) in keys_dir
 * verifies; the one named in keys_dir/current signs. kid is the key's
 * RFC 7638 thumbprint. Loaded at start-up; tutoratd refuses to start
 * without a signing key, so libjwt is never handed an empty key.
 */
#ifndef TUTORAT_KEYS_H
#define TUTORAT_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#define KEYS_MAX 8
#define KID_LEN	 43

struct signing_key {
	char kid[KID_LEN + 1];
	char *private_pem; /* only for the current key */
	size_t private_len;
	char *public_pem;
	size_t public_len;
	char x[48], y[48]; /* base64url coordinates for the JWKS */
};

struct keyring {
	struct signing_key keys[KEYS_MAX];
	size_t n;
	const struct signing_key *current;
};

struct keyring *keys_load(const char *dir, char *err, size_t errlen);
void keys_free(struct keyring *k);
const struct signing_key *keys_find(const struct keyring *k, const char *kid, size_t n);
/* Creates a new key in dir (and makes it the signing key if make_current);
 * writes its kid. */
bool keys_generate(const char *dir, bool make_current, char kid_out[KID_LEN + 1], char *err,
		   size_t errlen);
/* Makes an existing key the signing key. */
bool keys_activate(const char *dir, const char *kid, char *err, size_t errlen);
/* The JWKS document, malloc'd. */
char *keys_jwks(const struct keyring *k);

#endif
