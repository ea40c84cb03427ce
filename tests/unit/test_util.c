/*
 * server/util.c: base64url, integer and date parsing, UTF-8 cleaning,
 * case-insensitive comparison, bounded formatting, secrets, hashing.
 */
#include "unit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arena.h"
#include "util.h"

#define S(lit) (lit), (sizeof(lit) - 1) /* a literal and its length, NULs included */

/* ---- base64url ---- */

/* RFC 4648 section 10 vectors (no padding). */
/* The cells a spreadsheet reads as formulas, and only those. */
static void test_csv_formula(void **state)
{
	(void)state;
	assert_true(csv_formula("=HYPERLINK(\"x\")"));
	assert_true(csv_formula("+33 1 23"));
	assert_true(csv_formula("-2"));
	assert_true(csv_formula("@SUM(A1)"));
	assert_true(csv_formula("\tx"));
	assert_true(csv_formula("\rx"));
	assert_false(csv_formula("Camille = Martin"));
	assert_false(csv_formula(""));
	assert_false(csv_formula(NULL));
}

static void test_b64url_vectors(void **state)
{
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const enc[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
	char out[16];
	unsigned char dec[16];

	(void)state;
	for (size_t i = 0; i < 7; i++) {
		size_t n = strlen(plain[i]);

		assert_int_equal(
		    b64url_encode_buf(out, sizeof(out), (const unsigned char *)plain[i], n),
		    strlen(enc[i]));
		assert_string_equal(out, enc[i]);
		assert_int_equal(b64url_decode(dec, sizeof(dec), enc[i], strlen(enc[i])), (long)n);
		assert_memory_equal(dec, plain[i], n);
	}
}

/* The URL-safe alphabet: 62 is '-', 63 is '_', never '+' or '/'. */
static void test_b64url_alphabet(void **state)
{
	static const unsigned char in[] = {0xfb, 0xff, 0xfe};
	char out[8];
	unsigned char dec[4];

	(void)state;
	assert_int_equal(b64url_encode_buf(out, sizeof(out), in, 3), 4);
	assert_string_equal(out, "-__-");
	assert_int_equal(b64url_decode(dec, sizeof(dec), "-__-", 4), 3);
	assert_memory_equal(dec, in, 3);
}

/* Every length 0..100 of every byte value round-trips. */
static void test_b64url_round_trip(void **state)
{
	unsigned char in[100], dec[100];
	char out[140];

	(void)state;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 37 + 11);
	for (size_t n = 0; n <= sizeof(in); n++) {
		size_t len = b64url_encode_buf(out, sizeof(out), in, n);

		assert_int_equal(len, (n * 4 + 2) / 3);
		assert_int_equal(strlen(out), len);
		assert_true(b64url_valid(out, len));
		assert_int_equal(b64url_decode(dec, sizeof(dec), out, len), (long)n);
		assert_memory_equal(dec, in, n);
	}
}

/* Markup in a name is text once escaped: the five characters, nothing else. */
static void test_html_escape(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 0);
	assert_string_equal(html_escape(&a, "<b onclick=\"x\">R&D d'été</b>"),
			    "&lt;b onclick=&quot;x&quot;&gt;R&amp;D d&#39;été&lt;/b&gt;");
	assert_string_equal(html_escape(&a, ""), "");
	arena_destroy(&a);
}

static void test_b64url_arena(void **state)
{
	struct arena a;
	char *s;

	(void)state;
	arena_init(&a, 0);
	s = b64url_encode(&a, (const unsigned char *)"foobar", 6);
	assert_non_null(s);
	assert_string_equal(s, "Zm9vYmFy");
	s = b64url_encode(&a, (const unsigned char *)"", 0);
	assert_non_null(s);
	assert_string_equal(s, "");
	arena_destroy(&a);
}

static void test_b64url_encode_capacity(void **state)
{
	char out[9];

	(void)state;
	/* "foobar" needs 8 characters and the NUL. */
	assert_int_equal(b64url_encode_buf(out, 9, (const unsigned char *)"foobar", 6), 8);
	assert_int_equal(b64url_encode_buf(out, 8, (const unsigned char *)"foobar", 6), 0);
	assert_int_equal(b64url_encode_buf(out, 3, (const unsigned char *)"f", 1), 2);
	assert_int_equal(b64url_encode_buf(out, 2, (const unsigned char *)"f", 1), 0);
}

