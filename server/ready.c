#include "ready.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct ready_cache {
	pthread_mutex_t lock;
	double interval;
	double checked_at; /* now_mono() of the stored answer; 0: none yet */
	bool checking;	   /* a thread is checking */
	int status;
	char *body;
};

struct ready_cache *ready_cache_new(int interval_seconds)
{
	struct ready_cache *c = calloc(1, sizeof(*c));

	if (c == NULL)
		abort(); /* start-up */
	pthread_mutex_init(&c->lock, NULL);
	c->interval = interval_seconds;
	return c;
}

void ready_cache_free(struct ready_cache *c)
{
	if (c == NULL)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c->body);
	free(c);
}

bool ready_claim(struct ready_cache *c)
{
	bool mine = false;

	pthread_mutex_lock(&c->lock);
	if (!c->checking && (c->body == NULL || now_mono() - c->checked_at >= c->interval)) {
		c->checking = true;
		mine = true;
	}
	pthread_mutex_unlock(&c->lock);
	return mine;
}

void ready_store(struct ready_cache *c, int status, const char *body)
{
	char *copy = body != NULL ? strdup(body) : NULL;

	pthread_mutex_lock(&c->lock);
	c->checking = false;
	if (copy != NULL) {
		free(c->body);
		c->body = copy;
		c->status = status;
		c->checked_at = now_mono();
	}
	pthread_mutex_unlock(&c->lock);
}

char *ready_load(struct ready_cache *c, int *status, double *age)
{
	char *copy = NULL;

	pthread_mutex_lock(&c->lock);
	if (c->body != NULL) {
		copy = strdup(c->body);
		*status = c->status;
		*age = now_mono() - c->checked_at;
	}
	pthread_mutex_unlock(&c->lock);
	return copy;
}
