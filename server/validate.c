/*
 * Input validation against a route's declared parameters: path, query
 * string and JSON body become typed arguments (struct arg), or the request
 * ends with a problem naming the field.
 */
#include "validate.h"
#include "routes.h"
#include "util.h"

#include <string.h>

/*
 * Checks one raw value against its spec; `field` names it in the error
 * (the spec's name, or "items[2].level" inside a list). *iv gets the
 * integer or boolean value.
 */
static enum err check_value(struct req *r, const struct param_spec *spec, const char *field,
			    const char *s, size_t n, int64_t *iv)
{
	int64_t v = 0;
	size_t chars;

	switch (spec->type) {
	case P_STRING:
		if (!utf8_clean(s, n))
			return fail(r, ERR_INVALID_FIELD, field, "Caractères non autorisés.");
		chars = utf8_length(s, n);
		if ((int64_t)chars < spec->min || (spec->max > 0 && (int64_t)chars > spec->max))
			return fail(r, ERR_INVALID_FIELD, field,
				    arena_printf(r->arena,
						 "Longueur attendue : de %lld à %lld caractères.",
						 (long long)spec->min, (long long)spec->max));
		break;
	case P_INT:
	case P_ID:
		if (!parse_int64(s, n, &v))
			return fail(r, ERR_INVALID_FIELD, field, "Nombre entier attendu.");
		if (spec->type == P_ID && (v < 1 || v >= (INT64_C(1) << 53)))
			return fail(r, ERR_INVALID_FIELD, field, "Identifiant invalide.");
		if (spec->type == P_INT && (v < spec->min || v > spec->max))
			return fail(r, ERR_INVALID_FIELD, field,
				    arena_printf(r->arena, "Valeur attendue : de %lld à %lld.",
						 (long long)spec->min, (long long)spec->max));
		break;
	case P_BOOL:
		if (n == 4 && memcmp(s, "true", 4) == 0)
			v = 1;
		else if (!(n == 5 && memcmp(s, "false", 5) == 0))
			return fail(r, ERR_INVALID_FIELD, field, "true ou false attendu.");
		break;
	case P_ENUM: {
		bool found = false;

		for (const char *const *c = spec->choices; c != NULL && *c != NULL; c++)
			if (strlen(*c) == n && memcmp(*c, s, n) == 0)
				found = true;
		if (!found)
			return fail(r, ERR_INVALID_FIELD, field, "Valeur non reconnue.");
		break;
	}
	case P_DATE:
		if (!parse_date(s, n))
			return fail(r, ERR_INVALID_FIELD, field, "Date AAAA-MM-JJ attendue.");
		break;
	case P_DATETIME:
		if (!parse_datetime(s, n))
			return fail(r, ERR_INVALID_FIELD, field,
				    "Date et heure AAAA-MM-JJTHH:MM attendues.");
		break;
	case P_LIST:
		return fail_internal(r, ERR_INTERNAL, "a list is not a scalar value");
	}
	if (spec->check != NULL && !spec->check(s, n))
		return fail(r, ERR_INVALID_FIELD, field, "Format invalide.");
	*iv = v;
	return ERR_OK;
}

enum err validate_value(struct req *r, const struct param_spec *spec, const char *s, size_t n)
{
	int64_t v;

	return check_value(r, spec, spec->name, s, n, &v);
}

