/*
 * Reference data every académie starts with, inserted by tutoratctl
 * migrate when absent: the competence framework of the arrêté du 1er
 * juillet 2013 (version 1, four levels as in the B.O. n°13 of 26 March
 * 2015) and default conversion tables an admin can then change.
 */
#include "modules.h"
#include "schema.h"
#include "tutorat.h"
#include "util.h"

#include <mysql.h>
#include <stdio.h>

static const struct {
	const char *code, *family, *title;
} competences[] = {
    {"CC1", "common", "Faire partager les valeurs de la République"},
    {"CC2", "common",
     "Inscrire son action dans le cadre des principes fondamentaux du système éducatif et "
     "dans le cadre réglementaire de l'école"},
    {"CC3", "common", "Connaître les élèves et les processus d'apprentissage"},
    {"CC4", "common", "Prendre en compte la diversité des élèves"},
    {"CC5", "common", "Accompagner les élèves dans leur parcours de formation"},
    {"CC6", "common", "Agir en éducateur responsable et selon des principes éthiques"},
    {"CC7", "common", "Maîtriser la langue française à des fins de communication"},
    {"CC8", "common",
     "Utiliser une langue vivante étrangère dans les situations exigées par son métier"},
    {"CC9", "common",
     "Intégrer les éléments de la culture numérique nécessaires à l'exercice de son métier"},
    {"CC10", "common", "Coopérer au sein d'une équipe"},
    {"CC11", "common", "Contribuer à l'action de la communauté éducative"},
    {"CC12", "common", "Coopérer avec les parents d'élèves"},
    {"CC13", "common", "Coopérer avec les partenaires de l'école"},
    {"CC14", "common",
     "S'engager dans une démarche individuelle et collective de développement professionnel"},
    {"P1", "professeur", "Maîtriser les savoirs disciplinaires et leur didactique"},
    {"P2", "professeur", "Maîtriser la langue française dans le cadre de son enseignement"},
    {"P3", "professeur",
     "Construire, mettre en œuvre et animer des situations d'enseignement et d'apprentissage "
     "prenant en compte la diversité des élèves"},
    {"P4", "professeur",
     "Organiser et assurer un mode de fonctionnement du groupe favorisant l'apprentissage et "
     "la socialisation des élèves"},
    {"P5", "professeur", "Évaluer les progrès et les acquisitions des élèves"},
    {"C1", "cpe",
     "Organiser les conditions de vie des élèves dans l'établissement, leur sécurité, la "
     "qualité de l'organisation matérielle et la gestion du temps"},
    {"C2", "cpe",
     "Garantir, en lien avec les autres personnels, le respect des règles de vie et de droit "
     "dans l'établissement"},
    {"C3", "cpe", "Impulser et coordonner le volet éducatif du projet d'établissement"},
    {"C4", "cpe",
     "Assurer la responsabilité de l'organisation et de l'animation de l'équipe de vie "
     "scolaire"},
    {"C5", "cpe", "Accompagner le parcours de l'élève sur les plans pédagogique et éducatif"},
    {"C6", "cpe",
     "Accompagner les élèves, notamment dans leur formation à une citoyenneté participative"},
    {"C7", "cpe", "Participer à la construction des parcours des élèves"},
    {"C8", "cpe", "Travailler dans une équipe pédagogique"},
    {"D1", "documentaliste",
     "Maîtriser les connaissances et les compétences propres à l'éducation aux médias et à "
     "l'information"},
    {"D2", "documentaliste",
     "Mettre en œuvre la politique documentaire de l'établissement qu'il contribue à définir"},
    {"D3", "documentaliste",
     "Assurer la responsabilité du centre de ressources et de la diffusion de l'information "
     "au sein de l'établissement"},
    {"D4", "documentaliste",
     "Contribuer à l'ouverture de l'établissement scolaire sur l'environnement éducatif, "
     "culturel et professionnel, local et régional, national, européen et international"},
};

static const char *const levels[] = {"Insuffisant", "À consolider", "Satisfaisant",
				     "Très satisfaisant"};

