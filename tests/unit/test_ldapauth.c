/*
 * server/ldapauth.c, ldap_filter_build: the value is placed at the
 * template's %s, escaped per RFC 4515 so that no value can change the
 * filter's structure. RFC 4515 allows either case in the hex of an escape;
 * the comparisons fold the two digits after each backslash to lower case.
 */
#include "unit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arena.h"
#include "ldapauth.h"

static struct arena ar;

static int setup(void **state)
{
	(void)state;
	arena_init(&ar, 1 << 20);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_destroy(&ar);
	return 0;
}

/* s with the hex digits of every \XX escape in lower case (malloc'd). */
static char *fold_escapes(const char *s)
{
	char *out = strdup(s);

	if (out == NULL)
		unit_die("strdup");
	for (char *p = out; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0' && p[2] != '\0') {
			for (int i = 1; i <= 2; i++)
				if (p[i] >= 'A' && p[i] <= 'F')
					p[i] = (char)(p[i] - 'A' + 'a');
			p += 2;
		}
	}
	return out;
}

static void expect_filter(const char *tmpl, const char *value, size_t n, const char *want)
{
	char *got = ldap_filter_build(&ar, tmpl, value, n), *folded;

	assert_non_null(got);
	folded = fold_escapes(got);
	assert_string_equal(folded, want);
	free(folded);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undoes RFC 4515 escaping; -1 if s holds a raw special or a bad escape. */
static long unescape(const char *s, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '(' || s[i] == ')' || s[i] == '*' || s[i] == '\0')
			return -1;
		if (s[i] == '\\') {
			if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
				return -1;
			out[o++] = (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	return (long)o;
}

static void test_plain_value(void **state)
{
	(void)state;
	expect_filter("(&(objectClass=inetOrgPerson)(uid=%s))", "jdupont", 7,
		      "(&(objectClass=inetOrgPerson)(uid=jdupont))");
	expect_filter("(uid=%s)", "jean.dupont-2_x", 15, "(uid=jean.dupont-2_x)");
}

static void test_placed_at_percent_s(void **state)
{
	(void)state;
	expect_filter("%s", "v", 1, "v");
	expect_filter("(uid=%s)", "", 0, "(uid=)");
	expect_filter("(member=%s)", "uid=a,ou=people,dc=x", 20, "(member=uid=a,ou=people,dc=x)");
	/* Text after %s is kept as it is, other % signs included. */
	expect_filter("(|(uid=%s)(cn=100%%))", "a", 1, "(|(uid=a)(cn=100%%))");
}

static void test_escapes_star(void **state)
{
	(void)state;
	expect_filter("(uid=%s)", "*", 1, "(uid=\\2a)");
	expect_filter("(uid=%s)", "a*b", 3, "(uid=a\\2ab)");
}

static void test_escapes_parens(void **state)
{
	(void)state;
	expect_filter("(uid=%s)", "(", 1, "(uid=\\28)");
	expect_filter("(uid=%s)", ")", 1, "(uid=\\29)");
	/* The classic injection: close the filter and open an always-true one. */
	expect_filter("(uid=%s)", "x)(|(uid=*", 10, "(uid=x\\29\\28|\\28uid=\\2a)");
}

static void test_escapes_backslash(void **state)
{
	(void)state;
	expect_filter("(uid=%s)", "\\", 1, "(uid=\\5c)");
	/* An escape written by the caller is escaped, not honoured. */
	expect_filter("(uid=%s)", "\\2a", 3, "(uid=\\5c2a)");
}

static void test_escapes_nul(void **state)
{
	(void)state;
	expect_filter("(uid=%s)", "a\0b", 3, "(uid=a\\00b)");
	expect_filter("(uid=%s)", "\0", 1, "(uid=\\00)");
}

static void test_escapes_all_specials(void **state)
{
	(void)state;
	expect_filter("(uid=%s)", "*()\\\0", 5, "(uid=\\2a\\28\\29\\5c\\00)");
}

/* The value is read to n bytes, not to a NUL. */
static void test_value_bounded_by_n(void **state)
{
	(void)state;
	expect_filter("(uid=%s)", "abcdef", 3, "(uid=abc)");
}

/* Whatever the bytes, the result decodes back to the value and holds no
 * raw special: escaped or not, non-ASCII bytes survive intact. */
static void test_every_byte_round_trips(void **state)
{
	char value[256], back[256];
	const char *got;
	long n;

	(void)state;
	for (int i = 0; i < 256; i++)
		value[i] = (char)i;
	got = ldap_filter_build(&ar, "(uid=%s)", value, sizeof(value));
	assert_non_null(got);
	assert_int_equal(strncmp(got, "(uid=", 5), 0);
	assert_int_equal(got[strlen(got) - 1], ')');
	n = unescape(got + 5, strlen(got) - 6, back);
	assert_int_equal(n, 256);
	assert_memory_equal(back, value, 256);
}

static void test_template_without_placeholder(void **state)
{
	(void)state;
	assert_null(ldap_filter_build(&ar, "(uid=jdupont)", "x", 1));
	assert_null(ldap_filter_build(&ar, "(uid=%d)", "x", 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_value),
	    cmocka_unit_test(test_placed_at_percent_s),
	    cmocka_unit_test(test_escapes_star),
	    cmocka_unit_test(test_escapes_parens),
	    cmocka_unit_test(test_escapes_backslash),
	    cmocka_unit_test(test_escapes_nul),
	    cmocka_unit_test(test_escapes_all_specials),
	    cmocka_unit_test(test_value_bounded_by_n),
	    cmocka_unit_test(test_every_byte_round_trips),
	    cmocka_unit_test(test_template_without_placeholder),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
