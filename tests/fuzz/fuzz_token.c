/*
 * libFuzzer target: token_verify (server/token.c) on arbitrary input, with
 * a key and a configuration made once at start-up in a temporary
 * directory, removed as soon as they are loaded (nothing is left behind
 * when a run ends on a crash).
 *
 * The first input byte picks how the rest becomes a token, so that the
 * fuzzer reaches every stage and not only the shape check:
 *   0  the bytes are the token;
 *   1  "header\npayload": both JSON texts are base64url-encoded by the
 *      harness, with an 86-character dummy signature (header and claim
 *      checks, which run before the signature);
 *   2  the bytes are the payload JSON, under our header and signed with
 *      our key (the libjwt signature path with every claim set);
 *   3  the bytes are numbers: iat, nbf, exp, sub, sid and the clock, put
 *      in otherwise valid claims, signed (the time arithmetic).
 *
 * Checked on every input, beyond "no crash, no leak, no sanitizer report":
 * the status is a known one; a token accepted has sane claims and is not
 * expired; a cache gives the same answer as no cache, and a second call
 * through the cache the same as the first.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "keys.h"
#include "token.h"
#include "util.h"

#define NOW INT64_C(1767225600)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmp[64];
static struct keyring *ring;
static struct config *cfg;
static EVP_PKEY *pk;

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void write_file(const char *rel, const char *text, mode_t mode)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	fp = fopen(path, "w");
	check(fp != NULL);
	fputs(text, fp);
	fclose(fp);
	chmod(path, mode);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[1024], kid[KID_LEN + 1], path[256];
	BIO *bio;

	(void)argc;
	(void)argv;
	snprintf(tmp, sizeof(tmp), "/tmp/tutorat-fuzz-XXXXXX");
	check(mkdtemp(tmp) != NULL);
	snprintf(path, sizeof(path), "%s/keys", tmp);
	check(keys_generate(path, true, kid, err, sizeof(err)));
	ring = keys_load(path, err, sizeof(err));
	check(ring != NULL);
	snprintf(path, sizeof(path), "%s/secrets", tmp);
	mkdir(path, 0700);
	write_file("secrets/db", "x\n", 0600);
	write_file("secrets/ldap", "y\n", 0600);
	write_file(
	    "tutorat.ini",
	    "[server]\nsocket = s\naudience = tutorat\nkeys_dir = keys\ntoken_lifetime = 600\n"
	    "[database]\nsocket = d\nname = n\nuser = u\npassword_file = secrets/db\n"
	    "[academy lyon]\nname = Lyon\nissuer = https://tutorat.ac-lyon.fr\n"
	    "ldap_uri = ldaps://h\nbind_dn = cn=x\nbind_password_file = secrets/ldap\n"
	    "search_base = dc=x\nuser_filter = (uid=%s)\n"
	    "[academy grenoble]\nname = Grenoble\nissuer = https://tutorat.ac-grenoble.fr\n"
	    "ldap_uri = ldaps://h\nbind_dn = cn=x\nbind_password_file = secrets/ldap\n"
	    "search_base = dc=x\nuser_filter = (uid=%s)\n",
	    0600);
	snprintf(path, sizeof(path), "%s/tutorat.ini", tmp);
	cfg = config_load(path, err, sizeof(err));
	check(cfg != NULL);
	bio = BIO_new_mem_buf(ring->current->private_pem, (int)ring->current->private_len);
	pk = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	check(pk != NULL);
	/* The harness itself works: an issued token verifies. */
	char *tok = token_issue(ring, cfg, cfg->academies[0], 1, 1, false, NOW);
	struct token_claims c;

	check(tok != NULL && token_verify(NULL, ring, cfg, tok, strlen(tok), NOW, &c) == TOKEN_OK);
	free(tok);
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS); /* everything is in memory now */
	return 0;
}

static char *b64(const void *p, size_t n)
{
	char *out = malloc(n / 3 * 4 + 5);

	check(out != NULL);
	check(b64url_encode_buf(out, n / 3 * 4 + 5, p, n) > 0 || n == 0);
	return out;
}

/* b64(header).b64(payload).signature; signed with pk unless dummy. */
static char *assemble(const char *h, size_t hn, const char *p, size_t pn, int dummy)
{
	char *bh = b64(h, hn), *bp = b64(p, pn), *input = NULL, *tok = NULL, *sig;
	unsigned char der[80], rs[64];

	check(asprintf(&input, "%s.%s", bh, bp) >= 0);
	if (dummy) {
		memset(rs, 0x5a, sizeof(rs));
	} else {
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();
		size_t derlen = sizeof(der);
		const unsigned char *d = der;
		ECDSA_SIG *es;
		const BIGNUM *r, *s;

		check(ctx != NULL && EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, pk) == 1 &&
		      EVP_DigestSign(ctx, der, &derlen, (unsigned char *)input, strlen(input)) ==
			  1);
		EVP_MD_CTX_free(ctx);
		es = d2i_ECDSA_SIG(NULL, &d, (long)derlen);
		check(es != NULL);
		ECDSA_SIG_get0(es, &r, &s);
		check(BN_bn2binpad(r, rs, 32) == 32 && BN_bn2binpad(s, rs + 32, 32) == 32);
		ECDSA_SIG_free(es);
	}
	sig = b64(rs, sizeof(rs));
	check(asprintf(&tok, "%s.%s", input, sig) >= 0);
	free(bh);
	free(bp);
	free(input);
	free(sig);
	return tok;
}

