/*
 * The health thread: one per worker process, outside its worker pool. It
 * accepts on the health socket ([server] health_socket, opened before the
 * fork like the main one, so every process of the instance takes from it)
 * and answers GET /api/v1/health only. A stall that holds every worker
 * thread (a hung database, a hung directory) leaves it answering, with the
 * figures that show the stall.
 */
#ifndef TUTORAT_HEALTH_H
#define TUTORAT_HEALTH_H

#include "worker.h"

#define HEALTH_PATH "/api/v1/health"

struct health;

/* Starts the health thread of this process on srv->health_fd; it stops
 * with the workers (srv->stop_fd). */
struct health *health_start(const struct server *srv);
/* Waits for it to end, then frees it. */
void health_join(struct health *h);

#endif
