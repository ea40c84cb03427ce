/*
 * A person's copy as a ZIP (libzip): donnees.json (every part of
 * copy_sections, machine-readable: RGPD art. 20), resume.html (the same in
 * French, readable, self-contained: headings and tables with captions) and
 * the documents under documents/. And `tutoratctl copies`, the runner that
 * prepares the pending copies in the background (docs/copy.md).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "audit.h"
#include "config.h"
#include "copy.h"
#include "db.h"
#include "log.h"
#include "modules.h"
#include "notify.h"
#include "req.h"
#include "schema.h"
#include "util.h"
#include "worker.h"

/* ---- a growing text buffer ---- */

struct sbuf {
	char *s;
	size_t n, cap;
	bool failed;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap == 0 ? 8192 : b->cap;
		char *p;

		while (b->n + n + 1 > cap)
			cap *= 2;
		p = realloc(b->s, cap);
		if (p == NULL) {
			b->failed = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void sb_str(struct sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

/* Text as HTML: the five characters that matter escaped. */
static void sb_esc(struct sbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			sb_str(b, "&amp;");
			break;
		case '<':
			sb_str(b, "&lt;");
			break;
		case '>':
			sb_str(b, "&gt;");
			break;
		case '"':
			sb_str(b, "&quot;");
			break;
		case '\'':
			sb_str(b, "&#39;");
			break;
		default:
			sb_put(b, s, 1);
		}
	}
}

/* ---- resume.html ---- */

struct column {
	const char *key, *label;
};

/* One value of a part as a cell's text. */
static void cell(struct sbuf *b, json_t *v)
{
	char num[64];

	if (json_is_string(v))
		sb_esc(b, json_string_value(v));
	else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		sb_str(b, num);
	} else if (json_is_real(v)) {
		snprintf(num, sizeof(num), "%g", json_real_value(v));
		sb_str(b, num);
	} else if (json_is_true(v))
		sb_str(b, "oui");
	else if (json_is_false(v))
		sb_str(b, "non");
	else if (json_is_object(v) || json_is_array(v)) {
		/* A frozen document (a parcours' version): its JSON text. */
		char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);

		if (text == NULL) {
			b->failed = true;
			return;
		}
		sb_esc(b, text);
		free(text);
	} else
		sb_str(b, "—");
}

/* A part as a table under its heading; a sentence when it is empty. */
static void table(struct sbuf *b, json_t *data, const char *key, const char *heading,
		  const char *caption, const struct column *cols)
{
	json_t *items = json_object_get(data, key), *it;
	size_t i;

	sb_str(b, "<section>\n<h2>");
	sb_esc(b, heading);
	sb_str(b, "</h2>\n");
	if (json_array_size(items) == 0) {
		sb_str(b, "<p>Aucune donnée de ce type.</p>\n</section>\n");
		return;
	}
	sb_str(b, "<table>\n<caption>");
	sb_esc(b, caption);
	sb_str(b, "</caption>\n<thead><tr>");
	for (const struct column *c = cols; c->key != NULL; c++) {
		sb_str(b, "<th scope=\"col\">");
		sb_esc(b, c->label);
		sb_str(b, "</th>");
	}
	sb_str(b, "</tr></thead>\n<tbody>\n");
	json_array_foreach(items, i, it)
	{
		sb_str(b, "<tr>");
		for (const struct column *c = cols; c->key != NULL; c++) {
			sb_str(b, "<td>");
			cell(b, json_object_get(it, c->key));
			sb_str(b, "</td>");
		}
		sb_str(b, "</tr>\n");
	}
	sb_str(b, "</tbody>\n</table>\n</section>\n");
}

static const struct column c_roles[] = {{"role", "Rôle"},	{"scope_kind", "Périmètre"},
					{"scope", "Structure"}, {"source", "Origine"},
					{"since", "Depuis"},	{0}};
static const struct column c_enrolments[] = {{"year", "Année"},
					     {"parcours", "Parcours"},
					     {"degre", "Degré"},
					     {"category", "Catégorie"},
					     {"discipline", "Discipline"},
					     {"pole", "Pôle"},
					     {"inspe_site", "Site INSPÉ"},
					     {"renouvellement", "Renouvellement"},
					     {0}};
static const struct column c_places[] = {
    {"school", "Établissement"}, {"class_label", "Classe"}, {0}};
