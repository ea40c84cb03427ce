/*
 * Composition of the mailer's messages (mail_mime.h): encoded-words for
 * headers, quoted-printable bodies, the multipart/alternative envelope.
 * Pure functions of their input, with no allocation of the request path:
 * the mailer is a process of its own (server/mailer.c).
 */
#include "mail_mime.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char HEX[] = "0123456789ABCDEF";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool mail_addr_ok(const char *s)
{
	const char *at;
	size_t n;

	if (s == NULL)
		return false;
	n = strlen(s);
	at = strchr(s, '@');
	if (n == 0 || n > 254 || at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@'))
		return false;
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c >= 0x7f || strchr("<>,;\"()[]\\:", c) != NULL)
			return false;
	}
	return true;
}

/* Appends the base64 of n bytes to fp. */
static void b64_put(FILE *fp, const unsigned char *in, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		fputc(B64[(v >> 18) & 63], fp);
		fputc(B64[(v >> 12) & 63], fp);
		fputc(i + 1 < n ? B64[(v >> 6) & 63] : '=', fp);
		fputc(i + 2 < n ? B64[v & 63] : '=', fp);
	}
}

/* Closes the memory stream and returns its buffer; NULL if it failed. */
static char *stream_done(FILE *fp, char **buf, size_t *len)
{
	bool bad = ferror(fp) != 0;

	if (fclose(fp) != 0 || bad) {
		free(*buf);
		return NULL;
	}
	if (len != NULL)
		*len = strlen(*buf);
	return *buf;
}

char *mail_header_word(const char *s)
{
	bool plain = true;
	size_t n = strlen(s), used = 0;
	char *buf = NULL;
	size_t cap = 0;
	FILE *fp;

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			plain = false;
	fp = open_memstream(&buf, &cap);
	if (fp == NULL)
		return NULL;
	if (plain && n <= 900) {
		fputs(s, fp);
		return stream_done(fp, &buf, NULL);
	}
	/* "=?UTF-8?B?" + base64 + "?=" within 75 characters: 45 bytes of text
	 * (60 of base64) per word, cut on a character boundary. */
	while (used < n) {
		unsigned char chunk[45];
		size_t k = 0;

		while (used < n) {
			size_t cl = utf8_char_len(s + used, n - used);

			if (cl == 0)
				cl = 1; /* a stray byte goes as is: notify() wrote UTF-8 */
			if (k + cl > sizeof(chunk))
				break;
			for (size_t j = 0; j < cl; j++) {
				unsigned char c = (unsigned char)s[used + j];

				chunk[k++] = c < 0x20 || c == 0x7f ? ' ' : c;
			}
			used += cl;
		}
		fputs(ftell(fp) > 0 ? "\r\n =?UTF-8?B?" : "=?UTF-8?B?", fp);
		b64_put(fp, chunk, k);
		fputs("?=", fp);
	}
	return stream_done(fp, &buf, NULL);
}

char *mail_qp(const char *s)
{
	char *buf = NULL;
	size_t cap = 0, col = 0;
	FILE *fp = open_memstream(&buf, &cap);

	if (fp == NULL)
		return NULL;
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		bool line_end = p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
		char enc[4];
		size_t w;

		if (c == '\r' && p[1] == '\n')
			continue;
		if (c == '\n') {
			fputs("\r\n", fp);
			col = 0;
			continue;
		}
		if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end)) {
			enc[0] = (char)c;
			w = 1;
		} else {
			enc[0] = '=';
			enc[1] = HEX[c >> 4];
			enc[2] = HEX[c & 15];
			w = 3;
		}
		/* A soft break keeps each line within 76 characters, the '='
		 * included; an encoded byte is never split. */
		if (col + w > (line_end ? 76 : 75)) {
			fputs("=\r\n", fp);
			col = 0;
		}
		fwrite(enc, 1, w, fp);
		col += w;
	}
	return stream_done(fp, &buf, NULL);
}

/* RFC 5322 date in UTC, with English names whatever the locale. */
static void put_date(FILE *fp, int64_t t)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	fprintf(fp, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
		tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		tm.tm_sec);
}

/* A Message-ID as a header carries it: "<...>", printable ASCII, no space. */
static bool message_id_ok(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n < 3 || n > 250 || s[0] != '<' || s[n - 1] != '>')
		return false;
	for (size_t i = 1; i + 1 < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f || s[i] == '<' ||
		    s[i] == '>')
			return false;
	return true;
}

char *mail_compose(const struct mail_msg *m, size_t *len)
{
	char *buf = NULL, *subject = NULL, *name = NULL, *text = NULL, *html = NULL;
	unsigned char seed[12];
	char hex[2 * sizeof(seed) + 1], boundary[64];
	size_t cap = 0;
	FILE *fp;

	if (!mail_addr_ok(m->from) || !mail_addr_ok(m->to) || !message_id_ok(m->message_id))
		return NULL;
	subject = mail_header_word(m->subject);
	name = m->from_name != NULL ? mail_header_word(m->from_name) : NULL;
	text = mail_qp(m->text);
	html = mail_qp(m->html);
	/* "=_" never occurs in quoted-printable: the boundary cannot either. */
	if (!random_bytes(seed, sizeof(seed)))
		memset(seed, 0x5a, sizeof(seed));
	hex_encode(hex, seed, sizeof(seed));
	fmt(boundary, sizeof(boundary), "=_tutorat_%s", hex);
	fp = subject != NULL && text != NULL && html != NULL &&
		     (m->from_name == NULL || name != NULL)
		 ? open_memstream(&buf, &cap)
		 : NULL;
	if (fp != NULL) {
		if (name != NULL)
			fprintf(fp, "From: %s <%s>\r\n", name, m->from);
		else
			fprintf(fp, "From: %s\r\n", m->from);
		fprintf(fp, "To: %s\r\n", m->to);
		fprintf(fp, "Subject: %s\r\n", subject);
		put_date(fp, m->date);
		fprintf(fp, "Message-ID: %s\r\n", m->message_id);
		fputs("Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n", fp);
		fprintf(fp, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary);
		fprintf(fp, "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n", boundary);
		fprintf(fp, "Content-Transfer-Encoding: quoted-printable\r\n\r\n%s\r\n", text);
		fprintf(fp, "--%s\r\nContent-Type: text/html; charset=UTF-8\r\n", boundary);
		fprintf(fp, "Content-Transfer-Encoding: quoted-printable\r\n\r\n%s\r\n", html);
		fprintf(fp, "--%s--\r\n", boundary);
	}
	free(subject);
	free(name);
	free(text);
	free(html);
	return fp != NULL ? stream_done(fp, &buf, len) : NULL;
}
