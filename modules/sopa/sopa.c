/*
 * Routes and handlers of the sopa module (docs/sopa.md).
 */
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "authz.h"
#include "modules.h"
#include "req.h"
#include "sopa.h"
#include "sopa_remind.h"
#include "util.h"

const char *const sopa_relation_names[] = {"mat", "student", "site_manager", "site_office",
					   "site_reader", NULL};
const char *const sopa_object_names[] = {"", "site", "placement", "report", NULL};

const struct notice_kind sopa_notices[] = {
    {"sopa.report_sent", "Compte-rendu de stage SOPA transmis",
     "a transmis le compte-rendu d’un stage d’observation et de pratique accompagnée",
     "Un compte-rendu de stage SOPA est arrivé", CHANNEL_EMAIL},
    /* The reminders of sopa_remind.c. */
    {"sopa.report_due", "Rappel : compte-rendu de stage SOPA à envoyer",
     "Un compte-rendu de stage SOPA est à envoyer dans la semaine qui suit la fin du stage",
     "Un compte-rendu de stage SOPA est à envoyer", CHANNEL_EMAIL},
    {"sopa.report_late", "Rappel : compte-rendu de stage SOPA non reçu",
     "Un compte-rendu de stage SOPA n’a pas été reçu dans la semaine qui suit la fin du stage",
     "Un compte-rendu de stage SOPA est en retard", CHANNEL_EMAIL},
    {0},
};

enum err sopa_resolve(struct req *r, int kind, int64_t id, unsigned wanted, unsigned *rel,
		      void **ctx)
{
	(void)r, (void)kind, (void)id, (void)wanted, (void)rel, (void)ctx;
	return ERR_NOT_FOUND;
}

enum err sopa_relations_of(struct req *r, int kind, const int64_t *ids, size_t n, unsigned *rel)
{
	(void)r, (void)kind, (void)ids, (void)n, (void)rel;
	return ERR_OK;
}

static struct route sopa_routes[] = {
    {0},
};

const struct module sopa_module = {
    .name = "sopa",
    .routes = sopa_routes,
    .n_routes = 0,
    .resolve = sopa_resolve,
    .relations = sopa_relation_names,
    .objects = sopa_object_names,
    .statements = sopa_statements,
    .notices = sopa_notices,
    .relations_of = sopa_relations_of,
    .reminders = sopa_reminders,
    .agenda = &sopa_agenda,
    .more_statements = sopa_remind_statements,
};