static const struct column c_tutors[] = {
    {"name", "Tuteur"}, {"role", "Rôle"}, {"started_at", "Depuis"}, {"ended_at", "Jusqu’au"}, {0}};
static const struct column c_followups[] = {{"scheduled_at", "Date"},
					    {"kind", "Type"},
					    {"state", "État"},
					    {"points_to_observe", "Points à observer"},
					    {"expectations", "Attendus"},
					    {"observation_notes", "Notes d’observation"},
					    {"points_appui", "Points d’appui"},
					    {"axes_evolution", "Axes d’évolution"},
					    {"priorities", "Priorités"},
					    {0}};
static const struct column c_traces[] = {
    {"author", "Auteur"}, {"retained", "Ce que je retiens"}, {"axes", "Axes"},
    {"body", "Trace"},	  {"published_at", "Transmise le"},  {0}};
static const struct column c_assessments[] = {
    {"revision", "Révision"}, {"created_at", "Date"}, {"priorities", "Priorités"}, {0}};
static const struct column c_items[] = {{"competence", "Compétence"},
					{"title", "Intitulé"},
					{"level", "Niveau"},
					{"comment", "Commentaire"},
					{0}};
static const struct column c_comments[] = {
    {"author", "Auteur"}, {"created_at", "Date"}, {"body", "Commentaire"}, {0}};
static const struct column c_bilans[] = {{"kind", "Bilan"},
					 {"revision", "Révision"},
					 {"due_on", "Échéance"},
					 {"validated_terrain_at", "Validé (terrain)"},
					 {"validated_inspe_at", "Validé (INSPÉ)"},
					 {"frozen_at", "Figé le"},
					 {0}};
static const struct column c_results[] = {
    {"note", "Note"}, {"avis", "Avis"}, {"comment", "Commentaire"}, {"recorded_at", "Le"}, {0}};
static const struct column c_documents[] = {{"filename", "Document"},
					    {"content_type", "Type"},
					    {"size", "Taille (octets)"},
					    {"uploaded_by", "Déposé par"},
					    {"created_at", "Le"},
					    {"file", "Fichier de cette copie"},
					    {0}};
static const struct column c_cases[] = {
    {"level", "Niveau"}, {"opened_at", "Ouvert le"}, {"closed_at", "Fermé le"}, {0}};
static const struct column c_levels[] = {{"level", "Niveau"},
					 {"starts_on", "Du"},
					 {"ends_on", "Au"},
					 {"reason", "Motif"},
					 {"outcome", "Issue"},
					 {"bilan", "Bilan"},
					 {0}};
static const struct column c_entries[] = {
    {"happened_on", "Date"}, {"kind", "Nature"}, {"body", "Texte"}, {"author", "Auteur"}, {0}};
static const struct column c_fiches[] = {{"decided_on", "Décision du"},
					 {"meeting_number", "Réunion N°"},
					 {"school", "Lieu d’exercice"},
					 {"status", "État"},
					 {"sent_at", "Transmise le"},
					 {"decided_at", "Décidée le"},
					 {"agreed_hours", "Heures accordées"},
					 {"decision_note", "Note de la cellule"},
					 {0}};
static const struct column c_fiche_items[] = {{"label", "Difficulté"},
					      {"situation", "Situation"},
					      {"support", "Accompagnement proposé"},
					      {"hours", "Heures"},
					      {0}};
static const struct column c_contracts[] = {
    {"annex", "Annexe"}, {"trainee", "Stagiaire"}, {"opened_at", "Ouvert le"}, {0}};
static const struct column c_contract_versions[] = {{"number", "Version"},
						    {"created_at", "Établie le"},
						    {"superseded_at", "Remplacée le"},
						    {"content_sha256", "Empreinte SHA-256"},
						    {"content", "Contenu"},
						    {0}};
static const struct column c_contract_signatures[] = {{"version", "Version"},
						      {"signer", "Signataire"},
						      {"role", "Qualité"},
						      {"signed_at", "Signée le"},
						      {"content_sha256", "Empreinte signée"},
						      {0}};
static const struct column c_contract_points[] = {
    {"held_on", "Date"}, {"body", "Point de situation"}, {"author", "Rédigé par"}, {0}};
static const struct column c_contract_bilans[] = {
    {"revision", "Révision"},	       {"held_on", "Date"},	 {"decision", "Décision"},
    {"outcomes", "Bilan par domaine"}, {"author", "Rédigé par"}, {0}};