/* mean level -> note /20 (M2A), avis (DU, and M2B's UE Stage et mémoire) */
static const struct {
	const char *parcours, *min_mean, *note, *avis;
} rules[] = {
    {"M2A", "1.00", "5.00", NULL},	  {"M2A", "1.50", "8.00", NULL},
    {"M2A", "2.00", "10.00", NULL},	  {"M2A", "2.50", "12.00", NULL},
    {"M2A", "3.00", "15.00", NULL},	  {"M2A", "3.50", "17.00", NULL},
    {"M2A", "4.00", "20.00", NULL},	  {"DU", "1.00", NULL, "defavorable"},
    {"DU", "2.00", NULL, "reserve"},	  {"DU", "2.50", NULL, "favorable"},
    {"M2B", "1.00", NULL, "defavorable"}, {"M2B", "2.00", NULL, "reserve"},
    {"M2B", "2.50", NULL, "favorable"},
};

/* The bilans each parcours requires (seed 001: none intermédiaire in M2B). */
static const struct {
	const char *parcours, *kind;
} required_bilans[] = {
    {"M2A", "intermediaire"}, {"M2A", "final"}, {"DU", "intermediaire"},
    {"DU", "final"},	      {"M2B", "final"},
};

bool tutorat_seed(MYSQL *my, uint32_t academy_id, char *err, size_t errlen)
{
	int64_t a = academy_id, ref = random_id();
	bool found = false;

	if (!schema_exec(my, "SELECT 1 FROM referentiel WHERE academy_id = ? LIMIT 1", &found, err,
			 errlen, "i", a))
		return false;
	if (!found) {
		if (!schema_exec(my,
				 "INSERT INTO referentiel (academy_id, id, code, version, label, "
				 "current) VALUES (?, ?, 'CC2013', 1, ?, TRUE)",
				 NULL, err, errlen, "iis", a, ref,
				 "Référentiel des compétences professionnelles des métiers du "
				 "professorat et de l'éducation (arrêté du 1er juillet 2013)"))
			return false;
		for (size_t i = 0; i < ARRAY_LEN(levels); i++)
			if (!schema_exec(
				my,
				"INSERT INTO referentiel_level (academy_id, referentiel_id, "
				"rank_no, label) VALUES (?, ?, ?, ?)",
				NULL, err, errlen, "iiis", a, ref, (int64_t)(i + 1), levels[i]))
				return false;
		for (size_t i = 0; i < ARRAY_LEN(competences); i++)
			if (!schema_exec(
				my,
				"INSERT INTO competence (academy_id, id, referentiel_id, code, "
				"family, position, title) VALUES (?, ?, ?, ?, ?, ?, ?)",
				NULL, err, errlen, "iiissis", a, random_id(), ref,
				competences[i].code, competences[i].family, (int64_t)(i + 1),
				competences[i].title))
				return false;
	}
	if (!schema_exec(my, "SELECT 1 FROM conversion_rule WHERE academy_id = ? LIMIT 1", &found,
			 err, errlen, "i", a))
		return false;
	for (size_t i = 0; !found && i < ARRAY_LEN(rules); i++)
		if (!schema_exec(
			my,
			"INSERT INTO conversion_rule (academy_id, parcours, min_mean, note, "
			"avis) VALUES (?, ?, ?, ?, ?)",
			NULL, err, errlen, "issss", a, rules[i].parcours, rules[i].min_mean,
			rules[i].note, rules[i].avis))
			return false;
	if (!schema_exec(my, "SELECT 1 FROM parcours_bilan WHERE academy_id = ? LIMIT 1", &found,
			 err, errlen, "i", a))
		return false;
	for (size_t i = 0; !found && i < ARRAY_LEN(required_bilans); i++)
		if (!schema_exec(my,
				 "INSERT INTO parcours_bilan (academy_id, parcours, kind) "
				 "VALUES (?, ?, ?)",
				 NULL, err, errlen, "iss", a, required_bilans[i].parcours,
				 required_bilans[i].kind))
			return false;
	/* The reminder rules' defaults of every module (tutorat_remind.c runs
	 * them all); a rule the admin changed keeps its offsets. */
	for (size_t m = 0; m < n_modules; m++)
		for (const struct module_reminder *x = modules[m]->reminders;
		     x != NULL && x->kind != NULL; x++)
			if (!schema_exec(my,
					 "INSERT IGNORE INTO reminder_rule (academy_id, kind, offsets, "
					 "active, updated_at) VALUES (?, ?, ?, TRUE, NOW(3))",
					 NULL, err, errlen, "iss", a, x->kind, x->defaults))
				return false;
	return true;
}
