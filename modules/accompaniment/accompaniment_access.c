/*
 * The caller's relations to a case (docs/accompaniment.md, "Audience"):
 * read from the annuaire at each request (accdb_case_ctx: one statement),
 * then kept only while the case's level admits the caller's class. The
 * pipeline answers 404 to a caller who holds none of the route's
 * relations, byte for byte as for a missing id.
 */
#include "accompaniment.h"
#include "accompaniment_db.h"
#include "arena.h"
#include "req.h"

const char *const acc_relation_names[] = {"trainee", "tutor", "level2_actor", "level3_actor", NULL};
const char *const acc_object_names[] = {"", "case", "case_enrolment", "case_share", NULL};

/*
 * The trainee and the current tutors at every level; a level-2 actor from
 * level 2; a level-3 actor at level 3 only. Going up widens at once, going
 * down narrows at once: nothing is stored about who was an actor.
 */
unsigned acc_relations_at(int level, bool trainee, bool tutor, bool actor2, bool actor3)
{
	unsigned rel = 0;

	if (trainee)
		rel |= ACC_TRAINEE;
	if (tutor)
		rel |= ACC_TUTOR;
	if (actor2 && level >= 2)
		rel |= ACC_ACTOR2;
	if (actor3 && level >= 3)
		rel |= ACC_ACTOR3;
	return rel;
}

enum err acc_resolve(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
		     void **ctx)
{
	struct acc_ctx *c = arena_zalloc(r->arena, sizeof(*c));
	enum err e;

	(void)wanted;
	if (c == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	/* A share is seen through the case it belongs to. */
	if (kind == ACC_OBJ_SHARE)
		e = accdb_share_case(r, id, &id);
	else
		e = ERR_OK;
	if (e == ERR_OK)
		e = kind == ACC_OBJ_ENROLMENT ? accdb_enrolment_ctx(r, id, c)
					      : accdb_case_ctx(r, id, c);
	if (e != ERR_OK)
		return e;
	*rel = c->rel;
	*ctx = c;
	r->subject_id = c->trainee_id;
	return ERR_OK;
}

/* Notifications name cases only: each item is kept while its reader still
 * holds a relation to the case at its level of the moment. */
enum err acc_relations_of(struct req *r, int kind, const int64_t *ids, size_t n, unsigned *rel)
{
	if (kind != ACC_OBJ_CASE)
		return ERR_OK;
	return accdb_relations_of(r, ids, n, rel);
}
