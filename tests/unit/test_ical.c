/*
 * server/ical.c: the calendar feed's content lines, TEXT escaping
 * (RFC 5545 §3.3.11) and folding at 75 octets (§3.1), never inside a
 * UTF-8 character.
 */
#include "unit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ical.h"

static char *text_line(const char *name, const char *value)
{
	struct ical c;
	char *out;

	ical_init(&c);
	ical_text(&c, name, value);
	assert_true(c.ok);
	out = strndup(c.buf, c.len);
	free(c.buf);
	return out;
}

static void test_escaping(void **state)
{
	char *s = text_line("SUMMARY", "Visite — Martin, Camille; a\\b\nsuite\r\x01");

	(void)state;
	assert_string_equal(s, "SUMMARY:Visite — Martin\\, Camille\\; a\\\\b\\nsuite\r\n");
	free(s);
}

static void test_raw_not_escaped(void **state)
{
	struct ical c;

	(void)state;
	ical_init(&c);
	ical_raw(&c, "DTSTART;TZID=Europe/Paris", "20261201T140000");
	ical_raw(&c, "URL", "https://x.fr/a?b=1,2;3");
	assert_true(c.ok);
	assert_int_equal(c.len, strlen("DTSTART;TZID=Europe/Paris:20261201T140000\r\n"
				       "URL:https://x.fr/a?b=1,2;3\r\n"));
	assert_memory_equal(c.buf,
			    "DTSTART;TZID=Europe/Paris:20261201T140000\r\n"
			    "URL:https://x.fr/a?b=1,2;3\r\n",
			    c.len);
	free(c.buf);
}

/* Each physical line holds at most 75 octets; unfolding (removing every
 * CRLF followed by a space) gives the logical line back. */
static void check_folded(const char *s, const char *logical)
{
	char *unfolded = malloc(strlen(s) + 1);
	size_t n = 0, col = 0;

	for (const char *p = s; *p != '\0'; p++) {
		if (p[0] == '\r' && p[1] == '\n') {
			assert_true(col <= 75);
			col = 0;
			if (p[2] == ' ') {
				p += 2; /* the space is the fold's, not the text's */
				col = 1;
				continue;
			}
			p++;
			continue;
		}
		unfolded[n++] = *p;
		col++;
	}
	unfolded[n] = '\0';
	assert_string_equal(unfolded, logical);
	free(unfolded);
}

static void test_folding_ascii(void **state)
{
	char value[200], logical[220];
	char *s;

	(void)state;
	memset(value, 'a', 180);
	value[180] = '\0';
	s = text_line("LOCATION", value);
	snprintf(logical, sizeof(logical), "LOCATION:%s", value);
	check_folded(s, logical);
	/* 9 + 180 = 189 octets: 75, then 74 + the space, then the rest. */
	assert_memory_equal(s + 75, "\r\n a", 4);
	assert_memory_equal(s + 75 + 3 + 74, "\r\n a", 4);
	free(s);
}

/* "é" is 2 octets: a line of them must fold between two of them, never
 * between the two octets of one. */
static void test_folding_utf8(void **state)
{
	char value[400] = "", logical[420];
	char *s;

	(void)state;
	for (int i = 0; i < 150; i++)
		strcat(value, "é");
	s = text_line("SUMMARY", value);
	snprintf(logical, sizeof(logical), "SUMMARY:%s", value);
	check_folded(s, logical);
	/* "SUMMARY:" is 8 octets, then 33 "é" (66): 74; a 34th would make 76. */
	assert_memory_equal(s + 74, "\r\n \xc3\xa9", 5);
	free(s);
}

static void test_short_line_not_folded(void **state)
{
	char value[80];
	char *s;

	(void)state;
	memset(value, 'x', 70);
	value[70] = '\0';
	s = text_line("NOTE", value); /* 4 + 1 + 70 = 75 octets: fits */
	assert_int_equal(strlen(s), 77);
	assert_null(strstr(s, "\r\n "));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escaping),
	    cmocka_unit_test(test_raw_not_escaped),
	    cmocka_unit_test(test_folding_ascii),
	    cmocka_unit_test(test_folding_utf8),
	    cmocka_unit_test(test_short_line_not_folded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
