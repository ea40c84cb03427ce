/*
 * The agenda of the caller's home page (GET /api/v1/agenda): what is
 * expected of them now, with its date, in the current school year. One
 * statement per part, each run only for the roles it concerns, so the page
 * costs at most seven statements whatever the caller's load:
 *
 *   trio (trainee, tutors)  follow-up times to prepare, the trainee's
 *                           feedback to write, the tutors' trace to publish;
 *   tutors                  bilans due at the calendar's dates (pôle
 *                           meeting N°2, « bilans de fin de parcours »),
 *                           trainees without a visit before pôle meeting N°1;
 *   IEN, pilots, direction  disagreements to read (their scope), the next
 *                           pôle meeting;
 *   managers                bilans past their due date, enrolments
 *                           missing a tutor.
 *
 * The statements are Q_AGENDA_* of tutorat_sql_db.c. Then every other
 * module with an agenda part (struct module_agenda, its .agenda) adds its
 * entries: the SOPA reports to write and those late (modules/sopa/
 * sopa_remind_db.c), each part as bounded as these.
 */
#include "tutorat_db.h"
#include "tutorat_sql.h"
#include "authz.h"
#include "db.h"
#include "modules.h"
#include "req.h"

#include <string.h>

/* One entry: what (kind), when (date, "YYYY-MM-DD" or with a time), about
 * which dossier; the caller adds what the kind needs. */
static json_t *entry(const char *kind, const char *date, const struct db_res *res, size_t i)
{
	json_t *o = json_pack("{s:s, s:s?}", "kind", kind, "date", date);

	if (res != NULL) {
		json_object_set_new(o, "enrolment_id",
				    json_integer(db_int(res, i, "enrolment_id")));
		json_object_set_new(o, "trainee",
				    json_pack("{s:I, s:s}", "id",
					      (json_int_t)db_int(res, i, "trainee_id"),
					      "display_name", db_str(res, i, "trainee_name")));
	}
	return o;
}

static enum err followups(struct req *r, json_t *items)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_AGENDA_FOLLOWUPS, &res, r->who.person_id, r->who.person_id);

	for (size_t i = 0; e == ERR_OK && i < res.n_rows; i++) {
		const char *rel = db_str(&res, i, "relation"), *state = db_str(&res, i, "state");
		bool open = strcmp(state, "planned") == 0 || strcmp(state, "prepared") == 0;
		bool trainee = strcmp(rel, "trainee") == 0, comes;
		const char *kind = NULL;
		json_t *o;

		comes = trainee ||
			(strcmp(rel, "tuteur_terrain") == 0 && db_bool(&res, i, "with_terrain")) ||
			(strcmp(rel, "tuteur_inspe") == 0 && db_bool(&res, i, "with_inspe"));
		if (open && comes && (!trainee || strcmp(state, "planned") == 0))
			kind = "followup_to_prepare";
		else if (!open && trainee && !db_bool(&res, i, "feedback_in"))
			kind = "feedback_to_write";
		else if (!open && !trainee && db_bool(&res, i, "feedback_in"))
			kind = "trace_to_publish";
		if (kind == NULL)
			continue;
		o = entry(kind, db_str(&res, i, "at"), &res, i);
		json_object_set_new(o, "followup_id", json_integer(db_int(&res, i, "id")));
		json_object_set_new(o, "followup_kind", json_string(db_str(&res, i, "kind")));
		json_array_append_new(items, o);
	}
	return e;
}

static enum err dossiers(struct req *r, json_t *items)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_AGENDA_DOSSIERS, &res, r->who.person_id);

	for (size_t i = 0; e == ERR_OK && i < res.n_rows; i++) {
		const char *today = db_str(&res, i, "today"), *m1 = db_str(&res, i, "meeting_1");
		const char *m2 = db_str(&res, i, "meeting_2"), *due = db_str(&res, i, "bilans_due");
		json_t *o;

		if (!db_isnull(&res, i, "intermediaire_due"))
			m2 = db_str(&res, i, "intermediaire_due");
		if (!db_isnull(&res, i, "final_due"))
			due = db_str(&res, i, "final_due");

		if (m1 != NULL && strcmp(today, m1) <= 0 && !db_bool(&res, i, "visit_before_1") &&
		    strcmp(db_str(&res, i, "parcours"), "M2B") != 0)
			json_array_append_new(items,
					      entry("no_visit_before_meeting_1", m1, &res, i));
		/* M2B has no bilan intermédiaire (Grenoble's text). */
		if (m2 != NULL && !db_bool(&res, i, "intermediaire_frozen") &&
		    strcmp(db_str(&res, i, "parcours"), "M2B") != 0) {
			o = entry("bilan_due", m2, &res, i);
			json_object_set_new(o, "bilan_kind", json_string("intermediaire"));
			json_object_set_new(o, "late", json_boolean(strcmp(today, m2) > 0));
			json_array_append_new(items, o);
		}
		if (due != NULL && !db_bool(&res, i, "final_frozen")) {
			o = entry("bilan_due", due, &res, i);
			json_object_set_new(o, "bilan_kind", json_string("final"));
			json_object_set_new(o, "late", json_boolean(strcmp(today, due) > 0));
			json_array_append_new(items, o);
		}
	}
	return e;
}

