/*
 * server/token.c and server/keys.c: tokens issued by token_issue verify;
 * every token that should be refused is refused with the exact status;
 * the cache serves a verified token without verifying it again, and
 * nothing else.
 *
 * Crafted tokens are signed here with OpenSSL (ECDSA P-256 / SHA-256, the
 * DER signature converted to the 64-byte r||s of RFC 7518), so a refusal
 * is the check under test refusing, never a bad signature by accident:
 * test_crafted_baseline_ok shows an untouched crafted token passes.
 */
#include "unit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <jwt.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include "config.h"
#include "keys.h"
#include "metrics.h"
#include "token.h"
#include "util.h"

#define NOW	 INT64_C(1767225600) /* 2026-01-01T00:00:00Z */
#define LIFETIME 600		     /* token_lifetime in UNIT_BASE_INI */
#define LYON_ISS "https://tutorat.ac-lyon.fr"
#define GREN_ISS "https://tutorat.ac-grenoble.fr"

static char *tmp;
static struct keyring *ring;	   /* our keys: the one that signs */
static struct keyring *other_ring; /* a keyring holding another key only */
static struct config *cfg;
static const struct academy_cfg *lyon;
static EVP_PKEY *our_pk;   /* the private key of ring->current */
static EVP_PKEY *other_pk; /* a P-256 key that is not ours */
static char kid[KID_LEN + 1];

/* ---- crafting ---- */

/* The 64-byte r||s ES256 signature of input, base64url, malloc'd. */
static char *es256_sign(EVP_PKEY *pk, const char *input)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char der[80], rs[64];
	const unsigned char *p = der;
	size_t derlen = sizeof(der);
	ECDSA_SIG *sig;
	const BIGNUM *r, *s;

	if (ctx == NULL || EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, pk) != 1 ||
	    EVP_DigestSign(ctx, der, &derlen, (const unsigned char *)input, strlen(input)) != 1)
		unit_die("EVP_DigestSign");
	EVP_MD_CTX_free(ctx);
	sig = d2i_ECDSA_SIG(NULL, &p, (long)derlen);
	if (sig == NULL)
		unit_die("d2i_ECDSA_SIG");
	ECDSA_SIG_get0(sig, &r, &s);
	if (BN_bn2binpad(r, rs, 32) != 32 || BN_bn2binpad(s, rs + 32, 32) != 32)
		unit_die("BN_bn2binpad");
	ECDSA_SIG_free(sig);
	return unit_b64url(rs, sizeof(rs));
}

/* b64(header).b64(payload).sig, the signature made with pk. */
static char *craft_raw(const char *header, const char *payload, EVP_PKEY *pk)
{
	char *h = unit_b64url(header, strlen(header)), *p = unit_b64url(payload, strlen(payload));
	char *input = NULL, *sig, *tok = NULL;

	if (asprintf(&input, "%s.%s", h, p) < 0)
		unit_die("asprintf");
	sig = es256_sign(pk, input);
	if (asprintf(&tok, "%s.%s", input, sig) < 0)
		unit_die("asprintf");
	free(h);
	free(p);
	free(input);
	free(sig);
	return tok;
}

/* Same, from JSON values (taken: they are released here). */
static char *craft(json_t *header, json_t *claims, EVP_PKEY *pk)
{
	char *h = json_dumps(header, JSON_COMPACT), *c = json_dumps(claims, JSON_COMPACT);
	char *tok;

	if (h == NULL || c == NULL)
		unit_die("json_dumps");
	tok = craft_raw(h, c, pk);
	free(h);
	free(c);
	json_decref(header);
	json_decref(claims);
	return tok;
}

static json_t *std_header(void)
{
	return json_pack("{s:s, s:s, s:s}", "alg", "ES256", "typ", "JWT", "kid", kid);
}

/* What token_issue would put in a token for person 42, session 7, at NOW. */
static json_t *std_claims(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "iss", LYON_ISS, "aud",
			 "tutorat", "sub", "42", "academy", "lyon", "sid", "7", "jti",
			 "q1w2e3r4t5y6u7i8o9p0", "iat", (json_int_t)NOW, "nbf", (json_int_t)NOW,
			 "exp", (json_int_t)(NOW + LIFETIME));
}

static enum token_status verify_at(const char *tok, int64_t now, struct token_claims *out)
{
	return token_verify(NULL, ring, cfg, tok, strlen(tok), now, out);
}

static enum token_status verify(const char *tok)
{
	struct token_claims c;

	return verify_at(tok, NOW, &c);
}

/* Verifies a token made of std_header() and claims, signed with our key. */
static enum token_status verify_claims(json_t *claims, int64_t now)
{
	char *tok = craft(std_header(), claims, our_pk);
	struct token_claims c;
	enum token_status st = verify_at(tok, now, &c);

	free(tok);
	return st;
}

static enum token_status verify_header(json_t *header)
{
	char *tok = craft(header, std_claims(), our_pk);
	enum token_status st = verify(tok);

	free(tok);
	return st;
}

static EVP_PKEY *pem_private(const char *pem, size_t n)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)n);
	EVP_PKEY *pk = bio != NULL ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	if (pk == NULL)
		unit_die("PEM_read_bio_PrivateKey");
	return pk;
}

static unsigned long long metric(const char *name)
{
	char *text = metrics_render(NULL, NULL, 0), *at;
	unsigned long long v = 0;
	char key[128];

	snprintf(key, sizeof(key), "\n%s ", name);
	at = text != NULL ? strstr(text, key) : NULL;
	if (at == NULL || sscanf(at + strlen(key), "%llu", &v) != 1)
		unit_die("metric not rendered");
	free(text);
	return v;
}

/* ---- fixtures ---- */

static int setup(void **state)
{
	char err[512], *keys, *other, *ini;

	(void)state;
	tmp = unit_tmpdir();
	keys = unit_path(tmp, "keys");
	other = unit_path(tmp, "other-keys");
	if (!keys_generate(keys, true, kid, err, sizeof(err)) || strlen(kid) != KID_LEN)
		unit_die(err);
	ring = keys_load(keys, err, sizeof(err));
	if (ring == NULL)
		unit_die(err);
	char other_kid[KID_LEN + 1];

	if (!keys_generate(other, true, other_kid, err, sizeof(err)))
		unit_die(err);
	other_ring = keys_load(other, err, sizeof(err));
	if (other_ring == NULL)
		unit_die(err);
	unit_write_secrets(tmp);
	unit_write(tmp, "tutorat.ini",
		   UNIT_BASE_INI "[academy grenoble]\n"
				 "name = Académie de Grenoble\n"
				 "issuer = " GREN_ISS "\n"
				 "ldap_uri = ldaps://ldap.ac-grenoble.fr\n"
				 "bind_dn = cn=tutorat,ou=services,dc=ac-grenoble,dc=fr\n"
				 "bind_password_file = secrets/ldap_grenoble\n"
				 "search_base = ou=people,dc=ac-grenoble,dc=fr\n"
				 "user_filter = (uid=%s)\n");
	ini = unit_path(tmp, "tutorat.ini");
	cfg = config_load(ini, err, sizeof(err));
	if (cfg == NULL)
		unit_die(err);
	lyon = config_academy(cfg, "lyon", 4);
	if (lyon == NULL || cfg->token_lifetime != LIFETIME)
		unit_die("config");
	our_pk = pem_private(ring->current->private_pem, ring->current->private_len);
	other_pk = pem_private(other_ring->current->private_pem, other_ring->current->private_len);
	metrics_init(0);
	free(keys);
	free(other);
	free(ini);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(our_pk);
	EVP_PKEY_free(other_pk);
	config_free(cfg);
	keys_free(ring);
	keys_free(other_ring);
	unit_rmtree(tmp);
	free(tmp);
	return 0;
}

