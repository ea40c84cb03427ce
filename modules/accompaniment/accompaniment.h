/*
 * Module accompagnement personnalisé, the case (issue 10, DOMAIN.md §5,
 * docs/accompaniment.md): a trainee's case (dossier d'accompagnement), its
 * three levels, the fiche de suivi, the agreements to raise the alert, the
 * trio's traces a tutor shares with it, and the read log.
 *
 * Access is relationship-based and follows the case's level. The caller's
 * place in the annuaire gives them a class for the enrolment: the trainee
 * and the current tutors (level 1 and up), the level-2 actors scoped to the
 * enrolment's structures (responsable de site, chef d'établissement,
 * chargé de mission formation, pilote de pôle, référent Inspé, responsable
 * de parcours), the level-3 actors (direction INSPÉ, the inspector: IEN of
 * the circonscription or pôle, IA-IPR of the discipline). They hold a
 * relation to the case only while its level admits their class; everyone
 * else gets 404, as for a missing id.
 */
#ifndef TUTORAT_ACCOMPANIMENT_H
#define TUTORAT_ACCOMPANIMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "notify.h"
#include "problem.h"

struct req;
struct db_sql;

/* The relations to a case (bits; names in acc_relation_names). */
enum acc_relation {
	ACC_TRAINEE = 1 << 0,
	ACC_TUTOR = 1 << 1,
	ACC_ACTOR2 = 1 << 2, /* a level-2 actor, at level 2 or 3 */
	ACC_ACTOR3 = 1 << 3, /* a level-3 actor, at level 3 */
};
#define ACC_ACTORS (ACC_TUTOR | ACC_ACTOR2 | ACC_ACTOR3)
#define ACC_ANY	   (ACC_TRAINEE | ACC_ACTORS)

enum acc_object { ACC_OBJ_CASE = 1, ACC_OBJ_ENROLMENT, ACC_OBJ_SHARE };

/* What the resolver read: the case (case_id 0 for an enrolment object),
 * its enrolment and level, and the caller's place. */
struct acc_ctx {
	int64_t case_id, enrolment_id, level_id, version;
	int64_t trainee_id; /* the case's subject */
	int level; /* the case's current (or, once closed, last) level */
	bool closed;
	int64_t open_case_id;  /* for an enrolment object: its open case, or 0 */
	const char *trio_role; /* "tuteur_terrain", "tuteur_inspe" or NULL */
	bool trainee, actor2, actor3;
	/* The lowest level at which the caller is an actor (1 trio, 2, 3):
	 * entries written at a lower level stay hidden from them. */
	int min_level;
	unsigned rel;
};

extern const char *const acc_relation_names[];
extern const char *const acc_object_names[];
extern const struct db_sql *const acc_statements[];
extern const struct notice_kind acc_notices[];

/* accompaniment_access.c: the module's resolver and notification re-check. */
enum err acc_resolve(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
		     void **ctx);
enum err acc_relations_of(struct req *r, int kind, const int64_t *ids, size_t n, unsigned *rel);
/* The relations a class holds at a level (pure). */
unsigned acc_relations_at(int level, bool trainee, bool tutor, bool actor2, bool actor3);
#define acc_ctx(r) ((struct acc_ctx *)req_object(r))

/*
 * For the tutorat module: an enrolment flagged renouvellement starts the
 * year at level 1. Opens a level-1 case for `enrolment_id` when it is
 * flagged and has no open case (idempotent), in the caller's transaction
 * and under its audit row; tells the trio.
 */
enum err acc_open_for_renewal(struct req *r, int64_t enrolment_id);

#endif
