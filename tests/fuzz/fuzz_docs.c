/*
 * libFuzzer target: tutorat_sniff_type and tutorat_clean_filename
 * (modules/tutorat/tutorat_docs.c), the two reads of an upload: its bytes
 * as the document, and the same bytes as its filename when they pass the
 * check a filename gets on entry (utf8_clean).
 *
 * Checked beyond "no crash, no leak, no sanitizer report" (libFuzzer hands
 * the bytes over in a heap block of exactly their length, so a read past
 * the upload is a report): the type is NULL or one of the nine accepted,
 * and its magic number is where the type says; a cleaned name is 1 to 200
 * bytes of clean UTF-8 with no '/', '\\', '"', ';' or control character,
 * and neither "." nor "..".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "req.h"
#include "tutorat.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena arena;
static struct req r;

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static bool starts(const uint8_t *data, size_t size, const char *magic, size_t n)
{
	return size >= n && memcmp(data, magic, n) == 0;
}

static void check_type(const uint8_t *data, size_t size, const char *t)
{
	static const char *const zips[] = {
	    "application/vnd.oasis.opendocument.text",
	    "application/vnd.oasis.opendocument.spreadsheet",
	    "application/vnd.oasis.opendocument.presentation",
	    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    "application/vnd.openxmlformats-officedocument.presentationml.presentation"};

	if (t == NULL)
		return;
	if (strcmp(t, "application/pdf") == 0) {
		check(starts(data, size, "%PDF-", 5));
		return;
	}
	if (strcmp(t, "image/png") == 0) {
		check(starts(data, size, "\x89PNG\r\n\x1a\n", 8));
		return;
	}
	if (strcmp(t, "image/jpeg") == 0) {
		check(starts(data, size, "\xff\xd8\xff", 3));
		return;
	}
	for (size_t i = 0; i < sizeof(zips) / sizeof(zips[0]); i++)
		if (strcmp(t, zips[i]) == 0) {
			/* A local header, and the "mimetype" member or an end record. */
			check(starts(data, size, "PK\x03\x04", 4) && size >= 30 + 8);
			return;
		}
	check(0); /* a type nobody accepts */
}

static void check_name(const char *out)
{
	size_t n = strlen(out);

	check(n >= 1 && n <= 200 && utf8_clean(out, n));
	check(strcmp(out, ".") != 0 && strcmp(out, "..") != 0);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)out[i];

		check(c >= 0x20 && c != 0x7f && c != '/' && c != '\\' && c != '"' && c != ';');
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	arena_init(&arena, 1u << 20);
	r.arena = &arena;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *name = (const char *)data;

	check_type(data, size, tutorat_sniff_type(data, size));
	if (size <= 4096 && utf8_clean(name, size)) {
		char *copy = arena_strndup(&arena, name, size);
		char *out;

		check(copy != NULL);
		out = tutorat_clean_filename(&r, copy);
		check(out != NULL);
		check_name(out);
	}
	arena_reset(&arena);
	return 0;
}
