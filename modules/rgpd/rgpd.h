/*
 * The rgpd module (docs/rgpd-access.md): a person's view of who read
 * their file (read_log, written by the pipeline for routes that declare
 * .read_log), their requests to correct their identity data and the
 * admins' answers, and the académie's transparency page.
 */
#ifndef TUTORAT_RGPD_H
#define TUTORAT_RGPD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "problem.h"

struct req;
struct db_sql;
struct st_mysql;

/* Relations to a rectification request: the person who asked, and the
 * académie's admins who answer (the notifications' re-check). */
#define GREL_REQUESTER 1u
#define GREL_ADMIN     2u

enum rgpd_object { GOBJ_RECTIFICATION = 1 };

/* The transparency page's sections, in the order it shows them. */
#define RGPD_SECTIONS 8
extern const char *const rgpd_sections[RGPD_SECTIONS + 1];

/* rgpd_db.c: data functions; every one binds the académie. */
enum err gdb_reads(struct req *r, int64_t limit, int64_t offset, json_t **out);
enum err gdb_rect_create(struct req *r, const char *field, const char *value, const char *comment,
			 int64_t *id);
enum err gdb_rect_mine(struct req *r, int64_t limit, int64_t offset, json_t **out);
enum err gdb_rect_list(struct req *r, const char *status, int64_t limit, int64_t offset,
		       json_t **out);
/* The request's owner (ERR_NOT_FOUND when the académie has none such). */
enum err gdb_rect_owner(struct req *r, int64_t id, int64_t *person_id);
enum err gdb_rect_answer(struct req *r, int64_t id, int64_t version, const char *status,
			 const char *answer);
/* One request as the admin sees it, with its version. */
enum err gdb_rect_get(struct req *r, int64_t id, json_t **out);
/* The ids of the académie's admins (arena). */
enum err gdb_admins(struct req *r, int64_t **ids, size_t *n);
enum err gdb_display_name(struct req *r, int64_t person_id, const char **name);
enum err gdb_relations_of(struct req *r, const int64_t *ids, size_t n, unsigned *rel);
enum err gdb_notice_get(struct req *r, json_t **out);
/* vals: RGPD_SECTIONS texts in rgpd_sections' order. */
enum err gdb_notice_put(struct req *r, int64_t version, const char *const *vals);
bool rgpd_seed(struct st_mysql *my, uint32_t academy_id, char *err, size_t errlen);

extern const struct db_sql *const rgpd_statements[];

#endif