/* ---- keys.c ---- */

static void test_keys_loaded(void **state)
{
	(void)state;
	assert_int_equal(ring->n, 1);
	assert_non_null(ring->current);
	assert_string_equal(ring->current->kid, kid);
	assert_non_null(ring->current->private_pem);
	assert_non_null(strstr(ring->current->public_pem, "BEGIN PUBLIC KEY"));
	assert_ptr_equal(keys_find(ring, kid, KID_LEN), ring->current);
	assert_null(keys_find(ring, kid, KID_LEN - 1));
	assert_null(keys_find(ring, other_ring->current->kid, KID_LEN));
	assert_true(b64url_valid(kid, KID_LEN));
}

/* kid is the RFC 7638 thumbprint of the public key: recomputed from x, y. */
static void test_keys_kid_is_thumbprint(void **state)
{
	char canon[200], *expect;
	unsigned char digest[32];

	(void)state;
	snprintf(canon, sizeof(canon),
		 "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", ring->current->x,
		 ring->current->y);
	sha256(canon, strlen(canon), digest);
	expect = unit_b64url(digest, 32);
	assert_string_equal(kid, expect);
	assert_int_equal(strlen(ring->current->x), 43);
	free(expect);
}

static void test_keys_jwks(void **state)
{
	char *doc = keys_jwks(ring);
	json_t *j = json_loads(doc, 0, NULL), *k0;

	(void)state;
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "keys")), 1);
	k0 = json_array_get(json_object_get(j, "keys"), 0);
	assert_string_equal(json_string_value(json_object_get(k0, "kid")), kid);
	assert_string_equal(json_string_value(json_object_get(k0, "alg")), "ES256");
	assert_string_equal(json_string_value(json_object_get(k0, "crv")), "P-256");
	assert_null(json_object_get(k0, "d")); /* never the private part */
	json_decref(j);
	free(doc);
}

/* A rotation: the new key signs, the old one still verifies. */
static void test_keys_rotation(void **state)
{
	char err[512], kid2[KID_LEN + 1], *dir = unit_path(tmp, "rotation");
	struct keyring *k1, *k2;
	char *old_tok, *new_tok;
	struct token_claims c;

	(void)state;
	assert_true(keys_generate(dir, true, kid2, err, sizeof(err)));
	k1 = keys_load(dir, err, sizeof(err));
	assert_non_null(k1);
	old_tok = token_issue(k1, cfg, lyon, 42, 7, false, NOW);
	assert_non_null(old_tok);
	char kid3[KID_LEN + 1];

	assert_true(keys_generate(dir, true, kid3, err, sizeof(err)));
	assert_string_not_equal(kid2, kid3);
	k2 = keys_load(dir, err, sizeof(err));
	assert_non_null(k2);
	assert_int_equal(k2->n, 2);
	assert_string_equal(k2->current->kid, kid3);
	assert_non_null(keys_find(k2, kid2, KID_LEN));
	assert_null(keys_find(k2, kid2, KID_LEN)->private_pem); /* retired: verifies only */
	assert_int_equal(token_verify(NULL, k2, cfg, old_tok, strlen(old_tok), NOW, &c), TOKEN_OK);
	new_tok = token_issue(k2, cfg, lyon, 42, 7, false, NOW);
	assert_non_null(new_tok);
	assert_int_equal(token_verify(NULL, k2, cfg, new_tok, strlen(new_tok), NOW, &c), TOKEN_OK);
	/* The old keyring does not know the new key. */
	assert_int_equal(token_verify(NULL, k1, cfg, new_tok, strlen(new_tok), NOW, &c),
			 TOKEN_BAD_HEADER);
	free(old_tok);
	free(new_tok);
	keys_free(k1);
	keys_free(k2);
	free(dir);
}

/* Two-phase rotation: a key added without being made current verifies at
 * once everywhere; keys_activate later makes it sign. */
static void test_keys_add_then_activate(void **state)
{
	char err[512], first[KID_LEN + 1], added[KID_LEN + 1], *dir = unit_path(tmp, "two-phase");
	struct keyring *k;
	char *tok;
	struct token_claims c;

	(void)state;
	assert_true(keys_generate(dir, true, first, err, sizeof(err)));
	assert_true(keys_generate(dir, false, added, err, sizeof(err)));
	k = keys_load(dir, err, sizeof(err));
	assert_non_null(k);
	assert_int_equal(k->n, 2);
	assert_string_equal(k->current->kid, first);
	assert_non_null(keys_find(k, added, KID_LEN));
	keys_free(k);
	/* Activated: the added key signs. */
	assert_true(keys_activate(dir, added, err, sizeof(err)));
	k = keys_load(dir, err, sizeof(err));
	assert_non_null(k);
	assert_string_equal(k->current->kid, added);
	tok = token_issue(k, cfg, lyon, 42, 7, false, NOW);
	assert_non_null(tok);
	assert_int_equal(token_verify(NULL, k, cfg, tok, strlen(tok), NOW, &c), TOKEN_OK);
	free(tok);
	keys_free(k);
	/* Refused: a kid with no key file, and names that are no kid. */
	err[0] = '\0';
	assert_false(keys_activate(dir, other_ring->current->kid, err, sizeof(err)));
	assert_non_null(strstr(err, "no key"));
	assert_false(keys_activate(dir, "../../../etc/passwd", err, sizeof(err)));
	assert_false(keys_activate(dir, "", err, sizeof(err)));
	char bad[KID_LEN + 1];

	memcpy(bad, added, sizeof(bad));
	bad[5] = '/';
	assert_false(keys_activate(dir, bad, err, sizeof(err)));
	/* The refusals left the signing key alone. */
	k = keys_load(dir, err, sizeof(err));
	assert_non_null(k);
	assert_string_equal(k->current->kid, added);
	keys_free(k);
	free(dir);
}

