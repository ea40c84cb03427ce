#include "worker.h"
#include "authn.h"
#include "db.h"
#include "dispatch.h"
#include "ldapauth.h"
#include "log.h"
#include "respcache.h"
#include "token.h"

#include <fcgiapp.h>
#include <mysql.h>
#include <stdlib.h>

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
	w->ldap = ldap_pool_new(srv->cfg);
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
	db_conn_free(w->db);
	arena_destroy(&w->arena);
	free(w);
}

/*
 * Accepts on the shared socket and serves until FCGX_Accept_r fails, which
 * happens once main() has asked libfcgi to shut down and closed the
 * listening socket's read side. No accept mutex: on Linux the kernel
 * hands each connection to one waiting accept(), and libfcgi's lock
 * deadlocks with nginx's fastcgi_keep_conn.
 */
void *worker_main(void *arg)
{
	struct worker *w = arg;
	FCGX_Request fr;

	mysql_thread_init();
	if (FCGX_InitRequest(&fr, w->srv->listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_msg("error", "worker %d: FCGX_InitRequest failed", w->id);
		mysql_thread_end();
		return NULL;
	}
	/* Connect early so the first request does not pay for it; a database
	 * that is down now is retried at each request. */
	(void)db_conn_ensure(w->db);
	while (FCGX_Accept_r(&fr) >= 0) {
		dispatch(w, &fr);
		FCGX_Finish_r(&fr);
	}
	FCGX_Free(&fr, 1);
	mysql_thread_end();
	return NULL;
}
