/*
 * modules/tutorat/tutorat_docs.c: the type of an uploaded document, read
 * from its bytes. Every sample is copied into a heap block of exactly its
 * length, so that the sanitizer build catches a read past the upload; the
 * truncated and malformed cases run in a child process, where such a read
 * is a failed check instead of the end of the test program.
 */
#include "unit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tutorat.h"

#define PDF  "application/pdf"
#define PNG  "image/png"
#define JPEG "image/jpeg"
#define ODT  "application/vnd.oasis.opendocument.text"
#define ODS  "application/vnd.oasis.opendocument.spreadsheet"
#define ODP  "application/vnd.oasis.opendocument.presentation"
#define DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define PPTX "application/vnd.openxmlformats-officedocument.presentationml.presentation"

struct buf {
	unsigned char d[1024];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->d));
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

static void put16(struct buf *b, uint32_t v)
{
	unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};

	put(b, x, 2);
}

static void put32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 24)};

	put(b, x, 4);
}

/* A zip local file header for a stored member of size bytes. */
static void local_header(struct buf *b, const char *name, uint32_t size, uint32_t extra)
{
	put32(b, 0x04034b50);
	put16(b, 10);	/* version needed */
	put16(b, 0);	/* flags */
	put16(b, 0);	/* stored */
	put32(b, 0);	/* time, date */
	put32(b, 0);	/* crc */
	put32(b, size); /* compressed */
	put32(b, size); /* uncompressed */
	put16(b, (uint32_t)strlen(name));
	put16(b, extra);
	put(b, name, strlen(name));
	for (uint32_t i = 0; i < extra; i++)
		put(b, "", 1);
}

/* An OpenDocument file: the "mimetype" member first, stored. */
static struct buf odf(const char *mime)
{
	struct buf b = {.n = 0};

	local_header(&b, "mimetype", (uint32_t)strlen(mime), 0);
	put(&b, mime, strlen(mime));
	local_header(&b, "content.xml", 0, 0);
	return b;
}

/* An Office Open XML file: one empty local member, then a central
 * directory naming the members given (NULL-terminated), then the end
 * record. */
static struct buf ooxml(const char *first, ...)
{
	struct buf b = {.n = 0};
	uint32_t cd_off, cd_size, entries = 0;
	const char *name;
	va_list ap;

	local_header(&b, "[Content_Types].xml", 0, 0);
	cd_off = (uint32_t)b.n;
	va_start(ap, first);
	for (name = first; name != NULL; name = va_arg(ap, const char *)) {
		put32(&b, 0x02014b50);
		put16(&b, 20);
		put16(&b, 10);
		put16(&b, 0);
		put16(&b, 0);
		put32(&b, 0);
		put32(&b, 0);
		put32(&b, 0);
		put32(&b, 0);
		put16(&b, (uint32_t)strlen(name));
		put16(&b, 0); /* extra */
		put16(&b, 0); /* comment */
		put16(&b, 0); /* disk */
		put16(&b, 0); /* internal attributes */
		put32(&b, 0); /* external attributes */
		put32(&b, 0); /* local header offset */
		put(&b, name, strlen(name));
		entries++;
	}
	va_end(ap);
	cd_size = (uint32_t)b.n - cd_off;
	put32(&b, 0x06054b50);
	put16(&b, 0);
	put16(&b, 0);
	put16(&b, entries);
	put16(&b, entries);
	put32(&b, cd_size);
	put32(&b, cd_off);
	put16(&b, 0);
	return b;
}

static struct buf bytes(const void *p, size_t n)
{
	struct buf b = {.n = 0};

	put(&b, p, n);
	return b;
}

/* The type of the first n bytes of b, read from a heap block of exactly n
 * bytes. */
static const char *sniff(const struct buf *b, size_t n)
{
	unsigned char *copy = malloc(n > 0 ? n : 1);
	const char *t;

	if (copy == NULL)
		unit_die("malloc");
	memcpy(copy, b->d, n);
	t = tutorat_sniff_type(copy, n);
	free(copy);
	return t;
}

static void expect_type(const struct buf *b, const char *want)
{
	const char *got = sniff(b, b->n);

	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
}

