/*
 * The checks of a trainee's year (seed 000 §3): shown on the trainee's
 * page and in the tutors' list, never enforced.
 */
#include "req.h"
#include "tutorat.h"
#include "tutorat_db.h"

#include <string.h>

static void add(json_t *list, const char *code, const char *message)
{
	json_array_append_new(list, json_pack("{s:s, s:s}", "code", code, "message", message));
}

/* "2026-10-13" -> "13/10/2026", the way the users write dates. */
static const char *fr_date(struct req *r, const char *iso)
{
	if (iso == NULL || strlen(iso) < 10)
		return "?";
	return arena_printf(r->arena, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static const char *kind_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {{"visit", "la visite"},
		      {"interview", "l'entretien"},
		      {"working_session", "la séance de travail"},
		      {"peer_observation", "l'observation entre pairs"},
		      {"point_etape", "le point d'étape"},
		      {"visite_conseil", "la visite d'aide et de conseil"}};

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].kind, kind) == 0)
			return labels[i].label;
	return "le temps de suivi";
}

/* A visit, the M2B visite d'aide et de conseil included: the times that
 * count as visits (of a place, of the year). */
static bool is_visit(const char *kind)
{
	return strcmp(kind, "visit") == 0 || strcmp(kind, "visite_conseil") == 0;
}

/*
 * M2B as seed 001 describes it: the point d'étape is the tuteur INSPÉ's,
 * in the first term, and M2B's alone; one visite d'aide et de conseil is
 * expected (by the académie's date, when its calendar has one), not two.
 */
static void m2b_checks(struct req *r, const struct enrolment_ctx *e, const struct check_inputs *in,
		       json_t *list)
{
	bool m2b = strcmp(e->parcours, "M2B") == 0, conseil_held = false;
	size_t conseils = 0;

	for (size_t i = 0; i < in->n_visits; i++) {
		const struct check_visit *v = &in->visits[i];
		const char *day = fr_date(r, v->scheduled_at);

		if (strcmp(v->kind, "visite_conseil") == 0) {
			conseils++;
			conseil_held |=
			    strcmp(v->state, "held") == 0 || strcmp(v->state, "debriefed") == 0;
		}
		if (strcmp(v->kind, "point_etape") != 0)
			continue;
		if (!m2b) {
			add(list, "point_etape_not_m2b",
			    arena_printf(r->arena,
					 "Point d'étape du %s : il concerne les étudiants M2B, ce "
					 "stagiaire est en %s.",
					 day, e->parcours));
			continue;
		}
		if (!v->with_inspe)
			add(list, "point_etape_without_inspe",
			    arena_printf(
				r->arena,
				"Point d'étape du %s sans le tuteur INSPÉ : il est mené par "
				"le tuteur INSPÉ.",
				day));
		if (in->first_term_end != NULL && v->scheduled_at != NULL &&
		    strcmp(v->scheduled_at, in->first_term_end) > 0)
			add(list, "point_etape_late",
			    arena_printf(r->arena,
					 "Point d'étape du %s hors du premier trimestre (jusqu'au "
					 "%s).",
					 day, fr_date(r, in->first_term_end)));
	}
	if (!m2b)
		return;
	if (conseils > 1)
		add(list, "visite_conseil_twice",
		    arena_printf(r->arena,
				 "%zu visites d'aide et de conseil prévues : une seule est "
				 "attendue.",
				 conseils));
	if (!conseil_held && in->today != NULL && in->visite_conseil_due != NULL &&
	    strcmp(in->today, in->visite_conseil_due) > 0)
		add(list, "visite_conseil_missing",
		    arena_printf(r->arena,
				 "Visite d'aide et de conseil non réalisée (attendue pour le %s).",
				 fr_date(r, in->visite_conseil_due)));
}

/* The warnings for enrolment e from what tdb_check_inputs read: the rules
 * alone, no SQL (tests/fuzz/fuzz_checks.c runs them on made-up inputs). A
 * new JSON array, owned by the caller. */
