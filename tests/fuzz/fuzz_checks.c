/*
 * libFuzzer target: tutorat_checks_eval (modules/tutorat/tutorat_checks.c),
 * the rules of a trainee's year, on inputs made from the bytes: the
 * parcours, up to 8 follow-up times (kind, state, date, place, joint,
 * feedback given), up to 3 places, the meeting and due dates and today
 * (each possibly absent, short or malformed) and the two frozen flags.
 * The strings are ASCII, as the database gives them.
 *
 * Checked beyond "no crash, no leak, no sanitizer report": the answer is an
 * array of {code, message} objects with a known code and a non-empty
 * message; one feedback_missing per held or debriefed time without
 * feedback; the visit rules never apply to M2B; no_joint_visit and
 * first_visit_not_joint never together; at most one context_not_visited
 * per place and two bilan_not_validated; the same inputs give the same
 * answer twice.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "req.h"
#include "tutorat.h"
#include "tutorat_db.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena arena;
static struct req r;

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

struct bytes {
	const uint8_t *d;
	size_t n;
};

static unsigned next(struct bytes *b)
{
	if (b->n == 0)
		return 0;
	b->n--;
	return *b->d++;
}

/* A date as the database gives it, or now and then something else: absent
 * (when absent_ok), empty, short, with a time, or out of order. */
static const char *date(struct bytes *b, bool absent_ok)
{
	unsigned form = next(b), y = next(b), m = next(b), d = next(b);

	switch (form % 8) {
	case 0:
		return absent_ok ? NULL : "";
	case 1:
		return "";
	case 2:
		return arena_printf(&arena, "%u-%u", 2026 + y % 2, m % 13);
	case 3:
		return arena_printf(&arena, "%04u-%02u-%02u 08:30:00", 2026 + y % 2, 1 + m % 12,
				    1 + d % 28);
	case 4:
		return "9999-99-99";
	default:
		return arena_printf(&arena, "%04u-%02u-%02u", 2026 + y % 2, 1 + m % 12, 1 + d % 28);
	}
}

static size_t count(json_t *list, const char *code)
{
	size_t i, n = 0;
	json_t *it;

	json_array_foreach(list, i, it)
	{
		n += strcmp(json_string_value(json_object_get(it, "code")), code) == 0;
	}
	return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	arena_init(&arena, 1u << 20);
	r.arena = &arena;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const parcours[] = {"M2A", "DU", "M2B"};
	static const char *const kinds[] = {
	    "visit",	      "interview", "working_session", "peer_observation", "point_etape",
	    "visite_conseil", "autre"};
	static const char *const states[] = {"planned", "held", "debriefed", "cancelled"};
	static const char *const codes[] = {
	    "feedback_missing",	     "visits_under_4",	     "no_joint_visit",
	    "first_visit_not_joint", "context_not_visited",  "no_visit_before_meeting_1",
	    "bilan_not_validated",   "point_etape_not_m2b",  "point_etape_without_inspe",
	    "point_etape_late",	     "visite_conseil_twice", "visite_conseil_missing"};
	struct bytes b = {data, size};
	struct enrolment_ctx e = {.id = 1};
	struct check_visit visits[8];
	struct check_inputs in = {.visits = visits};
	size_t feedback_due = 0, i;
	json_t *list, *again, *it;
	bool m2b;

	snprintf(e.parcours, sizeof(e.parcours), "%s", parcours[next(&b) % 3]);
	m2b = strcmp(e.parcours, "M2B") == 0;
	in.n_visits = next(&b) % 9;
	for (i = 0; i < in.n_visits; i++) {
		unsigned flags = next(&b);

		visits[i] = (struct check_visit){
		    .kind = kinds[next(&b) % 7],
		    .state = states[next(&b) % 4],
		    .scheduled_at = date(&b, false),
		    .place_id = next(&b) % 4,
		    .joint = flags & 1,
		    .feedback_submitted = flags & 2,
		    .with_inspe = flags & 4,
		};
		feedback_due += (strcmp(visits[i].state, "held") == 0 ||
				 strcmp(visits[i].state, "debriefed") == 0) &&
				!visits[i].feedback_submitted;
	}
	in.n_places = next(&b) % 4;
	in.places = arena_zalloc(&arena, (in.n_places + 1) * sizeof(*in.places));
	check(in.places != NULL);
	for (i = 0; i < in.n_places; i++) {
		unsigned k = next(&b);

		in.places[i].id = 1 + k % 3;
		in.places[i].school = arena_printf(&arena, "Ecole %u", k);
		in.places[i].class_label = k & 0x80 ? "CM1" : NULL;
	}
	in.meeting_1 = date(&b, true);
	in.meeting_2 = date(&b, true);
	in.bilans_due = date(&b, true);
	in.today = date(&b, true);
	in.intermediate_frozen = next(&b) & 1;
	in.final_frozen = next(&b) & 1;
	in.first_term_end = date(&b, true);
	in.visite_conseil_due = date(&b, true);
	in.intermediate_required = next(&b) & 1;
	in.final_required = next(&b) & 1;

	list = tutorat_checks_eval(&r, &e, &in);
	check(json_is_array(list));
	json_array_foreach(list, i, it)
	{
		const char *code = json_string_value(json_object_get(it, "code"));
		const char *message = json_string_value(json_object_get(it, "message"));
		bool known = false;

		check(json_is_object(it) && json_object_size(it) == 2);
		check(code != NULL && message != NULL && message[0] != '\0');
		for (size_t k = 0; k < sizeof(codes) / sizeof(codes[0]); k++)
			known |= strcmp(code, codes[k]) == 0;
		check(known);
	}
	check(count(list, "feedback_missing") == feedback_due);
	if (m2b)
		check(count(list, "visits_under_4") + count(list, "no_joint_visit") +
			  count(list, "first_visit_not_joint") +
			  count(list, "no_visit_before_meeting_1") ==
		      0);
	check(count(list, "no_joint_visit") + count(list, "first_visit_not_joint") <= 1);
	check(count(list, "context_not_visited") <= in.n_places);
	check(count(list, "bilan_not_validated") <=
	      (size_t)in.intermediate_required + (size_t)in.final_required);
	if (!m2b)
		check(count(list, "visite_conseil_twice") + count(list, "visite_conseil_missing") +
			  count(list, "point_etape_without_inspe") +
			  count(list, "point_etape_late") ==
		      0);
	else
		check(count(list, "point_etape_not_m2b") == 0);
	again = tutorat_checks_eval(&r, &e, &in);
	check(json_equal(list, again));
	json_decref(again);
	json_decref(list);
	arena_reset(&arena);
	return 0;
}
