#include "ldapguard.h"
#include "config.h"
#include "log.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ldap_gate_state {
	pthread_mutex_t lock;
	int limit;		   /* threads inside at once, at most */
	int inside;		   /* threads inside now */
	int failures;		   /* consecutive calls that found the directory down */
	enum ldap_circuit circuit;
	double open_until;	   /* now_mono() when an open circuit lets a probe through */
	bool probing;		   /* half-open: the probe is under way */
	uint64_t refused_full, refused_open, opened;
};

struct ldap_guard {
	const struct config *cfg;
	size_t n;
	struct ldap_gate_state *states; /* by academy_cfg.index */
};

static const char *const circuit_names[LDAP_CIRCUIT__MAX] = {
    [LDAP_CIRCUIT_CLOSED] = "closed",
    [LDAP_CIRCUIT_OPEN] = "open",
    [LDAP_CIRCUIT_HALF_OPEN] = "half_open",
};

const char *ldap_circuit_name(enum ldap_circuit c)
{
	return circuit_names[c];
}

struct ldap_guard *ldap_guard_new(const struct config *cfg, int threads)
{
	struct ldap_guard *g = calloc(1, sizeof(*g));
	int dflt = cfg->ldap_max_concurrent > 0 ? cfg->ldap_max_concurrent : (threads + 1) / 2;

	if (g == NULL)
		abort(); /* start-up */
	g->cfg = cfg;
	g->n = cfg->n_academies;
	g->states = calloc(g->n > 0 ? g->n : 1, sizeof(*g->states));
	if (g->states == NULL)
		abort();
	for (size_t i = 0; i < g->n; i++) {
		const struct academy_cfg *a = cfg->academies[i];

		pthread_mutex_init(&g->states[i].lock, NULL);
		g->states[i].limit = a->ldap_max_concurrent > 0 ? a->ldap_max_concurrent : dflt;
		if (g->states[i].limit < 1)
			g->states[i].limit = 1;
	}
	return g;
}

void ldap_guard_free(struct ldap_guard *g)
{
	if (g == NULL)
		return;
	for (size_t i = 0; i < g->n; i++)
		pthread_mutex_destroy(&g->states[i].lock);
	free(g->states);
	free(g);
}

/* Seconds (at least 1) until an open circuit lets its probe through. */
static int64_t seconds_until(double when, double now)
{
	double left = when - now;

	return left < 1.0 ? 1 : (int64_t)(left + 0.999);
}

/*
 * An open circuit whose cool-down has passed turns half-open: the first
 * call let in is its probe, the others are refused until the probe ends.
 * Past the circuit, the bulkhead: never more than limit threads inside.
 */
enum ldap_gate ldap_guard_enter(struct ldap_guard *g, size_t academy, int64_t *retry_after)
{
	struct ldap_gate_state *s = &g->states[academy];
	enum ldap_gate gate = LDAP_GATE_PASS;
	double now = now_mono();

	*retry_after = 0;
	pthread_mutex_lock(&s->lock);
	if (s->circuit == LDAP_CIRCUIT_OPEN && now >= s->open_until) {
		s->circuit = LDAP_CIRCUIT_HALF_OPEN;
		s->probing = false;
	}
	if (s->circuit == LDAP_CIRCUIT_OPEN) {
		gate = LDAP_GATE_OPEN;
		*retry_after = seconds_until(s->open_until, now);
		s->refused_open++;
	} else if (s->circuit == LDAP_CIRCUIT_HALF_OPEN && s->probing) {
		gate = LDAP_GATE_OPEN;
		*retry_after = 1;
		s->refused_open++;
	} else if (s->inside >= s->limit) {
		gate = LDAP_GATE_FULL;
		*retry_after = 1;
		s->refused_full++;
	} else {
		s->inside++;
		if (s->circuit == LDAP_CIRCUIT_HALF_OPEN)
			s->probing = true;
	}
	pthread_mutex_unlock(&s->lock);
	return gate;
}

/*
 * A call that got an answer closes the circuit (the directory works, even
 * if the call started before it opened) and clears the failure count; one
 * that found the directory down counts, and opens the circuit at the
 * threshold, or again at once when it was the probe.
 */
