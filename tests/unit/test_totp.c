/*
 * server/totp.c: RFC 6238's SHA-1 test vectors, the window and the replay
 * rule of totp_verify, base32 (RFC 4648 §10) and the QR code's SVG.
 */
#include "unit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arena.h"
#include "totp.h"

static const unsigned char rfc_key[] = "12345678901234567890"; /* RFC 6238 appendix B, SHA-1 */
#define RFC_KEY rfc_key, 20

/* RFC 6238 appendix B: the SHA-1 column, 8 digits. */
static void test_rfc6238_vectors(void **state)
{
	static const struct {
		int64_t t;
		uint32_t code;
	} v[] = {
	    {59, 94287082},	    {1111111109, 7081804},  {1111111111, 14050471},
	    {1234567890, 89005924}, {2000000000, 69279037}, {20000000000, 65353130},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_int_equal(totp_code(RFC_KEY, totp_step(v[i].t), 8), v[i].code);
	/* 6 digits are the last six of the same number. */
	assert_int_equal(totp_code(RFC_KEY, totp_step(59), 6), 287082);
	assert_int_equal(totp_step(59), 1);
	assert_int_equal(totp_step(60), 2);
}

static void code_at(char out[7], int64_t step)
{
	snprintf(out, 7, "%06u", (unsigned)totp_code(RFC_KEY, step, 6));
}

/* The current step and one either side are accepted, two away are not. */
static void test_verify_window(void **state)
{
	const int64_t now = 1111111111, here = totp_step(now);
	char code[7];

	(void)state;
	code_at(code, here);
	assert_int_equal(totp_verify(RFC_KEY, code, now, 0), here);
	code_at(code, here - 1);
	assert_int_equal(totp_verify(RFC_KEY, code, now, 0), here - 1);
	code_at(code, here + 1);
	assert_int_equal(totp_verify(RFC_KEY, code, now, 0), here + 1);
	code_at(code, here - 2);
	assert_int_equal(totp_verify(RFC_KEY, code, now, 0), -1);
	code_at(code, here + 2);
	assert_int_equal(totp_verify(RFC_KEY, code, now, 0), -1);
	assert_int_equal(totp_verify(RFC_KEY, "12345", now, 0), -1);
	assert_int_equal(totp_verify(RFC_KEY, "1234567", now, 0), -1);
	assert_int_equal(totp_verify(RFC_KEY, NULL, now, 0), -1);
}

/* A code of a step already used, or of an earlier one, is refused. */
static void test_verify_replay(void **state)
{
	const int64_t now = 1234567890, here = totp_step(now);
	char code[7];

	(void)state;
	code_at(code, here);
	assert_int_equal(totp_verify(RFC_KEY, code, now, here - 1), here);
	assert_int_equal(totp_verify(RFC_KEY, code, now, here), -1);
	code_at(code, here - 1);
	assert_int_equal(totp_verify(RFC_KEY, code, now, here), -1);
	code_at(code, here + 1);
	assert_int_equal(totp_verify(RFC_KEY, code, now, here), here + 1);
}

/* RFC 4648 §10, without the padding. */
static void test_base32(void **state)
{
	struct arena a;
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const enc[] = {"",	     "MY",	 "MZXQ",      "MZXW6",
					  "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI"};

	(void)state;
	arena_init(&a, 1 << 20);
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(
		    base32_encode(&a, (const unsigned char *)plain[i], strlen(plain[i])), enc[i]);
	assert_string_equal(base32_encode(&a, RFC_KEY), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	arena_destroy(&a);
}

/* An SVG document with modules drawn inside a quiet zone. */
static void test_qr_svg(void **state)
{
	struct arena a;
	char *svg;

	(void)state;
	arena_init(&a, 1 << 22);
	svg = totp_qr_svg(&a,
			  "otpauth://totp/Tutorat:bureau1?secret=GEZDGNBVGY3TQOJQ&issuer=Tutorat");
	assert_non_null(svg);
	assert_true(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	assert_non_null(strstr(svg, "M4 4h1v1h-1z")); /* the finder pattern's corner */
	assert_true(strcmp(svg + strlen(svg) - 6, "</svg>") == 0);
	arena_destroy(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc6238_vectors), cmocka_unit_test(test_verify_window),
	    cmocka_unit_test(test_verify_replay),   cmocka_unit_test(test_base32),
	    cmocka_unit_test(test_qr_svg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
