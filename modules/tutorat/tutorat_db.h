/*
 * Data functions of the tutorat module: all of its SQL lives in
 * tutorat_db.c. Each binds the request's académie; each returns
 * ERR_NOT_FOUND for what does not exist in it.
 */
#ifndef TUTORAT_TUTORAT_DB_H
#define TUTORAT_TUTORAT_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "problem.h"
#include "tutorat.h"

struct req;

/* ---- access ---- */
/* The enrolment and the caller's place in its trio (out->rel stays
 * REL_NONE outside the trio). */
enum err tdb_enrolment_ctx(struct req *r, int64_t enrolment_id, struct enrolment_ctx *out);
/* Does a pilot rule give the caller the enrolment's summary? */
enum err tdb_is_pilot(struct req *r, int64_t enrolment_id, bool *pilot);
/* Every write to a dossier increases its version, in the same transaction. */
enum err tdb_dossier_touch(struct req *r, int64_t enrolment_id);
enum err tdb_owner_of(struct req *r, enum owned kind, int64_t id, int64_t *enrolment_id);

/* ---- reference data ---- */
enum err tdb_current_year(struct req *r, int64_t *year_id);
enum err tdb_year_by_label(struct req *r, const char *label, int64_t *year_id);
/* The trainee's enrolment of that year, or ERR_NOT_FOUND. */
enum err tdb_enrolment_of(struct req *r, int64_t trainee_id, int64_t year_id, int64_t *id);
/* Adds places ([{school_id, class_label?}]) to an enrolment; a place it
 * already has is not added twice. */
enum err tdb_enrolment_add_places(struct req *r, int64_t enrolment_id, json_t *places);
/* The one structure of that kind with that exact name: ERR_NOT_FOUND, or
 * ERR_CONFLICT when several share it. */
enum err tdb_structure_named(struct req *r, const char *kind, const char *name, int64_t *id);
enum err tdb_current_referentiel(struct req *r, int64_t *referentiel_id);
enum err tdb_referentiel_json(struct req *r, int64_t id, json_t **out);
/* Checks a list of {competence_id, level} against the enrolment's
 * framework and category; names the offending element on failure. */
enum err tdb_check_levels(struct req *r, const struct enrolment_ctx *e, json_t *items,
			  const char *field, bool level_required);
/* 422 naming parcours for a parcours the degré does not have (M2B: 2nd). */
enum err tdb_check_parcours(struct req *r, const char *parcours, int64_t degre);
enum err tdb_person_has_role(struct req *r, int64_t person_id, const char *role);
enum err tdb_structure_is(struct req *r, int64_t id, const char *kind);

/* ---- enrolments ---- */
struct enrolment_input {
	int64_t trainee_id, year_id, discipline_id, pole_id, inspe_site_id;
	const char *parcours, *category;
	int64_t degre;
	bool renouvellement;
	json_t *places; /* [{school_id, class_label?}] or NULL */
	/* PATCH: which of the above were sent */
	bool set_parcours, set_degre, set_category, set_discipline, set_pole, set_site, set_renouv;
};
/* One page of the enrolments the caller may see (all of them when `all`),
 * in a bounded number of statements whatever its size: the items (without
 * relation and checks), and per item what the relation and the checks
 * need: ctx[i] (its rel: the trio relation only) and whether a pilot rule
 * gives the caller the enrolment (pilot[i]). */
struct enrolment_page {
	json_t *items; /* the caller releases it */
	struct enrolment_ctx *ctx;
	bool *pilot;
	size_t n;
	int64_t total;
};
enum err tdb_enrolment_list(struct req *r, int64_t year_id, const char *q, int64_t limit,
			    int64_t offset, bool all, struct enrolment_page *out);
/* The fingerprint of every enrolment list of the académie (tutorat_sql_db.c,
 * Q_ENROLMENTS_FINGERPRINT) as text: unchanged, a rendered list still holds. */
enum err tdb_enrolments_fingerprint(struct req *r, const char **out);
enum err tdb_enrolment_json(struct req *r, int64_t id, enum relation rel, json_t **out);
enum err tdb_enrolment_create(struct req *r, const struct enrolment_input *in, int64_t *id);
enum err tdb_enrolment_update(struct req *r, int64_t id, int64_t version,
			      const struct enrolment_input *in);
/* Raises the enrolment's version if it is still `version` (412 else). */
enum err tdb_enrolment_bump(struct req *r, int64_t id, int64_t version);
/* Ends the current tutor of that role (if another) and adds person_id. */
enum err tdb_set_tutor(struct req *r, int64_t enrolment_id, const char *role, int64_t person_id,
		       bool *changed);

/* ---- self-assessment ---- */
enum err tdb_assessments_json(struct req *r, const struct enrolment_ctx *e, json_t **out);
enum err tdb_assessment_create(struct req *r, int64_t enrolment_id, const char *priorities,
			       json_t *items, int64_t *id, int64_t *revision);
