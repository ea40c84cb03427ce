#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 16384
#define ARENA_ALIGN 16

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena_cleanup {
	struct arena_cleanup *next;
	void (*fn)(void *);
	void *p;
};

static struct arena_block *block_new(size_t size)
{
	struct arena_block *b = malloc(sizeof(*b) + size);

	if (b == NULL)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

void arena_init(struct arena *a, size_t limit)
{
	a->head = block_new(ARENA_BLOCK);
	if (a->head == NULL)
		abort(); /* start-up allocation */
	a->cleanups = NULL;
	a->used_total = 0;
	a->limit = limit;
}

static void run_cleanups(struct arena *a)
{
	struct arena_cleanup *c = a->cleanups;

	while (c != NULL) {
		struct arena_cleanup *next = c->next;

		c->fn(c->p);
		free(c);
		c = next;
	}
	a->cleanups = NULL;
}

void arena_reset(struct arena *a)
{
	struct arena_block *b, *first;

	run_cleanups(a);
	/* Keep the oldest block (the last in the chain) for reuse. */
	first = a->head;
	while (first->next != NULL) {
		b = first;
		first = first->next;
		free(b);
	}
	first->used = 0;
	a->head = first;
	a->used_total = 0;
}

void arena_destroy(struct arena *a)
{
	struct arena_block *b;

	run_cleanups(a);
	while ((b = a->head) != NULL) {
		a->head = b->next;
		free(b);
	}
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

	if (need < n || need > SIZE_MAX - sizeof(*b))
		return NULL;
	if (a->limit != 0 && need > a->limit - a->used_total)
		return NULL;
	if (b->size - b->used < need) {
		size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;

		b = block_new(size);
		if (b == NULL)
			return NULL;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += need;
	a->used_total += need;
	return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);

	if (p != NULL)
		memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/*
 * The cleanup records live outside the arena and its limit: an arena that
 * is full still tracks what the caller goes on using (it was released here
 * once, while the caller still used it). Only when memory itself runs out is
 * p left untracked, leaked rather than freed under the caller.
 */
int arena_defer(struct arena *a, void (*fn)(void *), void *p)
{
	struct arena_cleanup *c = malloc(sizeof(*c));

	if (c == NULL)
		return -1;
	c->fn = fn;
	c->p = p;
	c->next = a->cleanups;
	a->cleanups = c;
	return 0;
}
