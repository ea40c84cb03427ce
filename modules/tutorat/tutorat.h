/*
 * Module tutorat mixte: a trainee's year with two tutors (DOMAIN.md §3-4).
 *
 * Access is relationship-based. Every route on an enrolment first computes
 * the caller's relation to it (tutorat_access.c) and answers 404 when the
 * relation is not one the route admits: the trio sees the dossier,
 * managers (admin, bureau des stages) the enrolment, pilots (IEN,
 * pilote de pôle, IA-IPR, direction INSPÉ) the enrolment itself. The
 * door for the accompaniment module: a relation for a case's support team
 * (to be added beside REL_PILOT), which will see only what a tutor
 * explicitly shares.
 */
#ifndef TUTORAT_TUTORAT_H
#define TUTORAT_TUTORAT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "problem.h"

struct req;
struct st_mysql;

enum relation {
	REL_NONE = 0,
	REL_TRAINEE = 1 << 0,
	REL_TUTEUR_TERRAIN = 1 << 1,
	REL_TUTEUR_INSPE = 1 << 2,
	REL_MANAGER = 1 << 3,
	REL_PILOT = 1 << 4,
};
#define REL_TUTORS (REL_TUTEUR_TERRAIN | REL_TUTEUR_INSPE)
#define REL_TRIO   (REL_TRAINEE | REL_TUTORS)
#define REL_ANY	   (REL_TRIO | REL_MANAGER | REL_PILOT)

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

/* tutorat_access.c: the caller's relation, or ERR_NOT_FOUND when it is not
 * among `allowed` (or the enrolment is not the académie's). */
enum err tutorat_enrolment_access(struct req *r, int64_t enrolment_id, unsigned allowed,
				  struct enrolment_ctx *out);
/* The same, reached through what hangs off an enrolment. */
enum owned { OWNED_FOLLOWUP, OWNED_BILAN, OWNED_ASSESSMENT, OWNED_DOCUMENT, OWNED__MAX };
enum err tutorat_owned_access(struct req *r, enum owned kind, int64_t id, unsigned allowed,
			      struct enrolment_ctx *out);

/* tutorat_checks.c: the warnings shown (never enforced) for one enrolment. */
enum err tutorat_checks(struct req *r, const struct enrolment_ctx *e, json_t **out);
/* The same rules on inputs already read (tutorat_db.h). */
struct check_inputs;
json_t *tutorat_checks_eval(struct req *r, const struct enrolment_ctx *e,
			    const struct check_inputs *in);

/* tutorat_docs.c: the document type read from its bytes, or NULL. */
const char *tutorat_sniff_type(const unsigned char *p, size_t n);
/* A filename safe to store and to put in Content-Disposition. */
char *tutorat_clean_filename(struct req *r, const char *name);

/* tutorat_import.c: one line of `tutoratctl import enrolments`. */
extern const char *const tutorat_import_columns[];
enum err tutorat_import_enrolment(struct req *r, char **fields);

/* tutorat_seed_db.c: the 2013 framework and default conversion rules. */
bool tutorat_seed(struct st_mysql *my, uint32_t academy_id, char *err, size_t errlen);

#endif
