#include "csv.h"

#include <stdlib.h>
#include <string.h>

struct buf {
	char *p;
	size_t n, cap;
};

static void push(struct buf *b, char c)
{
	if (b->n + 1 >= b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->p = realloc(b->p, b->cap);
		if (b->p == NULL)
			abort();
	}
	b->p[b->n++] = c;
	b->p[b->n] = '\0';
}

static char *take(struct buf *b)
{
	char *s = b->p != NULL ? b->p : strdup("");

	if (s == NULL)
		abort();
	b->p = NULL;
	b->n = b->cap = 0;
	return s;
}

bool csv_parse(const char *t, size_t len, struct csv_row **rows_out, size_t *n_out, int *err_line,
	       const char **why)
{
	struct csv_row *rows = NULL, cur = {0};
	size_t n = 0, cap = 0, i = 0;
	struct buf field = {0};
	int line = 1, quote_line = 1;
	bool quoted = false, in_quotes = false, row_has_data = false;

	if (len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0)
		i = 3; /* spreadsheet programs write a BOM */
	cur.line = line;
	for (; i <= len; i++) {
		char c = i < len ? t[i] : '\n';
		bool end_of_input = i == len;

		if (in_quotes && !end_of_input) {
			if (c == '"') {
				if (i + 1 < len && t[i + 1] == '"') {
					push(&field, '"');
					i++;
				} else {
					in_quotes = false;
				}
			} else {
				if (c == '\n')
					line++;
				push(&field, c);
			}
			continue;
		}
		if (in_quotes && end_of_input) {
			*why = "unterminated quoted field";
			line = quote_line; /* where the quote opened, not the end of the file */
			goto fail;
		}
		if (c == '"') {
			if (field.n != 0 || quoted) {
				*why = "quote inside an unquoted field";
				goto fail;
			}
			quoted = in_quotes = true;
			quote_line = line;
			row_has_data = true;
			continue;
		}
		if (c == ',' || c == '\n' || c == '\r') {
			if (c == '\r' && i + 1 < len && t[i + 1] == '\n')
				continue; /* the \n ends the record */
			if (c == ',' || row_has_data || field.n > 0) {
				if (cur.n == CSV_MAX_FIELDS) {
					*why = "too many fields";
					goto fail;
				}
				cur.f[cur.n++] = take(&field);
				row_has_data = true;
			}
			quoted = false;
			if (c != ',') {
				if (cur.n > 0) {
					if (n == cap) {
						cap = cap ? cap * 2 : 64;
						rows = realloc(rows, cap * sizeof(*rows));
						if (rows == NULL)
							abort();
					}
					rows[n++] = cur;
				}
				memset(&cur, 0, sizeof(cur));
				line++;
				cur.line = line;
				row_has_data = false;
			}
			continue;
		}
		if (quoted) {
			*why = "text after a closing quote";
			goto fail;
		}
		push(&field, c);
		row_has_data = true;
	}
	*rows_out = rows;
	*n_out = n;
	return true;
fail:
	*err_line = line;
	free(field.p);
	for (size_t k = 0; k < cur.n; k++)
		free(cur.f[k]);
	csv_free(rows, n);
	return false;
}

void csv_free(struct csv_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < rows[i].n; k++)
			free(rows[i].f[k]);
	free(rows);
}
