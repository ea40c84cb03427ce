/*
 * Per-request arena: bump allocation from chained blocks, released in one
 * go when the request ends, with a cleanup list for foreign objects
 * (jansson values, MYSQL_RES, ...) that must be released by their owner.
 */
#ifndef TUTORAT_ARENA_H
#define TUTORAT_ARENA_H

#include <stddef.h>

struct arena_block;
struct arena_cleanup;

struct arena {
	struct arena_block *head;
	struct arena_cleanup *cleanups;
	size_t used_total;
	size_t limit; /* 0: unbounded */
};

void arena_init(struct arena *a, size_t limit);
/* Releases everything but the first block, runs cleanups; ready for reuse. */
void arena_reset(struct arena *a);
void arena_destroy(struct arena *a);

/* NULL when the arena limit is reached: callers answer 413/500. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Registers fn(p) to run at reset, in reverse order of registration. */
int arena_defer(struct arena *a, void (*fn)(void *), void *p);

#endif
