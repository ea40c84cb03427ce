#include "authz.h"

#include <stdlib.h>
#include <string.h>

static const char *const role_names[ROLE__MAX] = {
    [ROLE_STAGIAIRE] = "stagiaire",
    [ROLE_ETUDIANT_SOPA] = "etudiant_sopa",
    [ROLE_TUTEUR_TERRAIN] = "tuteur_terrain",
    [ROLE_TUTEUR_INSPE] = "tuteur_inspe",
    [ROLE_MAT] = "mat",
    [ROLE_IEN] = "ien",
    [ROLE_PILOTE_POLE] = "pilote_pole",
    [ROLE_REFERENT_INSPE] = "referent_inspe",
    [ROLE_DEA] = "dea",
    [ROLE_IA_IPR] = "ia_ipr",
    [ROLE_RESPONSABLE_PARCOURS] = "responsable_parcours",
    [ROLE_CHEF_ETABLISSEMENT] = "chef_etablissement",
    [ROLE_RESPONSABLE_SITE] = "responsable_site",
    [ROLE_CHARGE_MISSION_FORMATION] = "charge_mission_formation",
    [ROLE_DIRECTION_INSPE] = "direction_inspe",
    [ROLE_BUREAU_STAGES] = "bureau_stages",
    [ROLE_GESTIONNAIRE_SCOLARITE] = "gestionnaire_scolarite",
    [ROLE_DELEGUE_STAGE] = "delegue_stage",
    [ROLE_PILOTE_COLLECTIF] = "pilote_collectif",
    [ROLE_ADMIN] = "admin",
};

const char *role_name(enum role r)
{
	if ((unsigned)r >= ROLE__MAX)
		abort();
	return role_names[r];
}

int role_parse(const char *name, size_t n)
{
	for (int i = 0; i < ROLE__MAX; i++)
		if (strlen(role_names[i]) == n && memcmp(role_names[i], name, n) == 0)
			return i;
	return -1;
}

bool authz_allows(uint32_t allow, bool authenticated, uint32_t roles)
{
	if (allow & ALLOW_PUBLIC)
		return true;
	if (!authenticated)
		return false;
	if (allow & ALLOW_AUTHENTICATED)
		return true;
	return (allow & roles & ROLES_ALL) != 0;
}
