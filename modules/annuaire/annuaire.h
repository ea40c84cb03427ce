/*
 * Module annuaire: the académie's directory. School years and their
 * calendar, structures (départements, circonscriptions, pôles, schools,
 * INSPÉ sites, disciplines), people and their role assignments.
 * The data functions below are shared by the HTTP handlers and by
 * `tutoratctl import`; each binds the académie of the request.
 */
#ifndef TUTORAT_ANNUAIRE_H
#define TUTORAT_ANNUAIRE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "problem.h"
#include "req.h"

struct req;

extern const char *const annuaire_structure_kinds[]; /* NULL-terminated */
extern const char *const annuaire_scope_kinds[];
extern const char *const annuaire_role_names[];

struct person_input {
	const char *username, *display_name, *given_name, *family_name, *email;
};

/* 409 on a username already taken (field "username"). */
enum err annuaire_person_create(struct req *r, const struct person_input *in, int64_t *id);
/* ERR_NOT_FOUND if there is no such person in the académie. */
enum err annuaire_person_id(struct req *r, const char *username, int64_t *id);
/* Full person (with assignments) as JSON, or ERR_NOT_FOUND. */
enum err annuaire_person_get(struct req *r, int64_t id, json_t **out);

/* The person a directory entry is (bound to entry_id, or holding username
 * unbound): *id 0 when none. */
enum err annuaire_person_of_entry(struct req *r, const char *username, const char *entry_id,
				  int64_t *id, bool *active);
/* ERR_NOT_FOUND if there is no such person in the académie. */
enum err annuaire_person_username(struct req *r, int64_t id, const char **username);
/* Binds the person (still holding username) to the directory entry
 * entry_id and clears their mismatch; 409 when another person is bound to
 * it, ERR_NOT_FOUND when the person or their username changed. */
enum err annuaire_person_relink(struct req *r, int64_t id, const char *username,
				const char *entry_id);

/* Checks the parent rules of each kind, then inserts. */
enum err annuaire_structure_create(struct req *r, const char *kind, const char *code,
				   const char *name, int64_t parent_id, int64_t *id);
/* The structure of that kind and code, or ERR_NOT_FOUND. */
enum err annuaire_structure_id(struct req *r, const char *kind, const char *code, int64_t *id);

/* scope_id is 0 for scope_kind "academy". */
enum err annuaire_assignment_create(struct req *r, int64_t person_id, const char *role,
				    const char *scope_kind, int64_t scope_id, int64_t *id);

struct person_update {
	bool set_display_name, set_given_name, set_family_name, set_email, set_active;
	const char *display_name, *given_name, *family_name, *email;
	bool active;
};

enum err annuaire_people_list(struct req *r, const char *q, const char *role, int64_t limit,
			      int64_t offset, json_t **out);
/* ERR_NOT_FOUND or ERR_PRECONDITION_FAILED when nothing was updated. */
enum err annuaire_person_update(struct req *r, int64_t id, int64_t version,
				const struct person_update *u);
enum err annuaire_structures_list(struct req *r, const char *kind, int64_t parent_id, const char *q,
				  int64_t limit, int64_t offset, json_t **out);
enum err annuaire_structure_get(struct req *r, int64_t id, json_t **out);
enum err annuaire_structure_update(struct req *r, int64_t id, int64_t version, bool set_code,
				   const char *code, bool set_name, const char *name,
				   bool set_parent, int64_t parent_id);
/* Directory-sourced assignments are refused (409): they follow LDAP. */
enum err annuaire_assignment_delete(struct req *r, int64_t id, int64_t *person_id);
enum err annuaire_years_list(struct req *r, json_t **out);
/* A school year; its school day (day_starts_at, day_ends_at: "HH:MM")
 * bounds the hours of its follow-up times. */
enum err annuaire_year_create(struct req *r, const char *label, const char *starts_on,
			      const char *ends_on, bool current, const char *day_starts_at,
			      const char *day_ends_at, int64_t *id);
/* ERR_NOT_FOUND if the year is not the académie's. */
enum err annuaire_year_event_create(struct req *r, int64_t year_id, const char *kind,
				    const char *label, const char *starts_on, const char *ends_on,
				    int64_t *id);

/* Structure checks used by imports and handlers. */
bool annuaire_uai_valid(const char *s, size_t n);

struct db_sql;
/* Every statement of annuaire_db.c (struct module.statements). */
extern const struct db_sql *const annuaire_statements[];

/* annuaire_import.c: structures, people, assignments (struct module.imports),
 * ended by a {0} entry. */
extern const struct module_import annuaire_imports[];

/* The declarations of a person's and a structure's fields on their
 * creation routes: tutoratctl import checks its lines against them too. */
extern const struct param_spec annuaire_person_fields[];
extern const struct param_spec annuaire_structure_fields[];

#endif
