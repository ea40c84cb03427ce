/*
 * modules/tutorat/tutorat_remind.c: a reminder rule's offsets, as the
 * admin writes them ("-7,-1,1") and as tutoratctl remind reads them back:
 * distinct integers from -60 to 60, at most six, comma-separated, sorted.
 */
#include "unit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tutorat.h"

static size_t parse(const char *s, int *out) { return tutorat_offsets_parse(s, strlen(s), out); }

static void test_good(void **state)
{
	int v[TUTORAT_MAX_OFFSETS] = {0};

	(void)state;
	assert_int_equal(parse("3", v), 1);
	assert_int_equal(v[0], 3);
	assert_int_equal(parse("1,-7,-1", v), 3);
	assert_int_equal(v[0], -7);
	assert_int_equal(v[1], -1);
	assert_int_equal(v[2], 1);
	assert_int_equal(parse("-60,60,0,1,2,3", v), 6);
	assert_int_equal(v[0], -60);
	assert_int_equal(v[5], 60);
}

static void test_bad(void **state)
{
	static const char *const bad[] = {
	    "", ",", "3,", ",3", "3,,4", "x", "7,x", "7x", " 7", "7 ", "61", "-61", "1,1",
	    "1,2,3,4,5,6,7", "--1", "1-", "99999999999999999999",
	};
	int v[TUTORAT_MAX_OFFSETS] = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], v) != 0)
			fail_msg("'%s' accepted", bad[i]);
		assert_false(tutorat_offsets_ok(bad[i], strlen(bad[i])));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
