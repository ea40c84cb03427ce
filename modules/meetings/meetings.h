/*
 * Module meetings: the year's procedure of the accompagnement (seed 000
 * §6, annex 1; docs/meetings.md). The pôle meetings N°1-N°3 (or the
 * discipline's, in the 2nd degré) with their list of trainees to review,
 * prepared from signals, and a decision per trainee; the tutors' requests
 * for a review; the fiche de personnalisation de l'accompagnement, sent by
 * the tuteur Inspé to the cellule d'accompagnement (bureau des stages),
 * which agrees or refuses its hours against the year's support budget;
 * the remediation workshops of the cellule.
 *
 * Access is relation-based, as in the tutorat module: the resolver
 * (meetings_resolve) gives the caller's relations to a meeting, a fiche or
 * a workshop; routes name those they admit; everyone else gets the 404 of
 * a missing id.
 */
#ifndef TUTORAT_MEETINGS_H
#define TUTORAT_MEETINGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "notify.h"
#include "problem.h"

struct req;
struct db_sql;

enum meetings_relation {
	MREL_NONE = 0,
	/* pilote_pole or IEN of the pôle, IA-IPR of the discipline */
	MREL_PILOT = 1 << 0,
	MREL_PARTICIPANT = 1 << 1, /* named among the meeting's participants */
	MREL_CELLULE = 1 << 2,	   /* the bureau des stages */
	MREL_TRAINEE = 1 << 3,
	MREL_TUTEUR_TERRAIN = 1 << 4,
	MREL_TUTEUR_INSPE = 1 << 5,
};
#define MREL_TUTORS (MREL_TUTEUR_TERRAIN | MREL_TUTEUR_INSPE)
#define MREL_TRIO   (MREL_TRAINEE | MREL_TUTORS)

enum meetings_object { MOBJ_MEETING = 1, MOBJ_PERSONALISATION, MOBJ_WORKSHOP };

/* What the resolver read about the route's object (req_object). */
struct meetings_ctx {
	int64_t id;
	int64_t year_id;
	int64_t enrolment_id; /* a fiche's */
	int64_t version;
	int number; /* a meeting's */
	char status[16];
	unsigned rel;
};
#define meetings_ctx(r) ((struct meetings_ctx *)req_object(r))

extern const char *const meetings_relation_names[];
extern const char *const meetings_object_names[];
extern const struct notice_kind meetings_notices[];
extern const struct db_sql *const meetings_statements[];

enum err meetings_resolve(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
			  void **ctx);
enum err meetings_relations_of(struct req *r, int kind, const int64_t *ids, size_t n,
			       unsigned *rel);

/* meetings_db.c: the data functions of the handlers (meetings.c). */
enum err mdb_meeting_rel(struct req *r, int64_t id, struct meetings_ctx *c);
enum err mdb_personalisation_rel(struct req *r, int64_t id, struct meetings_ctx *c);
enum err mdb_workshop_rel(struct req *r, int64_t id, struct meetings_ctx *c);
enum err mdb_relations_of(struct req *r, int kind, const int64_t *ids, size_t n, unsigned *rel);

enum err mdb_current_year(struct req *r, int64_t *year_id);
enum err mdb_year_exists(struct req *r, int64_t year_id, bool *found);
enum err mdb_structure_kind(struct req *r, int64_t id, const char *kind, bool *found);
enum err mdb_is_scope_pilot(struct req *r, const char *scope_kind, int64_t scope_id, bool *yes);
enum err mdb_calendar_date(struct req *r, int64_t year_id, int number, const char **date);
enum err mdb_meeting_insert(struct req *r, int64_t id, int64_t year_id, int number,
			    const char *scope_kind, int64_t scope_id, const char *held_on);
enum err mdb_participant_add(struct req *r, int64_t meeting_id, int64_t person_id);
enum err mdb_participants_default(struct req *r, int64_t meeting_id);
enum err mdb_participants_clear(struct req *r, int64_t meeting_id);
enum err mdb_meeting_update(struct req *r, int64_t id, int64_t version, const char *held_on);
enum err mdb_meeting_status(struct req *r, int64_t id, int64_t version, const char *from,
			    const char *to);
enum err mdb_meetings_list(struct req *r, int64_t year_id, int64_t limit, int64_t offset,
			   json_t **out);
