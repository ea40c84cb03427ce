/*
 * What the tutorat module tells people (server/notify.h): the kinds of its
 * events, who is told of each, and the re-check of an item against the
 * access rules of the enrolment it is about. Every item names the enrolment
 * (object "enrolment") and the relations its reader must still hold: a
 * tutor replaced since holds none and sees nothing of it.
 *
 *   event                          told                        link
 *   feedback transmitted           the tutors                  the time
 *   tutors' trace published        the trainee                 the time
 *   bilan validated by both        the trainee                 the bilan
 *   time planned, moved, cancelled the trio (but the actor)    the time
 *   tutors changed                 the trio as it is now       the dossier
 *   disagreement signalled         the IEN and pôle pilots     the list
 *                                  of the enrolment's scope
 *
 * The trainee is told of the times planned in their class as the tutors
 * are: the visit concerns them first.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "modules.h"
#include "notify.h"
#include "req.h"
#include "tutorat.h"
#include "tutorat_db.h"
#include "tutorat_sql.h"

const struct notice_kind tutorat_notices[] = {
    {"tutorat.feedback_submitted", "Retour du stagiaire transmis",
     "a transmis son retour sur un temps de suivi", "Un retour de temps de suivi vous attend",
     CHANNEL_EMAIL},
    {"tutorat.trace_published", "Trace des tuteurs publiée",
     "a publié la trace d’un temps de suivi", "Une nouvelle trace vous attend", CHANNEL_EMAIL},
    {"tutorat.bilan_validated", "Bilan validé par les deux tuteurs",
     "a validé un bilan, désormais consultable", "Un bilan vous attend", CHANNEL_EMAIL},
    {"tutorat.followup_planned", "Temps de suivi planifié", "a planifié un temps de suivi",
     "Un temps de suivi est planifié", CHANNEL_EMAIL},
    {"tutorat.followup_moved", "Temps de suivi déplacé ou modifié",
     "a modifié la date, le lieu ou les participants d’un temps de suivi",
     "Un temps de suivi a changé", CHANNEL_EMAIL},
    {"tutorat.followup_cancelled", "Temps de suivi annulé", "a annulé un temps de suivi",
     "Un temps de suivi est annulé", CHANNEL_EMAIL},
    {"tutorat.tutors_changed", "Changement de tuteur", "a modifié le trio de tutorat",
     "Le trio de tutorat a changé", CHANNEL_EMAIL},
    {"tutorat.disagreement", "Désaccord signalé sur l’avis du tuteur Inspé",
     "a signalé un désaccord sur l’avis du tuteur Inspé", "Un désaccord vous est signalé",
     CHANNEL_EMAIL},
    /* The reminders (tutorat_remind.c, tutoratctl remind): no actor, the
     * text is the whole sentence. */
    {"tutorat.feedback_missing", "Rappel : retour sur un temps de suivi à transmettre",
     "Rappel : votre retour sur un temps de suivi n’est pas encore transmis",
     "Rappel : un retour de temps de suivi à transmettre", CHANNEL_EMAIL},
    {"tutorat.trace_missing", "Rappel : trace d’un temps de suivi à publier",
     "Rappel : la trace des tuteurs d’un temps de suivi n’est pas encore publiée",
     "Rappel : une trace de temps de suivi à publier", CHANNEL_EMAIL},
    {"tutorat.bilan_due", "Rappel : bilans attendus à la date du calendrier",
     "Rappel : des bilans sont attendus à la date du calendrier et ne sont pas encore validés",
     "Rappel : des bilans à valider", CHANNEL_EMAIL},
    {"tutorat.pole_meeting", "Rappel : réunion de pôle à préparer",
     "Rappel : réunion de pôle dans une semaine, la liste des stagiaires à examiner vous attend",
     "Rappel : une réunion de pôle à préparer", CHANNEL_EMAIL},
    {0},
};

