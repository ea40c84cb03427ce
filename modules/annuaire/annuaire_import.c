/*
 * The annuaire's imports (tutoratctl --academy CODE import KIND FILE.csv):
 * one function per CSV row, called by tutoratctl in one transaction for the
 * whole file (struct module.imports).
 */
#include "annuaire.h"
#include "audit.h"
#include "authz.h"
#include "req.h"
#include "util.h"

#include <string.h>

static const char *opt(const char *s) { return s != NULL && *s != '\0' ? s : NULL; }

/* structures: kind,code,name,parent_kind,parent_code */
static enum err import_structure(struct req *r, char **f)
{
	int64_t parent = 0, id;
	enum err e;
	bool kind_ok = false;

	for (const char *const *k = annuaire_structure_kinds; *k != NULL; k++)
		kind_ok |= strcmp(*k, f[0]) == 0;
	if (!kind_ok)
		return fail(r, ERR_INVALID_FIELD, "kind", "unknown kind");
	if (opt(f[3]) != NULL) {
		e = annuaire_structure_id(r, f[3], f[4], &parent);
		if (e == ERR_NOT_FOUND)
			return fail(r, ERR_INVALID_FIELD, "parent_code",
				    "no such parent (parents must come first)");
		if (e != ERR_OK)
			return e;
	}
	e = annuaire_structure_create(r, f[0], opt(f[1]), f[2], parent, &id);
	return e == ERR_OK ? audit_record(r, "import.structure", "structure", id, NULL) : e;
}

/* people: username,display_name,given_name,family_name,email */
static enum err import_person(struct req *r, char **f)
{
	struct person_input in = {f[0], f[1], opt(f[2]), opt(f[3]), opt(f[4])};
	int64_t id;
	enum err e;

	if (strlen(f[0]) > 64 || strlen(f[1]) > 200 || !utf8_clean(f[1], strlen(f[1])))
		return fail(r, ERR_INVALID_FIELD, "username", "too long or invalid characters");
	e = annuaire_person_create(r, &in, &id);
	return e == ERR_OK ? audit_record(r, "import.person", "person", id, NULL) : e;
}

/* assignments: username,role,scope_kind,scope_code (scope_code empty for academy) */
static enum err import_assignment(struct req *r, char **f)
{
	int64_t person, scope = 0, id;
	enum err e = annuaire_person_id(r, f[0], &person);

	if (e == ERR_NOT_FOUND)
		return fail(r, ERR_INVALID_FIELD, "username", "no such person");
	if (e != ERR_OK)
		return e;
	if (role_parse(f[1], strlen(f[1])) < 0)
		return fail(r, ERR_INVALID_FIELD, "role", "unknown role");
	if (strcmp(f[2], "academy") != 0) {
		e = annuaire_structure_id(r, f[2], f[3], &scope);
		if (e == ERR_NOT_FOUND)
			return fail(r, ERR_INVALID_FIELD, "scope_code", "no such structure");
		if (e != ERR_OK)
			return e;
	}
	e = annuaire_assignment_create(r, person, f[1], f[2], scope, &id);
	return e == ERR_OK ? audit_record(r, "import.assignment", "role_assignment", id, NULL) : e;
}

static const char *const structure_cols[] = {"kind",	    "code",	   "name",
					     "parent_kind", "parent_code", NULL};
static const char *const person_cols[] = {"username",	 "display_name", "given_name",
					  "family_name", "email",	 NULL};
static const char *const assignment_cols[] = {"username", "role", "scope_kind", "scope_code", NULL};

const struct module_import annuaire_imports[] = {
    {"structures", structure_cols, 3, import_structure},
    {"people", person_cols, 2, import_person},
    {"assignments", assignment_cols, 3, import_assignment},
    {0},
};
