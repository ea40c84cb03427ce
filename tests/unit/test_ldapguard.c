/*
 * server/ldapguard.c: the bulkhead lets at most ldap_max_concurrent
 * threads into one académie's directory and refuses the next at once,
 * leaving the other académies alone; the circuit opens after the
 * threshold of consecutive failures, refuses while open, lets one probe
 * through after the cool-down, and closes when the probe succeeds (or
 * opens again when it fails).
 */
#include "unit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "config.h"
#include "ldapguard.h"

static struct academy_cfg poitiers = {.code = "poitiers", .index = 0};
static struct academy_cfg lyon = {.code = "lyon", .index = 1, .ldap_max_concurrent = 3};

static struct config base(void)
{
	struct config c = {0};

	c.threads = 8;
	c.ldap_failure_threshold = 3;
	c.ldap_open_seconds = 1;
	c.academies[0] = &poitiers;
	c.academies[1] = &lyon;
	c.n_academies = 2;
	return c;
}

static void test_bulkhead_default_and_per_academy(void **state)
{
	struct config c = base();
	struct ldap_guard *g = ldap_guard_new(&c, 4); /* half of 4 threads: 2 */
	int64_t wait = 0;

	(void)state;
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_PASS);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_PASS);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_FULL);
	assert_int_equal(wait, 1);
	/* Lyon's own limit (3), untouched by Poitiers' full bulkhead. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(ldap_guard_enter(g, 1, &wait), LDAP_GATE_PASS);
	assert_int_equal(ldap_guard_enter(g, 1, &wait), LDAP_GATE_FULL);
	/* A thread leaving makes room; a refusal is not a failure. */
	ldap_guard_leave(g, 0, true);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_PASS);
	assert_int_equal(ldap_guard_circuit(g, 0), LDAP_CIRCUIT_CLOSED);
	ldap_guard_free(g);

	/* [server] ldap_max_concurrent replaces the default; at least 1. */
	c.ldap_max_concurrent = 1;
	g = ldap_guard_new(&c, 64);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_PASS);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_FULL);
	ldap_guard_free(g);
	c.ldap_max_concurrent = 0;
	g = ldap_guard_new(&c, 1);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_PASS);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_FULL);
	ldap_guard_free(g);
}

static void fail_once(struct ldap_guard *g, size_t academy)
{
	int64_t wait;

	assert_int_equal(ldap_guard_enter(g, academy, &wait), LDAP_GATE_PASS);
	ldap_guard_leave(g, academy, false);
}

static void test_circuit_opens_probes_and_closes(void **state)
{
	struct config c = base();
	struct ldap_guard *g = ldap_guard_new(&c, 8);
	int64_t wait = 0;

	(void)state;
	/* A success in between starts the count again. */
	fail_once(g, 0);
	fail_once(g, 0);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_PASS);
	ldap_guard_leave(g, 0, true);
	fail_once(g, 0);
	fail_once(g, 0);
	assert_int_equal(ldap_guard_circuit(g, 0), LDAP_CIRCUIT_CLOSED);
	fail_once(g, 0);
	assert_int_equal(ldap_guard_circuit(g, 0), LDAP_CIRCUIT_OPEN);

	/* Open: refused at once, with the rest of the cool-down. */
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_OPEN);
	assert_int_equal(wait, 1);
	/* Another académie's circuit is its own. */
	assert_int_equal(ldap_guard_enter(g, 1, &wait), LDAP_GATE_PASS);
	ldap_guard_leave(g, 1, true);

	/* After the cool-down: one probe, the others refused while it runs. */
	sleep(1);
	assert_int_equal(ldap_guard_circuit(g, 0), LDAP_CIRCUIT_HALF_OPEN);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_PASS);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_OPEN);
	/* The probe fails: open again for a whole cool-down. */
	ldap_guard_leave(g, 0, false);
	assert_int_equal(ldap_guard_circuit(g, 0), LDAP_CIRCUIT_OPEN);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_OPEN);

	/* The next probe succeeds: closed, every call goes through. */
	sleep(1);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_PASS);
	ldap_guard_leave(g, 0, true);
	assert_int_equal(ldap_guard_circuit(g, 0), LDAP_CIRCUIT_CLOSED);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_PASS);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_PASS);
	ldap_guard_leave(g, 0, true);
	ldap_guard_leave(g, 0, true);
	ldap_guard_free(g);
}

static void test_metrics_name_each_academy(void **state)
{
	struct config c = base();
	struct ldap_guard *g = ldap_guard_new(&c, 8);
	int64_t wait;
	char *text;

	(void)state;
	for (int i = 0; i < 3; i++)
		fail_once(g, 0);
	assert_int_equal(ldap_guard_enter(g, 0, &wait), LDAP_GATE_OPEN);
	text = ldap_guard_metrics(g, &c, 42);
	assert_non_null(text);
	assert_non_null(strstr(text, "tutorat_ldap_circuit_state{academy=\"poitiers\",process=\"42\"} 1\n"));
	assert_non_null(strstr(text, "tutorat_ldap_circuit_state{academy=\"lyon\",process=\"42\"} 0\n"));
	assert_non_null(strstr(text, "tutorat_ldap_refused_total{academy=\"poitiers\",process=\"42\","
				     "reason=\"circuit_open\"} 1\n"));
	assert_non_null(strstr(text, "tutorat_ldap_circuit_opened_total{academy=\"poitiers\",process=\"42\"} 1\n"));
	assert_non_null(strstr(text, "tutorat_ldap_max_concurrent{academy=\"lyon\",process=\"42\"} 3\n"));
	free(text);
	ldap_guard_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bulkhead_default_and_per_academy),
	    cmocka_unit_test(test_circuit_opens_probes_and_closes),
	    cmocka_unit_test(test_metrics_name_each_academy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
