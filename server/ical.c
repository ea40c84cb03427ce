/*
 * iCalendar content lines (RFC 5545 §3.1, §3.3.11): see ical.h. A line is
 * first assembled whole, then copied out folded: after every 75 octets a
 * CRLF and a space, never inside a UTF-8 sequence.
 */
#include "ical.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define FOLD_AT 75

void ical_init(struct ical *c)
{
	c->buf = NULL;
	c->len = c->cap = 0;
	c->ok = true;
}

static bool reserve(struct ical *c, size_t more)
{
	char *grown;
	size_t cap;

	if (!c->ok)
		return false;
	if (c->len + more + 1 <= c->cap)
		return true;
	cap = c->cap != 0 ? c->cap : 4096;
	while (cap < c->len + more + 1)
		cap *= 2;
	grown = realloc(c->buf, cap);
	if (grown == NULL) {
		c->ok = false;
		return false;
	}
	c->buf = grown;
	c->cap = cap;
	return true;
}

/* Copies the unfolded line `s` (n octets) out, folded, then CRLF. */
static void put_folded(struct ical *c, const char *s, size_t n)
{
	size_t col = 0;

	/* A fold (3 octets) comes after at least 71 octets; then the CRLF. */
	if (!reserve(c, n + 3 * (n / 71 + 1) + 2))
		return;
	for (size_t i = 0; i < n;) {
		size_t k = utf8_char_len(s + i, n - i);

		if (k == 0)
			k = 1;
		if (col + k > FOLD_AT) {
			memcpy(c->buf + c->len, "\r\n ", 3);
			c->len += 3;
			col = 1;
		}
		memcpy(c->buf + c->len, s + i, k);
		c->len += k;
		col += k;
		i += k;
	}
	memcpy(c->buf + c->len, "\r\n", 3);
	c->len += 2;
}

/* name ":" and the value, escaped as TEXT when `text`, into a temporary
 * line, then folded out. */
static void line(struct ical *c, const char *name, const char *value, bool text)
{
	size_t nn = strlen(name), vn = value != NULL ? strlen(value) : 0, n = 0;
	char *tmp;

	if (!c->ok)
		return;
	tmp = malloc(nn + 1 + 2 * vn + 1);
	if (tmp == NULL) {
		c->ok = false;
		return;
	}
	memcpy(tmp, name, nn);
	n = nn;
	tmp[n++] = ':';
	for (size_t i = 0; i < vn; i++) {
		unsigned char ch = (unsigned char)value[i];

		if (!text) {
			if (ch >= 0x20 && ch != 0x7f)
				tmp[n++] = (char)ch;
			continue;
		}
		if (ch == '\\' || ch == ';' || ch == ',') {
			tmp[n++] = '\\';
			tmp[n++] = (char)ch;
		} else if (ch == '\n') {
			tmp[n++] = '\\';
			tmp[n++] = 'n';
		} else if (ch >= 0x20 && ch != 0x7f) {
			tmp[n++] = (char)ch;
		}
	}
	put_folded(c, tmp, n);
	free(tmp);
}

void ical_raw(struct ical *c, const char *name, const char *value) { line(c, name, value, false); }

void ical_text(struct ical *c, const char *name, const char *value) { line(c, name, value, true); }
