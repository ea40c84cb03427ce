/*
 * server/authz.c: the route-level rule (public, any signed-in person, or
 * the roles of the mask; default deny) and the role names.
 */
#include "unit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "authz.h"

static void test_public(void **state)
{
	(void)state;
	assert_true(authz_allows(ALLOW_PUBLIC, false, 0));
	assert_true(authz_allows(ALLOW_PUBLIC, true, 0));
	assert_true(authz_allows(ALLOW_PUBLIC, true, R(ADMIN)));
}

static void test_authenticated(void **state)
{
	(void)state;
	assert_false(authz_allows(ALLOW_AUTHENTICATED, false, 0));
	assert_false(authz_allows(ALLOW_AUTHENTICATED, false, ROLES_ALL));
	assert_true(authz_allows(ALLOW_AUTHENTICATED, true, 0)); /* no role needed */
	assert_true(authz_allows(ALLOW_AUTHENTICATED, true, R(STAGIAIRE)));
}

static void test_role_mask(void **state)
{
	(void)state;
	assert_true(authz_allows(R(ADMIN), true, R(ADMIN)));
	assert_true(authz_allows(R(ADMIN), true, R(ADMIN) | R(IEN)));
	assert_false(authz_allows(R(ADMIN), true, R(IEN)));
	assert_false(authz_allows(R(ADMIN), true, 0));
	assert_true(authz_allows(R(ADMIN) | R(IEN), true, R(IEN)));
	/* Roles count only for an authenticated principal. */
	assert_false(authz_allows(R(ADMIN), false, R(ADMIN)));
}

/* ROLES_STAFF: everyone but the learners. */
static void test_staff_mask(void **state)
{
	(void)state;
	for (int r = 0; r < ROLE__MAX; r++) {
		bool learner = r == ROLE_STAGIAIRE || r == ROLE_ETUDIANT_SOPA;

		assert_int_equal(authz_allows(ROLES_STAFF, true, UINT32_C(1) << r), !learner);
	}
	assert_true(authz_allows(ROLES_STAFF, true, R(STAGIAIRE) | R(TUTEUR_TERRAIN)));
}

static void test_default_deny(void **state)
{
	(void)state;
	assert_false(authz_allows(0, true, ROLES_ALL));
	assert_false(authz_allows(0, false, 0));
	assert_false(authz_allows(0, true, UINT32_MAX));
}

/* Bits beyond the roles grant nothing, in the mask or in the principal. */
static void test_foreign_bits(void **state)
{
	uint32_t spare = UINT32_C(1) << ROLE__MAX; /* the first bit no role uses */

	(void)state;
	assert_true(ROLE__MAX < 30);
	assert_false(authz_allows(spare, true, spare));
	assert_false(authz_allows(R(ADMIN), true, ALLOW_PUBLIC | ALLOW_AUTHENTICATED));
	assert_false(authz_allows(R(ADMIN), true, ~ROLES_ALL));
}

static void test_role_names_round_trip(void **state)
{
	(void)state;
	for (int r = 0; r < ROLE__MAX; r++) {
		const char *name = role_name((enum role)r);

		assert_non_null(name);
		assert_true(strlen(name) > 0);
		assert_int_equal(role_parse(name, strlen(name)), r);
		for (const char *c = name; *c != '\0'; c++)
			assert_true((*c >= 'a' && *c <= 'z') || *c == '_');
		for (int o = 0; o < r; o++)
			assert_string_not_equal(name, role_name((enum role)o));
	}
	assert_string_equal(role_name(ROLE_ADMIN), "admin");
	assert_string_equal(role_name(ROLE_TUTEUR_TERRAIN), "tuteur_terrain");
}

static void test_role_parse_refusals(void **state)
{
	(void)state;
	assert_int_equal(role_parse("admin", 5), ROLE_ADMIN);
	assert_int_equal(role_parse("admins", 5), ROLE_ADMIN); /* bounded by n */
	assert_int_equal(role_parse("admin", 4), -1);
	assert_int_equal(role_parse("ADMIN", 5), -1);
	assert_int_equal(role_parse("admin ", 6), -1);
	assert_int_equal(role_parse("", 0), -1);
	assert_int_equal(role_parse("superuser", 9), -1);
	assert_int_equal(role_parse("admin\0x", 7), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_public),
	    cmocka_unit_test(test_authenticated),
	    cmocka_unit_test(test_role_mask),
	    cmocka_unit_test(test_staff_mask),
	    cmocka_unit_test(test_default_deny),
	    cmocka_unit_test(test_foreign_bits),
	    cmocka_unit_test(test_role_names_round_trip),
	    cmocka_unit_test(test_role_parse_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