static const struct column c_placements[] = {{"period", "Période"},
					     {"starts_on", "Du"},
					     {"ends_on", "Au"},
					     {"school", "École"},
					     {"class_level", "Classe"},
					     {"mat", "Maître d’accueil temporaire"},
					     {0}};
static const struct column c_reports[] = {{"number", "Compte-rendu"},
					  {"absences_half_days", "Demi-journées d’absence"},
					  {"step", "Étape"},
					  {"advice_1", "Conseil 1"},
					  {"advice_2", "Conseil 2"},
					  {"sent_at", "Transmis le"},
					  {0}};
static const struct column c_volunteer[] = {{"call", "Appel"},
					    {"commune", "Commune"},
					    {"wants_pilot", "Pilote volontaire"},
					    {"created_at", "Le"},
					    {0}};
static const struct column c_members[] = {{"collective", "Collectif"},
					  {"pilot", "Pilote"},
					  {"charter_accepted_at", "Charte acceptée le"},
					  {0}};
static const struct column c_notifications[] = {
    {"created_at", "Le"}, {"kind", "Nature"}, {"subject", "Objet"}, {"read_at", "Lue le"}, {0}};
static const struct column c_reads[] = {
    {"read_at", "Le"}, {"reader", "Lu par"}, {"record_type", "Élément"}, {0}};
static const struct column c_rectifications[] = {{"created_at", "Demandée le"},
						 {"field", "Donnée"},
						 {"requested_value", "Valeur demandée"},
						 {"status", "État"},
						 {"answer", "Réponse"},
						 {"answered_at", "Répondue le"},
						 {0}};

static const char HTML_HEAD[] =
    "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>Copie de mes données</title>\n<style>\n"
    "body{font-family:sans-serif;margin:2rem;line-height:1.5;color:#161616}\n"
    "table{border-collapse:collapse;margin:0 0 1.5rem}\n"
    "caption{text-align:left;font-weight:bold;padding:.25rem 0}\n"
    "th,td{border:1px solid #666;padding:.25rem .5rem;text-align:left;vertical-align:top}\n"
    "</style>\n</head>\n<body>\n<main>\n";

/* A string member, "" when absent. */
static const char *text_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

