/*
 * The tutorat module's answers shaped as JSON, from the rows its statements
 * (tutorat_sql_db.c) read: the dossier as each member of the trio may see it,
 * the enrolments, their list page by page, the bilans, the timeline.
 */
#include "tutorat_db.h"
#include "tutorat_sql.h"
#include "authz.h"
#include "db.h"
#include "req.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JNULLSTR(res, i, c) JSTR(db_str(res, i, c))
#define JNULLINT(res, i, c) (db_isnull(res, i, c) ? json_null() : json_integer(db_int(res, i, c)))

/* A JSON number from a DECIMAL column ("14.50"), or null. */
static json_t *jdecimal(const struct db_res *res, size_t i, const char *c)
{
	const char *s = db_str(res, i, c);

	return s != NULL ? json_real(strtod(s, NULL)) : json_null();
}

enum err tdb_referentiel_json(struct req *r, int64_t id, json_t **out)
{
	struct db_res ref, lv, comp;
	json_t *levels, *comps;
	enum err e = db_rows(r, &Q_REFERENTIEL, &ref, id);

	if (e == ERR_OK && ref.n_rows != 1)
		return ERR_NOT_FOUND;
	if (e == ERR_OK)
		e = db_rows(r, &Q_REFERENTIEL_LEVELS, &lv, id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_REFERENTIEL_COMPETENCES, &comp, id);
	if (e != ERR_OK)
		return e;
	levels = json_array();
	for (size_t i = 0; i < lv.n_rows; i++)
		json_array_append_new(levels, json_pack("{s:I, s:s}", "rank",
							(json_int_t)db_int(&lv, i, "rank_no"),
							"label", db_str(&lv, i, "label")));
	comps = json_array();
	for (size_t i = 0; i < comp.n_rows; i++)
		json_array_append_new(comps, json_pack("{s:I, s:s, s:s, s:s}", "id",
						       (json_int_t)db_int(&comp, i, "id"), "code",
						       db_str(&comp, i, "code"), "family",
						       db_str(&comp, i, "family"), "title",
						       db_str(&comp, i, "title")));
	*out = json_pack("{s:I, s:s, s:I, s:s, s:o, s:o}", "id", (json_int_t)db_int(&ref, 0, "id"),
			 "code", db_str(&ref, 0, "code"), "version",
			 (json_int_t)db_int(&ref, 0, "version"), "label", db_str(&ref, 0, "label"),
			 "levels", levels, "competences", comps);
	return ERR_OK;
}

/* {id, name} from two columns, or null when the id is. */
static json_t *ref_or_null(const struct db_res *res, size_t i, const char *id_col,
			   const char *name_col)
{
	if (db_isnull(res, i, id_col))
		return json_null();
	return json_pack("{s:I, s:s}", "id", (json_int_t)db_int(res, i, id_col), "name",
			 db_str(res, i, name_col));
}

/* The enrolment row i of res, with its places and current tutors (rows of
 * the one-enrolment statements or of the page's, which name their columns
 * alike). */
static enum err enrolment_build(struct req *r, const struct db_res *res, size_t i,
				struct tdb_rows places, struct tdb_rows tutors, json_t **out)
{
	int64_t id = db_int(res, i, "id");
	json_t *pl, *tu;

