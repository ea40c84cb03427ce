/*
 * The readiness state of one worker process, shared by its threads: what
 * GET /api/v1/ready answers. A call finds it due (never checked, or
 * checked more than [server] ready_interval seconds ago) and no other
 * thread checking: that call checks the dependencies and stores the
 * answer; every other call serves the stored one at once. So a burst of
 * /ready costs at most one round of checks per interval and holds at most
 * one thread, whatever the dependencies do.
 */
#ifndef TUTORAT_READY_H
#define TUTORAT_READY_H

#include <stdbool.h>

struct ready_cache;

struct ready_cache *ready_cache_new(int interval_seconds);
void ready_cache_free(struct ready_cache *c);

/* True when the caller is to check now (then it must call ready_store). */
bool ready_claim(struct ready_cache *c);
/* Stores the answer (its status and JSON text, copied) and ends the check. */
void ready_store(struct ready_cache *c, int status, const char *body);
/* A malloc'd copy of the stored answer, its status in *status and its age
 * in seconds in *age; NULL when nothing has been stored yet. */
char *ready_load(struct ready_cache *c, int *status, double *age);

#endif