static void test_keys_load_refusals(void **state)
{
	char err[512], *dir = unit_path(tmp, "broken"), *path;
	char kid2[KID_LEN + 1];

	(void)state;
	/* No current file. */
	unit_write(dir, "readme", "x");
	err[0] = '\0';
	assert_null(keys_load(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "current is missing"));
	/* current names a key that is not there. */
	unit_write(dir, "current", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
	assert_null(keys_load(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "names no key file"));
	/* A key file whose name is not its thumbprint. */
	assert_true(keys_generate(dir, true, kid2, err, sizeof(err)));
	char *from = NULL, *to = NULL;

	if (asprintf(&from, "%s/%s.pem", dir, kid2) < 0 ||
	    asprintf(&to, "%s/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB.pem", dir) < 0)
		unit_die("asprintf");
	assert_int_equal(rename(from, to), 0);
	assert_null(keys_load(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "does not match"));
	remove(to);
	/* A key file that is not a key. */
	path = unit_path(dir, "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC.pem");
	unit_write(dir, "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC.pem", "not a pem\n");
	assert_null(keys_load(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "not a P-256 private key"));
	free(from);
	free(to);
	free(path);
	free(dir);
}

/* ---- issue and verify ---- */

static void test_issue_verify(void **state)
{
	char *tok = token_issue(ring, cfg, lyon, 42, 7, false, NOW);
	struct token_claims c;

	(void)state;
	assert_non_null(tok);
	memset(&c, 0, sizeof(c));
	assert_int_equal(verify_at(tok, NOW, &c), TOKEN_OK);
	assert_ptr_equal(c.academy, lyon);
	assert_int_equal(c.person_id, 42);
	assert_int_equal(c.session_id, 7);
	assert_int_equal(c.exp, NOW + LIFETIME);
	/* Valid all its life, and for the skew after it. */
	assert_int_equal(verify_at(tok, NOW + LIFETIME - 1, &c), TOKEN_OK);
	assert_int_equal(verify_at(tok, NOW + LIFETIME + TOKEN_SKEW - 1, &c), TOKEN_OK);
	assert_int_equal(verify_at(tok, NOW + LIFETIME + TOKEN_SKEW, &c), TOKEN_EXPIRED);
	free(tok);
}

/* What token_issue writes: the claims and header token_verify demands. */
static void test_issue_contents(void **state)
{
	char *tok = token_issue(ring, cfg, cfg->academies[1], 9007199254740991, 3, false, NOW);
	unsigned char buf[1024];
	const char *d1, *d2;
	long n;
	json_t *h, *p;

	(void)state;
	assert_non_null(tok);
	d1 = strchr(tok, '.');
	d2 = strchr(d1 + 1, '.');
	assert_int_equal(strlen(d2 + 1), 86);
	n = b64url_decode(buf, sizeof(buf), tok, (size_t)(d1 - tok));
	assert_true(n > 0);
	h = json_loadb((const char *)buf, (size_t)n, JSON_REJECT_DUPLICATES, NULL);
	n = b64url_decode(buf, sizeof(buf), d1 + 1, (size_t)(d2 - d1 - 1));
	assert_true(n > 0);
	p = json_loadb((const char *)buf, (size_t)n, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(h);
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(h, "alg")), "ES256");
	assert_string_equal(json_string_value(json_object_get(h, "kid")), kid);
	assert_string_equal(json_string_value(json_object_get(p, "iss")), GREN_ISS);
	assert_string_equal(json_string_value(json_object_get(p, "aud")), "tutorat");
	assert_string_equal(json_string_value(json_object_get(p, "academy")), "grenoble");
	assert_string_equal(json_string_value(json_object_get(p, "sub")), "9007199254740991");
	assert_string_equal(json_string_value(json_object_get(p, "sid")), "3");
	assert_int_equal(json_integer_value(json_object_get(p, "iat")), NOW);
	assert_int_equal(json_integer_value(json_object_get(p, "nbf")), NOW);
	assert_int_equal(json_integer_value(json_object_get(p, "exp")), NOW + LIFETIME);
	assert_true(json_string_length(json_object_get(p, "jti")) >= 16);
	json_decref(h);
	json_decref(p);
	free(tok);
}

/* Two tokens issued for the same person and second differ (jti). */
static void test_issue_unique(void **state)
{
	char *a = token_issue(ring, cfg, lyon, 42, 7, false, NOW),
	     *b = token_issue(ring, cfg, lyon, 42, 7, false, NOW);

	(void)state;
	assert_string_not_equal(a, b);
	free(a);
	free(b);
}

static void test_crafted_baseline_ok(void **state)
{
	char *tok = craft(std_header(), std_claims(), our_pk);
	struct token_claims c;

	(void)state;
	assert_int_equal(verify_at(tok, NOW, &c), TOKEN_OK);
	assert_int_equal(c.person_id, 42);
	assert_int_equal(c.session_id, 7);
	assert_ptr_equal(c.academy, lyon);
	free(tok);
}

/* ---- shape ---- */

static void test_shape_empty(void **state)
{
	struct token_claims c;

	(void)state;
	assert_int_equal(token_verify(NULL, ring, cfg, "", 0, NOW, &c), TOKEN_MALFORMED);
	assert_int_equal(verify(".."), TOKEN_MALFORMED);
}

static void test_shape_too_long(void **state)
{
	char *tok = calloc(1, TOKEN_MAX_LEN + 2);

	(void)state;
	memset(tok, 'A', TOKEN_MAX_LEN + 1);
	tok[100] = '.';
	tok[200] = '.';
	assert_int_equal(verify(tok), TOKEN_MALFORMED);
	free(tok);
}

/* The payload segment is bounded (2048 characters) below TOKEN_MAX_LEN. */
static void test_shape_payload_bound(void **state)
{
	char pad[1600];

	(void)state;
	for (size_t want = 1536; want <= 1537; want++) {
		json_t *claims = std_claims();
		char *dump = json_dumps(claims, JSON_COMPACT);
		/* ,"pad":"..." adds 9 bytes plus the padding. */
		size_t fill = want - strlen(dump) - 9;

		free(dump);
		memset(pad, 'x', fill);
		pad[fill] = '\0';
		json_object_set_new(claims, "pad", json_string(pad));
		dump = json_dumps(claims, JSON_COMPACT);
		assert_int_equal(strlen(dump), want);
		free(dump);
		/* 1536 bytes: 2048 characters, accepted; 1537: 2050, refused. */
		assert_int_equal(verify_claims(claims, NOW),
				 want == 1536 ? TOKEN_OK : TOKEN_MALFORMED);
	}
}

static void test_shape_two_segments(void **state)
{
	char *tok = craft(std_header(), std_claims(), our_pk);

	(void)state;
	*strrchr(tok, '.') = '\0';
	assert_int_equal(verify(tok), TOKEN_MALFORMED);
	free(tok);
}

