/*
 * Authentication of requests, the pipeline step: a Bearer token or the
 * session cookie. The /auth routes are the auth module (server/auth.c).
 */
#ifndef TUTORAT_AUTHN_H
#define TUTORAT_AUTHN_H

#include "problem.h"

struct req;
struct session_cache;

/* __Host-: Secure, Path=/, no Domain: a sibling subdomain of the académie
 * cannot plant one (ASVS v5.0.0-3.3.1). */
#define SESSION_COOKIE "__Host-tutorat_session"
/* The device cookie of académie CODE is DEVICE_COOKIE "CODE" (server/auth.c). */
#define DEVICE_COOKIE "__Secure-tutorat_device_"
/* How long a worker trusts what it learned about a session: the bound on
 * how late a logout reaches every instance. */
#define SESSION_RECHECK_SECONDS 2.0

/* Sets r->authenticated, r->who and r->tenant, or fails with 401. A request
 * without credentials is left unauthenticated (the route decides). */
enum err auth_authenticate(struct req *r);
/* The value of cookie `name` of the request (in the arena), or NULL. */
const char *authn_cookie(struct req *r, const char *name);

/* After a logout: this worker forgets the session at once (the others
 * within SESSION_RECHECK_SECONDS). */
void authn_forget_session(struct req *r);

struct session_cache *session_cache_new(void);
void session_cache_free(struct session_cache *c);

#endif
