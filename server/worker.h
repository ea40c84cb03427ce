/*
 * A worker thread and everything it owns: its FastCGI request, its arena,
 * its MariaDB connection and statements, its LDAP handles and its caches.
 * Nothing here is shared, so the request path takes no lock.
 */
#ifndef TUTORAT_WORKER_H
#define TUTORAT_WORKER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "config.h"

struct db_conn;
struct ldap_pool;
struct ldap_guard;
struct ready_cache;
struct token_cache;
struct session_cache;
struct respcache;
struct keyring;
struct metrics;
struct FCGX_Request;

struct server {
	const struct config *cfg;
	const struct keyring *keys;
	struct metrics *metrics;
	int listen_fd; /* non-blocking; shared with sibling processes */
	int health_fd; /* the health socket (server/health.c), the same */
	int stop_fd;   /* readable once this process stops (see serve) */
	int process_index;
	/* This process's worker threads, for the liveness figures of
	 * GET /api/v1/health (set by serve before any thread starts). */
	struct worker *const *workers;
	int n_workers;
	/* Shared by this process's worker threads, each behind its own locks
	 * (set by serve; NULL in tutoratctl): the directories' bulkheads and
	 * circuits, and the readiness state GET /api/v1/ready serves. */
	struct ldap_guard *ldap_guard;
	struct ready_cache *ready;
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
	/* Written by this worker's thread only, read by GET /api/v1/health from
	 * any thread (the health thread's included), with relaxed atomics and no
	 * lock: a stalled worker never holds up the one that reports on it. */
	atomic_bool running; /* the thread is in its accept loop */
	/* µs, CLOCK_MONOTONIC, since the request in progress was accepted; 0: idle */
	atomic_int_least64_t busy_since;
	atomic_int_least64_t served; /* requests answered */
};

struct worker *worker_new(const struct server *srv, int id);
void worker_free(struct worker *w);
/* Thread entry: accept and serve until shutdown. */
void *worker_main(void *arg);
/* The accept loop of worker_main, on socket `fd`, calling serve for each
 * request, until this process stops (server/health.c runs it too). */
void worker_accept_loop(struct worker *w, int fd,
			void (*serve)(struct worker *w, struct FCGX_Request *fr));

struct req;
/* A request of tutoratctl's own (its commands, a module's verbs), for
 * writes through the data layer outside any HTTP request: the académie
 * `a` as tenant, w's connection and arena, the request id "KIND-<n>" that
 * its audit rows carry. No principal: the actor is none. */
void worker_ctl_request(struct req *r, struct worker *w, const struct academy_cfg *a,
			const char *kind);

#endif
