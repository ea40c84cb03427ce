/*
 * The réseau's reference data every académie needs (tutoratctl migrate,
 * struct module.seed): the resources of the collectives, seeded once — an
 * académie that edited or emptied its list keeps it (the seed runs when
 * the académie has never had any; a marker in academy-less terms: any row).
 */
#include <mysql.h>

#include "reseau.h"
#include "schema.h"
#include "util.h"

static const struct {
	const char *title, *url, *description, *kind;
} resources[] = {
    {"M@gistère — module FORMER", "https://magistere.education.fr/",
     "Parcours de formation des formateurs et des tuteurs (module FORMER) sur M@gistère.",
     "magistere"},
    {"Néopass@ction — Débuter comme formateur, tuteur, conseiller pédagogique",
     "http://neo.ens-lyon.fr/neo",
     "Vidéos de situations de classe et de formation commentées (IFÉ, ENS de Lyon) : un "
     "cas de repli pour la première rencontre.",
     "neopass"},
    {"D. Bucheton — le multi-agenda de l’enseignant",
     "https://www.cairn.info/l-agir-enseignant-des-gestes-professionnels-ajustes--9782916458147.htm",
     "Modèle du multi-agenda : pilotage, atmosphère, tissage, étayage, objets de savoir.",
     "model"},
    {"L. Ria — les préoccupations des enseignants débutants", "https://ife.ens-lyon.fr/",
     "Les préoccupations typiques des enseignants débutants et leur évolution.", "model"},
    {"R. Goigoux — les focales de l’activité enseignante", "https://ife.ens-lyon.fr/",
     "Modèle des focales pour analyser l’activité de l’enseignant en classe.", "model"},
};

bool reseau_seed(MYSQL *my, uint32_t academy_id, char *err, size_t errlen)
{
	int64_t a = academy_id;
	bool found = false;

	if (!schema_exec(my, "SELECT 1 FROM reseau_resource WHERE academy_id = ? LIMIT 1", &found,
			 err, errlen, "i", a))
		return false;
	if (found)
		return true;
	for (size_t i = 0; i < ARRAY_LEN(resources); i++)
		if (!schema_exec(my,
				 "INSERT INTO reseau_resource (academy_id, id, position, title, "
				 "url, description, kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
				 NULL, err, errlen, "iiissss", a, random_id(), (int64_t)(i + 1),
				 resources[i].title, resources[i].url, resources[i].description,
				 resources[i].kind))
			return false;
	return true;
}
