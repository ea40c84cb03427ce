#include "keys.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *bio_text(BIO *bio, size_t *len)
{
	char *data;
	long n = BIO_get_mem_data(bio, &data);
	char *out;

	if (n <= 0)
		return NULL;
	out = malloc((size_t)n + 1);
	if (out == NULL)
		abort();
	memcpy(out, data, (size_t)n);
	out[n] = '\0';
	*len = (size_t)n;
	return out;
}

/* x, y and the RFC 7638 thumbprint of a P-256 key. */
static bool describe(EVP_PKEY *pk, char x[48], char y[48], char kid[KID_LEN + 1])
{
	BIGNUM *bx = NULL, *by = NULL;
	unsigned char bin[32], digest[32];
	char canon[160];
	bool ok = false;

	if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_EC_PUB_X, &bx) ||
	    !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_EC_PUB_Y, &by))
		goto out;
	if (BN_bn2binpad(bx, bin, 32) != 32 || b64url_encode_buf(x, 48, bin, 32) == 0)
		goto out;
	if (BN_bn2binpad(by, bin, 32) != 32 || b64url_encode_buf(y, 48, bin, 32) == 0)
		goto out;
	if (!fmt(canon, sizeof(canon),
		 "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", x, y))
		goto out;
	sha256(canon, strlen(canon), digest);
	ok = b64url_encode_buf(kid, KID_LEN + 1, digest, 32) == KID_LEN;
out:
	BN_free(bx);
	BN_free(by);
	return ok;
}

static bool is_p256(EVP_PKEY *pk)
{
	char group[32];
	size_t n = 0;

	return EVP_PKEY_get_base_id(pk) == EVP_PKEY_EC &&
	       EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
					      &n) &&
	       strcmp(group, "prime256v1") == 0;
}

static bool load_one(struct keyring *k, const char *path, bool want_private, char *err,
		     size_t errlen)
{
	FILE *fp = fopen(path, "r");
	EVP_PKEY *pk;
	BIO *bio = NULL;
	struct signing_key *sk = &k->keys[k->n];
	bool ok = false;

	if (fp == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	pk = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	if (pk == NULL || !is_p256(pk)) {
		snprintf(err, errlen, "%s: not a P-256 private key", path);
		goto out;
	}
	memset(sk, 0, sizeof(*sk));
	if (!describe(pk, sk->x, sk->y, sk->kid)) {
		snprintf(err, errlen, "%s: cannot read the public point", path);
		goto out;
	}
	bio = BIO_new(BIO_s_mem());
	if (bio == NULL || !PEM_write_bio_PUBKEY(bio, pk))
		goto out;
	sk->public_pem = bio_text(bio, &sk->public_len);
	if (want_private) {
		BIO_free(bio);
		bio = BIO_new(BIO_s_mem());
		if (bio == NULL || !PEM_write_bio_PrivateKey(bio, pk, NULL, NULL, 0, NULL, NULL))
			goto out;
		sk->private_pem = bio_text(bio, &sk->private_len);
	}
	ok = sk->public_pem != NULL && (!want_private || sk->private_pem != NULL);
	if (ok)
		k->n++;
out:
	BIO_free(bio);
	EVP_PKEY_free(pk);
	return ok;
}

struct keyring *keys_load(const char *dir, char *err, size_t errlen)
{
	struct keyring *k = calloc(1, sizeof(*k));
	char path[4096], current[KID_LEN + 2] = "";
	DIR *d;
	struct dirent *de;
	FILE *fp;

	if (k == NULL)
		abort();
	if (!fmt(path, sizeof(path), "%s/current", dir) || (fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen,
			 "no signing key: %s/current is missing (tutoratctl keys generate)", dir);
		free(k);
		return NULL;
	}
	if (fgets(current, sizeof(current), fp) == NULL)
		current[0] = '\0';
	fclose(fp);
	current[strcspn(current, "\r\n")] = '\0';

	d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		free(k);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n != KID_LEN + 4 || strcmp(de->d_name + KID_LEN, ".pem") != 0)
			continue;
		if (k->n == KEYS_MAX) {
			snprintf(err, errlen, "%s: more than %d keys; remove retired ones", dir,
				 KEYS_MAX);
			goto fail;
		}
		bool is_current =
		    strncmp(de->d_name, current, KID_LEN) == 0 && strlen(current) == KID_LEN;

		if (!fmt(path, sizeof(path), "%s/%s", dir, de->d_name) ||
		    !load_one(k, path, is_current, err, errlen))
			goto fail;
		if (strncmp(k->keys[k->n - 1].kid, de->d_name, KID_LEN) != 0) {
			snprintf(err, errlen, "%s: file name does not match the key's thumbprint",
				 path);
			goto fail;
		}
		if (is_current)
			k->current = &k->keys[k->n - 1];
	}
	closedir(d);
	if (k->current == NULL) {
		snprintf(err, errlen, "no signing key: %s/current names no key file in %s", dir,
			 dir);
		keys_free(k);
		return NULL;
	}
	return k;
