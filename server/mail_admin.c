/*
 * The admin's view of the académie's mails (mail_outbox): what left, what
 * waits, what failed and why, who could not be told for want of an
 * address; and a failed mail sent again. The data is server/mailer_db.c's;
 * the module also carries `tutoratctl mailer` (server/mailer.c).
 */
#include "audit.h"
#include "config.h"
#include "db.h"
#include "mailer.h"
#include "req.h"
#include "util.h"

#include <string.h>

static const char *const mail_states[] = {"pending", "sending", "sent", "failed", NULL};

/*
 * GET /api/v1/admin/mail?state=&limit=&offset= — admin of the académie.
 * 200 {items: [{id, recipient: {id, display_name} | null, to_addr, kind,
 * subject, state, attempts, last_error, created_at, sent_at}], total,
 * limit, offset}, newest first, paged as every list of the API; 422 for a
 * bad filter or page.
 */
static enum err h_mail_list(struct req *r)
{
	int64_t limit = arg_int(r, "limit", 20), offset = arg_int(r, "offset", 0);
	json_t *items = json_array();
	struct db_res res;
	enum err e = mailer_admin_list(r, arg_str(r, "state"), limit, offset, &res);

	jarena(r, items);
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < res.n_rows; i++) {
		json_t *who = db_isnull(&res, i, "recipient_id")
				  ? json_null()
				  : json_pack("{s:I, s:s?}", "id",
					      (json_int_t)db_int(&res, i, "recipient_id"),
					      "display_name", db_str(&res, i, "display_name"));

		json_array_append_new(
		    items,
		    json_pack("{s:I, s:o, s:o, s:s, s:s, s:s, s:I, s:o, s:s, s:o}", "id",
			      (json_int_t)db_int(&res, i, "id"), "recipient", who, "to_addr",
			      JSTR(db_str(&res, i, "to_addr")), "kind", db_str(&res, i, "kind"),
			      "subject", db_str(&res, i, "subject"), "state",
			      db_str(&res, i, "state"), "attempts",
			      (json_int_t)db_int(&res, i, "attempts"), "last_error",
			      JSTR(db_str(&res, i, "last_error")), "created_at",
			      db_str(&res, i, "created_at"), "sent_at",
			      JSTR(db_str(&res, i, "sent_at"))));
	}
	reply_json(r, 200,
		   json_pack("{s:O, s:I, s:I, s:I}", "items", items, "total",
			     (json_int_t)db_total(&res), "limit", (json_int_t)limit, "offset",
			     (json_int_t)offset));
	return ERR_OK;
}

/*
 * GET /api/v1/admin/mail/summary — admin of the académie. 200 {relay:
 * {configured, from}, counts: {pending, sending, sent, failed},
 * without_address: [{id, display_name, mails}]}: the people a mail was
 * for who have no address (still), and how many mails they missed.
 */
static enum err h_mail_summary(struct req *r)
{
	const struct academy_cfg *a = r->tenant;
	json_t *counts = json_pack("{s:i, s:i, s:i, s:i}", "pending", 0, "sending", 0, "sent", 0,
				   "failed", 0);
	json_t *gaps = json_array();
	struct db_res by_state, people;
	enum err e;

	jarena(r, counts);
	jarena(r, gaps);
	e = mailer_admin_counts(r, &by_state, &people);
	if (e != ERR_OK)
		return e;
	for (size_t i = 0; i < by_state.n_rows; i++)
		json_object_set_new(counts, db_str(&by_state, i, "state"),
				    json_integer(db_int(&by_state, i, "n")));
	for (size_t i = 0; i < people.n_rows; i++)
		json_array_append_new(gaps, json_pack("{s:I, s:s, s:I}", "id",
						      (json_int_t)db_int(&people, i, "id"),
						      "display_name", db_str(&people, i, "display_name"),
						      "mails", (json_int_t)db_int(&people, i, "n")));
	reply_json(r, 200,
		   json_pack("{s:{s:b, s:o}, s:O, s:O}", "relay", "configured",
			     a->smtp_url != NULL && a->mail_from != NULL, "from", JSTR(a->mail_from),
			     "counts", counts, "without_address", gaps));
	return ERR_OK;
}

/*
 * POST /api/v1/admin/mail/{id}/retry — admin of the académie. A 'failed'
 * mail goes again at once (its attempts reset, its address read again from
 * the person: the admin may have added one); audited mail.retry. 204; 404
 * for an id the académie does not have; 409 for a mail in another state.
 */
static enum err h_mail_retry(struct req *r)
{
	int64_t id = arg_int(r, "id", 0);
	const char *state = NULL;
	enum err e = mailer_admin_retry(r, id, &state);

	if (e == ERR_CONFLICT)
		return fail(r, ERR_CONFLICT, "id",
			    arena_printf(r->arena,
					 "Seul un message en échec peut être renvoyé (état : %s).",
					 state != NULL ? state : "?"));
	if (e == ERR_OK)
		e = audit_record(r, "mail.retry", "mail", id, NULL);
	if (e == ERR_OK)
		reply_empty(r, 204);
	return e;
}

static const struct param_spec p_mail_list[] = {
    {"state", LOC_QUERY, P_ENUM, .choices = mail_states},
    {"limit", LOC_QUERY, P_INT, .min = 1, .max = 200},
    {"offset", LOC_QUERY, P_INT, .min = 0, .max = 1000000},
    {0},
};
static const struct param_spec p_mail_id[] = {
    {"id", LOC_PATH, P_ID, .required = true},
    {0},
};

static struct route mail_routes[] = {
    {M_GET, "/api/v1/admin/mail", h_mail_list, p_mail_list, R(ADMIN), 0},
    {M_GET, "/api/v1/admin/mail/summary", h_mail_summary, NULL, R(ADMIN), 0},
    {M_POST, "/api/v1/admin/mail/{id}/retry", h_mail_retry, p_mail_id, R(ADMIN), 0},
};

static const struct module_verb mail_verbs[] = {
    {"mailer", "[--once]", mailer_main},
    {0},
};

const struct module mail_module = {
    .name = "mail",
    .routes = mail_routes,
    .n_routes = ARRAY_LEN(mail_routes),
    .statements = mailer_statements,
    .verbs = mail_verbs,
};
