/*
 * Module reseau: the réseau de tuteurs (issue 12; docs/reseau.md). The
 * académie's departmental calls, the tutors who volunteer, the collectives
 * composed from them with their mix, the charter, the meetings (in person,
 * 2 hours, November to April), date polls, attendance, the session canvas
 * and the fiche synthèse (published into the académie's library), the
 * académie's resources and the experiment's figures.
 *
 * Access is relation-based (reseau_resolve): organisers of the call's
 * département, members and the pilot of a collective. Members who have not
 * accepted the charter, and everyone outside the collective, get the 404
 * of a missing id on its meetings, canvas and unpublished syntheses.
 */
#ifndef TUTORAT_RESEAU_H
#define TUTORAT_RESEAU_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "notify.h"
#include "problem.h"

struct req;
struct db_sql;
struct st_mysql;

enum reseau_relation {
	RREL_NONE = 0,
	/* A member of the collective; on a meeting, a poll: one who accepted
	 * the charter. */
	RREL_MEMBER = 1 << 0,
	/* The collective's pilot, once they accepted the charter. */
	RREL_PILOT = 1 << 1,
	/* bureau_stages, direction_inspe; charge_mission_formation of the
	 * call's département. */
	RREL_ORGANISER = 1 << 2,
	/* A member of the collective who accepted the charter. */
	RREL_SIGNED = 1 << 3,
	/* A tutor of the académie (a call: may volunteer). */
	RREL_TUTOR = 1 << 4,
	/* A published synthesis: every tutor and organiser of the académie. */
	RREL_READER = 1 << 5,
};

enum reseau_object { ROBJ_CALL = 1, ROBJ_COLLECTIVE, ROBJ_MEETING, ROBJ_SYNTHESIS, ROBJ_POLL };

/* What the resolver read about the route's object (req_object). */
struct reseau_ctx {
	int64_t id;
	int64_t call_id;
	int64_t collective_id;
	int64_t departement_id;
	int64_t year_id;
	int64_t meeting_id;
	bool open;	/* a call: open; a poll: not confirmed */
	bool validated; /* a collective */
	unsigned rel;
};
#define reseau_ctx(r) ((struct reseau_ctx *)req_object(r))

/* One volunteer as the mix reads them. */
struct reseau_vol {
	int64_t id, person_id;
	bool degree_2d, experienced, qualified;
	double lat, lon;
};

/* The mix of a proposed collective (reseau_mix.c). */
struct reseau_mix {
	int n_1d, n_2d, n_neo, n_exp;
	double max_km;
	bool pilot_qualified;
	int score; /* 0..100 */
};

extern const char *const reseau_relation_names[];
extern const char *const reseau_object_names[];
extern const struct notice_kind reseau_notices[];
extern const struct db_sql *const reseau_statements[];

enum err reseau_resolve(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
			void **ctx);
enum err reseau_relations_of(struct req *r, int kind, const int64_t *ids, size_t n,
			     unsigned *rel);
bool reseau_seed(struct st_mysql *my, uint32_t academy_id, char *err, size_t errlen);

/* reseau_mix.c: pure functions. */
double reseau_km(double lat1, double lon1, double lat2, double lon2);
void reseau_mix_of(const struct reseau_vol *v, size_t n, const struct reseau_vol *pilot,
		   struct reseau_mix *m);
const char *reseau_level(int score);

/* reseau_db.c */
enum err rdb_call_rel(struct req *r, int64_t id, struct reseau_ctx *c);
enum err rdb_collective_rel(struct req *r, int64_t id, struct reseau_ctx *c);
enum err rdb_meeting_rel(struct req *r, int64_t id, struct reseau_ctx *c);
enum err rdb_poll_rel(struct req *r, int64_t id, struct reseau_ctx *c);
enum err rdb_synthesis_rel(struct req *r, int64_t id, struct reseau_ctx *c);
enum err rdb_relations_of(struct req *r, int kind, const int64_t *ids, size_t n, unsigned *rel);
/* The organiser's département scope: 0 for all of the académie (bureau,
 * direction), else the chargé de mission's département (-1: none). */
enum err rdb_org_dep(struct req *r, int64_t *dep);
bool rdb_is_organiser(const struct req *r);
bool rdb_is_tutor(const struct req *r);

enum err rdb_communes_json(struct req *r, int64_t dep, const char *q, int64_t limit,
			   int64_t offset, json_t **out);
