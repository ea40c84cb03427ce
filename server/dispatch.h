/*
 * The request pipeline: one accepted FastCGI request through parse ->
 * route -> authenticate -> authorize -> validate -> access -> handler ->
 * respond -> log/metrics (see docs/architecture.md).
 */
#ifndef TUTORAT_DISPATCH_H
#define TUTORAT_DISPATCH_H

#include "req.h"
#include "routes.h"
#include "validate.h"

struct FCGX_Request;

/* Serves one accepted FastCGI request on worker w. */
void dispatch(struct worker *w, struct FCGX_Request *fr);
/* The end of every request, whichever thread served it: the answer, its
 * log line and metrics, and the arena emptied. */
void dispatch_finish(struct worker *w, struct req *r, struct FCGX_Request *fr);

#endif
