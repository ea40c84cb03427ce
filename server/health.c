/*
 * The health thread (see health.h). It serves the route GET /api/v1/health
 * of the route table with the route's own input rules and handler
 * (server/core.c), so that its answers, refusals included, are those the
 * pool would give; anything else on its socket is 404. It opens no
 * database connection and no directory handle, and shares no lock with the
 * workers: the handler reads their atomic figures (struct worker).
 */
#include "health.h"
#include "dispatch.h"
#include "fcgi_io.h"
#include "log.h"
#include "routes.h"
#include "util.h"
#include "validate.h"

#include <fcgiapp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A health request has no body and a small answer. */
#define HEALTH_ARENA_LIMIT ((size_t)1024 * 1024)

struct health {
	struct worker w; /* srv, cfg and arena only: no connection of any kind */
	pthread_t tid;
};

/* Routing, body, query, then the handler: dispatch.c's pipeline for a
 * public read, less what a health answer must not wait on. */
static void serve_health(struct worker *w, FCGX_Request *fr)
{
	struct req r;
	enum err e = ERR_OK;

	memset(&r, 0, sizeof(r));
	r.w = w;
	r.arena = &w->arena;
	r.cfg = w->cfg;
	r.t0 = now_mono();
	fcgi_read_params(&r, fr);
	if (r.path == NULL || strcmp(r.path, HEALTH_PATH) != 0)
		e = ERR_NOT_FOUND;
	else if (r.method == M__MAX)
		e = ERR_METHOD_NOT_ALLOWED;
	else
		e = route_match(&r, r.path, r.method);
	if (e != ERR_OK) {
		fcgi_read_body(&r, fr, 0);
		r.err = ERR_OK;
		r.err_field = r.err_detail = NULL;
		r.route = NULL;
		fail(&r, e, NULL, NULL);
	} else if (fcgi_read_body(&r, fr, w->cfg->max_body_bytes) == ERR_OK &&
		   validate_query(&r, r.query) == ERR_OK && validate_body(&r) == ERR_OK) {
		e = r.route->handler(&r);
		if (e != ERR_OK)
			fail(&r, e, NULL, NULL);
	}
	dispatch_finish(w, &r, fr);
}

static void *health_main(void *arg)
{
	struct health *h = arg;

	worker_accept_loop(&h->w, h->w.srv->health_fd, serve_health);
	return NULL;
}

struct health *health_start(const struct server *srv)
{
	struct health *h = calloc(1, sizeof(*h));

	if (h == NULL)
		abort(); /* start-up */
	h->w.id = srv->process_index * 1000 + 999;
	h->w.srv = srv;
	h->w.cfg = srv->cfg;
	arena_init(&h->w.arena, HEALTH_ARENA_LIMIT);
	if (pthread_create(&h->tid, NULL, health_main, h) != 0) {
		log_msg("error", "cannot start the health thread");
		abort(); /* start-up */
	}
	return h;
}

void health_join(struct health *h)
{
	pthread_join(h->tid, NULL);
	arena_destroy(&h->w.arena);
	free(h);
}
