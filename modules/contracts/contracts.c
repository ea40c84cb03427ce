/*
 * Routes and handlers of the contracts module: the parcours
 * d'individualisation (annex 2 for the 1er degré, annex 3 for the 2nd),
 * its versions, their signatures (each confirmed by the signer's password,
 * a bind to the académie's directory), the points de situation and the
 * bilan. The contract of the API is docs/contracts.md.
 */
#include <string.h>

#include "audit.h"
#include "auth_db.h"
#include "authz.h"
#include "contracts.h"
#include "db.h"
#include "ldapauth.h"
#include "log.h"
#include "modules.h"
#include "req.h"
#include "util.h"
#include "worker.h"

/* Who can hold a relation to a contract at all (the route masks). */
#define AUDIENCE                                                                                   \
	(R(STAGIAIRE) | R(TUTEUR_TERRAIN) | R(TUTEUR_INSPE) | R(IEN) | R(PILOTE_POLE) |            \
	 R(IA_IPR) | R(CHEF_ETABLISSEMENT) | R(RESPONSABLE_PARCOURS) | R(BUREAU_STAGES))
#define PILOTS (R(IEN) | R(PILOTE_POLE) | R(IA_IPR))

const char *const contracts_relation_names[] = {"party", "trainee", "pilot", "cellule", NULL};
const char *const contracts_object_names[] = {"", "contract", "contract_version", NULL};

static const struct problem_def P_VERSION_SIGNED = {
    409, "contract_version_signed", "Version signée : elle ne se modifie plus."};
static const struct problem_def P_VERSION_SUPERSEDED = {
    409, "contract_version_superseded", "Cette version a été remplacée par une nouvelle."};
static const struct problem_def P_ALREADY_SIGNED = {409, "contract_already_signed",
						    "Vous avez déjà signé cette version."};
static const struct problem_def *const contracts_problems[] = {
    &P_VERSION_SIGNED, &P_VERSION_SUPERSEDED, &P_ALREADY_SIGNED, NULL};

const struct notice_kind contracts_notices[] = {
    {"contracts.opened", "Parcours d’individualisation ouvert",
     "a ouvert un parcours d’individualisation", "Un parcours d’individualisation vous concerne",
     CHANNEL_EMAIL},
    {"contracts.signature_requested", "Signature demandée",
     "vous demande de signer un parcours d’individualisation", "Un document attend votre signature",
     CHANNEL_EMAIL},
    {"contracts.in_force", "Parcours d’individualisation en vigueur",
     "a apposé la dernière signature : le parcours d’individualisation est en vigueur",
     "Un parcours d’individualisation est en vigueur", CHANNEL_EMAIL},
    {0},
};

static const char *link_of(struct req *r, int64_t id)
{
	return arena_printf(r->arena, "/app.html#/individualisation/%lld", (long long)id);
}

/* Tells `a` and `b` (either may be empty) of event `kind` on contract `id`. */
static enum err tell(struct req *r, int64_t id, const char *kind, const char *subject,
		     const int64_t *a, size_t na, const int64_t *b, size_t nb)
{
	int64_t *all = arena_alloc(r->arena, (na + nb + 1) * sizeof(*all));
	const struct notice n = {
	    .kind = kind,
	    .object = "contract",
	    .object_kind = OBJ_CONTRACT,
	    .object_id = id,
	    .relations = CREL_ALL,
	    .subject = subject,
	    .link = link_of(r, id),
	};

	if (all == NULL)
		return fail_internal(r, ERR_INTERNAL, "arena exhausted");
	if (na > 0)
		memcpy(all, a, na * sizeof(*all));
	if (nb > 0)
		memcpy(all + na, b, nb * sizeof(*all));
	return notify(r, &contracts_module, &n, all, na + nb);
}

static enum err contract_reply(struct req *r, int64_t id, int status)
{
	const struct contract_ctx *c = contract_ctx(r);
	json_t *o = NULL, *rels;
	enum err e = cdb_contract_json(r, id, &o);

