/*
 * The copy module: a person's own copy of their data (RGPD art. 15 and 20,
 * issue 15, docs/copy.md). The person asks for it (POST /api/v1/me/copies);
 * `tutoratctl copies` prepares it in the background as a ZIP (donnees.json,
 * resume.html, the documents they may read); the person asks for a link
 * and downloads it once.
 */
#ifndef TUTORAT_COPY_H
#define TUTORAT_COPY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "problem.h"

struct req;
struct db_sql;
struct db_res;
struct config;

/* The caller's one relation to a copy: it is theirs. */
#define CREL_OWNER 1u

enum copy_object { COBJ_COPY = 1 };

/* How long a ready copy waits for its download, in seconds. */
#define COPY_TTL_SECONDS (24 * 3600)

/* The copy the resolver found (req_object). */
struct copy_ctx {
	int64_t id;
	const char *status;
};
#define copy_ctx(r) ((struct copy_ctx *)req_object(r))

/* One part of donnees.json: its key and the statement that answers it as a
 * JSON array in one row (column "j"), bound with the person's id. */
struct copy_section {
	const char *key;
	const struct db_sql *q;
};
extern const struct copy_section copy_sections[]; /* {0}-ended */
extern const struct db_sql *const copy_statements[];

/* copy_db.c */
enum err copydb_resolve(struct req *r, int64_t id, struct copy_ctx *out);
enum err copydb_relations_of(struct req *r, const int64_t *ids, size_t n, unsigned *rel);
enum err copydb_request(struct req *r, int64_t *id);
enum err copydb_list_json(struct req *r, json_t **out);
enum err copydb_set_token(struct req *r, int64_t id, const unsigned char hash[32], bool *set);
/* Consumes the link: the copy turns downloaded and its bytes are handed
 * over and removed, all in the caller's transaction. *found false when the
 * token does not open the copy (wrong, used, expired). */
enum err copydb_take(struct req *r, int64_t id, const unsigned char hash[32], bool *found,
		     const char **bytes, size_t *n);
/* The runner's steps, on a request of tutoratctl's. */
enum err copydb_claim(struct req *r, int64_t *id, int64_t *person_id, bool *found);
enum err copydb_section(struct req *r, const struct db_sql *q, int64_t person_id, json_t **out);
enum err copydb_documents(struct req *r, int64_t person_id, struct db_res *out);
enum err copydb_ready(struct req *r, int64_t id, const void *zip, size_t n);
enum err copydb_failed(struct req *r, int64_t id);
enum err copydb_expire(struct req *r, uint64_t *n);

/* copy_build.c */
/* The ZIP of the person's copy, malloc'd (the caller frees *zip). */
enum err copy_build(struct req *r, int64_t person_id, void **zip, size_t *n);
/* tutoratctl copies [--once] [--every SECONDS]. */
int copy_runner(const struct config *cfg, const char *academy, int argc, char **argv);

#endif
