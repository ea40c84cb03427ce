/*
 * The pilotage module: dashboards per scope (counts only) and the lists
 * behind each figure, with their CSV export (issue 13, docs/pilotage.md).
 */
#ifndef TUTORAT_PILOTAGE_H
#define TUTORAT_PILOTAGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct req;
struct db_sql;

/* The caller holds the scope (its role assignments name it). */
#define PREL_HOLDER 1u

enum pilotage_object { POBJ_SCOPE = 1 };

/* Scope kinds; the codes are bound into the statements. */
enum pilotage_kind {
	PK_POLE = 1,
	PK_CIRCONSCRIPTION,
	PK_INSPE_SITE,
	PK_DISCIPLINE,
	PK_DEPARTEMENT,
	PK_ACADEMY,
};

/* The scope the resolver found among the caller's (req_object). */
struct pilotage_ctx {
	int kind;
	int64_t id;
	const char *name;
};
#define pilotage_ctx(r) ((struct pilotage_ctx *)req_object(r))

/* The lists behind the figures; the codes are bound into the statements. */
enum pilotage_list {
	PL_TRAINEES = 1,
	PL_VISITS,
	PL_NO_JOINT_VISIT,
	PL_NO_VISIT_BEFORE_M1,
	PL_RENOUVELLEMENT,
	PL_ACCOMPANIMENT,
	PL_PERSONALISATIONS,
	PL_LATE_BILANS,
	PL_DISAGREEMENTS,
	PL_UNSIGNED_FICHES,
	PL_MISSING_BILANS,
	PL_NEXT_MEETING_REVIEW,
};

/* The values pdb_figures gives (Q_FIGURES' columns). */
#define PILOTAGE_FIGURES 12

extern const char *const pilotage_kind_names[];	 /* by enum pilotage_kind */
extern const char *const pilotage_list_names[];	 /* by enum pilotage_list */
extern const char *const pilotage_list_labels[]; /* French, by enum pilotage_list */
extern const struct db_sql *const pilotage_statements[];

int pilotage_kind_of(const char *s);
int pilotage_list_of(const char *s, size_t n);

/* pilotage_db.c */
enum err pdb_year(struct req *r, int64_t asked, int64_t *year);
enum err pdb_scopes_json(struct req *r, json_t **out);
enum err pdb_figures(struct req *r, int kind, int64_t id, int64_t year, int64_t *v);
enum err pdb_by_parcours_json(struct req *r, int kind, int64_t id, int64_t year, json_t **out);
enum err pdb_levels_json(struct req *r, int kind, int64_t id, int64_t year, json_t **out);
enum err pdb_next_meeting_json(struct req *r, int kind, int64_t id, int64_t year, json_t **out);
/* An INSPÉ site's SOPA reports per period: [{period, received, late, missing}]. */
enum err pdb_sopa_json(struct req *r, int64_t site, int64_t year, json_t **out);
/* The rows of a list: a page (limit, offset), total in *total. */
enum err pdb_list_json(struct req *r, int kind, int64_t id, int64_t year, int list,
		       int64_t limit, int64_t offset, json_t **items, int64_t *total);

/* The trends: the year's dates (YYYY-MM-DD) and today; the visits per
 * week (week, planned, done); the open cases per month index and level
 * (month, level, cases). */
enum err pdb_year_span(struct req *r, int64_t year, const char **starts, const char **ends,
		       const char **today);
struct db_res;
enum err pdb_weeks(struct req *r, int kind, int64_t id, int64_t year, struct db_res *res);
enum err pdb_months(struct req *r, int kind, int64_t id, int64_t year, struct db_res *res);
/* The caller's columns for a list (NULL: none saved), and saving them. */
enum err pdb_pref_get(struct req *r, const char *list, const char **chosen);
enum err pdb_pref_set(struct req *r, const char *list, const char *chosen);

#endif