void ldap_guard_leave(struct ldap_guard *g, size_t academy, bool answered)
{
	struct ldap_gate_state *s = &g->states[academy];
	const char *code = g->cfg->academies[academy]->code;
	enum ldap_circuit was;

	pthread_mutex_lock(&s->lock);
	was = s->circuit;
	s->inside--;
	if (answered) {
		s->failures = 0;
		s->circuit = LDAP_CIRCUIT_CLOSED;
		s->probing = false;
	} else {
		s->failures++;
		if (s->circuit == LDAP_CIRCUIT_HALF_OPEN ||
		    (s->circuit == LDAP_CIRCUIT_CLOSED &&
		     s->failures >= g->cfg->ldap_failure_threshold)) {
			s->circuit = LDAP_CIRCUIT_OPEN;
			s->open_until = now_mono() + g->cfg->ldap_open_seconds;
			s->probing = false;
			s->opened++;
		}
	}
	enum ldap_circuit now = s->circuit;
	int failures = s->failures;

	pthread_mutex_unlock(&s->lock);
	if (now == LDAP_CIRCUIT_OPEN && was != LDAP_CIRCUIT_OPEN)
		log_msg("warning", "ldap %s: circuit open after %d failure(s), for %d s", code,
			failures, g->cfg->ldap_open_seconds);
	else if (now == LDAP_CIRCUIT_CLOSED && was != LDAP_CIRCUIT_CLOSED)
		log_msg("info", "ldap %s: circuit closed, the directory answers again", code);
}

enum ldap_circuit ldap_guard_circuit(struct ldap_guard *g, size_t academy)
{
	struct ldap_gate_state *s = &g->states[academy];
	enum ldap_circuit c;

	pthread_mutex_lock(&s->lock);
	c = s->circuit;
	if (c == LDAP_CIRCUIT_OPEN && now_mono() >= s->open_until)
		c = LDAP_CIRCUIT_HALF_OPEN; /* the next call is the probe */
	pthread_mutex_unlock(&s->lock);
	return c;
}

char *ldap_guard_metrics(struct ldap_guard *g, const struct config *cfg, int pid)
{
	static const struct {
		const char *name, *type, *help;
	} families[] = {
	    {"tutorat_ldap_circuit_state", "gauge",
	     "Directory circuit of this process: 0 closed, 1 open, 2 half-open."},
	    {"tutorat_ldap_in_flight", "gauge", "Worker threads of this process inside the directory."},
	    {"tutorat_ldap_max_concurrent", "gauge",
	     "Worker threads of this process allowed inside the directory at once."},
	    {"tutorat_ldap_refused_total", "counter",
	     "Directory calls refused at once: bulkhead full or circuit open."},
	    {"tutorat_ldap_circuit_opened_total", "counter", "Times the directory's circuit opened."},
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return NULL;
	for (size_t k = 0; k < ARRAY_LEN(families); k++) {
		fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", families[k].name, families[k].help,
			families[k].name, families[k].type);
		for (size_t i = 0; i < g->n; i++) {
			struct ldap_gate_state *s = &g->states[i];
			const char *code = cfg->academies[i]->code;
			unsigned long long v[3];
			int inside, limit;

			pthread_mutex_lock(&s->lock);
			inside = s->inside;
			limit = s->limit;
			v[0] = s->refused_full;
			v[1] = s->refused_open;
			v[2] = s->opened;
			pthread_mutex_unlock(&s->lock);
			switch (k) {
			case 0:
				fprintf(f, "%s{academy=\"%s\",process=\"%d\"} %d\n", families[k].name,
					code, pid, (int)ldap_guard_circuit(g, i));
				break;
			case 1:
			case 2:
				fprintf(f, "%s{academy=\"%s\",process=\"%d\"} %d\n", families[k].name,
					code, pid, k == 1 ? inside : limit);
				break;
			case 3:
				fprintf(f,
					"%s{academy=\"%s\",process=\"%d\",reason=\"bulkhead_full\"} "
					"%llu\n%s{academy=\"%s\",process=\"%d\",reason=\"circuit_"
					"open\"} %llu\n",
					families[k].name, code, pid, v[0], families[k].name, code, pid,
					v[1]);
				break;
			default:
				fprintf(f, "%s{academy=\"%s\",process=\"%d\"} %llu\n",
					families[k].name, code, pid, v[2]);
			}
		}
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
