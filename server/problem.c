#include "problem.h"

#include <stdlib.h>

/* Indexed by enum err; the unit test checks that every entry is filled. */
static const struct problem_def problems[ERR__MAX] = {
    [ERR_OK] = {200, "ok", "OK"},
    [ERR_MALFORMED_JSON] = {400, "malformed_json",
			    "Le corps de la requête n’est pas un JSON valide."},
    [ERR_UNSUPPORTED_MEDIA_TYPE] = {415, "unsupported_media_type",
				    "Le corps doit être en application/json."},
    [ERR_BODY_TOO_LARGE] = {413, "body_too_large", "Le corps de la requête est trop volumineux."},
    [ERR_UNKNOWN_FIELD] = {422, "unknown_field", "Champ non reconnu."},
    [ERR_UNKNOWN_PARAMETER] = {400, "unknown_parameter", "Paramètre non reconnu."},
    [ERR_MISSING_FIELD] = {422, "missing_field", "Champ obligatoire manquant."},
    [ERR_INVALID_FIELD] = {422, "invalid_field", "Valeur invalide."},
    [ERR_UNAUTHENTICATED] = {401, "unauthenticated", "Authentification requise."},
    [ERR_INVALID_TOKEN] = {401, "invalid_token", "Jeton d’accès invalide ou expiré."},
    [ERR_INVALID_CREDENTIALS] = {401, "invalid_credentials",
				 "Identifiant ou mot de passe incorrect."},
    [ERR_SESSION_EXPIRED] = {401, "session_expired", "Session expirée ou fermée."},
    [ERR_CSRF] = {403, "csrf_header_missing", "En-tête X-Requested-With requis."},
    [ERR_FORBIDDEN] = {403, "forbidden", "Action non autorisée."},
    [ERR_NOT_FOUND] = {404, "not_found", "Ressource introuvable."},
    [ERR_METHOD_NOT_ALLOWED] = {405, "method_not_allowed", "Méthode non autorisée."},
    [ERR_CONFLICT] = {409, "conflict", "Conflit avec l’état actuel."},
    [ERR_PRECONDITION_REQUIRED] = {428, "precondition_required", "En-tête If-Match requis."},
    [ERR_PRECONDITION_FAILED] = {412, "version_mismatch",
				 "L’enregistrement a été modifié entre-temps."},
    [ERR_TOO_MANY_ATTEMPTS] = {429, "too_many_attempts", "Trop de tentatives."},
    [ERR_DATABASE_UNAVAILABLE] = {503, "database_unavailable", "Base de données indisponible."},
    [ERR_DEADLINE] = {503, "service_overloaded",
		      "Le service est momentanément surchargé : réessayez dans un instant."},
    [ERR_LDAP_UNAVAILABLE] = {503, "ldap_unavailable", "Annuaire LDAP indisponible."},
    [ERR_INTERNAL] = {500, "internal_error", "Erreur interne."},
    /* Shown only if a module raised ERR_MODULE without its problem. */
    [ERR_MODULE] = {500, "module_problem", "Erreur interne."},
};

const struct problem_def *problem_get(enum err e)
{
	/* The data layer's refusals (a unique key, a foreign key or CHECK): a
	 * handler names the field when it can; one that does not answers the
	 * plain conflict. */
	if (e == ERR_DUPLICATE || e == ERR_REFERENCE)
		e = ERR_CONFLICT;
	if ((unsigned)e >= ERR__MAX || problems[e].code == NULL)
		abort(); /* a new enum value without a table entry */
	return &problems[e];
}