	pl = json_array();
	for (size_t k = places.from; k < places.to; k++)
		json_array_append_new(
		    pl, json_pack("{s:I, s:{s:I, s:s, s:o}, s:o}", "id",
				  (json_int_t)db_int(places.res, k, "id"), "school", "id",
				  (json_int_t)db_int(places.res, k, "school_id"), "name",
				  db_str(places.res, k, "school_name"), "code",
				  JNULLSTR(places.res, k, "school_code"), "class_label",
				  JNULLSTR(places.res, k, "class_label")));
	tu = json_pack("{s:n, s:n}", "tuteur_terrain", "tuteur_inspe");
	for (size_t k = tutors.from; k < tutors.to; k++)
		json_object_set_new(tu, db_str(tutors.res, k, "role"),
				    json_pack("{s:I, s:s, s:o}", "id",
					      (json_int_t)db_int(tutors.res, k, "id"),
					      "display_name", db_str(tutors.res, k, "display_name"),
					      "email", JNULLSTR(tutors.res, k, "email")));
	*out = json_pack(
	    "{s:I, s:I, s:{s:I, s:s}, s:{s:I, s:s, s:s}, s:s, s:I, s:s, s:o, s:o, "
	    "s:o, s:b, s:o, s:I, s:o, s:o}",
	    "id", (json_int_t)id, "version", (json_int_t)db_int(res, i, "version"), "year", "id",
	    (json_int_t)db_int(res, i, "year_id"), "label", db_str(res, i, "year_label"), "trainee",
	    "id", (json_int_t)db_int(res, i, "trainee_id"), "display_name",
	    db_str(res, i, "trainee_name"), "username", db_str(res, i, "trainee_username"),
	    "parcours", db_str(res, i, "parcours"), "degre", (json_int_t)db_int(res, i, "degre"),
	    "category", db_str(res, i, "category"), "discipline",
	    ref_or_null(res, i, "discipline_id", "discipline_name"), "pole",
	    ref_or_null(res, i, "pole_id", "pole_name"), "inspe_site",
	    ref_or_null(res, i, "site_id", "site_name"), "renouvellement",
	    db_int(res, i, "renouvellement") != 0, "inspe_hours", jdecimal(res, i, "inspe_hours"),
	    "referentiel_id", (json_int_t)db_int(res, i, "referentiel_id"), "places", pl, "tutors",
	    tu);
	return *out != NULL ? ERR_OK : fail_internal(r, ERR_INTERNAL, "enrolment json");
}

