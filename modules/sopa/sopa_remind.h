/* sopa_remind_db.c: the SOPA reports' reminders (tutoratctl remind) and the
 * module's part of the home page's agenda (docs/sopa.md). */
#ifndef TUTORAT_SOPA_REMIND_H
#define TUTORAT_SOPA_REMIND_H

#include "req.h"

extern const struct module_reminder sopa_reminders[];
extern const struct module_agenda sopa_agenda;
extern const struct db_sql *const sopa_remind_statements[];

#endif