enum err tutorat_relations_of(struct req *r, int kind, const int64_t *ids, size_t n,
			      unsigned *rel)
{
	struct db_res res;
	const char *text;
	enum err e;

	if (kind != OBJ_ENROLMENT)
		return ERR_OK; /* items name enrolments only: anything else is unseen */
	text = notify_ids_json(r, ids, n);
	if (text == NULL)
		return ERR_INTERNAL; /* the request failed: no memory */
	e = db_rows(r, &Q_NOTIFY_RELATIONS, &res, r->who.person_id, r->who.person_id,
		    r->who.person_id, text);
	if (e != ERR_OK)
		return e;
	for (size_t row = 0; row < res.n_rows; row++) {
		const char *trio = db_str(&res, row, "trio_role");
		unsigned bits = 0;

		if (db_bool(&res, row, "trainee"))
			bits |= REL_TRAINEE;
		if (trio != NULL)
			bits |= strcmp(trio, "tuteur_terrain") == 0 ? REL_TUTEUR_TERRAIN
								    : REL_TUTEUR_INSPE;
		/* Every relation held, not only the one that decides a route:
		 * an IEN who is also an admin reads disagreements as a pilot. */
		if (r->who.roles & (R(ADMIN) | R(BUREAU_STAGES)))
			bits |= REL_MANAGER;
		if (r->who.roles & (R(DIRECTION_INSPE) | R(RESPONSABLE_PARCOURS)))
			bits |= REL_VALIDATOR;
		if (db_bool(&res, row, "pilot"))
			bits |= REL_PILOT;
		for (size_t i = 0; i < n; i++)
			if (ids[i] == db_int(&res, row, "id"))
				rel[i] = bits;
	}
	return ERR_OK;
}

/*
 * Tells `to` (REL_TRAINEE, REL_TUTORS, REL_TRIO, or REL_PILOT for the
 * inspectors of the enrolment's scope) of event `kind` on enrolment `id`,
 * in the request's transaction. `link` is the screen (app route).
 */
enum err tutorat_notify(struct req *r, int64_t enrolment_id, const char *kind, unsigned to,
			const char *link)
{
	struct db_res trio, pilots;
	int64_t *rcpt;
	size_t n = 0;
	const char *trainee_name = "";
	enum err e = db_rows(r, &Q_NOTIFY_TRIO, &trio, enrolment_id, enrolment_id);

	if (e == ERR_OK && (to & REL_PILOT))
		e = db_rows(r, &Q_NOTIFY_DISAGREEMENT, &pilots, enrolment_id);
	else
		pilots.n_rows = 0;
	if (e != ERR_OK)
		return e;
	rcpt = arena_alloc(r->arena, (trio.n_rows + pilots.n_rows + 1) * sizeof(*rcpt));
	if (rcpt == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	for (size_t i = 0; i < trio.n_rows; i++) {
		const char *role = db_str(&trio, i, "role");
		unsigned bit = strcmp(role, "trainee") == 0	   ? REL_TRAINEE
			       : strcmp(role, "tuteur_terrain") == 0 ? REL_TUTEUR_TERRAIN
								     : REL_TUTEUR_INSPE;

		if (bit == REL_TRAINEE)
			trainee_name = db_str(&trio, i, "display_name");
		if (to & bit)
			rcpt[n++] = db_int(&trio, i, "person_id");
	}
	for (size_t i = 0; i < pilots.n_rows; i++)
		rcpt[n++] = db_int(&pilots, i, "person_id");
	const struct notice notice = {
	    .kind = kind,
	    .object = "enrolment",
	    .object_kind = OBJ_ENROLMENT,
	    .object_id = enrolment_id,
	    .relations = to,
	    .subject = trainee_name,
	    .link = link,
	};
	return notify(r, &tutorat_module, &notice, rcpt, n);
}

const char *tutorat_link(struct req *r, const char *screen, int64_t id)
{
	return arena_printf(r->arena, "/app.html#/%s/%lld", screen, (long long)id);
}