	if (e != ERR_OK)
		return e;
	/* The caller's relations, for the screens (what to offer); the API
	 * decides in any case. A creation is the pilot's. */
	rels = json_array();
	for (size_t bit = 0; contracts_relation_names[bit] != NULL; bit++)
		if ((c != NULL ? c->rel : (unsigned)CREL_PILOT) & (1U << bit))
			json_array_append_new(rels, json_string(contracts_relation_names[bit]));
	json_object_set_new(o, "relations", rels);
	reply_versioned(r, status, o);
	return ERR_OK;
}

/* The domains given: each key at most once. */
static enum err check_domains(struct req *r, json_t *domains)
{
	bool seen[CONTRACT_DOMAINS] = {0};
	size_t i;
	json_t *item;

	json_array_foreach(domains, i, item)
	{
		const char *key = json_string_value(json_object_get(item, "key"));

		for (size_t k = 0; k < CONTRACT_DOMAINS; k++) {
			if (key == NULL || strcmp(key, contract_domain_keys[k]) != 0)
				continue;
			if (seen[k])
				return fail(r, ERR_INVALID_FIELD, "domains",
					    "Chaque domaine figure une seule fois.");
			seen[k] = true;
		}
	}
	return ERR_OK;
}

/* A version route's {id} must be the contract of its {vid}: anything else
 * is the 404 of a missing id. */
static enum err version_of_path(struct req *r)
{
	if (arg_int(r, "id", 0) != contract_ctx(r)->id)
		return fail(r, ERR_NOT_FOUND, NULL, NULL);
	return ERR_OK;
}

/* GET /api/v1/individualisations — the contracts the caller sees. */
static enum err h_list(struct req *r)
{
	json_t *o = NULL;
	enum err e = cdb_list_json(r, &o);

	if (e == ERR_OK)
		reply_json(r, 200, o);
	return e;
}

/*
 * POST /api/v1/individualisations {enrolment_id, started_on?, domains?} —
 * a pilot of the enrolment's scope opens the parcours (they centralise the
 * requests): annex 2 or 3 by the enrolment's degré, its header and parties
 * resolved now and frozen into version 1. Everyone it names and the
 * cellule d'accompagnement are told. 201 with the contract.
 */
static enum err h_create(struct req *r)
{
	struct contract_frame f;
	int64_t id = 0, vid = 0, *parties = NULL, *cellule = NULL;
	size_t np = 0, nc = 0;
	const char *name = "";
	json_t *domains = arg_list(r, "domains");
	enum err e = check_domains(r, domains);

	if (e == ERR_OK)
		e = cdb_frame(r, arg_int(r, "enrolment_id", 0), &f);
	if (e == ERR_OK)
		e = cdb_create(r, arg_int(r, "enrolment_id", 0), &f, domains,
			       arg_str(r, "started_on"), &id, &vid);
	if (e == ERR_OK)
		e = audit_record_body(r, "contract.open", "contract", id);
	if (e == ERR_OK)
		e = cdb_parties_now(r, id, &parties, &np, &name);
	if (e == ERR_OK)
		e = cdb_cellule(r, &cellule, &nc);
	if (e == ERR_OK)
		e = tell(r, id, "contracts.opened", name, parties, np, cellule, nc);
	if (e == ERR_OK)
		e = tell(r, id, "contracts.signature_requested", name, parties, np, NULL, 0);
	return e == ERR_OK ? contract_reply(r, id, 201) : e;
}

/* GET /api/v1/individualisations/{id} — the contract, every version with
 * its signatories, the points de situation, the bilans. */
static enum err h_get(struct req *r)
{
	return contract_reply(r, contract_ctx(r)->id, 200);
}

/*
 * POST /api/v1/individualisations/{id}/versions {started_on?, domains?} —
 * the pilot: a new version (header and parties resolved anew), the
 * previous one superseded and its signatures void; every party is asked
 * to sign again. 201 with the contract.
 */
static enum err h_version_create(struct req *r)
{
	struct contract_ctx ctx = *contract_ctx(r);
	struct contract_frame f;
	int64_t vid = 0, *parties = NULL;
	size_t np = 0;
	const char *name = "";
	json_t *domains = arg_list(r, "domains");
	enum err e = check_domains(r, domains);

