/*
 * The tutorat module's data functions: the rows it reads (the caller's
 * context of an enrolment, states, versions, the inputs of the checks) and
 * every write. The statements are in tutorat_sql_db.c; the JSON answers in
 * tutorat_json.c; the checks of inputs in tutorat_validate.c.
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

enum err tdb_enrolment_ctx(struct req *r, int64_t enrolment_id, struct enrolment_ctx *out)
{
	struct db_res res;
	const char *trio;
	enum err e = db_one(r, &Q_ENROLMENT_CTX, &res, r->who.person_id, enrolment_id);

	if (e != ERR_OK)
		return e;
	memset(out, 0, sizeof(*out));
	out->id = db_int(&res, 0, "id");
	out->trainee_id = db_int(&res, 0, "trainee_id");
	out->year_id = db_int(&res, 0, "year_id");
	out->referentiel_id = db_int(&res, 0, "referentiel_id");
	out->degre = (int)db_int(&res, 0, "degre");
	snprintf(out->parcours, sizeof(out->parcours), "%s", db_str(&res, 0, "parcours"));
	snprintf(out->category, sizeof(out->category), "%s", db_str(&res, 0, "category"));
	trio = db_str(&res, 0, "trio_role");
	out->dossier_version = db_int(&res, 0, "dossier_version");
	out->reference_version = db_int(&res, 0, "reference_version");
	if (out->trainee_id == r->who.person_id)
		out->rel = REL_TRAINEE;
	else if (trio != NULL && strcmp(trio, "tuteur_terrain") == 0)
		out->rel = REL_TUTEUR_TERRAIN;
	else if (trio != NULL && strcmp(trio, "tuteur_inspe") == 0)
		out->rel = REL_TUTEUR_INSPE;
	return ERR_OK;
}

enum err tdb_is_pilot(struct req *r, int64_t enrolment_id, bool *pilot)
{
	return db_exists(r, &Q_ENROLMENT_PILOT, pilot, r->who.person_id, enrolment_id);
}

enum err tdb_dossier_touch(struct req *r, int64_t enrolment_id)
{
	return db_run(r, &Q_DOSSIER_TOUCH, NULL, enrolment_id);
}

enum err tdb_owner_of(struct req *r, enum owned kind, int64_t id, int64_t *enrolment_id)
{
	static const struct db_sql *const by_kind[OWNED__MAX] = {
	    [OWNED_FOLLOWUP] = &Q_OWNER_FOLLOWUP,
	    [OWNED_BILAN] = &Q_OWNER_BILAN,
	    [OWNED_ASSESSMENT] = &Q_OWNER_ASSESSMENT,
	    [OWNED_DOCUMENT] = &Q_OWNER_DOCUMENT,
	};
	const struct db_sql *q = by_kind[kind];
	struct db_res res;
	enum err e = db_rows(r, q, &res, id);

	if (e != ERR_OK)
		return e;
	if (res.n_rows != 1)
		return ERR_NOT_FOUND;
	*enrolment_id = db_int(&res, 0, "enrolment_id");
	return ERR_OK;
}

static enum err single_id(struct req *r, const struct db_sql *q, int64_t *out)
{
	struct db_res res;
	enum err e = db_rows(r, q, &res);

	if (e != ERR_OK)
		return e;
	if (res.n_rows == 0)
		return ERR_NOT_FOUND;
	*out = db_int(&res, 0, "id");
	return ERR_OK;
}

enum err tdb_year_by_label(struct req *r, const char *label, int64_t *year_id)
{
	struct db_res res;
	enum err e = db_one(r, &Q_YEAR_BY_LABEL, &res, label);

	if (e != ERR_OK)
		return e;
	*year_id = db_int(&res, 0, "id");
	return ERR_OK;
}

enum err tdb_enrolment_of(struct req *r, int64_t trainee_id, int64_t year_id, int64_t *id)
{
	struct db_res res;
	enum err e = db_one(r, &Q_ENROLMENT_OF, &res, trainee_id, year_id);

	if (e != ERR_OK)
		return e;
	*id = db_int(&res, 0, "id");
	return ERR_OK;
}

enum err tdb_structure_named(struct req *r, const char *kind, const char *name, int64_t *id)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_STRUCTURE_NAMED, &res, kind, name);

	if (e != ERR_OK)
		return e;
	if (res.n_rows == 0)
		return ERR_NOT_FOUND;
	if (res.n_rows > 1)
		return ERR_CONFLICT;
	*id = db_int(&res, 0, "id");
	return ERR_OK;
}

enum err tdb_current_year(struct req *r, int64_t *year_id)
{
	return single_id(r, &Q_CURRENT_YEAR, year_id);
}

enum err tdb_current_referentiel(struct req *r, int64_t *referentiel_id)
{
	return single_id(r, &Q_CURRENT_REFERENTIEL, referentiel_id);
}

/* The first row of res (ordered by its enrolment_id) about enrolment id;
 * tutorat_sql.h says what the helpers below are. */
