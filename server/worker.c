#include "worker.h"
#include "authn.h"
#include "db.h"
#include "dispatch.h"
#include "ldapauth.h"
#include "log.h"
#include "req.h"
#include "respcache.h"
#include "token.h"
#include "util.h"

#include <errno.h>
#include <fcgiapp.h>
#include <mysql.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per request, at most: bounds what one request may allocate. */
#define REQUEST_ARENA_LIMIT ((size_t)64 * 1024 * 1024)

struct worker *worker_new(const struct server *srv, int id)
{
	struct worker *w = calloc(1, sizeof(*w));

	if (w == NULL)
		abort(); /* start-up */
	w->id = id;
	w->srv = srv;
	w->cfg = srv->cfg;
	arena_init(&w->arena, REQUEST_ARENA_LIMIT);
	w->db = db_conn_new(srv->cfg);
	if (srv->cfg->reporting.name != NULL)
		w->reporting = db_conn_new_for(&srv->cfg->reporting);
	w->ldap = ldap_pool_new(srv->cfg, srv->ldap_guard);
	w->tokens = token_cache_new();
	w->sessions = session_cache_new();
	w->answers = respcache_new(256, (size_t)8 * 1024 * 1024, 60.0);
	return w;
}

void worker_free(struct worker *w)
{
	if (w == NULL)
		return;
	respcache_free(w->answers);
	session_cache_free(w->sessions);
	token_cache_free(w->tokens);
	ldap_pool_free(w->ldap);
	db_conn_free(w->reporting);
	db_conn_free(w->db);
	arena_destroy(&w->arena);
	free(w);
}

/*
 * Waits until the listening socket has a connection to take (true) or this
 * process stops (false). The stop pipe is looked at first, so that a
 * stopping process takes no new request even when both are ready: the
 * connection stays in the backlog for a sibling process.
 */
static bool wait_for_connection(const struct worker *w, int listen_fd)
{
	struct pollfd fds[2] = {
	    {.fd = w->srv->stop_fd, .events = POLLIN},
	    {.fd = listen_fd, .events = POLLIN},
	};

	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_msg("error", "worker %d stops: poll failed: %s", w->id,
				strerror(errno));
			return false;
		}
		if (fds[0].revents != 0)
			return false;
		if (fds[1].revents & POLLIN)
			return true;
		if (fds[1].revents != 0) {
			log_msg("error",
				"worker %d stops: the listening socket failed (revents %d)", w->id,
				fds[1].revents);
			return false;
		}
	}
}

/*
 * Accepts on the shared socket `fd` and serves until this process stops. The
 * thread waits in poll() on the listening socket and on the stop pipe, never
 * in accept(): the socket is non-blocking, so a connection that another
 * thread or process took first gives EAGAIN, and we wait again. Stopping
 * thus never touches the socket, which sibling processes (or the next
 * instance, under socket activation) keep accepting on. No accept mutex: on
 * Linux the kernel hands each connection to one accept(), and libfcgi's
 * lock deadlocks with nginx's fastcgi_keep_conn. An accept that fails for
 * another reason is logged; a shortage (descriptors, memory) is waited out.
 */
void worker_accept_loop(struct worker *w, int fd, void (*serve)(struct worker *, FCGX_Request *))
{
	FCGX_Request fr;

	if (FCGX_InitRequest(&fr, fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_msg("error", "worker %d: FCGX_InitRequest failed", w->id);
		return;
	}
	atomic_store_explicit(&w->running, true, memory_order_relaxed);
	while (wait_for_connection(w, fd)) {
		int rc = FCGX_Accept_r(&fr);

		if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR)
			continue;
		if (rc < 0) {
			int e = -rc;
			struct pollfd stop = {.fd = w->srv->stop_fd, .events = POLLIN};

			if (e != EMFILE && e != ENFILE && e != ENOBUFS && e != ENOMEM) {
				log_msg("error", "worker %d stops: accept failed: %s", w->id,
					rc > -9000 ? strerror(e) : "libfcgi error");
				break;
			}
			log_msg("error", "worker %d: accept failed: %s; trying again in a second",
				w->id, strerror(e));
			(void)poll(&stop, 1, 1000);
			continue;
		}
		serve(w, &fr);
		FCGX_Finish_r(&fr);
	}
	atomic_store_explicit(&w->running, false, memory_order_relaxed);
	FCGX_Free(&fr, 1);
}

/* One request of the pool, marked busy while it runs (see struct worker). */
static void serve_request(struct worker *w, FCGX_Request *fr)
{
	atomic_store_explicit(&w->busy_since, (int_least64_t)(now_mono() * 1e6),
			      memory_order_relaxed);
	dispatch(w, fr);
	atomic_store_explicit(&w->busy_since, 0, memory_order_relaxed);
	atomic_fetch_add_explicit(&w->served, 1, memory_order_relaxed);
}

void *worker_main(void *arg)
{
	struct worker *w = arg;

	mysql_thread_init();
	/* Connect early so the first request does not pay for it; a database
	 * that is down now is retried at each request. */
	(void)db_conn_ensure(w->db);
	worker_accept_loop(w, w->srv->listen_fd, serve_request);
	mysql_thread_end();
	return NULL;
}

/* A request of tutoratctl's own, for its writes through the data layer:
 * the académie's tenant, the worker's connection, a request id "KIND-<n>"
 * for the audit trail. */
void worker_ctl_request(struct req *r, struct worker *w, const struct academy_cfg *a,
			const char *kind)
{
	memset(r, 0, sizeof(*r));
	r->w = w;
	r->arena = &w->arena;
	r->cfg = w->cfg;
	r->db = w->db;
	r->tenant = a;
	r->remote_addr = "tutoratctl";
	snprintf(r->request_id, sizeof(r->request_id), "%s-%lld", kind, (long long)random_id());
}