enum err tdb_assessment_comment(struct req *r, int64_t assessment_id, const char *body,
				int64_t *id);

/* ---- follow-up times ---- */
struct followup_plan {
	const char *kind, *scheduled_at;
	int64_t place_id;
	bool with_terrain, with_inspe;
	bool set_scheduled, set_place, set_terrain, set_inspe;
};
enum err tdb_place_belongs(struct req *r, int64_t enrolment_id, int64_t place_id);
/* The dates of a follow-up time (tutorat_validate.c): 422 naming
 * scheduled_at out of the school year or day, near another time of the
 * trainee, or in the future for a time already held. followup_id 0: new. */
enum err tdb_check_schedule(struct req *r, int64_t enrolment_id, int64_t followup_id,
			    const char *at, bool held);
/* 422 naming `field` when the follow-up time is still to come. */
enum err tdb_check_not_future(struct req *r, int64_t followup_id, const char *field);
enum err tdb_followup_create(struct req *r, int64_t enrolment_id, const struct followup_plan *p,
			     int64_t *id);
enum err tdb_followup_json(struct req *r, int64_t id, enum relation rel, json_t **out);
enum err tdb_followup_state(struct req *r, int64_t id, const char **state, int64_t *version);
enum err tdb_followup_plan(struct req *r, int64_t id, int64_t version,
			   const struct followup_plan *p);
/* One text field (and the state transition that goes with it). */
enum err tdb_followup_text(struct req *r, int64_t id, int64_t version, const char *column,
			   const char *text, const char *new_state);
struct debrief {
	const char *analyses, *remediations, *action_paths, *points_appui, *axes_evolution,
	    *priorities;
	json_t *levels;
};
enum err tdb_followup_debrief(struct req *r, int64_t id, int64_t version, const struct debrief *d);
enum err tdb_followup_cancel(struct req *r, int64_t id, const char *reason);

/* Traces: author "trainee" (feedback) or "tutors" (trace). */
struct trace_row {
	bool exists;
	int64_t id, version;
	bool published;
};
enum err tdb_trace_get(struct req *r, int64_t followup_id, const char *author, struct trace_row *t);
enum err tdb_trace_put(struct req *r, int64_t followup_id, const char *author,
		       const struct trace_row *t, int64_t if_version, const char *retained,
		       const char *axes, const char *body, bool publish);

/* Documents. */
/* The quotas of [uploads] for a new document of n bytes in the enrolment's
 * dossier by the caller: ERR_OK, or the module's 413/429 problem. */
struct upload_quota {
	int64_t dossier_bytes, day_bytes, day_files, day_left;
};
enum err tdb_upload_usage(struct req *r, int64_t enrolment_id, struct upload_quota *out);
enum err tdb_document_insert(struct req *r, int64_t followup_id, const char *filename,
			     const char *type, const void *bytes, size_t n, int64_t *id);
enum err tdb_document_get(struct req *r, int64_t id, const char **filename, const char **type,
			  const char **bytes, size_t *n, int64_t *uploader);
enum err tdb_document_delete(struct req *r, int64_t id);

/* ---- bilans ---- */
enum err tdb_bilans_json(struct req *r, const struct enrolment_ctx *e, json_t **out);
enum err tdb_bilan_create(struct req *r, const struct enrolment_ctx *e, const char *kind,
			  int64_t *id);
enum err tdb_bilan_json(struct req *r, int64_t id, json_t **out);
struct bilan_state {
	int64_t version, revision;
	bool frozen, validated_terrain, validated_inspe, newer_exists;
	const char *kind;
};
enum err tdb_bilan_state(struct req *r, int64_t id, struct bilan_state *out);
enum err tdb_bilan_put(struct req *r, int64_t id, int64_t version, json_t *items);
/* Records the validation of the tutor of `role` of the bilan at `version`;
 * *frozen when both have. 412 (failed) if the bilan is at another version
 * or frozen, ERR_NOT_FOUND if it is gone. */
enum err tdb_bilan_validate(struct req *r, int64_t id, int64_t version, const char *role,
			    bool *frozen);
enum err tdb_bilan_revise(struct req *r, int64_t id, int64_t *new_id);

/* ---- result, disagreement, report ---- */
enum err tdb_result_json(struct req *r, const struct enrolment_ctx *e, json_t **out);
enum err tdb_suggestion(struct req *r, const struct enrolment_ctx *e, json_t **out,
			const char **note, const char **avis);
enum err tdb_result_version(struct req *r, int64_t enrolment_id, int64_t *version);
enum err tdb_result_put(struct req *r, const struct enrolment_ctx *e, int64_t version,
			const char *note, const char *avis, const char *comment);
