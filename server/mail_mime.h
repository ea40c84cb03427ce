/*
 * The mail the mailer sends, as bytes (RFC 5322 and MIME): plain C over
 * plain strings, apart from SQL and SMTP, so that the encoding is
 * unit-tested (tests/unit/test_mailer.c).
 *
 * A message is multipart/alternative, a text/plain and a text/html part,
 * both UTF-8 in quoted-printable; the Subject and the From display name
 * are RFC 2047 encoded-words where they are not plain ASCII; every line
 * ends with CRLF.
 */
#ifndef TUTORAT_MAIL_MIME_H
#define TUTORAT_MAIL_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mail_msg {
	const char *from;	/* a bare address: tutorat@ac-lyon.fr */
	const char *from_name;	/* a display name (UTF-8), or NULL */
	const char *to;		/* a bare address */
	const char *subject;	/* UTF-8 */
	const char *message_id; /* with its angle brackets */
	const char *text;	/* the text/plain body, UTF-8, LF or CRLF lines */
	const char *html;	/* the text/html body, UTF-8 */
	int64_t date;		/* seconds since the epoch, for the Date header */
};

/* Whether s is an address we write into a header and give the relay:
 * local@domain, printable ASCII, no space, no angle bracket, no comma, no
 * quote, at most 254 bytes. */
bool mail_addr_ok(const char *s);

/* The message, malloc'd and NUL-terminated (*len without the NUL); NULL
 * when an address is not mail_addr_ok or memory runs out. */
char *mail_compose(const struct mail_msg *m, size_t *len);

/* A header value as RFC 2047 encoded-words ("=?UTF-8?B?...?=", each at
 * most 75 characters, never splitting a character, separated by CRLF and
 * a space) unless it is printable ASCII already; control characters
 * become spaces. malloc'd; NULL when memory runs out. */
char *mail_header_word(const char *s);

/* Quoted-printable (RFC 2045 §6.7) of a text: lines end with CRLF, none
 * longer than 76 characters (soft breaks), '=' and bytes outside
 * printable ASCII encoded, a space or tab before a line end encoded.
 * malloc'd; NULL when memory runs out. */
char *mail_qp(const char *s);

#endif