static size_t first_row_of(const struct db_res *res, int64_t id)
{
	size_t lo = 0, hi = res->n_rows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (db_int(res, mid, "enrolment_id") < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct tdb_rows tdb_rows_of(const struct db_res *res, int64_t id)
{
	struct tdb_rows r = {res, first_row_of(res, id), 0};

	r.to = r.from;
	while (r.to < res->n_rows && db_int(res, r.to, "enrolment_id") == id)
		r.to++;
	return r;
}

struct tdb_rows tdb_all_rows(const struct db_res *res)
{
	return (struct tdb_rows){res, 0, res->n_rows};
}

const char *tdb_page_ids(struct req *r, const struct enrolment_ctx *ctx, size_t n)
{
	char *s = arena_alloc(r->arena, n * 21 + 3), *p = s;

	if (s == NULL)
		return NULL;
	*p++ = '[';
	for (size_t i = 0; i < n; i++)
		p += snprintf(p, 22, "%s%lld", i > 0 ? "," : "", (long long)ctx[i].id);
	*p++ = ']';
	*p = '\0';
	return s;
}

enum err tdb_enrolments_fingerprint(struct req *r, const char **out)
{
	struct db_res res;
	enum err e = db_one(r, &Q_ENROLMENTS_FINGERPRINT, &res);

	if (e != ERR_OK)
		return e;
	*out =
	    arena_printf(r->arena, "%lld.%lld.%lld.%lld", (long long)db_int(&res, 0, "n"),
			 (long long)db_int(&res, 0, "versions"), (long long)db_int(&res, 0, "ids"),
			 (long long)db_int(&res, 0, "reference_version"));
	return *out != NULL ? ERR_OK : fail_internal(r, ERR_INTERNAL, "arena exhausted");
}

enum err tdb_enrolment_add_places(struct req *r, int64_t enrolment_id, json_t *places)
{
	size_t i;
	json_t *p;

	json_array_foreach(places, i, p)
	{
		int64_t school = json_integer_value(json_object_get(p, "school_id"));
		json_t *cl = json_object_get(p, "class_label");
		enum err e = tdb_structure_is(r, school, "school");

		if (e == ERR_NOT_FOUND)
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "places[%zu].school_id", i),
				    "École ou établissement inconnu.");
		if (e == ERR_OK) {
			const char *label = json_is_string(cl) ? json_string_value(cl) : NULL;

			e = db_run(r, &Q_PLACE_INSERT, NULL, random_id(), enrolment_id, school,
				   label, enrolment_id, school, label);
		}
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

enum err tdb_enrolment_create(struct req *r, const struct enrolment_input *in, int64_t *id)
{
	int64_t ref;
	enum err e = tdb_check_parcours(r, in->parcours, in->degre);

	if (e == ERR_OK)
		e = tdb_check_refs(r, in);

	if (e == ERR_OK)
		e = tdb_current_referentiel(r, &ref);
	if (e == ERR_NOT_FOUND)
		return fail(r, ERR_CONFLICT, NULL,
			    "Aucun référentiel de compétences n’est chargé.");
	if (e != ERR_OK)
		return e;
	*id = random_id();
	e = db_run(r, &Q_ENROLMENT_INSERT, NULL, *id, in->year_id, in->trainee_id, in->parcours,
		   in->degre, in->category, in->discipline_id, in->pole_id, in->inspe_site_id,
		   (int64_t)in->renouvellement, ref, in->renouvellement ? "7" : "5");
	if (e == ERR_DUPLICATE)
		return fail(r, ERR_CONFLICT, "trainee_id",
			    "Ce stagiaire est déjà inscrit pour cette année scolaire.");
	if (e == ERR_REFERENCE)
		return fail(r, ERR_INVALID_FIELD, "year_id",
			    "Année scolaire ou personne inconnue.");
	if (e == ERR_OK && in->places != NULL)
		e = tdb_enrolment_add_places(r, *id, in->places);
	return e;
}

enum err tdb_enrolment_update(struct req *r, int64_t id, int64_t version,
			      const struct enrolment_input *in)
{
	uint64_t changed = 0;
	enum err e = tdb_check_refs(r, in);

	if (e != ERR_OK)
		return e;
	e = db_run(r, &Q_ENROLMENT_UPDATE, &changed, (int64_t)in->set_parcours, in->parcours,
		   (int64_t)in->set_degre, in->degre, (int64_t)in->set_category, in->category,
		   (int64_t)in->set_discipline, in->discipline_id, (int64_t)in->set_pole,
		   in->pole_id, (int64_t)in->set_site, in->inspe_site_id, (int64_t)in->set_renouv,
		   (int64_t)in->renouvellement, id, version);
	if (e != ERR_OK)
		return e;
	if (changed != 1)
		return db_stale_or_missing(r, &Q_ENROLMENT_EXISTS, id);
	if (in->places != NULL) {
		/* Places already visited stay (their follow-ups point at them). */
		e = db_run(r, &Q_PLACES_UNUSED_DELETE, NULL, id);
		if (e == ERR_OK)
			e = tdb_enrolment_add_places(r, id, in->places);
	}
	return e;
}

enum err tdb_enrolment_bump(struct req *r, int64_t id, int64_t version)
{
	return db_update_versioned(r, &Q_ENROLMENT_BUMP, &Q_ENROLMENT_EXISTS, id, id, version);
}

enum err tdb_set_tutor(struct req *r, int64_t enrolment_id, const char *role, int64_t person_id,
		       bool *changed)
{
	struct db_res cur;
	enum err e = db_rows(r, &Q_TUTOR_CURRENT, &cur, enrolment_id, role);

	*changed = false;
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < cur.n_rows; i++) {
		if (db_int(&cur, i, "person_id") == person_id)
			return ERR_OK; /* already the tutor */
		e = db_run(r, &Q_TUTOR_END, NULL, db_int(&cur, i, "id"));
		if (e != ERR_OK)
			return e;
	}
	*changed = true;
	return db_run(r, &Q_TUTOR_INSERT, NULL, random_id(), enrolment_id, person_id, role);
}

enum err tdb_assessment_create(struct req *r, int64_t enrolment_id, const char *priorities,
			       json_t *items, int64_t *id, int64_t *revision)
{
	struct db_res next;
	enum err e = db_rows(r, &Q_SA_NEXT, &next, enrolment_id);
	size_t i;
	json_t *it;

	if (e != ERR_OK)
		return e;
	*revision = db_int(&next, 0, "next_revision");
	*id = random_id();
	e = db_run(r, &Q_SA_INSERT, NULL, *id, enrolment_id, *revision, priorities,
		   r->who.person_id);
	json_array_foreach(items, i, it)
	{
		json_t *c = json_object_get(it, "comment");

		if (e != ERR_OK)
			break;
		e = db_run(r, &Q_SA_ITEM_INSERT, NULL, *id,
			   (int64_t)json_integer_value(json_object_get(it, "competence_id")),
			   (int64_t)json_integer_value(json_object_get(it, "level")),
			   json_is_string(c) ? json_string_value(c) : NULL);
	}
	return e;
}

enum err tdb_assessment_comment(struct req *r, int64_t assessment_id, const char *body, int64_t *id)
{
	*id = random_id();
	return db_run(r, &Q_SA_COMMENT_INSERT, NULL, *id, assessment_id, r->who.person_id, body);
}

enum err tdb_followup_create(struct req *r, int64_t enrolment_id, const struct followup_plan *p,
			     int64_t *id)
{
	*id = random_id();
	return db_run(r, &Q_FOLLOWUP_INSERT, NULL, *id, enrolment_id, p->kind, p->scheduled_at,
		      p->place_id, (int64_t)p->with_terrain, (int64_t)p->with_inspe,
		      r->who.person_id);
}

enum err tdb_followup_state(struct req *r, int64_t id, const char **state, int64_t *version)
{
	struct db_res res;
	enum err e = db_one(r, &Q_FOLLOWUP_STATE, &res, id);

	if (e != ERR_OK)
		return e;
	*state = db_str(&res, 0, "state");
	*version = db_int(&res, 0, "version");
	return ERR_OK;
}

enum err tdb_followup_plan(struct req *r, int64_t id, int64_t version,
			   const struct followup_plan *p)
{
	uint64_t changed = 0;
	enum err e = db_run(r, &Q_FOLLOWUP_PLAN, &changed, (int64_t)p->set_scheduled,
			    p->scheduled_at, (int64_t)p->set_place, p->place_id,
			    (int64_t)p->set_terrain, (int64_t)p->with_terrain,
			    (int64_t)p->set_inspe, (int64_t)p->with_inspe, id, version);

	if (e != ERR_OK)
		return e;
	return changed == 1 ? ERR_OK : db_stale_or_missing(r, &Q_FOLLOWUP_EXISTS, id);
}

enum err tdb_followup_text(struct req *r, int64_t id, int64_t version, const char *column,
			   const char *text, const char *new_state)
{
	const struct db_sql *q = strcmp(column, "points_to_observe") == 0   ? &Q_SET_POINTS
				 : strcmp(column, "expectations") == 0	    ? &Q_SET_EXPECTATIONS
				 : strcmp(column, "observation_notes") == 0 ? &Q_SET_NOTES
									    : NULL;

	if (q == NULL)
		return fail_internal(r, ERR_INTERNAL, "unknown follow-up text column");
	return db_update_versioned(r, q, &Q_FOLLOWUP_EXISTS, id, text, new_state, id, version);
}

enum err tdb_followup_debrief(struct req *r, int64_t id, int64_t version, const struct debrief *d)
{
	size_t i;
	json_t *it;
	enum err e = db_update_versioned(
	    r, &Q_FOLLOWUP_DEBRIEF, &Q_FOLLOWUP_EXISTS, id, d->analyses, d->remediations,
	    d->action_paths, d->points_appui, d->axes_evolution, d->priorities, id, version);

	if (e != ERR_OK)
		return e;
	e = db_run(r, &Q_FOLLOWUP_LEVELS_DELETE, NULL, id);
	json_array_foreach(d->levels, i, it)
	{
		if (e != ERR_OK)
			break;
		e = db_run(r, &Q_FOLLOWUP_LEVEL_INSERT, NULL, id,
			   (int64_t)json_integer_value(json_object_get(it, "competence_id")),
			   (int64_t)json_integer_value(json_object_get(it, "level")));
	}
	return e;
}

enum err tdb_followup_cancel(struct req *r, int64_t id, const char *reason)
{
	return db_run(r, &Q_FOLLOWUP_CANCEL, NULL, reason, id);
}

enum err tdb_trace_get(struct req *r, int64_t followup_id, const char *author, struct trace_row *t)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_TRACE_GET, &res, followup_id, author);

	memset(t, 0, sizeof(*t));
	if (e != ERR_OK || res.n_rows == 0)
		return e;
	t->exists = true;
	t->id = db_int(&res, 0, "id");
	t->version = db_int(&res, 0, "version");
	t->published = db_int(&res, 0, "published") != 0;
	return ERR_OK;
}

