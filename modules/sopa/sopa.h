/*
 * Module sopa: the M1 MEEF observation placements (SOPA) of an INSPÉ site
 * (issue 11; docs/sopa.md). Each site's four periods of the year, its
 * délégués de stage and gestionnaires de scolarité (local role assignments
 * scoped to the site), the placements of a student (etudiant_sopa) with a
 * host teacher (mat) in a class for a period, and the host teacher's report
 * (compte-rendu de stage) in versions: a sent version is frozen, a
 * correction is a new draft version, every version is kept.
 *
 * Access is relation-based: the resolver (sopa_resolve) gives the caller's
 * relations to a site, a placement or a report; routes name those they
 * admit; everyone else gets the 404 of a missing id.
 */
#ifndef TUTORAT_SOPA_H
#define TUTORAT_SOPA_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "notify.h"
#include "problem.h"

struct req;
struct db_sql;

enum sopa_relation {
	SREL_NONE = 0,
	SREL_MAT = 1 << 0,	   /* the placement's host teacher */
	SREL_STUDENT = 1 << 1,	   /* the placement's student */
	SREL_SITE_MANAGER = 1 << 2, /* responsable_site or délégué of the site; bureau_stages */
	SREL_SITE_OFFICE = 1 << 3,  /* gestionnaire de scolarité of the site */
	SREL_SITE_READER = 1 << 4,  /* direction_inspe */
};
#define SREL_SITE (SREL_SITE_MANAGER | SREL_SITE_OFFICE | SREL_SITE_READER)

enum sopa_object { SOBJ_SITE = 1, SOBJ_PLACEMENT, SOBJ_REPORT };

/* What the resolver read about the route's object (req_object). */
struct sopa_ctx {
	int64_t id;
	int64_t site_id;
	int64_t placement_id; /* a report's */
	int64_t student_id;   /* a placement's or report's */
	int64_t version;
	int number;	  /* a report's version number */
	bool sent;	  /* a report's state */
	bool latest;	  /* a report is its placement's latest version */
	unsigned rel;
};
#define sopa_ctx(r) ((struct sopa_ctx *)req_object(r))

extern const char *const sopa_relation_names[];
extern const char *const sopa_object_names[];
extern const struct notice_kind sopa_notices[];
extern const struct db_sql *const sopa_statements[];

enum err sopa_resolve(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
		      void **ctx);
enum err sopa_relations_of(struct req *r, int kind, const int64_t *ids, size_t n, unsigned *rel);

#endif
