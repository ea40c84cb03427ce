/*
 * Module contracts: the parcours d'individualisation (seed 000 §6.2,
 * annexes 2 and 3; DOMAIN.md §5), a contract on one enrolment of the
 * current year whose content lives in versions, each signed by the
 * parties the annex names (docs/contracts.md).
 *
 * Access is relationship-based, as in the tutorat module: the caller's
 * relations to a contract (contracts_resolve) are the parties named by its
 * current version (but the trainee), the trainee, the pilots of the
 * enrolment's scope (pilote de pôle, IEN, IA-IPR: they centralise and
 * write it) and the cellule d'accompagnement (bureau des stages, to which
 * it is sent). Anyone else gets the 404 of a missing id.
 */
#ifndef CONTRACTS_CONTRACTS_H
#define CONTRACTS_CONTRACTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "notify.h"
#include "problem.h"

struct req;

enum contract_relation {
	CREL_NONE = 0,
	CREL_PARTY = 1 << 0, /* named by the current version, the trainee aside */
	CREL_TRAINEE = 1 << 1,
	CREL_PILOT = 1 << 2,
	CREL_CELLULE = 1 << 3,
};
#define CREL_ALL (CREL_PARTY | CREL_TRAINEE | CREL_PILOT | CREL_CELLULE)

enum contract_object { OBJ_CONTRACT = 1, OBJ_CONTRACT_VERSION };
extern const char *const contracts_relation_names[]; /* index = bit */
extern const char *const contracts_object_names[];   /* index = enum contract_object */

/* What the resolver read: the contract, its enrolment, the caller's
 * relations (struct req.object). */
struct contract_ctx {
	int64_t id;
	int64_t enrolment_id;
	int64_t trainee_id;
	int annex;
	unsigned rel;
};
#define contract_ctx(r) ((struct contract_ctx *)req_object(r))

enum err contracts_resolve(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
			   void **ctx);
enum err contracts_relations_of(struct req *r, int kind, const int64_t *ids, size_t n,
				unsigned *rel);
extern const struct notice_kind contracts_notices[];

/* The five domains of the annexes, in their order. */
#define CONTRACT_DOMAINS 5
extern const char *const contract_domain_keys[];   /* API keys, NULL-ended */
extern const char *const contract_domain_labels[]; /* the annex's words */

/* contracts_db.c */

/* The header and the parties of a new version of an annex for enrolment
 * `enrolment_id`, resolved now from the enrolment, its trio and the
 * annuaire's scopes. ERR_NOT_FOUND when the caller does not pilot it (or
 * it is not of the académie); a 422 naming enrolment_id when it is not of
 * the current year or a party the annex names cannot be found. */
struct contract_frame {
	int annex;
	int64_t trainee_id;
	const char *trainee_name;
	json_t *header;	 /* owned by the arena */
	json_t *parties; /* [{role, label, person_id, name}], owned by the arena */
};
enum err cdb_frame(struct req *r, int64_t enrolment_id, struct contract_frame *out);

/* Writes a contract and its first version (content from `domains` and
 * `started_on`): *id, *version_id. */
enum err cdb_create(struct req *r, int64_t enrolment_id, const struct contract_frame *f,
		    json_t *domains, const char *started_on, int64_t *id, int64_t *version_id);
/* A new version of contract `id` (the previous superseded, its signatures
 * void): *version_id. */
enum err cdb_new_version(struct req *r, int64_t id, const struct contract_frame *f,
			 json_t *domains, const char *started_on, int64_t *version_id);
/* Edits version `vid` of contract `id` at edit counter `version`: 404 when
 * it is not the contract's, 409 when superseded or signed, 412 stale. */
enum err cdb_edit_version(struct req *r, int64_t id, int64_t vid, int64_t version,
			  json_t *domains, const char *started_on);

/* The version a signature is about, read under lock in the signing
 * transaction (lock) or plainly before it. */
struct contract_version_state {
	int64_t contract_id;
	int64_t version;
	bool current;
	bool party;	   /* the caller is named by it */
	bool signed_by_me; /* the caller has signed it */
	int64_t parties, signatures;
	char sha[65];
};
enum err cdb_version_state(struct req *r, int64_t vid, bool lock,
			   struct contract_version_state *out);
enum err cdb_sign(struct req *r, int64_t vid, const char *sha, int64_t *signature_id);
/* The people named by the current version of contract `id` (the trainee
 * among them), and the trainee's name: the recipients of its events. */
enum err cdb_parties_now(struct req *r, int64_t id, int64_t **ids, size_t *n,
			 const char **trainee_name);
/* The people of the cellule d'accompagnement (bureau des stages). */
enum err cdb_cellule(struct req *r, int64_t **ids, size_t *n);
/* The pilots of the enrolment's scope. */
enum err cdb_pilots(struct req *r, int64_t enrolment_id, int64_t **ids, size_t *n);

enum err cdb_point_add(struct req *r, int64_t id, const char *held_on, const char *body,
		       int64_t *point_id);
enum err cdb_bilan_add(struct req *r, int64_t id, const char *held_on, json_t *outcomes,
		       const char *decision, int64_t *bilan_id);

/* The contract as GET /individualisations/{id} answers it. */
enum err cdb_contract_json(struct req *r, int64_t id, json_t **out);
/* The contracts the caller sees, newest first (bounded). */
enum err cdb_list_json(struct req *r, json_t **out);

/* contracts_pdf.c: the PDF of version `vid` of contract `id`. */
enum err contracts_pdf(struct req *r, int64_t id, int64_t vid, const char **out, size_t *len);

extern const struct db_sql *const contracts_statements[];

#endif
