/*
 * The PDF of one version of a parcours d'individualisation, generated with
 * libharu for the bureau des stages to file: the annex's title and header,
 * the five domains, the start date, the parties with the date of each
 * signature, the version and the SHA-256 of its content. Text is UTF-8 in
 * an embedded TrueType font (DejaVu Sans, Debian's fonts-dejavu-core), so
 * French accents render and pdftotext reads them back.
 */
#include <hpdf.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "contracts.h"
#include "req.h"

#define FONT_REGULAR "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define FONT_BOLD    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
#define MARGIN	     42.0f
#define PAGE_W	     595.276f
#define PAGE_H	     841.89f

struct pdfw {
	HPDF_Doc pdf;
	HPDF_Page page;
	HPDF_Font regular, bold;
	float y;
	HPDF_STATUS error;
};

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
	struct pdfw *w = user;

	(void)detail_no;
	if (w->error == 0)
		w->error = error_no;
}

static void new_page(struct pdfw *w)
{
	w->page = HPDF_AddPage(w->pdf);
	HPDF_Page_SetSize(w->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	w->y = PAGE_H - MARGIN;
}

static void line_out(struct pdfw *w, HPDF_Font f, float size, float x, const char *s)
{
	if (w->y - size < MARGIN)
		new_page(w);
	w->y -= size * 1.35f;
	HPDF_Page_BeginText(w->page);
	HPDF_Page_SetFontAndSize(w->page, f, size);
	HPDF_Page_TextOut(w->page, x, w->y, s);
	HPDF_Page_EndText(w->page);
}

/* Writes text from x, wrapped at the right margin on spaces (a word too
 * long for a line is cut), one line per '\n'. */
static void para(struct pdfw *w, struct arena *a, HPDF_Font f, float size, float x,
		 const char *text)
{
	const float width = PAGE_W - MARGIN - x;
	char *buf = arena_strdup(a, text != NULL ? text : "");
	char *line;

	if (buf == NULL)
		return;
	line = arena_alloc(a, strlen(buf) + 1);
	if (line == NULL)
		return;
	HPDF_Page_SetFontAndSize(w->page, f, size);
	for (char *p = buf; p != NULL;) {
		char *nl = strchr(p, '\n');
		size_t len = 0;

		if (nl != NULL)
			*nl = '\0';
		line[0] = '\0';
		for (char *word = p; *word != '\0';) {
			char *end = word + strcspn(word, " ");
			size_t wl = (size_t)(end - word), before = len;

			if (len > 0)
				line[len++] = ' ';
			memcpy(line + len, word, wl);
			len += wl;
			line[len] = '\0';
			if (HPDF_Page_TextWidth(w->page, line) > width && before > 0) {
				line[before] = '\0';
				line_out(w, f, size, x, line);
				HPDF_Page_SetFontAndSize(w->page, f, size);
				memcpy(line, word, wl);
				len = wl;
				line[len] = '\0';
			}
			word = *end == ' ' ? end + 1 : end;
		}
		line_out(w, f, size, x, line);
		p = nl != NULL ? nl + 1 : NULL;
	}
}

/* "2027-01-11" -> "11/01/2027"; "2027-01-11T09:30:00.123Z" -> "11/01/2027 à 09:30 (UTC)". */
static const char *fr_date(struct arena *a, const char *s)
{
	if (s == NULL || strlen(s) < 10)
		return "";
	if (strlen(s) >= 16)
		return arena_printf(a, "%.2s/%.2s/%.4s à %.5s (UTC)", s + 8, s + 5, s, s + 11);
	return arena_printf(a, "%.2s/%.2s/%.4s", s + 8, s + 5, s);
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

static void field(struct pdfw *w, struct arena *a, const char *label, const char *value)
{
	para(w, a, w->regular, 9.5f, MARGIN, arena_printf(a, "%s : %s", label, value));
}

static void write_annex(struct pdfw *w, struct arena *a, json_t *contract, json_t *v)
{
	json_t *content = json_object_get(v, "content"), *h = json_object_get(content, "header");
	int annex = (int)json_integer_value(json_object_get(content, "annex"));
	bool in_force = json_is_true(json_object_get(v, "in_force"));
	size_t i;
	json_t *d, *s;

	para(w, a, w->bold, 13, MARGIN,
	     annex == 2 ? "Parcours d’individualisation des professeur·e·s des écoles stagiaires "
			  "(annexe 2)"
			: "Parcours d’individualisation des professeur·e·s du second degré et CPE "
			  "stagiaires (annexe 3)");
	para(w, a, w->regular, 9, MARGIN,
	     arena_printf(a, "Version %lld — %s — année %s",
			  (long long)json_integer_value(json_object_get(v, "number")),
			  in_force ? "En vigueur"
			  : json_is_true(json_object_get(v, "current"))
			      ? "En attente de signatures"
			      : arena_printf(a, "Remplacée le %s",
					     fr_date(a, str(v, "superseded_at"))),
			  str(contract, "year")));
	w->y -= 6;
	if (annex == 2) {
		field(w, a, "Département", str(h, "department"));
		field(w, a, "Nom – prénom de l’IEN de circonscription", str(h, "inspector"));
		field(w, a, "Date", fr_date(a, str(h, "date")));
		field(w, a, "Nom – prénom, professeur·e stagiaire", str(h, "trainee"));
		field(w, a, "Parcours (M2A ou DU)", str(h, "parcours"));
		field(w, a, "Tuteur ou tutrice DSDEN", str(h, "field_tutor"));
		field(w, a, "Tuteur ou tutrice universitaire", str(h, "inspe_tutor"));
		field(w, a, "Circonscription et école d’exercice",
		      arena_printf(a, "%s — %s", str(h, "circonscription"), str(h, "school")));
		field(w, a, "Pôle de formation", str(h, "pole"));
	} else {
		field(w, a, "Nom – prénom de l’IA-IPR ou l’IEN", str(h, "inspector"));
		field(w, a, "Date", fr_date(a, str(h, "date")));
		field(w, a, "Nom – prénom, professeur·e ou CPE stagiaire", str(h, "trainee"));
		field(w, a, "Discipline", str(h, "discipline"));
		field(w, a, "Parcours (M2A ou DU)", str(h, "parcours"));
		field(w, a, "Tuteur ou tutrice employeur", str(h, "field_tutor"));
		field(w, a, "Tuteur ou tutrice Inspé", str(h, "inspe_tutor"));
		field(w, a, "Établissement d’exercice", str(h, "school"));
	}
	json_array_foreach(json_object_get(content, "domains"), i, d)
	{
		w->y -= 6;
		para(w, a, w->bold, 10.5f, MARGIN,
		     arena_printf(a, "Difficultés concernant %s", str(d, "label")));
		field(w, a, "Description de la situation", str(d, "situation"));
		field(w, a, "Besoins identifiés", str(d, "needs"));
		field(w, a, "Dispositif de médiation, remédiation, accompagnement proposé",
		      str(d, "support"));
	}
	w->y -= 6;
	field(w, a, "Mise en œuvre du parcours débutée le",
	      fr_date(a, json_string_value(json_object_get(content, "started_on"))));
	w->y -= 6;
	para(w, a, w->bold, 10.5f, MARGIN, "Signatures");
	json_array_foreach(json_object_get(v, "signatures"), i, s)
	{
		json_t *party = json_array_get(json_object_get(content, "parties"), i);
		const char *at = json_string_value(json_object_get(s, "signed_at"));

		field(w, a, str(party, "label"),
		      arena_printf(a, "%s — %s", str(s, "name"),
				   at != NULL ? arena_printf(a, "signé le %s", fr_date(a, at))
					      : "non signé"));
	}
	w->y -= 6;
	para(w, a, w->regular, 8, MARGIN,
	     arena_printf(a, "Empreinte SHA-256 du contenu de la version : %s",
			  str(v, "content_sha256")));
}

enum err contracts_pdf(struct req *r, int64_t id, int64_t vid, const char **out, size_t *len)
{
	struct pdfw w = {0};
	json_t *contract = NULL, *v = NULL, *item;
	size_t i;
	HPDF_UINT32 size;
	char *buf;
	enum err e = cdb_contract_json(r, id, &contract);

	if (e != ERR_OK)
		return e;
	if (jarena(r, contract) == NULL)
		return fail_internal(r, ERR_INTERNAL, "no memory");
	json_array_foreach(json_object_get(contract, "versions"), i, item)
		if (json_integer_value(json_object_get(item, "id")) == vid)
			v = item;
	if (v == NULL)
		return fail(r, ERR_NOT_FOUND, NULL, NULL);
	w.pdf = HPDF_New(on_error, &w);
	if (w.pdf == NULL)
		return fail_internal(r, ERR_INTERNAL, "HPDF_New failed");
	HPDF_SetCompressionMode(w.pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(w.pdf);
	HPDF_SetCurrentEncoder(w.pdf, "UTF-8");
	w.regular = HPDF_GetFont(w.pdf, HPDF_LoadTTFontFromFile(w.pdf, FONT_REGULAR, HPDF_TRUE),
				 "UTF-8");
	w.bold = HPDF_GetFont(w.pdf, HPDF_LoadTTFontFromFile(w.pdf, FONT_BOLD, HPDF_TRUE), "UTF-8");
	HPDF_SetInfoAttr(w.pdf, HPDF_INFO_TITLE, "Parcours d’individualisation");
	HPDF_SetInfoAttr(w.pdf, HPDF_INFO_CREATOR, "tutorat");
	if (w.error == 0 && w.regular != NULL && w.bold != NULL) {
		new_page(&w);
		write_annex(&w, r->arena, contract, v);
	}
	if (w.error == 0)
		HPDF_SaveToStream(w.pdf);
	size = w.error == 0 ? HPDF_GetStreamSize(w.pdf) : 0;
	buf = size > 0 ? arena_alloc(r->arena, size) : NULL;
	if (buf != NULL) {
		HPDF_STATUS st = HPDF_ReadFromStream(w.pdf, (HPDF_BYTE *)buf, &size);

		if (st != HPDF_OK && st != HPDF_STREAM_EOF)
			buf = NULL;
		else
			w.error = 0; /* the end of the stream is no failure */
	}
	if (w.error != 0 || buf == NULL) {
		r->log_detail = arena_printf(r->arena, "libharu error 0x%04X", (unsigned)w.error);
		HPDF_Free(w.pdf);
		return fail_internal(r, ERR_INTERNAL, r->log_detail);
	}
	HPDF_Free(w.pdf);
	*out = buf;
	*len = size;
	return ERR_OK;
}