enum err tdb_trace_put(struct req *r, int64_t followup_id, const char *author,
		       const struct trace_row *t, int64_t if_version, const char *retained,
		       const char *axes, const char *body, bool publish)
{

	if (!t->exists)
		return db_run(r, &Q_TRACE_INSERT, NULL, random_id(), followup_id, author, retained,
			      axes, body, (int64_t)publish, r->who.person_id);
	return db_update_versioned(r, &Q_TRACE_UPDATE, &Q_TRACE_EXISTS, t->id, retained, axes, body,
				   (int64_t)publish, r->who.person_id, t->id, if_version);
}

enum err tdb_upload_usage(struct req *r, int64_t enrolment_id, struct upload_quota *out)
{
	struct db_res res;
	enum err e = db_one(r, &Q_DOC_QUOTA, &res, r->who.person_id, r->who.person_id,
			    enrolment_id);

	if (e != ERR_OK)
		return e;
	out->dossier_bytes = db_int(&res, 0, "dossier_bytes");
	out->day_bytes = db_int(&res, 0, "day_bytes");
	out->day_files = db_int(&res, 0, "day_files");
	out->day_left = db_int(&res, 0, "day_left");
	return ERR_OK;
}

enum err tdb_document_insert(struct req *r, int64_t followup_id, const char *filename,
			     const char *type, const void *bytes, size_t n, int64_t *id)
{
	unsigned char digest[32];
	char hex[65];

	sha256(bytes, n, digest);
	hex_encode(hex, digest, 32);
	*id = random_id();
	return db_run(r, &Q_DOC_INSERT, NULL, *id, followup_id, filename, type, (int64_t)n, hex,
		      bytes, n, r->who.person_id);
}

