/*
 * A worker's cache of rendered answers, for reads whose key names every
 * input they depend on (the tutorat timeline: enrolment, dossier version,
 * reader, date). Bounded in entries and bytes; entries also expire after
 * a short time, which bounds the staleness of what the key cannot name
 * (a renamed school, a person's new display name). Per worker: no lock.
 */
#ifndef TUTORAT_RESPCACHE_H
#define TUTORAT_RESPCACHE_H

#include <stdbool.h>
#include <stddef.h>

struct respcache;

struct respcache *respcache_new(size_t slots, size_t max_bytes, double ttl_seconds);
void respcache_free(struct respcache *c);
/* The cached text for key, borrowed until the next put; false on a miss. */
bool respcache_get(struct respcache *c, const char *key, const char **text, size_t *len);
void respcache_put(struct respcache *c, const char *key, const char *text, size_t len);

#endif
