/*
 * The service's own routes: liveness, readiness, metrics, the JWKS and the
 * list of académies for the login page. All public; nginx keeps /metrics
 * to loopback and sends /api/v1/health to the health socket.
 */
#include "config.h"
#include "db.h"
#include "health.h"
#include "routes.h"
#include "keys.h"
#include "ldapauth.h"
#include "ldapguard.h"
#include "ready.h"
#include "metrics.h"
#include "modules.h"
#include "req.h"
#include "util.h"
#include "worker.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * GET /api/v1/health — public; the liveness of the worker process that
 * answers, read from its workers' atomic figures (struct worker) and
 * nothing else. nginx asks the health thread (server/health.c), which a
 * stalled pool does not hold up. 200 {"status": "ok", "pid", "threads":
 * worker threads running, "busy_threads": serving a request,
 * "oldest_request_seconds": how long the oldest of those has run (0 when
 * idle), "requests": answered since the process started}; 503 with
 * "status": "unavailable" and the same figures when no worker thread runs
 * (the process could take no request).
 */
static enum err h_health(struct req *r)
{
	const struct server *srv = r->w->srv;
	int_least64_t now = (int_least64_t)(now_mono() * 1e6), oldest = 0, served = 0;
	int running = 0, busy = 0;

	for (int i = 0; i < srv->n_workers; i++) {
		const struct worker *w = srv->workers[i];
		int_least64_t since = atomic_load_explicit(&w->busy_since, memory_order_relaxed);

		running += atomic_load_explicit(&w->running, memory_order_relaxed) ? 1 : 0;
		served += atomic_load_explicit(&w->served, memory_order_relaxed);
		if (since == 0)
			continue;
		busy++;
		if (now - since > oldest)
			oldest = now - since;
	}
	reply_json(r, running > 0 ? 200 : 503,
		   json_pack("{s:s, s:i, s:i, s:i, s:f, s:I}", "status",
			     running > 0 ? "ok" : "unavailable", "pid", (int)getpid(), "threads",
			     running, "busy_threads", busy, "oldest_request_seconds",
			     (double)oldest / 1e6, "requests", (json_int_t)served));
	return ERR_OK;
}

/*
 * The checks of GET /api/v1/ready, on this worker's connections: MariaDB
 * (and its reporting replica, where one is configured) answers a ping, and
 * each académie's directory a service bind or WhoAmI through its bulkhead
 * and circuit (an open circuit or a full bulkhead is "unavailable" without
 * a directory call). Returns the status, the JSON text in *body (malloc'd).
 */
static int ready_check(struct req *r, char **body)
{
	json_t *checks = json_object(), *doc;
	bool ready = true;
	bool db_ok = db_conn_ping(r->w->db);

	json_object_set_new(checks, "database", json_string(db_ok ? "ok" : "unavailable"));
	ready &= db_ok;
	if (r->w->reporting != NULL) {
		bool ok = db_conn_ping(r->w->reporting);

		json_object_set_new(checks, "reporting", json_string(ok ? "ok" : "unavailable"));
		ready &= ok;
	}
	for (size_t i = 0; i < r->w->cfg->n_academies; i++) {
		const struct academy_cfg *a = r->w->cfg->academies[i];
		bool ok = ldap_ping(r->w->ldap, a);

		json_object_set_new(checks, arena_printf(r->arena, "ldap:%s", a->code),
				    json_string(ok ? "ok" : "unavailable"));
		ready &= ok;
	}
	doc = json_pack("{s:s, s:o}", "status", ready ? "ready" : "unavailable", "checks", checks);
	*body = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	return ready ? 200 : 503;
}

/*
 * GET /api/v1/ready — public in the service, kept by nginx to loopback
 * (the load balancer's health checks). 200 when MariaDB (and its reporting
 * replica, where one is configured) and every académie's directory
 * answer, else 503 naming each failing dependency. The checks are this
 * process's last (server/ready.h): at most one thread runs them, at most
 * every ready_interval seconds; "checked_seconds_ago" says how old they
 * are, "circuits" the state of each directory's circuit now.
 */
static enum err h_ready(struct req *r)
{
	struct ready_cache *cache = r->w->srv->ready;
	json_t *doc = NULL, *circuits = json_object();
	double age = 0;
	int status = 503;
	char *text;

