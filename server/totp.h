/*
 * TOTP (RFC 6238) as authenticator apps do it: HMAC-SHA-1, 30-second steps
 * counted from the Unix epoch, 6 digits; the shared secret's base32 spelling
 * (RFC 4648, no padding) and its QR code for the enrolment screen. Plain
 * functions of their arguments: no request, no database (server/mfa.c uses
 * them; tests/unit/test_totp.c checks the RFC's vectors).
 */
#ifndef TUTORAT_TOTP_H
#define TUTORAT_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

#define TOTP_STEP	  30
#define TOTP_DIGITS	  6
#define TOTP_WINDOW	  1  /* steps accepted either side of the server's clock */
#define TOTP_SECRET_BYTES 20 /* 160 bits, the size of an HMAC-SHA-1 key (RFC 4226 §4) */

/* The step of Unix time t. */
int64_t totp_step(int64_t t);
/* The code of step `step` for the key, with `digits` digits (6 to 8):
 * RFC 4226's dynamic truncation of HMAC-SHA-1(key, step). */
uint32_t totp_code(const unsigned char *key, size_t key_len, int64_t step, int digits);
/*
 * Checks a 6-digit code typed at Unix time `now` against the steps of the
 * window, oldest first, skipping every step up to `last_used` (a code of a
 * step already used, or of an earlier one, is a replay). Returns the
 * matching step, or -1. The comparison takes the same time whatever the
 * code.
 */
int64_t totp_verify(const unsigned char *key, size_t key_len, const char *code, int64_t now,
		    int64_t last_used);

/* RFC 4648 base32 without padding, upper case, in the arena. */
char *base32_encode(struct arena *a, const unsigned char *in, size_t n);

/* The QR code of text as an SVG document (black modules on white, a
 * 4-module quiet zone), in the arena; NULL if the text cannot be encoded. */
char *totp_qr_svg(struct arena *a, const char *text);

#endif