static void test_shape_four_segments(void **state)
{
	char *tok = craft(std_header(), std_claims(), our_pk), *four = NULL;

	(void)state;
	if (asprintf(&four, "%s.AAAA", tok) < 0)
		unit_die("asprintf");
	assert_int_equal(verify(four), TOKEN_MALFORMED);
	/* A fourth segment in the middle: sig of 86 then an extra dot. */
	free(four);
	if (asprintf(&four, "%.*s.%s", (int)(strchr(tok, '.') - tok), tok, strchr(tok, '.')) < 0)
		unit_die("asprintf");
	assert_int_equal(verify(four), TOKEN_MALFORMED);
	free(four);
	free(tok);
}

static void test_shape_empty_segment(void **state)
{
	char *tok = craft(std_header(), std_claims(), our_pk), *bad = NULL;
	const char *sig = strrchr(tok, '.') + 1;

	(void)state;
	if (asprintf(&bad, "..%s", sig) < 0)
		unit_die("asprintf");
	assert_int_equal(verify(bad), TOKEN_MALFORMED);
	free(bad);
	free(tok);
}

/* Standard base64 characters, padding, spaces: not base64url. */
static void test_shape_non_base64url(void **state)
{
	static const char bad[] = {'+', '/', '=', ' ', '\n', '%', '\x80'};
	char *tok = craft(std_header(), std_claims(), our_pk);
	size_t in_payload = (size_t)(strchr(tok, '.') - tok) + 5;
	size_t in_header = 3;
	size_t in_sig = strlen(tok) - 10;

	(void)state;
	for (size_t i = 0; i < sizeof(bad); i++) {
		size_t where[] = {in_header, in_payload, in_sig};

		for (size_t w = 0; w < 3; w++) {
			char *t = strdup(tok);

			t[where[w]] = bad[i];
			assert_int_equal(verify(t), TOKEN_MALFORMED);
			free(t);
		}
	}
	free(tok);
}

static void test_shape_trailing_garbage(void **state)
{
	char *tok = craft(std_header(), std_claims(), our_pk), *bad = NULL;

	(void)state;
	if (asprintf(&bad, "%s!!!", tok) < 0)
		unit_die("asprintf");
	assert_int_equal(verify(bad), TOKEN_MALFORMED);
	free(bad);
	free(tok);
}

static void test_shape_nul_inside(void **state)
{
	char *tok = craft(std_header(), std_claims(), our_pk);
	struct token_claims c;
	size_t n = strlen(tok);

	(void)state;
	tok[5] = '\0';
	assert_int_equal(token_verify(NULL, ring, cfg, tok, n, NOW, &c), TOKEN_MALFORMED);
	free(tok);
}

static void test_shape_signature_length(void **state)
{
	char *tok = craft(std_header(), std_claims(), our_pk), *bad = NULL;

	(void)state;
	assert_int_equal(strlen(strrchr(tok, '.') + 1), 86);
	bad = strdup(tok);
	bad[strlen(bad) - 1] = '\0'; /* 85 */
	assert_int_equal(verify(bad), TOKEN_MALFORMED);
	free(bad);
	if (asprintf(&bad, "%sA", tok) < 0) /* 87 */
		unit_die("asprintf");
	assert_int_equal(verify(bad), TOKEN_MALFORMED);
	free(bad);
	if (asprintf(&bad, "%sAA", tok) < 0) /* 88 */
		unit_die("asprintf");
	assert_int_equal(verify(bad), TOKEN_MALFORMED);
	free(bad);
	free(tok);
}

/* base64url's last character carries unused low bits when the segment's
 * bit count is not a multiple of 8 (86 signature characters carry 516 bits
 * for 512): setting them spells the same bytes another way. Each such
 * spelling is refused, so a token has exactly one accepted form. */
static void test_shape_other_spelling(void **state)
{
	static const char B64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	char *tok = craft(std_header(), std_claims(), our_pk);
	char *d1 = strchr(tok, '.'), *d2 = strrchr(tok, '.');
	const char *seg_end[3] = {d1, d2, tok + strlen(tok)};
	size_t seg_len[3] = {(size_t)(d1 - tok), (size_t)(d2 - d1 - 1), strlen(d2 + 1)};
	int tried = 0;

	(void)state;
	assert_int_equal(verify(tok), TOKEN_OK);
	for (int s = 0; s < 3; s++) {
		size_t last = (size_t)(seg_end[s] - 1 - tok);
		int unused = (int)(seg_len[s] * 6 % 8);
		int v = (int)(strchr(B64, tok[last]) - B64);

		assert_int_equal(v & ((1 << unused) - 1), 0); /* our encoder's spelling */
		for (int k = 1; k < (1 << unused); k++) {
			char *t = strdup(tok);

			t[last] = B64[v | k];
			assert_int_equal(verify(t), TOKEN_MALFORMED);
			free(t);
			tried++;
		}
	}
	assert_true(tried >= 15); /* the signature's 15 other spellings at least */
	free(tok);
}

/* ---- header ---- */

static void test_header_alg_none(void **state)
{
	(void)state;
	assert_int_equal(
	    verify_header(json_pack("{s:s, s:s, s:s}", "alg", "none", "typ", "JWT", "kid", kid)),
	    TOKEN_BAD_HEADER);
}

static void test_header_alg_hs256(void **state)
{
	(void)state;
	assert_int_equal(
	    verify_header(json_pack("{s:s, s:s, s:s}", "alg", "HS256", "typ", "JWT", "kid", kid)),
	    TOKEN_BAD_HEADER);
}

/* libjwt compares alg without case; we do not. */
static void test_header_alg_lowercase(void **state)
{
	(void)state;
	assert_int_equal(
	    verify_header(json_pack("{s:s, s:s, s:s}", "alg", "es256", "typ", "JWT", "kid", kid)),
	    TOKEN_BAD_HEADER);
}

static void test_header_alg_missing(void **state)
{
	(void)state;
	assert_int_equal(verify_header(json_pack("{s:s, s:s}", "typ", "JWT", "kid", kid)),
			 TOKEN_BAD_HEADER);
}

static void test_header_alg_not_string(void **state)
{
	(void)state;
	assert_int_equal(verify_header(json_pack("{s:[s], s:s}", "alg", "ES256", "kid", kid)),
			 TOKEN_BAD_HEADER);
}

static void test_header_kid_missing(void **state)
{
	(void)state;
	assert_int_equal(verify_header(json_pack("{s:s, s:s}", "alg", "ES256", "typ", "JWT")),
			 TOKEN_BAD_HEADER);
}

