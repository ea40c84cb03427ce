/*
 * What one académie's directory may take from a worker process: a
 * bulkhead (at most ldap_max_concurrent of its threads inside that
 * directory at once) and a circuit breaker (after ldap_failure_threshold
 * consecutive calls that found it down, calls are refused at once for
 * ldap_open_seconds; then one probe is let through, whose success closes
 * the circuit). A refused call never waits: the caller answers 503
 * ldap_unavailable with Retry-After. One guard per process, shared by its
 * worker threads (struct server); each académie's state under its own
 * mutex, held for a few instructions, never across a directory call.
 * tutoratctl has none: its runs are outside requests.
 */
#ifndef TUTORAT_LDAPGUARD_H
#define TUTORAT_LDAPGUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;

enum ldap_gate {
	LDAP_GATE_PASS, /* go ahead; call ldap_guard_leave afterwards */
	LDAP_GATE_FULL, /* the bulkhead is full */
	LDAP_GATE_OPEN	/* the circuit is open, or its probe is under way */
};

enum ldap_circuit { LDAP_CIRCUIT_CLOSED, LDAP_CIRCUIT_OPEN, LDAP_CIRCUIT_HALF_OPEN, LDAP_CIRCUIT__MAX };

struct ldap_guard;

/* threads: this process's worker threads (the default bulkhead is a
  * half of them, rounded up). */
struct ldap_guard *ldap_guard_new(const struct config *cfg, int threads);
void ldap_guard_free(struct ldap_guard *g);

/* Asks to call académie `academy`'s directory (its academy_cfg.index).
 * Anything but LDAP_GATE_PASS: *retry_after says in how many seconds to
 * try again. */
enum ldap_gate ldap_guard_enter(struct ldap_guard *g, size_t academy, int64_t *retry_after);
/* After a call let through: answered is false when the directory was
 * found down (a timeout, a refused or dropped connection). */
void ldap_guard_leave(struct ldap_guard *g, size_t academy, bool answered);

enum ldap_circuit ldap_guard_circuit(struct ldap_guard *g, size_t academy);
const char *ldap_circuit_name(enum ldap_circuit c);

/* Prometheus lines for this process: per académie, the circuit's state
 * (0 closed, 1 open, 2 half-open), threads inside, refusals by reason and
 * times opened; malloc'd, NULL on failure. */
char *ldap_guard_metrics(struct ldap_guard *g, const struct config *cfg, int pid);

#endif