enum err tdb_enrolment_list(struct req *r, int64_t year_id, const char *q, int64_t limit,
			    int64_t offset, bool all, struct enrolment_page *out)
{
	const char *like = db_like_contains(r, q), *ids;
	int64_t me = r->who.person_id;
	struct db_res res, count, places, tutors;
	enum err e;

	memset(out, 0, sizeof(*out));
	e = db_rows(r, &Q_ENROLMENT_PAGE, &res, me, me, year_id, year_id, q, like, like,
		    (int64_t)all, me, me, me, limit, offset);
	if (e != ERR_OK)
		return e;
	out->items = json_array();
	if (res.n_rows == 0) {
		/* Past the end: the total needs a statement of its own. */
		if (offset > 0)
			e = db_one(r, &Q_ENROLMENT_COUNT, &count, year_id, year_id, q, like, like,
				   (int64_t)all, me, me, me);
		out->total = e == ERR_OK && offset > 0 ? db_int(&count, 0, "n") : 0;
		return e;
	}
	out->total = db_total(&res);
	out->n = res.n_rows;
	out->ctx = arena_zalloc(r->arena, res.n_rows * sizeof(*out->ctx));
	out->pilot = arena_zalloc(r->arena, res.n_rows * sizeof(*out->pilot));
	if (out->ctx == NULL || out->pilot == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	for (size_t i = 0; i < res.n_rows; i++) {
		struct enrolment_ctx *c = &out->ctx[i];
		const char *trio = db_str(&res, i, "trio_role");

		c->id = db_int(&res, i, "id");
		c->year_id = db_int(&res, i, "year_id");
		c->trainee_id = db_int(&res, i, "trainee_id");
		snprintf(c->parcours, sizeof(c->parcours), "%s", db_str(&res, i, "parcours"));
		c->degre = (int)db_int(&res, i, "degre");
		snprintf(c->category, sizeof(c->category), "%s", db_str(&res, i, "category"));
		c->referentiel_id = db_int(&res, i, "referentiel_id");
		if (c->trainee_id == me)
			c->rel = REL_TRAINEE;
		else if (trio != NULL && strcmp(trio, "tuteur_terrain") == 0)
			c->rel = REL_TUTEUR_TERRAIN;
		else if (trio != NULL && strcmp(trio, "tuteur_inspe") == 0)
			c->rel = REL_TUTEUR_INSPE;
		out->pilot[i] = db_bool(&res, i, "pilot");
	}
	ids = tdb_page_ids(r, out->ctx, out->n);
	if (ids == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	e = db_rows(r, &Q_PAGE_PLACES, &places, ids);
	if (e == ERR_OK)
		e = db_rows(r, &Q_PAGE_TUTORS, &tutors, ids);
	for (size_t i = 0; e == ERR_OK && i < res.n_rows; i++) {
		json_t *one;

		e = enrolment_build(r, &res, i, tdb_rows_of(&places, out->ctx[i].id),
				    tdb_rows_of(&tutors, out->ctx[i].id), &one);
		if (e == ERR_OK)
			json_array_append_new(out->items, one);
	}
	return e;
}

enum err tdb_enrolment_json(struct req *r, int64_t id, enum relation rel, json_t **out)
{
	struct db_res res, places, tutors;
	enum err e = db_one(r, &Q_ENROLMENT_ONE, &res, id);

	if (e == ERR_OK)
		e = db_rows(r, &Q_ENROLMENT_PLACES, &places, id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_ENROLMENT_TUTORS, &tutors, id);
	if (e == ERR_OK)
		e = enrolment_build(r, &res, 0, tdb_all_rows(&places), tdb_all_rows(&tutors), out);
	if (e == ERR_OK)
		json_object_set_new(*out, "relation", json_string(relation_name(rel)));
	return e;
}

/* {id, display_name} of a person from two columns. */
static json_t *person_ref(const struct db_res *res, size_t i, const char *id_col,
			  const char *name_col)
{
	return json_pack("{s:I, s:s}", "id", (json_int_t)db_int(res, i, id_col), "display_name",
			 db_str(res, i, name_col));
}

enum err tdb_assessments_json(struct req *r, const struct enrolment_ctx *en, json_t **out)
{
	int64_t enrolment_id = en->id;
	struct db_res sa, items, comments;
	enum err e = db_rows(r, &Q_SA_LIST, &sa, enrolment_id);
	json_t *list;

	if (e == ERR_OK)
		e = db_rows(r, &Q_SA_ITEMS, &items, enrolment_id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_SA_COMMENTS, &comments, enrolment_id);
	if (e != ERR_OK)
		return e;
	list = json_array();
	for (size_t i = 0; i < sa.n_rows; i++) {
		int64_t id = db_int(&sa, i, "id");
		json_t *its = json_array(), *cms = json_array();

		for (size_t k = 0; k < items.n_rows; k++)
			if (db_int(&items, k, "assessment_id") == id)
				json_array_append_new(
				    its,
				    json_pack("{s:I, s:I, s:o}", "competence_id",
					      (json_int_t)db_int(&items, k, "competence_id"),
					      "level", (json_int_t)db_int(&items, k, "level_rank"),
					      "comment", JNULLSTR(&items, k, "comment")));
		for (size_t k = 0; k < comments.n_rows; k++)
			if (db_int(&comments, k, "assessment_id") == id)
				json_array_append_new(
				    cms,
				    json_pack("{s:I, s:o, s:s, s:s}", "id",
					      (json_int_t)db_int(&comments, k, "id"), "author",
					      person_ref(&comments, k, "author_id", "author_name"),
					      "body", db_str(&comments, k, "body"), "created_at",
					      db_str(&comments, k, "created_at")));
		json_array_append_new(
		    list, json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)id,
				    "revision", (json_int_t)db_int(&sa, i, "revision"),
				    "priorities", db_str(&sa, i, "priorities"), "created_at",
				    db_str(&sa, i, "created_at"), "author",
				    person_ref(&sa, i, "author_id", "author_name"), "items", its,
				    "comments", cms));
	}
	*out = json_pack("{s:o}", "items", list);
	return ERR_OK;
}

/* The follow-up as its reader may see it: the trainee's feedback reaches
 * the tutors once submitted; the tutors' trace reaches the trainee once
 * published. */