	if (e == ERR_OK)
		e = cdb_frame(r, ctx.enrolment_id, &f);
	if (e == ERR_OK)
		e = cdb_new_version(r, ctx.id, &f, domains, arg_str(r, "started_on"), &vid);
	if (e == ERR_OK) {
		json_t *d = json_pack("{s:I}", "version_id", (json_int_t)vid);

		e = audit_record(r, "contract.version", "contract", ctx.id, d);
		json_decref(d);
	}
	if (e == ERR_OK)
		e = cdb_parties_now(r, ctx.id, &parties, &np, &name);
	if (e == ERR_OK)
		e = tell(r, ctx.id, "contracts.signature_requested", name, parties, np, NULL, 0);
	return e == ERR_OK ? contract_reply(r, ctx.id, 201) : e;
}

/*
 * PUT /api/v1/individualisations/{id}/versions/{vid} {started_on?,
 * domains?} with If-Match — the pilot edits the current version while
 * nobody has signed it; once anyone has, 409 (a change is a new version).
 */
static enum err h_version_put(struct req *r)
{
	struct contract_ctx ctx = *contract_ctx(r);
	int64_t vid = arg_int(r, "vid", 0), version;
	json_t *domains = arg_list(r, "domains");
	struct contract_version_state st;
	enum err e = version_of_path(r);

	if (e == ERR_OK)
		e = req_if_match(r, &version);
	if (e == ERR_OK)
		e = check_domains(r, domains);
	if (e == ERR_OK)
		e = cdb_edit_version(r, ctx.id, vid, version, domains, arg_str(r, "started_on"));
	if (e == ERR_CONFLICT) {
		e = cdb_version_state(r, vid, false, &st);
		if (e != ERR_OK)
			return e;
		if (!st.current)
			return fail_problem(r, &P_VERSION_SUPERSEDED, "vid",
					    "Cette version a été remplacée : modifiez la plus "
					    "récente.");
		return fail_problem(r, &P_VERSION_SIGNED, "vid",
				    "Cette version est déjà signée : toute modification passe par "
				    "une nouvelle version, à signer de nouveau par tous.");
	}
	if (e == ERR_OK)
		e = audit_record_body(r, "contract.edit", "contract_version", vid);
	return e == ERR_OK ? contract_reply(r, ctx.id, 200) : e;
}

/* The state of the version a signature is about, checked twice: before
 * the directory is asked (no password is tried for a signature that
 * cannot be), and under lock in the signing transaction. */
static enum err sign_check(struct req *r, int64_t id, int64_t vid, int64_t version, bool lock,
			   struct contract_version_state *st)
{
	enum err e = cdb_version_state(r, vid, lock, st);

	if (e == ERR_NOT_FOUND || (e == ERR_OK && st->contract_id != id))
		return fail(r, ERR_NOT_FOUND, NULL, NULL);
	if (e != ERR_OK)
		return e;
	if (!st->current || st->version != version)
		return fail(r, ERR_PRECONDITION_FAILED, "vid",
			    "Cette version n’est plus celle en cours : relisez le document avant "
			    "de le signer.");
	if (!st->party)
		return fail(r, ERR_FORBIDDEN, "vid", "Vous n’êtes pas signataire de ce document.");
	if (st->signed_by_me)
		return fail_problem(r, &P_ALREADY_SIGNED, "vid",
				    "Vous avez déjà signé cette version.");
	return ERR_OK;
}

/*
 * POST /api/v1/individualisations/{id}/versions/{vid}/signatures
 * {password} with If-Match (the version read) — a party signs the current
 * version, confirming with their password: a bind to the académie's
 * directory, counted and audited as a login attempt (own transactions: no
 * transaction is open while the directory is asked). 412 for a version
 * that is no longer the current one or was edited since; 409 for a second
 * signature; 422 (password) for a wrong password, nothing signed. The
 * last signature puts the document in force and tells everyone. 201 with
 * the contract.
 */
