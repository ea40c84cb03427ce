/*
 * A worker thread and everything it owns: its FastCGI request, its arena,
 * its MariaDB connection and statements, its LDAP handles and its caches.
 * Nothing here is shared, so the request path takes no lock.
 */
#ifndef TUTORAT_WORKER_H
#define TUTORAT_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "config.h"

struct db_conn;
struct ldap_pool;
struct token_cache;
struct session_cache;
struct respcache;
struct keyring;
struct metrics;

struct server {
	const struct config *cfg;
	const struct keyring *keys;
	struct metrics *metrics;
	int listen_fd; /* non-blocking; shared with sibling processes */
	int stop_fd;   /* readable once this process stops (see serve) */
	int process_index;
};

struct worker {
	int id;
	const struct server *srv;
	const struct config *cfg;
	struct arena arena;
	struct db_conn *db;
	struct db_conn *reporting; /* [database.reporting], or NULL */
	struct ldap_pool *ldap;
	struct token_cache *tokens;
	struct session_cache *sessions;
	struct respcache *answers; /* rendered reads, see respcache.h */
};

struct worker *worker_new(const struct server *srv, int id);
void worker_free(struct worker *w);
/* Thread entry: accept and serve until shutdown. */
void *worker_main(void *arg);

#endif