static void test_b64url_refuses_padding(void **state)
{
	unsigned char dec[16];

	(void)state;
	assert_int_equal(b64url_decode(dec, sizeof(dec), S("Zg==")), -1);
	assert_int_equal(b64url_decode(dec, sizeof(dec), S("Zm8=")), -1);
	assert_false(b64url_valid(S("Zg==")));
}

static void test_b64url_refuses_foreign_bytes(void **state)
{
	static const char *const bad[] = {"Zm9+", "Zm9/",    "Zm 9", "Zm9\n",
					  "Zm9.", "Zm9\x80", "Zm9!"};
	unsigned char dec[16];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(b64url_decode(dec, sizeof(dec), bad[i], 4), -1);
		assert_false(b64url_valid(bad[i], 4));
	}
	assert_int_equal(b64url_decode(dec, sizeof(dec), S("Zm\0v")), -1);
}

/* A length of 4k+1 characters encodes nothing. */
static void test_b64url_refuses_impossible_length(void **state)
{
	unsigned char dec[16];

	(void)state;
	assert_int_equal(b64url_decode(dec, sizeof(dec), S("Z")), -1);
	assert_int_equal(b64url_decode(dec, sizeof(dec), S("Zm9vY")), -1);
	assert_false(b64url_valid(S("Zm9vY")));
}

/* One encoding per value: the unused low bits of the last character must be 0. */
static void test_b64url_refuses_trailing_bits(void **state)
{
	unsigned char dec[16];

	(void)state;
	assert_int_equal(b64url_decode(dec, sizeof(dec), S("Zg")), 1);
	assert_int_equal(b64url_decode(dec, sizeof(dec), S("Zh")), -1);
	assert_int_equal(b64url_decode(dec, sizeof(dec), S("Zv")), -1);
	assert_int_equal(b64url_decode(dec, sizeof(dec), S("Zm8")), 2);
	assert_int_equal(b64url_decode(dec, sizeof(dec), S("Zm9")), -1);
	assert_int_equal(b64url_decode(dec, sizeof(dec), S("Zm_")), -1);
}

static void test_b64url_decode_capacity(void **state)
{
	unsigned char dec[8];

	(void)state;
	memset(dec, 0xAA, sizeof(dec));
	assert_int_equal(b64url_decode(dec, 5, S("Zm9vYmFy")), -1);
	assert_int_equal(dec[5], 0xAA); /* nothing written beyond cap */
	assert_int_equal(b64url_decode(dec, 6, S("Zm9vYmFy")), 6);
	assert_memory_equal(dec, "foobar", 6);
	assert_int_equal(dec[6], 0xAA);
	assert_int_equal(b64url_decode(dec, 0, S("")), 0);
}

/* ---- parse_int64 ---- */

static bool int_ok(const char *s, int64_t want)
{
	int64_t v = 12345;

	return parse_int64(s, strlen(s), &v) && v == want;
}

static bool int_bad(const char *s)
{
	int64_t v = 12345;

	return !parse_int64(s, strlen(s), &v) && v == 12345; /* untouched on failure */
}

static void test_parse_int64_valid(void **state)
{
	(void)state;
	assert_true(int_ok("0", 0));
	assert_true(int_ok("7", 7));
	assert_true(int_ok("-7", -7));
	assert_true(int_ok("1234567890", 1234567890));
	assert_true(int_ok("9223372036854775807", INT64_MAX));
	assert_true(int_ok("-9223372036854775808", INT64_MIN));
}

static void test_parse_int64_overflow(void **state)
{
	(void)state;
	assert_true(int_bad("9223372036854775808"));
	assert_true(int_bad("-9223372036854775809"));
	assert_true(int_bad("18446744073709551615"));
	assert_true(int_bad("18446744073709551616")); /* 2^64: wraps to 0 if unchecked */
	assert_true(int_bad("99999999999999999999"));
	assert_true(int_bad("100000000000000000000"));
}

static void test_parse_int64_leading_zeros(void **state)
{
	(void)state;
	assert_true(int_bad("00"));
	assert_true(int_bad("01"));
	assert_true(int_bad("-01"));
	assert_true(int_bad("0009223372036854775807"));
}

/* "-0" is a second spelling of 0, like "00": one spelling per number. */
static void test_parse_int64_minus_zero(void **state)
{
	(void)state;
	assert_true(int_bad("-0"));
}

