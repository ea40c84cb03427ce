/*
 * The SQL of the sopa module: every statement declared once with its
 * signature (tenant-bound: the académie comes from the request) and the
 * data functions the handlers call. Lists cost a bounded number of
 * statements whatever their length.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "authz.h"
#include "db.h"
#include "req.h"
#include "sopa.h"
#include "util.h"

const struct db_sql *const sopa_statements[] = {NULL};