enum err tdb_followup_json(struct req *r, int64_t id, enum relation rel, json_t **out)
{
	static const char *const texts[] = {
	    "points_to_observe", "expectations", "observation_notes", "analyses",
	    "remediations",	 "action_paths", "points_appui",      "axes_evolution",
	    "priorities",	 "cancel_reason"};
	struct db_res f, lv, tr, docs;
	json_t *o, *levels, *documents, *feedback = json_null(), *trace = json_null();
	enum err e = db_rows(r, &Q_FOLLOWUP_GET, &f, id);

	if (e == ERR_OK && f.n_rows != 1)
		e = ERR_NOT_FOUND;
	if (e == ERR_OK)
		e = db_rows(r, &Q_FOLLOWUP_LEVELS, &lv, id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_FOLLOWUP_TRACES, &tr, id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_FOLLOWUP_DOCUMENTS, &docs, id);
	if (e != ERR_OK)
		return e;
	o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:o, s:b, s:b, s:s}", "id",
		      (json_int_t)db_int(&f, 0, "id"), "version",
		      (json_int_t)db_int(&f, 0, "version"), "enrolment_id",
		      (json_int_t)db_int(&f, 0, "enrolment_id"), "kind", db_str(&f, 0, "kind"),
		      "state", db_str(&f, 0, "state"), "scheduled_at",
		      db_str(&f, 0, "scheduled_at"), "place_id", JNULLINT(&f, 0, "place_id"),
		      "with_terrain", db_int(&f, 0, "with_terrain") != 0, "with_inspe",
		      db_int(&f, 0, "with_inspe") != 0, "updated_at", db_str(&f, 0, "updated_at"));
	for (size_t i = 0; i < ARRAY_LEN(texts); i++)
		json_object_set_new(o, texts[i], JNULLSTR(&f, 0, texts[i]));
	levels = json_array();
	for (size_t i = 0; i < lv.n_rows; i++)
		json_array_append_new(levels,
				      json_pack("{s:I, s:I}", "competence_id",
						(json_int_t)db_int(&lv, i, "competence_id"),
						"level", (json_int_t)db_int(&lv, i, "level_rank")));
	for (size_t i = 0; i < tr.n_rows; i++) {
		bool published = db_int(&tr, i, "published") != 0;

		if (strcmp(db_str(&tr, i, "author"), "trainee") == 0) {
			if (rel == REL_TRAINEE || published)
				feedback =
				    json_pack("{s:o, s:o, s:b, s:I, s:s}", "retained",
					      JNULLSTR(&tr, i, "retained"), "axes",
					      JNULLSTR(&tr, i, "axes"), "submitted", published,
					      "version", (json_int_t)db_int(&tr, i, "version"),
					      "updated_at", db_str(&tr, i, "updated_at"));
		} else if (rel != REL_TRAINEE || published) {
			trace = json_pack("{s:o, s:b, s:I, s:s}", "body", JNULLSTR(&tr, i, "body"),
					  "published", published, "version",
					  (json_int_t)db_int(&tr, i, "version"), "updated_at",
					  db_str(&tr, i, "updated_at"));
		}
	}
	documents = json_array();
	for (size_t i = 0; i < docs.n_rows; i++)
		json_array_append_new(
		    documents, json_pack("{s:I, s:s, s:s, s:I, s:o, s:s}", "id",
					 (json_int_t)db_int(&docs, i, "id"), "filename",
					 db_str(&docs, i, "filename"), "content_type",
					 db_str(&docs, i, "content_type"), "size",
					 (json_int_t)db_int(&docs, i, "size_bytes"), "uploaded_by",
					 person_ref(&docs, i, "uploaded_by", "display_name"),
					 "created_at", db_str(&docs, i, "created_at")));
	json_object_set_new(o, "levels", levels);
	json_object_set_new(o, "feedback", feedback);
	json_object_set_new(o, "trace", trace);
	json_object_set_new(o, "documents", documents);
	*out = o;
	return ERR_OK;
}