static void test_parse_int64_signs_and_garbage(void **state)
{
	(void)state;
	assert_true(int_bad(""));
	assert_true(int_bad("-"));
	assert_true(int_bad("--1"));
	assert_true(int_bad("+1"));
	assert_true(int_bad(" 1"));
	assert_true(int_bad("1 "));
	assert_true(int_bad("1a"));
	assert_true(int_bad("0x10"));
	assert_true(int_bad("1e3"));
	assert_true(int_bad("1.0"));
	assert_true(int_bad("1-"));
}

/* The length bounds the read: "123" read as 2 characters is 12. */
static void test_parse_int64_bounded(void **state)
{
	int64_t v;

	(void)state;
	assert_true(parse_int64("123", 2, &v));
	assert_int_equal(v, 12);
	assert_false(parse_int64("12\0"
				 "3",
				 4, &v));
	assert_false(parse_int64("5", 0, &v));
}

/* ---- parse_date ---- */

static bool date(const char *s) { return parse_date(s, strlen(s)); }

static void test_parse_date_valid(void **state)
{
	(void)state;
	assert_true(date("2026-01-01"));
	assert_true(date("2026-12-31"));
	assert_true(date("2026-04-30"));
	assert_true(date("2026-02-28"));
	assert_true(date("1900-01-01"));
	assert_true(date("2200-12-31"));
}

static void test_parse_date_leap_years(void **state)
{
	(void)state;
	assert_false(date("2026-02-29"));
	assert_true(date("2028-02-29"));
	assert_true(date("2000-02-29"));  /* divisible by 400 */
	assert_false(date("2100-02-29")); /* by 100, not 400 */
	assert_false(date("1900-02-29"));
	assert_false(date("2028-02-30"));
}

static void test_parse_date_bad_days(void **state)
{
	(void)state;
	assert_false(date("2026-04-31"));
	assert_false(date("2026-06-31"));
	assert_false(date("2026-09-31"));
	assert_false(date("2026-11-31"));
	assert_false(date("2026-01-32"));
	assert_false(date("2026-01-00"));
	assert_false(date("2026-00-10"));
	assert_false(date("2026-13-01"));
	assert_false(date("1899-12-31"));
	assert_false(date("2201-01-01"));
	assert_false(date("0000-01-01"));
}

