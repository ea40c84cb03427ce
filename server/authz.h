/*
 * Roles and the route-level access rule. Default deny: a route grants
 * access to the roles named in its mask and to nobody else; a route with an
 * empty mask is reachable by no one. Finer rules (relationships, scopes)
 * live in the modules' data functions, which answer 404 for what the
 * caller may not see.
 */
#ifndef TUTORAT_AUTHZ_H
#define TUTORAT_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum role {
	ROLE_STAGIAIRE,
	ROLE_ETUDIANT_SOPA,
	ROLE_TUTEUR_TERRAIN,
	ROLE_TUTEUR_INSPE,
	ROLE_MAT,
	ROLE_IEN,
	ROLE_PILOTE_POLE,
	ROLE_REFERENT_INSPE,
	ROLE_DEA,
	ROLE_IA_IPR,
	ROLE_RESPONSABLE_PARCOURS,
	ROLE_CHEF_ETABLISSEMENT,
	ROLE_RESPONSABLE_SITE,
	ROLE_CHARGE_MISSION_FORMATION,
	ROLE_DIRECTION_INSPE,
	ROLE_BUREAU_STAGES,
	ROLE_GESTIONNAIRE_SCOLARITE,
	ROLE_DELEGUE_STAGE,
	ROLE_PILOTE_COLLECTIF,
	ROLE_ADMIN,
	ROLE__MAX
};

#define R(x) (UINT32_C(1) << ROLE_##x)
/* Flags beside the role bits. */
#define ALLOW_PUBLIC	    (UINT32_C(1) << 31) /* no authentication at all */
#define ALLOW_AUTHENTICATED (UINT32_C(1) << 30) /* any signed-in person */
#define ROLES_ALL	    ((UINT32_C(1) << ROLE__MAX) - 1)
/* Everyone but the learners: the people who follow others. */
#define ROLES_STAFF (ROLES_ALL & ~(R(STAGIAIRE) | R(ETUDIANT_SOPA)))

_Static_assert(ROLE__MAX <= 30, "role bits collide with the ALLOW_ flags");

const char *role_name(enum role r);
/* -1 when the name is not a role. */
int role_parse(const char *name, size_t n);
/* Does a principal holding `roles` pass the route mask `allow`? */
bool authz_allows(uint32_t allow, bool authenticated, uint32_t roles);

#endif
