/*
 * server/arena.c: aligned bump allocation over chained blocks, the limit,
 * the cleanup list run in reverse order, reuse after reset.
 */
#include "unit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "arena.h"

#define BLOCK 16384 /* ARENA_BLOCK in server/arena.c */

/* Every allocation is aligned for any object type (max_align_t: 16 on
 * x86-64): request structures hold long double, int64_t, pointers. */
static void test_alignment(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 0);
	for (size_t n = 0; n < 64; n++) {
		void *p = arena_alloc(&a, n + 1);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
	}
	/* In a block made for one large allocation, too. */
	void *big = arena_alloc(&a, 3 * BLOCK);

	assert_non_null(big);
	assert_int_equal((uintptr_t)big % _Alignof(max_align_t), 0);
	arena_destroy(&a);
}

/* Consecutive allocations never overlap: each is filled with its own
 * byte, then all are checked. */
static void test_no_overlap_across_blocks(void **state)
{
	struct arena a;
	unsigned char *p[200];
	size_t sz[200];

	(void)state;
	arena_init(&a, 0);
	for (size_t i = 0; i < 200; i++) {
		sz[i] = 1 + (i * 997) % 3000; /* ~300 KiB in all: many blocks */
		p[i] = arena_alloc(&a, sz[i]);
		assert_non_null(p[i]);
		memset(p[i], (int)(i & 0xff), sz[i]);
	}
	for (size_t i = 0; i < 200; i++)
		for (size_t k = 0; k < sz[i]; k++)
			assert_int_equal(p[i][k], i & 0xff);
	assert_true(a.used_total >= 200 * 1);
	arena_destroy(&a);
}

static void test_larger_than_a_block(void **state)
{
	struct arena a;
	unsigned char *small, *big, *after;

	(void)state;
	arena_init(&a, 0);
	small = arena_alloc(&a, 10);
	big = arena_alloc(&a, 5 * BLOCK + 3);
	after = arena_alloc(&a, 10);
	assert_non_null(small);
	assert_non_null(big);
	assert_non_null(after);
	memset(small, 1, 10);
	memset(big, 2, 5 * BLOCK + 3);
	memset(after, 3, 10);
	assert_int_equal(small[9], 1);
	assert_int_equal(big[0], 2);
	assert_int_equal(big[5 * BLOCK + 2], 2);
	assert_int_equal(after[0], 3);
	arena_destroy(&a);
}

static void test_limit(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 1024);
	assert_non_null(arena_alloc(&a, 512));
	assert_non_null(arena_alloc(&a, 500)); /* 512 + 512 after rounding: at the limit */
	assert_int_equal(a.used_total, 1024);
	assert_null(arena_alloc(&a, 1));
	assert_null(arena_zalloc(&a, 1));
	assert_null(arena_strdup(&a, "x"));
	assert_null(arena_printf(&a, "%d", 1));
	/* Reset gives the whole budget back. */
	arena_reset(&a);
	assert_int_equal(a.used_total, 0);
	assert_non_null(arena_alloc(&a, 1024));
	arena_destroy(&a);
}

static void test_limit_single_request(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 4096);
	assert_null(arena_alloc(&a, 4097));
	assert_null(arena_alloc(&a, SIZE_MAX));
	assert_null(arena_alloc(&a, SIZE_MAX - 8)); /* rounding up would wrap */
	assert_non_null(arena_alloc(&a, 4096));
	arena_destroy(&a);
}

/* A request so large that the block header plus its size wraps around
 * size_t, after something is already allocated: must give NULL, not a
 * pointer into a block smaller than asked. Run in a child because the
 * failure mode is a heap overflow. */
static bool huge_request_refused(void *arg)
{
	struct arena a;
	void *p;

	(void)arg;
	arena_init(&a, *(size_t *)arg);
	if (arena_alloc(&a, 16) == NULL)
		return false;
	p = arena_alloc(&a, SIZE_MAX - 23);
	return p == NULL;
}

static void test_huge_request_wraps(void **state)
{
	size_t limited = 1 << 20, unlimited = 0;

	(void)state;
	assert_true(unit_in_child(huge_request_refused, &limited));
	assert_true(unit_in_child(huge_request_refused, &unlimited));
}

static void test_zalloc_after_reuse(void **state)
{
	struct arena a;
	unsigned char *p;

	(void)state;
	arena_init(&a, 0);
	p = arena_alloc(&a, 256);
	memset(p, 0xee, 256);
	arena_reset(&a);
	p = arena_zalloc(&a, 256);
	assert_non_null(p);
	for (int i = 0; i < 256; i++)
		assert_int_equal(p[i], 0);
	arena_destroy(&a);
}

static int order[8];
static size_t n_order;

static void record(void *p) { order[n_order++] = *(int *)p; }