static json_t *bilan_summary(const struct db_res *res, size_t i)
{
	return json_pack(
	    "{s:I, s:I, s:s, s:I, s:b, s:b, s:b, s:o, s:I, s:I, s:o, s:o, s:o, s:b}", "id",
	    (json_int_t)db_int(res, i, "id"), "enrolment_id",
	    (json_int_t)db_int(res, i, "enrolment_id"), "kind", db_str(res, i, "kind"), "revision",
	    (json_int_t)db_int(res, i, "revision"), "frozen", db_int(res, i, "frozen") != 0,
	    "validated_terrain", db_int(res, i, "validated_terrain") != 0, "validated_inspe",
	    db_int(res, i, "validated_inspe") != 0, "due_on", JNULLSTR(res, i, "due_on"), "version",
	    (json_int_t)db_int(res, i, "version"), "referentiel_id",
	    (json_int_t)db_int(res, i, "referentiel_id"), "frozen_at",
	    JNULLSTR(res, i, "frozen_at"), "validated_terrain_at",
	    JNULLSTR(res, i, "validated_terrain_at"), "validated_inspe_at",
	    JNULLSTR(res, i, "validated_inspe_at"), "superseded",
	    db_int(res, i, "newer_exists") != 0);
}

enum err tdb_bilans_json(struct req *r, const struct enrolment_ctx *en, json_t **out)
{
	int64_t enrolment_id = en->id;
	struct db_res res;
	json_t *items;
	enum err e = db_rows(r, &Q_BILANS, &res, enrolment_id);

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(items, bilan_summary(&res, i));
	*out = json_pack("{s:o}", "items", items);
	return ERR_OK;
}

enum err tdb_bilan_json(struct req *r, int64_t id, json_t **out)
{
	struct db_res b, items;
	json_t *list;
	enum err e = db_rows(r, &Q_BILAN, &b, id);

	if (e == ERR_OK && b.n_rows != 1)
		return ERR_NOT_FOUND;
	if (e == ERR_OK)
		e = db_rows(r, &Q_BILAN_ITEMS, &items, id);
	if (e != ERR_OK)
		return e;
	list = json_array();
	for (size_t i = 0; i < items.n_rows; i++)
		json_array_append_new(list,
				      json_pack("{s:I, s:o, s:o}", "competence_id",
						(json_int_t)db_int(&items, i, "competence_id"),
						"level", JNULLINT(&items, i, "level_rank"),
						"comment", JNULLSTR(&items, i, "comment")));
	*out = bilan_summary(&b, 0);
	json_object_set_new(*out, "items", list);
	return ERR_OK;
}

enum err tdb_suggestion(struct req *r, const struct enrolment_ctx *en, json_t **out,
			const char **note, const char **avis)
{
	struct db_res mean, conv;
	enum err e = db_rows(r, &Q_FINAL_MEAN, &mean, en->id);

	*out = json_null();
	*note = *avis = NULL;
	if (e != ERR_OK || mean.n_rows == 0 || db_int(&mean, 0, "n_levels") == 0)
		return e;
	e = db_rows(r, &Q_CONVERT, &conv, en->parcours, db_str(&mean, 0, "mean"));
	if (e != ERR_OK)
		return e;
	json_decref(*out);
	*out = json_pack("{s:f}", "mean", strtod(db_str(&mean, 0, "mean"), NULL));
	if (conv.n_rows == 1) {
		*note = db_str(&conv, 0, "note");
		*avis = db_str(&conv, 0, "avis");
		json_object_set_new(*out, *note != NULL ? "note" : "avis",
				    *note != NULL ? jdecimal(&conv, 0, "note")
						  : json_string(*avis));
	}
	return ERR_OK;
}

enum err tdb_report_json(struct req *r, const struct enrolment_ctx *en, json_t **out)
{
	struct db_res rep;
	enum err e = db_rows(r, &Q_REPORT, &rep, en->id);

	if (e != ERR_OK)
		return e;
	/* An unsubmitted report is the draft of the tuteur académique: the
	 * current one, who continues it when they replaced its first author
	 * (its earlier saves stay in the dossier's history). */
	if (rep.n_rows == 1 && (db_int(&rep, 0, "submitted") != 0 || en->rel == REL_TUTEUR_TERRAIN))
		*out = json_pack("{s:s, s:b, s:I, s:o}", "body", db_str(&rep, 0, "body"),
				 "submitted", db_int(&rep, 0, "submitted") != 0, "version",
				 (json_int_t)db_int(&rep, 0, "version"), "author",
				 person_ref(&rep, 0, "id", "display_name"));
	else
		*out = json_null();
	return ERR_OK;
}

