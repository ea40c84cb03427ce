/*
 * Module tutorat mixte: a trainee's year with two tutors (DOMAIN.md §3-4).
 *
 * Access is relationship-based. Every route on an enrolment first computes
 * the caller's relation to it (tutorat_access.c) and answers 404 when the
 * relation is not one the route admits: the trio sees the dossier,
 * managers (admin, bureau des stages) the enrolment, its history and its
 * results, validators (direction INSPÉ, responsable de parcours) the
 * enrolment and its results, pilots (IEN, pilote de pôle, IA-IPR) the
 * enrolment itself. The
 * door for the accompaniment module: a relation for a case's support team
 * (to be added beside REL_PILOT), which will see only what a tutor
 * explicitly shares.
 */
#ifndef TUTORAT_TUTORAT_H
#define TUTORAT_TUTORAT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "notify.h"
#include "problem.h"

struct req;
struct st_mysql;
struct config;

enum relation {
	REL_NONE = 0,
	REL_TRAINEE = 1 << 0,
	REL_TUTEUR_TERRAIN = 1 << 1,
	REL_TUTEUR_INSPE = 1 << 2,
	REL_MANAGER = 1 << 3,
	REL_PILOT = 1 << 4,
	/* The INSPÉ's roles that validate the UE and the master (direction,
	 * responsable de parcours): they read the results, never the traces. */
	REL_VALIDATOR = 1 << 5,
};
#define REL_TUTORS (REL_TUTEUR_TERRAIN | REL_TUTEUR_INSPE)
#define REL_TRIO   (REL_TRAINEE | REL_TUTORS)
#define REL_ANY	   (REL_TRIO | REL_MANAGER | REL_PILOT | REL_VALIDATOR)

/* What every handler needs to know about the enrolment it works on. */
struct enrolment_ctx {
	int64_t id;
	int64_t trainee_id;
	int64_t year_id;
	int64_t referentiel_id;
	int64_t dossier_version;   /* see sql/005_dossier_version.sql */
	int64_t reference_version; /* the académie's, sql/006_reference_version.sql */
	int degre;
	char parcours[4];
	char category[16];
	enum relation rel;
};

const char *relation_name(enum relation rel);

/* The objects routes address (struct route_object.kind). */
enum tutorat_object { OBJ_ENROLMENT = 1, OBJ_FOLLOWUP, OBJ_BILAN, OBJ_ASSESSMENT, OBJ_DOCUMENT };
extern const char *const tutorat_relation_names[]; /* index = bit of enum relation */
extern const char *const tutorat_object_names[];   /* index = enum tutorat_object */

/* The module's resolver (struct module.resolve): the caller's relation to
 * the enrolment the object belongs to; the context is a struct
 * enrolment_ctx, read by handlers with tutorat_ctx(). */
enum err tutorat_resolve(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
			 void **ctx);
#define tutorat_ctx(r) ((struct enrolment_ctx *)req_object(r))

/* tutorat_access.c: the caller's relation from what was read about the
 * enrolment (their role in its trio, whether a pilot rule applies): the
 * trio first, then management, then piloting. REL_NONE: they have none.
 * The resolver and the list both decide with it. */
enum relation tutorat_relation(const struct req *r, enum relation trio, bool pilot);
/* What hangs off an enrolment, mapped to it by tdb_owner_of. */
enum owned { OWNED_FOLLOWUP, OWNED_BILAN, OWNED_ASSESSMENT, OWNED_DOCUMENT, OWNED__MAX };

/* tutorat_checks.c: the warnings shown (never enforced) for one enrolment. */
enum err tutorat_checks(struct req *r, const struct enrolment_ctx *e, json_t **out);
/* The same for the n enrolments of a list's page, in a bounded number of
 * statements: out[i] (n of them, the caller releases them) for es[i]. */
enum err tutorat_checks_page(struct req *r, const struct enrolment_ctx *es, size_t n, json_t **out);
/* The same rules on inputs already read (tutorat_db.h). */
struct check_inputs;
json_t *tutorat_checks_eval(struct req *r, const struct enrolment_ctx *e,
			    const struct check_inputs *in);

/* tutorat_notify.c: the kinds of the module's events (struct module
 * .notices), the re-check of notifications (.relations_of: every relation
 * the reader holds to each enrolment), and the event itself: `to` among
 * REL_TRAINEE, REL_TUTORS, REL_TRIO (the trio as it is now) and REL_PILOT
 * (the IEN and pôle pilots of the enrolment's scope). */