static int64_t take64(const uint8_t **d, size_t *n)
{
	uint64_t v = 0;

	for (int i = 0; i < 8 && *n > 0; i++, (*d)++, (*n)--)
		v = v << 8 | **d;
	return (int64_t)v;
}

/* Mode 3: valid claims around fuzzed numbers. */
static char *numeric_token(const uint8_t *d, size_t n, int64_t *now)
{
	static const char *const academies[] = {"lyon", "grenoble", "paris"};
	static const char *const issuers[] = {"https://tutorat.ac-lyon.fr",
					      "https://tutorat.ac-grenoble.fr"};
	uint8_t flags = n > 0 ? d[0] : 0;
	int64_t iat, nbf, exp, sub, sid;
	char hdr[160], subs[24], sids[24], *payload, *tok;
	json_t *c;

	if (n > 0) {
		d++;
		n--;
	}
	iat = take64(&d, &n);
	nbf = take64(&d, &n);
	exp = take64(&d, &n);
	sub = take64(&d, &n);
	sid = take64(&d, &n);
	/* A clock within a few years of NOW: the server's own clock is sane. */
	*now = NOW + (int32_t)(uint32_t)take64(&d, &n) / 16;
	if (flags & 0x80) { /* times near the clock, where the decisions are */
		iat = *now + (int16_t)iat;
		nbf = iat + (int16_t)nbf;
		exp = iat + (int16_t)exp;
	}
	snprintf(subs, sizeof(subs), "%lld", (long long)sub);
	snprintf(sids, sizeof(sids), "%lld", (long long)sid);
	snprintf(hdr, sizeof(hdr), "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"%s\"}",
		 ring->current->kid);
	c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "iss", issuers[flags & 1],
		      "aud", (flags & 2) ? "tutorat" : "other", "sub", subs, "academy",
		      academies[(flags >> 2) % 3], "sid", sids, "jti", "0123456789abcdef", "iat",
		      (json_int_t)iat, "nbf", (json_int_t)nbf, "exp", (json_int_t)exp);
	check(c != NULL);
	payload = json_dumps(c, JSON_COMPACT);
	json_decref(c);
	tok = assemble(hdr, strlen(hdr), payload, strlen(payload), 0);
	free(payload);
	return tok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct token_claims c1, c2, c3;
	enum token_status s1, s2, s3;
	struct token_cache *cache;
	int64_t now = NOW;
	char *tok = NULL;
	size_t n;

	if (size == 0 || size > 8192)
		return 0;
	switch (data[0] % 4) {
	case 0:
		tok = malloc(size);
		check(tok != NULL);
		memcpy(tok, data + 1, size - 1);
		tok[size - 1] = '\0';
		n = size - 1; /* NULs inside included */
		break;
	case 1: {
		const char *h = (const char *)data + 1, *nl = memchr(h, '\n', size - 1);
		size_t hn = nl != NULL ? (size_t)(nl - h) : size - 1;
		const char *p = nl != NULL ? nl + 1 : h + hn;

		tok = assemble(h, hn, p, size - 1 - hn - (nl != NULL), 1);
		n = strlen(tok);
		break;
	}
	case 2: {
		char hdr[160];

		snprintf(hdr, sizeof(hdr), "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"%s\"}",
			 ring->current->kid);
		tok = assemble(hdr, strlen(hdr), (const char *)data + 1, size - 1, 0);
		n = strlen(tok);
		break;
	}
	default:
		tok = numeric_token(data + 1, size - 1, &now);
		n = strlen(tok);
		break;
	}

	cache = token_cache_new();
	s1 = token_verify(NULL, ring, cfg, tok, n, now, &c1);
	s2 = token_verify(cache, ring, cfg, tok, n, now, &c2);
	s3 = token_verify(cache, ring, cfg, tok, n, now, &c3);
	check((unsigned)s1 < TOKEN__MAX);
	check(s1 == s2 && s2 == s3);
	if (s1 == TOKEN_OK) {
		check(c1.academy != NULL && c1.person_id > 0 && c1.session_id > 0);
		check(c1.exp > now - TOKEN_SKEW);
		check(c1.exp <= now + TOKEN_SKEW + cfg->token_lifetime);
		check(c2.academy == c1.academy && c2.person_id == c1.person_id &&
		      c2.session_id == c1.session_id && c2.exp == c1.exp);
		check(c3.academy == c1.academy && c3.person_id == c1.person_id &&
		      c3.session_id == c1.session_id && c3.exp == c1.exp);
	}
	token_cache_free(cache);
	free(tok);
	return 0;
}
