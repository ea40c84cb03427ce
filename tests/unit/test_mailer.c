/*
 * server/mail_mime.c: the bytes of the mailer's messages. Encoded-words
 * that decode to the subject and never cut a character, quoted-printable
 * that decodes to the body with no line over 76 characters, addresses
 * that cannot carry a header of their own, CRLF everywhere.
 */
#include "unit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mail_mime.h"
#include "util.h"

/* ---- reference decoders, independent of the encoder ---- */

static int b64_value(char c)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = strchr(alphabet, c);

	return c != '\0' && p != NULL ? (int)(p - alphabet) : -1;
}

/* Decodes "=?UTF-8?B?...?=" words separated by CRLF SP into out; the
 * number of words, or -1 for anything else. */
static int decode_words(const char *s, char *out, size_t cap, size_t *longest)
{
	size_t o = 0;
	int words = 0;

	*longest = 0;
	while (*s != '\0') {
		const char *end;
		unsigned acc = 0;
		int bits = 0;

		if (words > 0) {
			if (strncmp(s, "\r\n ", 3) != 0)
				return -1;
			s += 3;
		}
		if (strncmp(s, "=?UTF-8?B?", 10) != 0 || (end = strstr(s, "?=")) == NULL)
			return -1;
		end = strstr(s + 10, "?=");
		if ((size_t)(end + 2 - s) > *longest)
			*longest = (size_t)(end + 2 - s);
		for (const char *p = s + 10; p < end; p++) {
			if (*p == '=')
				break;
			if (b64_value(*p) < 0)
				return -1;
			acc = (acc << 6) | (unsigned)b64_value(*p);
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				if (o + 1 >= cap)
					return -1;
				out[o++] = (char)((acc >> bits) & 0xff);
			}
		}
		/* Each word holds whole characters. */
		out[o] = '\0';
		if (!utf8_clean(out, o))
			return -1;
		s = end + 2;
		words++;
	}
	out[o] = '\0';
	return words;
}

/* Quoted-printable back to text (CRLF -> LF); the longest line in *longest. */
static char *decode_qp(const char *s, size_t *longest)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	size_t col = 0;

	*longest = 0;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\r' && p[1] == '\n') {
			*longest = col > *longest ? col : *longest;
			col = 0;
			if (p > s && p[-1] == '=') {
				p++; /* soft break */
				continue;
			}
			*o++ = '\n';
			p++;
			continue;
		}
		col++;
		if (*p == '=' && p[1] != '\r') {
			unsigned v;

			assert_true(sscanf(p + 1, "%2X", &v) == 1);
			*o++ = (char)v;
			p += 2;
			col += 2;
		} else if (*p != '=') {
			*o++ = *p;
		}
	}
	*longest = col > *longest ? col : *longest;
	*o = '\0';
	return out;
}

/* ---- headers ---- */

static void test_header_plain_ascii_stays(void **state)
{
	char *w = mail_header_word("[Tutorat] Un retour de visite vous attend");

	(void)state;
	assert_string_equal(w, "[Tutorat] Un retour de visite vous attend");
	free(w);
}

static void test_header_encoded_words(void **state)
{
	const char *subject = "[Tutorat] Votre résumé du jour : 2 notifications";
	char *w = mail_header_word(subject), back[256];
	size_t longest;

	(void)state;
	assert_string_equal(w, "=?UTF-8?B?W1R1dG9yYXRdIFZvdHJlIHLDqXN1bcOpIGR1IGpvdXIgOiAyIG5vdGlmaWNh?="
			       "\r\n =?UTF-8?B?dGlvbnM=?=");
	assert_int_equal(decode_words(w, back, sizeof(back), &longest), 2);
	assert_string_equal(back, subject);
	assert_true(longest <= 75);
	free(w);
}

/* Two-byte characters across the 45-byte chunk: no word cuts one. */
static void test_header_never_cuts_a_character(void **state)
{
	char subject[200] = "", back[256];
	size_t longest;
	char *w;

	(void)state;
	for (int i = 0; i < 60; i++)
		strcat(subject, i % 7 == 0 ? "€" : "é");
	w = mail_header_word(subject);
	assert_true(decode_words(w, back, sizeof(back), &longest) > 1);
	assert_string_equal(back, subject);
	assert_true(longest <= 75);
	free(w);
}

/* A line break in a subject cannot start a header of its own. */
static void test_header_controls_become_spaces(void **state)
{
	char *w = mail_header_word("Retour\r\nBcc: someone@example.org"), back[128];
	size_t longest;

	(void)state;
	assert_null(strchr(w, '\n'));
	assert_int_equal(decode_words(w, back, sizeof(back), &longest), 1);
	assert_string_equal(back, "Retour  Bcc: someone@example.org");
	free(w);
}

/* ---- bodies ---- */

static void test_qp_encodes_and_decodes(void **state)
{
	const char *text = "Bonjour Camille,\n\nUn nouveau document vous attend: a=b \n"
			   "Pour le consulter : https://tutorat.ac-lyon.fr/tutorat/dossier.html?id=12\n";
	char *q = mail_qp(text), *back;
	size_t longest;

	(void)state;
	assert_non_null(strstr(q, "=3D"));
	assert_non_null(strstr(q, "b=20\r\n")); /* a space before a line end */
	assert_null(strstr(q, "é"));
	for (const char *p = q; *p != '\0'; p++) {
		assert_true((unsigned char)*p < 0x7f);
		if (*p == '\n')
			assert_true(p > q && p[-1] == '\r');
	}
	back = decode_qp(q, &longest);
	assert_string_equal(back, text);
	assert_true(longest <= 76);
	free(back);
	free(q);
}

