/*
 * modules/retention/retention_db.c: the table of kinds of record that
 * tutoratctl purge and the admin's routes read. Each kind has a unique
 * name, a label, a default within its bounds, bounds the API admits
 * (1..3650 days), and steps whose last one removes (a `prepare` step only
 * unlinks: it cannot end a kind, whose audit row rides on its last batch);
 * the table fits the purge's array of the académie's values.
 */
#include "unit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "retention.h"

static void test_kinds(void **state)
{
	size_t n = 0;

	(void)state;
	for (const struct retention_kind *k = retention_kinds; k->name != NULL; k++, n++) {
		size_t steps = 0;

		assert_non_null(k->label);
		assert_non_null(k->basis);
		assert_true(k->min_days >= 1);
		assert_true(k->max_days <= 3650);
		assert_true(k->min_days <= k->default_days && k->default_days <= k->max_days);
		for (const struct retention_kind *o = retention_kinds; o < k; o++)
			if (strcmp(o->name, k->name) == 0)
				fail_msg("kind %s listed twice", k->name);
		assert_ptr_equal(retention_kind_named(k->name), k);
		for (const struct retention_step *s = k->steps; s->table != NULL; s++, steps++)
			assert_non_null(s->purge);
		if (steps == 0)
			fail_msg("kind %s has no step", k->name);
		if (k->steps[steps - 1].prepare)
			fail_msg("kind %s ends with a prepare step", k->name);
	}
	assert_true(n > 0 && n < RETENTION_MAX_KINDS);
	assert_null(retention_kind_named("nope"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
