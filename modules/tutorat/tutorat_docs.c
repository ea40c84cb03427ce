/*
 * What a document is, read from its bytes, never from its name: a renamed
 * executable stays an executable. Accepted: PDF, PNG, JPEG, OpenDocument
 * (text, spreadsheet, presentation) and Office Open XML (docx, xlsx, pptx).
 * The two zip families are told apart by their members: ODF stores an
 * uncompressed "mimetype" member first; OOXML has [Content_Types].xml and
 * word/, xl/ or ppt/ parts, found through the zip's central directory.
 */
#include "arena.h"
#include "req.h"
#include "tutorat.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

static uint32_t le16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const char *odf_type(const unsigned char *p, size_t n)
{
	static const struct {
		const char *mime;
	} odf[] = {{"application/vnd.oasis.opendocument.text"},
		   {"application/vnd.oasis.opendocument.spreadsheet"},
		   {"application/vnd.oasis.opendocument.presentation"}};
	uint32_t name_len, extra_len, size;

	/* Local header: the first member must be "mimetype", stored. Its name,
	 * extra field and bytes must lie within the upload before any of them
	 * is read (in size_t: a 32-bit size must not wrap round to "fits"). */
	if (n < 30 || le16(p + 8) != 0)
		return NULL;
	name_len = le16(p + 26);
	extra_len = le16(p + 28);
	size = le32(p + 18);
	if (name_len != 8 || (size_t)30 + 8 + extra_len + size > n ||
	    memcmp(p + 30, "mimetype", 8) != 0)
		return NULL;
	for (size_t i = 0; i < sizeof(odf) / sizeof(odf[0]); i++)
		if (size == strlen(odf[i].mime) &&
		    memcmp(p + 38 + extra_len, odf[i].mime, size) == 0)
			return odf[i].mime;
	return NULL;
}

static const char *ooxml_type(const unsigned char *p, size_t n)
{
	size_t eocd = 0, off, end;
	uint32_t entries, cd_size, cd_off;
	bool types = false, word = false, xl = false, ppt = false;

	/* The end-of-central-directory record sits in the last 64 KiB + 22. */
	bool found = false;
	size_t start = n > 65535 + 22 ? n - 65535 - 22 : 0;

	if (n < 22)
		return NULL;
	for (size_t i = n - 22 + 1; i-- > start;) {
		if (le32(p + i) == 0x06054b50) {
			eocd = i;
			found = true;
			break;
		}
	}
	if (!found)
		return NULL;
	entries = le16(p + eocd + 10);
	cd_size = le32(p + eocd + 12);
	cd_off = le32(p + eocd + 16);
	if ((size_t)cd_off + cd_size > eocd)
		return NULL;
	off = cd_off;
	end = (size_t)cd_off + cd_size;
	for (uint32_t k = 0; k < entries; k++) {
		uint32_t nl, el, cl;
		const char *name;

		if (off + 46 > end || le32(p + off) != 0x02014b50)
			return NULL;
		nl = le16(p + off + 28);
		el = le16(p + off + 30);
		cl = le16(p + off + 32);
		if (off + 46 + nl > end)
			return NULL;
		name = (const char *)p + off + 46;
		if (nl == 19 && memcmp(name, "[Content_Types].xml", 19) == 0)
			types = true;
		else if (nl > 5 && memcmp(name, "word/", 5) == 0)
			word = true;
		else if (nl > 3 && memcmp(name, "xl/", 3) == 0)
			xl = true;
		else if (nl > 4 && memcmp(name, "ppt/", 4) == 0)
			ppt = true;
		off += 46 + (size_t)nl + el + cl;
	}
	if (!types || word + xl + ppt != 1)
		return NULL;
	return word ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	       : xl ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		    : "application/vnd.openxmlformats-officedocument.presentationml.presentation";
}

const char *tutorat_sniff_type(const unsigned char *p, size_t n)
{
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && memcmp(p, "\xff\xd8\xff", 3) == 0)
		return "image/jpeg";
	if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) {
		const char *t = odf_type(p, n);

		return t != NULL ? t : ooxml_type(p, n);
	}
	return NULL;
}

/* The extensions a name may end with for each type the bytes can have, and
 * what the type is called in a message. */
static const struct {
	const char *type, *label, *ext[3];
} extensions[] = {
    {"application/pdf", "PDF", {"pdf"}},
    {"image/png", "image PNG", {"png"}},
    {"image/jpeg", "image JPEG", {"jpg", "jpeg"}},
    {"application/vnd.oasis.opendocument.text", "texte ODT", {"odt"}},
    {"application/vnd.oasis.opendocument.spreadsheet", "classeur ODS", {"ods"}},
    {"application/vnd.oasis.opendocument.presentation", "présentation ODP", {"odp"}},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "texte DOCX",
     {"docx"}},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "classeur XLSX",
     {"xlsx"}},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation",
     "présentation PPTX",
     {"pptx"}},
};

const char *tutorat_type_label(const char *type)
{
	for (size_t i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++)
		if (strcmp(extensions[i].type, type) == 0)
			return extensions[i].label;
	return type;
}

bool tutorat_extension_fits(const char *name, const char *type)
{
	const char *dot = strrchr(name, '.');

	/* No extension ("compte-rendu", ".profile"): nothing to disagree with. */
	if (dot == NULL || dot == name)
		return true;
	dot++;
	for (size_t i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
		if (strcmp(extensions[i].type, type) != 0)
			continue;
		for (size_t k = 0; k < 3 && extensions[i].ext[k] != NULL; k++)
			if (strcasecmp(dot, extensions[i].ext[k]) == 0)
				return true;
	}
	return false;
}

/* Keeps the last path component, printable characters, at most 200 bytes
 * (cut on a character boundary; the name was checked as UTF-8 on entry);
 * quotes, backslashes and semicolons become '_'. */
char *tutorat_clean_filename(struct req *r, const char *name)
{
	const char *base = name;
	size_t n, o = 0;
	char *out;

	for (const char *s = name; *s != '\0'; s++)
		if (*s == '/' || *s == '\\')
			base = s + 1;
	n = strlen(base);
	out = arena_alloc(r->arena, n + 9);
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)base[i];
		size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

		if (o + len > 200 || i + len > n)
			break; /* never cut a character in two */
		if (c < 0x20 || c == 0x7f) {
			i++;
			continue;
		}
		if (len == 1) {
			out[o++] = (c == '"' || c == '\\' || c == ';') ? '_' : (char)c;
		} else {
			memcpy(out + o, base + i, len);
			o += len;
		}
		i += len;
	}
	if (o == 0 || (o == 1 && out[0] == '.') || (o == 2 && memcmp(out, "..", 2) == 0)) {
		memcpy(out, "document", 8);
		o = 8;
	}
	out[o] = '\0';
	return out;
}