static enum err h_sign(struct req *r)
{
	struct contract_ctx ctx = *contract_ctx(r);
	int64_t vid = arg_int(r, "vid", 0), version = 0, wait = 0, sid = 0, *parties = NULL,
		*cellule = NULL, *pilots = NULL;
	size_t np = 0, nc = 0, npl = 0;
	const char *name = "", *group = address_group(r, r->remote_addr);
	struct contract_version_state st;
	struct throttle_key k;
	struct ldap_person p;
	const char *why = NULL;
	char account[80];
	enum ldap_outcome out;
	enum err e = version_of_path(r);

	if (e == ERR_OK)
		e = req_if_match(r, &version);
	if (e == ERR_OK)
		e = sign_check(r, ctx.id, vid, version, false, &st);
	if (e != ERR_OK)
		return e;
	snprintf(account, sizeof(account), "%s", r->who.username);
	for (char *c = account; *c != '\0'; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	authdb_throttle_key(&k, account, group != NULL ? group : "-", NULL);
	e = authdb_throttle_count(r, &k, &wait);
	if (e != ERR_OK)
		return e;
	if (wait > 0) {
		r->retry_after = wait;
		return fail(r, ERR_TOO_MANY_ATTEMPTS, "password",
			    arena_printf(r->arena,
					 "Trop de mots de passe erronés. Réessayez dans %lld minute(s).",
					 (long long)(wait + 59) / 60));
	}
	out = ldap_authenticate(r->w->ldap, r->tenant, r->who.username, arg_str(r, "password"),
				r->arena, &p, &why);
	if (out == LDAP_AUTH_UNAVAILABLE) {
		r->log_detail = why;
		r->retry_after = ldap_retry_after(r->w->ldap);
		e = authdb_throttle_give_back(r, &k);
		return e != ERR_OK ? e
				   : fail(r, ERR_LDAP_UNAVAILABLE, NULL,
					  "L’annuaire de l’académie ne répond pas.");
	}
	e = db_begin(r);
	if (e != ERR_OK)
		return e;
	if (out != LDAP_AUTH_OK) {
		json_t *d = json_pack("{s:I}", "version_id", (json_int_t)vid);

		r->log_detail = why;
		e = audit_record(r, "contract.sign_failed", "contract", ctx.id, d);
		json_decref(d);
		if (e == ERR_OK)
			e = audit_commit(r);
		return e != ERR_OK ? e
				   : fail(r, ERR_INVALID_FIELD, "password",
					  "Mot de passe incorrect : la signature n’est pas "
					  "enregistrée.");
	}
	e = authdb_throttle_succeeded(r, &k);
	if (e == ERR_OK)
		e = sign_check(r, ctx.id, vid, version, true, &st);
	if (e == ERR_OK)
		e = cdb_sign(r, vid, st.sha, &sid);
	if (e == ERR_DUPLICATE)
		return fail_problem(r, &P_ALREADY_SIGNED, "vid", "Vous avez déjà signé cette version.");
	if (e == ERR_OK) {
		json_t *d = json_pack("{s:I, s:I, s:s}", "version_id", (json_int_t)vid,
				      "signature_id", (json_int_t)sid, "content_sha256", st.sha);

		e = audit_record(r, "contract.sign", "contract", ctx.id, d);
		json_decref(d);
	}
	if (e == ERR_OK && st.signatures + 1 >= st.parties) {
		e = cdb_parties_now(r, ctx.id, &parties, &np, &name);
		if (e == ERR_OK)
			e = cdb_cellule(r, &cellule, &nc);
		if (e == ERR_OK)
			e = cdb_pilots(r, ctx.enrolment_id, &pilots, &npl);
		if (e == ERR_OK)
			e = tell(r, ctx.id, "contracts.in_force", name, parties, np, cellule, nc);
		if (e == ERR_OK)
			e = tell(r, ctx.id, "contracts.in_force", name, pilots, npl, NULL, 0);
	}
	if (e == ERR_OK)
		e = audit_commit(r);
	return e == ERR_OK ? contract_reply(r, ctx.id, 201) : e;
}

/* GET /api/v1/individualisations/{id}/versions/{vid}/pdf — the version as
 * a PDF (libharu): content, signatories with their dates, the hash. */
static enum err h_pdf(struct req *r)
{
	struct contract_ctx ctx = *contract_ctx(r);
	int64_t vid = arg_int(r, "vid", 0);
	const char *pdf;
	size_t n;
	enum err e = version_of_path(r);

