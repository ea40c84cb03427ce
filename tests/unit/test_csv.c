/*
 * server/csv.c: RFC 4180 reading for tutoratctl import, with the line
 * where each record starts and the line of each syntax error.
 */
#include "unit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "csv.h"

struct parsed {
	struct csv_row *rows;
	size_t n;
	int err_line;
	const char *why;
	bool ok;
};

static struct parsed parse_n(const char *text, size_t len)
{
	struct parsed p = {.err_line = -1};

	p.ok = csv_parse(text, len, &p.rows, &p.n, &p.err_line, &p.why);
	return p;
}

static struct parsed parse(const char *text) { return parse_n(text, strlen(text)); }

static void done(struct parsed *p)
{
	if (p->ok)
		csv_free(p->rows, p->n);
}

/* Row r has exactly the fields given (NULL-terminated), starting at line. */
static void expect_row(const struct parsed *p, size_t r, int line, ...)
{
	va_list ap;
	size_t k = 0;
	const char *want;

	assert_true(r < p->n);
	assert_int_equal(p->rows[r].line, line);
	va_start(ap, line);
	while ((want = va_arg(ap, const char *)) != NULL) {
		assert_true(k < p->rows[r].n);
		assert_string_equal(p->rows[r].f[k], want);
		k++;
	}
	va_end(ap);
	assert_int_equal(p->rows[r].n, k);
}

static void expect_error(const char *text, int line, const char *why)
{
	struct parsed p = parse(text);

	assert_false(p.ok);
	assert_int_equal(p.err_line, line);
	assert_non_null(p.why);
	assert_string_equal(p.why, why);
}

static void test_simple(void **state)
{
	struct parsed p = parse("username,display_name\njdupont,Jean Dupont\n");

	(void)state;
	assert_true(p.ok);
	assert_int_equal(p.n, 2);
	expect_row(&p, 0, 1, "username", "display_name", NULL);
	expect_row(&p, 1, 2, "jdupont", "Jean Dupont", NULL);
	done(&p);
}

static void test_no_final_newline(void **state)
{
	struct parsed p = parse("a,b\nc,d");

	(void)state;
	assert_true(p.ok);
	assert_int_equal(p.n, 2);
	expect_row(&p, 1, 2, "c", "d", NULL);
	done(&p);
}

static void test_empty_input(void **state)
{
	struct parsed p = parse("");

	(void)state;
	assert_true(p.ok);
	assert_int_equal(p.n, 0);
	done(&p);
	p = parse("\n\n\r\n");
	assert_true(p.ok);
	assert_int_equal(p.n, 0);
	done(&p);
}

static void test_empty_fields(void **state)
{
	struct parsed p = parse("a,,c\n,\n,b,\n");

	(void)state;
	assert_true(p.ok);
	assert_int_equal(p.n, 3);
	expect_row(&p, 0, 1, "a", "", "c", NULL);
	expect_row(&p, 1, 2, "", "", NULL);
	expect_row(&p, 2, 3, "", "b", "", NULL);
	done(&p);
}

static void test_quoted(void **state)
{
	struct parsed p = parse("\"a\",\"b c\",\"\"\n");

	(void)state;
	assert_true(p.ok);
	assert_int_equal(p.n, 1);
	expect_row(&p, 0, 1, "a", "b c", "", NULL);
	done(&p);
}

static void test_doubled_quotes(void **state)
{
	struct parsed p = parse("\"il a dit \"\"bonjour\"\"\",\"\"\"\"\n");

	(void)state;
	assert_true(p.ok);
	expect_row(&p, 0, 1, "il a dit \"bonjour\"", "\"", NULL);
	done(&p);
}

static void test_embedded_comma(void **state)
{
	struct parsed p = parse("\"Dupont, Jean\",x\n");

	(void)state;
	assert_true(p.ok);
	expect_row(&p, 0, 1, "Dupont, Jean", "x", NULL);
	done(&p);
}

/* A field over several lines: the next records keep their true lines. */
static void test_embedded_newlines(void **state)
{
	struct parsed p =
	    parse("h1,h2\n\"line one\nline two\nline three\",x\nnext,y\n\"a\nb\",z\nlast,w\n");

	(void)state;
	assert_true(p.ok);
	assert_int_equal(p.n, 5);
	expect_row(&p, 0, 1, "h1", "h2", NULL);
	expect_row(&p, 1, 2, "line one\nline two\nline three", "x", NULL);
	expect_row(&p, 2, 5, "next", "y", NULL);
	expect_row(&p, 3, 6, "a\nb", "z", NULL);
	expect_row(&p, 4, 8, "last", "w", NULL);
	done(&p);
	p = parse("h\n\"a\nb\",z\nlast,w\n");
	assert_true(p.ok);
	expect_row(&p, 2, 4, "last", "w", NULL);
	done(&p);
}

