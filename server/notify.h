/*
 * Notifications: what a module tells people about an event, in the same
 * transaction as the event (sql/010_notify.sql).
 *
 * A module declares the kinds of events it notifies (struct module
 * .notices) and, for the re-check of each item when it is listed or
 * opened, the reader's relations to many of its objects at once (struct
 * module .relations_of). A handler calls notify() with the recipients it
 * resolved; notify() writes one `notification` row per recipient and, by
 * the recipient's preference for the kind, a `mail_outbox` row (at once or
 * for the daily digest). Neither holds the private text of a record: the
 * item says what happened, who did it, when, about whom (`subject`, e.g.
 * the trainee's name), and links to the screen.
 */
#ifndef TUTORAT_NOTIFY_H
#define TUTORAT_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "problem.h"

struct req;
struct module;

enum notice_channel { CHANNEL_APP, CHANNEL_EMAIL, CHANNEL_DIGEST };

/* A kind of event a module notifies, in its struct module .notices
 * ({0}-ended). The French texts are what the users read. */
struct notice_kind {
	const char *name;  /* unique across modules: "tutorat.feedback_submitted" */
	const char *label; /* for the preferences screen: "Retour du stagiaire transmis" */
	/* The in-app sentence, after the actor's name when there is one:
	 * "a transmis son retour sur le temps de suivi" ("Camille Martin a
	 * transmis ..."); for a reminder (no actor), the whole sentence. */
	const char *text;
	/* The mail's subject, without the service's prefix; never private
	 * text: "Un retour de visite vous attend". */
	const char *mail_subject;
	enum notice_channel default_channel;
};

/* One event, as notify() records it for each recipient. */
struct notice {
	const char *kind;     /* a name from some module's .notices */
	const char *object;   /* the module's object kind name ("enrolment") */
	int object_kind;      /* and its number, for .relations_of */
	int64_t object_id;    /* the record the reader must still see */
	unsigned relations;   /* one of these relations to it is required */
	const char *subject;  /* whom or what it is about: a name, never text */
	const char *link;     /* the screen: "/tutorat/dossier.html?id=12#suivi" */
};

/*
 * Records `n` for each of the `n_rcpt` recipients (person ids of the
 * request's académie; duplicates and the actor themself are skipped): a
 * notification row and, by preference, a mail_outbox row. `m` is the
 * module whose access rules re-check the item. Runs in the caller's
 * transaction; the caller's audit row covers it.
 */
enum err notify(struct req *r, const struct module *m, const struct notice *n,
		const int64_t *rcpt, size_t n_rcpt);

/* The ids as a JSON array in the request's arena ("[12,34]"), the text a
 * module's .relations_of binds to JSON_TABLE to check many items in one
 * statement; NULL (and the request failed) without memory. */
const char *notify_ids_json(struct req *r, const int64_t *ids, size_t n);

/* The kind named `name` among every module's .notices; NULL if none. */
const struct notice_kind *notice_kind_find(const char *name, const struct module **owner);

/* The statements of notify.c (tutoratctl check-sql). */
extern const struct db_sql *const notify_statements[];

#endif