fail:
	closedir(d);
	keys_free(k);
	return NULL;
}

void keys_free(struct keyring *k)
{
	if (k == NULL)
		return;
	for (size_t i = 0; i < k->n; i++) {
		if (k->keys[i].private_pem != NULL) {
			OPENSSL_cleanse(k->keys[i].private_pem, k->keys[i].private_len);
			free(k->keys[i].private_pem);
		}
		free(k->keys[i].public_pem);
	}
	free(k);
}

const struct signing_key *keys_find(const struct keyring *k, const char *kid, size_t n)
{
	if (n != KID_LEN)
		return NULL;
	for (size_t i = 0; i < k->n; i++)
		if (memcmp(k->keys[i].kid, kid, KID_LEN) == 0)
			return &k->keys[i];
	return NULL;
}

/* Switches the signing key atomically: write current.tmp, rename. */
static bool write_current(const char *dir, const char *kid, char *err, size_t errlen)
{
	char path[4096], tmp[4096];
	FILE *fp;

	if (!fmt(tmp, sizeof(tmp), "%s/current.tmp", dir) ||
	    !fmt(path, sizeof(path), "%s/current", dir) || (fp = fopen(tmp, "w")) == NULL) {
		snprintf(err, errlen, "%s: cannot write", dir);
		return false;
	}
	fprintf(fp, "%s\n", kid);
	if (fclose(fp) != 0 || rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	return true;
}

bool keys_activate(const char *dir, const char *kid, char *err, size_t errlen)
{
	char path[4096];

	if (strlen(kid) != KID_LEN || !b64url_valid(kid, KID_LEN) ||
	    !fmt(path, sizeof(path), "%s/%s.pem", dir, kid) || access(path, R_OK) != 0) {
		snprintf(err, errlen, "no key %s in %s", kid, dir);
		return false;
	}
	return write_current(dir, kid, err, errlen);
}

bool keys_generate(const char *dir, bool make_current, char kid[KID_LEN + 1], char *err,
		   size_t errlen)
{
	EVP_PKEY *pk = EVP_EC_gen("P-256");
	char x[48], y[48], path[4096];
	FILE *fp = NULL;
	int fd;
	bool ok = false;

	if (pk == NULL || !describe(pk, x, y, kid)) {
		snprintf(err, errlen, "key generation failed");
		goto out;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		goto out;
	}
	if (!fmt(path, sizeof(path), "%s/%s.pem", dir, kid))
		goto out;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	if (!PEM_write_PrivateKey(fp, pk, NULL, NULL, 0, NULL, NULL) || fclose(fp) != 0) {
		fp = NULL;
		snprintf(err, errlen, "%s: write failed", path);
		goto out;
	}
	fp = NULL;
	if (make_current && !write_current(dir, kid, err, errlen))
		goto out;
	ok = true;
out:
	if (fp != NULL)
		fclose(fp);
	EVP_PKEY_free(pk);
	return ok;
}

char *keys_jwks(const struct keyring *k)
{
	json_t *keys = json_array(), *doc;
	char *out;

	for (size_t i = 0; i < k->n; i++)
		json_array_append_new(keys, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kty",
						      "EC", "crv", "P-256", "x", k->keys[i].x, "y",
						      k->keys[i].y, "kid", k->keys[i].kid, "use",
						      "sig", "alg", "ES256"));
	doc = json_pack("{s:o}", "keys", keys);
	out = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return out;
}
