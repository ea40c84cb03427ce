/*
 * Inside the tutorat module's data layer: the statements of tutorat_sql_db.c
 * and the helpers its three files share. Nothing outside modules/tutorat/
 * includes it.
 */
#ifndef TUTORAT_TUTORAT_SQL_H
#define TUTORAT_TUTORAT_SQL_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "problem.h"

struct req;
struct enrolment_ctx;
struct enrolment_input;

extern const struct db_sql Q_ENROLMENT_CTX;
extern const struct db_sql Q_ENROLMENT_PILOT;
extern const struct db_sql Q_DOSSIER_TOUCH;
extern const struct db_sql Q_OWNER_FOLLOWUP;
extern const struct db_sql Q_OWNER_BILAN;
extern const struct db_sql Q_OWNER_ASSESSMENT;
extern const struct db_sql Q_OWNER_DOCUMENT;
extern const struct db_sql Q_CURRENT_YEAR;
extern const struct db_sql Q_CURRENT_REFERENTIEL;
extern const struct db_sql Q_YEAR_BY_LABEL;
extern const struct db_sql Q_ENROLMENT_OF;
extern const struct db_sql Q_STRUCTURE_NAMED;
extern const struct db_sql Q_REFERENTIEL;
extern const struct db_sql Q_REFERENTIEL_LEVELS;
extern const struct db_sql Q_REFERENTIEL_COMPETENCES;
extern const struct db_sql Q_GRID;
extern const struct db_sql Q_MAX_LEVEL;
extern const struct db_sql Q_PERSON_HAS_ROLE;
extern const struct db_sql Q_STRUCTURE_IS;
extern const struct db_sql Q_ENROLMENT_PAGE;
extern const struct db_sql Q_ENROLMENTS_FINGERPRINT;
extern const struct db_sql Q_PAGE_PLACES;
extern const struct db_sql Q_PAGE_TUTORS;
extern const struct db_sql Q_NOTIFY_RELATIONS;
extern const struct db_sql Q_NOTIFY_TRIO;
extern const struct db_sql Q_NOTIFY_DISAGREEMENT;
extern const struct db_sql Q_ENROLMENT_COUNT;
extern const struct db_sql Q_ENROLMENT_ONE;
extern const struct db_sql Q_ENROLMENT_PLACES;
extern const struct db_sql Q_ENROLMENT_TUTORS;
extern const struct db_sql Q_ENROLMENT_INSERT;
extern const struct db_sql Q_PLACE_INSERT;
extern const struct db_sql Q_PLACES_UNUSED_DELETE;
extern const struct db_sql Q_ENROLMENT_UPDATE;
extern const struct db_sql Q_ENROLMENT_EXISTS;
extern const struct db_sql Q_ENROLMENT_BUMP;
extern const struct db_sql Q_TUTOR_CURRENT;
extern const struct db_sql Q_TUTOR_END;
extern const struct db_sql Q_TUTOR_INSERT;
extern const struct db_sql Q_SA_LIST;
extern const struct db_sql Q_SA_ITEMS;
extern const struct db_sql Q_SA_COMMENTS;
extern const struct db_sql Q_SA_NEXT;
extern const struct db_sql Q_SA_INSERT;
extern const struct db_sql Q_SA_ITEM_INSERT;
extern const struct db_sql Q_SA_COMMENT_INSERT;
extern const struct db_sql Q_PLACE_BELONGS;
extern const struct db_sql Q_FOLLOWUP_INSERT;
extern const struct db_sql Q_FOLLOWUP_GET;
extern const struct db_sql Q_FOLLOWUP_LEVELS;
extern const struct db_sql Q_FOLLOWUP_TRACES;
extern const struct db_sql Q_FOLLOWUP_DOCUMENTS;
extern const struct db_sql Q_FOLLOWUP_STATE;
extern const struct db_sql Q_FOLLOWUP_EXISTS;
extern const struct db_sql Q_FOLLOWUP_SLOT;
extern const struct db_sql Q_FOLLOWUP_WHEN;
extern const struct db_sql Q_FOLLOWUP_PLAN;
extern const struct db_sql Q_FOLLOWUP_DEBRIEF;
extern const struct db_sql Q_FOLLOWUP_LEVELS_DELETE;
extern const struct db_sql Q_FOLLOWUP_LEVEL_INSERT;
extern const struct db_sql Q_FOLLOWUP_CANCEL;
extern const struct db_sql Q_SET_POINTS;
extern const struct db_sql Q_SET_EXPECTATIONS;
extern const struct db_sql Q_SET_NOTES;
extern const struct db_sql Q_TRACE_GET;
extern const struct db_sql Q_TRACE_INSERT;
extern const struct db_sql Q_TRACE_UPDATE;
extern const struct db_sql Q_TRACE_EXISTS;
extern const struct db_sql Q_DOC_INSERT;
extern const struct db_sql Q_DOC_QUOTA;
extern const struct db_sql Q_DOC_GET;
extern const struct db_sql Q_DOC_DELETE;
extern const struct db_sql Q_BILANS;
extern const struct db_sql Q_BILAN;
extern const struct db_sql Q_BILAN_ITEMS;
extern const struct db_sql Q_BILAN_KIND_EXISTS;
extern const struct db_sql Q_BILAN_DUE;
extern const struct db_sql Q_BILAN_INSERT;
extern const struct db_sql Q_BILAN_ITEMS_DELETE;
extern const struct db_sql Q_BILAN_ITEM_INSERT;
extern const struct db_sql Q_BILAN_TOUCH;
extern const struct db_sql Q_BILAN_EXISTS;
extern const struct db_sql Q_BILAN_VALIDATE_TERRAIN;
extern const struct db_sql Q_BILAN_VALIDATE_INSPE;
extern const struct db_sql Q_BILAN_COPY_ITEMS;
extern const struct db_sql Q_BILAN_REVISE;
extern const struct db_sql Q_RESULT;
extern const struct db_sql Q_FINAL_MEAN;
extern const struct db_sql Q_CONVERT;
extern const struct db_sql Q_RESULT_VERSION;
extern const struct db_sql Q_RESULT_INSERT;
extern const struct db_sql Q_RESULT_UPDATE;
extern const struct db_sql Q_RESULT_EXISTS;
extern const struct db_sql Q_DISAGREEMENT;
extern const struct db_sql Q_DISAGREEMENTS;
/* the home page's agenda (tutorat_agenda.c) */
extern const struct db_sql Q_AGENDA_FOLLOWUPS;
extern const struct db_sql Q_AGENDA_DOSSIERS;
extern const struct db_sql Q_AGENDA_MEETING;
extern const struct db_sql Q_AGENDA_BILANS_LATE;
extern const struct db_sql Q_AGENDA_TUTOR_MISSING;
extern const struct db_sql Q_REPORT_STATE;
extern const struct db_sql Q_REPORT_INSERT;
extern const struct db_sql Q_REPORT_UPDATE;
extern const struct db_sql Q_REPORT_EXISTS;
extern const struct db_sql Q_REPORT;
extern const struct db_sql Q_RESULTS;
extern const struct db_sql Q_HISTORY;
extern const struct db_sql Q_TIMELINE_FOLLOWUPS;
extern const struct db_sql Q_TIMELINE_ASSESSMENTS;
extern const struct db_sql Q_RULES;
extern const struct db_sql Q_RULES_DELETE;
extern const struct db_sql Q_RULE_INSERT;
extern const struct db_sql Q_CHECK_VISITS;
extern const struct db_sql Q_CHECK_CALENDAR;
extern const struct db_sql Q_PAGE_CHECK_VISITS;
extern const struct db_sql Q_PAGE_CHECK_CALENDAR;
extern const struct db_sql Q_FEED_OF;
extern const struct db_sql Q_FEED_SET;
extern const struct db_sql Q_FEED_DELETE;
extern const struct db_sql Q_FEED_OWNER;
extern const struct db_sql Q_FEED_FOLLOWUPS;
extern const struct db_sql Q_FEED_YEAR_EVENTS;
extern const struct db_sql Q_REMIND_RULES;
extern const struct db_sql Q_REMIND_RULE_SET;
extern const struct db_sql Q_REMIND_FEEDBACK;
extern const struct db_sql Q_REMIND_TRACE;
extern const struct db_sql Q_REMIND_BILANS;
extern const struct db_sql Q_REMIND_POLE_MEETING;
extern const struct db_sql Q_REMIND_SENT;

/* Rows [from, to) of a result: what is about one enrolment of a page. */
struct tdb_rows {
	const struct db_res *res;
	size_t from, to;
};
/* The rows of res (ordered by its enrolment_id) about enrolment id. */
struct tdb_rows tdb_rows_of(const struct db_res *res, int64_t id);
/* Every row of res. */
struct tdb_rows tdb_all_rows(const struct db_res *res);
/* "[id,id,...]": the ids of a page, the parameter of the page statements. */
const char *tdb_page_ids(struct req *r, const struct enrolment_ctx *ctx, size_t n);
/* The structures and people an enrolment names exist, are of their kind
 * and hold their role (tutorat_validate.c). */
enum err tdb_check_refs(struct req *r, const struct enrolment_input *in);

#endif