enum err tdb_document_get(struct req *r, int64_t id, const char **filename, const char **type,
			  const char **bytes, size_t *n, int64_t *uploader)
{
	struct db_res res;
	enum err e = db_one(r, &Q_DOC_GET, &res, id);

	if (e != ERR_OK)
		return e;
	*filename = db_str(&res, 0, "filename");
	*type = db_str(&res, 0, "content_type");
	*bytes = db_str(&res, 0, "content");
	*n = db_cell(&res, 0, "content")->len;
	*uploader = db_int(&res, 0, "uploaded_by");
	return ERR_OK;
}

enum err tdb_document_delete(struct req *r, int64_t id)
{
	return db_run(r, &Q_DOC_DELETE, NULL, id);
}

enum err tdb_bilan_create(struct req *r, const struct enrolment_ctx *en, const char *kind,
			  int64_t *id)
{
	struct db_res exists, due;
	enum err e = db_rows(r, &Q_BILAN_KIND_EXISTS, &exists, en->id, kind);

	if (e != ERR_OK)
		return e;
	if (exists.n_rows > 0)
		return fail(r, ERR_CONFLICT, "kind",
			    "Ce bilan existe déjà : corrigez-le par une nouvelle version.");
	/* Due dates come from the year's calendar: the intermediate bilan
	 * before pôle meeting N°2, the final one at the bilans' date. */
	e = db_rows(r, &Q_BILAN_DUE, &due, en->year_id,
		    strcmp(kind, "final") == 0 ? "bilans_due" : "pole_meeting_2");
	if (e != ERR_OK)
		return e;
	*id = random_id();
	return db_run(r, &Q_BILAN_INSERT, NULL, *id, en->id, kind, (int64_t)1, en->referentiel_id,
		      due.n_rows == 1 ? db_str(&due, 0, "due_on") : NULL);
}

