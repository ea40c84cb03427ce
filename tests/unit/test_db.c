/*
 * server/db.c against a real MariaDB: the stack's own, named by
 * TUTORAT_CONFIG (tests/api/db-layer.test.mjs runs this program once the
 * test stack is up; under plain ctest, without a database, every test is
 * skipped).
 *
 * - A result set is freed on every exit of its reader: one left unread when
 *   the arena runs out left the connection "out of sync" (2014), and every
 *   later statement of that worker failed.
 * - A statement that does not fit its declaration (placeholders, columns,
 *   their names) is refused when it is prepared, before anything is bound.
 * - A route that runs its own transactions (login) writes only inside one,
 *   and audit_commit commits none without an audit row.
 */
#include "unit.h"

#include "audit.h"
#include "config.h" /* before cmocka.h: req.h declares fail() */
#include "db.h"
#include "req.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include <cmocka.h>

static struct config *cfg;
static struct db_conn *conn;

static const struct db_sql Q_MANY = {"SELECT seq AS n FROM seq_1_to_2000", "", DB_COLS("n"), true};
static const struct db_sql Q_ONE = {"SELECT 41 + 1 AS answer", "", DB_COLS("answer"), true};

static int setup(void **state)
{
	const char *path = getenv("TUTORAT_CONFIG");
	char err[512];

	(void)state;
	if (path == NULL)
		return 0;
	cfg = config_load(path, err, sizeof(err));
	if (cfg == NULL) {
		print_error("%s\n", err);
		return -1;
	}
	conn = db_conn_new(cfg);
	return db_conn_ensure(conn) == ERR_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	db_conn_free(conn);
	if (cfg != NULL)
		config_free(cfg);
	return 0;
}

/* A request on the connection, with an arena of `limit` bytes. */
static void request(struct req *r, struct arena *a, size_t limit)
{
	memset(r, 0, sizeof(*r));
	arena_init(a, limit);
	r->arena = a;
	r->cfg = cfg;
	r->db = conn;
}

static void need_database(void)
{
	if (conn == NULL)
		skip();
}

/* The arena is full before the rows are read: the read fails (500), and
 * the next statement on the same connection still runs. */
static void test_full_arena_leaves_the_connection_usable(void **state)
{
	struct req r;
	struct arena a;
	struct db_res res;

	(void)state;
	need_database();
	request(&r, &a, 64);
	assert_non_null(arena_alloc(&a, 64));
	assert_int_equal(db_rows(&r, &Q_MANY, &res), ERR_INTERNAL);
	assert_int_equal(res.n_rows, 0);
	arena_destroy(&a);

	request(&r, &a, 1 << 20);
	assert_int_equal(db_one(&r, &Q_ONE, &res), ERR_OK);
	assert_int_equal(db_int(&res, 0, "answer"), 42);
	assert_int_equal(r.err, ERR_OK);
	arena_destroy(&a);
}

/* The arena runs out in the middle of the rows: same outcome. */
static void test_arena_out_mid_result(void **state)
{
	struct req r;
	struct arena a;
	struct db_res res;

	(void)state;
	need_database();
	request(&r, &a, 4096);
	assert_int_equal(db_rows(&r, &Q_MANY, &res), ERR_INTERNAL);
	arena_destroy(&a);

	request(&r, &a, 1 << 20);
	assert_int_equal(db_rows(&r, &Q_MANY, &res), ERR_OK);
	assert_int_equal(res.n_rows, 2000);
	assert_int_equal(db_int(&res, 1999, "n"), 2000);
	arena_destroy(&a);
}

static const struct db_sql too_few_cols = {"SELECT 1 AS one, 2 AS two", "", DB_COLS("one"), true};
static const struct db_sql wrong_name = {"SELECT 1 AS one, 2 AS two", "", DB_COLS("one", "three"),
					 true};
static const struct db_sql wrong_params = {"SELECT ? AS one", "", DB_COLS("one"), true};
static const struct db_sql no_params = {"SELECT 1 AS one", NULL, DB_COLS("one"), true};
static const struct db_sql expression = {"SELECT 1 + 1", "", DB_COLS("two"), true};

/* Declarations that do not fit: refused at prepare time (500, logged), and
 * tutoratctl check-sql says why. */
static void test_declaration_must_fit(void **state)
{
	const struct db_sql *bad[] = {&too_few_cols, &wrong_name, &wrong_params, &no_params};
	struct req r;
	struct arena a;
	struct db_res res;
	char why[256];
	MYSQL *my;

	(void)state;
	need_database();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		request(&r, &a, 1 << 20);
		assert_int_equal(db_rows(&r, bad[i], &res), ERR_INTERNAL);
		arena_destroy(&a);
	}
	my = db_connect_plain(cfg, false, why, sizeof(why));
	assert_non_null(my);
	assert_false(db_sql_check(my, &wrong_name, why, sizeof(why)));
	assert_non_null(strstr(why, "\"two\", declared \"three\""));
	assert_false(db_sql_check(my, &wrong_params, why, sizeof(why)));
	assert_non_null(strstr(why, "1 placeholders, 0 declared"));
	/* An expression without alias is named by its declaration. */
	assert_true(db_sql_check(my, &expression, why, sizeof(why)));
	mysql_close(my);
	request(&r, &a, 1 << 20);
	assert_int_equal(db_one(&r, &expression, &res), ERR_OK);
	assert_int_equal(db_int(&res, 0, "two"), 2);
	arena_destroy(&a);
}

static const struct db_sql Q_WRITE = {"DO 1", "", NULL, true};

/* A route with own_transactions: db_run outside a transaction is refused
 * (500) before it runs; inside one it runs, and audit_commit rolls back a
 * transaction without an audit row (500) and leaves none open. */
static void test_own_transactions_write_only_audited(void **state)
{
	struct route own = {.method = M_POST, .pattern = "/x", .own_transactions = true};
	struct req r;
	struct arena a;

	(void)state;
	need_database();
	request(&r, &a, 1 << 20);
	r.route = &own;
	assert_int_equal(db_run(&r, &Q_WRITE, NULL), ERR_INTERNAL);
	assert_int_equal(r.statements, 0);
	arena_destroy(&a);

	request(&r, &a, 1 << 20);
	r.route = &own;
	assert_int_equal(db_begin(&r), ERR_OK);
	assert_int_equal(db_run(&r, &Q_WRITE, NULL), ERR_OK);
	assert_int_equal(audit_commit(&r), ERR_INTERNAL);
	assert_false(db_conn_in_tx(conn));
	arena_destroy(&a);

	/* Any other route keeps autocommit for what it runs outside one. */
	own.own_transactions = false;
	request(&r, &a, 1 << 20);
	r.route = &own;
	assert_int_equal(db_run(&r, &Q_WRITE, NULL), ERR_OK);
	arena_destroy(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_arena_leaves_the_connection_usable),
	    cmocka_unit_test(test_arena_out_mid_result),
	    cmocka_unit_test(test_declaration_must_fit),
	    cmocka_unit_test(test_own_transactions_write_only_audited),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
