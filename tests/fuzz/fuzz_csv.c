/*
 * libFuzzer target: csv_parse (server/csv.c) on arbitrary bytes.
 *
 * Checked beyond "no crash, no leak, no sanitizer report": a parse that
 * succeeds gives rows of 1..CSV_MAX_FIELDS fields, whose lines start at 1,
 * strictly increase and never pass the number of lines of the text; a
 * parse that fails names a reason and a line within the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct csv_row *rows = NULL;
	size_t n = 0;
	int err_line = 0, lines = 1, prev = 0;
	const char *why = NULL;

	/* Lines of the text: a record may end with LF, CRLF or a lone CR. */
	for (size_t i = 0; i < size; i++)
		if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == size || text[i + 1] != '\n')))
			lines++;
	if (!csv_parse(text, size, &rows, &n, &err_line, &why)) {
		check(why != NULL && *why != '\0');
		check(err_line >= 1 && err_line <= lines);
		return 0;
	}
	check(n == 0 || rows != NULL);
	for (size_t i = 0; i < n; i++) {
		check(rows[i].n >= 1 && rows[i].n <= CSV_MAX_FIELDS);
		check(rows[i].line > prev && rows[i].line <= lines);
		prev = rows[i].line;
		for (size_t k = 0; k < rows[i].n; k++)
			check(rows[i].f[k] != NULL && strlen(rows[i].f[k]) <= size);
	}
	csv_free(rows, n);
	return 0;
}