enum err tdb_bilan_state(struct req *r, int64_t id, struct bilan_state *out)
{
	struct db_res b;
	enum err e = db_one(r, &Q_BILAN, &b, id);

	if (e != ERR_OK)
		return e;
	out->kind = db_str(&b, 0, "kind");
	out->revision = db_int(&b, 0, "revision");
	out->frozen = db_int(&b, 0, "frozen") != 0;
	out->validated_terrain = db_int(&b, 0, "validated_terrain") != 0;
	out->validated_inspe = db_int(&b, 0, "validated_inspe") != 0;
	out->version = db_int(&b, 0, "version");
	out->newer_exists = db_int(&b, 0, "newer_exists") != 0;
	return ERR_OK;
}

/* Replaces the grid; any edit withdraws both validations. */
enum err tdb_bilan_put(struct req *r, int64_t id, int64_t version, json_t *items)
{
	size_t i;
	json_t *it;
	enum err e = db_update_versioned(r, &Q_BILAN_TOUCH, &Q_BILAN_EXISTS, id, id, version);

	if (e != ERR_OK)
		return e;
	e = db_run(r, &Q_BILAN_ITEMS_DELETE, NULL, id);
	json_array_foreach(items, i, it)
	{
		json_t *lv = json_object_get(it, "level"), *c = json_object_get(it, "comment");

		if (e != ERR_OK)
			break;
		e = db_run(r, &Q_BILAN_ITEM_INSERT, NULL, id,
			   (int64_t)json_integer_value(json_object_get(it, "competence_id")),
			   json_is_integer(lv) ? (int64_t)json_integer_value(lv) : 0,
			   json_is_string(c) ? json_string_value(c) : NULL);
	}
	return e;
}

