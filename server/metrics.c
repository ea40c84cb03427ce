#include "metrics.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define N_BUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct route_stats {
	uint64_t by_class[6]; /* 1xx..5xx by status / 100 */
	uint64_t bucket[N_BUCKETS + 1];
	uint64_t micros;
};

struct shared {
	uint64_t counters[METRIC__MAX];
	struct route_stats routes[METRICS_MAX_ROUTES + 1];
};

static struct shared *shm;
static size_t nroutes;

static const char *const names[METRIC__MAX] = {
    [METRIC_TOKEN_CACHE_HITS] = "tutorat_token_cache_hits_total",
    [METRIC_TOKEN_VERIFICATIONS] = "tutorat_token_signature_checks_total",
    [METRIC_TOKEN_REJECTED] = "tutorat_token_rejected_total",
    [METRIC_SESSION_CACHE_HITS] = "tutorat_session_cache_hits_total",
    [METRIC_LOGIN_SUCCESS] = "tutorat_login_success_total",
    [METRIC_LOGIN_FAILURE] = "tutorat_login_failure_total",
    [METRIC_LOGIN_THROTTLED] = "tutorat_login_throttled_total",
    [METRIC_DB_CONNECTS] = "tutorat_db_connects_total",
    [METRIC_DB_RETRIES] = "tutorat_db_transaction_retries_total",
    [METRIC_LDAP_CONNECTS] = "tutorat_ldap_connects_total",
};

void metrics_init(size_t n_routes)
{
	if (n_routes > METRICS_MAX_ROUTES)
		abort();
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		abort(); /* start-up */
	nroutes = n_routes;
}

void metrics_count(enum metric m)
{
	if (shm != NULL)
		__atomic_fetch_add(&shm->counters[m], 1, __ATOMIC_RELAXED);
}

void metrics_request(unsigned route, int status, double seconds)
{
	struct route_stats *s;
	size_t b = 0;

	if (shm == NULL)
		return;
	if (route > nroutes)
		route = (unsigned)nroutes;
	s = &shm->routes[route];
	if (status >= 100 && status < 600)
		__atomic_fetch_add(&s->by_class[status / 100], 1, __ATOMIC_RELAXED);
	while (b < N_BUCKETS && seconds > buckets[b])
		b++;
	__atomic_fetch_add(&s->bucket[b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->micros, (uint64_t)(seconds * 1e6), __ATOMIC_RELAXED);
}

char *metrics_render(const char *const *labels, const char *const *methods, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (fp == NULL)
		return NULL;
	for (int m = 0; m < METRIC__MAX; m++)
		fprintf(fp, "# TYPE %s counter\n%s %llu\n", names[m], names[m],
			(unsigned long long)__atomic_load_n(&shm->counters[m], __ATOMIC_RELAXED));
	fprintf(fp, "# TYPE tutorat_http_requests_total counter\n");
	for (size_t r = 0; r <= n; r++) {
		for (int c = 1; c < 6; c++) {
			uint64_t v = __atomic_load_n(&shm->routes[r].by_class[c], __ATOMIC_RELAXED);

			if (v == 0)
				continue;
			fprintf(fp,
				"tutorat_http_requests_total{method=\"%s\",route=\"%s\",status=\"%"
				"dxx\"} "
				"%llu\n",
				r < n ? methods[r] : "-", r < n ? labels[r] : "none", c,
				(unsigned long long)v);
		}
	}
	fprintf(fp, "# TYPE tutorat_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r <= n; r++) {
		struct route_stats *s = &shm->routes[r];
		uint64_t cum = 0;
		const char *label = r < n ? labels[r] : "none", *method = r < n ? methods[r] : "-";

		for (size_t b = 0; b <= N_BUCKETS; b++)
			cum += __atomic_load_n(&s->bucket[b], __ATOMIC_RELAXED);
		if (cum == 0)
			continue;
		cum = 0;
		for (size_t b = 0; b <= N_BUCKETS; b++) {
			cum += __atomic_load_n(&s->bucket[b], __ATOMIC_RELAXED);
			if (b < N_BUCKETS)
				fprintf(fp,
					"tutorat_http_request_duration_seconds_bucket{method=\"%"
					"s\",route="
					"\"%s\",le=\"%g\"} %llu\n",
					method, label, buckets[b], (unsigned long long)cum);
			else
				fprintf(fp,
					"tutorat_http_request_duration_seconds_bucket{method=\"%"
					"s\",route="
					"\"%s\",le=\"+Inf\"} %llu\n",
					method, label, (unsigned long long)cum);
		}
		fprintf(
		    fp,
		    "tutorat_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n",
		    method, label, (double)__atomic_load_n(&s->micros, __ATOMIC_RELAXED) / 1e6);
		fprintf(fp,
			"tutorat_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} "
			"%llu\n",
			method, label, (unsigned long long)cum);
	}
	fclose(fp);
	return buf;
}