extern const struct notice_kind tutorat_notices[];
enum err tutorat_relations_of(struct req *r, int kind, const int64_t *ids, size_t n,
			      unsigned *rel);
enum err tutorat_notify(struct req *r, int64_t enrolment_id, const char *kind, unsigned to,
			const char *link);
/* "/app.html#/<screen>/<id>": the web app's screen of a record. */
const char *tutorat_link(struct req *r, const char *screen, int64_t id);

/* tutorat_docs.c: the document type read from its bytes, or NULL. */
const char *tutorat_sniff_type(const unsigned char *p, size_t n);
/* Does the name's extension (if it has one) agree with the type read from
 * the bytes? A PNG named compte-rendu.pdf does not. */
bool tutorat_extension_fits(const char *name, const char *type);
/* The type as the users call it ("image PNG"). */
const char *tutorat_type_label(const char *type);
/* A filename safe to store and to put in Content-Disposition. */
char *tutorat_clean_filename(struct req *r, const char *name);

/* tutorat_import.c: one line of `tutoratctl import enrolments`. */
extern const char *const tutorat_import_columns[];
enum err tutorat_import_enrolment(struct req *r, char **fields);

/* tutorat_generate_db.c: `tutoratctl generate`, invented data of realistic
 * size in one académie of a development stack (replaces an earlier run's;
 * 0 trainees removes it). Returns the process exit status. */
int tutorat_generate(const struct config *cfg, const char *academy, uint64_t seed, long trainees);
/* The same as a tutoratctl command (struct module.verbs). */
int tutorat_generate_verb(const struct config *cfg, const char *academy, int argc, char **argv);

/* tutorat_feed.c: the calendar feed's routes. */
enum err tutorat_h_feed_get(struct req *r);
enum err tutorat_h_feed_create(struct req *r);
enum err tutorat_h_feed_revoke(struct req *r);
enum err tutorat_h_calendar(struct req *r);

/* tutorat_remind.c: the reminders of every module (tutoratctl remind),
 * tutorat's own (tutorat_reminders, struct module_reminder of req.h, ended
 * by {0}: declared in tutorat.c) and their rules. */
struct db_sql;
#define TUTORAT_MAX_OFFSETS 6
/* "-7,-1,1": distinct integers -60..60, at most six, comma-separated, into
 * out sorted; their number, 0 when s is not such a list. */
size_t tutorat_offsets_parse(const char *s, size_t n, int out[TUTORAT_MAX_OFFSETS]);
bool tutorat_offsets_ok(const char *s, size_t n);
int tutorat_remind_verb(const struct config *cfg, const char *academy, int argc, char **argv);
enum err tutorat_h_reminder_rules(struct req *r);
enum err tutorat_h_reminder_rules_put(struct req *r);

/* tutorat_seed_db.c: the 2013 framework and default conversion rules. */
bool tutorat_seed(struct st_mysql *my, uint32_t academy_id, char *err, size_t errlen);

/* The pilots of enrolment e, as a condition on role_assignment ra (SQL,
 * with e and ra in scope): the pilote or IEN of its pôle, the IA-IPR of its
 * discipline, the IEN of a circonscription of one of its schools, an IEN an
 * admin gave the whole académie. One rule for every module that names the
 * pilots of an enrolment (tutorat, contracts). */
#define TUTORAT_PILOT_SCOPES                                                                               \
	"(ra.role IN ('pilote_pole', 'ien') AND ra.scope_kind = 'pole' "                           \
	"  AND ra.scope_id = e.pole_id) "                                                          \
	"OR (ra.role = 'ia_ipr' AND ra.scope_kind = 'discipline' "                                 \
	"  AND ra.scope_id = e.discipline_id) "                                                    \
	"OR (ra.role = 'ien' AND ra.scope_kind = 'academy' AND ra.source = 'local') "              \
	"OR (ra.role = 'ien' AND ra.scope_kind = 'circonscription' AND ra.scope_id IN ("           \
	"  SELECT s.parent_id FROM enrolment_place ep JOIN structure s ON s.academy_id = "         \
	"  ep.academy_id AND s.id = ep.school_id WHERE ep.academy_id = e.academy_id "              \
	"  AND ep.enrolment_id = e.id)) "

#endif