static void test_header_kid_unknown(void **state)
{
	(void)state;
	assert_int_equal(
	    verify_header(json_pack("{s:s, s:s}", "alg", "ES256", "kid", other_ring->current->kid)),
	    TOKEN_BAD_HEADER);
	/* A prefix of ours, and ours with one more character. */
	char longer[KID_LEN + 2];

	snprintf(longer, sizeof(longer), "%sA", kid);
	assert_int_equal(
	    verify_header(json_pack("{s:s, s:s#}", "alg", "ES256", "kid", kid, (int)KID_LEN - 1)),
	    TOKEN_BAD_HEADER);
	assert_int_equal(verify_header(json_pack("{s:s, s:s}", "alg", "ES256", "kid", longer)),
			 TOKEN_BAD_HEADER);
}

static void test_header_kid_not_string(void **state)
{
	(void)state;
	assert_int_equal(verify_header(json_pack("{s:s, s:i}", "alg", "ES256", "kid", 1)),
			 TOKEN_BAD_HEADER);
}

static void test_header_extra_member(void **state)
{
	(void)state;
	assert_int_equal(verify_header(json_pack("{s:s, s:s, s:s}", "alg", "ES256", "kid", kid,
						 "jku", "https://evil.example/jwks.json")),
			 TOKEN_BAD_HEADER);
	assert_int_equal(verify_header(json_pack("{s:s, s:s, s:[s]}", "alg", "ES256", "kid", kid,
						 "crit", "exp")),
			 TOKEN_BAD_HEADER);
}

static void test_header_typ(void **state)
{
	(void)state;
	assert_int_equal(
	    verify_header(json_pack("{s:s, s:s, s:s}", "alg", "ES256", "typ", "JWS", "kid", kid)),
	    TOKEN_BAD_HEADER);
	assert_int_equal(
	    verify_header(json_pack("{s:s, s:i, s:s}", "alg", "ES256", "typ", 1, "kid", kid)),
	    TOKEN_BAD_HEADER);
	/* typ is optional. */
	assert_int_equal(verify_header(json_pack("{s:s, s:s}", "alg", "ES256", "kid", kid)),
			 TOKEN_OK);
}

static void test_header_duplicate_member(void **state)
{
	json_t *c = std_claims();
	char *header = NULL, *claims = json_dumps(c, JSON_COMPACT), *tok;

	(void)state;
	json_decref(c);
	if (asprintf(&header, "{\"alg\":\"ES256\",\"kid\":\"%s\",\"kid\":\"%s\"}", kid, kid) < 0)
		unit_die("asprintf");
	tok = craft_raw(header, claims, our_pk);
	assert_int_equal(verify(tok), TOKEN_MALFORMED);
	free(tok);
	free(header);
	free(claims);
}

static void test_header_not_object(void **state)
{
	char *claims;
	json_t *c = std_claims();
	char *tok;

	(void)state;
	claims = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	tok = craft_raw("[\"ES256\"]", claims, our_pk);
	assert_int_equal(verify(tok), TOKEN_MALFORMED);
	free(tok);
	tok = craft_raw("{\"alg\":\"ES256\"", claims, our_pk);
	assert_int_equal(verify(tok), TOKEN_MALFORMED);
	free(tok);
	free(claims);
}

/*
 * The hole in libjwt 1.10: an HMAC token keyed with our public PEM passes
 * jwt_decode. An HS256 MAC (32 bytes, 43 characters) is refused at the
 * shape; an HS512 MAC is 64 bytes, 86 characters like an ES256 signature,
 * so it reaches the header check, which must refuse it.
 */
static char *hmac_forgery(const char *alg, const EVP_MD *md)
{
	char *header = NULL, *h, *p, *input = NULL, *sig, *tok = NULL, *dump;
	unsigned char mac[64];
	unsigned int maclen = sizeof(mac);
	json_t *c = std_claims();

	if (asprintf(&header, "{\"alg\":\"%s\",\"typ\":\"JWT\",\"kid\":\"%s\"}", alg, kid) < 0)
		unit_die("asprintf");
	dump = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	h = unit_b64url(header, strlen(header));
	p = unit_b64url(dump, strlen(dump));
	if (asprintf(&input, "%s.%s", h, p) < 0)
		unit_die("asprintf");
	if (HMAC(md, ring->current->public_pem, (int)ring->current->public_len,
		 (const unsigned char *)input, strlen(input), mac, &maclen) == NULL)
		unit_die("HMAC");
	sig = unit_b64url(mac, maclen);
	if (asprintf(&tok, "%s.%s", input, sig) < 0)
		unit_die("asprintf");
	free(sig);
	free(input);
	free(h);
	free(p);
	free(dump);
	free(header);
	return tok;
}

/* The forgery is real: libjwt alone accepts it with our public key. */
static bool libjwt_accepts(char *tok)
{
	jwt_t *jwt = NULL;
	int rc = jwt_decode(&jwt, tok, (const unsigned char *)ring->current->public_pem,
			    (int)ring->current->public_len);

	jwt_free(jwt);
	return rc == 0;
}

static void test_header_hs256_with_public_pem(void **state)
{
	char *tok = hmac_forgery("HS256", EVP_sha256());

	(void)state;
	assert_true(libjwt_accepts(tok));
	assert_int_equal(strlen(strrchr(tok, '.') + 1), 43);
	assert_int_equal(verify(tok), TOKEN_MALFORMED);
	free(tok);
}

static void test_header_hs512_with_public_pem(void **state)
{
	char *tok = hmac_forgery("HS512", EVP_sha512());

	(void)state;
	assert_true(libjwt_accepts(tok));
	assert_int_equal(strlen(strrchr(tok, '.') + 1), 86);
	assert_int_equal(verify(tok), TOKEN_BAD_HEADER);
	free(tok);
}

/* ---- claims ---- */