	if (ready_claim(cache)) {
		char *fresh = NULL;
		int st = ready_check(r, &fresh);

		ready_store(cache, st, fresh);
		free(fresh);
	}
	text = ready_load(cache, &status, &age);
	if (text != NULL) {
		doc = json_loads(text, 0, NULL);
		free(text);
	}
	if (doc == NULL) { /* the first check is under way in another thread */
		status = 503;
		doc = json_pack("{s:s, s:{}}", "status", "unavailable", "checks");
	}
	for (size_t i = 0; i < r->w->cfg->n_academies; i++)
		json_object_set_new(
		    circuits, r->w->cfg->academies[i]->code,
		    json_string(ldap_circuit_name(ldap_guard_circuit(r->w->srv->ldap_guard, i))));
	json_object_set_new(doc, "circuits", circuits);
	json_object_set_new(doc, "checked_seconds_ago", json_real(age));
	reply_json(r, status, doc);
	return ERR_OK;
}

/* GET /metrics — Prometheus text for every process of this instance, then
 * the directories' bulkheads and circuits of the process that answers
 * (labelled with its pid: each process has its own). */
static enum err h_metrics(struct req *r)
{
	size_t n = routes_count();
	const char **labels = arena_alloc(r->arena, (n + 1) * sizeof(*labels));
	const char **methods = arena_alloc(r->arena, (n + 1) * sizeof(*methods));
	char *text;

	if (labels == NULL || methods == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	for (size_t i = 0; i < n; i++) {
		labels[i] = route_at(i)->pattern;
		methods[i] = method_name(route_at(i)->method);
	}
	text = metrics_render(labels, methods, n);
	if (text == NULL)
		return fail_internal(r, ERR_INTERNAL, "metrics rendering failed");
	arena_defer(r->arena, free, text);
	if (r->w->srv->ldap_guard != NULL) {
		char *guard = ldap_guard_metrics(r->w->srv->ldap_guard, r->w->cfg, (int)getpid());

		if (guard == NULL)
			return fail_internal(r, ERR_INTERNAL, "metrics rendering failed");
		arena_defer(r->arena, free, guard);
		text = arena_printf(r->arena, "%s%s", text, guard);
		if (text == NULL)
			return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	}
	r->status = 200;
	r->raw_reply = text;
	r->raw_len = strlen(text);
	r->reply_type = "text/plain; version=0.0.4; charset=utf-8";
	return ERR_OK;
}

/* GET /.well-known/jwks.json — the public keys that verify our tokens. */
static enum err h_jwks(struct req *r)
{
	char *doc = keys_jwks(r->w->srv->keys);

	if (doc == NULL)
		return fail_internal(r, ERR_INTERNAL, "jwks rendering failed");
	arena_defer(r->arena, free, doc);
	r->status = 200;
	r->raw_reply = doc;
	r->raw_len = strlen(doc);
	r->reply_type = "application/jwk-set+json; charset=utf-8";
	reply_header(r, "Cache-Control: public, max-age=300");
	return ERR_OK;
}

/* GET /api/v1/academies — the académies one may sign in to. */
static enum err h_academies(struct req *r)
{
	json_t *items = json_array();

	for (size_t i = 0; i < r->w->cfg->n_academies; i++) {
		const struct academy_cfg *a = r->w->cfg->academies[i];

		json_array_append_new(items,
				      json_pack("{s:s, s:s}", "code", a->code, "name", a->name));
	}
	reply_json(r, 200, json_pack("{s:o}", "items", items));
	return ERR_OK;
}

static struct route core_routes[] = {
    {M_GET, HEALTH_PATH, h_health, NULL, ALLOW_PUBLIC, 0},
    {M_GET, "/api/v1/ready", h_ready, NULL, ALLOW_PUBLIC, 0},
    {M_GET, "/metrics", h_metrics, NULL, ALLOW_PUBLIC, 0},
    {M_GET, "/.well-known/jwks.json", h_jwks, NULL, ALLOW_PUBLIC, 0},
    {M_GET, "/api/v1/academies", h_academies, NULL, ALLOW_PUBLIC, 0},
};

const struct module core_module = {"core", core_routes, ARRAY_LEN(core_routes)};