static void recognised_types(void **state)
{
	(void)state;
	struct buf pdf = bytes("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15);
	struct buf png = bytes("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
	struct buf jpeg = bytes("\xff\xd8\xff\xe0\0\x10JFIF", 10);
	struct buf odt = odf(ODT), ods = odf(ODS), odp = odf(ODP);
	struct buf docx = ooxml("[Content_Types].xml", "_rels/.rels", "word/document.xml", NULL);
	struct buf xlsx = ooxml("[Content_Types].xml", "xl/workbook.xml", NULL);
	struct buf pptx = ooxml("ppt/presentation.xml", "[Content_Types].xml", NULL);

	expect_type(&pdf, PDF);
	expect_type(&png, PNG);
	expect_type(&jpeg, JPEG);
	expect_type(&odt, ODT);
	expect_type(&ods, ODS);
	expect_type(&odp, ODP);
	expect_type(&docx, DOCX);
	expect_type(&xlsx, XLSX);
	expect_type(&pptx, PPTX);
}

static void refused_types(void **state)
{
	(void)state;
	struct buf exe = bytes("MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff", 14);
	struct buf elf = bytes("\x7f"
			       "ELF\2\1\1\0",
			       8);
	struct buf html = bytes("<!DOCTYPE html><html>", 21);
	struct buf other_odf = odf("application/vnd.oasis.opendocument.graphics");
	struct buf no_types = ooxml("word/document.xml", NULL);
	struct buf two_kinds = ooxml("[Content_Types].xml", "word/a.xml", "xl/b.xml", NULL);
	struct buf bare_dir = ooxml("[Content_Types].xml", "word/", "xl", NULL);
	struct buf zip_only = ooxml("[Content_Types].xml", "docProps/app.xml", NULL);
	struct buf empty = {.n = 0};

	expect_type(&exe, NULL);
	expect_type(&elf, NULL);
	expect_type(&html, NULL);
	expect_type(&other_odf, NULL);
	expect_type(&no_types, NULL);
	expect_type(&two_kinds, NULL);
	expect_type(&bare_dir, NULL); /* folders, no part in them */
	expect_type(&zip_only, NULL);
	expect_type(&empty, NULL);
}

/* Each prefix of each sample: a magic number is recognised from its full
 * length on, a zip never before it is whole (the end record is last). */
struct prefixes {
	struct buf b;
	const char *type;
	size_t from; /* shortest prefix recognised */
};

static bool all_prefixes(void *arg)
{
	const struct prefixes *s = arg;

	for (size_t n = 0; n < s->b.n; n++) {
		const char *got = sniff(&s->b, n);
		const char *want = n >= s->from ? s->type : NULL;

		if (want == NULL ? got != NULL : got == NULL || strcmp(got, want) != 0) {
			fprintf(stderr, "prefix of %zu bytes: %s instead of %s\n", n,
				got != NULL ? got : "NULL", want != NULL ? want : "NULL");
			return false;
		}
	}
	return true;
}

static void truncated_inputs(void **state)
{
	(void)state;
	struct prefixes s[] = {
	    {bytes("%PDF-1.4\n", 9), PDF, 5},
	    {bytes("\x89PNG\r\n\x1a\n\0\0", 10), PNG, 8},
	    {bytes("\xff\xd8\xff\xdb", 4), JPEG, 3},
	    {odf(ODT), ODT, 30 + 8 + strlen(ODT)},
	    {odf(ODS), ODS, 30 + 8 + strlen(ODS)},
	    {odf(ODP), ODP, 30 + 8 + strlen(ODP)},
	    {ooxml("[Content_Types].xml", "word/document.xml", NULL), DOCX, SIZE_MAX},
	    {ooxml("xl/workbook.xml", "[Content_Types].xml", NULL), XLSX, SIZE_MAX},
	    {ooxml("[Content_Types].xml", "ppt/slides/slide1.xml", NULL), PPTX, SIZE_MAX},
	};

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		assert_true(unit_in_child(all_prefixes, &s[i]));
}

/* A zip local header that announces a "mimetype" name the upload is too
 * short to hold: the sniffer must not read the name past the end. */
static bool short_mimetype_header(void *arg)
{
	(void)arg;
	for (size_t n = 30; n < 38; n++) {
		struct buf b = {.n = 0};

		local_header(&b, "mimetype", 0, 0);
		if (sniff(&b, n) != NULL)
			return false;
	}
	return true;
}

static void no_read_past_a_short_upload(void **state)
{
	(void)state;
	assert_true(unit_in_child(short_mimetype_header, NULL));
}

/* Central directory records that run past the directory or the file. */
static bool broken_directories(void *arg)
{
	(void)arg;
	struct buf good = ooxml("[Content_Types].xml", "word/document.xml", NULL);
	size_t eocd = good.n - 22;

	for (size_t at = 10; at < 20; at++) {
		struct buf b = good;

		b.d[eocd + at] = 0xff; /* entries, directory size or offset */
		if (sniff(&b, b.n) != NULL)
			return false;
	}
	for (size_t k = 0; k < 2; k++) {
		struct buf b = good;
		size_t name_len_at = 30 + strlen("[Content_Types].xml") + 28;

		b.d[name_len_at + k] = 0xff; /* a name longer than the directory */
		if (sniff(&b, b.n) != NULL)
			return false;
	}
	return true;
}

static void broken_central_directory(void **state)
{
	(void)state;
	assert_true(unit_in_child(broken_directories, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(recognised_types),
	    cmocka_unit_test(refused_types),
	    cmocka_unit_test(truncated_inputs),
	    cmocka_unit_test(no_read_past_a_short_upload),
	    cmocka_unit_test(broken_central_directory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