static void test_qp_long_lines_soft_breaks(void **state)
{
	char text[1200] = "", *q, *back;
	size_t longest;

	(void)state;
	for (int i = 0; i < 150; i++)
		strcat(text, i % 3 ? "ab=" : "é");
	q = mail_qp(text);
	back = decode_qp(q, &longest);
	assert_string_equal(back, text);
	assert_true(longest <= 76);
	free(back);
	free(q);
}

/* ---- addresses and the whole message ---- */

static void test_addresses(void **state)
{
	(void)state;
	assert_true(mail_addr_ok("camille.martin@ac-lyon.fr"));
	assert_false(mail_addr_ok("camille@ac-lyon.fr>\r\nBcc: x@y.fr"));
	assert_false(mail_addr_ok("Camille <camille@ac-lyon.fr>"));
	assert_false(mail_addr_ok("a@b@c"));
	assert_false(mail_addr_ok("@ac-lyon.fr"));
	assert_false(mail_addr_ok("camille@"));
	assert_false(mail_addr_ok("a,b@c.fr"));
	assert_false(mail_addr_ok(""));
}

static void test_compose(void **state)
{
	struct mail_msg m = {.from = "tutorat@ac-lyon.fr",
			     .from_name = "Tutorat — Académie de Lyon",
			     .to = "camille.martin@ac-lyon.fr",
			     .subject = "[Tutorat] Un retour de visite vous attend",
			     .message_id = "<42.lyon@tutorat.ac-lyon.fr>",
			     .text = "Bonjour Camille,\n\nété\n",
			     .html = "<p>Bonjour Camille, été</p>\n",
			     .date = 1780000000};
	size_t len = 0;
	char *msg = mail_compose(&m, &len), *boundary, *b_end;

	(void)state;
	assert_non_null(msg);
	assert_int_equal(len, strlen(msg));
	assert_non_null(strstr(msg, "\r\nTo: camille.martin@ac-lyon.fr\r\n"));
	assert_non_null(strstr(msg, "\r\nSubject: [Tutorat] Un retour de visite vous attend\r\n"));
	assert_non_null(strstr(msg, "\r\nMessage-ID: <42.lyon@tutorat.ac-lyon.fr>\r\n"));
	assert_non_null(strstr(msg, "\r\nAuto-Submitted: auto-generated\r\n"));
	assert_non_null(strstr(msg, "\r\nDate: Thu, 28 May 2026 20:26:40 +0000\r\n"));
	assert_true(strncmp(msg, "From: =?UTF-8?B?", 16) == 0);
	assert_non_null(strstr(msg, "?= <tutorat@ac-lyon.fr>\r\n"));
	assert_non_null(strstr(msg, "Content-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(strstr(msg, "Content-Type: text/html; charset=UTF-8\r\n"));
	assert_non_null(strstr(msg, "\r\n\r\nBonjour Camille,\r\n\r\n=C3=A9t=C3=A9\r\n"));
	/* The boundary opens both parts and closes the message. */
	boundary = strstr(msg, "boundary=\"");
	assert_non_null(boundary);
	boundary += 10;
	b_end = strchr(boundary, '"');
	*b_end = '\0';
	{
		char open[80], close[84];

		snprintf(open, sizeof(open), "\r\n--%s\r\n", boundary);
		snprintf(close, sizeof(close), "\r\n--%s--\r\n", boundary);
		*b_end = '"';
		assert_non_null(strstr(strstr(msg, open) + 1, open));
		assert_non_null(strstr(msg, close));
		assert_int_equal(strlen(strstr(msg, close)), strlen(close));
	}
	for (const char *p = msg; *p != '\0'; p++) {
		assert_true((unsigned char)*p < 0x80); /* 7-bit on the wire */
		if (*p == '\n')
			assert_true(p > msg && p[-1] == '\r');
	}
	free(msg);
}

static void test_compose_refuses_a_bad_address(void **state)
{
	struct mail_msg m = {.from = "tutorat@ac-lyon.fr",
			     .to = "x@y.fr\r\nBcc: all@ac-lyon.fr",
			     .subject = "s",
			     .message_id = "<1.lyon@h>",
			     .text = "t",
			     .html = "h"};
	size_t len;

	(void)state;
	assert_null(mail_compose(&m, &len));
	m.to = "x@y.fr";
	m.message_id = "<1.lyon@h>\r\nBcc: all@ac-lyon.fr";
	assert_null(mail_compose(&m, &len));
	m.message_id = "<1.lyon@h>";
	free(mail_compose(&m, &len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_header_plain_ascii_stays),
	    cmocka_unit_test(test_header_encoded_words),
	    cmocka_unit_test(test_header_never_cuts_a_character),
	    cmocka_unit_test(test_header_controls_become_spaces),
	    cmocka_unit_test(test_qp_encodes_and_decodes),
	    cmocka_unit_test(test_qp_long_lines_soft_breaks),
	    cmocka_unit_test(test_addresses),
	    cmocka_unit_test(test_compose),
	    cmocka_unit_test(test_compose_refuses_a_bad_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