#define MISSING_CLAIM_TEST(claim)                                                                  \
	static void test_claims_missing_##claim(void **state)                                      \
	{                                                                                          \
		json_t *c = std_claims();                                                          \
                                                                                                   \
		(void)state;                                                                       \
		assert_int_equal(json_object_del(c, #claim), 0);                                   \
		assert_int_equal(verify_claims(c, NOW), TOKEN_BAD_CLAIMS);                         \
	}
MISSING_CLAIM_TEST(iss)
MISSING_CLAIM_TEST(aud)
MISSING_CLAIM_TEST(sub)
MISSING_CLAIM_TEST(academy)
MISSING_CLAIM_TEST(sid)
MISSING_CLAIM_TEST(jti)
MISSING_CLAIM_TEST(iat)
MISSING_CLAIM_TEST(nbf)
MISSING_CLAIM_TEST(exp)

static enum token_status with_claim(const char *name, json_t *value)
{
	json_t *c = std_claims();

	json_object_set_new(c, name, value);
	return verify_claims(c, NOW);
}

static void test_claims_exp_as_string(void **state)
{
	char s[32];

	(void)state;
	snprintf(s, sizeof(s), "%lld", (long long)(NOW + 300));
	assert_int_equal(with_claim("exp", json_string(s)), TOKEN_BAD_CLAIMS);
}

static void test_claims_time_as_real(void **state)
{
	(void)state;
	assert_int_equal(with_claim("iat", json_real((double)NOW)), TOKEN_BAD_CLAIMS);
	assert_int_equal(with_claim("exp", json_real((double)(NOW + 300))), TOKEN_BAD_CLAIMS);
}

static void test_claims_sub_as_number(void **state)
{
	(void)state;
	assert_int_equal(with_claim("sub", json_integer(42)), TOKEN_BAD_CLAIMS);
	assert_int_equal(with_claim("sid", json_integer(7)), TOKEN_BAD_CLAIMS);
}

static void test_claims_sub_not_an_id(void **state)
{
	static const char *const bad[] = {"0", "-1", "042", "4 2",
					  "",  "x",  "42x", "9223372036854775808"};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(with_claim("sub", json_string(bad[i])), TOKEN_BAD_CLAIMS);
		assert_int_equal(with_claim("sid", json_string(bad[i])), TOKEN_BAD_CLAIMS);
	}
}

static void test_claims_strings_wrong_type(void **state)
{
	(void)state;
	assert_int_equal(with_claim("iss", json_integer(1)), TOKEN_BAD_CLAIMS);
	assert_int_equal(with_claim("aud", json_pack("[s]", "tutorat")), TOKEN_BAD_CLAIMS);
	assert_int_equal(with_claim("academy", json_null()), TOKEN_BAD_CLAIMS);
	assert_int_equal(with_claim("jti", json_true()), TOKEN_BAD_CLAIMS);
}

static void test_claims_wrong_iss(void **state)
{
	(void)state;
	assert_int_equal(with_claim("iss", json_string("https://evil.example")), TOKEN_BAD_CLAIMS);
	/* Another académie's issuer for lyon. */
	assert_int_equal(with_claim("iss", json_string(GREN_ISS)), TOKEN_BAD_CLAIMS);
	assert_int_equal(with_claim("iss", json_string(LYON_ISS "/")), TOKEN_BAD_CLAIMS);
}

static void test_claims_wrong_aud(void **state)
{
	(void)state;
	assert_int_equal(with_claim("aud", json_string("tutorat2")), TOKEN_BAD_CLAIMS);
	assert_int_equal(with_claim("aud", json_string("Tutorat")), TOKEN_BAD_CLAIMS);
	assert_int_equal(with_claim("aud", json_string("")), TOKEN_BAD_CLAIMS);
}

static void test_claims_unknown_academy(void **state)
{
	(void)state;
	assert_int_equal(with_claim("academy", json_string("paris")), TOKEN_BAD_CLAIMS);
	assert_int_equal(with_claim("academy", json_string("LYON")), TOKEN_BAD_CLAIMS);
	assert_int_equal(with_claim("academy", json_string("lyo")), TOKEN_BAD_CLAIMS);
}

/* The issuer matching the académie named: grenoble with grenoble's issuer. */
static void test_claims_other_academy_ok(void **state)
{
	json_t *c = std_claims();
	char *tok;
	struct token_claims out;

	(void)state;
	json_object_set_new(c, "academy", json_string("grenoble"));
	json_object_set_new(c, "iss", json_string(GREN_ISS));
	tok = craft(std_header(), c, our_pk);
	assert_int_equal(verify_at(tok, NOW, &out), TOKEN_OK);
	assert_string_equal(out.academy->code, "grenoble");
	free(tok);
}

static void test_claims_jti_length(void **state)
{
	(void)state;
	assert_int_equal(with_claim("jti", json_string("123456789012345")), TOKEN_BAD_CLAIMS);
	assert_int_equal(with_claim("jti", json_string("1234567890123456")), TOKEN_OK);
	char long_jti[66];

	memset(long_jti, 'j', 65);
	long_jti[65] = '\0';
	assert_int_equal(with_claim("jti", json_string(long_jti)), TOKEN_BAD_CLAIMS);
	long_jti[64] = '\0';
	assert_int_equal(with_claim("jti", json_string(long_jti)), TOKEN_OK);
}

static enum token_status with_times(int64_t iat, int64_t nbf, int64_t exp, int64_t now)
{
	json_t *c = std_claims();

	json_object_set_new(c, "iat", json_integer((json_int_t)iat));
	json_object_set_new(c, "nbf", json_integer((json_int_t)nbf));
	json_object_set_new(c, "exp", json_integer((json_int_t)exp));
	return verify_claims(c, now);
}

static void test_claims_expired_beyond_skew(void **state)
{
	int64_t exp = NOW + LIFETIME;

	(void)state;
	assert_int_equal(with_times(NOW, NOW, exp, exp + TOKEN_SKEW), TOKEN_EXPIRED);
	assert_int_equal(with_times(NOW, NOW, exp, exp + 3600), TOKEN_EXPIRED);
}

static void test_claims_expired_within_skew(void **state)
{
	int64_t exp = NOW + LIFETIME;

	(void)state;
	assert_int_equal(with_times(NOW, NOW, exp, exp), TOKEN_OK);
	assert_int_equal(with_times(NOW, NOW, exp, exp + TOKEN_SKEW - 1), TOKEN_OK);
}

static void test_claims_nbf_future(void **state)
{
	(void)state;
	assert_int_equal(with_times(NOW, NOW + TOKEN_SKEW + 1, NOW + 500, NOW), TOKEN_EXPIRED);
	assert_int_equal(with_times(NOW, NOW + TOKEN_SKEW, NOW + 500, NOW), TOKEN_OK);
}

static void test_claims_iat_future(void **state)
{
	int64_t t = NOW + TOKEN_SKEW + 1;

	(void)state;
	assert_int_equal(with_times(t, t, t + 300, NOW), TOKEN_EXPIRED);
	t = NOW + TOKEN_SKEW;
	assert_int_equal(with_times(t, t, t + 300, NOW), TOKEN_OK);
}

static void test_claims_lifetime_too_long(void **state)
{
	(void)state;
	assert_int_equal(with_times(NOW, NOW, NOW + LIFETIME + 1, NOW), TOKEN_BAD_CLAIMS);
	assert_int_equal(with_times(NOW, NOW, NOW + LIFETIME, NOW), TOKEN_OK);
}

static void test_claims_time_order(void **state)
{
	(void)state;
	assert_int_equal(with_times(NOW, NOW, NOW, NOW), TOKEN_BAD_CLAIMS);	     /* exp = iat */
	assert_int_equal(with_times(NOW, NOW, NOW - 1, NOW), TOKEN_BAD_CLAIMS);	     /* exp < iat */
	assert_int_equal(with_times(NOW, NOW - 1, NOW + 60, NOW), TOKEN_BAD_CLAIMS); /* nbf < iat */
}

/*
 * Claims are checked before the signature, so these values reach the
 * arithmetic from anyone. exp - iat must not overflow: iat far in the past
 * and exp far in the future is a lifetime longer than token_lifetime.
 */
static bool extreme_times_refused(void *arg)
{
	(void)arg;
	return with_times(-1000, -1000, INT64_MAX, NOW) == TOKEN_BAD_CLAIMS &&
	       with_times(INT64_MIN, INT64_MIN, NOW, NOW) == TOKEN_BAD_CLAIMS;
}

static void test_claims_extreme_times(void **state)
{
	(void)state;
	assert_true(unit_in_child(extreme_times_refused, NULL));
}

static void test_claims_duplicate_member(void **state)
{
	char *claims = NULL, *header = NULL, *tok;

	(void)state;
	if (asprintf(&claims,
		     "{\"iss\":\"%s\",\"aud\":\"tutorat\",\"sub\":\"42\",\"sub\":\"1\","
		     "\"academy\":\"lyon\",\"sid\":\"7\",\"jti\":\"q1w2e3r4t5y6u7i8o9p0\","
		     "\"iat\":%lld,\"nbf\":%lld,\"exp\":%lld}",
		     LYON_ISS, (long long)NOW, (long long)NOW, (long long)(NOW + 60)) < 0 ||
	    asprintf(&header, "{\"alg\":\"ES256\",\"kid\":\"%s\"}", kid) < 0)
		unit_die("asprintf");
	tok = craft_raw(header, claims, our_pk);
	assert_int_equal(verify(tok), TOKEN_MALFORMED);
	free(tok);
	free(claims);
	free(header);
}

static void test_claims_not_object(void **state)
{
	char *header = NULL, *tok;

	(void)state;
	if (asprintf(&header, "{\"alg\":\"ES256\",\"kid\":\"%s\"}", kid) < 0)
		unit_die("asprintf");
	tok = craft_raw(header, "[1,2,3]", our_pk);
	assert_int_equal(verify(tok), TOKEN_MALFORMED);
	free(tok);
	tok = craft_raw(header, "{\"sub\":\"42\"} x", our_pk);
	assert_int_equal(verify(tok), TOKEN_MALFORMED);
	free(tok);
	free(header);
}

/* ---- signature ---- */

static void test_signature_other_key(void **state)
{
	char *tok = craft(std_header(), std_claims(), other_pk);

	(void)state;
	assert_int_equal(verify(tok), TOKEN_BAD_SIGNATURE);
	free(tok);
}

static void test_signature_tampered(void **state)
{
	char *tok = craft(std_header(), std_claims(), our_pk);
	char *sig = strrchr(tok, '.') + 1;

	(void)state;
	sig[40] = sig[40] == 'A' ? 'B' : 'A';
	assert_int_equal(verify(tok), TOKEN_BAD_SIGNATURE);
	free(tok);
}

/* A payload changed under a valid signature (sub 42 -> 43). */
static void test_signature_payload_swapped(void **state)
{
	char *good = craft(std_header(), std_claims(), our_pk);
	json_t *c = std_claims();
	char *other, *mix = NULL;

	(void)state;
	json_object_set_new(c, "sub", json_string("43"));
	other = craft(std_header(), c, our_pk);
	/* other's header and payload with good's signature. */
	if (asprintf(&mix, "%.*s%s", (int)(strrchr(other, '.') - other), other,
		     strrchr(good, '.')) < 0)
		unit_die("asprintf");
	assert_int_equal(verify(other), TOKEN_OK);
	assert_int_equal(verify(mix), TOKEN_BAD_SIGNATURE);
	free(good);
	free(other);
	free(mix);
}

static void test_signature_all_zero(void **state)
{
	char *tok = craft(std_header(), std_claims(), our_pk);
	char *sig = strrchr(tok, '.') + 1;

	(void)state;
	memset(sig, 'A', 86);
	assert_int_equal(verify(tok), TOKEN_BAD_SIGNATURE);
	free(tok);
}

/* ---- cache ---- */

/*
 * A cache hit is recognised by what only the cache can answer: the second
 * call gets a keyring that does not hold the token's key, which a full
 * verification refuses (TOKEN_BAD_HEADER), and the cache-hit counter moves
 * while the signature-check counter does not.
 */
static void test_cache_hit(void **state)
{
	struct token_cache *cache = token_cache_new();
	char *tok = token_issue(ring, cfg, lyon, 42, 7, false, NOW);
	struct token_claims c;
	unsigned long long hits, checks;

	(void)state;
	assert_int_equal(token_verify(NULL, other_ring, cfg, tok, strlen(tok), NOW, &c),
			 TOKEN_BAD_HEADER);
	checks = metric("tutorat_token_signature_checks_total");
	assert_int_equal(token_verify(cache, ring, cfg, tok, strlen(tok), NOW, &c), TOKEN_OK);
	assert_int_equal(metric("tutorat_token_signature_checks_total"), checks + 1);
	hits = metric("tutorat_token_cache_hits_total");
	memset(&c, 0, sizeof(c));
	assert_int_equal(token_verify(cache, other_ring, cfg, tok, strlen(tok), NOW + 10, &c),
			 TOKEN_OK);
	assert_int_equal(metric("tutorat_token_cache_hits_total"), hits + 1);
	assert_int_equal(metric("tutorat_token_signature_checks_total"), checks + 1);
	/* The cached claims are the token's. */
	assert_ptr_equal(c.academy, lyon);
	assert_int_equal(c.person_id, 42);
	assert_int_equal(c.session_id, 7);
	assert_int_equal(c.exp, NOW + LIFETIME);
	free(tok);
	token_cache_free(cache);
}

/* The cache path enforces exp (with the same skew) without re-verifying. */
static void test_cache_expiry(void **state)
{
	struct token_cache *cache = token_cache_new();
	char *tok = token_issue(ring, cfg, lyon, 42, 7, false, NOW);
	struct token_claims c;
	int64_t exp = NOW + LIFETIME;

	(void)state;
	assert_int_equal(token_verify(cache, ring, cfg, tok, strlen(tok), NOW, &c), TOKEN_OK);
	assert_int_equal(
	    token_verify(cache, other_ring, cfg, tok, strlen(tok), exp + TOKEN_SKEW - 1, &c),
	    TOKEN_OK);
	assert_int_equal(
	    token_verify(cache, other_ring, cfg, tok, strlen(tok), exp + TOKEN_SKEW, &c),
	    TOKEN_EXPIRED);
	assert_int_equal(token_verify(cache, ring, cfg, tok, strlen(tok), exp + 3600, &c),
			 TOKEN_EXPIRED);
	free(tok);
	token_cache_free(cache);
}

/* A token one character away from a cached one is verified in full. */
static void test_cache_one_char_differs(void **state)
{
	struct token_cache *cache = token_cache_new();
	char *tok = token_issue(ring, cfg, lyon, 42, 7, false, NOW), *near = NULL;
	char *sig;
	struct token_claims c;

	(void)state;
	assert_int_equal(token_verify(cache, ring, cfg, tok, strlen(tok), NOW, &c), TOKEN_OK);
	near = strdup(tok);
	sig = strrchr(near, '.') + 1;
	sig[40] = sig[40] == 'A' ? 'B' : 'A';
	assert_int_equal(token_verify(cache, ring, cfg, near, strlen(near), NOW, &c),
			 TOKEN_BAD_SIGNATURE);
	assert_int_equal(token_verify(cache, other_ring, cfg, near, strlen(near), NOW, &c),
			 TOKEN_BAD_HEADER);
	/* A prefix of the cached token is not the cached token either. */
	assert_int_equal(token_verify(cache, ring, cfg, tok, strlen(tok) - 1, NOW, &c),
			 TOKEN_MALFORMED);
	/* The original is still cached. */
	assert_int_equal(token_verify(cache, other_ring, cfg, tok, strlen(tok), NOW, &c), TOKEN_OK);
	free(tok);
	free(near);
	token_cache_free(cache);
}

/* Refusals are not cached: the same bad token is refused again, in full. */
static void test_cache_refusals_not_cached(void **state)
{
	struct token_cache *cache = token_cache_new();
	char *tok = craft(std_header(), std_claims(), other_pk);
	struct token_claims c;

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(token_verify(cache, ring, cfg, tok, strlen(tok), NOW, &c),
				 TOKEN_BAD_SIGNATURE);
	free(tok);
	/* A token not yet valid is not cached as good for later either. */
	json_t *cl = std_claims();

	json_object_set_new(cl, "nbf", json_integer((json_int_t)(NOW + 120)));
	tok = craft(std_header(), cl, our_pk);
	assert_int_equal(token_verify(cache, ring, cfg, tok, strlen(tok), NOW, &c), TOKEN_EXPIRED);
	assert_int_equal(token_verify(cache, other_ring, cfg, tok, strlen(tok), NOW + 120, &c),
			 TOKEN_BAD_HEADER);
	free(tok);
	token_cache_free(cache);
}

static void test_status_names(void **state)
{
	(void)state;
	for (int s = 0; s < TOKEN__MAX; s++) {
		assert_non_null(token_status_name((enum token_status)s));
		assert_string_not_equal(token_status_name((enum token_status)s), "unknown");
	}
	assert_string_equal(token_status_name(TOKEN_BAD_SIGNATURE), "bad_signature");
	assert_string_equal(token_status_name(TOKEN__MAX), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keys_loaded),
	    cmocka_unit_test(test_keys_kid_is_thumbprint),
	    cmocka_unit_test(test_keys_jwks),
	    cmocka_unit_test(test_keys_rotation),
	    cmocka_unit_test(test_keys_add_then_activate),
	    cmocka_unit_test(test_keys_load_refusals),
	    cmocka_unit_test(test_issue_verify),
	    cmocka_unit_test(test_issue_contents),
	    cmocka_unit_test(test_issue_unique),
	    cmocka_unit_test(test_crafted_baseline_ok),
	    cmocka_unit_test(test_shape_empty),
	    cmocka_unit_test(test_shape_too_long),
	    cmocka_unit_test(test_shape_payload_bound),
	    cmocka_unit_test(test_shape_two_segments),
	    cmocka_unit_test(test_shape_four_segments),
	    cmocka_unit_test(test_shape_empty_segment),
	    cmocka_unit_test(test_shape_non_base64url),
	    cmocka_unit_test(test_shape_trailing_garbage),
	    cmocka_unit_test(test_shape_nul_inside),
	    cmocka_unit_test(test_shape_signature_length),
	    cmocka_unit_test(test_shape_other_spelling),
	    cmocka_unit_test(test_header_alg_none),
	    cmocka_unit_test(test_header_alg_hs256),
	    cmocka_unit_test(test_header_alg_lowercase),
	    cmocka_unit_test(test_header_alg_missing),
	    cmocka_unit_test(test_header_alg_not_string),
	    cmocka_unit_test(test_header_kid_missing),
	    cmocka_unit_test(test_header_kid_unknown),
	    cmocka_unit_test(test_header_kid_not_string),
	    cmocka_unit_test(test_header_extra_member),
	    cmocka_unit_test(test_header_typ),
	    cmocka_unit_test(test_header_duplicate_member),
	    cmocka_unit_test(test_header_not_object),
	    cmocka_unit_test(test_header_hs256_with_public_pem),
	    cmocka_unit_test(test_header_hs512_with_public_pem),
	    cmocka_unit_test(test_claims_missing_iss),
	    cmocka_unit_test(test_claims_missing_aud),
	    cmocka_unit_test(test_claims_missing_sub),
	    cmocka_unit_test(test_claims_missing_academy),
	    cmocka_unit_test(test_claims_missing_sid),
	    cmocka_unit_test(test_claims_missing_jti),
	    cmocka_unit_test(test_claims_missing_iat),
	    cmocka_unit_test(test_claims_missing_nbf),
	    cmocka_unit_test(test_claims_missing_exp),
	    cmocka_unit_test(test_claims_exp_as_string),
	    cmocka_unit_test(test_claims_time_as_real),
	    cmocka_unit_test(test_claims_sub_as_number),
	    cmocka_unit_test(test_claims_sub_not_an_id),
	    cmocka_unit_test(test_claims_strings_wrong_type),
	    cmocka_unit_test(test_claims_wrong_iss),
	    cmocka_unit_test(test_claims_wrong_aud),
	    cmocka_unit_test(test_claims_unknown_academy),
	    cmocka_unit_test(test_claims_other_academy_ok),
	    cmocka_unit_test(test_claims_jti_length),
	    cmocka_unit_test(test_claims_expired_beyond_skew),
	    cmocka_unit_test(test_claims_expired_within_skew),
	    cmocka_unit_test(test_claims_nbf_future),
	    cmocka_unit_test(test_claims_iat_future),
	    cmocka_unit_test(test_claims_lifetime_too_long),
	    cmocka_unit_test(test_claims_time_order),
	    cmocka_unit_test(test_claims_extreme_times),
	    cmocka_unit_test(test_claims_duplicate_member),
	    cmocka_unit_test(test_claims_not_object),
	    cmocka_unit_test(test_signature_other_key),
	    cmocka_unit_test(test_signature_tampered),
	    cmocka_unit_test(test_signature_payload_swapped),
	    cmocka_unit_test(test_signature_all_zero),
	    cmocka_unit_test(test_cache_hit),
	    cmocka_unit_test(test_cache_expiry),
	    cmocka_unit_test(test_cache_one_char_differs),
	    cmocka_unit_test(test_cache_refusals_not_cached),
	    cmocka_unit_test(test_status_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