enum err tdb_bilan_validate(struct req *r, int64_t id, int64_t version, const char *role,
			    bool *frozen)
{
	struct bilan_state st;
	uint64_t changed = 0;
	enum err e = db_run(r,
			    strcmp(role, "tuteur_terrain") == 0 ? &Q_BILAN_VALIDATE_TERRAIN
								: &Q_BILAN_VALIDATE_INSPE,
			    &changed, r->who.person_id, id, version);

	if (e == ERR_OK && changed != 1)
		return db_stale_or_missing(r, &Q_BILAN_EXISTS, id);
	if (e == ERR_OK)
		e = tdb_bilan_state(r, id, &st);
	if (e == ERR_OK)
		*frozen = st.frozen;
	return e;
}

enum err tdb_bilan_revise(struct req *r, int64_t id, int64_t *new_id)
{
	enum err e;

	*new_id = random_id();
	e = db_run(r, &Q_BILAN_REVISE, NULL, *new_id, id);
	if (e == ERR_OK)
		e = db_run(r, &Q_BILAN_COPY_ITEMS, NULL, *new_id, id);
	return e;
}

enum err tdb_result_version(struct req *r, int64_t enrolment_id, int64_t *version)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_RESULT_VERSION, &res, enrolment_id);

	*version = 0;
	if (e == ERR_OK && res.n_rows == 1)
		*version = db_int(&res, 0, "version");
	return e;
}

enum err tdb_result_put(struct req *r, const struct enrolment_ctx *en, int64_t version,
			const char *note, const char *avis, const char *comment)
{
	const char *s_note, *s_avis;
	json_t *suggestion;
	enum err e = tdb_suggestion(r, en, &suggestion, &s_note, &s_avis);

	json_decref(suggestion);
	if (e != ERR_OK)
		return e;
	if (version == 0)
		return db_run(r, &Q_RESULT_INSERT, NULL, en->id, note, avis, comment, s_note,
			      s_avis, r->who.person_id);
	return db_update_versioned(r, &Q_RESULT_UPDATE, &Q_RESULT_EXISTS, en->id, note, avis,
				   comment, s_note, s_avis, r->who.person_id, en->id, version);
}

enum err tdb_disagreement_put(struct req *r, int64_t enrolment_id, const char *comment)
{
	uint64_t changed = 0;
	enum err e = db_run(r, &Q_DISAGREEMENT, &changed, comment, r->who.person_id, enrolment_id);

	if (e == ERR_OK && changed != 1)
		return fail(r, ERR_CONFLICT, NULL,
			    "Le tuteur Inspé n’a pas encore rendu son avis : rien à contester.");
	return e;
}

enum err tdb_report_state(struct req *r, int64_t enrolment_id, bool *exists, bool *submitted,
			  int64_t *version)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_REPORT_STATE, &res, enrolment_id);

	*exists = *submitted = false;
	*version = 0;
	if (e == ERR_OK && res.n_rows == 1) {
		*exists = true;
		*version = db_int(&res, 0, "version");
		*submitted = db_int(&res, 0, "submitted") != 0;
	}
	return e;
}

enum err tdb_report_put(struct req *r, int64_t enrolment_id, bool exists, int64_t version,
			const char *body, bool submit)
{

	if (!exists)
		return db_run(r, &Q_REPORT_INSERT, NULL, enrolment_id, body, (int64_t)submit,
			      r->who.person_id);
	return db_update_versioned(r, &Q_REPORT_UPDATE, &Q_REPORT_EXISTS, enrolment_id, body,
				   (int64_t)submit, r->who.person_id, enrolment_id, version);
}

enum err tdb_conversion_rules_replace(struct req *r, const char *parcours, json_t *rules)
{
	enum err e = db_run(r, &Q_RULES_DELETE, NULL, parcours);
	size_t i;
	json_t *it;

	json_array_foreach(rules, i, it)
	{
		json_t *note = json_object_get(it, "note"), *avis = json_object_get(it, "avis");

		if (e != ERR_OK)
			break;
		e = db_run(r, &Q_RULE_INSERT, NULL, parcours,
			   json_string_value(json_object_get(it, "min_mean")),
			   json_is_string(note) ? json_string_value(note) : NULL,
			   json_is_string(avis) ? json_string_value(avis) : NULL);
		if (e == ERR_DUPLICATE)
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "rules[%zu].min_mean", i),
				    "Seuil répété.");
	}
	return e;
}

