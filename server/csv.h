/*
 * RFC 4180 CSV reading for tutoratctl import: comma separated, fields
 * optionally in double quotes (a quote doubled inside), CRLF or LF.
 */
#ifndef TUTORAT_CSV_H
#define TUTORAT_CSV_H

#include <stdbool.h>
#include <stddef.h>

#define CSV_MAX_FIELDS 16

struct csv_row {
	int line; /* where the record starts */
	size_t n;
	char *f[CSV_MAX_FIELDS];
};

/* Parses the whole text; rows and fields are malloc'd (csv_free). On a
 * syntax error returns false with the line in *err_line. */
bool csv_parse(const char *text, size_t len, struct csv_row **rows, size_t *n_rows, int *err_line,
	       const char **why);
void csv_free(struct csv_row *rows, size_t n_rows);

#endif