static void test_cleanups_reverse_order(void **state)
{
	struct arena a;
	static int ids[] = {1, 2, 3, 4};

	(void)state;
	arena_init(&a, 0);
	n_order = 0;
	for (int i = 0; i < 4; i++)
		assert_int_equal(arena_defer(&a, record, &ids[i]), 0);
	assert_int_equal(n_order, 0); /* nothing runs before the reset */
	arena_reset(&a);
	assert_int_equal(n_order, 4);
	assert_int_equal(order[0], 4);
	assert_int_equal(order[1], 3);
	assert_int_equal(order[2], 2);
	assert_int_equal(order[3], 1);
	/* Run once: a second reset has nothing left to run. */
	arena_reset(&a);
	assert_int_equal(n_order, 4);
	arena_destroy(&a);
}

static void test_cleanups_run_on_destroy(void **state)
{
	struct arena a;
	static int id = 9;

	(void)state;
	arena_init(&a, 0);
	n_order = 0;
	arena_defer(&a, record, &id);
	arena_destroy(&a);
	assert_int_equal(n_order, 1);
	assert_int_equal(order[0], 9);
}

/* Cleanups registered across several blocks (their records live in the
 * arena) still all run, and run before the blocks go. */
static void test_cleanups_across_blocks(void **state)
{
	struct arena a;
	static int ids[] = {1, 2, 3};

	(void)state;
	arena_init(&a, 0);
	n_order = 0;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(arena_defer(&a, record, &ids[i]), 0);
		assert_non_null(arena_alloc(&a, 2 * BLOCK));
	}
	arena_reset(&a);
	assert_int_equal(n_order, 3);
	assert_int_equal(order[0], 3);
	assert_int_equal(order[2], 1);
	arena_destroy(&a);
}

/* A full arena still tracks the object: it is released at the reset, not
 * under the caller that goes on using it (jarena, the reply body). */
static void test_defer_at_limit_keeps_object(void **state)
{
	struct arena a;
	static int id = 5;

	(void)state;
	arena_init(&a, 64);
	assert_non_null(arena_alloc(&a, 64));
	assert_null(arena_alloc(&a, 1)); /* the arena is full */
	n_order = 0;
	assert_int_equal(arena_defer(&a, record, &id), 0);
	assert_int_equal(n_order, 0); /* still in use: not released now */
	arena_reset(&a);
	assert_int_equal(n_order, 1); /* released once, at the reset */
	arena_reset(&a);
	assert_int_equal(n_order, 1);
	arena_destroy(&a);
}

static void test_reset_reuses(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 0);
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 20; i++)
			assert_non_null(arena_alloc(&a, 4000));
		arena_reset(&a);
		assert_int_equal(a.used_total, 0);
	}
	arena_destroy(&a);
}

static void test_strings(void **state)
{
	struct arena a;
	char *s;

	(void)state;
	arena_init(&a, 0);
	s = arena_strdup(&a, "bonjour");
	assert_string_equal(s, "bonjour");
	s = arena_strndup(&a, "bonjour", 3);
	assert_string_equal(s, "bon");
	s = arena_strndup(&a, "a\0b", 3);
	assert_int_equal(s[0], 'a');
	assert_int_equal(s[1], '\0');
	assert_int_equal(s[2], 'b');
	assert_int_equal(s[3], '\0');
	s = arena_strdup(&a, "");
	assert_string_equal(s, "");
	arena_destroy(&a);
}

static void test_printf(void **state)
{
	struct arena a;
	char *s, *big;

	(void)state;
	arena_init(&a, 0);
	s = arena_printf(&a, "%s:%d:%05.1f", "x", -42, 3.14159);
	assert_string_equal(s, "x:-42:003.1");
	s = arena_printf(&a, "%s", "");
	assert_string_equal(s, "");
	/* Longer than a block. */
	big = malloc(3 * BLOCK);
	memset(big, 'z', 3 * BLOCK - 1);
	big[3 * BLOCK - 1] = '\0';
	s = arena_printf(&a, "<%s>", big);
	assert_non_null(s);
	assert_int_equal(strlen(s), 3 * BLOCK + 1);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[3 * BLOCK], '>');
	free(big);
	arena_destroy(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alignment),
	    cmocka_unit_test(test_no_overlap_across_blocks),
	    cmocka_unit_test(test_larger_than_a_block),
	    cmocka_unit_test(test_limit),
	    cmocka_unit_test(test_limit_single_request),
	    cmocka_unit_test(test_huge_request_wraps),
	    cmocka_unit_test(test_zalloc_after_reuse),
	    cmocka_unit_test(test_cleanups_reverse_order),
	    cmocka_unit_test(test_cleanups_run_on_destroy),
	    cmocka_unit_test(test_cleanups_across_blocks),
	    cmocka_unit_test(test_defer_at_limit_keeps_object),
	    cmocka_unit_test(test_reset_reuses),
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_printf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