enum err rdb_is_departement(struct req *r, int64_t id, bool *yes);
enum err rdb_year_exists(struct req *r, int64_t id, bool *yes);
enum err rdb_year_first(struct req *r, int64_t year_id, int *y);
enum err rdb_call_insert(struct req *r, int64_t id, int64_t year_id, int64_t dep,
			 const char *title, const char *opens, const char *closes);
enum err rdb_call_state(struct req *r, int64_t id, const char *state);
enum err rdb_calls_json(struct req *r, int64_t year_id, int64_t dep, int64_t limit,
			int64_t offset, json_t **out);
enum err rdb_call_json(struct req *r, int64_t id, json_t **out);

enum err rdb_commune_dep(struct req *r, int64_t commune, int64_t *dep);
enum err rdb_is_school(struct req *r, int64_t id, bool *yes);
enum err rdb_volunteer_insert(struct req *r, int64_t id, int64_t call_id, const char *degree,
			      const char *seniority, int64_t commune, int64_t school,
			      bool wants_pilot, const char *quals);
enum err rdb_volunteers_json(struct req *r, int64_t call_id, int64_t limit, int64_t offset,
			     json_t **out);
enum err rdb_my_volunteering_json(struct req *r, json_t **out);
/* The call's volunteers as the mix reads them, with whether each is in a
 * collective already (assigned). */
enum err rdb_call_vols(struct req *r, int64_t call_id, struct reseau_vol **v, bool **assigned,
		       int64_t **collective, size_t *n);

enum err rdb_collective_insert(struct req *r, int64_t id, int64_t call_id, const char *name,
			       int score);
enum err rdb_member_insert(struct req *r, int64_t collective_id, int64_t call_id,
			   int64_t volunteer_id, int64_t person_id, bool pilot);
enum err rdb_collective_validate(struct req *r, int64_t id, bool *done);
/* The members' person ids and the collective's name (a notice's subject). */
enum err rdb_collective_people(struct req *r, int64_t id, int64_t **ids, size_t *n,
			       const char **name);
enum err rdb_collectives_json(struct req *r, int64_t call_id, int64_t limit, int64_t offset,
			      json_t **out);
enum err rdb_collective_json(struct req *r, int64_t id, unsigned rel, json_t **out);
enum err rdb_charter_accept(struct req *r, int64_t collective_id, const char **at);

enum err rdb_meeting_count(struct req *r, int64_t collective_id, int64_t *n);
enum err rdb_meeting_insert(struct req *r, int64_t id, int64_t collective_id,
			    const char *starts, const char *ends, const char *place);
enum err rdb_meeting_json(struct req *r, int64_t id, json_t **out);
enum err rdb_member_persons(struct req *r, int64_t collective_id, const json_t *ids,
			    bool *all_members);
enum err rdb_attendance_set(struct req *r, int64_t meeting_id, const json_t *present);
enum err rdb_canvas_json(struct req *r, int64_t meeting_id, json_t **out);
/* The canvas's text fields, in order (NULL-terminated). */
extern const char *const reseau_canvas_cols[10];
struct reseau_canvas_in {
	bool set[9], presenter_set;
	const char *val[9];
	int64_t presenter; /* 0: none */
};
enum err rdb_canvas_update(struct req *r, int64_t meeting_id, int64_t version,
			   const struct reseau_canvas_in *in);
enum err rdb_synthesis_json(struct req *r, int64_t meeting_id, json_t **out);
enum err rdb_synthesis_state(struct req *r, int64_t meeting_id, bool *published,
			     int64_t *version);
enum err rdb_synthesis_update(struct req *r, int64_t meeting_id, int64_t version,
			      const char *problem, const char *answers);
enum err rdb_synthesis_publish(struct req *r, int64_t meeting_id, bool *done);
enum err rdb_library_json(struct req *r, const char *q, int64_t dep, int64_t limit,
			  int64_t offset, json_t **out);
enum err rdb_library_item_json(struct req *r, int64_t id, json_t **out);

enum err rdb_poll_insert(struct req *r, int64_t id, int64_t collective_id, const json_t *options);
enum err rdb_poll_json(struct req *r, int64_t id, json_t **out);
enum err rdb_poll_answer(struct req *r, int64_t poll_id, int64_t option_id, bool available,
			 bool *found);
enum err rdb_poll_option(struct req *r, int64_t poll_id, int64_t option_id, bool *found,
			 const char **starts, const char **ends, const char **place);
enum err rdb_poll_confirm(struct req *r, int64_t poll_id, int64_t meeting_id, bool *done);

enum err rdb_resources_json(struct req *r, json_t **out);
enum err rdb_resources_replace(struct req *r, const json_t *items);

enum err rdb_figures(struct req *r, int64_t year_id, json_t **out);

#endif