enum err tdb_result_json(struct req *r, const struct enrolment_ctx *en, json_t **out)
{
	struct db_res res;
	const char *note, *avis;
	json_t *suggestion, *report, *result = json_null();
	enum err e = db_rows(r, &Q_RESULT, &res, en->id);

	if (e == ERR_OK)
		e = tdb_suggestion(r, en, &suggestion, &note, &avis);
	if (e != ERR_OK)
		return e;
	if (res.n_rows == 1) {
		result = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:I}", "note",
				   jdecimal(&res, 0, "note"), "avis", JNULLSTR(&res, 0, "avis"),
				   "comment", JNULLSTR(&res, 0, "comment"), "suggested_note",
				   jdecimal(&res, 0, "suggested_note"), "suggested_avis",
				   JNULLSTR(&res, 0, "suggested_avis"), "recorded_by",
				   person_ref(&res, 0, "recorder_id", "recorder_name"),
				   "recorded_at", db_str(&res, 0, "recorded_at"), "disagreement",
				   JNULLSTR(&res, 0, "disagreement"), "version",
				   (json_int_t)db_int(&res, 0, "version"));
		if (!db_isnull(&res, 0, "disagreer_id")) {
			json_object_set_new(result, "disagreement_by",
					    person_ref(&res, 0, "disagreer_id", "disagreer_name"));
			json_object_set_new(result, "disagreement_at",
					    JNULLSTR(&res, 0, "disagreement_at"));
		}
	}
	e = tdb_report_json(r, en, &report);
	if (e != ERR_OK) {
		json_decref(result);
		json_decref(suggestion);
		return e;
	}
	*out = json_pack("{s:o, s:o, s:o}", "result", result, "suggestion", suggestion, "report",
			 report);
	return ERR_OK;
}

enum err tdb_disagreements_json(struct req *r, bool all, json_t **out)
{
	struct db_res res;
	json_t *items;
	enum err e = db_rows(r, &Q_DISAGREEMENTS, &res, (int64_t)all, r->who.person_id);

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:o}", "enrolment_id",
			      (json_int_t)db_int(&res, i, "id"), "trainee",
			      person_ref(&res, i, "trainee_id", "trainee_name"), "note",
			      jdecimal(&res, i, "note"), "avis", JNULLSTR(&res, i, "avis"),
			      "disagreement", db_str(&res, i, "disagreement"), "disagreement_at",
			      db_str(&res, i, "disagreement_at"), "disagreement_by",
			      person_ref(&res, i, "disagreer_id", "disagreer_name"), "pole",
			      JNULLSTR(&res, i, "pole_name"), "final_bilan_id",
			      db_isnull(&res, i, "final_bilan_id")
				  ? json_null()
				  : json_integer(db_int(&res, i, "final_bilan_id"))));
	*out = json_pack("{s:o}", "items", items);
	return ERR_OK;
}

enum err tdb_timeline_json(struct req *r, const struct enrolment_ctx *en, json_t **out)
{
	struct db_res f, sa;
	json_t *enrolment = NULL, *followups, *assessments, *bilans = NULL, *result = NULL,
	       *report = NULL;
	enum err e = tdb_enrolment_json(r, en->id, en->rel, &enrolment);