static enum err pilots(struct req *r, json_t *items)
{
	struct db_res res;
	json_t *list = NULL;
	enum err e = ERR_OK;

	if (r->who.roles & (R(IEN) | R(PILOTE_POLE) | R(DIRECTION_INSPE))) {
		e = tdb_disagreements_json(r, (r->who.roles & R(DIRECTION_INSPE)) != 0, &list);
		for (size_t i = 0;
		     e == ERR_OK && i < json_array_size(json_object_get(list, "items")); i++) {
			json_t *d = json_array_get(json_object_get(list, "items"), i);
			const char *at = json_string_value(json_object_get(d, "disagreement_at"));
			json_t *o =
			    json_pack("{s:s, s:s?, s:O, s:O, s:O}", "kind", "disagreement", "date",
				      at, "enrolment_id", json_object_get(d, "enrolment_id"),
				      "trainee", json_object_get(d, "trainee"), "final_bilan_id",
				      json_object_get(d, "final_bilan_id"));

			json_array_append_new(items, o);
		}
		json_decref(list);
	}
	if (e == ERR_OK)
		e = db_rows(r, &Q_AGENDA_MEETING, &res);
	if (e == ERR_OK && res.n_rows == 1) {
		json_t *o = entry("pole_meeting", db_str(&res, 0, "starts_on"), NULL, 0);

		json_object_set_new(o, "label", json_string(db_str(&res, 0, "label")));
		json_array_append_new(items, o);
	}
	return e;
}

static enum err managers(struct req *r, json_t *items)
{
	struct db_res res;
	enum err e = db_rows(r, &Q_AGENDA_BILANS_LATE, &res);

	for (size_t i = 0; e == ERR_OK && i < res.n_rows; i++) {
		json_t *o = entry("bilan_due", db_str(&res, i, "due_on"), &res, i);

		json_object_set_new(o, "bilan_kind", json_string(db_str(&res, i, "kind")));
		json_object_set_new(o, "late", json_true());
		json_array_append_new(items, o);
	}
	if (e == ERR_OK)
		e = db_rows(r, &Q_AGENDA_TUTOR_MISSING, &res);

	for (size_t i = 0; e == ERR_OK && i < res.n_rows; i++) {
		static const char *const roles[] = {"tuteur_terrain", "tuteur_inspe"};
		static const char *const cols[] = {"no_terrain", "no_inspe"};

		for (size_t k = 0; k < 2; k++) {
			json_t *o;

			if (!db_bool(&res, i, cols[k]))
				continue;
			o = entry("tutor_missing", db_str(&res, i, "since"), &res, i);
			json_object_set_new(o, "role", json_string(roles[k]));
			json_array_append_new(items, o);
		}
	}
	return e;
}

enum err tdb_agenda_json(struct req *r, json_t **out)
{
	const uint32_t roles = r->who.roles;
	json_t *items = json_array();
	enum err e = ERR_OK;

	if (roles & (R(STAGIAIRE) | R(TUTEUR_TERRAIN) | R(TUTEUR_INSPE)))
		e = followups(r, items);
	if (e == ERR_OK && (roles & (R(TUTEUR_TERRAIN) | R(TUTEUR_INSPE))))
		e = dossiers(r, items);
	if (e == ERR_OK &&
	    (roles & (R(IEN) | R(PILOTE_POLE) | R(REFERENT_INSPE) | R(DEA) | R(DIRECTION_INSPE))))
		e = pilots(r, items);
	if (e == ERR_OK && (roles & (R(ADMIN) | R(BUREAU_STAGES))))
		e = managers(r, items);
	for (size_t m = 0; e == ERR_OK && m < n_modules; m++)
		if (modules[m]->agenda != NULL && modules[m]->agenda->run != NULL)
			e = modules[m]->agenda->run(r, items);
	if (e != ERR_OK) {
		json_decref(items);
		return e;
	}
	*out = json_pack("{s:o}", "items", items);
	return ERR_OK;
}