	if (e == ERR_OK)
		e = contracts_pdf(r, ctx.id, vid, &pdf, &n);
	if (e != ERR_OK)
		return e;
	r->status = 200;
	r->raw_reply = pdf;
	r->raw_len = n;
	r->reply_type = "application/pdf";
	reply_header(r, arena_printf(r->arena,
				     "Content-Disposition: attachment; "
				     "filename=\"parcours-individualisation-%lld-v%lld.pdf\"",
				     (long long)ctx.id, (long long)vid));
	reply_header(r, "Cache-Control: private, no-store");
	return ERR_OK;
}

/* POST /api/v1/individualisations/{id}/points {held_on, body} — the pilot
 * records a point de situation (a dated entry, never changed). */
static enum err h_point(struct req *r)
{
	struct contract_ctx ctx = *contract_ctx(r);
	int64_t pid;
	enum err e = cdb_point_add(r, ctx.id, arg_str(r, "held_on"), arg_str(r, "body"), &pid);

	if (e == ERR_OK)
		e = audit_record_body(r, "contract.point", "contract", ctx.id);
	return e == ERR_OK ? contract_reply(r, ctx.id, 201) : e;
}

/* POST /api/v1/individualisations/{id}/bilan {held_on, outcomes, decision}
 * — the pilot records the bilan; a correction is a new revision. */
static enum err h_bilan(struct req *r)
{
	struct contract_ctx ctx = *contract_ctx(r);
	json_t *outcomes = jarena(r, json_object()), *list = arg_list(r, "outcomes");
	int64_t bid;
	size_t i;
	json_t *item;
	enum err e;

	json_array_foreach(list, i, item)
	{
		const char *key = json_string_value(json_object_get(item, "key"));

		if (json_object_get(outcomes, key) != NULL)
			return fail(r, ERR_INVALID_FIELD, "outcomes",
				    "Chaque domaine figure une seule fois.");
		json_object_set(outcomes, key, json_object_get(item, "outcome"));
	}
	e = cdb_bilan_add(r, ctx.id, arg_str(r, "held_on"), outcomes, arg_str(r, "decision"),
			  &bid);
	if (e == ERR_OK)
		e = audit_record_body(r, "contract.bilan", "contract", ctx.id);
	return e == ERR_OK ? contract_reply(r, ctx.id, 201) : e;
}

static const char *const domain_choices[] = {"ethics",	 "classroom",	"safety",
					      "teaching", "development", NULL};
static const char *const decision_choices[] = {"end", "continue", "titularisation", NULL};

static const struct param_spec domain_fields[] = {
    {"key", LOC_BODY, P_ENUM, .required = true, .choices = domain_choices},
    {"situation", LOC_BODY, P_STRING, .min = 0, .max = 4000},
    {"needs", LOC_BODY, P_STRING, .min = 0, .max = 4000},
    {"support", LOC_BODY, P_STRING, .min = 0, .max = 4000},
    {0},
};
static const struct param_spec outcome_fields[] = {
    {"key", LOC_BODY, P_ENUM, .required = true, .choices = domain_choices},
    {"outcome", LOC_BODY, P_STRING, .required = true, .min = 0, .max = 4000},
    {0},
};
static const struct param_spec p_create[] = {
    {"enrolment_id", LOC_BODY, P_ID, .required = true},
    {"started_on", LOC_BODY, P_DATE, .nullable = true},
    {"domains", LOC_BODY, P_LIST, .min = 0, .max = CONTRACT_DOMAINS, .fields = domain_fields},
    {0},
};
static const struct param_spec p_id[] = {{"id", LOC_PATH, P_ID, .required = true}, {0}};
static const struct param_spec p_version_create[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"started_on", LOC_BODY, P_DATE, .nullable = true},
    {"domains", LOC_BODY, P_LIST, .min = 0, .max = CONTRACT_DOMAINS, .fields = domain_fields},
    {0},
};
static const struct param_spec p_version_put[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"vid", LOC_PATH, P_ID, .required = true},
    {"started_on", LOC_BODY, P_DATE, .nullable = true},
    {"domains", LOC_BODY, P_LIST, .min = 0, .max = CONTRACT_DOMAINS, .fields = domain_fields},
    {0},
};
static const struct param_spec p_version_pdf[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"vid", LOC_PATH, P_ID, .required = true},
    {0},
};
static const struct param_spec p_sign[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"vid", LOC_PATH, P_ID, .required = true},
    {"password", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 256},
    {0},
};
static const struct param_spec p_point[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"held_on", LOC_BODY, P_DATE, .required = true},
    {"body", LOC_BODY, P_STRING, .required = true, .min = 1, .max = 8000},
    {0},
};
static const struct param_spec p_bilan[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {"held_on", LOC_BODY, P_DATE, .required = true},
    {"decision", LOC_BODY, P_ENUM, .required = true, .choices = decision_choices},
    {"outcomes", LOC_BODY, P_LIST, .required = true, .min = 0, .max = CONTRACT_DOMAINS,
     .fields = outcome_fields},
    {0},
};

