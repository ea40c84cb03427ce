/*
 * iCalendar (RFC 5545) text for the calendar feed: content lines with
 * their values escaped (§3.3.11) and folded at 75 octets (§3.1), CRLF
 * ended. Pure functions over a growing buffer, apart from HTTP and SQL:
 * tests/unit/test_ical.c checks the escaping and the folding.
 */
#ifndef TUTORAT_ICAL_H
#define TUTORAT_ICAL_H

#include <stdbool.h>
#include <stddef.h>

/* The text being built; ok turns false once an allocation failed (every
 * later call then does nothing). Free buf with free(). */
struct ical {
	char *buf;
	size_t len, cap;
	bool ok;
};

void ical_init(struct ical *c);
/* NAME:VALUE with VALUE written as is (dates, identifiers, URIs): the
 * caller's value holds no character that TEXT would escape. Folded. */
void ical_raw(struct ical *c, const char *name, const char *value);
/* NAME:VALUE with VALUE a TEXT value: backslash, semicolon, comma escaped,
 * a newline written as \n, other control characters dropped. Folded. */
void ical_text(struct ical *c, const char *name, const char *value);

#endif
