/*
 * The data functions of the accompaniment module (accompaniment_db.c),
 * private to it. Every one binds the académie through db.c.
 */
#ifndef TUTORAT_ACCOMPANIMENT_DB_H
#define TUTORAT_ACCOMPANIMENT_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "accompaniment.h"

struct req;

/* The resolver's reads: the caller's class for a case or an enrolment. */
enum err accdb_case_ctx(struct req *r, int64_t case_id, struct acc_ctx *c);
enum err accdb_enrolment_ctx(struct req *r, int64_t enrolment_id, struct acc_ctx *c);
/* The case a share (or a revocation) belongs to. */
enum err accdb_share_case(struct req *r, int64_t share_id, int64_t *case_id);
/* The caller's relation bits to each of n cases (0 for one unseen). */
enum err accdb_relations_of(struct req *r, const int64_t *ids, size_t n, unsigned *rel);

struct acc_period {
	int level;
	const char *starts_on, *ends_on; /* YYYY-MM-DD; starts_on NULL: today */
	const char *text;		 /* why it opens (nullable) */
};
/* Opens a case on the enrolment at p->level: ERR_DUPLICATE when one is open. */
enum err accdb_case_open(struct req *r, int64_t enrolment_id, const struct acc_period *p,
			 int64_t *case_id);
/* Closes the current level with its bilan (outcome up/down/end) and either
 * opens the next period at p->level or closes the case; the case's version
 * must be `version` (412 otherwise). */
enum err accdb_case_move(struct req *r, const struct acc_ctx *c, int64_t version,
			 const char *outcome, const char *bilan, const struct acc_period *p);
/* The current level-2 period's agreements: both tutors and a non-trio
 * actor? `missing` gets a French list of who has not agreed yet. */
enum err accdb_agreements_complete(struct req *r, const struct acc_ctx *c, bool *complete,
				   const char **missing);
enum err accdb_agreement_add(struct req *r, const struct acc_ctx *c, const char *as_role,
			     int64_t *id);
enum err accdb_entry_add(struct req *r, const struct acc_ctx *c, const char *kind,
			 const char *happened_on, const char *body, int64_t corrects_id,
			 int64_t *id);
/* Is `entry_id` an entry of the case the caller reads? */
enum err accdb_entry_visible(struct req *r, const struct acc_ctx *c, int64_t entry_id, bool *found);
/* The enrolment an element of the trio's traces belongs to (ERR_NOT_FOUND). */
enum err accdb_element_enrolment(struct req *r, const char *element, int64_t element_id,
				 int64_t *enrolment_id);
enum err accdb_share_add(struct req *r, const struct acc_ctx *c, const char *element,
			 int64_t element_id, int64_t *id);
enum err accdb_share_revoke(struct req *r, const struct acc_ctx *c, int64_t share_id, int64_t *id);
enum err accdb_read_log(struct req *r, const struct acc_ctx *c, const char *what);

/* Is the enrolment flagged renouvellement and without an open case? */
enum err accdb_renewal_due(struct req *r, int64_t enrolment_id, bool *due);

/* Answers. */
enum err accdb_case_json(struct req *r, const struct acc_ctx *c, json_t **out);
enum err accdb_case_list(struct req *r, const char *state, int64_t limit, int64_t offset,
			 json_t **out);
enum err accdb_reads_json(struct req *r, const struct acc_ctx *c, int64_t limit, int64_t offset,
			  json_t **out);
/* The people who are actors of the case's enrolment at `level`, for
 * notifications: ids in the arena. */
enum err accdb_actors_at(struct req *r, int64_t enrolment_id, int level, int64_t **ids, size_t *n);

#endif