json_t *tutorat_checks_eval(struct req *r, const struct enrolment_ctx *e,
			    const struct check_inputs *in)
{
	size_t visits = 0, joint = 0;
	const struct check_visit *first = NULL;
	bool before_meeting = false;
	json_t *list = json_array();

	for (size_t i = 0; i < in->n_visits; i++) {
		const struct check_visit *v = &in->visits[i];

		/* Feedback is expected after every follow-up time, visit or not. */
		if ((strcmp(v->state, "held") == 0 || strcmp(v->state, "debriefed") == 0) &&
		    !v->feedback_submitted)
			add(list, "feedback_missing",
			    arena_printf(r->arena, "Retour du stagiaire manquant après %s du %s.",
					 kind_label(v->kind), fr_date(r, v->scheduled_at)));
		if (!is_visit(v->kind))
			continue;
		visits++;
		joint += v->joint;
		if (first == NULL)
			first = v;
		if (in->meeting_1 != NULL && strcmp(v->scheduled_at, in->meeting_1) < 0)
			before_meeting = true;
	}
	if (visits < 4 && strcmp(e->parcours, "M2B") != 0)
		add(list, "visits_under_4",
		    arena_printf(r->arena, "Moins de 4 visites prévues (%zu).", visits));
	if (joint == 0 && strcmp(e->parcours, "M2B") != 0)
		add(list, "no_joint_visit",
		    "Aucune visite conjointe des deux tuteurs (idéalement la première).");
	else if (first != NULL && !first->joint && strcmp(e->parcours, "M2B") != 0)
		add(list, "first_visit_not_joint", "La première visite n'est pas conjointe.");
	/* Only a visit at a place counts for it: an entretien there does not. */
	for (size_t p = 0; p < in->n_places; p++) {
		bool seen = false;

		for (size_t i = 0; i < in->n_visits && !seen; i++)
			seen = is_visit(in->visits[i].kind) &&
			       (in->visits[i].place_id == in->places[p].id ||
				(in->visits[i].place_id == 0 && in->n_places == 1));
		if (!seen)
			add(list, "context_not_visited",
			    arena_printf(
				r->arena, "Lieu d'exercice jamais visité : %s%s%s%s.",
				in->places[p].school, in->places[p].class_label != NULL ? " (" : "",
				in->places[p].class_label != NULL ? in->places[p].class_label : "",
				in->places[p].class_label != NULL ? ")" : ""));
	}
	if (in->meeting_1 != NULL && !before_meeting && strcmp(e->parcours, "M2B") != 0)
		add(list, "no_visit_before_meeting_1",
		    arena_printf(r->arena, "Aucune visite avant la réunion de pôle N°1 du %s.",
				 fr_date(r, in->meeting_1)));
	m2b_checks(r, e, in, list);
	if (in->intermediate_required && in->today != NULL && in->meeting_2 != NULL &&
	    strcmp(in->today, in->meeting_2) > 0 && !in->intermediate_frozen)
		add(list, "bilan_not_validated",
		    arena_printf(r->arena, "Bilan intermédiaire non validé (attendu pour le %s).",
				 fr_date(r, in->meeting_2)));
	if (in->final_required && in->today != NULL && in->bilans_due != NULL &&
	    strcmp(in->today, in->bilans_due) > 0 && !in->final_frozen)
		add(list, "bilan_not_validated",
		    arena_printf(r->arena, "Bilan final non validé (attendu pour le %s).",
				 fr_date(r, in->bilans_due)));
	return list;
}

enum err tutorat_checks(struct req *r, const struct enrolment_ctx *e, json_t **out)
{
	struct check_inputs in;
	enum err err = tdb_check_inputs(r, e, &in);

	if (err != ERR_OK)
		return err;
	*out = tutorat_checks_eval(r, e, &in);
	return ERR_OK;
}

enum err tutorat_checks_page(struct req *r, const struct enrolment_ctx *es, size_t n, json_t **out)
{
	struct check_inputs *in = arena_zalloc(r->arena, (n + 1) * sizeof(*in));
	enum err err;

	if (in == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	err = tdb_check_inputs_page(r, es, n, in);
	for (size_t i = 0; err == ERR_OK && i < n; i++)
		out[i] = tutorat_checks_eval(r, &es[i], &in[i]);
	return err;
}