	if (e == ERR_OK)
		e = db_rows(r, &Q_TIMELINE_FOLLOWUPS, &f, en->id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_TIMELINE_ASSESSMENTS, &sa, en->id);
	if (e == ERR_OK)
		e = tdb_bilans_json(r, en, &bilans);
	if (e == ERR_OK)
		e = tdb_result_json(r, en, &result);
	if (e == ERR_OK)
		e = tdb_report_json(r, en, &report);
	if (e != ERR_OK) {
		json_decref(enrolment);
		json_decref(bilans);
		json_decref(result);
		return e;
	}
	followups = json_array();
	for (size_t i = 0; i < f.n_rows; i++)
		json_array_append_new(
		    followups, json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:b, s:I, s:b, s:b, s:I}",
					 "id", (json_int_t)db_int(&f, i, "id"), "kind",
					 db_str(&f, i, "kind"), "state", db_str(&f, i, "state"),
					 "scheduled_at", db_str(&f, i, "scheduled_at"), "place_id",
					 JNULLINT(&f, i, "place_id"), "with_terrain",
					 db_int(&f, i, "with_terrain") != 0, "with_inspe",
					 db_int(&f, i, "with_inspe") != 0, "version",
					 (json_int_t)db_int(&f, i, "version"), "feedback_submitted",
					 db_int(&f, i, "feedback_published") != 0,
					 "trace_published", db_int(&f, i, "trace_published") != 0,
					 "documents", (json_int_t)db_int(&f, i, "n_documents")));
	assessments = json_array();
	for (size_t i = 0; i < sa.n_rows; i++)
		json_array_append_new(assessments,
				      json_pack("{s:I, s:I, s:s}", "id",
						(json_int_t)db_int(&sa, i, "id"), "revision",
						(json_int_t)db_int(&sa, i, "revision"),
						"created_at", db_str(&sa, i, "created_at")));
	*out = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "enrolment", enrolment, "followups",
			 followups, "self_assessments", assessments, "bilans",
			 json_incref(json_object_get(bilans, "items")), "result", result, "report",
			 report);
	json_decref(bilans);
	return ERR_OK;
}

enum err tdb_conversion_rules_json(struct req *r, json_t **out)
{
	struct db_res res;
	json_t *items;
	enum err e = db_rows(r, &Q_RULES, &res);

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++) {
		json_t *o = json_pack("{s:s, s:o}", "parcours", db_str(&res, i, "parcours"),
				      "min_mean", jdecimal(&res, i, "min_mean"));

		if (!db_isnull(&res, i, "note"))
			json_object_set_new(o, "note", jdecimal(&res, i, "note"));
		else
			json_object_set_new(o, "avis", JNULLSTR(&res, i, "avis"));
		json_array_append_new(items, o);
	}
	*out = json_pack("{s:o}", "items", items);
	return ERR_OK;
}

enum err tdb_history_json(struct req *r, int64_t enrolment_id, int64_t limit, int64_t offset,
			  json_t **out)
{
	struct db_res res;
	json_t *items;
	enum err e = db_rows(r, &Q_HISTORY, &res, enrolment_id, enrolment_id, enrolment_id,
			     enrolment_id, enrolment_id, enrolment_id, limit, offset);

	if (e != ERR_OK)
		return e;
	items = json_array();
	for (size_t i = 0; i < res.n_rows; i++)
		json_array_append_new(
		    items, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id",
				     (json_int_t)db_int(&res, i, "id"), "at", db_str(&res, i, "at"),
				     "action", db_str(&res, i, "action"), "object_type",
				     db_str(&res, i, "object_type"), "object_id",
				     JNULLINT(&res, i, "object_id"), "actor",
				     db_isnull(&res, i, "actor_id")
					 ? json_null()
					 : person_ref(&res, i, "actor_id", "actor_name")));
	*out = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)db_total(&res));
	return ERR_OK;
}

enum err tdb_results(struct req *r, int64_t year_id, const char *parcours, int64_t limit,
		     int64_t offset, struct db_res *out)
{
	return db_rows(r, &Q_RESULTS, out, year_id, parcours, parcours, limit, offset);
}