const struct param_spec *param_named(const struct param_spec *specs, const char *name)
{
	for (const struct param_spec *p = specs; p != NULL && p->name != NULL; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* A fresh argument slot for spec, or NULL (and the error) when full. */
static struct arg *new_arg(struct req *r, const struct param_spec *spec)
{
	struct arg *a;

	if (r->n_args == REQ_MAX_ARGS) {
		fail(r, ERR_INVALID_FIELD, spec->name, "Trop de champs.");
		return NULL;
	}
	a = &r->args[r->n_args++];
	memset(a, 0, sizeof(*a));
	a->spec = spec;
	a->present = true;
	return a;
}

/* Checks one raw value and records it as the typed argument of its spec. */
static enum err accept_value(struct req *r, const struct param_spec *spec, const char *s, size_t n)
{
	struct arg *a;
	int64_t v = 0;
	enum err e;

	for (size_t i = 0; i < r->n_args; i++)
		if (r->args[i].spec == spec)
			return fail(r, ERR_INVALID_FIELD, spec->name, "Paramètre répété.");
	e = check_value(r, spec, spec->name, s, n, &v);
	if (e != ERR_OK)
		return e;
	a = new_arg(r, spec);
	if (a == NULL)
		return ERR_INVALID_FIELD;
	a->i = v;
	a->s = arena_strndup(r->arena, s, n);
	a->len = n;
	if (a->s == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	return ERR_OK;
}

enum err validate_path(struct req *r)
{
	const char *p = r->route->pattern;
	size_t k = 0;

	for (const char *s = strchr(p, '{'); s != NULL; s = strchr(s + 1, '{')) {
		const char *end = strchr(s, '}');
		const struct param_spec *spec =
		    route_param(r->route, LOC_PATH, s + 1, (size_t)(end - s - 1));
		const char *v = r->path_vals[k++];
		enum err e = accept_value(r, spec, v, strlen(v));

		if (e == ERR_INVALID_FIELD) {
			/* /people/abc names no record: that is a 404, not bad input. */
			r->err = ERR_OK;
			r->err_field = r->err_detail = NULL;
			return fail(r, ERR_NOT_FOUND, NULL, NULL);
		}
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes in place ('+' is a space); false on a bad escape. */
static bool url_decode(char *s, size_t *n)
{
	size_t o = 0;

	for (size_t i = 0; i < *n; i++) {
		if (s[i] == '%') {
			int h, l;

			if (i + 2 >= *n)
				return false;
			h = hexval(s[i + 1]);
			l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return false;
			s[o++] = (char)(h << 4 | l);
			i += 2;
		} else {
			s[o++] = s[i] == '+' ? ' ' : s[i];
		}
	}
	*n = o;
	return true;
}

enum err validate_query(struct req *r, const char *query)
{
	const struct param_spec *spec;

	if (query != NULL && *query != '\0') {
		char *q = arena_strdup(r->arena, query), *save = NULL, *pair;

		if (q == NULL)
			return fail_internal(r, ERR_INTERNAL, "arena exhausted");
		for (pair = strtok_r(q, "&", &save); pair != NULL;
		     pair = strtok_r(NULL, "&", &save)) {
			char *eq = strchr(pair, '=');
			size_t kn = eq != NULL ? (size_t)(eq - pair) : strlen(pair);
			char *val = eq != NULL ? eq + 1 : pair + kn;
			size_t vn = strlen(val);
			enum err e;

			if (!url_decode(pair, &kn) || !url_decode(val, &vn))
				return fail(r, ERR_INVALID_FIELD, NULL, "Encodage d’URL invalide.");
			spec = route_param(r->route, LOC_QUERY, pair, kn);
			if (spec == NULL)
				return fail(r, ERR_UNKNOWN_PARAMETER,
					    arena_strndup(r->arena, pair, kn),
					    "Ce paramètre n’est pas accepté ici.");
			e = accept_value(r, spec, val, vn);
			if (e != ERR_OK)
				return e;
		}
	}
	for (spec = r->route->params; spec != NULL && spec->name != NULL; spec++)
		if (spec->loc == LOC_QUERY && spec->required && !arg_has(r, spec->name))
			return fail(r, ERR_MISSING_FIELD, spec->name, "Paramètre obligatoire.");
	return ERR_OK;
}

static bool content_type_json(const char *ct)
{
	static const char want[] = "application/json";
	size_t n = sizeof(want) - 1;

	if (ct == NULL || !ascii_ieq(ct, strlen(ct) < n ? strlen(ct) : n, want))
		return false;
	ct += n;
	while (*ct == ' ')
		ct++;
	if (*ct == '\0')
		return true;
	if (*ct != ';')
		return false;
	ct++;
	while (*ct == ' ')
		ct++;
	return ascii_ieq(ct, strlen(ct), "charset=utf-8");
}

/* The string form of a JSON scalar, for check_value; NULL for other types. */
static const char *scalar_text(struct req *r, const struct param_spec *spec, json_t *v, size_t *n)
{
	switch (spec->type) {
	case P_STRING:
	case P_ENUM:
	case P_DATE:
	case P_DATETIME:
		if (!json_is_string(v))
			return NULL;
		*n = json_string_length(v);
		return json_string_value(v);
	case P_INT:
	case P_ID: {
		char *buf;

		if (!json_is_integer(v))
			return NULL;
		buf = arena_printf(r->arena, "%lld", (long long)json_integer_value(v));
		*n = buf != NULL ? strlen(buf) : 0;
		return buf;
	}
	case P_BOOL:
		if (!json_is_boolean(v))
			return NULL;
		*n = json_is_true(v) ? 4 : 5;
		return json_is_true(v) ? "true" : "false";
	case P_LIST:
		break;
	}
	return NULL;
}

/*
 * A list of objects (a competence grid, say): between min and max
 * elements, each an object whose members are all declared in spec->fields
 * and valid; required members present. Without fields: a list of record
 * identifiers (integers in [1, 2^53)). The handler gets the validated
 * array through arg_list().
 */
static enum err accept_list(struct req *r, const struct param_spec *spec, json_t *v)
{
	struct arg *a;
	size_t i;
	json_t *el;

	if (!json_is_array(v))
		return fail(r, ERR_INVALID_FIELD, spec->name, "Liste attendue.");
	if ((int64_t)json_array_size(v) < spec->min || (int64_t)json_array_size(v) > spec->max)
		return fail(r, ERR_INVALID_FIELD, spec->name,
			    arena_printf(r->arena, "De %lld à %lld éléments attendus.",
					 (long long)spec->min, (long long)spec->max));
	json_array_foreach(v, i, el)
	{
		const char *key;
		json_t *m;

		if (spec->fields == NULL) { /* a list of record identifiers */
			json_int_t id = json_is_integer(el) ? json_integer_value(el) : 0;

			if (id < 1 || id >= ((json_int_t)1 << 53))
				return fail(r, ERR_INVALID_FIELD,
					    arena_printf(r->arena, "%s[%zu]", spec->name, i),
					    "Identifiant attendu.");
			continue;
		}
		if (!json_is_object(el))
			return fail(r, ERR_INVALID_FIELD,
				    arena_printf(r->arena, "%s[%zu]", spec->name, i),
				    "Objet attendu.");
		json_object_foreach(el, key, m)
		{
			const struct param_spec *f = NULL;
			const char *text, *field;
			size_t n = 0;
			int64_t iv;
			enum err e;

			for (const struct param_spec *p = spec->fields; p->name != NULL; p++)
				if (strcmp(p->name, key) == 0)
					f = p;
			field = arena_printf(r->arena, "%s[%zu].%s", spec->name, i, key);
			if (f == NULL)
				return fail(r, ERR_UNKNOWN_FIELD, field,
					    "Ce champ n’est pas accepté ici.");
			if (json_is_null(m) && f->nullable)
				continue;
			text = scalar_text(r, f, m, &n);
			if (text == NULL)
				return fail(r, ERR_INVALID_FIELD, field,
					    "Type de valeur inattendu.");
			e = check_value(r, f, field, text, n, &iv);
			if (e != ERR_OK)
				return e;
		}
		for (const struct param_spec *p = spec->fields; p->name != NULL; p++)
			if (p->required && json_object_get(el, p->name) == NULL)
				return fail(
				    r, ERR_MISSING_FIELD,
				    arena_printf(r->arena, "%s[%zu].%s", spec->name, i, p->name),
				    "Champ obligatoire.");
	}
	a = new_arg(r, spec);
	if (a == NULL)
		return ERR_INVALID_FIELD;
	a->list = v;
	return ERR_OK;
}

/* What a member of the wrong JSON type should have been. */
static const char *expected_type(enum param_type t)
{
	switch (t) {
	case P_INT:
	case P_ID:
		return "Nombre entier attendu.";
	case P_BOOL:
		return "true ou false attendu.";
	case P_LIST:
		return "Liste attendue.";
	case P_STRING:
	case P_ENUM:
	case P_DATE:
	case P_DATETIME:
		break;
	}
	return "Texte attendu.";
}

/* Converts one JSON member to its declared type, via the string form. */
static enum err accept_json(struct req *r, const struct param_spec *spec, json_t *v)
{
	const char *text;
	size_t n = 0;

	if (json_is_null(v)) {
		struct arg *a;

		if (!spec->nullable)
			return fail(r, ERR_INVALID_FIELD, spec->name, "Valeur obligatoire.");
		a = new_arg(r, spec);
		if (a == NULL)
			return ERR_INVALID_FIELD;
		a->is_null = true;
		return ERR_OK;
	}
	if (spec->type == P_LIST)
		return accept_list(r, spec, v);
	text = scalar_text(r, spec, v, &n);
	if (text == NULL)
		return fail(r, ERR_INVALID_FIELD, spec->name, expected_type(spec->type));
	return accept_value(r, spec, text, n);
}

enum err validate_body(struct req *r)
{
	const struct param_spec *spec;
	json_error_t jerr;
	const char *key;
	json_t *v;

	if (r->route->raw_body)
		return ERR_OK; /* the handler checks the bytes themselves */
	if (r->body_len > 0) {
		if (!content_type_json(r->content_type))
			return fail(r, ERR_UNSUPPORTED_MEDIA_TYPE, NULL,
				    "Envoyez Content-Type: application/json.");
		r->json = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
		if (r->json == NULL)
			return fail(r, ERR_MALFORMED_JSON, NULL,
				    arena_printf(r->arena,
						 "JSON invalide (ligne %d, colonne %d) : %s",
						 jerr.line, jerr.column, jerr.text));
		jarena(r, r->json);
		if (!json_is_object(r->json))
			return fail(r, ERR_MALFORMED_JSON, NULL, "Un objet JSON est attendu.");
		json_object_foreach(r->json, key, v)
		{
			enum err e;

			spec = route_param(r->route, LOC_BODY, key, strlen(key));
			if (spec == NULL)
				return fail(r, ERR_UNKNOWN_FIELD, arena_strdup(r->arena, key),
					    "Ce champ n’est pas accepté ici.");
			e = accept_json(r, spec, v);
			if (e != ERR_OK)
				return e;
		}
	}
	for (spec = r->route->params; spec != NULL && spec->name != NULL; spec++)
		if (spec->loc == LOC_BODY && spec->required && !arg_has(r, spec->name))
			return fail(r, ERR_MISSING_FIELD, spec->name, "Champ obligatoire.");
	return ERR_OK;
}