enum err mdb_meeting_json(struct req *r, int64_t id, unsigned rel, json_t **out);
enum err mdb_reviews_json(struct req *r, int64_t id, const char *status, json_t **out);
enum err mdb_reviews_freeze(struct req *r, int64_t meeting_id, size_t *n);
enum err mdb_participant_ids(struct req *r, int64_t meeting_id, int64_t **ids, size_t *n);
enum err mdb_on_list(struct req *r, int64_t meeting_id, int64_t enrolment_id, bool *yes);
enum err mdb_decision_insert(struct req *r, int64_t id, int64_t meeting_id, int64_t enrolment_id,
			     const char *decision, const char *note);

enum err mdb_tutor_of(struct req *r, int64_t enrolment_id, bool *yes);
enum err mdb_review_request_insert(struct req *r, int64_t id, int64_t enrolment_id,
				   const char *reason);

/* The enrolment of trainee `trainee_id` in year `year_id` that the caller
 * may write a fiche for (a current tutor, the pilot of its scope): 0 when
 * there is none. */
enum err mdb_fiche_enrolment(struct req *r, int64_t trainee_id, int64_t year_id,
			     int64_t *enrolment_id);
enum err mdb_place_of(struct req *r, int64_t enrolment_id, int64_t place_id, bool *yes);
enum err mdb_only_place(struct req *r, int64_t enrolment_id, int64_t *place_id);
enum err mdb_meeting_of_year(struct req *r, int64_t meeting_id, int64_t year_id, bool *yes);
enum err mdb_personalisation_insert(struct req *r, int64_t id, int64_t enrolment_id,
				    int64_t meeting_id, const char *decided_on, int64_t place_id);
enum err mdb_personalisation_update(struct req *r, int64_t id, int64_t version,
				    const char *decided_on, int64_t meeting_id, int64_t place_id);
enum err mdb_items_replace(struct req *r, int64_t id, json_t *items);
enum err mdb_personalisation_json(struct req *r, int64_t id, json_t **out);
enum err mdb_personalisations_list(struct req *r, int64_t year_id, const char *status,
				   int64_t limit, int64_t offset, json_t **out);
enum err mdb_personalisation_send(struct req *r, int64_t id, int64_t version);
enum err mdb_personalisation_hours(struct req *r, int64_t id, int64_t *hours);
enum err mdb_personalisation_decide(struct req *r, int64_t id, int64_t version, bool agreed,
				    int64_t hours, const char *note);
/* The year's budget, locked until the transaction ends: *found false when
 * none is set; consumed = the hours agreed so far. */
enum err mdb_budget_lock(struct req *r, int64_t year_id, bool *found, int64_t *hours,
			 int64_t *consumed);
enum err mdb_budget_json(struct req *r, int64_t year_id, json_t **out);
enum err mdb_budget_insert(struct req *r, int64_t year_id, int64_t hours);
enum err mdb_budget_update(struct req *r, int64_t year_id, int64_t version, int64_t hours);
enum err mdb_cellule_ids(struct req *r, int64_t **ids, size_t *n);
enum err mdb_fiche_audience(struct req *r, int64_t enrolment_id, int64_t **ids, size_t *n,
			    const char **trainee_name);

enum err mdb_workshops_list(struct req *r, int64_t year_id, int64_t limit, int64_t offset,
			    json_t **out);
enum err mdb_workshop_insert(struct req *r, int64_t id, int64_t year_id, const char *title);
enum err mdb_workshop_json(struct req *r, int64_t id, json_t **out);
enum err mdb_session_insert(struct req *r, int64_t id, int64_t workshop_id, const char *held_at,
			    const char *place);
/* Whether the enrolment exists, is of the year and is in difficulty (an
 * agreed fiche de personnalisation, or an open case of the accompaniment
 * module). */
enum err mdb_eligibility(struct req *r, int64_t enrolment_id, int64_t *year_id,
			 bool *in_difficulty);
enum err mdb_workshop_trainee_insert(struct req *r, int64_t id, int64_t workshop_id,
				     int64_t enrolment_id);
enum err mdb_session_of(struct req *r, int64_t session_id, int64_t workshop_id, bool *yes);
enum err mdb_workshop_has_trainee(struct req *r, int64_t workshop_id, int64_t enrolment_id,
				  bool *yes);
enum err mdb_attendance_insert(struct req *r, int64_t id, int64_t session_id,
			       int64_t enrolment_id, bool present);

#endif
