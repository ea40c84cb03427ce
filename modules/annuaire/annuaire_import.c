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
#include "validate.h"

#include <string.h>

static const char *opt(const char *s) { return s != NULL && *s != '\0' ? s : NULL; }

/* One set of rules for the API and the import: each non-empty field of
 * the line against the creation route's declaration of the same name
 * (length in characters, character set, format). Empty required columns
 * are refused by tutoratctl before any line is written. */
static enum err check_fields(struct req *r, const struct param_spec *specs,
			     const char *const *cols, char **f)
{
	for (size_t i = 0; cols[i] != NULL; i++) {
		const struct param_spec *p = param_named(specs, cols[i]);
		enum err e;

		if (p == NULL || f[i][0] == '\0')
			continue;
		e = validate_value(r, p, f[i], strlen(f[i]));
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

static const char *const structure_cols[] = {"kind",	    "code",	   "name",
					     "parent_kind", "parent_code", NULL};
static const char *const person_cols[] = {"username",	 "display_name", "given_name",
					  "family_name", "email",	 NULL};

/* structures: kind,code,name,parent_kind,parent_code */
static enum err import_structure(struct req *r, char **f)
{
	int64_t parent = 0, id;
	enum err e = check_fields(r, annuaire_structure_fields, structure_cols, f);

	if (e != ERR_OK)
		return e;
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
	enum err e = check_fields(r, annuaire_person_fields, person_cols, f);

	if (e == ERR_OK)
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

static const char *const assignment_cols[] = {"username", "role", "scope_kind", "scope_code", NULL};

const struct module_import annuaire_imports[] = {
    {"structures", structure_cols, 3, import_structure},
    {"people", person_cols, 2, import_person},
    {"assignments", assignment_cols, 3, import_assignment},
    {0},
};
