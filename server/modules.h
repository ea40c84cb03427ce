/* The modules compiled into tutoratd, in routing order. */
#ifndef TUTORAT_MODULES_H
#define TUTORAT_MODULES_H

#include <stddef.h>

#include "req.h"

extern const struct module *const modules[];
extern const size_t n_modules;

extern const struct module core_module;	    /* server/core.c */
extern const struct module auth_module;	    /* server/auth.c */
extern const struct module mfa_module;	    /* server/mfa.c */
extern const struct module notify_module;   /* server/notify.c */
extern const struct module annuaire_module; /* modules/annuaire/annuaire.c */
extern const struct module tutorat_module;  /* modules/tutorat/tutorat.c */
extern const struct module accompaniment_module; /* modules/accompaniment/accompaniment.c */
extern const struct module meetings_module; /* modules/meetings/meetings.c */
extern const struct module contracts_module; /* modules/contracts/contracts.c */
extern const struct module sopa_module;	    /* modules/sopa/sopa.c */
extern const struct module reseau_module;   /* modules/reseau/reseau.c */
extern const struct module pilotage_module;  /* modules/pilotage/pilotage.c */
extern const struct module retention_module; /* modules/retention/retention.c */
extern const struct module rgpd_module;     /* modules/rgpd/rgpd.c */
extern const struct module copy_module;	    /* modules/copy/copy.c */
extern const struct module mail_module;	    /* server/mail_admin.c */

#endif
