/*
 * Counters in one shared anonymous mapping, created before the worker
 * processes fork, updated with relaxed atomics: every process adds to the
 * same figures and GET /metrics shows the whole instance without a lock.
 */
#ifndef TUTORAT_METRICS_H
#define TUTORAT_METRICS_H

#include <stddef.h>

enum metric {
	METRIC_TOKEN_CACHE_HITS,
	METRIC_TOKEN_VERIFICATIONS,
	METRIC_TOKEN_REJECTED,
	METRIC_SESSION_CACHE_HITS,
	METRIC_LOGIN_SUCCESS,
	METRIC_LOGIN_FAILURE,
	METRIC_LOGIN_THROTTLED,
	METRIC_DB_CONNECTS,
	METRIC_DB_RETRIES,
	METRIC_LDAP_CONNECTS,
	METRIC__MAX
};

#define METRICS_MAX_ROUTES 256

void metrics_init(size_t n_routes);
void metrics_count(enum metric m);
/* route: the route's index, or n_routes for "no route". */
void metrics_request(unsigned route, int status, double seconds);
/* Prometheus text exposition, malloc'd. */
char *metrics_render(const char *const *route_labels, const char *const *route_methods,
		     size_t n_routes);

#endif