static void summary(struct sbuf *b, json_t *data, const char *prepared)
{
	json_t *p = json_object_get(data, "person");
	static const struct column c_person[] = {{"display_name", "Nom affiché"},
						 {"given_name", "Prénom"},
						 {"family_name", "Nom"},
						 {"username", "Identifiant"},
						 {"email", "Courriel"},
						 {"active", "Compte actif"},
						 {"created_at", "Compte créé le"},
						 {"last_login_at", "Dernière connexion"},
						 {0}};

	sb_str(b, HTML_HEAD);
	sb_str(b, "<h1>Copie de mes données : ");
	sb_esc(b, text_of(p, "display_name"));
	sb_str(b, "</h1>\n<p>Préparée le ");
	sb_esc(b, prepared);
	sb_str(b, " (temps universel) par le service de tutorat de l’académie ");
	sb_esc(b, text_of(p, "academy"));
	sb_str(b, ". Le fichier <code>donnees.json</code> de cette copie contient les mêmes "
		  "données dans un format lisible par une machine ; le dossier "
		  "<code>documents</code> contient vos documents.</p>\n");
	sb_str(b, "<section>\n<h2>Mon identité</h2>\n<table>\n<caption>Identité et compte"
		  "</caption>\n<tbody>\n");
	for (const struct column *c = c_person; c->key != NULL; c++) {
		sb_str(b, "<tr><th scope=\"row\">");
		sb_esc(b, c->label);
		sb_str(b, "</th><td>");
		cell(b, json_object_get(p, c->key));
		sb_str(b, "</td></tr>\n");
	}
	sb_str(b, "</tbody>\n</table>\n</section>\n");
	table(b, data, "roles", "Mes rôles", "Rôles et périmètres", c_roles);
	table(b, data, "enrolments", "Mon dossier de tutorat", "Inscriptions", c_enrolments);
	table(b, data, "places", "Mes lieux d’exercice", "Établissements et classes", c_places);
	table(b, data, "tutors", "Mes tuteurs", "Tuteurs de mes dossiers", c_tutors);
	table(b, data, "followups", "Mes temps de suivi", "Visites, entretiens et autres temps",
	      c_followups);
	table(b, data, "traces", "Traces et retours", "Mes retours et les traces de mes tuteurs",
	      c_traces);
	table(b, data, "self_assessments", "Mes auto-positionnements", "Auto-positionnements",
	      c_assessments);
	table(b, data, "self_assessment_items", "Détail des auto-positionnements",
	      "Niveaux par compétence", c_items);
	table(b, data, "self_assessment_comments", "Commentaires des tuteurs",
	      "Commentaires sur mes auto-positionnements", c_comments);
	table(b, data, "bilans", "Mes bilans", "Bilans intermédiaires et finaux", c_bilans);
	table(b, data, "bilan_items", "Détail des bilans", "Niveaux par compétence", c_items);
	table(b, data, "results", "Mon résultat", "Note ou avis", c_results);
	table(b, data, "documents", "Mes documents", "Documents de mon dossier et mes dépôts",
	      c_documents);
	table(b, data, "accompaniment_cases", "Accompagnement personnalisé",
	      "Dossiers d’accompagnement", c_cases);
	table(b, data, "accompaniment_levels", "Périodes d’accompagnement",
	      "Niveaux et bilans de l’accompagnement", c_levels);
	table(b, data, "accompaniment_entries", "Fiche de suivi de l’accompagnement",
	      "Entrées de la fiche de suivi", c_entries);
	table(b, data, "personalisations", "Mes fiches de personnalisation",
	      "Fiches de personnalisation de l’accompagnement", c_fiches);
	table(b, data, "personalisation_items", "Détail des fiches de personnalisation",
	      "Difficultés, accompagnement proposé et heures", c_fiche_items);
	table(b, data, "individualisations", "Mes parcours d’individualisation",
	      "Parcours d’individualisation", c_contracts);
	table(b, data, "individualisation_versions", "Versions des parcours d’individualisation",
	      "Versions et leur contenu", c_contract_versions);
	table(b, data, "individualisation_signatures",
	      "Signatures des parcours d’individualisation", "Signatures des versions",
	      c_contract_signatures);
	table(b, data, "individualisation_points", "Points de situation des parcours",
	      "Points de situation", c_contract_points);
	table(b, data, "individualisation_bilans", "Bilans des parcours d’individualisation",
	      "Bilans et décisions", c_contract_bilans);
	table(b, data, "sopa_placements", "Mes stages SOPA", "Stages d’observation et de pratique",
	      c_placements);
	table(b, data, "sopa_reports", "Comptes-rendus de stage SOPA", "Comptes-rendus transmis",
	      c_reports);
	table(b, data, "reseau_volunteering", "Réseau de tuteurs : mes candidatures",
	      "Réponses aux appels", c_volunteer);
	table(b, data, "reseau_memberships", "Réseau de tuteurs : mes collectifs", "Collectifs",
	      c_members);
	table(b, data, "notifications", "Mes notifications", "Notifications reçues",
	      c_notifications);
	table(b, data, "read_log", "Qui a consulté mon dossier",
	      "Consultations de mes données sensibles", c_reads);
	table(b, data, "rectification_requests", "Mes demandes de rectification",
	      "Demandes de rectification et réponses", c_rectifications);
	sb_str(b, "</main>\n</body>\n</html>\n");
}

/* ---- the ZIP ---- */

/* A document's name inside the ZIP: documents/<id>-<name>, the name
 * without path separators or a leading dot. */
static char *archive_name(struct req *r, int64_t id, const char *filename)
{
	char *name = arena_printf(r->arena, "documents/%lld-%s", (long long)id, filename);
	char *tail;

	if (name == NULL)
		return NULL;
	tail = strchr(name, '-') + 1;
	for (char *c = tail; *c != '\0'; c++)
		if (*c == '/' || *c == '\\' || (unsigned char)*c < 0x20)
			*c = '_';
	if (*tail == '.')
		*tail = '_';
	return name;
}

static bool archive_add(zip_t *z, const char *name, const void *data, size_t n)
{
	zip_source_t *s = zip_source_buffer(z, data, n, 0);

	if (s == NULL)
		return false;
	if (zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
		zip_source_free(s);
		return false;
	}
	return true;
}

/* The archive in memory: written into a buffer source kept past zip_close,
 * then read back whole. */
