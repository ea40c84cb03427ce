#include "modules.h"

const struct module *const modules[] = {
    &core_module,
    &auth_module,
    &mfa_module,
    &notify_module,
    &annuaire_module,
    &tutorat_module,
    &accompaniment_module,
    &meetings_module,
    &contracts_module,
    &sopa_module,
    &reseau_module,
    &pilotage_module,
    &retention_module,
    &rgpd_module,
    &copy_module,
    &mail_module,
};

const size_t n_modules = sizeof(modules) / sizeof(modules[0]);