#define SEEN(kind, param, see)		  .object = {OBJ_##kind, param, see, 0, NULL}
#define ACTED(kind, param, see, act, why) .object = {OBJ_##kind, param, see, act, why}
#define PILOT_WRITES "Le parcours d’individualisation est centralisé par le pilote."

static struct route contracts_routes[] = {
    {M_GET, "/api/v1/individualisations", h_list, NULL, AUDIENCE},
    {M_POST, "/api/v1/individualisations", h_create, p_create, PILOTS},
    {M_GET, "/api/v1/individualisations/{id}", h_get, p_id, AUDIENCE,
     SEEN(CONTRACT, "id", CREL_ALL)},
    {M_POST, "/api/v1/individualisations/{id}/versions", h_version_create, p_version_create,
     AUDIENCE, ACTED(CONTRACT, "id", CREL_ALL, CREL_PILOT, PILOT_WRITES)},
    {M_PUT, "/api/v1/individualisations/{id}/versions/{vid}", h_version_put, p_version_put,
     AUDIENCE, ACTED(CONTRACT_VERSION, "vid", CREL_ALL, CREL_PILOT, PILOT_WRITES)},
    {M_POST, "/api/v1/individualisations/{id}/versions/{vid}/signatures", h_sign, p_sign,
     AUDIENCE, .own_transactions = true,
     ACTED(CONTRACT_VERSION, "vid", CREL_ALL, CREL_PARTY | CREL_TRAINEE,
	   "Seules les personnes nommées par l’annexe la signent.")},
    {M_GET, "/api/v1/individualisations/{id}/versions/{vid}/pdf", h_pdf, p_version_pdf, AUDIENCE,
     SEEN(CONTRACT_VERSION, "vid", CREL_ALL)},
    {M_POST, "/api/v1/individualisations/{id}/points", h_point, p_point, AUDIENCE,
     ACTED(CONTRACT, "id", CREL_ALL, CREL_PILOT, PILOT_WRITES)},
    {M_POST, "/api/v1/individualisations/{id}/bilan", h_bilan, p_bilan, AUDIENCE,
     ACTED(CONTRACT, "id", CREL_ALL, CREL_PILOT, PILOT_WRITES)},
};

const struct module contracts_module = {
    .name = "contracts",
    .routes = contracts_routes,
    .n_routes = ARRAY_LEN(contracts_routes),
    .resolve = contracts_resolve,
    .relations = contracts_relation_names,
    .objects = contracts_object_names,
    .problems = contracts_problems,
    .statements = contracts_statements,
    .notices = contracts_notices,
    .relations_of = contracts_relations_of,
};