static bool archive_write(struct req *r, const char *json, const char *html,
			  const struct db_res *docs, void **out, size_t *n)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	zip_stat_t st;
	bool ok = true;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (src == NULL)
		return false;
	zip_source_keep(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (z == NULL) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return false;
	}
	ok = archive_add(z, "donnees.json", json, strlen(json)) &&
	     archive_add(z, "resume.html", html, strlen(html));
	for (size_t i = 0; ok && i < docs->n_rows; i++) {
		const struct db_val *v = db_cell(docs, i, "content");
		const char *name =
		    archive_name(r, db_int(docs, i, "id"), db_str(docs, i, "filename"));

		ok = name != NULL && archive_add(z, name, v->s != NULL ? v->s : "", v->len);
	}
	if (!ok || zip_close(z) < 0) {
		zip_discard(z);
		zip_source_free(src);
		zip_error_fini(&ze);
		return false;
	}
	*out = NULL;
	if (zip_source_open(src) < 0 || zip_source_stat(src, &st) < 0 ||
	    (st.valid & ZIP_STAT_SIZE) == 0 || (*out = malloc(st.size > 0 ? st.size : 1)) == NULL ||
	    zip_source_read(src, *out, st.size) != (zip_int64_t)st.size)
		ok = false;
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	if (!ok) {
		free(*out);
		*out = NULL;
		return false;
	}
	*n = (size_t)st.size;
	return true;
}

enum err copy_build(struct req *r, int64_t person_id, void **zip, size_t *n)
{
	json_t *data = jarena(r, json_object()), *part, *docs_json, *it;
	struct sbuf html = {0};
	struct db_res docs;
	char prepared[32], *json;
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	enum err e = ERR_OK;
	bool ok;