static void test_crlf(void **state)
{
	struct parsed p = parse("a,b\r\nc,\"d\"\r\n\"e\r\nf\",g\r\nh,i\r\n");

	(void)state;
	assert_true(p.ok);
	assert_int_equal(p.n, 4);
	expect_row(&p, 0, 1, "a", "b", NULL);
	expect_row(&p, 1, 2, "c", "d", NULL); /* no \r left in the last field */
	expect_row(&p, 2, 3, "e\r\nf", "g", NULL);
	expect_row(&p, 3, 5, "h", "i", NULL);
	done(&p);
}

static void test_blank_lines_skipped(void **state)
{
	struct parsed p = parse("a\n\n\nb\n");

	(void)state;
	assert_true(p.ok);
	assert_int_equal(p.n, 2);
	expect_row(&p, 0, 1, "a", NULL);
	expect_row(&p, 1, 4, "b", NULL);
	done(&p);
}

static void test_bom(void **state)
{
	struct parsed p = parse("\xEF\xBB\xBFusername,x\nb,\xEF\xBB\xBF\n");

	(void)state;
	assert_true(p.ok);
	assert_int_equal(p.n, 2);
	expect_row(&p, 0, 1, "username", "x", NULL);
	/* Only a leading BOM is dropped; one inside the data is data. */
	expect_row(&p, 1, 2, "b", "\xEF\xBB\xBF", NULL);
	done(&p);
	/* A BOM then a quoted field. */
	p = parse("\xEF\xBB\xBF\"a\",b\n");
	assert_true(p.ok);
	expect_row(&p, 0, 1, "a", "b", NULL);
	done(&p);
}

/* The length given bounds the text. */
static void test_bounded(void **state)
{
	struct parsed p = parse_n("a,b\nc,d", 5);

	(void)state;
	assert_true(p.ok);
	assert_int_equal(p.n, 2);
	expect_row(&p, 1, 2, "c", NULL);
	done(&p);
}

static void test_max_fields(void **state)
{
	struct parsed p = parse("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\n");

	(void)state;
	assert_true(p.ok);
	assert_int_equal(p.rows[0].n, CSV_MAX_FIELDS);
	assert_string_equal(p.rows[0].f[15], "16");
	done(&p);
	expect_error("a\n1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\n", 2, "too many fields");
	expect_error("a\n,,,,,,,,,,,,,,,,\n", 2, "too many fields");
}

/* Reported where the unterminated field opens: the end of the text is no
 * help in a file of thousands of lines (here it is line 3 of a 2-line text). */
static void test_error_unterminated_quote(void **state)
{
	(void)state;
	expect_error("a,b\nc,\"d\n", 2, "unterminated quoted field");
	expect_error("a,b\n\"c\nd,e\nf,g\n", 2, "unterminated quoted field");
	expect_error("\"", 1, "unterminated quoted field");
	expect_error("a,\"b\"\"", 1, "unterminated quoted field");
}

static void test_error_text_after_quote(void **state)
{
	(void)state;
	expect_error("a,b\n\"c\"d,e\n", 2, "text after a closing quote");
	expect_error("\"c\" ,e\n", 1, "text after a closing quote");
	/* After a multi-line field, on the line where it happens. */
	expect_error("h\n\"a\nb\"x\n", 3, "text after a closing quote");
}

static void test_error_quote_inside_field(void **state)
{
	(void)state;
	expect_error("a,b\nc,d\"e\n", 2, "quote inside an unquoted field");
	expect_error(" \"a\"\n", 1, "quote inside an unquoted field");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple),
	    cmocka_unit_test(test_no_final_newline),
	    cmocka_unit_test(test_empty_input),
	    cmocka_unit_test(test_empty_fields),
	    cmocka_unit_test(test_quoted),
	    cmocka_unit_test(test_doubled_quotes),
	    cmocka_unit_test(test_embedded_comma),
	    cmocka_unit_test(test_embedded_newlines),
	    cmocka_unit_test(test_crlf),
	    cmocka_unit_test(test_blank_lines_skipped),
	    cmocka_unit_test(test_bom),
	    cmocka_unit_test(test_bounded),
	    cmocka_unit_test(test_max_fields),
	    cmocka_unit_test(test_error_unterminated_quote),
	    cmocka_unit_test(test_error_text_after_quote),
	    cmocka_unit_test(test_error_quote_inside_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