enum err tdb_disagreement_put(struct req *r, int64_t enrolment_id, const char *comment);
enum err tdb_disagreements_json(struct req *r, bool all, json_t **out);
/* tutorat_agenda.c: what the caller is expected to do now, by role. */
enum err tdb_agenda_json(struct req *r, json_t **out);
enum err tdb_report_state(struct req *r, int64_t enrolment_id, bool *exists, bool *submitted,
			  int64_t *version);
enum err tdb_report_put(struct req *r, int64_t enrolment_id, bool exists, int64_t version,
			const char *body, bool submit);

/* The dossier's history (GET /enrolments/{id}/history): a page of the
 * audit rows of the enrolment and of the records under it, newest first,
 * {items: [{id, at, action, object_type, object_id, actor}], total}. */
enum err tdb_history_json(struct req *r, int64_t enrolment_id, int64_t limit, int64_t offset,
			  json_t **out);
/* The results of a year for the jury, in one parcours or all (NULL). */
struct db_res;
enum err tdb_results(struct req *r, int64_t year_id, const char *parcours, int64_t limit,
		     int64_t offset, struct db_res *out);
/* Those rows as {items, total}, and as CSV for a spreadsheet (UTF-8 with
 * its BOM, ';', CRLF; NULL when out of memory; freed with the request). */
json_t *tdb_results_json(const struct db_res *res);
char *tdb_results_csv(struct req *r, const struct db_res *res, size_t *len);
/* The rapport as the caller may read it: submitted, or the current tuteur
 * académique's draft; null otherwise. */
enum err tdb_report_json(struct req *r, const struct enrolment_ctx *e, json_t **out);

/* ---- timeline, conversion rules ---- */
enum err tdb_timeline_json(struct req *r, const struct enrolment_ctx *e, json_t **out);
enum err tdb_conversion_rules_json(struct req *r, json_t **out);
enum err tdb_conversion_rules_replace(struct req *r, const char *parcours, json_t *rules);

/* ---- inputs of the checks ---- */
struct check_visit {
	const char *kind, *state, *scheduled_at;
	int64_t place_id;
	bool joint, with_inspe, feedback_submitted;
};
struct check_inputs {
	struct check_visit *visits;
	size_t n_visits;
	struct {
		int64_t id;
		const char *school, *class_label;
	} * places;
	size_t n_places;
	const char *meeting_1, *meeting_2, *bilans_due, *today;
	/* M2B: the end of the first term (point d'étape) and the date by
	 * which the visite d'aide et de conseil is expected (or NULL). */
	const char *first_term_end, *visite_conseil_due;
	bool intermediate_frozen, final_frozen;
	/* Which bilans the parcours requires (parcours_bilan). */
	bool intermediate_required, final_required;
};
enum err tdb_check_inputs(struct req *r, const struct enrolment_ctx *e, struct check_inputs *out);
/* The same for n enrolments at once (a page of a list), in three statements. */
enum err tdb_check_inputs_page(struct req *r, const struct enrolment_ctx *es, size_t n,
			       struct check_inputs *out);

/* ---- calendar feed (tutorat_feed_db.c) ---- */
/* The person's feed: its creation time, or NULL when they have none. */
enum err tdb_feed_of(struct req *r, int64_t person_id, const char **created_at);
/* Sets the SHA-256 of the person's feed secret (replaces the old one). */
enum err tdb_feed_set(struct req *r, int64_t person_id, const unsigned char hash[32]);
enum err tdb_feed_delete(struct req *r, int64_t person_id, bool *deleted);
/* The active person whose secret hashes to `hash`: ERR_NOT_FOUND if none. */
enum err tdb_feed_owner(struct req *r, const unsigned char hash[32], int64_t *person_id);
struct db_res;
/* The feed's rows: the person's follow-ups, the calendar's dates. */
enum err tdb_feed_events(struct req *r, int64_t person_id, struct db_res *followups,
			 struct db_res *year_events);

/* ---- reminders (tutorat_remind_db.c) ---- */
/* The académie's reminder rules (kind, offsets, active, updated_at). */
enum err tdb_remind_rules(struct req *r, struct db_res *out);
/* Sets a rule's offsets and state; *found false when the académie has no
 * such rule. */
enum err tdb_remind_rule_set(struct req *r, const char *kind, const char *offsets, bool active,
			     bool *found);
struct db_sql;
/* What `finder` finds due on `today` for the steps (JSON, see the file). */
enum err tdb_remind_due(struct req *r, const struct db_sql *finder, const char *steps,
			const char *today, struct db_res *out);
/* The reminder_sent row; *first false when it was there already. */
enum err tdb_remind_mark(struct req *r, const char *kind, int64_t object_id, int64_t step,
			 int64_t recipient_id, bool *first);

/* Every statement of tutorat_db.c (struct module.statements). */
extern const struct db_sql *const tutorat_statements[];

#endif