/* The inputs of one enrolment's checks from the rows about it: its
 * follow-up times, its places and its calendar (an empty range: none); the
 * one-enrolment statements and the page's name their columns alike. */
static enum err check_fill(struct req *r, struct tdb_rows v, struct tdb_rows places,
			   struct tdb_rows cal, struct check_inputs *out)
{
	memset(out, 0, sizeof(*out));
	out->visits = arena_zalloc(r->arena, (v.to - v.from + 1) * sizeof(*out->visits));
	out->places = arena_zalloc(r->arena, (places.to - places.from + 1) * sizeof(*out->places));
	if (out->visits == NULL || out->places == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	for (size_t i = v.from; i < v.to; i++) {
		struct check_visit *c = &out->visits[out->n_visits++];

		c->kind = db_str(v.res, i, "kind");
		c->state = db_str(v.res, i, "state");
		c->scheduled_at = db_str(v.res, i, "scheduled_on");
		c->place_id = db_int(v.res, i, "place_id");
		c->joint = db_bool(v.res, i, "joint");
		c->with_inspe = db_bool(v.res, i, "with_inspe");
		c->feedback_submitted = db_bool(v.res, i, "feedback_published");
	}
	for (size_t i = places.from; i < places.to; i++) {
		out->places[out->n_places].id = db_int(places.res, i, "id");
		out->places[out->n_places].school = db_str(places.res, i, "school_name");
		out->places[out->n_places].class_label = db_str(places.res, i, "class_label");
		out->n_places++;
	}
	if (cal.to == cal.from + 1) {
		out->meeting_1 = db_str(cal.res, cal.from, "pole_meeting_1");
		out->meeting_2 = db_str(cal.res, cal.from, "pole_meeting_2");
		out->bilans_due = db_str(cal.res, cal.from, "bilans_due");
		out->visite_conseil_due = db_str(cal.res, cal.from, "visite_conseil_due");
		out->first_term_end = db_str(cal.res, cal.from, "first_term_end");
		out->intermediate_required = db_bool(cal.res, cal.from, "intermediaire_required");
		out->final_required = db_bool(cal.res, cal.from, "final_required");
		out->today = db_str(cal.res, cal.from, "today");
		out->intermediate_frozen = db_bool(cal.res, cal.from, "intermediaire_frozen");
		out->final_frozen = db_bool(cal.res, cal.from, "final_frozen");
	}
	return ERR_OK;
}

enum err tdb_check_inputs(struct req *r, const struct enrolment_ctx *en, struct check_inputs *out)
{
	struct db_res v, places, cal;
	enum err e = db_rows(r, &Q_CHECK_VISITS, &v, en->id);

	memset(out, 0, sizeof(*out));
	if (e == ERR_OK)
		e = db_rows(r, &Q_ENROLMENT_PLACES, &places, en->id);
	if (e == ERR_OK)
		e = db_rows(r, &Q_CHECK_CALENDAR, &cal, en->id);
	if (e != ERR_OK)
		return e;
	return check_fill(r, tdb_all_rows(&v), tdb_all_rows(&places), tdb_all_rows(&cal), out);
}

enum err tdb_check_inputs_page(struct req *r, const struct enrolment_ctx *es, size_t n,
			       struct check_inputs *out)
{
	const char *ids = tdb_page_ids(r, es, n);
	struct db_res v, places, cal;
	enum err e;

	if (n == 0)
		return ERR_OK;
	if (ids == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	e = db_rows(r, &Q_PAGE_CHECK_VISITS, &v, ids);
	if (e == ERR_OK)
		e = db_rows(r, &Q_PAGE_PLACES, &places, ids);
	if (e == ERR_OK)
		e = db_rows(r, &Q_PAGE_CHECK_CALENDAR, &cal, ids);
	for (size_t i = 0; e == ERR_OK && i < n; i++)
		e = check_fill(r, tdb_rows_of(&v, es[i].id), tdb_rows_of(&places, es[i].id),
			       tdb_rows_of(&cal, es[i].id), &out[i]);
	return e;
}