	gmtime_r(&now, &tm);
	strftime(prepared, sizeof(prepared), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(data, "prepared_at", json_string(prepared));
	for (const struct copy_section *s = copy_sections; e == ERR_OK && s->key != NULL; s++) {
		e = copydb_section(r, s->q, person_id, &part);
		if (e == ERR_OK)
			json_object_set_new(data, s->key, part);
	}
	if (e == ERR_OK)
		e = copydb_documents(r, person_id, &docs);
	if (e != ERR_OK)
		return e;
	/* Each document's entry names its file in the archive. */
	docs_json = json_object_get(data, "documents");
	json_array_foreach(docs_json, i, it)
	{
		const char *name = archive_name(r, json_integer_value(json_object_get(it, "id")),
						json_string_value(json_object_get(it, "filename")));

		json_object_set_new(it, "file", JSTR(name));
	}
	json = json_dumps(data, JSON_INDENT(2));
	if (json == NULL)
		return fail_internal(r, ERR_INTERNAL, "copy: donnees.json not written");
	summary(&html, data, prepared);
	ok = !html.failed && archive_write(r, json, html.s, &docs, zip, n);
	free(json);
	free(html.s);
	if (!ok)
		return fail_internal(r, ERR_INTERNAL, "copy: the ZIP was not written");
	return ERR_OK;
}

/* ---- the runner ---- */

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void pause_for(int s)
{
	struct timespec t = {s, 0};

	while (!stopping && nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

/* r's error, forgotten: the next step of the runner starts clean. */
static void forget(struct req *r)
{
	r->err = ERR_OK;
	r->problem = NULL;
	r->err_field = r->err_detail = r->log_detail = NULL;
}

/*
 * Prepares one pending copy of the académie, in one transaction: the row
 * claimed (FOR UPDATE SKIP LOCKED: two runners never take the same), the
 * ZIP built, stored, the person notified, audited (copy.ready: the size,
 * never content). A copy that cannot be built is marked failed (its
 * person may ask again). 1 when one was prepared, 0 when none was
 * pending, -1 on failure.
 */
static int prepare_one(struct req *r)
{
	int64_t id = 0, person = 0;
	bool found = false;
	void *zip = NULL;
	size_t n = 0;
	enum err e = db_begin(r);
	struct notice note = {
	    .kind = "copy.ready",
	    .object = "copy",
	    .object_kind = COBJ_COPY,
	    .relations = CREL_OWNER,
	    .subject = "Copie de mes données",
	    .link = "/app.html#/mes-donnees/copie",
	};

	if (e == ERR_OK)
		e = copydb_claim(r, &id, &person, &found);
	if (e == ERR_OK && !found) {
		db_rollback(r);
		return 0;
	}
	if (e == ERR_OK)
		e = copy_build(r, person, &zip, &n);
	if (e == ERR_OK)
		e = copydb_ready(r, id, zip, n);
	free(zip);
	note.object_id = id;
	if (e == ERR_OK)
		e = notify(r, &copy_module, &note, &person, 1);
	if (e == ERR_OK)
		e = audit_record(r, "copy.ready", "copy", id,
				 jarena(r, json_pack("{s:I, s:I}", "person_id", (json_int_t)person,
						     "size", (json_int_t)n)));
	if (e == ERR_OK)
		e = db_commit(r);
	if (e == ERR_OK) {
		log_msg("info", "copies: %s copy %lld ready (%zu bytes)", r->tenant->code,
			(long long)id, n);
		return 1;
	}
	db_rollback(r);
	log_msg("warn", "copies: %s copy %lld: %s%s%s", r->tenant->code, (long long)id,
		problem_get(r->err != ERR_OK ? r->err : e)->code, r->log_detail ? ": " : "",
		r->log_detail ? r->log_detail : "");
	forget(r);
	if (id == 0)
		return -1;
	e = db_begin(r);
	if (e == ERR_OK)
		e = copydb_failed(r, id);
	if (e == ERR_OK)
		e = audit_record(r, "copy.failed", "copy", id, NULL);
	if (e == ERR_OK)
		e = db_commit(r);
	if (e != ERR_OK)
		db_rollback(r);
	forget(r);
	return -1;
}

/* Ready copies past their expiry lose their bytes (one transaction,
 * audited with the count). */
static bool expire(struct req *r)
{
	uint64_t n = 0;
	enum err e = db_begin(r);

	if (e == ERR_OK)
		e = copydb_expire(r, &n);
	if (e == ERR_OK && n == 0) {
		db_rollback(r);
		return true;
	}
	if (e == ERR_OK)
		e = audit_record(r, "copy.expire", "copy", 0,
				 jarena(r, json_pack("{s:I}", "count", (json_int_t)n)));
	if (e == ERR_OK)
		e = db_commit(r);
	if (e != ERR_OK) {
		db_rollback(r);
		forget(r);
		return false;
	}
	return true;
}

/* One round over the académie: the expiries, then up to 20 copies. */
static bool academy_round(struct worker *w, const struct academy_cfg *a)
{
	struct req r;
	bool ok;
	int done = 1;

	worker_ctl_request(&r, w, a, "copies");
	ok = expire(&r);
	for (int k = 0; ok && done == 1 && k < 20 && !stopping; k++) {
		done = prepare_one(&r);
		arena_reset(&w->arena);
		worker_ctl_request(&r, w, a, "copies");
	}
	arena_reset(&w->arena);
	return ok && done >= 0;
}

#define COPIES_USAGE "usage: tutoratctl -c CONFIG copies [--once] [--every SECONDS]\n"

int copy_runner(const struct config *cfg, const char *academy, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"once", no_argument, NULL, 'o'},
	    {"every", required_argument, NULL, 'e'},
	    {NULL, 0, NULL, 0},
	};
	struct server srv = {.cfg = cfg};
	struct sigaction sa = {0};
	struct worker *w;
	bool once = false, loaded = false, ok = true;
	int64_t every = 5;
	char err[512];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'o')
			once = true;
		else if (c != 'e' || !parse_int64(optarg, strlen(optarg), &every) || every < 1 ||
			 every > 3600) {
			fprintf(stderr, COPIES_USAGE);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, COPIES_USAGE);
		return 2;
	}
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	w = worker_new(&srv, 0);
	log_msg("info", "copies: started (every %lld s)", (long long)every);
	while (!stopping) {
		if (!loaded) {
			loaded = schema_load_academy_ids((struct config *)cfg, err, sizeof(err));
			if (!loaded)
				log_msg("warn", "copies: database unavailable: %s", err);
		}
		ok = loaded;
		for (size_t i = 0; loaded && i < cfg->n_academies && !stopping; i++) {
			const struct academy_cfg *a = cfg->academies[i];

			if (academy != NULL && strcmp(academy, a->code) != 0)
				continue;
			if (!academy_round(w, a)) {
				log_msg("warn", "copies: academy %s: a copy was not prepared",
					a->code);
				ok = false;
			}
		}
		if (once)
			break;
		pause_for((int)every);
	}
	log_msg("info", "copies: stopped");
	worker_free(w);
	return ok ? 0 : 1;
}
