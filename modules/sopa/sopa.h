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
struct module_import;

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

/* The editable fields of a report draft (PUT /reports/{id}); a field not
 * `set` keeps its value, a set one with NULL text clears it. */
enum sopa_field {
	SF_ABSENCES,
	SF_STEP,
	SF_COMMENTS_12,
	SF_COMMENTS_34,
	SF_SESSIONS_LED,
	SF_SESSIONS_DESIGNED,
	SF_C1,
	SF_C2,
	SF_C6,
	SF_C7,
	SF_C11,
	SF_ADVICE_1,
	SF_ADVICE_2,
	SF__MAX
};
struct sopa_draft {
	bool set[SF__MAX];
	const char *val[SF__MAX];
};

/* A placement's inputs (create, patch, import). */
struct sopa_placement_in {
	int64_t period_id, student_id, mat_id, school_id, pupils;
	const char *class_level;
};

/* sopa_db.c: the data functions of the handlers (sopa.c, sopa_import.c). */
enum err sdb_site_rel(struct req *r, int64_t id, struct sopa_ctx *c);
enum err sdb_placement_rel(struct req *r, int64_t id, struct sopa_ctx *c);
enum err sdb_report_rel(struct req *r, int64_t id, struct sopa_ctx *c);
enum err sdb_relations_of(struct req *r, int kind, const int64_t *ids, size_t n, unsigned *rel);

enum err sdb_current_year(struct req *r, int64_t *year_id);
/* The year's dates: found false when the académie has no such year. */
enum err sdb_year_dates(struct req *r, int64_t year_id, bool *found, const char **starts_on,
			const char **ends_on);
enum err sdb_sites_json(struct req *r, int64_t year_id, int64_t site_id, int64_t limit,
			int64_t offset, json_t **out);
/* The site-year's set-up row, locked: *version 0 when none. */
enum err sdb_site_year_lock(struct req *r, int64_t site_id, int64_t year_id, int64_t *row_id,
			    int64_t *version);
enum err sdb_site_year_write(struct req *r, int64_t site_id, int64_t year_id, int64_t row_id);
enum err sdb_period_upsert(struct req *r, int64_t site_id, int64_t year_id, int number,
			   const char *starts_on, const char *ends_on);
enum err sdb_staff_add(struct req *r, int64_t site_id, int64_t person_id, const char *role,
		       int64_t *id);
enum err sdb_staff_remove(struct req *r, int64_t site_id, int64_t assignment_id, bool *found);

enum err sdb_period_find(struct req *r, int64_t site_id, int64_t year_id, int number,
			 int64_t *period_id);
enum err sdb_has_role(struct req *r, int64_t person_id, const char *role, bool *yes);
enum err sdb_is_school(struct req *r, int64_t id, bool *yes);
enum err sdb_site_by_name(struct req *r, const char *name, int64_t *id);
/* The MAT's placements in the period (but `except`), their person row
 * locked first so that two requests count one after the other; the count
 * is a locking read (it sees what the other one committed). */
enum err sdb_mat_load(struct req *r, int64_t mat_id, int64_t period_id, int64_t except,
		      int64_t *n);
enum err sdb_student_placed(struct req *r, int64_t student_id, int64_t period_id,
			    int64_t except, bool *yes);
enum err sdb_placement_insert(struct req *r, int64_t id, const struct sopa_placement_in *in);
enum err sdb_placement_update(struct req *r, int64_t id, int64_t version,
			      const struct sopa_placement_in *in);
enum err sdb_placement_delete(struct req *r, int64_t id);
enum err sdb_placement_reports(struct req *r, int64_t id, int64_t *n, int64_t *sent);
enum err sdb_placement_in(struct req *r, int64_t id, struct sopa_placement_in *in);
enum err sdb_placements_json(struct req *r, json_t *filters, int64_t limit, int64_t offset,
			     json_t **out);
enum err sdb_placement_json(struct req *r, int64_t id, unsigned rel, json_t **out);
enum err sdb_jury_set(struct req *r, int64_t site_id, int64_t year_id, int64_t mat_id,
		      bool jury);
enum err sdb_reports_csv(struct req *r, int64_t site_id, int64_t year_id, int period,
			 char **csv, size_t *len);

enum err sdb_report_insert(struct req *r, int64_t id, int64_t placement_id);
enum err sdb_report_correction(struct req *r, int64_t id, int64_t from);
enum err sdb_report_update(struct req *r, int64_t id, int64_t version,
			   const struct sopa_draft *d);
/* The capacity of the report's period in half-days (2 per weekday). */
enum err sdb_report_capacity(struct req *r, int64_t id, int64_t *half_days);
/* The first field a send needs that the draft lacks (NULL: complete),
 * with a detail. */
enum err sdb_report_missing(struct req *r, int64_t id, const char **field,
			    const char **detail);
/* Draft -> sent, on the version read: *done false when it changed nothing. */
enum err sdb_report_send(struct req *r, int64_t id, int64_t version, bool *done);
enum err sdb_report_ue4(struct req *r, int64_t id, bool recorded);
enum err sdb_report_json(struct req *r, int64_t id, unsigned rel, json_t **out);
/* Who is told of a sent report: the site's gestionnaires, the student. */
enum err sdb_report_audience(struct req *r, int64_t site_id, int64_t student_id, int64_t **ids,
			     size_t *n, const char **student_name);

/* Days since 1970-01-01 of a YYYY-MM-DD date. */
int64_t sopa_days(const char *date);

/* sopa_import.c */
extern const char *const sopa_import_columns[];
extern const struct module_import sopa_imports[];
/* One line of an import (site's, year's): checked as the API checks a
 * placement, and written; failures name the column. */
enum err sopa_import_line(struct req *r, int64_t site_id, int64_t year_id, char **f);

#endif
