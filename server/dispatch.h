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

#endif