json_t *tdb_results_json(const struct db_res *res)
{
	json_t *items = json_array();

	for (size_t i = 0; i < res->n_rows; i++)
		json_array_append_new(
		    items,
		    json_pack(
			"{s:I, s:s, s:I, s:{s:I, s:s, s:s}, s:o, s:o, s:o, s:o, s:o, s:o}",
			"enrolment_id", (json_int_t)db_int(res, i, "id"), "parcours",
			db_str(res, i, "parcours"), "degre", (json_int_t)db_int(res, i, "degre"),
			"trainee", "id", (json_int_t)db_int(res, i, "trainee_id"), "display_name",
			db_str(res, i, "trainee_name"), "username",
			db_str(res, i, "trainee_username"), "discipline",
			JNULLSTR(res, i, "discipline_name"), "site", JNULLSTR(res, i, "site_name"),
			"note", jdecimal(res, i, "note"), "avis", JNULLSTR(res, i, "avis"),
			"recorded_at", JNULLSTR(res, i, "recorded_at"), "report_submitted",
			db_isnull(res, i, "report_submitted")
			    ? json_null()
			    : json_boolean(db_int(res, i, "report_submitted") != 0)));
	return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)db_total(res));
}

/* A text that grows (malloc'd); `failed` once an allocation failed. */
struct strbuf {
	char *p;
	size_t len, cap;
	bool failed;
};

static void strbuf_add(struct strbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap == 0 ? 4096 : b->cap;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		p = realloc(b->p, cap);
		if (p == NULL) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* One CSV field for a spreadsheet: quoted when it holds the separator, a
 * quote or a line break; a leading = + - @ is escaped with an apostrophe
 * so that no cell is read as a formula. */
static void csv_field(struct strbuf *b, const char *s, bool last)
{
	bool quote = s != NULL && strpbrk(s, ";\"\r\n") != NULL;

	if (csv_formula(s))
		strbuf_add(b, "'", 1);
	if (quote)
		strbuf_add(b, "\"", 1);
	for (const char *p = s; p != NULL && *p != '\0'; p++)
		strbuf_add(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
	if (quote)
		strbuf_add(b, "\"", 1);
	strbuf_add(b, last ? "\r\n" : ";", last ? 2 : 1);
}

static const char *avis_label(const char *avis)
{
	if (avis == NULL)
		return NULL;
	return strcmp(avis, "favorable") == 0 ? "Favorable"
	       : strcmp(avis, "reserve") == 0 ? "Réservé"
					      : "Défavorable";
}

char *tdb_results_csv(struct req *r, const struct db_res *res, size_t *len)
{
	static const char *const head[] = {
	    "Parcours",	       "Degré",	     "Stagiaire",
	    "Identifiant",     "Discipline", "Site INSPÉ",
	    "Note /20",	       "Avis",	     "Résultat enregistré le",
	    "Rapport transmis"};
	struct strbuf b = {0};

	strbuf_add(&b, "\xef\xbb\xbf", 3); /* UTF-8 BOM: spreadsheets read the accents */
	for (size_t k = 0; k < ARRAY_LEN(head); k++)
		csv_field(&b, head[k], k + 1 == ARRAY_LEN(head));
	for (size_t i = 0; i < res->n_rows; i++) {
		const char *note = db_str(res, i, "note"), *at = db_str(res, i, "recorded_at");
		char *fr_note = note != NULL ? arena_strdup(r->arena, note) : NULL;

		/* "14.50" -> "14,50": the decimal comma of a French spreadsheet. */
		for (char *c = fr_note; c != NULL && *c != '\0'; c++)
			if (*c == '.')
				*c = ',';
		csv_field(&b, db_str(res, i, "parcours"), false);
		csv_field(&b, db_int(res, i, "degre") == 1 ? "1er degré" : "2nd degré", false);
		csv_field(&b, db_str(res, i, "trainee_name"), false);
		csv_field(&b, db_str(res, i, "trainee_username"), false);
		csv_field(&b, db_str(res, i, "discipline_name"), false);
		csv_field(&b, db_str(res, i, "site_name"), false);
		csv_field(&b, fr_note, false);
		csv_field(&b, avis_label(db_str(res, i, "avis")), false);
		csv_field(&b,
			  at != NULL ? arena_printf(r->arena, "%.2s/%.2s/%.4s", at + 8, at + 5, at)
				     : NULL,
			  false);
		csv_field(&b,
			  db_isnull(res, i, "report_submitted")	    ? NULL
			  : db_int(res, i, "report_submitted") != 0 ? "oui"
								    : "non",
			  true);
	}
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	arena_defer(r->arena, free, b.p);
	*len = b.len;
	return b.p;
}