static void test_parse_date_bad_shapes(void **state)
{
	static const char *const bad[] = {
	    "",		  "2026-1-01",	  "2026-01-1",	    "26-01-01",
	    "2026/01/01", "2026-01-01T",  "2026-01-011",    " 2026-01-01",
	    "2026-01-0a", "+026-01-01",	  "2026--1-01",	    "2026-0x-01",
	    "20260101",	  "2026-01-01\n", "２０２６-01-01", "2026 01 01",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(date(bad[i]));
	/* Bounded by the length given. */
	assert_true(parse_date("2026-01-01xyz", 10));
	assert_false(parse_date("2026-01-01", 9));
}

/* ---- parse_datetime ---- */

static bool datetime(const char *s) { return parse_datetime(s, strlen(s)); }

static void test_parse_datetime_valid(void **state)
{
	(void)state;
	assert_true(datetime("2026-09-01T08:30"));
	assert_true(datetime("2026-09-01T00:00"));
	assert_true(datetime("2026-09-01T23:59"));
	assert_true(datetime("2026-09-01T23:59:59"));
	assert_true(datetime("2028-02-29T12:00:00"));
}

static void test_parse_datetime_refusals(void **state)
{
	static const char *const bad[] = {
	    "2026-09-01",	    "2026-09-01T",	     "2026-09-01T8:30",
	    "2026-09-01T08:3",	    "2026-09-01 08:30",	     "2026-09-01t08:30",
	    "2026-09-01T24:00",	    "2026-09-01T08:60",	     "2026-09-01T08:30:60",
	    "2026-09-01T08:30:5",   "2026-09-01T08:30Z",     "2026-09-01T08:30+02:00",
	    "2026-09-01T08:30:00Z", "2026-09-01T08:30:00.5", "2026-02-29T08:30",
	    "2026-09-01T08-30",	    "2026-09-01T08:30-00",   "2026-09-01T0a:30",
	    "2026-09-01T08:3a",	    "2026-09-01T-1:30",	     "",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (datetime(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	/* Bounded by the length given. */
	assert_true(parse_datetime("2026-09-01T08:30xyz", 16));
	assert_false(parse_datetime("2026-09-01T08:30", 15));
}

/* ---- utf8_clean ---- */

static void test_utf8_valid(void **state)
{
	(void)state;
	assert_true(utf8_clean(S("")));
	assert_true(utf8_clean(S("Bonjour, le monde !")));
	assert_true(utf8_clean(S("tab\tnl\ncr\r")));
	assert_true(utf8_clean(S("\xc3\xa9l\xc3\xa8ve"))); /* élève */
	assert_true(utf8_clean(S("\xe2\x82\xac")));	   /* U+20AC */
	assert_true(utf8_clean(S("\xf0\x9f\x98\x80")));	   /* U+1F600 */
	assert_true(utf8_clean(S("\xc2\x80")));		   /* U+0080, first 2-byte */
	assert_true(utf8_clean(S("\xe0\xa0\x80")));	   /* U+0800, first 3-byte */
	assert_true(utf8_clean(S("\xef\xbf\xbf")));	   /* U+FFFF */
	assert_true(utf8_clean(S("\xee\x80\x80")));	   /* U+E000, after the surrogates */
	assert_true(utf8_clean(S("\xed\x9f\xbf")));	   /* U+D7FF, before them */
	assert_true(utf8_clean(S("\xf0\x90\x80\x80")));	   /* U+10000 */
	assert_true(utf8_clean(S("\xf4\x8f\xbf\xbf")));	   /* U+10FFFF */
}

/* A limit said in characters counts characters: « élève » is 5, not 7. */
static void test_utf8_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length(S("")), 0);
	assert_int_equal(utf8_length(S("abc")), 3);
	assert_int_equal(utf8_length(S("\xc3\xa9l\xc3\xa8ve")), 5);	     /* élève */
	assert_int_equal(utf8_length(S("\xe2\x82\xac\xf0\x9f\x98\x80")), 2); /* €😀 */
}

static void test_utf8_overlongs(void **state)
{
	(void)state;
	assert_false(utf8_clean(S("\xc0\xaf"))); /* '/' in 2 bytes */
	assert_false(utf8_clean(S("\xc1\xbf")));
	assert_false(utf8_clean(S("\xc0\x80"))); /* NUL in 2 bytes */
	assert_false(utf8_clean(S("\xe0\x80\xaf")));
	assert_false(utf8_clean(S("\xe0\x9f\xbf"))); /* U+07FF in 3 bytes */
	assert_false(utf8_clean(S("\xf0\x80\x80\xaf")));
	assert_false(utf8_clean(S("\xf0\x8f\xbf\xbf"))); /* U+FFFF in 4 bytes */
}

static void test_utf8_surrogates(void **state)
{
	(void)state;
	assert_false(utf8_clean(S("\xed\xa0\x80")));		 /* U+D800 */
	assert_false(utf8_clean(S("\xed\xaf\xbf")));		 /* U+DBFF */
	assert_false(utf8_clean(S("\xed\xb0\x80")));		 /* U+DC00 */
	assert_false(utf8_clean(S("\xed\xbf\xbf")));		 /* U+DFFF */
	assert_false(utf8_clean(S("\xed\xa0\xbd\xed\xb8\x80"))); /* CESU-8 pair */
}

static void test_utf8_beyond_max(void **state)
{
	(void)state;
	assert_false(utf8_clean(S("\xf4\x90\x80\x80"))); /* U+110000 */
	assert_false(utf8_clean(S("\xf5\x80\x80\x80")));
	assert_false(utf8_clean(S("\xf7\xbf\xbf\xbf")));
	assert_false(utf8_clean(S("\xf8\x88\x80\x80\x80")));
	assert_false(utf8_clean(S("\xfc\x84\x80\x80\x80\x80")));
	assert_false(utf8_clean(S("\xfe")));
	assert_false(utf8_clean(S("\xff")));
}

static void test_utf8_broken_sequences(void **state)
{
	(void)state;
	assert_false(utf8_clean(S("\x80"))); /* lone continuation */
	assert_false(utf8_clean(S("a\xbf")));
	assert_false(utf8_clean(S("\xc3"))); /* truncated at the end */
	assert_false(utf8_clean(S("\xe2\x82")));
	assert_false(utf8_clean(S("\xf0\x9f\x98")));
	assert_false(utf8_clean(S("\xc3\x28"))); /* not a continuation */
	assert_false(utf8_clean(S("\xe2\x28\xa1")));
	assert_false(utf8_clean(S("\xf0\x9f\x98\x28")));
	/* Bounded by n: a valid sequence cut by the length is refused. */
	assert_false(utf8_clean("\xc3\xa9", 1));
}

static void test_utf8_controls(void **state)
{
	char c[2] = {0, 'x'};

	(void)state;
	for (int i = 0; i < 0x20; i++) {
		c[0] = (char)i;
		assert_int_equal(utf8_clean(c, 2), i == '\t' || i == '\n' || i == '\r');
	}
	assert_false(utf8_clean(S("a\x7f")));
	assert_false(utf8_clean(S("a\0b")));
}

/* ---- utf8_char_len, utf8_prefix ---- */

static void test_utf8_char_len(void **state)
{
	(void)state;
	assert_int_equal(utf8_char_len(S("a")), 1);
	assert_int_equal(utf8_char_len(S("\x01")), 1); /* a control is a character */
	assert_int_equal(utf8_char_len(S("\xc3\xa9x")), 2);
	assert_int_equal(utf8_char_len(S("\xe2\x82\xac")), 3);
	assert_int_equal(utf8_char_len(S("\xf0\x9d\x84\x9e")), 4); /* U+1D11E */
	assert_int_equal(utf8_char_len(S("\xff")), 0);
	assert_int_equal(utf8_char_len(S("\x80")), 0);
	assert_int_equal(utf8_char_len(S("\xc0\xaf")), 0);	   /* overlong */
	assert_int_equal(utf8_char_len(S("\xed\xa0\x80")), 0);	   /* surrogate */
	assert_int_equal(utf8_char_len(S("\xf4\x90\x80\x80")), 0); /* past U+10FFFF */
	assert_int_equal(utf8_char_len("\xe2\x82\xac", 2), 0);	   /* cut by n */
	assert_int_equal(utf8_char_len("", 0), 0);
}

/* A prefix that fits never ends inside a character, whatever the cap. */
static void test_utf8_prefix(void **state)
{
	static const char s[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e"; /* 1+2+3+4 bytes */
	static const size_t want[] = {0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10, 10};

	(void)state;
	for (size_t cap = 0; cap < ARRAY_LEN(want); cap++) {
		size_t k = utf8_prefix(s, 10, cap);

		assert_int_equal(k, want[cap]);
		assert_true(utf8_clean(s, k));
	}
	/* Bytes that are not UTF-8 are kept one by one, never dropped. */
	assert_int_equal(utf8_prefix(S("ab\xff\xc3\xa9"), 3), 3);
	assert_int_equal(utf8_prefix(S("ab\xff\xc3\xa9"), 4), 3);
}

/* ---- ascii_ieq ---- */

static void test_ascii_ieq(void **state)
{
	(void)state;
	assert_true(ascii_ieq(S("Application/JSON"), "application/json"));
	assert_true(ascii_ieq(S("abc"), "ABC"));
	assert_true(ascii_ieq(S(""), ""));
	assert_true(ascii_ieq("abcdef", 3, "ABC")); /* bounded */
	assert_false(ascii_ieq(S("abc"), "abcd"));
	assert_false(ascii_ieq(S("abcd"), "abc"));
	assert_false(ascii_ieq(S("abd"), "abc"));
	/* Only A-Z fold: characters 0x20 apart that are not letters differ. */
	assert_false(ascii_ieq(S("["), "{"));
	assert_false(ascii_ieq(S("@"), "`"));
	assert_false(ascii_ieq(S("^"), "~"));
	assert_false(ascii_ieq(S("\xc9"), "\xe9")); /* Latin-1 É / é */
	assert_false(ascii_ieq(S("a\0"), "a"));
}

/* ---- fmt ---- */

static void test_fmt(void **state)
{
	char buf[8];

	(void)state;
	assert_true(fmt(buf, sizeof(buf), "%s-%d", "ab", 42));
	assert_string_equal(buf, "ab-42");
	assert_true(fmt(buf, sizeof(buf), "%s", "1234567")); /* 7 + NUL: fits exactly */
	assert_string_equal(buf, "1234567");
	assert_false(fmt(buf, sizeof(buf), "%s", "12345678")); /* one too many */
	assert_string_equal(buf, "1234567");		       /* truncated, terminated */
	assert_false(fmt(buf, 1, "%s", "x"));
	assert_string_equal(buf, "");
	assert_true(fmt(buf, 1, "%s", ""));
}

/* ---- the rest ---- */

static void test_sha256_hex(void **state)
{
	unsigned char d[32];
	char hex[65];

	(void)state;
	sha256("abc", 3, d);
	hex_encode(hex, d, 32);
	assert_string_equal(hex,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256("", 0, d);
	hex_encode(hex, d, 32);
	assert_string_equal(hex,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_encode(hex, (const unsigned char *)"\x00\x0f\xf0\xff", 4);
	assert_string_equal(hex, "000ff0ff");
}

static void test_random(void **state)
{
	unsigned char a[32] = {0}, b[32] = {0};

	(void)state;
	assert_true(random_bytes(a, sizeof(a)));
	assert_true(random_bytes(b, sizeof(b)));
	assert_memory_not_equal(a, b, sizeof(a));
	for (int i = 0; i < 1000; i++) {
		int64_t id = random_id();

		assert_true(id >= 1 && id < (INT64_C(1) << 53));
	}
}

static void test_clocks(void **state)
{
	double a = now_mono(), b = now_mono();

	(void)state;
	assert_true(b >= a);
	assert_true(now_unix() > INT64_C(1700000000));
}

static void test_read_secret_file(void **state)
{
	char *dir = unit_tmpdir(), *p, *s;

	(void)state;
	unit_write(dir, "a", "s3cret\n");
	unit_write(dir, "b", "with space \r\n\n");
	unit_write(dir, "c", "\n");
	unit_write(dir, "d", "");
	p = unit_path(dir, "a");
	s = read_secret_file(p);
	assert_non_null(s);
	assert_string_equal(s, "s3cret");
	free(s);
	free(p);
	p = unit_path(dir, "b");
	s = read_secret_file(p);
	assert_non_null(s);
	assert_string_equal(s, "with space "); /* only line endings are trimmed */
	free(s);
	free(p);
	p = unit_path(dir, "c");
	assert_null(read_secret_file(p));
	free(p);
	p = unit_path(dir, "d");
	assert_null(read_secret_file(p));
	free(p);
	p = unit_path(dir, "missing");
	assert_null(read_secret_file(p));
	free(p);
	unit_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csv_formula),
	    cmocka_unit_test(test_html_escape),
	    cmocka_unit_test(test_b64url_vectors),
	    cmocka_unit_test(test_b64url_alphabet),
	    cmocka_unit_test(test_b64url_round_trip),
	    cmocka_unit_test(test_b64url_arena),
	    cmocka_unit_test(test_b64url_encode_capacity),
	    cmocka_unit_test(test_b64url_refuses_padding),
	    cmocka_unit_test(test_b64url_refuses_foreign_bytes),
	    cmocka_unit_test(test_b64url_refuses_impossible_length),
	    cmocka_unit_test(test_b64url_refuses_trailing_bits),
	    cmocka_unit_test(test_b64url_decode_capacity),
	    cmocka_unit_test(test_parse_int64_valid),
	    cmocka_unit_test(test_parse_int64_overflow),
	    cmocka_unit_test(test_parse_int64_leading_zeros),
	    cmocka_unit_test(test_parse_int64_minus_zero),
	    cmocka_unit_test(test_parse_int64_signs_and_garbage),
	    cmocka_unit_test(test_parse_int64_bounded),
	    cmocka_unit_test(test_parse_date_valid),
	    cmocka_unit_test(test_parse_date_leap_years),
	    cmocka_unit_test(test_parse_date_bad_days),
	    cmocka_unit_test(test_parse_date_bad_shapes),
	    cmocka_unit_test(test_parse_datetime_valid),
	    cmocka_unit_test(test_parse_datetime_refusals),
	    cmocka_unit_test(test_utf8_valid),
	    cmocka_unit_test(test_utf8_length),
	    cmocka_unit_test(test_utf8_overlongs),
	    cmocka_unit_test(test_utf8_surrogates),
	    cmocka_unit_test(test_utf8_beyond_max),
	    cmocka_unit_test(test_utf8_broken_sequences),
	    cmocka_unit_test(test_utf8_controls),
	    cmocka_unit_test(test_utf8_char_len),
	    cmocka_unit_test(test_utf8_prefix),
	    cmocka_unit_test(test_ascii_ieq),
	    cmocka_unit_test(test_fmt),
	    cmocka_unit_test(test_sha256_hex),
	    cmocka_unit_test(test_random),
	    cmocka_unit_test(test_clocks),
	    cmocka_unit_test(test_read_secret_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
