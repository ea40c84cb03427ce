#include "respcache.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct entry {
	char *key;
	char *text;
	size_t len;
	double at;
};

struct respcache {
	struct entry *e;
	size_t slots, bytes, max_bytes;
	double ttl;
};

struct respcache *respcache_new(size_t slots, size_t max_bytes, double ttl)
{
	struct respcache *c = calloc(1, sizeof(*c));

	if (c == NULL || (c->e = calloc(slots, sizeof(*c->e))) == NULL)
		abort(); /* start-up */
	c->slots = slots;
	c->max_bytes = max_bytes;
	c->ttl = ttl;
	return c;
}

static void drop(struct respcache *c, struct entry *e)
{
	c->bytes -= e->len;
	free(e->key);
	free(e->text);
	memset(e, 0, sizeof(*e));
}

void respcache_free(struct respcache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->slots; i++)
		if (c->e[i].key != NULL)
			drop(c, &c->e[i]);
	free(c->e);
	free(c);
}

static struct entry *slot(struct respcache *c, const char *key)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (const char *p = key; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return &c->e[h % c->slots];
}

bool respcache_get(struct respcache *c, const char *key, const char **text, size_t *len)
{
	struct entry *e = slot(c, key);

	if (e->key == NULL || strcmp(e->key, key) != 0)
		return false;
	if (now_mono() - e->at > c->ttl) {
		drop(c, e);
		return false;
	}
	*text = e->text;
	*len = e->len;
	return true;
}

void respcache_put(struct respcache *c, const char *key, const char *text, size_t len)
{
	struct entry *e = slot(c, key);

	if (len > c->max_bytes / 4)
		return; /* one answer may not crowd out the others */
	if (e->key != NULL)
		drop(c, e);
	if (c->bytes + len > c->max_bytes) {
		for (size_t i = 0; i < c->slots && c->bytes + len > c->max_bytes; i++)
			if (c->e[i].key != NULL)
				drop(c, &c->e[i]);
	}
	e->key = strdup(key);
	e->text = malloc(len + 1);
	if (e->key == NULL || e->text == NULL) {
		free(e->key);
		free(e->text);
		memset(e, 0, sizeof(*e));
		return;
	}
	memcpy(e->text, text, len);
	e->text[len] = '\0';
	e->len = len;
	e->at = now_mono();
	c->bytes += len;
}
